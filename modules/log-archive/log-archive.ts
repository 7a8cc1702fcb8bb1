/**
 * The log archive: the central log buckets of the log-archive account and the keys that encrypt
 * them. Every bucket logs its server access into the access-log bucket; the delivering service
 * principals may write only under conditions that name the org's own trail, accounts or org id.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { kmsAliasName, logBucketName, orgTrailArn, s3BucketArn } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { LogEncryptionKey } from '../kms/log-encryption-key';
import { LogArchiveBucket } from './log-archive-bucket';

export interface LogArchiveProps {
  readonly config: BaselineConfig;
  /** Provider of the log-archive account. */
  readonly provider: AwsProvider;
}

export class LogArchive extends Construct {
  readonly accessLogBucket: LogArchiveBucket;
  readonly cloudTrailBucket: LogArchiveBucket;
  readonly cloudTrailKey: LogEncryptionKey;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const { config, provider } = props;
    const org = config.organization;
    const region = config.regions.home;
    const retention = config.retention;
    const trailArn = orgTrailArn(config);
    const lifecycle = {
      retentionDays: retention.logArchiveDays,
      transitionDays: retention.transitionToColdStorageDays,
      objectLockMode: retention.objectLockMode,
    };

    const accessLogBucketName = logBucketName(config, 's3-access-logs');
    const cloudTrailBucketName = logBucketName(config, 'cloudtrail');
    const accessLoggedBuckets = [cloudTrailBucketName];

    this.accessLogBucket = new LogArchiveBucket(this, 's3-access-logs', {
      provider,
      region,
      bucketName: accessLogBucketName,
      ...lifecycle,
      // S3 refuses server access log delivery into a bucket with a default retention, and requires SSE-S3.
      defaultRetention: false,
      statements: [
        {
          Sid: 'S3ServerAccessLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${s3BucketArn(accessLogBucketName)}/*`,
          Condition: {
            ArnLike: { 'aws:SourceArn': accessLoggedBuckets.map(s3BucketArn) },
            StringEquals: { 'aws:SourceAccount': org.logArchiveAccountId },
          },
        },
      ],
    });

    this.cloudTrailKey = new LogEncryptionKey(this, 'cloudtrail-key', {
      provider,
      region,
      accountId: org.logArchiveAccountId,
      aliasName: kmsAliasName(config, 'cloudtrail'),
      description: 'Encrypts the organization trail log files in the log archive',
      statements: [
        {
          Sid: 'CloudTrailEncryptForOrganizationTrail',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceArn': trailArn, 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn },
          },
        },
        {
          Sid: 'CloudTrailDescribeKey',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'kms:DescribeKey',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
        },
      ],
    });

    const cloudTrailArn = s3BucketArn(cloudTrailBucketName);
    this.cloudTrailBucket = new LogArchiveBucket(this, 'cloudtrail', {
      provider,
      region,
      bucketName: cloudTrailBucketName,
      kmsKeyArn: this.cloudTrailKey.key.arn,
      accessLogBucketName,
      ...lifecycle,
      statements: [
        {
          Sid: 'CloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: cloudTrailArn,
          Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
        },
        {
          Sid: 'CloudTrailWriteOrganizationTrail',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: [`${cloudTrailArn}/AWSLogs/${org.managementAccountId}/*`, `${cloudTrailArn}/AWSLogs/${org.id}/*`],
          Condition: {
            StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn },
          },
        },
      ],
    });
  }
}
