/**
 * A resource policy of the alert route deleted or replaced: the central bus's policy that admits every
 * account's forwarder (`aws_cloudwatch_event_bus_policy`), the topic policy that lets EventBridge and
 * CloudWatch publish (`aws_sns_topic_policy`), the dead-letter queue's policy that lets EventBridge send
 * (`aws_sqs_queue_policy`), and the log resource policy that lets EventBridge write the route's heartbeats
 * (`aws_cloudwatch_log_resource_policy`) (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_event_bus_policy, …).
 * Without it the service is refused and the alert dropped (EventBridge: "Permissions for Amazon SNS /
 * Amazon SQS targets"; "Permissions for Amazon EventBridge event buses").
 */
import { CENTRAL_ALERT_ROUTING, FINDINGS_ALERTING, ROUTE_WATCHDOGS } from '../../modules/alerting/controls';
import { destroyRule } from './rule';

export const ALERT_ROUTE_POLICY_REMOVED = destroyRule({
  id: 'alert-route-policy-removed',
  title: 'An event bus, topic, queue or heartbeat log policy of the alert route is deleted or replaced',
  controls: [CENTRAL_ALERT_ROUTING, FINDINGS_ALERTING, ROUTE_WATCHDOGS],
  resourceTypes: ['aws_cloudwatch_event_bus_policy', 'aws_sns_topic_policy', 'aws_sqs_queue_policy', 'aws_cloudwatch_log_resource_policy'],
  what: 'the alert route\'s resource policy',
  why: 'the service that forwards or publishes alerts (EventBridge, CloudWatch) is refused, so alerts are dropped',
});
