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
 */
import { ConfigServiceClient, GetAggregateComplianceDetailsByConfigRuleCommand, type AggregateEvaluationResult } from '@aws-sdk/client-config-service';
import { Task, type CollectContext } from '../context';
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
  return pairs.map(
    ([accountId, region]) =>
      new Task(ctx, { label: 'Config evaluations of the period', accountId: audit, region: config.regions.home, controls: [PERIOD_CONFIG_CONTROL] }, (task) => judgePair(task, accountId, region)),
  );
}

/**
 * How long before the run the period may end and the current state still stand for its end, hours
 * (this project's allowance, not an AWS figure: a day of drift between period end and collection).
 */
export const CURRENT_STATE_MAX_LAG_HOURS = 24;

const TITLE = (accountId: string, region: string) => `Config rule compliance at the end of the period (current state only): ${accountId} ${region}`;

async function judgePair(task: Task, accountId: string, region: string): Promise<void> {
  const { config, settings } = task.ctx;
  const { period } = settings;
  const now = task.ctx.now();
  const aggregator = `${config.organization.namePrefix}-organization`;
  const rules = rulesFor(config, region).map((r) => r.name);
  const periodJson = { from: period.from.toISOString(), to: period.to.toISOString() };
  const sources = [DOC.config.getAggregateComplianceDetailsByConfigRule, DOC.config.aggregateEvaluationResult];
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
  const client = task.client(ConfigServiceClient);
  const results: { rule: string; result: AggregateEvaluationResult }[] = [];
  const cappedRules: string[] = [];
  const maxPages = Math.ceil(settings.maxFindings / 100);
  for (const rule of rules) {
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
  task.item({
    controlId: PERIOD_CONFIG_CONTROL,
    title: TITLE(accountId, region),
    status: noncompliant.length ? 'FAIL' : cappedRules.length ? 'ERROR' : 'PASS',
    reason: !noncompliant.length && cappedRules.length
      ? `more NON_COMPLIANT results than --max-findings (${settings.maxFindings}) for ${cappedRules.join(', ')}: the rest was not read`
      : noncompliant.length
      ? `${noncompliant.length} resource evaluation(s) NON_COMPLIANT at the end of the period (current state; since when is not in the aggregator's data): ` +
        noncompliant
          .slice(0, 20)
          .map((c) => `${c.resourceType} ${c.resourceId} with ${c.rule} (last recorded ${c.recordedAt})`)
          .join('; ') +
        (noncompliant.length > 20 ? `; and ${noncompliant.length - 20} more` : '')
      : `${rules.length} rule(s), ${current.length} current evaluation(s), none NON_COMPLIANT at the end of the period (current state only: the changes within the period are not in the aggregator's data)`,
    accountId,
    region,
    resource: 'config-evaluations',
    sources,
    details: { period: periodJson, basis: 'current-state-only', judged: true, aggregator, rules, changes: current, noncompliant, cappedRules },
  });
}
