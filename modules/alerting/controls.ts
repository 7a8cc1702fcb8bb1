/** Someone watches: findings and alarms reach people through one central, encrypted alert topic. */
import { defineControl } from '../../controls/control';

export const FINDINGS_ALERTING = defineControl({
  id: 'guardduty.findings-alerting',
  title: 'High-severity findings reach people',
  description: 'EventBridge rules in the audit account send GuardDuty findings of severity 7 or more (every governed Region) and Security Hub HIGH/CRITICAL findings to the central alert topic.',
  tsc: ['CC7.3', 'CC7.2', 'CC4.2'],
  evidence: {
    api: ['events:DescribeRule', 'events:ListTargetsByRule'],
    command: 'aws events list-targets-by-rule --rule <prefix>-guardduty-high-findings (audit account)',
    lookFor: 'In every governed Region the GuardDuty rule, and in the home Region the Security Hub rule, ENABLED, its pattern still matching a finding of severity 7 (HIGH/CRITICAL), targeting the central topic (or the home bus).',
  },
});

export const CENTRAL_ALERT_ROUTING = defineControl({
  id: 'alerting.central-routing',
  title: "Every account's alarms reach the people subscribed to one central topic",
  description: "Each account's alarms act on its KMS-encrypted alert topic; their ALARM state changes are forwarded to a central event bus in the audit account, whose rule publishes to the central alert topic that carries the people's subscriptions. Dead-letter queues keep what cannot be delivered.",
  tsc: ['CC7.3', 'CC2.2'],
  // Security Hub SNS controls: https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html
  securityHub: ['SNS.1'],
  prowler: ['sns_topics_kms_encryption_at_rest_enabled'],
  evidence: {
    api: ['events:DescribeRule', 'events:ListTargetsByRule', 'events:DescribeEventBus', 'sqs:ListQueues', 'sqs:GetQueueAttributes', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic', 'sns:GetSubscriptionAttributes'],
    command: 'aws sns list-subscriptions-by-topic --topic-arn <central alert topic>',
    lookFor: "Each forwarding rule and the central rule ENABLED, matching a baseline alarm entering ALARM, targeting the bus (the topic) with its dead-letter queue, and that queue empty; the bus policy admits every account's forwarder; the topic policy lets the central rule publish; every configured subscription confirmed, with no filter policy.",
    notJudged: "Whether a person reads what a confirmed subscription receives: AWS shows delivery to the configured endpoints, not that someone acts on an alert; the binder's period sections (alarm history, findings' workflow) are where that shows.",
  },
});
