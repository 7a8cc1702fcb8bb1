/**
 * `collectEvidence`: the whole organization's evidence, read-only. It plans one task per area,
 * account and Region, runs them with a bounded number of requests in flight, and returns every
 * judgement with the raw responses it was made on. Nothing here writes to AWS; a task's error is an
 * ERROR item, never the end of the run.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { baselineOwnsOrgTrail, memberRegions } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { AwsAccess, describeError, Limiter, type BaseClientConfig, type ClientDecorator } from './aws';
import { accountTrailTasks, orgTrailTasks } from './checks/cloudtrail';
import { cisTasks } from './checks/cloudwatch';
import { aggregatorTasks, configTasks, organizationCoverageTasks } from './checks/config-service';
import { logArchiveTasks } from './checks/log-archive';
import { alertRouteTasks } from './checks/alerting';
import { routeWatchdogTasks } from './checks/route-watchdogs';
import { accountPublicAccessTasks } from './checks/s3-public-access';
import { unusedAccessTasks } from './checks/access-analyzer-unused';
import { accessAnalyzerTasks, guardDutyTasks, macieTasks, securityHubOrganizationTasks, securityHubStandardsTasks } from './checks/security-services';
import { flowLogTasks } from './checks/vpc';
import { guardrailTasks } from './checks/guardrails';
import { investigationTasks } from './checks/investigations';
import { periodAlarmTasks } from './checks/period-alarms';
import { periodConfigTasks } from './checks/period-config';
import { periodFindingTasks } from './checks/period-findings';
import { investigationSampleTasks } from './checks/period-investigation';
import { sensitiveBucketTasks } from './checks/sensitive-buckets';
import { extendedThreatDetectionTasks, malwareProtectionTasks } from './checks/malware-protection';
import { resolvePeriod } from './period/period';
import type { CollectContext, Task } from './context';
import { DEFAULT_LOG_FILE_SAMPLE, digestTasks } from './digest';
import { readConfigHistory } from './history';
import { silentProgress, type Progress } from './progress';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_EVIDENCE_ROLE_NAME,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_FINDINGS,
  DEFAULT_SESSION_NAME,
  DEFAULT_SINCE_DAYS,
  DEFAULT_VALIDATE_LOGS_HOURS,
  EvidenceOptionError,
} from './options';
import { STATUSES, type ConfigHistory, type EvidenceItem, type EvidenceResult, type EvidenceRun, type RawRecord, type StatusCounts } from './types';
import { assembleUnits, MemorySink, type UnitSink } from './units';

export { EvidenceOptionError };

export interface CollectOptions {
  readonly config: BaselineConfig;
  /**
   * The config file, for the binder's copy of it and its git history.
   * @default - none: the binder has neither
   */
  readonly configFile?: string;
  /**
   * Account ids to judge (members of the config). Organization-level evidence (org trail, log archive,
   * delegated services) is always collected.
   * @default - every member
   */
  readonly accounts?: readonly string[];
  /**
   * Regions to judge (governed Regions).
   * @default - every governed Region
   */
  readonly regions?: readonly string[];
  /**
   * The read-only role assumed in every account.
   * @default DEFAULT_EVIDENCE_ROLE_NAME
   */
  readonly roleName?: string;
  /** @default - none */
  readonly externalId?: string;
  /** @default DEFAULT_SESSION_NAME */
  readonly sessionName?: string;
  /**
   * Findings window, in days (GuardDuty, Macie).
   * @default DEFAULT_SINCE_DAYS
   */
  readonly sinceDays?: number;
  /**
   * Start of the audit period the period sections judge (inclusive, UTC).
   * @default - DEFAULT_PERIOD_DAYS before `to`
   */
  readonly from?: Date;
  /**
   * End of the audit period (exclusive, UTC); not after now.
   * @default - now
   */
  readonly to?: Date;
  /**
   * The file `baseline investigate --format json` wrote: the binder's investigation sample.
   * @default - none: the investigation sample item FAILs, saying that none was given
   */
  readonly investigationSample?: string;
  /**
   * Start of the log-file validation period (it ends at the period's end, `to`); `false` skips the validation.
   * @default - DEFAULT_VALIDATE_LOGS_HOURS before `to`
   */
  readonly validateLogsSince?: Date | false;
  /**
   * The role that reads digest and log files (the log archive denies object reads to all others).
   * @default - the first of `logArchive.readerRoleArns`
   */
  readonly logReaderRoleArn?: string;
  /**
   * Log files hashed per account and Region in log-file validation; the others are proven unchanged by
   * their versions under Object Lock (evidence/digest.ts). `'all'` hashes every one.
   * @default DEFAULT_LOG_FILE_SAMPLE
   */
  readonly logFileSample?: number | 'all';
  /** @default DEFAULT_CONCURRENCY */
  readonly concurrency?: number;
  /** @default DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** @default DEFAULT_MAX_FINDINGS */
  readonly maxFindings?: number;
  /** @default - AWS's endpoints */
  readonly endpoint?: string;
  /** @default - the SDK's default provider chain */
  readonly credentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** @default - the SDK's Node.js handler */
  readonly requestHandler?: BaseClientConfig['requestHandler'];
  /** More settings per client class name (see AwsAccessProps.clientSettings). @default - none */
  readonly clientSettings?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Called with every client the run creates (see AwsAccessProps.decorateClient). @default - none */
  readonly decorateClient?: ClientDecorator;
  /**
   * The run's clock: every timestamp of the binder comes from it.
   * @default - the system clock
   */
  readonly now?: () => Date;
  /** @default - silent */
  readonly progress?: Progress;
  /**
   * When the run started: a resumed run keeps its first start.
   * @default - `now()`
   */
  readonly startedAt?: Date;
  /**
   * Where finished tasks' results go.
   * @default - memory (`ctx.items`, `ctx.raw`)
   */
  readonly sink?: UnitSink;
  /**
   * Stops the run: tasks in flight finish, no other starts, and the run throws CollectionInterrupted.
   * @default - runs to the end
   */
  readonly signal?: AbortSignal;
  /**
   * The config file's history; `false` leaves it out.
   * @default - read with git from `configFile`
   */
  readonly history?: ConfigHistory | false;
}

