/**
 * What must be true before `management` can apply, checked at plan time so that a missing
 * prerequisite fails the plan with a message naming it, instead of an apply that half-succeeds:
 *
 * - The organization is the one the config names (id and root id), and the services whose
 *   organization-wide features the baseline uses have trusted access: an organization trail made
 *   through the API needs CloudTrail's ("Enabling trusted access with CloudTrail", CloudTrail User
 *   Guide, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-an-organizational-trail-prepare.html),
 *   and registering a delegated administrator needs the service's (Organizations API reference,
 *   RegisterDelegatedAdministrator: https://docs.aws.amazon.com/organizations/latest/APIReference/API_RegisterDelegatedAdministrator.html).
 *   GuardDuty, Security Hub and Macie enable their own trusted access when their administrator is
 *   designated, so they are not checked.
 * - Every log reader role exists: S3 and KMS refuse a policy whose principal does not exist
 *   ("Invalid principal in policy"; IAM User Guide, "AWS JSON policy elements: Principal":
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 *   Looked up with the provider of the reader's account when it is one of the three core accounts.
 * - Service control policies are an enabled policy type of the root, when the guardrails are on: SCPs
 *   must be enabled before a policy of that type can be created (Organizations API Reference,
 *   CreatePolicy: https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html).
 * - Resource control policies are an enabled policy type of the root, when the baseline creates RCPs
 *   (`guardrails.resourceControlPolicies`): as for SCPs, CreatePolicy needs the type enabled ("For
 *   instructions on enabling RCPs, see Enabling a policy type", Organizations User Guide, "Resource
 *   control policies (RCPs)": https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 * - IAM has trusted access, when the baseline turns on centralized root access
 *   (`guardrails.centralizedRootAccess`): "Before you enable centralized root access ... Enable trusted
 *   access for AWS Identity and Access Management in AWS Organizations" (IAM API Reference,
 *   EnableOrganizationsRootCredentialsManagement:
 *   https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOrganizationsRootCredentialsManagement.html;
 *   IAM User Guide: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management).
 * - Every OU the config's accounts name exists: an OU id among the organization's OUs, each name of an
 *   OU path among their names (the nesting of a path is not checked: the provider's list of OUs carries
 *   no parent). One read of every OU under the root (ListOrganizationalUnitsForParent, recursively),
 *   however many accounts name them.
 *
 * The organization is read once, for every check here and for the guardrails. The data source
 * (hashicorp/terraform-provider-aws, internal/service/organizations/organization_data_source.go) calls
 * DescribeOrganization (`id`, `feature_set`), then ListAccounts, paging through every account, then
 * ListRoots (`roots`, their `policy_types`) and, with all features, ListAWSServiceAccessForOrganization
 * (`aws_service_access_principals`). None of the checks needs the account list, but provider 6.25 has
 * no argument to skip it (the bindings, @cdktf/provider-aws for 6.25.0, have none); a later provider's
 * `return_organization_only` ("Return (as attributes) only the results of the DescribeOrganization API",
 * the data source's registry page) skips the roots and trusted-access reads as well, which the checks need.
 * So the accounts are listed once per plan, by this one read, where two reads listed them twice.
 */
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role';
import { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { DataAwsOrganizationsOrganizationalUnitDescendantOrganizationalUnits } from '@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit-descendant-organizational-units';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';

export interface OrganizationPrerequisitesProps {
  /** Provider of the management account. */
  readonly managementProvider: AwsProvider;
  readonly organizationId: string;
  readonly rootId: string;
  /** Service principals that must have trusted access in the organization. */
  readonly trustedAccess: readonly string[];
  /** Reader role ARN → the provider of its account (the core accounts'; readers elsewhere are not checked). */
  readonly readerRoles: ReadonlyMap<string, AwsProvider>;
  /**
   * Check that service control policies are an enabled policy type of the root (the guardrails create SCPs).
   * @default false
   */
  readonly serviceControlPolicies?: boolean;
  /**
   * Check that resource control policies are an enabled policy type of the root (the guardrails create RCPs).
   * @default false
   */
  readonly resourceControlPolicies?: boolean;
  /**
   * Check that IAM (`iam.amazonaws.com`) has trusted access, which centralized root access needs.
   * @default false
   */
  readonly centralizedRootAccess?: boolean;
  /**
   * The OUs that accounts name and that must exist: OU ids, and OU paths as their names. Each once,
   * whatever the number of accounts in it, so that adding an account to an existing OU changes
   * nothing here. The root is checked with the organization.
   * @default - none: the OUs are not read
   */
  readonly organizationalUnits?: readonly OrganizationalUnitCheck[];
}

/** An OU that must exist: an OU id (`ou-...`), or the OU names of a path from the root. */
export type OrganizationalUnitCheck = { readonly id: string } | { readonly names: readonly string[] };

function ouCondition(check: OrganizationalUnitCheck): { condition: string; errorMessage: string } {
  // The accounts are not named: the message would change with every account added to the OU.
  const who = 'members[].ou names (bin/baseline list shows which accounts)';
  if ('id' in check) {
    return {
      condition: `\${contains(self.children[*].id, "${check.id}")}`,
      errorMessage: `The organization has no OU ${check.id}, which ${who}: correct their ou (aws organizations list-organizational-units-for-parent lists the OU ids), or create the OU.`,
    };
  }
  const names = `[${check.names.map((n) => `"${n}"`).join(', ')}]`;
  return {
    condition: `\${alltrue([for name in ${names} : contains(self.children[*].name, name)])}`,
    errorMessage: `The organization has no OU named \${join(", ", [for name in ${names} : name if !contains(self.children[*].name, name)])}, of the OU path ${check.names.join('/')} that ${who}: correct the path, or create the OU (only the names are checked, not how they nest).`,
  };
}

export class OrganizationPrerequisites extends Construct {
  /** The one read of the organization; the guardrails' policies depend on it. */
  readonly organization: DataAwsOrganizationsOrganization;
  /** The one read of every OU, when accounts name OUs. */
  readonly organizationalUnits?: DataAwsOrganizationsOrganizationalUnitDescendantOrganizationalUnits;

  constructor(scope: Construct, id: string, props: OrganizationPrerequisitesProps) {
    super(scope, id);
    this.organization = new DataAwsOrganizationsOrganization(this, 'organization', {
      provider: props.managementProvider,
      lifecycle: {
        postcondition: [
          {
            // DescribeOrganization. The provider fills aws_service_access_principals only for an
            // organization with all features (organization_data_source.go).
            condition: '${self.feature_set == "ALL"}',
            errorMessage: 'The organization does not have all features enabled, which delegated administration and trusted access need: enable all features (AWS Organizations User Guide, "Enabling all features").',
          },
          {
            // DescribeOrganization.
            condition: `\${self.id == "${props.organizationId}"}`,
            errorMessage: `The management account's organization is not organization.id ${props.organizationId}: check organization.id and deployment credentials.`,
          },
          {
            // ListRoots.
            condition: `\${contains(self.roots[*].id, "${props.rootId}")}`,
            errorMessage: `The organization has no root ${props.rootId}: check organization.rootId (aws organizations list-roots).`,
          },
          // ListAWSServiceAccessForOrganization.
          ...props.trustedAccess.map((principal) => ({
            condition: `\${contains(self.aws_service_access_principals, "${principal}")}`,
            errorMessage: `Trusted access for ${principal} is not enabled in the organization: run "aws organizations enable-aws-service-access --service-principal ${principal}" from the management account (README, "Before the first apply").`,
          })),
          // ListAWSServiceAccessForOrganization: IAM's, for centralized root access.
          ...(props.centralizedRootAccess
            ? [
                {
                  condition: '${contains(self.aws_service_access_principals, "iam.amazonaws.com")}',
                  errorMessage: 'Trusted access for iam.amazonaws.com is not enabled in the organization, which guardrails.centralizedRootAccess needs: run "aws organizations enable-aws-service-access --service-principal iam.amazonaws.com" from the management account, or set guardrails.centralizedRootAccess.enabled: false with a reason (docs/guardrails.md, "Root access").',
                },
              ]
            : []),
          // ListRoots: each root's policy types and their status.
          ...(props.serviceControlPolicies
            ? [
                {
                  condition: `\${contains(flatten([for root in self.roots : [for t in root.policy_types : t.type if t.status == "ENABLED"]]), "SERVICE_CONTROL_POLICY")}`,
                  errorMessage: `Service control policies are not enabled in the organization, which guardrails need: run "aws organizations enable-policy-type --root-id ${props.rootId} --policy-type SERVICE_CONTROL_POLICY" from the management account, or set guardrails.enabled: false (docs/guardrails.md).`,
                },
              ]
            : []),
          ...(props.resourceControlPolicies
            ? [
                {
                  condition: `\${contains(flatten([for root in self.roots : [for t in root.policy_types : t.type if t.status == "ENABLED"]]), "RESOURCE_CONTROL_POLICY")}`,
                  errorMessage: `Resource control policies are not enabled in the organization, which guardrails.resourceControlPolicies needs: run "aws organizations enable-policy-type --root-id ${props.rootId} --policy-type RESOURCE_CONTROL_POLICY" from the management account, or set guardrails.resourceControlPolicies.enabled: false with a reason (docs/guardrails.md, "Resource control policies").`,
                },
              ]
            : []),
        ],
      },
    });
    const ous = props.organizationalUnits ?? [];
    if (ous.length > 0) {
      this.organizationalUnits = new DataAwsOrganizationsOrganizationalUnitDescendantOrganizationalUnits(this, 'organizational-units', {
        provider: props.managementProvider,
        parentId: props.rootId,
        // After the organization's own checks, so that a wrong root id is reported as such first.
        dependsOn: [this.organization],
        lifecycle: { postcondition: ous.map(ouCondition) },
      });
    }
    let i = 0;
    for (const [arn, provider] of props.readerRoles) {
      const name = arn.slice(arn.lastIndexOf('/') + 1);
      new DataAwsIamRole(this, `reader-role-${i++}`, {
        provider,
        name,
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.arn == "${arn}"}`,
              errorMessage: `logArchive.readerRoleArns: ${arn} does not exist with that path (found \${self.arn}); create it before applying management.`,
            },
          ],
        },
      });
    }
  }
}
