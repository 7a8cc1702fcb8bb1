/**
 * The guardrails of the investigations (modules/investigations/log-investigations.ts, audit account):
 * the SCP statements of modules/guardrails/scp-statements.ts that keep an administrator of the audit
 * account from quietly blinding them (rewriting the workgroup or a named query, a table's location,
 * SerDe or projection, deleting the database, rewriting or detaching the readers' policy), proven by
 * evaluating the synthesized SCPs with the tests' IAM simulator (__tests__/iam-simulator.ts), never by
 * reading them. Resources are the example org's own, read from the synthesized stacks (fixtures.ts).
 *
 * Resource ARNs: Athena `workgroup/<name>`, the resource type of UpdateWorkGroup and DeleteNamedQuery
 * (Service Authorization Reference, "Amazon Athena":
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html); Glue
 * `database/<db>` and `table/<db>/<table>`, resource types of DeleteDatabase and UpdateTable (Service
 * Authorization Reference, "AWS Glue": https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html;
 * AWS Glue Developer Guide, "Specifying AWS Glue resource ARNs":
 * https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html); IAM `policy/<name>`
 * and DetachRolePolicy's condition key iam:PolicyARN (Service Authorization Reference, "AWS Identity
 * and Access Management": https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html);
 * S3 `arn:aws:s3:::<bucket>`, the resource type bucket of PutBucketPolicy, PutBucketNotification,
 * PutLifecycleConfiguration and DeleteBucket (Service Authorization Reference, "Amazon S3":
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
import { investigationResultsBucketName, investigationsDatabaseName, logBucketName } from '../../../config/naming';
import { INVESTIGATION_TABLES } from '../../../modules/investigations/cloudtrail-table';
import { configWith, exampleConfig, synthStack, withoutInvestigations } from '../../helpers';
import { AUDIT, administrators, baselineResources, exempt, roleIn, scpDocuments, underScps, withoutSid, type ContextValue } from './fixtures';

jest.setTimeout(120_000);

const config = exampleConfig();
const scps = scpDocuments(synthStack(config, 'management'));
const resources = baselineResources(config);
const one = (type: string, match: (arn: string) => boolean = () => true) => {
  const found = resources.filter((r) => r.type === type && match(r.arn));
  expect(found).toHaveLength(1);
  return found[0];
};

const workgroup = one('workgroup');
const database = one('glue database');
const orgTrailTable = one('glue table', (arn) => arn.endsWith(`/${INVESTIGATION_TABLES.organizationTrail}`));
const readerPolicy = one('managed policy', (arn) => arn.endsWith('-run-investigations'));
const resultsKey = one('key', (arn) => arn.includes(':333333333333:') && arn.includes('results-key'));
const readerRole = config.logArchive.readerRoleArns.find((arn) => arn.split(':')[4] === AUDIT)!;
const resultsBucket = one('bucket', (arn) => arn === `arn:aws:s3:::${investigationResultsBucketName(config)}`);
const logArchiveBucket = one('bucket', (arn) => arn === `arn:aws:s3:::${logBucketName(config, 'cloudtrail')}`);

interface Attempt {
  readonly what: string;
  readonly sid: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, ContextValue>;
}

/** What an administrator of the audit account would do to blind the investigations. */
const BLINDING: readonly Attempt[] = [
  { what: 'lift the enforcement or scan limit, or move the results', sid: 'ProtectInvestigations', action: 'athena:UpdateWorkGroup', resource: workgroup.arn },
  { what: 'delete a named query (resource type workgroup)', sid: 'ProtectInvestigations', action: 'athena:DeleteNamedQuery', resource: workgroup.arn },
  { what: 'rewrite a named query', sid: 'ProtectInvestigations', action: 'athena:UpdateNamedQuery', resource: workgroup.arn },
  { what: "narrow the organization trail table's account enum, location or SerDe", sid: 'ProtectInvestigations', action: 'glue:UpdateTable', resource: orgTrailTable.arn },
  { what: 'delete the investigations database', sid: 'ProtectInvestigations', action: 'glue:DeleteDatabase', resource: database.arn },
  { what: "rewrite the readers' policy", sid: 'ProtectInvestigationsReaderPolicy', action: 'iam:CreatePolicyVersion', resource: readerPolicy.arn },
  {
    what: "detach the readers' policy from a reader role",
    sid: 'DenyDetachingInvestigationsReaderPolicy',
    action: 'iam:DetachRolePolicy',
    resource: readerRole,
    context: { 'iam:PolicyARN': readerPolicy.arn },
  },
  // The results bucket: its policy says who reads and writes results, its lifecycle how long they stay,
  // and an event notification could start a function that rewrites a result as Athena writes it.
  { what: "rewrite the results bucket's policy (who reads and writes results)", sid: 'ProtectLogArchiveBuckets', action: 's3:PutBucketPolicy', resource: resultsBucket.arn },
  { what: 'send the results bucket\'s object events to a function', sid: 'ProtectInvestigations', action: 's3:PutBucketNotification', resource: resultsBucket.arn },
  { what: "shorten or lift the results' lifecycle", sid: 'ProtectLogArchiveBuckets', action: 's3:PutLifecycleConfiguration', resource: resultsBucket.arn },
  { what: 'suspend versioning on the results bucket', sid: 'ProtectLogArchiveBuckets', action: 's3:PutBucketVersioning', resource: resultsBucket.arn },
  { what: "change the results bucket's default encryption", sid: 'ProtectLogArchiveBuckets', action: 's3:PutEncryptionConfiguration', resource: resultsBucket.arn },
  { what: 'delete the results bucket', sid: 'ProtectLogArchiveBuckets', action: 's3:DeleteBucket', resource: resultsBucket.arn },
];

