/**
 * The CIS AWS Foundations Benchmark monitoring controls (v1.4 and v3.0 section 4) as CloudWatch Logs
 * metric filters. The patterns are the exact strings Security Hub CloudWatch.1-14 compare against
 * ("Additional fields or terms cannot be added"), copied character for character from the Security
 * Hub user guide. Where Prowler's regular expressions want a term Security Hub forbids (route tables:
 * `$.eventSource = ec2.amazonaws.com`), a second filter with its own alarm carries it; CIS 4.15
 * (Organizations changes) has no Security Hub control and follows Prowler's remediation text.
 * `__tests__/modules/cis-monitoring.test.ts` runs both checkers' matching rules against these strings.
 */

import { DEFAULT_ADMIN_ROLE_NAMES } from '../../config/guardrails-schema';

export interface CisMetricFilter {
  /** Stable id: the logical id of the filter and alarm, and part of their names. */
  readonly id: string;
  /** The CloudWatch metric the filter emits and the alarm watches. */
  readonly metricName: string;
  readonly title: string;
  /** The filter pattern, exactly as the checker expects it. */
  readonly pattern: string;
  /** CIS AWS Foundations Benchmark recommendation (v1.4.0 / v3.0.0 numbering). */
  readonly cis: string;
  /** Security Hub control that compares this exact pattern, if any. */
  readonly securityHub?: string;
  /** SOC 2 Trust Services Criteria this evidences. */
  readonly soc2: readonly ('CC6.1' | 'CC7.2' | 'CC7.3' | 'CC8.1')[];
  /**
   * Prowler checks this filter and its alarm satisfy (matched by the ported checks in
   * `__tests__/modules/cis-monitoring.test.ts`); empty where Prowler's check wants the sibling filter.
   */
  readonly prowler: readonly string[];
}

const ROUTE_TABLE_EVENTS = [
  'CreateRoute',
  'CreateRouteTable',
  'ReplaceRoute',
  'ReplaceRouteTableAssociation',
  'DeleteRouteTable',
  'DeleteRoute',
  'DisassociateRouteTable',
];

/** CIS 4.15 event names, in the order Prowler's ordered regular expression expects them. */
export const ORGANIZATIONS_EVENTS = [
  'AcceptHandshake',
  'AttachPolicy',
  'CancelHandshake',
  'CreateAccount',
  'CreateOrganization',
  'CreateOrganizationalUnit',
  'CreatePolicy',
  'DeclineHandshake',
  'DeleteOrganization',
  'DeleteOrganizationalUnit',
  'DeletePolicy',
  'EnableAllFeatures',
  'EnablePolicyType',
  'InviteAccountToOrganization',
  'LeaveOrganization',
  'DetachPolicy',
  'DisablePolicyType',
  'MoveAccount',
  'RemoveAccountFromOrganization',
  'UpdateOrganizationalUnit',
  'UpdatePolicy',
];

