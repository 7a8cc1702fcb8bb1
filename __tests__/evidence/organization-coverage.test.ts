/**
 * The evidence binder's organization coverage item (evidence/checks/config-service.ts
 * `organizationCoverageTasks`) at the SDK level, with aws-sdk-client-mock answering ListAccounts as
 * the AWS API reference documents it: `{ Accounts: Account[], NextToken }`
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html), each Account
 * with Id, Arn, Email, Name, State (PENDING_ACTIVATION | ACTIVE | SUSPENDED | PENDING_CLOSURE | CLOSED),
 * the deprecated Status, JoinedMethod and JoinedTimestamp
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html).
 * An account taken out of the baseline (`removedMembers`) that is still ACTIVE is no member: the
 * item fails and says when and why it was removed; one whose stack was recorded destroyed
 * (`destroyedMembers`) fails the same, saying when it was destroyed and whether the state was checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load';
import { organizationCoverageTasks } from '../../evidence/checks/config-service';
import { createContext, runTasks } from '../../evidence/collect';
import type { EvidenceItem } from '../../evidence/types';

const NOW = new Date('2026-12-03T12:00:00Z');
const RAW = parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8'));

/** The example config with account 555555555555 moved to removedMembers, as `baseline remove` writes it. */
function configWithRemoved() {
  const raw = structuredClone(RAW);
  const entry = raw.members.find((m: { id: string }) => m.id === '555555555555');
  raw.members = raw.members.filter((m: { id: string }) => m.id !== '555555555555');
  raw.removedMembers = [{ ...entry, removedOn: '2026-11-30', reason: 'workloads-dev decommissioned, ticket OPS-42' }];
  return parseConfig(raw, 'baseline.config.yaml');
}

function account(id: string, state: Account['State'] = 'ACTIVE'): Account {
  return {
    Id: id,
    Arn: `arn:aws:organizations::111111111111:account/o-exampleorg01/${id}`,
    Email: `aws-${id}@example.com`,
    Name: `account-${id}`,
    State: state,
    Status: state === 'CLOSED' || state === 'PENDING_ACTIVATION' ? undefined : (state as Account['Status']),
    JoinedMethod: 'CREATED',
    JoinedTimestamp: new Date('2025-01-01T00:00:00Z'),
  };
}

let orgs: ReturnType<typeof mockClient>;
beforeEach(() => {
  orgs = mockClient(OrganizationsClient);
});
afterEach(() => orgs.restore());

async function coverage(config: ReturnType<typeof configWithRemoved>, accounts: Account[]): Promise<EvidenceItem> {
  // Two pages, as ListAccounts paginates.
  const half = Math.ceil(accounts.length / 2);
  orgs.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) =>
    input.NextToken ? { Accounts: accounts.slice(half) } : { Accounts: accounts.slice(0, half), NextToken: 'page-2' },
  );
  const { ctx } = createContext({ config, now: () => NOW, validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
  await runTasks(ctx, organizationCoverageTasks(ctx), 1);
  expect(ctx.items).toHaveLength(1);
  return ctx.items[0];
}

const LIVE = ['111111111111', '222222222222', '333333333333', '444444444444'];

test('a removed account still ACTIVE in the organization fails the item, with its removal date and reason', async () => {
  const item = await coverage(configWithRemoved(), [...LIVE, '555555555555'].map((id) => account(id)));
  expect(item.status).toBe('FAIL');
  expect(item.reason).toBe(
    'account 555555555555 was removed from the baseline on 2026-11-30 (workloads-dev decommissioned, ticket OPS-42) but is still an ACTIVE account of the organization: close it or move it out of the organization',
  );
  expect(item.details).toEqual({
    activeAccounts: 5,
    notInConfig: [],
    removedButActive: [{ accountId: '555555555555', removedOn: '2026-11-30', reason: 'workloads-dev decommissioned, ticket OPS-42' }],
    destroyedButActive: [],
    notInOrganization: [],
  });
  expect(orgs.commandCalls(ListAccountsCommand)).toHaveLength(2);
});

test('an ACTIVE account in neither list is still told as not in the config, beside a removed one', async () => {
  const item = await coverage(configWithRemoved(), [...LIVE, '555555555555', '777777777777'].map((id) => account(id)));
  expect(item.status).toBe('FAIL');
  expect(item.reason).toBe(
    '1 active account(s) of the organization are not in the config, so have no member baseline (no recorder, flow logs, alarms): 777777777777; ' +
      'account 555555555555 was removed from the baseline on 2026-11-30 (workloads-dev decommissioned, ticket OPS-42) but is still an ACTIVE account of the organization: close it or move it out of the organization',
  );
});

test('once the removed account is closed (SUSPENDED, PENDING_CLOSURE or CLOSED), the item passes', async () => {
  for (const state of ['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'] as const) {
    orgs.reset();
    const item = await coverage(configWithRemoved(), [...LIVE.map((id) => account(id)), account('555555555555', state)]);
    expect({ state, status: item.status, reason: item.reason }).toEqual({ state, status: 'PASS', reason: 'all 4 active accounts of the organization are in the config' });
  }
});

/** The example config with account 555555555555 removed and its destroy recorded, as `baseline remove --destroyed` writes it. */
function configWithDestroyed(record: { stateChecked: boolean; uncheckedReason?: string }) {
  const raw = structuredClone(RAW);
  raw.members = raw.members.filter((m: { id: string }) => m.id !== '555555555555');
  raw.destroyedMembers = [
    { id: '555555555555', name: 'workloads-dev', removedOn: '2026-11-30', reason: 'workloads-dev decommissioned, ticket OPS-42', destroyedOn: '2026-12-01', ...record },
  ];
  return parseConfig(raw, 'baseline.config.yaml');
}

test('a destroyed account still ACTIVE in the organization fails the item, with its dates, reason and whether the state was checked', async () => {
  const checked = await coverage(configWithDestroyed({ stateChecked: true }), [...LIVE, '555555555555'].map((id) => account(id)));
  expect(checked.status).toBe('FAIL');
  expect(checked.reason).toBe(
    'account 555555555555 was removed from the baseline on 2026-11-30 and destroyed on 2026-12-01 (workloads-dev decommissioned, ticket OPS-42; state checked) but is still an ACTIVE account of the organization: close it or move it out of the organization',
  );
  expect(checked.details).toMatchObject({
    notInConfig: [],
    removedButActive: [],
    destroyedButActive: [
      { accountId: '555555555555', removedOn: '2026-11-30', reason: 'workloads-dev decommissioned, ticket OPS-42', destroyedOn: '2026-12-01', stateChecked: true, uncheckedReason: null },
    ],
  });

  orgs.reset();
  const unchecked = await coverage(configWithDestroyed({ stateChecked: false, uncheckedReason: 'no credentials for the state bucket here' }), [...LIVE, '555555555555'].map((id) => account(id)));
  expect(unchecked.status).toBe('FAIL');
  expect(unchecked.reason).toBe(
    'account 555555555555 was removed from the baseline on 2026-11-30 and destroyed on 2026-12-01 (workloads-dev decommissioned, ticket OPS-42; state not checked: no credentials for the state bucket here) but is still an ACTIVE account of the organization: close it or move it out of the organization',
  );

  orgs.reset();
  const closed = await coverage(configWithDestroyed({ stateChecked: true }), [...LIVE.map((id) => account(id)), account('555555555555', 'CLOSED')]);
  expect(closed.status).toBe('PASS');
});
