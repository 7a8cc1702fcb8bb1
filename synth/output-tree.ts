/**
 * The output folder (`cdktf.out`) and how a synth changes it: stacks are synthesized into a staging
 * folder beside it, and only once every stack has been built are the files whose bytes changed moved
 * into place (rename, atomic per file), and `manifest.json`, `changed-stacks.json`,
 * `removed-stacks.json` and the synth cache written. An unchanged file keeps its bytes and its mtime,
 * so a pipeline can plan only the stacks listed as changed or added.
 * A synth never deletes a stack folder: a removed account's stack stays until its destroy is recorded
 * (`baseline remove --destroyed`), and a folder no stack of the config claims is reported as orphaned.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { StackManifest } from 'cdktf';
import { stackFolder, type BuiltStack } from './build-stacks';

export const MANIFEST_FILE = 'manifest.json';
export const CHANGED_STACKS_FILE = 'changed-stacks.json';
/** What the last synths built, so that the next one rebuilds only stacks whose inputs changed. */
export const SYNTH_CACHE_FILE = '.synth-cache.json';
const SYNTH_CACHE_VERSION = 1;

/** `removed-stacks.json`: the removed accounts' stacks (`removedMembers`) that the pipeline must destroy. */
export const REMOVED_STACKS_FILE = 'removed-stacks.json';

/**
 * `changed-stacks.json`: what the last synth did to the output folder.
 * A pipeline plans and applies `added` and `changed` (stacks of `members` only), and runs
 * `terraform destroy` in the folder of each stack in `removed` (see `removed-stacks.json`).
 */
export interface ChangedStacks {
  /** Stacks whose folder existed and at least one of whose files now has other bytes. */
  readonly changed: readonly string[];
  /** Stacks synthesized that had no folder. */
  readonly added: readonly string[];
  /**
   * The stacks awaiting destroy: every `removedMembers` account's, whether or not this synth built it.
   * They are never in `added`, `changed` or manifest.json: nothing may apply them.
   */
  readonly removed: readonly string[];
  /**
   * Folders under `stacks/` that no stack of the config claims (neither `members` nor
   * `removedMembers`): kept, since they may hold resources still to destroy.
   */
  readonly orphaned: readonly string[];
  /** How many synthesized stacks of `members` kept every byte. */
  readonly unchanged: number;
}

/** One entry of `removed-stacks.json`. */
export interface RemovedStack {
  readonly name: string;
  readonly accountId: string;
  /** The `removedOn` date of its `removedMembers` entry (YYYY-MM-DD). */
  readonly removedOn: string;
  /** Its Terraform working directory, relative to the output folder. */
  readonly workingDirectory: string;
  /** Its S3 state key; null with local state. */
  readonly stateKey: string | null;
}

/** Writes `removed-stacks.json`: `{"version": 1, "stacks": RemovedStack[]}`. */
export function writeRemovedStacks(outdir: string, stacks: readonly RemovedStack[]): void {
  writeIfChanged(join(outdir, REMOVED_STACKS_FILE), `${JSON.stringify({ version: 1, stacks }, null, 2)}\n`);
}

interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

export interface CacheEntry {
  /** `stackInputsHash` at the build that wrote the stack's files. */
  readonly inputs: string;
  readonly readsMembers: boolean;
  readonly manifest: StackManifest;
  /** The stack's files as written then: a file changed or deleted since means building it again. */
  readonly files: Readonly<Record<string, FileStamp>>;
}

export interface SynthCache {
  readonly version: number;
  readonly stacks: Readonly<Record<string, CacheEntry>>;
  /** The stacks of `members` at the last synth, joined by commas: what the control matrix covers. */
  readonly liveStacks?: string;
}

/** The synth cache of `outdir`, or none when it is missing or unreadable (then every stack is built). */
export function readSynthCache(outdir: string): SynthCache | null {
  try {
    const cache = JSON.parse(readFileSync(join(outdir, SYNTH_CACHE_FILE), 'utf8')) as SynthCache;
    return cache.version === SYNTH_CACHE_VERSION && typeof cache.stacks === 'object' ? cache : null;
  } catch {
    return null;
  }
}

