/**
 * The alert route, read from the services themselves (not from a configuration inventory that can
 * lag): in each account with the CIS alarms, the rule that forwards ALARM state changes to the
 * central bus (enabled, its pattern still matching the baseline's alarms, its target the bus, with a
 * dead-letter queue, and that queue empty); in the audit account, the central bus (its policy still
 * admitting every account's forwarder), its rule to the central topic (same checks), the central
 * topic (its policy admitting that rule, every configured subscription confirmed and unfiltered),
 * and the GuardDuty and Security Hub finding rules in every governed Region.
 *
 * Patterns and policies are evaluated, not compared as text: a sample event of each kind must match
 * the rule's pattern (modules/alerting/event-patterns.ts), and the bus and topic policies must allow
 * the request the route makes (evidence/policy-evaluator.ts, through evidence/policy-judge.ts).
 */
import { DescribeEventBusCommand, DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand, type Target } from '@aws-sdk/client-eventbridge';
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient, type Subscription } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { alarmEventBusArn, alarmEventBusName, alarmForwarderRoleName, alarmHistoryLogGroupName, alarmHistoryRuleNames, centralAlarmRuleName, centralAlertTopicArn, PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { alarmStateChangePattern, alarmStateChangesPattern, eventMatches, GUARDDUTY_HIGH_SEVERITY_PATTERN, SECURITY_HUB_HIGH_CRITICAL_PATTERN } from '../../modules/alerting/event-patterns';
import { routeWatchdogAlarmNames } from '../../modules/alerting/route-watchdogs';
import { CIS_METRIC_FILTERS, GUARDRAIL_ROLE_CHANGE_ALARM_ID } from '../../modules/cis-monitoring/cis-metric-filters';
import { ALARM_MESSAGE, MAX_SQS_RETENTION_SECONDS } from '../../modules/alerting/event-patterns';
import { canonicalize } from '../canonical';
import { allowedInEveryContext } from '../policy-judge';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';
import { cisTargets } from './cloudwatch';
import { baselineAlarms } from './period-alarms';

export function forwardingRuleName(config: BaselineConfig, accountId: string): string {
  const kind = accountId === config.organization.managementAccountId ? 'org' : 'account';
  return `${config.organization.namePrefix}-${kind}-alarms-to-central-bus`;
}

export const centralRuleName = (config: BaselineConfig) => centralAlarmRuleName(config);
export const deadLetterQueueName = (ruleName: string) => `${ruleName}-undelivered`;

/**
 * Sample events the rules must match. CloudWatch: "Alarm events and EventBridge"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html);
 * GuardDuty: "EventBridge event format for GuardDuty" (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html);
 * Security Hub: "EventBridge event formats for Security Hub" (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-event-formats.html).
 */
export function alarmEvent(accountId: string, region: string, alarmName: string): object {
  return { source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm State Change', account: accountId, region, detail: { alarmName, state: { value: 'ALARM' }, previousState: { value: 'OK' } } };
}
/**
 * Every alarm name the baseline gives an account's alarms with this name prefix (`<prefix>-org` or
 * `<prefix>-account`): each CIS filter's, the off-hours sign-in alarm, and the break-glass alarm with
 * the alarm on changes to the guardrails' exempt roles (both on the same group, guardrails on:
 * cisTargets). A rule that still matches one but not the others has been narrowed.
 */
export function baselineAlarmNames(namePrefix: string, breakGlass: boolean): string[] {
  return [
    ...CIS_METRIC_FILTERS.map((f) => `${namePrefix}-${f.id}`),
    `${namePrefix}-console-signin-outside-business-hours`,
    ...(breakGlass ? [`${namePrefix}-break-glass-role-used`, `${namePrefix}-${GUARDRAIL_ROLE_CHANGE_ALARM_ID}`] : []),
  ];
}

const guardDutyEvent = (severity: number) => ({ source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding', detail: { severity, type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller' } });
const securityHubEvent = (label: string, product: string) => ({
  source: 'aws.securityhub',
  'detail-type': 'Security Hub Findings - Imported',
  detail: { findings: [{ ProductName: product, RecordState: 'ACTIVE', Workflow: { Status: 'NEW' }, Severity: { Label: label } }] },
});
/** Products whose findings Security Hub imports (Security Hub User Guide, "AWS service integrations"); GuardDuty's have their own rule. */
const SECURITY_HUB_PRODUCTS = ['Security Hub', 'Macie', 'Inspector', 'IAM Access Analyzer', 'Config', 'Health'];

interface RouteRule {
  readonly name: string;
  /** @default - the account's default bus */
  readonly busName?: string;
  readonly target: string;
  /** Events the rule must match (each is a case the route exists for). */
  readonly mustMatch: readonly { readonly what: string; readonly event: object }[];
  /** The rule's dead-letter queue (name), which must exist, be the target's, and be empty. @default - none */
  readonly deadLetterQueue?: string;
  /** The schedule of a scheduled rule (the heartbeat). @default - none: a rule with an event pattern */
  readonly schedule?: string;
  /** The pattern the baseline writes: any other (canonically compared) fails. @default - none (a scheduled rule) */
  readonly pattern?: object;
  /** The role the target must use (cross-account and cross-Region targets). @default - none required */
  readonly roleArn?: string;
  /** The input transformer the target must have; any other Input, InputPath or transformer fails. @default - none */
  readonly inputTransformer?: { readonly inputPaths: Readonly<Record<string, string>>; readonly inputTemplate: string };
}

/** Everything wrong with one rule of the route; each problem names the rule and what changed. */
async function ruleProblems(task: Task, events: EventBridgeClient, sqs: SQSClient | undefined, rule: RouteRule): Promise<string[]> {
  const where = `rule ${rule.name}${rule.busName ? ` on ${rule.busName}` : ''} in ${task.accountId} ${task.region}`;
  const request = { Name: rule.name, ...(rule.busName ? { EventBusName: rule.busName } : {}) };
  let described;
  try {
    described = await task.call('events:DescribeRule', request, () => events.send(new DescribeRuleCommand(request)), { key: rule.name });
  } catch (e) {
    if (isNotFound(e, 'ResourceNotFoundException')) return [`no ${where}`];
    throw e;
  }
  const problems: string[] = [];
  if (described.State !== 'ENABLED') problems.push(`${where} is ${described.State ?? '(no state)'}`);
  if (rule.schedule && described.ScheduleExpression !== rule.schedule) problems.push(`${where} runs on ${described.ScheduleExpression ?? '(no schedule)'}, not ${rule.schedule}`);
  const pattern = described.EventPattern ? (JSON.parse(described.EventPattern) as unknown) : undefined;
  // Compared whole with the baseline's pattern: a sample event cannot rule out a narrowed pattern
  // (an added field, `exists: false`, a capped number); the samples then say what is lost.
  if (rule.pattern && JSON.stringify(canonicalize(pattern ?? null)) !== JSON.stringify(canonicalize(rule.pattern))) {
    problems.push(`${where} has the pattern ${described.EventPattern ?? '(none)'}, not the baseline's ${JSON.stringify(rule.pattern)}`);
  }
  const missed = rule.mustMatch.filter(({ event }) => !pattern || !eventMatches(pattern, event)).map((m) => m.what);
  if (missed.length) {
    const list = `${missed.slice(0, 5).join(', ')}${missed.length > 5 ? `, and ${missed.length - 5} more` : ''}`;
    problems.push(`${where} no longer matches ${missed.length} of the ${rule.mustMatch.length} events it must route: ${list} (pattern ${described.EventPattern ?? 'none'})`);
  }
  const targetsRequest = { Rule: rule.name, ...(rule.busName ? { EventBusName: rule.busName } : {}) };
  const pages = await task.paginate(
    'events:ListTargetsByRule',
    targetsRequest,
    (token) => events.send(new ListTargetsByRuleCommand({ ...targetsRequest, NextToken: token })),
    (p) => p.NextToken,
    { key: rule.name },
  );
  const target: Target | undefined = pages.flatMap((p) => p.Targets ?? []).find((t) => t.Arn === rule.target);
  if (!target) {
    problems.push(`${where} does not target ${rule.target}`);
    return problems;
  }
  // What the target delivers: the event itself (or the baseline's message), through the baseline's role
  // (Target: Input, InputPath, InputTransformer, RoleArn: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html).
  if (target.Input !== undefined || target.InputPath !== undefined) problems.push(`${where}: its target replaces the event (${target.Input !== undefined ? `Input ${target.Input}` : `InputPath ${target.InputPath}`})`);
  const transformer = target.InputTransformer ? { inputPaths: target.InputTransformer.InputPathsMap ?? {}, inputTemplate: target.InputTransformer.InputTemplate } : undefined;
  if (JSON.stringify(canonicalize(transformer ?? null)) !== JSON.stringify(canonicalize(rule.inputTransformer ?? null))) {
    problems.push(`${where}: its target's input transformer is ${transformer ? JSON.stringify(transformer) : '(none)'}, not ${rule.inputTransformer ? "the baseline's message" : 'none'}`);
  }
  if (rule.roleArn && target.RoleArn !== rule.roleArn) problems.push(`${where}: its target uses the role ${target.RoleArn ?? '(none)'}, not ${rule.roleArn}`);
  if (rule.deadLetterQueue && sqs) {
    const queueArn = `arn:${PARTITION}:sqs:${task.region}:${task.accountId}:${rule.deadLetterQueue}`;
    if (target.DeadLetterConfig?.Arn !== queueArn) problems.push(`${where}: the target's dead-letter queue is ${target.DeadLetterConfig?.Arn ?? '(none: undelivered events are dropped)'}, not ${queueArn}`);
    const ruleArn = described.Arn ?? `arn:${PARTITION}:events:${task.region}:${task.accountId}:rule/${rule.busName ? `${rule.busName}/` : ''}${rule.name}`;
    problems.push(...(await queueProblems(task, sqs, rule.deadLetterQueue, ruleArn)));
  }
  return problems;
}

/**
 * A dead-letter queue exists, its policy (evaluated) still lets EventBridge send the rule's undelivered
 * events to it (EventBridge User Guide, "Using dead-letter queues to process undelivered events":
 * `sqs:SendMessage` by `events.amazonaws.com` with `aws:SourceArn` the rule), and it holds nothing:
 * every message in it is an alert nobody received.
 */
async function queueProblems(task: Task, sqs: SQSClient, name: string, ruleArn: string): Promise<string[]> {
  const listRequest = { QueueNamePrefix: name };
  const pages = await task.paginate(
    'sqs:ListQueues',
    listRequest,
    (token) => sqs.send(new ListQueuesCommand({ ...listRequest, NextToken: token })),
    (p) => p.NextToken,
    { key: name },
  );
  const url = pages.flatMap((p) => p.QueueUrls ?? []).find((u) => u.split('/').at(-1) === name);
  if (!url) return [`no dead-letter queue ${name} in ${task.accountId} ${task.region}`];
  const counts = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  const AttributeNames = [...counts, 'Policy', 'MessageRetentionPeriod'] as const;
  const out = await task.call('sqs:GetQueueAttributes', { QueueUrl: url, AttributeNames }, () => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...AttributeNames] })), { key: name });
  const count = counts.reduce((n, a) => n + Number(out.Attributes?.[a] ?? 0), 0);
  const queueArn = `arn:${PARTITION}:sqs:${task.region}:${task.accountId}:${name}`;
  const policy = out.Attributes?.Policy;
  const send = policy
    ? allowedInEveryContext(policy, { principal: { kind: 'service', service: 'events.amazonaws.com' }, action: 'sqs:SendMessage', resource: queueArn, fixed: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': task.accountId, 'aws:RequestedRegion': task.region } })
    : undefined;
  const retention = Number(out.Attributes?.MessageRetentionPeriod ?? 0);
  return [
    ...(!send || send.denied ? [`the policy of dead-letter queue ${name} in ${task.accountId} ${task.region} does not let EventBridge send the undelivered events of ${ruleArn}${send?.counterexample ? ` (${send.counterexample})` : ''}: they would be dropped`] : []),
    ...(retention !== MAX_SQS_RETENTION_SECONDS ? [`dead-letter queue ${name} in ${task.accountId} ${task.region} keeps messages ${retention} seconds, not ${MAX_SQS_RETENTION_SECONDS} (14 days): undelivered alarms would expire unseen`] : []),
    ...(count > 0 ? [`dead-letter queue ${name} in ${task.accountId} ${task.region} holds ${count} undelivered event(s): alarms that never reached the next link`] : []),
  ];
}

export function alertRouteTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const home = config.regions.home;
  const audit = config.organization.auditAccountId;
  const tasks: Task[] = [];
  // Each account with the CIS alarms forwards them to the central bus.
  for (const target of cisTargets(config, ctx.settings.accounts)) {
    tasks.push(
      new Task(ctx, { label: 'alarm forwarding', accountId: target.accountId, region: home, controls: ['alerting.central-routing'], resource: forwardingRuleName(config, target.accountId) }, async (task) => {
        const name = forwardingRuleName(config, target.accountId);
        const forwarder = `arn:${PARTITION}:iam::${target.accountId}:role/${alarmForwarderRoleName(config)}`;
        const problems = await ruleProblems(task, task.client(EventBridgeClient), task.client(SQSClient), {
          name,
          target: alarmEventBusArn(config),
          // Every state change: the central rule publishes the entries into ALARM, the alarm history record keeps them all.
          pattern: alarmStateChangesPattern({ alarmNamePrefix: `${target.namePrefix}-` }),
          roleArn: forwarder,
          mustMatch: baselineAlarmNames(target.namePrefix, !!target.breakGlassRoleName).map((name) => ({ what: `the baseline alarm ${name} entering ALARM`, event: alarmEvent(target.accountId, home, name) })),
          deadLetterQueue: deadLetterQueueName(name),
        });
        // The heartbeat: a scheduled rule on the same target, role and dead-letter queue.
        const heartbeat = `${target.namePrefix}-heartbeat`;
        problems.push(
          ...(await ruleProblems(task, task.client(EventBridgeClient), task.client(SQSClient), {
            name: heartbeat,
            target: alarmEventBusArn(config),
            roleArn: forwarder,
            mustMatch: [],
            schedule: `rate(${config.alerts.heartbeat.everyMinutes} minutes)`,
            deadLetterQueue: deadLetterQueueName(name),
          })),
        );
        task.item({
          controlId: 'alerting.central-routing',
          title: "Account's alarms forwarded to the central alarm bus",
          status: problems.length ? 'FAIL' : 'PASS',
          reason: problems.length ? problems.join('; ') : `rule ${name} ENABLED, matches the baseline's alarms entering ALARM, forwards to ${alarmEventBusArn(config)}; the heartbeat rule ${heartbeat} runs every ${config.alerts.heartbeat.everyMinutes} minutes on the same target; their dead-letter queue is empty`,
          sources: [DOC.events.describeRule, DOC.events.listTargetsByRule, DOC.sqs.listQueues, DOC.sqs.getQueueAttributes],
        });
      }),
    );
  }
  if (ctx.settings.regions.includes(home)) {
    tasks.push(new Task(ctx, { label: 'central alert route', accountId: audit, region: home, controls: ['alerting.central-routing'], resource: 'central' }, (task) => judgeCentral(task, config)));
    tasks.push(new Task(ctx, { label: 'alarm history record rules', accountId: audit, region: home, controls: ['alerting.central-routing'], resource: 'alarm-history-rules' }, (task) => judgeAlarmHistoryRules(task, config)));
  }
  // GuardDuty: a rule in every governed Region; the home one publishes, the others forward home.
  for (const region of config.regions.governed.filter((r) => ctx.settings.regions.includes(r))) {
    tasks.push(
      new Task(ctx, { label: 'findings alerting', accountId: audit, region, controls: ['guardduty.findings-alerting'] }, async (task) => {
        const events = task.client(EventBridgeClient);
        const homeBus = `arn:${PARTITION}:events:${home}:${audit}:event-bus/default`;
        const rules: RouteRule[] = [
          {
            name: `${config.organization.namePrefix}-guardduty-high-severity`,
            target: region === home ? centralAlertTopicArn(config) : homeBus,
            pattern: GUARDDUTY_HIGH_SEVERITY_PATTERN,
            // Outside the home Region the rule forwards through a role (findings-routing.ts).
            ...(region === home ? {} : { roleArn: `arn:${PARTITION}:iam::${audit}:role/${config.organization.namePrefix}-forward-findings-to-${home}` }),
            // GuardDuty severity levels: High 7.0-8.9, Critical 9.0-10.0 (GuardDuty User Guide, "Severity levels of GuardDuty findings").
            mustMatch: [7, 7.5, 8.9, 9, 9.5, 10].map((severity) => ({ what: `a GuardDuty finding of severity ${severity}`, event: guardDutyEvent(severity) })),
          },
          ...(region === home
            ? [
                {
                  name: `${config.organization.namePrefix}-securityhub-high-critical`,
                  target: centralAlertTopicArn(config),
                  pattern: SECURITY_HUB_HIGH_CRITICAL_PATTERN,
                  mustMatch: ['HIGH', 'CRITICAL'].flatMap((label) => SECURITY_HUB_PRODUCTS.map((product) => ({ what: `a new ${label} finding of ${product}`, event: securityHubEvent(label, product) }))),
                },
              ]
            : []),
        ];
        // In the home Region the rules publish to the central topic: its policy and key must let them.
        let topic: Record<string, string> | undefined;
        const topicRaw: string[] = [];
        if (region === home) {
          const sns = task.client(SNSClient);
          const topicArn = centralAlertTopicArn(config);
          topic = (await task.call('sns:GetTopicAttributes', { TopicArn: topicArn }, () => sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn })))).Attributes ?? {};
          topicRaw.push(task.rawNames.at(-1) as string);
        }
        for (const rule of rules) {
          await task.guard(['guardduty.findings-alerting'], async () => {
            const start = task.rawNames.length;
            const problems = await ruleProblems(task, events, undefined, rule);
            if (topic && rule.target === centralAlertTopicArn(config)) problems.push(...topicPolicyProblems(config, topic, [`arn:${PARTITION}:events:${home}:${audit}:rule/${rule.name}`]));
            task.item({
              controlId: 'guardduty.findings-alerting',
              title: rule.name.endsWith('securityhub-high-critical') ? 'Security Hub HIGH/CRITICAL findings reach the central alert topic' : 'GuardDuty findings of severity 7+ reach the central alert topic',
              status: problems.length ? 'FAIL' : 'PASS',
              reason: problems.length ? problems.join('; ') : `rule ${rule.name} ENABLED, matches ${rule.mustMatch.map((m) => m.what).join(' and ')}, targets ${rule.target}`,
              resource: rule.name,
              sources: [DOC.events.describeRule, DOC.events.listTargetsByRule, ...(topic ? [DOC.sns.getTopicAttributes] : [])],
              raw: [...task.rawNames.slice(start), ...(topic && rule.target === centralAlertTopicArn(config) ? topicRaw : [])],
            });
          }, rule.name);
        }
      }),
    );
  }
  return tasks;
}

