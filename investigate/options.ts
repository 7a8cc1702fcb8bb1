/**
 * The defaults of `baseline investigate`, and what a query costs: kept apart from run.ts so that
 * `bin/baseline` loads the Athena client only when `investigate` runs.
 */

/**
 * Athena's price for SQL queries, USD per TB of data scanned, "rounded up to the nearest megabyte, with
 * a 10 MB minimum per query" (Amazon Athena pricing, https://aws.amazon.com/athena/pricing/, US East
 * (N. Virginia), as read 2026-12-03). Other Regions differ: `--price-per-tb` gives theirs.
 */
export const ATHENA_PRICE_PER_TB_USD = 5;
export const ATHENA_PRICING_PAGE = 'https://aws.amazon.com/athena/pricing/';

/** The minimum a query is billed for, bytes (10 MB). */
export const MINIMUM_BILLED_BYTES = 10 * 2 ** 20;

const MB = 2 ** 20;
const TB = 2 ** 40;

/**
 * What a query that scanned `bytes` costs: the bytes rounded up to a whole MB, at least 10 MB, at
 * `pricePerTb`. MB and TB are taken as 2^20 and 2^40 bytes (the pricing page does not say which).
 */
export function queryCostUsd(bytes: number, pricePerTb: number = ATHENA_PRICE_PER_TB_USD): number {
  const billed = Math.max(Math.ceil(bytes / MB) * MB, MINIMUM_BILLED_BYTES);
  return Number(((billed / TB) * pricePerTb).toFixed(8));
}

/** Bytes for a person: `0 B`, `512 KB`, `12.3 MB`, `1.02 TB` (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ${units[unit]}`;
}

/** The catalog of the Glue Data Catalog, as QueryExecutionContext names it. */
export const ATHENA_CATALOG = 'AwsDataCatalog';

/** Session name of the `--role-arn` session, as CloudTrail records it. */
export const INVESTIGATE_SESSION_NAME = 'soc2-investigate';

/** Polling of GetQueryExecution: the first wait, and the longest, between two calls (ms). */
export const FIRST_POLL_MS = 500;
export const MAX_POLL_MS = 5_000;
