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
import { GITHUB_JOB_MAX_MINUTES, GITHUB_MATRIX_MAX_JOBS } from './limits';
import { LOCK_TIMEOUT, NODE_MAJOR_VERSION, type GeneratedCi, type PipelineOptions } from './options';
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

function setupSteps(o: PipelineOptions, terraform: boolean, role: RoleChoice = 'auto'): Step[] {
  return [
    { uses: 'actions/checkout@v4' },
    { uses: 'actions/setup-node@v4', with: { 'node-version': NODE_MAJOR_VERSION, cache: 'npm' } },
    // Dependencies are installed before any credentials exist, without their install scripts.
    { run: 'npm ci --no-audit --no-fund --ignore-scripts' },
    ...(terraform
      ? [
          // The wrapper would add its own lines to `terraform show -json` output: off.
          { uses: 'hashicorp/setup-terraform@v3', with: { terraform_version: o.terraformVersion, terraform_wrapper: false } },
          {
            // The guardrails exempt the pipeline role (docs/guardrails.md): only a run of the apply
            // branch, never a pull request's code, gets it. Every other run plans with a read-only
            // role that no guardrail exempts (docs/pipeline.md, "Credentials"); the exempt role's
            // trust policy must also pin the OIDC subject to the apply branch and to the environment
            // of destroy-apply, whose deployment branches are the apply branch alone (GitHub,
            // "Configuring OpenID Connect in Amazon Web Services"; docs/pipeline.md).
            name: 'AWS credentials (OIDC)',
            uses: CREDENTIALS_ACTION,
            with: {
              'role-to-assume': o.planOnly || role === 'plan' ? '${{ vars.BASELINE_PLAN_ROLE_ARN }}' : `\${{ (${applyCondition(o)}) && vars.BASELINE_ROLE_ARN || vars.BASELINE_PLAN_ROLE_ARN }}`,
              'aws-region': '${{ vars.BASELINE_AWS_REGION }}',
            },
          },
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

export function githubActionsWorkflow(stacks: PipelineStacks, o: PipelineOptions): GeneratedCi {
  const script = { outdir: o.outdir, allowFile: o.allowFile, lockTimeout: LOCK_TIMEOUT, planRoleName: o.planRoleName };
  const notes: string[] = [];
  const jobs: Record<string, unknown> = {
    synth: {
      name: 'synthesize',
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
      workflow_dispatch: null,
    },
    permissions: { contents: 'read' },
    // One run per ref at a time: two pushes never apply concurrently. Runs of other refs (pull request
    // plans) wait on each stack's state lock instead (-lock-timeout).
    concurrency: { group: 'baseline-${{ github.ref }}', 'cancel-in-progress': false },
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
