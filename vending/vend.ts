/**
 * Account vending: add an account to the org config and synthesize only its stack (and any stack
 * that reads the member list), so a pipeline can apply it. The YAML document is edited in place
 * (comments, layout and line endings kept), the whole config is validated before anything is written,
 * and the write is atomic (temporary file, then rename). Vend and remove hold the config's lock
 * (config-lock.ts) from the read to the end of the synth, so concurrent runs apply one after another.
 * The result names every stack whose files changed.
 *
 * Removal has two steps: `remove` moves the account's entry to `removedMembers` (its stack is still
 * synthesized, for the pipeline's destroy job, and applied by nothing), and `remove --destroyed`, once
 * the destroy has run, moves the entry to `destroyedMembers` (a history: id, name, removal date and
 * reason, destroy date, whether the state was checked) and deletes the stack's folder. A vend of a
 * removed account moves it back to `members`; a vend of a destroyed one adds it anew, its history kept.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ConfigError, parseConfigYaml } from '../config/load';
import { allStackNames, memberStackName, stateKey, synthStackNames } from '../config/naming';
import type { BaselineConfig, MemberAccount } from '../config/schema';
import { CONTROL_MATRIX_JSON, EVIDENCE_DIR, writeControlMatrix } from '../controls/write-matrix';
import { CHANGED_STACKS_FILE, writeIfChanged, writeRemovedStacks } from '../synth/output-tree';
import { checkOutdirOwner, OutdirOwnerError, recordOutdirOwner } from '../synth/outdir-owner';
import { membersReaders, removedStacks, synthesizeInProcess } from '../synth/parallel-synth';
import { labelOf, VendingError, type AccountRequest, type RequestField } from './account-sources';
import { withConfigLock } from './config-lock';
import { appendMember, moveToDestroyed, moveToRemoved, replaceMember, restoreRemoved, type MemberEntry } from './members-yaml';

export interface StackLocation {
  readonly accountId: string;
  readonly stack: string;
  /** The stack's Terraform working directory, relative to the current directory. */
  readonly workingDirectory: string;
  /** The S3 state key, when the config uses the S3 backend. */
  readonly stateKey: string | null;
}

export interface SynthesizedLocation extends StackLocation {
  /**
   * Every stack whose files in the output folder this changed (added or rewritten), in synth order:
   * what the pipeline plans and applies. Also written to `<outdir>/changed-stacks.json`.
   */
  readonly changedStacks: readonly string[];
}

export interface VendResult extends SynthesizedLocation {
  /** `restored`: the account was in `removedMembers` (its stack not destroyed yet) and is back in `members`. */
  readonly status: 'added' | 'updated' | 'unchanged' | 'restored';
  /** What changed for an existing account, as `field: old → new`. */
  readonly changes: readonly string[];
}

export interface VendOptions {
  readonly configFile: string;
  readonly request: AccountRequest;
  /**
   * Whether an account already in the config may be changed.
   * @default false: different data for a known id is an error
   */
  readonly update?: boolean;
  /**
   * Where the stack is synthesized.
   * @default "cdktf.out"
   */
  readonly outdir?: string;
  /**
   * How long to wait for another vend or remove of the same config to finish (it holds the lock).
   * @default DEFAULT_LOCK_TIMEOUT_SECONDS (120)
   */
  readonly lockTimeoutSeconds?: number;
}

const FIELDS = ['name', 'email', 'ou', 'regions', 'tags'] as const;

/**
 * A new account lacks a field its source must give. `label` names where it should have come from: an
 * option (`--ou`: the command line is wrong, a usage error) or a field of the input file.
 */
export class MissingFieldError extends VendingError {
  constructor(
    readonly label: string,
    message: string,
  ) {
    super(message);
    this.name = 'MissingFieldError';
  }
}

