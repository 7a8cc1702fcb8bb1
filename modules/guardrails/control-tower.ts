/**
 * AWS Control Tower's mandatory controls, and its strongly recommended ones, item by item against the
 * baseline's guardrails: the data behind the comparison table in docs/guardrails.md (a test keeps the
 * two in step). Control texts: Control Tower Controls Reference, "Mandatory controls"
 * (https://docs.aws.amazon.com/controltower/latest/controlreference/mandatory-controls.html) and
 * "Strongly recommended controls with preventive behavior"
 * (https://docs.aws.amazon.com/controltower/latest/controlreference/strongly-recommended-preventive-controls.html).
 *
 * Control Tower's controls protect Control Tower's own resources (names `aws-controltower-*`,
 * `*AWSControlTower*`, the tag `aws-control-tower`), never the baseline's, with one exception: the
 * AWS Config recorder, delivery channel and retention configuration, which its
 * AWS-GR_CONFIG_CHANGE_PROHIBITED denies on `*`. That is the statement the baseline drops with
 * `controlTower.enabled` (and its role statement stops protecting `stacksets-exec-*`, which
 * AWS-GR_IAM_ROLE_CHANGE_PROHIBITED protects already). The recording-group actions that control does not
 * list (config:AssociateResourceTypes, DisassociateResourceTypes) stay denied by ProtectConfigRecordingGroup.
 */

export interface ControlTowerControl {
  readonly id: string;
  readonly guidance: 'mandatory' | 'strongly recommended';
  readonly behavior: 'preventive' | 'detective';
  /** What Control Tower's control denies or detects, on what. */
  readonly controlTower: string;
  /** The baseline's counterpart: SCP statement Sids, resource-policy statements, other controls. */
  readonly baseline: readonly string[];
  /** Whether the baseline leaves this to Control Tower when `controlTower.enabled`. */
  readonly skippedWithControlTower: boolean;
}

const LOG_ARCHIVE = ['ProtectLogArchiveBuckets', 'DenyArchiveTamperingExceptPipeline'];

