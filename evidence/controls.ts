/**
 * The controls the evidence checks judge come from the baseline's control catalog
 * (`controls/catalog.ts`): an item names a catalog id, and the binder summarises results by the
 * catalog's Trust Services Criteria. `__tests__/evidence/controls.test.ts` asserts that every id a
 * check emits is in the catalog.
 */
import { CONTROL_CATALOG } from '../controls/catalog';

export interface EvidenceControl {
  readonly id: string;
  readonly title: string;
  readonly tsc: readonly string[];
}

export const EVIDENCE_CONTROLS: ReadonlyMap<string, EvidenceControl> = new Map(
  CONTROL_CATALOG.map((c) => [c.id, { id: c.id, title: c.title, tsc: [...c.tsc] }] as const),
);

export function configRuleControlId(ruleName: string): string {
  return `config-rule.${ruleName}`;
}

export function cisControlId(filterId: string): string {
  return `cis.${filterId}`;
}

/** A control of the catalog; throws for an id that is not in it (a check's bug, caught by the tests). */
export function controlOf(id: string): EvidenceControl {
  const control = EVIDENCE_CONTROLS.get(id);
  if (!control) throw new Error(`evidence: unknown control id "${id}" (not in controls/catalog.ts)`);
  return control;
}
