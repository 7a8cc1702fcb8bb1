/**
 * evidence/checks/sensitive-buckets.ts for a sensitive bucket in a Region where AWS Config does not offer
 * s3-bucket-logging-enabled: the rule's page lists the Regions it is offered in, and ap-southeast-7,
 * mx-central-1 and ap-east-2 are not among them
 * (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-logging-enabled.html). There the
 * baseline deploys no rule (config/managed-config-rules.ts `unavailableIn`, `ruleRegions`), so no
 * evaluation is no evidence against the bucket: the rule's item says so instead of failing, and the
 * logging configuration (GetBucketLogging) judges the bucket alone. In a Region where the rule is offered,
 * no evaluation still FAILs.
 *
 * SDK mocks, in the S3 API Reference's shapes: GetBucketLogging (LoggingEnabled.TargetBucket,
 * TargetPrefix: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html),
 * GetBucketPolicy (Policy), GetBucketEncryption
 * (ServerSideEncryptionConfiguration.Rules[].ApplyServerSideEncryptionByDefault.SSEAlgorithm:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html); AWS Config's
 * GetComplianceDetailsByResource answers no evaluation
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByResource.html).
 */
import { ConfigServiceClient, GetComplianceDetailsByResourceCommand } from '@aws-sdk/client-config-service';
import { GetBucketEncryptionCommand, GetBucketLoggingCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { sensitiveAccessLogBucketName } from '../../config/naming';
import { createContext, runTasks } from '../../evidence/collect';
import { sensitiveBucketTasks } from '../../evidence/checks/sensitive-buckets';
import { configWith, oneResource, resourcesOf, synthStack } from '../helpers';

// The Regions the rule's page leaves out, on the pack's entry whether or not config/managed-config-rules.ts
// lists them yet (its `unavailableIn` is kept there, from the same page).
jest.mock('../../config/managed-config-rules', () => {
  const actual = jest.requireActual('../../config/managed-config-rules');
  return {
    ...actual,
    SOC2_LOGGING_PACK: actual.SOC2_LOGGING_PACK.map((r: { name: string; unavailableIn?: string[] }) =>
      r.name === 's3-bucket-logging-enabled' ? { ...r, unavailableIn: [...new Set([...(r.unavailableIn ?? []), 'ap-southeast-7', 'mx-central-1', 'ap-east-2'])] } : r,
    ),
  };
});

const OWNER = '444444444444';
const OFFERED = 'us-east-1';
const NOT_OFFERED = 'ap-east-2';
const bucketIn = (region: string) => `acme-customer-data-${region}-${OWNER}`;

const config = configWith((raw) => {
  raw.regions.governed = [...new Set([...raw.regions.governed, NOT_OFFERED])];
  raw.sensitiveData.buckets = [OFFERED, NOT_OFFERED].map((region) => ({ name: bucketIn(region), accountId: OWNER, region }));
});
const member = synthStack(config, `member-${OWNER}`);
/** The access-log bucket's policy as the baseline synthesizes it for that Region. */
const policyFor = (region: string) => {
  const target = sensitiveAccessLogBucketName(config, OWNER, region);
  const [id] = resourcesOf(member, 'aws_s3_bucket').find(([, b]) => b.bucket === target)!;
  return oneResource(member, 'aws_s3_bucket_policy', (p) => p.bucket === `\${aws_s3_bucket.${id}.id}`).policy as string;
};

let s3: ReturnType<typeof mockClient>;
let cfg: ReturnType<typeof mockClient>;
beforeEach(() => {
  s3 = mockClient(S3Client);
  cfg = mockClient(ConfigServiceClient);
  s3.on(GetBucketLoggingCommand).callsFake(async (input: { Bucket: string }) => {
    const region = input.Bucket === bucketIn(NOT_OFFERED) ? NOT_OFFERED : OFFERED;
    return { LoggingEnabled: { TargetBucket: sensitiveAccessLogBucketName(config, OWNER, region), TargetPrefix: `${input.Bucket}/` } };
  });
  s3.on(GetBucketPolicyCommand).callsFake(async (input: { Bucket: string }) => ({
    Policy: policyFor(input.Bucket === sensitiveAccessLogBucketName(config, OWNER, NOT_OFFERED) ? NOT_OFFERED : OFFERED),
  }));
  s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
  // Not evaluated anywhere: the rule's evaluation is missing in both Regions.
  cfg.on(GetComplianceDetailsByResourceCommand).resolves({ EvaluationResults: [] });
});
afterEach(() => {
  s3.restore();
  cfg.restore();
});

async function collect() {
  const { ctx } = createContext({ config, accounts: [OWNER], regions: [OFFERED, NOT_OFFERED], validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
  await runTasks(ctx, sensitiveBucketTasks(ctx), 2);
  return [...ctx.items];
}

test(`in ${NOT_OFFERED} the missing evaluation does not FAIL: the logging configuration judges the bucket alone`, async () => {
  const items = await collect();
  const rule = items.find((i) => i.id.endsWith(`/${bucketIn(NOT_OFFERED)}/s3-bucket-logging-enabled`))!;
  expect([rule.status, rule.reason]).toEqual(['PASS', `AWS Config does not offer s3-bucket-logging-enabled in ${NOT_OFFERED}: logging judged from GetBucketLogging only`]);
  // Nothing asked AWS Config there.
  expect(cfg.commandCalls(GetComplianceDetailsByResourceCommand).map((c) => c.args[0].input.ResourceId)).toEqual([bucketIn(OFFERED)]);
  // The bucket's logging and the access-log bucket of that Region are judged as anywhere else.
  expect(items.filter((i) => i.resource !== rule.resource && i.id.includes(`/${NOT_OFFERED}/`)).map((i) => i.status)).toEqual(['PASS', 'PASS']);
});

test(`in ${OFFERED}, where the rule is offered, the same missing evaluation FAILs`, async () => {
  const rule = (await collect()).find((i) => i.id.endsWith(`/${bucketIn(OFFERED)}/s3-bucket-logging-enabled`))!;
  expect(rule.status).toBe('FAIL');
  expect(rule.reason).toMatch(/s3-bucket-logging-enabled has no evaluation of acme-customer-data-us-east-1-444444444444: not evaluated yet/);
});

test(`in ${NOT_OFFERED}, logging turned off still FAILs the bucket's logging item`, async () => {
  s3.on(GetBucketLoggingCommand).resolves({});
  const items = await collect();
  const logging = items.find((i) => i.id.endsWith(`/${NOT_OFFERED}/${bucketIn(NOT_OFFERED)}`))!;
  expect([logging.status, logging.reason]).toEqual(['FAIL', `server access logs go to (nowhere: logging is off), not ${sensitiveAccessLogBucketName(config, OWNER, NOT_OFFERED)}`]);
});
