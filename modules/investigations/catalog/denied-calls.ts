/**
 * Calls that were refused, by principal: the error codes of CIS 4.1's unauthorized-API-calls filter,
 * which Security Hub CloudWatch.2 compares character for character (`*UnauthorizedOperation`, as EC2's
 * `UnauthorizedOperation` and `Client.UnauthorizedOperation`, and `AccessDenied*`, as
 * `AccessDenied` and `AccessDeniedException`): the project's one list, in
 * modules/cis-monitoring/cis-metric-filters.ts. `errorCode` is "The AWS service error if the request
 * returns an error" (CloudTrail record contents); the codes themselves are each service's (EC2 API
 * Reference, "Error codes": https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html;
 * Security Hub, CloudWatch.2: https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-2).
 */
import { WINDOW_CONDITION, type Investigation, recordFields } from '../investigation';

export const DENIED_CALLS: Investigation = {
  name: 'denied-calls',
  title: 'Denied calls by principal',
  answers: 'Who was refused what, how often, and when first and last? (probing, a broken deployment, or a guardrail doing its job)',
  parameters: [],
  sql: (c) => `SELECT useridentity.arn AS principal, account, eventsource, eventname, errorcode, count(*) AS calls,
  min(eventtime) AS first_seen, max(eventtime) AS last_seen,
  slice(array_agg(eventid ORDER BY eventtime, eventid), 1, 10) AS first_eventids
FROM ${c.organizationTrailTable}
WHERE ${WINDOW_CONDITION}
  AND (errorcode LIKE '%UnauthorizedOperation' OR errorcode LIKE 'AccessDenied%')
GROUP BY useridentity.arn, account, eventsource, eventname, errorcode
ORDER BY calls DESC, principal, account, eventsource, eventname, errorcode`,
  logsInsights: () => `filter errorCode like /UnauthorizedOperation$/ or errorCode like /^AccessDenied/
| stats count(*) as calls, min(eventTime) as first_seen, max(eventTime) as last_seen by userIdentity.arn, recipientAccountId, eventSource, eventName, errorCode
| sort calls desc`,
  fields: [
    ...recordFields('eventTime', 'recipientAccountId', 'eventSource', 'eventName', 'errorCode', 'eventID', 'userIdentity.arn'),
  ],
};
