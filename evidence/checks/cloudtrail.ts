/**
 * The organization trail (management account, home Region) and each member account's own trail:
 * DescribeTrails, GetTrailStatus and GetEventSelectors, judged against the names and settings the
 * config derives (config/naming.ts).
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetEventSelectorsCommandOutput,
  type GetTrailStatusCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import {
  ACCOUNT_TRAIL_S3_PREFIX,
  accountTrailArn,
  accountTrailLogGroupName,
  accountTrailName,
  baselineOwnsOrgTrail,
  logBucketName,
  orgTrailArn,
  orgTrailLogGroupName,
  orgTrailName,
  PARTITION,
} from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { s3ObjectArnPrefix, VPCE_ACCESS_DENIED } from '../../modules/cloudtrail/event-selectors';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';
import { keyProblem, logArchiveKey } from './kms';
import { trailDataEvents } from '../../config/sensitive-data';

const NETWORK_ACTIVITY_CONTROL = 'cloudtrail.network-activity-events';

/** A trail that delivered nothing for this long is not "delivering". */
export const RECENT_DELIVERY_HOURS = 24;

const ORG_TRAIL_CONTROLS = [
  'cloudtrail.organization-trail',
  'cloudtrail.log-file-validation',
  'cloudtrail.kms-encryption',
  'cloudtrail.cloudwatch-logs-delivery',
  'cloudtrail.data-events',
] as const;

/** `label is <age> old` when older than the window, `label: never` when absent; undefined when recent. */
export function staleness(label: string, time: Date | undefined, now: Date, hours = RECENT_DELIVERY_HOURS): string | undefined {
  if (!time) return `${label}: none recorded`;
  const ageHours = (now.getTime() - time.getTime()) / 3_600_000;
  return ageHours > hours ? `${label} ${time.toISOString()} is ${Math.floor(ageHours)} hours old (more than ${hours})` : undefined;
}

function logGroupArn(region: string, accountId: string, name: string): string {
  return `arn:${PARTITION}:logs:${region}:${accountId}:log-group:${name}:*`;
}

/** The role CloudTrail writes to the trail's log group with, as modules/cloudtrail/monitored-trail.ts names it. */
export function trailLogsRoleArn(accountId: string, trailName: string): string {
  return `arn:${PARTITION}:iam::${accountId}:role/${trailName}-to-cloudwatch-logs`;
}

/** The trail's CloudWatch Logs delivery: its log group and role (Trail, API_Trail.html) and its last delivery (API_GetTrailStatus.html). */
function logsDeliveryProblems(trail: Trail, status: GetTrailStatusCommandOutput, wantedGroup: string, wantedRole: string | undefined, now: Date): (string | undefined)[] {
  return [
    // Trail.CloudWatchLogsLogGroupArn (API_Trail.html).
    trail.CloudWatchLogsLogGroupArn === wantedGroup ? undefined : `CloudWatchLogsLogGroupArn is ${trail.CloudWatchLogsLogGroupArn ?? '(none)'}, not ${wantedGroup}`,
    // Trail.CloudWatchLogsRoleArn (API_Trail.html): "the role for the CloudWatch Logs endpoint to assume to write to a user's log group".
    !trail.CloudWatchLogsRoleArn
      ? 'CloudWatchLogsRoleArn is empty'
      : wantedRole && trail.CloudWatchLogsRoleArn !== wantedRole
        ? `CloudWatchLogsRoleArn is ${trail.CloudWatchLogsRoleArn}, not the baseline's ${wantedRole}`
        : undefined,
    // GetTrailStatus LatestCloudWatchLogsDeliveryError, LatestCloudWatchLogsDeliveryTime (API_GetTrailStatus.html).
    status.LatestCloudWatchLogsDeliveryError ? `LatestCloudWatchLogsDeliveryError: ${status.LatestCloudWatchLogsDeliveryError}` : undefined,
    staleness('LatestCloudWatchLogsDeliveryTime', status.LatestCloudWatchLogsDeliveryTime, now),
  ];
}


export function orgTrailTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const account = config.organization.managementAccountId;
  const home = config.regions.home;
  // Network activity events only when configured (off by default: the matrix says "not configured").
  const controls = config.trail.networkActivityEvents.eventSources.length > 0 ? [...ORG_TRAIL_CONTROLS, NETWORK_ACTIVITY_CONTROL] : ORG_TRAIL_CONTROLS;
  return [
    new Task(ctx, { label: 'organization trail', accountId: account, region: home, controls }, (task) => judgeOrgTrail(task, config)),
  ];
}

