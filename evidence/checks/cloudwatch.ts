/**
 * The CIS monitoring set on each trail log group the baseline owns (the org trail's in the management
 * account, each account trail's in the members), home Region: every metric filter with its exact
 * pattern, every alarm with its action on the account's alert topic, and the log group's retention
 * and encryption. The org trail's group also carries the break-glass alarm and the alarm on changes to
 * the guardrails' exempt roles (guardrails on), and the route-tampering filters and alarm, judged the
 * same way.
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { accountTrailLogGroupName, alertTopicName, orgTrailLogGroupName, PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import {
  alertRouteTamperingFilters,
  breakGlassUsageFilter,
  CIS_METRIC_FILTERS,
  guardrailRoleChangeFilter,
  CONSOLE_SIGNIN_SUCCESS_FILTER,
  ROUTE_TAMPERING_ALARM_ID,
  ROUTE_TAMPERING_METRIC,
  routeTamperingExemptRole,
} from '../../modules/cis-monitoring/cis-metric-filters';
import { businessHoursUtc, offHoursExpression } from '../../modules/cis-monitoring/business-hours';
import { Task, type CollectContext } from '../context';
import { cisControlId } from '../controls';
import { DOC } from '../sources';

export const OFF_HOURS_CONTROL = 'cis.console-signin-outside-business-hours';

/** What `judgeLogGroup` judges. */
export const LOG_GROUP_CONTROLS = ['cloudwatch-logs.retention', 'cloudwatch-logs.encryption'] as const;

export const BREAK_GLASS_CONTROL = 'guardrails.break-glass-alarm';

export const ROUTE_TAMPERING_CONTROL = 'alerting.route-tampering-alarm';

export const GUARDRAIL_ROLE_CHANGE_CONTROL = 'guardrails.exempt-role-change-alarm';

export interface CisTarget {
  readonly accountId: string;
  readonly logGroupName: string;
  /** Filter and alarm names are `<namePrefix>-<filter id>`. */
  readonly namePrefix: string;
  /** The break-glass role whose use alarms here (the org trail's group, guardrails on). */
  readonly breakGlassRoleName?: string;
  /**
   * The roles whose creation or change alarms here (pipeline, break-glass and plan roles: the org
   * trail's group, guardrails on), as modules/cis-monitoring/cis-alarms.ts passes them to
   * `guardrailRoleChangeFilter`.
   */
  readonly guardrailRoleNames?: readonly string[];
  /** The route-tampering filters and alarm (the org trail's group), and the role they leave out. */
  readonly alertRouteTampering?: { readonly exemptRoleName?: string };
}

/** The controls judged on a target's log group, beyond the CIS set. */
const extraControls = (target: CisTarget): string[] => [
  ...(target.breakGlassRoleName ? [BREAK_GLASS_CONTROL] : []),
  ...(target.guardrailRoleNames ? [GUARDRAIL_ROLE_CHANGE_CONTROL] : []),
  ...(target.alertRouteTampering ? [ROUTE_TAMPERING_CONTROL] : []),
];

/** The trail log groups the baseline puts the CIS set on, per account (names as the stacks build them). */
export function cisTargets(config: BaselineConfig, accounts: readonly string[]): CisTarget[] {
  const prefix = config.organization.namePrefix;
  const management = config.organization.managementAccountId;
  return accounts.flatMap((accountId): CisTarget[] => {
    if (accountId === management) {
      const breakGlassRoleName = config.guardrails.enabled ? config.guardrails.breakGlassRoleName : undefined;
      const exemptRoleName = routeTamperingExemptRole(config.guardrails);
      // cis-alarms.ts writes the role-change alarm with the break-glass alarm, on the same three names.
      const guardrailRoleNames = breakGlassRoleName
        ? [config.guardrails.pipelineRoleName, breakGlassRoleName, config.deployment.planRoleName].filter((n): n is string => n !== undefined)
        : undefined;
      return [
        {
          accountId,
          logGroupName: orgTrailLogGroupName(config),
          namePrefix: `${prefix}-org`,
          ...(breakGlassRoleName ? { breakGlassRoleName } : {}),
          ...(guardrailRoleNames ? { guardrailRoleNames } : {}),
          alertRouteTampering: exemptRoleName ? { exemptRoleName } : {},
        },
      ];
    }
    return config.monitoring.accountTrails ? [{ accountId, logGroupName: accountTrailLogGroupName(config), namePrefix: `${prefix}-account` }] : [];
  });
}

