/**
 * The investigations check (evidence/checks/investigations.ts) at the SDK level, with aws-sdk-client-mock
 * answering in the shapes of the Athena, Glue and CloudWatch Logs API references (GetWorkGroup:
 * API_GetWorkGroup.html, API_WorkGroupConfiguration.html, API_ResultConfiguration.html,
 * API_EncryptionConfiguration.html, API_EngineVersion.html; ListNamedQueries: API_ListNamedQueries.html;
 * BatchGetNamedQuery: API_BatchGetNamedQuery.html, API_NamedQuery.html; Glue GetTable: API_GetTable.html,
 * API_Table.html, API_StorageDescriptor.html, API_SerDeInfo.html, API_Column.html; Glue GetTableVersions:
 * API_GetTableVersions.html, API_TableVersion.html (VersionId "incremented by 1"); UpdateTable SkipArchive:
 * API_UpdateTable.html; DeleteTable, which takes the versions with it: API_DeleteTable.html; KMS
 * DescribeKey: API_DescribeKey.html; CloudWatch Logs DescribeQueryDefinitions:
 * API_DescribeQueryDefinitions.html, API_QueryDefinition.html). The branches the
 * tamper suite's moto org does not reach: CSE_KMS, a limit above the config's, AUTO engine, another key,
 * a second query of the same name, pagination, a refused or unknown resource, a table's every field,
 * its versions (vends, a narrowed and restored account list, a gap, a table created in the period), the
 * saved queries' log groups and language, and investigations switched off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AthenaClient, BatchGetNamedQueryCommand, GetWorkGroupCommand, ListNamedQueriesCommand, type NamedQuery, type WorkGroup } from '@aws-sdk/client-athena';
import { CloudWatchLogsClient, DescribeQueryDefinitionsCommand, type QueryDefinition } from '@aws-sdk/client-cloudwatch-logs';
import { GetTableCommand, GetTableVersionsCommand, GlueClient, type Table, type TableVersion } from '@aws-sdk/client-glue';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load';
import {
  investigationNamedQueryName as namedQueryName,
  investigationQueryDefinitionPrefix,
  logBucketName,
  investigationResultsBucketName,
  investigationsDatabaseName,
  investigationsWorkgroupName,
} from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { accountFoldersResource, CREATED_IN_PERIOD_NOTE, investigationTasks, tableResource } from '../../evidence/checks/investigations';
import { createContext, planTasks, runTasks } from '../../evidence/collect';
import type { EvidenceItem } from '../../evidence/types';
import { INVESTIGATION_TABLES } from '../../modules/investigations/cloudtrail-table';
import { investigationsFor } from '../../modules/investigations/context';
import { bindParameters } from '../../modules/investigations/investigation';
import { ATHENA_ENGINE_VERSION } from '../../modules/investigations/log-investigations';
import { FLOW_LOGS_TABLE, investigationTables } from '../../modules/investigations/tables';
import { baselineQueryDefinitions, tableInput } from './investigations-fixture';

const NOW = new Date('2026-03-02T12:00:00Z');
/** The default audit period: 90 days back from now (evidence/period/period.ts DEFAULT_PERIOD_DAYS). */
const PERIOD_FROM = new Date(NOW.getTime() - 90 * 86_400_000);
/** When the healthy tables were deployed: before the period. */
const DEPLOYED = new Date('2025-06-01T00:00:00Z');
const IN_PERIOD = new Date('2026-02-10T08:30:00Z');

function exampleConfig(edit: (raw: Record<string, any>) => void = () => undefined): BaselineConfig {
  const raw = parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8'));
  edit(raw);
  return parseConfig(raw, 'baseline.config.yaml');
}

const config = exampleConfig();
const audit = config.organization.auditAccountId;
const home = config.regions.home;
const workgroup = investigationsWorkgroupName(config);
const KEY_ARN = `arn:aws:kms:${home}:${audit}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ALIAS_ARN = `arn:aws:kms:${home}:${audit}:alias/acme-soc2/investigation-results`;

function healthyWorkgroup(): WorkGroup {
  return {
    Name: workgroup,
    State: 'ENABLED',
    Configuration: {
      EnforceWorkGroupConfiguration: true,
      BytesScannedCutoffPerQuery: config.investigations.bytesScannedCutoffPerQueryMb * 1_000_000,
      EngineVersion: { SelectedEngineVersion: ATHENA_ENGINE_VERSION, EffectiveEngineVersion: ATHENA_ENGINE_VERSION },
      ResultConfiguration: {
        OutputLocation: `s3://${investigationResultsBucketName(config)}/${workgroup}/`,
        ExpectedBucketOwner: audit,
        EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: KEY_ARN },
      },
    },
  };
}

function healthyQueries(): NamedQuery[] {
  return investigationsFor(config).available.map(({ investigation, sql }, i) => ({
    NamedQueryId: `q-${i}`,
    Name: namedQueryName(config, investigation.name),
    Database: investigationsDatabaseName(config),
    WorkGroup: workgroup,
    QueryString: bindParameters(sql).queryString,
  }));
}

const mocks: { restore(): void }[] = [];
afterEach(() => {
  while (mocks.length) mocks.pop()!.restore();
});

