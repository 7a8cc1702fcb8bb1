/**
 * A log bucket's lifecycle expires log files sooner. `aws_s3_bucket_lifecycle_configuration`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_lifecycle_configuration):
 * each `rule` with `status` "Enabled" and an `expiration` (`days`, or a `date`) deletes objects. The
 * rule compares, per bucket, the soonest expiration of any enabled rule before and after (filters
 * aside: a narrower rule that expires sooner still expires some log files sooner). Deleting the
 * configuration keeps the logs forever, which weakens nothing.
 */
import { BUCKET_RETENTION } from '../../modules/log-archive/controls';
import type { JsonObject, PlannedChange } from '../plan';
import { blocks, comparesValues, unknownAfter } from '../values';
import { defineRule } from './rule';

interface Expiry {
  /** Days until expiry; Infinity when no enabled rule expires objects. */
  readonly days: number;
  readonly dates: ReadonlySet<string>;
}

function soonestExpiry(rules: JsonObject[]): Expiry {
  let days = Infinity;
  const dates = new Set<string>();
  for (const rule of rules) {
    if (rule.status !== 'Enabled') continue;
    for (const expiration of blocks(rule.expiration)) {
      if (typeof expiration.days === 'number' && expiration.days > 0) days = Math.min(days, expiration.days);
      if (typeof expiration.date === 'string' && expiration.date !== '') dates.add(expiration.date);
    }
  }
  return { days, dates };
}

export const LIFECYCLE_EXPIRATION_SHORTENED = defineRule({
  id: 'lifecycle-expiration-shortened',
  title: 'A log bucket\'s lifecycle deletes log files sooner',
  controls: [BUCKET_RETENTION],
  resourceTypes: ['aws_s3_bucket_lifecycle_configuration'],
  check(change: PlannedChange) {
    // Only a change to an existing lifecycle shortens a retention in place; a new one is what the
    // baseline sets for a new bucket (a plan that only adds passes).
    if (!comparesValues(change)) return [];
    if (unknownAfter(change, ['rule'])) return ['rule: known only after apply'];
    const before = soonestExpiry(blocks(change.before?.rule));
    const after = soonestExpiry(blocks(change.after?.rule));
    const found: string[] = [];
    if (after.days < before.days) {
      found.push(`expiration: ${before.days === Infinity ? 'never' : `${before.days} days`} → ${after.days} days`);
    }
    for (const date of after.dates) if (!before.dates.has(date)) found.push(`expiration.date ${date} is added: objects expire on that date`);
    return found;
  },
});
