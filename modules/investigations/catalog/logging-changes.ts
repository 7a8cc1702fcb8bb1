/**
 * Who stopped or changed logging and detection. The event names are the actions the guardrails deny on
 * the baseline's trails, recorders, detectors, findings, alarms, alert route, keys and log buckets: every
 * `denied` rule of modules/guardrails/action-classification.ts, so a denial added there is looked for
 * here. For most of these services the IAM action, the API operation and the CloudTrail event name are
 * the same word (each service's "Actions, resources, and condition keys" page lists the API operation per
 * action; CloudTrail record contents, `eventName`: "The requested action, which is one of the actions in
 * the API for that service"); S3's bucket-configuration actions are named after their API operations in
 * `S3_EVENT_NAMES`. Left out, each for a reason in `NOT_LOOKED_FOR`: what is not an API operation, what
 * CloudTrail records only as data events (the organization trail's management events do not hold them),
 * and IAM's role and policy changes, the question of `iam-and-security-group-changes`.
 *
 * Also every `notDeniable` rule's action that CloudTrail records as a management event: what the
 * guardrails cannot deny is defended by being recorded by the organization trail, and this is where it is
 * read back (delegated administrators, Organizations policies and moves, archived or triaged findings, log
 * and bus resource policies, saved queries, the Glue catalog's policy and encryption). Left out of those,
 * each in `NOT_LOOKED_FOR` with its reason: data events and permissions that are not API operations.
 *
 * Added, beyond the guardrails' denials: Organizations actions that take an account, or a service, out
 * of the organization's logging and detection (`RemoveAccountFromOrganization`, `DisableAWSServiceAccess`,
 * `DeregisterDelegatedAdministrator`: Organizations API Reference,
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html); VPC flow logs'
 * `DeleteFlowLogs` (EC2 API Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteFlowLogs.html);
 * and the S3 bucket events of CIS 4.8 (Security Hub CloudWatch.8's pattern, in
 * modules/cis-monitoring/cis-metric-filters.ts). The query has no list of the baseline's resources, so
 * it returns these events on any trail, key, bucket or topic of the organization: `target` says which.
 */
import { CIS_METRIC_FILTERS } from '../../cis-monitoring/cis-metric-filters';
import { ACTION_RULES, type ClassifiedService } from '../../guardrails/action-classification';
import { WINDOW_CONDITION, sqlStringLiteral, type Investigation, recordFields } from '../investigation';

/**
 * Each classified service's CloudTrail `eventSource`. Amazon EventBridge reference, "Events from AWS
 * services", each service's page ("... events delivered via AWS CloudTrail": `eventSource`), e.g.
 * CloudWatch: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-monitoring.html (monitoring.amazonaws.com),
 * Macie: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-macie2.html (macie2.amazonaws.com),
 * Security Hub: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-securityhub.html,
 * CloudTrail: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html,
 * IAM Access Analyzer: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-access-analyzer.html,
 * EventBridge: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-events.html.
 */
export const EVENT_SOURCES: Readonly<Record<ClassifiedService, string>> = {
  cloudtrail: 'cloudtrail.amazonaws.com',
  config: 'config.amazonaws.com',
  guardduty: 'guardduty.amazonaws.com',
  securityhub: 'securityhub.amazonaws.com',
  macie2: 'macie2.amazonaws.com',
  'access-analyzer': 'access-analyzer.amazonaws.com',
  s3: 's3.amazonaws.com',
  kms: 'kms.amazonaws.com',
  logs: 'logs.amazonaws.com',
  cloudwatch: 'monitoring.amazonaws.com',
  events: 'events.amazonaws.com',
  sns: 'sns.amazonaws.com',
  sqs: 'sqs.amazonaws.com',
  organizations: 'organizations.amazonaws.com',
  iam: 'iam.amazonaws.com',
  athena: 'athena.amazonaws.com',
  glue: 'glue.amazonaws.com',
};

