/**
 * What the guardrails protect and whom they exempt, as ARN patterns derived from the names in
 * `config/naming.ts`. Every pattern is by name prefix (`<namePrefix>-*`, `/<namePrefix>/*`, the
 * log-archive bucket names) with `*` for Region and account, never a list of accounts: the policies
 * are the same for 5 accounts or 1,000. Where AWS puts an id rather than a name in the ARN (Config
 * rules and aggregators, flow logs), the baseline's own tag is the selector instead (see
 * `BASELINE_MANAGED_TAG`). `__tests__/modules/guardrails/` checks every resource the stacks create
 * against these patterns.
 */
import {
  alertRecordQueueName,
  investigationResultsBucketName,
  investigationsDatabaseName,
  investigationsReaderPolicyName,
  investigationsWorkgroupName,
  kmsAliasName,
  logBucketName,
  PARTITION,
  roleArn,
  s3BucketArn,
  sensitiveAccessLogBucketName,
  type LogBucketKind,
} from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { BASELINE_TAG_PREFIX } from '../providers/account-provider';

/**
 * The tag every resource of the baseline carries (the providers' default tags,
 * `modules/providers/account-provider.ts`): the selector for resources whose ARN holds an id, not a
 * name. Tag conditions use `aws:ResourceTag/<key>` (IAM User Guide, "Controlling access to AWS
 * resources using tags": https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html).
 */
export const BASELINE_MANAGED_TAG = { key: `${BASELINE_TAG_PREFIX}:managed-by`, value: 'soc2-logging-baseline' } as const;

/**
 * A name from `config/naming.ts` with one part replaced by `*`: the pattern follows the naming
 * function, so a renamed bucket cannot fall outside its protection.
 */
function wildcardIn(name: (part: string) => string): string {
  const marker = '\u0000';
  return name(marker).replace(marker, '*');
}

export interface ProtectedPatterns {
  /** Trails: the organization trail and every account trail (`<prefix>-org-trail`, `<prefix>-account-trail`). */
  readonly trails: string;
  /** Log groups: `/<prefix>/cloudtrail/...`, `/<prefix>/vpc-flow-logs`. */
  readonly logGroups: string;
  /** CIS and break-glass alarms: `<prefix>-org-*`, `<prefix>-account-*`. */
  readonly alarms: string;
  /** Alert topics: `<prefix>-security-alerts`, `<prefix>-security-findings`. */
  readonly topics: string;
  /** EventBridge rules on default and custom buses (`rule/<bus>/<name>` is matched too). */
  readonly eventRules: string;
  readonly eventBuses: string;
  /**
   * The alert route's SQS queues: each account's alert record queue (`<prefix>-security-alerts-record`)
   * and the dead-letter queues of its rules (`<rule name>-undelivered`, rules named `<prefix>-*`).
   */
  readonly queues: string;
  /** Each account's alert record queue alone (`<prefix>-security-alerts-record`): its messages are protected too. */
  readonly alertRecordQueue: string;
  /**
   * The service-linked roles of the security services the baseline runs: a service-linked role's ARN is
   * `arn:aws:iam::<account>:role/aws-service-role/<service principal>/<name>` (IAM User Guide, "Using
   * service-linked roles": https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html).
   */
  readonly serviceLinkedRoles: readonly string[];
  readonly analyzers: string;
  /** IAM roles the baseline creates (delivery and forwarding roles). */
  readonly roles: string;
  /** The log-archive buckets (`<prefix>-<kind>-<log-archive account>-<home Region>`), any kind. */
  readonly logArchiveBuckets: string;
  /** Key aliases `alias/<prefix>/*`, as `kms:ResourceAliases` values (documented for IAM policies only). */
  readonly keyAliases: string;
  /** The same aliases as resource ARNs. */
  readonly keyAliasArns: string;
}

/**
 * The service principals whose service-linked roles the security services use: AWS Config's recorder
 * (AWSServiceRoleForConfig), GuardDuty (AWSServiceRoleForAmazonGuardDuty) and its malware protection
 * (AWSServiceRoleForAmazonGuardDutyMalwareProtection), Security Hub, Macie and IAM Access Analyzer
 * (IAM User Guide, "AWS services that work with IAM", column "Service-linked roles":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html).
 */
export const SECURITY_SERVICE_PRINCIPALS = [
  'config.amazonaws.com',
  'guardduty.amazonaws.com',
  'malware-protection.guardduty.amazonaws.com',
  'securityhub.amazonaws.com',
  'macie.amazonaws.com',
  'access-analyzer.amazonaws.com',
] as const;

