/**
 * What the simulated organization (bench/evidence-sim.ts) answers to the commands that are not about
 * log-file validation: the shapes a healthy organization, deployed by the baseline from the config the
 * benchmark runs with, returns, so that the collector makes the follow-up calls it makes there (a
 * recorder found is followed by its status, a trail by its status and selectors, a rule's target by
 * its dead-letter queue, a detector by its members...). Measured against moto's healthy organization
 * (__tests__/evidence/healthy-org.ts), each operation makes at least as many calls per account and
 * Region here as there (docs/evidence.md, "Performance").
 *
 * Each answer is a pure function of the call (account, Region, input) and the config: deterministic,
 * no sleep, nothing kept between calls. Judgements need not PASS: the answers carry the fields the
 * collector reads to decide what to call next, in the shapes of the cited API reference pages.
 */
import { createHash } from 'node:crypto';
import { alarmEventBusArn, alarmEventBusName, alarmHistoryLogGroupName, alarmHistoryRuleNames, centralAlarmRuleName, centralAlertTopicArn, logBucketName, orgTrailArn, PARTITION } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { unusedAccessAnalyzerName } from '../evidence/checks/access-analyzer-unused';
import { deadLetterQueueName, forwardingRuleName } from '../evidence/checks/alerting';
import { recorderName, rulesFor } from '../evidence/checks/config-service';
import { IAM_SERVICE_PRINCIPAL } from '../evidence/checks/guardrails';

/** One call, as the simulation gives it to an answer. */
export interface AnswerCall {
  /** The account and Region whose client made the call. */
  readonly accountId: string;
  readonly region: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** The config the organization was deployed from. */
  readonly config: BaselineConfig;
  /** The simulation's clock, ms. */
  readonly now: number;
}

export type Answer = (call: AnswerCall) => Record<string, unknown>;

/** GuardDuty ListMembers: "The default value is 50. The maximum value is 50." (API_ListMembers.html, MaxResults). */
const GUARDDUTY_MEMBERS_PAGE = 50;
/** Macie ListMembers' page size is not stated as a default in the pages searched: 50, as GuardDuty's (Unverified in docs/evidence.md). */
const MACIE_MEMBERS_PAGE = 50;

