/**
 * One `AwsProvider` per account a stack touches. Regions are chosen per resource (AWS provider 6's
 * `region` argument), so a stack that covers ten Regions still starts one provider process per account.
 *
 * The role a provider assumes is named by the stack's Terraform variable `deployment_role_name`, not
 * written into the provider: its default is `deployment.roleName`, the pipeline role that applies (and
 * that the guardrails exempt), and a run that only plans unmerged code sets it to
 * `deployment.planRoleName`, the read-only role no guardrail exempts, through the environment
 * (`TF_VAR_deployment_role_name`: Terraform CLI, "Environment variables", TF_VAR_name, "Environment
 * variables can be used to set variables. The environment variables must be in the format TF_VAR_name",
 * https://developer.hashicorp.com/terraform/cli/config/environment-variables#tf_var_name). Its
 * `validation` accepts those two names and nothing else (Terraform language, "Custom conditions",
 * input variable validation, https://developer.hashicorp.com/terraform/language/expressions/custom-conditions#input-variable-validation),
 * so no run can point the providers at another role. Only the providers read it: the guardrails'
 * exemptions (SCPs, key and bucket policies) name `guardrails.pipelineRoleName` literally.
 *
 * A saved plan records the variable values it was made with, and `terraform apply <plan>` takes no
 * other ("When using a saved plan, you cannot specify any additional planning modes or options":
 * https://developer.hashicorp.com/terraform/cli/commands/apply#saved-plan-mode): a plan made with the
 * plan role would be applied with it. Only plans of the apply branch, made with the variable unset, are
 * ever applied (docs/pipeline.md).
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { PARTITION, roleArn } from '../../config/naming';
import { DEPLOYMENT_ROLE_VARIABLE, deploymentRoleNames } from '../../config/plan-role';
import type { BaselineConfig } from '../../config/schema';

export const BASELINE_TAG_PREFIX = 'soc2-baseline';

export interface AccountProviderProps {
  readonly config: BaselineConfig;
  /** The account every resource of this provider must be created in (pinned by `allowed_account_ids`). */
  readonly accountId: string;
  /** The stack's name, recorded in the `soc2-baseline:stack` tag. */
  readonly stackName: string;
  /**
   * Provider alias, for stacks that touch more than one account.
   * @default - the stack's default `aws` provider
   */
  readonly alias?: string;
  /**
   * Tags on every resource of this provider, on top of the config's top-level `tags`.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The stack's `deployment_role_name` variable, declared once per stack (by its first provider), so that
 * every stack has it, the ones whose providers assume no role included (a run sets it for all alike).
 */
export function deploymentRoleVariable(scope: Construct, config: BaselineConfig): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(DEPLOYMENT_ROLE_VARIABLE);
  if (existing) return existing as TerraformVariable;
  const names = deploymentRoleNames(config);
  const variable = new TerraformVariable(stack, DEPLOYMENT_ROLE_VARIABLE, {
    type: 'string',
    nullable: false,
    default: config.deployment.roleName,
    description:
      'The role every AWS provider of this stack assumes in its account: deployment.roleName (the default; the pipeline role, for runs that apply) or deployment.planRoleName (the read-only role, for runs that only plan unmerged code: TF_VAR_deployment_role_name).',
    validation: [
      {
        // The names are IAM role names ([\w+=,.@/-]): nothing in them needs escaping in an HCL string.
        condition: `\${contains(${JSON.stringify(names)}, var.${DEPLOYMENT_ROLE_VARIABLE})}`,
        errorMessage:
          names.length === 1
            ? `The variable ${DEPLOYMENT_ROLE_VARIABLE} must be deployment.roleName (${names[0]}): the config names no deployment.planRoleName, so the providers assume no other role.`
            : `The variable ${DEPLOYMENT_ROLE_VARIABLE} must be deployment.roleName (${names[0]}) or deployment.planRoleName (${names[1]}): the providers assume no other role.`,
      },
    ],
  });
  variable.overrideLogicalId(DEPLOYMENT_ROLE_VARIABLE);
  return variable;
}

export function accountProvider(scope: Construct, id: string, props: AccountProviderProps): AwsProvider {
  const { config, accountId } = props;
  const deployment = config.deployment;
  const roleName = deploymentRoleVariable(scope, config).stringValue;
  const assumeRole =
    deployment.pipelineAccountId === accountId
      ? undefined
      : [
          {
            roleArn: roleArn(accountId, roleName),
            sessionName: deployment.sessionName,
            ...(deployment.externalId ? { externalId: deployment.externalId } : {}),
          },
        ];
  const provider = new AwsProvider(scope, id, {
    alias: props.alias,
    region: config.regions.home,
    allowedAccountIds: [accountId],
    assumeRole,
    defaultTags: [
      {
        tags: {
          ...config.tags,
          ...props.tags,
          [`${BASELINE_TAG_PREFIX}:managed-by`]: 'soc2-logging-baseline',
          [`${BASELINE_TAG_PREFIX}:stack`]: props.stackName,
        },
      },
    ],
  });
  callerIdentityCheck(scope, id, provider, accountId, DEPLOYMENT_ROLE_VARIABLE);
  return provider;
}

/**
 * The plan stops unless the provider's credentials are a session of the role `deployment_role_name`
 * names, in the provider's account: the role the key and bucket policies exempt (the pipeline role,
 * `guardrails.pipelineRoleName`, which must equal `deployment.roleName`) when applying. With other
 * credentials KMS refuses every key policy that would lock the caller out ("the principal making the
 * request must be allowed to make a subsequent PutKeyPolicy request", KMS Developer Guide, "Default key
 * policy", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key),
 * and the provider retries until its timeout, after other changes were made. The account that
 * `deployment.pipelineAccountId` names assumes no role: its own credentials must be that role too.
 *
 * `aws_caller_identity` (GetCallerIdentity: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)
 * gives a role session's ARN as `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`
 * (IAM User Guide, "IAM identifiers": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns),
 * with the role's name only, not its path: a name given with a path (`ops/pipeline`) is compared by its
 * last part. Data sources are read during the plan (Terraform language, "Data sources":
 * https://developer.hashicorp.com/terraform/language/data-sources), so the postcondition fails it.
 */
export function callerIdentityCheck(scope: Construct, providerId: string, provider: AwsProvider, accountId: string, variable: string): DataAwsCallerIdentity {
  const roleName = `reverse(split("/", var.${variable}))[0]`;
  const expected = `"arn:${PARTITION}:sts::${accountId}:assumed-role/\${${roleName}}/"`;
  return new DataAwsCallerIdentity(scope, `${providerId}-caller-identity`, {
    provider,
    lifecycle: {
      postcondition: [
        {
          condition: `\${startswith(self.arn, ${expected})}`,
          errorMessage:
            `The credentials of provider ${providerId} are \${self.arn}, not a session of the role \${var.${variable}} in account ${accountId} ` +
            `(variable ${variable}; deployment.roleName, or deployment.planRoleName for plan-only runs): the key and bucket policies exempt only that role, ` +
            `and KMS would refuse their updates (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key).`,
        },
      ],
    },
  });
}