export function cisTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const controls = [...CIS_METRIC_FILTERS.map((f) => cisControlId(f.id)), OFF_HOURS_CONTROL, ...LOG_GROUP_CONTROLS];
  return cisTargets(config, ctx.settings.accounts).map(
    (target) =>
      new Task(
        ctx,
        { label: 'CIS alarms', accountId: target.accountId, region: config.regions.home, controls: [...controls, ...extraControls(target)], resource: target.logGroupName },
        (task) => judgeCis(task, config, target),
      ),
  );
}

async function judgeCis(task: Task, config: BaselineConfig, target: CisTarget): Promise<void> {
  const logs = task.client(CloudWatchLogsClient);
  const cw = task.client(CloudWatchClient);
  const group = target.logGroupName;

  await task.guard(LOG_GROUP_CONTROLS, () => judgeLogGroup(task, logs, config, group));

  await task.guard([...CIS_METRIC_FILTERS.map((f) => cisControlId(f.id)), OFF_HOURS_CONTROL, ...extraControls(target)], async () => {
    const filterPages = await task.paginate(
      'logs:DescribeMetricFilters',
      { logGroupName: group },
      (token) => logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, nextToken: token })),
      (p) => p.nextToken,
    );
    const filters = new Map<string, MetricFilter>();
    for (const page of filterPages) for (const f of page.metricFilters ?? []) if (f.filterName) filters.set(f.filterName, f);
    const alarmRequest = { AlarmNamePrefix: `${target.namePrefix}-` };
    const alarmPages = await task.paginate(
      'cloudwatch:DescribeAlarms',
      alarmRequest,
      (token) => cw.send(new DescribeAlarmsCommand({ ...alarmRequest, NextToken: token })),
      (p) => p.NextToken,
    );
    const alarms = new Map<string, MetricAlarm>();
    for (const page of alarmPages) for (const a of page.MetricAlarms ?? []) if (a.AlarmName) alarms.set(a.AlarmName, a);

    const topic = `arn:${PARTITION}:sns:${config.regions.home}:${target.accountId}:${alertTopicName(config)}`;
    const namespace = config.monitoring.metricNamespace;
    const sources = [DOC.logs.describeMetricFilters, REF.metricFilter, REF.metricTransformation, DOC.cloudWatch.describeAlarms, DOC.cloudWatch.metricAlarm];

    const filterProblems = (f: { id: string; metricName: string; pattern: string }, expected = 'the CIS/Security Hub pattern'): string[] => {
      const name = `${target.namePrefix}-${f.id}`;
      const found = filters.get(name);
      if (!found) return [`no metric filter ${name} on ${group}`];
      return [
        // MetricFilter.filterPattern (API_MetricFilter.html).
        found.filterPattern === f.pattern ? undefined : `filter ${name} pattern differs from ${expected} (${found.filterPattern ?? 'none'})`,
        ...metricFilterProblems(name, found, namespace, f.metricName),
      ].filter((p): p is string => !!p);
    };
    const actionProblems = (name: string, alarm: MetricAlarm): string[] =>
      [
        // MetricAlarm.ActionsEnabled, AlarmActions (API_MetricAlarm.html).
        alarm.ActionsEnabled ? undefined : `alarm ${name} has its actions disabled`,
        (alarm.AlarmActions ?? []).includes(topic) ? undefined : `alarm ${name} does not act on the alert topic ${topic}`,
      ].filter((p): p is string => !!p);
    /** The filter's problems, then the alarm's: its action, and the `Sum >= 1` alarm on the filter's metric, whole. */
    const countProblems = (name: string, metricName: string): string[] => {
      const alarm = alarms.get(name);
      return alarm ? [...actionProblems(name, alarm), ...countAlarmProblems(name, alarm, namespace, metricName)] : [`no alarm ${name}`];
    };

    for (const f of CIS_METRIC_FILTERS) {
      const name = `${target.namePrefix}-${f.id}`;
      const problems = [...filterProblems(f), ...countProblems(name, f.metricName)];
      task.item({
        controlId: cisControlId(f.id),
        title: `CIS ${f.cis} ${f.title}: filter and alarm`,
        status: problems.length ? 'FAIL' : 'PASS',
        reason: problems.length ? problems.join('; ') : `filter ${name} (exact pattern) on ${group}; alarm ${name} acts on ${topic}`,
        resource: name,
        sources,
      });
    }

    if (target.breakGlassRoleName) {
      const f = breakGlassUsageFilter(target.breakGlassRoleName);
      const name = `${target.namePrefix}-${f.id}`;
      const problems = [...filterProblems(f), ...countProblems(name, f.metricName)];
      task.item({
        controlId: BREAK_GLASS_CONTROL,
        title: `${f.title}: filter and alarm`,
        status: problems.length ? 'FAIL' : 'PASS',
        reason: problems.length ? problems.join('; ') : `filter ${name} (exact pattern) on ${group}; alarm ${name} acts on ${topic}`,
        resource: name,
        sources,
      });
    }

    // The guardrails exempt their roles by name: the alarm on creating or changing a role of those names.
    if (target.guardrailRoleNames) {
      const f = guardrailRoleChangeFilter(target.guardrailRoleNames);
      const name = `${target.namePrefix}-${f.id}`;
      const problems = [...filterProblems(f, "the baseline's pattern"), ...countProblems(name, f.metricName)];
      task.item({
        controlId: GUARDRAIL_ROLE_CHANGE_CONTROL,
        title: `${f.title}: filter and alarm`,
        status: problems.length ? 'FAIL' : 'PASS',
        reason: problems.length ? problems.join('; ') : `filter ${name} (exact pattern) on ${group}; alarm ${name} acts on ${topic}`,
        resource: name,
        sources,
      });
    }

    // Watching the watchers: every route-tampering filter with its exact pattern, all counting one
    // metric, and the one alarm on it.
    if (target.alertRouteTampering) {
      const name = `${target.namePrefix}-${ROUTE_TAMPERING_ALARM_ID}`;
      const problems = [
        ...alertRouteTamperingFilters(config.organization.namePrefix, target.alertRouteTampering.exemptRoleName).flatMap((f) => filterProblems(f, "the baseline's pattern")),
        ...countProblems(name, ROUTE_TAMPERING_METRIC),
      ];
      task.item({
        controlId: ROUTE_TAMPERING_CONTROL,
        title: 'Changes to the alert route and its watchers: filters and alarm',
        status: problems.length ? 'FAIL' : 'PASS',
        reason: problems.length ? problems.join('; ') : `filters ${name}-* (exact patterns) on ${group}; alarm ${name} acts on ${topic}`,
        resource: name,
        sources,
      });
    }

    const offHours = `${target.namePrefix}-console-signin-outside-business-hours`;
    const alarm = alarms.get(offHours);
    const problems = [
      ...filterProblems(CONSOLE_SIGNIN_SUCCESS_FILTER),
      ...(alarm ? [...actionProblems(offHours, alarm), ...offHoursAlarmProblems(offHours, alarm, config, target.accountId)] : [`no alarm ${offHours}`]),
    ];
    task.item({
      controlId: OFF_HOURS_CONTROL,
      title: 'Console sign-ins outside business hours: filter and alarm',
      status: problems.length ? 'FAIL' : 'PASS',
      reason: problems.length ? problems.join('; ') : `alarm ${offHours} (metric math on ${CONSOLE_SIGNIN_SUCCESS_FILTER.metricName}, the business hours' expression) acts on ${topic}`,
      resource: offHours,
      sources: [...sources, REF.metricDataQuery, REF.metricStat],
    });
  });
}

