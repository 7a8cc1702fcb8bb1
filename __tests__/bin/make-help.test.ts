/**
 * `make help` (the default goal) is how a newcomer finds what the project can do: it must list every
 * target of the Makefile and every environment variable the code reads. This test finds both in the
 * sources, so a new target or variable without a help line fails here.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers';

const MAKEFILE = readFileSync(join(REPO_ROOT, 'Makefile'), 'utf8');

/** Folders that hold no project code: dependencies, the installed Node.js, build and synth output, tests (which set variables for the code). */
const SKIPPED = new Set(['node_modules', 'dist', 'cdktf.out', '.venv', '.git', 'coverage', '__tests__', '.tools']);
const CODE = /\.(ts|mts|cts|js|mjs|cjs|sh)$/;

function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (SKIPPED.has(entry)) return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return codeFiles(path);
    return CODE.test(entry) || (dir.endsWith('bin') && !entry.includes('.')) ? [path] : [];
  });
}

/** Every target a rule defines (pattern and variable targets aside) and every name .PHONY lists. */
function makeTargets(): string[] {
  const rules = [...MAKEFILE.matchAll(/^([A-Za-z0-9][\w.-]*)\s*:(?![=:])/gm)].map((m) => m[1]);
  const phony = [...MAKEFILE.matchAll(/^\.PHONY\s*:(.*)$/gm)].flatMap((m) => m[1].trim().split(/\s+/));
  return [...new Set([...rules, ...phony])].filter((t) => t !== '').sort();
}

/**
 * Every environment variable the code reads, where it reads it: `process.env.X`, `process.env['X']`,
 * and `env.X` / `env['X']` of the functions that take the environment as a parameter (default
 * `process.env`, so tests can pass their own); and the variables the Makefile lets a caller set (`X ?=`).
 */
function environmentReads(): Map<string, string> {
  const reads = new Map<string, string>();
  const patterns = [/\b(?:process\.)?env\.([A-Z][A-Z0-9_]+)\b/g, /\b(?:process\.)?env\[\s*['"`]([A-Z][A-Z0-9_]+)['"`]\s*\]/g];
  for (const file of codeFiles(REPO_ROOT)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const line = text.slice(0, match.index).split('\n').length;
        if (!reads.has(match[1])) reads.set(match[1], `${relative(REPO_ROOT, file)}:${line}`);
      }
    }
  }
  for (const match of MAKEFILE.matchAll(/^([A-Z][A-Z0-9_]+)\s*\?=/gm)) {
    if (!reads.has(match[1])) reads.set(match[1], 'Makefile');
  }
  return reads;
}

const help = spawnSync('make', ['--no-print-directory', '-s', 'help'], { cwd: REPO_ROOT, encoding: 'utf8' });

test('make help exits 0 and prints to stdout', () => {
  expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
  expect(help.stdout).toMatch(/^Targets:\n/);
});

test('make help lists every target of the Makefile', () => {
  const targets = makeTargets();
  // The targets that existed when this test was written; new ones are found the same way.
  expect(targets).toEqual(expect.arrayContaining(['bench', 'build', 'checkov', 'clean', 'help', 'jest', 'lint', 'schema', 'synth', 'test', 'typecheck']));
  const missing = targets.filter((t) => !new RegExp(`^ +make ${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm').test(help.stdout));
  expect({ missing, fix: 'add a line "  make <target>  what it does" to the help target of the Makefile' }).toEqual({ missing: [], fix: expect.any(String) });
});

test('make help lists every environment variable the code reads', () => {
  const reads = environmentReads();
  expect([...reads.keys()]).toEqual(expect.arrayContaining(['BASELINE_CONFIG', 'BASELINE_STACKS', 'BASELINE_SYNTH_WORKERS', 'BASELINE_SYNTH_CACHE', 'CDKTF_OUTDIR', 'BENCH_SIZES']));
  const listed = help.stdout.slice(help.stdout.indexOf('Environment variables:'));
  const missing = [...reads].filter(([name]) => !new RegExp(`^ +${name}\\b`, 'm').test(listed)).map(([name, where]) => `${name} (read at ${where})`);
  expect({ missing, fix: 'add a line "  NAME  what it does (default)" under "Environment variables:" in the help target of the Makefile' }).toEqual({
    missing: [],
    fix: expect.any(String),
  });
});
