/**
 * `sensitive-bucket-logging-removed` (review/rules/sensitive-bucket-logging-removed.ts): a plan that
 * deletes, replaces or redirects a sensitive bucket's server access logging, or destroys its access-log
 * bucket, is refused under s3.sensitive-bucket-access-logs. Values in the shape `terraform show -json`
 * gives `aws_s3_bucket_logging` (provider internal/service/s3/bucket_logging.go) and `aws_s3_bucket`;
 * addresses as the example org's member-444444444444 stack synthesizes them.
 */
import type { PlannedChange } from '../../review/plan';
import { REVIEW_RULES } from '../../review/rules';
import { SENSITIVE_BUCKET_LOGGING_REMOVED as RULE } from '../../review/rules/sensitive-bucket-logging-removed';

const SENSITIVE = 'acme-customer-data-444444444444';
const TARGET = 'acme-soc2-access-logs-444444444444-us-east-1';
const logging = (target_bucket: string, target_prefix = `${SENSITIVE}/`) => ({
  bucket: SENSITIVE,
  expected_bucket_owner: '444444444444',
  region: 'us-east-1',
  target_bucket,
  target_prefix,
  target_grant: [],
  target_object_key_format: [{ partitioned_prefix: [{ partition_date_source: 'EventTime' }], simple_prefix: [] }],
});
const loggingChange = (over: Partial<PlannedChange>): PlannedChange => ({
  address: `aws_s3_bucket_logging.sensitive-bucket-access-logs-us-east-1_logging-${SENSITIVE}_6B925E27`,
  type: 'aws_s3_bucket_logging',
  mode: 'managed',
  kind: 'update',
  actions: ['update'],
  before: logging(TARGET),
  after: logging(TARGET),
  afterUnknown: {},
  ...over,
});
const bucketChange = (over: Partial<PlannedChange>): PlannedChange => ({
  address: 'aws_s3_bucket.sensitive-bucket-access-logs-us-east-1_bucket_F1CA90A7',
  type: 'aws_s3_bucket',
  mode: 'managed',
  kind: 'update',
  actions: ['update'],
  before: { bucket: TARGET, force_destroy: false },
  after: { bucket: TARGET, force_destroy: false },
  afterUnknown: {},
  ...over,
});

test('the rule is registered, for the control', () => {
  expect(REVIEW_RULES).toContain(RULE);
  expect(RULE.controls.map((c) => c.id)).toEqual(['s3.sensitive-bucket-access-logs']);
});

test("a sensitive bucket's logging deleted is refused", () => {
  expect(RULE.check(loggingChange({ kind: 'delete', actions: ['delete'], after: null }))).toEqual([
    'the access logging configuration is deleted: requests to the sensitive bucket are no longer logged',
  ]);
});

test('its logging redirected to another bucket is refused', () => {
  expect(RULE.check(loggingChange({ after: logging('someone-elses-bucket') }))).toEqual([`target_bucket: "${TARGET}" → "someone-elses-bucket"`]);
});

test('the access-log bucket destroyed or replaced is refused', () => {
  expect(RULE.check(bucketChange({ kind: 'delete', actions: ['delete'], after: null }))).toEqual([
    'the access-log bucket of the sensitive buckets is deleted: the access logs it holds are the record of who read the sensitive data, and a new bucket starts empty',
  ]);
  expect(RULE.check(bucketChange({ kind: 'replace', actions: ['delete', 'create'] }))[0]).toMatch(/^the access-log bucket of the sensitive buckets is replaced/);
});

test('an unchanged plan, a creation, or a log-archive bucket (another rule\'s) are not its business', () => {
  expect(RULE.check(loggingChange({}))).toEqual([]);
  expect(RULE.check(loggingChange({ kind: 'create', actions: ['create'], before: null }))).toEqual([]);
  expect(RULE.check(bucketChange({ address: 'aws_s3_bucket.log-archive_flowlogs_bucket_38F1DD3D', kind: 'delete', actions: ['delete'], after: null }))).toEqual([]);
});
