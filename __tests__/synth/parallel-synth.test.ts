/**
 * Synth with worker processes and the synth cache (synth/parallel-synth.ts): each stack's file is
 * byte for byte what a synth of that stack alone writes, a second synth rewrites only what changed,
 * never deletes a stack folder, and a failing stack changes nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateOrgYaml } from '../../bench/generate-org';
import { parseConfig } from '../../config/load';
import { allStackNames } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { buildApp } from '../../stacks/app';
import { OutdirOwnerError } from '../../synth/outdir-owner';
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
    expect(readJson(join(outdir, 'changed-stacks.json'))).toEqual({ changed: [], added: allStackNames(config), removed: [], orphaned: [], unchanged: 0 });
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
    expect(readJson(join(outdir, 'changed-stacks.json'))).toEqual({ changed: ['member-444444444444'], added: [], removed: [], orphaned: [], unchanged: 5 });

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

  test('a stack folder no stack of the config claims is kept, byte for byte, and listed as orphaned by every synth, full or selective', async () => {
    const outdir = join(dir, 'out');
    await synthesize(exampleConfig(), { outdir });
    const bytes = readFileSync(stackFile(outdir, 'member-555555555555'), 'utf8');
    const config = withMembers((members) => {
      members.splice(4, 1);
    });

    const selective = await synthesize(config, { outdir, stacks: ['member-111111111111'] });
    expect(selective).toMatchObject({ removed: [], orphaned: ['member-555555555555'] });
    expect(Object.keys(readJson(join(outdir, 'manifest.json')).stacks)).toEqual(['member-111111111111']);

    const full = await synthesize(config, { outdir });
    expect(full).toMatchObject({ removed: [], orphaned: ['member-555555555555'] });
    expect(readFileSync(stackFile(outdir, 'member-555555555555'), 'utf8')).toBe(bytes);
    expect(readJson(join(outdir, 'changed-stacks.json'))).toMatchObject({ removed: [], orphaned: ['member-555555555555'] });
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

describe('removed accounts awaiting destroy (removedMembers)', () => {
  /** The example org with the account moved from `members` to `removedMembers`, as `baseline remove` does. */
  function removing(id: string): BaselineConfig {
    const raw = exampleRaw();
    const [entry] = raw.members.splice(
      raw.members.findIndex((m: { id: string }) => m.id === id),
      1,
    );
    raw.removedMembers = [{ ...entry, removedOn: '2026-12-01', reason: 'workloads-dev decommissioned' }];
    return parseConfig(raw, 'test');
  }
  const readers = (outdir: string) => {
    const cache = readJson(join(outdir, '.synth-cache.json')).stacks as Record<string, { readsMembers: boolean }>;
    return Object.keys(cache).filter((name) => cache[name].readsMembers);
  };

  test('every synth keeps the stack byte for byte as applied, lists it as removed and in removed-stacks.json, and never in manifest.json, added or changed', async () => {
    const outdir = join(dir, 'out');
    await synthesize(exampleConfig(), { outdir });
    const applied = readFileSync(stackFile(outdir, 'member-555555555555'), 'utf8');
    const config = removing('555555555555');

    const full = await synthesize(config, { outdir });
    expect(full).toMatchObject({ removed: ['member-555555555555'], orphaned: [], removedSynthesized: ['member-555555555555'] });
    expect([...full.added, ...full.changed, ...full.stacks]).not.toContain('member-555555555555');
    // Moving an entry between the lists changes no other stack's inputs: only the member-list readers are built.
    expect(full.built).toBe(readers(outdir).length);
    expect(readFileSync(stackFile(outdir, 'member-555555555555'), 'utf8')).toBe(applied);
    expect(Object.keys(readJson(join(outdir, 'manifest.json')).stacks)).toEqual(allStackNames(config));
    expect(readJson(join(outdir, 'removed-stacks.json'))).toEqual({
      version: 1,
      stacks: [{ name: 'member-555555555555', accountId: '555555555555', removedOn: '2026-12-01', workingDirectory: 'stacks/member-555555555555', stateKey: null }],
    });
    expect(readJson(join(outdir, 'changed-stacks.json'))).toMatchObject({ removed: ['member-555555555555'], orphaned: [] });

    // A synth of other stacks leaves it; the destroy job synthesizes it alone, even into a folder without it.
    await synthesize(config, { outdir, stacks: ['management'] });
    expect(readFileSync(stackFile(outdir, 'member-555555555555'), 'utf8')).toBe(applied);
    rmSync(join(outdir, 'stacks', 'member-555555555555'), { recursive: true });
    const alone = await synthesize(config, { outdir, stacks: ['member-555555555555'] });
    expect(alone).toMatchObject({ stacks: [], removedSynthesized: ['member-555555555555'], added: [], changed: [], built: 1 });
    expect(readFileSync(stackFile(outdir, 'member-555555555555'), 'utf8')).toBe(applied);
    expect(readJson(join(outdir, 'manifest.json')).stacks).toEqual({});
  });

  test('with S3 state, removed-stacks.json gives each stack its state key', async () => {
    const raw = exampleRaw();
    const [entry] = raw.members.splice(4, 1);
    raw.removedMembers = [{ ...entry, removedOn: '2026-12-01', reason: 'workloads-dev decommissioned' }];
    raw.state = { backend: 's3', bucket: 'example-tfstate', region: 'us-east-1', keyPrefix: 'soc2-baseline' };
    const outdir = join(dir, 'out');
    await synthesize(parseConfig(raw, 'test'), { outdir, stacks: ['member-555555555555'] });
    expect(readJson(join(outdir, 'removed-stacks.json')).stacks[0].stateKey).toBe('soc2-baseline/member-555555555555.tfstate');
    expect(readJson(stackFile(outdir, 'member-555555555555')).terraform.backend.s3.key).toBe('soc2-baseline/member-555555555555.tfstate');
  });
});

describe('the output folder belongs to one organization', () => {
  /** Every file under `root` with its bytes and mtime. */
  function tree(root: string): Record<string, string> {
    return Object.fromEntries(
      (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
        .filter((f) => statSync(join(root, f)).isFile())
        .map((f) => [f, `${statSync(join(root, f)).mtimeMs} ${readFileSync(join(root, f), 'utf8')}`]),
    );
  }

  test("a synth of another organization's config is refused before anything is written; another config file of the same organization is fine", async () => {
    const outdir = join(dir, 'out');
    await synthesize(exampleConfig(), { outdir, configFile: join(dir, 'org.yaml') });
    expect(readJson(join(outdir, 'organization.json'))).toEqual({ version: 1, organizationId: 'o-exampleorg01', managementAccountId: '111111111111', config: '../org.yaml' });
    const before = tree(outdir);

    const other = parseConfig({ ...exampleRaw(), organization: { ...exampleRaw().organization, id: 'o-otherorg0001' } }, 'other');
    const refused = synthesize(other, { outdir, configFile: join(dir, 'other.yaml') });
    await expect(refused).rejects.toBeInstanceOf(OutdirOwnerError);
    await expect(refused).rejects.toThrow(
      /out holds the stacks of organization o-exampleorg01 \(management account 111111111111, config .*org\.yaml\), not of o-otherorg0001 .*nothing was written\. Choose another output folder \(CDKTF_OUTDIR.*or delete .*out once nothing in it needs destroying/,
    );
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);

    await synthesize(exampleConfig(), { outdir, configFile: join(dir, 'copy.yaml') });
    expect(readJson(join(outdir, 'organization.json')).config).toBe('../copy.yaml');
  });
});
