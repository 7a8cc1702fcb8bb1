/**
 * Generates an org config of N accounts × R Regions from the example (baseline.config.yaml), for the
 * benchmark and for tests that need an org bigger than the example.
 *
 *   tsx bench/generate-org.ts ACCOUNTS REGIONS OUT.yaml
 *
 * The example's five accounts are kept (the core accounts, and 444444444444 that the Macie job and the
 * data events name); generated accounts get unique 12-digit ids and emails. Every member covers every
 * governed Region, so the org has exactly ACCOUNTS × REGIONS member Regions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';

/** The Regions enabled by default in every AWS account (no opt-in), home Region first. */
export const DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
] as const;

const EXAMPLE_CONFIG_FILE = join(__dirname, '..', 'baseline.config.yaml');

/** The id of the i-th generated account: 12 digits, clear of the example's 111111111111…555555555555. */
export function generatedAccountId(i: number): string {
  return String(600000000000 + i);
}

/** The YAML text of an org of `accounts` members covering `regions` Regions each. */
export function generateOrgYaml(accounts: number, regions: number): string {
  if (!Number.isInteger(accounts) || accounts < 5) throw new Error(`accounts: must be an integer of at least 5 (the example's core accounts), got ${accounts}`);
  if (!Number.isInteger(regions) || regions < 1 || regions > DEFAULT_REGIONS.length) {
    throw new Error(`regions: must be an integer from 1 to ${DEFAULT_REGIONS.length}, got ${regions}`);
  }
  const raw = parse(readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'));
  raw.regions = { home: DEFAULT_REGIONS[0], governed: DEFAULT_REGIONS.slice(0, regions) };
  const members = (raw.members as Record<string, unknown>[]).map(({ regions: _subset, ...rest }) => rest);
  for (let i = 0; members.length < accounts; i++) {
    members.push({ id: generatedAccountId(i), name: `workload-${i}`, email: `aws-workload-${i}@example.com`, ou: 'Workloads/Prod' });
  }
  raw.members = members;
  return stringify(raw, { lineWidth: 0 });
}

if (require.main === module) {
  const [accounts, regions, out] = process.argv.slice(2);
  if (!out) {
    process.stderr.write('usage: tsx bench/generate-org.ts ACCOUNTS REGIONS OUT.yaml\n');
    process.exit(2);
  }
  writeFileSync(out, generateOrgYaml(Number(accounts), Number(regions)));
}
