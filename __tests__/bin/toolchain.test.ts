/**
 * The toolchain says what it runs on and what it does: the pinned Node.js (.nvmrc) agrees with
 * package.json's engines, @types/node and bin/ensure-node's recorded integrity; make and bin/baseline use
 * it; and every long step of make is announced before it runs (issue: silent stretches of `make test`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers';

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const pinned = read('.nvmrc').trim();
const major = Number(pinned.split('.')[0]);

test('.nvmrc pins an exact version; engines, @types/node and bin/ensure-node agree with it', () => {
  expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  const pkg = JSON.parse(read('package.json'));
  expect(pkg.engines.node).toBe(`>=${major}`);
  expect(pkg.devDependencies['@types/node'].split('.')[0]).toBe(String(major));
  const script = read('bin/ensure-node');
  for (const platform of ['linux-x64', 'linux-arm64']) expect(script).toMatch(new RegExp(`^ +${pinned.replace(/\./g, '\\.')}/${platform}\\) echo 'sha512-[A-Za-z0-9+/]+={0,2}' ;;$`, 'm'));
});

test('the tests run on the pinned major or newer (make puts it first on PATH)', () => {
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(major);
});

test('make and bin/baseline put the project Node.js first on PATH', () => {
  expect(read('Makefile')).toMatch(/^PROJECT_NODE_BIN := \$\(shell bin\/ensure-node --verbose\)$/m);
  expect(read('Makefile')).toMatch(/^export PATH := \$\(if \$\(PROJECT_NODE_BIN\),\$\(PROJECT_NODE_BIN\):\)\$\(PATH\)$/m);
  expect(read('bin/baseline')).toMatch(/nodebin="\$\("\$here\/ensure-node"\)" \|\| exit 1\n.*PATH="\$nodebin:\$PATH"/);
});

test('bin/ensure-node prints nothing when node on PATH is recent enough, and exits 0', () => {
  const r = spawnSync(join(REPO_ROOT, 'bin', 'ensure-node'), [], { encoding: 'utf8', env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH}` } });
  expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
});

test('every long step of make test says what runs, why and how long before it runs', () => {
  // -n prints the recipes without running them; -B as on a fresh clone (every install step included).
  const r = spawnSync('make', ['-n', '-B', '--no-print-directory', 'lint', 'typecheck', 'jest'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH}` } });
  expect(r.status).toBe(0);
  const lines = r.stdout.split('\n');
  const steps: [RegExp, RegExp][] = [
    [/^npm ci\b/, /^echo "make: installing node_modules .*\(npm ci: ~[\d.]+ GB, [\d-]+ min/],
    [/\/pip install\b/, /^echo "make: installing checkov .*\(pip: ~\d+ MB, /],
    [/^npx eslint\b/, /^echo "make: linting/],
    [/^npx tsc\b/, /^echo "make: typechecking the tree \(tsc: ~\d+ s/],
    [/^npx jest\b/, /^echo "make: running the jest tests/],
  ];
  for (const [command, announcement] of steps) {
    const at = lines.findIndex((l) => command.test(l));
    expect({ command: String(command), found: at >= 0 }).toEqual({ command: String(command), found: true });
    // The announcement comes before the step, with at most the venv's creation in between.
    expect(lines.slice(Math.max(0, at - 2), at).some((l) => announcement.test(l))).toBe(true);
  }
  // pip shows what it installs (no --quiet); Chromium's install is announced with its size.
  expect(lines.find((l) => /\/pip install\b/.test(l))).not.toMatch(/--quiet|-q\b/);
  expect(read('Makefile')).toMatch(/echo "make: chromium is missing: installing Debian's chromium with apt-get \(~\d+ MB/);
  expect(read('bin/ensure-node')).toMatch(/installing node \$pinned from the npm registry \(node-\$platform, ~\d+ MB download/);
});
