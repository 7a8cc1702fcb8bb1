/**
 * The audit period's sections (evidence/checks/period-*.ts), each judged: a healthy period PASSes, and
 * the broken case FAILs naming what broke: an alarm stuck in ALARM for 3 days, a failed alarm action,
 * a HIGH finding left NEW past the triage window, GuardDuty's count differing from Security Hub's, a
 * Config noncompliance standing past the window, a sample outside the period, no sample. The APIs are
 * answered with aws-sdk-client-mock (moto 5.1 has no DescribeAlarmHistory, GetFindingHistory,
 * GuardDuty findings or aggregate compliance details), in the shapes of AWS's API references; then a
 * binder with the period sections is rendered in headless Chromium.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, type AlarmHistoryItem } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, DescribeAggregateComplianceByConfigRulesCommand, GetAggregateComplianceDetailsByConfigRuleCommand, type ComplianceType } from '@aws-sdk/client-config-service';
import { GetFindingsCommand as GdGetFindingsCommand, GuardDutyClient, ListDetectorsCommand, ListFindingsCommand as GdListFindingsCommand } from '@aws-sdk/client-guardduty';
import { GetFindingHistoryCommand, GetFindingsCommand as ShGetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load';
import { alertTopicName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { writeBinder } from '../../evidence/binder';
import { ALARM_HISTORY_DAYS, type AlarmPeriod, baselineAlarms, periodAlarmTasks, type RecordCoverage } from '../../evidence/checks/period-alarms';
import { periodConfigTasks } from '../../evidence/checks/period-config';
import { periodFindingTasks } from '../../evidence/checks/period-findings';
import { investigationSampleTasks } from '../../evidence/checks/period-investigation';
import { createContext, runTasks, type CollectOptions } from '../../evidence/collect';
import type { CollectContext, Task } from '../../evidence/context';
import { parsePeriodBound, resolvePeriod } from '../../evidence/period/period';
import type { EvidenceItem, EvidenceResult } from '../../evidence/types';
import { dumpDom } from './chromium';
import { executionOf, mockExecutions, sampleRun, withOutputRows, writeSample } from './investigation-sample';

const NOW = new Date('2026-03-02T12:00:00Z');
const FROM = new Date('2026-01-01T00:00:00Z');
const H = 3_600_000;
const DAY = 24 * H;

const config: BaselineConfig = parseConfig(parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8')), 'baseline.config.yaml');
const audit = config.organization.auditAccountId;
const management = config.organization.managementAccountId;
const home = config.regions.home;

async function run(make: (ctx: CollectContext) => Task[], extra: Partial<CollectOptions> = {}): Promise<EvidenceItem[]> {
  const { ctx } = createContext({ config, now: () => NOW, from: FROM, regions: [home], validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' }, ...extra });
  await runTasks(ctx, make(ctx), 4);
  return [...ctx.items].sort((a, b) => a.id.localeCompare(b.id));
}

const mocks: { restore(): void }[] = [];
afterEach(() => {
  while (mocks.length) mocks.pop()!.restore();
});
function mock<T extends Parameters<typeof mockClient>[0]>(client: T) {
  const m = mockClient(client);
  mocks.push(m);
  return m;
}

describe('the audit period', () => {
  test('--from/--to: dates and date-times with a zone, UTC; default the last 90 days; errors name the option', () => {
    expect(parsePeriodBound('from', '2026-01-31').toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(parsePeriodBound('to', '2026-01-31T10:00:00+02:00').toISOString()).toBe('2026-01-31T08:00:00.000Z');
    expect(() => parsePeriodBound('from', '2026-01-31T10:00:00')).toThrow(/^from: must be an ISO 8601 date/);
    expect(() => parsePeriodBound('to', '2026-02-30')).toThrow(/^to: /);
    expect(resolvePeriod({}, NOW)).toEqual({ from: new Date(NOW.getTime() - 90 * DAY), to: NOW });
    expect(() => resolvePeriod({ to: new Date(NOW.getTime() + DAY) }, NOW)).toThrow(/^to: .* is in the future/);
    expect(() => resolvePeriod({ from: NOW, to: NOW }, NOW)).toThrow(/^from: .* is not before --to/);
  });
});

// ------------------------------------------------------------------------------------------------
// Alarms: DescribeAlarmHistory (API_DescribeAlarmHistory.html: AlarmName, StartDate, EndDate,
// MaxRecords, NextToken, ScanBy), AlarmHistoryItem (API_AlarmHistoryItem.html: AlarmName, Timestamp,
// HistoryItemType ConfigurationUpdate | StateUpdate | Action, HistorySummary, HistoryData JSON).

const prefix = config.organization.namePrefix;
const alarmName = `${prefix}-org-root-account-usage`;
/** The management account's alert topic, the CIS alarms' action (checks/cloudwatch.ts). */
const topic = `arn:aws:sns:${home}:${management}:${alertTopicName(config)}`;
const attacker = 'arn:aws:sns:us-east-1:999999999999:exfil';
/** A StateUpdate item; HistoryData as the AWS CLI's describe-alarm-history example shows it (aws-cli awscli/examples/cloudwatch/describe-alarm-history.rst). */
const stateUpdate = (at: Date, from: string, to: string, name = alarmName): AlarmHistoryItem => ({
  AlarmName: name,
  AlarmType: 'MetricAlarm',
  Timestamp: at,
  HistoryItemType: 'StateUpdate',
  HistorySummary: `Alarm updated from ${from} to ${to}`,
  HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: from, stateReason: 'before' }, newState: { stateValue: to, stateReason: `Threshold Crossed: 1 datapoint [1.0] was greater than or equal to the threshold (1.0).` } }),
});
/** An Action item: actionState and notificationResource in HistoryData, the summary's wording (Unverified: not in the API reference). */
const action = (at: Date, ok: boolean, target = topic): AlarmHistoryItem => ({
  AlarmName: alarmName,
  AlarmType: 'MetricAlarm',
  Timestamp: at,
  HistoryItemType: 'Action',
  HistorySummary: ok ? `Successfully executed action ${target}` : `Failed to execute action ${target}. Received error: "Resource is not in the state topicArn"`,
  HistoryData: JSON.stringify({ actionState: ok ? 'Succeeded' : 'Failed', stateUpdateTimestamp: at.getTime(), notificationResource: target }),
});
/**
 * A ConfigurationUpdate item: HistoryData `{"version":"1.0","type":"Create|Update|Delete","createdAlarm|updatedAlarm|deletedAlarm":{...}}`
 * and the summary `Alarm "<name>" created|updated|deleted` (Unverified: not in the API reference; the shape an
 * AWS-compatible implementation, Eucalyptus' AlarmManager, writes, and that published describe-alarm-history output shows).
 */
const configUpdate = (at: Date, type: 'Create' | 'Update' | 'Delete'): AlarmHistoryItem => {
  const word = { Create: 'created', Update: 'updated', Delete: 'deleted' }[type];
  const key = { Create: 'createdAlarm', Update: 'updatedAlarm', Delete: 'deletedAlarm' }[type];
  return {
    AlarmName: alarmName,
    AlarmType: 'MetricAlarm',
    Timestamp: at,
    HistoryItemType: 'ConfigurationUpdate',
    HistorySummary: `Alarm "${alarmName}" ${word}`,
    HistoryData: JSON.stringify({ version: '1.0', type, [key]: { alarmName, actionsEnabled: type !== 'Update', alarmActions: type === 'Update' ? [] : [topic] } }),
  };
};

// The alarm history record (modules/alerting/alarm-history.ts): DescribeLogGroups' LogGroup
// (API_LogGroup.html: creationTime and retentionInDays, creationTime in epoch milliseconds) and
// FilterLogEvents (API_FilterLogEvents.html: events[] of FilteredLogEvent, whose message is the
// "CloudWatch Alarm State Change" event EventBridge wrote, shaped as on the CloudWatch User Guide's
// "Alarm events and EventBridge" page: detail.state / detail.previousState with value, reason and a
// timestamp like 2019-10-01T13:56:40.987+0000). moto serves FilterLogEvents but refuses events older
// than 14 days and sets creationTime to its own clock, so the period's old events are mocked here.
const recordGroup = `/${prefix}/alarm-history`;
const eventStamp = (d: Date) => d.toISOString().replace('Z', '+0000');
const recordEvent = (at: Date, from: string, to: string, account = management, name = alarmName): FilteredLogEvent => ({
  logStreamName: 'stream-1',
  timestamp: at.getTime(),
  ingestionTime: at.getTime() + 1000,
  eventId: `e-${at.getTime()}-${to}`,
  message: JSON.stringify({
    version: '0',
    id: `id-${at.getTime()}`,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: home,
    resources: [`arn:aws:cloudwatch:${home}:${account}:alarm:${name}`],
    detail: {
      alarmName: name,
      previousState: { value: from, reason: 'before', timestamp: eventStamp(new Date(at.getTime() - DAY)) },
      state: { value: to, reason: 'Threshold Crossed: 1 datapoint [1.0] was greater than or equal to the threshold (1.0).', timestamp: eventStamp(at) },
    },
  }),
});
/** The record's events of the history's state changes: what a healthy record holds. */
const recorded = (history: AlarmHistoryItem[]): FilteredLogEvent[] =>
  history
    .filter((i) => i.HistoryItemType === 'StateUpdate')
    .map((i) => {
      const d = JSON.parse(i.HistoryData!) as { oldState: { stateValue: string }; newState: { stateValue: string } };
      return recordEvent(i.Timestamp!, d.oldState.stateValue, d.newState.stateValue, management, i.AlarmName);
    });

interface RecordMock {
  /** undefined: the log group does not exist. */
  readonly createdAt?: Date;
  readonly retentionDays?: number;
  readonly events?: FilteredLogEvent[];
}
const healthyRecord = (events: FilteredLogEvent[] = []): RecordMock => ({ createdAt: new Date('2025-06-01T00:00:00Z'), retentionDays: 400, events });
function mockRecord(r: RecordMock = healthyRecord()) {
  const logs = mock(CloudWatchLogsClient);
  logs.on(DescribeLogGroupsCommand).callsFake(() => ({
    logGroups: r.createdAt ? [{ logGroupName: recordGroup, creationTime: r.createdAt.getTime(), retentionInDays: r.retentionDays, kmsKeyId: `arn:aws:kms:${home}:${audit}:key/k`, arn: `arn:aws:logs:${home}:${audit}:log-group:${recordGroup}:*` }] : [],
  }));
  // Two pages, the first empty with a token (the API "can return empty results while there are more log events available through the token").
  logs.on(FilterLogEventsCommand).callsFake((input: { nextToken?: string }) => (input.nextToken ? { events: r.events ?? [] } : { events: [], nextToken: 'p2' }));
  return logs;
}

