/**
 * A log bucket deleted or replaced. `aws_s3_bucket` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket):
 * the baseline creates only log buckets (the log archive), with `force_destroy` false and
 * `prevent_destroy`, so a plan that still deletes one means someone removed that protection.
 */
import { BUCKET_OBJECT_LOCK, BUCKET_RETENTION } from '../../modules/log-archive/controls';
import { destroyRule } from './rule';

export const LOG_BUCKET_DESTROYED = destroyRule({
  id: 'log-bucket-destroyed',
  title: 'A log bucket is deleted or replaced',
  controls: [BUCKET_RETENTION, BUCKET_OBJECT_LOCK],
  resourceTypes: ['aws_s3_bucket'],
  what: 'the log bucket',
  why: 'the logs it holds are the audit evidence, and a new bucket starts empty (with another Object Lock history)',
});
