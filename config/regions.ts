/**
 * Which AWS Regions are opt-in. "Opt-in Regions – Regions launched after March 20, 2019 are disabled
 * by default" (AWS Account Management Reference Guide, "Enable or disable AWS Regions in your account":
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html). The Regions that
 * were enabled by default are the 17 launched before that date, listed here; every other commercial
 * Region, including any launched after this list was written, is treated as opt-in.
 */
export const REGIONS_ENABLED_BY_DEFAULT: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1',
];

export function isOptInRegion(region: string): boolean {
  return !REGIONS_ENABLED_BY_DEFAULT.includes(region);
}

/**
 * A service's principals for the given Regions: the global `<service>.amazonaws.com`, plus the Regional
 * `<service>.<region>.amazonaws.com` of each opt-in Region, for services whose documentation names a
 * Regional principal there (GuardDuty's finding export, for one).
 */
export function servicePrincipals(service: string, regions: readonly string[]): string | string[] {
  const regional = [...new Set(regions.filter(isOptInRegion))].map((r) => `${service}.${r}.amazonaws.com`);
  return regional.length === 0 ? `${service}.amazonaws.com` : [`${service}.amazonaws.com`, ...regional];
}
