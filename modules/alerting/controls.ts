/** Someone watches: findings and alarms reach people through one central, encrypted alert topic. */
import { defineControl } from '../../controls/control';

export const FINDINGS_ALERTING = defineControl({
  id: 'guardduty.findings-alerting',
  title: 'High-severity findings reach people',
  description: 'EventBridge rules in the audit account send GuardDuty findings of severity 7 or more (every governed Region) and Security Hub HIGH/CRITICAL findings to the central alert topic.',
  tsc: ['CC7.3', 'CC7.2', 'CC4.2'],
  evidence: {
    api: ['events:ListRules', 'events:ListTargetsByRule', 'sns:ListSubscriptionsByTopic'],
    command: 'aws events list-targets-by-rule --rule <prefix>-guardduty-high-findings (audit account)',
    lookFor: 'Each rule ENABLED with the central alert topic as target; the topic has confirmed subscriptions.',
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
    api: ['sns:ListSubscriptionsByTopic', 'events:DescribeEventBus', 'events:ListTargetsByRule', 'sqs:GetQueueAttributes'],
    command: 'aws sns list-subscriptions-by-topic --topic-arn <central alert topic>',
    lookFor: 'Confirmed subscriptions (no PendingConfirmation); the bus rule targets the topic; the dead-letter queues are empty.',
  },
});
