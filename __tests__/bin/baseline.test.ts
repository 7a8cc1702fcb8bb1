/**
 * `bin/baseline` as a person meets it: help on every command (exit 0, stdout), generated from the
 * CliCommand declarations, and usage errors (exit 2, stderr) that name the command or option at fault.
 * Most cases run `main` in-process (the dispatcher is the same code); a few run the real executable.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type * as Baseline from '../../bin/baseline';
import { CommandError, UsageError, type CliCommand, type CliIo } from '../../bin/cli-command';
import { REPO_ROOT } from '../helpers';

// "../../bin/baseline" is, at run time, the shell wrapper beside baseline.ts: name the module's file.
const { COMMANDS, commandHelp, main, mainHelp } = require('../../bin/baseline.ts') as typeof Baseline;

const BIN = join(REPO_ROOT, 'bin', 'baseline');

async function baseline(argv: readonly string[], commands: readonly CliCommand[] = COMMANDS) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false };
  const status = await main(argv, io, commands);
  return { status, stdout, stderr };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('help', () => {
  test.each([[['--help']], [['-h']], [['help']]])('baseline %j lists every command with its summary, on stdout, exit 0', async (argv) => {
    const r = await baseline(argv);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toBe(mainHelp());
    for (const command of COMMANDS) {
      expect(r.stdout).toMatch(new RegExp(`^  ${escape(command.name)} +${escape(command.summary)}$`, 'm'));
    }
    expect(r.stdout).toMatch(/^  help +/m);
  });

  test('every command has a summary, usage lines starting with its name, and a description for every option', () => {
    expect(COMMANDS.length).toBeGreaterThanOrEqual(3);
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const command of COMMANDS) {
      expect(command.summary).not.toBe('');
      expect(command.usage.length).toBeGreaterThan(0);
      for (const line of command.usage) expect(line.startsWith(`baseline ${command.name}`)).toBe(true);
      for (const option of command.options) expect(`${command.name} --${option.name}: ${option.description}`).toMatch(/: \S/);
    }
  });

  test.each(COMMANDS.map((c) => [c.name]))(
    '%s: "help <command>", "<command> --help" and "-h" print its usage and one line per option, exit 0',
    async (name) => {
      const command = COMMANDS.find((c) => c.name === name)!;
      const outputs = await Promise.all([['help', name], [name, '--help'], [name, '-h'], [name, '--bogus', '--help']].map((argv) => baseline(argv)));
      for (const r of outputs) expect(r).toEqual({ status: 0, stdout: commandHelp(command), stderr: '' });
      const help = outputs[0].stdout;
      expect(help.split('\n')[0]).toBe(`baseline ${name}: ${command.summary}`);
      for (const line of command.usage) expect(help).toContain(`\n  ${line}\n`);
      for (const option of command.options) {
        const left = option.type === 'string' ? `--${option.name} ${option.placeholder ?? 'VALUE'}` : `--${option.name}`;
        expect(help).toMatch(new RegExp(`^  ${escape(left)} +${escape(option.description)}$`, 'm'));
      }
      expect(help).toMatch(/^ {2}-h, --help +Print this help and exit\.$/m);
    },
  );

  test('list --help documents the shape of list --json', async () => {
    const r = await baseline(['list', '--help']);
    expect(r.stdout).toContain('"regions": string[], "allGovernedRegions": boolean');
    expect(r.stdout).toContain('"role": "management"|"log-archive"|"audit"|"member"');
  });

  test('the real executable: --help and vend -h exit 0 with the help on stdout and nothing on stderr', () => {
    for (const argv of [['--help'], ['vend', '-h']]) {
      const r = spawnSync(BIN, argv, { encoding: 'utf8' });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(r.stdout).toBe(argv[0] === 'vend' ? commandHelp(COMMANDS.find((c) => c.name === 'vend')!) : mainHelp());
    }
  });
});

describe('usage errors: exit 2, on stderr, naming what is wrong', () => {
  test('no command', async () => {
    const r = await baseline([]);
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: 'error: a command is required\nusage:\n  baseline <command> [options]\n  baseline help [<command>]\nRun "baseline --help" for the commands.\n',
    });
  });

  test('an unknown command is named, with the commands, a suggestion and --help', async () => {
    const r = await baseline(['vnd', '--account-id', '1']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`error: unknown command "vnd" (did you mean vend?); the commands are ${[...COMMANDS.map((c) => c.name), 'help'].join(', ')}`);
    expect(r.stderr).toContain('Run "baseline --help" for the commands.');
    expect((await baseline(['help', 'frobnicate'])).stderr).toMatch(/^error: unknown command "frobnicate"; the commands are /);
    expect((await baseline(['--json'])).stderr).toMatch(/^error: a command comes first, got the option --json\n/);
  });

  test('an unknown option is named, with a suggestion and the command\'s usage', async () => {
    const r = await baseline(['vend', '--acount-id', '666666666666']);
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: [
        'error: vend: unknown option --acount-id (did you mean --account-id?); run "baseline vend --help" for its options',
        'usage:',
        ...COMMANDS.find((c) => c.name === 'vend')!.usage.map((l) => `  ${l}`),
        'Run "baseline vend --help" for its options.',
        '',
      ].join('\n'),
    });
    expect((await baseline(['list', '-x'])).stderr).toMatch(/^error: list: unknown option -x; run "baseline list --help" for its options\n/);
  });

  test('a missing value, a value for a flag, an option twice, an option where a value belongs, a stray argument', async () => {
    const cases: [string[], string][] = [
      [['list', '--config'], '--config: needs a value (--config FILE)'],
      [['list', '--json=yes'], '--json: takes no value (got --json=yes)'],
      [['list', '--config', 'a.yaml', '--config', 'b.yaml'], '--config: given more than once'],
      [['vend', '--account-id', '--name', 'x'], '--account-id: needs a value, got the option --name (write --account-id=--name if that is the value)'],
      [['list', 'extra'], 'list: unexpected argument "extra" (it takes options only)'],
      [['remove', '--yes'], '--account-id: is required'],
      [['vend', '--aft', 'r.json', '--name', 'x'], 'vend takes the account from one source, not --aft and --name: plain arguments (--account-id, --name, --email, --ou, --tag, --regions), --aft or --control-tower-event'],
      [['vend', '--control-tower-event', '-', '--account-id', '666666666666'], '--account-id: not with --control-tower-event (the event carries the account id)'],
    ];
    for (const [argv, message] of cases) {
      const r = await baseline(argv);
      expect({ argv, status: r.status, stdout: r.stdout, first: r.stderr.split('\n')[0] }).toEqual({ argv, status: 2, stdout: '', first: `error: ${message}` });
      expect(r.stderr).toContain(`\nusage:\n  baseline ${argv[0]}`);
    }
  });
});

describe('the dispatcher and the CliCommand contract', () => {
  const echo: CliCommand = {
    name: 'echo',
    summary: 'Prints its options.',
    usage: ['baseline echo [--word W ...] [--loud] FILE...'],
    positionals: 'FILE... the files to echo',
    options: [
      { name: 'word', type: 'string', multiple: true, placeholder: 'W', description: 'A word; repeat for more.' },
      { name: 'loud', type: 'boolean', description: 'Shout.' },
    ],
    async run(values, positionals, io) {
      if (positionals.includes('bad')) throw new UsageError('FILE: "bad" is not a file name');
      if (positionals.includes('refuse')) throw new CommandError('refused on purpose');
      io.stdout(`${JSON.stringify({ values, positionals })}\n`);
      return 0;
    },
  };

  test('passes the declared options and positionals; UsageError exits 2 with the usage, CommandError 1 without', async () => {
    const ok = await baseline(['echo', '--word', 'a', '--word', 'b', '--loud', 'x.txt'], [echo]);
    expect(ok).toEqual({ status: 0, stdout: `${JSON.stringify({ values: { word: ['a', 'b'], loud: true }, positionals: ['x.txt'] })}\n`, stderr: '' });
    expect(await baseline(['echo', 'bad'], [echo])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'error: FILE: "bad" is not a file name\nusage:\n  baseline echo [--word W ...] [--loud] FILE...\nRun "baseline echo --help" for its options.\n',
    });
    expect(await baseline(['echo', 'refuse'], [echo])).toEqual({ status: 1, stdout: '', stderr: 'error: refused on purpose\n' });
    expect((await baseline(['echo', '--help'], [echo])).stdout).toContain('\narguments: FILE... the files to echo\n');
    // After "--", --help is an argument, not a request for help.
    expect((await baseline(['echo', '--', '--help'], [echo])).stdout).toBe(`${JSON.stringify({ values: {}, positionals: ['--help'] })}\n`);
  });
});
