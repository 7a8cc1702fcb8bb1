/**
 * The audit period's findings section: the GuardDuty, Macie and IAM Access Analyzer findings created
 * in the period, as Security Hub holds them (the baseline sends all three there:
 * modules/security-services), with severity, workflow status and the time to the first workflow
 * change; and GuardDuty's own list of the period's findings, every selected governed Region, against
 * Security Hub's, so that a broken integration (a finding that never reached Security Hub, hence no
 * triage record) fails instead of passing on an empty list.
 *
 * Security Hub GetFindings (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindings.html)
 * with AwsSecurityFindingFilters (API_AwsSecurityFindingFilters.html) CreatedAt, a DateFilter of Start
 * and End (API_DateFilter.html), and ProductName EQUALS (several values of one field are ORed);
 * AwsSecurityFinding (API_AwsSecurityFinding.html) Id, ProductArn, ProductName, AwsAccountId, Region,
 * CreatedAt, Severity.Label (INFORMATIONAL | LOW | MEDIUM | HIGH | CRITICAL, API_Severity.html),
 * Workflow.Status (NEW | NOTIFIED | RESOLVED | SUPPRESSED, API_Workflow.html). GetFindingHistory
 * (API_GetFindingHistory.html): FindingIdentifier {Id, ProductArn}, StartTime, EndTime; Records of
 * FindingHistoryRecord (API_FindingHistoryRecord.html) with UpdateTime, FindingCreated and Updates of
 * FindingHistoryUpdate {UpdatedField, OldValue, NewValue} (API_FindingHistoryUpdate.html).
 *
 * GetFindingHistory's span is limited: "the maximum time period is limited to 90 days" (StartTime,
 * API_GetFindingHistory.html), so a finding's history is asked from CreatedAt to at most 90 days later.
 *
 * What the services keep bounds what the section can show: Security Hub deletes a finding 90 days after
 * its last update (30 days for an archived one; AWS Security Hub User Guide, "Creating and updating
 * findings": https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings.html), and
 * "GuardDuty retains the generated findings for a period of 90 days" (GuardDuty User Guide, "Exporting
 * findings": https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html). A period
 * starting earlier than 90 days before the run is not covered before that date: its items are ERROR.
 *
 * GuardDuty ListFindings (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListFindings.html):
 * the documented time criterion is `updatedAt` (a finding created in the period was updated in it
 * too), so the period's candidates are listed by it and GetFindings' CreatedAt (API_Finding.html)
 * keeps those created in the period.
 *
 * ListFindings lists archived findings too, and a suppression rule archives the findings it matches,
 * which "are not sent to any of the AWS services with which you may integrate" (GuardDuty User Guide,
 * "Creating suppression rules": https://docs.aws.amazon.com/guardduty/latest/ug/create-suppression-rules-guardduty.html).
 * GetFindings' Service.Archived ("Indicates whether this finding is archived", API_Service.html) tells
 * them apart: an archived finding absent from Security Hub is listed as archived or suppressed, not
 * sent, and is not a broken integration; one in Security Hub still counts as GuardDuty's.
 */
import { GetFindingsCommand as GdGetFindingsCommand, GuardDutyClient, ListDetectorsCommand, ListFindingsCommand as GdListFindingsCommand } from '@aws-sdk/client-guardduty';
import { GetFindingHistoryCommand, GetFindingsCommand as ShGetFindingsCommand, SecurityHubClient, type AwsSecurityFinding, type AwsSecurityFindingFilters } from '@aws-sdk/client-securityhub';
import { Task, type CollectContext } from '../context';
import { hoursBetween } from '../period/period';
import { DOC } from '../sources';

export const PERIOD_FINDINGS_CONTROL = 'period.finding-triage';

/** ProductName of the findings the baseline routes to Security Hub (ASFF ProductName, as each integration writes it). */
export const FINDING_PRODUCTS = ['GuardDuty', 'Macie', 'IAM Access Analyzer'] as const;

const URGENT = new Set(['HIGH', 'CRITICAL']);

const DAY_MS = 86_400_000;

/** Days Security Hub keeps a finding after its last update, and GuardDuty a finding (the pages above). */
export const FINDING_RETENTION_DAYS = 90;

/** GetFindingHistory's longest span, days (API_GetFindingHistory.html, StartTime). */
export const FINDING_HISTORY_MAX_DAYS = 90;

