import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../config/load';
import { synthesize } from '../../synth/parallel-synth';
import { fromAftRequest, fromControlTowerEvent, OPTION_LABELS, VendingError } from '../../vending/account-sources';
import { listAccounts, recordDestroyed, removeAccount, vendAccount } from '../../vending/vend';
import { configWith, EXAMPLE_CONFIG_FILE, REPO_ROOT } from '../helpers';

const FIXTURES = join(__dirname, '..', 'fixtures');
const ORIGINAL = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');
const ctEvent = () => JSON.parse(readFileSync(join(FIXTURES, 'control-tower-create-managed-account.json'), 'utf8'));
const aftRequest = () => JSON.parse(readFileSync(join(FIXTURES, 'aft-account-request.json'), 'utf8'));

let dir: string;
let configFile: string;
let outdir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baseline-vend-'));
  configFile = join(dir, 'org.yaml');
  outdir = join(dir, 'out');
  writeFileSync(configFile, ORIGINAL);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const text = () => readFileSync(configFile, 'utf8');
const members = () => parse(text()).members as Record<string, unknown>[];
const synthesized = () => (existsSync(join(outdir, 'stacks')) ? readdirSync(join(outdir, 'stacks')) : []);
/** The stacks the synth cache saw read the member list: a vend synthesizes these with the account's. */
const membersReaders = (): string[] => {
  const file = join(outdir, '.synth-cache.json');
  if (!existsSync(file)) return [];
  const stacks: Record<string, { readsMembers: boolean }> = JSON.parse(readFileSync(file, 'utf8')).stacks;
  return Object.keys(stacks).filter((name) => stacks[name].readsMembers);
};
/** What a vend of `stack` into a fresh output folder writes: that stack, and the stacks that read the member list. */
const vended = (stack: string) => [...membersReaders(), stack].sort();

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VendingError);
    return (e as Error).message;
  }
  throw new Error('expected the vend to be refused');
}

