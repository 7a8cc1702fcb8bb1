/**
 * AWS Config: in every account and Region of the selection, the recorder (recording, all resource
 * types, global types in the home Region), its delivery channel, and the compliance of each baseline
 * rule; in the audit account, the organization aggregator; and, from the management account, the
 * organization's accounts against the config's members (an account outside the config has no
 * recorder at all).
 */
import {
  ConfigServiceClient,
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRulesCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  DescribeDeliveryChannelStatusCommand,
  type ComplianceByConfigRule,
  type ConfigRule,
} from '@aws-sdk/client-config-service';
import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { logBucketName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { SOC2_LOGGING_PACK } from '../../config/managed-config-rules';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { configRuleControlId } from '../controls';
import { DOC } from '../sources';

/** Control Tower's recorder, in the Regions it governs (README, "AWS Control Tower"). */
export const CONTROL_TOWER_RECORDER = 'aws-controltower-BaselineConfigRecorder';

export function recorderName(config: BaselineConfig, region: string): string {
  return controlTowerRegions(config).has(region)
    ? CONTROL_TOWER_RECORDER
    : (config.awsConfig.recorderName ?? `${config.organization.namePrefix}-recorder`);
}

function controlTowerRegions(config: BaselineConfig): Set<string> {
  return new Set(config.controlTower.enabled ? (config.controlTower.regions ?? config.regions.governed) : []);
}

/** The catalog control of the config's own `awsConfig.additionalRules`. */
export const ADDITIONAL_RULES_CONTROL = 'config-rule.additional-rules';

export interface ExpectedRule {
  readonly name: string;
  readonly controlId: string;
  /** The AWS managed rule it evaluates (Source.SourceIdentifier, with Source.Owner AWS). */
  readonly identifier: string;
  /** Its input parameters as the baseline writes them; none when empty. */
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * The rules that run in a Region (home-scoped ones only in the home Region): the baseline's, minus
 * those switched off, and the config's additional rules.
 */
export function rulesFor(config: BaselineConfig, region: string): ExpectedRule[] {
  const disabled = new Set(config.awsConfig.disabledRules.map((r) => r.name));
  const here = (scope: 'home' | 'regional') => scope === 'regional' || region === config.regions.home;
  return [
    ...SOC2_LOGGING_PACK.filter((r) => here(r.scope) && !r.unavailableIn?.includes(region) && !disabled.has(r.name)).map((r) => ({
      name: r.name,
      controlId: configRuleControlId(r.name),
      identifier: r.identifier,
      parameters: r.parameters?.(config) ?? {},
    })),
    ...config.awsConfig.additionalRules
      .filter((r) => here(r.scope))
      .map((r) => ({ name: r.name, controlId: ADDITIONAL_RULES_CONTROL, identifier: r.identifier, parameters: r.parameters ?? {} })),
  ];
}

export function configTasks(ctx: CollectContext, pairs: readonly (readonly [string, string])[]): Task[] {
  const { config } = ctx;
  // Per Region, not per account-Region: the plan holds one copy of each Region's rules.
  const perRegion = new Map<string, { rules: ReturnType<typeof rulesFor>; ruleControls: string[]; controls: string[] }>();
  return pairs.map(([accountId, region]) => {
    let forRegion = perRegion.get(region);
    if (!forRegion) {
      const rules = rulesFor(config, region);
      const ruleControls = [...new Set(rules.map((r) => r.controlId))];
      forRegion = { rules, ruleControls, controls: ['config.recorder', 'config.delivery-channel', ...ruleControls] };
      perRegion.set(region, forRegion);
    }
    const { rules, ruleControls, controls } = forRegion;
    return new Task(ctx, { label: 'AWS Config', accountId, region, controls }, async (task) => {
      const client = task.client(ConfigServiceClient);
      await task.guard(['config.recorder'], () => judgeRecorder(task, client, config));
      await task.guard(['config.delivery-channel'], () => judgeChannel(task, client, config));
      await task.guard(ruleControls, () => judgeRules(task, client, rules));
    });
  });
}

async function judgeRecorder(task: Task, client: ConfigServiceClient, config: BaselineConfig): Promise<void> {
  const name = recorderName(config, task.region);
  const described = await task.call('config:DescribeConfigurationRecorders', {}, () => client.send(new DescribeConfigurationRecordersCommand({})), {
    key: 'recorders',
  });
  const recorders = described.ConfigurationRecorders ?? [];
  const recorder = recorders.find((r) => r.name === name);
  const sources = [DOC.config.describeConfigurationRecorders, DOC.config.describeConfigurationRecorderStatus];
  const title = `Configuration recorder ${name}`;
  if (!recorder) {
    const others = recorders.map((r) => r.name).filter(Boolean);
    task.item({
      controlId: 'config.recorder',
      title,
      status: 'FAIL',
      reason: `no recorder named ${name}${others.length ? ` (found: ${others.join(', ')}; set awsConfig.recorderName to take it over)` : ''}`,
      resource: name,
      sources,
    });
    return;
  }
  const request = { ConfigurationRecorderNames: [name] };
  const statusOut = await task.call('config:DescribeConfigurationRecorderStatus', request, () =>
    client.send(new DescribeConfigurationRecorderStatusCommand(request)),
  );
  const status = statusOut.ConfigurationRecordersStatus?.find((s) => s.name === name);
  const home = task.region === config.regions.home;
  const ownedByBaseline = !controlTowerRegions(config).has(task.region);
  const group = recorder.recordingGroup;
  const overrides = recorder.recordingMode?.recordingModeOverrides ?? [];
  const problems = [
    status?.recording ? undefined : 'not recording (recording is false: StartConfigurationRecorder was not called or it was stopped)',
    status?.lastStatus === 'Failure' ? `lastStatus is Failure: ${status.lastErrorCode ?? ''} ${status.lastErrorMessage ?? ''}`.trim() : undefined,
    group?.allSupported ? undefined : 'recordingGroup.allSupported is false: not every resource type is recorded',
    ownedByBaseline && home && !group?.includeGlobalResourceTypes ? 'includeGlobalResourceTypes is false in the home Region: IAM resources are not recorded' : undefined,
    ownedByBaseline && recorder.recordingMode?.recordingFrequency && recorder.recordingMode.recordingFrequency !== config.awsConfig.recordingFrequency
      ? `recordingFrequency is ${recorder.recordingMode.recordingFrequency}, not ${config.awsConfig.recordingFrequency}`
      : undefined,
    // RecordingMode.recordingModeOverrides (API_RecordingMode.html, API_RecordingModeOverride.html):
    // the baseline writes none; an override records its resource types at another frequency.
    ownedByBaseline && overrides.length
      ? `recordingModeOverrides: ${overrides.map((o) => `${(o.resourceTypes ?? []).join(', ')} recorded ${o.recordingFrequency ?? '?'}${o.description ? ` ("${o.description}")` : ''}`).join('; ')}, not ${config.awsConfig.recordingFrequency} as every other type`
      : undefined,
  ].filter((p): p is string => !!p);
  task.item({
    controlId: 'config.recorder',
    title,
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length
      ? problems.join('; ')
      : `recording every supported resource type${home ? ', global types included' : ''}; last status ${status?.lastStatus ?? 'unknown'}${status?.lastStatusChangeTime ? ` at ${status.lastStatusChangeTime.toISOString()}` : ''}`,
    resource: name,
    sources,
  });
}

async function judgeChannel(task: Task, client: ConfigServiceClient, config: BaselineConfig): Promise<void> {
  const described = await task.call('config:DescribeDeliveryChannels', {}, () => client.send(new DescribeDeliveryChannelsCommand({})));
  const channels = described.DeliveryChannels ?? [];
  const ownedByBaseline = !controlTowerRegions(config).has(task.region);
  const name = recorderName(config, task.region);
  // The baseline names its channel like its recorder; Control Tower's channel name is its own.
  const channel = ownedByBaseline ? channels.find((c) => c.name === name) : channels[0];
  const sources = [DOC.config.describeDeliveryChannels, DOC.config.describeDeliveryChannelStatus];
  const title = 'Delivery channel to the central Config bucket';
  if (!channel?.name) {
    task.item({ controlId: 'config.delivery-channel', title, status: 'FAIL', reason: ownedByBaseline ? `no delivery channel named ${name}` : 'no delivery channel', sources });
    return;
  }
  const channelName = channel.name;
  const request = { DeliveryChannelNames: [channelName] };
  const statusOut = await task.call('config:DescribeDeliveryChannelStatus', request, () => client.send(new DescribeDeliveryChannelStatusCommand(request)));
  const status = statusOut.DeliveryChannelsStatus?.find((s) => s.name === channelName);
  const bucket = logBucketName(config, 'config');
  const failures = (
    [
      ['configHistoryDeliveryInfo', status?.configHistoryDeliveryInfo],
      ['configSnapshotDeliveryInfo', status?.configSnapshotDeliveryInfo],
    ] as const
  )
    .filter(([, info]) => info?.lastStatus === 'Failure')
    .map(([label, info]) => `${label}.lastStatus is Failure: ${info?.lastErrorCode ?? ''} ${info?.lastErrorMessage ?? ''}`.trim());
  // As modules/config-recorder writes the channel: the bucket, no key prefix (AWSLogs/ at the bucket
  // root), no KMS key of its own (the bucket's default encryption, the log-archive key, applies).
  const problems = [
    // DeliveryChannel.s3BucketName (API_DeliveryChannel.html).
    ownedByBaseline && channel.s3BucketName !== bucket ? `delivers to ${channel.s3BucketName ?? '(no bucket)'}, not ${bucket}` : undefined,
    // DeliveryChannel.s3KeyPrefix (API_DeliveryChannel.html).
    ownedByBaseline && channel.s3KeyPrefix ? `s3KeyPrefix is ${channel.s3KeyPrefix}, not none: files go to ${channel.s3KeyPrefix}/AWSLogs/, outside the baseline's AWSLogs/` : undefined,
    // DeliveryChannel.s3KmsKeyArn (API_DeliveryChannel.html).
    ownedByBaseline && channel.s3KmsKeyArn ? `s3KmsKeyArn is ${channel.s3KmsKeyArn}, not none: files are encrypted with that key, not the bucket's log-archive key` : undefined,
    ...failures,
  ].filter((p): p is string => !!p);
  task.item({
    controlId: 'config.delivery-channel',
    title,
    status: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length ? problems.join('; ') : `channel ${channelName} delivers to ${channel.s3BucketName}; last history delivery ${status?.configHistoryDeliveryInfo?.lastStatus ?? 'not yet'}`,
    resource: channelName,
    sources,
  });
}

async function judgeRules(task: Task, client: ConfigServiceClient, expected: readonly ExpectedRule[]): Promise<void> {
  const rules = expected.map((r) => r.name);
  // Without names: DescribeConfigRules with a name that does not exist fails the whole call.
  const pages = await task.paginate(
    'config:DescribeConfigRules',
    {},
    (token) => client.send(new DescribeConfigRulesCommand({ NextToken: token })),
    (p) => p.NextToken,
  );
  const deployed = new Map<string, ConfigRule>();
  for (const page of pages) for (const rule of page.ConfigRules ?? []) if (rule.ConfigRuleName) deployed.set(rule.ConfigRuleName, rule);
  const present = rules.filter((r) => deployed.has(r));
  const compliance = new Map<string, ComplianceByConfigRule>();
  // DescribeComplianceByConfigRule takes at most 25 rule names.
  for (let i = 0; i < present.length; i += 25) {
    const names = present.slice(i, i + 25);
    const request = { ConfigRuleNames: names };
    const out = await task.paginate(
      'config:DescribeComplianceByConfigRule',
      request,
      (token) => client.send(new DescribeComplianceByConfigRuleCommand({ ...request, NextToken: token })),
      (p) => p.NextToken,
      { key: i === 0 ? undefined : `part${i / 25 + 1}` },
    );
    for (const page of out) for (const c of page.ComplianceByConfigRules ?? []) if (c.ConfigRuleName) compliance.set(c.ConfigRuleName, c);
  }
  const sources = [DOC.config.describeConfigRules, CONFIG_RULE_DOC.configRule, CONFIG_RULE_DOC.source, CONFIG_RULE_DOC.scope, DOC.config.describeComplianceByConfigRule];
  for (const { name, controlId, identifier, parameters } of expected) {
    const rule = deployed.get(name);
    const redefined = rule ? definitionProblems(name, rule, identifier, parameters) : [];
    const c = compliance.get(name)?.Compliance;
    const type = c?.ComplianceType ?? 'INSUFFICIENT_DATA';
    const count = c?.ComplianceContributorCount;
    let status: 'PASS' | 'FAIL' = 'PASS';
    let reason: string;
    if (!rule) {
      status = 'FAIL';
      reason = `rule ${name} is not deployed`;
    } else if (redefined.length) {
      // Another rule under the baseline's name: its compliance says nothing of what the baseline checks.
      status = 'FAIL';
      reason = redefined.join('; ');
    } else if (rule.ConfigRuleState && rule.ConfigRuleState !== 'ACTIVE') {
      status = 'FAIL';
      reason = `rule state is ${rule.ConfigRuleState}`;
    } else if (type === 'NON_COMPLIANT') {
      status = 'FAIL';
      reason = `NON_COMPLIANT: ${count?.CappedCount ?? '?'}${count?.CapExceeded ? '+' : ''} noncompliant resource(s)`;
    } else if (type === 'COMPLIANT') {
      reason = 'COMPLIANT';
    } else {
      // Deployed and evaluating, with nothing in scope (or not evaluated yet): not a failure of the control.
      reason = `${type}: deployed, no resource evaluated as noncompliant`;
    }
    task.item({
      controlId,
      title: `Config rule ${name}`,
      status,
      reason,
      resource: name,
      sources,
      details: { complianceType: rule ? type : 'NOT_DEPLOYED', noncompliantResources: count?.CappedCount ?? 0 },
    });
  }
}

const CONFIG_API = 'https://docs.aws.amazon.com/config/latest/APIReference';
/** The reference pages of the ConfigRule fields compared, beyond evidence/sources.ts. */
const CONFIG_RULE_DOC = {
  /** ConfigRule: Source, InputParameters, Scope, ConfigRuleState. */
  configRule: `${CONFIG_API}/API_ConfigRule.html`,
  /** Source: Owner (AWS for a managed rule), SourceIdentifier. */
  source: `${CONFIG_API}/API_Source.html`,
  /** Scope: ComplianceResourceTypes, ComplianceResourceId, TagKey, TagValue. */
  scope: `${CONFIG_API}/API_Scope.html`,
};

/** `{"a":"1"}`: parameters as canonical JSON (keys sorted); none and `{}` alike. */
function canonicalParameters(parameters: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(parameters).sort().map((k) => [k, parameters[k]])));
}

