/**
 * The controls of the sensitive buckets' server access logs (`sensitiveData`, docs/detection.md).
 * Security Hub: AWS Security Hub controls reference, Amazon S3 controls, [S3.9] "S3 general purpose
 * buckets should have server access logging enabled"
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-9), which evaluates every
 * bucket through the AWS Config rule s3-bucket-logging-enabled; for a sensitive bucket, its finding is
 * this control's. Prowler: s3_bucket_server_access_logging_enabled (every bucket, the same). No CIS
 * recommendation: CIS v3.0.0 3.4 (v1.4.0 3.6) asks for access logging on the CloudTrail bucket only,
 * which log-archive.access-logging covers.
 */
import { defineControl } from '../control-model/control';

export const SENSITIVE_BUCKET_ACCESS_LOGS = defineControl({
  id: 's3.sensitive-bucket-access-logs',
  title: 'Every request to a sensitive bucket is logged (S3 server access logs)',
  description:
    'Each bucket of sensitiveData.buckets logs its server access into an access-log bucket the baseline creates in its account and Region (SSE-S3, versioned, public access blocked, deletions and overwrites denied, kept retention.logArchiveDays), beside the organization trail\'s data events for the same bucket: access logs also record what object-level CloudTrail logging does not capture, S3 Lifecycle actions among them, and per request the bytes sent and the total time.',
  tsc: ['CC6.1', 'CC7.2'],
  securityHub: ['S3.9'],
  awsConfigRules: ['s3-bucket-logging-enabled'],
  prowler: ['s3_bucket_server_access_logging_enabled'],
  evidence: {
    api: ['s3:GetBucketLogging', 'config:GetComplianceDetailsByResource', 's3:GetBucketPolicy', 's3:GetBucketEncryption'],
    command: 'aws s3api get-bucket-logging --bucket <sensitive bucket>; aws configservice get-compliance-details-by-resource --resource-type AWS::S3::Bucket --resource-id <sensitive bucket>; aws s3api get-bucket-policy --bucket <access-log bucket>; aws s3api get-bucket-encryption --bucket <access-log bucket>',
    lookFor:
      "LoggingEnabled with TargetBucket <prefix>-access-logs-<account>-<region> and TargetPrefix <bucket>/; the s3-bucket-logging-enabled rule's evaluation of the bucket COMPLIANT; the access-log bucket's default encryption AES256 (SSE-S3) and its policy, evaluated, allowing logging.s3.amazonaws.com to deliver for that bucket and denying every admin of the organization the deletion and the overwrite (s3:PutObject) of log objects. Where AWS Config does not offer s3-bucket-logging-enabled (ManagedRule.unavailableIn), the logging configuration alone.",
    notJudged:
      'Whether log files actually arrive: S3 delivers access logs on a best-effort basis, usually within a few hours, and reports no delivery status. A NOT_APPLICABLE or missing evaluation of the Config rule is a FAIL, not a PASS (the rule has not judged the bucket). The sensitive bucket itself (its policy, encryption, who reads it) stays its owner\'s.',
  },
});
