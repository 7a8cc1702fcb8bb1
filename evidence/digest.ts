/**
 * CloudTrail log file integrity validation, as `aws cloudtrail validate-logs` does it, for the
 * organization trail: for each account and Region, the digest files of the period, newest first,
 * following each digest's link to the previous one.
 *
 * - A digest is valid when it is where it says it is (`digestS3Bucket`/`digestS3Object`), and its RSA
 *   signature (SHA256withRSA, hex, in the object's `x-amz-meta-signature`, or, for a previous digest,
 *   the `previousDigestSignature` its successor recorded) verifies with the Region's public key whose
 *   fingerprint is `digestPublicKeyFingerprint` (CloudTrail ListPublicKeys) over the data signing string
 *
 *       digestEndTime + "\n" + digestS3Bucket + "/" + digestS3Object + "\n"
 *         + hex(SHA-256(uncompressed digest)) + "\n" + previousDigestSignature
 *
 *   ("null" when there is no previous digest, as the AWS CLI and the Java reference implementation do).
 * - Each log file a valid digest lists is valid when the SHA-256 of its uncompressed content equals the
 *   digest's `hashValue`; otherwise it was modified; absent, it was deleted. By default the files are not
 *   all read: while the bucket's versioning is Enabled and Object Lock is enabled with a default
 *   retention that still holds them, a log file whose key has exactly one version and no delete marker
 *   (S3 ListObjectVersions) is the object CloudTrail delivered: a locked version can be neither deleted
 *   nor overwritten in place, and versioning cannot be suspended on an Object Lock bucket (S3 User Guide,
 *   "Object Lock considerations": https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html;
 *   "Locking objects with Object Lock": https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html),
 *   so an overwrite shows as a second version and a deletion as a delete marker. A deterministic sample
 *   of the files is hashed besides (`LogFileOptions.sample`); when the bucket is not so configured, every
 *   file is hashed, as the AWS CLI does, and the report says why.
 * - The chain: a previous digest must exist and hash to its successor's `previousDigestHashValue`; a
 *   digest with no previous link while older digests exist is a gap (logging or validation was off).
 *
 * Sources: CloudTrail User Guide, "CloudTrail digest file structure"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html),
 * "Custom implementations of CloudTrail log file integrity validation"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html), and
 * "Validating CloudTrail log file integrity with the AWS CLI"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-cli.html).
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { GetBucketVersioningCommand, GetObjectCommand, GetObjectLockConfigurationCommand, ListObjectVersionsCommand, ListObjectsV2Command, S3Client, type ObjectLockConfiguration } from '@aws-sdk/client-s3';
import { baselineOwnsOrgTrail, logBucketName, orgTrailName } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { describeError, isNotFound } from './aws';
import { shared, Task, type CollectContext } from './context';
import { DOC } from './sources';

/** Where the digest and log files are read. */
export interface ObjectStore {
  /** Every key under `prefix` after `startAfter`, in key order. */
  list(bucket: string, prefix: string, startAfter?: string): Promise<string[]>;
  /** The object's bytes and user metadata (`x-amz-meta-*`, keys without the prefix); undefined when there is no such key. */
  get(bucket: string, key: string): Promise<{ readonly body: Uint8Array; readonly metadata: Readonly<Record<string, string>> } | undefined>;
  /**
   * Every version and delete marker of the keys under `prefix` (S3 ListObjectVersions, every page).
   * @default - none: the store cannot list versions, and every log file is hashed
   */
  versions?(bucket: string, prefix: string): Promise<VersionListing>;
}

/** One entry of a ListObjectVersions answer: a version (`Versions`) or a delete marker (`DeleteMarkers`). */
export interface ObjectVersionEntry {
  readonly key: string;
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly deleteMarker: boolean;
  /** When the version was written (ListObjectVersions `LastModified`, ISO 8601). @default - unknown: the version proves nothing */
  readonly lastModified?: string;
}

export interface VersionListing {
  readonly entries: readonly ObjectVersionEntry[];
  /** Pages read (ListObjectVersions calls). */
  readonly pages: number;
  /** The page cap was reached with more to read: the listing is incomplete, and proves nothing. */
  readonly capped: boolean;
}

/**
 * Log files hashed per account and Region when the versions prove the rest unchanged. 4: a hash of a
 * few files checks, in every account and Region, what the versions cannot (that the files CloudTrail
 * delivered are readable and hash as their digests say, so a wrong premise, such as files rewritten
 * before Object Lock held them or a reader that can no longer decrypt, shows), for 4 GetObject calls
 * against the ~25 digest reads of a day; each file's own proof is its single version.
 */
