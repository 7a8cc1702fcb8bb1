/**
 * The CIS monitoring controls, judged by the checkers' own matching rules:
 * - Security Hub CloudWatch.1-14 compare the filter pattern with AWS's documented string exactly;
 * - Prowler regex-matches (re.search with DOTALL, case-sensitive) every filter pattern on a trail's log
 *   group and passes when an alarm watches that filter's metric. Older Prowler uses ordered regular
 *   expressions; current Prowler builds order-independent lookaheads (build_metric_filter_pattern).
 */
import { businessHoursUtc, offHoursExpression, type BusinessHours } from '../../modules/cis-monitoring/business-hours';
import { configWith, exampleConfig, oneResource, resourcesOf, statement, statements, synthStack, type Synth } from '../helpers';

// Security Hub user guide, "CloudWatch controls": the exact filter patterns.
const SECURITY_HUB: Record<string, string> = {
  'CloudWatch.1': '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
  'CloudWatch.2': '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
  'CloudWatch.3':
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  'CloudWatch.4':
    '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
  'CloudWatch.5': '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
  'CloudWatch.6': '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
  'CloudWatch.7': '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
  'CloudWatch.8':
    '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
  'CloudWatch.9':
    '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
  'CloudWatch.10':
    '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
  'CloudWatch.11':
    '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
  'CloudWatch.12':
    '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
  'CloudWatch.13':
    '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}',
  'CloudWatch.14':
    '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
};

