/**
 * The central log buckets of the log-archive account (home Region), one task per bucket: versioning,
 * Object Lock (or, where the delivering service refuses Object Lock, the policy's deletion deny),
 * public access block, the TLS-only policy, default encryption, server access logging and the
 * retention lifecycle, each judged against what modules/log-archive builds from the config.
 */
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  type GetBucketLifecycleConfigurationCommandOutput,
} from '@aws-sdk/client-s3';
import { LOG_BUCKET_KINDS, logBucketName, s3BucketArn, type LogBucketKind } from '../../config/naming';
import { NONCURRENT_VERSION_DAYS } from '../../modules/log-archive/retention';
import type { BaselineConfig } from '../../config/schema';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { deniedInEveryContext } from '../policy-judge';
import { DOC } from '../sources';
import { judgeKeyRotation, keyProblem, logArchiveKey } from './kms';

/** Buckets without Object Lock, by design: AWS Config and S3 server access logging refuse it. */
export const BUCKETS_WITHOUT_OBJECT_LOCK: readonly LogBucketKind[] = ['config', 's3-server-logs'];

const CONTROLS = [
  'log-archive.versioning',
  'log-archive.object-lock',
  'log-archive.public-access-block',
  'log-archive.tls-only',
  'log-archive.encryption',
  'log-archive.access-logging',
  'log-archive.retention',
] as const;

export function logArchiveTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  return LOG_BUCKET_KINDS.map((kind) => {
    const bucket = logBucketName(config, kind);
    return new Task(
      ctx,
      {
        label: `log bucket ${kind}`,
        accountId: config.organization.logArchiveAccountId,
        region: config.regions.home,
        controls: kind === 's3-server-logs' ? CONTROLS.filter((c) => c !== 'log-archive.access-logging') : [...CONTROLS, 'kms.key-rotation'],
        resource: bucket,
      },
      (task) => judgeBucket(task, config, kind, bucket),
    );
  });
}

/** The accounts whose admins a log bucket's denials must hold against: every account of the org config. */
function orgAccounts(config: BaselineConfig): string[] {
  return [...new Set([config.organization.logArchiveAccountId, config.organization.managementAccountId, config.organization.auditAccountId, ...config.members.map((m) => m.id)])].sort();
}

/**
 * Sample objects a request may name: where each service delivers (CloudTrail, its digests and the
 * account trails; Config; flow logs; GuardDuty; S3 server access logs under the source bucket's name)
 * and any other key. The policy's own Resource and NotResource patterns are tried as well
 * (`within`), so an exemption of a prefix these miss is found.
 */
function sampleObjects(bucket: string, config: BaselineConfig): string[] {
  const arn = s3BucketArn(bucket);
  const org = config.organization.id;
  const account = config.organization.logArchiveAccountId;
  const region = config.regions.home;
  return [
    `AWSLogs/${org}/${account}/CloudTrail/${region}/2026/01/01/${account}_CloudTrail_${region}_20260101T0000Z_x.json.gz`,
    `AWSLogs/${org}/${account}/CloudTrail-Digest/${region}/2026/01/01/${account}_CloudTrail-Digest_${region}_x.json.gz`,
    `account-trails/AWSLogs/${account}/CloudTrail/${region}/2026/01/01/x.json.gz`,
    `AWSLogs/${account}/Config/${region}/2026/1/1/ConfigHistory/x.json.gz`,
    `AWSLogs/${account}/vpcflowlogs/${region}/2026/01/01/x.log.gz`,
    `AWSLogs/${account}/GuardDuty/${region}/2026/01/01/x.jsonl.gz`,
    ...LOG_BUCKET_KINDS.map((k) => `${logBucketName(config, k)}/2026-01-01-00-00-00-EXAMPLE`),
    'any-key',
  ].map((key) => `${arn}/${key}`);
}

/**
 * Requests without TLS, and with TLS older than 1.2, are denied on the bucket and its objects, for
 * every admin of the organization whatever else they send (evaluated: evidence/policy-judge.ts).
 * `aws:SecureTransport` and `s3:TlsVersion`: IAM global condition keys and the S3 condition keys
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html).
 */
