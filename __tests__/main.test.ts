/**
 * The entry point as the pipeline runs it (`tsx main.ts`, what `make synth` and `cdktf synth` call):
 * exit codes, messages, and that a bad config or selection writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_CONFIG_FILE, REPO_ROOT } from './helpers';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(REPO_ROOT, 'main.ts');

function run(cwd: string, env: Record<string, string>) {
  const inherited = { ...process.env };
  for (const name of ['BASELINE_CONFIG', 'BASELINE_STACKS', 'CDKTF_OUTDIR']) delete inherited[name];
  const result = spawnSync(TSX, [MAIN], { cwd, env: { ...inherited, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('main.ts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baseline-main-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a broken config prints one line per problem, exits non-zero and writes nothing', () => {
    const bad = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')
      .replace('id: "444444444444"', 'id: "44444"')
      .replace('home: us-east-1', 'home: ap-south-1')
      .replace('ou: Root', 'ou: Root\n    owner: platform');
    writeFileSync(join(dir, 'bad.yaml'), bad);
    const result = run(dir, { BASELINE_CONFIG: 'bad.yaml' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe(`error: ${join(dir, 'bad.yaml')} is not a valid baseline config:`);
    expect(lines.slice(1).map((l) => l.replace(/ \(line \d+\)$/, '').trim())).toEqual([
      'members[0].owner: unknown key',
      'members[3].id: must be a 12-digit account id, quoted (e.g. "111111111111")',
    ]);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  test('a cross-field problem is reported the same way, and nothing is written', () => {
    writeFileSync(join(dir, 'bad.yaml'), readFileSync(EXAMPLE_CONFIG_FILE, 'utf8').replace('home: us-east-1', 'home: ap-south-1'));
    const result = run(dir, { BASELINE_CONFIG: join(dir, 'bad.yaml') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^ {2}regions\.home: ap-south-1 is not in regions\.governed \(line \d+\)$/m);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  test('a missing config file is an error naming the file', () => {
    const result = run(dir, { BASELINE_CONFIG: 'nope.yaml' });
    expect(result.status).toBe(1);
    // A sentence, not the system's ENOENT: which file, and what names it.
    expect(result.stderr).toBe(
      `error: ${join(dir, 'nope.yaml')}: no such file (BASELINE_CONFIG or --config names the config file; when neither is given it is baseline.config.yaml in the current folder)\n`,
    );
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  test('a selection that matches nothing exits non-zero and writes nothing', () => {
    const result = run(dir, { BASELINE_CONFIG: EXAMPLE_CONFIG_FILE, BASELINE_STACKS: 'member-000000000000' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('BASELINE_STACKS: "member-000000000000" matches no stack');
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  test('a config without alert subscribers or log readers synthesizes, with a warning for each', () => {
    const text = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')
      .replace(/  subscriptions:[^\n]*\n(    - [^\n]*\n(      [^\n]*\n)*)+/, '  subscriptions: []\n')
      .replace(/  readerRoleArns:[^\n]*\n    - [^\n]*\n/, '  readerRoleArns: []\n')
      // Investigations need a reader in the audit account: off, with the exception that needs.
      .concat('investigations:\n  enabled: false\ncontrolExceptions:\n  - control: investigations.athena\n    reason: Nobody reads the logs in this test config.\n');
    writeFileSync(join(dir, 'quiet.yaml'), text);
    const result = run(dir, { BASELINE_CONFIG: 'quiet.yaml', BASELINE_STACKS: 'member-555555555555' });
    expect(result.status).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'warning: alerts.subscriptions is empty: every CIS alarm and high-severity finding reaches the central alert topic, which nobody is subscribed to',
      'warning: logArchive.readerRoleArns is empty: nobody but AWS services can read the central logs (auditors will ask someone to)',
    ]);
  });

  test('a selection synthesizes only the selected stacks', () => {
    const result = run(dir, { BASELINE_CONFIG: EXAMPLE_CONFIG_FILE, BASELINE_STACKS: 'member-444444444444,management' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(['management', 'member-444444444444']);
    expect(result.stdout).toContain('synthesized 2 stack(s): management, member-444444444444');
  });

  test('a second synth rewrites only the stack whose member changed, keeps the folder of a dropped one with a warning, and lists both', () => {
    const stacks = join(dir, 'cdktf.out', 'stacks');
    const example = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');
    writeFileSync(join(dir, 'org.yaml'), example);
    expect(run(dir, { BASELINE_CONFIG: 'org.yaml' }).status).toBe(0);
    const mtimes = () => Object.fromEntries(readdirSync(stacks).map((s) => [s, statSync(join(stacks, s, 'cdk.tf.json')).mtimeMs]));
    const before = mtimes();

    const dropped = example.slice(0, example.indexOf('  - id: "555555555555"'));
    writeFileSync(join(dir, 'org.yaml'), dropped.replace('environment: production', 'environment: prod'));
    const result = run(dir, { BASELINE_CONFIG: 'org.yaml' });
    // The folder may hold a stack whose resources still exist: kept, and the warning says what to do.
    expect(result.stderr).toBe(
      'warning: cdktf.out/stacks/member-555555555555 is kept though no stack of the config is named member-555555555555 (it is in neither members nor removedMembers): if account 555555555555 left the baseline, move its entry to removedMembers (with removedOn: YYYY-MM-DD and reason: why it left; or run baseline remove) so that the pipeline destroys member-555555555555; delete the folder once its resources are destroyed\n',
    );
    expect(result.status).toBe(0);
    // management reads the member list (its output may change with it), and so does the audit
    // account's stack (the investigations' tables project every account); no other stack does.
    const changed = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'changed-stacks.json'), 'utf8'));
    const withManagement = changed.changed.includes('management');
    expect(result.stdout).toMatch(
      /^changed (management, )?member-333333333333, member-444444444444; [23] unchanged \(built \d+ of 5, the others reused; see cdktf\.out\/changed-stacks\.json\)$/m,
    );
    expect(changed).toEqual({
      changed: [...(withManagement ? ['management'] : []), 'member-333333333333', 'member-444444444444'],
      added: [],
      removed: [],
      orphaned: ['member-555555555555'],
      unchanged: withManagement ? 2 : 3,
    });
    const after = mtimes();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const stack of Object.keys(after)) {
      if (changed.changed.includes(stack)) expect(after[stack]).not.toBe(before[stack]);
      else expect(after[stack]).toBe(before[stack]);
    }
  });

  test("a config of another organization is refused (exit 1) before anything in the output folder changes, naming the folder's organization and config", () => {
    const example = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');
    writeFileSync(join(dir, 'org.yaml'), example);
    writeFileSync(join(dir, 'other.yaml'), example.replace('o-exampleorg01', 'o-otherorg0001'));
    expect(run(dir, { BASELINE_CONFIG: 'org.yaml', BASELINE_STACKS: 'member-555555555555' }).status).toBe(0);
    const out = join(dir, 'cdktf.out');
    const files = () =>
      (readdirSync(out, { recursive: true, encoding: 'utf8' }) as string[]).map((f) => `${f} ${statSync(join(out, f)).mtimeMs}`).sort();
    const before = files();
    const result = run(dir, { BASELINE_CONFIG: 'other.yaml' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: cdktf.out holds the stacks of organization o-exampleorg01 (management account 111111111111, config org.yaml), not of o-otherorg0001 (management account 111111111111) (config other.yaml); nothing was written. ' +
        'Choose another output folder (CDKTF_OUTDIR for make synth, --outdir for baseline commands), or delete cdktf.out once nothing in it needs destroying (its removed-stacks.json and changed-stacks.json "orphaned" list those that may)\n',
    );
    expect(files()).toEqual(before);
    // Another config file of the same organization may synthesize into it.
    writeFileSync(join(dir, 'copy.yaml'), example);
    expect(run(dir, { BASELINE_CONFIG: 'copy.yaml', BASELINE_STACKS: 'member-555555555555' }).status).toBe(0);
    expect(run(dir, { BASELINE_CONFIG: 'other.yaml', CDKTF_OUTDIR: 'other.out', BASELINE_STACKS: 'member-555555555555' }).status).toBe(0);
  });
});
