/**
 * The checks of APIs moto does not implement (AWS Config compliance, GuardDuty, Macie, IAM Access
 * Analyzer, Security Hub standards and control results), at the SDK level with aws-sdk-client-mock,
 * answering with the shapes of AWS's API references: pagination is followed, each judgement names
 * what is wrong, and a throttled or refused call becomes an ERROR item while the rest goes on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessAnalyzerClient, ListAnalyzersCommand, ListFindingsCommand as AaListFindingsCommand } from '@aws-sdk/client-accessanalyzer';
import {
  ConfigServiceClient,
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRulesCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  DescribeDeliveryChannelStatusCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeOrganizationConfigurationCommand as GdDescribeOrganizationConfigurationCommand,
  GetDetectorCommand,
  GetFindingsCommand as GdGetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand as GdListFindingsCommand,
  ListMembersCommand as GdListMembersCommand,
} from '@aws-sdk/client-guardduty';
import {
  DescribeOrganizationConfigurationCommand as MacieDescribeOrganizationConfigurationCommand,
  GetFindingsCommand as MacieGetFindingsCommand,
  GetMacieSessionCommand,
  ListClassificationJobsCommand,
  ListFindingsCommand as MacieListFindingsCommand,
  ListMembersCommand as MacieListMembersCommand,
  Macie2Client,
} from '@aws-sdk/client-macie2';
import {
  DescribeHubCommand,
  DescribeOrganizationConfigurationCommand as ShDescribeOrganizationConfigurationCommand,
  GetEnabledStandardsCommand,
  GetFindingsCommand as ShGetFindingsCommand,
  ListMembersCommand as ShListMembersCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { GUARDDUTY_FEATURES } from '../../modules/security-services/guardduty-features';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load';
import type { BaselineConfig } from '../../config/schema';
import { SOC2_LOGGING_PACK } from '../../config/managed-config-rules';
import { configTasks } from '../../evidence/checks/config-service';
import { accessAnalyzerTasks, guardDutyTasks, macieTasks, securityHubOrganizationTasks, securityHubStandardsTasks } from '../../evidence/checks/security-services';
import { createContext, runTasks } from '../../evidence/collect';
import type { Task } from '../../evidence/context';
import type { EvidenceItem } from '../../evidence/types';

const NOW = new Date('2026-03-02T12:00:00Z');

function exampleConfig(): BaselineConfig {
  return parseConfig(parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8')), 'baseline.config.yaml');
}

const config = exampleConfig();
const audit = config.organization.auditAccountId;
const home = config.regions.home;
const others = config.members.filter((m) => m.id !== audit).map((m) => m.id);

/** A throttling error as the SDK raises it once its retries are spent. */
function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 10 } });
}

