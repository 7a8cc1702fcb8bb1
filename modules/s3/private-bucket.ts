/**
 * The base every bucket of the baseline shares: the bucket, all public access blocked, ACLs off
 * (BucketOwnerEnforced), versioning, and default encryption with a KMS key and an S3 Bucket Key (or
 * SSE-S3 without a key). Each is its own provider resource, as provider 4+ splits them (Terraform
 * provider, `aws_s3_bucket` "S3 Bucket Resource Changes"); lifecycle, policy and logging stay with
 * the caller, which knows what the bucket is for.
 *
 * The construct ids are `<idPrefix>bucket`, `<idPrefix>public-access-block`, `<idPrefix>ownership`,
 * `<idPrefix>versioning` and `<idPrefix>encryption`, in the caller's scope: the Terraform addresses the
 * log-archive buckets had before this was shared, so nothing moves in state.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { Construct } from 'constructs';

export interface PrivateBucketProps {
  readonly provider: AwsProvider;
  readonly region: string;
  readonly bucketName: string;
  /** Prefix of the construct ids, e.g. `results-`. @default '' */
  readonly idPrefix?: string;
  /** SSE-KMS with this key and an S3 Bucket Key. @default - SSE-S3 (AES256) */
  readonly kmsKeyArn?: string;
  /** Object Lock, which can only be turned on when the bucket is created. @default false */
  readonly objectLockEnabled?: boolean;
  /** Terraform refuses to destroy the bucket. @default false */
  readonly preventDestroy?: boolean;
}

export interface PrivateBucket {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly versioning: S3BucketVersioningA;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
}

export function privateBucket(scope: Construct, props: PrivateBucketProps): PrivateBucket {
  const id = (name: string) => `${props.idPrefix ?? ''}${name}`;
  const common = { provider: props.provider, region: props.region };
  const s3Bucket = new S3Bucket(scope, id('bucket'), {
    ...common,
    bucket: props.bucketName,
    ...(props.objectLockEnabled !== undefined ? { objectLockEnabled: props.objectLockEnabled } : {}),
    forceDestroy: false,
    ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
  });
  const bucket = s3Bucket.id;
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, id('public-access-block'), {
    ...common,
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, id('ownership'), {
    ...common,
    bucket,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  const versioning = new S3BucketVersioningA(scope, id('versioning'), {
    ...common,
    bucket,
    versioningConfiguration: { status: 'Enabled' },
  });
  const encryption = new S3BucketServerSideEncryptionConfigurationA(scope, id('encryption'), {
    ...common,
    bucket,
    rule: [
      props.kmsKeyArn
        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
    ],
  });
  return { bucket: s3Bucket, publicAccessBlock, versioning, encryption };
}
