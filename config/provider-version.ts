/**
 * The AWS provider version constraint the stacks declare (`terraform.required_providers.aws.version`).
 *
 * The provider bindings are @cdktf/provider-aws for AWS provider 6.25.0, the last cdktf generated: the
 * stacks use only arguments and resources 6.25.0 has. Provider 6.x keeps its arguments within the
 * major version (HashiCorp's "Versioning and changelogs" for providers, which its providers follow:
 * a minor release adds features "but existing functionality remains broadly compatible", a major one
 * "indicates that significant breaking changes have been made";
 * https://developer.hashicorp.com/terraform/plugin/best-practices/versioning), so a later 6.x release
 * reads what the stacks write; 7.0.0 may not. A constraint may therefore widen the
 * exact default to later 6.x releases, and must admit nothing below 6.25.0 (arguments the bindings
 * write that an older provider lacks) or from 7.0.0 on.
 *
 * Syntax, from Terraform's "Version constraints"
 * (https://developer.hashicorp.com/terraform/language/expressions/version-constraints): conditions
 * separated by commas, each an operator and a version; `=` (or no operator) allows one exact version
 * and "cannot be combined with other conditions"; `!=` excludes one; `>`, `>=`, `<`, `<=` compare;
 * `~>` "allows only the rightmost version component to increment" (`~> 1.0.4` allows 1.0.5 and
 * 1.0.10, not 1.1.0). Pre-release versions are refused here: a baseline runs on releases.
 */
import { z } from 'zod';

/** The provider version the bindings were generated for (@cdktf/provider-aws, `providerVersion`). */
export const BINDINGS_PROVIDER_VERSION = '6.25.0';
/** The first version the constraint must not admit. */
const NEXT_MAJOR = '7.0.0';

type Version = readonly [number, number, number];

function parseVersion(text: string): { version: Version; parts: number } | undefined {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).filter((p) => p !== undefined).length;
  return { version: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], parts };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

const show = (v: Version) => v.join('.');

/** A range of versions: `min` (inclusive unless `minOpen`) to `max` (exclusive unless `maxClosed`). */
interface Range {
  min: Version;
  minOpen: boolean;
  max?: Version;
  maxClosed: boolean;
}

/** Why `constraint` is not acceptable, or undefined when it is. */
export function providerConstraintProblem(constraint: string): string | undefined {
  const conditions = constraint.split(',').map((c) => c.trim());
  if (conditions.some((c) => c === '')) return 'must be a Terraform version constraint such as "6.25.0" or "~> 6.25" (an empty condition between commas)';
  const range: Range = { min: [0, 0, 0], minOpen: false, maxClosed: false };
  const tighten = (min?: Version, minOpen = false, max?: Version, maxClosed = false) => {
    if (min && (compare(min, range.min) > 0 || (compare(min, range.min) === 0 && minOpen))) Object.assign(range, { min, minOpen });
    if (max && (!range.max || compare(max, range.max) < 0 || (compare(max, range.max) === 0 && !maxClosed))) Object.assign(range, { max, maxClosed });
  };
  for (const condition of conditions) {
    const m = /^(=|!=|>=|<=|>|<|~>)?\s*(\S+)$/.exec(condition);
    const parsed = m && parseVersion(m[2]);
    if (!m || !parsed) {
      return `must be a Terraform version constraint such as "6.25.0" or "~> 6.25": "${condition}" is not an operator (=, !=, >, >=, <, <=, ~>) and a release version (MAJOR.MINOR.PATCH, no pre-release suffix)`;
    }
    const op = m[1] ?? '=';
    const v = parsed.version;
    if (op === '=' && conditions.length > 1) return `an exact version ("${condition}") cannot be combined with other conditions (Terraform's rule)`;
    if (op === '=') tighten(v, false, v, true);
    else if (op === '>=') tighten(v);
    else if (op === '>') tighten(v, true);
    else if (op === '<') tighten(undefined, false, v);
    else if (op === '<=') tighten(undefined, false, v, true);
    else if (op === '~>') {
      // The rightmost component given may increment: ~> 6.25 is >= 6.25.0, < 7.0.0; ~> 6.25.1 is < 6.26.0.
      const upper: Version = parsed.parts === 3 ? [v[0], v[1] + 1, 0] : [v[0] + 1, 0, 0];
      tighten(v, false, upper);
    }
    // != excludes one version: it neither widens nor narrows the bounds.
  }
  const floor = parseVersion(BINDINGS_PROVIDER_VERSION)!.version;
  const ceiling = parseVersion(NEXT_MAJOR)!.version;
  if (compare(range.min, floor) < 0) {
    return `admits provider versions below ${BINDINGS_PROVIDER_VERSION} (from ${show(range.min)}), which lack arguments the stacks write (the bindings are for ${BINDINGS_PROVIDER_VERSION}): start at ${BINDINGS_PROVIDER_VERSION} or later, e.g. "~> 6.25"`;
  }
  if (!range.max || compare(range.max, ceiling) > 0 || (compare(range.max, ceiling) === 0 && range.maxClosed)) {
    return `admits provider ${NEXT_MAJOR} or later, whose arguments may differ from the 6.x the stacks are written for: stay below ${NEXT_MAJOR}, e.g. "~> 6.25" or ">= 6.25.0, < 7.0.0"`;
  }
  if (compare(range.min, range.max) > 0 || (compare(range.min, range.max) === 0 && (range.minOpen || !range.maxClosed))) {
    return 'admits no version at all: check the bounds';
  }
  return undefined;
}

export const providerConstraintSchema = z
  .string({ error: 'must be a Terraform version constraint such as "6.25.0" or "~> 6.25"' })
  .superRefine((constraint, ctx) => {
    const problem = providerConstraintProblem(constraint);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
