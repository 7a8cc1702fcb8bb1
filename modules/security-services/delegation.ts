/**
 * Delegation from the management account: the audit account becomes the administrator of GuardDuty,
 * Security Hub and Macie in every governed Region (they are regional), and of AWS Config and IAM
 * Access Analyzer for the organization (Organizations delegations are global).
 */
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { Macie2Account } from '@cdktf/provider-aws/lib/macie2-account';
import { Macie2OrganizationAdminAccount } from '@cdktf/provider-aws/lib/macie2-organization-admin-account';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import { Construct } from 'constructs';

export interface DelegationProps {
  /** Provider of the management account. */
  readonly provider: AwsProvider;
  readonly auditAccountId: string;
  readonly regions: readonly string[];
}

/** Organizations service principals delegated to the audit account (global, once each). */
export const DELEGATED_SERVICE_PRINCIPALS = [
  'config.amazonaws.com',
  'config-multiaccountsetup.amazonaws.com',
  'access-analyzer.amazonaws.com',
] as const;

export class Delegation extends Construct {
  readonly guardDuty = new Map<string, GuarddutyOrganizationAdminAccount>();
  readonly securityHub = new Map<string, SecurityhubOrganizationAdminAccount>();
  readonly macie = new Map<string, Macie2OrganizationAdminAccount>();
  readonly organizations = new Map<string, OrganizationsDelegatedAdministrator>();

  constructor(scope: Construct, id: string, props: DelegationProps) {
    super(scope, id);
    const admin = { adminAccountId: props.auditAccountId };
    for (const region of props.regions) {
      const regional = { provider: props.provider, region };
      this.guardDuty.set(region, new GuarddutyOrganizationAdminAccount(this, `guardduty-${region}`, { ...regional, ...admin }));
      this.securityHub.set(region, new SecurityhubOrganizationAdminAccount(this, `securityhub-${region}`, { ...regional, ...admin }));
      // Macie designates a delegated administrator only from a management account where Macie is on.
      const macieHere = new Macie2Account(this, `macie-management-${region}`, { ...regional, status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES' });
      this.macie.set(
        region,
        new Macie2OrganizationAdminAccount(this, `macie-${region}`, { ...regional, ...admin, dependsOn: [macieHere] }),
      );
    }
    for (const principal of DELEGATED_SERVICE_PRINCIPALS) {
      this.organizations.set(
        principal,
        new OrganizationsDelegatedAdministrator(this, principal.split('.')[0], {
          provider: props.provider,
          accountId: props.auditAccountId,
          servicePrincipal: principal,
        }),
      );
    }
  }
}