describe('vending from plain arguments', () => {
  const request = {
    id: '666666666666',
    name: 'payments-prod',
    email: 'aws-payments@example.com',
    ou: 'ou-ex01-workload1',
    tags: { environment: 'production' },
    regions: ['us-east-1', 'eu-west-1'],
    source: 'arguments' as const,
  };

  test('appends the account once, leaving every other byte of the file (comments, layout) as it was', () => {
    expect(ORIGINAL.split('\n')[0]).toBe('# yaml-language-server: $schema=./baseline.config.schema.json');
    const result = vendAccount({ configFile, request, outdir });
    expect(result).toMatchObject({ status: 'added', accountId: '666666666666', stack: 'member-666666666666', stateKey: null });
    expect(text()).toBe(
      `${ORIGINAL}  - id: "666666666666"\n    name: payments-prod\n    email: aws-payments@example.com\n    ou: ou-ex01-workload1\n    regions: [us-east-1, eu-west-1]\n    tags:\n      environment: production\n`,
    );
    expect(members().filter((m) => m.id === '666666666666')).toHaveLength(1);
  });

  test('synthesizes only the new stack, and says where it is', () => {
    const result = vendAccount({ configFile, request, outdir });
    expect(synthesized()).toEqual(vended('member-666666666666'));
    expect(join(process.cwd(), result.workingDirectory)).toBe(join(outdir, 'stacks', 'member-666666666666'));
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'member-666666666666', 'cdk.tf.json'), 'utf8'));
    expect(json.provider.aws[0].allowed_account_ids).toEqual(['666666666666']);
  });

  test('is idempotent: the same account again changes nothing and says so', () => {
    vendAccount({ configFile, request, outdir });
    const after = text();
    const again = vendAccount({ configFile, request, outdir });
    expect(again.status).toBe('unchanged');
    expect(again.changes).toEqual([]);
    expect(text()).toBe(after);
  });

  test('the same id with other data is an error unless --update, which rewrites only that entry', () => {
    vendAccount({ configFile, request, outdir });
    const after = text();
    expect(refused(() => vendAccount({ configFile, request: { ...request, name: 'payments' }, outdir }))).toBe(
      'account 666666666666 is already in the config with other data (name: "payments-prod" → "payments"); pass --update to change it',
    );
    expect(text()).toBe(after);
    const updated = vendAccount({ configFile, request: { ...request, name: 'payments', ou: 'ou-ex01-security1' }, update: true, outdir });
    expect(updated.status).toBe('updated');
    expect(updated.changes).toEqual(['name: "payments-prod" → "payments"', 'ou: "ou-ex01-workload1" → "ou-ex01-security1"']);
    expect(text()).toBe(after.replace('name: payments-prod', 'name: payments').replace('ou: ou-ex01-workload1', 'ou: ou-ex01-security1'));
  });

  test('a bad id, or a Region outside the governed list, is refused naming where the field came from (no line of an unwritten file), and nothing is written', () => {
    expect(refused(() => vendAccount({ configFile, request: { ...request, id: '12345' }, outdir }))).toBe(
      'account 12345 cannot be vended:\n  account.id: must be a 12-digit account id, quoted (e.g. "111111111111")',
    );
    expect(refused(() => vendAccount({ configFile, request: { ...request, regions: ['us-east-1', 'sa-east-1'], labels: OPTION_LABELS }, outdir }))).toBe(
      'account 666666666666 cannot be vended:\n  --regions: sa-east-1 is not in regions.governed',
    );
    expect(refused(() => vendAccount({ configFile, request: fromAftRequest({ ...aftRequest(), custom_fields: { soc2_baseline_regions: 'us-west-2' } }, '888888888888'), outdir }))).toBe(
      'account 888888888888 cannot be vended:\n  aft.custom_fields.soc2_baseline_regions: must include the home Region us-east-1 (global resources are recorded there)',
    );
    expect(text()).toBe(ORIGINAL);
    expect(synthesized()).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['org.yaml']);
  });

  test('Regions are a set and tags a map: the same ones in another order are the same account, "unchanged", and the file is untouched', () => {
    vendAccount({ configFile, request: { ...request, tags: { environment: 'production', team: 'payments' } }, outdir });
    const after = text();
    const again = vendAccount({
      configFile,
      request: { ...request, regions: ['eu-west-1', 'us-east-1'], tags: { team: 'payments', environment: 'production' } },
      outdir,
    });
    expect(again).toMatchObject({ status: 'unchanged', changes: [] });
    expect(text()).toBe(after);
    // Another set of Regions is other data, and an update keeps the file's order for what did not change.
    expect(refused(() => vendAccount({ configFile, request: { ...request, regions: ['us-east-1'], tags: undefined }, outdir }))).toBe(
      'account 666666666666 is already in the config with other data (regions: ["us-east-1","eu-west-1"] → ["us-east-1"]); pass --update to change it',
    );
    vendAccount({ configFile, request: { ...request, name: 'payments', regions: ['eu-west-1', 'us-east-1'], tags: { team: 'payments', environment: 'production' } }, update: true, outdir });
    expect(text()).toBe(after.replace('name: payments-prod', 'name: payments'));
  });

  test('a root email another account has (in any case) is refused, naming both accounts', () => {
    const message = refused(() => vendAccount({ configFile, request: { ...request, email: 'AWS-Audit@example.com', labels: OPTION_LABELS }, outdir }));
    expect(message).toBe(
      'account 666666666666 cannot be vended:\n  --email: AWS-Audit@example.com is the root email of account 666666666666 and of account 333333333333 (members[2].email); AWS requires a unique root email per account',
    );
    expect(text()).toBe(ORIGINAL);
  });

  test('a CRLF config stays CRLF: the added, updated and removed entries use its line ending', () => {
    const crlf = ORIGINAL.replace(/\n/g, '\r\n');
    writeFileSync(configFile, crlf);
    vendAccount({ configFile, request, outdir });
    const added = text();
    expect(added).toBe(
      `${crlf}  - id: "666666666666"\r\n    name: payments-prod\r\n    email: aws-payments@example.com\r\n    ou: ou-ex01-workload1\r\n    regions: [us-east-1, eu-west-1]\r\n    tags:\r\n      environment: production\r\n`,
    );
    vendAccount({ configFile, request: { ...request, name: 'payments' }, update: true, outdir });
    expect(text()).toBe(added.replace('name: payments-prod', 'name: payments'));
    expect(text().replace(/\r\n/g, '')).not.toContain('\n');
    removeAccount({ configFile, accountId: '666666666666', reason: 'payments moved to a new org', outdir });
    expect(text()).toMatch(/\r\nremovedMembers:\r\n {2}- id: "666666666666"\r\n[^]*\r\n {4}removedOn: "\d{4}-\d{2}-\d{2}"\r\n {4}reason: "payments moved to a new org"\r\n$/);
    recordDestroyed({ configFile, accountId: '666666666666', outdir, uncheckedReason: 'never applied: a unit test' });
    // The removed entry leaves; its record, in destroyedMembers, is CRLF too.
    const today = new Date().toISOString().slice(0, 10);
    expect(text()).toBe(
      `${crlf}destroyedMembers:\r\n  - id: "666666666666"\r\n    name: payments\r\n    removedOn: "${today}"\r\n    reason: payments moved to a new org\r\n` +
        `    destroyedOn: "${today}"\r\n    stateChecked: false\r\n    uncheckedReason: "never applied: a unit test"\r\n`,
    );
  });

  test('a config reached through a symbolic link is edited where it is, and the link stays a link', () => {
    const link = join(dir, 'link.yaml');
    symlinkSync(configFile, link);
    vendAccount({ configFile: link, request, outdir });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(members().map((m) => m.id)).toContain('666666666666');
  });

  test('a new account needs a name, an email and an OU', () => {
    expect(refused(() => vendAccount({ configFile, request: { id: '666666666666', name: 'x', ou: 'Root', source: 'arguments' }, outdir }))).toBe(
      'account.email: is required for a new account',
    );
  });
});

