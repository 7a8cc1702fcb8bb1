/**
 * The binder: the evidence as files an auditor keeps. `index.html` (small, readable, printable), one
 * page per account (`accounts/<id>.html`), the raw API responses (`raw/*.json`), every item as CSV
 * and JSON, the config and its change history, the investigation sample (`investigation-sample.json`),
 * and `SHA256SUMS` of every file so the binder is tamper-evident. Keys and items are sorted and
 * nothing but the run's clock is printed, so the same items always give the same bytes.
 *
 * `BinderWriter` writes it as a stream: raw records one by one, items control by control, so that a
 * binder of half a million items is written without holding them (evidence/assemble.ts feeds it from
 * collection folders); `writeBinder` feeds it an in-memory result.
 */
import { createHash } from 'node:crypto';
import { accessSync, appendFileSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { canonicalize, canonicalJson } from './canonical';
import { INVESTIGATION_SAMPLE_CONTROL, INVESTIGATION_SAMPLE_FILE, type SampleFile } from './checks/period-investigation';
import { ACCOUNT_PAGE_TAIL, accountControlSection, accountPage, accountPageHead, BinderSummary, renderIndex } from './html';
import type { ConfigHistory, EvidenceItem, EvidenceResult, EvidenceRun, RawRecord } from './types';
import { compareItems } from './units';
import { RAW_NAME } from './collection';

/** The files and folders a binder consists of: what a rewrite replaces. */
const BINDER_ENTRIES = ['index.html', 'items.csv', 'items.json', 'raw', 'accounts', 'org-config.yaml', 'config-history.txt', 'config-history.patch', INVESTIGATION_SAMPLE_FILE, 'SHA256SUMS'];

/**
 * The folders `baseline evidence` works in, inside the binder's folder: the collection (what a killed
 * run resumes from; removed once the binder is written) and the assembly's scratch space. Never hashed.
 */
export const WORK_ENTRIES = ['.collection', '.assembling'];

export class BinderError extends Error {}

/** A CSV field (RFC 4180), with spreadsheet formulas neutralised: the reasons quote AWS's text. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function renderCsv(items: readonly EvidenceItem[]): string {
  const header = ['id', 'status', 'control', 'tsc', 'title', 'account', 'region', 'resource', 'reason', 'collected_at', 'raw', 'sources'];
  const rows = items.map((i) =>
    [i.id, i.status, i.controlId, i.tsc.join(' '), i.title, i.accountId, i.region, i.resource ?? '', i.reason, i.collectedAt, i.raw.map((r) => `raw/${r}`).join(' '), i.sources.join(' ')].map(csvField).join(','),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

function historyText(h: ConfigHistory | undefined): string | undefined {
  if (!h) return undefined;
  if (!h.available) return `Change history of ${h.file}: not available.\n${h.reason}\n`;
  return [
    `Change history of ${h.file} (git log --follow): ${h.commits.length} commit(s), newest first.`,
    '',
    ...h.commits.map((c) => `${c.date}  ${c.hash.slice(0, 12)}  ${c.author} <${c.authorEmail}>  +${c.added} -${c.removed}  ${c.subject}`),
    '',
    'Every change, line by line: config-history.patch',
    '',
  ].join('\n');
}

export interface WriteBinderOptions {
  /**
   * The config file's text, copied into the binder as `org-config.yaml`.
   * @default - read from `result.run.configFile` when there is one
   */
  readonly configText?: string;
  /**
   * The investigation sample's bytes, copied into the binder as `investigation-sample.json`.
   * @default - read from `result.run.investigationSample` when there is one
   */
  readonly investigationSample?: Buffer;
}

/**
 * The investigation sample to copy: the file `result.run.investigationSample` names (or the bytes
 * given), which must be the bytes the sample's item was judged on (its `details.file.sha256`), so that
 * SHA256SUMS covers what the binder shows. None when no sample was given.
 */