export function protectedPatterns(config: BaselineConfig): ProtectedPatterns {
  const prefix = config.organization.namePrefix;
  const keyAliases = kmsAliasName(config, '*');
  return {
    trails: `arn:${PARTITION}:cloudtrail:*:*:trail/${prefix}-*`,
    logGroups: `arn:${PARTITION}:logs:*:*:log-group:/${prefix}/*`,
    alarms: `arn:${PARTITION}:cloudwatch:*:*:alarm:${prefix}-*`,
    topics: `arn:${PARTITION}:sns:*:*:${prefix}-*`,
    eventRules: `arn:${PARTITION}:events:*:*:rule/${prefix}-*`,
    eventBuses: `arn:${PARTITION}:events:*:*:event-bus/${prefix}-*`,
    queues: `arn:${PARTITION}:sqs:*:*:${prefix}-*`,
    alertRecordQueue: `arn:${PARTITION}:sqs:*:*:${alertRecordQueueName(config)}`,
    serviceLinkedRoles: SECURITY_SERVICE_PRINCIPALS.map((service) => `arn:${PARTITION}:iam::*:role/aws-service-role/${service}/*`),
    analyzers: `arn:${PARTITION}:access-analyzer:*:*:analyzer/${prefix}-*`,
    roles: roleArn('*', `${prefix}-*`),
    logArchiveBuckets: s3BucketArn(wildcardIn((kind) => logBucketName(config, kind as LogBucketKind))),
    keyAliases,
    keyAliasArns: `arn:${PARTITION}:kms:*:*:${keyAliases}`,
  };
}

/**
 * The principals the guardrails exempt: the pipeline role and the break-glass role, in any account,
 * as `aws:PrincipalArn` patterns. For a role session, aws:PrincipalArn is the role's ARN
 * (`arn:aws:iam::<account>:role/<path/name>`), not the session's (IAM User Guide, "AWS global
 * condition context keys", aws:PrincipalArn:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn);
 * unlike a Principal element, a condition on it survives the role being deleted and recreated.
 * Undefined when guardrails are off.
 */
export function exemptPrincipalArns(config: BaselineConfig): readonly string[] | undefined {
  const g = config.guardrails;
  if (!g.enabled || !g.pipelineRoleName || !g.breakGlassRoleName) return undefined;
  return [roleArn('*', g.pipelineRoleName), roleArn('*', g.breakGlassRoleName)];
}

/**
 * The same two roles in one account only: the exemption of a key policy or a bucket policy, whose
 * account is the key's or bucket's own. Those are the only principals that ever need it: the denied
 * key actions are not cross-account operations ("Cross-account use: No", KMS API Reference,
 * PutKeyPolicy, ScheduleKeyDeletion, DisableKey, DisableKeyRotation, DeleteAlias, UpdateAlias:
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html), a bucket policy is set
 * only by an identity that "belong[s] to the bucket owner's account" (S3 API Reference,
 * PutBucketPolicy: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html), and the
 * stacks reach each account through a provider pinned to it that assumes the role of this name there
 * (`modules/providers/account-provider.ts`; with `deployment.pipelineAccountId`, that account's own
 * credentials, a role of this name in it). The SCPs keep `*`: they are the same document in every
 * account. Undefined when guardrails are off.
 */
export function exemptPrincipalArnsIn(config: BaselineConfig, accountId: string): readonly string[] | undefined {
  const g = config.guardrails;
  if (!g.enabled || !g.pipelineRoleName || !g.breakGlassRoleName) return undefined;
  return [roleArn(accountId, g.pipelineRoleName), roleArn(accountId, g.breakGlassRoleName)];
}

/**
 * The investigations' resources (modules/investigations/log-investigations.ts, audit account, home
 * Region), as the Service Authorization Reference writes their ARNs: Athena's `workgroup/<name>`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html), Glue's
 * `database/<db>`, `table/<db>/<table>` and `userDefinedFunction/<db>/<function>`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html; AWS Glue
 * Developer Guide, "Specifying AWS Glue resource ARNs":
 * https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html), the readers'
 * managed policy (IAM resource type policy, `policy/<path/name>`, the default path `/`), and the
 * results bucket (S3 resource type bucket, `arn:aws:s3:::<name>`, no account or Region:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
export interface InvestigationsPatterns {
  readonly workgroup: string;
  readonly database: string;
  /** Every table of the investigations database, those a later config adds included. */
  readonly tables: string;
  readonly functions: string;
  readonly readerPolicy: string;
  /**
   * The results bucket, `<prefix>-athena-results-*-<home Region>`: its name with `*` for the audit
   * account, as the SCP is the same document in every account.
   */
  readonly resultsBucket: string;
}

export function investigationsPatterns(config: BaselineConfig): InvestigationsPatterns {
  const database = investigationsDatabaseName(config);
  const glue = `arn:${PARTITION}:glue:*:*`;
  return {
    workgroup: `arn:${PARTITION}:athena:*:*:workgroup/${investigationsWorkgroupName(config)}`,
    database: `${glue}:database/${database}`,
    tables: `${glue}:table/${database}/*`,
    functions: `${glue}:userDefinedFunction/${database}/*`,
    readerPolicy: `arn:${PARTITION}:iam::*:policy/${investigationsReaderPolicyName(config)}`,
    resultsBucket: s3BucketArn(wildcardIn((account) => investigationResultsBucketName({ ...config, organization: { ...config.organization, auditAccountId: account } }))),
  };
}

/**
 * The sensitive buckets' access-log buckets (`<prefix>-access-logs-<account>-<region>`,
 * modules/s3/sensitive-bucket-access-logs.ts), with `*` for account and Region: the SCP is the same
 * document in every account.
 */
export function sensitiveAccessLogBucketsPattern(config: BaselineConfig): string {
  return s3BucketArn(sensitiveAccessLogBucketName(config, '*', '*'));
}