async function run(make: (ctx: ReturnType<typeof createContext>['ctx']) => Task[], regions?: string[]): Promise<EvidenceItem[]> {
  const { ctx } = createContext({ config, now: () => NOW, regions, validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
  await runTasks(ctx, make(ctx), 4);
  return [...ctx.items].sort((a, b) => a.id.localeCompare(b.id));
}

const byId = (items: EvidenceItem[], id: string) => {
  const item = items.find((i) => i.id === id);
  if (!item) throw new Error(`no item ${id} among ${items.map((i) => i.id).join(', ')}`);
  return item;
};

const mocks: { restore(): void }[] = [];
afterEach(() => {
  while (mocks.length) mocks.pop()!.restore();
});
function mock<T extends Parameters<typeof mockClient>[0]>(client: T) {
  const m = mockClient(client);
  mocks.push(m);
  return m;
}

describe('AWS Config rule compliance (DescribeComplianceByConfigRule)', () => {
  function mockConfig() {
    const cfg = mock(ConfigServiceClient);
    cfg.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [{ name: 'acme-soc2-recorder', recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } }] });
    cfg.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: 'acme-soc2-recorder', recording: true, lastStatus: 'Success' }] });
    cfg.on(DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [{ name: 'acme-soc2-recorder', s3BucketName: 'acme-soc2-config-222222222222-us-east-1' }] });
    cfg.on(DescribeDeliveryChannelStatusCommand).resolves({ DeliveryChannelsStatus: [{ name: 'acme-soc2-recorder', configHistoryDeliveryInfo: { lastStatus: 'Success' } }] });
    // Rules over two pages, as the baseline writes them (ConfigRule: Source, InputParameters, API_ConfigRule.html); one baseline rule is missing.
    const deployed = SOC2_LOGGING_PACK.filter((r) => r.name !== 'iam-user-mfa-enabled').map((r) => ({
      ConfigRuleName: r.name,
      ConfigRuleState: 'ACTIVE',
      Source: { Owner: 'AWS', SourceIdentifier: r.identifier },
      InputParameters: JSON.stringify(r.parameters?.(config) ?? {}),
    }));
    cfg.on(DescribeConfigRulesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken ? { ConfigRules: deployed.slice(8) } : { ConfigRules: deployed.slice(0, 8), NextToken: 'rules-2' },
    );
    cfg.on(DescribeComplianceByConfigRuleCommand).callsFake((input: { ConfigRuleNames: string[]; NextToken?: string }) => {
      const compliance = (name: string) =>
        name === 'vpc-flow-logs-enabled'
          ? { ComplianceType: 'NON_COMPLIANT', ComplianceContributorCount: { CappedCount: 3, CapExceeded: false } }
          : name === 'rds-aurora-mysql-audit-logging-enabled'
            ? // An Aurora MySQL cluster that does not publish its audit log (ComplianceContributorCount, API_ComplianceContributorCount.html).
              { ComplianceType: 'NON_COMPLIANT', ComplianceContributorCount: { CappedCount: 1, CapExceeded: false } }
          : name === 'securityhub-enabled'
            ? { ComplianceType: 'INSUFFICIENT_DATA' }
            : { ComplianceType: 'COMPLIANT' };
      const names = input.ConfigRuleNames;
      const half = Math.ceil(names.length / 2);
      const page = input.NextToken ? names.slice(half) : names.slice(0, half);
      return { ComplianceByConfigRules: page.map((ConfigRuleName) => ({ ConfigRuleName, Compliance: compliance(ConfigRuleName) })), ...(input.NextToken ? {} : { NextToken: 'compliance-2' }) };
    });
    return cfg;
  }

  test('compliance per rule, account and Region, over pages: NON_COMPLIANT and missing rules fail', async () => {
    const cfg = mockConfig();
    const items = await run((ctx) => configTasks(ctx, [[others[3], home]]));
    const account = others[3];
    expect(byId(items, `config-rule.vpc-flow-logs-enabled/${account}/${home}/vpc-flow-logs-enabled`)).toMatchObject({ status: 'FAIL', reason: 'NON_COMPLIANT: 3 noncompliant resource(s)' });
    expect(byId(items, `config-rule.iam-user-mfa-enabled/${account}/${home}/iam-user-mfa-enabled`)).toMatchObject({ status: 'FAIL', reason: 'rule iam-user-mfa-enabled is not deployed' });
    expect(byId(items, `config-rule.securityhub-enabled/${account}/${home}/securityhub-enabled`).status).toBe('PASS');
    expect(byId(items, `config-rule.cloudtrail-enabled/${account}/${home}/cloudtrail-enabled`)).toMatchObject({ status: 'PASS', reason: 'COMPLIANT' });
    // RDS audit logging (issue 23): a cluster not publishing its audit log fails its rule; instances exporting theirs pass.
    expect(byId(items, `config-rule.rds-aurora-mysql-audit-logging-enabled/${account}/${home}/rds-aurora-mysql-audit-logging-enabled`)).toMatchObject({ status: 'FAIL', reason: 'NON_COMPLIANT: 1 noncompliant resource(s)' });
    expect(byId(items, `config-rule.rds-logging-enabled/${account}/${home}/rds-logging-enabled`)).toMatchObject({ status: 'PASS', reason: 'COMPLIANT' });
    // Both pages of both paginated calls were read.
    expect(cfg.commandCalls(DescribeConfigRulesCommand)).toHaveLength(2);
    expect(cfg.commandCalls(DescribeComplianceByConfigRuleCommand)).toHaveLength(2);
    // Home-Region rules are judged in the home Region only.
    const inOther = await run((ctx) => configTasks(ctx, [[account, 'us-west-2']]));
    expect(inOther.some((i) => i.controlId === 'config-rule.iam-root-access-key-check')).toBe(false);
  });

  test('a throttled compliance call is an ERROR for the rules only; the recorder is still judged', async () => {
    const cfg = mockConfig();
    cfg.on(DescribeComplianceByConfigRuleCommand).rejects(throttled());
    const items = await run((ctx) => configTasks(ctx, [[others[3], home]]));
    const rules = items.filter((i) => i.controlId.startsWith('config-rule.'));
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.every((i) => i.status === 'ERROR' && /ThrottlingException: Rate exceeded \(after 10 attempts\)/.test(i.reason))).toBe(true);
    expect(items.find((i) => i.controlId === 'config.recorder')!.status).toBe('PASS');
    // The refused call is in the raw evidence, with its error.
    expect(rules[0].raw.some((r) => r.includes('DescribeComplianceByConfigRule'))).toBe(true);
  });
});

