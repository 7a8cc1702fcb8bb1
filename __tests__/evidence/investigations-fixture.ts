/**
 * The investigations as LogInvestigations (modules/investigations/log-investigations.ts) and
 * LogsInsightsQueries (logs-insights-queries.ts) deploy them, in moto: in the audit account, home
 * Region, the results key behind its alias, the workgroup, the Glue database and the tables of
 * `investigationTables`, and one named query per investigation the config can run; in the management
 * account, one Logs Insights saved query per investigation. Built from the same declarations the
 * constructs read, so the healthy org is what they deploy.
 *
 * moto 5.2 serves CreateWorkGroup/GetWorkGroup/DeleteWorkGroup, CreateNamedQuery/GetNamedQuery/
 * ListNamedQueries and Glue CreateDatabase/CreateTable/GetTable/UpdateTable/GetTableVersions; not
 * BatchGetNamedQuery, UpdateNamedQuery, DeleteNamedQuery, UpdateWorkGroup, nor any CloudWatch Logs
 * query definition call (moto/logs/responses.py has no PutQueryDefinition or DescribeQueryDefinitions).
 * `mockInvestigationApis` answers BatchGetNamedQuery from moto's GetNamedQuery, with the changes the
 * tamperings make in `NamedQueryChanges`; DescribeQueryDefinitions from `QUERY_DEFINITIONS`, in the
 * shape of the CloudWatch Logs API reference (API_DescribeQueryDefinitions.html, API_QueryDefinition.html);
 * gives GetWorkGroup the workgroup's creation time where moto reports the time of the call; and dates
 * the tables' seeded versions before the audit period (`settleTables`), as a deployment made before
 * the period would be, where moto stamps them with the seeding's time, and each version made since
 * with the time of the UpdateTable that made it, where moto stamps every version of a table with its
 * last update's.
 */
import {
  AthenaClient,
  BatchGetNamedQueryCommand,
  CreateNamedQueryCommand,
  CreateWorkGroupCommand,
  GetNamedQueryCommand,
  GetWorkGroupCommand,
  ListNamedQueriesCommand,
  type NamedQuery,
  type WorkGroupConfiguration,
} from '@aws-sdk/client-athena';
import { DescribeQueryDefinitionsCommand, type QueryDefinition, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDatabaseCommand, CreateTableCommand, GetTableCommand, GetTableVersionsCommand, GlueClient, UpdateTableCommand, type Table, type TableInput, type TableVersion } from '@aws-sdk/client-glue';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  investigationNamedQueryName,
  investigationQueryDefinitionName,
  investigationResultsBucketName,
  investigationsDatabaseName,
  investigationsWorkgroupName,
  orgTrailLogGroupName,
} from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { investigationsFor } from '../../modules/investigations/context';
import { bindParameters } from '../../modules/investigations/investigation';
import { TABLE_TYPE } from '../../evidence/checks/investigations';
import { ATHENA_ENGINE_VERSION, resultsKeyAlias } from '../../modules/investigations/log-investigations';
import { investigationTables, type InvestigationTable } from '../../modules/investigations/tables';

/** A client of an account in moto (MotoAccounts.client). */
type ClientOf = <T>(Ctor: new (config: any) => T, accountId: string) => Promise<T>;

/**
 * When the workgroups were created, by name: moto reports the time of each GetWorkGroup call as
 * CreationTime, AWS the creation (API_WorkGroup.html, "The date and time the workgroup was created").
 */
const WORKGROUP_CREATED = new Map<string, Date>();

/** The results key's ARN, by audit account (created by seedInvestigations). */
export const RESULTS_KEYS = new Map<string, string>();

/** When the baseline was deployed, as the evidence sees it: long before any audit period the tests collect. */
const DEPLOYED_AT = new Date(Date.now() - 400 * 86_400_000);

/**
 * The Logs Insights saved queries, by account (moto has none): what LogsInsightsQueries puts in the
 * management account (PutQueryDefinition, API_PutQueryDefinition.html: name, queryString,
 * logGroupNames; the id is CloudWatch's). The tamperings change, delete and add entries here.
 */
export const QUERY_DEFINITIONS = new Map<string, QueryDefinition[]>();

