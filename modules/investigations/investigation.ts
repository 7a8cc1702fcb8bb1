/**
 * What a named investigation is: one small declaration (one file per investigation under
 * `modules/investigations/catalog/`), from which the Athena named query, the CloudWatch Logs Insights
 * saved query, `baseline investigate <name>`, the tests on Trino and docs/investigations.md are made.
 *
 * SQL is Athena engine version 3's dialect, which is Trino's. Values come in through named placeholders
 * `{name}`. `inlineParameters` writes each value into the SQL as a string literal, the form
 * `baseline investigate` sends and the tests run in Trino: Athena then records the whole query, window
 * and parameters included, in GetQueryExecution's `Query`, where the binder's sample check reads it
 * (it does not return ExecutionParameters). `bindParameters` turns them into positional `?` markers,
 * the form of the Athena named queries, for a person to fill in the console.
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
  /** The last day partition read, `yyyy/MM/dd` (for `day <= {to_day}`): the day after the window's last day, for late deliveries. */
  toDay: 'to_day',
} as const;

/**
 * The longest value a parameter may have: 1,024 characters with the two quotes of its SQL string literal,
 * what Athena takes as one execution parameter (API Reference, StartQueryExecution, ExecutionParameters:
 * "Maximum length of 1024": https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html),
 * so the same value can be given to the named query's `?` in the console. Written into the SQL
 * (`inlineParameters`), a few such values keep the query far below the 262,144 characters Athena's
 * query text may have (QueryExecution, Query: API_QueryExecution.html). Every parameter's pattern admits
 * no quote and at most this many characters; `inlineParameters` refuses longer values anyway.
 */
export const MAX_PARAMETER_LENGTH = 1024 - 2;

export interface InvestigationParameter {
  /** Placeholder name, snake_case, used as `{name}` in the SQL and `--param name=value` on the CLI. */
  readonly name: string;
  /** What to give, for `--help` and the docs. */
  readonly description: string;
  /** An example value, for the docs. */
  readonly example: string;
  /** Values must match this; the CLI refuses others, naming the parameter. At most `MAX_PARAMETER_LENGTH` characters, no quote. */
  readonly pattern: RegExp;
  /**
   * May be left out. An optional parameter appears in the SQL only inside `optionalClause(name, ...)`,
   * which is dropped when no value is given (and from the named queries, which a person narrows by hand).
   * @default false
   */
  readonly optional?: boolean;
}

/**
 * The optional `account` parameter: one account id narrows the table's `account` partition key, so Athena
 * reads that account's prefixes only. An account id is 12 digits (Organizations API Reference, Account, Id:
 * "Pattern: ^\d{12}$": https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html).
 */
export const ACCOUNT_PARAMETER: InvestigationParameter = {
  name: 'account',
  description: 'Optional: one account id (12 digits), to read only that account\'s logs',
  example: '111122223333',
  pattern: /^\d{12}$/,
  optional: true,
};

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

/** The pages the declarations cite for the record fields they read. */
export const CLOUDTRAIL_PAGES = {
  /** CloudTrail User Guide, "CloudTrail record contents for management, data, and network activity events". */
  recordContents: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html',
  /** CloudTrail User Guide, "CloudTrail userIdentity element". */
  userIdentity: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html',
  /** CloudTrail User Guide, "AWS Management Console sign-in events" (ConsoleLogin's responseElements and additionalEventData). */
  signInEvents: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html',
} as const;

/**
 * Citations for record fields: a `userIdentity.*` field is on the userIdentity page, every other
 * top-level field on the record contents page. Fields documented elsewhere are cited by hand.
 */
export function recordFields(...fields: readonly string[]): FieldCitation[] {
  return fields.map((field) => ({ field, source: field.startsWith('userIdentity') ? CLOUDTRAIL_PAGES.userIdentity : CLOUDTRAIL_PAGES.recordContents }));
}

/**
 * The window every investigation's WHERE clause starts with: the day partitions (so Athena reads only
 * the objects under those days' prefixes) and the exact instants, `[from, to)`. `eventTime` is an
 * ISO 8601 UTC string ("The date and time the request was completed, in coordinated universal time
 * (UTC)": CloudTrail record contents).
 */
export const WINDOW_CONDITION = `day BETWEEN {${WINDOW_PARAMETERS.fromDay}} AND {${WINDOW_PARAMETERS.toDay}}
  AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp({${WINDOW_PARAMETERS.from}})
  AND from_iso8601_timestamp(eventtime) < from_iso8601_timestamp({${WINDOW_PARAMETERS.to}})`;

/** The `account` partition narrowed to `ACCOUNT_PARAMETER` when it is given (after `WINDOW_CONDITION`). */
export const ACCOUNT_CONDITION = optionalClause(ACCOUNT_PARAMETER.name, `AND account = {${ACCOUNT_PARAMETER.name}}`);

const DAY_MS = 24 * 60 * 60 * 1000;

const dayPartition = (instant: Date) => instant.toISOString().slice(0, 10).replace(/-/g, '/');

/**
 * The window's four values, for the window's placeholders: `from` and `to` as ISO 8601 UTC, the
 * first day partition (the day of `from`: no record is delivered before it happens) and the last: the
 * day after the window's last day (the day of its last instant, `to` being exclusive).
 *
 * A log file's folder and name carry its delivery time, and "A log file delivered at a specific time
 * can contain records written at any point before that time" (CloudTrail User Guide, "CloudTrail log
 * file examples", log file name format:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
 * CloudTrail "typically delivers logs within an average of about 5 minutes of an API call. This time is
 * not guaranteed" (CloudTrail FAQs: https://aws.amazon.com/cloudtrail/faqs/). Reading one more day folder
 * (one more day of scan) keeps every record delivered until the end of the next UTC day, at least 24
 * hours after the window ends; a record delivered later than that is not read (docs/investigations.md).
 */
