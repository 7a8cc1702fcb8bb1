/**
 * `baseline evidence`: collects the organization's audit evidence, read-only, judges it against the
 * config and writes the binder. Declared as a CliCommand (bin/cli-command.ts): its help is generated
 * from the options below.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BinderError as BinderErrorClass, checkBinderFolder } from './binder';
import { CollectionError, COLLECTION_ENTRIES, parseShard, readManifest } from './collection';
import { CommandError, UsageError, type CliCommand, type CliOption, type CliValues } from '../bin/cli-command';
import { configPath, ConfigError, loadConfig } from '../config/load';
import { accountIdSchema, regionSchema, type BaselineConfig } from '../config/schema';
import type { CollectOptions } from './collect';
import type { collectIntoFolder } from './run-collection';
import { readConfigHistory, runGit, type GitRunner } from './history';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_EVIDENCE_ROLE_NAME,
  DEFAULT_MAX_FINDINGS,
  DEFAULT_SINCE_DAYS,
  DEFAULT_VALIDATE_LOGS_HOURS,
  EvidenceOptionError,
} from './options';
import { DEFAULT_PERIOD_DAYS, parsePeriodBound, resolvePeriod } from './period/period';
import { boundHeapGrowth } from './heap';
import { progressReporter } from './progress';
import { readerRoleTemplate } from './reader-policy';
import { exitCodeOfCounts } from './types';

const OPTIONS: readonly CliOption[] = [
  { name: 'out', type: 'string', placeholder: 'DIR', description: 'Where the binder is written (required): a new or empty folder, or an earlier binder, which is replaced.' },
  { name: 'config', type: 'string', placeholder: 'FILE', description: 'The org config the evidence is judged against. Default: $BASELINE_CONFIG, else baseline.config.yaml.' },
  { name: 'accounts', type: 'string', placeholder: 'ID,ID', description: 'Judge only these member accounts (organization-level evidence is always collected). Default: every member.' },
  { name: 'regions', type: 'string', placeholder: 'R1,R2', description: 'Judge only these governed Regions. Default: every governed Region.' },
  { name: 'role-name', type: 'string', placeholder: 'NAME', description: `The read-only role assumed in every account (the SecurityAudit managed policy suffices). Default: ${DEFAULT_EVIDENCE_ROLE_NAME}.` },
  { name: 'external-id', type: 'string', placeholder: 'ID', description: "The external id that role's trust policy requires. Default: none." },
  { name: 'log-reader-role-arn', type: 'string', placeholder: 'ARN', description: 'The role that reads digest and log files for log-file validation. Default: the first of logArchive.readerRoleArns.' },
  { name: 'from', type: 'string', placeholder: 'DATE', description: `Start of the audit period the period sections cover (alarm history, findings, Config evaluations, investigation sample): an ISO 8601 date or date-time with a zone, UTC, inclusive. Default: ${DEFAULT_PERIOD_DAYS} days before --to.` },
  { name: 'to', type: 'string', placeholder: 'DATE', description: 'End of the audit period, exclusive, not in the future. Default: now.' },
  { name: 'investigation-sample', type: 'string', placeholder: 'FILE', description: "The JSON `baseline investigate --format json` wrote: the binder's investigation sample, whose window must lie in the period. Default: none, and that item fails." },
  { name: 'since', type: 'string', placeholder: 'DAYS', description: `GuardDuty and Macie findings of the last DAYS days (the state sections' counts; not with --from/--to). Default: ${DEFAULT_SINCE_DAYS}.` },
  { name: 'validate-logs-since', type: 'string', placeholder: 'WHEN', description: `Validate the org trail's log files delivered since WHEN: a duration (24h, 7d) or an ISO 8601 time. Default: ${DEFAULT_VALIDATE_LOGS_HOURS}h.` },
  { name: 'log-file-sample', type: 'string', placeholder: 'N|all', description: 'Log files hashed per account and Region in log-file validation; the others are proven unchanged by their single version under Object Lock (every file is hashed when the bucket lacks versioning or Object Lock). all: hash every one, as aws cloudtrail validate-logs does. Default: 4.' },
  { name: 'skip-log-validation', type: 'boolean', description: 'Do not validate log files (no digest or log file is read). Default: validate.' },
  { name: 'shard', type: 'string', placeholder: 'I/N', description: 'Collect only shard I of N (1-based): every N-th account-Region of the plan, into --out as a shard folder (no binder); `baseline evidence-merge` makes the binder of all N. Needs --to, the same on every shard. Default: the whole organization, and the binder.' },
  { name: 'restart', type: 'boolean', description: 'Discard what an earlier, interrupted run collected in --out and start afresh. Default: resume it when it was collected for the same options and config (and refuse, saying what differs, when not).' },
  { name: 'concurrency', type: 'string', placeholder: 'N', description: `Requests in flight at once, across all accounts and Regions. Default: ${DEFAULT_CONCURRENCY}.` },
  { name: 'max-findings', type: 'string', placeholder: 'N', description: `Most findings read per service and Region (counts say when the cap was reached). Default: ${DEFAULT_MAX_FINDINGS}.` },
  { name: 'endpoint-url', type: 'string', placeholder: 'URL', description: 'Send every request to this endpoint (a local emulator such as moto), not to AWS. Default: AWS.' },
  { name: 'print-reader-policy', type: 'boolean', description: "Print the read-only role's permissions and trust policies (JSON, every API call the collector makes) and exit; nothing is collected." },
];

function str(values: CliValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function positive(values: CliValues, name: string): number | undefined {
  const given = str(values, name);
  if (given === undefined) return undefined;
  const n = Number(given);
  if (!/^\d+$/.test(given.trim()) || n < 1) throw new UsageError(`--${name}: must be a whole number, 1 or more (got ${JSON.stringify(given)})`);
  return n;
}

function list(values: CliValues, name: string, check: (v: string) => boolean, what: string): string[] | undefined {
  const given = str(values, name);
  if (given === undefined) return undefined;
  const items = given.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name}: give at least one ${what}`);
  const bad = items.find((v) => !check(v));
  if (bad !== undefined) throw new UsageError(`--${name}: ${JSON.stringify(bad)} is not ${what === 'account id' ? 'a 12-digit account id' : `a ${what}`}`);
  return items;
}

/** `24h`, `7d`, `90m`, or an ISO 8601 time: the start of the validation period. */
export function parseSince(given: string, now: Date): Date {
  const m = /^(\d+)\s*([mhd])$/.exec(given.trim());
  if (m) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
    const n = Number(m[1]);
    if (n < 1) throw new UsageError(`--validate-logs-since: the duration must be at least 1${m[2]} (got ${JSON.stringify(given)})`);
    return new Date(now.getTime() - n * unit);
  }
  const time = /^\d{4}-\d{2}-\d{2}/.test(given) ? new Date(given) : new Date(NaN);
  if (Number.isNaN(time.getTime())) {
    throw new UsageError(`--validate-logs-since: must be a duration such as 24h or 7d, or an ISO 8601 time such as 2026-01-31T00:00:00Z (got ${JSON.stringify(given)})`);
  }
  if (time >= now) throw new UsageError(`--validate-logs-since: ${given} is not in the past`);
  return time;
}

