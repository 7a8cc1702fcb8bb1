import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RETIRED_ACCESS_LOG_BUCKET_ADDRESSES } from '../../modules/log-archive/log-archive';
import type { ContextValue, RequestPrincipal } from '../../evidence/policy-evaluator';
import { simulate } from '../iam-simulator';
import { administrators, exempt, parsed } from './guardrails/fixtures';
import { configWith, exampleConfig, oneResource, refTo, resourcesOf, statement, statements, synthStack, withoutInvestigations, REPO_ROOT, type Synth } from '../helpers';

const bucket = (kind: string) => `acme-soc2-${kind}-222222222222-us-east-1`;
const ACCESS_LOGS = bucket('s3-server-logs');
const RETIRED_ACCESS_LOGS = bucket('s3-access-logs');
const CLOUDTRAIL = bucket('cloudtrail');
const CONFIG = bucket('config');
const FLOWLOGS = bucket('flowlogs');
const GUARDDUTY = bucket('guardduty');
const ALL_BUCKETS = [ACCESS_LOGS, CLOUDTRAIL, CONFIG, FLOWLOGS, GUARDDUTY];
const KMS_BUCKETS = [CLOUDTRAIL, CONFIG, FLOWLOGS, GUARDDUTY];
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-soc2-org-trail';
const READER = 'arn:aws:iam::333333333333:role/SecurityLogReader';
const ORG = { 'aws:SourceOrgID': 'o-exampleorg01' };

/** The sub-resource of `type` configured for the bucket named `bucketName`. */
function forBucket(json: Synth, type: string, bucketName: string): Record<string, any> {
  const ref = refTo(json, 'aws_s3_bucket', (b) => b.bucket === bucketName, 'id');
  return oneResource(json, type, (r) => r.bucket === ref);
}

function keyByAlias(json: Synth, alias: string): Record<string, any> {
  const aliasResource = oneResource(json, 'aws_kms_alias', (a) => a.name === alias);
  const keyId = /^\$\{aws_kms_key\.([^.]+)\.key_id\}$/.exec(aliasResource.target_key_id)![1];
  return json.resource!.aws_kms_key[keyId];
}

function keyArnRef(json: Synth, alias: string): string {
  const aliasResource = oneResource(json, 'aws_kms_alias', (a) => a.name === alias);
  return aliasResource.target_key_id.replace('.key_id}', '.arn}');
}

const json = synthStack(exampleConfig(), 'management');
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const policyOf = (name: string) => forBucket(json, 'aws_s3_bucket_policy', name).policy;

