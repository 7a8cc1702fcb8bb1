/**
 * `baseline evidence`: collects the organization's audit evidence, read-only, judges it against the
 * config and writes the binder. Declared as a CliCommand (bin/cli-command.ts): its help is generated
 * from the options below.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandError, UsageError, type CliCommand, type CliOption, type CliValues } from '../bin/cli-command';
import { configPath, ConfigError, loadConfig } from '../config/load';
import { accountIdSchema, regionSchema } from '../config/schema';
import type { collectEvidence, CollectOptions } from './collect';
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
import { progressReporter } from './progress';
import { readerRoleTemplate } from './reader-policy';
import { countStatuses, exitCodeOf } from './types';

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
  { name: 'skip-log-validation', type: 'boolean', description: 'Do not validate log files (no digest or log file is read). Default: validate.' },
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

export interface EvidenceCommandDeps {
  /** @default collectEvidence */
  readonly collect?: typeof collectEvidence;
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
      // Every option is checked before any AWS client exists: a run collects for minutes (hours on a
      // large org), and an option that cannot be used must not be found only when it is over.
      const out = str(values, 'out');
      if (!out) throw new UsageError('--out: required (the folder the binder is written to)');
      const { BinderError, checkBinderFolder, writeBinder } = await import('./binder');
      try {
        checkBinderFolder(out);
      } catch (e) {
        if (e instanceof BinderError) throw new UsageError(`--out: ${e.message}`);
        throw e;
      }
      const now = deps.now ?? (() => new Date());
      const accounts = list(values, 'accounts', (v) => accountIdSchema.safeParse(v).success, 'account id');
      const regions = list(values, 'regions', (v) => regionSchema.safeParse(v).success, 'Region code');
      const skip = values['skip-log-validation'] === true;
      const sinceText = str(values, 'validate-logs-since');
      if (skip && sinceText !== undefined) throw new UsageError('--validate-logs-since: cannot be combined with --skip-log-validation');
      const validateLogsSince = skip ? false : sinceText !== undefined ? parseSince(sinceText, now()) : undefined;
      const sinceDays = positive(values, 'since');
      const fromText = str(values, 'from');
      const toText = str(values, 'to');
      if (sinceDays !== undefined && (fromText !== undefined || toText !== undefined)) {
        throw new UsageError(`--since: cannot be combined with ${fromText !== undefined ? '--from' : '--to'} (--since counts findings of the last DAYS days; --from/--to set the audit period)`);
      }
      let period;
      try {
        period = resolvePeriod({ from: fromText !== undefined ? parsePeriodBound('from', fromText) : undefined, to: toText !== undefined ? parsePeriodBound('to', toText) : undefined }, now());
      } catch (e) {
        if (e instanceof EvidenceOptionError) throw new UsageError(`--${e.message}`);
        throw e;
      }
      const sample = str(values, 'investigation-sample');
      if (sample !== undefined && !(existsSync(sample) && statSync(sample).isFile())) throw new UsageError(`--investigation-sample: ${sample} is not a file`);
      const concurrency = positive(values, 'concurrency');
      const maxFindings = positive(values, 'max-findings');
      const configFile = resolve(str(values, 'config') ?? configPath());
      let config;
      try {
        config = loadConfig(configFile);
      } catch (e) {
        if (e instanceof ConfigError) throw new CommandError(e.message);
        throw e;
      }
      // The checks the collector makes against the config (collect.ts, createContext), made here too,
      // so that they also come before any AWS client or call.
      const members = config.members.map((m) => m.id);
      const stranger = accounts?.find((id) => !members.includes(id));
      if (stranger !== undefined) throw new CommandError(`--accounts: ${stranger} is not a member of the config`);
      const ungoverned = regions?.find((r) => !config.regions.governed.includes(r));
      if (ungoverned !== undefined) throw new CommandError(`--regions: ${ungoverned} is not a governed Region (regions.governed)`);
      // Loaded here: the AWS SDK clients are for this command only, not for every `baseline` run.
      const { collectEvidence } = await import('./collect');
      const collect = deps.collect ?? collectEvidence;
      let result;
      try {
        result = await collect({
          ...deps.collectOptions,
          config,
          configFile,
          accounts,
          regions,
          roleName: str(values, 'role-name'),
          externalId: str(values, 'external-id'),
          logReaderRoleArn: str(values, 'log-reader-role-arn'),
          sinceDays,
          from: period.from,
          to: period.to,
          ...(sample !== undefined ? { investigationSample: resolve(sample) } : {}),
          validateLogsSince,
          concurrency,
          maxFindings,
          endpoint: str(values, 'endpoint-url'),
          now,
          progress: progressReporter(io.stderr, io.stderrIsTTY),
          history: deps.collectOptions?.history ?? (await readConfigHistory(configFile, deps.git ?? runGit)),
        });
      } catch (e) {
        if (e instanceof EvidenceOptionError) throw new CommandError(`--${e.message}`);
        throw e;
      }
      try {
        writeBinder(result, out);
      } catch (e) {
        if (e instanceof BinderError) throw new CommandError(`--out: ${e.message}`);
        throw e;
      }
      const counts = countStatuses(result.items);
      const failed = result.items.filter((i) => i.status === 'FAIL').map((i) => i.id);
      io.stderr(`evidence: binder written to ${out}/index.html (${counts.PASS} passed, ${counts.FAIL} failed, ${counts.ERROR} not collected)\n`);
      io.stdout(`${JSON.stringify({ out, items: result.items.length, pass: counts.PASS, fail: counts.FAIL, error: counts.ERROR, failed })}\n`);
      return exitCodeOf(result.items);
    },
  };
}

export const evidenceCommand: CliCommand = createEvidenceCommand();
