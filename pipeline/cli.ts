/**
 * `baseline pipeline --format github-actions|gitlab|atlantis`: writes the CI configuration that plans,
 * reviews and applies every stack of the org config (or only the changed ones) on parallel runners,
 * `management` first, and destroys the stacks of `removedMembers`. The stacks come from the config
 * (`--config`, else BASELINE_CONFIG, else baseline.config.yaml), never from whatever the last synth left
 * in the output folder, and the file pins that config for every job.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { CommandError, UsageError, type CliCommand, type CliIo, type CliValues } from '../bin/cli-command';
import { ConfigError, configPath, loadConfig } from '../config/load';
import type { BaselineConfig } from '../config/schema';
import { ATLANTIS_CREDENTIALS_NOTE, atlantisServerConfig } from './atlantis';
import { DEFAULT_FILES, generatePipeline } from './generate';
import { EVIDENCE_SHARDS_MAX } from './limits';
import { DEFAULT_EVIDENCE_SCHEDULE, DEFAULT_MAX_PARALLEL, DEFAULT_TERRAFORM_VERSION, PIPELINE_FORMATS, type EvidenceJobOptions, type PipelineFormat, type PipelineOptions } from './options';
import { shellQuote } from './script';
import { changedPipelineStacks, pipelineStacks } from './stacks';

function stringValue(values: CliValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name}: takes one value`);
  return value;
}

/** A path as the CI jobs see it: relative to the repository root (the current directory), with `/`. */
function repoPath(what: string, path: string, cwd: string): string {
  const rel = isAbsolute(path) ? relative(cwd, path) : path;
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new UsageError(`${what}: ${path} is not inside the current directory; run baseline pipeline from the repository root`);
  }
  return rel.split(sep).join('/').replace(/^\.\//, '');
}

/** The org config: `--config`, else BASELINE_CONFIG, else baseline.config.yaml; refused (exit 1) when invalid. */
function orgConfig(given: string | undefined, cwd: string): { file: string; ciFile: string; config: BaselineConfig } {
  const file = given !== undefined ? resolve(cwd, given) : configPath(process.env, cwd);
  const what = given !== undefined ? '--config' : process.env.BASELINE_CONFIG?.trim() ? 'BASELINE_CONFIG' : 'the default config';
  const ciFile = repoPath(what, given ?? file, cwd);
  try {
    return { file, ciFile, config: loadConfig(file) };
  } catch (e) {
    if (e instanceof ConfigError) throw new CommandError(e.message);
    throw e;
  }
}