describe('GuardDuty', () => {
  function mockGuardDuty() {
    const gd = mock(GuardDutyClient);
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['det-1'] });
    // Every protection plan on, as the example config has them (API_GetDetector.html Features, API_DescribeOrganizationConfiguration.html Features).
    const names = Object.values(GUARDDUTY_FEATURES);
    gd.on(GetDetectorCommand).resolves(<any>{ Status: 'ENABLED', ServiceRole: 'r', FindingPublishingFrequency: 'FIFTEEN_MINUTES', Features: names.map((Name) => ({ Name, Status: 'ENABLED' })) });
    gd.on(GdDescribeOrganizationConfigurationCommand).resolves(<any>{ AutoEnable: true, MemberAccountLimitReached: false, AutoEnableOrganizationMembers: 'ALL', Features: names.map((Name) => ({ Name, AutoEnable: 'ALL' })) });
    gd.on(GdListMembersCommand).callsFake((input: { NextToken?: string }) => {
      const member = (id: string, status = 'Enabled') => ({ AccountId: id, MasterId: audit, Email: 'x@example.com', RelationshipStatus: status, UpdatedAt: '2026-01-01' });
      return input.NextToken
        ? { Members: [member(others[2]), member(others[3], 'Disabled')] }
        : { Members: [member(others[0]), member(others[1])], NextToken: 'members-2' };
    });
    const ids = Array.from({ length: 120 }, (_, i) => `f${i}`);
    gd.on(GdListFindingsCommand).callsFake((input: { NextToken?: string }) => {
      const page = Number(input.NextToken ?? 0);
      return { FindingIds: ids.slice(page * 50, page * 50 + 50), ...(page < 2 ? { NextToken: String(page + 1) } : {}) };
    });
    gd.on(GdGetFindingsCommand).callsFake((input: { FindingIds: string[] }) => ({
      Findings: input.FindingIds.map((id) => ({ Id: id, AccountId: others[0], Severity: Number(id.slice(1)) % 10, Type: 'Recon:EC2/Portscan', Region: home, SchemaVersion: '2.0', CreatedAt: 'x', UpdatedAt: 'x', Arn: 'a', Resource: {} })),
    }));
    return gd;
  }

  test('members over pages: one not enabled fails the organization control; findings counted by severity', async () => {
    const gd = mockGuardDuty();
    const items = await run((ctx) => guardDutyTasks(ctx), [home]);
    expect(byId(items, `guardduty.organization/${audit}/${home}/detector`)).toMatchObject({ status: 'FAIL', reason: `1 account(s) not enabled GuardDuty members: ${others[3]}` });
    const findings = byId(items, `guardduty.organization/${audit}/${home}/findings`);
    // Severity i % 10 over 120 findings: 12 of each 0..9; low < 4, medium 4-6.9, high 7-8.9, critical 9+.
    expect(findings.details).toMatchObject({ low: 48, medium: 36, high: 24, critical: 12, total: 120 });
    expect(gd.commandCalls(GdListFindingsCommand)).toHaveLength(3);
    expect(gd.commandCalls(GdGetFindingsCommand)).toHaveLength(3);
    const criterion = gd.commandCalls(GdListFindingsCommand)[0].args[0].input.FindingCriteria?.Criterion?.updatedAt?.GreaterThanOrEqual;
    expect(criterion).toBe(NOW.getTime() - 90 * 86_400_000);
  });

  test('throttled findings: an ERROR item, the detector still judged', async () => {
    const gd = mockGuardDuty();
    gd.on(GdListFindingsCommand).rejects(throttled());
    const items = await run((ctx) => guardDutyTasks(ctx), [home]);
    expect(byId(items, `guardduty.organization/${audit}/${home}/detector`).status).toBe('FAIL');
    expect(byId(items, `guardduty.organization/${audit}/${home}/findings`)).toMatchObject({ status: 'ERROR', reason: `could not collect: guardduty:ListFindings in ${audit} ${home}: HTTP 400, AWS error code ThrottlingException: Rate exceeded (after 10 attempts)` });
  });

  test('no detector: FAIL', async () => {
    const gd = mock(GuardDutyClient);
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const items = await run((ctx) => guardDutyTasks(ctx), [home]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'FAIL', reason: 'no GuardDuty detector in the audit account' });
  });
});

