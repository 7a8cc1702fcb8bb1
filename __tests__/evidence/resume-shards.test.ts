/**
 * A run stopped part-way resumes to the same bytes, and a run in three shards merges into the binder
 * one unsharded run writes: through `baseline evidence` and `baseline evidence-merge` (in-process, as
 * the CLI runs them), against moto's healthy organization (healthy-org.ts), with the run's clock fixed.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CliValues } from '../../bin/cli-command';
import type { ClientDecorator } from '../../evidence/aws';
import { SHARED_UNIT_PREFIX } from '../../evidence/context';
import type { CollectOptions } from '../../evidence/collect';
import { readManifest, UNITS_FILE } from '../../evidence/collection';
import { startHealthyOrg, type HealthyOrg } from './healthy-org';
import { runEvidence, runMerge, type Ran } from './evidence-command';
import { orgConfigRaw } from './org-fixture';

let org: HealthyOrg;
let dir: string;
let configFile: string;

beforeAll(async () => {
  org = await startHealthyOrg();
  dir = mkdtempSync(join(tmpdir(), 'evidence-resume-'));
  configFile = join(dir, 'org.yaml');
  writeFileSync(configFile, stringify(orgConfigRaw(org.ids, org.configEdit)));
}, 120_000);

afterAll(async () => {
  await org?.stop();
});

const run = (values: CliValues, extra: Partial<CollectOptions> = {}, now = () => org.clock): Promise<Ran> => runEvidence(org, configFile, values, extra, now);
// The merge is given the shards' options: their --to.
const merge = (out: string, shards: string[]): Promise<Ran> => runMerge(org, configFile, out, shards, { to: org.clock.toISOString() });

/** Every file of binder `b` equals binder `a`'s, and they list the same files. */
function sameBinder(a: string, b: string): void {
  const files = (d: string) => readFileSync(join(d, 'SHA256SUMS'), 'utf8');
  expect(files(b)).toBe(files(a));
  const listed = files(a)
    .trim()
    .split('\n')
    .map((l) => l.slice(66));
  expect(listed.length).toBeGreaterThan(300);
  const differing = listed.filter((f) => !readFileSync(join(b, f)).equals(readFileSync(join(a, f))));
  expect(differing).toEqual([]);
}