async function judgeOrgTrail(task: Task, config: BaselineConfig): Promise<void> {
  const client = task.client(CloudTrailClient);
  const owned = baselineOwnsOrgTrail(config);
  const wantedArn = orgTrailArn(config);
  const request = owned ? { trailNameList: [wantedArn], includeShadowTrails: false } : { includeShadowTrails: false };
  const described = await task.call('cloudtrail:DescribeTrails', request, () => client.send(new DescribeTrailsCommand(request)));
  // With Control Tower's trail (controlTower.organizationTrail: control-tower) its name is Control
  // Tower's: the organization trail of this account is the one judged.
  const trail = (described.trailList ?? []).find((t) => (owned ? t.TrailARN === wantedArn : t.IsOrganizationTrail));
  const sources = [DOC.cloudTrail.trail, DOC.cloudTrail.describeTrails];
  const networkConfigured = config.trail.networkActivityEvents.eventSources.length > 0;
  if (!trail?.TrailARN) {
    for (const controlId of networkConfigured ? [...ORG_TRAIL_CONTROLS, NETWORK_ACTIVITY_CONTROL] : ORG_TRAIL_CONTROLS) {
      task.item({
        controlId,
        title: 'Organization trail',
        status: 'FAIL',
        reason: owned ? `no trail ${wantedArn} in the management account` : 'no organization trail in the management account',
        resource: owned ? wantedArn : undefined,
        sources,
      });
    }
    return;
  }
  const arn = trail.TrailARN;
  // Each item names the calls its judgement read (the binder links them; the catalog declares them).
  const [describeRaw] = task.rawNames;
  const status = await task.call('cloudtrail:GetTrailStatus', { Name: arn }, () => client.send(new GetTrailStatusCommand({ Name: arn })));
  const statusRaw = task.rawNames.at(-1) as string;
  const selectors = await task.call('cloudtrail:GetEventSelectors', { TrailName: arn }, () =>
    client.send(new GetEventSelectorsCommand({ TrailName: arn })),
  );
  const selectorsRaw = task.rawNames.at(-1) as string;
  const trailAndStatus = [describeRaw, statusRaw];
  const now = task.ctx.now();
  const statusSources = [...sources, DOC.cloudTrail.getTrailStatus];
  const verdict = (controlId: string, title: string, problems: (string | undefined)[], ok: string, src: readonly string[], details?: Record<string, unknown>, raw?: readonly string[]) => {
    const found = problems.filter((p): p is string => !!p);
    task.item({
      controlId,
      title,
      status: found.length ? 'FAIL' : 'PASS',
      reason: found.length ? found.join('; ') : ok,
      resource: arn,
      sources: src,
      details,
      ...(raw ? { raw } : {}),
    });
  };

  verdict(
    'cloudtrail.organization-trail',
    'Organization trail: all accounts, all Regions, logging, delivering',
    [
      trail.IsOrganizationTrail ? undefined : 'IsOrganizationTrail is false: member accounts are not logged',
      trail.IsMultiRegionTrail ? undefined : 'IsMultiRegionTrail is false',
      trail.IncludeGlobalServiceEvents ? undefined : 'IncludeGlobalServiceEvents is false (IAM, STS, CloudFront events missed)',
      trail.S3BucketName === logBucketName(config, 'cloudtrail')
        ? undefined
        : `delivers to bucket ${trail.S3BucketName ?? '(none)'}, not ${logBucketName(config, 'cloudtrail')}`,
      // Trail.S3KeyPrefix (API_Trail.html): the baseline's organization trail has none (AWSLogs/ at
      // the bucket root, where the bucket policy lets CloudTrail write and the digests are looked for).
      owned && trail.S3KeyPrefix ? `S3KeyPrefix is ${trail.S3KeyPrefix}, not none (the baseline writes to AWSLogs/ at the bucket root)` : undefined,
      status.IsLogging ? undefined : 'IsLogging is false: the trail is stopped',
      status.LatestDeliveryError ? `LatestDeliveryError: ${status.LatestDeliveryError}` : undefined,
      staleness('LatestDeliveryTime', status.LatestDeliveryTime, now),
    ],
    `logging since ${status.StartLoggingTime?.toISOString() ?? '(unknown)'}, every account and Region, last log file delivered ${status.LatestDeliveryTime?.toISOString()} to ${trail.S3BucketName}`,
    statusSources,
    undefined,
    trailAndStatus,
  );
  verdict(
    'cloudtrail.log-file-validation',
    'Log file validation on, digests delivered',
    [
      trail.LogFileValidationEnabled ? undefined : 'LogFileValidationEnabled is false: no digest files',
      status.LatestDigestDeliveryError ? `LatestDigestDeliveryError: ${status.LatestDigestDeliveryError}` : undefined,
      staleness('LatestDigestDeliveryTime', status.LatestDigestDeliveryTime, now),
    ],
    `LogFileValidationEnabled, last digest delivered ${status.LatestDigestDeliveryTime?.toISOString()}`,
    statusSources,
    undefined,
    trailAndStatus,
  );
  // The key the log archive's CloudTrail alias names (evidence/checks/kms.ts), not any key.
  const key = await logArchiveKey(task, config, 'cloudtrail');
  verdict(
    'cloudtrail.kms-encryption',
    'Log files encrypted with the log archive CloudTrail key',
    [trail.KmsKeyId ? keyProblem(config, key, trail.KmsKeyId, 'KmsKeyId') : 'KmsKeyId is empty: log files are encrypted with SSE-S3 only'],
    `SSE-KMS with the log-archive key ${key.alias} (${trail.KmsKeyId})`,
    [...sources, DOC.kms.describeKey],
    undefined,
    [describeRaw, ...key.raw],
  );
  const wantedGroup = logGroupArn(config.regions.home, task.accountId, orgTrailLogGroupName(config));
  verdict(
    'cloudtrail.cloudwatch-logs-delivery',
    'Events delivered to the trail log group',
    // With Control Tower's trail, its role is Control Tower's: any role then.
    logsDeliveryProblems(trail, status, wantedGroup, owned ? trailLogsRoleArn(task.accountId, orgTrailName(config)) : undefined, now),
    `delivering to ${trail.CloudWatchLogsLogGroupArn}, last at ${status.LatestCloudWatchLogsDeliveryTime?.toISOString()}`,
    statusSources,
    undefined,
    trailAndStatus,
  );
  const selectorProblems = judgeSelectors(config, selectors);
  verdict(
    'cloudtrail.data-events',
    'All management events and the configured data events',
    selectorProblems,
    `all management events${describeDataEvents(config)}`,
    [DOC.cloudTrail.getEventSelectors, DOC.cloudTrail.advancedEventSelector],
    undefined,
    [selectorsRaw],
  );
  if (networkConfigured) {
    const network = config.trail.networkActivityEvents;
    verdict(
      NETWORK_ACTIVITY_CONTROL,
      'Network activity events of the configured event sources',
      judgeNetworkActivitySelectors(selectors, network),
      `network activity events${network.deniedOnly ? ` denied by a VPC endpoint policy (${VPCE_ACCESS_DENIED})` : ''} of ${network.eventSources.join(', ')}`,
      [DOC.cloudTrail.getEventSelectors, DOC.cloudTrail.advancedEventSelector, DOC.cloudTrail.networkActivityEvents],
      undefined,
      [selectorsRaw],
    );
  }
}

