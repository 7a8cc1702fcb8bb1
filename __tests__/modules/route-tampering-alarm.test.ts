/**
 * Watching the watchers: the route-tampering filters on the organization trail's log group and their one
 * alarm (modules/cis-monitoring/cis-metric-filters.ts, `alertRouteTamperingFilters`). The patterns are run
 * against CloudTrail records of each tampering event, on the baseline's resources (MATCH) and on anyone
 * else's (no match), against routine calls (no match), and against the pipeline role (left out); the
 * alarm is followed to the central topic the way alert-routing.test.ts follows the CIS alarms; the
 * evidence check judges it, healthy and broken.
 *
 * Record shapes: CloudTrail User Guide, "CloudTrail record contents" (eventSource, eventName,
 * requestParameters: "The parameters, if any, that were sent with the request ... documented in the API
 * reference documentation for the appropriate AWS service") and "CloudTrail userIdentity element"
 * (sessionContext.sessionIssuer.arn, "The ARN of the source ... that was used to get temporary security
 * credentials"): https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html.
 * Each service's page is cited beside its records below; what no page shows is in the "Unverified" list of
 * cis-metric-filters.ts.
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { allStackNames } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { cisTasks, ROUTE_TAMPERING_CONTROL } from '../../evidence/checks/cloudwatch';
import { createContext, runTasks } from '../../evidence/collect';
import type { EvidenceItem } from '../../evidence/types';
import { alertRouteTamperingFilters, ROUTE_TAMPERING_METRIC, routeTamperingExemptRole } from '../../modules/cis-monitoring/cis-metric-filters';
import { configWith, exampleConfig, oneResource, resourcesOf, synthStack, type Synth, withoutInvestigations } from '../helpers';

/**
 * CloudWatch Logs JSON filter patterns, for the syntax these filters use (CloudWatch Logs User Guide,
 * "Filter pattern syntax for metric filters": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 * `$.a.b` and `$.a[0]` property selectors ("If a property selector points to an array or object, the
 * metric filter won't match"), `= "value"` and `!= "value"` with `*` as a wildcard ("Use the asterisk
 * as a wild card to match text"; patterns are case sensitive), `NOT EXISTS`, and `&&` / `||` under
 * parentheses with `&&` first ("() > && > ||"). The documentation does not say what `!=` does on a
 * missing field: `missingNotEqual` chooses, and the tests run both ways. Anything else throws.
 */
