/**
 * `deployment.planRoleName`: the read-only role that plans of unmerged code (pull and merge requests,
 * other branches) assume in every account instead of `deployment.roleName`, the pipeline role the
 * guardrails exempt. Every stack's providers take the role name from the Terraform variable
 * `deployment_role_name` (modules/providers/account-provider.ts), which may be only one of these two
 * names; a plan-only run sets `TF_VAR_deployment_role_name` to the plan role.
 *
 * The plan role is exempt from nothing, so it must not be, or collide with, a role that is: IAM role
 * names are unique in an account regardless of case and of path (IAM User Guide, "IAM and AWS STS
 * quotas", IAM name requirements: "Names of users, groups, roles, and instance profiles must be unique
 * within the account. They aren't distinguished by case",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names;
 * the path is not part of the friendly name: "IAM identifiers", friendly names and paths,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html).
 */
import { DEFAULT_ADMIN_ROLE_NAMES, STACKSETS_EXECUTION_ROLE_PREFIX } from './guardrails-schema';

/**
 * What the plan-role rules read of the config. Narrow on purpose, so this file depends on nothing of
 * `schema.ts` (which imports it).
 */
export interface PlanRoleInput {
  readonly organization: { readonly namePrefix: string };
  readonly deployment: { readonly roleName: string; readonly planRoleName?: string };
  readonly guardrails: { readonly pipelineRoleName?: string; readonly breakGlassRoleName?: string };
}

/**
 * The GuardDuty Malware Protection for S3 role of every account with sensitive buckets is
 * `<namePrefix>-` this (config/naming.ts `malwareProtectionRoleName`): the guardrails exempt it from the
 * statement that protects GuardDuty's managed EventBridge rule, which GuardDuty changes through it.
 */
export const MALWARE_PROTECTION_ROLE_SUFFIX = 'guardduty-malware-protection-s3';

/** The Terraform variable every stack declares; its value names the role every provider assumes. */
export const DEPLOYMENT_ROLE_VARIABLE = 'deployment_role_name';

/** The role names `deployment_role_name` accepts: the pipeline role first (its default), then the plan role. */
export function deploymentRoleNames(config: PlanRoleInput): string[] {
  const d = config.deployment;
  return d.planRoleName === undefined ? [d.roleName] : [d.roleName, d.planRoleName];
}

/** The friendly name, without its path, lower-cased: what IAM compares for uniqueness. */
const friendly = (name: string) => name.slice(name.lastIndexOf('/') + 1).toLowerCase();

type Issue = { path: (string | number)[]; message: string };

/** The rules relating `deployment.planRoleName` to the rest of the config (called from `crossFieldIssues`). */
export function planRoleIssues(config: PlanRoleInput): Issue[] {
  const plan = config.deployment.planRoleName;
  if (plan === undefined) return [];
  const path = ['deployment', 'planRoleName'];
  const how = 'name a separate read-only role (docs/guardrails.md, "Creating the pipeline role and the break-glass role")';
  const exempt: [string, string | undefined, string][] = [
    ['deployment.roleName', config.deployment.roleName, 'plans of unmerged code would run with the role that applies'],
    ['guardrails.pipelineRoleName', config.guardrails.pipelineRoleName, 'the guardrails exempt that role'],
    ['guardrails.breakGlassRoleName', config.guardrails.breakGlassRoleName, 'the guardrails exempt that role, and every use of it raises the break-glass alarm'],
    [
      "the baseline's Malware Protection for S3 role",
      `${config.organization.namePrefix}-${MALWARE_PROTECTION_ROLE_SUFFIX}`,
      "the guardrails exempt that role from the statement protecting GuardDuty's managed EventBridge rule",
    ],
  ];
  for (const [field, name, why] of exempt) {
    if (name !== undefined && friendly(name) === friendly(plan)) {
      return [{ path, message: `must differ from ${field} (${name}; IAM role names are unique regardless of case and path): ${why}. ${how[0].toUpperCase()}${how.slice(1)}` }];
    }
  }
  if (friendly(plan).startsWith(STACKSETS_EXECUTION_ROLE_PREFIX)) {
    return [{ path, message: `${plan} matches ${STACKSETS_EXECUTION_ROLE_PREFIX}*, the StackSets execution roles the guardrails' role statement exempts: ${how}` }];
  }
  if (DEFAULT_ADMIN_ROLE_NAMES.some((d) => d.toLowerCase() === friendly(plan))) {
    return [{ path, message: `${plan} is the default administrator role of every account, not a read-only role: ${how}` }];
  }
  return [];
}
