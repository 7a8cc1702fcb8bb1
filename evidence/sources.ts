/**
 * The API reference pages of the response fields the judgements read. Each item of the binder lists
 * the pages its judgement relies on, so an auditor can check what a field means.
 */
const CT = 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference';
const S3 = 'https://docs.aws.amazon.com/AmazonS3/latest/API';
const CFG = 'https://docs.aws.amazon.com/config/latest/APIReference';
const EC2 = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference';
const LOGS = 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference';
const CW = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference';
const GD = 'https://docs.aws.amazon.com/guardduty/latest/APIReference';
const SH = 'https://docs.aws.amazon.com/securityhub/1.0/APIReference';
const MACIE = 'https://docs.aws.amazon.com/macie/latest/APIReference';
const AA = 'https://docs.aws.amazon.com/access-analyzer/latest/APIReference';
const ORG = 'https://docs.aws.amazon.com/organizations/latest/APIReference';
const KMS = 'https://docs.aws.amazon.com/kms/latest/APIReference';
const SNS = 'https://docs.aws.amazon.com/sns/latest/api';
const SQS = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference';
const EVENTS = 'https://docs.aws.amazon.com/eventbridge/latest/APIReference';
const S3CONTROL = 'https://docs.aws.amazon.com/AmazonS3/latest/API';
const ATHENA = 'https://docs.aws.amazon.com/athena/latest/APIReference';
const GLUE = 'https://docs.aws.amazon.com/glue/latest/webapi';

