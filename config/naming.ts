/**
 * Names every stack derives from the config. Stacks never reference each other: what one stack
 * creates and another uses (bucket names, trail ARNs, state keys) is computed here, once.
 */
import type { BaselineConfig, MemberAccount } from './schema';

export const PARTITION = 'aws';

export const MANAGEMENT_STACK = 'management';

export function memberStackName(accountId: string): string {
  return `member-${accountId}`;
}

/** Every stack of the org, in synth order: `management`, then one `member-<id>` per account. */
export function allStackNames(config: BaselineConfig): string[] {
  return [MANAGEMENT_STACK, ...config.members.map((m) => memberStackName(m.id))];
}

/** The Regions a member's baseline covers, home Region first. */
export function memberRegions(config: BaselineConfig, member: MemberAccount): string[] {
  const regions = member.regions ?? config.regions.governed;
  return [config.regions.home, ...regions.filter((r) => r !== config.regions.home)];
}

/** The kinds of central log bucket in the log-archive account. */
export const LOG_BUCKET_KINDS = ['cloudtrail', 'config', 'flowlogs', 's3-access-logs'] as const;
export type LogBucketKind = (typeof LOG_BUCKET_KINDS)[number];

/** `<prefix>-<kind>-<log-archive-account>-<home-region>`: globally unique, at most 63 characters. */
export function logBucketName(config: BaselineConfig, kind: LogBucketKind): string {
  return `${config.organization.namePrefix}-${kind}-${config.organization.logArchiveAccountId}-${config.regions.home}`;
}

export function s3BucketArn(bucketName: string): string {
  return `arn:${PARTITION}:s3:::${bucketName}`;
}

export function orgTrailName(config: BaselineConfig): string {
  return `${config.organization.namePrefix}-org-trail`;
}

export function orgTrailArn(config: BaselineConfig): string {
  return `arn:${PARTITION}:cloudtrail:${config.regions.home}:${config.organization.managementAccountId}:trail/${orgTrailName(config)}`;
}

export function orgTrailLogGroupName(config: BaselineConfig): string {
  return `/${config.organization.namePrefix}/cloudtrail/organization`;
}

export function kmsAliasName(config: BaselineConfig, purpose: string): string {
  return `alias/${config.organization.namePrefix}/${purpose}`;
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:${PARTITION}:iam::${accountId}:role/${roleName}`;
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
