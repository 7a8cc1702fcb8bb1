/**
 * The audit period's investigation sample: the file `baseline investigate --format json` wrote
 * (`InvestigationRun`, investigate/result.ts), shown with its query, window, bytes scanned and rows.
 * The SOC 2 guides list "Sample CloudTrail log query results showing investigation of a specific
 * event" as evidence: without a sample, or with one outside the period, the item FAILs.
 *
 * The file is checked against the catalog and against Athena, so that a file written by hand cannot
 * pass: its SQL must be the catalog's for this config (`investigationsFor`) with the file's window and
 * parameters written in, exactly as `baseline investigate` sends it (`inlineParameters`); and Athena's
 * record of the execution (GetQueryExecution in the audit account, home Region:
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryExecution.html, QueryExecution:
 * API_QueryExecution.html) must say it SUCCEEDED in the investigations workgroup and database, ran that
 * very text (Query, "The SQL query statements which the query execution ran"), scanned the bytes the
 * file says (Statistics.DataScannedInBytes, API_QueryExecutionStatistics.html) and completed when it
 * says (Status.CompletionDateTime, API_QueryExecutionStatus.html). The window and parameters are in the
 * text because Athena would not return them as execution parameters ("The list of parameters is not
 * returned in the response", QueryExecution.ExecutionParameters), so a window edited in the file no
 * longer matches the query Athena ran. "Athena keeps a query history for 45 days"
 * (API_ListQueryExecutions.html): an execution Athena no longer knows is unverifiable, ERROR.
 *
 * The rows themselves are not read back: GetQueryResults reads the results object from S3 with the
 * caller's permissions (s3:GetObject on the results bucket, kms:Decrypt on its key), which the
 * read-only reader role does not have and should not get for every bucket. Their number is checked:
 * GetQueryRuntimeStatistics (API_GetQueryRuntimeStatistics.html) needs only athena:GetQueryRuntimeStatistics,
 * and QueryRuntimeStatistics.Rows.OutputRows is "The number of rows returned by the query"
 * (API_QueryRuntimeStatisticsRows.html); it must equal the file's rows, which hold no header row
 * (investigate/run.ts drops the column names GetQueryResults repeats first). A row deleted or added by
 * hand FAILs; an edited cell in a row is not seen. Those statistics "are updated asynchronously and may
 * not be available immediately after a query completes" (API_GetQueryRuntimeStatistics.html): without
 * Rows.OutputRows, or when the call is refused, the sample is unverifiable, ERROR.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AthenaClient, GetQueryExecutionCommand, GetQueryRuntimeStatisticsCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { investigationsDatabaseName, investigationsWorkgroupName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import type { InvestigationRun } from '../../investigate/result';
import { investigationsFor } from '../../modules/investigations/context';
import { inlineParameters, windowParameterValues } from '../../modules/investigations/investigation';
import { Task, type CollectContext } from '../context';

export const INVESTIGATION_SAMPLE_CONTROL = 'period.investigation-sample';

/** The sample's copy in the binder (evidence/binder.ts), covered by its SHA256SUMS. */
export const INVESTIGATION_SAMPLE_FILE = 'investigation-sample.json';

/** The file judged: its copy's name in the binder and the SHA-256 of the bytes read (`details.file`). */
export interface SampleFile {
  readonly name: string;
  readonly sha256: string;
}

/** Days Athena keeps a query's history (API_ListQueryExecutions.html). */
export const ATHENA_QUERY_HISTORY_DAYS = 45;

const ATHENA_API = 'https://docs.aws.amazon.com/athena/latest/APIReference';

/** Rows shown in the binder; the rest are counted (the file itself holds them all). */
export const SAMPLE_ROWS_SHOWN = 50;

