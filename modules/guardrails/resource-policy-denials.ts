/**
 * The guardrails' statements for resource policies: the key policy of every baseline KMS key and the
 * bucket policy of every log-archive bucket deny the destructive actions to every principal but the
 * pipeline and break-glass roles. They hold where SCPs do not: in the management account (SCPs never
 * restrict it) and for a member account's root user where an SCP is detached.
 *
 * Who is exempt, and who is not touched at all:
 * - `ArnNotLike aws:PrincipalArn [pipeline, break-glass]` exempts those two roles, by name, in the
 *   key's or bucket's own account only (see `exemptPrincipalArnsIn`: no other account can run the
 *   denied actions on them anyway). The pipeline therefore keeps kms:PutKeyPolicy and
 *   s3:PutBucketPolicy for its own future updates, and KMS's lockout check on CreateKey/PutKeyPolicy
 *   ("the principal making the request must be allowed to make a subsequent PutKeyPolicy request",
 *   KMS API Reference, PutKeyPolicy: https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html)
 *   passes for it.
 * - `Bool aws:PrincipalIsAWSService false` keeps AWS service principals (CloudTrail, AWS Config, log
 *   delivery, GuardDuty, S3 logging) out of the statement. This is needed, not decoration:
 *   aws:PrincipalArn is documented for roles, users, federated users and the root user only, so a
 *   service principal's request cannot be counted on to carry it, and "If the policy condition
 *   requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is
 *   not present, the condition is true" (IAM User Guide, "Condition operators":
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html),
 *   so ArnNotLike alone would deny services too. aws:PrincipalIsAWSService "is present in the request
 *   context for all signed API requests" and is true only for a service principal's own call (IAM User
 *   Guide, "AWS global condition context keys":
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice).
 *   None of the denied actions is one a service performs to deliver logs; services acting for a person
 *   (forward access sessions) carry that person's aws:PrincipalArn and are denied like the person.
 *
 * One gap the bucket policy cannot close alone: "the root principal in a bucket owner's AWS account
 * can perform the GetBucketPolicy, PutBucketPolicy, and DeleteBucketPolicy API actions, even if their
 * bucket policy explicitly denies the root principal's access. Bucket owner root principals can only
 * be blocked from performing these API actions by VPC endpoint policies and AWS Organizations
 * policies" (S3 API Reference, PutBucketPolicy:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html). The log-archive account
 * is a member account, so the SCP's s3:PutBucketPolicy denial covers its root user.
 */
import type { PolicyStatement } from '../iam/policy-document';

/**
 * Destroy a key, stop it working, rewrite who may use it, stop its rotation, or move its alias. KMS
 * actions and their `key`/`alias` resource types: Service Authorization Reference, "AWS Key Management
 * Service" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
 * And (issue #22, round 3) change or remove its tags (TagResource, UntagResource: resource type key):
 * the RCP and the SCP's `ProtectBaselineKeysByTag` select the baseline's keys by the baseline's tag, and
 * "Tagging or untagging a KMS key can allow or deny permission to the KMS key" (KMS API Reference,
 * TagResource: https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html).
 */
export const KEY_TAG_ACTIONS = ['kms:TagResource', 'kms:UntagResource'] as const;
export const KEY_TAMPERING_ACTIONS = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
  'kms:DisableKeyRotation',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  ...KEY_TAG_ACTIONS,
] as const;

/**
 * Weaken or delete a log-archive bucket: lifecycle (a 1-day expiry), policy, versioning, Object Lock
 * configuration, access logging, governance-mode bypass, encryption, public access block, ownership,
 * deletion; and (issue #22, round 2) copy the logs out with a replication configuration
 * (PutReplicationConfiguration, resource type bucket), re-encrypt existing log objects under another
 * key (UpdateObjectEncryption, resource type object: "update the server-side encryption type of an
 * existing object"), or make the bucket Requester Pays (PutBucketRequestPayment, bucket): Requester
 * Pays buckets do not support "using a Requester Pays bucket as the target bucket for end-user
 * logging" (S3 User Guide, "Using Requester Pays general purpose buckets",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html), so the access log
 * bucket would stop receiving. S3 actions and
 * their `bucket`/`object` resource types: Service Authorization Reference, "Amazon S3"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 * s3:DeleteObject/DeleteObjectVersion are denied to everyone but services already (`DenyLogDeletion`).
 */
export const ARCHIVE_TAMPERING_ACTIONS = [
  's3:PutLifecycleConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketLogging',
  's3:BypassGovernanceRetention',
  's3:PutEncryptionConfiguration',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketOwnershipControls',
  's3:DeleteBucket',
  's3:PutReplicationConfiguration',
  's3:UpdateObjectEncryption',
  's3:PutBucketRequestPayment',
  // Issue #22, round 3: an S3 Intelligent-Tiering archive configuration (resource type bucket) moves
  // objects not accessed for 90 days or more (S3 API Reference, Tiering:
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_Tiering.html) into the Archive Access and Deep
  // Archive Access tiers, which "are archived and are not accessible in real time": "you must initiate a
  // restore request and wait until the object is moved into the Frequent Access tier" (S3 User Guide,
  // "Restoring an archived object": https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html).
  's3:PutIntelligentTieringConfiguration',
] as const;

/** The condition shared by both statements: not an exempt role, and not an AWS service's own call. */
function exceptPipelineAndServices(exempt: readonly string[]) {
  if (exempt.length === 0) throw new Error('guardrails: a tampering denial needs the exempt pipeline role, or it would lock everyone out');
  return { ArnNotLike: { 'aws:PrincipalArn': [...exempt] }, Bool: { 'aws:PrincipalIsAWSService': 'false' } };
}

/** For a key policy (Resource `*` is the key itself). */
export function denyKeyTamperingStatement(exempt: readonly string[]): PolicyStatement {
  return {
    Sid: 'DenyKeyTamperingExceptPipeline',
    Effect: 'Deny',
    Principal: '*',
    Action: [...KEY_TAMPERING_ACTIONS],
    Resource: '*',
    Condition: exceptPipelineAndServices(exempt),
  };
}

/** For a log-archive bucket policy. */
export function denyArchiveTamperingStatement(bucketArn: string, exempt: readonly string[]): PolicyStatement {
  return {
    Sid: 'DenyArchiveTamperingExceptPipeline',
    Effect: 'Deny',
    Principal: '*',
    Action: [...ARCHIVE_TAMPERING_ACTIONS],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: exceptPipelineAndServices(exempt),
  };
}
