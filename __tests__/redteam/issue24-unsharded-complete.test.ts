/**
 * Red team, issue 24: the unsharded run's own resume path. `baseline evidence --out DIR` keeps its
 * collection in DIR/.collection; a run stopped part-way is resumed by the same command. The folder said
 * `complete: true` and was believed: the run returned at once and the binder was assembled with no plan,
 * so an administrator could delete the failing line (or never let the task run) and lower `tasks`, add an
 * exception to the run header, or swap the config copy. Now collectIntoFolder plans on every path and
 * holds the folder to the plan, the run header and the copies the config and options give
 * (evidence/folder-check.ts); the binder takes the command's own config; an item collected before its
 * run's recorded start (an old collection with `startedAt` edited past the 24 h bound) is refused.
 *
 * Hand-written folder; the inputs are derived with `replan` exactly as the CLI derives them. No AWS call.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load';
import { createEvidenceCommand } from '../../evidence/cli';
import { COLLECTION_FORMAT, createCollection, type CollectionManifest, UNITS_FILE } from '../../evidence/collection';
import { replan } from '../../evidence/run-collection';
import type { EvidenceItem } from '../../evidence/types';
import { unitLine, type Unit } from '../../evidence/units';
import { noGit } from '../evidence/evidence-command';

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-04-01T00:00:00.000Z';
const NOW = new Date('2026-04-01T01:00:00.000Z');
const ACCOUNT = '444444444444';
const values = { accounts: ACCOUNT, regions: 'us-east-1', from: FROM, to: TO, 'skip-log-validation': true };

let root: string;
let configFile: string;
let keys: string[];
let failKey: string;
let inputs: CollectionManifest['inputs'];
let header: CollectionManifest['run'];

const item = (key: string, status: EvidenceItem['status']): EvidenceItem => ({
  id: `cloudtrail.account-trails/${ACCOUNT}/us-east-1/${key.length}`,
  controlId: 'cloudtrail.account-trails',
  tsc: ['CC7.2'],
  title: 'trail',
  status,
  reason: status === 'PASS' ? 'logging' : 'IsLogging is false',
  accountId: ACCOUNT,
  region: 'us-east-1',
  collectedAt: NOW.toISOString(),
  raw: [],
  sources: [],
});

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'scratch24-unsharded-'));
  configFile = join(root, 'org.yaml');
  cpSync(join(__dirname, '..', '..', 'baseline.config.yaml'), configFile);
  const configText = readFileSync(configFile, 'utf8');
  const r = replan(
    { config: loadConfig(configFile), configFile, configText, accounts: [ACCOUNT], regions: ['us-east-1'], from: new Date(FROM), to: new Date(TO), validateLogsSince: false, now: () => NOW },
    1,
  );
  inputs = r.inputs;
  header = { ...r.header, startedAt: TO, finishedAt: NOW.toISOString(), collectedBy: 'arn:aws:sts::111111111111:assumed-role/ci/runner' };
  keys = [...r.shardOf.keys()];
  failKey = keys.find((k) => k.includes('cloudtrail')) ?? keys[0];
});

/** An .collection folder under `out` holding `units`, with the given manifest fields. */
function folder(name: string, units: Unit[], manifest: Partial<CollectionManifest>, extra: (work: string) => void = () => undefined): string {
  const out = join(root, name);
  const work = join(out, '.collection');
  const m: CollectionManifest = { format: COLLECTION_FORMAT, inputs, shard: { index: 1, count: 1 }, run: header, tasks: keys.length, complete: false, ...manifest };
  createCollection(work, m, { configText: readFileSync(configFile, 'utf8') });
  writeFileSync(join(work, UNITS_FILE), units.map(unitLine).join(''));
  extra(work);
  return out;
}

const honestUnits = (): Unit[] => keys.map((key) => ({ key, items: key === failKey ? [item(key, 'FAIL')] : [], raw: [] }));

