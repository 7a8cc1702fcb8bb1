/**
 * The investigations (`investigations.athena`), read-only, judged against the config. Audit account,
 * home Region: the workgroup as `LogInvestigations` builds it (Athena GetWorkGroup), each table of
 * `investigationTables` field by field (Glue GetTable) and its versions (Glue GetTableVersions), and
 * each named query of `investigationsFor` (Athena ListNamedQueries, BatchGetNamedQuery). Management
 * account, home Region: the Logs Insights saved queries `LogsInsightsQueries` makes (CloudWatch Logs
 * DescribeQueryDefinitions), which no SCP can protect. What an admin who wants to hide would change:
 * the workgroup's enforcement (a caller's own settings then win), its scan limit, its result
 * encryption or location; a table's projection (an account or Region nobody can query, a template
 * that reads another bucket), its type (a view of the same name that filters the admin out), SerDe,
 * formats or columns, or any of these changed and changed back within the audit period; a named or
 * saved query's text (an investigation quietly blinded), or a look-alike saved query beside it.
 * Investigations switched off (`investigations.enabled: false`) are a control exception: nothing is
 * collected.
 */
import { AthenaClient, BatchGetNamedQueryCommand, GetWorkGroupCommand, ListNamedQueriesCommand, type NamedQuery, type WorkGroup } from '@aws-sdk/client-athena';
import { CloudWatchLogsClient, DescribeQueryDefinitionsCommand, type QueryDefinition } from '@aws-sdk/client-cloudwatch-logs';
import { GetTableCommand, GetTableVersionsCommand, GlueClient, type Column, type Table } from '@aws-sdk/client-glue';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  investigationNamedQueryName,
  investigationQueryDefinitionName,
  investigationQueryDefinitionPrefix,
  investigationResultsBucketName,
  investigationsDatabaseName,
  investigationsWorkgroupName,
  kmsAliasArn,
  logBucketName,
  orgTrailLogGroupName,
} from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { investigationsFor } from '../../modules/investigations/context';
import { INVESTIGATIONS_ATHENA } from '../../modules/investigations/controls';
import { bindParameters } from '../../modules/investigations/investigation';
import { ATHENA_ENGINE_VERSION, resultsKeyAlias } from '../../modules/investigations/log-investigations';
import type { TableColumn } from '../../modules/investigations/cloudtrail-table';
import { INVESTIGATION_TABLES } from '../../modules/investigations/cloudtrail-table';
import { investigationTables, type InvestigationTable } from '../../modules/investigations/tables';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';

const CONTROL = INVESTIGATIONS_ATHENA.id;

/** The result encryption options that use KMS (API_EncryptionConfiguration.html: SSE_S3 | SSE_KMS | CSE_KMS). */
const KMS_OPTIONS: readonly string[] = ['SSE_KMS', 'CSE_KMS'];

/** BatchGetNamedQuery takes "up to 50" ids a call (API_BatchGetNamedQuery.html). */
const NAMED_QUERY_BATCH = 50;

/** GetTableVersions: "MaxResults ... Maximum value of 100" (API_GetTableVersions.html). */
const TABLE_VERSIONS_PAGE = 100;

/** The table type LogInvestigations gives every table (aws_glue_catalog_table `table_type`); Table.TableType "EXTERNAL_TABLE, VIRTUAL_VIEW, etc." (API_Table.html). */
export const TABLE_TYPE = 'EXTERNAL_TABLE';

/** QueryDefinition.queryLanguage "CWLI | SQL | PPL" (API_QueryDefinition.html): the saved queries are Logs Insights QL, the default when none is given. */
const LOGS_INSIGHTS_QL = 'CWLI';

/** The table's item resource: `<database>.<table>`. */
export function tableResource(config: BaselineConfig, table: string): string {
  return `${investigationsDatabaseName(config)}.${table}`;
}

export function investigationTasks(ctx: CollectContext): Task[] {
  const { config } = ctx;
  // Switched off: a control exception (config/schema.ts switchedOffControls), not a FAIL.
  if (!config.investigations.enabled) return [];
  return [
    new Task(ctx, { label: 'investigations (Athena)', accountId: config.organization.auditAccountId, region: config.regions.home, controls: [CONTROL] }, (task) =>
      judgeInvestigations(task, config),
    ),
    new Task(ctx, { label: 'investigations (Logs Insights saved queries)', accountId: config.organization.managementAccountId, region: config.regions.home, controls: [CONTROL] }, (task) =>
      task.guard([CONTROL], () => judgeQueryDefinitions(task, config), `query-definitions/${investigationQueryDefinitionPrefix(config)}`),
    ),
  ];
}

async function judgeInvestigations(task: Task, config: BaselineConfig): Promise<void> {
  const athena = task.client(AthenaClient);
  const workgroupName = investigationsWorkgroupName(config);
  let exists = false;
  await task.guard(
    [CONTROL],
    async () => {
      exists = await judgeWorkgroup(task, config, athena, workgroupName);
    },
    workgroupName,
  );
  const glue = task.client(GlueClient);
  for (const spec of investigationTables(config)) {
    let table: Table | undefined;
    await task.guard(
      [CONTROL],
      async () => {
        table = await judgeTable(task, config, glue, spec);
      },
      tableResource(config, spec.name),
    );
    const found = table;
    if (found) await task.guard([CONTROL], () => judgeTableVersions(task, config, glue, spec, found), `${tableResource(config, spec.name)}/versions`);
  }
  await task.guard([CONTROL], () => judgeNamedQueries(task, config, athena, workgroupName, exists), `${workgroupName}/named-queries`);
  await task.guard([CONTROL], () => judgeAccountFolders(task, config), accountFoldersResource(config));
}

