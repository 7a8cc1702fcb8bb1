/**
 * A log bucket's Object Lock default retention shortened, weakened or removed.
 * `aws_s3_bucket_object_lock_configuration` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_object_lock_configuration):
 * `rule.default_retention` with `days` or `years` and `mode` (`COMPLIANCE`: no one can shorten it;
 * `GOVERNANCE`: users with s3:BypassGovernanceRetention can). Deleting the resource removes the
 * default retention: new log files are no longer locked.
 */
import { BUCKET_OBJECT_LOCK } from '../../modules/log-archive/controls';
import type { JsonObject, PlannedChange } from '../plan';
import { block, show, unknownAfter, valueAt } from '../values';
import { defineRule } from './rule';

const RETENTION = ['rule', 'default_retention'] as const;

/** The retention in days; S3 counts a retention year as 365 days (S3 User Guide, Object Lock). */
function retentionDays(retention: JsonObject | null): number {
  if (!retention) return 0;
  if (typeof retention.days === 'number') return retention.days;
  if (typeof retention.years === 'number') return retention.years * 365;
  return 0;
}

function describe(retention: JsonObject | null): string {
  if (!retention) return 'none';
  const length = typeof retention.days === 'number' ? `${retention.days} days` : typeof retention.years === 'number' ? `${retention.years} years` : 'no period';
  return `${length} ${show(retention.mode)}`;
}

export const OBJECT_LOCK_RETENTION_SHORTENED = defineRule({
  id: 'object-lock-retention-shortened',
  title: 'A log bucket\'s Object Lock default retention is shortened, weakened or removed',
  controls: [BUCKET_OBJECT_LOCK],
  resourceTypes: ['aws_s3_bucket_object_lock_configuration'],
  check(change: PlannedChange) {
    const before = change.before ? block(valueAt(change.before, RETENTION) ?? null) : null;
    if (!before || retentionDays(before) === 0) return [];
    if (change.kind === 'delete') return [`the default retention (${describe(before)}) is removed with the configuration: new log files are not locked`];
    if (change.kind !== 'update' && change.kind !== 'replace') return [];
    if (unknownAfter(change, [...RETENTION])) return ['rule.default_retention: known only after apply'];
    const after = change.after ? block(valueAt(change.after, RETENTION) ?? null) : null;
    const found: string[] = [];
    if (retentionDays(after) < retentionDays(before)) found.push(`rule.default_retention: ${describe(before)} → ${describe(after)}`);
    else if (before.mode === 'COMPLIANCE' && after?.mode !== 'COMPLIANCE') found.push(`rule.default_retention.mode: "COMPLIANCE" → ${show(after?.mode)}: retention can now be bypassed`);
    return found;
  },
});
