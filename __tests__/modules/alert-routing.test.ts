/**
 * Follows every CIS alarm of the example org, in the synthesized JSON, from the alarm to a person:
 * alarm -> its own account's alert topic (subscribed by a same-account SQS queue, so CIS 4.x and
 * Security Hub CloudWatch.x find a subscriber there) and, as an "CloudWatch Alarm State Change" event
 * on the account's default bus -> the account's forwarding rule -> the central alarm bus in the audit
 * account (its policy admits that account's forwarding role) -> the central rule -> the one central
 * topic that carries the people's subscriptions.
 *
 * The event shape (source `aws.cloudwatch`, detail-type, `account`, `region`, `detail.alarmName`,
 * `detail.state.value`) is CloudWatch's (CloudWatch User Guide, "Alarm events and EventBridge").
 */
import { allStackNames } from '../../config/naming';
import { ALARM_MESSAGE } from '../../modules/alerting/central-alarm-routing';
import { configWith, exampleConfig, oneResource, resourcesOf, statements, synthStack, type Synth } from '../helpers';

const ORG = 'o-exampleorg01';
const AUDIT = '333333333333';
const BUS_ARN = `arn:aws:events:us-east-1:${AUDIT}:event-bus/acme-soc2-security-alarms`;
const CENTRAL_TOPIC = `arn:aws:sns:us-east-1:${AUDIT}:acme-soc2-security-findings`;

/** EventBridge content matching, for the operators the baseline uses: exact values and `prefix`. */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((p) =>
      typeof p === 'object' && p !== null && 'prefix' in p ? typeof event === 'string' && event.startsWith((p as { prefix: string }).prefix) : p === event,
    );
  }
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof event !== 'object' || event === null) return false;
    return Object.entries(pattern).every(([k, v]) => matches(v, (event as Record<string, unknown>)[k]));
  }
  throw new Error(`unsupported pattern ${JSON.stringify(pattern)}`);
}

/** IAM ArnLike: `*` and `?` wildcards. */
function arnLike(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(arn);
}

function alarmEvent(account: string, alarmName: string) {
  return {
    source: 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    account,
    region: 'us-east-1',
    time: '2026-11-22T03:14:00Z',
    detail: { alarmName, state: { value: 'ALARM' }, previousState: { value: 'OK' } },
  };
}

const config = exampleConfig();
const management = synthStack(config, 'management');
const stacks: [string, string, Synth][] = [
  ['management', config.organization.managementAccountId, management],
  ...config.members
    .filter((m) => m.id !== config.organization.managementAccountId)
    .map((m): [string, string, Synth] => [`member-${m.id}`, m.id, synthStack(config, `member-${m.id}`)]),
];

