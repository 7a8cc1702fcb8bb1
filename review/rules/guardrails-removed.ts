/**
 * A guardrail SCP deleted or detached: `aws_organizations_policy` and
 * `aws_organizations_policy_attachment`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy_attachment).
 */
import { GUARDRAIL_SCPS } from '../../modules/guardrails/controls';
import { destroyRule } from './rule';

export const GUARDRAILS_REMOVED = destroyRule({
  id: 'guardrails-removed',
  title: 'A guardrail service control policy is deleted, replaced or detached',
  controls: [GUARDRAIL_SCPS],
  resourceTypes: ['aws_organizations_policy', 'aws_organizations_policy_attachment'],
  what: 'the guardrail SCP or its attachment',
  why: "administrators of the accounts it covered can again stop, delete or shorten the baseline's logging",
});
