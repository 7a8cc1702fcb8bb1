/**
 * The config lock (vending/config-lock.ts) as pipelines meet it: `bin/baseline vend` processes started
 * at the same moment against one config, a lock held by a live process, a lock left by a dead one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { lockFileOf, withConfigLock } from '../../vending/config-lock';
import { EXAMPLE_CONFIG_FILE, REPO_ROOT } from '../helpers';

const BIN = join(REPO_ROOT, 'bin', 'baseline');
const ORIGINAL = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');

let dir: string;
let configFile: string;
let outdir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baseline-lock-'));
  configFile = join(dir, 'org.yaml');
  outdir = join(dir, 'out');
  writeFileSync(configFile, ORIGINAL);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => {
  const e = { ...process.env };
  delete e.BASELINE_CONFIG;
  return e;
};

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runAsync(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, [...args, '--config', configFile, '--outdir', outdir], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function run(args: readonly string[]): Run {
  const r = spawnSync(BIN, [...args, '--config', configFile, '--outdir', outdir], { cwd: dir, env: env(), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const vendArgs = (id: string) => ['vend', '--account-id', id, '--name', `acct-${id.slice(-2)}`, '--email', `a${id}@example.com`, '--ou', 'Workloads'];
const memberIds = () => (parse(readFileSync(configFile, 'utf8')).members as { id: string }[]).map((m) => m.id);

/** A pid that no longer exists: a process that has just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid as number;
}

function holdLock(holder: { pid: number; host: string }): string {
  const lockFile = `${configFile}.lock`;
  writeFileSync(lockFile, JSON.stringify({ ...holder, since: '2025-01-01T00:00:00.000Z', token: 'someone-else' }));
  return lockFile;
}

describe('concurrent vends', () => {
  test('two vends of different new accounts started at the same moment both land, 10 trials out of 10', async () => {
    for (let trial = 0; trial < 10; trial++) {
      writeFileSync(configFile, ORIGINAL);
      const ids = [`6000000000${trial}0`, `6000000000${trial}1`];
      const results = await Promise.all(ids.map((id) => runAsync(vendArgs(id))));
      for (const r of results) {
        expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('added to') });
        expect(JSON.parse(r.stdout).status).toBe('added');
      }
      // Both accounts, once each, after the five the config had, in whichever order the lock let them in.
      const members = memberIds();
      expect(members.slice(0, 5)).toEqual(['111111111111', '222222222222', '333333333333', '444444444444', '555555555555']);
      expect(members.slice(5).sort()).toEqual(ids);
      expect(existsSync(lockFileOf(configFile))).toBe(false);
    }
  }, 240_000);
});

describe('a lock held by another process', () => {
  test('vend waits up to --lock-timeout, then exits 1 naming the lock file and its holder; nothing is written', () => {
    const lockFile = holdLock({ pid: process.pid, host: hostname() });
    const started = Date.now();
    const r = run([...vendArgs('666666666666'), '--lock-timeout', '1']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: ${configFile} is locked by process ${process.pid} on ${hostname()} (since 2025-01-01T00:00:00.000Z): waited 1 s for it (--lock-timeout). ` +
        `If that process is gone (or on another host and no longer running), delete the lock file ${lockFile}\n`,
    );
    expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
    expect(existsSync(lockFile)).toBe(true);
  });

  test('remove takes the lock too', () => {
    holdLock({ pid: process.pid, host: hostname() });
    const r = run(['remove', '--account-id', '555555555555', '--reason', 'workloads-dev is decommissioned', '--yes', '--lock-timeout', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*org\.yaml is locked by process \d+ on /);
    expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
  });

  test('a lock whose holder died on this host is stale: it is removed and the vend goes on', () => {
    const lockFile = holdLock({ pid: deadPid(), host: hostname() });
    const r = run([...vendArgs('666666666666'), '--lock-timeout', '0']);
    expect(r.status).toBe(0);
    expect(memberIds()).toContain('666666666666');
    expect(existsSync(lockFile)).toBe(false);
  });

  test('a lock of another host is never broken, even if a process of that pid is not running here', () => {
    holdLock({ pid: deadPid(), host: `not-${hostname()}` });
    const r = run([...vendArgs('666666666666'), '--lock-timeout', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`on not-${hostname()}`);
    expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
  });

  test.each([
    ['empty', '', 'it is empty'],
    ['garbage', 'not a lock\n', 'it holds no lock record ("not a lock\\n")'],
    ['a record without a pid', '{"host":"h"}', 'it holds no lock record ("{\\"host\\":\\"h\\"}")'],
  ])('a lock file that is %s is reported at once (after a 2 s grace), naming it, not after the whole --lock-timeout', (_what, content, problem) => {
    const lockFile = `${configFile}.lock`;
    writeFileSync(lockFile, content);
    const started = Date.now();
    const r = run([...vendArgs('666666666666'), '--lock-timeout', '120']);
    const seconds = (Date.now() - started) / 1000;
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `error: ${configFile} is locked by the file ${lockFile}, but ${problem}: vend and remove write their pid, host and ` +
        `start time into it as they create it, so no vend or remove holds it. Delete the lock file ${lockFile} and run again\n`,
    );
    // UNREADABLE_LOCK_GRACE_MS (2 s), plus starting bin/baseline; not 120 s.
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThan(30);
    expect(readFileSync(lockFile, 'utf8')).toBe(content);
    expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
  });

  test('a lock file being written as it is read (empty for a moment) is waited for, not reported', () => {
    const lockFile = `${configFile}.lock`;
    writeFileSync(lockFile, '');
    // The "holder" fills its record 0.5 s later, then releases the lock 0.5 s after that.
    const filler = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'); setTimeout(() => { fs.writeFileSync(${JSON.stringify(lockFile)}, JSON.stringify({ pid: process.pid, host: require('os').hostname(), since: 'now', token: 't' })); setTimeout(() => fs.rmSync(${JSON.stringify(lockFile)}), 500); }, 500);`,
    ]);
    const r = run([...vendArgs('666666666666'), '--lock-timeout', '60']);
    filler.kill();
    expect(r.stderr).not.toContain('error');
    expect(r.status).toBe(0);
    expect(memberIds()).toContain('666666666666');
  });

  test('with --lock-timeout 0, an unreadable lock file is reported at once', () => {
    writeFileSync(`${configFile}.lock`, 'garbage');
    const r = run([...vendArgs('666666666666'), '--lock-timeout', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('but it holds no lock record ("garbage")');
  });

  test('--lock-timeout must be a number of seconds', () => {
    const r = run([...vendArgs('666666666666'), '--lock-timeout', 'soon']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --lock-timeout: must be a number of seconds, 0 or more \(got "soon"\)\nusage:\n {2}baseline vend/);
  });
});

describe('withConfigLock', () => {
  test('releases the lock when the work throws, and leaves a lock that is not its own', () => {
    expect(() =>
      withConfigLock(configFile, {}, () => {
        expect(JSON.parse(readFileSync(`${configFile}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(existsSync(`${configFile}.lock`)).toBe(false);
    withConfigLock(configFile, {}, () => {
      // Taken over (wrongly) by another: releasing must not delete the other's lock.
      holdLock({ pid: process.pid, host: 'elsewhere' });
    });
    expect(existsSync(`${configFile}.lock`)).toBe(true);
  });

  test('every path to one config locks the same file', () => {
    const link = join(dir, 'link.yaml');
    symlinkSync(configFile, link);
    expect(lockFileOf(link)).toBe(lockFileOf(configFile));
    withConfigLock(link, {}, () => expect(existsSync(`${configFile}.lock`)).toBe(true));
  });
});
