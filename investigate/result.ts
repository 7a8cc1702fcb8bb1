/**
 * What `baseline investigate --format json` writes: one investigation's run, complete enough for an
 * auditor to repeat it (the query as Athena ran it, its parameters, the window) and for the evidence
 * binder's "Investigation sample" section (`baseline evidence --investigation-sample FILE`).
 */
export interface InvestigationRun {
  /** Format version of this file. */
  readonly version: 1;
  /** The investigation's name (`modules/investigations/catalog/`). */
  readonly investigation: string;
  readonly title: string;
  /** The question it answers. */
  readonly answers: string;
  /** The window, ISO 8601 UTC: `from` inclusive, `to` exclusive. */
  readonly window: { readonly from: string; readonly to: string };
  /**
   * The last day partition read, `yyyy/MM/dd` (the window's `to_day`: the day after its last day, for
   * late deliveries): a record whose log file was delivered after that day is not in `rows`. Optional:
   * files written before it was added have none.
   */
  readonly lastDayPartition?: string;
  /** `--param` values, by name. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Where it ran. */
  readonly accountId: string;
  readonly region: string;
  readonly workgroup: string;
  readonly database: string;
  /** Athena's QueryExecutionId. */
  readonly queryExecutionId: string;
  /** The SQL as Athena ran it, every value written in as a SQL string literal (`inlineParameters`). */
  readonly queryString: string;
  /**
   * Always empty since values are inlined in `queryString` (no ExecutionParameters are sent); kept so
   * the format stays version 1.
   */
  readonly executionParameters: readonly string[];
  /** Statistics.DataScannedInBytes of GetQueryExecution. */
  readonly dataScannedBytes: number;
  /** What the scan cost, USD, at the per-TB price the CLI states (minimum 10 MB per query). */
  readonly costUsd: number;
  /** Status.SubmissionDateTime and Status.CompletionDateTime, ISO 8601. */
  readonly submittedAt: string;
  readonly completedAt: string;
  /** Column names, then rows of string cells (null for SQL NULL), as GetQueryResults returns them. */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}
