/**
 * GuardDuty's organization auto-enable narrowed, or its organization configuration deleted.
 * `aws_guardduty_organization_configuration.auto_enable_organization_members`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/guardduty_organization_configuration#auto_enable_organization_members):
 * "ALL" (every account), "NEW" (accounts that join from now on) or "NONE"; the deprecated `auto_enable`
 * boolean. `aws_guardduty_organization_configuration_feature.auto_enable` and each
 * `additional_configuration[].auto_enable` (…/guardduty_organization_configuration_feature): the same
 * three values for one protection plan. Deleting either stops auto-enabling what it covered.
 */
import { GUARDDUTY_ORGANIZATION } from '../../modules/security-services/controls';
import type { JsonObject, JsonValue, PlannedChange } from '../plan';
import { blocks, comparesValues, show, unknownAfter } from '../values';
import { defineRule } from './rule';

const RANK: Readonly<Record<string, number>> = { ALL: 2, NEW: 1, NONE: 0 };

/** How much an auto-enable value covers; unset or unknown words count as none. */
const rank = (value: JsonValue | undefined) => (typeof value === 'string' ? (RANK[value] ?? 0) : 0);

function narrowed(name: string, before: JsonValue | undefined, after: JsonValue | undefined): string[] {
  return rank(after) < rank(before) ? [`${name}: ${show(before)} → ${show(after)}`] : [];
}

function additional(before: JsonObject, after: JsonObject): string[] {
  const byName = (o: JsonObject) => new Map(blocks(o.additional_configuration).map((b) => [String(b.name), b.auto_enable]));
  const a = byName(after);
  return [...byName(before).entries()].flatMap(([name, value]) => narrowed(`additional_configuration "${name}".auto_enable`, value, a.get(name)));
}

export const GUARDDUTY_AUTO_ENABLE_NARROWED = defineRule({
  id: 'guardduty-auto-enable-narrowed',
  title: "GuardDuty's organization auto-enable is narrowed, or its organization configuration deleted",
  controls: [GUARDDUTY_ORGANIZATION],
  resourceTypes: ['aws_guardduty_organization_configuration', 'aws_guardduty_organization_configuration_feature'],
  check(change: PlannedChange) {
    const before = change.before;
    if (!before) return [];
    const attribute = change.type === 'aws_guardduty_organization_configuration' ? 'auto_enable_organization_members' : 'auto_enable';
    if (change.kind === 'delete') {
      const what = change.type === 'aws_guardduty_organization_configuration' ? 'the organization configuration' : `the organization feature ${show(before.name)}`;
      return [`${what} is deleted: member accounts are no longer auto-enabled (${attribute} ${show(before[attribute])})`];
    }
    if (!comparesValues(change)) return [];
    if (unknownAfter(change, [attribute])) return rank(before[attribute]) > 0 ? [`${attribute}: known only after apply`] : [];
    const after = change.after ?? {};
    const found = narrowed(attribute, before[attribute], after[attribute]);
    if (before.auto_enable === true && after.auto_enable === false) found.push('auto_enable: true → false');
    return [...found, ...additional(before, after)];
  },
});
