/**
 * `baseline pipeline --evidence-shards N` (issue 24, item 3): the evidence job as a matrix over shards on
 * GitHub Actions and a `parallel` job on GitLab CI, every shard judging one audit period, and a merge job
 * that needs them all. Asserted on the generated YAML, parsed, and on the jobs' shell run in sh with a stub
 * `bin/baseline` (exit codes of the shard and of the merge, as `bin/baseline evidence` documents them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { UsageError, type CliIo } from '../../bin/cli-command';
import { pipelineCommand } from '../../pipeline/cli';
import { evidenceMergeScript, evidenceShardScript } from '../../pipeline/evidence';
import { generatePipeline } from '../../pipeline/generate';
import { EVIDENCE_SHARDS_MAX } from '../../pipeline/limits';
import { DEFAULT_EVIDENCE_SCHEDULE, DEFAULT_TERRAFORM_VERSION, type PipelineFormat, type PipelineOptions } from '../../pipeline/options';
import { pipelineStacks } from '../../pipeline/stacks';
import { configWith } from '../helpers';

const SCHEMAS = join(__dirname, '..', 'fixtures', 'ci-schemas');

function validator(file: string): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')));
}
const VALIDATE = { 'github-actions': validator('github-workflow.json'), gitlab: validator('gitlab-ci.json') };

function expectValid(format: 'github-actions' | 'gitlab', document: unknown): void {
  const validate = VALIDATE[format];
  if (!validate(document)) throw new Error(`${format}: not valid against its schema:\n${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
}

/** The example org with removed members (destroy jobs too) and S3 state, as a config that applies from CI. */
const org = () =>
  configWith((raw) => {
    raw.deployment = { ...raw.deployment, planRoleName: 'soc2-baseline-plan' };
    raw.state = { backend: 's3', bucket: 'acme-soc2-tfstate', region: 'us-east-1', keyPrefix: 'soc2' };
    raw.removedMembers = [{ ...raw.members[4], id: '666666666666', name: 'retired', email: 'aws-retired@example.com', removedOn: '2026-11-30', reason: 'CHG-2001: closed' }];
  });

function options(format: PipelineFormat, shards?: number): PipelineOptions {
  return {
    format,
    maxParallel: 20,
    outdir: 'cdktf.out',
    branch: 'main',
    terraformVersion: DEFAULT_TERRAFORM_VERSION,
    config: 'baseline.config.yaml',
    planRoleName: 'soc2-baseline-plan',
    command: `baseline pipeline --format ${format}`,
    ...(shards !== undefined ? { evidence: { shards, schedule: DEFAULT_EVIDENCE_SCHEDULE } } : {}),
  };
}

