/**
 * The guardrails' service control policies, from the management account: each policy the config
 * derives (modules/guardrails, `<prefix>-baseline-guardrails-N`) attached to every target with the
 * content the baseline writes. The break-glass alarm is judged with the CIS alarms (cloudwatch.ts).
 */
import { DescribePolicyCommand, ListPoliciesForTargetCommand, OrganizationsClient, type PolicySummary } from '@aws-sdk/client-organizations';
import type { BaselineConfig } from '../../config/schema';
import { scpStatements } from '../../modules/guardrails/scp-statements';
import { packScps } from '../../modules/guardrails/service-control-policies';
import { canonicalize } from '../canonical';
import { Task, type CollectContext } from '../context';

const ORG = 'https://docs.aws.amazon.com/organizations/latest/APIReference';
const SOURCES = [`${ORG}/API_ListPoliciesForTarget.html`, `${ORG}/API_DescribePolicy.html`, `${ORG}/API_Policy.html`];

/** The policies the baseline writes, by name. */
export function expectedScps(config: BaselineConfig): Map<string, string> {
  const prefix = config.organization.namePrefix;
  return new Map(packScps(scpStatements(config)).map((content, i) => [`${prefix}-baseline-guardrails-${i + 1}`, content]));
}

const sameDocument = (a: string, b: string) => {
  try {
    return JSON.stringify(canonicalize(JSON.parse(a))) === JSON.stringify(canonicalize(JSON.parse(b)));
  } catch {
    return false;
  }
};

export function guardrailTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  if (!config.guardrails.enabled) return [];
  const targets = config.guardrails.targets ?? [config.organization.rootId];
  return targets.map(
    (target) =>
      new Task(
        ctx,
        { label: 'guardrail SCPs', accountId: config.organization.managementAccountId, region: 'global', controls: ['guardrails.service-control-policies'], resource: target },
        async (task) => {
          // Organizations is a global service whose endpoint is in us-east-1.
          const orgs = task.client(OrganizationsClient, 'us-east-1');
          const request = { TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' as const };
          const pages = await task.paginate(
            'organizations:ListPoliciesForTarget',
            request,
            (token) => orgs.send(new ListPoliciesForTargetCommand({ ...request, NextToken: token })),
            (p) => p.NextToken,
            { key: target },
          );
          const attached = new Map<string, PolicySummary>();
          for (const p of pages.flatMap((page) => page.Policies ?? [])) if (p.Name) attached.set(p.Name, p);
          const problems: string[] = [];
          for (const [name, content] of expectedScps(config)) {
            const summary = attached.get(name);
            if (!summary?.Id) {
              problems.push(`${name} is not attached to ${target}`);
              continue;
            }
            const policyId = summary.Id;
            const described = await task.call('organizations:DescribePolicy', { PolicyId: policyId }, () => orgs.send(new DescribePolicyCommand({ PolicyId: policyId })), {
              key: `${target}.${name}`,
            });
            if (!sameDocument(described.Policy?.Content ?? '', content)) problems.push(`${name} content differs from what the config derives (edited outside the pipeline?)`);
          }
          task.item({
            controlId: 'guardrails.service-control-policies',
            title: `Guardrail SCPs attached to ${target}`,
            status: problems.length ? 'FAIL' : 'PASS',
            reason: problems.length ? problems.join('; ') : `${[...expectedScps(config).keys()].join(', ')} attached, content as the config derives it`,
            sources: SOURCES,
          });
        },
      ),
  );
}
