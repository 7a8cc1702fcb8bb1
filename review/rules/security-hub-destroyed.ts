/**
 * Security Hub, a standard's subscription or the configuration policy that enables the standards
 * organization-wide deleted or replaced. `aws_securityhub_account`, `aws_securityhub_standards_subscription`,
 * `aws_securityhub_configuration_policy` and `aws_securityhub_configuration_policy_association`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/securityhub_account, …).
 */
import { SECURITY_HUB_CIS, SECURITY_HUB_FSBP, SECURITY_HUB_ORGANIZATION } from '../../modules/security-services/controls';
import { destroyRule } from './rule';

export const SECURITY_HUB_DESTROYED = destroyRule({
  id: 'security-hub-destroyed',
  title: 'Security Hub or a standard subscription is deleted or replaced',
  controls: [SECURITY_HUB_ORGANIZATION, SECURITY_HUB_FSBP, SECURITY_HUB_CIS],
  resourceTypes: [
    'aws_securityhub_account',
    'aws_securityhub_standards_subscription',
    'aws_securityhub_configuration_policy',
    'aws_securityhub_configuration_policy_association',
  ],
  what: 'the Security Hub account, standard subscription or configuration policy',
  why: 'the standards\' controls stop being evaluated and their findings history is lost',
});
