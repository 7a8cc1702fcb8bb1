/**
 * The review rules of the investigations (modules/investigations): the workgroup, the Glue tables and
 * database, the named and Logs Insights queries, and the investigators' policy. Each rule passes the
 * healthy plan (__tests__/fixtures/plans/investigations-kept.json: what vending account 666666666666
 * and a stricter scan limit do) and fails the plan that breaks what it guards.
 */
import { join } from 'node:path';
import { investigationsReaderPolicyName } from '../../config/naming';
import { reviewCommand } from '../../review/cli';
import { findWeakenings } from '../../review/guard';
import { parsePlan, readPlan } from '../../review/plan';
import { READER_POLICY_NAME } from '../../review/rules/investigation-access-removed';
import { exampleConfig, resourcesOf, synthStack } from '../helpers';

const plan = (name: string) => join(__dirname, '..', 'fixtures', 'plans', `${name}.json`);
const findings = (data: unknown) => findWeakenings(parsePlan(data, 'p.json', 'member-333333333333')).map((f) => `${f.rule.id}: ${f.detail}`);
const fixture = (name: string) => JSON.parse(JSON.stringify(require(plan(name))));

async function exitCode(file: string): Promise<number> {
  return reviewCommand.run({}, [file], { stdout: () => undefined, stderr: () => undefined, stderrIsTTY: false });
}

