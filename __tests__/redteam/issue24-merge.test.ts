/**
 * Red team, issue 24: doctored shard folders handed to `baseline evidence-merge`. An administrator
 * with write access to a CI runner between jobs edits a shard's units.jsonl: a failing task's line is
 * removed (the task just disappears from the binder), or a healthy copy of another shard's failing task
 * is added to a shard merged first (the first folder's copy won). Shards collected days apart (a
 * healthy day's shard) under the same inputs merged too. And with more than 1,000 failures, stdout never
 * said that ids were left out. Folders are written here (evidence/collection.ts), no AWS involved.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleBinder, checkShards } from '../../evidence/assemble';
import { COLLECTION_FORMAT, createCollection, indexCollection, UNITS_FILE, type CollectionManifest } from '../../evidence/collection';
import { collectionInputs, collectionRun, trailItem } from '../evidence/collection-fixture';
import type { EvidenceItem, EvidenceRun } from '../../evidence/types';
import { unitLine, type Unit } from '../../evidence/units';

const inputs = collectionInputs(2);
const run = (startedAt: string, finishedAt: string): EvidenceRun => collectionRun(inputs, startedAt, finishedAt);
const item = (accountId: string, status: EvidenceItem['status'], n = 0): EvidenceItem => trailItem(accountId, status, { n });
const unit = (accountId: string, status: EvidenceItem['status'], items = 1): Unit => ({
  key: `${accountId}|us-east-1|trail||cloudtrail.organization-trail`,
  items: Array.from({ length: items }, (_, n) => item(accountId, status, n)),
  raw: [],
});

function shard(root: string, index: number, units: Unit[], times = ['2026-04-01T00:00:00.000Z', '2026-04-01T00:30:00.000Z'], tasks = units.length): string {
  const dir = join(root, `shard-${index}`);
  const manifest: CollectionManifest = { format: COLLECTION_FORMAT, inputs, shard: { index, count: 2 }, run: run(times[0], times[1]), tasks, complete: true };
  createCollection(dir, manifest, {});
  writeFileSync(join(dir, UNITS_FILE), units.map(unitLine).join(''));
  return dir;
}

describe('merging doctored shards', () => {
  test('healthy: two honest shards merge, the FAIL of shard 2 in the binder', () => {
    const root = mkdtempSync(join(tmpdir(), 'rt24-'));
    const dirs = [shard(root, 1, [unit('111111111111', 'PASS')]), shard(root, 2, [unit('222222222222', 'FAIL')])];
    checkShards(dirs);
    const result = assembleBinder(dirs, join(root, 'binder'));
    expect(result.counts).toEqual({ PASS: 1, FAIL: 1, ERROR: 0 });
  });

  test("a failing task's line removed from units.jsonl: refused, not a binder without it", () => {
    const root = mkdtempSync(join(tmpdir(), 'rt24-'));
    const dirs = [shard(root, 1, [unit('111111111111', 'PASS')]), shard(root, 2, [unit('222222222222', 'FAIL')])];
    writeFileSync(join(dirs[1], UNITS_FILE), '');
    expect(() => assembleBinder(dirs, join(root, 'binder'))).toThrow(/shard-2 holds 0 task\(s\), but its manifest planned 1: units\.jsonl was cut or edited/);
  });

  test("a healthy copy of shard 2's failing task added to shard 1 (merged first): refused, the task is in two folders", () => {
    const root = mkdtempSync(join(tmpdir(), 'rt24-'));
    const dirs = [shard(root, 1, [unit('111111111111', 'PASS'), unit('222222222222', 'PASS')], undefined, 2), shard(root, 2, [unit('222222222222', 'FAIL')])];
    expect(() => assembleBinder(dirs, join(root, 'binder'))).toThrow(/task 222222222222\|us-east-1\|trail\|\|cloudtrail\.organization-trail is in .*shard-1 and .*shard-2/);
  });

  test('a shard collected on a healthy day, merged with one collected days later: refused', () => {
    const root = mkdtempSync(join(tmpdir(), 'rt24-'));
    const dirs = [
      shard(root, 1, [unit('111111111111', 'PASS')], ['2026-03-20T00:00:00.000Z', '2026-03-20T00:30:00.000Z']),
      shard(root, 2, [unit('222222222222', 'PASS')], ['2026-04-01T00:00:00.000Z', '2026-04-01T00:30:00.000Z']),
    ];
    expect(() => checkShards(dirs)).toThrow(/collected from 2026-03-20T00:00:00\.000Z to 2026-04-01T00:30:00\.000Z, more than 24 h/);
  });

  test('more than 1,000 failures: the count of ids left out of stdout is kept', () => {
    const root = mkdtempSync(join(tmpdir(), 'rt24-'));
    const dirs = [shard(root, 1, [unit('111111111111', 'FAIL', 700)]), shard(root, 2, [unit('222222222222', 'FAIL', 700)])];
    const result = assembleBinder(dirs, join(root, 'binder'));
    expect(result.counts.FAIL).toBe(1400);
    expect(result.failedCount).toBe(1400);
    expect(result.failed.length).toBeLessThanOrEqual(1000);
    expect(readFileSync(join(root, 'binder', 'items.csv'), 'utf8').split('\n').filter((l) => l.includes('","FAIL","')).length).toBe(1400);
  });

  test("a task's second line after an ERROR line (a resumed run's retry) is taken; after a line that collected, refused", () => {
    const root = mkdtempSync(join(tmpdir(), 'rt24-'));
    const retried = shard(root, 1, [unit('111111111111', 'ERROR'), unit('111111111111', 'PASS')], undefined, 1);
    const { units } = indexCollection(retried);
    expect([...units.values()].map((u) => u.counts)).toEqual([{ PASS: 1, FAIL: 0, ERROR: 0 }]);
    const forged = shard(root, 2, [unit('222222222222', 'FAIL'), unit('222222222222', 'PASS')], undefined, 1);
    expect(() => indexCollection(forged)).toThrow(/units\.jsonl: task 222222222222\|us-east-1\|trail\|\|cloudtrail\.organization-trail has a second line \(byte \d+\) after one that collected \(byte 0\)/);
    expect(() => assembleBinder([forged], join(root, 'binder'))).toThrow(/has a second line/);
  });

  describe("held to the config's plan (evidence-merge's `plan`: task key -> shard)", () => {
    const key = (accountId: string) => unit(accountId, 'PASS').key;
    const plan = new Map([
      [key('111111111111'), 1],
      [key('222222222222'), 2],
    ]);

    test('healthy: each shard holds its planned tasks', () => {
      const root = mkdtempSync(join(tmpdir(), 'rt24-'));
      const dirs = [shard(root, 1, [unit('111111111111', 'PASS')]), shard(root, 2, [unit('222222222222', 'FAIL')])];
      expect(assembleBinder(dirs, join(root, 'binder'), { plan }).counts).toEqual({ PASS: 1, FAIL: 1, ERROR: 0 });
    });

    test("a failing task's line removed and the manifest's count lowered to match: refused, naming the task", () => {
      const root = mkdtempSync(join(tmpdir(), 'rt24-'));
      const dirs = [shard(root, 1, [unit('111111111111', 'PASS')]), shard(root, 2, [], undefined, 0)];
      expect(() => assembleBinder(dirs, join(root, 'binder'), { plan })).toThrow(/shard-2 \(shard 2\/2\) lacks 1 task\(s\) of the config's plan \(222222222222\|us-east-1\|trail\|\|cloudtrail\.organization-trail\)/);
    });

    test('a task the plan does not have added (the count raised to match): refused', () => {
      const root = mkdtempSync(join(tmpdir(), 'rt24-'));
      const dirs = [shard(root, 1, [unit('111111111111', 'PASS'), unit('333333333333', 'PASS')], undefined, 2), shard(root, 2, [unit('222222222222', 'FAIL')])];
      expect(() => assembleBinder(dirs, join(root, 'binder'), { plan })).toThrow(/shard-1 holds task 333333333333\|.*, which the config's plan does not have/);
    });

    test("a task moved to the other shard (both counts fixed up): refused, the plan puts it in its own", () => {
      const root = mkdtempSync(join(tmpdir(), 'rt24-'));
      const dirs = [shard(root, 1, [unit('111111111111', 'PASS'), unit('222222222222', 'PASS')], undefined, 2), shard(root, 2, [], undefined, 0)];
      expect(() => assembleBinder(dirs, join(root, 'binder'), { plan })).toThrow(/shard-1 \(shard 1\/2\) holds task 222222222222\|.*, which the plan puts in shard 2\/2/);
    });
  });
});
