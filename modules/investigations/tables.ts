/**
 * The investigations database's tables, as data: where each reads in the log archive, its columns,
 * SerDe and partition projection. `LogInvestigations` turns them into `aws_glue_catalog_table`s; the
 * CLI uses `projectedPartitions` to say how many partitions a window touches.
 *
 * Partition projection (Athena User Guide, "Use partition projection with Amazon Athena",
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html, and "Supported types for
 * partition projection", https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html):
 * `account` and `region` are `enum`s (`projectedAccountIds`, `projectedRegions`: every account and Region
 * the logs can hold, not only those governed today); `day` is a `date`
 * whose range is relative, `NOW-<logArchiveDays>DAYS,NOW` ("This column can also contain relative date
 * strings ... NOW-3YEARS"), so it follows the archive's retention without a redeploy and a window
 * older than the logs returns no rows instead of reading nothing for money. Projected dates are UTC.
 */
import { ACCOUNT_TRAIL_S3_PREFIX, baselineOwnsOrgTrail, logBucketName } from '../../config/naming';
import { AWS_REGIONS } from '../../config/regions';
import type { BaselineConfig } from '../../config/schema';
import { FLOW_LOG_FIELDS } from '../flow-logs/vpc-flow-logs';
import { CLOUDTRAIL_COLUMNS, CLOUDTRAIL_PARTITION_KEYS, INVESTIGATION_TABLES, type TableColumn } from './cloudtrail-table';
import { windowParameterValues, WINDOW_PARAMETERS } from './investigation';

/** The flow-log table's name (the CloudTrail tables' names are in `INVESTIGATION_TABLES`). */
export const FLOW_LOGS_TABLE = 'vpc_flow_logs';

/** What a Glue table of the investigations database is made of. */
export interface InvestigationTable {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly TableColumn[];
  readonly partitionKeys: readonly TableColumn[];
  /** The table's `LOCATION`: the prefix above every projected partition. */
  readonly location: string;
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serializationLibrary: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
  /** Table parameters: `EXTERNAL`, `classification` and the projection properties. */
  readonly parameters: Readonly<Record<string, string>>;
}

// "Create the table for CloudTrail logs in Athena using partition projection"
// (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html):
// ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
// STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
// OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'.
export const CLOUDTRAIL_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';
export const CLOUDTRAIL_INPUT_FORMAT = 'com.amazon.emr.cloudtrail.CloudTrailInputFormat';
export const HIVE_TEXT_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
// "Query Amazon VPC flow logs" (https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs.html):
// ROW FORMAT DELIMITED FIELDS TERMINATED BY ' ' (LazySimpleSerDe over TextInputFormat), and
// TBLPROPERTIES ("skip.header.line.count"="1") for the header line each plain-text file starts with.
export const DELIMITED_SERDE = 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe';
export const TEXT_INPUT_FORMAT = 'org.apache.hadoop.mapred.TextInputFormat';

/** CloudTrail delivers into `.../CloudTrail/<region>/<YYYY>/<MM>/<DD>/` (CloudTrail User Guide, "Finding your CloudTrail log files"). */
export const CLOUDTRAIL_DAY_FORMAT = 'yyyy/MM/dd';

/**
 * The flow logs' day directories with hive-compatible prefixes (what the baseline's flow logs use,
 * `hiveCompatiblePartitions`): `.../aws-region=<region>/year=<yyyy>/month=<MM>/day=<dd>/hour=<HH>/`
 * (VPC User Guide, "Flow log files", https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
 * A Java DateTimeFormatter pattern, the literals quoted; the hour directories below a day are read with it.
 */
export const FLOW_LOG_DAY_FORMAT = "'year='yyyy'/month='MM'/day='dd";

