/**
 * Edits of the `members` list of the org config as text splices at the node ranges the YAML parser
 * reports, so that every other byte of the file (comments, alignment, quoting, flow lists, line
 * endings) stays as its authors wrote it. Only the entry that is added, replaced or removed is
 * (re)written, with the file's own line ending.
 */
import { Document, isMap, isSeq, parseDocument, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
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

export function removeMember(text: string, id: string): string {
  const { items } = locate(text);
  const i = indexOf(items, id);
  if (i < 0) throw new VendingError(`account ${id} is not in the config`);
  return text.slice(0, lineStart(text, items[i].range![0])) + text.slice(entryEnd(text, items[i]));
}
