/**
 * Red team, issue 24: an administrator rewrites a CloudTrail log file under GOVERNANCE-mode Object
 * Lock. With s3:BypassGovernanceRetention they delete the delivered version by its version id (a
 * permanent delete: no delete marker), then put their copy under the same key (S3 User Guide,
 * "Bypassing governance mode": https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-bypass;
 * "Deleting object versions": https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html).
 * The key then has one version and no delete marker, which the versions' proof took for the delivered
 * object; a file outside the hashed sample (the sample is the smallest SHA-256 of the keys, which anyone
 * can compute) was never read. What gives the copy away is when it was written: its version's
 * LastModified (API_ListObjectVersions.html: ObjectVersion.LastModified) is after the end of the digest
 * that lists it, and a digest lists the log files delivered during the hour it covers
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html);
 * digestEndTime is in the signed data signing string, so it cannot be moved.
 */
import { gzipSync } from 'node:zlib';
import { REPLACED_AFTER_DIGEST_MINUTES, sampleKeys, validateLogs, versionVerdict, type DigestScope, type VersionProof } from '../../evidence/digest';
import { buildChain, memoryStore, testKey } from '../evidence/digests';

const END = new Date('2026-03-02T10:05:00Z');
const scope: DigestScope = {
  bucket: 'acme-soc2-cloudtrail-222222222222-us-east-1',
  organizationId: 'o-exampleorg01',
  accountId: '444444444444',
  region: 'eu-west-1',
  trailName: 'acme-soc2-org-trail',
  homeRegion: 'us-east-1',
  start: new Date(END.getTime() - 4 * 3_600_000),
  end: END,
};
const keys = async () => [testKey().publicKey];
const governance: VersionProof = { ok: true, mode: 'GOVERNANCE', basis: 'versioning Enabled, Object Lock default retention GOVERNANCE 365 days' };
const options = { sample: 4, versionProof: governance } as const;

describe('a log file deleted by version and put again (one version, no delete marker)', () => {
  test('healthy: every file written within its digest passes by its versions', async () => {
    const chain = buildChain(scope, END, 4, 3);
    const report = await validateLogs(memoryStore(chain.objects), keys, scope, options);
    expect(report.problems).toEqual([]);
    expect(report.logs).toEqual({ valid: 12, modified: 0, missing: 0 });
  });

  test('broken: the copy, outside the hashed sample, fails as replaced after delivery', async () => {
    const chain = buildChain(scope, END, 4, 3);
    const sample = sampleKeys(chain.logs.flat(), 4);
    // A file of the oldest digest that the sample does not hash: nothing reads its content.
    const target = chain.logs[0].find((k) => !sample.has(k))!;
    const object = chain.objects.get(`${scope.bucket}/${target}`)!;
    object.body = gzipSync(Buffer.from('{"Records":[]}'));
    // Re-put two hours after the chain's end: its only version is the copy.
    object.lastModified = new Date(END.getTime() + 2 * 3_600_000);
    const store = memoryStore(chain.objects);
    const report = await validateLogs(store, keys, scope, options);
    expect(store.gets).not.toContain(target);
    expect(report.logs).toEqual({ valid: 11, modified: 1, missing: 0 });
    const digestEnd = new Date(END.getTime() - 3 * 3_600_000).toISOString().replace(/\.000Z$/, 'Z');
    expect(report.problems).toEqual([
      `Log file s3://${scope.bucket}/${target} INVALID: replaced after delivery: its only version was written ${object.lastModified.toISOString()}, after the end of the digest listing it (${digestEnd}) plus ${REPLACED_AFTER_DIGEST_MINUTES} minutes`,
    ]);
  });

  test('the allowance: written up to REPLACED_AFTER_DIGEST_MINUTES after the digest end passes, a second later fails', () => {
    const end = '2026-03-02T10:05:00Z';
    const at = (ms: number) => [{ key: 'k', versionId: 'v', isLatest: true, deleteMarker: false, lastModified: new Date(Date.parse(end) + ms).toISOString() }];
    expect(versionVerdict(at(REPLACED_AFTER_DIGEST_MINUTES * 60_000), end).verdict).toBe('valid');
    expect(versionVerdict(at(REPLACED_AFTER_DIGEST_MINUTES * 60_000 + 1000), end).verdict).toBe('modified');
    // A listing that does not say when the version was written proves nothing.
    expect(versionVerdict([{ key: 'k', versionId: 'v', isLatest: true, deleteMarker: false }], end)).toEqual({ verdict: 'modified', message: 'its only version has no LastModified: not shown to be the one delivered' });
  });
});