async function resume(out: string): Promise<string> {
  const err: string[] = [];
  const command = createEvidenceCommand({
    now: () => NOW,
    git: noGit,
    collectOptions: { credentials: { accessKeyId: 'AKIAUNUSED0000000000', secretAccessKey: 'x' }, endpoint: 'http://127.0.0.1:9', history: { available: false, file: configFile, reason: 'test' } as never },
  });
  try {
    const code = await command.run({ ...values, config: configFile, out }, [], { stdout: () => undefined, stderr: (t) => err.push(t), stderrIsTTY: false });
    const items = (JSON.parse(readFileSync(join(out, 'items.json'), 'utf8')) as { items: EvidenceItem[] }).items;
    return `exit ${code}, ${items.filter((i) => i.status === 'FAIL').length} FAIL`;
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
}

describe('unsharded resume: the folder says it is complete', () => {
  test('control: an honest complete collection gives the FAIL', async () => {
    expect(await resume(folder('honest', honestUnits(), { complete: true }))).toBe('exit 1, 1 FAIL');
  });

  test("interrupted collection: failing line deleted, `complete` set true and `tasks` lowered: the resumed run must not drop the task", async () => {
    const units = honestUnits().filter((u) => u.key !== failKey);
    const out = folder('deleted', units, { complete: true, tasks: keys.length - 1 });
    expect(await resume(out)).toMatch(/^refused: .*\.collection \(shard 1\/1\) lacks 1 task\(s\) of the config's plan/);
  });

  test('complete shortcut: an exception added to the run header of the folder must not reach the binder', async () => {
    const exception = { kind: 'AWS Config rule switched off', id: 'cloudtrail-enabled', reason: 'approved by the CISO (forged)' };
    const out = folder('exceptions', honestUnits(), { complete: true, run: { ...header, exceptions: [...header.exceptions, exception] } });
    const r = await resume(out);
    expect(r).toMatch(/^refused: --out: .*\.collection: the run header of manifest\.json differs from what .*org\.yaml gives \(exceptions\)/);
  });

  test('an interrupted collection with an exception added to its run header: refused before anything is collected into it', async () => {
    const exception = { kind: 'AWS Config rule switched off', id: 'cloudtrail-enabled', reason: 'approved by the CISO (forged)' };
    const out = folder('exceptions-interrupted', honestUnits().slice(1), { complete: false, run: { ...header, exceptions: [...header.exceptions, exception] } });
    // The endpoint refuses every connection: a refusal naming the header (not a failed call) shows the check came first.
    expect(await resume(out)).toMatch(/^refused: --out: .*\.collection: the run header of manifest\.json differs from what .*org\.yaml gives \(exceptions\)/);
  });

  test("the folder's org-config.yaml copy swapped: the binder must hold the config judged", async () => {
    const out = folder('config-copy', honestUnits(), { complete: true }, (work) => writeFileSync(join(work, 'org-config.yaml'), '# forged: account trail retired, approved exception (SEC-1234)\n'));
    expect(await resume(out)).toMatch(/^refused: --out: .*org-config\.yaml is not the config the shards were collected for/);
  });

  test("an old collection with the run's start edited into the last 24 h: refused, its items predate the start", async () => {
    const old = new Date(NOW.getTime() - 3 * 86_400_000).toISOString();
    const units = honestUnits().map((u) => ({ ...u, items: u.items.map((i) => ({ ...i, collectedAt: old })) }));
    const out = folder('old', units, { complete: true });
    expect(await resume(out)).toMatch(/^refused: .*\.collection: task .* holds an item collected at "2026-03-29T01:00:00\.000Z", not within its run \(/);
  });

  test.each([
    ['a time that does not parse', 'garbage'],
    ['a time after the run ended', '2026-04-02T00:00:00.000Z'],
  ])("an item's collection time rewritten to %s: refused", async (_what, collectedAt) => {
    const units = honestUnits().map((u) => ({ ...u, items: u.items.map((i) => ({ ...i, collectedAt })) }));
    expect(await resume(folder(`time-${collectedAt.slice(0, 4)}`, units, { complete: true }))).toMatch(/^refused: .*holds an item collected at .*, not within its run \(/);
  });
});
