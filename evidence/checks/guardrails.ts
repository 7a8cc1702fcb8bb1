/**
 * The guardrails, from the management account:
 * - the service control policies: each policy the config derives (modules/guardrails,
 *   `<prefix>-baseline-guardrails-N`) attached to every target with the content the baseline writes;
 * - the resource control policies (`guardrails.resourceControlPolicies`): each
 *   `<prefix>-baseline-resource-perimeter-N` attached to every target with the content the baseline
 *   writes (modules/guardrails/resource-control-policies.ts), judged exactly as the SCPs;
 * - centralized root access (`guardrails.centralizedRootAccess`): IAM's trusted access in
 *   Organizations, and both features (RootCredentialsManagement, RootSessions) enabled for the
 *   config's organization (modules/guardrails/root-access.ts).
 * A control switched off in the config has no item (the control matrix says why it is not configured).
 * The break-glass alarm and the exempt-role change alarm are judged with the CIS alarms (cloudwatch.ts).
 */
import { ListOrganizationsFeaturesCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  DescribePolicyCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
  type PolicySummary,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import type { BaselineConfig } from '../../config/schema';
import { rcpDocuments } from '../../modules/guardrails/resource-control-policies';
import { ROOT_ACCESS_FEATURES } from '../../modules/guardrails/root-access';
import { scpStatements } from '../../modules/guardrails/scp-statements';
import { packScps } from '../../modules/guardrails/service-control-policies';
import { canonicalize } from '../canonical';
import { Task, type CollectContext } from '../context';

const ORG = 'https://docs.aws.amazon.com/organizations/latest/APIReference';
const SOURCES = [`${ORG}/API_ListPoliciesForTarget.html`, `${ORG}/API_DescribePolicy.html`, `${ORG}/API_Policy.html`];
const ROOT_ACCESS_SOURCES = [
  // Response: OrganizationId, EnabledFeatures (RootCredentialsManagement | RootSessions).
  'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html',
  // Response: EnabledServicePrincipals[] (ServicePrincipal, DateEnabled), NextToken.
  `${ORG}/API_ListAWSServiceAccessForOrganization.html`,
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management',
];

/** The SCPs the baseline writes, by name. */
export function expectedScps(config: BaselineConfig): Map<string, string> {
  const prefix = config.organization.namePrefix;
  return new Map(packScps(scpStatements(config)).map((content, i) => [`${prefix}-baseline-guardrails-${i + 1}`, content]));
}

/** The RCPs the baseline writes, by name (the names ResourceControlPolicies gives them). */
export function expectedRcps(config: BaselineConfig): Map<string, string> {
  const prefix = config.organization.namePrefix;
  return new Map(rcpDocuments(config).map((content, i) => [`${prefix}-baseline-resource-perimeter-${i + 1}`, content]));
}

/** IAM's service principal, whose trusted access centralized root access needs. */
export const IAM_SERVICE_PRINCIPAL = 'iam.amazonaws.com';

const sameDocument = (a: string, b: string) => {
  try {
    return JSON.stringify(canonicalize(JSON.parse(a))) === JSON.stringify(canonicalize(JSON.parse(b)));
  } catch {
    return false;
  }
};

interface PolicySet {
  readonly controlId: string;
  /** What the progress display and titles call them. */
  readonly label: string;
  readonly type: PolicyType;
  readonly expected: Map<string, string>;
  /**
   * Added to the target in the raw record's name of ListPoliciesForTarget (the SCPs' and RCPs' lists of one target).
   * @default - none: the target alone
   */
  readonly keySuffix?: string;
}

/** One task per target: each expected policy of the set attached to it, its content as the config derives it. */
function policyTasks(ctx: CollectContext, set: PolicySet): Task[] {
  const { config } = ctx;
  const targets = config.guardrails.targets ?? [config.organization.rootId];
  return targets.map(
    (target) =>
      new Task(ctx, { label: set.label, accountId: config.organization.managementAccountId, region: 'global', controls: [set.controlId], resource: target }, async (task) => {
        // Organizations is a global service whose endpoint is in us-east-1.
        const orgs = task.client(OrganizationsClient, 'us-east-1');
        const request = { TargetId: target, Filter: set.type };
        const pages = await task.paginate(
          'organizations:ListPoliciesForTarget',
          request,
          (token) => orgs.send(new ListPoliciesForTargetCommand({ ...request, NextToken: token })),
          (p) => p.NextToken,
          { key: set.keySuffix ? `${target}.${set.keySuffix}` : target },
        );
        const attached = new Map<string, PolicySummary>();
        for (const p of pages.flatMap((page) => page.Policies ?? [])) if (p.Name) attached.set(p.Name, p);
        const problems: string[] = [];
        for (const [name, content] of set.expected) {
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
          controlId: set.controlId,
          title: `${set.label} attached to ${target}`,
          status: problems.length ? 'FAIL' : 'PASS',
          reason: problems.length ? problems.join('; ') : `${[...set.expected.keys()].join(', ')} attached, content as the config derives it`,
          sources: SOURCES,
        });
      }),
  );
}

