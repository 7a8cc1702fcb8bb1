/**
 * Synth for orgs of any size: only stacks whose inputs changed since the last synth are built
 * (`stack-inputs.ts`), by worker processes in parallel, each with bounded memory (`worker.ts`), into a
 * staging folder; nothing in the output folder changes until every stack has built, and then only the
 * files whose bytes changed (`output-tree.ts`). The config is loaded and validated, and the stacks
 * selected, by the caller, once, before this runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { allStackNames, MANAGEMENT_STACK, memberStackName, stateKey, synthStackNames } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { LOCAL_STATE_DIR } from '../stacks/baseline-stack';
import { removedAccounts } from '../controls/matrix';
import { CONTROL_MATRIX_JSON, EVIDENCE_DIR, writeControlMatrix } from '../controls/write-matrix';
import { buildStacks, type BuiltStack } from './build-stacks';
import {
  commitOutput,
  createStagingDir,
  existingStackFolders,
  filesIntact,
  readSynthCache,
  type ChangedStacks,
  type RemovedStack,
  type SynthCache,
} from './output-tree';
import { checkOutdirOwner, recordOutdirOwner } from './outdir-owner';
import { codeFingerprint, configDigest, stackInputsHash, type ConfigDigest } from './stack-inputs';
import { debugTokensRequested, setTokenStackTraces, tokenStackTracesEnabled } from './token-stack-traces';
import type { FromWorker, ToWorker } from './worker';

export interface SynthOptions {
  /**
   * The stacks to synthesize (names, already selected, from `synthStackNames`). Stacks not named are
   * left as they are. No synth deletes a stack folder.
   * @default - every stack of the config, the removed accounts' stacks awaiting destroy included
   */
  readonly stacks?: readonly string[];
  /**
   * The config file the config was read from, recorded in the output folder with its organization
   * (`outdir-owner.ts`) and named when another organization's synth is refused.
   * @default - not recorded (the one recorded before stays)
   */
  readonly configFile?: string;
  /**
   * The output folder.
   * @default - `CDKTF_OUTDIR` (set by the cdktf CLI), else "cdktf.out"
   */
  readonly outdir?: string;
  /**
   * How many worker processes build stacks.
   * @default - `BASELINE_SYNTH_WORKERS`, else the number of CPUs
   */
  readonly workers?: number;
  /**
   * Whether stacks whose inputs are unchanged since the last synth are reused instead of built.
   * @default - true, unless `BASELINE_SYNTH_CACHE=off`
   */
  readonly cache?: boolean;
  /**
   * Whether cdktf records where each token was created (for its unresolved-token errors; slow).
   * @default - `BASELINE_DEBUG_TOKENS=1`
   */
  readonly debugTokens?: boolean;
}

export interface SynthReport extends ChangedStacks {
  /** The stacks of this synth to apply, as manifest.json lists them (removed accounts' stacks are not). */
  readonly stacks: readonly string[];
  /** The removed accounts' stacks this synth wrote (for their destroy), a part of `removed`. */
  readonly removedSynthesized: readonly string[];
  /** How many of them were built; the others were reused from the last synth. */
  readonly built: number;
  readonly outdir: string;
}

/** A stack failed to build: nothing in the output folder was changed. */
export class SynthError extends Error {
  constructor(
    readonly stackName: string,
    message: string,
    /** The error as the worker saw it, with its stack trace. */
    readonly detail: string,
  ) {
    super(`${stackName}: ${message}`);
    this.name = 'SynthError';
  }
}

/** A synth option (an environment variable) has a value it cannot have. */
export class SynthOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthOptionError';
  }
}

/** Stacks per message to a worker: few enough to share work evenly, enough to keep messages rare. */
const BATCH_SIZE = 4;

/**
 * A worker retires once its heap passes this: cdktf never frees tokens (see worker.ts), about 0.8 MB
 * per 17-Region member stack, and the largest stack needs a few hundred MB of its own.
 */
const WORKER_HEAP_BUDGET_BYTES = 512 * 1024 * 1024;

const CDKTF_VERSION = (require('cdktf/package.json') as { version: string }).version;

function workerCount(option: number | undefined, env: NodeJS.ProcessEnv): number {
  if (option !== undefined) return option;
  const fromEnv = env.BASELINE_SYNTH_WORKERS;
  if (fromEnv === undefined || fromEnv === '') return availableParallelism();
  const n = Number(fromEnv);
  if (!Number.isInteger(n) || n < 1) throw new SynthOptionError(`BASELINE_SYNTH_WORKERS: must be a whole number of at least 1, got "${fromEnv}"`);
  return n;
}

function cacheWanted(option: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (option !== undefined) return option;
  const value = (env.BASELINE_SYNTH_CACHE ?? '').toLowerCase();
  if (['', 'on', '1', 'true'].includes(value)) return true;
  if (['off', '0', 'false'].includes(value)) return false;
  throw new SynthOptionError(`BASELINE_SYNTH_CACHE: must be "on" or "off", got "${env.BASELINE_SYNTH_CACHE}"`);
}