/** The saved queries as LogsInsightsQueries makes them (`queryDefinitionId` stands in for CloudWatch's). */
export function baselineQueryDefinitions(config: BaselineConfig): QueryDefinition[] {
  return investigationsFor(config).available.map(({ investigation, logsInsights }, i) => ({
    queryDefinitionId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    name: investigationQueryDefinitionName(config, investigation.name),
    queryString: logsInsights,
    logGroupNames: [orgTrailLogGroupName(config)],
    lastModified: DEPLOYED_AT.getTime(),
  }));
}

/**
 * When each version made since the last settling was made, by `<account>/<database>/<table>/<VersionId>`:
 * the table's UpdateTime just after the UpdateTable that made it. moto stamps every version with its
 * table's last update, and the check reads each version's Table.UpdateTime as the time it was made
 * (TableVersion.Table, API_TableVersion.html; docs/evidence.md, "Unverified").
 */
const VERSION_MADE = new Map<string, Date>();

/** Table times at or before this instant are the deployment's (DEPLOYED_AT); later ones are changes. */
let tablesSettledAt = new Date(0);

/**
 * The tables as they are now count as deployed before the audit period: every version and time moto
 * has recorded so far is reported as DEPLOYED_AT. A tampering that changes a table undoes itself by
 * putting the baseline's table back and settling.
 */
export function settleTables(): void {
  tablesSettledAt = new Date();
  VERSION_MADE.clear();
}

function asDeployed(t: Table | undefined): Table | undefined {
  if (!t) return t;
  const at = (d: Date | undefined) => (d && d.getTime() <= tablesSettledAt.getTime() ? DEPLOYED_AT : d);
  return { ...t, ...(t.CreateTime ? { CreateTime: at(t.CreateTime) } : {}), ...(t.UpdateTime ? { UpdateTime: at(t.UpdateTime) } : {}) };
}

/**
 * The workgroup's configuration as LogInvestigations writes it (aws_athena_workgroup `configuration`,
 * in CreateWorkGroup's shape: API_WorkGroupConfiguration.html, API_ResultConfiguration.html,
 * API_EncryptionConfiguration.html, API_EngineVersion.html).
 */
export function workgroupConfiguration(config: BaselineConfig): WorkGroupConfiguration {
  const audit = config.organization.auditAccountId;
  const keyArn = RESULTS_KEYS.get(audit);
  if (!keyArn) throw new Error('seedInvestigations first');
  return {
    EnforceWorkGroupConfiguration: true,
    PublishCloudWatchMetricsEnabled: true,
    BytesScannedCutoffPerQuery: config.investigations.bytesScannedCutoffPerQueryMb * 1_000_000,
    EngineVersion: { SelectedEngineVersion: ATHENA_ENGINE_VERSION },
    ResultConfiguration: {
      OutputLocation: `s3://${investigationResultsBucketName(config)}/${investigationsWorkgroupName(config)}/`,
      ExpectedBucketOwner: audit,
      EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn },
    },
  };
}

/** A table of `investigationTables` as CreateTable's TableInput (API_TableInput.html), as aws_glue_catalog_table writes it. */
export function tableInput(t: InvestigationTable): TableInput {
  return {
    Name: t.name,
    Description: t.description,
    TableType: TABLE_TYPE,
    Parameters: { ...t.parameters },
    PartitionKeys: t.partitionKeys.map((k) => ({ Name: k.name, Type: k.type })),
    StorageDescriptor: {
      Location: t.location,
      InputFormat: t.inputFormat,
      OutputFormat: t.outputFormat,
      SerdeInfo: { SerializationLibrary: t.serializationLibrary, Parameters: { ...t.serdeParameters } },
      Columns: t.columns.map((c) => ({ Name: c.name, Type: c.type })),
    },
  };
}

