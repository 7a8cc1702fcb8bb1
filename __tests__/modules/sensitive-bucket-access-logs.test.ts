/**
 * S3 server access logging of the sensitive buckets (`sensitiveData`, modules/s3/sensitive-bucket-access-logs.ts),
 * on the synthesized Terraform JSON of the owning member's stack. The example org lists one sensitive
 * bucket, acme-customer-data-444444444444, in account 444444444444, us-east-1.
 */
import { configWith, exampleConfig, oneResource, resourcesOf, statement, synthStack, type Synth } from '../helpers';
import { simulate } from '../iam-simulator';
import { administrators, exempt, parsed } from './guardrails/fixtures';

const MEMBER = '444444444444';
const SENSITIVE = `acme-customer-data-${MEMBER}`;
const ACCESS_LOGS = `acme-soc2-access-logs-${MEMBER}-us-east-1`;
const ACCESS_LOGS_ARN = `arn:aws:s3:::${ACCESS_LOGS}`;
const LOG_OBJECT = `${ACCESS_LOGS_ARN}/${SENSITIVE}/${MEMBER}/us-east-1/${SENSITIVE}/2026/01/01/2026-01-01-00-00-00-0123456789ABCDEF`;

const json = synthStack(exampleConfig(), `member-${MEMBER}`);
const bucketRef = (j: Synth, name: string) => {
  const [id] = resourcesOf(j, 'aws_s3_bucket').find(([, b]) => b.bucket === name)!;
  return `\${aws_s3_bucket.${id}.id}`;
};
const forAccessLogBucket = (j: Synth, type: string) => oneResource(j, type, (r) => r.bucket === bucketRef(j, ACCESS_LOGS));
const policy = () => forAccessLogBucket(json, 'aws_s3_bucket_policy').policy as string;

