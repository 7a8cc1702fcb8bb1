/**
 * A sensitive bucket's server access logging, or the access-log bucket it delivers into, deleted,
 * replaced or redirected (modules/s3/sensitive-bucket-access-logs.ts, whose construct id names every
 * address it creates). `aws_s3_bucket_logging`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_logging): deleting it
 * turns logging off (PutBucketLogging with an empty BucketLoggingStatus: provider
 * internal/service/s3/bucket_logging.go, resourceBucketLoggingDelete); `target_bucket` and
 * `target_prefix` say where the logs go. `aws_s3_bucket`: the access-log bucket, whose logs a new
 * bucket would not hold.
 */
import { SENSITIVE_BUCKET_ACCESS_LOGS } from '../../modules/s3/controls';
import type { PlannedChange } from '../plan';
import { BUCKET_ACCESS_LOGGING_REMOVED } from './bucket-access-logging-removed';
import { defineRule, destroyedFindings } from './rule';

/** The construct id prefix of the baseline's sensitive-bucket logging, in every address it synthesizes. */
export const SENSITIVE_BUCKET_ACCESS_LOGS_ID = 'sensitive-bucket-access-logs-';

const ours = (change: PlannedChange) => change.address.includes(`.${SENSITIVE_BUCKET_ACCESS_LOGS_ID}`);

export const SENSITIVE_BUCKET_LOGGING_REMOVED = defineRule({
  id: 'sensitive-bucket-logging-removed',
  title: "A sensitive bucket's server access logging, or its access-log bucket, is deleted, replaced or redirected",
  controls: [SENSITIVE_BUCKET_ACCESS_LOGS],
  resourceTypes: ['aws_s3_bucket_logging', 'aws_s3_bucket'],
  check(change: PlannedChange) {
    if (!ours(change)) return [];
    if (change.type === 'aws_s3_bucket') {
      return destroyedFindings(change, 'the access-log bucket of the sensitive buckets', 'the access logs it holds are the record of who read the sensitive data, and a new bucket starts empty');
    }
    // The same judgement as for a log bucket's logging: deleted, replaced, or pointed elsewhere.
    return BUCKET_ACCESS_LOGGING_REMOVED.check(change).map((f) => f.replace('access to the log bucket is no longer logged', 'requests to the sensitive bucket are no longer logged'));
  },
});
