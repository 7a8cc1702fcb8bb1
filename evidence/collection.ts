/**
 * A collection folder: what `baseline evidence` has collected so far, on disk, so that a run killed
 * part-way resumes and a sharded run's parts can be merged.
 *
 *   manifest.json        the inputs the units were collected for (config digest, accounts, Regions,
 *                        period, log validation window...), the shard, when it started, who
 *                        collected it, and whether it is complete
 *   units.jsonl          one finished task per line (evidence/units.ts), appended as tasks finish
 *   org-config.yaml      the config's text; history.json its git history; investigation-sample.json
 *
 * A run resumes only a folder collected for the same inputs; any difference is refused, naming it,
 * and `--restart` discards the folder. Nothing here talks to AWS.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigHistory, EvidenceRun } from './types';
import { SHARED_UNIT_PREFIX, unitLine, type Unit, type UnitSink } from './units';

export const COLLECTION_FORMAT = 'soc2-evidence-collection/1';
export const MANIFEST_FILE = 'manifest.json';
export const UNITS_FILE = 'units.jsonl';
export const CONFIG_COPY = 'org-config.yaml';
export const HISTORY_FILE = 'history.json';
export const SAMPLE_COPY = 'investigation-sample.json';
/** Everything a collection folder holds. */
export const COLLECTION_ENTRIES = [MANIFEST_FILE, `${MANIFEST_FILE}.tmp`, UNITS_FILE, CONFIG_COPY, HISTORY_FILE, SAMPLE_COPY];

/** Everything that decides what a run collects and how it judges it: units are reused or merged only under the same inputs. */
export interface CollectionInputs {
  readonly organizationId: string;
  /** SHA-256 of the config's text (or of its canonical JSON when given as an object). */
  readonly configSha256: string;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly roleName: string;
  readonly sessionName: string;
  /** SHA-256 of the external id, when one is given (the id itself is not written down). */
  readonly externalIdSha256?: string;
  readonly logReaderRoleArn?: string;
  readonly logFileSample: number | 'all';
  readonly sinceDays: number;
  readonly maxFindings: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly logValidation: { readonly start: string; readonly end: string } | { readonly skipped: true };
  readonly investigationSampleSha256?: string;
  readonly endpoint?: string;
  /** How many shards the run is split into (1: not sharded). */
  readonly shardCount: number;
  /** The collector's version (package.json): another version may judge differently. */
  readonly collector: string;
}

export interface CollectionManifest {
  readonly format: typeof COLLECTION_FORMAT;
  readonly inputs: CollectionInputs;
  /** 1-based. */
  readonly shard: { readonly index: number; readonly count: number };
  /** The binder's run header, but for the times and identities, which the merge combines. */
  readonly run: EvidenceRun;
  /** Tasks planned in this shard. */
  readonly tasks: number;
  readonly complete: boolean;
}

/** Option names of the inputs, for the message that refuses to resume or merge. */
const INPUT_OPTIONS: Readonly<Record<keyof CollectionInputs, string>> = {
  organizationId: 'the config (organization.id)',
  configSha256: 'the config (its content changed)',
  accounts: '--accounts',
  regions: '--regions',
  roleName: '--role-name',
  sessionName: 'the session name',
  externalIdSha256: '--external-id',
  logReaderRoleArn: '--log-reader-role-arn',
  logFileSample: '--log-file-sample',
  sinceDays: '--since',
  maxFindings: '--max-findings',
  period: '--from/--to',
  logValidation: '--validate-logs-since/--skip-log-validation',
  investigationSampleSha256: '--investigation-sample (its content)',
  endpoint: '--endpoint-url',
  shardCount: '--shard (the number of shards)',
  collector: 'the collector version',
};

export class CollectionError extends Error {}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The inputs that differ, each as "option: was X, now Y". */
export function inputDifferences(was: CollectionInputs, now: CollectionInputs): string[] {
  const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort() as (keyof CollectionInputs)[];
  const show = (v: unknown) => (v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));
  return keys.filter((k) => JSON.stringify(was[k]) !== JSON.stringify(now[k])).map((k) => `${INPUT_OPTIONS[k] ?? k}: was ${show(was[k])}, now ${show(now[k])}`);
}