describe('the central end of the route, in the audit account', () => {
  const bus = oneResource(management, 'aws_cloudwatch_event_bus');
  const rule = oneResource(management, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-soc2-alarms-to-central-topic');
  const target = oneResource(management, 'aws_cloudwatch_event_target', (t) => t.event_bus_name !== undefined && t.arn === CENTRAL_TOPIC);

  test('a bus of its own, in the audit account and home Region', () => {
    expect(bus).toMatchObject({ provider: 'aws.audit', region: 'us-east-1', name: 'acme-soc2-security-alarms' });
  });

  // EventBridge User Guide, "Sending and receiving events between AWS accounts": a bus policy may grant
  // PutEvents to the accounts of an organization (aws:PrincipalOrgID); senders then need a role.
  test('its policy admits only forwarding roles of the organization, whatever the number of accounts', () => {
    const [policy] = resourcesOf(management, 'aws_cloudwatch_event_bus_policy').map(([, p]) => p);
    expect(statements(policy.policy)).toEqual([
      {
        Sid: 'ForwardingRolesOfTheOrganization',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: BUS_ARN,
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': ORG },
          ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/acme-soc2-forward-alarms' },
        },
      },
    ]);
  });

  test('one rule on the bus sends each alarm to the central topic as a line naming alarm, account and Region', () => {
    expect(rule).toMatchObject({ provider: 'aws.audit', region: 'us-east-1' });
    expect(target).toMatchObject({ arn: CENTRAL_TOPIC, rule: expect.stringContaining('aws_cloudwatch_event_rule.'), input_transformer: { input_paths: ALARM_MESSAGE.inputPaths, input_template: ALARM_MESSAGE.inputTemplate } });
    for (const field of ['<alarm>', '<account>', '<region>']) expect(ALARM_MESSAGE.inputTemplate).toContain(field);
    expect(ALARM_MESSAGE.inputPaths).toEqual({ account: '$.account', region: '$.region', alarm: '$.detail.alarmName', time: '$.time' });
    // The template is a JSON string once its placeholders are filled with quote-free values.
    const filled = ALARM_MESSAGE.inputTemplate.replace(/<(\w+)>/g, 'x');
    expect(typeof JSON.parse(filled)).toBe('string');
  });

  test("the central rule takes only the baseline's alarms (any org role of the forwarder's name may put events)", () => {
    const pattern = JSON.parse(rule.event_pattern);
    expect(matches(pattern, alarmEvent('444444444444', 'acme-soc2-account-RootAccountUsage'))).toBe(true);
    expect(matches(pattern, alarmEvent('444444444444', 'team-cpu-high'))).toBe(false);
  });

  // EventBridge User Guide, "Using dead-letter queues": events.amazonaws.com, aws:SourceArn = the rule.
  test('an event the central topic does not take is kept in a dead-letter queue of the audit account', () => {
    const queue = oneResource(management, 'aws_sqs_queue', (q) => q.name === 'acme-soc2-alarms-to-central-topic-undelivered');
    expect(queue).toMatchObject({ provider: 'aws.audit', sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    const [queueId] = resourcesOf(management, 'aws_sqs_queue').find(([, q]) => q === queue)!;
    expect(target.dead_letter_config).toEqual({ arn: `\${aws_sqs_queue.${queueId}.arn}` });
    const policy = oneResource(management, 'aws_sqs_queue_policy', (p) => p.policy.includes('alarms-to-central-topic-undelivered')).policy;
    expect(statements(policy)[0]).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:${AUDIT}:rule/acme-soc2-security-alarms/${rule.name}` } },
    });
  });

  test('the central topic carries the people subscriptions, and lets that rule publish', () => {
    const topic = oneResource(management, 'aws_sns_topic', (t) => t.name === 'acme-soc2-security-findings');
    const [topicId] = resourcesOf(management, 'aws_sns_topic').find(([, t]) => t === topic)!;
    const subs = resourcesOf(management, 'aws_sns_topic_subscription')
      .map(([, s]) => s)
      .filter((s) => s.topic_arn === `\${aws_sns_topic.${topicId}.arn}`);
    expect(subs.map((s) => [s.protocol, s.endpoint])).toEqual([
      ['email', 'security-oncall@example.com'],
      ['https', 'https://events.example-pager.com/integration/soc2-baseline'],
    ]);
    const publish = statements(oneResource(management, 'aws_sns_topic_policy', (p) => p.policy.includes(CENTRAL_TOPIC)).policy)[0];
    const ruleArn = `arn:aws:events:us-east-1:${AUDIT}:rule/acme-soc2-security-alarms/${rule.name}`;
    expect(arnLike(publish.Condition.ArnLike['aws:SourceArn'], ruleArn)).toBe(true);
    expect(publish.Condition.StringEquals).toEqual({ 'aws:SourceAccount': AUDIT });
  });
});

describe.each(stacks)('the route from every alarm of %s', (stack, account, json) => {
  // This account's alarms (the management stack also holds the audit account's route watchdogs:
  // route-watchdogs.test.ts follows those).
  const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm')
    .map(([, a]) => a)
    .filter((a) => stack !== 'management' || a.provider === 'aws.management');
  const ownTopic = `arn:aws:sns:us-east-1:${account}:acme-soc2-security-alerts`;
  const forward = oneResource(json, 'aws_cloudwatch_event_rule', (r) => r.name.endsWith('-alarms-to-central-bus'));
  const forwardTarget = oneResource(json, 'aws_cloudwatch_event_target', (t) => t.arn === BUS_ARN && t.target_id === 'central-alarm-bus' && !String(t.rule).includes('heartbeat'));
  const provider = stack === 'management' ? 'aws.management' : 'aws';

  test('every alarm acts on its own account\'s topic, which a same-account queue subscribes to', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(17);
    for (const a of alarms) expect(a.alarm_actions).toEqual([ownTopic]);
    const topic = oneResource(json, 'aws_sns_topic', (t) => t.name === 'acme-soc2-security-alerts');
    const [topicId] = resourcesOf(json, 'aws_sns_topic').find(([, t]) => t === topic)!;
    const subs = resourcesOf(json, 'aws_sns_topic_subscription').map(([, s]) => s).filter((s) => s.topic_arn === `\${aws_sns_topic.${topicId}.arn}`);
    expect(subs.map((s) => s.protocol)).toEqual(['sqs']);
    expect(topic.provider).toBe(provider);
  });

  // Every state change, leaving ALARM too: the central rule publishes the entries into ALARM, the alarm
  // history record (modules/alerting/alarm-history.ts, __tests__/modules/alarm-history.test.ts) keeps them all.
  test('its forwarding rule catches each of these alarms entering ALARM, and leaving it (for the alarm history record)', () => {
    expect(forward).toMatchObject({ provider, region: 'us-east-1' });
    expect(forward.event_bus_name).toBeUndefined(); // the default bus, where CloudWatch sends alarm events
    const pattern = JSON.parse(forward.event_pattern);
    for (const a of alarms) {
      expect(matches(pattern, alarmEvent(account, a.alarm_name))).toBe(true);
      expect(matches(pattern, { ...alarmEvent(account, a.alarm_name), detail: { alarmName: a.alarm_name, state: { value: 'OK' } } })).toBe(true);
    }
    expect(matches(pattern, alarmEvent(account, 'someone-elses-alarm'))).toBe(false);
  });

  test('and forwards them to the central bus through a role the bus admits, which may only put events there', () => {
    expect(forwardTarget).toMatchObject({ provider, region: 'us-east-1', arn: BUS_ARN });
    const [roleId, role] = resourcesOf(json, 'aws_iam_role').find(([, r]) => r.name === 'acme-soc2-forward-alarms')!;
    expect(forwardTarget.role_arn).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(statements(role.assume_role_policy)).toEqual([
      {
        Sid: 'AllowServiceToAssume',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        // The forwarding rule and the heartbeat rule (route-watchdogs.test.ts) use the role.
        Condition: { StringEquals: { 'aws:SourceAccount': account, 'aws:SourceArn': [`arn:aws:events:us-east-1:${account}:rule/${forward.name}`, `arn:aws:events:us-east-1:${account}:rule/${forward.name.replace('-alarms-to-central-bus', '-heartbeat')}`] } },
      },
    ]);
    const rolePolicy = oneResource(json, 'aws_iam_role_policy', (p) => p.name === 'put-events-on-central-alarm-bus');
    expect(statements(rolePolicy.policy)).toEqual([{ Sid: 'PutEventsOnCentralAlarmBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS_ARN }]);
    const busPolicy = statements(resourcesOf(management, 'aws_cloudwatch_event_bus_policy')[0][1].policy)[0];
    expect(arnLike(busPolicy.Condition.ArnLike['aws:PrincipalArn'], `arn:aws:iam::${account}:role/${role.name}`)).toBe(true);
    // At the bus, the central rule catches the forwarded event.
    const central = JSON.parse(oneResource(management, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-soc2-alarms-to-central-topic').event_pattern);
    for (const a of alarms) expect(matches(central, alarmEvent(account, a.alarm_name))).toBe(true);
  });

  test('an event the central bus refuses (a broken role or policy, a bus not applied yet) is kept in a dead-letter queue', () => {
    const queue = oneResource(json, 'aws_sqs_queue', (q) => q.name === `${forward.name}-undelivered`);
    const [queueId] = resourcesOf(json, 'aws_sqs_queue').find(([, q]) => q === queue)!;
    expect(forwardTarget.dead_letter_config).toEqual({ arn: `\${aws_sqs_queue.${queueId}.arn}` });
    const policy = oneResource(json, 'aws_sqs_queue_policy', (p) => p.policy.includes(`${forward.name}-undelivered`)).policy;
    expect(statements(policy)[0].Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': [`arn:aws:events:us-east-1:${account}:rule/${forward.name}`, `arn:aws:events:us-east-1:${account}:rule/${forward.name.replace('-alarms-to-central-bus', '-heartbeat')}`] },
    });
  });

  test('no person subscribes in this account: no email or HTTPS subscription', () => {
    if (stack === 'management') return; // the central topic is in the management stack, in the audit account
    const protocols = resourcesOf(json, 'aws_sns_topic_subscription').map(([, s]) => s.protocol);
    expect(protocols).toEqual(['sqs']);
  });
});

test('no member stack of the example org holds an email or HTTPS subscription; the central topic holds them once, and the route watchdog topic once', () => {
  const people = (json: Synth) => resourcesOf(json, 'aws_sns_topic_subscription').filter(([, s]) => ['email', 'https'].includes(s.protocol)).length;
  const counts = Object.fromEntries(allStackNames(config).map((name) => [name, people(name === 'management' ? management : synthStack(config, name))]));
  expect(counts).toEqual(Object.fromEntries(allStackNames(config).map((name) => [name, name === 'management' ? 4 : 0])));
});

test('with account trails off, the management account alarms still route centrally, and members have none', () => {
  const off = configWith((raw) => {
      raw.monitoring = { accountTrails: false };
      raw.controlExceptions = [{ control: 'cloudtrail.account-trails', reason: 'CIS monitoring is evaluated on the organization trail only' }];
    });
  expect(resourcesOf(synthStack(off, 'member-444444444444'), 'aws_cloudwatch_event_rule')).toEqual([]);
  // The management account's forwarding and heartbeat targets.
  expect(resourcesOf(synthStack(off, 'management'), 'aws_cloudwatch_event_target').filter(([, t]) => t.arn === BUS_ARN)).toHaveLength(2);
});
