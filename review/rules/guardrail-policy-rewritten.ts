/**
 * A Deny statement removed from, or changed in, a guardrail SCP or RCP in place: the policy keeps its
 * id and attachments, so `guardrails-removed` sees nothing, while the new document may deny less.
 * `aws_organizations_policy.content` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy#content),
 * a JSON policy document whose type is `type` (`SERVICE_CONTROL_POLICY`, `RESOURCE_CONTROL_POLICY`).
 * A statement is kept when the new document has one with the same content (its Sid aside), as for
 * bucket policies (bucket-policy-statements.ts); a statement that only grew changes too, so the
 * finding asks a reviewer to accept a strengthening with `--allow`, which is the record auditors ask
 * for when the guardrails change.
 */
import { GUARDRAIL_RCPS, GUARDRAIL_SCPS } from '../../modules/guardrails/controls';
import type { PlannedChange } from '../plan';
import { describeStatement, removedDenies } from './bucket-policy-statements';
import { defineRule } from './rule';

const controlsOf = (change: PlannedChange) => {
  const type = change.before?.type ?? change.after?.type;
  return type === 'RESOURCE_CONTROL_POLICY' ? [GUARDRAIL_RCPS] : type === 'SERVICE_CONTROL_POLICY' ? [GUARDRAIL_SCPS] : [GUARDRAIL_SCPS, GUARDRAIL_RCPS];
};

export const GUARDRAIL_POLICY_REWRITTEN = defineRule({
  id: 'guardrail-policy-rewritten',
  title: 'A Deny statement of a guardrail SCP or RCP is removed or changed in place',
  controls: [GUARDRAIL_SCPS, GUARDRAIL_RCPS],
  resourceTypes: ['aws_organizations_policy'],
  controlsFor: controlsOf,
  check(change: PlannedChange) {
    // Deletion and replacement are `guardrails-removed`'s.
    if (change.kind !== 'update') return [];
    const removed = removedDenies(change, () => true, 'content');
    if (removed.kind === 'unknown') return ['content is known only after apply, so the plan cannot show its Deny statements are kept'];
    if (removed.kind === 'unreadable') return ['the new content is not a JSON policy document, so the plan cannot show its Deny statements are kept'];
    return removed.statements.map((s) => `Deny statement ${describeStatement(s)}: removed or changed`);
  },
});
