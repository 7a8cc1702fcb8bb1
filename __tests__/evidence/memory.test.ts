/**
 * What keeps a collection's memory flat in the number of accounts (issue 24): a planned task weighs
 * only its key and closure (a run plans ~90,000 of them at 1,000 accounts x 17 Regions), the Regions'
 * rule lists are held once, and the evidence commands bound V8's heap growth (evidence/heap.ts). The
 * figures themselves are measured by `make bench` (docs/evidence.md, Performance), never here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load';
import type { CliIo } from '../../bin/cli-command';
import { createContext, planTasks } from '../../evidence/collect';
import { Task } from '../../evidence/context';
import { boundHeapGrowth, HEAP_GROWING_PERCENT } from '../../evidence/heap';
import { MemorySink } from '../../evidence/units';

const ROOT = join(__dirname, '..', '..');
const config = parseConfig(parse(readFileSync(join(ROOT, 'baseline.config.yaml'), 'utf8')), 'test');
const context = (sink?: MemorySink) => createContext({ config, credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, ...(sink ? { sink } : {}) }).ctx;
/** The state a task holds while it runs (private: read here to see that a planned task has none). */
const working = (t: Task) => (t as unknown as { working?: unknown }).working;

describe('a planned task', () => {
  test('holds no working state (records, items, clients) until it runs', () => {
    const tasks = planTasks(context());
    expect(tasks.length).toBeGreaterThan(100);
    expect(tasks.filter((t) => working(t) !== undefined).map((t) => t.key)).toEqual([]);
  });

  test('lets go of its working state when it has run, keeping its counts and errors for the progress display', async () => {
    const sink = new MemorySink();
    const task = new Task(context(sink), { label: 'test', accountId: '111111111111', region: 'us-east-1', controls: ['config.recorder', 'config.delivery-channel'] }, async (t) => {
      t.recordRaw({ name: 'report.json', accountId: '111111111111', region: 'us-east-1', operation: 'test:Report', request: {}, collectedAt: '2026-12-04T00:00:00.000Z' });
      t.item({ controlId: 'config.recorder', title: 'recorder', status: 'PASS', reason: 'ok', sources: [] });
      throw new Error('refused');
    });
    task.key = 'test';
    expect(task.counts).toEqual({ PASS: 0, FAIL: 0, ERROR: 0 });
    await task.execute();
    expect(working(task)).toBeUndefined();
    expect(task.counts).toEqual({ PASS: 1, FAIL: 0, ERROR: 1 });
    expect(task.errors).toEqual([expect.stringMatching(/^config\.delivery-channel: could not collect: refused/)]);
    // What it let go of went to the sink first: its items and its raw record.
    expect(sink.units).toHaveLength(1);
    expect(sink.units[0].items.map((i) => [i.controlId, i.status, i.raw])).toEqual([
      ['config.recorder', 'PASS', ['report.json']],
      ['config.delivery-channel', 'ERROR', ['report.json']],
    ]);
    expect(sink.units[0].raw.map((r) => r.name)).toEqual(['report.json']);
  });

  test("the AWS Config tasks of one Region share that Region's rule list (one copy per Region, not per account-Region)", () => {
    const tasks = planTasks(context()).filter((t) => t.label === 'AWS Config');
    const regions = new Set(tasks.map((t) => t.region));
    expect(tasks.length).toBeGreaterThan(regions.size);
    for (const region of regions) {
      const here = tasks.filter((t) => t.region === region);
      expect(new Set(here.map((t) => t.controls)).size).toBe(1);
    }
  });
});

/** The growing factors V8 printed (`--trace-gc-verbose`) while the fixture allocated, and what the fixture printed. */
function gcFactors(nodeFlags: readonly string[], bound: boolean): { factors: number[]; out: string } {
  const out = execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [...nodeFlags, '--trace-gc-verbose', join(__dirname, 'fixtures', 'heap-growth.ts'), ...(bound ? ['bound'] : [])], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // V8's GrowingFactor prints "[<controller>] factor F based on mu=..." after each full collection
  // (nodejs/node deps/v8/src/heap/heap-controller.cc).
  return { factors: [...out.matchAll(/\] factor (\d+(?:\.\d+)?) based on/g)].map((m) => Number(m[1])), out };
}

describe('the evidence commands bound V8 heap growth (evidence/heap.ts)', () => {
  test(`with boundHeapGrowth, every full collection sets the heap's next limit at ${1 + HEAP_GROWING_PERCENT / 100} x live`, () => {
    const { factors, out } = gcFactors([], true);
    expect(out).toContain(`set: --heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(factors.length).toBeGreaterThan(0);
    expect(new Set(factors)).toEqual(new Set([1 + HEAP_GROWING_PERCENT / 100]));
  });

  test("without it, V8's own factor reaches past it (up to 4 x live on a machine with memory to spare): the bound is what makes the difference", () => {
    const { factors } = gcFactors([], false);
    expect(factors.length).toBeGreaterThan(0);
    expect(Math.max(...factors)).toBeGreaterThan(1 + HEAP_GROWING_PERCENT / 100);
  });

  test("a --heap-growing-percent given to node stands: boundHeapGrowth leaves it", () => {
    expect(boundHeapGrowth(['--heap-growing-percent=20'])).toBeUndefined();
    const { factors, out } = gcFactors(['--heap-growing-percent=20'], true);
    expect(out).toContain('set: none');
    expect(new Set(factors)).toEqual(new Set([1.2]));
  });
});

describe('which commands bound it', () => {
  const io: CliIo = { stdout: () => undefined, stderr: () => undefined, stderrIsTTY: false };
  test.each([
    ['evidence', 'createEvidenceCommand'],
    ['evidence-merge', 'createEvidenceMergeCommand'],
  ] as const)('baseline %s bounds the heap growth before anything else (even a usage error comes after)', async (_name, factory) => {
    const calls: unknown[] = [];
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../evidence/heap', () => ({ HEAP_GROWING_PERCENT, boundHeapGrowth: () => calls.push('bound') }));
      const cli = await import('../../evidence/cli');
      await expect(cli[factory]().run({}, [], io)).rejects.toThrow(/--out: required/);
    });
    expect(calls).toEqual(['bound']);
  });

  test('baseline evidence --print-reader-policy prints and collects nothing: it does not touch the heap settings', async () => {
    const calls: unknown[] = [];
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../evidence/heap', () => ({ HEAP_GROWING_PERCENT, boundHeapGrowth: () => calls.push('bound') }));
      const { createEvidenceCommand } = await import('../../evidence/cli');
      await expect(createEvidenceCommand().run({ 'print-reader-policy': true }, [], io)).resolves.toBe(0);
    });
    expect(calls).toEqual([]);
  });
});
