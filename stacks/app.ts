/**
 * Builds the CDKTF app for an org config: the `management` stack, one `member-<id>` stack per
 * account, and one per removed account awaiting destroy (from its saved entry), or only the selected
 * ones. (The synth, synth/build-stacks.ts, builds them the same way, and leaves the removed ones out of
 * manifest.json.)
 */
import { App } from 'cdktf';
import { MANAGEMENT_STACK, stackMembers, synthStackNames } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { ManagementStack } from './management-stack';
import { MemberStack } from './member-stack';
import { selectStacks } from './selection';

export interface BuildAppOptions {
  /**
   * Stack names or globs, comma-separated (the `BASELINE_STACKS` syntax).
   * @default - every stack
   */
  readonly stacks?: string;
  /**
   * Where `app.synth()` writes.
   * @default - cdktf's own default (`cdktf.out`, or the CLI's `CDKTF_OUTDIR`)
   */
  readonly outdir?: string;
}

export interface BaselineApp {
  readonly app: App;
  /** The names of the stacks constructed, in synth order. */
  readonly stackNames: readonly string[];
}

export function buildApp(config: BaselineConfig, options: BuildAppOptions = {}): BaselineApp {
  // Selection is resolved before anything is constructed, so a bad selection writes nothing.
  const stackNames = selectStacks(synthStackNames(config), options.stacks);
  const wanted = new Set(stackNames);
  const app = new App({ outdir: options.outdir, skipValidation: false });
  if (wanted.has(MANAGEMENT_STACK)) new ManagementStack(app, config);
  for (const [name, member] of stackMembers(config)) {
    if (wanted.has(name)) new MemberStack(app, config, member);
  }
  return { app, stackNames };
}