function describeDataEvents(config: BaselineConfig): string {
  const d = trailDataEvents(config);
  const parts = [
    ...(d.s3.length ? [`S3 objects of ${d.s3.length} bucket ARN(s)`] : []),
    ...(d.lambda ? [`Lambda invocations (${d.lambda === 'all' ? 'all functions' : `${d.lambda.length} function(s)`})`] : []),
    ...(d.dynamodb ? [`DynamoDB items (${d.dynamodb === 'all' ? 'all tables' : `${d.dynamodb.length} table(s)`})`] : []),
  ];
  return parts.length ? `, and data events: ${parts.join(', ')}` : '';
}

/** The operators of an advanced field selector (API_AdvancedFieldSelector.html). */
const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;
type FieldSelectorOut = { Field?: string } & { [op in (typeof OPERATORS)[number]]?: string[] };

/**
 * The fields, and their operators, modules/cloudtrail/event-selectors.ts writes in a data-event
 * selector: the category, the resource type, and the resources by ARN or ARN prefix. Anything else
 * (readOnly, eventName, a Not* or EndsWith operator) leaves events of the listed resources out.
 */
const DATA_SELECTOR_FIELDS: Readonly<Record<string, readonly string[]>> = {
  eventCategory: ['Equals'],
  'resources.type': ['Equals'],
  'resources.ARN': ['Equals', 'StartsWith'],
};

