/**
 * The durable record of every alarm state change of the organization, in the audit account's home
 * Region: CloudWatch keeps an alarm's history for a short time only (the period's alarm section,
 * evidence/checks/period-alarms.ts, reads DescribeAlarmHistory for its actions, and this record for
 * the state changes of the whole audit period).
 *
 * - One rule on the central alarm bus writes every "CloudWatch Alarm State Change" event the accounts
 *   forward (`alarm-forwarding.ts` forwards every state change of the baseline's alarms, not only the
 *   entries into ALARM) to one log group, `/<prefix>/alarm-history`.
 * - One rule on the audit account's default bus writes there the state changes of the audit account's
 *   own route watchdogs (`route-watchdogs.ts`), which act on the topics directly and are not forwarded.
 *
 * EventBridge writes to CloudWatch Logs under the log group's resource policy, not a role: "When
 * CloudWatch Logs is the target of a rule, EventBridge creates log streams, and CloudWatch Logs stores
 * the text from the events as log entries", and the target takes no `RoleArn` (EventBridge User Guide,
 * "Using resource-based policies for Amazon EventBridge", CloudWatch Logs permissions:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html). The policy
 * grants `logs:CreateLogStream` and `logs:PutLogEvents` on this group to `events.amazonaws.com` and
 * `delivery.logs.amazonaws.com` under `aws:SourceArn` = the two rules, as `route-watchdogs.ts` does
 * for the heartbeats (the page's example names both principals).
 *
 * The group is encrypted with a key of its own (CloudWatch Logs User Guide, "Encrypt log data in
 * CloudWatch Logs using AWS KMS": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html)
 * and kept `alarmHistoryRetentionDays`; the guardrails protect it with every `/<prefix>/` log group
 * (ProtectBaselineLogGroups), nobody may write events into it but EventBridge, whose service principal
 * SCPs do not restrict (DenyWritingAlarmHistory, no exemption), and its rules are protected with the
 * route's (ProtectAlertRoutes). Events a rule could
 * not write wait 14 days in a dead-letter queue; the rules' failures alarm on the central and watchdog
 * topics, like the rest of the route (docs/monitoring.md, "The alarm history record").
 */
