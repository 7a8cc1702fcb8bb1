/**
 * The organization trail narrowed to one account. `aws_cloudtrail.is_organization_trail`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#is_organization_trail):
 * defaults to `false`; false stops recording the member accounts' events.
 */
import { ORGANIZATION_TRAIL } from '../../modules/cloudtrail/controls';
import { turnedOffRule } from './rule';

export const TRAIL_ORGANIZATION_OFF = turnedOffRule({
  id: 'trail-organization-off',
  title: 'The organization trail stops recording the member accounts',
  controls: [ORGANIZATION_TRAIL],
  resourceTypes: ['aws_cloudtrail'],
  attribute: ['is_organization_trail'],
  providerDefault: false,
});
