/**
 * The Deny statements of a bucket policy change (`aws_s3_bucket_policy.policy`, a JSON policy document:
 * registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy), shared by the
 * TLS-deny rule and the any-deny rule. A statement is kept when the new policy has one with the same
 * content (its Sid aside, single values and one-element lists alike).
 */
import type { JsonObject, PlannedChange } from '../plan';
import { normalizedStatement, policyStatements, unknownAfter } from '../values';

/** Condition keys that make a Deny statement a TLS requirement (S3 User Guide, "Enforce encryption in transit"). */
const TLS_KEYS = ['aws:securetransport', 's3:tlsversion'];

export function isTlsDeny(statement: JsonObject): boolean {
  if (statement.Effect !== 'Deny') return false;
  const condition = statement.Condition;
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return false;
  return Object.values(condition).some(
    (operator) => typeof operator === 'object' && operator !== null && !Array.isArray(operator) && Object.keys(operator).some((k) => TLS_KEYS.includes(k.toLowerCase())),
  );
}

export type DenyChange = { readonly kind: 'unknown' } | { readonly kind: 'unreadable' } | { readonly kind: 'removed'; readonly statements: JsonObject[] };

/**
 * The Deny statements of the policy before the change that the policy after it no longer has.
 * @param attribute the resource attribute holding the JSON policy document. @default 'policy'
 */
export function removedDenies(change: PlannedChange, which: (s: JsonObject) => boolean, attribute = 'policy'): DenyChange {
  const before = policyStatements(change.before?.[attribute])?.filter((s) => s.Effect === 'Deny' && which(s)) ?? [];
  if (before.length === 0 || change.kind === 'create' || change.kind === 'read' || change.kind === 'no-op' || change.kind === 'forget') return { kind: 'removed', statements: [] };
  if (change.kind === 'delete') return { kind: 'removed', statements: before };
  if (unknownAfter(change, [attribute])) return { kind: 'unknown' };
  const after = policyStatements(change.after?.[attribute]);
  if (after === null) return { kind: 'unreadable' };
  const kept = new Set(after.filter((s) => s.Effect === 'Deny').map(normalizedStatement));
  return { kind: 'removed', statements: before.filter((s) => !kept.has(normalizedStatement(s))) };
}

export function describeStatement(statement: JsonObject): string {
  return typeof statement.Sid === 'string' && statement.Sid !== '' ? `"${statement.Sid}"` : JSON.stringify(statement);
}
