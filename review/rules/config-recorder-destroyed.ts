/**
 * An AWS Config recorder (or its status) deleted or replaced. `aws_config_configuration_recorder` and
 * `aws_config_configuration_recorder_status`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_configuration_recorder):
 * destroying the status stops the recorder.
 */
import { CONFIG_RECORDER } from '../../modules/config-recorder/controls';
import { destroyRule } from './rule';

export const CONFIG_RECORDER_DESTROYED = destroyRule({
  id: 'config-recorder-destroyed',
  title: 'An AWS Config recorder is deleted or replaced',
  controls: [CONFIG_RECORDER],
  resourceTypes: ['aws_config_configuration_recorder', 'aws_config_configuration_recorder_status'],
  what: 'the Config recorder',
  why: 'configuration changes in the account and Region go unrecorded, and the Config rules stop evaluating',
});
