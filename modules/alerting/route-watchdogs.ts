/**
 * Watch the watchers, in the audit account: the alert route raises an alarm on its own failure, by a
 * path that does not share the link that failed (docs/monitoring.md, "When the alert route fails").
 *
 * - **The heartbeat (dead man's switch).** Every account with CIS alarms sends a scheduled heartbeat
 *   to the central bus through its alarm route's role, target and dead-letter queue
 *   (`alarm-forwarding.ts`). Here one rule on the bus writes the heartbeats to one log group, one
 *   metric filter turns them into one metric with an `Account` dimension, and one Metrics Insights
 *   alarm over that metric, grouped by account, has a contributor per account: an account whose
 *   heartbeat has not arrived within `alarmAfterMinutes` is in ALARM (CloudWatch User Guide, "Create an
 *   alarm based on a Multi Time Series Metrics Insights query":
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/multi-time-series-alarm.html). A
 *   second alarm fires when the rule matches no heartbeat at all (the bus, its policy or the rule is
 *   broken). None of these grows with the number of accounts.
 * - **The central rule** (bus to topic): its dead-letter queue holding events, and its deliveries
 *   failing, alarm straight on the central topic (CloudWatch publishes; the rule is not involved).
 * - **The central topic**: its failed notifications alarm on a watchdog topic of its own, whose
 *   subscribers are `alerts.watchdogSubscriptions` (default: the same people).
 *
 * Metrics: `route-alarms.ts`. The heartbeat log group: EventBridge delivers to CloudWatch Logs under
 * a resource policy that lets `events.amazonaws.com` and `delivery.logs.amazonaws.com` create streams
 * and put events (EventBridge User Guide, "Using resource-based policies for Amazon EventBridge",
 * CloudWatch Logs permissions: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html).
 */