export async function seedInvestigations(client: ClientOf, config: BaselineConfig): Promise<void> {
  const audit = config.organization.auditAccountId;
  const kms = await client(KMSClient, audit);
  const key = await kms.send(new CreateKeyCommand({ Description: 'Encrypts the query results of the investigations workgroup' }));
  await kms.send(new CreateAliasCommand({ AliasName: resultsKeyAlias(config), TargetKeyId: key.KeyMetadata!.KeyId }));
  RESULTS_KEYS.set(audit, key.KeyMetadata!.Arn!);

  const athena = await client(AthenaClient, audit);
  const workgroup = investigationsWorkgroupName(config);
  await athena.send(new CreateWorkGroupCommand({ Name: workgroup, Description: 'Investigations over the log archive', Configuration: workgroupConfiguration(config) }));
  WORKGROUP_CREATED.set(workgroup, new Date(Math.floor(Date.now() / 1000) * 1000));

  const glue = await client(GlueClient, audit);
  const database = investigationsDatabaseName(config);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
  for (const t of investigationTables(config)) await glue.send(new CreateTableCommand({ DatabaseName: database, TableInput: tableInput(t) }));
  settleTables();
  QUERY_DEFINITIONS.set(config.organization.managementAccountId, baselineQueryDefinitions(config));

  for (const { investigation, sql } of investigationsFor(config).available) {
    await athena.send(
      new CreateNamedQueryCommand({ Name: investigationNamedQueryName(config, investigation.name), Description: investigation.title, Database: database, WorkGroup: workgroup, QueryString: bindParameters(sql).queryString }),
    );
  }
}

/** What the tamperings changed of the named queries, by NamedQueryId: a new QueryString, or deleted. */
export type NamedQueryChanges = Record<string, { QueryString?: string; deleted?: boolean }>;

/** The account a client of moto acts in (STS GetCallerIdentity with its credentials), by access key. */
const ACCOUNT_OF_KEY = new Map<string, Promise<string>>();

async function accountOf(client: CloudWatchLogsClient | GlueClient): Promise<string> {
  const credentials = await client.config.credentials();
  let account = ACCOUNT_OF_KEY.get(credentials.accessKeyId);
  if (!account) {
    const endpoint = await client.config.endpoint!();
    const sts = new STSClient({ region: await client.config.region(), endpoint: `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`, credentials });
    account = sts
      .send(new GetCallerIdentityCommand({}))
      .then((r) => r.Account!)
      .finally(() => sts.destroy());
    ACCOUNT_OF_KEY.set(credentials.accessKeyId, account);
  }
  return account;
}

/**
 * DescribeQueryDefinitions (not in moto) from QUERY_DEFINITIONS of the caller's account: the names
 * starting with queryDefinitionNamePrefix, `maxResults` (default 1000) a page with a nextToken while
 * more remain (API_DescribeQueryDefinitions.html).
 */
export async function describeQueryDefinitions(client: CloudWatchLogsClient, input: { queryDefinitionNamePrefix?: string; maxResults?: number; nextToken?: string }) {
  const all = (QUERY_DEFINITIONS.get(await accountOf(client)) ?? []).filter((d) => d.name?.startsWith(input.queryDefinitionNamePrefix ?? ''));
  const start = Number(input.nextToken ?? 0);
  const size = input.maxResults ?? 1000;
  return { queryDefinitions: all.slice(start, start + size).map((d) => structuredClone(d)), ...(start + size < all.length ? { nextToken: String(start + size) } : {}), $metadata: {} };
}

/**
 * BatchGetNamedQuery (not in moto), answered from moto's GetNamedQuery, id by id (NamedQueries; ids it
 * cannot read in UnprocessedNamedQueryIds: API_BatchGetNamedQuery.html); ListNamedQueries from moto
 * without the ids `changes` deletes; Glue GetTable and GetTableVersions from moto with the seeded
 * times dated before the period (settleTables); DescribeQueryDefinitions from QUERY_DEFINITIONS. Every
 * other call goes to moto. Returns what restores them.
 */
