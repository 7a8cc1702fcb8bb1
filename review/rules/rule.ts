/**
 * A review rule (cdk-nag style): a small pure declaration of one way a plan can weaken a control, with
 * the control declarations (modules/control-model/control.ts) it protects. Each rule is in its own file in this
 * folder and listed in `index.ts`; `check` reads one resource change and says what weakens the control.
 */
import type { ControlDeclaration } from '../../modules/control-model/control';
import type { PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter, valueAt, type Path } from '../values';

export interface ReviewRule {
  /** Stable id, used in the output and in tests: kebab-case, what happens (`trail-logging-off`). */
  readonly id: string;
  /** One line, what the rule refuses. */
  readonly title: string;
  /** The controls whose evidence the change would weaken. */
  readonly controls: readonly ControlDeclaration[];
  /** The Terraform resource types the rule reads. */
  readonly resourceTypes: readonly string[];
  /** What weakens a control in this change, one sentence each; empty when nothing does. */
  check(change: PlannedChange): readonly string[];
  /**
   * The controls of this change in particular, when the rule covers several (one per CIS alarm).
   * @default - `controls`
   */
  controlsFor?(change: PlannedChange): readonly ControlDeclaration[];
}

/** Declares a rule: the declaration is checked once, when the rule list loads. */
export function defineRule(rule: ReviewRule): ReviewRule {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id)) throw new Error(`review rule "${rule.id}": id must be kebab-case`);
  if (rule.controls.length === 0 && !rule.controlsFor) throw new Error(`review rule ${rule.id}: controls must name what it protects`);
  if (rule.resourceTypes.length === 0) throw new Error(`review rule ${rule.id}: resourceTypes must not be empty`);
  return rule;
}

export interface DestroyRuleSpec {
  readonly id: string;
  readonly title: string;
  readonly controls: readonly ControlDeclaration[];
  readonly resourceTypes: readonly string[];
  /** What the resource is, for the finding: "the log bucket". */
  readonly what: string;
  /** Why its loss weakens the control, for the finding. */
  readonly why: string;
  /** The controls of one change in particular (ReviewRule.controlsFor). @default - `controls` */
  readonly controlsFor?: ReviewRule['controlsFor'];
}

/**
 * A rule that refuses deleting or replacing a resource. A replacement destroys the object and creates
 * another: the logs, history or state the old one held (a bucket's objects, a key's ability to decrypt,
 * a detector's findings) do not carry over, and the control is off in between.
 */
export function destroyRule(spec: DestroyRuleSpec): ReviewRule {
  return defineRule({
    id: spec.id,
    title: spec.title,
    controls: spec.controls,
    resourceTypes: spec.resourceTypes,
    ...(spec.controlsFor ? { controlsFor: spec.controlsFor } : {}),
    check: (change) => destroyedFindings(change, spec.what, spec.why),
  });
}

/** What `destroyRule` reports: the deletion or replacement of `what`, and `why` it weakens; empty otherwise. */
export function destroyedFindings(change: PlannedChange, what: string, why: string): string[] {
  if (change.kind === 'delete') return [`${what} is deleted: ${why}`];
  if (change.kind === 'replace') {
    const order = change.actions[0] === 'create' ? 'a new one is created first, then the old one destroyed' : 'destroyed, then created again';
    return [`${what} is replaced (${order}): ${why}`];
  }
  return [];
}

export interface TurnedOffRuleSpec {
  readonly id: string;
  readonly title: string;
  readonly controls: readonly ControlDeclaration[];
  readonly resourceTypes: readonly string[];
  /** The boolean attribute, as a path into the resource (`["enable_logging"]`). */
  readonly attribute: Path;
  /**
   * What the provider does when the attribute is not set (null in the plan), from the resource's
   * documentation: an unset `enable_logging` logs, an unset `is_multi_region_trail` does not.
   */
  readonly providerDefault: boolean;
}

/** A rule that refuses a boolean attribute going from on to off (or to unset, when unset means off). */
export function turnedOffRule(spec: TurnedOffRuleSpec): ReviewRule {
  const name = spec.attribute.join('.');
  const effective = (value: unknown) => (typeof value === 'boolean' ? value : spec.providerDefault);
  return defineRule({
    id: spec.id,
    title: spec.title,
    controls: spec.controls,
    resourceTypes: spec.resourceTypes,
    check(change) {
      if (!comparesValues(change)) return [];
      const before = valueAt(change.before!, spec.attribute);
      if (!effective(before)) return [];
      if (unknownAfter(change, spec.attribute)) return [`${name}: ${show(before)} → known only after apply, so the plan cannot show it stays on`];
      const after = valueAt(change.after ?? {}, spec.attribute);
      return effective(after) ? [] : [`${name}: ${show(before)} → ${show(after)}${after === null || after === undefined ? ` (unset means ${spec.providerDefault})` : ''}`];
    },
  });
}
