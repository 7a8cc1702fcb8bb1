/**
 * The defaults of the collector's options, and the error naming an option that cannot be used: kept
 * apart from the collector so that `bin/baseline` loads the AWS SDK only when `evidence` runs.
 */

/** The role assumed in every account when `--role-name` is not given. */
export const DEFAULT_EVIDENCE_ROLE_NAME = 'soc2-evidence-reader';

/** Session name of the assumed-role sessions, as CloudTrail records them. */
export const DEFAULT_SESSION_NAME = 'soc2-evidence';

/**
 * Attempts per request, throttling included. The adaptive retry mode also rate-limits the client
 * once it is throttled, so a large run slows down instead of failing; ten attempts ride out a burst.
 */
export const DEFAULT_MAX_ATTEMPTS = 10;

/**
 * Requests in flight at once, across every account and Region. An organization of 1,000 accounts x 17
 * Regions is about a million calls; at 50-150 ms a call, 64 in flight collect it within the hour
 * (docs/evidence.md, "Performance"), and taking the accounts in turn (collect.ts, planTasks) spreads
 * them over 64 or so accounts, whose API rates AWS counts per account and Region.
 */
export const DEFAULT_CONCURRENCY = 64;

/** Findings window (GuardDuty, Macie), days. */
export const DEFAULT_SINCE_DAYS = 90;

/** Log-file validation period, hours before now. */
export const DEFAULT_VALIDATE_LOGS_HOURS = 24;

/** Most findings read per service and Region. */
export const DEFAULT_MAX_FINDINGS = 10_000;

/** An option of `collectEvidence` (or its command-line twin) that cannot be used; names the option. */
export class EvidenceOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'EvidenceOptionError';
  }
}