const LOGS_API = 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference';
const CW_API = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference';
/** The reference pages of the fields compared below, beyond evidence/sources.ts. */
const REF = {
  /** MetricFilter: metricTransformations, applyOnTransformedLogs, fieldSelectionCriteria, emitSystemFieldDimensions. */
  metricFilter: `${LOGS_API}/API_MetricFilter.html`,
  /** MetricTransformation: metricName, metricNamespace, metricValue, defaultValue, dimensions, unit. */
  metricTransformation: `${LOGS_API}/API_MetricTransformation.html`,
  /** MetricDataQuery: Id, Expression, MetricStat, ReturnData (default true), AccountId. */
  metricDataQuery: `${CW_API}/API_MetricDataQuery.html`,
  /** MetricStat: Metric (Namespace, MetricName, Dimensions), Period, Stat, Unit. */
  metricStat: `${CW_API}/API_MetricStat.html`,
};

/**
 * The period of every count alarm, as modules/cis-monitoring/cis-alarms.ts writes it
 * (`ALARM_PERIOD_SECONDS`; not imported: that module loads the AWS provider bindings).
 */
export const COUNT_ALARM_PERIOD_SECONDS = 300;

/**
 * What differs between a metric filter and the one modules/cis-monitoring/cis-alarms.ts writes:
 * one transformation emitting `1` to `<namespace>/<metricName>`, with no dimensions, unit or
 * default value, on the log group's own events, all of them.
 */