/** `readOnly Equals [true]`: a field selector's conditions, in words. */
function conditions(f: FieldSelectorOut, only?: readonly string[]): string {
  return OPERATORS.filter((op) => (f[op] ?? []).length > 0 && !only?.includes(op))
    .map((op) => `${f.Field ?? '(no field)'} ${op} [${(f[op] ?? []).join(', ')}]`)
    .join(' and ');
}

/**
 * The selectors must record every management event (read and write) and the data events the config
 * lists, and be no narrower than the baseline writes them: the management selector exactly
 * `eventCategory = Management`, data selectors on the category, resource type and resource ARNs only.
 * Advanced selectors (what the baseline writes) and basic ones are both understood.
 */
export function judgeSelectors(config: BaselineConfig, out: GetEventSelectorsCommandOutput, dataEvents: BaselineConfig['trail']['dataEvents'] = trailDataEvents(config)): string[] {
  const problems: string[] = [];
  // GetEventSelectors AdvancedEventSelectors (API_GetEventSelectors.html): AdvancedEventSelector Name,
  // FieldSelectors (API_AdvancedEventSelector.html); AdvancedFieldSelector Field, Equals, StartsWith,
  // EndsWith, NotEquals, NotStartsWith, NotEndsWith (API_AdvancedFieldSelector.html).
  const selectors = (out.AdvancedEventSelectors ?? []).map((s) => ({ name: s.Name ?? '(unnamed)', fs: (s.FieldSelectors ?? []) as FieldSelectorOut[] }));
  const advanced = selectors.map((s) => s.fs);
  const field = (fs: FieldSelectorOut[], name: string) => fs.find((f) => f.Field === name);
  // GetEventSelectors EventSelectors (API_GetEventSelectors.html): EventSelector ReadWriteType,
  // IncludeManagementEvents, ExcludeManagementEventSources, DataResources (API_EventSelector.html).
  const basic = out.EventSelectors ?? [];
  const readsAndWrites = (s: (typeof basic)[number]) => (s.ReadWriteType ?? 'All') === 'All';

  for (const { name, fs } of selectors) {
    // Network activity selectors are judged by judgeNetworkActivitySelectors: they add events, never narrow these.
    if (isNetworkActivitySelector(fs)) continue;
    if (field(fs, 'eventCategory')?.Equals?.includes('Management')) {
      // The baseline's management selector: `eventCategory Equals [Management]`, nothing else.
      const extra = fs.map((f) => (f.Field === 'eventCategory' ? conditions(f, ['Equals']) : conditions(f))).filter(Boolean);
      const category = field(fs, 'eventCategory')!.Equals!;
      if (category.length !== 1) extra.push(`eventCategory Equals [${category.join(', ')}]`);
      if (extra.length) problems.push(`management selector "${name}" also filters on ${extra.join(' and ')}: the events it leaves out are not logged`);
    } else {
      const extra = fs.map((f) => (f.Field && DATA_SELECTOR_FIELDS[f.Field] ? conditions(f, DATA_SELECTOR_FIELDS[f.Field]) : conditions(f))).filter(Boolean);
      if (extra.length) problems.push(`selector "${name}" filters on ${extra.join(' and ')}: the events it leaves out are not logged`);
    }
  }
  for (const s of basic) {
    const excluded = s.ExcludeManagementEventSources ?? [];
    if (excluded.length) problems.push(`a basic selector excludes the management events of ${excluded.join(', ')} (ExcludeManagementEventSources): they are not logged`);
  }

  const management =
    advanced.some((fs) => fs.length === 1 && field(fs, 'eventCategory')?.Equals?.length === 1 && field(fs, 'eventCategory')?.Equals?.[0] === 'Management' && !conditions(fs[0], ['Equals'])) ||
    basic.some((s) => s.IncludeManagementEvents && readsAndWrites(s) && (s.ExcludeManagementEventSources ?? []).length === 0);
  if (!management) problems.push('no selector records every management event (read and write)');

  const dataSelectors = advanced.filter((fs) => field(fs, 'eventCategory')?.Equals?.includes('Data'));
  const covers = (type: string, arn: string | 'all', match: 'Equals' | 'StartsWith') =>
    dataSelectors.some((fs) => {
      if (!field(fs, 'resources.type')?.Equals?.includes(type)) return false;
      const arns = field(fs, 'resources.ARN');
      if (arn === 'all') return !arns;
      return !arns || (arns[match] ?? []).includes(arn);
    }) ||
    basic.some(
      (s) =>
        readsAndWrites(s) &&
        (s.DataResources ?? []).some(
          (r) => r.Type === type && (arn === 'all' ? (r.Values ?? []).some((v) => /^arn:aws:[a-z0-9]+$|:::?$/.test(v)) : (r.Values ?? []).includes(arn)),
        ),
    );
  const d = dataEvents;
  for (const arn of d.s3) {
    if (!covers('AWS::S3::Object', s3ObjectArnPrefix(arn), 'StartsWith')) problems.push(`no data-event selector for S3 objects under ${s3ObjectArnPrefix(arn)}`);
  }
  for (const [type, setting, label] of [
    ['AWS::Lambda::Function', d.lambda, 'Lambda function'],
    ['AWS::DynamoDB::Table', d.dynamodb, 'DynamoDB table'],
  ] as const) {
    if (setting === undefined) continue;
    if (setting === 'all') {
      if (!covers(type, 'all', 'Equals')) problems.push(`no data-event selector for every ${label}`);
    } else {
      for (const arn of setting) if (!covers(type, arn, 'Equals')) problems.push(`no data-event selector for ${label} ${arn}`);
    }
  }
  return problems;
}

