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
  /** `--param` values, by name. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Where it ran. */
  readonly accountId: string;
  readonly region: string;
  readonly workgroup: string;
  readonly database: string;
  /** Athena's QueryExecutionId. */
  readonly queryExecutionId: string;
  /** The SQL as Athena ran it (positional `?`), and the execution parameters, in order, as SQL literals. */
  readonly queryString: string;
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
