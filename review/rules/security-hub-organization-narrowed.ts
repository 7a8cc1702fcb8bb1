/**
 * Security Hub's organization configuration or finding aggregator deleted, or the organization
 * configuration narrowed. `aws_securityhub_organization_configuration`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/securityhub_organization_configuration):
 * `organization_configuration.configuration_type` "CENTRAL" | "LOCAL" (LOCAL hands each account its own
 * settings, so the configuration policy no longer applies), `auto_enable` (bool), `auto_enable_standards`
 * "DEFAULT" | "NONE". `aws_securityhub_finding_aggregator` (…/securityhub_finding_aggregator):
 * `linking_mode` and `specified_regions`, the Regions whose findings reach the home Region.
 */
import { SECURITY_HUB_ORGANIZATION } from '../../modules/security-services/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter, valueAt } from '../values';
import { defineRule } from './rule';

const TYPE = ['organization_configuration', 'configuration_type'] as const;

function organizationFindings(change: PlannedChange): string[] {
  const before = change.before!;
  const after = change.after ?? {};
  const found: string[] = [];
  if (valueAt(before, TYPE) === 'CENTRAL') {
    if (unknownAfter(change, [...TYPE])) found.push('organization_configuration.configuration_type: "CENTRAL" → known only after apply');
    else if (valueAt(after, TYPE) !== 'CENTRAL') found.push(`organization_configuration.configuration_type: "CENTRAL" → ${show(valueAt(after, TYPE))}`);
  }
  if (before.auto_enable === true && after.auto_enable !== true) found.push(`auto_enable: true → ${show(after.auto_enable)}`);
  if (before.auto_enable_standards === 'DEFAULT' && after.auto_enable_standards !== 'DEFAULT') found.push(`auto_enable_standards: "DEFAULT" → ${show(after.auto_enable_standards)}`);
  return found;
}

function linked(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function aggregatorFindings(change: PlannedChange): string[] {
  const before = change.before!;
  const after = change.after ?? {};
  const modeBefore = before.linking_mode;
  const modeAfter = after.linking_mode;
  if (modeBefore === modeAfter) {
    const kept = new Set(linked(after.specified_regions));
    const lost = linked(before.specified_regions).filter((r) => !kept.has(r));
    return modeBefore === 'SPECIFIED_REGIONS' && lost.length > 0 ? [`specified_regions: ${lost.map((r) => JSON.stringify(r)).join(', ')} no longer linked`] : [];
  }
  return modeAfter === 'ALL_REGIONS' ? [] : [`linking_mode: ${show(modeBefore)} → ${show(modeAfter)}`];
}

export const SECURITY_HUB_ORGANIZATION_NARROWED = defineRule({
  id: 'security-hub-organization-narrowed',
  title: "Security Hub's organization configuration or finding aggregator is deleted, or central configuration or auto-enable narrowed",
  controls: [SECURITY_HUB_ORGANIZATION],
  resourceTypes: ['aws_securityhub_organization_configuration', 'aws_securityhub_finding_aggregator'],
  check(change: PlannedChange) {
    const organization = change.type === 'aws_securityhub_organization_configuration';
    if (change.kind === 'delete') {
      return [organization ? 'the organization configuration is deleted: central configuration of the member accounts ends' : 'the finding aggregator is deleted: other Regions\' findings stop reaching the home Region'];
    }
    if (!comparesValues(change)) return [];
    return organization ? organizationFindings(change) : aggregatorFindings(change);
  },
});