/** `readConfig`'s refusal of an invalid config says what cannot be done until it is fixed. */
type ConfigUse = 'vend' | 'list' | 'remove';
const INVALID_CONFIG: Readonly<Record<ConfigUse, string>> = {
  vend: 'the config is invalid before vending; fix it first',
  list: 'the config is invalid, so its accounts cannot be listed; fix it first',
  remove: 'the config is invalid, so no account can be removed; fix it first',
};

function readConfig(configFile: string, use: ConfigUse): { text: string; config: BaselineConfig } {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (e) {
    throw new VendingError(`${configFile}: cannot read the config: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return { text, config: validated(text, configFile, INVALID_CONFIG[use]) };
}

function validated(text: string, file: string, context: string, describe: (problem: string) => string = (p) => p): BaselineConfig {
  try {
    return parseConfigYaml(text, file);
  } catch (e) {
    if (e instanceof ConfigError) throw new VendingError(`${context}:\n${e.problems.map((p) => `  ${describe(p)}`).join('\n')}`);
    throw e;
  }
}

const ENTRY_PROBLEM = /^members\[(\d+)\]\.(\w+)(\S*): ([\s\S]*)$/;

/**
 * A problem of the config as the vend would write it, told as the request's own: a problem with the
 * vended entry (`members[5].id`) names where the field came from (`--account-id`,
 * `aft.control_tower_parameters.AccountEmail`). Line numbers are dropped: they are lines of a file
 * that was never written. (The config was valid before the edit, so every problem is the edit's.)
 */
function requestProblem(request: AccountRequest, index: number): (problem: string) => string {
  return (problem) => {
    const text = problem.replace(/ \(line \d+\)$/, '');
    const match = ENTRY_PROBLEM.exec(text);
    if (!match || Number(match[1]) !== index || !(['id', ...FIELDS] as string[]).includes(match[2])) return text;
    const [, , field, rest, message] = match;
    const label = labelOf(request, field as RequestField);
    if (!label.startsWith('--')) return `${label}${rest}: ${message}`;
    // An option holds the whole list or map: name the tag key; a Region's messages name the Region.
    return `${label}${field === 'tags' && rest.startsWith('.') ? ` ${rest.slice(1)}` : ''}: ${message}`;
  };
}

/** A member as the file holds it, fields in their usual order. */
function entryOf(member: MemberAccount): MemberEntry {
  const { id, name, email, ou, regions, tags, ...rest } = member;
  return {
    id,
    name,
    email,
    ou,
    ...(regions ? { regions } : {}),
    ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Whether a requested field is what the config holds. Region lists are sets (the baseline covers the
 * same Regions in any order) and tags are maps (key order means nothing): `vend` of a known account
 * with its Regions in another order is "unchanged", not "other data".
 */
function same(field: (typeof FIELDS)[number], a: unknown, b: unknown): boolean {
  if (field === 'regions' && Array.isArray(a) && Array.isArray(b)) {
    const [x, y] = [new Set(a), new Set(b)];
    return x.size === y.size && [...x].every((r) => y.has(r));
  }
  if (field === 'tags' && a && b && typeof a === 'object' && typeof b === 'object') {
    const sorted = (o: object) => JSON.stringify(Object.entries(o).sort(([k], [l]) => (k < l ? -1 : k > l ? 1 : 0)));
    return sorted(a) === sorted(b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Refuses (before the config is written) an output folder that holds another organization's stacks
 * (synth/outdir-owner.ts).
 */
function checkOutdir(config: BaselineConfig, outdir: string, configFile?: string): void {
  try {
    checkOutdirOwner(config, outdir, configFile);
  } catch (e) {
    if (e instanceof OutdirOwnerError) throw new VendingError(e.message);
    throw e;
  }
}

/** `words` as a shell command line, each quoted when the shell would split or expand it. */
export function commandLine(words: readonly string[]): string {
  return words.map((w) => (/^[\w./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Today's date in UTC, YYYY-MM-DD: a removal's `removedOn`. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Replaces the file's content in one step (a reader never sees half a file), keeping its mode; a
 * symbolic link is followed, so the link stays a link to the edited file.
 */
function writeAtomically(configFile: string, text: string): void {
  const file = realpathSync(configFile);
  const mode = statSync(file).mode & 0o7777;
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'w', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}

/**
 * Synthesizes the account's stack, and the stacks whose output depends on the member list, which a
 * change to the list can change; no other stack can (see synth/stack-inputs.ts). Which stacks read the
 * list is what the last synth into `outdir` observed; a stack other than a member's not observed yet
 * (`management`, in a fresh output folder) is built to find out, and kept only if it reads the list.
 * Says where the account's stack is and which stacks changed.
 */
export function synthesizeAccountStack(config: BaselineConfig, accountId: string, outdir = 'cdktf.out', configFile?: string): SynthesizedLocation {
  const stack = memberStackName(accountId);
  checkOutdir(config, outdir, configFile);
  const { readers, unknown } = membersReaders(config, outdir);
  const wanted = new Set([stack, ...readers]);
  const report = synthesizeInProcess(config, {
    stacks: synthStackNames(config).filter((name) => wanted.has(name)),
    // Probing every member's stack would cost as much as a full synth; `make synth` observes them.
    probe: unknown.filter((name) => !name.startsWith(memberStackName(''))),
    outdir,
    configFile,
  });
  const { stacks } = report;
  const changed = new Set([...report.added, ...report.changed]);
  return {
    accountId,
    stack,
    workingDirectory: relative(process.cwd(), join(outdir, 'stacks', stack)) || '.',
    stateKey: stateKey(config, stack) ?? null,
    changedStacks: stacks.filter((name) => changed.has(name)),
  };
}

/**
 * Adds (or, with `update`, changes) an account in the config and synthesizes its stack, holding the
 * config's lock throughout. Throws `VendingError` (a `ConfigLockError` when the lock wait times out).
 */
export function vendAccount(options: VendOptions): VendResult {
  return withConfigLock(options.configFile, { timeoutSeconds: options.lockTimeoutSeconds }, () => vendLocked(options));
}

function vendLocked(options: VendOptions): VendResult {
  const { request } = options;
  const read = readConfig(options.configFile, 'vend');
  let { text, config } = read;
  // A removed account whose stack is not destroyed yet comes back: its state still exists.
  const restored = config.removedMembers.some((m) => m.id === request.id);
  if (restored) {
    text = restoreRemoved(text, request.id);
    config = validated(text, options.configFile, `account ${request.id} cannot be vended`, requestProblem(request, config.members.length));
  }
  const index = config.members.findIndex((m) => m.id === request.id);
  const existing = index < 0 ? undefined : config.members[index];
  // Only what differs is written: a known account keeps its own order of Regions and tags.
  const provided = Object.fromEntries(
    FIELDS.filter((f) => request[f] !== undefined && !(existing && same(f, request[f], existing[f]))).map((f) => [f, request[f]]),
  );
  let status: VendResult['status'];
  const changes: string[] = [];
  let updated = text;

  if (!existing) {
    for (const field of ['name', 'email', 'ou'] as const) {
      if (request[field] === undefined) {
        const hint = request.source === 'control-tower' && field === 'email' ? ' (the Control Tower event carries none: pass --email)' : '';
        throw new MissingFieldError(labelOf(request, field), `${labelOf(request, field)}: is required for a new account${hint}`);
      }
    }
    // A newly created account joined after the baseline turned Macie's auto-enable on in every governed
    // Region, which made it a member there: its stack must not CreateMember again (see
    // modules/security-services/macie-membership.ts).
    const autoEnabled = request.createdInOrganization
      ? { macieAutoEnabledRegions: [...((provided.regions as readonly string[] | undefined) ?? config.regions.governed)] }
      : {};
    updated = appendMember(text, entryOf({ id: request.id, ...provided, ...autoEnabled } as MemberAccount));
    status = 'added';
  } else {
    for (const field of FIELDS) {
      const wanted = request[field];
      if (wanted !== undefined && !same(field, wanted, existing[field])) {
        changes.push(`${field}: ${JSON.stringify(existing[field] ?? null)} → ${JSON.stringify(wanted)}`);
      }
    }
    if (changes.length === 0) {
      status = 'unchanged';
    } else if (!options.update && !restored) {
      throw new VendingError(
        `account ${request.id} is already in the config with other data (${changes.join('; ')}); pass --update to change it`,
      );
    } else {
      updated = replaceMember(text, request.id, entryOf({ ...existing, ...provided } as MemberAccount));
      status = 'updated';
    }
  }

  let next = config;
  if (status !== 'unchanged') {
    next = validated(
      updated,
      options.configFile,
      `account ${request.id} cannot be vended`,
      requestProblem(request, existing ? index : config.members.length),
    );
  }
  const outdir = options.outdir ?? 'cdktf.out';
  if (updated !== read.text) {
    checkOutdir(next, outdir, options.configFile);
    writeAtomically(options.configFile, updated);
  }
  return { ...synthesizeAccountStack(next, request.id, outdir, options.configFile), status: restored ? 'restored' : status, changes };
}

/** One account as `list` gives it: every field always present, each with one type (`list --json`). */
export interface AccountListing {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly ou: string;
  /** The Regions its member baseline covers: its own `regions`, or else every governed Region. */
  readonly regions: readonly string[];
  /** Whether `regions` is the default, every governed Region (the entry lists none: it follows `regions.governed`). */
  readonly allGovernedRegions: boolean;
  readonly stack: string;
  /** Its part in the organization: one of the three core accounts, or `member`. */
  readonly role: 'management' | 'log-archive' | 'audit' | 'member';
}

export function listAccounts(configFile: string): AccountListing[] {
  const { config } = readConfig(configFile, 'list');
  const org = config.organization;
  const roles: Record<string, AccountListing['role']> = {
    [org.managementAccountId]: 'management',
    [org.logArchiveAccountId]: 'log-archive',
    [org.auditAccountId]: 'audit',
  };
  return config.members.map((m) => ({
    id: m.id,
    name: m.name,
    email: m.email,
    ou: m.ou,
    regions: [...(m.regions ?? config.regions.governed)],
    allGovernedRegions: m.regions === undefined,
    stack: memberStackName(m.id),
    role: roles[m.id] ?? 'member',
  }));
}

export interface RemoveOptions {
  readonly configFile: string;
  readonly accountId: string;
  /** Why the account leaves the baseline (`removedMembers[].reason`, at least 10 characters). */
  readonly reason: string;
  /** @default "cdktf.out" */
  readonly outdir?: string;
  /** @default DEFAULT_LOCK_TIMEOUT_SECONDS (120) */
  readonly lockTimeoutSeconds?: number;
  /**
   * The options a command this prints must repeat to act on the same config and output folder
   * (`--config FILE --outdir DIR`, as the user gave them).
   * @default none
   */
  readonly hintOptions?: readonly string[];
}

export interface RemoveResult extends SynthesizedLocation {
  /** The `removedOn` date written to its `removedMembers` entry (UTC, YYYY-MM-DD). */
  readonly removedOn: string;
}

function coreRole(config: BaselineConfig, accountId: string): string | undefined {
  const org = config.organization;
  const roles: Record<string, string> = { [org.managementAccountId]: 'management', [org.logArchiveAccountId]: 'log-archive', [org.auditAccountId]: 'audit' };
  return roles[accountId];
}

/**
 * Takes an account out of the baseline: moves its entry from `members` to `removedMembers` (with
 * today's date), then synthesizes its stack, which the pipeline's destroy job destroys, and the stacks
 * that read the member list. The core accounts cannot be removed.
 */
export function removeAccount(options: RemoveOptions): RemoveResult {
  return withConfigLock(options.configFile, { timeoutSeconds: options.lockTimeoutSeconds }, () => removeLocked(options));
}

function removeLocked(options: RemoveOptions): RemoveResult {
  const { accountId: id, configFile } = options;
  const outdir = options.outdir ?? 'cdktf.out';
  const { text, config } = readConfig(configFile, 'remove');
  if (!config.members.some((m) => m.id === id)) {
    const removed = config.removedMembers.find((m) => m.id === id);
    if (removed) {
      throw new VendingError(
        `account ${id} was removed on ${removed.removedOn} (it is in removedMembers): its stack awaits the pipeline's destroy job; once that has run, record it with: ${commandLine(['baseline', 'remove', '--account-id', id, '--destroyed', ...(options.hintOptions ?? [])])}`,
      );
    }
    throw new VendingError(`account ${id} is not in the config`);
  }
  const role = coreRole(config, id);
  if (role) throw new VendingError(`account ${id} is the ${role} account: it cannot leave the baseline`);
  const removedOn = todayUtc();
  const updated = moveToRemoved(text, id, removedOn, options.reason.trim());
  const next = validated(updated, configFile, `account ${id} cannot be removed`);
  checkOutdir(next, outdir, configFile);
  writeAtomically(configFile, updated);
  return { ...synthesizeAccountStack(next, id, outdir, configFile), removedOn };
}

