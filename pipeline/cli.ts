/**
 * `baseline pipeline --format github-actions|gitlab|atlantis`: writes the CI configuration that plans,
 * reviews and applies every stack (or only the changed ones) on parallel runners, `management` first.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { CommandError, UsageError, type CliCommand, type CliValues } from '../bin/cli-command';
import { DEFAULT_FILES, generatePipeline } from './generate';
import { DEFAULT_MAX_PARALLEL, DEFAULT_TERRAFORM_VERSION, PIPELINE_FORMATS, type PipelineFormat } from './options';
import { shellQuote } from './script';
import { readPipelineStacks } from './stacks';

function stringValue(values: CliValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name}: takes one value`);
  return value;
}

/** A path as the CI jobs see it: relative to the repository root (the current directory), with `/`. */
function repoPath(option: string, path: string, cwd: string): string {
  const rel = isAbsolute(path) ? relative(cwd, path) : path;
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new UsageError(`--${option}: ${path} is not inside the current directory; run baseline pipeline from the repository root`);
  }
  return rel.split(sep).join('/').replace(/^\.\//, '');
}

export const pipelineCommand: CliCommand = {
  name: 'pipeline',
  summary: 'Write the GitHub Actions, GitLab CI or Atlantis config that plans, reviews and applies every stack, management first.',
  usage: [
    'baseline pipeline --format github-actions|gitlab|atlantis [--max-parallel N] [--changed-only] [--out FILE [--check]]',
    'baseline pipeline --format github-actions --out .github/workflows/baseline.yml',
    'baseline pipeline --format gitlab --changed-only --out child-pipeline.yml',
  ],
  options: [
    { name: 'format', type: 'string', placeholder: 'github-actions|gitlab|atlantis', description: 'The CI system to write for. Required.' },
    { name: 'outdir', type: 'string', placeholder: 'DIR', description: 'The synth output to read (manifest.json, changed-stacks.json), inside the repository. Default: cdktf.out.' },
    { name: 'max-parallel', type: 'string', placeholder: 'N', description: `At most N member stacks run at once. Default: ${DEFAULT_MAX_PARALLEL}.` },
    { name: 'changed-only', type: 'boolean', description: 'Only the stacks the last synth added or changed (changed-stacks.json). Default: every stack of manifest.json.' },
    { name: 'out', type: 'string', placeholder: 'FILE', description: 'Write the configuration to FILE (folders created). Default: stdout.' },
    { name: 'check', type: 'boolean', description: 'With --out: write nothing, exit 1 if FILE differs from what would be written (for CI).' },
    { name: 'branch', type: 'string', placeholder: 'NAME', description: 'The branch whose pipelines apply; others plan and review only. Default: main.' },
    { name: 'terraform-version', type: 'string', placeholder: 'X.Y.Z', description: `The Terraform the jobs install (>= 1.10 for S3 lock files). Default: ${DEFAULT_TERRAFORM_VERSION}.` },
    { name: 'allow-file', type: 'string', placeholder: 'FILE', description: 'Reviewed exceptions the jobs pass to baseline review --allow-file. Default: none.' },
    { name: 'config', type: 'string', placeholder: 'FILE', description: 'The org config the jobs synthesize (BASELINE_CONFIG). Default: baseline.config.yaml.' },
  ],
  details: [
    'Files: GitHub Actions .github/workflows/baseline.yml, GitLab .gitlab-ci.yml, Atlantis atlantis.yaml (see docs/pipeline.md).',
    'Exit codes: 0 written (or current, with --check), 1 refused (no manifest, limit exceeded, file out of date), 2 usage.',
  ],
  async run(values, positionals, io) {
    void positionals;
    const format = stringValue(values, 'format') as PipelineFormat | undefined;
    if (format === undefined) throw new UsageError(`--format: required, one of ${PIPELINE_FORMATS.join(', ')}`);
    if (!PIPELINE_FORMATS.includes(format)) throw new UsageError(`--format: must be one of ${PIPELINE_FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
    const maxParallelText = stringValue(values, 'max-parallel');
    const maxParallel = maxParallelText === undefined ? DEFAULT_MAX_PARALLEL : Number(maxParallelText);
    if (!Number.isInteger(maxParallel) || maxParallel < 1) throw new UsageError(`--max-parallel: must be a whole number of at least 1 (got ${JSON.stringify(maxParallelText)})`);
    const branch = stringValue(values, 'branch') ?? 'main';
    if (!/^[A-Za-z0-9._/-]+$/.test(branch)) throw new UsageError(`--branch: must be a branch name of letters, digits and ._/- (got ${JSON.stringify(branch)})`);
    const terraformVersion = stringValue(values, 'terraform-version') ?? DEFAULT_TERRAFORM_VERSION;
    const [major, minor] = terraformVersion.split('.').map(Number);
    if (!/^\d+\.\d+\.\d+$/.test(terraformVersion) || (major === 1 && minor < 10) || major < 1) {
      throw new UsageError(`--terraform-version: must be a release X.Y.Z of at least 1.10.0, which the S3 backend's lock file needs (got ${JSON.stringify(terraformVersion)})`);
    }
    const out = stringValue(values, 'out');
    const check = values.check === true;
    if (check && out === undefined) throw new UsageError('--check: needs --out FILE, the file to compare');
    const changedOnly = values['changed-only'] === true;
    const cwd = process.cwd();
    const outdirGiven = stringValue(values, 'outdir') ?? 'cdktf.out';
    const outdir = repoPath('outdir', outdirGiven, cwd);
    const allowFileGiven = stringValue(values, 'allow-file');
    const allowFile = allowFileGiven === undefined ? undefined : repoPath('allow-file', allowFileGiven, cwd);
    const configGiven = stringValue(values, 'config');
    const config = configGiven === undefined ? undefined : repoPath('config', configGiven, cwd);
    const outFile = out === undefined ? undefined : repoPath('out', out, cwd);

    // The command line that regenerates this file, as the header quotes it and the CI check runs it.
    const args = [
      `--format ${format}`,
      ...(outdir !== 'cdktf.out' ? [`--outdir ${shellQuote(outdir)}`] : []),
      `--max-parallel ${maxParallel}`,
      ...(changedOnly ? ['--changed-only'] : []),
      ...(branch !== 'main' ? [`--branch ${shellQuote(branch)}`] : []),
      ...(terraformVersion !== DEFAULT_TERRAFORM_VERSION ? [`--terraform-version ${terraformVersion}`] : []),
      ...(allowFile ? [`--allow-file ${shellQuote(allowFile)}`] : []),
      ...(config ? [`--config ${shellQuote(config)}`] : []),
    ];
    const command = `baseline pipeline ${args.join(' ')}${outFile ? ` --out ${shellQuote(outFile)}` : ''}`;
    const stacks = readPipelineStacks({ outdir: outdirGiven, ciOutdir: outdir, changedOnly });
    const generated = generatePipeline(stacks, {
      format,
      maxParallel,
      outdir,
      branch,
      terraformVersion,
      allowFile,
      config,
      command,
      // --changed-only output depends on the last synth of one checkout: no CI job can reproduce it.
      checkCommand: outFile && !changedOnly ? `bin/${command} --check` : undefined,
    });
    for (const warning of generated.warnings) io.stderr(`warning: ${warning}\n`);

    if (out === undefined) {
      io.stdout(generated.text);
      return 0;
    }
    if (check) {
      let current: string | null = null;
      try {
        current = readFileSync(out, 'utf8');
      } catch {
        current = null;
      }
      if (current !== generated.text) {
        throw new CommandError(`${out} is ${current === null ? 'missing' : 'out of date'}: run \`${command}\` and commit it`);
      }
      io.stderr(`${out} is current\n`);
      return 0;
    }
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, generated.text);
    const total = (stacks.management ? 1 : 0) + stacks.members.length;
    const where =
      format === 'github-actions'
        ? outFile!.startsWith('.github/workflows/') ? '' : '; GitHub runs workflows from .github/workflows/'
        : outFile === DEFAULT_FILES[format] ? '' : `; ${format === 'gitlab' ? 'GitLab' : 'Atlantis'} reads ${DEFAULT_FILES[format]} (or include it from there)`;
    io.stderr(`wrote ${out} (${format}, ${total} stack(s))${where}\n`);
    return 0;
  },
};