export const DEFAULT_LOG_FILE_SAMPLE = 4;

/**
 * How long after the end of the digest that lists it a log file's only version may have been written,
 * minutes. A digest lists the log files delivered during the hour it covers (CloudTrail User Guide,
 * "CloudTrail digest file structure":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html),
 * so the delivered object was written by its `digestEndTime`; a version written later is a copy put
 * after the delivered one was removed (a GOVERNANCE bypass, or a file delivered before the retention
 * held it). The allowance is for clocks and request times (this project's figure, not an AWS one).
 */
export const REPLACED_AFTER_DIGEST_MINUTES = 15;

/** Most ListObjectVersions pages read per folder (1,000 versions a page): beyond, the listing is capped. */
export const MAX_VERSION_PAGES = 100;

/** Whether the bucket's versions can prove a log file unchanged (versioning and Object Lock, read once per run). */
export type VersionProof =
  | {
      readonly ok: true;
      /** The default retention mode (GOVERNANCE: a principal allowed s3:BypassGovernanceRetention can remove a locked version). */
      readonly mode: string;
      /** What was read, in words (the item's reason). */
      readonly basis: string;
    }
  | { readonly ok: false; readonly reason: string };

export interface LogFileOptions {
  /**
   * Log files hashed per account and Region besides the versions' proof: that many, chosen as the
   * smallest SHA-256 of their keys (the same files in every run and shard), or `'all'` to hash every one.
   * @default 'all' - every log file hashed, as `aws cloudtrail validate-logs` does
   */
  readonly sample?: number | 'all';
  /**
   * Whether the bucket's versions prove the other files unchanged.
   * @default - not proven: every log file is hashed
   */
  readonly versionProof?: VersionProof;
}

/** How the log files were judged. */
export interface LogProof {
  /** `versions`: each file by its versions, `sample` of them hashed besides; `hash`: every file hashed. */
  readonly method: 'versions' | 'hash';
  /** Why every file was hashed (the bucket's configuration, or `--log-file-sample all`). */
  readonly reason?: string;
  /** Log files the valid digests list. */
  readonly listed: number;
  /** Of them, those hashed. */
  readonly hashed: number;
  /** ListObjectVersions calls made. */
  readonly versionPages: number;
  /** Why the versions could not be listed (the item is an ERROR unless it FAILs anyway). */
  readonly error?: string;
}

export interface DigestPublicKey {
  readonly fingerprint: string;
  /** DER, PKCS #1 (ListPublicKeys `Value`). */
  readonly value: Uint8Array;
}

/** The Region's public keys valid in a period (CloudTrail ListPublicKeys). */
export type PublicKeySource = (start: Date, end: Date) => Promise<readonly DigestPublicKey[]>;

export interface DigestScope {
  readonly bucket: string;
  /** The trail's S3 key prefix. @default - none */
  readonly prefix?: string;
  /** Set for an organization trail: its digests are under `AWSLogs/<org id>/<account>/`. @default - not an organization trail */
  readonly organizationId?: string;
  /** The account whose digests are validated. */
  readonly accountId: string;
  /** The Region whose digests are validated (each Region has its own chain and key). */
  readonly region: string;
  readonly trailName: string;
  readonly homeRegion: string;
  readonly start: Date;
  readonly end: Date;
}

export type FileVerdict = 'valid' | 'modified' | 'missing' | 'invalid';

export interface FileResult {
  readonly kind: 'digest' | 'log';
  readonly key: string;
  readonly verdict: FileVerdict;
  readonly message?: string;
  /** How a log file was judged: by its versions, by its hash, or both. @default - by its hash (digests: their signature) */
  readonly proof?: 'versions' | 'hash' | 'versions+hash';
}

export interface ValidationReport {
  readonly digests: { valid: number; invalid: number; missing: number };
  readonly logs: { valid: number; modified: number; missing: number };
  /** Links between digests that do not hold: a previous digest missing or different, or a gap. */
  readonly chainBreaks: number;
  /** Every file examined, in the order examined. */
  readonly files: readonly FileResult[];
  /** What is wrong, one line per problem, as the AWS CLI words it. */
  readonly problems: readonly string[];
  /** The period the valid digests cover. */
  readonly covered?: { readonly start: string; readonly end: string };
  readonly logProof: LogProof;
}

const REQUIRED = ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime'] as const;

