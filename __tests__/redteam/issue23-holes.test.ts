/**
 * Red-team demonstration for issue 23 (not a guard: each test asserts that a hole is OPEN today, so it
 * turns red when the hole is closed and should then be inverted or removed).
 *
 * Attacker: an administrator of the member account that owns the sensitive bucket (444444444444 in the
 * example org), holding AdministratorAccess, under the synthesized SCPs, evaluated with the tests' IAM
 * simulator (fixtures.ts, underScps). Each one-call change below blinds an issue-23 control while its
 * evidence item still PASSes.
 */
import { GetMalwareProtectionPlanCommand, GuardDutyClient, ListMalwareProtectionPlansCommand } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { malwareProtectionTasks } from '../../evidence/checks/malware-protection';
import { createContext, runTasks } from '../../evidence/collect';
import { deniedInEveryContext } from '../../evidence/policy-judge';
import { exampleConfig, oneResource, resourcesOf, synthStack } from '../helpers';
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

describe('s3.sensitive-bucket-access-logs: overwrite a delivered log object', () => {
  test('the SCPs and the access-log bucket policy together Allow the admin s3:PutObject on a log key (versioning keeps the original only 30 days)', async () => {
    // S3 PutObject on an existing key creates a new current version; the old one becomes noncurrent and the
    // construct's lifecycle expires noncurrent versions after NONCURRENT_VERSION_DAYS (30).
    const decision = await simulate(
      { principal: admin, action: 's3:PutObject', resource: LOG_OBJECT, resourceAccount: MEMBER, context: { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' } },
      { scps: scps.map(parsed), identity: [parsed(ADMINISTRATOR_ACCESS)], resourcePolicy: parsed(accessLogPolicy()) },
    );
    expect(decision).toBe('Allowed');
  });

  test("the binder's judge of that policy only asks about Delete*: it reports the policy as protecting the logs", () => {
    // The same question evidence/checks/sensitive-buckets.ts judgeTarget asks (lines 164-172).
    const arn = `arn:aws:s3:::${ACCESS_LOGS}`;
    const answer = deniedInEveryContext(accessLogPolicy(), {
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [`${arn}/x`],
      within: [`${arn}/*`],
      actionsWithin: 's3:DeleteObject*',
      accounts: [MEMBER],
      organizationId: config.organization.id,
    });
    expect(answer.denied).toBe(true);
    // ...while the overwrite is never asked:
    const overwrite = deniedInEveryContext(accessLogPolicy(), { actions: ['s3:PutObject'], resources: [`${arn}/x`], within: [`${arn}/*`], accounts: [MEMBER], organizationId: config.organization.id });
    expect(overwrite.denied).toBe(false);
  });
});

describe('guardduty.malware-protection-s3: starve the scanner without touching the plan', () => {
  test.each([
    // Deny the plan's role s3:GetObject on the sensitive bucket (a new bucket policy statement).
    ['s3:PutBucketPolicy', `arn:aws:s3:::${SENSITIVE}`],
    // Re-key the bucket's default encryption to a key the role has no grant on.
    ['s3:PutEncryptionConfiguration', `arn:aws:s3:::${SENSITIVE}`],
    // Deny the role kms:Decrypt in the (owner's, untagged) bucket key's policy.
    ['kms:PutKeyPolicy', `arn:aws:kms:us-east-1:${MEMBER}:key/11111111-2222-3333-4444-555555555555`],
    // Replicate the bucket elsewhere and read the copies where no access log / data event / scan looks.
    ['s3:PutReplicationConfiguration', `arn:aws:s3:::${SENSITIVE}`],
    // Managed rule of the plan: remove its target (Force) or delete it.
    ['events:RemoveTargets', `arn:aws:events:us-east-1:${MEMBER}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3abcdef`],
    ['events:DeleteRule', `arn:aws:events:us-east-1:${MEMBER}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3abcdef`],
    ['s3:PutBucketNotification', `arn:aws:s3:::${SENSITIVE}`],
  ])('%s on %s is Allowed to the member admin', async (action, resource) => {
    expect(await underScps(scps, admin, action, resource)).toBe('Allowed');
  });

  test('the check PASSes an ACTIVE plan with only a GuardDuty mock: it never reads the bucket policy, encryption, key or scan results', async () => {
    const gd = mockClient(GuardDutyClient);
    try {
      gd.on(ListMalwareProtectionPlansCommand).resolves({ MalwareProtectionPlans: [{ MalwareProtectionPlanId: 'p1' }] });
      gd.on(GetMalwareProtectionPlanCommand).resolves({
        Role: `arn:aws:iam::${MEMBER}:role/acme-soc2-guardduty-malware-protection-s3`,
        // AWS: an ACTIVE plan stays ACTIVE when the role's permissions change (GuardDuty User Guide, "Viewing and
        // understanding protected bucket status": https://docs.aws.amazon.com/guardduty/latest/ug/malware-protection-s3-bucket-status-gdu.html);
        // a denied object read is a per-object ACCESS_DENIED scan result, not a plan status.
        ProtectedResource: { S3Bucket: { BucketName: SENSITIVE } },
        Actions: { Tagging: { Status: 'ENABLED' } },
        Status: 'ACTIVE',
      });
      const { ctx } = createContext({ config, now: () => new Date('2026-03-02T12:00:00Z'), validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
      await runTasks(ctx, malwareProtectionTasks(ctx), 1);
      expect([...ctx.items].map((i) => i.status)).toEqual(['PASS']);
    } finally {
      gd.restore();
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
