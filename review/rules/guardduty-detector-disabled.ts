/**
 * A GuardDuty detector suspended. `aws_guardduty_detector.enable`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/guardduty_detector#enable):
 * "Enable monitoring and feedback reporting … Defaults to `true`".
 */
import { GUARDDUTY_ORGANIZATION } from '../../modules/security-services/controls';
import { turnedOffRule } from './rule';

export const GUARDDUTY_DETECTOR_DISABLED = turnedOffRule({
  id: 'guardduty-detector-disabled',
  title: 'A GuardDuty detector is suspended',
  controls: [GUARDDUTY_ORGANIZATION],
  resourceTypes: ['aws_guardduty_detector'],
  attribute: ['enable'],
  providerDefault: true,
});
