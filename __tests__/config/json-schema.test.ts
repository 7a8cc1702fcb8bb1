/**
 * The config's JSON Schema (baseline.config.schema.json), which editors use through the example
 * config's `yaml-language-server` comment: it is what config/json-schema.ts generates from the zod
 * schema, the example config passes it, and the mistakes an editor should flag fail it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { configJsonSchema, configJsonSchemaText, REGENERATE_COMMAND, SCHEMA_FILE, SCHEMA_ID } from '../../config/json-schema';
import { loadConfig } from '../../config/load';
import { EXAMPLE_CONFIG_FILE, exampleRaw, REPO_ROOT } from '../helpers';

const committed = readFileSync(SCHEMA_FILE, 'utf8');

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(committed));
}

test('the committed baseline.config.schema.json is exactly what config/json-schema.ts generates', () => {
  expect(SCHEMA_FILE).toBe(join(REPO_ROOT, 'baseline.config.schema.json'));
  // A stale file: regenerate it rather than edit it.
  const stale = committed !== configJsonSchemaText();
  expect({ stale, fix: `run ${REGENERATE_COMMAND} and commit baseline.config.schema.json` }).toEqual({ stale: false, fix: expect.any(String) });
});

test('it is a draft 2020-12 schema with an id, a title and a description on every field', () => {
  const schema = configJsonSchema() as Record<string, any>;
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  expect(schema.$id).toBe(SCHEMA_ID);
  expect(schema.title).toMatch(/org config/);
  expect(schema.additionalProperties).toBe(false);
  // Every field at every depth, for the editor's hover text (from the zod schema's .describe()).
  const undescribed: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const { properties } = node as { properties?: Record<string, { description?: string }> };
    for (const [name, field] of Object.entries(properties ?? {})) if (!field.description) undescribed.push(`${path}.${name}`);
    for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
  };
  walk(schema, '');
  expect(undescribed).toEqual([]);
  // Input mode: what has a default may be left out of the file.
  expect(schema.required).toEqual(['organization', 'regions', 'securityServices', 'members']);
  expect(schema.properties.retention.properties.logArchiveDays).toMatchObject({ default: 365, minimum: 90 });
});

test('the example config names the schema on its first line, for the YAML language server, and passes it', () => {
  const text = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');
  expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./baseline.config.schema.json');
  const validate = validator();
  expect({ valid: validate(parse(text)), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  // The comment is a comment: the loader reads the file as before.
  expect(loadConfig(EXAMPLE_CONFIG_FILE).members).toHaveLength(5);
});

test('the mistakes an editor should flag fail it: an account id as a number, an unknown key, a bad value', () => {
  const validate = validator();
  const errors = (edit: (raw: Record<string, any>) => void) => {
    const raw = exampleRaw();
    edit(raw);
    expect(validate(raw)).toBe(false);
    return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}${e.keyword === 'additionalProperties' ? ` ${e.params.additionalProperty}` : ''}`);
  };
  expect(errors((raw) => (raw.organization.managementAccountId = 111111111111))).toEqual(['/organization/managementAccountId must be string']);
  expect(errors((raw) => (raw.members[0].owner = 'platform'))).toEqual(['/members/0 must NOT have additional properties owner']);
  expect(errors((raw) => (raw.retention = { logArchiveDays: 30 }))).toEqual(['/retention/logArchiveDays must be >= 90']);
  expect(errors((raw) => (raw.members[1].email = 'not-an-email'))).toContain('/members/1/email must match format "email"');
  expect(errors((raw) => delete raw.members)).toEqual([" must have required property 'members'"]);
});
