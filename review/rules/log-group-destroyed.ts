/**
 * A CloudWatch Logs group deleted or replaced. `aws_cloudwatch_log_group`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group): deleting
 * it deletes its events, and the CIS metric filters on it stop counting; the alarm history record loses
 * the alarms' past state changes.
 */
import { LOG_GROUP_CONTROLS, logGroupControlsOf } from './log-group-controls';
import { destroyRule } from './rule';

export const LOG_GROUP_DESTROYED = destroyRule({
  id: 'log-group-destroyed',
  title: 'A log group is deleted or replaced',
  controls: LOG_GROUP_CONTROLS,
  controlsFor: logGroupControlsOf,
  resourceTypes: ['aws_cloudwatch_log_group'],
  what: 'the log group',
  why: 'its log events are deleted with it, and the metric filters and alarms on it see nothing',
});
