/**
 * The evidence model: what a collection run produces and the binder prints. One item is one judgement
 * of one control for one account, Region and resource, with the raw API responses it was judged on.
 */

/**
 * PASS: the control is in place as the config says. FAIL: it is not (the reason says what differs).
 * ERROR: the evidence could not be collected (access denied, throttled past the retries, an API the
 * account or Region does not offer): the control is neither shown effective nor shown broken.
 */
export type EvidenceStatus = 'PASS' | 'FAIL' | 'ERROR';

export const STATUSES: readonly EvidenceStatus[] = ['PASS', 'FAIL', 'ERROR'];

export interface EvidenceItem {
  /** Unique and stable across runs: `<control>/<account>/<region>[/<resource>]`. */
  readonly id: string;
  readonly controlId: string;
  /** The SOC 2 Trust Services Criteria the control serves. */
  readonly tsc: readonly string[];
  /** What was checked, in a few words. */
  readonly title: string;
  readonly status: EvidenceStatus;
  /** Why: what the response showed, against what the config says should exist. */
  readonly reason: string;
  readonly accountId: string;
  /** A Region code, or `global` for account-wide settings. */
  readonly region: string;
  /** The resource judged (bucket, trail ARN, rule name...), when there is one. */
  readonly resource?: string;
  /** When the evidence was collected (ISO 8601, from the run's clock). */
  readonly collectedAt: string;
  /** Names of the raw response files (`raw/<name>`) the judgement read. */
  readonly raw: readonly string[];
  /** The API reference pages of the response fields the judgement relies on. */
  readonly sources: readonly string[];
  /** Figures an auditor may want beside the status (counts by severity, files validated...). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** One API call's outcome as collected: the request and every page of the response, or the error. */
export interface RawRecord {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** `service:Operation`, e.g. `cloudtrail:DescribeTrails`. */
  readonly operation: string;
  readonly request: unknown;
  readonly collectedAt: string;
  /** Response pages, `$metadata` (request ids, attempts) removed so that the bytes are reproducible. */
  readonly responses?: readonly unknown[];
  readonly error?: { readonly name: string; readonly message: string; readonly attempts?: number };
  /** Set when the response was reduced to the fields the judgement reads (large finding lists). */
  readonly projection?: string;
}

/** The git history of the org config file: the changelog of the log policy. */
export type ConfigHistory =
  | {
      readonly available: true;
      readonly file: string;
      readonly commits: readonly ConfigCommit[];
      /** `git log --follow -p` of the file: every change, line by line. */
      readonly patch: string;
    }
  | { readonly available: false; readonly file: string; readonly reason: string };

export interface ConfigCommit {
  readonly hash: string;
  readonly author: string;
  readonly authorEmail: string;
  readonly date: string;
  readonly subject: string;
  readonly added: number;
  readonly removed: number;
}

export interface EvidenceRun {
  /** When the run started and ended (ISO 8601). */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Who collected it: the caller identity of the base credentials. */
  readonly collectedBy: string;
  readonly organizationId: string;
  readonly configFile?: string;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly roleName: string;
  /** Findings window, days. */
  readonly sinceDays: number;
  /** The audit period the period sections cover, ISO 8601 UTC: `from` inclusive, `to` exclusive. */
  readonly period: { readonly from: string; readonly to: string };
  /** The windows the period sections judge against (`alerts.triage` of the config), hours. */
  readonly triage: { readonly findingTriageHours: number; readonly alarmAcknowledgeHours: number };
  /** The investigation sample file given (`--investigation-sample`), if any. */
  readonly investigationSample?: string;
  /** Log-file validation window (ISO 8601 start and end), or why it was skipped. */
  readonly logValidation: { readonly start: string; readonly end: string } | { readonly skipped: string };
  /** What the config switches off on purpose, with its recorded reason: the exceptions an auditor reviews. */
  readonly exceptions: readonly { readonly kind: string; readonly id: string; readonly reason: string }[];
}

export interface EvidenceResult {
  readonly run: EvidenceRun;
  /** Sorted by id. */
  readonly items: readonly EvidenceItem[];
  /** By name. */
  readonly raw: ReadonlyMap<string, RawRecord>;
  readonly history?: ConfigHistory;
}

export interface StatusCounts {
  PASS: number;
  FAIL: number;
  ERROR: number;
}

export function countStatuses(items: readonly EvidenceItem[]): StatusCounts {
  const counts: StatusCounts = { PASS: 0, FAIL: 0, ERROR: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
}

/**
 * The run's exit code: 1 when any control fails (a scheduled pipeline then alerts); else 3 when some
 * evidence could not be collected (the binder is incomplete); else 0.
 */
export function exitCodeOf(items: readonly EvidenceItem[]): number {
  return exitCodeOfCounts(countStatuses(items));
}

export function exitCodeOfCounts(counts: StatusCounts): number {
  if (counts.FAIL > 0) return 1;
  if (counts.ERROR > 0) return 3;
  return 0;
}
