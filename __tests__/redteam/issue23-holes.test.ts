/**
 * The red team's cases against issue 23. Those marked CLOSED assert that the hole is closed (the call
 * is denied, or the binder FAILs). The others record a gap left open on purpose and stated in
 * docs/detection.md (the database's own audit settings, replication, notifications, VPC endpoint
 * policies): each asserts that the gap is still there, so closing one turns its test red, to be
 * inverted then.
 *
 * Attacker: an administrator of the member account that owns the sensitive bucket (444444444444 in the
 * example org), holding AdministratorAccess, under the synthesized SCPs, evaluated with the tests' IAM
 * simulator (fixtures.ts, underScps). Each one-call change below blinds an issue-23 control while its
 * evidence item still PASSes. Tests marked CLOSED assert that a hole was closed (issue-23 fix round).
 */
import { GetMalwareProtectionPlanCommand, GuardDutyClient, ListMalwareProtectionPlansCommand } from '@aws-sdk/client-guardduty';
import { GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { malwareProtectionTasks } from '../../evidence/checks/malware-protection';
import { createContext, runTasks } from '../../evidence/collect';
import { deniedInEveryContext } from '../../evidence/policy-judge';
import { configWith, exampleConfig, oneResource, resourcesOf, synthStack } from '../helpers';
import { simulate } from '../iam-simulator';
import { administrators, ADMINISTRATOR_ACCESS, MEMBER, parsed, scpDocuments, underScps } from '../modules/guardrails/fixtures';

const config = exampleConfig();
const scps = scpDocuments(synthStack(config, 'management'));
const member = synthStack(config, `member-${MEMBER}`);
const admin = administrators(MEMBER)[0][1];
const SENSITIVE = `acme-customer-data-${MEMBER}`;
const ACCESS_LOGS = `acme-soc2-access-logs-${MEMBER}-us-east-1`;
const LOG_OBJECT = `arn:aws:s3:::${ACCESS_LOGS}/${SENSITIVE}/${MEMBER}/us-east-1/${SENSITIVE}/2026/01/01/2026-01-01-00-00-00-0123456789ABCDEF`;

const accessLogPolicy = () => {
  const [id] = resourcesOf(member, 'aws_s3_bucket').find(([, b]) => b.bucket === ACCESS_LOGS)!;
  return oneResource(member, 'aws_s3_bucket_policy', (p) => p.bucket === `\${aws_s3_bucket.${id}.id}`).policy as string;
};

describe('s3.sensitive-bucket-access-logs: overwrite a delivered log object (CLOSED)', () => {
  test("the access-log bucket policy's DenyLogOverwrite explicitly denies the admin s3:PutObject on a log key, under the SCPs and AdministratorAccess", async () => {
    // S3 PutObject on an existing key creates a new current version; the old one becomes noncurrent and the
    // construct's lifecycle expires noncurrent versions after NONCURRENT_VERSION_DAYS (30). The bucket policy
    // now denies s3:PutObject to every principal that is not an AWS service (aws:PrincipalIsAWSService false:
    // IAM User Guide, "AWS global condition context keys",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice).
    const decision = await simulate(
      { principal: admin, action: 's3:PutObject', resource: LOG_OBJECT, resourceAccount: MEMBER, context: { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' } },
      { scps: scps.map(parsed), identity: [parsed(ADMINISTRATOR_ACCESS)], resourcePolicy: parsed(accessLogPolicy()) },
    );
    expect(decision).toBe('ExplicitlyDenied');
  });

  test("the binder's judge of that policy asks about the overwrite too, and finds it denied; without the deny it would not be", () => {
    // The questions evidence/checks/sensitive-buckets.ts judgeTarget asks.
    const arn = `arn:aws:s3:::${ACCESS_LOGS}`;
    const question = { actions: ['s3:PutObject'], resources: [`${arn}/x`], within: [`${arn}/*`], accounts: [MEMBER], organizationId: config.organization.id };
    expect(deniedInEveryContext(accessLogPolicy(), question).denied).toBe(true);
    const withoutDeny = JSON.parse(accessLogPolicy());
    withoutDeny.Statement = withoutDeny.Statement.filter((s: { Sid?: string }) => s.Sid !== 'DenyLogOverwrite');
    expect(deniedInEveryContext(JSON.stringify(withoutDeny), question).denied).toBe(false);
  });
});

describe('guardduty.malware-protection-s3: starve the scanner without touching the plan', () => {
  test.each([
    // Replicate the bucket elsewhere and read the copies where no access log / data event / scan looks.
    ['s3:PutReplicationConfiguration', `arn:aws:s3:::${SENSITIVE}`],
    ['s3:PutBucketNotification', `arn:aws:s3:::${SENSITIVE}`],
  ])('%s on %s is Allowed to the member admin', async (action, resource) => {
    expect(await underScps(scps, admin, action, resource)).toBe('Allowed');
  });

  // CLOSED: the SCP statement ProtectMalwareProtectionRules (modules/guardrails/scp-statements.ts).
  test.each([
    // Managed rule of the plan: remove its target (Force) or delete it.
    ['events:RemoveTargets', `arn:aws:events:us-east-1:${MEMBER}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3abcdef`],
    ['events:DeleteRule', `arn:aws:events:us-east-1:${MEMBER}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3abcdef`],
  ])('CLOSED: %s on %s is ExplicitlyDenied to the member admin', async (action, resource) => {
    expect(await underScps(scps, admin, action, resource)).toBe('ExplicitlyDenied');
  });

  // CLOSED in the binder: s3:PutBucketPolicy, s3:PutEncryptionConfiguration and kms:PutKeyPolicy stay Allowed
  // to the owner's admin (the bucket and its key are the owner's), but each starving change now FAILs the item.
  const KEY = `arn:aws:kms:us-east-1:${MEMBER}:key/11111111-2222-3333-4444-555555555555`;
  const ROLE = `arn:aws:iam::${MEMBER}:role/acme-soc2-guardduty-malware-protection-s3`;
  const keyed = configWith((raw) => {
    raw.sensitiveData.buckets = raw.sensitiveData.buckets.map((b: Record<string, unknown>) => ({ ...b, kmsKeyArn: KEY }));
  });
  const policyDoc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
  test.each([
    // Deny the plan's role s3:GetObject on the sensitive bucket (a new bucket policy statement).
    ['s3:PutBucketPolicy', { bucketPolicy: policyDoc({ Sid: 'Starve', Effect: 'Deny', Principal: { AWS: ROLE }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${SENSITIVE}/*` }) }, /bucket policy's statement Starve denies/],
    // Re-key the bucket's default encryption to a key the role has no grant on.
    ['s3:PutEncryptionConfiguration', { keyId: `arn:aws:kms:us-east-1:${MEMBER}:key/99999999-2222-3333-4444-555555555555` }, /not sensitiveData\.buckets\[\]\.kmsKeyArn/],
    // Deny the role kms:Decrypt in the (owner's, untagged) bucket key's policy.
    ['kms:PutKeyPolicy', { keyPolicy: policyDoc({ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: 'kms:*', Resource: '*' }, { Sid: 'NoScan', Effect: 'Deny', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }) }, /statement NoScan, denies the Malware Protection role/],
  ])('CLOSED: after %s the check FAILs though the plan stays ACTIVE', async (_action, change: { bucketPolicy?: string; keyId?: string; keyPolicy?: string }, reason) => {
    const gd = mockClient(GuardDutyClient);
    const s3 = mockClient(S3Client);
    const kms = mockClient(KMSClient);
    try {
      gd.on(ListMalwareProtectionPlansCommand).resolves({ MalwareProtectionPlans: [{ MalwareProtectionPlanId: 'p1' }] });
      gd.on(GetMalwareProtectionPlanCommand).resolves({
        Role: ROLE,
        // AWS: an ACTIVE plan stays ACTIVE when the role's permissions change (GuardDuty User Guide, "Viewing and
        // understanding protected bucket status": https://docs.aws.amazon.com/guardduty/latest/ug/malware-protection-s3-bucket-status-gdu.html);
        // a denied object read is a per-object ACCESS_DENIED scan result, not a plan status.
        ProtectedResource: { S3Bucket: { BucketName: SENSITIVE } },
        Actions: { Tagging: { Status: 'ENABLED' } },
        Status: 'ACTIVE',
      });
      // S3 GetBucketPolicy Policy (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html); NoSuchBucketPolicy when none.
      if (change.bucketPolicy) s3.on(GetBucketPolicyCommand).resolves({ Policy: change.bucketPolicy });
      else s3.on(GetBucketPolicyCommand).rejects(Object.assign(new Error('The bucket policy does not exist'), { name: 'NoSuchBucketPolicy' }));
      // GetBucketEncryption ApplyServerSideEncryptionByDefault (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html).
      s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: change.keyId ?? KEY } }] } });
      // KMS GetKeyPolicy Policy, PolicyName (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html).
      kms.on(GetKeyPolicyCommand).resolves({ PolicyName: 'default', Policy: change.keyPolicy ?? policyDoc({ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: 'kms:*', Resource: '*' }) });
      const { ctx } = createContext({ config: keyed, now: () => new Date('2026-03-02T12:00:00Z'), validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
      await runTasks(ctx, malwareProtectionTasks(ctx), 1);
      const items = [...ctx.items];
      expect(items.map((i) => i.status)).toEqual(['FAIL']);
      expect(items[0].reason).toMatch(reason);
    } finally {
      gd.restore();
      s3.restore();
      kms.restore();
    }
  });
});

describe('RDS audit logging rules: blind the database audit without changing what the rules read', () => {
  test.each([
    // server_audit_excl_users / server_audit_events in the cluster parameter group; pgaudit.log = none.
    ['rds:ModifyDBClusterParameterGroup', `arn:aws:rds:us-east-1:${MEMBER}:cluster-pg:app-aurora-mysql`],
    ['rds:ModifyDBParameterGroup', `arn:aws:rds:us-east-1:${MEMBER}:pg:app-postgres`],
    // Erase the exported audit history: the export configuration the rules check stays on.
    ['logs:DeleteLogGroup', `arn:aws:logs:us-east-1:${MEMBER}:log-group:/aws/rds/cluster/app/audit`],
    ['logs:DeleteLogStream', `arn:aws:logs:us-east-1:${MEMBER}:log-group:/aws/rds/cluster/app/audit:log-stream:app-instance-1`],
  ])('%s on %s is Allowed to the member admin', async (action, resource) => {
    expect(await underScps(scps, admin, action, resource)).toBe('Allowed');
  });
});

describe('cloudtrail.network-activity-events: nothing to log when the endpoint denies nothing', () => {
  test('ec2:ModifyVpcEndpoint (replace the endpoint policy with Allow *) is Allowed to the member admin', async () => {
    // With deniedOnly (errorCode VpceAccessDenied) the trail records only what an endpoint policy denies;
    // the selectors, all the binder judges, are unchanged.
    expect(await underScps(scps, admin, 'ec2:ModifyVpcEndpoint', `arn:aws:ec2:us-east-1:${MEMBER}:vpc-endpoint/vpce-0123456789abcdef0`)).toBe('Allowed');
  });
});