/** What the binder shows of a sample. */
export interface SampleDetails {
  readonly investigation: string;
  readonly title: string;
  readonly answers: string;
  readonly window: { readonly from: string; readonly to: string };
  readonly parameters: Readonly<Record<string, string>>;
  readonly where: string;
  readonly queryExecutionId: string;
  readonly queryString: string;
  readonly executionParameters: readonly string[];
  readonly dataScannedBytes: number;
  readonly costUsd: number;
  readonly submittedAt: string;
  readonly completedAt: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
  readonly rowCount: number;
  readonly rowsShown: number;
}

/** The problems of a parsed file as an InvestigationRun of version 1 (field by field, named). */
export function sampleShapeProblems(v: unknown): string[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return ['is not a JSON object'];
  const o = v as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? undefined : `${k} is not a string`);
  const num = (k: string) => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? undefined : `${k} is not a number`);
  const window = o.window as Record<string, unknown> | undefined;
  const time = (s: unknown) => typeof s === 'string' && !Number.isNaN(new Date(s).getTime());
  return [
    o.version === 1 ? undefined : `version is ${JSON.stringify(o.version)}, not 1`,
    ...['investigation', 'title', 'queryExecutionId', 'queryString', 'submittedAt', 'completedAt'].map(str),
    ...['dataScannedBytes', 'costUsd'].map(num),
    window && time(window.from) && time(window.to) ? undefined : 'window.from and window.to are not ISO 8601 times',
    Array.isArray(o.columns) ? undefined : 'columns is not a list',
    Array.isArray(o.rows) && (o.rows as unknown[]).every((r) => Array.isArray(r)) ? undefined : 'rows is not a list of rows',
    Array.isArray(o.executionParameters) && (o.executionParameters as unknown[]).every((p) => typeof p === 'string') ? undefined : 'executionParameters is not a list of strings',
  ].filter((p): p is string => !!p);
}

export function investigationSampleTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  // Judged once, for the organization: the sample is the security team's, run in the audit account.
  return [
    new Task(ctx, { label: 'investigation sample', accountId: config.organization.auditAccountId, region: config.regions.home, controls: [INVESTIGATION_SAMPLE_CONTROL], resource: 'investigation-sample' }, async (task) =>
      judgeSample(task),
    ),
  ];
}