/**
 * What differs between a deployed rule and the rule the baseline writes under that name
 * (modules/config-rules/config-rules.ts): the AWS managed rule `identifier`, its input parameters,
 * and no scope (every resource of the rule's types).
 */
export function definitionProblems(name: string, rule: ConfigRule, identifier: string, parameters: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  // ConfigRule.Source (API_ConfigRule.html): Source.Owner AWS for an AWS managed rule, whose
  // SourceIdentifier is the rule's identifier (API_Source.html).
  const source = rule.Source;
  if (source?.Owner !== 'AWS' || source.SourceIdentifier !== identifier) {
    problems.push(`rule ${name} evaluates ${source?.Owner ?? '(no owner)'} ${source?.SourceIdentifier ?? '(no source)'}, not the AWS managed rule ${identifier}`);
  }
  // ConfigRule.InputParameters (API_ConfigRule.html): a JSON string; none written when the baseline has none.
  let deployed: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = rule.InputParameters ? JSON.parse(rule.InputParameters) : {};
    deployed = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    deployed = undefined;
  }
  const wanted = canonicalParameters(parameters);
  if (!deployed) problems.push(`rule ${name} InputParameters ${rule.InputParameters} is not a JSON object, not ${wanted}`);
  else if (canonicalParameters(deployed) !== wanted) problems.push(`rule ${name} InputParameters are ${canonicalParameters(deployed)}, not ${wanted}`);
  // ConfigRule.Scope (API_ConfigRule.html, API_Scope.html): the baseline writes none, so the rule
  // evaluates every resource of its types; a scope narrows it to some of them.
  const scope = rule.Scope;
  const narrowed = scope && ((scope.ComplianceResourceTypes ?? []).length > 0 || scope.ComplianceResourceId || scope.TagKey || scope.TagValue);
  if (narrowed) problems.push(`rule ${name} is scoped to ${JSON.stringify(scope)}: the baseline's evaluates every resource of its types`);
  return problems;
}

