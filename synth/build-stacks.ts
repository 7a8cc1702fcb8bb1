/**
 * Builds and synthesizes stacks into a staging folder, one cdktf App per stack so that each stack's
 * constructs can be freed once it is written, and compares what was written with the output folder.
 * Runs in synth workers, and in-process for the few stacks a vend needs.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type StackManifest } from 'cdktf';
import { MANAGEMENT_STACK, stackMembers } from '../config/naming';
import { STACK_CONTROLS_FILE, stackControls } from '../modules/control-model/record';
import type { BaselineConfig } from '../config/schema';
import { ManagementStack } from '../stacks/management-stack';
import { MemberStack } from '../stacks/member-stack';
import { skipCrossStackPass } from './cross-stack-pass';
import { trackedConfig } from './stack-inputs';

/** How a stack's synthesized files compare with the output folder's. */
export type StackStatus = 'added' | 'changed' | 'unchanged';

export interface BuiltStack {
  readonly name: string;
  readonly status: StackStatus;
  /** Whether building it read the config's `members` (see `stack-inputs.ts`). */
  readonly readsMembers: boolean;
  /** Its entry of cdktf's manifest.json. */
  readonly manifest: StackManifest;
  /** The files written for it, relative to its folder (`cdk.tf.json`, `controls.json`). */
  readonly files: readonly string[];
  /** Those that differ from the output folder's copy (staged for replacement); the others were dropped from staging. */
  readonly changedFiles: readonly string[];
}

/** `stacks/<name>` under `root`: where cdktf writes a stack. */
export function stackFolder(root: string, name: string): string {
  return join(root, 'stacks', name);
}

function readOrNull(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Builds the stacks named, in a fresh App each, into `stagingDir`, then compares each file with its
 * copy in `outdir`: unchanged files are removed from staging, changed ones stay there for the caller
 * to move into place.
 * The construction mirrors `buildApp` (stacks/app.ts), which tests compare it with byte for byte.
 */
export function buildStacks(config: BaselineConfig, names: readonly string[], stagingDir: string, outdir: string): BuiltStack[] {
  // Removed accounts' stacks too, from their saved entries: the pipeline destroys them from these files.
  const members = stackMembers(config);
  return names.map((name) => {
    let readsMembers = false;
    const view = trackedConfig(config, () => {
      readsMembers = true;
    });
    const app = new App({ outdir: stagingDir, skipValidation: false });
    let stack: ManagementStack | MemberStack;
    if (name === MANAGEMENT_STACK) {
      stack = new ManagementStack(app, view);
    } else {
      const member = members.get(name);
      if (!member) throw new Error(`${name}: not a stack of this config`);
      stack = new MemberStack(app, view, member);
    }
    skipCrossStackPass(stack);
    app.synth();
    const manifest = app.manifest.stacks[name];

    const staged = stackFolder(stagingDir, name);
    // Where the stack's controls are deployed, for the control matrix (controls/write-matrix.ts).
    writeFileSync(join(staged, STACK_CONTROLS_FILE), `${JSON.stringify(stackControls(stack), null, 1)}\n`);
    const files = readdirSync(staged).sort();
    const changedFiles: string[] = [];
    let existing = 0;
    for (const file of files) {
      const before = readOrNull(join(stackFolder(outdir, name), file));
      if (before !== null) existing++;
      if (before !== null && before.equals(readFileSync(join(staged, file)))) {
        rmSync(join(staged, file));
      } else {
        changedFiles.push(file);
      }
    }
    const status: StackStatus = existing === 0 ? 'added' : changedFiles.length > 0 ? 'changed' : 'unchanged';
    return { name, status, readsMembers, manifest, files, changedFiles };
  });
}
