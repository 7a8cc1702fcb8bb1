/**
 * The `management` stack: everything configured once for the whole organization. It touches the
 * management account (org trail, its CIS alarms, the delegations), the log-archive account (central
 * buckets and keys) and the audit account (the delegated-admin security services, findings routing).
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import {
  baselineOwnsOrgTrail,
  alarmEventBusName,
  alarmForwarderRoleName,
  centralAlertTopicName,
  kmsAliasName,
  logBucketName,
  MANAGEMENT_STACK,
  orgTrailArn,
  orgTrailLogGroupName,
  orgTrailName,
  s3BucketArn,
  centralAlarmRuleName,
  alarmHistoryLogGroupName,
  alarmHistoryRuleNames,
} from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { AlertTopic } from '../modules/alerting/alert-topic';
import { RouteWatchdogs, routeWatchdogAlarmNames } from '../modules/alerting/route-watchdogs';
import { AlarmHistory, alarmHistoryRetentionDays } from '../modules/alerting/alarm-history';
import { CentralAlarmRouting } from '../modules/alerting/central-alarm-routing';
import { FindingsRouting } from '../modules/alerting/findings-routing';
import { CisAlarms } from '../modules/cis-monitoring/cis-alarms';
import { routeTamperingExemptRole } from '../modules/cis-monitoring/cis-metric-filters';
import { ServiceControlPolicies } from '../modules/guardrails/service-control-policies';
import { ResourceControlPolicies } from '../modules/guardrails/resource-control-policies';
import { CentralizedRootAccess } from '../modules/guardrails/root-access';
import { eventSelectors } from '../modules/cloudtrail/event-selectors';
import { MonitoredTrail } from '../modules/cloudtrail/monitored-trail';
import { LogsInsightsQueries } from '../modules/investigations/logs-insights-queries';
import { LogArchive } from '../modules/log-archive/log-archive';
import { AccessAnalyzer } from '../modules/security-services/access-analyzer';
import { ConfigAggregator } from '../modules/security-services/config-aggregator';
import { DELEGATED_SERVICE_PRINCIPALS, Delegation } from '../modules/security-services/delegation';
import { OrganizationPrerequisites, type OrganizationalUnitCheck } from '../modules/prerequisites/organization-prerequisites';
import { organizationalUnitRef } from '../config/organizational-unit';
import { GuardDuty } from '../modules/security-services/guardduty';
import { GuardDutyManagementAccount } from '../modules/security-services/guardduty-management-account';
import { Macie } from '../modules/security-services/macie';
import { SecurityHub } from '../modules/security-services/security-hub';
import { accountProvider } from '../modules/providers/account-provider';
import { BaselineStack } from './baseline-stack';
import { trailDataEvents } from '../config/sensitive-data';

/**
 * The OUs the accounts name, each once and in order, checked at plan time: the set changes when an
 * account names a new OU, not when an account joins one already named. The root (`Root`, or its id)
 * is checked with the organization.
 */
function organizationalUnitChecks(config: BaselineConfig): OrganizationalUnitCheck[] {
  const byOu = new Map<string, OrganizationalUnitCheck>();
  for (const member of config.members) {
    const ref = organizationalUnitRef(member.ou);
    if (ref.kind === 'id') byOu.set(ref.id, { id: ref.id });
    else if (ref.kind === 'path') byOu.set(ref.names.join('/'), { names: ref.names });
  }
  return [...byOu.keys()].sort().map((key) => byOu.get(key)!);
}

export class ManagementStack extends BaselineStack {
  readonly logArchive: LogArchive;
  /** The baseline's organization trail; none when Control Tower's is used. */
  readonly organizationTrail?: MonitoredTrail;
  readonly cisAlarms: CisAlarms;
  readonly centralAlarms: CentralAlarmRouting;
  readonly routeWatchdogs: RouteWatchdogs;
  readonly alarmHistory: AlarmHistory;
  /** The guardrails' service control policies; none when guardrails are off. */
  readonly guardrails?: ServiceControlPolicies;
  /** The resource control policies; none when guardrails or guardrails.resourceControlPolicies are off. */
  readonly resourceControlPolicies?: ResourceControlPolicies;
  /** Centralized root access; none when guardrails or guardrails.centralizedRootAccess are off. */
  readonly centralizedRootAccess?: CentralizedRootAccess;

