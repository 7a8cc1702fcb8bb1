/**
 * An exclusive lock on the org config, held by `vend` and `remove` around read → validate → write and
 * the synth that follows (which writes the output folder), so that two vends started at the same
 * moment never both read the old member list and each write it back with only their own account.
 *
 * The lock is a file beside the config, `<config>.lock`, created with O_EXCL (`openSync(path, 'wx')`):
 * the file system lets exactly one process create it. It holds the holder's pid, host and start time,
 * which a waiting process reports when it gives up. A process that cannot create it waits, with
 * backoff, up to a timeout. The file is removed when the holder finishes, or when the holder is
 * found dead (see `isStale`).
 *
 * Waiting is synchronous (the vending API is synchronous, like the in-process synth it runs).
 */
import { closeSync, existsSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { VendingError } from './account-sources';

/** How long a vend waits for another vend of the same config by default: a vend takes seconds. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 120;

/**
 * How long a lock file may hold no lock record (empty, garbage, unreadable) before the waiter says so
 * and stops waiting. A holder writes its record right after creating the file (two system calls), so
 * a lock being taken at this moment is read whole well within this; one still unreadable after it is
 * no holder's, and waiting the whole timeout for it would only delay the advice to delete it.
 */
export const UNREADABLE_LOCK_GRACE_MS = 2000;

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the holder took the lock (ISO 8601). */
  readonly since: string;
  /** A random token: which lock is ours, when we release it (pids are reused). */
  readonly token: string;
}

export interface LockOptions {
  /**
   * How long to wait for another holder before giving up with `ConfigLockError`; 0: fail at once.
   * @default DEFAULT_LOCK_TIMEOUT_SECONDS
   */
  readonly timeoutSeconds?: number;
}

/** The config is locked by another process and the wait timed out. */
export class ConfigLockError extends VendingError {
  constructor(
    message: string,
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message);
    this.name = 'ConfigLockError';
  }
}

