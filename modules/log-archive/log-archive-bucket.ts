/**
 * A central log bucket hardened the way SOC 2 auditors and scanners check it: no public access,
 * owner-enforced objects, versioning, Object Lock, default encryption, TLS-only, server access
 * logging, lifecycle to cold storage and expiry, and `prevent_destroy`.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { controlRecorder } from '../control-model/record';
import { privateBucket } from '../s3/private-bucket';
import {
  BUCKET_ACCESS_LOGGING,
  BUCKET_ENCRYPTION,
  BUCKET_OBJECT_LOCK,
  BUCKET_PUBLIC_ACCESS_BLOCK,
  BUCKET_RETENTION,
  BUCKET_TLS_ONLY,
  BUCKET_VERSIONING,
} from './controls';
import { Construct } from 'constructs';
import { s3BucketArn } from '../../config/naming';
import { MIN_LOG_RETENTION_DAYS } from '../../config/schema';
import { NONCURRENT_VERSION_DAYS } from './retention';
import { denyArchiveTamperingStatement } from '../guardrails/resource-policy-denials';
import { policyDocument, type PolicyStatement } from '../iam/policy-document';

export interface LogArchiveBucketProps {
  readonly provider: AwsProvider;
  /** The account that owns the bucket (the log-archive account). */
  readonly accountId: string;
  readonly region: string;
  readonly bucketName: string;
  /**
   * Customer-managed KMS key (ARN) for default encryption, with S3 bucket keys.
   * @default - SSE-S3, which S3 requires of server access log targets; use it for nothing else
   */
  readonly kmsKeyArn?: string;
  /**
   * The bucket that receives this bucket's server access logs (logging waits for it and its policy).
   * @default - none: only for the access-log bucket itself
   */
  readonly accessLogTarget?: LogArchiveBucket;
  /** Days every object is kept: Object Lock default retention and expiry. At least 90. */
  readonly retentionDays: number;
  /** Object Lock mode for the default retention. */
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  /**
   * How Object Lock applies: `default-retention` locks every object for `retentionDays`; `off` for a
   * bucket whose delivering service refuses Object Lock buckets (AWS Config, and S3 server access
   * logging, which never delivers into an Object Lock bucket). Object Lock can only be chosen when
   * the bucket is created.
   * @default "default-retention"
   */
  readonly objectLock?: 'default-retention' | 'off';
  /**
   * Roles that may read log objects; every other principal but AWS services is denied reads.
   * @default - none: only AWS services read
   */
  readonly readerRoleArns?: readonly string[];
  /** Days after which objects move to S3 Glacier Instant Retrieval. Less than `retentionDays`. */
  readonly transitionDays: number;
  /**
   * Days a noncurrent version is kept once superseded.
   * @default NONCURRENT_VERSION_DAYS
   */
  readonly noncurrentVersionDays?: number;
  /** Statements for the delivering services and readers; the TLS-only denials are added. */
  readonly statements: readonly PolicyStatement[];
  /**
   * `aws:PrincipalArn` patterns of the only principals (the guardrails' pipeline and break-glass
   * roles) that may change the bucket's lifecycle, policy, versioning, Object Lock, logging,
   * encryption, public access block or ownership, bypass governance retention, or delete it; the
   * bucket policy denies those actions to everyone else, AWS services aside
   * (`modules/guardrails/resource-policy-denials.ts`).
   * @default - none: no such denial (guardrails off)
   */
  readonly tamperExemptPrincipalArns?: readonly string[];
}