export function metricFilterProblems(name: string, found: MetricFilter, namespace: string, metricName: string): string[] {
  // MetricFilter.metricTransformations (API_MetricFilter.html): "Fixed number of 1 item" in PutMetricFilter.
  const transformations = found.metricTransformations ?? [];
  const t = transformations[0];
  const dimensions = Object.entries(t?.dimensions ?? {});
  const systemDimensions = found.emitSystemFieldDimensions ?? [];
  return [
    transformations.length === 1 ? undefined : `filter ${name} has ${transformations.length} metric transformations, not 1`,
    // MetricTransformation.metricName, metricNamespace (API_MetricTransformation.html).
    t?.metricName === metricName && t.metricNamespace === namespace ? undefined : `filter ${name} emits ${t?.metricNamespace ?? '?'}/${t?.metricName ?? '?'}, not ${namespace}/${metricName}`,
    // MetricTransformation.metricValue: "The value to publish to the CloudWatch metric when a filter
    // pattern matches a log event" (API_MetricTransformation.html); the alarm counts ones.
    !t || t.metricValue === '1' ? undefined : `filter ${name} metricValue is ${t.metricValue ?? 'none'}, not 1: the alarm (Sum >= 1) counts ones`,
    // MetricTransformation.dimensions (API_MetricTransformation.html): a dimension makes another
    // metric; the alarm watches the one without dimensions.
    dimensions.length === 0 ? undefined : `filter ${name} adds dimension(s) ${dimensions.map(([k, v]) => `${k}=${v}`).join(', ')}: the alarm's metric, without dimensions, gets no datapoint`,
    // MetricTransformation.unit (API_MetricTransformation.html): "If you omit this, the unit is set as None".
    t?.unit && t.unit !== 'None' ? `filter ${name} sets unit ${t.unit}; the baseline sets none` : undefined,
    // MetricTransformation.defaultValue (API_MetricTransformation.html): "The value to emit when a filter
    // pattern does not match a log event".
    t?.defaultValue === undefined || t.defaultValue === null ? undefined : `filter ${name} has defaultValue ${t.defaultValue}; the baseline sets none`,
    // MetricFilter.applyOnTransformedLogs (API_MetricFilter.html): matches the transformed events, not the trail's.
    found.applyOnTransformedLogs ? `filter ${name} has applyOnTransformedLogs true: it matches the log transformer's output, not the trail's events` : undefined,
    // MetricFilter.fieldSelectionCriteria (API_MetricFilter.html): events it leaves out are never matched.
    found.fieldSelectionCriteria ? `filter ${name} has fieldSelectionCriteria ${found.fieldSelectionCriteria}: the events it leaves out are never counted` : undefined,
    // MetricFilter.emitSystemFieldDimensions (API_MetricFilter.html): system fields as dimensions.
    systemDimensions.length === 0 ? undefined : `filter ${name} emits system field dimension(s) ${systemDimensions.join(', ')}: the alarm's metric, without dimensions, gets no datapoint`,
  ].filter((p): p is string => !!p);
}