export function tlsProblems(policy: string, bucket: string, config: BaselineConfig): string[] {
  const arn = s3BucketArn(bucket);
  const question = {
    actions: [
      's3:GetObject',
      's3:GetObjectVersion',
      's3:PutObject',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:ListBucket',
      's3:ListBucketVersions',
      's3:GetBucketPolicy',
      's3:PutBucketPolicy',
      's3:DeleteBucketPolicy',
      's3:PutLifecycleConfiguration',
      's3:PutBucketVersioning',
      's3:PutEncryptionConfiguration',
      's3:PutObjectRetention',
      's3:BypassGovernanceRetention',
      's3:RestoreObject',
    ],
    actionsWithin: 's3:*',
    resources: [arn, ...sampleObjects(bucket, config)],
    within: [arn, `${arn}/*`],
    accounts: orgAccounts(config),
    organizationId: config.organization.id,
  };
  const problems: string[] = [];
  const plain = deniedInEveryContext(policy, { ...question, fixed: { 'aws:SecureTransport': 'false' } });
  if (!plain.denied) problems.push(`requests without TLS are not always denied: ${plain.counterexample}`);
  for (const version of ['1.0', '1.1']) {
    const old = deniedInEveryContext(policy, { ...question, fixed: { 'aws:SecureTransport': 'true', 's3:TlsVersion': version } });
    if (!old.denied) {
      problems.push(`requests with TLS ${version} are not always denied: ${old.counterexample}`);
      break;
    }
  }
  return problems;
}

/**
 * Nobody but AWS services may delete a log object or version: the policy denies s3:DeleteObject and
 * s3:DeleteObjectVersion to every admin of the organization in every context they could send
 * (evaluated, evidence/policy-judge.ts). Returns why not, or undefined.
 */
export function deletionProblem(policy: string | undefined, bucket: string, config: BaselineConfig): string | undefined {
  if (!policy) return 'the bucket has no policy, so nothing denies deleting log objects';
  const answer = deniedInEveryContext(policy, {
    actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    resources: sampleObjects(bucket, config),
    within: [`${s3BucketArn(bucket)}/*`],
    actionsWithin: 's3:DeleteObject*',
    accounts: orgAccounts(config),
    organizationId: config.organization.id,
  });
  return answer.denied ? undefined : `log objects can be deleted: ${answer.counterexample}`;
}

/**
 * Nobody but AWS services may write an object into the server access log bucket: the policy denies
 * s3:PutObject to every admin of the organization in every context (evaluated). Without Object Lock an
 * overwrite turns the delivered log into a noncurrent version the lifecycle expires after
 * NONCURRENT_VERSION_DAYS (modules/log-archive/log-archive-bucket.ts denyLogOverwriteStatement).
 * Returns why not, or undefined.
 */
export function overwriteProblem(policy: string | undefined, bucket: string, config: BaselineConfig): string | undefined {
  if (!policy) return 'the bucket has no policy, so nothing denies overwriting log objects';
  const answer = deniedInEveryContext(policy, {
    actions: ['s3:PutObject'],
    resources: sampleObjects(bucket, config),
    within: [`${s3BucketArn(bucket)}/*`],
    accounts: orgAccounts(config),
    organizationId: config.organization.id,
  });
  return answer.denied ? undefined : `log objects can be overwritten: ${answer.counterexample}`;
}

type LifecycleRule = NonNullable<GetBucketLifecycleConfigurationCommandOutput['Rules']>[number];

