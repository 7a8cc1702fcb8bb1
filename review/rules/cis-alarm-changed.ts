/**
 * A CIS alarm's threshold, metric, evaluation or actions changed. `aws_cloudwatch_metric_alarm`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_metric_alarm):
 * `threshold`, `comparison_operator`, `evaluation_periods`, `period`, `statistic`, `metric_name`,
 * `namespace`, `metric_query`, `alarm_actions`, `actions_enabled`. CIS 4.x asks for an alarm on each
 * filter's metric with an SNS action; changing any of these can silence it.
 */
import type { PlannedChange } from '../plan';
import { comparesValues, show, stableJson, unknownAfter } from '../values';
import { CIS_MONITORING_CONTROLS, cisControlsOf } from './cis-controls';
import { defineRule } from './rule';

const WATCHED = [
  'threshold',
  'comparison_operator',
  'evaluation_periods',
  'period',
  'statistic',
  'metric_name',
  'namespace',
  'metric_query',
  'alarm_actions',
  'actions_enabled',
] as const;

export const CIS_ALARM_CHANGED = defineRule({
  id: 'cis-alarm-changed',
  title: 'A CIS alarm\'s threshold, metric or actions are changed',
  controls: CIS_MONITORING_CONTROLS,
  controlsFor: cisControlsOf,
  resourceTypes: ['aws_cloudwatch_metric_alarm'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    return WATCHED.flatMap((attribute) => {
      if (unknownAfter(change, [attribute])) return [`${attribute}: known only after apply`];
      const before = change.before![attribute];
      const after = change.after?.[attribute];
      // A set attribute (alarm_actions) may come in any order.
      const same = (a: unknown, b: unknown) =>
        Array.isArray(a) && Array.isArray(b) ? stableJson([...a].map(stableJson).sort()) === stableJson([...b].map(stableJson).sort()) : stableJson(a ?? null) === stableJson(b ?? null);
      return same(before, after) ? [] : [`${attribute}: ${show(before)} → ${show(after)}`];
    });
  },
});