async function judgeCentral(task: Task, config: BaselineConfig): Promise<void> {
  const events = task.client(EventBridgeClient);
  const sqs = task.client(SQSClient);
  const sns = task.client(SNSClient);
  const home = config.regions.home;
  const audit = config.organization.auditAccountId;
  const busName = alarmEventBusName(config);
  const topicArn = centralAlertTopicArn(config);
  const problems: string[] = [];

  // The bus, and its policy admitting each forwarding account's role (cross-account PutEvents needs
  // the bus policy to allow it: EventBridge User Guide, "Permissions for event buses").
  let busPolicy: string | undefined;
  try {
    const bus = await task.call('events:DescribeEventBus', { Name: busName }, () => events.send(new DescribeEventBusCommand({ Name: busName })), { key: busName });
    busPolicy = bus.Policy;
  } catch (e) {
    if (!isNotFound(e, 'ResourceNotFoundException')) throw e;
    problems.push(`no event bus ${busName} in the audit account`);
  }
  if (busPolicy !== undefined || !problems.length) {
    const refused = cisTargets(config, task.ctx.settings.accounts)
      .map((t) => t.accountId)
      .filter((accountId) => accountId !== audit)
      .filter((accountId) => {
        if (!busPolicy) return true;
        return allowedInEveryContext(busPolicy, {
          principal: { kind: 'role', arn: `arn:${PARTITION}:iam::${accountId}:role/${alarmForwarderRoleName(config)}` },
          action: 'events:PutEvents',
          resource: alarmEventBusArn(config),
          fixed: { 'aws:PrincipalOrgID': config.organization.id, 'aws:PrincipalType': 'AssumedRole', 'aws:RequestedRegion': config.regions.home },
        }).denied;
      });
    if (refused.length) problems.push(`the policy of ${busName} does not let the forwarding role of ${refused.length} account(s) put events: ${refused.slice(0, 20).join(', ')}${refused.length > 20 ? ', ...' : ''}`);
  }

  const central = centralRuleName(config);
  problems.push(
    ...(await ruleProblems(task, events, sqs, {
      name: central,
      busName,
      target: topicArn,
      pattern: alarmStateChangePattern(`${config.organization.namePrefix}-`),
      inputTransformer: ALARM_MESSAGE,
      // Every baseline alarm of the organization trail's set and of the account trails' set.
      mustMatch: cisTargets(config, task.ctx.settings.accounts)
        .filter((t, i, all) => all.findIndex((o) => o.namePrefix === t.namePrefix) === i)
        .flatMap((t) => baselineAlarmNames(t.namePrefix, !!t.breakGlassRoleName).map((name) => ({ what: `the baseline alarm ${name} entering ALARM`, event: alarmEvent(t.accountId, home, name) }))),
      deadLetterQueue: deadLetterQueueName(central),
    })),
  );

  // The central topic: its policy lets the central rule publish, and people are subscribed.
  let topicAttributes: Record<string, string> | undefined;
  try {
    topicAttributes = (await task.call('sns:GetTopicAttributes', { TopicArn: topicArn }, () => sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn })))).Attributes;
  } catch (e) {
    if (!isNotFound(e, 'NotFoundException', 'NotFound')) throw e;
    problems.push(`no central alert topic ${topicArn}`);
  }
  if (topicAttributes) {
    const ruleArn = `arn:${PARTITION}:events:${home}:${audit}:rule/${busName}/${central}`;
    // EventBridge publishes as events.amazonaws.com with aws:SourceArn (the rule): SNS Developer Guide,
    // and EventBridge User Guide, "Amazon SNS permissions".
    problems.push(...topicPolicyProblems(config, topicAttributes, [ruleArn]));
    const pages = await task.paginate(
      'sns:ListSubscriptionsByTopic',
      { TopicArn: topicArn },
      (token) => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token })),
      (p) => p.NextToken,
    );
    const subscriptions: Subscription[] = pages.flatMap((p) => p.Subscriptions ?? []);
    // SubscriptionArn is "PendingConfirmation" until the endpoint confirms (SNS API reference, Subscribe and ListSubscriptionsByTopic: https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html).
    const confirmed = subscriptions.filter((s) => s.SubscriptionArn && s.SubscriptionArn.startsWith('arn:'));
    // SNS returns an HTTP/S endpoint's basic-auth password masked (SNS Developer Guide, "HTTP/S
    // endpoint": credentials in the URL are shown as ****): compare endpoints with any password masked.
    const same = (a: string | undefined, b: string) => maskPassword(a ?? '') === maskPassword(b);
    if (config.alerts.subscriptions.length === 0) problems.push('alerts.subscriptions is empty: the central alert topic reaches nobody');
    for (const wanted of config.alerts.subscriptions) {
      const sub = confirmed.find((s) => s.Protocol === wanted.protocol && same(s.Endpoint, wanted.endpoint));
      if (!sub?.SubscriptionArn) {
        const other = subscriptions.find((s) => s.Protocol === wanted.protocol && same(s.Endpoint, wanted.endpoint));
        const state = other ? `subscribed but ${other.SubscriptionArn === 'PendingConfirmation' ? 'not confirmed (PendingConfirmation)' : `not active (${other.SubscriptionArn})`}` : 'not subscribed';
        problems.push(`${wanted.protocol} ${maskPassword(wanted.endpoint)} is ${state} to ${topicArn}`);
        continue;
      }
      const arn = sub.SubscriptionArn;
      const attributes = (await task.call('sns:GetSubscriptionAttributes', { SubscriptionArn: arn }, () => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })), { key: `${wanted.protocol}.${wanted.endpoint}` })).Attributes;
      // Raw delivery strips the SNS envelope an HTTP/S or SQS endpoint parses (SNS Developer Guide, "Amazon SNS raw message delivery").
      if (attributes?.RawMessageDelivery === 'true') problems.push(`${wanted.protocol} ${maskPassword(wanted.endpoint)} has RawMessageDelivery on: the endpoint receives the message without the envelope it expects`);
      // A filter policy drops every message it does not match (SNS Developer Guide, "Amazon SNS message filtering").
      if (attributes?.FilterPolicy) problems.push(`${wanted.protocol} ${maskPassword(wanted.endpoint)} has a filter policy (${attributes.FilterPolicy}): alerts that do not match it are dropped`);
    }
  }
  task.item({
    controlId: 'alerting.central-routing',
    title: 'Central alarm bus, its rule, the central topic and its confirmed subscriptions',
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length
      ? problems.join('; ')
      : `${busName} admits every account's forwarder; rule ${central} ENABLED, matching, targeting ${topicArn}, dead-letter queue empty; ${config.alerts.subscriptions.length} configured subscription(s) confirmed, none filtered`,
    sources: [DOC.events.describeEventBus, DOC.events.describeRule, DOC.events.listTargetsByRule, DOC.sqs.listQueues, DOC.sqs.getQueueAttributes, DOC.sns.getTopicAttributes, DOC.sns.listSubscriptionsByTopic, DOC.sns.getSubscriptionAttributes],
  });
}

