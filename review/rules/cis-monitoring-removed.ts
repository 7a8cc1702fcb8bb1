/**
 * A CIS metric filter or alarm deleted or replaced. `aws_cloudwatch_log_metric_filter` and
 * `aws_cloudwatch_metric_alarm` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_metric_filter,
 * …/cloudwatch_metric_alarm): the baseline's filters and alarms are the CIS AWS Foundations section 4
 * monitoring controls, one filter and one alarm each.
 */
import { destroyRule } from './rule';
import { CIS_MONITORING_CONTROLS, cisControlsOf } from './cis-controls';

export const CIS_MONITORING_REMOVED = destroyRule({
  id: 'cis-monitoring-removed',
  title: 'A CIS metric filter or alarm is deleted or replaced',
  controls: CIS_MONITORING_CONTROLS,
  controlsFor: cisControlsOf,
  resourceTypes: ['aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_metric_alarm'],
  what: 'the CIS metric filter or alarm',
  why: 'the events it watches for raise no alarm until it exists again',
});
