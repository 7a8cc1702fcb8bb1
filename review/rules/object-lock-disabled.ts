/**
 * Object Lock turned off for a log bucket. `aws_s3_bucket.object_lock_enabled`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket#object_lock_enabled)
 * and `aws_s3_bucket_object_lock_configuration.object_lock_enabled` ("Enabled"). S3 cannot turn Object
 * Lock off on a bucket, so such a plan replaces the bucket with an unlocked one.
 */
import { BUCKET_OBJECT_LOCK } from '../../modules/log-archive/controls';
import type { PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter } from '../values';
import { defineRule } from './rule';

export const OBJECT_LOCK_DISABLED = defineRule({
  id: 'object-lock-disabled',
  title: 'Object Lock is turned off for a log bucket',
  controls: [BUCKET_OBJECT_LOCK],
  resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_object_lock_configuration'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    const before = change.before!.object_lock_enabled;
    const on = (v: unknown) => v === true || v === 'Enabled';
    if (!on(before)) return [];
    if (unknownAfter(change, ['object_lock_enabled'])) return ['object_lock_enabled: known only after apply'];
    const after = change.after?.object_lock_enabled;
    // The configuration resource's object_lock_enabled is optional and defaults to "Enabled".
    const afterOn = on(after) || (change.type === 'aws_s3_bucket_object_lock_configuration' && (after === null || after === undefined));
    return afterOn ? [] : [`object_lock_enabled: ${show(before)} → ${show(after)}`];
  },
});