export const DOC = {
  cloudTrail: {
    /** Trail: IsOrganizationTrail, IsMultiRegionTrail, LogFileValidationEnabled, KmsKeyId, CloudWatchLogsLogGroupArn, S3BucketName. */
    trail: `${CT}/API_Trail.html`,
    describeTrails: `${CT}/API_DescribeTrails.html`,
    /** IsLogging, LatestDeliveryTime/Error, LatestDigestDeliveryTime/Error, LatestCloudWatchLogsDeliveryTime/Error. */
    getTrailStatus: `${CT}/API_GetTrailStatus.html`,
    getEventSelectors: `${CT}/API_GetEventSelectors.html`,
    /** FieldSelectors: Field, Equals, StartsWith. */
    advancedEventSelector: `${CT}/API_AdvancedEventSelector.html`,
    listPublicKeys: `${CT}/API_ListPublicKeys.html`,
    digestStructure: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html',
    customValidation: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html',
    validationCli: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-cli.html',
    /** Network activity events: eventCategory NetworkActivity, eventSource and errorCode (VpceAccessDenied), Equals only. */
    networkActivityEvents: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html',
  },
  s3: {
    /** Status: Enabled | Suspended (absent: never enabled). */
    getBucketVersioning: `${S3}/API_GetBucketVersioning.html`,
    /** ObjectLockConfiguration.ObjectLockEnabled, Rule.DefaultRetention.Mode/Days/Years. */
    getObjectLockConfiguration: `${S3}/API_GetObjectLockConfiguration.html`,
    /** PublicAccessBlockConfiguration: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets. */
    getPublicAccessBlock: `${S3}/API_GetPublicAccessBlock.html`,
    getBucketPolicy: `${S3}/API_GetBucketPolicy.html`,
    /** ServerSideEncryptionConfiguration.Rules[].ApplyServerSideEncryptionByDefault.SSEAlgorithm, KMSMasterKeyID. */
    getBucketEncryption: `${S3}/API_GetBucketEncryption.html`,
    /** LoggingEnabled.TargetBucket, TargetPrefix. */
    getBucketLogging: `${S3}/API_GetBucketLogging.html`,
    /** Rules[].Status, Expiration.Days. */
    getBucketLifecycleConfiguration: `${S3}/API_GetBucketLifecycleConfiguration.html`,
    listObjectsV2: `${S3}/API_ListObjectsV2.html`,
    /** Metadata (x-amz-meta-*): the digest file's signature. */
    getObject: `${S3}/API_GetObject.html`,
    /** Versions[] and DeleteMarkers[] (Key, VersionId, IsLatest); IsTruncated, NextKeyMarker, NextVersionIdMarker. */
    listObjectVersions: `${S3}/API_ListObjectVersions.html`,
    /** A locked version can be neither deleted nor overwritten; versioning cannot be suspended on an Object Lock bucket. */
    objectLock: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html',
  },
  config: {
    /** ConfigurationRecorder.name, recordingGroup.allSupported, includeGlobalResourceTypes. */
    describeConfigurationRecorders: `${CFG}/API_DescribeConfigurationRecorders.html`,
    /** ConfigurationRecorderStatus.recording, lastStatus. */
    describeConfigurationRecorderStatus: `${CFG}/API_DescribeConfigurationRecorderStatus.html`,
    /** DeliveryChannel.name, s3BucketName. */
    describeDeliveryChannels: `${CFG}/API_DescribeDeliveryChannels.html`,
    /** DeliveryChannelStatus.configHistoryDeliveryInfo/configSnapshotDeliveryInfo.lastStatus. */
    describeDeliveryChannelStatus: `${CFG}/API_DescribeDeliveryChannelStatus.html`,
    describeConfigRules: `${CFG}/API_DescribeConfigRules.html`,
    /** ComplianceByConfigRule.Compliance.ComplianceType, ComplianceContributorCount. */
    describeComplianceByConfigRule: `${CFG}/API_DescribeComplianceByConfigRule.html`,
    /** OrganizationAggregationSource.AwsRegions, AllAwsRegions. */
    describeConfigurationAggregators: `${CFG}/API_DescribeConfigurationAggregators.html`,
    /** AggregatedSourceStatus.LastUpdateStatus. */
    describeConfigurationAggregatorSourcesStatus: `${CFG}/API_DescribeConfigurationAggregatorSourcesStatus.html`,
    getAggregateComplianceDetailsByConfigRule: `${CFG}/API_GetAggregateComplianceDetailsByConfigRule.html`,
    /** AggregateComplianceByConfigRules (ConfigRuleName, Compliance, AccountId, AwsRegion), Filters.ComplianceType, Limit at most 1000, NextToken. */
    describeAggregateComplianceByConfigRules: `${CFG}/API_DescribeAggregateComplianceByConfigRules.html`,
    /** AccountId, AwsRegion, Compliance (ComplianceType, ComplianceContributorCount), ConfigRuleName. */
    aggregateComplianceByConfigRule: `${CFG}/API_AggregateComplianceByConfigRule.html`,
    /** AggregateEvaluationResult: EvaluationResultIdentifier, ComplianceType, ResultRecordedTime, ConfigRuleInvokedTime, AccountId, AwsRegion. */
    aggregateEvaluationResult: `${CFG}/API_AggregateEvaluationResult.html`,
    /** Results: JSON strings of the selected configuration item fields. */
    selectAggregateResourceConfig: `${CFG}/API_SelectAggregateResourceConfig.html`,
    /** EvaluationResults[] of one resource (ResourceType, ResourceId), every rule's, paginated by NextToken. */
    getComplianceDetailsByResource: `${CFG}/API_GetComplianceDetailsByResource.html`,
    /** EvaluationResult: EvaluationResultIdentifier.EvaluationResultQualifier (ConfigRuleName, ResourceType, ResourceId), ComplianceType, ResultRecordedTime. */
    evaluationResult: `${CFG}/API_EvaluationResult.html`,
  },
  ec2: {
    describeVpcs: `${EC2}/API_DescribeVpcs.html`,
    describeFlowLogs: `${EC2}/API_DescribeFlowLogs.html`,
    /** FlowLog: ResourceId, TrafficType, FlowLogStatus, DeliverLogsStatus, LogDestinationType, LogDestination. */
    flowLog: `${EC2}/API_FlowLog.html`,
  },
  logs: {
    /** MetricFilter: filterName, filterPattern, logGroupName, metricTransformations. */
    describeMetricFilters: `${LOGS}/API_DescribeMetricFilters.html`,
    describeLogGroups: `${LOGS}/API_DescribeLogGroups.html`,
    /** LogGroup: creationTime, retentionInDays, kmsKeyId. */
    logGroup: `${LOGS}/API_LogGroup.html`,
    /** startTime, endTime, filterPattern, nextToken; events[] of FilteredLogEvent (timestamp, message). */
    filterLogEvents: `${LOGS}/API_FilterLogEvents.html`,
    /** queryDefinitionNamePrefix, nextToken; queryDefinitions[] of QueryDefinition. */
    describeQueryDefinitions: `${LOGS}/API_DescribeQueryDefinitions.html`,
    /** QueryDefinition: queryDefinitionId, name, queryString, logGroupNames, lastModified. */
    queryDefinition: `${LOGS}/API_QueryDefinition.html`,
  },
  cloudWatch: {
    describeAlarms: `${CW}/API_DescribeAlarms.html`,
    /** MetricAlarm: ActionsEnabled, AlarmActions, MetricName, Namespace, Threshold, ComparisonOperator, Metrics. */
    metricAlarm: `${CW}/API_MetricAlarm.html`,
    describeAlarmHistory: `${CW}/API_DescribeAlarmHistory.html`,
    /** AlarmName, Timestamp, HistoryItemType (StateUpdate | Action | ConfigurationUpdate), HistorySummary, HistoryData (JSON). */
    alarmHistoryItem: `${CW}/API_AlarmHistoryItem.html`,
    /** The "CloudWatch Alarm State Change" event: detail.alarmName, detail.state and detail.previousState (value, reason, timestamp). */
    alarmEvents: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html',
  },
  guardDuty: {
    listDetectors: `${GD}/API_ListDetectors.html`,
    /** Status: ENABLED | DISABLED. */
    getDetector: `${GD}/API_GetDetector.html`,
    /** AutoEnableOrganizationMembers: NEW | ALL | NONE. */
    describeOrganizationConfiguration: `${GD}/API_DescribeOrganizationConfiguration.html`,
    /** Member.AccountId, RelationshipStatus. */
    listMembers: `${GD}/API_ListMembers.html`,
    listFindings: `${GD}/API_ListFindings.html`,
    /** Finding.Severity, Type, AccountId, UpdatedAt. */
    getFindings: `${GD}/API_GetFindings.html`,
    listMalwareProtectionPlans: `${GD}/API_ListMalwareProtectionPlans.html`,
    /** ProtectedResource.S3Bucket.BucketName, Role, Actions.Tagging.Status, Status (ACTIVE | WARNING | ERROR), StatusReasons. */
    getMalwareProtectionPlan: `${GD}/API_GetMalwareProtectionPlan.html`,
  },
  securityHub: {
    describeHub: `${SH}/API_DescribeHub.html`,
    /** OrganizationConfiguration.ConfigurationType (CENTRAL | LOCAL), Status. */
    describeOrganizationConfiguration: `${SH}/API_DescribeOrganizationConfiguration.html`,
    /** Member.AccountId, MemberStatus. */
    listMembers: `${SH}/API_ListMembers.html`,
    /** StandardsSubscription.StandardsArn, StandardsStatus (READY...). */
    getEnabledStandards: `${SH}/API_GetEnabledStandards.html`,
    getFindings: `${SH}/API_GetFindings.html`,
    /** AwsSecurityFinding.Compliance.Status, SecurityControlId, AssociatedStandards. */
    compliance: `${SH}/API_Compliance.html`,
    /** AwsSecurityFindingFilters: CreatedAt (DateFilter Start/End), ProductName, SeverityLabel. */
    findingFilters: `${SH}/API_AwsSecurityFindingFilters.html`,
    /** AwsSecurityFinding: Id, ProductArn, ProductName, CreatedAt, Severity.Label, Workflow.Status. */
    finding: `${SH}/API_AwsSecurityFinding.html`,
    /** Workflow.Status: NEW | NOTIFIED | RESOLVED | SUPPRESSED. */
    workflow: `${SH}/API_Workflow.html`,
    getFindingHistory: `${SH}/API_GetFindingHistory.html`,
    /** FindingHistoryRecord: UpdateTime, FindingCreated, UpdateSource, Updates[] (UpdatedField, OldValue, NewValue). */
    findingHistoryRecord: `${SH}/API_FindingHistoryRecord.html`,
  },
  macie: {
    /** GetMacieSession: status ENABLED | PAUSED. */
    session: `${MACIE}/macie.html`,
    /** DescribeOrganizationConfiguration: autoEnable. */
    organizationConfiguration: `${MACIE}/admin-configuration.html`,
    /** ListMembers: members[].accountId, relationshipStatus. */
    members: `${MACIE}/members.html`,
    /** ListClassificationJobs: items[].name, jobStatus, bucketDefinitions. */
    jobs: `${MACIE}/jobs.html`,
    listFindings: `${MACIE}/findings.html`,
    /** GetFindings: findings[].severity.description, type, accountId. */
    getFindings: `${MACIE}/findings-describe.html`,
  },
  accessAnalyzer: {
    /** AnalyzerSummary.name, type, status. */
    listAnalyzers: `${AA}/API_ListAnalyzers.html`,
    /** FindingSummary.status, isPublic, resourceType, updatedAt. */
    listFindings: `${AA}/API_ListFindings.html`,
    /** ArchiveRuleSummary.ruleName, filter: a rule archives every new and existing finding it matches. */
    listArchiveRules: `${AA}/API_ListArchiveRules.html`,
    /** AnalyzerSummary.type, status, configuration.unusedAccess (unusedAccessAge, analysisRule.exclusions). */
    getAnalyzer: `${AA}/API_GetAnalyzer.html`,
    /** FindingSummaryV2.resourceOwnerAccount, findingType, resource, status, createdAt (unused access analyzers). */
    listFindingsV2: `${AA}/API_ListFindingsV2.html`,
  },
  kms: {
    /** KeyMetadata.Arn, KeyId, KeyState; KeyId may be an alias name or alias ARN. */
    describeKey: `${KMS}/API_DescribeKey.html`,
    /** KeyRotationEnabled, RotationPeriodInDays. */
    getKeyRotationStatus: `${KMS}/API_GetKeyRotationStatus.html`,
    /** Policy (the key policy document, JSON), PolicyName (only `default`); not usable across accounts. */
    getKeyPolicy: `${KMS}/API_GetKeyPolicy.html`,
  },
  sns: {
    /** Attributes: SubscriptionsConfirmed, SubscriptionsPending, KmsMasterKeyId. */
    getTopicAttributes: `${SNS}/API_GetTopicAttributes.html`,
    /** Subscription.SubscriptionArn ("PendingConfirmation" until confirmed), Protocol, Endpoint. */
    listSubscriptionsByTopic: `${SNS}/API_ListSubscriptionsByTopic.html`,
    /** Attributes.FilterPolicy: a subscription receives only the messages its filter policy matches. */
    getSubscriptionAttributes: `${SNS}/API_GetSubscriptionAttributes.html`,
  },
  sqs: {
    /** QueueUrls of the queues whose name starts with QueueNamePrefix. */
    listQueues: `${SQS}/API_ListQueues.html`,
    /** Attributes: ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible, ApproximateNumberOfMessagesDelayed. */
    getQueueAttributes: `${SQS}/API_GetQueueAttributes.html`,
  },
  events: {
    /** Name, Arn: the bus exists. */
    describeEventBus: `${EVENTS}/API_DescribeEventBus.html`,
    /** State: ENABLED | DISABLED | ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; EventPattern. */
    describeRule: `${EVENTS}/API_DescribeRule.html`,
    /** Targets[].Arn, DeadLetterConfig.Arn. */
    listTargetsByRule: `${EVENTS}/API_ListTargetsByRule.html`,
  },
  s3control: {
    /** PublicAccessBlockConfiguration of the account: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets. */
    getPublicAccessBlock: `${S3CONTROL}/API_control_GetPublicAccessBlock.html`,
  },
  athena: {
    /** WorkGroup: Name, State (ENABLED | DISABLED), Configuration. */
    getWorkGroup: `${ATHENA}/API_GetWorkGroup.html`,
    /** EnforceWorkGroupConfiguration, BytesScannedCutoffPerQuery (minimum 10000000), EngineVersion, ResultConfiguration. */
    workGroupConfiguration: `${ATHENA}/API_WorkGroupConfiguration.html`,
    /** OutputLocation, ExpectedBucketOwner, EncryptionConfiguration. */
    resultConfiguration: `${ATHENA}/API_ResultConfiguration.html`,
    /** EncryptionOption (SSE_S3 | SSE_KMS | CSE_KMS), KmsKey. */
    encryptionConfiguration: `${ATHENA}/API_EncryptionConfiguration.html`,
    /** SelectedEngineVersion, EffectiveEngineVersion. */
    engineVersion: `${ATHENA}/API_EngineVersion.html`,
    /** NamedQueryIds of a WorkGroup, NextToken. */
    listNamedQueries: `${ATHENA}/API_ListNamedQueries.html`,
    /** NamedQueries (up to 50 ids a call), UnprocessedNamedQueryIds. */
    batchGetNamedQuery: `${ATHENA}/API_BatchGetNamedQuery.html`,
    /** NamedQuery: Name, Database, QueryString, WorkGroup, NamedQueryId. */
    namedQuery: `${ATHENA}/API_NamedQuery.html`,
  },
  glue: {
    /** Table (EntityNotFoundException when there is none). */
    getTable: `${GLUE}/API_GetTable.html`,
    /** Table: Name, DatabaseName, TableType, ViewOriginalText, ViewExpandedText, TargetTable, PartitionKeys, Parameters (the partition projection properties), StorageDescriptor, CreateTime, UpdateTime. */
    table: `${GLUE}/API_Table.html`,
    /** StorageDescriptor: Location, Columns, InputFormat, OutputFormat, SerdeInfo. */
    storageDescriptor: `${GLUE}/API_StorageDescriptor.html`,
    /** SerDeInfo: SerializationLibrary, Parameters. */
    serDeInfo: `${GLUE}/API_SerDeInfo.html`,
    /** Column: Name, Type. */
    column: `${GLUE}/API_Column.html`,
    /** TableVersions[] (MaxResults 1-100), NextToken. */
    getTableVersions: `${GLUE}/API_GetTableVersions.html`,
    /** TableVersion: Table, VersionId ("incremented by 1"). */
    tableVersion: `${GLUE}/API_TableVersion.html`,
    /** SkipArchive: an update that makes no version (the table's UpdateTime still moves). */
    updateTable: `${GLUE}/API_UpdateTable.html`,
    /** DeleteTable: "you no longer have access to the table versions ... that belong to the deleted table". */
    deleteTable: `${GLUE}/API_DeleteTable.html`,
  },
  organizations: {
    /** Account.Id, Status / State. */
    listAccounts: `${ORG}/API_ListAccounts.html`,
  },
} as const;
