/**
 * The binder's judge of the unused access analyzer (`access-analyzer.unused-access`, evidence/checks/
 * access-analyzer-unused.ts) on the items where the config decides: accepted findings (an entry of
 * `securityServices.accessAnalyzer.unusedAccess.acceptedFindings`, or the break-glass role's
 * UnusedIAMRole finding) and findings archived without a review record (`reviewedFindings`). IAM Access
 * Analyzer is not in moto: the SDK mock of org-fixture.ts answers GetAnalyzer and ListFindingsV2
 * (FindingSummaryV2: https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_FindingSummaryV2.html).
 * A finding's `resource` is the IAM role or user ARN (IAM User Guide, "IAM Access Analyzer filter keys":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-filter-keys.html).
 */
import { AccessAnalyzerClient, ListArchiveRulesCommand } from '@aws-sdk/client-accessanalyzer';
import { mockClient } from 'aws-sdk-client-mock';
import { unusedAccessTasks, BREAK_GLASS_ACCEPTANCE_REASON } from '../../evidence/checks/access-analyzer-unused';
import { createContext, runTasks } from '../../evidence/collect';
import type { EvidenceItem } from '../../evidence/types';
import type { BaselineConfig } from '../../config/schema';
import { configProblems, configWith } from '../helpers';
import { mockUnusedAccessAnalyzer, type UnusedAccessAnalyzerState } from './org-fixture';

