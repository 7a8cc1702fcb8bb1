/**
 * The audit period's Config section: the baseline's Config rules' evaluation results per account and
 * Region, read from the organization aggregator in the audit account, and labelled for what they are:
 * the CURRENT state only.
 *
 * GetAggregateComplianceDetailsByConfigRule
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_GetAggregateComplianceDetailsByConfigRule.html):
 * ConfigurationAggregatorName, ConfigRuleName, AccountId and AwsRegion are required (one call per rule,
 * account and Region), Limit at most 100; AggregateEvaluationResults of AggregateEvaluationResult
 * (API_AggregateEvaluationResult.html): EvaluationResultIdentifier.EvaluationResultQualifier
 * (ConfigRuleName, ResourceType, ResourceId), ComplianceType, ResultRecordedTime ("The time when AWS
 * Config recorded the aggregate evaluation result"), ConfigRuleInvokedTime, Annotation.
 *
 * The aggregator keeps each resource's latest result, and a periodic rule records its result again at
 * every run: ResultRecordedTime says when the rule last ran, not since when a resource has been
 * noncompliant, and nothing here shows the state at a past time. What the data can judge is the state
 * at collection: so the item judges "no resource NON_COMPLIANT at the end of the period" when the
 * period ends at the run (within CURRENT_STATE_MAX_LAG_HOURS), and is ERROR for a period that ended
 * earlier. The history that could judge a whole period is each account's configuration history of
 * AWS::Config::ResourceCompliance (GetResourceConfigHistory, one call per resource and account,
 * through each member's role: https://docs.aws.amazon.com/config/latest/APIReference/API_GetResourceConfigHistory.html);
 * the aggregator has no history call (SelectAggregateResourceConfig and GetAggregateResourceConfig
 * return current configuration items), so it is not read here.
 *
 * At 1,000 accounts x 17 Regions one call per rule, account and Region is ~272,000 calls to the audit
 * account's home Region. So the aggregator's compliance summary is read once per collection
 * (`complianceSummary`, a `shared` answer): DescribeAggregateComplianceByConfigRules
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeAggregateComplianceByConfigRules.html),
 * Filters.ComplianceType NON_COMPLIANT (ConfigRuleComplianceFilters: "AWS Config supports only COMPLIANT
 * and NON_COMPLIANT", API_ConfigRuleComplianceFilters.html), Limit up to 1000 ("Valid Range: Minimum
 * value of 0. Maximum value of 1000"), paginated by NextToken ("The results can return an empty result
 * page, but if you have a nextToken, the results are displayed on the next page"); each
 * AggregateComplianceByConfigRule names ConfigRuleName, Compliance, AccountId and AwsRegion
 * (API_AggregateComplianceByConfigRule.html: "A rule is compliant if all of the resources that the rule
 * evaluated comply with it. It is noncompliant if any of these resources do not comply"). The evaluation
 * results are then read only for the baseline rules the summary lists for that account and Region. What
 * could make the two disagree is never a PASS: the summary not read (ERROR), cut at its budget (ERROR,
 * the rules it did not reach unknown), a record naming no account, Region or rule (ERROR), a rule listed
 * NON_COMPLIANT whose results show none (ERROR: the aggregator's data disagree). A rule the summary
 * does not list has no NON_COMPLIANT result in it; AWS does not say that the summary and the results
 * are updated together (docs/evidence.md, Unverified).
 */
import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  type AggregateComplianceByConfigRule,
  type AggregateEvaluationResult,
} from '@aws-sdk/client-config-service';
import { describeError } from '../aws';
import { shared, Task, type CollectContext } from '../context';
import { hoursBetween } from '../period/period';
import { DOC } from '../sources';
import { rulesFor } from './config-service';

export const PERIOD_CONFIG_CONTROL = 'period.config-compliance';

export interface ComplianceChange {
  readonly rule: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: string;
  readonly recordedAt: string;
  readonly annotation?: string;
}

export function periodConfigTasks(ctx: CollectContext, pairs: readonly (readonly [string, string])[]): Task[] {
  const { config } = ctx;
  const audit = config.organization.auditAccountId;
  // The summary's budget: --max-findings records for each account-Region judged (the plan's pairs:
  // the same in every shard and resumed run of the same inputs).
  const budget = ctx.settings.maxFindings * Math.max(pairs.length, 1);
  return pairs.map(
    ([accountId, region]) =>
      new Task(ctx, { label: 'Config evaluations of the period', accountId: audit, region: config.regions.home, controls: [PERIOD_CONFIG_CONTROL] }, (task) => judgePair(task, accountId, region, budget)),
  );
}

