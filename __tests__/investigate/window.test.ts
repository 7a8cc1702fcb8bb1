/**
 * The window and the parameters of `baseline investigate`, each check shown both ways: the value it
 * lets through, and the one just past the line, refused naming its option.
 */
import { UsageError } from '../../bin/cli-command';
import { investigationQuery, parseParams } from '../../investigate/parameters';
import { FUTURE_SKEW_MS, parseIsoTime, parseWindow, windowDays, windowValues } from '../../investigate/window';
import { INVESTIGATIONS } from '../../modules/investigations/catalog';
import { investigationContext } from '../../modules/investigations/context';
import { loadConfig } from '../../config/load';
import { MAX_PARAMETER_LENGTH } from '../../modules/investigations/investigation';
import { EVENTS_BY_NAME, EXAMPLE_CONFIG, NOW } from './fixtures';

const DAY = 86_400_000;
const window = (from: string | undefined, to?: string, logArchiveDays = 365) => parseWindow({ from, to, now: NOW, logArchiveDays });
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error('not refused');
};

describe('--from and --to', () => {
  test('dates are midnight UTC; times without a zone are UTC; offsets are honoured; durations count back from now', () => {
    expect(parseIsoTime('2026-11-01')).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(parseIsoTime('2026-11-01T08:30')).toEqual(new Date('2026-11-01T08:30:00Z'));
    expect(parseIsoTime('2026-11-01T08:30:15.5Z')).toEqual(new Date('2026-11-01T08:30:15.500Z'));
    expect(parseIsoTime('2026-11-01T10:30:00+02:00')).toEqual(new Date('2026-11-01T08:30:00Z'));
    for (const bad of ['2026-02-30', '2026-13-01', '2026-11-01T24:00', '01/11/2026', '2026-11-01T08:30:00+15:00']) expect(parseIsoTime(bad)).toBeUndefined();
    expect(window('7d')).toEqual({ from: new Date(NOW.getTime() - 7 * DAY), to: NOW });
    expect(window('24h').from).toEqual(new Date(NOW.getTime() - DAY));
    expect(window('90m').from).toEqual(new Date(NOW.getTime() - 90 * 60_000));
    expect(refusal(() => window('0d'))).toBe('--from: a duration must be at least 1d (got "0d")');
  });

  test('--to: now plus the clock skew passes, a second more is refused', () => {
    const edge = new Date(NOW.getTime() + FUTURE_SKEW_MS).toISOString();
    expect(window('1d', edge).to).toEqual(new Date(edge));
    const past = new Date(NOW.getTime() + FUTURE_SKEW_MS + 1000).toISOString();
    expect(refusal(() => window('1d', past))).toMatch(/^--to: .* is in the future \(now is 2026-11-20T12:00:00Z\)/);
  });

  test('--from: one second before --to passes, --from equal to or after --to is refused', () => {
    expect(window('2026-11-19T23:59:59Z', '2026-11-20').from).toEqual(new Date('2026-11-19T23:59:59Z'));
    expect(refusal(() => window('2026-11-20', '2026-11-20'))).toMatch(/^--from: 2026-11-20T00:00:00Z is not before --to 2026-11-20T00:00:00Z/);
    expect(refusal(() => window('2026-11-20T00:00:01Z', '2026-11-20'))).toMatch(/^--from: .* is not before --to/);
  });

  test('--from: the oldest instant the archive keeps passes, one second older is refused naming retention.logArchiveDays', () => {
    const oldest = new Date(NOW.getTime() - 30 * DAY);
    expect(window(oldest.toISOString(), undefined, 30).from).toEqual(oldest);
    expect(refusal(() => window(new Date(oldest.getTime() - 1000).toISOString(), undefined, 30))).toBe(
      '--from: 2026-10-21T11:59:59Z is older than the log archive keeps logs (retention.logArchiveDays: 30 days, so nothing before 2026-10-21T12:00:00Z is left); give a later --from',
    );
    expect(refusal(() => window('31d', undefined, 30))).toMatch(/^--from: .*\(retention\.logArchiveDays: 30 days/);
  });

  test("the window placeholders are windowParameterValues: to_day is the day after the window's last day (to exclusive), across a month and a year", () => {
    const w = { from: new Date('2026-12-31T22:00:00Z'), to: new Date('2027-01-01T22:59:59Z') };
    expect(windowValues(w)).toEqual({ from: '2026-12-31T22:00:00.000Z', to: '2027-01-01T22:59:59.000Z', from_day: '2026/12/31', to_day: '2027/01/02' });
    expect(windowDays(w)).toBe(3);
    // Ending at midnight: the last day is the one before, so to_day is that midnight's day.
    expect(windowValues({ from: w.from, to: new Date('2027-01-02T00:00:00Z') }).to_day).toBe('2027/01/02');
    const later = { from: w.from, to: new Date('2027-01-02T00:00:01Z') };
    expect(windowValues(later).to_day).toBe('2027/01/03');
    expect(windowDays(later)).toBe(4);
  });
});

describe('--param', () => {
  test('every declared parameter, each matching its pattern, passes', () => {
    expect(parseParams(['event_name=DeleteTrail', 'principal=arn:aws:iam::444444444444:role/a=b'], EVENTS_BY_NAME)).toEqual({
      event_name: 'DeleteTrail',
      principal: 'arn:aws:iam::444444444444:role/a=b',
    });
  });

  test.each([
    [['event_name=Delete;Trail', 'principal=arn:aws:iam::444444444444:role/a'], '--param event_name: "Delete;Trail" does not match'],
    [['event_name=DeleteTrail'], '--param principal: required by events-by-name'],
    [['event_name=DeleteTrail', 'principal=arn:aws:iam::444444444444:role/a', 'region=us-east-1'], '--param region: events-by-name has no such parameter'],
    [['to_day=2026/01/01'], '--param to_day: the window is given with --from and --to'],
    [['=x'], '--param: "=x" is not name=value'],
    // The principal's pattern admits a tab (`.`): the value is still refused, as it would be written into the SQL.
    [['event_name=DeleteTrail', 'principal=arn:aws:iam::444444444444:role/a\tb'], '--param principal: the value holds the control character U+0009 at 32'],
  ])('%j is refused: %s', (given, message) => {
    expect(refusal(() => parseParams(given, EVENTS_BY_NAME))).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  test(`a value longer than ${MAX_PARAMETER_LENGTH} characters is refused even when its pattern admits it`, () => {
    const prefix = 'arn:aws:iam::444444444444:role/';
    const longest = `${prefix}${'a'.repeat(MAX_PARAMETER_LENGTH - prefix.length)}`;
    expect(parseParams(['event_name=DeleteTrail', `principal=${longest}`], EVENTS_BY_NAME).principal).toBe(longest);
    expect(refusal(() => parseParams(['event_name=DeleteTrail', `principal=${longest}a`], EVENTS_BY_NAME))).toMatch(/^--param principal: the value is 1023 characters long, more than 1022 \(The caller's ARN/);
  });

  test('a quote in a value stays inside its SQL literal (single quotes doubled), every placeholder written in', () => {
    expect(investigationQuery('SELECT 1 FROM t WHERE a = {a} AND b = {b} AND c = {a}', { a: "o'brien", b: 'x' }, 'test')).toBe("SELECT 1 FROM t WHERE a = 'o''brien' AND b = 'x' AND c = 'o''brien'");
    const [principal] = Object.values(parseParams(["principal=arn:aws:iam::444444444444:role/o'brien", 'event_name=DeleteTrail'], EVENTS_BY_NAME));
    expect(principal).toBe("arn:aws:iam::444444444444:role/o'brien");
  });

  test('every investigation of the catalog is written out: each placeholder a window value or one of its parameters, none left, no ? marker', () => {
    const context = investigationContext(loadConfig(EXAMPLE_CONFIG));
    const values = windowValues({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-08T00:00:00Z') });
    for (const investigation of INVESTIGATIONS) {
      const params = Object.fromEntries(investigation.parameters.map((p) => [p.name, p.example]));
      expect(parseParams(Object.entries(params).map(([k, v]) => `${k}=${v}`), investigation)).toEqual(params);
      const sql = investigationQuery(investigation.sql(context), { ...values, ...params }, investigation.name);
      expect({ name: investigation.name, placeholders: sql.match(/\{[a-z][a-z0-9_]*\}/g), markers: sql.includes('?'), window: sql.includes("day BETWEEN '2026/11/01' AND '2026/11/08'") }).toEqual({
        name: investigation.name,
        placeholders: null,
        markers: false,
        window: true,
      });
    }
    // The breaking case: a placeholder the declaration does not declare.
    expect(() => investigationQuery('SELECT 1 FROM t WHERE a = {undeclared}', values, 'broken')).toThrow('broken: its SQL uses {undeclared}, which is neither a window value nor one of its parameters');
  });
});
