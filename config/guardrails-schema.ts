/**
 * The `guardrails` section of the org config: the preventive controls that protect the baseline
 * itself (SCPs from the management stack, and denials in the log archive's key and bucket policies),
 * their one exempt pipeline role and their audited break-glass role. See docs/guardrails.md.
 *
 * Guardrails are on by default, because a logging baseline that any account administrator can switch
 * off is not tamper-protected evidence. But an SCP that exempts a role other than the one the pipeline
 * really uses would deny the pipeline its own next apply (and a key policy would refuse its updates),
 * so the pipeline role is never guessed: with guardrails on, `guardrails.pipelineRoleName` must be
 * given, must be the role the pipeline assumes (`deployment.roleName`), and may not be an account's
 * default administrator role unless that choice is recorded with a reason. A config that says nothing
 * fails validation with a message naming the field, before anything is synthesized.
 */
import { z } from 'zod';

/**
 * The roles through which every administrator of an account usually works: the role AWS Organizations
 * creates in each new account (Organizations User Guide, "Accessing member accounts",
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html) and the
 * one AWS Control Tower creates (Control Tower User Guide, "Roles and accounts"). Exempting either
 * from the guardrails exempts every administrator.
 */
/**
 * The name prefix of CloudFormation StackSets' execution roles (`stacksets-exec-*`), which the guardrails'
 * role statement exempts (modules/guardrails/scp-statements.ts, STACKSETS_EXECUTION_ROLE): a role the
 * config names as exempt from nothing (the plan role) must not match it.
 */
export const STACKSETS_EXECUTION_ROLE_PREFIX = 'stacksets-exec-';

export const DEFAULT_ADMIN_ROLE_NAMES = ['OrganizationAccountAccessRole', 'AWSControlTowerExecution'] as const;

/** An IAM role name, optionally behind a path (`ops/pipeline`), as in the role's ARN; no wildcards. */
const roleNameSchema = z
  .string()
  // As deployment.roleName allows; each SCP statement repeats both role ARNs, so the bound also keeps
  // the policies within their size limit (tested with the longest names).
  .max(64, { error: 'must be at most 64 characters, path included (as deployment.roleName)' })
  .regex(/^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, {
    error: 'must be an IAM role name (letters, digits and +=,.@_-, optionally after a path such as "ops/"), without wildcards',
  });

const targetSchema = z
  .string()
  .regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/, { error: 'must be a root id (r-...), an OU id (ou-...) or an account id' });

/**
 * An optional guardrail that is on by default: switching it off is a recorded decision, with a reason
 * kept in the config for the auditors (at least 20 characters, as `acceptDefaultAdminRole.reason`).
 */
function onByDefault(what: string, offMeans: string) {
  return z
    .strictObject({
      enabled: z.boolean({ error: 'must be true or false' }).default(true).describe(`${what} Default: on.`),
      reason: z
        .string()
        .min(20, { error: 'must say why (at least 20 characters)' })
        .optional()
        .describe(`Why it is off: required with enabled: false, kept as the record auditors ask for. Off: ${offMeans}`),
    })
    .superRefine((v, ctx) => {
      if (!v.enabled && v.reason === undefined) {
        ctx.addIssue({ code: 'custom', path: ['reason'], message: `is required with enabled: false (at least 20 characters): off, ${offMeans}` });
      }
      if (v.enabled && v.reason !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is only for enabled: false: remove it' });
      }
    })
    .prefault({});
}

