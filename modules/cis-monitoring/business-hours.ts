/**
 * Business hours, given in local time, as the UTC arithmetic CloudWatch metric math can do. Metric
 * math's DAY() is 1-7 with Monday = 1 and HOUR()/MINUTE() are UTC, so a local window such as
 * Mon-Fri 09:00-18:00 at UTC+10 becomes UTC segments (Sun 23:00-24:00, Mon 00:00-08:00, ...). The
 * off-hours alarm needs no Lambda: `IF(<inside a segment>, 0, m1)` keeps only sign-ins outside them.
 */
import { WEEKDAYS } from '../../config/schema';

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

export interface BusinessHours {
  /** Working days in local time; a window that wraps past midnight belongs to the day it starts. */
  readonly days: readonly (typeof WEEKDAYS)[number][];
  /** "HH:MM", local. */
  readonly start: string;
  /** "HH:MM", local; earlier than `start` for a window that wraps past midnight. */
  readonly end: string;
  /** "+HH:MM" or "-HH:MM". */
  readonly utcOffset: string;
}

/** A stretch of one UTC day: `day` 1-7 (Monday = 1, as metric math's DAY()), minutes [start, end). */
export interface UtcSegment {
  readonly day: number;
  readonly start: number;
  readonly end: number;
}

export function parseClock(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`not a time of day: "${hhmm}"`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > MINUTES_PER_DAY || Number(match[2]) > 59) throw new Error(`not a time of day: "${hhmm}"`);
  return minutes;
}

export function parseUtcOffset(offset: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!match) throw new Error(`not a UTC offset: "${offset}"`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** The working time of a week as UTC segments, merged and sorted by day and start. */
export function businessHoursUtc(hours: BusinessHours): UtcSegment[] {
  const start = parseClock(hours.start);
  const end = parseClock(hours.end);
  if (start === end) throw new Error('business hours: start and end are the same');
  const offset = parseUtcOffset(hours.utcOffset);
  const length = end > start ? end - start : MINUTES_PER_DAY - start + end;

  // Intervals on a week of minutes (0 = Monday 00:00 UTC), split where they cross a UTC midnight.
  const pieces: UtcSegment[] = [];
  for (const name of new Set(hours.days)) {
    const localDay = WEEKDAYS.indexOf(name);
    let from = (((localDay * MINUTES_PER_DAY + start - offset) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    let remaining = length;
    while (remaining > 0) {
      const dayIndex = Math.floor(from / MINUTES_PER_DAY);
      const startOfDay = from - dayIndex * MINUTES_PER_DAY;
      const take = Math.min(remaining, MINUTES_PER_DAY - startOfDay);
      pieces.push({ day: dayIndex + 1, start: startOfDay, end: startOfDay + take });
      remaining -= take;
      from = (from + take) % MINUTES_PER_WEEK;
    }
  }

  pieces.sort((a, b) => a.day - b.day || a.start - b.start);
  const merged: UtcSegment[] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    if (last && last.day === piece.day && piece.start <= last.end) {
      merged[merged.length - 1] = { ...last, end: Math.max(last.end, piece.end) };
    } else {
      merged.push(piece);
    }
  }
  return merged;
}

/** Whether a UTC instant falls inside the segments (the reference the expression is tested against). */
export function isInside(segments: readonly UtcSegment[], utc: Date): boolean {
  const day = ((utc.getUTCDay() + 6) % 7) + 1;
  const minute = utc.getUTCHours() * 60 + utc.getUTCMinutes();
  return segments.some((s) => s.day === day && minute >= s.start && minute < s.end);
}

/** Ids of the metric-math queries the expression refers to. */
export interface ExpressionIds {
  /** The sign-in count metric. */
  readonly metric: string;
  /** An expression id whose value is `DAY(<metric>)`. */
  readonly day: string;
  /** An expression id whose value is `HOUR(<metric>)*60+MINUTE(<metric>)`, the UTC minute of the day. */
  readonly minute: string;
}

/** CloudWatch caps a metric-math expression at 1,024 characters. */
export const MAX_EXPRESSION_LENGTH = 1024;

/**
 * `IF(<inside business hours>, 0, m1)`: the sign-ins outside business hours. Segments with the same
 * hours are grouped by day, so a five-day week costs one clause per distinct stretch of hours.
 */
export function offHoursExpression(segments: readonly UtcSegment[], ids: ExpressionIds): string {
  const byHours = new Map<string, { start: number; end: number; days: number[] }>();
  for (const s of segments) {
    const key = `${s.start}-${s.end}`;
    const group = byHours.get(key) ?? { start: s.start, end: s.end, days: [] };
    group.days.push(s.day);
    byHours.set(key, group);
  }
  const clauses = [...byHours.values()].map((g) => {
    const terms = [g.days.length === 1 ? `${ids.day}==${g.days[0]}` : `(${g.days.map((d) => `${ids.day}==${d}`).join(' OR ')})`];
    if (g.start > 0) terms.push(`${ids.minute}>=${g.start}`);
    if (g.end < MINUTES_PER_DAY) terms.push(`${ids.minute}<${g.end}`);
    return terms.length === 1 ? terms[0] : `(${terms.join(' AND ')})`;
  });
  const inside = clauses.length === 0 ? '0' : clauses.join(' OR ');
  const expression = `IF(${inside}, 0, ${ids.metric})`;
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new Error(`the off-hours expression is ${expression.length} characters, over CloudWatch's ${MAX_EXPRESSION_LENGTH}`);
  }
  return expression;
}
