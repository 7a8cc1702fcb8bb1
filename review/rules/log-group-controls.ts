/**
 * The controls of a log group: the alarm history record (`/<prefix>/alarm-history`,
 * modules/alerting/alarm-history.ts, config/naming.ts `alarmHistoryLogGroupName`) serves the central
 * alert routing; the others, the trail's delivery to CloudWatch Logs.
 */
import { CENTRAL_ALERT_ROUTING } from '../../modules/alerting/controls';
import { TRAIL_CLOUDWATCH_LOGS } from '../../modules/cloudtrail/controls';
import { LOG_GROUP_RETENTION } from '../../modules/cloudwatch-logs/controls';
import type { PlannedChange } from '../plan';

export const ALARM_HISTORY_LOG_GROUP = /^\/[^/]+\/alarm-history$/;

export function isAlarmHistory(change: PlannedChange): boolean {
  const name = change.before?.name ?? change.after?.name;
  return typeof name === 'string' && ALARM_HISTORY_LOG_GROUP.test(name);
}

export const LOG_GROUP_CONTROLS = [TRAIL_CLOUDWATCH_LOGS, LOG_GROUP_RETENTION, CENTRAL_ALERT_ROUTING];

export const logGroupControlsOf = (change: PlannedChange) => (isAlarmHistory(change) ? [CENTRAL_ALERT_ROUTING, LOG_GROUP_RETENTION] : [TRAIL_CLOUDWATCH_LOGS, LOG_GROUP_RETENTION]);