export function mockInvestigationApis(changes: NamedQueryChanges): () => void {
  const realGlueSend = GlueClient.prototype.send as (...args: unknown[]) => Promise<any>;
  GlueClient.prototype.send = async function (this: GlueClient, command: unknown, ...rest: unknown[]) {
    const out = await realGlueSend.call(this, command, ...rest);
    // By account: the tamperings write with one role's credentials, the collector reads with another's.
    const key = async (database: string | undefined, table: string | undefined, versionId: string | undefined) => `${await accountOf(this)}/${database}/${table}/${versionId}`;
    if (command instanceof UpdateTableCommand) {
      const { DatabaseName, TableInput } = command.input;
      const now = (await realGlueSend.call(this, new GetTableCommand({ DatabaseName, Name: TableInput!.Name }))).Table as Table;
      VERSION_MADE.set(await key(DatabaseName, TableInput!.Name, now.VersionId), now.UpdateTime!);
    }
    if (command instanceof GetTableCommand) return { ...out, Table: asDeployed(out.Table) };
    if (command instanceof GetTableVersionsCommand) {
      const { DatabaseName, TableName } = command.input;
      const versions: TableVersion[] = [];
      for (const v of (out.TableVersions ?? []) as TableVersion[]) {
        const made = VERSION_MADE.get(await key(DatabaseName, TableName, v.VersionId));
        // A version not made since the last settling was made at deployment.
        versions.push({ ...v, Table: { ...asDeployed(v.Table)!, UpdateTime: made ?? DEPLOYED_AT } });
      }
      return { ...out, TableVersions: versions };
    }
    return out;
  } as typeof GlueClient.prototype.send;
  const realLogsSend = CloudWatchLogsClient.prototype.send as (...args: unknown[]) => Promise<any>;
  CloudWatchLogsClient.prototype.send = async function (this: CloudWatchLogsClient, command: unknown, ...rest: unknown[]) {
    if (command instanceof DescribeQueryDefinitionsCommand) return describeQueryDefinitions(this, command.input);
    return realLogsSend.call(this, command, ...rest);
  } as typeof CloudWatchLogsClient.prototype.send;
  const restoreAthena = mockNamedQueries(changes);
  return () => {
    restoreAthena();
    CloudWatchLogsClient.prototype.send = realLogsSend as typeof CloudWatchLogsClient.prototype.send;
    GlueClient.prototype.send = realGlueSend as typeof GlueClient.prototype.send;
  };
}

function mockNamedQueries(changes: NamedQueryChanges): () => void {
  const realSend = AthenaClient.prototype.send as (...args: unknown[]) => Promise<any>;
  AthenaClient.prototype.send = async function (this: AthenaClient, command: unknown, ...rest: unknown[]) {
    if (command instanceof BatchGetNamedQueryCommand) {
      const NamedQueries: NamedQuery[] = [];
      const UnprocessedNamedQueryIds: { NamedQueryId: string; ErrorCode: string; ErrorMessage: string }[] = [];
      for (const id of command.input.NamedQueryIds ?? []) {
        const change = changes[id];
        if (change?.deleted) {
          UnprocessedNamedQueryIds.push({ NamedQueryId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: 'named query not found' });
          continue;
        }
        const q = (await realSend.call(this, new GetNamedQueryCommand({ NamedQueryId: id }))).NamedQuery as NamedQuery;
        NamedQueries.push({ ...q, ...(change?.QueryString !== undefined ? { QueryString: change.QueryString } : {}) });
      }
      return { NamedQueries, UnprocessedNamedQueryIds, $metadata: {} };
    }
    if (command instanceof GetWorkGroupCommand) {
      const out = await realSend.call(this, command, ...rest);
      const created = out.WorkGroup && WORKGROUP_CREATED.get(out.WorkGroup.Name);
      return created ? { ...out, WorkGroup: { ...out.WorkGroup, CreationTime: created } } : out;
    }
    if (command instanceof ListNamedQueriesCommand) {
      const out = await realSend.call(this, command, ...rest);
      return { ...out, NamedQueryIds: (out.NamedQueryIds ?? []).filter((id: string) => !changes[id]?.deleted) };
    }
    return realSend.call(this, command, ...rest);
  } as typeof AthenaClient.prototype.send;
  return () => {
    AthenaClient.prototype.send = realSend as typeof AthenaClient.prototype.send;
  };
}

/** The id of the named query of `investigation` in moto. */
export async function namedQueryId(client: ClientOf, config: BaselineConfig, investigation: string): Promise<string> {
  const athena = await client(AthenaClient, config.organization.auditAccountId);
  const ids = (await athena.send(new ListNamedQueriesCommand({ WorkGroup: investigationsWorkgroupName(config) }))).NamedQueryIds ?? [];
  for (const id of ids) {
    const q = (await athena.send(new GetNamedQueryCommand({ NamedQueryId: id }))).NamedQuery;
    if (q?.Name === investigationNamedQueryName(config, investigation)) return id;
  }
  throw new Error(`no named query for ${investigation}`);
}