function stamp(file: string): FileStamp | null {
  try {
    const s = statSync(file);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}

/** Whether the stack's files in `outdir` are the ones the cache entry recorded. */
export function filesIntact(outdir: string, name: string, entry: CacheEntry): boolean {
  const files = Object.entries(entry.files);
  return (
    files.length > 0 &&
    files.every(([file, recorded]) => {
      const now = stamp(join(stackFolder(outdir, name), file));
      return now !== null && now.size === recorded.size && now.mtimeMs === recorded.mtimeMs;
    })
  );
}

/** A staging folder beside `outdir` (same file system, so renames into it are atomic). */
export function createStagingDir(outdir: string): string {
  const dir = join(dirname(outdir), `.${basename(outdir)}.staging-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(join(dir, 'stacks'), { recursive: true });
  return dir;
}

/** Writes `text` to `file` unless it already holds exactly that; through a temporary file and a rename. */
export function writeIfChanged(file: string, text: string): boolean {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (before === text) return false;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return true;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** cdktf's manifest.json (`{version, stacks: {<name>: StackManifest}}`), keys sorted as cdktf sorts them. */
export function manifestText(cdktfVersion: string, stacks: readonly StackManifest[]): string {
  return `${JSON.stringify(sortedKeys({ version: cdktfVersion, stacks: Object.fromEntries(stacks.map((s) => [s.name, s])) }), null, 2)}\n`;
}

export interface CommitInput {
  readonly outdir: string;
  readonly cdktfVersion: string;
  /** The stacks of this synth, in order: the manifest lists these, but for the removed ones. */
  readonly stacks: readonly string[];
  /** Those built now, with the staging folder each was written to. */
  readonly built: readonly (BuiltStack & { readonly stagedIn: string; readonly inputs: string })[];
  /** Stacks built only to learn whether they read `members`: cached without files, not written. */
  readonly probed: readonly (BuiltStack & { readonly inputs: string })[];
  /** The config's stacks awaiting destroy (`removedMembers`), built now or not. */
  readonly removed: readonly RemovedStack[];
  /** Stack folders no stack of the config claims: kept, and reported. */
  readonly orphaned: readonly string[];
  /** The cache as read, for the stacks not built now. */
  readonly cache: SynthCache | null;
  /** Every stack of the config, removed ones included: cache entries of other stacks are dropped. */
  readonly allStacks: readonly string[];
  /** The stacks of `members` (`allStackNames`). */
  readonly liveStacks: readonly string[];
}

/**
 * Moves the changed files of built stacks into `outdir` and writes the manifest, the reports and the
 * cache; says too whether the stacks of `members` are other than at the last synth.
 */
export function commitOutput(input: CommitInput): ChangedStacks & { readonly liveStacksChanged: boolean } {
  const { outdir } = input;
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  const entries: Record<string, CacheEntry> = {};
  const inConfig = new Set(input.allStacks);
  for (const [name, entry] of Object.entries(input.cache?.stacks ?? {})) {
    if (inConfig.has(name)) entries[name] = entry;
  }

  const changed: string[] = [];
  const added: string[] = [];
  const removed = new Set(input.removed.map((r) => r.name));
  let unchanged = 0;
  for (const stack of input.built) {
    const folder = stackFolder(outdir, stack.name);
    if (stack.changedFiles.length > 0) mkdirSync(folder, { recursive: true });
    for (const file of stack.changedFiles) renameSync(join(stackFolder(stack.stagedIn, stack.name), file), join(folder, file));
    if (removed.has(stack.name)) {
      // Written for its destroy; never reported as a stack to apply.
    } else if (stack.status === 'added') added.push(stack.name);
    else if (stack.status === 'changed') changed.push(stack.name);
    else unchanged++;
    const files: Record<string, FileStamp> = {};
    for (const file of stack.files) {
      const s = stamp(join(folder, file));
      if (s) files[file] = s;
    }
    entries[stack.name] = { inputs: stack.inputs, readsMembers: stack.readsMembers, manifest: stack.manifest, files };
  }
  const builtNow = new Set(input.built.map((b) => b.name));
  const reused = (name: string) => !removed.has(name) && !builtNow.has(name);
  unchanged += input.stacks.filter(reused).length;
  for (const stack of input.probed) {
    entries[stack.name] = { inputs: stack.inputs, readsMembers: stack.readsMembers, manifest: stack.manifest, files: {} };
  }

  const manifests = input.stacks.filter((name) => !removed.has(name)).map((name) => {
    const entry = entries[name];
    if (!entry) throw new Error(`${name}: neither built nor cached (a bug in synth)`);
    return entry.manifest;
  });
  writeIfChanged(join(outdir, MANIFEST_FILE), manifestText(input.cdktfVersion, manifests));
  const order = new Map(input.stacks.map((name, i) => [name, i]));
  const inOrder = (names: string[]) => names.sort((a, b) => order.get(a)! - order.get(b)!);
  const report: ChangedStacks = { changed: inOrder(changed), added: inOrder(added), removed: [...removed], orphaned: [...input.orphaned], unchanged };
  writeIfChanged(join(outdir, CHANGED_STACKS_FILE), `${JSON.stringify(report, null, 2)}\n`);
  writeRemovedStacks(outdir, input.removed);
  const liveStacks = input.liveStacks.join(',');
  writeIfChanged(join(outdir, SYNTH_CACHE_FILE), JSON.stringify({ version: SYNTH_CACHE_VERSION, stacks: entries, liveStacks } satisfies SynthCache));
  return { ...report, liveStacksChanged: input.cache?.liveStacks !== liveStacks };
}

/** The stack folders in `outdir` (what earlier synths wrote). */
export function existingStackFolders(outdir: string): string[] {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
