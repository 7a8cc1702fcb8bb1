/**
 * Canonical JSON for the binder: keys sorted, dates as ISO 8601, bytes as base64, `undefined` left out,
 * and the SDK's `$metadata` (request ids, retry counts: different on every run) removed, so that the
 * same responses always give the same bytes.
 */

/** A JSON-safe copy of an SDK response, with `$metadata` removed and keys sorted. */
export function canonicalize(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      if (key === '$metadata') continue;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined || typeof v === 'function') continue;
      out[key] = canonicalize(v);
    }
    return out;
  }
  return value;
}

/** Canonical JSON text, indented for people, with a final newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(canonicalize(value), null, 2)}\n`;
}