export interface DestroyedResult {
  readonly accountId: string;
  readonly stack: string;
  /** The stack's folder, now deleted (relative to the current directory). */
  readonly workingDirectory: string;
  /** The config's state backend. */
  readonly backend: 'local' | 's3';
  /**
   * Whether the stack's state was read and holds no managed resource: local state, its file; S3
   * state, `terraform init` and `terraform state list` in the stack's folder. False only with
   * `uncheckedReason`.
   */
  readonly stateChecked: boolean;
  /** The `destroyedOn` date written to its `destroyedMembers` entry (UTC, YYYY-MM-DD). */
  readonly destroyedOn: string;
  /** The local state file (relative to the current directory), or the S3 state key. */
  readonly state: string;
  /** Whether the local state file exists; null with S3. */
  readonly stateFileExists: boolean | null;
  /** Why the state could not be checked, when it could not (then `uncheckedReason` let the record through). */
  readonly uncheckedBecause: string | null;
  /** The operator's `--unchecked-reason`, when the state could not be checked; else null. */
  readonly uncheckedReason: string | null;
}

export interface DestroyedOptions extends Omit<RemoveOptions, 'reason'> {
  /**
   * Records the destroy though the state cannot be checked (no terraform, `terraform init` failing, no
   * local state file), for this reason (at least 10 characters). A state that lists resources is
   * refused all the same.
   * @default none: a state that cannot be checked is refused
   */
  readonly uncheckedReason?: string;
}

