/**
 * Valid configs that a reviewer should still hear about: printed at synth, never silently accepted.
 */
import type { BaselineConfig } from './schema';

export function configWarnings(config: BaselineConfig): string[] {
  const warnings: string[] = [];
  if (config.alerts.subscriptions.length === 0) {
    warnings.push(
      'alerts.subscriptions is empty: every CIS alarm and high-severity finding reaches the central alert topic, which nobody is subscribed to',
    );
  }
  if (config.logArchive.readerRoleArns.length === 0) {
    warnings.push('logArchive.readerRoleArns is empty: nobody but AWS services can read the central logs (auditors will ask someone to)');
  }
  const governed = new Set(config.members.map((m) => m.id));
  for (const arn of config.logArchive.readerRoleArns) {
    const accountId = arn.split(':')[4];
    if (!governed.has(accountId)) {
      warnings.push(`logArchive.readerRoleArns: ${arn} is in account ${accountId}, which members does not list: nothing checks before apply that the role exists (S3 and KMS refuse a policy naming a missing role)`);
    }
  }
  return warnings;
}
