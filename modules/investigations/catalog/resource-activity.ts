/**
 * Everything done to one resource, named by its ARN or by its name. Three places hold it: `resources[]`,
 * "A list of resources accessed in the event", each with its `ARN` (CloudTrail record contents);
 * `requestParameters`, "The parameters, if any, that were sent with the request", as the service's
 * API names them (`bucketName`, `roleName`, `groupId`, a `roleArn`...); and `responseElements`, "The
 * response element for actions that make changes", where a resource's creation returns the id it was
 * given (`CreateSecurityGroup`'s `groupId`, `RunInstances`' `instanceId`: EC2 API Reference,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html). `resources` is
 * not present for every event, so the name is also looked for in the request's and the response's JSON
 * text as a whole JSON string (`"<value>"`, quotes included): `my-bucket` matches
 * `{"bucketName":"my-bucket"}` and not `my-bucket-logs`. The CloudTrail SerDe keeps both as their JSON
 * text (Athena User Guide, "Query AWS CloudTrail logs": nested fields are read with `json_extract`).
 */
import { MAX_PARAMETER_LENGTH, WINDOW_CONDITION, ACCOUNT_CONDITION, ACCOUNT_PARAMETER, type Investigation, recordFields } from '../investigation';

export const RESOURCE_ACTIVITY: Investigation = {
  name: 'resource-activity',
  title: 'Everything done to one resource',
  answers: 'Who did what to this resource (bucket, role, key, security group...) in the window, from where, and did it succeed?',
  parameters: [
    {
      name: 'resource',
      description: "The resource's ARN (as in resources[].ARN or a request parameter) or its name as the API takes it (bucket name, role name, sg-... id)",
      example: 'arn:aws:s3:::example-payroll-exports',
      pattern: new RegExp(`^[\\w+=,.@:/*-]{1,${MAX_PARAMETER_LENGTH}}$`),
    },
    ACCOUNT_PARAMETER,
  ],
  sql: (c) => `SELECT eventtime, account, region, eventsource, eventname, useridentity.arn AS principal, sourceipaddress, errorcode, requestparameters, eventid
FROM ${c.organizationTrailTable}
WHERE ${WINDOW_CONDITION}
  ${ACCOUNT_CONDITION}
  AND (any_match(resources, r -> r.arn = {resource})
    OR strpos(requestparameters, '"' || {resource} || '"') > 0
    OR strpos(responseelements, '"' || {resource} || '"') > 0)
ORDER BY eventtime, eventid`,
  logsInsights: () => `fields eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, sourceIPAddress, errorCode, eventID
| filter @message like '"<resource>"'
| sort eventTime asc`,
  fields: [
    ...recordFields('eventTime', 'awsRegion', 'recipientAccountId', 'eventSource', 'eventName', 'sourceIPAddress', 'errorCode', 'requestParameters', 'responseElements', 'resources[].ARN', 'eventID', 'userIdentity.arn'),
  ],
};
