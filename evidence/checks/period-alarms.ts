/**
 * The audit period's alarm section: for every alarm of the baseline (the CIS set and its companions on
 * each trail log group, checks/cloudwatch.ts; the route's watchdogs, checks/route-watchdogs.ts), its
 * state changes in the period, whether each entry into ALARM notified the topics the baseline gives it
 * (and nothing else), whether the alarm was changed, and whether it stayed in ALARM.
 *
 * DescribeAlarmHistory (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html):
 * read one alarm at a time (`AlarmName`), so that other alarms of the account cannot fill the
 * --max-findings budget; StartDate/EndDate bound it, ScanBy TimestampAscending, MaxRecords up to 100,
 * NextToken pages; "CloudWatch retains the history of an alarm even if you delete the alarm".
 * AlarmHistoryItem (API_AlarmHistoryItem.html) has AlarmName, Timestamp, HistoryItemType
 * (ConfigurationUpdate | StateUpdate | Action), HistorySummary and HistoryData, "Data about the alarm,
 * in JSON format". A StateUpdate's HistoryData is `{"version":"1.0","oldState":{"stateValue":...,
 * "stateReason":...},"newState":{...}}` (the AWS CLI's describe-alarm-history example, aws-cli
 * awscli/examples/cloudwatch/describe-alarm-history.rst). Not in the API reference (docs/evidence.md,
 * Unverified): an Action's HistoryData carries `actionState` (Succeeded | Failed) and
 * `notificationResource`, its summary reads "Successfully executed action <arn>" or "Failed to execute
 * action <arn>" (a failure is recognised by either); a ConfigurationUpdate's carries `type` (Create |
 * Update | Delete) with `createdAlarm`, `updatedAlarm` or `deletedAlarm`, its summary `Alarm "<name>"
 * created|updated|deleted`. A ConfigurationUpdate fails the item, except a new alarm's creation
 * (`newAlarmCreation`): only a `Create` read from either can pass, any other shape fails.
 *
 * CloudWatch keeps that history a short time (`ALARM_HISTORY_DAYS`), so the state changes of the
 * period come from the baseline's durable record too: the log group `/<prefix>/alarm-history` in the
 * audit account's home Region (modules/alerting/alarm-history.ts), where EventBridge writes every
 * "CloudWatch Alarm State Change" event of the baseline's alarms, whole, as a log event (CloudWatch User
 * Guide, "Alarm events and EventBridge": detail.alarmName, detail.state and detail.previousState, each
 * with value, reason and timestamp: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 * It is read with FilterLogEvents (API_FilterLogEvents.html: startTime and endTime in epoch
 * milliseconds, a JSON filter pattern, pages by nextToken, "can return empty results while there are
 * more log events available through the token"), once per collection for every account (grouped by
 * the event's `account` in memory), and its coverage with DescribeLogGroups (API_LogGroup.html:
 * creationTime in epoch milliseconds, retentionInDays): the
 * record covers the period only if the group existed at the period's start and still keeps events
 * that old. The two sources' state changes are merged (one change seen by both counts once); the
 * actions (notifications) and configuration changes come from DescribeAlarmHistory alone. Inside
 * CloudWatch's history window the history is authoritative: a change it has and the record lacks is a
 * gap in the record, a change only the record has was written by someone other than EventBridge.
 */
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, type AlarmHistoryItem, type DescribeAlarmHistoryOutput, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { alarmHistoryLogGroupName, alarmHistoryRuleNames, alertTopicName, alarmEventBusName, centralAlarmRuleName, PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { breakGlassUsageFilter, CIS_METRIC_FILTERS, guardrailRoleChangeFilter, ROUTE_TAMPERING_ALARM_ID } from '../../modules/cis-monitoring/cis-metric-filters';
import { shared, Task, type CollectContext } from '../context';
import { hoursBetween } from '../period/period';
import { DOC } from '../sources';
import { cisTargets, type CisTarget } from './cloudwatch';
import { accountWatchdogAlarms, auditWatchdogAlarms } from './route-watchdogs';

export const PERIOD_ALARM_CONTROL = 'period.alarm-response';

/**
 * How long CloudWatch keeps alarm history, days: the part of a longer period before it reads as empty.
 * The CloudWatch User Guide's alarm page says 30 days (the legacy CLI reference said two weeks);
 * docs/evidence.md lists it under Unverified.
 */
export const ALARM_HISTORY_DAYS = 30;

/**
 * How long after entering ALARM the Action history item of each of its actions may come: 5 minutes.
 * AWS documents no delay between an alarm's state change and its actions (docs/evidence.md,
 * Unverified); the actions run on the transition, so minutes are generous, and an Action that late is
 * not counted as this entry's notification.
 */
export const NOTIFY_WITHIN_MS = 5 * 60_000;

/** One alarm of the baseline, and the actions the baseline gives it (MetricAlarm.AlarmActions as deployed). */
export interface BaselineAlarm {
  readonly name: string;
  /** The topics its AlarmActions are: each entry into ALARM must notify each, and nothing else. */
  readonly actions: readonly string[];
  /**
   * Its state changes reach the record through the audit account's default bus (the route watchdogs
   * of the audit account, which are not forwarded), not the central alarm bus. @default false
   */
  readonly local?: boolean;
}

/** The alarm names of one CIS target (its log group's filters' alarms), as checks/cloudwatch.ts names them. */
function targetAlarmNames(target: CisTarget): string[] {
  const p = target.namePrefix;
  return [
    ...CIS_METRIC_FILTERS.map((f) => `${p}-${f.id}`),
    `${p}-console-signin-outside-business-hours`,
    ...(target.breakGlassRoleName ? [`${p}-${breakGlassUsageFilter(target.breakGlassRoleName).id}`] : []),
    ...(target.guardrailRoleNames ? [`${p}-${guardrailRoleChangeFilter(target.guardrailRoleNames).id}`] : []),
    ...(target.alertRouteTampering ? [`${p}-${ROUTE_TAMPERING_ALARM_ID}`] : []),
  ];
}

/**
 * Every alarm of the baseline in each selected account (home Region), by account, with its actions:
 * the CIS alarms act on the account's alert topic (as checks/cloudwatch.ts expects), the watchdogs on
 * the topics checks/route-watchdogs.ts expects.
 */
export function baselineAlarms(config: BaselineConfig, accounts: readonly string[]): Map<string, BaselineAlarm[]> {
  const byAccount = new Map<string, Map<string, BaselineAlarm>>();
  const add = (account: string, alarms: readonly BaselineAlarm[]) => {
    const m = byAccount.get(account) ?? new Map<string, BaselineAlarm>();
    for (const a of alarms) m.set(a.name, a);
    byAccount.set(account, m);
  };
  for (const target of cisTargets(config, accounts)) {
    const topic = `arn:${PARTITION}:sns:${config.regions.home}:${target.accountId}:${alertTopicName(config)}`;
    add(target.accountId, targetAlarmNames(target).map((name) => ({ name, actions: [topic] })));
    add(target.accountId, accountWatchdogAlarms(config, target.accountId, target.namePrefix));
  }
  add(config.organization.auditAccountId, auditWatchdogAlarms(config).map((a) => ({ ...a, local: true })));
  return new Map([...byAccount].map(([account, m]) => [account, [...m.values()].sort((a, b) => a.name.localeCompare(b.name))]));
}

export interface StateChange {
  readonly at: string;
  readonly from: string;
  readonly to: string;
  readonly reason?: string;
  /** Where it was read: CloudWatch's alarm history, the durable record (the log group), or both. */
  readonly seenIn?: 'history' | 'record' | 'both';
}

/** How much of the period the durable record covers. */
export interface RecordCoverage {
  readonly logGroup: string;
  readonly accountId: string;
  readonly region: string;
  readonly exists: boolean;
  /** LogGroup.creationTime. */
  readonly createdAt?: string;
  /** LogGroup.retentionInDays; absent: never expire. */
  readonly retentionDays?: number;
  readonly kmsKeyId?: string;
  /** The oldest moment the record can hold now: its creation, or now minus its retention, the later. */
  readonly coversFrom?: string;
  /** The alarm state change events of this account read from it in the period. */
  readonly events: number;
}

/** Two sightings of one state change (CloudWatch's history item and the event) are at most this far apart. */
const SAME_CHANGE_MS = 60_000;

/** `2019-10-01T13:56:40.987+0000`, as the alarm event writes it (the example on the CloudWatch page), to ISO 8601. */
function eventTime(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const d = new Date(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The state changes in the record's log events, by account (the event's `account`) and alarm: each
 * message is one "CloudWatch Alarm State Change" event; the change's time is detail.state.timestamp
 * (the event's `time`, to the second, when absent). Messages that are not such events are skipped.
 */
export function recordedChanges(events: readonly FilteredLogEvent[]): Map<string, Map<string, StateChange[]>> {
  const byAccount = new Map<string, Map<string, StateChange[]>>();
  for (const e of events) {
    const event = parseJson(e.message) as { 'detail-type'?: unknown; account?: unknown; time?: unknown; detail?: { alarmName?: unknown; state?: Record<string, unknown>; previousState?: Record<string, unknown> } };
    const d = event.detail;
    if (event['detail-type'] !== 'CloudWatch Alarm State Change' || typeof event.account !== 'string' || typeof d?.alarmName !== 'string' || typeof d.state?.value !== 'string') continue;
    const at = eventTime(d.state.timestamp) ?? eventTime(event.time) ?? (e.timestamp !== undefined ? new Date(e.timestamp) : undefined);
    if (!at) continue;
    const change: StateChange = {
      at: at.toISOString(),
      from: typeof d.previousState?.value === 'string' ? d.previousState.value : '?',
      to: d.state.value,
      ...(typeof d.state.reason === 'string' ? { reason: d.state.reason.slice(0, 300) } : {}),
      seenIn: 'record',
    };
    const byAlarm = byAccount.get(event.account) ?? new Map<string, StateChange[]>();
    byAlarm.set(d.alarmName, [...(byAlarm.get(d.alarmName) ?? []), change]);
    byAccount.set(event.account, byAlarm);
  }
  return byAccount;
}

/** The changes of both sources, in time order, one change seen by both once. */
function mergeChanges(history: readonly StateChange[], recorded: readonly StateChange[]): StateChange[] {
  const merged: StateChange[] = history.map((c) => ({ ...c, seenIn: 'history' as const }));
  for (const r of recorded) {
    const t = new Date(r.at).getTime();
    const i = merged.findIndex((h) => h.seenIn === 'history' && h.from === r.from && h.to === r.to && Math.abs(new Date(h.at).getTime() - t) <= SAME_CHANGE_MS);
    if (i >= 0) merged[i] = { ...merged[i], seenIn: 'both' };
    else merged.push(r);
  }
  return merged.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}

export interface Notification {
  readonly at: string;
  readonly target: string;
  readonly result: 'Succeeded' | 'Failed';
  readonly summary: string;
}

/** A change to the alarm itself: a ConfigurationUpdate history item. */
export interface ConfigChange {
  readonly at: string;
  /** HistoryData.type, or read from the summary: Create, Update, Delete; `?` when neither says. */
  readonly kind: 'Create' | 'Update' | 'Delete' | '?';
  readonly summary: string;
  /** The creation of a new alarm (`newAlarmCreation`): listed, not a failure. @default false */
  readonly newAlarm?: boolean;
}

/**
 * What is known of the notification of one entry into ALARM:
 * - `notified`: a Succeeded Action on every expected topic within NOTIFY_WITHIN_MS;
 * - `not-notified`: CloudWatch's history covers the entry and lacks (or failed) one of them;
 * - `reached-central-bus`: older than CloudWatch's history, known from the record alone, which the
 *   central alarm bus's rule wrote: the event reached the bus whose other rule publishes entries into
 *   ALARM to the central topic. The alarm's own action on its topic cannot be verified;
 * - `unverifiable`: older than CloudWatch's history, and the record was written from the audit
 *   account's default bus (its own watchdogs): nothing shows it was routed or notified.
 */
export type NotificationVerdict = 'notified' | 'not-notified' | 'reached-central-bus' | 'unverifiable';

export interface AlarmEntry {
  readonly at: string;
  readonly seenIn: 'history' | 'record' | 'both';
  readonly notification: NotificationVerdict;
  /** The expected topics no Succeeded Action reached within NOTIFY_WITHIN_MS (`not-notified`). */
  readonly missing: readonly string[];
}

export interface AlarmEpisode {
  readonly start: string;
  /** When the alarm left ALARM; absent while it is still in ALARM at the period's end. */
  readonly end?: string;
  readonly hours: number;
}

export interface AlarmPeriod {
  readonly name: string;
  /** The state at collection (DescribeAlarms), or MISSING. */
  readonly stateNow: string;
  /** MetricAlarm.ActionsEnabled now; absent when the alarm is missing. */
  readonly actionsEnabledNow?: boolean;
  /** The topics the baseline gives it: each entry into ALARM must notify each. */
  readonly expectedActions: readonly string[];
  /** Where its notifications go now: MetricAlarm.AlarmActions (entering ALARM) and OKActions. */
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly changes: readonly StateChange[];
  readonly entries: readonly AlarmEntry[];
  readonly notifications: readonly Notification[];
  readonly configChanges: readonly ConfigChange[];
  readonly episodes: readonly AlarmEpisode[];
}

const parseJson = (text: string | undefined): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(text ?? '{}');
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const stateOf = (data: Record<string, unknown>, key: 'oldState' | 'newState'): string | undefined => {
  const s = data[key] as { stateValue?: unknown } | undefined;
  return typeof s?.stateValue === 'string' ? s.stateValue : undefined;
};

function configKind(data: Record<string, unknown>, summary: string): ConfigChange['kind'] {
  if (data.type === 'Create' || data.type === 'Update' || data.type === 'Delete') return data.type;
  const word = /\b(created|updated|deleted)\b/i.exec(summary)?.[1]?.toLowerCase();
  return word === 'created' ? 'Create' : word === 'deleted' ? 'Delete' : word === 'updated' ? 'Update' : '?';
}

/** What `alarmPeriod` needs beyond the history: where CloudWatch's history starts. */
export interface AlarmPeriodOptions {
  /** The oldest moment CloudWatch's alarm history still holds (now minus ALARM_HISTORY_DAYS). */
  readonly historyFrom: Date;
}

/**
 * One alarm's period from its history items (any order), its state now and the record's changes: the
 * state changes, each entry into ALARM with its notification, the notifications, the configuration
 * changes, and each stay in ALARM (an episode), which starts when the alarm entered ALARM (or the
 * period's start, when it was in ALARM already) and ends when it left ALARM (or the period's end).
 */
export function alarmPeriod(
  expected: BaselineAlarm,
  items: readonly AlarmHistoryItem[],
  alarm: MetricAlarm | undefined,
  period: { from: Date; to: Date },
  recorded: readonly StateChange[] = [],
  options: AlarmPeriodOptions = { historyFrom: period.from },
): AlarmPeriod {
  const inPeriod = (t: Date) => t >= period.from && t <= period.to;
  const sorted = [...items].filter((i) => i.Timestamp).sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
  const fromHistory: StateChange[] = [];
  const allNotifications: Notification[] = [];
  const configChanges: ConfigChange[] = [];
  for (const item of sorted) {
    const data = parseJson(item.HistoryData);
    const at = item.Timestamp!.toISOString();
    const summary = item.HistorySummary ?? '';
    if (item.HistoryItemType === 'StateUpdate' && inPeriod(item.Timestamp!)) {
      const newState = data.newState as { stateReason?: unknown } | undefined;
      fromHistory.push({
        at,
        from: stateOf(data, 'oldState') ?? '?',
        to: stateOf(data, 'newState') ?? '?',
        ...(typeof newState?.stateReason === 'string' ? { reason: newState.stateReason.slice(0, 300) } : {}),
      });
    } else if (item.HistoryItemType === 'Action') {
      // Read up to NOTIFY_WITHIN_MS past the period: the notification of an entry just before its end.
      const failed = data.actionState === 'Failed' || /^Failed/i.test(summary);
      const target = typeof data.notificationResource === 'string' ? data.notificationResource : (/(arn:\S+?)(?:[.,;]?\s|[.,;]?$)/.exec(summary)?.[1] ?? '?');
      allNotifications.push({ at, target, result: failed ? 'Failed' : 'Succeeded', summary: summary.slice(0, 300) });
    } else if (item.HistoryItemType === 'ConfigurationUpdate' && inPeriod(item.Timestamp!)) {
      configChanges.push({ at, kind: configKind(data, summary), summary: summary.slice(0, 300) });
    }
  }
  const changes = mergeChanges(fromHistory, recorded.filter((c) => inPeriod(new Date(c.at))));

  // Each entry into ALARM, and the notification CloudWatch's history shows for it.
  const entries: AlarmEntry[] = changes
    .filter((c) => c.to === 'ALARM')
    .map((c) => {
      const at = new Date(c.at);
      const seenIn = c.seenIn ?? 'history';
      if (seenIn === 'record' && at < options.historyFrom) {
        return { at: c.at, seenIn, notification: expected.local ? 'unverifiable' : 'reached-central-bus', missing: [] };
      }
      const sent = allNotifications.filter((n) => n.result === 'Succeeded' && new Date(n.at).getTime() >= at.getTime() - SAME_CHANGE_MS && new Date(n.at).getTime() <= at.getTime() + NOTIFY_WITHIN_MS);
      const missing = expected.actions.filter((t) => !sent.some((n) => n.target === t));
      return { at: c.at, seenIn, notification: missing.length ? 'not-notified' : 'notified', missing };
    });

  // The state at the period's start: what the first change left, or (no change in the period) the state now.
  const initial = changes.length ? changes[0].from : (alarm?.StateValue ?? 'MISSING');
  const episodes: AlarmEpisode[] = [];
  let open: Date | undefined;
  if (initial === 'ALARM') {
    // In ALARM with no change in the period: since its last transition, MetricAlarm.StateTransitionedTimestamp
    // ("The date and time that the alarm's StateValue most recently changed"; StateUpdatedTimestamp also
    // moves when only the EvaluationState changes: API_MetricAlarm.html), unless that lies after the
    // period (it entered ALARM later: nothing of it belongs to the period). Absent: the period's start.
    const since = !changes.length ? (alarm?.StateTransitionedTimestamp ?? period.from) : period.from;
    if (since < period.to) open = since;
  }
  for (const c of changes) {
    const at = new Date(c.at);
    if (c.to === 'ALARM' && !open) open = at;
    else if (c.to !== 'ALARM' && open) {
      episodes.push({ start: open.toISOString(), end: c.at, hours: hoursBetween(open, at) });
      open = undefined;
    }
  }
  if (open) episodes.push({ start: open.toISOString(), hours: hoursBetween(open, period.to) });
  const created = newAlarmCreation(expected, sorted.filter((i) => inPeriod(i.Timestamp!)), recorded.filter((c) => inPeriod(new Date(c.at))), alarm);
  if (created) configChanges[0] = { ...configChanges[0], newAlarm: true };
  const notifiesAnEntry = (n: Notification) => entries.some((e) => new Date(n.at).getTime() - new Date(e.at).getTime() >= -SAME_CHANGE_MS && new Date(n.at).getTime() - new Date(e.at).getTime() <= NOTIFY_WITHIN_MS);
  return {
    name: expected.name,
    stateNow: alarm?.StateValue ?? 'MISSING',
    ...(alarm ? { actionsEnabledNow: alarm.ActionsEnabled === true } : {}),
    expectedActions: [...expected.actions],
    alarmActions: [...(alarm?.AlarmActions ?? [])],
    okActions: [...(alarm?.OKActions ?? [])],
    changes,
    entries,
    // The period's actions, and those just past its end that notify an entry of the period.
    notifications: allNotifications.filter((n) => inPeriod(new Date(n.at)) || notifiesAnEntry(n)),
    configChanges,
    episodes,
  };
}

/**
 * Whether the alarm was new in the period (a vended account's, or one a baseline release added) rather
 * than changed: its first history item in the period is a `Create` (so no `Delete` precedes it, and no
 * state change or action shows it existed before), the record has no state change of it before that,
 * and it has the baseline's configuration now (AlarmActions the baseline's topics, ActionsEnabled true).
 * A Delete and a Create in the period (deleted and re-created), or a Create followed by any other change,
 * still fail: the later items are not the creation.
 */
function newAlarmCreation(expected: BaselineAlarm, inPeriod: readonly AlarmHistoryItem[], recorded: readonly StateChange[], alarm: MetricAlarm | undefined): boolean {
  const first = inPeriod[0];
  if (!first || first.HistoryItemType !== 'ConfigurationUpdate' || configKind(parseJson(first.HistoryData), first.HistorySummary ?? '') !== 'Create') return false;
  if (recorded.some((c) => new Date(c.at) < first.Timestamp!)) return false;
  const actions = new Set(alarm?.AlarmActions ?? []);
  return alarm?.ActionsEnabled === true && actions.size === expected.actions.length && expected.actions.every((t) => actions.has(t));
}

/**
 * What fails an alarm's period: the alarm missing now or its actions disabled now; any change to it in
 * the period (ConfigurationUpdate) but a new alarm's creation; an entry into ALARM that CloudWatch's history covers without a
 * Succeeded Action on each of its topics; an action on anything but its topics; a failed action; a
 * stay in ALARM longer than the acknowledgement window (stuck, whether or not anyone acted).
 */
export function alarmPeriodProblems(a: AlarmPeriod, ackHours: number): string[] {
  const expected = new Set(a.expectedActions);
  const created = a.configChanges.some((c) => c.kind === 'Create');
  const deleted = a.configChanges.some((c) => c.kind === 'Delete');
  return [
    ...(a.stateNow === 'MISSING' ? [`no alarm ${a.name}: MISSING now (DescribeAlarms does not return it)`] : []),
    ...(a.actionsEnabledNow === false ? [`alarm ${a.name} has its actions disabled now (ActionsEnabled false): it notifies nobody`] : []),
    ...(a.configChanges.some((c) => !c.newAlarm)
      ? [
          `a baseline alarm was changed in the period: ${a.name}${deleted && created ? ' was deleted and re-created' : ''} (${a.configChanges.map((c) => `${c.kind === '?' ? 'changed' : c.kind} at ${c.at}: ${c.summary}`).join('; ')}): check it was the pipeline (baseline investigate logging-changes over those times)`,
        ]
      : []),
    ...a.entries
      .filter((e) => e.notification === 'not-notified')
      .map((e) => `alarm ${a.name} entered ALARM at ${e.at} and did not notify ${e.missing.join(', ')} (no successful Action history item within ${NOTIFY_WITHIN_MS / 60_000} minutes)`),
    ...a.notifications.filter((n) => !expected.has(n.target)).map((n) => `alarm ${a.name} executed an action on ${n.target} at ${n.at}, which is not its topic (${a.expectedActions.join(', ')})`),
    ...a.notifications.filter((n) => n.result === 'Failed').map((n) => `alarm ${a.name} failed to execute its action on ${n.target} at ${n.at}: ${n.summary}`),
    ...a.episodes
      .filter((e) => e.hours > ackHours)
      .map((e) => `alarm ${a.name} was stuck in ALARM for ${e.hours} hours from ${e.start}${e.end ? ` to ${e.end}` : ', still at the end of the period'}: longer than alerts.triage.alarmAcknowledgeHours (${ackHours})`),
  ];
}

/**
 * The record's gaps: a state change CloudWatch's history holds (in the period, older than a few
 * minutes) that the record lacks. The record is written by the alarm history rules; a change missing
 * from it means a rule (or the account's forwarding rule) was disabled, changed or failing then.
 */
export function recordGaps(a: AlarmPeriod, now: Date): string[] {
  return a.changes
    .filter((c) => c.seenIn === 'history' && now.getTime() - new Date(c.at).getTime() > NOTIFY_WITHIN_MS)
    .map((c) => `alarm ${a.name}'s change ${c.from} → ${c.to} at ${c.at} is in CloudWatch's alarm history but not in the alarm history record: the record's rules (or the account's forwarding rule) missed it`);
}

/** The accounts the alarm section judges (the selected ones, and the audit account's watchdogs), with their alarms. */
function periodAlarmAccounts(ctx: CollectContext): Map<string, BaselineAlarm[]> {
  const { config } = ctx;
  return new Map([...baselineAlarms(config, ctx.settings.accounts)].filter(([account]) => account === config.organization.auditAccountId || ctx.settings.accounts.includes(account)));
}

/**
 * How far inside CloudWatch's history window a record-only change must lie to be judged a forgery: one
 * day, since ALARM_HISTORY_DAYS is documented in days, not to the hour (docs/evidence.md, Unverified).
 */
const HISTORY_EDGE_MS = 86_400_000;

/**
 * The record's forgeries: a state change only the record has, at a time CloudWatch's alarm history still
 * covers (older than a few minutes, a day inside its window). CloudWatch writes every state change to
 * the alarm's history; the record is written by EventBridge from the same change, so a change only in
 * the record was written there by something else (anyone with logs:PutLogEvents on the group).
 */
export function recordOnlyChanges(a: AlarmPeriod, historyFrom: Date, now?: Date): string[] {
  const from = historyFrom.getTime() + HISTORY_EDGE_MS;
  return a.changes
    .filter((c) => c.seenIn === 'record' && new Date(c.at).getTime() >= from && (!now || now.getTime() - new Date(c.at).getTime() > NOTIFY_WITHIN_MS))
    .map((c) => `alarm ${a.name}'s change ${c.from} → ${c.to} at ${c.at} is in the record but not in CloudWatch's alarm history: written by someone other than EventBridge?`);
}

export function periodAlarmTasks(ctx: CollectContext): Task[] {
  const home = ctx.config.regions.home;
  return [...periodAlarmAccounts(ctx)]
    .map(
      ([accountId, alarms]) =>
        new Task(ctx, { label: 'alarm history of the period', accountId, region: home, controls: [PERIOD_ALARM_CONTROL], resource: 'alarms' }, (task) => judgeAlarms(task, alarms)),
    );
}

async function judgeAlarms(task: Task, expected: readonly BaselineAlarm[]): Promise<void> {
  const { period, maxFindings } = task.ctx.settings;
  const { config } = task.ctx;
  const now = task.ctx.now();
  const ackHours = config.alerts.triage.alarmAcknowledgeHours;
  const names = expected.map((a) => a.name);
  const cw = task.client(CloudWatchClient);
  const alarms = new Map<string, MetricAlarm>();
  // DescribeAlarms takes up to 100 AlarmNames (API_DescribeAlarms.html).
  for (let i = 0; i < names.length; i += 100) {
    const AlarmNames = names.slice(i, i + 100);
    const pages = await task.paginate(
      'cloudwatch:DescribeAlarms',
      { AlarmNames },
      (token) => cw.send(new DescribeAlarmsCommand({ AlarmNames, NextToken: token })),
      (p) => p.NextToken,
      { key: `period-alarms${i ? `-${i / 100 + 1}` : ''}` },
    );
    for (const page of pages) for (const a of page.MetricAlarms ?? []) if (a.AlarmName) alarms.set(a.AlarmName, a);
  }
  // One alarm at a time (AlarmName), up to --max-findings items each; read NOTIFY_WITHIN_MS past the
  // period's end (not past now) for the actions of an entry just before it.
  const end = new Date(Math.min(period.to.getTime() + NOTIFY_WITHIN_MS, now.getTime()));
  const maxPages = Math.ceil(maxFindings / 100);
  const history = new Map<string, AlarmHistoryItem[]>();
  const cappedAlarms: string[] = [];
  for (const AlarmName of names) {
    const request = { AlarmName, StartDate: period.from, EndDate: end, MaxRecords: 100, ScanBy: 'TimestampAscending' as const };
    const pages: DescribeAlarmHistoryOutput[] = await task.paginate(
      'cloudwatch:DescribeAlarmHistory',
      { ...request, StartDate: period.from.toISOString(), EndDate: end.toISOString() },
      (token) => cw.send(new DescribeAlarmHistoryCommand({ ...request, NextToken: token })),
      (p) => p.NextToken,
      { key: `period-${AlarmName}` },
      maxPages,
    );
    if (pages.length >= maxPages && pages.at(-1)?.NextToken) cappedAlarms.push(AlarmName);
    history.set(AlarmName, pages.flatMap((p) => p.AlarmHistoryItems ?? []).filter((i) => !i.AlarmName || i.AlarmName === AlarmName));
  }
  const recordRead = await alarmHistoryRecord(task.ctx);
  const mine = recordRead.changes.get(task.accountId) ?? new Map<string, StateChange[]>();
  const record = { coverage: { ...recordRead.coverage, events: [...mine.values()].reduce((n, c) => n + c.length, 0) } satisfies RecordCoverage, changes: mine, capped: recordRead.capped };
  const capped = cappedAlarms.length > 0 || record.capped;
  const historyFrom = new Date(now.getTime() - ALARM_HISTORY_DAYS * 86_400_000);
  const results = expected.map((a) => alarmPeriod(a, history.get(a.name) ?? [], alarms.get(a.name), period, record.changes.get(a.name) ?? [], { historyFrom }));
  const problems = [
    ...recordProblems(record.coverage, period),
    ...results.flatMap((a) => alarmPeriodProblems(a, ackHours)),
    ...(record.coverage.exists && !record.capped ? results.flatMap((a) => recordGaps(a, now)) : []),
    // A capped alarm's history was not read whole: its record-only changes may be in the unread part.
    ...results.filter((a) => !cappedAlarms.includes(a.name)).flatMap((a) => recordOnlyChanges(a, historyFrom, now)),
  ];
  const entries = results.flatMap((a) => a.entries.map((e) => ({ ...e, alarm: a.name })));
  const routedOnly = entries.filter((e) => e.notification === 'reached-central-bus');
  const unverifiable = entries.filter((e) => e.notification === 'unverifiable');
  const active = results.filter((a) => a.changes.length || a.notifications.length || a.episodes.length || a.configChanges.length || a.stateNow === 'MISSING' || a.actionsEnabledNow === false);
  const uncovered =
    period.from < historyFrom
      ? `; CloudWatch keeps alarm history ${ALARM_HISTORY_DAYS} days: the state changes before ${historyFrom.toISOString()} come from the alarm history record ${record.coverage.logGroup} alone, and their notifications and configuration changes are not in any history read here`
      : '';
  const centralRule = `${alarmEventBusName(config)}/${centralAlarmRuleName(config)}`;
  const routedText = routedOnly.length
    ? `; ${routedOnly.length} entr(ies) into ALARM before ${historyFrom.toISOString()} are known from the record alone (${routedOnly.map((e) => `${e.alarm} at ${e.at}`).slice(0, 10).join(', ')}${routedOnly.length > 10 ? ', ...' : ''}): their notification cannot be verified; the record shows only that each reached the central alarm bus (its rule ${alarmHistoryRuleNames(config).central} wrote them there), where the rule ${centralRule} publishes entries into ALARM to the central topic: routed to the central route, not shown delivered`
    : '';
  const created = results.flatMap((a) => a.configChanges.filter((c) => c.newAlarm).map((c) => `${a.name} at ${c.at}`));
  const createdText = created.length
    ? `; ${created.length} alarm(s) created in the period with the baseline's configuration now, new alarms (a vended account, or a baseline release that added them), not changes: ${created.slice(0, 10).join(', ')}${created.length > 10 ? ', ...' : ''}`
    : '';
  const summary = `${names.length} alarm(s) of the baseline; ${active.length} changed state, notified or were changed in the period (${results.reduce((n, a) => n + a.changes.length, 0)} state change(s), ${entries.length} entr(ies) into ALARM, ${results.reduce((n, a) => n + a.notifications.length, 0)} notification(s))`;
  const status = problems.length ? 'FAIL' : capped || unverifiable.length ? 'ERROR' : 'PASS';
  task.item({
    controlId: PERIOD_ALARM_CONTROL,
    title: 'Alarms in the period: each entry into ALARM notified its topics, none changed, none stuck in ALARM',
    status,
    reason: problems.length
      ? problems.join('; ')
      : capped
        ? `more alarm history than --max-findings (${maxFindings}) items${cappedAlarms.length ? ` for ${cappedAlarms.join(', ')} in CloudWatch's alarm history` : ''}${record.capped ? `${cappedAlarms.length ? ';' : ''} more than ${recordRead.budget} events (--max-findings for each of the collection's alarms) in the alarm history record ${record.coverage.logGroup}` : ''}: the rest was not read${uncovered}`
        : unverifiable.length
          ? `${unverifiable.length} entr(ies) into ALARM of the audit account's own watchdogs before ${historyFrom.toISOString()} are known from the record alone (${unverifiable.map((e) => `${e.alarm} at ${e.at}`).slice(0, 10).join(', ')}): the record's rule on the audit account's default bus routes nothing, and CloudWatch's alarm history no longer shows their notification, which is unverifiable${uncovered}`
          : `${summary}; every entry into ALARM that CloudWatch's history covers notified each of its topics within ${NOTIFY_WITHIN_MS / 60_000} minutes, and no action went elsewhere or failed; no baseline alarm was changed, deleted or has its actions disabled${createdText}; none stuck in ALARM longer than ${ackHours} hours; the alarm history record covers the period from ${record.coverage.coversFrom} and has every change CloudWatch's history has${routedText}${uncovered}`,
    sources: [
      DOC.cloudWatch.describeAlarms,
      DOC.cloudWatch.metricAlarm,
      DOC.cloudWatch.describeAlarmHistory,
      DOC.cloudWatch.alarmHistoryItem,
      DOC.cloudWatch.alarmEvents,
      DOC.logs.describeLogGroups,
      DOC.logs.logGroup,
      DOC.logs.filterLogEvents,
    ],
    raw: [...task.rawNames, ...recordRead.raw],
    details: {
      period: { from: period.from.toISOString(), to: period.to.toISOString() },
      alarmAcknowledgeHours: ackHours,
      notifyWithinMinutes: NOTIFY_WITHIN_MS / 60_000,
      alarmCount: names.length,
      capped,
      ...(cappedAlarms.length ? { cappedAlarms } : {}),
      ...(record.capped ? { recordEventsRead: recordRead.eventsRead, recordEventBudget: recordRead.budget } : {}),
      ...(uncovered ? { historyAvailableFrom: historyFrom.toISOString() } : {}),
      record: record.coverage,
      alarms: active,
      quiet: results.filter((a) => !active.includes(a)).map((a) => ({ name: a.name, stateNow: a.stateNow, alarmActions: a.alarmActions })),
    },
  });
}

/** The durable record read once per collection: its coverage, and every account's changes of the period in it. */
export interface AlarmHistoryRecord {
  /** The coverage, without `events` (each account counts its own). */
  readonly coverage: Omit<RecordCoverage, 'events'>;
  /** By account (the event's `account`), then by alarm. */
  readonly changes: Map<string, Map<string, StateChange[]>>;
  /** Events read. */
  readonly eventsRead: number;
  /** The most events read: --max-findings for each alarm of the collection. */
  readonly budget: number;
  /** More events remained (a nextToken) when the budget was reached. */
  readonly capped: boolean;
  /** Its raw records, for every item that judges from it. */
  readonly raw: readonly string[];
}

/**
 * The durable record's coverage and its alarm state change events of the period, read once per
 * collection (in a shared task: one pass however many accounts are judged), in the audit account, home
 * Region, and grouped by account and alarm in memory. FilterLogEvents scans the whole group whatever the
 * filter (a `$.account` filter narrows the results, not the scan), so one pass per account would be a
 * full scan per account. Its pages may be empty with a nextToken (API_FilterLogEvents.html: "A returned
 * page might only be partially full, or even empty ... Partially full or empty pages don't necessarily
 * mean that pagination is finished"), so the read is bounded by the events read, never by pages:
 * --max-findings for each alarm of the collection (`budget`).
 */
export function alarmHistoryRecord(ctx: CollectContext): Promise<AlarmHistoryRecord> {
  const { config } = ctx;
  const audit = config.organization.auditAccountId;
  const home = config.regions.home;
  const { period, maxFindings } = ctx.settings;
  return shared(ctx, 'alarm-history-record', { label: 'alarm history record', accountId: audit, region: home }, async (task) => {
    const logGroupName = alarmHistoryLogGroupName(config);
    const logs = task.client(CloudWatchLogsClient);
    const groups = await task.paginate(
      'logs:DescribeLogGroups',
      { logGroupNamePrefix: logGroupName },
      (token) => logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, nextToken: token })),
      (p) => p.nextToken,
      { key: 'alarm-history-record' },
    );
    const group = groups.flatMap((p) => p.logGroups ?? []).find((g) => g.logGroupName === logGroupName);
    const base = { logGroup: logGroupName, accountId: audit, region: home };
    const alarmCount = [...periodAlarmAccounts(ctx).values()].reduce((n, alarms) => n + alarms.length, 0);
    const budget = maxFindings * Math.max(alarmCount, 1);
    if (!group) return { coverage: { ...base, exists: false }, changes: new Map(), eventsRead: 0, budget, capped: false, raw: [...task.rawNames] };
    const created = group.creationTime !== undefined ? new Date(group.creationTime) : undefined;
    const kept = group.retentionInDays !== undefined ? new Date(ctx.now().getTime() - group.retentionInDays * 86_400_000) : undefined;
    const coversFrom = [created, kept].filter((d): d is Date => !!d).reduce<Date | undefined>((a, b) => (!a || b > a ? b : a), undefined);
    const request = {
      logGroupName,
      startTime: period.from.getTime(),
      endTime: period.to.getTime(),
      // A JSON filter pattern (CloudWatch Logs User Guide, "Filter pattern syntax for metric filters,
      // subscription filters, and filter log events", JSON log events), as the heartbeat filter uses.
      filterPattern: '{ $.detail-type = "CloudWatch Alarm State Change" }',
      // Up to 10,000 events (or 1 MB) a page (API_FilterLogEvents.html, limit).
      limit: 10_000,
    };
    let eventsRead = 0;
    let capped = false;
    const pages = await task.paginate(
      'logs:FilterLogEvents',
      request,
      (token) => logs.send(new FilterLogEventsCommand({ ...request, nextToken: token })),
      (p) => {
        eventsRead += p.events?.length ?? 0;
        if (p.nextToken && eventsRead >= budget) {
          capped = true;
          return undefined;
        }
        return p.nextToken;
      },
      { key: 'alarm-history-record' },
      Number.POSITIVE_INFINITY,
    );
    return {
      coverage: {
        ...base,
        exists: true,
        ...(created ? { createdAt: created.toISOString() } : {}),
        ...(group.retentionInDays !== undefined ? { retentionDays: group.retentionInDays } : {}),
        ...(group.kmsKeyId ? { kmsKeyId: group.kmsKeyId } : {}),
        ...(coversFrom ? { coversFrom: coversFrom.toISOString() } : {}),
      },
      changes: recordedChanges(pages.flatMap((p) => p.events ?? [])),
      eventsRead,
      budget,
      capped,
      raw: [...task.rawNames],
    };
  });
}

/** What fails the record: missing, or younger (or keeping less) than the period; the binder then reads "incomplete for the period". */
export function recordProblems(c: RecordCoverage, period: { from: Date; to: Date }): string[] {
  const range = `${period.from.toISOString()} to ${period.to.toISOString()}`;
  if (!c.exists) {
    return [`the alarm history record ${c.logGroup} does not exist in the audit account ${c.accountId} ${c.region}: state changes older than CloudWatch's alarm history are lost, and the alarm history is incomplete for the period (${range})`];
  }
  if (!c.coversFrom || new Date(c.coversFrom) > period.from) {
    const why = [c.createdAt ? `created ${c.createdAt}` : 'no creation time', ...(c.retentionDays !== undefined ? [`kept ${c.retentionDays} days`] : [])].join(', ');
    return [`the alarm history record ${c.logGroup} covers from ${c.coversFrom ?? '(unknown)'} only (${why}): the alarm history is incomplete for the period (${range})`];
  }
  return [];
}
