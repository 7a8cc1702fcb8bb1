/**
 * The binder's judgement of the organization trail's network activity selectors
 * (`cloudtrail.network-activity-events`), on GetEventSelectors responses shaped as the API returns them:
 * AdvancedEventSelectors[] of { Name, FieldSelectors[] of { Field, Equals, ... } }
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html,
 * API_AdvancedEventSelector.html, API_AdvancedFieldSelector.html). What a network activity selector may
 * hold: CloudTrail User Guide, "Logging network activity events" (eventCategory NetworkActivity and
 * eventSource, Equals only; errorCode only VpceAccessDenied, Equals only; eventName and vpcEndpointId any
 * operator), https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html.
 * The selectors under test are those modules/cloudtrail/event-selectors.ts writes, turned into the API's shape.
 */
import type { GetEventSelectorsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { judgeNetworkActivitySelectors, judgeSelectors } from '../../evidence/checks/cloudtrail';
import { eventSelectors } from '../../modules/cloudtrail/event-selectors';
import { trailDataEvents } from '../../config/sensitive-data';
import { configWith } from '../helpers';

type ApiSelector = { Name: string; FieldSelectors: { Field: string; Equals?: string[]; StartsWith?: string[]; NotEquals?: string[] }[] };

const config = configWith((raw) => (raw.trail = { ...raw.trail, networkActivityEvents: { eventSources: ['kms.amazonaws.com', 's3.amazonaws.com'] } }));
const network = config.trail.networkActivityEvents;

/** The organization trail's selectors as the management stack writes them, as GetEventSelectors returns them. */
function baselineSelectors(n = network): ApiSelector[] {
  return eventSelectors(trailDataEvents(config), n).map((s) => ({
    Name: s.name!,
    FieldSelectors: (s.fieldSelector as { field: string; equalTo?: string[]; startsWith?: string[] }[]).map((f) => ({
      Field: f.field,
      ...(f.equalTo ? { Equals: f.equalTo } : {}),
      ...(f.startsWith ? { StartsWith: f.startsWith } : {}),
    })),
  }));
}
const out = (selectors: ApiSelector[]) => ({ AdvancedEventSelectors: selectors, $metadata: {} }) as GetEventSelectorsCommandOutput;
const isNetwork = (s: ApiSelector) => s.FieldSelectors.some((f) => f.Field === 'eventCategory' && f.Equals?.includes('NetworkActivity'));
/** The baseline's selectors with the network selector of `source` changed (or removed, when `change` returns undefined). */
function withNetworkSelector(source: string, change: (s: ApiSelector) => ApiSelector | undefined): ApiSelector[] {
  return baselineSelectors().flatMap((s) => {
    if (!isNetwork(s) || !s.FieldSelectors.some((f) => f.Field === 'eventSource' && f.Equals?.includes(source))) return [s];
    const changed = change(structuredClone(s));
    return changed ? [changed] : [];
  });
}

describe('cloudtrail.network-activity-events', () => {
  test('healthy: the selectors the baseline writes PASS both judgements (a network selector is not foreign to the data-events check)', () => {
    expect(baselineSelectors().filter(isNetwork)).toHaveLength(2);
    expect(judgeNetworkActivitySelectors(out(baselineSelectors()), network)).toEqual([]);
    expect(judgeSelectors(config, out(baselineSelectors()))).toEqual([]);
    // deniedOnly: false, written and judged as such.
    const every = { ...network, deniedOnly: false };
    expect(judgeNetworkActivitySelectors(out(baselineSelectors(every)), every)).toEqual([]);
  });

  test('a selector removed: FAIL, naming the event source', () => {
    expect(judgeNetworkActivitySelectors(out(withNetworkSelector('s3.amazonaws.com', () => undefined)), network)).toEqual([
      'no network activity selector for s3.amazonaws.com: its calls through VPC endpoints are not logged',
    ]);
  });

  test('event sources narrowed (one selector now for another source): FAIL', () => {
    const narrowed = withNetworkSelector('kms.amazonaws.com', (s) => ({
      ...s,
      FieldSelectors: s.FieldSelectors.map((f) => (f.Field === 'eventSource' ? { ...f, Equals: ['ec2.amazonaws.com'] } : f)),
    }));
    expect(judgeNetworkActivitySelectors(out(narrowed), network)).toEqual(['no network activity selector for kms.amazonaws.com: its calls through VPC endpoints are not logged']);
  });

  test('narrowed by eventName or vpcEndpointId (operators CloudTrail allows on them): FAIL', () => {
    const byName = withNetworkSelector('kms.amazonaws.com', (s) => ({ ...s, FieldSelectors: [...s.FieldSelectors, { Field: 'eventName', NotEquals: ['Decrypt'] }] }));
    expect(judgeNetworkActivitySelectors(out(byName), network)).toEqual([
      'network activity selector "VPC endpoint policy denials (VpceAccessDenied) of kms.amazonaws.com" also filters on eventName NotEquals [Decrypt]: the calls it leaves out are not logged',
    ]);
    const byEndpoint = withNetworkSelector('s3.amazonaws.com', (s) => ({ ...s, FieldSelectors: [...s.FieldSelectors, { Field: 'vpcEndpointId', Equals: ['vpce-0123456789abcdef0'] }] }));
    expect(judgeNetworkActivitySelectors(out(byEndpoint), network)).toEqual([
      'network activity selector "VPC endpoint policy denials (VpceAccessDenied) of s3.amazonaws.com" also filters on vpcEndpointId Equals [vpce-0123456789abcdef0]: the calls it leaves out are not logged',
    ]);
  });

  test('deniedOnly widened (errorCode removed, every call billed): FAIL', () => {
    const widened = withNetworkSelector('kms.amazonaws.com', (s) => ({ ...s, FieldSelectors: s.FieldSelectors.filter((f) => f.Field !== 'errorCode') }));
    expect(judgeNetworkActivitySelectors(out(widened), network)).toEqual([
      'the network activity selector for kms.amazonaws.com records every call, not only errorCode VpceAccessDenied (trail.networkActivityEvents.deniedOnly: true): each is billed',
    ]);
  });

  test('deniedOnly narrowed (errorCode added where every call is configured): FAIL', () => {
    const every = { ...network, deniedOnly: false };
    const narrowed = baselineSelectors(every).map((s) => (isNetwork(s) && s.FieldSelectors.some((f) => f.Equals?.includes('s3.amazonaws.com')) ? { ...s, FieldSelectors: [...s.FieldSelectors, { Field: 'errorCode', Equals: ['VpceAccessDenied'] }] } : s));
    expect(judgeNetworkActivitySelectors(out(narrowed), every)).toEqual([
      'the network activity selector for s3.amazonaws.com records only errorCode VpceAccessDenied, not every call (trail.networkActivityEvents.deniedOnly: false)',
    ]);
  });

  test('a selector for a source the config does not list adds events: left alone by both judgements', () => {
    const extra = [...baselineSelectors(), { Name: 'more', FieldSelectors: [{ Field: 'eventCategory', Equals: ['NetworkActivity'] }, { Field: 'eventSource', Equals: ['ec2.amazonaws.com'] }] }];
    expect(judgeNetworkActivitySelectors(out(extra), network)).toEqual([]);
    expect(judgeSelectors(config, out(extra))).toEqual([]);
  });
});
