/**
 * The statements of the baseline's service control policies: each denies, to every principal but the
 * pipeline and break-glass roles, the actions that would disable or weaken one kind of thing the
 * baseline deploys, on the baseline's own resources only (by name pattern, or by the baseline's tag
 * where AWS puts an id in the ARN). Every action list cites the Service Authorization Reference page
 * that lists its actions and the resource types each supports: an SCP statement whose Resource is an
 * ARN only applies to actions that support that resource type, so actions without resource-level
 * permissions use `*` (where the resource is the account's one of its kind: a Region's recorder,
 * detector, hub, Macie session).
 *
 * SCPs restrict IAM users and roles (root included) of member accounts only: never the management
 * account, service-linked roles or AWS service principals (Organizations User Guide, "Service control
 * policies (SCPs)": https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
 * so log delivery by services is never in their scope and the statements need no
 * aws:PrincipalIsAWSService condition (the key and bucket policies do; see resource-policy-denials.ts).
 */
import { STACKSETS_EXECUTION_ROLE_PREFIX } from '../../config/guardrails-schema';
import { alarmHistoryLogGroupName, malwareProtectionRoleName, PARTITION, roleArn, s3BucketArn } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import type { Conditions, PolicyStatement } from '../iam/policy-document';
import { MALWARE_PROTECTION_MANAGED_RULE_PREFIX } from '../security-services/malware-protection-s3';
import { BASELINE_MANAGED_TAG, exemptPrincipalArns, investigationsPatterns, protectedPatterns, sensitiveAccessLogBucketsPattern } from './protected-resources';
import { ARCHIVE_TAMPERING_ACTIONS, KEY_TAG_ACTIONS, KEY_TAMPERING_ACTIONS } from './resource-policy-denials';

/**
 * CloudFormation StackSets' execution role in member accounts. With service-managed permissions,
 * StackSets deploys into each account (new ones included, with automatic deployment) through a
 * `stacksets-exec-*` role, which SCPs do restrict: AWS Control Tower exempts and protects it the same
 * way in AWS-GR_IAM_ROLE_CHANGE_PROHIBITED (Control Tower Controls Reference, "Mandatory controls").
 * It is exempt only from the role statement, so that a StackSet can create the pipeline and
 * break-glass roles in a new account (docs/guardrails.md), and that statement also protects it.
 */
export const STACKSETS_EXECUTION_ROLE = `arn:aws:iam::*:role/${STACKSETS_EXECUTION_ROLE_PREFIX}*`;

/**
 * The role through which AWS Control Tower manages enrolled accounts, its recorders included: its own
 * AWS-GR_CONFIG_CHANGE_PROHIBITED exempts it (Control Tower Controls Reference, "Mandatory controls":
 * https://docs.aws.amazon.com/controltower/latest/controlreference/mandatory-controls.html).
 */
export const CONTROL_TOWER_EXECUTION_ROLE = 'arn:aws:iam::*:role/AWSControlTowerExecution';

/** IAM role changes: Control Tower's AWS-GR_IAM_ROLE_CHANGE_PROHIBITED's action list. */
const ROLE_CHANGE_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
] as const;

export interface GuardrailStatement extends PolicyStatement {
  /**
   * The AWS Control Tower mandatory controls enforcing the same denial on the same resources; with
   * `controlTower.enabled` the statement is left out (or narrowed) so as not to duplicate them.
   */
  readonly duplicatedByControlTower?: readonly string[];
}