describe('root emails are unique in the config, as AWS Organizations requires', () => {
  test('a second account with the same root email, in any case, is refused at members[i].email, naming both accounts', () => {
    expect(() => configWith((raw) => (raw.members[4].email = 'AWS-Workloads-Prod@Example.com'))).toThrow(
      'members[4].email: AWS-Workloads-Prod@Example.com is the root email of account 555555555555 and of account 444444444444 (members[3].email); AWS requires a unique root email per account',
    );
  });
});

describe('what a vend reports', () => {
  /** The example's audit account's stack, which holds the investigations (organization.auditAccountId). */
  const AUDIT_STACK = 'member-333333333333';
  // An OU the example already names: an account naming a new OU adds its plan-time check to management.
  const request = { id: '666666666666', name: 'payments-prod', email: 'aws-payments@example.com', ou: 'Workloads/Prod', source: 'arguments' as const };
  const mtimes = () =>
    Object.fromEntries(synthesized().map((name) => [name, statSync(join(outdir, 'stacks', name, 'cdk.tf.json')).mtimeMs]));
  const changedStacksFile = () => JSON.parse(readFileSync(join(outdir, 'changed-stacks.json'), 'utf8'));

  test('after a full synth, only the stacks it changes are written, and they are the ones reported', async () => {
    await synthesize(loadConfig(configFile), { outdir });
    const before = mtimes();

    const added = vendAccount({ configFile, request, outdir });
    // The audit account's stack (member-333333333333) changes too: its investigations tables project
    // every account of the config (projection.account.values, modules/investigations/tables.ts), so a
    // new account is added there for its logs to be queried. Nothing else changes.
    expect(added.changedStacks).toEqual([AUDIT_STACK, 'member-666666666666']);
    // Stacks that read the member list are synthesized too; they are reported only if their bytes change.
    expect(changedStacksFile()).toEqual({ changed: [AUDIT_STACK], added: ['member-666666666666'], removed: [], orphaned: [], unchanged: expect.any(Number) });
    expect(mtimes()).toEqual({ ...before, [AUDIT_STACK]: expect.any(Number), 'member-666666666666': expect.any(Number) });

    const updated = vendAccount({ configFile, request: { ...request, name: 'payments' }, update: true, outdir });
    expect(updated.changedStacks).toEqual(['member-666666666666']);
    expect(changedStacksFile()).toEqual({ changed: ['member-666666666666'], added: [], removed: [], orphaned: [], unchanged: expect.any(Number) });

    expect(vendAccount({ configFile, request: { ...request, name: 'payments' }, outdir }).changedStacks).toEqual([]);
  });

  test('a stack that read the member list at the last synth is synthesized with it, and reported when its bytes change', async () => {
    await synthesize(loadConfig(configFile), { outdir });
    // Stand-in for a stack built from the member list: the cache says management read it, and its
    // file is not what a synth writes, so the vend must rewrite and report it.
    const cacheFile = join(outdir, '.synth-cache.json');
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    cache.stacks.management.readsMembers = true;
    writeFileSync(cacheFile, JSON.stringify(cache));
    const managementFile = join(outdir, 'stacks', 'management', 'cdk.tf.json');
    const synthesizedBytes = readFileSync(managementFile, 'utf8');
    writeFileSync(managementFile, `${synthesizedBytes} `);

    const result = vendAccount({ configFile, request, outdir });
    // The audit account's stack: its investigations tables project the new account (as above).
    expect(result.changedStacks).toEqual(['management', AUDIT_STACK, 'member-666666666666']);
    expect(readFileSync(managementFile, 'utf8')).toBe(synthesizedBytes);
  });
});

