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
  if (config.retention.cloudWatchLogsDays < 365) {
    warnings.push(
      `retention.cloudWatchLogsDays is ${config.retention.cloudWatchLogsDays}: Security Hub CloudWatch.16 fails every log group kept less than 365 days (the control matrix says so for cloudwatch-logs.retention)`,
    );
  }
  const org = config.organization;
  const core = new Set([org.managementAccountId, org.logArchiveAccountId, org.auditAccountId]);
  for (const arn of config.logArchive.readerRoleArns) {
    const accountId = arn.split(':')[4];
    if (!core.has(accountId)) {
      warnings.push(
        `logArchive.readerRoleArns: ${arn} is outside the management, log-archive and audit accounts, so the management plan does not check that it exists (S3 and KMS refuse a policy naming a missing role): create it first`,
      );
    }
  }
  if (config.investigations.enabled) {
    for (const arn of config.logArchive.readerRoleArns) {
      if (arn.split(':')[4] !== org.auditAccountId) {
        warnings.push(
          `logArchive.readerRoleArns: ${arn} is outside the audit account ${org.auditAccountId}: it may read the log archive, but not run investigations (the Athena workgroup and its policy are in the audit account; only readers there get the policy)`,
        );
      }
    }
  }
  return warnings;
}
