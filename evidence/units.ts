/**
 * A collection run's results, task by task. Each finished task (and each `shared` answer) is one
 * unit: its items and the raw records of its calls, named uniquely within the unit. Units are what a
 * run streams to disk, what a resumed run reuses and what the shards of a sharded run hand to the
 * merge; the binder is assembled from them in unit-key order, so that it is the same whatever order
 * the tasks finished in, whether the run was resumed, and however it was sharded.
 *
 * Assembly gives names across units: a record keeps its name unless an earlier unit (in key order)
 * already used it. The same answer recorded by two units (the same call, answer and time: a `shared`
 * answer each shard read alike) is one record; anything else under a used name becomes
 * `<name>.2.json`, `.3`... and the items that read it follow it. Item ids repeated across units (a
 * check's bug) get `~2`, `~3`... the same way.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from './canonical';

import type { EvidenceItem, RawRecord } from './types';

/**
 * Unit keys of `shared` answers (evidence/context.ts `shared`): they sort before every task's key (`!`
 * before digits and letters), so that their records keep their names.
 */
export const SHARED_UNIT_PREFIX = '!shared/';

export interface Unit {
  /** The task's key (Task.key): unique in a run. */
  readonly key: string;
  readonly items: readonly EvidenceItem[];
  readonly raw: readonly RawRecord[];
}

export interface UnitSink {
  add(unit: Unit): void;
}

/** Compares unit keys: `shared` answers first (their records keep their names), then by key. */
export function compareUnitKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What identifies a record: the call (operation, account, Region, request) and what it answered, when.
 * Two records with the same name and identity are one call's answer, recorded twice (a `shared` answer
 * that two shards read at the same moment): one file. Any difference keeps both.
 */
function recordIdentity(record: RawRecord): string {
  const { name: _name, ...rest } = record;
  return createHash('sha256')
    .update(JSON.stringify(canonicalize(rest)))
    .digest('base64');
}

/** A unit's items and records under their final names and ids (see the file's comment). */
export interface AssignedUnit {
  readonly items: readonly EvidenceItem[];
  /** Records first seen in this unit, under their final names. */
  readonly raw: readonly RawRecord[];
  /** The unit's record names that changed (a name used by an earlier unit for another answer). */
  readonly renamed: ReadonlyMap<string, string>;
}

/**
 * Where the records already named are: the assembly asks whether a name is taken and, only when it is,
 * what was recorded under it. In memory for the API; on disk (the binder's `raw/` folder) when
 * streaming, so that memory does not grow with the number of records.
 */
export interface NamedRecords {
  has(name: string): boolean;
  get(name: string): RawRecord | undefined;
  add(record: RawRecord): void;
}

export class MemoryRecords implements NamedRecords {
  readonly records = new Map<string, RawRecord>();
  has(name: string): boolean {
    return this.records.has(name);
  }
  get(name: string): RawRecord | undefined {
    return this.records.get(name);
  }
  add(record: RawRecord): void {
    this.records.set(record.name, record);
  }
}

/**
 * Gives final raw names to units fed in key order (`shared` answers first, so that their records keep
 * their names). Item ids are made unique afterwards, control by control (`uniqueIds`), where repeats
 * are next to each other.
 */
export class NameAssigner {
  constructor(private readonly named: NamedRecords = new MemoryRecords()) {}

  /**
   * The unit's records named, and its items pointing at them. `cited`: renames of the `shared` answers
   * its items cite (from their own `assign`), when the unit is a task of a folder whose answers were
   * renamed.
   */
  assign(unit: Unit, cited?: ReadonlyMap<string, string>): AssignedUnit {
    const renamed = new Map<string, string>();
    const raw: RawRecord[] = [];
    for (const record of unit.raw) {
      const base = record.name.replace(/\.json$/, '');
      let identity: string | undefined;
      let name = record.name;
      for (let n = 2; ; n++) {
        if (!this.named.has(name)) {
          const named = name === record.name ? record : { ...record, name };
          this.named.add(named);
          raw.push(named);
          break;
        }
        identity ??= recordIdentity(record);
        const seen = this.named.get(name);
        if (seen && recordIdentity(seen) === identity) break;
        name = `${base}.${n}.json`;
      }
      if (name !== record.name) renamed.set(record.name, name);
    }
    const items = unit.items.map((item) => {
      if (!renamed.size && !cited?.size) return item;
      const refs = item.raw.map((r) => renamed.get(r) ?? cited?.get(r) ?? r);
      return refs.every((r, i) => r === item.raw[i]) ? item : { ...item, raw: [...new Set(refs)].sort() };
    });
    return { items, raw, renamed };
  }
}

/**
 * Items of one control, sorted by id, with each repeated id (a check's bug, kept visible rather than
 * lost) made unique: the first keeps it, the next get `~2`, `~3`... in the order they came (units in key
 * order; the sort is stable). Sorted again after.
 */
export function uniqueIds(sorted: EvidenceItem[]): EvidenceItem[] {
  let renamed = false;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].id === sorted[i].id) j++;
    for (let k = i + 1; k < j; k++) sorted[k] = { ...sorted[k], id: `${sorted[i].id}~${k - i + 1}` };
    renamed ||= j - i > 1;
    i = j;
  }
  return renamed ? sorted.sort(compareItems) : sorted;
}

/** Items by id, as the binder lists them. */
export const compareItems = (a: EvidenceItem, b: EvidenceItem) => a.id.localeCompare(b.id);

/** Every unit's items and records under their final names: the in-memory binder content. */
export function assembleUnits(units: readonly Unit[]): { items: EvidenceItem[]; raw: Map<string, RawRecord> } {
  const byKey = new Map<string, Unit>();
  for (const unit of units) byKey.set(unit.key, unit);
  const named = new MemoryRecords();
  const assigner = new NameAssigner(named);
  const byControl = new Map<string, EvidenceItem[]>();
  for (const key of [...byKey.keys()].sort(compareUnitKeys)) {
    for (const item of assigner.assign(byKey.get(key) as Unit).items) {
      const list = byControl.get(item.controlId);
      if (list) list.push(item);
      else byControl.set(item.controlId, [item]);
    }
  }
  const items = [...byControl.values()].flatMap((list) => uniqueIds(list.sort(compareItems))).sort(compareItems);
  return { items, raw: new Map([...named.records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** Keeps units in memory (the API's `collectEvidence`), and shows results as they come in `ctx.items`/`ctx.raw`. */
export class MemorySink implements UnitSink {
  readonly units: Unit[] = [];
  private readonly assigner = new NameAssigner();
  private readonly ids = new Set<string>();

  constructor(private readonly items?: EvidenceItem[], private readonly raw?: Map<string, RawRecord>) {}

  add(unit: Unit): void {
    this.units.push(unit);
    if (!this.items || !this.raw) return;
    const assigned = this.assigner.assign(unit);
    for (const item of assigned.items) {
      let id = item.id;
      for (let n = 2; this.ids.has(id); n++) id = `${item.id}~${n}`;
      this.ids.add(id);
      this.items.push(id === item.id ? item : { ...item, id });
    }
    for (const r of assigned.raw) this.raw.set(r.name, r);
  }
}

/** One unit as one line of a collection's `units.jsonl`. */
export function unitLine(unit: Unit): string {
  return `${JSON.stringify(canonicalize({ key: unit.key, items: unit.items, raw: unit.raw }))}\n`;
}
