/**
 * Entry point of `cdktf synth` / `make synth`: reads the org config (BASELINE_CONFIG, default
 * baseline.config.yaml), selects stacks (BASELINE_STACKS, default all) and synthesizes them with
 * worker processes (synth/parallel-synth.ts), rewriting only the files whose bytes changed and
 * listing the stacks that changed in cdktf.out/changed-stacks.json.
 * Any config or selection problem, or a stack that fails to build, is printed once and nothing in
 * cdktf.out is changed.
 */
import { relative } from 'node:path';
import { ConfigError, configPath, loadConfig } from './config/load';
import { allStackNames } from './config/naming';
import { configWarnings } from './config/warnings';
import { StackSelectionError, selectStacks } from './stacks/selection';
import { synthesize, SynthError, SynthOptionError } from './synth/parallel-synth';

function list(names: readonly string[], max = 6): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max - 1).join(', ')}, … (${names.length})`;
}

async function main(): Promise<number> {
  try {
    const config = loadConfig(configPath());
    for (const warning of configWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
    const spec = process.env.BASELINE_STACKS;
    const selected = spec === undefined || spec.trim() === '' ? undefined : selectStacks(allStackNames(config), spec);
    const report = await synthesize(config, { stacks: selected });
    const { stacks } = report;
    process.stdout.write(`synthesized ${stacks.length} stack(s): ${stacks.length <= 6 ? stacks.join(', ') : `${stacks.slice(0, 5).join(', ')}, …`}\n`);
    const changes = [
      report.added.length > 0 ? `added ${list(report.added)}` : '',
      report.changed.length > 0 ? `changed ${list(report.changed)}` : '',
      report.removed.length > 0 ? `removed ${list(report.removed)}` : '',
      `${report.unchanged} unchanged`,
    ].filter((s) => s !== '');
    process.stdout.write(`${changes.join('; ')} (built ${report.built} of ${stacks.length}, the others reused; see ${relative(process.cwd(), report.outdir) || '.'}/changed-stacks.json)\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StackSelectionError || e instanceof SynthOptionError) {
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