  constructor(scope: Construct, config: BaselineConfig) {
    super(scope, MANAGEMENT_STACK, config);
    const org = config.organization;
    const home = config.regions.home;
    const provider = (accountId: string, alias: string) =>
      accountProvider(this, `aws-${alias.replace(/_/g, '-')}`, { config, accountId, alias, stackName: this.stackName });
    const management = provider(org.managementAccountId, 'management');
    const logArchiveProvider = provider(org.logArchiveAccountId, 'log_archive');
    const audit = provider(org.auditAccountId, 'audit');

    // Prerequisites checked at plan time: the organization, trusted access, and the log reader roles
    // in the three core accounts (the providers this stack has; readers elsewhere are warned about at
    // synth, so that this stack never reads the member list).
    const byAccount = new Map([
      [org.managementAccountId, management],
      [org.logArchiveAccountId, logArchiveProvider],
      [org.auditAccountId, audit],
    ]);
    const readerRoles = new Map<string, AwsProvider>();
    for (const arn of config.logArchive.readerRoleArns) {
      const provider = byAccount.get(arn.split(':')[4]);
      if (provider) readerRoles.set(arn, provider);
    }
    const prerequisites = new OrganizationPrerequisites(this, 'prerequisites', {
      managementProvider: management,
      organizationId: org.id,
      rootId: org.rootId,
      trustedAccess: [...(baselineOwnsOrgTrail(config) ? ['cloudtrail.amazonaws.com'] : []), ...DELEGATED_SERVICE_PRINCIPALS],
      readerRoles,
      serviceControlPolicies: config.guardrails.enabled,
      resourceControlPolicies: config.guardrails.enabled && config.guardrails.resourceControlPolicies.enabled,
      centralizedRootAccess: config.guardrails.enabled && config.guardrails.centralizedRootAccess.enabled,
      organizationalUnits: organizationalUnitChecks(config),
    });

    this.logArchive = new LogArchive(this, 'log-archive', { config, provider: logArchiveProvider });

    if (baselineOwnsOrgTrail(config)) {
      this.organizationTrail = new MonitoredTrail(this, 'organization-trail', {
      provider: management,
      accountId: org.managementAccountId,
      isOrganizationTrail: true,
      region: home,
      trailName: orgTrailName(config),
      trailArn: orgTrailArn(config),
      bucketName: logBucketName(config, 'cloudtrail'),
      kmsKeyArn: this.logArchive.cloudTrailKey.key.arn,
      logGroupName: orgTrailLogGroupName(config),
      logGroupRetentionDays: config.retention.cloudWatchLogsDays,
      logGroupKeyAlias: kmsAliasName(config, 'cloudtrail-log-group'),
      eventSelectors: eventSelectors(trailDataEvents(config), config.trail.networkActivityEvents),
      insights: config.trail.insights,
      deliveryNotifications: config.trail.deliveryNotifications,
      dependsOn: [this.logArchive.cloudTrailBucket.policy, this.logArchive.cloudTrailKey.key],
      });
    }

    // The org trail's log group carries every account's events: the management account's CIS alarms.
    this.cisAlarms = new CisAlarms(this, 'organization-cis-alarms', {
      config,
      provider: management,
      accountId: org.managementAccountId,
      logGroupName: orgTrailLogGroupName(config),
      dependsOn: this.organizationTrail ? [this.organizationTrail.logGroup] : [],
      namePrefix: `${org.namePrefix}-org`,
      // The guardrails' break-glass role: every use, in any account, alarms here (docs/guardrails.md).
      breakGlassRoleName: config.guardrails.enabled ? config.guardrails.breakGlassRoleName : undefined,
      // The org trail's delivery to CloudWatch Logs stopping silences every CIS alarm: watched.
      watchLogGroupDelivery: true,
      // Changes to the alert route and its watchers, in any account, alarm here too; the pipeline's are routine.
      alertRouteTampering: { exemptRoleName: routeTamperingExemptRole(config.guardrails) },
    });

    // The investigations over the recent period, as Logs Insights saved queries on the org trail's
    // log group; Athena over the whole archive is in the audit account's member stack.
    if (config.investigations.enabled) {
      new LogsInsightsQueries(this, 'investigation-queries', { provider: management, config });
    }

    // The organization's one central alert topic (named apart from the audit account's own CIS alert
    // topic, which its member stack owns): findings and every account's alarms reach it, and it alone
    // carries the people's subscriptions, confirmed once.
    const auditTopic = new AlertTopic(this, 'findings-alerts', {
      provider: audit,
      accountId: org.auditAccountId,
      region: home,
      topicName: centralAlertTopicName(config),
      keyAlias: kmsAliasName(config, 'findings-alerts'),
      subscriptions: config.alerts.subscriptions,
      // EventBridge rules carry the alarms and findings; the route's own failure alarms publish directly.
      publisher: ['eventbridge-rules', 'cloudwatch-alarms'],
    });
    this.centralAlarms = new CentralAlarmRouting(this, 'central-alarm-routing', {
      provider: audit,
      accountId: org.auditAccountId,
      organizationId: org.id,
      homeRegion: home,
      busName: alarmEventBusName(config),
      forwarderRoleName: alarmForwarderRoleName(config),
      topicArn: auditTopic.topicArn,
      namePrefix: org.namePrefix,
    });
    // Watch the watchers: the route's failure alarms and the heartbeat's audit-account end, the same
    // for 5 accounts or 1,000 (docs/monitoring.md, "When the alert route fails").
    this.routeWatchdogs = new RouteWatchdogs(this, 'route-watchdogs', {
      provider: audit,
      accountId: org.auditAccountId,
      homeRegion: home,
      namePrefix: org.namePrefix,
      bus: this.centralAlarms.bus,
      busName: alarmEventBusName(config),
      centralRuleName: centralAlarmRuleName(config),
      centralDeadLetterQueueName: `${centralAlarmRuleName(config)}-undelivered`,
      centralTopicArn: auditTopic.topicArn,
      centralTopicName: centralAlertTopicName(config),
      findingsRuleNames: [`${org.namePrefix}-guardduty-high-severity`, `${org.namePrefix}-securityhub-high-critical`],
      heartbeat: config.alerts.heartbeat,
      watchdogSubscriptions: config.alerts.watchdogSubscriptions ?? config.alerts.subscriptions,
      metricNamespace: config.monitoring.metricNamespace,
      logRetentionDays: config.retention.cloudWatchLogsDays,
      logKeyAlias: kmsAliasName(config, 'route-heartbeats'),
      topicKeyAlias: kmsAliasName(config, 'route-watchdog'),
    });
    // The durable record of every alarm state change, for the audit period (CloudWatch keeps alarm
    // history a short time only): the forwarded alarms from the bus, the audit account's watchdogs from
    // its default bus.
    const watchdogNames = routeWatchdogAlarmNames(org.namePrefix);
    const historyRules = alarmHistoryRuleNames(config);
    this.alarmHistory = new AlarmHistory(this, 'alarm-history', {
      provider: audit,
      accountId: org.auditAccountId,
      homeRegion: home,
      namePrefix: org.namePrefix,
      logGroupName: alarmHistoryLogGroupName(config),
      keyAlias: kmsAliasName(config, 'alarm-history'),
      retentionDays: alarmHistoryRetentionDays(config.retention),
      bus: this.centralAlarms.bus,
      busName: alarmEventBusName(config),
      centralRuleName: historyRules.central,
      localRuleName: historyRules.local,
      localAlarmNames: Object.values(watchdogNames).flat(),
      failureAlarmTopicArns: [auditTopic.topicArn, this.routeWatchdogs.watchdogTopic.topicArn],
      failureAlarmNames: { centralFailed: watchdogNames.historyFailed, localFailed: watchdogNames.historyLocalFailed, undelivered: watchdogNames.historyUndelivered },
    });
    const regions = config.regions.governed;
    const services = config.securityServices;
    const delegation = new Delegation(this, 'delegation', { provider: management, auditAccountId: org.auditAccountId, regions });
    const guardDuty = new GuardDuty(this, 'guardduty', {
      provider: audit,
      regions,
      settings: services.guardDuty,
      exportBucketArn: s3BucketArn(logBucketName(config, 'guardduty')),
      exportKeyArn: this.logArchive.keys.get('guardduty')!.key.arn,
      delegations: delegation.guardDuty,
      accountId: org.auditAccountId,
      exportDependsOn: [this.logArchive.buckets.get('guardduty')!.policy, this.logArchive.keys.get('guardduty')!.key],
    });
    // The management account is GuardDuty's one exception: it needs the service-linked role and
    // GuardDuty on before the audit account can add it as a member (see the construct for the pages).
    // Its root email comes from its own members[] entry: the same for 5 accounts or 1,000.
    new GuardDutyManagementAccount(this, 'guardduty-management-account', {
      managementProvider: management,
      auditProvider: audit,
      managementAccountId: org.managementAccountId,
      managementAccountEmail: config.members.find((m) => m.id === org.managementAccountId)!.email,
      regions,
      homeRegion: home,
      administratorDetectors: guardDuty.detectors,
      organizationConfigurations: guardDuty.organizations,
      createServiceLinkedRole: !services.guardDuty.managementServiceLinkedRoleExists,
    });
    const securityHub = new SecurityHub(this, 'security-hub', {
      provider: audit,
      homeRegion: home,
      regions,
      settings: services.securityHub,
      accountId: org.auditAccountId,
      policyTargets: services.securityHub.policyTargets ?? [org.rootId],
      namePrefix: org.namePrefix,
      delegation: delegation.securityHub.get(home)!,
    });
    // Each account's Macie membership lives in its own member stack (MacieMembership).
    const macie = new Macie(this, 'macie', { provider: audit, regions, delegations: delegation.macie, accountId: org.auditAccountId });
    // Each service on in the audit account before it is delegated (see Delegation).
    for (const region of regions) {
      delegation.after('guardDuty', region, guardDuty.detectors.get(region)!);
      delegation.after('securityHub', region, securityHub.account);
      delegation.after('macie', region, macie.accounts.get(region)!);
    }
    new AccessAnalyzer(this, 'access-analyzer', {
      provider: audit,
      regions,
      analyzerName: `${org.namePrefix}-organization`,
      accountId: org.auditAccountId,
      delegation: delegation.organizations.get('access-analyzer.amazonaws.com')!,
      homeRegion: home,
      ...(services.accessAnalyzer.unusedAccess.enabled
        ? { unusedAccess: { analyzerName: `${org.namePrefix}-unused-access`, unusedAccessAgeDays: services.accessAnalyzer.unusedAccess.unusedAccessAgeDays } }
        : {}),
    });
    new ConfigAggregator(this, 'config-aggregator', {
      provider: audit,
      accountId: org.auditAccountId,
      homeRegion: home,
      regions,
      name: `${org.namePrefix}-organization`,
      delegation: delegation.organizations.get('config.amazonaws.com')!,
    });

    new FindingsRouting(this, 'findings-routing', {
      provider: audit,
      accountId: org.auditAccountId,
      homeRegion: home,
      regions: config.regions.governed,
      topicArn: auditTopic.topicArn,
      namePrefix: org.namePrefix,
    });

    // Guardrails: SCPs that keep every account's administrators from switching the baseline off
    // (the key and bucket policies carry their own denials: LogEncryptionKey, LogArchiveBucket).
    if (config.guardrails.enabled) {
      this.guardrails = new ServiceControlPolicies(this, 'guardrails', { config, provider: management, organization: prerequisites.organization });
      // RCPs: nobody outside the organization reaches the log archive, keys or alert queues (docs/guardrails.md).
      if (config.guardrails.resourceControlPolicies.enabled) {
        this.resourceControlPolicies = new ResourceControlPolicies(this, 'resource-control-policies', {
          config,
          provider: management,
          organization: prerequisites.organization,
        });
      }
      if (config.guardrails.centralizedRootAccess.enabled) {
        this.centralizedRootAccess = new CentralizedRootAccess(this, 'centralized-root-access', {
          config,
          provider: management,
          organization: prerequisites.organization,
        });
      }
    }
  }
}
