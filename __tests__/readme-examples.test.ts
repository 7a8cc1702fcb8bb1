/**
 * The README's shell examples that need no AWS, run as a newcomer runs them on a fresh clone.
 *
 * A fenced ```sh block directly after the line `<!-- example: runs without AWS -->` (in README.md or
 * docs/cli.md) is run with bash (`-e -o pipefail`), in document order, and must exit 0; a few have their
 * key output checked too. Blocks without the marker (terraform, AWS CLI, evidence from a live
 * organization) are not run.
 *
 * The examples run in a scratch folder that mirrors the clone: every top-level entry of the repository is
 * a symbolic link to it, except `baseline.config.yaml` (a copy) and `cdktf.out` (absent, so it is
 * created in the scratch folder). So an example may vend into the config or synthesize into cdktf.out/
 * exactly as written, and the repository's config and synth output are never touched. `BASELINE_CONFIG`
 * and `CDKTF_OUTDIR` point into the scratch folder as well, in case the caller's environment sets them.
 * Two things differ from a person's shell: `make` never remakes node_modules (this jest process runs
 * from it, and `npm ci` deletes it first), and each block runs in a shell of its own.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './helpers';

/** The line that marks the next ```sh block as runnable without AWS. */
export const RUNNABLE = '<!-- example: runs without AWS -->';

/** The files whose runnable examples are run, in this order. */
const FILES = ['README.md', 'docs/cli.md'];

interface Example {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly script: string;
  readonly runnable: boolean;
}

/** Every ```sh block of a Markdown text, and whether the line before it is the runnable marker. */
export function shellExamples(file: string, text: string): Example[] {
  const lines = text.split(/\r?\n/);
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```sh\s*$/.test(lines[i])) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: a \`\`\`sh block that never closes`);
    examples.push({ file, line: i + 1, script: lines.slice(i + 1, end).join('\n'), runnable: i > 0 && lines[i - 1].trim() === RUNNABLE });
    i = end;
  }
  return examples;
}

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const examples = FILES.flatMap((file) => shellExamples(file, read(file)));
const runnable = examples.filter((e) => e.runnable);

/**
 * Top-level entries the scratch folder does not link: the synth output, dot folders, and any YAML
 * config, Terraform state or lock a person left in the clone (an example writing `my-org.yaml` must
 * create its own, not write through a link into someone's file). The example config is copied instead.
 */
const NOT_LINKED = (entry: string) => entry === 'cdktf.out' || entry.startsWith('.') || /\.(ya?ml|lock)$|\.tfstate/.test(entry);

function scratchClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'readme-examples-'));
  // dist/ may not exist yet (make synth builds it): link it anyway, so it resolves once built.
  const entries = new Set([...readdirSync(REPO_ROOT), 'dist']);
  for (const entry of entries) {
    if (NOT_LINKED(entry)) continue;
    symlinkSync(join(REPO_ROOT, entry), join(dir, entry));
  }
  copyFileSync(join(REPO_ROOT, 'baseline.config.yaml'), join(dir, 'baseline.config.yaml'));
  return dir;
}

// Defined before each example: make treats node_modules as installed (see the file comment).
const PRELUDE = 'make() { command make -o node_modules/.install-stamp "$@"; }\n';