/** The account folders item's resource: the organization trail's folder in the CloudTrail bucket. */
export const accountFoldersResource = (config: BaselineConfig): string => `${logBucketName(config, 'cloudtrail')}/AWSLogs/${config.organization.id}/`;

/**
 * The accounts whose logs the organization trail delivered, against the accounts the table projects: an
 * account folder under `AWSLogs/<org-id>/` (CloudTrail User Guide, "Creating a trail for an
 * organization": https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html)
 * of an account the config never listed (never a member, removed or destroyed member) is one no
 * investigation can query: the table's projection.account.values enumerates the accounts it reads.
 * Listed with ListObjectsV2, Prefix and Delimiter "/", whose CommonPrefixes are the folders
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html), through the log reader role
 * (--log-reader-role-arn, as log-file validation reads the digests; the log archive grants it s3:ListBucket).
 */
async function judgeAccountFolders(task: Task, config: BaselineConfig): Promise<void> {
  const spec = investigationTables(config).find((t) => t.name === INVESTIGATION_TABLES.organizationTrail);
  if (!spec) return;
  const reader = task.ctx.settings.logReaderRoleArn;
  if (!reader) throw new Error('no log reader role: pass --log-reader-role-arn or list one in logArchive.readerRoleArns (the account folders of the log archive are listed through it)');
  const bucket = logBucketName(config, 'cloudtrail');
  const prefix = `AWSLogs/${config.organization.id}/`;
  const s3 = task.clientForRole(S3Client, reader, config.regions.home);
  const request = { Bucket: bucket, Prefix: prefix, Delimiter: '/' };
  const pages = await task.paginate(
    's3:ListObjectsV2',
    request,
    (ContinuationToken) => s3.send(new ListObjectsV2Command({ ...request, ContinuationToken })),
    (p) => (p.IsTruncated ? p.NextContinuationToken : undefined),
    { key: 'account-folders' },
  );
  const folders = [...new Set(pages.flatMap((p) => p.CommonPrefixes ?? []).map((c) => (c.Prefix ?? '').slice(prefix.length).replace(/\/$/, '')).filter((f) => f !== ''))].sort();
  const projected = enumValues(spec.parameters['projection.account.values']);
  const unknown = folders.filter((f) => !projected.has(f));
  task.item({
    controlId: CONTROL,
    title: `The organization trail's account folders in ${bucket}: every one is an account the investigations project`,
    status: unknown.length ? 'FAIL' : 'PASS',
    reason: unknown.length
      ? `s3://${bucket}/${prefix} holds the logs of ${unknown.join(', ')}, which the config never listed (members, removedMembers, destroyedMembers): projection.account.values leaves ${unknown.length === 1 ? 'that account' : 'those accounts'} out, so no investigation can query ${unknown.length === 1 ? 'its' : 'their'} events; add ${unknown.length === 1 ? 'it' : 'them'} to the config`
      : `${folders.length} account folder(s) under s3://${bucket}/${prefix}, each projected by projection.account.values`,
    resource: accountFoldersResource(config),
    sources: [DOC.s3.listObjectsV2, 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html'],
    details: { folders, unknown },
  });
}

/** The workgroup; returns whether it exists (the named queries live in it). */
async function judgeWorkgroup(task: Task, config: BaselineConfig, athena: AthenaClient, name: string): Promise<boolean> {
  const audit = config.organization.auditAccountId;
  const sources = [DOC.athena.getWorkGroup, DOC.athena.workGroupConfiguration, DOC.athena.resultConfiguration, DOC.athena.encryptionConfiguration, DOC.athena.engineVersion, DOC.kms.describeKey];
  const title = `Investigations workgroup ${name}: enforced, encrypted results in the results bucket, scan limit, engine version 3`;
  let workgroup: WorkGroup | undefined;
  try {
    workgroup = (await task.call('athena:GetWorkGroup', { WorkGroup: name }, () => athena.send(new GetWorkGroupCommand({ WorkGroup: name })))).WorkGroup;
  } catch (e) {
    // GetWorkGroup documents only InvalidRequestException for a bad request (API_GetWorkGroup.html,
    // "Errors"); an unknown workgroup is taken to be one (docs/evidence.md, "Unverified").
    if (!isNotFound(e, 'InvalidRequestException')) throw e;
  }
  if (!workgroup) {
    task.item({ controlId: CONTROL, title, status: 'FAIL', reason: `no workgroup ${name} in the audit account ${audit}: nobody can run an investigation`, resource: name, sources });
    return false;
  }
  const c = workgroup.Configuration ?? {};
  const result = c.ResultConfiguration ?? {};
  const encryption = result.EncryptionConfiguration;
  const bucket = investigationResultsBucketName(config);
  const cutoff = config.investigations.bytesScannedCutoffPerQueryMb * 1_000_000;
  const location = result.OutputLocation ?? '';
  const problems: (string | undefined)[] = [
    // WorkGroup.State: ENABLED | DISABLED (API_WorkGroup.html).
    workgroup.State === 'ENABLED' ? undefined : `State is ${workgroup.State ?? '(none)'}, not ENABLED`,
    // WorkGroupConfiguration.EnforceWorkGroupConfiguration: "If set to false, client-side settings are used".
    c.EnforceWorkGroupConfiguration === true ? undefined : `EnforceWorkGroupConfiguration is ${c.EnforceWorkGroupConfiguration ?? '(unset)'}: a caller's own result location, encryption and scan limit win`,
    // WorkGroupConfiguration.BytesScannedCutoffPerQuery: "the upper data usage limit (cutoff) for the amount of bytes a single query ... is allowed to scan".
    c.BytesScannedCutoffPerQuery === undefined
      ? `BytesScannedCutoffPerQuery is unset: no per-query scan limit (investigations.bytesScannedCutoffPerQueryMb is ${config.investigations.bytesScannedCutoffPerQueryMb})`
      : c.BytesScannedCutoffPerQuery > cutoff
        ? `BytesScannedCutoffPerQuery is ${c.BytesScannedCutoffPerQuery}, above the configured ${cutoff} (investigations.bytesScannedCutoffPerQueryMb)`
        : undefined,
    // ResultConfiguration.OutputLocation, an s3:// URI (API_ResultConfiguration.html).
    location === `s3://${bucket}` || location.startsWith(`s3://${bucket}/`) ? undefined : `ResultConfiguration.OutputLocation is ${location || '(none)'}, not in the results bucket s3://${bucket}/`,
    // ResultConfiguration.ExpectedBucketOwner: the account that must own the output bucket.
    result.ExpectedBucketOwner === audit ? undefined : `ResultConfiguration.ExpectedBucketOwner is ${result.ExpectedBucketOwner ?? '(unset)'}, not the audit account ${audit}`,
    // EncryptionConfiguration.EncryptionOption: SSE_S3 | SSE_KMS | CSE_KMS; KmsKey "for SSE_KMS and CSE_KMS" (API_EncryptionConfiguration.html).
    !encryption?.EncryptionOption
      ? 'ResultConfiguration.EncryptionConfiguration is unset: results are not encrypted with a KMS key'
      : !KMS_OPTIONS.includes(encryption.EncryptionOption)
        ? `ResultConfiguration.EncryptionConfiguration.EncryptionOption is ${encryption.EncryptionOption}, not SSE_KMS or CSE_KMS`
        : await resultsKeyProblem(task, config, encryption.KmsKey),
    // EngineVersion.SelectedEngineVersion ("including AUTO") and EffectiveEngineVersion (API_EngineVersion.html).
    c.EngineVersion?.SelectedEngineVersion === ATHENA_ENGINE_VERSION ? undefined : `EngineVersion.SelectedEngineVersion is ${c.EngineVersion?.SelectedEngineVersion ?? '(unset)'}, not ${ATHENA_ENGINE_VERSION} (the investigations' SQL is written for it)`,
    c.EngineVersion?.EffectiveEngineVersion === undefined || c.EngineVersion.EffectiveEngineVersion === ATHENA_ENGINE_VERSION
      ? undefined
      : `EngineVersion.EffectiveEngineVersion is ${c.EngineVersion.EffectiveEngineVersion}, not ${ATHENA_ENGINE_VERSION}`,
  ];
  const found = problems.filter((p): p is string => !!p);
  task.item({
    controlId: CONTROL,
    title,
    status: found.length ? 'FAIL' : 'PASS',
    reason: found.length
      ? found.join('; ')
      : `ENABLED, enforced, results in ${location} encrypted ${encryption?.EncryptionOption} with ${resultsKeyAlias(config)}, owner ${audit}, at most ${c.BytesScannedCutoffPerQuery} bytes a query, ${ATHENA_ENGINE_VERSION}`,
    resource: name,
    sources,
    details: { bytesScannedCutoffPerQuery: c.BytesScannedCutoffPerQuery ?? null, configuredCutoff: cutoff, outputLocation: location || null },
  });
  return true;
}

/**
 * Whether `kmsKey` is the results key (the alias LogInvestigations creates, read with DescribeKey in
 * the audit account): only its key ARN or the alias ARN count, as for the log-archive keys (kms.ts).
 */
async function resultsKeyProblem(task: Task, config: BaselineConfig, kmsKey: string | undefined): Promise<string | undefined> {
  const audit = config.organization.auditAccountId;
  const alias = resultsKeyAlias(config);
  const aliasArn = kmsAliasArn(config, audit, 'investigation-results');
  const kms = task.client(KMSClient);
  let keyArn: string | undefined;
  try {
    keyArn = (await task.call('kms:DescribeKey', { KeyId: aliasArn }, () => kms.send(new DescribeKeyCommand({ KeyId: aliasArn })), { key: 'investigation-results' })).KeyMetadata?.Arn;
  } catch (e) {
    if (!isNotFound(e, 'NotFoundException')) throw e;
  }
  if (!keyArn) return `the results key ${alias} does not exist (no such alias in ${audit})`;
  if (!kmsKey) return `ResultConfiguration.EncryptionConfiguration.KmsKey is unset, not the results key ${alias} (${keyArn})`;
  return [keyArn, aliasArn].includes(kmsKey) ? undefined : `ResultConfiguration.EncryptionConfiguration.KmsKey is ${kmsKey}, not the results key ${alias} (${keyArn})`;
}

/** Values of a comma-separated enum projection (`projection.<column>.values`). */
const enumValues = (v: string | undefined) => new Set((v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/** A value for a reason: short values as they are, long ones (view text, struct types) cut. */
const shown = (v: string) => (v.length > 80 ? `${v.slice(0, 77)}...` : v);

/**
 * `actual` against `wanted` (Column: Name, Type, API_Column.html), naming the field: columns missing,
 * added, of another type, or in another order (the delimited SerDe reads fields by position).
 */
function columnDifferences(field: string, actual: readonly Column[], wanted: readonly TableColumn[]): string[] {
  const byName = new Map(actual.map((c) => [c.Name ?? '', c.Type ?? '']));
  const wantedNames = new Set(wanted.map((c) => c.name));
  const missing = wanted.filter((c) => !byName.has(c.name)).map((c) => c.name);
  const extra = actual.filter((c) => !wantedNames.has(c.Name ?? '')).map((c) => `${c.Name} (${shown(c.Type ?? '')})`);
  const retyped = wanted.filter((c) => byName.has(c.name) && byName.get(c.name) !== c.type).map((c) => `${field} ${c.name} is ${shown(byName.get(c.name)!)}, not ${shown(c.type)}`);
  const order = !missing.length && !extra.length && actual.some((c, i) => c.Name !== wanted[i]?.name);
  return [
    ...(missing.length ? [`${field} misses ${missing.join(', ')}`] : []),
    ...(extra.length ? [`${field} has ${extra.join(', ')}, which the baseline does not declare`] : []),
    ...retyped,
    ...(order ? [`${field} are in another order (${actual.map((c) => c.Name).join(', ')})`] : []),
  ];
}

/** A string map against the one the baseline builds: keys missing, changed or added. */
function mapDifferences(field: string, actual: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>, skip: readonly string[] = []): string[] {
  return [
    ...Object.keys(wanted)
      .filter((k) => !skip.includes(k) && actual[k] !== wanted[k])
      .map((k) => `${field}.${k} is ${actual[k] === undefined ? '(unset)' : JSON.stringify(shown(actual[k]))}, not ${JSON.stringify(shown(wanted[k]))}`),
    ...Object.keys(actual)
      .filter((k) => !(k in wanted))
      .map((k) => `${field}.${k} is ${JSON.stringify(shown(actual[k]))}, which the baseline does not set`),
  ];
}

/**
 * The account and Region projection of a table's current state: every account and Region the config
 * projects must be there; an extra one reads nothing wrong.
 */
function currentProjection(params: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>): (string | undefined)[] {
  const missingAccounts = [...enumValues(want['projection.account.values'])].filter((a) => !enumValues(params['projection.account.values']).has(a));
  const missingRegions = [...enumValues(want['projection.region.values'])].filter((r) => !enumValues(params['projection.region.values']).has(r));
  return [
    missingAccounts.length ? `projection.account.values misses ${missingAccounts.join(', ')}: nobody can investigate ${missingAccounts.length === 1 ? 'that account' : 'those accounts'}` : undefined,
    missingRegions.length ? `projection.region.values misses ${missingRegions.join(', ')}: the logs of ${missingRegions.length === 1 ? 'that Region' : 'those Regions'} cannot be investigated` : undefined,
  ];
}

/** The version a table version is compared with: the one made just before it. */
export interface PreviousVersion {
  readonly versionId: string;
  readonly table: Table;
}

/**
 * The account and Region projection of a table version made in the audit period, as only the pipeline
 * makes it: `projection.account.values` holds every account of the version before it (accounts are only
 * ever added: a removed or destroyed member stays projected while the archive keeps its logs,
 * `projectedAccountIds`) and none the config does not project now (a vend in the period adds an account:
 * that version is a subset of today's list); `projection.region.values` is exactly the config's Regions.
 */
function versionProjection(params: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>, previous: PreviousVersion | undefined): (string | undefined)[] {
  const accounts = enumValues(params['projection.account.values']);
  const wantedAccounts = enumValues(want['projection.account.values']);
  const dropped = previous ? [...enumValues(previous.table.Parameters?.['projection.account.values'])].filter((a) => !accounts.has(a)) : [];
  const unknown = [...accounts].filter((a) => !wantedAccounts.has(a));
  const regions = enumValues(params['projection.region.values']);
  const wantedRegions = enumValues(want['projection.region.values']);
  const missingRegions = [...wantedRegions].filter((r) => !regions.has(r));
  const extraRegions = [...regions].filter((r) => !wantedRegions.has(r));
  return [
    dropped.length
      ? `projection.account.values drops ${dropped.join(', ')}, which version ${previous!.versionId} projected: nobody could investigate ${dropped.length === 1 ? 'that account' : 'those accounts'} (accounts are only ever added)`
      : undefined,
    unknown.length ? `projection.account.values has ${unknown.join(', ')}, which the config does not project` : undefined,
    missingRegions.length ? `projection.region.values misses ${missingRegions.join(', ')}` : undefined,
    extraRegions.length ? `projection.region.values has ${extraRegions.join(', ')}, which the config does not project` : undefined,
  ];
}

/**
 * Where a Glue table (API_Table.html, API_StorageDescriptor.html, API_SerDeInfo.html, API_Column.html)
 * differs from what `LogInvestigations` builds from `spec`, field by field: the table type and view
 * text (a view of the same name that filters rows), a link to another table, the partition projection
 * and location, the other table parameters, the SerDe and its parameters, the input and output
 * formats, the columns and partition keys, and a registration with Lake Formation. Empty when it is as built.
 */
export function tableDifferences(table: Table, spec: InvestigationTable): string[] {
  return [
    // Table.IsRegisteredWithLakeFormation, "Indicates whether the table has been registered with Lake Formation"
    // (https://docs.aws.amazon.com/glue/latest/webapi/API_Table.html): the baseline's tables are plain
    // IAM-governed tables; registered, Lake Formation's permissions (row and cell filters among them)
    // decide what a query returns, and can hide rows from an investigation without changing the table.
    ...(table.IsRegisteredWithLakeFormation
      ? ['IsRegisteredWithLakeFormation is true: the table\'s location is registered with Lake Formation, whose permissions and data filters can silently leave rows out of an investigation (the baseline builds IAM-governed tables)']
      : []),
    ...differences(table, spec, currentProjection(table.Parameters ?? {}, spec.parameters)),
  ];
}

/**
 * Where a version made in the audit period differs from what the config builds now: every field as in
 * `tableDifferences`, but the account and Region projection as `versionProjection` judges it against
 * `previous`, the version made just before it (none for a table's first version).
 */
export function versionDifferences(table: Table, spec: InvestigationTable, previous: PreviousVersion | undefined): string[] {
  return differences(table, spec, versionProjection(table.Parameters ?? {}, spec.parameters, previous));
}

function differences(table: Table, spec: InvestigationTable, projected: readonly (string | undefined)[]): string[] {
  const params = table.Parameters ?? {};
  const want = spec.parameters;
  const sd = table.StorageDescriptor ?? {};
  const serde = sd.SerdeInfo ?? {};
  // Judged as sets (`projected`), or with its own reason.
  const projectedSets = ['projection.enabled', 'projection.account.values', 'projection.region.values'];
  const problems: (string | undefined)[] = [
    // Table.TableType, ViewOriginalText, ViewExpandedText ("If the table is a view, the original text of the view; otherwise null"), ViewDefinition (API_Table.html).
    table.TableType === TABLE_TYPE ? undefined : `TableType is ${table.TableType ?? '(unset)'}, not ${TABLE_TYPE}`,
    table.ViewOriginalText ? `ViewOriginalText is set (${JSON.stringify(shown(table.ViewOriginalText))}): the table is a view, whose query decides what an investigation sees` : undefined,
    table.ViewExpandedText ? `ViewExpandedText is set (${JSON.stringify(shown(table.ViewExpandedText))})` : undefined,
    table.ViewDefinition ? 'ViewDefinition is set: the table is a view' : undefined,
    // Table.TargetTable: "A TableIdentifier structure that describes a target table for resource linking"; FederatedTable: an entity outside the Data Catalog (API_Table.html).
    table.TargetTable ? `TargetTable is ${table.TargetTable.CatalogId ?? ''}${table.TargetTable.CatalogId ? ':' : ''}${table.TargetTable.DatabaseName}.${table.TargetTable.Name}: the table is a link to another table` : undefined,
    table.FederatedTable ? `FederatedTable is set (${table.FederatedTable.ConnectionName ?? ''} ${table.FederatedTable.DatabaseIdentifier ?? ''}.${table.FederatedTable.Identifier ?? ''}): the table reads outside the Data Catalog` : undefined,
    // Table.Parameters: the table properties, which hold the partition projection (Athena User Guide, "Use partition projection with Amazon Athena").
    params['projection.enabled'] === 'true' ? undefined : `projection.enabled is ${params['projection.enabled'] ?? '(unset)'}, not true: the partitions are not projected and queries read nothing`,
    ...projected,
    ...Object.keys(want)
      .filter((k) => !projectedSets.includes(k) && params[k] !== want[k])
      .map((k) => `${k} is ${params[k] ?? '(unset)'}, not ${want[k]}${k === 'storage.location.template' ? ' (the log archive path)' : ''}`),
    ...Object.keys(params)
      .filter((k) => !(k in want))
      .map((k) => `Parameters.${k} is ${JSON.stringify(shown(params[k]))}, which the baseline does not set`),
    // StorageDescriptor.Location: "the physical location of the table"; InputFormat, OutputFormat, SerdeInfo, Columns (API_StorageDescriptor.html).
    sd.Location === spec.location ? undefined : `StorageDescriptor.Location is ${sd.Location ?? '(unset)'}, not ${spec.location}`,
    sd.InputFormat === spec.inputFormat ? undefined : `StorageDescriptor.InputFormat is ${sd.InputFormat ?? '(unset)'}, not ${spec.inputFormat}`,
    sd.OutputFormat === spec.outputFormat ? undefined : `StorageDescriptor.OutputFormat is ${sd.OutputFormat ?? '(unset)'}, not ${spec.outputFormat}`,
    // SerDeInfo.SerializationLibrary, Parameters ("Initialization parameters for the SerDe", API_SerDeInfo.html).
    serde.SerializationLibrary === spec.serializationLibrary ? undefined : `StorageDescriptor.SerdeInfo.SerializationLibrary is ${serde.SerializationLibrary ?? '(unset)'}, not ${spec.serializationLibrary}`,
    ...mapDifferences('StorageDescriptor.SerdeInfo.Parameters', serde.Parameters ?? {}, spec.serdeParameters),
    ...columnDifferences('StorageDescriptor.Columns', sd.Columns ?? [], spec.columns),
    // Table.PartitionKeys: "A list of columns by which the table is partitioned" (API_Table.html).
    ...columnDifferences('PartitionKeys', table.PartitionKeys ?? [], spec.partitionKeys),
  ];
  return problems.filter((p): p is string => !!p);
}

/** The table, judged against what the config builds; returns it when it exists (its versions are judged next). */
async function judgeTable(task: Task, config: BaselineConfig, glue: GlueClient, spec: InvestigationTable): Promise<Table | undefined> {
  const database = investigationsDatabaseName(config);
  const resource = tableResource(config, spec.name);
  const sources = [DOC.glue.getTable, DOC.glue.table, DOC.glue.storageDescriptor, DOC.glue.serDeInfo, DOC.glue.column];
  const title = `Investigations table ${resource}: an external table as built (columns, SerDe, formats), projected over every account and Region of the log archive`;
  const request = { DatabaseName: database, Name: spec.name };
  let table: Table | undefined;
  try {
    table = (await task.call('glue:GetTable', request, () => glue.send(new GetTableCommand(request)), { key: spec.name })).Table;
  } catch (e) {
    // GetTable: EntityNotFoundException, "A specified entity does not exist" (API_GetTable.html, "Errors").
    if (!isNotFound(e, 'EntityNotFoundException')) throw e;
  }
  if (!table) {
    task.item({ controlId: CONTROL, title, status: 'FAIL', reason: `no table ${spec.name} in the database ${database}: its logs cannot be investigated`, resource, sources });
    return undefined;
  }
  const found = tableDifferences(table, spec);
  const params = table.Parameters ?? {};
  task.item({
    controlId: CONTROL,
    title,
    status: found.length ? 'FAIL' : 'PASS',
    reason: found.length
      ? found.join('; ')
      : `${TABLE_TYPE}, ${spec.columns.length} columns and ${spec.partitionKeys.length} partition keys with ${spec.serializationLibrary}, projected over ${enumValues(params['projection.account.values']).size} account(s) and ${enumValues(params['projection.region.values']).size} Region(s), ${params['projection.day.range']}, from ${params['storage.location.template']}`,
    resource,
    sources,
  });
  return table;
}

/** What the versions item says when a table was created in the period and its first version is as built. */
export const CREATED_IN_PERIOD_NOTE =
  'first apply, or deleted and re-created: the organization trail shows which; deletion is denied by the guardrails to all but the pipeline and break-glass';

/**
 * The table's history in the audit period: every version Glue keeps (GetTableVersions; TableVersion.VersionId,
 * "a string representation of an integer. Each version is incremented by 1", API_TableVersion.html) and
 * the table's own CreateTime and UpdateTime ("The last time that the table was updated", API_Table.html),
 * against the period's start. A table changed and changed back within the period passes every check of
 * its current state; its versions show it.
 *
 * The pipeline updates the tables whenever an account is vended (the account projection lists every
 * account), so a version made in the period passes when it is what the pipeline makes: every field as
 * the config builds it now (`versionDifferences`), except `projection.account.values`, which holds every
 * account of the version before it and none the config does not project now (accounts are only ever
 * added). Anything else FAILs, naming the version and the field: an account list narrowed and restored,
 * another Region list, SerDe, location, view, columns or day range. Also a FAIL: a version whose
 * predecessor is gone (the numbers have a gap: DeleteTableVersion or BatchDeleteTableVersion), so its
 * account list cannot be compared; and a table UpdateTime after its last version (UpdateTable with
 * SkipArchive: "if skipArchive is set to true, UpdateTable does not create the archived version",
 * API_UpdateTable.html), a change no version records. A table created in the period (DeleteTable takes
 * its versions with it, API_DeleteTable.html) has no version before it: its first version is judged
 * without one and, as built, PASSes with a note saying so (docs/evidence.md, "investigations.athena").
 */
async function judgeTableVersions(task: Task, config: BaselineConfig, glue: GlueClient, spec: InvestigationTable, table: Table): Promise<void> {
  const database = investigationsDatabaseName(config);
  const resource = `${tableResource(config, spec.name)}/versions`;
  const from = task.ctx.settings.period.from;
  const sources = [DOC.glue.getTableVersions, DOC.glue.tableVersion, DOC.glue.table, DOC.glue.updateTable, DOC.glue.deleteTable];
  const title = `Investigations table ${tableResource(config, spec.name)}: every version made since the audit period began as the pipeline makes it (GetTableVersions)`;
  const request = { DatabaseName: database, TableName: spec.name, MaxResults: TABLE_VERSIONS_PAGE };
  const pages = await task.paginate(
    'glue:GetTableVersions',
    request,
    (NextToken) => glue.send(new GetTableVersionsCommand({ ...request, NextToken })),
    (page) => page.NextToken,
    { key: spec.name },
  );
  const versions = pages.flatMap((p) => p.TableVersions ?? []).sort((a, b) => Number(a.VersionId) - Number(b.VersionId));
  const byId = new Map(versions.map((v) => [Number(v.VersionId), v]));
  const madeAt = (t: Table | undefined) => t?.UpdateTime ?? t?.CreateTime;
  const inPeriod = (d: Date | undefined) => !!d && d.getTime() >= from.getTime();
  const iso = (d: Date) => d.toISOString();
  // Table.CreateTime; when Glue gives none, a table whose every version is in the period.
  const created = table.CreateTime ? inPeriod(table.CreateTime) : versions.length > 0 && versions.every((v) => inPeriod(madeAt(v.Table)));
  const recent = versions.filter((v) => inPeriod(madeAt(v.Table)));
  const added: { versionId: string; accounts: string[] }[] = [];
  const found: string[] = versions.filter((v) => !v.Table).map((v) => `version ${v.VersionId} came without its Table (TableVersion.Table is optional): it cannot be judged`);
  for (const v of recent) {
    const n = Number(v.VersionId);
    const before = byId.get(n - 1);
    const previous = before?.Table ? { versionId: before.VersionId!, table: before.Table } : undefined;
    const first = v === versions[0] && created;
    const differences = [
      ...(before || first ? [] : [`version ${n - 1}, the one before it, is not kept (DeleteTableVersion or BatchDeleteTableVersion), so whether it narrowed projection.account.values cannot be told`]),
      ...versionDifferences(v.Table!, spec, previous),
    ];
    if (differences.length) found.push(`version ${v.VersionId} made ${iso(madeAt(v.Table)!)}: ${differences.join(', ')}`);
    const accounts = [...enumValues(v.Table!.Parameters?.['projection.account.values'])];
    const had = enumValues(previous?.table.Parameters?.['projection.account.values']);
    if (previous) added.push({ versionId: v.VersionId!, accounts: accounts.filter((a) => !had.has(a)) });
  }
  const latest = versions.map((v) => madeAt(v.Table)).filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0];
  if (table.UpdateTime && inPeriod(table.UpdateTime) && (!latest || table.UpdateTime.getTime() > latest.getTime())) {
    found.push(`the table was updated ${iso(table.UpdateTime)} (UpdateTime) and no version records it (UpdateTable with SkipArchive)`);
  }
  const addedAccounts = [...new Set(added.flatMap((a) => a.accounts))];
  const vends = addedAccounts.length ? `; projection.account.values only gained accounts (${addedAccounts.length}: ${shown(addedAccounts.join(', '))})` : '';
  const createdNote = created ? `created in the period (${CREATED_IN_PERIOD_NOTE})${table.CreateTime ? `, at ${iso(table.CreateTime)}` : ''}; ` : '';
  const last = latest ?? madeAt(table);
  task.item({
    controlId: CONTROL,
    title,
    status: found.length ? 'FAIL' : 'PASS',
    reason: found.length
      ? `${found.join('; ')}. Since the audit period's start ${iso(from)} a version must be as the config builds the table now, its projection.account.values only adding accounts to the version before it (a vend); a change made back leaves no trace in the table's current state, so check who made each (CloudTrail glue:UpdateTable, CreateTable, DeleteTable or DeleteTableVersion at that time)`
      : recent.length
        ? `${createdNote}${recent.length} of ${versions.length} version(s) made since the audit period's start ${iso(from)}, each as the config builds the table now${vends}`
        : `${createdNote}${versions.length} version(s), the last made ${last ? iso(last) : '(no time given)'}, before the audit period's start ${iso(from)}`,
    resource,
    sources,
    details: {
      periodFrom: iso(from),
      createdInPeriod: created,
      versions: versions.map((v) => ({ versionId: v.VersionId ?? null, madeAt: madeAt(v.Table)?.toISOString() ?? null, accountsAdded: added.find((a) => a.versionId === v.VersionId)?.accounts ?? null })),
    },
  });
}

async function judgeNamedQueries(task: Task, config: BaselineConfig, athena: AthenaClient, workgroup: string, workgroupExists: boolean): Promise<void> {
  const database = investigationsDatabaseName(config);
  const sources = [DOC.athena.listNamedQueries, DOC.athena.batchGetNamedQuery, DOC.athena.namedQuery];
  const wanted = investigationsFor(config).available.map(({ investigation, sql }) => ({
    name: investigationNamedQueryName(config, investigation.name),
    investigation: investigation.name,
    // The named query's text: the SQL with `?` markers (LogInvestigations' `query`), for the console.
    sql: bindParameters(sql).queryString,
  }));
  const title = (name: string) => `Named investigation ${name}: in the workgroup, the baseline's SQL`;
  if (!workgroupExists) {
    for (const w of wanted) {
      task.item({ controlId: CONTROL, title: title(w.name), status: 'FAIL', reason: `no workgroup ${workgroup}, so no named query ${w.name}`, resource: `named-query/${w.name}`, sources, raw: [] });
    }
    return;
  }
  // ListNamedQueries: NamedQueryIds of the WorkGroup, paginated by NextToken (MaxResults 0-50).
  const pages = await task.paginate(
    'athena:ListNamedQueries',
    { WorkGroup: workgroup, MaxResults: NAMED_QUERY_BATCH },
    (NextToken) => athena.send(new ListNamedQueriesCommand({ WorkGroup: workgroup, MaxResults: NAMED_QUERY_BATCH, NextToken })),
    (page) => page.NextToken,
  );
  const ids = pages.flatMap((p) => p.NamedQueryIds ?? []);
  const queries: NamedQuery[] = [];
  for (let i = 0; i < ids.length; i += NAMED_QUERY_BATCH) {
    const NamedQueryIds = ids.slice(i, i + NAMED_QUERY_BATCH);
    const out = await task.call('athena:BatchGetNamedQuery', { NamedQueryIds }, () => athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds })), { key: `${i / NAMED_QUERY_BATCH + 1}` });
    queries.push(...(out.NamedQueries ?? []));
    // UnprocessedNamedQueryIds: ids the call could not read (an unauthorized workgroup among them).
    const unprocessed = out.UnprocessedNamedQueryIds ?? [];
    if (unprocessed.length) {
      throw new Error(`athena:BatchGetNamedQuery could not read ${unprocessed.map((u) => `${u.NamedQueryId} (${u.ErrorCode ?? '?'}: ${u.ErrorMessage ?? ''})`).join(', ')}`);
    }
  }
  for (const w of wanted) {
    const same = queries.filter((q) => q.Name === w.name);
    const problems = same.length
      ? same.flatMap((q) => [
          q.QueryString === w.sql ? undefined : `named query ${q.NamedQueryId} ${w.name} has other SQL than the baseline's ${w.investigation} (${q.QueryString?.length ?? 0} characters, not ${w.sql.length}): the investigation would not ask what it says`,
          q.Database === database ? undefined : `named query ${q.NamedQueryId} ${w.name} runs in the database ${q.Database ?? '(none)'}, not ${database}`,
        ])
      : [`no named query ${w.name} in the workgroup ${workgroup}`];
    const found = problems.filter((p): p is string => !!p);
    task.item({
      controlId: CONTROL,
      title: title(w.name),
      status: found.length ? 'FAIL' : 'PASS',
      reason: found.length ? found.join('; ') : `${same.map((q) => q.NamedQueryId).join(', ')}: the baseline's SQL, database ${database}`,
      resource: `named-query/${w.name}`,
      sources,
    });
  }
}

