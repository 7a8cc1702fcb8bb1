/**
 * The evidence of the sensitive buckets' server access logs (evidence/checks/sensitive-buckets.ts),
 * against the healthy org in moto (healthy-org.ts) with one sensitive bucket in the workload account,
 * us-east-1: its owner's bucket, the baseline's access-log bucket and the logging between them seeded in
 * moto (sensitive-buckets-fixture.ts), AWS Config's evaluation answered at the SDK level in AWS's shape.
 * The healthy state PASSes; each tampering an admin could make (one call) FAILs exactly the item it
 * breaks, and every other item of the run keeps its status.
 *
 * The healthy org's config lists that bucket (org-fixture.ts) and healthy-org.ts seeds it; the tamper
 * suite's healthy run passes it too.
 */
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketLoggingCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { sensitiveAccessLogBucketName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { EVIDENCE_CATALOG } from '../../evidence/controls';
import type { EvidenceResult } from '../../evidence/types';
import { startHealthyOrg, type HealthyOrg } from './healthy-org';
import { bucketPolicy, HOME, orgConfig, unmocked } from './org-fixture';
import { accessLogBucketPolicy, deliveryGrant, mockLoggingRuleCompliance } from './sensitive-buckets-fixture';

const CONTROL = 's3.sensitive-bucket-access-logs';

let org: HealthyOrg;
let config: BaselineConfig;
let healthy: EvidenceResult;
let bucket: string;
let target: string;

const collect = (cfg: BaselineConfig = config) => org.collect({ config: cfg, accounts: [org.ids.workload], regions: [HOME], validateLogsSince: false });
const mine = (r: EvidenceResult) => r.items.filter((i) => i.controlId === CONTROL);
/** Every item's status but this control's and Malware Protection's (the same in every run of this file). */
const others = (r: EvidenceResult) =>
  r.items
    .filter((i) => i.controlId !== CONTROL && !i.controlId.startsWith('guardduty.malware'))
    .map((i) => `${i.status} ${i.id}`)
    .sort();
const ids = () => ({
  logging: `${CONTROL}/${org.ids.workload}/${HOME}/${bucket}`,
  rule: `${CONTROL}/${org.ids.workload}/${HOME}/${bucket}/s3-bucket-logging-enabled`,
  target: `${CONTROL}/${org.ids.workload}/${HOME}/${target}`,
});
const s3 = () => org.accounts.client(S3Client, org.ids.workload, HOME);

/** Collects with `change` applied (then undone), and expects exactly `failing` of this control to FAIL, its reason matching. */
async function expectOnly(change: () => Promise<() => Promise<unknown>>, failing: keyof ReturnType<typeof ids>, reason: RegExp, cfg?: BaselineConfig) {
  const undo = await change();
  let result: EvidenceResult;
  try {
    result = await collect(cfg);
  } finally {
    await undo();
  }
  const notPass = mine(result).filter((i) => i.status !== 'PASS');
  expect(notPass.map((i) => `${i.status} ${i.id}`)).toEqual([`FAIL ${ids()[failing]}`]);
  expect(notPass[0].reason).toMatch(reason);
  expect(others(result)).toEqual(others(healthy));
}

beforeAll(async () => {
  org = await startHealthyOrg();
  bucket = `acme-customer-data-${org.ids.workload}`;
  config = org.config;
  expect(config.sensitiveData.buckets.map((b) => b.name)).toEqual([bucket]);
  target = sensitiveAccessLogBucketName(config, org.ids.workload, HOME);
  healthy = await collect();
}, 180_000);

afterAll(async () => {
  await org?.stop();
});

test('the healthy state passes: logging into the access-log bucket, the rule COMPLIANT, SSE-S3, the grant and the deletion and overwrite denies in place', () => {
  expect(mine(healthy).map((i) => [i.id, i.status, i.reason])).toEqual([
    [ids().logging, 'PASS', `server access logs delivered to ${target}/${bucket}/`],
    [ids().rule, 'PASS', `s3-bucket-logging-enabled evaluated ${bucket} COMPLIANT (recorded 2026-01-01T00:00:00.000Z)`],
    [ids().target, 'PASS', `default encryption SSE-S3 (AES256); the policy, evaluated, lets S3 logging deliver for ${bucket} and denies every admin of the organization the deletion and the overwrite of log objects`],
  ].sort((a, b) => a[0].localeCompare(b[0])));
});

test('the control declares exactly the API calls its evidence check makes', () => {
  const made = new Set(mine(healthy).flatMap((i) => i.raw.map((name) => healthy.raw.get(name)!.operation)));
  expect([...made].sort()).toEqual([...EVIDENCE_CATALOG.find((c) => c.id === CONTROL)!.evidence.api].sort());
});

test('logging turned off on the sensitive bucket (s3:PutBucketLogging, empty BucketLoggingStatus) fails it', async () => {
  // "To disable logging, you use an empty BucketLoggingStatus request element" (S3 API Reference,
  // PutBucketLogging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html).
  await expectOnly(
    async () => {
      const client = await s3();
      await unmocked(client, new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: {} }));
      return () => unmocked(client, new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: `${bucket}/` } } }));
    },
    'logging',
    new RegExp(`server access logs go to \\(nowhere: logging is off\\), not ${target}`),
  );
});

