/**
 * Every bucket name the baseline derives fits S3's limit: "Bucket names must be between 3 (min) and 63
 * (max) characters long" (S3 User Guide, "General purpose bucket naming rules":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), for the longest prefix
 * the schema accepts and the longest known Region.
 */
import { investigationResultsBucketName, LOG_BUCKET_KINDS, logBucketName, sensitiveAccessLogBucketName } from '../../config/naming';
import { AWS_REGIONS } from '../../config/regions';
import type { BaselineConfig } from '../../config/schema';

const longestRegion = [...AWS_REGIONS].sort((a, b) => b.length - a.length)[0];
const worst = {
  organization: { namePrefix: 'a'.repeat(20), logArchiveAccountId: '111111111111', auditAccountId: '222222222222' },
  regions: { home: longestRegion },
} as unknown as BaselineConfig;

test.each([...LOG_BUCKET_KINDS])('the %s log bucket fits in 63 characters', (kind) => {
  expect(logBucketName(worst, kind).length).toBeLessThanOrEqual(63);
});

test('the investigations results bucket fits in 63 characters', () => {
  expect(investigationResultsBucketName(worst).length).toBeLessThanOrEqual(63);
});

test('the access-log bucket of the sensitive buckets fits in 63 characters, in any member account and Region', () => {
  expect(sensitiveAccessLogBucketName(worst, '999999999999', longestRegion).length).toBeLessThanOrEqual(63);
});

test('the check sees a name that does not fit (the breaking case)', () => {
  const longer = { ...worst, regions: { home: `${longestRegion}-x` } } as unknown as BaselineConfig;
  expect(investigationResultsBucketName(longer).length).toBeGreaterThan(63);
});
