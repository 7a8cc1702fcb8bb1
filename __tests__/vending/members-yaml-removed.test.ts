/**
 * Moving entries between `members`, `removedMembers` and `destroyedMembers` as text (vending/members-yaml.ts): every other
 * byte of the file stays; an entry keeps its own lines where the lists are indented alike.
 */
import { parse } from 'yaml';
import { dropRemoved, moveToDestroyed, moveToRemoved, restoreRemoved } from '../../vending/members-yaml';

const CONFIG = [
  '# the org',
  'members:',
  '  - id: "111111111111"',
  '    name: a',
  '  - id: "222222222222"   # kept',
  '    name: b',
  '    tags:',
  '      team: x',
  '',
  'tags:',
  '  k: v',
  '',
].join('\n');

test('remove then restore gives back the file; the moved entry keeps its comments', () => {
  const moved = moveToRemoved(CONFIG, '222222222222', '2026-12-01', 'left the company');
  expect(moved).toBe(
    [
      '# the org',
      'members:',
      '  - id: "111111111111"',
      '    name: a',
      'removedMembers:',
      '  - id: "222222222222"   # kept',
      '    name: b',
      '    tags:',
      '      team: x',
      '    removedOn: "2026-12-01"',
      '    reason: "left the company"',
      '',
      'tags:',
      '  k: v',
      '',
    ].join('\n'),
  );
  expect(parse(moved).removedMembers).toEqual([{ id: '222222222222', name: 'b', tags: { team: 'x' }, removedOn: '2026-12-01', reason: 'left the company' }]);
  expect(restoreRemoved(moved, '222222222222')).toBe(CONFIG);
  expect(dropRemoved(moved, '222222222222')).toBe(CONFIG.replace('  - id: "222222222222"   # kept\n    name: b\n    tags:\n      team: x\n', ''));
});

test('a second removal appends to the list; dropping one keeps the other and the key', () => {
  const both = moveToRemoved(moveToRemoved(CONFIG, '222222222222', '2026-12-01', 'left the company'), '111111111111', '2026-12-02', 'left the company');
  expect(parse(both).members).toBeNull();
  expect(parse(both).removedMembers.map((m: { id: string }) => m.id)).toEqual(['222222222222', '111111111111']);
  expect(parse(dropRemoved(both, '222222222222')).removedMembers.map((m: { id: string }) => m.id)).toEqual(['111111111111']);
});

test('an empty flow list `removedMembers: []` becomes the block list', () => {
  const text = CONFIG.replace('tags:\n  k: v\n', 'removedMembers: []   # none\ntags:\n  k: v\n');
  const moved = moveToRemoved(text, '111111111111', '2026-12-01', 'left the company');
  expect(moved).toContain('removedMembers:\n  - id: "111111111111"\n    name: a\n    removedOn: "2026-12-01"\n    reason: "left the company"\ntags:');
  expect(parse(moved).removedMembers).toHaveLength(1);
});

test('a list indented otherwise gets the entry rendered anew at its indentation', () => {
  const text = `${CONFIG}removedMembers:\n- id: "333333333333"\n  name: c\n  removedOn: "2026-11-30"\n  reason: "sold to another group"\n`;
  const moved = moveToRemoved(text, '111111111111', '2026-12-01', 'left the company');
  expect(moved.endsWith('- id: "333333333333"\n  name: c\n  removedOn: "2026-11-30"\n  reason: "sold to another group"\n- id: "111111111111"\n  name: a\n  removedOn: "2026-12-01"\n  reason: left the company\n')).toBe(true);
  // Back in members at the members' indentation, without removedOn and reason.
  const restored = restoreRemoved(moved, '333333333333');
  expect(parse(restored).members.map((m: { id: string }) => m.id)).toEqual(['222222222222', '333333333333']);
  expect(restored).toContain('      team: x\n  - id: "333333333333"\n    name: c\n');
});