// Prowler's ordered regular expressions (prowler/providers/aws/services/cloudwatch/*/*.py), verbatim.
const PROWLER_ORDERED: Record<string, string> = {
  cloudwatch_log_metric_filter_unauthorized_api_calls: String.raw`\$\.errorCode\s*=\s*.?\*UnauthorizedOperation.+\$\.errorCode\s*=\s*.?AccessDenied\*.?`,
  cloudwatch_log_metric_filter_sign_in_without_mfa: String.raw`\$\.eventName\s*=\s*.?ConsoleLogin.+\$\.additionalEventData\.MFAUsed\s*!=\s*.?Yes.?`,
  cloudwatch_log_metric_filter_root_usage: String.raw`\$\.userIdentity\.type\s*=\s*.?Root.+\$\.userIdentity\.invokedBy NOT EXISTS.+\$\.eventType\s*!=\s*.?AwsServiceEvent.?`,
  cloudwatch_log_metric_filter_policy_changes: String.raw`\$\.eventName\s*=\s*.?DeleteGroupPolicy.+\$\.eventName\s*=\s*.?DeleteRolePolicy.+\$\.eventName\s*=\s*.?DeleteUserPolicy.+\$\.eventName\s*=\s*.?PutGroupPolicy.+\$\.eventName\s*=\s*.?PutRolePolicy.+\$\.eventName\s*=\s*.?PutUserPolicy.+\$\.eventName\s*=\s*.?CreatePolicy.+\$\.eventName\s*=\s*.?DeletePolicy.+\$\.eventName\s*=\s*.?CreatePolicyVersion.+\$\.eventName\s*=\s*.?DeletePolicyVersion.+\$\.eventName\s*=\s*.?AttachRolePolicy.+\$\.eventName\s*=\s*.?DetachRolePolicy.+\$\.eventName\s*=\s*.?AttachUserPolicy.+\$\.eventName\s*=\s*.?DetachUserPolicy.+\$\.eventName\s*=\s*.?AttachGroupPolicy.+\$\.eventName\s*=\s*.?DetachGroupPolicy.?`,
  cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled: String.raw`\$\.eventName\s*=\s*.?CreateTrail.+\$\.eventName\s*=\s*.?UpdateTrail.+\$\.eventName\s*=\s*.?DeleteTrail.+\$\.eventName\s*=\s*.?StartLogging.+\$\.eventName\s*=\s*.?StopLogging.?`,
  cloudwatch_log_metric_filter_authentication_failures: String.raw`\$\.eventName\s*=\s*.?ConsoleLogin.+\$\.errorMessage\s*=\s*.?Failed authentication.?`,
  cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk: String.raw`\$\.eventSource\s*=\s*.?kms.amazonaws.com.+\$\.eventName\s*=\s*.?DisableKey.+\$\.eventName\s*=\s*.?ScheduleKeyDeletion.?`,
  cloudwatch_log_metric_filter_for_s3_bucket_policy_changes: String.raw`\$\.eventSource\s*=\s*.?s3.amazonaws.com.+\$\.eventName\s*=\s*.?PutBucketAcl.+\$\.eventName\s*=\s*.?PutBucketPolicy.+\$\.eventName\s*=\s*.?PutBucketCors.+\$\.eventName\s*=\s*.?PutBucketLifecycle.+\$\.eventName\s*=\s*.?PutBucketReplication.+\$\.eventName\s*=\s*.?DeleteBucketPolicy.+\$\.eventName\s*=\s*.?DeleteBucketCors.+\$\.eventName\s*=\s*.?DeleteBucketLifecycle.+\$\.eventName\s*=\s*.?DeleteBucketReplication.?`,
  cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled: String.raw`\$\.eventSource\s*=\s*.?config.amazonaws.com.+\$\.eventName\s*=\s*.?StopConfigurationRecorder.+\$\.eventName\s*=\s*.?DeleteDeliveryChannel.+\$\.eventName\s*=\s*.?PutDeliveryChannel.+\$\.eventName\s*=\s*.?PutConfigurationRecorder.?`,
  cloudwatch_log_metric_filter_security_group_changes: String.raw`\$\.eventName\s*=\s*.?AuthorizeSecurityGroupIngress.+\$\.eventName\s*=\s*.?AuthorizeSecurityGroupEgress.+\$\.eventName\s*=\s*.?RevokeSecurityGroupIngress.+\$\.eventName\s*=\s*.?RevokeSecurityGroupEgress.+\$\.eventName\s*=\s*.?CreateSecurityGroup.+\$\.eventName\s*=\s*.?DeleteSecurityGroup.?`,
  cloudwatch_changes_to_network_acls_alarm_configured: String.raw`\$\.eventName\s*=\s*.?CreateNetworkAcl.+\$\.eventName\s*=\s*.?CreateNetworkAclEntry.+\$\.eventName\s*=\s*.?DeleteNetworkAcl.+\$\.eventName\s*=\s*.?DeleteNetworkAclEntry.+\$\.eventName\s*=\s*.?ReplaceNetworkAclEntry.+\$\.eventName\s*=\s*.?ReplaceNetworkAclAssociation.?`,
  cloudwatch_changes_to_network_gateways_alarm_configured: String.raw`\$\.eventName\s*=\s*.?CreateCustomerGateway.+\$\.eventName\s*=\s*.?DeleteCustomerGateway.+\$\.eventName\s*=\s*.?AttachInternetGateway.+\$\.eventName\s*=\s*.?CreateInternetGateway.+\$\.eventName\s*=\s*.?DeleteInternetGateway.+\$\.eventName\s*=\s*.?DetachInternetGateway.?`,
  cloudwatch_changes_to_network_route_tables_alarm_configured: String.raw`\$\.eventName\s*=\s*.?CreateRoute.+\$\.eventName\s*=\s*.?CreateRouteTable.+\$\.eventName\s*=\s*.?ReplaceRoute.+\$\.eventName\s*=\s*.?ReplaceRouteTableAssociation.+\$\.eventName\s*=\s*.?DeleteRouteTable.+\$\.eventName\s*=\s*.?DeleteRoute.+\$\.eventName\s*=\s*.?DisassociateRouteTable.?`,
  cloudwatch_changes_to_vpcs_alarm_configured: String.raw`\$\.eventName\s*=\s*.?CreateVpc.+\$\.eventName\s*=\s*.?DeleteVpc.+\$\.eventName\s*=\s*.?ModifyVpcAttribute.+\$\.eventName\s*=\s*.?AcceptVpcPeeringConnection.+\$\.eventName\s*=\s*.?CreateVpcPeeringConnection.+\$\.eventName\s*=\s*.?DeleteVpcPeeringConnection.+\$\.eventName\s*=\s*.?RejectVpcPeeringConnection.+\$\.eventName\s*=\s*.?AttachClassicLinkVpc.+\$\.eventName\s*=\s*.?DetachClassicLinkVpc.+\$\.eventName\s*=\s*.?DisableVpcClassicLink.+\$\.eventName\s*=\s*.?EnableVpcClassicLink.?`,
  cloudwatch_log_metric_filter_aws_organizations_changes: String.raw`\$\.eventSource\s*=\s*.?organizations\.amazonaws\.com.+\$\.eventName\s*=\s*.?AcceptHandshake.+\$\.eventName\s*=\s*.?AttachPolicy.+\$\.eventName\s*=\s*.?CancelHandshake.+\$\.eventName\s*=\s*.?CreateAccount.+\$\.eventName\s*=\s*.?CreateOrganization.+\$\.eventName\s*=\s*.?CreateOrganizationalUnit.+\$\.eventName\s*=\s*.?CreatePolicy.+\$\.eventName\s*=\s*.?DeclineHandshake.+\$\.eventName\s*=\s*.?DeleteOrganization.+\$\.eventName\s*=\s*.?DeleteOrganizationalUnit.+\$\.eventName\s*=\s*.?DeletePolicy.+\$\.eventName\s*=\s*.?EnableAllFeatures.+\$\.eventName\s*=\s*.?EnablePolicyType.+\$\.eventName\s*=\s*.?InviteAccountToOrganization.+\$\.eventName\s*=\s*.?LeaveOrganization.+\$\.eventName\s*=\s*.?DetachPolicy.+\$\.eventName\s*=\s*.?DisablePolicyType.+\$\.eventName\s*=\s*.?MoveAccount.+\$\.eventName\s*=\s*.?RemoveAccountFromOrganization.+\$\.eventName\s*=\s*.?UpdateOrganizationalUnit.+\$\.eventName\s*=\s*.?UpdatePolicy.?`,
};