function sampleBytes(result: EvidenceResult, given: Buffer | undefined): Buffer | undefined {
  const path = result.run.investigationSample;
  if (given === undefined && path === undefined) return undefined;
  const judged = result.items.find((i) => i.controlId === INVESTIGATION_SAMPLE_CONTROL)?.details?.file as SampleFile | undefined;
  let bytes: Buffer;
  try {
    bytes = given ?? readFileSync(path as string);
  } catch (e) {
    if (!judged) return undefined;
    throw new BinderError(`the investigation sample (--investigation-sample) ${path} cannot be read to copy it into the binder: ${(e as Error).message}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (judged && judged.sha256 !== sha256) {
    throw new BinderError(`the investigation sample (--investigation-sample) ${path ?? '(given)'} changed after it was judged (SHA-256 ${sha256}, judged ${judged.sha256}): collect again`);
  }
  return bytes;
}

/**
 * Whether a binder may be written into `dir`: a new folder (its nearest existing parent a folder this
 * process may write to), an empty one, or an earlier binder; anything else throws BinderError, naming
 * the reason. `baseline evidence` checks it before collecting anything, `writeBinder` again.
 */
export function checkBinderFolder(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new BinderError(`${dir} is a file, not a folder`);
    const foreign = readdirSync(dir).filter((f) => !BINDER_ENTRIES.includes(f) && !WORK_ENTRIES.includes(f));
    if (foreign.length) throw new BinderError(`${dir} holds files that are not part of a binder (${foreign.slice(0, 5).join(', ')}): choose an empty or new folder`);
    return;
  }
  let parent = dirname(resolve(dir));
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) throw new BinderError(`${dir} cannot be created: ${parent} is a file, not a folder`);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new BinderError(`${dir} cannot be created: ${parent} is not writable by this user`);
  }
}

const CSV_HEADER = 'id,status,control,tsc,title,account,region,resource,reason,collected_at,raw,sources';

function csvRow(i: EvidenceItem): string {
  return [i.id, i.status, i.controlId, i.tsc.join(' '), i.title, i.accountId, i.region, i.resource ?? '', i.reason, i.collectedAt, i.raw.map((r) => `raw/${r}`).join(' '), i.sources.join(' ')].map(csvField).join(',');
}

/** A file written in pieces, hashed as it goes. */
class StreamedFile {
  private readonly fd: number;
  private readonly hash = createHash('sha256');

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    writeSync(this.fd, bytes);
    this.hash.update(bytes);
  }

  close(): string {
    closeSync(this.fd);
    return this.hash.digest('hex');
  }
}

/** `text` (several lines) indented by `n` spaces after its first line. */
const indentRest = (text: string, n: number) => text.replace(/\n/g, `\n${' '.repeat(n)}`);

export interface BinderExtras {
  /** The config file's text (`org-config.yaml`). @default - none */
  readonly configText?: string;
  /** @default - none */
  readonly history?: ConfigHistory;
  /** The investigation sample's bytes, already checked against its item (`sampleBytes`). @default - none */
  readonly sample?: Buffer;
}

/**
 * Writes a binder as a stream. Give it every raw record (`addRaw`, any order), then the items control by
 * control in the binder's order (`addControl`: controls by `compareControls`, each control's items by
 * id), then `finish`. An earlier binder in the folder is replaced; a folder holding anything else is
 * refused. Holds the account pages' parts on disk, and in memory only the index's bounded summary and
 * one SHA-256 per file.
 */
export class BinderWriter {
  /** SHA-256 of every file but the raw ones, whose lines go to `rawSums` as they are written (memory stays flat). */
  private readonly sums = new Map<string, string>();
  private readonly rawSums: number;
  /** Raw files written. */
  rawFiles = 0;
  private readonly summary = new BinderSummary();
  private readonly itemsJson: StreamedFile;
  private readonly itemsCsv: StreamedFile;
  private readonly scratch: string;
  private readonly accountParts = new Set<string>();
  private firstItem = true;

  constructor(readonly dir: string) {
    checkBinderFolder(dir);
    if (existsSync(dir)) {
      for (const entry of [...BINDER_ENTRIES, '.assembling']) rmSync(join(dir, entry), { recursive: true, force: true });
    }
    mkdirSync(join(dir, 'raw'), { recursive: true });
    mkdirSync(join(dir, 'accounts'), { recursive: true });
    this.scratch = join(dir, '.assembling');
    mkdirSync(this.scratch, { recursive: true });
    this.itemsJson = new StreamedFile(join(dir, 'items.json'));
    this.itemsJson.write('{\n  "items": [');
    this.itemsCsv = new StreamedFile(join(dir, 'items.csv'));
    this.itemsCsv.write(`${CSV_HEADER}\r\n`);
    this.rawSums = openSync(join(this.scratch, 'raw-sums'), 'w');
  }

  private writeFile(rel: string, data: string | Buffer): void {
    writeFileSync(join(this.dir, rel), data);
    this.sums.set(rel, createHash('sha256').update(data).digest('hex'));
  }

  addRaw(record: RawRecord): void {
    // One plain file name in raw/ (evidence/collection.ts RAW_NAME): never a path out of the binder.
    if (!RAW_NAME.test(record.name)) throw new BinderError(`a raw record is named ${JSON.stringify(record.name)}, not a plain file name: nothing is written outside raw/`);
    const data = canonicalJson(record);
    writeFileSync(join(this.dir, 'raw', record.name), data);
    writeSync(this.rawSums, `${createHash('sha256').update(data).digest('hex')}  raw/${record.name}\n`);
    this.rawFiles += 1;
  }

  /** Whether a raw file of that name was written (the streaming assembly's name check). */
  hasRaw(name: string): boolean {
    return existsSync(join(this.dir, 'raw', name));
  }

  /** The raw record written under that name. */
  readRaw(name: string): RawRecord | undefined {
    return this.hasRaw(name) ? (JSON.parse(readFileSync(join(this.dir, 'raw', name), 'utf8')) as RawRecord) : undefined;
  }

  /** One control's items, sorted by id. */
  addControl(controlId: string, items: readonly EvidenceItem[]): void {
    const byAccount = new Map<string, EvidenceItem[]>();
    for (const item of items) {
      this.itemsJson.write(`${this.firstItem ? '\n' : ',\n'}    ${indentRest(JSON.stringify(canonicalize(item), null, 2), 4)}`);
      this.firstItem = false;
      this.itemsCsv.write(`${csvRow(item)}\r\n`);
      this.summary.add(item);
      const list = byAccount.get(item.accountId);
      if (list) list.push(item);
      else byAccount.set(item.accountId, [item]);
    }
    for (const [accountId, list] of byAccount) {
      appendFileSync(join(this.scratch, accountId.replace(/[^A-Za-z0-9_-]+/g, '_')), `${accountControlSection(controlId, list)}\n`);
      this.accountParts.add(accountId);
    }
  }

  /** Writes the rest (items.json's run, the account pages, the index, SHA256SUMS) and returns the files written but the raw ones, sorted. */
  finish(run: EvidenceRun, extras: BinderExtras = {}): string[] {
    this.itemsJson.write(`${this.firstItem ? ']' : '\n  ]'},\n  "run": ${indentRest(JSON.stringify(canonicalize(run), null, 2), 2)}\n}\n`);
    this.sums.set('items.json', this.itemsJson.close());
    this.itemsCsv.write('');
    this.sums.set('items.csv', this.itemsCsv.close());
    for (const accountId of [...this.accountParts].sort()) {
      const rel = accountPage(accountId);
      const part = join(this.scratch, accountId.replace(/[^A-Za-z0-9_-]+/g, '_'));
      const file = new StreamedFile(join(this.dir, rel));
      file.write(accountPageHead(run, accountId, this.summary.accounts.get(accountId) ?? { PASS: 0, FAIL: 0, ERROR: 0 }));
      file.write(readFileSync(part, 'utf8'));
      file.write(ACCOUNT_PAGE_TAIL);
      this.sums.set(rel, file.close());
    }
    if (extras.configText !== undefined) this.writeFile('org-config.yaml', extras.configText);
    const history = historyText(extras.history);
    if (history) this.writeFile('config-history.txt', history);
    if (extras.history?.available) this.writeFile('config-history.patch', extras.history.patch);
    if (extras.sample) this.writeFile(INVESTIGATION_SAMPLE_FILE, extras.sample);
    this.writeFile('index.html', renderIndex(run, this.summary, extras.history));
    // The files but the raw ones, sorted; then the raw files in the order they were written (units in
    // key order: the same for the same evidence), so that SHA256SUMS is written without holding them.
    closeSync(this.rawSums);
    const files = [...this.sums.keys()].sort();
    const sums = new StreamedFile(join(this.dir, 'SHA256SUMS'));
    sums.write(files.map((f) => `${this.sums.get(f)}  ${f}\n`).join(''));
    const rawSums = join(this.scratch, 'raw-sums');
    const fd = openSync(rawSums, 'r');
    try {
      const buffer = Buffer.alloc(4 * 1024 * 1024);
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) sums.write(buffer.toString('utf8', 0, n));
    } finally {
      closeSync(fd);
    }
    sums.close();
    rmSync(this.scratch, { recursive: true, force: true });
    return [...files, 'SHA256SUMS'].sort();
  }

  /** Summary counts so far (the verdict, after `finish`). */
  get counts(): Readonly<Record<'PASS' | 'FAIL' | 'ERROR', number>> {
    return this.summary.total;
  }
}

/**
 * The order of controls in the binder: that of their items' ids (`compareItems`), since an id starts
 * with its control and a `/`.
 */
export const compareControls = (a: string, b: string) => `${a}/`.localeCompare(`${b}/`);

/**
 * Writes the binder of an in-memory result into `dir` and returns the files written (relative, sorted).
 * An existing binder there is replaced; a folder holding anything else is refused, so no unrelated
 * file is deleted or listed in SHA256SUMS.
 */
export function writeBinder(result: EvidenceResult, dir: string, options: WriteBinderOptions = {}): string[] {
  checkBinderFolder(dir);
  const sample = sampleBytes(result, options.investigationSample);
  const writer = new BinderWriter(dir);
  for (const record of [...result.raw.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) writer.addRaw(record);
  const byControl = new Map<string, EvidenceItem[]>();
  for (const item of [...result.items].sort(compareItems)) {
    const list = byControl.get(item.controlId);
    if (list) list.push(item);
    else byControl.set(item.controlId, [item]);
  }
  for (const id of [...byControl.keys()].sort(compareControls)) writer.addControl(id, byControl.get(id) as EvidenceItem[]);
  const configText = options.configText ?? (result.run.configFile && existsSync(result.run.configFile) ? readFileSync(result.run.configFile, 'utf8') : undefined);
  const files = writer.finish(result.run, { ...(configText !== undefined ? { configText } : {}), ...(result.history ? { history: result.history } : {}), ...(sample ? { sample } : {}) });
  return [...files, ...[...result.raw.keys()].map((n) => `raw/${n}`)].sort();
}
