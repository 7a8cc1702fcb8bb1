/**
 * The central log buckets' kinds and names: a small piece that both the schema (which validates against
 * the names) and `naming.ts` use, depending on nothing, so the schema never imports `naming.ts`.
 */

/** What a log bucket's name is made of. */
export interface LogBucketNameInput {
  readonly organization: { readonly namePrefix: string; readonly logArchiveAccountId: string };
  readonly regions: { readonly home: string };
}

/**
 * The kinds of central log bucket in the log-archive account. `s3-server-logs` receives the S3 server
 * access logs of the other four. It replaces the first release's `s3-access-logs`, created with Object
 * Lock, into which S3 never delivers access logs ("S3 buckets with Object Lock can't be used as
 * destination buckets for server access logs", S3 User Guide,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html); Object Lock cannot
 * be turned off, so that bucket is retired (README, "Upgrading from the first release", "The access-log bucket").
 */
export const LOG_BUCKET_KINDS = ['cloudtrail', 'config', 'flowlogs', 'guardduty', 's3-server-logs'] as const;

export type LogBucketKind = (typeof LOG_BUCKET_KINDS)[number];

/** `<prefix>-<kind>-<log-archive-account>-<home-region>`: globally unique, at most 63 characters. */
export function logBucketName(config: LogBucketNameInput, kind: LogBucketKind): string {
  return `${config.organization.namePrefix}-${kind}-${config.organization.logArchiveAccountId}-${config.regions.home}`;
}
