/**
 * What `bin/baseline vend` and `list` say, through the real entry point on a temp copy of the example
 * config: `list`'s header and its refusal of an invalid config, a missing `--ou` as a usage error, and
 * `changedStacks` on a fresh output folder exactly as docs/cli.md describes it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_CONFIG_FILE, REPO_ROOT } from '../helpers';

const BIN = join(REPO_ROOT, 'bin', 'baseline');
const ORIGINAL = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');

let dir: string;
let configFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baseline-cli-messages-'));
  configFile = join(dir, 'org.yaml');
  writeFileSync(configFile, ORIGINAL);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: readonly string[]) {
  const env = { ...process.env };
  delete env.BASELINE_CONFIG;
  const r = spawnSync(BIN, [...args, '--config', configFile], { cwd: dir, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const newAccount = (id: string) => ['vend', '--account-id', id, '--name', `acct-${id.slice(-2)}`, '--email', `a${id}@example.com`, '--ou', 'Workloads'];
const changed = (outdir: string) => JSON.parse(readFileSync(join(dir, outdir, 'changed-stacks.json'), 'utf8')) as { changed: string[]; added: string[] };

describe('list', () => {
  test('the table starts with a header line naming its columns', () => {
    const r = run(['list']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0].split(/ {2,}/)).toEqual(['ID', 'STACK', 'NAME', 'OU', 'ROLE', 'REGIONS']);
    expect(lines).toHaveLength(6);
    // Columns line up: each header starts where its values do.
    for (const line of lines.slice(1)) {
      expect(line.indexOf('member-')).toBe(lines[0].indexOf('STACK'));
      expect(line.indexOf('us-east-1')).toBe(lines[0].indexOf('REGIONS'));
    }
  });

  test('an invalid config is refused as something list cannot do, not "before vending"', () => {
    writeFileSync(configFile, `${ORIGINAL}bogus: 1\n`);
    const r = run(['list']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: the config is invalid, so its accounts cannot be listed; fix it first:\n {2}bogus: /);
    expect(r.stderr).not.toContain('vending');
  });
});

describe('vend', () => {
  test.each(['--ou', '--name', '--email'])('a new account without %s is a usage error (exit 2, with the usage), as an empty --name is', (option) => {
    const args = newAccount('666666666666');
    const i = args.indexOf(option);
    args.splice(i, 2);
    const r = run([...args, '--outdir', 'out']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${option}: is required for a new account\\nusage:\\n {2}baseline vend `));
    expect(readFileSync(configFile, 'utf8')).toBe(ORIGINAL);
    const empty = run(['vend', '--account-id', '666666666666', '--name', '', '--email', 'a@example.com', '--ou', 'Workloads', '--outdir', 'out']);
    expect(empty.status).toBe(2);
  });

  test('an invalid config is refused "before vending"', () => {
    writeFileSync(configFile, `${ORIGINAL}bogus: 1\n`);
    const r = run([...newAccount('666666666666'), '--outdir', 'out']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: the config is invalid before vending; fix it first:\n/);
  });

  // docs/cli.md, "vend": what changedStacks holds on a fresh output folder and on one a vend wrote.
  test('changedStacks on a fresh output folder: the account\'s stack and management, even when unchanged; the folder holds only those', () => {
    const added = run([...newAccount('666666666666'), '--outdir', 'fresh']);
    expect(added.status).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ status: 'added', changedStacks: ['management', 'member-666666666666'] });
    expect(changed('fresh')).toMatchObject({ changed: [], added: ['management', 'member-666666666666'] });
    expect(readdirSync(join(dir, 'fresh', 'stacks')).sort()).toEqual(['management', 'member-666666666666']);

    // Another new account in an OU management already checks: management is rebuilt (it reads the member
    // list) but keeps its bytes, so only the account's stack is listed.
    const second = run([...newAccount('777777777777'), '--outdir', 'fresh']);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'added', changedStacks: ['member-777777777777'] });
    expect(changed('fresh')).toMatchObject({ changed: [], added: ['member-777777777777'] });

    // One in an OU no account named before: management gains that OU's plan-time check, so it is rewritten.
    const third = run([...newAccount('888888888888').slice(0, -1), 'Sandbox', '--outdir', 'fresh']);
    expect(JSON.parse(third.stdout)).toMatchObject({ status: 'added', changedStacks: ['management', 'member-888888888888'] });
    expect(changed('fresh')).toMatchObject({ changed: ['management'], added: ['member-888888888888'] });

    // A known account, nothing to change, into a new folder: "unchanged", yet both stacks are new there.
    const unchanged = run(['vend', '--account-id', '555555555555', '--regions', 'us-east-1', '--outdir', 'other']);
    expect(JSON.parse(unchanged.stdout)).toMatchObject({ status: 'unchanged', changedStacks: ['management', 'member-555555555555'] });
    const again = run(['vend', '--account-id', '555555555555', '--regions', 'us-east-1', '--outdir', 'other']);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', changedStacks: [] });
  });
});
