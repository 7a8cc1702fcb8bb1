/**
 * A named investigation or its Logs Insights saved query deleted, or its query text, database,
 * workgroup, log groups or name changed. `aws_athena_named_query`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/athena_named_query): `query`,
 * `database`, `workgroup`, `name`, every argument ForceNew (provider source
 * internal/service/athena/named_query.go: Athena has no update in the provider), so any change is a
 * replacement; a replacement that keeps these four (a new `description`) loses nothing and passes.
 * `aws_cloudwatch_query_definition` (…/cloudwatch_query_definition): `query_string`,
 * `log_group_names`, `name` (CloudWatch Logs API PutQueryDefinition:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutQueryDefinition.html).
 * The rule does not know the catalog's SQL: a baseline upgrade that rewrites a query is flagged like
 * any rewrite, and accepted with `--allow` after a reviewer compares it with the release's catalog.
 */
import { INVESTIGATIONS_ATHENA } from '../../modules/investigations/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { changedValue, comparesValues, show, unknownAfter } from '../values';
import { defineRule } from './rule';

const WATCHED: Readonly<Record<string, readonly string[]>> = {
  aws_athena_named_query: ['query', 'database', 'workgroup', 'name'],
  aws_cloudwatch_query_definition: ['query_string', 'log_group_names', 'name'],
};

const WHAT: Readonly<Record<string, string>> = {
  aws_athena_named_query: 'the named investigation',
  aws_cloudwatch_query_definition: 'the Logs Insights saved investigation',
};

/** The query texts: a finding names the first line that differs rather than printing both queries. */
const TEXTS = new Set(['query', 'query_string']);

function textChange(change: PlannedChange, attribute: string): string | null {
  if (unknownAfter(change, [attribute])) return `${attribute}: known only after apply`;
  const lines = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '').split('\n');
  const before = lines(change.before![attribute]);
  const after = lines(change.after?.[attribute]);
  const at = before.findIndex((line, i) => line !== after[i]);
  const line = at === -1 ? (after.length > before.length ? before.length : -1) : at;
  return line === -1 ? null : `${attribute}: line ${line + 1} ${show(before[line])} → ${show(after[line])}`;
}

export const INVESTIGATION_QUERY_CHANGED = defineRule({
  id: 'investigation-query-changed',
  title: "A named investigation or Logs Insights saved query is deleted, or its query text, database, workgroup, log groups or name changes",
  controls: [INVESTIGATIONS_ATHENA],
  resourceTypes: Object.keys(WATCHED),
  check(change: PlannedChange) {
    if (change.kind === 'delete') return [`${WHAT[change.type]} is deleted: investigators lose the reviewed question it asks`];
    if (!comparesValues(change)) return [];
    return WATCHED[change.type]
      .map((attribute) => (TEXTS.has(attribute) ? textChange(change, attribute) : changedValue(change, [attribute])))
      .filter((f): f is string => f !== null);
  },
});