describe('the README examples that need no AWS', () => {
  const exampleConfig = read('baseline.config.yaml');
  let dir: string;

  beforeAll(() => {
    dir = scratchClone();
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every runnable marker is followed by a ```sh block', () => {
    for (const file of FILES) {
      const lines = read(file).split(/\r?\n/);
      lines.forEach((line, i) => {
        if (line.trim() === RUNNABLE) expect(`${file}:${i + 1}: ${lines[i + 1]}`).toMatch(/: ```sh\s*$/);
      });
    }
  });

  test('the runnable examples cover help, list, vend, make help and a selective synth', () => {
    const all = runnable.map((e) => e.script).join('\n');
    expect(all).toMatch(/^bin\/baseline --help$/m);
    expect(all).toMatch(/^bin\/baseline list --json$/m);
    expect(all).toMatch(/^bin\/baseline vend /m);
    expect(all).toMatch(/^make help\b/m);
    expect(all).toMatch(/^BASELINE_STACKS=\S+ make synth$/m);
  });

  type Result = { status: number | null; stdout: string; stderr: string };
  const jsonLines = (stdout: string) => stdout.split('\n').filter((l) => /^[[{]/.test(l)).map((l) => JSON.parse(l));

  /** Key output of some examples, checked right after the example whose script matches. */
  const CHECKS: readonly { readonly pattern: RegExp; readonly check: (r: Result) => void }[] = [
    {
      // the selective synth writes exactly the stacks BASELINE_STACKS names, in the scratch folder
      pattern: /^BASELINE_STACKS=/m,
      check: () => {
        const manifest = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'manifest.json'), 'utf8'));
        expect(Object.keys(manifest.stacks).sort()).toEqual(['management', 'member-444444444444']);
      },
    },
    {
      // vend adds the account and prints the JSON line a pipeline reads
      pattern: /^bin\/baseline vend --config my-org\.yaml/m,
      check: (r) => {
        expect(jsonLines(r.stdout)[0]).toMatchObject({ status: 'added', accountId: '666666666666', stack: 'member-666666666666' });
        expect(readFileSync(join(dir, 'my-org.yaml'), 'utf8')).toContain('id: "666666666666"');
      },
    },
    {
      // help goes to stdout; list --json gives every account, with regions always an array
      pattern: /^bin\/baseline list --json$/m,
      check: (r) => {
        expect(r.stdout).toMatch(/^commands:$/m);
        expect(r.stdout).toMatch(/^Targets:$/m);
        const [accounts] = jsonLines(r.stdout);
        expect(accounts.map((a: { id: string }) => a.id)).toEqual(['111111111111', '222222222222', '333333333333', '444444444444', '555555555555']);
        for (const account of accounts) expect(Array.isArray(account.regions)).toBe(true);
      },
    },
    {
      // vending and removing the sample accounts leaves the config as it was, but for the record of
      // their destroys at its end: destroyedMembers, unchecked, with the reasons given
      pattern: /^bin\/baseline remove /m,
      check: () => {
        const text = readFileSync(join(dir, 'baseline.config.yaml'), 'utf8');
        expect(text.startsWith(exampleConfig)).toBe(true);
        const record = (id: string, reason: string) => ({ id, reason, stateChecked: false, uncheckedReason: 'a try of vend, never applied' });
        expect(parse(text.slice(exampleConfig.length))).toEqual({
          destroyedMembers: [
            expect.objectContaining(record('888888888888', 'tried the AFT account request source')),
            expect.objectContaining(record('777777777777', 'tried the Control Tower event source')),
          ],
        });
      },
    },
  ];

  test('each output check has its example', () => {
    for (const { pattern } of CHECKS) expect(runnable.filter((e) => pattern.test(e.script))).toHaveLength(1);
  });

  test.each(runnable.map((e) => [`${e.file}:${e.line}: ${e.script.split('\n')[0]}`, e] as const))('%s', (_name, example) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BASELINE_CONFIG: join(dir, 'baseline.config.yaml'), CDKTF_OUTDIR: join(dir, 'cdktf.out') };
    delete env.BASELINE_STACKS;
    const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', PRELUDE + example.script], { cwd: dir, env, encoding: 'utf8', timeout: 50_000 });
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    for (const { pattern, check } of CHECKS) if (pattern.test(example.script)) check(r);
  });

  test("the repository's own config was not touched", () => {
    expect(read('baseline.config.yaml')).toBe(exampleConfig);
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'member-666666666666'))).toBe(true);
  });
});

describe('README.md and the pages it links to', () => {
  test('README.md is under 350 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThan(350);
  });

  /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
  const anchor = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
  const headings = (file: string) =>
    new Set([...read(file).replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));

  const PAGES = ['README.md', 'docs/architecture.md', 'docs/monitoring.md', 'docs/operations.md', 'docs/config-reference.md', 'docs/cli.md'];

  test.each(PAGES)('%s: every link to a heading (#anchor), on the page or another, finds it', (file) => {
    const links = [...read(file).matchAll(/\]\(([^)\s]*)#([^)\s]+)\)/g)].map((m) => ({ target: m[1], anchor: m[2] }));
    if (file === 'README.md') expect(links.length).toBeGreaterThan(10);
    const broken = links.filter(({ target, anchor: a }) => {
      const page = target === '' ? file : posix.normalize(posix.join(posix.dirname(file), target));
      return !existsSync(join(REPO_ROOT, page)) || !headings(page).has(a);
    });
    expect(broken).toEqual([]);
  });
});
