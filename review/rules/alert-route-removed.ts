/**
 * A link of the alert route deleted or replaced: the EventBridge rules that forward alarms and findings
 * (`aws_cloudwatch_event_rule`), their targets (`aws_cloudwatch_event_target`), the central event bus
 * (`aws_cloudwatch_event_bus`), the alert topics and their subscriptions (`aws_sns_topic`,
 * `aws_sns_topic_subscription`) and the dead-letter queues (`aws_sqs_queue`)
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_event_rule, …). Each is
 * needed for an alarm or finding to reach a person; a replaced subscription must be confirmed again
 * (an email subscription is pending until its recipient clicks the link: SNS, "Confirming the subscription").
 */
import { FINDINGS_ALERTING, CENTRAL_ALERT_ROUTING, ROUTE_WATCHDOGS } from '../../modules/alerting/controls';
import { destroyRule } from './rule';

export const ALERT_ROUTE_REMOVED = destroyRule({
  id: 'alert-route-removed',
  title: 'A rule, target, bus, topic, subscription or dead-letter queue of the alert route is deleted or replaced',
  controls: [CENTRAL_ALERT_ROUTING, FINDINGS_ALERTING, ROUTE_WATCHDOGS],
  resourceTypes: ['aws_cloudwatch_event_rule', 'aws_cloudwatch_event_target', 'aws_cloudwatch_event_bus', 'aws_sns_topic', 'aws_sns_topic_subscription', 'aws_sqs_queue'],
  what: 'this link of the alert route',
  why: 'alarms and findings stop reaching the people subscribed to the alert topic (a new subscription waits for confirmation)',
});