function generated(format: PipelineFormat, shards?: number): any {
  return parse(generatePipeline(pipelineStacks(org(), { ciOutdir: 'cdktf.out' }), options(format, shards)).text);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('GitHub Actions: a period job, a matrix over the shards, a merge that needs them all', () => {
  test.each([1, 3])('%i shard(s)', (n) => {
    const doc = generated('github-actions', n);
    expectValid('github-actions', doc);
    const jobs = doc.jobs;
    // Scheduled and manual evidence runs (workflow syntax: `on.schedule` cron, `on.workflow_dispatch.inputs`
    // of type boolean, https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions).
    expect(doc.on.schedule).toEqual([{ cron: DEFAULT_EVIDENCE_SCHEDULE }]);
    expect(doc.on.workflow_dispatch.inputs.evidence).toMatchObject({ type: 'boolean', default: false });
    const evidenceRun = "${{ github.ref == 'refs/heads/main' && (github.event_name == 'schedule' || (github.event_name == 'workflow_dispatch' && inputs.evidence)) }}";

    // The period's end, fixed once: a job output from a step output (`jobs.<job_id>.outputs`, $GITHUB_OUTPUT).
    const period = jobs['evidence-period'];
    expect(period.if).toBe(evidenceRun);
    expect(period.outputs).toEqual({ to: '${{ steps.period.outputs.to }}' });
    expect(period.steps).toEqual([expect.objectContaining({ id: 'period', run: 'echo "to=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$GITHUB_OUTPUT"' })]);
    expect(period.permissions).toBeUndefined();

    // The matrix: shards 1..N, each with the same --to (`jobs.<job_id>.strategy.matrix`, at most 256 jobs).
    const shards = jobs['evidence-shards'];
    expect(shards.needs).toBe('evidence-period');
    expect(shards.strategy).toEqual({ 'fail-fast': false, matrix: { shard: range(n) } });
    expect(shards.env).toEqual({ BASELINE_APPLY: 'false' });
    const collect = shards.steps.find((s: any) => String(s.name).startsWith('Collect evidence shard'));
    expect(collect.run).toContain(`--shard \${{ matrix.shard }}/${n} --to \${{ needs.evidence-period.outputs.to }}`);
    expect(collect.run).toContain('--out "evidence-shards/evidence-shard-${{ matrix.shard }}"');
    // The plan jobs' conventions: checkout, setup-node, npm ci without scripts before the OIDC credentials.
    const uses = shards.steps.map((s: any) => s.uses ?? s.run?.split('\n')[0]);
    expect(uses.slice(0, 4)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'npm ci --no-audit --no-fund --ignore-scripts', 'aws-actions/configure-aws-credentials@v4']);
    expect(shards.steps[3].with).toEqual({ 'role-to-assume': '${{ vars.BASELINE_EVIDENCE_ROLE_ARN }}', 'aws-region': '${{ vars.BASELINE_AWS_REGION }}' });
    expect(shards.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    // actions/upload-artifact v4: names unique in a run (one per shard), `overwrite` for a re-run, hidden files included
    // (https://github.com/actions/upload-artifact/tree/v4, README "(Not) Uploading to the same artifact", action.yml).
    const upload = shards.steps.at(-1);
    expect(upload.uses).toBe('actions/upload-artifact@v4');
    expect(upload.with).toMatchObject({ name: 'evidence-shard-${{ matrix.shard }}', path: 'evidence-shards/evidence-shard-${{ matrix.shard }}', 'if-no-files-found': 'error', overwrite: true, 'include-hidden-files': true });

    // The merge: needs every shard job; downloads each `evidence-shard-*` artifact into its own folder
    // (actions/download-artifact v4 `pattern`, `merge-multiple: false`, https://github.com/actions/download-artifact/tree/v4).
    const merge = jobs['evidence-merge'];
    expect(merge.needs).toEqual(['evidence-period', 'evidence-shards']);
    expect(merge.permissions).toBeUndefined(); // merging reads only the downloaded folders: no OIDC token
    const download = merge.steps.find((s: any) => s.uses === 'actions/download-artifact@v4');
    expect(download.with).toEqual({ pattern: 'evidence-shard-*', path: 'evidence-shards', 'merge-multiple': false });
    const mergeRun = merge.steps.find((s: any) => String(s.run ?? '').includes('evidence-merge')).run.trim();
    // The merge is given the shards' --to (evidence-merge holds the shards to its options, docs/evidence.md).
    expect(mergeRun).toBe(`bin/baseline evidence-merge --out evidence-binder --to \${{ needs.evidence-period.outputs.to }} ${range(n).map((i) => `evidence-shards/evidence-shard-${i}`).join(' ')}`);
    // Both evidence jobs check out the whole history: the binder's config history is `git log --follow`
    // (actions/checkout `fetch-depth`: "0 indicates all history", default 1, https://github.com/actions/checkout/tree/v4).
    for (const job of [shards, merge]) expect(job.steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    const binder = merge.steps.at(-1);
    expect(binder).toMatchObject({ if: '${{ !cancelled() }}', uses: 'actions/upload-artifact@v4', with: { name: 'evidence-binder', path: 'evidence-binder' } });

    // No stack job runs in an evidence run: synth is skipped, and every other stack job needs it
    // ("If a job fails or is skipped, all jobs that need it are skipped", `jobs.<job_id>.needs`).
    expect(jobs.synth.if).toBe("${{ !(github.event_name == 'schedule' || inputs.evidence) }}");
    for (const [name, job] of Object.entries(jobs as Record<string, any>)) {
      if (name === 'synth' || name.startsWith('evidence-')) continue;
      expect({ name, needsSynth: [job.needs].flat().includes('synth') }).toEqual({ name, needsSynth: true });
    }
    // Evidence runs have their own concurrency group: they never cancel a pending apply run.
    expect(doc.concurrency.group).toBe("baseline-${{ github.ref }}${{ (github.event_name == 'schedule' || inputs.evidence) && '-evidence' || '' }}");
  });

  test('without --evidence-shards the workflow is as before: no evidence job, no schedule, no dispatch input', () => {
    const doc = generated('github-actions');
    expectValid('github-actions', doc);
    expect(Object.keys(doc.jobs).filter((k) => k.startsWith('evidence'))).toEqual([]);
    expect(doc.on.schedule).toBeUndefined();
    expect(doc.on.workflow_dispatch).toBeNull();
    expect(doc.jobs.synth.if).toBeUndefined();
    expect(doc.concurrency.group).toBe('baseline-${{ github.ref }}');
  });
});

describe('GitLab CI: a parallel shard job and a merge job that needs it', () => {
  test.each([1, 3])('%i shard(s)', (n) => {
    const doc = generated('gitlab', n);
    expectValid('gitlab', doc);
    expect(doc.stages.slice(-2)).toEqual(['evidence', 'evidence-merge']);
    const scheduled = [{ if: '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == "main"' }];
    const shard = doc['evidence-shard'];
    expect(shard.rules).toEqual(scheduled);
    // `parallel: N`, "A numeric value from 1 to 200" (https://docs.gitlab.com/ci/yaml/#parallel); none for one shard,
    // where CI_NODE_TOTAL is 1 and CI_NODE_INDEX unset (https://docs.gitlab.com/ci/variables/predefined_variables/).
    expect(shard.parallel).toBe(n > 1 ? n : undefined);
    const script = (shard.script as string[]).join('\n');
    // CI_PIPELINE_CREATED_AT: "The date and time when the pipeline was created, in ISO 8601 format" (predefined variables).
    expect(script).toContain(`--shard \${CI_NODE_INDEX:-1}/${n} --to "$CI_PIPELINE_CREATED_AT"`);
    expect(script).toContain(`if [ "\${CI_NODE_TOTAL:-1}" != ${n} ]`);
    expect(shard.extends).toBe('.baseline-evidence');
    expect(doc['.baseline-evidence'].id_tokens).toEqual({ BASELINE_ID_TOKEN: { aud: '$CI_SERVER_URL' } });
    expect(shard.before_script[0]).toBe('npm ci --no-audit --no-fund --ignore-scripts');
    expect(shard.before_script[1]).toContain('AWS_ROLE_ARN="$role"');
    expect(shard.before_script[1]).toContain('role="${BASELINE_EVIDENCE_ROLE_ARN:-}"');
    // Each shard's folder is its own: needs on a parallel job "downloads artifacts from all the parallel jobs",
    // and same-named artifacts "overwrite each other" (`needs`, https://docs.gitlab.com/ci/yaml/#needs).
    expect(shard.artifacts).toMatchObject({ name: n > 1 ? 'evidence-shard-$CI_NODE_INDEX' : 'evidence-shard-1', paths: ['evidence-shards/'] });
    const merge = doc['evidence-merge'];
    expect(merge.rules).toEqual(scheduled);
    expect(merge.needs).toEqual(['evidence-shard']);
    expect(merge.script.at(-1).trim()).toBe(`bin/baseline evidence-merge --out evidence-binder --to "$CI_PIPELINE_CREATED_AT" ${range(n).map((i) => `evidence-shards/evidence-shard-${i}`).join(' ')}`);
    expect(merge.artifacts).toMatchObject({ when: 'always', paths: ['evidence-binder/'] });
    // No stack job in a scheduled pipeline: synth, the stack template and the destroy template say so first.
    const never = { if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' };
    expect(doc.synth.rules[0]).toEqual(never);
    expect(doc['.baseline-stack'].rules[0]).toEqual(never);
    expect(doc['.baseline-destroy'].rules[0]).toEqual(never);
    expect(doc['destroy-member-666666666666'].rules).toBeUndefined(); // inherits the template's
  });

  test('without --evidence-shards the file is as before: no evidence stage or job, no rules on the stack jobs', () => {
    const doc = generated('gitlab');
    expectValid('gitlab', doc);
    expect(doc.stages).not.toContain('evidence');
    expect(doc['evidence-shard']).toBeUndefined();
    expect(doc.synth.rules).toBeUndefined();
    expect(doc['.baseline-stack'].rules).toBeUndefined();
  });
});

describe('the shard and merge shell, run in sh with a stub bin/baseline', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'baseline-evidence-jobs-'));
    mkdirSync(join(repo, 'bin'));
    // Records its arguments; writes the --out folder when STUB_WRITE=1; exits STUB_RC.
    writeFileSync(
      join(repo, 'bin', 'baseline'),
      '#!/bin/sh\necho "$@" >> calls\nout=""\nprev=""\nfor a in "$@"; do [ "$prev" = --out ] && out="$a"; prev="$a"; done\nif [ "${STUB_WRITE:-0}" = 1 ]; then mkdir -p "$out" && echo x > "$out/items.json"; fi\nexit "${STUB_RC:-0}"\n',
      { mode: 0o755 },
    );
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  function sh(script: string, env: Record<string, string>) {
    rmSync(join(repo, 'evidence-shards'), { recursive: true, force: true });
    rmSync(join(repo, 'calls'), { force: true });
    const r = spawnSync('sh', ['-c', script], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: r.status, stderr: r.stderr, calls: existsSync(join(repo, 'calls')) ? readFileSync(join(repo, 'calls'), 'utf8').trim() : '' };
  }

  /** The GitHub step as the runner gets it: the expressions replaced by their values. */
  const githubShard = (i: number, n: number) =>
    evidenceShardScript({ index: '${{ matrix.shard }}', total: n, to: '${{ needs.evidence-period.outputs.to }}' })
      .replaceAll('${{ matrix.shard }}', String(i))
      .replaceAll('${{ needs.evidence-period.outputs.to }}', '2026-12-01T04:17:09Z');

  test('a verdict (0 passed, 1 a control failed, 3 not collected) with the shard written lets the merge run', () => {
    for (const rc of ['0', '1', '3']) {
      const r = sh(githubShard(2, 3), { STUB_RC: rc, STUB_WRITE: '1' });
      expect({ rc, status: r.status }).toEqual({ rc, status: 0 });
      expect(r.calls).toBe('evidence --out evidence-shards/evidence-shard-2 --shard 2/3 --to 2026-12-01T04:17:09Z');
    }
  });

  test('a usage error or a crash fails the shard job, and so does a "verdict" with no shard written (an uncaught exception exits 1)', () => {
    expect(sh(githubShard(1, 3), { STUB_RC: '2', STUB_WRITE: '1' }).status).toBe(2);
    const crash = sh(githubShard(1, 3), { STUB_RC: '134' });
    expect(crash.status).toBe(134);
    expect(crash.stderr).toContain('exit 134, not a verdict');
    const silent = sh(githubShard(1, 3), { STUB_RC: '1' });
    expect(silent.status).toBe(1);
    expect(silent.stderr).toContain('evidence-shards/evidence-shard-1 is missing or empty');
  });

  test('GitLab: the shard of CI_NODE_INDEX, with the pipeline\'s creation time; a CI_NODE_TOTAL other than the file\'s fails', () => {
    const script = (generated('gitlab', 3)['evidence-shard'].script as string[]).join('\n');
    const env = { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '3', CI_PIPELINE_CREATED_AT: '2026-12-01T04:17:00Z', STUB_WRITE: '1', STUB_RC: '1' };
    const ok = sh(script, env);
    expect(ok.status).toBe(0);
    expect(ok.calls).toBe('evidence --out evidence-shards/evidence-shard-3 --shard 3/3 --to 2026-12-01T04:17:00Z');
    const wrong = sh(script, { ...env, CI_NODE_TOTAL: '4' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('CI_NODE_TOTAL is 4, not the 3 shard(s)');
    // One shard: no `parallel`, so no CI_NODE_INDEX, and CI_NODE_TOTAL 1.
    const one = sh((generated('gitlab', 1)['evidence-shard'].script as string[]).join('\n'), { CI_NODE_TOTAL: '1', CI_PIPELINE_CREATED_AT: '2026-12-01T04:17:00Z', STUB_WRITE: '1' });
    expect(one.calls).toBe('evidence --out evidence-shards/evidence-shard-1 --shard 1/1 --to 2026-12-01T04:17:00Z');
  });

  test('the merge step fails with the merge\'s exit code', () => {
    for (const rc of ['0', '1', '3', '2']) expect(sh(evidenceMergeScript(3, '"$CI_PIPELINE_CREATED_AT"'), { STUB_RC: rc, CI_PIPELINE_CREATED_AT: '2026-12-01T04:17:00Z' }).status).toBe(Number(rc));
  });
});

describe('the options', () => {
  const io: CliIo = { stdout: () => undefined, stderr: () => undefined, stderrIsTTY: false };
  const run = (values: Record<string, string | boolean>) => pipelineCommand.run(values, [], io);

  test('the help states the defaults and that Atlantis has no evidence job', () => {
    const shards = pipelineCommand.options.find((o) => o.name === 'evidence-shards')!.description;
    expect(shards).toContain('Default: no evidence job.');
    expect(shards).toContain(`1 to ${EVIDENCE_SHARDS_MAX}`);
    expect(shards).toContain('not Atlantis');
    expect(pipelineCommand.options.find((o) => o.name === 'evidence-schedule')!.description).toContain(`Default: ${DEFAULT_EVIDENCE_SCHEDULE}.`);
    // GitHub: 256 matrix jobs a workflow run; GitLab: `parallel` 1 to 200. One limit for both.
    expect(EVIDENCE_SHARDS_MAX).toBe(200);
  });

  test.each([
    [{ format: 'gitlab', 'evidence-shards': '0' }, '--evidence-shards: must be a whole number from 1 to 200'],
    [{ format: 'github-actions', 'evidence-shards': '201' }, '--evidence-shards: must be a whole number from 1 to 200'],
    [{ format: 'github-actions', 'evidence-shards': '2.5' }, '--evidence-shards: must be a whole number from 1 to 200'],
    [{ format: 'atlantis', 'evidence-shards': '3' }, '--evidence-shards: only with --format github-actions or gitlab'],
    [{ format: 'github-actions', 'evidence-schedule': '0 3 * * *' }, '--evidence-schedule: only with --evidence-shards N'],
    [{ format: 'gitlab', 'evidence-shards': '3', 'evidence-schedule': '0 3 * * *' }, '--evidence-schedule: only with --format github-actions'],
    [{ format: 'github-actions', 'evidence-shards': '3', 'evidence-schedule': 'daily' }, '--evidence-schedule: must be a cron line of five fields'],
  ])('%j is a usage error naming the option', async (values, message) => {
    const error = await run(values).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
  });
});
