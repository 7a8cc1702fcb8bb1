/**
 * Shared by the guardrails tests: the principals a request is made as, the AWS managed policies they
 * hold, and the baseline's resources of the example org as ARNs, read from the synthesized stacks.
 */
import { allStackNames } from '../../../config/naming';
import type { BaselineConfig } from '../../../config/schema';
import { evaluate, type ContextValue, type Decision, type RequestPrincipal } from '../../../modules/iam/policy-evaluator';
import { resourcesOf, synthStack, type Synth } from '../../helpers';

export const MANAGEMENT = '111111111111';
export const LOG_ARCHIVE = '222222222222';
export const AUDIT = '333333333333';
export const MEMBER = '444444444444';
export const PIPELINE_ROLE = 'soc2-baseline-pipeline';
export const BREAK_GLASS_ROLE = 'soc2-baseline-break-glass';

/**
 * FullAWSAccess, which AWS attaches to every root, OU and account when SCPs are enabled
 * (Organizations User Guide, "Service control policies"), and AdministratorAccess (IAM, "AWS managed
 * policies for job functions"): both are Allow * on *.
 */
export const FULL_AWS_ACCESS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
export const ADMINISTRATOR_ACCESS = FULL_AWS_ACCESS;

export const roleIn = (account: string, name: string): RequestPrincipal => ({ kind: 'role', arn: `arn:aws:iam::${account}:role/${name}` });

/** Who tries: the ones the guardrails must stop, and the ones they must not. */
export const administrators = (account: string): [string, RequestPrincipal][] => [
  [`an administrator of ${account}`, roleIn(account, 'Admin')],
  [`OrganizationAccountAccessRole in ${account}`, roleIn(account, 'OrganizationAccountAccessRole')],
  [`the root user of ${account}`, { kind: 'root', accountId: account }],
];
export const exempt = (account: string): [string, RequestPrincipal][] => [
  [`the pipeline role in ${account}`, roleIn(account, PIPELINE_ROLE)],
  [`the break-glass role in ${account}`, roleIn(account, BREAK_GLASS_ROLE)],
];

export function scpDocuments(json: Synth): string[] {
  return resourcesOf(json, 'aws_organizations_policy').map(([, p]) => p.content);
}

/** The decision for a principal holding AdministratorAccess, in a member account under these SCPs. */
export function underScps(
  scps: readonly string[],
  principal: RequestPrincipal,
  action: string,
  resource: string,
  context: Record<string, ContextValue> = {},
): Decision {
  const account = principal.kind === 'service' ? undefined : principal.kind === 'root' ? principal.accountId : principal.arn.split(':')[4];
  return evaluate({ principal, action, resource, context }, { scps: [FULL_AWS_ACCESS, ...scps], identity: [ADMINISTRATOR_ACCESS], resourceAccount: account ?? MEMBER });
}

/** One resource the baseline creates, as the ARN IAM authorizes against, with its account. */
export interface BaselineResource {
  readonly stack: string;
  readonly type: string;
  readonly arn: string;
  readonly account: string;
  /** Request context the resource brings (its tags, a key's aliases). */
  readonly context: Record<string, ContextValue>;
}

/** Every resource of a protected kind in every stack of the config, as ARNs. */
export function baselineResources(config: BaselineConfig): BaselineResource[] {
  const out: BaselineResource[] = [];
  const home = config.regions.home;
  for (const stack of allStackNames(config)) {
    const json = synthStack(config, stack);
    const accounts = new Map<string, string>();
    const tags = new Map<string, Record<string, string>>();
    for (const p of json.provider?.aws ?? []) {
      accounts.set(p.alias ? `aws.${p.alias}` : 'aws', p.allowed_account_ids[0]);
      tags.set(p.alias ? `aws.${p.alias}` : 'aws', p.default_tags?.[0]?.tags ?? {});
    }
    const accountOf = (r: Record<string, any>) => accounts.get(r.provider ?? 'aws')!;
    const tagContext = (r: Record<string, any>) =>
      Object.fromEntries(Object.entries({ ...tags.get(r.provider ?? 'aws'), ...r.tags }).map(([k, v]) => [`aws:ResourceTag/${k}`, v as string]));
    const add = (type: string, r: Record<string, any>, arn: (account: string, region: string) => string, context: Record<string, ContextValue> = {}) =>
      out.push({ stack, type, arn: arn(accountOf(r), r.region ?? home), account: accountOf(r), context });
    const busNames = new Map(resourcesOf(json, 'aws_cloudwatch_event_bus').map(([id, b]) => [`\${aws_cloudwatch_event_bus.${id}.name}`, b.name as string]));

    for (const [, r] of resourcesOf(json, 'aws_cloudtrail')) add('trail', r, (a, g) => `arn:aws:cloudtrail:${g}:${a}:trail/${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_cloudwatch_log_group')) add('log group', r, (a, g) => `arn:aws:logs:${g}:${a}:log-group:${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_cloudwatch_metric_alarm')) add('alarm', r, (a, g) => `arn:aws:cloudwatch:${g}:${a}:alarm:${r.alarm_name}`);
    for (const [, r] of resourcesOf(json, 'aws_sns_topic')) add('topic', r, (a, g) => `arn:aws:sns:${g}:${a}:${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_cloudwatch_event_rule')) {
      const bus = r.event_bus_name ? `${busNames.get(r.event_bus_name) ?? r.event_bus_name}/` : '';
      add('event rule', r, (a, g) => `arn:aws:events:${g}:${a}:rule/${bus}${r.name}`);
    }
    for (const [, r] of resourcesOf(json, 'aws_cloudwatch_event_bus')) add('event bus', r, (a, g) => `arn:aws:events:${g}:${a}:event-bus/${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_accessanalyzer_analyzer')) add('analyzer', r, (a, g) => `arn:aws:access-analyzer:${g}:${a}:analyzer/${r.analyzer_name}`);
    for (const [, r] of resourcesOf(json, 'aws_iam_role')) add('role', r, (a) => `arn:aws:iam::${a}:role/${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_s3_bucket')) add('bucket', r, () => `arn:aws:s3:::${r.bucket}`);
    for (const [id, r] of resourcesOf(json, 'aws_kms_key')) {
      const aliases = resourcesOf(json, 'aws_kms_alias')
        .filter(([, al]) => al.target_key_id === `\${aws_kms_key.${id}.key_id}`)
        .map(([, al]) => al.name as string);
      add('key', r, (a, g) => `arn:aws:kms:${g}:${a}:key/${id}`, { 'kms:ResourceAliases': aliases });
    }
    for (const [, r] of resourcesOf(json, 'aws_kms_alias')) add('key alias', r, (a, g) => `arn:aws:kms:${g}:${a}:${r.name}`);
    // ARNs with ids: the baseline's tag selects them.
    for (const [id, r] of resourcesOf(json, 'aws_config_config_rule')) add('config rule', r, (a, g) => `arn:aws:config:${g}:${a}:config-rule/config-rule-${id.slice(-6).toLowerCase()}`, tagContext(r));
    for (const [, r] of resourcesOf(json, 'aws_config_configuration_aggregator')) add('config aggregator', r, (a, g) => `arn:aws:config:${g}:${a}:config-aggregator/config-aggregator-abcdef`, tagContext(r));
    for (const [, r] of resourcesOf(json, 'aws_flow_log')) add('flow log', r, (a, g) => `arn:aws:ec2:${g}:${a}:vpc-flow-log/fl-0123456789abcdef0`, tagContext(r));
  }
  return out;
}
