/**
 * Edits of the `members`, `removedMembers` and `destroyedMembers` lists of the org config as text splices at the node
 * ranges the YAML parser reports, so that every other byte of the file (comments, alignment, quoting,
 * flow lists, line endings) stays as its authors wrote it. Only the entry that is added, replaced,
 * moved or removed is (re)written, with the file's own line ending; an entry moved between the lists
 * keeps its own lines (its comments included) where the two lists are indented alike.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { VendingError } from './account-sources';

/** A member entry as the config file holds it. */
export interface MemberEntry {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly ou: string;
  readonly regions?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

interface Located {
  readonly seq: YAMLSeq;
  readonly items: YAMLMap[];
}

function locate(text: string): Located {
  const doc = parseDocument(text);
  const seq = doc.get('members', true);
  if (!isSeq(seq) || seq.flow || !seq.range) throw new VendingError('members must be a block sequence ("- id: ...") in the config file');
  const items = seq.items.filter((item): item is YAMLMap => isMap(item) && Boolean(item.range));
  if (items.length !== seq.items.length) throw new VendingError('every entry of members must be a mapping');
  return { seq, items };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** The end of an entry: the end of the line holding its last value (a trailing comment included). */
function entryEnd(text: string, item: YAMLMap): number {
  return lineEnd(text, Math.max(item.range![0], item.range![1] - 1));
}

/** `  - ` and the column of the entry's keys, from an existing entry. */
function indentation(text: string, item: YAMLMap): { first: string; rest: string } {
  const start = lineStart(text, item.range![0]);
  const first = text.slice(start, item.range![0]);
  if (!/^ *- *$/.test(first)) throw new VendingError('members entries must start on their own "- " line');
  return { first, rest: ' '.repeat(first.length) };
}

/**
 * The file's line ending: CRLF when most of its lines end so (a file edited on Windows), else LF. An
 * entry written with another ending than its neighbours' would show as a changed-everything diff in
 * some tools and mixed endings in others.
 */
export function lineEnding(text: string): '\r\n' | '\n' {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** Renders one entry: the id quoted (a bare 12-digit id would read back as a number), Regions inline. */
export function renderEntry(entry: MemberEntry, indent: { first: string; rest: string }, eol: '\r\n' | '\n' = '\n'): string {
  const doc = new Document(entry);
  const map = doc.contents as YAMLMap;
  (map.get('id', true) as Scalar).type = Scalar.QUOTE_DOUBLE;
  // A date reads back as a date under YAML 1.1 schemas: quoted, as `baseline remove` writes it.
  for (const key of ['removedOn', 'destroyedOn']) {
    const date = map.get(key, true);
    if (date instanceof Scalar) date.type = Scalar.QUOTE_DOUBLE;
  }
  // Region lists read best on one line, as the example config writes them.
  for (const key of ['regions', 'macieAutoEnabledRegions']) {
    const list = map.get(key, true);
    if (isSeq(list)) list.flow = true;
  }
  const lines = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '').split('\n');
  return `${lines.map((line, i) => (i === 0 ? indent.first : indent.rest) + line).join(eol)}${eol}`;
}

function indexOf(items: YAMLMap[], id: string): number {
  return items.findIndex((item) => String(item.get('id')) === id);
}

export function appendMember(text: string, entry: MemberEntry): string {
  const { items } = locate(text);
  const last = items[items.length - 1];
  const at = entryEnd(text, last);
  const eol = lineEnding(text);
  const before = at === text.length && !text.endsWith('\n') ? `${text}${eol}` : text.slice(0, at);
  return before + renderEntry(entry, indentation(text, last), eol) + text.slice(at);
}

export function replaceMember(text: string, id: string, entry: MemberEntry): string {
  const { items } = locate(text);
  const i = indexOf(items, id);
  if (i < 0) throw new VendingError(`account ${id} is not in the config`);
  const start = lineStart(text, items[i].range![0]);
  return text.slice(0, start) + renderEntry(entry, indentation(text, items[i]), lineEnding(text)) + text.slice(entryEnd(text, items[i]));
}


/** The key of the list of removed accounts awaiting the destroy of their stacks. */
const REMOVED = 'removedMembers';

/** The key of the history of accounts whose stacks were destroyed. */
const DESTROYED = 'destroyedMembers';

/** A top-level list (`removedMembers`, `destroyedMembers`): its key's pair and entries, or null when the file has none (or an empty flow `[]`). */
function locateList(text: string, key: string): { pair: Pair; seq: YAMLSeq | null; items: YAMLMap[] } | null {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return null;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair) return null;
  const seq: unknown = pair.value;
  if (isSeq(seq) && seq.flow && seq.items.length === 0) return { pair, seq: null, items: [] };
  if (!isSeq(seq) || seq.flow || !seq.range) throw new VendingError(`${key} must be a block sequence ("- id: ...") in the config file`);
  const items = seq.items.filter((item): item is YAMLMap => isMap(item) && Boolean(item.range));
  if (items.length !== seq.items.length) throw new VendingError(`every entry of ${key} must be a mapping`);
  return { pair, seq, items };
}

/** The `removedMembers` list: its key's pair and entries, or null when the file has none (or an empty flow `[]`). */
function locateRemoved(text: string): { pair: Pair; seq: YAMLSeq | null; items: YAMLMap[] } | null {
  return locateList(text, REMOVED);
}

/** An entry's own lines, from its "- " line to the end of its last value's line. */
function entryLines(text: string, item: YAMLMap): string {
  const end = entryEnd(text, item);
  const lines = text.slice(lineStart(text, item.range![0]), end);
  return end === text.length && !lines.endsWith('\n') ? `${lines}${lineEnding(text)}` : lines;
}

/**
 * The entry's lines for a list indented as `target`: its own lines when the indentation is the same
 * and it is a block mapping, else rendered anew from its data (`extra` keys appended either way,
 * `drop` keys left out).
 */
function movedEntry(text: string, item: YAMLMap, target: { first: string; rest: string }, extra: Record<string, string>, drop: readonly string[]): string {
  const eol = lineEnding(text);
  const own = item.flow ? null : indentation(text, item);
  const dropped = item.items.filter((p) => isScalar(p.key) && drop.includes(String(p.key.value)));
  // A dropped key is cut by whole lines: only when it has lines of its own (not the "- " line).
  const cuttable = dropped.every((p) => {
    const start = (p.key as Scalar).range![0];
    return lineStart(text, start) > lineStart(text, item.range![0]) && /^ *$/.test(text.slice(lineStart(text, start), start));
  });
  if (own && own.first === target.first && cuttable) {
    let lines = entryLines(text, item);
    const base = lineStart(text, item.range![0]);
    for (const p of [...dropped].reverse()) {
      const from = lineStart(text, (p.key as Scalar).range![0]) - base;
      const valueEnd = (p.value as Scalar).range![1];
      const to = Math.min(lineEnd(text, Math.max((p.key as Scalar).range![0], valueEnd - 1)) - base, lines.length);
      lines = lines.slice(0, from) + lines.slice(to);
    }
    return lines + Object.entries(extra).map(([key, value]) => `${target.rest}${key}: ${JSON.stringify(value)}${eol}`).join('');
  }
  const data = Object.fromEntries(Object.entries(item.toJSON() as Record<string, unknown>).filter(([key]) => !drop.includes(key)));
  return renderEntry({ ...(data as MemberEntry), ...extra }, target, eol);
}

/** `text` without the entry `item` of a list; the list's key too when the entry was its last. */
function cutEntry(text: string, item: YAMLMap, whole: { pair: Pair; items: YAMLMap[] } | null): string {
  if (whole && whole.items.length === 1) {
    return text.slice(0, lineStart(text, (whole.pair.key as Scalar).range![0])) + text.slice(entryEnd(text, item));
  }
  return text.slice(0, lineStart(text, item.range![0])) + text.slice(entryEnd(text, item));
}

/**
 * Appends an entry's lines to the top-level list `key`, creating the list when the file has none:
 * after the last entry of the first of `after` that the file has as a block list (`members` last).
 */
function appendToList(text: string, key: string, after: readonly string[], render: (indent: { first: string; rest: string }) => string): string {
  const list = locateList(text, key);
  const eol = lineEnding(text);
  if (list && list.seq) {
    const last = list.items[list.items.length - 1];
    const at = entryEnd(text, last);
    const before = at === text.length && !text.endsWith('\n') ? `${text}${eol}` : text.slice(0, at);
    return before + render(indentation(text, last)) + text.slice(at);
  }
  const anchor = after.map((k) => locateList(text, k)).find((l) => l !== null && l.items.length > 0) ?? locate(text);
  const last = anchor.items[anchor.items.length - 1];
  const block = `${key}:${eol}${render(indentation(text, last))}`;
  if (list) {
    // `<key>: []`: its line becomes the block list.
    const start = lineStart(text, (list.pair.key as Scalar).range![0]);
    return text.slice(0, start) + block + text.slice(lineEnd(text, (list.pair.value as YAMLSeq).range![1] - 1));
  }
  const at = entryEnd(text, last);
  const before = at === text.length && !text.endsWith('\n') ? `${text}${eol}` : text.slice(0, at);
  return before + block + text.slice(at);
}

/** Appends an entry's lines to `removedMembers`, creating the list after `members` when the file has none. */
function appendRemoved(text: string, render: (indent: { first: string; rest: string }) => string): string {
  return appendToList(text, REMOVED, [], render);
}

/**
 * Moves the account from `members` to `removedMembers`, adding `removedOn` and `reason`: its own lines move when
 * the lists are indented alike (they are when this creates `removedMembers`).
 */
export function moveToRemoved(text: string, id: string, removedOn: string, reason: string): string {
  const { items } = locate(text);
  const i = indexOf(items, id);
  if (i < 0) throw new VendingError(`account ${id} is not in members`);
  const item = items[i];
  const own = item.flow ? { first: '  - ', rest: '    ' } : indentation(text, item);
  const cut = cutEntry(text, item, null);
  // The target's indentation is known only once the list is found in the text without the entry.
  return appendRemoved(cut, (indent) => movedEntry(text, item, own.first === indent.first ? own : indent, { removedOn, reason }, []));
}

/** Takes the account out of `removedMembers` (the list's key too when it was the last). */
export function dropRemoved(text: string, id: string): string {
  const removed = locateRemoved(text);
  const i = removed ? indexOf(removed.items, id) : -1;
  if (!removed || i < 0) throw new VendingError(`account ${id} is not in ${REMOVED}`);
  return cutEntry(text, removed.items[i], removed);
}

/** What `baseline remove --destroyed` records of the destroy. */
export interface DestroyRecord {
  /** UTC date, YYYY-MM-DD. */
  readonly destroyedOn: string;
  readonly stateChecked: boolean;
  /** Why the destroy is recorded unchecked: with `stateChecked: false` only. */
  readonly uncheckedReason?: string;
}

/**
 * Moves the account from `removedMembers` (the list's key too when it was the last) to the end of
 * `destroyedMembers` (created after `removedMembers`, or `members`, when the file has none), as
 * `{ id, name, removedOn, reason, destroyedOn, stateChecked, uncheckedReason? }`: the entry is
 * written anew, in the indentation of the list it joins.
 */
export function moveToDestroyed(text: string, id: string, record: DestroyRecord): string {
  const removed = locateRemoved(text);
  const i = removed ? indexOf(removed.items, id) : -1;
  if (!removed || i < 0) throw new VendingError(`account ${id} is not in ${REMOVED}`);
  const data = removed.items[i].toJSON() as Record<string, unknown>;
  const entry: MemberEntry = {
    id,
    name: String(data.name),
    removedOn: String(data.removedOn),
    reason: String(data.reason).trim(),
    destroyedOn: record.destroyedOn,
    stateChecked: record.stateChecked,
    ...(record.uncheckedReason === undefined ? {} : { uncheckedReason: record.uncheckedReason }),
  } as unknown as MemberEntry;
  const cut = cutEntry(text, removed.items[i], removed);
  return appendToList(cut, DESTROYED, [REMOVED], (indent) => renderEntry(entry, indent, lineEnding(text)));
}

/** Moves the account from `removedMembers` back to the end of `members`, without its `removedOn` and `reason`. */
export function restoreRemoved(text: string, id: string): string {
  const removed = locateRemoved(text);
  const i = removed ? indexOf(removed.items, id) : -1;
  if (!removed || i < 0) throw new VendingError(`account ${id} is not in ${REMOVED}`);
  const item = removed.items[i];
  const cut = cutEntry(text, item, removed);
  const { items } = locate(cut);
  const last = items[items.length - 1];
  const at = entryEnd(cut, last);
  const eol = lineEnding(cut);
  const before = at === cut.length && !cut.endsWith('\n') ? `${cut}${eol}` : cut.slice(0, at);
  return before + movedEntry(text, item, indentation(cut, last), {}, ['removedOn', 'reason']) + cut.slice(at);
}
