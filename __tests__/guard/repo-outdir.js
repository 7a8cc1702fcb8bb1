/**
 * Jest globalSetup and globalTeardown: the tests never write into the repository's own output folder
 * (`cdktf.out`, the user's org, which may hold stacks still to destroy). The folder's files (name,
 * size, mtime) are recorded before the first test file runs and compared after the last; any
 * difference fails the run, naming the files. Tests synthesize into temp folders instead.
 *
 * Besides detecting a write after the fact, the setup prevents one: before any test process starts it
 * points `CDKTF_OUTDIR` (the output folder of `make synth`, cdktf's `App` and `synthesize` when no
 * outdir is passed) at a fresh temp folder and unsets `BASELINE_CONFIG`, in its own environment, which
 * the test processes inherit (jest starts them after the global setup; with --runInBand the tests run
 * in this very process). Unverified: the Jest docs (https://jestjs.io/docs/configuration#globalsetup-string)
 * do not say that workers inherit the setup's environment; __tests__/guard/repo-outdir.test.ts checks it.
 * A test that relies on the default output folder therefore writes there, never into the repository's.
 */
const { existsSync, mkdtempSync, readdirSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const OUTDIR = join(__dirname, '..', '..', 'cdktf.out');

/** `{relative path: "size mtimeMs"}` of every file under `dir`, or null when it does not exist. */
function fingerprint(dir = OUTDIR) {
  if (!existsSync(dir)) return null;
  const files = {};
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const s = statSync(join(dir, entry));
    if (s.isFile()) files[entry] = `${s.size} ${s.mtimeMs}`;
  }
  return files;
}

/** What differs between two fingerprints, one line per file. */
function differences(before, after) {
  if (before === null && after === null) return [];
  if (before === null) return ['the folder was created'];
  if (after === null) return ['the folder was deleted'];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name] === undefined ? 'created' : after[name] === undefined ? 'deleted' : 'rewritten'}`);
}

/** The environment every test process gets: no default config, and a temp output folder. */
function isolate(env = process.env) {
  const outdir = mkdtempSync(join(tmpdir(), 'baseline-jest-outdir-'));
  env.CDKTF_OUTDIR = outdir;
  delete env.BASELINE_CONFIG;
  return outdir;
}

async function setup() {
  globalThis.__repoOutdirFingerprint = fingerprint();
  globalThis.__jestOutdir = isolate();
}

async function teardown() {
  if (globalThis.__jestOutdir) rmSync(globalThis.__jestOutdir, { recursive: true, force: true });
  const changed = differences(globalThis.__repoOutdirFingerprint, fingerprint());
  if (changed.length > 0) {
    throw new Error(
      `the tests changed the repository's ${OUTDIR} (the user's output folder; tests must synthesize into temp folders). ` +
        `Unless something else wrote it meanwhile (a make synth during the run), a test wrote there:\n  ${changed.slice(0, 20).join('\n  ')}`,
    );
  }
}

module.exports = { fingerprint, differences, isolate, setup, teardown, OUTDIR };
