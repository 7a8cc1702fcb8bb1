/**
 * Watch the watchers (issue 20): every link of the alert route has an alarm on its own failure, each
 * alarm reaches a place people read by a path that does not go through the link it watches, and a
 * heartbeat from every account with CIS alarms travels the alarm route to the central bus, where its
 * silence raises an alarm. Followed in the synthesized Terraform JSON of the example org.
 *
 * Metrics and dimensions: AWS/SQS ApproximateNumberOfMessagesVisible by QueueName (SQS Developer Guide,
 * "Available CloudWatch metrics for Amazon SQS"); AWS/Events FailedInvocations, InvocationsSentToDlq,
 * InvocationsFailedToBeSentToDlq and MatchedEvents by RuleName, or EventBusName and RuleName on a custom
 * bus (EventBridge User Guide, "Monitoring Amazon EventBridge"); AWS/SNS NumberOfNotificationsFailed by
 * TopicName (SNS Developer Guide, "Monitoring Amazon SNS topics using CloudWatch"); AWS/Logs
 * IncomingLogEvents by LogGroupName (CloudWatch Logs User Guide, "Monitoring with CloudWatch metrics").
 * A scheduled rule's event: source "aws.events", detail-type "Scheduled Event", `resources` the rule's
 * ARN (EventBridge User Guide, "Creating a rule that runs on a schedule").
 */
import { eventMatches } from '../../modules/alerting/event-patterns';
import { simulate } from '../iam-simulator';
import { configWith, exampleConfig, oneResource, resourcesOf, synthStack, type Synth } from '../helpers';

const config = exampleConfig();
const AUDIT = config.organization.auditAccountId;
const MANAGEMENT = config.organization.managementAccountId;
const HOME = config.regions.home;
const BUS = 'acme-soc2-security-alarms';
const BUS_ARN = `arn:aws:events:${HOME}:${AUDIT}:event-bus/${BUS}`;
const CENTRAL_TOPIC = `arn:aws:sns:${HOME}:${AUDIT}:acme-soc2-security-findings`;
const WATCHDOG_TOPIC = `arn:aws:sns:${HOME}:${AUDIT}:acme-soc2-route-watchdog`;
const management = synthStack(config, 'management');
const member = '444444444444';
const memberStack = synthStack(config, `member-${member}`);

const alarm = (json: Synth, name: string) => oneResource(json, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === name);
const topicWithSubscriptions = (json: Synth, arn: string) => {
  const name = arn.split(':').at(-1);
  const [id] = resourcesOf(json, 'aws_sns_topic').find(([, t]) => t.name === name)!;
  return resourcesOf(json, 'aws_sns_topic_subscription')
    .map(([, s]) => s)
    .filter((s) => s.topic_arn === `\${aws_sns_topic.${id}.arn}`)
    .map((s) => `${s.protocol} ${s.endpoint}`);
};