describe('a run stopped part-way, resumed; a run in shards, merged', () => {
  let whole: string;

  beforeAll(async () => {
    whole = join(dir, 'whole');
    const r = await run({ out: whole });
    expect(r.err).not.toMatch(/evidence: ERROR/);
    expect(r.code).toBe(0);
    // The collection is gone once the binder is written: the next run starts afresh.
    expect(existsSync(join(whole, '.collection'))).toBe(false);
  }, 300_000);

  test('stopped after some tasks (SIGINT/SIGTERM, or killed mid-write), the same command resumes, reusing what was collected, to the same bytes', async () => {
    const out = join(dir, 'resumed');
    const stop = new AbortController();
    let clients = 0;
    // Stop once the run has made a few dozen clients: some tasks finished, most not started.
    const decorateClient: ClientDecorator = () => {
      if (++clients === 30) stop.abort();
    };
    await expect(run({ out }, { signal: stop.signal, decorateClient })).rejects.toThrow(/^evidence interrupted after \d+ of \d+ task\(s\): what was collected is in .*\.collection; run the same command again to resume/);
    const work = join(out, '.collection');
    const manifest = readManifest(work)!;
    expect(manifest.complete).toBe(false);
    expect(existsSync(join(out, 'index.html'))).toBe(false);
    // A kill -9 in the middle of a write leaves half a line: it is dropped, the lines before it reused.
    // Tasks' lines (a `shared` answer's line is no task of the plan).
    const lines = readFileSync(join(work, UNITS_FILE), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith(`{"items":[],"key":"${SHARED_UNIT_PREFIX}`));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(manifest.tasks);
    appendFileSync(join(work, UNITS_FILE), '{"key":"111111111111|us-east-1|half a li');

    const resumed = await run({ out });
    expect(resumed.code).toBe(0);
    expect(resumed.err).toMatch(new RegExp(`resuming: ${lines.length} already collected, \\d+ to go`));
    expect(resumed.err).toContain(`evidence: reused ${lines.length} of ${manifest.tasks} task(s) already collected in ${work}`);
    sameBinder(whole, out);
    expect(existsSync(work)).toBe(false);
  }, 300_000);

  test('a task that could not collect (ERROR) is not reused: the resumed run retries it', async () => {
    const out = join(dir, 'retried');
    const stop = new AbortController();
    let vpcCalls = 0;
    // DescribeVpcs refused (as AccessDenied would be) until the run is stopped on the third one.
    const decorateClient: ClientDecorator = (client) => {
      (client.middlewareStack as unknown as { add: (mw: unknown, o: object) => void }).add(
        (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
          if (context.commandName !== 'DescribeVpcsCommand') return next(args);
          if (++vpcCalls >= 3) stop.abort();
          throw Object.assign(new Error('not authorized to perform ec2:DescribeVpcs'), { name: 'UnauthorizedOperation', $fault: 'client', $metadata: { httpStatusCode: 403 } });
        },
        { step: 'initialize', name: 'refuseDescribeVpcs' },
      );
    };
    await expect(run({ out }, { signal: stop.signal, decorateClient })).rejects.toThrow(/interrupted after/);
    const errored = readFileSync(join(out, '.collection', UNITS_FILE), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.includes('"status":"ERROR"'));
    expect(errored.length).toBeGreaterThan(0);
    const resumed = await run({ out });
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain(`evidence: retrying ${errored.length} task(s) that could not collect before`);
    sameBinder(whole, out);
  }, 300_000);

  test('a collection is not resumed under other options: refused, naming the option; --restart discards it', async () => {
    const out = join(dir, 'other-options');
    const stop = new AbortController();
    stop.abort();
    await expect(run({ out }, { signal: stop.signal })).rejects.toThrow(/interrupted after 0 of/);
    await expect(run({ out, since: '30' })).rejects.toThrow(/^--out: .*\.collection holds a run collected for other inputs \(--since: was 90, now 30\): give the same options to resume it, or --restart to discard what it collected$/);
    // Nor a day later: its first items would be too old to stand beside the rest.
    await expect(run({ out }, {}, () => new Date(org.clock.getTime() + 25 * 3_600_000))).rejects.toThrow(/^--out: .*\.collection holds a run started .*, more than 24 h ago: its evidence is too old to finish a binder with; --restart discards it$/);
    const restarted = await run({ out, since: '30', restart: true });
    expect(restarted.code).toBe(0);
  }, 300_000);

  test('three shards (--shard I/3 --to) merge into the binder one unsharded run writes; a missing, repeated or foreign shard is refused', async () => {
    const to = org.clock.toISOString();
    const shards = [1, 2, 3].map((i) => join(dir, `shard-${i}`));
    const tasks: number[] = [];
    for (const [i, shard] of shards.entries()) {
      const r = await run({ out: shard, shard: `${i + 1}/3`, to });
      expect(r.code).toBe(0);
      const line = JSON.parse(r.out);
      expect(line).toMatchObject({ out: shard, shard: `${i + 1}/3`, fail: 0, error: 0 });
      tasks.push(line.tasks);
      // A shard folder is a collection, not a binder.
      expect(existsSync(join(shard, 'index.html'))).toBe(false);
      expect(readManifest(shard)).toMatchObject({ complete: true, shard: { index: i + 1, count: 3 } });
    }
    // Disjoint, even parts of the plan.
    expect(Math.max(...tasks) - Math.min(...tasks)).toBeLessThanOrEqual(1);

    const merged = join(dir, 'merged');
    const m = await merge(merged, [shards[2], shards[0], shards[1]]);
    expect(m.code).toBe(0);
    expect(JSON.parse(m.out)).toMatchObject({ out: merged, fail: 0, error: 0, failed: [] });
    sameBinder(whole, merged);

    await expect(merge(join(dir, 'm2'), [shards[0], shards[1]])).rejects.toThrow(/^shard\(s\) 3\/3 missing: a merged binder must cover every shard$/);
    await expect(merge(join(dir, 'm3'), [shards[0], shards[1], shards[1]])).rejects.toThrow(/are both shard 2\/3$/);
    // A shard of another period is not mixed in.
    const other = join(dir, 'shard-other');
    expect(readManifest((await run({ out: other, shard: '3/3', to: new Date(org.clock.getTime() - 1000).toISOString() })) && other)).toMatchObject({ complete: true });
    await expect(merge(join(dir, 'm4'), [shards[0], shards[1], other])).rejects.toThrow(/was collected for other inputs than .*: --validate-logs-since\/--skip-log-validation: was .*; --from\/--to: was /);
    // Shards need the same --to on every runner.
    await expect(run({ out: join(dir, 'no-to'), shard: '1/3' })).rejects.toThrow(/^--shard: give --to too/);
  }, 600_000);
});