interface DigestFile {
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm?: string;
  previousDigestS3Bucket?: string | null;
  previousDigestS3Object?: string | null;
  previousDigestHashValue?: string | null;
  previousDigestHashAlgorithm?: string | null;
  previousDigestSignature: string | null;
  logFiles?: { s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm?: string }[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const compact = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
const ymd = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `<prefix>/AWSLogs/[<org>/]<account>/CloudTrail-Digest/<region>/`: where one chain lives. */
export function digestFolder(scope: DigestScope): string {
  return `${scope.prefix ? `${scope.prefix}/` : ''}AWSLogs/${scope.organizationId ? `${scope.organizationId}/` : ''}${scope.accountId}/CloudTrail-Digest/${scope.region}/`;
}

/** The digest's end time from its key (`..._<trail>_<home region>_YYYYMMDDTHHMMSSZ.json.gz`), or undefined for another file. */
export function digestKeyTime(scope: DigestScope, key: string): string | undefined {
  const name = `${scope.accountId}_CloudTrail-Digest_${scope.region}_${scope.trailName}_${scope.homeRegion}_`;
  const match = new RegExp(`^${escape(digestFolder(scope))}\\d{4}/\\d{2}/\\d{2}/${escape(name)}(\\d{8}T\\d{6}Z)\\.json\\.gz$`).exec(key);
  return match?.[1];
}

function toPublicKey(value: Uint8Array): KeyObject {
  const der = Buffer.from(value);
  try {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    try {
      return createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      // Some tools hand the key over base64-encoded, as the CLI prints it.
      return createPublicKey({ key: Buffer.from(der.toString('ascii'), 'base64'), format: 'der', type: 'pkcs1' });
    }
  }
}

/** The data signing string of a digest (CloudTrail User Guide, custom implementations, step D). */
export function signingString(digest: Pick<DigestFile, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, uncompressed: Uint8Array): string {
  return `${digest.digestEndTime}\n${digest.digestS3Bucket}/${digest.digestS3Object}\n${sha256(uncompressed)}\n${digest.previousDigestSignature ?? 'null'}`;
}

export async function validateLogs(store: ObjectStore, publicKeys: PublicKeySource, scope: DigestScope, options: LogFileOptions = {}): Promise<ValidationReport> {
  const digests = { valid: 0, invalid: 0, missing: 0 };
  const logs = { valid: 0, modified: 0, missing: 0 };
  const files: FileResult[] = [];
  const problems: string[] = [];
  let chainBreaks = 0;
  let coveredStart: string | undefined;
  let coveredEnd: string | undefined;
  /** The log files the valid digests list, judged once every digest is read. */
  const listedLogs: ListedLog[] = [];

  // Digests whose key time is in [start, end + 1 hour] (the AWS CLI adds the hour: logs delivered
  // near the end of the period are listed by the next digest).
  const folder = digestFolder(scope);
  const from = compact(scope.start);
  const to = compact(new Date(scope.end.getTime() + 3_600_000));
  const listed = (await store.list(scope.bucket, folder, `${folder}${ymd(new Date(scope.start.getTime() - 86_400_000))}/`))
    .map((key) => ({ key, time: digestKeyTime(scope, key) }))
    .filter((d): d is { key: string; time: string } => d.time !== undefined && d.time >= from && d.time <= to)
    .sort((a, b) => (a.time === b.time ? a.key.localeCompare(b.key) : a.time.localeCompare(b.time)));
  if (listed.length === 0) {
    return {
      digests,
      logs,
      chainBreaks,
      files,
      problems: [`no digest files in s3://${scope.bucket}/${folder} between ${scope.start.toISOString()} and ${scope.end.toISOString()}`],
      logProof: { method: 'hash', listed: 0, hashed: 0, versionPages: 0 },
    };
  }
  const keys = new Map<string, KeyObject>();
  for (const k of await publicKeys(scope.start, scope.end)) {
    try {
      keys.set(k.fingerprint, toPublicKey(k.value));
    } catch {
      // A key that cannot be read leaves its digests unverifiable: reported per digest below.
    }
  }
  const remaining = listed.map((d) => d.key);
  /** The newest listed digest older than `time`, removed from the list. */
  const nextOlder = (time: string): string | undefined => {
    while (remaining.length) {
      const key = remaining.pop() as string;
      if ((digestKeyTime(scope, key) ?? '') < time) return key;
    }
    return undefined;
  };

  let key: string | undefined = remaining.pop();
  let bucket = scope.bucket;
  // What the newer digest recorded about this one (undefined for the newest, or after a break).
  let expected: { signature: string; hash?: string; successor: string } | undefined;
  let lastStart = scope.end.toISOString();
  const breakChain = (message: string) => {
    chainBreaks += 1;
    problems.push(message);
  };
  const invalid = (message: string) => {
    digests.invalid += 1;
    files.push({ kind: 'digest', key: key as string, verdict: 'invalid', message });
    problems.push(`Digest file s3://${bucket}/${key} INVALID: ${message}`);
  };

  while (key && lastStart >= scope.start.toISOString()) {
    const keyTime = digestKeyTime(scope, key) ?? '';
    const object = await store.get(bucket, key);
    if (!object) {
      digests.missing += 1;
      files.push({ kind: 'digest', key, verdict: 'missing' });
      problems.push(`Digest file s3://${bucket}/${key} INVALID: not found`);
      if (expected) breakChain(`chain broken: ${expected.successor} links to ${key}, which is missing`);
      expected = undefined;
      key = nextOlder(keyTime);
      bucket = scope.bucket;
      continue;
    }
    let uncompressed: Buffer;
    let digest: DigestFile;
    try {
      uncompressed = gunzipSync(object.body);
      digest = JSON.parse(uncompressed.toString('utf8')) as DigestFile;
    } catch {
      invalid('invalid format');
      expected = undefined;
      key = nextOlder(keyTime);
      continue;
    }
    const hash = sha256(uncompressed);
    const missingFields = REQUIRED.filter((f) => !(f in digest));
    const signature = expected?.signature ?? object.metadata['signature'];
    const publicKey = keys.get(digest.digestPublicKeyFingerprint);
    let failure: string | undefined;
    if (missingFields.length) failure = `invalid format (missing ${missingFields.join(', ')})`;
    else if (digest.digestS3Bucket !== bucket || digest.digestS3Object !== key) failure = 'has been moved from its original location';
    else if (expected?.hash && expected.hash.toLowerCase() !== hash) {
      breakChain(`chain broken: ${key} does not hash to the previousDigestHashValue recorded by ${expected.successor}`);
      failure = 'hash does not match the previousDigestHashValue of the next digest';
    } else if (!signature) failure = 'no signature (x-amz-meta-signature)';
    else if (!publicKey) failure = `public key not found in region ${scope.region} for fingerprint ${digest.digestPublicKeyFingerprint}`;
    else if (!verify('sha256', Buffer.from(signingString(digest, uncompressed), 'utf8'), publicKey, Buffer.from(signature, 'hex'))) {
      failure = 'signature verification failed';
    }
    if (failure) {
      invalid(failure);
      // An invalid digest's links cannot be trusted: go on from the next older digest listed.
      expected = undefined;
      key = nextOlder(keyTime);
      continue;
    }

    digests.valid += 1;
    files.push({ kind: 'digest', key, verdict: 'valid' });
    coveredEnd ??= digest.digestEndTime;
    coveredStart = digest.digestStartTime;
    lastStart = new Date(digest.digestStartTime).toISOString();
    listedLogs.push(...(digest.logFiles ?? []).map((l) => ({ ...l, digestEndTime: digest.digestEndTime })));

    if (digest.previousDigestS3Object) {
      const previous: string = digest.previousDigestS3Object;
      expected = { signature: digest.previousDigestSignature ?? '', hash: digest.previousDigestHashValue ?? undefined, successor: key };
      bucket = digest.previousDigestS3Bucket ?? scope.bucket;
      const at = remaining.indexOf(previous);
      if (at >= 0) remaining.splice(at, 1);
      key = previous;
    } else {
      expected = undefined;
      const older = nextOlder(keyTime);
      // No link while older digests exist: CloudTrail was not digesting in between.
      if (older) breakChain(`gap: ${key} has no previous digest, but ${older} is older (no digests were delivered in between: logging or validation was off)`);
      key = older;
      bucket = scope.bucket;
    }
  }
  const logProof = await judgeLogFiles(store, scope, options, listedLogs, (file, problem) => {
    logs[file.verdict as keyof typeof logs] += 1;
    files.push(file);
    if (problem) problems.push(problem);
  });
  return { digests, logs, chainBreaks, files, problems, ...(coveredStart && coveredEnd ? { covered: { start: coveredStart, end: coveredEnd } } : {}), logProof };
}

/** A log file a valid digest lists, and that digest's `digestEndTime` (by when it was delivered). */
type ListedLog = { readonly s3Bucket: string; readonly s3Object: string; readonly hashValue: string; readonly digestEndTime?: string };

/** A log file's verdict by its content: the SHA-256 of the uncompressed object against the digest's `hashValue`. */
async function hashVerdict(store: ObjectStore, log: ListedLog): Promise<{ verdict: 'valid' | 'modified' | 'missing'; message?: string; problem?: string }> {
  const object = await store.get(log.s3Bucket, log.s3Object);
  if (!object) return { verdict: 'missing', problem: `Log file s3://${log.s3Bucket}/${log.s3Object} INVALID: not found` };
  let actual: string;
  try {
    actual = sha256(gunzipSync(object.body));
  } catch {
    actual = 'not gzip';
  }
  if (actual === log.hashValue.toLowerCase()) return { verdict: 'valid' };
  return { verdict: 'modified', message: `expected ${log.hashValue}, got ${actual}`, problem: `Log file s3://${log.s3Bucket}/${log.s3Object} INVALID: hash value doesn't match` };
}

/**
 * A log file's verdict by its versions (ListObjectVersions entries of its key): one version and no
 * delete marker is the delivered object, when (given `deliveredBy`, the `digestEndTime` of the digest
 * listing it) that version was written no later than `deliveredBy` plus REPLACED_AFTER_DIGEST_MINUTES.
 */
export function versionVerdict(entries: readonly ObjectVersionEntry[], deliveredBy?: string): { verdict: 'valid' | 'modified' | 'missing'; message: string } {
  const versions = entries.filter((e) => !e.deleteMarker);
  const markers = entries.filter((e) => e.deleteMarker);
  if (markers.some((m) => m.isLatest)) return { verdict: 'missing', message: `deleted: a delete marker is its latest version (${versions.length} version(s) behind it)` };
  if (versions.length === 0) return { verdict: 'missing', message: 'no version' };
  if (versions.length > 1) return { verdict: 'modified', message: `overwritten: ${versions.length} versions since delivery` };
  if (markers.length) return { verdict: 'modified', message: `deleted and written again: ${markers.length} delete marker(s) older than its only version` };
  if (deliveredBy !== undefined) {
    const written = versions[0].lastModified;
    const by = Date.parse(deliveredBy);
    if (written === undefined || Number.isNaN(Date.parse(written))) return { verdict: 'modified', message: 'its only version has no LastModified: not shown to be the one delivered' };
    if (Number.isNaN(by)) return { verdict: 'modified', message: `its digest's digestEndTime ${JSON.stringify(deliveredBy)} is not a time: not shown to be the one delivered` };
    if (Date.parse(written) > by + REPLACED_AFTER_DIGEST_MINUTES * 60_000) {
      return { verdict: 'modified', message: `replaced after delivery: its only version was written ${new Date(written).toISOString()}, after the end of the digest listing it (${deliveredBy}) plus ${REPLACED_AFTER_DIGEST_MINUTES} minutes` };
    }
  }
  return { verdict: 'valid', message: 'one version since delivery, no delete marker' };
}

/** The `n` keys with the smallest SHA-256 (of the key): the same sample in every run and shard. */
export function sampleKeys(keys: readonly string[], n: number): Set<string> {
  return new Set(
    [...new Set(keys)]
      .map((key) => ({ key, h: sha256(Buffer.from(key, 'utf8')) }))
      .sort((a, b) => (a.h === b.h ? a.key.localeCompare(b.key) : a.h.localeCompare(b.h)))
      .slice(0, Math.max(0, n))
      .map((k) => k.key),
  );
}

/**
 * Judges the log files the valid digests list: by their versions (each one version, no delete marker)
 * plus a hashed sample, when the bucket's versioning and Object Lock make that a proof; else by hashing
 * every one.
 */
async function judgeLogFiles(
  store: ObjectStore,
  scope: DigestScope,
  options: LogFileOptions,
  listed: readonly ListedLog[],
  record: (file: FileResult, problem?: string) => void,
): Promise<LogProof> {
  const sample = options.sample ?? 'all';
  const proof = options.versionProof;
  const byVersions = sample !== 'all' && proof?.ok === true && store.versions !== undefined;
  if (!byVersions) {
    for (const log of listed) {
      const v = await hashVerdict(store, log);
      record({ kind: 'log', key: log.s3Object, verdict: v.verdict, ...(v.message ? { message: v.message } : {}) }, v.problem);
    }
    const reason =
      sample === 'all'
        ? 'the log file sample is all'
        : !proof
          ? "the bucket's versioning and Object Lock were not read"
          : !proof.ok
            ? proof.reason
            : 'the store cannot list object versions';
    return { method: 'hash', reason, listed: listed.length, hashed: listed.length, versionPages: 0 };
  }

  // The listing proves only for the bucket whose configuration was read; a file listed elsewhere is hashed.
  const here = listed.filter((l) => l.s3Bucket === scope.bucket);
  const folders = [...new Set(here.map((l) => l.s3Object.slice(0, l.s3Object.lastIndexOf('/') + 1)))].sort();
  const entries = new Map<string, ObjectVersionEntry[]>();
  let versionPages = 0;
  let error: string | undefined;
  for (const prefix of folders) {
    try {
      const listing = await (store.versions as NonNullable<ObjectStore['versions']>)(scope.bucket, prefix);
      versionPages += listing.pages;
      if (listing.capped) {
        error = `s3:ListObjectVersions of s3://${scope.bucket}/${prefix} stopped at ${listing.pages} pages with more to list: the listing is incomplete`;
        break;
      }
      for (const e of listing.entries) entries.set(e.key, [...(entries.get(e.key) ?? []), e]);
    } catch (e) {
      error = `s3:ListObjectVersions of s3://${scope.bucket}/${prefix}: ${describeError(e)}`;
      break;
    }
  }
  const hashed = sampleKeys(
    here.map((l) => l.s3Object),
    sample,
  );
  let hashedCount = 0;
  for (const log of listed) {
    const inBucket = log.s3Bucket === scope.bucket;
    if (inBucket && error) continue; // Not judged: the item is an ERROR (or FAILs on what else was found).
    const byVersion = inBucket ? versionVerdict(entries.get(log.s3Object) ?? [], log.digestEndTime ?? '?') : undefined;
    if (byVersion && byVersion.verdict !== 'valid') {
      const problem = `Log file s3://${log.s3Bucket}/${log.s3Object} INVALID: ${byVersion.verdict === 'missing' ? `not found (${byVersion.message})` : byVersion.message}`;
      record({ kind: 'log', key: log.s3Object, verdict: byVersion.verdict, message: byVersion.message, proof: 'versions' }, problem);
      continue;
    }
    if (byVersion && !hashed.has(log.s3Object)) {
      record({ kind: 'log', key: log.s3Object, verdict: 'valid', proof: 'versions' });
      continue;
    }
    hashedCount += 1;
    const v = await hashVerdict(store, log);
    record({ kind: 'log', key: log.s3Object, verdict: v.verdict, ...(v.message ? { message: v.message } : {}), proof: byVersion ? 'versions+hash' : 'hash' }, v.problem);
  }
  return { method: 'versions', listed: listed.length, hashed: hashedCount, versionPages, ...(error ? { error } : {}) };
}

/**
 * The calls the `evidence:ValidateLogs` record stands for: one record per account and Region sums up
 * every digest and log file read (the files and their verdicts are listed in it).
 */
export const VALIDATE_LOGS_CALLS = ['s3:ListObjectsV2', 's3:GetObject', 's3:ListObjectVersions'] as const;

/** Reads the log archive through S3, each request through the run's limiter. */
export function s3ObjectStore(s3: S3Client, limit: <T>(fn: () => Promise<T>) => Promise<T>): ObjectStore {
  return {
    async list(bucket, prefix, startAfter) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await limit(() => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: startAfter, ContinuationToken: token })));
        keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    // ListObjectVersions: `Versions` and `DeleteMarkers` (Key, VersionId, IsLatest, LastModified), a truncated answer
    // continued from NextKeyMarker/NextVersionIdMarker as KeyMarker/VersionIdMarker
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html).
    async versions(bucket, prefix) {
      const entries: ObjectVersionEntry[] = [];
      let pages = 0;
      let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
      while (pages < MAX_VERSION_PAGES) {
        const page = await limit(() => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...marker })));
        pages += 1;
        for (const v of page.Versions ?? []) {
          entries.push({ key: v.Key as string, versionId: v.VersionId ?? 'null', isLatest: v.IsLatest === true, deleteMarker: false, ...(v.LastModified ? { lastModified: v.LastModified.toISOString() } : {}) });
        }
        for (const m of page.DeleteMarkers ?? []) entries.push({ key: m.Key as string, versionId: m.VersionId ?? 'null', isLatest: m.IsLatest === true, deleteMarker: true });
        if (!page.IsTruncated) return { entries, pages, capped: false };
        if (!page.NextKeyMarker) break;
        marker = { KeyMarker: page.NextKeyMarker, ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}) };
      }
      return { entries, pages, capped: true };
    },
    async get(bucket, key) {
      try {
        return await limit(async () => {
          const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
          return { body, metadata: out.Metadata ?? {} };
        });
      } catch (e) {
        if (isNotFound(e, 'NoSuchKey', 'NotFound')) return undefined;
        throw e;
      }
    },
  };
}

