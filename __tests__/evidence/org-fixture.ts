/**
 * A small organization as the baseline deploys it, built in moto through the AWS SDK, account by
 * account (STS AssumeRole into each, as the collector does), with what moto implements: the
 * organization and its accounts, the log-archive buckets and their settings, the organization trail
 * and the account trails (status, selectors), log groups, metric filters and alarms, Config
 * recorders, channels, rules and the aggregator, VPCs and their flow logs, Security Hub with findings
 * imported through BatchImportFindings, and signed digest files in the CloudTrail bucket.
 *
 * What moto lacks is answered at the SDK level (aws-sdk-client-mock) with AWS's documented response
 * shapes: see `mockMissingApis`.
 */
import { AccessAnalyzerClient, GetAnalyzerCommand, ListAnalyzersCommand, ListArchiveRulesCommand, ListFindingsCommand as AaListFindingsCommand, ListFindingsV2Command, ResourceNotFoundException } from '@aws-sdk/client-accessanalyzer';
import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, type AlarmHistoryItem } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, PutMetricFilterCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRulesCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  DescribeDeliveryChannelStatusCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  PutConfigRuleCommand,
  PutConfigurationAggregatorCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateFlowLogsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateEventBusCommand, EventBridgeClient, PutPermissionCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DescribeOrganizationConfigurationCommand as GdDescribeOrganizationConfigurationCommand,
  GetDetectorCommand,
  GetFindingsCommand as GdGetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand as GdListFindingsCommand,
  ListMembersCommand as GdListMembersCommand,
} from '@aws-sdk/client-guardduty';
import {
  DescribeOrganizationConfigurationCommand as MacieDescribeOrganizationConfigurationCommand,
  GetFindingsCommand as MacieGetFindingsCommand,
  GetMacieSessionCommand,
  ListClassificationJobsCommand,
  ListFindingsCommand as MacieListFindingsCommand,
  ListMembersCommand as MacieListMembersCommand,
  Macie2Client,
} from '@aws-sdk/client-macie2';
import { IAMClient, ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  EnablePolicyTypeCommand,
  ListAccountsCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  BatchImportFindingsCommand,
  CreateMembersCommand,
  DescribeHubCommand,
  DescribeOrganizationConfigurationCommand as ShDescribeOrganizationConfigurationCommand,
  EnableOrganizationAdminAccountCommand,
  EnableSecurityHubCommand,
  GetEnabledStandardsCommand,
  GetFindingHistoryCommand,
  GetFindingsCommand as ShGetFindingsCommand,
  ListMembersCommand as ShListMembersCommand,
  SecurityHubClient,
  UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest } from '@smithy/types';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  accountTrailLogGroupName,
  accountTrailName,
  alarmEventBusArn,
  alarmEventBusName,
  alarmForwarderRoleName,
  alarmHistoryRuleNames,
  alertTopicName,
  centralAlertTopicName,
  kmsAliasName,
  LOG_BUCKET_KINDS,
  logBucketName,
  memberRegions,
  orgTrailLogGroupName,
  orgTrailName,
  s3BucketArn,
} from '../../config/naming';
import { parseConfig } from '../../config/load';
import type { BaselineConfig } from '../../config/schema';
import { ruleRegions, SOC2_LOGGING_PACK } from '../../config/managed-config-rules';
import { networkActivityApiSelectors } from './network-activity-fixture';
import {
  alertRouteTamperingFilters,
  breakGlassUsageFilter,
  CIS_METRIC_FILTERS,
  CONSOLE_SIGNIN_SUCCESS_FILTER,
  guardrailRoleChangeFilter,
  ROUTE_TAMPERING_ALARM_ID,
  ROUTE_TAMPERING_METRIC,
} from '../../modules/cis-monitoring/cis-metric-filters';
import { businessHoursUtc, offHoursExpression } from '../../modules/cis-monitoring/business-hours';
import { FLOW_LOG_FORMAT } from '../../modules/flow-logs/vpc-flow-logs';
import { expectedRcps, expectedScps, IAM_SERVICE_PRINCIPAL } from '../../evidence/checks/guardrails';
import { ROOT_ACCESS_FEATURES } from '../../modules/guardrails/root-access';
import { cisTargets } from '../../evidence/checks/cloudwatch';
import { recorderName } from '../../evidence/checks/config-service';
import { centralRuleName, deadLetterQueueName, forwardingRuleName } from '../../evidence/checks/alerting';
import { accountWatchdogAlarms, auditWatchdogAlarms } from '../../evidence/checks/route-watchdogs';
import { routeWatchdogAlarmNames } from '../../modules/alerting/route-watchdogs';
import { GUARDDUTY_FEATURES } from '../../modules/security-services/guardduty-features';
import { ALARM_MESSAGE, alarmStateChangePattern, alarmStateChangesPattern, GUARDDUTY_HIGH_SEVERITY_PATTERN, MAX_SQS_RETENTION_SECONDS, SECURITY_HUB_HIGH_CRITICAL_PATTERN } from '../../modules/alerting/event-patterns';
import { jobName } from '../../evidence/checks/security-services';
import type { DigestScope } from '../../evidence/digest';
import { buildChain, testKey } from './digests';
import { mockInvestigationApis, seedInvestigations, type NamedQueryChanges } from './investigations-fixture';
import { mockMalwareProtectionPlans } from './malware-protection-fixture';
import { RUNNER_CREDENTIALS } from './moto';

export const ROLE_NAME = 'soc2-evidence-reader';

/**
 * Client settings for moto. The CloudWatch client speaks AWS's JSON protocol since 2025; moto 5.1
 * answers CloudWatch in the query protocol only, which the client still implements (AwsQueryProtocol).
 * S3 Control's endpoint rules put the account id in front of the host (`<account>.s3-control...`),
 * which an IP endpoint cannot take, and moto's server picks S3 Control by that host name: the client
 * connects to moto and names the host moto expects.
 */