async function judgeSample(task: Task): Promise<void> {
  const { period, investigationSample: file } = task.ctx.settings;
  const periodJson = { from: period.from.toISOString(), to: period.to.toISOString() };
  const base = {
    controlId: INVESTIGATION_SAMPLE_CONTROL,
    title: 'Investigation sample: a query over the log archive within the period',
    sources: [
      `${ATHENA_API}/API_GetQueryExecution.html`,
      `${ATHENA_API}/API_QueryExecution.html`,
      `${ATHENA_API}/API_QueryExecutionStatus.html`,
      `${ATHENA_API}/API_QueryExecutionStatistics.html`,
      `${ATHENA_API}/API_ListQueryExecutions.html`,
      `${ATHENA_API}/API_GetQueryRuntimeStatistics.html`,
      `${ATHENA_API}/API_QueryRuntimeStatisticsRows.html`,
    ],
  };
  if (file === undefined) {
    task.item({
      ...base,
      status: 'FAIL',
      reason: 'no investigation sample given (--investigation-sample FILE, the JSON of baseline investigate --format json): the binder does not show that the logs can be used to investigate an event',
      details: { period: periodJson, provided: false },
    });
    return;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    task.item({ ...base, status: 'FAIL', reason: `--investigation-sample ${file} cannot be read: ${(e as Error).message}`, details: { period: periodJson, provided: true } });
    return;
  }
  // The bytes judged: the binder copies the file and refuses a copy that differs from them.
  const sampleFile: SampleFile = { name: INVESTIGATION_SAMPLE_FILE, sha256: createHash('sha256').update(bytes).digest('hex') };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    task.item({ ...base, status: 'FAIL', reason: `--investigation-sample ${file} cannot be read as JSON: ${(e as Error).message}`, details: { period: periodJson, provided: true, file: sampleFile } });
    return;
  }
  const shape = sampleShapeProblems(parsed);
  if (shape.length) {
    task.item({ ...base, status: 'FAIL', reason: `--investigation-sample ${file} is not a baseline investigate --format json file: ${shape.join('; ')}`, details: { period: periodJson, provided: true, file: sampleFile } });
    return;
  }
  const run = parsed as InvestigationRun;
  const from = new Date(run.window.from);
  const to = new Date(run.window.to);
  const completed = new Date(run.completedAt);
  const problems = [
    from < period.from || to > period.to ? `its window ${run.window.from} to ${run.window.to} lies outside the period ${periodJson.from} to ${periodJson.to}` : undefined,
    from >= to ? `its window starts (${run.window.from}) at or after its end (${run.window.to})` : undefined,
    Number.isNaN(completed.getTime()) || completed > task.ctx.now() ? `it completed at ${run.completedAt}, after the binder was collected` : undefined,
  ].filter((p): p is string => !!p);
  const rows = run.rows.slice(0, SAMPLE_ROWS_SHOWN);
  const details: SampleDetails = {
    investigation: run.investigation,
    title: run.title,
    answers: run.answers ?? '',
    window: { from: from.toISOString(), to: to.toISOString() },
    parameters: { ...(run.parameters ?? {}) },
    where: `${run.accountId ?? '?'} ${run.region ?? '?'}, workgroup ${run.workgroup ?? '?'}, database ${run.database ?? '?'}`,
    queryExecutionId: run.queryExecutionId,
    queryString: run.queryString,
    executionParameters: [...(run.executionParameters ?? [])],
    dataScannedBytes: run.dataScannedBytes,
    costUsd: run.costUsd,
    submittedAt: run.submittedAt,
    completedAt: run.completedAt,
    columns: [...run.columns],
    rows,
    rowCount: run.rows.length,
    rowsShown: rows.length,
  };
  // The file against the catalog: nothing AWS holds is needed to refuse these.
  const catalog = catalogProblems(task.ctx.config, run, from, to);
  problems.push(...catalog.problems);
  const where = { accountId: task.ctx.config.organization.auditAccountId, region: task.ctx.config.regions.home };
  if (run.accountId !== where.accountId || run.region !== where.region) problems.push(`it ran in ${run.accountId ?? '?'} ${run.region ?? '?'}, not in the audit account's home Region (${where.accountId} ${where.region}) where the investigations workgroup is`);
  // The file against Athena's record of the execution, once the file itself holds together.
  const athena = problems.length || catalog.expectedSql === undefined ? undefined : await athenaVerdict(task, run, catalog.expectedSql);
  if (athena?.problems.length) problems.push(...athena.problems);
  const status = problems.length ? 'FAIL' : athena?.unverifiable ? 'ERROR' : 'PASS';
  task.item({
    ...base,
    status,
    reason:
      status === 'FAIL'
        ? `the sample ${run.investigation} (${file}) does not evidence the period: ${problems.join('; ')}`
        : status === 'ERROR'
          ? `the sample ${run.investigation} (${file}) is unverifiable: ${athena!.unverifiable}`
          : `${run.investigation}: ${run.rows.length} row(s) over ${details.window.from} to ${details.window.to}, ${run.dataScannedBytes} bytes scanned (query ${run.queryExecutionId}, as Athena recorded it, rows counted by Athena too)`,
    resource: 'investigation-sample',
    details: { period: periodJson, provided: true, file: sampleFile, sample: details, ...(athena ? { athena: athena.seen } : {}) },
  });
}

/**
 * Where the file departs from the catalog: its SQL must be the catalog's for this config with its own
 * window and parameters written in (what `baseline investigate` sends), and it must name the
 * investigations workgroup and database. Returns the problems and the SQL expected, when it can be made.
 */
