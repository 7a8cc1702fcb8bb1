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
import type { BaselineConfig } from '../../config/schema';
import type { Conditions, PolicyStatement } from '../iam/policy-document';
import { BASELINE_MANAGED_TAG, exemptPrincipalArns, protectedPatterns } from './protected-resources';
import { ARCHIVE_TAMPERING_ACTIONS, KEY_TAMPERING_ACTIONS } from './resource-policy-denials';

/**
 * CloudFormation StackSets' execution role in member accounts. With service-managed permissions,
 * StackSets deploys into each account (new ones included, with automatic deployment) through a
 * `stacksets-exec-*` role, which SCPs do restrict: AWS Control Tower exempts and protects it the same
 * way in AWS-GR_IAM_ROLE_CHANGE_PROHIBITED (Control Tower Controls Reference, "Mandatory controls").
 * It is exempt only from the role statement, so that a StackSet can create the pipeline and
 * break-glass roles in a new account (docs/guardrails.md), and that statement also protects it.
 */
export const STACKSETS_EXECUTION_ROLE = `arn:aws:iam::*:role/${STACKSETS_EXECUTION_ROLE_PREFIX}*`;

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
  const exceptExempt: Conditions = { ArnNotLike: { 'aws:PrincipalArn': [...exempt] } };
  const deny = (Sid: string, Action: readonly string[], Resource: string | readonly string[], Condition: Conditions = exceptExempt) =>
    ({ Sid, Effect: 'Deny', Action: [...Action], Resource: typeof Resource === 'string' ? Resource : [...Resource], Condition }) as const;

  const statements: GuardrailStatement[] = [
    // CloudTrail, resource type `trail` (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html): stop, delete, redirect or
    // thin out the organization and account trails.
    deny(
      'ProtectBaselineTrails',
      ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors'],
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
        'ec2:DeleteFlowLogs',
        'ec2:CreateTags',
        'ec2:DeleteTags',
      ],
      '*',
      { ...exceptExempt, StringEquals: { [`aws:ResourceTag/${BASELINE_MANAGED_TAG.key}`]: BASELINE_MANAGED_TAG.value } },
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
      ],
      '*',
    ),
    // IAM Access Analyzer, resource type Analyzer by name (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamaccessanalyzer.html).
    deny('ProtectBaselineAnalyzers', ['access-analyzer:DeleteAnalyzer'], p.analyzers),
    // CloudWatch Logs, resource type log-group (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html): delete the
    // trail and flow-log groups or their streams, shorten retention, rewrite or delete the CIS metric
    // filters, or detach their key.
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
      ],
      p.logGroups,
    ),
    // CloudWatch, resource type alarm (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html): delete, silence or
    // rewrite the CIS and break-glass alarms.
    deny('ProtectBaselineAlarms', ['cloudwatch:DeleteAlarms', 'cloudwatch:DisableAlarmActions', 'cloudwatch:PutMetricAlarm'], p.alarms),
    // SNS, resource type topic (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html): delete the alert topics, rewrite their
    // policy or key, or unsubscribe their subscribers (Control Tower scopes sns:Unsubscribe to the
    // topic ARN the same way in AWS-GR_SNS_SUBSCRIPTION_CHANGE_PROHIBITED).
    deny('ProtectAlertTopics', ['sns:DeleteTopic', 'sns:SetTopicAttributes', 'sns:RemovePermission', 'sns:Unsubscribe'], p.topics),
    // EventBridge, resource types rule and event-bus (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html): the
    // findings rules, the alarm forwarding rules and the central alarm bus.
    deny(
      'ProtectAlertRoutes',
      ['events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets', 'events:DeleteEventBus'],
      [p.eventRules, p.eventBuses],
    ),
    // S3 on the log-archive buckets (resource types bucket and object), the same actions their
    // bucket policies deny (resource-policy-denials.ts).
    deny('ProtectLogArchiveBuckets', ARCHIVE_TAMPERING_ACTIONS, [p.logArchiveBuckets, `${p.logArchiveBuckets}/*`]),
    // KMS on the baseline's keys, selected by their aliases (kms:ResourceAliases, a multivalued key:
    // KMS Developer Guide, "kms:ResourceAliases",
    // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases),
    // since key ARNs hold ids; and the aliases themselves, so that no alias can be moved or deleted
    // to lift the protection (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html, resource types key and alias).
    deny(
      'ProtectBaselineKeys',
      KEY_TAMPERING_ACTIONS.filter((a) => !a.endsWith('Alias')),
      '*',
      { ...exceptExempt, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': p.keyAliases } },
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
    {
      ...deny(
        'ProtectBaselineRoles',
        [
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
        ],
        // With Control Tower, AWS-GR_IAM_ROLE_CHANGE_PROHIBITED protects stacksets-exec-* already.
        [...exempt, p.roles, ...(controlTower ? [] : [STACKSETS_EXECUTION_ROLE])],
        { ArnNotLike: { 'aws:PrincipalArn': [...exempt, STACKSETS_EXECUTION_ROLE] } },
      ),
      duplicatedByControlTower: ['AWS-GR_IAM_ROLE_CHANGE_PROHIBITED (stacksets-exec-* only)'],
    },
    // Organizations (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html): an account that leaves takes itself out of
    // the organization trail, the SCPs and the delegated services. Denied to everyone, the exempt
    // roles included: an account leaves when the management account removes it
    // (RemoveAccountFromOrganization), which SCPs never restrict.
    { Sid: 'DenyLeavingTheOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
  ];
  return statements;
}