/** The organization's accounts against the config's members: an account left out has no baseline. */
export function organizationCoverageTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  return [
    new Task(
      ctx,
      { label: 'organization accounts', accountId: config.organization.managementAccountId, region: config.regions.home, controls: ['config.recorder'], resource: 'organization-accounts' },
      async (task) => {
        const client = task.client(OrganizationsClient);
        const pages = await task.paginate(
          'organizations:ListAccounts',
          {},
          (token) => client.send(new ListAccountsCommand({ NextToken: token })),
          (p) => p.NextToken,
        );
        const active = pages
          .flatMap((p) => p.Accounts ?? [])
          .filter((a: Account) => (a.State ?? a.Status) === 'ACTIVE' && a.Id)
          .map((a) => a.Id as string);
        const members = new Set(config.members.map((m) => m.id));
        // An account `baseline remove` took out is no member: while it is still ACTIVE in the organization
        // it is an ungoverned account all the same, and the item says when and why it was taken out.
        const removed = new Map(config.removedMembers.map((m) => [m.id, m]));
        // An account whose stack `baseline remove --destroyed` recorded as destroyed (its latest entry)
        // that is still ACTIVE is ungoverned too: the item says when it was removed and destroyed, why,
        // and whether the destroy was checked.
        const destroyed = new Map(config.destroyedMembers.map((m) => [m.id, m]));
        const outside = active.filter((id) => !members.has(id)).sort();
        const missing = outside.filter((id) => !removed.has(id) && !destroyed.has(id));
        const removedButActive = outside.filter((id) => removed.has(id)).map((id) => removed.get(id)!);
        const destroyedButActive = outside.filter((id) => !removed.has(id) && destroyed.has(id)).map((id) => destroyed.get(id)!);
        const gone = [...members].filter((id) => !active.includes(id)).sort();
        const problems = [
          ...(missing.length ? [`${missing.length} active account(s) of the organization are not in the config, so have no member baseline (no recorder, flow logs, alarms): ${missing.join(', ')}`] : []),
          ...removedButActive.map(
            (m) => `account ${m.id} was removed from the baseline on ${m.removedOn} (${m.reason}) but is still an ACTIVE account of the organization: close it or move it out of the organization`,
          ),
          ...destroyedButActive.map(
            (m) =>
              `account ${m.id} was removed from the baseline on ${m.removedOn} and destroyed on ${m.destroyedOn} (${m.reason}; state ${m.stateChecked ? 'checked' : `not checked: ${m.uncheckedReason ?? 'no reason recorded'}`}) but is still an ACTIVE account of the organization: close it or move it out of the organization`,
          ),
          ...(gone.length ? [`${gone.length} account(s) of the config are not active accounts of the organization: ${gone.join(', ')}`] : []),
        ];
        task.item({
          controlId: 'config.recorder',
          title: 'Every account of the organization is governed by the baseline',
          status: problems.length ? 'FAIL' : 'PASS',
          reason: problems.length ? problems.join('; ') : `all ${active.length} active accounts of the organization are in the config`,
          region: 'global',
          sources: [DOC.organizations.listAccounts],
          details: {
            activeAccounts: active.length,
            notInConfig: missing,
            removedButActive: removedButActive.map((m) => ({ accountId: m.id, removedOn: m.removedOn, reason: m.reason })),
            destroyedButActive: destroyedButActive.map((m) => ({
              accountId: m.id,
              removedOn: m.removedOn,
              reason: m.reason,
              destroyedOn: m.destroyedOn,
              stateChecked: m.stateChecked,
              uncheckedReason: m.uncheckedReason ?? null,
            })),
            notInOrganization: gone,
          },
        });
      },
    ),
  ];
}

