/**
 * VPC flow logs for every VPC one account owns, in every Region of the member, found at plan time: an
 * `aws_vpcs` data source per Region (filtered by owner, so VPCs shared in through AWS RAM are left to
 * their owner's stack) feeds a `for_each`, so a VPC created tomorrow is covered at the
 * next apply without anyone listing it. Traffic type ALL (Security Hub EC2.6), the version-5 fields,
 * and delivery to the central flow-log bucket (hive-compatible partitions) or to a KMS-encrypted log
 * group per Region.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsVpcs } from '@cdktf/provider-aws/lib/data-aws-vpcs';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { controlRecorder } from '../control-model/record';
import { LOG_GROUP_ENCRYPTION, LOG_GROUP_RETENTION } from '../cloudwatch-logs/controls';
import { policyDocument, serviceTrustPolicy } from '../iam/policy-document';
import { LogEncryptionKey } from '../kms/log-encryption-key';
import { VPC_FLOW_LOGS } from './controls';

/** Every field through version 5, in AWS's order. */
export const FLOW_LOG_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets',
  'bytes', 'start', 'end', 'action', 'log-status', 'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type',
  'pkt-srcaddr', 'pkt-dstaddr', 'region', 'az-id', 'sublocation-type', 'sublocation-id', 'pkt-src-aws-service',
  'pkt-dst-aws-service', 'flow-direction', 'traffic-path',
];

/** `$${field}`: the doubled `$` keeps Terraform from reading `${...}` as an interpolation. */
export const FLOW_LOG_FORMAT = FLOW_LOG_FIELDS.map((f) => `$\${${f}}`).join(' ');

export type VpcFlowLogDestination =
  | { readonly type: 's3'; readonly bucketArn: string }
  | {
      readonly type: 'cloud-watch-logs';
      readonly logGroupName: string;
      readonly retentionDays: number;
      readonly keyAlias: string;
      readonly roleName: string;
    };

export interface VpcFlowLogsProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly destination: VpcFlowLogDestination;
  readonly maxAggregationInterval: 60 | 600;
}

export class VpcFlowLogs extends Construct {
  /** Region → the flow log resource (one instance per VPC at plan time). */
  readonly flowLogs: ReadonlyMap<string, FlowLog>;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const destination = props.destination;
    const flowLogs = new Map<string, FlowLog>();
    this.flowLogs = flowLogs;

    let role: IamRole | undefined;
    if (destination.type === 'cloud-watch-logs') {
      const logGroupArns = props.regions.map(
        (region) => `arn:${PARTITION}:logs:${region}:${props.accountId}:log-group:${destination.logGroupName}`,
      );
      role = new IamRole(this, 'delivery-role', {
        provider: props.provider,
        name: destination.roleName,
        description: 'Lets VPC flow logs of this account write to the flow-log log groups',
        assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com', {
          StringEquals: { 'aws:SourceAccount': props.accountId },
          ArnLike: { 'aws:SourceArn': `arn:${PARTITION}:ec2:*:${props.accountId}:vpc-flow-log/*` },
        }),
      });
      new IamRolePolicy(this, 'delivery-policy', {
        provider: props.provider,
        role: role.name,
        name: 'write-flow-log-groups',
        policy: policyDocument([
          {
            Sid: 'WriteFlowLogGroups',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
            Resource: [...logGroupArns, ...logGroupArns.map((arn) => `${arn}:*`)],
          },
        ]),
      });
    }

    for (const region of props.regions) {
      const regional = { provider: props.provider, region };
      let target: { logDestinationType: string; logDestination: string; iamRoleArn?: string; destinationOptions?: object };
      if (destination.type === 's3') {
        target = {
          logDestinationType: 's3',
          logDestination: destination.bucketArn,
          destinationOptions: { fileFormat: 'plain-text', hiveCompatiblePartitions: true, perHourPartition: true },
        };
      } else {
        const logGroupArn = `arn:${PARTITION}:logs:${region}:${props.accountId}:log-group:${destination.logGroupName}`;
        const key = new LogEncryptionKey(this, `log-group-key-${region}`, {
          ...regional,
          accountId: props.accountId,
          aliasName: destination.keyAlias,
          description: `Encrypts the VPC flow logs of ${region}`,
          // The account's own copy: it goes with the account's stack.
          preventDestroy: false,
          statements: [
            {
              Sid: 'CloudWatchLogsUseForFlowLogGroup',
              Effect: 'Allow',
              Principal: { Service: `logs.${region}.amazonaws.com` },
              // AWS's example grants kms:Describe* too, but DescribeKey carries no encryption context (KMS API
              // Reference, GrantConstraints: constraints "are not applied to operations that do not support an
              // encryption context, such as ... DescribeKey": https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html),
              // so under this condition it never applies; review/policy-validation.ts reports such a grant.
              Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
              Resource: '*',
              Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
            },
          ],
        });
        const logGroup = new CloudwatchLogGroup(this, `log-group-${region}`, {
          ...regional,
          name: destination.logGroupName,
          retentionInDays: destination.retentionDays,
          kmsKeyId: key.key.arn,
        });
        const record = controlRecorder(this, props.accountId, region);
        record(LOG_GROUP_RETENTION, logGroup);
        record(LOG_GROUP_ENCRYPTION, logGroup, key.key);
        target = { logDestinationType: 'cloud-watch-logs', logDestination: logGroup.arn, iamRoleArn: role!.arn };
      }

      // Only the VPCs this account owns: DescribeVpcs also returns VPCs shared into the account through
      // AWS RAM, on which a participant cannot create a VPC-level flow log ("Share your VPC", Amazon
      // VPC User Guide: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html). The
      // owner's own member stack logs them. Filter `owner-id`: the EC2 API reference, DescribeVpcs
      // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html).
      const vpcs = new DataAwsVpcs(this, `vpcs-${region}`, {
        ...regional,
        filter: [{ name: 'owner-id', values: [props.accountId] }],
      });
      const eachVpc = TerraformIterator.fromList(vpcs.ids);
      const flowLog = new FlowLog(this, `flow-log-${region}`, {
        ...regional,
        forEach: eachVpc,
        vpcId: eachVpc.value,
        trafficType: 'ALL',
        logFormat: FLOW_LOG_FORMAT,
        maxAggregationInterval: props.maxAggregationInterval,
        ...target,
      });
      flowLogs.set(region, flowLog);
      // One flow log per VPC the account owns, found at plan time (for_each over the VPC ids).
      controlRecorder(this, props.accountId, region)(VPC_FLOW_LOGS, flowLog);
    }
  }
}
