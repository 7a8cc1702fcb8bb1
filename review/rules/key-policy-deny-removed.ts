/**
 * A Deny statement removed from, or changed in, a KMS key policy: the baseline's key policies deny
 * destroying, disabling or re-permissioning the key to everyone but the pipeline and break-glass roles
 * (`DenyKeyTamperingExceptPipeline`, modules/guardrails/resource-policy-denials.ts), the only guardrail
 * that holds in the management account, where SCPs never apply. `aws_kms_key.policy`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#policy) and
 * `aws_kms_key_policy.policy` (…/resources/kms_key_policy). A statement is kept when the new policy has
 * one with the same content (its Sid aside).
 */
import { GUARDRAIL_SCPS } from '../../modules/guardrails/controls';
import { KEY_ROTATION } from '../../modules/kms/controls';
import type { PlannedChange } from '../plan';
import { describeStatement, removedDenies } from './bucket-policy-statements';
import { defineRule } from './rule';

export const KEY_POLICY_DENY_REMOVED = defineRule({
  id: 'key-policy-deny-removed',
  title: 'A Deny statement is removed from a KMS key policy',
  controls: [GUARDRAIL_SCPS, KEY_ROTATION],
  resourceTypes: ['aws_kms_key', 'aws_kms_key_policy'],
  check(change: PlannedChange) {
    // A separate key policy resource replaces the key's whole policy (it calls PutKeyPolicy: KMS API
    // Reference, PutKeyPolicy, "Attaches a key policy to the specified KMS key"; the provider's
    // aws_kms_key_policy resource). The baseline writes its key policies on `aws_kms_key.policy` only and
    // never creates one, so a new one is flagged whatever it holds, for a reviewer to accept.
    if (change.type === 'aws_kms_key_policy' && (change.kind === 'create' || (change.kind === 'replace' && !change.before))) {
      return ["a separate key policy resource is created: it replaces the key's whole policy, the baseline's Deny statements included, and the baseline never creates one"];
    }
    // Deleting the key itself is `kms-key-destroyed`'s; a policy resource deleted drops its statements.
    if (change.type === 'aws_kms_key' && change.kind !== 'update') return [];
    const removed = removedDenies(change, () => true);
    if (removed.kind === 'unknown') return ['the new key policy is known only after apply, so the plan cannot show its Deny statements are kept'];
    if (removed.kind === 'unreadable') return ['the new key policy is not a JSON policy document, so the plan cannot show its Deny statements are kept'];
    const how = change.kind === 'delete' ? 'the key policy resource is deleted' : 'removed or changed';
    return removed.statements.map((s) => `Deny statement ${describeStatement(s)}: ${how}`);
  },
});
