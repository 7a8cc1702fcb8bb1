/**
 * A CIS metric filter's pattern, log group or metric changed. `aws_cloudwatch_log_metric_filter`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_metric_filter):
 * `pattern`, `log_group_name`, `metric_transformation` (`name`, `namespace`, `value`). The CIS patterns
 * are checked verbatim by Security Hub and Prowler, so any change needs a review.
 */
import type { PlannedChange } from '../plan';
import { comparesValues, show, stableJson, unknownAfter } from '../values';
import { CIS_MONITORING_CONTROLS, cisControlsOf } from './cis-controls';
import { defineRule } from './rule';

const WATCHED = ['pattern', 'log_group_name', 'metric_transformation'] as const;

export const CIS_METRIC_FILTER_CHANGED = defineRule({
  id: 'cis-metric-filter-changed',
  title: 'A CIS metric filter\'s pattern or metric is changed',
  controls: CIS_MONITORING_CONTROLS,
  controlsFor: cisControlsOf,
  resourceTypes: ['aws_cloudwatch_log_metric_filter'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    return WATCHED.flatMap((attribute) => {
      if (unknownAfter(change, [attribute])) return [`${attribute}: known only after apply`];
      const before = change.before![attribute];
      const after = change.after?.[attribute];
      return stableJson(before ?? null) === stableJson(after ?? null) ? [] : [`${attribute}: ${show(before)} → ${show(after)}`];
    });
  },
});
