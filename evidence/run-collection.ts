/**
 * `baseline evidence`'s collection: the tasks of a run (or of one shard), each written to the
 * collection folder as it finishes, so that memory does not grow with the organization and a run
 * killed part-way resumes. A folder collected for other inputs is refused, naming what differs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectorIdentity, createContext, planTasks, runHeader, runTasks, shardAssignment, shardTasks, type CollectOptions } from './collect';
import type { CollectContext } from './context';
import {
  COLLECTION_FORMAT,
  CollectionError,
  createCollection,
  FileSink,
  indexUnits,
  inputDifferences,
  sha256,
  writeManifest,
  type CollectionInputs,
  type CollectionManifest,
} from './collection';
import { canonicalJson } from './canonical';
import { DEFAULT_SESSION_NAME } from './options';
import { checkShardsAgainstConfig, type Replanned } from './folder-check';
import type { StatusCounts } from './types';
import { SHARED_UNIT_PREFIX, type Unit, type UnitSink } from './units';

/** The collector's version, part of a collection's inputs. */
export const COLLECTOR_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

/**
 * How long after its start a run may be resumed, hours: beyond, what it collected first is too old to
 * stand in one binder with what it would collect now (this project's bound, not an AWS figure).
 */
export const MAX_RESUME_AGE_HOURS = 24;

export interface CollectIntoFolderOptions extends CollectOptions {
  /** The collection folder. */
  readonly dir: string;
  /** @default - not sharded (1/1) */
  readonly shard?: { readonly index: number; readonly count: number };
  /** The folder's manifest, when it holds an earlier run of the same inputs to resume. @default - none: start afresh */
  readonly resume?: CollectionManifest;
  /** The config file's text (copied into the folder, and its digest is an input). @default - the config's canonical JSON digest, no copy */
  readonly configText?: string;
  /** The investigation sample's bytes (copied, and digested). @default - none */
  readonly sampleBytes?: Buffer;
}

export interface CollectIntoFolderResult {
  readonly manifest: CollectionManifest;
  /** Tasks taken from the folder, not collected again. */
  readonly reused: number;
  readonly tasks: number;
  readonly counts: StatusCounts;
  /**
   * The folder's tasks as the config and options plan them (key -> shard), which the folder was checked
   * against: the binder is assembled held to it (assembleBinder's `plan`).
   * @default - none: the folder is held to its own manifest
   */
  readonly plan?: ReadonlyMap<string, number>;
}

function sumCounts(units: ReadonlyMap<string, { readonly counts: StatusCounts }>): StatusCounts {
  const total: StatusCounts = { PASS: 0, FAIL: 0, ERROR: 0 };
  for (const u of units.values()) for (const s of ['PASS', 'FAIL', 'ERROR'] as const) total[s] += u.counts[s];
  return total;
}

/**
 * The inputs a run collects for (CollectionInputs): what a resumed run must match, and what
 * `baseline evidence-merge` derives from its own options to hold the shards to.
 */
