/**
 * An AWS Config recorder stopped. `aws_config_configuration_recorder_status.is_enabled`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_configuration_recorder_status#is_enabled):
 * required; false stops recording.
 */
import { CONFIG_RECORDER } from '../../modules/config-recorder/controls';
import { turnedOffRule } from './rule';

export const CONFIG_RECORDING_STOPPED = turnedOffRule({
  id: 'config-recording-stopped',
  title: 'An AWS Config recorder stops recording',
  controls: [CONFIG_RECORDER],
  resourceTypes: ['aws_config_configuration_recorder_status'],
  attribute: ['is_enabled'],
  providerDefault: false,
});