export function clientSettings(endpoint: string): Record<string, Record<string, unknown>> {
  const url = new URL(endpoint);
  const inner = new NodeHttpHandler();
  const s3control = {
    handle: (request: HttpRequest, options?: object) => {
      request.headers.host = `${request.headers['x-amz-account-id']}.s3-control.${HOME}.amazonaws.com`;
      request.hostname = url.hostname;
      request.port = Number(url.port);
      return inner.handle(request as Parameters<NodeHttpHandler['handle']>[0], options);
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => inner.destroy(),
  };
  return {
    CloudWatchClient: { protocol: AwsQueryProtocol },
    S3ControlClient: { endpointProvider: () => ({ url: new URL(endpoint) }), requestHandler: s3control },
  };
}
export const HOME = 'us-east-1';
export const OTHER = 'eu-west-1';

export interface OrgIds {
  readonly orgId: string;
  readonly rootId: string;
  readonly management: string;
  readonly logArchive: string;
  readonly audit: string;
  readonly workload: string;
}

/** Clients of one account in moto, through an assumed role (moto acts in the role's account). */
export class MotoAccounts {
  private readonly creds = new Map<string, Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>>();

  constructor(readonly endpoint: string) {}

  private credentials(accountId: string) {
    let c = this.creds.get(accountId);
    if (!c) {
      const sts = new STSClient({ region: HOME, endpoint: this.endpoint, credentials: RUNNER_CREDENTIALS });
      c = sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${ROLE_NAME}`, RoleSessionName: 'seed' })).then((r) => ({
        accessKeyId: r.Credentials!.AccessKeyId!,
        secretAccessKey: r.Credentials!.SecretAccessKey!,
        sessionToken: r.Credentials!.SessionToken,
      }));
      this.creds.set(accountId, c);
    }
    return c;
  }

  async client<T>(Ctor: new (config: any) => T, accountId: string, region = HOME): Promise<T> {
    return new Ctor({ region, endpoint: this.endpoint, credentials: await this.credentials(accountId), forcePathStyle: true, ...clientSettings(this.endpoint)[Ctor.name] });
  }
}

/** The organization in moto: its management account creates it and three accounts (moto picks their ids). */
export async function seedOrganization(moto: MotoAccounts): Promise<OrgIds> {
  const management = '111111111111';
  const orgs = await moto.client(OrganizationsClient, management);
  const org = await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const roots = await orgs.send(new ListRootsCommand({}));
  const create = async (name: string) =>
    (await orgs.send(new CreateAccountCommand({ AccountName: name, Email: `aws-${name}@example.com` }))).CreateAccountStatus!.AccountId!;
  const logArchive = await create('log-archive');
  const audit = await create('audit');
  const workload = await create('workloads-prod');
  return { orgId: org.Organization!.Id!, rootId: roots.Roots![0].Id!, management, logArchive, audit, workload };
}

/**
 * The example org (baseline.config.yaml) moved onto moto's accounts, smaller: two Regions, four
 * accounts. Starting from the example keeps the test config valid as the schema grows.
 */
export function orgConfig(ids: OrgIds, edit: (raw: Record<string, any>) => void = () => undefined): BaselineConfig {
  return parseConfig(orgConfigRaw(ids, edit), 'evidence-test-config');
}

/** The raw data of `orgConfig` (what a config file of it holds). */
export function orgConfigRaw(ids: OrgIds, edit: (raw: Record<string, any>) => void = () => undefined): Record<string, any> {
  const raw = parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8')) as Record<string, any>;
  raw.organization = {
    ...raw.organization,
    id: ids.orgId,
    rootId: ids.rootId,
    namePrefix: 'acme-soc2',
    managementAccountId: ids.management,
    logArchiveAccountId: ids.logArchive,
    auditAccountId: ids.audit,
  };
  raw.regions = { home: HOME, governed: [HOME, OTHER] };
  delete raw.deployment?.pipelineAccountId;
  raw.securityServices.macie = { classificationJobs: [{ accountId: ids.workload, region: HOME, buckets: [`acme-customer-data-${ids.workload}`] }] };
  raw.logArchive = { readerRoleArns: [`arn:aws:iam::${ids.audit}:role/SecurityLogReader`] };
  raw.trail = { dataEvents: { s3: [`arn:aws:s3:::acme-customer-data-${ids.workload}`] }, networkActivityEvents: { eventSources: ['kms.amazonaws.com'] } };
  // The example's sensitive bucket, moved onto the workload account (the Macie job's bucket).
  raw.sensitiveData = { buckets: [{ name: `acme-customer-data-${ids.workload}`, accountId: ids.workload, region: HOME }] };
  // The review record of the unused-access finding the healthy organization archived (healthyUnusedAccessFindings).
  raw.securityServices.accessAnalyzer = { ...raw.securityServices.accessAnalyzer, reviewedFindings: [{ id: 'ua-archived-reviewed', reason: 'Reviewed by the IAM owner: the import role stays for the yearly migration' }] };
  raw.awsConfig = { ...raw.awsConfig, disabledRules: [], additionalRules: [] };
  raw.members = [
    { id: ids.management, name: 'management', email: 'aws-management@example.com', ou: 'Root' },
    { id: ids.logArchive, name: 'log-archive', email: 'aws-log-archive@example.com', ou: 'Security' },
    { id: ids.audit, name: 'audit', email: 'aws-audit@example.com', ou: 'Security' },
    // One member covers the home Region only: its other Region must not be judged.
    { id: ids.workload, name: 'workloads-prod', email: 'aws-workloads-prod@example.com', ou: 'Workloads/Prod', regions: [HOME] },
  ];
  edit(raw);
  return raw;
}

/** The bucket policy the baseline writes, reduced to what the evidence judges (TLS, deletion). */
export function bucketPolicy(bucket: string, extra: object[] = []): string {
  const arn = s3BucketArn(bucket);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      ...extra,
      { Sid: 'DenyLogDeletion', Effect: 'Deny', Principal: '*', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: `${arn}/*`, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } } },
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Sid: 'DenyOutdatedTls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } },
    ],
  });
}

/** The log archive's keys, created in moto by seedLogArchive: the ARN behind each alias. */
const KEYS = new Map<string, string>();

export function keyArn(config: BaselineConfig, kind: string): string {
  const arn = KEYS.get(`${config.organization.logArchiveAccountId}/${kind}`);
  if (!arn) throw new Error(`no key ${kind} seeded for ${config.organization.logArchiveAccountId}`);
  return arn;
}

/** The keys the log archive encrypts with, behind the aliases config/naming.ts names, rotating. */
async function seedKeys(moto: MotoAccounts, config: BaselineConfig): Promise<void> {
  const kms = await moto.client(KMSClient, config.organization.logArchiveAccountId);
  for (const kind of ['cloudtrail', 'config', 'flowlogs', 'guardduty']) {
    const key = await kms.send(new CreateKeyCommand({ Description: `Encrypts the ${kind} logs in the log archive` }));
    await kms.send(new CreateAliasCommand({ AliasName: kmsAliasName(config, kind), TargetKeyId: key.KeyMetadata!.KeyId }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyMetadata!.KeyId }));
    KEYS.set(`${config.organization.logArchiveAccountId}/${kind}`, key.KeyMetadata!.Arn!);
  }
}

export async function seedLogArchive(moto: MotoAccounts, config: BaselineConfig): Promise<void> {
  await seedKeys(moto, config);
  const s3 = await moto.client(S3Client, config.organization.logArchiveAccountId);
  const accessLogs = logBucketName(config, 's3-server-logs');
  // The access-log bucket first: the others' logging needs its policy admitting the logging service.
  const kinds = ['s3-server-logs', ...LOG_BUCKET_KINDS.filter((k) => k !== 's3-server-logs')] as const;
  for (const kind of kinds) {
    const Bucket = logBucketName(config, kind);
    const lock = kind !== 'config' && kind !== 's3-server-logs';
    await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: lock }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    if (lock) {
      await s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: config.retention.objectLockMode, Days: config.retention.logArchiveDays } } },
        }),
      );
    }
    await s3.send(
      new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
    );
    const logging =
      kind === 's3-server-logs'
        ? [
            { Sid: 'S3ServerAccessLogDelivery', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: `${s3BucketArn(Bucket)}/*` },
            // modules/log-archive/log-archive-bucket.ts denyLogOverwriteStatement.
            { Sid: 'DenyLogOverwrite', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `${s3BucketArn(Bucket)}/*`, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } } },
          ]
        : [];
    // moto enforces bucket policies on object requests but ignores their conditions: the baseline's
    // conditional denials (no TLS, deletions) would refuse every digest read. The CloudTrail bucket
    // keeps no policy in moto; GetBucketPolicy answers with the baseline's (mockMissingApis).
    if (kind !== 'cloudtrail') await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: bucketPolicy(Bucket, logging) }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [kind === 's3-server-logs' ? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } } : { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn(config, kind) }, BucketKeyEnabled: true }],
        },
      }),
    );
    if (kind !== 's3-server-logs') {
      await s3.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: accessLogs, TargetPrefix: `${Bucket}/` } } }));
    }
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'log-retention',
              Status: 'Enabled',
              Filter: { Prefix: '' },
              Transitions: [{ Days: config.retention.transitionToColdStorageDays, StorageClass: 'GLACIER_IR' }],
              Expiration: { Days: config.retention.logArchiveDays },
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
          ],
        },
      }),
    );
  }
}