describe('log archive buckets', () => {
  test('are the five central buckets, in the log-archive account and home Region, with prevent_destroy', () => {
    const buckets = resourcesOf(json, 'aws_s3_bucket').map(([, b]) => b);
    expect(buckets.map((b) => b.bucket).sort()).toEqual([...ALL_BUCKETS].sort());
    for (const b of buckets) {
      expect(b).toMatchObject({ provider: 'aws.log_archive', region: 'us-east-1', force_destroy: false, lifecycle: { prevent_destroy: true } });
    }
  });

  test.each(ALL_BUCKETS)('%s blocks all public access and enforces bucket-owner ownership', (name) => {
    expect(forBucket(json, 'aws_s3_bucket_public_access_block', name)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(forBucket(json, 'aws_s3_bucket_ownership_controls', name).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test.each(ALL_BUCKETS)('%s is versioned', (name) => {
    expect(forBucket(json, 'aws_s3_bucket_versioning', name).versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test.each([
    [CLOUDTRAIL, 'alias/acme-soc2/cloudtrail'],
    [CONFIG, 'alias/acme-soc2/config'],
    [FLOWLOGS, 'alias/acme-soc2/flowlogs'],
    [GUARDDUTY, 'alias/acme-soc2/guardduty'],
  ])('%s is encrypted with its own customer-managed key (%s) and bucket keys', (name, alias) => {
    expect(forBucket(json, 'aws_s3_bucket_server_side_encryption_configuration', name).rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: keyArnRef(json, alias) },
        bucket_key_enabled: true,
      },
    ]);
  });

  test('the access-log bucket uses SSE-S3, as S3 server access logging requires', () => {
    expect(forBucket(json, 'aws_s3_bucket_server_side_encryption_configuration', ACCESS_LOGS).rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
    ]);
  });

  describe('Object Lock', () => {
    const enabled = (name: string) => oneResource(json, 'aws_s3_bucket', (b) => b.bucket === name).object_lock_enabled;
    const lockRule = (name: string) => {
      const ref = refTo(json, 'aws_s3_bucket', (b) => b.bucket === name, 'id');
      return resourcesOf(json, 'aws_s3_bucket_object_lock_configuration')
        .filter(([, r]) => r.bucket === ref)
        .map(([, r]) => r.rule);
    };

    test.each([CLOUDTRAIL, FLOWLOGS, GUARDDUTY])('%s locks every object for the log retention (GOVERNANCE by default)', (name) => {
      expect(enabled(name)).toBe(true);
      expect(lockRule(name)).toEqual([{ default_retention: { mode: 'GOVERNANCE', days: 365 } }]);
    });

    // "S3 buckets with Object Lock can't be used as destination buckets for server access logs"
    // (S3 User Guide, https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html).
    test('the access-log bucket has no Object Lock at all, so S3 really delivers access logs into it; deletion is denied instead', () => {
      expect(enabled(ACCESS_LOGS)).toBe(false);
      expect(lockRule(ACCESS_LOGS)).toEqual([]);
      expect(statement(policyOf(ACCESS_LOGS), 'DenyLogDeletion')).toMatchObject({ Effect: 'Deny', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'] });
    });

    test("the access-log bucket denies every administrator the overwrite of a log object (s3:PutObject), not S3 logging's delivery", async () => {
      // Without Object Lock an overwrite turns the delivered log into a noncurrent version the lifecycle
      // expires after 30 days. aws:PrincipalIsAWSService is false in every signed request but a service
      // principal's (IAM User Guide, "AWS global condition context keys":
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice).
      const LOG_ARCHIVE = '222222222222';
      const object = `arn:aws:s3:::${ACCESS_LOGS}/${CLOUDTRAIL}/2026-01-01-00-00-00-0123456789ABCDEF`;
      const put = (principal: RequestPrincipal, resourcePolicy: ReturnType<typeof parsed>, context: Record<string, ContextValue> = {}) =>
        simulate({ principal, action: 's3:PutObject', resource: object, resourceAccount: LOG_ARCHIVE, context: { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3', ...context } }, { resourcePolicy });
      expect(statement(policyOf(ACCESS_LOGS), 'DenyLogOverwrite')).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } } });
      for (const [who, principal] of [...administrators(LOG_ARCHIVE), ...exempt(LOG_ARCHIVE)]) {
        expect({ who, decision: await put(principal, parsed(policyOf(ACCESS_LOGS))) }).toEqual({ who, decision: 'ExplicitlyDenied' });
      }
      // S3 User Guide, "Permissions for log delivery" (Deny statements must not prevent it):
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html.
      const delivery = { 'aws:SourceArn': `arn:aws:s3:::${CLOUDTRAIL}`, 'aws:SourceAccount': LOG_ARCHIVE };
      expect(await put({ kind: 'service', service: 'logging.s3.amazonaws.com' }, parsed(policyOf(ACCESS_LOGS)), delivery)).toBe('Allowed');
      // Breaking: without the deny, an administrator overwrites a log object.
      const doc = JSON.parse(policyOf(ACCESS_LOGS));
      doc.Statement = doc.Statement.filter((s: any) => s.Sid !== 'DenyLogOverwrite');
      expect(await put(administrators(LOG_ARCHIVE)[0][1], doc)).toBe('Allowed');
    });

    test('every bucket logs its access into a target without Object Lock', () => {
      const logging = resourcesOf(json, 'aws_s3_bucket_logging').map(([, r]) => r);
      expect(logging).toHaveLength(KMS_BUCKETS.length);
      for (const l of logging) {
        expect(l.target_bucket).toBe(ACCESS_LOGS);
        expect(enabled(l.target_bucket)).toBe(false);
      }
    });

    test('the first access-log bucket (Object Lock, never delivered into) is no longer declared; README says how to keep it', () => {
      expect(resourcesOf(json, 'aws_s3_bucket').map(([, b]) => b.bucket)).not.toContain(RETIRED_ACCESS_LOGS);
      for (const address of RETIRED_ACCESS_LOG_BUCKET_ADDRESSES) {
        const [type, id] = address.split('.');
        expect(json.resource![type]?.[id]).toBeUndefined();
        expect(readme).toContain(`state rm '${address}'`);
      }
      // No removed or import block: checkov's terraform_json parser cannot read label-less blocks.
      expect(Object.keys(json)).not.toContain('removed');
    });

    test('the Config bucket has no Object Lock (AWS Config refuses to deliver into one): deletion is denied instead', () => {
      expect(enabled(CONFIG)).toBe(false);
      expect(lockRule(CONFIG)).toEqual([]);
      expect(statement(policyOf(CONFIG), 'DenyLogDeletion')).toBeDefined();
    });

    test('COMPLIANCE mode and a longer retention come from the config', () => {
      const config = configWith((raw) => {
        raw.retention = { logArchiveDays: 2557, objectLockMode: 'COMPLIANCE', transitionToColdStorageDays: 180 };
      });
      const custom = synthStack(config, 'management');
      expect(forBucket(custom, 'aws_s3_bucket_object_lock_configuration', CLOUDTRAIL).rule).toEqual({
        default_retention: { mode: 'COMPLIANCE', days: 2557 },
      });
      const rule = forBucket(custom, 'aws_s3_bucket_lifecycle_configuration', FLOWLOGS).rule[0];
      expect(rule.transition).toEqual([{ days: 180, storage_class: 'GLACIER_IR' }]);
      expect(rule.expiration).toEqual([{ days: 2557 }]);
    });
  });

  test.each(ALL_BUCKETS)('%s moves logs to cold storage, expires them after retention, and cleans up', (name) => {
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

  test('every log bucket but the access-log bucket logs its access into the access-log bucket, once it exists', () => {
    expect(resourcesOf(json, 'aws_s3_bucket_logging')).toHaveLength(4);
    const target = refTo(json, 'aws_s3_bucket', (b) => b.bucket === ACCESS_LOGS, 'id').replace(/^\$\{(.*)\.id\}$/, '$1');
    const targetPolicy = refTo(json, 'aws_s3_bucket_policy', (p) => p.policy.includes('S3ServerAccessLogDelivery'), 'id').replace(
      /^\$\{(.*)\.id\}$/,
      '$1',
    );
    for (const name of KMS_BUCKETS) {
      const logging = forBucket(json, 'aws_s3_bucket_logging', name);
      expect(logging).toMatchObject({ target_bucket: ACCESS_LOGS, target_prefix: `${name}/` });
      expect(logging.depends_on).toEqual([target, targetPolicy]);
    }
  });

  describe('bucket policies', () => {
    test.each(ALL_BUCKETS)('%s denies any request without TLS 1.2+', (name) => {
      const arn = `arn:aws:s3:::${name}`;
      expect(statement(policyOf(name), 'DenyInsecureTransport')).toEqual({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      expect(statement(policyOf(name), 'DenyOutdatedTls').Condition).toEqual({ NumericLessThan: { 's3:TlsVersion': '1.2' } });
    });

    test.each(ALL_BUCKETS)('%s denies deleting log objects to everyone but AWS services (lifecycle expiry)', (name) => {
      expect(statement(policyOf(name), 'DenyLogDeletion')).toEqual({
        Sid: 'DenyLogDeletion',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: `arn:aws:s3:::${name}/*`,
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
      });
    });

    test.each(ALL_BUCKETS)('%s lets only the configured log readers read', (name) => {
      const arn = `arn:aws:s3:::${name}`;
      expect(statement(policyOf(name), 'LogReadersRead')).toEqual({
        Sid: 'LogReadersRead',
        Effect: 'Allow',
        Principal: { AWS: [READER] },
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'],
        Resource: [arn, `${arn}/*`],
      });
      expect(statement(policyOf(name), 'DenyReadsExceptLogReaders')).toEqual({
        Sid: 'DenyReadsExceptLogReaders',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: `${arn}/*`,
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' }, ArnNotLike: { 'aws:PrincipalArn': [READER] } },
      });
    });

    test('without readers configured, nobody but AWS services reads the logs', () => {
      // Investigations need a log reader in the audit account, so a config without readers turns them off.
      const noReaders = synthStack(
        configWith((raw) => {
          delete raw.logArchive;
          withoutInvestigations(raw);
        }),
        'management'
      );
      const policy = forBucket(noReaders, 'aws_s3_bucket_policy', CLOUDTRAIL).policy;
      expect(statements(policy).map((s) => s.Sid)).not.toContain('LogReadersRead');
      expect(statement(policy, 'DenyReadsExceptLogReaders').Condition).toEqual({ Bool: { 'aws:PrincipalIsAWSService': 'false' } });
    });

    test('the CloudTrail bucket lets only the org trail check its ACL and write, under both prefixes', () => {
      const arn = `arn:aws:s3:::${CLOUDTRAIL}`;
      expect(statement(policyOf(CLOUDTRAIL), 'CloudTrailAclCheck')).toEqual({
        Sid: 'CloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: arn,
        Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
      });
      expect(statement(policyOf(CLOUDTRAIL), 'CloudTrailWriteOrganizationTrail')).toEqual({
        Sid: 'CloudTrailWriteOrganizationTrail',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: [`${arn}/AWSLogs/111111111111/*`, `${arn}/AWSLogs/o-exampleorg01/*`],
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN } },
      });
    });

    test('the Config bucket lets AWS Config of the organization check it and deliver under AWSLogs/*/Config/', () => {
      const arn = `arn:aws:s3:::${CONFIG}`;
      expect(statement(policyOf(CONFIG), 'ConfigBucketPermissionsCheck')).toEqual({
        Sid: 'ConfigBucketPermissionsCheck',
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: arn,
        Condition: { StringEquals: ORG },
      });
      expect(statement(policyOf(CONFIG), 'ConfigDeliveryFromOrganization')).toEqual({
        Sid: 'ConfigDeliveryFromOrganization',
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/AWSLogs/*/Config/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...ORG } },
      });
    });

    test('the flow-log bucket lets log delivery of the organization check it and write under AWSLogs/', () => {
      const arn = `arn:aws:s3:::${FLOWLOGS}`;
      expect(statement(policyOf(FLOWLOGS), 'FlowLogDeliveryAclCheck')).toMatchObject({
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: arn,
        Condition: { StringEquals: ORG },
      });
      expect(statement(policyOf(FLOWLOGS), 'FlowLogDeliveryFromOrganization')).toMatchObject({
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/AWSLogs/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...ORG } },
      });
    });

    test('the GuardDuty bucket accepts exports only from the audit account detectors', () => {
      const arn = `arn:aws:s3:::${GUARDDUTY}`;
      const fromAudit = {
        StringEquals: { 'aws:SourceAccount': '333333333333' },
        StringLike: { 'aws:SourceArn': 'arn:aws:guardduty:*:333333333333:detector/*' },
      };
      expect(statement(policyOf(GUARDDUTY), 'GuardDutyBucketLocation')).toMatchObject({
        Principal: { Service: 'guardduty.amazonaws.com' },
        Action: 's3:GetBucketLocation',
        Resource: arn,
        Condition: fromAudit,
      });
      expect(statement(policyOf(GUARDDUTY), 'GuardDutyExportFromAuditAccount')).toMatchObject({
        Principal: { Service: 'guardduty.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/*`,
        Condition: fromAudit,
      });
      expect(statement(keyByAlias(json, 'alias/acme-soc2/guardduty').policy, 'GuardDutyExportFromAuditAccount')).toMatchObject({
        Action: 'kms:GenerateDataKey',
        Condition: fromAudit,
      });
    });

    test('the access-log bucket accepts server access logs only from the other log buckets of this account', () => {
      expect(statement(policyOf(ACCESS_LOGS), 'S3ServerAccessLogDelivery')).toEqual({
        Sid: 'S3ServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${ACCESS_LOGS}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': [CLOUDTRAIL, CONFIG, FLOWLOGS, GUARDDUTY].map((b) => `arn:aws:s3:::${b}`) },
          StringEquals: { 'aws:SourceAccount': '222222222222' },
        },
      });
    });

    test('every Allow names a principal and every service grant carries a source condition', () => {
      for (const [, p] of resourcesOf(json, 'aws_s3_bucket_policy')) {
        for (const st of statements(p.policy)) {
          if (st.Principal === '*') expect(st.Effect).toBe('Deny');
          if (st.Principal === '*') expect(st.Condition).toBeDefined();
          if (st.Effect === 'Allow' && st.Principal.Service) {
            expect(JSON.stringify(st.Condition)).toMatch(/aws:Source(Arn|Account|OrgID)/);
          }
        }
      }
    });
  });
});

describe('log archive keys', () => {
  const aliases = ['alias/acme-soc2/cloudtrail', 'alias/acme-soc2/config', 'alias/acme-soc2/flowlogs', 'alias/acme-soc2/guardduty'];

  test.each(aliases)('%s rotates, has the longest deletion window and cannot be destroyed by a plan', (alias) => {
    expect(keyByAlias(json, alias)).toMatchObject({
      provider: 'aws.log_archive',
      region: 'us-east-1',
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
  });

  test.each(aliases)('%s is administered by its own account and lets readers decrypt only through S3', (alias) => {
    const policy = keyByAlias(json, alias).policy;
    expect(statement(policy, 'KeyAdministrationByOwningAccount').Principal).toEqual({ AWS: 'arn:aws:iam::222222222222:root' });
    expect(statement(policy, 'LogReadersDecryptThroughS3')).toEqual({
      Sid: 'LogReadersDecryptThroughS3',
      Effect: 'Allow',
      Principal: { AWS: [READER] },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
    // No grant to a wildcard principal (the guardrails' tampering denial is a Deny to everyone).
    for (const st of statements(policy).filter((s) => s.Effect === 'Allow')) expect(st.Principal).not.toBe('*');
  });

  test('CloudTrail may encrypt only for the org trail (encryption context and source ARN)', () => {
    const policy = keyByAlias(json, 'alias/acme-soc2/cloudtrail').policy;
    expect(statement(policy, 'CloudTrailEncryptForOrganizationTrail')).toEqual({
      Sid: 'CloudTrailEncryptForOrganizationTrail',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN, 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL_ARN } },
    });
    // DescribeKey checks the key; Decrypt is needed with an S3 Bucket Key. No encryption context there.
    expect(statement(policy, 'CloudTrailDescribeAndDecryptForOrganizationTrail')).toEqual({
      Sid: 'CloudTrailDescribeAndDecryptForOrganizationTrail',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: ['kms:DescribeKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
    });
  });

  test('AWS Config and log delivery may use their keys only for the organization', () => {
    expect(statement(keyByAlias(json, 'alias/acme-soc2/config').policy, 'ConfigDeliveryFromOrganization')).toEqual({
      Sid: 'ConfigDeliveryFromOrganization',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: ORG },
    });
    expect(statement(keyByAlias(json, 'alias/acme-soc2/flowlogs').policy, 'FlowLogDeliveryFromOrganization')).toEqual({
      Sid: 'FlowLogDeliveryFromOrganization',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: ORG },
    });
  });
});

describe('scale and safety', () => {
  const thousand = configWith((raw) => {
    for (let i = 0; i < 995; i++) {
      raw.members.push({ id: String(600000000000 + i), name: `acct-${i}`, email: `a${i}@example.com`, ou: 'Workloads' });
    }
  });

  test('bucket and key policies are the same for 5 accounts and 1,000, and fit S3 and KMS limits', () => {
    const big = synthStack(thousand, 'management');
    for (const type of ['aws_s3_bucket_policy', 'aws_kms_key']) {
      const policies = (j: Synth) => resourcesOf(j, type).map(([, r]) => r.policy);
      expect(policies(big)).toEqual(policies(json));
      for (const policy of policies(big)) expect(Buffer.byteLength(policy)).toBeLessThan(20 * 1024);
    }
  });

  test('removing an account from the config leaves the log archive untouched', () => {
    const fewer = synthStack(configWith((raw) => raw.members.splice(4, 1)), 'management');
    const archive = (j: Synth) =>
      Object.fromEntries(
        Object.entries(j.resource!).map(([type, byId]) => [type, Object.entries(byId).filter(([, r]) => r.provider === 'aws.log_archive')]),
      );
    expect(archive(fewer)).toEqual(archive(json));
  });
});
