/**
 * The alert route's own failure alarms and the heartbeat's alarm (modules/alerting/route-watchdogs.ts,
 * alarm-forwarding.ts, the organization trail's delivery alarm in cis-alarms.ts): each exists, has
 * its actions enabled, acts on the topic(s) it must, and is not in ALARM (an alarm in ALARM is a link
 * of the route failing now). DescribeAlarms by name: MetricAlarm.ActionsEnabled, AlarmActions,
 * StateValue, StateReason, StateUpdatedTimestamp (CloudWatch API Reference, MetricAlarm:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html).
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { alertTopicName, centralAlertTopicArn, PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { routeWatchdogAlarmNames } from '../../modules/alerting/route-watchdogs';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';
import { cisTargets } from './cloudwatch';

const CONTROL = 'alerting.route-watchdogs';

interface Expected {
  readonly name: string;
  /** Topics its AlarmActions must include. */
  readonly actions: readonly string[];
}

/** The watchdog alarms of one account with CIS alarms (its forwarding link; the org trail's delivery in the management account). */
export function accountWatchdogAlarms(config: BaselineConfig, accountId: string, namePrefix: string): Expected[] {
  const topic = `arn:${PARTITION}:sns:${config.regions.home}:${accountId}:${alertTopicName(config)}`;
  return [
    { name: `${namePrefix}-alarm-route-undelivered`, actions: [topic] },
    { name: `${namePrefix}-alarm-route-failed`, actions: [topic] },
    ...(accountId === config.organization.managementAccountId ? [{ name: `${namePrefix}-trail-delivery-stopped`, actions: [topic] }] : []),
  ];
}

/** The audit account's: the heartbeat and the central links. */
export function auditWatchdogAlarms(config: BaselineConfig): Expected[] {
  const prefix = config.organization.namePrefix;
  const names = routeWatchdogAlarmNames(prefix);
  const central = centralAlertTopicArn(config);
  const watchdog = `arn:${PARTITION}:sns:${config.regions.home}:${config.organization.auditAccountId}:${prefix}-route-watchdog`;
  return [
    ...[names.heartbeatMissing, names.heartbeatsStopped, names.centralUndelivered, names.centralFailed, ...names.findingsFailed].map((name) => ({ name, actions: [central, watchdog] })),
    { name: names.topicFailed, actions: [watchdog] },
  ];
}

async function judge(task: Task, expected: readonly Expected[], title: string, resource: string): Promise<void> {
  const cw = task.client(CloudWatchClient);
  const AlarmNames = expected.map((e) => e.name);
  const pages = await task.paginate(
    'cloudwatch:DescribeAlarms',
    { AlarmNames },
    (token) => cw.send(new DescribeAlarmsCommand({ AlarmNames, NextToken: token })),
    (p) => p.NextToken,
    { key: 'route-watchdogs' },
  );
  const found = new Map<string, MetricAlarm>();
  for (const page of pages) for (const a of page.MetricAlarms ?? []) if (a.AlarmName) found.set(a.AlarmName, a);
  const problems = expected.flatMap(({ name, actions }) => {
    const a = found.get(name);
    if (!a) return [`no alarm ${name}`];
    return [
      a.ActionsEnabled ? undefined : `alarm ${name} has its actions disabled`,
      ...actions.filter((t) => !(a.AlarmActions ?? []).includes(t)).map((t) => `alarm ${name} does not act on ${t}`),
      a.StateValue === 'ALARM' ? `alarm ${name} is in ALARM since ${a.StateUpdatedTimestamp?.toISOString() ?? '(unknown)'}: ${a.StateReason ?? ''}`.trim() : undefined,
    ].filter((p): p is string => !!p);
  });
  task.item({
    controlId: CONTROL,
    title,
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length ? problems.join('; ') : `${expected.length} alarm(s) present, acting on their topics, none in ALARM: ${AlarmNames.join(', ')}`,
    resource,
    sources: [DOC.cloudWatch.describeAlarms, DOC.cloudWatch.metricAlarm],
    details: { alarms: Object.fromEntries(AlarmNames.map((n) => [n, found.get(n)?.StateValue ?? 'MISSING'])) },
  });
}

export function routeWatchdogTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const home = config.regions.home;
  const tasks = cisTargets(config, ctx.settings.accounts).map(
    (target) =>
      new Task(ctx, { label: 'route watchdog alarms', accountId: target.accountId, region: home, controls: [CONTROL] }, (task) =>
        judge(task, accountWatchdogAlarms(config, target.accountId, target.namePrefix), "The account's alert route failure alarms", 'route-watchdogs'),
      ),
  );
  tasks.push(
    new Task(ctx, { label: 'route watchdog alarms', accountId: config.organization.auditAccountId, region: home, controls: [CONTROL] }, (task) =>
      judge(task, auditWatchdogAlarms(config), "The heartbeat alarm and the central route's failure alarms", 'central-route-watchdogs'),
    ),
  );
  return tasks;
}