/** Centralized root access: IAM's trusted access, then both features, for the config's organization. */
function rootAccessTask(ctx: CollectContext): Task {
  const { config } = ctx;
  const orgId = config.organization.id;
  const controlId = 'guardrails.centralized-root-access';
  return new Task(ctx, { label: 'centralized root access', accountId: config.organization.managementAccountId, region: 'global', controls: [controlId], resource: orgId }, async (task) => {
    const orgs = task.client(OrganizationsClient, 'us-east-1');
    const pages = await task.paginate(
      'organizations:ListAWSServiceAccessForOrganization',
      {},
      (token) => orgs.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: token })),
      (p) => p.NextToken,
    );
    const trusted = pages.flatMap((p) => p.EnabledServicePrincipals ?? []).some((s) => s.ServicePrincipal === IAM_SERVICE_PRINCIPAL);
    const problems: string[] = [];
    if (!trusted) {
      // Without it IAM refuses ListOrganizationsFeatures (ServiceAccessNotEnabled, in the API reference's errors): nothing more to read.
      problems.push(`trusted access for ${IAM_SERVICE_PRINCIPAL} is not enabled in the organization, so centralized root access is not available`);
    } else {
      // IAM is global; its endpoint is in us-east-1. Only the management account (or IAM's delegated
      // administrator) may call it (AccountNotManagementOrDelegatedAdministrator).
      const iam = task.client(IAMClient, 'us-east-1');
      const features = await task.call('iam:ListOrganizationsFeatures', {}, () => iam.send(new ListOrganizationsFeaturesCommand({})));
      if (features.OrganizationId !== orgId) problems.push(`ListOrganizationsFeatures answers for organization ${features.OrganizationId ?? '(none)'}, not ${orgId}`);
      const enabled = new Set<string>(features.EnabledFeatures ?? []);
      for (const f of ROOT_ACCESS_FEATURES) if (!enabled.has(f)) problems.push(`${f} is not enabled (EnabledFeatures: ${[...enabled].sort().join(', ') || 'none'})`);
    }
    task.item({
      controlId,
      title: `Centralized root access for the member accounts of ${orgId}`,
      status: problems.length ? 'FAIL' : 'PASS',
      reason: problems.length ? problems.join('; ') : `trusted access for ${IAM_SERVICE_PRINCIPAL}; ${ROOT_ACCESS_FEATURES.join(' and ')} enabled for ${orgId}`,
      sources: ROOT_ACCESS_SOURCES,
    });
  });
}

export function guardrailTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  if (!config.guardrails.enabled) return [];
  return [
    ...policyTasks(ctx, { controlId: 'guardrails.service-control-policies', label: 'guardrail SCPs', type: 'SERVICE_CONTROL_POLICY', expected: expectedScps(config) }),
    ...(config.guardrails.resourceControlPolicies.enabled
      ? policyTasks(ctx, { controlId: 'guardrails.resource-control-policies', label: 'guardrail RCPs', type: 'RESOURCE_CONTROL_POLICY', expected: expectedRcps(config), keySuffix: 'rcp' })
      : []),
    ...(config.guardrails.centralizedRootAccess.enabled ? [rootAccessTask(ctx)] : []),
  ];
}
