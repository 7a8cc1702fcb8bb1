/**
 * `baseline`: the project's command line. Each command is a CliCommand (bin/cli-command.ts) declared in
 * the folder of its concern; this file only dispatches to them, checks their options against their
 * declarations, and prints help generated from those declarations:
 *
 *   baseline --help | -h | help            the commands, one line each
 *   baseline help <command>                a command's usage and options, one line each
 *   baseline <command> --help | -h         the same
 *
 * Help goes to stdout and exits 0. stdout carries a command's result, stderr its messages. Exit codes
 * (EXIT_CODES): 0 done, 1 refused (CommandError: bad input, conflict, invalid config, failed check), 2
 * usage (UsageError, unknown command or option: the message names it, followed by the command's usage),
 * 3 evidence incomplete (`evidence` only).
 */
import { parseArgs } from 'node:util';
import { CommandError, EXIT_CODES, UsageError, type CliCommand, type CliIo, type CliOption, type CliValues } from './cli-command';
import { listCommand, removeCommand, vendCommand } from '../vending/cli';
import { reviewCommand } from '../review/cli';
import { pipelineCommand } from '../pipeline/cli';
import { evidenceCommand, evidenceMergeCommand } from '../evidence/cli';
import { investigateCommand } from '../investigate/cli';

/** Every command, in the order `baseline --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  vendCommand,
  listCommand,
  removeCommand,
  reviewCommand,
  pipelineCommand,
  evidenceCommand,
  evidenceMergeCommand,
  investigateCommand,
];

const HELP_OPTION: CliOption = { name: 'help', type: 'boolean', description: 'Print this help and exit.' };
const HELP_FLAGS = ['--help', '-h'];

/** Two columns: the left padded to the widest entry (up to a cap, so one long option does not push all). */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.min(Math.max(0, ...rows.map(([left]) => left.length)), 32);
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

function optionLeft(option: CliOption): string {
  const flag = option.name === 'help' ? '-h, --help' : `--${option.name}`;
  return option.type === 'string' ? `${flag} ${option.placeholder ?? 'VALUE'}` : flag;
}

/** `baseline --help`: what the tool is, and one line per command. */
export function mainHelp(commands: readonly CliCommand[] = COMMANDS): string {
  return [
    'baseline: the command line of the SOC 2 logging and monitoring baseline.',
    '',
    'usage:',
    '  baseline <command> [options]',
    '  baseline help [<command>]',
    '',
    'commands:',
    ...columns([...commands.map((c) => [c.name, c.summary] as const), ['help', 'Print this help, or a command\'s help (same as <command> --help).']]),
    '',
    'Run "baseline <command> --help" for a command\'s usage and options.',
    'stdout carries a command\'s result, stderr its messages.',
    '',
    'exit codes:',
    ...columns(Object.entries(EXIT_CODES)),
    '',
  ].join('\n');
}

/** `baseline <command> --help`: its usage lines and one line per option. */
export function commandHelp(command: CliCommand): string {
  return [
    `baseline ${command.name}: ${command.summary}`,
    '',
    'usage:',
    ...command.usage.map((line) => `  ${line}`),
    '',
    'options:',
    ...columns([...command.options, HELP_OPTION].map((o) => [optionLeft(o), o.description] as const)),
    ...(command.positionals ? ['', `arguments: ${command.positionals}`] : []),
    ...(command.details && command.details.length > 0 ? ['', ...command.details] : []),
    '',
  ].join('\n');
}

function usageOf(command: CliCommand | undefined): string {
  if (!command) return 'usage:\n  baseline <command> [options]\n  baseline help [<command>]\nRun "baseline --help" for the commands.\n';
  return `usage:\n${command.usage.map((line) => `  ${line}`).join('\n')}\nRun "baseline ${command.name} --help" for its options.\n`;
}

/** Edit distance, for "did you mean": a typo of one or two characters finds its word. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function suggestion(given: string, known: readonly string[], prefix = ''): string {
  const best = known
    .map((k) => ({ k, d: k.startsWith(given) && given.length >= 2 ? 0 : distance(given, k) }))
    .filter(({ d }) => d <= 2)
    .sort((x, y) => x.d - y.d)[0];
  return best ? ` (did you mean ${prefix}${best.k}?)` : '';
}

/** An error about the command line, printed with the usage of the command it concerns. */
class CommandLineError extends UsageError {
  constructor(
    message: string,
    readonly command: CliCommand | undefined,
  ) {
    super(message);
  }
}

