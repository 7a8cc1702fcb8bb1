/**
 * What a named investigation is: one small declaration (one file per investigation under
 * `modules/investigations/catalog/`), from which the Athena named query, the CloudWatch Logs Insights
 * saved query, `baseline investigate <name>`, the tests on Trino and docs/investigations.md are made.
 *
 * SQL is Athena engine version 3's dialect, which is Trino's. Values come in through named placeholders
 * `{name}`; `bindParameters` turns them into Athena's positional `?` execution parameters (and the tests
 * into Trino's `EXECUTE ... USING`), so no value is ever pasted into SQL text.
 */
import type { BusinessHours } from '../cis-monitoring/business-hours';

/** The placeholders every investigation may use: the window, as the CLI's `--from` and `--to`. */
export const WINDOW_PARAMETERS = {
  /** Start of the window, inclusive: ISO 8601 UTC, `2026-11-01T00:00:00Z` (compare with `from_iso8601_timestamp(eventtime)`). */
  from: 'from',
  /** End of the window, exclusive: ISO 8601 UTC. */
  to: 'to',
  /** The first day partition of the window, `yyyy/MM/dd` (for `day >= {from_day}`). */
  fromDay: 'from_day',
  /** The last day partition of the window, `yyyy/MM/dd` (for `day <= {to_day}`). */
  toDay: 'to_day',
} as const;

export interface InvestigationParameter {
  /** Placeholder name, snake_case, used as `{name}` in the SQL and `--param name=value` on the CLI. */
  readonly name: string;
  /** What to give, for `--help` and the docs. */
  readonly description: string;
  /** An example value, for the docs. */
  readonly example: string;
  /** Values must match this; the CLI refuses others, naming the parameter. */
  readonly pattern: RegExp;
}

/** What the declarations' SQL may depend on in the config (nothing else: the rest is parameters). */
export interface InvestigationContext {
  /** The table of the organization trail (`INVESTIGATION_TABLES.organizationTrail`). */
  readonly organizationTrailTable: string;
  /** `alerts.businessHours` of the config. */
  readonly businessHours: BusinessHours;
  /** Names of the break-glass roles (the config's), as they appear in `sessionissuer.username`. */
  readonly breakGlassRoleNames: readonly string[];
}

/** One CloudTrail record field an investigation reads, with the AWS page that documents it. */
export interface FieldCitation {
  /** The record field, as the reference names it (`userIdentity.sessionContext.sessionIssuer.userName`). */
  readonly field: string;
  /** The AWS page (CloudTrail record contents, or the service's own event reference). */
  readonly source: string;
}

export interface Investigation {
  /** kebab-case: `baseline investigate <name>`, and the named query's name after the prefix. */
  readonly name: string;
  /** A title for the docs and the binder. */
  readonly title: string;
  /** The question it answers, in the words of the person asking. */
  readonly answers: string;
  /** Parameters besides the window, in no particular order. */
  readonly parameters: readonly InvestigationParameter[];
  /** Athena SQL (Trino dialect) with `{placeholders}`; must restrict `day` to the window. */
  readonly sql: (context: InvestigationContext) => string;
  /**
   * The same question as a CloudWatch Logs Insights query over the org trail's log group, for the
   * recent period the log group keeps; parameters appear as `<name>` for the person to replace.
   */
  readonly logsInsights: (context: InvestigationContext) => string;
  /** Every record field the SQL and the Logs Insights query read, each cited. */
  readonly fields: readonly FieldCitation[];
}

/** SQL text with positional `?` markers, and the placeholder names in the order they appear. */
export interface BoundQuery {
  readonly queryString: string;
  readonly parameterOrder: readonly string[];
}

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;

/** Replaces each `{name}` with `?`, keeping the order Athena and Trino bind positional parameters in. */
export function bindParameters(sql: string): BoundQuery {
  const parameterOrder: string[] = [];
  const queryString = sql.replace(PLACEHOLDER, (_, name: string) => {
    parameterOrder.push(name);
    return '?';
  });
  return { queryString, parameterOrder };
}

/** A string as a SQL literal (single quotes doubled), the form Athena's execution parameters take. */
export function sqlStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
