/**
 * The AWS Regions the baseline knows, and which of them are opt-in.
 *
 * Every commercial (`aws` partition) Region, from the AWS SDK for JavaScript's partition metadata
 * (`@aws-sdk/core` 3.981.0, `submodules/client/util-endpoints/lib/aws/partitions.js`, partition
 * `aws`), checked against the AWS General Reference, "AWS Regions and Availability Zones"
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html) and the Account
 * Management Reference Guide, "Enable or disable AWS Regions in your account"
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html). Unverified against
 * an AWS documentation page's own table when this was written (2026-12): `ap-east-2` (Taipei),
 * `ap-southeast-5` (Malaysia), `ap-southeast-6` (New Zealand), `ap-southeast-7` (Thailand) and
 * `mx-central-1` (Mexico), which the SDK and third-party lists agree on, and `me-west-1` (Middle East
 * (Saudi Arabia)) and `sa-west-1` (South America (Chile)), which only the SDK's metadata lists.
 *
 * A Region AWS launches after this list was written is not refused for ever: `regions.additionalKnownRegions`
 * in the config admits it, with the reason (docs/config-reference.md). Such a Region is treated as
 * opt-in, as every Region launched since March 2019 is.
 */
export const AWS_REGIONS: readonly string[] = [
  // United States
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  // Africa
  'af-south-1',
  // Asia Pacific
  'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  // Canada
  'ca-central-1', 'ca-west-1',
  // Europe
  'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  // Israel, Middle East
  'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1',
  // Mexico, South America
  'mx-central-1', 'sa-east-1', 'sa-west-1',
];

/** Whether `region` is a commercial Region of the list above, or one of the config's `additionalKnownRegions`. */
export function isKnownRegion(region: string, additional: readonly string[] = []): boolean {
  return AWS_REGIONS.includes(region) || additional.includes(region);
}

/** Edit distance with adjacent transpositions (optimal string alignment): `eu-wset-1` is 1 from `eu-west-1`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known Regions nearest to a mistyped one (at most 2 edits away, at most 3 of them), nearest first. */
export function nearestRegions(region: string, additional: readonly string[] = []): string[] {
  const scored = [...AWS_REGIONS, ...additional].map((known) => ({ known, distance: editDistance(region, known) })).filter((s) => s.distance <= 2);
  const best = Math.min(...scored.map((s) => s.distance));
  return scored.filter((s) => s.distance === best).map((s) => s.known).slice(0, 3);
}

/** The message for a Region that is not known: `us-east-7 is not an AWS Region (did you mean us-east-1 or us-east-2?) ...` */
export function unknownRegionMessage(region: string, additional: readonly string[] = []): string {
  const near = nearestRegions(region, additional);
  const hint = near.length === 0 ? '' : ` (did you mean ${near.join(' or ')}?)`;
  return `${region} is not an AWS Region${hint}; a Region launched after this baseline's list (config/regions.ts) goes in regions.additionalKnownRegions, with the reason`;
}

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