function matchesPattern(pattern: string, event: unknown, missingNotEqual: boolean): boolean {
  const body = pattern.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const inner = body.slice(1, -1);
  const tokenRe = /\(|\)|&&|\|\||\$\.[\w.[\]-]+ NOT EXISTS|\$\.[\w.[\]-]+ (?:!=|=) "[^"]*"/g;
  const tokens = inner.match(tokenRe) ?? [];
  const leftover = inner.replace(tokenRe, '').trim();
  if (leftover !== '') throw new Error(`unsupported syntax in ${pattern}: ${leftover}`);
  const resolve = (path: string): unknown =>
    path
      .split(/\.|(?=\[)/)
      .reduce<unknown>((o, k) => {
        if (o === undefined || o === null) return undefined;
        const index = /^\[(\d+)\]$/.exec(k);
        if (index) return Array.isArray(o) ? o[Number(index[1])] : undefined;
        return typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[k] : undefined;
      }, event);
  const glob = (value: string) => new RegExp(`^${value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const term = (t: string): boolean => {
    const notExists = /^\$\.(\S+) NOT EXISTS$/.exec(t);
    if (notExists) return resolve(notExists[1]) === undefined;
    const [, path, op, value] = /^\$\.(\S+) (!=|=) "([^"]*)"$/.exec(t)!;
    const actual = resolve(path);
    if (actual === undefined) return op === '!=' ? missingNotEqual : false;
    if (typeof actual !== 'string') return false;
    return glob(value).test(actual) === (op === '=');
  };
  let i = 0;
  const primary = (): boolean => {
    const t = tokens[i++];
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new Error(`unbalanced parentheses in ${pattern}`);
      return v;
    }
    return term(t);
  };
  const and = (): boolean => {
    let v = primary();
    while (tokens[i] === '&&') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[i] === '||') {
      i++;
      v = and() || v;
    }
    return v;
  };
  const result = or();
  if (i !== tokens.length) throw new Error(`trailing tokens in ${pattern}`);
  return result;
}

const PREFIX = 'acme-soc2';
const MANAGEMENT = '111111111111';
const AUDIT = '333333333333';
const MEMBER = '444444444444';
const HOME = 'us-east-1';
const config = exampleConfig();
const management = synthStack(config, 'management');
const filters = resourcesOf(management, 'aws_cloudwatch_log_metric_filter')
  .map(([, f]) => f)
  .filter((f) => f.metric_transformation.name === ROUTE_TAMPERING_METRIC);
const alarm = oneResource(management, 'aws_cloudwatch_metric_alarm', (a) => a.metric_name === ROUTE_TAMPERING_METRIC);

/** Whether any filter counts the record; the same under both readings of `!=` on a missing field. */
function counted(event: unknown, patterns: readonly string[] = filters.map((f) => f.pattern)): boolean {
  const strict = patterns.some((p) => matchesPattern(p, event, false));
  const loose = patterns.some((p) => matchesPattern(p, event, true));
  if (strict !== loose) throw new Error(`the result depends on how != treats a missing field: ${JSON.stringify(event)}`);
  return strict;
}

// userIdentity shapes: CloudTrail User Guide, "CloudTrail userIdentity element" (an AssumedRole with
// sessionContext.sessionIssuer of type Role; Root and IAMUser without a session issuer).
const assumedRole = (account: string, rolePath: string) => {
  const name = rolePath.slice(rolePath.lastIndexOf('/') + 1);
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEID:incident-42`,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/incident-42`,
    accountId: account,
    accessKeyId: 'ASIAEXAMPLEKEY',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: `arn:aws:iam::${account}:role/${rolePath}`, accountId: account, userName: name },
      webIdFederationData: {},
      attributes: { creationDate: '2026-11-22T03:00:00Z', mfaAuthenticated: 'false' },
    },
  };
};
const ADMIN = assumedRole(MEMBER, 'OrganizationAccountAccessRole');
const PIPELINE = assumedRole(MEMBER, 'soc2-baseline-pipeline');
const ROOT = { type: 'Root', principalId: MEMBER, arn: `arn:aws:iam::${MEMBER}:root`, accountId: MEMBER, accessKeyId: 'ASIAEXAMPLEKEY' };
const CONSOLE_USER = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLEID',
  arn: `arn:aws:iam::${MEMBER}:user/alice`,
  accountId: MEMBER,
  userName: 'alice',
  sessionContext: { attributes: { creationDate: '2026-11-22T03:00:00Z', mfaAuthenticated: 'true' } },
};

/** A CloudTrail management event record (CloudTrail User Guide, "CloudTrail record contents"). */
function record(eventSource: string, eventName: string, requestParameters: Record<string, unknown>, userIdentity: object = ADMIN) {
  return {
    eventVersion: '1.09',
    userIdentity,
    eventTime: '2026-11-22T03:14:00Z',
    eventSource,
    eventName,
    awsRegion: HOME,
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters,
    responseElements: null,
    requestID: 'example-request-id',
    eventID: 'example-event-id',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: MEMBER,
    eventCategory: 'Management',
  };
}

// SNS: "Logging Amazon SNS API calls using CloudTrail" (https://docs.aws.amazon.com/sns/latest/dg/sns-logging-using-cloudtrail.html):
// eventSource sns.amazonaws.com, DeleteTopic's record carries requestParameters.topicArn; the other
// actions are listed there, their fields are the API's (TopicArn, SubscriptionArn). A subscription's
// ARN is the topic's with an id appended (SNS Developer Guide, "Amazon SNS message and JSON formats").
const sns = (eventName: string, requestParameters: Record<string, unknown>, who?: object) => record('sns.amazonaws.com', eventName, requestParameters, who);
const topicArn = (account: string, name: string) => `arn:aws:sns:${HOME}:${account}:${name}`;
const subscriptionArn = (account: string, name: string) => `${topicArn(account, name)}:c9135db0-26c4-47ec-8998-413945fb5a96`;
// SQS: "Logging Amazon SQS API calls using AWS CloudTrail" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-logging-using-cloudtrail.html):
// eventSource sqs.amazonaws.com, requestParameters.queueUrl in the DeleteQueue, SetQueueAttributes and
// RemovePermission records; PurgeQueue and TagQueue listed among the logged actions.
const sqs = (eventName: string, requestParameters: Record<string, unknown>) => record('sqs.amazonaws.com', eventName, requestParameters);
const queueUrl = (account: string, name: string) => `https://sqs.${HOME}.amazonaws.com/${account}/${name}`;
// EventBridge: "Log and monitor in Amazon EventBridge" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-logging-monitoring.html):
// eventSource events.amazonaws.com, PutRule's record carries requestParameters.name; targets name their
// rule in Rule (API_PutTargets, API_RemoveTargets), permissions their bus in EventBusName
// (API_PutPermission, API_RemovePermission), DeleteEventBus its bus in Name.
const events = (eventName: string, requestParameters: Record<string, unknown>) => record('events.amazonaws.com', eventName, requestParameters);
// CloudWatch: "Logging Amazon CloudWatch API calls with AWS CloudTrail" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/logging_cw_api_calls.html):
// eventSource monitoring.amazonaws.com, PutMetricAlarm's record carries requestParameters.alarmName;
// DeleteAlarms and DisableAlarmActions take AlarmNames, a list (API_DeleteAlarms, API_DisableAlarmActions).
const cloudwatch = (eventName: string, requestParameters: Record<string, unknown>) => record('monitoring.amazonaws.com', eventName, requestParameters);
// CloudWatch Logs: "Logging Amazon CloudWatch Logs API calls in AWS CloudTrail" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/logging_cw_api_calls_cwl.html):
// eventSource logs.amazonaws.com, DeleteMetricFilter and PutMetricFilter listed; filterName and
// logGroupName are their parameters (API_DeleteMetricFilter, API_PutMetricFilter).
const logs = (eventName: string, requestParameters: Record<string, unknown>) => record('logs.amazonaws.com', eventName, requestParameters);
// IAM Access Analyzer: "Logging IAM Access Analyzer API calls with AWS CloudTrail" (https://docs.aws.amazon.com/IAM/latest/UserGuide/logging-using-cloudtrail.html):
// eventSource access-analyzer.amazonaws.com, "All IAM Access Analyzer actions are logged", CreateAnalyzer's
// record carries requestParameters.analyzerName; analyzerName / analyzerArn per the API reference.
const analyzer = (eventName: string, requestParameters: Record<string, unknown>) => record('access-analyzer.amazonaws.com', eventName, requestParameters);
const analyzerArn = (name: string) => `arn:aws:access-analyzer:eu-west-1:${AUDIT}:analyzer/${name}`;
// CloudTrail: eventSource cloudtrail.amazonaws.com (EventBridge events reference, "AWS CloudTrail events":
// https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html); PutEventSelectors,
// PutInsightSelectors and PutEventConfiguration take TrailName, "the name of the trail or trail ARN"
// (CloudTrail API Reference: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html,
// API_PutInsightSelectors.html, API_PutEventConfiguration.html); DeregisterOrganizationDelegatedAdmin
// takes DelegatedAdminAccountId (API_DeregisterOrganizationDelegatedAdmin.html).
const cloudtrail = (eventName: string, requestParameters: Record<string, unknown>, who?: object) => record('cloudtrail.amazonaws.com', eventName, requestParameters, who);
const trailArn = (name: string) => `arn:aws:cloudtrail:${HOME}:${MANAGEMENT}:trail/${name}`;
// Organizations: eventSource organizations.amazonaws.com (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-organizations.html);
// DisableAWSServiceAccess / EnableAWSServiceAccess take ServicePrincipal, Register/DeregisterDelegatedAdministrator
// AccountId and ServicePrincipal, PutResourcePolicy Content (Organizations API Reference).
const organizations = (eventName: string, requestParameters: Record<string, unknown>, who?: object) => record('organizations.amazonaws.com', eventName, requestParameters, who);
// GuardDuty (https://docs.aws.amazon.com/guardduty/latest/ug/logging-using-cloudtrail.html), Security Hub
// (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-securityhub.html: securityhub.amazonaws.com),
// Macie (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-macie2.html: macie2.amazonaws.com):
// DisableOrganizationAdminAccount takes AdminAccountId (each service's API Reference).
// IAM: as the role-change filter's records below (requestParameters.roleName).
const iam = (eventName: string, requestParameters: Record<string, unknown>, who?: object) => record('iam.amazonaws.com', eventName, requestParameters, who);
const MGMT_ADMIN_ROLE = assumedRole(MANAGEMENT, 'Admin');
const MGMT_ROOT = { type: 'Root', principalId: MANAGEMENT, arn: `arn:aws:iam::${MANAGEMENT}:root`, accountId: MANAGEMENT, accessKeyId: 'ASIAEXAMPLEKEY' };

/** Each tampering event on a baseline resource, and the same call on a resource that is not the baseline's. */
const TAMPERING: [string, object, object][] = [
  ['SNS DeleteTopic of an account alert topic', sns('DeleteTopic', { topicArn: topicArn(MEMBER, `${PREFIX}-security-alerts`) }), sns('DeleteTopic', { topicArn: topicArn(MEMBER, 'team-orders') })],
  [
    'SNS SetTopicAttributes on the central topic (its policy)',
    sns('SetTopicAttributes', { topicArn: topicArn(AUDIT, `${PREFIX}-security-findings`), attributeName: 'Policy', attributeValue: '{}' }),
    sns('SetTopicAttributes', { topicArn: topicArn(AUDIT, `${PREFIX}-security-findings-copy`), attributeName: 'Policy', attributeValue: '{}' }),
  ],
  [
    'SNS Subscribe to the central topic',
    sns('Subscribe', { topicArn: topicArn(AUDIT, `${PREFIX}-security-findings`), protocol: 'email', endpoint: 'someone@example.net', returnSubscriptionArn: false }),
    sns('Subscribe', { topicArn: topicArn(AUDIT, `not-${PREFIX}-security-findings`), protocol: 'email', endpoint: 'someone@example.net', returnSubscriptionArn: false }),
  ],
  [
    "SNS SetTopicAttributes on the route's watchdog topic",
    sns('SetTopicAttributes', { topicArn: topicArn(AUDIT, `${PREFIX}-route-watchdog`), attributeName: 'KmsMasterKeyId', attributeValue: 'alias/aws/sns' }),
    sns('SetTopicAttributes', { topicArn: topicArn(AUDIT, 'team-watchdog'), attributeName: 'KmsMasterKeyId', attributeValue: 'alias/aws/sns' }),
  ],
  ['SNS RemovePermission on an alert topic', sns('RemovePermission', { topicArn: topicArn(MEMBER, `${PREFIX}-security-alerts`), label: 'x' }), sns('RemovePermission', { topicArn: topicArn(MEMBER, 'team-orders'), label: 'x' })],
  [
    'SNS Unsubscribe from the central topic',
    sns('Unsubscribe', { subscriptionArn: subscriptionArn(AUDIT, `${PREFIX}-security-findings`) }),
    sns('Unsubscribe', { subscriptionArn: subscriptionArn(AUDIT, `${PREFIX}-security-findings-copy`) }),
  ],
  [
    'SNS SetSubscriptionAttributes on the record queue subscription (a filter policy that drops alerts)',
    sns('SetSubscriptionAttributes', { subscriptionArn: subscriptionArn(MEMBER, `${PREFIX}-security-alerts`), attributeName: 'FilterPolicy', attributeValue: '{"x":["never"]}' }),
    sns('SetSubscriptionAttributes', { subscriptionArn: subscriptionArn(MEMBER, 'team-orders'), attributeName: 'FilterPolicy', attributeValue: '{"x":["never"]}' }),
  ],
  ['SQS DeleteQueue of a dead-letter queue', sqs('DeleteQueue', { queueUrl: queueUrl(MEMBER, `${PREFIX}-account-alarms-to-central-bus-undelivered`) }), sqs('DeleteQueue', { queueUrl: queueUrl(MEMBER, 'team-orders-undelivered') })],
  [
    'SQS SetQueueAttributes on a record queue',
    sqs('SetQueueAttributes', { attributes: { Policy: '{}' }, queueUrl: queueUrl(MANAGEMENT, `${PREFIX}-security-alerts-record`) }),
    sqs('SetQueueAttributes', { attributes: { Policy: '{}' }, queueUrl: queueUrl(MANAGEMENT, `x-${PREFIX}-security-alerts-record`) }),
  ],
  ['SQS PurgeQueue of the central dead-letter queue', sqs('PurgeQueue', { queueUrl: queueUrl(AUDIT, `${PREFIX}-alarms-to-central-topic-undelivered`) }), sqs('PurgeQueue', { queueUrl: queueUrl(AUDIT, 'team-orders') })],
  ['SQS RemovePermission on a record queue', sqs('RemovePermission', { label: 'x', queueUrl: queueUrl(MEMBER, `${PREFIX}-security-alerts-record`) }), sqs('RemovePermission', { label: 'x', queueUrl: queueUrl(MEMBER, 'team-orders') })],
  ['EventBridge DisableRule of the org forwarding rule', events('DisableRule', { name: `${PREFIX}-org-alarms-to-central-bus` }), events('DisableRule', { name: 'team-nightly-job' })],
  ["EventBridge DisableRule of an account's heartbeat", events('DisableRule', { name: `${PREFIX}-account-heartbeat` }), events('DisableRule', { name: 'team-heartbeat' })],
  [
    'EventBridge DeleteRule of the central rule, on its bus',
    events('DeleteRule', { name: `${PREFIX}-alarms-to-central-topic`, eventBusName: `${PREFIX}-security-alarms` }),
    events('DeleteRule', { name: 'team-nightly-job', eventBusName: 'team-bus' }),
  ],
  [
    'EventBridge PutRule rewriting an account forwarding rule',
    events('PutRule', { name: `${PREFIX}-account-alarms-to-central-bus`, eventPattern: '{"source":["nothing"]}', state: 'ENABLED' }),
    events('PutRule', { name: `team-${PREFIX}-account-alarms-to-central-bus`, eventPattern: '{"source":["nothing"]}', state: 'ENABLED' }),
  ],
  ['EventBridge RemoveTargets of the GuardDuty rule', events('RemoveTargets', { rule: `${PREFIX}-guardduty-high-severity`, ids: ['alert-topic'] }), events('RemoveTargets', { rule: 'team-nightly-job', ids: ['x'] })],
  [
    'EventBridge PutTargets redirecting the Security Hub rule',
    events('PutTargets', { rule: `${PREFIX}-securityhub-high-critical`, targets: [{ id: 'alert-topic', arn: topicArn(AUDIT, 'elsewhere') }] }),
    events('PutTargets', { rule: 'team-nightly-job', targets: [{ id: 'x', arn: topicArn(AUDIT, 'elsewhere') }] }),
  ],
  [
    "EventBridge RemovePermission from the central bus's policy",
    events('RemovePermission', { eventBusName: `${PREFIX}-security-alarms`, statementId: 'ForwardingRolesOfTheOrganization' }),
    events('RemovePermission', { eventBusName: 'team-bus', statementId: 'x' }),
  ],
  ["EventBridge PutPermission rewriting the central bus's policy", events('PutPermission', { eventBusName: `${PREFIX}-security-alarms`, policy: '{}' }), events('PutPermission', { eventBusName: 'team-bus', policy: '{}' })],
  ["EventBridge DisableRule of the central bus's heartbeat rule", events('DisableRule', { name: `${PREFIX}-route-heartbeats`, eventBusName: `${PREFIX}-security-alarms` }), events('DisableRule', { name: 'team-heartbeats', eventBusName: 'team-bus' })],
  ['EventBridge DeleteEventBus of the central bus', events('DeleteEventBus', { name: `${PREFIX}-security-alarms` }), events('DeleteEventBus', { name: 'team-bus' })],
  ["CloudWatch DeleteAlarms of one of the route's own failure alarms", cloudwatch('DeleteAlarms', { alarmNames: [`${PREFIX}-central-route-failed`] }), cloudwatch('DeleteAlarms', { alarmNames: ['team-route-failed'] })],
  ['CloudWatch DeleteAlarms of an account CIS alarm', cloudwatch('DeleteAlarms', { alarmNames: [`${PREFIX}-account-root-account-usage`] }), cloudwatch('DeleteAlarms', { alarmNames: ['team-cpu-high'] })],
  [
    'CloudWatch DisableAlarmActions of this very alarm',
    cloudwatch('DisableAlarmActions', { alarmNames: [`${PREFIX}-org-alert-route-tampering`] }),
    cloudwatch('DisableAlarmActions', { alarmNames: ['acme-soc2cpu-high'] }),
  ],
  [
    'CloudWatch PutMetricAlarm rewriting an org CIS alarm',
    cloudwatch('PutMetricAlarm', { alarmName: `${PREFIX}-org-cloudtrail-changes`, threshold: 1000, metricName: 'CloudTrailConfigurationChanges', namespace: 'CISBenchmark' }),
    cloudwatch('PutMetricAlarm', { alarmName: 'team-cpu-high', threshold: 1000, metricName: 'CPUUtilization', namespace: 'AWS/EC2' }),
  ],
  [
    'CloudWatch Logs DeleteMetricFilter of a route-tampering filter',
    logs('DeleteMetricFilter', { logGroupName: `/${PREFIX}/cloudtrail/organization`, filterName: `${PREFIX}-org-alert-route-tampering-sns` }),
    logs('DeleteMetricFilter', { logGroupName: '/team/app', filterName: 'team-errors' }),
  ],
  [
    'CloudWatch Logs PutMetricFilter rewriting an account CIS filter',
    logs('PutMetricFilter', { logGroupName: `/${PREFIX}/cloudtrail/account`, filterName: `${PREFIX}-account-root-account-usage`, filterPattern: '{ $.never = 1 }' }),
    logs('PutMetricFilter', { logGroupName: '/team/app', filterName: 'team-errors', filterPattern: '{ $.never = 1 }' }),
  ],
  [
    'Access Analyzer CreateArchiveRule on the organization analyzer',
    analyzer('CreateArchiveRule', { analyzerName: `${PREFIX}-organization`, ruleName: 'hide-all', filter: { isPublic: { eq: ['true'] } } }),
    analyzer('CreateArchiveRule', { analyzerName: 'team-analyzer', ruleName: 'hide-all', filter: { isPublic: { eq: ['true'] } } }),
  ],
  [
    'Access Analyzer UpdateArchiveRule on the organization analyzer',
    analyzer('UpdateArchiveRule', { analyzerName: `${PREFIX}-organization`, ruleName: 'r', filter: {} }),
    analyzer('UpdateArchiveRule', { analyzerName: `${PREFIX}-organization-test`, ruleName: 'r', filter: {} }),
  ],
  ['Access Analyzer ApplyArchiveRule to its findings', analyzer('ApplyArchiveRule', { analyzerArn: analyzerArn(`${PREFIX}-organization`), ruleName: 'r' }), analyzer('ApplyArchiveRule', { analyzerArn: analyzerArn('team-analyzer'), ruleName: 'r' })],
  [
    'Access Analyzer UpdateFindings archiving its findings',
    analyzer('UpdateFindings', { analyzerArn: analyzerArn(`${PREFIX}-organization`), ids: ['f-1'], status: 'ARCHIVED' }),
    analyzer('UpdateFindings', { analyzerArn: analyzerArn('team-analyzer'), ids: ['f-1'], status: 'ARCHIVED' }),
  ],
  ['Access Analyzer DeleteAnalyzer of the organization analyzer', analyzer('DeleteAnalyzer', { analyzerName: `${PREFIX}-organization` }), analyzer('DeleteAnalyzer', { analyzerName: 'team-analyzer' })],
  ['Access Analyzer DeleteAnalyzer of the unused access analyzer', analyzer('DeleteAnalyzer', { analyzerName: `${PREFIX}-unused-access` }), analyzer('DeleteAnalyzer', { analyzerName: `${PREFIX}-unused-access-test` })],
  ['Access Analyzer UpdateFindings of the unused access analyzer', analyzer('UpdateFindings', { analyzerArn: analyzerArn(`${PREFIX}-unused-access`), ids: ['f-1'], status: 'ARCHIVED' }), analyzer('UpdateFindings', { analyzerArn: analyzerArn('team-unused-access'), ids: ['f-1'], status: 'ARCHIVED' })],
  [
    'CloudTrail PutEventSelectors narrowing the organization trail to read-only management events (by name)',
    cloudtrail('PutEventSelectors', { trailName: `${PREFIX}-org-trail`, advancedEventSelectors: [{ name: 'm', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }, { field: 'readOnly', equals: ['true'] }] }] }, MGMT_ADMIN_ROLE),
    cloudtrail('PutEventSelectors', { trailName: 'team-trail', advancedEventSelectors: [] }, MGMT_ADMIN_ROLE),
  ],
  [
    'CloudTrail PutEventSelectors on the organization trail (by ARN)',
    cloudtrail('PutEventSelectors', { trailName: trailArn(`${PREFIX}-org-trail`), eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: true }] }, MGMT_ADMIN_ROLE),
    cloudtrail('PutEventSelectors', { trailName: trailArn('team-trail'), eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: true }] }, MGMT_ADMIN_ROLE),
  ],
  [
    "CloudTrail PutEventSelectors on a member account's own trail",
    cloudtrail('PutEventSelectors', { trailName: `${PREFIX}-account-trail`, advancedEventSelectors: [] }),
    cloudtrail('PutEventSelectors', { trailName: 'acme-soc2', advancedEventSelectors: [] }),
  ],
  ['CloudTrail PutInsightSelectors on the organization trail', cloudtrail('PutInsightSelectors', { trailName: `${PREFIX}-org-trail`, insightSelectors: [] }, MGMT_ADMIN_ROLE), cloudtrail('PutInsightSelectors', { trailName: 'team-trail', insightSelectors: [] }, MGMT_ADMIN_ROLE)],
  [
    'CloudTrail PutEventConfiguration on the organization trail',
    cloudtrail('PutEventConfiguration', { trailName: trailArn(`${PREFIX}-org-trail`), maxEventSize: 'Standard' }, MGMT_ADMIN_ROLE),
    cloudtrail('PutEventConfiguration', { eventDataStore: 'arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore/x', maxEventSize: 'Standard' }, MGMT_ADMIN_ROLE),
  ],
  ...(['DisableAWSServiceAccess', 'EnableAWSServiceAccess'] as const).map((e): [string, object, object] => [
    `Organizations ${e} (trusted access of GuardDuty) in the management account`,
    organizations(e, { servicePrincipal: 'guardduty.amazonaws.com' }, MGMT_ADMIN_ROLE),
    organizations(e, { servicePrincipal: 'guardduty.amazonaws.com' }, assumedRole(MANAGEMENT, 'soc2-baseline-pipeline')),
  ]),
  ...(['RegisterDelegatedAdministrator', 'DeregisterDelegatedAdministrator'] as const).map((e): [string, object, object] => [
    `Organizations ${e} of AWS Config's administrator`,
    organizations(e, { accountId: AUDIT, servicePrincipal: 'config.amazonaws.com' }, MGMT_ADMIN_ROLE),
    organizations(e, { accountId: AUDIT, servicePrincipal: 'config.amazonaws.com' }, assumedRole(MANAGEMENT, 'soc2-baseline-pipeline')),
  ]),
  ['Organizations PutResourcePolicy', organizations('PutResourcePolicy', { content: '{}' }, MGMT_ADMIN_ROLE), organizations('DescribeResourcePolicy', {}, MGMT_ADMIN_ROLE)],
  ['Organizations DeleteResourcePolicy', organizations('DeleteResourcePolicy', {}, MGMT_ADMIN_ROLE), organizations('DeleteResourcePolicy', {}, assumedRole(MANAGEMENT, 'soc2-baseline-pipeline'))],
  ...(['guardduty.amazonaws.com', 'securityhub.amazonaws.com', 'macie2.amazonaws.com'] as const).map((source): [string, object, object] => [
    `${source} DisableOrganizationAdminAccount`,
    record(source, 'DisableOrganizationAdminAccount', { adminAccountId: AUDIT }, MGMT_ADMIN_ROLE),
    record(source, 'ListOrganizationAdminAccounts', {}, MGMT_ADMIN_ROLE),
  ]),
  [
    "CloudTrail DeregisterOrganizationDelegatedAdmin (the audit account's)",
    cloudtrail('DeregisterOrganizationDelegatedAdmin', { delegatedAdminAccountId: AUDIT }, MGMT_ADMIN_ROLE),
    cloudtrail('DeregisterOrganizationDelegatedAdmin', { delegatedAdminAccountId: AUDIT }, assumedRole(MANAGEMENT, 'soc2-baseline-pipeline')),
  ],
  ...(
    [
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
    ] as const
  ).map((e): [string, object, object] => [
    `IAM ${e} on the organization trail's CloudWatch Logs delivery role`,
    iam(e, { roleName: `${PREFIX}-org-trail-to-cloudwatch-logs` }, MGMT_ADMIN_ROLE),
    iam(e, { roleName: 'team-app-role' }, MGMT_ADMIN_ROLE),
  ]),
];

