/**
 * The stacks a pipeline runs, from the org config (not from the last synth's output, which a partial
 * synth or a vend leaves with only some stacks): `management` first, then one `member-<id>` per
 * `members` entry (config/naming.ts `allStackNames`), and a destroy job per `removedMembers` entry
 * (`removedStackNames`). Each stack's working directory is `<outdir>/stacks/<name>` (cdktf's layout,
 * which synth/output-tree.ts keeps) and its backend is derived from the config's `state` exactly as
 * stacks/baseline-stack.ts writes it (__tests__/pipeline compares the two on a synthesized stack).
 *
 * `--changed-only` narrows that list with `changed-stacks.json` (synth/output-tree.ts) of the output
 * folder, and refuses an output folder synthesized for another organization (its `organization.json`,
 * synth/outdir-owner.ts) or holding stacks the config does not have (its `manifest.json`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { CommandError } from '../bin/cli-command';
import { allStackNames, MANAGEMENT_STACK, memberStackName, removedStackNames, stateKey } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import type { ChangedStacks } from '../synth/output-tree';

/**
 * The files synth/output-tree.ts writes (`MANIFEST_FILE`, `CHANGED_STACKS_FILE`), named here rather than
 * imported: that module loads cdktf and every stack, seconds of start-up for a command that reads JSON.
 * __tests__/pipeline checks that the names agree.
 */
export const MANIFEST_FILE = 'manifest.json';
export const CHANGED_STACKS_FILE = 'changed-stacks.json';
/** The organization an output folder was synthesized for (synth/outdir-owner.ts `OWNER_FILE`). */
export const OWNER_FILE = 'organization.json';