/** The options that decide what a run collects and how it judges it (evidence/collection.ts, CollectionInputs), parsed. */
interface Scope {
  readonly accounts?: string[];
  readonly regions?: string[];
  readonly sinceDays?: number;
  readonly period: { readonly from: Date; readonly to: Date };
  /** Whether --to was given (a sharded run needs it). */
  readonly toGiven: boolean;
  readonly validateLogsSince?: Date | false;
  /** --investigation-sample, checked to be a file. */
  readonly sample?: string;
  readonly maxFindings?: number;
}

/**
 * Parses the scope options `baseline evidence` and `baseline evidence-merge` share, with the same
 * defaults. What a user leaves to "now" (the period's end, and so its start and the validation window)
 * is taken from `inherit` when given: a resumed run's own, so that the same command line resumes the
 * same run; the shards' period end, for the merge.
 */
function parseScope(values: CliValues, now: Date, inherit: { readonly to?: Date; readonly from?: Date; readonly validateLogsSince?: Date }): Scope {
  const accounts = list(values, 'accounts', (v) => accountIdSchema.safeParse(v).success, 'account id');
  const regions = list(values, 'regions', (v) => regionSchema.safeParse(v).success, 'Region code');
  const skip = values['skip-log-validation'] === true;
  const sinceText = str(values, 'validate-logs-since');
  if (skip && sinceText !== undefined) throw new UsageError('--validate-logs-since: cannot be combined with --skip-log-validation');
  const sinceDays = positive(values, 'since');
  const fromText = str(values, 'from');
  const toText = str(values, 'to');
  if (sinceDays !== undefined && (fromText !== undefined || toText !== undefined)) {
    throw new UsageError(`--since: cannot be combined with ${fromText !== undefined ? '--from' : '--to'} (--since counts findings of the last DAYS days; --from/--to set the audit period)`);
  }
  let period;
  try {
    const to = toText !== undefined ? parsePeriodBound('to', toText) : inherit.to;
    const from = fromText !== undefined ? parsePeriodBound('from', fromText) : inherit.from;
    period = resolvePeriod({ from, to }, now);
  } catch (e) {
    if (e instanceof EvidenceOptionError) throw new UsageError(`--${e.message}`);
    throw e;
  }
  const validateLogsSince = skip ? false : sinceText !== undefined ? parseSince(sinceText, period.to) : inherit.validateLogsSince;
  const sample = str(values, 'investigation-sample');
  if (sample !== undefined && !(existsSync(sample) && statSync(sample).isFile())) throw new UsageError(`--investigation-sample: ${sample} is not a file`);
  return { accounts, regions, sinceDays, period, toGiven: toText !== undefined, validateLogsSince, sample, maxFindings: positive(values, 'max-findings') };
}

