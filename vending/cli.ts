/**
 * The account-vending commands of `bin/baseline`: `vend`, `list` and `remove`, declared as CliCommands
 * (bin/cli-command.ts), so that their help is generated from the same declarations they parse.
 *
 * Options are checked here, before the config is read, with the config schema's own rules: a bad
 * `--account-id` is a usage error naming the option (exit 2), not a problem at a line of the config.
 * Problems that depend on the config (a Region it does not govern, a root email another account has)
 * are refusals (exit 1), still named by option.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { z } from 'zod';
import { CommandError, UsageError, type CliCommand, type CliOption, type CliValues } from '../bin/cli-command';
import { configPath } from '../config/load';
import { accountIdSchema, memberSchema, regionSchema, removalReasonSchema } from '../config/schema';
import {
  fromAftRequest,
  fromControlTowerEvent,
  OPTION_LABELS,
  parseRegionList,
  parseTags,
  VendingError,
  type AccountRequest,
} from './account-sources';
import { DEFAULT_LOCK_TIMEOUT_SECONDS } from './config-lock';
import { commandLine, listAccounts, MissingFieldError, recordDestroyed, removeAccount, vendAccount } from './vend';

const CONFIG: CliOption = {
  name: 'config',
  type: 'string',
  placeholder: 'FILE',
  description: 'The org config. Default: $BASELINE_CONFIG, else baseline.config.yaml.',
};
const OUTDIR: CliOption = {
  name: 'outdir',
  type: 'string',
  placeholder: 'DIR',
  description: 'Where the stacks are synthesized. Default: cdktf.out.',
};
const LOCK_TIMEOUT: CliOption = {
  name: 'lock-timeout',
  type: 'string',
  placeholder: 'SECONDS',
  description: `How long to wait while another vend or remove holds the config's lock (<config>.lock); then exit 1 naming its holder. Default: ${DEFAULT_LOCK_TIMEOUT_SECONDS}.`,
};

function str(values: CliValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function configFileOf(values: CliValues): string {
  return str(values, 'config') ?? configPath();
}

function outdirOf(values: CliValues): string {
  return str(values, 'outdir') ?? 'cdktf.out';
}

function lockTimeoutOf(values: CliValues): number {
  const given = str(values, 'lock-timeout');
  if (given === undefined) return DEFAULT_LOCK_TIMEOUT_SECONDS;
  const seconds = Number(given);
  if (given.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`--lock-timeout: must be a number of seconds, 0 or more (got ${JSON.stringify(given)})`);
  }
  return seconds;
}

/** `--account-id`, checked with the config's rule, told as an option (no YAML quoting advice). */
function accountIdOf(values: CliValues): string | undefined {
  const id = str(values, 'account-id');
  if (id !== undefined && !accountIdSchema.safeParse(id).success) {
    throw new UsageError(`--account-id: must be a 12-digit account id (got ${JSON.stringify(id)})`);
  }
  return id;
}

/** Checks an option's value with the member schema's rule for the field it fills. */
function checked<T>(option: string, schema: z.ZodType, value: T): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    // A tag key that breaks the key rules: zod reports "invalid key" with the rule's message inside.
    const message = issue.code === 'invalid_key' && issue.issues.length > 0 ? issue.issues[0].message : issue.message;
    const key = issue.path.length > 0 ? ` ${String(issue.path[0])}` : '';
    throw new UsageError(`${option}${key}: ${message} (got ${JSON.stringify(issue.code === 'invalid_key' ? issue.path[0] ?? value : value)})`);
  }
  return value;
}

function regionsOf(value: string): string[] {
  const regions = parseRegionList(value);
  if (regions.length === 0) throw new UsageError('--regions: must list at least one Region (comma-separated)');
  for (const region of regions) checked('--regions', regionSchema, region);
  return regions;
}