describe('the access-log bucket of the sensitive buckets', () => {
  test('is in the owning account and the bucket\'s Region, never destroyed with the stack', () => {
    const bucket = oneResource(json, 'aws_s3_bucket', (b) => b.bucket === ACCESS_LOGS);
    // Same account (the stack's one provider, pinned to the member) and Region as the source bucket:
    // S3 delivers only there (S3 User Guide, "Logging requests with server access logging":
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html).
    expect(json.provider!.aws.find((p: any) => !p.alias).allowed_account_ids).toEqual([MEMBER]);
    expect(bucket).toMatchObject({ region: 'us-east-1', force_destroy: false, lifecycle: { prevent_destroy: true } });
    // No Object Lock: S3 does not deliver access logs into an Object Lock bucket
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
    expect(bucket.object_lock_enabled).toBe(false);
    expect(resourcesOf(json, 'aws_s3_bucket_object_lock_configuration')).toHaveLength(0);
  });

  test('encrypts with SSE-S3, the only default encryption S3 delivers access logs into', () => {
    // Same page: "the destination bucket ... can't use SSE-KMS" default encryption.
    expect(forAccessLogBucket(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    expect(forAccessLogBucket(json, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    expect(forAccessLogBucket(json, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(forAccessLogBucket(json, 'aws_s3_bucket_ownership_controls').rule.object_ownership).toBe('BucketOwnerEnforced');
  });

  test('expires log objects after retention.logArchiveDays, never sooner', () => {
    const rule = forAccessLogBucket(json, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rule).toHaveLength(1);
    expect(rule[0]).toMatchObject({ status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: exampleConfig().retention.logArchiveDays }], noncurrent_version_expiration: [{ noncurrent_days: 30 }] });
  });

  test('lets S3 logging deliver for the sensitive bucket of its account, and for nothing else', async () => {
    // S3 User Guide, "Permissions for log delivery": logging.s3.amazonaws.com, s3:PutObject, scoped by
    // aws:SourceArn and aws:SourceAccount.
    const deliver = (sourceBucket: string, sourceAccount: string) =>
      simulate(
        {
          principal: { kind: 'service', service: 'logging.s3.amazonaws.com' },
          action: 's3:PutObject',
          resource: `${ACCESS_LOGS_ARN}/${SENSITIVE}/${MEMBER}/us-east-1/${SENSITIVE}/2026/01/01/2026-01-01-00-00-00-ABCDEF`,
          resourceAccount: MEMBER,
          context: { 'aws:SourceArn': `arn:aws:s3:::${sourceBucket}`, 'aws:SourceAccount': sourceAccount, 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' },
        },
        { resourcePolicy: parsed(policy()) },
      );
    expect(await deliver(SENSITIVE, MEMBER)).toBe('Allowed');
    expect(await deliver('another-teams-bucket', MEMBER)).toBe('ImplicitlyDenied');
    expect(await deliver(SENSITIVE, '555555555555')).toBe('ImplicitlyDenied');
  });

  test("denies deleting log objects and weakening the bucket to the account's administrators, not to the pipeline", async () => {
    const onBucket = (principal: any, action: string, resource: string) =>
      simulate({ principal, action, resource, resourceAccount: MEMBER, context: { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' } }, { resourcePolicy: parsed(policy()) });
    const object = `${ACCESS_LOGS_ARN}/${SENSITIVE}/x`;
    for (const [who, principal] of administrators(MEMBER)) {
      expect({ who, decision: await onBucket(principal, 's3:DeleteObject', object) }).toEqual({ who, decision: 'ExplicitlyDenied' });
      expect({ who, decision: await onBucket(principal, 's3:PutLifecycleConfiguration', ACCESS_LOGS_ARN) }).toEqual({ who, decision: 'ExplicitlyDenied' });
      expect({ who, decision: await onBucket(principal, 's3:DeleteBucket', ACCESS_LOGS_ARN) }).toEqual({ who, decision: 'ExplicitlyDenied' });
    }
    for (const [who, principal] of exempt(MEMBER)) {
      expect({ who, decision: await onBucket(principal, 's3:PutLifecycleConfiguration', ACCESS_LOGS_ARN) }).toEqual({ who, decision: 'Allowed' });
    }
    // Breaking: without the deletion deny, an administrator deletes log objects.
    const doc = JSON.parse(policy());
    doc.Statement = doc.Statement.filter((s: any) => s.Sid !== 'DenyLogDeletion');
    expect(await simulate({ principal: administrators(MEMBER)[0][1], action: 's3:DeleteObject', resource: object, resourceAccount: MEMBER, context: { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' } }, { resourcePolicy: doc })).toBe('Allowed');
  });

  test("denies the account's administrators overwriting or planting a log object (s3:PutObject), not S3 logging's delivery", async () => {
    // Without Object Lock an overwrite makes the delivered log a noncurrent version, which the lifecycle
    // expires after 30 days. The deny's condition: aws:PrincipalIsAWSService is false in every signed
    // request but a service principal's (IAM User Guide, "AWS global condition context keys":
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice).
    const put = (principal: any, resourcePolicy: ReturnType<typeof parsed>, context: Record<string, unknown> = {}) =>
      simulate({ principal, action: 's3:PutObject', resource: LOG_OBJECT, resourceAccount: MEMBER, context: { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3', ...context } }, { resourcePolicy });
    expect(statement(policy(), 'DenyLogOverwrite')).toEqual({
      Sid: 'DenyLogOverwrite',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${ACCESS_LOGS_ARN}/*`,
      Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
    });
    for (const [who, principal] of [...administrators(MEMBER), ...exempt(MEMBER)]) {
      expect({ who, decision: await put(principal, parsed(policy())) }).toEqual({ who, decision: 'ExplicitlyDenied' });
    }
    // The delivery stays allowed (S3 User Guide: Deny statements must not prevent it,
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
    const delivery = { 'aws:SourceArn': `arn:aws:s3:::${SENSITIVE}`, 'aws:SourceAccount': MEMBER };
    expect(await put({ kind: 'service', service: 'logging.s3.amazonaws.com' }, parsed(policy()), delivery)).toBe('Allowed');
    // Breaking: without the overwrite deny, an administrator overwrites a log object.
    const doc = JSON.parse(policy());
    doc.Statement = doc.Statement.filter((s: any) => s.Sid !== 'DenyLogOverwrite');
    expect(await put(administrators(MEMBER)[0][1], doc)).toBe('Allowed');
  });

  test('lets the log readers read', () => {
    expect(statement(policy(), 'AccessLogReadersRead').Principal).toEqual({ AWS: ['arn:aws:iam::333333333333:role/SecurityLogReader'] });
  });
});

describe('the logging configuration of each sensitive bucket', () => {
  test('delivers into the access-log bucket under the bucket name, partitioned by the day of the request', () => {
    const logging = oneResource(json, 'aws_s3_bucket_logging', (l) => l.bucket === SENSITIVE);
    // aws_s3_bucket_logging (provider internal/service/s3/bucket_logging.go): target_bucket, target_prefix,
    // expected_bucket_owner, target_object_key_format.partitioned_prefix.partition_date_source
    // (EventTime | DeliveryTime: S3 API Reference, PartitionedPrefix,
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PartitionedPrefix.html).
    expect(logging).toMatchObject({
      region: 'us-east-1',
      expected_bucket_owner: MEMBER,
      target_bucket: ACCESS_LOGS,
      target_prefix: `${SENSITIVE}/`,
      target_object_key_format: { partitioned_prefix: { partition_date_source: 'EventTime' } },
    });
    // S3 refuses logging into a bucket that is not there yet or does not admit the logging service.
    expect(logging.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket\./), expect.stringMatching(/^aws_s3_bucket_policy\./)]));
  });

  test('one access-log bucket per account and Region holding sensitive buckets, none in other stacks', () => {
    const config = configWith((raw) => {
      raw.sensitiveData.buckets = [
        { name: 'acme-customer-data-444444444444', accountId: MEMBER, region: 'us-east-1' },
        { name: 'acme-payments-444444444444', accountId: MEMBER, region: 'us-east-1' },
        { name: 'acme-customer-data-eu-444444444444', accountId: MEMBER, region: 'eu-west-1' },
      ];
    });
    const j = synthStack(config, `member-${MEMBER}`);
    const names = resourcesOf(j, 'aws_s3_bucket').map(([, b]) => b.bucket).sort();
    expect(names).toEqual([`acme-soc2-access-logs-${MEMBER}-eu-west-1`, ACCESS_LOGS]);
    const logging = resourcesOf(j, 'aws_s3_bucket_logging').map(([, l]) => [l.bucket, l.target_bucket, l.region]).sort();
    expect(logging).toEqual([
      ['acme-customer-data-444444444444', ACCESS_LOGS, 'us-east-1'],
      ['acme-customer-data-eu-444444444444', `acme-soc2-access-logs-${MEMBER}-eu-west-1`, 'eu-west-1'],
      ['acme-payments-444444444444', ACCESS_LOGS, 'us-east-1'],
    ]);
    // Each target admits exactly its Region's buckets.
    const eu = oneResource(j, 'aws_s3_bucket_policy', (p) => p.bucket === bucketRef(j, `acme-soc2-access-logs-${MEMBER}-eu-west-1`));
    expect(statement(eu.policy, 'S3ServerAccessLogDelivery').Condition.ArnLike['aws:SourceArn']).toEqual(['arn:aws:s3:::acme-customer-data-eu-444444444444']);
    // Another member's stack has none.
    expect(resourcesOf(synthStack(config, 'member-555555555555'), 'aws_s3_bucket_logging')).toHaveLength(0);
  });

  test('sensitiveData.serverAccessLogs false: no access-log bucket, no logging (a control exception)', () => {
    const config = configWith((raw) => {
      raw.sensitiveData.serverAccessLogs = false;
      raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 's3.sensitive-bucket-access-logs', reason: 'The data events are enough for this test.' }];
    });
    const j = synthStack(config, `member-${MEMBER}`);
    expect(resourcesOf(j, 'aws_s3_bucket_logging')).toHaveLength(0);
    expect(resourcesOf(j, 'aws_s3_bucket').filter(([, b]) => b.bucket === ACCESS_LOGS)).toHaveLength(0);
  });
});
