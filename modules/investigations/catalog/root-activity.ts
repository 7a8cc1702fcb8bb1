/**
 * Everything the root user of any account did: CIS 1.7 asks that root not be used for everyday work,
 * and an auditor asks for each use and its reason. `userIdentity.type` is `Root` for the root user
 * (CloudTrail User Guide, "CloudTrail userIdentity element":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 *
 * Centralized root access adds a second way in: the management account or the delegated administrator
 * for IAM calls `sts:AssumeRoot` for a short privileged session on a member account. That call is an
 * `AssumeRoot` event of `sts.amazonaws.com` in the caller's account, whose `requestParameters` name the
 * `targetPrincipal` (the member account) and the `taskPolicyArn`, and whose
 * `responseElements.credentials.accessKeyId` is the session's key (IAM User Guide, "Track privileged
 * tasks in AWS CloudTrail": https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html;
 * STS API Reference, AssumeRoot: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html).
 * What the session then does in the member account is done as its root user (`userIdentity.type` `Root`,
 * with that access key in `userIdentity.accessKeyId`), so `session_key` ties each action to its
 * `AssumeRoot`.
 */
import { WINDOW_CONDITION, ACCOUNT_CONDITION, ACCOUNT_PARAMETER, type Investigation, recordFields } from '../investigation';

const TRACK_PRIVILEGED_TASKS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html';

export const ROOT_ACTIVITY: Investigation = {
  name: 'root-activity',
  title: 'Root user activity',
  answers:
    'When was the root user of any account used, or a privileged root session opened with sts:AssumeRoot, by whom, for what, from where, and did it succeed?',
  parameters: [ACCOUNT_PARAMETER],
  sql: (c) => `SELECT eventtime, account, region, eventsource, eventname, useridentity.type AS identity_type, useridentity.arn AS principal,
  json_extract_scalar(requestparameters, '$.targetPrincipal') AS target_account,
  json_extract_scalar(requestparameters, '$.taskPolicyArn.arn') AS task_policy,
  coalesce(json_extract_scalar(responseelements, '$.credentials.accessKeyId'), useridentity.accesskeyid) AS session_key,
  sourceipaddress, useragent, errorcode, eventid
FROM ${c.organizationTrailTable}
WHERE ${WINDOW_CONDITION}
  ${ACCOUNT_CONDITION}
  AND (useridentity.type = 'Root'
    OR (eventsource = 'sts.amazonaws.com' AND eventname = 'AssumeRoot'))
ORDER BY eventtime, eventid`,
  logsInsights:
    () => `fields eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.type, userIdentity.arn, requestParameters.targetPrincipal, requestParameters.taskPolicyArn.arn, userIdentity.accessKeyId, sourceIPAddress, userAgent, errorCode, eventID
| filter userIdentity.type = "Root" or (eventSource = "sts.amazonaws.com" and eventName = "AssumeRoot")
| sort eventTime asc`,
  fields: [
    ...recordFields('eventTime', 'eventSource', 'eventName', 'sourceIPAddress', 'userAgent', 'errorCode', 'eventID', 'recipientAccountId', 'awsRegion', 'userIdentity.type', 'userIdentity.arn', 'userIdentity.accessKeyId'),
    { field: 'requestParameters.targetPrincipal', source: TRACK_PRIVILEGED_TASKS },
    { field: 'requestParameters.taskPolicyArn.arn', source: TRACK_PRIVILEGED_TASKS },
    { field: 'responseElements.credentials.accessKeyId', source: TRACK_PRIVILEGED_TASKS },
  ],
};
