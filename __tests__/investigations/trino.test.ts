/**
 * The named investigations, run by a real Trino (Athena engine version 3's engine) over CloudTrail log
 * files written the way CloudTrail delivers them: each returns exactly the expected rows, none of the
 * copies outside its window, and a declaration that forgets the day partitions or the instants is caught
 * by running it. Also run alone: `make investigations-test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUDTRAIL_COLUMNS, CLOUDTRAIL_PARTITION_KEYS, INVESTIGATION_TABLES } from '../../modules/investigations/cloudtrail-table';
import { INVESTIGATIONS } from '../../modules/investigations/catalog';
import { ROOT_ACTIVITY } from '../../modules/investigations/catalog/root-activity';
import { investigationQuery } from '../../investigate/parameters';
import { windowParameterValues, type Investigation, type InvestigationContext } from '../../modules/investigations/investigation';
import { projectedAccountIds, projectedRegions, type ProjectedAccounts, type ProjectedRegions } from '../../modules/investigations/tables';
import { createTableSql, insertSql, writeLogFile, type LogFile } from './cloudtrail-files';
import { BREAK_GLASS_ROLE, BUSINESS_HOURS, FIXTURE_ORG, IDENTITY_CENTER_USER_ID, KMS_ENDPOINT, S3_ENDPOINT, WINDOW, WORKLOAD, isOutsideCopy, logFiles } from './org-trail-fixture';
import { TrinoServer, type QueryResult } from './trino';

jest.setTimeout(300_000);

const CONTEXT: InvestigationContext = {
  organizationTrailTable: INVESTIGATION_TABLES.organizationTrail,
  businessHours: BUSINESS_HOURS,
  breakGlassRoleNames: [BREAK_GLASS_ROLE],
};

let dir: string;
let trino: TrinoServer;

/**
 * The partitions Athena's projection exposes: a log file is read only when its account and Region are
 * values of the table's `enum`s. The table the investigations run on projects as `tables.ts` does; two
 * more project as a table that forgot removed accounts or ungoverned Regions would.
 */
const projected = (accounts: ProjectedAccounts, regions: ProjectedRegions) => (file: LogFile) =>
  projectedAccountIds(accounts).includes(file.account) && projectedRegions(regions).includes(file.region);
const MEMBERS_ONLY = 'cloudtrail_members_only';
const GOVERNED_REGIONS_ONLY = 'cloudtrail_governed_regions_only';
const TABLES: readonly [string, (file: LogFile) => boolean][] = [
  [INVESTIGATION_TABLES.organizationTrail, projected(FIXTURE_ORG, FIXTURE_ORG)],
  [MEMBERS_ONLY, projected({ ...FIXTURE_ORG, removedMembers: [] }, FIXTURE_ORG)],
  [GOVERNED_REGIONS_ONLY, (file) => projected(FIXTURE_ORG, FIXTURE_ORG)(file) && FIXTURE_ORG.regions.governed.includes(file.region)],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'investigations-'));
  trino = await TrinoServer.start(join(dir, 'trino'));
  await trino.query('CREATE SCHEMA memory.investigations');
  for (const [table, reads] of TABLES) {
    const logs = join(dir, table);
    for (const file of logFiles().filter(reads)) writeLogFile(logs, file);
    await trino.query(createTableSql(table, CLOUDTRAIL_COLUMNS, CLOUDTRAIL_PARTITION_KEYS));
    for (const insert of insertSql(table, logs, CLOUDTRAIL_COLUMNS, CLOUDTRAIL_PARTITION_KEYS)) await trino.query(insert);
  }
});