/** Routine calls on the baseline's own resources, each listed on its service's page above: never counted. */
const ROUTINE: [string, object][] = [
  ['SNS GetTopicAttributes', sns('GetTopicAttributes', { topicArn: topicArn(AUDIT, `${PREFIX}-security-findings`) })],
  ['SNS ListSubscriptionsByTopic', sns('ListSubscriptionsByTopic', { topicArn: topicArn(AUDIT, `${PREFIX}-security-findings`) })],
  ['SQS TagQueue', sqs('TagQueue', { queueUrl: queueUrl(MEMBER, `${PREFIX}-security-alerts-record`), tags: { team: 'security' } })],
  ['EventBridge DescribeRule', events('DescribeRule', { name: `${PREFIX}-org-alarms-to-central-bus` })],
  ['EventBridge ListTargetsByRule', events('ListTargetsByRule', { rule: `${PREFIX}-alarms-to-central-topic`, eventBusName: `${PREFIX}-security-alarms` })],
  ['EventBridge EnableRule', events('EnableRule', { name: `${PREFIX}-org-alarms-to-central-bus` })],
  ['CloudWatch DescribeAlarms', cloudwatch('DescribeAlarms', { alarmNamePrefix: `${PREFIX}-org-` })],
  ['CloudWatch EnableAlarmActions', cloudwatch('EnableAlarmActions', { alarmNames: [`${PREFIX}-org-root-account-usage`] })],
  // Not matched by decision: SetAlarmState cannot silence an alarm (CloudWatch API Reference, SetAlarmState).
  ['CloudWatch SetAlarmState (testing the route)', cloudwatch('SetAlarmState', { alarmName: `${PREFIX}-org-root-account-usage`, stateValue: 'ALARM', stateReason: 'route test' })],
  ['CloudWatch Logs DescribeMetricFilters', logs('DescribeMetricFilters', { logGroupName: `/${PREFIX}/cloudtrail/organization` })],
  ['CloudWatch Logs TestMetricFilter', logs('TestMetricFilter', { filterPattern: '{ $.x = 1 }', logEventMessages: ['{}'] })],
  ['Access Analyzer ListFindings', analyzer('ListFindings', { analyzerArn: analyzerArn(`${PREFIX}-organization`) })],
  ['Access Analyzer GetAnalyzer', analyzer('GetAnalyzer', { analyzerName: `${PREFIX}-organization` })],
  ['CloudTrail GetEventSelectors', cloudtrail('GetEventSelectors', { trailName: trailArn(`${PREFIX}-org-trail`) })],
  ['CloudTrail GetInsightSelectors', cloudtrail('GetInsightSelectors', { trailName: trailArn(`${PREFIX}-org-trail`) })],
  ['Organizations ListAWSServiceAccessForOrganization', organizations('ListAWSServiceAccessForOrganization', {})],
  ['Organizations ListDelegatedAdministrators', organizations('ListDelegatedAdministrators', { servicePrincipal: 'guardduty.amazonaws.com' })],
  ['GuardDuty EnableOrganizationAdminAccount (how the baseline sets it)', record('guardduty.amazonaws.com', 'EnableOrganizationAdminAccount', { adminAccountId: AUDIT }, PIPELINE)],
  ['IAM GetRole', iam('GetRole', { roleName: `${PREFIX}-org-trail-to-cloudwatch-logs` })],
  ['IAM TagRole', iam('TagRole', { roleName: `${PREFIX}-org-trail-to-cloudwatch-logs`, tags: [{ key: 'team', value: 'security' }] })],
];

