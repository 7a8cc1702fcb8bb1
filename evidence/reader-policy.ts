/**
 * The evidence reader role (`--role-name`, default DEFAULT_EVIDENCE_ROLE_NAME): a template of its
 * permissions and trust policies, built from the AWS API calls the collector makes. Every SDK command
 * imported under evidence/ is listed in COLLECTOR_CALLS with the IAM action that authorizes it and the
 * identity that calls it; __tests__/evidence/reader-policy.test.ts fails when the collector imports a
 * command that is not listed, so the template always grants every call.
 *
 * IAM actions are the command's name under the service's prefix, except where the Service
 * Authorization Reference maps the operation to another action (S3 and S3 Control below; the S3 table
 * "API operations defined by Amazon S3" maps each operation to its actions:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
import { DEFAULT_EVIDENCE_ROLE_NAME } from './options';

/** Who makes a call: the reader role in each account, the log reader role, or the caller's own credentials. */
export type CallIdentity = 'reader-role' | 'log-reader-role' | 'caller';

export interface CollectorCall {
  /** The IAM action that authorizes it; none for a call that needs no permission. */
  readonly action?: string;
  readonly identity: CallIdentity;
}

/** Every SDK command the collector sends, as `<client package>:<CommandName>`. */
export const COLLECTOR_CALLS: Readonly<Record<string, CollectorCall>> = {
  'client-accessanalyzer:ListAnalyzersCommand': { action: 'access-analyzer:ListAnalyzers', identity: 'reader-role' },
  'client-accessanalyzer:ListArchiveRulesCommand': { action: 'access-analyzer:ListArchiveRules', identity: 'reader-role' },
  'client-accessanalyzer:ListFindingsCommand': { action: 'access-analyzer:ListFindings', identity: 'reader-role' },
  'client-accessanalyzer:GetAnalyzerCommand': { action: 'access-analyzer:GetAnalyzer', identity: 'reader-role' },
  // "ListFindings and ListFindingsV2 both use access-analyzer:ListFindings in the Action element of an
  // IAM policy statement" (https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindingsV2.html).
  'client-accessanalyzer:ListFindingsV2Command': { action: 'access-analyzer:ListFindings', identity: 'reader-role' },
  // The investigations' workgroup and named queries, audit account (evidence/checks/investigations.ts).
  'client-athena:BatchGetNamedQueryCommand': { action: 'athena:BatchGetNamedQuery', identity: 'reader-role' },
  // The investigation sample's execution, audit account (evidence/checks/period-investigation.ts):
  // athena:GetQueryExecution (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html).
  'client-athena:GetQueryExecutionCommand': { action: 'athena:GetQueryExecution', identity: 'reader-role' },
  // Its rows counted (QueryRuntimeStatistics.Rows.OutputRows), no S3 or KMS access needed: athena:GetQueryRuntimeStatistics.
  'client-athena:GetQueryRuntimeStatisticsCommand': { action: 'athena:GetQueryRuntimeStatistics', identity: 'reader-role' },
  'client-athena:GetWorkGroupCommand': { action: 'athena:GetWorkGroup', identity: 'reader-role' },
  'client-athena:ListNamedQueriesCommand': { action: 'athena:ListNamedQueries', identity: 'reader-role' },
  'client-cloudtrail:DescribeTrailsCommand': { action: 'cloudtrail:DescribeTrails', identity: 'reader-role' },
  'client-cloudtrail:GetEventSelectorsCommand': { action: 'cloudtrail:GetEventSelectors', identity: 'reader-role' },
  'client-cloudtrail:GetTrailStatusCommand': { action: 'cloudtrail:GetTrailStatus', identity: 'reader-role' },
  'client-cloudtrail:ListPublicKeysCommand': { action: 'cloudtrail:ListPublicKeys', identity: 'reader-role' },
  'client-cloudwatch:DescribeAlarmHistoryCommand': { action: 'cloudwatch:DescribeAlarmHistory', identity: 'reader-role' },
  'client-cloudwatch:DescribeAlarmsCommand': { action: 'cloudwatch:DescribeAlarms', identity: 'reader-role' },
  'client-cloudwatch-logs:DescribeLogGroupsCommand': { action: 'logs:DescribeLogGroups', identity: 'reader-role' },
  'client-cloudwatch-logs:DescribeMetricFiltersCommand': { action: 'logs:DescribeMetricFilters', identity: 'reader-role' },
  // The investigations' Logs Insights saved queries, management account (evidence/checks/investigations.ts).
  'client-cloudwatch-logs:DescribeQueryDefinitionsCommand': { action: 'logs:DescribeQueryDefinitions', identity: 'reader-role' },
  // The alarm history record (audit account): FilterLogEvents, resource type log-group
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
  'client-cloudwatch-logs:FilterLogEventsCommand': { action: 'logs:FilterLogEvents', identity: 'reader-role' },
  'client-config-service:DescribeComplianceByConfigRuleCommand': { action: 'config:DescribeComplianceByConfigRule', identity: 'reader-role' },
  'client-config-service:DescribeConfigRulesCommand': { action: 'config:DescribeConfigRules', identity: 'reader-role' },
  'client-config-service:DescribeConfigurationAggregatorSourcesStatusCommand': { action: 'config:DescribeConfigurationAggregatorSourcesStatus', identity: 'reader-role' },
  'client-config-service:DescribeConfigurationAggregatorsCommand': { action: 'config:DescribeConfigurationAggregators', identity: 'reader-role' },
  'client-config-service:DescribeConfigurationRecorderStatusCommand': { action: 'config:DescribeConfigurationRecorderStatus', identity: 'reader-role' },
  'client-config-service:DescribeConfigurationRecordersCommand': { action: 'config:DescribeConfigurationRecorders', identity: 'reader-role' },
  'client-config-service:DescribeDeliveryChannelStatusCommand': { action: 'config:DescribeDeliveryChannelStatus', identity: 'reader-role' },
  'client-config-service:DescribeDeliveryChannelsCommand': { action: 'config:DescribeDeliveryChannels', identity: 'reader-role' },
  // The sensitive buckets' s3-bucket-logging-enabled result (evidence/checks/sensitive-buckets.ts): GetComplianceDetailsByResource,
  // access level Read (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html).
  'client-config-service:GetComplianceDetailsByResourceCommand': { action: 'config:GetComplianceDetailsByResource', identity: 'reader-role' },
  'client-config-service:GetAggregateComplianceDetailsByConfigRuleCommand': { action: 'config:GetAggregateComplianceDetailsByConfigRule', identity: 'reader-role' },
  // The aggregator's NON_COMPLIANT summary, once per collection (evidence/checks/period-config.ts):
  // config:DescribeAggregateComplianceByConfigRules, access level Read, resource ConfigurationAggregator
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html).
  'client-config-service:DescribeAggregateComplianceByConfigRulesCommand': { action: 'config:DescribeAggregateComplianceByConfigRules', identity: 'reader-role' },
  'client-ec2:DescribeFlowLogsCommand': { action: 'ec2:DescribeFlowLogs', identity: 'reader-role' },
  'client-ec2:DescribeVpcsCommand': { action: 'ec2:DescribeVpcs', identity: 'reader-role' },
  'client-eventbridge:DescribeEventBusCommand': { action: 'events:DescribeEventBus', identity: 'reader-role' },
  'client-eventbridge:DescribeRuleCommand': { action: 'events:DescribeRule', identity: 'reader-role' },
  'client-eventbridge:ListTargetsByRuleCommand': { action: 'events:ListTargetsByRule', identity: 'reader-role' },
  'client-glue:GetTableCommand': { action: 'glue:GetTable', identity: 'reader-role' },
  'client-glue:GetTableVersionsCommand': { action: 'glue:GetTableVersions', identity: 'reader-role' },
  'client-guardduty:DescribeOrganizationConfigurationCommand': { action: 'guardduty:DescribeOrganizationConfiguration', identity: 'reader-role' },
  'client-guardduty:GetDetectorCommand': { action: 'guardduty:GetDetector', identity: 'reader-role' },
  'client-guardduty:GetFindingsCommand': { action: 'guardduty:GetFindings', identity: 'reader-role' },
  // Malware Protection for S3 plans, in the accounts that own sensitive buckets (evidence/checks/malware-protection.ts).
  'client-guardduty:GetMalwareProtectionPlanCommand': { action: 'guardduty:GetMalwareProtectionPlan', identity: 'reader-role' },
  'client-guardduty:ListDetectorsCommand': { action: 'guardduty:ListDetectors', identity: 'reader-role' },
  'client-guardduty:ListFindingsCommand': { action: 'guardduty:ListFindings', identity: 'reader-role' },
  'client-guardduty:ListMalwareProtectionPlansCommand': { action: 'guardduty:ListMalwareProtectionPlans', identity: 'reader-role' },
  'client-guardduty:ListMembersCommand': { action: 'guardduty:ListMembers', identity: 'reader-role' },
  // Centralized root access: only the management account (or IAM's delegated administrator) may call it
  // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html, error
  // AccountNotManagementOrDelegatedAdministrator); the collector calls it as the management account's reader role.
  'client-iam:ListOrganizationsFeaturesCommand': { action: 'iam:ListOrganizationsFeatures', identity: 'reader-role' },
  'client-kms:DescribeKeyCommand': { action: 'kms:DescribeKey', identity: 'reader-role' },
  // The configured key of a sensitive bucket, evaluated for the Malware Protection role's kms:Decrypt
  // (evidence/checks/malware-protection.ts): GetKeyPolicy, "Required permissions: kms:GetKeyPolicy (key policy)"
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html).
  'client-kms:GetKeyPolicyCommand': { action: 'kms:GetKeyPolicy', identity: 'reader-role' },
  'client-kms:GetKeyRotationStatusCommand': { action: 'kms:GetKeyRotationStatus', identity: 'reader-role' },
  'client-macie2:DescribeOrganizationConfigurationCommand': { action: 'macie2:DescribeOrganizationConfiguration', identity: 'reader-role' },
  'client-macie2:GetFindingsCommand': { action: 'macie2:GetFindings', identity: 'reader-role' },
  'client-macie2:GetMacieSessionCommand': { action: 'macie2:GetMacieSession', identity: 'reader-role' },
  'client-macie2:ListClassificationJobsCommand': { action: 'macie2:ListClassificationJobs', identity: 'reader-role' },
  'client-macie2:ListFindingsCommand': { action: 'macie2:ListFindings', identity: 'reader-role' },
  'client-macie2:ListMembersCommand': { action: 'macie2:ListMembers', identity: 'reader-role' },
  'client-organizations:DescribePolicyCommand': { action: 'organizations:DescribePolicy', identity: 'reader-role' },
  'client-organizations:ListAWSServiceAccessForOrganizationCommand': { action: 'organizations:ListAWSServiceAccessForOrganization', identity: 'reader-role' },
  'client-organizations:ListAccountsCommand': { action: 'organizations:ListAccounts', identity: 'reader-role' },
  'client-organizations:ListPoliciesForTargetCommand': { action: 'organizations:ListPoliciesForTarget', identity: 'reader-role' },
  // S3: the Service Authorization Reference's operation-to-action table (above).
  'client-s3:GetBucketEncryptionCommand': { action: 's3:GetEncryptionConfiguration', identity: 'reader-role' },
  'client-s3:GetBucketLifecycleConfigurationCommand': { action: 's3:GetLifecycleConfiguration', identity: 'reader-role' },
  'client-s3:GetBucketLoggingCommand': { action: 's3:GetBucketLogging', identity: 'reader-role' },
  'client-s3:GetBucketPolicyCommand': { action: 's3:GetBucketPolicy', identity: 'reader-role' },
  'client-s3:GetBucketVersioningCommand': { action: 's3:GetBucketVersioning', identity: 'reader-role' },
  'client-s3:GetObjectLockConfigurationCommand': { action: 's3:GetBucketObjectLockConfiguration', identity: 'reader-role' },
  'client-s3:GetPublicAccessBlockCommand': { action: 's3:GetBucketPublicAccessBlock', identity: 'reader-role' },
  // Log-file validation reads digest and log files through the log reader role (evidence/digest.ts).
  'client-s3:GetObjectCommand': { action: 's3:GetObject', identity: 'log-reader-role' },
  'client-s3:ListObjectsV2Command': { action: 's3:ListBucket', identity: 'log-reader-role' },
  // The log files' versions (evidence/digest.ts): "you must have permission to perform the
  // s3:ListBucketVersions action" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html).
  'client-s3:ListObjectVersionsCommand': { action: 's3:ListBucketVersions', identity: 'log-reader-role' },
  'client-s3-control:GetPublicAccessBlockCommand': { action: 's3:GetAccountPublicAccessBlock', identity: 'reader-role' },
  'client-securityhub:DescribeHubCommand': { action: 'securityhub:DescribeHub', identity: 'reader-role' },
  'client-securityhub:DescribeOrganizationConfigurationCommand': { action: 'securityhub:DescribeOrganizationConfiguration', identity: 'reader-role' },
  'client-securityhub:GetEnabledStandardsCommand': { action: 'securityhub:GetEnabledStandards', identity: 'reader-role' },
  'client-securityhub:GetFindingHistoryCommand': { action: 'securityhub:GetFindingHistory', identity: 'reader-role' },
  'client-securityhub:GetFindingsCommand': { action: 'securityhub:GetFindings', identity: 'reader-role' },
  'client-securityhub:ListMembersCommand': { action: 'securityhub:ListMembers', identity: 'reader-role' },
  'client-sns:GetSubscriptionAttributesCommand': { action: 'sns:GetSubscriptionAttributes', identity: 'reader-role' },
  'client-sns:GetTopicAttributesCommand': { action: 'sns:GetTopicAttributes', identity: 'reader-role' },
  'client-sns:ListSubscriptionsByTopicCommand': { action: 'sns:ListSubscriptionsByTopic', identity: 'reader-role' },
  'client-sqs:GetQueueAttributesCommand': { action: 'sqs:GetQueueAttributes', identity: 'reader-role' },
  'client-sqs:ListQueuesCommand': { action: 'sqs:ListQueues', identity: 'reader-role' },
  // The caller's own credentials assume the two roles; GetCallerIdentity needs no permission
  // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
  'client-sts:AssumeRoleCommand': { action: 'sts:AssumeRole', identity: 'caller' },
  'client-sts:GetCallerIdentityCommand': { identity: 'caller' },
};

/** The actions an identity needs, sorted. */
export function actionsOf(identity: CallIdentity): string[] {
  return [...new Set(Object.values(COLLECTOR_CALLS).filter((c) => c.identity === identity && c.action).map((c) => c.action as string))].sort();
}

/** The reader role's permissions policy: read-only, every action the collector calls through it. */
export function readerPermissionsPolicy(): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Soc2EvidenceRead', Effect: 'Allow', Action: actionsOf('reader-role'), Resource: '*' }],
  };
}

/**
 * The reader role's trust policy: the collecting principal (placeholder) may assume it, with the
 * external id when `--external-id` is used (`sts:ExternalId`:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html).
 */
export function readerTrustPolicy(): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::<COLLECTOR_ACCOUNT_ID>:role/<COLLECTOR_ROLE>' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': '<EXTERNAL_ID, or drop this Condition without --external-id>' } },
      },
    ],
  };
}

/** What `baseline evidence --print-reader-policy` prints: the role's name and both policies. */
export function readerRoleTemplate(): string {
  return `${JSON.stringify({ roleName: DEFAULT_EVIDENCE_ROLE_NAME, permissionsPolicy: readerPermissionsPolicy(), trustPolicy: readerTrustPolicy() }, null, 2)}\n`;
}