const thresholdProblem = (name: string, alarm: MetricAlarm): string | undefined =>
  // MetricAlarm.ComparisonOperator, Threshold (API_MetricAlarm.html).
  alarm.ComparisonOperator === 'GreaterThanOrEqualToThreshold' && alarm.Threshold === 1
    ? undefined
    : `alarm ${name} fires on ${alarm.ComparisonOperator} ${alarm.Threshold}, not GreaterThanOrEqualToThreshold 1`;

/** One datapoint in one period is enough: EvaluationPeriods 1, DatapointsToAlarm unset (it then equals EvaluationPeriods) or 1. */
const firstEventProblems = (name: string, alarm: MetricAlarm): (string | undefined)[] => [
  // MetricAlarm.EvaluationPeriods, DatapointsToAlarm (API_MetricAlarm.html).
  alarm.EvaluationPeriods === 1 ? undefined : `alarm ${name} EvaluationPeriods is ${alarm.EvaluationPeriods ?? 'none'}, not 1`,
  (alarm.DatapointsToAlarm ?? 1) === 1 ? undefined : `alarm ${name} DatapointsToAlarm is ${alarm.DatapointsToAlarm}, not 1`,
  thresholdProblem(name, alarm),
];

/**
 * What differs between an alarm and the `Sum >= 1` alarm cis-alarms.ts writes on a filter's metric:
 * statistic Sum over COUNT_ALARM_PERIOD_SECONDS, one period, the metric without dimensions or unit.
 */
export function countAlarmProblems(name: string, alarm: MetricAlarm, namespace: string, metricName: string): string[] {
  const dimensions = alarm.Dimensions ?? [];
  return [
    // MetricAlarm.Namespace, MetricName (API_MetricAlarm.html).
    alarm.MetricName === metricName && alarm.Namespace === namespace ? undefined : `alarm ${name} watches ${alarm.Namespace}/${alarm.MetricName}, not ${namespace}/${metricName}`,
    // MetricAlarm.Statistic, ExtendedStatistic (API_MetricAlarm.html).
    alarm.Statistic === 'Sum' && !alarm.ExtendedStatistic ? undefined : `alarm ${name} Statistic is ${alarm.Statistic ?? alarm.ExtendedStatistic ?? 'none'}, not Sum`,
    // MetricAlarm.Period, in seconds (API_MetricAlarm.html).
    alarm.Period === COUNT_ALARM_PERIOD_SECONDS ? undefined : `alarm ${name} Period is ${alarm.Period ?? 'none'} seconds, not ${COUNT_ALARM_PERIOD_SECONDS}`,
    ...firstEventProblems(name, alarm),
    // MetricAlarm.Dimensions (API_MetricAlarm.html): the filter emits none.
    dimensions.length === 0 ? undefined : `alarm ${name} watches the metric with Dimensions ${dimensions.map((d) => `${d.Name}=${d.Value}`).join(', ')}, which the filter never emits`,
    // MetricAlarm.Unit (API_MetricAlarm.html); PutMetricAlarm (API_PutMetricAlarm.html): a unit not
    // published for the metric leaves the alarm "stuck in the INSUFFICIENT DATA state".
    alarm.Unit ? `alarm ${name} has Unit ${alarm.Unit}: the filter's datapoints have none, so the alarm sees no data` : undefined,
  ].filter((p): p is string => !!p);
}

