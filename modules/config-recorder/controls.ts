/** The AWS Config recording controls: configuration history of every resource, in every Region. */
import { defineControl } from '../control-model/control';

export const CONFIG_RECORDER = defineControl({
  id: 'config.recorder',
  title: 'AWS Config records every resource in every governed Region',
  description: 'A configuration recorder of all supported resource types (global types in the home Region), recording, in every governed Region of every member account.',
  tsc: ['CC7.1', 'CC8.1', 'CC4.1'],
  cis: { 'v3.0.0': '3.3', 'v1.4.0': '3.5' },
  // Security Hub Config controls: https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html
  securityHub: ['Config.1'],
  prowler: ['config_recorder_all_regions_enabled'],
  evidence: {
    api: ['config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus', 'organizations:ListAccounts'],
    command: 'aws configservice describe-configuration-recorder-status',
    lookFor: 'recording true and lastStatus not Failure in every governed Region; recordingGroup.allSupported true (global types in the home Region); recordingMode at the configured frequency with no recordingModeOverrides; every active account of the organization is in the config.',
  },
});

export const CONFIG_DELIVERY_CHANNEL = defineControl({
  id: 'config.delivery-channel',
  title: 'Configuration history and snapshots delivered to the log archive',
  description: "Each recorder's delivery channel sends configuration history and a daily snapshot to the central Config bucket of the log-archive account.",
  tsc: ['CC7.1', 'CC4.1', 'CC8.1'],
  evidence: {
    api: ['config:DescribeDeliveryChannels', 'config:DescribeDeliveryChannelStatus'],
    command: 'aws configservice describe-delivery-channel-status',
    lookFor: 's3BucketName is the central Config bucket, with no s3KeyPrefix and no s3KmsKeyArn (the baseline writes neither); neither configHistoryDeliveryInfo nor configSnapshotDeliveryInfo has lastStatus Failure.',
  },
});
