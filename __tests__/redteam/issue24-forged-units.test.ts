/**
 * Red team, issue 24: a member account's own CloudTrail trail is stopped (cloudtrail:StopLogging, the
 * tamper suite's case), so the honest binder FAILs `cloudtrail.account-trails` for it. An administrator
 * with write access to the runner's workspace between jobs (a shard folder before the merge, the
 * collection folder of an interrupted run before it is resumed) makes the binder read PASS, without
 * touching the other shards, the merge's checks or AWS:
 *
 * - append a doctored copy of the failing task's line to units.jsonl: a folder's index keeps the last
 *   line of each key (meant for a retried ERROR task), so the copy replaces the FAIL, the task count is
 *   unchanged, and the merge accepts it;
 * - or rewrite the line in place (nothing in a folder is authenticated);
 * - or delete the line and lower `tasks` in manifest.json by one: the merge's completeness check
 *   compares the folder with its own manifest, never with the plan, so the account's trail item is
 *   simply absent;
 * - or, in a run stopped part-way, append the doctored line before the same command resumes it: the
 *   line has no ERROR item, so it is reused and the trail is never read.
 *
 * Each test here expects the merge or the resumed run to refuse, or the binder to FAIL the item. The
 * merge now checks the folders against the config (`--config`: its SHA-256, its plan per shard, its run
 * header and history) and a folder's index refuses a task written again after a line that collected, so
 * the appended line, the deleted line and the swapped copies are refused.
 *
 * Two attacks still get a binder with the stopped trail PASS, and are marked `test.failing` (jest passes
 * them while the attack succeeds, and fails them the day it is stopped, so that the mark comes off): a
 * line rewritten in place, and a doctored line written for a task that had not run before a resume.
 * Nothing in a collection folder is authenticated; stopping them needs each line sealed with a key the
 * workspace's writer cannot use (a MAC from AWS KMS GenerateMac under a key only the collector's role may
 * use, verified at the merge and the resume). docs/evidence.md, "Where the evidence is trusted", states
 * the limit. Against moto's healthy organization (healthy-org.ts), through `baseline evidence` and
 * `baseline evidence-merge` as the pipeline runs them.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CliValues } from '../../bin/cli-command';
import { accountTrailArn } from '../../config/naming';
import type { CollectOptions } from '../../evidence/collect';
import { MANIFEST_FILE, readManifest, UNITS_FILE } from '../../evidence/collection';
import type { EvidenceItem, RawRecord } from '../../evidence/types';
import { unitLine, type Unit } from '../../evidence/units';
import { startHealthyOrg, type HealthyOrg } from '../evidence/healthy-org';
import { runEvidence, runMerge, type Ran } from '../evidence/evidence-command';
import { HOME, orgConfigRaw } from '../evidence/org-fixture';
import { TAMPERINGS } from '../evidence/tamperings';

let org: HealthyOrg;
let dir: string;
let configFile: string;
let itemId: string;
/** The two honest shards, collected once with the member's trail stopped. */
let shards: string[];
/** The failing task's line: which shard, and its unit. */
let failing: { shard: number; line: string; unit: Unit };

const run = (values: CliValues, extra: Partial<CollectOptions> = {}): Promise<Ran> => runEvidence(org, configFile, { concurrency: '8', ...values }, extra);

/** What a binder says of the stopped trail's item, or why no binder was written. */
function outcome(code: number, binder: string): string {
  const items = (JSON.parse(readFileSync(join(binder, 'items.json'), 'utf8')) as { items: EvidenceItem[] }).items;
  const item = items.find((i) => i.id === itemId);
  return `exit ${code}, ${items.filter((i) => i.status === 'FAIL').length} FAIL item(s), the stopped trail's item ${item ? item.status : 'absent'}`;
}