describe('the investigations review rules', () => {
  test('healthy: an account added to the projection, a lower scan limit, a new description, an investigator added: passes', async () => {
    expect(findWeakenings(readPlan(plan('investigations-kept'))).map((f) => `${f.rule.id} ${f.address}: ${f.detail}`)).toEqual([]);
    expect(await exitCode(plan('investigations-kept'))).toBe(0);
  });

  test('investigation-workgroup-weakened: disabled, not enforced, no scan limit, results moved and re-encrypted', async () => {
    expect(findWeakenings(readPlan(plan('investigation-workgroup-weakened'))).map((f) => f.detail)).toEqual([
      'state: "ENABLED" → "DISABLED"',
      "configuration.enforce_workgroup_configuration: true → false (callers' own settings win)",
      // The provider sends RemoveBytesScannedCutoffPerQuery for 0 (internal/service/athena/workgroup.go).
      'configuration.bytes_scanned_cutoff_per_query: 10240000000 bytes → no limit',
      'configuration.result_configuration.output_location: "s3://acme-soc2-athena-results-333333333333-us-east-1/acme-soc2-investigations/" → "s3://someone-elses-bucket/results/"',
      'configuration.result_configuration.encryption_configuration.encryption_option: "SSE_KMS" → "SSE_S3"',
      'configuration.result_configuration.encryption_configuration.kms_key_arn: "arn:aws:kms:us-east-1:333333333333:key/7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f" → unset',
    ]);
    expect(await exitCode(plan('investigation-workgroup-weakened'))).toBe(1);
  });

  test('investigation-workgroup-weakened: a raised limit, an unknown setting; an unset enforce flag is the default true; replaced, deleted', () => {
    const data = fixture('investigation-workgroup-weakened');
    const change = data.resource_changes[0].change;
    change.after = JSON.parse(JSON.stringify(change.before));
    change.after.configuration[0].bytes_scanned_cutoff_per_query = 20_000_000_000;
    // enforce_workgroup_configuration "Default: true" (internal/service/athena/workgroup.go).
    change.after.configuration[0].enforce_workgroup_configuration = null;
    expect(findings(data)).toEqual(['investigation-workgroup-weakened: configuration.bytes_scanned_cutoff_per_query: 10240000000 bytes → 20000000000 bytes']);
    delete change.after.configuration[0].result_configuration[0].encryption_configuration[0].kms_key_arn;
    change.after_unknown = { configuration: [{ result_configuration: [{ encryption_configuration: [{ kms_key_arn: true }] }] }] };
    expect(findings(data)).toContain(
      'investigation-workgroup-weakened: configuration.result_configuration.encryption_configuration.kms_key_arn: "arn:aws:kms:us-east-1:333333333333:key/7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f" → known only after apply',
    );
    change.actions = ['delete', 'create'];
    change.after = JSON.parse(JSON.stringify(change.before));
    change.after_unknown = {};
    expect(findings(data)).toEqual([
      'investigation-workgroup-weakened: the investigations workgroup is replaced (destroyed, then created again): its named queries and query executions go with it, and no investigation runs until it is back',
    ]);
    change.actions = ['delete'];
    change.after = null;
    expect(findings(data)).toEqual([
      'investigation-workgroup-weakened: the investigations workgroup is deleted: its named queries and query executions go with it, and no investigation runs until it is back',
    ]);
  });

  test('investigation-table-changed: an account removed, another location, SerDe and columns; a table deleted; the database replaced', async () => {
    const found = findWeakenings(readPlan(plan('investigation-table-changed')));
    expect(found.map((f) => `${f.address}: ${f.detail}`)).toEqual([
      'aws_glue_catalog_table.investigations_table-cloudtrail_organization_0F86914C: parameters["projection.account.values"]: 444444444444 removed',
      'aws_glue_catalog_table.investigations_table-cloudtrail_organization_0F86914C: parameters["storage.location.template"]: "s3://acme-soc2-cloudtrail-222222222222-us-east-1/AWSLogs/o-exampleorg01/${account}/CloudTrail/${region}/${day}" → "s3://acme-soc2-cloudtrail-222222222222-us-east-1/AWSLogs/o-otherorg/${account}/CloudTrail/${region}/${day}"',
      'aws_glue_catalog_table.investigations_table-cloudtrail_organization_0F86914C: storage_descriptor.columns "sourceipaddress": removed',
      'aws_glue_catalog_table.investigations_table-cloudtrail_organization_0F86914C: storage_descriptor.location: "s3://acme-soc2-cloudtrail-222222222222-us-east-1/AWSLogs/o-exampleorg01" → "s3://acme-soc2-cloudtrail-222222222222-us-east-1/AWSLogs/o-otherorg"',
      'aws_glue_catalog_table.investigations_table-cloudtrail_organization_0F86914C: storage_descriptor.ser_de_info.serialization_library: "org.apache.hive.hcatalog.data.JsonSerDe" → "org.openx.data.jsonserde.JsonSerDe"',
      'aws_glue_catalog_table.investigations_table-vpc_flow_logs_F54F7AA0: the investigations table is deleted: its table versions, the record of how it read the logs, go with it',
      'aws_glue_catalog_database.investigations_database_FDC0F75C: the investigations database is replaced (destroyed, then created again): its tables go with it, and no investigation runs until they are back',
    ]);
    expect(found.every((f) => f.controls.map((c) => c.id).join() === 'investigations.athena')).toBe(true);
    expect(await exitCode(plan('investigation-table-changed'))).toBe(1);
  });

  test('investigation-table-changed: a projected Region removed, a column retyped or reordered, the table type changed; adding values passes', () => {
    const data = fixture('investigation-table-changed');
    data.resource_changes = data.resource_changes.slice(0, 1);
    const change = data.resource_changes[0].change;
    change.after = JSON.parse(JSON.stringify(change.before));
    const values = (s: string) => s.split(',');
    change.after.parameters['projection.account.values'] += ',666666666666';
    expect(findings(data)).toEqual([]);
    change.after.parameters['projection.region.values'] = values(change.before.parameters['projection.region.values']).filter((r: string) => r !== 'us-east-1').join(',');
    change.after.table_type = 'VIRTUAL_VIEW';
    const columns = change.after.storage_descriptor[0].columns;
    [columns[0], columns[1]] = [columns[1], columns[0]];
    expect(findings(data)).toEqual([
      'investigation-table-changed: parameters["projection.region.values"]: us-east-1 removed',
      'investigation-table-changed: storage_descriptor.columns: reordered',
      'investigation-table-changed: table_type: "EXTERNAL_TABLE" → "VIRTUAL_VIEW"',
    ]);
    columns[0].type = 'string';
    expect(findings(data)).toContain('investigation-table-changed: storage_descriptor.columns "useridentity": "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,onbehalfof:struct<userid:string,identitystorearn:string>,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>" → "string"');
    change.after_unknown = { parameters: true };
    expect(findings(data)).toContain('investigation-table-changed: parameters: known only after apply');
  });

  test('investigation-query-changed: a query rewritten or deleted, named or Logs Insights; a new description alone passes', async () => {
    expect(findWeakenings(readPlan(plan('investigation-query-changed'))).map((f) => `${f.type}: ${f.detail}`)).toEqual([
      'aws_athena_named_query: query: line 7 "WHERE day BETWEEN ? AND ?" → "WHERE day BETWEEN ? AND ? AND account <> \'444444444444\'"',
      'aws_athena_named_query: the named investigation is deleted: investigators lose the reviewed question it asks',
      'aws_cloudwatch_query_definition: query_string: line 1 "filter (eventSource = \\"sts.amazonaws.com\\" and eventName = \\"AssumeRole\\" and (requestParameters.roleArn like \\":role/soc2-baseline-break-glass\\"))" → "fields @timestamp | limit 1"',
      'aws_cloudwatch_query_definition: the Logs Insights saved investigation is deleted: investigators lose the reviewed question it asks',
    ]);
    expect(await exitCode(plan('investigation-query-changed'))).toBe(1);
    const data = fixture('investigation-query-changed');
    const definition = data.resource_changes[2].change;
    definition.after = { ...definition.before, log_group_names: ['/somewhere/else'] };
    expect(findings(data)).toContain('investigation-query-changed: log_group_names: ["/acme-soc2/cloudtrail/organization"] → ["/somewhere/else"]');
  });

  test('investigation-access-removed: a statement removed or added, the policy detached; another role\'s managed policy is not judged', async () => {
    expect(findWeakenings(readPlan(plan('investigation-access-removed'))).map((f) => f.detail)).toEqual([
      'statement "DecryptTheLogsThroughS3": removed or changed',
      'statement "WriteTheTables": added',
      "the investigators' policy attachment is deleted: SecurityLogReader can no longer run an investigation",
    ]);
    expect(await exitCode(plan('investigation-access-removed'))).toBe(1);
    const data = fixture('investigation-access-removed');
    data.resource_changes[0].change.actions = ['delete'];
    data.resource_changes[0].change.after = null;
    expect(findings(data)[0]).toBe("investigation-access-removed: the investigators' policy is deleted: the log readers can no longer run an investigation");
  });

  test('the rule recognizes the investigators\' policy the baseline synthesizes, by the name config/naming.ts gives it', () => {
    const config = exampleConfig();
    expect(READER_POLICY_NAME.test(investigationsReaderPolicyName(config))).toBe(true);
    const policies = resourcesOf(synthStack(config, `member-${config.organization.auditAccountId}`), 'aws_iam_policy');
    expect(policies.map(([, p]) => READER_POLICY_NAME.test(p.name))).toEqual([true]);
  }, 120_000);
});

describe('the alarm history record is judged against the alert routing it serves', () => {
  test('deleting or shortening /<prefix>/alarm-history weakens alerting.central-routing; another log group keeps its own controls', () => {
    const controls = (name: string, file: string, logGroup: string) => {
      const data = fixture(name);
      const change = data.resource_changes[0].change;
      for (const side of [change.before, change.after]) if (side) side.name = logGroup;
      return findWeakenings(parsePlan(data, file, 'member-333333333333')).map((f) => [f.rule.id, f.controls.map((c) => c.id)]);
    };
    expect(controls('log-group-deleted', 'a.json', '/acme-soc2/alarm-history')).toEqual([['log-group-destroyed', ['alerting.central-routing', 'cloudwatch-logs.retention']]]);
    expect(controls('log-group-retention-shortened', 'b.json', '/acme-soc2/alarm-history')).toEqual([['log-group-retention-shortened', ['cloudwatch-logs.retention', 'alerting.central-routing']]]);
    expect(controls('log-group-deleted', 'c.json', '/acme-soc2/cloudtrail/organization')).toEqual([['log-group-destroyed', ['cloudtrail.cloudwatch-logs-delivery', 'cloudwatch-logs.retention']]]);
  });
});
