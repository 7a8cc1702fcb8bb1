/**
 * Reviewed exceptions to the SOC 2 guard: a change someone has looked at and accepted (retiring an
 * account's trail, replacing a key on purpose). They come from `--allow ADDRESS[=REASON]` or from an
 * `--allow-file` (YAML or JSON), are listed as accepted with their reason, and do not fail the review.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CommandError, UsageError } from '../bin/cli-command';

export interface AllowEntry {
  /** A resource address from the plan; without an instance key it accepts every instance (`aws_flow_log.x` accepts `aws_flow_log.x["vpc-1"]`). */
  readonly address: string;
  /** Why the change is acceptable, shown next to it. */
  readonly reason: string;
  /**
   * The stack it applies to (addresses repeat across member stacks).
   * @default - every stack
   */
  readonly stack?: string;
  /** Where the entry came from, for messages: `--allow` or the file. */
  readonly source: string;
}

/** Splits at the first `sep` outside brackets and quotes: an address's instance key may hold anything (`x["a=b"]`). */
function splitOutside(text: string, sep: string): [string, string | undefined] {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === sep && depth === 0) return [text.slice(0, i), text.slice(i + 1)];
  }
  return [text, undefined];
}

const NO_REASON = '(no reason given)';

/**
 * One `--allow` value: `ADDRESS`, `ADDRESS=REASON`, or with a stack, `STACK:ADDRESS[=REASON]`
 * (a Terraform address has no `:` outside its instance key).
 */
export function parseAllowOption(value: string): AllowEntry {
  const [target, reason] = splitOutside(value, '=');
  const [first, rest] = splitOutside(target, ':');
  const [stack, address] = rest === undefined ? [undefined, first] : [first, rest];
  if (address.trim() === '' || (stack !== undefined && stack.trim() === '')) {
    throw new UsageError(`--allow "${value}": expected ADDRESS[=REASON] or STACK:ADDRESS[=REASON]`);
  }
  return { address: address.trim(), reason: reason?.trim() || NO_REASON, ...(stack ? { stack: stack.trim() } : {}), source: '--allow' };
}

/**
 * An allow file: a list of `{address, reason, stack?}`, or an object with that list under `allow`.
 * Every entry needs a reason: a file is the reviewed record of exceptions.
 */
export function readAllowFile(file: string): AllowEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CommandError(`--allow-file ${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let data: unknown;
  try {
    // YAML 1.2 is a superset of JSON: one parser reads both.
    data = parse(text);
  } catch (e) {
    throw new CommandError(`--allow-file ${file}: not valid YAML or JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as Record<string, unknown>).allow) ? (data as { allow: unknown[] }).allow : null;
  if (list === null) throw new CommandError(`--allow-file ${file}: expected a list of {address, reason} entries (or one under "allow")`);
  return list.map((entry, i) => {
    const where = `--allow-file ${file}: entry ${i + 1}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new CommandError(`${where}: expected an object with "address" and "reason"`);
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).filter((k) => !['address', 'reason', 'stack'].includes(k));
    if (unknown.length > 0) throw new CommandError(`${where}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')} (fields: address, reason, stack)`);
    if (typeof e.address !== 'string' || e.address.trim() === '') throw new CommandError(`${where}: "address" must be a resource address`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') throw new CommandError(`${where} (${e.address}): "reason" is required: say why the change is acceptable`);
    if (e.stack !== undefined && (typeof e.stack !== 'string' || e.stack.trim() === '')) throw new CommandError(`${where} (${e.address}): "stack" must be a stack name`);
    return { address: e.address.trim(), reason: e.reason.trim(), ...(typeof e.stack === 'string' ? { stack: e.stack.trim() } : {}), source: file };
  });
}

/** The address without its instance key: `aws_flow_log.x["vpc-1"]` → `aws_flow_log.x`. */
function withoutInstanceKey(address: string): string {
  if (!address.endsWith(']')) return address;
  let quoted = false;
  let lastOpen = -1;
  for (let i = 0; i < address.length; i++) {
    const c = address[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') lastOpen = i;
  }
  return lastOpen > 0 ? address.slice(0, lastOpen) : address;
}

/** The entry that accepts a change at `address` in `stack`, if any. */
export function findAllow(entries: readonly AllowEntry[], stack: string, address: string): AllowEntry | undefined {
  return entries.find(
    (e) => (e.stack === undefined || e.stack === stack) && (e.address === address || (!e.address.endsWith(']') && e.address === withoutInstanceKey(address))),
  );
}
