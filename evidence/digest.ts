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
 *   digest's `hashValue`; otherwise it was modified; absent, it was deleted.
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
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { baselineOwnsOrgTrail, logBucketName, orgTrailName } from '../config/naming';
import { isNotFound } from './aws';
import { Task, type CollectContext } from './context';
import { DOC } from './sources';

/** Where the digest and log files are read. */
export interface ObjectStore {
  /** Every key under `prefix` after `startAfter`, in key order. */
  list(bucket: string, prefix: string, startAfter?: string): Promise<string[]>;
  /** The object's bytes and user metadata (`x-amz-meta-*`, keys without the prefix); undefined when there is no such key. */
  get(bucket: string, key: string): Promise<{ readonly body: Uint8Array; readonly metadata: Readonly<Record<string, string>> } | undefined>;
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

export async function validateLogs(store: ObjectStore, publicKeys: PublicKeySource, scope: DigestScope): Promise<ValidationReport> {
  const digests = { valid: 0, invalid: 0, missing: 0 };
  const logs = { valid: 0, modified: 0, missing: 0 };
  const files: FileResult[] = [];
  const problems: string[] = [];
  let chainBreaks = 0;
  let coveredStart: string | undefined;
  let coveredEnd: string | undefined;

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
    return { digests, logs, chainBreaks, files, problems: [`no digest files in s3://${scope.bucket}/${folder} between ${scope.start.toISOString()} and ${scope.end.toISOString()}`] };
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
    for (const log of digest.logFiles ?? []) {
      const logObject = await store.get(log.s3Bucket, log.s3Object);
      if (!logObject) {
        logs.missing += 1;
        files.push({ kind: 'log', key: log.s3Object, verdict: 'missing' });
        problems.push(`Log file s3://${log.s3Bucket}/${log.s3Object} INVALID: not found`);
        continue;
      }
      let actual: string;
      try {
        actual = sha256(gunzipSync(logObject.body));
      } catch {
        actual = 'not gzip';
      }
      if (actual === log.hashValue.toLowerCase()) {
        logs.valid += 1;
        files.push({ kind: 'log', key: log.s3Object, verdict: 'valid' });
      } else {
        logs.modified += 1;
        files.push({ kind: 'log', key: log.s3Object, verdict: 'modified', message: `expected ${log.hashValue}, got ${actual}` });
        problems.push(`Log file s3://${log.s3Bucket}/${log.s3Object} INVALID: hash value doesn't match`);
      }
    }

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
  return { digests, logs, chainBreaks, files, problems, ...(coveredStart && coveredEnd ? { covered: { start: coveredStart, end: coveredEnd } } : {}) };
}

/**
 * The calls the `evidence:ValidateLogs` record stands for: one record per account and Region sums up
 * every digest and log file read (the files and their verdicts are listed in it).
 */
export const VALIDATE_LOGS_CALLS = ['s3:ListObjectsV2', 's3:GetObject'] as const;

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
 * One task per account and Region of the selection: the organization trail's digests of that account
 * and Region. The public keys of a Region are read once (ListPublicKeys, management account).
 */
export function digestTasks(ctx: CollectContext, pairs: readonly (readonly [string, string])[]): Task[] {
  const { config, settings } = ctx;
  const window = settings.logValidation;
  const reader = settings.logReaderRoleArn;
  if (!window || !baselineOwnsOrgTrail(config)) return [];
  const management = config.organization.managementAccountId;
  const keyCache = new Map<string, { promise: Promise<readonly DigestPublicKey[]>; raw: string[] }>();
  const bucket = logBucketName(config, 'cloudtrail');
  return pairs.map(
    ([accountId, region]) =>
      new Task(ctx, { label: 'log file validation', accountId, region, controls: ['cloudtrail.log-file-validation'], resource: `digests/${orgTrailName(config)}` }, async (task) => {
        if (!reader) {
          throw new Error('no log reader role: pass --log-reader-role-arn or list one in logArchive.readerRoleArns (the log archive denies object reads to every other principal)');
        }
        let cached = keyCache.get(region);
        if (!cached) {
          const ct = task.client(CloudTrailClient, region, management);
          const raw: string[] = [];
          const start = task.rawNames.length;
          const promise = task
            .paginate(
              'cloudtrail:ListPublicKeys',
              { StartTime: window.start, EndTime: window.end },
              (token) => ct.send(new ListPublicKeysCommand({ StartTime: window.start, EndTime: window.end, NextToken: token })),
              (p) => p.NextToken,
              { accountId: management },
            )
            .then((pages) => pages.flatMap((p) => p.PublicKeyList ?? []).filter((k) => k.Fingerprint && k.Value).map((k) => ({ fingerprint: k.Fingerprint as string, value: k.Value as Uint8Array })));
          raw.push(...task.rawNames.slice(start));
          cached = { promise, raw };
          keyCache.set(region, cached);
        }
        const keys = await cached.promise;
        const s3 = task.clientForRole(S3Client, reader, config.regions.home);
        const report = await validateLogs(s3ObjectStore(s3, (fn) => ctx.limiter.run(fn)), async () => keys, {
          bucket,
          organizationId: config.organization.id,
          accountId,
          region,
          trailName: orgTrailName(config),
          homeRegion: config.regions.home,
          start: window.start,
          end: window.end,
        });
        const name = `${accountId}.${region}.cloudtrail.ValidateLogs.json`;
        ctx.raw.set(name, {
          name,
          accountId,
          region,
          operation: 'evidence:ValidateLogs',
          request: { bucket, folder: digestFolder({ bucket, organizationId: config.organization.id, accountId, region, trailName: orgTrailName(config), homeRegion: config.regions.home, start: window.start, end: window.end }), start: window.start.toISOString(), end: window.end.toISOString() },
          collectedAt: ctx.now().toISOString(),
          responses: [report],
        });
        const bad = report.digests.invalid + report.digests.missing + report.logs.modified + report.logs.missing + report.chainBreaks;
        const none = report.digests.valid + report.digests.invalid + report.digests.missing === 0;
        const counts = `digests ${report.digests.valid} valid, ${report.digests.invalid} invalid, ${report.digests.missing} missing; log files ${report.logs.valid} valid, ${report.logs.modified} modified, ${report.logs.missing} missing; ${report.chainBreaks} chain break(s)`;
        task.item({
          controlId: 'cloudtrail.log-file-validation',
          title: `Log file integrity, ${window.start.toISOString()} to ${window.end.toISOString()}`,
          status: bad || none ? 'FAIL' : 'PASS',
          reason: none ? report.problems[0] : bad ? `${counts}: ${report.problems.slice(0, 10).join('; ')}${report.problems.length > 10 ? `; and ${report.problems.length - 10} more (see raw)` : ''}` : `${counts}${report.covered ? `, covering ${report.covered.start} to ${report.covered.end}` : ''}`,
          raw: [...cached.raw, name],
          sources: [DOC.cloudTrail.listPublicKeys, DOC.cloudTrail.digestStructure, DOC.cloudTrail.customValidation, DOC.cloudTrail.validationCli, DOC.s3.listObjectsV2, DOC.s3.getObject],
          details: { digests: report.digests, logs: report.logs, chainBreaks: report.chainBreaks },
        });
      }),
  );
}