/** A trail with its log group, CIS filters and alarms, as MonitoredTrail and CisAlarms build them. */
async function seedTrail(moto: MotoAccounts, config: BaselineConfig, accountId: string, org: boolean): Promise<void> {
  const ct = await moto.client(CloudTrailClient, accountId);
  const logs = await moto.client(CloudWatchLogsClient, accountId);
  const cw = await moto.client(CloudWatchClient, accountId);
  const groupName = org ? orgTrailLogGroupName(config) : accountTrailLogGroupName(config);
  await logs.send(new CreateLogGroupCommand({ logGroupName: groupName, kmsKeyId: `arn:aws:kms:${HOME}:${accountId}:key/11111111-1111-1111-1111-111111111111` }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: groupName, retentionInDays: config.retention.cloudWatchLogsDays }));
  const name = org ? orgTrailName(config) : accountTrailName(config);
  await ct.send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: logBucketName(config, 'cloudtrail'),
      S3KeyPrefix: org ? undefined : 'account-trails',
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsOrganizationTrail: org,
      KmsKeyId: keyArn(config, 'cloudtrail'),
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${HOME}:${accountId}:log-group:${groupName}:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${accountId}:role/${name}-to-cloudwatch-logs`,
    }),
  );
  await ct.send(
    new PutEventSelectorsCommand({
      TrailName: name,
      AdvancedEventSelectors: [
        { Name: 'Management events selector', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        ...(org
          ? [
              {
                Name: 'S3 object-level events on the listed buckets',
                FieldSelectors: [
                  { Field: 'eventCategory', Equals: ['Data'] },
                  { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                  { Field: 'resources.ARN', StartsWith: config.trail.dataEvents.s3.map((a) => `${a}/`) },
                ],
              },
              ...networkActivityApiSelectors(config),
            ]
          : []),
      ],
    }),
  );
  await ct.send(new StartLoggingCommand({ Name: name }));
  const target = cisTargets(config, [accountId])[0];
  const topic = `arn:aws:sns:${HOME}:${accountId}:${alertTopicName(config)}`;
  const ns = config.monitoring.metricNamespace;
  for (const f of [...CIS_METRIC_FILTERS, CONSOLE_SIGNIN_SUCCESS_FILTER]) {
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: groupName,
        filterName: `${target.namePrefix}-${f.id}`,
        filterPattern: f.pattern,
        metricTransformations: [{ metricName: f.metricName, metricNamespace: ns, metricValue: '1' }],
      }),
    );
  }
  const common = { EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const, TreatMissingData: 'notBreaching', ActionsEnabled: true, AlarmActions: [topic] };
  for (const f of CIS_METRIC_FILTERS) {
    await cw.send(new PutMetricAlarmCommand({ ...common, AlarmName: `${target.namePrefix}-${f.id}`, Namespace: ns, MetricName: f.metricName, Statistic: 'Sum', Period: 300 }));
  }
  if (target.breakGlassRoleName) {
    const f = breakGlassUsageFilter(target.breakGlassRoleName);
    await logs.send(
      new PutMetricFilterCommand({ logGroupName: groupName, filterName: `${target.namePrefix}-${f.id}`, filterPattern: f.pattern, metricTransformations: [{ metricName: f.metricName, metricNamespace: ns, metricValue: '1' }] }),
    );
    await cw.send(new PutMetricAlarmCommand({ ...common, AlarmName: `${target.namePrefix}-${f.id}`, Namespace: ns, MetricName: f.metricName, Statistic: 'Sum', Period: 300 }));
  }
  // The alarm on creating or changing the guardrails' exempt roles, as cis-alarms.ts writes it.
  if (target.guardrailRoleNames) {
    const f = guardrailRoleChangeFilter(target.guardrailRoleNames);
    await logs.send(
      new PutMetricFilterCommand({ logGroupName: groupName, filterName: `${target.namePrefix}-${f.id}`, filterPattern: f.pattern, metricTransformations: [{ metricName: f.metricName, metricNamespace: ns, metricValue: '1' }] }),
    );
    await cw.send(new PutMetricAlarmCommand({ ...common, AlarmName: `${target.namePrefix}-${f.id}`, Namespace: ns, MetricName: f.metricName, Statistic: 'Sum', Period: 300 }));
  }
  if (target.alertRouteTampering) {
    for (const f of alertRouteTamperingFilters(config.organization.namePrefix, target.alertRouteTampering.exemptRoleName)) {
      await logs.send(
        new PutMetricFilterCommand({ logGroupName: groupName, filterName: `${target.namePrefix}-${f.id}`, filterPattern: f.pattern, metricTransformations: [{ metricName: f.metricName, metricNamespace: ns, metricValue: '1' }] }),
      );
    }
    await cw.send(new PutMetricAlarmCommand({ ...common, AlarmName: `${target.namePrefix}-${ROUTE_TAMPERING_ALARM_ID}`, Namespace: ns, MetricName: ROUTE_TAMPERING_METRIC, Statistic: 'Sum', Period: 300 }));
  }
  await cw.send(
    new PutMetricAlarmCommand({
      ...common,
      AlarmName: `${target.namePrefix}-console-signin-outside-business-hours`,
      // The metric math cis-alarms.ts writes: the one-minute count, its UTC day and minute, and the
      // expression business-hours.ts derives from alerts.businessHours.
      Metrics: [
        { Id: 'signins', ReturnData: false, MetricStat: { Metric: { Namespace: ns, MetricName: CONSOLE_SIGNIN_SUCCESS_FILTER.metricName }, Period: 60, Stat: 'Sum' } },
        { Id: 'utcday', ReturnData: false, Expression: 'DAY(signins)' },
        { Id: 'utcminute', ReturnData: false, Expression: 'HOUR(signins)*60+MINUTE(signins)' },
        {
          Id: 'outsidehours',
          ReturnData: true,
          Expression: offHoursExpression(businessHoursUtc(config.alerts.businessHours), { metric: 'signins', day: 'utcday', minute: 'utcminute' }),
          Label: 'Console sign-ins outside business hours',
        },
      ],
    }),
  );
}

export async function seedAccounts(moto: MotoAccounts, config: BaselineConfig): Promise<void> {
  const management = config.organization.managementAccountId;
  // The guardrails' SCPs, attached to the root, as the management stack writes them.
  const orgs = await moto.client(OrganizationsClient, management);
  for (const [Name, Content] of expectedScps(config)) {
    const policy = await orgs.send(new CreatePolicyCommand({ Name, Content, Description: 'SOC 2 baseline guardrails', Type: 'SERVICE_CONTROL_POLICY' }));
    await orgs.send(new AttachPolicyCommand({ PolicyId: policy.Policy!.PolicySummary!.Id!, TargetId: config.organization.rootId }));
  }
  // The resource control policies, attached to the root as ResourceControlPolicies writes them. The
  // policy type is enabled on the root first, as Organizations requires (the prerequisite the
  // management stack checks; EnablePolicyType, PolicyType RESOURCE_CONTROL_POLICY:
  // https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnablePolicyType.html).
  // moto 5.1 keeps RCPs (and the AWS-managed RCPFullAWSAccess on the root) like SCPs.
  await orgs.send(new EnablePolicyTypeCommand({ RootId: config.organization.rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }));
  for (const [Name, Content] of expectedRcps(config)) {
    const policy = await orgs.send(new CreatePolicyCommand({ Name, Content, Description: 'SOC 2 baseline resource perimeter', Type: 'RESOURCE_CONTROL_POLICY' }));
    await orgs.send(new AttachPolicyCommand({ PolicyId: policy.Policy!.PolicySummary!.Id!, TargetId: config.organization.rootId }));
  }
  await seedTrail(moto, config, management, true);
  for (const member of config.members.filter((m) => m.id !== management)) await seedTrail(moto, config, member.id, false);
  for (const member of config.members) {
    for (const region of memberRegions(config, member)) {
      const cfg = await moto.client(ConfigServiceClient, member.id, region);
      const name = recorderName(config, region);
      await cfg.send(
        new PutConfigurationRecorderCommand({
          ConfigurationRecorder: {
            name,
            roleARN: `arn:aws:iam::${member.id}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: region === HOME },
          },
        }),
      );
      await cfg.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name, s3BucketName: logBucketName(config, 'config'), configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' } } }));
      await cfg.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: name }));
      for (const rule of SOC2_LOGGING_PACK.filter((r) => ruleRegions(r, HOME, [region]).includes(region))) {
        const params = rule.parameters?.(config);
        await cfg.send(
          new PutConfigRuleCommand({
            ConfigRule: { ConfigRuleName: rule.name, Source: { Owner: 'AWS', SourceIdentifier: rule.identifier }, InputParameters: params && Object.keys(params).length ? JSON.stringify(params) : undefined },
          }),
        );
      }
      const ec2 = await moto.client(EC2Client, member.id, region);
      const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'owner-id', Values: [member.id] }] }));
      await ec2.send(
        new CreateFlowLogsCommand({
          ResourceIds: (vpcs.Vpcs ?? []).map((v) => v.VpcId!),
          ResourceType: 'VPC',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: s3BucketArn(logBucketName(config, 'flowlogs')),
          // Every version-5 field, as VpcFlowLogs writes them (Terraform reads `$${` as a literal `${`).
          LogFormat: FLOW_LOG_FORMAT.replaceAll('$${', '${'),
        }),
      );
    }
  }
  for (const member of config.members) {
    const s3control = await moto.client(S3ControlClient, member.id);
    await s3control.send(
      new PutAccountPublicAccessBlockCommand({ AccountId: member.id, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
    );
  }
  await seedAlertRoute(moto, config);
  const audit = config.organization.auditAccountId;
  const agg = await moto.client(ConfigServiceClient, audit);
  await agg.send(
    new PutConfigurationAggregatorCommand({
      ConfigurationAggregatorName: `${config.organization.namePrefix}-organization`,
      OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${audit}:role/acme-soc2-organization-aggregator`, AwsRegions: [...config.regions.governed] },
    }),
  );
  await seedInvestigations((Ctor, accountId) => moto.client(Ctor, accountId), config);
}

/**
 * The alert route as modules/alerting builds it: in each account with the CIS alarms, the rule that
 * forwards them to the central bus, with its dead-letter queue; in the audit account, the bus and its
 * policy, the rule to the central topic with its dead-letter queue, the topic with its policy and the
 * configured subscriptions (moto confirms them at once), and the findings rules in every Region.
 */
export async function seedAlertRoute(moto: MotoAccounts, config: BaselineConfig): Promise<void> {
  const audit = config.organization.auditAccountId;
  const prefix = config.organization.namePrefix;
  // A dead-letter queue with the policy ServiceQueue writes: EventBridge sends from these rules only.
  const queue = async (accountId: string, name: string, ruleArns: string[]) => {
    const sqs = await moto.client(SQSClient, accountId);
    const arn = `arn:aws:sqs:${HOME}:${accountId}:${name}`;
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'UndeliveredEventsOfTheRule', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn, Condition: { ArnEquals: { 'aws:SourceArn': ruleArns } } }],
    });
    await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { Policy, MessageRetentionPeriod: String(MAX_SQS_RETENTION_SECONDS) } }));
    return arn;
  };
  for (const target of cisTargets(config, config.members.map((m) => m.id))) {
    const events = await moto.client(EventBridgeClient, target.accountId);
    const name = forwardingRuleName(config, target.accountId);
    await events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(alarmStateChangesPattern({ alarmNamePrefix: `${target.namePrefix}-` })), State: 'ENABLED' }));
    const heartbeat = `${target.namePrefix}-heartbeat`;
    const dlq = await queue(target.accountId, deadLetterQueueName(name), [`arn:aws:events:${HOME}:${target.accountId}:rule/${name}`, `arn:aws:events:${HOME}:${target.accountId}:rule/${heartbeat}`]);
    const busTarget = { Id: 'central-alarm-bus', Arn: alarmEventBusArn(config), RoleArn: `arn:aws:iam::${target.accountId}:role/${alarmForwarderRoleName(config)}`, DeadLetterConfig: { Arn: dlq } };
    await events.send(new PutTargetsCommand({ Rule: name, Targets: [busTarget] }));
    // The heartbeat (alarm-forwarding.ts): a scheduled rule on the same target.
    await events.send(new PutRuleCommand({ Name: heartbeat, ScheduleExpression: `rate(${config.alerts.heartbeat.everyMinutes} minutes)`, State: 'ENABLED' }));
    await events.send(new PutTargetsCommand({ Rule: heartbeat, Targets: [busTarget] }));
    // The route's failure alarms of the account (route-watchdogs evidence: present, acting, not in ALARM).
    const cw = await moto.client(CloudWatchClient, target.accountId);
    const topic = `arn:aws:sns:${HOME}:${target.accountId}:${alertTopicName(config)}`;
    for (const a of accountWatchdogAlarms(config, target.accountId, target.namePrefix)) await cw.send(new PutMetricAlarmCommand(watchdogAlarm(a.name, [topic])));
  }
  const events = await moto.client(EventBridgeClient, audit);
  const busName = alarmEventBusName(config);
  await events.send(new CreateEventBusCommand({ Name: busName }));
  await events.send(
    new PutPermissionCommand({
      EventBusName: busName,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ForwardingRolesOfTheOrganization',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'events:PutEvents',
            Resource: alarmEventBusArn(config),
            Condition: { StringEquals: { 'aws:PrincipalOrgID': config.organization.id }, ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${alarmForwarderRoleName(config)}` } },
          },
        ],
      }),
    }),
  );
  const sns = await moto.client(SNSClient, audit);
  // Encrypted with a key of the audit account, as AlertTopic makes it.
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: centralAlertTopicName(config), Attributes: { KmsMasterKeyId: `arn:aws:kms:${HOME}:${audit}:key/22222222-2222-2222-2222-222222222222` } }))).TopicArn!;
  const central = centralRuleName(config);
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn: topicArn,
      AttributeName: 'Policy',
      AttributeValue: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EventBridgeRulesPublish',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: { StringEquals: { 'aws:SourceAccount': audit }, ArnLike: { 'aws:SourceArn': `arn:aws:events:*:${audit}:rule/*` } },
          },
        ],
      }),
    }),
  );
  for (const sub of config.alerts.subscriptions) await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: sub.protocol, Endpoint: sub.endpoint }));
  await events.send(new PutRuleCommand({ Name: central, EventBusName: busName, EventPattern: JSON.stringify(alarmStateChangePattern(`${prefix}-`)), State: 'ENABLED' }));
  const dlq = await queue(audit, deadLetterQueueName(central), [`arn:aws:events:${HOME}:${audit}:rule/${busName}/${central}`]);
  await events.send(
    new PutTargetsCommand({
      Rule: central,
      EventBusName: busName,
      Targets: [{ Id: 'central-alert-topic', Arn: topicArn, DeadLetterConfig: { Arn: dlq }, InputTransformer: { InputPathsMap: { ...ALARM_MESSAGE.inputPaths }, InputTemplate: ALARM_MESSAGE.inputTemplate } }],
    }),
  );
  // The watchdog topic and the audit account's route alarms (route-watchdogs.ts).
  await sns.send(new CreateTopicCommand({ Name: `${prefix}-route-watchdog` }));
  const auditCw = await moto.client(CloudWatchClient, audit);
  for (const a of auditWatchdogAlarms(config)) await auditCw.send(new PutMetricAlarmCommand(watchdogAlarm(a.name, [...a.actions])));
  // The alarm history record (alarm-history.ts); its creation time is mocked (mockMissingApis: moto stamps its own clock).
  const auditLogs = await moto.client(CloudWatchLogsClient, audit);
  await auditLogs.send(new CreateLogGroupCommand({ logGroupName: `/${prefix}/alarm-history`, kmsKeyId: `arn:aws:kms:${HOME}:${audit}:key/11111111-1111-1111-1111-111111111111` }));
  await auditLogs.send(new PutRetentionPolicyCommand({ logGroupName: `/${prefix}/alarm-history`, retentionInDays: 400 }));
  // Its two rules (every state change, from the central bus and from the audit account's own watchdogs),
  // targeting the log group, with one dead-letter queue for both.
  const history = alarmHistoryRuleNames(config);
  const historyArns = [`arn:aws:events:${HOME}:${audit}:rule/${busName}/${history.central}`, `arn:aws:events:${HOME}:${audit}:rule/${history.local}`];
  const historyTarget = { Id: 'alarm-history-log-group', Arn: `arn:aws:logs:${HOME}:${audit}:log-group:/${prefix}/alarm-history`, DeadLetterConfig: { Arn: await queue(audit, deadLetterQueueName(history.central), historyArns) } };
  await events.send(new PutRuleCommand({ Name: history.central, EventBusName: busName, EventPattern: JSON.stringify(alarmStateChangesPattern({ alarmNamePrefix: `${prefix}-` })), State: 'ENABLED' }));
  await events.send(new PutTargetsCommand({ Rule: history.central, EventBusName: busName, Targets: [historyTarget] }));
  await events.send(new PutRuleCommand({ Name: history.local, EventPattern: JSON.stringify(alarmStateChangesPattern({ alarmNames: Object.values(routeWatchdogAlarmNames(prefix)).flat().sort() })), State: 'ENABLED' }));
  await events.send(new PutTargetsCommand({ Rule: history.local, Targets: [historyTarget] }));
  for (const region of config.regions.governed) {
    const regional = await moto.client(EventBridgeClient, audit, region);
    const gd = `${prefix}-guardduty-high-severity`;
    await regional.send(new PutRuleCommand({ Name: gd, EventPattern: JSON.stringify(GUARDDUTY_HIGH_SEVERITY_PATTERN), State: 'ENABLED' }));
    await regional.send(
      new PutTargetsCommand({
        Rule: gd,
        Targets: [region === HOME ? { Id: 't', Arn: topicArn } : { Id: 't', Arn: `arn:aws:events:${HOME}:${audit}:event-bus/default`, RoleArn: `arn:aws:iam::${audit}:role/${prefix}-forward-findings-to-${HOME}` }],
      }),
    );
    if (region === HOME) {
      const sh = `${prefix}-securityhub-high-critical`;
      await regional.send(new PutRuleCommand({ Name: sh, EventPattern: JSON.stringify(SECURITY_HUB_HIGH_CRITICAL_PATTERN), State: 'ENABLED' }));
      await regional.send(new PutTargetsCommand({ Rule: sh, Targets: [{ Id: 'alert-topic', Arn: topicArn }] }));
    }
  }
}