/** An advanced selector of network activity events (`eventCategory Equals [NetworkActivity]`). */
function isNetworkActivitySelector(fs: readonly FieldSelectorOut[]): boolean {
  return !!fs.find((f) => f.Field === 'eventCategory')?.Equals?.includes('NetworkActivity');
}

/**
 * The fields, and operators, modules/cloudtrail/event-selectors.ts writes in a network activity
 * selector: the category, the event source and, with deniedOnly, the error code, all `Equals` (the
 * only operator CloudTrail allows for them: "Logging network activity events"). `eventName` or
 * `vpcEndpointId` (which may use any operator) would leave calls out.
 */
const NETWORK_SELECTOR_FIELDS: Readonly<Record<string, readonly string[]>> = {
  eventCategory: ['Equals'],
  eventSource: ['Equals'],
  errorCode: ['Equals'],
};

/**
 * The network activity selectors must record, for each configured event source, exactly what the
 * baseline writes: every call through a VPC endpoint (`deniedOnly: false`: no errorCode condition) or
 * the calls a VPC endpoint policy denied (`deniedOnly: true`: errorCode Equals [VpceAccessDenied]),
 * with no other condition. Fewer sources, a narrower or a wider selector (which bills every call)
 * fail; a selector for a source the config does not list is left alone (it adds events).
 */
export function judgeNetworkActivitySelectors(out: GetEventSelectorsCommandOutput, network: BaselineConfig['trail']['networkActivityEvents']): string[] {
  const problems: string[] = [];
  // AdvancedEventSelector Name, FieldSelectors; AdvancedFieldSelector Field, Equals... (API_AdvancedEventSelector.html, API_AdvancedFieldSelector.html).
  const selectors = (out.AdvancedEventSelectors ?? [])
    .map((s) => ({ name: s.Name ?? '(unnamed)', fs: (s.FieldSelectors ?? []) as FieldSelectorOut[] }))
    .filter((s) => isNetworkActivitySelector(s.fs));
  for (const { name, fs } of selectors) {
    const extra = fs.map((f) => (f.Field && NETWORK_SELECTOR_FIELDS[f.Field] ? conditions(f, NETWORK_SELECTOR_FIELDS[f.Field]) : conditions(f))).filter(Boolean);
    const category = fs.find((f) => f.Field === 'eventCategory')!.Equals!;
    if (category.length !== 1) extra.push(`eventCategory Equals [${category.join(', ')}]`);
    const errorCodes = fs.find((f) => f.Field === 'errorCode')?.Equals ?? [];
    if (errorCodes.some((c) => c !== VPCE_ACCESS_DENIED)) extra.push(`errorCode Equals [${errorCodes.join(', ')}]`);
    if (extra.length) problems.push(`network activity selector "${name}" also filters on ${extra.join(' and ')}: the calls it leaves out are not logged`);
  }
  for (const source of network.eventSources) {
    const matching = selectors.filter((s) => s.fs.find((f) => f.Field === 'eventSource')?.Equals?.includes(source));
    const deniedOnly = (s: (typeof matching)[number]) => !!s.fs.find((f) => f.Field === 'errorCode')?.Equals?.length;
    if (matching.length === 0) {
      problems.push(`no network activity selector for ${source}: its calls through VPC endpoints are not logged`);
    } else if (network.deniedOnly && matching.some((s) => !deniedOnly(s))) {
      problems.push(`the network activity selector for ${source} records every call, not only errorCode ${VPCE_ACCESS_DENIED} (trail.networkActivityEvents.deniedOnly: true): each is billed`);
    } else if (!network.deniedOnly && matching.every(deniedOnly)) {
      problems.push(`the network activity selector for ${source} records only errorCode ${VPCE_ACCESS_DENIED}, not every call (trail.networkActivityEvents.deniedOnly: false)`);
    }
  }
  return problems;
}