export function collectionInputsOf(
  ctx: CollectContext,
  options: Pick<CollectIntoFolderOptions, 'configText' | 'sessionName' | 'externalId' | 'sampleBytes' | 'endpoint'>,
  roleName: string,
  shardCount: number,
): CollectionInputs {
  const { settings, config } = ctx;
  return {
    organizationId: config.organization.id,
    configSha256: sha256(options.configText ?? canonicalJson(config)),
    accounts: settings.accounts,
    regions: settings.regions,
    roleName,
    sessionName: options.sessionName ?? DEFAULT_SESSION_NAME,
    ...(options.externalId !== undefined ? { externalIdSha256: sha256(options.externalId) } : {}),
    ...(settings.logReaderRoleArn !== undefined ? { logReaderRoleArn: settings.logReaderRoleArn } : {}),
    logFileSample: settings.logFileSample,
    sinceDays: settings.sinceDays,
    maxFindings: settings.maxFindings,
    period: { from: settings.period.from.toISOString(), to: settings.period.to.toISOString() },
    logValidation: settings.logValidation ? { start: settings.logValidation.start.toISOString(), end: settings.logValidation.end.toISOString() } : { skipped: true },
    ...(options.sampleBytes ? { investigationSampleSha256: sha256(options.sampleBytes) } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    shardCount,
    collector: COLLECTOR_VERSION,
  };
}

export async function collectIntoFolder(options: CollectIntoFolderOptions): Promise<CollectIntoFolderResult> {
  const shard = options.shard ?? { index: 1, count: 1 };
  let fileSink: FileSink | undefined;
  const sink: UnitSink = { add: (unit: Unit) => (fileSink as FileSink).add(unit) };
  const { ctx, startedAt, roleName, concurrency } = createContext({ ...options, sink, ...(options.resume ? { startedAt: new Date(options.resume.run.startedAt) } : {}) });
  const inputs = collectionInputsOf(ctx, options, roleName, shard.count);
  const prior = options.resume;
  // Evidence is as of when it was read: a run is not stretched over days by resuming it, nor a
  // complete collection of days ago handed back as today's.
  if (prior && ctx.now().getTime() - Date.parse(prior.run.startedAt) > MAX_RESUME_AGE_HOURS * 3_600_000) {
    ctx.access.destroy();
    throw new CollectionError(`${options.dir} holds a run started ${prior.run.startedAt}, more than ${MAX_RESUME_AGE_HOURS} h ago: its evidence is too old to finish a binder with; --restart discards it`);
  }
  // The folder is a workspace between two jobs: whatever it says of itself, it is held to the plan, run
  // header and copies the config and options give (evidence/folder-check.ts), complete or resumed.
  const planned = () => {
    const tasks = shardTasks(planTasks(ctx), shard);
    return { tasks, plan: new Map(tasks.map((t) => [t.key, shard.index])) };
  };
  const checkFolder = (manifest: CollectionManifest, plan: ReadonlyMap<string, number>) =>
    checkShardsAgainstConfig([options.dir], [manifest], {
      configFile: options.configFile ?? options.dir,
      ...(options.configText !== undefined ? { configText: options.configText } : {}),
      ...(options.history ? { history: options.history } : {}),
      replanned: { inputs, shardOf: plan, header: runHeader(ctx, options, { startedAt, finishedAt: startedAt }, '', roleName) },
    });
  if (prior?.complete && !inputDifferences(prior.inputs, inputs).length && prior.shard.index === shard.index) {
    ctx.access.destroy();
    const { tasks, plan } = planned();
    checkFolder(prior, plan);
    return { manifest: prior, reused: tasks.length, tasks: tasks.length, counts: sumCounts(indexUnits(options.dir)), plan };
  }
  if (prior) {
    const diff = inputDifferences(prior.inputs, inputs);
    if (diff.length) {
      throw new CollectionError(`${options.dir} holds a run collected for other inputs (${diff.join('; ')}): give the same options to resume it, or --restart to discard what it collected`);
    }
    if (prior.shard.index !== shard.index) throw new CollectionError(`${options.dir} holds shard ${prior.shard.index}/${prior.shard.count}, not ${shard.index}/${shard.count}: give another --out, or --restart`);
  }
  const { tasks, plan } = planned();
  // A resumed folder is checked before anything is collected into it (and again once it is complete).
  if (prior) {
    try {
      checkFolder(prior, plan);
    } catch (e) {
      ctx.access.destroy();
      throw e;
    }
  }
  const collectedBy = await collectorIdentity(ctx.access);
  const header = (finishedAt: Date, who: string) => runHeader(ctx, options, { startedAt, finishedAt }, who, roleName);
  let manifest: CollectionManifest = { format: COLLECTION_FORMAT, inputs, shard, run: header(startedAt, collectedBy), tasks: tasks.length, complete: false };
  if (!prior) {
    createCollection(options.dir, manifest, {
      ...(options.configText !== undefined ? { configText: options.configText } : {}),
      ...(options.history ? { history: options.history } : {}),
      ...(options.sampleBytes ? { sample: options.sampleBytes } : {}),
    });
  }
  // A line cut off by a kill is dropped; the units before it are reused, but for the tasks that could
  // not collect (an ERROR item: throttled past the retries, a network error...), which run again.
  const written = indexUnits(options.dir, true);
  const reused = new Map([...written].filter(([, u]) => u.counts.ERROR === 0));
  const retried = [...written.values()].filter((u) => u.counts.ERROR > 0 && !u.key.startsWith(SHARED_UNIT_PREFIX)).length;
  if (retried) options.progress?.note?.(`retrying ${retried} task(s) that could not collect before`);
  fileSink = new FileSink(options.dir);
  let counts: StatusCounts;
  try {
    counts = await runTasks(ctx, tasks, concurrency, options.progress, reused, options.signal);
  } finally {
    fileSink.close();
    ctx.access.destroy();
  }
  const identities = [...new Set([...(prior ? prior.run.collectedBy.split('; ') : []), collectedBy])].sort().join('; ');
  manifest = { ...manifest, run: header(ctx.now(), identities), complete: true };
  writeManifest(options.dir, manifest);
  checkFolder(manifest, plan);
  return { manifest, reused: tasks.filter((t) => reused.has(t.key)).length, tasks: tasks.length, counts, plan };
}

/**
 * The inputs, plan and run header of a run of `shardCount` shards, derived the way `collectIntoFolder`
 * derives them, from the config and the options the merge was given (the shards' own options): a shard
 * folder is trusted only as far as it matches them (evidence/folder-check.ts, checkShardsAgainstConfig;
 * evidence/assemble.ts, assembleBinder's `plan`). Makes no AWS call: the context's clients are built with credentials that are
 * never used, and destroyed unused.
 */
export function replan(options: Omit<CollectIntoFolderOptions, 'dir' | 'credentials'>, shardCount: number): Replanned {
  const { ctx, roleName } = createContext({ ...options, credentials: { accessKeyId: 'NOT-USED', secretAccessKey: 'not-used' } });
  try {
    const { period } = ctx.settings;
    return {
      inputs: collectionInputsOf(ctx, options, roleName, shardCount),
      shardOf: shardAssignment(
        planTasks(ctx).map((t) => t.key),
        shardCount,
      ),
      header: runHeader(ctx, options, { startedAt: period.to, finishedAt: period.to }, '', roleName),
    };
  } finally {
    ctx.access.destroy();
  }
}
