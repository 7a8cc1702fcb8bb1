/** Someone watches: findings and alarms reach people through one central, encrypted alert topic. */
import { defineControl } from '../control-model/control';

export const FINDINGS_ALERTING = defineControl({
  id: 'guardduty.findings-alerting',
  title: 'High-severity findings reach people',
  description: 'EventBridge rules in the audit account send GuardDuty findings of severity 7 or more (every governed Region) and Security Hub HIGH/CRITICAL findings to the central alert topic.',
  tsc: ['CC7.3', 'CC7.2', 'CC4.2'],
  evidence: {
    api: ['events:DescribeRule', 'events:ListTargetsByRule', 'sns:GetTopicAttributes'],
    command: 'aws events list-targets-by-rule --rule <prefix>-guardduty-high-findings (audit account)',
    lookFor: 'In every governed Region the GuardDuty rule, and in the home Region the Security Hub rule, ENABLED, its pattern still matching a finding of severity 7 (HIGH/CRITICAL), targeting the central topic (or the home bus).',
  },
});

export const CENTRAL_ALERT_ROUTING = defineControl({
  id: 'alerting.central-routing',
  title: "Every account's alarms reach the people subscribed to one central topic",
  description: "Each account's alarms act on its KMS-encrypted alert topic; their ALARM state changes are forwarded to a central event bus in the audit account, whose rule publishes to the central alert topic that carries the people's subscriptions. Dead-letter queues keep what cannot be delivered. Every state change of those alarms (and of the audit account's route watchdogs) is also written to a KMS-encrypted log group in the audit account, /<prefix>/alarm-history, kept at least 400 days: the durable alarm history the audit period's alarm section reads.",
  tsc: ['CC7.3', 'CC2.2'],
  // Security Hub SNS controls: https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html
  securityHub: ['SNS.1'],
  prowler: ['sns_topics_kms_encryption_at_rest_enabled'],
  evidence: {
    api: ['events:DescribeRule', 'events:ListTargetsByRule', 'events:DescribeEventBus', 'sqs:ListQueues', 'sqs:GetQueueAttributes', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic', 'sns:GetSubscriptionAttributes'],
    command: 'aws sns list-subscriptions-by-topic --topic-arn <central alert topic>',
    lookFor: "Each forwarding rule and the central rule ENABLED, matching a baseline alarm entering ALARM, targeting the bus (the topic) with its dead-letter queue, and that queue empty; the bus policy admits every account's forwarder; the topic policy lets the central rule publish; every configured subscription confirmed, with no filter policy.",
    notJudged: "Whether a person reads what a confirmed subscription receives: AWS shows delivery to the configured endpoints, not that someone acts on an alert; the binder's period sections (alarm history, findings' workflow) are where that shows. The alarm history record's log group is judged there (period.alarm-response: present, old enough to cover the period, holding every state change CloudWatch's history holds); its two rules are judged here (enabled, pattern, target).",
  },
});

export const ROUTE_WATCHDOGS = defineControl({
  id: 'alerting.route-watchdogs',
  title: 'The alert route raises an alarm on its own failure, and a heartbeat proves it works',
  description:
    "Every link of the alert route has an alarm on its own failure, reaching people by a path that does not share the broken link: each account's dead-letter queue and forwarding failures; a heartbeat from every account with CIS alarms, counted in the audit account, whose silence raises an alarm there; the central rule's failures and dead-letter queue, acting on the central topic directly; the central topic's failed notifications, acting on a watchdog topic; and the organization trail's log group receiving no events.",
  tsc: ['CC7.2', 'CC7.3', 'CC4.2'],
  evidence: {
    api: ['cloudwatch:DescribeAlarms'],
    command: 'aws cloudwatch describe-alarms --alarm-name-prefix <prefix>-',
    lookFor: 'Each failure alarm and the heartbeat alarm exists, acts on its topic(s) with its actions enabled, and is not in ALARM.',
    notJudged: 'Whether the heartbeat really arrives is judged by its alarm, not by reading the heartbeat log: a heartbeat alarm that is OK means every account that sent a heartbeat in the last three hours sent one within the window (an account silent for longer leaves the query: docs/monitoring.md).',
  },
});

export const ROUTE_TAMPERING_ALARM = defineControl({
  id: 'alerting.route-tampering-alarm',
  title: 'Alarm on changes to the alert route and its watchers',
  description:
    "Metric filters on the organization trail's log group, one per service, and one Sum >= 1 alarm on their metric AlertRouteTampering: deleting, disabling or rewriting the baseline's alert topics and their subscriptions, the route's queues, rules, targets and central bus, the CIS alarms and metric filters, archiving the organization analyzer's findings, narrowing what the baseline's trails record, changing the organization's trusted access or delegated administrators, or re-trusting or re-permissioning the baseline's roles, in any account and Region (the management account, which SCPs never restrict, included), pages through the route like a CIS alarm; the pipeline role's applies are left out.",
  tsc: ['CC7.2', 'CC7.3'],
  evidence: {
    api: ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms'],
    command: 'aws logs describe-metric-filters --log-group-name <org trail log group> --filter-name-prefix <prefix>-org-alert-route-tampering && aws cloudwatch describe-alarms --alarm-names <prefix>-org-alert-route-tampering',
    lookFor: "Each filter has exactly the baseline's pattern and emits AlertRouteTampering in the configured namespace as the baseline writes it (one transformation emitting 1, with no dimensions, unit or default value, and no applyOnTransformedLogs, fieldSelectionCriteria or emitSystemFieldDimensions); the alarm watches that metric exactly as the baseline writes it (Statistic Sum over 300 s, EvaluationPeriods 1 (DatapointsToAlarm unset or 1), no Dimensions or Unit, GreaterThanOrEqualToThreshold 1), its actions enabled, with the account's alert topic as its ALARM action; each firing has an incident record.",
  },
});