afterAll(async () => {
  await trino?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs an investigation as `baseline investigate` sends it to Athena: the SQL `investigationQuery` makes
 * (the CLI's own function), every `{placeholder}` written in as a SQL string literal, no parameters.
 */
async function runInvestigation(investigation: Investigation, params: Record<string, string> = {}, window = WINDOW, context = CONTEXT): Promise<QueryResult> {
  const values = {
    ...windowParameterValues(window.from, window.to),
    ...params,
  };
  for (const p of investigation.parameters) {
    if (p.optional && params[p.name] === undefined) continue;
    if (!p.pattern.test(params[p.name] ?? '')) throw new Error(`${investigation.name}: ${p.name} "${params[p.name]}" does not match ${p.pattern}`);
  }
  return trino.query(investigationQuery(investigation.sql(context), values, investigation.name));
}

const objects = (r: QueryResult) => r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));

/** Every event id a result shows (single ids, and lists of them). */
const eventIds = (r: QueryResult) =>
  r.rows.flatMap((row) => r.columns.flatMap((c, i) => (c === 'eventid' ? [row[i] as string] : c.endsWith('eventids') ? (row[i] as string[]) : [])));

/** The window check: the ids of copies outside the window that the result shows (none, when healthy). */
const outsideIds = (r: QueryResult) => eventIds(r).filter(isOutsideCopy);

/** One run of each investigation, with its parameters, that returns rows. */
const SAMPLE_PARAMETERS: Record<string, Record<string, string>> = {
  'resource-activity': { resource: 'arn:aws:s3:::example-log-archive' },
  'principal-activity': {
    principal: `arn:aws:iam::${WORKLOAD}:role/example-admin`,
  },
};

describe('every investigation returns rows of its window only', () => {
  test.each(INVESTIGATIONS.map((i) => [i.name, i] as const))('%s', async (_, investigation) => {
    const result = await runInvestigation(investigation, SAMPLE_PARAMETERS[investigation.name]);
    expect(eventIds(result).length).toBeGreaterThan(0);
    expect(outsideIds(result)).toEqual([]);
  });

  test('an investigation that forgets the day partitions reads a day outside the window, and the check sees it', async () => {
    const noDays: Investigation = {
      ...ROOT_ACTIVITY,
      sql: (c) => ROOT_ACTIVITY.sql(c).replace(/day BETWEEN \{from_day\} AND \{to_day\}/, 'TRUE'),
    };
    expect(noDays.sql(CONTEXT)).not.toContain('from_day');
    expect(outsideIds(await runInvestigation(noDays)).sort()).toEqual([
      'root-session-bucket-policy-deleted~wrong-day',
      'root-session-opened~wrong-day',
      'root-signin-sat-0800-local~wrong-day',
    ]);
  });

  test('an investigation that forgets the instants returns the records of the edge days outside the window, and the check sees it', async () => {
    const noInstants: Investigation = {
      ...ROOT_ACTIVITY,
      sql: (c) => ROOT_ACTIVITY.sql(c).replace(/AND from_iso8601_timestamp\(eventtime\) >= [^\n]*\n\s*AND from_iso8601_timestamp\(eventtime\) < [^\n]*\n/, ''),
    };
    expect(noInstants.sql(CONTEXT)).not.toContain('{from}');
    expect(outsideIds(await runInvestigation(noInstants)).sort()).toEqual([
      'root-session-bucket-policy-deleted~at-to',
      'root-session-bucket-policy-deleted~before',
      'root-session-opened~at-to',
      'root-session-opened~before',
      'root-signin-sat-0800-local~at-to',
      'root-signin-sat-0800-local~before',
    ]);
  });
});

/** Each investigation's exact rows over the fixture (the window of org-trail-fixture.ts). */
const CASES: {
  name: string;
  params?: Record<string, string>;
  context?: InvestigationContext;
  expected: Record<string, unknown>[];
}[] = [
  {
    name: 'resource-activity',
    params: { resource: 'arn:aws:s3:::example-log-archive' },
    expected: [
      {
        eventtime: '2026-10-31T19:00:00Z',
        account: '111122223333',
        region: 'us-east-1',
        eventsource: 's3.amazonaws.com',
        eventname: 'PutBucketLifecycle',
        principal: 'arn:aws:iam::111122223333:user/alice',
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        requestparameters: '{"bucketName":"example-log-archive","Host":"example-log-archive.s3.us-east-1.amazonaws.com","lifecycle":""}',
        eventid: 'log-bucket-lifecycle',
      },
    ],
  },
  {
    name: 'resource-activity',
    params: { resource: 'sg-0123456789abcdef0' },
    expected: [
      {
        eventtime: '2026-10-31T15:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'AuthorizeSecurityGroupIngress',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        requestparameters:
          '{"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}',
        eventid: 'sg-ingress-opened',
      },
    ],
  },
  {
    // Only responseElements names the group CreateSecurityGroup made.
    name: 'resource-activity',
    params: { resource: 'sg-0fedcba9876543210' },
    expected: [
      {
        eventtime: '2026-10-31T14:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'CreateSecurityGroup',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        requestparameters: '{"groupName":"web","groupDescription":"web servers","vpcId":"vpc-0123456789abcdef0"}',
        eventid: 'sg-created',
      },
    ],
  },
  {
    name: 'principal-activity',
    params: { principal: 'arn:aws:iam::444455556666:role/example-admin' },
    expected: [
      {
        // Who became the role: carol's AssumeRole of it (its roleArn), not her AssumeRole of the break-glass role.
        eventtime: '2026-10-30T20:30:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'sts.amazonaws.com',
        eventname: 'AssumeRole',
        principal: 'arn:aws:iam::111122223333:user/carol',
        access_key: 'AKIACAROLEXAMPLE0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'admin-assumed',
      },
      {
        eventtime: '2026-10-31T14:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'CreateSecurityGroup',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'sg-created',
      },
      {
        eventtime: '2026-10-31T15:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'AuthorizeSecurityGroupIngress',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'sg-ingress-opened',
      },
      {
        eventtime: '2026-10-31T18:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'DeleteFlowLogs',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'flow-logs-deleted',
      },
      {
        eventtime: '2026-10-31T19:45:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'cloudtrail.amazonaws.com',
        eventname: 'StartLogging',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'trail-started',
      },
      {
        eventtime: '2026-10-31T23:58:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'iam.amazonaws.com',
        eventname: 'PutRolePolicy',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'inline-policy-put-late-delivery',
      },
      {
        eventtime: '2026-11-01T01:00:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'secretsmanager.amazonaws.com',
        eventname: 'GetSecretValue',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: 'AccessDenied',
        eventid: 'secret-denied',
      },
      {
        eventtime: '2026-11-01T02:00:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'cloudtrail.amazonaws.com',
        eventname: 'StopLogging',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: 'AccessDenied',
        eventid: 'trail-stop-denied',
      },
      {
        eventtime: '2026-11-01T03:00:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'organizations.amazonaws.com',
        eventname: 'LeaveOrganization',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: 'AccessDenied',
        eventid: 'leave-organization-denied',
      },
      {
        eventtime: '2026-11-01T05:30:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'kms.amazonaws.com',
        eventname: 'DisableKey',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        access_key: 'ASIAEXAMPLEADMIN0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'log-key-disabled-late-delivery',
      },
    ],
  },
  {
    // A role's ARN: the AssumeRole that opened its session, and what the session did.
    name: 'principal-activity',
    params: { principal: `arn:aws:iam::${WORKLOAD}:role/example-break-glass` },
    expected: [
      {
        eventtime: '2026-10-31T20:00:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'sts.amazonaws.com',
        eventname: 'AssumeRole',
        principal: 'arn:aws:iam::111122223333:user/carol',
        access_key: 'AKIACAROLEXAMPLE0001',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'break-glass-assumed',
      },
      {
        eventtime: '2026-10-31T20:10:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'iam.amazonaws.com',
        eventname: 'DetachRolePolicy',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-break-glass/carol',
        access_key: 'ASIAEXAMPLEBREAKGL01',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'break-glass-detach',
      },
    ],
  },
  {
    name: 'principal-activity',
    params: { principal: 'AKIAIOSFODNN7EXAMPLE' },
    expected: [
      {
        eventtime: '2026-10-31T16:00:00Z',
        account: '111122223333',
        region: 'us-east-1',
        eventsource: 'organizations.amazonaws.com',
        eventname: 'CreatePolicy',
        principal: 'arn:aws:iam::111122223333:user/alice',
        access_key: 'AKIAIOSFODNN7EXAMPLE',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'org-create-policy',
      },
      {
        eventtime: '2026-10-31T17:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'DescribeInstances',
        principal: 'arn:aws:iam::111122223333:user/alice',
        access_key: 'AKIAIOSFODNN7EXAMPLE',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: 'Client.UnauthorizedOperation',
        eventid: 'ec2-describe-denied-1',
      },
      {
        eventtime: '2026-10-31T17:05:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'DescribeInstances',
        principal: 'arn:aws:iam::111122223333:user/alice',
        access_key: 'AKIAIOSFODNN7EXAMPLE',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: 'Client.UnauthorizedOperation',
        eventid: 'ec2-describe-denied-2',
      },
      {
        eventtime: '2026-10-31T17:10:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'DescribeInstances',
        principal: 'arn:aws:iam::111122223333:user/alice',
        access_key: 'AKIAIOSFODNN7EXAMPLE',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: 'Client.RequestLimitExceeded',
        eventid: 'ec2-throttled',
      },
      {
        eventtime: '2026-10-31T19:00:00Z',
        account: '111122223333',
        region: 'us-east-1',
        eventsource: 's3.amazonaws.com',
        eventname: 'PutBucketLifecycle',
        principal: 'arn:aws:iam::111122223333:user/alice',
        access_key: 'AKIAIOSFODNN7EXAMPLE',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'log-bucket-lifecycle',
      },
      {
        eventtime: '2026-10-31T19:30:00Z',
        account: '111122223333',
        region: 'us-east-1',
        eventsource: 's3.amazonaws.com',
        eventname: 'CreateBucket',
        principal: 'arn:aws:iam::111122223333:user/alice',
        access_key: 'AKIAIOSFODNN7EXAMPLE',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'other-bucket-created',
      },
    ],
  },
  {
    name: 'principal-activity',
    params: {
      principal: 'arn:aws:sts::444455556666:assumed-role/example-break-glass/',
    },
    expected: [
      {
        eventtime: '2026-10-31T20:10:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'iam.amazonaws.com',
        eventname: 'DetachRolePolicy',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-break-glass/carol',
        access_key: 'ASIAEXAMPLEBREAKGL01',
        identity_center_user: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'break-glass-detach',
      },
    ],
  },
  {
    // An Identity Center user has no userIdentity.arn: onBehalfOf.userId names it.
    name: 'principal-activity',
    params: { principal: IDENTITY_CENTER_USER_ID },
    expected: [
      {
        eventtime: '2026-10-31T22:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'sso.amazonaws.com',
        eventname: 'ListInstances',
        principal: null,
        access_key: null,
        identity_center_user: '9067642ac7-906ae9bd-5071-70d0-5e6c-2c3f1e0b7a11',
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'identity-center-user-call',
      },
    ],
  },
  {
    // The root user, the AssumeRoot that opened a privileged session, and what that session did (its key).
    name: 'root-activity',
    expected: [
      {
        eventtime: '2026-10-31T13:00:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'signin.amazonaws.com',
        eventname: 'ConsoleLogin',
        identity_type: 'Root',
        principal: 'arn:aws:iam::444455556666:root',
        target_account: null,
        task_policy: null,
        session_key: null,
        sourceipaddress: '198.51.100.7',
        useragent: 'aws-cli/2.17.0 Python/3.12.6 Linux/6.1 exe/x86_64.amzn.2023',
        errorcode: null,
        eventid: 'root-signin-sat-0800-local',
      },
      {
        eventtime: '2026-10-31T21:05:00Z',
        account: '111122223333',
        region: 'eu-west-1',
        eventsource: 'sts.amazonaws.com',
        eventname: 'AssumeRoot',
        identity_type: 'AssumedRole',
        principal: 'arn:aws:sts::111122223333:assumed-role/example-root-access/dave',
        target_account: '444455556666',
        task_policy: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
        session_key: 'ASIAEXAMPLEROOTSES01',
        sourceipaddress: '203.0.113.10',
        useragent: 'aws-cli/2.17.0 Python/3.12.6 Linux/6.1 exe/x86_64.amzn.2023',
        errorcode: null,
        eventid: 'root-session-opened',
      },
      {
        eventtime: '2026-10-31T21:08:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 's3.amazonaws.com',
        eventname: 'DeleteBucketPolicy',
        identity_type: 'Root',
        principal: 'arn:aws:iam::444455556666:root',
        target_account: null,
        task_policy: null,
        session_key: 'ASIAEXAMPLEROOTSES01',
        sourceipaddress: '198.51.100.7',
        useragent: 'aws-cli/2.17.0 Python/3.12.6 Linux/6.1 exe/x86_64.amzn.2023',
        errorcode: null,
        eventid: 'root-session-bucket-policy-deleted',
      },
    ],
  },
  {
    name: 'console-signins-outside-business-hours',
    expected: [
      {
        eventtime: '2026-10-31T11:30:00Z',
        local_time: 'Sat 2026-10-31 06:30 -05:00',
        account: '111122223333',
        identity_type: 'IAMUser',
        principal: 'arn:aws:iam::111122223333:user/alice',
        sourceipaddress: '203.0.113.10',
        outcome: 'Failure',
        mfa_used: 'No',
        errormessage: 'Failed authentication',
        eventid: 'signin-sat-0630-local-failed',
      },
      {
        eventtime: '2026-10-31T13:00:00Z',
        local_time: 'Sat 2026-10-31 08:00 -05:00',
        account: '444455556666',
        identity_type: 'Root',
        principal: 'arn:aws:iam::444455556666:root',
        sourceipaddress: '198.51.100.7',
        outcome: 'Success',
        mfa_used: 'Yes',
        errormessage: null,
        eventid: 'root-signin-sat-0800-local',
      },
      {
        eventtime: '2026-11-01T03:30:00Z',
        local_time: 'Sat 2026-10-31 22:30 -05:00',
        account: '111122223333',
        identity_type: 'IAMUser',
        principal: 'arn:aws:iam::111122223333:user/alice',
        sourceipaddress: '203.0.113.10',
        outcome: 'Success',
        mfa_used: 'Yes',
        errormessage: null,
        eventid: 'signin-sat-2230-local',
      },
    ],
  },
  {
    name: 'denied-calls',
    expected: [
      {
        principal: 'arn:aws:iam::111122223333:user/alice',
        account: '444455556666',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'DescribeInstances',
        errorcode: 'Client.UnauthorizedOperation',
        calls: 2,
        first_seen: '2026-10-31T17:00:00Z',
        last_seen: '2026-10-31T17:05:00Z',
        first_eventids: ['ec2-describe-denied-1', 'ec2-describe-denied-2'],
      },
      {
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        account: '444455556666',
        eventsource: 'cloudtrail.amazonaws.com',
        eventname: 'StopLogging',
        errorcode: 'AccessDenied',
        calls: 1,
        first_seen: '2026-11-01T02:00:00Z',
        last_seen: '2026-11-01T02:00:00Z',
        first_eventids: ['trail-stop-denied'],
      },
      {
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        account: '444455556666',
        eventsource: 'organizations.amazonaws.com',
        eventname: 'LeaveOrganization',
        errorcode: 'AccessDenied',
        calls: 1,
        first_seen: '2026-11-01T03:00:00Z',
        last_seen: '2026-11-01T03:00:00Z',
        first_eventids: ['leave-organization-denied'],
      },
      {
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        account: '444455556666',
        eventsource: 'secretsmanager.amazonaws.com',
        eventname: 'GetSecretValue',
        errorcode: 'AccessDenied',
        calls: 1,
        first_seen: '2026-11-01T01:00:00Z',
        last_seen: '2026-11-01T01:00:00Z',
        first_eventids: ['secret-denied'],
      },
    ],
  },
  {
    // Network activity events: the outsider's two KMS denials grouped, the analyst's S3 denial; the analyst's
    // allowed GetObject through the same endpoint (a NetworkActivity record without errorCode) is not a row.
    name: 'vpce-access-denied',
    expected: [
      {
        identity_type: 'AWSAccount',
        principal: null,
        principal_id: 'AIDAEXAMPLEOUTSIDER01',
        principal_account: '777788889999',
        vpcendpointid: KMS_ENDPOINT,
        vpcendpointaccountid: WORKLOAD,
        account: WORKLOAD,
        region: 'eu-west-1',
        eventsource: 'kms.amazonaws.com',
        eventname: 'ListKeys',
        sourceipaddress: '10.0.1.25',
        calls: 2,
        first_seen: '2026-10-31T10:00:00Z',
        last_seen: '2026-10-31T10:02:00Z',
        first_eventids: ['vpce-kms-denied-outsider-1', 'vpce-kms-denied-outsider-2'],
      },
      {
        identity_type: 'AssumedRole',
        principal: `arn:aws:sts::${WORKLOAD}:assumed-role/example-analyst/erin`,
        principal_id: 'AROAEXAMPLEANALYST001:erin',
        principal_account: WORKLOAD,
        vpcendpointid: S3_ENDPOINT,
        vpcendpointaccountid: WORKLOAD,
        account: WORKLOAD,
        region: 'eu-west-1',
        eventsource: 's3.amazonaws.com',
        eventname: 'PutObject',
        sourceipaddress: '10.0.2.40',
        calls: 1,
        first_seen: '2026-10-31T23:10:00Z',
        last_seen: '2026-10-31T23:10:00Z',
        first_eventids: ['vpce-s3-denied-analyst'],
      },
    ],
  },
  {
    name: 'iam-and-security-group-changes',
    expected: [
      {
        eventtime: '2026-10-31T14:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'CreateSecurityGroup',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        errorcode: null,
        requestparameters: '{"groupName":"web","groupDescription":"web servers","vpcId":"vpc-0123456789abcdef0"}',
        eventid: 'sg-created',
      },
      {
        eventtime: '2026-10-31T15:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'AuthorizeSecurityGroupIngress',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        errorcode: null,
        requestparameters:
          '{"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}',
        eventid: 'sg-ingress-opened',
      },
      {
        eventtime: '2026-10-31T20:10:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'iam.amazonaws.com',
        eventname: 'DetachRolePolicy',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-break-glass/carol',
        errorcode: null,
        requestparameters: '{"roleName":"app-role","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}',
        eventid: 'break-glass-detach',
      },
      {
        eventtime: '2026-10-31T23:58:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'iam.amazonaws.com',
        eventname: 'PutRolePolicy',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        errorcode: null,
        requestparameters:
          '{"roleName":"app-role","policyName":"inline","policyDocument":"{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\"}]}"}',
        eventid: 'inline-policy-put-late-delivery',
      },
    ],
  },
  {
    // The S3 bucket policy deleted by the root session, an SCP detached and a finding suppressed (not deniable: recorded),
    // LeaveOrganization refused, a log key disabled and delivered 22 hours late.
    name: 'logging-changes',
    expected: [
      {
        // Organizations' policy changes are not deniable in the management account: the record is their defence.
        eventtime: '2026-10-31T16:00:00Z',
        account: '111122223333',
        region: 'us-east-1',
        eventsource: 'organizations.amazonaws.com',
        eventname: 'CreatePolicy',
        principal: 'arn:aws:iam::111122223333:user/alice',
        target: 'deny-leave',
        errorcode: null,
        eventid: 'org-create-policy',
      },
      {
        eventtime: '2026-10-31T18:00:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'ec2.amazonaws.com',
        eventname: 'DeleteFlowLogs',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        target: null,
        errorcode: null,
        eventid: 'flow-logs-deleted',
      },
      {
        eventtime: '2026-10-31T19:00:00Z',
        account: '111122223333',
        region: 'us-east-1',
        eventsource: 's3.amazonaws.com',
        eventname: 'PutBucketLifecycle',
        principal: 'arn:aws:iam::111122223333:user/alice',
        target: 'example-log-archive',
        errorcode: null,
        eventid: 'log-bucket-lifecycle',
      },
      {
        eventtime: '2026-10-31T21:08:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 's3.amazonaws.com',
        eventname: 'DeleteBucketPolicy',
        principal: 'arn:aws:iam::444455556666:root',
        target: 'example-locked-bucket',
        errorcode: null,
        eventid: 'root-session-bucket-policy-deleted',
      },
      {
        eventtime: '2026-10-31T21:30:00Z',
        account: '111122223333',
        region: 'us-east-1',
        eventsource: 'organizations.amazonaws.com',
        eventname: 'DetachPolicy',
        principal: 'arn:aws:sts::111122223333:assumed-role/example-root-access/dave',
        target: 'p-examplepolicyid111',
        errorcode: null,
        eventid: 'org-policy-detached',
      },
      {
        eventtime: '2026-10-31T22:30:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'securityhub.amazonaws.com',
        eventname: 'BatchUpdateFindings',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-analyst/erin',
        target: null,
        errorcode: null,
        eventid: 'securityhub-finding-suppressed',
      },
      {
        eventtime: '2026-11-01T02:00:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'cloudtrail.amazonaws.com',
        eventname: 'StopLogging',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        target: 'arn:aws:cloudtrail:us-east-1:444455556666:trail/example-org',
        errorcode: 'AccessDenied',
        eventid: 'trail-stop-denied',
      },
      {
        eventtime: '2026-11-01T03:00:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'organizations.amazonaws.com',
        eventname: 'LeaveOrganization',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        target: null,
        errorcode: 'AccessDenied',
        eventid: 'leave-organization-denied',
      },
      {
        eventtime: '2026-11-01T05:30:00Z',
        account: '444455556666',
        region: 'eu-west-1',
        eventsource: 'kms.amazonaws.com',
        eventname: 'DisableKey',
        principal: 'arn:aws:sts::444455556666:assumed-role/example-admin/bob',
        target: 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        errorcode: null,
        eventid: 'log-key-disabled-late-delivery',
      },
    ],
  },
  {
    name: 'break-glass-sessions',
    expected: [
      {
        eventtime: '2026-10-31T20:00:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'sts.amazonaws.com',
        eventname: 'AssumeRole',
        session: 'arn:aws:sts::444455556666:assumed-role/example-break-glass/carol',
        assumed_by: 'arn:aws:iam::111122223333:user/carol',
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'break-glass-assumed',
      },
      {
        eventtime: '2026-10-31T20:10:00Z',
        account: '444455556666',
        region: 'us-east-1',
        eventsource: 'iam.amazonaws.com',
        eventname: 'DetachRolePolicy',
        session: 'arn:aws:sts::444455556666:assumed-role/example-break-glass/carol',
        assumed_by: null,
        sourceipaddress: '203.0.113.10',
        errorcode: null,
        eventid: 'break-glass-detach',
      },
    ],
  },
];

describe.each(CASES.map((c) => [c.name, JSON.stringify(c.params ?? {}), c] as const))('%s %s', (_, __, c) => {
  test('returns exactly the expected rows', async () => {
    const investigation = INVESTIGATIONS.find((i) => i.name === c.name)!;
    expect(objects(await runInvestigation(investigation, c.params, WINDOW, c.context))).toEqual(c.expected);
  });
});

test('the business hours decide: the same sign-ins against a day shift at UTC are all outside it (Saturday and Sunday)', async () => {
  const dayShift: InvestigationContext = {
    ...CONTEXT,
    businessHours: {
      days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'],
      start: '09:00',
      end: '17:00',
      utcOffset: '+00:00',
    },
  };
  const investigation = INVESTIGATIONS.find((i) => i.name === 'console-signins-outside-business-hours')!;
  expect(objects(await runInvestigation(investigation, {}, WINDOW, dayShift)).map((o) => [o.eventid, o.local_time])).toEqual([
    ['signin-fri-2300-local', 'Sat 2026-10-31 04:00 +00:00'],
    ['signin-sat-0530-local', 'Sat 2026-10-31 10:30 +00:00'],
    ['signin-sat-0630-local-failed', 'Sat 2026-10-31 11:30 +00:00'],
    ['root-signin-sat-0800-local', 'Sat 2026-10-31 13:00 +00:00'],
    ['signin-sat-2230-local', 'Sun 2026-11-01 03:30 +00:00'],
  ]);
});

describe('what the table projects decides what the investigations see', () => {
  const IAM_AND_SG = () => INVESTIGATIONS.find((i) => i.name === 'iam-and-security-group-changes')!;
  const onTable = (table: string) => ({ ...CONTEXT, organizationTrailTable: table });

  test('every Region and every account, removed ones included: the us-east-1 IAM changes of the removed workload account are found', async () => {
    // IAM is a global service: CloudTrail records it in us-east-1, which FIXTURE_ORG does not govern.
    expect(FIXTURE_ORG.regions.governed).not.toContain('us-east-1');
    expect(FIXTURE_ORG.removedMembers.map((m) => m.id)).toEqual([WORKLOAD]);
    expect(eventIds(await runInvestigation(IAM_AND_SG()))).toEqual([
      'sg-created',
      'sg-ingress-opened',
      'break-glass-detach',
      'inline-policy-put-late-delivery',
    ]);
  });

  test('a projection of the governed Regions only misses them, and the check sees it', async () => {
    expect(eventIds(await runInvestigation(IAM_AND_SG(), {}, WINDOW, onTable(GOVERNED_REGIONS_ONLY)))).toEqual(['sg-created', 'sg-ingress-opened']);
  });

  test('a projection of the current members only misses the removed account, and the check sees it', async () => {
    expect(eventIds(await runInvestigation(IAM_AND_SG(), {}, WINDOW, onTable(MEMBERS_ONLY)))).toEqual([]);
  });
});

describe('the optional account narrows the account partition', () => {
  test('root-activity in the workload account: its root user, not the AssumeRoot called from the management account', async () => {
    const all = eventIds(await runInvestigation(ROOT_ACTIVITY));
    expect(all).toContain('root-session-opened');
    const workload = eventIds(await runInvestigation(ROOT_ACTIVITY, { account: WORKLOAD }));
    expect(workload).toEqual(all.filter((id) => id !== 'root-session-opened'));
    expect(workload).toEqual(['root-session-bucket-policy-deleted', 'root-signin-sat-0800-local'].sort((a, b) => all.indexOf(a) - all.indexOf(b)));
  });

  test('principal-activity of the break-glass role: its rows in the workload account, none in the management account', async () => {
    const principal = INVESTIGATIONS.find((i) => i.name === 'principal-activity')!;
    const params = { principal: `arn:aws:iam::${WORKLOAD}:role/example-break-glass` };
    expect(eventIds(await runInvestigation(principal, { ...params, account: WORKLOAD }))).toEqual(['break-glass-assumed', 'break-glass-detach']);
    expect(eventIds(await runInvestigation(principal, { ...params, account: '111122223333' }))).toEqual([]);
  });
});

describe('late deliveries', () => {
  test('a record delivered 22 hours after the window is read from the day after it', async () => {
    const investigation = INVESTIGATIONS.find((i) => i.name === 'logging-changes')!;
    expect(windowParameterValues(WINDOW.from, WINDOW.to).to_day).toBe('2026/11/02');
    expect(eventIds(await runInvestigation(investigation))).toContain('log-key-disabled-late-delivery');
    // Reading to the day of `to` only (the one-hour allowance this replaced) loses it.
    expect(eventIds(await runInvestigation(investigation, { to_day: '2026/11/01' }))).not.toContain('log-key-disabled-late-delivery');
  });
});
