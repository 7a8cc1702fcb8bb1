/**
 * The CloudTrail controls: the organization trail and what makes its logs trustworthy (multi-Region,
 * validated, encrypted, streamed to CloudWatch Logs, data events) and the member accounts' own trails. Security Hub ids: AWS Security Hub controls reference
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html).
 */
import { defineControl } from '../control-model/control';

export const ORGANIZATION_TRAIL = defineControl({
  id: 'cloudtrail.organization-trail',
  title: 'Organization trail in every Region',
  description: 'One CloudTrail organization trail, multi-Region with global service events, records every management event (read and write) of every account into the log-archive bucket.',
  tsc: ['CC7.2', 'CC2.1', 'CC8.1'],
  cis: { 'v3.0.0': '3.1', 'v1.4.0': '3.1' },
  securityHub: ['CloudTrail.1', 'CloudTrail.3'],
  awsConfigRules: ['multi-region-cloudtrail-enabled', 'cloudtrail-enabled'],
  prowler: ['cloudtrail_multi_region_enabled', 'cloudtrail_multi_region_enabled_logging_management_events'],
  evidence: {
    api: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'],
    command: 'aws cloudtrail describe-trails --trail-name-list <trail> && aws cloudtrail get-trail-status --name <trail>',
    lookFor: 'IsOrganizationTrail, IsMultiRegionTrail and IncludeGlobalServiceEvents true; the log-archive CloudTrail bucket with no S3KeyPrefix (the baseline writes none); IsLogging true; LatestDeliveryTime recent and no LatestDeliveryError.',
  },
});

export const LOG_FILE_VALIDATION = defineControl({
  id: 'cloudtrail.log-file-validation',
  title: 'Trail log file integrity validation',
  description: 'CloudTrail signs an hourly digest of the log files it delivered, so any modified or deleted log file is detectable (aws cloudtrail validate-logs).',
  tsc: ['CC7.2', 'CC2.1'],
  cis: { 'v3.0.0': '3.2', 'v1.4.0': '3.2' },
  securityHub: ['CloudTrail.4'],
  awsConfigRules: ['cloud-trail-log-file-validation-enabled'],
  prowler: ['cloudtrail_log_file_validation_enabled'],
  evidence: {
    api: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:ListPublicKeys', 's3:ListObjectsV2', 's3:GetObject', 's3:ListObjectVersions', 's3:GetBucketVersioning', 's3:GetObjectLockConfiguration'],
    command: 'aws cloudtrail validate-logs --trail-arn <trail arn> --start-time <24 hours ago>',
    lookFor: 'LogFileValidationEnabled true and a digest delivered within 24 hours; every digest of the period validly signed, every log file it lists unmodified, none missing, the chain unbroken.',
  },
});

export const TRAIL_KMS_ENCRYPTION = defineControl({
  id: 'cloudtrail.kms-encryption',
  title: 'Trail logs encrypted with a customer managed KMS key',
  description: 'Trail log files are encrypted with a KMS key of the log-archive account, whose policy lets only CloudTrail encrypt and only the named readers decrypt.',
  tsc: ['CC6.1'],
  cis: { 'v3.0.0': '3.5', 'v1.4.0': '3.7' },
  securityHub: ['CloudTrail.2'],
  awsConfigRules: ['cloud-trail-encryption-enabled'],
  prowler: ['cloudtrail_kms_encryption_enabled'],
  evidence: {
    api: ['cloudtrail:DescribeTrails', 'kms:DescribeKey'],
    command: 'aws cloudtrail describe-trails --trail-name-list <trail> --query "trailList[].KmsKeyId"',
    lookFor: "KmsKeyId is the key the log archive's CloudTrail alias (alias/<prefix>/cloudtrail) names, read with DescribeKey in the log-archive account, not any other key.",
  },
});

export const TRAIL_CLOUDWATCH_LOGS = defineControl({
  id: 'cloudtrail.cloudwatch-logs-delivery',
  title: 'Trail events streamed to CloudWatch Logs',
  description: 'The trail delivers its events to a KMS-encrypted CloudWatch Logs group, where the CIS metric filters and alarms watch them within minutes.',
  tsc: ['CC7.2'],
  cis: { 'v1.4.0': '3.4' },
  securityHub: ['CloudTrail.5'],
  awsConfigRules: ['cloud-trail-cloud-watch-logs-enabled'],
  prowler: ['cloudtrail_cloudwatch_logging_enabled'],
  evidence: {
    api: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'],
    command: 'aws cloudtrail get-trail-status --name <trail>',
    lookFor: 'CloudWatchLogsLogGroupArn is the trail log group and CloudWatchLogsRoleArn the role the baseline creates for it (<trail name>-to-cloudwatch-logs; any role with Control Tower\'s trail); LatestCloudWatchLogsDeliveryTime within 24 hours and no LatestCloudWatchLogsDeliveryError.',
  },
});

