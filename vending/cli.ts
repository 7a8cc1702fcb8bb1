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
import { accountIdSchema, memberSchema, regionSchema } from '../config/schema';
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
import { listAccounts, removeAccount, vendAccount } from './vend';

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
    'stdout: one JSON line {status: "added"|"updated"|"unchanged", accountId, stack, workingDirectory, stateKey, changedStacks};',
    'the pipeline plans and applies changedStacks. The same account again is "unchanged" (Regions compare as a set).',
    'Concurrent vends and removes of one config wait for each other (the lock <config>.lock), so none is lost.',
  ],
  async run(values, _positionals, io) {
    const request = requestOf(values);
    const configFile = configFileOf(values);
    const result = refusing(() =>
      vendAccount({ configFile, request, update: values.update === true, outdir: outdirOf(values), lockTimeoutSeconds: lockTimeoutOf(values) }),
    );
    const said = { added: 'added to', updated: 'updated in', unchanged: 'already in' }[result.status];
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
    { name: 'json', type: 'boolean', description: 'Print a JSON array (shape below) instead of one line per account.' },
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
      for (const a of accounts) {
        const regions = `${a.regions.join(',')}${a.allGovernedRegions ? ' (all governed)' : ''}`;
        io.stdout(`${a.id}  ${a.stack}  ${a.name}  ${a.ou}  ${regions}${a.role === 'member' ? '' : `  (${a.role})`}\n`);
      }
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

export const removeCommand: CliCommand = {
  name: 'remove',
  summary: 'Take an account out of the org config, after synthesizing the stack the pipeline must destroy.',
  usage: ['baseline remove --account-id ID [--yes]'],
  options: [
    { name: 'account-id', type: 'string', placeholder: 'ID', description: 'The account to remove (not the management, log-archive or audit account).' },
    { name: 'yes', type: 'boolean', description: 'Do not ask for confirmation (required when no one is at a terminal).' },
    CONFIG,
    OUTDIR,
    LOCK_TIMEOUT,
  ],
  details: [
    'stdout: one JSON line {status: "removed", accountId, stack, workingDirectory, stateKey, destroy: true, centralLogsKept: true};',
    'the pipeline runs terraform destroy in workingDirectory. The central logs of the account are kept.',
  ],
  async run(values, _positionals, io) {
    const id = accountIdOf(values);
    if (id === undefined) throw new UsageError('--account-id: is required');
    const configFile = configFileOf(values);
    const lockTimeoutSeconds = lockTimeoutOf(values);
    if (values.yes !== true && !(await confirm(`Remove account ${id} from ${configFile}? [y/N] `))) {
      io.stderr('not removed\n');
      return 1;
    }
    const location = refusing(() => removeAccount({ configFile, accountId: id, outdir: outdirOf(values), lockTimeoutSeconds }));
    io.stderr(
      [
        `account ${id} removed from ${configFile}.`,
        `The pipeline must now destroy its stack, from the directory synthesized before the removal:`,
        `  terraform -chdir=${location.workingDirectory} init && terraform -chdir=${location.workingDirectory} destroy`,
        `This removes the account's Config recorders and rules, flow logs, account trail, alarms and alert topic.`,
        `The central logs of account ${id} are kept: they live in the log-archive buckets (under AWSLogs/${id}/ and`,
        `account-trails/AWSLogs/${id}/), which the member stack does not own, until their retention expires.`,
      ].join('\n') + '\n',
    );
    io.stdout(
      `${JSON.stringify({ status: 'removed', accountId: id, stack: location.stack, workingDirectory: location.workingDirectory, stateKey: location.stateKey, destroy: true, centralLogsKept: true })}\n`,
    );
    return 0;
  },
};
