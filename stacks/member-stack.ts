/**
 * One `member-<accountId>` stack per account (management, log-archive and audit included): the
 * per-account, per-Region baseline, through one provider that assumes the account's role.
 */
import type { Construct } from 'constructs';
import {
  ACCOUNT_TRAIL_S3_PREFIX,
  accountTrailArn,
  accountTrailLogGroupName,
  accountTrailName,
  kmsAliasArn,
  kmsAliasName,
  logBucketName,
  malwareProtectionRoleName,
  memberRegions,
  memberStackName,
  s3BucketArn,
  sensitiveAccessLogBucketName,
} from '../config/naming';
import type { BaselineConfig, MemberAccount } from '../config/schema';
import { CisAlarms } from '../modules/cis-monitoring/cis-alarms';
import { MANAGEMENT_EVENTS_SELECTOR } from '../modules/cloudtrail/event-selectors';
import { MonitoredTrail } from '../modules/cloudtrail/monitored-trail';
import { ConfigRecorder } from '../modules/config-recorder/config-recorder';
import { ConfigRules } from '../modules/config-rules/config-rules';
import { LogInvestigations } from '../modules/investigations/log-investigations';
import { VpcFlowLogs } from '../modules/flow-logs/vpc-flow-logs';
import { exemptPrincipalArnsIn } from '../modules/guardrails/protected-resources';
import { accountProvider } from '../modules/providers/account-provider';
import { AccountPublicAccessBlock } from '../modules/s3-public-access/account-public-access-block';
import { SensitiveBucketAccessLogs } from '../modules/s3/sensitive-bucket-access-logs';
import { MacieMembership } from '../modules/security-services/macie-membership';
import { MalwareProtectionS3 } from '../modules/security-services/malware-protection-s3';
import { BaselineStack } from './baseline-stack';

export class MemberStack extends BaselineStack {
  readonly member: MemberAccount;
  readonly regions: readonly string[];
  readonly configRecorder: ConfigRecorder;
  readonly configRules: ConfigRules;
  readonly flowLogs: VpcFlowLogs;
  readonly macie: MacieMembership;
  /** The account's own trail and CIS alarms (not for the management account, which owns the org trail). */
  readonly accountTrail?: MonitoredTrail;
  readonly cisAlarms?: CisAlarms;
  /** Athena over the log archive: the audit account's stack only (docs/investigations.md). */
  readonly investigations?: LogInvestigations;
  /** GuardDuty Malware Protection for the account's sensitive buckets (`sensitiveData`), if it owns any. */
  readonly malwareProtection?: MalwareProtectionS3;
  /** Server access logging of the account's sensitive buckets, one access-log bucket per Region holding any. */
  readonly sensitiveBucketAccessLogs: readonly SensitiveBucketAccessLogs[] = [];

