/**
 * The audit period a binder covers (`--from`/`--to`): a SOC 2 Type II auditor samples what happened
 * over the whole period, not only the state at collection. `from` is inclusive, `to` exclusive, both
 * UTC.
 */
import { EvidenceOptionError } from '../options';

/** The default period: this many days before `--to`. */
export const DEFAULT_PERIOD_DAYS = 90;

export interface AuditPeriod {
  readonly from: Date;
  readonly to: Date;
}

/** ISO 8601 text of a period, as the binder prints it. */
export const periodText = (p: { readonly from: string; readonly to: string }): string => `${p.from} to ${p.to}`;

/**
 * A `--from`/`--to` value: an ISO 8601 date (`2026-01-01`, midnight UTC) or date-time with a zone
 * (`2026-01-01T09:30:00Z`, `...+02:00`). A date-time without a zone is refused: the period is UTC and
 * a local reading would shift it silently.
 */
export function parsePeriodBound(option: string, given: string): Date {
  const text = given.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const time = date ? new Date(`${text}T00:00:00Z`) : dateTime ? new Date(text) : new Date(NaN);
  if (Number.isNaN(time.getTime()) || (date && time.toISOString().slice(0, 10) !== text)) {
    throw new EvidenceOptionError(option, `must be an ISO 8601 date (2026-01-31) or date-time with a zone (2026-01-31T09:00:00Z), UTC (got ${JSON.stringify(given)})`);
  }
  return time;
}

/**
 * The period from the options: `to` defaults to now, `from` to DEFAULT_PERIOD_DAYS before `to`.
 * `from` must come before `to`, and `to` may not lie in the future (nothing has happened there yet).
 */
export function resolvePeriod(options: { readonly from?: Date; readonly to?: Date }, now: Date): AuditPeriod {
  const to = options.to ?? now;
  const from = options.from ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000);
  if (Number.isNaN(to.getTime())) throw new EvidenceOptionError('to', 'is not a valid time');
  if (Number.isNaN(from.getTime())) throw new EvidenceOptionError('from', 'is not a valid time');
  if (to.getTime() > now.getTime()) throw new EvidenceOptionError('to', `${to.toISOString()} is in the future (now ${now.toISOString()})`);
  if (from.getTime() >= to.getTime()) throw new EvidenceOptionError('from', `${from.toISOString()} is not before --to ${to.toISOString()}`);
  return { from, to };
}

/** Hours between two times, one decimal. */
export const hoursBetween = (a: Date, b: Date): number => Math.round(((b.getTime() - a.getTime()) / 3_600_000) * 10) / 10;