export function readManifest(dir: string): CollectionManifest | undefined {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  let manifest: CollectionManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as CollectionManifest;
  } catch (e) {
    throw new CollectionError(`${file} is not readable JSON (${(e as Error).message})`);
  }
  if (manifest.format !== COLLECTION_FORMAT) throw new CollectionError(`${file} is not a collection of this collector (format ${JSON.stringify(manifest.format)}, expected ${COLLECTION_FORMAT})`);
  return manifest;
}

/** Writes the manifest atomically (a kill leaves the old one or the new one, never half). */
export function writeManifest(dir: string, manifest: CollectionManifest): void {
  const tmp = join(dir, `${MANIFEST_FILE}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, join(dir, MANIFEST_FILE));
}

/** One unit line's place in units.jsonl. */
export interface UnitRef {
  readonly key: string;
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  /** Items of the unit by status, for the progress of a resumed run. */
  readonly counts: { PASS: number; FAIL: number; ERROR: number };
}

const CHUNK = 8 * 1024 * 1024;

/**
 * Reads units.jsonl line by line without holding it (it is gigabytes at 1,000 accounts x 17 Regions),
 * calling `onLine` with each complete line and its place. Returns the length of the complete lines:
 * a line cut off by a kill is left out (and `truncate` removes it).
 */
export function scanLines(file: string, onLine: (line: string, offset: number, length: number) => void, truncate = false): number {
  if (!existsSync(file)) return 0;
  const fd = openSync(file, truncate ? 'r+' : 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0);
    let position = 0;
    let lineStart = 0;
    while (position < size) {
      const n = readSync(fd, buffer, 0, Math.min(CHUNK, size - position), position);
      position += n;
      let data = carry.length ? Buffer.concat([carry, buffer.subarray(0, n)]) : buffer.subarray(0, n);
      let from = 0;
      for (let nl = data.indexOf(10, from); nl !== -1; nl = data.indexOf(10, from)) {
        onLine(data.toString('utf8', from, nl), lineStart, nl - from + 1);
        lineStart += nl - from + 1;
        from = nl + 1;
      }
      data = data.subarray(from);
      carry = Buffer.from(data);
    }
    if (truncate && lineStart < size) ftruncateSync(fd, lineStart);
    return lineStart;
  } finally {
    closeSync(fd);
  }
}

/**
 * A folder's units.jsonl: each task's last line by key (a task retried by a resumed run: its later
 * line; a task written again after a line without an ERROR item is refused), and every line of a `shared` answer in file order (a resumed run reads the answer again: each
 * task cites the version written last before its own line, the one it was judged on).
 */
export function indexCollection(dir: string, truncate = false): { units: Map<string, UnitRef>; shared: UnitRef[] } {
  const file = join(dir, UNITS_FILE);
  const units = new Map<string, UnitRef>();
  const shared: UnitRef[] = [];
  scanLines(
    file,
    (line, offset, length) => {
      let parsed: { key: string; items: { status: 'PASS' | 'FAIL' | 'ERROR' }[] };
      try {
        parsed = JSON.parse(line);
      } catch (e) {
        throw new CollectionError(`${file}: the line at byte ${offset} is not JSON (${(e as Error).message}); the collection is damaged: collect again with --restart`);
      }
      const counts = { PASS: 0, FAIL: 0, ERROR: 0 };
      for (const item of parsed.items) counts[item.status] += 1;
      const ref = { key: parsed.key, file, offset, length, counts };
      // A resumed run writes a task again only when its line had an ERROR item (run-collection.ts): a
      // task's second line after one that collected was not written by the collector.
      const earlier = units.get(parsed.key);
      if (earlier && earlier.counts.ERROR === 0 && !parsed.key.startsWith(SHARED_UNIT_PREFIX)) {
        throw new CollectionError(
          `${file}: task ${parsed.key} has a second line (byte ${offset}) after one that collected (byte ${earlier.offset}): the collector writes a task again only when it could not collect; the file was edited: collect again with --restart`,
        );
      }
      if (parsed.key.startsWith(SHARED_UNIT_PREFIX)) {
        // A `shared` answer is raw records only (evidence/context.ts `shared`: a task of no control); items under its key were not written by the collector.
        if (parsed.items.length) throw new CollectionError(`${file}: the shared answer ${parsed.key} (byte ${offset}) carries ${parsed.items.length} item(s), which a shared answer never has: the file was edited; collect again with --restart`);
        shared.push(ref);
      }
      units.set(parsed.key, ref);
    },
    truncate,
  );
  return { units, shared };
}

/** The units in a folder's units.jsonl by key (the last line of each key). */
export function indexUnits(dir: string, truncate = false): Map<string, UnitRef> {
  return indexCollection(dir, truncate).units;
}

/**
 * A raw record's file name as the collector makes it (evidence/context.ts `rawName`:
 * `<account>.<region>.<service>.<Operation>[.<key>][.<n>].json`, the key made of `[A-Za-z0-9._-]`): one
 * plain path segment, so that the binder writes it in raw/ and nowhere else.
 */
export const RAW_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;

export function readUnit(ref: UnitRef, fd: number): Unit {
  const buffer = Buffer.alloc(ref.length);
  readSync(fd, buffer, 0, ref.length, ref.offset);
  const unit = JSON.parse(buffer.toString('utf8')) as Unit;
  if (!Array.isArray(unit.raw) || !Array.isArray(unit.items)) throw new CollectionError(`${ref.file}: the unit ${ref.key} (byte ${ref.offset}) is not a unit the collector writes (items and raw lists): the file was edited; collect again with --restart`);
  const bad = unit.raw.find((r) => typeof r.name !== 'string' || !RAW_NAME.test(r.name));
  if (bad) throw new CollectionError(`${ref.file}: the unit ${ref.key} (byte ${ref.offset}) names a raw record ${JSON.stringify(bad.name)}, not a file name the collector makes: the file was edited; collect again with --restart`);
  return unit;
}

/** Appends each unit to units.jsonl as it comes (one write per unit), then forgets it. */
export class FileSink implements UnitSink {
  private readonly fd: number;
  written = 0;

  constructor(dir: string) {
    this.fd = openSync(join(dir, UNITS_FILE), 'a');
  }

  add(unit: Unit): void {
    writeSync(this.fd, unitLine(unit));
    this.written += 1;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** A new collection folder (an existing one is replaced). */
export function createCollection(
  dir: string,
  manifest: CollectionManifest,
  files: { readonly configText?: string; readonly history?: ConfigHistory; readonly sample?: Buffer },
): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (files.configText !== undefined) writeFileSync(join(dir, CONFIG_COPY), files.configText);
  if (files.history) writeFileSync(join(dir, HISTORY_FILE), `${JSON.stringify(files.history)}\n`);
  if (files.sample) writeFileSync(join(dir, SAMPLE_COPY), files.sample);
  writeFileSync(join(dir, UNITS_FILE), '');
  writeManifest(dir, manifest);
}

export function readCollectionFiles(dir: string): { configText?: string; history?: ConfigHistory; sample?: Buffer } {
  const at = (f: string) => join(dir, f);
  return {
    ...(existsSync(at(CONFIG_COPY)) ? { configText: readFileSync(at(CONFIG_COPY), 'utf8') } : {}),
    ...(existsSync(at(HISTORY_FILE)) ? { history: JSON.parse(readFileSync(at(HISTORY_FILE), 'utf8')) as ConfigHistory } : {}),
    ...(existsSync(at(SAMPLE_COPY)) ? { sample: readFileSync(at(SAMPLE_COPY)) } : {}),
  };
}

/** `I/N`: shard I (1-based) of N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new CollectionError(`must be I/N with 1 <= I <= N, such as 2/8 (got ${JSON.stringify(text)})`);
  return { index, count };
}
