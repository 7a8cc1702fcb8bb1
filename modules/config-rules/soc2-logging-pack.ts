/**
 * The AWS Config managed rules of the baseline: the ones the SOC 2 logging guides name, and the
 * logging and monitoring rules an auditor expects beside them (from AWS's "Operational Best Practices
 * for Logging" and "... for Monitoring" conformance packs; AWS publishes no SOC 2 pack). Each entry
 * gives the rule name and identifier exactly as AWS documents them, where it runs, and what it evidences.
 *
 * `home` rules judge global or account-level resources (IAM, the account's trails) and run in the home
 * Region only: in every Region they would report the same thing once per Region.
 */
import type { BaselineConfig } from '../../config/schema';

export interface ManagedRule {
  /** The rule name (AWS's own name for the managed rule). */
  readonly name: string;
  /** The managed rule's source identifier. */
  readonly identifier: string;
  readonly scope: 'home' | 'regional';
  /** Input parameters, from the config. */
  readonly parameters?: (config: BaselineConfig) => Record<string, string>;
  /** What it evidences: SOC 2 TSC and CIS AWS Foundations Benchmark v3.0 recommendations. */
  readonly controls: readonly string[];
}

/** The bucket names of the trail's S3 data-event ARNs (`arn:aws:s3:::bucket[/prefix]`). */
function dataEventBuckets(config: BaselineConfig): string[] {
  return [...new Set(config.trail.dataEvents.s3.map((arn) => arn.slice('arn:aws:s3:::'.length).split('/')[0]))];
}

export const SOC2_LOGGING_PACK: readonly ManagedRule[] = [
  { name: 'root-account-mfa-enabled', identifier: 'ROOT_ACCOUNT_MFA_ENABLED', scope: 'home', controls: ['CC6.1', 'CIS 1.5'] },
  { name: 'iam-root-access-key-check', identifier: 'IAM_ROOT_ACCESS_KEY_CHECK', scope: 'home', controls: ['CC6.1', 'CIS 1.4'] },
  { name: 'iam-user-mfa-enabled', identifier: 'IAM_USER_MFA_ENABLED', scope: 'home', controls: ['CC6.1', 'CIS 1.10'] },
  {
    name: 'access-keys-rotated',
    identifier: 'ACCESS_KEYS_ROTATED',
    scope: 'home',
    parameters: (c) => ({ maxAccessKeyAge: String(c.awsConfig.accessKeyMaxAgeDays) }),
    controls: ['CC6.1', 'CIS 1.14'],
  },
  { name: 'multi-region-cloudtrail-enabled', identifier: 'MULTI_REGION_CLOUD_TRAIL_ENABLED', scope: 'home', controls: ['CC7.2', 'CIS 3.1'] },
  {
    name: 'cloudtrail-s3-dataevents-enabled',
    identifier: 'CLOUDTRAIL_S3_DATAEVENTS_ENABLED',
    scope: 'home',
    // Without bucket names the rule wants data events on every bucket; the baseline logs the listed ones.
    parameters: (c): Record<string, string> =>
      c.trail.dataEvents.s3.length > 0 ? { S3BucketNames: dataEventBuckets(c).join(',') } : {},
    controls: ['CC7.2', 'CIS 3.8'],
  },
  { name: 'cloudtrail-enabled', identifier: 'CLOUD_TRAIL_ENABLED', scope: 'regional', controls: ['CC7.2'] },
  {
    name: 'cloud-trail-log-file-validation-enabled',
    identifier: 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED',
    scope: 'regional',
    controls: ['CC7.2', 'CIS 3.2'],
  },
  { name: 'cloud-trail-cloud-watch-logs-enabled', identifier: 'CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED', scope: 'regional', controls: ['CC7.2'] },
  { name: 'cloud-trail-encryption-enabled', identifier: 'CLOUD_TRAIL_ENCRYPTION_ENABLED', scope: 'regional', controls: ['CC6.1', 'CIS 3.5'] },
  { name: 'cloudwatch-log-group-encrypted', identifier: 'CLOUDWATCH_LOG_GROUP_ENCRYPTED', scope: 'regional', controls: ['CC6.1'] },
  {
    name: 'cw-loggroup-retention-period-check',
    identifier: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK',
    scope: 'regional',
    parameters: (c) => ({ MinRetentionTime: String(c.retention.cloudWatchLogsDays) }),
    controls: ['CC7.2', 'A1.2'],
  },
  { name: 's3-bucket-logging-enabled', identifier: 'S3_BUCKET_LOGGING_ENABLED', scope: 'regional', controls: ['CC7.2'] },
  {
    name: 'vpc-flow-logs-enabled',
    identifier: 'VPC_FLOW_LOGS_ENABLED',
    scope: 'regional',
    parameters: () => ({ trafficType: 'ALL' }),
    controls: ['CC7.2', 'CIS 3.7'],
  },
  {
    name: 'guardduty-enabled-centralized',
    identifier: 'GUARDDUTY_ENABLED_CENTRALIZED',
    scope: 'regional',
    parameters: (c) => ({ CentralMonitoringAccount: c.organization.auditAccountId }),
    controls: ['CC7.2'],
  },
  { name: 'securityhub-enabled', identifier: 'SECURITYHUB_ENABLED', scope: 'regional', controls: ['CC7.2', 'CC4.1'] },
  {
    name: 'cloudwatch-alarm-action-check',
    identifier: 'CLOUDWATCH_ALARM_ACTION_CHECK',
    scope: 'regional',
    // The CIS alarms act on ALARM only; the rule's default would also demand INSUFFICIENT_DATA actions.
    parameters: () => ({ alarmActionRequired: 'true', insufficientDataActionRequired: 'false', okActionRequired: 'false' }),
    controls: ['CC7.2', 'CC7.3'],
  },
];

export const BASELINE_CONFIG_RULE_NAMES: readonly string[] = SOC2_LOGGING_PACK.map((r) => r.name);