export interface StackBackend {
  /** `s3` or `local` (config `state.backend`). */
  readonly type: 's3' | 'local';
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

/** A stack of `removedMembers`: the pipeline plans its destroy, reviews it and applies it on the branch. */
export interface DestroyStack extends PipelineStack {
  /** The removed account, for `baseline remove --account-id ID --destroyed` once the destroy ran. */
  readonly accountId: string;
  /** When `baseline remove` took it out of `members`. */
  readonly removedOn: string;
}

export interface PipelineStacks {
  /** `management`, when this pipeline runs it: it goes first. */
  readonly management?: PipelineStack;
  /** Every member stack of the config (or the changed ones), in config order: in parallel once `management` is done. */
  readonly members: readonly PipelineStack[];
  /** Every stack of `removedMembers`: destroyed after `management`, one job each. */
  readonly destroy: readonly DestroyStack[];
  /** Problems worth a line on stderr and a comment in the generated file. */
  readonly warnings: readonly string[];
}

/**
 * The backend stacks/baseline-stack.ts writes into a stack of `config`: with `state.backend: s3`, the
 * bucket, the key `stateKey(config, stack)` and S3-native locking (`use_lockfile`); else local state.
 */
export function stackBackend(config: BaselineConfig, stackName: string): StackBackend {
  const state = config.state;
  if (state.backend === 's3') return { type: 's3', key: stateKey(config, stackName), bucket: state.bucket, lockfile: true };
  return { type: 'local', lockfile: false };
}

export interface StacksOptions {
  /** The synth's output folder as the generated CI file names it: relative to the repository root. */
  readonly ciOutdir: string;
}

function stackOf(config: BaselineConfig, name: string, o: StacksOptions): PipelineStack {
  return { name, dir: posix.join(o.ciOutdir, 'stacks', name), backend: stackBackend(config, name) };
}

/** Local state is said by generate.ts (PLAN_ONLY_NOTE): the pipeline then only plans. */
function warningsOf(config: BaselineConfig, count: number): string[] {
  void config;
  void count;
  return [];
}

function destroyStacks(config: BaselineConfig, o: StacksOptions): DestroyStack[] {
  return config.removedMembers.map((m) => ({ ...stackOf(config, memberStackName(m.id), o), accountId: m.id, removedOn: m.removedOn }));
}

/** Every stack of the org config: management, every member, and a destroy job per removed member. */
export function pipelineStacks(config: BaselineConfig, o: StacksOptions): PipelineStacks {
  const [management, ...members] = allStackNames(config).map((name) => stackOf(config, name, o));
  const destroy = destroyStacks(config, o);
  return { management, members, destroy, warnings: warningsOf(config, 1 + members.length + destroy.length) };
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

function listed(names: readonly string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length} in all)`;
}

export interface ChangedStacksOptions extends StacksOptions {
  /** The synth's output folder, as a path to read from. */
  readonly outdir: string;
  /** The config file, for messages. */
  readonly configFile: string;
}

/**
 * The stacks of `config` that the last synth into `outdir` added or changed (`changed-stacks.json`),
 * management first, plus every destroy job (a removed member stays pending until its destroy is
 * recorded, whatever the last synth changed). Refuses an output folder synthesized from another
 * config: its manifest or its changed stacks name stacks this config does not have.
 */
export function changedPipelineStacks(config: BaselineConfig, o: ChangedStacksOptions): PipelineStacks {
  const known = new Set([...allStackNames(config), ...removedStackNames(config)]);
  const ownerFile = join(o.outdir, OWNER_FILE);
  if (existsSync(ownerFile)) {
    const owner = readJson(ownerFile, '--changed-only:');
    const org = config.organization;
    if (!isObject(owner) || owner.organizationId !== org.id || owner.managementAccountId !== org.managementAccountId) {
      const theirs = isObject(owner) ? `organization ${String(owner.organizationId)} (management account ${String(owner.managementAccountId)})` : 'an unreadable organization';
      throw new CommandError(
        `--changed-only: ${o.outdir} was synthesized for ${theirs}, not for ${org.id} (management account ${org.managementAccountId}) of ${o.configFile}: synthesize ${o.configFile} into its own output folder and pass it with --outdir`,
      );
    }
  }
  const manifestFile = join(o.outdir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) throw new CommandError(`--changed-only: --outdir ${o.outdir} has no ${MANIFEST_FILE}: synthesize first (make synth)`);
  const manifest = readJson(manifestFile, '--changed-only: manifest');
  if (!isObject(manifest) || !isObject(manifest.stacks)) throw new CommandError(`--changed-only: ${manifestFile}: expected {"stacks": {<name>: {...}}} (cdktf's manifest format)`);
  const foreign = Object.keys(manifest.stacks).filter((n) => !known.has(n));
  if (foreign.length > 0) {
    throw new CommandError(
      `--changed-only: ${o.outdir} was synthesized from another config: its ${MANIFEST_FILE} has ${listed(foreign)}, which ${o.configFile} does not; synthesize ${o.configFile} (BASELINE_CONFIG=${o.configFile} make synth) or pass --outdir of its output`,
    );
  }
  const file = join(o.outdir, CHANGED_STACKS_FILE);
  const changed = readJson(file, '--changed-only:') as Partial<ChangedStacks>;
  if (!isObject(changed) || !Array.isArray(changed.added) || !Array.isArray(changed.changed)) {
    throw new CommandError(`--changed-only: ${file}: expected {"added": [...], "changed": [...], "removed": [...]}`);
  }
  const wanted = new Set<string>([...changed.added, ...changed.changed]);
  const unknown = [...wanted].filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new CommandError(`--changed-only: ${file} lists ${listed(unknown)}, which ${o.configFile} does not have: synthesize ${o.configFile} again (make synth) before generating`);
  }
  const removed = new Set(removedStackNames(config));
  const names = allStackNames(config).filter((n) => wanted.has(n));
  const stacks = names.map((name) => stackOf(config, name, o));
  const destroy = destroyStacks(config, o);
  const warnings = warningsOf(config, stacks.length + destroy.length);
  if (stacks.length === 0) warnings.push('--changed-only: no stack was added or changed by the last synth: the pipeline runs no plan or apply');
  // A stack whose folder the synth deleted and that removedMembers does not list has no destroy job:
  // its state is still in the backend, and nothing in this pipeline destroys it.
  const gone = (Array.isArray(changed.removed) ? changed.removed : []).filter((n): n is string => typeof n === 'string' && !removed.has(n));
  if (gone.length > 0) {
    warnings.push(`the last synth deleted ${listed(gone)}, which removedMembers does not list: no destroy job; take accounts out with baseline remove, which keeps the stack until the pipeline destroyed it`);
  }
  // Folders no stack of the config claims (synth/output-tree.ts `orphaned`): kept, as their resources may still exist.
  const orphaned = (changed as { orphaned?: unknown }).orphaned;
  const orphans = Array.isArray(orphaned) ? orphaned.filter((n): n is string => typeof n === 'string') : [];
  if (orphans.length > 0) warnings.push(`${o.outdir} has stack folders no stack of ${o.configFile} claims (${listed(orphans)}): no job plans or destroys them`);
  return {
    management: stacks.find((s) => s.name === MANAGEMENT_STACK),
    members: stacks.filter((s) => s.name !== MANAGEMENT_STACK),
    destroy,
    warnings,
  };
}