/** The most records a page of DescribeAggregateComplianceByConfigRules holds ("Maximum value of 1000"). */
export const SUMMARY_LIMIT = 1000;

/** One AggregateComplianceByConfigRule of the summary, as the items list it. */
export interface SummaryRecord {
  readonly rule: string;
  readonly compliance: string;
  /** Compliance.ComplianceContributorCount.CappedCount: the resources that make the rule NON_COMPLIANT, up to a maximum. */
  readonly contributors?: number;
  readonly contributorsCapExceeded?: boolean;
}

/** The aggregator's NON_COMPLIANT summary, read once per collection. */
export interface ComplianceSummary {
  readonly aggregator: string;
  /** `<account>/<region>` -> the records listed there. */
  readonly listed: ReadonlyMap<string, readonly SummaryRecord[]>;
  /** Records naming no account, Region or rule: they cannot be placed, so nothing is judged PASS. */
  readonly unplaced: number;
  readonly recordsRead: number;
  readonly pagesRead: number;
  readonly budget: number;
  /** Stopped at the budget with a NextToken: a pair it lists nothing for is unknown. */
  readonly capped: boolean;
  /** The read failed (describeError): every pair is ERROR. */
  readonly error?: string;
  /** Its raw record (response pages, or the error). */
  readonly raw: readonly string[];
}

/**
 * The aggregator's compliance summary, filtered to NON_COMPLIANT, every page followed, bounded by
 * `budget` records and as many pages (pages may be empty with a token, so an endless run of them
 * stops too); a failure is returned (with its raw record), not thrown, so that each item names it.
 */
export function complianceSummary(ctx: CollectContext, budget: number): Promise<ComplianceSummary> {
  const { config } = ctx;
  const audit = config.organization.auditAccountId;
  const home = config.regions.home;
  const aggregator = `${config.organization.namePrefix}-organization`;
  return shared(ctx, 'config-compliance-summary', { label: 'Config compliance summary', accountId: audit, region: home }, async (task) => {
    const client = task.client(ConfigServiceClient);
    const request = { ConfigurationAggregatorName: aggregator, Filters: { ComplianceType: 'NON_COMPLIANT' as const }, Limit: SUMMARY_LIMIT };
    let recordsRead = 0;
    let pagesRead = 0;
    let capped = false;
    const base = { aggregator, budget };
    let pages;
    try {
      pages = await task.paginate(
        'config:DescribeAggregateComplianceByConfigRules',
        request,
        (token) => client.send(new DescribeAggregateComplianceByConfigRulesCommand({ ...request, NextToken: token })),
        (p) => {
          recordsRead += p.AggregateComplianceByConfigRules?.length ?? 0;
          pagesRead += 1;
          if (p.NextToken && (recordsRead >= budget || pagesRead >= budget)) {
            capped = true;
            return undefined;
          }
          return p.NextToken;
        },
        { key: 'config-compliance-summary' },
        Number.POSITIVE_INFINITY,
      );
    } catch (e) {
      return { ...base, listed: new Map(), unplaced: 0, recordsRead, pagesRead, capped, error: describeError(e), raw: [...task.rawNames] };
    }
    const listed = new Map<string, SummaryRecord[]>();
    let unplaced = 0;
    for (const r of pages.flatMap((p) => p.AggregateComplianceByConfigRules ?? [])) {
      if (!r.AccountId || !r.AwsRegion || !r.ConfigRuleName) {
        unplaced += 1;
        continue;
      }
      const key = `${r.AccountId}/${r.AwsRegion}`;
      const list = listed.get(key) ?? [];
      list.push(summaryRecord(r));
      listed.set(key, list);
    }
    return { ...base, listed, unplaced, recordsRead, pagesRead, capped, raw: [...task.rawNames] };
  });
}

function summaryRecord(r: AggregateComplianceByConfigRule): SummaryRecord {
  const count = r.Compliance?.ComplianceContributorCount;
  return {
    rule: r.ConfigRuleName!,
    // A record without a ComplianceType is taken as listed NON_COMPLIANT (its results are read).
    compliance: r.Compliance?.ComplianceType ?? 'NON_COMPLIANT',
    ...(count?.CappedCount !== undefined ? { contributors: count.CappedCount } : {}),
    ...(count?.CapExceeded !== undefined ? { contributorsCapExceeded: count.CapExceeded } : {}),
  };
}