describe('Macie', () => {
  test('members per Region, findings by severity, classification jobs over the configured buckets', async () => {
    const macie = mock(Macie2Client);
    macie.on(GetMacieSessionCommand).resolves({ status: 'ENABLED' });
    macie.on(MacieDescribeOrganizationConfigurationCommand).resolves({ autoEnable: true, maxAccountLimitReached: false });
    macie.on(MacieListMembersCommand).callsFake((input: { nextToken?: string }) =>
      input.nextToken
        ? { members: others.slice(2).map((accountId) => ({ accountId, relationshipStatus: accountId === others[3] ? 'Paused' : 'Enabled' })) }
        : { members: others.slice(0, 2).map((accountId) => ({ accountId, relationshipStatus: 'Enabled' })), nextToken: 'm2' },
    );
    macie.on(MacieListFindingsCommand).resolves({ findingIds: ['a', 'b', 'c'] });
    macie.on(MacieGetFindingsCommand).resolves({ findings: [{ id: 'a', severity: { description: 'High', score: 3 } }, { id: 'b', severity: { description: 'Low', score: 1 } }, { id: 'c', severity: { description: 'Low', score: 1 } }] });
    // The job scans one of the two configured buckets only.
    macie.on(ListClassificationJobsCommand).resolves({
      items: [{ name: 'acme-soc2-sensitive-data-444444444444-us-east-1', jobStatus: 'IDLE', jobType: 'SCHEDULED', bucketDefinitions: [{ accountId: '444444444444', buckets: ['acme-customer-data-444444444444'] }] }],
    });
    const items = await run((ctx) => macieTasks(ctx), [home]);
    // 555555555555 covers us-east-1 only but is a member there too; 444444444444 is paused.
    expect(byId(items, `macie.organization/${audit}/${home}/session`)).toMatchObject({ status: 'FAIL', reason: `1 account(s) not enabled Macie members: ${others[3]}` });
    expect(byId(items, `macie.organization/${audit}/${home}/findings`).details).toMatchObject({ high: 1, medium: 0, low: 2, total: 3 });
    expect(byId(items, `macie.classification-jobs/${audit}/${home}/acme-soc2-sensitive-data-444444444444-us-east-1`)).toMatchObject({
      status: 'FAIL',
      reason: 'does not scan acme-exports-444444444444',
    });
    expect(macie.commandCalls(MacieListMembersCommand)).toHaveLength(2);
  });

  test('Macie off in the audit account fails its controls', async () => {
    const macie = mock(Macie2Client);
    macie.on(GetMacieSessionCommand).rejects(Object.assign(new Error('Macie is not enabled'), { name: 'AccessDeniedException' }));
    const items = await run((ctx) => macieTasks(ctx), ['us-west-2']);
    expect(items.map((i) => `${i.status} ${i.controlId}`)).toEqual(['FAIL macie.organization']);
  });
});

