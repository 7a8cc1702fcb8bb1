/**
 * `baseline investigate` end to end against moto (server mode): the query starts in the workgroup and
 * database the config names, its window and parameters written into the SQL, no execution parameters;
 * GetQueryExecution is polled through QUEUED and RUNNING (progress on stderr) to SUCCEEDED; the rows
 * come back as CSV or JSON, byte for byte; Ctrl-C stops the query. Moto runs no SQL: the rows are the
 * ones seeded through its `/moto-api/static/athena/query-results` endpoint (moto/athena/models.py,
 * `get_query_results`), and the states advance by its state manager
 * (`/moto-api/state-manager/set-transition`, model `athena::execution`).
 */
import { AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Baseline from '../../bin/baseline';
import { loadConfig } from '../../config/load';
import { createInvestigateCommand, type InvestigateCommandDeps } from '../../investigate/cli';
import type { InvestigationRun } from '../../investigate/result';
import { projectedAccountIds, projectedRegions } from '../../modules/investigations/tables';
import { RUNNER_CREDENTIALS, startMoto, type Moto } from '../evidence/moto';
import { ALL_EVENTS, AUDIT_ACCOUNT, DATABASE, EVENTS_BY_NAME, EXAMPLE_CONFIG, NOW, REPO, testIo, WORKGROUP } from './fixtures';

const { main } = require('../../bin/baseline.ts') as typeof Baseline;

const ROLE_ARN = `arn:aws:iam::${AUDIT_ACCOUNT}:role/soc2-investigator`;
const REGION = 'us-east-1';

let moto: Moto;
let auditCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** A client in the audit account, as moto sees the role's session (moto keys its backends by the role's account). */
function auditAthena(): AthenaClient {
  return new AthenaClient({ region: REGION, endpoint: moto.endpoint, credentials: auditCredentials });
}

async function motoApi(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${moto.endpoint}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`${path}: ${response.status}`);
}

/** Each execution advances one state per `times` GetQueryExecution calls. */
const transitions = (times: number) => motoApi('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times } });

/**
 * The rows the next query returns, shaped as GetQueryResults' ResultSet
 * (https://docs.aws.amazon.com/athena/latest/APIReference/API_ResultSet.html): ColumnInfo names the
 * columns, and for a SELECT the first row repeats them (see docs/cli.md, "Unverified"). A Datum without
 * VarCharValue is NULL (https://docs.aws.amazon.com/athena/latest/APIReference/API_Datum.html).
 */
const COLUMNS = ['eventtime', 'eventname', 'arn'];
const ROWS: (string | null)[][] = [
  ['2026-11-02T08:00:00Z', 'DeleteTrail', 'arn:aws:iam::444444444444:role/admin'],
  ['2026-11-03T09:30:00Z', 'DeleteTrail', 'said "no", then, yes\nnext line'],
  ['2026-11-04T10:00:00Z', 'DeleteTrail', null],
];
const seedRows = () =>
  motoApi('/moto-api/static/athena/query-results', {
    account_id: AUDIT_ACCOUNT,
    region: REGION,
    results: [
      {
        rows: [COLUMNS, ...ROWS].map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        column_info: COLUMNS.map((name) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: 'varchar', Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })),
      },
    ],
  });

beforeAll(async () => {
  moto = await startMoto();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  const sts = new STSClient({ region: REGION, endpoint: moto.endpoint, credentials: RUNNER_CREDENTIALS });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'setup' }))).Credentials!;
  auditCredentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
  // The workgroup the infrastructure creates (its name from config/naming.ts), in the audit account.
  await auditAthena().send(new CreateWorkGroupCommand({ Name: WORKGROUP }));
  await transitions(2);
  await seedRows();
});

const deps: InvestigateCommandDeps = { investigations: [EVENTS_BY_NAME, ALL_EVENTS], now: () => NOW, credentials: RUNNER_CREDENTIALS, firstPollMs: 5, maxPollMs: 20 };