describe('the route-tampering filters', () => {
  test('watch the organization trail log group, in the management account, one per service, all counting one metric', () => {
    expect(filters.map((f) => f.name).sort()).toEqual(
      ['access-analyzer', 'alarms', 'delegated-admins', 'events', 'metric-filters', 'organizations', 'roles', 'sns', 'sqs', 'trail'].map((s) => `${PREFIX}-org-alert-route-tampering-${s}`),
    );
    for (const f of filters) {
      expect(f).toMatchObject({ log_group_name: `/${PREFIX}/cloudtrail/organization`, provider: 'aws.management', region: HOME });
      expect(f.metric_transformation).toEqual({ name: 'AlertRouteTampering', namespace: 'CISBenchmark', value: '1' });
    }
  });

  // The exact strings the evidence check compares (evidence/checks/cloudwatch.ts), for the example org.
  test('have these patterns in the example org, the pipeline role soc2-baseline-pipeline left out', () => {
    const notPipeline =
      '(($.userIdentity.sessionContext.sessionIssuer.type NOT EXISTS) || ($.userIdentity.sessionContext.sessionIssuer.type != "Role") || ($.userIdentity.sessionContext.sessionIssuer.arn != "*:role/soc2-baseline-pipeline"))';
    expect(Object.fromEntries(filters.map((f) => [f.name.replace(`${PREFIX}-org-alert-route-tampering-`, ''), f.pattern]))).toEqual({
      sns: `{ ($.eventSource = "sns.amazonaws.com") && (($.eventName = "DeleteTopic") || ($.eventName = "SetTopicAttributes") || ($.eventName = "Subscribe") || ($.eventName = "RemovePermission") || ($.eventName = "Unsubscribe") || ($.eventName = "SetSubscriptionAttributes")) && (($.requestParameters.topicArn = "*:acme-soc2-security-alerts") || ($.requestParameters.topicArn = "*:acme-soc2-security-findings") || ($.requestParameters.topicArn = "*:acme-soc2-route-watchdog") || ($.requestParameters.subscriptionArn = "*:acme-soc2-security-alerts:*") || ($.requestParameters.subscriptionArn = "*:acme-soc2-security-findings:*") || ($.requestParameters.subscriptionArn = "*:acme-soc2-route-watchdog:*")) && ${notPipeline} }`,
      sqs: `{ ($.eventSource = "sqs.amazonaws.com") && (($.eventName = "DeleteQueue") || ($.eventName = "SetQueueAttributes") || ($.eventName = "PurgeQueue") || ($.eventName = "RemovePermission")) && ($.requestParameters.queueUrl = "*/acme-soc2-*") && ${notPipeline} }`,
      events: `{ ($.eventSource = "events.amazonaws.com") && (((($.eventName = "DisableRule") || ($.eventName = "DeleteRule") || ($.eventName = "PutRule") || ($.eventName = "DeleteEventBus")) && ($.requestParameters.name = "acme-soc2-*")) || ((($.eventName = "RemoveTargets") || ($.eventName = "PutTargets")) && ($.requestParameters.rule = "acme-soc2-*")) || ((($.eventName = "RemovePermission") || ($.eventName = "PutPermission")) && ($.requestParameters.eventBusName = "acme-soc2-*"))) && ${notPipeline} }`,
      alarms: `{ ($.eventSource = "monitoring.amazonaws.com") && (((($.eventName = "DeleteAlarms") || ($.eventName = "DisableAlarmActions")) && (($.requestParameters.alarmNames[0] = "acme-soc2-*") || ($.requestParameters.alarmNames[1] = "*"))) || (($.eventName = "PutMetricAlarm") && ($.requestParameters.alarmName = "acme-soc2-*"))) && ${notPipeline} }`,
      'metric-filters': `{ ($.eventSource = "logs.amazonaws.com") && (($.eventName = "DeleteMetricFilter") || ($.eventName = "PutMetricFilter")) && ($.requestParameters.filterName = "acme-soc2-*") && ${notPipeline} }`,
      'access-analyzer': `{ ($.eventSource = "access-analyzer.amazonaws.com") && (((($.eventName = "CreateArchiveRule") || ($.eventName = "UpdateArchiveRule") || ($.eventName = "DeleteAnalyzer")) && (($.requestParameters.analyzerName = "acme-soc2-organization") || ($.requestParameters.analyzerName = "acme-soc2-unused-access"))) || ((($.eventName = "ApplyArchiveRule") || ($.eventName = "UpdateFindings")) && (($.requestParameters.analyzerArn = "*:analyzer/acme-soc2-organization") || ($.requestParameters.analyzerArn = "*:analyzer/acme-soc2-unused-access")))) && ${notPipeline} }`,
      trail: `{ ($.eventSource = "cloudtrail.amazonaws.com") && (($.eventName = "PutEventSelectors") || ($.eventName = "PutInsightSelectors") || ($.eventName = "PutEventConfiguration")) && ($.requestParameters.trailName = "*acme-soc2-*") && ${notPipeline} }`,
      organizations: `{ ($.eventSource = "organizations.amazonaws.com") && (($.eventName = "DisableAWSServiceAccess") || ($.eventName = "EnableAWSServiceAccess") || ($.eventName = "RegisterDelegatedAdministrator") || ($.eventName = "DeregisterDelegatedAdministrator") || ($.eventName = "PutResourcePolicy") || ($.eventName = "DeleteResourcePolicy")) && ${notPipeline} }`,
      'delegated-admins': `{ (($.eventSource = "guardduty.amazonaws.com") || ($.eventSource = "securityhub.amazonaws.com") || ($.eventSource = "macie2.amazonaws.com") || ($.eventSource = "cloudtrail.amazonaws.com")) && (($.eventName = "DisableOrganizationAdminAccount") || ($.eventName = "DeregisterOrganizationDelegatedAdmin")) && ${notPipeline} }`,
      roles: `{ ($.eventSource = "iam.amazonaws.com") && (($.eventName = "CreateRole") || ($.eventName = "DeleteRole") || ($.eventName = "UpdateRole") || ($.eventName = "UpdateAssumeRolePolicy") || ($.eventName = "AttachRolePolicy") || ($.eventName = "DetachRolePolicy") || ($.eventName = "PutRolePolicy") || ($.eventName = "DeleteRolePolicy") || ($.eventName = "PutRolePermissionsBoundary") || ($.eventName = "DeleteRolePermissionsBoundary")) && ($.requestParameters.roleName = "acme-soc2-*") && ${notPipeline} }`,
    });
  });

  // CloudWatch Logs API Reference, MetricFilter: filterPattern "Maximum length of 1024".
  test('each fits CloudWatch Logs 1,024 characters with the longest names the config allows', () => {
    const longestPrefix = 'abcdefghij-klmnopqrs'; // 20 characters, config/schema.ts namePrefix
    const longestRole = `ops/${'p'.repeat(60)}`; // 64 characters, path included (config/guardrails-schema.ts)
    for (const f of [...alertRouteTamperingFilters(longestPrefix, longestRole), ...alertRouteTamperingFilters(longestPrefix)]) {
      expect(f.pattern.length).toBeLessThanOrEqual(1024);
    }
    for (const f of filters) expect(f.pattern.length).toBeLessThanOrEqual(1024);
  });

  test.each(TAMPERING)('%s: counted on the baseline resource, not on anyone else\'s', (_what, tampering, elsewhere) => {
    expect(counted(tampering)).toBe(true);
    expect(counted(elsewhere)).toBe(false);
  });

  test.each(ROUTINE)('%s on a baseline resource: not counted', (_what, routine) => {
    expect(counted(routine)).toBe(false);
  });

  test('a DeleteAlarms or DisableAlarmActions naming two alarms is counted whichever they are: a baseline alarm cannot hide behind a decoy', () => {
    for (const eventName of ['DeleteAlarms', 'DisableAlarmActions']) {
      expect(counted(cloudwatch(eventName, { alarmNames: ['team-cpu-high', `${PREFIX}-org-break-glass-role-used`] }))).toBe(true);
      expect(counted(cloudwatch(eventName, { alarmNames: ['team-cpu-high', 'team-disk-full'] }))).toBe(true);
    }
  });

  test('a failed attempt is counted too', () => {
    expect(counted({ ...sns('DeleteTopic', { topicArn: topicArn(MEMBER, `${PREFIX}-security-alerts`) }), errorCode: 'AccessDenied', errorMessage: 'explicit deny in a service control policy' })).toBe(true);
  });

  describe('in the management account, where no SCP applies: the trail, trusted access, delegated administrators, the baseline roles', () => {
    const MGMT_PIPELINE = assumedRole(MANAGEMENT, 'soc2-baseline-pipeline');
    const calls: [string, (who: object) => object][] = [
      ['PutEventSelectors on the org trail', (who) => cloudtrail('PutEventSelectors', { trailName: trailArn(`${PREFIX}-org-trail`), advancedEventSelectors: [] }, who)],
      ['DisableAWSServiceAccess of Security Hub', (who) => organizations('DisableAWSServiceAccess', { servicePrincipal: 'securityhub.amazonaws.com' }, who)],
      ['DeregisterDelegatedAdministrator of Access Analyzer', (who) => organizations('DeregisterDelegatedAdministrator', { accountId: AUDIT, servicePrincipal: 'access-analyzer.amazonaws.com' }, who)],
      ['GuardDuty DisableOrganizationAdminAccount', (who) => record('guardduty.amazonaws.com', 'DisableOrganizationAdminAccount', { adminAccountId: AUDIT }, who)],
      ['CloudTrail DeregisterOrganizationDelegatedAdmin', (who) => cloudtrail('DeregisterOrganizationDelegatedAdmin', { delegatedAdminAccountId: AUDIT }, who)],
      ['a deny-all boundary on the trail delivery role', (who) => iam('PutRolePermissionsBoundary', { roleName: `${PREFIX}-org-trail-to-cloudwatch-logs`, permissionsBoundary: 'arn:aws:iam::aws:policy/AWSDenyAll' }, who)],
    ];
    test.each(calls)('%s: counted as an administrator, as root, and when it failed; not as the pipeline', (_what, call) => {
      expect(counted(call(MGMT_ADMIN_ROLE))).toBe(true);
      expect(counted(call(MGMT_ROOT))).toBe(true);
      expect(counted({ ...call(MGMT_ADMIN_ROLE), errorCode: 'AccessDenied', errorMessage: 'not authorized' })).toBe(true);
      expect(counted(call(MGMT_PIPELINE))).toBe(false);
    });

    test("breaking: CIS 4.5's pattern alone does not count a PutEventSelectors, and without the 'trail' filter the family misses it", () => {
      const narrowing = cloudtrail('PutEventSelectors', { trailName: `${PREFIX}-org-trail`, advancedEventSelectors: [] }, MGMT_ADMIN_ROLE);
      // CIS 4.5's bare-word values quoted for this matcher, which reads quoted strings only (a bare word and
      // the same word quoted are one value: CloudWatch Logs User Guide, FilterAndPatternSyntax.html, whose
      // examples use both; Security Hub CloudWatch.5's own pattern is bare).
      const cis45 = (oneResource(management, 'aws_cloudwatch_log_metric_filter', (f) => f.metric_transformation.name === 'CloudTrailConfigurationChanges').pattern as string).replace(
        /\(\$\.(\w+)=(\w+)\)/g,
        '($.$1 = "$2")',
      );
      expect(counted(cloudtrail('StopLogging', { name: `${PREFIX}-org-trail` }, MGMT_ADMIN_ROLE), [cis45])).toBe(true);
      expect(counted(narrowing, [cis45])).toBe(false);
      expect(counted(narrowing, filters.filter((f) => !f.name.endsWith('-trail')).map((f) => f.pattern))).toBe(false);
      expect(counted(narrowing)).toBe(true);
    });

    test("breaking: without the 'organizations' and 'delegated-admins' filters, disconnecting GuardDuty is missed", () => {
      const others = filters.filter((f) => !/-(organizations|delegated-admins)$/.test(f.name)).map((f) => f.pattern);
      expect(counted(organizations('DisableAWSServiceAccess', { servicePrincipal: 'guardduty.amazonaws.com' }, MGMT_ADMIN_ROLE), others)).toBe(false);
      expect(counted(record('guardduty.amazonaws.com', 'DisableOrganizationAdminAccount', { adminAccountId: AUDIT }, MGMT_ADMIN_ROLE), others)).toBe(false);
    });

    test('a trail or role of another namespace, and a role named like the prefix without its dash, are not counted', () => {
      expect(counted(cloudtrail('PutEventSelectors', { trailName: trailArn('aws-controltower-BaselineCloudTrail-copy'), advancedEventSelectors: [] }, MGMT_ADMIN_ROLE))).toBe(false);
      expect(counted(iam('UpdateAssumeRolePolicy', { roleName: 'acme-soc2team', policyDocument: '{}' }, MGMT_ADMIN_ROLE))).toBe(false);
      expect(counted(iam('UpdateAssumeRolePolicy', { roleName: `team-${PREFIX}-role`, policyDocument: '{}' }, MGMT_ADMIN_ROLE))).toBe(false);
    });
  });

  describe('who made the change', () => {
    const deleteTopic = (who: object) => sns('DeleteTopic', { topicArn: topicArn(MEMBER, `${PREFIX}-security-alerts`) }, who);

    test.each([
      ['an administrator role', true, ADMIN],
      ['the break-glass role', true, assumedRole(MEMBER, 'soc2-baseline-break-glass')],
      ['the root user (no session issuer)', true, ROOT],
      ['an IAM user in the console (a session context without an issuer)', true, CONSOLE_USER],
      ['a role named like the pipeline behind another path', true, assumedRole(MEMBER, 'other/soc2-baseline-pipeline')],
      ['the pipeline role, in any account: a routine apply', false, PIPELINE],
      ['the pipeline role in the management account', false, assumedRole(MANAGEMENT, 'soc2-baseline-pipeline')],
      // An IAM user at a path holding ":role/" (IAM paths take any printable ASCII: IAM API Reference,
      // CreateUser, Path) named like the pipeline role, through GetFederationToken: CloudTrail records a
      // FederatedUser whose session issuer is of type IAMUser (CloudTrail User Guide, "CloudTrail
      // userIdentity element"). Its ARN matches "*:role/soc2-baseline-pipeline"; its type does not.
      [
        'a federated session of an IAM user named like the pipeline role behind a ":role/" path',
        true,
        {
          type: 'FederatedUser',
          principalId: `${MANAGEMENT}:hide`,
          arn: `arn:aws:sts::${MANAGEMENT}:federated-user/hide`,
          accountId: MANAGEMENT,
          sessionContext: {
            sessionIssuer: { type: 'IAMUser', principalId: 'AIDAEXAMPLEID', arn: `arn:aws:iam::${MANAGEMENT}:user/x:role/soc2-baseline-pipeline`, accountId: MANAGEMENT, userName: 'soc2-baseline-pipeline' },
            attributes: { creationDate: '2026-11-22T03:00:00Z', mfaAuthenticated: 'false' },
          },
        },
      ],
    ])('%s: counted %p', (_who, expected, identity) => {
      expect(counted(deleteTopic(identity))).toBe(expected);
    });

    const patternsFor = (edit: (raw: Record<string, any>) => void) =>
      resourcesOf(synthStack(configWith(edit), 'management'), 'aws_cloudwatch_log_metric_filter')
        .map(([, f]) => f)
        .filter((f) => f.metric_transformation.name === ROUTE_TAMPERING_METRIC)
        .map((f) => f.pattern as string);

    test('with guardrails off there is no vetted pipeline role: nobody is left out', () => {
      const patterns = patternsFor((raw) => {
        raw.guardrails = { enabled: false };
        raw.controlExceptions = [{ control: 'guardrails.service-control-policies', reason: 'a test of the stack without guardrails' }];
      });
      expect(patterns).toHaveLength(10);
      expect(patterns.join()).not.toContain('sessionIssuer');
      expect(counted(deleteTopic(PIPELINE), patterns)).toBe(true);
    });

    test('a default administrator role accepted as the pipeline role is not left out: it would leave out every administrator', () => {
      expect(routeTamperingExemptRole({ enabled: true, pipelineRoleName: 'OrganizationAccountAccessRole' })).toBeUndefined();
      expect(routeTamperingExemptRole({ enabled: true, pipelineRoleName: 'ops/AWSControlTowerExecution' })).toBeUndefined();
      expect(routeTamperingExemptRole({ enabled: true, pipelineRoleName: 'ops/pipeline' })).toBe('ops/pipeline');
      expect(routeTamperingExemptRole({ enabled: false, pipelineRoleName: 'ops/pipeline' })).toBeUndefined();
    });

    test('a pipeline role behind a path is left out by its full path only', () => {
      const patterns = alertRouteTamperingFilters(PREFIX, 'ops/pipeline').map((f) => f.pattern);
      expect(counted(deleteTopic(assumedRole(MEMBER, 'ops/pipeline')), patterns)).toBe(false);
      expect(counted(deleteTopic(assumedRole(MEMBER, 'pipeline')), patterns)).toBe(true);
    });
  });

  /**
   * The names are the ones the stacks build: a change to any topic, queue, rule, bus, alarm, metric
   * filter or analyzer of the example org, in any stack, is counted. A new resource on the route or a
   * renamed one fails here until `alertRouteNames` knows it.
   */
  test('every resource of the alert route and every watcher the example org synthesizes is covered, its trails and roles too', () => {
    const uncovered: string[] = [];
    const seen = { trails: [] as string[], roles: [] as string[] };
    for (const stack of allStackNames(config)) {
      const json: Synth = stack === 'management' ? management : synthStack(config, stack);
      const busNames = new Map(resourcesOf(json, 'aws_cloudwatch_event_bus').map(([id, b]) => [`\${aws_cloudwatch_event_bus.${id}.name}`, b.name as string]));
      const check = (what: string, event: object) => {
        if (!counted(event)) uncovered.push(`${stack}: ${what}`);
      };
      for (const [, t] of resourcesOf(json, 'aws_sns_topic')) check(`topic ${t.name}`, sns('DeleteTopic', { topicArn: topicArn(MEMBER, t.name) }));
      for (const [, q] of resourcesOf(json, 'aws_sqs_queue')) check(`queue ${q.name}`, sqs('DeleteQueue', { queueUrl: queueUrl(MEMBER, q.name) }));
      for (const [, r] of resourcesOf(json, 'aws_cloudwatch_event_rule')) {
        const eventBusName = r.event_bus_name ? (busNames.get(r.event_bus_name) ?? r.event_bus_name) : undefined;
        check(`rule ${r.name}`, events('DisableRule', { name: r.name, ...(eventBusName ? { eventBusName } : {}) }));
        check(`targets of rule ${r.name}`, events('RemoveTargets', { rule: r.name, ids: ['x'], ...(eventBusName ? { eventBusName } : {}) }));
      }
      for (const [, b] of resourcesOf(json, 'aws_cloudwatch_event_bus')) check(`bus ${b.name}`, events('DeleteEventBus', { name: b.name }));
      for (const [, a] of resourcesOf(json, 'aws_cloudwatch_metric_alarm')) check(`alarm ${a.alarm_name}`, cloudwatch('DeleteAlarms', { alarmNames: [a.alarm_name] }));
      for (const [, f] of resourcesOf(json, 'aws_cloudwatch_log_metric_filter')) check(`metric filter ${f.name}`, logs('DeleteMetricFilter', { logGroupName: f.log_group_name, filterName: f.name }));
      for (const [, a] of resourcesOf(json, 'aws_accessanalyzer_analyzer')) check(`analyzer ${a.analyzer_name}`, analyzer('DeleteAnalyzer', { analyzerName: a.analyzer_name }));
      for (const [, t] of resourcesOf(json, 'aws_cloudtrail')) {
        seen.trails.push(t.name);
        check(`trail ${t.name} by name`, cloudtrail('PutEventSelectors', { trailName: t.name, advancedEventSelectors: [] }));
        check(`trail ${t.name} by ARN`, cloudtrail('PutEventSelectors', { trailName: trailArn(t.name), advancedEventSelectors: [] }));
      }
      for (const [, r] of resourcesOf(json, 'aws_iam_role')) {
        seen.roles.push(r.name);
        for (const e of ['UpdateAssumeRolePolicy', 'PutRolePermissionsBoundary']) check(`role ${r.name} (${e})`, iam(e, { roleName: r.name }));
      }
    }
    // The trails and roles are there to be checked: the org trail, the member trails and their delivery roles.
    expect(seen.trails).toContain(`${PREFIX}-org-trail`);
    expect(seen.roles).toContain(`${PREFIX}-org-trail-to-cloudwatch-logs`);
    expect(uncovered).toEqual([]);
  });

  test("watch Control Tower's trail log group when that trail is used", () => {
    const ct = synthStack(configWith((raw) => { raw.controlTower = { enabled: true, organizationTrail: 'control-tower' }; withoutInvestigations(raw); }), 'management');
    const ctFilters = resourcesOf(ct, 'aws_cloudwatch_log_metric_filter').filter(([, f]) => f.metric_transformation.name === ROUTE_TAMPERING_METRIC);
    expect(ctFilters).toHaveLength(10);
    for (const [, f] of ctFilters) expect(f.log_group_name).toBe('aws-controltower/CloudTrailLogs');
  });

  test('exist once, on the organization trail: member stacks have none', () => {
    for (const stack of ['member-222222222222', 'member-444444444444']) {
      const json = synthStack(config, stack);
      expect(resourcesOf(json, 'aws_cloudwatch_log_metric_filter').filter(([, f]) => f.metric_transformation.name === ROUTE_TAMPERING_METRIC)).toEqual([]);
      expect(resourcesOf(json, 'aws_cloudwatch_metric_alarm').filter(([, a]) => a.metric_name === ROUTE_TAMPERING_METRIC)).toEqual([]);
    }
  });
});

