/**
 * The delegated-admin security services, judged from the audit account (their administrator):
 * GuardDuty, Macie and IAM Access Analyzer in every governed Region, Security Hub's central
 * configuration and control results in the home Region (where its aggregator gathers every linked
 * Region), and, in each account and Region, the Security Hub standards the configuration policy
 * enables. Findings of the last `--since` days are counted by severity: evidence that detection works.
 */
import {
  AccessAnalyzerClient,
  ListAnalyzersCommand,
  ListArchiveRulesCommand,
  ListFindingsCommand as ListAnalyzerFindingsCommand,
  type FindingSummary,
} from '@aws-sdk/client-accessanalyzer';
import {
  DescribeOrganizationConfigurationCommand as GdDescribeOrganizationConfigurationCommand,
  GetDetectorCommand,
  GetFindingsCommand as GdGetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand as GdListFindingsCommand,
  ListMembersCommand as GdListMembersCommand,
  type Finding as GdFinding,
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
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  type StandardsSubscription,
} from '@aws-sdk/client-securityhub';
import { memberRegions } from '../../config/naming';
import { FINDING_PUBLISHING_FREQUENCY, GUARDDUTY_FEATURES } from '../../modules/security-services/guardduty-features';
import type { BaselineConfig } from '../../config/schema';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';

const FSBP = 'aws-foundational-security-best-practices/v/1.0.0';

/** GuardDuty severity bands (GuardDuty User Guide, "Severity levels of GuardDuty findings"). */
export function guardDutyBand(severity: number | undefined): 'critical' | 'high' | 'medium' | 'low' {
  const s = severity ?? 0;
  return s >= 9 ? 'critical' : s >= 7 ? 'high' : s >= 4 ? 'medium' : 'low';
}

/** The accounts of the selection a delegated administrator should have as members in a Region. */
function expectedMembers(ctx: CollectContext, region: string, perMemberRegions: boolean): string[] {
  const { config } = ctx;
  const selected = new Set(ctx.settings.accounts);
  return config.members
    .filter((m) => m.id !== config.organization.auditAccountId && selected.has(m.id))
    .filter((m) => !perMemberRegions || memberRegions(config, m).includes(region))
    .map((m) => m.id)
    .sort();
}

function membershipProblem(service: string, expected: readonly string[], enabled: ReadonlySet<string>): string | undefined {
  const missing = expected.filter((id) => !enabled.has(id));
  return missing.length ? `${missing.length} account(s) not enabled ${service} members: ${missing.join(', ')}` : undefined;
}

const auditRegions = (ctx: CollectContext) => ctx.config.regions.governed.filter((r) => ctx.settings.regions.includes(r));

// ---------------------------------------------------------------------------------------------------
// GuardDuty

