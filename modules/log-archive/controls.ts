/**
 * The log-archive controls: what makes the central buckets an immutable, private, encrypted archive.
 * Security Hub ids: AWS Security Hub controls reference, Amazon S3 controls
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html).
 */
import { defineControl } from '../control-model/control';

const BUCKET_EVIDENCE_COMMAND = 'aws s3api get-bucket-versioning --bucket <bucket>';

export const BUCKET_VERSIONING = defineControl({
  id: 'log-archive.versioning',
  title: 'Log buckets keep every object version',
  description: 'Versioning is on for every log-archive bucket, so an overwritten or deleted log file is kept as a noncurrent version.',
  tsc: ['CC6.1', 'A1.2'],
  securityHub: ['S3.14'],
  prowler: ['s3_bucket_object_versioning'],
  evidence: {
    api: ['s3:GetBucketVersioning'],
    command: BUCKET_EVIDENCE_COMMAND,
    lookFor: 'Status "Enabled" on every log-archive bucket.',
  },
});

export const BUCKET_OBJECT_LOCK = defineControl({
  id: 'log-archive.object-lock',
  title: 'Log files are immutable for the retention period (Object Lock)',
  description: 'The buckets services deliver logs to have Object Lock with a default retention of retention.logArchiveDays, so no one can delete or overwrite a log file before it expires. (The S3 server access log bucket cannot have Object Lock: S3 does not deliver there.)',
  tsc: ['CC6.1', 'CC7.2', 'A1.2'],
  securityHub: ['S3.15'],
  prowler: ['s3_bucket_object_lock'],
  evidence: {
    api: ['s3:GetObjectLockConfiguration', 's3:GetBucketPolicy'],
    command: 'aws s3api get-object-lock-configuration --bucket <bucket>',
    lookFor: 'ObjectLockEnabled "Enabled" with a DefaultRetention of the configured mode and days; for the Config and access-log buckets, a policy that, evaluated for every admin of the organization in every context, denies s3:DeleteObject and s3:DeleteObjectVersion.',
    notJudged: "An overwrite in the Config and access-log buckets: their services refuse Object Lock, the policy does not deny s3:PutObject (the services deliver with it), and versioning keeps the previous version for 30 days; the evidence cannot tell an admin's overwrite from a delivery (the CIS s3-bucket-policy-changes alarm and the break-glass alarm watch who could). The bucket owner's root user can always rewrite the policy; the binder judges the policy in force when it is collected.",
  },
});

export const BUCKET_PUBLIC_ACCESS_BLOCK = defineControl({
  id: 'log-archive.public-access-block',
  title: 'Log buckets block all public access',
  description: 'All four S3 Block Public Access settings are on for every log-archive bucket, and ACLs are disabled (BucketOwnerEnforced).',
  tsc: ['CC6.1', 'CC6.6'],
  cis: { 'v1.4.0': '3.3' },
  securityHub: ['S3.8', 'CloudTrail.6'],
  prowler: ['s3_bucket_public_access', 's3_bucket_level_public_access_block', 'cloudtrail_logs_s3_bucket_is_not_publicly_accessible'],
  evidence: {
    api: ['s3:GetPublicAccessBlock'],
    command: 'aws s3api get-public-access-block --bucket <bucket>',
    lookFor: 'BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets all true.',
  },
});

export const BUCKET_TLS_ONLY = defineControl({
  id: 'log-archive.tls-only',
  title: 'Log buckets refuse requests without TLS',
  description: 'Each bucket policy denies every request with aws:SecureTransport false, and every deletion of a log object.',
  tsc: ['CC6.1', 'CC6.7'],
  securityHub: ['S3.5'],
  prowler: ['s3_bucket_secure_transport_policy'],
  evidence: {
    api: ['s3:GetBucketPolicy'],
    command: 'aws s3api get-bucket-policy --bucket <bucket>',
    lookFor: 'A policy that, evaluated for every admin of the organization in every context, denies each request without TLS (aws:SecureTransport false) and each request with TLS older than 1.2.',
    notJudged: 'Changes between two collections: the policy is judged as it is at collection time (the CIS s3-bucket-policy-changes alarm fires on every PutBucketPolicy in between).',
  },
});

export const BUCKET_ENCRYPTION = defineControl({
  id: 'log-archive.encryption',
  title: 'Log buckets encrypt with their own KMS key',
  description: 'Every bucket that services deliver logs to encrypts by default with a customer managed KMS key of the log-archive account (S3 Bucket Keys on); the access-log bucket uses SSE-S3, the only encryption S3 server access logging supports.',
  tsc: ['CC6.1', 'CC6.7'],
  securityHub: ['S3.17'],
  prowler: ['s3_bucket_default_encryption', 's3_bucket_kms_encryption'],
  evidence: {
    api: ['s3:GetBucketEncryption', 'kms:DescribeKey'],
    command: 'aws s3api get-bucket-encryption --bucket <bucket>',
    lookFor: "SSEAlgorithm \"aws:kms\" with the key the bucket's alias (alias/<prefix>/<bucket kind>) names in the log-archive account; AES256 for the access-log bucket.",
  },
});

export const BUCKET_ACCESS_LOGGING = defineControl({
  id: 'log-archive.access-logging',
  title: 'Every access to the log buckets is logged',
  description: 'S3 server access logging of every log-archive bucket (the CloudTrail bucket included) into the dedicated access-log bucket.',
  tsc: ['CC7.2'],
  cis: { 'v3.0.0': '3.4', 'v1.4.0': '3.6' },
  securityHub: ['CloudTrail.7', 'S3.9'],
  awsConfigRules: ['s3-bucket-logging-enabled'],
  prowler: ['cloudtrail_logs_s3_bucket_access_logging_enabled', 's3_bucket_server_access_logging_enabled'],
  evidence: {
    api: ['s3:GetBucketLogging'],
    command: 'aws s3api get-bucket-logging --bucket <bucket>',
    lookFor: 'LoggingEnabled with the access-log bucket as TargetBucket.',
  },
});

export const BUCKET_RETENTION = defineControl({
  id: 'log-archive.retention',
  title: 'Logs are kept for the retention period, then expire',
  description: 'A lifecycle rule moves log files to Glacier Instant Retrieval after transitionToColdStorageDays and expires them after retention.logArchiveDays (at least 90), matching the Object Lock retention.',
  tsc: ['A1.2', 'CC7.2'],
  evidence: {
    api: ['s3:GetBucketLifecycleConfiguration'],
    command: 'aws s3api get-bucket-lifecycle-configuration --bucket <bucket>',
    lookFor: 'An enabled rule expiring objects after retention.logArchiveDays; no enabled rule, whatever its filter, expiring objects sooner or on a date, nor deleting overwritten versions sooner than the baseline does (30 days).',
  },
});
