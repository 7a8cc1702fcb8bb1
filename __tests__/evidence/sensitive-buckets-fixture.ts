/**
 * The sensitive buckets of the healthy org (`sensitiveData.buckets`, org-fixture.ts) as their owner and
 * the baseline leave them: the bucket itself (the owner's), the baseline's access-log bucket of its
 * account and Region with the policy modules/s3/sensitive-bucket-access-logs.ts writes (the parts the
 * evidence judges: the delivery grant, the deletion and overwrite denies, TLS), and the bucket's logging into it. moto
 * serves S3, and checks on PutBucketLogging that the target's policy grants logging.s3.amazonaws.com.
 * Seeded into a running healthy org (its S3 client class already mocked): every call goes straight to
 * moto (`unmocked`).
 *
 * AWS Config's evaluation of each bucket by s3-bucket-logging-enabled is not in moto: it is answered at
 * the SDK level (`mockLoggingRuleCompliance`).
 */
import { GetComplianceDetailsByResourceCommand, type ComplianceType, type GetComplianceDetailsByResourceCommandOutput } from '@aws-sdk/client-config-service';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { AwsStub } from 'aws-sdk-client-mock';
import { s3BucketArn, sensitiveAccessLogBucketName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { LOGGING_RULE } from '../../evidence/checks/sensitive-buckets';
import { bucketPolicy, unmocked, type MotoAccounts } from './org-fixture';

/** The delivery grant of the access-log bucket, as the construct writes it (S3 User Guide, "Permissions for log delivery"). */
export function deliveryGrant(target: string, sources: readonly string[], accountId: string): object {
  return {
    Sid: 'S3ServerAccessLogDelivery',
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${s3BucketArn(target)}/*`,
    Condition: { ArnLike: { 'aws:SourceArn': sources.map(s3BucketArn) }, StringEquals: { 'aws:SourceAccount': accountId } },
  };
}

/**
 * The overwrite deny of the access-log bucket, as the construct writes it (modules/log-archive/log-archive-bucket.ts
 * denyLogOverwriteStatement): s3:PutObject denied to every principal but AWS services
 * (aws:PrincipalIsAWSService: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice).
 */
export function overwriteDeny(target: string): object {
  return { Sid: 'DenyLogOverwrite', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `${s3BucketArn(target)}/*`, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } } };
}

/** The access-log bucket's policy, reduced to what the evidence judges. */
export function accessLogBucketPolicy(target: string, sources: readonly string[], accountId: string): string {
  return bucketPolicy(target, [deliveryGrant(target, sources, accountId), overwriteDeny(target)]);
}

export async function seedSensitiveBuckets(moto: MotoAccounts, config: BaselineConfig): Promise<void> {
  for (const b of config.sensitiveData.buckets) {
    const s3 = await moto.client(S3Client, b.accountId, b.region);
    const target = sensitiveAccessLogBucketName(config, b.accountId, b.region);
    const sources = config.sensitiveData.buckets.filter((o) => o.accountId === b.accountId && o.region === b.region).map((o) => o.name);
    // The owner's bucket.
    await unmocked(s3, new CreateBucketCommand({ Bucket: b.name }));
    if (sources[0] === b.name) {
      await unmocked(s3, new CreateBucketCommand({ Bucket: target }));
      await unmocked(s3, new PutBucketVersioningCommand({ Bucket: target, VersioningConfiguration: { Status: 'Enabled' } }));
      await unmocked(s3, new PutPublicAccessBlockCommand({ Bucket: target, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
      await unmocked(s3, new PutBucketEncryptionCommand({ Bucket: target, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
      await unmocked(s3, 
        new PutBucketLifecycleConfigurationCommand({
          Bucket: target,
          LifecycleConfiguration: { Rules: [{ ID: 'log-retention', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: config.retention.logArchiveDays }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] },
        }),
      );
      await unmocked(s3, new PutBucketPolicyCommand({ Bucket: target, Policy: accessLogBucketPolicy(target, sources, b.accountId) }));
    }
    await unmocked(s3, new PutBucketLoggingCommand({ Bucket: b.name, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: `${b.name}/` } } }));
  }
}

/**
 * GetComplianceDetailsByResource as AWS answers it for a bucket (AWS Config API Reference,
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByResource.html):
 * EvaluationResults[] of EvaluationResult, each with EvaluationResultIdentifier.EvaluationResultQualifier
 * (ConfigRuleName, ResourceType, ResourceId, EvaluationMode), ComplianceType, ResultRecordedTime and
 * ConfigRuleInvokedTime (https://docs.aws.amazon.com/config/latest/APIReference/API_EvaluationResult.html).
 * Each bucket has the logging rule's result with `compliance` (none when `undefined`), and another
 * rule's NON_COMPLIANT result beside it, which the check must not read as the logging rule's.
 */
export function mockLoggingRuleCompliance(cfg: AwsStub<any, any, any>, compliance: ComplianceType | undefined, at = new Date('2026-01-01T00:00:00Z')): void {
  cfg.on(GetComplianceDetailsByResourceCommand).callsFake((input: { ResourceType?: string; ResourceId?: string }): Partial<GetComplianceDetailsByResourceCommandOutput> => {
    const result = (ConfigRuleName: string, ComplianceType: ComplianceType) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ConfigRuleName, ResourceType: input.ResourceType, ResourceId: input.ResourceId, EvaluationMode: 'DETECTIVE' as const },
        OrderingTimestamp: at,
      },
      ComplianceType,
      ResultRecordedTime: at,
      ConfigRuleInvokedTime: at,
    });
    return { EvaluationResults: [result('s3-bucket-ssl-requests-only', 'NON_COMPLIANT'), ...(compliance ? [result(LOGGING_RULE, compliance)] : [])] };
  });
}
