/**
 * S3 server access logging for the sensitive buckets of one account and Region (`sensitiveData.buckets`):
 * an access-log bucket in that account and Region, and a logging configuration on each sensitive bucket
 * delivering into it. The buckets are not the baseline's (their owner creates them); the baseline owns
 * their `aws_s3_bucket_logging` only, so the owner's IaC must not manage one too (docs/detection.md).
 *
 * S3's rules for the target (S3 User Guide, "Enabling Amazon S3 server access logging":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html): same account
 * and Region as the source bucket, SSE-S3 default encryption (not SSE-KMS), no Object Lock default
 * retention, no Requester Pays; with ACLs disabled (BucketOwnerEnforced) the delivery is granted by
 * bucket policy to `logging.s3.amazonaws.com`, scoped with aws:SourceArn and aws:SourceAccount (S3 User
 * Guide, "Permissions for log delivery":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general).
 * Without Object Lock, the policy denies every principal but AWS services the deletion and the
 * overwrite (s3:PutObject) of log objects (`denyLogDeletionStatement`, `denyLogOverwriteStatement`).
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Construct } from 'constructs';
import { s3BucketArn } from '../../config/naming';
import { MIN_LOG_RETENTION_DAYS } from '../../config/schema';
import { controlRecorder } from '../control-model/record';
import { denyArchiveTamperingStatement } from '../guardrails/resource-policy-denials';
import { policyDocument, type PolicyStatement } from '../iam/policy-document';
import { denyLogDeletionStatement, denyLogOverwriteStatement, tlsOnlyStatements } from '../log-archive/log-archive-bucket';
import { NONCURRENT_VERSION_DAYS } from '../log-archive/retention';
import { SENSITIVE_BUCKET_ACCESS_LOGS } from './controls';
import { privateBucket } from './private-bucket';

export interface SensitiveBucketAccessLogsProps {
  /** Provider of the account that owns the sensitive buckets. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  /** The Region of the sensitive buckets and of the access-log bucket. */
  readonly region: string;
  /** The access-log bucket's name (`sensitiveAccessLogBucketName`). */
  readonly bucketName: string;
  /** The sensitive buckets of this account and Region, by name: at least one. */
  readonly sourceBuckets: readonly string[];
  /** Days a log object is kept before it expires. At least MIN_LOG_RETENTION_DAYS. */
  readonly retentionDays: number;
  /**
   * Roles (of any account of the organization) allowed to read the access logs, besides the account's
   * own IAM principals.
   * @default - none
   */
  readonly readerRoleArns?: readonly string[];
  /**
   * `aws:PrincipalArn` patterns of the only principals that may change the access-log bucket's policy,
   * lifecycle, versioning, logging, encryption, public access block or ownership, or delete it
   * (`denyArchiveTamperingStatement`).
   * @default - none: no such denial (guardrails off)
   */
  readonly tamperExemptPrincipalArns?: readonly string[];
}

export class SensitiveBucketAccessLogs extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;
  readonly bucketName: string;
  /** Source bucket name → its logging configuration. */
  readonly logging: ReadonlyMap<string, S3BucketLoggingA>;

  constructor(scope: Construct, id: string, props: SensitiveBucketAccessLogsProps) {
    super(scope, id);
    if (props.sourceBuckets.length === 0) throw new Error(`SensitiveBucketAccessLogs ${id}: sourceBuckets must name at least one bucket`);
    if (props.retentionDays < MIN_LOG_RETENTION_DAYS) {
      throw new Error(`SensitiveBucketAccessLogs ${id}: retentionDays must be at least ${MIN_LOG_RETENTION_DAYS} (got ${props.retentionDays})`);
    }
    const common = { provider: props.provider, region: props.region };
    this.bucketName = props.bucketName;
    const arn = s3BucketArn(props.bucketName);

    const { bucket, publicAccessBlock, versioning, encryption } = privateBucket(this, {
      ...common,
      bucketName: props.bucketName,
      // SSE-S3 and no Object Lock: S3 delivers access logs into nothing else (see the file comment).
      objectLockEnabled: false,
      preventDestroy: true,
    });
    this.bucket = bucket;

    // No transition to a colder class: access log objects are small, and Glacier Instant Retrieval
    // bills each object as at least 128 KB (https://aws.amazon.com/s3/pricing/).
    const lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      ...common,
      bucket: bucket.id,
      rule: [
        {
          id: 'log-retention',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_VERSION_DAYS }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [versioning],
    });

    const readers = props.readerRoleArns ?? [];
    const statements: PolicyStatement[] = [
      {
        // S3 User Guide, "Permissions for log delivery": the logging service principal, scoped by the
        // source buckets (aws:SourceArn) and their account (aws:SourceAccount).
        Sid: 'S3ServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': props.sourceBuckets.map(s3BucketArn) },
          StringEquals: { 'aws:SourceAccount': props.accountId },
        },
      },
      ...(readers.length
        ? [
            {
              Sid: 'AccessLogReadersRead',
              Effect: 'Allow' as const,
              Principal: { AWS: [...readers] },
              Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'],
              Resource: [arn, `${arn}/*`],
            },
          ]
        : []),
      denyLogDeletionStatement(arn),
      denyLogOverwriteStatement(arn),
      ...(props.tamperExemptPrincipalArns?.length ? [denyArchiveTamperingStatement(arn, props.tamperExemptPrincipalArns)] : []),
      ...tlsOnlyStatements(arn),
    ];
    this.policy = new S3BucketPolicy(this, 'policy', {
      ...common,
      bucket: bucket.id,
      policy: policyDocument(statements),
      // A policy applied before the public access block could be judged public and refused.
      dependsOn: [publicAccessBlock],
    });

    const logging = new Map<string, S3BucketLoggingA>();
    for (const source of props.sourceBuckets) {
      logging.set(
        source,
        new S3BucketLoggingA(this, `logging-${source}`, {
          ...common,
          bucket: source,
          // The provider refuses (PutBucketLogging's ExpectedBucketOwner) a bucket of another account.
          expectedBucketOwner: props.accountId,
          targetBucket: props.bucketName,
          targetPrefix: `${source}/`,
          // Keys `<prefix><account>/<region>/<bucket>/<yyyy>/<mm>/<dd>/...`, dated by the day of the
          // request (EventTime), not of delivery (S3 API Reference, PartitionedPrefix:
          // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PartitionedPrefix.html).
          targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
          // S3 refuses logging into a target that does not exist yet or does not let it write.
          dependsOn: [bucket, this.policy],
        }),
      );
    }
    this.logging = logging;

    const record = controlRecorder(this, props.accountId, props.region);
    record(SENSITIVE_BUCKET_ACCESS_LOGS, ...logging.values(), this.policy, encryption, lifecycle);
  }
}
