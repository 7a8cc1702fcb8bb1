/**
 * Names every stack derives from the config. Stacks never reference each other: what one stack
 * creates and another uses (bucket names, trail ARNs, state keys) is computed here, once.
 */
import type { BaselineConfig, MemberAccount } from './schema';
import { MALWARE_PROTECTION_ROLE_SUFFIX } from './plan-role';

export const PARTITION = 'aws';

export const MANAGEMENT_STACK = 'management';

export function memberStackName(accountId: string): string {
  return `member-${accountId}`;
}

/** Every stack of the org, in synth order: `management`, then one `member-<id>` per account. */
export function allStackNames(config: BaselineConfig): string[] {
  return [MANAGEMENT_STACK, ...config.members.map((m) => memberStackName(m.id))];
}

/**
 * The stacks of removed accounts (`removedMembers`) that the pipeline must still destroy: synthesized,
 * so their folders stay where the pipeline finds them, but never planned for apply.
 */
export function removedStackNames(config: BaselineConfig): string[] {
  return config.removedMembers.map((m) => memberStackName(m.id));
}

/**
 * Every stack a synth writes: the org's stacks (`allStackNames`), then the removed accounts' stacks
 * awaiting destroy (`removedStackNames`). `BASELINE_STACKS` selects among these. `destroyedMembers`
 * is history only: no stack is synthesized for it (an account vended again has its stack through `members`).
 */
export function synthStackNames(config: BaselineConfig): string[] {
  return [...allStackNames(config), ...removedStackNames(config)];
}

/**
 * The member entry a stack is built from: a live account's, or a removed account's as it was saved
 * (without `removedOn` and `reason`, so that its stack is byte for byte the one that was applied).
 */
export function stackMembers(config: BaselineConfig): Map<string, MemberAccount> {
  return new Map<string, MemberAccount>([
    ...config.members.map((m): [string, MemberAccount] => [memberStackName(m.id), m]),
    ...config.removedMembers.map(({ removedOn: _removedOn, reason: _reason, ...m }): [string, MemberAccount] => [memberStackName(m.id), m]),
  ]);
}

/** The Regions a member's baseline covers, home Region first. */
export function memberRegions(config: BaselineConfig, member: MemberAccount): string[] {
  const regions = member.regions ?? config.regions.governed;
  return [config.regions.home, ...regions.filter((r) => r !== config.regions.home)];
}

export { LOG_BUCKET_KINDS, logBucketName, type LogBucketKind } from './log-buckets';

export function s3BucketArn(bucketName: string): string {
  return `arn:${PARTITION}:s3:::${bucketName}`;
}

export function orgTrailName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-org-trail`;
}

export function orgTrailArn(config: BaselineConfig): string {
  return `arn:${PARTITION}:cloudtrail:${config.regions.home}:${config.organization.managementAccountId}:trail/${orgTrailName(config)}`;
}

/** Each member account's own trail (for the per-account CIS checks), the same name in every account. */
export function accountTrailName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-account-trail`;
}

export function accountTrailArn(config: BaselineConfig, accountId: string): string {
  return `arn:${PARTITION}:cloudtrail:${config.regions.home}:${accountId}:trail/${accountTrailName(config)}`;
}

/** Matches every member account's trail, for policies that must not list accounts. */
export function accountTrailArnPattern(config: BaselineConfig): string {
  return `arn:${PARTITION}:cloudtrail:${config.regions.home}:*:trail/${accountTrailName(config)}`;
}

/** Where account trails deliver in the central CloudTrail bucket: `<prefix>/AWSLogs/<account>/...`. */
export const ACCOUNT_TRAIL_S3_PREFIX = 'account-trails';

export function accountTrailLogGroupName(config: BaselineConfig): string {
  return `/${config.organization.namePrefix}/cloudtrail/account`;
}

/**
 * The alert topic of an account: its CIS alarms act on it (what CIS 4.x and Security Hub CloudWatch.x
 * check per account). Its subscriber is an SQS queue of the same account, which needs no person.
 */
export function alertTopicName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-security-alerts`;
}

/** The same-account SQS queue subscribed to an account's alert topic: a record of its notifications. */
export function alertRecordQueueName(config: BaselineConfig): string {
  return `${alertTopicName(config)}-record`;
}

/**
 * The organization's one central alert topic, in the audit account's home Region: high-severity
 * GuardDuty and Security Hub findings and every account's CIS alarms reach it, and it alone carries
 * the people's subscriptions (`alerts.subscriptions`), confirmed once for the whole organization.
 * (Named `-security-findings` since the first release, when it carried findings only: a new name
 * would make every subscriber confirm again.)
 */
export function centralAlertTopicName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-security-findings`;
}

export function centralAlertTopicArn(config: BaselineConfig): string {
  return `arn:${PARTITION}:sns:${config.regions.home}:${config.organization.auditAccountId}:${centralAlertTopicName(config)}`;
}

/** The audit account's event bus that every account's alarm state changes are forwarded to. */
export function alarmEventBusName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-security-alarms`;
}

export function alarmEventBusArn(config: BaselineConfig): string {
  return `arn:${PARTITION}:events:${config.regions.home}:${config.organization.auditAccountId}:event-bus/${alarmEventBusName(config)}`;
}

/** The rule on the central alarm bus that publishes every account's alarms to the central topic. */
export function centralAlarmRuleName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-alarms-to-central-topic`;
}

