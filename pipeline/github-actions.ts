/**
 * The GitHub Actions workflow (workflow syntax: https://docs.github.com/en/actions/using-workflows/workflow-syntax-for-github-actions):
 * a `synth` job, then `management`, then the member stacks as a matrix job that `needs` management,
 * at most `--max-parallel` at a time (`strategy.max-parallel`).
 *
 * Up to 256 member stacks, the matrix has one job per stack. Above, a matrix cannot hold them (256 jobs,
 * GITHUB_MATRIX_MAX_JOBS): the stacks are spread over `min(max-parallel, 256)` shard jobs, each
 * running its share one after another, so 1,000 stacks still use `--max-parallel` runners at once.
 *
 * The stacks of `removedMembers` have two matrix jobs: `destroy-apply`, only on a push or manual run of
 * the apply branch, in the environment `baseline-destroy` (required reviewers), and `destroy-plan`, on
 * every other run, which plans and reviews the destroy with the plan role in no environment.
 */
import { CommandError } from '../bin/cli-command';
import { EVIDENCE_BINDER_DIR, EVIDENCE_SHARD_PREFIX, EVIDENCE_SHARD_RETENTION_DAYS, EVIDENCE_SHARDS_DIR, evidenceMergeScript, evidenceShardScript, shardFolder } from './evidence';
import { GITHUB_JOB_MAX_MINUTES, GITHUB_MATRIX_MAX_JOBS } from './limits';
import { LOCK_TIMEOUT, NODE_MAJOR_VERSION, type EvidenceJobOptions, type GeneratedCi, type PipelineOptions } from './options';
import { destroyScript, oneStackScript, stackListScript, synthScript, trackedOutputCheck } from './script';
import type { PipelineStack, PipelineStacks } from './stacks';

type Step = Record<string, unknown>;

/** The action that exchanges the job's OIDC token for AWS credentials. */
const CREDENTIALS_ACTION = 'aws-actions/configure-aws-credentials@v4';

/** The GitHub environment of the destroy jobs: give it required reviewers (docs/pipeline.md). */
export const DESTROY_ENVIRONMENT = 'baseline-destroy';

/** The condition of a run that applies: a push (or manual run) of the apply branch, never with local state. */
function applyCondition(o: PipelineOptions): string {
  return o.planOnly ? 'false' : `github.event_name != 'pull_request' && github.ref == 'refs/heads/${o.branch}'`;
}

/**
 * The role a job's credentials step assumes: `auto` the pipeline role on a run that applies and the plan
 * role otherwise; `plan` always the plan role (a job that never applies).
 */
type RoleChoice = 'auto' | 'plan';

/** The step that exchanges the job's OIDC token for the role `roleArn` (an expression) names. */
function credentialsStep(roleArn: string): Step {
  return { name: 'AWS credentials (OIDC)', uses: CREDENTIALS_ACTION, with: { 'role-to-assume': roleArn, 'aws-region': '${{ vars.BASELINE_AWS_REGION }}' } };
}

/**
 * Checkout, Node.js and the dependencies, installed without their scripts before any credential exists.
 * `fullHistory`: the evidence jobs, whose binder holds the config's change history (`git log --follow`),
 * check out every commit: actions/checkout's `fetch-depth` is "Number of commits to fetch. 0 indicates
 * all history for all branches and tags", default 1 (https://github.com/actions/checkout/tree/v4, README
 * and action.yml), which would leave one commit of it.
 */
function installSteps(fullHistory = false): Step[] {
  return [
    fullHistory ? { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } } : { uses: 'actions/checkout@v4' },
    { uses: 'actions/setup-node@v4', with: { 'node-version': NODE_MAJOR_VERSION, cache: 'npm' } },
    // Dependencies are installed before any credentials exist, without their install scripts.
    { run: 'npm ci --no-audit --no-fund --ignore-scripts' },
  ];
}

function setupSteps(o: PipelineOptions, terraform: boolean, role: RoleChoice = 'auto'): Step[] {
  return [
    ...installSteps(),
    ...(terraform
      ? [
          // The wrapper would add its own lines to `terraform show -json` output: off.
          { uses: 'hashicorp/setup-terraform@v3', with: { terraform_version: o.terraformVersion, terraform_wrapper: false } },
          // The guardrails exempt the pipeline role (docs/guardrails.md): only a run of the apply
          // branch, never a pull request's code, gets it. Every other run plans with a read-only
          // role that no guardrail exempts (docs/pipeline.md, "Credentials"); the exempt role's
          // trust policy must also pin the OIDC subject to the apply branch and to the environment
          // of destroy-apply, whose deployment branches are the apply branch alone (GitHub,
          // "Configuring OpenID Connect in Amazon Web Services"; docs/pipeline.md).
          credentialsStep(
            o.planOnly || role === 'plan' ? '${{ vars.BASELINE_PLAN_ROLE_ARN }}' : `\${{ (${applyCondition(o)}) && vars.BASELINE_ROLE_ARN || vars.BASELINE_PLAN_ROLE_ARN }}`,
          ),
        ]
      : []),
  ];
}