function catalogProblems(config: BaselineConfig, run: InvestigationRun, from: Date, to: Date): { problems: string[]; expectedSql?: string } {
  const available = investigationsFor(config).available.find((b) => b.investigation.name === run.investigation);
  if (!available) return { problems: [`${run.investigation} is not an investigation of the catalog this config can run`] };
  const problems: string[] = [];
  if (run.workgroup !== investigationsWorkgroupName(config)) problems.push(`it names the workgroup ${run.workgroup ?? '?'}, not ${investigationsWorkgroupName(config)}`);
  if (run.database !== investigationsDatabaseName(config)) problems.push(`it names the database ${run.database ?? '?'}, not ${investigationsDatabaseName(config)}`);
  // A file of a baseline investigate that sent execution parameters: Athena never returns them, so its window cannot be checked.
  if (run.executionParameters.length) problems.push(`its executionParameters are not empty (${run.executionParameters.length}): baseline investigate writes every value into the SQL, so Athena's record of the query holds its window; run the investigation again with this version`);
  const declared = new Set(available.investigation.parameters.map((p) => p.name));
  const undeclared = Object.keys(run.parameters ?? {}).filter((name) => !declared.has(name));
  if (undeclared.length) problems.push(`its parameters ${undeclared.join(', ')} are not parameters of ${run.investigation}`);
  for (const p of available.investigation.parameters) {
    const value = run.parameters?.[p.name];
    // A pattern with the global or sticky flag would keep lastIndex between tests.
    if (typeof value === 'string' && !new RegExp(p.pattern.source, p.pattern.flags.replace(/[gy]/g, '')).test(value)) problems.push(`its parameter ${p.name} ${JSON.stringify(value)} does not match ${p.pattern}`);
  }
  if (from >= to) return { problems };
  let expectedSql: string | undefined;
  try {
    // The window's values last: a parameter named as a window value cannot move the window.
    expectedSql = inlineParameters(available.sql, { ...(run.parameters ?? {}), ...windowParameterValues(from, to) });
  } catch (e) {
    problems.push(`its window and parameters do not make the catalog's SQL of ${run.investigation}: ${(e as Error).message}`);
  }
  if (expectedSql !== undefined && run.queryString !== expectedSql) {
    problems.push(`its queryString is not the catalog's SQL of ${run.investigation} for this config with its window ${run.window.from} to ${run.window.to} and parameters ${JSON.stringify(run.parameters ?? {})} written in`);
  }
  return { problems, ...(expectedSql !== undefined ? { expectedSql } : {}) };
}

/** What GetQueryExecution said, for the binder. */
interface AthenaSeen {
  readonly found: boolean;
  readonly state?: string;
  readonly workGroup?: string;
  readonly database?: string;
  readonly dataScannedInBytes?: number;
  readonly completedAt?: string;
  /** QueryRuntimeStatistics.Rows.OutputRows (GetQueryRuntimeStatistics), when Athena gave it. */
  readonly outputRows?: number;
}

