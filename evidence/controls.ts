/**
 * The controls the evidence checks judge come from the baseline's control catalog
 * (`controls/catalog.ts`): an item names a catalog id, and the binder summarises results by the
 * catalog's Trust Services Criteria. `__tests__/evidence/controls.test.ts` asserts that every id a
 * check emits is in the catalog.
 */
import { CONTROL_CATALOG } from '../controls/catalog';
import type { ControlDeclaration } from '../modules/control-model/control';
import { PERIOD_CONTROLS } from './period/controls';

export interface EvidenceControl {
  readonly id: string;
  readonly title: string;
  readonly tsc: readonly string[];
  /** What a PASS means: the declaration's `evidence.lookFor`. */
  readonly lookFor: string;
  /** What the evidence cannot see of the control (`evidence.notJudged`). */
  readonly notJudged?: string;
}

/**
 * Every control the binder judges: the catalog's (deployed by the stacks) and the audit period's
 * (evidence/period/controls.ts: operated by people, so in no stack and not in the control matrix).
 */
export const EVIDENCE_CATALOG: readonly ControlDeclaration[] = [...CONTROL_CATALOG, ...PERIOD_CONTROLS];

export const EVIDENCE_CONTROLS: ReadonlyMap<string, EvidenceControl> = new Map(
  EVIDENCE_CATALOG.map((c) => [c.id, { id: c.id, title: c.title, tsc: [...c.tsc], lookFor: c.evidence.lookFor, ...(c.evidence.notJudged ? { notJudged: c.evidence.notJudged } : {}) }] as const),
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
  if (!control) throw new Error(`evidence: unknown control id "${id}" (not in controls/catalog.ts nor evidence/period/controls.ts)`);
  return control;
}

/** The table of what the evidence does not judge, per control (docs/evidence.md shows it; a test keeps it in sync). */
export function notJudgedTable(): string {
  const rows = [...EVIDENCE_CONTROLS.values()].filter((c) => c.notJudged).map((c) => `| \`${c.id}\` | ${c.notJudged} |`);
  return ['| Control | Not judged |', '|---|---|', ...rows].join('\n');
}
