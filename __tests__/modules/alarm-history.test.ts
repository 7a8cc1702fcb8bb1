/**
 * The alarm history record (issue #21): every state change of the baseline's alarms, in every account,
 * lands in one KMS-encrypted log group of the audit account's home Region, kept long enough for the
 * audit period, written by EventBridge under a resource policy held to the record's two rules.
 * Followed in the synthesized Terraform JSON of the example org.
 *
 * AWS behaviour asserted, with its page:
 * - The "CloudWatch Alarm State Change" event: source aws.cloudwatch, detail.alarmName, detail.state.value,
 *   detail.previousState.value (CloudWatch User Guide, "Alarm events and EventBridge":
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 * - EventBridge writes to a CloudWatch Logs target under the log group's resource policy, no RoleArn on
 *   the target (EventBridge User Guide, "Using resource-based policies for Amazon EventBridge",
 *   CloudWatch Logs permissions: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html).
 * - A rule on a custom bus has the ARN `rule/<bus>/<name>`, one on the default bus `rule/<name>`
 *   (Service Authorization Reference, EventBridge resource type rule:
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html).
 * - Retention values CloudWatch Logs accepts (CloudWatch Logs API Reference, PutRetentionPolicy:
 *   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 * - The logs service principal uses the key under the encryption context `aws:logs:arn` = the log
 *   group's ARN (CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS":
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { AlarmHistory, alarmHistoryRetentionDays, type AlarmHistoryProps } from '../../modules/alerting/alarm-history';
import { eventMatches } from '../../modules/alerting/event-patterns';
import { routeWatchdogAlarmNames } from '../../modules/alerting/route-watchdogs';
import { simulate } from '../iam-simulator';
import { configWith, exampleConfig, oneResource, refTo, resourcesOf, statement, synthStack } from '../helpers';

const config = exampleConfig();
const AUDIT = config.organization.auditAccountId;
const MANAGEMENT = config.organization.managementAccountId;
const HOME = config.regions.home;
const PREFIX = config.organization.namePrefix;
const BUS = `${PREFIX}-security-alarms`;
const GROUP = `/${PREFIX}/alarm-history`;
const GROUP_ARN = `arn:aws:logs:${HOME}:${AUDIT}:log-group:${GROUP}`;
const CENTRAL_RULE_ARN = `arn:aws:events:${HOME}:${AUDIT}:rule/${BUS}/${PREFIX}-alarms-to-history`;
const LOCAL_RULE_ARN = `arn:aws:events:${HOME}:${AUDIT}:rule/${PREFIX}-audit-alarms-to-history`;
const CENTRAL_TOPIC = `arn:aws:sns:${HOME}:${AUDIT}:${PREFIX}-security-findings`;
const WATCHDOG_TOPIC = `arn:aws:sns:${HOME}:${AUDIT}:${PREFIX}-route-watchdog`;
const management = synthStack(config, 'management');
const MEMBER = '444444444444';
const member = synthStack(config, `member-${MEMBER}`);
const auditMember = synthStack(config, `member-${AUDIT}`);

const stateChange = (account: string, alarmName: string, to: string, from: string) => ({
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  account,
  region: HOME,
  time: '2026-11-22T03:19:00Z',
  detail: { alarmName, state: { value: to }, previousState: { value: from } },
});
const rule = (name: string) => oneResource(management, 'aws_cloudwatch_event_rule', (r) => r.name === name);
const targetOf = (name: string) => oneResource(management, 'aws_cloudwatch_event_target', (t) => t.rule === refTo(management, 'aws_cloudwatch_event_rule', (r) => r.name === name, 'name'));

describe('the alarm history record', () => {
  test('one log group, in the audit account (management stack, audit provider), home Region; in no member stack', () => {
    const group = oneResource(management, 'aws_cloudwatch_log_group', (g) => g.name === GROUP);
    expect(group).toMatchObject({ provider: 'aws.audit', region: HOME, lifecycle: { prevent_destroy: true } });
    for (const json of [member, auditMember]) expect(resourcesOf(json, 'aws_cloudwatch_log_group').filter(([, g]) => g.name === GROUP)).toHaveLength(0);
  });

  test('encrypted with a key of its own, which the logs principal may use for this log group only', () => {
    const group = oneResource(management, 'aws_cloudwatch_log_group', (g) => g.name === GROUP);
    const [keyId, key] = resourcesOf(management, 'aws_kms_key').find(([id]) => group.kms_key_id === `\${aws_kms_key.${id}.arn}`)!;
    expect(keyId).toBeDefined();
    expect(key).toMatchObject({ provider: 'aws.audit', region: HOME, enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(statement(key.policy, 'CloudWatchLogsUseForAlarmHistory')).toMatchObject({
      Principal: { Service: `logs.${HOME}.amazonaws.com` },
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': GROUP_ARN } },
    });
    expect(oneResource(management, 'aws_kms_alias', (a) => a.name === `alias/${PREFIX}/alarm-history`).target_key_id).toBe(`\${aws_kms_key.${keyId}.key_id}`);
  });

  test('retention: the smallest value CloudWatch Logs accepts that is at least the log archive, the trail log groups and 400 days', () => {
    expect(oneResource(management, 'aws_cloudwatch_log_group', (g) => g.name === GROUP).retention_in_days).toBe(400);
    expect(alarmHistoryRetentionDays({ logArchiveDays: 365, cloudWatchLogsDays: 365 })).toBe(400);
    expect(alarmHistoryRetentionDays({ logArchiveDays: 401, cloudWatchLogsDays: 365 })).toBe(545);
    expect(alarmHistoryRetentionDays({ logArchiveDays: 365, cloudWatchLogsDays: 731 })).toBe(731);
    expect(alarmHistoryRetentionDays({ logArchiveDays: 3653, cloudWatchLogsDays: 365 })).toBe(3653);
    // Longer than CloudWatch Logs' longest value: never expire (no retention_in_days).
    expect(alarmHistoryRetentionDays({ logArchiveDays: 3654, cloudWatchLogsDays: 365 })).toBeUndefined();
    const longer = synthStack(configWith((raw) => (raw.retention.logArchiveDays = 1000)), 'management');
    expect(oneResource(longer, 'aws_cloudwatch_log_group', (g) => g.name === GROUP).retention_in_days).toBe(1096);
  });

  test('every state change of every account is forwarded to the bus (not only ALARM); the central topic still gets the entries into ALARM only', () => {
    const forward = oneResource(member, 'aws_cloudwatch_event_rule', (r) => r.name === `${PREFIX}-account-alarms-to-central-bus`);
    const toTopic = rule(`${PREFIX}-alarms-to-central-topic`);
    const back = stateChange(MEMBER, `${PREFIX}-account-root-account-usage`, 'OK', 'ALARM');
    const into = stateChange(MEMBER, `${PREFIX}-account-root-account-usage`, 'ALARM', 'OK');
    expect(eventMatches(JSON.parse(forward.event_pattern), back)).toBe(true);
    expect(eventMatches(JSON.parse(forward.event_pattern), stateChange(MEMBER, `${PREFIX}-account-root-account-usage`, 'INSUFFICIENT_DATA', 'OK'))).toBe(true);
    expect(eventMatches(JSON.parse(forward.event_pattern), stateChange(MEMBER, 'someone-elses-alarm', 'ALARM', 'OK'))).toBe(false);
    expect(eventMatches(JSON.parse(toTopic.event_pattern), into)).toBe(true);
    expect(eventMatches(JSON.parse(toTopic.event_pattern), back)).toBe(false);
  });

  test("the central bus's rule writes every baseline alarm's state change to the group: no role, a dead-letter queue", () => {
    const central = rule(`${PREFIX}-alarms-to-history`);
    expect(central).toMatchObject({ provider: 'aws.audit', region: HOME, state: 'ENABLED', event_bus_name: refTo(management, 'aws_cloudwatch_event_bus', (b) => b.name === BUS, 'name') });
    const pattern = JSON.parse(central.event_pattern);
    for (const [to, from] of [['ALARM', 'OK'], ['OK', 'ALARM'], ['INSUFFICIENT_DATA', 'OK']]) {
      expect(eventMatches(pattern, stateChange(MEMBER, `${PREFIX}-account-root-account-usage`, to, from))).toBe(true);
      expect(eventMatches(pattern, stateChange(MANAGEMENT, `${PREFIX}-org-root-account-usage`, to, from))).toBe(true);
    }
    expect(eventMatches(pattern, stateChange(MEMBER, 'someone-elses-alarm', 'ALARM', 'OK'))).toBe(false);
    expect(eventMatches(pattern, { source: 'aws.events', 'detail-type': 'Scheduled Event', account: MEMBER, detail: {} })).toBe(false);
    const target = targetOf(`${PREFIX}-alarms-to-history`);
    expect(target).toMatchObject({ arn: GROUP_ARN, event_bus_name: central.event_bus_name });
    expect(target.role_arn).toBeUndefined();
    expect(target.dead_letter_config.arn).toBe(refTo(management, 'aws_sqs_queue', (q) => q.name === `${PREFIX}-alarms-to-history-undelivered`, 'arn'));
  });

  test("the audit account's default-bus rule writes its route watchdogs' state changes (they act on the topics directly, unforwarded)", () => {
    const local = rule(`${PREFIX}-audit-alarms-to-history`);
    expect(local).toMatchObject({ provider: 'aws.audit', region: HOME, state: 'ENABLED' });
    expect(local.event_bus_name).toBeUndefined();
    const names = Object.values(routeWatchdogAlarmNames(PREFIX)).flat();
    for (const name of names) expect(eventMatches(JSON.parse(local.event_pattern), stateChange(AUDIT, name, 'OK', 'ALARM'))).toBe(true);
    expect(eventMatches(JSON.parse(local.event_pattern), stateChange(AUDIT, `${PREFIX}-account-root-account-usage`, 'ALARM', 'OK'))).toBe(false);
    expect(targetOf(`${PREFIX}-audit-alarms-to-history`)).toMatchObject({ arn: GROUP_ARN });
    expect(targetOf(`${PREFIX}-audit-alarms-to-history`).event_bus_name).toBeUndefined();
  });

  test("the group's resource policy, evaluated: EventBridge may write for the record's two rules only", async () => {
    const policy = oneResource(management, 'aws_cloudwatch_log_resource_policy', (p) => p.policy_name === `${PREFIX}-alarm-history`);
    expect(policy).toMatchObject({ provider: 'aws.audit', region: HOME });
    const write = (action: string, sourceArn: string, resource = `${GROUP_ARN}:log-stream:x`) =>
      simulate({ principal: { kind: 'service', service: 'events.amazonaws.com' }, action, resource, resourceAccount: AUDIT, context: { 'aws:SourceArn': sourceArn } }, { resourcePolicy: policy.policy_document });
    for (const rule of [CENTRAL_RULE_ARN, LOCAL_RULE_ARN]) {
      expect(await write('logs:CreateLogStream', rule)).toBe('Allowed');
      expect(await write('logs:PutLogEvents', rule)).toBe('Allowed');
    }
    // Another rule of the same bus (the heartbeats'), a rule of another account, another log group: denied.
    expect(await write('logs:PutLogEvents', `arn:aws:events:${HOME}:${AUDIT}:rule/${BUS}/${PREFIX}-route-heartbeats`)).toBe('ImplicitlyDenied');
    expect(await write('logs:PutLogEvents', `arn:aws:events:${HOME}:${MEMBER}:rule/${PREFIX}-audit-alarms-to-history`)).toBe('ImplicitlyDenied');
    expect(await write('logs:PutLogEvents', CENTRAL_RULE_ARN, `arn:aws:logs:${HOME}:${AUDIT}:log-group:/${PREFIX}/route-heartbeats:log-stream:x`)).toBe('ImplicitlyDenied');
    expect(await write('logs:DeleteLogGroup', CENTRAL_RULE_ARN, GROUP_ARN)).toBe('ImplicitlyDenied');
  });

  test('its failures alarm on the central and the watchdog topics, as the rest of the route', () => {
    const names = routeWatchdogAlarmNames(PREFIX);
    for (const name of [names.historyFailed, names.historyLocalFailed, names.historyUndelivered]) {
      expect(oneResource(management, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === name)).toMatchObject({ provider: 'aws.audit', region: HOME, actions_enabled: true, alarm_actions: [CENTRAL_TOPIC, WATCHDOG_TOPIC] });
    }
  });

  test('invalid props throw, naming the prop', () => {
    const scope = new TerraformStack(Testing.app(), 's');
    const provider = new AwsProvider(scope, 'aws', { region: HOME });
    const bus = new CloudwatchEventBus(scope, 'bus', { name: BUS });
    const props: AlarmHistoryProps = {
      provider,
      accountId: AUDIT,
      homeRegion: HOME,
      namePrefix: PREFIX,
      logGroupName: GROUP,
      keyAlias: `alias/${PREFIX}/alarm-history`,
      retentionDays: 400,
      bus,
      busName: BUS,
      centralRuleName: `${PREFIX}-alarms-to-history`,
      localRuleName: `${PREFIX}-audit-alarms-to-history`,
      localAlarmNames: ['x'],
      failureAlarmTopicArns: [CENTRAL_TOPIC],
      failureAlarmNames: { centralFailed: 'a', localFailed: 'b', undelivered: 'c' },
    };
    expect(() => new AlarmHistory(scope, 'h1', { ...props, logGroupName: '/elsewhere/alarm-history' })).toThrow(/logGroupName must start with "\/acme-soc2\/"/);
    expect(() => new AlarmHistory(scope, 'h2', { ...props, retentionDays: 500 })).toThrow(/retentionDays must be one of/);
    expect(() => new AlarmHistory(scope, 'h3', { ...props, localAlarmNames: [] })).toThrow(/localAlarmNames must name at least one alarm/);
  });
});