export class LogArchiveBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;
  readonly bucketName: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: LogArchiveBucketProps) {
    super(scope, id);
    if (props.retentionDays < MIN_LOG_RETENTION_DAYS) {
      throw new Error(`LogArchiveBucket ${id}: retentionDays must be at least ${MIN_LOG_RETENTION_DAYS} (got ${props.retentionDays})`);
    }
    if (props.transitionDays >= props.retentionDays) {
      throw new Error(`LogArchiveBucket ${id}: transitionDays (${props.transitionDays}) must be less than retentionDays (${props.retentionDays})`);
    }
    const common = { provider: props.provider, region: props.region };
    const objectLock = props.objectLock ?? 'default-retention';
    this.bucketName = props.bucketName;
    this.arn = s3BucketArn(props.bucketName);

    const { bucket: s3Bucket, publicAccessBlock, versioning, encryption } = privateBucket(this, {
      ...common,
      bucketName: props.bucketName,
      kmsKeyArn: props.kmsKeyArn,
      // Object Lock can only be turned on when the bucket is created.
      objectLockEnabled: objectLock !== 'off',
      preventDestroy: true,
    });
    this.bucket = s3Bucket;
    const bucket = this.bucket.id;
    let objectLockConfiguration: S3BucketObjectLockConfigurationA | undefined;
    if (objectLock === 'default-retention') {
      objectLockConfiguration = new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        ...common,
        bucket,
        rule: { defaultRetention: { mode: props.objectLockMode, days: props.retentionDays } },
        dependsOn: [versioning],
      });
    }
    const lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      ...common,
      bucket,
      rule: [
        {
          id: 'log-retention',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: [{ days: props.transitionDays, storageClass: 'GLACIER_IR' }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? NONCURRENT_VERSION_DAYS }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [versioning],
    });
    let accessLogging: S3BucketLoggingA | undefined;
    if (props.accessLogTarget) {
      accessLogging = new S3BucketLoggingA(this, 'access-logging', {
        ...common,
        bucket,
        targetBucket: props.accessLogTarget.bucketName,
        targetPrefix: `${props.bucketName}/`,
        // S3 refuses logging into a target that does not exist yet or does not let it write.
        dependsOn: [props.accessLogTarget.bucket, props.accessLogTarget.policy],
      });
    }
    this.policy = new S3BucketPolicy(this, 'policy', {
      ...common,
      bucket,
      policy: policyDocument([
        ...props.statements,
        ...readerStatements(this.arn, props.readerRoleArns ?? []),
        denyLogDeletionStatement(this.arn),
        ...(props.tamperExemptPrincipalArns?.length ? [denyArchiveTamperingStatement(this.arn, props.tamperExemptPrincipalArns)] : []),
        ...tlsOnlyStatements(this.arn),
      ]),
      // A policy applied before the public access block could be judged public and refused.
      dependsOn: [publicAccessBlock],
    });

    const record = controlRecorder(this, props.accountId, props.region);
    record(BUCKET_VERSIONING, versioning);
    if (objectLockConfiguration) record(BUCKET_OBJECT_LOCK, this.bucket, objectLockConfiguration);
    record(BUCKET_PUBLIC_ACCESS_BLOCK, publicAccessBlock);
    record(BUCKET_TLS_ONLY, this.policy);
    record(BUCKET_ENCRYPTION, encryption);
    if (accessLogging) record(BUCKET_ACCESS_LOGGING, accessLogging);
    record(BUCKET_RETENTION, lifecycle);
  }
}

/**
 * Reads are for the configured log readers only: an explicit allow for them, and a deny for every
 * other principal (AWS services aside), so that an over-broad IAM policy in the log-archive account
 * cannot read the audit trail either.
 */
export function readerStatements(bucketArn: string, readerRoleArns: readonly string[]): PolicyStatement[] {
  const notServices = { Bool: { 'aws:PrincipalIsAWSService': 'false' } };
  const statements: PolicyStatement[] = [];
  if (readerRoleArns.length > 0) {
    statements.push({
      Sid: 'LogReadersRead',
      Effect: 'Allow',
      Principal: { AWS: [...readerRoleArns] },
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'],
      Resource: [bucketArn, `${bucketArn}/*`],
    });
  }
  statements.push({
    Sid: 'DenyReadsExceptLogReaders',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:GetObject', 's3:GetObjectVersion'],
    Resource: `${bucketArn}/*`,
    Condition:
      readerRoleArns.length > 0 ? { ...notServices, ArnNotLike: { 'aws:PrincipalArn': [...readerRoleArns] } } : notServices,
  });
  return statements;
}

/**
 * Nobody deletes a log object: lifecycle expiry (which bucket policies do not govern) is the only
 * way logs leave. Retiring a bucket deliberately starts by removing this statement (docs/operations.md).
 */
export function denyLogDeletionStatement(bucketArn: string): PolicyStatement {
  return {
    Sid: 'DenyLogDeletion',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    Resource: `${bucketArn}/*`,
    Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
  };
}

/**
 * Nobody but an AWS service writes a log object, for a bucket without Object Lock (the server access
 * log targets): an overwrite would make the delivered log a noncurrent version, which the lifecycle
 * expires after NONCURRENT_VERSION_DAYS, and a new key would plant a forged log. The only service that
 * may write is S3 server access logging (`logging.s3.amazonaws.com`), through the policy's
 * S3ServerAccessLogDelivery grant: a service principal writes only what a resource policy grants it.
 * aws:PrincipalIsAWSService is true when a service uses its service principal to act on the resource,
 * and present (false) in every other signed request (IAM User Guide, "AWS global condition context
 * keys": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice),
 * so the delivery itself is not denied; the S3 User Guide asks that Deny statements not prevent it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 * CopyObject and multipart uploads into the bucket authorize as s3:PutObject too
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
 */
export function denyLogOverwriteStatement(bucketArn: string): PolicyStatement {
  return {
    Sid: 'DenyLogOverwrite',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: `${bucketArn}/*`,
    Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
  };
}

/** Denies any request without TLS, or with TLS older than 1.2. */
export function tlsOnlyStatements(bucketArn: string): PolicyStatement[] {
  const resources = [bucketArn, `${bucketArn}/*`];
  return [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: resources,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'DenyOutdatedTls',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: resources,
      Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
    },
  ];
}