const GUARDDUTY_SERVICE = 'https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Service.html';
const SUPPRESSION_RULES = 'https://docs.aws.amazon.com/guardduty/latest/ug/create-suppression-rules-guardduty.html';

const RETENTION_SOURCES = ['https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings.html', 'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html'];

/** The earliest instant whose findings the services still keep at `now`; undefined when the period starts after it. */
export function retentionCutoff(period: { readonly from: Date }, now: Date): Date | undefined {
  const cutoff = new Date(now.getTime() - FINDING_RETENTION_DAYS * DAY_MS);
  return period.from < cutoff ? cutoff : undefined;
}

const retentionReason = (cutoff: Date) =>
  `the period is not covered before ${cutoff.toISOString()}: Security Hub deletes a finding ${FINDING_RETENTION_DAYS} days after its last update and GuardDuty keeps findings ${FINDING_RETENTION_DAYS} days, so findings created earlier may be gone`;

/** How a HIGH or CRITICAL finding's triage is judged: in time, late, still NEW too long, or unknowable. */
export type TriageVerdict = 'ok' | 'late' | 'new-too-long' | 'unknown';

/** The verdict on one finding (only HIGH and CRITICAL are judged; the others are 'ok'). */
export function triageVerdict(f: PeriodFinding, now: Date, triageHours: number): TriageVerdict {
  if (!URGENT.has(f.severity)) return 'ok';
  if (f.firstWorkflowChange) return f.firstWorkflowChange.hours > triageHours ? 'late' : 'ok';
  if (f.workflowStatus === 'NEW') return hoursBetween(new Date(f.createdAt), now) > triageHours ? 'new-too-long' : 'ok';
  // Left NEW, but no change in the history read: when it was triaged is unknown.
  return 'unknown';
}

export interface PeriodFinding {
  readonly id: string;
  readonly product: string;
  readonly accountId: string;
  readonly region: string;
  readonly title: string;
  readonly severity: string;
  readonly createdAt: string;
  readonly workflowStatus: string;
  /** The first workflow change (HIGH and CRITICAL findings: GetFindingHistory), and hours after creation. */
  readonly firstWorkflowChange?: { readonly at: string; readonly to: string; readonly hours: number };
}

const WORKFLOW_FIELD = /^Workflow(\.Status)?$/;

/** The GuardDuty finding id an ASFF finding carries: its Id is the GuardDuty finding's ARN, `.../finding/<id>`. */
export const guardDutyIdOf = (asffId: string): string => /\/finding\/([^/]+)$/.exec(asffId)?.[1] ?? asffId;

export function periodFindingTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  if (!ctx.settings.regions.includes(config.regions.home)) return [];
  return [
    new Task(ctx, { label: 'findings of the period', accountId: config.organization.auditAccountId, region: config.regions.home, controls: [PERIOD_FINDINGS_CONTROL] }, (task) => judgeFindings(task)),
  ];
}