describe('IAM Access Analyzer', () => {
  test('active findings over pages fail, counted by resource type; no findings pass', async () => {
    const aa = mock(AccessAnalyzerClient);
    aa.on(ListAnalyzersCommand).resolves({ analyzers: [{ name: 'acme-soc2-organization', arn: 'arn:aa', type: 'ORGANIZATION', status: 'ACTIVE', createdAt: new Date() }] });
    const finding = (id: string, resourceType: string, isPublic: boolean) => ({ id, resourceType, isPublic, status: 'ACTIVE', resourceOwnerAccount: '444444444444', condition: {}, createdAt: new Date(), updatedAt: new Date(), analyzedAt: new Date() });
    aa.on(AaListFindingsCommand).callsFake((input: { nextToken?: string }) =>
      input.nextToken ? { findings: [finding('3', 'AWS::IAM::Role', false)] } : { findings: [finding('1', 'AWS::S3::Bucket', true), finding('2', 'AWS::S3::Bucket', false)], nextToken: 'p2' },
    );
    const items = await run((ctx) => accessAnalyzerTasks(ctx), [home]);
    expect(byId(items, `access-analyzer.organization/${audit}/${home}/acme-soc2-organization`).status).toBe('PASS');
    expect(byId(items, `access-analyzer.organization/${audit}/${home}/findings`)).toMatchObject({
      status: 'FAIL',
      details: { active: 3, public: 1, byResourceType: { 'AWS::IAM::Role': 1, 'AWS::S3::Bucket': 2 } },
    });
    expect(aa.commandCalls(AaListFindingsCommand)[0].args[0].input).toMatchObject({ analyzerArn: 'arn:aa', filter: { status: { eq: ['ACTIVE'] } } });
  });
});

