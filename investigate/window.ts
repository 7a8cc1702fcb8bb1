/**
 * The window of `baseline investigate`: `--from` (inclusive) and `--to` (exclusive), checked against the
 * clock and against what the log archive still holds (`retention.logArchiveDays`), and turned into the
 * values of the window placeholders every investigation's SQL uses (WINDOW_PARAMETERS).
 */
import { UsageError } from '../bin/cli-command';
import { WINDOW_PARAMETERS, windowParameterValues } from '../modules/investigations/investigation';

/** How far past the clock `--to` may be (clock skew between this machine and AWS). */
export const FUTURE_SKEW_MS = 5 * 60_000;

export interface InvestigationWindow {
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
}

const DAY_MS = 86_400_000;
const UNITS = { m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS } as const;

/** `2026-11-01` (midnight UTC), or `2026-11-01T08:30[:00[.000]]` with `Z`, an offset, or neither (UTC). */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** An ISO 8601 date or date-time, read as UTC when it names no zone; undefined when it is not one. */
export function parseIsoTime(text: string): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0', zone = 'Z'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
  const local = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March: a field out of range is not a time.
  if (local.getUTCFullYear() !== Number(y) || local.getUTCMonth() !== Number(mo) - 1 || local.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [zh, zm] = zone.slice(1).split(':').map(Number);
  if (zh > 14 || zm > 59) return undefined;
  return new Date(utc - sign * (zh * 60 + zm) * 60_000);
}

/** `7d`, `24h`, `90m`, `2w` before `now`; undefined when `text` is not a duration. */
function parseDuration(option: string, text: string, now: Date): Date | undefined {
  const m = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n < 1) throw new UsageError(`--${option}: a duration must be at least 1${m[2]} (got ${JSON.stringify(text)})`);
  return new Date(now.getTime() - n * UNITS[m[2] as keyof typeof UNITS]);
}

function parseTime(option: 'from' | 'to', text: string, now: Date): Date {
  const time = (option === 'from' ? parseDuration(option, text, now) : undefined) ?? parseIsoTime(text);
  if (time) return time;
  const durations = option === 'from' ? 'a duration before now such as 7d or 24h, or ' : '';
  throw new UsageError(`--${option}: must be ${durations}an ISO 8601 date or UTC time such as 2026-11-01 or 2026-11-01T08:00:00Z (got ${JSON.stringify(text)})`);
}

export interface WindowProps {
  /** `--from`; required. */
  readonly from: string | undefined;
  /** `--to`. @default now */
  readonly to: string | undefined;
  readonly now: Date;
  /** `retention.logArchiveDays`: nothing older is left in the log archive. */
  readonly logArchiveDays: number;
}

/** The window, refused (naming the option) when it is empty, in the future, or older than the logs. */
export function parseWindow(props: WindowProps): InvestigationWindow {
  const { now } = props;
  if (props.from === undefined) throw new UsageError('--from: required (the start of the window: a date, a UTC time, or a duration such as 7d)');
  const from = parseTime('from', props.from, now);
  const to = props.to === undefined ? now : parseTime('to', props.to, now);
  if (to.getTime() > now.getTime() + FUTURE_SKEW_MS) {
    throw new UsageError(`--to: ${isoTime(to)} is in the future (now is ${isoTime(now)}); leave --to out to end the window now`);
  }
  if (from.getTime() >= to.getTime()) {
    throw new UsageError(`--from: ${isoTime(from)} is not before --to ${isoTime(to)} (the window is from inclusive, to exclusive)`);
  }
  const oldest = new Date(now.getTime() - props.logArchiveDays * DAY_MS);
  if (from.getTime() < oldest.getTime()) {
    throw new UsageError(
      `--from: ${isoTime(from)} is older than the log archive keeps logs (retention.logArchiveDays: ${props.logArchiveDays} days, so nothing before ${isoTime(oldest)} is left); give a later --from`,
    );
  }
  return { from, to };
}

/** ISO 8601 UTC, without milliseconds when there are none: `2026-11-01T00:00:00Z`. */
export function isoTime(time: Date): string {
  return time.toISOString().replace('.000Z', 'Z');
}

/**
 * The window placeholders' values, as the declarations' tests bind them (`windowParameterValues`):
 * `from` and `to` in ISO 8601 UTC, `from_day` the day of `from`, and `to_day` the day after the
 * window's last day (a record is filed under the day its log file was delivered, which may be later).
 */
export function windowValues(window: InvestigationWindow): Readonly<Record<string, string>> {
  return windowParameterValues(window.from, window.to);
}

/** How many day partitions the window reads (per account and Region): `from_day` to `to_day`. */
export function windowDays(window: InvestigationWindow): number {
  const values = windowValues(window);
  const day = (name: string) => Date.parse(`${values[name].replace(/\//g, '-')}T00:00:00Z`);
  return Math.round((day(WINDOW_PARAMETERS.toDay) - day(WINDOW_PARAMETERS.fromDay)) / DAY_MS) + 1;
}
