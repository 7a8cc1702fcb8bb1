/**
 * `baseline`: the account-vending hook for pipelines.
 *
 *   baseline vend --account-id ID --name NAME --email EMAIL --ou OU [--tag k=v ...] [--regions r1,r2] [--update]
 *   baseline vend --aft REQUEST.json [--account-id ID] [--update]
 *   baseline vend --control-tower-event EVENT.json|- --email EMAIL [--update]
 *   baseline list [--json]
 *   baseline remove --account-id ID [--yes]
 *
 * Every command takes --config FILE (default: BASELINE_CONFIG, else baseline.config.yaml) and --outdir DIR
 * (default cdktf.out). stdout carries one JSON line for the pipeline; messages go to stderr. Exit codes:
 * 0 done, 1 refused (bad input, conflict, invalid config), 2 usage.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { configPath } from '../config/load';
import {
  fromAftRequest,
  fromControlTowerEvent,
  parseRegionList,
  parseTags,
  VendingError,
  type AccountRequest,
} from '../vending/account-sources';
import { listAccounts, removeAccount, vendAccount } from '../vending/vend';

const USAGE = `usage:
  baseline vend --account-id ID --name NAME --email EMAIL --ou OU [--tag k=v ...] [--regions r1,r2] [--update]
  baseline vend --aft REQUEST.json [--account-id ID] [--update]
  baseline vend --control-tower-event EVENT.json|- --email EMAIL [--update]
  baseline list [--json]
  baseline remove --account-id ID [--yes]
options for every command: --config FILE (default $BASELINE_CONFIG or baseline.config.yaml), --outdir DIR (default cdktf.out)`;

class UsageError extends Error {}

function readJson(source: string, what: string): unknown {
  let text: string;
  try {
    text = source === '-' ? readFileSync(0, 'utf8') : readFileSync(source, 'utf8');
  } catch (e) {
    throw new VendingError(`${what} ${source}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new VendingError(`${what} ${source}: not valid JSON: ${(e as Error).message}`);
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError('remove asks for confirmation: pass --yes when no one is at a terminal');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string' },
      outdir: { type: 'string', default: 'cdktf.out' },
      'account-id': { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      ou: { type: 'string' },
      tag: { type: 'string', multiple: true },
      regions: { type: 'string' },
      aft: { type: 'string' },
      'control-tower-event': { type: 'string' },
      update: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const configFile = values.config ?? configPath();

  switch (command) {
    case 'vend': {
      const kinds = [values.aft, values['control-tower-event'], values.name ?? values.ou].filter((v) => v !== undefined);
      if (kinds.length !== 1) throw new UsageError('vend takes exactly one of: plain arguments (--name, --email, --ou), --aft, --control-tower-event');
      let request: AccountRequest;
      if (values.aft !== undefined) {
        request = fromAftRequest(readJson(values.aft, 'AFT request'), values['account-id']);
      } else if (values['control-tower-event'] !== undefined) {
        request = fromControlTowerEvent(readJson(values['control-tower-event'], 'Control Tower event'), values.email);
      } else {
        if (!values['account-id']) throw new UsageError('vend: --account-id is required');
        request = {
          id: values['account-id'],
          name: values.name,
          email: values.email,
          ou: values.ou,
          tags: values.tag ? parseTags(values.tag) : undefined,
          regions: values.regions ? parseRegionList(values.regions) : undefined,
          source: 'arguments',
        };
      }
      const result = vendAccount({ configFile, request, update: values.update, outdir: values.outdir });
      const said = { added: 'added to', updated: 'updated in', unchanged: 'already in' }[result.status];
      process.stderr.write(
        `account ${result.accountId} ${said} ${configFile}${result.changes.length ? ` (${result.changes.join('; ')})` : ''}; stacks changed: ${result.changedStacks.join(', ') || 'none'}\n`,
      );
      process.stdout.write(
        `${JSON.stringify({ status: result.status, accountId: result.accountId, stack: result.stack, workingDirectory: result.workingDirectory, stateKey: result.stateKey, changedStacks: result.changedStacks })}\n`,
      );
      return 0;
    }
    case 'list': {
      const accounts = listAccounts(configFile);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(accounts)}\n`);
      } else {
        for (const a of accounts) {
          const regions = Array.isArray(a.regions) ? a.regions.join(',') : a.regions;
          process.stdout.write(`${a.id}  ${a.stack}  ${a.name}  ${a.ou}  ${regions}${a.role ? `  (${a.role})` : ''}\n`);
        }
      }
      return 0;
    }
    case 'remove': {
      const id = values['account-id'];
      if (!id) throw new UsageError('remove: --account-id is required');
      if (!values.yes && !(await confirm(`Remove account ${id} from ${configFile}? [y/N] `))) {
        process.stderr.write('not removed\n');
        return 1;
      }
      const location = removeAccount({ configFile, accountId: id, outdir: values.outdir });
      process.stderr.write(
        [
          `account ${id} removed from ${configFile}.`,
          `The pipeline must now destroy its stack, from the directory synthesized before the removal:`,
          `  terraform -chdir=${location.workingDirectory} init && terraform -chdir=${location.workingDirectory} destroy`,
          `This removes the account's Config recorders and rules, flow logs, account trail, alarms and alert topic.`,
          `The central logs of account ${id} are kept: they live in the log-archive buckets (under AWSLogs/${id}/ and`,
          `account-trails/AWSLogs/${id}/), which the member stack does not own, until their retention expires.`,
        ].join('\n') + '\n',
      );
      process.stdout.write(`${JSON.stringify({ status: 'removed', accountId: id, stack: location.stack, workingDirectory: location.workingDirectory, stateKey: location.stateKey, destroy: true, centralLogsKept: true })}\n`);
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof VendingError) {
        process.stderr.write(`error: ${e.message}\n`);
        process.exitCode = 1;
      } else if (e instanceof UsageError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`error: ${(e as Error).message}\n${USAGE}\n`);
        process.exitCode = 2;
      } else {
        throw e;
      }
    },
  );
}