interface Plan {
  readonly config: BaselineConfig;
  readonly configFile: string | undefined;
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** Every stack of the config, removed accounts' included (`synthStackNames`). */
  readonly allStacks: readonly string[];
  readonly digest: ConfigDigest;
  readonly cache: SynthCache | null;
  /** The stacks whose inputs or files changed since the last synth (all of them without a cache). */
  readonly toBuild: readonly string[];
}

function plan(config: BaselineConfig, options: SynthOptions, env: NodeJS.ProcessEnv): Plan {
  const outdir = resolve(options.outdir ?? (env.CDKTF_OUTDIR || 'cdktf.out'));
  // Before anything is built or written: the folder may hold another organization's stacks.
  checkOutdirOwner(config, outdir, options.configFile);
  const allStacks = synthStackNames(config);
  const stacks = options.stacks ?? allStacks;
  const digest = configDigest(config, codeFingerprint(env));
  const cache = readSynthCache(outdir);
  const usable = cacheWanted(options.cache, env) ? cache : null;
  const toBuild = stacks.filter((name) => {
    const entry = usable?.stacks[name];
    return !(entry && entry.inputs === stackInputsHash(digest, name, entry.readsMembers) && filesIntact(outdir, name, entry));
  });
  return { config, configFile: options.configFile, outdir, stacks, allStacks, digest, cache, toBuild };
}

/** The config's stacks awaiting destroy, as `removed-stacks.json` lists them. */
export function removedStacks(config: BaselineConfig): RemovedStack[] {
  return config.removedMembers.map((m) => {
    const name = memberStackName(m.id);
    return { name, accountId: m.id, removedOn: m.removedOn, workingDirectory: `stacks/${name}`, stateKey: stateKey(config, name) ?? null };
  });
}

/** Whether the control matrix in `outdir` lists other removed accounts than `config`'s (or cannot be read). */
function matrixRemovedAccountsStale(config: BaselineConfig, outdir: string): boolean {
  try {
    const written = JSON.parse(readFileSync(join(outdir, EVIDENCE_DIR, CONTROL_MATRIX_JSON), 'utf8')) as { removedAccounts?: unknown };
    return JSON.stringify(written.removedAccounts) !== JSON.stringify(removedAccounts(config));
  } catch {
    return true;
  }
}

function commit(p: Plan, built: readonly (BuiltStack & { stagedIn: string })[], probed: readonly BuiltStack[] = []): SynthReport {
  const inConfig = new Set(p.allStacks);
  const removed = removedStacks(p.config);
  const report = commitOutput({
    outdir: p.outdir,
    cdktfVersion: CDKTF_VERSION,
    stacks: p.stacks,
    built: built.map((b) => ({ ...b, inputs: stackInputsHash(p.digest, b.name, b.readsMembers) })),
    probed: probed.map((b) => ({ ...b, inputs: stackInputsHash(p.digest, b.name, b.readsMembers) })),
    removed,
    orphaned: existingStackFolders(p.outdir).filter((name) => !inConfig.has(name)),
    cache: p.cache,
    allStacks: p.allStacks,
    liveStacks: allStackNames(p.config),
  });
  recordOutdirOwner(p.config, p.outdir, p.configFile);
  // Where every stack's local state file goes (stacks/baseline-stack.ts `localStatePath`), made before any
  // `terraform init`. Unverified: whether Terraform creates a missing parent folder of the backend's `path`
  // (https://developer.hashicorp.com/terraform/language/backend/local does not say), so synth makes it.
  if (p.config.state.backend === 'local') mkdirSync(join(p.outdir, LOCAL_STATE_DIR), { recursive: true });
  // The matrix reads every live stack's controls.json: rebuilt whenever one's files or the list of them
  // changed, or the removed accounts it lists (a reason edited by hand changes no stack).
  if (
    report.added.length + report.changed.length > 0 ||
    report.liveStacksChanged ||
    !existsSync(join(p.outdir, EVIDENCE_DIR, CONTROL_MATRIX_JSON)) ||
    matrixRemovedAccountsStale(p.config, p.outdir)
  ) {
    writeControlMatrix(p.config, p.outdir, allStackNames(p.config));
  }
  const removedNames = new Set(removed.map((r) => r.name));
  const { liveStacksChanged: _changed, ...changes } = report;
  return {
    ...changes,
    stacks: p.stacks.filter((name) => !removedNames.has(name)),
    removedSynthesized: p.stacks.filter((name) => removedNames.has(name)),
    built: built.length,
    outdir: p.outdir,
  };
}

