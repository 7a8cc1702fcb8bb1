/**
 * Synth with worker processes and the synth cache (synth/parallel-synth.ts): each stack's file is
 * byte for byte what a synth of that stack alone writes, a second synth rewrites only what changed and
 * removes stacks no longer in the config, and a failing stack changes nothing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateOrgYaml } from '../../bench/generate-org';
import { parseConfig } from '../../config/load';
import { allStackNames } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { buildApp } from '../../stacks/app';
import { synthesize, SynthError } from '../../synth/parallel-synth';
import { exampleConfig, exampleRaw } from '../helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baseline-synth-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stackFile = (outdir: string, name: string) => join(outdir, 'stacks', name, 'cdk.tf.json');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Every stack file's bytes and mtime, by stack. */
function snapshot(outdir: string): Record<string, { bytes: string; mtimeMs: number }> {
  return Object.fromEntries(
    readdirSync(join(outdir, 'stacks')).map((name) => [
      name,
      { bytes: readFileSync(stackFile(outdir, name), 'utf8'), mtimeMs: statSync(stackFile(outdir, name)).mtimeMs },
    ]),
  );
}

/** What `buildApp` + `app.synth()` of that one stack writes. */
function aloneSynth(config: BaselineConfig, name: string): string {
  const outdir = join(dir, `alone-${name}`);
  buildApp(config, { stacks: name, outdir }).app.synth();
  return readFileSync(stackFile(outdir, name), 'utf8');
}

function expectSameAsAlone(config: BaselineConfig, outdir: string): void {
  const names = allStackNames(config);
  expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([...names].sort());
  for (const name of names) {
    const alone = aloneSynth(config, name);
    // toBe on a string this size prints a useless diff: compare, then name the stack that differs.
    if (readFileSync(stackFile(outdir, name), 'utf8') !== alone) throw new Error(`${name}: differs from a synth of ${name} alone`);
  }
}

describe('synth in worker processes', () => {
  test('each stack of the example org is byte for byte what a synth of that stack alone writes', async () => {
    const config = exampleConfig();
    const outdir = join(dir, 'out');
    const report = await synthesize(config, { outdir, workers: 2 });
    expect(report.added).toEqual(allStackNames(config));
    expect(report.built).toBe(allStackNames(config).length);
    expectSameAsAlone(config, outdir);
  });

  test('so is each stack of a generated org of 20 accounts in 4 Regions, built in batches by 2 workers', async () => {
    const config = parseConfig(parse(generateOrgYaml(20, 4)), 'generated');
    const outdir = join(dir, 'out');
    await synthesize(config, { outdir, workers: 2 });
    expectSameAsAlone(config, outdir);
  });

  test("manifest.json has cdktf's own content, and changed-stacks.json says what happened", async () => {
    const config = exampleConfig();
    const outdir = join(dir, 'out');
    await synthesize(config, { outdir, workers: 1 });
    const cdktfOut = join(dir, 'cdktf');
    buildApp(config, { outdir: cdktfOut }).app.synth();
    expect(readJson(join(outdir, 'manifest.json'))).toEqual(readJson(join(cdktfOut, 'manifest.json')));
    expect(readJson(join(outdir, 'changed-stacks.json'))).toEqual({ changed: [], added: allStackNames(config), removed: [], unchanged: 0 });
  });
});

