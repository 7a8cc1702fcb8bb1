/**
 * IAM Access Analyzer unused access (`access-analyzer.unused-access`), judged in the audit account's
 * home Region, where the baseline's one ORGANIZATION_UNUSED_ACCESS analyzer is: the analyzer as
 * configured (GetAnalyzer); no archive rule hiding its findings (ListArchiveRules) and no finding
 * archived in the `--since` window without its review in securityServices.accessAnalyzer.reviewedFindings,
 * as the external access analyzers are judged (security-services.ts); and its ACTIVE findings listed
 * per account with their age, none older than the access review period unless accepted
 * (securityServices.accessAnalyzer.unusedAccess.acceptedFindings, or the break-glass role's
 * UnusedIAMRole finding). ListFindingsV2: ListFindings serves external access analyzers only
 * (API_ListFindings.html).
 */
import {
  AccessAnalyzerClient,
  GetAnalyzerCommand,
  ListArchiveRulesCommand,
  ListFindingsV2Command,
  type AnalyzerSummary,
  type FindingSummaryV2,
} from '@aws-sdk/client-accessanalyzer';
import type { BaselineConfig } from '../../config/schema';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';

const CONTROL = 'access-analyzer.unused-access';
const DAY = 86_400_000;

/** The baseline's unused access analyzer (stacks/management-stack.ts). */
export const unusedAccessAnalyzerName = (config: BaselineConfig) => `${config.organization.namePrefix}-unused-access`;

/** An ACTIVE finding as the binder lists it. */
export interface UnusedAccessFindingRow {
  readonly id: string;
  readonly findingType: string;
  readonly resource: string;
  readonly ageDays: number;
}

/** Why an overdue finding does not fail: the entry's reason and where the config says it. */
export interface UnusedAccessAcceptance {
  readonly reason: string;
  readonly configPath: string;
}

export const BREAK_GLASS_ACCEPTANCE_REASON = 'the break-glass role is unused by design; each use raises BreakGlassRoleUsed';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The acceptances of the config: each `acceptedFindings` entry (its ARN pattern, `*` for the whole
 * account id or ending the name), and, with guardrails on (where the BreakGlassRoleUsed alarm
 * exists), the break-glass role in every account for UnusedIAMRole only. Returns the first that
 * matches a finding's resource ARN and type. IAM names are unique case-insensitively (IAM User Guide,
 * "IAM identifiers"), so the match ignores case.
 */
export function unusedAccessAcceptances(config: BaselineConfig): (finding: { resource: string; findingType: string }) => UnusedAccessAcceptance | undefined {
  const entries = config.securityServices.accessAnalyzer.unusedAccess.acceptedFindings.map((entry, i) => {
    const [head, name] = [entry.resourceArn.slice(0, entry.resourceArn.lastIndexOf('/') + 1), entry.resourceArn.slice(entry.resourceArn.lastIndexOf('/') + 1)];
    const account = escapeRegExp(head).replace(':iam::\\*:', ':iam::\\d{12}:');
    const rest = name.endsWith('*') ? `${escapeRegExp(name.slice(0, -1))}[\\w+=,.@-]*` : escapeRegExp(name);
    return {
      pattern: new RegExp(`^${account}${rest}$`, 'i'),
      types: entry.findingTypes,
      acceptance: { reason: entry.reason, configPath: `securityServices.accessAnalyzer.unusedAccess.acceptedFindings[${i}]` },
    };
  });
  const g = config.guardrails;
  if (g.enabled && g.breakGlassRoleName) {
    entries.push({
      pattern: new RegExp(`^arn:aws[a-z-]*:iam::\\d{12}:role/${escapeRegExp(g.breakGlassRoleName)}$`, 'i'),
      types: ['UnusedIAMRole'],
      acceptance: { reason: BREAK_GLASS_ACCEPTANCE_REASON, configPath: 'guardrails.breakGlassRoleName' },
    });
  }
  return (finding) => entries.find((e) => e.pattern.test(finding.resource) && (!e.types || (e.types as readonly string[]).includes(finding.findingType)))?.acceptance;
}