/**
 * Whether versioning and Object Lock make the bucket's versions a proof that a log file is the one
 * delivered: versioning `Status` Enabled (GetBucketVersioning:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html), `ObjectLockEnabled`
 * Enabled with a `DefaultRetention` (Mode, Days or Years) long enough that every file of the window is
 * still retained (GetObjectLockConfiguration:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLockConfiguration.html). A version is
 * locked until its retention ends; the default retention applies to versions written after it was set
 * (S3 User Guide, "Locking objects with Object Lock": https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
 */
export function judgeVersionProof(versioningStatus: string | undefined, lock: ObjectLockConfiguration | undefined, windowStart: Date, now: Date): VersionProof {
  if (versioningStatus !== 'Enabled') return { ok: false, reason: `the bucket's versioning is ${versioningStatus ?? 'not enabled'}, not Enabled` };
  if (lock?.ObjectLockEnabled !== 'Enabled') return { ok: false, reason: "the bucket's Object Lock is not enabled" };
  const retention = lock.Rule?.DefaultRetention;
  const days = retention?.Days ?? (retention?.Years !== undefined ? retention.Years * 365 : undefined);
  if (!retention?.Mode || days === undefined) return { ok: false, reason: "the bucket's Object Lock has no default retention (a version is locked only when written with its own)" };
  // The oldest file judged was delivered up to an hour before the window (listed by the digest that straddles its start).
  const oldest = windowStart.getTime() - 3_600_000;
  if (oldest + days * 86_400_000 <= now.getTime()) {
    return { ok: false, reason: `the bucket's default retention (${days} days) ended for files delivered since ${new Date(oldest).toISOString()}` };
  }
  return { ok: true, mode: retention.Mode, basis: `versioning Enabled, Object Lock default retention ${retention.Mode} ${days} days` };
}