import type { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { CLOUDWATCH_RETENTION_DAYS } from '../../config/schema';
import { controlRecorder } from '../control-model/record';
import { policyDocument } from '../iam/policy-document';
import { LogEncryptionKey } from '../kms/log-encryption-key';
import { CENTRAL_ALERT_ROUTING, ROUTE_WATCHDOGS } from './controls';
import { alarmStateChangesPattern } from './event-patterns';
import { queueDepthAlarm, ruleFailureAlarm } from './route-alarms';
import { ServiceQueue } from './service-queue';

/**
 * The shortest record that covers a SOC 2 Type II period of up to 12 months read a month after it
 * ends: 400 days, a value CloudWatch Logs accepts.
 */
export const MIN_ALARM_HISTORY_DAYS = 400;

/**
 * How long the record keeps events: the smallest value CloudWatch Logs accepts (PutRetentionPolicy,
 * retentionInDays: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html;
 * `CLOUDWATCH_RETENTION_DAYS`) that is at least the log archive's retention, the trail log groups'
 * and `MIN_ALARM_HISTORY_DAYS`: the alarms' record lasts as long as the logs they were raised on.
 * Undefined (never expire) when the archive keeps logs longer than CloudWatch Logs' longest value.
 */
export function alarmHistoryRetentionDays(retention: { readonly logArchiveDays: number; readonly cloudWatchLogsDays: number }): number | undefined {
  const floor = Math.max(retention.logArchiveDays, retention.cloudWatchLogsDays, MIN_ALARM_HISTORY_DAYS);
  return CLOUDWATCH_RETENTION_DAYS.find((d) => d >= floor);
}

export interface AlarmHistoryProps {
  /** Provider of the audit account. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly homeRegion: string;
  readonly namePrefix: string;
  /** `/<prefix>/alarm-history` (`config/naming.ts`). */
  readonly logGroupName: string;
  /** `alias/...` of the log group's key. */
  readonly keyAlias: string;
  /** Days the group keeps events (`alarmHistoryRetentionDays`); undefined: never expire. */
  readonly retentionDays: number | undefined;
  /** The central alarm bus (its resource, so the rule waits for it, and its name), its rule writing to the record, and the audit account's own rule. */
  readonly bus: CloudwatchEventBus;
  readonly busName: string;
  readonly centralRuleName: string;
  readonly localRuleName: string;
  /** The audit account's alarms that are not forwarded to the bus (the route watchdogs), this construct's own included. */
  readonly localAlarmNames: readonly string[];
  /** Where the record's failure alarms act: the central topic and the watchdog topic. */
  readonly failureAlarmTopicArns: readonly string[];
  /** Names of the failure alarms: each rule's failed deliveries, and the dead-letter queue holding events. */
  readonly failureAlarmNames: { readonly centralFailed: string; readonly localFailed: string; readonly undelivered: string };
}

export class AlarmHistory extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly policy: CloudwatchLogResourcePolicy;
  readonly centralRule: CloudwatchEventRule;
  readonly localRule: CloudwatchEventRule;
  readonly deadLetters: ServiceQueue;
  readonly alarms: CloudwatchMetricAlarm[];
  /** The log group's ARN, derived (what the targets and the resource policy name). */
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: AlarmHistoryProps) {
    super(scope, id);
    if (!props.logGroupName.startsWith(`/${props.namePrefix}/`)) {
      throw new Error(`AlarmHistory ${id}: logGroupName must start with "/${props.namePrefix}/", which the guardrails protect (got "${props.logGroupName}")`);
    }
    if (props.retentionDays !== undefined && !(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(props.retentionDays)) {
      throw new Error(`AlarmHistory ${id}: retentionDays must be one of ${CLOUDWATCH_RETENTION_DAYS.join(', ')} (got ${props.retentionDays})`);
    }
    if (!props.localAlarmNames.length) throw new Error(`AlarmHistory ${id}: localAlarmNames must name at least one alarm`);
    const home = props.homeRegion;
    const regional = { provider: props.provider, region: home };
    this.logGroupArn = `arn:${PARTITION}:logs:${home}:${props.accountId}:log-group:${props.logGroupName}`;
    const centralRuleArn = `arn:${PARTITION}:events:${home}:${props.accountId}:rule/${props.busName}/${props.centralRuleName}`;
    const localRuleArn = `arn:${PARTITION}:events:${home}:${props.accountId}:rule/${props.localRuleName}`;

    const key = new LogEncryptionKey(this, 'key', {
      ...regional,
      accountId: props.accountId,
      aliasName: props.keyAlias,
      description: "Encrypts the organization's alarm history record",
      statements: [
        {
          // CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS": the Regional
          // logs principal, held to this log group by the encryption context (kms:Describe* left out, as
          // for the heartbeats' key: DescribeKey carries no encryption context).
          Sid: 'CloudWatchLogsUseForAlarmHistory',
          Effect: 'Allow',
          Principal: { Service: `logs.${home}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': this.logGroupArn } },
        },
      ],
    });
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      ...regional,
      name: props.logGroupName,
      ...(props.retentionDays !== undefined ? { retentionInDays: props.retentionDays } : {}),
      kmsKeyId: key.key.arn,
      lifecycle: { preventDestroy: true },
    });
    this.policy = new CloudwatchLogResourcePolicy(this, 'policy', {
      ...regional,
      policyName: `${props.namePrefix}-alarm-history`,
      policyDocument: policyDocument([
        {
          Sid: 'EventBridgeWritesAlarmHistory',
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${this.logGroupArn}:*`,
          Condition: { ArnEquals: { 'aws:SourceArn': [centralRuleArn, localRuleArn] } },
        },
      ]),
    });
    this.deadLetters = new ServiceQueue(this, 'dead-letters', {
      ...regional,
      accountId: props.accountId,
      queueName: `${props.centralRuleName}-undelivered`,
      service: 'events.amazonaws.com',
      sourceArn: [centralRuleArn, localRuleArn],
      sid: 'UndeliveredAlarmHistory',
    });
    const target = (rule: CloudwatchEventRule, targetId: string, busName?: string) =>
      new CloudwatchEventTarget(this, targetId, {
        ...regional,
        ...(busName ? { eventBusName: busName } : {}),
        rule: rule.name,
        targetId: 'alarm-history-log-group',
        arn: this.logGroupArn,
        deadLetterConfig: { arn: this.deadLetters.queue.arn },
        dependsOn: [this.logGroup, this.policy, this.deadLetters.policy],
      });
    this.centralRule = new CloudwatchEventRule(this, 'central-rule', {
      ...regional,
      name: props.centralRuleName,
      description: "Every state change of every account's SOC 2 baseline alarms, to the alarm history record",
      eventBusName: props.bus.name,
      eventPattern: JSON.stringify(alarmStateChangesPattern({ alarmNamePrefix: `${props.namePrefix}-` })),
      state: 'ENABLED',
    });
    const centralTarget = target(this.centralRule, 'central-target', props.bus.name);
    this.localRule = new CloudwatchEventRule(this, 'local-rule', {
      ...regional,
      name: props.localRuleName,
      description: "Every state change of the audit account's alert route watchdogs, to the alarm history record",
      eventPattern: JSON.stringify(alarmStateChangesPattern({ alarmNames: [...props.localAlarmNames].sort() })),
      state: 'ENABLED',
    });
    const localTarget = target(this.localRule, 'local-target');

    const common = { ...regional, actions: props.failureAlarmTopicArns };
    const why = 'the alarm history record misses state changes (docs/monitoring.md, "The alarm history record")';
    this.alarms = [
      ruleFailureAlarm(this, 'central-failed', { ...common, alarmName: props.failureAlarmNames.centralFailed, ruleName: props.centralRuleName, busName: props.busName, description: `The rule ${props.centralRuleName} failed to write alarm state changes to ${props.logGroupName}: ${why}` }),
      ruleFailureAlarm(this, 'local-failed', { ...common, alarmName: props.failureAlarmNames.localFailed, ruleName: props.localRuleName, description: `The rule ${props.localRuleName} failed to write alarm state changes to ${props.logGroupName}: ${why}` }),
      queueDepthAlarm(this, 'undelivered', { ...common, alarmName: props.failureAlarmNames.undelivered, queueName: `${props.centralRuleName}-undelivered`, description: `Alarm state changes the record could not store wait in ${props.centralRuleName}-undelivered: ${why}` }),
    ];
    const record = controlRecorder(this, props.accountId, home);
    record(CENTRAL_ALERT_ROUTING, key.key, this.logGroup, this.policy, this.centralRule, centralTarget, this.localRule, localTarget, this.deadLetters.queue);
    record(ROUTE_WATCHDOGS, ...this.alarms);
  }
}