export function unusedAccessTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const settings = config.securityServices.accessAnalyzer.unusedAccess;
  if (!settings.enabled) return [];
  const name = unusedAccessAnalyzerName(config);
  const home = config.regions.home;
  return [
    new Task(ctx, { label: 'Access Analyzer unused access', accountId: config.organization.auditAccountId, region: home, controls: [CONTROL] }, async (task) => {
      const aa = task.client(AccessAnalyzerClient);
      let analyzer: AnalyzerSummary | undefined;
      try {
        analyzer = (await task.call('access-analyzer:GetAnalyzer', { analyzerName: name }, () => aa.send(new GetAnalyzerCommand({ analyzerName: name })))).analyzer;
      } catch (e) {
        // GetAnalyzer: ResourceNotFoundException, "The specified resource could not be found" (API_GetAnalyzer.html).
        if (!isNotFound(e, 'ResourceNotFoundException')) throw e;
      }
      const problems = analyzer ? analyzerProblems(analyzer, settings.unusedAccessAgeDays) : [`no analyzer named ${name}`];
      task.item({
        controlId: CONTROL,
        title: `Unused access analyzer ${name}`,
        status: problems.length ? 'FAIL' : 'PASS',
        reason: problems.length ? problems.join('; ') : `ORGANIZATION_UNUSED_ACCESS analyzer ${name} ACTIVE, unused access age ${settings.unusedAccessAgeDays} days, no exclusion`,
        resource: name,
        sources: [DOC.accessAnalyzer.getAnalyzer],
      });
      if (!analyzer?.arn || analyzer.type !== 'ORGANIZATION_UNUSED_ACCESS') return;
      const arn = analyzer.arn;
      await task.guard([CONTROL], () => archiving(task, aa, name, arn), 'archiving');
      await task.guard([CONTROL], () => activeFindings(task, aa, arn, settings.reviewWithinDays), 'findings');
    }),
  ];
}

/** What differs from the baseline's analyzer: its type, status, unused access age, or an exclusion. */
function analyzerProblems(analyzer: AnalyzerSummary, ageDays: number): string[] {
  const problems: string[] = [];
  if (analyzer.type !== 'ORGANIZATION_UNUSED_ACCESS') problems.push(`analyzer ${analyzer.name} is of type ${analyzer.type}, not ORGANIZATION_UNUSED_ACCESS`);
  if (analyzer.status !== 'ACTIVE') problems.push(`analyzer ${analyzer.name} status is ${analyzer.status}${analyzer.statusReason?.code ? ` (${analyzer.statusReason.code})` : ''}`);
  // AnalyzerSummary.configuration.unusedAccess: unusedAccessAge, analysisRule.exclusions (API_AnalyzerSummary.html, API_UnusedAccessConfiguration.html).
  const unused = analyzer.configuration?.unusedAccess;
  if (analyzer.type === 'ORGANIZATION_UNUSED_ACCESS' && unused?.unusedAccessAge !== ageDays) {
    problems.push(`unusedAccessAge is ${unused?.unusedAccessAge ?? 'unset'} days, the config says ${ageDays} (securityServices.accessAnalyzer.unusedAccess.unusedAccessAgeDays)`);
  }
  const exclusions = unused?.analysisRule?.exclusions ?? [];
  if (exclusions.length) problems.push(`analysis rule excludes ${JSON.stringify(exclusions)} from the analysis`);
  return problems;
}

/**
 * Archiving hides a finding from the ACTIVE list, so the overdue check alone can be blinded: an archive
 * rule archives every matching finding, new and existing, without review (ListArchiveRules; IAM User
 * Guide, "Archive rules"), and a finding archived by hand (UpdateFindings) must carry its review record
 * in securityServices.accessAnalyzer.reviewedFindings, as the external access analyzers' do
 * (security-services.ts, accessAnalyzerArchiving). ListFindingsV2 with filter `status` ARCHIVED; the
 * window is judged on `updatedAt`, "the time at which the finding was most recently updated"
 * (https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_FindingSummaryV2.html).
 */
