/** The guardrails that keep the baseline's logging switched on: nobody can blind the auditors. */
import { defineControl } from '../control-model/control';

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

export const GUARDRAIL_RCPS = defineControl({
  id: 'guardrails.resource-control-policies',
  title: 'Resource control policies keep principals outside the organization away from the log archive',
  description:
    "RCPs attached to the organization root (or guardrails.targets) deny every principal outside the organization, and every AWS service acting for a resource outside it, access to the log-archive buckets, the baseline's KMS keys and the alert route's SQS queues, whatever their own policies grant (docs/guardrails.md, \"Resource control policies\").",
  tsc: ['CC6.1', 'CC6.6', 'CC6.7'],
  evidence: {
    api: ['organizations:ListPoliciesForTarget', 'organizations:DescribePolicy'],
    command: 'aws organizations list-policies-for-target --target-id <root id> --filter RESOURCE_CONTROL_POLICY',
    lookFor: 'The <prefix>-baseline-resource-perimeter-N policies attached to the root (or the configured targets), their content as synthesized.',
  },
});

export const CENTRALIZED_ROOT_ACCESS = defineControl({
  id: 'guardrails.centralized-root-access',
  title: "Member accounts' root access is managed centrally",
  description:
    'IAM centralized root access (RootCredentialsManagement and RootSessions) is on for the organization: member accounts can be left without root credentials, and privileged root tasks run through short-term sts:AssumeRoot sessions from the management account, recorded by CloudTrail (docs/guardrails.md, "Root access").',
  tsc: ['CC6.1', 'CC7.2'],
  evidence: {
    api: ['iam:ListOrganizationsFeatures', 'organizations:ListAWSServiceAccessForOrganization'],
    command: 'aws iam list-organizations-features',
    lookFor: 'EnabledFeatures holds RootCredentialsManagement and RootSessions; iam.amazonaws.com has trusted access.',
  },
});
