/**
 * The log archive: the central log buckets of the log-archive account and the keys that encrypt
 * them. Every bucket logs its server access into the access-log bucket; each delivering service
 * principal may write only under conditions naming the org trail or the organization (never a list
 * of accounts, so the policies stay the same size for 5 accounts or 1,000).
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import {
  ACCOUNT_TRAIL_S3_PREFIX,
  accountTrailArnPattern,
  baselineOwnsOrgTrail,
  kmsAliasName,
  logBucketName,
  orgTrailArn,
  s3BucketArn,
  type LogBucketKind,
} from '../../config/naming';
import { servicePrincipals } from '../../config/regions';
import type { BaselineConfig } from '../../config/schema';
import type { PolicyStatement } from '../iam/policy-document';
import { exemptPrincipalArnsIn } from '../guardrails/protected-resources';
import { LogEncryptionKey } from '../kms/log-encryption-key';
import { denyLogOverwriteStatement, LogArchiveBucket } from './log-archive-bucket';

export interface LogArchiveProps {
  readonly config: BaselineConfig;
  /** Provider of the log-archive account. */
  readonly provider: AwsProvider;
}

/** A bucket that a service delivers into, with its own key. */
interface DeliveredBucket {
  readonly kind: Exclude<LogBucketKind, 's3-server-logs'>;
  readonly description: string;
  /** AWS Config refuses to deliver into an Object Lock bucket. */
  readonly objectLock: 'default-retention' | 'off';
  readonly keyStatements: (ctx: Context) => PolicyStatement[];
  readonly bucketStatements: (ctx: Context) => PolicyStatement[];
}

interface Context {
  readonly config: BaselineConfig;
  readonly bucketArn: string;
}

// Service principals. CloudTrail's is global: "The bucket policy uses the service principal name,
// cloudtrail.amazonaws.com, which allows CloudTrail to deliver logs for all regions" (CloudTrail User
// Guide, "Amazon S3 bucket policy for CloudTrail"). AWS Config and VPC flow-log delivery document only
// config.amazonaws.com and delivery.logs.amazonaws.com, in every Region (AWS Config Developer Guide,
// "Permissions for the Amazon S3 Bucket"; VPC User Guide, "Amazon S3 bucket permissions for flow logs").
// GuardDuty alone documents a Regional principal for opt-in Regions: see `guardDutyPrincipals`.
const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
const CONFIG = 'config.amazonaws.com';
const LOG_DELIVERY = 'delivery.logs.amazonaws.com';

/**
 * GuardDuty exports findings as `guardduty.amazonaws.com`, and in an opt-in Region as its Regional
 * principal: "If you're using GuardDuty in a manually-enabled Region, replace the value for the
 * Service with the service endpoint for the Region", e.g. guardduty.me-south-1.amazonaws.com (GuardDuty
 * User Guide, "Exporting findings": https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html).
 */
const guardDutyPrincipals = (c: Context) => servicePrincipals('guardduty', c.config.regions.governed);

const ownerFullControl = { 's3:x-amz-acl': 'bucket-owner-full-control' };
const fromOrg = (c: Context) => ({ 'aws:SourceOrgID': c.config.organization.id });