async function judgeFindings(task: Task): Promise<void> {
  const { config, settings } = task.ctx;
  const { period, maxFindings } = settings;
  const triageHours = config.alerts.triage.findingTriageHours;
  const now = task.ctx.now();
  const sh = task.client(SecurityHubClient);
  const periodJson = { from: period.from.toISOString(), to: period.to.toISOString() };

  let shFindings: AwsSecurityFinding[] | undefined;
  let capped = false;
  await task.guard(
    [PERIOD_FINDINGS_CONTROL],
    async () => {
      const filters: AwsSecurityFindingFilters = {
        CreatedAt: [{ Start: periodJson.from, End: periodJson.to }],
        ProductName: FINDING_PRODUCTS.map((Value) => ({ Value, Comparison: 'EQUALS' as const })),
      };
      const maxPages = Math.ceil(maxFindings / 100);
      const project = {
        describe: 'each finding reduced to Id, ProductArn, ProductName, AwsAccountId, Region, Title, CreatedAt, Severity.Label and Workflow.Status',
        fn: (p: unknown) => ({
          Findings: ((p as { Findings?: AwsSecurityFinding[] }).Findings ?? []).map((f) => ({
            Id: f.Id,
            ProductArn: f.ProductArn,
            ProductName: f.ProductName,
            AwsAccountId: f.AwsAccountId,
            Region: f.Region,
            Title: f.Title,
            CreatedAt: f.CreatedAt,
            Severity: f.Severity?.Label,
            Workflow: f.Workflow?.Status,
          })),
          ...((p as { NextToken?: string }).NextToken ? { NextToken: (p as { NextToken?: string }).NextToken } : {}),
        }),
      };
      const pages = await task.paginate(
        'securityhub:GetFindings',
        { Filters: filters, MaxResults: 100 },
        (token) => sh.send(new ShGetFindingsCommand({ Filters: filters, MaxResults: 100, NextToken: token })),
        (p) => p.NextToken,
        { key: 'period-findings', project },
        maxPages,
      );
      capped = pages.length >= maxPages && !!pages.at(-1)?.NextToken;
      // The filter is the service's; the period and products are checked here too, so that an
      // endpoint that ignores filters cannot widen the section.
      const inPeriod = (f: AwsSecurityFinding) => !!f.CreatedAt && new Date(f.CreatedAt) >= period.from && new Date(f.CreatedAt) < period.to;
      const read = pages.flatMap((p) => p.Findings ?? []).filter((f) => inPeriod(f) && (FINDING_PRODUCTS as readonly string[]).includes(f.ProductName ?? ''));
      shFindings = read;

      const findings: PeriodFinding[] = [];
      for (const f of read) {
        const severity = f.Severity?.Label ?? 'UNKNOWN';
        const base = {
          id: f.Id ?? '?',
          product: f.ProductName ?? '?',
          accountId: f.AwsAccountId ?? '?',
          region: f.Region ?? '?',
          title: (f.Title ?? '').slice(0, 200),
          severity,
          createdAt: new Date(f.CreatedAt!).toISOString(),
          workflowStatus: f.Workflow?.Status ?? 'NEW',
        };
        if (!URGENT.has(severity) || !f.Id || !f.ProductArn) {
          findings.push(base);
          continue;
        }
        const identifier = { Id: f.Id, ProductArn: f.ProductArn };
        const createdAt = new Date(f.CreatedAt!);
        const historyEnd = new Date(Math.min(now.getTime(), createdAt.getTime() + FINDING_HISTORY_MAX_DAYS * DAY_MS));
        const request = { FindingIdentifier: identifier, StartTime: createdAt, EndTime: historyEnd, MaxResults: 100 };
        const history = await task.paginate(
          'securityhub:GetFindingHistory',
          { ...request, StartTime: createdAt.toISOString(), EndTime: historyEnd.toISOString() },
          (token) => sh.send(new GetFindingHistoryCommand({ ...request, NextToken: token })),
          (p) => p.NextToken,
          { key: guardDutyIdOf(f.Id) },
          10,
        );
        const change = history
          .flatMap((p) => p.Records ?? [])
          .filter((r) => r.UpdateTime && !r.FindingCreated)
          .sort((a, b) => a.UpdateTime!.getTime() - b.UpdateTime!.getTime())
          .flatMap((r) => (r.Updates ?? []).filter((u) => WORKFLOW_FIELD.test(u.UpdatedField ?? '') && u.NewValue !== 'NEW').map((u) => ({ at: r.UpdateTime!, to: u.NewValue ?? '?' })))[0];
        findings.push({ ...base, ...(change ? { firstWorkflowChange: { at: change.at.toISOString(), to: change.to, hours: hoursBetween(new Date(f.CreatedAt!), change.at) } } : {}) });
      }
      findings.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));

      const verdicts = findings.map((f) => ({ f, verdict: triageVerdict(f, now, triageHours) }));
      const failed = verdicts.filter((v) => v.verdict === 'late' || v.verdict === 'new-too-long');
      const unknown = verdicts.filter((v) => v.verdict === 'unknown').map((v) => v.f);
      const cutoff = retentionCutoff(period, now);
      const bySeverity: Record<string, number> = {};
      for (const f of findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
      const urgent = findings.filter((f) => URGENT.has(f.severity));
      const counts = Object.entries(bySeverity)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([s, n]) => `${n} ${s}`)
        .join(', ');
      const where = (f: PeriodFinding) => `${f.severity} ${f.product} finding ${f.id} (account ${f.accountId}, ${f.region}) created ${f.createdAt}`;
      const errors = [
        capped ? `more findings in the period than --max-findings (${maxFindings}): the rest were not read, their triage not judged` : undefined,
        unknown.length
          ? `${unknown.map((f) => `${where(f)} is ${f.workflowStatus} but its history (GetFindingHistory, up to ${FINDING_HISTORY_MAX_DAYS} days after creation) shows no workflow change`).join('; ')}: when it was triaged is unknown`
          : undefined,
        cutoff ? retentionReason(cutoff) : undefined,
      ].filter((p): p is string => !!p);
      task.item({
        controlId: PERIOD_FINDINGS_CONTROL,
        title: 'Findings created in the period: severity, workflow status, time to triage',
        status: failed.length ? 'FAIL' : errors.length ? 'ERROR' : 'PASS',
        reason: failed.length
          ? failed
              .map(({ f, verdict }) =>
                verdict === 'late'
                  ? `${where(f)} first left NEW (to ${f.firstWorkflowChange!.to}) at ${f.firstWorkflowChange!.at}, after ${f.firstWorkflowChange!.hours} hours: longer than alerts.triage.findingTriageHours (${triageHours})`
                  : `${where(f)} is still NEW after ${hoursBetween(new Date(f.createdAt), now)} hours: longer than alerts.triage.findingTriageHours (${triageHours})`,
              )
              .join('; ')
          : errors.length
            ? errors.join('; ')
            : `${findings.length} finding(s) created in the period${counts ? ` (${counts})` : ''}; ${urgent.length} HIGH or CRITICAL, each left NEW within ${triageHours} hours or still NEW for less`,
        resource: 'triage',
        sources: [DOC.securityHub.getFindings, DOC.securityHub.findingFilters, DOC.securityHub.finding, DOC.securityHub.workflow, DOC.securityHub.getFindingHistory, DOC.securityHub.findingHistoryRecord, ...RETENTION_SOURCES],
        details: { period: periodJson, findingTriageHours: triageHours, capped, bySeverity, findings, ...(cutoff ? { notCoveredBefore: cutoff.toISOString() } : {}) },
      });
    },
    'triage',
  );

  await task.guard(
    [PERIOD_FINDINGS_CONTROL],
    async () => {
      // Without Security Hub's list there is nothing to compare: the failed call is the triage item's ERROR.
      if (!shFindings) throw new Error("Security Hub's findings of the period could not be read (see the triage item)");
      await crossCheckGuardDuty(task, shFindings, capped);
    },
    'guardduty-in-security-hub',
  );
}