export const CONTROL_TOWER_CONTROLS: readonly ControlTowerControl[] = [
  {
    id: 'AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 's3:DeleteBucket on aws-controltower* buckets',
    baseline: [...LOG_ARCHIVE, 'prevent_destroy'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CT_AUDIT_BUCKET_ENCRYPTION_CHANGES_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 's3:PutEncryptionConfiguration on aws-controltower* buckets',
    baseline: LOG_ARCHIVE,
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CT_AUDIT_BUCKET_LOGGING_CONFIGURATION_CHANGES_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 's3:PutBucketLogging on aws-controltower* buckets',
    baseline: LOG_ARCHIVE,
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 's3:PutBucketPolicy, s3:DeleteBucketPolicy on aws-controltower* buckets',
    baseline: LOG_ARCHIVE,
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CT_AUDIT_BUCKET_LIFECYCLE_CONFIGURATION_CHANGES_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 's3:PutLifecycleConfiguration on aws-controltower* buckets',
    baseline: LOG_ARCHIVE,
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'detective',
    controlTower: 'Config rule S3_BUCKET_PUBLIC_READ_PROHIBITED in the log archive',
    baseline: ['bucket public access blocks', 'ProtectLogArchiveBuckets (s3:PutBucketPublicAccessBlock)'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_AUDIT_BUCKET_PUBLIC_WRITE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'detective',
    controlTower: 'Config rule S3_BUCKET_PUBLIC_WRITE_PROHIBITED in the log archive',
    baseline: ['bucket public access blocks', 'ProtectLogArchiveBuckets (s3:PutBucketPublicAccessBlock)'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'cloudtrail:DeleteTrail, PutEventSelectors, StopLogging, UpdateTrail on trail/aws-controltower-*',
    baseline: ['ProtectBaselineTrails'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CLOUDTRAIL_CLOUDWATCH_LOGS_ENABLED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'the same GRCLOUDTRAILENABLED statement',
    baseline: ['ProtectBaselineTrails', 'ProtectBaselineLogGroups'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CLOUDTRAIL_ENABLED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'the same GRCLOUDTRAILENABLED statement',
    baseline: ['ProtectBaselineTrails'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CLOUDTRAIL_VALIDATION_ENABLED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'the same GRCLOUDTRAILENABLED statement',
    baseline: ['ProtectBaselineTrails (cloudtrail:UpdateTrail)'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CLOUDWATCH_EVENTS_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'events:PutRule, PutTargets, RemoveTargets, DisableRule, DeleteRule on rule/aws-controltower-*',
    baseline: ['ProtectAlertRoutes'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CONFIG_AGGREGATION_AUTHORIZATION_POLICY',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'config:DeleteAggregationAuthorization where tagged aws-control-tower',
    baseline: ['none needed: the organization aggregator uses no aggregation authorizations'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CONFIG_AGGREGATION_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'config:TagResource, UntagResource of the aws-control-tower tag',
    baseline: ['ProtectBaselineTaggedResources (tag changes on tagged resources)'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_CONFIG_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'config recorder, delivery channel and retention changes on * (not AssociateResourceTypes or DisassociateResourceTypes, which ProtectConfigRecordingGroup keeps denying)',
    baseline: ['ProtectConfigRecorders'],
    skippedWithControlTower: true,
  },
  {
    id: 'AWS-GR_CONFIG_ENABLED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'the same GRCONFIGENABLED statement',
    baseline: ['ProtectConfigRecorders'],
    skippedWithControlTower: true,
  },
  {
    id: 'AWS-GR_CONFIG_RULE_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'config:PutConfigRule, DeleteConfigRule, DeleteEvaluationResults, Put/DeleteConfigurationAggregator where tagged aws-control-tower',
    baseline: ['ProtectBaselineTaggedResources'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_IAM_ROLE_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'role changes on aws-controltower-*, *AWSControlTower*, stacksets-exec-*',
    baseline: ['ProtectExemptRoles (its stacksets-exec-* protection is dropped with Control Tower)'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_LAMBDA_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'changes to function:aws-controltower-*',
    baseline: ['none needed: the baseline deploys no Lambda function'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_LOG_GROUP_POLICY',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'logs:DeleteLogGroup, PutRetentionPolicy on log-group:*aws-controltower*',
    baseline: ['ProtectBaselineLogGroups'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_SNS_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'sns:AddPermission, CreateTopic, DeleteTopic, RemovePermission, SetTopicAttributes on aws-controltower-* topics',
    baseline: ['ProtectAlertTopics'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_SNS_SUBSCRIPTION_CHANGE_PROHIBITED',
    guidance: 'mandatory',
    behavior: 'preventive',
    controlTower: 'sns:Subscribe, Unsubscribe on aws-controltower-SecurityNotifications',
    baseline: ['ProtectAlertTopics (sns:Unsubscribe)'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS',
    guidance: 'strongly recommended',
    behavior: 'preventive',
    controlTower: 'iam:CreateAccessKey by the root user',
    baseline: ['not a logging control: out of scope (the root user is subject to the SCPs like everyone)'],
    skippedWithControlTower: false,
  },
  {
    id: 'AWS-GR_RESTRICT_ROOT_USER',
    guidance: 'strongly recommended',
    behavior: 'preventive',
    controlTower: 'every action by the root user',
    baseline: ['not a logging control: out of scope; root use raises the CIS RootAccountUsage alarm'],
    skippedWithControlTower: false,
  },
];

/** The comparison as a Markdown table, as docs/guardrails.md shows it (a test keeps them equal). */
export function controlTowerComparisonTable(): string {
  // Markdown would read the patterns' `*` as emphasis.
  const escape = (text: string) => text.replace(/\*/g, '\\*');
  return [
    '| Control Tower control | Guidance, behavior | What Control Tower denies or detects | The baseline | With `controlTower.enabled` |',
    '| --- | --- | --- | --- | --- |',
    ...CONTROL_TOWER_CONTROLS.map(
      (c) =>
        `| \`${c.id}\` | ${c.guidance}, ${c.behavior} | ${escape(c.controlTower)} | ${escape(c.baseline.join('; '))} | ${
          c.skippedWithControlTower ? '**left to Control Tower**' : c.baseline[0].startsWith('no') ? 'n/a' : 'kept'
        } |`,
    ),
  ].join('\n');
}