/** EventBridge content matching, for the operators the baseline's rules use: exact values and `prefix`. */
function eventMatches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((p) => (typeof p === 'object' && p !== null && 'prefix' in p ? typeof event === 'string' && event.startsWith((p as { prefix: string }).prefix) : p === event));
  }
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof event !== 'object' || event === null) return false;
    return Object.entries(pattern).every(([k, v]) => eventMatches(v, (event as Record<string, unknown>)[k]));
  }
  throw new Error(`unsupported pattern ${JSON.stringify(pattern)}`);
}

describe('the route-tampering alarm', () => {
  test('fires on the first change, like the CIS alarms, and names its control', () => {
    expect(alarm).toMatchObject({
      alarm_name: `${PREFIX}-org-alert-route-tampering`,
      provider: 'aws.management',
      region: HOME,
      namespace: 'CISBenchmark',
      metric_name: 'AlertRouteTampering',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      treat_missing_data: 'notBreaching',
      actions_enabled: true,
    });
    expect(alarm.alarm_description).toContain('control alerting.route-tampering-alarm');
    expect(alarm.alarm_description).toContain('soc2-baseline-pipeline left out');
  });

  // The route, as alert-routing.test.ts follows every CIS alarm: the account's alert topic, and the
  // "CloudWatch Alarm State Change" event (CloudWatch User Guide, "Alarm events and EventBridge") through
  // the forwarding rule to the central bus, whose rule publishes to the central topic.
  test('reaches people: it acts on the alert topic every CIS alarm of the account acts on, and is forwarded to the central topic', () => {
    const root = oneResource(management, 'aws_cloudwatch_metric_alarm', (a) => a.metric_name === 'RootAccountUsage');
    expect(alarm.alarm_actions).toEqual([`arn:aws:sns:${HOME}:${MANAGEMENT}:${PREFIX}-security-alerts`]);
    expect(alarm.alarm_actions).toEqual(root.alarm_actions);
    const stateChange = {
      source: 'aws.cloudwatch',
      'detail-type': 'CloudWatch Alarm State Change',
      account: MANAGEMENT,
      region: HOME,
      time: '2026-11-22T03:19:00Z',
      detail: { alarmName: alarm.alarm_name, state: { value: 'ALARM' }, previousState: { value: 'OK' } },
    };
    const forward = oneResource(management, 'aws_cloudwatch_event_rule', (r) => r.name === `${PREFIX}-org-alarms-to-central-bus`);
    expect(eventMatches(JSON.parse(forward.event_pattern), stateChange)).toBe(true);
    const busArn = `arn:aws:events:${HOME}:${AUDIT}:event-bus/${PREFIX}-security-alarms`;
    expect(oneResource(management, 'aws_cloudwatch_event_target', (t) => t.rule === `\${aws_cloudwatch_event_rule.${resourcesOf(management, 'aws_cloudwatch_event_rule').find(([, r]) => r === forward)![0]}.name}`).arn).toBe(busArn);
    const [centralId, central] = resourcesOf(management, 'aws_cloudwatch_event_rule').find(([, r]) => r.name === `${PREFIX}-alarms-to-central-topic`)!;
    expect(central.event_bus_name).toBeDefined();
    expect(eventMatches(JSON.parse(central.event_pattern), stateChange)).toBe(true);
    const centralTarget = oneResource(management, 'aws_cloudwatch_event_target', (t) => t.rule === `\${aws_cloudwatch_event_rule.${centralId}.name}`);
    expect(centralTarget.arn).toBe(`arn:aws:sns:${HOME}:${AUDIT}:${PREFIX}-security-findings`);
  });
});

