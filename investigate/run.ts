/**
 * Runs one named investigation in Athena (Athena API Reference, https://docs.aws.amazon.com/athena/latest/APIReference/):
 * StartQueryExecution with the SQL, its values written in (no execution parameters), GetQueryExecution until the
 * query ends (progress on the way), StopQueryExecution when interrupted, then GetQueryResults page by
 * page. Loaded only when `baseline investigate` runs (it brings the Athena client).
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { CommandError } from '../bin/cli-command';
import type { Investigation } from '../modules/investigations/investigation';
import { WINDOW_PARAMETERS } from '../modules/investigations/investigation';
import { ATHENA_CATALOG, FIRST_POLL_MS, formatBytes, MAX_POLL_MS, queryCostUsd } from './options';
import type { InvestigationRun } from './result';
import { isoTime, windowValues, type InvestigationWindow } from './window';

/** One look at the running query, for the progress display. */
export interface QueryProgress {
  readonly queryExecutionId: string;
  /** QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED (QueryExecutionStatus.State). */
  readonly state: string;
  readonly elapsedMs: number;
  /** Statistics.DataScannedInBytes so far. */
  readonly dataScannedBytes: number;
}

export interface RunInvestigationProps {
  readonly investigation: Investigation;
  readonly window: InvestigationWindow;
  /** `--param` values, by name. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The SQL to run, every value written in (`investigationQuery`). */
  readonly queryString: string;
  /** A client of the Region the workgroup is in, with the credentials to run in it. */
  readonly athena: Pick<AthenaClient, 'send'>;
  readonly accountId: string;
  readonly region: string;
  readonly workgroup: string;
  readonly database: string;
  /** USD per TB scanned. */
  readonly pricePerTb: number;
  /**
   * The workgroup's BytesScannedCutoffPerQuery, bytes, when known (the config's, for the baseline's
   * workgroup): a CANCELLED query that scanned nearly as much is taken as cut off by it.
   * @default unknown: only Athena's reason tells
   */
  readonly bytesScannedCutoff?: number;
  readonly progress?: (p: QueryProgress) => void;
  /** Aborted (Ctrl-C): the query is stopped with StopQueryExecution and the run refused. */
  readonly signal?: AbortSignal;
  /** @default FIRST_POLL_MS */
  readonly firstPollMs?: number;
  /** @default MAX_POLL_MS */
  readonly maxPollMs?: number;
  /** @default the system clock */
  readonly now?: () => Date;
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Why the query ended without results: Status.StateChangeReason, and AthenaError's category, type and
 * message (QueryExecutionStatus and AthenaError,
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatus.html and
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_AthenaError.html: ErrorCategory 1 system,
 * 2 user, 3 other).
 */
function failure(execution: QueryExecution): string {
  const status = execution.Status ?? {};
  const error = status.AthenaError;
  const category = error?.ErrorCategory !== undefined ? ({ 1: 'system', 2: 'user', 3: 'other' } as Record<number, string>)[error.ErrorCategory] ?? String(error.ErrorCategory) : undefined;
  const details = [
    status.StateChangeReason,
    error?.ErrorMessage && error.ErrorMessage !== status.StateChangeReason ? error.ErrorMessage : undefined,
    category !== undefined ? `error category ${category}` : undefined,
    error?.ErrorType !== undefined ? `error type ${error.ErrorType}` : undefined,
    error?.Retryable ? 'retryable' : undefined,
  ].filter(Boolean);
  return details.length > 0 ? details.join('; ') : 'Athena gave no reason';
}

/**
 * The wording Athena gives (StateChangeReason) for a query cancelled by the per-query data usage
 * control. The Athena User Guide says only that such a query "is canceled" ("Configure per-query and
 * per-workgroup data usage controls",
 * https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html); the
 * text is as users report it, not documented (docs/cli.md, "Unverified"), hence the fallback below.
 */
const SCAN_LIMIT_REASON = /bytes scanned limit/i;

/** How near the cutoff a CANCELLED query's DataScannedInBytes must be to be taken as cut off by it (statistics may trail). */
export const CUTOFF_NEAR_FRACTION = 0.9;

/**
 * Whether the workgroup's per-query scan limit (WorkGroupConfiguration.BytesScannedCutoffPerQuery,
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html) cancelled the
 * query: CANCELLED with Athena's scan-limit reason, or, whatever the reason says, with
 * Statistics.DataScannedInBytes at least CUTOFF_NEAR_FRACTION of the cutoff.
 */
export function cancelledByScanCutoff(execution: QueryExecution, cutoff: number | undefined): boolean {
  const status = execution.Status ?? {};
  if (status.State !== 'CANCELLED') return false;
  if ([status.StateChangeReason, status.AthenaError?.ErrorMessage].some((t) => t !== undefined && SCAN_LIMIT_REASON.test(t))) return true;
  const scanned = execution.Statistics?.DataScannedInBytes;
  return cutoff !== undefined && scanned !== undefined && scanned >= cutoff * CUTOFF_NEAR_FRACTION;
}

/** What to change when the scan limit cancelled the query: the window, the account (a partition key) when the investigation takes one, or the limit. */
function scanCutoffAdvice(props: RunInvestigationProps, scanned: number): string {
  const cutoff = props.bytesScannedCutoff;
  const limit = cutoff !== undefined ? `BytesScannedCutoffPerQuery ${cutoff} bytes` : 'BytesScannedCutoffPerQuery';
  // Only `account` is a partition key (with region and day) a parameter can narrow.
  const account = props.investigation.parameters.some((p) => p.name === 'account') ? ' (or --param account=...)' : '';
  return (
    `the workgroup's per-query scan limit (${limit}) cancelled it after ${formatBytes(scanned)} scanned: ` +
    `narrow --from/--to${account}, or raise investigations.bytesScannedCutoffPerQueryMb`
  );
}

/** Runs the investigation and returns its run (the rows included); refuses (CommandError) when the query does not succeed. */
export async function runInvestigation(props: RunInvestigationProps): Promise<InvestigationRun> {
  const { athena, queryString, signal } = props;
  const now = props.now ?? (() => new Date());
  const started = now().getTime();
  // StartQueryExecution: https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
  // No ExecutionParameters: the values are in the SQL, so Athena's Query records them.
  const start = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: queryString,
      QueryExecutionContext: { Database: props.database, Catalog: ATHENA_CATALOG },
      WorkGroup: props.workgroup,
    }),
  );
  const id = start.QueryExecutionId;
  if (!id) throw new CommandError(`${props.investigation.name}: StartQueryExecution returned no QueryExecutionId`);

  // GetQueryExecution until a terminal state: https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryExecution.html
  let wait = props.firstPollMs ?? FIRST_POLL_MS;
  const maxWait = props.maxPollMs ?? MAX_POLL_MS;
  let execution: QueryExecution;
  for (;;) {
    if (signal?.aborted) {
      // StopQueryExecution: https://docs.aws.amazon.com/athena/latest/APIReference/API_StopQueryExecution.html
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      throw new CommandError(`${props.investigation.name}: interrupted; query ${id} stopped (StopQueryExecution)`);
    }
    execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution ?? {};
    const state = execution.Status?.State ?? 'UNKNOWN';
    props.progress?.({ queryExecutionId: id, state, elapsedMs: now().getTime() - started, dataScannedBytes: execution.Statistics?.DataScannedInBytes ?? 0 });
    if (TERMINAL.has(state)) break;
    await sleep(wait, signal);
    wait = Math.min(Math.ceil(wait * 1.5), maxWait);
  }
  const state = execution.Status?.State;
  if (cancelledByScanCutoff(execution, props.bytesScannedCutoff)) {
    throw new CommandError(`${props.investigation.name}: query ${id} CANCELLED: ${failure(execution)}; ${scanCutoffAdvice(props, execution.Statistics?.DataScannedInBytes ?? 0)}`);
  }
  if (state !== 'SUCCEEDED') throw new CommandError(`${props.investigation.name}: query ${id} ${state}: ${failure(execution)}`);

  const { columns, rows } = await readResults(athena, id);
  const scanned = execution.Statistics?.DataScannedInBytes ?? 0;
  const submitted = execution.Status?.SubmissionDateTime;
  const completed = execution.Status?.CompletionDateTime;
  return {
    version: 1,
    investigation: props.investigation.name,
    title: props.investigation.title,
    answers: props.investigation.answers,
    window: { from: isoTime(props.window.from), to: isoTime(props.window.to) },
    lastDayPartition: windowValues(props.window)[WINDOW_PARAMETERS.toDay],
    parameters: { ...props.parameters },
    accountId: props.accountId,
    region: props.region,
    workgroup: props.workgroup,
    database: props.database,
    queryExecutionId: id,
    queryString,
    executionParameters: [],
    dataScannedBytes: scanned,
    costUsd: queryCostUsd(scanned, props.pricePerTb),
    submittedAt: submitted ? isoTime(submitted) : '',
    completedAt: completed ? isoTime(completed) : '',
    columns,
    rows,
  };
}

/**
 * Every row of the result, page by page (GetQueryResults, at most 1,000 rows a page, NextToken to go on:
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html). Column names come
 * from ResultSetMetadata.ColumnInfo[].Name. For a SELECT, Athena's first row holds the column names
 * again (not in the API reference; see docs/cli.md, "Unverified"): it is dropped when it equals them,
 * so a result without it loses nothing. A Datum without VarCharValue is SQL NULL.
 */
async function readResults(athena: Pick<AthenaClient, 'send'>, id: string): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  let columns: string[] | undefined;
  const rows: (string | null)[][] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: token }));
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
    const pageRows = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
    if (first && pageRows.length > 0 && columns.length > 0 && sameCells(pageRows[0], columns)) pageRows.shift();
    first = false;
    rows.push(...pageRows);
    token = page.NextToken;
  } while (token);
  return { columns: columns ?? [], rows };
}

function sameCells(row: readonly (string | null)[], names: readonly string[]): boolean {
  return row.length === names.length && row.every((cell, i) => cell === names[i]);
}