export const guardrailsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Service control policies (from the management stack) and key and bucket policy denials that stop anyone but the pipeline and break-glass roles from disabling or weakening what the baseline deploys (docs/guardrails.md). Off: an administrator of any account can stop its logging.',
      ),
    pipelineRoleName: roleNameSchema
      .optional()
      .describe(
        "The dedicated role the pipeline uses in every account: the guardrails' only routine exemption, so it must equal `deployment.roleName`, and where `deployment.pipelineAccountId` is set, the pipeline's own credentials there must be a role of this name too. Required when guardrails are on; a default administrator role (`OrganizationAccountAccessRole`, `AWSControlTowerExecution`) is refused unless `acceptDefaultAdminRole` says why. How to create it: docs/guardrails.md.",
      ),
    breakGlassRoleName: roleNameSchema
      .optional()
      .describe(
        'The emergency role that is also exempt, in any account; every use of it raises the `BreakGlassRoleUsed` alarm on the organization trail. Required when guardrails are on; must differ from the pipeline role. Procedure: docs/guardrails.md.',
      ),
    acceptDefaultAdminRole: z
      .strictObject({
        reason: z
          .string()
          .min(20, { error: 'must say why (at least 20 characters): exempting the default admin role exempts every administrator' })
          .describe('Why a default administrator role is exempt; kept in the config as the record auditors ask for.'),
      })
      .optional()
      .describe('Accepts `OrganizationAccountAccessRole` or `AWSControlTowerExecution` as the pipeline or break-glass role. Omitted: refused.'),
    resourceControlPolicies: onByDefault(
      "Resource control policies (RCPs, from the management stack, attached where the SCPs are) that deny principals outside the organization, and AWS services acting for resources outside it, access to the log-archive buckets, the baseline's KMS keys and the alert route's SQS queues (docs/guardrails.md, \"Resource control policies\"). Needs the RESOURCE_CONTROL_POLICY policy type enabled on the root (checked at plan time). Only with guardrails on.",
      'a bucket, key or queue policy that grants an outside account is the only line between it and the logs.',
    ).describe('The resource perimeter around the log archive, keys and alert queues.'),
    centralizedRootAccess: onByDefault(
      'IAM centralized root access for member accounts (RootCredentialsManagement and RootSessions, from the management stack): member root credentials can be deleted centrally, new accounts get none, and root tasks run as short-term sts:AssumeRoot sessions from the management account (docs/guardrails.md, "Root access"). Needs trusted access for iam.amazonaws.com (checked at plan time). Only with guardrails on.',
      "every member account's root user keeps its own long-term credentials, managed account by account.",
    ).describe("Central management of the member accounts' root users."),
    targets: z
      .array(targetSchema)
      .min(1)
      .optional()
      .describe(
        'Where the service control policies are attached: the root, OUs or accounts. Omitted: the organization root (every account but the management account, which SCPs never restrict).',
      ),
  })
  .superRefine((g, ctx) => {
    if (!g.enabled) return;
    const required = (field: 'pipelineRoleName' | 'breakGlassRoleName', what: string) =>
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `is required while guardrails are on (the default): ${what}, or set guardrails.enabled: false`,
      });
    if (g.pipelineRoleName === undefined) {
      required('pipelineRoleName', 'name the dedicated role the pipeline uses in every account (the same as deployment.roleName; docs/guardrails.md says how to create it)');
    }
    if (g.breakGlassRoleName === undefined) {
      required('breakGlassRoleName', 'name the emergency role whose every use raises an alarm');
    }
    const isDefaultAdmin = (name: string | undefined) =>
      name !== undefined && DEFAULT_ADMIN_ROLE_NAMES.some((d) => d.toLowerCase() === name.split('/').pop()!.toLowerCase());
    for (const field of ['pipelineRoleName', 'breakGlassRoleName'] as const) {
      if (isDefaultAdmin(g[field]) && !g.acceptDefaultAdminRole) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${g[field]} is the default administrator role of every account: exempting it exempts every administrator. Name a dedicated role (docs/guardrails.md), or record why in guardrails.acceptDefaultAdminRole.reason`,
        });
      }
    }
    if (g.acceptDefaultAdminRole && !isDefaultAdmin(g.pipelineRoleName) && !isDefaultAdmin(g.breakGlassRoleName)) {
      ctx.addIssue({
        code: 'custom',
        path: ['acceptDefaultAdminRole'],
        message: 'neither guardrails role is a default administrator role: remove this exception',
      });
    }
    // IAM role names are unique case-insensitively (IAM User Guide, "IAM identifiers").
    if (g.pipelineRoleName && g.breakGlassRoleName && g.pipelineRoleName.toLowerCase() === g.breakGlassRoleName.toLowerCase()) {
      ctx.addIssue({
        code: 'custom',
        path: ['breakGlassRoleName'],
        message: 'must differ from guardrails.pipelineRoleName: the break-glass alarm would fire on every pipeline run',
      });
    }
    g.targets?.forEach((t, i) => {
      if (g.targets!.indexOf(t) !== i) ctx.addIssue({ code: 'custom', path: ['targets', i], message: `${t} is listed twice` });
    });
  })
  .prefault({})
  .describe('Guardrails that protect the baseline itself: nobody but the pipeline (and an audited break-glass role) can switch the logging off.');

export type GuardrailsConfig = z.output<typeof guardrailsSchema>;

type Issue = { path: (string | number)[]; message: string };

/**
 * What the cross-field rules read of the config: the guardrails and the few fields they are checked
 * against. Narrow on purpose, so this file depends on nothing of `schema.ts` (which imports it).
 */
export interface GuardrailsIssuesInput {
  readonly guardrails: GuardrailsConfig;
  readonly deployment: { readonly roleName: string };
  readonly organization: { readonly namePrefix: string; readonly managementAccountId: string; readonly rootId: string };
}

/** The rules that relate `guardrails` to the rest of the config (called from `crossFieldIssues`). */
export function guardrailsIssues(config: GuardrailsIssuesInput): Issue[] {
  const g = config.guardrails;
  const issues: Issue[] = [];
  if (!g.enabled) return issues;
  if (g.pipelineRoleName !== undefined && g.pipelineRoleName !== config.deployment.roleName) {
    issues.push({
      path: ['guardrails', 'pipelineRoleName'],
      message: `must be the role the pipeline assumes in every account, deployment.roleName (${config.deployment.roleName}): the guardrails exempt only this role, so any other would deny the pipeline its own next apply`,
    });
  }
  // The baseline's own roles are `<namePrefix>-*`, protected by `ProtectBaselineRoles` with only the
  // pipeline and break-glass roles exempt: a guardrails role named in that namespace could not be created
  // by the StackSet that creates it in new accounts (docs/guardrails.md), and would read as the
  // baseline's. IAM role names compare case-insensitively (IAM User Guide, "IAM identifiers").
  const namespace = `${config.organization.namePrefix}-`.toLowerCase();
  for (const field of ['pipelineRoleName', 'breakGlassRoleName'] as const) {
    const friendly = g[field]?.slice(g[field]!.lastIndexOf('/') + 1);
    if (friendly?.toLowerCase().startsWith(namespace)) {
      issues.push({
        path: ['guardrails', field],
        message: `${g[field]} starts with organization.namePrefix (${config.organization.namePrefix}-), the namespace of the roles the baseline creates, which only the pipeline and break-glass roles may change: a StackSet could not create it in a new account. Name it outside the prefix`,
      });
    }
  }
  g.targets?.forEach((target, i) => {
    if (target === config.organization.managementAccountId) {
      issues.push({
        path: ['guardrails', 'targets', i],
        message: 'is the management account, which SCPs never restrict (its key policies protect it instead)',
      });
    } else if (/^r-/.test(target) && target !== config.organization.rootId) {
      issues.push({ path: ['guardrails', 'targets', i], message: `is not the organization root (organization.rootId: ${config.organization.rootId})` });
    }
  });
  return issues;
}
