/**
 * Review of issue 24 (resume): a `shared` answer read before a kill and read again by the resumed run
 * is two lines of units.jsonl under one key; `indexUnits` keeps the later one only. The tasks that
 * finished before the kill were judged on the first answer, but the binder shows them citing the
 * second. Folders are written here (evidence/collection.ts), no AWS involved.
 *
 * Fixed: evidence/assemble.ts gives each task the version of each shared answer written last before its line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleBinder } from '../../evidence/assemble';
import { COLLECTION_FORMAT, createCollection, UNITS_FILE, type CollectionManifest } from '../../evidence/collection';
import { collectionInputs, collectionRun } from './collection-fixture';
import { SHARED_UNIT_PREFIX } from '../../evidence/context';
import type { EvidenceItem, EvidenceRun, RawRecord } from '../../evidence/types';
import { unitLine, type Unit } from '../../evidence/units';

const inputs = collectionInputs(1);
const run: EvidenceRun = collectionRun(inputs, '2026-04-01T00:00:00.000Z', '2026-04-01T02:00:00.000Z');
const SUMMARY = '999999999999.us-east-1.config.DescribeAggregateComplianceByConfigRules.json';
const summary = (at: string, compliance: string): Unit => ({
  key: `${SHARED_UNIT_PREFIX}config-compliance-summary`,
  items: [],
  raw: [{ name: SUMMARY, accountId: '999999999999', region: 'us-east-1', operation: 'config:DescribeAggregateComplianceByConfigRules', request: {}, collectedAt: at, responses: [{ rule: 'r', compliance }] } as RawRecord],
});
const judged = (accountId: string, status: EvidenceItem['status']): Unit => ({
  key: `${accountId}|us-east-1|config||config.rules`,
  items: [
    {
      id: `config.rules/${accountId}/us-east-1`,
      controlId: 'config.rules',
      tsc: ['CC7.1'],
      title: 'rules',
      status,
      reason: status === 'PASS' ? 'r COMPLIANT' : 'r NON_COMPLIANT',
      accountId,
      region: 'us-east-1',
      collectedAt: '2026-04-01T00:00:00.000Z',
      raw: [SUMMARY],
      sources: [],
    },
  ],
  raw: [],
});

test('a task finished before the kill cites the shared answer it was judged on, not the one the resumed run read', () => {
  const root = mkdtempSync(join(tmpdir(), 'review-shared-resume-'));
  const dir = join(root, 'collection');
  const manifest: CollectionManifest = { format: COLLECTION_FORMAT, inputs, shard: { index: 1, count: 1 }, run, tasks: 2, complete: true };
  createCollection(dir, manifest, {});
  // Before the kill: the summary (COMPLIANT) and a task judged PASS on it. Resumed: the summary read
  // again (NON_COMPLIANT by then: Config compliance changes), and the other task judged FAIL on it.
  writeFileSync(join(dir, UNITS_FILE), [summary('2026-04-01T00:00:00.000Z', 'COMPLIANT'), judged('111111111111', 'PASS'), summary('2026-04-01T01:00:00.000Z', 'NON_COMPLIANT'), judged('222222222222', 'FAIL')].map(unitLine).join(''));
  const out = join(root, 'binder');
  assembleBinder([dir], out);
  const items = (JSON.parse(readFileSync(join(out, 'items.json'), 'utf8')) as { items: EvidenceItem[] }).items;
  const cited = (accountId: string) => {
    const item = items.find((i) => i.accountId === accountId) as EvidenceItem;
    return item.raw.map((r) => (JSON.parse(readFileSync(join(out, 'raw', r), 'utf8')) as { responses: { compliance: string }[] }).responses[0].compliance);
  };
  expect(cited('222222222222')).toEqual(['NON_COMPLIANT']);
  // Today: ['NON_COMPLIANT'], the PASS item cites an answer that contradicts it.
  expect(cited('111111111111')).toEqual(['COMPLIANT']);
});
