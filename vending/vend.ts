/**
 * Account vending: add an account to the org config and synthesize only its stack (and any stack
 * that reads the member list), so a pipeline can apply it. The YAML document is edited in place
 * (comments, layout and line endings kept), the whole config is validated before anything is written,
 * and the write is atomic (temporary file, then rename). Vend and remove hold the config's lock
 * (config-lock.ts) from the read to the end of the synth, so concurrent runs apply one after another.
 * The result names every stack whose files changed.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { ConfigError, parseConfigYaml } from '../config/load';
import { allStackNames, memberStackName, stateKey } from '../config/naming';
import type { BaselineConfig, MemberAccount } from '../config/schema';
import { membersReaders, synthesizeInProcess } from '../synth/parallel-synth';
import { labelOf, VendingError, type AccountRequest, type RequestField } from './account-sources';
import { withConfigLock } from './config-lock';
import { appendMember, removeMember, replaceMember, type MemberEntry } from './members-yaml';

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
  readonly status: 'added' | 'updated' | 'unchanged';
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

function readConfig(configFile: string): { text: string; config: BaselineConfig } {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (e) {
    throw new VendingError(`${configFile}: cannot read the config: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return { text, config: validated(text, configFile, 'the config is invalid before vending; fix it first') };
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
export function synthesizeAccountStack(
  config: BaselineConfig,
  accountId: string,
  outdir = 'cdktf.out',
  /** Whether the stacks that read the member list are synthesized too (not for a stack about to be destroyed). */
  withReaders = true,
): SynthesizedLocation {
  const stack = memberStackName(accountId);
  const { readers, unknown } = withReaders ? membersReaders(config, outdir) : { readers: [], unknown: [] };
  const wanted = new Set([stack, ...readers]);
  const report = synthesizeInProcess(config, {
    stacks: allStackNames(config).filter((name) => wanted.has(name)),
    // Probing every member's stack would cost as much as a full synth; `make synth` observes them.
    probe: unknown.filter((name) => !name.startsWith(memberStackName(''))),
    outdir,
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
  const { text, config } = readConfig(options.configFile);
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
        throw new VendingError(`${labelOf(request, field)}: is required for a new account${hint}`);
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
    } else if (!options.update) {
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
    writeAtomically(options.configFile, updated);
  }
  return { ...synthesizeAccountStack(next, request.id, options.outdir), status, changes };
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
  const { config } = readConfig(configFile);
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
  /** @default "cdktf.out" */
  readonly outdir?: string;
  /** @default DEFAULT_LOCK_TIMEOUT_SECONDS (120) */
  readonly lockTimeoutSeconds?: number;
}

/**
 * Takes an account out of the config. Its stack is synthesized first, from the config that still has
 * it, so the pipeline can `terraform destroy` in that directory; the core accounts cannot be removed.
 */
export function removeAccount(options: RemoveOptions): StackLocation {
  return withConfigLock(options.configFile, { timeoutSeconds: options.lockTimeoutSeconds }, () => removeLocked(options));
}

function removeLocked(options: RemoveOptions): StackLocation {
  const { text, config } = readConfig(options.configFile);
  if (!config.members.some((m) => m.id === options.accountId)) {
    throw new VendingError(`account ${options.accountId} is not in the config`);
  }
  const org = config.organization;
  const core: Record<string, string> = {
    [org.managementAccountId]: 'management',
    [org.logArchiveAccountId]: 'log-archive',
    [org.auditAccountId]: 'audit',
  };
  if (core[options.accountId]) {
    throw new VendingError(`account ${options.accountId} is the ${core[options.accountId]} account: it cannot leave the baseline`);
  }
  const updated = removeMember(text, options.accountId);
  validated(updated, options.configFile, `account ${options.accountId} cannot be removed`);
  const location = synthesizeAccountStack(config, options.accountId, options.outdir, false);
  writeAtomically(options.configFile, updated);
  return location;
}