describe('vending from an AFT account request', () => {
  test('reads control_tower_parameters, account_tags and the Region subset from custom_fields', () => {
    expect(fromAftRequest(aftRequest(), '888888888888')).toEqual({
      id: '888888888888',
      name: 'data-lake-prod',
      email: 'aws-data-lake@example.com',
      ou: 'ou-ex01-workload1',
      tags: { environment: 'production', 'data-classification': 'restricted' },
      regions: ['us-east-1', 'us-west-2'],
      source: 'aft',
      createdInOrganization: true,
      labels: {
        id: '--account-id',
        name: 'aft.control_tower_parameters.AccountName',
        email: 'aft.control_tower_parameters.AccountEmail',
        ou: 'aft.control_tower_parameters.ManagedOrganizationalUnit',
        regions: 'aft.custom_fields.soc2_baseline_regions',
        tags: 'aft.account_tags',
      },
    });
    const result = vendAccount({ configFile, request: fromAftRequest(aftRequest(), '888888888888'), outdir });
    expect(result.status).toBe('added');
    expect(text().slice(ORIGINAL.length)).toBe(
      '  - id: "888888888888"\n    name: data-lake-prod\n    email: aws-data-lake@example.com\n    ou: ou-ex01-workload1\n    regions: [us-east-1, us-west-2]\n    tags:\n      environment: production\n      data-classification: restricted\n    macieAutoEnabledRegions: [us-east-1, us-west-2]\n',
    );
    expect(synthesized()).toEqual(vended('member-888888888888'));
  });

  test('needs the account id, and names what a malformed request lacks', () => {
    expect(refused(() => fromAftRequest(aftRequest()))).toMatch(/^aft: the account id is unknown: pass --account-id/);
    const request = aftRequest();
    delete request.control_tower_parameters.AccountEmail;
    expect(refused(() => fromAftRequest(request, '888888888888'))).toBe('aft.control_tower_parameters.AccountEmail: is required (a non-empty string)');
  });
});