describe('incremental synth', () => {
  function withMembers(edit: (members: Record<string, any>[]) => void): BaselineConfig {
    const raw = exampleRaw();
    edit(raw.members);
    return parseConfig(raw, 'test');
  }

  test('after one member changes, only its stack (and those that read the member list) is built, and only its file is rewritten', async () => {
    const outdir = join(dir, 'out');
    await synthesize(exampleConfig(), { outdir });
    const before = snapshot(outdir);
    const manifestBefore = statSync(join(outdir, 'manifest.json')).mtimeMs;

    const config = withMembers((members) => {
      members[3].tags.environment = 'prod';
    });
    const report = await synthesize(config, { outdir });
    const cache = readJson(join(outdir, '.synth-cache.json')).stacks as Record<string, { readsMembers: boolean }>;
    const readers = Object.keys(cache).filter((name) => cache[name].readsMembers);
    expect(report.changed).toEqual(['member-444444444444']);
    expect(report.added).toEqual([]);
    expect(report.built).toBe(new Set(['member-444444444444', ...readers]).size);
    expect(report.unchanged).toBe(allStackNames(config).length - 1);

    const after = snapshot(outdir);
    for (const name of Object.keys(before)) {
      if (name === 'member-444444444444') {
        expect(after[name].bytes).not.toBe(before[name].bytes);
        expect(after[name].bytes).toBe(aloneSynth(config, name));
      } else {
        expect(after[name]).toEqual(before[name]);
      }
    }
    expect(statSync(join(outdir, 'manifest.json')).mtimeMs).toBe(manifestBefore);
    expect(readJson(join(outdir, 'changed-stacks.json'))).toEqual({ changed: ['member-444444444444'], added: [], removed: [], unchanged: 5 });

    // Nothing changed: nothing is built, nothing is rewritten.
    const again = await synthesize(config, { outdir });
    expect(again).toMatchObject({ changed: [], added: [], removed: [], unchanged: 6, built: 0 });
    expect(snapshot(outdir)).toEqual(after);
  });

  test('a stack file changed by hand is built again and restored', async () => {
    const outdir = join(dir, 'out');
    await synthesize(exampleConfig(), { outdir });
    const file = stackFile(outdir, 'member-555555555555');
    const bytes = readFileSync(file, 'utf8');
    writeFileSync(file, '{}');
    const report = await synthesize(exampleConfig(), { outdir });
    expect(report).toMatchObject({ changed: ['member-555555555555'], built: 1 });
    expect(readFileSync(file, 'utf8')).toBe(bytes);
  });

  test('a stack no longer in the config is removed and listed as removed; a selective synth removes nothing', async () => {
    const outdir = join(dir, 'out');
    await synthesize(exampleConfig(), { outdir });
    const config = withMembers((members) => {
      members.splice(4, 1);
    });

    const selective = await synthesize(config, { outdir, stacks: ['member-111111111111'] });
    expect(selective.removed).toEqual([]);
    expect(existsSync(join(outdir, 'stacks', 'member-555555555555'))).toBe(true);
    expect(Object.keys(readJson(join(outdir, 'manifest.json')).stacks)).toEqual(['member-111111111111']);

    const full = await synthesize(config, { outdir });
    expect(full.removed).toEqual(['member-555555555555']);
    expect(existsSync(join(outdir, 'stacks', 'member-555555555555'))).toBe(false);
    expect(readJson(join(outdir, 'changed-stacks.json')).removed).toEqual(['member-555555555555']);
    expect(Object.keys(readJson(join(outdir, 'manifest.json')).stacks)).toEqual(allStackNames(config));
  });

  test('a stack that fails to build fails the synth once, naming it, and nothing in the output folder changes', async () => {
    const outdir = join(dir, 'out');
    await synthesize(exampleConfig(), { outdir });
    const before = snapshot(outdir);
    const reportBefore = readFileSync(join(outdir, 'changed-stacks.json'), 'utf8');

    const broken = withMembers((members) => {
      members[3].tags.environment = 'prod';
    });
    // Validation cannot let this through; a bug in a module could fail the same way.
    (broken.members[4] as { regions: unknown }).regions = 'us-east-1';
    const failure = synthesize(broken, { outdir, workers: 2 });
    await expect(failure).rejects.toBeInstanceOf(SynthError);
    await expect(failure).rejects.toMatchObject({ stackName: 'member-555555555555' });

    expect(snapshot(outdir)).toEqual(before);
    expect(readFileSync(join(outdir, 'changed-stacks.json'), 'utf8')).toBe(reportBefore);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  });
});