/** What a rule applies to, in words: the whole bucket, or its filter. */
function scopeOf(rule: LifecycleRule): string {
  const f = rule.Filter;
  const parts = [
    ...(rule.Prefix ? [`prefix ${rule.Prefix}`] : []),
    ...(f?.Prefix ? [`prefix ${f.Prefix}`] : []),
    ...(f?.Tag ? [`tag ${f.Tag.Key}=${f.Tag.Value}`] : []),
    ...(f?.ObjectSizeGreaterThan !== undefined ? [`objects over ${f.ObjectSizeGreaterThan} bytes`] : []),
    ...(f?.ObjectSizeLessThan !== undefined ? [`objects under ${f.ObjectSizeLessThan} bytes`] : []),
    ...(f?.And?.Prefix ? [`prefix ${f.And.Prefix}`] : []),
    ...(f?.And?.Tags ?? []).map((t) => `tag ${t.Key}=${t.Value}`),
    ...(f?.And?.ObjectSizeGreaterThan !== undefined ? [`objects over ${f.And.ObjectSizeGreaterThan} bytes`] : []),
    ...(f?.And?.ObjectSizeLessThan !== undefined ? [`objects under ${f.And.ObjectSizeLessThan} bytes`] : []),
  ];
  return parts.length ? `the objects with ${parts.join(' and ')}` : 'every object';
}

/**
 * The lifecycle keeps every object at least `days` (retention.logArchiveDays): no enabled rule, of any
 * filter, expires current objects sooner or on a date, nor drops an overwritten version sooner than
 * the baseline does; and the baseline's expiry at `days` is there. Fields: S3 API reference,
 * LifecycleRule, LifecycleExpiration (Date, Days), NoncurrentVersionExpiration (NoncurrentDays),
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html.
 */
export function lifecycleProblems(rules: readonly LifecycleRule[], days: number, noncurrentDays: number): string[] {
  const enabled = rules.filter((r) => r.Status === 'Enabled');
  const name = (r: LifecycleRule) => `rule ${r.ID ?? '(unnamed)'}`;
  const problems: string[] = [];
  for (const r of enabled) {
    if (r.Expiration?.Date) problems.push(`${name(r)} expires ${scopeOf(r)} on the date ${new Date(r.Expiration.Date).toISOString().slice(0, 10)}, whatever their age`);
    if (r.Expiration?.Days !== undefined && r.Expiration.Days < days) problems.push(`${name(r)} expires ${scopeOf(r)} after ${r.Expiration.Days} days, before ${days}`);
    const nc = r.NoncurrentVersionExpiration?.NoncurrentDays;
    if (nc !== undefined && nc < noncurrentDays) problems.push(`${name(r)} deletes overwritten versions of ${scopeOf(r)} after ${nc} days, before ${noncurrentDays}`);
  }
  if (!enabled.some((r) => r.Expiration?.Days === days && scopeOf(r) === 'every object')) {
    problems.push(`no enabled lifecycle rule expires every object after ${days} days (retention.logArchiveDays)`);
  }
  return problems;
}

