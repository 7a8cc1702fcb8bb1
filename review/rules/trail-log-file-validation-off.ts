/**
 * A trail's log file integrity validation turned off. `aws_cloudtrail.enable_log_file_validation`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#enable_log_file_validation):
 * defaults to `false`; without it no digest files prove the logs unmodified (CIS 3.2, CloudTrail.4).
 */
import { LOG_FILE_VALIDATION } from '../../modules/cloudtrail/controls';
import { turnedOffRule } from './rule';

export const TRAIL_LOG_FILE_VALIDATION_OFF = turnedOffRule({
  id: 'trail-log-file-validation-off',
  title: 'A trail stops signing its log files (log file validation)',
  controls: [LOG_FILE_VALIDATION],
  resourceTypes: ['aws_cloudtrail'],
  attribute: ['enable_log_file_validation'],
  providerDefault: false,
});
