/**
 * Everything one principal did. A principal is named the way CloudTrail records it
 * (CloudTrail User Guide, "CloudTrail userIdentity element"): an IAM user's or a role session's
 * `userIdentity.arn` (`arn:aws:iam::<account>:user/<name>`, `arn:aws:sts::<account>:assumed-role/<role>/<session>`),
 * a role's ARN, matched on every session it issued (`sessionContext.sessionIssuer.arn`), an
 * assumed-role ARN ending in `/` (`arn:aws:sts::<account>:assumed-role/<role>/`), matched as a prefix on
 * `userIdentity.arn` (every session of that role in that account), an access key id
 * (`userIdentity.accessKeyId`: the long-term `AKIA...` key of a user or a session's `ASIA...` key), or an
 * IAM Identity Center user id: a request made on behalf of an Identity Center user has `userIdentity.type`
 * `IdentityCenterUser` and no `arn`; the user is `userIdentity.onBehalfOf.userId`, in the identity store
 * `onBehalfOf.identityStoreArn` (the same page, "userIdentity for requests made on behalf of an IAM
 * Identity Center user"). A user id is a UUID, optionally after a 10-hex-digit prefix and a hyphen (IAM
 * Identity Center's principal id pattern, `([0-9a-f]{10}-|)` then the UUID: AWS Account Access API
 * Reference, IdentityCenterPrincipal, userId:
 * https://docs.aws.amazon.com/account-access/latest/APIReference/API_IdentityCenterPrincipal.html).
 *
 * Given a role's ARN, it also returns the `AssumeRole` calls that asked for that role, succeeded or
 * refused: who became the role (an `sts.amazonaws.com` event whose `requestParameters.roleArn` is the
 * role's ARN: STS API Reference, AssumeRole, RoleArn:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). Their `principal` is the caller.
 */
import { CLOUDTRAIL_PAGES as P, MAX_PARAMETER_LENGTH, WINDOW_CONDITION, ACCOUNT_CONDITION, ACCOUNT_PARAMETER, type Investigation, recordFields } from '../investigation';

const IAM_PRINCIPAL = String.raw`arn:aws[\w-]*:(iam|sts)::\d{12}:[\w+=,.@/-]{1,1024}`;
const ACCESS_KEY = '(AKIA|ASIA)[A-Z0-9]{12,124}';
const IDENTITY_CENTER_USER = '([0-9a-f]{10}-)?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

export const PRINCIPAL_ACTIVITY: Investigation = {
  name: 'principal-activity',
  title: 'Everything one principal did',
  answers:
    'What did this user, role, role session, access key or Identity Center user do in the window, in which accounts and Regions, and what was refused? For a role: who became it?',
  parameters: [
    {
      name: 'principal',
      description:
        "An IAM user or role ARN, a role session's ARN, an assumed-role ARN prefix ending in '/', an access key id, or an IAM Identity Center user id",
      example: 'arn:aws:iam::111122223333:role/example-admin',
      pattern: new RegExp(`^(?=.{1,${MAX_PARAMETER_LENGTH}}$)(${IAM_PRINCIPAL}|${ACCESS_KEY}|${IDENTITY_CENTER_USER})$`),
    },
    ACCOUNT_PARAMETER,
  ],
  sql: (c) => `SELECT eventtime, account, region, eventsource, eventname, useridentity.arn AS principal, useridentity.accesskeyid AS access_key,
  useridentity.onbehalfof.userid AS identity_center_user, sourceipaddress, errorcode, eventid
FROM ${c.organizationTrailTable}
WHERE ${WINDOW_CONDITION}
  ${ACCOUNT_CONDITION}
  AND (useridentity.arn = {principal}
    OR useridentity.sessioncontext.sessionissuer.arn = {principal}
    OR useridentity.accesskeyid = {principal}
    OR useridentity.onbehalfof.userid = {principal}
    OR (substr({principal}, length({principal})) = '/' AND starts_with(useridentity.arn, {principal}))
    OR (eventsource = 'sts.amazonaws.com' AND eventname = 'AssumeRole' AND json_extract_scalar(requestparameters, '$.roleArn') = {principal}))
ORDER BY eventtime, eventid`,
  logsInsights:
    () => `fields eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, userIdentity.accessKeyId, userIdentity.onBehalfOf.userId, sourceIPAddress, errorCode, eventID
| filter userIdentity.arn = "<principal>" or userIdentity.sessionContext.sessionIssuer.arn = "<principal>" or userIdentity.accessKeyId = "<principal>" or userIdentity.onBehalfOf.userId = "<principal>"
  or (eventSource = "sts.amazonaws.com" and eventName = "AssumeRole" and requestParameters.roleArn = "<principal>")
| sort eventTime asc`,
  fields: [
    ...recordFields('eventTime', 'awsRegion', 'recipientAccountId', 'eventSource', 'eventName', 'sourceIPAddress', 'errorCode', 'eventID', 'userIdentity.arn', 'userIdentity.accessKeyId'),
    {
      field: 'userIdentity.sessionContext.sessionIssuer.arn',
      source: P.userIdentity,
    },
    ...recordFields('userIdentity.onBehalfOf.userId'),
    { field: 'requestParameters.roleArn', source: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html' },
  ],
};
