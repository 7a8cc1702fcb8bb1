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
 *
 * Credentials, as the GitHub Actions output does it: dependencies are installed without their lifecycle
 * scripts (`npm ci --ignore-scripts`) before any AWS credential exists; then the job exchanges its GitLab
 * ID token (`id_tokens`, https://docs.gitlab.com/ci/secrets/id_token_authentication/) for a role by
 * AssumeRoleWithWebIdentity (GitLab, "Configure OpenID Connect in AWS to retrieve temporary credentials",
 * https://docs.gitlab.com/ci/cloud_services/aws/). Only a push pipeline of the apply branch that is
 * protected (`$CI_COMMIT_REF_PROTECTED == "true"`) assumes BASELINE_ROLE_ARN and applies, and not while
 * a variable that would bend the run (TF_CLI_ARGS*, NODE_OPTIONS, another BASELINE_CONFIG) is set; every
 * other pipeline assumes the read-only BASELINE_PLAN_ROLE_ARN and only plans, with the providers on
 * `deployment.planRoleName` (pipeline/script.ts). With local state every pipeline only plans. The
 * destroy jobs of a pipeline that applies are manual.
 */
import { EVIDENCE_BINDER_DIR, EVIDENCE_SHARD_PREFIX, EVIDENCE_SHARD_RETENTION_DAYS, EVIDENCE_SHARDS_DIR, evidenceMergeScript, evidenceShardScript } from './evidence';
import { LOCK_TIMEOUT, NODE_MAJOR_VERSION, type EvidenceJobOptions, type GeneratedCi, type PipelineOptions } from './options';
import { destroyScript, oneStackScript, shellQuote, synthScript, trackedOutputCheck } from './script';
import type { DestroyStack, PipelineStack, PipelineStacks } from './stacks';

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

/** The `rules:if` of a pipeline that applies: a push to the protected apply branch (credentialsScript). */
export const APPLY_RULE = (branch: string) => `$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "${branch}" && $CI_COMMIT_REF_PROTECTED == "true"`;
const DESTROY_TEMPLATE = '.baseline-destroy';

/** The variable GitLab puts the job's ID token in (`id_tokens`). */
export const ID_TOKEN_VARIABLE = 'BASELINE_ID_TOKEN';

/** Installs dependencies without running any package's install scripts: no credential exists yet. */
export const GITLAB_INSTALL = 'npm ci --no-audit --no-fund --ignore-scripts';

/**
 * The shell that picks the role and hands Terraform the ID token, after the install. Terraform's AWS
 * provider and S3 backend read a web identity from `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`
 * (the AWS SDKs' assume-role-with-web-identity credential provider,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html; Terraform AWS
 * provider, "assume_role_with_web_identity", https://registry.terraform.io/providers/hashicorp/aws/latest/docs#assume-role-with-web-identity-configuration-reference;
 * S3 backend, https://developer.hashicorp.com/terraform/language/backend/s3#assume-role-with-web-identity-configuration),
 * so the image needs no AWS CLI. Static keys a runner or a CI/CD variable might set would come first in
 * the SDKs' credential chain: they are unset.
 *
 * `$CI_PIPELINE_SOURCE`, `$CI_COMMIT_BRANCH` (unset in merge-request pipelines) and `$CI_COMMIT_REF_PROTECTED`
 * ("true" if the job is running for a protected reference) are predefined variables
 * (https://docs.gitlab.com/ci/variables/predefined_variables/). A merge-request pipeline is excluded by
 * its source as well, since GitLab can mark one from a protected source branch as protected.
 */
export function credentialsScript(branch: string, config: string, planOnly = false): string {
  // Only a push to the protected apply branch applies: not a merge request, a schedule, a manual
  // "Run pipeline" (source `web`), an API or trigger call, or a child pipeline (`parent_pipeline`),
  // whose variables the person starting it may set (`$CI_PIPELINE_SOURCE` values: predefined variables).
  const apply = planOnly
    ? 'false'
    : `[ "\${CI_PIPELINE_SOURCE:-}" = push ] && [ "\${CI_COMMIT_BRANCH:-}" = ${shellQuote(branch)} ] && [ "\${CI_COMMIT_REF_PROTECTED:-false}" = true ]`;
  return [
    `if ${apply}; then`,
    '  export BASELINE_APPLY=true; role_variable=BASELINE_ROLE_ARN; role="${BASELINE_ROLE_ARN:-}"',
    // Pipeline variables (and trigger, scheduled and manual-run variables) override the YAML's
    // `variables` (GitLab, "CI/CD variable precedence", https://docs.gitlab.com/ci/variables/#cicd-variable-precedence):
    // whoever can set them could add Terraform arguments (TF_CLI_ARGS, TF_CLI_ARGS_<command>: Terraform
    // CLI, "Environment Variables", https://developer.hashicorp.com/terraform/cli/config/environment-variables#tf_cli_args-and-tf_cli_args_name),
    // code Node.js preloads (NODE_OPTIONS, https://nodejs.org/api/cli.html#node_optionsoptions), or another
    // org config. The apply role is refused while any is set.
    "  bad=$(env | grep -oE '^(TF_CLI_ARGS[A-Za-z0-9_]*|NODE_OPTIONS)=' | tr -d '=' | sort | tr '\\n' ' ')",
    `  if [ "\${BASELINE_CONFIG:-}" != ${shellQuote(config)} ]; then bad="\${bad}BASELINE_CONFIG=\${BASELINE_CONFIG:-} "; fi`,
    '  if [ -n "$bad" ]; then echo "refusing the apply role: $bad is set (a pipeline, trigger or project variable?): the apply branch runs only with the generated variables; remove it" >&2; exit 1; fi',
    'else',
    '  export BASELINE_APPLY=false; role_variable=BASELINE_PLAN_ROLE_ARN; role="${BASELINE_PLAN_ROLE_ARN:-}"',
    'fi',
    'if [ -z "$role" ]; then echo "$role_variable is not set: set it as a CI/CD variable (BASELINE_ROLE_ARN protected, for the apply branch only; see docs/pipeline.md)" >&2; exit 1; fi',
    `if [ -z "\${${ID_TOKEN_VARIABLE}:-}" ]; then echo "no ID token in ${ID_TOKEN_VARIABLE} (id_tokens): GitLab 15.7 or later is needed" >&2; exit 1; fi`,
    'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE="$(mktemp)"',
    `printf '%s' "$${ID_TOKEN_VARIABLE}" > "$AWS_WEB_IDENTITY_TOKEN_FILE"`,
    'export AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN="$role" AWS_ROLE_SESSION_NAME="gitlab-${CI_PROJECT_ID}-${CI_JOB_ID}"',
    'echo "AWS credentials: $role_variable (apply: $BASELINE_APPLY)"',
  ].join('\n');
}

/**
 * Installs Terraform from HashiCorp's releases when the image has none, for the runner's architecture
 * (`uname -m`: x86_64 → amd64, aarch64/arm64 → arm64; others refused), and checks the zip against
 * `terraform_<version>_SHA256SUMS` of the same release (HashiCorp, "Official release channels",
 * https://www.hashicorp.com/en/trust/security/official-release-channels, and the release folder layout of
 * https://releases.hashicorp.com/terraform/). The GPG signature of the SHA256SUMS file
 * (`terraform_<version>_SHA256SUMS.sig`) is not checked: the sums come over the same TLS connection to
 * releases.hashicorp.com as the zip (docs/pipeline.md says so).
 */
export const TERRAFORM_INSTALL = [
  'if ! command -v terraform >/dev/null; then',
  '  case "$(uname -m)" in x86_64|amd64) tf_arch=amd64 ;; aarch64|arm64) tf_arch=arm64 ;; *) echo "terraform: no linux release for $(uname -m) here (amd64, arm64)" >&2; exit 1 ;; esac',
  '  tf_base="https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}"; tf_zip="terraform_${TERRAFORM_VERSION}_linux_${tf_arch}.zip"; tf_sums="terraform_${TERRAFORM_VERSION}_SHA256SUMS"',
  '  curl -fsSL -o "/tmp/$tf_zip" "$tf_base/$tf_zip" && curl -fsSL -o "/tmp/$tf_sums" "$tf_base/$tf_sums" || exit 1',
  '  (cd /tmp && grep "  $tf_zip\$" "$tf_sums" | sha256sum -c -) || { echo "terraform: $tf_zip does not match its checksum in $tf_sums: not installed" >&2; exit 1; }',
  '  python3 -m zipfile -e "/tmp/$tf_zip" /usr/local/bin && chmod +x /usr/local/bin/terraform || exit 1',
  'fi',
].join('\n');

/** The end of the audit period every evidence job of a pipeline gives: when the pipeline was created. */
const EVIDENCE_TO = '"$CI_PIPELINE_CREATED_AT"';

/** The evidence jobs of GitLab: the shards (one `parallel` job) and the merge. */
export const GITLAB_EVIDENCE_JOBS = { shards: 'evidence-shard', merge: 'evidence-merge' } as const;

const EVIDENCE_TEMPLATE = '.baseline-evidence';

/** The CI/CD variable naming the role the evidence shards assume (it may assume the reader roles). */
export const GITLAB_EVIDENCE_ROLE_VARIABLE = 'BASELINE_EVIDENCE_ROLE_ARN';

/**
 * A pipeline that collects evidence: a scheduled pipeline of the apply branch (a pipeline schedule of the
 * project, https://docs.gitlab.com/ci/pipelines/schedules/; `$CI_PIPELINE_SOURCE` is `schedule` also when a
 * person runs the schedule now). Stack jobs do not run in any scheduled pipeline once the file has evidence jobs.
 */
export const EVIDENCE_RULE = (branch: string) => `$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == "${branch}"`;

/** The `rules` that keep a stack job out of scheduled (evidence) pipelines, then run it as before. */
const NOT_SCHEDULED = { if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' } as const;

/**
 * The shell that hands the collector the evidence role: the job's ID token for `$BASELINE_EVIDENCE_ROLE_ARN`,
 * through the AWS SDK's web identity variables, which the collector's default credentials read (as
 * Terraform does in credentialsScript); static keys are unset, as there.
 */
export function evidenceCredentialsScript(): string {
  return [
    `role="\${${GITLAB_EVIDENCE_ROLE_VARIABLE}:-}"`,
    `if [ -z "$role" ]; then echo "${GITLAB_EVIDENCE_ROLE_VARIABLE} is not set: set it as a protected CI/CD variable, the role that may assume the evidence reader role in every account (docs/pipeline.md)" >&2; exit 1; fi`,
    `if [ -z "\${${ID_TOKEN_VARIABLE}:-}" ]; then echo "no ID token in ${ID_TOKEN_VARIABLE} (id_tokens): GitLab 15.7 or later is needed" >&2; exit 1; fi`,
    'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE="$(mktemp)"',
    `printf '%s' "$${ID_TOKEN_VARIABLE}" > "$AWS_WEB_IDENTITY_TOKEN_FILE"`,
    'export AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN="$role" AWS_ROLE_SESSION_NAME="gitlab-${CI_PROJECT_ID}-${CI_JOB_ID}"',
    `echo "AWS credentials: ${GITLAB_EVIDENCE_ROLE_VARIABLE}"`,
  ].join('\n');
}

/**
 * The evidence jobs (.gitlab-ci.yml keyword reference, https://docs.gitlab.com/ci/yaml/): `evidence-shard`
 * runs N times at once with `parallel: N` ("A numeric value from 1 to 200"; every parallel job has
 * `CI_NODE_INDEX` and `CI_NODE_TOTAL`, https://docs.gitlab.com/ci/yaml/#parallel): `CI_NODE_INDEX` is "The
 * index of the job in the job set", `CI_NODE_TOTAL` "The total number of instances of this job running in
 * parallel. Set to 1 if the job does not use parallel" (predefined variables,
 * https://docs.gitlab.com/ci/variables/predefined_variables/), so one shard has no `parallel` (which
 * GitLab versions before 1 was allowed refuse) and index 1. Every shard judges the period ending
 * `$CI_PIPELINE_CREATED_AT`, "The date and time when the pipeline was created, in ISO 8601 format. For
 * example, 2022-01-31T16:47:55Z. UTC by default" (same page): one value for the whole pipeline, retries
 * included. Each shard keeps its own folder under evidence-shards/ as its artifacts; `evidence-merge`
 * `needs` the parallel job, which "depends on all jobs created in parallel, not just one job. It also
 * downloads artifacts from all the parallel jobs by default. If the artifacts have the same name, they
 * overwrite each other" (`needs`, https://docs.gitlab.com/ci/yaml/#needs): hence a folder per shard.
 */
function evidenceJobs(o: PipelineOptions, evidence: EvidenceJobOptions): Record<string, unknown> {
  const n = evidence.shards;
  const rules = [{ if: EVIDENCE_RULE(o.branch) }];
  const index = '${CI_NODE_INDEX:-1}';
  return {
    // `id_tokens` in a hidden job, as the stack template has it (the pinned schema predates the keyword).
    [EVIDENCE_TEMPLATE]: { id_tokens: { [ID_TOKEN_VARIABLE]: { aud: '$CI_SERVER_URL' } } },
    [GITLAB_EVIDENCE_JOBS.shards]: {
      extends: EVIDENCE_TEMPLATE,
      stage: 'evidence',
      rules,
      ...(n > 1 ? { parallel: n } : {}),
      needs: [],
      variables: { BASELINE_APPLY: 'false' },
      before_script: [GITLAB_INSTALL, evidenceCredentialsScript()],
      script: [
        // The file says N shards; GitLab says how many run: they must agree, or a shard would be lost.
        `if [ "\${CI_NODE_TOTAL:-1}" != ${n} ]; then echo "CI_NODE_TOTAL is \${CI_NODE_TOTAL:-1}, not the ${n} shard(s) this file was generated for: regenerate it" >&2; exit 1; fi`,
        evidenceShardScript({ index, total: n, to: EVIDENCE_TO }),
      ],
      // `artifacts:name` expands CI/CD variables, not sh's `${VAR:-default}`.
      artifacts: { name: `${EVIDENCE_SHARD_PREFIX}${n > 1 ? '$CI_NODE_INDEX' : '1'}`, paths: [`${EVIDENCE_SHARDS_DIR}/`], expire_in: `${EVIDENCE_SHARD_RETENTION_DAYS} days` },
    },
    [GITLAB_EVIDENCE_JOBS.merge]: {
      stage: 'evidence-merge',
      rules,
      needs: [GITLAB_EVIDENCE_JOBS.shards],
      variables: { BASELINE_APPLY: 'false' },
      script: [GITLAB_INSTALL, evidenceMergeScript(n, EVIDENCE_TO)],
      // Also when the merge exits 1 (a control failed): that binder is the evidence of the failure.
      artifacts: { name: EVIDENCE_BINDER_DIR, when: 'always', paths: [`${EVIDENCE_BINDER_DIR}/`], expose_as: 'evidence binder' },
    },
  };
}

export function gitlabCi(stacks: PipelineStacks, o: PipelineOptions): GeneratedCi {
  const notes: string[] = [];
  const script = { outdir: o.outdir, allowFile: o.allowFile, lockTimeout: LOCK_TIMEOUT, planRoleName: o.planRoleName };
  const destroy = o.planOnly ? [] : stacks.destroy;
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
  const destroyJob = (s: DestroyStack, needs: string[]) => ({
    extends: DESTROY_TEMPLATE,
    stage: 'destroy',
    needs,
    variables: { STACK: s.name, ACCOUNT_ID: s.accountId, ...(s.backend.key ? { TF_STATE_KEY: s.backend.key } : {}) },
    resource_group: `baseline/${s.name}`,
  });
  if (destroy.length > 0) {
    notes.push(`${destroy.length} removed member stack(s) are destroyed after management (stage destroy); record each with baseline remove --account-id ID --destroyed once destroyed.`);
  }

  const document: Record<string, unknown> = {
    stages: ['synth', 'management', 'members', ...(destroy.length > 0 ? ['destroy'] : []), ...(o.evidence ? ['evidence', 'evidence-merge'] : [])],
    variables: {
      TF_IN_AUTOMATION: 'true',
      TERRAFORM_VERSION: o.terraformVersion,
      CDKTF_OUTDIR: o.outdir,
      // The org this file was generated for: every job synthesizes it, never another.
      BASELINE_CONFIG: o.config,
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
    // The official Node.js image of the LTS line the project runs on (NODE_MAJOR_VERSION).
    default: { image: `node:${NODE_MAJOR_VERSION}-bookworm` },
    [TEMPLATE]: {
      ...(o.evidence ? { rules: [NOT_SCHEDULED, { when: 'on_success' }] } : {}),
      // An apply cut short by a newer pipeline would leave a stack half-applied.
      interruptible: false,
      // The job's OIDC token for AWS: its audience is the instance's address, as the IAM OIDC provider
      // for GitLab is set up (GitLab, "Configure OpenID Connect in AWS"; `id_tokens`,
      // https://docs.gitlab.com/ci/yaml/#id_tokens). `aud` expands CI/CD variables since GitLab 16.1
      // (https://gitlab.com/gitlab-org/gitlab/-/merge_requests/122668).
      id_tokens: { [ID_TOKEN_VARIABLE]: { aud: '$CI_SERVER_URL' } },
      before_script: [
        // Terraform from HashiCorp's releases (the image has Node.js and Python, not Terraform), checksummed.
        TERRAFORM_INSTALL,
        GITLAB_INSTALL,
        credentialsScript(o.branch, o.config, o.planOnly),
      ],
      script: [synthScript('STACK'), oneStackScript(script)],
      // Only the review: plan.json (and tfplan) carry the values of sensitive attributes in clear
      // (Terraform, "Sensitive Data in State", https://developer.hashicorp.com/terraform/language/state/sensitive-data).
      after_script: [`mkdir -p baseline-review && cp ${shellQuote(o.outdir)}/stacks/"$STACK"/review.md baseline-review/ 2>/dev/null || true`],
      artifacts: { when: 'always', paths: ['baseline-review/review.md'], expire_in: '30 days', expose_as: 'plan review' },
    },
    ...(destroy.length > 0
      ? {
          [DESTROY_TEMPLATE]: {
            extends: TEMPLATE,
            script: [synthScript('STACK'), destroyScript(script)],
            // A human starts each destroy that applies: on a push to the apply branch the job is manual
            // (`rules:when: manual`, https://docs.gitlab.com/ci/yaml/#when; a manual job in `rules` blocks
            // the pipeline, `allow_failure: false`: https://docs.gitlab.com/ci/jobs/job_control/#types-of-manual-jobs).
            // Protect the apply branch's environment or branch to choose who may start it.
            rules: [...(o.evidence ? [NOT_SCHEDULED] : []), { if: APPLY_RULE(o.branch), when: 'manual' }, { when: 'on_success' }],
          },
        }
      : {}),
    // Synthesizes and checks the file without any AWS credential.
    synth: {
      stage: 'synth',
      ...(o.evidence ? { rules: [NOT_SCHEDULED, { when: 'on_success' }] } : {}),
      script: [trackedOutputCheck(o.outdir), GITLAB_INSTALL, 'npm run --silent synth', ...(o.checkCommand ? [o.checkCommand] : [])],
    },
  };
  if (stacks.management) document.management = stackJob(stacks.management, 'management', ['synth'], 'baseline/management');
  const memberNeeds = stacks.management ? ['synth', 'management'] : ['synth'];
  for (const s of stacks.members) {
    document[s.name] = stackJob(s, 'members', memberNeeds, lanes > 0 ? `baseline/lane-${laneOf(s.name, lanes)}` : `baseline/${s.name}`);
  }
  for (const s of destroy) document[`destroy-${s.name}`] = destroyJob(s, memberNeeds);
  if (o.evidence) {
    Object.assign(document, evidenceJobs(o, o.evidence));
    notes.push(
      `Evidence: scheduled pipelines of ${o.branch} (create a pipeline schedule in the project) collect the evidence in ${o.evidence.shards} shard(s) with ${GITLAB_EVIDENCE_ROLE_VARIABLE} and merge them into the artifact ${EVIDENCE_BINDER_DIR}; no stack job runs in a scheduled pipeline.`,
    );
  }
  return { document, notes };
}
