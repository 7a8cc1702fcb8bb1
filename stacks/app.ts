/**
 * Builds the CDKTF app for an org config: the `management` stack and one `member-<id>` stack per
 * account, or only the selected ones.
 */
import { App } from 'cdktf';
import { allStackNames, MANAGEMENT_STACK, memberStackName } from '../config/naming';
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
  const stackNames = selectStacks(allStackNames(config), options.stacks);
  const wanted = new Set(stackNames);
  const app = new App({ outdir: options.outdir, skipValidation: false });
  if (wanted.has(MANAGEMENT_STACK)) new ManagementStack(app, config);
  for (const member of config.members) {
    if (wanted.has(memberStackName(member.id))) new MemberStack(app, config, member);
  }
  return { app, stackNames };
}