const auditAdmins = administrators(AUDIT).filter(([, p]) => p.kind === 'role');

describe('an administrator of the audit account cannot blind the investigations', () => {
  test('the resources are the synthesized ones, in the audit account, named from config/naming.ts', () => {
    expect(workgroup.account).toBe(AUDIT);
    expect(database.arn).toBe(`arn:aws:glue:us-east-1:${AUDIT}:database/${investigationsDatabaseName(config)}`);
    expect(orgTrailTable.arn).toBe(`${database.arn.replace(':database/', ':table/')}/${INVESTIGATION_TABLES.organizationTrail}`);
    expect(readerPolicy.arn).toBe(`arn:aws:iam::${AUDIT}:policy/acme-soc2-run-investigations`);
    expect(auditAdmins.map(([who]) => who)).toEqual([`an administrator of ${AUDIT}`, `OrganizationAccountAccessRole in ${AUDIT}`]);
    expect(resultsBucket.account).toBe(AUDIT);
    expect(resultsBucket.arn).toBe(`arn:aws:s3:::acme-soc2-athena-results-${AUDIT}-us-east-1`);
  });

  // "the root principal in a bucket owner's AWS account can perform the GetBucketPolicy, PutBucketPolicy,
  // and DeleteBucketPolicy API actions, even if their bucket policy explicitly denies the root principal's
  // access. Bucket owner root principals can only be blocked from performing these API actions by VPC
  // endpoint policies and AWS Organizations policies" (S3 API Reference, PutBucketPolicy:
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html): the SCP is what stops it.
  test("the audit account's root user cannot rewrite the results bucket's policy or notifications either", async () => {
    const [, root] = administrators(AUDIT).find(([, p]) => p.kind === 'root')!;
    for (const action of ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketNotification']) {
      expect({ action, decision: await underScps(scps, root, action, resultsBucket.arn) }).toEqual({ action, decision: 'ExplicitlyDenied' });
    }
  });

  test.each(BLINDING.map((a) => [a.what, a] as const))('%s: denied to the administrator and OrganizationAccountAccessRole', async (_what, a) => {
    for (const [who, principal] of auditAdmins) {
      expect({ who, decision: await underScps(scps, principal, a.action, a.resource, a.context) }).toEqual({ who, decision: 'ExplicitlyDenied' });
    }
  });

  test.each(BLINDING.map((a) => [a.what, a] as const))('%s: left to the pipeline and break-glass roles', async (_what, a) => {
    for (const [who, principal] of exempt(AUDIT)) {
      expect({ who, decision: await underScps(scps, principal, a.action, a.resource, a.context) }).toEqual({ who, decision: 'Allowed' });
    }
  });

  test.each(BLINDING.map((a) => [a.what, a] as const))('breaking: %s is allowed once its statement is removed', async (_what, a) => {
    const [, admin] = auditAdmins[0];
    expect(await underScps(withoutSid(scps, a.sid), admin, a.action, a.resource, a.context)).toBe('Allowed');
  });

  // The results key carries the baseline's alias and tag (the providers' default tags): either
  // statement alone denies its deletion (scp-statements.ts, ProtectBaselineKeys, ProtectBaselineKeysByTag).
  test("the results key: its deletion is denied by alias and by tag, each alone", async () => {
    const [, admin] = auditAdmins[0];
    expect(resultsKey.context['kms:ResourceAliases']).toEqual(['alias/acme-soc2/investigation-results']);
    expect(resultsKey.context['aws:ResourceTag/soc2-baseline:managed-by']).toBe('soc2-logging-baseline');
    const byAliasOnly = withoutSid(scps, 'ProtectBaselineKeysByTag');
    const byTagOnly = withoutSid(scps, 'ProtectBaselineKeys');
    expect(await underScps(byAliasOnly, admin, 'kms:ScheduleKeyDeletion', resultsKey.arn, resultsKey.context)).toBe('ExplicitlyDenied');
    expect(await underScps(byTagOnly, admin, 'kms:ScheduleKeyDeletion', resultsKey.arn, resultsKey.context)).toBe('ExplicitlyDenied');
    expect(await underScps(withoutSid(byTagOnly, 'ProtectBaselineKeysByTag'), admin, 'kms:ScheduleKeyDeletion', resultsKey.arn, resultsKey.context)).toBe('Allowed');
  });
});