/**
 * S3 actions whose API operation, and so CloudTrail event name, is another word (Amazon S3 API
 * Reference, "Actions": https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations.html; policy
 * actions to operations: https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
 */
export const S3_EVENT_NAMES: Readonly<Record<string, string>> = {
  PutLifecycleConfiguration: 'PutBucketLifecycle',
  PutEncryptionConfiguration: 'PutBucketEncryption',
  PutReplicationConfiguration: 'PutBucketReplication',
  PutBucketObjectLockConfiguration: 'PutObjectLockConfiguration',
  PutIntelligentTieringConfiguration: 'PutBucketIntelligentTieringConfiguration',
};

/** Denied and not-deniable actions this investigation does not look for, and why. */
export const NOT_LOOKED_FOR: Readonly<Record<string, string>> = {
  's3:PutObject': 'an S3 data event (as s3:DeleteObject); a written object cannot replace a log (modules/guardrails/action-classification.ts)',
  'logs:CreateLogDelivery':
    'a permission a service checks while creating its own log delivery, not an API operation (modules/guardrails/action-classification.ts); the flow log it serves is created or deleted by EC2, whose DeleteFlowLogs is looked for',
  'logs:UpdateLogDelivery': 'a permission-only action (as logs:CreateLogDelivery)',
  'logs:DeleteLogDelivery': 'a permission-only action (as logs:CreateLogDelivery)',
  'sqs:StartMessageMoveTask':
    "redrives the dead-letter queues' undelivered events after handling: it moves events toward the record queue and changes no logging or detection",
  'sqs:CancelMessageMoveTask': 'stops a redrive (as sqs:StartMessageMoveTask): the events stay in the dead-letter queue, whose retention and alarm are unchanged',
  'iam:PassRole': 'a permission checked when a role is handed to a service, not an API operation: no event of its own',
  's3:BypassGovernanceRetention': 'a permission checked on an object request with a header, not an API operation',
  's3:DeleteObject': 'an S3 data event: the organization trail records management events (and the configured data events) only',
  's3:DeleteObjectVersion': 'an S3 data event (as s3:DeleteObject)',
  's3:UpdateObjectEncryption': 'an object-level S3 request, a data event (as s3:DeleteObject)',
  'sqs:DeleteMessage': 'an SQS data event (Amazon SQS Developer Guide, "Logging Amazon SQS API calls using CloudTrail": message operations are data events)',
  'sqs:ChangeMessageVisibility': 'an SQS data event (as sqs:DeleteMessage)',
};

/** IAM's denied actions other than these are role and policy changes: `iam-and-security-group-changes` answers for them. */
const IAM_LOOKED_FOR = new Set(['DeleteServiceLinkedRole']);

/**
 * Glue's denied actions read here: the investigations database and its tables. Partitions, statistics,
 * optimizers, functions and integrations are left out: the tables project their partitions (the Glue
 * catalog's partitions are not read), and every workload's crawlers write those all day.
 */
const GLUE_LOOKED_FOR = /^(UpdateDatabase|DeleteDatabase|CreateTable|UpdateTable|DeleteTable|BatchDeleteTable|RenameTable)$/;

function lookedFor(service: ClassifiedService, action: string): boolean {
  if (NOT_LOOKED_FOR[`${service}:${action}`]) return false;
  if (service === 'iam') return IAM_LOOKED_FOR.has(action);
  if (service === 'glue') return GLUE_LOOKED_FOR.test(action);
  return true;
}

/**
 * A `notDeniable` rule's action is looked for unless `NOT_LOOKED_FOR` says why not: its only defence is
 * the record of it.
 */
function notDeniableLookedFor(service: ClassifiedService, action: string): boolean {
  return !NOT_LOOKED_FOR[`${service}:${action}`];
}