function tagsOf(pairs: readonly string[]): Record<string, string> {
  let tags: Record<string, string>;
  try {
    tags = parseTags(pairs);
  } catch (e) {
    if (e instanceof VendingError) throw new UsageError(e.message);
    throw e;
  }
  return checked('--tag', memberSchema.shape.tags, tags);
}

function readJson(source: string, what: string): unknown {
  let text: string;
  try {
    text = source === '-' ? readFileSync(0, 'utf8') : readFileSync(source, 'utf8');
  } catch (e) {
    throw new CommandError(`${what} ${source}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CommandError(`${what} ${source}: not valid JSON: ${(e as Error).message}`);
  }
}

/** Vending refusals are the command's refusals (exit 1). */
function refusing<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof VendingError) throw new CommandError(e.message);
    throw e;
  }
}

/** Options that only plain arguments take: an AFT request or a Control Tower event carries these itself. */
const PLAIN_ONLY = ['name', 'ou', 'tag', 'regions'] as const;

function requestOf(values: CliValues): AccountRequest {
  const aft = str(values, 'aft');
  const event = str(values, 'control-tower-event');
  const plainOnly = PLAIN_ONLY.filter((name) => values[name] !== undefined).map((name) => `--${name}`);
  const kinds = [aft !== undefined && '--aft', event !== undefined && '--control-tower-event', plainOnly.length > 0 && plainOnly.join(', ')].filter(Boolean);
  if (kinds.length > 1) {
    throw new UsageError(
      `vend takes the account from one source, not ${kinds.join(' and ')}: plain arguments (--account-id, --name, --email, --ou, --tag, --regions), --aft or --control-tower-event`,
    );
  }
  const id = accountIdOf(values);
  const email = str(values, 'email');
  if (aft !== undefined) {
    if (email !== undefined) throw new UsageError('--email: not with --aft (the request carries control_tower_parameters.AccountEmail)');
    return refusing(() => fromAftRequest(readJson(aft, 'AFT request'), id));
  }
  if (event !== undefined) {
    if (id !== undefined) throw new UsageError('--account-id: not with --control-tower-event (the event carries the account id)');
    if (email !== undefined) checked('--email', memberSchema.shape.email, email);
    return refusing(() => fromControlTowerEvent(readJson(event, 'Control Tower event'), email));
  }
  if (id === undefined) throw new UsageError('--account-id: is required (or read the account from --aft FILE or --control-tower-event FILE)');
  const name = str(values, 'name');
  const ou = str(values, 'ou');
  const tags = values.tag;
  const regions = str(values, 'regions');
  return {
    id,
    name: name === undefined ? undefined : checked('--name', memberSchema.shape.name, name),
    email: email === undefined ? undefined : checked('--email', memberSchema.shape.email, email),
    ou: ou === undefined ? undefined : checked('--ou', memberSchema.shape.ou, ou),
    tags: Array.isArray(tags) ? tagsOf(tags) : undefined,
    regions: regions === undefined ? undefined : regionsOf(regions),
    source: 'arguments',
    labels: OPTION_LABELS,
  };
}

export const vendCommand: CliCommand = {
  name: 'vend',
  summary: 'Add an account to the org config (or, with --update, change it) and synthesize its stack.',
  usage: [
    'baseline vend --account-id ID --name NAME --email EMAIL --ou OU [--tag KEY=VALUE ...] [--regions R1,R2] [--update]',
    'baseline vend --aft REQUEST.json [--account-id ID] [--update]',
    'baseline vend --control-tower-event EVENT.json|- --email EMAIL [--update]',
  ],
  options: [
    { name: 'account-id', type: 'string', placeholder: 'ID', description: 'The 12-digit account id (with --aft: when the request has no custom_fields.account_id).' },
    { name: 'name', type: 'string', placeholder: 'NAME', description: 'The account name, used in tags and listings.' },
    { name: 'email', type: 'string', placeholder: 'EMAIL', description: "The account's root email; unique in the organization (a Control Tower event carries none)." },
    { name: 'ou', type: 'string', placeholder: 'OU', description: 'Its organizational unit: an OU id (ou-...), Root, or a path such as Workloads/Prod.' },
    { name: 'tag', type: 'string', multiple: true, placeholder: 'KEY=VALUE', description: "A tag on every resource of the account's stack; repeat for more. Default: none." },
    { name: 'regions', type: 'string', placeholder: 'R1,R2', description: 'The governed Regions its baseline covers, the home Region included. Default: every governed Region.' },
    { name: 'aft', type: 'string', placeholder: 'FILE', description: 'Read the account from an AFT account request (JSON).' },
    { name: 'control-tower-event', type: 'string', placeholder: 'FILE|-', description: 'Read the account from a Control Tower CreateManagedAccount/UpdateManagedAccount event (JSON; - for stdin).' },
    { name: 'update', type: 'boolean', description: 'Let a known account change (without it, other data for a known id exits 1 and changes nothing).' },
    CONFIG,
    OUTDIR,
    LOCK_TIMEOUT,
  ],
  details: [
    'stdout: one JSON line {status: "added"|"updated"|"unchanged"|"restored", accountId, stack, workingDirectory, stateKey, changedStacks};',
    '"restored": the account was in removedMembers (its stack not yet destroyed) and is back in members, with the data given.',
    'the pipeline plans and applies changedStacks. The same account again is "unchanged" (Regions compare as a set).',
    'Concurrent vends and removes of one config wait for each other (the lock <config>.lock), so none is lost.',
  ],
  async run(values, _positionals, io) {
    const request = requestOf(values);
    const configFile = configFileOf(values);
    const lockTimeoutSeconds = lockTimeoutOf(values);
    const result = refusing(() => {
      try {
        return vendAccount({ configFile, request, update: values.update === true, outdir: outdirOf(values), lockTimeoutSeconds });
      } catch (e) {
        // A new account without --name, --email or --ou: the command line lacks an option (exit 2, as a
        // bad value is); a field missing from an AFT request or event stays a refusal of that file.
        if (e instanceof MissingFieldError && e.label.startsWith('--')) throw new UsageError(e.message);
        throw e;
      }
    });
    const said = { added: 'added to', updated: 'updated in', unchanged: 'already in', restored: 'moved back from removedMembers to members in' }[result.status];
    io.stderr(
      `account ${result.accountId} ${said} ${configFile}${result.changes.length ? ` (${result.changes.join('; ')})` : ''}; stacks changed: ${result.changedStacks.join(', ') || 'none'}\n`,
    );
    io.stdout(
      `${JSON.stringify({ status: result.status, accountId: result.accountId, stack: result.stack, workingDirectory: result.workingDirectory, stateKey: result.stateKey, changedStacks: result.changedStacks })}\n`,
    );
    return 0;
  },
};

export const listCommand: CliCommand = {
  name: 'list',
  summary: 'List the accounts of the org config, with their stacks, Regions and roles.',
  usage: ['baseline list [--json]'],
  options: [
    { name: 'json', type: 'boolean', description: 'Print a JSON array (shape below) instead of a table (a header line, then one line per account).' },
    CONFIG,
  ],
  details: [
    'list --json prints one JSON array; every field is always present, with one type:',
    '  [{"id": string, "name": string, "email": string, "ou": string, "regions": string[], "allGovernedRegions": boolean,',
    '    "stack": string, "role": "management"|"log-archive"|"audit"|"member"}]',
    'regions: the account\'s own Regions, or every governed Region when it lists none (then allGovernedRegions is true).',
  ],
  async run(values, _positionals, io) {
    const accounts = refusing(() => listAccounts(configFileOf(values)));
    if (values.json === true) {
      io.stdout(`${JSON.stringify(accounts)}\n`);
    } else {
      // A header line, then one line per account, columns aligned (two spaces apart; the last unpadded).
      const rows = [
        ['ID', 'STACK', 'NAME', 'OU', 'ROLE', 'REGIONS'],
        ...accounts.map((a) => [a.id, a.stack, a.name, a.ou, a.role, `${a.regions.join(',')}${a.allGovernedRegions ? ' (all governed)' : ''}`]),
      ];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
      for (const row of rows) io.stdout(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}\n`);
    }
    return 0;
  },
};

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError('--yes: remove asks for confirmation: pass --yes when no one is at a terminal');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `--reason` or `--unchecked-reason`: checked with the schema's rule for `removedMembers[].reason`. */
function reasonOf(values: CliValues, option: 'reason' | 'unchecked-reason'): string | undefined {
  const given = str(values, option);
  if (given === undefined) return undefined;
  const result = removalReasonSchema.safeParse(given);
  if (!result.success) {
    const why = option === 'reason' ? 'why the account leaves the baseline' : 'why the destroy may be recorded though its state cannot be checked';
    throw new UsageError(`--${option}: must say ${why}, at least 10 characters: auditors will ask (got ${JSON.stringify(given)})`);
  }
  return result.data;
}