interface AlarmNow {
  readonly stateNow?: 'OK' | 'ALARM';
  /** MetricAlarm.StateTransitionedTimestamp: when StateValue last changed. */
  readonly transitioned?: Date;
  /** MetricAlarm.StateUpdatedTimestamp: moves also when only the EvaluationState changes. */
  readonly updated?: Date;
  readonly actionsEnabled?: boolean;
  /** MetricAlarm.AlarmActions now. @default the alert topic */
  readonly alarmActions?: string[];
  /** DescribeAlarms does not return the alarm. */
  readonly missing?: boolean;
}
/**
 * CloudWatch answering for the management account's alarms: DescribeAlarms (MetricAlarms of MetricAlarm,
 * API_MetricAlarm.html: StateValue, StateTransitionedTimestamp, StateUpdatedTimestamp, ActionsEnabled,
 * AlarmActions, OKActions) and DescribeAlarmHistory by AlarmName, `history` for `alarmName`, in two pages
 * (NextToken followed). The record holds the history's state changes unless `record` says otherwise.
 */
function mockAlarms(history: AlarmHistoryItem[], now: AlarmNow = {}, record: RecordMock = healthyRecord(recorded(history))) {
  mockRecord(record);
  const cw = mock(CloudWatchClient);
  cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
    MetricAlarms: input.AlarmNames.filter((n) => !(n === alarmName && now.missing)).map((n) => ({
      AlarmName: n,
      StateValue: n === alarmName ? (now.stateNow ?? 'OK') : 'OK',
      StateTransitionedTimestamp: n === alarmName ? (now.transitioned ?? new Date('2025-12-01T00:00:00Z')) : new Date('2025-12-01T00:00:00Z'),
      StateUpdatedTimestamp: n === alarmName ? (now.updated ?? now.transitioned ?? new Date('2025-12-01T00:00:00Z')) : new Date('2025-12-01T00:00:00Z'),
      ActionsEnabled: n === alarmName ? (now.actionsEnabled ?? true) : true,
      AlarmActions: n === alarmName ? (now.alarmActions ?? [topic]) : [topic],
      OKActions: [],
    })),
  }));
  cw.on(DescribeAlarmHistoryCommand).callsFake((input: { AlarmName?: string; NextToken?: string }) => {
    const mine = history.filter((i) => i.AlarmName === input.AlarmName);
    return input.NextToken ? { AlarmHistoryItems: mine.slice(1) } : { AlarmHistoryItems: mine.slice(0, 1), NextToken: mine.length > 1 ? 'p2' : undefined };
  });
  return cw;
}

const alarmItem = (items: EvidenceItem[]) => items.find((i) => i.id === `period.alarm-response/${management}/${home}/alarms`)!;
const alarmsOnly = (ctx: CollectContext) => periodAlarmTasks(ctx).filter((t) => t.accountId === management);
const alarmsOf = (item: EvidenceItem) => item.details!.alarms as AlarmPeriod[];
/** An entry into ALARM that notified its topic and returned to OK half an hour later. */
const handled = (t: Date) => [stateUpdate(t, 'OK', 'ALARM'), action(new Date(t.getTime() + 1000), true), stateUpdate(new Date(t.getTime() + H / 2), 'ALARM', 'OK')];

