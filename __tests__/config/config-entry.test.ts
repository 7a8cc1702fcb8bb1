/**
 * The config's refusals through the real entry points, on temp copies: `make synth` (`tsx main.ts`)
 * refuses a misspelled Region, a malformed OU, a missing or empty config file, with the field and line
 * or a plain sentence, and writes nothing; `bin/baseline vend --ou` refuses a malformed OU as a usage
 * error (exit 2) naming `--ou`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_CONFIG_FILE, REPO_ROOT } from '../helpers';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(REPO_ROOT, 'main.ts');
const BIN = join(REPO_ROOT, 'bin', 'baseline');
const TEXT = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');

function clean(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['BASELINE_CONFIG', 'BASELINE_STACKS', 'CDKTF_OUTDIR']) delete env[name];
  return env;
}

function synth(cwd: string, config: string) {
  const r = spawnSync(TSX, [MAIN], { cwd, env: { ...clean(), BASELINE_CONFIG: config }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lineOf = (text: string, match: RegExp) => text.split('\n').findIndex((l) => match.test(l)) + 1;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baseline-config-entry-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('make synth', () => {
  test('refuses a misspelled governed Region with its field and line, and writes nothing', () => {
    const text = TEXT.replace('    - eu-west-1\n', '    - us-east-7\n    - eu-west-1\n');
    writeFileSync(join(dir, 'org.yaml'), text);
    const r = synth(dir, 'org.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `error: ${join(dir, 'org.yaml')} is not a valid baseline config:\n` +
        `  regions.governed[2]: us-east-7 is not an AWS Region (did you mean us-east-1 or us-east-2?); a Region launched after this baseline's list (config/regions.ts) goes in regions.additionalKnownRegions, with the reason (line ${lineOf(text, /^ {4}- us-east-7$/)})\n`,
    );
    expect(readdirSync(dir)).toEqual(['org.yaml']);
  });

  test('refuses a malformed OU with its field and line', () => {
    const text = TEXT.replace('ou: Workloads/Prod', 'ou: ou-doesnotexist');
    writeFileSync(join(dir, 'org.yaml'), text);
    const r = synth(dir, 'org.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^ {2}members\\[3\\]\\.ou: is not an OU id: .*\\(line ${lineOf(text, /ou: ou-doesnotexist/)}\\)$`, 'm'));
  });

  test('a missing or empty config file is one sentence naming the file, not ENOENT or library text', () => {
    const missing = synth(dir, 'nope.yaml');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      `error: ${join(dir, 'nope.yaml')}: no such file (BASELINE_CONFIG or --config names the config file; when neither is given it is baseline.config.yaml in the current folder)\n`,
    );
    writeFileSync(join(dir, 'empty.yaml'), '# to be written\n');
    const empty = synth(dir, 'empty.yaml');
    expect(empty.status).toBe(1);
    expect(empty.stderr).toBe(
      `error: ${join(dir, 'empty.yaml')} is empty: a baseline config is a YAML mapping of fields (organization:, regions:, securityServices:, members: ...; see baseline.config.yaml and docs/config-reference.md)\n`,
    );
    expect(readdirSync(dir)).toEqual(['empty.yaml']);
  });
});

describe('bin/baseline vend --ou', () => {
  const vend = (ou: string) => {
    writeFileSync(join(dir, 'org.yaml'), TEXT);
    const argv = ['vend', '--config', join(dir, 'org.yaml'), '--outdir', join(dir, 'out'), '--account-id', '777777777777', '--name', 'new', '--email', 'new@example.com', '--ou', ou];
    return spawnSync(BIN, argv, { cwd: dir, env: clean(), encoding: 'utf8' });
  };

  test.each([
    ['ou-doesnotexist', /^error: --ou: is not an OU id: AWS Organizations OU ids are "ou-" then 4-32 lowercase letters or digits/],
    ['made up ou!', /^error: --ou: must be Root, a root id \(r-\.\.\.\), an OU id \(ou-\.\.\.\) or an OU path .*the OU name "made up ou!" is not one the baseline accepts/],
  ])('%s is a usage error (exit 2) naming --ou, and the config is untouched', (ou, message) => {
    const r = vend(ou);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(join(dir, 'org.yaml'), 'utf8')).toBe(TEXT);
  });
});
