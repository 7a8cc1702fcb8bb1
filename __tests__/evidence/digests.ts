/**
 * CloudTrail digest and log files as CloudTrail writes them, signed with a test RSA key: gzipped JSON
 * digests with the documented fields, `x-amz-meta-signature` = hex(RSA-SHA256(data signing string)),
 * each linking to the previous digest. The signing string is written out here from the CloudTrail
 * User Guide ("Custom implementations of CloudTrail log file integrity validation", step D), not taken
 * from evidence/digest.ts, so that a mistake there does not hide itself.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DigestPublicKey, DigestScope, ObjectStore, ObjectVersionEntry } from '../../evidence/digest';

export interface StoredObject {
  body: Buffer;
  metadata: Record<string, string>;
  /** When it was written (its version's LastModified). @default - unknown */
  lastModified?: Date;
}

export interface TestKey {
  readonly privateKey: KeyObject;
  readonly publicKey: DigestPublicKey;
}

let cached: TestKey | undefined;

/** One RSA key pair for the whole test file (generating one takes a moment). */
export function testKey(): TestKey {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // ListPublicKeys returns the DER public key in PKCS #1 form; its fingerprint identifies it.
  const der = publicKey.export({ format: 'der', type: 'pkcs1' });
  cached = { privateKey, publicKey: { fingerprint: createHash('md5').update(der).digest('hex'), value: new Uint8Array(der) } };
  return cached;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const compact = (d: Date) => iso(d).replace(/[-:]/g, '');
const ymd = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface Chain {
  /** Every object written, by `bucket/key`. */
  readonly objects: Map<string, StoredObject>;
  /** Digest keys, oldest first. */
  readonly digests: string[];
  /** Log keys, by digest index. */
  readonly logs: string[][];
}

/**
 * `hours` digests ending at `end`, `intervalMs` apart (hourly, as CloudTrail delivers them), each
 * listing `logsPerDigest` log files, the oldest with no previous digest (the chain's start). Each log
 * file is written 30 seconds after its events, within its digest's time range (a digest lists the files
 * delivered in the hour it covers), and each digest a minute after its end.
 */
export function buildChain(scope: DigestScope, end: Date, hours: number, logsPerDigest = 2, key = testKey(), intervalMs = 3_600_000): Chain {
  const objects = new Map<string, StoredObject>();
  const digests: string[] = [];
  const logs: string[][] = [];
  const root = `${scope.prefix ? `${scope.prefix}/` : ''}AWSLogs/${scope.organizationId ? `${scope.organizationId}/` : ''}${scope.accountId}`;
  let previous: { key: string; hash: string; signature: string } | undefined;
  for (let i = hours - 1; i >= 0; i--) {
    const digestEnd = new Date(end.getTime() - i * intervalMs);
    const digestStart = new Date(digestEnd.getTime() - intervalMs);
    const logFiles = Array.from({ length: logsPerDigest }, (_, n) => {
      const at = new Date(digestStart.getTime() + (n + 1) * 60_000);
      const logKey = `${root}/CloudTrail/${scope.region}/${ymd(at)}/${scope.accountId}_CloudTrail_${scope.region}_${compact(at)}_log${n}.json.gz`;
      const content = Buffer.from(JSON.stringify({ Records: [{ eventVersion: '1.09', eventTime: iso(at), eventName: 'DescribeTrails', awsRegion: scope.region, recipientAccountId: scope.accountId }] }));
      objects.set(`${scope.bucket}/${logKey}`, { body: gzipSync(content), metadata: {}, lastModified: new Date(at.getTime() + 30_000) });
      return { s3Bucket: scope.bucket, s3Object: logKey, hashValue: sha256(content), hashAlgorithm: 'SHA-256', newestEventTime: iso(at), oldestEventTime: iso(at) };
    });
    const digestKey = `${root}/CloudTrail-Digest/${scope.region}/${ymd(digestEnd)}/${scope.accountId}_CloudTrail-Digest_${scope.region}_${scope.trailName}_${scope.homeRegion}_${compact(digestEnd)}.json.gz`;
    const digest = {
      awsAccountId: scope.accountId,
      digestStartTime: iso(digestStart),
      digestEndTime: iso(digestEnd),
      digestS3Bucket: scope.bucket,
      digestS3Object: digestKey,
      digestPublicKeyFingerprint: key.publicKey.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: logFiles.at(-1)?.newestEventTime ?? null,
      oldestEventTime: logFiles[0]?.oldestEventTime ?? null,
      previousDigestS3Bucket: previous ? scope.bucket : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.hash ?? null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles,
    };
    const content = Buffer.from(JSON.stringify(digest));
    const toSign = `${digest.digestEndTime}\n${scope.bucket}/${digestKey}\n${sha256(content)}\n${digest.previousDigestSignature ?? 'null'}`;
    const signature = sign('sha256', Buffer.from(toSign, 'utf8'), key.privateKey).toString('hex');
    objects.set(`${scope.bucket}/${digestKey}`, { body: gzipSync(content), metadata: { signature, 'signature-algorithm': 'SHA256withRSA' }, lastModified: new Date(digestEnd.getTime() + 60_000) });
    digests.push(digestKey);
    logs.push(logFiles.map((l) => l.s3Object));
    previous = { key: digestKey, hash: sha256(content), signature };
  }
  return { objects, digests, logs };
}

/** Replaces a digest with another one, validly signed, whose content differs (what a forger with a key could do). */
export function resignDigest(chain: Chain, bucket: string, digestKey: string, edit: (digest: Record<string, unknown>) => void, key = testKey()): void {
  const stored = chain.objects.get(`${bucket}/${digestKey}`);
  if (!stored) throw new Error(`no digest ${digestKey}`);
  const digest = JSON.parse(gunzipSync(stored.body).toString()) as Record<string, unknown>;
  edit(digest);
  const content = Buffer.from(JSON.stringify(digest));
  const toSign = `${digest.digestEndTime}\n${bucket}/${digestKey}\n${sha256(content)}\n${(digest.previousDigestSignature as string | null) ?? 'null'}`;
  chain.objects.set(`${bucket}/${digestKey}`, {
    body: gzipSync(content),
    metadata: { signature: sign('sha256', Buffer.from(toSign, 'utf8'), key.privateKey).toString('hex'), 'signature-algorithm': 'SHA256withRSA' },
  });
}

/**
 * An ObjectStore over a Map of `bucket/key` → object, listing in key order as S3 does. Its versions
 * (ListObjectVersions): one per object, unless `versions` gives a key's entries (an overwrite, a delete
 * marker); `failVersions` makes every listing throw it; `capped` says each listing stopped at its page cap.
 */
export function memoryStore(
  objects: Map<string, StoredObject>,
  history: { versions?: Map<string, ObjectVersionEntry[]>; failVersions?: Error; capped?: boolean } = {},
): ObjectStore & { gets: string[]; listings: string[] } {
  const gets: string[] = [];
  const listings: string[] = [];
  return {
    gets,
    listings,
    async versions(bucket, prefix) {
      listings.push(prefix);
      if (history.failVersions) throw history.failVersions;
      const keys = new Set([...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1)));
      for (const k of history.versions?.keys() ?? []) if (k.startsWith(prefix)) keys.add(k);
      const entries = [...keys].sort().flatMap((key) => {
        const written = objects.get(`${bucket}/${key}`)?.lastModified;
        return history.versions?.get(key) ?? [{ key, versionId: 'v1', isLatest: true, deleteMarker: false, ...(written ? { lastModified: written.toISOString() } : {}) }];
      });
      return { entries, pages: 1, capped: history.capped === true };
    },
    async list(bucket, prefix, startAfter) {
      return [...objects.keys()]
        .filter((k) => k.startsWith(`${bucket}/`))
        .map((k) => k.slice(bucket.length + 1))
        .filter((k) => k.startsWith(prefix) && (!startAfter || k > startAfter))
        .sort();
    },
    async get(bucket, key) {
      gets.push(key);
      const o = objects.get(`${bucket}/${key}`);
      return o ? { body: new Uint8Array(o.body), metadata: { ...o.metadata } } : undefined;
    },
  };
}
