/**
 * An alert topic's subscription filtered, redirected or made raw. `aws_sns_topic_subscription`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic_subscription):
 * `filter_policy` (with `filter_policy_scope`) drops every message that does not match it;
 * `raw_message_delivery` strips the SNS envelope the receivers read; `endpoint`, `protocol` and
 * `topic_arn` name who gets the alerts. The control's evidence wants every subscription with no filter
 * policy (alerting.central-routing).
 */
import { CENTRAL_ALERT_ROUTING, FINDINGS_ALERTING } from '../../modules/alerting/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { comparesValues, show, stableJson, unknownAfter } from '../values';
import { defineRule } from './rule';

const WATCHED = ['endpoint', 'protocol', 'topic_arn'] as const;

/** Unset, an empty string and an empty block list all mean the attribute is not set. */
const orNull = (v: JsonValue | undefined): JsonValue => (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? null : v);

export const ALERT_SUBSCRIPTION_FILTERED = defineRule({
  id: 'alert-subscription-filtered',
  title: 'An alert subscription gains a filter policy or raw delivery, or is redirected',
  controls: [CENTRAL_ALERT_ROUTING, FINDINGS_ALERTING],
  resourceTypes: ['aws_sns_topic_subscription'],
  check(change: PlannedChange) {
    // A new subscription that filters is as silent as one that gains a filter.
    const after = change.after ?? {};
    const before = comparesValues(change) ? change.before! : change.kind === 'create' ? {} : null;
    if (before === null) return [];
    const found: string[] = [];
    const empty = (v: unknown) => v === null || v === undefined || v === '' || v === '{}';
    if (unknownAfter(change, ['filter_policy'])) found.push('filter_policy: known only after apply');
    else if (!empty(after.filter_policy) && stableJson(before.filter_policy ?? null) !== stableJson(after.filter_policy)) {
      found.push(`filter_policy: ${show(before.filter_policy)} → ${show(after.filter_policy)}`);
    }
    if (after.raw_message_delivery === true && before.raw_message_delivery !== true) found.push(`raw_message_delivery: ${show(before.raw_message_delivery)} → true`);
    if (change.kind !== 'create') {
      for (const attribute of WATCHED) {
        if (unknownAfter(change, [attribute])) continue;
        if (stableJson(orNull(before[attribute])) !== stableJson(orNull(after[attribute]))) found.push(`${attribute}: ${show(before[attribute])} → ${show(after[attribute])}`);
      }
    }
    return found;
  },
});