async function judgeBucket(task: Task, config: BaselineConfig, kind: LogBucketKind, bucket: string): Promise<void> {
  const s3 = task.client(S3Client);
  const key = bucket;
  const title = (what: string) => `${what}: ${bucket}`;
  const pass = (controlId: string, what: string, reason: string, sources: string[], raw?: string[]) =>
    task.item({ controlId, title: title(what), status: 'PASS', reason, sources, raw });
  const fail = (controlId: string, what: string, reason: string, sources: string[], raw?: string[]) =>
    task.item({ controlId, title: title(what), status: 'FAIL', reason, sources, raw });
  /** A call whose "not configured" error is evidence of absence (FAIL), not a collection error. */
  const optional = async <T>(operation: string, send: () => Promise<T>, ...notFound: string[]): Promise<{ value?: T; raw: string[] }> => {
    const start = task.rawNames.length;
    try {
      const value = await task.call(operation, { Bucket: bucket }, send, { key });
      return { value, raw: task.rawNames.slice(start) };
    } catch (e) {
      if (isNotFound(e, ...notFound)) return { raw: task.rawNames.slice(start) };
      throw e;
    }
  };

  await task.guard(['log-archive.versioning'], async () => {
    const r = await optional('s3:GetBucketVersioning', () => s3.send(new GetBucketVersioningCommand({ Bucket: bucket })), 'NoSuchBucket');
    const status = r.value?.Status;
    const versioningEnabled = status === 'Enabled';
    (versioningEnabled ? pass : fail)(
      'log-archive.versioning',
      'Versioning',
      r.value ? (versioningEnabled ? 'versioning Status is Enabled' : `versioning Status is ${status ?? 'unset (never enabled)'}`) : 'the bucket does not exist',
      [DOC.s3.getBucketVersioning],
      r.raw,
    );
  });

  let policy: string | undefined;
  let policyRead = false;
  let policyRaw: string[] = [];
  // Only tls-only here: the object-lock guard below reports its own error once (no duplicate item).
  await task.guard(['log-archive.tls-only'], async () => {
    const r = await optional('s3:GetBucketPolicy', () => s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), 'NoSuchBucketPolicy', 'NoSuchBucket');
    policy = r.value?.Policy;
    policyRaw = r.raw;
    policyRead = true;
    const problems = policy ? tlsProblems(policy, bucket, config) : ['the bucket has no policy'];
    (problems.length ? fail : pass)(
      'log-archive.tls-only',
      'TLS 1.2+ only',
      problems.length ? problems.join('; ') : 'the policy, evaluated for every admin of the organization in every context, denies each request without TLS or with TLS older than 1.2',
      [DOC.s3.getBucketPolicy],
      r.raw,
    );
  });

  await task.guard(['log-archive.object-lock'], async () => {
    if (BUCKETS_WITHOUT_OBJECT_LOCK.includes(kind)) {
      if (!policyRead) throw new Error('the bucket policy could not be read');
      // Overwritten objects are kept by versioning, judged on its own (log-archive.versioning), for the
      // noncurrent-version days only: the access-log bucket's policy also denies the overwrite.
      const overwrites = kind === 's3-server-logs';
      const problems = [deletionProblem(policy, bucket, config), overwrites && policy ? overwriteProblem(policy, bucket, config) : undefined].filter((p): p is string => !!p);
      (problems.length ? fail : pass)(
        'log-archive.object-lock',
        'Log objects protected from deletion',
        problems.length
          ? `no Object Lock (by design) and ${problems.join('; ')}`
          : `no Object Lock by design (${kind === 'config' ? 'AWS Config' : 'S3 server access logging'} refuses Object Lock buckets); the policy, evaluated for every admin of the organization in every context, denies s3:DeleteObject and s3:DeleteObjectVersion${overwrites ? ', and s3:PutObject to everyone but AWS services' : ''}`,
        [DOC.s3.getBucketPolicy],
        policyRaw,
      );
      return;
    }
    const r = await optional(
      's3:GetObjectLockConfiguration',
      () => s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })),
      'ObjectLockConfigurationNotFoundError',
      'NoSuchBucket',
    );
    const lock = r.value?.ObjectLockConfiguration;
    const retention = lock?.Rule?.DefaultRetention;
    const wanted = config.retention;
    const problems = [
      lock?.ObjectLockEnabled === 'Enabled' ? undefined : 'Object Lock is not enabled',
      retention?.Mode === wanted.objectLockMode ? undefined : `default retention mode is ${retention?.Mode ?? '(none)'}, not ${wanted.objectLockMode}`,
      retention?.Days === wanted.logArchiveDays ? undefined : `default retention is ${retention?.Days ?? retention?.Years ?? '(none)'} ${retention?.Years ? 'years' : 'days'}, not ${wanted.logArchiveDays} days`,
    ].filter((p): p is string => !!p);
    (problems.length ? fail : pass)(
      'log-archive.object-lock',
      'Object Lock',
      problems.length ? problems.join('; ') : `Object Lock Enabled, default retention ${retention?.Mode} for ${retention?.Days} days`,
      [DOC.s3.getObjectLockConfiguration],
      r.raw,
    );
  });

  await task.guard(['log-archive.public-access-block'], async () => {
    const r = await optional(
      's3:GetPublicAccessBlock',
      () => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
      'NoSuchPublicAccessBlockConfiguration',
      'NoSuchBucket',
    );
    const pab = r.value?.PublicAccessBlockConfiguration ?? {};
    const off = (['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const).filter((k) => pab[k] !== true);
    (off.length ? fail : pass)(
      'log-archive.public-access-block',
      'Public access block',
      off.length ? `not true: ${off.join(', ')}` : 'BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets are all true',
      [DOC.s3.getPublicAccessBlock],
      r.raw,
    );
  });

  await task.guard(['log-archive.encryption'], async () => {
    const r = await optional(
      's3:GetBucketEncryption',
      () => s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })),
      'ServerSideEncryptionConfigurationNotFoundError',
      'NoSuchBucket',
    );
    const rules = r.value?.ServerSideEncryptionConfiguration?.Rules ?? [];
    const rule = rules[0]?.ApplyServerSideEncryptionByDefault;
    // S3 server access logs can only be delivered into an SSE-S3 bucket; the others use their own key.
    const wanted = kind === 's3-server-logs' ? 'AES256' : 'aws:kms';
    const key = kind === 's3-server-logs' ? undefined : await logArchiveKey(task, config, kind);
    const problems = [
      rule?.SSEAlgorithm === wanted ? undefined : `default encryption is ${rule?.SSEAlgorithm ?? '(none)'}, not ${wanted}`,
      key ? keyProblem(config, key, rule?.KMSMasterKeyID, 'KMSMasterKeyID') : undefined,
    ].filter((p): p is string => !!p);
    (problems.length ? fail : pass)(
      'log-archive.encryption',
      'Default encryption',
      problems.length ? problems.join('; ') : `default encryption ${rule?.SSEAlgorithm}${key ? ` with the log-archive key ${key.alias} (${key.keyArn})` : ' (SSE-S3, which S3 requires of an access-log target)'}`,
      [DOC.s3.getBucketEncryption, ...(key ? [DOC.kms.describeKey] : [])],
      [...r.raw, ...(key?.raw ?? [])],
    );
  });

  if (kind !== 's3-server-logs') await task.guard(['kms.key-rotation'], () => judgeKeyRotation(task, config, kind));

  if (kind !== 's3-server-logs') {
    await task.guard(['log-archive.access-logging'], async () => {
      const r = await optional('s3:GetBucketLogging', () => s3.send(new GetBucketLoggingCommand({ Bucket: bucket })), 'NoSuchBucket');
      const target = r.value?.LoggingEnabled;
      const wanted = logBucketName(config, 's3-server-logs');
      const problems = [
        target?.TargetBucket === wanted ? undefined : `server access logs go to ${target?.TargetBucket ?? '(nowhere: logging is off)'}, not ${wanted}`,
        !target || target.TargetPrefix === `${bucket}/` ? undefined : `TargetPrefix is ${target.TargetPrefix}, not ${bucket}/`,
      ].filter((p): p is string => !!p);
      (problems.length ? fail : pass)(
        'log-archive.access-logging',
        'Server access logging',
        problems.length ? problems.join('; ') : `server access logs delivered to ${wanted}/${bucket}/`,
        [DOC.s3.getBucketLogging],
        r.raw,
      );
    });
  }

  await task.guard(['log-archive.retention'], async () => {
    const r = await optional(
      's3:GetBucketLifecycleConfiguration',
      () => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
      'NoSuchLifecycleConfiguration',
      'NoSuchBucket',
    );
    const days = config.retention.logArchiveDays;
    const problems = lifecycleProblems(r.value?.Rules ?? [], days, NONCURRENT_VERSION_DAYS);
    (problems.length ? fail : pass)(
      'log-archive.retention',
      'Retention lifecycle',
      problems.length ? problems.join('; ') : `objects expire after ${days} days and overwritten versions after ${NONCURRENT_VERSION_DAYS}, never sooner, by no rule of any filter`,
      [DOC.s3.getBucketLifecycleConfiguration],
      r.raw,
    );
  });
}
