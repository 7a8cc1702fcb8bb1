/**
 * Entry point of `cdktf synth` / `make synth`: reads the org config (BASELINE_CONFIG, default
 * baseline.config.yaml), selects stacks (BASELINE_STACKS, default all, the removed accounts' stacks
 * awaiting destroy included) and synthesizes them with worker processes (synth/parallel-synth.ts),
 * rewriting only the files whose bytes changed and listing the stacks that changed in
 * cdktf.out/changed-stacks.json and those awaiting destroy in cdktf.out/removed-stacks.json.
 * Any config or selection problem, an output folder of another organization, or a stack that fails
 * to build, is printed once and nothing in cdktf.out is changed. No stack folder is ever deleted: one
 * that no stack of the config claims is kept, with a warning.
 */
import { join, relative } from 'node:path';
import { ConfigError, configPath, loadConfig } from './config/load';
import { memberStackName, synthStackNames } from './config/naming';
import { configWarnings } from './config/warnings';
import { StackSelectionError, selectStacks } from './stacks/selection';
import { REMOVED_STACKS_FILE } from './synth/output-tree';
import { OutdirOwnerError } from './synth/outdir-owner';
import { synthesize, SynthError, SynthOptionError } from './synth/parallel-synth';

function list(names: readonly string[], max = 6): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max - 1).join(', ')}, … (${names.length})`;
}

/** What to do about a stack folder that no stack of the config claims (kept: its resources may still exist). */
function orphanWarning(outdir: string, folder: string): string {
  const path = join(outdir, 'stacks', folder);
  const id = /^member-(\d{12})$/.exec(folder)?.[1];
  const account = id
    ? `if account ${id} left the baseline, move its entry to removedMembers (with removedOn: YYYY-MM-DD and reason: why it left; or run baseline remove) so that the pipeline destroys ${memberStackName(id)}; `
    : '';
  return `${path} is kept though no stack of the config is named ${folder} (it is in neither members nor removedMembers): ${account}delete the folder once its resources are destroyed`;
}

async function main(): Promise<number> {
  try {
    const configFile = configPath();
    const config = loadConfig(configFile);
    for (const warning of configWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
    const spec = process.env.BASELINE_STACKS;
    const selected = spec === undefined || spec.trim() === '' ? undefined : selectStacks(synthStackNames(config), spec);
    const report = await synthesize(config, { stacks: selected, configFile });
    const { stacks } = report;
    const outdir = relative(process.cwd(), report.outdir) || '.';
    for (const folder of report.orphaned) process.stderr.write(`warning: ${orphanWarning(outdir, folder)}\n`);
    const named = stacks.length === 0 ? '' : `: ${stacks.length <= 6 ? stacks.join(', ') : `${stacks.slice(0, 5).join(', ')}, …`}`;
    const forDestroy = report.removedSynthesized.length > 0 ? `; for their destroy: ${list(report.removedSynthesized)}` : '';
    process.stdout.write(`synthesized ${stacks.length} stack(s)${named}${forDestroy}\n`);
    const changes = [
      report.added.length > 0 ? `added ${list(report.added)}` : '',
      report.changed.length > 0 ? `changed ${list(report.changed)}` : '',
      report.removed.length > 0 ? `awaiting destroy ${list(report.removed)} (${join(outdir, REMOVED_STACKS_FILE)})` : '',
      `${report.unchanged} unchanged`,
    ].filter((s) => s !== '');
    const total = stacks.length + report.removedSynthesized.length;
    process.stdout.write(`${changes.join('; ')} (built ${report.built} of ${total}, the others reused; see ${outdir}/changed-stacks.json)\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StackSelectionError || e instanceof SynthOptionError || e instanceof OutdirOwnerError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    if (e instanceof SynthError) {
      process.stderr.write(`error: synth failed, nothing was written: ${e.message}\n${e.detail}\n`);
      return 1;
    }
    throw e;
  }
}

main().then((code) => {
  process.exitCode = code;
});
