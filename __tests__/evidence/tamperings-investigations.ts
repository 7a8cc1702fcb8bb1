/**
 * Tamperings of the investigations (`investigations.athena`): what an admin who wants an investigation
 * to come back empty, unbounded or readable elsewhere would change, in the audit account (workgroup,
 * tables, named queries) and the management account (Logs Insights saved queries), home Region.
 * The workgroup's settings (UpdateWorkGroup, not in moto 5.2) are changed by deleting the workgroup and
 * creating it again with the changed configuration, the state UpdateWorkGroup would leave; the named
 * queries' SQL and existence (UpdateNamedQuery, DeleteNamedQuery, not in moto) through the mock's state,
 * and the saved queries (PutQueryDefinition, DeleteQueryDefinition, not in moto) through
 * QUERY_DEFINITIONS (investigations-fixture.ts). Glue UpdateTable and Athena DeleteWorkGroup are moto's;
 * a table tampering's undo puts the baseline's table back and dates its versions before the period
 * (settleTables), as if the change had never been made.
 */
import { AthenaClient, CreateWorkGroupCommand, DeleteWorkGroupCommand, type WorkGroupConfiguration } from '@aws-sdk/client-athena';
import type { QueryDefinition } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteTableVersionCommand, GetTableCommand, GlueClient, UpdateTableCommand, type TableInput } from '@aws-sdk/client-glue';
import { investigationNamedQueryName, investigationQueryDefinitionName, investigationQueryDefinitionPrefix, investigationsDatabaseName, investigationsWorkgroupName, logBucketName } from '../../config/naming';
import { tableResource } from '../../evidence/checks/investigations';
import { INVESTIGATION_TABLES } from '../../modules/investigations/cloudtrail-table';
import { investigationsFor } from '../../modules/investigations/context';
import { bindParameters } from '../../modules/investigations/investigation';
import { investigationTables } from '../../modules/investigations/tables';
import type { HealthyOrg } from './healthy-org';
import { baselineQueryDefinitions, namedQueryId, QUERY_DEFINITIONS, settleTables, tableInput, workgroupConfiguration } from './investigations-fixture';
import { HOME } from './org-fixture';
import type { Tampering } from './tamperings';

const CONTROL = 'investigations.athena';
const audit = (org: HealthyOrg) => org.ids.audit;
const item = (org: HealthyOrg, resource: string) => `${CONTROL}/${audit(org)}/${HOME}/${resource}`;
const workgroupItem = (org: HealthyOrg) => [item(org, investigationsWorkgroupName(org.config))];
const namedQueryItems = (org: HealthyOrg) => investigationsFor(org.config).available.map(({ investigation }) => item(org, `named-query/${investigationNamedQueryName(org.config, investigation.name)}`));
const client = (org: HealthyOrg) => <T>(Ctor: new (config: any) => T, accountId: string) => org.accounts.client(Ctor, accountId);

/** The workgroup re-created with `change` applied to the baseline's configuration; the baseline's put back after. */
function updateWorkgroup(change: (c: WorkGroupConfiguration) => void) {
  return async (org: HealthyOrg) => {
    const athena = await org.accounts.client(AthenaClient, audit(org));
    const Name = investigationsWorkgroupName(org.config);
    const put = async (Configuration: WorkGroupConfiguration) => {
      // RecursiveDeleteOption: delete "even if the workgroup contains any named queries" (API_DeleteWorkGroup.html);
      // moto keeps them, as UpdateWorkGroup would.
      await athena.send(new DeleteWorkGroupCommand({ WorkGroup: Name, RecursiveDeleteOption: true }));
      await athena.send(new CreateWorkGroupCommand({ Name, Configuration }));
    };
    const changed = structuredClone(workgroupConfiguration(org.config));
    change(changed);
    await put(changed);
    return () => put(workgroupConfiguration(org.config));
  };
}

/**
 * The organization trail's table updated with `change` applied (Glue UpdateTable, API_UpdateTable.html),
 * and with `changeBack` put back at once (a change and change back); the baseline's put back after, its
 * versions settled.
 */
function updateOrgTrailTable(change: (t: TableInput, org: HealthyOrg) => void, options: { changeBack?: boolean } = {}) {
  return async (org: HealthyOrg) => {
    const glue = await org.accounts.client(GlueClient, audit(org));
    const DatabaseName = investigationsDatabaseName(org.config);
    const spec = investigationTables(org.config).find((t) => t.name === INVESTIGATION_TABLES.organizationTrail)!;
    const changed = tableInput(spec);
    change(changed, org);
    await glue.send(new UpdateTableCommand({ DatabaseName, TableInput: changed }));
    if (options.changeBack) await glue.send(new UpdateTableCommand({ DatabaseName, TableInput: tableInput(spec) }));
    return async () => {
      await glue.send(new UpdateTableCommand({ DatabaseName, TableInput: tableInput(spec) }));
      settleTables();
    };
  };
}