/**
 * The rules that write the alarm history record (modules/alerting/alarm-history.ts), which the period's
 * alarm section reads: on the central alarm bus, every state change of every account's baseline
 * alarms; on the audit account's default bus, those of its own route watchdogs. Each must be ENABLED
 * (DescribeRule State), keep the baseline's pattern (compared whole, and matching entries into and
 * out of ALARM of every baseline alarm), and target the log group (ListTargetsByRule Targets[].Arn,
 * the group's ARN without `:*`) with the record's dead-letter queue, which must be empty. A rule
 * disabled now is caught here; one disabled and re-enabled within CloudWatch's alarm history shows
 * in the period section as changes the record lacks.
 */
async function judgeAlarmHistoryRules(task: Task, config: BaselineConfig): Promise<void> {
  const events = task.client(EventBridgeClient);
  const sqs = task.client(SQSClient);
  const home = config.regions.home;
  const audit = config.organization.auditAccountId;
  const prefix = config.organization.namePrefix;
  const names = alarmHistoryRuleNames(config);
  const logGroup = `arn:${PARTITION}:logs:${home}:${audit}:log-group:${alarmHistoryLogGroupName(config)}`;
  const queue = deadLetterQueueName(names.central);
  const both = (accountId: string, name: string) => {
    const entering = alarmEvent(accountId, home, name) as { detail: object };
    return [
      { what: `the baseline alarm ${name} entering ALARM`, event: entering },
      { what: `the baseline alarm ${name} returning to OK`, event: { ...entering, detail: { alarmName: name, state: { value: 'OK' }, previousState: { value: 'ALARM' } } } },
    ];
  };
  const alarms = [...baselineAlarms(config, task.ctx.settings.accounts)];
  const forwarded = alarms.flatMap(([accountId, list]) => list.filter((a) => !a.local).flatMap((a) => both(accountId, a.name)));
  const localNames = Object.values(routeWatchdogAlarmNames(prefix)).flat().sort();
  const problems = [
    ...(await ruleProblems(task, events, sqs, {
      name: names.central,
      busName: alarmEventBusName(config),
      target: logGroup,
      pattern: alarmStateChangesPattern({ alarmNamePrefix: `${prefix}-` }),
      mustMatch: forwarded,
      deadLetterQueue: queue,
    })),
    ...(await ruleProblems(task, events, sqs, {
      name: names.local,
      target: logGroup,
      pattern: alarmStateChangesPattern({ alarmNames: localNames }),
      mustMatch: localNames.flatMap((n) => both(audit, n)),
      deadLetterQueue: queue,
    })),
  ];
  task.item({
    controlId: 'alerting.central-routing',
    title: 'The rules writing every alarm state change to the alarm history record',
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length
      ? problems.join('; ')
      : `rule ${names.central} on ${alarmEventBusName(config)} and rule ${names.local} on the default bus ENABLED, with the baseline's patterns (every state change of the baseline's alarms), targeting ${logGroup}; their dead-letter queue ${queue} is empty`,
    sources: [DOC.events.describeRule, DOC.events.listTargetsByRule, DOC.sqs.listQueues, DOC.sqs.getQueueAttributes],
  });
}