describe('its evidence (evidence/checks/cloudwatch.ts), answered in the shapes of DescribeMetricFilters and DescribeAlarms', () => {
  const mocks: { restore(): void }[] = [];
  afterEach(() => {
    while (mocks.length) mocks.pop()!.restore();
  });

  /** What the management account's log group and alarms look like after an apply of the example org. */
  function deployed(): { filters: MetricFilter[]; alarms: MetricAlarm[] } {
    return {
      filters: resourcesOf(management, 'aws_cloudwatch_log_metric_filter').map(([, f]) => ({
        filterName: f.name,
        logGroupName: f.log_group_name,
        filterPattern: f.pattern,
        metricTransformations: [{ metricName: f.metric_transformation.name, metricNamespace: f.metric_transformation.namespace, metricValue: '1' }],
      })),
      // MetricAlarm (API_MetricAlarm.html) as CloudWatch reports the synthesized alarm.
      alarms: resourcesOf(management, 'aws_cloudwatch_metric_alarm').map(([, a]) => ({
        AlarmName: a.alarm_name,
        Namespace: a.namespace,
        MetricName: a.metric_name,
        Statistic: a.statistic,
        Period: a.period,
        EvaluationPeriods: a.evaluation_periods,
        DatapointsToAlarm: a.datapoints_to_alarm,
        Unit: a.unit,
        ComparisonOperator: a.comparison_operator,
        Threshold: a.threshold,
        ActionsEnabled: a.actions_enabled,
        AlarmActions: a.alarm_actions,
        ...(a.metric_query
          ? {
              Metrics: a.metric_query.map((q: any) => ({
                Id: q.id,
                ReturnData: q.return_data,
                Expression: q.expression,
                ...(q.metric ? { MetricStat: { Metric: { Namespace: q.metric.namespace, MetricName: q.metric.metric_name }, Period: q.metric.period, Stat: q.metric.stat } } : {}),
              })),
            }
          : {}),
      })),
    };
  }

  async function judge(state: { filters: MetricFilter[]; alarms: MetricAlarm[] }, cfg: BaselineConfig = config): Promise<EvidenceItem[]> {
    const logsMock = mockClient(CloudWatchLogsClient);
    const cwMock = mockClient(CloudWatchClient);
    mocks.push(logsMock, cwMock);
    logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: `/${PREFIX}/cloudtrail/organization`, retentionInDays: cfg.retention.cloudWatchLogsDays, kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k' }] });
    logsMock.on(DescribeMetricFiltersCommand).resolves({ metricFilters: state.filters });
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: state.alarms });
    const { ctx } = createContext({ config: cfg, accounts: [MANAGEMENT], validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
    await runTasks(ctx, cisTasks(ctx), 1);
    return ctx.items.filter((i) => i.controlId === ROUTE_TAMPERING_CONTROL);
  }

  test('the example org as applied: PASS', async () => {
    const items = await judge(deployed());
    expect(items.map((i) => [i.status, i.reason])).toEqual([['PASS', expect.stringContaining(`alarm ${PREFIX}-org-alert-route-tampering acts on arn:aws:sns:${HOME}:${MANAGEMENT}:${PREFIX}-security-alerts`)]]);
  });

  test('a filter widened to leave out every role, one deleted, and the alarm silenced: FAIL, naming each', async () => {
    const state = deployed();
    const sns = state.filters.find((f) => f.filterName === `${PREFIX}-org-alert-route-tampering-sns`)!;
    sns.filterPattern = sns.filterPattern!.replace('*:role/soc2-baseline-pipeline', '*:role/*');
    state.filters = state.filters.filter((f) => f.filterName !== `${PREFIX}-org-alert-route-tampering-access-analyzer`);
    state.alarms.find((a) => a.AlarmName === `${PREFIX}-org-alert-route-tampering`)!.ActionsEnabled = false;
    const [item] = await judge(state);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toContain(`filter ${PREFIX}-org-alert-route-tampering-sns pattern differs from the baseline's pattern`);
    expect(item.reason).toContain(`no metric filter ${PREFIX}-org-alert-route-tampering-access-analyzer`);
    expect(item.reason).toContain(`alarm ${PREFIX}-org-alert-route-tampering has its actions disabled`);
  });

  test('the alarm gone: FAIL', async () => {
    const state = deployed();
    state.alarms = state.alarms.filter((a) => a.MetricName !== ROUTE_TAMPERING_METRIC);
    const [item] = await judge(state);
    expect(item).toMatchObject({ status: 'FAIL', reason: `no alarm ${PREFIX}-org-alert-route-tampering` });
  });
});

