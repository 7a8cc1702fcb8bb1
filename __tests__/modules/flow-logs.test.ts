import { configWith, exampleConfig, oneResource, resourcesOf, synthStack } from '../helpers';

const V5_FORMAT =
  '$${version} $${account-id} $${interface-id} $${srcaddr} $${dstaddr} $${srcport} $${dstport} $${protocol} $${packets} $${bytes} $${start} $${end} $${action} $${log-status} $${vpc-id} $${subnet-id} $${instance-id} $${tcp-flags} $${type} $${pkt-srcaddr} $${pkt-dstaddr} $${region} $${az-id} $${sublocation-type} $${sublocation-id} $${pkt-src-aws-service} $${pkt-dst-aws-service} $${flow-direction} $${traffic-path}';

describe('VPC flow logs', () => {
  const json = synthStack(exampleConfig(), 'member-444444444444');
  const vpcs = Object.fromEntries(resourcesOf({ resource: json.data }, 'aws_vpcs').map(([id, d]) => [d.region, id]));
  const flowLogs = resourcesOf(json, 'aws_flow_log').map(([, f]) => f);

  test('every VPC of every Region is found at plan time, not listed by hand', () => {
    expect(Object.keys(vpcs).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    expect(flowLogs.map((f) => f.region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    for (const f of flowLogs) {
      expect(f.for_each).toBe(`\${toset(data.aws_vpcs.${vpcs[f.region]}.ids)}`);
      expect(f.vpc_id).toBe('${each.value}');
    }
  });

  // A participant of a RAM-shared VPC cannot create its flow log ("Share your VPC", VPC User Guide);
  // `owner-id` is DescribeVpcs' owner filter (EC2 API reference, DescribeVpcs).
  test('only the VPCs the account owns: VPCs shared in through AWS RAM are logged by their owner', () => {
    for (const id of Object.values(vpcs) as string[]) {
      expect(json.data!.aws_vpcs[id].filter).toEqual([{ name: 'owner-id', values: ['444444444444'] }]);
    }
  });

  test('capture ALL traffic with the version-5 fields, into the central bucket with hive partitions', () => {
    for (const f of flowLogs) {
      expect(f).toMatchObject({
        traffic_type: 'ALL',
        log_format: V5_FORMAT,
        max_aggregation_interval: 600,
        log_destination_type: 's3',
        log_destination: 'arn:aws:s3:::acme-soc2-flowlogs-222222222222-us-east-1',
        destination_options: { file_format: 'plain-text', hive_compatible_partitions: true, per_hour_partition: true },
      });
      expect(f.iam_role_arn).toBeUndefined();
    }
  });

  test("follow the member's Region subset", () => {
    const subset = synthStack(exampleConfig(), 'member-555555555555');
    expect(resourcesOf(subset, 'aws_flow_log').map(([, f]) => f.region)).toEqual(['us-east-1']);
  });

  test('to CloudWatch Logs: a KMS-encrypted group per Region and a delivery role for this account only', () => {
    const config = configWith((raw) => (raw.flowLogs = { destination: 'cloud-watch-logs', maxAggregationIntervalSeconds: 60 }));
    const cw = synthStack(config, 'member-444444444444');
    const groups = resourcesOf(cw, 'aws_cloudwatch_log_group').map(([id, g]) => [id, g] as const).filter(([, g]) => g.name === '/acme-soc2/vpc-flow-logs');
    expect(groups.map(([, g]) => g.region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    for (const [, g] of groups) {
      expect(g.retention_in_days).toBe(365);
      expect(g.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    }
    const role = oneResource(cw, 'aws_iam_role', (r) => r.name === 'acme-soc2-vpc-flow-logs-delivery');
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toEqual({
      Sid: 'AllowServiceToAssume',
      Effect: 'Allow',
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '444444444444' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:*:444444444444:vpc-flow-log/*' },
      },
    });
    for (const [, f] of resourcesOf(cw, 'aws_flow_log')) {
      const group = groups.find(([, g]) => g.region === f.region)!;
      expect(f).toMatchObject({
        log_destination_type: 'cloud-watch-logs',
        log_destination: `\${aws_cloudwatch_log_group.${group[0]}.arn}`,
        max_aggregation_interval: 60,
        traffic_type: 'ALL',
      });
      expect(f.iam_role_arn).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
      expect(f.destination_options).toBeUndefined();
    }
  });
});