async function merge(out: string, folders: string[]): Promise<string> {
  try {
    return outcome((await runMerge(org, configFile, out, folders, { to: org.clock.toISOString() })).code, out);
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
}

const lines = (folder: string) => readFileSync(join(folder, UNITS_FILE), 'utf8').split('\n').filter(Boolean);

/** The failing unit as the administrator rewrites it: the item PASS with a healthy trail's wording, the status answer IsLogging true. */
function doctored(unit: Unit): Unit {
  return {
    ...unit,
    items: unit.items.map((i) => (i.status === 'FAIL' ? { ...i, status: 'PASS', reason: `${i.resource}: multi-Region, log file validation on, encrypted with the log archive's CloudTrail key, to account-trails/, logging` } : i)),
    raw: unit.raw.map((r) => (r.operation === 'cloudtrail:GetTrailStatus' ? ({ ...r, responses: (r.responses ?? []).map((p) => ({ ...(p as object), IsLogging: true })) } as RawRecord) : r)),
  };
}

/** A copy of the honest shards, for one attack. */
function copyShards(name: string): string[] {
  return shards.map((s, i) => {
    const to = join(dir, name, `shard-${i + 1}`);
    cpSync(s, to, { recursive: true });
    return to;
  });
}

beforeAll(async () => {
  org = await startHealthyOrg();
  dir = mkdtempSync(join(tmpdir(), 'rt24-forged-'));
  configFile = join(dir, 'org.yaml');
  writeFileSync(configFile, stringify(orgConfigRaw(org.ids, org.configEdit)));
  const stop = TAMPERINGS.find((t) => t.what === "Stop logging on a member account's own trail")!;
  await stop.apply(org);
  itemId = `cloudtrail.account-trails/${org.ids.workload}/${HOME}/${accountTrailArn(org.config, org.ids.workload)}`;
  const to = org.clock.toISOString();
  shards = [1, 2].map((i) => join(dir, 'honest', `shard-${i}`));
  for (const [i, shard] of shards.entries()) {
    const r = await run({ out: shard, shard: `${i + 1}/2`, to });
    expect([0, 1]).toContain(r.code);
  }
  for (const [i, shard] of shards.entries()) {
    const line = lines(shard).find((l) => (JSON.parse(l) as Unit).items.some((it) => it.id === itemId && it.status === 'FAIL'));
    if (line) failing = { shard: i, line, unit: JSON.parse(line) as Unit };
  }
  expect(failing).toBeDefined();
}, 600_000);

afterAll(async () => {
  await org?.stop();
});

describe('forged units in a shard folder or an interrupted collection', () => {
  test('healthy: the honest shards merge into a binder that FAILs the stopped trail', async () => {
    expect(await merge(join(dir, 'honest-binder'), shards)).toMatch(/^exit 1, 1 FAIL item\(s\), the stopped trail's item FAIL$/);
  }, 120_000);

  test('a doctored copy of the failing line appended to its shard (the last line of a key wins): the merge must not read PASS', async () => {
    const folders = copyShards('appended');
    appendFileSync(join(folders[failing.shard], UNITS_FILE), unitLine(doctored(failing.unit)));
    expect(await merge(join(dir, 'appended-binder'), folders)).toMatch(/^refused: .*units\.jsonl: task .* has a second line \(byte \d+\) after one that collected/);
  }, 120_000);

  // Known gap (header): nothing tells a rewritten line from the collector's own.
  test.failing('the failing line rewritten in place: the merge must not read PASS', async () => {
    const folders = copyShards('in-place');
    const file = join(folders[failing.shard], UNITS_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`${failing.line}\n`, unitLine(doctored(failing.unit))));
    // Still: "exit 0, 0 FAIL item(s), the stopped trail's item PASS".
    expect(await merge(join(dir, 'in-place-binder'), folders)).toMatch(/^refused|the stopped trail's item FAIL$/);
  }, 120_000);

  test("the failing line deleted and the manifest's task count lowered by one: the merge must not leave the task out", async () => {
    const folders = copyShards('removed');
    const folder = folders[failing.shard];
    writeFileSync(join(folder, UNITS_FILE), readFileSync(join(folder, UNITS_FILE), 'utf8').replace(`${failing.line}\n`, ''));
    const manifest = readManifest(folder)!;
    writeFileSync(join(folder, MANIFEST_FILE), `${JSON.stringify({ ...manifest, tasks: manifest.tasks - 1 }, null, 2)}\n`);
    expect(await merge(join(dir, 'removed-binder'), folders)).toMatch(/^refused: .*lacks 1 task\(s\) of the config's plan \(.*cloudtrail.*\): units\.jsonl was cut or edited/);
  }, 120_000);

  test("the failing line moved to the other shard's folder (both task counts fixed up): the merge refuses, the plan puts it in its own shard", async () => {
    const folders = copyShards('moved');
    const from = folders[failing.shard];
    const to = folders[1 - failing.shard];
    writeFileSync(join(from, UNITS_FILE), readFileSync(join(from, UNITS_FILE), 'utf8').replace(`${failing.line}\n`, ''));
    appendFileSync(join(to, UNITS_FILE), `${failing.line}\n`);
    for (const [folder, delta] of [[from, -1], [to, 1]] as const) {
      const manifest = readManifest(folder)!;
      writeFileSync(join(folder, MANIFEST_FILE), `${JSON.stringify({ ...manifest, tasks: manifest.tasks + delta }, null, 2)}\n`);
    }
    expect(await merge(join(dir, 'moved-binder'), folders)).toMatch(/^refused: .*shard-\d \(shard \d\/2\) (holds task .*, which the plan puts in shard \d\/2: the folder was edited|lacks 1 task\(s\) of the config's plan)/);
  }, 120_000);

  // Known gap (header): the task had not run, so its doctored line is its only line, and it has no ERROR item.
  test.failing('a doctored line appended to the collection of a run stopped part-way: the resumed run must not reuse it', async () => {
    const out = join(dir, 'resumed');
    const stop = new AbortController();
    stop.abort();
    await expect(run({ out }, { signal: stop.signal })).rejects.toThrow(/interrupted after 0 of/);
    const work = join(out, '.collection');
    expect(existsSync(join(work, MANIFEST_FILE))).toBe(true);
    // Between the two jobs: the trail's task has not run; its answer is written for it.
    appendFileSync(join(work, UNITS_FILE), unitLine(doctored(failing.unit)));
    let result: string;
    try {
      const resumed = await run({ out });
      result = outcome(resumed.code, out);
    } catch (e) {
      result = `refused: ${(e as Error).message}`;
    }
    // Still: "exit 0, 0 FAIL item(s), the stopped trail's item PASS" (stderr: reused 1 task).
    expect(result).toMatch(/^refused|the stopped trail's item FAIL$/);
  }, 300_000);
});

describe("the first shard folder's copies, taken unchecked into the binder", () => {
  test('org-config.yaml swapped in the shard merged first: the binder must hold the config the evidence was judged against', async () => {
    const folders = copyShards('config-copy');
    const judged = readFileSync(configFile, 'utf8');
    // manifest.inputs.configSha256 still names the judged text; only the copy changes.
    writeFileSync(join(folders[0], 'org-config.yaml'), `${judged}# ${org.ids.workload}: account trail stopped for the migration, approved exception (CISO, ticket SEC-1234)\n`);
    const out = join(dir, 'config-copy-binder');
    const result = await merge(out, folders);
    expect(result).toMatch(/^refused: .*org-config\.yaml is not the config the shards were collected for/);
  }, 120_000);

  test('history.json and the run header (exceptions) of the shard merged first rewritten: the binder must not show them', async () => {
    const folders = copyShards('history');
    const forged = {
      available: true,
      file: configFile,
      commits: [{ hash: 'f'.repeat(40), author: 'Platform team', authorEmail: 'platform@example.com', date: '2026-01-02T10:00:00+00:00', subject: 'Initial baseline', added: 300, removed: 0 }],
      patch: 'commit ffff\n',
    };
    writeFileSync(join(folders[0], 'history.json'), `${JSON.stringify(forged)}\n`);
    const manifest = readManifest(folders[0])!;
    const exception = { kind: 'AWS Config rule switched off', id: 'cloudtrail-enabled', reason: 'account trail of the workload account retired, approved by the CISO' };
    writeFileSync(join(folders[0], MANIFEST_FILE), `${JSON.stringify({ ...manifest, run: { ...manifest.run, exceptions: [...manifest.run.exceptions, exception] } }, null, 2)}\n`);
    const out = join(dir, 'history-binder');
    const result = await merge(out, folders);
    const index = result.startsWith('refused') ? '' : readFileSync(join(out, 'index.html'), 'utf8');
    expect(result).toMatch(/^refused: .*history\.json is not the change history of /);
    expect(index).not.toContain('Initial baseline');
    expect(index).not.toContain('approved by the CISO');
  }, 120_000);
});

describe('the config the merge is given', () => {
  test('only the run header of the shard merged first rewritten (an exception added): the merge refuses, naming the field', async () => {
    const folders = copyShards('exceptions');
    const manifest = readManifest(folders[0])!;
    const exception = { kind: 'AWS Config rule switched off', id: 'cloudtrail-enabled', reason: 'approved by the CISO' };
    writeFileSync(join(folders[0], MANIFEST_FILE), `${JSON.stringify({ ...manifest, run: { ...manifest.run, exceptions: [...manifest.run.exceptions, exception] } }, null, 2)}\n`);
    expect(await merge(join(dir, 'exceptions-binder'), folders)).toMatch(/^refused: .*the run header of manifest\.json differs from what .*org\.yaml gives \(exceptions\)/);
  }, 120_000);

  test("the investigation sample's copy in a shard replaced: refused, naming the file and both digests", async () => {
    const folders = copyShards('sample');
    writeFileSync(join(folders[1], 'investigation-sample.json'), '{"queries":[]}\n');
    expect(await merge(join(dir, 'sample-binder'), folders)).toMatch(/^refused: .*shard-2\/investigation-sample\.json is not the sample judged \(SHA-256 [0-9a-f]{64}, judged [0-9a-f]{64}\)/);
  }, 120_000);

  test("every shard's manifest narrowed alike (log validation recorded as skipped, the run header to match): refused, the merge's options give the window", async () => {
    const folders = copyShards('narrowed');
    for (const folder of folders) {
      const manifest = readManifest(folder)!;
      const run = { ...manifest.run, logValidation: { skipped: 'skipped (--skip-log-validation)' } };
      writeFileSync(join(folder, MANIFEST_FILE), `${JSON.stringify({ ...manifest, inputs: { ...manifest.inputs, logValidation: { skipped: true } }, run }, null, 2)}\n`);
    }
    expect(await merge(join(dir, 'narrowed-binder'), folders)).toMatch(
      /^refused: .*shard-1 was collected for other inputs than the options give \(--validate-logs-since\/--skip-log-validation: was \{"skipped":true\}, now \{"start":/,
    );
  }, 120_000);

  test("every shard's manifest narrowed alike (the stopped trail's account left out of `accounts`, its lines deleted): refused", async () => {
    const folders = copyShards('no-account');
    for (const folder of folders) {
      const manifest = readManifest(folder)!;
      const accounts = manifest.inputs.accounts.filter((a) => a !== org.ids.workload);
      writeFileSync(join(folder, MANIFEST_FILE), `${JSON.stringify({ ...manifest, inputs: { ...manifest.inputs, accounts }, run: { ...manifest.run, accounts } }, null, 2)}\n`);
    }
    expect(await merge(join(dir, 'no-account-binder'), folders)).toMatch(/^refused: .*was collected for other inputs than the options give \(--accounts: was /);
  }, 120_000);

  test('a config file that does not exist: refused, naming the file and --config (config/load.ts, as for baseline evidence)', async () => {
    await expect(runMerge(org, join(dir, 'missing.yaml'), join(dir, 'missing-binder'), shards, { to: org.clock.toISOString() })).rejects.toThrow(/missing\.yaml: no such file \(BASELINE_CONFIG or --config names the config file/);
  }, 60_000);

  test('another config given to the merge (an exception added to the file): refused, naming --config and both digests', async () => {
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `${readFileSync(configFile, 'utf8')}# edited after the shards were collected\n`);
    await expect(runMerge(org, other, join(dir, 'other-binder'), shards, { to: org.clock.toISOString() })).rejects.toThrow(
      /^--config: .*other\.yaml \(SHA-256 [0-9a-f]{64}\) is not the config the shards were collected for \(SHA-256 [0-9a-f]{64}\)/,
    );
  }, 120_000);
});
