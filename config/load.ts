/**
 * Reading the org config: YAML in, a validated `BaselineConfig` out, or a `ConfigError` whose lines
 * each name one field path (`members[3].id: must be a 12-digit account id`) and its line in the file.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { configSchema, crossFieldIssues, type BaselineConfig } from './schema';

/** The example org shipped with the repository, used when `BASELINE_CONFIG` is not set. */
export const DEFAULT_CONFIG_FILE = 'baseline.config.yaml';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    /**
     * The whole message, for a problem with the file rather than its fields (missing, empty): then the
     * one problem is that sentence too.
     * @default - "<file> is not a valid baseline config:" and the problems, one a line
     */
    headline?: string,
  ) {
    super(headline ?? `${file} is not a valid baseline config:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** What a config file holds at its top level, for the sentence that refuses anything but a mapping. */
function shapeOf(data: unknown): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  return typeof data === 'object' ? 'a mapping' : `a single value (${JSON.stringify(data)})`;
}

const CONFIG_SHAPE_HINT = 'a baseline config is a YAML mapping of fields (organization:, regions:, securityServices:, members: ...; see baseline.config.yaml and docs/config-reference.md)';

/** `['members', 3, 'id']` → `members[3].id` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * The line a field path points at: a mapping entry's key (not its value, which for a nested mapping
 * or list starts on the next line), a list item's first line. A path that does not exist (a missing
 * field) is reported at the deepest part that does: its parent's key or item.
 */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === part);
      if (!pair) break;
      const key = pair.key as { range?: [number, number, number] } | null;
      if (key?.range) offset = key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

function zodProblems(error: z.ZodError): { path: PropertyKey[]; message: string }[] {
  const out: { path: PropertyKey[]; message: string }[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...issue.path, key], message: 'unknown key' });
    } else if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      // A record key that failed its own rules: say which rule, not "Invalid key in record".
      out.push({ path: issue.path, message: issue.issues[0].message });
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      out.push({ path: issue.path, message: 'is required' });
    } else if (issue.code === 'invalid_type' && (issue.expected === 'object' || issue.expected === 'array')) {
      // "expected object, received string" is the library's; say it in the file's terms.
      const got = issue.input === null ? 'empty' : Array.isArray(issue.input) ? 'a list' : typeof issue.input === 'object' ? 'a mapping' : `a single value (${JSON.stringify(issue.input)})`;
      out.push({ path: issue.path, message: `must be ${issue.expected === 'object' ? 'a mapping of fields, indented below it' : 'a list'}, not ${got}` });
    } else {
      out.push({ path: issue.path, message: issue.message });
    }
  }
  return out;
}

/** Validates already-parsed config data (from YAML, JSON or code). Throws `ConfigError`. */
export function parseConfig(data: unknown, file = '<config>', doc?: Document, counter?: LineCounter): BaselineConfig {
  const located = (path: PropertyKey[], message: string): string => {
    const line = doc && counter ? lineOf(doc, counter, path) : undefined;
    return `${formatPath(path)}: ${message}${line ? ` (line ${line})` : ''}`;
  };
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    const problem = data === null || data === undefined ? 'is empty' : `holds ${shapeOf(data)} at its top level, not a mapping of fields`;
    const message = `${file} ${problem}: ${CONFIG_SHAPE_HINT}`;
    throw new ConfigError(file, [message], message);
  }
  const result = configSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(file, zodProblems(result.error).map((p) => located(p.path, p.message)));
  }
  const issues = crossFieldIssues(result.data);
  if (issues.length > 0) {
    throw new ConfigError(file, issues.map((p) => located(p.path, p.message)));
  }
  return result.data;
}

/** Parses YAML text. Throws `ConfigError` for YAML syntax errors and for invalid config. */
export function parseConfigYaml(text: string, file = '<config>'): BaselineConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `YAML syntax: ${e.message.split('\n')[0]} (line ${counter.linePos(e.pos[0]).line})`),
    );
  }
  return parseConfig(doc.toJS(), file, doc, counter);
}

/** Resolves the config file: `BASELINE_CONFIG` when set, else the shipped example org. */
export function configPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const chosen = env.BASELINE_CONFIG && env.BASELINE_CONFIG.trim() !== '' ? env.BASELINE_CONFIG : DEFAULT_CONFIG_FILE;
  return isAbsolute(chosen) ? chosen : resolve(cwd, chosen);
}

/** Reads and validates a config file. Throws `ConfigError`. */
export function loadConfig(file: string): BaselineConfig {
  return parseConfigYaml(readConfigText(file), file);
}

/** Why a config file cannot be read, as a sentence: `<file>: no such file (...)`. */
export function unreadableConfigMessage(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const which = 'BASELINE_CONFIG or --config names the config file; when neither is given it is baseline.config.yaml in the current folder';
  if (code === 'ENOENT') return `${file}: no such file (${which})`;
  if (code === 'EISDIR') return `${file}: is a folder, not a config file (${which})`;
  if (code === 'EACCES' || code === 'EPERM') return `${file}: cannot be read: permission denied`;
  return `${file}: cannot be read: ${code ?? String(error)}`;
}

/** A config file's text. Throws `ConfigError` with a plain sentence when it cannot be read. */
export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const message = unreadableConfigMessage(file, e);
    throw new ConfigError(file, [message], message);
  }
}
