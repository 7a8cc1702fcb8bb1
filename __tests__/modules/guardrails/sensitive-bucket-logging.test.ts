/**
 * The guardrails of the sensitive buckets' server access logs (issue 23), evaluated with the tests' IAM
 * simulator under the example org's synthesized SCPs: an administrator of the owning member account
 * cannot turn a sensitive bucket's logging off or redirect it (s3:PutBucketLogging), nor weaken or
 * delete its access-log bucket; the pipeline can; another team's bucket is untouched. And the sizes:
 * the SCPs stay within Organizations' quotas with the bucket list.
 */
import { ARCHIVE_TAMPERING_ACTIONS } from '../../../modules/guardrails/resource-policy-denials';
import { BASELINE_SCP_BUDGET, SCP_MAX_CHARACTERS } from '../../../modules/guardrails/service-control-policies';
import { configWith, exampleConfig, synthStack } from '../../helpers';
import { administrators, exempt, MEMBER, onBucketArn, scpDocuments, underScps, withoutSid } from './fixtures';

const config = exampleConfig();
const scps = scpDocuments(synthStack(config, 'management'));
const SENSITIVE = 'arn:aws:s3:::acme-customer-data-444444444444';
const ACCESS_LOGS = `arn:aws:s3:::acme-soc2-access-logs-${MEMBER}-us-east-1`;

describe("a sensitive bucket's logging", () => {
  test('s3:PutBucketLogging on it is denied to the administrators of its account, root included, and left to the pipeline and break-glass roles', async () => {
    for (const [who, principal] of administrators(MEMBER)) {
      expect({ who, decision: await underScps(scps, principal, 's3:PutBucketLogging', SENSITIVE) }).toEqual({ who, decision: 'ExplicitlyDenied' });
    }
    for (const [who, principal] of exempt(MEMBER)) {
      expect({ who, decision: await underScps(scps, principal, 's3:PutBucketLogging', SENSITIVE) }).toEqual({ who, decision: 'Allowed' });
    }
  });

  test("the rest of the bucket stays its owner's: its policy, its lifecycle; another team's bucket's logging is not denied", async () => {
    const admin = administrators(MEMBER)[0][1];
    expect(await underScps(scps, admin, 's3:PutBucketPolicy', SENSITIVE)).toBe('Allowed');
    expect(await underScps(scps, admin, 's3:PutLifecycleConfiguration', SENSITIVE)).toBe('Allowed');
    expect(await underScps(scps, admin, 's3:PutBucketLogging', 'arn:aws:s3:::another-teams-bucket')).toBe('Allowed');
  });

  test('breaking: without the statement, the administrator turns the logging off', async () => {
    expect(await underScps(withoutSid(scps, 'ProtectSensitiveBucketLogging'), administrators(MEMBER)[0][1], 's3:PutBucketLogging', SENSITIVE)).toBe('Allowed');
  });

  test('with serverAccessLogs off, or no sensitive bucket, there is no such statement', () => {
    const sids = (c: typeof config) => scpDocuments(synthStack(c, 'management')).flatMap((d) => JSON.parse(d).Statement.map((s: { Sid: string }) => s.Sid));
    const off = configWith((raw) => {
      raw.sensitiveData.serverAccessLogs = false;
      raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 's3.sensitive-bucket-access-logs', reason: 'The data events are enough for this test.' }];
    });
    expect(sids(off)).not.toContain('ProtectSensitiveBucketLogging');
    expect(sids(configWith((raw) => (raw.sensitiveData.buckets = [])))).not.toContain('ProtectSensitiveBucketLogging');
    expect(sids(config)).toContain('ProtectSensitiveBucketLogging');
  });
});

describe('the access-log bucket', () => {
  test.each([...ARCHIVE_TAMPERING_ACTIONS])('%s is denied to the administrators of the owning account, left to the pipeline', async (action) => {
    const resource = await onBucketArn(ACCESS_LOGS.slice('arn:aws:s3:::'.length), action);
    for (const [who, principal] of administrators(MEMBER)) {
      expect({ who, decision: await underScps(scps, principal, action, resource) }).toEqual({ who, decision: 'ExplicitlyDenied' });
    }
    expect(await underScps(scps, exempt(MEMBER)[0][1], action, resource)).toBe('Allowed');
  });
});

describe('SCP quotas (5,120 characters per SCP, at most BASELINE_SCP_BUDGET SCPs)', () => {
  test('the example org stays within them; 20 sensitive buckets of the longest names still fit', () => {
    const sizes = scps.map((d) => d.length);
    // Reported: the example org's SCP sizes with its one sensitive bucket.
    expect(sizes.length).toBeLessThanOrEqual(BASELINE_SCP_BUDGET);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    const many = configWith((raw) => {
      raw.sensitiveData.buckets = Array.from({ length: 20 }, (_, i) => ({ name: `${'b'.repeat(50)}-${String(i).padStart(12, '0')}`, accountId: MEMBER, region: 'us-east-1' }));
    });
    const docs = scpDocuments(synthStack(many, 'management'));
    expect(docs.length).toBeLessThanOrEqual(BASELINE_SCP_BUDGET);
    for (const d of docs) expect(d.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  });
});