export function guardDutyTasks(ctx: CollectContext): Task[] {
  const audit = ctx.config.organization.auditAccountId;
  return auditRegions(ctx).map(
    (region) =>
      new Task(ctx, { label: 'GuardDuty', accountId: audit, region, controls: ['guardduty.organization'] }, async (task) => {
        const gd = task.client(GuardDutyClient);
        const detectors = await task.paginate(
          'guardduty:ListDetectors',
          {},
          (token) => gd.send(new ListDetectorsCommand({ NextToken: token })),
          (p) => p.NextToken,
        );
        const detectorId = detectors.flatMap((p) => p.DetectorIds ?? [])[0];
        const sources = [DOC.guardDuty.listDetectors, DOC.guardDuty.getDetector, DOC.guardDuty.describeOrganizationConfiguration, DOC.guardDuty.listMembers];
        if (!detectorId) {
          task.item({ controlId: 'guardduty.organization', title: 'GuardDuty administrator detector', status: 'FAIL', reason: 'no GuardDuty detector in the audit account', resource: 'detector', sources });
          return;
        }
        await task.guard(['guardduty.organization'], async () => {
          const detector = await task.call('guardduty:GetDetector', { DetectorId: detectorId }, () => gd.send(new GetDetectorCommand({ DetectorId: detectorId })));
          const org = await task.call('guardduty:DescribeOrganizationConfiguration', { DetectorId: detectorId }, () =>
            gd.send(new GdDescribeOrganizationConfigurationCommand({ DetectorId: detectorId })),
          );
          const request = { DetectorId: detectorId, OnlyAssociated: 'true' };
          const members = await task.paginate(
            'guardduty:ListMembers',
            request,
            (token) => gd.send(new GdListMembersCommand({ ...request, NextToken: token })),
            (p) => p.NextToken,
          );
          const enabled = new Set(
            members
              .flatMap((p) => p.Members ?? [])
              .filter((m) => m.RelationshipStatus?.toLowerCase() === 'enabled')
              .map((m) => m.AccountId as string),
          );
          const wantedAuto = ctx.config.securityServices.guardDuty.autoEnableMembers;
          // The protection plans the config turns on, on the administrator's detector and auto-enabled
          // for the members (GetDetector Features[].Status, DescribeOrganizationConfiguration
          // Features[].AutoEnable: API_GetDetector.html, API_DescribeOrganizationConfiguration.html);
          // and findings published every 15 minutes (FindingPublishingFrequency).
          const protection = ctx.config.securityServices.guardDuty.protection;
          const on = (Object.entries(GUARDDUTY_FEATURES) as [keyof typeof protection, string][]).filter(([plan]) => protection[plan]);
          const featureProblems = on.flatMap(([plan, feature]) => {
            const status = (detector.Features ?? []).find((f) => f.Name === feature)?.Status;
            const auto = (org.Features ?? []).find((f) => f.Name === feature)?.AutoEnable;
            return [
              status === 'ENABLED' ? undefined : `feature ${feature} is ${status ?? 'absent'} on detector ${detectorId}, not ENABLED (securityServices.guardDuty.protection.${plan})`,
              auto === wantedAuto ? undefined : `feature ${feature} auto-enables ${auto ?? 'nothing'} for members, not ${wantedAuto}`,
            ];
          });
          const problems = [
            detector.Status === 'ENABLED' ? undefined : `detector ${detectorId} Status is ${detector.Status}`,
            detector.FindingPublishingFrequency === FINDING_PUBLISHING_FREQUENCY ? undefined : `FindingPublishingFrequency is ${detector.FindingPublishingFrequency ?? '(unset)'}, not ${FINDING_PUBLISHING_FREQUENCY}: updated findings reach the alert route late`,
            ...featureProblems,
            org.AutoEnableOrganizationMembers === wantedAuto ? undefined : `AutoEnableOrganizationMembers is ${org.AutoEnableOrganizationMembers ?? '(unset)'}, not ${wantedAuto}`,
            membershipProblem('GuardDuty', expectedMembers(ctx, region, false), enabled),
          ].filter((p): p is string => !!p);
          task.item({
            controlId: 'guardduty.organization',
            title: 'GuardDuty on for the organization',
            status: problems.length ? 'FAIL' : 'PASS',
            reason: problems.length ? problems.join('; ') : `detector ${detectorId} ENABLED, auto-enable ${wantedAuto}, ${enabled.size} member account(s) enabled`,
            resource: 'detector',
            sources,
            // The item's evidence is every call that led to it (the service on, its detector or hub, its members).
            raw: [...task.rawNames],
          });
        });
        await task.guard(['guardduty.organization'], () => guardDutyFindings(task, gd, detectorId), 'findings');
      }),
  );
}

async function guardDutyFindings(task: Task, gd: GuardDutyClient, detectorId: string): Promise<void> {
  const { settings } = task.ctx;
  const since = task.ctx.now().getTime() - settings.sinceDays * 86_400_000;
  const request = { DetectorId: detectorId, FindingCriteria: { Criterion: { updatedAt: { GreaterThanOrEqual: since } } }, MaxResults: 50 };
  const idPages = await task.paginate(
    'guardduty:ListFindings',
    request,
    (token) => gd.send(new GdListFindingsCommand({ ...request, NextToken: token })),
    (p) => p.NextToken,
    {},
    Math.ceil(settings.maxFindings / 50),
  );
  const ids = idPages.flatMap((p) => p.FindingIds ?? []);
  const findings: GdFinding[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    const batch = ids.slice(i, i + 50);
    const out = await task.call('guardduty:GetFindings', { DetectorId: detectorId, FindingIds: batch }, () => gd.send(new GdGetFindingsCommand({ DetectorId: detectorId, FindingIds: batch })), {
      key: `batch${i / 50 + 1}`,
    });
    findings.push(...(out.Findings ?? []));
  }
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) bySeverity[guardDutyBand(f.Severity)] += 1;
  const capped = ids.length >= settings.maxFindings;
  task.item({
    controlId: 'guardduty.organization',
    title: `GuardDuty findings updated in the last ${settings.sinceDays} days`,
    status: 'PASS',
    reason: `${findings.length}${capped ? '+ (read up to the cap)' : ''} finding(s) across the organization: ${bySeverity.critical} critical, ${bySeverity.high} high, ${bySeverity.medium} medium, ${bySeverity.low} low`,
    resource: 'findings',
    sources: [DOC.guardDuty.listFindings, DOC.guardDuty.getFindings],
    details: { ...bySeverity, total: findings.length, capped, sinceDays: settings.sinceDays },
  });
}