/** Each member account's own trail (not the management account's: it owns the org trail). */
export function accountTrailTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  if (!config.monitoring.accountTrails) return [];
  const home = config.regions.home;
  return ctx.settings.accounts
    .filter((id) => id !== config.organization.managementAccountId)
    .map(
      (id) =>
        new Task(ctx, { label: 'account trail', accountId: id, region: home, controls: ['cloudtrail.account-trails'] }, (task) =>
          judgeAccountTrail(task, config),
        ),
    );
}

async function judgeAccountTrail(task: Task, config: BaselineConfig): Promise<void> {
  const client = task.client(CloudTrailClient);
  const arn = accountTrailArn(config, task.accountId);
  const request = { trailNameList: [arn], includeShadowTrails: false };
  const described = await task.call('cloudtrail:DescribeTrails', request, () => client.send(new DescribeTrailsCommand(request)));
  const trail: Trail | undefined = (described.trailList ?? []).find((t) => t.TrailARN === arn);
  const sources = [DOC.cloudTrail.trail, DOC.cloudTrail.describeTrails, DOC.cloudTrail.getTrailStatus];
  if (!trail) {
    task.item({ controlId: 'cloudtrail.account-trails', title: "Account's own trail", status: 'FAIL', reason: `no trail ${arn}`, resource: arn, sources });
    return;
  }
  const status: GetTrailStatusCommandOutput = await task.call('cloudtrail:GetTrailStatus', { Name: arn }, () =>
    client.send(new GetTrailStatusCommand({ Name: arn })),
  );
  const selectors = await task.call('cloudtrail:GetEventSelectors', { TrailName: arn }, () => client.send(new GetEventSelectorsCommand({ TrailName: arn })));
  const wantedGroup = logGroupArn(config.regions.home, task.accountId, accountTrailLogGroupName(config));
  const key = await logArchiveKey(task, config, 'cloudtrail');
  const problems = [
    trail.IsMultiRegionTrail ? undefined : 'IsMultiRegionTrail is false',
    trail.IncludeGlobalServiceEvents ? undefined : 'IncludeGlobalServiceEvents is false',
    trail.LogFileValidationEnabled ? undefined : 'LogFileValidationEnabled is false',
    trail.S3BucketName === logBucketName(config, 'cloudtrail') ? undefined : `delivers to bucket ${trail.S3BucketName}, not ${logBucketName(config, 'cloudtrail')}`,
    trail.S3KeyPrefix === ACCOUNT_TRAIL_S3_PREFIX ? undefined : `S3KeyPrefix is ${trail.S3KeyPrefix ?? '(none)'}, not ${ACCOUNT_TRAIL_S3_PREFIX}`,
    keyProblem(config, key, trail.KmsKeyId, 'KmsKeyId'),
    // Its CloudWatch Logs copy, which the account's CIS alarms watch: the log group, the role the
    // baseline creates for it, and a recent delivery without error.
    ...logsDeliveryProblems(trail, status, wantedGroup, trailLogsRoleArn(task.accountId, accountTrailName(config)), task.ctx.now()),
    status.IsLogging ? undefined : 'IsLogging is false: the trail is stopped',
    status.LatestDeliveryError ? `LatestDeliveryError: ${status.LatestDeliveryError}` : undefined,
    // Its selectors, as the member stack writes them: every management event, read and write (no data events).
    ...judgeSelectors(config, selectors, { s3: [] }),
  ].filter((p): p is string => !!p);
  task.item({
    controlId: 'cloudtrail.account-trails',
    title: "Account's own trail: multi-Region, validated, encrypted, to CloudWatch Logs, logging every management event",
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length ? problems.join('; ') : `logging to ${trail.S3BucketName}/${trail.S3KeyPrefix}, encrypted with ${key.alias}, and to ${accountTrailLogGroupName(config)}; every management event recorded`,
    resource: arn,
    sources: [...sources, DOC.cloudTrail.getEventSelectors, DOC.cloudTrail.advancedEventSelector, DOC.kms.describeKey],
    raw: [...task.rawNames, ...key.raw],
  });
}
