/**
 * The repo-level atlantis.yaml (https://www.runatlantis.io/docs/repo-level-atlantis-yaml.html): one
 * project per stack, `dir` its working directory, `management` in execution order group 0 and every
 * member in group 1 (Atlantis plans and applies the groups in order, parallel within a group when
 * `parallel_plan`/`parallel_apply` are on), `abort_on_execution_order_fail` so members never apply
 * after management failed, and the `baseline` workflow that saves the plan as JSON and reviews it. Each
 * stack of `removedMembers` is a project of the `baseline-destroy` workflow, in group 1: a destroy plan
 * (`plan` with `extra_args: [-destroy]`, custom workflows, https://www.runatlantis.io/docs/custom-workflows.html),
 * reviewed with `baseline review --destroy`. Both workflows are defined in the server-side repo config
 * (`atlantisServerConfig`), which a pull request cannot change; atlantis.yaml only names them.
 *
 * The stacks are not committed (`.gitignore` excludes cdktf.out): the Atlantis server synthesizes them
 * in a pre-workflow hook of its server-side repo config (https://www.runatlantis.io/docs/pre-workflow-hooks.html),
 * which `atlantisServerConfig` writes (`baseline pipeline --format atlantis --server-config FILE`).
 * So a project autoplans when what its stack is made from changes: the org config or the baseline's
 * source (`when_modified`, "Paths are relative to the project's dir", .dockerignore syntax), not a
 * committed cdk.tf.json. How many run at once is the server's `--parallel-pool-size`, not a key of
 * this file.
 */
import { posix } from 'node:path';
import { ATLANTIS_DEFAULT_PARALLEL_POOL_SIZE } from './limits';
import { LOCK_TIMEOUT, type GeneratedCi, type PipelineOptions } from './options';
import { providersCheck, shellQuote, strayFilesCheck, trackedOutputCheck } from './script';
import type { PipelineStack, PipelineStacks } from './stacks';

const WORKFLOW = 'baseline';
const DESTROY_WORKFLOW = 'baseline-destroy';

/**
 * What the synthesized stacks are made of, relative to the repository root: the synth code that
 * synth/compile.mjs compiles (its SOURCES, less `vending` and `bin`, which write no stack) and the
 * dependencies. __tests__/pipeline checks the list against compile.mjs.
 */
export const SYNTH_SOURCES = ['main.ts', 'config', 'controls', 'stacks', 'modules', 'synth', 'package.json', 'package-lock.json'] as const;

/**
 * What the jobs run besides the synth: `bin/baseline` (the review, and the hook's regeneration of
 * atlantis.yaml), every folder bin/baseline.ts imports a command from, cdktf's project file and the
 * TypeScript settings tsx reads. __tests__/pipeline checks the folders against bin/baseline.ts.
 */
export const REVIEW_SOURCES = ['bin', 'review', 'pipeline', 'vending', 'evidence', 'investigate', 'cdktf.json', 'tsconfig.json'] as const;

const FILES = new Set(['main.ts', 'package.json', 'package-lock.json', 'cdktf.json', 'tsconfig.json']);

/** The `when_modified` patterns of a project in `dir`: the org config, the allow file, and the sources, from the project's dir. */
export function whenModified(dir: string, config: string, allowFile?: string): string[] {
  const up = dir.split('/').map(() => '..').join('/');
  const sources = [...SYNTH_SOURCES, ...REVIEW_SOURCES].map((s) => (FILES.has(s) ? posix.join(up, s) : `${posix.join(up, s)}/**`));
  return [posix.join(up, config), ...(allowFile ? [posix.join(up, allowFile)] : []), ...sources];
}

/**
 * The credentials the synth must not have: it runs the pull request's code before any plan. The AWS
 * SDKs' credential chain reads static keys, a profile, a web identity, the ECS container endpoint, and
 * the EC2 instance metadata service, which `AWS_EC2_METADATA_DISABLED=true` turns off (AWS SDKs and
 * Tools Reference Guide, "Standardized credential providers" and "IMDS credential provider":
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-imds-credentials.html).
 */
export const SYNTH_UNSET_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
] as const;

/**
 * The shell a pre-workflow hook runs from the repository root ($DIR): refuse committed synth output,
 * install, synthesize every stack of the config, and regenerate atlantis.yaml from the config (so a
 * vend never leaves it stale), all without AWS credentials.
 */
