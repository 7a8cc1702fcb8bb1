/**
 * Everything the root user of any account did: CIS 1.7 asks that root not be used for everyday work,
 * and an auditor asks for each use and its reason. `userIdentity.type` is `Root` for the root user
 * (CloudTrail User Guide, "CloudTrail userIdentity element":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 */
import type { Investigation } from '../investigation';

const RECORD_CONTENTS = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html';
const USER_IDENTITY = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html';

export const ROOT_ACTIVITY: Investigation = {
  name: 'root-activity',
  title: 'Root user activity',
  answers: 'When was the root user of any account used, for what, from where, and did it succeed?',
  parameters: [],
  sql: (c) => `SELECT eventtime, account, region, eventsource, eventname, sourceipaddress, useragent, errorcode, eventid
FROM ${c.organizationTrailTable}
WHERE day BETWEEN {from_day} AND {to_day}
  AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp({from})
  AND from_iso8601_timestamp(eventtime) < from_iso8601_timestamp({to})
  AND useridentity.type = 'Root'
ORDER BY eventtime, eventid`,
  logsInsights: () => `fields eventTime, recipientAccountId, awsRegion, eventSource, eventName, sourceIPAddress, userAgent, errorCode, eventID
| filter userIdentity.type = "Root"
| sort eventTime asc`,
  fields: [
    { field: 'eventTime', source: RECORD_CONTENTS },
    { field: 'eventSource', source: RECORD_CONTENTS },
    { field: 'eventName', source: RECORD_CONTENTS },
    { field: 'sourceIPAddress', source: RECORD_CONTENTS },
    { field: 'userAgent', source: RECORD_CONTENTS },
    { field: 'errorCode', source: RECORD_CONTENTS },
    { field: 'eventID', source: RECORD_CONTENTS },
    { field: 'recipientAccountId', source: RECORD_CONTENTS },
    { field: 'awsRegion', source: RECORD_CONTENTS },
    { field: 'userIdentity.type', source: USER_IDENTITY },
  ],
};