export function aggregatorTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const name = `${config.organization.namePrefix}-organization`;
  return [
    new Task(
      ctx,
      { label: 'Config aggregator', accountId: config.organization.auditAccountId, region: config.regions.home, controls: ['config.aggregator'], resource: name },
      async (task) => {
        const client = task.client(ConfigServiceClient);
        const request = { ConfigurationAggregatorNames: [name] };
        const sources = [DOC.config.describeConfigurationAggregators, DOC.config.describeConfigurationAggregatorSourcesStatus];
        let aggregators;
        try {
          aggregators = await task.call('config:DescribeConfigurationAggregators', request, () => client.send(new DescribeConfigurationAggregatorsCommand(request)));
        } catch (e) {
          if (!isNotFound(e, 'NoSuchConfigurationAggregatorException')) throw e;
        }
        const aggregator = aggregators?.ConfigurationAggregators?.find((a) => a.ConfigurationAggregatorName === name);
        if (!aggregator) {
          task.item({ controlId: 'config.aggregator', title: `Organization aggregator ${name}`, status: 'FAIL', reason: `no aggregator ${name} in the audit account`, sources });
          return;
        }
        const source = aggregator.OrganizationAggregationSource;
        const regions = new Set(source?.AwsRegions ?? []);
        const uncovered = source?.AllAwsRegions ? [] : config.regions.governed.filter((r) => !regions.has(r));
        const statusRequest = { ConfigurationAggregatorName: name };
        const statuses = await task.paginate(
          'config:DescribeConfigurationAggregatorSourcesStatus',
          statusRequest,
          (token) => client.send(new DescribeConfigurationAggregatorSourcesStatusCommand({ ...statusRequest, NextToken: token })),
          (p) => p.NextToken,
        );
        const failed = statuses
          .flatMap((p) => p.AggregatedSourceStatusList ?? [])
          .filter((s) => s.LastUpdateStatus === 'FAILED')
          .map((s) => `${s.SourceId ?? '?'} ${s.AwsRegion ?? ''}: ${s.LastErrorCode ?? ''}`.trim());
        const problems = [
          source ? undefined : 'not an organization aggregator (no OrganizationAggregationSource)',
          uncovered.length ? `does not aggregate governed Region(s) ${uncovered.join(', ')}` : undefined,
          failed.length ? `${failed.length} source(s) failed to update: ${failed.slice(0, 10).join('; ')}` : undefined,
        ].filter((p): p is string => !!p);
        task.item({
          controlId: 'config.aggregator',
          title: `Organization aggregator ${name}`,
          status: problems.length ? 'FAIL' : 'PASS',
          reason: problems.length ? problems.join('; ') : `aggregates the organization over ${source?.AllAwsRegions ? 'all Regions' : [...regions].sort().join(', ')}`,
          sources,
        });
      },
    ),
  ];
}