/** The options a printed command must repeat to act on the same config and output folder, as given. */
function hintOptionsOf(values: CliValues): string[] {
  return (['config', 'outdir'] as const).flatMap((name) => {
    const value = str(values, name);
    return value === undefined ? [] : [`--${name}`, value];
  });
}

export const removeCommand: CliCommand = {
  name: 'remove',
  summary: "Take an account out of the baseline (its stack stays synthesized for the pipeline's destroy job), or record that destroy.",
  usage: [
    'baseline remove --account-id ID --reason "WHY" [--yes]',
    'baseline remove --account-id ID --destroyed [--unchecked-reason "WHY"] [--yes]',
  ],
  options: [
    { name: 'account-id', type: 'string', placeholder: 'ID', description: 'The account to remove (not the management, log-archive or audit account).' },
    {
      name: 'reason',
      type: 'string',
      placeholder: 'WHY',
      description: 'Why the account leaves the baseline (at least 10 characters; required to remove): written to its removedMembers entry and listed in the control matrix.',
    },
    {
      name: 'destroyed',
      type: 'boolean',
      description:
        "Record that its stack was destroyed: move its removedMembers entry to destroyedMembers (destroyedOn: today, UTC; stateChecked) and delete its folder, once its state holds no resource (local state: the state file; S3 state: terraform init and terraform state list, with your credentials).",
    },
    {
      name: 'unchecked-reason',
      type: 'string',
      placeholder: 'WHY',
      description:
        'With --destroyed: record it though the state cannot be checked (no terraform, init failing, no local state file), for this reason (at least 10 characters), which its destroyedMembers entry keeps (stateChecked: false) and the control matrix flags. A state listing resources is refused all the same.',
    },
    { name: 'yes', type: 'boolean', description: 'Do not ask for confirmation (required when no one is at a terminal).' },
    CONFIG,
    OUTDIR,
    LOCK_TIMEOUT,
  ],
  details: [
    'remove moves the account from members to removedMembers (removedOn: today, UTC; reason: --reason); every synth keeps its stack in',
    'stacks/member-<id> (listed in removed-stacks.json, never in manifest.json) for the destroy job baseline pipeline generates.',
    'stdout: one JSON line {status: "removed", accountId, stack, workingDirectory, stateKey, removedOn, reason, destroy: true, centralLogsKept: true}.',
    'remove --destroyed, after the destroy, moves the entry to destroyedMembers {id, name, removedOn, reason, destroyedOn, stateChecked,',
    'uncheckedReason?}, which the control matrix lists (destroyedAccounts); stdout: {status: "destroyed", accountId, stack, workingDirectory,',
    'backend: "local"|"s3", stateChecked, destroyedOn, state, stateFileExists, uncheckedBecause, uncheckedReason}. It refuses (exit 1) while',
    'the state lists a resource, and when the state cannot be checked unless --unchecked-reason is given. The central logs of the account are kept.',
  ],
  async run(values, _positionals, io) {
    const id = accountIdOf(values);
    if (id === undefined) throw new UsageError('--account-id: is required');
    const configFile = configFileOf(values);
    const lockTimeoutSeconds = lockTimeoutOf(values);
    const outdir = outdirOf(values);
    const hintOptions = hintOptionsOf(values);
    const again = (...words: string[]) => commandLine(['baseline', 'remove', '--account-id', id, ...words, ...hintOptions]);
    if (values.destroyed === true) {
      if (values.reason !== undefined) throw new UsageError('--reason: not with --destroyed (the reason was given at the removal; --unchecked-reason says why an unchecked destroy may be recorded)');
      const uncheckedReason = reasonOf(values, 'unchecked-reason');
      if (values.yes !== true && !(await confirm(`Record that the stack of account ${id} was destroyed, and delete its folder? [y/N] `))) {
        io.stderr('nothing recorded\n');
        return 1;
      }
      const done = refusing(() => recordDestroyed({ configFile, accountId: id, outdir, lockTimeoutSeconds, hintOptions, uncheckedReason }));
      const checked = done.stateChecked
        ? done.backend === 'local'
          ? `its local state ${done.state} holds no resource.`
          : `its S3 state (${done.state}) lists no resource (terraform state list).`
        : `its state was NOT checked (${done.uncheckedBecause}); recorded for the reason given: ${done.uncheckedReason}`;
      io.stderr(`account ${id}: destroy recorded; its entry moved from removedMembers to destroyedMembers in ${configFile} (destroyedOn ${done.destroyedOn}, stateChecked: ${done.stateChecked}) and ${done.workingDirectory} deleted; ${checked}\n`);
      io.stdout(`${JSON.stringify({ status: 'destroyed', ...done })}\n`);
      return 0;
    }
    if (values['unchecked-reason'] !== undefined) throw new UsageError('--unchecked-reason: only with --destroyed');
    const reason = reasonOf(values, 'reason');
    if (reason === undefined) throw new UsageError('--reason: is required: say why the account leaves the baseline (at least 10 characters): auditors will ask');
    if (values.yes !== true && !(await confirm(`Remove account ${id} from ${configFile}? [y/N] `))) {
      io.stderr('not removed\n');
      return 1;
    }
    const location = refusing(() => removeAccount({ configFile, accountId: id, reason, outdir, lockTimeoutSeconds, hintOptions }));
    const dir = location.workingDirectory;
    io.stderr(
      [
        `account ${id} moved to removedMembers in ${configFile} (removedOn ${location.removedOn}, reason: ${reason}); its stack stays in ${dir}, synthesized by every synth, applied by none.`,
        `The pipeline's destroy job (generated by baseline pipeline) destroys it; by hand: ${commandLine(['terraform', `-chdir=${dir}`, 'init'])} && ${commandLine(['terraform', `-chdir=${dir}`, 'destroy'])}`,
        `This removes the account's Config recorders and rules, flow logs, account trail, alarms and alert topic.`,
        `Once it has run, record it: ${again('--destroyed')}`,
        `The central logs of account ${id} are kept: they live in the log-archive buckets (under AWSLogs/${id}/ and`,
        `account-trails/AWSLogs/${id}/), which the member stack does not own, until their retention expires.`,
        ...(location.changedStacks.length > 0 ? [`Stacks changed (plan and apply them): ${location.changedStacks.join(', ')}`] : []),
      ].join('\n') + '\n',
    );
    io.stdout(
      `${JSON.stringify({ status: 'removed', accountId: id, stack: location.stack, workingDirectory: dir, stateKey: location.stateKey, removedOn: location.removedOn, reason, destroy: true, centralLogsKept: true })}\n`,
    );
    return 0;
  },
};
