/**
 * What every stack declares besides its resources: where its local state lives (a path relative to
 * the folder Terraform runs in, never a machine's absolute path) and the AWS provider version
 * constraint (exactly the bindings' 6.25.0 unless `deployment.awsProviderVersion` widens it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localStatePath } from '../../stacks/baseline-stack';
import { configWith, exampleConfig, EXAMPLE_CONFIG_FILE, REPO_ROOT, synthStack } from '../helpers';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(REPO_ROOT, 'main.ts');

/** `tsx main.ts` (what `make synth` runs) in `cwd`, with the given environment only for the baseline's variables. */
function synth(cwd: string, env: Record<string, string>) {
  const inherited = { ...process.env };
  for (const name of ['BASELINE_CONFIG', 'BASELINE_STACKS', 'CDKTF_OUTDIR']) delete inherited[name];
  return spawnSync(TSX, [MAIN], { cwd, env: { ...inherited, ...env }, encoding: 'utf8' });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8', withFileTypes: false })
    .map((f) => join(dir, f))
    .filter((f) => {
      try {
        readFileSync(f);
        return true;
      } catch {
        return false;
      }
    });
}

describe('local state', () => {
  test('each stack keeps state/terraform.<stack>.tfstate inside its output folder, by a path relative to its own folder', () => {
    for (const name of ['management', 'member-444444444444']) {
      const json = synthStack(exampleConfig(), name);
      expect(json.terraform!.backend).toEqual({ local: { path: `../../state/terraform.${name}.tfstate` } });
      // Terraform runs in <outdir>/stacks/<stack> (terraform -chdir): the file is <outdir>/state/terraform.<stack>.tfstate,
      // whatever the output folder is; two output folders (two organizations) never share one.
      for (const outdir of [join(REPO_ROOT, 'cdktf.out'), '/abs/out', join(tmpdir(), 'org-b', 'out-b')]) {
        const file = resolve(join(outdir, 'stacks', name), localStatePath(name));
        expect(file).toBe(join(outdir, 'state', `terraform.${name}.tfstate`));
        expect(file.startsWith(`${outdir}/`)).toBe(true);
      }
    }
  });

  test('an S3 backend is unchanged: no local path', () => {
    const json = synthStack(configWith((raw) => (raw.state = { backend: 's3', bucket: 'acme-tf-state', region: 'us-east-1' })), 'management');
    expect(Object.keys(json.terraform!.backend)).toEqual(['s3']);
  });

  test('no synthesized file holds the repository path or the folder it was synthesized in (make synth, in a temp folder)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-paths-'));
    try {
      writeFileSync(join(dir, 'org.yaml'), readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'));
      const result = synth(dir, { BASELINE_CONFIG: 'org.yaml' });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      // The folder of the local state files is made by synth, inside the output folder, before any terraform init.
      expect(readdirSync(join(dir, 'cdktf.out', 'state'))).toEqual([]);
      expect(existsSync(join(dir, 'terraform.management.tfstate'))).toBe(false);
      const stacks = join(dir, 'cdktf.out', 'stacks');
      expect(readdirSync(stacks).sort()).toEqual(['management', 'member-111111111111', 'member-222222222222', 'member-333333333333', 'member-444444444444', 'member-555555555555']);
      const paths = [...new Set([REPO_ROOT, dir, realpathSync(dir), tmpdir()])];
      const offending = filesUnder(stacks).filter((file) => {
        const text = readFileSync(file, 'utf8');
        return paths.some((p) => text.includes(p));
      });
      expect(offending).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('the AWS provider version constraint', () => {
  test('by default exactly 6.25.0, the version the bindings were generated for', () => {
    for (const name of ['management', 'member-555555555555']) {
      expect(synthStack(exampleConfig(), name).terraform!.required_providers).toEqual({ aws: { source: 'aws', version: '6.25.0' } });
    }
  });

  test('deployment.awsProviderVersion widens it in every stack, and nothing else changes', () => {
    const widened = configWith((raw) => (raw.deployment.awsProviderVersion = '~> 6.25'));
    for (const name of ['management', 'member-555555555555']) {
      const json = synthStack(widened, name);
      expect(json.terraform!.required_providers).toEqual({ aws: { source: 'aws', version: '~> 6.25' } });
      const exact = synthStack(exampleConfig(), name);
      const strip = (j: Record<string, any>) => JSON.stringify({ ...j, terraform: undefined, '//': undefined });
      expect(strip(json)).toBe(strip(exact));
    }
  });

  test('a constraint admitting 7.x is refused by make synth, naming the field and its line, and nothing is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-provider-'));
    try {
      const text = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8').replace(/^deployment:\n/m, 'deployment:\n  awsProviderVersion: ">= 6.25.0"\n');
      writeFileSync(join(dir, 'org.yaml'), text);
      const result = synth(dir, { BASELINE_CONFIG: 'org.yaml' });
      expect(result.status).toBe(1);
      const line = text.split('\n').findIndex((l) => l.includes('awsProviderVersion')) + 1;
      expect(result.stderr).toContain(
        `  deployment.awsProviderVersion: admits provider 7.0.0 or later, whose arguments may differ from the 6.x the stacks are written for: stay below 7.0.0, e.g. "~> 6.25" or ">= 6.25.0, < 7.0.0" (line ${line})\n`,
      );
      expect(readdirSync(dir)).toEqual(['org.yaml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
