/**
 * `baseline evidence` as a command: help generated from its declaration, usage errors naming the
 * option (exit 2), refusals (exit 1), the exit code from the judgements (0, 1 on a failed control,
 * 3 on evidence not collected), and the progress display (plain lines, or one redrawn line on a TTY).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Baseline from '../../bin/baseline';
import type { CliIo } from '../../bin/cli-command';
import { createEvidenceCommand, evidenceCommand, parseSince } from '../../evidence/cli';
import type { CollectOptions } from '../../evidence/collect';
import { COLLECTION_FORMAT, createCollection, FileSink, type CollectionManifest } from '../../evidence/collection';
import type { CollectIntoFolderOptions, CollectIntoFolderResult } from '../../evidence/run-collection';
import { ERROR_LINES_SHOWN, progressReporter } from '../../evidence/progress';
import type { EvidenceItem, EvidenceStatus } from '../../evidence/types';

// `../../bin/baseline` alone resolves to the shell script next to it.
const { main } = require('../../bin/baseline.ts') as typeof Baseline;

const REPO = join(__dirname, '..', '..');
const EXAMPLE = join(REPO, 'baseline.config.yaml');
const NOW = new Date('2026-03-02T12:00:00Z');

function io(tty = false): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), stderrIsTTY: tty };
}

function item(status: EvidenceStatus, id: string): EvidenceItem {
  return { id, controlId: id.split('/')[0], tsc: ['CC7.2'], title: 't', status, reason: `${status} reason`, accountId: '111111111111', region: 'us-east-1', collectedAt: NOW.toISOString(), raw: [], sources: [] };
}

/** A collector that writes a complete collection folder of one unit with these judgements, as collectIntoFolder does. */
function fakeCollect(statuses: EvidenceStatus[], seen: CollectOptions[] = []) {
  return async (options: CollectIntoFolderOptions): Promise<CollectIntoFolderResult> => {
    seen.push(options);
    options.progress?.start(statuses.length, 1, 1);
    const run = { startedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), collectedBy: 'arn:aws:sts::1:assumed-role/auditor/x', organizationId: 'o-exampleorg01', accounts: ['111111111111'], regions: ['us-east-1'], roleName: 'r', sinceDays: 90, period: { from: '2025-12-02T12:00:00.000Z', to: NOW.toISOString() }, triage: { findingTriageHours: 24, alarmAcknowledgeHours: 24 }, logValidation: { skipped: 'skipped' }, exceptions: [] };
    const manifest = { format: COLLECTION_FORMAT, inputs: { shardCount: 1 } as CollectionManifest['inputs'], shard: { index: 1, count: 1 }, run, tasks: 1, complete: true } as const;
    createCollection(options.dir, manifest, {});
    const sink = new FileSink(options.dir);
    sink.add({ key: 'fake', items: statuses.map((s, i) => item(s, `vpc.flow-logs/111111111111/us-east-1/vpc-${i}`)), raw: [] });
    sink.close();
    const counts = { PASS: 0, FAIL: 0, ERROR: 0 };
    for (const s of statuses) counts[s] += 1;
    return { manifest, reused: 0, tasks: 1, counts };
  };
}

const run = (argv: string[], command = evidenceCommand, stdio = io()) => main(['evidence', ...argv], stdio, [command]).then((code) => ({ code, ...stdio }));
const noGit = async () => {
  throw new Error('not a git repository');
};

