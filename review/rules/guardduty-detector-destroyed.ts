/**
 * A GuardDuty detector or its findings export deleted or replaced. `aws_guardduty_detector` and
 * `aws_guardduty_publishing_destination`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/guardduty_detector): deleting a
 * detector deletes its findings.
 */
import { GUARDDUTY_ORGANIZATION } from '../../modules/security-services/controls';
import { destroyRule } from './rule';

export const GUARDDUTY_DETECTOR_DESTROYED = destroyRule({
  id: 'guardduty-detector-destroyed',
  title: 'A GuardDuty detector or its findings export is deleted or replaced',
  controls: [GUARDDUTY_ORGANIZATION],
  resourceTypes: ['aws_guardduty_detector', 'aws_guardduty_publishing_destination'],
  what: 'the GuardDuty detector (or its findings export)',
  why: 'threat detection stops in that Region and its existing findings are deleted with the detector',
});
