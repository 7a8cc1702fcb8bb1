/**
 * The stacks a pipeline runs, from the synth's output folder: `manifest.json` (cdktf's format,
 * `{version, stacks: {<name>: {workingDirectory, synthesizedStackPath, ...}}}`), `changed-stacks.json`
 * (synth/output-tree.ts) for `--changed-only`, and each stack's backend from its `cdk.tf.json`
 * (`terraform.backend`: the state key and lock Terraform will use in that working directory).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { CommandError } from '../bin/cli-command';
import { MANAGEMENT_STACK } from '../config/naming';
import type { ChangedStacks } from '../synth/output-tree';

/**
 * The files synth/output-tree.ts writes (`MANIFEST_FILE`, `CHANGED_STACKS_FILE`), named here rather than
 * imported: that module loads cdktf and every stack, seconds of start-up for a command that reads JSON.
 * __tests__/pipeline checks that the names agree.
 */
export const MANIFEST_FILE = 'manifest.json';
export const CHANGED_STACKS_FILE = 'changed-stacks.json';

export interface StackBackend {
  /** `s3`, `local`, or another backend type cdktf wrote. */
  readonly type: string;
  /** The S3 state key (`<keyPrefix>/<stack>.tfstate`, config/naming.ts `stateKey`). @default - not an S3 backend */
  readonly key?: string;
  /** The S3 state bucket. @default - not an S3 backend */
  readonly bucket?: string;
  /** Whether Terraform locks the state with a lock file next to it (S3 `use_lockfile`, Terraform >= 1.10). */
  readonly lockfile: boolean;
}

export interface PipelineStack {
  readonly name: string;
  /** The stack's Terraform working directory, relative to the repository root, with `/`. */
  readonly dir: string;
  readonly backend: StackBackend;
}

export interface PipelineStacks {
  /** `management`, when this pipeline runs it: it goes first. */
  readonly management?: PipelineStack;
  /** Every other stack, in manifest order: they run in parallel once `management` is done. */
  readonly members: readonly PipelineStack[];
  /** Stacks `changed-stacks.json` lists as removed (with --changed-only): destroyed elsewhere, not run here. */
  readonly removed: readonly string[];
  /** Problems worth a line on stderr and a comment in the generated file. */
  readonly warnings: readonly string[];
}

export interface ReadStacksOptions {
  /** The synth's output folder, as a path to read from. */
  readonly outdir: string;
  /** The same folder as the generated CI file names it: relative to the repository root. */
  readonly ciOutdir: string;
  /** Only the stacks changed-stacks.json lists as added or changed. @default false */
  readonly changedOnly?: boolean;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CommandError(`${what} ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)}): synthesize first (make synth)`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CommandError(`${what} ${file}: not valid JSON (${(e as Error).message})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function backendOf(file: string, name: string): StackBackend {
  const stack = readJson(file, `stack ${name}:`);
  const backends = isObject(stack) && isObject(stack.terraform) && isObject(stack.terraform.backend) ? stack.terraform.backend : {};
  const [type, settings] = Object.entries(backends)[0] ?? ['local', {}];
  const s = isObject(settings) ? settings : {};
  return {
    type,
    ...(typeof s.key === 'string' ? { key: s.key } : {}),
    ...(typeof s.bucket === 'string' ? { bucket: s.bucket } : {}),
    lockfile: s.use_lockfile === true,
  };
}

/** The stacks of the manifest (or the changed ones), management first, with their working directories and backends. */
export function readPipelineStacks(options: ReadStacksOptions): PipelineStacks {
  const manifestFile = join(options.outdir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) throw new CommandError(`--outdir ${options.outdir}: no ${MANIFEST_FILE}: synthesize first (make synth)`);
  const manifest = readJson(manifestFile, 'manifest');
  if (!isObject(manifest) || !isObject(manifest.stacks)) throw new CommandError(`manifest ${manifestFile}: expected {"stacks": {<name>: {...}}} (cdktf's manifest format)`);

  let names = Object.keys(manifest.stacks);
  let removed: string[] = [];
  if (options.changedOnly) {
    const file = join(options.outdir, CHANGED_STACKS_FILE);
    const changed = readJson(file, '--changed-only:') as Partial<ChangedStacks>;
    if (!isObject(changed) || !Array.isArray(changed.added) || !Array.isArray(changed.changed)) {
      throw new CommandError(`--changed-only: ${file}: expected {"added": [...], "changed": [...], "removed": [...]}`);
    }
    const wanted = new Set<string>([...changed.added, ...changed.changed]);
    const unknown = [...wanted].filter((n) => !names.includes(n));
    if (unknown.length > 0) throw new CommandError(`--changed-only: ${file} lists ${unknown.join(', ')}, which ${MANIFEST_FILE} does not: synthesize again`);
    names = names.filter((n) => wanted.has(n));
    removed = Array.isArray(changed.removed) ? changed.removed.filter((n): n is string => typeof n === 'string') : [];
  }

  const warnings: string[] = [];
  const stacks = names.map((name): PipelineStack => {
    const entry = (manifest.stacks as Record<string, unknown>)[name];
    if (!isObject(entry) || typeof entry.workingDirectory !== 'string' || typeof entry.synthesizedStackPath !== 'string') {
      throw new CommandError(`manifest ${manifestFile}: stack ${name} has no workingDirectory or synthesizedStackPath`);
    }
    // The generated jobs derive a stack's folder from its name (a shard runs several): hold cdktf to its layout.
    if (entry.workingDirectory !== `stacks/${name}`) {
      throw new CommandError(`manifest ${manifestFile}: stack ${name} has workingDirectory ${entry.workingDirectory}, expected stacks/${name}`);
    }
    const backend = backendOf(join(options.outdir, entry.synthesizedStackPath), name);
    if (backend.type === 's3' && !backend.lockfile) warnings.push(`${name}: the S3 backend has no use_lockfile: parallel runs of one stack are not locked`);
    return { name, dir: posix.join(options.ciOutdir, entry.workingDirectory), backend };
  });

  const local = stacks.filter((s) => s.backend.type === 'local').map((s) => s.name);
  if (local.length > 0) {
    warnings.push(
      `${local.length === stacks.length ? 'every stack uses' : `${local.length} stack(s) use`} local state: each CI runner starts from an empty state and loses it afterwards; set state.backend: s3 in the config (one state key and lock file per stack) before applying from CI`,
    );
  }
  if (options.changedOnly && stacks.length === 0) warnings.push('--changed-only: no stack was added or changed by the last synth: the pipeline runs no stack');
  if (removed.length > 0) {
    warnings.push(`removed stacks are not in this pipeline: destroy ${removed.join(', ')} from a checkout that still has them (see baseline remove)`);
  }
  return {
    management: stacks.find((s) => s.name === MANAGEMENT_STACK),
    members: stacks.filter((s) => s.name !== MANAGEMENT_STACK),
    removed,
    warnings,
  };
}
