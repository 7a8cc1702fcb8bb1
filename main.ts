/**
 * Entry point of `cdktf synth` / `make synth`: reads the org config (BASELINE_CONFIG, default
 * baseline.config.yaml), selects stacks (BASELINE_STACKS, default all) and synthesizes them.
 * Any config or selection problem is printed, one line per problem, before anything is written.
 */
import { ConfigError, configPath, loadConfig } from './config/load';
import { configWarnings } from './config/warnings';
import { buildApp } from './stacks/app';
import { StackSelectionError } from './stacks/selection';

function main(): number {
  try {
    const config = loadConfig(configPath());
    for (const warning of configWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
    const { app, stackNames } = buildApp(config, { stacks: process.env.BASELINE_STACKS });
    app.synth();
    process.stdout.write(`synthesized ${stackNames.length} stack(s): ${stackNames.length <= 6 ? stackNames.join(', ') : `${stackNames.slice(0, 5).join(', ')}, …`}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StackSelectionError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main();
