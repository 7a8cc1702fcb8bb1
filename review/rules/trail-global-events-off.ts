/**
 * A trail stops recording global service events (IAM, STS, CloudFront). `aws_cloudtrail.include_global_service_events`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#include_global_service_events):
 * defaults to `true`.
 */
import { ORGANIZATION_TRAIL } from '../../modules/cloudtrail/controls';
import { turnedOffRule } from './rule';

export const TRAIL_GLOBAL_EVENTS_OFF = turnedOffRule({
  id: 'trail-global-events-off',
  title: 'A trail stops recording global service events',
  controls: [ORGANIZATION_TRAIL],
  resourceTypes: ['aws_cloudtrail'],
  attribute: ['include_global_service_events'],
  providerDefault: true,
});