describe('baseline evidence', () => {
  test('--help lists every option and the exit codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    const help = r.out.join('');
    for (const option of ['--out DIR', '--config FILE', '--accounts ID,ID', '--regions R1,R2', '--role-name NAME', '--log-reader-role-arn ARN', '--since DAYS', '--validate-logs-since WHEN', '--skip-log-validation', '--concurrency N', '--endpoint-url URL']) {
      expect(help).toContain(option);
    }
    expect(help).toContain('SecurityAudit');
    expect(help).toMatch(/Exit codes: 0 every control passed; 1 a control failed; 3 none failed but some evidence could not be/);
  });

  test.each([
    [[], '--out: required'],
    [['--out', 'x', '--accounts', '12345'], '--accounts: "12345" is not a 12-digit account id'],
    [['--out', 'x', '--regions', 'mars-1'], '--regions: "mars-1" is not a Region code'],
    [['--out', 'x', '--since', '0'], '--since: must be a whole number, 1 or more (got "0")'],
    [['--out', 'x', '--concurrency', 'many'], '--concurrency: must be a whole number, 1 or more (got "many")'],
    [['--out', 'x', '--validate-logs-since', 'yesterday'], '--validate-logs-since: must be a duration such as 24h or 7d'],
    [['--out', 'x', '--validate-logs-since', '2h', '--skip-log-validation'], '--validate-logs-since: cannot be combined with --skip-log-validation'],
    [['--out', 'x', '--since', '30', '--from', '2026-01-01'], '--since: cannot be combined with --from'],
    [['--out', 'x', '--from', '01/01/2026'], '--from: must be an ISO 8601 date (2026-01-31) or date-time with a zone'],
    [['--out', 'x', '--from', '2026-03-01', '--to', '2026-02-01'], '--from: 2026-03-01T00:00:00.000Z is not before --to 2026-02-01T00:00:00.000Z'],
    [['--out', 'x', '--to', '2099-01-01'], '--to: 2099-01-01T00:00:00.000Z is in the future'],
    [['--out', 'x', '--investigation-sample', '/nonexistent/sample.json'], '--investigation-sample: /nonexistent/sample.json is not a file'],
  ])('usage error %j names the option (exit 2)', async (argv, message) => {
    const r = await run(argv as string[], createEvidenceCommand({ collect: fakeCollect([]), git: noGit }));
    expect(r.code).toBe(2);
    expect(r.err.join('')).toContain(message);
  });

  test('refusals name the option (exit 1): an account outside the config, an invalid config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
    const accounts = await run(['--out', join(dir, 'b'), '--config', EXAMPLE, '--accounts', '999999999999'], createEvidenceCommand({ git: noGit }));
    expect(accounts.code).toBe(1);
    expect(accounts.err.join('')).toContain('error: --accounts: 999999999999 is not a member of the config');

    writeFileSync(join(dir, 'bad.yaml'), 'organization: {}\n');
    const bad = await run(['--out', join(dir, 'b'), '--config', join(dir, 'bad.yaml')], createEvidenceCommand({ collect: fakeCollect(['PASS']), git: noGit }));
    expect(bad.code).toBe(1);
    expect(bad.err.join('')).toContain('is not a valid baseline config');

  });

  test('an --out that cannot hold the binder is a usage error (exit 2) found before anything is collected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const seen: CollectOptions[] = [];
    const foreign = await run(['--out', dir, '--config', EXAMPLE], createEvidenceCommand({ collect: fakeCollect(['PASS'], seen), git: noGit }));
    expect(foreign.code).toBe(2);
    expect(foreign.err.join('')).toMatch(/^error: --out: .* holds files that are not part of a binder \(.*notes\.txt.*\): choose an empty or new folder\nusage:/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    const file = await run(['--out', join(dir, 'notes.txt'), '--config', EXAMPLE], createEvidenceCommand({ collect: fakeCollect(['PASS'], seen), git: noGit }));
    expect(file.code).toBe(2);
    expect(file.err.join('')).toContain('is a file, not a folder');
    const under = await run(['--out', join(dir, 'notes.txt', 'binder'), '--config', EXAMPLE], createEvidenceCommand({ collect: fakeCollect(['PASS'], seen), git: noGit }));
    expect(under.code).toBe(2);
    expect(under.err.join('')).toContain(`cannot be created: ${join(dir, 'notes.txt')} is a file, not a folder`);
    expect(seen).toHaveLength(0);
  });

  test('through bin/baseline: a bad --out, --accounts or --regions is refused in seconds, before any AWS call', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    // An endpoint that never answers (TEST-NET-1, RFC 5737) and no credentials: any call would hang
    // through every retry, so exiting fast proves that nothing was called.
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true' };
    delete env.BASELINE_CONFIG;
    const cases: [string[], number, string][] = [
      [['--out', dir], 2, `error: --out: ${dir} holds files that are not part of a binder (notes.txt): choose an empty or new folder`],
      [['--out', join(dir, 'b'), '--accounts', '999999999999'], 1, 'error: --accounts: 999999999999 is not a member of the config'],
      [['--out', join(dir, 'b'), '--regions', 'ap-south-2'], 1, 'error: --regions: ap-south-2 is not a governed Region (regions.governed)'],
    ];
    for (const [argv, code, message] of cases) {
      const started = Date.now();
      const r = spawnSync(join(REPO, 'bin', 'baseline'), ['evidence', ...argv, '--config', EXAMPLE, '--endpoint-url', 'http://192.0.2.1:9'], { cwd: dir, env, encoding: 'utf8', timeout: 50_000 });
      expect({ argv, status: r.status, first: r.stderr.split('\n')[0] }).toEqual({ argv, status: code, first: message });
      expect(Date.now() - started).toBeLessThan(20_000);
    }
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  test.each([
    [['PASS', 'PASS'], 0],
    [['PASS', 'FAIL', 'ERROR'], 1],
    [['PASS', 'ERROR'], 3],
  ] as const)('judgements %j exit %i, with one JSON line on stdout', async (statuses, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
    const seen: CollectOptions[] = [];
    const r = await run(['--out', join(dir, 'binder'), '--config', EXAMPLE, '--accounts', '111111111111,444444444444', '--regions', 'us-east-1', '--since', '30', '--validate-logs-since', '7d'], createEvidenceCommand({ collect: fakeCollect([...statuses], seen), git: noGit, now: () => NOW }));
    expect(r.code).toBe(code);
    const line = JSON.parse(r.out.join(''));
    expect(line).toMatchObject({ out: join(dir, 'binder'), items: statuses.length, pass: statuses.filter((s) => s === 'PASS').length });
    expect(line.failed).toEqual(statuses.map((s, i) => (s === 'FAIL' ? `vpc.flow-logs/111111111111/us-east-1/vpc-${i}` : undefined)).filter(Boolean));
    expect(seen[0]).toMatchObject({ accounts: ['111111111111', '444444444444'], regions: ['us-east-1'], sinceDays: 30, validateLogsSince: new Date('2026-02-23T12:00:00Z'), configFile: EXAMPLE });
    expect(seen[0].history).toMatchObject({ available: false });
    expect(readFileSync(join(dir, 'binder', 'index.html'), 'utf8')).toContain('evidence binder');
  });

  test('--validate-logs-since takes a duration or an ISO 8601 time in the past', () => {
    expect(parseSince('24h', NOW).toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(parseSince('90m', NOW).toISOString()).toBe('2026-03-02T10:30:00.000Z');
    expect(parseSince('2026-03-01T00:00:00Z', NOW).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(() => parseSince('2026-04-01T00:00:00Z', NOW)).toThrow('is not in the past');
    expect(() => parseSince('0h', NOW)).toThrow('at least 1h');
  });
});

describe('progress display', () => {
  const counts = { PASS: 3, FAIL: 1, ERROR: 1 };
  const event = (errors: string[] = []) => ({ label: 'AWS Config', accountId: '111111111111', region: 'us-east-1', errors });

  test('without a terminal: plain lines at each tenth, each error, and the end', () => {
    const lines: string[] = [];
    const p = progressReporter((t) => lines.push(t), false);
    p.start(20, 5, 3);
    for (let i = 1; i <= 20; i++) p.taskDone(event(i === 7 ? ['config.recorder: could not collect: AccessDenied'] : []), i, counts);
    p.finish(counts);
    expect(lines[0]).toBe('evidence: 20 tasks over 5 account(s) and 3 Region(s)\n');
    expect(lines).toContain('evidence: ERROR AWS Config 111111111111 us-east-1: config.recorder: could not collect: AccessDenied\n');
    expect(lines.filter((l) => /tasks \(\d+%\)/.test(l))).toHaveLength(10);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(lines.at(-1)).toBe('evidence: done  PASS 3  FAIL 1  ERROR 1\n');
  });

  test('at scale: the first ERROR_LINES_SHOWN error lines, then one line saying the rest are in the binder', () => {
    const lines: string[] = [];
    const p = progressReporter((t) => lines.push(t), false);
    p.start(1000, 1000, 17);
    for (let i = 1; i <= 1000; i++) p.taskDone(event([`config.recorder: could not collect: AccessDenied ${i}`, `config.rules: could not collect: AccessDenied ${i}`]), i, counts);
    const errors = lines.filter((l) => l.startsWith('evidence: ERROR'));
    expect(errors).toHaveLength(ERROR_LINES_SHOWN + 1);
    expect(errors.at(-1)).toBe('evidence: ERROR AWS Config 111111111111 us-east-1: (more ERROR lines are not shown: the binder lists every one, items.csv too)\n');
  });

  test('on a terminal: one line redrawn in place, at most every 100 ms', () => {
    const writes: string[] = [];
    let clock = 0;
    const p = progressReporter((t) => writes.push(t), true, () => clock);
    p.start(3, 1, 1);
    p.taskDone(event(), 1, counts);
    clock += 10;
    p.taskDone(event(), 2, counts);
    clock += 10;
    p.taskDone(event(), 3, counts);
    p.finish(counts);
    const redraws = writes.filter((w) => w.startsWith('\r\x1b[2K['));
    expect(redraws).toEqual(['\r\x1b[2K[1/3] PASS 3  FAIL 1  ERROR 1  AWS Config 111111111111 us-east-1', '\r\x1b[2K[3/3] PASS 3  FAIL 1  ERROR 1  AWS Config 111111111111 us-east-1']);
    expect(writes.at(-1)).toBe('\r\x1b[2Kevidence: done  PASS 3  FAIL 1  ERROR 1\n');
  });
});