export const CIS_METRIC_FILTERS: readonly CisMetricFilter[] = [
  {
    id: 'unauthorized-api-calls',
    metricName: 'UnauthorizedAPICalls',
    title: 'Unauthorized API calls',
    pattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    cis: '4.1',
    securityHub: 'CloudWatch.2',
    soc2: ['CC7.2', 'CC6.1'],
    prowler: ['cloudwatch_log_metric_filter_unauthorized_api_calls'],
  },
  {
    id: 'console-signin-without-mfa',
    metricName: 'ConsoleSignInWithoutMfa',
    title: 'Management console sign-in without MFA',
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    cis: '4.2',
    securityHub: 'CloudWatch.3',
    soc2: ['CC7.2', 'CC6.1'],
    prowler: ['cloudwatch_log_metric_filter_sign_in_without_mfa'],
  },
  {
    id: 'root-account-usage',
    metricName: 'RootAccountUsage',
    title: 'Usage of the root user',
    pattern: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    cis: '4.3',
    securityHub: 'CloudWatch.1',
    soc2: ['CC7.2', 'CC6.1'],
    prowler: ['cloudwatch_log_metric_filter_root_usage'],
  },
  {
    id: 'iam-policy-changes',
    metricName: 'IamPolicyChanges',
    title: 'IAM policy changes',
    pattern:
      '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
    cis: '4.4',
    securityHub: 'CloudWatch.4',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_log_metric_filter_policy_changes'],
  },
  {
    id: 'cloudtrail-changes',
    metricName: 'CloudTrailConfigurationChanges',
    title: 'CloudTrail configuration changes',
    pattern:
      '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
    cis: '4.5',
    securityHub: 'CloudWatch.5',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled'],
  },
  {
    id: 'console-authentication-failures',
    metricName: 'ConsoleAuthenticationFailures',
    title: 'Management console authentication failures',
    pattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    cis: '4.6',
    securityHub: 'CloudWatch.6',
    soc2: ['CC7.2', 'CC6.1'],
    prowler: ['cloudwatch_log_metric_filter_authentication_failures'],
  },
  {
    id: 'kms-key-disable-or-deletion',
    metricName: 'KmsKeyDisableOrScheduledDeletion',
    title: 'Disabling or scheduled deletion of customer-managed keys',
    pattern: '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
    cis: '4.7',
    securityHub: 'CloudWatch.7',
    soc2: ['CC7.2', 'CC6.1'],
    prowler: ['cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk'],
  },
  {
    id: 's3-bucket-policy-changes',
    metricName: 'S3BucketPolicyChanges',
    title: 'S3 bucket policy changes',
    pattern:
      '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
    cis: '4.8',
    securityHub: 'CloudWatch.8',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_log_metric_filter_for_s3_bucket_policy_changes'],
  },
  {
    id: 'config-changes',
    metricName: 'AwsConfigChanges',
    title: 'AWS Config configuration changes',
    pattern:
      '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
    cis: '4.9',
    securityHub: 'CloudWatch.9',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled'],
  },
  {
    id: 'security-group-changes',
    metricName: 'SecurityGroupChanges',
    title: 'Security group changes',
    pattern:
      '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
    cis: '4.10',
    securityHub: 'CloudWatch.10',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_log_metric_filter_security_group_changes'],
  },
  {
    id: 'network-acl-changes',
    metricName: 'NetworkAclChanges',
    title: 'Network ACL changes',
    pattern:
      '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
    cis: '4.11',
    securityHub: 'CloudWatch.11',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_changes_to_network_acls_alarm_configured'],
  },
  {
    id: 'network-gateway-changes',
    metricName: 'NetworkGatewayChanges',
    title: 'Network gateway changes',
    pattern:
      '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
    cis: '4.12',
    securityHub: 'CloudWatch.12',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_changes_to_network_gateways_alarm_configured'],
  },
  {
    id: 'route-table-changes',
    metricName: 'RouteTableChanges',
    title: 'Route table changes',
    pattern: `{${ROUTE_TABLE_EVENTS.map((e) => `($.eventName=${e})`).join(' || ')}}`,
    cis: '4.13',
    securityHub: 'CloudWatch.13',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: [],
  },
  {
    // Security Hub CloudWatch.13 forbids the eventSource term that Prowler's current check requires.
    id: 'route-table-changes-ec2',
    metricName: 'RouteTableChangesEc2',
    title: 'Route table changes (EC2 event source)',
    pattern: `{ ($.eventSource = ec2.amazonaws.com) && (${ROUTE_TABLE_EVENTS.map((e) => `($.eventName = ${e})`).join(' || ')}) }`,
    cis: '4.13',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_changes_to_network_route_tables_alarm_configured'],
  },
  {
    id: 'vpc-changes',
    metricName: 'VpcChanges',
    title: 'VPC changes',
    pattern:
      '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
    cis: '4.14',
    securityHub: 'CloudWatch.14',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_changes_to_vpcs_alarm_configured'],
  },
  {
    id: 'organizations-changes',
    metricName: 'OrganizationsChanges',
    title: 'AWS Organizations changes',
    pattern: `{ ($.eventSource = organizations.amazonaws.com) && (${ORGANIZATIONS_EVENTS.map((e) => `($.eventName = "${e}")`).join(' || ')}) }`,
    cis: '4.15',
    soc2: ['CC7.2', 'CC8.1'],
    prowler: ['cloudwatch_log_metric_filter_aws_organizations_changes'],
  },
];

/**
 * Successful console sign-ins, whatever the hour: the off-hours alarm does the time arithmetic on
 * this metric with CloudWatch metric math (see `business-hours.ts`).
 */
