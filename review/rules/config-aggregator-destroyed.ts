/**
 * The organization Config aggregator deleted or replaced. `aws_config_configuration_aggregator`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_configuration_aggregator):
 * the audit account's one view of every account's compliance; a new one collects again from nothing.
 */
import { CONFIG_AGGREGATOR } from '../../modules/security-services/controls';
import { destroyRule } from './rule';

export const CONFIG_AGGREGATOR_DESTROYED = destroyRule({
  id: 'config-aggregator-destroyed',
  title: 'The organization Config aggregator is deleted or replaced',
  controls: [CONFIG_AGGREGATOR],
  resourceTypes: ['aws_config_configuration_aggregator'],
  what: 'the Config aggregator',
  why: "the organization view of every account's configuration and compliance is gone until a new one collects again",
});
