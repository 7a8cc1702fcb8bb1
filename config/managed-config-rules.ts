/**
 * The AWS Config managed rules of the baseline: the ones the SOC 2 logging guides name, and the
 * logging and monitoring rules an auditor expects beside them (from AWS's "Operational Best Practices
 * for Logging" and "... for Monitoring" conformance packs; AWS publishes no SOC 2 pack). Each entry
 * gives the rule name and identifier exactly as AWS documents them
 * (https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html), where it
 * runs, and what it evidences: each rule is a control of the matrix (`config-rule.<name>`).
 *
 * It lives in config/ because the config names these rules (`awsConfig.disabledRules`); the construct
 * that deploys them is modules/config-rules/config-rules.ts.
 *
 * `home` rules judge global or account-level resources (IAM, the account's trails) and run in the home
 * Region only: in every Region they would report the same thing once per Region.
 */
/**
 * What the rules' parameters read of the config. Narrow on purpose, so this file depends on nothing
 * of `schema.ts` (which imports it).
 */
import { s3DataEventArns } from './sensitive-data';

export interface ManagedRuleInput {
  readonly awsConfig: { readonly accessKeyMaxAgeDays: number };
  readonly trail: { readonly dataEvents: { readonly s3: readonly string[] } };
  readonly sensitiveData: { readonly buckets: readonly { readonly name: string }[] };
  readonly retention: { readonly cloudWatchLogsDays: number };
  readonly organization: { readonly auditAccountId: string };
}

export interface ManagedRule {
  /** The rule name (AWS's own name for the managed rule). */
  readonly name: string;
  /** The managed rule's source identifier. */
  readonly identifier: string;
  readonly scope: 'home' | 'regional';
  /** Input parameters, from the config. @default - none */
  readonly parameters?: (config: ManagedRuleInput) => Record<string, string>;
  /** What it checks, in a few words (its description in AWS Config and in the matrix). */
  readonly checks: string;
  /** SOC 2 Trust Services Criteria it evidences (the rule's compliance is CC4.1 monitoring evidence). */
  readonly tsc: readonly ('CC4.1' | 'CC6.1' | 'CC6.6' | 'CC7.1' | 'CC7.2' | 'CC7.3' | 'A1.2')[];
  /** CIS AWS Foundations Benchmark v3.0.0 section, and v1.4.0's where it differs. @default - none */
  readonly cis?: { readonly 'v3.0.0'?: string; readonly 'v1.4.0'?: string };
  /** Security Hub controls that evaluate the same thing. @default - none */
  readonly securityHub?: readonly string[];
  /** Prowler checks that evaluate the same thing. @default - none */
  readonly prowler?: readonly string[];
  /**
   * Regions where AWS Config does not offer the managed rule (its page's "AWS Region" line): a regional
   * rule is not deployed there, and the evidence does not expect it there.
   * @default - offered in every Region the baseline knows
   */
  readonly unavailableIn?: readonly string[];
  /**
   * What the rule only checks and the owner of the evaluated resources must do, for the control matrix
   * (the baseline evaluates; it does not configure workloads it does not own).
   * @default - nothing left to the resource owner
   */
  readonly ownerResponsibility?: string;
}

/**
 * The Regions a rule runs in: the home Region for `home` rules, else the member's Regions; either way
 * only where AWS Config offers it (a home rule whose home Region lacks it runs nowhere, and the control
 * matrix says where it is not offered).
 */
export function ruleRegions(rule: Pick<ManagedRule, 'scope' | 'unavailableIn'>, home: string, memberRegions: readonly string[]): string[] {
  return (rule.scope === 'home' ? [home] : memberRegions).filter((r) => !rule.unavailableIn?.includes(r));
}

/** What stays the database owner's for the RDS audit-logging rules (seed 002: database activity is logged by the database). */
const RDS_OWNER =
  "The database owner's: turning on the engine's audit logging (pgaudit for PostgreSQL, the MariaDB audit plugin option for MySQL and MariaDB, server_audit_logging in the Aurora MySQL cluster parameter group) and exporting the logs to CloudWatch Logs (enabled_cloudwatch_logs_exports); the exported log groups are then judged by cloudwatch-log-group-encrypted and cw-loggroup-retention-period-check. Database Activity Streams, if required, are the owner's too. GuardDuty RDS Protection (securityServices.guardDuty.protection.rdsLoginEvents) watches Aurora and RDS logins without them. A COMPLIANT result means the export (or the audit switch) is configured, not that the audit is complete: what the parameter group audits (server_audit_events, server_audit_excl_users, pgaudit.log) and keeping the exported log groups (/aws/rds/...) are the owner's, and the baseline's guardrails do not protect them.";

