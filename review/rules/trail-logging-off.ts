/**
 * A trail's logging stopped. `aws_cloudtrail.enable_logging`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#enable_logging):
 * "Enables logging for the trail. Defaults to `true`" — false calls StopLogging.
 */
import { ACCOUNT_TRAILS, ORGANIZATION_TRAIL } from '../../modules/cloudtrail/controls';
import { turnedOffRule } from './rule';

export const TRAIL_LOGGING_OFF = turnedOffRule({
  id: 'trail-logging-off',
  title: 'A trail stops logging',
  controls: [ORGANIZATION_TRAIL, ACCOUNT_TRAILS],
  resourceTypes: ['aws_cloudtrail'],
  attribute: ['enable_logging'],
  providerDefault: true,
});
