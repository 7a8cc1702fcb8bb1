/**
 * `removedMembers`: the accounts `baseline remove` took out whose stacks await destroy. An account is
 * in one list only, once, and never a core account; no live part of the baseline counts it.
 */
import { allStackNames, removedStackNames, stackMembers, synthStackNames } from '../../config/naming';
import { listAccounts } from '../../vending/vend';
import { configWith, exampleRaw } from '../helpers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

const removed = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `acct-${id}`,
  email: `a${id}@example.com`,
  ou: 'Workloads',
  removedOn: '2026-12-01',
  reason: 'left the organization',
  ...extra,
});

/** The problems the config has, one per line, without line numbers. */
function problems(edit: (raw: Record<string, any>) => void): string[] {
  try {
    configWith(edit);
  } catch (e) {
    return (e as { problems: string[] }).problems.map((p) => p.replace(/ \(line \d+\)$/, ''));
  }
  return [];
}

describe('removedMembers cross-field rules', () => {
  test('defaults to none', () => {
    expect(configWith(() => undefined).removedMembers).toEqual([]);
  });

  test('an account in members too is refused at removedMembers[i].id, naming both places', () => {
    expect(problems((raw) => (raw.removedMembers = [removed('666666666666'), removed('555555555555')]))).toEqual([
      'removedMembers[1].id: account 555555555555 is also in members (members[4]): keep it in one list, members to keep its baseline, removedMembers while its stack awaits destroy',
    ]);
  });

  test('an account listed twice is refused at the second', () => {
    expect(problems((raw) => (raw.removedMembers = [removed('666666666666'), removed('666666666666')]))).toEqual([
      'removedMembers[1].id: duplicate account id 666666666666 (also removedMembers[0])',
    ]);
  });

  test('a core account cannot be removed', () => {
    expect(
      problems((raw) => {
        raw.members = raw.members.filter((m: { id: string }) => m.id !== '333333333333');
        raw.removedMembers = [removed('333333333333')];
      }),
    ).toEqual([
      'organization.auditAccountId: 333333333333 is not listed in members (every account, the audit account included, gets the member baseline)',
      'removedMembers[0].id: 333333333333 is the audit account (organization.auditAccountId): it cannot leave the baseline',
    ]);
  });

  test('removedOn must be a date', () => {
    expect(problems((raw) => (raw.removedMembers = [removed('666666666666', { removedOn: 'yesterday' })]))).toEqual([
      'removedMembers[0].removedOn: must be a date YYYY-MM-DD',
    ]);
  });
});

describe('a removed account is no live member', () => {
  const config = configWith((raw) => (raw.removedMembers = [removed('666666666666')]));

  test('its stack is synthesized for its destroy, after the org stacks, but is not one of them', () => {
    expect(allStackNames(config)).not.toContain('member-666666666666');
    expect(removedStackNames(config)).toEqual(['member-666666666666']);
    expect(synthStackNames(config)).toEqual([...allStackNames(config), 'member-666666666666']);
  });

  test('list does not show it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-removed-'));
    try {
      const raw = exampleRaw();
      raw.removedMembers = [removed('666666666666')];
      writeFileSync(join(dir, 'org.yaml'), stringify(raw));
      expect(listAccounts(join(dir, 'org.yaml')).map((a) => a.id)).not.toContain('666666666666');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const destroyed = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `acct-${id}`,
  removedOn: '2026-12-01',
  reason: 'left the organization',
  destroyedOn: '2026-12-02',
  stateChecked: true,
  ...extra,
});

