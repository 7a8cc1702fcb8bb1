/**
 * The repo-level atlantis.yaml (https://www.runatlantis.io/docs/repo-level-atlantis-yaml.html): one
 * project per stack, `dir` its working directory, `management` in execution order group 0 and every
 * member in group 1 (Atlantis plans and applies the groups in order, parallel within a group when
 * `parallel_plan`/`parallel_apply` are on), `abort_on_execution_order_fail` so members never apply
 * after management failed, and a `baseline` workflow that saves the plan as JSON and reviews it.
 *
 * A project autoplans when its `cdk.tf.json` changes in the pull request: the synthesized stacks are
 * committed (or synthesized by a pre-workflow hook; docs/pipeline.md). How many run at once is the
 * server's `--parallel-pool-size`, not a key of this file.
 */
import { ATLANTIS_DEFAULT_PARALLEL_POOL_SIZE } from './limits';
import { LOCK_TIMEOUT, type GeneratedCi, type PipelineOptions } from './options';
import { shellQuote } from './script';
import type { PipelineStack, PipelineStacks } from './stacks';

const WORKFLOW = 'baseline';

export function atlantisYaml(stacks: PipelineStacks, o: PipelineOptions): GeneratedCi {
  const project = (s: PipelineStack, group: number) => ({
    name: s.name,
    dir: s.dir,
    workflow: WORKFLOW,
    execution_order_group: group,
    // Atlantis downloads this version; the S3 backend's use_lockfile needs Terraform >= 1.10.
    terraform_version: o.terraformVersion,
    autoplan: { enabled: true, when_modified: ['cdk.tf.json'] },
  });
  const allow = o.allowFile ? ` --allow-file "\${DIR%$REPO_REL_DIR}"${shellQuote(o.allowFile)}` : '';
  const document: Record<string, unknown> = {
    version: 3,
    automerge: false,
    parallel_plan: true,
    parallel_apply: true,
    abort_on_execution_order_fail: true,
    projects: [...(stacks.management ? [project(stacks.management, 0)] : []), ...stacks.members.map((s) => project(s, 1))],
    workflows: {
      [WORKFLOW]: {
        plan: {
          steps: [
            'init',
            { plan: { extra_args: [`-lock-timeout=${LOCK_TIMEOUT}`] } },
            // $PLANFILE and $SHOWFILE: where Atlantis keeps the plan and its JSON (custom workflows, "Native Environment Variables").
            { run: 'terraform show -json "$PLANFILE" > "$SHOWFILE"' },
            // The repository root is $DIR without the project's relative path.
            { run: `"\${DIR%$REPO_REL_DIR}bin/baseline" review "$SHOWFILE" --stack "$PROJECT_NAME"${allow}` },
          ],
        },
        apply: { steps: [{ apply: { extra_args: [`-lock-timeout=${LOCK_TIMEOUT}`] } }] },
      },
    },
  };
  const notes = [
    `Run the Atlantis server with --parallel-pool-size=${o.maxParallel} (at most that many plans or applies at once; Atlantis' default is ${ATLANTIS_DEFAULT_PARALLEL_POOL_SIZE}).`,
    'The server-side repo config must allow this repository its custom workflow (allowed_overrides: [workflow], allow_custom_workflows: true); see docs/pipeline.md.',
  ];
  return { document, notes };
}
