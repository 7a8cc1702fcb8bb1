/**
 * The CIS AWS Foundations Benchmark monitoring controls (v1.4 and v3.0 section 4) as CloudWatch Logs
 * metric filters. The patterns are the exact strings Security Hub CloudWatch.1-14 compare against
 * ("Additional fields or terms cannot be added"), copied character for character from the Security
 * Hub user guide. Where Prowler's regular expressions want a term Security Hub forbids (route tables:
 * `$.eventSource = ec2.amazonaws.com`), a second filter with its own alarm carries it; CIS 4.15
 * (Organizations changes) has no Security Hub control and follows Prowler's remediation text.
 * `__tests__/modules/cis-monitoring.test.ts` runs both checkers' matching rules against these strings.
 */

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
 */
export function breakGlassUsageFilter(roleName: string): { id: string; metricName: string; title: string; pattern: string } {
  const friendlyName = roleName.slice(roleName.lastIndexOf('/') + 1);
  return {
    id: 'break-glass-role-used',
    metricName: 'BreakGlassRoleUsed',
    title: `Use of the break-glass role ${roleName}`,
    pattern: `{ ($.userIdentity.sessionContext.sessionIssuer.userName = "${friendlyName}") || (($.eventSource = "sts.amazonaws.com") && ($.requestParameters.roleArn = "*:role/${roleName}")) }`,
  };
}