const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
const uuid = (s: string) => {
  const h = hex(s, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const pageOf = <T>(items: readonly T[], token: unknown, size: number): { page: T[]; next?: string } => {
  const start = typeof token === 'string' ? Number(token) : 0;
  const end = start + size;
  return { page: items.slice(start, end), ...(end < items.length ? { next: String(end) } : {}) };
};
const members = (c: AnswerCall) => c.config.members.map((m) => m.id).filter((id) => id !== c.config.organization.auditAccountId);

/** The trail the ARN names, as the baseline deploys it (org trail in the management account, each account's own otherwise). */
function trail(c: AnswerCall, arn: string): Record<string, unknown> {
  const org = arn === orgTrailArn(c.config);
  return {
    Name: arn.split('/').at(-1),
    TrailARN: arn,
    HomeRegion: c.config.regions.home,
    S3BucketName: logBucketName(c.config, 'cloudtrail'),
    ...(org ? {} : { S3KeyPrefix: 'account-trails' }),
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: true,
    IsOrganizationTrail: org,
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: true,
  };
}

/** The target of each baseline rule (evidence/checks/alerting.ts): the central bus, the central topic, or the alarm-history log group. */
function ruleTarget(c: AnswerCall, rule: string): Record<string, unknown> {
  const { config } = c;
  const history = alarmHistoryRuleNames(config);
  const home = config.regions.home;
  const audit = config.organization.auditAccountId;
  const queue = (name: string) => ({ DeadLetterConfig: { Arn: `arn:${PARTITION}:sqs:${c.region}:${c.accountId}:${name}` } });
  if (rule === centralAlarmRuleName(config)) return { Id: 'central-topic', Arn: centralAlertTopicArn(config), ...queue(deadLetterQueueName(rule)) };
  if (rule === history.central || rule === history.local) {
    return { Id: 'alarm-history', Arn: `arn:${PARTITION}:logs:${home}:${audit}:log-group:${alarmHistoryLogGroupName(config)}`, ...queue(deadLetterQueueName(history.central)) };
  }
  // The forwarding rule and its heartbeat share the forwarding rule's dead-letter queue.
  return { Id: 'central-bus', Arn: alarmEventBusArn(config), RoleArn: `arn:${PARTITION}:iam::${c.accountId}:role/${config.organization.namePrefix}-forward-alarms`, ...queue(deadLetterQueueName(forwardingRuleName(config, c.accountId))) };
}

/** The investigation table asked for (Table: Name, DatabaseName, TableType, CreateTime, UpdateTime). */
function glueTable(c: AnswerCall): Record<string, unknown> {
  const created = new Date(c.now - 400 * 86_400_000);
  return { Name: c.input.TableName, DatabaseName: c.input.DatabaseName, TableType: 'EXTERNAL_TABLE', CreateTime: created, UpdateTime: created, VersionId: '1', StorageDescriptor: { Columns: [] }, Parameters: {} };
}

/** By `service:Operation` (service = the SDK client's name without "Client"). */
export const ANSWERS: Readonly<Record<string, Answer>> = {
  // --- CloudTrail. The trails asked for by ARN, logging, with their selectors:
  // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html (trailList, Trail),
  // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html (IsLogging, LatestDeliveryTime),
  // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html (TrailARN, AdvancedEventSelectors).
  'CloudTrail:DescribeTrails': (c) => {
    const asked = strings(c.input.trailNameList);
    return { trailList: (asked.length ? asked : [orgTrailArn(c.config)]).filter((a) => a.startsWith('arn:')).map((a) => trail(c, a)) };
  },
  'CloudTrail:GetTrailStatus': (c) => ({ IsLogging: true, LatestDeliveryTime: new Date(c.now - 300_000), LatestDigestDeliveryTime: new Date(c.now - 1_800_000), StartLoggingTime: new Date(c.now - 90 * 86_400_000) }),
  'CloudTrail:GetEventSelectors': (c) => ({
    TrailARN: c.input.TrailName,
    AdvancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
  }),

  // --- AWS Config, per account and Region: the baseline's recorder and channel, found by name and
  // then read for their status; its rules, then their compliance (at most 25 names a call).
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorders.html (ConfigurationRecorders: name, recordingGroup, recordingMode)
  'ConfigService:DescribeConfigurationRecorders': (c) => ({
    ConfigurationRecorders: [
      {
        name: recorderName(c.config, c.region),
        roleARN: `arn:${PARTITION}:iam::${c.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: c.region === c.config.regions.home },
        recordingMode: { recordingFrequency: c.config.awsConfig.recordingFrequency },
      },
    ],
  }),
  // https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorderStatus.html (lastStatus: Pending | Success | Failure | NotApplicable)
  'ConfigService:DescribeConfigurationRecorderStatus': (c) => ({
    ConfigurationRecordersStatus: strings(c.input.ConfigurationRecorderNames).map((name) => ({ name, recording: true, lastStatus: 'Success', lastStatusChangeTime: new Date(c.now - 600_000), lastStartTime: new Date(c.now - 90 * 86_400_000) })),
  }),
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DeliveryChannel.html (name, s3BucketName)
  'ConfigService:DescribeDeliveryChannels': (c) => ({ DeliveryChannels: [{ name: recorderName(c.config, c.region), s3BucketName: logBucketName(c.config, 'config') }] }),
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DeliveryChannelStatus.html (configHistoryDeliveryInfo, configSnapshotDeliveryInfo: ConfigExportDeliveryInfo.lastStatus Success | Failure | Not_Applicable)
  'ConfigService:DescribeDeliveryChannelStatus': (c) => ({
    DeliveryChannelsStatus: strings(c.input.DeliveryChannelNames).map((name) => ({
      name,
      configHistoryDeliveryInfo: { lastStatus: 'Success', lastSuccessfulTime: new Date(c.now - 3_600_000) },
      configSnapshotDeliveryInfo: { lastStatus: 'Success', lastSuccessfulTime: new Date(c.now - 86_400_000) },
    })),
  }),
  // https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (ConfigRuleName, Source.Owner AWS, Source.SourceIdentifier, InputParameters, ConfigRuleState)
  'ConfigService:DescribeConfigRules': (c) => ({
    ConfigRules: rulesFor(c.config, c.region).map((r) => ({
      ConfigRuleName: r.name,
      ConfigRuleArn: `arn:${PARTITION}:config:${c.region}:${c.accountId}:config-rule/config-rule-${hex(`${c.accountId}${c.region}${r.name}`, 6)}`,
      Source: { Owner: 'AWS', SourceIdentifier: r.identifier },
      ...(Object.keys(r.parameters).length ? { InputParameters: JSON.stringify(r.parameters) } : {}),
      ConfigRuleState: 'ACTIVE',
    })),
  }),
  // https://docs.aws.amazon.com/config/latest/APIReference/API_ComplianceByConfigRule.html (Compliance.ComplianceType COMPLIANT)
  'ConfigService:DescribeComplianceByConfigRule': (c) => ({
    ComplianceByConfigRules: strings(c.input.ConfigRuleNames).map((ConfigRuleName) => ({ ConfigRuleName, Compliance: { ComplianceType: 'COMPLIANT' } })),
  }),
  // The organization aggregator, then the status of its sources (one per governed Region):
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationAggregators.html,
  // https://docs.aws.amazon.com/config/latest/APIReference/API_AggregatedSourceStatus.html (SourceType ORGANIZATION, LastUpdateStatus SUCCEEDED).
  'ConfigService:DescribeConfigurationAggregators': (c) => ({
    ConfigurationAggregators: strings(c.input.ConfigurationAggregatorNames).map((ConfigurationAggregatorName) => ({
      ConfigurationAggregatorName,
      OrganizationAggregationSource: { RoleArn: `arn:${PARTITION}:iam::${c.accountId}:role/${ConfigurationAggregatorName}-aggregator`, AwsRegions: [...c.config.regions.governed] },
    })),
  }),
  'ConfigService:DescribeConfigurationAggregatorSourcesStatus': (c) => ({
    AggregatedSourceStatusList: c.config.regions.governed.map((AwsRegion) => ({ SourceId: c.config.organization.id, SourceType: 'ORGANIZATION', AwsRegion, LastUpdateStatus: 'SUCCEEDED', LastUpdateTime: new Date(c.now - 3_600_000) })),
  }),

  // --- Security Hub standards, per account and Region: the two the baseline enables, one page each
  // (moto answers the same two in two pages; GetEnabledStandards pages with NextToken):
  // https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetEnabledStandards.html,
  // https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_StandardsSubscription.html (StandardsStatus READY).
  'SecurityHub:GetEnabledStandards': (c) => {
    const standard = (path: string) => ({
      StandardsSubscriptionArn: `arn:${PARTITION}:securityhub:${c.region}:${c.accountId}:subscription/${path}`,
      StandardsArn: path.startsWith('aws-') ? `arn:${PARTITION}:securityhub:${c.region}::standards/${path}` : `arn:${PARTITION}:securityhub:::ruleset/${path}`,
      StandardsInput: {},
      StandardsStatus: 'READY',
    });
    return c.input.NextToken === undefined
      ? { StandardsSubscriptions: [standard('aws-foundational-security-best-practices/v/1.0.0')], NextToken: '1' }
      : { StandardsSubscriptions: [standard('cis-aws-foundations-benchmark/v/1.4.0')] };
  },

  // --- The alarm route (evidence/checks/alerting.ts): each rule targets what the baseline wires it to,
  // with its dead-letter queue, which is then listed and read.
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html (Name, Arn, State, EventBusName),
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html (Id, Arn, RoleArn, DeadLetterConfig.Arn).
  'EventBridge:DescribeRule': (c) => {
    const bus = typeof c.input.EventBusName === 'string' ? c.input.EventBusName : undefined;
    return {
      Name: c.input.Name,
      Arn: `arn:${PARTITION}:events:${c.region}:${c.accountId}:rule/${bus && bus !== 'default' ? `${bus}/` : ''}${String(c.input.Name)}`,
      State: 'ENABLED',
      EventBusName: bus ?? 'default',
    };
  },
  'EventBridge:ListTargetsByRule': (c) => ({ Targets: [ruleTarget(c, String(c.input.Rule))] }),
  'EventBridge:DescribeEventBus': (c) => ({ Name: alarmEventBusName(c.config), Arn: alarmEventBusArn(c.config) }),
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html (QueueUrls),
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
  // (ApproximateNumberOfMessages*, MessageRetentionPeriod: 1,209,600 s at most).
  'SQS:ListQueues': (c) => ({ QueueUrls: typeof c.input.QueueNamePrefix === 'string' ? [`https://sqs.${c.region}.amazonaws.com/${c.accountId}/${c.input.QueueNamePrefix}`] : [] }),
  'SQS:GetQueueAttributes': () => ({
    Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0', MessageRetentionPeriod: '1209600' },
  }),
  // The central topic and its subscribers, each confirmed (SubscriptionArn an ARN, not "PendingConfirmation"):
  // https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html,
  // https://docs.aws.amazon.com/sns/latest/api/API_GetSubscriptionAttributes.html.
  'SNS:GetTopicAttributes': (c) => ({ Attributes: { TopicArn: String(c.input.TopicArn), Owner: c.accountId } }),
  'SNS:ListSubscriptionsByTopic': (c) => ({
    Subscriptions: c.config.alerts.subscriptions.map((s, i) => ({ SubscriptionArn: `${String(c.input.TopicArn)}:${uuid(`${s.protocol}${s.endpoint}${i}`)}`, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: c.input.TopicArn, Owner: c.accountId })),
  }),
  'SNS:GetSubscriptionAttributes': (c) => ({ Attributes: { SubscriptionArn: String(c.input.SubscriptionArn), RawMessageDelivery: 'false', PendingConfirmation: 'false' } }),

  // --- KMS: the alias resolves to an enabled key, which rotates.
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html (Arn, KeyId, KeyState Enabled),
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html (KeyRotationEnabled).
  'KMS:DescribeKey': (c) => {
    const KeyId = uuid(`${c.accountId}${c.region}${String(c.input.KeyId)}`);
    return { KeyMetadata: { KeyId, Arn: `arn:${PARTITION}:kms:${c.region}:${c.accountId}:key/${KeyId}`, KeyState: 'Enabled', Enabled: true, KeyManager: 'CUSTOMER' } };
  },
  'KMS:GetKeyRotationStatus': (c) => ({ KeyId: c.input.KeyId, KeyRotationEnabled: true, RotationPeriodInDays: 365 }),

  // --- CloudWatch Logs: the log group asked for by prefix exists (its own events are then read):
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html (logGroupName, arn, retentionInDays, kmsKeyId).
  'CloudWatchLogs:DescribeLogGroups': (c) => {
    const name = c.input.logGroupNamePrefix;
    if (typeof name !== 'string') return { logGroups: [] };
    return {
      logGroups: [
        {
          logGroupName: name,
          arn: `arn:${PARTITION}:logs:${c.region}:${c.accountId}:log-group:${name}:*`,
          retentionInDays: name === alarmHistoryLogGroupName(c.config) ? 400 : c.config.retention.cloudWatchLogsDays,
          kmsKeyId: `arn:${PARTITION}:kms:${c.region}:${c.accountId}:key/${uuid(name)}`,
        },
      ],
    };
  },
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html (events, searchedLogStreams)
  'CloudWatchLogs:FilterLogEvents': () => ({ events: [], searchedLogStreams: [] }),

  // --- GuardDuty administrator: its members, 50 a page (so the pages grow with the organization).
  // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListMembers.html (Members: AccountId, RelationshipStatus Enabled; NextToken),
  // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListMalwareProtectionPlans.html,
  // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetMalwareProtectionPlan.html.
  'GuardDuty:ListMembers': (c) => {
    const { page, next } = pageOf(members(c), c.input.NextToken, GUARDDUTY_MEMBERS_PAGE);
    return { Members: page.map((AccountId) => ({ AccountId, DetectorId: hex(AccountId, 32), MasterId: c.accountId, AdministratorId: c.accountId, RelationshipStatus: 'Enabled', Email: `${AccountId}@example.com`, UpdatedAt: new Date(c.now).toISOString() })), ...(next ? { NextToken: next } : {}) };
  },
  'GuardDuty:ListMalwareProtectionPlans': (c) => ({ MalwareProtectionPlans: [{ MalwareProtectionPlanId: hex(`${c.accountId}${c.region}plan`, 20) }] }),
  'GuardDuty:GetMalwareProtectionPlan': (c) => ({
    Arn: `arn:${PARTITION}:guardduty:${c.region}:${c.accountId}:malware-protection-plan/${String(c.input.MalwareProtectionPlanId)}`,
    Role: `arn:${PARTITION}:iam::${c.accountId}:role/${c.config.organization.namePrefix}-malware-protection`,
    Status: 'ACTIVE',
    Actions: { Tagging: { Status: 'ENABLED' } },
    ProtectedResource: { S3Bucket: {} },
  }),

  // --- Macie administrator: enabled, its members, the findings of the window, then their details.
  // https://docs.aws.amazon.com/macie/latest/APIReference/macie.html (GetMacieSession status ENABLED),
  // https://docs.aws.amazon.com/macie/latest/APIReference/admin-configuration.html (DescribeOrganizationConfiguration autoEnable),
  // https://docs.aws.amazon.com/macie/latest/APIReference/members.html (ListMembers: members[].accountId, relationshipStatus Enabled; nextToken),
  // https://docs.aws.amazon.com/macie/latest/APIReference/findings.html (ListFindings findingIds), findings-describe.html (GetFindings findings).
  'Macie2:GetMacieSession': (c) => ({ status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES', serviceRole: `arn:${PARTITION}:iam::${c.accountId}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie` }),
  'Macie2:DescribeOrganizationConfiguration': () => ({ autoEnable: true, maxAccountLimitReached: false }),
  'Macie2:ListMembers': (c) => {
    const { page, next } = pageOf(members(c), c.input.nextToken, MACIE_MEMBERS_PAGE);
    return { members: page.map((accountId) => ({ accountId, administratorAccountId: c.accountId, relationshipStatus: 'Enabled' })), ...(next ? { nextToken: next } : {}) };
  },
  'Macie2:ListFindings': (c) => ({ findingIds: [hex(`${c.accountId}${c.region}macie`, 32)] }),
  'Macie2:GetFindings': (c) => ({
    findings: strings(c.input.findingIds).map((id) => ({ id, accountId: c.accountId, region: c.region, type: 'Policy:IAMUser/S3BucketEncryptionDisabled', severity: { description: 'Low', score: 1 }, createdAt: new Date(c.now - 86_400_000), archived: false })),
  }),
  // https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html (ListClassificationJobs items: name, jobStatus, bucketDefinitions)
  'Macie2:ListClassificationJobs': (c) => {
    const filter = (c.input.filterCriteria as { includes?: { values?: string[] }[] } | undefined)?.includes?.[0]?.values?.[0];
    const jobs = c.config.securityServices.macie.classificationJobs.filter((j) => j.region === c.region);
    return {
      items: filter
        ? [{ name: filter, jobId: hex(filter, 32), jobStatus: 'RUNNING', jobType: 'SCHEDULED', bucketDefinitions: jobs.map((j) => ({ accountId: j.accountId, buckets: [...j.buckets] })) }]
        : [],
    };
  },

  // --- Access Analyzer: the organization analyzer, its archive rules and findings; the unused-access
  // analyzer, then its archive rules and findings.
  // https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListAnalyzers.html (analyzers: name, arn, type, status ACTIVE),
  // https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_GetAnalyzer.html,
  // https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_UnusedAccessConfiguration.html (unusedAccessAge),
  // https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListArchiveRules.html,
  // https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindings.html, API_ListFindingsV2.html.
  'AccessAnalyzer:ListAnalyzers': (c) => {
    const name = `${c.config.organization.namePrefix}-organization`;
    return { analyzers: [{ name, arn: `arn:${PARTITION}:access-analyzer:${c.region}:${c.accountId}:analyzer/${name}`, type: 'ORGANIZATION', status: 'ACTIVE', createdAt: new Date(c.now - 90 * 86_400_000) }] };
  },
  'AccessAnalyzer:GetAnalyzer': (c) => {
    const name = unusedAccessAnalyzerName(c.config);
    return {
      analyzer: {
        name,
        arn: `arn:${PARTITION}:access-analyzer:${c.region}:${c.accountId}:analyzer/${name}`,
        type: 'ORGANIZATION_UNUSED_ACCESS',
        status: 'ACTIVE',
        createdAt: new Date(c.now - 90 * 86_400_000),
        configuration: { unusedAccess: { unusedAccessAge: c.config.securityServices.accessAnalyzer.unusedAccess.unusedAccessAgeDays } },
      },
    };
  },
  'AccessAnalyzer:ListArchiveRules': () => ({ archiveRules: [] }),
  'AccessAnalyzer:ListFindings': () => ({ findings: [] }),
  'AccessAnalyzer:ListFindingsV2': () => ({ findings: [] }),

  // --- Centralized root access: IAM's trusted access is on, then IAM's features are read.
  // https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAWSServiceAccessForOrganization.html (EnabledServicePrincipals[].ServicePrincipal),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html (OrganizationId, EnabledFeatures RootCredentialsManagement | RootSessions).
  'Organizations:ListAWSServiceAccessForOrganization': (c) => ({
    EnabledServicePrincipals: ['access-analyzer.amazonaws.com', 'cloudtrail.amazonaws.com', 'config.amazonaws.com', 'guardduty.amazonaws.com', IAM_SERVICE_PRINCIPAL, 'macie.amazonaws.com', 'securityhub.amazonaws.com'].map((ServicePrincipal) => ({ ServicePrincipal, DateEnabled: new Date(c.now - 400 * 86_400_000) })),
  }),
  'IAM:ListOrganizationsFeatures': (c) => ({ OrganizationId: c.config.organization.id, EnabledFeatures: ['RootCredentialsManagement', 'RootSessions'] }),

  // --- Glue: the investigation tables exist (and are then read for their versions, one each here).
  // https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-tables.html (GetTable: Table; GetTableVersions: TableVersions[].VersionId, Table).
  'Glue:GetTable': (c) => ({ Table: glueTable(c) }),
  'Glue:GetTableVersions': (c) => ({ TableVersions: [{ VersionId: '1', Table: glueTable(c) }] }),
};

/** The answer to `service:Operation`, or undefined when the table has none (or the simulation has no config). */
export function answerFor(op: string, call: Omit<AnswerCall, 'config'> & { readonly config?: BaselineConfig }): Record<string, unknown> | undefined {
  if (!call.config || !Object.hasOwn(ANSWERS, op)) return undefined;
  return ANSWERS[op]({ ...call, config: call.config });
}

