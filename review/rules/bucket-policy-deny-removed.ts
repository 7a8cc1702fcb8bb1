/**
 * Any other Deny statement removed from (or changed in) a log bucket's policy: the baseline's policies
 * deny log deletion and reads by anyone but the log readers. `aws_s3_bucket_policy.policy`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy). TLS denies
 * are the `bucket-policy-tls-deny-removed` rule's.
 */
import { BUCKET_PUBLIC_ACCESS_BLOCK, BUCKET_TLS_ONLY } from '../../modules/log-archive/controls';
import type { PlannedChange } from '../plan';
import { defineRule } from './rule';
import { describeStatement, isTlsDeny, removedDenies } from './bucket-policy-statements';

export const BUCKET_POLICY_DENY_REMOVED = defineRule({
  id: 'bucket-policy-deny-removed',
  title: 'A Deny statement is removed from a bucket policy',
  controls: [BUCKET_TLS_ONLY, BUCKET_PUBLIC_ACCESS_BLOCK],
  resourceTypes: ['aws_s3_bucket_policy'],
  check(change: PlannedChange) {
    const removed = removedDenies(change, (s) => !isTlsDeny(s));
    if (removed.kind === 'unknown') return ['the new policy is known only after apply, so the plan cannot show its Deny statements are kept'];
    if (removed.kind === 'unreadable') return ['the new policy is not a JSON policy document, so the plan cannot show its Deny statements are kept'];
    const how = change.kind === 'delete' ? 'the bucket policy is deleted with it' : 'removed or changed';
    return removed.statements.map((s) => `Deny statement ${describeStatement(s)}: ${how}`);
  },
});