/** Python's re.escape (3.7+): a backslash before each regex-special character and whitespace. */
function pyEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&');
}

/** Port of Prowler's build_metric_filter_pattern: one lookahead per clause, in any order. */
function buildMetricFilterPattern(args: {
  eventNames?: string[];
  eventSource?: string;
  extraClauses?: [string, '=' | '!=', string][];
}): string {
  const parts: string[] = [];
  if (args.eventSource !== undefined) parts.push(String.raw`(?=.*\$\.eventSource\s*=\s*.?` + pyEscape(args.eventSource) + ')');
  for (const name of args.eventNames ?? []) parts.push(String.raw`(?=.*\$\.eventName\s*=\s*.?` + pyEscape(name) + String.raw`\b)`);
  for (const [field, op, value] of args.extraClauses ?? []) {
    const operator = op === '!=' ? String.raw`\s*!=\s*` : String.raw`\s*=\s*`;
    parts.push(String.raw`(?=.*\$\.` + pyEscape(field) + operator + '.?' + pyEscape(value) + ')');
  }
  return parts.join('');
}

// The builder arguments of Prowler's current checks (unauthorized calls and root usage still use
// the ordered form above).
const PROWLER_LOOKAHEAD: Record<string, string> = {
  cloudwatch_log_metric_filter_unauthorized_api_calls: PROWLER_ORDERED.cloudwatch_log_metric_filter_unauthorized_api_calls,
  cloudwatch_log_metric_filter_root_usage: PROWLER_ORDERED.cloudwatch_log_metric_filter_root_usage,
  cloudwatch_log_metric_filter_sign_in_without_mfa: buildMetricFilterPattern({
    eventNames: ['ConsoleLogin'],
    extraClauses: [['additionalEventData.MFAUsed', '!=', 'Yes']],
  }),
  cloudwatch_log_metric_filter_policy_changes: buildMetricFilterPattern({
    eventNames: [
      'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
      'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
      'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
    ],
  }),
  cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled: buildMetricFilterPattern({
    eventNames: ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'],
  }),
  cloudwatch_log_metric_filter_authentication_failures: buildMetricFilterPattern({
    eventNames: ['ConsoleLogin'],
    extraClauses: [['errorMessage', '=', 'Failed authentication']],
  }),
  cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk: buildMetricFilterPattern({
    eventSource: 'kms.amazonaws.com',
    eventNames: ['DisableKey', 'ScheduleKeyDeletion'],
  }),
  cloudwatch_log_metric_filter_for_s3_bucket_policy_changes: buildMetricFilterPattern({
    eventSource: 's3.amazonaws.com',
    eventNames: [
      'PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication',
      'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication',
    ],
  }),
  cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled: buildMetricFilterPattern({
    eventSource: 'config.amazonaws.com',
    eventNames: ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'],
  }),
  cloudwatch_log_metric_filter_security_group_changes: buildMetricFilterPattern({
    eventNames: [
      'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup',
    ],
  }),
  cloudwatch_changes_to_network_acls_alarm_configured: buildMetricFilterPattern({
    eventNames: [
      'CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation',
    ],
  }),
  cloudwatch_changes_to_network_gateways_alarm_configured: buildMetricFilterPattern({
    eventNames: [
      'CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway',
      'DeleteInternetGateway', 'DetachInternetGateway',
    ],
  }),
  cloudwatch_changes_to_network_route_tables_alarm_configured: buildMetricFilterPattern({
    eventSource: 'ec2.amazonaws.com',
    eventNames: [
      'CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable',
      'DeleteRoute', 'DisassociateRouteTable',
    ],
  }),
  cloudwatch_changes_to_vpcs_alarm_configured: buildMetricFilterPattern({
    eventNames: [
      'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc',
      'DisableVpcClassicLink', 'EnableVpcClassicLink',
    ],
  }),
  cloudwatch_log_metric_filter_aws_organizations_changes: buildMetricFilterPattern({
    eventSource: 'organizations.amazonaws.com',
    eventNames: [
      'AcceptHandshake', 'AttachPolicy', 'CancelHandshake', 'CreateAccount', 'CreateOrganization',
      'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit',
      'DeletePolicy', 'EnableAllFeatures', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization',
      'DetachPolicy', 'DisablePolicyType', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdateOrganizationalUnit',
      'UpdatePolicy',
    ],
  }),
};

interface Setting {
  stack: string;
  account: string;
  logGroup: string;
  provider?: string;
}

