/**
 * A log group keeps its events for less time. `aws_cloudwatch_log_group.retention_in_days`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group#retention_in_days):
 * 0 (the default) keeps events forever, so 0 → N shortens the retention too.
 */
import { CENTRAL_ALERT_ROUTING } from '../../modules/alerting/controls';
import { LOG_GROUP_RETENTION } from '../../modules/cloudwatch-logs/controls';
import type { PlannedChange } from '../plan';
import { comparesValues, unknownAfter } from '../values';
import { isAlarmHistory } from './log-group-controls';
import { defineRule } from './rule';

const keptDays = (value: unknown) => (typeof value === 'number' && value > 0 ? value : Infinity);
const describe = (days: number) => (days === Infinity ? 'never expire' : `${days} days`);

export const LOG_GROUP_RETENTION_SHORTENED = defineRule({
  id: 'log-group-retention-shortened',
  title: 'A log group\'s retention is shortened',
  controls: [LOG_GROUP_RETENTION, CENTRAL_ALERT_ROUTING],
  // The alarm history record (log-group-controls.ts) keeps the alarms' state changes for the audit period.
  controlsFor: (change) => (isAlarmHistory(change) ? [LOG_GROUP_RETENTION, CENTRAL_ALERT_ROUTING] : [LOG_GROUP_RETENTION]),
  resourceTypes: ['aws_cloudwatch_log_group'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    const before = keptDays(change.before!.retention_in_days);
    if (unknownAfter(change, ['retention_in_days'])) return ['retention_in_days: known only after apply'];
    const after = keptDays(change.after?.retention_in_days);
    return after < before ? [`retention_in_days: ${describe(before)} → ${describe(after)}`] : [];
  },
});
