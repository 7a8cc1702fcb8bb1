/**
 * The binder from one or more collection folders (evidence/collection.ts): one for a run, one per
 * shard for a sharded run. Units are read in key order, their records named and their items given
 * ids (evidence/units.ts), the raw files written as they come and the items spilled to one file per
 * control; then each control's items are sorted and written (evidence/binder.ts). What is held in
 * memory: the units' places, one entry per raw name and item id, one control's items at a time.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BinderError, BinderWriter, compareControls } from './binder';
import { INVESTIGATION_SAMPLE_CONTROL, type SampleFile } from './checks/period-investigation';
import { CollectionError, indexCollection, inputDifferences, readCollectionFiles, readManifest, readUnit, scanLines, sha256, type CollectionManifest, type UnitRef } from './collection';
import type { ConfigHistory, EvidenceItem, EvidenceRun } from './types';
import { MAX_RESUME_AGE_HOURS } from './run-collection';
import { compareItems, compareUnitKeys, NameAssigner, SHARED_UNIT_PREFIX, uniqueIds } from './units';

/** The manifests of the folders, checked to be the complete, matching shards of one run (1..N, once each). */
export function checkShards(dirs: readonly string[]): CollectionManifest[] {
  if (!dirs.length) throw new CollectionError('give the shard folders to merge');
  const manifests = dirs.map((dir) => {
    const m = readManifest(dir);
    if (!m) throw new CollectionError(`${dir} is not a collection folder (no manifest.json): give the folders \`baseline evidence --shard\` wrote`);
    if (!m.complete)
      throw new CollectionError(`${dir}: shard ${m.shard.index}/${m.shard.count} is not complete (its run stopped part-way): run it again with the same options to resume it`);
    return m;
  });
  const first = manifests[0];
  manifests.forEach((m, i) => {
    const diff = inputDifferences(first.inputs, m.inputs);
    if (diff.length) throw new CollectionError(`${dirs[i]} was collected for other inputs than ${dirs[0]}: ${diff.join('; ')}`);
  });
  const count = first.shard.count;
  const seen = new Map<number, string>();
  manifests.forEach((m, i) => {
    const twice = seen.get(m.shard.index);
    if (twice !== undefined) throw new CollectionError(`${dirs[i]} and ${twice} are both shard ${m.shard.index}/${count}`);
    seen.set(m.shard.index, dirs[i]);
  });
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new CollectionError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merged binder must cover every shard`);
  // One run is not stretched over days by collecting its shards at different times (the bound of a resumed run).
  const { startedAt, finishedAt } = mergedRun(manifests);
  if (Date.parse(finishedAt) - Date.parse(startedAt) > MAX_RESUME_AGE_HOURS * 3_600_000) {
    throw new CollectionError(`the shards were collected from ${startedAt} to ${finishedAt}, more than ${MAX_RESUME_AGE_HOURS} h: collect every shard of one run within ${MAX_RESUME_AGE_HOURS} h`);
  }
  return manifests;
}

/** The binder's run header from the shards': the first start, the last end, every identity that collected. */
export function mergedRun(manifests: readonly CollectionManifest[]): EvidenceRun {
  const runs = manifests.map((m) => m.run);
  const identities = [...new Set(runs.flatMap((r) => r.collectedBy.split('; ')))].sort();
  return {
    ...runs[0],
    startedAt: runs.map((r) => r.startedAt).sort()[0],
    finishedAt: runs
      .map((r) => r.finishedAt)
      .sort()
      .at(-1) as string,
    collectedBy: identities.join('; '),
  };
}

/** Failed item ids kept for the command's stdout line (the rest are counted). */
export const FAILED_IDS_KEPT = 1000;

/** Lines buffered per control before they are appended to its spill file. */
const SPILL_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Writes the binder of the (checked) collection folders into `out` and returns its files and counts.
 * A `shared` answer several shards read is assigned once per folder: one file when their copies are
 * the same, one each otherwise, and each shard's items name their own.
 */
export function assembleBinder(
  dirs: readonly string[],
  out: string,
  merge: {
    /**
     * The plan the folders are held to (replan's `shardOf`): every task line must be a task of the
     * plan in its folder's shard, and every task of each shard present.
     * @default - none: each folder is held to its own manifest's task count
     */
    readonly plan?: ReadonlyMap<string, number>;
    /** The config's change history for the binder. @default - the first folder's copy */
    readonly history?: ConfigHistory;
    /** The config's text for the binder (the caller checked it against the folders' digest: folder-check.ts). @default - the first folder's copy */
    readonly configText?: string;
  } = {},
): {
  files: number;
  counts: { PASS: number; FAIL: number; ERROR: number };
  failed: string[];
  failedCount: number;
} {
  const manifests = dirs.map((d) => readManifest(d) as CollectionManifest);
  // A task is in one folder. A `shared` answer may be in several (every shard that needed it read it)
  // and several times in one (a resumed run reads it again): each task cites the version its folder
  // wrote last before the task's own line, the one it was judged on.
  const tasks = new Map<string, { ref: UnitRef; folder: number }>();
  const shared: { ref: UnitRef; folder: number }[] = [];
  dirs.forEach((dir, folder) => {
    const index = indexCollection(dir);
    let count = 0;
    for (const [key, ref] of index.units) {
      if (key.startsWith(SHARED_UNIT_PREFIX)) continue;
      count += 1;
      const other = tasks.get(key);
      // A task is collected in one shard: a second copy (a folder edited, or one of another run) is not chosen between.
      if (other) throw new CollectionError(`task ${key} is in ${dirs[other.folder]} and ${dir}: a task belongs to one shard; collect the shards again`);
      if (merge.plan) {
        const planned = merge.plan.get(key);
        const { shard } = manifests[folder];
        if (planned === undefined) throw new CollectionError(`${dir} holds task ${key}, which the config's plan does not have: the folder was edited; collect the shard again`);
        if (planned !== shard.index) throw new CollectionError(`${dir} (shard ${shard.index}/${shard.count}) holds task ${key}, which the plan puts in shard ${planned}/${shard.count}: the folder was edited; collect the shard again`);
      }
      tasks.set(key, { ref, folder });
    }
    if (merge.plan) {
      const { shard } = manifests[folder];
      const missing = [...merge.plan].filter(([key, s]) => s === shard.index && !index.units.has(key)).map(([key]) => key);
      if (missing.length) {
        throw new CollectionError(`${dir} (shard ${shard.index}/${shard.count}) lacks ${missing.length} task(s) of the config's plan (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}): units.jsonl was cut or edited; collect the shard again`);
      }
    }
    for (const ref of index.shared) shared.push({ ref, folder });
    // Every task a folder planned wrote one unit: one missing is a units.jsonl cut or edited, and its items would just be absent.
    if (count !== manifests[folder].tasks) {
      throw new CollectionError(`${dir} holds ${count} task(s), but its manifest planned ${manifests[folder].tasks}: units.jsonl was cut or edited; collect it again with --restart`);
    }
  });
  const writer = new BinderWriter(out);
  const spillDir = join(out, '.assembling', 'controls');
  mkdirSync(spillDir, { recursive: true });
  const spills = new Map<string, { file: string; buffer: string[]; bytes: number }>();
  let buffered = 0;
  const flush = () => {
    for (const s of spills.values()) {
      if (!s.buffer.length) continue;
      const fd = openSync(s.file, 'a');
      writeSync(fd, s.buffer.join(''));
      closeSync(fd);
      s.buffer = [];
      s.bytes = 0;
    }
    buffered = 0;
  };
  const fds = new Map<string, number>();
  // Names are checked against the raw files written, not held: memory does not grow with the records.
  const assigner = new NameAssigner({ has: (name) => writer.hasRaw(name), get: (name) => writer.readRaw(name), add: (record) => writer.addRaw(record) });
  let sampleItem: EvidenceItem | undefined;
  const failed: string[] = [];
  let failedCount = 0;
  const read = (ref: UnitRef) => {
    let fd = fds.get(ref.file);
    if (fd === undefined) fds.set(ref.file, (fd = openSync(ref.file, 'r')));
    return readUnit(ref, fd);
  };
  const spill = (items: readonly EvidenceItem[]) => {
    for (const item of items) {
      if (item.controlId === INVESTIGATION_SAMPLE_CONTROL) sampleItem = item;
      let s = spills.get(item.controlId);
      if (!s) spills.set(item.controlId, (s = { file: join(spillDir, `${spills.size}.jsonl`), buffer: [], bytes: 0 }));
      const line = `${JSON.stringify(item)}\n`;
      s.buffer.push(line);
      s.bytes += line.length;
      buffered += line.length;
    }
    if (buffered > SPILL_BUFFER_BYTES) flush();
  };
  // Per folder, the versions of each shared answer in file order, with their renames.
  const versions = new Map<number, { key: string; offset: number; renamed: ReadonlyMap<string, string> }[]>();
  try {
    shared.sort((a, b) => compareUnitKeys(a.ref.key, b.ref.key) || a.folder - b.folder || a.ref.offset - b.ref.offset);
    for (const { ref, folder } of shared) {
      const assigned = assigner.assign(read(ref));
      spill(assigned.items);
      const list = versions.get(folder) ?? [];
      list.push({ key: ref.key, offset: ref.offset, renamed: assigned.renamed });
      versions.set(folder, list);
    }
    for (const key of [...tasks.keys()].sort(compareUnitKeys)) {
      const { ref, folder } = tasks.get(key) as { ref: UnitRef; folder: number };
      // The renames of the versions this task could have read: the last of each key before its line.
      const latest = new Map<string, ReadonlyMap<string, string>>();
      for (const v of versions.get(folder) ?? []) if (v.offset < ref.offset) latest.set(v.key, v.renamed);
      const cited = new Map<string, string>();
      for (const renamed of latest.values()) for (const [from, to] of renamed) cited.set(from, to);
      const unit = read(ref);
      // A unit is collected after its run started: an older one is not this run's (the run's start
      // bounds a resume and a merge to 24 h, run-collection.ts and checkShards).
      const { startedAt, finishedAt } = manifests[folder].run;
      const [start, end] = [Date.parse(startedAt), Date.parse(finishedAt)];
      // Written as "not within" so that a time that does not parse (NaN) is refused too.
      const outside = unit.items.find((i) => !(Date.parse(i.collectedAt) >= start && Date.parse(i.collectedAt) <= end));
      if (outside) {
        throw new CollectionError(`${dirs[folder]}: task ${key} holds an item collected at ${JSON.stringify(outside.collectedAt)}, not within its run (${startedAt} to ${finishedAt}): the folder was edited; collect again with --restart`);
      }
      spill(assigner.assign(unit, cited).items);
    }
    flush();
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  for (const controlId of [...spills.keys()].sort(compareControls)) {
    const items: EvidenceItem[] = [];
    scanLines((spills.get(controlId) as { file: string }).file, (line) => items.push(JSON.parse(line) as EvidenceItem));
    // Ids repeated across units (a check's bug) are numbered here, where the repeats are next to each other.
    const sorted = uniqueIds(items.sort(compareItems));
    for (const i of sorted) {
      if (i.status !== 'FAIL') continue;
      failedCount += 1;
      if (failed.length < FAILED_IDS_KEPT) failed.push(i.id);
    }
    writer.addControl(controlId, sorted);
  }
  rmSync(spillDir, { recursive: true, force: true });
  const files = { ...readCollectionFiles(dirs[0]), ...(merge.history ? { history: merge.history } : {}), ...(merge.configText !== undefined ? { configText: merge.configText } : {}) };
  const judged = sampleItem?.details?.file as SampleFile | undefined;
  if (files.sample && judged && sha256(files.sample) !== judged.sha256) {
    throw new BinderError(
      `the investigation sample copied at collection (${join(dirs[0], 'investigation-sample.json')}) is not the file judged (SHA-256 ${sha256(files.sample)}, judged ${
        judged.sha256
      })`,
    );
  }
  const written = writer.finish(mergedRun(manifests), files);
  return { files: written.length + writer.rawFiles, counts: { ...writer.counts }, failed, failedCount };
}

/** Whether `dir` holds a complete collection (a binder may be assembled from it). */
export function isComplete(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json')) && (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CollectionManifest).complete;
}