test('a reason with quotes, a colon or a line break is written as a YAML string that reads back as given', () => {
  for (const reason of ['acquired: moved to "Acme" org', "it's a test\nover two lines", 'naïve — unicode']) {
    for (const moved of [moveToRemoved(CONFIG, '222222222222', '2026-12-01', reason), moveToRemoved(`${CONFIG}removedMembers:\n- id: "333333333333"\n`, '222222222222', '2026-12-01', reason)]) {
      expect(parse(moved).removedMembers.find((m: { id: string }) => m.id === '222222222222').reason).toBe(reason);
    }
  }
});

test('an unknown account is named', () => {
  expect(() => moveToRemoved(CONFIG, '999999999999', '2026-12-01', 'left the company')).toThrow('account 999999999999 is not in members');
  expect(() => dropRemoved(CONFIG, '999999999999')).toThrow('account 999999999999 is not in removedMembers');
  expect(() => restoreRemoved(CONFIG, '999999999999')).toThrow('account 999999999999 is not in removedMembers');
});

describe('moveToDestroyed', () => {
  const removed = moveToRemoved(CONFIG, '222222222222', '2026-12-01', 'left the company');

  test('the last removed entry moves to a new destroyedMembers list after members, as the history fields; the removedMembers key goes', () => {
    const moved = moveToDestroyed(removed, '222222222222', { destroyedOn: '2026-12-02', stateChecked: true });
    expect(moved).toBe(
      [
        '# the org',
        'members:',
        '  - id: "111111111111"',
        '    name: a',
        'destroyedMembers:',
        '  - id: "222222222222"',
        '    name: b',
        '    removedOn: "2026-12-01"',
        '    reason: left the company',
        '    destroyedOn: "2026-12-02"',
        '    stateChecked: true',
        '',
        'tags:',
        '  k: v',
        '',
      ].join('\n'),
    );
    expect(parse(moved).removedMembers).toBeUndefined();
  });

  test('an unchecked destroy keeps its reason; a second destroy appends; removedMembers left with entries stays before destroyedMembers', () => {
    const both = moveToRemoved(removed, '111111111111', '2026-12-01', 'left the company too');
    const first = moveToDestroyed(both, '222222222222', { destroyedOn: '2026-12-02', stateChecked: false, uncheckedReason: 'no credentials: "state" bucket' });
    expect(first.indexOf('removedMembers:')).toBeLessThan(first.indexOf('destroyedMembers:'));
    expect(parse(first).removedMembers.map((m: { id: string }) => m.id)).toEqual(['111111111111']);
    expect(parse(first).destroyedMembers).toEqual([
      { id: '222222222222', name: 'b', removedOn: '2026-12-01', reason: 'left the company', destroyedOn: '2026-12-02', stateChecked: false, uncheckedReason: 'no credentials: "state" bucket' },
    ]);
    const second = moveToDestroyed(first, '111111111111', { destroyedOn: '2026-12-03', stateChecked: true });
    expect(parse(second).removedMembers).toBeUndefined();
    expect(parse(second).destroyedMembers.map((m: { id: string; destroyedOn: string }) => [m.id, m.destroyedOn])).toEqual([
      ['222222222222', '2026-12-02'],
      ['111111111111', '2026-12-03'],
    ]);
    // Every other byte stays.
    expect(second.startsWith('# the org\nmembers:\n')).toBe(true);
    expect(second.endsWith('\ntags:\n  k: v\n')).toBe(true);
  });

  test('an empty flow list `destroyedMembers: []` becomes the block list; CRLF files stay CRLF', () => {
    const text = removed.replace('tags:\n  k: v\n', 'destroyedMembers: []\ntags:\n  k: v\n').replace(/\n/g, '\r\n');
    const moved = moveToDestroyed(text, '222222222222', { destroyedOn: '2026-12-02', stateChecked: true });
    expect(moved).not.toMatch(/[^\r]\n/);
    expect(moved).toContain('destroyedMembers:\r\n  - id: "222222222222"\r\n');
    expect(parse(moved).destroyedMembers).toHaveLength(1);
  });

  test('an account not in removedMembers is named', () => {
    expect(() => moveToDestroyed(CONFIG, '222222222222', { destroyedOn: '2026-12-02', stateChecked: true })).toThrow('account 222222222222 is not in removedMembers');
  });
});
