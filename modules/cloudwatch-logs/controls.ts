/**
 * The CloudWatch Logs controls of every log group the baseline creates (the trails' and, with that
 * destination, the flow logs'): retention and encryption.
 */
import { defineControl } from '../control-model/control';

export const LOG_GROUP_RETENTION = defineControl({
  id: 'cloudwatch-logs.retention',
  title: 'Log groups keep events for the retention period',
  description: "The trails' (and, with that destination, the flow logs') CloudWatch Logs groups keep events retention.cloudWatchLogsDays days, at least 90. Security Hub CloudWatch.16 passes at 365 days or more only.",
  tsc: ['A1.2', 'CC7.2'],
  securityHub: ['CloudWatch.16'],
  awsConfigRules: ['cw-loggroup-retention-period-check'],
  prowler: ['cloudwatch_log_group_retention_policy_specific_days_enabled'],
  evidence: {
    api: ['logs:DescribeLogGroups'],
    command: 'aws logs describe-log-groups --log-group-name-prefix <log group>',
    lookFor: 'retentionInDays at least the configured retention.',
  },
});

export const LOG_GROUP_ENCRYPTION = defineControl({
  id: 'cloudwatch-logs.encryption',
  title: 'Log groups encrypted with a KMS key',
  description: "The baseline's log groups are encrypted with a KMS key whose policy admits CloudWatch Logs for that log group only (kms:EncryptionContext:aws:logs:arn).",
  tsc: ['CC6.1'],
  awsConfigRules: ['cloudwatch-log-group-encrypted'],
  prowler: ['cloudwatch_log_group_kms_encryption_enabled'],
  evidence: {
    api: ['logs:DescribeLogGroups'],
    command: 'aws logs describe-log-groups --log-group-name-prefix <log group>',
    lookFor: 'kmsKeyId set on each baseline log group.',
    notJudged: 'Whether the key kmsKeyId names exists and is enabled is not read (a deleted key leaves the group unreadable): the CIS kms-key-disable-or-deletion alarm fires on DisableKey and ScheduleKeyDeletion.',
  },
});