/** A table as deployed before the period: Table.CreateTime, UpdateTime (API_Table.html). */
const deployedTable = (name: string): Table => ({ ...tableInput(investigationTables(config).find((t) => t.name === name)!), DatabaseName: investigationsDatabaseName(config), CreateTime: DEPLOYED, UpdateTime: DEPLOYED, IsRegisteredWithLakeFormation: false });

/**
 * The mocked accounts: in the audit account the workgroup, its named queries (ListNamedQueries two ids
 * a page), the tables and their versions (one each, made at deployment, unless `versions` says), the
 * results key; in the management account the saved queries (DescribeQueryDefinitions three a page).
 */
function mockAccount(
  over: {
    workgroup?: WorkGroup | Error;
    queries?: NamedQuery[];
    tables?: Record<string, Table | Error>;
    versions?: Record<string, TableVersion[]>;
    unprocessed?: boolean;
    definitions?: QueryDefinition[];
    /** The account folders under AWSLogs/<org-id>/ of the CloudTrail bucket; default: every account of the config's projection. */
    folders?: string[];
  } = {},
) {
  const athena = mockClient(AthenaClient);
  const glue = mockClient(GlueClient);
  const kms = mockClient(KMSClient);
  const logs = mockClient(CloudWatchLogsClient);
  const s3 = mockClient(S3Client);
  mocks.push(athena, glue, kms, logs, s3);
  // ListObjectsV2 with Delimiter "/": the folders as CommonPrefixes, two a page (IsTruncated,
  // NextContinuationToken, ContinuationToken: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
  const folders = over.folders ?? orgTable().parameters['projection.account.values'].split(',');
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string; ContinuationToken?: string }) => {
    const all = folders.map((f) => ({ Prefix: `${input.Prefix}${f}/` }));
    const i = Number(input.ContinuationToken ?? 0);
    return { CommonPrefixes: all.slice(i, i + 2), KeyCount: Math.min(2, all.length - i), IsTruncated: i + 2 < all.length, ...(i + 2 < all.length ? { NextContinuationToken: String(i + 2) } : {}) };
  });
  const wg = over.workgroup ?? healthyWorkgroup();
  if (wg instanceof Error) athena.on(GetWorkGroupCommand).rejects(wg);
  else athena.on(GetWorkGroupCommand, { WorkGroup: workgroup }).resolves({ WorkGroup: wg });
  const queries = over.queries ?? healthyQueries();
  athena.on(ListNamedQueriesCommand).callsFake((input: { NextToken?: string; WorkGroup: string }) => {
    const start = Number(input.NextToken ?? 0);
    const ids = queries.filter((q) => q.WorkGroup === input.WorkGroup).map((q) => q.NamedQueryId!);
    return { NamedQueryIds: ids.slice(start, start + 2), ...(start + 2 < ids.length ? { NextToken: String(start + 2) } : {}) };
  });
  athena.on(BatchGetNamedQueryCommand).callsFake((input: { NamedQueryIds: string[] }) => ({
    NamedQueries: queries.filter((q) => input.NamedQueryIds.includes(q.NamedQueryId!)),
    UnprocessedNamedQueryIds: over.unprocessed ? [{ NamedQueryId: input.NamedQueryIds[0], ErrorCode: 'UNAUTHORIZED', ErrorMessage: 'no access' }] : [],
  }));
  glue.on(GetTableCommand).callsFake((input: { DatabaseName: string; Name: string }) => {
    const given = over.tables?.[input.Name];
    if (given instanceof Error) throw given;
    const spec = investigationTables(config).find((t) => t.name === input.Name);
    if (!spec || input.DatabaseName !== investigationsDatabaseName(config)) throw Object.assign(new Error('Table not found'), { name: 'EntityNotFoundException' });
    return { Table: given ?? deployedTable(spec.name) };
  });
  // TableVersions, NextToken (API_GetTableVersions.html): one version a page, so that paging is followed.
  glue.on(GetTableVersionsCommand).callsFake((input: { TableName: string; NextToken?: string }) => {
    const all = over.versions?.[input.TableName] ?? [{ VersionId: '1', Table: deployedTable(input.TableName) }];
    const i = Number(input.NextToken ?? 0);
    return { TableVersions: all.slice(i, i + 1), ...(i + 1 < all.length ? { NextToken: String(i + 1) } : {}) };
  });
  kms.on(DescribeKeyCommand, { KeyId: ALIAS_ARN }).resolves({ KeyMetadata: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Arn: KEY_ARN } });
  const definitions = over.definitions ?? baselineQueryDefinitions(config);
  // queryDefinitions filtered by queryDefinitionNamePrefix, nextToken (API_DescribeQueryDefinitions.html).
  logs.on(DescribeQueryDefinitionsCommand).callsFake((input: { queryDefinitionNamePrefix?: string; nextToken?: string }) => {
    const all = definitions.filter((d) => d.name!.startsWith(input.queryDefinitionNamePrefix ?? ''));
    const i = Number(input.nextToken ?? 0);
    return { queryDefinitions: all.slice(i, i + 3), ...(i + 3 < all.length ? { nextToken: String(i + 3) } : {}) };
  });
  return { athena, glue, logs, s3 };
}

async function run(c: BaselineConfig = config): Promise<EvidenceItem[]> {
  return (await runWithContext(c)).items;
}