test("logging redirected to another bucket of the account (s3:PutBucketLogging) fails it, though the Config rule would stay COMPLIANT", async () => {
  const other = `acme-other-logs-${org.ids.workload}`;
  await expectOnly(
    async () => {
      const client = await s3();
      await unmocked(client, new CreateBucketCommand({ Bucket: other }));
      await unmocked(client, new PutBucketPolicyCommand({ Bucket: other, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [deliveryGrant(other, [bucket], org.ids.workload)] }) }));
      await unmocked(client, new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: other, TargetPrefix: `${bucket}/` } } }));
      // The other bucket stays (moto has delivered log objects into it, so it cannot be deleted); nothing judges it.
      return () => unmocked(client, new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: `${bucket}/` } } }));
    },
    'logging',
    new RegExp(`server access logs go to ${other}, not ${target}`),
  );
});

test.each([
  ['NON_COMPLIANT', 'NON_COMPLIANT', /s3-bucket-logging-enabled evaluated acme-customer-data-\d+ NON_COMPLIANT .*: server access logging is off/],
  ['NOT_APPLICABLE', 'NOT_APPLICABLE', /s3-bucket-logging-enabled evaluated acme-customer-data-\d+ NOT_APPLICABLE .*, not COMPLIANT: the rule has not judged the bucket/],
  ['no evaluation at all', undefined, /s3-bucket-logging-enabled has no evaluation of acme-customer-data-\d+: not evaluated yet/],
] as const)('the Config rule with %s for the bucket fails it (not a PASS)', async (_what, compliance, reason) => {
  await expectOnly(
    async () => {
      mockLoggingRuleCompliance(org.mocks.config, compliance);
      return async () => mockLoggingRuleCompliance(org.mocks.config, 'COMPLIANT');
    },
    'rule',
    reason,
  );
});

test('the rule switched off in the config (awsConfig.disabledRules) fails it: nothing evaluates the bucket', async () => {
  const off = orgConfig(org.ids, (raw) => {
    raw.sensitiveData = { buckets: [{ name: bucket, accountId: org.ids.workload, region: HOME }] };
    raw.awsConfig.disabledRules = [{ name: 's3-bucket-logging-enabled', reason: 'Switched off for this test.' }];
  });
  const result = await collect(off);
  const rule = mine(result).find((i) => i.id === ids().rule)!;
  expect([rule.status, rule.reason]).toEqual(['FAIL', 'the rule is switched off (awsConfig.disabledRules: Switched off for this test.): nothing evaluates the bucket']);
});