describe("the guardrails' role-change filter (guardrailRoleChangeFilter): creating, re-trusting or re-permissioning the exempt roles", () => {
  // IAM records: eventSource iam.amazonaws.com, the role named in requestParameters.roleName (IAM User
  // Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail":
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html; IAM API Reference,
  // CreateRole, UpdateAssumeRolePolicy, ...: RoleName); record fields: CloudTrail User Guide, "CloudTrail
  // record contents": https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html.
  const roleFilter = resourcesOf(management, 'aws_cloudwatch_log_metric_filter')
    .map(([, f]) => f)
    .find((f) => f.metric_transformation.name === 'GuardrailRoleChanged')!;
  const roleAlarm = oneResource(management, 'aws_cloudwatch_metric_alarm', (a) => a.metric_name === 'GuardrailRoleChanged');
  const iamRecord = (account: string, identity: unknown, eventName: string, roleName: string, extra: Record<string, unknown> = {}) => ({
    eventVersion: '1.10',
    userIdentity: identity,
    eventTime: '2026-11-22T03:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { roleName, ...extra },
    responseElements: null,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  });
  const MGMT_ADMIN = assumedRole(MANAGEMENT, 'Admin');
  const events = [
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
  ];
  const match = (record: unknown) => counted(record, [roleFilter.pattern]);

  test('is on the organization trail log group with its own alarm on the alert topic, naming its control', () => {
    expect(roleFilter.log_group_name).toBe(filters[0].log_group_name);
    expect(roleAlarm.alarm_actions).toEqual(alarm.alarm_actions);
    expect(roleAlarm).toMatchObject({ statistic: 'Sum', threshold: 1, evaluation_periods: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', actions_enabled: true });
    expect(roleAlarm.alarm_description).toContain('guardrails.exempt-role-change-alarm');
  });
  test.each(events.flatMap((e) => ['soc2-baseline-pipeline', 'soc2-baseline-break-glass', 'soc2-baseline-plan'].map((r) => [e, r])))(
    '%s on %s by an administrator of the management account: counted',
    (eventName, roleName) => {
      expect(match(iamRecord(MANAGEMENT, MGMT_ADMIN, eventName, roleName))).toBe(true);
    },
  );
  test('in a member account, by its root user, and a failed attempt: counted', () => {
    expect(match(iamRecord(MEMBER, ROOT, 'CreateRole', 'soc2-baseline-break-glass', { path: '/', assumeRolePolicyDocument: '{}' }))).toBe(true);
    expect(match({ ...iamRecord(MEMBER, ADMIN, 'UpdateAssumeRolePolicy', 'soc2-baseline-pipeline'), errorCode: 'AccessDenied' })).toBe(true);
  });
  test('by the pipeline role itself: counted too (the baseline never changes these roles)', () => {
    expect(match(iamRecord(MEMBER, PIPELINE, 'PutRolePolicy', 'soc2-baseline-plan'))).toBe(true);
  });
  test('other roles, reads and other services: not counted', () => {
    expect(match(iamRecord(MANAGEMENT, MGMT_ADMIN, 'CreateRole', 'team-app-role'))).toBe(false);
    expect(match(iamRecord(MANAGEMENT, MGMT_ADMIN, 'CreateRole', 'soc2-baseline-pipeline-copy'))).toBe(false);
    expect(match(iamRecord(MANAGEMENT, MGMT_ADMIN, 'GetRole', 'soc2-baseline-pipeline'))).toBe(false);
    expect(match({ ...iamRecord(MANAGEMENT, MGMT_ADMIN, 'CreateRole', 'soc2-baseline-pipeline'), eventSource: 'sts.amazonaws.com' })).toBe(false);
  });
  test('breaking: without the plan role in the pattern, a change to it is missed', () => {
    const broken = roleFilter.pattern.replace(' || ($.requestParameters.roleName = "soc2-baseline-plan")', '');
    expect(broken).not.toBe(roleFilter.pattern);
    expect(counted(iamRecord(MANAGEMENT, MGMT_ADMIN, 'UpdateAssumeRolePolicy', 'soc2-baseline-plan'), [broken])).toBe(false);
  });
});
