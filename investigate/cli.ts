/**
 * `baseline investigate <name> --from WHEN [--to WHEN] [--param name=value ...]`: runs one named
 * investigation (modules/investigations/catalog/) over the log archive with Athena, in the audit
 * account's investigations workgroup, and writes its rows as CSV or the whole run as JSON. Declared as a
 * CliCommand (bin/cli-command.ts): its help is generated from the options below.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CommandError, UsageError, type CliCommand, type CliIo, type CliOption, type CliValues } from '../bin/cli-command';
import { configPath, ConfigError, loadConfig } from '../config/load';
import { investigationsDatabaseName, investigationsWorkgroupName } from '../config/naming';
import { regionSchema } from '../config/schema';
import type { Investigation } from '../modules/investigations/investigation';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ATHENA_PRICE_PER_TB_USD, ATHENA_PRICING_PAGE, formatBytes, INVESTIGATE_SESSION_NAME, MINIMUM_BILLED_BYTES } from './options';
import { FORMATS, render, type OutputFormat } from './output';
import { investigationQuery, parseParams } from './parameters';
import type { QueryProgress } from './run';
import { isoTime, parseWindow, windowDays, windowValues } from './window';

const OPTIONS: readonly CliOption[] = [
  { name: 'from', type: 'string', placeholder: 'WHEN', description: 'Start of the window, inclusive: a date (midnight UTC), a UTC time, or a duration before now (7d, 24h). Required.' },
  { name: 'to', type: 'string', placeholder: 'WHEN', description: 'End of the window, exclusive: a date or a UTC time, not in the future. Default: now.' },
  { name: 'param', type: 'string', multiple: true, placeholder: 'NAME=VALUE', description: "A parameter of the investigation (--list shows each one's); repeat for more. Default: none." },
  { name: 'list', type: 'boolean', description: 'List the investigations, with what each answers and its parameters, and exit (the same as giving no name).' },
  { name: 'format', type: 'string', placeholder: 'csv|json', description: 'csv: the result rows (RFC 4180, a header line first); json: the whole run (query, window, parameters, cost, rows). Default: csv.' },
  { name: 'out', type: 'string', placeholder: 'FILE', description: 'Write the result to FILE (stdout then carries a one-line JSON summary). Default: stdout.' },
  { name: 'config', type: 'string', placeholder: 'FILE', description: 'The org config (names, audit account, home Region, retention). Default: $BASELINE_CONFIG, else baseline.config.yaml.' },
  { name: 'role-arn', type: 'string', placeholder: 'ARN', description: "Assume this role (in the audit account) before querying. Default: the caller's own credentials (the SDK's default chain)." },
  { name: 'region', type: 'string', placeholder: 'REGION', description: "The Region of the investigations workgroup. Default: the config's regions.home." },
  { name: 'workgroup', type: 'string', placeholder: 'NAME', description: 'The Athena workgroup. Default: <namePrefix>-investigations.' },
  { name: 'database', type: 'string', placeholder: 'NAME', description: 'The Glue database of the log tables. Default: <namePrefix>_investigations.' },
  { name: 'price-per-tb', type: 'string', placeholder: 'USD', description: `Athena's price per TB scanned, for the cost shown. Default: ${ATHENA_PRICE_PER_TB_USD} (US East, ${ATHENA_PRICING_PAGE}).` },
  { name: 'endpoint-url', type: 'string', placeholder: 'URL', description: 'Send every request to this endpoint (a local emulator such as moto), not to AWS. Default: AWS.' },
];

function str(values: CliValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function strings(values: CliValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/** `--list`: one block per investigation; as JSON with `--format json`. */
export function listInvestigations(investigations: readonly Investigation[], format: OutputFormat): string {
  if (format === 'json') {
    const list = investigations.map((i) => ({
      name: i.name,
      title: i.title,
      answers: i.answers,
      parameters: i.parameters.map((p) => ({ name: p.name, description: p.description, example: p.example, pattern: p.pattern.source })),
    }));
    return `${JSON.stringify(list, null, 2)}\n`;
  }
  return investigations
    .map((i) => {
      const params = i.parameters.map((p) => `    --param ${p.name}=${p.example}  ${p.description}`);
      return [`${i.name}  ${i.title}`, `    ${i.answers}`, ...(params.length > 0 ? params : ['    (no parameters besides --from and --to)'])].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** Progress on stderr: one redrawn line on a terminal; otherwise a line per state change, and every 15 s. */
export function queryProgressReporter(io: CliIo): { report: (p: QueryProgress) => void; end: () => void } {
  let lastState = '';
  let lastLine = -Infinity;
  let drawn = false;
  const line = (p: QueryProgress) => `investigate: query ${p.queryExecutionId} ${p.state}, ${Math.round(p.elapsedMs / 1000)}s, ${formatBytes(p.dataScannedBytes)} scanned`;
  return {
    report(p) {
      if (io.stderrIsTTY) {
        io.stderr(`\r\x1b[K${line(p)}`);
        drawn = true;
        return;
      }
      if (p.state !== lastState || p.elapsedMs - lastLine >= 15_000) {
        io.stderr(`${line(p)}\n`);
        lastState = p.state;
        lastLine = p.elapsedMs;
      }
    },
    end() {
      if (drawn) io.stderr('\n');
      drawn = false;
    },
  };
}

export interface InvestigateCommandDeps {
  /** @default INVESTIGATIONS */
  readonly investigations?: readonly Investigation[];
  /** @default the system clock */
  readonly now?: () => Date;
  /** The caller's own credentials. @default the SDK's default provider chain */
  readonly credentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Aborts the run as Ctrl-C does. @default SIGINT */
  readonly signal?: AbortSignal;
  /** Waits between GetQueryExecution calls (tests shorten them). @default FIRST_POLL_MS, MAX_POLL_MS */
  readonly firstPollMs?: number;
  readonly maxPollMs?: number;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

export function createInvestigateCommand(deps: InvestigateCommandDeps = {}): CliCommand {
  return {
    name: 'investigate',
    summary: 'Run a named investigation (Athena over the log archive) for a time window, and write its rows as CSV or JSON.',
    usage: [
      'baseline investigate NAME --from WHEN [--to WHEN] [--param NAME=VALUE ...] [--format csv|json] [--out FILE]',
      'baseline investigate NAME --from WHEN [--role-arn ARN] [--region REGION] [--workgroup NAME] [--database NAME]',
      'baseline investigate [--list] [--format csv|json]',
    ],
    options: OPTIONS,
    positionals: 'NAME the investigation to run (none: list them)',
    details: [
      'It runs in the audit account (organization.auditAccountId), home Region, in the investigations workgroup,',
      'which enforces its encrypted result location and a per-query scan limit. Progress (state, elapsed time,',
      'bytes scanned) goes to stderr, then the bytes scanned and the cost: rounded up to a whole MB, at least',
      `${MINIMUM_BILLED_BYTES / 2 ** 20} MB per query, at --price-per-tb, and the last day partition read (the day after`,
      "the window's last day, for late deliveries: records delivered later are not in the result).",
      'Ctrl-C stops the query (StopQueryExecution). A window the log archive no longer covers (retention.logArchiveDays)',
      'is refused.',
      "stdout: the rows (csv; a cell starting with = + - @, tab or CR gets a leading ' so a spreadsheet shows it as text),",
      'or the run (json, values as Athena gave them: {"version":1,"investigation","window","lastDayPartition","parameters",',
      '"queryExecutionId","queryString","executionParameters","dataScannedBytes","costUsd","columns","rows",...});',
      'queryString is the SQL as sent, every value written in as a string literal (executionParameters is always []);',
      'with --out, one JSON line {"out","format","rows","queryExecutionId","dataScannedBytes","costUsd"}.',
      "A query the workgroup's per-query scan limit cancels is refused naming what to change (the window, or",
      'investigations.bytesScannedCutoffPerQueryMb).',
      'Exit codes: 0 done; 1 refused (invalid config, query failed or cancelled, interrupted); 2 usage error.',
    ],
    async run(values, positionals, io) {
      // Loaded when the command runs: some declarations bring the constructs whose names they read.
      const [{ INVESTIGATIONS }, { investigationContext }] = await Promise.all([import('../modules/investigations/catalog'), import('../modules/investigations/context')]);
      const investigations = deps.investigations ?? INVESTIGATIONS;
      const formatText = str(values, 'format') ?? 'csv';
      if (!(FORMATS as readonly string[]).includes(formatText)) throw new UsageError(`--format: must be ${FORMATS.join(' or ')} (got ${JSON.stringify(formatText)})`);
      const format = formatText as OutputFormat;
      if (positionals.length > 1) throw new UsageError(`NAME: one investigation at a time (got ${positionals.join(', ')})`);
      const names = investigations.map((i) => i.name);
      if (values.list === true || positionals.length === 0) {
        if (positionals.length > 0) throw new UsageError(`--list: lists every investigation; give it without a NAME (got ${positionals[0]})`);
        io.stdout(listInvestigations(investigations, format));
        return 0;
      }
      const name = positionals[0];
      const investigation = investigations.find((i) => i.name === name);
      if (!investigation) throw new UsageError(`NAME: no investigation is named ${JSON.stringify(name)}; the investigations are ${names.join(', ')}`);

      // Every option is checked before any AWS client exists.
      const out = str(values, 'out');
      if (out !== undefined) {
        const folder = dirname(resolve(out));
        if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--out: the folder ${folder} does not exist`);
        if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a folder; give a file name`);
      }
      const priceText = str(values, 'price-per-tb');
      const pricePerTb = priceText === undefined ? ATHENA_PRICE_PER_TB_USD : Number(priceText);
      if (!Number.isFinite(pricePerTb) || pricePerTb < 0 || priceText?.trim() === '') throw new UsageError(`--price-per-tb: must be a number of US dollars, 0 or more (got ${JSON.stringify(priceText)})`);
      const roleArn = str(values, 'role-arn');
      if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) throw new UsageError(`--role-arn: ${JSON.stringify(roleArn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
      const regionText = str(values, 'region');
      if (regionText !== undefined && !regionSchema.safeParse(regionText).success) throw new UsageError(`--region: ${JSON.stringify(regionText)} is not a Region code`);
      const parameters = parseParams(strings(values, 'param'), investigation);
      const configFile = resolve(str(values, 'config') ?? configPath());
      let config;
      try {
        config = loadConfig(configFile);
      } catch (e) {
        if (e instanceof ConfigError) throw new CommandError(e.message);
        throw e;
      }
      const now = (deps.now ?? (() => new Date()))();
      const window = parseWindow({ from: str(values, 'from'), to: str(values, 'to'), now, logArchiveDays: config.retention.logArchiveDays });
      let sql: string;
      try {
        sql = investigation.sql(investigationContext(config));
      } catch (e) {
        // A declaration refuses a config it cannot serve (break-glass sessions without a break-glass role).
        if (e instanceof Error) throw new CommandError(`${investigation.name}: not available with this config: ${e.message}`);
        throw e;
      }
      const queryString = investigationQuery(sql, { ...windowValues(window), ...parameters }, investigation.name);
      const region = regionText ?? config.regions.home;
      const workgroup = str(values, 'workgroup') ?? investigationsWorkgroupName(config);
      const database = str(values, 'database') ?? investigationsDatabaseName(config);
      const endpoint = str(values, 'endpoint-url');
      // Loaded here, as the SDK below: the tables module brings the flow-log construct (cdktf).
      const { projectedPartitions } = await import('../modules/investigations/tables');
      // The days read run from from_day to to_day (windowParameterValues, which projectedPartitions counts).
      const partitions = projectedPartitions(config, window, now);
      io.stderr(
        `investigate: ${investigation.name} from ${isoTime(window.from)} to ${isoTime(window.to)} (${windowDays(window)} days, up to ${partitions} partitions), ` +
          `workgroup ${workgroup}, database ${database}, ${region}\n`,
      );

      // Loaded here: the AWS SDK clients are for this command only, not for every `baseline` run.
      const [{ AthenaClient }, { STSClient, GetCallerIdentityCommand }, { AwsAccess }, { runInvestigation }] = await Promise.all([
        import('@aws-sdk/client-athena'),
        import('@aws-sdk/client-sts'),
        import('../evidence/aws'),
        import('./run'),
      ]);
      // Only --role-arn is assumed (clientConfigForRole); no per-account role, so roleName is never used.
      const access = roleArn ? new AwsAccess({ roleName: INVESTIGATE_SESSION_NAME, sessionName: INVESTIGATE_SESSION_NAME, stsRegion: region, endpoint, credentials: deps.credentials }) : undefined;
      const clientConfig = access
        ? access.clientConfigForRole(roleArn!, region)
        : { region, credentials: deps.credentials, retryMode: 'adaptive' as const, maxAttempts: 10, ...(endpoint ? { endpoint } : {}) };
      const sts = new STSClient({ region, credentials: clientConfig.credentials, endpoint, maxAttempts: clientConfig.maxAttempts });
      const athena = new AthenaClient({ region, credentials: clientConfig.credentials, endpoint, retryMode: clientConfig.retryMode, maxAttempts: clientConfig.maxAttempts });
      const interrupt = new AbortController();
      const onSigint = () => {
        io.stderr('\ninvestigate: interrupted, stopping the query...\n');
        interrupt.abort();
      };
      const signal = deps.signal ?? interrupt.signal;
      if (!deps.signal) process.once('SIGINT', onSigint);
      const progress = queryProgressReporter(io);
      let run;
      try {
        // GetCallerIdentity: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
        const accountId = (await sts.send(new GetCallerIdentityCommand({}))).Account ?? 'unknown';
        if (accountId !== config.organization.auditAccountId) {
          io.stderr(
            `investigate: warning: the credentials are of account ${accountId}, not the audit account ${config.organization.auditAccountId} (organization.auditAccountId) where the investigations live; give --role-arn to assume a role there\n`,
          );
        }
        run = await runInvestigation({
          investigation,
          window,
          parameters,
          queryString,
          athena,
          accountId,
          region,
          workgroup,
          database,
          pricePerTb,
          // The config's cutoff is the baseline workgroup's only; another workgroup's is not known here.
          bytesScannedCutoff: workgroup === investigationsWorkgroupName(config) ? config.investigations.bytesScannedCutoffPerQueryMb * 1_000_000 : undefined,
          progress: progress.report,
          signal,
          firstPollMs: deps.firstPollMs,
          maxPollMs: deps.maxPollMs,
        });
      } finally {
        progress.end();
        process.removeListener('SIGINT', onSigint);
        athena.destroy();
        sts.destroy();
        access?.destroy();
      }
      const text = render(run, format);
      io.stderr(
        `investigate: ${investigation.name}: ${run.rows.length} rows; ${formatBytes(run.dataScannedBytes)} scanned, $${run.costUsd.toFixed(6)} at $${pricePerTb}/TB ` +
          `(at least ${MINIMUM_BILLED_BYTES / 2 ** 20} MB billed per query); query ${run.queryExecutionId}\n` +
          `investigate: last day partition read: ${run.lastDayPartition} (UTC delivery day); records in log files delivered after it are not in the result\n`,
      );
      if (out === undefined) {
        io.stdout(text);
      } else {
        writeFileSync(out, text);
        io.stdout(`${JSON.stringify({ out, format, rows: run.rows.length, queryExecutionId: run.queryExecutionId, dataScannedBytes: run.dataScannedBytes, costUsd: run.costUsd })}\n`);
      }
      return 0;
    },
  };
}

export const investigateCommand: CliCommand = createInvestigateCommand();