const WORKER_SCRIPT = join(__dirname, `worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

/** Node options for a worker: none for compiled JavaScript; tsx's require hook for TypeScript. */
function workerExecArgv(): string[] {
  return WORKER_SCRIPT.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : [];
}

/** Builds `names` in up to `workers` processes, into `stagingDir/w<n>`; rejects on the first failure. */
function buildInWorkers(
  config: BaselineConfig,
  names: readonly string[],
  stagingDir: string,
  outdir: string,
  workers: number,
  debugTokens: boolean,
): Promise<(BuiltStack & { stagedIn: string })[]> {
  const batches: string[][] = [];
  // The management stack alone first: it is the largest, and others fill the other workers meanwhile.
  const rest = names.filter((n) => n !== MANAGEMENT_STACK);
  if (rest.length !== names.length) batches.push([MANAGEMENT_STACK]);
  for (let i = 0; i < rest.length; i += BATCH_SIZE) batches.push(rest.slice(i, i + BATCH_SIZE));

  return new Promise((done, fail) => {
    const built: (BuiltStack & { stagedIn: string })[] = [];
    const live = new Set<ChildProcess>();
    let failed = false;
    let next = 0;
    let pending = batches.length;

    const abort = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const child of live) child.kill();
      fail(error);
    };

    const start = (slot: number) => {
      const slotDir = join(stagingDir, `w${slot}`);
      mkdirSync(join(slotDir, 'stacks'), { recursive: true });
      const child = fork(WORKER_SCRIPT, [], { execArgv: workerExecArgv(), serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      live.add(child);
      let inFlight: string[] | null = null;
      let retiring = false;
      const dispatch = () => {
        if (failed) return;
        if (next >= batches.length) {
          inFlight = null;
          child.disconnect();
          return;
        }
        inFlight = batches[next++];
        child.send({ type: 'build', stacks: inFlight } satisfies ToWorker);
      };
      child.on('message', (message: FromWorker) => {
        if (message.type === 'failed') {
          abort(new SynthError(message.stack, message.message, message.detail));
          return;
        }
        built.push(...message.stacks.map((s) => ({ ...s, stagedIn: slotDir })));
        inFlight = null;
        if (--pending === 0) {
          for (const c of live) if (c.connected) c.disconnect();
          done(built);
          return;
        }
        if (message.retiring) retiring = true;
        else dispatch();
      });
      child.on('error', (e) => abort(e));
      child.on('exit', (code, signal) => {
        live.delete(child);
        if (failed || pending === 0) return;
        if (inFlight) {
          abort(new SynthError(inFlight[0], `the synth worker building ${inFlight.join(', ')} exited (${signal ?? `code ${code}`})`, ''));
        } else if (retiring && next < batches.length) {
          start(slot);
        }
      });
      child.send({ type: 'init', config, stagingDir: slotDir, outdir, debugTokens, heapBudgetBytes: WORKER_HEAP_BUDGET_BYTES } satisfies ToWorker);
      dispatch();
    };

    if (batches.length === 0) {
      done([]);
      return;
    }
    for (let slot = 0; slot < Math.min(workers, batches.length); slot++) start(slot);
  });
}

/**
 * Synthesizes the config's stacks into the output folder with worker processes. Throws `SynthError`
 * (nothing in the output folder changed) when a stack fails to build.
 */
export async function synthesize(config: BaselineConfig, options: SynthOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<SynthReport> {
  const p = plan(config, options, env);
  const workers = workerCount(options.workers, env);
  const staging = createStagingDir(p.outdir);
  try {
    const built = await buildInWorkers(config, p.toBuild, staging, p.outdir, workers, options.debugTokens ?? debugTokensRequested(env));
    return commit(p, built);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export interface InProcessSynthOptions extends SynthOptions {
  /**
   * Stacks to build only to learn whether they read `members`: those that do are synthesized like
   * `stacks`, the others are left as they are (their observation is cached).
   * @default - none
   */
  readonly probe?: readonly string[];
}

/**
 * The same in this process, synchronously: for the few stacks a vend synthesizes, where starting
 * workers would cost more than it saves.
 */
export function synthesizeInProcess(config: BaselineConfig, options: InProcessSynthOptions = {}, env: NodeJS.ProcessEnv = process.env): SynthReport {
  const p = plan(config, options, env);
  const probe = (options.probe ?? []).filter((name) => !p.stacks.includes(name));
  const staging = createStagingDir(p.outdir);
  const tracing = tokenStackTracesEnabled();
  setTokenStackTraces(options.debugTokens ?? debugTokensRequested(env));
  try {
    const built = [...p.toBuild, ...probe].map((name) => {
      try {
        return { ...buildStacks(config, [name], staging, p.outdir)[0], stagedIn: staging };
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        throw new SynthError(name, error.message, error.stack ?? error.message);
      }
    });
    const kept = new Set([...p.stacks, ...built.filter((b) => b.readsMembers).map((b) => b.name)]);
    return commit(
      { ...p, stacks: p.allStacks.filter((name) => kept.has(name)) },
      built.filter((b) => kept.has(b.name)),
      built.filter((b) => !kept.has(b.name)),
    );
  } finally {
    setTokenStackTraces(tracing);
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * What the synth cache of `outdir` knows about which stacks of `config` read `members`: `readers`
 * did at their last build; `unknown` have not been built into it.
 */
export function membersReaders(config: BaselineConfig, outdir: string): { readonly readers: string[]; readonly unknown: string[] } {
  const cache = readSynthCache(resolve(outdir));
  const all = synthStackNames(config);
  return {
    readers: all.filter((name) => cache?.stacks[name]?.readsMembers === true),
    unknown: all.filter((name) => cache?.stacks[name] === undefined),
  };
}