describe('vending from a Control Tower lifecycle event', () => {
  test('reads the account id, name and OU id of a successful CreateManagedAccount', () => {
    const request = fromControlTowerEvent(ctEvent(), 'aws-analytics@example.com');
    expect(request).toEqual({
      id: '777777777777',
      name: 'analytics-prod',
      ou: 'ou-ex01-workload1',
      email: 'aws-analytics@example.com',
      source: 'control-tower',
      createdInOrganization: true,
      labels: {
        id: 'event.detail.serviceEventDetails.createManagedAccountStatus.account.accountId',
        name: 'event.detail.serviceEventDetails.createManagedAccountStatus.account.accountName',
        ou: 'event.detail.serviceEventDetails.createManagedAccountStatus.organizationalUnit.organizationalUnitId',
        email: '--email',
      },
    });
    expect(vendAccount({ configFile, request, outdir }).status).toBe('added');
    expect(synthesized()).toEqual(vended('member-777777777777'));
  });

  test('asks for the email a new account needs, which the event does not carry', () => {
    expect(refused(() => vendAccount({ configFile, request: fromControlTowerEvent(ctEvent()), outdir }))).toBe(
      '--email: is required for a new account (the Control Tower event carries none: pass --email)',
    );
  });

  test('an UpdateManagedAccount for a known account moves it, with --update, keeping its other fields', () => {
    vendAccount({ configFile, request: fromControlTowerEvent(ctEvent(), 'aws-analytics@example.com'), outdir });
    const event = ctEvent();
    event.detail.eventName = 'UpdateManagedAccount';
    event.detail.serviceEventDetails = {
      updateManagedAccountStatus: {
        ...event.detail.serviceEventDetails.createManagedAccountStatus,
        organizationalUnit: { organizationalUnitName: 'Security', organizationalUnitId: 'ou-ex01-security1' },
      },
    };
    const result = vendAccount({ configFile, request: fromControlTowerEvent(event), update: true, outdir });
    expect(result.changes).toEqual(['ou: "ou-ex01-workload1" → "ou-ex01-security1"']);
    expect(members().find((m) => m.id === '777777777777')).toEqual({
      id: '777777777777',
      name: 'analytics-prod',
      email: 'aws-analytics@example.com',
      ou: 'ou-ex01-security1',
      // Created in the organization after Macie's auto-enable was on: a member there already.
      macieAutoEnabledRegions: ['us-east-1', 'us-west-2', 'eu-west-1'],
    });
  });

  test('a failed event is refused with Control Tower\'s reason', () => {
    const event = ctEvent();
    Object.assign(event.detail.serviceEventDetails.createManagedAccountStatus, {
      state: 'FAILED',
      message: 'AWS Control Tower cannot create an account because the email address is already in use.',
    });
    expect(refused(() => fromControlTowerEvent(event, 'x@example.com'))).toBe(
      'event: Control Tower reports CreateManagedAccount as FAILED: AWS Control Tower cannot create an account because the email address is already in use.; nothing was vended',
    );
  });

  test('a malformed event names what is missing or wrong', () => {
    const noId = ctEvent();
    delete noId.detail.serviceEventDetails.createManagedAccountStatus.account.accountId;
    expect(refused(() => fromControlTowerEvent(noId, 'x@example.com'))).toBe(
      'event.detail.serviceEventDetails.createManagedAccountStatus.account.accountId: is required (a non-empty string)',
    );
    expect(refused(() => fromControlTowerEvent({ ...ctEvent(), source: 'aws.organizations' }))).toBe(
      'event.source: must be "aws.controltower" (got "aws.organizations")',
    );
    const other = ctEvent();
    other.detail.eventName = 'SetupLandingZone';
    expect(refused(() => fromControlTowerEvent(other))).toBe(
      'event.detail.eventName: SetupLandingZone is not an account lifecycle event (CreateManagedAccount or UpdateManagedAccount)',
    );
    expect(refused(() => fromControlTowerEvent('not an event'))).toBe('event: must be a JSON object (the EventBridge event)');
  });
});

