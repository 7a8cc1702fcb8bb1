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
    expect(result.stderr).toContain(`${join(dir, 'nope.yaml')} is not a valid baseline config:\n  cannot read the file: ENOENT`);
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
      .replace(/  readerRoleArns:[^\n]*\n    - [^\n]*\n/, '  readerRoleArns: []\n');
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

  test('a second synth rewrites only the stack whose member changed, removes a dropped one, and lists both', () => {
    const stacks = join(dir, 'cdktf.out', 'stacks');
    const example = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');
    writeFileSync(join(dir, 'org.yaml'), example);
    expect(run(dir, { BASELINE_CONFIG: 'org.yaml' }).status).toBe(0);
    const mtimes = () => Object.fromEntries(readdirSync(stacks).map((s) => [s, statSync(join(stacks, s, 'cdk.tf.json')).mtimeMs]));
    const before = mtimes();

    const dropped = example.slice(0, example.indexOf('  - id: "555555555555"'));
    writeFileSync(join(dir, 'org.yaml'), dropped.replace('environment: production', 'environment: prod'));
    const result = run(dir, { BASELINE_CONFIG: 'org.yaml' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^changed member-444444444444; removed member-555555555555; 4 unchanged \(built \d+ of 5, the others reused; see cdktf\.out\/changed-stacks\.json\)$/m);
    expect(JSON.parse(readFileSync(join(dir, 'cdktf.out', 'changed-stacks.json'), 'utf8'))).toEqual({
      changed: ['member-444444444444'],
      added: [],
      removed: ['member-555555555555'],
      unchanged: 4,
    });
    const after = mtimes();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).filter((s) => s !== 'member-555555555555').sort());
    for (const stack of Object.keys(after)) {
      if (stack === 'member-444444444444') expect(after[stack]).not.toBe(before[stack]);
      else expect(after[stack]).toBe(before[stack]);
    }
  });
});
