/**
 * The benchmark's simulated organization (bench/evidence-sim.ts): its latency draw is deterministic and
 * in range, its token buckets throttle at the rates AWS documents and recover, its throttling errors
 * are ones the SDK's retry strategy treats as throttling, and it answers through a real SDK client
 * without any request leaving the process. No timed assertion: the clock and the sleep are injected.
 */
import { CloudWatchClient, DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, DescribeConfigurationRecorderStatusCommand, DescribeConfigurationRecordersCommand } from '@aws-sdk/client-config-service';
import { GuardDutyClient, ListMembersCommand } from '@aws-sdk/client-guardduty';
import { isThrottlingError } from '@smithy/core/retry';
import { parseConfigYaml } from '../../config/load';
import { memberRegions, orgTrailArn } from '../../config/naming';
import { recorderName } from '../../evidence/checks/config-service';
import { generateOrgYaml } from '../../bench/generate-org';
import { answerFor } from '../../bench/evidence-sim-answers';
import { draw, LATENCY_MS, RATES, SimulatedOrganization, type Scope } from '../../bench/evidence-sim';

const ACCOUNT = '600000000001';
const props = (clock: { t: number }, sleeps: number[] = []) => ({
  organizationId: 'o-exampleorg01',
  homeRegion: 'us-east-1',
  trailName: 'acme-soc2-org-trail',
  cloudTrailBucket: 'acme-soc2-cloudtrail',
  logFilesPerDigest: 2,
  now: () => clock.t,
  sleep: async (ms: number) => void sleeps.push(ms),
});
const cw: Scope = { clientName: 'CloudWatchClient', accountId: ACCOUNT, region: 'us-east-1' };

