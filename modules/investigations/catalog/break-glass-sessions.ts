/**
 * The break-glass roles' sessions: each `AssumeRole` of one of them (an `sts.amazonaws.com` event whose
 * `requestParameters.roleArn` is the role's ARN: STS API Reference, AssumeRole, RoleArn:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html; CloudTrail User Guide,
 * "CloudTrail log file examples" shows an AssumeRole record), and everything done with the sessions, whose
 * `userIdentity.sessionContext.sessionIssuer.userName` is the role's friendly name (CloudTrail
 * userIdentity element: "userName: The friendly name of the user or role that issued the session").
 * The role names come from the config (`guardrails.breakGlassRoleName`), possibly with a path; the
 * ARN's resource after `:role/` holds the path, the issuer's `userName` does not.
 */
import { CLOUDTRAIL_PAGES as P, WINDOW_CONDITION, sqlStringLiteral, type Investigation, recordFields } from '../investigation';

const friendly = (roleName: string) => roleName.slice(roleName.lastIndexOf('/') + 1);

/**
 * A Logs Insights regular expression matching a role ARN whose part after `:role/` is exactly `roleName`
 * (path included, as the SQL's `split_part` compares it): `like "..."` would match a substring, so
 * `BreakGlass` would also find `BreakGlassOld`. Logs Insights' `filter` takes a regular expression between
 * slashes after `like` or `=~` (CloudWatch Logs User Guide, "filter", "Matches and regular expressions in
 * the filter command": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Filter.html).
 * Every character an IAM name or path may hold that a regular expression reads (`.`, `+`, `/`) is escaped.
 */
export function roleArnRegex(roleName: string): string {
  return `/:role\\/${roleName.replace(/[.+*?^$()[\]{}|\\/]/g, (c) => `\\${c}`)}$/`;
}

function roleNames(names: readonly string[]): readonly string[] {
  if (names.length === 0) throw new Error('breakGlassRoleNames: the break-glass sessions investigation needs at least one role name');
  return names;
}

export const BREAK_GLASS_SESSIONS: Investigation = {
  name: 'break-glass-sessions',
  title: "The break-glass roles' sessions",
  answers: 'Who assumed a break-glass role, when, from where, and what did each session do?',
  parameters: [],
  sql: (c) => `SELECT eventtime, account, region, eventsource, eventname,
  CASE WHEN eventname = 'AssumeRole' THEN json_extract_scalar(responseelements, '$.assumedRoleUser.arn') ELSE useridentity.arn END AS session,
  CASE WHEN eventname = 'AssumeRole' THEN useridentity.arn ELSE NULL END AS assumed_by,
  sourceipaddress, errorcode, eventid
FROM ${c.organizationTrailTable}
WHERE ${WINDOW_CONDITION}
  AND ((eventsource = 'sts.amazonaws.com' AND eventname = 'AssumeRole'
      AND split_part(json_extract_scalar(requestparameters, '$.roleArn'), ':role/', 2) IN (${roleNames(c.breakGlassRoleNames)
        .map(sqlStringLiteral)
        .join(', ')}))
    OR useridentity.sessioncontext.sessionissuer.username IN (${roleNames(c.breakGlassRoleNames).map(friendly).map(sqlStringLiteral).join(', ')}))
ORDER BY eventtime, eventid`,
  logsInsights: (c) => `filter (eventSource = "sts.amazonaws.com" and eventName = "AssumeRole" and (${roleNames(c.breakGlassRoleNames)
    .map((n) => `requestParameters.roleArn like ${roleArnRegex(n)}`)
    .join(' or ')}))
  or userIdentity.sessionContext.sessionIssuer.userName in [${roleNames(c.breakGlassRoleNames)
    .map((n) => `"${friendly(n)}"`)
    .join(', ')}]
| fields eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, sourceIPAddress, errorCode, eventID
| sort eventTime asc`,
  fields: [
    ...recordFields('eventTime', 'recipientAccountId', 'awsRegion', 'eventSource', 'eventName', 'sourceIPAddress', 'errorCode'),
    {
      field: 'requestParameters.roleArn',
      source: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
    },
    {
      field: 'responseElements.assumedRoleUser.arn',
      source: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
    },
    ...recordFields('eventID', 'userIdentity.arn'),
    {
      field: 'userIdentity.sessionContext.sessionIssuer.userName',
      source: P.userIdentity,
    },
  ],
};