export function serverSynthCommand(config: string, outdir = 'cdktf.out', regenerate?: string): string {
  const noAws = `env ${SYNTH_UNSET_VARIABLES.map((v) => `-u ${v}`).join(' ')} AWS_EC2_METADATA_DISABLED=true`;
  return [
    'cd "$DIR"',
    `{ ${trackedOutputCheck(outdir)}; }`,
    `${noAws} npm ci --no-audit --no-fund --ignore-scripts`,
    `${noAws} BASELINE_CONFIG=${shellQuote(config)} npm run --silent synth`,
    ...(regenerate ? [`${noAws} ${regenerate}`] : []),
  ].join(' && ');
}

/** The command the hook runs to regenerate atlantis.yaml: the generator's own, without --out/--server-config. */
function regenerateCommand(o: PipelineOptions): string {
  const base = o.command.replace(/ --out \S+| --server-config \S+| --repo-id \S+/g, '');
  return `bin/${base} --out atlantis.yaml`;
}

/**
 * The `baseline` and `baseline-destroy` workflows, defined in the server-side repo config so that a pull
 * request cannot change their steps (allow_custom_workflows: false).
 */
export function atlantisWorkflows(o: PipelineOptions): Record<string, unknown> {
  // The repository root is $DIR without the project's relative path ($REPO_REL_DIR; custom workflows,
  // "Native Environment Variables").
  const root = '"${DIR%$REPO_REL_DIR}"';
  const allow = o.allowFile ? ` --allow-file ${root}${shellQuote(o.allowFile)}` : '';
  const lock = `-lock-timeout=${LOCK_TIMEOUT}`;
  // Before init: no Terraform file but cdk.tf.json in the project's folder ($DIR in a run step).
  const stray = { run: strayFilesCheck('"$DIR"', '$PROJECT_NAME') };
  // Before init: cdk.tf.json declares only the aws provider and its types (no `data "external"`, which
  // would run a program at plan time). Inline, not the pull request's bin/baseline.
  const providers = { run: providersCheck('"$DIR/cdk.tf.json"', '$PROJECT_NAME') };
  // $PLANFILE and $SHOWFILE: where Atlantis keeps the plan and its JSON (custom workflows, "Native Environment Variables").
  // Run steps call the project's Terraform (terraform_version), which Atlantis keeps as
  // terraform<version> and names in $ATLANTIS_TERRAFORM_VERSION (custom workflows, "Native Environment
  // Variables"; a maintainer in runatlantis/atlantis#910: "run: terraform$ATLANTIS_TERRAFORM_VERSION"):
  // a plain `terraform` is the server's default, which may not read this version's saved plan.
  const show = { run: 'terraform$ATLANTIS_TERRAFORM_VERSION show -json "$PLANFILE" > "$SHOWFILE"' };
  const review = (extra: string) => ({ run: `${root}bin/baseline review "$SHOWFILE" --stack "$PROJECT_NAME"${extra}${allow}` });
  // With local state, an apply on the server would write state no later run finds: refused.
  const noApply = { run: 'echo "state.backend is local: this pipeline only plans; set state.backend: s3 to apply" >&2; exit 1' };
  return {
    [WORKFLOW]: {
      plan: { steps: [stray, providers, 'init', { plan: { extra_args: [lock] } }, show, review('')] },
      apply: { steps: o.planOnly ? [noApply] : [{ apply: { extra_args: [lock] } }] },
    },
    [DESTROY_WORKFLOW]: {
      plan: {
        steps: [
          stray,
          providers,
          'init',
          // An empty state: nothing to destroy (destroyed already, or the wrong state key): fail, saying so.
          {
            run: `if [ -z "$(terraform$ATLANTIS_TERRAFORM_VERSION state list)" ]; then echo "$PROJECT_NAME: its state is empty: nothing to destroy. If it was destroyed already, record it: bin/baseline remove --account-id \${PROJECT_NAME#member-} --destroyed --config ${shellQuote(o.config)}; otherwise its state key is wrong" >&2; exit 1; fi`,
          },
          { plan: { extra_args: ['-destroy', lock] } },
          show,
          // Accepts the deletion of the stack's controls only because it is a destroy plan of a removed
          // member, deleting from that account.
          review(` --destroy --config ${root}${shellQuote(o.config)}`),
        ],
      },
      apply: {
        steps: o.planOnly
          ? [noApply]
          : [
              { apply: { extra_args: [lock] } },
              {
                run: `echo "$PROJECT_NAME destroyed. Now record it: run bin/baseline remove --account-id \${PROJECT_NAME#member-} --destroyed --config ${shellQuote(o.config)} and commit the config."`,
              },
            ],
      },
    },
  };
}

/** What the header of atlantis.yaml and stderr say about the server's credentials. */
export const ATLANTIS_CREDENTIALS_NOTE =
  "Atlantis runs a pull request's code (the synth, terraform plan of its stacks, bin/baseline review) on the server with the server's own AWS credentials: unlike the GitHub and GitLab files, there is no separate read-only plan role. Give the server only what the baseline needs, and prefer GitHub Actions or GitLab where that matters (docs/pipeline.md).";