describe('period.alarm-response', () => {
  test('every baseline alarm of the account is read, with the topics the baseline gives it: CIS, companions, watchdogs', () => {
    const alarms = baselineAlarms(config, [management]);
    const names = alarms.get(management)!.map((a) => a.name);
    expect(names).toContain(alarmName);
    expect(names).toContain(`${prefix}-org-alarm-route-failed`);
    expect(alarms.get(management)!.find((a) => a.name === alarmName)!.actions).toEqual([topic]);
    // The audit account's own watchdogs: recorded from its default bus, not the central bus.
    expect(alarms.get(audit)!.length).toBeGreaterThan(0);
    expect(alarms.get(audit)!.every((a) => a.local)).toBe(true);
  });

  test('healthy: an alarm that fired, notified its topic and returned to OK within an hour PASSes, its changes listed', async () => {
    const t = new Date('2026-02-10T03:00:00Z');
    mockAlarms(handled(t));
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('PASS');
    expect(item.title).toBe('Alarms in the period: each entry into ALARM notified its topics, none changed, none stuck in ALARM');
    expect(item.reason).toMatch(/every entry into ALARM that CloudWatch's history covers notified each of its topics within 5 minutes/);
    const alarms = alarmsOf(item);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ name: alarmName, entries: [{ at: t.toISOString(), notification: 'notified', missing: [] }], episodes: [{ start: t.toISOString(), end: new Date(t.getTime() + H / 2).toISOString(), hours: 0.5 }], notifications: [{ result: 'Succeeded', target: topic }] });
    expect(alarms[0].changes.map((c) => `${c.from}>${c.to}:${c.seenIn}`)).toEqual(['OK>ALARM:both', 'ALARM>OK:both']);
  });

  test('one DescribeAlarmHistory query per baseline alarm (AlarmName), never account-wide, each paginated', async () => {
    const cw = mockAlarms(handled(new Date('2026-02-10T03:00:00Z')));
    await run(alarmsOnly);
    const calls = cw.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input);
    const names = baselineAlarms(config, [management]).get(management)!.map((a) => a.name);
    expect(calls.every((c) => typeof c.AlarmName === 'string')).toBe(true);
    expect([...new Set(calls.map((c) => c.AlarmName))].sort()).toEqual(names);
    // The alarm with history: its second page followed.
    expect(calls.filter((c) => c.AlarmName === alarmName).map((c) => c.NextToken)).toEqual([undefined, 'p2']);
    expect(calls[0]).toMatchObject({ StartDate: FROM, EndDate: NOW, ScanBy: 'TimestampAscending', MaxRecords: 100 });
  });

  test("an admin's own alarms cannot fill --max-findings: the cap is per baseline alarm, and the alarm over it is named, never a PASS", async () => {
    // 150 history items of the root-usage alarm (flapping) with --max-findings 100: that alarm is capped; the others are read.
    const flapping = Array.from({ length: 150 }, (_, i) => stateUpdate(new Date(FROM.getTime() + DAY + i * 1000), i % 2 ? 'ALARM' : 'OK', i % 2 ? 'OK' : 'ALARM'));
    mockRecord(healthyRecord());
    const cw = mock(CloudWatchClient);
    cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({ MetricAlarms: input.AlarmNames.map((n) => ({ AlarmName: n, StateValue: 'OK', ActionsEnabled: true, AlarmActions: [topic] })) }));
    cw.on(DescribeAlarmHistoryCommand).callsFake((input: { AlarmName?: string; NextToken?: string }) =>
      input.AlarmName === alarmName ? (input.NextToken ? { AlarmHistoryItems: flapping.slice(100) } : { AlarmHistoryItems: flapping.slice(0, 100), NextToken: 'p2' }) : { AlarmHistoryItems: [] },
    );
    const item = alarmItem(await run(alarmsOnly, { maxFindings: 100 }));
    expect(item.status).not.toBe('PASS');
    expect(item.details!.cappedAlarms).toEqual([alarmName]);
    expect(cw.commandCalls(DescribeAlarmHistoryCommand).filter((c) => c.args[0].input.AlarmName === alarmName)).toHaveLength(1);
  });

  test('not stuck — broken: an alarm stuck in ALARM for 3 days FAILs, saying stuck (not "acted on")', async () => {
    const t = new Date('2026-02-10T03:00:00Z');
    mockAlarms([stateUpdate(t, 'OK', 'ALARM'), action(t, true), stateUpdate(new Date(t.getTime() + 3 * DAY), 'ALARM', 'OK')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`alarm ${alarmName} was stuck in ALARM for 72 hours from 2026-02-10T03:00:00.000Z to 2026-02-13T03:00:00.000Z: longer than alerts.triage.alarmAcknowledgeHours (24)`);
  });

  test('not stuck — broken: still in ALARM at the end of the period, entered 3 days before it, FAILs', async () => {
    mockAlarms([stateUpdate(new Date(NOW.getTime() - 3 * DAY), 'OK', 'ALARM'), action(new Date(NOW.getTime() - 3 * DAY), true)], { stateNow: 'ALARM', transitioned: new Date(NOW.getTime() - 3 * DAY) });
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/was stuck in ALARM for 72 hours from 2026-02-27T12:00:00\.000Z, still at the end of the period/);
  });

  // MetricAlarm (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html):
  // StateTransitionedTimestamp "The date and time that the alarm's StateValue most recently changed";
  // StateUpdatedTimestamp "The time stamp of the last update to the value of either the StateValue or
  // EvaluationState parameters".
  test('not stuck — broken: in ALARM with no change in the period since StateTransitionedTimestamp 3 days ago FAILs, though StateUpdatedTimestamp is an hour ago', async () => {
    const transitioned = new Date(NOW.getTime() - 3 * DAY);
    mockAlarms([], { stateNow: 'ALARM', transitioned, updated: new Date(NOW.getTime() - H) }, healthyRecord());
    const item = alarmItem(await run(alarmsOnly, { from: new Date(NOW.getTime() - 10 * DAY) }));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`alarm ${alarmName} was stuck in ALARM for 72 hours from ${transitioned.toISOString()}, still at the end of the period: longer than alerts.triage.alarmAcknowledgeHours (24)`);
  });

  test('not stuck — healthy: in ALARM since StateTransitionedTimestamp an hour before the end PASSes', async () => {
    mockAlarms([], { stateNow: 'ALARM', transitioned: new Date(NOW.getTime() - H), updated: new Date(NOW.getTime() - H) }, healthyRecord());
    const item = alarmItem(await run(alarmsOnly, { from: new Date(NOW.getTime() - 10 * DAY) }));
    expect(item.status).toBe('PASS');
    expect(alarmsOf(item)[0].episodes).toEqual([{ start: new Date(NOW.getTime() - H).toISOString(), hours: 1 }]);
  });

  test('notified — broken: an action that failed to execute FAILs, naming its target', async () => {
    const t = new Date('2026-02-10T03:00:00Z');
    mockAlarms([stateUpdate(t, 'OK', 'ALARM'), action(t, false), stateUpdate(new Date(t.getTime() + H), 'ALARM', 'OK')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toContain(`alarm ${alarmName} failed to execute its action on ${topic} at 2026-02-10T03:00:00.000Z`);
  });

  test('notified — broken: an entry into ALARM with no Action item at all (actions disabled, or AlarmActions emptied, then restored) FAILs', async () => {
    const t = new Date('2026-02-10T03:00:00Z');
    mockAlarms([stateUpdate(t, 'OK', 'ALARM'), stateUpdate(new Date(t.getTime() + H / 2), 'ALARM', 'OK')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`alarm ${alarmName} entered ALARM at 2026-02-10T03:00:00.000Z and did not notify ${topic} (no successful Action history item within 5 minutes)`);
    expect(alarmsOf(item)[0].entries).toEqual([{ at: t.toISOString(), seenIn: 'both', notification: 'not-notified', missing: [topic] }]);
  });

  test("notified — broken: an Action to an attacker's SNS topic FAILs, naming it, and the alarm's own topic was not notified", async () => {
    const t = new Date('2026-02-10T03:00:00Z');
    mockAlarms([stateUpdate(t, 'OK', 'ALARM'), action(new Date(t.getTime() + 1000), true, attacker), stateUpdate(new Date(t.getTime() + H / 2), 'ALARM', 'OK')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toContain(`alarm ${alarmName} entered ALARM at 2026-02-10T03:00:00.000Z and did not notify ${topic}`);
    expect(item.reason).toContain(`alarm ${alarmName} executed an action on ${attacker} at 2026-02-10T03:00:01.000Z, which is not its topic (${topic})`);
  });

  test('notified — broken: an Action 10 minutes late is not the notification of the entry', async () => {
    const t = new Date('2026-02-10T03:00:00Z');
    mockAlarms([stateUpdate(t, 'OK', 'ALARM'), action(new Date(t.getTime() + 10 * 60_000), true), stateUpdate(new Date(t.getTime() + H / 2), 'ALARM', 'OK')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/did not notify .* within 5 minutes/);
  });

  // ----------------------------------------------------------------------------------------------
  // Changes to the alarms themselves.

  test('not changed — broken: an Update of the alarm in the period (DisableAlarmActions, PutMetricAlarm) FAILs, listing it', async () => {
    mockAlarms([configUpdate(new Date('2026-02-11T08:00:00Z'), 'Update'), configUpdate(new Date('2026-02-11T09:00:00Z'), 'Update')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(
      `a baseline alarm was changed in the period: ${alarmName} (Update at 2026-02-11T08:00:00.000Z: Alarm "${alarmName}" updated; Update at 2026-02-11T09:00:00.000Z: Alarm "${alarmName}" updated): check it was the pipeline (baseline investigate logging-changes over those times)`,
    );
    expect(alarmsOf(item)[0].configChanges).toHaveLength(2);
  });

  // A new account's alarms are created in the period (account vending): a Create that is the alarm's first
  // history item in the period, with the baseline's AlarmActions and ActionsEnabled true now
  // (API_MetricAlarm.html), is listed and passes; any other ConfigurationUpdate fails.
  test('not changed — healthy: an alarm created in the period (a vended account) with the baseline configuration PASSes, the creation listed', async () => {
    const t = new Date('2026-02-11T08:00:00Z');
    mockAlarms([configUpdate(t, 'Create'), stateUpdate(new Date(t.getTime() + 60_000), 'INSUFFICIENT_DATA', 'OK')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('PASS');
    expect(item.reason).toContain(`1 alarm(s) created in the period with the baseline's configuration now, new alarms (a vended account, or a baseline release that added them), not changes: ${alarmName} at ${t.toISOString()}`);
    expect(alarmsOf(item)[0].configChanges).toEqual([{ at: t.toISOString(), kind: 'Create', summary: `Alarm "${alarmName}" created`, newAlarm: true }]);
  });

  test('not changed — broken: a creation followed by an Update in the period FAILs, listing both', async () => {
    mockAlarms([configUpdate(new Date('2026-02-11T08:00:00Z'), 'Create'), configUpdate(new Date('2026-02-12T08:00:00Z'), 'Update')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(
      `a baseline alarm was changed in the period: ${alarmName} (Create at 2026-02-11T08:00:00.000Z: Alarm "${alarmName}" created; Update at 2026-02-12T08:00:00.000Z: Alarm "${alarmName}" updated): check it was the pipeline (baseline investigate logging-changes over those times)`,
    );
  });

  test('not changed — broken: an alarm created in the period whose AlarmActions now are not the baseline topics FAILs', async () => {
    mockAlarms([configUpdate(new Date('2026-02-11T08:00:00Z'), 'Create')], { alarmActions: [topic, `arn:aws:sns:${home}:${management}:elsewhere`] });
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(new RegExp(`^a baseline alarm was changed in the period: ${alarmName} \\(Create at 2026-02-11T08:00:00.000Z: `));
    expect(alarmsOf(item)[0].configChanges[0].newAlarm).toBeUndefined();
  });

  test('not changed — broken: a Create after a state change of the alarm in the period (it existed already) FAILs', async () => {
    mockAlarms([stateUpdate(new Date('2026-02-11T07:00:00Z'), 'ALARM', 'OK'), configUpdate(new Date('2026-02-11T08:00:00Z'), 'Create')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(new RegExp(`^a baseline alarm was changed in the period: ${alarmName} \\(Create at 2026-02-11T08:00:00.000Z: `));
  });

  test('not changed — broken: a delete-and-recreate in the period FAILs, saying so', async () => {
    mockAlarms([configUpdate(new Date('2026-02-11T08:00:00Z'), 'Delete'), configUpdate(new Date('2026-02-11T08:05:00Z'), 'Create')]);
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(new RegExp(`^a baseline alarm was changed in the period: ${alarmName} was deleted and re-created \\(Delete at 2026-02-11T08:00:00.000Z: .*; Create at 2026-02-11T08:05:00.000Z: `));
  });

  test('not changed — broken: the alarm MISSING now FAILs', async () => {
    mockAlarms([], { missing: true });
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`no alarm ${alarmName}: MISSING now (DescribeAlarms does not return it)`);
  });

  test('not changed — broken: ActionsEnabled false now FAILs', async () => {
    mockAlarms([], { actionsEnabled: false });
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`alarm ${alarmName} has its actions disabled now (ActionsEnabled false): it notifies nobody`);
  });

  // ----------------------------------------------------------------------------------------------
  // The durable record: state changes older than CloudWatch's alarm history, and its coverage.

  test('healthy: a change seen in both the history and the record counts once; the record is read in the audit account for this account, over the period', async () => {
    const t = new Date('2026-02-20T03:00:00Z');
    const back = new Date(t.getTime() + H / 2);
    const logs = mockRecord(healthyRecord([recordEvent(t, 'OK', 'ALARM'), recordEvent(back, 'ALARM', 'OK')]));
    const cw = mock(CloudWatchClient);
    cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({ MetricAlarms: input.AlarmNames.map((n) => ({ AlarmName: n, StateValue: 'OK', ActionsEnabled: true, AlarmActions: [topic] })) }));
    cw.on(DescribeAlarmHistoryCommand).callsFake((input: { AlarmName?: string }) => ({
      AlarmHistoryItems: input.AlarmName === alarmName ? [stateUpdate(new Date(t.getTime() + 200), 'OK', 'ALARM'), action(t, true), stateUpdate(new Date(back.getTime() + 200), 'ALARM', 'OK')] : [],
    }));
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('PASS');
    expect(item.reason).toContain('the alarm history record covers the period from 2025-06-01T00:00:00.000Z and has every change CloudWatch\'s history has');
    const [a] = alarmsOf(item);
    expect(a.changes.map((c) => `${c.from}>${c.to}:${c.seenIn}`)).toEqual(['OK>ALARM:both', 'ALARM>OK:both']);
    expect(item.details!.record as RecordCoverage).toMatchObject({ logGroup: recordGroup, accountId: audit, region: home, exists: true, retentionDays: 400, events: 2 });
    // FilterLogEvents (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html):
    // startTime/endTime in epoch milliseconds, every account's alarm state changes (grouped by account in
    // memory), every page followed; limit up to 10,000.
    const calls = logs.commandCalls(FilterLogEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input).toMatchObject({ logGroupName: recordGroup, startTime: FROM.getTime(), endTime: NOW.getTime(), limit: 10_000 });
    expect(calls[0].args[0].input.filterPattern).toBe('{ $.detail-type = "CloudWatch Alarm State Change" }');
    expect(calls[1].args[0].input.nextToken).toBe('p2');
    // The shared read's raw record is named by the item.
    expect(item.raw).toContain(`${audit}.${home}.logs.FilterLogEvents.alarm-history-record.json`);
  });

  // FilterLogEvents scans the whole group whatever the filter pattern (API_FilterLogEvents.html:
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html), so the
  // record is read once per collection, for every account.
  test('scale: two accounts\' judgements read the record in exactly one FilterLogEvents pagination, each judging its own account\'s events', async () => {
    const watchdog = baselineAlarms(config, [management]).get(audit)![0];
    const t = new Date('2026-01-10T00:00:00Z');
    const logs = mockRecord(healthyRecord([recordEvent(t, 'OK', 'ALARM'), recordEvent(new Date(t.getTime() + H), 'ALARM', 'OK'), recordEvent(t, 'OK', 'ALARM', audit, watchdog.name), recordEvent(new Date(t.getTime() + H), 'ALARM', 'OK', audit, watchdog.name)]));
    const cw = mock(CloudWatchClient);
    cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({ MetricAlarms: input.AlarmNames.map((n) => ({ AlarmName: n, StateValue: 'OK', ActionsEnabled: true, AlarmActions: [topic] })) }));
    cw.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    const items = await run((ctx) => periodAlarmTasks(ctx).filter((x) => x.accountId === management || x.accountId === audit));
    // One pagination: the empty first page with its token, then the events.
    expect(logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'p2']);
    expect(logs.commandCalls(DescribeLogGroupsCommand)).toHaveLength(1);
    const mgmt = alarmItem(items);
    const auditItem = items.find((i) => i.id === `period.alarm-response/${audit}/${home}/alarms`)!;
    expect(alarmsOf(mgmt).map((a) => a.name)).toEqual([alarmName]);
    expect(alarmsOf(auditItem).map((a) => a.name)).toEqual([watchdog.name]);
    expect((mgmt.details!.record as RecordCoverage).events).toBe(2);
    expect((auditItem.details!.record as RecordCoverage).events).toBe(2);
  });

  test('scale: empty pages with a nextToken do not cap the record (the cap counts events, not pages): a quiet account PASSes', async () => {
    // "A returned page might only be partially full, or even empty ... Partially full or empty pages don't
    // necessarily mean that pagination is finished" (API_FilterLogEvents.html).
    const t = new Date('2026-01-10T00:00:00Z');
    mockAlarms([]);
    const logs = mock(CloudWatchLogsClient);
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: recordGroup, creationTime: new Date('2025-06-01T00:00:00Z').getTime(), retentionInDays: 400 }] });
    logs.on(FilterLogEventsCommand).callsFake((input: { nextToken?: string }) => {
      const n = Number(input.nextToken ?? '0');
      return n < 30 ? { events: [], nextToken: String(n + 1) } : { events: [recordEvent(t, 'OK', 'ALARM'), recordEvent(new Date(t.getTime() + H), 'ALARM', 'OK')] };
    });
    const item = alarmItem(await run(alarmsOnly, { maxFindings: 1 }));
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(31);
    expect(item.status).toBe('PASS');
    expect(item.details!.capped).toBe(false);
    expect(alarmsOf(item)[0].changes.map((c) => `${c.from}>${c.to}:${c.seenIn}`)).toEqual(['OK>ALARM:record', 'ALARM>OK:record']);
  });

  test('scale: more events than --max-findings for each alarm of the collection caps the record: ERROR naming the record, never a PASS', async () => {
    mockAlarms([]);
    const logs = mock(CloudWatchLogsClient);
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: recordGroup, creationTime: new Date('2025-06-01T00:00:00Z').getTime(), retentionInDays: 400 }] });
    // Another account's flapping alarm: 5,000 events on the first page, and a token.
    const noisy = Array.from({ length: 5000 }, (_, i) => recordEvent(new Date(FROM.getTime() + DAY + i * 1000), i % 2 ? 'ALARM' : 'OK', i % 2 ? 'OK' : 'ALARM', '999999999999', 'noisy'));
    logs.on(FilterLogEventsCommand).callsFake((input: { nextToken?: string }) => (input.nextToken ? { events: [] } : { events: noisy, nextToken: 'p2' }));
    const item = alarmItem(await run(alarmsOnly, { maxFindings: 1 }));
    const budget = item.details!.recordEventBudget as number;
    expect(budget).toBeLessThan(5000);
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(1);
    expect(item.status).toBe('ERROR');
    expect(item.reason).toContain(`more than ${budget} events (--max-findings for each of the collection's alarms) in the alarm history record ${recordGroup}: the rest was not read`);
  });

  test(`forged — broken: a change only in the record, inside CloudWatch's ${ALARM_HISTORY_DAYS}-day history window (where the history is authoritative), FAILs naming it`, async () => {
    const t = new Date(NOW.getTime() - 10 * DAY);
    mockAlarms([], {}, healthyRecord([recordEvent(t, 'OK', 'INSUFFICIENT_DATA')]));
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`alarm ${alarmName}'s change OK → INSUFFICIENT_DATA at ${t.toISOString()} is in the record but not in CloudWatch's alarm history: written by someone other than EventBridge?`);
    // Healthy next to it: the same change in CloudWatch's history too PASSes (and older than the window, record-only, is not judged forged: the test above).
    mockAlarms([stateUpdate(t, 'OK', 'INSUFFICIENT_DATA')], {}, healthyRecord([recordEvent(t, 'OK', 'INSUFFICIENT_DATA')]));
    expect(alarmItem(await run(alarmsOnly)).status).toBe('PASS');
  });

  test('broken: a change in CloudWatch\'s history that the record lacks FAILs (the record\'s rules missed it: disabled mid-period)', async () => {
    const t = new Date('2026-02-10T03:00:00Z');
    mockAlarms(handled(t), {}, healthyRecord());
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(
      [`alarm ${alarmName}'s change OK → ALARM at 2026-02-10T03:00:00.000Z`, `alarm ${alarmName}'s change ALARM → OK at 2026-02-10T03:30:00.000Z`]
        .map((c) => `${c} is in CloudWatch's alarm history but not in the alarm history record: the record's rules (or the account's forwarding rule) missed it`)
        .join('; '),
    );
  });

  test(`notified — older than CloudWatch's ${ALARM_HISTORY_DAYS}-day history, known from the record alone: not PASSed silently, the reason says it reached the central alarm bus and that its notification cannot be verified`, async () => {
    const t = new Date('2026-01-10T00:00:00Z');
    expect(t.getTime()).toBeLessThan(NOW.getTime() - ALARM_HISTORY_DAYS * DAY);
    mockAlarms([], {}, healthyRecord([recordEvent(t, 'OK', 'ALARM'), recordEvent(new Date(t.getTime() + H), 'ALARM', 'OK')]));
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('PASS');
    expect(item.reason).toContain(
      `1 entr(ies) into ALARM before 2026-01-31T12:00:00.000Z are known from the record alone (${alarmName} at 2026-01-10T00:00:00.000Z): their notification cannot be verified; the record shows only that each reached the central alarm bus`,
    );
    expect(item.reason).toContain('routed to the central route, not shown delivered');
    expect(alarmsOf(item)[0].entries).toEqual([{ at: t.toISOString(), seenIn: 'record', notification: 'reached-central-bus', missing: [] }]);
  });

  test("unverifiable: an audit account watchdog's entry older than CloudWatch's history (recorded from its default bus, which routes nothing) is ERROR, not PASS", async () => {
    const watchdog = baselineAlarms(config, [management]).get(audit)![0];
    const t = new Date('2026-01-10T00:00:00Z');
    mockRecord(healthyRecord([recordEvent(t, 'OK', 'ALARM', audit, watchdog.name), recordEvent(new Date(t.getTime() + H), 'ALARM', 'OK', audit, watchdog.name)]));
    const cw = mock(CloudWatchClient);
    cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({ MetricAlarms: input.AlarmNames.map((n) => ({ AlarmName: n, StateValue: 'OK', ActionsEnabled: true, AlarmActions: [] })) }));
    cw.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    const items = await run((ctx) => periodAlarmTasks(ctx).filter((x) => x.accountId === audit));
    const item = items.find((i) => i.id === `period.alarm-response/${audit}/${home}/alarms`)!;
    expect(item.status).toBe('ERROR');
    expect(item.reason).toMatch(new RegExp(`^1 entr\\(ies\\) into ALARM of the audit account's own watchdogs before .* \\(${watchdog.name} at 2026-01-10T00:00:00.000Z\\): the record's rule on the audit account's default bus routes nothing.*unverifiable`));
  });

  test(`not stuck — broken: an alarm stuck in ALARM for 4 days before CloudWatch's ${ALARM_HISTORY_DAYS}-day history window, visible only in the record, FAILs`, async () => {
    const t = new Date('2026-01-10T00:00:00Z');
    mockAlarms([], {}, healthyRecord([recordEvent(t, 'OK', 'ALARM'), recordEvent(new Date(t.getTime() + 4 * DAY), 'ALARM', 'OK')]));
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`alarm ${alarmName} was stuck in ALARM for 96 hours from 2026-01-10T00:00:00.000Z to 2026-01-14T00:00:00.000Z: longer than alerts.triage.alarmAcknowledgeHours (24)`);
    expect(alarmsOf(item)[0].changes.every((c) => c.seenIn === 'record')).toBe(true);
  });

  test('broken: the record missing FAILs: the alarm history is incomplete for the period', async () => {
    mockAlarms([], {}, {});
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`the alarm history record ${recordGroup} does not exist in the audit account ${audit} ${home}: state changes older than CloudWatch's alarm history are lost, and the alarm history is incomplete for the period (2026-01-01T00:00:00.000Z to 2026-03-02T12:00:00.000Z)`);
  });

  test('broken: the record created after the period began FAILs, naming the date it covers from', async () => {
    mockAlarms([], {}, { createdAt: new Date('2026-02-01T09:30:00Z'), retentionDays: 400, events: [] });
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe(`the alarm history record ${recordGroup} covers from 2026-02-01T09:30:00.000Z only (created 2026-02-01T09:30:00.000Z, kept 400 days): the alarm history is incomplete for the period (2026-01-01T00:00:00.000Z to 2026-03-02T12:00:00.000Z)`);
  });

  test('broken: a record whose retention was shortened below the period FAILs (its old events are gone)', async () => {
    mockAlarms([], {}, { createdAt: new Date('2025-06-01T00:00:00Z'), retentionDays: 30, events: [] });
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/covers from 2026-01-31T12:00:00\.000Z only \(created 2025-06-01T00:00:00\.000Z, kept 30 days\): the alarm history is incomplete for the period/);
  });

  test('a refused DescribeAlarmHistory is an ERROR item, not a PASS', async () => {
    const cw = mockAlarms([]);
    cw.on(DescribeAlarmHistoryCommand).rejects(Object.assign(new Error('not authorized to perform: cloudwatch:DescribeAlarmHistory'), { name: 'AccessDenied', $metadata: {} }));
    const item = alarmItem(await run(alarmsOnly));
    expect(item.status).toBe('ERROR');
    expect(item.reason).toMatch(/cloudwatch:DescribeAlarmHistory/);
  });
});

