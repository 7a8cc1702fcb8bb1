/**
 * The changelog of the log policy: the git history of the org config file (who changed it, when, how
 * many lines, and the changes themselves), which auditors ask for beside the configuration evidence.
 * Git is run read-only (`git log`); a file outside a repository, or a machine without git, gives a
 * history that says so, and the binder prints that.
 */
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import type { ConfigCommit, ConfigHistory } from './types';

/** Runs git with arguments in a directory; resolves with stdout, rejects with stderr. */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<string>;

export const runGit: GitRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C' } }, (error, stdout, stderr) => {
      if (error) reject(new Error((stderr || error.message).trim()));
      else resolve(stdout);
    });
  });

// Unit and record separators keep subjects with any characters apart.
const US = '\x1f';
const RS = '\x1e';
export const LOG_FORMAT = `--format=${RS}%H${US}%an${US}%ae${US}%aI${US}%s`;

/** Parses `git log --follow --numstat` output in LOG_FORMAT. */
export function parseLog(out: string): ConfigCommit[] {
  return out
    .split(RS)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [header, ...rest] = chunk.split('\n');
      const [hash, author, authorEmail, date, subject] = header.split(US);
      let added = 0;
      let removed = 0;
      for (const line of rest) {
        const m = /^(\d+|-)\t(\d+|-)\t/.exec(line);
        if (m) {
          added += m[1] === '-' ? 0 : Number(m[1]);
          removed += m[2] === '-' ? 0 : Number(m[2]);
        }
      }
      return { hash, author, authorEmail, date, subject: subject ?? '', added, removed };
    });
}

export async function readConfigHistory(file: string, git: GitRunner = runGit): Promise<ConfigHistory> {
  const cwd = dirname(file);
  const name = basename(file);
  try {
    await git(['rev-parse', '--is-inside-work-tree'], cwd);
  } catch (e) {
    return { available: false, file, reason: `not in a git repository (${(e as Error).message.split('\n')[0]}): no change history of the config file is available` };
  }
  try {
    const log = await git(['log', '--follow', '--numstat', LOG_FORMAT, '--', name], cwd);
    const patch = await git(['log', '--follow', '-p', '--format=commit %H%nAuthor: %an <%ae>%nDate:   %aI%n%n    %s%n', '--', name], cwd);
    const commits = parseLog(log);
    if (commits.length === 0) return { available: false, file, reason: 'the config file has no commits (it is not tracked, or not committed yet)' };
    return { available: true, file, commits, patch };
  } catch (e) {
    return { available: false, file, reason: `git log failed: ${(e as Error).message.split('\n')[0]}` };
  }
}