/**
 * Where a stack's local state is: the path its `cdk.tf.json` gives the local backend, resolved from
 * the stack's folder (where Terraform runs), or Terraform's default `terraform.tfstate` there when it
 * names none ("path - (Optional) The path to the tfstate file. This defaults to "terraform.tfstate"
 * relative to the root module by default.": https://developer.hashicorp.com/terraform/language/backend/local).
 */
function localStatePath(stackDir: string): string {
  const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: { local?: { path?: string } } } };
  return resolve(stackDir, json.terraform?.backend?.local?.path ?? 'terraform.tfstate');
}

/**
 * The managed resources a state file still holds. Unverified: the state file's format is internal to
 * Terraform and undocumented; version 4 files list `resources`, each with its `mode` ("managed" or
 * "data") and `instances`, and a destroyed stack's state has no managed instance left.
 */
function managedResources(stateFile: string): string[] {
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { resources?: { mode?: string; type?: string; name?: string; instances?: unknown[] }[] };
  return (state.resources ?? []).filter((r) => r.mode !== 'data' && (r.instances ?? []).length > 0).map((r) => `${r.type}.${r.name}`);
}

/** The state could not be read: why, for the refusal and the record. */
class UncheckedState extends Error {}

/** The last lines of a command's output, on one line: enough to say why it failed. */
function tail(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.slice(-3).join(' / ').slice(0, 400);
}

