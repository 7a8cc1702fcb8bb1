/**
 * The GitLab CI configuration (.gitlab-ci.yml keyword reference: https://docs.gitlab.com/ee/ci/yaml/):
 * stages `synth`, `management`, `members`, and one job per stack. Member jobs `need` management, so each
 * starts as soon as management is applied, and hold a `resource_group`, GitLab's lock: at most one job
 * of a resource group runs at a time, across pipelines.
 *
 * One job per stack rather than `parallel:matrix`, whose 200-job limit (GITLAB_MATRIX_MAX_JOBS) would
 * need splitting at 1,000 stacks, and whose matrix variables a `resource_group` would have to expand.
 * GitLab has no per-pipeline concurrency setting: with `--max-parallel N` below the number of member
 * stacks, the member jobs share N resource groups ("lanes"), a stack always in the same lane (a hash of
 * its name), so at most N run at once and two pipelines never run one stack at the same time. With
 * more lanes than stacks, each stack has its own resource group.
 */
import { LOCK_TIMEOUT, type GeneratedCi, type PipelineOptions } from './options';
import { oneStackScript, shellQuote, synthScript } from './script';
import type { PipelineStack, PipelineStacks } from './stacks';

/** FNV-1a (32 bit) of the stack name: a lane that does not move when other stacks come and go. */
export function laneOf(name: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % lanes;
}

const TEMPLATE = '.baseline-stack';

export function gitlabCi(stacks: PipelineStacks, o: PipelineOptions): GeneratedCi {
  const notes: string[] = [];
  const script = { outdir: o.outdir, allowFile: o.allowFile, lockTimeout: LOCK_TIMEOUT };
  const lanes = o.maxParallel < stacks.members.length ? o.maxParallel : 0;
  if (lanes > 0) notes.push(`At most ${lanes} member stacks run at once: member jobs share ${lanes} resource groups (baseline/lane-N).`);
  else notes.push('Each member stack has its own resource group; how many run at once is the runners\' concurrency.');

  const stackJob = (s: PipelineStack, stage: string, needs: string[], resourceGroup: string) => ({
    extends: TEMPLATE,
    stage,
    needs,
    variables: { STACK: s.name, ...(s.backend.key ? { TF_STATE_KEY: s.backend.key } : {}) },
    resource_group: resourceGroup,
  });

  const document: Record<string, unknown> = {
    stages: ['synth', 'management', 'members'],
    variables: {
      TF_IN_AUTOMATION: 'true',
      TERRAFORM_VERSION: o.terraformVersion,
      CDKTF_OUTDIR: o.outdir,
      ...(o.config ? { BASELINE_CONFIG: o.config } : {}),
    },
    // Merge request pipelines plan and review; pipelines of the branch also apply; a parent pipeline
    // may run this file as a child (generated with --changed-only).
    workflow: {
      rules: [
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
        { if: `$CI_COMMIT_BRANCH == "${o.branch}"` },
        { if: '$CI_PIPELINE_SOURCE == "parent_pipeline"' },
      ],
    },
    default: { image: 'node:20-bookworm' },
    [TEMPLATE]: {
      // An apply cut short by a newer pipeline would leave a stack half-applied.
      interruptible: false,
      before_script: [
        // Terraform from HashiCorp's releases (the image has Node.js and Python, not Terraform).
        'if ! command -v terraform >/dev/null; then curl -fsSL -o /tmp/terraform.zip "https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_linux_amd64.zip" && python3 -m zipfile -e /tmp/terraform.zip /usr/local/bin && chmod +x /usr/local/bin/terraform; fi',
        'npm ci --no-audit --no-fund',
        `if [ "\${CI_COMMIT_BRANCH:-}" = ${shellQuote(o.branch)} ]; then export BASELINE_APPLY=true; else export BASELINE_APPLY=false; fi`,
      ],
      script: [synthScript('STACK'), oneStackScript(script)],
      after_script: [`mkdir -p baseline-review && cp ${shellQuote(o.outdir)}/stacks/"$STACK"/plan.json ${shellQuote(o.outdir)}/stacks/"$STACK"/review.md baseline-review/ 2>/dev/null || true`],
      artifacts: { when: 'always', paths: ['baseline-review/'], expire_in: '30 days', expose_as: 'plan review' },
    },
    synth: {
      stage: 'synth',
      script: ['npm ci --no-audit --no-fund', 'npm run --silent synth', ...(o.checkCommand ? [o.checkCommand] : [])],
    },
  };
  if (stacks.management) document.management = stackJob(stacks.management, 'management', ['synth'], 'baseline/management');
  const memberNeeds = stacks.management ? ['synth', 'management'] : ['synth'];
  for (const s of stacks.members) {
    document[s.name] = stackJob(s, 'members', memberNeeds, lanes > 0 ? `baseline/lane-${laneOf(s.name, lanes)}` : `baseline/${s.name}`);
  }
  return { document, notes };
}