/**
 * How long before the run the period may end and the current state still stand for its end, hours
 * (this project's allowance, not an AWS figure: a day of drift between period end and collection).
 */
export const CURRENT_STATE_MAX_LAG_HOURS = 24;

const TITLE = (accountId: string, region: string) => `Config rule compliance at the end of the period (current state only): ${accountId} ${region}`;

async function judgePair(task: Task, accountId: string, region: string, budget: number): Promise<void> {
  const { config, settings } = task.ctx;
  const { period } = settings;
  const now = task.ctx.now();
  const aggregator = `${config.organization.namePrefix}-organization`;
  const rules = rulesFor(config, region).map((r) => r.name);
  const periodJson = { from: period.from.toISOString(), to: period.to.toISOString() };
  const sources = [DOC.config.describeAggregateComplianceByConfigRules, DOC.config.aggregateComplianceByConfigRule, DOC.config.getAggregateComplianceDetailsByConfigRule, DOC.config.aggregateEvaluationResult];
  const lag = hoursBetween(period.to, now);
  if (lag > CURRENT_STATE_MAX_LAG_HOURS) {
    task.item({
      controlId: PERIOD_CONFIG_CONTROL,
      title: TITLE(accountId, region),
      status: 'ERROR',
      reason: `the period ends ${periodJson.to}, ${lag} hours before this run: the aggregator holds each resource's current evaluation only, which cannot show the state in a past period (more than ${CURRENT_STATE_MAX_LAG_HOURS} hours ago); collect with --to within ${CURRENT_STATE_MAX_LAG_HOURS} hours of the run, or read each account's configuration history of AWS::Config::ResourceCompliance`,
      accountId,
      region,
      resource: 'config-evaluations',
      sources: [...sources, 'https://docs.aws.amazon.com/config/latest/APIReference/API_GetResourceConfigHistory.html'],
      raw: [],
      details: { period: periodJson, basis: 'current-state-only', judged: false, aggregator, rules, changes: [] },
    });
    return;
  }
  const summary = await complianceSummary(task.ctx, budget);
  const title = TITLE(accountId, region);
  if (summary.error) {
    task.item({
      controlId: PERIOD_CONFIG_CONTROL,
      title,
      status: 'ERROR',
      reason: `could not read the aggregator's compliance summary, so no rule is judged here: ${summary.error}`,
      accountId,
      region,
      resource: 'config-evaluations',
      sources,
      raw: [...summary.raw],
      details: { period: periodJson, basis: 'current-state-only', judged: false, aggregator, rules, changes: [], summary: { error: summary.error } },
    });
    return;
  }
  // The summary's records of this account and Region: the baseline rules among them are read in detail.
  const listedHere = [...(summary.listed.get(`${accountId}/${region}`) ?? [])].sort((a, b) => a.rule.localeCompare(b.rule));
  const listedRules = new Set(listedHere.map((r) => r.rule));
  const toRead = rules.filter((rule) => listedRules.has(rule));
  const client = task.client(ConfigServiceClient);
  const results: { rule: string; result: AggregateEvaluationResult }[] = [];
  const cappedRules: string[] = [];
  const maxPages = Math.ceil(settings.maxFindings / 100);
  for (const rule of toRead) {
    // Only the NON_COMPLIANT results: "ComplianceType: The resource compliance status. For the
    // GetAggregateComplianceDetailsByConfigRule data type, AWS Config supports only the COMPLIANT and
    // NON_COMPLIANT" (API_GetAggregateComplianceDetailsByConfigRule), so the --max-findings budget is
    // spent on what is judged, and a read that stops at it is said (ERROR), never a silent PASS.
    const request = { ConfigurationAggregatorName: aggregator, ConfigRuleName: rule, AccountId: accountId, AwsRegion: region, ComplianceType: 'NON_COMPLIANT' as const, Limit: 100 };
    const pages = await task.paginate(
      'config:GetAggregateComplianceDetailsByConfigRule',
      request,
      (token) => client.send(new GetAggregateComplianceDetailsByConfigRuleCommand({ ...request, NextToken: token })),
      (p) => p.NextToken,
      { key: `${rule}.${accountId}.${region}` },
      maxPages,
    );
    if (pages.length >= maxPages && pages.at(-1)?.NextToken) cappedRules.push(rule);
    for (const page of pages) for (const result of page.AggregateEvaluationResults ?? []) results.push({ rule, result });
  }
  const toChange = ({ rule, result }: { rule: string; result: AggregateEvaluationResult }): ComplianceChange => {
    const q = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
    return {
      rule,
      resourceType: q?.ResourceType ?? '?',
      resourceId: q?.ResourceId ?? '?',
      compliance: result.ComplianceType ?? '?',
      recordedAt: result.ResultRecordedTime ? result.ResultRecordedTime.toISOString() : '?',
      ...(result.Annotation ? { annotation: result.Annotation.slice(0, 200) } : {}),
    };
  };
  const current = results.map(toChange).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.rule.localeCompare(b.rule) || a.resourceId.localeCompare(b.resourceId));
  const noncompliant = current.filter((c) => c.compliance === 'NON_COMPLIANT').sort((a, b) => a.rule.localeCompare(b.rule) || a.resourceId.localeCompare(b.resourceId));
  // Listed NON_COMPLIANT by the summary, but no NON_COMPLIANT result read (and the read not cut): the
  // aggregator's two answers disagree (one may be behind the other); neither is taken for a PASS.
  const noncompliantRules = new Set(noncompliant.map((c) => c.rule));
  const disagreeing = toRead.filter((rule) => listedHere.some((r) => r.rule === rule && r.compliance === 'NON_COMPLIANT') && !noncompliantRules.has(rule) && !cappedRules.includes(rule));
  const problems = [
    ...(cappedRules.length ? [`more NON_COMPLIANT results than --max-findings (${settings.maxFindings}) for ${cappedRules.join(', ')}: the rest was not read`] : []),
    ...(summary.capped
      ? [`the aggregator's compliance summary was cut after ${summary.recordsRead} record(s) in ${summary.pagesRead} page(s) (--max-findings ${settings.maxFindings} per account and Region judged): a rule NON_COMPLIANT here may be in what was not read`]
      : []),
    ...(summary.unplaced ? [`the aggregator's compliance summary has ${summary.unplaced} record(s) naming no account, Region or rule: they may be about this account and Region`] : []),
    ...(disagreeing.length
      ? [`the aggregator's compliance summary lists ${disagreeing.join(', ')} NON_COMPLIANT here, but its evaluation results show no NON_COMPLIANT resource: the aggregator's data disagree (one may be behind the other); collect again`]
      : []),
  ];
  const readNote = toRead.length ? `, ${toRead.length} listed by the aggregator's compliance summary and read in detail` : ', none listed NON_COMPLIANT by the aggregator\'s compliance summary';
  task.item({
    controlId: PERIOD_CONFIG_CONTROL,
    title,
    status: noncompliant.length ? 'FAIL' : problems.length ? 'ERROR' : 'PASS',
    reason: noncompliant.length
      ? `${noncompliant.length} resource evaluation(s) NON_COMPLIANT at the end of the period (current state; since when is not in the aggregator's data): ` +
        noncompliant
          .slice(0, 20)
          .map((c) => `${c.resourceType} ${c.resourceId} with ${c.rule} (last recorded ${c.recordedAt})`)
          .join('; ') +
        (noncompliant.length > 20 ? `; and ${noncompliant.length - 20} more` : '')
      : problems.length
      ? problems.join('; ')
      : `${rules.length} rule(s)${readNote}, none NON_COMPLIANT at the end of the period (current state only: the changes within the period are not in the aggregator's data)`,
    accountId,
    region,
    resource: 'config-evaluations',
    sources,
    // The summary's record (read once for the collection) and this pair's detail reads.
    raw: [...summary.raw, ...task.rawNames],
    details: {
      period: periodJson,
      basis: 'current-state-only',
      judged: true,
      aggregator,
      rules,
      summary: { listed: listedHere, capped: summary.capped, recordsRead: summary.recordsRead, pagesRead: summary.pagesRead, budget: summary.budget, unplaced: summary.unplaced },
      rulesRead: toRead,
      changes: current,
      noncompliant,
      cappedRules,
      ...(disagreeing.length ? { disagreeing } : {}),
    },
  });
}
