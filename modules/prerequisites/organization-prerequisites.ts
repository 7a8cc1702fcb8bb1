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
 */
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role';
import { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
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
}

export class OrganizationPrerequisites extends Construct {
  readonly organization: DataAwsOrganizationsOrganization;

  constructor(scope: Construct, id: string, props: OrganizationPrerequisitesProps) {
    super(scope, id);
    this.organization = new DataAwsOrganizationsOrganization(this, 'organization', {
      provider: props.managementProvider,
      lifecycle: {
        postcondition: [
          {
            // The provider fills aws_service_access_principals only for an organization with all
            // features (internal/service/organizations/organization_data_source.go).
            condition: '${self.feature_set == "ALL"}',
            errorMessage: 'The organization does not have all features enabled, which delegated administration and trusted access need: enable all features (AWS Organizations User Guide, "Enabling all features").',
          },
          {
            condition: `\${self.id == "${props.organizationId}"}`,
            errorMessage: `The management account's organization is not organization.id ${props.organizationId}: check organization.id and deployment credentials.`,
          },
          {
            condition: `\${contains(self.roots[*].id, "${props.rootId}")}`,
            errorMessage: `The organization has no root ${props.rootId}: check organization.rootId (aws organizations list-roots).`,
          },
          ...props.trustedAccess.map((principal) => ({
            condition: `\${contains(self.aws_service_access_principals, "${principal}")}`,
            errorMessage: `Trusted access for ${principal} is not enabled in the organization: run "aws organizations enable-aws-service-access --service-principal ${principal}" from the management account (README, "Before the first apply").`,
          })),
        ],
      },
    });
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
