/**
 * An AWS Config delivery channel deleted or replaced. `aws_config_delivery_channel`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_delivery_channel).
 */
import { CONFIG_DELIVERY_CHANNEL } from '../../modules/config-recorder/controls';
import { destroyRule } from './rule';

export const DELIVERY_CHANNEL_DESTROYED = destroyRule({
  id: 'delivery-channel-destroyed',
  title: 'An AWS Config delivery channel is deleted or replaced',
  controls: [CONFIG_DELIVERY_CHANNEL],
  resourceTypes: ['aws_config_delivery_channel'],
  what: 'the Config delivery channel',
  why: 'configuration history and snapshots stop reaching the log archive (and a recorder cannot run without one)',
});
