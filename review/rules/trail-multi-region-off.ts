/**
 * A trail limited to one Region. `aws_cloudtrail.is_multi_region_trail`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#is_multi_region_trail):
 * defaults to `false`; CIS 3.1 and Security Hub CloudTrail.1 need it true.
 */
import { ACCOUNT_TRAILS, ORGANIZATION_TRAIL } from '../../modules/cloudtrail/controls';
import { turnedOffRule } from './rule';

export const TRAIL_MULTI_REGION_OFF = turnedOffRule({
  id: 'trail-multi-region-off',
  title: 'A trail stops covering every Region',
  controls: [ORGANIZATION_TRAIL, ACCOUNT_TRAILS],
  resourceTypes: ['aws_cloudtrail'],
  attribute: ['is_multi_region_trail'],
  providerDefault: false,
});
