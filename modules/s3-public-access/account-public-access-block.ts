/**
 * S3 Block Public Access for a whole account: all four settings on, so that no bucket of the account
 * (not only the log archive's) can be made public by an ACL or a bucket policy. CIS AWS Foundations
 * Benchmark v3.0 2.1.4, Security Hub S3.1 ("S3 general purpose buckets should have block public access
 * settings enabled"), Prowler `s3_account_level_public_access_blocks`.
 *
 * The setting is account-wide and has no Region (S3 User Guide, "Configuring block public access
 * settings for your account": https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html);
 * the provider lists `aws_s3_account_public_access_block` among its global resources, with no `region`
 * argument (Enhanced Region Support guide, website/docs/guides/enhanced-region-support.html.markdown).
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3AccountPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { recordControl } from '../control-model/record';
import { ACCOUNT_PUBLIC_ACCESS_BLOCK } from './controls';
import { Construct } from 'constructs';

export interface AccountPublicAccessBlockProps {
  /** Provider of the account. */
  readonly provider: AwsProvider;
  /** The account, pinned explicitly so the setting cannot land in another account. */
  readonly accountId: string;
}

export class AccountPublicAccessBlock extends Construct {
  readonly block: S3AccountPublicAccessBlock;

  constructor(scope: Construct, id: string, props: AccountPublicAccessBlockProps) {
    super(scope, id);
    this.block = new S3AccountPublicAccessBlock(this, 'block', {
      provider: props.provider,
      accountId: props.accountId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    // An account-wide setting (S3 Control has no Region for it): recorded as "global".
    recordControl(this, ACCOUNT_PUBLIC_ACCESS_BLOCK, props.accountId, [{ resource: this.block, region: 'global' }]);
  }
}