// ------------------------------------------------------------------------------------------------
// Findings: Security Hub GetFindings (API_GetFindings.html, AwsSecurityFinding: API_AwsSecurityFinding.html,
// Severity.Label: API_Severity.html, Workflow.Status: API_Workflow.html), GetFindingHistory
// (API_GetFindingHistory.html, Records of FindingHistoryRecord: API_FindingHistoryRecord.html, Updates of
// FindingHistoryUpdate: API_FindingHistoryUpdate.html); GuardDuty ListFindings/GetFindings
// (API_ListFindings.html, API_GetFindings.html; Finding.CreatedAt: API_Finding.html).

const gdArn = (id: string) => `arn:aws:guardduty:${home}:${audit}:detector/d1/finding/${id}`;
function asff(id: string, product: string, severity: string, createdAt: Date, workflow: string) {
  return {
    SchemaVersion: '2018-10-08',
    Id: product === 'GuardDuty' ? gdArn(id) : id,
    ProductArn: `arn:aws:securityhub:${home}::product/aws/${product === 'GuardDuty' ? 'guardduty' : 'macie'}`,
    ProductName: product,
    CompanyName: 'Amazon',
    AwsAccountId: '444444444444',
    Region: home,
    GeneratorId: 'g',
    Types: ['TTPs'],
    CreatedAt: createdAt.toISOString(),
    UpdatedAt: createdAt.toISOString(),
    Severity: { Label: severity },
    Title: `${product} finding ${id}`,
    Description: 'd',
    Resources: [{ Type: 'AwsEc2Instance', Id: 'i-1' }],
    Workflow: { Status: workflow },
    RecordState: 'ACTIVE',
  };
}