// ---------------------------------------------------------------------------------------------------
// Security Hub

const eq = (Value: string) => [{ Value, Comparison: 'EQUALS' as const }];

/** A finding reduced to what the counts read: the raw record says it is a projection. */
function projectFinding(f: AwsSecurityFinding) {
  return {
    Id: f.Id,
    AwsAccountId: f.AwsAccountId,
    Region: f.Region,
    Compliance: f.Compliance,
    Severity: f.Severity?.Label,
    Resources: (f.Resources ?? []).map((r) => ({ Id: r.Id, Type: r.Type })),
  };
}

export function securityHubOrganizationTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const controls = ['securityhub.organization', 'securityhub.fsbp-standard', 'securityhub.cis-standard', 'kms.key-rotation'];
  return [
    new Task(ctx, { label: 'Security Hub', accountId: config.organization.auditAccountId, region: config.regions.home, controls }, async (task) => {
      const sh = task.client(SecurityHubClient);
      const sources = [DOC.securityHub.describeHub, DOC.securityHub.describeOrganizationConfiguration, DOC.securityHub.listMembers];
      try {
        await task.call('securityhub:DescribeHub', {}, () => sh.send(new DescribeHubCommand({})));
      } catch (e) {
        if (!isNotFound(e, 'InvalidAccessException', 'ResourceNotFoundException')) throw e;
        for (const controlId of controls) {
          task.item({ controlId, title: 'Security Hub in the audit account', status: 'FAIL', reason: 'Security Hub is not enabled in the audit account', resource: 'hub', sources });
        }
        return;
      }
      await task.guard(['securityhub.organization'], async () => {
        const org = await task.call('securityhub:DescribeOrganizationConfiguration', {}, () => sh.send(new ShDescribeOrganizationConfigurationCommand({})));
        const request = { OnlyAssociated: true };
        const members = await task.paginate(
          'securityhub:ListMembers',
          request,
          (token) => sh.send(new ShListMembersCommand({ ...request, NextToken: token })),
          (p) => p.NextToken,
        );
        // MemberStatus "Enabled": the member account is active (API_Member.html).
        const enabled = new Set(
          members
            .flatMap((p) => p.Members ?? [])
            .filter((m) => ['enabled', 'associated'].includes((m.MemberStatus ?? '').toLowerCase()))
            .map((m) => m.AccountId as string),
        );
        const oc = org.OrganizationConfiguration;
        const problems = [
          oc?.ConfigurationType === 'CENTRAL' ? undefined : `ConfigurationType is ${oc?.ConfigurationType ?? '(unset)'}, not CENTRAL`,
          oc?.Status && oc.Status !== 'ENABLED' ? `central configuration Status is ${oc.Status}${oc.StatusMessage ? `: ${oc.StatusMessage}` : ''}` : undefined,
          membershipProblem('Security Hub', expectedMembers(ctx, config.regions.home, false), enabled),
        ].filter((p): p is string => !!p);
        task.item({
          controlId: 'securityhub.organization',
          title: 'Security Hub centrally configured for the organization',
          status: problems.length ? 'FAIL' : 'PASS',
          reason: problems.length ? problems.join('; ') : `CENTRAL configuration, ${enabled.size} member account(s) enabled`,
          resource: 'hub',
          sources,
          // The item's evidence is every call that led to it (the service on, its detector or hub, its members).
          raw: [...task.rawNames],
        });
      });
      await task.guard(['securityhub.fsbp-standard', 'securityhub.cis-standard'], () => securityHubControlResults(task, sh));
      await task.guard(['kms.key-rotation'], () => kmsRotation(task, sh));
    }),
  ];
}

/**
 * The Security Hub controls with a FAILED result, per configured standard, across the organization
 * (the home Region's aggregated view). Only FAILED findings are read (`ComplianceStatus` filter,
 * AwsSecurityFindingFilters: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFindingFilters.html),
 * so a healthy organization of any size is judged in a call or two, and every failure read counts
 * whatever the cap; one page per standard (`ComplianceAssociatedStandardsId`) shows that it evaluates
 * something at all.
 */
