/**
 * The sensitive buckets' server access logs (`sensitiveData.buckets`, modules/s3/sensitive-bucket-access-logs.ts):
 * one task per owning account and Region, in that account and Region. Per sensitive bucket, (1) its
 * logging configuration delivers into the baseline's access-log bucket under `<bucket>/`, and (2) the
 * baseline's AWS Config rule s3-bucket-logging-enabled evaluated it COMPLIANT (where AWS Config offers
 * the rule); and (3) the access-log bucket exists, encrypts with SSE-S3, and its policy (evaluated,
 * evidence/policy-judge.ts) lets S3 logging deliver for each of them and denies every admin of the
 * organization the deletion and the overwrite (s3:PutObject) of log objects.
 */
import { GetComplianceDetailsByResourceCommand, ConfigServiceClient, type EvaluationResult } from '@aws-sdk/client-config-service';
import { GetBucketEncryptionCommand, GetBucketLoggingCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { ruleRegions, SOC2_LOGGING_PACK } from '../../config/managed-config-rules';
import { s3BucketArn, sensitiveAccessLogBucketName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { allowedInEveryContext, deniedInEveryContext } from '../policy-judge';
import { DOC } from '../sources';

const CONTROL = 's3.sensitive-bucket-access-logs';
/** The baseline's rule (config/managed-config-rules.ts), deployed in every Region of every member. */
export const LOGGING_RULE = 's3-bucket-logging-enabled';

/** Nothing to judge when no bucket is listed, or when the switch is off (a control exception). */
export function sensitiveBucketTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  if (!config.sensitiveData.serverAccessLogs) return [];
  const groups = new Map<string, { accountId: string; region: string; buckets: string[] }>();
  for (const b of config.sensitiveData.buckets) {
    if (!ctx.settings.accounts.includes(b.accountId) || !ctx.settings.regions.includes(b.region)) continue;
    const key = `${b.accountId}/${b.region}`;
    const group = groups.get(key) ?? { accountId: b.accountId, region: b.region, buckets: [] };
    group.buckets.push(b.name);
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (g) =>
      new Task(ctx, { label: 'sensitive buckets: server access logs', accountId: g.accountId, region: g.region, controls: [CONTROL], resource: sensitiveAccessLogBucketName(config, g.accountId, g.region) }, (task) =>
        judgeGroup(task, config, g.buckets),
      ),
  );
}

async function judgeGroup(task: Task, config: BaselineConfig, buckets: readonly string[]): Promise<void> {
  const s3 = task.client(S3Client);
  const cfg = task.client(ConfigServiceClient);
  const target = sensitiveAccessLogBucketName(config, task.accountId, task.region);
  for (const bucket of buckets) {
    await task.guard([CONTROL], () => judgeLogging(task, s3, bucket, target), bucket);
    await task.guard([CONTROL], () => judgeRule(task, cfg, config, bucket), `${bucket}/${LOGGING_RULE}`);
  }
  await task.guard([CONTROL], () => judgeTarget(task, s3, config, target, buckets), target);
}

/**
 * GetBucketLogging: LoggingEnabled.TargetBucket and TargetPrefix; no LoggingEnabled when logging is off
 * (S3 API Reference, GetBucketLogging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html).
 */
async function judgeLogging(task: Task, s3: S3Client, bucket: string, target: string): Promise<void> {
  let logging;
  try {
    logging = await task.call('s3:GetBucketLogging', { Bucket: bucket }, () => s3.send(new GetBucketLoggingCommand({ Bucket: bucket })), { key: bucket });
  } catch (e) {
    if (!isNotFound(e, 'NoSuchBucket')) throw e;
  }
  const enabled = logging?.LoggingEnabled;
  const problems = !logging
    ? [`the sensitive bucket ${bucket} does not exist in account ${task.accountId}, ${task.region}`]
    : [
        enabled?.TargetBucket === target ? undefined : `server access logs go to ${enabled?.TargetBucket ?? '(nowhere: logging is off)'}, not ${target}`,
        !enabled || enabled.TargetPrefix === `${bucket}/` ? undefined : `TargetPrefix is ${enabled.TargetPrefix}, not ${bucket}/`,
      ].filter((p): p is string => !!p);
  task.item({
    controlId: CONTROL,
    title: `Server access logging: ${bucket}`,
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length ? problems.join('; ') : `server access logs delivered to ${target}/${bucket}/`,
    resource: bucket,
    sources: [DOC.s3.getBucketLogging],
  });
}

/**
 * The rule's own evaluation of the bucket: GetComplianceDetailsByResource (ResourceType
 * AWS::S3::Bucket, ResourceId the bucket name) returns every rule's EvaluationResult for it; the
 * baseline's rule is the one whose EvaluationResultQualifier.ConfigRuleName is s3-bucket-logging-enabled
 * (AWS Config API Reference, GetComplianceDetailsByResource, EvaluationResult). COMPLIANT passes,
 * NON_COMPLIANT fails; NOT_APPLICABLE, INSUFFICIENT_DATA or no evaluation at all fail too: the rule has
 * not judged the bucket, so it is no evidence that logging is on.
 */
async function judgeRule(task: Task, cfg: ConfigServiceClient, config: BaselineConfig, bucket: string): Promise<void> {
  const title = `Config rule ${LOGGING_RULE}: ${bucket}`;
  const resource = `${bucket}/${LOGGING_RULE}`;
  const sources = [DOC.config.getComplianceDetailsByResource, DOC.config.evaluationResult];
  // The rule runs only where AWS Config offers it (ManagedRule.unavailableIn, its page's "AWS Region"
  // line: https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-logging-enabled.html), so
  // elsewhere no evaluation is expected and none is evidence against the bucket.
  const rule = SOC2_LOGGING_PACK.find((r) => r.name === LOGGING_RULE);
  if (rule && !ruleRegions(rule, config.regions.home, [task.region]).includes(task.region)) {
    task.item({ controlId: CONTROL, title, status: 'PASS', reason: `AWS Config does not offer ${LOGGING_RULE} in ${task.region}: logging judged from GetBucketLogging only`, resource, sources: [DOC.s3.getBucketLogging], raw: [] });
    return;
  }
  const disabled = config.awsConfig.disabledRules.find((r) => r.name === LOGGING_RULE);
  if (disabled) {
    task.item({ controlId: CONTROL, title, status: 'FAIL', reason: `the rule is switched off (awsConfig.disabledRules: ${disabled.reason}): nothing evaluates the bucket`, resource, sources: [], raw: [] });
    return;
  }
  const request = { ResourceType: 'AWS::S3::Bucket', ResourceId: bucket };
  const pages = await task.paginate(
    'config:GetComplianceDetailsByResource',
    request,
    (token) => cfg.send(new GetComplianceDetailsByResourceCommand({ ...request, NextToken: token })),
    (p) => p.NextToken,
    { key: bucket },
  );
  const results: EvaluationResult[] = pages.flatMap((p) => p.EvaluationResults ?? []).filter((r) => r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ConfigRuleName === LOGGING_RULE);
  const types = [...new Set(results.map((r) => r.ComplianceType ?? 'INSUFFICIENT_DATA'))];
  const recorded = results.map((r) => r.ResultRecordedTime).filter((t): t is Date => !!t).sort((a, b) => b.getTime() - a.getTime())[0];
  const when = recorded ? ` (recorded ${new Date(recorded).toISOString()})` : '';
  let status: 'PASS' | 'FAIL';
  let reason: string;
  if (types.length === 0) {
    status = 'FAIL';
    reason = `${LOGGING_RULE} has no evaluation of ${bucket}: not evaluated yet, or the bucket is outside the rule's scope; no evidence that logging is on`;
  } else if (types.includes('NON_COMPLIANT')) {
    status = 'FAIL';
    reason = `${LOGGING_RULE} evaluated ${bucket} NON_COMPLIANT${when}: server access logging is off`;
  } else if (types.length === 1 && types[0] === 'COMPLIANT') {
    status = 'PASS';
    reason = `${LOGGING_RULE} evaluated ${bucket} COMPLIANT${when}`;
  } else {
    status = 'FAIL';
    reason = `${LOGGING_RULE} evaluated ${bucket} ${types.join(', ')}${when}, not COMPLIANT: the rule has not judged the bucket`;
  }
  task.item({ controlId: CONTROL, title, status, reason, resource, sources, details: { complianceTypes: types } });
}

/** Every account of the config: the admins the deletion deny must hold against. */
function orgAccounts(config: BaselineConfig): string[] {
  return [...new Set([config.organization.managementAccountId, config.organization.logArchiveAccountId, config.organization.auditAccountId, ...config.members.map((m) => m.id)])].sort();
}

/**
 * The access-log bucket's policy, evaluated: the S3 logging service may deliver for each sensitive
 * bucket (logging.s3.amazonaws.com, s3:PutObject, with aws:SourceArn the source bucket and
 * aws:SourceAccount its account: S3 User Guide, "Permissions for log delivery",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general),
 * and no admin of the organization may delete a log object or version, nor overwrite one (s3:PutObject:
 * without Object Lock the overwritten log is a noncurrent version the lifecycle expires). A missing
 * bucket or policy fails. Its default encryption is SSE-S3 (AES256): S3 delivers server access logs
 * into no other default encryption ("Default server-side encryption with AWS KMS keys (SSE-KMS) is not
 * supported", same page; GetBucketEncryption's SSEAlgorithm:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html).
 */
async function judgeTarget(task: Task, s3: S3Client, config: BaselineConfig, target: string, buckets: readonly string[]): Promise<void> {
  let policy: string | undefined;
  let exists = true;
  try {
    policy = (await task.call('s3:GetBucketPolicy', { Bucket: target }, () => s3.send(new GetBucketPolicyCommand({ Bucket: target })), { key: target })).Policy;
  } catch (e) {
    if (isNotFound(e, 'NoSuchBucket')) exists = false;
    else if (!isNotFound(e, 'NoSuchBucketPolicy')) throw e;
  }
  const arn = s3BucketArn(target);
  const problems: string[] = [];
  if (!exists) problems.push(`the access-log bucket ${target} does not exist`);
  else if (!policy) problems.push(`the access-log bucket ${target} has no policy: S3 logging may not deliver, and nothing denies deleting log objects`);
  else {
    for (const bucket of buckets) {
      const answer = allowedInEveryContext(policy, {
        principal: { kind: 'service', service: 'logging.s3.amazonaws.com' },
        action: 's3:PutObject',
        resource: `${arn}/${bucket}/${task.accountId}/${task.region}/${bucket}/2026/01/01/2026-01-01-00-00-00-0123456789ABCDEF`,
        fixed: { 'aws:SourceArn': s3BucketArn(bucket), 'aws:SourceAccount': task.accountId, 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' },
      });
      // allowedInEveryContext answers `denied: true` when the request is not always allowed.
      if (answer.denied) problems.push(`S3 logging may not deliver the access logs of ${bucket}: ${answer.counterexample}`);
    }
    const deletion = deniedInEveryContext(policy, {
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [...buckets.map((b) => `${arn}/${b}/${task.accountId}/${task.region}/${b}/2026/01/01/x`), `${arn}/any-key`],
      within: [`${arn}/*`],
      actionsWithin: 's3:DeleteObject*',
      accounts: orgAccounts(config),
      organizationId: config.organization.id,
    });
    if (!deletion.denied) problems.push(`log objects can be deleted: ${deletion.counterexample}`);
    const overwrite = deniedInEveryContext(policy, {
      actions: ['s3:PutObject'],
      resources: [...buckets.map((b) => `${arn}/${b}/${task.accountId}/${task.region}/${b}/2026/01/01/x`), `${arn}/any-key`],
      within: [`${arn}/*`],
      accounts: orgAccounts(config),
      organizationId: config.organization.id,
    });
    if (!overwrite.denied) problems.push(`log objects can be overwritten: ${overwrite.counterexample}`);
  }
  if (exists) {
    let algorithm: string | undefined;
    try {
      const enc = await task.call('s3:GetBucketEncryption', { Bucket: target }, () => s3.send(new GetBucketEncryptionCommand({ Bucket: target })), { key: target });
      algorithm = enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
    } catch (e) {
      if (!isNotFound(e, 'ServerSideEncryptionConfigurationNotFoundError')) throw e;
    }
    if (algorithm !== 'AES256') problems.push(`default encryption (SSEAlgorithm) is ${algorithm ?? '(none)'}, not AES256 (SSE-S3): S3 does not deliver server access logs into SSE-KMS targets`);
  }
  task.item({
    controlId: CONTROL,
    title: `Access-log bucket: ${target}`,
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length
      ? problems.join('; ')
      : `default encryption SSE-S3 (AES256); the policy, evaluated, lets S3 logging deliver for ${buckets.join(', ')} and denies every admin of the organization the deletion and the overwrite of log objects`,
    resource: target,
    sources: [DOC.s3.getBucketPolicy, DOC.s3.getBucketEncryption],
  });
}
