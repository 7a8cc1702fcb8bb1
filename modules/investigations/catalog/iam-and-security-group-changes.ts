/**
 * IAM policy and security-group changes: the event names of CIS 4.4 (IAM policy changes) and 4.10
 * (security group changes), taken from the project's metric filters (modules/cis-monitoring/
 * cis-metric-filters.ts, byte-exact with Security Hub CloudWatch.4 and CloudWatch.10), each tied here to
 * its service's event source so Organizations' own `CreatePolicy` is not counted as IAM's; plus the
 * changes those benchmark lists leave out that grant or open just as much: a role's trust policy
 * (`UpdateAssumeRolePolicy`), the default version of a managed policy (`SetDefaultPolicyVersion`),
 * permissions boundaries (IAM API Reference, Actions:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html) and `ModifySecurityGroupRules`
 * (EC2 API Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySecurityGroupRules.html).
 * An API's event name is the operation's name (CloudTrail record contents, `eventName`: "The requested
 * action, which is one of the actions in the API for that service").
 */
import { CIS_METRIC_FILTERS } from '../../cis-monitoring/cis-metric-filters';
import { WINDOW_CONDITION, sqlStringLiteral, type Investigation, recordFields } from '../investigation';

function cisEventNames(filterId: string): string[] {
  const filter = CIS_METRIC_FILTERS.find((f) => f.id === filterId);
  if (!filter) throw new Error(`no CIS metric filter ${filterId}`);
  return [...filter.pattern.matchAll(/\$\.eventName\s*=\s*"?(\w+)"?/g)].map((m) => m[1]);
}

export const IAM_POLICY_EVENTS: readonly string[] = [
  ...cisEventNames('iam-policy-changes'),
  'UpdateAssumeRolePolicy',
  'SetDefaultPolicyVersion',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'PutUserPermissionsBoundary',
  'DeleteUserPermissionsBoundary',
];

export const SECURITY_GROUP_EVENTS: readonly string[] = [...cisEventNames('security-group-changes'), 'ModifySecurityGroupRules'];

const list = (names: readonly string[]) => names.map(sqlStringLiteral).join(', ');
const insightsList = (names: readonly string[]) => `[${names.map((n) => `"${n}"`).join(', ')}]`;

export const IAM_AND_SECURITY_GROUP_CHANGES: Investigation = {
  name: 'iam-and-security-group-changes',
  title: 'IAM policy and security-group changes',
  answers: 'Who changed an IAM policy, trust policy or boundary, or a security group, what exactly did they send, and did it succeed?',
  parameters: [],
  sql: (c) => `SELECT eventtime, account, region, eventsource, eventname, useridentity.arn AS principal, errorcode, requestparameters, eventid
FROM ${c.organizationTrailTable}
WHERE ${WINDOW_CONDITION}
  AND ((eventsource = 'iam.amazonaws.com' AND eventname IN (${list(IAM_POLICY_EVENTS)}))
    OR (eventsource = 'ec2.amazonaws.com' AND eventname IN (${list(SECURITY_GROUP_EVENTS)})))
ORDER BY eventtime, eventid`,
  logsInsights: () => `filter (eventSource = "iam.amazonaws.com" and eventName in ${insightsList(IAM_POLICY_EVENTS)})
  or (eventSource = "ec2.amazonaws.com" and eventName in ${insightsList(SECURITY_GROUP_EVENTS)})
| fields eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, errorCode, eventID
| sort eventTime asc`,
  fields: [
    ...recordFields('eventTime', 'recipientAccountId', 'awsRegion', 'eventSource', 'eventName', 'errorCode', 'requestParameters', 'eventID', 'userIdentity.arn'),
  ],
};
