/** VPC flow logs: network traffic metadata of every VPC, the evidence of CC7.2 network monitoring. */
import { defineControl } from '../control-model/control';

export const VPC_FLOW_LOGS = defineControl({
  id: 'vpc.flow-logs',
  title: 'Flow logs of ALL traffic for every VPC',
  description: 'A flow log of ALL traffic for every VPC the account owns, in every governed Region, delivered to the central flow-log bucket (or an encrypted log group).',
  tsc: ['CC7.2', 'CC6.6'],
  cis: { 'v3.0.0': '3.7', 'v1.4.0': '3.9' },
  // Security Hub EC2 controls: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html
  securityHub: ['EC2.6'],
  awsConfigRules: ['vpc-flow-logs-enabled'],
  prowler: ['vpc_flow_logs_enabled'],
  evidence: {
    api: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
    command: 'aws ec2 describe-flow-logs --filter Name=resource-id,Values=<vpc ids>',
    lookFor: 'Every VPC has an ACTIVE flow log with TrafficType ALL to the configured destination, its LogFormat the baseline\'s (every field through version 5): a custom format leaving fields out fails.',
  },
});
