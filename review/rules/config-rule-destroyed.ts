/**
 * An AWS Config rule deleted or replaced. `aws_config_config_rule`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_config_rule): each baseline
 * rule is its own control (`config-rule.<name>`); deleting it deletes its evaluation history, and a
 * replacement starts without one.
 */
import type { ControlDeclaration } from '../../modules/control-model/control';
import { ADDITIONAL_CONFIG_RULES, CONFIG_RULE_CONTROLS } from '../../modules/config-rules/controls';
import type { PlannedChange } from '../plan';
import { destroyRule } from './rule';

/** The control of a rule by its `name` (before the change), the added rules' control otherwise. */
function configRuleControlsOf(change: PlannedChange): readonly ControlDeclaration[] {
  const name = (change.before ?? change.after ?? {}).name;
  const control = typeof name === 'string' ? CONFIG_RULE_CONTROLS.get(name) : undefined;
  return control ? [control] : [ADDITIONAL_CONFIG_RULES];
}

export const CONFIG_RULE_DESTROYED = destroyRule({
  id: 'config-rule-destroyed',
  title: 'An AWS Config rule is deleted or replaced',
  controls: [...CONFIG_RULE_CONTROLS.values(), ADDITIONAL_CONFIG_RULES],
  controlsFor: configRuleControlsOf,
  resourceTypes: ['aws_config_config_rule'],
  what: 'the Config rule',
  why: 'what it checks is no longer evaluated, and its compliance history is lost',
});