/** The query ids of the off-hours alarm's metric math, as cis-alarms.ts names them. */
const OFF_HOURS_IDS = { metric: 'signins', day: 'utcday', minute: 'utcminute' } as const;
const OFF_HOURS_RESULT = 'outsidehours';
/** The sign-in count's period: one minute, so the boundary minutes fall on the right side of the window. */
const SIGN_IN_PERIOD_SECONDS = 60;

interface ExpectedQuery {
  readonly id: string;
  readonly returnData: boolean;
  readonly expression?: string;
  readonly metric?: { readonly namespace: string; readonly metricName: string; readonly period: number; readonly stat: string };
}

/** The off-hours alarm's queries, as cis-alarms.ts derives them from the config (business-hours.ts). */
export function offHoursQueries(config: BaselineConfig): ExpectedQuery[] {
  const ids = OFF_HOURS_IDS;
  return [
    { id: ids.metric, returnData: false, metric: { namespace: config.monitoring.metricNamespace, metricName: CONSOLE_SIGNIN_SUCCESS_FILTER.metricName, period: SIGN_IN_PERIOD_SECONDS, stat: 'Sum' } },
    { id: ids.day, returnData: false, expression: `DAY(${ids.metric})` },
    { id: ids.minute, returnData: false, expression: `HOUR(${ids.metric})*60+MINUTE(${ids.metric})` },
    { id: OFF_HOURS_RESULT, returnData: true, expression: offHoursExpression(businessHoursUtc(config.alerts.businessHours), ids) },
  ];
}