async function securityHubControlResults(task: Task, sh: SecurityHubClient): Promise<void> {
  const { config, settings } = task.ctx;
  const project = { describe: 'each finding reduced to Id, AwsAccountId, Region, Compliance, Severity and resource ids', fn: (p: unknown) => ({ Findings: ((p as { Findings?: AwsSecurityFinding[] }).Findings ?? []).map(projectFinding) }) };
  const base: AwsSecurityFindingFilters = { ProductName: eq('Security Hub'), RecordState: eq('ACTIVE') };
  const failedFilters: AwsSecurityFindingFilters = { ...base, ComplianceStatus: eq('FAILED') };
  const pages = await task.paginate(
    'securityhub:GetFindings',
    { Filters: failedFilters, MaxResults: 100 },
    (token) => sh.send(new ShGetFindingsCommand({ Filters: failedFilters, MaxResults: 100, NextToken: token })),
    (p) => p.NextToken,
    { key: 'failed-controls', project },
    Math.ceil(settings.maxFindings / 100),
  );
  const active = (f: AwsSecurityFinding) => (f.ProductName ?? 'Security Hub') === 'Security Hub' && (f.RecordState ?? 'ACTIVE') === 'ACTIVE';
  const failed = pages.flatMap((p) => p.Findings ?? []).filter((f) => active(f) && f.Compliance?.Status === 'FAILED');
  const capped = pages.length >= Math.ceil(settings.maxFindings / 100) && !!pages.at(-1)?.NextToken;
  const standards = config.securityServices.securityHub.standards;
  // A control the config disables on purpose (with its reason) is an exception, listed in the run.
  const disabled = new Set(config.securityServices.securityHub.disabledControls.map((c) => c.id));
  for (const [controlId, wanted] of [
    ['securityhub.fsbp-standard', standards.filter((s) => s === FSBP)],
    ['securityhub.cis-standard', standards.filter((s) => s.startsWith('cis-aws-foundations-benchmark/'))],
  ] as const) {
    for (const standard of wanted) {
      const inStandard = (f: AwsSecurityFinding) => (f.Compliance?.AssociatedStandards ?? []).some((s) => s.StandardsId?.endsWith(standard));
      const byControl = new Map<string, number>();
      for (const f of failed.filter(inStandard)) {
        const id = f.Compliance?.SecurityControlId ?? 'unknown';
        if (!disabled.has(id)) byControl.set(id, (byControl.get(id) ?? 0) + 1);
      }
      const failingControls = [...byControl.keys()].sort();
      const failedChecks = [...byControl.values()].reduce((a, b) => a + b, 0);
      let evaluated = true;
      if (failingControls.length === 0) {
        const filters: AwsSecurityFindingFilters = { ...base, ComplianceAssociatedStandardsId: eq(`standards/${standard}`) };
        const page = await task.call('securityhub:GetFindings', { Filters: filters, MaxResults: 100 }, () => sh.send(new ShGetFindingsCommand({ Filters: filters, MaxResults: 100 })), {
          key: `evaluated.${standard}`,
          project,
        });
        evaluated = (page.Findings ?? []).some((f) => active(f) && inStandard(f) && !!f.Compliance?.Status);
      }
      task.item({
        controlId,
        title: `Security Hub control results: ${standard}`,
        // Capped without a failure seen cannot happen (every finding read is a failure); no result at all is not a pass.
        status: failingControls.length ? 'FAIL' : evaluated ? 'PASS' : 'ERROR',
        reason: failingControls.length
          ? `${failingControls.length} control(s) with ${failedChecks}${capped ? '+' : ''} failed check(s) across the organization: ${failingControls.slice(0, 30).join(', ')}${failingControls.length > 30 ? ', ...' : ''}`
          : evaluated
            ? 'no control with a FAILED result across the organization (suppressed findings count too)'
            : `no control result of ${standard} in the findings: the standard evaluates nothing yet, or its findings do not reach the aggregator`,
        resource: `control-results/${standard}`,
        sources: [DOC.securityHub.getFindings, DOC.securityHub.compliance],
        details: { capped, failedControls: Object.fromEntries([...byControl].sort(([a], [b]) => a.localeCompare(b))) },
      });
    }
  }
}

/**
 * Key rotation, from Security Hub's KMS.4 control ("AWS KMS key rotation should be enabled"), which
 * evaluates every customer-managed key of every member account: the collector has no KMS client.
 */