describe('Security Hub', () => {
  test('enabled standards per account and Region, over pages; a missing standard fails; Security Hub off fails', async () => {
    const sh = mock(SecurityHubClient);
    sh.on(GetEnabledStandardsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken
        ? { StandardsSubscriptions: [{ StandardsArn: 'arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0', StandardsStatus: 'READY' }] }
        : { StandardsSubscriptions: [{ StandardsArn: 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0', StandardsStatus: 'READY' }], NextToken: 's2' },
    );
    const items = await run((ctx) => securityHubStandardsTasks(ctx, [[others[0], home]]));
    expect(byId(items, `securityhub.fsbp-standard/${others[0]}/${home}/standards`).status).toBe('PASS');
    expect(byId(items, `securityhub.cis-standard/${others[0]}/${home}/standards`)).toMatchObject({ status: 'FAIL', reason: 'cis-aws-foundations-benchmark/v/3.0.0 not enabled' });

    sh.on(GetEnabledStandardsCommand).rejects(Object.assign(new Error('Account 111 is not subscribed to AWS Security Hub'), { name: 'InvalidAccessException' }));
    const off = await run((ctx) => securityHubStandardsTasks(ctx, [[others[0], home]]));
    expect(off.map((i) => `${i.status} ${i.reason}`)).toEqual([
      'FAIL Security Hub is not enabled in this account and Region',
      'FAIL Security Hub is not enabled in this account and Region',
    ]);

    sh.on(GetEnabledStandardsCommand).rejects(throttled());
    const slow = await run((ctx) => securityHubStandardsTasks(ctx, [[others[0], home]]));
    expect(slow.map((i) => i.status)).toEqual(['ERROR', 'ERROR']);
  });

  test('central configuration, control results per standard, and key rotation from KMS.4', async () => {
    const sh = mock(SecurityHubClient);
    sh.on(DescribeHubCommand).resolves({ HubArn: `arn:aws:securityhub:${home}:${audit}:hub/default` });
    sh.on(ShDescribeOrganizationConfigurationCommand).resolves({ AutoEnable: false, OrganizationConfiguration: { ConfigurationType: 'CENTRAL', Status: 'ENABLED' } });
    sh.on(ShListMembersCommand).resolves({ Members: others.map((AccountId) => ({ AccountId, MemberStatus: 'Enabled' })) });
    const finding = (account: string, control: string, standard: string, status: string, resource = 'r') => ({
      Id: `${account}-${control}-${resource}`,
      AwsAccountId: account,
      Region: home,
      ProductName: 'Security Hub',
      RecordState: 'ACTIVE',
      Compliance: { Status: status, SecurityControlId: control, AssociatedStandards: [{ StandardsId: `standards/${standard}` }] },
      Resources: [{ Id: resource, Type: 'Other' }],
    });
    const fsbp = 'aws-foundational-security-best-practices/v/1.0.0';
    const cis = 'cis-aws-foundations-benchmark/v/3.0.0';
    sh.on(ShGetFindingsCommand).callsFake((input: { Filters: { ComplianceSecurityControlId?: { Value: string }[] }; NextToken?: string }) => {
      if (input.Filters.ComplianceSecurityControlId?.[0].Value === 'KMS.4') {
        return { Findings: [finding(others[0], 'KMS.4', cis, 'PASSED', 'arn:key/1'), finding(others[1], 'KMS.4', cis, 'FAILED', 'arn:key/2'), finding(others[1], 'KMS.4', cis, 'PASSED', 'arn:key/3')] };
      }
      return input.NextToken
        ? { Findings: [finding(others[0], 'S3.5', fsbp, 'FAILED'), finding(others[1], 'CloudTrail.2', cis, 'PASSED')] }
        : { Findings: [finding(others[0], 'CloudTrail.1', fsbp, 'PASSED'), finding(others[1], 'S3.5', fsbp, 'PASSED')], NextToken: 'f2' };
    });
    const items = await run((ctx) => securityHubOrganizationTasks(ctx));
    expect(byId(items, `securityhub.organization/${audit}/${home}/hub`)).toMatchObject({ status: 'PASS', reason: `CENTRAL configuration, ${others.length} member account(s) enabled` });
    const results = byId(items, `securityhub.fsbp-standard/${audit}/${home}/control-results/${fsbp}`);
    // A FAILED result on the second page fails the standard, named with its count; PASSED ones are not failures.
    expect(results).toMatchObject({ status: 'FAIL', reason: '1 control(s) with 1 failed check(s) across the organization: S3.5', details: { failedControls: { 'S3.5': 1 } } });
    expect(byId(items, `kms.key-rotation/${others[0]}/global/KMS.4`).status).toBe('PASS');
    expect(byId(items, `kms.key-rotation/${others[1]}/global/KMS.4`)).toMatchObject({ status: 'FAIL', reason: 'KMS.4 FAILED for 1 key(s): arn:key/2' });
    // An account Security Hub has no KMS.4 result for: not shown either way.
    expect(byId(items, `kms.key-rotation/${others[2]}/global/KMS.4`).status).toBe('ERROR');
  });

  test('a local (not central) configuration fails securityhub.organization', async () => {
    const sh = mock(SecurityHubClient);
    sh.on(DescribeHubCommand).resolves({ HubArn: 'h' });
    sh.on(ShDescribeOrganizationConfigurationCommand).resolves({ OrganizationConfiguration: { ConfigurationType: 'LOCAL', Status: 'ENABLED' } });
    sh.on(ShListMembersCommand).resolves({ Members: others.map((AccountId) => ({ AccountId, MemberStatus: 'Enabled' })) });
    sh.on(ShGetFindingsCommand).resolves({ Findings: [] });
    const items = await run((ctx) => securityHubOrganizationTasks(ctx));
    expect(byId(items, `securityhub.organization/${audit}/${home}/hub`)).toMatchObject({ status: 'FAIL', reason: 'ConfigurationType is LOCAL, not CENTRAL' });
  });
});