const NOW = new Date('2026-03-02T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);
const WORKLOAD = '444444444444';
const OTHER = '222222222222';
const BREAK_GLASS = 'soc2-baseline-break-glass'; // baseline.config.yaml, guardrails.breakGlassRoleName

type Finding = UnusedAccessAnalyzerState['findings'][number];
const finding = (id: string, findingType: string, resource: string, age: number, extra: Partial<Finding> = {}): Finding => ({
  id,
  findingType,
  resource,
  accountId: resource.split(':')[4],
  createdAt: daysAgo(age),
  ...extra,
});

const withUnused = (unusedAccess: Record<string, unknown>, more: (raw: Record<string, any>) => void = () => undefined) =>
  configWith((raw) => {
    raw.securityServices = { ...raw.securityServices, accessAnalyzer: { ...raw.securityServices?.accessAnalyzer, unusedAccess } };
    more(raw);
  });

async function judge(config: BaselineConfig, findings: Finding[]): Promise<Record<string, EvidenceItem>> {
  const aa = mockClient(AccessAnalyzerClient);
  try {
    aa.on(ListArchiveRulesCommand).resolves({ archiveRules: [] });
    mockUnusedAccessAnalyzer(aa, config, { unusedAccess: { findings } });
    const { ctx } = createContext({ config, now: () => NOW, validateLogsSince: false, sinceDays: 30, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
    await runTasks(ctx, unusedAccessTasks(ctx), 1);
    return Object.fromEntries([...ctx.items].map((i) => [i.resource, i]));
  } finally {
    aa.restore();
  }
}

describe('accepted findings', () => {
  const breakGlassRole = `arn:aws:iam::${WORKLOAD}:role/${BREAK_GLASS}`;

  test('an overdue finding of no acceptance FAILs (the healthy baseline next to the accepted ones below)', async () => {
    const items = await judge(withUnused({}), [finding('ua-1', 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/old-deployer`, 120)]);
    expect(items.findings.status).toBe('FAIL');
    expect(items.findings.reason).toMatch(/1 unused-access finding\(s\) ACTIVE longer than the 90-day review period .*: 444444444444 UnusedIAMRole arn:aws:iam::444444444444:role\/old-deployer \(120 days\)/);
  });

  test('an entry for every account (* as the account id) accepts the role: PASS, the item lists it with the reason and the config path', async () => {
    const config = withUnused({ acceptedFindings: [{ resourceArn: 'arn:aws:iam::*:role/dr-restore', findingTypes: ['UnusedIAMRole'], reason: 'Disaster recovery role, used in the yearly DR test only (CISO, 2026-01)' }] });
    const items = await judge(config, [finding('ua-1', 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/dr-restore`, 200), finding('ua-2', 'UnusedIAMRole', `arn:aws:iam::${OTHER}:role/dr-restore`, 150)]);
    expect(items.findings.status).toBe('PASS');
    expect(items.findings.reason).toContain('2 older one(s) accepted: 444444444444 UnusedIAMRole arn:aws:iam::444444444444:role/dr-restore (200 days, securityServices.accessAnalyzer.unusedAccess.acceptedFindings[0]: "Disaster recovery role');
    expect(items.findings.details).toMatchObject({
      overdue: 0,
      accepted: [
        { account: WORKLOAD, id: 'ua-1', ageDays: 200, reason: 'Disaster recovery role, used in the yearly DR test only (CISO, 2026-01)', acceptedBy: 'securityServices.accessAnalyzer.unusedAccess.acceptedFindings[0]' },
        { account: OTHER, id: 'ua-2', ageDays: 150, acceptedBy: 'securityServices.accessAnalyzer.unusedAccess.acceptedFindings[0]' },
      ],
    });
  });

  test('a name suffix (*) and findingTypes omitted accept every type of the matching users', async () => {
    const config = withUnused({ acceptedFindings: [{ resourceArn: `arn:aws:iam::${WORKLOAD}:user/ops/vendor-*`, reason: 'Vendor escrow users, kept by contract' }] });
    const items = await judge(config, [
      finding('ua-1', 'UnusedIAMUserAccessKey', `arn:aws:iam::${WORKLOAD}:user/ops/vendor-a`, 100),
      finding('ua-2', 'UnusedIAMUserPassword', `arn:aws:iam::${WORKLOAD}:user/ops/vendor-b`, 100),
    ]);
    expect(items.findings.status).toBe('PASS');
    expect((items.findings.details as { accepted: unknown[] }).accepted).toHaveLength(2);
  });

  test.each([
    ['another finding type', { resourceArn: 'arn:aws:iam::*:role/dr-restore', findingTypes: ['UnusedIAMRole'] }, 'UnusedPermission', `arn:aws:iam::${WORKLOAD}:role/dr-restore`],
    ['another role', { resourceArn: 'arn:aws:iam::*:role/dr-restore' }, 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/dr-restore-2`],
    ['another account', { resourceArn: `arn:aws:iam::${OTHER}:role/dr-restore` }, 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/dr-restore`],
    ['a role where the entry names a user', { resourceArn: 'arn:aws:iam::*:user/dr-restore' }, 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/dr-restore`],
    ['another path', { resourceArn: 'arn:aws:iam::*:role/dr-*' }, 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/ops/dr-restore`],
  ])('an entry does not accept %s: FAIL', async (_what, entry, findingType, resource) => {
    const config = withUnused({ acceptedFindings: [{ ...entry, reason: 'Disaster recovery role, used in the yearly DR test only' }] });
    const items = await judge(config, [finding('ua-1', findingType, resource, 120)]);
    expect(items.findings.status).toBe('FAIL');
    expect(items.findings.reason).toContain(`${findingType} ${resource} (120 days)`);
  });

  test("the break-glass role's UnusedIAMRole finding, in any account, is accepted without an entry, naming guardrails.breakGlassRoleName", async () => {
    const items = await judge(withUnused({}), [finding('ua-bg', 'UnusedIAMRole', breakGlassRole, 300), finding('ua-bg2', 'UnusedIAMRole', `arn:aws:iam::${OTHER}:role/${BREAK_GLASS}`, 300)]);
    expect(items.findings.status).toBe('PASS');
    expect(items.findings.details).toMatchObject({
      accepted: [
        { id: 'ua-bg', reason: BREAK_GLASS_ACCEPTANCE_REASON, acceptedBy: 'guardrails.breakGlassRoleName' },
        { id: 'ua-bg2', reason: BREAK_GLASS_ACCEPTANCE_REASON, acceptedBy: 'guardrails.breakGlassRoleName' },
      ],
      breakGlassRoleAccepted: { role: `arn:aws:iam::*:role/${BREAK_GLASS}`, findingTypes: ['UnusedIAMRole'], configPath: 'guardrails.breakGlassRoleName' },
    });
    expect(BREAK_GLASS_ACCEPTANCE_REASON).toBe('the break-glass role is unused by design; each use raises BreakGlassRoleUsed');
  });

  test.each([
    ['an unused permission of the break-glass role', 'UnusedPermission', `arn:aws:iam::${WORKLOAD}:role/${BREAK_GLASS}`],
    ['a role named after it', 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/${BREAK_GLASS}-old`],
    ['a user of its name', 'UnusedIAMUserAccessKey', `arn:aws:iam::${WORKLOAD}:user/${BREAK_GLASS}`],
  ])('nothing else is implied: %s FAILs', async (_what, findingType, resource) => {
    const items = await judge(withUnused({}), [finding('ua-1', findingType, resource, 120)]);
    expect(items.findings.status).toBe('FAIL');
    expect(items.findings.reason).toContain(`${findingType} ${resource} (120 days)`);
  });

  test('with guardrails off (no BreakGlassRoleUsed alarm), the break-glass role is not accepted: FAIL', async () => {
    const config = withUnused({}, (raw) => {
      raw.guardrails = { ...raw.guardrails, enabled: false };
      raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 'guardrails.service-control-policies', reason: 'this test turns guardrails off' }];
    });
    const items = await judge(config, [finding('ua-bg', 'UnusedIAMRole', breakGlassRole, 300)]);
    expect(items.findings.status).toBe('FAIL');
    expect((items.findings.details as { breakGlassRoleAccepted: unknown }).breakGlassRoleAccepted).toBeNull();
  });
});

describe('archived findings', () => {
  const archived = (id: string, updated: number) => finding(id, 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/${id}`, 200, { status: 'ARCHIVED', updatedAt: daysAgo(updated) });

  test('none archived: PASS', async () => {
    const items = await judge(withUnused({}), [finding('ua-1', 'UnusedIAMRole', `arn:aws:iam::${WORKLOAD}:role/app`, 5)]);
    expect(items.archiving.status).toBe('PASS');
    expect(items.archiving.reason).toBe('no archive rule on acme-soc2-unused-access; 0 finding(s) archived in the last 30 days, each with its review in securityServices.accessAnalyzer.reviewedFindings');
  });

  test('archived in the window and listed in reviewedFindings: PASS', async () => {
    const config = withUnused({}, (raw) => (raw.securityServices.accessAnalyzer.reviewedFindings = [{ id: 'ua-kept', reason: 'Reviewed by the IAM owner on 2026-02-20: kept for the audit' }]));
    const items = await judge(config, [archived('ua-kept', 10)]);
    expect(items.archiving.status).toBe('PASS');
    expect(items.archiving.details).toMatchObject({ archivedInWindow: 1, unreviewed: 0 });
  });

  test('archived in the window and not listed: FAIL, naming it', async () => {
    const config = withUnused({}, (raw) => (raw.securityServices.accessAnalyzer.reviewedFindings = [{ id: 'ua-kept', reason: 'Reviewed by the IAM owner on 2026-02-20: kept for the audit' }]));
    const items = await judge(config, [archived('ua-kept', 10), archived('ua-hidden', 2)]);
    expect(items.archiving.status).toBe('FAIL');
    expect(items.archiving.reason).toBe(
      '1 unused-access finding(s) archived in the last 30 days with no review recorded in securityServices.accessAnalyzer.reviewedFindings: ua-hidden (444444444444 UnusedIAMRole arn:aws:iam::444444444444:role/ua-hidden)',
    );
    // An archived finding is not ACTIVE: the findings item does not see it.
    expect(items.findings.status).toBe('PASS');
  });

  test('archived before the window: judged in its own period, not again', async () => {
    const items = await judge(withUnused({}), [archived('ua-old', 45)]);
    expect(items.archiving.status).toBe('PASS');
  });
});

describe('config: acceptedFindings', () => {
  const problems = (entry: Record<string, unknown>) =>
    configProblems((raw) => (raw.securityServices = { ...raw.securityServices, accessAnalyzer: { unusedAccess: { acceptedFindings: [{ reason: 'Disaster recovery role, kept', ...entry }] } } }));

  test('defaults to none', () => {
    expect(configWith(() => undefined).securityServices.accessAnalyzer.unusedAccess.acceptedFindings).toEqual([]);
  });

  test.each(['arn:aws:iam::*:role/dr-restore', 'arn:aws:iam::444444444444:user/ops/vendor-*', 'arn:aws:iam::444444444444:role/a*'])('%s is accepted', (resourceArn) => {
    const config = withUnused({ acceptedFindings: [{ resourceArn, reason: 'Disaster recovery role, kept' }] });
    expect(config.securityServices.accessAnalyzer.unusedAccess.acceptedFindings).toEqual([{ resourceArn, reason: 'Disaster recovery role, kept' }]);
  });

  test.each([
    'arn:aws:iam::*:role/*', // every role
    'arn:aws:iam::444444444444:role/ops/*', // a whole path
    'arn:aws:iam::4444*:role/dr', // part of an account id
    'arn:aws:iam::444444444444:role/dr*x', // a wildcard inside the name
    'arn:aws:iam::444444444444:group/dr', // not a role or user
    'arn:aws:s3:::bucket',
    'dr-restore',
  ])('%s is refused, naming the field', (resourceArn) => {
    expect(problems({ resourceArn })).toEqual([expect.stringMatching(/securityServices\.accessAnalyzer\.unusedAccess\.acceptedFindings\[0\]\.resourceArn.*must be an IAM role or user ARN/)]);
  });

  test('findingTypes must be unused access finding types, and not empty', () => {
    expect(problems({ resourceArn: 'arn:aws:iam::*:role/dr', findingTypes: ['ExternalAccess'] })).toEqual([expect.stringContaining('securityServices.accessAnalyzer.unusedAccess.acceptedFindings[0].findingTypes[0]')]);
    expect(problems({ resourceArn: 'arn:aws:iam::*:role/dr', findingTypes: [] })).toEqual([expect.stringMatching(/acceptedFindings\[0\]\.findingTypes.*at least one finding type/)]);
  });

  test('the reason is at least 10 characters', () => {
    expect(problems({ resourceArn: 'arn:aws:iam::*:role/dr', reason: 'kept' })).toEqual([expect.stringMatching(/acceptedFindings\[0\]\.reason.*at least 10 characters/)]);
  });
});