export const CONSOLE_SIGNIN_SUCCESS_FILTER = {
  id: 'console-signin-success',
  metricName: 'ConsoleSignInSuccess',
  title: 'Successful management console sign-ins',
  pattern: '{ ($.eventName = "ConsoleLogin") && ($.responseElements.ConsoleLogin = "Success") }',
} as const;

/**
 * The guardrails' way out is audited: any use of the break-glass role (docs/guardrails.md), in any
 * account of the organization trail, raises an alarm. Two CloudTrail shapes catch it: every call made
 * with the role's session names the role in `userIdentity.sessionContext.sessionIssuer.userName` (its
 * friendly name, without path), and assuming it is an STS call whose `requestParameters.roleArn` ends
 * with the role's path and name (CloudTrail User Guide, "CloudTrail userIdentity element":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 * A leading `*` is a CloudWatch Logs wildcard, as in Security Hub CloudWatch.2's own pattern.
 *
 * The root user's break glass counts too: with centralized root access (`guardrails.centralizedRootAccess`),
 * a member account's root user acts only through a privileged session that the management account (or
 * IAM's delegated administrator) opens with STS `AssumeRoot` ("You must use credentials from an
 * Organizations management account or a delegated administrator account for IAM to call AssumeRoot",
 * STS API Reference, AssumeRoot: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html),
 * and CloudTrail records that call as an `sts.amazonaws.com` event named `AssumeRoot` (IAM User Guide,
 * "Track privileged tasks in CloudTrail": https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html).
 * The CIS RootAccountUsage filter keeps its benchmark pattern (Security Hub CloudWatch.1 compares it),
 * so opening such a session is counted here, where the break-glass procedure applies.
 */
export function breakGlassUsageFilter(roleName: string): { id: string; metricName: string; title: string; pattern: string } {
  const friendlyName = roleName.slice(roleName.lastIndexOf('/') + 1);
  return {
    id: 'break-glass-role-used',
    metricName: 'BreakGlassRoleUsed',
    title: `Use of the break-glass role ${roleName}, or a root session opened with AssumeRoot`,
    pattern: `{ ($.userIdentity.sessionContext.sessionIssuer.userName = "${friendlyName}") || (($.eventSource = "sts.amazonaws.com") && ($.requestParameters.roleArn = "*:role/${roleName}")) || (($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRoot")) }`,
  };
}

/**
 * The guardrails exempt the pipeline and break-glass roles by name (`arn:aws:iam::*:role/<name>`), and
 * the plan role's permissions decide what every plan of unmerged code can read. SCPs protect those roles
 * in member accounts (`ProtectExemptRoles`), but never in the management account, where an
 * administrator could create a role of such a name, or re-trust or re-permission it, and so pass the key
 * policies' denials. This filter counts every such change, in any account of the organization trail:
 * the IAM role-management events of the SCP's own list (Control Tower's AWS-GR_IAM_ROLE_CHANGE_PROHIBITED),
 * each of which names its role in `requestParameters.roleName` (IAM API Reference: CreateRole, DeleteRole,
 * UpdateRole, UpdateAssumeRolePolicy, AttachRolePolicy, DetachRolePolicy, PutRolePolicy,
 * DeleteRolePolicy, PutRolePermissionsBoundary, DeleteRolePermissionsBoundary all take `RoleName`; IAM
 * calls are logged with `eventSource` `iam.amazonaws.com`: IAM User Guide, "Logging IAM and AWS STS API
 * calls with AWS CloudTrail", https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html,
 * whose example CreateRole-style records carry `requestParameters.roleName`; record fields: CloudTrail
 * User Guide, "CloudTrail record contents",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * `RoleName` is the friendly name: a role's path is a separate `Path` parameter of CreateRole, so a name
 * configured with a path is matched by its last part. Nobody is left out: the baseline's stacks never
 * create or change these roles (they are created by hand or by a StackSet, docs/guardrails.md), so every
 * such change, a new account's StackSet included, is news. Failed attempts match too.
 */
export function guardrailRoleChangeFilter(roleNames: readonly string[]): { id: string; metricName: string; title: string; pattern: string } {
  const friendly = [...new Set(roleNames.map((n) => n.slice(n.lastIndexOf('/') + 1)))];
  return {
    id: GUARDRAIL_ROLE_CHANGE_ALARM_ID,
    metricName: 'GuardrailRoleChanged',
    title: `Creating, re-trusting or re-permissioning the guardrails' roles (${friendly.join(', ')})`,
    pattern: `{ ${term('eventSource', 'iam.amazonaws.com')} && ${events(GUARDRAIL_ROLE_EVENTS)} && ${anyOf(friendly.map((n) => term('requestParameters.roleName', n)))} }`,
  };
}