import type { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { controlRecorder } from '../control-model/record';
import { policyDocument } from '../iam/policy-document';
import { LogEncryptionKey } from '../kms/log-encryption-key';
import { AlertTopic } from './alert-topic';
import { ROUTE_WATCHDOGS } from './controls';
import { queueDepthAlarm, ruleFailureAlarm, silenceAlarm, topicFailureAlarm } from './route-alarms';

/** The heartbeat events the bus receives: scheduled events of the accounts' heartbeat rules. */
export function heartbeatPattern(homeRegion: string, namePrefix: string): object {
  return {
    source: ['aws.events'],
    'detail-type': ['Scheduled Event'],
    // EventBridge User Guide, "Wildcard matching" in event patterns.
    resources: [{ wildcard: `arn:${PARTITION}:events:${homeRegion}:*:rule/${namePrefix}-*-heartbeat` }],
  };
}

/** The metric each heartbeat adds one to, per account (`Account` dimension). */
export const HEARTBEAT_METRIC = 'RouteHeartbeat';

/** The names of the route's failure alarms in the audit account. */
export function routeWatchdogAlarmNames(namePrefix: string): {
  heartbeatMissing: string;
  heartbeatsStopped: string;
  centralUndelivered: string;
  centralFailed: string;
  topicFailed: string;
  findingsFailed: string[];
  /** The alarm history record's (`alarm-history.ts`): each rule's failed writes, and its dead-letter queue holding events. */
  historyFailed: string;
  historyLocalFailed: string;
  historyUndelivered: string;
} {
  return {
    heartbeatMissing: `${namePrefix}-route-heartbeat-missing`,
    heartbeatsStopped: `${namePrefix}-route-heartbeats-stopped`,
    centralUndelivered: `${namePrefix}-central-route-undelivered`,
    centralFailed: `${namePrefix}-central-route-failed`,
    topicFailed: `${namePrefix}-central-topic-delivery-failed`,
    findingsFailed: [`${namePrefix}-guardduty-alerting-failed`, `${namePrefix}-securityhub-alerting-failed`],
    historyFailed: `${namePrefix}-alarm-history-failed`,
    historyLocalFailed: `${namePrefix}-audit-alarm-history-failed`,
    historyUndelivered: `${namePrefix}-alarm-history-undelivered`,
  };
}

export interface RouteWatchdogsProps {
  /** Provider of the audit account. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly homeRegion: string;
  readonly namePrefix: string;
  /** The central alarm bus (its resource, so the heartbeat rule waits for it, and its name) and its rule to the central topic, with that rule's dead-letter queue. */
  readonly bus: CloudwatchEventBus;
  readonly busName: string;
  readonly centralRuleName: string;
  readonly centralDeadLetterQueueName: string;
  /** The central alert topic: the failure alarms of the links before it act on it directly. */
  readonly centralTopicArn: string;
  readonly centralTopicName: string;
  /** The findings rules of the home Region that publish to the central topic. */
  readonly findingsRuleNames: readonly string[];
  readonly heartbeat: BaselineConfig['alerts']['heartbeat'];
  /** Who hears that the central topic itself fails. */
  readonly watchdogSubscriptions: BaselineConfig['alerts']['subscriptions'];
  readonly metricNamespace: string;
  readonly logRetentionDays: number;
  /** `alias/...` of the heartbeat log group's key, and of the watchdog topic's. */
  readonly logKeyAlias: string;
  readonly topicKeyAlias: string;
}

export class RouteWatchdogs extends Construct {
  readonly watchdogTopic: AlertTopic;
  readonly logGroup: CloudwatchLogGroup;
  readonly heartbeatRule: CloudwatchEventRule;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: RouteWatchdogsProps) {
    super(scope, id);
    const home = props.homeRegion;
    const regional = { provider: props.provider, region: home };
    const names = routeWatchdogAlarmNames(props.namePrefix);
    const record = controlRecorder(this, props.accountId, home);

    this.watchdogTopic = new AlertTopic(this, 'watchdog-topic', {
      ...regional,
      accountId: props.accountId,
      topicName: `${props.namePrefix}-route-watchdog`,
      keyAlias: props.topicKeyAlias,
      subscriptions: props.watchdogSubscriptions,
      publisher: 'cloudwatch-alarms',
    });

    // The heartbeats: bus -> rule -> log group -> metric (Account dimension). Under the baseline's
    // `/<prefix>/` log groups, which the guardrails protect; the `/aws/events/` prefix is the EventBridge
    // console's convention for the groups it lists, not a requirement of PutTargets (AWS Knowledge Center,
    // "add an Amazon CloudWatch log group as a target to an Amazon EventBridge rule"; Unverified on a
    // live account: docs/monitoring.md).
    const logGroupName = `/${props.namePrefix}/route-heartbeats`;
    const logGroupArn = `arn:${PARTITION}:logs:${home}:${props.accountId}:log-group:${logGroupName}`;
    const ruleName = `${props.namePrefix}-route-heartbeats`;
    const ruleArn = `arn:${PARTITION}:events:${home}:${props.accountId}:rule/${props.busName}/${ruleName}`;
    const key = new LogEncryptionKey(this, 'log-key', {
      ...regional,
      accountId: props.accountId,
      aliasName: props.logKeyAlias,
      description: 'Encrypts the alert route heartbeats log group',
      preventDestroy: false,
      statements: [
        {
          // CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS": the Regional
          // logs principal, held to this log group by the encryption context.
          Sid: 'CloudWatchLogsUseForHeartbeats',
          Effect: 'Allow',
          Principal: { Service: `logs.${home}.amazonaws.com` },
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
    this.logGroup = new CloudwatchLogGroup(this, 'heartbeats', {
      ...regional,
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: key.key.arn,
    });
    const logPolicy = new CloudwatchLogResourcePolicy(this, 'heartbeats-policy', {
      ...regional,
      policyName: `${props.namePrefix}-route-heartbeats`,
      policyDocument: policyDocument([
        {
          Sid: 'EventBridgeWritesHeartbeats',
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${logGroupArn}:*`,
          Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
        },
      ]),
    });
    this.heartbeatRule = new CloudwatchEventRule(this, 'heartbeat-rule', {
      ...regional,
      name: ruleName,
      description: "Every account's alert route heartbeat, to the heartbeats log group (one metric per account)",
      eventBusName: props.bus.name,
      eventPattern: JSON.stringify(heartbeatPattern(home, props.namePrefix)),
      state: 'ENABLED',
    });
    const target = new CloudwatchEventTarget(this, 'heartbeat-target', {
      ...regional,
      eventBusName: props.bus.name,
      rule: this.heartbeatRule.name,
      targetId: 'heartbeats-log-group',
      arn: logGroupArn,
      dependsOn: [this.logGroup, logPolicy],
    });
    // CloudWatch Logs User Guide, "Creating metrics from log events using filters", dimensions: each
    // distinct `account` value is a metric of its own, created when its first heartbeat arrives.
    const filter = new CloudwatchLogMetricFilter(this, 'heartbeat-filter', {
      ...regional,
      name: `${props.namePrefix}-route-heartbeat`,
      logGroupName: this.logGroup.name,
      pattern: '{ $.detail-type = "Scheduled Event" }',
      metricTransformation: { name: HEARTBEAT_METRIC, namespace: props.metricNamespace, value: '1', dimensions: { Account: '$.account' } },
    });

    const both = [props.centralTopicArn, this.watchdogTopic.topicArn];
    const periodSeconds = props.heartbeat.alarmAfterMinutes * 60;
    // One contributor per account; an account with no heartbeat in the period is missing data,
    // treated as breaching. Metrics Insights evaluates the last three hours and at most 500 series,
    // lowest sums first (ORDER BY ... ASC), so the silent accounts are always among them
    // (CloudWatch User Guide, "Metrics Insights quotas" and "Limits" of Metrics Insights alarms).
    const missing = new CloudwatchMetricAlarm(this, 'heartbeat-missing', {
      ...regional,
      alarmName: names.heartbeatMissing,
      alarmDescription: `An account's alert route heartbeat has not reached the central bus for ${props.heartbeat.alarmAfterMinutes} minutes: its alarms cannot reach people (docs/monitoring.md, "When the alert route fails")`,
      actionsEnabled: true,
      alarmActions: both,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
      metricQuery: [
        {
          id: 'heartbeats',
          returnData: true,
          period: periodSeconds,
          label: 'Heartbeats per account',
          expression: `SELECT SUM(${HEARTBEAT_METRIC}) FROM SCHEMA("${props.metricNamespace}", Account) GROUP BY Account ORDER BY SUM() ASC`,
        },
      ],
    });
    const stopped = silenceAlarm(this, 'heartbeats-stopped', {
      ...regional,
      alarmName: names.heartbeatsStopped,
      description: `No account's heartbeat reached the central bus for ${props.heartbeat.alarmAfterMinutes} minutes: the bus, its policy or the heartbeat rule is broken (docs/monitoring.md, "When the alert route fails")`,
      actions: both,
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensions: { EventBusName: props.busName, RuleName: ruleName },
      periodSeconds,
    });
    const common = { ...regional, actions: both };
    const undelivered = queueDepthAlarm(this, 'central-undelivered', {
      ...common,
      alarmName: names.centralUndelivered,
      queueName: props.centralDeadLetterQueueName,
      description: `Alarms the central rule could not publish wait in ${props.centralDeadLetterQueueName}: this alarm publishes to the topic itself (docs/monitoring.md, "When the alert route fails")`,
    });
    const failed = ruleFailureAlarm(this, 'central-failed', {
      ...common,
      alarmName: names.centralFailed,
      ruleName: props.centralRuleName,
      busName: props.busName,
      description: `The central rule ${props.centralRuleName} failed to publish alarms to the central topic (docs/monitoring.md, "When the alert route fails")`,
    });
    const findingsFailed = props.findingsRuleNames.map((rule, i) =>
      ruleFailureAlarm(this, `findings-failed-${i}`, {
        ...common,
        alarmName: names.findingsFailed[i] ?? `${props.namePrefix}-findings-alerting-failed-${i}`,
        ruleName: rule,
        description: `The findings rule ${rule} failed to publish to the central topic (docs/monitoring.md, "When the alert route fails")`,
      }),
    );
    // The central topic's own failures cannot be told through it: the watchdog topic only.
    const topicFailed = topicFailureAlarm(this, 'topic-failed', {
      ...regional,
      actions: [this.watchdogTopic.topicArn],
      alarmName: names.topicFailed,
      topicName: props.centralTopicName,
      description: `The central alert topic failed to deliver a notification to a subscriber (docs/monitoring.md, "When the alert route fails")`,
    });
    this.alarms.push(missing, stopped, undelivered, failed, ...findingsFailed, topicFailed);
    const resources: TerraformResource[] = [this.watchdogTopic.topic, this.logGroup, this.heartbeatRule, target, filter, ...this.alarms];
    record(ROUTE_WATCHDOGS, ...resources);
  }
}