/** A URL's basic-auth password as SNS shows it (`****`); anything else unchanged. */
export function maskPassword(endpoint: string): string {
  return endpoint.replace(/^(https?:\/\/[^:/@]+):[^@/]*@/, '$1:****@');
}

/**
 * The central topic lets the given rules publish in every context (its policy, evaluated with what is
 * known of EventBridge's request: the rule, the account, the Region), and is encrypted with a customer
 * managed key of the audit account, not the AWS managed `alias/aws/sns` key, whose policy EventBridge
 * cannot use (SNS Developer Guide, "Encryption at rest": publishers of an encrypted topic need the key's
 * permission; Topic attributes: KmsMasterKeyId, Policy: https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html).
 */
export function topicPolicyProblems(config: BaselineConfig, attributes: Readonly<Record<string, string>>, ruleArns: readonly string[]): string[] {
  const topicArn = centralAlertTopicArn(config);
  const audit = config.organization.auditAccountId;
  const problems: string[] = [];
  for (const ruleArn of ruleArns) {
    const answer = attributes.Policy
      ? allowedInEveryContext(attributes.Policy, { principal: { kind: 'service', service: 'events.amazonaws.com' }, action: 'sns:Publish', resource: topicArn, fixed: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': audit, 'aws:RequestedRegion': config.regions.home } })
      : undefined;
    if (!answer || answer.denied) problems.push(`the policy of ${topicArn} does not let the rule ${ruleArn.split('/').at(-1)} publish${answer?.counterexample ? ` (${answer.counterexample})` : ''}`);
  }
  const key = attributes.KmsMasterKeyId;
  if (!key || !key.startsWith(`arn:${PARTITION}:kms:${config.regions.home}:${audit}:key/`)) {
    problems.push(`${topicArn} is encrypted with ${key ?? '(no key)'}, not a customer managed key of the audit account`);
  }
  return problems;
}
