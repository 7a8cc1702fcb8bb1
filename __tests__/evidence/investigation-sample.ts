/**
 * An investigation run file as `baseline investigate --format json` writes it (investigate/result.ts,
 * InvestigationRun, version 1), for the binder's investigation sample, and Athena's record of its
 * execution. A genuine sample runs the catalog's SQL for the config (root-activity) with its window
 * written in (`inlineParameters`, as `baseline investigate` sends it), no execution parameters, in the
 * investigations workgroup and database of the audit account, home Region. The Athena fields follow the
 * Athena API reference: GetQueryExecution's QueryExecution
 * (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryExecution.html,
 * API_QueryExecution.html: QueryExecutionId, Query, QueryExecutionContext.Database, WorkGroup; no
 * ExecutionParameters: "The list of parameters is not returned in the response"),
 * Status.State/SubmissionDateTime/CompletionDateTime (API_QueryExecutionStatus.html),
 * Statistics.DataScannedInBytes (API_QueryExecutionStatistics.html), rows of GetQueryResults
 * (API_GetQueryResults.html); an unknown QueryExecutionId is InvalidRequestException (API_GetQueryExecution.html, Errors).
 * GetQueryRuntimeStatistics answers QueryRuntimeStatistics.Rows.OutputRows, "The number of rows returned
 * by the query" (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryRuntimeStatistics.html,
 * API_QueryRuntimeStatisticsRows.html): the genuine run's row count, without the header row.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, GetQueryRuntimeStatisticsCommand, InvalidRequestException, StartQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load';
import { investigationsDatabaseName, investigationsWorkgroupName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import type { InvestigationRun } from '../../investigate/result';
import { investigationsFor } from '../../modules/investigations/context';
import { inlineParameters, windowParameterValues } from '../../modules/investigations/investigation';

/** The repository's baseline.config.yaml: the config the unit tests judge with. */
const REPO_CONFIG: BaselineConfig = parseConfig(parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8')), 'baseline.config.yaml');

const INVESTIGATION = 'root-activity';

/** The catalog's SQL of root-activity for `config` with `window` written in, as baseline investigate sends it (no execution parameters). */
export function boundSample(window: { from: Date; to: Date }, config: BaselineConfig = REPO_CONFIG): { queryString: string; executionParameters: string[] } {
  const { sql } = investigationsFor(config).available.find((b) => b.investigation.name === INVESTIGATION)!;
  return { queryString: inlineParameters(sql, windowParameterValues(window.from, window.to)), executionParameters: [] };
}

export function sampleRun(window: { from: Date; to: Date }, rows = 3, over: Partial<InvestigationRun> = {}, config: BaselineConfig = REPO_CONFIG): InvestigationRun {
  return {
    version: 1,
    investigation: INVESTIGATION,
    title: 'Root user activity',
    answers: 'When was the root user of any account used, for what, from where, and did it succeed?',
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    parameters: {},
    accountId: config.organization.auditAccountId,
    region: config.regions.home,
    workgroup: investigationsWorkgroupName(config),
    database: investigationsDatabaseName(config),
    queryExecutionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    ...boundSample(window, config),
    dataScannedBytes: 52_428_800,
    costUsd: 0.00025,
    submittedAt: new Date(window.to.getTime() + 60_000).toISOString(),
    completedAt: new Date(window.to.getTime() + 75_000).toISOString(),
    columns: ['eventtime', 'account', 'region', 'eventsource', 'eventname', 'sourceipaddress', 'useragent', 'errorcode', 'eventid'],
    rows: Array.from({ length: rows }, (_, i) => [
      new Date(window.from.getTime() + i * 60_000).toISOString(),
      '444444444444',
      'us-east-1',
      'signin.amazonaws.com',
      i % 2 ? 'ConsoleLogin' : 'GetAccountSummary',
      i === 1 ? null : '203.0.113.7',
      'Mozilla/5.0',
      null,
      `e-${i}`,
    ]),
    ...over,
  };
}

/**
 * Athena's QueryExecution of a genuine `run` (the fields GetQueryExecution returns, API_QueryExecution.html):
 * no ExecutionParameters, which "The list of parameters is not returned in the response" says AWS omits.
 */
export function executionOf(run: InvestigationRun, over: Partial<QueryExecution> = {}): QueryExecution {
  const execution: QueryExecution = {
    QueryExecutionId: run.queryExecutionId,
    Query: run.queryString,
    StatementType: 'DML',
    QueryExecutionContext: { Database: run.database, Catalog: 'AwsDataCatalog' },
    Status: { State: 'SUCCEEDED', SubmissionDateTime: new Date(run.submittedAt), CompletionDateTime: new Date(run.completedAt) },
    Statistics: { DataScannedInBytes: run.dataScannedBytes, EngineExecutionTimeInMillis: 1200, TotalExecutionTimeInMillis: 1500 },
    WorkGroup: run.workgroup,
    ...over,
  };
  OUTPUT_ROWS.set(execution, run.rows.length);
  return execution;
}

/** The rows each execution returned (Rows.OutputRows of GetQueryRuntimeStatistics): the run's it was made of. */
const OUTPUT_ROWS = new WeakMap<QueryExecution, number>();

/** Sets the rows Athena's runtime statistics report for `execution` (undefined: no Rows yet, as right after completion). */
export function withOutputRows(execution: QueryExecution, rows: number | undefined): QueryExecution {
  const copy = { ...execution };
  if (rows !== undefined) OUTPUT_ROWS.set(copy, rows);
  return copy;
}

/**
 * Answers Athena's GetQueryExecution with each execution, by QueryExecutionId; any other id is
 * InvalidRequestException, as for an execution past Athena's 45-day history (its message is
 * Unverified). Restore the returned mock after the test.
 */
export function mockExecutions(...executions: QueryExecution[]) {
  const athena = mockClient(AthenaClient);
  athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
    const found = executions.find((e) => e.QueryExecutionId === input.QueryExecutionId);
    if (!found) throw new InvalidRequestException({ message: `QueryExecution ${input.QueryExecutionId} was not found`, $metadata: {} });
    return { QueryExecution: found };
  });
  athena.on(GetQueryRuntimeStatisticsCommand).callsFake((input: { QueryExecutionId: string }) => {
    const found = executions.find((e) => e.QueryExecutionId === input.QueryExecutionId);
    if (!found) throw new InvalidRequestException({ message: `QueryExecution ${input.QueryExecutionId} was not found`, $metadata: {} });
    const rows = OUTPUT_ROWS.get(found);
    return { QueryRuntimeStatistics: { Timeline: { TotalExecutionTimeInMillis: 1500 }, ...(rows !== undefined ? { Rows: { InputRows: 1000, InputBytes: found.Statistics?.DataScannedInBytes, OutputRows: rows, OutputBytes: 100 * rows } } : {}) } };
  });
  return athena;
}