function mockFindings(opts: { hub: ReturnType<typeof asff>[]; gd: { id: string; createdAt: Date; archived?: boolean }[]; history?: Record<string, { at: Date; to: string }> }) {
  const sh = mock(SecurityHubClient);
  sh.on(ShGetFindingsCommand).resolves({ Findings: opts.hub as never });
  sh.on(GetFindingHistoryCommand).callsFake((input: { FindingIdentifier: { Id: string } }) => {
    const change = opts.history?.[input.FindingIdentifier.Id];
    return {
      Records: [
        { FindingIdentifier: input.FindingIdentifier, UpdateTime: new Date('2026-02-01T00:00:00Z'), FindingCreated: true, UpdateSource: { Type: 'BATCH_IMPORT_FINDINGS', Identity: 'arn:aws:securityhub:::product/aws/guardduty' }, Updates: [] },
        ...(change ? [{ FindingIdentifier: input.FindingIdentifier, UpdateTime: change.at, FindingCreated: false, UpdateSource: { Type: 'BATCH_UPDATE_FINDINGS', Identity: 'arn:aws:iam::333333333333:role/analyst' }, Updates: [{ UpdatedField: 'Workflow.Status', OldValue: 'NEW', NewValue: change.to }] }] : []),
      ],
    };
  });
  const gd = mock(GuardDutyClient);
  gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
  gd.on(GdListFindingsCommand).resolves({ FindingIds: opts.gd.map((f) => f.id) });
  gd.on(GdGetFindingsCommand).callsFake((input: { FindingIds: string[] }) => ({
    Findings: opts.gd.filter((f) => input.FindingIds.includes(f.id)).map((f) => ({ Id: f.id, Arn: gdArn(f.id), AccountId: '444444444444', Region: home, CreatedAt: f.createdAt.toISOString(), UpdatedAt: f.createdAt.toISOString(), Severity: 8, Type: 'Recon:EC2/PortProbeUnprotectedPort', SchemaVersion: '2.0', Resource: {}, Service: { Archived: f.archived ?? false } })),
  }));
  return { sh, gd };
}

const created = new Date('2026-02-01T00:00:00Z');
const findingItems = (items: EvidenceItem[]) => ({
  triage: items.find((i) => i.id === `period.finding-triage/${audit}/${home}/triage`)!,
  cross: items.find((i) => i.id === `period.finding-triage/${audit}/${home}/guardduty-in-security-hub`)!,
});

describe('period.finding-triage', () => {
  test('healthy: HIGH finding triaged after 5 hours, counts match; severity, workflow and time to first change listed', async () => {
    const { gd } = mockFindings({
      hub: [asff('gd-1', 'GuardDuty', 'HIGH', created, 'NOTIFIED'), asff('mc-1', 'Macie', 'MEDIUM', created, 'NEW')],
      gd: [{ id: 'gd-1', createdAt: created }, { id: 'gd-old', createdAt: new Date('2025-11-01T00:00:00Z') }],
      history: { [gdArn('gd-1')]: { at: new Date(created.getTime() + 5 * H), to: 'NOTIFIED' } },
    });
    const { triage, cross } = findingItems(await run(periodFindingTasks));
    expect(triage.status).toBe('PASS');
    expect(triage.details!.findings).toEqual([
      expect.objectContaining({ id: gdArn('gd-1'), severity: 'HIGH', workflowStatus: 'NOTIFIED', firstWorkflowChange: { at: '2026-02-01T05:00:00.000Z', to: 'NOTIFIED', hours: 5 } }),
      expect.objectContaining({ id: 'mc-1', product: 'Macie', severity: 'MEDIUM', workflowStatus: 'NEW' }),
    ]);
    expect(cross.status).toBe('PASS');
    expect(cross.details).toMatchObject({ guardDuty: 1, securityHub: 1, missing: [] });
    // ListFindings asks for the period by updatedAt, epoch milliseconds (API_ListFindings.html FindingCriteria).
    expect(gd.commandCalls(GdListFindingsCommand)[0].args[0].input).toMatchObject({ FindingCriteria: { Criterion: { updatedAt: { GreaterThanOrEqual: FROM.getTime() } } } });
  });

  test('broken: a HIGH finding left NEW past the triage window FAILs', async () => {
    mockFindings({ hub: [asff('gd-1', 'GuardDuty', 'HIGH', created, 'NEW')], gd: [{ id: 'gd-1', createdAt: created }] });
    const { triage } = findingItems(await run(periodFindingTasks));
    expect(triage.status).toBe('FAIL');
    expect(triage.reason).toBe(`HIGH GuardDuty finding ${gdArn('gd-1')} (account 444444444444, ${home}) created 2026-02-01T00:00:00.000Z is still NEW after 708 hours: longer than alerts.triage.findingTriageHours (24)`);
  });

  test('a HIGH finding NEW for less than the window PASSes', async () => {
    const recent = new Date(NOW.getTime() - 2 * H);
    mockFindings({ hub: [asff('gd-1', 'GuardDuty', 'CRITICAL', recent, 'NEW')], gd: [{ id: 'gd-1', createdAt: recent }] });
    expect(findingItems(await run(periodFindingTasks)).triage.status).toBe('PASS');
  });

  test('broken: GuardDuty lists a finding of the period that Security Hub does not have: FAIL (the integration is broken)', async () => {
    mockFindings({ hub: [asff('gd-1', 'GuardDuty', 'LOW', created, 'NEW')], gd: [{ id: 'gd-1', createdAt: created }, { id: 'gd-2', createdAt: created }] });
    const { triage, cross } = findingItems(await run(periodFindingTasks));
    expect(triage.status).toBe('PASS');
    expect(cross.status).toBe('FAIL');
    expect(cross.reason).toBe('GuardDuty lists 2 finding(s) created in the period, Security Hub 1: the GuardDuty integration with Security Hub is broken or lagging, and the triage record is incomplete; not in Security Hub: gd-2');
  });

  // A suppression rule archives the findings it matches, which "are not sent to any of the AWS services
  // with which you may integrate" (https://docs.aws.amazon.com/guardduty/latest/ug/create-suppression-rules-guardduty.html);
  // GetFindings' Service.Archived says which (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Service.html).
  test('healthy: an archived (suppressed) GuardDuty finding absent from Security Hub PASSes, listed as archived, not sent', async () => {
    mockFindings({ hub: [asff('gd-1', 'GuardDuty', 'LOW', created, 'NEW')], gd: [{ id: 'gd-1', createdAt: created }, { id: 'gd-sup', createdAt: created, archived: true }] });
    const { cross } = findingItems(await run(periodFindingTasks));
    expect(cross.status).toBe('PASS');
    expect(cross.reason).toMatch(/both list 1 GuardDuty finding\(s\) .*; archived or suppressed in GuardDuty, not sent to Security Hub: gd-sup$/);
    expect(cross.details).toMatchObject({ guardDuty: 2, securityHub: 1, missing: [], archivedNotSent: ['gd-sup'], extra: [] });
  });

  test('broken: the same finding not archived, absent from Security Hub, FAILs', async () => {
    mockFindings({ hub: [asff('gd-1', 'GuardDuty', 'LOW', created, 'NEW')], gd: [{ id: 'gd-1', createdAt: created }, { id: 'gd-sup', createdAt: created, archived: false }] });
    const { cross } = findingItems(await run(periodFindingTasks));
    expect(cross.status).toBe('FAIL');
    expect(cross.details).toMatchObject({ missing: ['gd-sup'], archivedNotSent: [] });
  });

  test('an archived GuardDuty finding that did reach Security Hub (archived after) is counted as sent: PASS', async () => {
    mockFindings({ hub: [asff('gd-1', 'GuardDuty', 'LOW', created, 'NEW')], gd: [{ id: 'gd-1', createdAt: created, archived: true }] });
    const { cross } = findingItems(await run(periodFindingTasks));
    expect(cross.status).toBe('PASS');
    expect(cross.details).toMatchObject({ guardDuty: 1, securityHub: 1, missing: [], archivedNotSent: [], extra: [] });
  });

  test('an empty Security Hub with a silent integration does not PASS', async () => {
    mockFindings({ hub: [], gd: [{ id: 'gd-1', createdAt: created }] });
    const { triage, cross } = findingItems(await run(periodFindingTasks));
    expect(triage.status).toBe('PASS');
    expect(cross.status).toBe('FAIL');
  });

  // The time to triage is the first workflow change out of NEW (FindingHistoryUpdate UpdatedField
  // Workflow.Status, OldValue/NewValue: API_FindingHistoryUpdate.html), not the status at collection.
  test('broken: a HIGH finding RESOLVED 30 hours after creation, against a 24-hour window, FAILs', async () => {
    mockFindings({
      hub: [asff('gd-1', 'GuardDuty', 'HIGH', created, 'RESOLVED')],
      gd: [{ id: 'gd-1', createdAt: created }],
      history: { [gdArn('gd-1')]: { at: new Date(created.getTime() + 30 * H), to: 'RESOLVED' } },
    });
    const { triage } = findingItems(await run(periodFindingTasks));
    expect(triage.status).toBe('FAIL');
    expect(triage.reason).toBe(`HIGH GuardDuty finding ${gdArn('gd-1')} (account 444444444444, ${home}) created 2026-02-01T00:00:00.000Z first left NEW (to RESOLVED) at 2026-02-02T06:00:00.000Z, after 30 hours: longer than alerts.triage.findingTriageHours (24)`);
  });

  test('healthy: the same finding RESOLVED after 2 hours PASSes', async () => {
    mockFindings({
      hub: [asff('gd-1', 'GuardDuty', 'HIGH', created, 'RESOLVED')],
      gd: [{ id: 'gd-1', createdAt: created }],
      history: { [gdArn('gd-1')]: { at: new Date(created.getTime() + 2 * H), to: 'RESOLVED' } },
    });
    const { triage } = findingItems(await run(periodFindingTasks));
    expect(triage.status).toBe('PASS');
    expect(triage.details!.findings).toEqual([expect.objectContaining({ workflowStatus: 'RESOLVED', firstWorkflowChange: { at: '2026-02-01T02:00:00.000Z', to: 'RESOLVED', hours: 2 } })]);
  });

  test('unknowable: a HIGH finding SUPPRESSED with no workflow change in its history is ERROR, not PASS', async () => {
    mockFindings({ hub: [asff('gd-1', 'GuardDuty', 'HIGH', created, 'SUPPRESSED')], gd: [{ id: 'gd-1', createdAt: created }] });
    const { triage } = findingItems(await run(periodFindingTasks));
    expect(triage.status).toBe('ERROR');
    expect(triage.reason).toBe(`HIGH GuardDuty finding ${gdArn('gd-1')} (account 444444444444, ${home}) created 2026-02-01T00:00:00.000Z is SUPPRESSED but its history (GetFindingHistory, up to 90 days after creation) shows no workflow change: when it was triaged is unknown`);
  });

  test('GetFindingHistory spans at most 90 days from CreatedAt (API_GetFindingHistory.html: "the maximum time period is limited to 90 days"); a period older than the 90 days Security Hub and GuardDuty keep findings is ERROR, naming the date', async () => {
    const from = new Date('2025-11-01T00:00:00Z');
    const old = new Date('2025-11-15T00:00:00Z');
    const { sh } = mockFindings({
      hub: [asff('gd-old', 'GuardDuty', 'HIGH', old, 'RESOLVED'), asff('gd-1', 'GuardDuty', 'HIGH', created, 'RESOLVED')],
      gd: [{ id: 'gd-old', createdAt: old }, { id: 'gd-1', createdAt: created }],
      history: { [gdArn('gd-old')]: { at: new Date(old.getTime() + H), to: 'RESOLVED' }, [gdArn('gd-1')]: { at: new Date(created.getTime() + H), to: 'RESOLVED' } },
    });
    const { triage, cross } = findingItems(await run(periodFindingTasks, { from }));
    const spans = Object.fromEntries(sh.commandCalls(GetFindingHistoryCommand).map((c) => [c.args[0].input.FindingIdentifier!.Id, [c.args[0].input.StartTime!.toISOString(), c.args[0].input.EndTime!.toISOString()]]));
    // Created 2025-11-15: CreatedAt + 90 days (2026-02-13), not now; created 2026-02-01: now.
    expect(spans[gdArn('gd-old')]).toEqual(['2025-11-15T00:00:00.000Z', '2026-02-13T00:00:00.000Z']);
    expect(spans[gdArn('gd-1')]).toEqual(['2026-02-01T00:00:00.000Z', NOW.toISOString()]);
    // 90 days before NOW (2026-03-02T12:00Z) is 2025-12-02T12:00Z: the period before it is not covered.
    expect(triage.status).toBe('ERROR');
    expect(triage.reason).toBe('the period is not covered before 2025-12-02T12:00:00.000Z: Security Hub deletes a finding 90 days after its last update and GuardDuty keeps findings 90 days, so findings created earlier may be gone');
    expect(triage.details).toMatchObject({ notCoveredBefore: '2025-12-02T12:00:00.000Z' });
    expect(cross.status).toBe('ERROR');
    expect(cross.reason).toMatch(/none missing from Security Hub, but the period is not covered before 2025-12-02T12:00:00.000Z/);
  });

  test('capped: more findings than --max-findings is an ERROR, saying so', async () => {
    const { sh } = mockFindings({ hub: [], gd: [] });
    sh.on(ShGetFindingsCommand).resolves({ Findings: [asff('gd-1', 'GuardDuty', 'LOW', created, 'NEW')] as never, NextToken: 'more' });
    const { triage, cross } = findingItems(await run(periodFindingTasks, { maxFindings: 100 }));
    expect(triage.status).toBe('ERROR');
    expect(triage.reason).toMatch(/more findings in the period than --max-findings \(100\)/);
    expect(cross.status).toBe('ERROR');
  });
});

