/**
 * `baseline investigate` on the command line, no AWS: registered in bin/baseline (help, list), and
 * every refusal of an option a usage error (exit 2, stderr, nothing on stdout) whose first line names
 * the option, before any AWS client exists. The healthy values beside each refusal pass (window.test.ts
 * and the moto and SDK-mock runs).
 */
import type * as Baseline from '../../bin/baseline';
import { createInvestigateCommand } from '../../investigate/cli';
import { INVESTIGATIONS } from '../../modules/investigations/catalog';
import { ALL_EVENTS, EVENTS_BY_NAME, EXAMPLE_CONFIG, NOW, testIo } from './fixtures';

const { COMMANDS, commandHelp, main, mainHelp } = require('../../bin/baseline.ts') as typeof Baseline;

const command = createInvestigateCommand({ investigations: [EVENTS_BY_NAME, ALL_EVENTS], now: () => NOW });

async function baseline(argv: readonly string[], commands = [command]) {
  const io = testIo();
  const code = await main(argv, io, commands);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

const PARAMS = ['--param', 'event_name=DeleteTrail', '--param', 'principal=arn:aws:iam::444444444444:role/admin'];
const BASE = ['investigate', 'events-by-name', '--config', EXAMPLE_CONFIG, ...PARAMS];
const RUN = [...BASE, '--from', '2026-11-01'];

describe('baseline investigate in bin/baseline', () => {
  test('is a command of baseline --help, and investigate --help is generated from its declaration', async () => {
    const investigate = COMMANDS.find((c) => c.name === 'investigate');
    expect(investigate).toBeDefined();
    expect(mainHelp()).toMatch(/^ {2}investigate +Run a named investigation/m);
    const r = await baseline(['investigate', '--help'], [...COMMANDS]);
    expect(r).toEqual({ code: 0, stdout: commandHelp(investigate!), stderr: '' });
    for (const option of ['--from WHEN', '--to WHEN', '--param NAME=VALUE', '--format csv|json', '--out FILE', '--role-arn ARN', '--endpoint-url URL', '--price-per-tb USD']) {
      expect(r.stdout).toContain(option);
    }
  });

  test('with no name, or --list, lists every investigation of the catalog with its parameters', async () => {
    for (const argv of [['investigate'], ['investigate', '--list']]) {
      const r = await baseline(argv, [...COMMANDS]);
      expect(r.code).toBe(0);
      for (const i of INVESTIGATIONS) {
        expect(r.stdout).toContain(`${i.name}  ${i.title}\n    ${i.answers}\n`);
        for (const p of i.parameters) expect(r.stdout).toContain(`    --param ${p.name}=${p.example}  ${p.description}`);
      }
    }
    const json = JSON.parse((await baseline(['investigate', '--list', '--format', 'json'])).stdout);
    expect(json).toEqual([
      {
        name: 'events-by-name',
        title: 'Events by name',
        answers: EVENTS_BY_NAME.answers,
        parameters: EVENTS_BY_NAME.parameters.map((p) => ({ name: p.name, description: p.description, example: p.example, pattern: p.pattern.source })),
      },
      { name: 'all-events', title: 'All events', answers: 'What happened?', parameters: [] },
    ]);
  });

  test('an unknown investigation is a usage error listing the names of the catalog', async () => {
    const r = await baseline(['investigate', 'root-activty', '--from', '7d'], [...COMMANDS]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`error: NAME: no investigation is named "root-activty"; the investigations are ${INVESTIGATIONS.map((i) => i.name).join(', ')}`);
  });
});

describe('refusals name the option (exit 2, before any AWS call)', () => {
  const cases: [string, string[], string][] = [
    ['an unknown option', ['investigate', 'events-by-name', '--fro', '7d'], 'investigate: unknown option --fro (did you mean --from?); run "baseline investigate --help" for its options'],
    ['no --from', ['investigate', 'events-by-name', '--config', EXAMPLE_CONFIG, ...PARAMS], '--from: required (the start of the window: a date, a UTC time, or a duration such as 7d)'],
    ['--from not a time', [...BASE, '--from', 'last tuesday'], '--from: must be a duration before now such as 7d or 24h, or an ISO 8601 date or UTC time such as 2026-11-01 or 2026-11-01T08:00:00Z (got "last tuesday")'],
    ['--from a day that does not exist', [...BASE, '--from', '2026-02-30'], '--from: must be a duration before now such as 7d or 24h, or an ISO 8601 date or UTC time such as 2026-11-01 or 2026-11-01T08:00:00Z (got "2026-02-30")'],
    ['--to a duration', [...RUN, '--to', '1d'], '--to: must be an ISO 8601 date or UTC time such as 2026-11-01 or 2026-11-01T08:00:00Z (got "1d")'],
    ['--to in the future', [...RUN, '--to', '2026-11-21'], '--to: 2026-11-21T00:00:00Z is in the future (now is 2026-11-20T12:00:00Z); leave --to out to end the window now'],
    ['--from not before --to', [...RUN, '--to', '2026-11-01'], '--from: 2026-11-01T00:00:00Z is not before --to 2026-11-01T00:00:00Z (the window is from inclusive, to exclusive)'],
    [
      '--from older than the log archive keeps',
      [...BASE, '--from', '2025-11-01'],
      '--from: 2025-11-01T00:00:00Z is older than the log archive keeps logs (retention.logArchiveDays: 365 days, so nothing before 2025-11-20T12:00:00Z is left); give a later --from',
    ],
    ['a --param given twice', [...RUN, '--param', 'event_name=DeleteBucket'], '--param event_name: given more than once'],
    ['a --param of no such name', [...RUN, '--param', 'resource=x'], '--param resource: events-by-name has no such parameter (its parameters are event_name, principal)'],
    ['a --param that is a window value', [...RUN, '--param', 'from=2026-01-01'], '--param from: the window is given with --from and --to, not --param'],
    ['a --param without =', [...RUN, '--param', 'event_name'], '--param: "event_name" is not name=value'],
    ['a --param left out', ['investigate', 'events-by-name', '--config', EXAMPLE_CONFIG, '--from', '7d', '--param', 'event_name=DeleteTrail'], '--param principal: required by events-by-name (The caller\'s ARN; for example --param principal=arn:aws:iam::111122223333:role/admin)'],
    ['--format of another kind', [...RUN, '--format', 'xml'], '--format: must be csv or json (got "xml")'],
    ['--out in a folder that does not exist', [...RUN, '--out', '/nonexistent-folder/run.csv'], '--out: the folder /nonexistent-folder does not exist'],
    ['--role-arn not a role', [...RUN, '--role-arn', 'arn:aws:iam::333333333333:user/alice'], '--role-arn: "arn:aws:iam::333333333333:user/alice" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)'],
    ['--region not a Region', [...RUN, '--region', 'mars-1'], '--region: "mars-1" is not a Region code'],
    ['--price-per-tb not a number', [...RUN, '--price-per-tb', 'five'], '--price-per-tb: must be a number of US dollars, 0 or more (got "five")'],
    ['two names', ['investigate', 'events-by-name', 'all-events', '--from', '7d'], 'NAME: one investigation at a time (got events-by-name, all-events)'],
    ['--list with a name', ['investigate', 'events-by-name', '--list'], '--list: lists every investigation; give it without a NAME (got events-by-name)'],
  ];

  test.each(cases)('%s', async (_, argv, message) => {
    const r = await baseline(argv);
    expect({ code: r.code, stdout: r.stdout, first: r.stderr.split('\n')[0] }).toEqual({ code: 2, stdout: '', first: `error: ${message}` });
    expect(r.stderr).toContain('\nusage:\n  baseline investigate NAME --from WHEN');
  });

  test('a --param value not matching its pattern names the parameter, its pattern and an example', async () => {
    const argv = ['investigate', 'events-by-name', '--config', EXAMPLE_CONFIG, '--from', '7d', '--param', 'event_name=Delete Trail', '--param', 'principal=arn:aws:iam::444444444444:role/admin'];
    const r = await baseline(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error: --param event_name: "Delete Trail" does not match /^[A-Za-z0-9]+$/ (The API action; for example DeleteTrail)');
  });

  test('an investigation the config cannot serve is refused (exit 1) with the reason its declaration gives', async () => {
    const unavailable = { ...ALL_EVENTS, name: 'needs-a-role', sql: () => { throw new Error('guardrails.breakGlassRoleName is not set'); } };
    const io = testIo();
    const code = await main(['investigate', 'needs-a-role', '--config', EXAMPLE_CONFIG, '--from', '7d'], io, [createInvestigateCommand({ investigations: [unavailable], now: () => NOW })]);
    expect({ code, stderr: io.err.join('') }).toEqual({ code: 1, stderr: 'error: needs-a-role: not available with this config: guardrails.breakGlassRoleName is not set\n' });
  });

  test('an invalid config is refused (exit 1), naming the file', async () => {
    const r = await baseline(['investigate', 'events-by-name', ...PARAMS, '--from', '7d', '--config', '/nonexistent-folder/baseline.config.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*\/nonexistent-folder\/baseline\.config\.yaml/);
  });
});
