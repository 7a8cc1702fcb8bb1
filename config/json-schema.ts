/**
 * The JSON Schema of the org config, generated from the zod schema (config/schema.ts) so that editors
 * (the YAML language server: VS Code's Red Hat YAML extension, JetBrains IDEs, Neovim) complete and
 * check `baseline.config.yaml` as it is typed. The example config references it on its first line:
 *
 *   # yaml-language-server: $schema=./baseline.config.schema.json
 *
 * `npx tsx config/json-schema.ts` (`make schema`) rewrites baseline.config.schema.json; a test fails
 * when the committed file is not what this generates. The JSON Schema checks each field on its own;
 * the cross-field rules (a Region outside `regions.governed`, a duplicate account id or root email...)
 * are only in config/schema.ts, which the synth and `bin/baseline` run: an editor's green file can
 * still be refused there, with the field and line named.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema } from './schema';

/** Where the generated schema is committed, at the repository root beside the example config. */
export const SCHEMA_FILE = join(__dirname, '..', 'baseline.config.schema.json');

/**
 * The schema's `$id`. The project publishes no URL for it, so a URN names it: editors find the file
 * by the path in the `yaml-language-server` comment, not by its id, and a made-up https URL would
 * invite fetching something that does not exist.
 */
export const SCHEMA_ID = 'urn:soc2-logging-baseline:baseline.config.schema.json';

/** The command that regenerates the file, for messages. */
export const REGENERATE_COMMAND = 'make schema (npx tsx config/json-schema.ts)';

/**
 * The schema as a JSON value. Input mode: a field with a default is optional, as it is in the YAML
 * file (the output types, where defaults are filled in, are for the code that consumes the config).
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'SOC 2 logging and monitoring baseline: org config',
    description:
      'The org config of the SOC 2 logging and monitoring baseline (baseline.config.yaml, or the file BASELINE_CONFIG names). ' +
      'Per-field rules only: cross-field rules (Regions outside regions.governed, duplicate account ids or root emails, ' +
      'core accounts missing from members...) are checked by the synth and bin/baseline.',
    $comment: `Generated from config/schema.ts by ${REGENERATE_COMMAND}; do not edit by hand.`,
    ...rest,
  };
}

/** The file's exact text: two-space indentation and a final newline, so it diffs well. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, configJsonSchemaText());
  process.stderr.write(`wrote ${SCHEMA_FILE}\n`);
}
