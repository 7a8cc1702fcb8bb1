/**
 * Reading attribute values out of a plan's `before`/`after` objects. In Terraform's JSON plan a nested
 * block is a list of objects (list and set nesting) or, for the provider framework's single nesting, one
 * object; `blocks` reads both, so a rule does not depend on how the provider declares the block.
 */
import type { JsonObject, JsonValue, PlannedChange } from './plan';

export type Path = readonly (string | number)[];

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested block's objects: `[]` when absent or null. */
export function blocks(value: JsonValue | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** The first object of a nested block, or null. */
export function block(value: JsonValue | undefined): JsonObject | null {
  return blocks(value)[0] ?? null;
}

/** The value at `path`, where a string step also steps into a single-object block list. */
export function valueAt(root: JsonValue | undefined, path: Path): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const step of path) {
    if (node === null || node === undefined) return undefined;
    if (typeof step === 'number') {
      node = Array.isArray(node) ? node[step] : undefined;
    } else {
      const object: JsonObject | null = Array.isArray(node) ? block(node) : isObject(node) ? node : null;
      node = object ? object[step] : undefined;
    }
  }
  return node;
}

/** Whether the value at `path` after the change is known only after apply (`after_unknown`). */
export function unknownAfter(change: PlannedChange, path: Path): boolean {
  // `after_unknown` mirrors `after`: `true` at the unknown value, or at a block or object holding it.
  let node: JsonValue | undefined = change.afterUnknown;
  for (const step of path) {
    if (node === true) return true;
    if (typeof step === 'number') node = Array.isArray(node) ? node[step] : undefined;
    else node = (Array.isArray(node) ? block(node) : isObject(node) ? node : null)?.[step];
  }
  return node === true;
}

/** JSON with object keys sorted, for comparing values whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

/** A value for a finding's text: strings quoted, absent shown as "unset". */
export function show(value: JsonValue | undefined): string {
  return value === undefined || value === null ? 'unset' : JSON.stringify(value);
}

/** Whether the change updates the object in place or replaces it: both have a before and an after to compare. */
export function comparesValues(change: PlannedChange): boolean {
  return (change.kind === 'update' || change.kind === 'replace') && change.before !== null;
}

/** The statements of an IAM policy document held as a JSON string (a bucket policy's `policy`). */
export function policyStatements(policy: JsonValue | undefined): JsonObject[] | null {
  if (typeof policy !== 'string') return policy === null || policy === undefined ? [] : null;
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    return null;
  }
  if (!isObject(document)) return null;
  const statement = document.Statement;
  // IAM accepts one statement object or a list of them (IAM JSON policy reference, "Statement").
  return Array.isArray(statement) ? statement.filter(isObject) : isObject(statement) ? [statement] : [];
}

/** A policy statement with single values as one-element lists, for comparing statements as written in either form. */
export function normalizedStatement(statement: JsonObject): string {
  // A scalar becomes a one-element list, a list is sorted (IAM lists are sets), an object keeps its keys.
  const listy = (v: JsonValue): JsonValue =>
    Array.isArray(v)
      ? [...v].sort((a, b) => stableJson(a).localeCompare(stableJson(b)))
      : isObject(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, listy(x)]))
        : [v];
  const { Sid: _sid, ...rest } = statement;
  return stableJson(Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === 'Effect' ? v : listy(v)])));
}

/** Unset, an empty string, an empty list and an empty object all mean the attribute is not set. */
export function orNull(value: JsonValue | undefined): JsonValue {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return null;
  return isObject(value) && Object.keys(value).length === 0 ? null : value;
}

/**
 * How the value at `path` changes, for a finding (`name: before → after`), or null when it stays the
 * same (unset and empty alike). A value known only after apply is a change: the plan cannot show it stays.
 */
export function changedValue(change: PlannedChange, path: Path): string | null {
  const name = path.join('.');
  const before = orNull(valueAt(change.before ?? {}, path));
  if (unknownAfter(change, path)) return `${name}: ${show(before)} → known only after apply`;
  const after = orNull(valueAt(change.after ?? {}, path));
  return stableJson(before) === stableJson(after) ? null : `${name}: ${show(before)} → ${show(after)}`;
}
