/**
 * `removedMembers`: the accounts `baseline remove` took out whose stacks await destroy. An account is
 * in one list only, once, and never a core account; no live part of the baseline counts it.
 */
import { allStackNames, removedStackNames, synthStackNames } from '../../config/naming';
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
