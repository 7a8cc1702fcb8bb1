/** Account-level S3 Block Public Access in every member account. */
import { defineControl } from '../control-model/control';

export const ACCOUNT_PUBLIC_ACCESS_BLOCK = defineControl({
  id: 's3.account-public-access-block',
  title: 'S3 Block Public Access for the whole account',
  description: 'All four account-level S3 Block Public Access settings are on in every member account, so no bucket can be made public, log buckets included.',
  tsc: ['CC6.1', 'CC6.6'],
  cis: { 'v3.0.0': '2.1.4', 'v1.4.0': '2.1.5' },
  // Security Hub S3 controls: https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html
  securityHub: ['S3.1'],
  prowler: ['s3_account_level_public_access_blocks', 's3_bucket_public_access'],
  evidence: {
    api: ['s3control:GetPublicAccessBlock'],
    command: 'aws s3control get-public-access-block --account-id <account>',
    lookFor: 'BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets all true.',
  },
});
