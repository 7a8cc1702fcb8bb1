/**
 * The limits of the CI systems that shape the generated configuration, each with where it is
 * documented. They are checked when the configuration is generated, so a pipeline that would be
 * refused (or silently cut short) by the CI system fails here, naming the limit.
 */

/**
 * GitHub Actions: "A matrix will generate a maximum of 256 jobs per workflow run. This limit applies
 * to both GitHub-hosted and self-hosted runners."
 * (https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs; also the Actions limits
 * page, https://docs.github.com/en/actions/reference/limits, "Job matrix: 256 jobs / workflow run").
 * Above it, member stacks are spread over at most this many shard jobs of one matrix, each running
 * its stacks one after another, so the bound holds however the limit is read (per matrix or per run).
 */
export const GITHUB_MATRIX_MAX_JOBS = 256;

/**
 * GitHub Actions: "A workflow file larger than 500 KB will not start runs"
 * (https://docs.github.com/en/actions/reference/limits, "Workflow file size").
 */
export const GITHUB_WORKFLOW_FILE_MAX_BYTES = 500 * 1024;

/**
 * GitHub-hosted runners: a job can run for up to 6 hours (360 minutes, the default `timeout-minutes`,
 * https://docs.github.com/en/actions/reference/limits). A shard runs its stacks in sequence within it.
 */
export const GITHUB_JOB_MAX_MINUTES = 360;

/**
 * GitLab CI: `parallel:matrix` creates at most 200 jobs ("The number of permutations cannot exceed
 * 200", https://docs.gitlab.com/ee/ci/yaml/#parallelmatrix; earlier GitLab versions allowed 50, as the pinned
 * SchemaStore schema still says).
 * The generator does not use `parallel:matrix`: it writes one job per stack (with `needs` and a
 * `resource_group`), which this limit does not bound, so 1,000 stacks need no splitting.
 */
export const GITLAB_MATRIX_MAX_JOBS = 200;

/**
 * GitLab CI: a CI/CD configuration YAML file is at most 1 MB by default (instance setting
 * `max_yaml_size_bytes`, https://docs.gitlab.com/ee/administration/instance_limits.html#maximum-size-and-depth-of-cicd-configuration-yaml-files).
 */
export const GITLAB_YAML_MAX_BYTES = 1024 * 1024;

/**
 * Atlantis runs at most `--parallel-pool-size` plans or applies at once, 15 by default
 * (https://www.runatlantis.io/docs/repo-level-atlantis-yaml.html#run-plans-and-applies-in-parallel):
 * a server flag, not a key of atlantis.yaml, so the generated file says what to set.
 */
export const ATLANTIS_DEFAULT_PARALLEL_POOL_SIZE = 15;

/**
 * GitLab CI: `parallel: N` takes "A numeric value from `1` to `200`" (https://docs.gitlab.com/ci/yaml/#parallel;
 * 2 to 200 before GitLab allowed one job, 2 to 50 before that, as the pinned SchemaStore schema still says).
 * The evidence job writes no `parallel` for a single shard, which every version accepts.
 */
export const GITLAB_PARALLEL_MAX_JOBS = 200;

/**
 * The most evidence shards `--evidence-shards` takes: the smaller of GitHub's 256 matrix jobs per workflow
 * run (GITHUB_MATRIX_MAX_JOBS) and GitLab's 200 parallel jobs (GITLAB_PARALLEL_MAX_JOBS), so one value fits
 * both CI systems. At 1,000 accounts × 17 Regions, 200 shards are 85 account-Regions each: more runners
 * would mostly repeat the per-shard start-up (install, credentials, organization-level reads).
 */
export const EVIDENCE_SHARDS_MAX = Math.min(GITHUB_MATRIX_MAX_JOBS, GITLAB_PARALLEL_MAX_JOBS);
