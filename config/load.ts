/**
 * Reading the org config: YAML in, a validated `BaselineConfig` out, or a `ConfigError` whose lines
 * each name one field path (`members[3].id: must be a 12-digit account id`) and its line in the file.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { configSchema, crossFieldIssues, type BaselineConfig } from './schema';

/** The example org shipped with the repository, used when `BASELINE_CONFIG` is not set. */
export const DEFAULT_CONFIG_FILE = 'baseline.config.yaml';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} is not a valid baseline config:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `['members', 3, 'id']` → `members[3].id` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // Walk up the path until a node exists: a missing field is reported at its parent's line.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
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
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`]);
  }
  return parseConfigYaml(text, file);
}