/** The matrix include of one job per stack: its name, folder and state key (shown in the job's env). */
function stackEntry(s: PipelineStack): Record<string, string> {
  return { stack: s.name, ...(s.backend.key ? { 'state-key': s.backend.key } : {}) };
}

/** Splits `items` into `n` runs of consecutive items whose sizes differ by at most one. */
export function shards<T>(items: readonly T[], n: number): T[][] {
  const count = Math.max(1, Math.min(n, items.length));
  const size = Math.floor(items.length / count);
  const extra = items.length % count;
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = start + size + (i < extra ? 1 : 0);
    out.push(items.slice(start, end));
    start = end;
  }
  return out;
}

/** The job ids of the evidence jobs: the period's end, the shard matrix, the merge. */
export const EVIDENCE_JOBS = { period: 'evidence-period', shards: 'evidence-shards', merge: 'evidence-merge' } as const;

/** The repository variable naming the role the evidence shards assume (it may assume the reader roles). */
export const EVIDENCE_ROLE_VARIABLE = 'BASELINE_EVIDENCE_ROLE_ARN';

/**
 * A run that collects evidence: a scheduled run, or a manual run with the `evidence` input, of the apply
 * branch (scheduled runs use the default branch's workflow and commit: with another apply branch, no
 * scheduled run collects; docs/pipeline.md). `inputs` holds a `workflow_dispatch` run's inputs, Booleans as
 * Booleans, and nothing for other events ("Contexts reference", inputs context,
 * https://docs.github.com/en/actions/reference/workflows-and-actions/contexts#inputs-context).
 */
function evidenceCondition(o: PipelineOptions): string {
  return `github.ref == 'refs/heads/${o.branch}' && (github.event_name == 'schedule' || (github.event_name == 'workflow_dispatch' && inputs.evidence))`;
}

/** A run that is about evidence, whatever its branch: no stack job runs in it. */
const EVIDENCE_RUN = "github.event_name == 'schedule' || inputs.evidence";

/**
 * The evidence jobs (workflow syntax, https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions):
 * `evidence-period` fixes the period's end once (`jobs.<job_id>.outputs`, a step output written to
 * $GITHUB_OUTPUT); `evidence-shards`, a matrix over the shard numbers 1..N (`jobs.<job_id>.strategy.matrix`;
 * at most 256 jobs a run, EVIDENCE_SHARDS_MAX), collects each shard with that `--to` and uploads its folder
 * as the artifact `evidence-shard-<i>`; `evidence-merge` `needs` them all, downloads every
 * `evidence-shard-*` artifact into its own folder, merges, uploads the binder and fails with the merge's
 * exit code. A shard job that failed (not a verdict) skips the merge: "If a job fails or is skipped, all
 * jobs that need it are skipped unless the jobs use a conditional expression that causes the job to
 * continue" (`jobs.<job_id>.needs`), and the run fails.
 */