describe('destroyedMembers: the history of destroyed accounts', () => {
  test('defaults to none; a checked and an unchecked entry are accepted', () => {
    expect(configWith(() => undefined).destroyedMembers).toEqual([]);
    const config = configWith((raw) => (raw.destroyedMembers = [destroyed('666666666666'), destroyed('777777777777', { stateChecked: false, uncheckedReason: 'no credentials for the state' })]));
    expect(config.destroyedMembers.map((d) => [d.id, d.stateChecked, d.uncheckedReason])).toEqual([
      ['666666666666', true, undefined],
      ['777777777777', false, 'no credentials for the state'],
    ]);
  });

  test('every field is required, and none other is allowed', () => {
    const { destroyedOn: _d, stateChecked: _s, ...partial } = destroyed('666666666666');
    expect(problems((raw) => (raw.destroyedMembers = [partial]))).toEqual([
      'destroyedMembers[0].destroyedOn: is required',
      'destroyedMembers[0].stateChecked: is required',
    ]);
    expect(problems((raw) => (raw.destroyedMembers = [destroyed('666666666666', { email: 'a@example.com' })]))).toEqual([expect.stringMatching(/^destroyedMembers\[0\]/)]);
    expect(problems((raw) => (raw.destroyedMembers = [destroyed('666666666666', { reason: 'closed' })]))).toEqual([
      'destroyedMembers[0].reason: must say why the account leaves the baseline (at least 10 characters): auditors will ask',
    ]);
    expect(problems((raw) => (raw.destroyedMembers = [destroyed('666666666666', { destroyedOn: 'today' })]))).toEqual(['destroyedMembers[0].destroyedOn: must be a date YYYY-MM-DD']);
  });

  test('stateChecked false needs uncheckedReason; true forbids it', () => {
    expect(problems((raw) => (raw.destroyedMembers = [destroyed('666666666666', { stateChecked: false })]))).toEqual([
      'destroyedMembers[0].uncheckedReason: is required when stateChecked is false: say why the destroy was recorded though its state could not be checked',
    ]);
    expect(problems((raw) => (raw.destroyedMembers = [destroyed('666666666666', { uncheckedReason: 'no credentials for the state' })]))).toEqual([
      'destroyedMembers[0].uncheckedReason: must be absent when stateChecked is true (the state was checked)',
    ]);
  });

  test('a destroy before its removal, or a history out of order, is refused', () => {
    expect(problems((raw) => (raw.destroyedMembers = [destroyed('666666666666', { destroyedOn: '2026-11-30' })]))).toEqual([
      'destroyedMembers[0].destroyedOn: 2026-11-30 is before removedOn 2026-12-01: a stack is destroyed after its account is removed',
    ]);
    expect(problems((raw) => (raw.destroyedMembers = [destroyed('666666666666', { removedOn: '2026-12-05', destroyedOn: '2026-12-06' }), destroyed('666666666666')]))).toEqual([
      'destroyedMembers[1].removedOn: account 666666666666 was destroyed on 2026-12-06 (destroyedMembers[0]): a later entry must be removed on or after that date',
    ]);
    expect(
      problems((raw) => {
        raw.destroyedMembers = [destroyed('666666666666', { removedOn: '2026-12-05', destroyedOn: '2026-12-06' })];
        raw.removedMembers = [removed('666666666666')];
      }),
    ).toEqual([
      'removedMembers[0].removedOn: account 666666666666 was destroyed on 2026-12-06 (destroyedMembers[0]): it can only have been removed again on or after that date',
    ]);
  });

  test('an account vended again (members) or removed again (removedMembers) keeps its history', () => {
    expect(problems((raw) => (raw.destroyedMembers = [destroyed('555555555555', { removedOn: '2026-10-01', destroyedOn: '2026-10-02' })]))).toEqual([]);
    expect(
      problems((raw) => {
        raw.destroyedMembers = [destroyed('666666666666', { removedOn: '2026-10-01', destroyedOn: '2026-10-02' }), destroyed('666666666666', { removedOn: '2026-11-01', destroyedOn: '2026-11-02' })];
        raw.removedMembers = [removed('666666666666')];
      }),
    ).toEqual([]);
  });

  test('no stack is synthesized for a destroyed account, nor built from its entry', () => {
    const config = configWith((raw) => (raw.destroyedMembers = [destroyed('666666666666')]));
    expect(synthStackNames(config)).toEqual(allStackNames(config));
    expect(synthStackNames(config)).not.toContain('member-666666666666');
    expect(stackMembers(config).has('member-666666666666')).toBe(false);
  });
});
