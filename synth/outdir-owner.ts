/**
 * An output folder belongs to one organization: it holds stacks whose state may still hold
 * resources (a removed account's stack awaiting destroy, an orphaned folder), so a synth of another
 * organization's config into it would mix two organizations' stacks in one folder and one pipeline.
 * The first synth records the organization (`organization.json`); a synth of another organization's
 * config into the folder is refused before anything is written. Another config file of the same
 * organization (a copy, a branch) is fine.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { BaselineConfig } from '../config/schema';
import { writeIfChanged } from './output-tree';

export const OWNER_FILE = 'organization.json';

/** `organization.json`. */
export interface OutdirOwner {
  readonly version: 1;
  /** `organization.id` of the config the folder was synthesized from. */
  readonly organizationId: string;
  /** `organization.managementAccountId` of that config. */
  readonly managementAccountId: string;
  /** The config file of the last synth, relative to the output folder (no machine's absolute path). */
  readonly config: string | null;
}

/** The output folder holds another organization's stacks: nothing was written. */
export class OutdirOwnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutdirOwnerError';
  }
}

function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}

/** The organization recorded in `outdir`, or null when none is (a new folder, or one written before the record). */
export function readOutdirOwner(outdir: string): OutdirOwner | null {
  const file = join(outdir, OWNER_FILE);
  if (!existsSync(file)) return null;
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as OutdirOwner;
    if (typeof owner.organizationId === 'string' && typeof owner.managementAccountId === 'string') return owner;
  } catch {
    // Told below.
  }
  throw new OutdirOwnerError(
    `${shown(file)}: cannot read which organization ${shown(outdir)} belongs to; delete the file if ${shown(outdir)} holds the stacks of this config's organization, else choose another output folder (CDKTF_OUTDIR, or --outdir)`,
  );
}

/** Throws `OutdirOwnerError` when `outdir` holds the stacks of an organization other than `config`'s. */
export function checkOutdirOwner(config: BaselineConfig, outdir: string, configFile?: string): void {
  const dir = resolve(outdir);
  const owner = readOutdirOwner(dir);
  const org = config.organization;
  if (!owner || (owner.organizationId === org.id && owner.managementAccountId === org.managementAccountId)) return;
  const theirs = owner.config === null ? '' : `, config ${shown(resolve(dir, owner.config))}`;
  const ours = configFile === undefined ? '' : ` (config ${shown(configFile)})`;
  throw new OutdirOwnerError(
    `${shown(dir)} holds the stacks of organization ${owner.organizationId} (management account ${owner.managementAccountId}${theirs}), ` +
      `not of ${org.id} (management account ${org.managementAccountId})${ours}; nothing was written. ` +
      `Choose another output folder (CDKTF_OUTDIR for make synth, --outdir for baseline commands), ` +
      `or delete ${shown(dir)} once nothing in it needs destroying (its removed-stacks.json and changed-stacks.json "orphaned" list those that may)`,
  );
}

/**
 * Records `config`'s organization as the owner of `outdir` (call `checkOutdirOwner` first), with the
 * config file when known (else the one recorded stays).
 */
export function recordOutdirOwner(config: BaselineConfig, outdir: string, configFile?: string): void {
  const dir = resolve(outdir);
  mkdirSync(dir, { recursive: true });
  const before = configFile === undefined ? readOutdirOwner(dir) : null;
  const owner: OutdirOwner = {
    version: 1,
    organizationId: config.organization.id,
    managementAccountId: config.organization.managementAccountId,
    config: configFile === undefined ? (before?.config ?? null) : relative(dir, resolve(configFile)),
  };
  writeIfChanged(join(dir, OWNER_FILE), `${JSON.stringify(owner, null, 2)}\n`);
}
