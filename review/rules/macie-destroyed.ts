/**
 * Macie disabled in an account, or an account's membership removed. `aws_macie2_account` and
 * `aws_macie2_member` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/macie2_account):
 * destroying the account resource disables Macie and deletes its findings and jobs.
 */
import { MACIE_ORGANIZATION } from '../../modules/security-services/controls';
import { destroyRule } from './rule';

export const MACIE_DESTROYED = destroyRule({
  id: 'macie-destroyed',
  title: 'Macie or a Macie membership is deleted or replaced',
  controls: [MACIE_ORGANIZATION],
  resourceTypes: ['aws_macie2_account', 'aws_macie2_member'],
  what: 'the Macie account or membership',
  why: 'sensitive-data discovery stops for the account, and disabling Macie deletes its findings and jobs',
});