/**
 * The Logs Insights saved queries `LogsInsightsQueries` makes in the management account, home Region
 * (DescribeQueryDefinitions with queryDefinitionNamePrefix `<prefix>/investigations/`, followed over
 * nextToken; QueryDefinition: name, queryString, logGroupNames, queryLanguage, API_QueryDefinition.html):
 * each investigation the config runs present with exactly the baseline's query string over the
 * organization trail's log group, and nothing else under the prefix, where a look-alike would be
 * picked by an investigator. No SCP protects these: SCPs never restrict the management account, and
 * PutQueryDefinition and DeleteQueryDefinition list no resource type (modules/guardrails/action-classification.ts),
 * so only this reading sees a change.
 */
async function judgeQueryDefinitions(task: Task, config: BaselineConfig): Promise<void> {
  const logs = task.client(CloudWatchLogsClient);
  const prefix = investigationQueryDefinitionPrefix(config);
  const logGroup = orgTrailLogGroupName(config);
  const management = config.organization.managementAccountId;
  const sources = [DOC.logs.describeQueryDefinitions, DOC.logs.queryDefinition];
  const pages = await task.paginate(
    'logs:DescribeQueryDefinitions',
    { queryDefinitionNamePrefix: prefix },
    (nextToken) => logs.send(new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: prefix, nextToken })),
    (page) => page.nextToken,
  );
  const definitions: QueryDefinition[] = pages.flatMap((p) => p.queryDefinitions ?? []);
  const wanted = investigationsFor(config).available.map(({ investigation, logsInsights }) => ({
    name: investigationQueryDefinitionName(config, investigation.name),
    investigation: investigation.name,
    queryString: logsInsights,
  }));
  for (const w of wanted) {
    const same = definitions.filter((d) => d.name === w.name);
    const problems = same.length
      ? same.flatMap((d) => {
          const groups = [...(d.logGroupNames ?? [])].sort();
          return [
            d.queryString === w.queryString
              ? undefined
              : `saved query ${d.queryDefinitionId} ${w.name} has another query string than the baseline's ${w.investigation} (${d.queryString?.length ?? 0} characters, not ${w.queryString.length}): the investigation would not ask what it says`,
            groups.length === 1 && groups[0] === logGroup ? undefined : `saved query ${d.queryDefinitionId} ${w.name} reads the log groups ${groups.join(', ') || '(none)'}, not only ${logGroup}`,
            d.queryLanguage === undefined || d.queryLanguage === LOGS_INSIGHTS_QL ? undefined : `saved query ${d.queryDefinitionId} ${w.name} is in ${d.queryLanguage}, not ${LOGS_INSIGHTS_QL} (Logs Insights QL)`,
          ];
        })
      : [`no saved query ${w.name} in the management account ${management}`];
    const found = problems.filter((p): p is string => !!p);
    task.item({
      controlId: CONTROL,
      title: `Logs Insights saved query ${w.name}: the baseline's query over ${logGroup}`,
      status: found.length ? 'FAIL' : 'PASS',
      reason: found.length ? found.join('; ') : `${same.map((d) => d.queryDefinitionId).join(', ')}: the baseline's query string over ${logGroup}`,
      resource: `query-definition/${w.name}`,
      sources,
    });
  }
  const names = new Set(wanted.map((w) => w.name));
  const extra = definitions.filter((d) => !names.has(d.name ?? ''));
  task.item({
    controlId: CONTROL,
    title: `Logs Insights saved queries under ${prefix}: only the baseline's`,
    status: extra.length ? 'FAIL' : 'PASS',
    reason: extra.length
      ? `saved queries under ${prefix} the baseline does not make: ${extra.map((d) => `${d.name} (${d.queryDefinitionId})`).join(', ')}: an investigator may pick one that asks something else`
      : `only the baseline's ${wanted.length} saved queries under ${prefix}`,
    resource: `query-definitions/${prefix}`,
    sources,
  });
}