describe("only the investigations' resources: the rest stays with the account's administrators", () => {
  const other = (arn: string) => arn.replace(/(workgroup\/|database\/|table\/)[^/]+/, '$1analytics');
  test.each([
    ['another workgroup', 'athena:UpdateWorkGroup', other(workgroup.arn), {}],
    ['a named query of another workgroup', 'athena:DeleteNamedQuery', other(workgroup.arn), {}],
    ['a table of another database', 'glue:UpdateTable', other(orgTrailTable.arn), {}],
    ['another database', 'glue:DeleteDatabase', other(database.arn), {}],
    ['another managed policy', 'iam:CreatePolicyVersion', `arn:aws:iam::${AUDIT}:policy/analytics-readers`, {}],
    ['another policy detached from a reader role', 'iam:DetachRolePolicy', readerRole, { 'iam:PolicyARN': `arn:aws:iam::${AUDIT}:policy/analytics-readers` }],
    ["another bucket's policy", 's3:PutBucketPolicy', `arn:aws:s3:::analytics-results-${AUDIT}`, {}],
    ["another bucket's notifications", 's3:PutBucketNotification', `arn:aws:s3:::analytics-results-${AUDIT}`, {}],
  ] as const)('%s', async (_what, action, resource, context) => {
    expect(resource).not.toBe(workgroup.arn);
    for (const [who, principal] of auditAdmins) {
      expect({ who, decision: await underScps(scps, principal, action, resource, context) }).toEqual({ who, decision: 'Allowed' });
    }
  });

  // A SIEM's queue notification on the log archive is a legitimate use: only the results bucket's are denied.
  test("a log-archive bucket's notifications stay with the log-archive account's administrators", async () => {
    expect(await underScps(scps, roleIn(logArchiveBucket.account, 'Admin'), 's3:PutBucketNotification', logArchiveBucket.arn)).toBe('Allowed');
    expect(await underScps(scps, roleIn(logArchiveBucket.account, 'Admin'), 's3:PutBucketPolicy', logArchiveBucket.arn)).toBe('ExplicitlyDenied');
  });

  // The readers' own calls (the reader policy's actions, log-investigations.ts readerStatements): the
  // guardrails must not stop an investigation.
  test.each([
    ['athena:StartQueryExecution', workgroup.arn],
    ['athena:StopQueryExecution', workgroup.arn],
    ['athena:GetNamedQuery', workgroup.arn],
    ['glue:GetTable', orgTrailTable.arn],
    ['glue:GetPartitions', orgTrailTable.arn],
  ])("a reader's %s still runs", async (action, resource) => {
    expect(await underScps(scps, roleIn(AUDIT, readerRole.split('/').pop()!), action, resource)).toBe('Allowed');
  });
});

test('with investigations off, the statements are left out (nothing to protect, SCP space kept)', async () => {
  const sids = (docs: readonly string[]) => docs.flatMap((d) => (JSON.parse(d).Statement as { Sid: string }[]).map((s) => s.Sid));
  const on = sids(scps);
  const off = sids(scpDocuments(synthStack(configWith(withoutInvestigations), 'management')));
  const ours = ['ProtectInvestigations', 'ProtectInvestigationsReaderPolicy', 'DenyDetachingInvestigationsReaderPolicy'];
  expect(on).toEqual(expect.arrayContaining(ours));
  expect(off.filter((s) => ours.includes(s))).toEqual([]);
  expect(off).toEqual(on.filter((s) => !ours.includes(s)));
  // ProtectLogArchiveBuckets stays, without the results bucket: an administrator's own bucket of that name is theirs.
  const [, admin] = auditAdmins[0];
  const offScps = scpDocuments(synthStack(configWith(withoutInvestigations), 'management'));
  expect(await underScps(offScps, admin, 's3:PutBucketPolicy', resultsBucket.arn)).toBe('Allowed');
  expect(await underScps(offScps, admin, 's3:PutBucketPolicy', logArchiveBucket.arn)).toBe('ExplicitlyDenied');
});
