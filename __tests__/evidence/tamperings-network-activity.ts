/**
 * Tamperings of the organization trail's network activity selectors (`cloudtrail.network-activity-events`;
 * the healthy org records the VpceAccessDenied calls through KMS endpoints): an admin who wants a
 * data-perimeter denial to go unlogged removes the selector or narrows it; one who widens it to every call
 * makes each billed. PutEventSelectors with AdvancedEventSelectors replaces the trail's selectors
 * (API_PutEventSelectors.html); the baseline's are put back after.
 */
import { CloudTrailClient, PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { orgTrailArn, orgTrailName } from '../../config/naming';
import type { HealthyOrg } from './healthy-org';
import { HOME, unmocked } from './org-fixture';
import { orgSelectors } from './tamperings-more';
import type { Tampering } from './tamperings';

const CONTROL = 'cloudtrail.network-activity-events';
const item = (org: HealthyOrg) => [`${CONTROL}/${org.ids.management}/${HOME}/${orgTrailArn(org.config)}`];
type Selector = ReturnType<typeof orgSelectors>[number];
const isKms = (s: Selector) => s.FieldSelectors.some((f) => f.Field === 'eventSource' && (f.Equals as string[] | undefined)?.includes('kms.amazonaws.com'));

/** The organization trail's selectors with the KMS network activity selector changed (removed when `change` returns undefined). */
function kmsSelector(change: (s: Selector) => Selector | undefined) {
  return async (org: HealthyOrg) => {
    const client = await org.accounts.client(CloudTrailClient, org.ids.management);
    const TrailName = orgTrailName(org.config);
    const selectors = orgSelectors(org).flatMap((s) => (isKms(s) ? [change(structuredClone(s))].filter((x): x is Selector => !!x) : [s]));
    await unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: selectors as never }));
    return () => unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: orgSelectors(org) as never }));
  };
}

export const NETWORK_ACTIVITY_TAMPERINGS: readonly Tampering[] = [
  {
    what: "Remove the organization trail's network activity selector for KMS (VPC endpoint denials no longer logged)",
    call: 'cloudtrail:PutEventSelectors',
    controls: [CONTROL],
    fails: item,
    reason: /no network activity selector for kms\.amazonaws\.com: its calls through VPC endpoints are not logged/,
    apply: kmsSelector(() => undefined),
  },
  {
    what: 'Narrow the KMS network activity selector to one VPC endpoint (vpcEndpointId Equals)',
    call: 'cloudtrail:PutEventSelectors',
    controls: [CONTROL],
    fails: item,
    reason: /network activity selector "VPC endpoint policy denials \(VpceAccessDenied\) of kms\.amazonaws\.com" also filters on vpcEndpointId Equals \[vpce-0123456789abcdef0\]/,
    apply: kmsSelector((s) => ({ ...s, FieldSelectors: [...s.FieldSelectors, { Field: 'vpcEndpointId', Equals: ['vpce-0123456789abcdef0'] }] })),
  },
  {
    what: 'Widen the KMS network activity selector to every call through the endpoints (its errorCode condition removed)',
    call: 'cloudtrail:PutEventSelectors',
    controls: [CONTROL],
    fails: item,
    reason: /the network activity selector for kms\.amazonaws\.com records every call, not only errorCode VpceAccessDenied/,
    apply: kmsSelector((s) => ({ ...s, FieldSelectors: s.FieldSelectors.filter((f) => f.Field !== 'errorCode') })),
  },
];