const DELIVERED_BUCKETS: readonly DeliveredBucket[] = [
  {
    kind: 'cloudtrail',
    description: 'organization trail log files',
    objectLock: 'default-retention',
    keyStatements: (c): PolicyStatement[] => {
      const trailArn = orgTrailArn(c.config);
      const accountTrails = accountTrailArnPattern(c.config);
      const orgTrail: PolicyStatement[] = [
        {
          Sid: 'CloudTrailEncryptForOrganizationTrail',
          Effect: 'Allow',
          Principal: { Service: CLOUDTRAIL },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceArn': trailArn, 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn } },
        },
        {
          // DescribeKey checks the key; Decrypt is needed because the bucket uses an S3 Bucket Key.
          // Neither request carries CloudTrail's encryption context, so only the source is checked.
          Sid: 'CloudTrailDescribeAndDecryptForOrganizationTrail',
          Effect: 'Allow',
          Principal: { Service: CLOUDTRAIL },
          Action: ['kms:DescribeKey', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
        },
      ];
      return [
        ...(baselineOwnsOrgTrail(c.config) ? orgTrail : []),
        ...(c.config.monitoring.accountTrails
          ? [
              {
                Sid: 'CloudTrailEncryptForAccountTrails',
                Effect: 'Allow' as const,
                Principal: { Service: CLOUDTRAIL },
                Action: 'kms:GenerateDataKey*',
                Resource: '*',
                Condition: {
                  StringEquals: fromOrg(c),
                  StringLike: { 'aws:SourceArn': accountTrails, 'kms:EncryptionContext:aws:cloudtrail:arn': accountTrails },
                },
              },
              {
                Sid: 'CloudTrailDescribeAndDecryptForAccountTrails',
                Effect: 'Allow' as const,
                Principal: { Service: CLOUDTRAIL },
                Action: ['kms:DescribeKey', 'kms:Decrypt'],
                Resource: '*',
                Condition: { StringEquals: fromOrg(c), StringLike: { 'aws:SourceArn': accountTrails } },
              },
            ]
          : []),
      ];
    },
    bucketStatements: (c): PolicyStatement[] => {
      const trailArn = orgTrailArn(c.config);
      const org = c.config.organization;
      const orgTrail: PolicyStatement[] = [
        {
          Sid: 'CloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: CLOUDTRAIL },
          Action: 's3:GetBucketAcl',
          Resource: c.bucketArn,
          Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
        },
        {
          Sid: 'CloudTrailWriteOrganizationTrail',
          Effect: 'Allow',
          Principal: { Service: CLOUDTRAIL },
          Action: 's3:PutObject',
          Resource: [`${c.bucketArn}/AWSLogs/${org.managementAccountId}/*`, `${c.bucketArn}/AWSLogs/${org.id}/*`],
          Condition: { StringEquals: { ...ownerFullControl, 'aws:SourceArn': trailArn } },
        },
      ];
      return [
        ...(baselineOwnsOrgTrail(c.config) ? orgTrail : []),
        ...(c.config.monitoring.accountTrails ? accountTrailBucketStatements(c) : []),
      ];
    },
  },
  {
    // Granted by aws:SourceOrgID, the form AWS Control Tower documents for config.amazonaws.com on its
    // central Config bucket ("An aws:SourceOrgID condition must be met for any write permissions",
    // Control Tower User Guide, "Amazon S3 bucket policy for logging":
    // https://docs.aws.amazon.com/controltower/latest/userguide/logging-s3-audit-bucket.html). The AWS
    // Config guide instead recommends aws:SourceAccount (one value per account: past 20 KB at about
    // 1,000 accounts) and warns that organization conditions do not work for the service principal;
    // the README ("Unverified") records the conflict and what to check on the first apply.
    kind: 'config',
    description: 'AWS Config snapshots and history',
    objectLock: 'off',
    keyStatements: (c): PolicyStatement[] => [
      {
        Sid: 'ConfigDeliveryFromOrganization',
        Effect: 'Allow',
        Principal: { Service: CONFIG },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringEquals: fromOrg(c) },
      },
    ],
    bucketStatements: (c): PolicyStatement[] => [
      {
        Sid: 'ConfigBucketPermissionsCheck',
        Effect: 'Allow',
        Principal: { Service: CONFIG },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: c.bucketArn,
        Condition: { StringEquals: fromOrg(c) },
      },
      {
        Sid: 'ConfigDeliveryFromOrganization',
        Effect: 'Allow',
        Principal: { Service: CONFIG },
        Action: 's3:PutObject',
        Resource: `${c.bucketArn}/AWSLogs/*/Config/*`,
        Condition: { StringEquals: { ...ownerFullControl, ...fromOrg(c) } },
      },
    ],
  },
  {
    kind: 'flowlogs',
    description: 'VPC flow logs',
    objectLock: 'default-retention',
    keyStatements: (c): PolicyStatement[] => [
      {
        Sid: 'FlowLogDeliveryFromOrganization',
        Effect: 'Allow',
        Principal: { Service: LOG_DELIVERY },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: fromOrg(c) },
      },
    ],
    bucketStatements: (c): PolicyStatement[] => [
      {
        Sid: 'FlowLogDeliveryAclCheck',
        Effect: 'Allow',
        Principal: { Service: LOG_DELIVERY },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: c.bucketArn,
        Condition: { StringEquals: fromOrg(c) },
      },
      {
        Sid: 'FlowLogDeliveryFromOrganization',
        Effect: 'Allow',
        Principal: { Service: LOG_DELIVERY },
        Action: 's3:PutObject',
        Resource: `${c.bucketArn}/AWSLogs/*`,
        Condition: { StringEquals: { ...ownerFullControl, ...fromOrg(c) } },
      },
    ],
  },
  {
    kind: 'guardduty',
    description: 'GuardDuty findings exported by the audit account',
    objectLock: 'default-retention',
    keyStatements: (c): PolicyStatement[] => [
      {
        Sid: 'GuardDutyExportFromAuditAccount',
        Effect: 'Allow',
        Principal: { Service: guardDutyPrincipals(c) },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: guardDutyFromAudit(c),
      },
    ],
    bucketStatements: (c): PolicyStatement[] => [
      {
        Sid: 'GuardDutyBucketLocation',
        Effect: 'Allow',
        Principal: { Service: guardDutyPrincipals(c) },
        Action: 's3:GetBucketLocation',
        Resource: c.bucketArn,
        Condition: guardDutyFromAudit(c),
      },
      {
        Sid: 'GuardDutyExportFromAuditAccount',
        Effect: 'Allow',
        Principal: { Service: guardDutyPrincipals(c) },
        Action: 's3:PutObject',
        Resource: `${c.bucketArn}/*`,
        Condition: guardDutyFromAudit(c),
      },
    ],
  },
];

