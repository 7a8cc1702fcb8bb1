/**
 * GuardDuty in the organization's management account, the one account GuardDuty makes an exception
 * of when it adds members. What AWS documents for it, and what this construct does about each:
 *
 * - The service-linked role. "The management account must have the GuardDuty service-linked role in
 *   order for the delegated administrator to be able to enable and manage GuardDuty in that account.
 *   You can enable GuardDuty in any region of the management account to create this role
 *   automatically." (GuardDuty User Guide, "Managing GuardDuty accounts with AWS Organizations",
 *   designating a delegated administrator, console step 2, in the guide's published source
 *   awsdocs/amazon-guardduty-user-guide, doc_source/guardduty_organizations.md; today's page is
 *   https://docs.aws.amazon.com/guardduty/latest/ug/delegated-admin-designate.html.) And: "If the
 *   AWS Organizations management account ever disables GuardDuty, the delegated GuardDuty
 *   administrator account can enable GuardDuty in the management account. However, it is required
 *   that the management account must have not explicitly deleted the Service-linked role permissions
 *   for GuardDuty." (GuardDuty User Guide, "Understanding the relationship between GuardDuty
 *   administrator account and member accounts",
 *   https://docs.aws.amazon.com/guardduty/latest/ug/administrator_member_relationships.html.)
 *   So `AWSServiceRoleForAmazonGuardDuty` is created here (IAM is global: once, no Region) unless the
 *   config says it already exists.
 * - GuardDuty on in the management account. "When you add an account as a GuardDuty member, it will
 *   automatically have GuardDuty enabled in that Region. There is an exception to the organization
 *   management account. Before the management account account [sic] gets added as a GuardDuty member,
 *   it must have GuardDuty enabled." (GuardDuty User Guide, "Adding members to the organization",
 *   https://docs.aws.amazon.com/guardduty/latest/ug/add-member-accounts-guardduty-organization.html.)
 *   `autoEnableOrganizationMembers = "ALL"` ("all accounts in the organization have GuardDuty enabled
 *   automatically", GuardDuty API Reference, UpdateOrganizationConfiguration) is not documented to
 *   make this exception, so it is not relied on: a detector is created here in every governed Region
 *   (where GuardDuty is delegated and auto-enabled for everyone else), with the management account's
 *   provider. Its `finding_publishing_frequency` is left unset: the provider marks it Computed "since
 *   GuardDuty member accounts inherit setting from master account" (terraform-provider-aws,
 *   internal/service/guardduty/detector.go); its protection plans come from the organization
 *   configuration, which CreateMembers applies.
 * - The membership. "When you use CreateMembers as an Organizations delegated administrator, GuardDuty
 *   applies your organization's auto-enable settings to the member accounts in this request,
 *   irrespective of the accounts being new or existing members." (GuardDuty API Reference,
 *   CreateMembers, https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateMembers.html.)
 *   So the audit account adds the management account as a member in every governed Region, after the
 *   organization configuration there and the management account's detector; CreateMembers is documented for an
 *   account that is already a member, so it is no conflict if auto-enable has made it one already.
 *
 * The provider's member read (internal/service/guardduty/member.go, resourceMemberRead) sets `invite`
 * to true for an Enabled member and `email` from GetMembers; `invite` is Optional, so an unset
 * `invite` would plan `true -> null`, whose update calls DisassociateMembers, and `email` is
 * ForceNew. Both are in `ignore_changes` (as for Macie, see macie-membership.ts): a later plan can
 * neither disassociate nor replace the membership. `invite` is never set, so Create calls
 * CreateMembers only (no invitation, as for every account of an Organizations administrator).
 */
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { GuarddutyMember } from '@cdktf/provider-aws/lib/guardduty-member';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct, type IConstruct } from 'constructs';
import { controlRecorder } from '../control-model/record';
import { GUARDDUTY_ORGANIZATION } from './controls';

/** The service GuardDuty's service-linked role trusts (GuardDuty User Guide, "Service-linked role permissions for GuardDuty"). */
export const GUARDDUTY_SERVICE_NAME = 'guardduty.amazonaws.com';