/** The file against Athena's record of the execution: `expectedSql` is the catalog's SQL with the file's window and parameters written in. */
async function athenaVerdict(task: Task, run: InvestigationRun, expectedSql: string): Promise<{ problems: string[]; unverifiable?: string; seen: AthenaSeen }> {
  const { config } = task.ctx;
  const athena = task.client(AthenaClient);
  const request = { QueryExecutionId: run.queryExecutionId };
  let execution: QueryExecution;
  try {
    execution = (await task.call('athena:GetQueryExecution', request, () => athena.send(new GetQueryExecutionCommand(request)), { key: 'investigation-sample' })).QueryExecution ?? {};
  } catch (e) {
    // An unknown id is the caller's error, InvalidRequestException (API_GetQueryExecution.html, Errors).
    if ((e as { name?: string }).name !== 'InvalidRequestException') throw e;
    return {
      problems: [],
      unverifiable: `Athena has no query execution ${run.queryExecutionId} in ${config.organization.auditAccountId} ${config.regions.home} (${(e as Error).message}); it keeps a query history for ${ATHENA_QUERY_HISTORY_DAYS} days, so a sample run earlier cannot be checked: run the investigation again within the period's last ${ATHENA_QUERY_HISTORY_DAYS} days`,
      seen: { found: false },
    };
  }
  const workgroup = investigationsWorkgroupName(config);
  const database = investigationsDatabaseName(config);
  const state = execution.Status?.State;
  const scanned = execution.Statistics?.DataScannedInBytes;
  const completed = execution.Status?.CompletionDateTime;
  const problems = [
    state !== 'SUCCEEDED' ? `Athena records its state as ${state ?? 'absent'}, not SUCCEEDED` : undefined,
    execution.WorkGroup !== workgroup ? `Athena ran it in the workgroup ${execution.WorkGroup ?? '(none)'}, not ${workgroup}` : undefined,
    execution.QueryExecutionContext?.Database !== database ? `Athena ran it in the database ${execution.QueryExecutionContext?.Database ?? '(none)'}, not ${database}` : undefined,
    execution.Query !== expectedSql ? `the SQL Athena ran (Query) is not the catalog's SQL with the file's window ${run.window.from} to ${run.window.to} and parameters written in` : undefined,
    // baseline investigate sends none; should Athena return some, its Query is not the whole query.
    execution.ExecutionParameters?.length ? `Athena records execution parameters for it (${execution.ExecutionParameters.length}); baseline investigate sends none` : undefined,
    scanned !== run.dataScannedBytes ? `Athena's Statistics.DataScannedInBytes is ${scanned ?? 'absent'}, the file says ${run.dataScannedBytes}` : undefined,
    !completed || completed.getTime() !== new Date(run.completedAt).getTime() ? `Athena's Status.CompletionDateTime is ${completed?.toISOString() ?? 'absent'}, the file says ${run.completedAt}` : undefined,
  ].filter((p): p is string => !!p);
  // The number of rows, from Athena's runtime statistics: a refusal or no Rows.OutputRows is unverifiable, never a PASS.
  let outputRows: number | undefined;
  let unverifiable: string | undefined;
  try {
    const stats = await task.call('athena:GetQueryRuntimeStatistics', request, () => athena.send(new GetQueryRuntimeStatisticsCommand(request)), { key: 'investigation-sample' });
    outputRows = stats.QueryRuntimeStatistics?.Rows?.OutputRows;
    if (outputRows === undefined) unverifiable = `Athena's GetQueryRuntimeStatistics for ${run.queryExecutionId} has no Rows.OutputRows (these statistics are updated asynchronously after the query completes): the file's ${run.rows.length} row(s) cannot be counted against Athena's; collect again later`;
  } catch (e) {
    unverifiable = `Athena's GetQueryRuntimeStatistics for ${run.queryExecutionId} failed (${(e as { name?: string }).name ?? 'Error'}: ${(e as Error).message}): the file's ${run.rows.length} row(s) cannot be counted against Athena's`;
  }
  if (outputRows !== undefined && outputRows !== run.rows.length) problems.push(`Athena's QueryRuntimeStatistics.Rows.OutputRows is ${outputRows}, the file holds ${run.rows.length} row(s): rows were removed or added`);
  const seen: AthenaSeen = {
    found: true,
    ...(state ? { state } : {}),
    ...(execution.WorkGroup ? { workGroup: execution.WorkGroup } : {}),
    ...(execution.QueryExecutionContext?.Database ? { database: execution.QueryExecutionContext.Database } : {}),
    ...(scanned !== undefined ? { dataScannedInBytes: scanned } : {}),
    ...(completed ? { completedAt: completed.toISOString() } : {}),
    ...(outputRows !== undefined ? { outputRows } : {}),
  };
  return { problems, ...(unverifiable ? { unverifiable } : {}), seen };
}