const positiveInteger = (option: string, value: number | undefined, fallback: number): number => {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new EvidenceOptionError(option, `must be a positive whole number (got ${value})`);
  return v;
};

/** The run's shared state, from checked options (CollectOptions' rules, each error naming its option). */
export function createContext(options: CollectOptions): { ctx: CollectContext; startedAt: Date; roleName: string; concurrency: number } {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const members = config.members.map((m) => m.id);
  const accounts = options.accounts ? [...new Set(options.accounts)] : members;
  for (const id of accounts) {
    if (!members.includes(id)) throw new EvidenceOptionError('accounts', `${id} is not a member of the config`);
  }
  const regions = options.regions ? [...new Set(options.regions)] : [...config.regions.governed];
  for (const r of regions) {
    if (!config.regions.governed.includes(r)) throw new EvidenceOptionError('regions', `${r} is not a governed Region (regions.governed)`);
  }
  const sinceDays = positiveInteger('since', options.sinceDays, DEFAULT_SINCE_DAYS);
  const concurrency = positiveInteger('concurrency', options.concurrency, DEFAULT_CONCURRENCY);
  const startedAt = options.startedAt ?? now();
  const period = resolvePeriod({ from: options.from, to: options.to }, startedAt);
  // The validation window ends where the period does (now, unless --to says otherwise): every shard
  // of a run, and a resumed run, validate the same window.
  let logValidation: { start: Date; end: Date } | undefined;
  if (options.validateLogsSince !== false) {
    const start = options.validateLogsSince ?? new Date(period.to.getTime() - DEFAULT_VALIDATE_LOGS_HOURS * 3_600_000);
    if (Number.isNaN(start.getTime()) || start >= period.to) throw new EvidenceOptionError('validate-logs-since', 'must be a time before the end of the period (--to, default now)');
    logValidation = { start, end: period.to };
  }
  const roleName = options.roleName ?? DEFAULT_EVIDENCE_ROLE_NAME;
  const access = new AwsAccess({
    roleName,
    sessionName: options.sessionName ?? DEFAULT_SESSION_NAME,
    externalId: options.externalId,
    stsRegion: config.regions.home,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: positiveInteger('max-attempts', options.maxAttempts, DEFAULT_MAX_ATTEMPTS),
    requestHandler: options.requestHandler,
    clientSettings: options.clientSettings,
    decorateClient: options.decorateClient,
  });
  const items: EvidenceItem[] = [];
  const raw = new Map<string, RawRecord>();
  const ctx: CollectContext = {
    config,
    settings: {
      sinceDays,
      logValidation,
      logReaderRoleArn: options.logReaderRoleArn ?? config.logArchive.readerRoleArns[0],
      logFileSample: options.logFileSample === 'all' ? 'all' : positiveInteger('log-file-sample', options.logFileSample, DEFAULT_LOG_FILE_SAMPLE),
      maxFindings: positiveInteger('max-findings', options.maxFindings, DEFAULT_MAX_FINDINGS),
      regions,
      accounts: members.filter((id) => accounts.includes(id)),
      period,
      ...(options.investigationSample !== undefined ? { investigationSample: options.investigationSample } : {}),
    },
    now,
    access,
    limiter: new Limiter(concurrency),
    sink: options.sink ?? new MemorySink(items, raw),
    raw,
    items,
    memo: new Map<string, Promise<unknown>>(),
  };
  return { ctx, startedAt, roleName, concurrency };
}