/** The lock file of a config: beside the file itself, symbolic links resolved, so every path to it agrees. */
export function lockFileOf(configFile: string): string {
  let target = configFile;
  try {
    target = realpathSync(configFile);
  } catch {
    // The config does not exist: the read that follows reports it.
  }
  return `${target}.lock`;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** What a lock file holds: its holder, nothing (it is gone), or a problem (empty, garbage, unreadable). */
type LockRecord = { readonly holder: LockHolder } | { readonly gone: true } | { readonly problem: string; readonly version: string };

function readLockRecord(lockFile: string): LockRecord {
  let text: string;
  let version: string;
  try {
    const stat = statSync(lockFile);
    // Which file it is: a new lock taken in its place restarts the grace for an unreadable one.
    version = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    text = readFileSync(lockFile, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { gone: true };
    return { problem: `it cannot be read: ${code ?? String(e)}`, version: code ?? 'unreadable' };
  }
  if (text.trim() === '') return { problem: 'it is empty', version };
  try {
    const data = JSON.parse(text) as Partial<LockHolder>;
    if (typeof data.pid === 'number' && typeof data.host === 'string' && typeof data.since === 'string' && typeof data.token === 'string') {
      return { holder: data as LockHolder };
    }
  } catch {
    // Reported below, as any other content that is not a lock record.
  }
  return { problem: `it holds no lock record (${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)})`, version };
}

function readHolder(lockFile: string): LockHolder | undefined {
  const record = readLockRecord(lockFile);
  return 'holder' in record ? record.holder : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock is stale only when its holder is a process of this host that no longer exists (killed, or
 * crashed before its `finally`). A holder on another host (a config on a shared file system) cannot
 * be checked from here, and an old lock of a live process may be a slow synth: neither is ever
 * broken, whatever its age; the waiter times out and names the holder for a person to decide.
 */
function isStale(holder: LockHolder | undefined): holder is LockHolder {
  return holder !== undefined && holder.host === hostname() && holder.pid !== process.pid && !processAlive(holder.pid);
}

/** Creates `path` only if it does not exist, with `content`; false when it exists. */
function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new VendingError(`${path}: cannot create the config lock: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock. Two waiters may find the same stale lock; without care the second would
 * delete the fresh lock the first has just taken. So breaking is itself exclusive (`<lock>.break`,
 * held for a few system calls), and the lock is removed only if it still holds the dead holder's token.
 */
function breakStale(lockFile: string, stale: LockHolder): boolean {
  const breaker = `${lockFile}.break`;
  if (!createExclusive(breaker, JSON.stringify({ pid: process.pid, host: hostname() }))) {
    // Another waiter is breaking it, or died doing so (the same rule: its pid, this host, gone).
    const other = readBreaker(breaker);
    if (other && other.host === hostname() && !processAlive(other.pid)) rmSync(breaker, { force: true });
    return false;
  }
  try {
    if (readHolder(lockFile)?.token !== stale.token) return false;
    rmSync(lockFile, { force: true });
    return true;
  } finally {
    rmSync(breaker, { force: true });
  }
}

function readBreaker(path: string): { pid: number; host: string } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { pid: number; host: string };
  } catch {
    return undefined;
  }
}

function holderText(holder: LockHolder | undefined): string {
  return holder ? `process ${holder.pid} on ${holder.host} (since ${holder.since})` : 'a process that left no pid in it';
}

/**
 * Runs `fn` holding the config's lock. Waits for another holder (backoff from 20 ms to 1 s, with
 * jitter so that waiters do not retry in step), up to the timeout; then throws `ConfigLockError`
 * naming the lock file and its holder. The lock is released when `fn` returns or throws.
 */
export function withConfigLock<T>(configFile: string, options: LockOptions, fn: () => T): T {
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) {
    throw new VendingError(`lock timeout: must be a number of seconds, 0 or more (got ${timeoutSeconds})`);
  }
  const lockFile = lockFileOf(configFile);
  // No lock for a config that is not there: say so as reading it would, not as a lock problem.
  if (!existsSync(configFile)) throw new VendingError(`${configFile}: cannot read the config: ENOENT`);
  const token = randomBytes(8).toString('hex');
  const deadline = Date.now() + timeoutSeconds * 1000;
  let delay = 20;
  let unreadable: { version: string; since: number } | undefined;
  for (;;) {
    const mine: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token };
    if (createExclusive(lockFile, `${JSON.stringify(mine)}\n`)) break;
    const record = readLockRecord(lockFile);
    const holder = 'holder' in record ? record.holder : undefined;
    if (isStale(holder) && breakStale(lockFile, holder)) continue;
    if ('problem' in record) {
      if (unreadable?.version !== record.version) unreadable = { version: record.version, since: Date.now() };
      if (Date.now() - unreadable.since >= Math.min(UNREADABLE_LOCK_GRACE_MS, timeoutSeconds * 1000)) {
        throw new ConfigLockError(
          `${configFile} is locked by the file ${lockFile}, but ${record.problem}: vend and remove write their pid, host and ` +
            `start time into it as they create it, so no vend or remove holds it. Delete the lock file ${lockFile} and run again`,
          lockFile,
          undefined,
        );
      }
    } else {
      unreadable = undefined;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new ConfigLockError(
        `${configFile} is locked by ${holderText(holder)}: waited ${timeoutSeconds} s for it (--lock-timeout). ` +
          `If that process is gone (or on another host and no longer running), delete the lock file ${lockFile}`,
        lockFile,
        holder,
      );
    }
    sleep(Math.min(left, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 2, 1000);
  }
  try {
    return fn();
  } finally {
    // Only our own lock: had it been broken (wrongly) and taken by another, removing that would let a third in.
    if (readHolder(lockFile)?.token === token) rmSync(lockFile, { force: true });
  }
}
