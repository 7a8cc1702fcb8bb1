/**
 * An investigations table or their database deleted or replaced, or a table's definition changed.
 * `aws_glue_catalog_table` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/glue_catalog_table):
 * `parameters` (the partition projection, `projection.*` and `storage.location.template`: Athena User
 * Guide, "Use partition projection with Amazon Athena",
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html), `storage_descriptor`
 * (`location`, `input_format`, `output_format`, `ser_de_info`, `columns`), `partition_keys`,
 * `table_type`, `view_original_text`, `view_expanded_text`, `target_table`; `aws_glue_catalog_database`
 * (…/glue_catalog_database). A table that reads another prefix, parses with another SerDe or drops a
 * column answers the investigations wrongly without failing. A deleted table takes its versions, the
 * record the evidence reads of how it read the logs: "you no longer have access to the table versions
 * and partitions that belong to the deleted table" (Glue API, DeleteTable:
 * https://docs.aws.amazon.com/glue/latest/webapi/API_DeleteTable.html).
 * `projection.account.values` and `projection.region.values` are enum lists (comma-separated): vending
 * an account, or a new known Region, adds a value, which reads more and passes; a value removed stops
 * the table from reading that account's or Region's logs, and is flagged. Any other change is flagged,
 * whatever its cause, a baseline upgrade's new columns included: a reviewer accepts it with `--allow`.
 */
import { INVESTIGATIONS_ATHENA } from '../../modules/investigations/controls';
import type { JsonObject, JsonValue, PlannedChange } from '../plan';
import { block, changedValue, comparesValues, orNull, show, stableJson, unknownAfter } from '../values';
import { defineRule, destroyedFindings } from './rule';

/** The partition projection's enum parameters, which may grow but not shrink. */
export const GROWING_ENUMS = ['projection.account.values', 'projection.region.values'] as const;

const TABLE_WATCHED = ['table_type', 'partition_keys', 'view_original_text', 'view_expanded_text', 'target_table'] as const;

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const enumValues = (v: JsonValue | undefined) => new Set(typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

function parameterFindings(change: PlannedChange): string[] {
  if (unknownAfter(change, ['parameters'])) return ['parameters: known only after apply'];
  const before = isObject(change.before!.parameters) ? change.before!.parameters : {};
  const after = isObject(change.after?.parameters) ? change.after!.parameters : {};
  const found: string[] = [];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if ((GROWING_ENUMS as readonly string[]).includes(key)) {
      const kept = enumValues(after[key]);
      const removed = [...enumValues(before[key])].filter((v) => !kept.has(v));
      if (removed.length > 0) found.push(`parameters["${key}"]: ${removed.join(', ')} removed`);
    } else if (stableJson(orNull(before[key])) !== stableJson(orNull(after[key]))) {
      found.push(`parameters["${key}"]: ${show(before[key])} → ${show(after[key])}`);
    }
  }
  return found;
}

const isBlock = (v: JsonValue | undefined) => Array.isArray(v) && v.length > 0 && v.every(isObject);

function pushChanged(found: string[], change: PlannedChange, path: readonly string[]): void {
  const changed = changedValue(change, path);
  if (changed) found.push(changed);
}

interface Column {
  readonly name: string;
  readonly type: JsonValue;
}

const columnsOf = (v: JsonValue | undefined): Column[] =>
  (Array.isArray(v) ? v : []).filter(isObject).map((c) => ({ name: String(c.name), type: c.type ?? null }));

/** The columns removed, retyped or added; a new order alone too (a delimited SerDe reads by position). */
function columnFindings(before: JsonValue | undefined, after: JsonValue | undefined): string[] {
  const was = columnsOf(before);
  const is = columnsOf(after);
  const now = new Map(is.map((c) => [c.name, c]));
  const then = new Map(was.map((c) => [c.name, c]));
  const found: string[] = [];
  for (const c of was) {
    const n = now.get(c.name);
    if (!n) found.push(`storage_descriptor.columns "${c.name}": removed`);
    else if (stableJson(n.type) !== stableJson(c.type)) found.push(`storage_descriptor.columns "${c.name}": ${show(c.type)} → ${show(n.type)}`);
  }
  for (const c of is) if (!then.has(c.name)) found.push(`storage_descriptor.columns "${c.name}": added`);
  if (found.length === 0 && stableJson(was.map((c) => c.name)) !== stableJson(is.map((c) => c.name))) found.push('storage_descriptor.columns: reordered');
  return found;
}

function storageFindings(change: PlannedChange): string[] {
  if (unknownAfter(change, ['storage_descriptor'])) return ['storage_descriptor: known only after apply'];
  const before = block(change.before!.storage_descriptor) ?? {};
  const after = block(change.after?.storage_descriptor) ?? {};
  const found: string[] = [];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (key === 'columns') {
      if (unknownAfter(change, ['storage_descriptor', 'columns'])) found.push('storage_descriptor.columns: known only after apply');
      else found.push(...columnFindings(before.columns, after.columns));
    } else if (isBlock(before[key]) || isBlock(after[key])) {
      // A nested block (ser_de_info, skewed_info, schema_reference): name the argument that changes.
      const inner = [block(before[key]), block(after[key])].flatMap((b) => Object.keys(b ?? {}));
      if (unknownAfter(change, ['storage_descriptor', key])) found.push(`storage_descriptor.${key}: known only after apply`);
      else for (const k of [...new Set(inner)].sort()) pushChanged(found, change, ['storage_descriptor', key, k]);
    } else {
      pushChanged(found, change, ['storage_descriptor', key]);
    }
  }
  return found;
}

function tableFindings(change: PlannedChange): string[] {
  return [
    ...parameterFindings(change),
    ...storageFindings(change),
    ...TABLE_WATCHED.map((attribute) => changedValue(change, [attribute])).filter((f): f is string => f !== null),
  ];
}

export const INVESTIGATION_TABLE_CHANGED = defineRule({
  id: 'investigation-table-changed',
  title: "An investigations table or their database is deleted or replaced, or a table's projection, location, SerDe, columns or type changes",
  controls: [INVESTIGATIONS_ATHENA],
  resourceTypes: ['aws_glue_catalog_table', 'aws_glue_catalog_database'],
  check(change: PlannedChange) {
    if (change.type === 'aws_glue_catalog_database') {
      return destroyedFindings(change, 'the investigations database', 'its tables go with it, and no investigation runs until they are back');
    }
    const destroyed = destroyedFindings(change, 'the investigations table', 'its table versions, the record of how it read the logs, go with it');
    return comparesValues(change) ? [...destroyed, ...tableFindings(change)] : destroyed;
  },
});
