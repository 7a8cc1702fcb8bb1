/**
 * The binder at enterprise scale, without AWS: the index page of an organization of 1,000 accounts x
 * 17 Regions stays under 2 MB even when every item fails; the units of a run are named the same
 * whatever order they finished in; the streamed items.json is the canonical JSON of the items.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../evidence/canonical';
import { EVIDENCE_CONTROLS } from '../../evidence/controls';
import { writeBinder } from '../../evidence/binder';
import { BinderSummary, INDEX_ITEMS_PER_CONTROL, renderIndex } from '../../evidence/html';
import type { EvidenceItem, EvidenceRun, EvidenceStatus, RawRecord } from '../../evidence/types';
import { assembleUnits, NameAssigner, type Unit } from '../../evidence/units';
import { DEFAULT_REGIONS, generatedAccountId } from '../../bench/generate-org';

const AT = '2026-03-02T12:00:00.000Z';

const run = (accounts: readonly string[], regions: readonly string[]): EvidenceRun => ({
  startedAt: AT,
  finishedAt: AT,
  collectedBy: 'arn:aws:sts::999999999999:assumed-role/auditor/session',
  organizationId: 'o-exampleorg01',
  accounts,
  regions,
  roleName: 'soc2-evidence-reader',
  sinceDays: 90,
  period: { from: '2025-12-02T12:00:00.000Z', to: AT },
  triage: { findingTriageHours: 24, alarmAcknowledgeHours: 24 },
  logValidation: { start: '2026-03-01T12:00:00.000Z', end: AT },
  exceptions: [],
});

function item(controlId: string, accountId: string, region: string, status: EvidenceStatus, resource?: string): EvidenceItem {
  return {
    id: [controlId, accountId, region, ...(resource ? [resource] : [])].join('/'),
    controlId,
    tsc: EVIDENCE_CONTROLS.get(controlId)?.tsc ?? [],
    title: `${controlId} in ${accountId} ${region}`,
    status,
    reason: `the reason this ${status === 'PASS' ? 'passes' : 'fails'}: ${'x'.repeat(300)}`,
    accountId,
    region,
    ...(resource ? { resource } : {}),
    collectedAt: AT,
    raw: [`${accountId}.${region}.x.Describe.json`],
    sources: ['https://docs.aws.amazon.com/x'],
  };
}

describe('the binder at 1,000 accounts x 17 Regions', () => {
  test('the index page stays under 2 MB with every item of every control failing or not collected: it lists counts and a few items per control, the details are on the account pages', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => generatedAccountId(i));
    const controls = [...EVIDENCE_CONTROLS.keys()];
    const summary = new BinderSummary();
    let n = 0;
    for (const controlId of [...controls].sort()) {
      for (const a of accounts) {
        for (const r of DEFAULT_REGIONS) {
          summary.add(item(controlId, a, r, n++ % 2 ? 'FAIL' : 'ERROR'));
        }
      }
    }
    expect(summary.items).toBe(controls.length * 1000 * 17);
    const html = renderIndex(run(accounts, DEFAULT_REGIONS), summary);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    // Every account has its row, linked to its page; every control its counts.
    expect(html.match(/<td><a href="accounts\/\d{12}\.html">\d{12}<\/a><\/td>/g)).toHaveLength(1000);
    expect(html).toContain(`<h2 id="failed">Failed controls (${summary.total.FAIL})</h2>`);
    // A few failures per control, each linked to its row on its account's page, then "and N more".
    const firstControl = [...controls].sort()[0];
    expect(html).toContain(`<a href="accounts/${accounts[0]}.html#item-`);
    expect(html).toMatch(new RegExp(`<code>${firstControl.replace(/\./g, '\\.')}</code>.*?<li class="more">… and \\d+ more</li>`, 's'));
    expect(INDEX_ITEMS_PER_CONTROL).toBeLessThanOrEqual(5);
  });

  test('units are named the same whatever order they finished in: a repeated call is one record, a different call under a used name is renamed and its items follow', () => {
    const rec = (name: string, request: unknown, collectedAt = AT): RawRecord => ({ name, accountId: '1', region: 'r', operation: 's:Op', request, collectedAt, responses: [{ request }] });
    const it = (id: string, raw: string[]): EvidenceItem => ({ ...item('vpc.flow-logs', '1', 'r', 'PASS'), id, raw });
    const units: Unit[] = [
      { key: 'b', items: [it('vpc.flow-logs/1/r/b', ['1.r.s.Op.json'])], raw: [rec('1.r.s.Op.json', { B: 1 })] },
      { key: 'a', items: [it('vpc.flow-logs/1/r/a', ['1.r.s.Op.json'])], raw: [rec('1.r.s.Op.json', { A: 1 })] },
      // The same call as unit a's (a shared answer read again): one record.
      { key: 'c', items: [it('vpc.flow-logs/1/r/a', ['1.r.s.Op.json'])], raw: [rec('1.r.s.Op.json', { A: 1 })] },
    ];
    const one = assembleUnits(units);
    const other = assembleUnits([units[2], units[0], units[1]]);
    expect(canonicalJson([...other.raw.values()])).toBe(canonicalJson([...one.raw.values()]));
    expect(canonicalJson(other.items)).toBe(canonicalJson(one.items));
    expect([...one.raw.keys()]).toEqual(['1.r.s.Op.2.json', '1.r.s.Op.json']);
    expect(one.raw.get('1.r.s.Op.json')?.request).toEqual({ A: 1 });
    expect(one.raw.get('1.r.s.Op.2.json')?.request).toEqual({ B: 1 });
    // Unit b's item follows its record; the repeated item id gets ~2.
    expect(one.items.map((i) => [i.id, i.raw])).toEqual([
      ['vpc.flow-logs/1/r/a', ['1.r.s.Op.json']],
      ['vpc.flow-logs/1/r/a~2', ['1.r.s.Op.json']],
      ['vpc.flow-logs/1/r/b', ['1.r.s.Op.2.json']],
    ]);
    // One entry per name and id: what the streaming assembly holds.
    const assigner = new NameAssigner();
    expect(assigner.assign(units[1]).raw).toHaveLength(1);
    expect(assigner.assign(units[2]).raw).toHaveLength(0);
  });

  test("a shared answer read twice with different answers is kept twice, and each task names the copy it cites", () => {
    const rec = (answer: string): RawRecord => ({ name: '9.r.config.Summary.json', accountId: '9', region: 'r', operation: 'config:Summary', request: {}, collectedAt: AT, responses: [{ answer }] });
    const it = (id: string): EvidenceItem => ({ ...item('vpc.flow-logs', '1', 'r', 'PASS'), id, raw: ['9.r.config.Summary.json'] });
    const assigner = new NameAssigner();
    // Shared answers first (their keys sort first): one shard's (or session's) reading, then another's.
    const first = assigner.assign({ key: '!shared/summary', items: [], raw: [rec('as first read')] });
    const second = assigner.assign({ key: '!shared/summary', items: [], raw: [rec('as read again')] });
    const same = assigner.assign({ key: '!shared/summary', items: [], raw: [rec('as first read')] });
    expect(first.raw.map((r) => r.name)).toEqual(['9.r.config.Summary.json']);
    expect(second.raw.map((r) => r.name)).toEqual(['9.r.config.Summary.2.json']);
    // The same answer read again is one file with the first.
    expect(same.raw).toEqual([]);
    expect(same.renamed.size).toBe(0);
    // Each task cites the copy it was judged on (evidence/assemble.ts gives it that copy's renames).
    expect(assigner.assign({ key: 'a', items: [it('x/1')], raw: [] }, first.renamed).items[0].raw).toEqual(['9.r.config.Summary.json']);
    expect(assigner.assign({ key: 'b', items: [it('x/2')], raw: [] }, second.renamed).items[0].raw).toEqual(['9.r.config.Summary.2.json']);
  });

  test('items.json, written as a stream, is the canonical JSON of the run and the items', () => {
    const items = [item('vpc.flow-logs', '111111111111', 'us-east-1', 'FAIL', 'vpc-1'), { ...item('cloudtrail.organization-trail', '111111111111', 'us-east-1', 'PASS'), details: { nested: [1, { b: 2, a: 'x\ny' }], empty: {} } }];
    for (const list of [items, []]) {
      const dir = mkdtempSync(join(tmpdir(), 'binder-scale-'));
      const r = run(['111111111111'], ['us-east-1']);
      writeBinder({ run: r, items: list, raw: new Map() }, dir);
      expect(readFileSync(join(dir, 'items.json'), 'utf8')).toBe(canonicalJson({ run: r, items: [...list].sort((a, b) => a.id.localeCompare(b.id)) }));
    }
  });
});