async function kmsRotation(task: Task, sh: SecurityHubClient): Promise<void> {
  const { settings } = task.ctx;
  const Filters: AwsSecurityFindingFilters = { ComplianceSecurityControlId: eq('KMS.4'), RecordState: eq('ACTIVE') };
  const pages = await task.paginate(
    'securityhub:GetFindings',
    { Filters, MaxResults: 100 },
    (token) => sh.send(new ShGetFindingsCommand({ Filters, MaxResults: 100, NextToken: token })),
    (p) => p.NextToken,
    { key: 'KMS.4', project: { describe: 'each finding reduced to Id, AwsAccountId, Region, Compliance, Severity and resource ids', fn: (p) => ({ Findings: ((p as { Findings?: AwsSecurityFinding[] }).Findings ?? []).map(projectFinding) }) } },
  );
  const findings = pages
    .flatMap((p) => p.Findings ?? [])
    .filter((f) => f.Compliance?.SecurityControlId === 'KMS.4' && (f.RecordState ?? 'ACTIVE') === 'ACTIVE');
  const sources = [DOC.securityHub.getFindings, DOC.securityHub.compliance];
  for (const accountId of settings.accounts) {
    const mine = findings.filter((f) => f.AwsAccountId === accountId);
    const failed = mine.filter((f) => f.Compliance?.Status === 'FAILED').map((f) => f.Resources?.[0]?.Id ?? f.Id ?? '?').sort();
    const passed = mine.filter((f) => f.Compliance?.Status === 'PASSED').length;
    task.item({
      controlId: 'kms.key-rotation',
      title: 'Customer-managed KMS keys rotate (Security Hub KMS.4)',
      status: failed.length ? 'FAIL' : passed ? 'PASS' : 'ERROR',
      reason: failed.length
        ? `KMS.4 FAILED for ${failed.length} key(s): ${failed.join(', ')}`
        : passed
          ? `KMS.4 PASSED for all ${passed} customer-managed key(s) evaluated`
          : 'no KMS.4 result for this account: enable a Security Hub standard with KMS.4 (CIS v1.4.0 or v3.0.0) or check kms:GetKeyRotationStatus',
      accountId,
      region: 'global',
      resource: 'KMS.4',
      sources,
    });
  }
}

/** In each account and Region: the standards the central configuration policy enables, READY. */
export function securityHubStandardsTasks(ctx: CollectContext, pairs: readonly (readonly [string, string])[]): Task[] {
  const standards = ctx.config.securityServices.securityHub.standards;
  const fsbp = standards.includes(FSBP);
  const cis = standards.filter((s) => s.startsWith('cis-aws-foundations-benchmark/'));
  const controls = [...(fsbp ? ['securityhub.fsbp-standard'] : []), ...(cis.length ? ['securityhub.cis-standard'] : [])];
  if (controls.length === 0) return [];
  return pairs.map(
    ([accountId, region]) =>
      new Task(ctx, { label: 'Security Hub standards', accountId, region, controls }, async (task) => {
        const sh = task.client(SecurityHubClient);
        const sources = [DOC.securityHub.getEnabledStandards];
        let subscriptions: StandardsSubscription[] | undefined;
        try {
          const pages = await task.paginate(
            'securityhub:GetEnabledStandards',
            {},
            (token) => sh.send(new GetEnabledStandardsCommand({ NextToken: token })),
            (p) => p.NextToken,
          );
          subscriptions = pages.flatMap((p) => p.StandardsSubscriptions ?? []);
        } catch (e) {
          // "Account is not subscribed to AWS Security Hub": the service is off here.
          if (!isNotFound(e, 'InvalidAccessException')) throw e;
        }
        const judge = (controlId: string, wanted: readonly string[]) => {
          const problems = subscriptions
            ? wanted
                .map((id) => {
                  const sub = subscriptions.find((s) => s.StandardsArn?.endsWith(`standards/${id}`));
                  if (!sub) return `${id} not enabled`;
                  return sub.StandardsStatus === 'READY' ? undefined : `${id} StandardsStatus is ${sub.StandardsStatus}`;
                })
                .filter((p): p is string => !!p)
            : ['Security Hub is not enabled in this account and Region'];
          task.item({
            controlId,
            title: `Security Hub standard enabled: ${wanted.join(', ')}`,
            status: problems.length ? 'FAIL' : 'PASS',
            reason: problems.length ? problems.join('; ') : `${wanted.join(', ')} READY`,
            resource: 'standards',
            sources,
          });
        };
        if (fsbp) judge('securityhub.fsbp-standard', [FSBP]);
        if (cis.length) judge('securityhub.cis-standard', cis);
      }),
  );
}

