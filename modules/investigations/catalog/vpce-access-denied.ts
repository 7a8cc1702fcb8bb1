/**
 * Calls a VPC endpoint policy refused: the data perimeter at work, or someone outside it trying. The
 * organization trail records them when `trail.networkActivityEvents` lists the service (off by default,
 * docs/detection.md), as network activity events: `eventCategory` `NetworkActivity`, `errorCode`
 * `VpceAccessDenied` (with the errorMessage "The request was denied due to a VPC endpoint policy"), the
 * endpoint in `vpcEndpointId` and its owner in `vpcEndpointAccountId`, to whom the event is delivered
 * (CloudTrail User Guide, "CloudTrail record contents for management, data, and network activity events",
 * and its network activity event example:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * A caller from another account may have no `userIdentity.arn` (`type` `AWSAccount`, with `principalId`
 * and `accountId` only): both are shown. With no network activity selector, the query finds nothing.
 */
import { WINDOW_CONDITION, ACCOUNT_CONDITION, ACCOUNT_PARAMETER, type Investigation, recordFields } from '../investigation';
import { VPCE_ACCESS_DENIED } from '../../cloudtrail/event-selectors';

const GROUPED = `useridentity.type, useridentity.arn, useridentity.principalid, useridentity.accountid, vpcendpointid, vpcendpointaccountid,
  account, region, eventsource, eventname, sourceipaddress`;

export const VPCE_ACCESS_DENIED_CALLS: Investigation = {
  name: 'vpce-access-denied',
  title: 'Calls denied by a VPC endpoint policy',
  answers:
    'Who was refused by a VPC endpoint policy (a data-perimeter denial), through which endpoint of which account, calling what, from which address, how often, and when first and last?',
  parameters: [ACCOUNT_PARAMETER],
  sql: (c) => `SELECT useridentity.type AS identity_type, useridentity.arn AS principal, useridentity.principalid AS principal_id,
  useridentity.accountid AS principal_account, vpcendpointid, vpcendpointaccountid, account, region, eventsource, eventname,
  sourceipaddress, count(*) AS calls, min(eventtime) AS first_seen, max(eventtime) AS last_seen,
  slice(array_agg(eventid ORDER BY eventtime, eventid), 1, 10) AS first_eventids
FROM ${c.organizationTrailTable}
WHERE ${WINDOW_CONDITION}
  ${ACCOUNT_CONDITION}
  AND eventcategory = 'NetworkActivity'
  AND errorcode = '${VPCE_ACCESS_DENIED}'
GROUP BY ${GROUPED}
ORDER BY calls DESC, vpcendpointid, principal_account, principal_id, eventsource, eventname, sourceipaddress`,
  logsInsights: () => `filter eventCategory = "NetworkActivity" and errorCode = "${VPCE_ACCESS_DENIED}"
| stats count(*) as calls, min(eventTime) as first_seen, max(eventTime) as last_seen by userIdentity.type, userIdentity.arn, userIdentity.principalId, userIdentity.accountId, vpcEndpointId, vpcEndpointAccountId, recipientAccountId, awsRegion, eventSource, eventName, sourceIPAddress
| sort calls desc`,
  fields: recordFields(
    'eventCategory',
    'errorCode',
    'eventTime',
    'eventID',
    'eventSource',
    'eventName',
    'sourceIPAddress',
    'recipientAccountId',
    'awsRegion',
    'vpcEndpointId',
    'vpcEndpointAccountId',
    'userIdentity.type',
    'userIdentity.arn',
    'userIdentity.principalId',
    'userIdentity.accountId',
  ),
};
