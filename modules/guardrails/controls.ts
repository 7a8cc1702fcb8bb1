/** The guardrails that keep the baseline's logging switched on: nobody can blind the auditors. */
import { defineControl } from '../../controls/control';

export const GUARDRAIL_SCPS = defineControl({
  id: 'guardrails.service-control-policies',
  title: "Service control policies deny weakening the baseline's logging",
  description:
    "SCPs attached to the organization root (or guardrails.targets) deny, to every principal but the pipeline and break-glass roles, the actions that would stop, delete or weaken the baseline's trails, recorders, detectors, analyzers, flow logs, log groups, alarms, alert routes, log-archive buckets and keys, and leaving the organization (docs/guardrails.md).",
  tsc: ['CC6.1', 'CC7.2', 'CC8.1'],
  evidence: {
    api: ['organizations:ListPoliciesForTarget', 'organizations:DescribePolicy'],
    command: 'aws organizations list-policies-for-target --target-id <root id> --filter SERVICE_CONTROL_POLICY',
    lookFor: 'The <prefix>-baseline-guardrails-N policies attached to the root (or the configured targets), their content as synthesized.',
  },
});

export const BREAK_GLASS_ALARM = defineControl({
  id: 'guardrails.break-glass-alarm',
  title: 'Alarm on every use of the break-glass role',
  description: "A metric filter on the organization trail's log group and an alarm on any call made with, or assumption of, the break-glass role: the way out of the guardrails is watched.",
  tsc: ['CC7.2', 'CC7.3', 'CC6.1'],
  evidence: {
    api: ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms'],
    command: 'aws cloudwatch describe-alarms --alarm-names <prefix>-org-break-glass-role-used',
    lookFor: "The filter has exactly the baseline's pattern and emits its metric as the baseline writes it (one transformation emitting 1, with no dimensions, unit or default value, and no applyOnTransformedLogs, fieldSelectionCriteria or emitSystemFieldDimensions); the alarm watches that metric exactly as the baseline writes it (Statistic Sum over 300 s, EvaluationPeriods 1 (DatapointsToAlarm unset or 1), no Dimensions or Unit, GreaterThanOrEqualToThreshold 1), its actions enabled, with the account's alert topic as its ALARM action; each firing has an incident record.",
  },
});