export interface GuardDutyManagementAccountProps {
  /** Provider of the management account: the service-linked role and the detectors. */
  readonly managementProvider: AwsProvider;
  /** Provider of the audit account (the delegated GuardDuty administrator): the memberships. */
  readonly auditProvider: AwsProvider;
  /** The organization's management account. */
  readonly managementAccountId: string;
  /** Its root email, as AWS Organizations has it (CreateMembers requires one per account). */
  readonly managementAccountEmail: string;
  /** Every governed Region: GuardDuty is delegated, and the organization auto-enabled, in each. */
  readonly regions: readonly string[];
  /** The Region the (global) service-linked role is recorded under in the control matrix. */
  readonly homeRegion: string;
  /** Region → the audit account's detector, which the membership is created on. */
  readonly administratorDetectors: ReadonlyMap<string, GuarddutyDetector>;
  /** Region → the audit account's organization configuration (after the delegation): the management account's detector, and so its membership, wait for it. */
  readonly organizationConfigurations: ReadonlyMap<string, IConstruct>;
  /**
   * Whether to create `AWSServiceRoleForAmazonGuardDuty` in the management account. False when it
   * exists already (GuardDuty was on there before, in any Region): IAM refuses to create it twice.
   * @default true
   */
  readonly createServiceLinkedRole?: boolean;
}

export class GuardDutyManagementAccount extends Construct {
  /** The service-linked role, when this construct creates it. */
  readonly serviceLinkedRole?: IamServiceLinkedRole;
  /** Region → GuardDuty on in the management account. */
  readonly detectors = new Map<string, GuarddutyDetector>();
  /** Region → the management account's membership, held by the audit account. */
  readonly members = new Map<string, GuarddutyMember>();

  constructor(scope: Construct, id: string, props: GuardDutyManagementAccountProps) {
    super(scope, id);
    validate(props);
    if (props.createServiceLinkedRole ?? true) {
      this.serviceLinkedRole = new IamServiceLinkedRole(this, 'service-linked-role', {
        provider: props.managementProvider,
        awsServiceName: GUARDDUTY_SERVICE_NAME,
      });
    }
    for (const region of props.regions) {
      // On once the organization is configured (delegated, auto-enable set), which is the configuration
      // that governs it as a member; the dependency is also the link checkov's CKV2_AWS_3 looks for
      // between a detector and an organization configuration.
      const organization = props.organizationConfigurations.get(region)!;
      const detector = new GuarddutyDetector(this, `detector-${region}`, {
        provider: props.managementProvider,
        region,
        enable: true,
        dependsOn: [...(this.serviceLinkedRole ? [this.serviceLinkedRole] : []), organization as never],
      });
      this.detectors.set(region, detector);
      const member = new GuarddutyMember(this, `member-${region}`, {
        provider: props.auditProvider,
        region,
        detectorId: props.administratorDetectors.get(region)!.id,
        accountId: props.managementAccountId,
        email: props.managementAccountEmail,
        lifecycle: { ignoreChanges: ['invite', 'email'] },
        dependsOn: [detector],
      });
      this.members.set(region, member);
      // The control covers the management account through its membership (as Macie's memberships do);
      // the audit account's detectors are the control's administrator side (guardduty.ts).
      const resources = region === props.homeRegion && this.serviceLinkedRole ? [member, this.serviceLinkedRole] : [member];
      controlRecorder(this, props.managementAccountId, region)(GUARDDUTY_ORGANIZATION, ...resources);
    }
  }
}

function validate(props: GuardDutyManagementAccountProps): void {
  const name = 'GuardDutyManagementAccount';
  if (!/^\d{12}$/.test(props.managementAccountId)) {
    throw new Error(`${name}: managementAccountId must be a 12-digit account id, got "${props.managementAccountId}"`);
  }
  if (!/^[^@\s]+@[^@\s]+$/.test(props.managementAccountEmail)) {
    throw new Error(`${name}: managementAccountEmail must be an email address, got "${props.managementAccountEmail}"`);
  }
  if (props.regions.length === 0) throw new Error(`${name}: regions must list at least one Region`);
  if (!props.regions.includes(props.homeRegion)) {
    throw new Error(`${name}: homeRegion ${props.homeRegion} is not one of regions (${props.regions.join(', ')})`);
  }
  for (const region of props.regions) {
    if (!props.administratorDetectors.has(region)) throw new Error(`${name}: administratorDetectors has no detector for ${region}`);
    if (!props.organizationConfigurations.has(region)) {
      throw new Error(`${name}: organizationConfigurations has nothing for ${region}`);
    }
  }
}