const orgTableItem = (org: HealthyOrg) => item(org, tableResource(org.config, INVESTIGATION_TABLES.organizationTrail));
const orgTableVersionsItem = (org: HealthyOrg) => `${orgTableItem(org)}/versions`;
/** A changed table fails itself and its versions item (the change is a version made in the period). */
const orgTableItems = (org: HealthyOrg) => [orgTableItem(org), orgTableVersionsItem(org)];

const management = (org: HealthyOrg) => org.ids.management;
const managementItem = (org: HealthyOrg, resource: string) => `${CONTROL}/${management(org)}/${HOME}/${resource}`;

/** The management account's saved queries with `change` applied (PutQueryDefinition / DeleteQueryDefinition); the baseline's put back after. */
function changeQueryDefinitions(change: (definitions: QueryDefinition[], org: HealthyOrg) => QueryDefinition[]) {
  return async (org: HealthyOrg) => {
    QUERY_DEFINITIONS.set(management(org), change(baselineQueryDefinitions(org.config), org));
    return async () => {
      QUERY_DEFINITIONS.set(management(org), baselineQueryDefinitions(org.config));
    };
  };
}

const ROOT_ACTIVITY = 'root-activity';

export const INVESTIGATION_TAMPERINGS: readonly Tampering[] = [
  // ---- The investigations workgroup ---------------------------------------------------------
  {
    what: "Stop the investigations workgroup enforcing its settings (a caller's own result location, encryption and scan limit then win)",
    call: 'athena:UpdateWorkGroup',
    controls: [CONTROL],
    fails: workgroupItem,
    reason: /EnforceWorkGroupConfiguration is false: a caller's own result location, encryption and scan limit win/,
    apply: updateWorkgroup((c) => (c.EnforceWorkGroupConfiguration = false)),
  },
  {
    what: "Remove the investigations workgroup's per-query scan limit",
    call: 'athena:UpdateWorkGroup',
    controls: [CONTROL],
    fails: workgroupItem,
    reason: /BytesScannedCutoffPerQuery is unset: no per-query scan limit \(investigations\.bytesScannedCutoffPerQueryMb is \d+\)/,
    apply: updateWorkgroup((c) => delete c.BytesScannedCutoffPerQuery),
  },
  {
    what: "Encrypt the investigations' query results with SSE-S3 instead of the results key",
    call: 'athena:UpdateWorkGroup',
    controls: [CONTROL],
    fails: workgroupItem,
    reason: /EncryptionOption is SSE_S3, not SSE_KMS or CSE_KMS/,
    apply: updateWorkgroup((c) => (c.ResultConfiguration!.EncryptionConfiguration = { EncryptionOption: 'SSE_S3' })),
  },
  {
    what: "Write the investigations' query results to a bucket of the admin's",
    call: 'athena:UpdateWorkGroup',
    controls: [CONTROL],
    fails: workgroupItem,
    reason: /ResultConfiguration\.OutputLocation is s3:\/\/admin-scratch-results\/, not in the results bucket s3:\/\/acme-soc2-athena-results-\d{12}-us-east-1\//,
    apply: updateWorkgroup((c) => (c.ResultConfiguration!.OutputLocation = 's3://admin-scratch-results/')),
  },
  {
    what: 'Delete the investigations workgroup (with its named queries)',
    call: 'athena:DeleteWorkGroup',
    controls: [CONTROL],
    fails: (org) => [...workgroupItem(org), ...namedQueryItems(org)],
    reason: /no workgroup acme-soc2-investigations/,
    apply: async (org) => {
      const athena = await org.accounts.client(AthenaClient, audit(org));
      const Name = investigationsWorkgroupName(org.config);
      await athena.send(new DeleteWorkGroupCommand({ WorkGroup: Name, RecursiveDeleteOption: true }));
      return () => athena.send(new CreateWorkGroupCommand({ Name, Configuration: workgroupConfiguration(org.config) }));
    },
  },
  // ---- The tables ---------------------------------------------------------------------------
  {
    what: "Leave a workload account out of the organization trail table's account projection (nobody can investigate it)",
    call: 'glue:UpdateTable',
    controls: [CONTROL],
    fails: orgTableItems,
    // The table misses the account; its version, made in the period, drops it from the version before.
    reason: /projection\.account\.values (misses \d{12}: nobody can|drops \d{12}, which version \d+ projected: nobody could) investigate that account/,
    apply: updateOrgTrailTable((t, org) => {
      t.Parameters!['projection.account.values'] = org.config.members.filter((m) => m.id !== org.ids.workload).map((m) => m.id).join(',');
    }),
  },
  {
    what: "Point the organization trail table's location template at another bucket",
    call: 'glue:UpdateTable',
    controls: [CONTROL],
    fails: orgTableItems,
    reason: /storage\.location\.template is s3:\/\/admin-copy-of-the-logs\/\S+, not s3:\/\/acme-soc2-cloudtrail-\S+ \(the log archive path\)/,
    apply: updateOrgTrailTable((t, org) => {
      t.Parameters!['storage.location.template'] = t.Parameters!['storage.location.template'].replace(`s3://${logBucketName(org.config, 'cloudtrail')}`, 's3://admin-copy-of-the-logs');
    }),
  },
  {
    what: "Replace the organization trail table by a view of the same name that leaves the admin's own calls out",
    call: 'glue:UpdateTable',
    controls: [CONTROL],
    fails: orgTableItems,
    reason: /TableType is VIRTUAL_VIEW, not EXTERNAL_TABLE/,
    apply: updateOrgTrailTable((t) => {
      // A Glue view: TableType VIRTUAL_VIEW with ViewOriginalText and ViewExpandedText (API_TableInput.html).
      const sql = "SELECT * FROM admin_copy.cloudtrail WHERE useridentity.arn NOT LIKE '%admin%'";
      Object.assign(t, { TableType: 'VIRTUAL_VIEW', ViewOriginalText: sql, ViewExpandedText: sql, PartitionKeys: [], Parameters: { presto_view: 'true' } });
      t.StorageDescriptor = { Columns: t.StorageDescriptor!.Columns };
    }),
  },
  {
    what: "Swap the organization trail table's SerDe for a regex SerDe that matches no record",
    call: 'glue:UpdateTable',
    controls: [CONTROL],
    fails: orgTableItems,
    reason: /StorageDescriptor\.SerdeInfo\.SerializationLibrary is org\.apache\.hadoop\.hive\.serde2\.RegexSerDe, not org\.apache\.hive\.hcatalog\.data\.JsonSerDe/,
    apply: updateOrgTrailTable((t) => {
      // SerDeInfo: SerializationLibrary, Parameters (API_SerDeInfo.html).
      t.StorageDescriptor!.SerdeInfo = { SerializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe', Parameters: { 'input.regex': '^$' } };
    }),
  },
  {
    what: "Drop the source IP address column from the organization trail table",
    call: 'glue:UpdateTable',
    controls: [CONTROL],
    fails: orgTableItems,
    reason: /StorageDescriptor\.Columns misses sourceipaddress/,
    apply: updateOrgTrailTable((t) => {
      t.StorageDescriptor!.Columns = t.StorageDescriptor!.Columns!.filter((c) => c.Name !== 'sourceipaddress');
    }),
  },
  {
    what: 'Change the organization trail table (an account left out) and change it back within the audit period',
    call: 'glue:UpdateTable',
    controls: [CONTROL],
    fails: (org) => [orgTableVersionsItem(org)],
    reason: /^version \d+ made \S+: projection\.account\.values drops \d{12}, which version \d+ projected: nobody could investigate that account \(accounts are only ever added\)\. .*check who made each/,
    apply: updateOrgTrailTable(
      (t, org) => {
        t.Parameters!['projection.account.values'] = org.config.members.filter((m) => m.id !== org.ids.workload).map((m) => m.id).join(',');
      },
      { changeBack: true },
    ),
  },
  {
    what: 'Change the organization trail table (an account left out), change it back, and delete the version that shows the change',
    call: 'glue:DeleteTableVersion',
    controls: [CONTROL],
    fails: (org) => [orgTableVersionsItem(org)],
    reason: /^version (\d+) made \S+: version \d+, the one before it, is not kept \(DeleteTableVersion or BatchDeleteTableVersion\), so whether it narrowed projection\.account\.values cannot be told\. /,
    apply: async (org) => {
      const undo = await updateOrgTrailTable(
        (t) => {
          t.Parameters!['projection.account.values'] = org.config.members.filter((m) => m.id !== org.ids.workload).map((m) => m.id).join(',');
        },
        { changeBack: true },
      )(org);
      const glue = await org.accounts.client(GlueClient, audit(org));
      const DatabaseName = investigationsDatabaseName(org.config);
      const TableName = INVESTIGATION_TABLES.organizationTrail;
      // The version before the current one is the narrowed one (VersionId "incremented by 1": API_TableVersion.html).
      const current = Number((await glue.send(new GetTableCommand({ DatabaseName, Name: TableName }))).Table!.VersionId);
      await glue.send(new DeleteTableVersionCommand({ DatabaseName, TableName, VersionId: String(current - 1) }));
      return undo;
    },
  },
  // ---- The named investigations -------------------------------------------------------------
  {
    what: 'Rewrite the root-activity named query so that it never returns a row (WHERE 1 = 0 AND ...)',
    call: 'athena:UpdateNamedQuery',
    controls: [CONTROL],
    fails: (org) => [item(org, `named-query/${investigationNamedQueryName(org.config, ROOT_ACTIVITY)}`)],
    reason: /named query \S+ acme-soc2-root-activity has other SQL than the baseline's root-activity/,
    apply: async (org) => {
      const id = await namedQueryId(client(org), org.config, ROOT_ACTIVITY);
      const sql = bindParameters(investigationsFor(org.config).available.find((a) => a.investigation.name === ROOT_ACTIVITY)!.sql).queryString;
      org.mocks.state.namedQueries[id] = { QueryString: sql.replace(/\bWHERE\b/, 'WHERE 1 = 0 AND') };
      return async () => delete org.mocks.state.namedQueries[id];
    },
  },
  {
    what: 'Delete the root-activity named query',
    call: 'athena:DeleteNamedQuery',
    controls: [CONTROL],
    fails: (org) => [item(org, `named-query/${investigationNamedQueryName(org.config, ROOT_ACTIVITY)}`)],
    reason: /^no named query acme-soc2-root-activity in the workgroup acme-soc2-investigations$/,
    apply: async (org) => {
      const id = await namedQueryId(client(org), org.config, ROOT_ACTIVITY);
      org.mocks.state.namedQueries[id] = { deleted: true };
      return async () => delete org.mocks.state.namedQueries[id];
    },
  },
  // ---- The Logs Insights saved queries (management account) ---------------------------------
  {
    what: 'Rewrite the root-activity Logs Insights saved query so that it never returns a row',
    call: 'logs:PutQueryDefinition',
    controls: [CONTROL],
    fails: (org) => [managementItem(org, `query-definition/${investigationQueryDefinitionName(org.config, ROOT_ACTIVITY)}`)],
    reason: /saved query \S+ acme-soc2\/investigations\/root-activity has another query string than the baseline's root-activity/,
    apply: changeQueryDefinitions((definitions, org) =>
      definitions.map((d) => (d.name === investigationQueryDefinitionName(org.config, ROOT_ACTIVITY) ? { ...d, queryString: `${d.queryString}\n| filter 1 = 0` } : d)),
    ),
  },
  {
    what: 'Delete the root-activity Logs Insights saved query',
    call: 'logs:DeleteQueryDefinition',
    controls: [CONTROL],
    fails: (org) => [managementItem(org, `query-definition/${investigationQueryDefinitionName(org.config, ROOT_ACTIVITY)}`)],
    reason: /^no saved query acme-soc2\/investigations\/root-activity in the management account \d{12}$/,
    apply: changeQueryDefinitions((definitions, org) => definitions.filter((d) => d.name !== investigationQueryDefinitionName(org.config, ROOT_ACTIVITY))),
  },
  {
    what: 'Add a look-alike saved query beside the investigations (root-activity (fixed), which asks something else)',
    call: 'logs:PutQueryDefinition',
    controls: [CONTROL],
    fails: (org) => [managementItem(org, `query-definitions/${investigationQueryDefinitionPrefix(org.config)}`)],
    reason: /^saved queries under acme-soc2\/investigations\/ the baseline does not make: acme-soc2\/investigations\/root-activity \(fixed\) \(\S+\)/,
    apply: changeQueryDefinitions((definitions, org) => [
      ...definitions,
      { queryDefinitionId: 'ffffffff-0000-4000-8000-000000000001', name: `${investigationQueryDefinitionName(org.config, ROOT_ACTIVITY)} (fixed)`, queryString: 'fields @timestamp | filter 1 = 0', logGroupNames: definitions[0].logGroupNames },
    ]),
  },
];
