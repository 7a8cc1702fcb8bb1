/**
 * The evidence jobs of `baseline pipeline --evidence-shards N` (issue 24): `baseline evidence --shard I/N`
 * on N runners at once, every shard judging the same audit period (`--to`, fixed once per pipeline),
 * then `baseline evidence-merge`, which builds the one binder (one SHA256SUMS, one verdict) and refuses a
 * missing, duplicate or mismatched shard. The shell here is shared by the GitHub Actions and GitLab CI
 * generators; each puts its own matrix, artifacts and credentials around it.
 *
 * Exit codes (bin/baseline evidence and evidence-merge): 0 every control passed, 1 a control failed, 3
 * evidence not collected, 2 usage. A shard's verdict is not the run's: a shard that exits 0, 1 or 3 wrote
 * its part and the job succeeds, so the merge still runs; any other code (a usage error, a crash, a
 * signal) fails the shard job, and the merge, which needs every shard job, does not run. The merge's exit
 * code is the pipeline's.
 */

/** What a shard's folder and its artifact are called: `evidence-shard-<i>`, under EVIDENCE_SHARDS_DIR. */
export const EVIDENCE_SHARD_PREFIX = 'evidence-shard-';

/** The folder the shards are written to and, in the merge job, downloaded to. */
export const EVIDENCE_SHARDS_DIR = 'evidence-shards';

/** The binder the merge writes, and the name of its artifact. */
export const EVIDENCE_BINDER_DIR = 'evidence-binder';

/** How long the shard folders are kept (the binder they merge into keeps the CI system's default). */
export const EVIDENCE_SHARD_RETENTION_DAYS = 7;

/** The shard exit codes that are a verdict (0 passed, 1 a control failed, 3 not collected): the merge decides. */
export const SHARD_VERDICT_CODES = [0, 1, 3] as const;

/** The folder of shard `index` (a number, or a shell or CI expression that gives one). */
export function shardFolder(index: number | string): string {
  return `${EVIDENCE_SHARDS_DIR}/${EVIDENCE_SHARD_PREFIX}${index}`;
}

export interface ShardScriptOptions {
  /** The shard index as the script writes it: `${{ matrix.shard }}` or `${CI_NODE_INDEX:-1}`. */
  readonly index: string;
  /** The number of shards. */
  readonly total: number;
  /** The end of the audit period as the script writes it, quoted for sh where it needs to be. */
  readonly to: string;
}

/**
 * Collects one shard into its folder. Exit 0, 1 or 3 is a verdict: said, and the step succeeds; any other
 * exit code, or a verdict without a shard folder (Node.js also exits 1 on an uncaught exception), fails it.
 */
export function evidenceShardScript(o: ShardScriptOptions): string {
  const folder = shardFolder(o.index);
  return [
    `mkdir -p ${EVIDENCE_SHARDS_DIR}`,
    'rc=0',
    `bin/baseline evidence --out "${folder}" --shard ${o.index}/${o.total} --to ${o.to} || rc=$?`,
    'case "$rc" in',
    `  ${SHARD_VERDICT_CODES.join('|')}) ;;`,
    `  *) echo "evidence shard ${o.index}/${o.total}: exit $rc, not a verdict (2 usage error; other codes a crash): the merge will not run" >&2; exit "$rc" ;;`,
    'esac',
    `if [ -z "$(ls -A "${folder}" 2>/dev/null)" ]; then echo "evidence shard ${o.index}/${o.total}: exit $rc but ${folder} is missing or empty: failing the shard" >&2; exit 1; fi`,
    `echo "evidence shard ${o.index}/${o.total}: exit $rc (0 every control passed, 1 a control failed, 3 evidence not collected); the merge's verdict is the run's"`,
    '',
  ].join('\n');
}

/** Every shard folder the merge reads, 1 to `total`, in order: a missing one is named by the merge. */
export function shardFolders(total: number): string[] {
  return Array.from({ length: total }, (_, i) => shardFolder(i + 1));
}

/**
 * Merges the shard folders into the binder; the step (and the job) fails with the merge's exit code.
 * The merge is given the shards' options (their `--to`; the config is BASELINE_CONFIG in both jobs): it
 * holds the shards to what those give, not to what the folders say of themselves.
 */
export function evidenceMergeScript(total: number, to: string): string {
  return `bin/baseline evidence-merge --out ${EVIDENCE_BINDER_DIR} --to ${to} ${shardFolders(total).join(' ')}\n`;
}
