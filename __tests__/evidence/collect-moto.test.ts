/**
 * The collector against moto (server mode, started here on a free loopback port): a compliant
 * organization passes every control; breaking one thing at a time fails exactly the control it
 * breaks. APIs moto lacks are answered at the SDK level (org-fixture.ts, `mockMissingApis`).
 */
import { DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudTrailClient, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, StartConfigurationRecorderCommand, StopConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { CreateFlowLogsCommand, DeleteFlowLogsCommand, DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribePolicyCommand, ListPoliciesForTargetCommand, OrganizationsClient, UpdatePolicyCommand } from '@aws-sdk/client-organizations';
import { DeleteObjectCommand, GetObjectCommand, GetObjectLockConfigurationCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { logBucketName, orgTrailArn, orgTrailName, s3BucketArn } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { writeBinder } from '../../evidence/binder';
import { createEvidenceCommand } from '../../evidence/cli';
import type { CollectOptions } from '../../evidence/collect';
import { EVIDENCE_CONTROLS } from '../../evidence/controls';
import type { EvidenceResult } from '../../evidence/types';
import { clientSettings, HOME, unmocked, OTHER, orgConfigRaw, ROLE_NAME, type MotoAccounts, type OrgIds } from './org-fixture';
import { startHealthyOrg, type HealthyOrg } from './healthy-org';
import { dumpDom, screenshot } from './chromium';
import { RUNNER_CREDENTIALS, type Moto } from './moto';

let org: HealthyOrg;
let moto: Moto;
let accounts: MotoAccounts;
let ids: OrgIds;
let config: BaselineConfig;
let clock: Date;
let baseline: EvidenceResult;

beforeAll(async () => {
  org = await startHealthyOrg();
  ({ moto, accounts, ids, config, clock } = org);
  baseline = await collect();
}, 120_000);

afterAll(async () => {
  await org?.stop();
});

const collect = (extra: Partial<CollectOptions> = {}): Promise<EvidenceResult> => org.collect(extra);

const notPassing = (r: EvidenceResult) => r.items.filter((i) => i.status !== 'PASS').map((i) => `${i.status} ${i.id}: ${i.reason}`);
const failedIds = (r: EvidenceResult) => r.items.filter((i) => i.status !== 'PASS').map((i) => `${i.status} ${i.id}`);

describe('baseline evidence against moto', () => {
  test('a compliant organization passes every control, each judged where the config says it exists', () => {
    expect(notPassing(baseline)).toEqual([]);
    const controls = new Set(baseline.items.map((i) => i.controlId));
    // Every control of the catalog has evidence, the config's additional rules aside (it has none).
    const expected = [...EVIDENCE_CONTROLS.keys()].filter((id) => id !== 'config-rule.additional-rules');
    expect(expected.filter((id) => !controls.has(id))).toEqual([]);
    // The member that covers the home Region only is not judged in the other Region.
    expect(baseline.items.filter((i) => i.accountId === ids.workload && i.region === OTHER)).toEqual([]);
    expect(baseline.items.some((i) => i.accountId === ids.audit && i.region === OTHER && i.controlId === 'config.recorder')).toBe(true);
    // Digests of every account and Region were validated, through S3 and the reader role.
    const digests = baseline.items.filter((i) => i.controlId === 'cloudtrail.log-file-validation' && i.resource?.startsWith('digests/'));
    expect(digests).toHaveLength(7);
    expect(digests[0].details).toMatchObject({ digests: { valid: 2, invalid: 0, missing: 0 }, logs: { valid: 2, modified: 0, missing: 0 } });
    // Judged by their versions (the bucket is versioned, under Object Lock with a default retention),
    // and, 2 files being fewer than the default sample of 4, each hashed too.
    expect(digests[0].details).toMatchObject({ logProof: { method: 'versions', listed: 2, hashed: 2, versionPages: 1 } });
    expect(digests[0].reason).toContain(`each judged by its versions since delivery (versioning Enabled, Object Lock default retention ${config.retention.objectLockMode} ${config.retention.logArchiveDays} days`);
  });

  test('each item links raw responses that exist, without request ids', () => {
    for (const item of baseline.items) {
      for (const name of item.raw) expect(baseline.raw.has(name)).toBe(true);
    }
    const trail = baseline.raw.get(`${ids.management}.${HOME}.cloudtrail.DescribeTrails.json`)!;
    expect(JSON.stringify(trail)).not.toContain('requestId');
    expect((trail.responses?.[0] as { trailList: { TrailARN: string }[] }).trailList[0].TrailARN).toBe(orgTrailArn(config));
  });

  test('GuardDuty, Macie and Access Analyzer findings are counted by severity, across pages', () => {
    const gd = baseline.items.find((i) => i.id === `guardduty.organization/${ids.audit}/${HOME}/findings`)!;
    expect(gd.details).toMatchObject({ critical: 0, high: 1, medium: 1, low: 1, total: 3 });
    const macie = baseline.items.find((i) => i.id === `macie.organization/${ids.audit}/${HOME}/findings`)!;
    expect(macie.details).toMatchObject({ high: 1, total: 1 });
    const sh = baseline.items.find((i) => i.id === `securityhub.fsbp-standard/${ids.audit}/${HOME}/control-results/aws-foundational-security-best-practices/v/1.0.0`)!;
    expect(sh.reason).toBe('no control with a FAILED result across the organization (suppressed findings count too)');
  });

  test('stopping the organization trail fails exactly cloudtrail.organization-trail', async () => {
    const ct = await accounts.client(CloudTrailClient, ids.management);
    await unmocked(ct, new StopLoggingCommand({ Name: orgTrailName(config) }));
    try {
      const result = await collect({ validateLogsSince: false });
      expect(failedIds(result)).toEqual([`FAIL cloudtrail.organization-trail/${ids.management}/${HOME}/${orgTrailArn(config)}`]);
      expect(result.items.find((i) => i.status === 'FAIL')!.reason).toContain('IsLogging is false');
    } finally {
      await unmocked(ct, new StartLoggingCommand({ Name: orgTrailName(config) }));
    }
  });

  test('deleting a flow log fails exactly vpc.flow-logs of that account and Region', async () => {
    const ec2 = await accounts.client(EC2Client, ids.workload, HOME);
    const logs = (await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? [];
    await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: logs.map((l) => l.FlowLogId!) }));
    try {
      const result = await collect({ validateLogsSince: false });
      expect(failedIds(result)).toEqual([`FAIL vpc.flow-logs/${ids.workload}/${HOME}`]);
      expect(result.items.find((i) => i.status === 'FAIL')!.reason).toMatch(/vpc-[0-9a-f]+: no flow log/);
    } finally {
      await ec2.send(
        new CreateFlowLogsCommand({ ResourceIds: logs.map((l) => l.ResourceId!), ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: s3BucketArn(logBucketName(config, 'flowlogs')), LogFormat: logs[0].LogFormat }),
      );
    }
  });

  test('suspending versioning fails exactly log-archive.versioning of that bucket', async () => {
    const s3 = await accounts.client(S3Client, ids.logArchive);
    const Bucket = logBucketName(config, 's3-server-logs');
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    try {
      const result = await collect({ validateLogsSince: false });
      expect(failedIds(result)).toEqual([`FAIL log-archive.versioning/${ids.logArchive}/${HOME}/${Bucket}`]);
    } finally {
      await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    }
  });

  test('deleting a CIS alarm fails exactly that cis control in that account, and the period\'s alarm item (the alarm is MISSING now)', async () => {
    const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
    const cw = await accounts.client(CloudWatchClient, ids.workload);
    const name = 'acme-soc2-account-root-account-usage';
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
    try {
      const result = await collect({ validateLogsSince: false });
      expect(failedIds(result).sort()).toEqual([`FAIL cis.root-account-usage/${ids.workload}/${HOME}/${name}`, `FAIL period.alarm-response/${ids.workload}/${HOME}/alarms`]);
      expect(result.items.find((i) => i.id === `period.alarm-response/${ids.workload}/${HOME}/alarms`)!.reason).toBe(`no alarm ${name}: MISSING now (DescribeAlarms does not return it)`);
    } finally {
      const { PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          ActionsEnabled: true,
          AlarmActions: [`arn:aws:sns:${HOME}:${ids.workload}:acme-soc2-security-alerts`],
          Namespace: 'CISBenchmark',
          MetricName: 'RootAccountUsage',
          Statistic: 'Sum',
          Period: 300,
        }),
      );
    }
  });

  // The alarm history record's rules (modules/alerting/alarm-history.ts), read with DescribeRule (State,
  // EventPattern: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html) and
  // ListTargetsByRule (Targets[].Arn, DeadLetterConfig: API_ListTargetsByRule.html); moto serves both.
  test('healthy: the alarm history record\'s two rules PASS, enabled, with the baseline\'s patterns, targeting the log group', () => {
    const item = baseline.items.find((i) => i.id === `alerting.central-routing/${ids.audit}/${HOME}/alarm-history-rules`)!;
    expect(item.status).toBe('PASS');
    expect(item.reason).toBe(
      `rule acme-soc2-alarms-to-history on acme-soc2-security-alarms and rule acme-soc2-audit-alarms-to-history on the default bus ENABLED, with the baseline's patterns (every state change of the baseline's alarms), targeting arn:aws:logs:${HOME}:${ids.audit}:log-group:/acme-soc2/alarm-history; their dead-letter queue acme-soc2-alarms-to-history-undelivered is empty`,
    );
  });

  for (const rule of ['central', 'local'] as const) {
    test(`disabling the alarm history record's ${rule} rule fails exactly its item (the record would miss state changes)`, async () => {
      const { alarmEventBusName, alarmHistoryRuleNames } = await import('../../config/naming');
      const { DisableRuleCommand, EnableRuleCommand, EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
      const events = await accounts.client(EventBridgeClient, ids.audit);
      const request = { Name: alarmHistoryRuleNames(config)[rule], ...(rule === 'central' ? { EventBusName: alarmEventBusName(config) } : {}) };
      await events.send(new DisableRuleCommand(request));
      try {
        const result = await collect({ validateLogsSince: false });
        expect(failedIds(result)).toEqual([`FAIL alerting.central-routing/${ids.audit}/${HOME}/alarm-history-rules`]);
        expect(result.items.find((i) => i.status === 'FAIL')!.reason).toMatch(new RegExp(`^rule ${request.Name}${rule === 'central' ? ` on ${alarmEventBusName(config)}` : ''} in ${ids.audit} ${HOME} is DISABLED$`));
      } finally {
        await events.send(new EnableRuleCommand(request));
      }
    });
  }

  test('a stopped Config recorder fails exactly config.recorder of that account and Region', async () => {
    const cfg = await accounts.client(ConfigServiceClient, ids.audit, OTHER);
    await unmocked(cfg, new StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'acme-soc2-recorder' }));
    try {
      const result = await collect({ validateLogsSince: false });
      expect(failedIds(result)).toEqual([`FAIL config.recorder/${ids.audit}/${OTHER}/acme-soc2-recorder`]);
    } finally {
      await unmocked(cfg, new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'acme-soc2-recorder' }));
    }
  });

  test('a guardrail SCP edited outside the pipeline fails exactly guardrails.service-control-policies', async () => {
    const orgs = await accounts.client(OrganizationsClient, ids.management);
    const policies = await unmocked(orgs, new ListPoliciesForTargetCommand({ TargetId: ids.rootId, Filter: 'SERVICE_CONTROL_POLICY' }));
    const policy = policies.Policies.find((p: { Name: string }) => p.Name === 'acme-soc2-baseline-guardrails-1');
    const original = (await unmocked(orgs, new DescribePolicyCommand({ PolicyId: policy.Id }))).Policy.Content;
    await unmocked(orgs, new UpdatePolicyCommand({ PolicyId: policy.Id, Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    try {
      const result = await collect({ validateLogsSince: false });
      expect(failedIds(result)).toEqual([`FAIL guardrails.service-control-policies/${ids.management}/global/${ids.rootId}`]);
      expect(result.items.find((i) => i.status === 'FAIL')!.reason).toBe('acme-soc2-baseline-guardrails-1 content differs from what the config derives (edited outside the pipeline?)');
    } finally {
      await unmocked(orgs, new UpdatePolicyCommand({ PolicyId: policy.Id, Content: original }));
    }
  });

  /** The audit account's digest item in the other Region, and the first log file it judged. */
  const auditLog = () => {
    const digestItem = baseline.items.find((i) => i.id === `cloudtrail.log-file-validation/${ids.audit}/${OTHER}/digests/${orgTrailName(config)}`)!;
    const report = baseline.raw.get(digestItem.raw.find((r) => r.endsWith('ValidateLogs.json'))!)!.responses![0] as { files: { kind: string; key: string }[] };
    return { digestItem, logKey: report.files.find((f) => f.kind === 'log')!.key, Bucket: logBucketName(config, 'cloudtrail') };
  };
  /**
   * Removes versions a test added, so that each log file has its one version again. The bucket's default
   * retention locks every new version; GOVERNANCE lets a request with x-amz-bypass-governance-retention
   * remove one (S3 User Guide, "Bypassing governance mode":
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-bypass).
   */
  const removeVersions = async (s3: S3Client, Bucket: string, Key: string, versionIds: (string | undefined)[]) => {
    for (const VersionId of versionIds) if (VersionId) await unmocked(s3, new DeleteObjectCommand({ Bucket, Key, VersionId, BypassGovernanceRetention: true }));
  };
  const gzipBody = (Body: Buffer) => ({ Body, ContentMD5: createHash('md5').update(Body).digest('base64') });

  test('a log file overwritten in the log archive fails exactly that log-file validation, even with the same bytes', async () => {
    const s3 = await accounts.client(S3Client, ids.logArchive);
    const { digestItem, logKey, Bucket } = auditLog();
    const original = Buffer.from(await (await unmocked(s3, new GetObjectCommand({ Bucket, Key: logKey }))).Body.transformToByteArray());
    const added: (string | undefined)[] = [];
    const put = async (Body: Buffer) => added.push((await unmocked(s3, new PutObjectCommand({ Bucket, Key: logKey, ...gzipBody(Body) }))).VersionId);
    try {
      // Object Lock keeps the delivered version; an overwrite adds a second one. Its content hashes right
      // (the hashed sample passes it), but the file is no longer the one delivered alone.
      await put(original);
      const result = await collect();
      expect(failedIds(result)).toEqual([`FAIL ${digestItem.id}`]);
      expect(result.items.find((i) => i.id === digestItem.id)!.reason).toContain(`Log file s3://${Bucket}/${logKey} INVALID: overwritten: 2 versions since delivery`);
      // Other content, every file hashed (--log-file-sample all): the AWS CLI's verdict.
      await put(gzipSync(Buffer.from('{"Records":[]}')));
      const all = await collect({ logFileSample: 'all' });
      expect(failedIds(all)).toEqual([`FAIL ${digestItem.id}`]);
      const item = all.items.find((i) => i.id === digestItem.id)!;
      expect(item.reason).toContain(`Log file s3://${Bucket}/${logKey} INVALID: hash value doesn't match`);
      expect(item.details).toMatchObject({ logProof: { method: 'hash', reason: 'the log file sample is all' } });
    } finally {
      await removeVersions(s3, Bucket, logKey, added);
    }
  });

  test('a log file deleted in the log archive (a delete marker) fails exactly that log-file validation', async () => {
    const s3 = await accounts.client(S3Client, ids.logArchive);
    const { digestItem, logKey, Bucket } = auditLog();
    // A DELETE without a version id adds a delete marker; the locked version stays behind it.
    const marker = await unmocked(s3, new DeleteObjectCommand({ Bucket, Key: logKey }));
    try {
      const result = await collect();
      expect(failedIds(result)).toEqual([`FAIL ${digestItem.id}`]);
      expect(result.items.find((i) => i.id === digestItem.id)!.reason).toContain(`Log file s3://${Bucket}/${logKey} INVALID: not found (deleted: a delete marker is its latest version`);
    } finally {
      await removeVersions(s3, Bucket, logKey, [marker.DeleteMarker ? marker.VersionId : undefined]);
    }
  });

  test('without Object Lock on the bucket every log file is hashed, saying why, and a modified one fails', async () => {
    const s3 = await accounts.client(S3Client, ids.logArchive);
    const { digestItem, logKey, Bucket } = auditLog();
    // GetObjectLockConfiguration's error when the bucket has none (API_GetObjectLockConfiguration.html).
    const none = Object.assign(new Error('Object Lock configuration does not exist for this bucket'), { name: 'ObjectLockConfigurationNotFoundError', $metadata: { httpStatusCode: 404 } });
    org.mocks.s3.on(GetObjectLockConfigurationCommand, { Bucket }).rejects(none);
    const added = (await unmocked(s3, new PutObjectCommand({ Bucket, Key: logKey, ...gzipBody(gzipSync(Buffer.from('{"Records":[]}'))) }))).VersionId;
    try {
      const result = await collect();
      const digestItems = result.items.filter((i) => i.controlId === 'cloudtrail.log-file-validation' && i.resource?.startsWith('digests/'));
      expect(digestItems.filter((i) => i.status !== 'PASS').map((i) => `${i.status} ${i.id}`)).toEqual([`FAIL ${digestItem.id}`]);
      expect(digestItems.find((i) => i.id === digestItem.id)!.reason).toContain(`Log file s3://${Bucket}/${logKey} INVALID: hash value doesn't match`);
      for (const item of digestItems.filter((i) => i.status === 'PASS')) {
        expect(item.reason).toContain("every one hashed (the bucket's Object Lock is not enabled)");
        expect(item.details).toMatchObject({ logProof: { method: 'hash', listed: 2, hashed: 2 } });
      }
    } finally {
      org.mocks.s3.on(GetObjectLockConfigurationCommand, { Bucket }).callsFake((input: unknown, getClient: () => object) => unmocked(getClient(), new GetObjectLockConfigurationCommand(input as never)));
      await removeVersions(s3, Bucket, logKey, [added]);
    }
  });

  test('a refused ListObjectVersions makes each log-file validation an ERROR naming the call, not a PASS', async () => {
    const refusal = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
    org.mocks.s3.on(ListObjectVersionsCommand).rejects(refusal);
    try {
      const result = await collect();
      const digestItems = result.items.filter((i) => i.controlId === 'cloudtrail.log-file-validation' && i.resource?.startsWith('digests/'));
      expect(digestItems).toHaveLength(7);
      expect(failedIds(result).sort()).toEqual(digestItems.map((i) => `ERROR ${i.id}`).sort());
      expect(digestItems[0].reason).toMatch(/not judged by their versions: s3:ListObjectVersions of s3:\/\/.*: HTTP 403, AWS error code AccessDenied/);
    } finally {
      org.mocks.s3.on(ListObjectVersionsCommand).callsFake((input: unknown, getClient: () => object) => unmocked(getClient(), new ListObjectVersionsCommand(input as never)));
    }
  });

  test('the binder of a run with a failed control: Chromium renders its summary and the failure; SHA256SUMS holds; same run, same bytes', async () => {
    const s3 = await accounts.client(S3Client, ids.logArchive);
    const Bucket = logBucketName(config, 's3-server-logs');
    await unmocked(s3, new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    let first: EvidenceResult;
    let second: EvidenceResult;
    try {
      first = await collect({ validateLogsSince: false });
      second = await collect({ validateLogsSince: false });
    } finally {
      await unmocked(s3, new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    }
    const dir = mkdtempSync(join(tmpdir(), 'evidence-binder-'));
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const files = writeBinder(first, a);
    expect(writeBinder(second, b)).toEqual(files);
    const differing = files.filter((f) => !readFileSync(join(b, f)).equals(readFileSync(join(a, f))));
    expect(differing.map((f) => `${f} ${dir}`)).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'items.csv', 'items.json', 'SHA256SUMS']));
    expect(files.filter((f) => f.startsWith('raw/')).length).toBe(first.raw.size);
    // Every file but SHA256SUMS is listed with its SHA-256.
    const sums = readFileSync(join(a, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums.map((l) => l.slice(66))).toEqual(files.filter((f) => f !== 'SHA256SUMS'));
    for (const line of sums) expect(createHash('sha256').update(readFileSync(join(a, line.slice(66)))).digest('hex')).toBe(line.slice(0, 64));

    const failed = first.items.find((i) => i.status === 'FAIL')!;
    expect(failed.id).toBe(`log-archive.versioning/${ids.logArchive}/${HOME}/${Bucket}`);
    const dom = await dumpDom(join(a, 'index.html'));
    expect(dom).toContain('Summary by Trust Services Criterion');
    expect(dom).toMatch(/<td><strong>CC6\.1<\/strong><\/td>/);
    expect(dom).toContain(`<h2 id="failed">Failed controls (1)</h2>`);
    // The failure, listed under its control, links its row on the log archive account's page.
    expect(dom).toContain(`href="accounts/${ids.logArchive}.html#item-log-archive-versioning-${ids.logArchive}-us-east-1-${Bucket}"`);
    expect(dom).toContain('versioning Status is Suspended');
    const page = await dumpDom(join(a, 'accounts', `${ids.logArchive}.html`));
    expect(page).toContain(`id="item-log-archive-versioning-${ids.logArchive}-us-east-1-${Bucket}"`);
    expect(page).toContain(`href="../raw/${ids.logArchive}.us-east-1.s3.GetBucketVersioning.${Bucket}.json"`);
    const png = join(dir, 'binder.png');
    await screenshot(join(a, 'index.html'), png, 1280, 900);
    const image = readFileSync(png);
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    expect(image.length).toBeGreaterThan(20_000);
  });

  test('bin/baseline evidence: options in, binder out, one JSON line, exit code 0 when every control passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
    const file = join(dir, 'org.yaml');
    writeFileSync(file, stringify(orgConfigRaw(ids, org.configEdit)));
    const out: string[] = [];
    const err: string[] = [];
    const git = async (args: readonly string[]) => {
      if (args[0] === 'rev-parse') throw new Error('fatal: not a git repository (or any of the parent directories): .git');
      return '';
    };
    const command = createEvidenceCommand({ now: () => clock, git, collectOptions: { credentials: RUNNER_CREDENTIALS, clientSettings: clientSettings(moto.endpoint) } });
    const sample = org.investigationSample;
    const code = await command.run(
      {
        out: join(dir, 'binder'),
        config: file,
        'endpoint-url': moto.endpoint,
        'role-name': ROLE_NAME,
        'validate-logs-since': '2h',
        concurrency: '6',
        'investigation-sample': sample,
      },
      [],
      { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stderrIsTTY: false },
    );
    expect(err.join('')).not.toMatch(/ERROR [1-9]|evidence: ERROR/);
    expect(code).toBe(0);
    const summary = JSON.parse(out.join(''));
    expect(summary).toMatchObject({ out: join(dir, 'binder'), fail: 0, error: 0, failed: [] });
    expect(summary.pass).toBe(summary.items);
    expect(err.join('')).toMatch(/^evidence: \d+ tasks over 4 account\(s\) and 2 Region\(s\)\n/);
    expect(err.join('')).toContain('evidence: done  PASS');
    expect(readFileSync(join(dir, 'binder', 'org-config.yaml'), 'utf8')).toBe(readFileSync(file, 'utf8'));
    expect(readFileSync(join(dir, 'binder', 'config-history.txt'), 'utf8')).toMatch(/not available\.\nnot in a git repository/);
    expect(readFileSync(join(dir, 'binder', 'index.html'), 'utf8')).toContain('No change history: not in a git repository');
    // The investigation sample is kept in the binder, under SHA256SUMS, linked from its section.
    const copy = readFileSync(join(dir, 'binder', 'investigation-sample.json'));
    expect(copy.equals(readFileSync(sample))).toBe(true);
    expect(readFileSync(join(dir, 'binder', 'SHA256SUMS'), 'utf8')).toContain(`${createHash('sha256').update(copy).digest('hex')}  investigation-sample.json\n`);
    expect(readFileSync(join(dir, 'binder', 'index.html'), 'utf8')).toContain('<a href="investigation-sample.json">investigation-sample.json</a>');
  });
});