/** A watchdog alarm as moto keeps it: the judgement reads its name, actions, ActionsEnabled and state. */
function watchdogAlarm(AlarmName: string, AlarmActions: string[]) {
  return { AlarmName, AlarmActions, ActionsEnabled: true, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const, Namespace: 'AWS/Events', MetricName: 'FailedInvocations', Statistic: 'Sum' as const, Period: 300, TreatMissingData: 'notBreaching' };
}

/**
 * A Security Hub control finding as Security Hub imports it (AWS Security Finding Format,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html); the same
 * resource and control give the same Id, so a later import replaces the finding.
 */
export function controlFinding(f: { accountId: string; control: string; standard: string; status: 'PASSED' | 'FAILED'; resource: string; resourceType: string; at: Date }) {
  const at = f.at.toISOString();
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:${HOME}:${f.accountId}:security-control/${f.control}/finding/${f.resource.replace(/[^a-z0-9]/gi, '')}`,
    ProductArn: `arn:aws:securityhub:${HOME}::product/aws/securityhub`,
    ProductName: 'Security Hub',
    GeneratorId: `security-control/${f.control}`,
    AwsAccountId: f.accountId,
    Region: HOME,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: at,
    UpdatedAt: at,
    Severity: { Label: f.status === 'PASSED' ? 'INFORMATIONAL' : 'MEDIUM' },
    Title: f.control,
    Description: f.control,
    RecordState: 'ACTIVE',
    Workflow: { Status: f.status === 'PASSED' ? 'RESOLVED' : 'NEW' },
    Compliance: { Status: f.status, SecurityControlId: f.control, AssociatedStandards: [{ StandardsId: `standards/${f.standard}` }] },
    Resources: [{ Type: f.resourceType, Id: f.resource }],
  };
}

/** The Security Hub Id of the HIGH Macie finding seeded in the audit period. */
export const MACIE_PERIOD_FINDING_ID = 'arn:aws:macie2:us-east-1:000000000000:finding/period-1';

/** Security Hub: the audit account administers the organization, centrally configured; control findings imported. */
export async function seedSecurityHub(moto: MotoAccounts, config: BaselineConfig): Promise<void> {
  const { managementAccountId: management, auditAccountId: audit } = config.organization;
  const hub = await moto.client(SecurityHubClient, audit);
  await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  const managementHub = await moto.client(SecurityHubClient, management);
  await managementHub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  await managementHub.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: audit }));
  await hub.send(
    new UpdateOrganizationConfigurationCommand({ AutoEnable: false, AutoEnableStandards: 'NONE', OrganizationConfiguration: { ConfigurationType: 'CENTRAL', Status: 'ENABLED' } }),
  );
  const others = config.members.filter((m) => m.id !== audit);
  await hub.send(new CreateMembersCommand({ AccountDetails: others.map((m) => ({ AccountId: m.id, Email: m.email })) }));
  const now = new Date();
  const finding = (accountId: string, control: string, standard: string, status: 'PASSED' | 'FAILED', resource: string) => controlFinding({ accountId, control, standard, status, resource, resourceType: 'AwsKmsKey', at: now });
  await hub.send(
    new BatchImportFindingsCommand({
      Findings: [
        ...config.members.map((m) => finding(m.id, 'KMS.4', 'cis-aws-foundations-benchmark/v/3.0.0', 'PASSED', `arn:aws:kms:${HOME}:${m.id}:key/rotating`)),
        finding(audit, 'CloudTrail.1', 'aws-foundational-security-best-practices/v/1.0.0', 'PASSED', 'arn:aws:cloudtrail:trail'),
        finding(audit, 'S3.5', 'aws-foundational-security-best-practices/v/1.0.0', 'PASSED', 'arn:aws:s3:::some-bucket'),
        // A HIGH Macie finding of the audit period, triaged (NOTIFIED): the period's findings section
        // reads its workflow history. ASFF fields: API_AwsSecurityFinding.html, Workflow: API_Workflow.html.
        {
          SchemaVersion: '2018-10-08',
          Id: MACIE_PERIOD_FINDING_ID,
          ProductArn: `arn:aws:securityhub:${HOME}::product/aws/macie`,
          ProductName: 'Macie',
          CompanyName: 'Amazon',
          GeneratorId: 'aws/macie',
          AwsAccountId: others[0].id,
          Region: HOME,
          Types: ['Sensitive Data Identifications/PII/SensitiveData:S3Object-Personal'],
          CreatedAt: new Date(now.getTime() - 5 * 86_400_000).toISOString(),
          UpdatedAt: new Date(now.getTime() - 5 * 86_400_000).toISOString(),
          Severity: { Label: 'HIGH' },
          Title: 'The S3 object contains personal information.',
          Description: 'Macie found personal information.',
          Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::customer-data' }],
          Workflow: { Status: 'NOTIFIED' },
          RecordState: 'ACTIVE',
        },
      ] as never,
    }),
  );
}

/**
 * How far apart the seeded digests end. moto stamps each object with the time it is written (it cannot
 * be backdated), and the collector fails a log file whose only version was written later than its
 * digest's end plus evidence/digest.ts REPLACED_AFTER_DIGEST_MINUTES (a copy put after the delivered
 * version was removed): digests an hour apart, all written now, would read as replaced. Five minutes
 * apart, every file is written within the allowance of its digest's end, as CloudTrail's are.
 */
export const SEEDED_DIGEST_INTERVAL_MS = 5 * 60_000;

/** The org trail's signed digests and log files for every account and Region, in the CloudTrail bucket: `hours` digests, SEEDED_DIGEST_INTERVAL_MS apart, ending at `end` (just before now). */
export async function seedDigests(moto: MotoAccounts, config: BaselineConfig, end: Date, hours: number): Promise<DigestScope[]> {
  const s3 = await moto.client(S3Client, config.organization.logArchiveAccountId);
  const scopes: DigestScope[] = [];
  for (const member of config.members) {
    for (const region of memberRegions(config, member)) {
      const scope: DigestScope = {
        bucket: logBucketName(config, 'cloudtrail'),
        organizationId: config.organization.id,
        accountId: member.id,
        region,
        trailName: orgTrailName(config),
        homeRegion: HOME,
        start: new Date(end.getTime() - hours * 3_600_000),
        end,
      };
      scopes.push(scope);
      const chain = buildChain(scope, end, hours, 1, undefined, SEEDED_DIGEST_INTERVAL_MS);
      for (const [path, object] of chain.objects) {
        const key = path.slice(scope.bucket.length + 1);
        // moto wants Content-MD5 on writes into an Object Lock bucket (S3 accepts a checksum too).
        const ContentMD5 = createHash('md5').update(object.body).digest('base64');
        await s3.send(new PutObjectCommand({ Bucket: scope.bucket, Key: key, Body: object.body, Metadata: object.metadata, ContentMD5 }));
      }
    }
  }
  return scopes;
}

// ---------------------------------------------------------------------------------------------------
// What moto lacks, at the SDK level.

/** Every client class's own `send`, kept before any mock replaces it. */
const ORIGINAL_SEND = new Map<unknown, (...args: any[]) => Promise<any>>(
  [CloudTrailClient, ConfigServiceClient, SecurityHubClient, S3Client, EC2Client, CloudWatchClient, CloudWatchLogsClient, OrganizationsClient].map((C) => [C, C.prototype.send as (...args: any[]) => Promise<any>]),
);

/** Sends straight to moto, whether or not the client's class is mocked (the tests' changes). */
export function unmocked(client: object, command: unknown): Promise<any> {
  const send = ORIGINAL_SEND.get(Object.getPrototypeOf(client).constructor);
  if (!send) throw new Error(`unmocked: no original send kept for ${Object.getPrototypeOf(client).constructor.name}`);
  return send.call(client, command);
}

/** Lets commands moto implements go to moto although their client is mocked for the others. */
function passthrough(mock: AwsStub<any, any, any>, realSend: (...args: any[]) => Promise<any>, commands: (new (input: any) => any)[]): void {
  for (const Command of commands) mock.on(Command).callsFake((input: unknown, getClient: () => unknown) => realSend.call(getClient(), new Command(input)));
}

export interface MissingApiOptions {
  /**
   * The instant the mocked delivery times report (moto's GetTrailStatus reports "now" on every call;
   * a fixed instant keeps two runs' binders byte-identical). @default - the time of the call
   */
  readonly at?: Date;
  /** Findings GuardDuty returns (each page of ListFindings has up to 2 ids: pagination exercised). */
  readonly guardDutyFindings?: readonly { id: string; severity: number; accountId: string }[];
  readonly macieFindings?: readonly { id: string; severity: 'High' | 'Medium' | 'Low' }[];
  /** Access Analyzer findings (in every Region unless `region`). */
  readonly accessAnalyzerFindings?: readonly { id: string; resourceType: string; resource?: string; isPublic: boolean; status?: 'ACTIVE' | 'ARCHIVED' | 'RESOLVED'; updatedAt?: Date; region?: string }[];
  /** Archive rules (in every Region unless `region`; on the organization analyzer unless `analyzer`, a name). */
  readonly archiveRules?: readonly { ruleName: string; filter: Record<string, { eq?: string[] }>; region?: string; analyzer?: string }[];
}

/** The unused access analyzer (home Region) as GetAnalyzer and ListFindingsV2 answer for it. */
export interface UnusedAccessAnalyzerState {
  /** GetAnalyzer answers ResourceNotFoundException. */
  deleted?: boolean;
  /** configuration.unusedAccess.unusedAccessAge. @default the config's unusedAccessAgeDays */
  unusedAccessAge?: number;
  /** FindingSummaryV2 of its findings (status ACTIVE unless given; updatedAt createdAt unless given). */
  findings: { id: string; findingType: string; resource: string; accountId: string; createdAt: Date; updatedAt?: Date; status?: 'ACTIVE' | 'ARCHIVED' | 'RESOLVED' }[];
}

/**
 * What the mocked services hold, mutable: a tampering of an API moto lacks changes it (the mocks read
 * it on every call), and puts it back after.
 */
export interface MockState {
  /** CloudWatch alarm history items, every account (DescribeAlarmHistory is not in moto). */
  alarmHistory: AlarmHistoryItem[];
  /** The alarm history record's LogGroup.creationTime (API_LogGroup.html), which moto sets to its own clock: 400 days before `at` by default. */
  alarmHistoryRecordCreatedAt: Date;
  /** GuardDuty detector Status by Region (API_GetDetector.html: ENABLED | DISABLED); absent: ENABLED. */
  guardDutyDetectorStatus: Record<string, 'ENABLED' | 'DISABLED'>;
  /** GuardDuty detector changes by Region: a publishing frequency, features turned off (API_UpdateDetector.html). */
  guardDutyDetector: Record<string, { frequency?: string; disabledFeatures?: string[] }>;
  /** Member RelationshipStatus overrides by `<region>/<account>` (GuardDuty API_Member.html; Macie API_Member.html). */
  guardDutyMemberStatus: Record<string, string>;
  macieMemberStatus: Record<string, string>;
  /** Standards the central configuration policy no longer enables, by Region. */
  disabledStandards: Record<string, string[]>;
  accessAnalyzerFindings: NonNullable<MissingApiOptions['accessAnalyzerFindings']>[number][];
  archiveRules: NonNullable<MissingApiOptions['archiveRules']>[number][];
  unusedAccess: UnusedAccessAnalyzerState;
  /** IAM's centralized root access features enabled for the organization (ListOrganizationsFeatures' EnabledFeatures). */
  rootAccessFeatures: string[];
  /** Whether iam.amazonaws.com has trusted access in Organizations (moto 5.1 refuses to enable it). */
  iamTrustedAccess: boolean;
  /** Named queries rewritten or deleted (UpdateNamedQuery, DeleteNamedQuery: not in moto 5.1), by id. */
  namedQueries: NamedQueryChanges;
}

export interface MissingApiMocks {
  readonly state: MockState;
  readonly guardDuty: AwsStub<any, any, any>;
  readonly macie: AwsStub<any, any, any>;
  readonly accessAnalyzer: AwsStub<any, any, any>;
  readonly config: AwsStub<any, any, any>;
  readonly cloudTrail: AwsStub<any, any, any>;
  readonly securityHub: AwsStub<any, any, any>;
  readonly s3: AwsStub<any, any, any>;
  readonly iam: AwsStub<any, any, any>;
  readonly organizations: AwsStub<any, any, any>;
  restore(): void;
}

export function mockMissingApis(config: BaselineConfig, options: MissingApiOptions = {}): MissingApiMocks {
  const realConfigSend = ConfigServiceClient.prototype.send;
  const realCloudTrailSend = CloudTrailClient.prototype.send;
  const realSecurityHubSend = SecurityHubClient.prototype.send;
  const realS3Send = S3Client.prototype.send as (...args: any[]) => Promise<any>;
  const realOrganizationsSend = OrganizationsClient.prototype.send as (...args: any[]) => Promise<any>;
  const { auditAccountId: audit } = config.organization;
  const prefix = config.organization.namePrefix;
  const others = config.members.filter((m) => m.id !== audit);
  const state: MockState = {
    guardDutyDetectorStatus: {},
    guardDutyDetector: {},
    guardDutyMemberStatus: {},
    macieMemberStatus: {},
    disabledStandards: {},
    accessAnalyzerFindings: [...(options.accessAnalyzerFindings ?? [])],
    archiveRules: [...(options.archiveRules ?? [])],
    unusedAccess: { findings: healthyUnusedAccessFindings(config, options.at ?? new Date()) },
    rootAccessFeatures: [...ROOT_ACCESS_FEATURES],
    iamTrustedAccess: true,
    alarmHistory: [],
    alarmHistoryRecordCreatedAt: new Date((options.at ?? new Date()).getTime() - 400 * 86_400_000),
    namedQueries: {},
  };

  // GuardDuty: moto has detectors only. Shapes from the GuardDuty API reference.
  const guardDuty = mockClient(GuardDutyClient);
  mockMalwareProtectionPlans(guardDuty, config);
  guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['12abc34d567e8fa901bc2d34e56789f0'] });
  const regionOf = (getClient: () => { config: { region: () => Promise<string> } }) => getClient().config.region();
  const protection = config.securityServices.guardDuty.protection;
  // Features as the baseline sets them (modules/security-services/guardduty.ts), shapes of GetDetector's
  // DetectorFeatureConfigurationResult and the organization's OrganizationFeatureConfigurationResult.
  const features = (region: string) =>
    Object.entries(GUARDDUTY_FEATURES).map(([plan, Name]) => ({
      Name,
      Status: protection[plan as keyof typeof protection] && !(state.guardDutyDetector[region]?.disabledFeatures ?? []).includes(Name) ? 'ENABLED' : 'DISABLED',
      UpdatedAt: new Date('2026-01-01T00:00:00Z'),
    }));
  guardDuty.on(GetDetectorCommand).callsFake(async (_input: unknown, getClient: () => any) => {
    const region = await regionOf(getClient);
    return {
      Status: state.guardDutyDetectorStatus[region] ?? 'ENABLED',
      FindingPublishingFrequency: state.guardDutyDetector[region]?.frequency ?? 'FIFTEEN_MINUTES',
      ServiceRole: 'arn:aws:iam::role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
      Features: features(region),
    };
  });
  guardDuty.on(GdDescribeOrganizationConfigurationCommand).resolves(<any>{
    AutoEnable: true,
    MemberAccountLimitReached: false,
    AutoEnableOrganizationMembers: 'ALL',
    Features: Object.entries(GUARDDUTY_FEATURES).map(([plan, Name]) => ({ Name, AutoEnable: protection[plan as keyof typeof protection] ? config.securityServices.guardDuty.autoEnableMembers : 'NONE' })),
  });
  // Members over two pages.
  guardDuty.on(GdListMembersCommand).callsFake(async (input: { NextToken?: string }, getClient: () => any) => {
    const region = await regionOf(getClient);
    const gdMember = (id: string) => ({ AccountId: id, DetectorId: 'd', MasterId: audit, Email: `${id}@example.com`, RelationshipStatus: state.guardDutyMemberStatus[`${region}/${id}`] ?? 'Enabled', UpdatedAt: '2026-01-01T00:00:00Z' });
    return input.NextToken === 'page-2' ? { Members: others.slice(1).map((m) => gdMember(m.id)) } : { Members: others.slice(0, 1).map((m) => gdMember(m.id)), NextToken: 'page-2' };
  });
  const gdFindings = options.guardDutyFindings ?? [
    { id: 'gd-1', severity: 8.5, accountId: others[0].id },
    { id: 'gd-2', severity: 5, accountId: others[0].id },
    { id: 'gd-3', severity: 2, accountId: others[1].id },
  ];
  guardDuty.on(GdListFindingsCommand).callsFake((input: { NextToken?: string }) => {
    const page = Number(input.NextToken ?? '0');
    const ids = gdFindings.slice(page * 2, page * 2 + 2).map((f) => f.id);
    return { FindingIds: ids, ...(page * 2 + 2 < gdFindings.length ? { NextToken: String(page + 1) } : {}) };
  });
  guardDuty.on(GdGetFindingsCommand).callsFake((input: { FindingIds: string[] }) => ({
    Findings: gdFindings
      .filter((f) => input.FindingIds.includes(f.id))
      .map((f) => ({ Id: f.id, AccountId: f.accountId, Arn: `arn:aws:guardduty:${HOME}:${audit}:detector/d/finding/${f.id}`, Region: HOME, Severity: f.severity, Type: 'Recon:EC2/PortProbeUnprotectedPort', SchemaVersion: '2.0', CreatedAt: '2026-01-01T00:00:00.000Z', UpdatedAt: '2026-01-02T00:00:00.000Z', Resource: {} })),
  }));

  // Macie: moto has the session and invitations, not the organization configuration, members or jobs.
  const macie = mockClient(Macie2Client);
  macie.on(GetMacieSessionCommand).resolves({ status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES', serviceRole: 'arn:aws:iam::role/macie' });
  macie.on(MacieDescribeOrganizationConfigurationCommand).resolves({ autoEnable: true, maxAccountLimitReached: false });
  macie.on(MacieListMembersCommand).callsFake(async (input: { nextToken?: string }, getClient: () => any) => {
    const region = await regionOf(getClient);
    const member = (id: string) => ({ accountId: id, administratorAccountId: audit, relationshipStatus: state.macieMemberStatus[`${region}/${id}`] ?? 'Enabled', arn: `arn:aws:macie2:${HOME}:${audit}:member/${id}` });
    return input.nextToken ? { members: others.slice(2).map((m) => member(m.id)) } : { members: others.slice(0, 2).map((m) => member(m.id)), nextToken: 'next' };
  });
  const mcFindings = options.macieFindings ?? [{ id: 'mc-1', severity: 'High' as const }];
  macie.on(MacieListFindingsCommand).resolves({ findingIds: mcFindings.map((f) => f.id) });
  macie.on(MacieGetFindingsCommand).callsFake((input: { findingIds: string[] }) => ({
    findings: mcFindings.filter((f) => input.findingIds.includes(f.id)).map((f) => ({ id: f.id, severity: { description: f.severity, score: 3 }, type: 'SensitiveData:S3Object/Personal', accountId: others[0].id })),
  }));
  macie.on(ListClassificationJobsCommand).callsFake((input: { filterCriteria?: { includes?: { values?: string[] }[] } }) => {
    const name = input.filterCriteria?.includes?.[0]?.values?.[0];
    const jobs = config.securityServices.macie.classificationJobs.map((j) => ({
      name: jobName(config, j.accountId, j.region),
      jobId: 'job-1',
      jobType: 'SCHEDULED',
      jobStatus: 'IDLE',
      bucketDefinitions: [{ accountId: j.accountId, buckets: j.buckets }],
    }));
    return { items: jobs.filter((j) => j.name === name) };
  });

  // IAM Access Analyzer: not in moto.
  const accessAnalyzer = mockClient(AccessAnalyzerClient);
  accessAnalyzer.on(ListAnalyzersCommand).callsFake(() => ({
    analyzers: [{ name: `${prefix}-organization`, arn: `arn:aws:access-analyzer:${HOME}:${audit}:analyzer/${prefix}-organization`, type: 'ORGANIZATION', status: 'ACTIVE', createdAt: new Date('2026-01-01T00:00:00Z') }],
  }));
  // ListFindings with filter.status.eq, as the collector asks (API_ListFindings.html, API_Criterion.html).
  accessAnalyzer.on(AaListFindingsCommand).callsFake(async (input: { filter?: { status?: { eq?: string[] } } }, getClient: () => any) => {
    const region = await regionOf(getClient);
    return {
    findings: state.accessAnalyzerFindings
      .filter((f) => !f.region || f.region === region)
      .filter((f) => (input.filter?.status?.eq ?? [f.status ?? 'ACTIVE']).includes(f.status ?? 'ACTIVE'))
      .map((f) => ({ id: f.id, resourceType: f.resourceType, resource: f.resource, isPublic: f.isPublic, status: f.status ?? 'ACTIVE', resourceOwnerAccount: audit, condition: {}, createdAt: new Date('2026-01-01T00:00:00Z'), updatedAt: f.updatedAt ?? new Date('2026-01-01T00:00:00Z'), analyzedAt: new Date('2026-01-01T00:00:00Z') })),
    };
  });
  // ListArchiveRules: ArchiveRuleSummary (ruleName, filter, createdAt, updatedAt), API_ArchiveRuleSummary.html.
  accessAnalyzer.on(ListArchiveRulesCommand).callsFake(async (input: { analyzerName?: string }, getClient: () => any) => {
    const region = await regionOf(getClient);
    const analyzer = (r: { analyzer?: string }) => r.analyzer ?? `${prefix}-organization`;
    return { archiveRules: state.archiveRules.filter((r) => (!r.region || r.region === region) && analyzer(r) === input.analyzerName).map((r) => ({ ruleName: r.ruleName, filter: r.filter, createdAt: new Date('2026-01-01T00:00:00Z'), updatedAt: new Date('2026-01-01T00:00:00Z') })) };
  });

  mockUnusedAccessAnalyzer(accessAnalyzer, config, state);

  // AWS Config: moto has recorders, channels, rules and aggregators; not compliance, the aggregator's
  // source status, nor advanced queries.
  const cfg = mockClient(ConfigServiceClient);
  passthrough(cfg, realConfigSend, [
    DescribeConfigurationRecordersCommand,
    DescribeConfigurationRecorderStatusCommand,
    DescribeDeliveryChannelsCommand,
    DescribeConfigRulesCommand,
    DescribeConfigurationAggregatorsCommand,
  ]);
  // moto 5.1 answers DescribeDeliveryChannelStatus with a server error.
  cfg.on(DescribeDeliveryChannelStatusCommand).callsFake((input: { DeliveryChannelNames?: string[] }) => {
    const at = options.at ?? new Date();
    return {
      DeliveryChannelsStatus: (input.DeliveryChannelNames ?? []).map((name) => ({
        name,
        configHistoryDeliveryInfo: { lastStatus: 'Success', lastAttemptTime: at, lastSuccessfulTime: at },
        configSnapshotDeliveryInfo: { lastStatus: 'Success', lastAttemptTime: at, lastSuccessfulTime: at },
        configStreamDeliveryInfo: { lastStatus: 'NOT_APPLICABLE' },
      })),
    };
  });
  cfg.on(DescribeComplianceByConfigRuleCommand).callsFake((input: { ConfigRuleNames: string[] }) => ({
    ComplianceByConfigRules: input.ConfigRuleNames.map((name) => ({ ConfigRuleName: name, Compliance: { ComplianceType: 'COMPLIANT' } })),
  }));
  // The aggregator's evaluation results (API_GetAggregateComplianceDetailsByConfigRule.html): a healthy
  // org's rules have nothing to report in the period.
  cfg.on(GetAggregateComplianceDetailsByConfigRuleCommand).resolves({ AggregateEvaluationResults: [] });
  // The aggregator's summary, filtered to NON_COMPLIANT (API_DescribeAggregateComplianceByConfigRules.html:
  // AggregateComplianceByConfigRules of AggregateComplianceByConfigRule, NextToken): not in moto; a
  // healthy org lists none, in one page.
  cfg.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({ AggregateComplianceByConfigRules: [] });
  cfg.on(DescribeConfigurationAggregatorSourcesStatusCommand).resolves({
    AggregatedSourceStatusList: config.regions.governed.map((r) => ({ SourceId: config.organization.id, SourceType: 'ORGANIZATION', AwsRegion: r, LastUpdateStatus: 'SUCCEEDED' })),
  });

  // CloudTrail: moto's GetTrailStatus has no digest or CloudWatch Logs delivery times (real trails
  // report them once delivered); ListPublicKeys is not in moto.
  const cloudTrail = mockClient(CloudTrailClient);
  passthrough(cloudTrail, realCloudTrailSend, [DescribeTrailsCommand, GetEventSelectorsCommand]);
  cloudTrail.on(GetTrailStatusCommand).callsFake(async (input: unknown, getClient: () => unknown) => {
    const out: Record<string, unknown> = await (realCloudTrailSend as (...args: any[]) => Promise<any>).call(getClient(), new GetTrailStatusCommand(input as never));
    // A stopped trail keeps its last delivery times: only moto's "now" while logging is replaced.
    const at = options.at ?? new Date();
    return {
      ...out,
      LatestDeliveryTime: at,
      LatestDeliveryAttemptTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      LatestDigestDeliveryTime: at,
      LatestCloudWatchLogsDeliveryTime: at,
    };
  });
  cloudTrail.on(ListPublicKeysCommand).callsFake((input: { NextToken?: string }) =>
    // Two pages: a key of another period first, then the key the digests were signed with.
    input.NextToken
      ? { PublicKeyList: [{ Value: testKey().publicKey.value, Fingerprint: testKey().publicKey.fingerprint, ValidityStartTime: new Date('2026-01-01T00:00:00Z'), ValidityEndTime: new Date('2027-01-01T00:00:00Z') }] }
      : { PublicKeyList: [{ Value: new Uint8Array([48, 0]), Fingerprint: '00000000000000000000000000000000' }], NextToken: 'keys-2' },
  );

  // Security Hub: moto has the hub, members, organization configuration and findings; not the standards.
  const securityHub = mockClient(SecurityHubClient);
  passthrough(securityHub, realSecurityHubSend, [DescribeHubCommand, ShDescribeOrganizationConfigurationCommand, ShListMembersCommand, ShGetFindingsCommand]);
  // GetFindingHistory is not in moto: the finding's creation, then an analyst's workflow change an hour
  // later (FindingHistoryRecord, FindingHistoryUpdate: API_FindingHistoryRecord.html, API_FindingHistoryUpdate.html).
  securityHub.on(GetFindingHistoryCommand).callsFake((input: { FindingIdentifier: { Id: string; ProductArn: string }; StartTime?: Date }) => {
    const createdAt = input.StartTime ?? new Date();
    return {
      Records: [
        { FindingIdentifier: input.FindingIdentifier, UpdateTime: createdAt, FindingCreated: true, UpdateSource: { Type: 'BATCH_IMPORT_FINDINGS', Identity: input.FindingIdentifier.ProductArn }, Updates: [] },
        { FindingIdentifier: input.FindingIdentifier, UpdateTime: new Date(createdAt.getTime() + 3_600_000), FindingCreated: false, UpdateSource: { Type: 'BATCH_UPDATE_FINDINGS', Identity: `arn:aws:iam::${audit}:role/analyst` }, Updates: [{ UpdatedField: 'Workflow.Status', OldValue: 'NEW', NewValue: 'NOTIFIED' }] },
      ],
    };
  });
  securityHub.on(GetEnabledStandardsCommand).callsFake((input: { NextToken?: string }, getClient: () => SecurityHubClient) => {
    // One standard per page: pagination exercised. The Region is the client's.
    return getClient()
      .config.region()
      .then((region: string) => {
        const arns = config.securityServices.securityHub.standards
          .filter((s) => !(state.disabledStandards[region] ?? []).includes(s))
          .map((s) => `arn:aws:securityhub:${region}::standards/${s}`);
        const index = Number(input.NextToken ?? '0');
        return {
          StandardsSubscriptions: arns[index] ? [{ StandardsArn: arns[index], StandardsSubscriptionArn: `${arns[index]}/subscription`, StandardsStatus: 'READY', StandardsInput: {} }] : [],
          ...(index + 1 < arns.length ? { NextToken: String(index + 1) } : {}),
        };
      });
  });

  // S3: everything goes to moto, but the CloudTrail bucket's policy (see seedLogArchive).
  const s3 = mockClient(S3Client);
  passthrough(s3, realS3Send, [
    GetBucketVersioningCommand,
    GetObjectLockConfigurationCommand,
    GetPublicAccessBlockCommand,
    GetBucketEncryptionCommand,
    GetBucketLoggingCommand,
    GetBucketLifecycleConfigurationCommand,
    ListObjectsV2Command,
    ListObjectVersionsCommand,
    GetObjectCommand,
    PutObjectCommand,
    PutBucketVersioningCommand,
  ]);
  const trailBucket = logBucketName(config, 'cloudtrail');
  s3.on(GetBucketPolicyCommand).callsFake((input: { Bucket: string }, getClient: () => unknown) =>
    input.Bucket === trailBucket ? { Policy: bucketPolicy(trailBucket) } : realS3Send.call(getClient(), new GetBucketPolicyCommand(input)),
  );

  // IAM centralized root access: moto 5.1 has no ListOrganizationsFeatures. Response shape:
  // OrganizationId, EnabledFeatures (RootCredentialsManagement | RootSessions)
  // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html).
  const iam = mockClient(IAMClient);
  iam.on(ListOrganizationsFeaturesCommand).callsFake(() => ({ OrganizationId: config.organization.id, EnabledFeatures: [...state.rootAccessFeatures] }));

  // Organizations: moto serves everything the collector reads, but moto 5.1 refuses trusted access for
  // iam.amazonaws.com (not in its list of trusted services): ListAWSServiceAccessForOrganization adds
  // it to moto's answer, in the response's shape, EnabledServicePrincipals[] of {ServicePrincipal,
  // DateEnabled} (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAWSServiceAccessForOrganization.html,
  // API_EnabledServicePrincipal.html).
  const organizations = mockClient(OrganizationsClient);
  passthrough(organizations, realOrganizationsSend, [ListAccountsCommand, ListPoliciesForTargetCommand, DescribePolicyCommand]);
  organizations.on(ListAWSServiceAccessForOrganizationCommand).callsFake(async (input: unknown, getClient: () => unknown) => {
    const out = await realOrganizationsSend.call(getClient(), new ListAWSServiceAccessForOrganizationCommand(input as never));
    const others = ((out.EnabledServicePrincipals ?? []) as { ServicePrincipal?: string }[]).filter((s) => s.ServicePrincipal !== IAM_SERVICE_PRINCIPAL);
    return { ...out, EnabledServicePrincipals: [...others, ...(state.iamTrustedAccess ? [{ ServicePrincipal: IAM_SERVICE_PRINCIPAL, DateEnabled: new Date('2026-01-01T00:00:00Z') }] : [])] };
  });

  // CloudWatch alarm history: not in moto 5.1. Every other CloudWatch call still goes to moto, so the
  // history alone is answered, from `state.alarmHistory` (AlarmHistoryItem, API_AlarmHistoryItem.html),
  // filtered by StartDate/EndDate as DescribeAlarmHistory does (API_DescribeAlarmHistory.html).
  const realCloudWatchSend = CloudWatchClient.prototype.send;
  CloudWatchClient.prototype.send = function (this: CloudWatchClient, command: unknown, ...rest: unknown[]) {
    if (command instanceof DescribeAlarmHistoryCommand) {
      const { StartDate, EndDate } = command.input;
      return Promise.resolve({
        AlarmHistoryItems: state.alarmHistory.filter((i) => (!StartDate || i.Timestamp! >= StartDate) && (!EndDate || i.Timestamp! <= EndDate)),
        $metadata: {},
      });
    }
    const out = (realCloudWatchSend as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    if (!(command instanceof DescribeAlarmsCommand)) return out;
    // moto 5.2 returns StateUpdatedTimestamp but not StateTransitionedTimestamp (MetricAlarm,
    // API_MetricAlarm.html), which the period's alarm section reads; moto has no EvaluationState, so its
    // state updates are its transitions.
    return out.then((o) => {
      for (const a of (o as { MetricAlarms?: { StateTransitionedTimestamp?: Date; StateUpdatedTimestamp?: Date }[] }).MetricAlarms ?? []) a.StateTransitionedTimestamp ??= a.StateUpdatedTimestamp;
      return o;
    });
  } as typeof realCloudWatchSend;

  const restoreNamedQueries = mockInvestigationApis(state.namedQueries);

  const realLogsSend = CloudWatchLogsClient.prototype.send;
  CloudWatchLogsClient.prototype.send = async function (this: CloudWatchLogsClient, command: unknown, ...rest: unknown[]) {
    const out = await (realLogsSend as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    if (!(command instanceof DescribeLogGroupsCommand)) return out;
    const groups = (out as { logGroups?: { logGroupName?: string; creationTime?: number }[] }).logGroups ?? [];
    for (const g of groups) if (g.logGroupName === `/${prefix}/alarm-history`) g.creationTime = state.alarmHistoryRecordCreatedAt.getTime();
    return out;
  } as typeof realLogsSend;

  return {
    state,
    guardDuty,
    macie,
    accessAnalyzer,
    config: cfg,
    cloudTrail,
    securityHub,
    s3,
    iam,
    organizations,
    restore() {
      CloudWatchClient.prototype.send = realCloudWatchSend;
      CloudWatchLogsClient.prototype.send = realLogsSend;
      restoreNamedQueries();
      for (const m of [guardDuty, macie, accessAnalyzer, cfg, cloudTrail, securityHub, s3, iam, organizations]) m.restore();
    },
  };
}

/**
 * The healthy organization's unused-access findings: two ACTIVE ones younger than the review period, in
 * two accounts; the break-glass role's, older than it and accepted by design (guardrails.breakGlassRoleName);
 * one RESOLVED long ago (the collector asks for ACTIVE and ARCHIVED only); and one archived in the window
 * with its review recorded (HEALTHY_REVIEWED_UNUSED_FINDING in securityServices.accessAnalyzer.reviewedFindings).
 */
function healthyUnusedAccessFindings(config: BaselineConfig, at: Date): UnusedAccessAnalyzerState['findings'] {
  const others = config.members.filter((m) => m.id !== config.organization.auditAccountId);
  const daysAgo = (d: number) => new Date(at.getTime() - d * 86_400_000);
  return [
    { id: 'ua-role-1', findingType: 'UnusedIAMRole', resource: `arn:aws:iam::${others[0].id}:role/old-deployer`, accountId: others[0].id, createdAt: daysAgo(12) },
    { id: 'ua-key-1', findingType: 'UnusedIAMUserAccessKey', resource: `arn:aws:iam::${others[1].id}:user/ci`, accountId: others[1].id, createdAt: daysAgo(3) },
    { id: 'ua-perm-1', findingType: 'UnusedPermission', resource: `arn:aws:iam::${others[1].id}:role/app`, accountId: others[1].id, createdAt: daysAgo(400), status: 'RESOLVED' },
    ...(config.guardrails.breakGlassRoleName
      ? [{ id: 'ua-break-glass', findingType: 'UnusedIAMRole', resource: `arn:aws:iam::${others[1].id}:role/${config.guardrails.breakGlassRoleName}`, accountId: others[1].id, createdAt: daysAgo(200) }]
      : []),
    { id: HEALTHY_REVIEWED_UNUSED_FINDING, findingType: 'UnusedIAMRole', resource: `arn:aws:iam::${others[1].id}:role/legacy-import`, accountId: others[1].id, createdAt: daysAgo(150), updatedAt: daysAgo(5), status: 'ARCHIVED' },
  ];
}

/** The unused-access finding the healthy organization archived after a review recorded in the config. */
export const HEALTHY_REVIEWED_UNUSED_FINDING = 'ua-archived-reviewed';

/**
 * IAM Access Analyzer's unused access analyzer (not in moto): GetAnalyzer's AnalyzerSummary
 * (API_GetAnalyzer.html, API_AnalyzerSummary.html, configuration: API_AnalyzerConfiguration.html) and
 * ListFindingsV2's FindingSummaryV2 (API_ListFindingsV2.html, API_FindingSummaryV2.html), one finding a
 * page so that pagination is exercised.
 */
export function mockUnusedAccessAnalyzer(accessAnalyzer: AwsStub<any, any, any>, config: BaselineConfig, state: Pick<MockState, 'unusedAccess'>): void {
  const { auditAccountId: audit, namePrefix: prefix } = config.organization;
  const name = `${prefix}-unused-access`;
  const arn = `arn:aws:access-analyzer:${config.regions.home}:${audit}:analyzer/${name}`;
  accessAnalyzer.on(GetAnalyzerCommand).callsFake((input: { analyzerName: string }) => {
    if (input.analyzerName !== name || state.unusedAccess.deleted) {
      throw new ResourceNotFoundException({ message: 'Analyzer not found', $metadata: {}, resourceId: input.analyzerName, resourceType: 'Analyzer' });
    }
    const unusedAccessAge = state.unusedAccess.unusedAccessAge ?? config.securityServices.accessAnalyzer.unusedAccess.unusedAccessAgeDays;
    return { analyzer: { arn, name, type: 'ORGANIZATION_UNUSED_ACCESS', status: 'ACTIVE', createdAt: new Date('2026-01-01T00:00:00Z'), configuration: { unusedAccess: { unusedAccessAge } } } };
  });
  accessAnalyzer.on(ListFindingsV2Command).callsFake((input: { analyzerArn: string; filter?: { status?: { eq?: string[] } }; nextToken?: string }) => {
    const found = state.unusedAccess.findings
      .filter(() => input.analyzerArn === arn)
      .filter((f) => (input.filter?.status?.eq ?? [f.status ?? 'ACTIVE']).includes(f.status ?? 'ACTIVE'));
    const page = Number(input.nextToken ?? '0');
    const f = found[page];
    return {
      findings: f ? [{ id: f.id, resource: f.resource, resourceType: f.findingType === 'UnusedIAMRole' || f.resource.includes(':role/') ? 'AWS::IAM::Role' : 'AWS::IAM::User', resourceOwnerAccount: f.accountId, findingType: f.findingType, status: f.status ?? 'ACTIVE', createdAt: f.createdAt, updatedAt: f.updatedAt ?? f.createdAt, analyzedAt: f.createdAt }] : [],
      ...(page + 1 < found.length ? { nextToken: String(page + 1) } : {}),
    };
  });
}
