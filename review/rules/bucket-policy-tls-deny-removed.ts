/**
 * The TLS requirement removed from a log bucket's policy: a Deny on `aws:SecureTransport` false (or on
 * an old `s3:TlsVersion`) removed or changed. `aws_s3_bucket_policy.policy`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy); Security Hub S3.5.
 */
import { BUCKET_TLS_ONLY } from '../../modules/log-archive/controls';
import type { PlannedChange } from '../plan';
import { defineRule } from './rule';
import { describeStatement, isTlsDeny, removedDenies } from './bucket-policy-statements';

export const BUCKET_POLICY_TLS_DENY_REMOVED = defineRule({
  id: 'bucket-policy-tls-deny-removed',
  title: 'A bucket policy stops requiring TLS',
  controls: [BUCKET_TLS_ONLY],
  resourceTypes: ['aws_s3_bucket_policy'],
  check(change: PlannedChange) {
    const removed = removedDenies(change, isTlsDeny);
    if (removed.kind === 'unknown') return ['the new policy is known only after apply, so the plan cannot show the TLS deny is kept'];
    if (removed.kind === 'unreadable') return ['the new policy is not a JSON policy document, so the plan cannot show the TLS deny is kept'];
    const how = change.kind === 'delete' ? 'the bucket policy is deleted with it' : 'removed or changed';
    return removed.statements.map((s) => `TLS deny statement ${describeStatement(s)}: ${how}`);
  },
});