async function investigate(argv: readonly string[], extra: Partial<InvestigateCommandDeps> = {}) {
  const io = testIo();
  const command = createInvestigateCommand({ ...deps, ...extra });
  const code = await main(['investigate', ...argv], io, [command]);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

const ARGS = [
  'events-by-name',
  '--config', EXAMPLE_CONFIG,
  '--from', '2026-11-01',
  '--to', '2026-11-08T00:00:00Z',
  '--param', 'principal=arn:aws:iam::444444444444:role/admin',
  '--param', "event_name=DeleteTrail",
  '--role-arn', ROLE_ARN,
];

/**
 * The SQL ARGS run: every value a SQL string literal in the text; to_day is the day of `to` plus the
 * delivery allowance (windowParameterValues: records are filed by delivery time).
 */
const ARGS_SQL = `SELECT eventtime, eventname, useridentity.arn AS arn
FROM cloudtrail_organization
WHERE day BETWEEN '2026/11/01' AND '2026/11/08'
  AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('2026-11-01T00:00:00.000Z')
  AND from_iso8601_timestamp(eventtime) < from_iso8601_timestamp('2026-11-08T00:00:00.000Z')
  AND eventname = 'DeleteTrail'
  AND (useridentity.arn = 'arn:aws:iam::444444444444:role/admin' OR useridentity.sessioncontext.sessionissuer.arn = 'arn:aws:iam::444444444444:role/admin')
ORDER BY eventtime`;

describe('baseline investigate against moto', () => {
  test('runs in the audit account with every value written into the SQL, polls with progress, and writes exact CSV', async () => {
    const r = await investigate([...ARGS, '--endpoint-url', moto.endpoint]);
    expect(r.code).toBe(0);
    // RFC 4180: a header line, CRLF line ends, quotes doubled inside a quoted field, NULL empty.
    expect(r.stdout).toBe(
      'eventtime,eventname,arn\r\n' +
        '2026-11-02T08:00:00Z,DeleteTrail,arn:aws:iam::444444444444:role/admin\r\n' +
        '2026-11-03T09:30:00Z,DeleteTrail,"said ""no"", then, yes\nnext line"\r\n' +
        '2026-11-04T10:00:00Z,DeleteTrail,\r\n',
    );

    const ids = (await auditAthena().send(new ListQueryExecutionsCommand({ WorkGroup: WORKGROUP }))).QueryExecutionIds ?? [];
    expect(ids).toHaveLength(1);
    const execution = (await auditAthena().send(new GetQueryExecutionCommand({ QueryExecutionId: ids[0] }))).QueryExecution!;
    // StartQueryExecution's QueryString, QueryExecutionContext and WorkGroup, as moto recorded them
    // (https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html; GetQueryExecution's
    // Query is "The SQL query statements which the query execution ran": API_QueryExecution.html).
    expect(execution.QueryExecutionContext).toEqual({ Database: DATABASE, Catalog: 'AwsDataCatalog' });
    expect(execution.WorkGroup).toBe(WORKGROUP);
    expect(execution.Query).toBe(ARGS_SQL);
    // No ExecutionParameters sent: moto echoes what it was given, and records none.
    expect(execution.ExecutionParameters).toBeUndefined();

    // Progress: one line per state (QUEUED, RUNNING, SUCCEEDED), then the bytes and cost.
    const lines = r.stderr.split('\n');
    // Partitions: every projected account x projected Region x day read, 11/01 to 11/08 (projectedPartitions).
    const config = loadConfig(EXAMPLE_CONFIG);
    const partitions = projectedAccountIds(config).length * projectedRegions(config).length * 8;
    expect(lines[0]).toBe(
      `investigate: events-by-name from 2026-11-01T00:00:00Z to 2026-11-08T00:00:00Z (8 days, up to ${partitions} partitions), workgroup acme-soc2-investigations, database acme_soc2_investigations, us-east-1`,
    );
    const states = lines.filter((l) => l.startsWith('investigate: query ')).map((l) => /^investigate: query (\S+) (\w+), \d+s, (.+) scanned$/.exec(l)!.slice(1));
    expect(states).toEqual([
      [ids[0], 'QUEUED', '0 B'],
      [ids[0], 'RUNNING', '0 B'],
      [ids[0], 'SUCCEEDED', '0 B'],
    ]);
    // Moto scans nothing (DataScannedInBytes 0): the 10 MB minimum is billed, 10 MB / 1 TB x $5.
    expect(lines).toContain(`investigate: events-by-name: 3 rows; 0 B scanned, $0.000048 at $5/TB (at least 10 MB billed per query); query ${ids[0]}`);
    // The role's session is in the audit account: no warning.
    expect(r.stderr).not.toContain('warning');
  });

  test('--format json --out FILE writes the InvestigationRun, and stdout a one-line summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'investigate-'));
    const out = join(dir, 'run.json');
    const r = await investigate([...ARGS, '--endpoint-url', moto.endpoint, '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    const run = JSON.parse(readFileSync(out, 'utf8')) as InvestigationRun;
    expect(r.stdout).toBe(`${JSON.stringify({ out, format: 'json', rows: 3, queryExecutionId: run.queryExecutionId, dataScannedBytes: 0, costUsd: 0.00004768 })}\n`);
    expect(run).toEqual({
      version: 1,
      investigation: 'events-by-name',
      title: 'Events by name',
      answers: 'Which calls of one name did one principal make?',
      window: { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' },
      lastDayPartition: '2026/11/08',
      parameters: { principal: 'arn:aws:iam::444444444444:role/admin', event_name: 'DeleteTrail' },
      accountId: AUDIT_ACCOUNT,
      region: REGION,
      workgroup: WORKGROUP,
      database: DATABASE,
      queryExecutionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      queryString: ARGS_SQL,
      executionParameters: [],
      dataScannedBytes: 0,
      costUsd: 0.00004768,
      submittedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/),
      completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/),
      columns: COLUMNS,
      rows: ROWS,
    });
    // The file is exactly what --format json prints.
    expect(readFileSync(out, 'utf8')).toBe(`${JSON.stringify(run, null, 2)}\n`);
  });

  test('without --role-arn the caller runs in its own account, with a warning naming the audit account', async () => {
    // The runner's credentials are moto's default account; the workgroup is there too for this test.
    await new AthenaClient({ region: REGION, endpoint: moto.endpoint, credentials: RUNNER_CREDENTIALS }).send(new CreateWorkGroupCommand({ Name: WORKGROUP }));
    const r = await investigate(['all-events', '--config', EXAMPLE_CONFIG, '--from', '7d', '--endpoint-url', moto.endpoint]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`investigate: warning: the credentials are of account 123456789012, not the audit account ${AUDIT_ACCOUNT} (organization.auditAccountId)`);
    expect(r.stderr).toContain('--role-arn');
    // No rows were seeded in that account: moto returns no columns and no rows, and nothing is written.
    expect(r.stdout).toBe('');
  });

  test('Ctrl-C stops the query (StopQueryExecution) and exits 1', async () => {
    await transitions(1_000_000);
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 150);
    const r = await investigate([...ARGS, '--endpoint-url', moto.endpoint], { signal: interrupt.signal });
    expect(r.code).toBe(1);
    const ids = (await auditAthena().send(new ListQueryExecutionsCommand({ WorkGroup: WORKGROUP }))).QueryExecutionIds ?? [];
    expect(r.stderr).toContain(`error: events-by-name: interrupted; query ${ids[0]} stopped (StopQueryExecution)\n`);
    // StopQueryExecution: https://docs.aws.amazon.com/athena/latest/APIReference/API_StopQueryExecution.html
    const execution = (await auditAthena().send(new GetQueryExecutionCommand({ QueryExecutionId: ids[0] }))).QueryExecution!;
    expect(execution.Status?.State).toBe('CANCELLED');
    expect(r.stdout).toBe('');
  });

  test('the real bin/baseline runs root-activity with credentials from the environment', async () => {
    await transitions(1);
    // A date-time window inside the example config's retention, whatever day the test runs on.
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const child = spawn(join(REPO, 'bin', 'baseline'), ['investigate', 'root-activity', '--config', EXAMPLE_CONFIG, '--from', from, '--role-arn', ROLE_ARN, '--endpoint-url', moto.endpoint], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: RUNNER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: RUNNER_CREDENTIALS.secretAccessKey, AWS_PROFILE: '', AWS_SESSION_TOKEN: '', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('investigate: root-activity: 3 rows;') });
    expect(stdout.split('\r\n')[0]).toBe(COLUMNS.join(','));
    const ids = (await auditAthena().send(new ListQueryExecutionsCommand({ WorkGroup: WORKGROUP }))).QueryExecutionIds ?? [];
    const execution = (await auditAthena().send(new GetQueryExecutionCommand({ QueryExecutionId: ids[0] }))).QueryExecution!;
    // root-activity reads the window only, written into the SQL: from_day, to_day, from, to.
    expect(execution.ExecutionParameters).toBeUndefined();
    expect(execution.Query).toContain(`day BETWEEN '${from.replace(/-/g, '/')}' AND '`);
    expect(execution.Query).toContain(`from_iso8601_timestamp('${from}T00:00:00.000Z')`);
    expect(execution.Query).not.toMatch(/\?|\{[a-z_]+\}/);
  }, 30_000);
});