const SETTINGS: Setting[] = [
  { stack: 'management', account: '111111111111', logGroup: '/acme-soc2/cloudtrail/organization', provider: 'aws.management' },
  { stack: 'member-222222222222', account: '222222222222', logGroup: '/acme-soc2/cloudtrail/account' },
  { stack: 'member-444444444444', account: '444444444444', logGroup: '/acme-soc2/cloudtrail/account' },
];

const topicArn = (account: string) => `arn:aws:sns:us-east-1:${account}:acme-soc2-security-alerts`;

/** What Prowler's helper does: a matching filter on the trail's log group whose metric has an alarm. */
function prowlerPasses(json: Synth, logGroup: string, regex: string): boolean {
  const re = new RegExp(regex, 's');
  const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm').map(([, a]) => a);
  return resourcesOf(json, 'aws_cloudwatch_log_metric_filter').some(
    ([, f]) =>
      f.log_group_name === logGroup &&
      re.test(f.pattern) &&
      alarms.some(
        (a) =>
          a.metric_name === f.metric_transformation.name &&
          a.namespace === f.metric_transformation.namespace &&
          a.region === f.region,
      ),
  );
}

describe.each(SETTINGS)('CIS monitoring in $stack', ({ stack, account, logGroup, provider }) => {
  const json = synthStack(exampleConfig(), stack);
  // This account's (the management stack also builds the audit account's route watchdogs: route-watchdogs.test.ts).
  const own = (r: { provider?: string }) => !provider || r.provider === provider;
  const filters = resourcesOf(json, 'aws_cloudwatch_log_metric_filter').map(([, f]) => f).filter(own);
  const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm').map(([, a]) => a).filter(own);

  test('the filters watch the trail log group this account owns', () => {
    // The organization trail's log group also carries the guardrails' break-glass and role-change
    // filters and the ten route-tampering filters (route-tampering-alarm.test.ts).
    expect(filters).toHaveLength(stack === 'management' ? 29 : 17);
    for (const f of filters) {
      expect(f).toMatchObject({ log_group_name: logGroup, region: 'us-east-1' });
      if (provider) expect(f.provider).toBe(provider);
      expect(f.metric_transformation).toMatchObject({ namespace: 'CISBenchmark', value: '1' });
    }
  });

  test.each(Object.entries(SECURITY_HUB))('Security Hub %s: its exact pattern is present, with an alarm on the topic', (_control, pattern) => {
    const matching = filters.filter((f) => f.pattern === pattern);
    expect(matching).toHaveLength(1);
    const alarm = alarms.filter((a) => a.metric_name === matching[0].metric_transformation.name);
    expect(alarm).toHaveLength(1);
    expect(alarm[0]).toMatchObject({
      namespace: 'CISBenchmark',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      treat_missing_data: 'notBreaching',
      actions_enabled: true,
      alarm_actions: [topicArn(account)],
    });
  });

  test.each(Object.entries(PROWLER_ORDERED))('Prowler %s (ordered regex) passes', (_check, regex) => {
    expect(prowlerPasses(json, logGroup, regex)).toBe(true);
  });

  test.each(Object.entries(PROWLER_LOOKAHEAD))('Prowler %s (order-independent regex) passes', (_check, regex) => {
    expect(prowlerPasses(json, logGroup, regex)).toBe(true);
  });

  test('every filter metric has exactly one alarm, acting on the alert topic', () => {
    for (const f of filters) {
      // The ten route-tampering filters count one metric, which one alarm watches.
      const watching = alarms.filter(
        (a) => a.metric_name === f.metric_transformation.name || JSON.stringify(a.metric_query ?? []).includes(`"${f.metric_transformation.name}"`),
      );
      expect(watching).toHaveLength(1);
      expect(watching[0].alarm_actions).toEqual([topicArn(account)]);
    }
  });

  test("the alert topic is KMS-encrypted, publishable by this account's alarms only, and subscribed by a same-account queue", () => {
    const topic = oneResource(json, 'aws_sns_topic', (t) => t.name === 'acme-soc2-security-alerts');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    const keyId = /aws_kms_key\.([^.]+)\.arn/.exec(topic.kms_master_key_id)![1];
    const keyPolicy = json.resource!.aws_kms_key[keyId].policy;
    const fromAlarms = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${account}:alarm:*` },
    };
    expect(statement(keyPolicy, 'CloudWatchAlarmsOfThisAccountPublish')).toEqual({
      Sid: 'CloudWatchAlarmsOfThisAccountPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: fromAlarms,
    });
    expect(keyPolicy).not.toContain('events.amazonaws.com');
    const policy = oneResource(json, 'aws_sns_topic_policy', (p) => p.policy.includes(topicArn(account))).policy;
    expect(statement(policy, 'CloudWatchAlarmsOfThisAccountPublish')).toEqual({
      Sid: 'CloudWatchAlarmsOfThisAccountPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'SNS:Publish',
      Resource: topicArn(account),
      Condition: fromAlarms,
    });
    // Nobody outside the account may list the subscriptions (an HTTPS endpoint can be a secret);
    // the account's own principals need no topic-policy grant (same-account access by IAM policy).
    expect(statements(policy).map((st) => st.Sid)).toEqual(['CloudWatchAlarmsOfThisAccountPublish']);
    expect(policy).not.toContain('ListSubscriptionsByTopic');
    expect(policy).not.toContain('aws:PrincipalOrgID');
    // Its one subscriber is an SQS queue of the same account: confirmed without a person (SNS API
    // reference, Subscribe), so CIS 4.x / Security Hub CloudWatch.x find a subscriber in this account.
    const [topicId] = resourcesOf(json, 'aws_sns_topic').find(([, t]) => t === topic)!;
    const subscriptions = resourcesOf(json, 'aws_sns_topic_subscription')
      .map(([, s]) => s)
      .filter((s) => s.topic_arn === `\${aws_sns_topic.${topicId}.arn}`);
    const [queueId, queue] = resourcesOf(json, 'aws_sqs_queue').find(([, q]) => q.name === 'acme-soc2-security-alerts-record')!;
    expect(subscriptions.map((s) => [s.protocol, s.endpoint])).toEqual([['sqs', `\${aws_sqs_queue.${queueId}.arn}`]]);
    expect(queue).toMatchObject({ provider: provider ?? 'aws', region: 'us-east-1', sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    expect(statements(oneResource(json, 'aws_sqs_queue_policy', (q) => q.policy.includes('AlertTopicDelivers')).policy)).toEqual([
      {
        Sid: 'AlertTopicDelivers',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: `arn:aws:sqs:us-east-1:${account}:acme-soc2-security-alerts-record`,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn(account) } },
      },
      // The record of alerts cannot be erased message by message (issue 22): nobody but the owning
      // account's pipeline and break-glass roles may delete a message, hide it, purge, re-configure,
      // delete or re-permission the queue (SQS API Reference; evaluated in __tests__/modules/guardrails/denials-round-3.test.ts).
      {
        Sid: 'DenyRecordErasureExceptPipeline',
        Effect: 'Deny',
        Principal: '*',
        Action: ['sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes', 'sqs:DeleteQueue', 'sqs:AddPermission', 'sqs:RemovePermission'],
        Resource: `arn:aws:sqs:us-east-1:${account}:acme-soc2-security-alerts-record`,
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${account}:role/soc2-baseline-pipeline`, `arn:aws:iam::${account}:role/soc2-baseline-break-glass`] },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      },
    ]);
  });
});