async function archiving(task: Task, aa: AccessAnalyzerClient, analyzerName: string, analyzerArn: string): Promise<void> {
  const { config, settings } = task.ctx;
  const rulePages = await task.paginate(
    'access-analyzer:ListArchiveRules',
    { analyzerName },
    (token) => aa.send(new ListArchiveRulesCommand({ analyzerName, nextToken: token })),
    (p) => p.nextToken,
    { key: analyzerName },
  );
  const rules = rulePages.flatMap((p) => p.archiveRules ?? []);
  const { pages, capped } = await findingsWithStatus(task, aa, analyzerArn, 'ARCHIVED');
  const since = task.ctx.now().getTime() - settings.sinceDays * DAY;
  const selected = new Set(settings.accounts);
  const reviewed = new Set(config.securityServices.accessAnalyzer.reviewedFindings.map((f) => f.id));
  const archived = pages
    .flatMap((p) => p.findings ?? [])
    .filter((f) => f.status === 'ARCHIVED' && f.updatedAt && new Date(f.updatedAt).getTime() >= since && selected.has(f.resourceOwnerAccount ?? ''));
  const unreviewed = archived.filter((f) => !reviewed.has(f.id ?? '')).map((f) => `${f.id} (${f.resourceOwnerAccount} ${f.findingType ?? '?'} ${f.resource ?? ''})`.replace(' )', ')'));
  const problems = [
    ...rules.map((r) => `archive rule ${r.ruleName} on ${analyzerName} archives every unused-access finding matching ${JSON.stringify(r.filter ?? {})} without review`),
    ...(unreviewed.length
      ? [`${unreviewed.length} unused-access finding(s) archived in the last ${settings.sinceDays} days with no review recorded in securityServices.accessAnalyzer.reviewedFindings: ${unreviewed.slice(0, 20).join(', ')}${unreviewed.length > 20 ? ', ...' : ''}`]
      : []),
  ];
  task.item({
    controlId: CONTROL,
    title: 'Unused access findings archived only after a recorded review',
    status: problems.length ? 'FAIL' : capped ? 'ERROR' : 'PASS',
    reason: problems.length
      ? problems.join('; ')
      : capped
        ? `no archive rule on ${analyzerName}; more archived findings than --max-findings (${settings.maxFindings}): the rest were not judged`
        : `no archive rule on ${analyzerName}; ${archived.length} finding(s) archived in the last ${settings.sinceDays} days, each with its review in securityServices.accessAnalyzer.reviewedFindings`,
    resource: 'archiving',
    sources: [DOC.accessAnalyzer.listArchiveRules, DOC.accessAnalyzer.listFindingsV2],
    details: { archiveRules: rules.map((r) => r.ruleName ?? ''), archivedInWindow: archived.length, unreviewed: unreviewed.length, sinceDays: settings.sinceDays },
  });
}

/** The analyzer's findings of one status (ListFindingsV2, filter `status`), every page up to --max-findings; `capped` when more remain. */
async function findingsWithStatus(task: Task, aa: AccessAnalyzerClient, analyzerArn: string, status: 'ACTIVE' | 'ARCHIVED') {
  const request = { analyzerArn, filter: { status: { eq: [status] } } };
  const maxPages = Math.ceil(task.ctx.settings.maxFindings / 100);
  const pages = await task.paginate(
    'access-analyzer:ListFindingsV2',
    request,
    (token) => aa.send(new ListFindingsV2Command({ ...request, nextToken: token })),
    (p) => p.nextToken,
    { key: `unused-${status.toLowerCase()}` },
    maxPages,
  );
  return { pages, capped: pages.length >= maxPages && !!pages.at(-1)?.nextToken };
}