test("the access-log bucket's delivery grant removed (s3:PutBucketPolicy) fails it", async () => {
  await expectOnly(
    async () => {
      const client = await s3();
      // The deletion deny and TLS denials stay; only the grant to logging.s3.amazonaws.com goes.
      await unmocked(client, new PutBucketPolicyCommand({ Bucket: target, Policy: bucketPolicy(target) }));
      return () => unmocked(client, new PutBucketPolicyCommand({ Bucket: target, Policy: accessLogBucketPolicy(target, [bucket], org.ids.workload) }));
    },
    'target',
    new RegExp(`S3 logging may not deliver the access logs of ${bucket}: s3:PutObject on arn:aws:s3:::${target}/.* is not allowed`),
  );
});

test("the access-log bucket's deletion deny removed (s3:PutBucketPolicy) fails it", async () => {
  await expectOnly(
    async () => {
      const client = await s3();
      const policy = JSON.parse(accessLogBucketPolicy(target, [bucket], org.ids.workload));
      policy.Statement = policy.Statement.filter((s: { Sid?: string }) => s.Sid !== 'DenyLogDeletion');
      await unmocked(client, new PutBucketPolicyCommand({ Bucket: target, Policy: JSON.stringify(policy) }));
      return () => unmocked(client, new PutBucketPolicyCommand({ Bucket: target, Policy: accessLogBucketPolicy(target, [bucket], org.ids.workload) }));
    },
    'target',
    /log objects can be deleted: s3:DeleteObject/,
  );
});

test("the access-log bucket's overwrite deny removed (s3:PutBucketPolicy) fails it: an admin's s3:PutObject is no longer denied", async () => {
  // Without Object Lock, an overwritten log object becomes a noncurrent version the lifecycle expires
  // after 30 days; the deny (aws:PrincipalIsAWSService false: IAM User Guide, "AWS global condition
  // context keys", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice)
  // is what keeps every admin from it.
  await expectOnly(
    async () => {
      const client = await s3();
      const policy = JSON.parse(accessLogBucketPolicy(target, [bucket], org.ids.workload));
      policy.Statement = policy.Statement.filter((s: { Sid?: string }) => s.Sid !== 'DenyLogOverwrite');
      await unmocked(client, new PutBucketPolicyCommand({ Bucket: target, Policy: JSON.stringify(policy) }));
      return () => unmocked(client, new PutBucketPolicyCommand({ Bucket: target, Policy: accessLogBucketPolicy(target, [bucket], org.ids.workload) }));
    },
    'target',
    new RegExp(`log objects can be overwritten: s3:PutObject on arn:aws:s3:::${target}/\\S+ by arn:aws:iam::\\d+:`),
  );
});

test("the access-log bucket's default encryption switched to SSE-KMS (s3:PutBucketEncryption) fails it", async () => {
  // S3 User Guide, "Enabling Amazon S3 server access logging": default encryption of the target only
  // with SSE-S3; "Default server-side encryption with AWS KMS keys (SSE-KMS) is not supported"
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). SSEAlgorithm
  // values: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html.
  await expectOnly(
    async () => {
      const client = await s3();
      await unmocked(client, new PutBucketEncryptionCommand({ Bucket: target, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }));
      return () => unmocked(client, new PutBucketEncryptionCommand({ Bucket: target, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    },
    'target',
    /default encryption \(SSEAlgorithm\) is aws:kms, not AES256 \(SSE-S3\)/,
  );
});

test('with serverAccessLogs off (a control exception) nothing of the control is judged', async () => {
  const off = orgConfig(org.ids, (raw) => {
    raw.sensitiveData = { buckets: [{ name: bucket, accountId: org.ids.workload, region: HOME }], serverAccessLogs: false };
    raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: CONTROL, reason: 'The data events are enough for this test.' }];
  });
  expect(mine(await collect(off))).toEqual([]);
});
