/**
 * The alarms the alert route raises on its own failures, one small builder per kind of link, each
 * citing the metric it reads:
 *
 * - a dead-letter queue holding messages: `AWS/SQS` `ApproximateNumberOfMessagesVisible`, dimension
 *   `QueueName` (SQS Developer Guide, "Available CloudWatch metrics for Amazon SQS":
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html);
 * - an EventBridge rule failing to deliver: `AWS/Events` `FailedInvocations` and
 *   `InvocationsFailedToBeSentToDlq`, dimension `RuleName` (default bus) or `EventBusName` and
 *   `RuleName` (a custom bus); EventBridge sends them only when they are not zero (EventBridge User
 *   Guide, "Monitoring Amazon EventBridge": https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html);
 * - an SNS topic failing to deliver: `AWS/SNS` `NumberOfNotificationsFailed`, dimension `TopicName` (SNS
 *   Developer Guide, "Monitoring Amazon SNS topics using CloudWatch":
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html);
 * - a log group receiving nothing: `AWS/Logs` `IncomingLogEvents`, dimension `LogGroupName`, missing
 *   data treated as breaching (CloudWatch Logs User Guide, "Monitoring with CloudWatch metrics":
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html).
 */
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';

export interface RouteAlarmCommon {
  readonly provider: AwsProvider;
  readonly region: string;
  readonly alarmName: string;
  readonly description: string;
  /** Topics the alarm publishes to when it enters ALARM. */
  readonly actions: readonly string[];
}

/** Five minutes: a failure is reported within the period the CIS alarms use. */
export const ROUTE_ALARM_PERIOD_SECONDS = 300;

const base = (c: RouteAlarmCommon) => ({
  provider: c.provider,
  region: c.region,
  alarmName: c.alarmName,
  alarmDescription: c.description,
  actionsEnabled: true,
  alarmActions: [...c.actions],
  evaluationPeriods: 1,
});

/** A dead-letter queue holds a message: an event the route could not deliver. No data is no message. */
export function queueDepthAlarm(scope: Construct, id: string, c: RouteAlarmCommon & { readonly queueName: string }): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    ...base(c),
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: c.queueName },
    statistic: 'Maximum',
    period: ROUTE_ALARM_PERIOD_SECONDS,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
  });
}

/**
 * A rule's deliveries failed for good, or could not even reach its dead-letter queue: the two metrics
 * summed (each absent when zero, hence FILL with 0). Deliveries that reached the dead-letter queue are
 * the queue-depth alarm's; two metrics keep the alarm at two billed alarm metrics.
 */
export function ruleFailureAlarm(scope: Construct, id: string, c: RouteAlarmCommon & { readonly ruleName: string; readonly busName?: string }): CloudwatchMetricAlarm {
  const dimensions: Record<string, string> = c.busName ? { EventBusName: c.busName, RuleName: c.ruleName } : { RuleName: c.ruleName };
  const metric = (queryId: string, metricName: string) => ({
    id: queryId,
    returnData: false,
    metric: { namespace: 'AWS/Events', metricName, dimensions, stat: 'Sum', period: ROUTE_ALARM_PERIOD_SECONDS },
  });
  return new CloudwatchMetricAlarm(scope, id, {
    ...base(c),
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    metricQuery: [
      metric('failed', 'FailedInvocations'),
      metric('dlqfailed', 'InvocationsFailedToBeSentToDlq'),
      { id: 'undelivered', returnData: true, label: `Undelivered events of ${c.ruleName}`, expression: 'FILL(failed, 0) + FILL(dlqfailed, 0)' },
    ],
  });
}

/** A topic failed to deliver a notification to a subscriber. */
export function topicFailureAlarm(scope: Construct, id: string, c: RouteAlarmCommon & { readonly topicName: string }): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    ...base(c),
    namespace: 'AWS/SNS',
    metricName: 'NumberOfNotificationsFailed',
    dimensions: { TopicName: c.topicName },
    statistic: 'Sum',
    period: ROUTE_ALARM_PERIOD_SECONDS,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
  });
}

/** A metric that must keep arriving: fewer than one in `periodSeconds`, or none at all, is an alarm. */
export function silenceAlarm(
  scope: Construct,
  id: string,
  c: RouteAlarmCommon & { readonly namespace: string; readonly metricName: string; readonly dimensions: Readonly<Record<string, string>>; readonly periodSeconds: number },
): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    ...base(c),
    namespace: c.namespace,
    metricName: c.metricName,
    dimensions: { ...c.dimensions },
    statistic: 'Sum',
    period: c.periodSeconds,
    threshold: 1,
    comparisonOperator: 'LessThanThreshold',
    treatMissingData: 'breaching',
  });
}