/** Alarm id (name `<namePrefix>-guardrail-role-changed`) of the filter above. */
export const GUARDRAIL_ROLE_CHANGE_ALARM_ID = 'guardrail-role-changed';

/** The IAM events of `ProtectBaselineRoles`/`ProtectExemptRoles` (modules/guardrails/scp-statements.ts) that take a `RoleName`. */
export const GUARDRAIL_ROLE_EVENTS = [
  'CreateRole',
  'DeleteRole',
  'UpdateRole',
  'UpdateAssumeRolePolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
] as const;

/**
 * Tampering with the alert route and its watchers: one metric, `AlertRouteTampering`, counted by a few
 * filters on the organization trail's log group (which sees every account and Region), one per service,
 * with one `Sum >= 1` alarm on it. Each filter names the baseline's resources of its service, so a change
 * to anyone else's topic, queue, rule, alarm, analyzer, trail or role pages nobody (the organization-wide
 * calls, trusted access and delegated administrators, name no resource and are all counted); and a change by the pipeline role,
 * a routine apply reviewed before it runs (`bin/baseline review`), is left out (`routeTamperingExemptRole`).
 *
 * **Which names.** Every queue, EventBridge rule and bus, CloudWatch alarm and metric filter the baseline
 * creates is part of the alert route or watches something, so those are matched by the baseline's
 * namespace, `<namePrefix>-*`, as the guardrails' SCPs protect them (`ProtectBaselineAlarms`,
 * `ProtectAlertRoutes`): a watcher added later (the route's failure alarms, its heartbeat rules) is covered
 * without a change here. Topics are matched by name (`alertRouteNames`), because in an ARN a leading `*:`
 * followed by the namespace could also match a Region (a prefix such as `us-east`); the analyzer by name.
 *
 * **Which record field names the resource.** CloudTrail's `requestParameters` are "the parameters, if any,
 * that were sent with the request ... documented in the API reference documentation for the appropriate
 * AWS service" (CloudTrail User Guide, "CloudTrail record contents":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
 * named as the API names them with a lower-case first letter. Each service's "Logging ... API calls with
 * AWS CloudTrail" page lists the actions it logs and shows example records:
 * - SNS (`sns.amazonaws.com`; DeleteTopic, SetTopicAttributes, Subscribe, Unsubscribe,
 *   SetSubscriptionAttributes, RemovePermission all listed; example DeleteTopic record with
 *   `requestParameters.topicArn`): https://docs.aws.amazon.com/sns/latest/dg/sns-logging-using-cloudtrail.html.
 *   Unsubscribe and SetSubscriptionAttributes carry `subscriptionArn` (API_Unsubscribe,
 *   API_SetSubscriptionAttributes), `arn:aws:sns:<region>:<account>:<topic>:<id>` (SNS Developer Guide,
 *   "Amazon SNS message and JSON formats", UnsubscribeURL). The page also says an unsubscribe through an
 *   email's link is not logged: no filter sees it (docs/guardrails.md).
 * - SQS (`sqs.amazonaws.com`; DeleteQueue, SetQueueAttributes, RemovePermission with example records
 *   carrying `requestParameters.queueUrl`, `https://sqs.<region>.amazonaws.com/<account>/<queue>`;
 *   PurgeQueue listed among the logged actions, which SQS counts as management events, unlike the
 *   message-level data events such as SendMessage that a trail logs only when opted in):
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-logging-using-cloudtrail.html.
 * - EventBridge (`events.amazonaws.com`; example PutRule record with `requestParameters.name`; DeleteRule,
 *   DisableRule, PutTargets, RemoveTargets, PutPermission listed): https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-logging-monitoring.html.
 *   Targets name their rule in `rule` (API_PutTargets, API_RemoveTargets), permissions their bus in
 *   `eventBusName` (API_PutPermission, API_RemovePermission), DeleteEventBus its bus in `name`.
 * - CloudWatch (`monitoring.amazonaws.com`, the record contents page's own example of an exception to the
 *   naming convention; DeleteAlarms, DisableAlarmActions, PutMetricAlarm, SetAlarmState listed; example
 *   PutMetricAlarm record with `requestParameters.alarmName`):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/logging_cw_api_calls.html. DeleteAlarms and
 *   DisableAlarmActions take a list, `alarmNames` (API_DeleteAlarms, API_DisableAlarmActions).
 * - CloudWatch Logs (`logs.amazonaws.com`; DeleteMetricFilter and PutMetricFilter listed; example record
 *   with `requestParameters.logGroupName`): https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/logging_cw_api_calls_cwl.html.
 *   A filter is named by `filterName` (API_PutMetricFilter, API_DeleteMetricFilter).
 * - IAM Access Analyzer (`access-analyzer.amazonaws.com`; "All IAM Access Analyzer actions are logged";
 *   example CreateAnalyzer record with `requestParameters.analyzerName`, analyzer ARN
 *   `arn:aws:access-analyzer:<region>:<account>:analyzer/<name>`):
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/logging-using-cloudtrail.html. CreateArchiveRule,
 *   UpdateArchiveRule and DeleteAnalyzer take `analyzerName`; ApplyArchiveRule and UpdateFindings
 *   `analyzerArn` (IAM Access Analyzer API Reference).
 * - CloudTrail (`cloudtrail.amazonaws.com`: EventBridge events reference, "AWS CloudTrail events",
 *   https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html). PutEventSelectors,
 *   PutInsightSelectors and PutEventConfiguration name the trail in `TrailName`, "the name of the trail or
 *   trail ARN" (CloudTrail API Reference: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html,
 *   API_PutInsightSelectors.html, API_PutEventConfiguration.html), hence `"*<namePrefix>-*"`: a name or an
 *   ARN, `arn:aws:cloudtrail:<region>:<account>:trail/<name>`. DeregisterOrganizationDelegatedAdmin
 *   (API_DeregisterOrganizationDelegatedAdmin.html) removes CloudTrail's delegated administrator.
 * - Organizations (`organizations.amazonaws.com`: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-organizations.html;
 *   calls recorded in us-east-1, its only endpoint, Organizations API Reference, "Endpoint to call"):
 *   DisableAWSServiceAccess / EnableAWSServiceAccess (trusted access of GuardDuty, Security Hub, Config,
 *   CloudTrail, Access Analyzer, ...), Register/DeregisterDelegatedAdministrator, Put/DeleteResourcePolicy.
 *   No resource is named: any such call but the pipeline's is counted.
 * - GuardDuty (`guardduty.amazonaws.com`: https://docs.aws.amazon.com/guardduty/latest/ug/logging-using-cloudtrail.html,
 *   "CloudTrail captures all API calls for GuardDuty"), Security Hub (`securityhub.amazonaws.com`:
 *   https://docs.aws.amazon.com/securityhub/latest/userguide/sh-securityhub-ct.html,
 *   https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-securityhub.html) and Macie
 *   (`macie2.amazonaws.com`: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-macie2.html):
 *   DisableOrganizationAdminAccount (each service's API Reference). The filter takes a list of event
 *   sources; an event name another of them lacks matches nothing. IAM Access Analyzer and AWS Config
 *   have no such call of their own: Organizations' RegisterDelegatedAdministrator names them.
 * - IAM (`iam.amazonaws.com`, `requestParameters.roleName`: as `guardrailRoleChangeFilter` above), the
 *   events of GUARDRAIL_ROLE_EVENTS on the baseline's namespace `<namePrefix>-*`: the trails' CloudWatch
 *   Logs delivery roles, the alarm-forwarding and findings-forwarding roles, the flow-log delivery role,
 *   the Config aggregator's role. Re-trusting one, or fencing it with a deny-all permissions boundary,
 *   stops delivery or forwarding without a sound. `RoleName` is the friendly name (no path).
 *
 * **In the management account** no SCP applies (AWS Organizations User Guide, "Service control policies":
 * "SCPs don't affect users or roles in the management account"), so these filters are what sees an
 * administrator there narrow the organization trail (`put-event-selectors` to read-only events blinds
 * every organization alarm; CIS 4.5's pattern, byte-exact for Security Hub CloudWatch.5, lists only
 * Create/Update/Delete/Start/StopLogging), disconnect a security service from the organization, or
 * re-trust the trail's delivery role. What they cannot see is a rewrite of the metric filter that counts
 * metric-filter changes: the record of that PutMetricFilter is matched against the new pattern. The
 * evidence binder's exact-pattern checks and the organization trail's S3 copy (Object Lock) are the
 * detection of last resort there (docs/guardrails.md).
 *
 * **Pattern syntax** (CloudWatch Logs User Guide, "Filter pattern syntax for metric filters":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html): `$.a.b` property
 * selectors, `[n]` for an array element ("If a property selector points to an array or object, the metric
 * filter won't match", so a list is read by index), `=` and `!=`, `*` as a wildcard in a quoted string
 * (Security Hub CloudWatch.2's own pattern leads with one), `NOT EXISTS` (Security Hub CloudWatch.1 uses it
 * on `$.userIdentity.invokedBy`), `&&` and `||` under parentheses. A pattern is at most 1,024 characters
 * (CloudWatch Logs API Reference, MetricFilter: filterPattern), hence a filter per service; no regular
 * expression is used (at most five per log group). `__tests__/modules/route-tampering-alarm.test.ts` runs
 * these patterns against records of each event, checks the longest names the config allows, and checks
 * that a change to every topic, queue, rule, bus, alarm, metric filter, analyzer, trail and role the
 * example org synthesizes is counted.
 *
 * **Decisions.** Subscribe is matched: every subscription to the baseline's topics is declared in the
 * config and made by the pipeline, so another one is drift, or someone reading the alerts to learn what is
 * detected. SetAlarmState is not: it cannot silence an alarm, as "Metric alarms return to their actual
 * state quickly, often within seconds", and setting ALARM notifies through the route by itself (CloudWatch
 * API Reference, SetAlarmState: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html);
 * it is how the route is tested. A DeleteAlarms or DisableAlarmActions call naming two or more alarms
 * matches whichever they are, because a filter reads a list by index only and a baseline alarm could hide
 * behind a decoy in first place. Failed calls match too (an attempt on the route is news).
 *
 * **Unverified** against real records (no example record on the pages above): the field of every event
 * but DeleteTopic, DeleteQueue, SetQueueAttributes, RemovePermission (SQS), PutRule and PutMetricAlarm is
 * the API parameter's name, lower-cased first letter (the CloudTrail calls' `trailName`, the IAM calls'
 * `roleName`); `alarmNames` recorded as a JSON list; Access
 * Analyzer's URI parameter `analyzerName` recorded in `requestParameters`; a quoted value with a `*` at both
 * ends (a subscription's `"*:<topic>:*"`, a queue URL's `*` before `/<namePrefix>-*`), a lone `"*"`
 * matching any string, and `!=` with a wildcard on a quoted string (the documentation shows `!=` with a
 * wildcard on `123.123.*`); PurgeQueue on the current SQS page's list of management events (the page read
 * lists it among the logged actions). A wrong guess misses that event, except `!=`, where the pipeline's
 * applies would page: the first apply should check them with one call of each kind.
 */