describe('the simulated organization of the evidence benchmark', () => {
  test('the latency of a call is drawn deterministically between 50 and 150 ms', async () => {
    const clock = { t: 0 };
    const a: number[] = [];
    const b: number[] = [];
    const one = new SimulatedOrganization(props(clock, a));
    const two = new SimulatedOrganization(props(clock, b));
    // The same call waits the same time in every simulation; other calls (another page) draw others.
    for (let i = 0; i < 3; i++) {
      await one.answer(cw, 'DescribeAlarms', { NextToken: String(i) });
      await two.answer(cw, 'DescribeAlarms', { NextToken: String(i) });
    }
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(1);
    const many = Array.from({ length: 1000 }, (_, i) => one.latency(`k${i}`));
    expect(Math.min(...many)).toBeGreaterThanOrEqual(LATENCY_MS.min);
    expect(Math.max(...many)).toBeLessThanOrEqual(LATENCY_MS.max);
    expect(draw('same')).toBe(draw('same'));
  });

  test('DescribeAlarmHistory is throttled beyond 3 per second, and answers again once the bucket refills', async () => {
    // "DescribeAlarmHistory ... 3 transactions per second (TPS)":
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
    expect(RATES['CloudWatch:DescribeAlarmHistory']).toEqual({ perSecond: 3, burst: 3 });
    const clock = { t: 1_000_000 };
    const sim = new SimulatedOrganization(props(clock));
    for (let i = 0; i < 3; i++) await sim.answer(cw, 'DescribeAlarmHistory', {});
    const error = await sim.answer(cw, 'DescribeAlarmHistory', {}).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 }, $fault: 'client' });
    expect(isThrottlingError(error as never)).toBe(true);
    // Another account's bucket is its own.
    await expect(sim.answer({ ...cw, accountId: '600000000002' }, 'DescribeAlarmHistory', {})).resolves.toEqual({});
    clock.t += 334; // one token back at 3 per second
    await expect(sim.answer(cw, 'DescribeAlarmHistory', {})).resolves.toEqual({});
    expect(sim.stats().byOperation['CloudWatch:DescribeAlarmHistory']).toEqual([5, 1]);
  });

  test('EC2 Describe calls have a bucket of 100 refilled at 20 per second, and throttle with RequestLimitExceeded', async () => {
    // Non-mutating actions: bucket size 100, refill rate 20 per second:
    // https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
    expect(RATES['EC2:*']).toEqual({ perSecond: 20, burst: 100 });
    const clock = { t: 0 };
    const sim = new SimulatedOrganization(props(clock));
    const ec2: Scope = { clientName: 'EC2Client', accountId: ACCOUNT, region: 'eu-west-1' };
    for (let i = 0; i < 100; i++) await sim.answer(ec2, 'DescribeVpcs', {});
    const error = await sim.answer(ec2, 'DescribeVpcs', {}).catch((e: unknown) => e as Error);
    expect(isThrottlingError(error as never)).toBe(true);
    expect(error).toMatchObject({ name: 'RequestLimitExceeded' });
  });

  test("the aggregator's NON_COMPLIANT summary answers none, in one page, for an organization with no config (or nonCompliantShare 0)", async () => {
    const sim = new SimulatedOrganization(props({ t: 0 }));
    const scope: Scope = { clientName: 'ConfigServiceClient', accountId: ACCOUNT, region: 'us-east-1' };
    // Response: AggregateComplianceByConfigRules, NextToken (https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeAggregateComplianceByConfigRules.html).
    await expect(sim.answer(scope, 'DescribeAggregateComplianceByConfigRules', { ConfigurationAggregatorName: 'acme-soc2-organization', Filters: { ComplianceType: 'NON_COMPLIANT' }, Limit: 1000 })).resolves.toEqual({
      AggregateComplianceByConfigRules: [],
    });
  });

  test('by default one member account-Region in ten lists baseline rules NON_COMPLIANT, in pages of Limit records, and each listed rule has two NON_COMPLIANT results', async () => {
    const config = parseConfigYaml(generateOrgYaml(300, 17), 'bench');
    const sim = new SimulatedOrganization({ ...props({ t: Date.UTC(2026, 0, 10) }), config, rates: { 'ConfigService:*': { perSecond: 1e9, burst: 1e9 } } });
    const audit: Scope = { clientName: 'ConfigServiceClient', accountId: config.organization.auditAccountId, region: 'us-east-1' };
    const request = { ConfigurationAggregatorName: 'acme-soc2-organization', Filters: { ComplianceType: 'NON_COMPLIANT' }, Limit: 100 };
    // "Limit: The maximum number of evaluation results returned on each page ... Maximum value of 1000" and NextToken
    // (https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeAggregateComplianceByConfigRules.html).
    const records: { ConfigRuleName: string; AccountId: string; AwsRegion: string }[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = (await sim.answer(audit, 'DescribeAggregateComplianceByConfigRules', { ...request, ...(token ? { NextToken: token } : {}) })) as { AggregateComplianceByConfigRules: typeof records; NextToken?: string };
      expect(page.AggregateComplianceByConfigRules.length).toBeLessThanOrEqual(100);
      records.push(...page.AggregateComplianceByConfigRules);
      token = page.NextToken;
      pages += 1;
    } while (token);
    const pairs = new Set(records.map((r) => `${r.AccountId}/${r.AwsRegion}`));
    const members = config.members.reduce((n, m) => n + memberRegions(config, m).length, 0);
    expect(pages).toBeGreaterThan(1);
    expect(pairs.size / members).toBeGreaterThan(0.07);
    expect(pairs.size / members).toBeLessThan(0.13);
    const listed = records[0];
    const detail = (rule: string) =>
      sim.answer(audit, 'GetAggregateComplianceDetailsByConfigRule', { ConfigurationAggregatorName: 'acme-soc2-organization', ConfigRuleName: rule, AccountId: listed.AccountId, AwsRegion: listed.AwsRegion, ComplianceType: 'NON_COMPLIANT', Limit: 100 });
    // AggregateEvaluationResults: ComplianceType, EvaluationResultIdentifier... (https://docs.aws.amazon.com/config/latest/APIReference/API_AggregateEvaluationResult.html).
    const results = ((await detail(listed.ConfigRuleName)) as { AggregateEvaluationResults: { ComplianceType: string }[] }).AggregateEvaluationResults;
    expect(results.map((r) => r.ComplianceType)).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT']);
    await expect(detail('not-a-listed-rule')).resolves.toEqual({ AggregateEvaluationResults: [] });
  });

  test('an unknown command answers {}', async () => {
    const sim = new SimulatedOrganization(props({ t: 0 }));
    await expect(sim.answer({ clientName: 'KMSClient', accountId: ACCOUNT, region: 'us-east-1' }, 'GetKeyPolicy', { KeyId: 'k' })).resolves.toEqual({});
  });

  test('through a real SDK client: answers without a request, lists the digests and serves them once', async () => {
    const sim = new SimulatedOrganization(props({ t: Date.UTC(2026, 0, 10, 12, 30) }));
    const credentials = { accessKeyId: 'AKIASIMULATED', secretAccessKey: 'simulated' };
    const s3 = new S3Client({ region: 'us-east-1', credentials });
    const ec2 = new EC2Client({ region: 'eu-west-1', credentials });
    const cloudWatch = new CloudWatchClient({ region: 'us-east-1', credentials });
    sim.decorateClient(s3 as never, { clientName: 'S3Client', accountId: 'reader', region: 'us-east-1' });
    sim.decorateClient(ec2 as never, { clientName: 'EC2Client', accountId: ACCOUNT, region: 'eu-west-1' });
    sim.decorateClient(cloudWatch as never, cw);
    try {
      const vpcs = await ec2.send(new DescribeVpcsCommand({}));
      expect(vpcs.Vpcs).toHaveLength(1);
      expect(vpcs.$metadata.httpStatusCode).toBe(200);
      const folder = `AWSLogs/o-exampleorg01/${ACCOUNT}/CloudTrail-Digest/eu-west-1/`;
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'acme-soc2-cloudtrail', Prefix: folder }));
      expect(listed.Contents).toHaveLength(26);
      const newest = listed.Contents!.at(-1)!.Key!;
      expect(newest).toMatch(/_CloudTrail-Digest_eu-west-1_acme-soc2-org-trail_us-east-1_20260110T120000Z\.json\.gz$/);
      const object = await s3.send(new GetObjectCommand({ Bucket: 'acme-soc2-cloudtrail', Key: newest }));
      expect(object.Metadata?.signature).toMatch(/^[0-9a-f]+$/);
      expect((await object.Body!.transformToByteArray()).length).toBeGreaterThan(0);
      await expect(s3.send(new GetObjectCommand({ Bucket: 'acme-soc2-cloudtrail', Key: newest }))).rejects.toMatchObject({ name: 'NoSuchKey' });
      // The history has 3 TPS: the adaptive strategy's retries land inside the simulation (no real sleep: 3 calls fit the burst).
      for (let i = 0; i < 3; i++) await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'a' }));
      expect(sim.stats()).toMatchObject({ calls: 7, throttles: 0 });
    } finally {
      s3.destroy();
      ec2.destroy();
      cloudWatch.destroy();
    }
  });

  describe('answers as a healthy organization deployed from the config (bench/evidence-sim-answers.ts)', () => {
    const config = parseConfigYaml(generateOrgYaml(120, 2), 'bench-org');
    const credentials = { accessKeyId: 'AKIASIMULATED', secretAccessKey: 'simulated' };
    const home = config.regions.home;

    test('through real SDK clients: the recorder is found by name and its status read; the trail asked for by ARN is logging', async () => {
      const sim = new SimulatedOrganization({ ...props({ t: Date.UTC(2026, 0, 10, 12, 30) }), config });
      const cfg = new ConfigServiceClient({ region: 'us-east-2', credentials });
      const ct = new CloudTrailClient({ region: home, credentials });
      sim.decorateClient(cfg as never, { clientName: 'ConfigServiceClient', accountId: ACCOUNT, region: 'us-east-2' });
      sim.decorateClient(ct as never, { clientName: 'CloudTrailClient', accountId: config.organization.managementAccountId, region: home });
      try {
        // ConfigurationRecorders[].name, recordingGroup.allSupported (API_ConfigurationRecorder.html;
        // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorders.html).
        const recorders = await cfg.send(new DescribeConfigurationRecordersCommand({}));
        const name = recorderName(config, 'us-east-2');
        expect(recorders.ConfigurationRecorders).toMatchObject([{ name, recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } }]);
        // ConfigurationRecordersStatus[]: name, recording, lastStatus "Pending | Success | Failure | NotApplicable"
        // (https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorderStatus.html).
        const status = await cfg.send(new DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: [name] }));
        expect(status.ConfigurationRecordersStatus).toMatchObject([{ name, recording: true, lastStatus: 'Success' }]);
        expect(status.ConfigurationRecordersStatus![0].lastStatusChangeTime).toBeInstanceOf(Date);
        // trailList[]: TrailARN, IsOrganizationTrail, LogFileValidationEnabled (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html);
        // GetTrailStatus: IsLogging (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html).
        const trails = await ct.send(new DescribeTrailsCommand({ trailNameList: [orgTrailArn(config)], includeShadowTrails: false }));
        expect(trails.trailList).toMatchObject([{ TrailARN: orgTrailArn(config), IsOrganizationTrail: true, IsMultiRegionTrail: true, LogFileValidationEnabled: true }]);
        expect((await ct.send(new GetTrailStatusCommand({ Name: orgTrailArn(config) }))).IsLogging).toBe(true);
        expect(sim.stats().byOperation).toMatchObject({ 'ConfigService:DescribeConfigurationRecorderStatus': [1, 0], 'CloudTrail:GetTrailStatus': [1, 0] });
      } finally {
        cfg.destroy();
        ct.destroy();
      }
    });

    test("through a real SDK client: GuardDuty's members come 50 a page, so the pages grow with the organization", async () => {
      // ListMembers MaxResults: "The default value is 50. The maximum value is 50."; Members[].RelationshipStatus; NextToken
      // (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListMembers.html).
      const sim = new SimulatedOrganization({ ...props({ t: 0 }), config });
      const gd = new GuardDutyClient({ region: home, credentials });
      sim.decorateClient(gd as never, { clientName: 'GuardDutyClient', accountId: config.organization.auditAccountId, region: home });
      try {
        const pages = [];
        let NextToken: string | undefined;
        do {
          const page = await gd.send(new ListMembersCommand({ DetectorId: 'd', OnlyAssociated: 'true', NextToken }));
          pages.push(page);
          NextToken = page.NextToken;
        } while (NextToken);
        expect(pages.map((p) => p.Members?.length)).toEqual([50, 50, 19]); // 120 members less the audit account
        expect(pages.flatMap((p) => p.Members ?? []).every((m) => m.RelationshipStatus === 'Enabled')).toBe(true);
      } finally {
        gd.destroy();
      }
    });

    test('without a config, or for a command the table does not know, the answer is left to the simulation ({})', () => {
      const call = { accountId: ACCOUNT, region: home, input: {}, now: 0 };
      expect(answerFor('ConfigService:DescribeConfigurationRecorders', call)).toBeUndefined();
      expect(answerFor('KMS:GetKeyPolicy', { ...call, config })).toBeUndefined();
      // A dead-letter queue asked for by its name is listed: ListQueues QueueUrls
      // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html).
      expect(answerFor('SQS:ListQueues', { ...call, config, input: { QueueNamePrefix: 'q-undelivered' } })).toEqual({ QueueUrls: [`https://sqs.${home}.amazonaws.com/${ACCOUNT}/q-undelivered`] });
    });
  });
});