// ---------------------------------------------------------------------------------------------------
// Macie

export function jobName(config: BaselineConfig, accountId: string, region: string): string {
  return `${config.organization.namePrefix}-sensitive-data-${accountId}-${region}`;
}

export function macieTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const audit = config.organization.auditAccountId;
  const selected = new Set(ctx.settings.accounts);
  return auditRegions(ctx).map((region) => {
    const jobs = config.securityServices.macie.classificationJobs.filter((j) => j.region === region && selected.has(j.accountId));
    return new Task(ctx, { label: 'Macie', accountId: audit, region, controls: ['macie.organization', ...(jobs.length ? ['macie.classification-jobs'] : [])] }, async (task) => {
      const macie = task.client(Macie2Client);
      const sources = [DOC.macie.session, DOC.macie.organizationConfiguration, DOC.macie.members];
      let session;
      try {
        session = await task.call('macie2:GetMacieSession', {}, () => macie.send(new GetMacieSessionCommand({})));
      } catch (e) {
        // "Macie is not enabled": AccessDeniedException from GetMacieSession.
        if (!isNotFound(e, 'AccessDeniedException', 'ResourceNotFoundException')) throw e;
      }
      if (session?.status !== 'ENABLED') {
        for (const controlId of ['macie.organization', ...(jobs.length ? ['macie.classification-jobs'] : [])]) {
          task.item({ controlId, title: 'Macie in the audit account', status: 'FAIL', reason: `Macie is ${session?.status ?? 'not enabled'} in the audit account`, resource: 'session', sources });
        }
        return;
      }
      await task.guard(['macie.organization'], async () => {
        const org = await task.call('macie2:DescribeOrganizationConfiguration', {}, () => macie.send(new MacieDescribeOrganizationConfigurationCommand({})));
        const request = { onlyAssociated: 'true' };
        const pages = await task.paginate(
          'macie2:ListMembers',
          request,
          (token) => macie.send(new MacieListMembersCommand({ ...request, nextToken: token })),
          (p) => p.nextToken,
        );
        const enabled = new Set(
          pages
            .flatMap((p) => p.members ?? [])
            .filter((m) => m.relationshipStatus === 'Enabled')
            .map((m) => m.accountId as string),
        );
        const problems = [
          org.autoEnable ? undefined : 'autoEnable is false: accounts that join the organization are not enabled',
          membershipProblem('Macie', expectedMembers(ctx, region, true), enabled),
        ].filter((p): p is string => !!p);
        task.item({
          controlId: 'macie.organization',
          title: 'Macie on for the organization',
          status: problems.length ? 'FAIL' : 'PASS',
          reason: problems.length ? problems.join('; ') : `Macie ENABLED, auto-enable on, ${enabled.size} member account(s) enabled`,
          resource: 'session',
          sources,
          // The item's evidence is every call that led to it (the service on, its detector or hub, its members).
          raw: [...task.rawNames],
        });
      });
      await task.guard(['macie.organization'], () => macieFindings(task, macie), 'findings');
      if (jobs.length) await task.guard(['macie.classification-jobs'], () => macieJobs(task, macie, jobs));
    });
  });
}

async function macieFindings(task: Task, macie: Macie2Client): Promise<void> {
  const { settings } = task.ctx;
  const since = task.ctx.now().getTime() - settings.sinceDays * 86_400_000;
  const request = { findingCriteria: { criterion: { createdAt: { gte: since } } }, maxResults: 50 };
  const idPages = await task.paginate(
    'macie2:ListFindings',
    request,
    (token) => macie.send(new MacieListFindingsCommand({ ...request, nextToken: token })),
    (p) => p.nextToken,
    {},
    Math.ceil(settings.maxFindings / 50),
  );
  const ids = idPages.flatMap((p) => p.findingIds ?? []);
  const counts = { High: 0, Medium: 0, Low: 0 };
  let total = 0;
  for (let i = 0; i < ids.length; i += 50) {
    const batch = ids.slice(i, i + 50);
    const out = await task.call('macie2:GetFindings', { findingIds: batch }, () => macie.send(new MacieGetFindingsCommand({ findingIds: batch })), { key: `batch${i / 50 + 1}` });
    for (const f of out.findings ?? []) {
      total += 1;
      const d = f.severity?.description;
      if (d === 'High' || d === 'Medium' || d === 'Low') counts[d] += 1;
    }
  }
  task.item({
    controlId: 'macie.organization',
    title: `Macie findings created in the last ${settings.sinceDays} days`,
    status: 'PASS',
    reason: `${total} finding(s): ${counts.High} high, ${counts.Medium} medium, ${counts.Low} low`,
    resource: 'findings',
    sources: [DOC.macie.listFindings, DOC.macie.getFindings],
    details: { high: counts.High, medium: counts.Medium, low: counts.Low, total, capped: ids.length >= settings.maxFindings, sinceDays: settings.sinceDays },
  });
}

