/**
 * Coverage of Prowler's SOC 2 framework for AWS (`prowler/compliance/aws/soc2_aws.json`, pinned in
 * controls/frameworks/prowler-soc2-aws.json with its commit): for each requirement, each of its
 * checks is either satisfied by controls of the baseline (those that list the check id), or a
 * logging/monitoring check the baseline does not satisfy (with the reason), or outside the baseline's
 * scope: the customer's responsibility (RDS, ELB, EC2 patching...), listed so the auditor sees the
 * whole framework.
 */
import framework from './frameworks/prowler-soc2-aws.json';
import type { ControlDeclaration } from '../modules/control-model/control';

export interface ProwlerRequirement {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly checks: readonly string[];
}

export const PROWLER_SOC2_FRAMEWORK = framework as { source: string; commit: string; framework: string; requirements: readonly ProwlerRequirement[] };

/**
 * Logging and monitoring checks of the framework, in the baseline's services, that no control of the
 * baseline satisfies, and why. Everything here is a known gap, stated, never silently missing.
 */
export const NOT_COVERED_CHECKS: Readonly<Record<string, string>> = {
  cloudtrail_threat_detection_enumeration:
    "Prowler analyses the trail's recent events itself; the baseline records them (cloudtrail.organization-trail) and GuardDuty flags anomalous discovery calls (guardduty.organization), but runs no equivalent of this check.",
  cloudtrail_threat_detection_privilege_escalation:
    "Prowler analyses the trail's recent events itself; the baseline records them (cloudtrail.organization-trail) and GuardDuty flags anomalous privilege escalation (guardduty.organization), but runs no equivalent of this check.",
  cloudtrail_threat_detection_llm_jacking:
    "Prowler analyses the trail's recent Bedrock events itself; the baseline records management events but runs no equivalent of this check.",
  cloudtrail_s3_dataevents_write_enabled:
    "Prowler passes a trail that records write data events of every bucket; the baseline records those of the buckets listed in trail.dataEvents.s3 (cloudtrail.data-events), chosen for the data they hold and their cost.",
  cloudtrail_s3_dataevents_read_enabled:
    "Prowler passes a trail that records read data events of every bucket; the baseline records those of the buckets listed in trail.dataEvents.s3 (cloudtrail.data-events), chosen for the data they hold and their cost.",
  guardduty_no_high_severity_findings:
    'A state of the findings, not a setting: the baseline sends every high-severity finding to people (guardduty.findings-alerting); that none stays open is the responders\' work.',
  cloudtrail_bedrock_logging_enabled: 'Bedrock model invocation data events are not among the data events the baseline can record (trail.dataEvents: S3, Lambda, DynamoDB).',
  cloudwatch_cross_account_sharing_disabled:
    "The baseline creates no CloudWatch cross-account sharing role; whether an account has one (CloudWatch-CrossAccountSharingRole) is the account owner's setting.",
  cloudwatch_log_group_not_publicly_accessible:
    "The baseline sets no resource policy on its log groups; CloudWatch Logs resource policies of the account are the account owner's.",
};

export type CheckStatus = 'satisfied' | 'not-covered' | 'customer-responsibility';

export interface CheckCoverage {
  readonly check: string;
  readonly status: CheckStatus;
  /** The controls that satisfy it (status "satisfied"). */
  readonly controls: readonly string[];
  /** Why it is not covered, or whose it is. */
  readonly note?: string;
}

export interface RequirementCoverage {
  readonly id: string;
  readonly name: string;
  readonly checks: readonly CheckCoverage[];
}

/**
 * Each requirement of the framework with the coverage of each of its checks. A check is satisfied
 * only by controls this config deploys (`deployed`, when given): a control left unconfigured or
 * switched off does not satisfy it.
 */
export function prowlerCoverage(catalog: readonly ControlDeclaration[], deployed?: (controlId: string) => boolean): RequirementCoverage[] {
  const byCheck = new Map<string, string[]>();
  for (const control of catalog) {
    for (const check of control.prowler ?? []) byCheck.set(check, [...(byCheck.get(check) ?? []), control.id]);
  }
  return PROWLER_SOC2_FRAMEWORK.requirements.map((r) => ({
    id: r.id,
    name: r.name,
    checks: [...new Set(r.checks)].map((check): CheckCoverage => {
      const controls = byCheck.get(check);
      if (controls) {
        const live = deployed ? controls.filter(deployed) : controls;
        if (live.length > 0) return { check, status: 'satisfied', controls: live };
        return { check, status: 'not-covered', controls: [], note: `Satisfied by ${controls.join(', ')}, which this config does not deploy (see the control's status).` };
      }
      const gap = NOT_COVERED_CHECKS[check];
      if (gap) return { check, status: 'not-covered', controls: [], note: gap };
      return { check, status: 'customer-responsibility', controls: [], note: 'Outside the logging and monitoring baseline: the workload owner\'s control.' };
    }),
  }));
}
