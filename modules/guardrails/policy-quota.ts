/**
 * Attaching an organization policy set (the baseline's SCPs, or its RCPs) to its targets only when every
 * target has room for all of it, checked at plan time.
 *
 * "Number of policies that you can attach to an entity": 5 SCPs and 5 RCPs per root, OU and account,
 * the AWS managed FullAWSAccess / RCPFullAWSAccess included (Organizations User Guide, "Quotas and
 * service limits for AWS Organizations":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html). Attachments are
 * separate resources: without a check, a target that already holds other policies takes the first of
 * the baseline's and refuses the next (ConstraintViolationException,
 * POLICY_NUMBER_LIMIT_EXCEEDED), leaving the set half attached.
 *
 * So each target's attached policies of the type are read with the data source
 * `aws_organizations_policies_for_target` (Terraform AWS provider 6, arguments `target_id` and `filter`,
 * attribute `ids`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/organizations_policies_for_target,
 * source internal/service/organizations/policies_for_target_data_source.go, ListPoliciesForTarget), and
 * every attachment carries a precondition (Terraform language, "Custom conditions", preconditions:
 * https://developer.hashicorp.com/terraform/language/expressions/custom-conditions#preconditions-and-postconditions):
 *
 *     length(setsubtract(<attached ids>, [<the set's policy ids>])) + <size of the set> <= <quota>
 *
 * i.e. the policies attached that are not the set's, plus the whole set. On the first apply the set's
 * ids are unknown at plan time and Terraform checks the condition when they are known, before it
 * creates the attachment; every attachment depends on every policy of the set, so none is made before
 * all ids are known and the check can run. On later plans the set's own attachments are subtracted, so
 * re-planning an applied set passes.
 */
import { DataAwsOrganizationsPoliciesForTarget } from '@cdktf/provider-aws/lib/data-aws-organizations-policies-for-target';
import type { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';

/** Organizations' quotas page, named in the error message. */
export const ORGANIZATIONS_QUOTAS_URL = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html';

export interface AttachWithinQuotaProps {
  /** Provider of the management account. */
  readonly provider: AwsProvider;
  /** The policies of the set, all attached to every target. */
  readonly policies: readonly OrganizationsPolicy[];
  /** Root, OU or account ids. */
  readonly targets: readonly string[];
  /** The `filter` of ListPoliciesForTarget: the policies' type. */
  readonly policyType: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  /** Policies of that type one target may hold directly, the AWS managed one included. */
  readonly quota: number;
  /** The config field the targets come from, for the error message (e.g. `guardrails.targets`). */
  readonly targetsField: string;
}

export interface QuotaCheckedAttachments {
  readonly attachments: readonly OrganizationsPolicyAttachment[];
  /** The read of each target's attached policies, by target id. */
  readonly attached: ReadonlyMap<string, DataAwsOrganizationsPoliciesForTarget>;
}

/** The condition, as an HCL expression (without `${}`), over Terraform addresses. */
export function quotaCondition(attachedIdsAddress: string, policyIdAddresses: readonly string[], quota: number): string {
  return `length(setsubtract(${attachedIdsAddress}, [${policyIdAddresses.join(', ')}])) + ${policyIdAddresses.length} <= ${quota}`;
}

/**
 * One attachment per policy and target (logical ids `attachment-<n>-<target>`, n from 1), each with the
 * quota precondition of its target, and one read per target (`attached-<target>`).
 */
export function attachWithinQuota(scope: Construct, props: AttachWithinQuotaProps): QuotaCheckedAttachments {
  const { provider, policies, targets, policyType, quota } = props;
  if (policies.length > quota) {
    throw new Error(`${props.targetsField}: ${policies.length} ${policyType} documents cannot fit a target that holds ${quota} (${ORGANIZATIONS_QUOTAS_URL})`);
  }
  const attached = new Map<string, DataAwsOrganizationsPoliciesForTarget>();
  const attachments: OrganizationsPolicyAttachment[] = [];
  const policyIds = policies.map((p) => `${p.terraformResourceType}.${p.friendlyUniqueId}.id`);
  for (const target of targets) {
    const read = new DataAwsOrganizationsPoliciesForTarget(scope, `attached-${target}`, { provider, targetId: target, filter: policyType });
    attached.set(target, read);
    const attachedIds = `data.${read.terraformResourceType}.${read.friendlyUniqueId}.ids`;
    const others = `length(setsubtract(${attachedIds}, [${policyIds.join(', ')}]))`;
    const precondition = {
      condition: `\${${quotaCondition(attachedIds, policyIds, quota)}}`,
      errorMessage:
        `${props.targetsField}: target ${target} already holds \${${others}} ${policyType} policies that are not the baseline's, and the baseline's ${policies.length} ` +
        `would make more than the ${quota} a root, OU or account can hold (${ORGANIZATIONS_QUOTAS_URL}): detach one, or attach the baseline's to another target.`,
    };
    policies.forEach((policy, i) =>
      attachments.push(
        new OrganizationsPolicyAttachment(scope, `attachment-${i + 1}-${target}`, {
          provider,
          policyId: policy.id,
          targetId: target,
          dependsOn: [...policies, read],
          lifecycle: { precondition: [precondition] },
        }),
      ),
    );
  }
  return { attachments, attached };
}

export interface GuardrailPolicySetProps {
  readonly provider: AwsProvider;
  /** The stack's one read of the organization, whose postconditions check the policy type is enabled. */
  readonly organization: DataAwsOrganizationsOrganization;
  /** The packed documents, in order (policy-packing.ts). */
  readonly documents: readonly string[];
  readonly policyType: AttachWithinQuotaProps['policyType'];
  readonly quota: number;
  readonly targets: readonly string[];
  readonly targetsField: string;
  /** Policy `i` (from 1) of `n`: its name and description. */
  readonly name: (i: number) => string;
  readonly description: (i: number, n: number) => string;
}

/**
 * The baseline's policies of one Organizations type: one `OrganizationsPolicy` per document (logical ids
 * `policy-<i>`), each waiting for the organization's read, whose postcondition checks the type is an
 * enabled policy type of the root, "a prerequisite for creating a policy of that type" (Organizations API
 * Reference, CreatePolicy: https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html),
 * so the plan stops with the command to run instead of the apply failing half-way; then attached to every
 * target within its quota (attachWithinQuota). Shared by the SCPs and the RCPs.
 */
export function guardrailPolicySet(scope: Construct, props: GuardrailPolicySetProps): { readonly policies: readonly OrganizationsPolicy[]; readonly attachments: readonly OrganizationsPolicyAttachment[] } {
  const n = props.documents.length;
  const policies = props.documents.map(
    (content, i) =>
      new OrganizationsPolicy(scope, `policy-${i + 1}`, {
        provider: props.provider,
        name: props.name(i + 1),
        description: props.description(i + 1, n),
        type: props.policyType,
        content,
        dependsOn: [props.organization],
      }),
  );
  const { attachments } = attachWithinQuota(scope, {
    provider: props.provider,
    policies,
    targets: props.targets,
    policyType: props.policyType,
    quota: props.quota,
    targetsField: props.targetsField,
  });
  return { policies, attachments };
}