/**
 * The managed resources the stack's state lists, read by Terraform itself with the operator's
 * credentials (those the pipeline's destroy job uses): `terraform -chdir=<folder> init -input=false`,
 * then `terraform -chdir=<folder> state list`, which "lists resources within a Terraform state ... If
 * no addresses are given, all resources are listed", one address a line
 * (https://developer.hashicorp.com/terraform/cli/commands/state/list). `-chdir` runs the command in
 * the stack's folder (https://developer.hashicorp.com/terraform/cli/commands#switching-working-directory-with-chdir);
 * `-input=false` fails instead of asking (https://developer.hashicorp.com/terraform/cli/commands/init#general-options).
 * Data sources (`data.<type>.<name>`, inside modules too) are not resources left to destroy. Unverified:
 * whether `state list` lists data sources at all (the page does not say); they are left out either way.
 * Throws `UncheckedState` when terraform is missing or either command fails.
 */
function listedResources(folder: string, shownFolder: string): string[] {
  const run = (args: string[]) => spawnSync('terraform', [`-chdir=${folder}`, ...args], { encoding: 'utf8', env: { ...process.env, TF_INPUT: '0' }, maxBuffer: 64 * 1024 * 1024 });
  const init = run(['init', '-input=false', '-no-color']);
  if (init.error) {
    const code = (init.error as NodeJS.ErrnoException).code;
    throw new UncheckedState(code === 'ENOENT' ? 'terraform is not on PATH' : `terraform could not be run (${code ?? init.error.message})`);
  }
  if (init.status !== 0) throw new UncheckedState(`terraform -chdir=${shownFolder} init -input=false failed (exit ${init.status}): ${tail(init.stderr || init.stdout)}`);
  const list = run(['state', 'list', '-no-color']);
  if (list.error || list.status !== 0) {
    throw new UncheckedState(`terraform -chdir=${shownFolder} state list failed (exit ${list.status ?? 'none'}): ${tail(list.stderr || list.stdout || String(list.error ?? ''))}`);
  }
  return list.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((address) => address !== '' && !address.replace(/^(module\.[^.[]+(\[[^\]]*\])?\.)*/, '').startsWith('data.'));
}