export interface RouteTamperingFilter {
  readonly id: string;
  readonly metricName: string;
  readonly title: string;
  readonly pattern: string;
}

export const ROUTE_TAMPERING_METRIC = 'AlertRouteTampering';

/** Alarm id (name `<namePrefix>-alert-route-tampering`) of the one alarm on the filters' metric. */
export const ROUTE_TAMPERING_ALARM_ID = 'alert-route-tampering';

/**
 * The names the filters match, from the organization's `namePrefix`: its namespace, and the topics
 * (`config/naming.ts`; the route's watchdog topic, modules/alerting/route-watchdogs.ts) and analyzer
 * (stacks/management-stack.ts) by name.
 */
export function alertRouteNames(prefix: string) {
  return {
    /** Every queue, rule, bus, alarm and metric filter of the baseline: `<namePrefix>-*`. */
    namespace: `${prefix}-*`,
    /** Every account's alert topic, the central one people subscribe to, and the route's watchdog topic. */
    topics: [`${prefix}-security-alerts`, `${prefix}-security-findings`, `${prefix}-route-watchdog`],
    /**
     * The organization analyzer, in every governed Region of the audit account, and the unused access
     * analyzer of its home Region (access-analyzer.unused-access).
     */
    analyzers: [`${prefix}-organization`, `${prefix}-unused-access`],
  };
}

