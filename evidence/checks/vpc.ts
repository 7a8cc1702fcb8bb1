/**
 * VPC flow logs, in every account and Region of the selection: every VPC the account owns (VPCs
 * shared in through AWS RAM are their owner's) has an active flow log of ALL traffic delivering to
 * the configured destination, as modules/flow-logs builds it.
 */
import { DescribeFlowLogsCommand, DescribeVpcsCommand, EC2Client, type FlowLog } from '@aws-sdk/client-ec2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { logBucketName, s3BucketArn } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';
import { judgeLogGroup, LOG_GROUP_CONTROLS } from './cloudwatch';

/**
 * The version-5 fields modules/flow-logs/vpc-flow-logs.ts lists (`FLOW_LOG_FIELDS`; not imported:
 * that module loads the AWS provider bindings), in AWS's order.
 */
const FLOW_LOG_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets',
  'bytes', 'start', 'end', 'action', 'log-status', 'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type',
  'pkt-srcaddr', 'pkt-dstaddr', 'region', 'az-id', 'sublocation-type', 'sublocation-id', 'pkt-src-aws-service',
  'pkt-dst-aws-service', 'flow-direction', 'traffic-path',
];

/**
 * The LogFormat the baseline's flow logs have, as DescribeFlowLogs reports it: `FLOW_LOG_FORMAT`
 * once Terraform has read its `$${` escapes as a literal `${` (FlowLog.LogFormat, API_FlowLog.html).
 */
export const BASELINE_FLOW_LOG_FORMAT = FLOW_LOG_FIELDS.map((f) => `\${${f}}`).join(' ');

export function flowLogGroupName(config: BaselineConfig): string {
  return `/${config.organization.namePrefix}/vpc-flow-logs`;
}

export function flowLogTasks(ctx: CollectContext, pairs: readonly (readonly [string, string])[]): Task[] {
  const { config } = ctx;
  const toLogs = config.flowLogs.destination === 'cloud-watch-logs';
  return pairs.map(
    ([accountId, region]) =>
      new Task(ctx, { label: 'VPC flow logs', accountId, region, controls: ['vpc.flow-logs', ...(toLogs ? LOG_GROUP_CONTROLS : [])] }, async (task) => {
        await task.guard(['vpc.flow-logs'], () => judgeFlowLogs(task, config));
        if (toLogs) await task.guard(LOG_GROUP_CONTROLS, () => judgeLogGroup(task, task.client(CloudWatchLogsClient), config, flowLogGroupName(config)));
      }),
  );
}

/** What is wrong with a VPC's flow logs; empty when one of them is as the baseline makes it (destination, traffic, LogFormat). */
export function flowLogProblems(config: BaselineConfig, vpcId: string, logs: readonly FlowLog[]): string | undefined {
  const mine = logs.filter((l) => l.ResourceId === vpcId);
  if (mine.length === 0) return `${vpcId}: no flow log`;
  const s3 = config.flowLogs.destination === 's3';
  const wantedDestination = s3 ? s3BucketArn(logBucketName(config, 'flowlogs')) : flowLogGroupName(config);
  const delivering = (l: FlowLog) =>
    // FlowLog.TrafficType, FlowLogStatus, DeliverLogsStatus, LogDestinationType, LogDestination, LogGroupName (API_FlowLog.html).
    l.TrafficType === 'ALL' &&
    l.FlowLogStatus === 'ACTIVE' &&
    (l.DeliverLogsStatus === undefined || l.DeliverLogsStatus === 'SUCCESS') &&
    (s3
      ? l.LogDestinationType === 's3' && (l.LogDestination === wantedDestination || l.LogDestination?.startsWith(`${wantedDestination}/`))
      : (l.LogDestinationType ?? 'cloud-watch-logs') === 'cloud-watch-logs' && l.LogGroupName === wantedDestination);
  // FlowLog.LogFormat (API_FlowLog.html): the fields of each record; the baseline's has every field
  // through version 5 (addresses, ports, action...), a custom one may leave them out.
  const fullFormat = (l: FlowLog) => l.LogFormat === BASELINE_FLOW_LOG_FORMAT;
  if (mine.some((l) => delivering(l) && fullFormat(l))) return undefined;
  const l = mine.find(delivering);
  if (l) return `${vpcId}: flow log ${l.FlowLogId} LogFormat is '${l.LogFormat ?? '(none)'}', not the baseline's version-5 format '${BASELINE_FLOW_LOG_FORMAT}'`;
  const first = mine[0];
  return `${vpcId}: flow log ${first.FlowLogId} is ${first.FlowLogStatus}/${first.DeliverLogsStatus ?? '-'}, traffic ${first.TrafficType}, to ${first.LogDestinationType} ${first.LogDestination ?? first.LogGroupName ?? ''}, not ACTIVE ALL traffic to ${wantedDestination}`;
}

async function judgeFlowLogs(task: Task, config: BaselineConfig): Promise<void> {
  const ec2 = task.client(EC2Client);
  // Filter `owner-id`: DescribeVpcs also returns VPCs shared into the account (their owner logs them).
  const vpcRequest = { Filters: [{ Name: 'owner-id', Values: [task.accountId] }] };
  const vpcPages = await task.paginate(
    'ec2:DescribeVpcs',
    vpcRequest,
    (token) => ec2.send(new DescribeVpcsCommand({ ...vpcRequest, NextToken: token })),
    (p) => p.NextToken,
  );
  const vpcs = vpcPages
    .flatMap((p) => p.Vpcs ?? [])
    .filter((v) => !v.OwnerId || v.OwnerId === task.accountId)
    .map((v) => v.VpcId as string)
    .filter(Boolean)
    .sort();
  const sources = [DOC.ec2.describeVpcs, DOC.ec2.describeFlowLogs, DOC.ec2.flowLog];
  if (vpcs.length === 0) {
    task.item({ controlId: 'vpc.flow-logs', title: 'Every VPC has a flow log', status: 'PASS', reason: 'the account owns no VPC in this Region', sources });
    return;
  }
  const logs: FlowLog[] = [];
  // The resource-id filter takes a bounded list of values: ask in slices.
  for (let i = 0; i < vpcs.length; i += 100) {
    const request = { Filter: [{ Name: 'resource-id', Values: vpcs.slice(i, i + 100) }] };
    const pages = await task.paginate(
      'ec2:DescribeFlowLogs',
      request,
      (token) => ec2.send(new DescribeFlowLogsCommand({ ...request, NextToken: token })),
      (p) => p.NextToken,
      { key: i === 0 ? undefined : `part${i / 100 + 1}` },
    );
    for (const page of pages) logs.push(...(page.FlowLogs ?? []));
  }
  const problems = vpcs.map((vpc) => flowLogProblems(config, vpc, logs)).filter((p): p is string => !!p);
  task.item({
    controlId: 'vpc.flow-logs',
    title: 'Every VPC has a flow log',
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length
      ? `${problems.length} of ${vpcs.length} VPC(s) not logged as configured: ${problems.join('; ')}`
      : `all ${vpcs.length} VPC(s) (${vpcs.join(', ')}) have an ACTIVE flow log of ALL traffic, every version-5 field`,
    sources,
    details: { vpcs: vpcs.length, notLogged: problems.length },
  });
}
