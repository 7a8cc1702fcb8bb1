/**
 * What a control of the baseline is, for an auditor: a small typed declaration next to the construct
 * that builds it (cdk-nag style), naming the SOC 2 Trust Services Criteria it serves, the CIS AWS
 * Foundations Benchmark sections, Security Hub controls, AWS Config rules and Prowler checks that
 * verify it, and the evidence that proves it. The control matrix (`controls/matrix.ts`), the documentation's
 * control tables and the alarms' descriptions are generated from these declarations.
 */

/**
 * The SOC 2 Trust Services Criteria (AICPA, 2017 criteria with 2022 points of focus) the baseline's
 * logging and monitoring controls serve, with the criterion's subject in a few words.
 */
export const TSC_CRITERIA = {
  'CC2.1': 'The entity obtains or generates and uses relevant, quality information to support internal control',
  'CC2.2': 'The entity internally communicates information necessary to support internal control',
  'CC4.1': 'The entity selects, develops and performs ongoing evaluations of the components of internal control',
  'CC4.2': 'The entity evaluates and communicates internal control deficiencies in a timely manner',
  'CC6.1': 'Logical access security software, infrastructure and architectures protect information assets',
  'CC6.2': 'Users are registered and authorized before credentials are issued, and their credentials removed when access is no longer authorized',
  'CC6.3': 'Access is authorized, modified or removed based on roles and responsibilities, with least privilege and segregation of duties',
  'CC6.6': 'Logical access security measures protect against threats from sources outside system boundaries',
  'CC6.7': 'The entity restricts the transmission, movement and removal of information',
  'CC6.8': 'The entity implements controls to prevent or detect and act upon the introduction of unauthorized or malicious software',
  'CC7.1': 'Detection and monitoring procedures identify configuration changes and new vulnerabilities',
  'CC7.2': 'The entity monitors system components for anomalies indicative of malicious acts and errors',
  'CC7.3': 'The entity evaluates security events to determine whether they are incidents',
  'CC8.1': 'Changes to infrastructure and software are authorized, tracked and approved',
  'A1.2': 'Environmental protections, backup and recovery infrastructure support availability objectives',
} as const;

export type TscCriterion = keyof typeof TSC_CRITERIA;

/** How an auditor obtains the evidence that the control is in place and working. */
export interface EvidenceItem {
  /** The read-only API call(s), as `service:Action` (what `baseline evidence` calls). */
  readonly api: readonly string[];
  /** The same as a CLI command a person can run, with `<placeholders>`. */
  readonly command: string;
  /** What the response must show for the control to pass. */
  readonly lookFor: string;
  /**
   * What read-only evidence cannot see of this control: the tamperings it does not catch, and why. The
   * binder prints it beside the control ("Not judged: ..."), so that a PASS is never read as more
   * than what was judged.
   * @default - nothing the evidence misses is known
   */
  readonly notJudged?: string;
}

export interface ControlDeclaration {
  /** Stable id, `<family>.<name>`: the matrix, the evidence binder and exceptions use it. */
  readonly id: string;
  readonly title: string;
  /** What the baseline deploys for it, and why that satisfies the criteria, in a sentence or two. */
  readonly description: string;
  readonly tsc: readonly TscCriterion[];
  /**
   * CIS AWS Foundations Benchmark sections: v3.0.0, and v1.4.0 where its numbering differs.
   * @default - none (the control is not a CIS recommendation)
   */
  readonly cis?: { readonly 'v3.0.0'?: string; readonly 'v1.4.0'?: string };
  /**
   * Security Hub control ids that evaluate it (AWS Security Hub controls reference,
   * https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-controls-reference.html).
   * @default - none
   */
  readonly securityHub?: readonly string[];
  /**
   * AWS Config managed rules (by rule name) that evaluate it.
   * @default - none
   */
  readonly awsConfigRules?: readonly string[];
  /**
   * Prowler check ids that verify it (prowler/providers/aws/services/<service>/<check>/).
   * @default - none
   */
  readonly prowler?: readonly string[];
  readonly evidence: EvidenceItem;
}

const ID = /^[a-z0-9-]+\.[a-z0-9-]+$/;

/** Declares a control; the id's shape and the presence of criteria are checked once, at load. */
export function defineControl<T extends ControlDeclaration>(control: T): T {
  if (!ID.test(control.id)) throw new Error(`control id "${control.id}": must be <family>.<name> in lowercase letters, digits and hyphens`);
  if (control.tsc.length === 0) throw new Error(`control ${control.id}: tsc must name at least one Trust Services Criterion`);
  for (const c of control.tsc) {
    if (!(c in TSC_CRITERIA)) throw new Error(`control ${control.id}: tsc "${c}" is not a criterion of TSC_CRITERIA`);
  }
  return control;
}