/**
 * The durable record of every alarm state change of the organization, in the audit account's home
 * Region (`modules/alerting/alarm-history.ts`): CloudWatch keeps alarm history for a short time only,
 * so the audit period's alarm section reads this log group (evidence/checks/period-alarms.ts).
 */
export function alarmHistoryLogGroupName(config: BaselineConfig): string {
  return `/${config.organization.namePrefix}/alarm-history`;
}

/** The rules that write to it: on the central alarm bus (every account's forwarded alarms), and on the audit account's default bus (its own route watchdogs). */
export function alarmHistoryRuleNames(config: BaselineConfig): { readonly central: string; readonly local: string } {
  const prefix = config.organization.namePrefix;
  return { central: `${prefix}-alarms-to-history`, local: `${prefix}-audit-alarms-to-history` };
}

/** The role, the same name in every account, through which EventBridge forwards alarms to that bus. */
export function alarmForwarderRoleName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-forward-alarms`;
}

/** Whether the baseline creates the organization trail (not when Control Tower's is used). */
export function baselineOwnsOrgTrail(config: BaselineConfig): boolean {
  return !(config.controlTower.enabled && config.controlTower.organizationTrail === 'control-tower');
}

/** The organization trail's log group: the baseline's own, or Control Tower's. */
export function orgTrailLogGroupName(config: BaselineConfig): string {
  return baselineOwnsOrgTrail(config)
    ? `/${config.organization.namePrefix}/cloudtrail/organization`
    : config.controlTower.trailLogGroupName;
}

export function kmsAliasName(config: BaselineConfig, purpose: string): string {
  return `alias/${config.organization.namePrefix}/${purpose}`;
}

/** An alias ARN, for using a key of another account or stack without referencing it. */
export function kmsAliasArn(config: BaselineConfig, accountId: string, purpose: string): string {
  return `arn:${PARTITION}:kms:${config.regions.home}:${accountId}:${kmsAliasName(config, purpose)}`;
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:${PARTITION}:iam::${accountId}:role/${roleName}`;
}

/** The service role of the GuardDuty Malware Protection plans, one per account that owns sensitive buckets. */
export function malwareProtectionRoleName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-${MALWARE_PROTECTION_ROLE_SUFFIX}`;
}

export function accountRootArn(accountId: string): string {
  return `arn:${PARTITION}:iam::${accountId}:root`;
}

/** The service-linked role AWS Config records through (what Security Hub Config.1 expects). */
export function configServiceLinkedRoleArn(accountId: string): string {
  return `arn:${PARTITION}:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
}

/** The S3 state key of a stack, when the config selects the S3 backend. */
export function stateKey(config: BaselineConfig, stackName: string): string | undefined {
  return config.state.backend === 's3' ? `${config.state.keyPrefix}/${stackName}.tfstate` : undefined;
}

/**
 * The investigations (Athena over the log archive) live in the audit account, home Region. Glue
 * database names take lower-case letters, digits and underscores only (Athena User Guide, "Name
 * databases, tables, and columns"), so the prefix's hyphens become underscores.
 */
export function investigationsDatabaseName(config: BaselineConfig): string {
  return `${config.organization.namePrefix.replace(/-/g, '_')}_investigations`;
}

export function investigationsWorkgroupName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-investigations`;
}

/** An investigation's Athena named query in that workgroup: `<prefix>-<investigation>`. */
export function investigationNamedQueryName(config: BaselineConfig, investigation: string): string {
  return `${config.organization.namePrefix}-${investigation}`;
}

/**
 * The folder of the investigations' CloudWatch Logs Insights saved queries (management account, home
 * Region): `<prefix>/investigations/`; a `/` in a query definition's name files it in a folder of the
 * console's saved queries.
 */
export function investigationQueryDefinitionPrefix(config: BaselineConfig): string {
  return `${config.organization.namePrefix}/investigations/`;
}

/** An investigation's Logs Insights saved query: `<prefix>/investigations/<investigation>`. */
export function investigationQueryDefinitionName(config: BaselineConfig, investigation: string): string {
  return `${investigationQueryDefinitionPrefix(config)}${investigation}`;
}

/** The managed policy that lets the audit account's log readers run the investigations. */
export function investigationsReaderPolicyName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-run-investigations`;
}

/**
 * Where the investigations workgroup writes its query results (audit account, home Region). The kind
 * `athena-results` is 14 characters, as long as the longest log bucket kind (`s3-server-logs`), so the
 * name fits S3's 63 for every prefix the schema accepts (20 characters) and Region.
 */
export function investigationResultsBucketName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-athena-results-${config.organization.auditAccountId}-${config.regions.home}`;
}

/**
 * The access-log bucket of a member account's sensitive buckets in one Region
 * (`sensitiveData.buckets`): `<prefix>-access-logs-<account>-<region>`. One per account and Region,
 * because S3 delivers server access logs only to a bucket of the source bucket's own Region and
 * account (S3 User Guide, "Logging requests with server access logging":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html; S3 API Reference,
 * LoggingEnabled.TargetBucket: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LoggingEnabled.html).
 * Not `s3-access-logs`: that is the first release's retired log-archive bucket, which an upgraded
 * log-archive account still holds (with Object Lock, so S3 would never deliver into it). `access-logs`
 * is shorter than `s3-server-logs`, so the name fits S3's 63 characters like the log buckets'.
 */
export function sensitiveAccessLogBucketName(config: { readonly organization: { readonly namePrefix: string } }, accountId: string, region: string): string {
  return `${config.organization.namePrefix}-access-logs-${accountId}-${region}`;
}