/** Mocks Athena with the execution of the run in `file` when it is one (a file that is not gets none). */
export function mockExecutionOfFile(file: string) {
  let run: InvestigationRun | undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as InvestigationRun;
    if (parsed && typeof parsed.queryExecutionId === 'string' && Array.isArray(parsed.executionParameters)) run = parsed;
  } catch {
    run = undefined;
  }
  return mockExecutions(...(run ? [executionOf(run)] : []));
}

/**
 * Runs the sample's query in moto (StartQueryExecution, audit account, home Region, the investigations
 * workgroup and database), its window written into the SQL and no execution parameters, and returns
 * the run file as baseline investigate writes it, with the id, bytes scanned and times moto recorded.
 * moto does not execute queries: its GetQueryExecution returns the query, context and workgroup it was
 * given, DataScannedInBytes 0 and its own clock's times (moto/athena/responses.py get_query_execution).
 */
export async function runSampleInMoto(athena: AthenaClient, config: BaselineConfig, window: { from: Date; to: Date }): Promise<InvestigationRun> {
  const { queryString } = boundSample(window, config);
  const start = await athena.send(
    new StartQueryExecutionCommand({ QueryString: queryString, QueryExecutionContext: { Database: investigationsDatabaseName(config), Catalog: 'AwsDataCatalog' }, WorkGroup: investigationsWorkgroupName(config) }),
  );
  const execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: start.QueryExecutionId! }))).QueryExecution!;
  // moto's GetQueryRuntimeStatistics reports Rows.OutputRows 2 for any query (moto/athena/responses.py).
  return sampleRun(
    window,
    2,
    {
      queryExecutionId: start.QueryExecutionId!,
      dataScannedBytes: execution.Statistics?.DataScannedInBytes ?? 0,
      costUsd: 0,
      submittedAt: execution.Status!.SubmissionDateTime!.toISOString(),
      completedAt: execution.Status!.CompletionDateTime!.toISOString(),
    },
    config,
  );
}

/** Writes `run` to a new temporary file and returns its path. */
export function writeSample(run: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'investigation-sample-')), 'sample.json');
  writeFileSync(file, typeof run === 'string' ? run : JSON.stringify(run, null, 2));
  return file;
}