/**
 * The role whose changes are routine: the guardrails' pipeline role, their only routine exemption. None
 * when guardrails are off, or when it is an account's default administrator role (accepted by
 * `guardrails.acceptDefaultAdminRole`), which every administrator works through.
 */
export function routeTamperingExemptRole(guardrails: { readonly enabled: boolean; readonly pipelineRoleName?: string }): string | undefined {
  const name = guardrails.enabled ? guardrails.pipelineRoleName : undefined;
  const friendly = name?.slice(name.lastIndexOf('/') + 1).toLowerCase();
  return friendly && !DEFAULT_ADMIN_ROLE_NAMES.some((d) => d.toLowerCase() === friendly) ? name : undefined;
}

const term = (field: string, value: string, op: '=' | '!=' = '=') => `($.${field} ${op} "${value}")`;
const anyOf = (terms: readonly string[]) => (terms.length === 1 ? terms[0] : `(${terms.join(' || ')})`);
const events = (names: readonly string[]) => anyOf(names.map((n) => term('eventName', n)));

/**
 * The filters, one per service; `exemptRoleName` leaves out calls made with a session of that role, by
 * its ARN as CloudTrail records the session's issuer (`userIdentity.sessionContext.sessionIssuer.arn`,
 * CloudTrail User Guide, "CloudTrail userIdentity element"), path included, as the guardrails exempt it
 * (`arn:aws:iam::*:role/<name>`). A record with no session issuer (root, an IAM user, an AWS service) is
 * never left out, whether `!=` is true or false on a missing field.
 *
 * Only a role's session is left out: `sessionIssuer.type` must be `Role` (CloudTrail userIdentity element:
 * the issuer's type is `Root`, `IAMUser` or `Role`). A filter's `*` spans `:` and `/`, so the ARN alone
 * would also leave out a federated session of an IAM user at a path such as `/x:role/` named like the
 * pipeline role (`arn:aws:iam::<account>:user/x:role/<name>`; IAM paths may hold any printable ASCII
 * character: IAM API Reference, CreateUser, Path). A role at such a path cannot coexist with the real
 * pipeline role in its account (role names are unique, path aside: IAM User Guide, "IAM identifiers"), and
 * creating it raises GuardrailRoleChanged, which exempts nobody. A session issuer of type `Role` always
 * carries its `arn` (same page), so `!=` never meets a missing ARN there.
 */
