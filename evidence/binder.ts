/**
 * `writeBinder`: the evidence as files an auditor keeps. `index.html` (readable, printable), the raw
 * API responses (`raw/*.json`), every item as CSV and JSON, the config and its change history, the
 * investigation sample (`investigation-sample.json`), and `SHA256SUMS` of every file so the binder is
 * tamper-evident. Keys and items are sorted and nothing
 * but the run's clock is printed, so the same result always gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { canonicalJson } from './canonical';
import { INVESTIGATION_SAMPLE_CONTROL, INVESTIGATION_SAMPLE_FILE, type SampleFile } from './checks/period-investigation';
import { renderIndex } from './html';
import type { EvidenceItem, EvidenceResult } from './types';

/** The files and folders a binder consists of: what a rewrite replaces. */
const BINDER_ENTRIES = ['index.html', 'items.csv', 'items.json', 'raw', 'org-config.yaml', 'config-history.txt', 'config-history.patch', INVESTIGATION_SAMPLE_FILE, 'SHA256SUMS'];

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

function historyText(result: EvidenceResult): string | undefined {
  const h = result.history;
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

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    })
    .sort();
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
    const foreign = readdirSync(dir).filter((f) => !BINDER_ENTRIES.includes(f));
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

/**
 * Writes the binder into `dir` and returns the files written (relative, sorted). An existing binder
 * there is replaced; a folder holding anything else is refused, so no unrelated file is deleted or
 * listed in SHA256SUMS.
 */
export function writeBinder(result: EvidenceResult, dir: string, options: WriteBinderOptions = {}): string[] {
  checkBinderFolder(dir);
  const sample = sampleBytes(result, options.investigationSample);
  if (existsSync(dir)) {
    for (const entry of BINDER_ENTRIES) rmSync(join(dir, entry), { recursive: true, force: true });
  }
  mkdirSync(join(dir, 'raw'), { recursive: true });
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  for (const [name, record] of result.raw) write(join('raw', name), canonicalJson(record));
  write('items.json', canonicalJson({ run: result.run, items: result.items }));
  write('items.csv', renderCsv(result.items));
  const configText = options.configText ?? (result.run.configFile && existsSync(result.run.configFile) ? readFileSync(result.run.configFile, 'utf8') : undefined);
  if (configText !== undefined) write('org-config.yaml', configText);
  const history = historyText(result);
  if (history) write('config-history.txt', history);
  if (result.history?.available) write('config-history.patch', result.history.patch);
  if (sample) writeFileSync(join(dir, INVESTIGATION_SAMPLE_FILE), sample);
  write('index.html', renderIndex(result));

  const files = listFiles(dir).map((f) => relative(dir, f).split(sep).join('/'));
  const sums = files.map((f) => `${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}  ${f}`);
  write('SHA256SUMS', `${sums.join('\n')}\n`);
  return [...files, 'SHA256SUMS'].sort();
}
