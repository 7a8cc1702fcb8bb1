/**
 * Log file validation against digest and log files signed here with a test RSA key: an intact chain
 * is valid; a modified log, a deleted log, a deleted digest, a substituted digest and a gap are each
 * reported, as `aws cloudtrail validate-logs` reports them.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { digestFolder, digestKeyTime, signingString, validateLogs, type DigestScope } from '../../evidence/digest';
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
