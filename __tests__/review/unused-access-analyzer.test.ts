/**
 * `unused-access-analyzer-weakened` (review/rules/unused-access-analyzer-weakened.ts): what it says
 * about a replaced or deleted unused access analyzer, and what it leaves alone (the external access
 * analyzers, a tag change).
 */
import { join } from 'node:path';
import { readPlan, type PlannedChange } from '../../review/plan';
import { UNUSED_ACCESS_ANALYZER_WEAKENED as RULE } from '../../review/rules/unused-access-analyzer-weakened';

const fixture = readPlan(join(__dirname, '..', 'fixtures', 'plans', 'unused-access-analyzer-replaced.json'));
const replaced = fixture.changes[0];
const change = (over: Partial<PlannedChange>): PlannedChange => ({ ...replaced, ...over });

test('a replacement with a longer age and an exclusion names each', () => {
  expect(RULE.check(replaced)).toEqual([
    'the unused access analyzer is replaced (destroyed, then created again): its ACTIVE findings, the list the access review works through, are deleted with it and start over',
    'unused_access_age: 90 → 365: access is reported only after longer disuse',
    'analysis_rule.exclusion added: {"account_ids":["444444444444"],"resource_tags":[]}: those accounts or principals leave the access review',
  ]);
});

test('a deletion is flagged', () => {
  expect(RULE.check(change({ kind: 'delete', actions: ['delete'], after: null }))).toEqual([
    'the unused access analyzer is deleted: its ACTIVE findings, the list the access review works through, are deleted with it and start over',
  ]);
});

test('a tag change in place, or an external access analyzer, is not its business', () => {
  expect(RULE.check(change({ kind: 'update', actions: ['update'], after: { ...replaced.before!, tags: { team: 'security' } } }))).toEqual([]);
  expect(RULE.check(change({ kind: 'delete', actions: ['delete'], before: { ...replaced.before!, type: 'ORGANIZATION' }, after: null }))).toEqual([]);
});
