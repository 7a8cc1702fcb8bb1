/**
 * S3 server access logging of a log bucket deleted, replaced or redirected. `aws_s3_bucket_logging`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_logging): deleting it
 * turns server access logging off (PutBucketLogging with an empty BucketLoggingStatus); `target_bucket`
 * and `target_prefix` say where the access logs go.
 */
import { BUCKET_ACCESS_LOGGING } from '../../modules/log-archive/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { comparesValues, show, stableJson, unknownAfter } from '../values';
import { defineRule } from './rule';

const WATCHED = ['bucket', 'target_bucket', 'target_prefix'] as const;

/** Unset, an empty string and an empty block list all mean the attribute is not set. */
const orNull = (v: JsonValue | undefined): JsonValue => (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? null : v);

export const BUCKET_ACCESS_LOGGING_REMOVED = defineRule({
  id: 'bucket-access-logging-removed',
  title: "A log bucket's server access logging is deleted, replaced or redirected",
  controls: [BUCKET_ACCESS_LOGGING],
  resourceTypes: ['aws_s3_bucket_logging'],
  check(change: PlannedChange) {
    if (change.kind === 'delete') return ['the access logging configuration is deleted: access to the log bucket is no longer logged'];
    if (!comparesValues(change)) return [];
    const found = change.kind === 'replace' ? ['the access logging configuration is replaced: access goes unlogged in between'] : [];
    for (const attribute of WATCHED) {
      if (unknownAfter(change, [attribute])) continue;
      const before = orNull(change.before![attribute]);
      const after = orNull(change.after?.[attribute]);
      if (stableJson(before) !== stableJson(after)) found.push(`${attribute}: ${show(before)} → ${show(after)}`);
    }
    return found;
  },
});