/** What differs between the off-hours alarm and the metric-math alarm cis-alarms.ts writes. */
export function offHoursAlarmProblems(name: string, alarm: MetricAlarm, config: BaselineConfig, accountId: string): string[] {
  const expected = offHoursQueries(config);
  const found = new Map((alarm.Metrics ?? []).map((q) => [q.Id ?? '', q]));
  const problems: (string | undefined)[] = [
    // MetricAlarm.MetricName (API_MetricAlarm.html): set only on an alarm on one metric, not on metric math.
    alarm.MetricName ? `alarm ${name} watches ${alarm.Namespace}/${alarm.MetricName} directly, not the business hours' metric math` : undefined,
    ...firstEventProblems(name, alarm),
    ...[...found.keys()].filter((id) => !expected.some((q) => q.id === id)).map((id) => `alarm ${name} has a query ${id} the baseline does not write`),
  ];
  for (const want of expected) {
    const q = found.get(want.id);
    if (!q) {
      problems.push(`alarm ${name} has no query ${want.id}`);
      continue;
    }
    const stat = q.MetricStat;
    const metric = stat?.Metric;
    problems.push(
      // MetricDataQuery.ReturnData (API_MetricDataQuery.html): "If you omit this, the default of true is
      // used"; in PutMetricAlarm, true for the one expression the alarm watches, false for the others.
      (q.ReturnData ?? true) === want.returnData ? undefined : `alarm ${name} query ${want.id} ReturnData is ${q.ReturnData ?? true}, not ${want.returnData}`,
      // MetricDataQuery.AccountId (API_MetricDataQuery.html): the account whose metric is read.
      !q.AccountId || q.AccountId === accountId ? undefined : `alarm ${name} query ${want.id} reads account ${q.AccountId}, not ${accountId}`,
      // MetricDataQuery.Expression (API_MetricDataQuery.html).
      (q.Expression ?? undefined) === want.expression ? undefined : `alarm ${name} query ${want.id} Expression is ${q.Expression ? `"${q.Expression}"` : 'none'}, not ${want.expression ? `"${want.expression}"` : 'none'}`,
    );
    if (!want.metric) {
      // MetricDataQuery.MetricStat (API_MetricDataQuery.html): an expression query has none.
      if (stat) problems.push(`alarm ${name} query ${want.id} reads a metric (MetricStat); the baseline's computes ${want.expression}`);
      continue;
    }
    const dimensions = metric?.Dimensions ?? [];
    problems.push(
      // MetricStat.Metric.Namespace, MetricName (API_MetricStat.html, API_Metric.html).
      metric?.Namespace === want.metric.namespace && metric.MetricName === want.metric.metricName
        ? undefined
        : `alarm ${name} query ${want.id} reads ${metric?.Namespace ?? '?'}/${metric?.MetricName ?? '?'}, not ${want.metric.namespace}/${want.metric.metricName}`,
      // MetricStat.Metric.Dimensions (API_Metric.html): the filter emits none.
      dimensions.length === 0 ? undefined : `alarm ${name} query ${want.id} reads the metric with Dimensions ${dimensions.map((d) => `${d.Name}=${d.Value}`).join(', ')}, which the filter never emits`,
      // MetricStat.Period, Stat, Unit (API_MetricStat.html).
      stat?.Period === want.metric.period ? undefined : `alarm ${name} query ${want.id} Period is ${stat?.Period ?? 'none'} seconds, not ${want.metric.period}`,
      stat?.Stat === want.metric.stat ? undefined : `alarm ${name} query ${want.id} Stat is ${stat?.Stat ?? 'none'}, not ${want.metric.stat}`,
      stat?.Unit ? `alarm ${name} query ${want.id} has Unit ${stat.Unit}: the filter's datapoints have none, so the alarm sees no data` : undefined,
    );
  }
  return problems.filter((p): p is string => !!p);
}

/** A log group exists with the configured retention, and with a KMS key of its own. */
export async function judgeLogGroup(task: Task, logs: CloudWatchLogsClient, config: BaselineConfig, name: string): Promise<void> {
  const request = { logGroupNamePrefix: name };
  const pages = await task.paginate(
    'logs:DescribeLogGroups',
    request,
    (token) => logs.send(new DescribeLogGroupsCommand({ ...request, nextToken: token })),
    (p) => p.nextToken,
    { key: name },
  );
  const group = pages.flatMap((p) => p.logGroups ?? []).find((g) => g.logGroupName === name);
  const days = config.retention.cloudWatchLogsDays;
  const sources = [DOC.logs.describeLogGroups, DOC.logs.logGroup];
  const retentionProblem = !group
    ? `no log group ${name}`
    : group.retentionInDays === days
      ? undefined
      : `retentionInDays is ${group.retentionInDays ?? 'unset (kept forever)'}, not ${days} (retention.cloudWatchLogsDays)`;
  task.item({
    controlId: 'cloudwatch-logs.retention',
    title: `Log group ${name}: retention`,
    status: retentionProblem ? 'FAIL' : 'PASS',
    reason: retentionProblem ?? `events kept ${days} days`,
    resource: name,
    sources,
  });
  const keyProblem = !group ? `no log group ${name}` : group.kmsKeyId ? undefined : 'no kmsKeyId: encrypted with the CloudWatch Logs service key only';
  task.item({
    controlId: 'cloudwatch-logs.encryption',
    title: `Log group ${name}: customer-managed KMS key`,
    status: keyProblem ? 'FAIL' : 'PASS',
    reason: keyProblem ?? `encrypted with ${group?.kmsKeyId}`,
    resource: name,
    sources,
  });
}