/** The log archive bucket's versioning and Object Lock, read once per run in the log-archive account (the log reader is not granted these reads). */
function versionProofOf(task: Task, config: BaselineConfig, bucket: string, windowStart: Date): Promise<{ proof: VersionProof; raw: readonly string[] }> {
  const accountId = config.organization.logArchiveAccountId;
  const region = config.regions.home;
  return shared(task.ctx, `log-validation-proof/${bucket}`, { label: 'log archive versioning', accountId, region }, async (t) => {
    const s3 = t.client(S3Client, region, accountId);
    const start = t.rawNames.length;
    const key = `${bucket}.log-file-validation`;
    try {
      const versioning = await t.call('s3:GetBucketVersioning', { Bucket: bucket }, () => s3.send(new GetBucketVersioningCommand({ Bucket: bucket })), { accountId, region, key });
      let lock: ObjectLockConfiguration | undefined;
      try {
        lock = (await t.call('s3:GetObjectLockConfiguration', { Bucket: bucket }, () => s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })), { accountId, region, key })).ObjectLockConfiguration;
      } catch (e) {
        if (!isNotFound(e, 'ObjectLockConfigurationNotFoundError')) throw e;
      }
      return { proof: judgeVersionProof(versioning.Status, lock, windowStart, t.ctx.now()), raw: t.rawNames.slice(start) };
    } catch (e) {
      return { proof: { ok: false, reason: `the bucket's versioning and Object Lock could not be read (${describeError(e)})` }, raw: t.rawNames.slice(start) };
    }
  });
}