/**
 * Every task of a run. Organization-level evidence (org trail, log archive, delegated services) is
 * collected whatever `accounts` selects, when its Region is selected; per-account evidence only for
 * the selected accounts, in the Regions their member baseline covers.
 */
export function planTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const { regions } = ctx.settings;
  const pairs = config.members
    .filter((m) => ctx.settings.accounts.includes(m.id))
    .flatMap((m) => memberRegions(config, m).filter((r) => regions.includes(r)).map((r) => [m.id, r] as const));
  const home = regions.includes(config.regions.home);
  const tasks: Task[] = [
    ...(home
      ? [
          ...orgTrailTasks(ctx),
          ...organizationCoverageTasks(ctx),
          ...logArchiveTasks(ctx),
          ...aggregatorTasks(ctx),
          ...securityHubOrganizationTasks(ctx),
          ...accountPublicAccessTasks(ctx),
          ...routeWatchdogTasks(ctx),
          ...accountTrailTasks(ctx),
          ...cisTasks(ctx),
          ...guardrailTasks(ctx),
          ...investigationTasks(ctx),
          ...unusedAccessTasks(ctx),
        ]
      : []),
    ...guardDutyTasks(ctx),
    ...extendedThreatDetectionTasks(ctx),
    ...malwareProtectionTasks(ctx),
    ...sensitiveBucketTasks(ctx),
    ...macieTasks(ctx),
    ...accessAnalyzerTasks(ctx),
    ...alertRouteTasks(ctx),
    ...configTasks(ctx, pairs),
    ...flowLogTasks(ctx, pairs),
    ...securityHubStandardsTasks(ctx, pairs),
    ...digestTasks(ctx, pairs),
    // The audit period: what happened over it, not the state at collection.
    ...(home ? [...periodAlarmTasks(ctx), ...periodConfigTasks(ctx, pairs), ...investigationSampleTasks(ctx)] : []),
    ...periodFindingTasks(ctx),
  ];
  // Each account's tasks spread evenly over the whole run (the i-th of its n tasks placed at
  // (i + 0.5) / n of the plan): the requests in flight are spread over many accounts, whose API rates
  // are counted per account and Region, instead of landing on one account at a time and throttling
  // there; and an account with many more tasks than the others (the audit account reads the
  // aggregator once for every account-Region: period-config.ts) has them spread over the run, not
  // left to run alone at its end against its one rate. Ties: the members' order, then the plan's.
  const rank = new Map(config.members.map((m, i) => [m.id, i]));
  const byAccount = new Map<string, Task[]>();
  for (const task of tasks) {
    const list = byAccount.get(task.accountId);
    if (list) list.push(task);
    else byAccount.set(task.accountId, [task]);
  }
  const placed: { task: Task; at: number; rank: number }[] = [];
  for (const [accountId, list] of byAccount) list.forEach((task, i) => placed.push({ task, at: (i + 0.5) / list.length, rank: rank.get(accountId) ?? -1 }));
  placed.sort((a, b) => a.at - b.at || a.rank - b.rank);
  tasks.length = 0;
  for (const p of placed) tasks.push(p.task);
  // Keys from the plan alone, so that every run and shard of the same inputs gives a task the same key.
  const seen = new Map<string, number>();
  for (const task of tasks) {
    const base = [task.accountId, task.region, task.label, task.resource ?? '', task.controls.join(',')].join('|');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    task.key = n === 1 ? base : `${base}#${n}`;
  }
  return tasks;
}

/**
 * Shard `index` of `count` (1-based): every count-th task of the plan in key order (a key names the
 * task's account, Region and area), so that the shards are disjoint, together the whole plan, and
 * even in size, also where many tasks read from one account (the aggregator's, in the audit
 * account). Every shard plans the same tasks, so each computes the same split.
 */
export function shardTasks(tasks: readonly Task[], shard: { readonly index: number; readonly count: number }): Task[] {
  if (shard.count === 1) return [...tasks];
  const shardOf = shardAssignment(tasks.map((t) => t.key), shard.count);
  return tasks.filter((t) => shardOf.get(t.key) === shard.index);
}

/** The shard (1-based) of each task key of a plan in `count` shards: the i-th key in sorted order goes to shard (i mod count) + 1. */
export function shardAssignment(keys: readonly string[], count: number): Map<string, number> {
  return new Map([...keys].sort().map((k, i) => [k, (i % count) + 1]));
}