async function activeFindings(task: Task, aa: AccessAnalyzerClient, analyzerArn: string, reviewWithinDays: number): Promise<void> {
  const { config, settings } = task.ctx;
  const { pages, capped } = await findingsWithStatus(task, aa, analyzerArn, 'ACTIVE');
  const selected = new Set(settings.accounts);
  const now = task.ctx.now().getTime();
  // FindingSummaryV2: id, resource, resourceOwnerAccount, findingType, status, createdAt (API_FindingSummaryV2.html).
  const active: FindingSummaryV2[] = pages.flatMap((p) => p.findings ?? []).filter((f) => f.status === 'ACTIVE' && selected.has(f.resourceOwnerAccount ?? ''));
  const byAccount = new Map<string, UnusedAccessFindingRow[]>();
  for (const f of active) {
    const row = { id: f.id ?? '', findingType: f.findingType ?? 'unknown', resource: f.resource ?? '', ageDays: f.createdAt ? Math.floor((now - new Date(f.createdAt).getTime()) / DAY) : 0 };
    byAccount.set(f.resourceOwnerAccount!, [...(byAccount.get(f.resourceOwnerAccount!) ?? []), row]);
  }
  const accounts = [...byAccount.keys()].sort();
  const acceptanceOf = unusedAccessAcceptances(config);
  const overdue = accounts.flatMap((account) => byAccount.get(account)!.filter((r) => r.ageDays > reviewWithinDays).map((r) => ({ account, ...r, acceptance: acceptanceOf(r) })));
  overdue.sort((a, b) => b.ageDays - a.ageDays || a.id.localeCompare(b.id));
  const failing = overdue.filter((r) => !r.acceptance);
  const accepted = overdue.filter((r) => r.acceptance).map(({ acceptance, ...r }) => ({ ...r, reason: acceptance!.reason, acceptedBy: acceptance!.configPath }));
  const shown = failing.slice(0, 20).map((r) => `${r.account} ${r.findingType} ${r.resource || r.id} (${r.ageDays} days)`);
  const acceptedText = accepted.length
    ? `; ${accepted.length} older one(s) accepted: ${accepted
        .slice(0, 20)
        .map((r) => `${r.account} ${r.findingType} ${r.resource || r.id} (${r.ageDays} days, ${r.acceptedBy}: "${r.reason}")`)
        .join(', ')}${accepted.length > 20 ? ', ...' : ''}`
    : '';
  const breakGlass = config.guardrails.enabled && config.guardrails.breakGlassRoleName ? config.guardrails.breakGlassRoleName : undefined;
  task.item({
    controlId: CONTROL,
    title: `Unused access findings reviewed within ${reviewWithinDays} days`,
    status: failing.length ? 'FAIL' : capped ? 'ERROR' : 'PASS',
    reason: failing.length
      ? `${failing.length} unused-access finding(s) ACTIVE longer than the ${reviewWithinDays}-day review period (securityServices.accessAnalyzer.unusedAccess.reviewWithinDays) and not accepted (securityServices.accessAnalyzer.unusedAccess.acceptedFindings): ${shown.join(', ')}${failing.length > 20 ? ', ...' : ''}; remove the unused access${acceptedText}`
      : capped
        ? `more ACTIVE findings than --max-findings (${settings.maxFindings}): the rest were not judged${acceptedText}`
        : `${active.length} ACTIVE unused-access finding(s) in ${accounts.length} account(s), none older than ${reviewWithinDays} days but those accepted${acceptedText}`,
    resource: 'findings',
    sources: [DOC.accessAnalyzer.listFindingsV2],
    details: {
      reviewWithinDays,
      active: active.length,
      overdue: failing.length,
      accepted,
      // Accepted without an entry: the break-glass role, every account, UnusedIAMRole only.
      breakGlassRoleAccepted: breakGlass ? { role: `arn:aws:iam::*:role/${breakGlass}`, findingTypes: ['UnusedIAMRole'], reason: BREAK_GLASS_ACCEPTANCE_REASON, configPath: 'guardrails.breakGlassRoleName' } : null,
      byAccount: Object.fromEntries(accounts.map((a) => [a, byAccount.get(a)!.sort((x, y) => y.ageDays - x.ageDays || x.id.localeCompare(y.id))])),
    },
  });
}
