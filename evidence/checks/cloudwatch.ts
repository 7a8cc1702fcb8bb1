/**
 * The CIS monitoring set on each trail log group the baseline owns (the org trail's in the management
 * account, each account trail's in the members), home Region: every metric filter with its exact
 * pattern, every alarm with its action on the account's alert topic, and the log group's retention
 * and encryption. The org trail's group also carries the break-glass alarm (guardrails on) and the
 * route-tampering filters and alarm, judged the same way.
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { accountTrailLogGroupName, alertTopicName, orgTrailLogGroupName, PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import {
  alertRouteTamperingFilters,
  breakGlassUsageFilter,
  CIS_METRIC_FILTERS,
  CONSOLE_SIGNIN_SUCCESS_FILTER,
  ROUTE_TAMPERING_ALARM_ID,
  ROUTE_TAMPERING_METRIC,
  routeTamperingExemptRole,
} from '../../modules/cis-monitoring/cis-metric-filters';
import { Task, type CollectContext } from '../context';
import { cisControlId } from '../controls';
import { DOC } from '../sources';

export const OFF_HOURS_CONTROL = 'cis.console-signin-outside-business-hours';

/** What `judgeLogGroup` judges. */
export const LOG_GROUP_CONTROLS = ['cloudwatch-logs.retention', 'cloudwatch-logs.encryption'] as const;

export const BREAK_GLASS_CONTROL = 'guardrails.break-glass-alarm';

export const ROUTE_TAMPERING_CONTROL = 'alerting.route-tampering-alarm';

export interface CisTarget {
  readonly accountId: string;
  readonly logGroupName: string;
  /** Filter and alarm names are `<namePrefix>-<filter id>`. */
  readonly namePrefix: string;
  /** The break-glass role whose use alarms here (the org trail's group, guardrails on). */
  readonly breakGlassRoleName?: string;
  /** The route-tampering filters and alarm (the org trail's group), and the role they leave out. */
  readonly alertRouteTampering?: { readonly exemptRoleName?: string };
}

/** The controls judged on a target's log group, beyond the CIS set. */
const extraControls = (target: CisTarget): string[] => [...(target.breakGlassRoleName ? [BREAK_GLASS_CONTROL] : []), ...(target.alertRouteTampering ? [ROUTE_TAMPERING_CONTROL] : [])];

/** The trail log groups the baseline puts the CIS set on, per account (names as the stacks build them). */
export function cisTargets(config: BaselineConfig, accounts: readonly string[]): CisTarget[] {
  const prefix = config.organization.namePrefix;
  const management = config.organization.managementAccountId;
  return accounts.flatMap((accountId): CisTarget[] => {
    if (accountId === management) {
      const breakGlassRoleName = config.guardrails.enabled ? config.guardrails.breakGlassRoleName : undefined;
      const exemptRoleName = routeTamperingExemptRole(config.guardrails);
      return [
        {
          accountId,
          logGroupName: orgTrailLogGroupName(config),
          namePrefix: `${prefix}-org`,
          ...(breakGlassRoleName ? { breakGlassRoleName } : {}),
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
    const sources = [DOC.logs.describeMetricFilters, DOC.cloudWatch.describeAlarms, DOC.cloudWatch.metricAlarm];

    const filterProblems = (f: { id: string; metricName: string; pattern: string }, expected = 'the CIS/Security Hub pattern'): string[] => {
      const name = `${target.namePrefix}-${f.id}`;
      const found = filters.get(name);
      if (!found) return [`no metric filter ${name} on ${group}`];
      const t = found.metricTransformations?.[0];
      return [
        found.filterPattern === f.pattern ? undefined : `filter ${name} pattern differs from ${expected} (${found.filterPattern ?? 'none'})`,
        t?.metricName === f.metricName && t.metricNamespace === namespace
          ? undefined
          : `filter ${name} emits ${t?.metricNamespace ?? '?'}/${t?.metricName ?? '?'}, not ${namespace}/${f.metricName}`,
      ].filter((p): p is string => !!p);
    };
    const actionProblems = (name: string, alarm: MetricAlarm): string[] =>
      [
        alarm.ActionsEnabled ? undefined : `alarm ${name} has its actions disabled`,
        (alarm.AlarmActions ?? []).includes(topic) ? undefined : `alarm ${name} does not act on the alert topic ${topic}`,
      ].filter((p): p is string => !!p);

    for (const f of CIS_METRIC_FILTERS) {
      const name = `${target.namePrefix}-${f.id}`;
      const alarm = alarms.get(name);
      const problems = [
        ...filterProblems(f),
        ...(alarm
          ? [
              ...actionProblems(name, alarm),
              alarm.MetricName === f.metricName && alarm.Namespace === namespace ? undefined : `alarm ${name} watches ${alarm.Namespace}/${alarm.MetricName}, not ${namespace}/${f.metricName}`,
              alarm.ComparisonOperator === 'GreaterThanOrEqualToThreshold' && alarm.Threshold === 1
                ? undefined
                : `alarm ${name} fires on ${alarm.ComparisonOperator} ${alarm.Threshold}, not GreaterThanOrEqualToThreshold 1`,
            ].filter((p): p is string => !!p)
          : [`no alarm ${name}`]),
      ];
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
      const alarm = alarms.get(name);
      const problems = [
        ...filterProblems(f),
        ...(alarm
          ? [
              ...actionProblems(name, alarm),
              alarm.MetricName === f.metricName && alarm.Namespace === namespace ? undefined : `alarm ${name} watches ${alarm.Namespace}/${alarm.MetricName}, not ${namespace}/${f.metricName}`,
            ].filter((p): p is string => !!p)
          : [`no alarm ${name}`]),
      ];
      task.item({
        controlId: BREAK_GLASS_CONTROL,
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
      const alarm = alarms.get(name);
      const problems = [
        ...alertRouteTamperingFilters(config.organization.namePrefix, target.alertRouteTampering.exemptRoleName).flatMap((f) => filterProblems(f, "the baseline's pattern")),
        ...(alarm
          ? [
              ...actionProblems(name, alarm),
              alarm.MetricName === ROUTE_TAMPERING_METRIC && alarm.Namespace === namespace ? undefined : `alarm ${name} watches ${alarm.Namespace}/${alarm.MetricName}, not ${namespace}/${ROUTE_TAMPERING_METRIC}`,
              alarm.ComparisonOperator === 'GreaterThanOrEqualToThreshold' && alarm.Threshold === 1
                ? undefined
                : `alarm ${name} fires on ${alarm.ComparisonOperator} ${alarm.Threshold}, not GreaterThanOrEqualToThreshold 1`,
            ].filter((p): p is string => !!p)
          : [`no alarm ${name}`]),
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
      ...(alarm
        ? [
            ...actionProblems(offHours, alarm),
            (alarm.Metrics ?? []).some((m) => m.MetricStat?.Metric?.MetricName === CONSOLE_SIGNIN_SUCCESS_FILTER.metricName)
              ? undefined
              : `alarm ${offHours} does not compute on ${CONSOLE_SIGNIN_SUCCESS_FILTER.metricName}`,
          ].filter((p): p is string => !!p)
        : [`no alarm ${offHours}`]),
    ];
    task.item({
      controlId: OFF_HOURS_CONTROL,
      title: 'Console sign-ins outside business hours: filter and alarm',
      status: problems.length ? 'FAIL' : 'PASS',
      reason: problems.length ? problems.join('; ') : `alarm ${offHours} (metric math on ${CONSOLE_SIGNIN_SUCCESS_FILTER.metricName}) acts on ${topic}`,
      resource: offHours,
      sources,
    });
  });
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