/** The bucket names of the trail's S3 data-event ARNs (`arn:aws:s3:::bucket[/prefix]`). */
function dataEventBuckets(config: ManagedRuleInput): string[] {
  return [...new Set(s3DataEventArns(config).map((arn) => arn.slice('arn:aws:s3:::'.length).split('/')[0]))];
}

export const SOC2_LOGGING_PACK: readonly ManagedRule[] = [
  {
    name: 'root-account-mfa-enabled',
    identifier: 'ROOT_ACCOUNT_MFA_ENABLED',
    scope: 'home',
    checks: 'The root user has MFA enabled',
    tsc: ['CC4.1', 'CC6.1'],
    cis: { 'v3.0.0': '1.5', 'v1.4.0': '1.5' },
    securityHub: ['IAM.9'],
    prowler: ['iam_root_mfa_enabled'],
    // Not offered in me-central-1, il-central-1, ca-west-1: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/root-account-mfa-enabled.html (the line was read cut off after Canada West (Calgary): the list may be longer).
    unavailableIn: ['me-central-1', 'il-central-1', 'ca-west-1'],
  },
  {
    name: 'iam-root-access-key-check',
    identifier: 'IAM_ROOT_ACCESS_KEY_CHECK',
    scope: 'home',
    checks: 'The root user has no access key',
    tsc: ['CC4.1', 'CC6.1'],
    cis: { 'v3.0.0': '1.4', 'v1.4.0': '1.4' },
    securityHub: ['IAM.4'],
    prowler: ['iam_no_root_access_key'],
    // Not offered in ap-southeast-7, me-central-1, ap-southeast-5, mx-central-1, il-central-1, ap-east-2, ca-west-1, eu-south-2, eu-central-2: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/iam-root-access-key-check.html.
    unavailableIn: ['ap-southeast-7', 'me-central-1', 'ap-southeast-5', 'mx-central-1', 'il-central-1', 'ap-east-2', 'ca-west-1', 'eu-south-2', 'eu-central-2'],
  },
  {
    name: 'iam-user-mfa-enabled',
    identifier: 'IAM_USER_MFA_ENABLED',
    scope: 'home',
    checks: 'Every IAM user has MFA enabled',
    // CIS 1.10 is console-password users (Security Hub IAM.5, rule mfa-enabled-for-iam-console-access);
    // this rule is every IAM user (IAM.19), which CIS does not map.
    tsc: ['CC4.1', 'CC6.1'],
    securityHub: ['IAM.19'],
    // Not offered in ap-southeast-6, ap-southeast-7, me-central-1, ap-south-2, ap-southeast-5, ap-southeast-4, mx-central-1, il-central-1, ap-east-2, ca-west-1, eu-south-2, eu-central-2: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/iam-user-mfa-enabled.html.
    unavailableIn: ['ap-southeast-6', 'ap-southeast-7', 'me-central-1', 'ap-south-2', 'ap-southeast-5', 'ap-southeast-4', 'mx-central-1', 'il-central-1', 'ap-east-2', 'ca-west-1', 'eu-south-2', 'eu-central-2'],
  },
  {
    name: 'access-keys-rotated',
    identifier: 'ACCESS_KEYS_ROTATED',
    scope: 'home',
    parameters: (c) => ({ maxAccessKeyAge: String(c.awsConfig.accessKeyMaxAgeDays) }),
    checks: 'Active access keys are rotated within maxAccessKeyAge days',
    tsc: ['CC4.1', 'CC6.1'],
    cis: { 'v3.0.0': '1.14', 'v1.4.0': '1.14' },
    securityHub: ['IAM.3'],
    prowler: ['iam_rotate_access_key_90_days'],
    // Not offered in ap-southeast-7, me-central-1, ap-south-2, ap-southeast-5, ap-southeast-4, mx-central-1, il-central-1, ap-east-2, ca-west-1, eu-south-2, eu-central-2: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/access-keys-rotated.html.
    unavailableIn: ['ap-southeast-7', 'me-central-1', 'ap-south-2', 'ap-southeast-5', 'ap-southeast-4', 'mx-central-1', 'il-central-1', 'ap-east-2', 'ca-west-1', 'eu-south-2', 'eu-central-2'],
  },
  {
    name: 'multi-region-cloudtrail-enabled',
    identifier: 'MULTI_REGION_CLOUD_TRAIL_ENABLED',
    scope: 'home',
    checks: 'At least one multi-Region trail logs management events',
    tsc: ['CC4.1', 'CC7.2'],
    cis: { 'v3.0.0': '3.1', 'v1.4.0': '3.1' },
    securityHub: ['CloudTrail.1'],
    prowler: ['cloudtrail_multi_region_enabled'],
    // Not offered in me-central-1: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/multi-region-cloud-trail-enabled.html.
    unavailableIn: ['me-central-1'],
  },
  {
    name: 'cloudtrail-s3-dataevents-enabled',
    identifier: 'CLOUDTRAIL_S3_DATAEVENTS_ENABLED',
    scope: 'home',
    // Without bucket names the rule wants data events on every bucket; the baseline logs the listed ones.
    parameters: (c): Record<string, string> =>
      s3DataEventArns(c).length > 0 ? { S3BucketNames: dataEventBuckets(c).join(',') } : {},
    checks: 'A trail records S3 data events (for the listed buckets)',
    // Not CIS 3.8/3.9, Security Hub S3.22/S3.23 or Prowler's cloudtrail_s3_dataevents_*: they want
    // every bucket's data events; with S3BucketNames this rule checks the listed buckets.
    tsc: ['CC4.1', 'CC7.2'],
    // Not offered in ap-east-2: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/cloudtrail-s3-dataevents-enabled.html.
    unavailableIn: ['ap-east-2'],
  },
  {
    name: 'cloudtrail-enabled',
    identifier: 'CLOUD_TRAIL_ENABLED',
    scope: 'regional',
    checks: 'A trail is enabled in the account',
    tsc: ['CC4.1', 'CC7.2'],
    securityHub: ['CloudTrail.3'],
    prowler: ['cloudtrail_multi_region_enabled'],
  },
  {
    name: 'cloud-trail-log-file-validation-enabled',
    identifier: 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED',
    scope: 'regional',
    checks: 'Trails sign digest files (log file validation)',
    tsc: ['CC4.1', 'CC7.2'],
    cis: { 'v3.0.0': '3.2', 'v1.4.0': '3.2' },
    securityHub: ['CloudTrail.4'],
    prowler: ['cloudtrail_log_file_validation_enabled'],
  },
  {
    name: 'cloud-trail-cloud-watch-logs-enabled',
    identifier: 'CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED',
    scope: 'regional',
    checks: 'Trails deliver to CloudWatch Logs',
    tsc: ['CC4.1', 'CC7.2'],
    cis: { 'v1.4.0': '3.4' },
    securityHub: ['CloudTrail.5'],
    prowler: ['cloudtrail_cloudwatch_logging_enabled'],
  },
  {
    name: 'cloud-trail-encryption-enabled',
    identifier: 'CLOUD_TRAIL_ENCRYPTION_ENABLED',
    scope: 'regional',
    checks: 'Trails encrypt log files with a KMS key',
    tsc: ['CC4.1', 'CC6.1'],
    cis: { 'v3.0.0': '3.5', 'v1.4.0': '3.7' },
    securityHub: ['CloudTrail.2'],
    prowler: ['cloudtrail_kms_encryption_enabled'],
  },
  {
    name: 'cloudwatch-log-group-encrypted',
    identifier: 'CLOUDWATCH_LOG_GROUP_ENCRYPTED',
    scope: 'regional',
    checks: 'Log groups are encrypted with a KMS key',
    tsc: ['CC4.1', 'CC6.1'],
    prowler: ['cloudwatch_log_group_kms_encryption_enabled'],
    // Not offered in me-central-1, ap-east-2: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/cloudwatch-log-group-encrypted.html (the newer translated pages; the English copy read says every Region).
    unavailableIn: ['me-central-1', 'ap-east-2'],
  },
  {
    name: 'cw-loggroup-retention-period-check',
    identifier: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK',
    scope: 'regional',
    parameters: (c) => ({ MinRetentionTime: String(c.retention.cloudWatchLogsDays) }),
    checks: 'Log groups keep events at least MinRetentionTime days',
    tsc: ['CC4.1', 'CC7.2', 'A1.2'],
    securityHub: ['CloudWatch.16'],
    prowler: ['cloudwatch_log_group_retention_policy_specific_days_enabled'],
    // Not offered in me-central-1: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html.
    unavailableIn: ['me-central-1'],
  },
  {
    name: 's3-bucket-logging-enabled',
    identifier: 'S3_BUCKET_LOGGING_ENABLED',
    scope: 'regional',
    checks: 'Buckets have server access logging',
    tsc: ['CC4.1', 'CC7.2'],
    cis: { 'v3.0.0': '3.4', 'v1.4.0': '3.6' },
    securityHub: ['S3.9'],
    prowler: ['s3_bucket_server_access_logging_enabled'],
    // Not offered in ap-southeast-7, mx-central-1, ap-east-2: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-logging-enabled.html.
    unavailableIn: ['ap-southeast-7', 'mx-central-1', 'ap-east-2'],
  },
  {
    // https://docs.aws.amazon.com/config/latest/developerguide/rds-logging-enabled.html: resource type
    // AWS::RDS::DBInstance, all supported Regions; Security Hub RDS.9
    // (https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html).
    name: 'rds-logging-enabled',
    identifier: 'RDS_LOGGING_ENABLED',
    scope: 'regional',
    checks: "RDS DB instances export their engine's logs",
    tsc: ['CC4.1', 'CC7.2'],
    securityHub: ['RDS.9'],
    // Not Prowler's rds_instance_integration_cloudwatch_logs (Prowler's SOC 2 framework, cc_7_2): it
    // passes when the database exports its logs, which is the owner's doing; the rule only reports it.
    ownerResponsibility: RDS_OWNER,
  },
  {
    // https://docs.aws.amazon.com/config/latest/developerguide/rds-aurora-mysql-audit-logging-enabled.html:
    // AWS::RDS::DBCluster; not offered in Asia Pacific (Thailand, Malaysia, Taipei), Mexico (Central) and
    // Canada West (Calgary) (nor China and GovCloud, outside the baseline's partition). Security Hub RDS.34
    // (rds-controls.html).
    name: 'rds-aurora-mysql-audit-logging-enabled',
    identifier: 'RDS_AURORA_MYSQL_AUDIT_LOGGING_ENABLED',
    scope: 'regional',
    checks: 'Aurora MySQL clusters publish audit logs to CloudWatch Logs',
    tsc: ['CC4.1', 'CC7.2'],
    securityHub: ['RDS.34'],
    unavailableIn: ['ap-southeast-7', 'ap-southeast-5', 'ap-east-2', 'mx-central-1', 'ca-west-1'],
    ownerResponsibility: RDS_OWNER,
  },
  {
    // https://docs.aws.amazon.com/config/latest/developerguide/aurora-mysql-cluster-audit-logging.html:
    // AWS::RDS::DBCluster, periodic; not offered in Asia Pacific (New Zealand, Thailand, Malaysia, Taipei)
    // and Mexico (Central). Whether audit logging is on, where the rule above checks that it is published.
    name: 'aurora-mysql-cluster-audit-logging',
    identifier: 'AURORA_MYSQL_CLUSTER_AUDIT_LOGGING',
    scope: 'regional',
    checks: 'Aurora MySQL clusters have audit logging enabled',
    tsc: ['CC4.1', 'CC7.2'],
    unavailableIn: ['ap-southeast-6', 'ap-southeast-7', 'ap-southeast-5', 'ap-east-2', 'mx-central-1'],
    ownerResponsibility: RDS_OWNER,
  },
  {
    name: 'vpc-flow-logs-enabled',
    identifier: 'VPC_FLOW_LOGS_ENABLED',
    scope: 'regional',
    parameters: () => ({ trafficType: 'ALL' }),
    checks: 'Every VPC has a flow log of ALL traffic',
    tsc: ['CC4.1', 'CC7.2'],
    cis: { 'v3.0.0': '3.7', 'v1.4.0': '3.9' },
    securityHub: ['EC2.6'],
    prowler: ['vpc_flow_logs_enabled'],
  },
  {
    name: 'guardduty-enabled-centralized',
    identifier: 'GUARDDUTY_ENABLED_CENTRALIZED',
    scope: 'regional',
    parameters: (c) => ({ CentralMonitoringAccount: c.organization.auditAccountId }),
    checks: 'GuardDuty is on and managed by the audit account',
    tsc: ['CC4.1', 'CC7.2'],
    securityHub: ['GuardDuty.1'],
    prowler: ['guardduty_is_enabled', 'guardduty_centrally_managed'],
    // Not offered in ap-southeast-6, ap-southeast-7, mx-central-1, ap-east-2: the "AWS Region" line of https://docs.aws.amazon.com/config/latest/developerguide/guardduty-enabled-centralized.html.
    unavailableIn: ['ap-southeast-6', 'ap-southeast-7', 'mx-central-1', 'ap-east-2'],
  },
  {
    name: 'securityhub-enabled',
    identifier: 'SECURITYHUB_ENABLED',
    scope: 'regional',
    checks: 'Security Hub is on',
    tsc: ['CC4.1', 'CC7.2'],
    cis: { 'v3.0.0': '4.16' },
    prowler: ['securityhub_enabled'],
  },
  {
    name: 'cloudwatch-alarm-action-check',
    identifier: 'CLOUDWATCH_ALARM_ACTION_CHECK',
    scope: 'regional',
    // The CIS alarms act on ALARM only; the rule's default would also demand INSUFFICIENT_DATA actions.
    parameters: () => ({ alarmActionRequired: 'true', insufficientDataActionRequired: 'false', okActionRequired: 'false' }),
    checks: 'Alarms have an action for the ALARM state',
    tsc: ['CC4.1', 'CC7.2', 'CC7.3'],
    securityHub: ['CloudWatch.15'],
    prowler: ['cloudwatch_alarm_actions_alarm_state_configured'],
  },
];

export const BASELINE_CONFIG_RULE_NAMES: readonly string[] = SOC2_LOGGING_PACK.map((r) => r.name);