/** The audit account's detectors, in any Region, export the organization's findings. */
function guardDutyFromAudit(c: Context) {
  const audit = c.config.organization.auditAccountId;
  return {
    StringEquals: { 'aws:SourceAccount': audit },
    StringLike: { 'aws:SourceArn': `arn:aws:guardduty:*:${audit}:detector/*` },
  };
}

/** Each member account's own trail writes under `account-trails/`, granted by organization. */
function accountTrailBucketStatements(c: Context): PolicyStatement[] {
  const condition = { StringEquals: fromOrg(c), StringLike: { 'aws:SourceArn': accountTrailArnPattern(c.config) } };
  return [
    {
      Sid: 'CloudTrailAclCheckAccountTrails',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL },
      Action: 's3:GetBucketAcl',
      Resource: c.bucketArn,
      Condition: condition,
    },
    {
      Sid: 'CloudTrailWriteAccountTrails',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL },
      Action: 's3:PutObject',
      Resource: `${c.bucketArn}/${ACCOUNT_TRAIL_S3_PREFIX}/AWSLogs/*`,
      Condition: { ...condition, StringEquals: { ...ownerFullControl, ...fromOrg(c) } },
    },
  ];
}

/**
 * The Terraform addresses of the first access-log bucket (`s3-access-logs`, with Object Lock) in the
 * `management` stack. An existing deployment removes them from its state (`terraform state rm`, README
 * "Upgrading: the access-log bucket") so that the old bucket and the logs in it stay in the account,
 * unmanaged: `prevent_destroy` stops any plan that would delete it. (A `removed` block would do this in
 * the plan itself, but checkov's terraform_json parser cannot read label-less blocks and would skip the
 * whole stack.)
 */
export const RETIRED_ACCESS_LOG_BUCKET_ADDRESSES = [
  'aws_s3_bucket.log-archive_s3-access-logs_bucket_D322A31B',
  'aws_s3_bucket_lifecycle_configuration.log-archive_s3-access-logs_lifecycle_35C7EEA9',
  'aws_s3_bucket_ownership_controls.log-archive_s3-access-logs_ownership_436727AC',
  'aws_s3_bucket_policy.log-archive_s3-access-logs_policy_ADB9BDC2',
  'aws_s3_bucket_public_access_block.log-archive_s3-access-logs_public-access-block_6B589C22',
  'aws_s3_bucket_server_side_encryption_configuration.log-archive_s3-access-logs_encryption_CA31897B',
  'aws_s3_bucket_versioning.log-archive_s3-access-logs_versioning_9429459D',
] as const;