/** The org trail, account trails and (S3 flow logs only) flow-log tables this config has. */
export function investigationTables(config: BaselineConfig): InvestigationTable[] {
  if (!baselineOwnsOrgTrail(config)) {
    throw new Error(
      "investigationTables: the investigations read the baseline's organization trail; with controlTower.organizationTrail: control-tower set investigations.enabled: false"
    );
  }
  const trailBucket = `s3://${logBucketName(config, 'cloudtrail')}`;
  const tables: InvestigationTable[] = [
    cloudTrailTable(config, {
      name: INVESTIGATION_TABLES.organizationTrail,
      description: 'The organization trail: every management event (and the configured data events) of every account.',
      // An organization trail delivers under AWSLogs/<org-id>/<account>/ (CloudTrail User Guide,
      // "Creating a trail for an organization"); the baseline's trail has no S3 key prefix.
      location: `${trailBucket}/AWSLogs/${config.organization.id}`,
    }),
  ];
  if (config.monitoring.accountTrails) {
    tables.push(
      cloudTrailTable(config, {
        name: INVESTIGATION_TABLES.accountTrails,
        description: "Each member account's own trail (monitoring.accountTrails), under the account-trails/ prefix.",
        location: `${trailBucket}/${ACCOUNT_TRAIL_S3_PREFIX}/AWSLogs`,
      })
    );
  }
  if (config.flowLogs.destination === 's3') tables.push(flowLogsTable(config));
  return tables;
}

/** The config fields the account projection is made of (their ids). */
export interface ProjectedAccounts {
  readonly members: readonly { readonly id: string }[];
  readonly removedMembers: readonly { readonly id: string }[];
  readonly destroyedMembers: readonly { readonly id: string }[];
}

/** The config fields the Region projection is made of. */
export interface ProjectedRegions {
  readonly regions: { readonly governed: readonly string[]; readonly additionalKnownRegions: readonly { readonly region: string }[] };
}

/**
 * Every account whose logs the archive may hold: `members` (the management, log-archive and audit
 * accounts included: the schema requires them there), then `removedMembers` and `destroyedMembers`. An
 * account taken out of the baseline keeps its logs for `retention.logArchiveDays`, and an audit period
 * that saw it still asks what it did.
 */
export function projectedAccountIds(config: ProjectedAccounts): string[] {
  return [...new Set([...config.members, ...config.removedMembers, ...config.destroyedMembers].map((m) => m.id))];
}

/**
 * Every Region the organization trail may deliver logs for: each commercial Region the baseline knows
 * (`AWS_REGIONS`), the config's `additionalKnownRegions` and its governed Regions; not only the governed
 * ones. The trail is multi-Region (`isMultiRegionTrail`), so it records activity in Regions the baseline
 * does not govern, where an intruder is least watched, and CloudTrail records the global services (IAM,
 * STS's global endpoint, CloudFront) in US East (N. Virginia), us-east-1, whether or not that Region is
 * governed (CloudTrail User Guide, "Using update-trail": "events created by Amazon CloudFront, AWS
 * Identity and Access Management, and AWS STS are recorded in the Region in which they were created,
 * the US East (N. Virginia) Region, us-east-1":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail-by-using-the-aws-cli-update-trail.html).
 * An opt-in Region that an account never enabled has no logs: its partitions are empty prefixes, which
 * cost Athena a listing each and no bytes scanned.
 */
export function projectedRegions(config: ProjectedRegions): string[] {
  return [...new Set([...AWS_REGIONS, ...config.regions.additionalKnownRegions.map((r) => r.region), ...config.regions.governed])];
}

function projection(config: BaselineConfig, dayFormat: string, template: string): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.account.type': 'enum',
    'projection.account.values': projectedAccountIds(config).join(','),
    'projection.region.type': 'enum',
    'projection.region.values': projectedRegions(config).join(','),
    'projection.day.type': 'date',
    'projection.day.format': dayFormat,
    'projection.day.range': dayRange(config),
    'projection.day.interval': '1',
    'projection.day.interval.unit': 'DAYS',
    'storage.location.template': template,
  };
}

/** `NOW-<retention.logArchiveDays>DAYS,NOW`: the days the archive still holds, relative to the query. */
export function dayRange(config: BaselineConfig): string {
  return `NOW-${config.retention.logArchiveDays}DAYS,NOW`;
}

