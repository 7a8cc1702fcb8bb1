/**
 * A removed account's stack survives until its destroy is recorded (issue 25): through the real entry
 * points (`bin/baseline`, `main.ts`), on a temp copy of the example config and a temp output folder.
 * `remove` moves the account to `removedMembers`; every synth after it (full, selective, from another
 * config file of the same organization) keeps its folder and lists it in removed-stacks.json; only
 * `remove --destroyed` deletes it, and with local state only once the state holds no resource. The
 * destroy leaves a durable record: the entry moves to `destroyedMembers` (checked or not, and why),
 * which the control matrix lists.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { EXAMPLE_CONFIG_FILE, REPO_ROOT } from '../helpers';

const BIN = join(REPO_ROOT, 'bin', 'baseline');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(REPO_ROOT, 'main.ts');
const ORIGINAL = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');
const STACK = 'member-555555555555';
const TODAY = () => new Date().toISOString().slice(0, 10);
const REASON = 'account closed: the team moved to Acme';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baseline-remove-'));
  writeFileSync(join(dir, 'org.yaml'), ORIGINAL);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of ['BASELINE_CONFIG', 'BASELINE_STACKS', 'CDKTF_OUTDIR']) delete inherited[name];
  return { ...inherited, ...extra };
}

/** `bin/baseline <args> --config org.yaml --outdir out`, in the temp folder. */
function baseline(args: string[], config = 'org.yaml', extraEnv: Record<string, string> = {}) {
  const r = spawnSync(BIN, [...args, '--config', config, '--outdir', 'out'], { cwd: dir, env: env(extraEnv), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `make synth` as the pipeline runs it: main.ts with BASELINE_CONFIG and CDKTF_OUTDIR. */
function synth(extra: Record<string, string> = {}) {
  const r = spawnSync(TSX, [MAIN], { cwd: dir, env: env({ BASELINE_CONFIG: 'org.yaml', CDKTF_OUTDIR: 'out', ...extra }), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const text = () => readFileSync(join(dir, 'org.yaml'), 'utf8');
const readJson = (file: string) => JSON.parse(readFileSync(join(dir, 'out', file), 'utf8'));
const stackFile = (stack: string) => join(dir, 'out', 'stacks', stack, 'cdk.tf.json');
const removedStacks = () => (readJson('removed-stacks.json').stacks as { name: string }[]).map((s) => s.name);

/** The local state file the synthesized stack's backend names, resolved from its folder (where Terraform runs). */
function stateFileOf(stack: string): string {
  const json = JSON.parse(readFileSync(stackFile(stack), 'utf8'));
  return resolve(join(dir, 'out', 'stacks', stack), json.terraform.backend.local.path);
}

describe('a removed account keeps its stack until the destroy is recorded', () => {
  test('vend, synth, remove, then synths of every kind: the folder, its cdk.tf.json and its removed-stacks.json entry stay; remove --destroyed deletes them', () => {
    const vend = baseline(['vend', '--account-id', '666666666666', '--name', 'payments', '--email', 'aws-payments@example.com', '--ou', 'Workloads']);
    expect(vend.status).toBe(0);
    expect(synth().status).toBe(0);
    const applied = readFileSync(stackFile('member-666666666666'), 'utf8');

    const removed = baseline(['remove', '--account-id', '666666666666', '--reason', REASON, '--yes']);
    expect(removed.status).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ status: 'removed', stack: 'member-666666666666', removedOn: TODAY(), reason: REASON, destroy: true });
    expect(parse(text()).removedMembers).toEqual([
      { id: '666666666666', name: 'payments', email: 'aws-payments@example.com', ou: 'Workloads', removedOn: TODAY(), reason: REASON },
    ]);

    // The control matrix lists the account, with its date and reason, until the destroy is recorded.
    expect(readJson('evidence/control-matrix.json').removedAccounts).toEqual([
      { accountId: '666666666666', name: 'payments', stack: 'member-666666666666', removedOn: TODAY(), reason: REASON, status: 'stack awaiting destroy', configPath: 'removedMembers[0]' },
    ]);
    expect(readFileSync(join(dir, 'out', 'evidence', 'control-matrix.md'), 'utf8')).toContain(
      `| \`666666666666\` | payments | ${TODAY()} | ${REASON} | stack awaiting destroy (\`member-666666666666\`) | \`removedMembers[0]\` |\n`,
    );
    writeFileSync(join(dir, 'copy.yaml'), text());
    const synths = [synth(), synth({ BASELINE_STACKS: 'management' }), synth({ BASELINE_CONFIG: 'copy.yaml' }), synth()];
    for (const r of synths) {
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(r.stdout).toContain('awaiting destroy member-666666666666 (out/removed-stacks.json)');
      expect(readFileSync(stackFile('member-666666666666'), 'utf8')).toBe(applied);
      expect(removedStacks()).toEqual(['member-666666666666']);
      expect(readJson('changed-stacks.json')).toMatchObject({ removed: ['member-666666666666'], orphaned: [] });
      // Nothing may apply it: it is never in manifest.json.
      expect(Object.keys(readJson('manifest.json').stacks)).not.toContain('member-666666666666');
    }

    // The destroy job synthesizes the stack alone.
    const job = synth({ BASELINE_STACKS: 'member-666666666666' });
    expect(job.status).toBe(0);
    expect(job.stdout).toMatch(/^synthesized 0 stack\(s\); for their destroy: member-666666666666$/m);

    // Nothing was applied from this checkout: no local state file, so nothing to check the destroy against.
    const unchecked = baseline(['remove', '--account-id', '666666666666', '--destroyed', '--yes']);
    expect(unchecked.status).toBe(1);
    expect(unchecked.stderr).toBe(
      'error: cannot check that the stack member-666666666666 was destroyed: there is no local state file out/state/terraform.member-666666666666.tfstate: ' +
        'the state of member-666666666666 is elsewhere (another checkout, a state file not moved into the output folder), or nothing was ever applied from here. ' +
        "Fix that and run this again, or, if you know the destroy ran (the pipeline's destroy job log), record it unchecked with " +
        'baseline remove --account-id 666666666666 --destroyed --unchecked-reason WHY --config org.yaml --outdir out; nothing was changed\n',
    );
    expect(existsSync(join(dir, 'out', 'stacks', 'member-666666666666'))).toBe(true);
    const recorded = baseline(['remove', '--account-id', '666666666666', '--destroyed', '--unchecked-reason', 'vended and removed in a test, never applied', '--yes']);
    expect(recorded.status).toBe(0);
    expect(JSON.parse(recorded.stdout)).toEqual({
      status: 'destroyed',
      accountId: '666666666666',
      stack: 'member-666666666666',
      workingDirectory: 'out/stacks/member-666666666666',
      backend: 'local',
      stateChecked: false,
      destroyedOn: TODAY(),
      state: 'out/state/terraform.member-666666666666.tfstate',
      stateFileExists: false,
      uncheckedBecause: expect.stringMatching(/^there is no local state file out\/state\/terraform\.member-666666666666\.tfstate:/),
      uncheckedReason: 'vended and removed in a test, never applied',
    });
    expect(recorded.stderr).toContain('its state was NOT checked (there is no local state file');
    expect(recorded.stderr).toContain('recorded for the reason given: vended and removed in a test, never applied');
    expect(existsSync(join(dir, 'out', 'stacks', 'member-666666666666'))).toBe(false);
    expect(removedStacks()).toEqual([]);
    expect(readJson('changed-stacks.json').removed).toEqual([]);
    expect(parse(text()).removedMembers).toBeUndefined();
    // The destroy is on record, flagged as not checked, with the operator's reason.
    expect(parse(text()).destroyedMembers).toEqual([
      { id: '666666666666', name: 'payments', removedOn: TODAY(), reason: REASON, destroyedOn: TODAY(), stateChecked: false, uncheckedReason: 'vended and removed in a test, never applied' },
    ]);
    expect(readJson('evidence/control-matrix.json').removedAccounts).toEqual([]);
    expect(readJson('evidence/control-matrix.json').destroyedAccounts).toEqual([
      {
        accountId: '666666666666',
        name: 'payments',
        removedOn: TODAY(),
        reason: REASON,
        destroyedOn: TODAY(),
        stateChecked: false,
        uncheckedReason: 'vended and removed in a test, never applied',
        status: 'destroy not verified: vended and removed in a test, never applied',
        configPath: 'destroyedMembers[0]',
      },
    ]);
    const markdown = readFileSync(join(dir, 'out', 'evidence', 'control-matrix.md'), 'utf8');
    expect(markdown).toContain('## Accounts removed from the baseline\n\nNone: every account of the config keeps the baseline.\n');
    expect(markdown).toContain(
      `| \`666666666666\` | payments | ${TODAY()} | ${REASON} | ${TODAY()} | **destroy not verified: vended and removed in a test, never applied** | \`destroyedMembers[0]\` |\n`,
    );
    // The next synth has nothing to keep, and no stack for the destroyed account; the matrix still lists it.
    expect(synth().stderr).toBe('');
    expect(existsSync(join(dir, 'out', 'stacks', 'member-666666666666'))).toBe(false);
    expect(readJson('evidence/control-matrix.json').destroyedAccounts.map((d: { accountId: string }) => d.accountId)).toEqual(['666666666666']);

    // Vended again, the account is a member once more; its history stays.
    const revend = baseline(['vend', '--account-id', '666666666666', '--name', 'payments', '--email', 'aws-payments@example.com', '--ou', 'Workloads']);
    expect(revend.status).toBe(0);
    expect(JSON.parse(revend.stdout).status).toBe('added');
    expect(parse(text()).members.map((m: { id: string }) => m.id)).toContain('666666666666');
    expect(parse(text()).destroyedMembers).toHaveLength(1);
  }, 300_000);

  test('a reason edited by hand reaches the control matrix at the next synth, though no stack changes', () => {
    expect(baseline(['remove', '--account-id', '555555555555', '--reason', REASON, '--yes']).status).toBe(0);
    expect(synth().status).toBe(0);
    expect(readJson('evidence/control-matrix.json').removedAccounts[0].reason).toBe(REASON);
    writeFileSync(join(dir, 'org.yaml'), text().replace(`reason: "${REASON}"`, 'reason: "closed after the Acme acquisition"'));
    const again = synth();
    expect(again.status).toBe(0);
    expect(readJson('changed-stacks.json')).toMatchObject({ added: [], changed: [] });
    expect(readJson('evidence/control-matrix.json').removedAccounts[0].reason).toBe('closed after the Acme acquisition');
  });

  test('remove --destroyed refuses while the local state holds resources, naming the file, and changes nothing', () => {
    expect(baseline(['remove', '--account-id', '555555555555', '--reason', REASON, '--yes']).status).toBe(0);
    const afterRemove = text();
    const stateFile = stateFileOf(STACK);
    expect(stateFile).toBe(join(dir, 'out', 'state', `terraform.${STACK}.tfstate`));
    writeFileSync(stateFile, JSON.stringify({ version: 4, resources: [{ mode: 'managed', type: 'aws_sns_topic', name: 'alerts', instances: [{}] }] }));

    const refused = baseline(['remove', '--account-id', '555555555555', '--destroyed', '--yes']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^error: out\/state\/terraform\.member-555555555555\.tfstate \(the local state of member-555555555555\) still holds 1 resource\(s\) \(aws_sns_topic\.alerts\): destroy the stack first/);
    expect(text()).toBe(afterRemove);
    expect(existsSync(stackFile(STACK))).toBe(true);

    // After the destroy, the state keeps data sources only.
    writeFileSync(stateFile, JSON.stringify({ version: 4, resources: [{ mode: 'data', type: 'aws_caller_identity', name: 'current', instances: [{}] }] }));
    const recorded = baseline(['remove', '--account-id', '555555555555', '--destroyed', '--yes']);
    expect(recorded.status).toBe(0);
    expect(JSON.parse(recorded.stdout)).toMatchObject({ status: 'destroyed', backend: 'local', stateChecked: true, destroyedOn: TODAY(), stateFileExists: true, uncheckedBecause: null, uncheckedReason: null });
    expect(recorded.stderr).toContain('holds no resource');
    expect(recorded.stderr).toContain(`its entry moved from removedMembers to destroyedMembers in org.yaml (destroyedOn ${TODAY()}, stateChecked: true)`);
    // Remove then --destroyed gives back the file as it was, but for the account, whose record ends it.
    expect(text()).toBe(
      ORIGINAL.slice(0, ORIGINAL.indexOf('  - id: "555555555555"')) +
        `destroyedMembers:\n  - id: "555555555555"\n    name: workloads-dev\n    removedOn: "${TODAY()}"\n    reason: "${REASON}"\n    destroyedOn: "${TODAY()}"\n    stateChecked: true\n`,
    );
    expect(existsSync(join(dir, 'out', 'stacks', STACK))).toBe(false);
  });

  test('remove --destroyed names an account that is not awaiting destroy; remove of a removed one says how to record its destroy', () => {
    const live = baseline(['remove', '--account-id', '555555555555', '--destroyed', '--yes']);
    expect(live).toMatchObject({ status: 1, stdout: '' });
    expect(live.stderr).toBe(
      'error: account 555555555555 is not in removedMembers: it is still in members; remove it first (baseline remove --account-id 555555555555 --reason WHY --config org.yaml --outdir out), let the pipeline\'s destroy job destroy its stack, then record that\n',
    );
    expect(baseline(['remove', '--account-id', '999999999999', '--destroyed', '--yes']).stderr).toBe(
      'error: account 999999999999 is not in removedMembers: there is no removal of it to record\n',
    );
    expect(text()).toBe(ORIGINAL);
    expect(baseline(['remove', '--account-id', '555555555555', '--reason', REASON, '--yes']).status).toBe(0);
    const again = baseline(['remove', '--account-id', '555555555555', '--reason', REASON, '--yes']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`account 555555555555 was removed on ${TODAY()} (it is in removedMembers)`);
    expect(again.stderr).toContain('record it with: baseline remove --account-id 555555555555 --destroyed --config org.yaml --outdir out\n');
  });

  test('vend of a removed account moves it back to members (its state still exists) and says so', () => {
    expect(baseline(['remove', '--account-id', '555555555555', '--reason', REASON, '--yes']).status).toBe(0);
    const vend = baseline(['vend', '--account-id', '555555555555', '--name', 'workloads-dev', '--email', 'aws-workloads-dev@example.com', '--ou', 'Workloads/NonProd']);
    expect(vend.status).toBe(0);
    expect(JSON.parse(vend.stdout)).toMatchObject({ status: 'restored', accountId: '555555555555', stack: STACK });
    expect(vend.stderr).toMatch(/^account 555555555555 moved back from removedMembers to members in org\.yaml;/);
    // The entry's own lines go back (its comment included): the file is as it was.
    expect(text()).toBe(ORIGINAL);
    expect(removedStacks()).toEqual([]);

    // With other data, the request's data is taken (no --update needed to undo a removal).
    expect(baseline(['remove', '--account-id', '555555555555', '--reason', REASON, '--yes']).status).toBe(0);
    const renamed = baseline(['vend', '--account-id', '555555555555', '--name', 'workloads-test', '--email', 'aws-workloads-dev@example.com', '--ou', 'Workloads/NonProd']);
    expect(renamed.status).toBe(0);
    expect(JSON.parse(renamed.stdout).status).toBe('restored');
    expect(renamed.stderr).toContain('(name: "workloads-dev" → "workloads-test")');
    expect(parse(text()).members.find((m: { id: string }) => m.id === '555555555555').name).toBe('workloads-test');
    expect(parse(text()).removedMembers).toBeUndefined();
  });

  test("vend and remove refuse an output folder holding another organization's stacks, before the config is written", () => {
    expect(synth({ BASELINE_STACKS: STACK }).status).toBe(0);
    writeFileSync(join(dir, 'other.yaml'), ORIGINAL.replace('o-exampleorg01', 'o-otherorg0001'));
    const before = readFileSync(join(dir, 'other.yaml'), 'utf8');
    const remove = baseline(['remove', '--account-id', '555555555555', '--reason', REASON, '--yes'], 'other.yaml');
    expect(remove.status).toBe(1);
    expect(remove.stderr).toMatch(/^error: out holds the stacks of organization o-exampleorg01 \(management account 111111111111, config org\.yaml\), not of o-otherorg0001/);
    const vend = baseline(['vend', '--account-id', '666666666666', '--name', 'x', '--email', 'x@example.com', '--ou', 'Root'], 'other.yaml');
    expect(vend.status).toBe(1);
    expect(readFileSync(join(dir, 'other.yaml'), 'utf8')).toBe(before);
  });
});

describe('remove --destroyed with S3 state checks the state with terraform (a stub terraform on PATH)', () => {
  const S3 = () => ORIGINAL.replace(/^state:\n(?: {2}.*\n)+/m, 'state:\n  backend: s3\n  bucket: example-tfstate\n  region: us-east-1\n  keyPrefix: soc2-baseline\n');
  let stubBin: string;
  let log: string;
  let list: string;

  beforeEach(() => {
    writeFileSync(join(dir, 'org.yaml'), S3());
    stubBin = join(dir, 'stub-bin');
    log = join(dir, 'terraform.log');
    list = join(dir, 'state-list.txt');
    mkdirSync(stubBin);
    // `terraform -chdir=DIR init ...` exits $STUB_INIT_RC (with an error like the S3 backend's on stderr);
    // `terraform -chdir=DIR state list ...` prints the file $STUB_LIST.
    writeFileSync(
      join(stubBin, 'terraform'),
      [
        '#!/bin/sh',
        'echo "$*" >> "$STUB_LOG"',
        'case "$2" in',
        '  init) if [ "${STUB_INIT_RC:-0}" != 0 ]; then echo "Error: error configuring S3 Backend: no valid credential sources found" >&2; fi; exit "${STUB_INIT_RC:-0}" ;;',
        '  state) cat "$STUB_LIST"; exit 0 ;;',
        'esac',
        'exit 2',
        '',
      ].join('\n'),
    );
    chmodSync(join(stubBin, 'terraform'), 0o755);
    expect(baseline(['remove', '--account-id', '555555555555', '--reason', REASON, '--yes']).status).toBe(0);
  });

  const stubEnv = (extra: Record<string, string> = {}) => ({ PATH: `${stubBin}${delimiter}${process.env.PATH}`, STUB_LOG: log, STUB_LIST: list, ...extra });
  const destroyed = (extra: string[] = [], environment = stubEnv()) => baseline(['remove', '--account-id', '555555555555', '--destroyed', ...extra, '--yes'], 'org.yaml', environment);
  const folder = () => join(realpathSync(dir), 'out', 'stacks', STACK);

  test('an empty state list: the destroy is recorded, checked', () => {
    writeFileSync(list, '');
    const r = destroyed();
    expect(r.status).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe(`-chdir=${folder()} init -input=false -no-color\n-chdir=${folder()} state list -no-color\n`);
    expect(JSON.parse(r.stdout)).toEqual({
      status: 'destroyed',
      accountId: '555555555555',
      stack: STACK,
      workingDirectory: `out/stacks/${STACK}`,
      backend: 's3',
      stateChecked: true,
      destroyedOn: TODAY(),
      state: `soc2-baseline/${STACK}.tfstate`,
      stateFileExists: null,
      uncheckedBecause: null,
      uncheckedReason: null,
    });
    expect(r.stderr).toContain(`its S3 state (soc2-baseline/${STACK}.tfstate) lists no resource (terraform state list).`);
    expect(existsSync(folder())).toBe(false);
    expect(parse(text()).removedMembers).toBeUndefined();
    expect(parse(text()).destroyedMembers).toEqual([
      { id: '555555555555', name: 'workloads-dev', removedOn: TODAY(), reason: REASON, destroyedOn: TODAY(), stateChecked: true },
    ]);
  });

  test('data sources only (in modules too) are no resources left', () => {
    writeFileSync(list, 'data.aws_caller_identity.current\nmodule.m.data.aws_region.this\n');
    expect(destroyed().status).toBe(0);
  });

  test('a state listing resources is refused, naming them, and nothing changes; --unchecked-reason does not let it through', () => {
    writeFileSync(list, 'aws_sns_topic.alerts\nmodule.flow.aws_flow_log.vpc["vpc-1"]\ndata.aws_caller_identity.current\naws_config_configuration_recorder.main\naws_cloudwatch_log_group.x\n');
    const before = text();
    for (const extra of [[], ['--unchecked-reason', 'the pipeline said it destroyed it']]) {
      const r = destroyed(extra);
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
      expect(r.stderr).toBe(
        `error: soc2-baseline/${STACK}.tfstate (the S3 state of ${STACK}) still holds 4 resource(s) (aws_sns_topic.alerts, module.flow.aws_flow_log.vpc["vpc-1"], aws_config_configuration_recorder.main, …): ` +
          `destroy the stack first (terraform -chdir=out/stacks/${STACK} destroy, or the pipeline's destroy job), then record it; nothing was changed\n`,
      );
      expect(text()).toBe(before);
      expect(existsSync(folder())).toBe(true);
    }
  });

  test('init failing, or no terraform at all, cannot check: refused, naming why and --unchecked-reason; with it, recorded with the reason', () => {
    writeFileSync(list, '');
    const before = text();
    const failing = destroyed([], stubEnv({ STUB_INIT_RC: '1' }));
    expect({ status: failing.status, stdout: failing.stdout }).toEqual({ status: 1, stdout: '' });
    expect(failing.stderr).toBe(
      `error: cannot check that the stack ${STACK} was destroyed: terraform -chdir=out/stacks/${STACK} init -input=false failed (exit 1): Error: error configuring S3 Backend: no valid credential sources found. ` +
        "Fix that and run this again, or, if you know the destroy ran (the pipeline's destroy job log), record it unchecked with " +
        'baseline remove --account-id 555555555555 --destroyed --unchecked-reason WHY --config org.yaml --outdir out; nothing was changed\n',
    );
    expect(text()).toBe(before);

    // A PATH with node and the shell tools bin/baseline uses, and no terraform.
    const bare = join(dir, 'bare-bin');
    mkdirSync(bare);
    for (const tool of ['sh', 'dirname', 'readlink', 'tr', 'cut', 'env']) {
      const found = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, tool)).find((f) => existsSync(f));
      if (found) symlinkSync(found, join(bare, tool));
    }
    symlinkSync(process.execPath, join(bare, 'node'));
    const noTerraform = destroyed([], { PATH: bare, STUB_LOG: log, STUB_LIST: list });
    expect(noTerraform.status).toBe(1);
    expect(noTerraform.stderr).toMatch(new RegExp(`^error: cannot check that the stack ${STACK} was destroyed: terraform is not on PATH\\. `));
    expect(text()).toBe(before);

    const tooShort = destroyed(['--unchecked-reason', 'trust me'], stubEnv({ STUB_INIT_RC: '1' }));
    expect(tooShort.status).toBe(2);
    expect(tooShort.stderr).toMatch(/^error: --unchecked-reason: must say why the destroy may be recorded though its state cannot be checked, at least 10 characters/);

    const recorded = destroyed(['--unchecked-reason', 'destroy job 4711 ran; plan role cannot read state here'], stubEnv({ STUB_INIT_RC: '1' }));
    expect(recorded.status).toBe(0);
    expect(JSON.parse(recorded.stdout)).toMatchObject({
      status: 'destroyed',
      backend: 's3',
      stateChecked: false,
      uncheckedBecause: expect.stringMatching(/^terraform -chdir=out\/stacks\/member-555555555555 init -input=false failed \(exit 1\)/),
      uncheckedReason: 'destroy job 4711 ran; plan role cannot read state here',
    });
    expect(recorded.stderr).toContain('its state was NOT checked (terraform -chdir=out/stacks/member-555555555555 init -input=false failed (exit 1)');
    expect(recorded.stderr).toContain('recorded for the reason given: destroy job 4711 ran; plan role cannot read state here');
    expect(parse(text()).destroyedMembers).toEqual([
      {
        id: '555555555555',
        name: 'workloads-dev',
        removedOn: TODAY(),
        reason: REASON,
        destroyedOn: TODAY(),
        stateChecked: false,
        uncheckedReason: 'destroy job 4711 ran; plan role cannot read state here',
      },
    ]);
    expect(existsSync(folder())).toBe(false);
    expect(dirname(folder())).toBe(join(realpathSync(dir), 'out', 'stacks'));
  });
});

describe('remove needs a reason, and its hints repeat --config and --outdir', () => {
  test('remove without --reason, or a too short one, is a usage error naming --reason; nothing changes', () => {
    const missing = baseline(['remove', '--account-id', '555555555555', '--yes']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: --reason: is required: say why the account leaves the baseline \(at least 10 characters\): auditors will ask\n/);
    const short = baseline(['remove', '--account-id', '555555555555', '--reason', ' closed  ', '--yes']);
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/^error: --reason: must say why the account leaves the baseline, at least 10 characters: auditors will ask \(got " closed  "\)\n/);
    expect(baseline(['remove', '--account-id', '555555555555', '--unchecked-reason', 'not for a removal', '--reason', REASON, '--yes']).stderr).toMatch(
      /^error: --unchecked-reason: only with --destroyed\n/,
    );
    expect(text()).toBe(ORIGINAL);
  });

  test('a hand-edited removedMembers entry without a reason is refused with its path and line', () => {
    const start = ORIGINAL.indexOf('  - id: "555555555555"');
    writeFileSync(join(dir, 'org.yaml'), `${ORIGINAL.slice(0, start)}removedMembers:\n${ORIGINAL.slice(start)}    removedOn: "2026-12-01"\n`);
    const line = readFileSync(join(dir, 'org.yaml'), 'utf8').split('\n').indexOf('removedMembers:') + 2;
    const r = synth();
    expect(r.status).toBe(1);
    // The entry's "- id" line: config/load.ts says "is required" for any missing field.
    expect(r.stderr).toContain(`  removedMembers[0].reason: is required (line ${line})\n`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  test('the printed destroy and --destroyed commands carry --config and --outdir as given (quoted when needed)', () => {
    writeFileSync(join(dir, 'r 1.yaml'), ORIGINAL);
    const r = spawnSync(BIN, ['remove', '--account-id', '555555555555', '--reason', REASON, '--yes', '--config', 'r 1.yaml', '--outdir', 'out-r'], { cwd: dir, env: env(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`by hand: terraform -chdir=out-r/stacks/${STACK} init && terraform -chdir=out-r/stacks/${STACK} destroy\n`);
    expect(r.stderr).toContain(`Once it has run, record it: baseline remove --account-id 555555555555 --destroyed --config 'r 1.yaml' --outdir out-r\n`);
    const again = spawnSync(BIN, ['remove', '--account-id', '555555555555', '--reason', REASON, '--yes', '--config', 'r 1.yaml', '--outdir', 'out-r'], { cwd: dir, env: env(), encoding: 'utf8' });
    expect(again.stderr).toContain(`record it with: baseline remove --account-id 555555555555 --destroyed --config 'r 1.yaml' --outdir out-r\n`);
    // Without them, none are added: the defaults apply again.
    const plain = spawnSync(BIN, ['remove', '--account-id', '555555555555', '--reason', REASON, '--yes'], { cwd: dir, env: env({ BASELINE_CONFIG: 'org.yaml' }), encoding: 'utf8' });
    expect(plain.status).toBe(0);
    expect(plain.stderr).toContain(`Once it has run, record it: baseline remove --account-id 555555555555 --destroyed\n`);
  });
});
