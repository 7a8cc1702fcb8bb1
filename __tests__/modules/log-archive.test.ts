import { configWith, exampleConfig, oneResource, refTo, resourcesOf, statement, synthStack, type Synth } from '../helpers';

const ACCESS_LOGS = 'acme-soc2-s3-access-logs-222222222222-us-east-1';
const CLOUDTRAIL = 'acme-soc2-cloudtrail-222222222222-us-east-1';
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-soc2-org-trail';

/** The sub-resource of `type` configured for the bucket named `bucketName`. */
function forBucket(json: Synth, type: string, bucketName: string): Record<string, any> {
  const ref = refTo(json, 'aws_s3_bucket', (b) => b.bucket === bucketName, 'id');
  return oneResource(json, type, (r) => r.bucket === ref);
}

function keyPolicyFor(json: Synth, alias: string): string {
  const aliasResource = oneResource(json, 'aws_kms_alias', (a) => a.name === alias);
  const keyId = /^\$\{aws_kms_key\.([^.]+)\.key_id\}$/.exec(aliasResource.target_key_id)![1];
  return json.resource!.aws_kms_key[keyId].policy;
}

describe('log archive buckets', () => {
  const json = synthStack(exampleConfig(), 'management');
  const allBuckets = [ACCESS_LOGS, CLOUDTRAIL];

  test('exist in the log-archive account, in the home Region, with Object Lock and prevent_destroy', () => {
    const buckets = resourcesOf(json, 'aws_s3_bucket').map(([, b]) => b);
    expect(buckets.map((b) => b.bucket).sort()).toEqual(allBuckets.sort());
    for (const b of buckets) {
      expect(b).toMatchObject({
        provider: 'aws.log_archive',
        region: 'us-east-1',
        object_lock_enabled: true,
        force_destroy: false,
        lifecycle: { prevent_destroy: true },
      });
    }
  });

  test.each(allBuckets)('%s blocks all public access and enforces bucket-owner ownership', (name) => {
    expect(forBucket(json, 'aws_s3_bucket_public_access_block', name)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(forBucket(json, 'aws_s3_bucket_ownership_controls', name).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test.each(allBuckets)('%s is versioned', (name) => {
    expect(forBucket(json, 'aws_s3_bucket_versioning', name).versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test('the CloudTrail bucket is encrypted with its customer-managed key and bucket keys', () => {
    const rule = forBucket(json, 'aws_s3_bucket_server_side_encryption_configuration', CLOUDTRAIL).rule;
    const keyRef = refTo(json, 'aws_kms_key', (k) => k.description.includes('organization trail log files'), 'arn');
    expect(rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: keyRef }, bucket_key_enabled: true },
    ]);
  });

  test('the access-log bucket uses SSE-S3, as S3 server access logging requires', () => {
    const rule = forBucket(json, 'aws_s3_bucket_server_side_encryption_configuration', ACCESS_LOGS).rule;
    expect(rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
  });

  test('log buckets keep objects under an Object Lock default retention equal to the log retention', () => {
    expect(forBucket(json, 'aws_s3_bucket_object_lock_configuration', CLOUDTRAIL).rule).toEqual({
      default_retention: { mode: 'GOVERNANCE', days: 365 },
    });
  });

  test('the access-log bucket has no default retention (S3 refuses log delivery into one)', () => {
    const ref = refTo(json, 'aws_s3_bucket', (b) => b.bucket === ACCESS_LOGS, 'id');
    expect(resourcesOf(json, 'aws_s3_bucket_object_lock_configuration').filter(([, r]) => r.bucket === ref)).toEqual([]);
  });

  test('COMPLIANCE mode and a longer retention come from the config', () => {
    const config = configWith((raw) => {
      raw.retention = { logArchiveDays: 2557, objectLockMode: 'COMPLIANCE', transitionToColdStorageDays: 180 };
    });
    const custom = synthStack(config, 'management');
    expect(forBucket(custom, 'aws_s3_bucket_object_lock_configuration', CLOUDTRAIL).rule).toEqual({
      default_retention: { mode: 'COMPLIANCE', days: 2557 },
    });
    const rule = forBucket(custom, 'aws_s3_bucket_lifecycle_configuration', CLOUDTRAIL).rule[0];
    expect(rule.transition).toEqual([{ days: 180, storage_class: 'GLACIER_IR' }]);
    expect(rule.expiration).toEqual([{ days: 2557 }]);
  });

  test.each(allBuckets)('%s moves logs to cold storage, expires them after retention, and cleans up', (name) => {
    expect(forBucket(json, 'aws_s3_bucket_lifecycle_configuration', name).rule).toEqual([
      {
        id: 'log-retention',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        transition: [{ days: 90, storage_class: 'GLACIER_IR' }],
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  test('every log bucket but the access-log bucket logs its access into the access-log bucket', () => {
    const logging = resourcesOf(json, 'aws_s3_bucket_logging').map(([, r]) => r);
    expect(logging).toHaveLength(allBuckets.length - 1);
    expect(forBucket(json, 'aws_s3_bucket_logging', CLOUDTRAIL)).toMatchObject({
      target_bucket: ACCESS_LOGS,
      target_prefix: `${CLOUDTRAIL}/`,
    });
  });

  test.each(allBuckets)('%s denies any request without TLS 1.2+', (name) => {
    const policy = forBucket(json, 'aws_s3_bucket_policy', name).policy;
    const arn = `arn:aws:s3:::${name}`;
    expect(statement(policy, 'DenyInsecureTransport')).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statement(policy, 'DenyOutdatedTls').Condition).toEqual({ NumericLessThan: { 's3:TlsVersion': '1.2' } });
  });

  test('the CloudTrail bucket lets only the org trail check its ACL and write, under both prefixes', () => {
    const policy = forBucket(json, 'aws_s3_bucket_policy', CLOUDTRAIL).policy;
    const arn = `arn:aws:s3:::${CLOUDTRAIL}`;
    expect(statement(policy, 'CloudTrailAclCheck')).toEqual({
      Sid: 'CloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: arn,
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
    });
    expect(statement(policy, 'CloudTrailWriteOrganizationTrail')).toEqual({
      Sid: 'CloudTrailWriteOrganizationTrail',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: [`${arn}/AWSLogs/111111111111/*`, `${arn}/AWSLogs/o-exampleorg01/*`],
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN } },
    });
  });

  test('the access-log bucket accepts server access logs only from the log buckets of this account', () => {
    const policy = forBucket(json, 'aws_s3_bucket_policy', ACCESS_LOGS).policy;
    expect(statement(policy, 'S3ServerAccessLogDelivery')).toEqual({
      Sid: 'S3ServerAccessLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${ACCESS_LOGS}/*`,
      Condition: {
        ArnLike: { 'aws:SourceArn': [`arn:aws:s3:::${CLOUDTRAIL}`] },
        StringEquals: { 'aws:SourceAccount': '222222222222' },
      },
    });
  });

  test('no bucket policy allows a wildcard principal', () => {
    for (const [, p] of resourcesOf(json, 'aws_s3_bucket_policy')) {
      for (const st of JSON.parse(p.policy).Statement) {
        if (st.Principal === '*') expect(st.Effect).toBe('Deny');
      }
    }
  });
});

describe('the CloudTrail key', () => {
  const json = synthStack(exampleConfig(), 'management');
  const key = oneResource(json, 'aws_kms_key', (k) => k.description.includes('organization trail log files'));
  const policy = keyPolicyFor(json, 'alias/acme-soc2/cloudtrail');

  test('rotates, has the longest deletion window and cannot be destroyed by a plan', () => {
    expect(key).toMatchObject({
      provider: 'aws.log_archive',
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('lets CloudTrail encrypt only for the org trail', () => {
    expect(statement(policy, 'CloudTrailEncryptForOrganizationTrail')).toEqual({
      Sid: 'CloudTrailEncryptForOrganizationTrail',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN, 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL_ARN } },
    });
    expect(statement(policy, 'CloudTrailDescribeKey').Condition).toEqual({ StringEquals: { 'aws:SourceArn': TRAIL_ARN } });
  });

  test('is administered by its own account only', () => {
    expect(statement(policy, 'KeyAdministrationByOwningAccount').Principal).toEqual({ AWS: 'arn:aws:iam::222222222222:root' });
    for (const st of JSON.parse(policy).Statement) expect(st.Principal).not.toBe('*');
  });
});
