/**
 * A trail's event selectors narrowed: an advanced event selector removed or changed, a basic event
 * selector's data resources dropped, or management events turned off. Network activity selectors
 * (`eventCategory` NetworkActivity) are advanced selectors too: one dropped or changed is flagged alike. `aws_cloudtrail.advanced_event_selector`
 * and `aws_cloudtrail.event_selector` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#advanced_event_selector):
 * a selector is a set of `field_selector`s; a changed selector records other events, so it counts as
 * the old one dropped.
 */
import { DATA_EVENTS, NETWORK_ACTIVITY_EVENTS, ORGANIZATION_TRAIL } from '../../modules/cloudtrail/controls';
import type { JsonObject, PlannedChange } from '../plan';
import { blocks, comparesValues, stableJson, unknownAfter } from '../values';
import { defineRule } from './rule';

/** A selector's field selectors, whatever their order and the order of their values. */
function selectorKey(selector: JsonObject): string {
  const fields = blocks(selector.field_selector).map((f) =>
    stableJson(Object.fromEntries(Object.entries(f).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]))),
  );
  return fields.sort().join('|');
}

function label(selector: JsonObject): string {
  return typeof selector.name === 'string' && selector.name !== '' ? `"${selector.name}"` : `with fields ${selectorKey(selector)}`;
}

export const TRAIL_DATA_EVENTS_DROPPED = defineRule({
  id: 'trail-data-events-dropped',
  title: 'A trail records fewer events (an event selector dropped or narrowed)',
  controls: [DATA_EVENTS, NETWORK_ACTIVITY_EVENTS, ORGANIZATION_TRAIL],
  resourceTypes: ['aws_cloudtrail'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    const found: string[] = [];
    if (unknownAfter(change, ['advanced_event_selector']) || unknownAfter(change, ['event_selector'])) {
      return ['the event selectors are known only after apply, so the plan cannot show none is dropped'];
    }
    const after = new Set(blocks(change.after?.advanced_event_selector).map(selectorKey));
    for (const selector of blocks(change.before!.advanced_event_selector)) {
      if (!after.has(selectorKey(selector))) found.push(`advanced_event_selector ${label(selector)} is removed or changed`);
    }
    const dataResources = (selectors: JsonObject[]) =>
      new Set(selectors.flatMap((s) => blocks(s.data_resource).flatMap((d) => (Array.isArray(d.values) ? d.values.map((v) => `${String(d.type)} ${String(v)}`) : []))));
    const beforeBasic = blocks(change.before!.event_selector);
    const afterBasic = blocks(change.after?.event_selector);
    const kept = dataResources(afterBasic);
    for (const resource of dataResources(beforeBasic)) if (!kept.has(resource)) found.push(`event_selector data_resource ${resource} is removed`);
    // include_management_events defaults to true (provider documentation, event_selector).
    const management = (selectors: JsonObject[]) => selectors.some((s) => s.include_management_events !== false);
    if (beforeBasic.length > 0 && management(beforeBasic) && !management(afterBasic) && blocks(change.after?.advanced_event_selector).length === 0) {
      found.push('event_selector include_management_events: true → false');
    }
    return found;
  },
});