describe('list and remove', () => {
  test('list gives every account, its stack, its Regions (always a list) and its role', () => {
    const accounts = listAccounts(configFile);
    expect(accounts.map((a) => a.stack)).toEqual([
      'member-111111111111',
      'member-222222222222',
      'member-333333333333',
      'member-444444444444',
      'member-555555555555',
    ]);
    expect(accounts[0]).toEqual({
      id: '111111111111',
      name: 'management',
      email: 'aws-management@example.com',
      ou: 'Root',
      regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
      allGovernedRegions: true,
      stack: 'member-111111111111',
      role: 'management',
    });
    expect(accounts[4]).toMatchObject({ regions: ['us-east-1'], allGovernedRegions: false, role: 'member' });
  });

  test('remove moves the entry, its own lines, to removedMembers with today\'s date, and synthesizes the stack the pipeline must destroy', () => {
    const location = removeAccount({ configFile, accountId: '555555555555', reason: 'workloads-dev is decommissioned', outdir });
    const today = new Date().toISOString().slice(0, 10);
    expect(location).toMatchObject({ stack: 'member-555555555555', removedOn: today });
    expect(synthesized()).toEqual(vended('member-555555555555'));
    const start = ORIGINAL.indexOf('  - id: "555555555555"');
    expect(text()).toBe(`${ORIGINAL.slice(0, start)}removedMembers:\n${ORIGINAL.slice(start)}    removedOn: "${today}"\n    reason: "workloads-dev is decommissioned"\n`);
    expect(loadConfig(configFile).removedMembers).toEqual([{ ...loadConfig(EXAMPLE_CONFIG_FILE).members[4], removedOn: today, reason: 'workloads-dev is decommissioned' }]);
  });

  test('an account other settings still name cannot be removed until they stop naming it', () => {
    expect(refused(() => removeAccount({ configFile, accountId: '444444444444', reason: 'test of a refusal', outdir }))).toMatch(
      /^account 444444444444 cannot be removed:\n {2}sensitiveData\.buckets\[0\]\.accountId: 444444444444 is not listed in members[^\n]*\n {2}securityServices\.macie\.classificationJobs\[0\]\.accountId: 444444444444 is not listed in members/,
    );
    expect(text()).toBe(ORIGINAL);
    expect(synthesized()).toEqual([]);
  });

  test('the core accounts cannot be removed, nor an unknown one', () => {
    expect(refused(() => removeAccount({ configFile, accountId: '222222222222', reason: 'test of a refusal', outdir }))).toBe(
      'account 222222222222 is the log-archive account: it cannot leave the baseline',
    );
    expect(refused(() => removeAccount({ configFile, accountId: '999999999999', reason: 'test of a refusal', outdir }))).toBe('account 999999999999 is not in the config');
    expect(text()).toBe(ORIGINAL);
  });
});

