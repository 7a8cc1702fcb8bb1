/**
 * The baseline's service control policies, created by the `management` stack (only the management
 * account manages SCPs) and attached to the organization root or the configured targets. The
 * statements (scp-statements.ts) are packed, in order, into as few policies as the size limit allows.
 *
 * Limits, from "Quotas and service limits for AWS Organizations"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html):
 * - "Maximum size of a policy document — Service control policies: 5,120 characters" (earlier
 *   revisions say "5,120 bytes"; our documents are ASCII, so the two are the same number). White
 *   space: "If you save the policy by using the AWS Management Console, extra white space ... between
 *   JSON elements and outside of quotation marks, is removed and not counted. If you save the policy
 *   using an SDK operation or the AWS CLI, then the policy is saved exactly as you provided": Terraform
 *   calls the API, so every character we send counts, and we send compact JSON (no white space
 *   outside strings at all).
 * - "Number of policies that you can attach to an entity — Service control policy: 5" per root, OU
 *   and account, and "Every entity must have at least one SCP attached": the FullAWSAccess policy
 *   AWS attaches holds one of the five unless replaced, leaving four. What else a target holds is
 *   read at plan time, and the attachments' precondition refuses a target without room for all of
 *   the baseline's (policy-quota.ts).
 * A later revision of that page raises both (10,240 characters, 10 SCPs per entity); the baseline
 * keeps to the figures above, so its policies fit an organization under either.
 *
 * Nothing here lists accounts: the documents are byte for byte the same for 5 accounts or 1,000
 * (a test asserts it), and attachments are per target (root or OU), not per account.
 */
import type { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import type { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import type { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { Construct } from 'constructs';
import { GUARDRAIL_SCPS } from './controls';
import type { BaselineConfig } from '../../config/schema';
import { guardrailPolicySet } from './policy-quota';
import { packStatements } from './policy-packing';
import { scpStatements, type GuardrailStatement } from './scp-statements';

/** Organizations quotas: the maximum size of an SCP document (see the file comment). */
export const SCP_MAX_CHARACTERS = 5120;

/** Organizations quotas: SCPs directly attached to one root, OU or account, FullAWSAccess included. */
export const SCPS_PER_TARGET = 5;

/** How many of those the baseline may use: FullAWSAccess keeps one. */
export const BASELINE_SCP_BUDGET = SCPS_PER_TARGET - 1;

/**
 * Packs statements, in order, into as few documents as fit `maxCharacters` each (policy-packing.ts, the
 * rule the resource control policies share). Fails when one statement alone is too large, or when more
 * documents are needed than a target can hold beside FullAWSAccess.
 */
export function packScps(statements: readonly GuardrailStatement[], maxCharacters = SCP_MAX_CHARACTERS, budget = BASELINE_SCP_BUDGET): string[] {
  // The bookkeeping field is ours, not IAM's.
  const plain = statements.map(({ duplicatedByControlTower: _unused, ...s }) => s);
  return packStatements(plain, { kind: 'SCP', maxCharacters, perTarget: budget + 1, defaultPolicyName: 'FullAWSAccess' });
}

export interface ServiceControlPoliciesProps {
  readonly config: BaselineConfig;
  /** Provider of the management account. */
  readonly provider: AwsProvider;
  /**
   * The stack's one read of the organization, whose postcondition checks that SCPs are an enabled
   * policy type of the root (OrganizationPrerequisites `serviceControlPolicies`): the policies wait for it.
   */
  readonly organization: DataAwsOrganizationsOrganization;
}

export class ServiceControlPolicies extends Construct {
  /** The documents, in order, as sent. */
  readonly documents: readonly string[];
  readonly policies: readonly OrganizationsPolicy[];
  readonly attachments: readonly OrganizationsPolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceControlPoliciesProps) {
    super(scope, id);
    const { config, provider, organization } = props;
    const prefix = config.organization.namePrefix;
    const targets = config.guardrails.targets ?? [config.organization.rootId];
    this.documents = packScps(scpStatements(config));
    ({ policies: this.policies, attachments: this.attachments } = guardrailPolicySet(this, {
      provider,
      organization,
      documents: this.documents,
      policyType: 'SERVICE_CONTROL_POLICY',
      // Each target must have room for all of them, FullAWSAccess and any other SCPs included, or the
      // plan stops naming the target (policy-quota.ts): no attachment is made before that is known.
      quota: SCPS_PER_TARGET,
      targets,
      targetsField: config.guardrails.targets ? 'guardrails.targets' : 'organization.rootId',
      name: (i) => `${prefix}-baseline-guardrails-${i}`,
      description: (i, n) => `SOC 2 baseline guardrails (${i}/${n}): only the pipeline and break-glass roles may weaken the baseline's logging (docs/guardrails.md)`,
    }));
    // Organizations is global; its API lives in us-east-1 (the provider's Region for it).
    controlRecorder(this, config.organization.managementAccountId, 'global')(GUARDRAIL_SCPS, ...this.policies, ...this.attachments);
  }
}
