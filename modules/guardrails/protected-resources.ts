/**
 * What the guardrails protect and whom they exempt, as ARN patterns derived from the names in
 * `config/naming.ts`. Every pattern is by name prefix (`<namePrefix>-*`, `/<namePrefix>/*`, the
 * log-archive bucket names) with `*` for Region and account, never a list of accounts: the policies
 * are the same for 5 accounts or 1,000. Where AWS puts an id rather than a name in the ARN (Config
 * rules and aggregators, flow logs), the baseline's own tag is the selector instead (see
 * `BASELINE_MANAGED_TAG`). `__tests__/modules/guardrails/` checks every resource the stacks create
 * against these patterns.
 */
import { kmsAliasName, logBucketName, PARTITION, roleArn, s3BucketArn, type LogBucketKind } from '../../config/naming';
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
  readonly analyzers: string;
  /** IAM roles the baseline creates (delivery and forwarding roles). */
  readonly roles: string;
  /** The log-archive buckets (`<prefix>-<kind>-<log-archive account>-<home Region>`), any kind. */
  readonly logArchiveBuckets: string;
  /** Key aliases `alias/<prefix>/*`, as `kms:ResourceAliases` values. */
  readonly keyAliases: string;
  /** The same aliases as resource ARNs. */
  readonly keyAliasArns: string;
}

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
