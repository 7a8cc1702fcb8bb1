/**
 * A collection folder checked against what the config and the command's options give, not against what
 * the folder says of itself (evidence/collection.ts): `baseline evidence-merge` checks every shard folder
 * with it, and `baseline evidence` the collection it resumed or finished. The units themselves are
 * checked against the plan as the binder reads them (evidence/assemble.ts, assembleBinder's `plan`).
 */
import { join } from 'node:path';
import { CONFIG_COPY, CollectionError, HISTORY_FILE, inputDifferences, readCollectionFiles, SAMPLE_COPY, sha256, type CollectionInputs, type CollectionManifest } from './collection';
import type { ConfigHistory, EvidenceRun } from './types';

/** A run's inputs, plan and run header, as the config and the command's options give them. */
export interface Replanned {
  /** The inputs the folders must have been collected for. */
  readonly inputs: CollectionInputs;
  /** Every task key of the run (or of the shard), with the shard (1-based) it belongs to. */
  readonly shardOf: ReadonlyMap<string, number>;
  /** The run header the config and options give, with the times and identities left to the folders. */
  readonly header: EvidenceRun;
}

/** What `baseline evidence-merge` checks the shard folders against: the config and options it was given, and what they give. */
export interface ShardCheck {
  /** The config file, as the command names it. */
  readonly configFile: string;
  /** The config's text. @default - not checked (a config given as an object: its digest is in the inputs) */
  readonly configText?: string;
  /** The inputs, plan and run header the config and the merge's options give (run-collection.ts, replan). */
  readonly replanned: Replanned;
  /** The config's change history as the merge reads it (git log). @default - not checked: each folder's copy stands */
  readonly history?: ConfigHistory;
}

/** Refuses a config other than the one the shards were collected for (their inputs' SHA-256 of its text). */
export function checkConfigDigest(manifests: readonly CollectionManifest[], configFile: string, configText: string): void {
  const given = sha256(configText);
  const collected = manifests[0].inputs.configSha256;
  if (given !== collected) {
    throw new CollectionError(`--config: ${configFile} (SHA-256 ${given}) is not the config the shards were collected for (SHA-256 ${collected}): give that config, or collect the shards again`);
  }
}

/** Run header fields that name where or when a shard ran, not what it judged: they may differ between shards. */
const PER_SHARD_RUN_FIELDS: readonly (keyof EvidenceRun)[] = ['startedAt', 'finishedAt', 'collectedBy', 'configFile', 'investigationSample'];

/**
 * A shard folder is a runner's workspace between two jobs: what it says of the config is checked
 * against the config and options the merge is given, not taken from it. Refuses (CollectionError,
 * naming the folder and the file) a config other than the one the shards were collected for (its
 * SHA-256), inputs (accounts, Regions, period, windows...) other than the merge's options give, a
 * folder's copy of the config, of its history or of the investigation sample that is not the one
 * judged, and a run header (the exceptions the binder lists, the triage, the log validation window...)
 * other than the one the config gives. The units themselves are checked against the plan as they are
 * read (assembleBinder's `plan`).
 */
export function checkShardsAgainstConfig(dirs: readonly string[], manifests: readonly CollectionManifest[], check: ShardCheck): void {
  const { inputs } = manifests[0];
  if (check.configText !== undefined) checkConfigDigest(manifests, check.configFile, check.configText);
  // The scope (accounts, Regions, period, windows, caps...) is the merge's options', not the folders' own
  // say: a scope narrowed in every manifest alike (an account left out, log validation "skipped") is refused.
  const scope = inputDifferences(inputs, check.replanned.inputs);
  if (scope.length) {
    throw new CollectionError(`${dirs[0]} was collected for other inputs than the options give (${scope.join('; ')}): give the options it was collected with`);
  }
  const expected = check.replanned.header;
  const judged = (run: EvidenceRun) => Object.fromEntries(Object.entries(run).filter(([k]) => !PER_SHARD_RUN_FIELDS.includes(k as keyof EvidenceRun)));
  const want = judged(expected);
  dirs.forEach((dir, i) => {
    const files = readCollectionFiles(dir);
    if (check.configText !== undefined && files.configText !== undefined && files.configText !== check.configText) {
      throw new CollectionError(`${join(dir, CONFIG_COPY)} is not the config the shards were collected for (SHA-256 ${sha256(files.configText)}, collected for ${inputs.configSha256}): the folder was edited; collect the shard again`);
    }
    // The history's `file` is the config's absolute path, which differs between runners (GitLab's
    // builds folder names the runner); what was committed, when and by whom must not.
    if (check.history && files.history !== undefined && JSON.stringify({ ...files.history, file: '' }) !== JSON.stringify({ ...check.history, file: '' })) {
      throw new CollectionError(
        `${join(dir, HISTORY_FILE)} is not the change history of ${check.configFile} as git gives it now: the folder was edited, or the config's history changed since it was collected; run from the commit it was collected at, or collect it again`,
      );
    }
    if (inputs.investigationSampleSha256 !== undefined && (files.sample === undefined || sha256(files.sample) !== inputs.investigationSampleSha256)) {
      throw new CollectionError(`${join(dir, SAMPLE_COPY)} is ${files.sample === undefined ? 'missing' : `not the sample judged (SHA-256 ${sha256(files.sample)}, judged ${inputs.investigationSampleSha256})`}: the folder was edited; collect the shard again`);
    }
    const have = judged(manifests[i].run);
    const differing = [...new Set([...Object.keys(want), ...Object.keys(have)])].sort().filter((k) => JSON.stringify(want[k]) !== JSON.stringify(have[k]));
    if (differing.length) {
      throw new CollectionError(`${dir}: the run header of manifest.json differs from what ${check.configFile} gives (${differing.join(', ')}): the folder was edited; collect the shard again`);
    }
  });
}