describe('member account trails', () => {
  test('each member but the management account owns a multi-Region trail into the central bucket', () => {
    const json = synthStack(exampleConfig(), 'member-444444444444');
    const trail = oneResource(json, 'aws_cloudtrail');
    expect(trail).toMatchObject({
      name: 'acme-soc2-account-trail',
      region: 'us-east-1',
      is_organization_trail: false,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      s3_bucket_name: 'acme-soc2-cloudtrail-222222222222-us-east-1',
      s3_key_prefix: 'account-trails',
      kms_key_id: 'arn:aws:kms:us-east-1:222222222222:alias/acme-soc2/cloudtrail',
      advanced_event_selector: [
        { name: 'Management events selector', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] },
      ],
    });
    const logGroup = oneResource(json, 'aws_cloudwatch_log_group');
    expect(logGroup).toMatchObject({ name: '/acme-soc2/cloudtrail/account', retention_in_days: 365 });
    expect(logGroup.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(trail.cloud_watch_logs_group_arn).toMatch(/^\$\{aws_cloudwatch_log_group\..*\.arn\}:\*$/);
  });

  test('the management account has none: it owns the organization trail and its alarms', () => {
    const json = synthStack(exampleConfig(), 'member-111111111111');
    for (const type of ['aws_cloudtrail', 'aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_metric_alarm', 'aws_sns_topic']) {
      expect(resourcesOf(json, type)).toEqual([]);
    }
  });

  test('the log archive lets account trails of the organization write under account-trails/ and encrypt', () => {
    const json = synthStack(exampleConfig(), 'management');
    const pattern = 'arn:aws:cloudtrail:us-east-1:*:trail/acme-soc2-account-trail';
    const bucketPolicy = oneResource(json, 'aws_s3_bucket_policy', (p) => p.policy.includes('CloudTrailWriteAccountTrails')).policy;
    expect(statement(bucketPolicy, 'CloudTrailWriteAccountTrails')).toEqual({
      Sid: 'CloudTrailWriteAccountTrails',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::acme-soc2-cloudtrail-222222222222-us-east-1/account-trails/AWSLogs/*',
      Condition: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceOrgID': 'o-exampleorg01' },
        StringLike: { 'aws:SourceArn': pattern },
      },
    });
    expect(statement(bucketPolicy, 'CloudTrailAclCheckAccountTrails').Condition).toEqual({
      StringEquals: { 'aws:SourceOrgID': 'o-exampleorg01' },
      StringLike: { 'aws:SourceArn': pattern },
    });
    const key = oneResource(json, 'aws_kms_key', (k) => k.policy.includes('CloudTrailEncryptForAccountTrails'));
    expect(statement(key.policy, 'CloudTrailEncryptForAccountTrails')).toEqual({
      Sid: 'CloudTrailEncryptForAccountTrails',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceOrgID': 'o-exampleorg01' },
        StringLike: { 'aws:SourceArn': pattern, 'kms:EncryptionContext:aws:cloudtrail:arn': pattern },
      },
    });
    // DescribeKey and (bucket-key) Decrypt requests carry no CloudTrail encryption context.
    expect(statement(key.policy, 'CloudTrailDescribeAndDecryptForAccountTrails')).toEqual({
      Sid: 'CloudTrailDescribeAndDecryptForAccountTrails',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: ['kms:DescribeKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceOrgID': 'o-exampleorg01' }, StringLike: { 'aws:SourceArn': pattern } },
    });
  });

  test("an account trail keeps the alias it was given (CloudTrail reads back the key ARN), and its stack can be destroyed", () => {
    const json = synthStack(exampleConfig(), 'member-444444444444');
    expect(oneResource(json, 'aws_cloudtrail').lifecycle).toEqual({ ignore_changes: ['kms_key_id'] });
    for (const [, key] of resourcesOf(json, 'aws_kms_key')) expect(key.lifecycle).toEqual({ prevent_destroy: false });
  });

  test('turned off, members get no trail, alarms or topic, and the log archive grants nothing for them', () => {
    const config = configWith((raw) => {
      raw.monitoring = { accountTrails: false };
      raw.controlExceptions = [{ control: 'cloudtrail.account-trails', reason: 'CIS monitoring is evaluated on the organization trail only' }];
    });
    const member = synthStack(config, 'member-444444444444');
    for (const type of ['aws_cloudtrail', 'aws_cloudwatch_log_group', 'aws_cloudwatch_metric_alarm', 'aws_sns_topic']) {
      expect(resourcesOf(member, type)).toEqual([]);
    }
    expect(resourcesOf(member, 'aws_config_configuration_recorder')).toHaveLength(3);
    const management = JSON.stringify(synthStack(config, 'management'));
    expect(management).not.toContain('AccountTrails');
    expect(management).toContain('CloudTrailWriteOrganizationTrail');
  });
});

describe('findings routing in the audit account', () => {
  const json = synthStack(exampleConfig(), 'management');
  const rules = resourcesOf(json, 'aws_cloudwatch_event_rule').map(([, r]) => r);
  const targets = resourcesOf(json, 'aws_cloudwatch_event_target').map(([, t]) => t);
  const findingsTopic = 'arn:aws:sns:us-east-1:333333333333:acme-soc2-security-findings';

  test('GuardDuty findings of severity 7+ are caught in every governed Region', () => {
    const guardduty = rules.filter((r) => r.name === 'acme-soc2-guardduty-high-severity');
    expect(guardduty.map((r) => r.region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    for (const r of guardduty) {
      expect(r.provider).toBe('aws.audit');
      expect(JSON.parse(r.event_pattern)).toEqual({
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { severity: [{ numeric: ['>=', 7] }] },
      });
    }
  });

  test('Security Hub HIGH and CRITICAL findings are caught once, in the aggregation (home) Region', () => {
    const hub = rules.filter((r) => r.name === 'acme-soc2-securityhub-high-critical');
    expect(hub).toHaveLength(1);
    expect(hub[0].region).toBe('us-east-1');
    expect(JSON.parse(hub[0].event_pattern)).toEqual({
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
      detail: {
        findings: {
          Severity: { Label: ['HIGH', 'CRITICAL'] },
          RecordState: ['ACTIVE'],
          Workflow: { Status: ['NEW'] },
          ProductName: [{ 'anything-but': 'GuardDuty' }],
        },
      },
    });
  });

  test('the findings topic is encrypted and publishable only by EventBridge rules of the audit account', () => {
    const topic = oneResource(json, 'aws_sns_topic', (t) => t.name === 'acme-soc2-security-findings');
    expect(topic.provider).toBe('aws.audit');
    const policy = oneResource(json, 'aws_sns_topic_policy', (p) => p.policy.includes(findingsTopic)).policy;
    expect(statement(policy, 'EventBridgeRulesOfThisAccountPublish')).toEqual({
      Sid: 'EventBridgeRulesOfThisAccountPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'SNS:Publish',
      Resource: findingsTopic,
      Condition: {
        StringEquals: { 'aws:SourceAccount': '333333333333' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:333333333333:rule/*' },
      },
    });
    const keyId = /aws_kms_key\.([^.]+)\.arn/.exec(topic.kms_master_key_id)![1];
    // EventBridge's KMS requests carry no aws:Source* keys: a condition there would drop every finding.
    expect(statement(json.resource!.aws_kms_key[keyId].policy, 'EventBridgeRulesPublish')).toEqual({
      Sid: 'EventBridgeRulesPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
    });
  });

  test('home-Region rules publish to the findings topic; the others forward to the home event bus', () => {
    // The findings rules are on the default bus (the central alarm rule, on its own bus, is tested in alert-routing).
    const toTopic = targets.filter((t) => t.arn === findingsTopic && t.event_bus_name === undefined);
    expect(toTopic).toHaveLength(2);
    for (const t of toTopic) expect(t.region).toBe('us-east-1');
    const forwards = targets.filter((t) => t.arn === 'arn:aws:events:us-east-1:333333333333:event-bus/default');
    expect(forwards.map((t) => t.region).sort()).toEqual(['eu-west-1', 'us-west-2']);
    const role = oneResource(json, 'aws_iam_role', (r) => r.name === 'acme-soc2-forward-findings-to-us-east-1');
    for (const t of forwards) expect(t.role_arn).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toEqual({
      Sid: 'AllowServiceToAssume',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '333333333333' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:333333333333:rule/acme-soc2-guardduty-high-severity' },
      },
    });
    const rolePolicy = oneResource(json, 'aws_iam_role_policy', (p) => p.name === 'put-events-on-home-bus');
    expect(JSON.parse(rolePolicy.policy).Statement).toEqual([
      { Sid: 'PutEventsOnHomeRegionBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: 'arn:aws:events:us-east-1:333333333333:event-bus/default' },
    ]);
  });
});

describe('console sign-ins outside business hours', () => {
  const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

  /** The oracle: local wall-clock time, computed independently of the code under test. */
  function insideLocally(hours: BusinessHours, utc: Date): boolean {
    const sign = hours.utcOffset.startsWith('-') ? -1 : 1;
    const [oh, om] = hours.utcOffset.slice(1).split(':').map(Number);
    const local = new Date(utc.getTime() + sign * (oh * 60 + om) * 60_000);
    const day = DAY_NAMES[(local.getUTCDay() + 6) % 7];
    const previousDay = DAY_NAMES[(local.getUTCDay() + 5) % 7];
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    const [sh, sm] = hours.start.split(':').map(Number);
    const [eh, em] = hours.end.split(':').map(Number);
    const start = sh * 60 + sm;
    const end = eh * 60 + em;
    if (end > start) return hours.days.includes(day as never) && minute >= start && minute < end;
    return (hours.days.includes(day as never) && minute >= start) || (hours.days.includes(previousDay as never) && minute < end);
  }

  /** Evaluates the metric-math expression as CloudWatch would, at one UTC instant with one sign-in. */
  function alarmValue(expression: string, utc: Date): number {
    const js = expression.replace(/\bAND\b/g, '&&').replace(/\bOR\b/g, '||').replace(/\bIF\(/g, 'iif(');
    const day = ((utc.getUTCDay() + 6) % 7) + 1; // DAY(): Monday = 1 ... Sunday = 7
    const minute = utc.getUTCHours() * 60 + utc.getUTCMinutes(); // HOUR(m)*60+MINUTE(m)
    const evaluate = new Function('utcday', 'utcminute', 'signins', 'iif', `return (${js});`);
    return evaluate(day, minute, 1, (c: boolean, a: number, b: number) => (c ? a : b));
  }

  const ids = { metric: 'signins', day: 'utcday', minute: 'utcminute' };
  const at = (iso: string) => new Date(`${iso}Z`);

  test('Mon-Fri 09:00-18:00 at UTC+10 spans two UTC days', () => {
    expect(businessHoursUtc({ days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '09:00', end: '18:00', utcOffset: '+10:00' })).toEqual([
      { day: 1, start: 0, end: 480 },
      { day: 1, start: 1380, end: 1440 },
      { day: 2, start: 0, end: 480 },
      { day: 2, start: 1380, end: 1440 },
      { day: 3, start: 0, end: 480 },
      { day: 3, start: 1380, end: 1440 },
      { day: 4, start: 0, end: 480 },
      { day: 4, start: 1380, end: 1440 },
      { day: 5, start: 0, end: 480 },
      { day: 7, start: 1380, end: 1440 },
    ]);
  });

  test('the first and last minutes inside and outside the window, at UTC+10', () => {
    const hours: BusinessHours = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '09:00', end: '18:00', utcOffset: '+10:00' };
    const expression = offHoursExpression(businessHoursUtc(hours), ids);
    // 2026-11-23 is a Monday. Monday 09:00 in UTC+10 is Sunday 23:00 UTC.
    expect(alarmValue(expression, at('2026-11-22T22:59:00'))).toBe(1); // Mon 08:59 local: outside
    expect(alarmValue(expression, at('2026-11-22T23:00:00'))).toBe(0); // Mon 09:00 local: first minute inside
    expect(alarmValue(expression, at('2026-11-23T07:59:00'))).toBe(0); // Mon 17:59 local: last minute inside
    expect(alarmValue(expression, at('2026-11-23T08:00:00'))).toBe(1); // Mon 18:00 local: first minute outside
    expect(alarmValue(expression, at('2026-11-27T07:59:00'))).toBe(0); // Fri 17:59 local
    expect(alarmValue(expression, at('2026-11-27T23:00:00'))).toBe(1); // Sat 09:00 local: weekend
    expect(alarmValue(expression, at('2026-11-29T22:59:00'))).toBe(1); // Mon 08:59 local, a week on
  });

  test('a window that wraps past midnight belongs to the day it starts', () => {
    const hours: BusinessHours = { days: ['Fri'], start: '22:00', end: '06:00', utcOffset: '-05:00' };
    // Friday 22:00 at UTC-5 is Saturday 03:00 UTC; it ends Saturday 06:00 local = 11:00 UTC.
    expect(businessHoursUtc(hours)).toEqual([{ day: 6, start: 180, end: 660 }]);
    const expression = offHoursExpression(businessHoursUtc(hours), ids);
    expect(alarmValue(expression, at('2026-11-28T02:59:00'))).toBe(1); // Fri 21:59 local
    expect(alarmValue(expression, at('2026-11-28T03:00:00'))).toBe(0); // Fri 22:00 local
    expect(alarmValue(expression, at('2026-11-28T10:59:00'))).toBe(0); // Sat 05:59 local
    expect(alarmValue(expression, at('2026-11-28T11:00:00'))).toBe(1); // Sat 06:00 local
  });

  test.each<BusinessHours>([
    { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '09:00', end: '18:00', utcOffset: '+10:00' },
    { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '08:00', end: '19:00', utcOffset: '-05:00' },
    { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '08:30', end: '17:15', utcOffset: '+05:30' },
    { days: ['Mon', 'Wed', 'Fri'], start: '22:00', end: '06:00', utcOffset: '+00:00' },
    { days: ['Sat', 'Sun'], start: '00:00', end: '24:00', utcOffset: '-09:30' },
    { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], start: '20:00', end: '04:00', utcOffset: '+14:00' },
  ])('every minute of a week agrees with local time: %o', (hours) => {
    const expression = offHoursExpression(businessHoursUtc(hours), ids);
    const monday = at('2026-11-23T00:00:00').getTime();
    for (let minute = 0; minute < 7 * 24 * 60; minute++) {
      const utc = new Date(monday + minute * 60_000);
      const expected = insideLocally(hours, utc) ? 0 : 1;
      if (alarmValue(expression, utc) !== expected) {
        throw new Error(`${utc.toISOString()}: expected ${expected} for ${JSON.stringify(hours)} from ${expression}`);
      }
    }
  });

  test('the synthesized alarm computes the UTC day and minute from the sign-in metric and acts on the topic', () => {
    const json = synthStack(exampleConfig(), 'management');
    const alarm = oneResource(json, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'acme-soc2-org-console-signin-outside-business-hours');
    expect(alarm).toMatchObject({
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      actions_enabled: true,
      alarm_actions: [topicArn('111111111111')],
    });
    expect(alarm.metric_name).toBeUndefined();
    const [m, d, t, out] = alarm.metric_query;
    expect(m).toEqual({
      id: 'signins',
      return_data: false,
      metric: { namespace: 'CISBenchmark', metric_name: 'ConsoleSignInSuccess', period: 60, stat: 'Sum' },
    });
    expect(d).toEqual({ id: 'utcday', return_data: false, expression: 'DAY(signins)' });
    expect(t).toEqual({ id: 'utcminute', return_data: false, expression: 'HOUR(signins)*60+MINUTE(signins)' });
    expect(out.return_data).toBe(true);
    // The example org: Mon-Fri 08:00-19:00 at UTC-5.
    const hours: BusinessHours = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '08:00', end: '19:00', utcOffset: '-05:00' };
    expect(out.expression).toBe(offHoursExpression(businessHoursUtc(hours), ids));
    expect(alarmValue(out.expression, at('2026-11-23T12:59:00'))).toBe(1); // Mon 07:59 local
    expect(alarmValue(out.expression, at('2026-11-23T13:00:00'))).toBe(0); // Mon 08:00 local
    const filter = oneResource(json, 'aws_cloudwatch_log_metric_filter', (f) => f.metric_transformation.name === 'ConsoleSignInSuccess');
    expect(filter.pattern).toBe('{ ($.eventName = "ConsoleLogin") && ($.responseElements.ConsoleLogin = "Success") }');
  });
});
