/**
 * `collectEvidence`: the whole organization's evidence, read-only. It plans one task per area,
 * account and Region, runs them with a bounded number of requests in flight, and returns every
 * judgement with the raw responses it was made on. Nothing here writes to AWS; a task's error is an
 * ERROR item, never the end of the run.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { baselineOwnsOrgTrail, memberRegions } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { AwsAccess, describeError, Limiter, type BaseClientConfig } from './aws';
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
import { digestTasks } from './digest';
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
import type { ConfigHistory, EvidenceItem, EvidenceResult, RawRecord, StatusCounts } from './types';

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
   * Start of the log-file validation period (it ends now); `false` skips the validation.
   * @default - DEFAULT_VALIDATE_LOGS_HOURS before now
   */
  readonly validateLogsSince?: Date | false;
  /**
   * The role that reads digest and log files (the log archive denies object reads to all others).
   * @default - the first of `logArchive.readerRoleArns`
   */
  readonly logReaderRoleArn?: string;
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
  /**
   * The run's clock: every timestamp of the binder comes from it.
   * @default - the system clock
   */
  readonly now?: () => Date;
  /** @default - silent */
  readonly progress?: Progress;
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
  const startedAt = now();
  const period = resolvePeriod({ from: options.from, to: options.to }, startedAt);
  let logValidation: { start: Date; end: Date } | undefined;
  if (options.validateLogsSince !== false) {
    const start = options.validateLogsSince ?? new Date(startedAt.getTime() - DEFAULT_VALIDATE_LOGS_HOURS * 3_600_000);
    if (Number.isNaN(start.getTime()) || start >= startedAt) throw new EvidenceOptionError('validate-logs-since', 'must be a time before now');
    logValidation = { start, end: startedAt };
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
  });
  const ctx: CollectContext = {
    config,
    settings: {
      sinceDays,
      logValidation,
      logReaderRoleArn: options.logReaderRoleArn ?? config.logArchive.readerRoleArns[0],
      maxFindings: positiveInteger('max-findings', options.maxFindings, DEFAULT_MAX_FINDINGS),
      regions,
      accounts: members.filter((id) => accounts.includes(id)),
      period,
      ...(options.investigationSample !== undefined ? { investigationSample: options.investigationSample } : {}),
    },
    now,
    access,
    limiter: new Limiter(concurrency),
    raw: new Map<string, RawRecord>(),
    items: [],
    itemIds: new Set<string>(),
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
  // Account by account: each account's role is assumed once and its requests stay together.
  const order = new Map(config.members.map((m, i) => [m.id, i]));
  return tasks.sort((a, b) => (order.get(a.accountId) ?? 0) - (order.get(b.accountId) ?? 0));
}

/** Runs the tasks, at most `concurrency` requests in flight (the context's limiter), reporting progress. */
export async function runTasks(ctx: CollectContext, tasks: readonly Task[], concurrency: number, progress: Progress = silentProgress): Promise<StatusCounts> {
  progress.start(tasks.length, ctx.settings.accounts.length, ctx.settings.regions.length);
  const counts: StatusCounts = { PASS: 0, FAIL: 0, ERROR: 0 };
  let done = 0;
  let next = 0;
  // Tasks wait on the limiter for each request; twice as many tasks as request slots keep it busy.
  const workers = Array.from({ length: Math.min(tasks.length, concurrency * 2) }, async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      await task.execute();
      for (const item of task.produced) counts[item.status] += 1;
      done += 1;
      progress.taskDone(
        { label: task.label, accountId: task.accountId, region: task.region, errors: task.produced.filter((i) => i.status === 'ERROR').map((i) => `${i.controlId}: ${i.reason}`) },
        done,
        counts,
      );
    }
  });
  await Promise.all(workers);
  progress.finish(counts);
  return counts;
}

export async function collectEvidence(options: CollectOptions): Promise<EvidenceResult> {
  const { config } = options;
  const { ctx, startedAt, roleName, concurrency } = createContext(options);
  const { access, now } = ctx;
  const { sinceDays, regions, logValidation, period } = ctx.settings;
  const tasks = planTasks(ctx);
  let collectedBy: string;
  try {
    collectedBy = await access.callerArn();
  } catch (e) {
    collectedBy = `unknown (sts:GetCallerIdentity failed: ${describeError(e)})`;
  }
  try {
    await runTasks(ctx, tasks, concurrency, options.progress);
  } finally {
    access.destroy();
  }

  const history = options.history === false ? undefined : (options.history ?? (options.configFile ? await readConfigHistory(options.configFile) : undefined));
  const items: EvidenceItem[] = [...ctx.items].sort((a, b) => a.id.localeCompare(b.id));
  const raw = new Map([...ctx.raw].filter(([, r]) => r.collectedAt !== '').sort(([a], [b]) => a.localeCompare(b)));
  return {
    run: {
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
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
    },
    items,
    raw,
    ...(history ? { history } : {}),
  };
}