export function windowParameterValues(from: Date, to: Date): Record<string, string> {
  if (Number.isNaN(from.getTime())) throw new Error('from: not a valid instant');
  if (Number.isNaN(to.getTime())) throw new Error('to: not a valid instant');
  if (to.getTime() <= from.getTime()) throw new Error(`to (${to.toISOString()}) must be after from (${from.toISOString()})`);
  return {
    [WINDOW_PARAMETERS.from]: from.toISOString(),
    [WINDOW_PARAMETERS.to]: to.toISOString(),
    [WINDOW_PARAMETERS.fromDay]: dayPartition(from),
    [WINDOW_PARAMETERS.toDay]: dayPartition(new Date(to.getTime() - 1 + DAY_MS)),
  };
}

/** `[[name: clause]]`: a clause kept only when the optional parameter `name` has a value. */
const OPTIONAL_CLAUSE = /(\n[ \t]*)?\[\[([a-z][a-z0-9_]*): ([^\]]*)\]\]/g;

/**
 * A clause of the SQL that holds only when the optional parameter `name` is given (`AND account =
 * {account}`): with no value, the clause is left out, not compared with an empty string, so the query
 * keeps the form partition projection prunes on. Throws when the clause does not use its parameter.
 */
export function optionalClause(name: string, clause: string): string {
  if (!clause.includes(`{${name}}`)) throw new Error(`optionalClause ${name}: the clause does not use {${name}}`);
  if (/[\[\]]/.test(clause)) throw new Error(`optionalClause ${name}: the clause may not hold [ or ]`);
  return `[[${name}: ${clause}]]`;
}

/** The SQL with each optional clause kept (its markers removed) when `keep(name)`, dropped otherwise. */
function resolveOptionalClauses(sql: string, keep: (name: string) => boolean): string {
  return sql.replace(OPTIONAL_CLAUSE, (_, indent: string | undefined, name: string, clause: string) => (keep(name) ? `${indent ?? ''}${clause}` : ''));
}

/** Every placeholder the SQL names, those of its optional clauses included. */
export function placeholderNames(sql: string): string[] {
  return [...resolveOptionalClauses(sql, () => true).matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** SQL text with positional `?` markers, and the placeholder names in the order they appear. */
export interface BoundQuery {
  readonly queryString: string;
  readonly parameterOrder: readonly string[];
}

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;

/**
 * Replaces each `{name}` with `?`, keeping the order Athena binds positional parameters in: the form of
 * the Athena named queries, for a person running one in the console. Optional clauses are left out.
 */
export function bindParameters(sql: string): BoundQuery {
  const parameterOrder: string[] = [];
  const queryString = resolveOptionalClauses(sql, () => false).replace(PLACEHOLDER, (_, name: string) => {
    parameterOrder.push(name);
    return '?';
  });
  return { queryString, parameterOrder };
}

/**
 * A string as a SQL string literal: in single quotes, a single quote inside doubled. That is the only
 * escape a Trino or Athena string literal has ("Single quotes in string literals can be escaped by using
 * another single quote": Trino, Data types, VARCHAR, https://trino.io/docs/current/language/types.html;
 * "To escape a single quote in a CHAR or VARCHAR, use an additional single quote": Athena User Guide,
 * "Considerations for data types", https://docs.aws.amazon.com/athena/latest/ug/data-types-considerations.html).
 * A backslash is an ordinary character there: only a `U&'...'` literal reads escapes, and this is not one.
 */
export function sqlStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** C0 control characters, DEL and C1 control characters. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `value` may not be written into SQL text, or undefined: longer than MAX_PARAMETER_LENGTH, or
 * holding a control character (a line break or a NUL in the query Athena records and the binder shows
 * would hide what it says). Each parameter's pattern refuses these too; this holds for every value.
 */
export function inlineValueProblem(value: string): string | undefined {
  if (value.length > MAX_PARAMETER_LENGTH) return `is ${value.length} characters long, more than ${MAX_PARAMETER_LENGTH}`;
  const control = CONTROL_CHARACTER.exec(value);
  if (control) return `holds the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${control.index}`;
  return undefined;
}

/**
 * The SQL with each `{name}` replaced by its value written as a SQL string literal (`sqlStringLiteral`):
 * the query `baseline investigate` sends to Athena, with no execution parameters, so that the text Athena
 * records for it (GetQueryExecution, QueryExecution.Query, "The SQL query statements which the query
 * execution ran": https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecution.html) holds
 * its window and parameters, which Athena does not return otherwise ("The list of parameters is not
 * returned in the response", ExecutionParameters, same page). The `day` predicate is then a literal,
 * the kind of value Athena's partition projection computes partitions from ("literals or expressions
 * that can be evaluated without reading any data", said of the injected type:
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html);
 * whether it prunes on an execution parameter is documented nowhere. Values are replaced in one pass:
 * a value is never read again for placeholders. An optional clause is kept when its parameter has a value,
 * dropped when not. Throws naming the placeholder when a value is missing or `inlineValueProblem` refuses it.
 */
export function inlineParameters(sql: string, values: Readonly<Record<string, string>>): string {
  const given = (name: string) => Object.prototype.hasOwnProperty.call(values, name);
  return resolveOptionalClauses(sql, given).replace(PLACEHOLDER, (_, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (typeof value !== 'string') throw new Error(`{${name}}: no value given`);
    const problem = inlineValueProblem(value);
    if (problem !== undefined) throw new Error(`{${name}}: the value ${problem}`);
    return sqlStringLiteral(value);
  });
}