/** GuardDuty's own findings created in the period, every selected governed Region, against Security Hub's. */
async function crossCheckGuardDuty(task: Task, shFindings: readonly AwsSecurityFinding[], shCapped: boolean): Promise<void> {
  const { config, settings } = task.ctx;
  const { period, maxFindings } = settings;
  const regions = config.regions.governed.filter((r) => settings.regions.includes(r));
  const own = new Map<string, { region: string; createdAt: string; severity?: number; archived: boolean }>();
  let gdCapped = false;
  for (const region of regions) {
    const gd = task.client(GuardDutyClient, region);
    const detectors = await task.paginate(
      'guardduty:ListDetectors',
      {},
      (token) => gd.send(new ListDetectorsCommand({ NextToken: token })),
      (p) => p.NextToken,
      { region, key: 'period' },
    );
    const detectorId = detectors.flatMap((p) => p.DetectorIds ?? [])[0];
    if (!detectorId) continue; // guardduty.organization fails the missing detector.
    // ListFindings FindingCriteria.Criterion `updatedAt`, GreaterThanOrEqual, epoch milliseconds (API_Condition.html).
    const request = { DetectorId: detectorId, FindingCriteria: { Criterion: { updatedAt: { GreaterThanOrEqual: period.from.getTime() } } }, MaxResults: 50 };
    const maxPages = Math.ceil(maxFindings / 50);
    const idPages = await task.paginate(
      'guardduty:ListFindings',
      request,
      (token) => gd.send(new GdListFindingsCommand({ ...request, NextToken: token })),
      (p) => p.NextToken,
      { region, key: 'period' },
      maxPages,
    );
    if (idPages.length >= maxPages && idPages.at(-1)?.NextToken) gdCapped = true;
    const ids = idPages.flatMap((p) => p.FindingIds ?? []);
    for (let i = 0; i < ids.length; i += 50) {
      const batch = ids.slice(i, i + 50);
      const out = await task.call('guardduty:GetFindings', { DetectorId: detectorId, FindingIds: batch }, () => gd.send(new GdGetFindingsCommand({ DetectorId: detectorId, FindingIds: batch })), {
        region,
        key: `period-batch${i / 50 + 1}`,
        project: {
          describe: 'each finding reduced to Id, Region, CreatedAt, Severity and Service.Archived',
          fn: (p: unknown) => ({
            Findings: ((p as { Findings?: { Id?: string; Region?: string; CreatedAt?: string; Severity?: number; Service?: { Archived?: boolean } }[] }).Findings ?? []).map((f) => ({ Id: f.Id, Region: f.Region, CreatedAt: f.CreatedAt, Severity: f.Severity, Service: { Archived: f.Service?.Archived } })),
          }),
        },
      });
      for (const f of out.Findings ?? []) {
        if (!f.Id || !f.CreatedAt) continue;
        const created = new Date(f.CreatedAt);
        if (created >= period.from && created < period.to) own.set(f.Id, { region, createdAt: created.toISOString(), ...(f.Severity !== undefined ? { severity: f.Severity } : {}), archived: f.Service?.Archived === true });
      }
    }
  }
  const inHub = new Set(shFindings.filter((f) => f.ProductName === 'GuardDuty' && regions.includes(f.Region ?? '')).map((f) => guardDutyIdOf(f.Id ?? '')));
  const absent = [...own.keys()].filter((id) => !inHub.has(id)).sort();
  // Archived (a suppression rule, or an analyst): GuardDuty does not send a suppressed finding on.
  const archivedNotSent = absent.filter((id) => own.get(id)!.archived);
  const missing = absent.filter((id) => !own.get(id)!.archived);
  const extra = [...inHub].filter((id) => !own.has(id)).sort();
  const sent = own.size - archivedNotSent.length;
  const capped = gdCapped || shCapped;
  const cutoff = retentionCutoff(period, task.ctx.now());
  const archivedNote = archivedNotSent.length ? `; archived or suppressed in GuardDuty, not sent to Security Hub: ${archivedNotSent.slice(0, 20).join(', ')}${archivedNotSent.length > 20 ? `, and ${archivedNotSent.length - 20} more` : ''}` : '';
  const problems = [
    sent !== inHub.size ? `GuardDuty lists ${own.size} finding(s) created in the period${archivedNotSent.length ? ` (${archivedNotSent.length} archived, not sent)` : ''}, Security Hub ${inHub.size}: the GuardDuty integration with Security Hub is broken or lagging, and the triage record is incomplete` : undefined,
    missing.length ? `not in Security Hub: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? `, and ${missing.length - 20} more` : ''}` : undefined,
    extra.length ? `in Security Hub but not listed by GuardDuty: ${extra.slice(0, 20).join(', ')}${extra.length > 20 ? `, and ${extra.length - 20} more` : ''}` : undefined,
  ].filter((p): p is string => !!p);
  task.item({
    controlId: PERIOD_FINDINGS_CONTROL,
    title: "GuardDuty's findings of the period are all in Security Hub",
    // A capped read cannot be compared: neither side's count is whole. Before the retention cutoff the
    // two services delete on different clocks (Security Hub from the last update): only a finding
    // GuardDuty still has and Security Hub lacks is a broken integration there, and a match proves nothing.
    status: capped ? 'ERROR' : problems.length && (!cutoff || missing.length) ? 'FAIL' : cutoff ? 'ERROR' : 'PASS',
    reason: capped
      ? `more findings than --max-findings (${maxFindings}) on one side: the counts (GuardDuty ${own.size}+, Security Hub ${inHub.size}) cannot be compared`
      : problems.length && (!cutoff || missing.length)
        ? `${problems.join('; ')}${archivedNote}`
        : cutoff
          ? `GuardDuty lists ${own.size} and Security Hub ${inHub.size} GuardDuty finding(s) created in the period, none missing from Security Hub${archivedNote}, but ${retentionReason(cutoff)}`
          : `GuardDuty and Security Hub both list ${sent} GuardDuty finding(s) created in the period, the same ones (${regions.join(', ')})${archivedNote}`,
    resource: 'guardduty-in-security-hub',
    sources: [DOC.guardDuty.listDetectors, DOC.guardDuty.listFindings, DOC.guardDuty.getFindings, GUARDDUTY_SERVICE, SUPPRESSION_RULES, DOC.securityHub.getFindings, DOC.securityHub.findingFilters, ...RETENTION_SOURCES],
    details: { period: { from: period.from.toISOString(), to: period.to.toISOString() }, regions, guardDuty: own.size, securityHub: inHub.size, missing, archivedNotSent, extra, capped, ...(cutoff ? { notCoveredBefore: cutoff.toISOString() } : {}) },
  });
}
