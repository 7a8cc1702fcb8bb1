/**
 * The audit account's delegation of an organization security service deleted or replaced, or the
 * management account's GuardDuty membership or Macie's organization configuration deleted.
 * `aws_guardduty_organization_admin_account`, `aws_securityhub_organization_admin_account`,
 * `aws_macie2_organization_admin_account`, `aws_organizations_delegated_administrator` (Config,
 * Access Analyzer, …), `aws_guardduty_member` and `aws_macie2_organization_configuration`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/guardduty_organization_admin_account, …).
 * Without the delegation the audit account no longer runs the service for the organization.
 */
import type { ControlDeclaration } from '../../modules/control-model/control';
import { ACCESS_ANALYZER, CONFIG_AGGREGATOR, GUARDDUTY_ORGANIZATION, MACIE_ORGANIZATION, SECURITY_HUB_ORGANIZATION } from '../../modules/security-services/controls';
import type { PlannedChange } from '../plan';
import { destroyRule } from './rule';

const BY_TYPE: Readonly<Record<string, ControlDeclaration>> = {
  aws_guardduty_organization_admin_account: GUARDDUTY_ORGANIZATION,
  aws_guardduty_member: GUARDDUTY_ORGANIZATION,
  aws_securityhub_organization_admin_account: SECURITY_HUB_ORGANIZATION,
  aws_macie2_organization_admin_account: MACIE_ORGANIZATION,
  aws_macie2_organization_configuration: MACIE_ORGANIZATION,
};

/** The service a delegated administrator serves, by its `service_principal`. */
const BY_PRINCIPAL: Readonly<Record<string, ControlDeclaration>> = {
  'access-analyzer.amazonaws.com': ACCESS_ANALYZER,
  'config.amazonaws.com': CONFIG_AGGREGATOR,
  'config-multiaccountsetup.amazonaws.com': CONFIG_AGGREGATOR,
  'guardduty.amazonaws.com': GUARDDUTY_ORGANIZATION,
  'securityhub.amazonaws.com': SECURITY_HUB_ORGANIZATION,
  'macie.amazonaws.com': MACIE_ORGANIZATION,
};

const ALL = [GUARDDUTY_ORGANIZATION, SECURITY_HUB_ORGANIZATION, MACIE_ORGANIZATION, ACCESS_ANALYZER, CONFIG_AGGREGATOR];

function delegationControlsOf(change: PlannedChange): readonly ControlDeclaration[] {
  const principal = (change.before ?? change.after ?? {}).service_principal;
  const control = typeof principal === 'string' ? BY_PRINCIPAL[principal] : BY_TYPE[change.type];
  return control ? [control] : ALL;
}

export const SECURITY_DELEGATION_REMOVED = destroyRule({
  id: 'security-delegation-removed',
  title: 'A security service\'s delegated administrator, GuardDuty membership or Macie organization configuration is deleted or replaced',
  controls: ALL,
  controlsFor: delegationControlsOf,
  resourceTypes: [
    'aws_organizations_delegated_administrator',
    'aws_guardduty_organization_admin_account',
    'aws_securityhub_organization_admin_account',
    'aws_macie2_organization_admin_account',
    'aws_guardduty_member',
    'aws_macie2_organization_configuration',
  ],
  what: 'the delegation or organization membership',
  why: 'the audit account stops running the service for the organization (or for the management account)',
});
