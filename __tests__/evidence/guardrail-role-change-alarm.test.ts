/**
 * The evidence of `guardrails.exempt-role-change-alarm` (evidence/checks/cloudwatch.ts): the metric
 * filter on the organization trail's log group counting every creation, deletion, trust or permission
 * change of a role named like the pipeline, break-glass or plan role, and its `Sum >= 1` alarm on the
 * management account's alert topic (modules/cis-monitoring/cis-alarms.ts). The check is run on what
 * CloudWatch Logs and CloudWatch would answer after an apply of the example org, built from the
 * synthesized stack, then on the same answers broken one way at a time: each must FAIL, naming what broke.
 *
 * Response shapes: CloudWatch Logs API Reference, DescribeMetricFilters / MetricFilter
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricFilter.html);
 * CloudWatch API Reference, DescribeAlarms / MetricAlarm
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html).
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import type { BaselineConfig } from '../../config/schema';
import { cisTargets, cisTasks, GUARDRAIL_ROLE_CHANGE_CONTROL } from '../../evidence/checks/cloudwatch';
import { createContext, runTasks } from '../../evidence/collect';
import type { EvidenceItem } from '../../evidence/types';
import { configWith, exampleConfig, resourcesOf, synthStack } from '../helpers';

const PREFIX = 'acme-soc2';
const MANAGEMENT = '111111111111';
const HOME = 'us-east-1';
const NAME = `${PREFIX}-org-guardrail-role-changed`;
const config = exampleConfig();
const management = synthStack(config, 'management');

/** The management account's filters and alarms after an apply of the example org (count alarms only). */
function deployed(): { filters: MetricFilter[]; alarms: MetricAlarm[] } {
  return {
    filters: resourcesOf(management, 'aws_cloudwatch_log_metric_filter').map(([, f]) => ({
      filterName: f.name,
      logGroupName: f.log_group_name,
      filterPattern: f.pattern,
      metricTransformations: [{ metricName: f.metric_transformation.name, metricNamespace: f.metric_transformation.namespace, metricValue: '1' }],
    })),
    alarms: resourcesOf(management, 'aws_cloudwatch_metric_alarm')
      .filter(([, a]) => !a.metric_query)
      .map(([, a]) => ({
        AlarmName: a.alarm_name,
        Namespace: a.namespace,
        MetricName: a.metric_name,
        Statistic: a.statistic,
        Period: a.period,
        EvaluationPeriods: a.evaluation_periods,
        ComparisonOperator: a.comparison_operator,
        Threshold: a.threshold,
        ActionsEnabled: a.actions_enabled,
        AlarmActions: a.alarm_actions,
      })),
  };
}

const mocks: { restore(): void }[] = [];
afterEach(() => {
  while (mocks.length) mocks.pop()!.restore();
});

async function judge(state: { filters: MetricFilter[]; alarms: MetricAlarm[] }, cfg: BaselineConfig = config): Promise<EvidenceItem[]> {
  const logsMock = mockClient(CloudWatchLogsClient);
  const cwMock = mockClient(CloudWatchClient);
  mocks.push(logsMock, cwMock);
  logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: `/${PREFIX}/cloudtrail/organization`, retentionInDays: cfg.retention.cloudWatchLogsDays, kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k' }] });
  logsMock.on(DescribeMetricFiltersCommand).resolves({ metricFilters: state.filters });
  cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: state.alarms });
  const { ctx } = createContext({ config: cfg, accounts: [MANAGEMENT], validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
  await runTasks(ctx, cisTasks(ctx), 1);
  return ctx.items.filter((i) => i.controlId === GUARDRAIL_ROLE_CHANGE_CONTROL);
}

test('the target names the three roles cis-alarms.ts writes the filter for', () => {
  expect(cisTargets(config, [MANAGEMENT])[0].guardrailRoleNames).toEqual(['soc2-baseline-pipeline', 'soc2-baseline-break-glass', 'soc2-baseline-plan']);
  expect(deployed().filters.map((f) => f.filterName)).toContain(NAME);
});

test('the example org as applied: PASS', async () => {
  const items = await judge(deployed());
  expect(items.map((i) => [i.status, i.reason])).toEqual([['PASS', `filter ${NAME} (exact pattern) on /${PREFIX}/cloudtrail/organization; alarm ${NAME} acts on arn:aws:sns:${HOME}:${MANAGEMENT}:${PREFIX}-security-alerts`]]);
});

test('breaking: the alarm deleted: FAIL', async () => {
  const state = deployed();
  state.alarms = state.alarms.filter((a) => a.AlarmName !== NAME);
  expect(await judge(state)).toEqual([expect.objectContaining({ status: 'FAIL', reason: `no alarm ${NAME}` })]);
});

test('breaking: the alarm without actions (disabled, and its topic removed): FAIL, naming both', async () => {
  const state = deployed();
  const alarm = state.alarms.find((a) => a.AlarmName === NAME)!;
  alarm.ActionsEnabled = false;
  alarm.AlarmActions = [];
  const [item] = await judge(state);
  expect(item.status).toBe('FAIL');
  expect(item.reason).toContain(`alarm ${NAME} has its actions disabled`);
  expect(item.reason).toContain(`alarm ${NAME} does not act on the alert topic arn:aws:sns:${HOME}:${MANAGEMENT}:${PREFIX}-security-alerts`);
});

test('breaking: the plan role taken out of the pattern, or the filter deleted: FAIL', async () => {
  const narrowed = deployed();
  const f = narrowed.filters.find((x) => x.filterName === NAME)!;
  f.filterPattern = f.filterPattern!.replace(' || ($.requestParameters.roleName = "soc2-baseline-plan")', '');
  expect(f.filterPattern).not.toBe(deployed().filters.find((x) => x.filterName === NAME)!.filterPattern);
  expect((await judge(narrowed))[0]).toMatchObject({ status: 'FAIL', reason: expect.stringContaining(`filter ${NAME} pattern differs from the baseline's pattern`) });

  const gone = deployed();
  gone.filters = gone.filters.filter((x) => x.filterName !== NAME);
  expect((await judge(gone))[0]).toMatchObject({ status: 'FAIL', reason: expect.stringContaining(`no metric filter ${NAME}`) });
});

test('guardrails off: no item (the control is not configured)', async () => {
  const off = configWith((raw) => {
    raw.guardrails = { enabled: false };
    raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 'guardrails.service-control-policies', reason: 'this test turns guardrails off' }];
  });
  expect(cisTargets(off, [MANAGEMENT])[0].guardrailRoleNames).toBeUndefined();
  expect(await judge(deployed(), off)).toEqual([]);
});
