/**
 * What a stack's synthesized output depends on, hashed, so that an unchanged stack is not built
 * again: the code that builds it, the environment cdktf reads, the config without its member lists
 * (`members`, `removedMembers`), the stack's own member entry (a removed account's as saved), and the
 * member lists only for a stack that read them. So `baseline remove`, which moves an entry from one
 * list to the other, rebuilds only the stacks that read the lists.
 *
 * Whether a stack reads the member list is observed, not declared: stacks are built from a view of
 * the config whose `members` records the read (`trackedConfig`). With the same code, the same config
 * outside `members` and the same own entry, a stack's construction takes the same path up to its
 * first read of `members`, so a stack that did not read it last time does not read it now.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANAGEMENT_STACK, stackMembers } from '../config/naming';
import type { BaselineConfig, MemberAccount } from '../config/schema';

/** The environment variables that change what cdktf writes. */
const OUTPUT_ENV = ['CDKTF_CONTEXT_JSON', 'SYNTH_HCL_OUTPUT'] as const;

/** The folders (beside `main`) whose files build stacks. */
const CODE_FOLDERS = ['config', 'stacks', 'modules', 'synth'] as const;

function sha256(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** The folder holding `main.ts` or its compiled `main.js` (the repository, or `dist/`). */
export const CODE_ROOT = join(__dirname, '..');

function lockfile(): string {
  // dist/ sits inside the repository: look up from the code root.
  for (let dir = CODE_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package-lock.json');
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    if (dirname(dir) === dir) return '';
  }
}

/**
 * A hash of the code that builds stacks (the running `main` and its folders, the dependency lockfile),
 * the Node.js version and cdktf's environment. Not the working directory nor the output folder: no
 * synthesized file holds a path of the machine (local state paths are relative to the stack's folder,
 * __tests__/stacks/state-and-provider.test.ts), so the same inputs build the same files anywhere.
 */
export function codeFingerprint(env: NodeJS.ProcessEnv = process.env): string {
  const files = [
    ...['main.ts', 'main.js'].map((f) => join(CODE_ROOT, f)).filter((f) => existsSync(f)),
    ...CODE_FOLDERS.flatMap((folder) => filesUnder(join(CODE_ROOT, folder))),
  ];
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.slice(CODE_ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  return sha256(hash.digest('hex'), sha256(lockfile()), process.version, ...OUTPUT_ENV.map((name) => `${name}=${env[name] ?? ''}`));
}

/** Hashes of the parts of one config that stacks' inputs are made of, computed once per synth. */
export interface ConfigDigest {
  readonly code: string;
  /** The config without `members`, `removedMembers` and `destroyedMembers`. */
  readonly shared: string;
  /** `members`, `removedMembers` and `destroyedMembers`, the whole lists. */
  readonly roster: string;
  /** The entry each member stack is built from, removed accounts' included (`stackMembers`). */
  readonly members: ReadonlyMap<string, MemberAccount>;
}

export function configDigest(config: BaselineConfig, code: string): ConfigDigest {
  // A removal, or the record of a destroy, moves an entry between these lists: it must not change the
  // inputs of every stack, only of those that read the lists.
  const { members, removedMembers, destroyedMembers, ...shared } = config;
  return {
    code,
    shared: sha256(JSON.stringify(shared)),
    roster: sha256(JSON.stringify({ members, removedMembers, destroyedMembers })),
    members: stackMembers(config),
  };
}

/** The hash of everything a stack's output depends on; `readsMembers` as observed at its last build. */
export function stackInputsHash(digest: ConfigDigest, stackName: string, readsMembers: boolean): string {
  const member = digest.members.get(stackName);
  if (!member && stackName !== MANAGEMENT_STACK) throw new Error(`${stackName}: not a stack of this config`);
  return sha256(digest.code, digest.shared, member ? JSON.stringify(member) : '', readsMembers ? digest.roster : '-');
}

/**
 * The config as stacks see it, with every read of `members`, `removedMembers` or `destroyedMembers` reported to
 * `onMembersRead`. The view is shallow: every other field is the config's own object.
 */
export function trackedConfig(config: BaselineConfig, onMembersRead: () => void): BaselineConfig {
  const { members, removedMembers, destroyedMembers, ...shared } = config;
  const view = { ...shared } as BaselineConfig;
  for (const [key, value] of [
    ['members', members],
    ['removedMembers', removedMembers],
    ['destroyedMembers', destroyedMembers],
  ] as const) {
    Object.defineProperty(view, key, {
      enumerable: true,
      get: () => {
        onMembersRead();
        return value;
      },
    });
  }
  return view;
}
