/**
 * What `baseline investigate` writes: the result rows as CSV (RFC 4180, formula-like cells
 * neutralized), or the whole run as JSON (`InvestigationRun`, result.ts), every value as Athena gave it.
 */
import type { InvestigationRun } from './result';

export const FORMATS = ['csv', 'json'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/**
 * The first characters that make a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, tab
 * (0x09) and carriage return (0x0D) (OWASP, "CSV Injection":
 * https://owasp.org/www-community/attacks/CSV_Injection). CloudTrail's values (userAgent,
 * requestParameters, errorMessage...) are the caller's own text, so an attacker chooses them.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field of RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180#section-2): quoted when it holds a
 * comma, a double quote, CR or LF, with each double quote doubled. SQL NULL is an empty field. A
 * value a spreadsheet would read as a formula is prefixed with `'`, which it reads as "text"
 * (OWASP, as above): a negative number such as `-5` is shown as `'-5` by other readers.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line of the column names, then one line per row, each ending in CRLF (RFC 4180); nothing without columns. */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  if (columns.length === 0 && rows.length === 0) return '';
  return [columns, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

export function toJson(run: InvestigationRun): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

export function render(run: InvestigationRun, format: OutputFormat): string {
  return format === 'csv' ? toCsv(run.columns, run.rows) : toJson(run);
}