// ------------------------------------------------------------------------------------------------
// Config: GetAggregateComplianceDetailsByConfigRule (API_GetAggregateComplianceDetailsByConfigRule.html),
// AggregateEvaluationResult (API_AggregateEvaluationResult.html), EvaluationResultIdentifier
// (API_EvaluationResultIdentifier.html), EvaluationResultQualifier (API_EvaluationResultQualifier.html);
// the summary: DescribeAggregateComplianceByConfigRules (not in moto), its response
// AggregateComplianceByConfigRules of AggregateComplianceByConfigRule {ConfigRuleName, Compliance,
// AccountId, AwsRegion} and NextToken
// (https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeAggregateComplianceByConfigRules.html,
// https://docs.aws.amazon.com/config/latest/APIReference/API_AggregateComplianceByConfigRule.html), Compliance
// {ComplianceType, ComplianceContributorCount {CappedCount, CapExceeded}} (API_Compliance.html).

const MEMBER = '444444444444';

/** One AggregateComplianceByConfigRule, as AWS's API reference shapes it. */
const summaryRecord = (rule: string, accountId = MEMBER, region = home, compliance: ComplianceType = 'NON_COMPLIANT') => ({
  ConfigRuleName: rule,
  Compliance: { ComplianceType: compliance, ComplianceContributorCount: { CappedCount: 1, CapExceeded: false } },
  AccountId: accountId,
  AwsRegion: region,
});

/**
 * A consistent aggregator: the results of MEMBER's home Region, and a summary listing a rule
 * NON_COMPLIANT there exactly when one of its results is ("It is noncompliant if any of these resources
 * do not comply", API_AggregateComplianceByConfigRule.html), filtered by Filters.ComplianceType.
 */
function mockCompliance(results: { rule: string; compliance: string; recorded: Date }[]) {
  const cfg = mock(ConfigServiceClient);
  cfg.on(GetAggregateComplianceDetailsByConfigRuleCommand).callsFake((input: { ConfigRuleName: string; AccountId: string; AwsRegion: string; ComplianceType?: string }) => ({
    AggregateEvaluationResults: results
      .filter((r) => r.rule === input.ConfigRuleName && (!input.ComplianceType || r.compliance === input.ComplianceType))
      .map((r) => ({
        EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: r.rule, ResourceType: 'AWS::EC2::VPC', ResourceId: 'vpc-0abc' }, OrderingTimestamp: r.recorded },
        ComplianceType: r.compliance,
        ResultRecordedTime: r.recorded,
        ConfigRuleInvokedTime: r.recorded,
        AccountId: input.AccountId,
        AwsRegion: input.AwsRegion,
      })),
  }));
  cfg.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake((input: { Filters?: { ComplianceType?: string } }) => {
    const noncompliant = [...new Set(results.filter((r) => r.compliance === 'NON_COMPLIANT').map((r) => r.rule))];
    const records = noncompliant.map((rule) => summaryRecord(rule));
    return { AggregateComplianceByConfigRules: records.filter((r) => !input.Filters?.ComplianceType || r.Compliance.ComplianceType === input.Filters.ComplianceType) };
  });
  return cfg;
}
const configOnly = (ctx: CollectContext) => periodConfigTasks(ctx, [[MEMBER, home]]);
const SUMMARY_RAW = `${audit}.${home}.config.DescribeAggregateComplianceByConfigRules.config-compliance-summary.json`;