export const DATA_EVENTS = defineControl({
  id: 'cloudtrail.data-events',
  title: 'Data events for the listed S3 buckets, Lambda functions and DynamoDB tables',
  // Not CIS 3.8/3.9 nor Security Hub S3.22/S3.23, nor Prowler's cloudtrail_s3_dataevents_*: those
  // want data events of every bucket of the account (AWS Config rules cloudtrail-all-write-s3-data-event-check
  // and cloudtrail-all-read-s3-data-event-check); the baseline records the listed buckets only.
  description: 'The organization trail records object-level (data) events, read and write, for the resources the config lists (trail.dataEvents): the buckets, functions and tables that hold customer data, not every bucket.',
  tsc: ['CC7.2', 'CC6.1'],
  awsConfigRules: ['cloudtrail-s3-dataevents-enabled'],
  prowler: ['awslambda_function_invoke_api_operations_cloudtrail_logging_enabled'],
  evidence: {
    api: ['cloudtrail:GetEventSelectors'],
    command: 'aws cloudtrail get-event-selectors --trail-name <trail>',
    lookFor: 'The management selector exactly eventCategory Equals [Management] (no readOnly, eventSource or other condition; for basic selectors, ReadWriteType All and no ExcludeManagementEventSources), and an advanced event selector per data-event type with the configured resources, using only eventCategory and resources.type (Equals) and resources.ARN (Equals or StartsWith): any other field or operator (readOnly, eventName, Not*, EndsWith) fails.',
  },
});

export const NETWORK_ACTIVITY_EVENTS = defineControl({
  id: 'cloudtrail.network-activity-events',
  title: 'Network activity events for VPC endpoints (VpceAccessDenied)',
  // No CIS section, Security Hub control or Prowler check covers network activity events (read
  // 2026-12-03: Security Hub CloudTrail controls, cloudtrail-controls.html; prowler/providers/aws/services/cloudtrail/).
  description:
    'When trail.networkActivityEvents lists event sources, the organization trail records the calls to those services through the VPC endpoints of every account (CloudTrail network activity events), by default only those a VPC endpoint policy denied (errorCode VpceAccessDenied): a data-perimeter denial, such as credentials from outside the organization trying an endpoint, is logged and the vpce-access-denied investigation lists it. Off by default: billed per event.',
  tsc: ['CC7.2', 'CC6.6'],
  evidence: {
    api: ['cloudtrail:GetEventSelectors'],
    command: 'aws cloudtrail get-event-selectors --trail-name <trail>',
    lookFor:
      'For each configured event source, an advanced event selector with exactly eventCategory Equals [NetworkActivity], eventSource Equals [<source>] and, with deniedOnly (the default), errorCode Equals [VpceAccessDenied]: no other field (eventName, vpcEndpointId) or operator, and errorCode present exactly when deniedOnly.',
    notJudged:
      "That calls through the endpoints happen and are denied: the selectors say what would be logged, not what was. A service reached without a VPC endpoint (over its public endpoint, or through a NAT gateway) makes no network activity event. The VPC endpoint policies are the workload's: an endpoint policy loosened to allow everything (ec2:ModifyVpcEndpoint) denies nothing, so with deniedOnly nothing is logged, and the binder does not read endpoint policies.",
  },
});

export const ACCOUNT_TRAILS = defineControl({
  id: 'cloudtrail.account-trails',
  title: "Each member account's own trail and CIS alarms",
  description: 'Every member account (the management account aside) has its own multi-Region trail, log group and CIS alarms, because Security Hub and Prowler evaluate CIS monitoring per account against trails the account owns.',
  tsc: ['CC7.2'],
  cis: { 'v3.0.0': '3.1', 'v1.4.0': '3.1' },
  securityHub: ['CloudTrail.1'],
  prowler: ['cloudtrail_multi_region_enabled'],
  evidence: {
    api: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'kms:DescribeKey'],
    command: 'aws cloudtrail describe-trails --no-include-shadow-trails && aws cloudtrail get-event-selectors --trail-name <account trail> (in each member account)',
    lookFor: "The account trail is multi-Region with global events, validating, encrypted with the log archive's CloudTrail key, delivering to account-trails/ and to its log group with the role the baseline creates (<trail name>-to-cloudwatch-logs), its last CloudWatch Logs delivery within 24 hours and without error, and logging; its selectors record every management event, read and write (exactly eventCategory Equals [Management], as for the organization trail).",
  },
});