/** The config and its text, as both commands judge and copy it; an unreadable or invalid config names the file (config/load.ts). */
function readConfig(configFile: string): { config: BaselineConfig; configText: string } {
  try {
    return { config: loadConfig(configFile), configText: readFileSync(configFile, 'utf8') };
  } catch (e) {
    if (e instanceof ConfigError) throw new CommandError(e.message);
    throw e;
  }
}

export interface EvidenceCommandDeps {
  /** @default collectIntoFolder */
  readonly collect?: typeof collectIntoFolder;
  /** @default the system clock */
  readonly now?: () => Date;
  /** @default git on this machine */
  readonly git?: GitRunner;
  /** Anything else the collector takes (tests give credentials). @default - none */
  readonly collectOptions?: Partial<CollectOptions>;
}

export function createEvidenceCommand(deps: EvidenceCommandDeps = {}): CliCommand {
  return {
    name: 'evidence',
    summary: 'Collect the audit evidence of the whole organization, read-only, judge it against the config, and write the binder.',
    usage: [
      'baseline evidence --out DIR [--config FILE] [--accounts ID,ID] [--regions R1,R2] [--role-name NAME]',
      'baseline evidence --out DIR [--from DATE] [--to DATE] [--investigation-sample FILE] [--validate-logs-since 24h|7d|TIME | --skip-log-validation]',
      'baseline evidence --out DIR [--since DAYS] ...',
      'baseline evidence --print-reader-policy',
    ],
    options: OPTIONS,
    details: [
      'In every account it assumes --role-name (read-only: --print-reader-policy prints its policies) from the',
      "caller's own credentials, and reads the log archive's digest and log files through --log-reader-role-arn.",
      'A refused or failed call is an ERROR item in the binder, never the end of the run.',
      'The binder (--out): index.html, items.csv, items.json, raw/*.json, org-config.yaml, config-history.*, SHA256SUMS.',
      'stdout: one JSON line {"out","items","pass","fail","error","failed":[item ids]}.',
      'Exit codes: 0 every control passed; 1 a control failed; 3 none failed but some evidence could not be',
      'collected (ERROR items); 2 usage error.',
    ],
    async run(values, _positionals, io) {
      if (values['print-reader-policy'] === true) {
        io.stdout(readerRoleTemplate());
        return 0;
      }
      // A run holds little but allocates steadily for as long as it collects: evidence/heap.ts.
      boundHeapGrowth();
      // Every option is checked before any AWS client exists: a run collects for minutes (hours on a
      // large org), and an option that cannot be used must not be found only when it is over.
      const out = str(values, 'out');
      if (!out) throw new UsageError('--out: required (the folder the binder is written to)');
      if (str(values, 'shard') === undefined) {
        try {
          checkBinderFolder(out);
        } catch (e) {
          if (e instanceof BinderErrorClass) throw new UsageError(`--out: ${e.message}`);
          throw e;
        }
      }
      const now = deps.now ?? (() => new Date());
      const shardText = str(values, 'shard');
      let shard: { index: number; count: number } | undefined;
      try {
        shard = shardText !== undefined ? parseShard(shardText) : undefined;
      } catch (e) {
        if (e instanceof CollectionError) throw new UsageError(`--shard: ${e.message}`);
        throw e;
      }
      // A shard's folder is its collection; a run's collection sits in the binder's folder until the binder is written.
      const workDir = shard ? out : join(out, '.collection');
      if (shard && existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a file, not a folder`);
      if (shard && existsSync(out) && readdirSync(out).some((f) => !COLLECTION_ENTRIES.includes(f))) {
        throw new UsageError(`--out: ${out} holds files that are not a shard's collection: with --shard, give a new or empty folder, or the folder of this shard's earlier run`);
      }
      let prior;
      try {
        prior = values.restart === true ? undefined : readManifest(workDir);
      } catch (e) {
        if (e instanceof CollectionError) throw new CommandError(`--out: ${e.message}; --restart discards it`);
        throw e;
      }
      const scope = parseScope(values, now(), {
        ...(prior ? { to: new Date(prior.inputs.period.to), from: new Date(prior.inputs.period.from) } : {}),
        ...(prior && 'start' in prior.inputs.logValidation ? { validateLogsSince: new Date(prior.inputs.logValidation.start) } : {}),
      });
      if (shard && shard.count > 1 && !scope.toGiven) {
        throw new UsageError('--shard: give --to too (the same time on every shard, e.g. the pipeline\'s start), so that every shard judges the same audit period and log validation window');
      }
      const { accounts, regions, sinceDays, period, validateLogsSince, sample, maxFindings } = scope;
      const concurrency = positive(values, 'concurrency');
      const configFile = resolve(str(values, 'config') ?? configPath());
      // Read once: the text the run is judged against (its digest is an input) is the binder's copy.
      const { config, configText } = readConfig(configFile);
      // The checks the collector makes against the config (collect.ts, createContext), made here too,
      // so that they also come before any AWS client or call.
      const members = config.members.map((m) => m.id);
      const stranger = accounts?.find((id) => !members.includes(id));
      if (stranger !== undefined) throw new CommandError(`--accounts: ${stranger} is not a member of the config`);
      const ungoverned = regions?.find((r) => !config.regions.governed.includes(r));
      if (ungoverned !== undefined) throw new CommandError(`--regions: ${ungoverned} is not a governed Region (regions.governed)`);
      // Loaded here: the AWS SDK clients are for this command only, not for every `baseline` run.
      const { collectIntoFolder } = await import('./run-collection');
      const { assembleBinder } = await import('./assemble');
      const history = deps.collectOptions?.history ?? (await readConfigHistory(configFile, deps.git ?? runGit));
      // SIGINT/SIGTERM (Ctrl-C, a cancelled pipeline job): the tasks in flight finish and are written,
      // so that the same command resumes from there.
      const stop = new AbortController();
      const onSignal = () => {
        if (!stop.signal.aborted) io.stderr('evidence: stopping: letting the requests in flight finish and writing what was collected (a second signal kills at once)\n');
        else process.exit(130);
        stop.abort();
      };
      const signals = deps.collectOptions?.signal ? [] : (['SIGINT', 'SIGTERM'] as const);
      for (const sig of signals) process.on(sig, onSignal);
      let collected;
      try {
        collected = await (deps.collect ?? collectIntoFolder)({
          signal: stop.signal,
          ...deps.collectOptions,
          config,
          configFile,
          configText,
          dir: workDir,
          ...(shard ? { shard } : {}),
          ...(prior ? { resume: prior } : {}),
          accounts,
          regions,
          roleName: str(values, 'role-name'),
          externalId: str(values, 'external-id'),
          logReaderRoleArn: str(values, 'log-reader-role-arn'),
          logFileSample: str(values, 'log-file-sample') === 'all' ? 'all' : positive(values, 'log-file-sample'),
          sinceDays,
          from: period.from,
          to: period.to,
          ...(sample !== undefined ? { investigationSample: resolve(sample), sampleBytes: readFileSync(sample) } : {}),
          validateLogsSince,
          concurrency,
          maxFindings,
          endpoint: str(values, 'endpoint-url'),
          now,
          progress: progressReporter(io.stderr, io.stderrIsTTY),
          history,
        });
      } catch (e) {
        if (e instanceof EvidenceOptionError) throw new CommandError(`--${e.message}`);
        if (e instanceof CollectionError) throw new CommandError(`--out: ${e.message}`);
        if (e instanceof Error && e.name === 'CollectionInterrupted') {
          throw new CommandError(`evidence ${e.message}: what was collected is in ${workDir}; run the same command again to resume (or add --restart to start afresh)`);
        }
        throw e;
      } finally {
        for (const sig of signals) process.off(sig, onSignal);
      }
      if (collected.reused) io.stderr(`evidence: reused ${collected.reused} of ${collected.tasks} task(s) already collected in ${workDir} (started ${collected.manifest.run.startedAt})\n`);
      if (shard) {
        io.stderr(`evidence: shard ${shard.index}/${shard.count} collected into ${out} (${collected.counts.PASS} passed, ${collected.counts.FAIL} failed, ${collected.counts.ERROR} not collected); merge the ${shard.count} shard folders with baseline evidence-merge\n`);
        io.stdout(`${JSON.stringify({ out, shard: `${shard.index}/${shard.count}`, tasks: collected.tasks, reused: collected.reused, pass: collected.counts.PASS, fail: collected.counts.FAIL, error: collected.counts.ERROR })}\n`);
        return exitCodeOfCounts(collected.counts);
      }
      // Held to the plan it was checked against, with the command's own config and history (not the folder's copies).
      const merge = { ...(collected.plan ? { plan: collected.plan } : {}), ...(history ? { history } : {}), configText };
      return writeAndReport(io, out, () => assembleBinder([workDir], out, merge), () => rmSync(workDir, { recursive: true, force: true }));
    },
  };
}

/** Failed item ids printed on stdout, at most (the rest: items.csv). */
export const STDOUT_FAILED_IDS = 1000;

/** Writes the binder (`assemble`), then `done`, and prints what the run's stdout and stderr say. */
function writeAndReport(io: { stdout: (t: string) => void; stderr: (t: string) => void }, out: string, assemble: () => { counts: { PASS: number; FAIL: number; ERROR: number }; failed: string[]; failedCount: number }, done: () => void): number {
  let written;
  try {
    written = assemble();
  } catch (e) {
    if (e instanceof BinderErrorClass) throw new CommandError(`--out: ${e.message}`);
    // A collection folder's error names the folder and its file.
    if (e instanceof CollectionError) throw new CommandError(e.message);
    throw e;
  }
  done();
  const { counts, failed, failedCount } = written;
  io.stderr(`evidence: binder written to ${out}/index.html (${counts.PASS} passed, ${counts.FAIL} failed, ${counts.ERROR} not collected)\n`);
  io.stdout(
    `${JSON.stringify({ out, items: counts.PASS + counts.FAIL + counts.ERROR, pass: counts.PASS, fail: counts.FAIL, error: counts.ERROR, failed: failed.slice(0, STDOUT_FAILED_IDS), ...(failedCount > STDOUT_FAILED_IDS ? { failedNotListed: failedCount - STDOUT_FAILED_IDS } : {}) })}\n`,
  );
  return exitCodeOfCounts(counts);
}

/** What `baseline evidence-merge` takes from outside, for tests. */
export interface EvidenceMergeCommandDeps {
  /** Runs git for the config's change history. @default runGit */
  readonly git?: GitRunner;
  /** @default the system clock */
  readonly now?: () => Date;
}

/** The options of `baseline evidence` that decide what a shard collects: the merge takes them too, to hold the shards to them. */
const SCOPE_OPTIONS = ['config', 'accounts', 'regions', 'role-name', 'external-id', 'log-reader-role-arn', 'from', 'to', 'investigation-sample', 'since', 'validate-logs-since', 'log-file-sample', 'skip-log-validation', 'max-findings', 'endpoint-url'];

/** `baseline evidence-merge`: the binder of a sharded run, from its shard folders. */
export function createEvidenceMergeCommand(deps: EvidenceMergeCommandDeps = {}): CliCommand {
  return {
    name: 'evidence-merge',
    summary: 'Merge the shard folders of a sharded `baseline evidence --shard I/N` run into one binder (one SHA256SUMS, one verdict).',
    usage: ['baseline evidence-merge --out DIR [the options the shards were given, but --shard] SHARD_DIR...'],
    options: [
      { name: 'out', type: 'string', placeholder: 'DIR', description: 'Where the binder is written (required): a new or empty folder, or an earlier binder, which is replaced.' },
      ...OPTIONS.filter((o) => SCOPE_OPTIONS.includes(o.name)).map((o) =>
        o.name === 'to' ? { ...o, description: 'End of the audit period, as the shards were given it. Default: the end the shards recorded.' } : o,
      ),
    ],
    details: [
      'Give it the options the shards were given (but --shard, --out, --concurrency): the shards are held to',
      'what they give, not to what the folders say. Every shard 1..N must be given once, complete, and collected',
      "for those inputs (config, accounts, Regions, period, log validation window...), its tasks the config's",
      'plan for that shard (each once: a task written again after a line that collected is refused), its copies',
      "of the config, its git history and its run header (the exceptions the binder lists) the config's;",
      'anything else is refused, naming the folder and what differs. A unit line rewritten in place is not',
      'detected: docs/evidence.md, "Where the evidence is trusted".',
      'The binder is the one an unsharded run of the same inputs writes.',
      'stdout: one JSON line {"out","items","pass","fail","error","failed":[item ids]}. Exit codes as baseline evidence.',
    ],
    async run(values, positionals, io) {
      boundHeapGrowth();
      const out = str(values, 'out');
      if (!out) throw new UsageError('--out: required (the folder the binder is written to)');
      if (!positionals.length) throw new UsageError('give the shard folders to merge (SHARD_DIR...)');
      try {
        checkBinderFolder(out);
      } catch (e) {
        if (e instanceof BinderErrorClass) throw new UsageError(`--out: ${e.message}`);
        throw e;
      }
      const { assembleBinder, checkShards } = await import('./assemble');
      const { checkShardsAgainstConfig } = await import('./folder-check');
      let manifests;
      try {
        manifests = checkShards(positionals);
      } catch (e) {
        if (e instanceof CollectionError) throw new CommandError(e.message);
        throw e;
      }
      const first = manifests[0];
      // The period's end the shards recorded, unless given: the pipeline gives it to both.
      const scope = parseScope(values, deps.now?.() ?? new Date(), { to: new Date(first.inputs.period.to) });
      const configFile = resolve(str(values, 'config') ?? configPath());
      const { config, configText } = readConfig(configFile);
      const { replan } = await import('./run-collection');
      const history = await readConfigHistory(configFile, deps.git ?? runGit);
      let plan;
      try {
        const replanned = replan(
          {
            config,
            configFile: first.run.configFile ?? configFile,
            configText,
            accounts: scope.accounts,
            regions: scope.regions,
            roleName: str(values, 'role-name'),
            externalId: str(values, 'external-id'),
            logReaderRoleArn: str(values, 'log-reader-role-arn'),
            logFileSample: str(values, 'log-file-sample') === 'all' ? 'all' : positive(values, 'log-file-sample'),
            sinceDays: scope.sinceDays,
            from: scope.period.from,
            to: scope.period.to,
            validateLogsSince: scope.validateLogsSince,
            maxFindings: scope.maxFindings,
            endpoint: str(values, 'endpoint-url'),
            ...(scope.sample !== undefined ? { investigationSample: first.run.investigationSample ?? resolve(scope.sample), sampleBytes: readFileSync(scope.sample) } : {}),
          },
          first.shard.count,
        );
        checkShardsAgainstConfig(positionals, manifests, { configFile, configText, replanned, history });
        plan = replanned.shardOf;
      } catch (e) {
        if (e instanceof CollectionError) throw new CommandError(e.message);
        if (e instanceof EvidenceOptionError) throw new CommandError(`--${e.message}`);
        throw e;
      }
      return writeAndReport(io, out, () => assembleBinder(positionals, out, { plan, history, configText }), () => undefined);
    },
  };
}

export const evidenceCommand: CliCommand = createEvidenceCommand();
export const evidenceMergeCommand: CliCommand = createEvidenceMergeCommand();
