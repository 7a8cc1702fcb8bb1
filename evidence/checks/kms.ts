/**
 * The log archive's KMS keys, read through their aliases (`config/naming.ts` kmsAliasName) in the
 * log-archive account: which key each alias names (KMS DescribeKey, which takes an alias name or
 * alias ARN: https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html), so that a bucket
 * or a trail encrypting with any other key fails; and whether the key rotates (GetKeyRotationStatus:
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html).
 */
import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { kmsAliasArn, kmsAliasName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { isNotFound } from '../aws';
import { shared, type Task } from '../context';
import { DOC } from '../sources';

export interface LogArchiveKey {
  /** The alias the baseline names the key by, e.g. `alias/acme/cloudtrail`. */
  readonly alias: string;
  readonly aliasArn: string;
  /** KeyMetadata.Arn; absent when the alias does not exist. */
  readonly keyArn?: string;
  readonly keyId?: string;
  /** KeyMetadata.KeyState (Enabled, Disabled, PendingDeletion...). */
  readonly keyState?: string;
  /** The raw record of the DescribeKey call. */
  readonly raw: readonly string[];
}

/** The key an alias of the log-archive account names, read once per run. */
export function logArchiveKey(task: Task, config: BaselineConfig, purpose: string): Promise<LogArchiveKey> {
  const accountId = config.organization.logArchiveAccountId;
  const region = config.regions.home;
  return shared(task.ctx, `kms-key/${purpose}`, { label: 'log-archive keys', accountId, region }, async (task) => {
    const kms = task.client(KMSClient, region, accountId);
    const aliasArn = kmsAliasArn(config, accountId, purpose);
    const start = task.rawNames.length;
    try {
      const out = await task.call('kms:DescribeKey', { KeyId: aliasArn }, () => kms.send(new DescribeKeyCommand({ KeyId: aliasArn })), { accountId, region, key: purpose });
      const m = out.KeyMetadata;
      return { alias: kmsAliasName(config, purpose), aliasArn, keyArn: m?.Arn, keyId: m?.KeyId, keyState: m?.KeyState, raw: task.rawNames.slice(start) };
    } catch (e) {
      if (isNotFound(e, 'NotFoundException')) return { alias: kmsAliasName(config, purpose), aliasArn, raw: task.rawNames.slice(start) };
      throw e;
    }
  });
}

/**
 * Whether a key reference names the log-archive key; a problem in words when not. Only the key's ARN
 * or the alias's ARN count: a bare key id or alias name resolves in the account of whoever writes
 * (the services deliver from other accounts), so it may name another key there (S3 User Guide,
 * "Specifying server-side encryption with AWS KMS (SSE-KMS)": use the key ARN for cross-account
 * operations; KMS Developer Guide, "Key identifiers (KeyId)").
 */
export function keyProblem(config: BaselineConfig, key: LogArchiveKey, reference: string | undefined, what: string): string | undefined {
  if (!key.keyArn) return `the log-archive key ${key.alias} does not exist (no such alias in ${config.organization.logArchiveAccountId})`;
  if (!reference) return `${what} names no KMS key, not ${key.alias} (${key.keyArn})`;
  const accepted = [key.keyArn, key.aliasArn];
  return accepted.includes(reference) ? undefined : `${what} is ${reference}, not the log-archive key ${key.alias} (${key.keyArn})`;
}

/** kms.key-rotation for one log-archive key: it exists, is Enabled, and rotates automatically. */
export async function judgeKeyRotation(task: Task, config: BaselineConfig, purpose: string): Promise<void> {
  const key = await logArchiveKey(task, config, purpose);
  const sources = [DOC.kms.describeKey, DOC.kms.getKeyRotationStatus];
  const title = `Log-archive key ${key.alias}: enabled, rotating`;
  if (!key.keyArn) {
    task.item({ controlId: 'kms.key-rotation', title, status: 'FAIL', reason: `no key behind ${key.alias}`, resource: key.alias, sources, raw: key.raw });
    return;
  }
  const keyArn = key.keyArn;
  if (key.keyState !== 'Enabled') {
    // A disabled key, or one pending deletion, fails whatever its rotation: it no longer protects the logs.
    task.item({ controlId: 'kms.key-rotation', title, status: 'FAIL', reason: `${key.alias} (${keyArn}): KeyState is ${key.keyState ?? '(unknown)'}, not Enabled`, resource: key.alias, sources, raw: key.raw });
    return;
  }
  const accountId = config.organization.logArchiveAccountId;
  const region = config.regions.home;
  const kms = task.client(KMSClient, region, accountId);
  const start = task.rawNames.length;
  const rotation = await task.call('kms:GetKeyRotationStatus', { KeyId: keyArn }, () => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn })), { accountId, region, key: purpose });
  const problems = rotation.KeyRotationEnabled ? [] : ['KeyRotationEnabled is false: automatic rotation is off'];
  task.item({
    controlId: 'kms.key-rotation',
    title,
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length ? `${key.alias} (${keyArn}): ${problems.join('; ')}` : `${key.alias} (${keyArn}) Enabled, automatic rotation on${rotation.RotationPeriodInDays ? ` every ${rotation.RotationPeriodInDays} days` : ''}`,
    resource: key.alias,
    sources,
    raw: [...key.raw, ...task.rawNames.slice(start)],
  });
}
