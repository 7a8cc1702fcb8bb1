/**
 * The guard that fails the jest run when a test changed the repository's cdktf.out
 * (__tests__/guard/repo-outdir.js, jest's globalSetup and globalTeardown).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
const guard = require('./repo-outdir') as {
  isolate(env: NodeJS.ProcessEnv): string;
  fingerprint(dir?: string): Record<string, string> | null;
  differences(before: Record<string, string> | null, after: Record<string, string> | null): string[];
  OUTDIR: string;
};
const config = require('../../jest.config.js') as { globalSetup: string; globalTeardown: string };

test('jest runs the guard', () => {
  expect(config.globalSetup).toBe('<rootDir>/__tests__/guard/setup.js');
  expect(config.globalTeardown).toBe('<rootDir>/__tests__/guard/teardown.js');
  expect(guard.OUTDIR).toBe(join(__dirname, '..', '..', 'cdktf.out'));
});

test('a created, rewritten or deleted file of the output folder, or the folder created, is a difference', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baseline-guard-'));
  try {
    const out = join(dir, 'cdktf.out');
    expect(guard.differences(guard.fingerprint(out), guard.fingerprint(out))).toEqual([]);
    const absent = guard.fingerprint(out);
    mkdirSync(join(out, 'stacks', 'member-1'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'member-1', 'cdk.tf.json'), '{}');
    writeFileSync(join(out, 'manifest.json'), '{}');
    expect(guard.differences(absent, guard.fingerprint(out))).toEqual(['the folder was created']);
    const before = guard.fingerprint(out);
    writeFileSync(join(out, 'stacks', 'member-1', 'cdk.tf.json'), '{"a":1}');
    rmSync(join(out, 'manifest.json'));
    writeFileSync(join(out, 'changed-stacks.json'), '{}');
    expect(guard.differences(before, guard.fingerprint(out))).toEqual(['changed-stacks.json: created', 'manifest.json: deleted', 'stacks/member-1/cdk.tf.json: rewritten']);
    // Same bytes, new mtime: rewritten all the same.
    const again = guard.fingerprint(out);
    utimesSync(join(out, 'changed-stacks.json'), new Date(0), new Date(0));
    expect(guard.differences(again, guard.fingerprint(out))).toEqual(['changed-stacks.json: rewritten']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every test process runs with CDKTF_OUTDIR in a temp folder and no BASELINE_CONFIG, and so do the processes it starts', () => {
  for (const env of [process.env, JSON.parse(spawnSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], { encoding: 'utf8' }).stdout)]) {
    expect(env.BASELINE_CONFIG).toBeUndefined();
    const outdir = env.CDKTF_OUTDIR as string;
    expect(outdir.startsWith(join(tmpdir(), 'baseline-jest-outdir-'))).toBe(true);
    expect(relative(join(guard.OUTDIR, '..'), outdir).startsWith('..')).toBe(true);
    expect(existsSync(outdir)).toBe(true);
  }
});

test('isolate makes a new empty folder for CDKTF_OUTDIR and unsets BASELINE_CONFIG', () => {
  const env: NodeJS.ProcessEnv = { BASELINE_CONFIG: 'org.yaml', CDKTF_OUTDIR: guard.OUTDIR };
  const outdir = guard.isolate(env);
  try {
    expect(env).toEqual({ CDKTF_OUTDIR: outdir });
    expect(readdirSync(outdir)).toEqual([]);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
