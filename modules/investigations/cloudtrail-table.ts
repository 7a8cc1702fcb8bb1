/**
 * The columns of the CloudTrail tables, as AWS's Athena guide declares them: "Create the table for
 * CloudTrail logs in Athena using partition projection"
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html),
 * read with the CloudTrail SerDe (`org.apache.hive.hcatalog.data.JsonSerDe` over
 * `com.amazon.emr.cloudtrail.CloudTrailInputFormat`, which turns each log file's `Records` array into
 * rows). Types are Hive DDL, which the Glue Data Catalog stores as given; column names are the record
 * fields in lower case (the SerDe matches JSON keys case-insensitively). What each field holds: CloudTrail
 * User Guide, "CloudTrail record contents for management, data, and network activity events"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 *
 * One source for the Glue tables (`tables.ts`) and the Trino tables the tests query.
 */

export interface TableColumn {
  /** Lower-case column name: the record field's name, as the JSON SerDe reads it. */
  readonly name: string;
  /** Hive type, as in the Athena DDL (`string`, `struct<a:string,...>`, `array<...>`, `map<string,string>`). */
  readonly type: string;
}

const USER_IDENTITY =
  'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,' +
  'onbehalfof:struct<userid:string,identitystorearn:string>,' +
  'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
  'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,' +
  'ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>';

export const CLOUDTRAIL_COLUMNS: readonly TableColumn[] = [
  { name: 'eventversion', type: 'string' },
  { name: 'useridentity', type: USER_IDENTITY },
  { name: 'eventtime', type: 'string' },
  { name: 'eventsource', type: 'string' },
  { name: 'eventname', type: 'string' },
  { name: 'awsregion', type: 'string' },
  { name: 'sourceipaddress', type: 'string' },
  { name: 'useragent', type: 'string' },
  { name: 'errorcode', type: 'string' },
  { name: 'errormessage', type: 'string' },
  { name: 'requestparameters', type: 'string' },
  { name: 'responseelements', type: 'string' },
  { name: 'additionaleventdata', type: 'string' },
  { name: 'requestid', type: 'string' },
  { name: 'eventid', type: 'string' },
  { name: 'readonly', type: 'string' },
  { name: 'resources', type: 'array<struct<arn:string,accountid:string,type:string>>' },
  { name: 'eventtype', type: 'string' },
  { name: 'apiversion', type: 'string' },
  { name: 'recipientaccountid', type: 'string' },
  { name: 'serviceeventdetails', type: 'string' },
  { name: 'sharedeventid', type: 'string' },
  { name: 'vpcendpointid', type: 'string' },
  { name: 'vpcendpointaccountid', type: 'string' },
  { name: 'eventcategory', type: 'string' },
  { name: 'addendum', type: 'struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>' },
  { name: 'sessioncredentialfromconsole', type: 'string' },
  { name: 'edgedevicedetails', type: 'string' },
  { name: 'tlsdetails', type: 'struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>' },
];

/**
 * The partition keys, projected from the object key (Athena User Guide, "Use partition projection with
 * Amazon Athena"): the account and Region directories of CloudTrail's delivery path and the day
 * directory `YYYY/MM/DD`, as `yyyy/MM/dd` strings. Every investigation names `day` in its WHERE clause,
 * so Athena reads only the days of the window.
 */
export const CLOUDTRAIL_PARTITION_KEYS: readonly TableColumn[] = [
  { name: 'account', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'day', type: 'string' },
];

/** The tables of the investigations database. */
export const INVESTIGATION_TABLES = {
  /** The organization trail: `AWSLogs/<org-id>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/`. */
  organizationTrail: 'cloudtrail_organization',
  /** The member accounts' own trails: `account-trails/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/`. */
  accountTrails: 'cloudtrail_account_trails',
} as const;