/** Writes `text` to `file`, or with `check`, fails when the file differs. */
function writeOrCheck(file: string, text: string, check: boolean, command: string, io: CliIo): void {
  if (check) {
    let current: string | null = null;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = null;
    }
    if (current !== text) throw new CommandError(`${file} is ${current === null ? 'missing' : 'out of date'}: run \`${command}\` and commit it`);
    io.stderr(`${file} is current\n`);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * A cron expression of five fields (minute, hour, day of month, month, day of week), as `on.schedule`
 * takes it (GitHub workflow syntax, "on.schedule": POSIX cron syntax, UTC). The fields' ranges are GitHub's
 * to check; this refuses what is plainly not a cron line.
 */
const CRON = /^[0-9A-Za-z*,/-]+( [0-9A-Za-z*,/-]+){4}$/;

/** `--evidence-shards` and `--evidence-schedule`; undefined without `--evidence-shards`. */
function evidenceOptions(values: CliValues, format: PipelineFormat): EvidenceJobOptions | undefined {
  const shardsText = stringValue(values, 'evidence-shards');
  const schedule = stringValue(values, 'evidence-schedule');
  if (shardsText === undefined) {
    if (schedule !== undefined) throw new UsageError('--evidence-schedule: only with --evidence-shards N');
    return undefined;
  }
  if (format === 'atlantis') {
    throw new UsageError('--evidence-shards: only with --format github-actions or gitlab: Atlantis runs plans and applies on pull requests and has no scheduled jobs; collect evidence from another CI system');
  }
  const shards = Number(shardsText);
  if (!/^\d+$/.test(shardsText) || shards < 1 || shards > EVIDENCE_SHARDS_MAX) {
    throw new UsageError(
      `--evidence-shards: must be a whole number from 1 to ${EVIDENCE_SHARDS_MAX} (GitHub runs at most 256 matrix jobs a workflow run, GitLab at most 200 parallel jobs) (got ${JSON.stringify(shardsText)})`,
    );
  }
  if (schedule !== undefined && format !== 'github-actions') {
    throw new UsageError('--evidence-schedule: only with --format github-actions; GitLab runs the evidence jobs in the pipelines of a pipeline schedule, set in the project (Build > Pipeline schedules)');
  }
  if (schedule !== undefined && !CRON.test(schedule.trim())) {
    throw new UsageError(`--evidence-schedule: must be a cron line of five fields, minute hour day-of-month month day-of-week, UTC, e.g. '${DEFAULT_EVIDENCE_SCHEDULE}' (got ${JSON.stringify(schedule)})`);
  }
  return { shards, schedule: schedule?.trim() ?? DEFAULT_EVIDENCE_SCHEDULE };
}

export const pipelineCommand: CliCommand = {
  name: 'pipeline',
  summary: 'Write the GitHub Actions, GitLab CI or Atlantis config that plans, reviews and applies every stack, management first.',
  usage: [
    'baseline pipeline --format github-actions|gitlab|atlantis [--config FILE] [--max-parallel N] [--changed-only] [--out FILE [--check]]',
    'baseline pipeline --format github-actions --out .github/workflows/baseline.yml',
    'baseline pipeline --format gitlab --changed-only --out child-pipeline.yml',
    'baseline pipeline --format atlantis --out atlantis.yaml --server-config repos.yaml --repo-id github.com/acme/soc2-baseline',
    'baseline pipeline --format github-actions|gitlab --evidence-shards N [--evidence-schedule CRON] ...',
  ],
  options: [
    { name: 'format', type: 'string', placeholder: 'github-actions|gitlab|atlantis', description: 'The CI system to write for. Required.' },
    { name: 'outdir', type: 'string', placeholder: 'DIR', description: 'The synth output folder the jobs use, inside the repository (--changed-only reads its changed-stacks.json). Default: cdktf.out.' },
    { name: 'max-parallel', type: 'string', placeholder: 'N', description: `At most N member stacks run at once. Default: ${DEFAULT_MAX_PARALLEL}.` },
    { name: 'changed-only', type: 'boolean', description: 'Only the stacks the last synth of the config added or changed (changed-stacks.json), and every destroy. Default: every stack of the config.' },
    { name: 'out', type: 'string', placeholder: 'FILE', description: 'Write the configuration to FILE (folders created). Default: stdout.' },
    { name: 'check', type: 'boolean', description: 'With --out: write nothing, exit 1 if FILE differs from what would be written (for CI).' },
    { name: 'branch', type: 'string', placeholder: 'NAME', description: 'The branch whose pipelines apply; others plan and review only. Default: main.' },
    { name: 'terraform-version', type: 'string', placeholder: 'X.Y.Z', description: `The Terraform the jobs install (>= 1.10 for S3 lock files). Default: ${DEFAULT_TERRAFORM_VERSION}.` },
    { name: 'allow-file', type: 'string', placeholder: 'FILE', description: 'Reviewed exceptions the jobs pass to baseline review --allow-file. Default: none.' },
    { name: 'config', type: 'string', placeholder: 'FILE', description: 'The org config whose stacks the pipeline runs; every job synthesizes it (BASELINE_CONFIG). Default: BASELINE_CONFIG, else baseline.config.yaml.' },
    { name: 'server-config', type: 'string', placeholder: 'FILE', description: 'Atlantis: also write the server-side repo config whose pre-workflow hook synthesizes the stacks (needs --repo-id). Default: none.' },
    { name: 'repo-id', type: 'string', placeholder: 'ID', description: 'Atlantis: the repository in the server-side repo config, e.g. github.com/acme/soc2-baseline. Required with --server-config.' },
    {
      name: 'evidence-shards',
      type: 'string',
      placeholder: 'N',
      description: `Add the evidence jobs: scheduled runs of the branch collect the evidence in N shards at once (1 to ${EVIDENCE_SHARDS_MAX}) and merge them into one binder. GitHub Actions and GitLab only (not Atlantis, which runs only on pull requests). Default: no evidence job.`,
    },
    {
      name: 'evidence-schedule',
      type: 'string',
      placeholder: 'CRON',
      description: `GitHub Actions, with --evidence-shards: when the evidence runs (cron, UTC); GitLab schedules are set in the project. Default: ${DEFAULT_EVIDENCE_SCHEDULE}.`,
    },
  ],
  details: [
    'Files: GitHub Actions .github/workflows/baseline.yml, GitLab .gitlab-ci.yml, Atlantis atlantis.yaml (see docs/pipeline.md).',
    'Exit codes: 0 written (or current, with --check), 1 refused (invalid config, --changed-only output of another config, limit exceeded, file out of date), 2 usage.',
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
    const outdir = repoPath('--outdir', outdirGiven, cwd);
    const allowFileGiven = stringValue(values, 'allow-file');
    const allowFile = allowFileGiven === undefined ? undefined : repoPath('--allow-file', allowFileGiven, cwd);
    const outFile = out === undefined ? undefined : repoPath('--out', out, cwd);
    const serverConfig = stringValue(values, 'server-config');
    const repoId = stringValue(values, 'repo-id');
    if (serverConfig !== undefined && format !== 'atlantis') throw new UsageError('--server-config: only with --format atlantis (the server-side repo config of Atlantis)');
    if (serverConfig !== undefined && repoId === undefined) throw new UsageError('--server-config: needs --repo-id ID, the repository as Atlantis names it (e.g. github.com/acme/soc2-baseline)');
    if (repoId !== undefined && serverConfig === undefined) throw new UsageError('--repo-id: only with --server-config FILE');
    // Atlantis repo IDs are {VCS hostname}/{org}/{repo name}, or a regex between slashes (server-side repo config).
    if (repoId !== undefined && !/^(\/.+\/|[A-Za-z0-9.-]+\/[A-Za-z0-9._/-]+)$/.test(repoId)) {
      throw new UsageError(`--repo-id: must be {VCS hostname}/{org}/{repo name} or a regex between slashes (got ${JSON.stringify(repoId)})`);
    }
    const serverConfigFile = serverConfig === undefined ? undefined : repoPath('--server-config', serverConfig, cwd);
    const evidence = evidenceOptions(values, format);
    const org = orgConfig(stringValue(values, 'config'), cwd);
    const config = org.ciFile;

    // The command line that regenerates this file, as the header quotes it and the CI check runs it.
    const args = [
      `--format ${format}`,
      ...(outdir !== 'cdktf.out' ? [`--outdir ${shellQuote(outdir)}`] : []),
      `--max-parallel ${maxParallel}`,
      ...(changedOnly ? ['--changed-only'] : []),
      ...(branch !== 'main' ? [`--branch ${shellQuote(branch)}`] : []),
      ...(terraformVersion !== DEFAULT_TERRAFORM_VERSION ? [`--terraform-version ${terraformVersion}`] : []),
      ...(allowFile ? [`--allow-file ${shellQuote(allowFile)}`] : []),
      ...(evidence ? [`--evidence-shards ${evidence.shards}`] : []),
      ...(evidence && evidence.schedule !== DEFAULT_EVIDENCE_SCHEDULE ? [`--evidence-schedule ${shellQuote(evidence.schedule)}`] : []),
      // Always: the file pins the config it was generated for, and so does its check.
      `--config ${shellQuote(config)}`,
    ];
    const server = serverConfigFile ? ` --server-config ${shellQuote(serverConfigFile)} --repo-id ${shellQuote(repoId!)}` : '';
    const command = `baseline pipeline ${args.join(' ')}${outFile ? ` --out ${shellQuote(outFile)}` : ''}${server}`;
    // Runs that only plan assume the read-only plan role in every account (TF_VAR_deployment_role_name).
    const planRoleName = org.config.deployment.planRoleName;
    if (planRoleName === undefined) {
      throw new CommandError(
        `${config}: deployment.planRoleName is not set: the generated jobs plan pull and merge requests with that read-only role in every account, never with deployment.roleName (the role the guardrails exempt); create it (docs/guardrails.md) and name it in deployment.planRoleName`,
      );
    }
    // Local state: a runner starts from an empty state and loses what it applied: plan and review only.
    const planOnly = org.config.state.backend === 'local';
    const stacks = changedOnly
      ? changedPipelineStacks(org.config, { outdir: outdirGiven, ciOutdir: outdir, configFile: config })
      : pipelineStacks(org.config, { ciOutdir: outdir });
    const options: PipelineOptions = {
      format,
      maxParallel,
      outdir,
      branch,
      terraformVersion,
      allowFile,
      config,
      planRoleName,
      planOnly,
      evidence,
      command,
      // --changed-only output depends on the last synth of one checkout: no CI job can reproduce it.
      checkCommand: outFile && !changedOnly ? `bin/${command} --check` : undefined,
    };
    const generated = generatePipeline(stacks, options);
    for (const warning of generated.warnings) io.stderr(`warning: ${warning}\n`);
    if (format === 'atlantis') io.stderr(`note: ${ATLANTIS_CREDENTIALS_NOTE}\n`);

    const serverText = serverConfig
      ? `# Server-side repo config for Atlantis (atlantis server --repo-config=${serverConfigFile}), generated by \`${command}\`.\n` +
        '# Its pre-workflow hook synthesizes the stacks of the org config (without AWS credentials) and regenerates\n' +
        '# atlantis.yaml before Atlantis reads it; its workflows are defined here, so a pull request cannot change\n' +
        '# their steps. Start the server with --fail-on-pre-workflow-hook-error so that a failed synth stops the plan.\n' +
        `# ${ATLANTIS_CREDENTIALS_NOTE}\n` +
        stringify(atlantisServerConfig({ repoId: repoId!, pipeline: options }), { lineWidth: 0 })
      : undefined;
    if (out === undefined) {
      io.stdout(generated.text);
      if (serverConfig && serverText) writeOrCheck(serverConfig, serverText, check, command, io);
      return 0;
    }
    writeOrCheck(out, generated.text, check, command, io);
    if (serverConfig && serverText) writeOrCheck(serverConfig, serverText, check, command, io);
    if (check) return 0;
    const total = (stacks.management ? 1 : 0) + stacks.members.length + stacks.destroy.length;
    const where =
      format === 'github-actions'
        ? outFile!.startsWith('.github/workflows/') ? '' : '; GitHub runs workflows from .github/workflows/'
        : outFile === DEFAULT_FILES[format] ? '' : `; ${format === 'gitlab' ? 'GitLab' : 'Atlantis'} reads ${DEFAULT_FILES[format]} (or include it from there)`;
    io.stderr(`wrote ${out} (${format}, ${total} stack(s) of ${config}${stacks.destroy.length > 0 ? `, ${stacks.destroy.length} to destroy` : ''})${where}\n`);
    if (serverConfig) io.stderr(`wrote ${serverConfig} (Atlantis server-side repo config: the pre-workflow hook that synthesizes the stacks)\n`);
    return 0;
  },
};
