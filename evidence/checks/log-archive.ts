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
} from '@aws-sdk/client-s3';
import { LOG_BUCKET_KINDS, logBucketName, type LogBucketKind } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';

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
        controls: CONTROLS.filter((c) => kind !== 's3-server-logs' || c !== 'log-archive.access-logging'),
        resource: bucket,
      },
      (task) => judgeBucket(task, config, kind, bucket),
    );
  });
}

type Statement = {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** The statements of a bucket policy document (GetBucketPolicy returns it as a JSON string). */
export function policyStatements(policy: string | undefined): Statement[] {
  if (!policy) return [];
  const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
  return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
}

const conditionIs = (s: Statement, operator: string, key: string, value: string) =>
  list(s.Condition?.[operator]?.[key]).some((v) => v.toLowerCase() === value);

const denies = (s: Statement, action: string, resource: string) =>
  s.Effect === 'Deny' &&
  list(s.Action).some((a) => a === action || a === 's3:*' || a === '*') &&
  list(s.Resource).includes(resource) &&
  (s.Principal === '*' || list((s.Principal as { AWS?: unknown } | undefined)?.AWS).includes('*'));

/** Requests without TLS, and with TLS older than 1.2, are denied on the bucket and its objects. */
export function tlsProblems(statements: Statement[], bucket: string): string[] {
  const arn = `arn:aws:s3:::${bucket}`;
  const problems: string[] = [];
  const covers = (s: Statement) => denies(s, 's3:*', arn) && denies(s, 's3:*', `${arn}/*`);
  if (!statements.some((s) => covers(s) && conditionIs(s, 'Bool', 'aws:SecureTransport', 'false'))) {
    problems.push('no Deny of s3:* on the bucket and its objects when aws:SecureTransport is false');
  }
  if (!statements.some((s) => covers(s) && conditionIs(s, 'NumericLessThan', 's3:TlsVersion', '1.2'))) {
    problems.push('no Deny of s3:* when s3:TlsVersion is less than 1.2');
  }
  return problems;
}

/** Nobody but AWS services may delete a log object or version. */
export function deletionDenied(statements: Statement[], bucket: string): boolean {
  const objects = `arn:aws:s3:::${bucket}/*`;
  return ['s3:DeleteObject', 's3:DeleteObjectVersion'].every((action) => statements.some((s) => denies(s, action, objects)));
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

  let statements: Statement[] | undefined;
  let policyRaw: string[] = [];
  await task.guard(['log-archive.tls-only', 'log-archive.object-lock'], async () => {
    const r = await optional('s3:GetBucketPolicy', () => s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), 'NoSuchBucketPolicy', 'NoSuchBucket');
    statements = policyStatements(r.value?.Policy);
    policyRaw = r.raw;
    const problems = r.value ? tlsProblems(statements, bucket) : ['the bucket has no policy'];
    (problems.length ? fail : pass)(
      'log-archive.tls-only',
      'TLS 1.2+ only',
      problems.length ? problems.join('; ') : 'policy denies every request without TLS and with TLS older than 1.2',
      [DOC.s3.getBucketPolicy],
      r.raw,
    );
  });

  await task.guard(['log-archive.object-lock'], async () => {
    if (BUCKETS_WITHOUT_OBJECT_LOCK.includes(kind)) {
      if (statements === undefined) throw new Error('the bucket policy could not be read');
      // Overwritten objects are kept by versioning, judged on its own (log-archive.versioning).
      const denied = deletionDenied(statements, bucket);
      (denied ? pass : fail)(
        'log-archive.object-lock',
        'Log objects protected from deletion',
        denied
          ? `no Object Lock by design (${kind === 'config' ? 'AWS Config' : 'S3 server access logging'} refuses Object Lock buckets); the policy denies s3:DeleteObject and s3:DeleteObjectVersion to all but AWS services`
          : 'no Object Lock (by design) and the policy does not deny s3:DeleteObject and s3:DeleteObjectVersion: log objects can be deleted',
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
    const rule = r.value?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    // S3 server access logs can only be delivered into an SSE-S3 bucket; the others use their own key.
    const wanted = kind === 's3-server-logs' ? 'AES256' : 'aws:kms';
    const problems = [
      rule?.SSEAlgorithm === wanted ? undefined : `default encryption is ${rule?.SSEAlgorithm ?? '(none)'}, not ${wanted}`,
      wanted === 'aws:kms' && !rule?.KMSMasterKeyID ? 'no KMSMasterKeyID: the AWS managed key, not the log archive key' : undefined,
    ].filter((p): p is string => !!p);
    (problems.length ? fail : pass)(
      'log-archive.encryption',
      'Default encryption',
      problems.length ? problems.join('; ') : `default encryption ${rule?.SSEAlgorithm}${rule?.KMSMasterKeyID ? ` with ${rule.KMSMasterKeyID}` : ' (SSE-S3, which S3 requires of an access-log target)'}`,
      [DOC.s3.getBucketEncryption],
      r.raw,
    );
  });

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
    const rules = (r.value?.Rules ?? []).filter((rule) => rule.Status === 'Enabled');
    const expiring = rules.filter((rule) => rule.Expiration?.Days !== undefined);
    const early = expiring.filter((rule) => (rule.Expiration?.Days ?? 0) < days);
    const problems = [
      expiring.some((rule) => rule.Expiration?.Days === days) ? undefined : `no enabled lifecycle rule expires objects after ${days} days (retention.logArchiveDays)`,
      ...early.map((rule) => `rule ${rule.ID ?? '(unnamed)'} expires objects after ${rule.Expiration?.Days} days, before ${days}`),
    ].filter((p): p is string => !!p);
    (problems.length ? fail : pass)(
      'log-archive.retention',
      'Retention lifecycle',
      problems.length ? problems.join('; ') : `objects expire after ${days} days, not before`,
      [DOC.s3.getBucketLifecycleConfiguration],
      r.raw,
    );
  });
}