function evidenceJobs(o: PipelineOptions, evidence: EvidenceJobOptions): Record<string, unknown> {
  const n = evidence.shards;
  const to = `\${{ needs.${EVIDENCE_JOBS.period}.outputs.to }}`;
  return {
    [EVIDENCE_JOBS.period]: {
      name: 'evidence period',
      if: `\${{ ${evidenceCondition(o)} }}`,
      'runs-on': 'ubuntu-latest',
      outputs: { to: '${{ steps.period.outputs.to }}' },
      steps: [{ id: 'period', name: 'Fix the end of the audit period (every shard judges the same period)', run: 'echo "to=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$GITHUB_OUTPUT"' }],
    },
    [EVIDENCE_JOBS.shards]: {
      name: `evidence shard \${{ matrix.shard }}/${n}`,
      needs: EVIDENCE_JOBS.period,
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': GITHUB_JOB_MAX_MINUTES,
      // Every shard runs to its end: one shard's failure must not cancel the others' collection.
      strategy: { 'fail-fast': false, matrix: { shard: Array.from({ length: n }, (_, i) => i + 1) } },
      // Collection only reads; nothing in these jobs applies.
      env: { BASELINE_APPLY: 'false' },
      steps: [
        ...installSteps(true),
        credentialsStep(`\${{ vars.${EVIDENCE_ROLE_VARIABLE} }}`),
        { name: `Collect evidence shard \${{ matrix.shard }}/${n}`, run: evidenceShardScript({ index: '${{ matrix.shard }}', total: n, to }) },
        {
          // actions/upload-artifact v4: an artifact's name is unique in the run ("Uploading to the same
          // named Artifact multiple times" is not possible: one per shard); `overwrite` replaces this
          // shard's artifact when the job is re-run; hidden files are left out unless included (v4.4).
          // https://github.com/actions/upload-artifact/tree/v4 (README and action.yml).
          name: 'Upload the shard',
          uses: 'actions/upload-artifact@v4',
          with: {
            name: `${EVIDENCE_SHARD_PREFIX}\${{ matrix.shard }}`,
            path: shardFolder('${{ matrix.shard }}'),
            'if-no-files-found': 'error',
            'include-hidden-files': true,
            overwrite: true,
            'retention-days': EVIDENCE_SHARD_RETENTION_DAYS,
          },
        },
      ],
    },
    [EVIDENCE_JOBS.merge]: {
      name: 'evidence merge',
      needs: [EVIDENCE_JOBS.period, EVIDENCE_JOBS.shards],
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': GITHUB_JOB_MAX_MINUTES,
      env: { BASELINE_APPLY: 'false' },
      steps: [
        ...installSteps(true),
        {
          // actions/download-artifact v4: `pattern` selects the artifacts; with `merge-multiple: false`
          // "the downloaded artifacts will be extracted into individual named directories within the
          // specified path" (https://github.com/actions/download-artifact/tree/v4, action.yml).
          name: 'Download every shard',
          uses: 'actions/download-artifact@v4',
          with: { pattern: `${EVIDENCE_SHARD_PREFIX}*`, path: EVIDENCE_SHARDS_DIR, 'merge-multiple': false },
        },
        { name: `Merge the ${n} shard(s) into one binder`, run: evidenceMergeScript(n, to) },
        {
          // Also when the merge exits 1 (a control failed): that binder is the evidence of the failure.
          name: 'Upload the binder',
          if: '${{ !cancelled() }}',
          uses: 'actions/upload-artifact@v4',
          with: { name: EVIDENCE_BINDER_DIR, path: EVIDENCE_BINDER_DIR, 'if-no-files-found': 'error', 'include-hidden-files': true, overwrite: true },
        },
      ],
    },
  };
}