/** The log-file part of the item's reason: what was proven, and how. */
function logsPhrase(report: ValidationReport, proof: VersionProof): string {
  const { logs, logProof: p } = report;
  const counts = `${logs.valid} valid, ${logs.modified} modified, ${logs.missing} missing`;
  if (p.method === 'hash') return `log files ${counts}, every one hashed (${p.reason})`;
  const how = proof.ok
    ? `${proof.basis}${proof.mode === 'GOVERNANCE' ? '; in GOVERNANCE mode a principal allowed s3:BypassGovernanceRetention could still remove a version' : ''}`
    : '';
  if (p.error) return `log files ${p.listed} listed, not judged by their versions: ${p.error}`;
  const clean = logs.modified + logs.missing === 0;
  return `log files ${p.listed} listed, ${counts}: each judged by its versions since delivery (${how})${clean ? ', none overwritten or deleted' : ''}; ${p.hashed} of them hashed (chosen by the SHA-256 of their keys)${clean ? ', valid' : ''}`;
}

/**
 * One task per account and Region of the selection: the organization trail's digests of that account
 * and Region. The public keys of a Region are read once (ListPublicKeys, management account).
 */
export function digestTasks(ctx: CollectContext, pairs: readonly (readonly [string, string])[]): Task[] {
  const { config, settings } = ctx;
  const window = settings.logValidation;
  const reader = settings.logReaderRoleArn;
  if (!window || !baselineOwnsOrgTrail(config)) return [];
  const management = config.organization.managementAccountId;
  const bucket = logBucketName(config, 'cloudtrail');
  return pairs.map(
    ([accountId, region]) =>
      new Task(ctx, { label: 'log file validation', accountId, region, controls: ['cloudtrail.log-file-validation'], resource: `digests/${orgTrailName(config)}` }, async (task) => {
        if (!reader) {
          throw new Error('no log reader role: pass --log-reader-role-arn or list one in logArchive.readerRoleArns (the log archive denies object reads to every other principal)');
        }
        // Read once per Region, as an answer of its own (a `shared` unit): every task, shard and resumed
        // run names the same record.
        const cached = await shared(ctx, `cloudtrail-public-keys/${region}`, { label: 'CloudTrail public keys', accountId: management, region }, async (keyTask) => {
          const ct = keyTask.client(CloudTrailClient, region, management);
          const pages = await keyTask.paginate(
            'cloudtrail:ListPublicKeys',
            { StartTime: window.start, EndTime: window.end },
            (token) => ct.send(new ListPublicKeysCommand({ StartTime: window.start, EndTime: window.end, NextToken: token })),
            (p) => p.NextToken,
            { accountId: management },
          );
          const keys: readonly DigestPublicKey[] = pages.flatMap((p) => p.PublicKeyList ?? []).filter((k) => k.Fingerprint && k.Value).map((k) => ({ fingerprint: k.Fingerprint as string, value: k.Value as Uint8Array }));
          return { keys, raw: [...keyTask.rawNames] };
        });
        const keys = cached.keys;
        const s3 = task.clientForRole(S3Client, reader, config.regions.home);
        const sample = settings.logFileSample ?? DEFAULT_LOG_FILE_SAMPLE;
        const { proof, raw: proofRaw } = sample === 'all' ? { proof: { ok: false, reason: 'the log file sample is all' } as VersionProof, raw: [] } : await versionProofOf(task, config, bucket, window.start);
        const report = await validateLogs(s3ObjectStore(s3, (fn) => ctx.limiter.run(fn)), async () => keys, {
          bucket,
          organizationId: config.organization.id,
          accountId,
          region,
          trailName: orgTrailName(config),
          homeRegion: config.regions.home,
          start: window.start,
          end: window.end,
        }, { sample, versionProof: proof });
        const name = task.recordRaw({
          name: `${accountId}.${region}.cloudtrail.ValidateLogs.json`,
          accountId,
          region,
          operation: 'evidence:ValidateLogs',
          request: { bucket, folder: digestFolder({ bucket, organizationId: config.organization.id, accountId, region, trailName: orgTrailName(config), homeRegion: config.regions.home, start: window.start, end: window.end }), start: window.start.toISOString(), end: window.end.toISOString() },
          collectedAt: ctx.now().toISOString(),
          responses: [report],
        });
        const bad = report.digests.invalid + report.digests.missing + report.logs.modified + report.logs.missing + report.chainBreaks;
        const none = report.digests.valid + report.digests.invalid + report.digests.missing === 0;
        const counts = `digests ${report.digests.valid} valid, ${report.digests.invalid} invalid, ${report.digests.missing} missing; ${logsPhrase(report, proof)}; ${report.chainBreaks} chain break(s)`;
        const listingError = report.logProof.error;
        task.item({
          controlId: 'cloudtrail.log-file-validation',
          title: `Log file integrity, ${window.start.toISOString()} to ${window.end.toISOString()}`,
          // A listing that failed proves nothing about the files: ERROR, unless something found FAILs anyway.
          status: bad || none ? 'FAIL' : listingError ? 'ERROR' : 'PASS',
          reason: none
            ? report.problems[0]
            : bad
              ? `${counts}: ${report.problems.slice(0, 10).join('; ')}${report.problems.length > 10 ? `; and ${report.problems.length - 10} more (see raw)` : ''}`
              : `${counts}${report.covered ? `, covering ${report.covered.start} to ${report.covered.end}` : ''}`,
          raw: [...cached.raw, ...proofRaw, name],
          sources: [
            DOC.cloudTrail.listPublicKeys,
            DOC.cloudTrail.digestStructure,
            DOC.cloudTrail.customValidation,
            DOC.cloudTrail.validationCli,
            DOC.s3.listObjectsV2,
            DOC.s3.getObject,
            ...(report.logProof.method === 'versions' ? [DOC.s3.listObjectVersions, DOC.s3.getBucketVersioning, DOC.s3.getObjectLockConfiguration, DOC.s3.objectLock] : proofRaw.length ? [DOC.s3.getBucketVersioning, DOC.s3.getObjectLockConfiguration] : []),
          ],
          details: { digests: report.digests, logs: report.logs, chainBreaks: report.chainBreaks, logProof: report.logProof },
        });
      }),
  );
}

