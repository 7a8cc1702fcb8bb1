/**
 * A trail the CIS metric filters can watch: every Region, global service events, log file
 * validation, KMS encryption, delivery to the central CloudTrail bucket, and a CloudWatch Logs copy
 * with its own key and a role that may only write to it. The management stack makes it the
 * organization trail; member stacks make it each account's own trail.
 */
import { Cloudtrail, type CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { LOG_GROUP_ENCRYPTION, LOG_GROUP_RETENTION } from '../cloudwatch-logs/controls';
import {
  ACCOUNT_TRAILS,
  DATA_EVENTS,
  NETWORK_ACTIVITY_EVENTS,
  LOG_FILE_VALIDATION,
  ORGANIZATION_TRAIL,
  TRAIL_CLOUDWATCH_LOGS,
  TRAIL_KMS_ENCRYPTION,
} from './controls';
import { Construct, type IConstruct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { policyDocument, serviceTrustPolicy } from '../iam/policy-document';
import { LogEncryptionKey } from '../kms/log-encryption-key';

export interface MonitoredTrailProps {
  /** Provider of the account that owns the trail (the management account for the org trail). */
  readonly provider: AwsProvider;
  readonly accountId: string;
  /** Whether this is the organization trail (only the management account may own one). */
  readonly isOrganizationTrail: boolean;
  /** The trail's home Region. */
  readonly region: string;
  readonly trailName: string;
  /** The trail's ARN, derived from the config (it names itself in key and role conditions). */
  readonly trailArn: string;
  /** The central CloudTrail bucket in the log-archive account. */
  readonly bucketName: string;
  /**
   * Prefix of the trail's objects in the bucket.
   * @default - none: `AWSLogs/...` at the bucket root
   */
  readonly s3KeyPrefix?: string;
  /**
   * The CloudTrail key in the log-archive account: its ARN, or its alias ARN from another stack
   * (CloudTrail then reads back the key ARN, so that difference is ignored).
   */
  readonly kmsKeyArn: string;
  /**
   * Whether the log group's key is kept from ever being destroyed by a plan.
   * @default true
   */
  readonly preventKeyDestroy?: boolean;
  readonly logGroupName: string;
  readonly logGroupRetentionDays: number;
  /** Alias of the key that encrypts the log group (created here, in the management account). */
  readonly logGroupKeyAlias: string;
  /** Advanced event selectors (see `event-selectors.ts`): all management events, then data events. */
  readonly eventSelectors: readonly CloudtrailAdvancedEventSelector[];
  /**
   * CloudTrail Insights types.
   * @default - none
   */
  readonly insights?: readonly ('ApiCallRateInsight' | 'ApiErrorRateInsight')[];
  /**
   * Publish an SNS notification for every log file delivered, to a topic created here.
   * @default false
   */
  readonly deliveryNotifications?: boolean;
  /**
   * What must exist before the trail (the bucket policy and key CloudTrail checks on creation).
   * @default - none in this stack (they come from the management stack, applied first)
   */
  readonly dependsOn?: readonly IConstruct[];
}

export class MonitoredTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly logGroup: CloudwatchLogGroup;
  readonly logGroupKey: LogEncryptionKey;
  readonly cloudWatchRole: IamRole;
  /** The log delivery topic, when `deliveryNotifications` is on. */
  readonly deliveryTopic?: SnsTopic;

  constructor(scope: Construct, id: string, props: MonitoredTrailProps) {
    super(scope, id);
    const common = { provider: props.provider };
    const regional = { ...common, region: props.region };
    const logGroupArn = `arn:${PARTITION}:logs:${props.region}:${props.accountId}:log-group:${props.logGroupName}`;

    this.logGroupKey = new LogEncryptionKey(this, 'log-group-key', {
      ...regional,
      accountId: props.accountId,
      aliasName: props.logGroupKeyAlias,
      description: `Encrypts the CloudWatch Logs copy of ${props.trailName}${props.deliveryNotifications ? ' and its delivery topic' : ''}`,
      preventDestroy: props.preventKeyDestroy,
      statements: [
        ...(props.deliveryNotifications
          ? [
              {
                Sid: 'CloudTrailPublishToDeliveryTopic',
                Effect: 'Allow' as const,
                Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
                Resource: '*',
                Condition: { StringEquals: { 'aws:SourceArn': props.trailArn } },
              },
            ]
          : []),
        {
          Sid: 'CloudWatchLogsUseForTrailLogGroup',
          Effect: 'Allow',
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          // AWS's example grants kms:Describe* too, but DescribeKey carries no encryption context (KMS API
          // Reference, GrantConstraints: constraints "are not applied to operations that do not support an
          // encryption context, such as ... DescribeKey": https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html),
          // so under this condition it never applies; review/policy-validation.ts reports such a grant.
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
        },
      ],
    });

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      ...regional,
      name: props.logGroupName,
      retentionInDays: props.logGroupRetentionDays,
      kmsKeyId: this.logGroupKey.key.arn,
    });

    this.cloudWatchRole = new IamRole(this, 'cloudwatch-role', {
      ...common,
      name: `${props.trailName}-to-cloudwatch-logs`,
      description: `Lets CloudTrail (${props.trailName} only) write to ${props.logGroupName}`,
      // No aws:SourceArn/aws:SourceAccount: "Confused deputy prevention is not applicable to the role
      // policy for CloudWatch Logs monitoring. The role policy doesn't support the use of aws:SourceArn
      // and aws:SourceAccount" (CloudTrail User Guide, "Role policy document for CloudTrail to use
      // CloudWatch Logs for monitoring": https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html);
      // with one, CloudTrail fails with InvalidCloudWatchLogsRoleArnException. The role's own policy
      // is what is narrow: it may write to this one log group only.
      assumeRolePolicy: serviceTrustPolicy('cloudtrail.amazonaws.com'),
    });
    new IamRolePolicy(this, 'cloudwatch-role-policy', {
      ...common,
      role: this.cloudWatchRole.name,
      name: 'write-trail-log-group',
      policy: policyDocument([
        {
          Sid: 'CreateStreamsAndPutEventsInTrailLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${logGroupArn}:log-stream:*`,
        },
      ]),
    });

    let deliveryTopicPolicy: SnsTopicPolicy | undefined;
    if (props.deliveryNotifications) {
      this.deliveryTopic = new SnsTopic(this, 'delivery-topic', {
        ...regional,
        name: `${props.trailName}-log-delivery`,
        kmsMasterKeyId: this.logGroupKey.key.arn,
      });
      deliveryTopicPolicy = new SnsTopicPolicy(this, 'delivery-topic-policy', {
        ...regional,
        arn: this.deliveryTopic.arn,
        policy: policyDocument([
          {
            Sid: 'CloudTrailPublishFromOrganizationTrail',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'SNS:Publish',
            Resource: this.deliveryTopic.arn,
            Condition: { StringEquals: { 'aws:SourceArn': props.trailArn } },
          },
        ]),
      });
    }

    this.trail = new Cloudtrail(this, 'trail', {
      ...regional,
      name: props.trailName,
      s3BucketName: props.bucketName,
      isOrganizationTrail: props.isOrganizationTrail,
      s3KeyPrefix: props.s3KeyPrefix,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.kmsKeyArn,
      // CloudTrail wants the ARN of the log streams, hence the `:*`.
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: this.cloudWatchRole.arn,
      advancedEventSelector: [...props.eventSelectors],
      insightSelector: props.insights?.length ? props.insights.map((insightType) => ({ insightType })) : undefined,
      // The name: CloudTrail reports the name back for a topic of its own account and Region.
      snsTopicName: this.deliveryTopic?.name,
      // CloudTrail checks the bucket, key and topic policies when the trail is created.
      dependsOn: ((deps) => (deps.length > 0 ? deps : undefined))([
        ...(props.dependsOn ?? []),
        ...(deliveryTopicPolicy ? [deliveryTopicPolicy] : []),
      ]) as never,
      lifecycle: props.kmsKeyArn.includes(':alias/') ? { ignoreChanges: ['kms_key_id'] } : undefined,
    });

    const record = controlRecorder(this, props.accountId, props.region);
    if (props.isOrganizationTrail) {
      record(ORGANIZATION_TRAIL, this.trail);
      record(LOG_FILE_VALIDATION, this.trail);
      record(TRAIL_KMS_ENCRYPTION, this.trail);
      record(TRAIL_CLOUDWATCH_LOGS, this.trail, this.logGroup, this.cloudWatchRole);
      const selectsCategory = (category: string) => (s: CloudtrailAdvancedEventSelector) =>
        Array.isArray(s.fieldSelector) && s.fieldSelector.some((f) => f.field === 'eventCategory' && Array.isArray(f.equalTo) && f.equalTo.includes(category));
      if (props.eventSelectors.some(selectsCategory('Data'))) {
        record(DATA_EVENTS, this.trail);
      }
      if (props.eventSelectors.some(selectsCategory('NetworkActivity'))) {
        record(NETWORK_ACTIVITY_EVENTS, this.trail);
      }
    } else {
      record(ACCOUNT_TRAILS, this.trail, this.logGroup);
    }
    record(LOG_GROUP_RETENTION, this.logGroup);
    record(LOG_GROUP_ENCRYPTION, this.logGroup, this.logGroupKey.key);
  }
}
