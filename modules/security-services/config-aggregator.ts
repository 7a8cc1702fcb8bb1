/**
 * The AWS Config organization aggregator in the audit account's home Region, over every governed
 * Region, through a role that only AWS Config of the audit account may assume.
 */
import { ConfigConfigurationAggregator } from '@cdktf/provider-aws/lib/config-configuration-aggregator';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { CONFIG_AGGREGATOR } from './controls';
import { Construct, type IConstruct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { serviceTrustPolicy } from '../iam/policy-document';

export const CONFIG_ORGANIZATIONS_POLICY_ARN = `arn:${PARTITION}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations`;

export interface ConfigAggregatorProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly homeRegion: string;
  readonly regions: readonly string[];
  readonly name: string;
  readonly delegation: IConstruct;
}

export class ConfigAggregator extends Construct {
  readonly aggregator: ConfigConfigurationAggregator;

  constructor(scope: Construct, id: string, props: ConfigAggregatorProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      provider: props.provider,
      name: `${props.name}-aggregator`,
      description: 'Lets AWS Config of the audit account aggregate the organization',
      assumeRolePolicy: serviceTrustPolicy('config.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': props.accountId },
        ArnLike: { 'aws:SourceArn': `arn:${PARTITION}:config:${props.homeRegion}:${props.accountId}:config-aggregator/*` },
      }),
    });
    const attachment = new IamRolePolicyAttachment(this, 'role-policy', {
      provider: props.provider,
      role: role.name,
      policyArn: CONFIG_ORGANIZATIONS_POLICY_ARN,
    });
    this.aggregator = new ConfigConfigurationAggregator(this, 'aggregator', {
      provider: props.provider,
      region: props.homeRegion,
      name: props.name,
      organizationAggregationSource: { roleArn: role.arn, regions: [...props.regions] },
      dependsOn: [attachment, props.delegation as never],
    });
    controlRecorder(this, props.accountId, props.homeRegion)(CONFIG_AGGREGATOR, this.aggregator);
  }
}
