/**
 * Centralized root access for member accounts (IAM User Guide, "Centrally manage root access for
 * member accounts": https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management),
 * switched on by the `management` stack with `aws_iam_organizations_features` (Terraform AWS provider,
 * internal/service/iam/organizations_features.go; registry page "aws_iam_organizations_features":
 * `enabled_features`, any of `RootCredentialsManagement`, `RootSessions`, the values of the IAM API's
 * EnableOrganizationsRootCredentialsManagement / EnableOrganizationsRootSessions:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOrganizationsRootCredentialsManagement.html).
 *
 * - RootCredentialsManagement: the management account (or IAM's delegated administrator) can delete a
 *   member's root password, access keys, signing certificates and MFA devices, and "new accounts you
 *   create in Organizations have no root user credentials by default".
 * - RootSessions: the management account can run privileged root tasks in a member account through
 *   short-term `sts:AssumeRoot` sessions, which CloudTrail records (IAM User Guide, "Track privileged
 *   tasks in AWS CloudTrail": https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html).
 * Both need trusted access for IAM (`iam.amazonaws.com`) in Organizations, checked at plan time by
 * OrganizationPrerequisites (`centralizedRootAccess`). Existing root credentials are not deleted by
 * this resource: deleting them is an operator's step (docs/guardrails.md, "Root access").
 */
import type { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { IamOrganizationsFeatures } from '@cdktf/provider-aws/lib/iam-organizations-features';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { controlRecorder } from '../control-model/record';
import { CENTRALIZED_ROOT_ACCESS } from './controls';

/** The features, in the API's spelling (EnableOrganizationsRootCredentialsManagement, "EnabledFeatures"). */
export const ROOT_ACCESS_FEATURES = ['RootCredentialsManagement', 'RootSessions'] as const;

export interface CentralizedRootAccessProps {
  readonly config: BaselineConfig;
  /** Provider of the management account: only it may enable the features (the API's CallerIsNotManagementAccount error). */
  readonly provider: AwsProvider;
  /** The organization's read whose postcondition checks IAM's trusted access: the features wait for it. */
  readonly organization: DataAwsOrganizationsOrganization;
}

export class CentralizedRootAccess extends Construct {
  readonly features: IamOrganizationsFeatures;

  constructor(scope: Construct, id: string, props: CentralizedRootAccessProps) {
    super(scope, id);
    this.features = new IamOrganizationsFeatures(this, 'features', {
      provider: props.provider,
      enabledFeatures: [...ROOT_ACCESS_FEATURES],
      dependsOn: [props.organization],
    });
    controlRecorder(this, props.config.organization.managementAccountId, 'global')(CENTRALIZED_ROOT_ACCESS, this.features);
  }
}
