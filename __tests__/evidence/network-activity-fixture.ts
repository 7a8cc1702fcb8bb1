/**
 * The healthy organization's network activity selectors, as GetEventSelectors returns them for the
 * organization trail (AdvancedEventSelector Name, FieldSelectors: API_AdvancedEventSelector.html): one per
 * event source of `trail.networkActivityEvents`, `eventCategory` NetworkActivity, `eventSource`, and with
 * `deniedOnly` `errorCode` VpceAccessDenied (CloudTrail User Guide, "Logging network activity events":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html).
 * No import of the fixture, so that org-fixture.ts and the tamperings can both use it.
 */
import type { BaselineConfig } from '../../config/schema';

export function networkActivityApiSelectors(config: BaselineConfig): { Name: string; FieldSelectors: { Field: string; Equals: string[] }[] }[] {
  const { eventSources, deniedOnly } = config.trail.networkActivityEvents;
  return eventSources.map((source) => ({
    Name: `VPC endpoint policy denials (VpceAccessDenied) of ${source}`,
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['NetworkActivity'] },
      { Field: 'eventSource', Equals: [source] },
      ...(deniedOnly ? [{ Field: 'errorCode', Equals: ['VpceAccessDenied'] }] : []),
    ],
  }));
}