describe("the audit account's end: where the route's failures reach people", () => {
  test('the central topic and the watchdog topic each carry the people (alerts.subscriptions; watchdogSubscriptions defaults to them)', () => {
    const people = config.alerts.subscriptions.map((s) => `${s.protocol} ${s.endpoint}`);
    expect(topicWithSubscriptions(management, CENTRAL_TOPIC)).toEqual(people);
    expect(topicWithSubscriptions(management, WATCHDOG_TOPIC)).toEqual(people);
  });

  test.each([
    // [alarm, the link it watches, its metric, where it goes]
    ['acme-soc2-central-route-undelivered', 'the central rule (bus to topic)', { namespace: 'AWS/SQS', metric_name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'acme-soc2-alarms-to-central-topic-undelivered' } }, [CENTRAL_TOPIC, WATCHDOG_TOPIC]],
    ['acme-soc2-central-topic-delivery-failed', 'the central topic (topic to people)', { namespace: 'AWS/SNS', metric_name: 'NumberOfNotificationsFailed', dimensions: { TopicName: 'acme-soc2-security-findings' } }, [WATCHDOG_TOPIC]],
    ['acme-soc2-route-heartbeats-stopped', 'every account to the central bus', { namespace: 'AWS/Events', metric_name: 'MatchedEvents', dimensions: { EventBusName: BUS, RuleName: 'acme-soc2-route-heartbeats' }, treat_missing_data: 'breaching', comparison_operator: 'LessThanThreshold' }, [CENTRAL_TOPIC, WATCHDOG_TOPIC]],
  ])('%s watches %s, and CloudWatch publishes it to topics that do not go through it', (name, _link, metric, actions) => {
    const a = alarm(management, name);
    expect(a).toMatchObject({ provider: 'aws.audit', region: HOME, actions_enabled: true, alarm_actions: actions, ...metric });
    // CloudWatch publishes straight to the topic (no EventBridge rule in between): the alarm's action is the topic itself.
    if (name.includes('topic-delivery-failed')) expect(a.alarm_actions).not.toContain(CENTRAL_TOPIC);
  });

  test("the central rule's failed deliveries, and the findings rules', sum the two EventBridge failure metrics of that rule", () => {
    for (const [name, rule, bus] of [
      ['acme-soc2-central-route-failed', 'acme-soc2-alarms-to-central-topic', BUS],
      ['acme-soc2-guardduty-alerting-failed', 'acme-soc2-guardduty-high-severity', undefined],
      ['acme-soc2-securityhub-alerting-failed', 'acme-soc2-securityhub-high-critical', undefined],
    ] as const) {
      const a = alarm(management, name);
      expect(a).toMatchObject({ provider: 'aws.audit', alarm_actions: [CENTRAL_TOPIC, WATCHDOG_TOPIC], threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'notBreaching' });
      const metrics = a.metric_query.filter((q: { metric?: unknown }) => q.metric).map((q: { metric: { metric_name: string; dimensions: unknown; namespace: string } }) => [q.metric.namespace, q.metric.metric_name, q.metric.dimensions]);
      const dimensions = bus ? { EventBusName: bus, RuleName: rule } : { RuleName: rule };
      expect(metrics).toEqual([
        ['AWS/Events', 'FailedInvocations', dimensions],
        ['AWS/Events', 'InvocationsFailedToBeSentToDlq', dimensions],
      ]);
      expect(a.metric_query.find((q: { return_data: boolean }) => q.return_data).expression).toBe('FILL(failed, 0) + FILL(dlqfailed, 0)');
    }
  });

  test('the audit account may publish those alarms to both topics: each topic and key policy, evaluated, lets its CloudWatch alarms publish', async () => {
    for (const topic of [CENTRAL_TOPIC, WATCHDOG_TOPIC]) {
      const policy = oneResource(management, 'aws_sns_topic_policy', (p) => p.policy.includes(`"${topic}"`)).policy;
      // SNS Developer Guide, "Amazon SNS access control": CloudWatch publishes as cloudwatch.amazonaws.com with aws:SourceArn the alarm.
      // (evaluated by the tests' IAM simulator, __tests__/iam-simulator.ts: a service principal is granted by the resource policy alone)
      const request = { principal: { kind: 'service' as const, service: 'cloudwatch.amazonaws.com' }, action: 'sns:Publish', resource: topic, resourceAccount: AUDIT, context: { 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:${AUDIT}:alarm:acme-soc2-central-route-failed`, 'aws:SourceAccount': AUDIT } };
      expect(await simulate(request, { resourcePolicy: policy })).toBe('Allowed');
      // Another account's alarm may not.
      expect(await simulate({ ...request, context: { 'aws:SourceArn': `arn:aws:cloudwatch:${HOME}:999999999999:alarm:x`, 'aws:SourceAccount': '999999999999' } }, { resourcePolicy: policy })).toBe('ImplicitlyDenied');
    }
  });
});

describe('the heartbeat: from every account with CIS alarms, along its alarm route, to one alarm in the audit account', () => {
  const heartbeat = oneResource(memberStack, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-soc2-account-heartbeat');
  const heartbeatArn = `arn:aws:events:${HOME}:${member}:rule/acme-soc2-account-heartbeat`;
  const [heartbeatId] = resourcesOf(memberStack, 'aws_cloudwatch_event_rule').find(([, r]) => r === heartbeat)!;
  const target = oneResource(memberStack, 'aws_cloudwatch_event_target', (t) => t.rule === `\${aws_cloudwatch_event_rule.${heartbeatId}.name}`);
  const forwardTarget = oneResource(memberStack, 'aws_cloudwatch_event_target', (t) => t.arn === BUS_ARN && t !== target);

  test('a scheduled rule sends it to the central bus through the same role and dead-letter queue as the alarms', () => {
    expect(heartbeat).toMatchObject({ schedule_expression: `rate(${config.alerts.heartbeat.everyMinutes} minutes)`, state: 'ENABLED', region: HOME });
    expect(target).toMatchObject({ arn: BUS_ARN, role_arn: forwardTarget.role_arn, dead_letter_config: forwardTarget.dead_letter_config });
  });

  test('the bus admits it (its policy, evaluated, for the forwarding role), and the heartbeat rule there matches it', async () => {
    const busPolicy = resourcesOf(management, 'aws_cloudwatch_event_bus_policy')[0][1].policy;
    // Across accounts the bus policy must allow as well as the role's own policy (here Allow *): a role outside the organization is not let in.
    const forwarder = { kind: 'role' as const, arn: `arn:aws:iam::${member}:role/acme-soc2-forward-alarms` };
    expect(await simulate({ principal: forwarder, action: 'events:PutEvents', resource: BUS_ARN, resourceAccount: AUDIT }, { resourcePolicy: busPolicy, orgId: config.organization.id })).toBe('Allowed');
    expect(await simulate({ principal: forwarder, action: 'events:PutEvents', resource: BUS_ARN, resourceAccount: AUDIT }, { resourcePolicy: busPolicy, orgId: 'o-someoneelse' })).toBe('ImplicitlyDenied');
    const rule = oneResource(management, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-soc2-route-heartbeats');
    expect(rule).toMatchObject({ provider: 'aws.audit', event_bus_name: expect.stringContaining('aws_cloudwatch_event_bus.') });
    const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', account: member, region: HOME, resources: [heartbeatArn], detail: {} };
    expect(eventMatches(JSON.parse(rule.event_pattern), event)).toBe(true);
    expect(eventMatches(JSON.parse(rule.event_pattern), { ...event, resources: [`arn:aws:events:${HOME}:${member}:rule/someone-elses-schedule`] })).toBe(false);
    // The central alarm rule does not take heartbeats for alarms.
    const central = oneResource(management, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-soc2-alarms-to-central-topic');
    expect(eventMatches(JSON.parse(central.event_pattern), event)).toBe(false);
  });

  test('it lands in one log group (whose policy lets only that rule write), one metric per account, one alarm for all of them', async () => {
    const group = oneResource(management, 'aws_cloudwatch_log_group', (g) => g.name === '/acme-soc2/route-heartbeats');
    expect(group).toMatchObject({ provider: 'aws.audit', retention_in_days: config.retention.cloudWatchLogsDays, kms_key_id: expect.stringContaining('aws_kms_key.') });
    const logPolicy = oneResource(management, 'aws_cloudwatch_log_resource_policy', (p) => p.policy_name === 'acme-soc2-route-heartbeats');
    const groupArn = `arn:aws:logs:${HOME}:${AUDIT}:log-group:/acme-soc2/route-heartbeats`;
    const write = (sourceArn: string) =>
      simulate({ principal: { kind: 'service', service: 'events.amazonaws.com' }, action: 'logs:PutLogEvents', resource: `${groupArn}:log-stream:x`, resourceAccount: AUDIT, context: { 'aws:SourceArn': sourceArn } }, { resourcePolicy: logPolicy.policy_document });
    expect(await write(`arn:aws:events:${HOME}:${AUDIT}:rule/${BUS}/acme-soc2-route-heartbeats`)).toBe('Allowed');
    expect(await write(`arn:aws:events:${HOME}:${AUDIT}:rule/other`)).toBe('ImplicitlyDenied');
    const filter = oneResource(management, 'aws_cloudwatch_log_metric_filter', (f) => f.name === 'acme-soc2-route-heartbeat');
    expect(filter).toMatchObject({ pattern: '{ $.detail-type = "Scheduled Event" }', metric_transformation: { name: 'RouteHeartbeat', namespace: 'CISBenchmark', value: '1', dimensions: { Account: '$.account' } } });
    const missing = alarm(management, 'acme-soc2-route-heartbeat-missing');
    expect(missing).toMatchObject({ alarm_actions: [CENTRAL_TOPIC, WATCHDOG_TOPIC], comparison_operator: 'LessThanThreshold', threshold: 1, treat_missing_data: 'breaching' });
    expect(missing.metric_query).toEqual([
      {
        id: 'heartbeats',
        return_data: true,
        period: config.alerts.heartbeat.alarmAfterMinutes * 60,
        label: 'Heartbeats per account',
        expression: 'SELECT SUM(RouteHeartbeat) FROM SCHEMA("CISBenchmark", Account) GROUP BY Account ORDER BY SUM() ASC',
      },
    ]);
  });

  test("the heartbeat's audit-account resources are identical for 5 and 1,000 accounts", () => {
    const grown = configWith((raw) => {
      for (let i = 0; raw.members.length < 1000; i++) {
        const id = String(600000000000 + i);
        raw.members.push({ id, name: `workload-${i}`, email: `aws-${id}@example.com`, ou: 'Workloads/Prod' });
      }
    });
    const audit = (json: Synth) =>
      Object.entries(json.resource ?? {}).flatMap(([type, byId]) => Object.entries(byId as Record<string, { provider?: string }>).filter(([id]) => id.startsWith('route-watchdogs_')).map(([id, r]) => [type, id, r]));
    const small = audit(management);
    expect(small.length).toBeGreaterThan(15);
    expect(JSON.stringify(audit(synthStack(grown, 'management')))).toBe(JSON.stringify(small));
  });
});

describe("each account's end: its forwarding failures, and the organization trail's silence", () => {
  test.each([
    ['acme-soc2-account-alarm-route-undelivered', { namespace: 'AWS/SQS', metric_name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'acme-soc2-account-alarms-to-central-bus-undelivered' } }],
    ['acme-soc2-account-alarm-route-failed', {}],
  ])("%s acts on the account's topic, and its name is forwarded like every alarm of the account", (name, metric) => {
    const a = alarm(memberStack, name);
    expect(a).toMatchObject({ alarm_actions: [`arn:aws:sns:${HOME}:${member}:acme-soc2-security-alerts`], actions_enabled: true, ...metric });
    const forward = oneResource(memberStack, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-soc2-account-alarms-to-central-bus');
    const event = { source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm State Change', detail: { alarmName: name, state: { value: 'ALARM' } } };
    expect(eventMatches(JSON.parse(forward.event_pattern), event)).toBe(true);
    // When that link stays broken, this alarm's notification is lost with it; the audit account's
    // heartbeat alarm, which does not go through the account, is what reaches people.
    expect(alarm(management, 'acme-soc2-route-heartbeat-missing').provider).toBe('aws.audit');
  });

  test("the organization trail's log group receiving no event for an hour raises an alarm that does not read that log group's events", () => {
    const a = alarm(management, 'acme-soc2-org-trail-delivery-stopped');
    expect(a).toMatchObject({
      provider: 'aws.management',
      namespace: 'AWS/Logs',
      metric_name: 'IncomingLogEvents',
      dimensions: { LogGroupName: '/acme-soc2/cloudtrail/organization' },
      period: 3600,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
      alarm_actions: [`arn:aws:sns:${HOME}:${MANAGEMENT}:acme-soc2-security-alerts`],
    });
    // An AWS/Logs metric, not a metric filter on the log group: it is computed whether or not events arrive.
    expect(resourcesOf(management, 'aws_cloudwatch_log_metric_filter').some(([, f]) => f.metric_transformation.name === 'IncomingLogEvents')).toBe(false);
  });
});