export function atlantisYaml(stacks: PipelineStacks, o: PipelineOptions): GeneratedCi {
  const project = (s: PipelineStack, group: number, workflow: string) => ({
    name: s.name,
    dir: s.dir,
    // Defined server-side (atlantisServerConfig); a project may name it (allowed_overrides: [workflow],
    // allowed_workflows).
    workflow,
    execution_order_group: group,
    // Atlantis downloads this version; the S3 backend's use_lockfile needs Terraform >= 1.10.
    terraform_version: o.terraformVersion,
    autoplan: { enabled: true, when_modified: whenModified(s.dir, o.config, o.allowFile) },
  });
  const destroy = o.planOnly ? [] : stacks.destroy;
  const document: Record<string, unknown> = {
    version: 3,
    automerge: false,
    parallel_plan: true,
    parallel_apply: true,
    abort_on_execution_order_fail: true,
    projects: [
      ...(stacks.management ? [project(stacks.management, 0, WORKFLOW)] : []),
      ...stacks.members.map((s) => project(s, 1, WORKFLOW)),
      ...destroy.map((s) => project(s, 1, DESTROY_WORKFLOW)),
    ],
  };
  const notes = [
    `Run the Atlantis server with --parallel-pool-size=${o.maxParallel} (at most that many plans or applies at once; Atlantis' default is ${ATLANTIS_DEFAULT_PARALLEL_POOL_SIZE}) and --fail-on-pre-workflow-hook-error.`,
    `The workflows (${WORKFLOW}, ${DESTROY_WORKFLOW}) and the pre-workflow hook that synthesizes the stacks and regenerates this file are in the server-side repo config: write it with --server-config FILE --repo-id ID; see docs/pipeline.md.`,
    ATLANTIS_CREDENTIALS_NOTE,
    // A saved plan carries the variable values it was made with, and `atlantis apply` applies it: the
    // plan must be made with the apply role, so deployment_role_name keeps its default here.
    'The plans assume deployment.roleName in each account (deployment_role_name is left at its default): atlantis apply applies the saved plan, with the role it was planned with.',
    ...(destroy.length > 0
      ? [`${destroy.length} removed member stack(s) have a ${DESTROY_WORKFLOW} project; record each with baseline remove --account-id ID --destroyed once destroyed.`]
      : []),
  ];
  return { document, notes };
}

export interface ServerConfigOptions {
  /** The repository, as Atlantis names it (`{VCS hostname}/{org}/{repo name}`), or a regex between slashes. */
  readonly repoId: string;
  /** The pipeline options of the atlantis.yaml this config goes with. */
  readonly pipeline: PipelineOptions;
}

/**
 * The server-side repo config (https://www.runatlantis.io/docs/server-side-repo-config.html) for the
 * repository:
 * - the `baseline` and `baseline-destroy` workflows (top-level `workflows`), which the repository may
 *   name and not change: `allowed_workflows` lists them, `allow_custom_workflows: false` refuses a
 *   repo-level `workflows:` key (so a pull request cannot add `run` steps), and `allowed_overrides:
 *   [workflow]` lets a project of atlantis.yaml pick one of them ("allowed_overrides ... workflow",
 *   "allowed_workflows": server-side repo config, "Reference");
 * - the apply requirements the server enforces: `approved` (approved by someone other than the author)
 *   and `mergeable` (Atlantis, "Command Requirements", https://www.runatlantis.io/docs/command-requirements.html);
 * - the pre-workflow hook ("Dynamic Repo Config Generation"; `run`, `description`, `commands`: pre-workflow
 *   hooks, "Reference"), only for `plan` (an apply uses the plan's files): it synthesizes the stacks
 *   without AWS credentials and regenerates atlantis.yaml from the config, which Atlantis reads after
 *   the hook.
 */
export function atlantisServerConfig(o: ServerConfigOptions): Record<string, unknown> {
  const p = o.pipeline;
  return {
    repos: [
      {
        id: o.repoId,
        apply_requirements: ['approved', 'mergeable'],
        workflow: WORKFLOW,
        allowed_overrides: ['workflow'],
        allowed_workflows: [WORKFLOW, DESTROY_WORKFLOW],
        allow_custom_workflows: false,
        pre_workflow_hooks: [{ run: serverSynthCommand(p.config, p.outdir, regenerateCommand(p)), description: `baseline: synthesize ${p.config}`, commands: 'plan' }],
      },
    ],
    workflows: atlantisWorkflows(p),
  };
}
