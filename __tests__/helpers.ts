/**
 * Test helpers: the example org, variations of it, and the synthesized Terraform JSON of a stack
 * as plain objects that tests assert on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import { ConfigError, parseConfig } from '../config/load';
import type { BaselineConfig } from '../config/schema';
import { buildApp } from '../stacks/app';

export const REPO_ROOT = join(__dirname, '..');
export const EXAMPLE_CONFIG_FILE = join(REPO_ROOT, 'baseline.config.yaml');

/** The example org as raw YAML data (a fresh copy each call, safe to mutate). */
export function exampleRaw(): Record<string, any> {
  return parse(readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'));
}

/** The problem lines the example config, edited, produces (and the assertion that it produces some). */
export function configProblems(edit: (raw: Record<string, any>) => void): string[] {
  const raw = exampleRaw();
  edit(raw);
  try {
    parseConfig(raw, 'test-config');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
}

export function exampleConfig(): BaselineConfig {
  return parseConfig(exampleRaw(), 'baseline.config.yaml');
}

/** The example org with `edit` applied to its raw data, then validated. */
export function configWith(edit: (raw: Record<string, any>) => void): BaselineConfig {
  const raw = exampleRaw();
  edit(raw);
  return parseConfig(raw, 'test-config');
}

export type Synth = {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  provider?: Record<string, any[]>;
  terraform?: Record<string, any>;
  output?: Record<string, any>;
};

export function synthJson(stack: TerraformStack): Synth {
  return JSON.parse(Testing.synth(stack));
}

/** Builds the app for `config` with only `stackName` and returns that stack's Terraform JSON. */
export function synthStack(config: BaselineConfig, stackName: string): Synth {
  const { app } = buildApp(config, { stacks: stackName, outdir: Testing.app().outdir });
  const stack = app.node.findChild(stackName) as TerraformStack;
  return synthJson(stack);
}

/** The resources of one type, as `[logicalId, attributes]` pairs. */
export function resourcesOf(json: Synth, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The only resource of a type whose attributes satisfy `where`; fails if there is not exactly one. */
export function oneResource(json: Synth, type: string, where: (r: Record<string, any>) => boolean = () => true): Record<string, any> {
  const found = resourcesOf(json, type).filter(([, r]) => where(r));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type} matching, found ${found.length}: ${found.map(([id]) => id).join(', ')}`);
  }
  return found[0][1];
}

export function statements(policyJson: string): Record<string, any>[] {
  return JSON.parse(policyJson).Statement;
}

export function statement(policyJson: string, sid: string): Record<string, any> {
  const s = statements(policyJson).find((st) => st.Sid === sid);
  if (!s) throw new Error(`no statement ${sid} in policy: ${policyJson}`);
  return s;
}

/** The terraform reference a resource's attribute resolves to, e.g. `${aws_s3_bucket.x.id}`. */
export function refTo(json: Synth, type: string, where: (r: Record<string, any>) => boolean, attr: string): string {
  const match = resourcesOf(json, type).filter(([, r]) => where(r));
  if (match.length !== 1) throw new Error(`expected one ${type}, found ${match.length}`);
  return `\${${type}.${match[0][0]}.${attr}}`;
}

/**
 * Turns the investigations off, with the control exception that needs: for configs the investigations
 * refuse (no log reader in the audit account, Control Tower's organization trail) in tests about
 * something else.
 */
export function withoutInvestigations(raw: Record<string, any>): void {
  raw.investigations = { enabled: false };
  raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 'investigations.athena', reason: 'This test is about something else.' }];
}
