/**
 * The Security Hub configuration policy narrowed. `aws_securityhub_configuration_policy.configuration_policy`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/securityhub_configuration_policy):
 * `service_enabled`, `enabled_standard_arns`, and `security_controls_configuration` with either
 * `disabled_control_identifiers` (every other control on) or `enabled_control_identifiers` (only these on).
 * A standard dropped, a control disabled, or an enabled control left out narrows what is evaluated.
 */
import { SECURITY_HUB_CIS, SECURITY_HUB_FSBP, SECURITY_HUB_ORGANIZATION } from '../../modules/security-services/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter, valueAt } from '../values';
import { defineRule } from './rule';

const POLICY = 'configuration_policy';
const CONTROLS = [POLICY, 'security_controls_configuration'] as const;

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const quoted = (list: readonly string[]) => list.map((s) => JSON.stringify(s)).join(', ');

export const SECURITY_HUB_POLICY_NARROWED = defineRule({
  id: 'security-hub-policy-narrowed',
  title: 'The Security Hub configuration policy turns Security Hub off, drops a standard or disables a control',
  controls: [SECURITY_HUB_ORGANIZATION, SECURITY_HUB_FSBP, SECURITY_HUB_CIS],
  resourceTypes: ['aws_securityhub_configuration_policy'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    if (unknownAfter(change, [POLICY])) return ['configuration_policy: known only after apply'];
    const before = change.before!;
    const after = change.after ?? {};
    const found: string[] = [];
    const enabledBefore = valueAt(before, [POLICY, 'service_enabled']);
    const enabledAfter = valueAt(after, [POLICY, 'service_enabled']);
    if (enabledBefore === true && enabledAfter !== true) found.push(`configuration_policy.service_enabled: true → ${show(enabledAfter)}`);
    const standardsAfter = new Set(strings(valueAt(after, [POLICY, 'enabled_standard_arns'])));
    const dropped = strings(valueAt(before, [POLICY, 'enabled_standard_arns'])).filter((s) => !standardsAfter.has(s));
    if (dropped.length > 0) found.push(`configuration_policy.enabled_standard_arns: ${quoted(dropped)} dropped`);
    const list = (o: typeof before, field: string) => valueAt(o, [...CONTROLS, field]);
    const disabledBefore = list(before, 'disabled_control_identifiers');
    const disabledAfter = list(after, 'disabled_control_identifiers');
    const enabledListBefore = list(before, 'enabled_control_identifiers');
    const enabledListAfter = list(after, 'enabled_control_identifiers');
    const usedEnabledList = (v: JsonValue | undefined) => Array.isArray(v) && v.length > 0;
    if (usedEnabledList(enabledListAfter) && !usedEnabledList(enabledListBefore)) {
      // From "all but these" to "only these": every control not listed goes off.
      found.push(`security_controls_configuration: from disabled_control_identifiers to enabled_control_identifiers ${show(enabledListAfter)}`);
    } else if (usedEnabledList(enabledListBefore)) {
      const kept = new Set(strings(enabledListAfter));
      const off = strings(enabledListBefore).filter((c) => !kept.has(c));
      if (off.length > 0) found.push(`security_controls_configuration.enabled_control_identifiers: ${quoted(off)} dropped`);
    } else {
      const was = new Set(strings(disabledBefore));
      const off = strings(disabledAfter).filter((c) => !was.has(c));
      if (off.length > 0) found.push(`security_controls_configuration.disabled_control_identifiers: ${quoted(off)} added`);
    }
    return found;
  },
});