// The aggregator keeps each resource's latest result only, re-recorded by a periodic rule at every
// run: the item judges the state at the end of the period (the run), labelled current state only.
describe('period.config-compliance', () => {
  test('healthy: no resource NON_COMPLIANT at the end of the period PASSes, labelled current state only, the evaluations listed', async () => {
    mockCompliance([{ rule: 'vpc-flow-logs-enabled', compliance: 'COMPLIANT', recorded: new Date('2026-02-03T00:00:00Z') }]);
    const [item] = await run(configOnly);
    expect(item.id).toBe(`period.config-compliance/444444444444/${home}/config-evaluations`);
    expect(item.status).toBe('PASS');
    expect(item.title).toBe(`Config rule compliance at the end of the period (current state only): 444444444444 ${home}`);
    expect(item.reason).toMatch(/none NON_COMPLIANT at the end of the period \(current state only: the changes within the period are not in the aggregator's data\)$/);
    expect(item.details).toMatchObject({ basis: 'current-state-only', judged: true });
    // Only NON_COMPLIANT results are asked for (the request's ComplianceType), so none is listed.
    expect(item.details!.changes).toEqual([]);
  });

  test("a healthy org costs one summary call per collection, none per rule: the summary is read once (Filters.ComplianceType NON_COMPLIANT, Limit 1000, the API's maximum), and each item's raw evidence names it", async () => {
    const cfg = mockCompliance([]);
    const items = await run((ctx) => periodConfigTasks(ctx, [[MEMBER, home], ['555555555555', home], [MEMBER, 'eu-west-1']]));
    expect(items.map((i) => i.status)).toEqual(['PASS', 'PASS', 'PASS']);
    const summaryCalls = cfg.commandCalls(DescribeAggregateComplianceByConfigRulesCommand);
    expect(summaryCalls).toHaveLength(1);
    // "Valid Range: Minimum value of 0. Maximum value of 1000" (API_DescribeAggregateComplianceByConfigRules.html, Limit).
    expect(summaryCalls[0].args[0].input).toEqual({ ConfigurationAggregatorName: `${config.organization.namePrefix}-organization`, Filters: { ComplianceType: 'NON_COMPLIANT' }, Limit: 1000 });
    expect(cfg.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
    for (const item of items) {
      expect(item.raw).toEqual([SUMMARY_RAW]);
      expect(item.details!.summary).toMatchObject({ listed: [], capped: false, recordsRead: 0, pagesRead: 1 });
      expect(item.reason).toMatch(/, none listed NON_COMPLIANT by the aggregator's compliance summary, none NON_COMPLIANT at the end of the period/);
    }
  });

  test('only NON_COMPLIANT results are read ("supports only the COMPLIANT and NON_COMPLIANT", API_GetAggregateComplianceDetailsByConfigRule.html), and a read cut at --max-findings is ERROR, never PASS', async () => {
    const cfg = mockCompliance([]);
    const [healthy] = await run(configOnly);
    expect(healthy.status).toBe('PASS');
    // Breaking case: the summary lists the rule here, and every page of its results says there is more;
    // the budget runs out before the end.
    cfg.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [summaryRecord('vpc-flow-logs-enabled')] });
    cfg.on(GetAggregateComplianceDetailsByConfigRuleCommand).resolves({ AggregateEvaluationResults: [], NextToken: 'more' });
    const [capped] = await run(configOnly);
    expect(capped.status).toBe('ERROR');
    expect(capped.reason).toMatch(/^more NON_COMPLIANT results than --max-findings \(\d+\) for vpc-flow-logs-enabled: the rest was not read$/);
    const details = cfg.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand);
    expect(details.length).toBeGreaterThan(0);
    for (const call of details) expect(call.args[0].input).toMatchObject({ ConfigRuleName: 'vpc-flow-logs-enabled', AccountId: MEMBER, AwsRegion: home, ComplianceType: 'NON_COMPLIANT' });
  });

  test('broken: a resource NON_COMPLIANT for 3 days FAILs', async () => {
    const cfg = mockCompliance([{ rule: 'vpc-flow-logs-enabled', compliance: 'NON_COMPLIANT', recorded: new Date(NOW.getTime() - 3 * DAY) }]);
    const [item] = await run(configOnly);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toBe("1 resource evaluation(s) NON_COMPLIANT at the end of the period (current state; since when is not in the aggregator's data): AWS::EC2::VPC vpc-0abc with vpc-flow-logs-enabled (last recorded 2026-02-27T12:00:00.000Z)");
    // Only the rule the summary lists is read in detail; the item names both records.
    expect(cfg.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand).map((c) => c.args[0].input.ConfigRuleName)).toEqual(['vpc-flow-logs-enabled']);
    expect(item.raw).toEqual([SUMMARY_RAW, `${audit}.${home}.config.GetAggregateComplianceDetailsByConfigRule.vpc-flow-logs-enabled.${MEMBER}.${home}.json`].sort());
    expect(item.details).toMatchObject({ rulesRead: ['vpc-flow-logs-enabled'], summary: { listed: [{ rule: 'vpc-flow-logs-enabled', compliance: 'NON_COMPLIANT', contributors: 1, contributorsCapExceeded: false }] } });
  });

  test('broken: a periodic rule that re-recorded its NON_COMPLIANT result an hour ago FAILs too (its recorded time says nothing of since when)', async () => {
    mockCompliance([{ rule: 'vpc-flow-logs-enabled', compliance: 'NON_COMPLIANT', recorded: new Date(NOW.getTime() - H) }]);
    const [item] = await run(configOnly);
    expect(item.status).toBe('FAIL');
  });

  test('the summary read fails: every item is ERROR naming the call, never PASS, with the failed call as its raw evidence', async () => {
    const cfg = mockCompliance([]);
    cfg.on(DescribeAggregateComplianceByConfigRulesCommand).rejects(Object.assign(new Error('User is not authorized to perform: config:DescribeAggregateComplianceByConfigRules'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }));
    const items = await run((ctx) => periodConfigTasks(ctx, [[MEMBER, home], ['555555555555', home]]));
    expect(items.map((i) => i.status)).toEqual(['ERROR', 'ERROR']);
    for (const item of items) {
      expect(item.reason).toMatch(new RegExp(`^could not read the aggregator's compliance summary, so no rule is judged here: config:DescribeAggregateComplianceByConfigRules in ${audit} ${home}: .*AccessDeniedException`));
      expect(item.raw).toEqual([SUMMARY_RAW]);
      expect(item.details).toMatchObject({ judged: false });
    }
    expect(cfg.commandCalls(DescribeAggregateComplianceByConfigRulesCommand)).toHaveLength(1);
    expect(cfg.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  });

  test('the summary followed page by page (empty pages with a NextToken included: "The results can return an empty result page, but if you have a nextToken, the results are displayed on the next page"); a rule listed on a later page FAILs', async () => {
    const cfg = mockCompliance([{ rule: 'vpc-flow-logs-enabled', compliance: 'NON_COMPLIANT', recorded: new Date(NOW.getTime() - 3 * DAY) }]);
    cfg
      .on(DescribeAggregateComplianceByConfigRulesCommand)
      .resolvesOnce({ AggregateComplianceByConfigRules: [], NextToken: 't1' })
      .resolvesOnce({ AggregateComplianceByConfigRules: [summaryRecord('vpc-flow-logs-enabled')] });
    const [item] = await run(configOnly);
    expect(item.status).toBe('FAIL');
    expect(cfg.commandCalls(DescribeAggregateComplianceByConfigRulesCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't1']);
  });

  test('a summary cut at its budget (--max-findings per account-Region judged) is ERROR where it lists nothing, never PASS; a NON_COMPLIANT pair still FAILs', async () => {
    // Healthy: one page, no token: PASS with --max-findings 1.
    const cfg = mockCompliance([]);
    cfg.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [summaryRecord('vpc-flow-logs-enabled', '555555555555')] });
    const [ok] = await run(configOnly, { maxFindings: 1 });
    expect(ok.status).toBe('PASS');
    // Breaking: the budget (1 record) is reached with a NextToken: the rest of the summary is unknown.
    cfg.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [summaryRecord('vpc-flow-logs-enabled', '555555555555')], NextToken: 'more' });
    const [capped] = await run(configOnly, { maxFindings: 1 });
    expect(capped.status).toBe('ERROR');
    expect(capped.reason).toBe("the aggregator's compliance summary was cut after 1 record(s) in 1 page(s) (--max-findings 1 per account and Region judged): a rule NON_COMPLIANT here may be in what was not read");
    expect(capped.details!.summary).toMatchObject({ capped: true, budget: 1 });
    // The pair the cut summary does list as NON_COMPLIANT is read and FAILs exactly as before.
    cfg.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [summaryRecord('vpc-flow-logs-enabled')], NextToken: 'more' });
    cfg.on(GetAggregateComplianceDetailsByConfigRuleCommand).resolves({
      AggregateEvaluationResults: [
        {
          EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'vpc-flow-logs-enabled', ResourceType: 'AWS::EC2::VPC', ResourceId: 'vpc-0abc' } },
          ComplianceType: 'NON_COMPLIANT',
          ResultRecordedTime: new Date(NOW.getTime() - 3 * DAY),
        },
      ],
    });
    const [fail] = await run(configOnly, { maxFindings: 1 });
    expect(fail.status).toBe('FAIL');
    expect(fail.reason).toBe("1 resource evaluation(s) NON_COMPLIANT at the end of the period (current state; since when is not in the aggregator's data): AWS::EC2::VPC vpc-0abc with vpc-flow-logs-enabled (last recorded 2026-02-27T12:00:00.000Z)");
  });

  test('summary and results disagree (a rule listed NON_COMPLIANT, no NON_COMPLIANT result: one is behind the other): ERROR, never PASS', async () => {
    const cfg = mockCompliance([]);
    cfg.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [summaryRecord('vpc-flow-logs-enabled')] });
    const [item] = await run(configOnly);
    expect(item.status).toBe('ERROR');
    expect(item.reason).toBe(
      "the aggregator's compliance summary lists vpc-flow-logs-enabled NON_COMPLIANT here, but its evaluation results show no NON_COMPLIANT resource: the aggregator's data disagree (one may be behind the other); collect again",
    );
    expect(item.details).toMatchObject({ disagreeing: ['vpc-flow-logs-enabled'] });
  });

  test('a summary record naming no account, Region or rule (each "Required: No", API_AggregateComplianceByConfigRule.html) cannot be placed: ERROR, never PASS', async () => {
    const cfg = mockCompliance([]);
    cfg.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [{ ConfigRuleName: 'vpc-flow-logs-enabled', Compliance: { ComplianceType: 'NON_COMPLIANT' } }] });
    const [item] = await run(configOnly);
    expect(item.status).toBe('ERROR');
    expect(item.reason).toBe("the aggregator's compliance summary has 1 record(s) naming no account, Region or rule: they may be about this account and Region");
  });

  test("a rule listed but not NON_COMPLIANT (INSUFFICIENT_DATA: \"no evaluation results are available\", API_Compliance.html) is read in detail and, with no NON_COMPLIANT result, PASSes as today; another pair's or a non-baseline rule's record reads nothing here", async () => {
    const cfg = mockCompliance([]);
    cfg.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
      AggregateComplianceByConfigRules: [summaryRecord('vpc-flow-logs-enabled', MEMBER, home, 'INSUFFICIENT_DATA'), summaryRecord('not-a-baseline-rule'), summaryRecord('vpc-flow-logs-enabled', '555555555555')],
    });
    const [item] = await run(configOnly);
    expect(item.status).toBe('PASS');
    expect(cfg.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand).map((c) => [c.args[0].input.ConfigRuleName, c.args[0].input.AccountId])).toEqual([['vpc-flow-logs-enabled', MEMBER]]);
  });

  test('a period that ended 10 days before the run is ERROR: current data cannot judge a past period; the aggregator is not even asked', async () => {
    const cfg = mockCompliance([{ rule: 'vpc-flow-logs-enabled', compliance: 'COMPLIANT', recorded: new Date(NOW.getTime() - H) }]);
    const [item] = await run(configOnly, { to: new Date(NOW.getTime() - 10 * DAY) });
    expect(item.status).toBe('ERROR');
    expect(item.reason).toMatch(/^the period ends 2026-02-20T12:00:00\.000Z, 240 hours before this run: the aggregator holds each resource's current evaluation only, which cannot show the state in a past period/);
    expect(item.details).toMatchObject({ basis: 'current-state-only', judged: false });
    expect(cfg.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
    expect(cfg.commandCalls(DescribeAggregateComplianceByConfigRulesCommand)).toHaveLength(0);
  });

  test('a period ending within 24 hours of the run is judged on the current state', async () => {
    mockCompliance([]);
    const [item] = await run(configOnly, { to: new Date(NOW.getTime() - 12 * H) });
    expect(item.status).toBe('PASS');
  });
});

// ------------------------------------------------------------------------------------------------
// The investigation sample (investigate/result.ts InvestigationRun).