/**
 * Records that the pipeline destroyed a removed account's stack: moves its `removedMembers` entry to
 * `destroyedMembers` (with today's date and whether the state was checked), deletes its folder and rewrites `removed-stacks.json` and `changed-stacks.json`, once the stack's
 * state holds no managed resource (local state: its file; S3 state: `terraform state list`). A state
 * that cannot be checked is refused unless `uncheckedReason` says why the record may go ahead.
 */
export function recordDestroyed(options: DestroyedOptions): DestroyedResult {
  return withConfigLock(options.configFile, { timeoutSeconds: options.lockTimeoutSeconds }, () => destroyedLocked(options));
}

function destroyedLocked(options: DestroyedOptions): DestroyedResult {
  const { accountId: id, configFile } = options;
  const outdir = resolve(options.outdir ?? 'cdktf.out');
  const { text, config } = readConfig(configFile, 'remove');
  const hint = options.hintOptions ?? [];
  if (!config.removedMembers.some((m) => m.id === id)) {
    const still = config.members.some((m) => m.id === id);
    throw new VendingError(
      still
        ? `account ${id} is not in removedMembers: it is still in members; remove it first (${commandLine(['baseline', 'remove', '--account-id', id, '--reason', 'WHY', ...hint])}), let the pipeline's destroy job destroy its stack, then record that`
        : `account ${id} is not in removedMembers: there is no removal of it to record`,
    );
  }
  const stack = memberStackName(id);
  const folder = join(outdir, 'stacks', stack);
  const shown = (path: string) => relative(process.cwd(), path) || '.';
  checkOutdir(config, outdir, configFile);
  // The state is where the synthesized stack's backend says: synthesize the stack when missing.
  if (!existsSync(join(folder, 'cdk.tf.json'))) synthesizeInProcess(config, { stacks: [stack], outdir, configFile });
  let state: string;
  let stateFileExists: boolean | null = null;
  let left: string[] = [];
  let uncheckedBecause: string | null = null;
  if (config.state.backend === 'local') {
    const stateFile = localStatePath(folder);
    state = shown(stateFile);
    stateFileExists = existsSync(stateFile);
    if (stateFileExists) left = managedResources(stateFile);
    else uncheckedBecause = `there is no local state file ${state}: the state of ${stack} is elsewhere (another checkout, a state file not moved into the output folder), or nothing was ever applied from here`;
  } else {
    state = stateKey(config, stack)!;
    try {
      left = listedResources(folder, shown(folder));
    } catch (e) {
      if (!(e instanceof UncheckedState)) throw e;
      uncheckedBecause = e.message;
    }
  }
  if (left.length > 0) {
    throw new VendingError(
      `${state} (the ${config.state.backend === 'local' ? 'local ' : 'S3 '}state of ${stack}) still holds ${left.length} resource(s) (${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''}): destroy the stack first (terraform -chdir=${shown(folder)} destroy, or the pipeline's destroy job), then record it; nothing was changed`,
    );
  }
  const uncheckedReason = uncheckedBecause === null ? null : (options.uncheckedReason?.trim() ?? null);
  if (uncheckedBecause !== null && uncheckedReason === null) {
    throw new VendingError(
      `cannot check that the stack ${stack} was destroyed: ${uncheckedBecause}. Fix that and run this again, or, if you know the destroy ran (the pipeline's destroy job log), record it unchecked with ${commandLine(['baseline', 'remove', '--account-id', id, '--destroyed', '--unchecked-reason', 'WHY', ...hint])}; nothing was changed`,
    );
  }
  const destroyedOn = todayUtc();
  const updated = moveToDestroyed(text, id, { destroyedOn, stateChecked: uncheckedBecause === null, ...(uncheckedReason === null ? {} : { uncheckedReason }) });
  const next = validated(updated, configFile, `the destroy of account ${id}'s stack cannot be recorded`);
  writeAtomically(configFile, updated);
  rmSync(folder, { recursive: true, force: true });
  recordOutdir(next, outdir, configFile, stack);
  return {
    accountId: id,
    stack,
    workingDirectory: shown(folder),
    backend: config.state.backend,
    stateChecked: uncheckedBecause === null,
    destroyedOn,
    state,
    stateFileExists,
    uncheckedBecause,
    uncheckedReason,
  };
}

/** After a recorded destroy: `removed-stacks.json`, `changed-stacks.json` and the control matrix without the stack. */
function recordOutdir(config: BaselineConfig, outdir: string, configFile: string, stack: string): void {
  if (!existsSync(outdir)) return;
  recordOutdirOwner(config, outdir, configFile);
  const removed = removedStacks(config);
  writeRemovedStacks(outdir, removed);
  // The matrix lists the removed and destroyed accounts: this one moves from the one list to the other.
  if (existsSync(join(outdir, EVIDENCE_DIR, CONTROL_MATRIX_JSON))) writeControlMatrix(config, outdir, allStackNames(config));
  const file = join(outdir, CHANGED_STACKS_FILE);
  if (!existsSync(file)) return;
  const changed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const report = {
    ...changed,
    removed: removed.map((r) => r.name),
    orphaned: Array.isArray(changed.orphaned) ? changed.orphaned.filter((name) => name !== stack) : [],
  };
  writeIfChanged(file, `${JSON.stringify(report, null, 2)}\n`);
}