export function alertRouteTamperingFilters(prefix: string, exemptRoleName?: string): RouteTamperingFilter[] {
  const n = alertRouteNames(prefix);
  const issuer = 'userIdentity.sessionContext.sessionIssuer.arn';
  const issuerType = 'userIdentity.sessionContext.sessionIssuer.type';
  const notExempt = exemptRoleName
    ? [`(($.${issuerType} NOT EXISTS) || ${term(issuerType, 'Role', '!=')} || ${term(issuer, `*:role/${exemptRoleName}`, '!=')})`]
    : [];
  const filter = (id: string, title: string, source: string | readonly string[], match: string): RouteTamperingFilter => ({
    id: `${ROUTE_TAMPERING_ALARM_ID}-${id}`,
    metricName: ROUTE_TAMPERING_METRIC,
    title,
    pattern: `{ ${[anyOf((typeof source === 'string' ? [source] : source).map((s) => term('eventSource', s))), match, ...notExempt].join(' && ')} }`,
  });
  return [
    filter(
      'sns',
      'Changes to the alert topics and their subscriptions',
      'sns.amazonaws.com',
      `${events(['DeleteTopic', 'SetTopicAttributes', 'Subscribe', 'RemovePermission', 'Unsubscribe', 'SetSubscriptionAttributes'])} && ${anyOf([
        ...n.topics.map((t) => term('requestParameters.topicArn', `*:${t}`)),
        ...n.topics.map((t) => term('requestParameters.subscriptionArn', `*:${t}:*`)),
      ])}`,
    ),
    filter(
      'sqs',
      "Deleting, purging or re-permissioning the alert route's queues",
      'sqs.amazonaws.com',
      `${events(['DeleteQueue', 'SetQueueAttributes', 'PurgeQueue', 'RemovePermission'])} && ${term('requestParameters.queueUrl', `*/${n.namespace}`)}`,
    ),
    filter(
      'events',
      "Disabling, rewriting or re-targeting the alert route's rules, or its central bus",
      'events.amazonaws.com',
      anyOf([
        `(${events(['DisableRule', 'DeleteRule', 'PutRule', 'DeleteEventBus'])} && ${term('requestParameters.name', n.namespace)})`,
        `(${events(['RemoveTargets', 'PutTargets'])} && ${term('requestParameters.rule', n.namespace)})`,
        `(${events(['RemovePermission', 'PutPermission'])} && ${term('requestParameters.eventBusName', n.namespace)})`,
      ]),
    ),
    filter(
      'alarms',
      "Deleting, disabling or rewriting the baseline's alarms",
      'monitoring.amazonaws.com',
      anyOf([
        `(${events(['DeleteAlarms', 'DisableAlarmActions'])} && (${term('requestParameters.alarmNames[0]', n.namespace)} || ${term('requestParameters.alarmNames[1]', '*')}))`,
        `(${term('eventName', 'PutMetricAlarm')} && ${term('requestParameters.alarmName', n.namespace)})`,
      ]),
    ),
    filter(
      'metric-filters',
      "Deleting or rewriting the baseline's metric filters",
      'logs.amazonaws.com',
      `${events(['DeleteMetricFilter', 'PutMetricFilter'])} && ${term('requestParameters.filterName', n.namespace)}`,
    ),
    filter(
      'access-analyzer',
      "Archiving or deleting the organization analyzers' findings",
      'access-analyzer.amazonaws.com',
      anyOf([
        `(${events(['CreateArchiveRule', 'UpdateArchiveRule', 'DeleteAnalyzer'])} && ${anyOf(n.analyzers.map((a) => term('requestParameters.analyzerName', a)))})`,
        `(${events(['ApplyArchiveRule', 'UpdateFindings'])} && ${anyOf(n.analyzers.map((a) => term('requestParameters.analyzerArn', `*:analyzer/${a}`)))})`,
      ]),
    ),
    filter(
      'trail',
      "Narrowing what the baseline's trails record (event selectors, Insights, event configuration)",
      'cloudtrail.amazonaws.com',
      `${events(TRAIL_SELECTOR_EVENTS)} && ${term('requestParameters.trailName', `*${n.namespace}`)}`,
    ),
    filter('organizations', "Disconnecting the security services from the organization, or moving their delegated administrator", 'organizations.amazonaws.com', events(ORGANIZATIONS_SERVICE_ACCESS_EVENTS)),
    filter(
      'delegated-admins',
      'Removing the delegated administrator of GuardDuty, Security Hub, Macie or CloudTrail',
      DELEGATED_ADMIN_EVENT_SOURCES,
      events(['DisableOrganizationAdminAccount', 'DeregisterOrganizationDelegatedAdmin']),
    ),
    filter(
      'roles',
      "Creating, re-trusting, re-permissioning or fencing the baseline's own roles (log delivery, forwarding)",
      'iam.amazonaws.com',
      `${events(GUARDRAIL_ROLE_EVENTS)} && ${term('requestParameters.roleName', n.namespace)}`,
    ),
  ];
}