  constructor(scope: Construct, config: BaselineConfig, member: MemberAccount) {
    super(scope, memberStackName(member.id), config);
    this.member = member;
    this.regions = memberRegions(config, member);

    const provider = accountProvider(this, 'aws', {
      config,
      accountId: member.id,
      stackName: this.stackName,
      tags: { ...member.tags, 'soc2-baseline:account-name': member.name },
    });

    // Control Tower records configuration in the Regions it governs; the baseline records the rest.
    const controlTowerRegions = new Set(
      config.controlTower.enabled ? (config.controlTower.regions ?? config.regions.governed) : [],
    );
    this.configRecorder = new ConfigRecorder(this, 'config-recorder', {
      provider,
      accountId: member.id,
      regions: this.regions.filter((r) => !controlTowerRegions.has(r)),
      homeRegion: config.regions.home,
      recorderName: config.awsConfig.recorderName ?? `${config.organization.namePrefix}-recorder`,
      deliveryBucketName: logBucketName(config, 'config'),
      createServiceLinkedRole: !(member.configServiceLinkedRoleExists ?? config.awsConfig.serviceLinkedRoleExists),
      recordingFrequency: config.awsConfig.recordingFrequency,
    });
    this.configRules = new ConfigRules(this, 'config-rules', {
      provider,
      config,
      accountId: member.id,
      regions: this.regions,
      waitFor: this.configRecorder.ready,
    });
    this.flowLogs = new VpcFlowLogs(this, 'vpc-flow-logs', {
      provider,
      accountId: member.id,
      regions: this.regions,
      maxAggregationInterval: config.flowLogs.maxAggregationIntervalSeconds,
      destination:
        config.flowLogs.destination === 's3'
          ? { type: 's3', bucketArn: s3BucketArn(logBucketName(config, 'flowlogs')) }
          : {
              type: 'cloud-watch-logs',
              logGroupName: `/${config.organization.namePrefix}/vpc-flow-logs`,
              retentionDays: config.retention.cloudWatchLogsDays,
              keyAlias: kmsAliasName(config, 'vpc-flow-logs'),
              roleName: `${config.organization.namePrefix}-vpc-flow-logs-delivery`,
            },
    });

    new AccountPublicAccessBlock(this, 's3-account-public-access-block', { provider, accountId: member.id });

    // The audit account (delegated Macie administrator) manages this account's membership: a second
    // provider, for the audit account, unless this is the audit account's own stack.
    const org = config.organization;
    const isAudit = member.id === org.auditAccountId;
    const auditProvider = isAudit
      ? provider
      : accountProvider(this, 'aws-audit', { config, accountId: org.auditAccountId, alias: 'audit', stackName: this.stackName });
    const classificationBuckets = new Map<string, string[]>();
    for (const job of config.securityServices.macie.classificationJobs.filter((j) => j.accountId === member.id)) {
      classificationBuckets.set(job.region, [...new Set([...(classificationBuckets.get(job.region) ?? []), ...job.buckets])]);
    }
    this.macie = new MacieMembership(this, 'macie-membership', {
      auditProvider,
      accountId: member.id,
      email: member.email,
      regions: this.regions,
      autoEnabledRegions: member.macieAutoEnabledRegions,
      isAdministrator: isAudit,
      classificationBuckets,
      namePrefix: org.namePrefix,
    });

    const sensitiveBuckets = config.sensitiveData.buckets.filter((b) => b.accountId === member.id);
    if (config.sensitiveData.malwareProtection.enabled && sensitiveBuckets.length > 0) {
      this.malwareProtection = new MalwareProtectionS3(this, 'malware-protection-s3', {
        provider,
        accountId: member.id,
        buckets: sensitiveBuckets,
        roleName: malwareProtectionRoleName(config),
        tagScannedObjects: config.sensitiveData.malwareProtection.tagScannedObjects,
      });
    }
    // S3 delivers access logs only within the source bucket's account and Region: one target per Region.
    if (config.sensitiveData.serverAccessLogs) {
      this.sensitiveBucketAccessLogs = [...new Set(sensitiveBuckets.map((b) => b.region))].map(
        (region) =>
          new SensitiveBucketAccessLogs(this, `sensitive-bucket-access-logs-${region}`, {
            provider,
            accountId: member.id,
            region,
            bucketName: sensitiveAccessLogBucketName(config, member.id, region),
            sourceBuckets: sensitiveBuckets.filter((b) => b.region === region).map((b) => b.name),
            retentionDays: config.retention.logArchiveDays,
            readerRoleArns: config.logArchive.readerRoleArns,
            tamperExemptPrincipalArns: exemptPrincipalArnsIn(config, member.id),
          }),
      );
    }

    // The security team works in the audit account; the log-archive account stays hands-off.
    if (isAudit && config.investigations.enabled) {
      this.investigations = new LogInvestigations(this, 'investigations', { provider, config });
    }

    const home = config.regions.home;
    if (config.monitoring.accountTrails && member.id !== org.managementAccountId) {
      // Security Hub and Prowler evaluate CIS 4.x per account, against trails the account owns.
      this.accountTrail = new MonitoredTrail(this, 'account-trail', {
        provider,
        accountId: member.id,
        isOrganizationTrail: false,
        region: home,
        trailName: accountTrailName(config),
        trailArn: accountTrailArn(config, member.id),
        bucketName: logBucketName(config, 'cloudtrail'),
        s3KeyPrefix: ACCOUNT_TRAIL_S3_PREFIX,
        kmsKeyArn: kmsAliasArn(config, org.logArchiveAccountId, 'cloudtrail'),
        logGroupName: accountTrailLogGroupName(config),
        logGroupRetentionDays: config.retention.cloudWatchLogsDays,
        logGroupKeyAlias: kmsAliasName(config, 'cloudtrail-log-group'),
        eventSelectors: [MANAGEMENT_EVENTS_SELECTOR],
        // The central logs are in the log archive; this copy goes with the account's stack.
        preventKeyDestroy: false,
      });
      this.cisAlarms = new CisAlarms(this, 'cis-alarms', {
        config,
        provider,
        accountId: member.id,
        logGroupName: accountTrailLogGroupName(config),
        dependsOn: [this.accountTrail.logGroup],
        namePrefix: `${org.namePrefix}-account`,
      });
    }
  }
}
