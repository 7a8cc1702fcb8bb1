/** What every generator of `baseline pipeline` is given, besides the stacks. */

export const PIPELINE_FORMATS = ['github-actions', 'gitlab', 'atlantis'] as const;
export type PipelineFormat = (typeof PIPELINE_FORMATS)[number];

/** Terraform >= 1.10: S3-native state locking (`use_lockfile`), which the stacks' S3 backend sets. */
export const DEFAULT_TERRAFORM_VERSION = '1.10.5';

/**
 * The Node.js major version every generated job runs (GitHub `actions/setup-node` `node-version`, GitLab's
 * `node:<major>-bookworm` image, the Atlantis server): the supported LTS line the project is developed
 * and tested on, `.nvmrc` (__tests__/pipeline checks they agree). Node.js 20 reached end of life on
 * 2026-04-30 (https://nodejs.org/en/about/previous-releases).
 */
export const NODE_MAJOR_VERSION = 26;

/** How many member stacks run at once when `--max-parallel` is left out. */
export const DEFAULT_MAX_PARALLEL = 20;

/**
 * When the GitHub Actions workflow collects evidence when `--evidence-schedule` is left out: daily at 04:17
 * UTC (cron is UTC; GitHub delays scheduled runs under load, most at the start of an hour: "Events that
 * trigger workflows", schedule, https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule).
 */
export const DEFAULT_EVIDENCE_SCHEDULE = '17 4 * * *';

/** The evidence jobs (`--evidence-shards`): collection over shards on parallel runners, then one merge. */
export interface EvidenceJobOptions {
  /** How many shards (runners) collect at once, 1 to EVIDENCE_SHARDS_MAX (pipeline/limits.ts). */
  readonly shards: number;
  /** GitHub Actions: the cron schedule of the evidence runs. @default DEFAULT_EVIDENCE_SCHEDULE */
  readonly schedule: string;
}

/** How long plan and apply wait for another run's state lock (terraform -lock-timeout). */
export const LOCK_TIMEOUT = '10m';

export interface PipelineOptions {
  readonly format: PipelineFormat;
  /** At most this many member stacks run at once. @default DEFAULT_MAX_PARALLEL */
  readonly maxParallel: number;
  /** The synth's output folder, relative to the repository root. @default "cdktf.out" */
  readonly outdir: string;
  /** The branch whose pushes apply; other runs (pull and merge requests) only plan and review. @default "main" */
  readonly branch: string;
  /** The Terraform version the jobs install. @default DEFAULT_TERRAFORM_VERSION */
  readonly terraformVersion: string;
  /** Reviewed exceptions the jobs pass to `baseline review --allow-file`. @default - none */
  readonly allowFile?: string;
  /**
   * The org config the pipeline was generated from, relative to the repository root: every job
   * synthesizes it (BASELINE_CONFIG in the jobs' environment), so a job never synthesizes another org.
   */
  readonly config: string;
  /**
   * `deployment.planRoleName` of the config: the role every provider assumes in runs that only plan
   * (`TF_VAR_deployment_role_name`, pipeline/script.ts). `baseline pipeline` refuses a config without it.
   */
  readonly planRoleName: string;
  /**
   * The config keeps state locally (`state.backend: local`): a CI runner would start from an empty state
   * and lose what it applied, so every job only plans and reviews (no apply, no destroy). @default false
   */
  readonly planOnly?: boolean;
  /**
   * The evidence jobs: scheduled runs of the apply branch (and, on GitHub, manual runs with the `evidence`
   * input) collect the evidence over shards and merge it into one binder, and run no stack job.
   * GitHub Actions and GitLab CI only. @default - no evidence job
   */
  readonly evidence?: EvidenceJobOptions;
  /** The command line that regenerates the file, quoted in its header. */
  readonly command: string;
  /**
   * The command a CI job runs to check that the committed file is current (the same command with
   * `--check`). @default - no check (stdout output, or --changed-only, whose output depends on the last synth)
   */
  readonly checkCommand?: string;
}

/** A generator's result: the configuration, and what its header comment says besides the usual. */
export interface GeneratedCi {
  /** The configuration, as an object the caller writes as YAML. */
  readonly document: Record<string, unknown>;
  /** Lines for the file's header comment. */
  readonly notes: readonly string[];
}
