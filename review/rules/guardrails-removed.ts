/**
 * A guardrail SCP or RCP deleted or detached: `aws_organizations_policy` (its `type`,
 * `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`, says which control) and
 * `aws_organizations_policy_attachment`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy_attachment),
 * which names only the policy id: a detached attachment counts against both controls.
 */
import { GUARDRAIL_RCPS, GUARDRAIL_SCPS } from '../../modules/guardrails/controls';
import { destroyRule } from './rule';

export const GUARDRAILS_REMOVED = destroyRule({
  id: 'guardrails-removed',
  title: 'A guardrail service or resource control policy is deleted, replaced or detached',
  controls: [GUARDRAIL_SCPS, GUARDRAIL_RCPS],
  controlsFor: (change) => {
    const type = change.before?.type ?? change.after?.type;
    return type === 'SERVICE_CONTROL_POLICY' ? [GUARDRAIL_SCPS] : type === 'RESOURCE_CONTROL_POLICY' ? [GUARDRAIL_RCPS] : [GUARDRAIL_SCPS, GUARDRAIL_RCPS];
  },
  resourceTypes: ['aws_organizations_policy', 'aws_organizations_policy_attachment'],
  what: 'the guardrail policy or its attachment',
  why: "administrators of the accounts it covered can again stop, delete or shorten the baseline's logging (an SCP), or principals outside the organization reach the log archive wherever a resource policy lets them (an RCP)",
});