/**
 * CloudTrail calls that change what a trail records without CIS 4.5's events (Create/Update/DeleteTrail,
 * Start/StopLogging): each takes `TrailName`, a trail's name or ARN (CloudTrail API Reference,
 * PutEventSelectors, PutInsightSelectors, PutEventConfiguration).
 */
export const TRAIL_SELECTOR_EVENTS = ['PutEventSelectors', 'PutInsightSelectors', 'PutEventConfiguration'] as const;

/**
 * Organizations calls that disconnect a service from the organization (trusted access), move its delegated
 * administrator, or rewrite the organization's resource policy (Organizations API Reference); none is in
 * CIS 4.15's list, which stays as Prowler expects it.
 */
export const ORGANIZATIONS_SERVICE_ACCESS_EVENTS = [
  'DisableAWSServiceAccess',
  'EnableAWSServiceAccess',
  'RegisterDelegatedAdministrator',
  'DeregisterDelegatedAdministrator',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
] as const;

/**
 * The services whose organization administrator is their own API's (`DisableOrganizationAdminAccount`;
 * CloudTrail's `DeregisterOrganizationDelegatedAdmin`); AWS Config and IAM Access Analyzer use
 * Organizations' RegisterDelegatedAdministrator, counted by the 'organizations' filter.
 */
export const DELEGATED_ADMIN_EVENT_SOURCES = ['guardduty.amazonaws.com', 'securityhub.amazonaws.com', 'macie2.amazonaws.com', 'cloudtrail.amazonaws.com'] as const;
