/**
 * Delegation from the management account: the audit account becomes the administrator of GuardDuty,
 * Security Hub and Macie in every governed Region (they are regional), and of AWS Config and IAM
 * Access Analyzer for the organization (Organizations delegations are global).
 *
 * Order matters: designating an administrator turns the service on in its account, after which
 * creating that account's detector or subscription fails as "already exists". So each service is
 * enabled in the audit account first (`after`), then delegated, then configured for the organization.
 */
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { Macie2Account } from '@cdktf/provider-aws/lib/macie2-account';
import { Macie2OrganizationAdminAccount } from '@cdktf/provider-aws/lib/macie2-organization-admin-account';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import type { TerraformResource } from 'cdktf';
// What cdktf's own `dependsOn` prop does with each dependency (not re-exported from the package root).
import { dependable } from 'cdktf/lib/tfExpression';
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

export type DelegatedService = 'guardDuty' | 'securityHub' | 'macie';

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

  /** Delegates `service` in `region` only after `enabled` (the service on in the audit account) exists. */
  after(service: DelegatedService, region: string, enabled: TerraformResource): void {
    const delegation = this[service].get(region);
    if (!delegation) throw new Error(`Delegation: ${service} is not delegated in ${region}`);
    delegation.dependsOn = [...(delegation.dependsOn ?? []), dependable(enabled)];
  }
}
