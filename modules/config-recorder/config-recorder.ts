/**
 * AWS Config recording for one account: in each Region a recorder for all supported resource types
 * (global resource types in the home Region only: elsewhere they would be recorded, and billed, once
 * per Region), recording through the service-linked role that Security Hub Config.1 expects; a
 * delivery channel to the central Config bucket with a snapshot every 24 hours; and the recorder
 * turned on once its channel exists.
 */
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { CONFIG_DELIVERY_CHANNEL, CONFIG_RECORDER } from './controls';
import { Construct } from 'constructs';
import { configServiceLinkedRoleArn } from '../../config/naming';

export interface ConfigRecorderProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  /** Every Region to record in (Regions someone else records in, such as Control Tower's, excluded). */
  readonly regions: readonly string[];
  /** The one Region that records global resource types (IAM and the like). */
  readonly homeRegion: string;
  readonly recorderName: string;
  /** The central Config bucket (in the log-archive account); its default encryption is SSE-KMS. */
  readonly deliveryBucketName: string;
  /**
   * Whether to create the `AWSServiceRoleForConfig` service-linked role (once per account).
   * @default true
   */
  readonly createServiceLinkedRole?: boolean;
  /**
   * `CONTINUOUS` records every change as it happens; `DAILY` records once a day, for cost.
   * @default "CONTINUOUS"
   */
  readonly recordingFrequency?: 'CONTINUOUS' | 'DAILY';
}

export class ConfigRecorder extends Construct {
  /** Region → recorder. */
  readonly recorders: ReadonlyMap<string, ConfigConfigurationRecorder>;
  /** Region → what the Config rules of that Region wait for. */
  readonly ready: ReadonlyMap<string, ConfigConfigurationRecorderStatus>;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const recorders = new Map<string, ConfigConfigurationRecorder>();
    const ready = new Map<string, ConfigConfigurationRecorderStatus>();
    this.recorders = recorders;
    this.ready = ready;
    if (props.regions.length === 0) return;

    const serviceLinkedRole =
      (props.createServiceLinkedRole ?? true)
        ? new IamServiceLinkedRole(this, 'service-linked-role', {
            provider: props.provider,
            awsServiceName: 'config.amazonaws.com',
          })
        : undefined;

    for (const region of props.regions) {
      const regional = { provider: props.provider, region };
      const recorder = new ConfigConfigurationRecorder(this, `recorder-${region}`, {
        ...regional,
        name: props.recorderName,
        roleArn: serviceLinkedRole?.arn ?? configServiceLinkedRoleArn(props.accountId),
        recordingGroup: {
          allSupported: true,
          includeGlobalResourceTypes: region === props.homeRegion,
        },
        recordingMode: { recordingFrequency: props.recordingFrequency ?? 'CONTINUOUS' },
      });
      const channel = new ConfigDeliveryChannel(this, `delivery-channel-${region}`, {
        ...regional,
        name: props.recorderName,
        s3BucketName: props.deliveryBucketName,
        snapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
        dependsOn: [recorder],
      });
      recorders.set(region, recorder);
      const status = new ConfigConfigurationRecorderStatus(this, `recorder-status-${region}`, {
        ...regional,
        name: recorder.name,
        isEnabled: true,
        dependsOn: [channel],
      });
      ready.set(region, status);
      const record = controlRecorder(this, props.accountId, region);
      record(CONFIG_RECORDER, recorder, status);
      record(CONFIG_DELIVERY_CHANNEL, channel);
    }
  }
}