export function githubActionsWorkflow(stacks: PipelineStacks, o: PipelineOptions): GeneratedCi {
  const script = { outdir: o.outdir, allowFile: o.allowFile, lockTimeout: LOCK_TIMEOUT, planRoleName: o.planRoleName };
  const notes: string[] = [];
  const jobs: Record<string, unknown> = {
    synth: {
      name: 'synthesize',
      // An evidence run runs no stack job: every other stack job needs synth, so it is skipped with it.
      ...(o.evidence ? { if: `\${{ !(${EVIDENCE_RUN}) }}` } : {}),
      'runs-on': 'ubuntu-latest',
      steps: [
        ...setupSteps(o, false),
        { name: 'Refuse committed synth output', run: trackedOutputCheck(o.outdir) },
        { name: 'Synthesize every stack', run: 'npm run --silent synth' },
        ...(o.checkCommand ? [{ name: 'Check this workflow is current', run: o.checkCommand }] : []),
      ],
    },
  };
  if (stacks.management) {
    jobs.management = {
      name: 'management',
      needs: 'synth',
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': GITHUB_JOB_MAX_MINUTES,
      env: { STACK: stacks.management.name, ...(stacks.management.backend.key ? { TF_STATE_KEY: stacks.management.backend.key } : {}) },
      steps: [
        ...setupSteps(o, true),
        { name: 'Synthesize management', run: synthScript('STACK') },
        { name: 'Plan, review, apply', run: oneStackScript(script) },
      ],
    };
  }
  const members = stacks.members;
  if (members.length > 0) {
    const needs = stacks.management ? ['synth', 'management'] : 'synth';
    if (members.length <= GITHUB_MATRIX_MAX_JOBS) {
      jobs.members = {
        name: '${{ matrix.stack }}',
        needs,
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': GITHUB_JOB_MAX_MINUTES,
        // Every member stack is independent: one failing must not cancel the others.
        strategy: { 'fail-fast': false, 'max-parallel': o.maxParallel, matrix: { include: members.map(stackEntry) } },
        env: { STACK: '${{ matrix.stack }}', TF_STATE_KEY: "${{ matrix['state-key'] }}" },
        steps: [
          ...setupSteps(o, true),
          { name: 'Synthesize ${{ matrix.stack }}', run: synthScript('STACK') },
          { name: 'Plan, review, apply', run: oneStackScript(script) },
        ],
      };
    } else {
      const count = Math.min(o.maxParallel, GITHUB_MATRIX_MAX_JOBS);
      if (o.maxParallel > GITHUB_MATRIX_MAX_JOBS) {
        notes.push(`--max-parallel ${o.maxParallel} is above the ${GITHUB_MATRIX_MAX_JOBS} jobs a matrix can run: ${GITHUB_MATRIX_MAX_JOBS} shards.`);
      }
      const parts = shards(members, count);
      notes.push(
        `${members.length} member stacks are more than one matrix holds (${GITHUB_MATRIX_MAX_JOBS} jobs): ${parts.length} shard jobs run ${parts[parts.length - 1].length}-${parts[0].length} stacks each, one after another.`,
        // A shard must finish within a job's time limit, setup included (docs/pipeline.md, "Rolling out").
        `A shard has ${GITHUB_JOB_MAX_MINUTES} minutes: about ${Math.floor((GITHUB_JOB_MAX_MINUTES - 10) / parts[0].length)} minutes a stack at most; raise --max-parallel if stacks take longer (a first rollout).`,
      );
      jobs.members = {
        name: 'members ${{ matrix.shard }}',
        needs,
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': GITHUB_JOB_MAX_MINUTES,
        strategy: {
          'fail-fast': false,
          'max-parallel': parts.length,
          matrix: { include: parts.map((part, i) => ({ shard: `${i + 1}/${parts.length}`, stacks: part.map((s) => s.name).join(' ') })) },
        },
        env: { STACKS: '${{ matrix.stacks }}' },
        steps: [
          ...setupSteps(o, true),
          { name: 'Synthesize shard ${{ matrix.shard }}', run: synthScript('STACKS') },
          { name: 'Plan, review, apply each stack', run: stackListScript({ ...script, logGroups: true }) },
        ],
      };
    }
  }
  if (stacks.destroy.length > 0 && !o.planOnly) {
    // One matrix job per removed member's stack (GitHub's 256-job matrix bound applies: removed accounts
    // wait for their destroy one pipeline at a time, so more than 256 at once is refused, not cut short).
    if (stacks.destroy.length > GITHUB_MATRIX_MAX_JOBS) {
      throw new CommandError(
        `removedMembers lists ${stacks.destroy.length} accounts: one GitHub matrix runs at most ${GITHUB_MATRIX_MAX_JOBS} destroy jobs; destroy and record (baseline remove --destroyed) some before removing more`,
      );
    }
    notes.push(
      `${stacks.destroy.length} removed member stack(s) are destroyed after management (job destroy-apply, on the apply branch, in environment ${DESTROY_ENVIRONMENT}; job destroy-plan plans them elsewhere); record each with baseline remove --account-id ID --destroyed once destroyed.`,
    );
    const destroyMatrix = {
      'fail-fast': false,
      'max-parallel': o.maxParallel,
      matrix: { include: stacks.destroy.map((s) => ({ ...stackEntry(s), 'account-id': s.accountId })) },
    };
    const destroyEnv = { STACK: '${{ matrix.stack }}', ACCOUNT_ID: "${{ matrix['account-id'] }}", TF_STATE_KEY: "${{ matrix['state-key'] }}" };
    const needs = stacks.management ? ['synth', 'management'] : 'synth';
    // Runs that do not apply (pull requests, other branches) plan and review each destroy with the plan
    // role, in no environment: a pull request never waits for, nor gets, the destroy approval.
    jobs['destroy-plan'] = {
      name: 'destroy plan ${{ matrix.stack }}',
      needs,
      if: `\${{ !(${applyCondition(o)}) }}`,
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': GITHUB_JOB_MAX_MINUTES,
      strategy: destroyMatrix,
      env: { ...destroyEnv, BASELINE_APPLY: 'false', TF_VAR_deployment_role_name: o.planRoleName },
      steps: [
        ...setupSteps(o, true, 'plan'),
        { name: 'Synthesize ${{ matrix.stack }}', run: synthScript('STACK') },
        { name: 'Plan the destroy, review', run: destroyScript(script) },
      ],
    };
    // Only a push or manual run of the apply branch destroys, once a person approves: the job waits for
    // the environment's required reviewers (GitHub, "Managing environments for deployment", deployment
    // protection rules: "All deployment protection rules must pass before a job referencing the
    // environment is sent to a runner",
    // https://docs.github.com/en/actions/deployment/targeting-different-environments/using-environments-for-deployment;
    // `jobs.<job_id>.environment`, workflow syntax). With an environment the OIDC subject is
    // `repo:<org>/<repo>:environment:baseline-destroy`, not the branch's (GitHub, "OpenID Connect
    // reference"): the exempt role must trust that subject, and the environment's deployment branches
    // must be the apply branch alone (docs/pipeline.md).
    jobs['destroy-apply'] = {
      name: 'destroy ${{ matrix.stack }}',
      needs,
      if: `\${{ ${applyCondition(o)} }}`,
      'runs-on': 'ubuntu-latest',
      environment: DESTROY_ENVIRONMENT,
      'timeout-minutes': GITHUB_JOB_MAX_MINUTES,
      strategy: destroyMatrix,
      env: destroyEnv,
      steps: [
        ...setupSteps(o, true),
        { name: 'Synthesize ${{ matrix.stack }}', run: synthScript('STACK') },
        { name: 'Plan the destroy, review, apply', run: destroyScript(script) },
      ],
    };
  }
  if (Object.keys(jobs).length === 1 && !o.checkCommand) notes.push('No stack to run: the workflow only synthesizes.');
  if (o.evidence) {
    Object.assign(jobs, evidenceJobs(o, o.evidence));
    notes.push(
      `Evidence: scheduled runs (cron ${o.evidence.schedule}, UTC) and manual runs with the evidence input, of ${o.branch}, collect the evidence in ${o.evidence.shards} shard(s) with ${EVIDENCE_ROLE_VARIABLE} and merge them into the artifact ${EVIDENCE_BINDER_DIR}; they run no stack job.`,
    );
  }

  // Only the jobs that take AWS credentials may request an OIDC token: the synth job, which runs the
  // pull request's code, gets none. A job's `permissions` replace the workflow's for that job
  // (workflow syntax, "jobs.<job_id>.permissions",
  // https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idpermissions;
  // OIDC needs `id-token: write`, "OpenID Connect", https://docs.github.com/en/actions/reference/security/oidc).
  for (const job of Object.values(jobs) as { steps?: Step[]; permissions?: unknown }[]) {
    if ((job.steps ?? []).some((step) => step.uses === CREDENTIALS_ACTION)) job.permissions = { contents: 'read', 'id-token': 'write' };
  }

  const document: Record<string, unknown> = {
    name: 'baseline',
    on: {
      pull_request: { branches: [o.branch] },
      push: { branches: [o.branch] },
      // `on.schedule` (cron, UTC) and `on.workflow_dispatch.inputs` (a Boolean input): workflow syntax.
      ...(o.evidence ? { schedule: [{ cron: o.evidence.schedule }] } : {}),
      workflow_dispatch: o.evidence
        ? { inputs: { evidence: { description: 'Collect the evidence binder (and run no stack job)', type: 'boolean', default: false } } }
        : null,
    },
    permissions: { contents: 'read' },
    // One run per ref at a time: two pushes never apply concurrently. Runs of other refs (pull request
    // plans) wait on each stack's state lock instead (-lock-timeout). Evidence runs have their own group:
    // a group keeps one pending run and cancels the one pending before it ("concurrency", workflow syntax),
    // so a scheduled collection queued behind an apply must never replace a pending push's run.
    concurrency: {
      group: o.evidence ? `baseline-\${{ github.ref }}\${{ (${EVIDENCE_RUN}) && '-evidence' || '' }}` : 'baseline-${{ github.ref }}',
      'cancel-in-progress': false,
    },
    env: {
      TF_IN_AUTOMATION: 'true',
      CDKTF_OUTDIR: o.outdir,
      // The org this workflow was generated for: every job synthesizes it, never another.
      BASELINE_CONFIG: o.config,
      // Plans on pull requests; plans, reviews and applies on pushes to the branch (and manual runs of it).
      BASELINE_APPLY: o.planOnly ? 'false' : `\${{ ${applyCondition(o)} }}`,
    },
    jobs,
  };
  return { document, notes };
}