/**
 * Parses a command's arguments against its declared options. parseArgs runs non-strict, and each
 * mistake is reported here by the option's name: an unknown option, a missing value, a value for a
 * flag, an option given twice, an option where its value should be.
 */
function parseCommandLine(command: CliCommand, args: readonly string[]): { values: CliValues; positionals: string[] } {
  const declared = new Map(command.options.map((o) => [o.name, o]));
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(command.options.map((o) => [o.name, { type: o.type, multiple: o.multiple ?? false }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = declared.get(token.name);
    if (!option) {
      const names = [...command.options.map((o) => o.name), HELP_OPTION.name];
      throw new CommandLineError(
        `${command.name}: unknown option ${token.rawName}${suggestion(token.name, names, '--')}; run "baseline ${command.name} --help" for its options`,
        command,
      );
    }
    const flag = `--${option.name}`;
    if (option.type === 'string') {
      if (token.value === undefined) throw new CommandLineError(`${flag}: needs a value (${flag} ${option.placeholder ?? 'VALUE'})`, command);
      // `--name --update` would otherwise take "--update" as the name; `-` alone means stdin.
      if (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') {
        throw new CommandLineError(`${flag}: needs a value, got the option ${token.value} (write ${flag}=${token.value} if that is the value)`, command);
      }
    } else if (token.value !== undefined) {
      throw new CommandLineError(`${flag}: takes no value (got ${flag}=${token.value})`, command);
    }
    if (seen.has(option.name) && !option.multiple) throw new CommandLineError(`${flag}: given more than once`, command);
    seen.add(option.name);
  }
  if (positionals.length > 0 && !command.positionals) {
    throw new CommandLineError(`${command.name}: unexpected argument ${JSON.stringify(positionals[0])} (it takes options only)`, command);
  }
  return { values: values as CliValues, positionals };
}

/** Whether the arguments ask for help (before a `--`, after which everything is an argument). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => HELP_FLAGS.includes(a));
}

function findCommand(name: string, commands: readonly CliCommand[]): CliCommand {
  const command = commands.find((c) => c.name === name);
  if (!command) {
    throw new CommandLineError(
      `unknown command ${JSON.stringify(name)}${suggestion(name, [...commands.map((c) => c.name), 'help'])}; the commands are ${[...commands.map((c) => c.name), 'help'].join(', ')}`,
      undefined,
    );
  }
  return command;
}

async function dispatch(argv: readonly string[], io: CliIo, commands: readonly CliCommand[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new CommandLineError('a command is required', undefined);
  if (HELP_FLAGS.includes(first) || first === 'help') {
    const topic = first === 'help' ? rest.filter((a) => !HELP_FLAGS.includes(a)) : [];
    if (topic.length > 1) throw new CommandLineError(`help: takes one command name, got ${topic.join(' ')}`, undefined);
    io.stdout(topic.length === 1 ? commandHelp(findCommand(topic[0], commands)) : mainHelp(commands));
    return 0;
  }
  if (first.startsWith('-')) throw new CommandLineError(`a command comes first, got the option ${first}`, undefined);
  const command = findCommand(first, commands);
  if (asksForHelp(rest)) {
    io.stdout(commandHelp(command));
    return 0;
  }
  const { values, positionals } = parseCommandLine(command, rest);
  try {
    return await command.run(values, positionals, io);
  } catch (e) {
    if (e instanceof UsageError && !(e instanceof CommandLineError)) throw new CommandLineError(e.message, command);
    throw e;
  }
}

/**
 * Runs `baseline` with `argv` (the arguments after the program name) and returns its exit code. Usage
 * and refusal errors are printed here; any other error is a bug and is thrown, with its stack.
 */
export async function main(argv: readonly string[], io: CliIo = processIo(), commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  try {
    return await dispatch(argv, io, commands);
  } catch (e) {
    if (e instanceof CommandError) {
      io.stderr(`error: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n${usageOf(e instanceof CommandLineError ? e.command : undefined)}`);
      return 2;
    }
    throw e;
  }
}

function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