function cloudTrailTable(config: BaselineConfig, t: { name: string; description: string; location: string }): InvestigationTable {
  return {
    ...t,
    columns: CLOUDTRAIL_COLUMNS,
    partitionKeys: CLOUDTRAIL_PARTITION_KEYS,
    inputFormat: CLOUDTRAIL_INPUT_FORMAT,
    outputFormat: HIVE_TEXT_OUTPUT_FORMAT,
    serializationLibrary: CLOUDTRAIL_SERDE,
    serdeParameters: {},
    parameters: {
      EXTERNAL: 'TRUE',
      classification: 'cloudtrail',
      ...projection(config, CLOUDTRAIL_DAY_FORMAT, `${t.location}/\${account}/CloudTrail/\${region}/\${day}`),
    },
  };
}

/**
 * Flow-log columns in the baseline's log format (`FLOW_LOG_FIELDS`, version 5, space-delimited), with
 * the types of AWS's flow-log DDL ("Query Amazon VPC flow logs"). Hyphens become underscores; `end`
 * is kept (quoted in SQL), and the record's `region` field becomes `record_region` so as not to clash
 * with the `region` partition key.
 */
const FLOW_LOG_TYPES: Readonly<Record<string, string>> = {
  version: 'int',
  srcport: 'int',
  dstport: 'int',
  protocol: 'bigint',
  packets: 'bigint',
  bytes: 'bigint',
  start: 'bigint',
  end: 'bigint',
  'tcp-flags': 'int',
  'traffic-path': 'int',
};

export const FLOW_LOG_COLUMNS: readonly TableColumn[] = FLOW_LOG_FIELDS.map((field) => ({
  name: field === 'region' ? 'record_region' : field.replace(/-/g, '_'),
  type: FLOW_LOG_TYPES[field] ?? 'string',
}));

function flowLogsTable(config: BaselineConfig): InvestigationTable {
  const location = `s3://${logBucketName(config, 'flowlogs')}/AWSLogs`;
  return {
    name: FLOW_LOGS_TABLE,
    description: 'VPC flow logs of every account (flowLogs.destination: s3), plain text with hive-compatible, hourly prefixes.',
    columns: FLOW_LOG_COLUMNS,
    partitionKeys: CLOUDTRAIL_PARTITION_KEYS,
    location,
    inputFormat: TEXT_INPUT_FORMAT,
    outputFormat: HIVE_TEXT_OUTPUT_FORMAT,
    serializationLibrary: DELIMITED_SERDE,
    serdeParameters: { 'field.delim': ' ', 'serialization.format': ' ' },
    parameters: {
      EXTERNAL: 'TRUE',
      'skip.header.line.count': '1',
      ...projection(config, FLOW_LOG_DAY_FORMAT, `${location}/aws-account-id=\${account}/aws-service=vpcflowlogs/aws-region=\${region}/\${day}`),
    },
  };
}

/** A query window, as the CLI's `--from` and `--to` (end exclusive). */
export interface QueryWindow {
  readonly from: Date;
  readonly to: Date;
}

/**
 * How many partitions (account x Region x day) a query over the whole organization and `window`
 * touches: every projected account and Region, and the day partitions the window reads
 * (`windowParameterValues`: `from_day` to `to_day`, the day after the window's last day included),
 * counting only the days the projection range holds (`retention.logArchiveDays` back from `now`).
 * Athena documents no limit on the partitions a projected query may touch (docs/investigations.md,
 * "Unverified"); the count is what the CLI shows beside the bytes scanned.
 */
export function projectedPartitions(config: BaselineConfig, window: QueryWindow, now: Date = new Date()): number {
  const DAY = 24 * 60 * 60 * 1000;
  const values = windowParameterValues(window.from, window.to);
  const dayNumber = (partition: string) => Math.floor(Date.parse(`${partition.replace(/\//g, '-')}T00:00:00Z`) / DAY);
  const oldest = Math.floor(now.getTime() / DAY) - config.retention.logArchiveDays;
  const first = Math.max(dayNumber(values[WINDOW_PARAMETERS.fromDay]), oldest);
  const last = Math.min(dayNumber(values[WINDOW_PARAMETERS.toDay]), Math.floor(now.getTime() / DAY));
  const days = Math.max(0, last - first + 1);
  return projectedAccountIds(config).length * projectedRegions(config).length * days;
}