/** The run was stopped (SIGINT, SIGTERM) before every task had run; what finished is in the collection folder. */
export class CollectionInterrupted extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`interrupted after ${done} of ${total} task(s)`);
    this.name = 'CollectionInterrupted';
  }
}

/** Runs the tasks, at most `concurrency` requests in flight (the context's limiter), reporting progress. */
export async function runTasks(
  ctx: CollectContext,
  tasks: readonly Task[],
  concurrency: number,
  progress: Progress = silentProgress,
  reused: ReadonlyMap<string, { readonly counts: StatusCounts }> = new Map(),
  signal?: AbortSignal,
): Promise<StatusCounts> {
  const counts: StatusCounts = { PASS: 0, FAIL: 0, ERROR: 0 };
  const todo = tasks.filter((t) => !reused.has(t.key));
  const reusedCount = tasks.length - todo.length;
  for (const t of tasks) {
    const r = reused.get(t.key);
    if (r) for (const s of STATUSES) counts[s] += r.counts[s];
  }
  progress.start(tasks.length, ctx.settings.accounts.length, ctx.settings.regions.length, reusedCount);
  let done = reusedCount;
  let next = 0;
  tasks = todo;
  // Tasks wait on the limiter for each request; twice as many tasks as request slots keep it busy.
  const workers = Array.from({ length: Math.min(tasks.length, concurrency * 2) }, async () => {
    // A stop request lets the tasks in flight finish (and be written), and starts no other.
    while (next < tasks.length && !signal?.aborted) {
      const task = tasks[next++];
      await task.execute();
      for (const s of STATUSES) counts[s] += task.counts[s];
      done += 1;
      progress.taskDone(
        { label: task.label, accountId: task.accountId, region: task.region, errors: task.errors },
        done,
        counts,
      );
    }
  });
  await Promise.all(workers);
  if (signal?.aborted && done < reusedCount + tasks.length) throw new CollectionInterrupted(done, reusedCount + tasks.length);
  progress.finish(counts);
  return counts;
}

/** The identity that collects: the caller of the runner's credentials (or why it is unknown). */
export async function collectorIdentity(access: AwsAccess): Promise<string> {
  try {
    return await access.callerArn();
  } catch (e) {
    return `unknown (sts:GetCallerIdentity failed: ${describeError(e)})`;
  }
}

/** The binder's run header for a context. */
export function runHeader(ctx: CollectContext, options: CollectOptions, times: { startedAt: Date; finishedAt: Date }, collectedBy: string, roleName: string): EvidenceRun {
  const { config } = ctx;
  const { sinceDays, regions, logValidation, period } = ctx.settings;
  return {
    startedAt: times.startedAt.toISOString(),
    finishedAt: times.finishedAt.toISOString(),
    collectedBy,
    organizationId: config.organization.id,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    accounts: ctx.settings.accounts,
    regions,
    roleName,
    sinceDays,
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    triage: { ...config.alerts.triage },
    ...(ctx.settings.investigationSample !== undefined ? { investigationSample: ctx.settings.investigationSample } : {}),
    logValidation: !logValidation
      ? { skipped: 'skipped (--skip-log-validation)' }
      : !baselineOwnsOrgTrail(config)
        ? { skipped: "Control Tower owns the organization trail: validate its logs with aws cloudtrail validate-logs" }
        : { start: logValidation.start.toISOString(), end: logValidation.end.toISOString() },
    exceptions: [
      ...config.awsConfig.disabledRules.map((r) => ({ kind: 'AWS Config rule switched off', id: r.name, reason: r.reason })),
      ...config.securityServices.securityHub.disabledControls.map((c) => ({ kind: 'Security Hub control disabled', id: c.id, reason: c.reason })),
    ],
  };
}

/** The whole organization's evidence, in memory (the API; `baseline evidence` streams to disk: evidence/run-collection.ts). */
export async function collectEvidence(options: CollectOptions): Promise<EvidenceResult> {
  const { ctx, startedAt, roleName, concurrency } = createContext(options);
  const { access, now } = ctx;
  const tasks = planTasks(ctx);
  const collectedBy = await collectorIdentity(access);
  try {
    await runTasks(ctx, tasks, concurrency, options.progress);
  } finally {
    access.destroy();
  }
  const history = options.history === false ? undefined : (options.history ?? (options.configFile ? await readConfigHistory(options.configFile) : undefined));
  const { items, raw } = assembleUnits((ctx.sink as MemorySink).units);
  return { run: runHeader(ctx, options, { startedAt, finishedAt: now() }, collectedBy, roleName), items, raw, ...(history ? { history } : {}) };
}
