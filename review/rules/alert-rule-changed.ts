/**
 * An alert route's EventBridge rule disabled or its pattern changed, or a target redirected.
 * `aws_cloudwatch_event_rule.state` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_event_rule#state):
 * "ENABLED" (the default), "DISABLED" or "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"; the deprecated
 * `is_enabled` (default true); `event_pattern`, a JSON string. `aws_cloudwatch_event_target`
 * (…/cloudwatch_event_target): `arn`, `dead_letter_config`, `input`, `input_path`, `input_transformer`,
 * `role_arn`. A disabled rule or a pattern that no longer matches silently drops every alert.
 */
import { FINDINGS_ALERTING, CENTRAL_ALERT_ROUTING, ROUTE_WATCHDOGS } from '../../modules/alerting/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { comparesValues, show, stableJson, unknownAfter } from '../values';
import { defineRule } from './rule';

const TARGET_WATCHED = ['arn', 'dead_letter_config', 'input', 'input_path', 'input_transformer', 'role_arn', 'event_bus_name'] as const;

/** An event pattern as JSON, whatever its key order or spacing. */
function pattern(value: JsonValue | undefined): string {
  if (typeof value !== 'string') return stableJson(value ?? null);
  try {
    return stableJson(JSON.parse(value));
  } catch {
    return value;
  }
}

function ruleFindings(change: PlannedChange): string[] {
  const before = change.before!;
  const after = change.after ?? {};
  const found: string[] = [];
  const enabled = (state: JsonValue | undefined) => state === null || state === undefined || state === 'ENABLED' || state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  if (enabled(before.state)) {
    if (unknownAfter(change, ['state'])) found.push('state: known only after apply');
    else if (!enabled(after.state)) found.push(`state: ${show(before.state)} → ${show(after.state)}`);
  }
  if (before.is_enabled !== false && after.is_enabled === false) found.push(`is_enabled: ${show(before.is_enabled)} → false`);
  if (unknownAfter(change, ['event_pattern'])) found.push('event_pattern: known only after apply');
  else if (pattern(before.event_pattern) !== pattern(after.event_pattern)) found.push(`event_pattern: ${show(before.event_pattern)} → ${show(after.event_pattern)}`);
  return found;
}

function targetFindings(change: PlannedChange): string[] {
  return TARGET_WATCHED.flatMap((attribute) => {
    if (unknownAfter(change, [attribute])) return [`${attribute}: known only after apply`];
    const before = orNull(change.before![attribute]);
    const after = orNull(change.after?.[attribute]);
    return stableJson(before) === stableJson(after) ? [] : [`${attribute}: ${show(before)} → ${show(after)}`];
  });
}

/** Unset, an empty string and an empty block list all mean the attribute is not set. */
const orNull = (v: JsonValue | undefined): JsonValue => (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? null : v);

export const ALERT_RULE_CHANGED = defineRule({
  id: 'alert-rule-changed',
  title: "An alert route's rule is disabled or its pattern changed, or a target redirected",
  controls: [CENTRAL_ALERT_ROUTING, FINDINGS_ALERTING, ROUTE_WATCHDOGS],
  resourceTypes: ['aws_cloudwatch_event_rule', 'aws_cloudwatch_event_target'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    return change.type === 'aws_cloudwatch_event_rule' ? ruleFindings(change) : targetFindings(change);
  },
});