export class LogArchive extends Construct {
  readonly accessLogBucket: LogArchiveBucket;
  /** Kind → bucket, for the buckets services deliver into. */
  readonly buckets: ReadonlyMap<DeliveredBucket['kind'], LogArchiveBucket>;
  /** Kind → the key that encrypts that bucket. */
  readonly keys: ReadonlyMap<DeliveredBucket['kind'], LogEncryptionKey>;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const { config, provider } = props;
    const org = config.organization;
    const region = config.regions.home;
    const readers = config.logArchive.readerRoleArns;
    const common = {
      provider,
      accountId: org.logArchiveAccountId,
      region,
      retentionDays: config.retention.logArchiveDays,
      transitionDays: config.retention.transitionToColdStorageDays,
      objectLockMode: config.retention.objectLockMode,
      readerRoleArns: readers,
      // Guardrails: only the pipeline and break-glass roles of the log-archive account may weaken a
      // bucket or its key (no other account's principal can set a bucket or key policy at all).
      tamperExemptPrincipalArns: exemptPrincipalArnsIn(config, org.logArchiveAccountId) ?? [],
    };

    const accessLogBucketName = logBucketName(config, 's3-server-logs');
    this.accessLogBucket = new LogArchiveBucket(this, 's3-server-logs', {
      ...common,
      bucketName: accessLogBucketName,
      // S3 requires SSE-S3 on a server access log target, and never delivers into a bucket with
      // Object Lock (S3 User Guide, "Enabling Amazon S3 server access logging":
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
      // Its protection is versioning and the deletion and overwrite denies of its policy.
      objectLock: 'off',
      statements: [
        {
          // S3 User Guide, "Permissions for log delivery": the logging service principal, scoped
          // by aws:SourceArn (the source buckets) and aws:SourceAccount.
          Sid: 'S3ServerAccessLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${s3BucketArn(accessLogBucketName)}/*`,
          Condition: {
            ArnLike: { 'aws:SourceArn': DELIVERED_BUCKETS.map((b) => s3BucketArn(logBucketName(config, b.kind))) },
            StringEquals: { 'aws:SourceAccount': org.logArchiveAccountId },
          },
        },
        denyLogOverwriteStatement(s3BucketArn(accessLogBucketName)),
      ],
    });

    const buckets = new Map<DeliveredBucket['kind'], LogArchiveBucket>();
    const keys = new Map<DeliveredBucket['kind'], LogEncryptionKey>();
    for (const spec of DELIVERED_BUCKETS) {
      const bucketName = logBucketName(config, spec.kind);
      const ctx: Context = { config, bucketArn: s3BucketArn(bucketName) };
      const key = new LogEncryptionKey(this, `${spec.kind}-key`, {
        provider,
        region,
        accountId: org.logArchiveAccountId,
        tamperExemptPrincipalArns: common.tamperExemptPrincipalArns,
        aliasName: kmsAliasName(config, spec.kind),
        description: `Encrypts the ${spec.description} in the log archive`,
        statements: [
          ...spec.keyStatements(ctx),
          ...(readers.length > 0
            ? [
                {
                  Sid: 'LogReadersDecryptThroughS3',
                  Effect: 'Allow' as const,
                  Principal: { AWS: [...readers] },
                  Action: 'kms:Decrypt',
                  Resource: '*',
                  Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
                },
              ]
            : []),
        ],
      });
      keys.set(spec.kind, key);
      buckets.set(
        spec.kind,
        new LogArchiveBucket(this, spec.kind, {
          ...common,
          bucketName,
          kmsKeyArn: key.key.arn,
          accessLogTarget: this.accessLogBucket,
          objectLock: spec.objectLock,
          statements: spec.bucketStatements(ctx),
        }),
      );
    }
    this.buckets = buckets;
    this.keys = keys;
  }

  get cloudTrailBucket(): LogArchiveBucket {
    return this.buckets.get('cloudtrail')!;
  }

  get cloudTrailKey(): LogEncryptionKey {
    return this.keys.get('cloudtrail')!;
  }
}
