/**
 * Each CIS CloudWatch monitoring filter and its alarm is a control (`cis.<filter id>`), derived from
 * its declaration in cis-metric-filters.ts; so is the off-hours console sign-in alarm the SOC 2
 * guides ask for. The alarms' descriptions are written from these controls.
 */
import { defineControl, type ControlDeclaration } from '../control-model/control';
import { CIS_METRIC_FILTERS, type CisMetricFilter } from './cis-metric-filters';

function filterControl(f: CisMetricFilter): ControlDeclaration {
  return defineControl({
    id: `cis.${f.id}`,
    title: `Alarm: ${f.title}`,
    description: `A CloudWatch Logs metric filter on the trail's log group and a Sum >= 1 alarm that notifies the alert route within five minutes (CIS ${f.cis}).`,
    tsc: f.soc2.includes('CC7.3') ? f.soc2 : [...f.soc2, 'CC7.3'],
    // CIS v1.4.0 and v3.0.0 number section 4 (monitoring) the same way.
    cis: { 'v3.0.0': f.cis, 'v1.4.0': f.cis },
    securityHub: f.securityHub ? [f.securityHub] : [],
    awsConfigRules: ['cloudwatch-alarm-action-check'],
    prowler: f.prowler,
    evidence: {
      api: ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms'],
      command: `aws logs describe-metric-filters --log-group-name <trail log group> --filter-name-prefix <prefix>-${f.id} && aws cloudwatch describe-alarms --alarm-names <prefix>-${f.id}`,
      lookFor: `The filter's pattern is exactly the CIS one and it emits ${f.metricName} in the configured namespace as the baseline writes it (one transformation emitting 1, with no dimensions, unit or default value, and no applyOnTransformedLogs, fieldSelectionCriteria or emitSystemFieldDimensions); its alarm watches that metric exactly as the baseline writes it (Statistic Sum over 300 s, EvaluationPeriods 1 (DatapointsToAlarm unset or 1), no Dimensions or Unit, GreaterThanOrEqualToThreshold 1), its actions enabled, with the account's alert topic as its ALARM action.`,
    },
  });
}

/** The control of each CIS filter, by filter id. */
export const CIS_FILTER_CONTROLS: ReadonlyMap<string, ControlDeclaration> = new Map(CIS_METRIC_FILTERS.map((f) => [f.id, filterControl(f)]));

export const CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS = defineControl({
  id: 'cis.console-signin-outside-business-hours',
  title: 'Alarm on console sign-ins outside business hours',
  description: 'A metric filter counting successful console sign-ins and a metric-math alarm that fires for any of them outside the configured business hours (alerts.businessHours).',
  tsc: ['CC7.2', 'CC7.3', 'CC6.1'],
  evidence: {
    api: ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms'],
    command: 'aws cloudwatch describe-alarms --alarm-names <prefix>-console-signin-outside-business-hours',
    lookFor: "The sign-in filter as the baseline writes it (exact pattern, one transformation emitting 1, nothing more); the alarm's metric math exactly as the baseline derives it from alerts.businessHours: the one-minute Sum of ConsoleSignInSuccess in the configured namespace (no dimensions or unit), its UTC day and minute, and the business hours' expression returning the alarm's data; EvaluationPeriods 1, GreaterThanOrEqualToThreshold 1; its actions enabled, with the account's alert topic as its ALARM action.",
  },
});

/** The alarm description: the control it implements and what it cites. */
export function alarmDescription(control: ControlDeclaration, logGroupName: string, detail?: string): string {
  const cites = [
    ...(control.cis?.['v3.0.0'] ? [`CIS ${control.cis['v3.0.0']}`] : []),
    ...(control.securityHub?.length ? [`Security Hub ${control.securityHub.join(', ')}`] : []),
    `SOC 2 ${control.tsc.join(', ')}`,
  ];
  return `${control.title}${detail ? ` (${detail})` : ''}: control ${control.id} (${cites.join('; ')}), on the events of ${logGroupName}`;
}

export const GUARDRAIL_ROLE_CHANGE_ALARM = defineControl({
  id: 'guardrails.exempt-role-change-alarm',
  title: "Alarm on creating or changing the guardrails' pipeline, break-glass and plan roles",
  description:
    "A metric filter on the organization trail's log group and a Sum >= 1 alarm on any creation, deletion, trust or permission change of a role named like the pipeline, break-glass or plan role, in any account: the management account, where no SCP protects them and the key policies' exemption is by name, included.",
  tsc: ['CC6.1', 'CC7.2', 'CC7.3'],
  evidence: {
    api: ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms'],
    command: 'aws logs describe-metric-filters --log-group-name <org trail log group> --filter-name-prefix <prefix>-org-guardrail-role-changed && aws cloudwatch describe-alarms --alarm-names <prefix>-org-guardrail-role-changed',
    lookFor:
      "The filter has exactly the baseline's pattern and emits GuardrailRoleChanged in the configured namespace as the baseline writes it (one transformation emitting 1, nothing more); the alarm watches that metric as the baseline writes it (Statistic Sum over 300 s, EvaluationPeriods 1, GreaterThanOrEqualToThreshold 1), its actions enabled, with the account's alert topic as its ALARM action; each firing has a change or incident record.",
  },
});
