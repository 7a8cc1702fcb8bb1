/**
 * What the collector reads from the AWS Config organization aggregator (audit account, home Region)
 * with advanced queries, because the SDK clients the project depends on have no API for it: the
 * account-level S3 Block Public Access of every account (S3 Control), and the EventBridge rules,
 * event bus and SNS topic of the alert routing (EventBridge, SNS). The aggregator records them as
 * configuration items; a resource that is not recorded is reported as not found.
 */
import { ConfigServiceClient, SelectAggregateResourceConfigCommand } from '@aws-sdk/client-config-service';
import { alarmEventBusArn, alarmEventBusName, centralAlertTopicArn, centralAlertTopicName, PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';
import { cisTargets } from './cloudwatch';

interface ConfigItem {
  readonly accountId?: string;
  readonly awsRegion?: string;
  readonly resourceName?: string;
  readonly resourceType?: string;
  readonly configuration?: Record<string, unknown>;
}

/** Reads a property whatever its casing (configuration items use the service's own field names). */
function prop(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  if (name in o) return o[name];
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  if (lower in o) return o[lower];
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  return o[upper];
}

/** A rule's target ARNs, from its configuration item. */
export function ruleTargets(item: ConfigItem): string[] {
  const targets = prop(item.configuration, 'Targets');
  return Array.isArray(targets) ? targets.map((t) => String(prop(t, 'Arn') ?? '')).filter(Boolean) : [];
}

export function ruleState(item: ConfigItem): string {
  return String(prop(item.configuration, 'State') ?? 'unknown');
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function forwardingRuleName(config: BaselineConfig, accountId: string): string {
  const kind = accountId === config.organization.managementAccountId ? 'org' : 'account';
  return `${config.organization.namePrefix}-${kind}-alarms-to-central-bus`;
}

export function inventoryTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  const prefix = config.organization.namePrefix;
  const home = config.regions.home;
  const audit = config.organization.auditAccountId;
  const aggregator = `${prefix}-organization`;
  const controls = ['alerting.central-routing', 'guardduty.findings-alerting', 's3.account-public-access-block'];
  return [
    new Task(ctx, { label: 'Config aggregator inventory', accountId: audit, region: home, controls }, async (task) => {
      const client = task.client(ConfigServiceClient);
      const select = async (key: string, expression: string): Promise<ConfigItem[]> => {
        const request = { ConfigurationAggregatorName: aggregator, Expression: expression };
        const pages = await task.paginate(
          'config:SelectAggregateResourceConfig',
          request,
          (token) => client.send(new SelectAggregateResourceConfigCommand({ ...request, NextToken: token })),
          (p) => p.NextToken,
          { key },
        );
        // Results: one JSON document per configuration item (API_SelectAggregateResourceConfig.html).
        return pages.flatMap((p) => p.Results ?? []).map((r) => JSON.parse(r) as ConfigItem);
      };
      const sources = [DOC.config.selectAggregateResourceConfig];
      const fields = 'accountId, awsRegion, resourceName, resourceType, configuration';

      await task.guard(['alerting.central-routing', 'guardduty.findings-alerting'], async () => {
        const ruleNames = [
          `${prefix}-alarms-to-central-topic`,
          `${prefix}-securityhub-high-critical`,
          `${prefix}-guardduty-high-severity`,
          `${prefix}-org-alarms-to-central-bus`,
          `${prefix}-account-alarms-to-central-bus`,
        ];
        const rules = await select(
          'event-rules',
          `SELECT ${fields} WHERE resourceType = 'AWS::Events::Rule' AND resourceName IN (${ruleNames.map(quote).join(', ')})`,
        );
        const topics = await select('alert-topic', `SELECT ${fields} WHERE resourceType = 'AWS::SNS::Topic' AND resourceName = ${quote(centralAlertTopicName(config))}`);
        const buses = await select('alarm-bus', `SELECT ${fields} WHERE resourceType = 'AWS::Events::EventBus' AND resourceName = ${quote(alarmEventBusName(config))}`);
        const at = (items: ConfigItem[], name: string, accountId: string, region: string) =>
          items.find((i) => i.resourceName === name && i.accountId === accountId && i.awsRegion === region);
        const topicArn = centralAlertTopicArn(config);
        const ruleProblem = (name: string, accountId: string, region: string, target: string): string | undefined => {
          const rule = at(rules, name, accountId, region);
          if (!rule) return `no EventBridge rule ${name} recorded in ${accountId} ${region}`;
          if (ruleState(rule) !== 'ENABLED') return `rule ${name} in ${accountId} ${region} is ${ruleState(rule)}`;
          return ruleTargets(rule).includes(target) ? undefined : `rule ${name} in ${accountId} ${region} does not target ${target}`;
        };

        // The central route: the bus, its rule to the topic, the Security Hub rule, the topic.
        const central = [
          at(topics, centralAlertTopicName(config), audit, home) ? undefined : `no SNS topic ${centralAlertTopicName(config)} recorded in the audit account`,
          at(buses, alarmEventBusName(config), audit, home) ? undefined : `no event bus ${alarmEventBusName(config)} recorded in the audit account`,
          ruleProblem(`${prefix}-alarms-to-central-topic`, audit, home, topicArn),
          ruleProblem(`${prefix}-securityhub-high-critical`, audit, home, topicArn),
        ].filter((p): p is string => !!p);
        task.item({
          controlId: 'alerting.central-routing',
          title: 'Central alert topic, alarm bus and their rules',
          status: central.length ? 'FAIL' : 'PASS',
          reason: central.length ? central.join('; ') : `alarms on ${alarmEventBusName(config)} and HIGH/CRITICAL Security Hub findings reach ${topicArn}`,
          resource: 'central',
          sources,
        });
        // Each account with CIS alarms forwards them to the central bus.
        for (const target of cisTargets(config, ctx.settings.accounts)) {
          const name = forwardingRuleName(config, target.accountId);
          const problem = ruleProblem(name, target.accountId, home, alarmEventBusArn(config));
          task.item({
            controlId: 'alerting.central-routing',
            title: "Account's alarms forwarded to the central alarm bus",
            status: problem ? 'FAIL' : 'PASS',
            reason: problem ?? `rule ${name} forwards alarms entering ALARM to ${alarmEventBusArn(config)}`,
            accountId: target.accountId,
            resource: name,
            sources,
          });
        }
        // GuardDuty: a rule in every governed Region; the home one publishes, the others forward home.
        const homeBus = `arn:${PARTITION}:events:${home}:${audit}:event-bus/default`;
        for (const region of config.regions.governed.filter((r) => ctx.settings.regions.includes(r))) {
          const name = `${prefix}-guardduty-high-severity`;
          const problem = ruleProblem(name, audit, region, region === home ? topicArn : homeBus);
          task.item({
            controlId: 'guardduty.findings-alerting',
            title: 'GuardDuty findings of severity 7+ reach the central alert topic',
            status: problem ? 'FAIL' : 'PASS',
            reason: problem ?? `rule ${name} ${region === home ? `publishes to ${topicArn}` : `forwards to ${homeBus}`}`,
            region,
            resource: name,
            sources,
          });
        }
      });

      await task.guard(['s3.account-public-access-block'], async () => {
        const blocks = await select('account-public-access-block', `SELECT ${fields} WHERE resourceType = 'AWS::S3::AccountPublicAccessBlock'`);
        const settings = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];
        for (const accountId of ctx.settings.accounts) {
          const recorded = blocks.filter((b) => b.accountId === accountId);
          const off = [...new Set(recorded.flatMap((b) => settings.filter((s) => prop(b.configuration, s) !== true)))];
          task.item({
            controlId: 's3.account-public-access-block',
            title: 'Account-level S3 Block Public Access',
            status: recorded.length === 0 ? 'ERROR' : off.length ? 'FAIL' : 'PASS',
            reason:
              recorded.length === 0
                ? 'no AWS::S3::AccountPublicAccessBlock configuration item in the aggregator (not recorded, or never configured): check s3control:GetPublicAccessBlock'
                : off.length
                  ? `not true: ${off.join(', ')}`
                  : 'all four account-level settings are true',
            accountId,
            region: 'global',
            resource: 'account-public-access-block',
            sources,
          });
        }
      });
    }),
  ];
}