async function runWithContext(c: BaselineConfig = config) {
  const { ctx } = createContext({ config: c, now: () => NOW, validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
  await runTasks(ctx, investigationTasks(ctx), 4);
  return { ctx, items: [...ctx.items].sort((a, b) => a.id.localeCompare(b.id)) };
}

const id = (resource: string) => `investigations.athena/${audit}/${home}/${resource}`;
const management = config.organization.managementAccountId;
const mgmtId = (resource: string) => `investigations.athena/${management}/${home}/${resource}`;
const prefix = investigationQueryDefinitionPrefix(config);
const notPassing = (items: EvidenceItem[]) => items.filter((i) => i.status !== 'PASS').map((i) => `${i.status} ${i.id}: ${i.reason}`);
const orgTable = () => investigationTables(config).find((t) => t.name === INVESTIGATION_TABLES.organizationTrail)!;

test('the deployed investigations pass: the workgroup, every table the config builds and its versions, every named investigation and saved query (each list followed over its pages)', async () => {
  const { athena, glue, logs } = mockAccount();
  const { ctx, items } = await runWithContext();
  expect(notPassing(items)).toEqual([]);
  const tables = investigationTables(config).flatMap((t) => [id(tableResource(config, t.name)), id(`${tableResource(config, t.name)}/versions`)]);
  const queries = investigationsFor(config).available.map(({ investigation }) => id(`named-query/${namedQueryName(config, investigation.name)}`));
  const saved = baselineQueryDefinitions(config).map((d) => mgmtId(`query-definition/${d.name}`));
  expect(items.map((i) => i.id)).toEqual([id(workgroup), ...tables, ...queries, ...saved, mgmtId(`query-definitions/${prefix}`), id(accountFoldersResource(config))].sort((a, b) => a.localeCompare(b)));
  expect(athena.commandCalls(ListNamedQueriesCommand).length).toBe(Math.ceil(queries.length / 2));
  expect(glue.commandCalls(GetTableVersionsCommand).map((c) => c.args[0].input)).toEqual(
    investigationTables(config).map((t) => ({ DatabaseName: investigationsDatabaseName(config), TableName: t.name, MaxResults: 100, NextToken: undefined })),
  );
  // The saved queries: the management account, the investigations' prefix only, every page.
  expect(logs.commandCalls(DescribeQueryDefinitionsCommand).map((c) => c.args[0].input.queryDefinitionNamePrefix)).toEqual(Array(Math.ceil(saved.length / 3)).fill(prefix));
  expect([...ctx.raw.values()].filter((r) => r.operation === 'logs:DescribeQueryDefinitions').map((r) => [r.accountId, r.region])).toEqual([[management, home]]);
  expect(items.find((i) => i.id === id(`${tableResource(config, INVESTIGATION_TABLES.organizationTrail)}/versions`))!.reason).toBe(
    `1 version(s), the last made ${DEPLOYED.toISOString()}, before the audit period's start ${PERIOD_FROM.toISOString()}`,
  );
});

// An organization trail delivers under AWSLogs/<org-id>/<account>/ (CloudTrail User Guide, "Creating a trail
// for an organization": https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html).
describe("the organization trail's account folders (ListObjectsV2 through the log reader role)", () => {
  const folderItem = (items: EvidenceItem[]) => items.find((i) => i.id === id(accountFoldersResource(config)))!;

  test('every folder an account of the projection passes; the listing asks for the folders of the organization, every page', async () => {
    const { s3 } = mockAccount();
    const item = folderItem(await run());
    const accounts = orgTable().parameters['projection.account.values'].split(',');
    expect(item.status).toBe('PASS');
    expect(item.details).toEqual({ folders: [...accounts].sort(), unknown: [] });
    const bucket = logBucketName(config, 'cloudtrail');
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual(
      Array.from({ length: Math.ceil(accounts.length / 2) }, (_, i) => ({ Bucket: bucket, Prefix: `AWSLogs/${config.organization.id}/`, Delimiter: '/', ContinuationToken: i ? String(2 * i) : undefined })),
    );
  });

  test('a folder of an account the config never listed fails, naming it: no investigation can query its events', async () => {
    const accounts = orgTable().parameters['projection.account.values'].split(',');
    mockAccount({ folders: [...accounts, '999999999999'] });
    const items = await run();
    expect(notPassing(items)).toEqual([expect.stringMatching(/^FAIL .*: s3:\/\/.* holds the logs of 999999999999, which the config never listed \(members, removedMembers, destroyedMembers\)/)]);
    expect(folderItem(items).details).toMatchObject({ unknown: ['999999999999'] });
  });

  test('a refused listing (AccessDenied) is an ERROR for the folders item only, never a PASS', async () => {
    const { s3 } = mockAccount();
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const items = await run();
    expect(items.filter((i) => i.status !== 'PASS').map((i) => [i.status, i.id])).toEqual([['ERROR', id(accountFoldersResource(config))]]);
  });
});

test('investigations.enabled: false is a control exception: nothing is collected', () => {
  const off = exampleConfig((raw) => {
    raw.investigations = { enabled: false };
    raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 'investigations.athena', reason: 'Investigations run in the SIEM, not Athena.' }];
  });
  const { ctx } = createContext({ config: off, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
  expect(planTasks(ctx).filter((t) => t.controls.includes('investigations.athena'))).toEqual([]);
});

describe('the workgroup', () => {
  const judge = async (change: (w: WorkGroup) => void) => {
    const wg = healthyWorkgroup();
    change(wg);
    mockAccount({ workgroup: wg });
    return (await run()).filter((i) => i.status !== 'PASS');
  };

  test('CSE_KMS with the results key named by its alias ARN passes', async () => {
    expect(await judge((w) => (w.Configuration!.ResultConfiguration!.EncryptionConfiguration = { EncryptionOption: 'CSE_KMS', KmsKey: ALIAS_ARN }))).toEqual([]);
  });

  test('a scan limit under the config passes; above it fails, naming both', async () => {
    expect(await judge((w) => (w.Configuration!.BytesScannedCutoffPerQuery = 10_000_000))).toEqual([]);
    const [item] = await judge((w) => (w.Configuration!.BytesScannedCutoffPerQuery = 1e15));
    expect(item.reason).toBe(`BytesScannedCutoffPerQuery is 1000000000000000, above the configured ${config.investigations.bytesScannedCutoffPerQueryMb * 1_000_000} (investigations.bytesScannedCutoffPerQueryMb)`);
  });

  test('DISABLED, AUTO engine, another key, another owner: each named', async () => {
    const [item] = await judge((w) => {
      w.State = 'DISABLED';
      w.Configuration!.EngineVersion = { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' };
      w.Configuration!.ResultConfiguration!.EncryptionConfiguration!.KmsKey = `arn:aws:kms:${home}:${audit}:key/another`;
      w.Configuration!.ResultConfiguration!.ExpectedBucketOwner = '999999999999';
    });
    expect(item.id).toBe(id(workgroup));
    expect(item.reason.split('; ')).toEqual([
      'State is DISABLED, not ENABLED',
      `ResultConfiguration.ExpectedBucketOwner is 999999999999, not the audit account ${audit}`,
      `ResultConfiguration.EncryptionConfiguration.KmsKey is arn:aws:kms:${home}:${audit}:key/another, not the results key alias/acme-soc2/investigation-results (${KEY_ARN})`,
      'EngineVersion.SelectedEngineVersion is AUTO, not Athena engine version 3 (the investigations\' SQL is written for it)',
    ]);
  });

  test('an unknown workgroup (InvalidRequestException) fails it and every named investigation, without listing queries', async () => {
    const { athena } = mockAccount({ workgroup: Object.assign(new Error(`WorkGroup ${workgroup} is not found.`), { name: 'InvalidRequestException' }) });
    const failed = (await run()).filter((i) => i.status === 'FAIL');
    expect(failed.map((i) => i.id)).toEqual([id(workgroup), ...investigationsFor(config).available.map(({ investigation }) => id(`named-query/${namedQueryName(config, investigation.name)}`))].sort((a, b) => a.localeCompare(b)));
    expect(athena.commandCalls(ListNamedQueriesCommand)).toHaveLength(0);
  });
});

describe('the tables', () => {
  const orgTableItem = () => id(tableResource(config, INVESTIGATION_TABLES.organizationTrail));

  test('Regions left out, and a shortened day range, fail the table, each named; an extra account does not', async () => {
    const t = { ...tableInput(orgTable()) } as Table;
    t.Parameters = { ...t.Parameters, 'projection.region.values': 'us-east-1', 'projection.day.range': 'NOW-1DAYS,NOW', 'projection.account.values': `${t.Parameters!['projection.account.values']},999999999999` };
    mockAccount({ tables: { [INVESTIGATION_TABLES.organizationTrail]: t } });
    const failed = (await run()).filter((i) => i.status !== 'PASS');
    expect(failed.map((i) => i.id)).toEqual([orgTableItem()]);
    expect(failed[0].reason).toBe(
      `projection.region.values misses ${orgTable().parameters['projection.region.values'].split(',').filter((r) => r !== 'us-east-1').join(', ')}: the logs of those Regions cannot be investigated; projection.day.range is NOW-1DAYS,NOW, not NOW-${config.retention.logArchiveDays}DAYS,NOW`,
    );
  });

  test('projection off, and a table location elsewhere, fail', async () => {
    const t = { ...tableInput(orgTable()) } as Table;
    t.Parameters = { ...t.Parameters, 'projection.enabled': 'false' };
    t.StorageDescriptor = { ...t.StorageDescriptor, Location: 's3://elsewhere/AWSLogs' };
    mockAccount({ tables: { [INVESTIGATION_TABLES.organizationTrail]: t } });
    const [item] = (await run()).filter((i) => i.status !== 'PASS');
    expect(item.reason).toBe(`projection.enabled is false, not true: the partitions are not projected and queries read nothing; StorageDescriptor.Location is s3://elsewhere/AWSLogs, not ${orgTable().location}`);
  });

  test('a missing table (EntityNotFoundException) fails; a refused GetTable is an ERROR for that table only', async () => {
    mockAccount({
      tables: {
        [INVESTIGATION_TABLES.organizationTrail]: Object.assign(new Error('Table not found'), { name: 'EntityNotFoundException' }),
        [INVESTIGATION_TABLES.accountTrails]: Object.assign(new Error('not authorized to perform glue:GetTable'), { name: 'AccessDeniedException' }),
      },
    });
    const items = (await run()).filter((i) => i.status !== 'PASS');
    expect(items.map((i) => `${i.status} ${i.id}`)).toEqual([`ERROR ${id(tableResource(config, INVESTIGATION_TABLES.accountTrails))}`, `FAIL ${orgTableItem()}`]);
    expect(items[1].reason).toBe(`no table ${INVESTIGATION_TABLES.organizationTrail} in the database ${investigationsDatabaseName(config)}: its logs cannot be investigated`);
  });
});

describe('the named investigations', () => {
  test('a second query of the same name with other SQL fails that investigation', async () => {
    const queries = healthyQueries();
    queries.push({ ...queries[2], NamedQueryId: 'q-impostor', QueryString: 'SELECT 1' });
    mockAccount({ queries });
    const failed = (await run()).filter((i) => i.status !== 'PASS');
    expect(failed.map((i) => i.id)).toEqual([id(`named-query/${queries[2].Name}`)]);
    expect(failed[0].reason).toMatch(/^named query q-impostor \S+ has other SQL than the baseline's/);
  });

  test('a query in another database fails', async () => {
    const queries = healthyQueries();
    queries[0] = { ...queries[0], Database: 'admin_copy' };
    mockAccount({ queries });
    const [item] = (await run()).filter((i) => i.status !== 'PASS');
    expect(item.reason).toBe(`named query q-0 ${queries[0].Name} runs in the database admin_copy, not ${investigationsDatabaseName(config)}`);
  });

  test('ids BatchGetNamedQuery could not read make the named investigations an ERROR, never a PASS', async () => {
    mockAccount({ unprocessed: true });
    const items = await run();
    const errors = items.filter((i) => i.status === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0].id).toBe(id(`${workgroup}/named-queries`));
    expect(errors[0].reason).toMatch(/could not read q-0 \(UNAUTHORIZED: no access\)/);
    expect(items.filter((i) => i.id.includes('/named-query/'))).toEqual([]);
  });
});

describe('a table, field by field against what tables.ts builds', () => {
  const orgTableItem = () => id(tableResource(config, INVESTIGATION_TABLES.organizationTrail));
  const judgeOrgTable = async (change: (t: Table) => void) => {
    const t = structuredClone(deployedTable(INVESTIGATION_TABLES.organizationTrail));
    change(t);
    mockAccount({ tables: { [INVESTIGATION_TABLES.organizationTrail]: t } });
    const failed = (await run()).filter((i) => i.status !== 'PASS');
    expect(failed.map((i) => i.id)).toEqual([orgTableItem()]);
    return failed[0].reason.split('; ');
  };

  test('a view of the same name (TableType VIRTUAL_VIEW, ViewOriginalText, ViewExpandedText: API_Table.html) fails, naming each field', async () => {
    const sql = "SELECT * FROM admin_copy.cloudtrail WHERE useridentity.arn NOT LIKE '%me%'";
    const reasons = await judgeOrgTable((t) => Object.assign(t, { TableType: 'VIRTUAL_VIEW', ViewOriginalText: sql, ViewExpandedText: sql }));
    expect(reasons).toEqual([
      'TableType is VIRTUAL_VIEW, not EXTERNAL_TABLE',
      `ViewOriginalText is set (${JSON.stringify(sql)}): the table is a view, whose query decides what an investigation sees`,
      `ViewExpandedText is set (${JSON.stringify(sql)})`,
    ]);
  });

  test('a link to another table (TargetTable: API_Table.html, TableIdentifier) fails', async () => {
    expect(await judgeOrgTable((t) => (t.TargetTable = { CatalogId: '999999999999', DatabaseName: 'admin_copy', Name: 'cloudtrail' }))).toEqual([
      'TargetTable is 999999999999:admin_copy.cloudtrail: the table is a link to another table',
    ]);
  });

  // Table.IsRegisteredWithLakeFormation: "Indicates whether the table has been registered with Lake Formation"
  // (https://docs.aws.amazon.com/glue/latest/webapi/API_Table.html); the deployed table leaves it false.
  test('a table registered with Lake Formation (IsRegisteredWithLakeFormation, API_Table.html), whose data filters could hide rows, fails', async () => {
    expect(deployedTable(INVESTIGATION_TABLES.organizationTrail).IsRegisteredWithLakeFormation).toBe(false);
    expect(await judgeOrgTable((t) => (t.IsRegisteredWithLakeFormation = true))).toEqual([
      "IsRegisteredWithLakeFormation is true: the table's location is registered with Lake Formation, whose permissions and data filters can silently leave rows out of an investigation (the baseline builds IAM-governed tables)",
    ]);
  });

  test('another SerDe and a SerDe parameter added (SerDeInfo: SerializationLibrary, Parameters: API_SerDeInfo.html) fail, each named', async () => {
    const reasons = await judgeOrgTable((t) => (t.StorageDescriptor!.SerdeInfo = { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: { 'ignore.malformed.json': 'true' } }));
    expect(reasons).toEqual([
      'StorageDescriptor.SerdeInfo.SerializationLibrary is org.openx.data.jsonserde.JsonSerDe, not org.apache.hive.hcatalog.data.JsonSerDe',
      'StorageDescriptor.SerdeInfo.Parameters.ignore.malformed.json is "true", which the baseline does not set',
    ]);
  });

  test('input and output formats (StorageDescriptor.InputFormat, OutputFormat: API_StorageDescriptor.html) fail when changed', async () => {
    const reasons = await judgeOrgTable((t) => {
      t.StorageDescriptor!.InputFormat = 'org.apache.hadoop.mapred.TextInputFormat';
      t.StorageDescriptor!.OutputFormat = 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat';
    });
    expect(reasons).toEqual([
      'StorageDescriptor.InputFormat is org.apache.hadoop.mapred.TextInputFormat, not com.amazon.emr.cloudtrail.CloudTrailInputFormat',
      'StorageDescriptor.OutputFormat is org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat, not org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    ]);
  });

  test('a column dropped, one retyped and one added (Column: Name, Type: API_Column.html), and a partition key renamed, fail, each named', async () => {
    const reasons = await judgeOrgTable((t) => {
      const cols = t.StorageDescriptor!.Columns!.filter((c) => c.Name !== 'sourceipaddress').map((c) => (c.Name === 'eventname' ? { ...c, Type: 'int' } : c));
      t.StorageDescriptor!.Columns = [...cols, { Name: 'hidden', Type: 'string' }];
      t.PartitionKeys = t.PartitionKeys!.map((k) => (k.Name === 'account' ? { ...k, Name: 'acct' } : k));
    });
    expect(reasons).toEqual([
      'StorageDescriptor.Columns misses sourceipaddress',
      'StorageDescriptor.Columns has hidden (string), which the baseline does not declare',
      'StorageDescriptor.Columns eventname is int, not string',
      'PartitionKeys misses account',
      'PartitionKeys has acct (string), which the baseline does not declare',
    ]);
  });

  test('a table parameter the baseline does not set (skip.footer.line.count) and one it sets changed fail', async () => {
    const reasons = await judgeOrgTable((t) => {
      t.Parameters = { ...t.Parameters, classification: 'json', 'skip.footer.line.count': '100000' };
    });
    expect(reasons).toEqual(['classification is json, not cloudtrail', 'Parameters.skip.footer.line.count is "100000", which the baseline does not set']);
  });

  test("the flow-log table's columns in another order fail (the delimited SerDe reads by position)", async () => {
    const t = structuredClone(deployedTable(FLOW_LOGS_TABLE));
    const cols = t.StorageDescriptor!.Columns!;
    [cols[3], cols[4]] = [cols[4], cols[3]];
    mockAccount({ tables: { [FLOW_LOGS_TABLE]: t } });
    const failed = (await run()).filter((i) => i.status !== 'PASS');
    expect(failed.map((i) => i.id)).toEqual([id(tableResource(config, FLOW_LOGS_TABLE))]);
    expect(failed[0].reason).toBe(`StorageDescriptor.Columns are in another order (${cols.map((c) => c.Name).join(', ')})`);
  });
});

describe("a table's versions since the audit period began (GetTableVersions)", () => {
  const table = INVESTIGATION_TABLES.organizationTrail;
  const versionsItem = () => id(`${tableResource(config, table)}/versions`);
  const at = (t: Table, when: Date): Table => ({ ...t, UpdateTime: when });

  const accounts = () => orgTable().parameters['projection.account.values'].split(',');
  /** The deployed table with `projection.account.values` set to `ids` (the projection property: Athena User Guide, partition-projection.html). */
  const withAccounts = (t: Table, ids: readonly string[]): Table => ({ ...t, Parameters: { ...t.Parameters, 'projection.account.values': ids.join(',') } });
  const VENDED = new Date('2026-02-20T10:00:00Z');
  const REASON_TAIL =
    `. Since the audit period's start ${PERIOD_FROM.toISOString()} a version must be as the config builds the table now, its projection.account.values only adding accounts to the version before it (a vend); ` +
    "a change made back leaves no trace in the table's current state, so check who made each (CloudTrail glue:UpdateTable, CreateTable, DeleteTable or DeleteTableVersion at that time)";

  test('vends in the period (each version adds an account to projection.account.values, the rest as built) pass', async () => {
    const ids = accounts();
    const v1 = withAccounts(deployedTable(table), ids.slice(0, -2));
    const v2 = at(withAccounts(deployedTable(table), ids.slice(0, -1)), IN_PERIOD);
    const v3 = at(deployedTable(table), VENDED);
    mockAccount({ tables: { [table]: v3 }, versions: { [table]: [{ VersionId: '1', Table: v1 }, { VersionId: '2', Table: v2 }, { VersionId: '3', Table: v3 }] } });
    const items = await run();
    expect(notPassing(items)).toEqual([]);
    const item = items.find((i) => i.id === versionsItem())!;
    expect(item.reason).toBe(
      `2 of 3 version(s) made since the audit period's start ${PERIOD_FROM.toISOString()}, each as the config builds the table now; projection.account.values only gained accounts (2: ${ids.slice(-2).join(', ')})`,
    );
    expect(item.details!.versions).toEqual([
      { versionId: '1', madeAt: DEPLOYED.toISOString(), accountsAdded: null },
      { versionId: '2', madeAt: IN_PERIOD.toISOString(), accountsAdded: [ids.at(-2)] },
      { versionId: '3', madeAt: VENDED.toISOString(), accountsAdded: [ids.at(-1)] },
    ]);
  });

  test('an account list narrowed and restored within the period fails the versions item only, naming the version and the field', async () => {
    const changed = at(withAccounts(deployedTable(table), [config.members[0].id]), IN_PERIOD);
    const restored = at(deployedTable(table), new Date('2026-02-10T09:00:00Z'));
    mockAccount({
      tables: { [table]: restored },
      versions: { [table]: [{ VersionId: '1', Table: deployedTable(table) }, { VersionId: '2', Table: changed }, { VersionId: '3', Table: restored }] },
    });
    const failed = (await run()).filter((i) => i.status !== 'PASS');
    expect(failed.map((i) => i.id)).toEqual([versionsItem()]);
    const missing = accounts().slice(1).join(', ');
    expect(failed[0].reason).toBe(
      `version 2 made ${IN_PERIOD.toISOString()}: projection.account.values drops ${missing}, which version 1 projected: nobody could investigate those accounts (accounts are only ever added)${REASON_TAIL}`,
    );
  });

  test('a version with another Region list, day range, location or an account the config does not project fails, each field named', async () => {
    const v2 = structuredClone(at(deployedTable(table), IN_PERIOD));
    const p = v2.Parameters!;
    p['projection.region.values'] = p['projection.region.values'].split(',').filter((r) => r !== 'us-east-1').concat('xx-test-1').join(',');
    p['projection.day.range'] = 'NOW-7DAYS,NOW';
    p['projection.account.values'] += ',999999999999';
    v2.StorageDescriptor!.Location = 's3://admin-copy/AWSLogs';
    const restored = at(deployedTable(table), VENDED);
    mockAccount({ tables: { [table]: restored }, versions: { [table]: [{ VersionId: '1', Table: deployedTable(table) }, { VersionId: '2', Table: v2 }, { VersionId: '3', Table: restored }] } });
    const failed = (await run()).filter((i) => i.status !== 'PASS');
    expect(failed.map((i) => i.id)).toEqual([versionsItem()]);
    expect(failed[0].reason).toBe(
      `version 2 made ${IN_PERIOD.toISOString()}: projection.account.values has 999999999999, which the config does not project, projection.region.values misses us-east-1, ` +
        `projection.region.values has xx-test-1, which the config does not project, projection.day.range is NOW-7DAYS,NOW, not ${orgTable().parameters['projection.day.range']}, ` +
        `StorageDescriptor.Location is s3://admin-copy/AWSLogs, not ${orgTable().location}; ` +
        // Putting the config's list back drops the account version 2 added: accounts are only ever added, so that is named too.
        `version 3 made ${VENDED.toISOString()}: projection.account.values drops 999999999999, which version 2 projected: nobody could investigate that account (accounts are only ever added)${REASON_TAIL}`,
    );
  });

  test('a version whose predecessor is gone (DeleteTableVersion: the numbers have a gap) fails, its account list not comparable', async () => {
    const restored = at(deployedTable(table), VENDED);
    mockAccount({ tables: { [table]: restored }, versions: { [table]: [{ VersionId: '1', Table: deployedTable(table) }, { VersionId: '3', Table: restored }] } });
    const failed = (await run()).filter((i) => i.status !== 'PASS');
    expect(failed.map((i) => i.id)).toEqual([versionsItem()]);
    expect(failed[0].reason).toBe(
      `version 3 made ${VENDED.toISOString()}: version 2, the one before it, is not kept (DeleteTableVersion or BatchDeleteTableVersion), so whether it narrowed projection.account.values cannot be told${REASON_TAIL}`,
    );
  });

  test("an update without a version (UpdateTable SkipArchive: API_UpdateTable.html) fails by the table's UpdateTime", async () => {
    mockAccount({ tables: { [table]: at(deployedTable(table), IN_PERIOD) } });
    const [item] = (await run()).filter((i) => i.status !== 'PASS');
    expect(item.id).toBe(versionsItem());
    expect(item.reason).toBe(`the table was updated ${IN_PERIOD.toISOString()} (UpdateTime) and no version records it (UpdateTable with SkipArchive)${REASON_TAIL}`);
  });

  test('an update without a version after a vend in the period fails: the UpdateTime is later than the last version', async () => {
    const vend = at(deployedTable(table), IN_PERIOD);
    mockAccount({ tables: { [table]: at(deployedTable(table), VENDED) }, versions: { [table]: [{ VersionId: '1', Table: withAccounts(deployedTable(table), accounts().slice(0, -1)) }, { VersionId: '2', Table: vend }] } });
    const [item] = (await run()).filter((i) => i.status !== 'PASS');
    expect(item.id).toBe(versionsItem());
    expect(item.reason).toBe(`the table was updated ${VENDED.toISOString()} (UpdateTime) and no version records it (UpdateTable with SkipArchive)${REASON_TAIL}`);
  });

  test('a table created in the period (first apply, or deleted and re-created) passes with a note when its first version is as built, later vends included', async () => {
    const first = { ...withAccounts(deployedTable(table), accounts().slice(0, -1)), CreateTime: IN_PERIOD, UpdateTime: IN_PERIOD };
    const vend = { ...deployedTable(table), CreateTime: IN_PERIOD, UpdateTime: VENDED };
    mockAccount({ tables: { [table]: vend }, versions: { [table]: [{ VersionId: '1', Table: first }, { VersionId: '2', Table: vend }] } });
    const items = await run();
    expect(notPassing(items)).toEqual([]);
    expect(items.find((i) => i.id === versionsItem())!.reason).toBe(
      `created in the period (${CREATED_IN_PERIOD_NOTE}), at ${IN_PERIOD.toISOString()}; ` +
        `2 of 2 version(s) made since the audit period's start ${PERIOD_FROM.toISOString()}, each as the config builds the table now; projection.account.values only gained accounts (1: ${accounts().at(-1)})`,
    );
    expect(CREATED_IN_PERIOD_NOTE).toBe('first apply, or deleted and re-created: the organization trail shows which; deletion is denied by the guardrails to all but the pipeline and break-glass');
  });

  test('a table created in the period whose first version differs from what the config builds fails, naming version and field', async () => {
    const first = structuredClone({ ...deployedTable(table), CreateTime: IN_PERIOD, UpdateTime: IN_PERIOD });
    first.StorageDescriptor!.SerdeInfo = { SerializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe', Parameters: {} };
    const restored = { ...deployedTable(table), CreateTime: IN_PERIOD, UpdateTime: VENDED };
    mockAccount({ tables: { [table]: restored }, versions: { [table]: [{ VersionId: '1', Table: first }, { VersionId: '2', Table: restored }] } });
    const failed = (await run()).filter((i) => i.status !== 'PASS');
    expect(failed.map((i) => i.id)).toEqual([versionsItem()]);
    expect(failed[0].reason).toBe(
      `version 1 made ${IN_PERIOD.toISOString()}: StorageDescriptor.SerdeInfo.SerializationLibrary is org.apache.hadoop.hive.serde2.RegexSerDe, not ${orgTable().serializationLibrary}${REASON_TAIL}`,
    );
  });

  test('versions made before the period pass, every page read', async () => {
    const v = (n: number) => ({ VersionId: String(n), Table: at(deployedTable(table), new Date(DEPLOYED.getTime() + n * 86_400_000)) });
    const { glue } = mockAccount({ versions: { [table]: [v(1), v(2), v(3)] } });
    const items = await run();
    expect(notPassing(items)).toEqual([]);
    expect(items.find((i) => i.id === versionsItem())!.reason).toBe(`3 version(s), the last made ${new Date(DEPLOYED.getTime() + 3 * 86_400_000).toISOString()}, before the audit period's start ${PERIOD_FROM.toISOString()}`);
    expect(glue.commandCalls(GetTableVersionsCommand).filter((c) => c.args[0].input.TableName === table)).toHaveLength(3);
  });

  test('a refused GetTableVersions is an ERROR for the versions item only', async () => {
    const { glue } = mockAccount();
    glue.on(GetTableVersionsCommand, { TableName: table }).rejects(Object.assign(new Error('not authorized to perform glue:GetTableVersions'), { name: 'AccessDeniedException' }));
    const items = (await run()).filter((i) => i.status !== 'PASS');
    expect(items.map((i) => `${i.status} ${i.id}`)).toEqual([`ERROR ${versionsItem()}`]);
  });
});

describe('the Logs Insights saved queries (management account)', () => {
  const item = (name: string) => mgmtId(`query-definition/${name}`);
  const root = `${prefix}root-activity`;
  const judge = async (change: (d: QueryDefinition[]) => QueryDefinition[]) => {
    mockAccount({ definitions: change(baselineQueryDefinitions(config)) });
    return (await run()).filter((i) => i.status !== 'PASS');
  };

  test('a rewritten query string, another log group and another query language fail that saved query, each named', async () => {
    const failed = await judge((ds) => ds.map((d) => (d.name === root ? { ...d, queryString: `${d.queryString} | filter 1 = 0`, logGroupNames: ['/admin/elsewhere'], queryLanguage: 'SQL' } : d)));
    expect(failed.map((i) => i.id)).toEqual([item(root)]);
    const d = baselineQueryDefinitions(config).find((q) => q.name === root)!;
    expect(failed[0].reason.split('; ')).toEqual([
      `saved query ${d.queryDefinitionId} ${root} has another query string than the baseline's root-activity (${d.queryString!.length + ' | filter 1 = 0'.length} characters, not ${d.queryString!.length}): the investigation would not ask what it says`,
      `saved query ${d.queryDefinitionId} ${root} reads the log groups /admin/elsewhere, not only /acme-soc2/cloudtrail/organization`,
      `saved query ${d.queryDefinitionId} ${root} is in SQL, not CWLI (Logs Insights QL)`,
    ]);
  });

  test('a deleted saved query fails; an added look-alike under the prefix fails the prefix item', async () => {
    const failed = await judge((ds) => [...ds.filter((d) => d.name !== root), { queryDefinitionId: 'x-1', name: `${root}-v2`, queryString: 'fields @timestamp', logGroupNames: ['/acme-soc2/cloudtrail/organization'] }]);
    expect(failed.map((i) => [i.id, i.reason])).toEqual(
      [
        [item(root), `no saved query ${root} in the management account ${management}`],
        [mgmtId(`query-definitions/${prefix}`), `saved queries under ${prefix} the baseline does not make: ${root}-v2 (x-1): an investigator may pick one that asks something else`],
      ].sort((a, b) => a[0].localeCompare(b[0])),
    );
  });

  test('a refused DescribeQueryDefinitions is one ERROR, never a PASS', async () => {
    const { logs } = mockAccount();
    logs.on(DescribeQueryDefinitionsCommand).rejects(Object.assign(new Error('not authorized to perform logs:DescribeQueryDefinitions'), { name: 'AccessDeniedException' }));
    const items = await run();
    expect(items.filter((i) => i.status !== 'PASS').map((i) => `${i.status} ${i.id}`)).toEqual([`ERROR ${mgmtId(`query-definitions/${prefix}`)}`]);
    expect(items.filter((i) => i.accountId === management)).toHaveLength(1);
  });
});