async function macieJobs(task: Task, macie: Macie2Client, jobs: BaselineConfig['securityServices']['macie']['classificationJobs']): Promise<void> {
  const { config } = task.ctx;
  const byAccount = new Map<string, Set<string>>();
  for (const job of jobs) byAccount.set(job.accountId, new Set([...(byAccount.get(job.accountId) ?? []), ...job.buckets]));
  for (const [accountId, buckets] of [...byAccount].sort(([a], [b]) => a.localeCompare(b))) {
    const name = jobName(config, accountId, task.region);
    const request = { filterCriteria: { includes: [{ comparator: 'EQ' as const, key: 'name' as const, values: [name] }] } };
    const pages = await task.paginate(
      'macie2:ListClassificationJobs',
      request,
      (token) => macie.send(new ListClassificationJobsCommand({ ...request, nextToken: token })),
      (p) => p.nextToken,
      { key: name },
    );
    const job = pages.flatMap((p) => p.items ?? []).find((j) => j.name === name);
    const scanned = new Set((job?.bucketDefinitions ?? []).filter((d) => d.accountId === accountId).flatMap((d) => d.buckets ?? []));
    const missing = [...buckets].filter((b) => !scanned.has(b)).sort();
    const problems = job
      ? [
          ['CANCELLED', 'PAUSED', 'USER_PAUSED'].includes(job.jobStatus ?? '') ? `jobStatus is ${job.jobStatus}` : undefined,
          missing.length ? `does not scan ${missing.join(', ')}` : undefined,
        ].filter((p): p is string => !!p)
      : [`no classification job ${name}`];
    task.item({
      controlId: 'macie.classification-jobs',
      title: `Macie classification job over ${accountId}'s buckets`,
      status: problems.length ? 'FAIL' : 'PASS',
      reason: problems.length ? problems.join('; ') : `${job?.jobType ?? ''} job ${name} ${job?.jobStatus ?? ''} over ${[...buckets].sort().join(', ')}`.replace(/\s+/g, ' '),
      resource: name,
      sources: [DOC.macie.jobs],
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// IAM Access Analyzer

export function accessAnalyzerTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const name = `${config.organization.namePrefix}-organization`;
  return auditRegions(ctx).map(
    (region) =>
      new Task(ctx, { label: 'Access Analyzer', accountId: config.organization.auditAccountId, region, controls: ['access-analyzer.organization'] }, async (task) => {
        const aa = task.client(AccessAnalyzerClient);
        const request = { type: 'ORGANIZATION' as const };
        const pages = await task.paginate(
          'access-analyzer:ListAnalyzers',
          request,
          (token) => aa.send(new ListAnalyzersCommand({ ...request, nextToken: token })),
          (p) => p.nextToken,
        );
        const analyzer = pages.flatMap((p) => p.analyzers ?? []).find((a) => a.name === name);
        const ok = analyzer?.status === 'ACTIVE';
        task.item({
          controlId: 'access-analyzer.organization',
          title: `Organization analyzer ${name}`,
          status: ok ? 'PASS' : 'FAIL',
          reason: analyzer ? (ok ? `ORGANIZATION analyzer ${name} ACTIVE` : `analyzer ${name} status is ${analyzer.status}`) : `no ORGANIZATION analyzer named ${name}`,
          resource: name,
          sources: [DOC.accessAnalyzer.listAnalyzers],
        });
        if (!analyzer?.arn) return;
        const arn = analyzer.arn;
        await task.guard(['access-analyzer.organization'], () => accessAnalyzerArchiving(task, aa, name, arn), 'archiving');
        const findingsRequest = { analyzerArn: arn, filter: { status: { eq: ['ACTIVE'] } } };
        const findingPages = await task.paginate(
          'access-analyzer:ListFindings',
          findingsRequest,
          (token) => aa.send(new ListAnalyzerFindingsCommand({ ...findingsRequest, nextToken: token })),
          (p) => p.nextToken,
          { key: 'active' },
          Math.ceil(task.ctx.settings.maxFindings / 100),
        );
        const active: FindingSummary[] = findingPages.flatMap((p) => p.findings ?? []).filter((f) => f.status === 'ACTIVE');
        const byType = new Map<string, number>();
        for (const f of active) byType.set(f.resourceType ?? 'unknown', (byType.get(f.resourceType ?? 'unknown') ?? 0) + 1);
        const isPublic = active.filter((f) => f.isPublic).length;
        task.item({
          controlId: 'access-analyzer.organization',
          title: 'Active Access Analyzer findings (access from outside the organization)',
          status: active.length ? 'FAIL' : 'PASS',
          reason: active.length
            ? `${active.length} active finding(s), ${isPublic} public: ${[...byType].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${n} ${t}`).join(', ')}; review each, and archive the intended ones with the review recorded in securityServices.accessAnalyzer.reviewedFindings`
            : 'no active finding: nothing is shared outside the organization',
          resource: 'findings',
          sources: [DOC.accessAnalyzer.listFindings],
          details: { active: active.length, public: isPublic, byResourceType: Object.fromEntries([...byType].sort(([a], [b]) => a.localeCompare(b))) },
        });
      }),
  );
}

/**
 * Archiving hides a finding from the active list, so the active count alone can be blinded: an
 * archive rule archives every matching finding, new and existing, with no review
 * (ListArchiveRules; IAM User Guide, "Archive rules"); a finding archived by hand (UpdateFindings)
 * must carry its review record in the config (securityServices.accessAnalyzer.reviewedFindings).
 */
async function accessAnalyzerArchiving(task: Task, aa: AccessAnalyzerClient, analyzerName: string, analyzerArn: string): Promise<void> {
  const { config, settings } = task.ctx;
  const rulePages = await task.paginate(
    'access-analyzer:ListArchiveRules',
    { analyzerName },
    (token) => aa.send(new ListArchiveRulesCommand({ analyzerName, nextToken: token })),
    (p) => p.nextToken,
  );
  const rules = rulePages.flatMap((p) => p.archiveRules ?? []);
  const request = { analyzerArn, filter: { status: { eq: ['ARCHIVED'] } } };
  const pages = await task.paginate(
    'access-analyzer:ListFindings',
    request,
    (token) => aa.send(new ListAnalyzerFindingsCommand({ ...request, nextToken: token })),
    (p) => p.nextToken,
    { key: 'archived' },
    Math.ceil(settings.maxFindings / 100),
  );
  const since = task.ctx.now().getTime() - settings.sinceDays * 86_400_000;
  const reviewed = new Set(config.securityServices.accessAnalyzer.reviewedFindings.map((f) => f.id));
  const archived = pages.flatMap((p) => p.findings ?? []).filter((f) => f.status === 'ARCHIVED' && f.updatedAt && new Date(f.updatedAt).getTime() >= since);
  const unreviewed = archived.filter((f) => !reviewed.has(f.id ?? '')).map((f) => `${f.id} (${f.resourceType ?? '?'} ${f.resource ?? ''}${f.isPublic ? ', public' : ''})`.replace(' )', ')'));
  const capped = pages.length >= Math.ceil(settings.maxFindings / 100) && !!pages.at(-1)?.nextToken;
  const problems = [
    ...rules.map((r) => `archive rule ${r.ruleName} archives every finding matching ${JSON.stringify(r.filter ?? {})} without review`),
    ...(unreviewed.length ? [`${unreviewed.length} finding(s) archived in the last ${settings.sinceDays} days with no review recorded in securityServices.accessAnalyzer.reviewedFindings: ${unreviewed.slice(0, 20).join(', ')}${unreviewed.length > 20 ? ', ...' : ''}`] : []),
  ];
  task.item({
    controlId: 'access-analyzer.organization',
    title: 'Access Analyzer findings archived only after a recorded review',
    status: problems.length ? 'FAIL' : capped ? 'ERROR' : 'PASS',
    reason: problems.length
      ? problems.join('; ')
      : capped
        ? `no archive rule; more archived findings than --max-findings (${settings.maxFindings}): the rest were not judged`
        : `no archive rule; ${archived.length} finding(s) archived in the last ${settings.sinceDays} days, each with its review in the config`,
    resource: 'archiving',
    sources: [DOC.accessAnalyzer.listArchiveRules, DOC.accessAnalyzer.listFindings],
    details: { archiveRules: rules.map((r) => r.ruleName ?? ''), archivedInWindow: archived.length, unreviewed: unreviewed.length, sinceDays: settings.sinceDays },
  });
}
