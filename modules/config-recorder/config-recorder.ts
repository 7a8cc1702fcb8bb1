/**
 * AWS Config recorders for one account: one per Region, all supported resource types, global
 * resource types in the home Region only (elsewhere they would be recorded, and billed, once per
 * Region), recording through the service-linked role that Security Hub Config.1 expects.
 */
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { configServiceLinkedRoleArn } from '../../config/naming';

export interface ConfigRecorderProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  /** Every Region to record in; must include `homeRegion`. */
  readonly regions: readonly string[];
  /** The one Region that records global resource types (IAM and the like). */
  readonly homeRegion: string;
  readonly recorderName: string;
  /**
   * Whether to create the `AWSServiceRoleForConfig` service-linked role.
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

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    if (!props.regions.includes(props.homeRegion)) {
      throw new Error(`ConfigRecorder ${id}: regions must include homeRegion ${props.homeRegion}`);
    }
    const serviceLinkedRole =
      props.createServiceLinkedRole ?? true
        ? new IamServiceLinkedRole(this, 'service-linked-role', {
            provider: props.provider,
            awsServiceName: 'config.amazonaws.com',
          })
        : undefined;
    const recorders = new Map<string, ConfigConfigurationRecorder>();
    for (const region of props.regions) {
      recorders.set(
        region,
        new ConfigConfigurationRecorder(this, `recorder-${region}`, {
          provider: props.provider,
          region,
          name: props.recorderName,
          roleArn: serviceLinkedRole?.arn ?? configServiceLinkedRoleArn(props.accountId),
          recordingGroup: {
            allSupported: true,
            includeGlobalResourceTypes: region === props.homeRegion,
          },
          recordingMode: { recordingFrequency: props.recordingFrequency ?? 'CONTINUOUS' },
        }),
      );
    }
    this.recorders = recorders;
  }
}
