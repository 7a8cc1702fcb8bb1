/**
 * The baseline's resource control policies (RCPs), created by the `management` stack (only the
 * management account, or a delegated administrator, manages organization policies) and attached where
 * the SCPs are: the organization root, or `guardrails.targets`. The statements (rcp-statements.ts) keep
 * principals outside the organization away from the log archive, the baseline's keys and the alert
 * route's queues, whatever a bucket, key or queue policy grants.
 *
 * Limits (Organizations User Guide, "Quotas and service limits for AWS Organizations":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html, and "Resource
 * control policies (RCPs)", "Maximum size of RCPs":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-size-limit):
 * an RCP document holds at most 5,120 characters, and a root, OU or account holds at most 5 RCPs, of
 * which `RCPFullAWSAccess` ("automatically attached to the organization root, every OU, and every
 * account ... You cannot detach this policy", "RCP syntax":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html) keeps
 * one. RCPs count against their own quota, not the SCPs'. Packed like the SCPs (policy-packing.ts).
 *
 * Nothing here lists accounts: the documents are the same for 5 accounts or 1,000, and attachments
 * are per target.
 */
import type { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import type { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import type { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { controlRecorder } from '../control-model/record';
import { GUARDRAIL_RCPS } from './controls';
import { packStatements, type PackingLimits } from './policy-packing';
import { guardrailPolicySet } from './policy-quota';
import { rcpStatements } from './rcp-statements';

/** Organizations quotas: the maximum size of an RCP document (see the file comment). */
export const RCP_MAX_CHARACTERS = 5120;

/** Organizations quotas: RCPs directly attached to one root, OU or account, RCPFullAWSAccess included. */
export const RCPS_PER_TARGET = 5;

export const RCP_LIMITS: PackingLimits = {
  kind: 'RCP',
  maxCharacters: RCP_MAX_CHARACTERS,
  perTarget: RCPS_PER_TARGET,
  defaultPolicyName: 'RCPFullAWSAccess',
};

/** The documents, as sent to Organizations. */
export function rcpDocuments(config: BaselineConfig): string[] {
  return packStatements(rcpStatements(config), RCP_LIMITS);
}

export interface ResourceControlPoliciesProps {
  readonly config: BaselineConfig;
  /** Provider of the management account. */
  readonly provider: AwsProvider;
  /**
   * The stack's one read of the organization, whose postcondition checks that RCPs are an enabled
   * policy type of the root (OrganizationPrerequisites `resourceControlPolicies`): the policies wait for it.
   */
  readonly organization: DataAwsOrganizationsOrganization;
}

export class ResourceControlPolicies extends Construct {
  readonly documents: readonly string[];
  readonly policies: readonly OrganizationsPolicy[];
  readonly attachments: readonly OrganizationsPolicyAttachment[];

  constructor(scope: Construct, id: string, props: ResourceControlPoliciesProps) {
    super(scope, id);
    const { config, provider, organization } = props;
    const prefix = config.organization.namePrefix;
    const targets = config.guardrails.targets ?? [config.organization.rootId];
    this.documents = rcpDocuments(config);
    ({ policies: this.policies, attachments: this.attachments } = guardrailPolicySet(this, {
      provider,
      organization,
      documents: this.documents,
      policyType: 'RESOURCE_CONTROL_POLICY',
      // Attached only where every target has room for the whole set beside the RCPs already there:
      // checked at plan time, per target (policy-quota.ts).
      quota: RCPS_PER_TARGET,
      targets,
      targetsField: config.guardrails.targets ? 'guardrails.targets' : 'organization.rootId',
      name: (i) => `${prefix}-baseline-resource-perimeter-${i}`,
      description: (i, n) =>
        `SOC 2 baseline resource perimeter (${i}/${n}): only the organization and AWS services acting for it reach the log archive, the baseline's keys and alert queues (docs/guardrails.md)`,
    }));
    controlRecorder(this, config.organization.managementAccountId, 'global')(GUARDRAIL_RCPS, ...this.policies, ...this.attachments);
  }
}
