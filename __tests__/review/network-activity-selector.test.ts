/**
 * `trail-data-events-dropped` (review/rules/trail-data-events-dropped.ts) on the organization trail's
 * network activity selectors (`cloudtrail.network-activity-events`): a plan that drops one, or changes
 * its fields (a changed selector records other events), is flagged; one that adds one is not. Plan
 * values as the provider writes `advanced_event_selector.field_selector` (hashicorp/terraform-provider-aws
 * internal/service/cloudtrail/trail.go); selector fields from the CloudTrail User Guide, "Logging network
 * activity events" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html).
 */
import { join } from 'node:path';
import { readPlan, type JsonObject, type PlannedChange } from '../../review/plan';
import { TRAIL_DATA_EVENTS_DROPPED as RULE } from '../../review/rules/trail-data-events-dropped';

const fixture = readPlan(join(__dirname, '..', 'fixtures', 'plans', 'data-event-selector-dropped.json')).changes[0];
const field = (name: string, equals: string[]) => ({ ends_with: null, equals, field: name, not_ends_with: null, not_equals: null, not_starts_with: null, starts_with: null });
const kmsDenials = {
  name: 'VPC endpoint policy denials (VpceAccessDenied) of kms.amazonaws.com',
  field_selector: [field('eventCategory', ['NetworkActivity']), field('eventSource', ['kms.amazonaws.com']), field('errorCode', ['VpceAccessDenied'])],
};
const management = (fixture.before!.advanced_event_selector as JsonObject[])[0];
const trail = (selectors: unknown[]) => ({ ...fixture.before!, advanced_event_selector: selectors }) as JsonObject;
const update = (before: unknown[], after: unknown[]): PlannedChange => ({ ...fixture, before: trail(before), after: trail(after), afterUnknown: {} });

test('the rule serves the network activity control', () => {
  expect(RULE.controls.map((c) => c.id)).toContain('cloudtrail.network-activity-events');
});

test('a network activity selector dropped is flagged', () => {
  expect(RULE.check(update([management, kmsDenials], [management]))).toEqual([
    'advanced_event_selector "VPC endpoint policy denials (VpceAccessDenied) of kms.amazonaws.com" is removed or changed',
  ]);
});

test('a network activity selector narrowed to one endpoint is flagged', () => {
  const narrowed = { ...kmsDenials, field_selector: [...kmsDenials.field_selector, field('vpcEndpointId', ['vpce-0123456789abcdef0'])] };
  expect(RULE.check(update([management, kmsDenials], [management, narrowed]))).toEqual([
    'advanced_event_selector "VPC endpoint policy denials (VpceAccessDenied) of kms.amazonaws.com" is removed or changed',
  ]);
});

test('a network activity selector added, or the same one in another order, is not flagged', () => {
  expect(RULE.check(update([management], [management, kmsDenials]))).toEqual([]);
  const reordered = { ...kmsDenials, field_selector: [...kmsDenials.field_selector].reverse() };
  expect(RULE.check(update([management, kmsDenials], [reordered, management]))).toEqual([]);
});
