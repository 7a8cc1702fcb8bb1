/**
 * `baseline evidence` and `baseline evidence-merge` run in-process as the CLI runs them, against moto's
 * healthy organization (healthy-org.ts), with the org's fixed clock and no git repository: for the
 * tests of resumed, sharded and doctored collections.
 */
import type { CliIo, CliValues } from '../../bin/cli-command';
import { createEvidenceCommand, createEvidenceMergeCommand } from '../../evidence/cli';
import type { CollectOptions } from '../../evidence/collect';
import type { HealthyOrg } from './healthy-org';
import { RUNNER_CREDENTIALS } from './moto';
import { clientSettings, ROLE_NAME } from './org-fixture';

/** The git of a config outside any repository: the binder says its history is not available. */
export const noGit = async (): Promise<string> => {
  throw new Error('fatal: not a git repository');
};

export interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The options every run of these tests is given (and so every merge, which must be given the shards' options). */
function shardOptions(org: HealthyOrg, configFile: string): CliValues {
  return { config: configFile, 'endpoint-url': org.moto.endpoint, 'role-name': ROLE_NAME, 'validate-logs-since': '2h', 'investigation-sample': org.investigationSample };
}

function capture(): { io: CliIo; ran: (code: number) => Ran } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stderrIsTTY: false }, ran: (code) => ({ code, out: out.join(''), err: err.join('') }) };
}

/** `baseline evidence --config <configFile>` against the org, with `values` over the tests' defaults. */
export async function runEvidence(org: HealthyOrg, configFile: string, values: CliValues, extra: Partial<CollectOptions> = {}, now = () => org.clock): Promise<Ran> {
  const { io, ran } = capture();
  const command = createEvidenceCommand({ now, git: noGit, collectOptions: { credentials: RUNNER_CREDENTIALS, clientSettings: clientSettings(org.moto.endpoint), ...extra } });
  const code = await command.run({ ...shardOptions(org, configFile), concurrency: '4', ...values }, [], io);
  return ran(code);
}

/** `baseline evidence-merge --out <out> <shards>` with the options runEvidence gives, `values` over them. */
export async function runMerge(org: HealthyOrg, configFile: string, out: string, shards: readonly string[], values: CliValues = {}): Promise<Ran> {
  const { io, ran } = capture();
  const command = createEvidenceMergeCommand({ git: noGit, now: () => org.clock });
  return ran(await command.run({ ...shardOptions(org, configFile), out, ...values }, [...shards], io));
}
