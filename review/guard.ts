/**
 * The review of a plan: what it does (counts by action and by resource type) and the SOC 2 guard's
 * verdict (every change a rule says weakens a control, split into violations and reviewed exceptions).
 */
import type { ControlDeclaration } from '../modules/control-model/control';
import { findAllow, type AllowEntry } from './allow';
import { CHANGE_KINDS, type ChangeKind, type StackPlan } from './plan';
import { REVIEW_RULES, type ReviewRule } from './rules';

export interface Finding {
  readonly rule: ReviewRule;
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  /** What weakens the control, e.g. `enable_logging: true → false`. */
  readonly detail: string;
  readonly controls: readonly ControlDeclaration[];
}

export interface AcceptedFinding extends Finding {
  readonly allow: AllowEntry;
}

export type KindCounts = Readonly<Record<ChangeKind, number>>;

export interface StackReview {
  readonly stack: string;
  readonly file: string;
  readonly terraformVersion?: string;
  /** Resource changes by kind (data source reads included under `read`). */
  readonly counts: KindCounts;
  /** Changes by resource type, types that only read or stay unchanged left out, sorted by type. */
  readonly byType: readonly { readonly type: string; readonly counts: KindCounts }[];
  readonly violations: readonly Finding[];
  readonly accepted: readonly AcceptedFinding[];
}

export interface Review {
  readonly stacks: readonly StackReview[];
  /** Allow entries that matched no finding: stale exceptions worth removing. */
  readonly unusedAllows: readonly AllowEntry[];
  readonly passed: boolean;
}

function zeroCounts(): Record<ChangeKind, number> {
  return Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
}

const RULES_BY_TYPE: ReadonlyMap<string, readonly ReviewRule[]> = (() => {
  const map = new Map<string, ReviewRule[]>();
  for (const rule of REVIEW_RULES) for (const type of rule.resourceTypes) map.set(type, [...(map.get(type) ?? []), rule]);
  return map;
})();

/** Every weakening in a plan, by the given rules (all of them unless a test narrows the list). */
export function findWeakenings(plan: StackPlan, rules: readonly ReviewRule[] = REVIEW_RULES): Finding[] {
  const rulesOf = (type: string) => (rules === REVIEW_RULES ? (RULES_BY_TYPE.get(type) ?? []) : rules.filter((r) => r.resourceTypes.includes(type)));
  const findings: Finding[] = [];
  for (const change of plan.changes) {
    // Data sources are only read: nothing of theirs can weaken a control.
    if (change.mode !== 'managed') continue;
    for (const rule of rulesOf(change.type)) {
      for (const detail of rule.check(change)) {
        findings.push({ rule, stack: plan.stack, address: change.address, type: change.type, detail, controls: rule.controlsFor?.(change) ?? rule.controls });
      }
    }
  }
  return findings;
}

export function reviewPlans(plans: readonly StackPlan[], allows: readonly AllowEntry[]): Review {
  const used = new Set<AllowEntry>();
  const stacks = plans.map((plan): StackReview => {
    const counts = zeroCounts();
    const types = new Map<string, Record<ChangeKind, number>>();
    for (const change of plan.changes) {
      counts[change.kind]++;
      if (change.mode !== 'managed' || change.kind === 'no-op' || change.kind === 'read') continue;
      const perType = types.get(change.type) ?? zeroCounts();
      perType[change.kind]++;
      types.set(change.type, perType);
    }
    const violations: Finding[] = [];
    const accepted: AcceptedFinding[] = [];
    for (const finding of findWeakenings(plan)) {
      const allow = findAllow(allows, plan.stack, finding.address);
      if (allow) {
        used.add(allow);
        accepted.push({ ...finding, allow });
      } else {
        violations.push(finding);
      }
    }
    return {
      stack: plan.stack,
      file: plan.file,
      terraformVersion: plan.terraformVersion,
      counts,
      byType: [...types.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, c]) => ({ type, counts: c })),
      violations,
      accepted,
    };
  });
  return { stacks, unusedAllows: allows.filter((a) => !used.has(a)), passed: stacks.every((s) => s.violations.length === 0) };
}