describe('the baseline command', () => {
  const BIN = join(REPO_ROOT, 'bin', 'baseline');
  const run = (args: string[], input?: string) => {
    const env = { ...process.env };
    delete env.BASELINE_CONFIG;
    // list synthesizes nothing: it takes no --outdir.
    const files = args[0] === 'list' ? ['--config', configFile] : ['--config', configFile, '--outdir', outdir];
    const r = spawnSync(BIN, [...args, ...files], { cwd: dir, env, encoding: 'utf8', input });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('vend prints one JSON line for the pipeline; a Control Tower event can come on stdin', () => {
    const r = run(['vend', '--control-tower-event', '-', '--email', 'aws-analytics@example.com'], readFileSync(join(FIXTURES, 'control-tower-create-managed-account.json'), 'utf8'));
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      JSON.stringify({
        status: 'added',
        accountId: '777777777777',
        stack: 'member-777777777777',
        workingDirectory: 'out/stacks/member-777777777777',
        stateKey: null,
        changedStacks: vended('member-777777777777'),
      }),
      '',
    ]);
    expect(r.stderr).toBe(`account 777777777777 added to ${configFile}; stacks changed: ${vended('member-777777777777').join(', ')}\n`);
  });

  test('a conflict exits 1, a usage mistake 2, and remove without --yes refuses when nobody can answer', () => {
    const args = ['vend', '--account-id', '444444444444', '--name', 'renamed', '--email', 'aws-workloads-prod@example.com', '--ou', 'Workloads/Prod'];
    const conflict = run(args);
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toMatch(/^error: account 444444444444 is already in the config with other data/);
    expect(run(['vend', '--name', 'x']).status).toBe(2);
    expect(run(['frobnicate']).stderr).toMatch(/^error: unknown command "frobnicate"; the commands are vend, list, remove, .*help\nusage:\n/);
    const remove = run(['remove', '--account-id', '444444444444', '--reason', 'workloads-prod is retired']);
    expect(remove.status).toBe(2);
    expect(remove.stderr).toMatch(/pass --yes when no one is at a terminal/);
    expect(text()).toBe(ORIGINAL);
  });

  test('a bad --account-id is a usage error naming the option (exit 2, with the usage), not a line of the config', () => {
    const r = run(['vend', '--account-id', '12345', '--name', 'x', '--email', 'x@example.com', '--ou', 'Root']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'error: --account-id: must be a 12-digit account id (got "12345")',
        'usage:',
        '  baseline vend --account-id ID --name NAME --email EMAIL --ou OU [--tag KEY=VALUE ...] [--regions R1,R2] [--update]',
        '  baseline vend --aft REQUEST.json [--account-id ID] [--update]',
        '  baseline vend --control-tower-event EVENT.json|- --email EMAIL [--update]',
        'Run "baseline vend --help" for its options.',
        '',
      ].join('\n'),
    );
    expect(run(['vend', '--account-id', '666666666666', '--name', 'x', '--email', 'not-an-email', '--ou', 'Root']).stderr).toMatch(
      /^error: --email: must be an email address \(got "not-an-email"\)\nusage:/,
    );
    expect(run(['vend', '--account-id', '666666666666', '--name', 'x', '--email', 'x@example.com', '--ou', 'Root', '--regions', 'us-east-1,mars-1']).stderr).toMatch(
      /^error: --regions: must be an AWS Region code such as "us-east-1" \(got "mars-1"\)\nusage:/,
    );
    expect(run(['vend', '--account-id', '666666666666', '--name', 'x', '--email', 'x@example.com', '--ou', 'Root', '--tag', 'novalue']).stderr).toMatch(
      /^error: --tag novalue: must be key=value\nusage:/,
    );
    expect(run(['remove', '--account-id', '55555555555x', '--yes']).stderr).toMatch(/^error: --account-id: must be a 12-digit account id \(got "55555555555x"\)\nusage:\n {2}baseline remove/);
    expect(text()).toBe(ORIGINAL);
  });

  test('what depends on the config is a refusal (exit 1) still named by option: an ungoverned Region, a taken root email', () => {
    const base = ['vend', '--account-id', '666666666666', '--name', 'x', '--ou', 'Root'];
    const region = run([...base, '--email', 'x@example.com', '--regions', 'us-east-1,sa-east-1']);
    expect(region).toMatchObject({ status: 1, stdout: '', stderr: 'error: account 666666666666 cannot be vended:\n  --regions: sa-east-1 is not in regions.governed\n' });
    const email = run([...base, '--email', 'aws-workloads-dev@example.com']);
    expect(email.status).toBe(1);
    expect(email.stderr).toBe(
      'error: account 666666666666 cannot be vended:\n  --email: aws-workloads-dev@example.com is the root email of account 666666666666 and of account 555555555555 (members[4].email); AWS requires a unique root email per account\n',
    );
    expect(text()).toBe(ORIGINAL);
  });

  test('vend of a known account with its Regions in another order is "unchanged"', () => {
    const r = run(['vend', '--account-id', '555555555555', '--name', 'workloads-dev', '--email', 'aws-workloads-dev@example.com', '--ou', 'Workloads/NonProd', '--regions', 'us-east-1']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('unchanged');
    writeFileSync(configFile, ORIGINAL.replace('regions: [us-east-1]          #', 'regions: [us-east-1, eu-west-1] #'));
    const before = text();
    const reordered = run(['vend', '--account-id', '555555555555', '--regions', 'eu-west-1,us-east-1']);
    expect(reordered.status).toBe(0);
    expect(JSON.parse(reordered.stdout).status).toBe('unchanged');
    expect(text()).toBe(before);
  });

  test('list --json gives one type per field: regions always an array, with allGovernedRegions saying whether it is the default', () => {
    const r = run(['list', '--json']);
    expect(r.status).toBe(0);
    const accounts = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(accounts).toHaveLength(5);
    for (const a of accounts) {
      expect(Object.keys(a).sort()).toEqual(['allGovernedRegions', 'email', 'id', 'name', 'ou', 'regions', 'role', 'stack']);
      expect(Array.isArray(a.regions) && (a.regions as unknown[]).every((x) => typeof x === 'string')).toBe(true);
      expect(typeof a.allGovernedRegions).toBe('boolean');
    }
    expect(accounts.map((a) => [a.id, a.regions, a.allGovernedRegions, a.role])).toEqual([
      ['111111111111', ['us-east-1', 'us-west-2', 'eu-west-1'], true, 'management'],
      ['222222222222', ['us-east-1', 'us-west-2', 'eu-west-1'], true, 'log-archive'],
      ['333333333333', ['us-east-1', 'us-west-2', 'eu-west-1'], true, 'audit'],
      ['444444444444', ['us-east-1', 'us-west-2', 'eu-west-1'], true, 'member'],
      ['555555555555', ['us-east-1'], false, 'member'],
    ]);
    const plain = run(['list']);
    expect(plain.stdout.split('\n').slice(0, 2)).toEqual([
      'ID            STACK                NAME            OU                 ROLE         REGIONS',
      '111111111111  member-111111111111  management      Root               management   us-east-1,us-west-2,eu-west-1 (all governed)',
    ]);
    expect(plain.stdout.split('\n')[5]).toBe('555555555555  member-555555555555  workloads-dev   Workloads/NonProd  member       us-east-1');
  });

  test('remove --yes says what to destroy, how to record it, and that the central logs are kept', () => {
    const r = run(['remove', '--account-id', '555555555555', '--reason', 'workloads-dev is decommissioned', '--yes']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      status: 'removed',
      accountId: '555555555555',
      stack: 'member-555555555555',
      workingDirectory: 'out/stacks/member-555555555555',
      stateKey: null,
      removedOn: new Date().toISOString().slice(0, 10),
      reason: 'workloads-dev is decommissioned',
      destroy: true,
      centralLogsKept: true,
    });
    expect(r.stderr).toContain("The pipeline's destroy job (generated by baseline pipeline) destroys it");
    expect(r.stderr).toContain('terraform -chdir=out/stacks/member-555555555555 init && terraform -chdir=out/stacks/member-555555555555 destroy');
    expect(r.stderr).toContain('Once it has run, record it: baseline remove --account-id 555555555555 --destroyed');
    expect(r.stderr).toContain('The central logs of account 555555555555 are kept');
  });
});

describe('vending at scale', () => {
  test('into a config of 1,000 accounts, only the new stack (and those that read the member list) is synthesized', () => {
    const extra = Array.from(
      { length: 995 },
      (_, i) => `  - id: "${600000000000 + i}"\n    name: acct-${i}\n    email: a${i}@example.com\n    ou: Workloads\n`,
    ).join('');
    writeFileSync(configFile, ORIGINAL + extra);
    const started = Date.now();
    const result = vendAccount({
      configFile,
      request: { id: '999999999999', name: 'new', email: 'new@example.com', ou: 'Workloads', source: 'arguments' },
      outdir,
    });
    expect(result.status).toBe('added');
    expect(synthesized()).toEqual(vended('member-999999999999'));
    expect(parse(text()).members).toHaveLength(1001);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