const sampleItem = (items: EvidenceItem[]) => items.find((i) => i.controlId === 'period.investigation-sample')!;
const sampleWindow = { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-02T00:00:00Z') };

/** Judges `run` (written to a file) with Athena answering `executions` (by default the run's own, genuine). */
async function judgeSample(run: ReturnType<typeof sampleRun>, executions = [executionOf(run)]) {
  mocks.push(mockExecutions(...executions));
  return sampleItem(await runSample(writeSample(run)));
}
const runSample = (file: string) => run(investigationSampleTasks, { investigationSample: file });

describe('period.investigation-sample', () => {
  test('healthy: a genuine sample whose window lies in the period PASSes, checked against Athena, with its query, window, bytes and rows (long tables cut, counted)', async () => {
    const sample = sampleRun(sampleWindow, 120);
    // The window is in the SQL Athena records; GetQueryExecution returns no ExecutionParameters
    // ("The list of parameters is not returned in the response": API_QueryExecution.html).
    expect(sample.queryString).toContain("day BETWEEN '2026/02/01' AND '2026/02/02'");
    expect(executionOf(sample).ExecutionParameters).toBeUndefined();
    const athena = mockExecutions(executionOf(sample));
    mocks.push(athena);
    const item = sampleItem(await runSample(writeSample(sample)));
    expect(item.status).toBe('PASS');
    expect(item.reason).toBe('root-activity: 120 row(s) over 2026-02-01T00:00:00.000Z to 2026-02-02T00:00:00.000Z, 52428800 bytes scanned (query a1b2c3d4-5678-90ab-cdef-EXAMPLE11111, as Athena recorded it, rows counted by Athena too)');
    expect(item.details!.sample).toMatchObject({ rowCount: 120, rowsShown: 50, dataScannedBytes: 52428800 });
    expect(item.details!.athena).toEqual({ found: true, state: 'SUCCEEDED', workGroup: 'acme-soc2-investigations', database: 'acme_soc2_investigations', dataScannedInBytes: 52428800, completedAt: sample.completedAt, outputRows: 120 });
    // GetQueryExecution in the audit account's home Region, by the file's id.
    expect(athena.commandCalls(GetQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([{ QueryExecutionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' }]);
    expect(item.accountId).toBe(audit);
    expect(item.region).toBe(home);
  });

  test('forged: SQL that is not the catalog\'s (SELECT 1), even as Athena ran it, FAILs', async () => {
    const forged = sampleRun(sampleWindow, 3, { queryString: 'SELECT 1', executionParameters: [] });
    const item = await judgeSample(forged);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/its queryString is not the catalog's SQL of root-activity for this config/);
  });

  test('forged: a file with the catalog SQL whose execution ran other SQL (SELECT 1) FAILs', async () => {
    const sample = sampleRun(sampleWindow);
    const item = await judgeSample(sample, [executionOf(sample, { Query: 'SELECT 1' })]);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/the SQL Athena ran \(Query\) is not the catalog's SQL with the file's window 2026-02-01T00:00:00.000Z to 2026-02-02T00:00:00.000Z and parameters written in$/);
  });

  test('forged: an execution that ran the catalog SQL edited (one condition dropped) FAILs', async () => {
    const sample = sampleRun(sampleWindow);
    const edited = sample.queryString.replace(/\n\s*AND from_iso8601_timestamp\(eventtime\) < [^\n]*/, '');
    expect(edited).not.toBe(sample.queryString);
    const item = await judgeSample(sample, [executionOf(sample, { Query: edited })]);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/the SQL Athena ran \(Query\) is not the catalog's SQL with the file's window/);
  });

  test('forged: an execution in another workgroup FAILs', async () => {
    const sample = sampleRun(sampleWindow);
    const item = await judgeSample(sample, [executionOf(sample, { WorkGroup: 'primary' })]);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/Athena ran it in the workgroup primary, not acme-soc2-investigations/);
  });

  test('forged: a window edited into the period, while the query ran over other days, FAILs', async () => {
    const ran = sampleRun({ from: new Date('2025-11-01T00:00:00Z'), to: new Date('2025-11-02T00:00:00Z') });
    const edited = { ...ran, window: { from: sampleWindow.from.toISOString(), to: sampleWindow.to.toISOString() } };
    const item = await judgeSample(edited, [executionOf(ran)]);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/its queryString is not the catalog's SQL of root-activity for this config with its window 2026-02-01T00:00:00.000Z to 2026-02-02T00:00:00.000Z/);
  });

  test("forged: a window edited into the period with the file's SQL to match, while Athena ran the query over other days, FAILs on Athena's Query", async () => {
    const ran = sampleRun({ from: new Date('2025-11-01T00:00:00Z'), to: new Date('2025-11-02T00:00:00Z') });
    // The file holds together (its SQL is the catalog's for the edited window); only Athena's record tells.
    const edited = sampleRun(sampleWindow);
    const item = await judgeSample(edited, [executionOf(edited, { Query: ran.queryString })]);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/the SQL Athena ran \(Query\) is not the catalog's SQL with the file's window 2026-02-01T00:00:00.000Z to 2026-02-02T00:00:00.000Z/);
  });

  test('forged: bytes scanned, state or completion time that differ from Athena\'s FAIL, each named', async () => {
    const sample = sampleRun(sampleWindow);
    const item = await judgeSample(sample, [executionOf(sample, { Statistics: { DataScannedInBytes: 10 }, Status: { State: 'FAILED', CompletionDateTime: new Date('2026-02-03T00:00:00Z') } })]);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/Athena records its state as FAILED, not SUCCEEDED; .*Athena's Statistics\.DataScannedInBytes is 10, the file says 52428800; Athena's Status\.CompletionDateTime is 2026-02-03T00:00:00\.000Z/);
  });

  // QueryRuntimeStatistics.Rows.OutputRows: "The number of rows returned by the query"
  // (https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryRuntimeStatisticsRows.html).
  test('forged: a row deleted from a genuine sample FAILs on Athena\'s OutputRows; a row added too', async () => {
    const sample = sampleRun(sampleWindow, 5);
    const deleted = { ...sample, rows: sample.rows.filter((_, i) => i !== 2) };
    const item = await judgeSample(deleted, [executionOf(sample)]);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/Athena's QueryRuntimeStatistics\.Rows\.OutputRows is 5, the file holds 4 row\(s\): rows were removed or added$/);
    const added = { ...sample, rows: [...sample.rows, sample.rows[0]] };
    expect((await judgeSample(added, [executionOf(sample)])).status).toBe('FAIL');
  });

  // "updated asynchronously and may not be available immediately after a query completes"
  // (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryRuntimeStatistics.html).
  test('unverifiable: runtime statistics without Rows (not yet available) are ERROR, not PASS', async () => {
    const sample = sampleRun(sampleWindow);
    const item = await judgeSample(sample, [withOutputRows(executionOf(sample), undefined)]);
    expect(item.status).toBe('ERROR');
    expect(item.reason).toMatch(/has no Rows\.OutputRows .*cannot be counted against Athena's/);
  });

  test('unverifiable: an execution id Athena does not know (its history keeps 45 days) is ERROR, not PASS', async () => {
    const item = await judgeSample(sampleRun(sampleWindow), []);
    expect(item.status).toBe('ERROR');
    expect(item.reason).toMatch(/is unverifiable: Athena has no query execution a1b2c3d4-5678-90ab-cdef-EXAMPLE11111 in \d{12} us-east-1 .*it keeps a query history for 45 days/);
  });

  test('a file of a run that sent execution parameters (its SQL with ? markers) FAILs: Athena does not return them, so its window cannot be checked', async () => {
    const sample = sampleRun(sampleWindow);
    const old = { ...sample, queryString: sample.queryString.replace(/'[^']*'/g, '?'), executionParameters: ["'2026/02/01'", "'2026/02/02'", "'2026-02-01T00:00:00.000Z'", "'2026-02-02T00:00:00.000Z'"] };
    const item = await judgeSample(old, [executionOf(old)]);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/its executionParameters are not empty \(4\): baseline investigate writes every value into the SQL/);
  });

  test('forged: parameters root-activity does not take (a window value among them) FAIL', async () => {
    const sample = sampleRun(sampleWindow, 3, { parameters: { to_day: '2026/03/01' } });
    const item = await judgeSample(sample);
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/its parameters to_day are not parameters of root-activity/);
  });

  test('broken: a sample whose window lies outside the period FAILs, naming why (Athena is not asked)', async () => {
    const athena = mockExecutions();
    mocks.push(athena);
    const file = writeSample(sampleRun({ from: new Date('2025-11-01T00:00:00Z'), to: new Date('2025-11-02T00:00:00Z') }));
    const item = sampleItem(await runSample(file));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/its window 2025-11-01T00:00:00.000Z to 2025-11-02T00:00:00.000Z lies outside the period 2026-01-01T00:00:00.000Z to 2026-03-02T12:00:00.000Z/);
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(0);
  });

  test('broken: no sample FAILs, saying none was given', async () => {
    const item = sampleItem(await run(investigationSampleTasks));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/^no investigation sample given \(--investigation-sample FILE/);
  });

  test('a file that is not an investigation run FAILs, naming the fields', async () => {
    const item = sampleItem(await run(investigationSampleTasks, { investigationSample: writeSample({ version: 2, rows: 'x' }) }));
    expect(item.status).toBe('FAIL');
    expect(item.reason).toMatch(/version is 2, not 1; investigation is not a string.*rows is not a list of rows/);
  });
});

// ------------------------------------------------------------------------------------------------

test('the binder shows the period at the top and each period section, rendered by headless Chromium', async () => {
  const t = new Date('2026-02-10T03:00:00Z');
  mockAlarms([stateUpdate(t, 'OK', 'ALARM'), action(t, true), stateUpdate(new Date(t.getTime() + 3 * DAY), 'ALARM', 'OK')]);
  mockFindings({ hub: [asff('gd-1', 'GuardDuty', 'HIGH', created, 'NEW')], gd: [{ id: 'gd-1', createdAt: created }] });
  mockCompliance([]);
  const sample = sampleRun({ from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-02T00:00:00Z') }, 120);
  mocks.push(mockExecutions(executionOf(sample)));
  const file = writeSample(sample);
  const { ctx } = createContext({ config, now: () => NOW, from: FROM, regions: [home], accounts: [management, audit], validateLogsSince: false, investigationSample: file, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
  await runTasks(ctx, [...periodAlarmTasks(ctx), ...periodFindingTasks(ctx), ...periodConfigTasks(ctx, [[management, home]]), ...investigationSampleTasks(ctx)], 4);
  const result: EvidenceResult = {
    run: {
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      collectedBy: 'arn:aws:sts::999999999999:assumed-role/auditor/x',
      organizationId: config.organization.id,
      accounts: [management, audit],
      regions: [home],
      roleName: 'soc2-evidence-reader',
      sinceDays: 90,
      period: { from: FROM.toISOString(), to: NOW.toISOString() },
      triage: { ...config.alerts.triage },
      logValidation: { skipped: 'skipped' },
      exceptions: [],
    },
    items: [...ctx.items].sort((a, b) => a.id.localeCompare(b.id)),
    raw: new Map([...ctx.raw].filter(([, r]) => r.collectedAt !== '')),
  };
  const dir = mkdtempSync(join(tmpdir(), 'binder-period-'));
  writeBinder(result, dir);
  const dom = await dumpDom(join(dir, 'index.html'));
  // The period, prominently, before the summary.
  const banner = dom.indexOf('class="period-banner"');
  expect(banner).toBeGreaterThan(0);
  expect(banner).toBeLessThan(dom.indexOf('id="summary"'));
  expect(dom).toContain('<span class="period-range">2026-01-01T00:00:00.000Z to 2026-03-02T12:00:00.000Z</span>');
  // Every period section, each with the period.
  for (const id of ['period.alarm-response', 'period.finding-triage', 'period.config-compliance', 'period.investigation-sample']) {
    expect(dom).toContain(`id="period-${id}"`);
  }
  expect(dom.match(/<p class="period-line">Period: <strong>2026-01-01T00:00:00.000Z to 2026-03-02T12:00:00.000Z<\/strong><\/p>/g)).toHaveLength(4);
  // What happened: the stuck alarm, the untriaged finding, the sample's rows cut with a count.
  expect(dom).toContain('OK → <strong>ALARM</strong>');
  expect(dom).toContain(`Alarm history record <code>${recordGroup}</code> (account ${audit}, ${home}): covers from`);
  expect(dom).toMatch(/was stuck in ALARM for 72 hours/);
  expect(dom).toContain('Entries into ALARM: notified? (a successful action on each of the alarm');
  expect(dom).toMatch(/is still NEW after 708 hours/);
  expect(dom).toContain('Result rows (120)');
  expect(dom).toContain('70 more row(s) in the sample file, not shown.');
  expect(dom).toContain(`<h2 id="period">The audit period: 2026-01-01T00:00:00.000Z to 2026-03-02T12:00:00.000Z</h2>`);
  const json = JSON.parse(readFileSync(join(dir, 'items.json'), 'utf8'));
  expect(json.run.period).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-03-02T12:00:00.000Z' });
}, 90_000);