function deniedEventNames(): Map<string, string[]> {
  const bySource = new Map<string, string[]>();
  for (const rule of ACTION_RULES) {
    if (rule.class === 'harmless') continue;
    // A notDeniable rule matching by pattern names no action to look for; the catalog test refuses one.
    if (!Array.isArray(rule.match)) continue;
    for (const action of rule.match as readonly string[]) {
      if (!(rule.class === 'denied' ? lookedFor(rule.service, action) : notDeniableLookedFor(rule.service, action))) continue;
      const name = rule.service === 's3' ? S3_EVENT_NAMES[action] ?? action : action;
      const source = EVENT_SOURCES[rule.service];
      bySource.set(source, [...(bySource.get(source) ?? []), name]);
    }
  }
  return bySource;
}

const s3Filter = CIS_METRIC_FILTERS.find((f) => f.id === 's3-bucket-policy-changes');
if (!s3Filter) throw new Error('no CIS metric filter s3-bucket-policy-changes');

const ADDED: readonly (readonly [string, readonly string[]])[] = [
  ['organizations.amazonaws.com', ['RemoveAccountFromOrganization', 'DisableAWSServiceAccess', 'DeregisterDelegatedAdministrator']],
  ['ec2.amazonaws.com', ['DeleteFlowLogs']],
  ['s3.amazonaws.com', [...s3Filter.pattern.matchAll(/\$\.eventName=(\w+)/g)].map((m) => m[1])],
];

/** Event source and the event names of it that stop or change logging and detection (each name once). */
export const LOGGING_CHANGE_EVENTS: ReadonlyMap<string, readonly string[]> = (() => {
  const events = deniedEventNames();
  for (const [source, names] of ADDED) events.set(source, [...(events.get(source) ?? []), ...names]);
  return new Map([...events].map(([source, names]) => [source, [...new Set(names)].sort()] as const));
})();

const sqlCondition = () =>
  [...LOGGING_CHANGE_EVENTS]
    .map(([source, names]) => `(eventsource = ${sqlStringLiteral(source)} AND eventname IN (${names.map(sqlStringLiteral).join(', ')}))`)
    .join('\n    OR ');

const insightsCondition = () =>
  [...LOGGING_CHANGE_EVENTS]
    .map(([source, names]) => `(eventSource = "${source}" and eventName in [${names.map((n) => `"${n}"`).join(', ')}])`)
    .join('\n  or ');

/** Request parameters that name what was changed, in each service's CloudTrail records (first present wins). */
const TARGET_PARAMETERS = [
  'name',
  'trailName',
  'logGroupName',
  'bucketName',
  'configurationRecorderName',
  'detectorId',
  'keyId',
  'topicArn',
  'queueUrl',
  'analyzerName',
  'accountId',
  'servicePrincipal',
  'workGroup',
  'databaseName',
  'policyId',
  'adminAccountId',
];

export const LOGGING_CHANGES: Investigation = {
  name: 'logging-changes',
  title: 'Who stopped or changed logging and detection',
  answers:
    'Who stopped, deleted or narrowed a trail, the Config recorder, GuardDuty, Security Hub, Macie, Access Analyzer, an alarm, the alert route, a log key, flow logs, a log group or a bucket policy or lifecycle, took an account or a service out of the organization, changed its policies, delegated administrators or structure, or archived or triaged findings, and was it refused?',
  parameters: [],
  sql: (c) => `SELECT eventtime, account, region, eventsource, eventname, useridentity.arn AS principal,
  coalesce(${TARGET_PARAMETERS.map((p) => `json_extract_scalar(requestparameters, '$.${p}')`).join(', ')}) AS target,
  errorcode, eventid
FROM ${c.organizationTrailTable}
WHERE ${WINDOW_CONDITION}
  AND eventsource IN (${[...LOGGING_CHANGE_EVENTS.keys()].map(sqlStringLiteral).join(', ')})
  AND (${sqlCondition()})
ORDER BY eventtime, eventid`,
  logsInsights: () => `filter ${insightsCondition()}
| fields eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, errorCode, eventID
| sort eventTime asc`,
  fields: [
    ...recordFields('eventTime', 'recipientAccountId', 'awsRegion', 'eventSource', 'eventName', 'errorCode', 'requestParameters', 'eventID', 'userIdentity.arn'),
  ],
};
