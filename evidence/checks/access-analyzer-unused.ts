/**
 * IAM Access Analyzer unused access (`access-analyzer.unused-access`), judged in the audit account's
 * home Region, where the baseline's one ORGANIZATION_UNUSED_ACCESS analyzer is: the analyzer as
 * configured (GetAnalyzer), no archive rule hiding its findings (ListArchiveRules), and its ACTIVE
 * findings listed per account with their age, none older than the access review period
 * (ListFindingsV2: ListFindings serves external access analyzers only, API_ListFindings.html).
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
      await task.guard([CONTROL], () => archiveRules(task, aa, name), 'archiving');
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

async function archiveRules(task: Task, aa: AccessAnalyzerClient, analyzerName: string): Promise<void> {
  const pages = await task.paginate(
    'access-analyzer:ListArchiveRules',
    { analyzerName },
    (token) => aa.send(new ListArchiveRulesCommand({ analyzerName, nextToken: token })),
    (p) => p.nextToken,
    { key: analyzerName },
  );
  const rules = pages.flatMap((p) => p.archiveRules ?? []);
  task.item({
    controlId: CONTROL,
    title: 'No archive rule on the unused access analyzer',
    status: rules.length ? 'FAIL' : 'PASS',
    reason: rules.length
      ? rules.map((r) => `archive rule ${r.ruleName} on ${analyzerName} archives every unused-access finding matching ${JSON.stringify(r.filter ?? {})} without review`).join('; ')
      : `no archive rule on ${analyzerName}`,
    resource: 'archiving',
    sources: [DOC.accessAnalyzer.listArchiveRules],
    details: { archiveRules: rules.map((r) => r.ruleName ?? '') },
  });
}

async function activeFindings(task: Task, aa: AccessAnalyzerClient, analyzerArn: string, reviewWithinDays: number): Promise<void> {
  const { settings } = task.ctx;
  const request = { analyzerArn, filter: { status: { eq: ['ACTIVE'] } } };
  const maxPages = Math.ceil(settings.maxFindings / 100);
  const pages = await task.paginate(
    'access-analyzer:ListFindingsV2',
    request,
    (token) => aa.send(new ListFindingsV2Command({ ...request, nextToken: token })),
    (p) => p.nextToken,
    { key: 'unused-active' },
    maxPages,
  );
  const capped = pages.length >= maxPages && !!pages.at(-1)?.nextToken;
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
  const overdue = accounts.flatMap((account) => byAccount.get(account)!.filter((r) => r.ageDays > reviewWithinDays).map((r) => ({ account, ...r })));
  overdue.sort((a, b) => b.ageDays - a.ageDays || a.id.localeCompare(b.id));
  const shown = overdue.slice(0, 20).map((r) => `${r.account} ${r.findingType} ${r.resource || r.id} (${r.ageDays} days)`);
  task.item({
    controlId: CONTROL,
    title: `Unused access findings reviewed within ${reviewWithinDays} days`,
    status: overdue.length ? 'FAIL' : capped ? 'ERROR' : 'PASS',
    reason: overdue.length
      ? `${overdue.length} unused-access finding(s) ACTIVE longer than the ${reviewWithinDays}-day review period (securityServices.accessAnalyzer.unusedAccess.reviewWithinDays): ${shown.join(', ')}${overdue.length > 20 ? ', ...' : ''}; remove the unused access`
      : capped
        ? `more ACTIVE findings than --max-findings (${settings.maxFindings}): the rest were not judged`
        : `${active.length} ACTIVE unused-access finding(s) in ${accounts.length} account(s), none older than ${reviewWithinDays} days`,
    resource: 'findings',
    sources: [DOC.accessAnalyzer.listFindingsV2],
    details: {
      reviewWithinDays,
      active: active.length,
      overdue: overdue.length,
      byAccount: Object.fromEntries(accounts.map((a) => [a, byAccount.get(a)!.sort((x, y) => y.ageDays - x.ageDays || x.id.localeCompare(y.id))])),
    },
  });
}
