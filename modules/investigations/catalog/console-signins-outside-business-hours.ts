/**
 * Console sign-ins outside business hours (`alerts.businessHours`), the question behind the off-hours
 * sign-in alarm (modules/cis-monitoring/business-hours.ts): the same days, times and UTC offset, here in
 * SQL. A sign-in is a `ConsoleLogin` event from `signin.amazonaws.com`, whose `responseElements.ConsoleLogin`
 * is `Success` or `Failure` and whose `additionalEventData.MFAUsed` says whether MFA was used (CloudTrail
 * User Guide, "AWS Management Console sign-in events":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).
 *
 * The record's UTC `eventTime` is shifted to the offset with `AT TIME ZONE '+HH:MM'` (Trino, "Date and
 * time functions": https://trino.io/docs/current/functions/datetime.html), then compared with the working
 * days (`day_of_week`: 1 = Monday ... 7 = Sunday) and minutes of the day. A window that wraps past
 * midnight (start later than end) belongs to the day it starts, as in the alarm: Mon 22:00-06:00 covers
 * Monday from 22:00 and Tuesday until 06:00.
 */
import { WEEKDAYS } from '../../../config/schema';
import { parseClock, parseUtcOffset, type BusinessHours } from '../../cis-monitoring/business-hours';
import { CLOUDTRAIL_PAGES as P, WINDOW_CONDITION, type Investigation, recordFields } from '../investigation';

const MINUTES_PER_DAY = 24 * 60;

/** The SQL condition, true when `local_time` (a timestamp at the offset) is inside business hours. */
export function insideBusinessHoursSql(hours: BusinessHours, column = 'local_time'): string {
  const start = parseClock(hours.start);
  const end = parseClock(hours.end);
  if (start === end) throw new Error('businessHours: start and end are the same');
  const days = [...new Set(hours.days)].map((d) => {
    const index = WEEKDAYS.indexOf(d);
    if (index < 0) throw new Error(`businessHours.days: "${d}" is not one of ${WEEKDAYS.join(', ')}`);
    return index + 1;
  });
  if (days.length === 0) return 'FALSE';
  const minute = `(hour(${column}) * 60 + minute(${column}))`;
  const on = (expr: string) => `day_of_week(${expr}) IN (${days.join(', ')})`;
  if (start < end) {
    return `(${on(column)} AND ${minute} >= ${start}${end < MINUTES_PER_DAY ? ` AND ${minute} < ${end}` : ''})`;
  }
  return `((${on(column)} AND ${minute} >= ${start}) OR (${on(`${column} - INTERVAL '1' DAY`)} AND ${minute} < ${end}))`;
}

function checkedOffset(hours: BusinessHours): string {
  parseUtcOffset(hours.utcOffset);
  return hours.utcOffset;
}

export const CONSOLE_SIGNINS_OUTSIDE_BUSINESS_HOURS: Investigation = {
  name: 'console-signins-outside-business-hours',
  title: 'Console sign-ins outside business hours',
  answers: 'Who signed in to the console (or tried to) outside business hours, when in local time, from where, and with MFA?',
  parameters: [],
  sql: (c) => `WITH signins AS (
  SELECT eventtime, account, useridentity.type AS identity_type, useridentity.arn AS principal, sourceipaddress,
    json_extract_scalar(responseelements, '$.ConsoleLogin') AS outcome,
    json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used, errormessage, eventid,
    from_iso8601_timestamp(eventtime) AT TIME ZONE '${checkedOffset(c.businessHours)}' AS local_time
  FROM ${c.organizationTrailTable}
  WHERE ${WINDOW_CONDITION}
    AND eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
)
SELECT eventtime, format_datetime(local_time, 'EEE yyyy-MM-dd HH:mm ZZ') AS local_time, account, identity_type, principal,
  sourceipaddress, outcome, mfa_used, errormessage, eventid
FROM signins
WHERE NOT ${insideBusinessHoursSql(c.businessHours)}
ORDER BY eventtime, eventid`,
  // Logs Insights has no day-of-week function: the local day and minute are arithmetic on the event's
  // epoch milliseconds (1970-01-01 was a Thursday, so Monday = 1 is (days + 3) % 7 + 1).
  logsInsights: (c) => {
    const offsetMs = parseUtcOffset(c.businessHours.utcOffset) * 60_000;
    const start = parseClock(c.businessHours.start);
    const end = parseClock(c.businessHours.end);
    const days = `[${c.businessHours.days.map((d) => WEEKDAYS.indexOf(d) + 1).join(', ')}]`;
    const inside =
      start < end
        ? `weekday in ${days} and minute_of_day >= ${start} and minute_of_day < ${end}`
        : `(weekday in ${days} and minute_of_day >= ${start}) or (previous_weekday in ${days} and minute_of_day < ${end})`;
    return `filter eventSource = "signin.amazonaws.com" and eventName = "ConsoleLogin"
| fields toMillis(@timestamp) + ${offsetMs} as local_ms
| fields floor(local_ms / 60000) % 1440 as minute_of_day, (floor(local_ms / 86400000) + 3) % 7 + 1 as weekday, (floor(local_ms / 86400000) + 2) % 7 + 1 as previous_weekday
| filter not (${inside})
| fields eventTime, recipientAccountId, userIdentity.type, userIdentity.arn, sourceIPAddress, responseElements.ConsoleLogin, additionalEventData.MFAUsed, errorMessage, eventID
| sort eventTime asc`;
  },
  fields: [
    ...recordFields('eventTime', 'eventSource', 'eventName', 'recipientAccountId', 'sourceIPAddress', 'errorMessage', 'eventID'),
    { field: 'responseElements.ConsoleLogin', source: P.signInEvents },
    { field: 'additionalEventData.MFAUsed', source: P.signInEvents },
    ...recordFields('userIdentity.type', 'userIdentity.arn'),
  ],
};
