/**
 * Progress of a collection run, on stderr: one line redrawn in place on a terminal; otherwise plain
 * lines a CI log keeps readable (the start, every tenth of the tasks, each task that hit an error,
 * and the end).
 */
import type { StatusCounts } from './types';

export interface ProgressEvent {
  readonly label: string;
  readonly accountId: string;
  readonly region: string;
  /** Errors this task recorded (ERROR items), for the plain display. */
  readonly errors: readonly string[];
}

export interface Progress {
  /** `reused`: tasks a resumed run takes from its collection folder (already counted in `done`). */
  start(total: number, accounts: number, regions: number, reused?: number): void;
  taskDone(event: ProgressEvent, done: number, counts: StatusCounts): void;
  finish(counts: StatusCounts): void;
  /** A line of its own (a resumed run retrying tasks...). @default - not shown */
  note?(text: string): void;
}

export const silentProgress: Progress = { start() {}, taskDone() {}, finish() {} };

/** Redraws at most this often on a terminal: thousands of tasks must not flood it. */
const REDRAW_MS = 100;

/** ERROR lines printed, at most; beyond, they are counted (every one is in the binder). */
export const ERROR_LINES_SHOWN = 100;

export function progressReporter(write: (text: string) => void, isTTY: boolean, clock: () => number = Date.now): Progress {
  let total = 0;
  let lastDraw = -Infinity;
  let lastTenth = 0;
  let errorLines = 0;
  /** The task's ERROR lines still to print (a count once past ERROR_LINES_SHOWN). */
  const shown = (errors: readonly string[]): readonly string[] => {
    const before = errorLines;
    errorLines += errors.length;
    if (errorLines <= ERROR_LINES_SHOWN) return errors;
    if (before > ERROR_LINES_SHOWN) return [];
    return [...errors.slice(0, ERROR_LINES_SHOWN - before), '(more ERROR lines are not shown: the binder lists every one, items.csv too)'];
  };
  const tally = (c: StatusCounts) => `PASS ${c.PASS}  FAIL ${c.FAIL}  ERROR ${c.ERROR}`;
  return {
    start(t, accounts, regions, reused = 0) {
      total = t;
      write(`evidence: ${t} tasks over ${accounts} account(s) and ${regions} Region(s)${reused ? `; resuming: ${reused} already collected, ${t - reused} to go` : ''}\n`);
    },
    taskDone(event, done, counts) {
      if (isTTY) {
        // Errors stay on the screen, above the redrawn line.
        for (const error of shown(event.errors)) write(`\r\x1b[2Kevidence: ERROR ${event.label} ${event.accountId} ${event.region}: ${error}\n`);
        const now = clock();
        if (event.errors.length) lastDraw = -Infinity;
        if (now - lastDraw < REDRAW_MS && done < total) return;
        lastDraw = now;
        const where = `${event.label} ${event.accountId} ${event.region}`;
        write(`\r\x1b[2K[${done}/${total}] ${tally(counts)}  ${where}`.slice(0, 160));
        return;
      }
      for (const error of shown(event.errors)) write(`evidence: ERROR ${event.label} ${event.accountId} ${event.region}: ${error}\n`);
      const tenth = total ? Math.floor((done * 10) / total) : 10;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        write(`evidence: ${done}/${total} tasks (${tenth * 10}%)  ${tally(counts)}\n`);
      }
    },
    finish(counts) {
      write(`${isTTY ? '\r\x1b[2K' : ''}evidence: done  ${tally(counts)}\n`);
    },
    note(text) {
      write(`${isTTY ? '\r\x1b[2K' : ''}evidence: ${text}\n`);
    },
  };
}
