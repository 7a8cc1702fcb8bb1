/**
 * Valid configs that a reviewer should still hear about: printed at synth, never silently accepted.
 */
import type { BaselineConfig } from './schema';

export function configWarnings(config: BaselineConfig): string[] {
  const warnings: string[] = [];
  if (config.alerts.subscriptions.length === 0) {
    warnings.push(
      'alerts.subscriptions is empty: CIS alarms and high-severity findings reach topics nobody is subscribed to, and Security Hub CloudWatch.1-14 fail for want of a subscriber',
    );
  }
  if (config.logArchive.readerRoleArns.length === 0) {
    warnings.push('logArchive.readerRoleArns is empty: nobody but AWS services can read the central logs (auditors will ask someone to)');
  }
  return warnings;
}
