/**
 * The `management` stack: everything configured once for the whole organization. It touches the
 * management account (org trail) and the log-archive account (central buckets and their keys).
 */
import type { Construct } from 'constructs';
import {
  kmsAliasName,
  logBucketName,
  MANAGEMENT_STACK,
  orgTrailArn,
  orgTrailLogGroupName,
  orgTrailName,
} from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { LogArchive } from '../modules/log-archive/log-archive';
import { eventSelectors } from '../modules/organization-trail/event-selectors';
import { OrganizationTrail } from '../modules/organization-trail/organization-trail';
import { accountProvider } from '../modules/providers/account-provider';
import { BaselineStack } from './baseline-stack';

export class ManagementStack extends BaselineStack {
  readonly logArchive: LogArchive;
  readonly organizationTrail: OrganizationTrail;

  constructor(scope: Construct, config: BaselineConfig) {
    super(scope, MANAGEMENT_STACK, config);
    const org = config.organization;
    const home = config.regions.home;

    const management = accountProvider(this, 'aws-management', {
      config,
      accountId: org.managementAccountId,
      alias: 'management',
      stackName: this.stackName,
    });
    const logArchiveProvider = accountProvider(this, 'aws-log-archive', {
      config,
      accountId: org.logArchiveAccountId,
      alias: 'log_archive',
      stackName: this.stackName,
    });

    this.logArchive = new LogArchive(this, 'log-archive', { config, provider: logArchiveProvider });

    this.organizationTrail = new OrganizationTrail(this, 'organization-trail', {
      provider: management,
      managementAccountId: org.managementAccountId,
      region: home,
      trailName: orgTrailName(config),
      trailArn: orgTrailArn(config),
      bucketName: logBucketName(config, 'cloudtrail'),
      kmsKeyArn: this.logArchive.cloudTrailKey.key.arn,
      logGroupName: orgTrailLogGroupName(config),
      logGroupRetentionDays: config.retention.cloudWatchLogsDays,
      logGroupKeyAlias: kmsAliasName(config, 'cloudtrail-log-group'),
      eventSelectors: eventSelectors(config.trail.dataEvents),
      insights: config.trail.insights,
      deliveryNotifications: config.trail.deliveryNotifications,
      dependsOn: [this.logArchive.cloudTrailBucket.policy, this.logArchive.cloudTrailKey.key],
    });
  }
}
