/**
 * Log file validation against digest and log files signed here with a test RSA key: an intact chain
 * is valid; a modified log, a deleted log, a deleted digest, a substituted digest and a gap are each
 * reported, as `aws cloudtrail validate-logs` reports them. With the bucket's versioning and Object Lock
 * as required, log files are judged by their versions (ListObjectVersions) and a sample is hashed: an
 * overwrite (a second version) and a delete marker fail, a refused or capped listing proves nothing.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { digestFolder, digestKeyTime, judgeVersionProof, sampleKeys, signingString, validateLogs, versionVerdict, type DigestScope, type VersionProof } from '../../evidence/digest';
import { buildChain, memoryStore, resignDigest, testKey } from './digests';

const END = new Date('2026-03-02T10:05:00Z');
const scope: DigestScope = {
  bucket: 'acme-soc2-cloudtrail-222222222222-us-east-1',
  organizationId: 'o-exampleorg01',
  accountId: '444444444444',
  region: 'eu-west-1',
  trailName: 'acme-soc2-org-trail',
  homeRegion: 'us-east-1',
  start: new Date(END.getTime() - 6 * 3_600_000),
  end: END,
};
const keys = async () => [testKey().publicKey];

describe('CloudTrail digest validation', () => {
  test('names digests as CloudTrail does, per account and Region of an organization trail', () => {
    expect(digestFolder(scope)).toBe('AWSLogs/o-exampleorg01/444444444444/CloudTrail-Digest/eu-west-1/');
    const key = `${digestFolder(scope)}2026/03/02/444444444444_CloudTrail-Digest_eu-west-1_acme-soc2-org-trail_us-east-1_20260302T100500Z.json.gz`;
    expect(digestKeyTime(scope, key)).toBe('20260302T100500Z');
    // Another trail's digests, or another Region's, in the same folder are not this chain's.
    expect(digestKeyTime(scope, key.replace('acme-soc2-org-trail', 'other-trail'))).toBeUndefined();
    expect(digestKeyTime(scope, key.replace('_us-east-1_2026', '_eu-west-2_2026'))).toBeUndefined();
  });

  test('the data signing string is the documented one ("null" for the first digest)', () => {
    const content = Buffer.from('{"a":1}');
    const hash = createHash('sha256').update(content).digest('hex');
    const base = { digestEndTime: '2015-08-12T04:01:31Z', digestS3Bucket: 'b', digestS3Object: 'AWSLogs/x.json.gz' };
    expect(signingString({ ...base, previousDigestSignature: 'abcd' }, content)).toBe(`2015-08-12T04:01:31Z\nb/AWSLogs/x.json.gz\n${hash}\nabcd`);
    expect(signingString({ ...base, previousDigestSignature: null }, content)).toBe(`2015-08-12T04:01:31Z\nb/AWSLogs/x.json.gz\n${hash}\nnull`);
  });

  test('an intact chain: every digest and log file valid, no chain break', async () => {
    const chain = buildChain(scope, END, 6, 3);
    const report = await validateLogs(memoryStore(chain.objects), keys, scope);
    expect(report.problems).toEqual([]);
    expect(report.digests).toEqual({ valid: 6, invalid: 0, missing: 0 });
    expect(report.logs).toEqual({ valid: 18, modified: 0, missing: 0 });
    expect(report.chainBreaks).toBe(0);
    expect(report.covered).toEqual({ start: '2026-03-02T04:05:00Z', end: '2026-03-02T10:05:00Z' });
  });

  test('only the digests of the period are read (plus the one that straddles its start)', async () => {
    const chain = buildChain(scope, END, 10, 1);
    const store = memoryStore(chain.objects);
    const report = await validateLogs(store, keys, { ...scope, start: new Date(END.getTime() - 2.5 * 3_600_000) });
    expect(report.problems).toEqual([]);
    expect(report.digests.valid).toBe(3);
    expect(store.gets.filter((k) => k.includes('CloudTrail-Digest'))).toHaveLength(3);
  });

  test('a modified log file is reported, its digest still valid', async () => {
    const chain = buildChain(scope, END, 4, 2);
    const target = chain.logs[2][1];
    chain.objects.get(`${scope.bucket}/${target}`)!.body = gzipSync(Buffer.from('{"Records":[]}'));
    const report = await validateLogs(memoryStore(chain.objects), keys, scope);
    expect(report.logs).toEqual({ valid: 7, modified: 1, missing: 0 });
    expect(report.digests).toEqual({ valid: 4, invalid: 0, missing: 0 });
    expect(report.problems).toEqual([`Log file s3://${scope.bucket}/${target} INVALID: hash value doesn't match`]);
  });

  test('a deleted log file is reported as missing', async () => {
    const chain = buildChain(scope, END, 4, 2);
    const target = chain.logs[1][0];
    chain.objects.delete(`${scope.bucket}/${target}`);
    const report = await validateLogs(memoryStore(chain.objects), keys, scope);
    expect(report.logs).toEqual({ valid: 7, modified: 0, missing: 1 });
    expect(report.problems).toEqual([`Log file s3://${scope.bucket}/${target} INVALID: not found`]);
  });

  test('a deleted digest breaks the chain: reported missing, the older digests still validated', async () => {
    const chain = buildChain(scope, END, 5, 1);
    const target = chain.digests[2];
    chain.objects.delete(`${scope.bucket}/${target}`);
    const report = await validateLogs(memoryStore(chain.objects), keys, scope);
    expect(report.digests).toEqual({ valid: 4, invalid: 0, missing: 1 });
    expect(report.chainBreaks).toBe(1);
    expect(report.problems).toContain(`Digest file s3://${scope.bucket}/${target} INVALID: not found`);
    expect(report.problems.some((p) => p.startsWith(`chain broken: ${chain.digests[3]} links to ${target}`))).toBe(true);
    // The log files of the lost digest are not vouched for; the others are.
    expect(report.logs.valid).toBe(4);
  });

  test('a substituted digest (validly signed, different content) breaks the chain', async () => {
    const chain = buildChain(scope, END, 4, 1);
    const target = chain.digests[1];
    // Drops the digest's log file from the record, as someone hiding it would.
    resignDigest(chain, scope.bucket, target, (d) => {
      d.logFiles = [];
    });
    const report = await validateLogs(memoryStore(chain.objects), keys, scope);
    expect(report.chainBreaks).toBe(1);
    expect(report.digests.invalid).toBe(1);
    expect(report.problems).toContain(`Digest file s3://${scope.bucket}/${target} INVALID: hash does not match the previousDigestHashValue of the next digest`);
  });

  test('a modified digest fails its signature', async () => {
    const chain = buildChain(scope, END, 3, 1);
    const target = chain.digests[2];
    const stored = chain.objects.get(`${scope.bucket}/${target}`)!;
    // Same signature metadata, content edited: the newest digest is checked against x-amz-meta-signature.
    const content = JSON.parse(gunzipSync(stored.body).toString());
    content.logFiles = [];
    stored.body = gzipSync(Buffer.from(JSON.stringify(content)));
    const report = await validateLogs(memoryStore(chain.objects), keys, scope);
    expect(report.problems[0]).toBe(`Digest file s3://${scope.bucket}/${target} INVALID: signature verification failed`);
    expect(report.digests.invalid).toBe(1);
  });

  test('a digest signed by a key CloudTrail did not publish is invalid', async () => {
    const chain = buildChain(scope, END, 2, 1);
    const report = await validateLogs(memoryStore(chain.objects), async () => [], scope);
    expect(report.digests.valid).toBe(0);
    expect(report.problems[0]).toMatch(/public key not found in region eu-west-1 for fingerprint/);
  });

  test('a gap (a digest without a previous link while older digests exist) is a chain break', async () => {
    const older = buildChain(scope, new Date(END.getTime() - 3 * 3_600_000), 2, 1);
    const newer = buildChain(scope, END, 2, 1);
    const report = await validateLogs(memoryStore(new Map([...older.objects, ...newer.objects])), keys, scope);
    expect(report.digests.valid).toBe(4);
    expect(report.chainBreaks).toBe(1);
    expect(report.problems[0]).toMatch(/^gap: .* has no previous digest/);
  });

  test('no digest in the period is reported', async () => {
    const report = await validateLogs(memoryStore(new Map()), keys, scope);
    expect(report.digests).toEqual({ valid: 0, invalid: 0, missing: 0 });
    expect(report.problems[0]).toMatch(/^no digest files in s3:\/\//);
  });
});

describe('log files judged by their versions under Object Lock', () => {
  const locked: VersionProof = { ok: true, mode: 'COMPLIANCE', basis: 'versioning Enabled, Object Lock default retention COMPLIANCE 365 days' };
  const options = { sample: 4, versionProof: locked } as const;
  const logGets = (gets: string[]) => gets.filter((k) => k.includes('/CloudTrail/'));

  test('an intact chain: each log file valid by its one version, 4 of them hashed, one listing per day folder', async () => {
    const chain = buildChain(scope, END, 6, 3);
    const store = memoryStore(chain.objects);
    const report = await validateLogs(store, keys, scope, options);
    expect(report.problems).toEqual([]);
    expect(report.logs).toEqual({ valid: 18, modified: 0, missing: 0 });
    expect(report.logProof).toEqual({ method: 'versions', listed: 18, hashed: 4, versionPages: 1 });
    expect(store.listings).toEqual([`AWSLogs/o-exampleorg01/444444444444/CloudTrail/eu-west-1/2026/03/02/`]);
    // The sample is the 4 keys with the smallest SHA-256: the same files in every run and shard.
    const sample = sampleKeys(chain.logs.flat(), 4);
    expect(new Set(logGets(store.gets))).toEqual(sample);
    const again = memoryStore(chain.objects);
    await validateLogs(again, keys, scope, options);
    expect(logGets(again.gets)).toEqual(logGets(store.gets));
  });

  test('an overwritten log file (a second version) fails, though its latest content hashes right', async () => {
    const chain = buildChain(scope, END, 4, 2);
    // A file of the hashed sample: the hash alone would pass it.
    const target = [...sampleKeys(chain.logs.flat(), 4)][0];
    const versions = new Map([
      [
        target,
        [
          { key: target, versionId: 'v2', isLatest: true, deleteMarker: false },
          { key: target, versionId: 'v1', isLatest: false, deleteMarker: false },
        ],
      ],
    ]);
    const report = await validateLogs(memoryStore(chain.objects, { versions }), keys, scope, options);
    expect(report.logs).toEqual({ valid: 7, modified: 1, missing: 0 });
    expect(report.problems).toEqual([`Log file s3://${scope.bucket}/${target} INVALID: overwritten: 2 versions since delivery`]);
  });

  test('a delete marker fails the file as missing, though the locked version is still there', async () => {
    const chain = buildChain(scope, END, 4, 2);
    const target = chain.logs[1][0];
    const versions = new Map([
      [
        target,
        [
          { key: target, versionId: 'dm', isLatest: true, deleteMarker: true },
          { key: target, versionId: 'v1', isLatest: false, deleteMarker: false },
        ],
      ],
    ]);
    const report = await validateLogs(memoryStore(chain.objects, { versions }), keys, scope, options);
    expect(report.logs).toEqual({ valid: 7, modified: 0, missing: 1 });
    expect(report.problems).toEqual([`Log file s3://${scope.bucket}/${target} INVALID: not found (deleted: a delete marker is its latest version (1 version(s) behind it))`]);
  });

  test('a file with no version at all is missing', async () => {
    const chain = buildChain(scope, END, 2, 2);
    const target = chain.logs[0][1];
    chain.objects.delete(`${scope.bucket}/${target}`);
    const report = await validateLogs(memoryStore(chain.objects), keys, scope, options);
    expect(report.logs.missing).toBe(1);
    expect(report.problems).toEqual([`Log file s3://${scope.bucket}/${target} INVALID: not found (no version)`]);
  });

  test('without the versioning and Object Lock the proof needs, every file is hashed (and a modified one fails), saying why', async () => {
    const chain = buildChain(scope, END, 4, 2);
    const target = chain.logs[2][1];
    chain.objects.get(`${scope.bucket}/${target}`)!.body = gzipSync(Buffer.from('{"Records":[]}'));
    const store = memoryStore(chain.objects);
    const report = await validateLogs(store, keys, scope, { sample: 4, versionProof: { ok: false, reason: "the bucket's versioning is Suspended, not Enabled" } });
    expect(store.listings).toEqual([]);
    expect(logGets(store.gets)).toHaveLength(8);
    expect(report.logs).toEqual({ valid: 7, modified: 1, missing: 0 });
    expect(report.logProof).toEqual({ method: 'hash', reason: "the bucket's versioning is Suspended, not Enabled", listed: 8, hashed: 8, versionPages: 0 });
    expect(report.problems).toEqual([`Log file s3://${scope.bucket}/${target} INVALID: hash value doesn't match`]);
  });

  test('a refused ListObjectVersions judges no file by its versions: the report carries the error', async () => {
    const chain = buildChain(scope, END, 3, 2);
    const refusal = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const report = await validateLogs(memoryStore(chain.objects, { failVersions: refusal }), keys, scope, options);
    expect(report.digests.valid).toBe(3);
    expect(report.logs).toEqual({ valid: 0, modified: 0, missing: 0 });
    expect(report.logProof.error).toMatch(/^s3:ListObjectVersions of s3:\/\/.*\/CloudTrail\/eu-west-1\/2026\/03\/02\/: HTTP 403, AWS error code AccessDenied/);
  });

  test('a listing stopped at its page cap is an error, not a proof', async () => {
    const chain = buildChain(scope, END, 2, 2);
    const report = await validateLogs(memoryStore(chain.objects, { capped: true }), keys, scope, options);
    expect(report.logs).toEqual({ valid: 0, modified: 0, missing: 0 });
    expect(report.logProof.error).toMatch(/stopped at 1 pages with more to list/);
  });

  test("sample 'all' is today's validation: every file read and hashed, no version listed", async () => {
    const chain = buildChain(scope, END, 4, 2);
    chain.objects.get(`${scope.bucket}/${chain.logs[0][0]}`)!.body = gzipSync(Buffer.from('{"Records":[]}'));
    const before = memoryStore(chain.objects);
    const plain = await validateLogs(before, keys, scope);
    const all = memoryStore(chain.objects);
    const report = await validateLogs(all, keys, scope, { sample: 'all', versionProof: locked });
    expect(all.listings).toEqual([]);
    expect(all.gets).toEqual(before.gets);
    expect({ ...report, logProof: undefined }).toEqual({ ...plain, logProof: undefined });
    expect(report.logProof).toMatchObject({ method: 'hash', hashed: 8, reason: 'the log file sample is all' });
  });

  test('versions: one version and no delete marker is valid; anything else is not', () => {
    const v = (versionId: string, isLatest: boolean, deleteMarker = false) => ({ key: 'k', versionId, isLatest, deleteMarker });
    expect(versionVerdict([v('1', true)]).verdict).toBe('valid');
    expect(versionVerdict([]).verdict).toBe('missing');
    expect(versionVerdict([v('2', true), v('1', false)]).verdict).toBe('modified');
    expect(versionVerdict([v('m', true, true), v('1', false)]).verdict).toBe('missing');
    // Deleted, then written again: one version, but not the delivered one.
    expect(versionVerdict([v('2', true), v('m', false, true)]).verdict).toBe('modified');
  });

  describe('the bucket configuration the proof needs', () => {
    const now = END;
    const start = scope.start;
    // GetBucketVersioning Status; GetObjectLockConfiguration ObjectLockEnabled, Rule.DefaultRetention.Mode/Days/Years
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html,
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLockConfiguration.html).
    const lock = (DefaultRetention?: { Mode?: 'GOVERNANCE' | 'COMPLIANCE'; Days?: number; Years?: number }) => ({ ObjectLockEnabled: 'Enabled' as const, ...(DefaultRetention ? { Rule: { DefaultRetention } } : {}) });

    test('versioning Enabled and Object Lock with a default retention covering the window: a proof', () => {
      expect(judgeVersionProof('Enabled', lock({ Mode: 'GOVERNANCE', Days: 365 }), start, now)).toEqual({ ok: true, mode: 'GOVERNANCE', basis: 'versioning Enabled, Object Lock default retention GOVERNANCE 365 days' });
      expect(judgeVersionProof('Enabled', lock({ Mode: 'COMPLIANCE', Years: 1 }), start, now).ok).toBe(true);
    });

    test('suspended versioning, no Object Lock, no default retention, or one that has run out: no proof, and why', () => {
      expect(judgeVersionProof('Suspended', lock({ Mode: 'COMPLIANCE', Days: 365 }), start, now)).toEqual({ ok: false, reason: "the bucket's versioning is Suspended, not Enabled" });
      expect(judgeVersionProof(undefined, undefined, start, now)).toEqual({ ok: false, reason: "the bucket's versioning is not enabled, not Enabled" });
      expect(judgeVersionProof('Enabled', undefined, start, now)).toEqual({ ok: false, reason: "the bucket's Object Lock is not enabled" });
      expect(judgeVersionProof('Enabled', lock(), start, now).ok).toBe(false);
      // A 7-day window against a 1-day retention: the oldest files are no longer locked.
      expect(judgeVersionProof('Enabled', lock({ Mode: 'COMPLIANCE', Days: 1 }), new Date(END.getTime() - 7 * 86_400_000), now)).toMatchObject({ ok: false, reason: expect.stringMatching(/default retention \(1 days\) ended/) });
    });
  });
});