/** The SCP statements for a config, in a fixed order (the order policies are packed in). */
export function scpStatements(config: BaselineConfig): GuardrailStatement[] {
  const exempt = exemptPrincipalArns(config);
  if (!exempt) return [];
  const p = protectedPatterns(config);
  const controlTower = config.controlTower.enabled;
  const logsSensitiveBuckets = config.sensitiveData.serverAccessLogs && config.sensitiveData.buckets.length > 0;
  const malwareRules = config.sensitiveData.malwareProtection.enabled && config.sensitiveData.buckets.length > 0;
  const exceptExempt: Conditions = { ArnNotLike: { 'aws:PrincipalArn': [...exempt] } };
  const baselineTagged: Conditions = { ...exceptExempt, StringEquals: { [`aws:ResourceTag/${BASELINE_MANAGED_TAG.key}`]: BASELINE_MANAGED_TAG.value } };
  const deny = (Sid: string, Action: readonly string[], Resource: string | readonly string[], Condition: Conditions = exceptExempt) =>
    ({ Sid, Effect: 'Deny', Action: [...Action], Resource: typeof Resource === 'string' ? Resource : [...Resource], Condition }) as const;

  const statements: GuardrailStatement[] = [
    // CloudTrail, resource type `trail` (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html): stop, delete, redirect or
    // thin out the organization and account trails, or change what they record per event
    // (PutEventConfiguration: resource types eventdatastore and trail, both optional).
    deny(
      'ProtectBaselineTrails',
      ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors', 'cloudtrail:PutEventConfiguration'],
      p.trails,
    ),
    // AWS Config recorders, delivery channels and retention (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html): `*`, as
    // AWS Control Tower's own control does; a Region has one customer-managed recorder and channel,
    // and they are the baseline's. With Control Tower, AWS-GR_CONFIG_CHANGE_PROHIBITED denies exactly
    // these seven actions on `*` in every enrolled OU already.
    ...(controlTower
      ? []
      : [
          {
            ...deny(
              'ProtectConfigRecorders',
              [
                'config:StopConfigurationRecorder',
                'config:DeleteConfigurationRecorder',
                'config:PutConfigurationRecorder',
                'config:DeleteDeliveryChannel',
                'config:PutDeliveryChannel',
                'config:DeleteRetentionConfiguration',
                'config:PutRetentionConfiguration',
              ],
              '*',
            ),
            duplicatedByControlTower: ['AWS-GR_CONFIG_CHANGE_PROHIBITED', 'AWS-GR_CONFIG_ENABLED'],
          },
        ]),
    // The recorder's recording group, edited without PutConfigurationRecorder: AssociateResourceTypes
    // and DisassociateResourceTypes (resource type ConfigurationRecorder, required; `*` as above: its ARN
    // ends in an id). Control Tower's AWS-GR_CONFIG_CHANGE_PROHIBITED does not list them, so this
    // statement stays with `controlTower.enabled`, exempting, as Control Tower's own statement does,
    // AWSControlTowerExecution, through which Control Tower manages its recorders (Control Tower
    // Controls Reference, "Mandatory controls":
    // https://docs.aws.amazon.com/controltower/latest/controlreference/mandatory-controls.html).
    deny(
      'ProtectConfigRecordingGroup',
      ['config:AssociateResourceTypes', 'config:DisassociateResourceTypes'],
      '*',
      controlTower ? { ArnNotLike: { 'aws:PrincipalArn': [...exempt, CONTROL_TOWER_EXECUTION_ROLE] } } : exceptExempt,
    ),
    // Resources whose ARN carries an id, selected by the baseline's tag, and that tag itself:
    // Config rules and the organization aggregator (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html, resource types
    // ConfigRule and ConfigurationAggregator, condition key aws:ResourceTag) and VPC flow logs
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html, resource type vpc-flow-log, aws:ResourceTag). Changing or removing
    // the tag would lift the protection, so tag changes on tagged resources are denied too.
    deny(
      'ProtectBaselineTaggedResources',
      [
        'config:DeleteConfigRule',
        'config:PutConfigRule',
        'config:DeleteEvaluationResults',
        'config:DeleteConfigurationAggregator',
        'config:PutConfigurationAggregator',
        'config:TagResource',
        'config:UntagResource',
        // Macie classification jobs (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmacie.html, resource type ClassificationJob,
        // `classification-job/<id>`, aws:ResourceTag): pause or cancel the baseline's jobs, and their tag
        // (Tag/UntagResource also take the baseline's Macie members, tagged as well).
        'macie2:UpdateClassificationJob',
        'macie2:TagResource',
        'macie2:UntagResource',
        'ec2:DeleteFlowLogs',
        'ec2:CreateTags',
        'ec2:DeleteTags',
        // GuardDuty Malware Protection plans on the sensitive buckets (issue 23): delete the plan, or
        // update it to drop tagging, swap the role or the bucket (resource type malwareprotectionplan,
        // `malware-protection-plan/<id>`, aws:ResourceTag:
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonguardduty.html),
        // and the tag that selects it (TagResource, UntagResource: malwareprotectionplan among their
        // optional resource types). Their role is one of `ProtectBaselineRoles`' (`<prefix>-*`).
        'guardduty:DeleteMalwareProtectionPlan',
        'guardduty:UpdateMalwareProtectionPlan',
        'guardduty:TagResource',
        'guardduty:UntagResource',
        // The baseline's KMS keys' tag (issue #22, round 3): `ProtectBaselineKeysByTag` and the RCP
        // select the keys by it (KMS TagResource, UntagResource: resource type key, which lists
        // aws:ResourceTag/${TagKey}: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
        ...KEY_TAG_ACTIONS,
      ],
      '*',
      baselineTagged,
    ),
    // The delegated-admin security services: disable, pause, disassociate, delete the detector, hub
    // or members, stop the findings export. `*`: a Region has one detector, one hub and one Macie
    // session per account, all run by the baseline's delegated administrator.
    // GuardDuty: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonguardduty.html; Security Hub: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html;
    // Macie: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmacie.html.
    deny(
      'ProtectSecurityServices',
      [
        'guardduty:DeleteDetector',
        'guardduty:UpdateDetector',
        'guardduty:DisassociateFromAdministratorAccount',
        'guardduty:DisassociateFromMasterAccount',
        'guardduty:DisassociateMembers',
        'guardduty:DeleteMembers',
        'guardduty:StopMonitoringMembers',
        'guardduty:DeletePublishingDestination',
        'guardduty:UpdateOrganizationConfiguration',
        'securityhub:DisableSecurityHub',
        'securityhub:DisassociateFromAdministratorAccount',
        'securityhub:DisassociateFromMasterAccount',
        'securityhub:DisassociateMembers',
        'securityhub:DeleteMembers',
        'securityhub:UpdateOrganizationConfiguration',
        'securityhub:DeleteConfigurationPolicy',
        'securityhub:StartConfigurationPolicyDisassociation',
        'securityhub:DeleteFindingAggregator',
        'macie2:DisableMacie',
        'macie2:UpdateMacieSession',
        'macie2:DisassociateFromAdministratorAccount',
        'macie2:DisassociateFromMasterAccount',
        'macie2:DisassociateMember',
        'macie2:DeleteMember',
        'macie2:UpdateOrganizationConfiguration',
        // Closed in issue #22: central configuration can switch Security Hub off in every account
        // (UpdateConfigurationPolicy: resource type configuration-policy; StartConfigurationPolicyAssociation:
        // hub, optional), the findings export can be pointed elsewhere (UpdatePublishingDestination:
        // publishingDestination), members' detector features switched off (UpdateMemberDetectors: no
        // resource type), and findings suppressed: trusted IP lists ("GuardDuty doesn't generate
        // findings" for them; CreateIPSet: no resource type, UpdateIPSet: ipset; their successor, trusted
        // entity sets: CreateTrustedEntitySet, no resource type, UpdateTrustedEntitySet: trustedentityset), suppression filters
        // (a filter whose action is ARCHIVE auto-archives findings; CreateFilter/UpdateFilter: filter) and
        // Security Hub automation rules, which can set a finding's workflow status to SUPPRESSED
        // (CreateAutomationRule, CreateAutomationRuleV2: no resource type; BatchUpdateAutomationRules:
        // automation-rule; UpdateAutomationRuleV2: automation-rulev2). The baseline creates no IP set,
        // filter or automation rule (modules/security-services): a suppression is a reviewed change made
        // by the pipeline. Deleting one (DeleteIPSet, DeleteFilter, DeleteAutomationRuleV2) only brings
        // findings back and stays open. `*`: every resource type above holds a detector or hub id.
        'securityhub:UpdateConfigurationPolicy',
        'securityhub:StartConfigurationPolicyAssociation',
        'securityhub:CreateAutomationRule',
        'securityhub:CreateAutomationRuleV2',
        'securityhub:BatchUpdateAutomationRules',
        'securityhub:UpdateAutomationRuleV2',
        'guardduty:UpdatePublishingDestination',
        'guardduty:UpdateMemberDetectors',
        'guardduty:CreateIPSet',
        'guardduty:UpdateIPSet',
        'guardduty:CreateTrustedEntitySet',
        'guardduty:UpdateTrustedEntitySet',
        'guardduty:CreateFilter',
        'guardduty:UpdateFilter',
        // Issue #22, round 2, turning detection off without disabling the service. GuardDuty: the
        // malware scan settings exclude resources from GuardDuty-initiated scans by tag
        // (UpdateMalwareScanSettings, no resource type). Security Hub: disable a standard, a control
        // or the import of an integrated product's findings (GuardDuty, Macie, Access Analyzer),
        // stop auto-enabling new controls (BatchDisableStandards, UpdateStandardsControl,
        // UpdateSecurityHubConfiguration, DisableImportFindingsForProduct: hub, optional;
        // BatchUpdateStandardsControlAssociations, UpdateSecurityControl: no resource type), or drop
        // Regions from the aggregator (UpdateFindingAggregator: finding-aggregator, `.../<id>`). The
        // delegated administrator is the audit account, a member: the SCP binds it; the pipeline keeps
        // them. Macie: suspend a member's Macie (UpdateMemberSession), stop publishing findings to
        // Security Hub (PutFindingsPublicationConfiguration), both without a resource type, and
        // suppression rules: a findings filter whose action is ARCHIVE (CreateFindingsFilter,
        // UpdateFindingsFilter: FindingsFilter, `findings-filter/<id>`); the baseline creates none.
        'guardduty:UpdateMalwareScanSettings',
        'securityhub:BatchDisableStandards',
        'securityhub:UpdateStandardsControl',
        'securityhub:BatchUpdateStandardsControlAssociations',
        'securityhub:UpdateSecurityControl',
        'securityhub:UpdateSecurityHubConfiguration',
        'securityhub:DisableImportFindingsForProduct',
        'securityhub:UpdateFindingAggregator',
        'macie2:UpdateMemberSession',
        'macie2:PutFindingsPublicationConfiguration',
        'macie2:CreateFindingsFilter',
        'macie2:UpdateFindingsFilter',
        // The account-level S3 Block Public Access the baseline sets (modules/s3-public-access):
        // PutAccountPublicAccessBlock has no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html),
        // and is also the permission S3 Control's DeletePublicAccessBlock requires
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_DeletePublicAccessBlock.html).
        // Access-point and bucket blocks cannot loosen the account's: S3 applies the most restrictive
        // combination (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
        's3:PutAccountPublicAccessBlock',
      ],
      '*',
    ),
    // IAM Access Analyzer (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamaccessanalyzer.html):
    // deleting the analyzer (resource type Analyzer), and blinding it without deleting it: archive rules
    // that archive new findings as they come (CreateArchiveRule, UpdateArchiveRule: resource type
    // ArchiveRule, `analyzer/<name>/archive-rule/<rule>`, which the analyzer pattern matches, as `*`
    // spans `/`), archiving existing findings (ApplyArchiveRule, UpdateFindings: Analyzer). The baseline
    // creates no archive rule (modules/security-services/access-analyzer.ts). DeleteArchiveRule stays
    // open: it only stops archiving, and findings already archived stay archived
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-archive-rules.html).
    deny(
      'ProtectBaselineAnalyzers',
      [
        'access-analyzer:DeleteAnalyzer',
        'access-analyzer:CreateArchiveRule',
        'access-analyzer:UpdateArchiveRule',
        'access-analyzer:ApplyArchiveRule',
        'access-analyzer:UpdateFindings',
        // "Modify an analyzer's configuration" (resource type Analyzer): its analysis rules can
        // exclude accounts and resources.
        'access-analyzer:UpdateAnalyzer',
      ],
      p.analyzers,
    ),
    // CloudWatch Logs, resource type log-group (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html): delete the
    // trail and flow-log groups or their streams, shorten retention, rewrite or delete the CIS metric
    // filters, or detach their key; or set a transformer, which rewrites the events the group stores as
    // they are ingested (PutTransformer: log-group; CloudWatch Logs User Guide, "Create and manage log
    // transformers": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Transformation-Create.html).
    deny(
      'ProtectBaselineLogGroups',
      [
        'logs:DeleteLogGroup',
        'logs:DeleteLogStream',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:PutMetricFilter',
        'logs:DeleteMetricFilter',
        'logs:DisassociateKmsKey',
        'logs:AssociateKmsKey',
        'logs:PutTransformer',
      ],
      p.logGroups,
    ),
    // The alarm history record (modules/alerting/alarm-history.ts), `/<prefix>/alarm-history` in the
    // audit account: only EventBridge writes it, a service principal under the group's resource policy,
    // which SCPs never restrict (see above). Writing events into it (PutLogEvents, CreateLogStream:
    // resource type log-stream, `log-group:<name>:log-stream:<stream>`, Service Authorization
    // Reference, "Amazon CloudWatch Logs":
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html)
    // would forge alarm state changes, a fake OK closing an ALARM: denied to everyone, the exempt
    // roles included, as neither the pipeline nor break-glass ever writes events. `:*` covers every
    // stream of the group (`*` spans `:`); other log groups stay writable.
    {
      Sid: 'DenyWritingAlarmHistory',
      Effect: 'Deny',
      Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
      Resource: [`arn:${PARTITION}:logs:*:*:log-group:${alarmHistoryLogGroupName(config)}:*`],
    },
    // CloudWatch, resource type alarm (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html): delete, silence or
    // rewrite the CIS and break-glass alarms, or mute their actions with an alarm mute rule: "targeted
    // alarms continue to evaluate ... but their configured actions ... are muted", and the permission is
    // checked on each alarm the rule targets (resource type alarm; CloudWatch API Reference,
    // PutAlarmMuteRule: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutAlarmMuteRule.html).
    deny('ProtectBaselineAlarms', ['cloudwatch:DeleteAlarms', 'cloudwatch:DisableAlarmActions', 'cloudwatch:PutMetricAlarm', 'cloudwatch:PutAlarmMuteRule'], p.alarms),
    // SNS, resource type topic (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html): delete the alert topics, rewrite their
    // policy or key, unsubscribe their subscribers, or rewrite a subscription (a filter policy, or raw
    // delivery, can drop alerts). Unsubscribe and SetSubscriptionAttributes take a subscription ARN,
    // `arn:aws:sns:<region>:<account>:<topic>:<id>`, and list only an optional `topic` resource type;
    // AWS does not say which ARN it authorizes them against. The pattern `arn:aws:sns:*:*:<prefix>-*`
    // applies either way: the topic ARN, and the subscription ARN too, since `*` in a Resource ARN
    // spans `:` (IAM User Guide, "IAM JSON policy elements: Resource":
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
    // Control Tower scopes sns:Unsubscribe to the topic ARN in AWS-GR_SNS_SUBSCRIPTION_CHANGE_PROHIBITED.
    // Also a grant added to the topic's policy (AddPermission) and a data protection policy, which can
    // deny or mask the alert messages (PutDataProtectionPolicy), both resource type topic.
    deny(
      'ProtectAlertTopics',
      ['sns:DeleteTopic', 'sns:SetTopicAttributes', 'sns:RemovePermission', 'sns:Unsubscribe', 'sns:SetSubscriptionAttributes', 'sns:AddPermission', 'sns:PutDataProtectionPolicy'],
      p.topics,
    ),
    // SQS, resource type queue (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html): the alert route's queues (each
    // account's alert record queue and the rules' dead-letter queues, all `<prefix>-*`): delete or purge
    // them, or rewrite their policy (SetQueueAttributes), which lets the topic and rules send.
    deny(
      'ProtectAlertQueues',
      ['sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes', 'sqs:RemovePermission', 'sqs:AddPermission'],
      p.queues,
    ),
    // The alert record queue's messages (issue #22, round 3): each account's `<prefix>-security-alerts-record`
    // keeps its alert topic's notifications 14 days; deleting a message (DeleteMessage) or hiding it
    // (ChangeMessageVisibility: up to 12 hours at a time) erases the record. Resource type queue
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html). The
    // dead-letter queues are left workable: their messages are read and cleared when investigated.
    deny('ProtectAlertRecord', ['sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], p.alertRecordQueue),
    // EventBridge, resource types rule and event-bus (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html): the
    // findings rules, the alarm forwarding rules and the central alarm bus. events:RemovePermission (and
    // PutPermission) list no resource type: only `*` could deny them, which would take every bus's
    // permissions from every account's administrators; the route-tampering alarm counts them on the
    // baseline's bus instead (docs/guardrails.md). UpdateEventBus (event-bus, optional) can set a key or
    // dead-letter queue the forwarders cannot use.
    deny(
      'ProtectAlertRoutes',
      ['events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets', 'events:DeleteEventBus', 'events:UpdateEventBus'],
      [p.eventRules, p.eventBuses],
    ),
    // The EventBridge managed rule of each Malware Protection plan (issue 23), `DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`
    // on the default bus (resource type rule-on-default-event-bus, `rule/${RuleName}`: same page): without
    // it or its target no new object reaches GuardDuty, and the plan stays ACTIVE. GuardDuty manages the
    // rule through the plans' role (modules/security-services/malware-protection-s3.ts,
    // AllowManagedRuleToSendS3EventsToGuardDuty), which SCPs restrict like any role: it is exempt.
    ...(malwareRules
      ? [
          deny(
            'ProtectMalwareProtectionRules',
            ['events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets'],
            `arn:${PARTITION}:events:*:*:rule/${MALWARE_PROTECTION_MANAGED_RULE_PREFIX}*`,
            { ArnNotLike: { 'aws:PrincipalArn': [...exempt, roleArn('*', malwareProtectionRoleName(config))] } },
          ),
        ]
      : []),
    // S3 on the log-archive buckets (resource types bucket and object), the same actions their
    // bucket policies deny (resource-policy-denials.ts). With investigations on, the same on the
    // investigations' results bucket (audit account): its policy decides who reads and writes results,
    // its lifecycle, versioning and key how long and how they are kept (modules/investigations).
    // With sensitive buckets logged (issue 23), the same on their access-log buckets (one per member
    // account and Region, `<prefix>-access-logs-*-*`: modules/s3/sensitive-bucket-access-logs.ts).
    deny(
      'ProtectLogArchiveBuckets',
      ARCHIVE_TAMPERING_ACTIONS,
      [
        p.logArchiveBuckets,
        ...(config.investigations.enabled ? [investigationsPatterns(config).resultsBucket] : []),
        ...(logsSensitiveBuckets ? [sensitiveAccessLogBucketsPattern(config)] : []),
      ].flatMap((bucket) => [bucket, `${bucket}/*`]),
    ),
    // The sensitive buckets' server access logging (issue 23). The buckets are their owners', so only
    // their logging configuration is denied: s3:PutBucketLogging (resource type bucket, Service
    // Authorization Reference, "Amazon S3": https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)
    // both turns logging off (an empty BucketLoggingStatus) and redirects it (S3 API Reference,
    // PutBucketLogging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html).
    // One ARN per bucket, as their names are the owners': the statement grows with the list, never
    // with the number of accounts.
    ...(logsSensitiveBuckets
      ? [deny('ProtectSensitiveBucketLogging', ['s3:PutBucketLogging'], config.sensitiveData.buckets.map((b) => s3BucketArn(b.name)))]
      : []),
    // KMS on the baseline's keys, selected by their aliases (kms:ResourceAliases, a multivalued key:
    // KMS Developer Guide, "kms:ResourceAliases",
    // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases),
    // since key ARNs hold ids; and the aliases themselves, so that no alias can be moved or deleted
    // to lift the protection (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html, resource types key and alias).
    // kms:ResourceAliases is documented "Policy type: IAM policies only" (KMS Developer Guide, "AWS KMS
    // condition keys"), not for SCPs, so the same denial is written twice: by alias, and by the
    // baseline's tag, which every baseline key carries (the providers' default tags) and which AWS
    // documents for KMS keys ("AWS KMS supports the aws:ResourceTag/tag-key global condition context
    // key", KMS Developer Guide, "Use tags to control access to KMS keys":
    // https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html). Whichever key the
    // SCP's request context carries, one of the two denies. The tag itself is denied to change in
    // ProtectBaselineTaggedResources.
    deny(
      'ProtectBaselineKeys',
      KEY_TAMPERING_ACTIONS.filter((a) => !a.endsWith('Alias') && !(KEY_TAG_ACTIONS as readonly string[]).includes(a)),
      '*',
      { ...exceptExempt, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': p.keyAliases } },
    ),
    deny(
      'ProtectBaselineKeysByTag',
      KEY_TAMPERING_ACTIONS.filter((a) => !a.endsWith('Alias') && !(KEY_TAG_ACTIONS as readonly string[]).includes(a)),
      `arn:${PARTITION}:kms:*:*:key/*`,
      baselineTagged,
    ),
    deny(
      'ProtectBaselineKeyAliases',
      KEY_TAMPERING_ACTIONS.filter((a) => a.endsWith('Alias')),
      p.keyAliasArns,
    ),
    // IAM, resource type role (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html): the roles the
    // baseline creates and the two exempt roles themselves, which nobody else may create, delete,
    // re-trust or re-permission (else anyone could make themselves "the pipeline"). The action list is
    // Control Tower's AWS-GR_IAM_ROLE_CHANGE_PROHIBITED's.
    // Two statements (issue #22, round 3): the baseline's `<prefix>-*` roles, which only the pipeline
    // and break-glass roles may change; and the two exempt roles themselves (and stacksets-exec-*),
    // which a StackSet may also create in a new account. A service-managed StackSet is run by the
    // management account or a delegated StackSets administrator: exempting stacksets-exec-* from the
    // first statement would let it re-trust or fence every delivery and forwarding role.
    deny('ProtectBaselineRoles', ROLE_CHANGE_ACTIONS, p.roles),
    {
      ...deny(
        'ProtectExemptRoles',
        ROLE_CHANGE_ACTIONS,
        // With Control Tower, AWS-GR_IAM_ROLE_CHANGE_PROHIBITED protects stacksets-exec-* already.
        [...exempt, ...(controlTower ? [] : [STACKSETS_EXECUTION_ROLE])],
        { ArnNotLike: { 'aws:PrincipalArn': [...exempt, STACKSETS_EXECUTION_ROLE] } },
      ),
      duplicatedByControlTower: ['AWS-GR_IAM_ROLE_CHANGE_PROHIBITED (stacksets-exec-* only)'],
    },
    // Passing the exempt roles (issue #22, round 3): iam:PassRole (resource type role; condition key
    // iam:PassedToService: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html)
    // lets a principal hand a role to a service that trusts it (CodeBuild, Lambda, CloudFormation...),
    // which then acts as that role: a member administrator passing the pipeline role to a service would
    // act as the pipeline. Only the two roles themselves may pass them (IAM User Guide, "Grant a user
    // permissions to pass a role to an AWS service":
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
    deny('DenyPassingExemptRoles', ['iam:PassRole'], exempt),
    // The security services' service-linked roles (resource type role): AWS Config records through
    // AWSServiceRoleForConfig and GuardDuty, Security Hub, Macie and Access Analyzer run through theirs.
    // IAM deletes one only "if the service is no longer using it" (DeleteServiceLinkedRole,
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteServiceLinkedRole.html), but whether
    // each service refuses while it runs is per service and not documented for all five: denied anyway.
    deny('ProtectSecurityServiceLinkedRoles', ['iam:DeleteServiceLinkedRole'], p.serviceLinkedRoles),
    // The investigations (issue #21): Athena workgroup and named queries, the Glue database and tables
    // over the log archive, the audit catalog, the readers' policy. Only with investigations on.
    ...(config.investigations.enabled ? investigationsStatements(config, exceptExempt) : []),
    // Organizations (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html): an account that leaves takes itself out of
    // the organization trail, the SCPs and the delegated services. Denied to everyone, the exempt
    // roles included: an account leaves when the management account removes it
    // (RemoveAccountFromOrganization), which SCPs never restrict.
    { Sid: 'DenyLeavingTheOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
  ];
  return statements;
}

/**
 * Athena (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html),
 * resource type workgroup: the investigations workgroup's settings (UpdateWorkGroup: its enforcement,
 * scan limit, result location and key), its deletion, and its named queries, which every named-query
 * action authorizes on the workgroup (Create/Update/DeleteNamedQuery: workgroup, required). A second
 * named query of the same name with other SQL would sit beside the baseline's: creating one is denied
 * too. A capacity assignment (PutCapacityAssignmentConfiguration: capacity-reservation and workgroup,
 * both required) would move the workgroup's queries onto a reservation someone else sizes.
 */
export const INVESTIGATIONS_ATHENA_ACTIONS = [
  'athena:UpdateWorkGroup',
  'athena:DeleteWorkGroup',
  'athena:CreateNamedQuery',
  'athena:UpdateNamedQuery',
  'athena:DeleteNamedQuery',
  'athena:PutCapacityAssignmentConfiguration',
] as const;

/**
 * Glue (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html): every
 * write to the investigations database and its tables, which only the pipeline makes. A table's
 * location, SerDe, columns and projection properties (the account and Region enums, the location
 * template) are what a query reads: UpdateTable, and the table's deletion, renaming, replacement
 * (CreateTable of a name a later config adds) and version history. Partitions: with projection on,
 * "Athena ignores any partition metadata registered to the table in the AWS Glue Data Catalog" (Athena
 * User Guide, "Use partition projection with Amazon Athena":
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html), but they would count once
 * projection were off; statistics, optimizers, functions and zero-ETL properties are not read by the
 * investigations: all denied anyway, none of them has a use on these tables. Each of these actions
 * lists the database resource type as required, the table ones the table too: Glue authorizes them on
 * the catalog, the database and the table ("CATALOG is an ancestor of all DATABASES in each account,
 * and each DATABASE is an ancestor for all of its TABLES and FUNCTIONS", Athena User Guide, "Configure
 * access to databases and tables in the AWS Glue Data Catalog":
 * https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html), so a Deny
 * on the database or table ARN alone denies the request.
 */
export const INVESTIGATIONS_GLUE_ACTIONS = [
  'glue:UpdateDatabase',
  'glue:DeleteDatabase',
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:DeleteTable',
  'glue:BatchDeleteTable',
  'glue:RenameTable',
  'glue:DeleteTableVersion',
  'glue:BatchDeleteTableVersion',
  'glue:CreatePartition',
  'glue:BatchCreatePartition',
  'glue:UpdatePartition',
  'glue:BatchUpdatePartition',
  'glue:DeletePartition',
  'glue:BatchDeletePartition',
  'glue:CreatePartitionIndex',
  'glue:DeletePartitionIndex',
  'glue:UpdateColumnStatisticsForTable',
  'glue:UpdateColumnStatisticsForPartition',
  'glue:DeleteColumnStatisticsForTable',
  'glue:DeleteColumnStatisticsForPartition',
  'glue:CreateColumnStatisticsTaskSettings',
  'glue:UpdateColumnStatisticsTaskSettings',
  'glue:DeleteColumnStatisticsTaskSettings',
  'glue:StartColumnStatisticsTaskRun',
  'glue:StartColumnStatisticsTaskRunSchedule',
  'glue:StopColumnStatisticsTaskRun',
  'glue:StopColumnStatisticsTaskRunSchedule',
  'glue:CreateTableOptimizer',
  'glue:UpdateTableOptimizer',
  'glue:DeleteTableOptimizer',
  'glue:CreateUserDefinedFunction',
  'glue:UpdateUserDefinedFunction',
  'glue:DeleteUserDefinedFunction',
  'glue:CreateIntegration',
  'glue:CreateIntegrationResourceProperty',
  'glue:UpdateIntegrationResourceProperty',
  'glue:DeleteIntegrationResourceProperty',
  'glue:CreateIntegrationTableProperties',
  'glue:UpdateIntegrationTableProperties',
  'glue:DeleteIntegrationTableProperties',
] as const;

/**
 * S3 on the investigations' results bucket, resource type bucket
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html), beside
 * `ProtectLogArchiveBuckets`: an event notification (PutBucketNotification, the permission of
 * PutBucketNotificationConfiguration: S3 API Reference,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html) would
 * start a Lambda function the moment Athena writes a result, before `baseline investigate` reads it. Left
 * open on the log-archive buckets, where a SIEM's queue notification is a legitimate use.
 */
export const INVESTIGATIONS_RESULTS_BUCKET_ACTIONS = ['s3:PutBucketNotification'] as const;

/**
 * The SCP statements of the investigations (modules/investigations/log-investigations.ts), with the
 * exemption of the others. Names from config/naming.ts (`investigationsPatterns`).
 */
export function investigationsStatements(config: BaselineConfig, exceptExempt: Conditions): GuardrailStatement[] {
  const i = investigationsPatterns(config);
  const deny = (Sid: string, Action: readonly string[], Resource: string | readonly string[], Condition: Conditions = exceptExempt): GuardrailStatement => ({
    Sid,
    Effect: 'Deny',
    Action: [...Action],
    Resource: typeof Resource === 'string' ? Resource : [...Resource],
    Condition,
  });
  return [
    // One statement for the three services: an action applies only to the ARNs of its own resource
    // types, so the Athena actions meet the workgroup, the Glue ones the database and tables, the S3 one
    // the results bucket (one Condition for all, which is most of a statement's size).
    deny(
      'ProtectInvestigations',
      [...INVESTIGATIONS_ATHENA_ACTIONS, ...INVESTIGATIONS_GLUE_ACTIONS, ...INVESTIGATIONS_RESULTS_BUCKET_ACTIONS],
      [i.workgroup, i.database, i.tables, i.functions, i.resultsBucket],
    ),
    // IAM, resource type policy (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html):
    // the readers' managed policy `<prefix>-run-investigations`, rewritten by a new default version, or
    // deleted.
    deny('ProtectInvestigationsReaderPolicy', ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy'], i.readerPolicy),
    // Detaching it from a reader role (DetachRolePolicy: resource type role, condition key
    // iam:PolicyARN, same page). The reader roles are the organization's own (logArchive.readerRoleArns),
    // not the baseline's: only this policy's detachment is denied on them.
    deny('DenyDetachingInvestigationsReaderPolicy', ['iam:DetachRolePolicy'], `arn:${PARTITION}:iam::*:role/*`, {
      ...exceptExempt,
      ArnLike: { 'iam:PolicyARN': i.readerPolicy },
    }),
  ];
}
