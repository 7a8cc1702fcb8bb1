/**
 * The investigations infrastructure (modules/investigations/log-investigations.ts, logs-insights-queries.ts,
 * tables.ts), asserted on the synthesized Terraform JSON of the audit account's member stack and the
 * management stack; the readers' policy evaluated with the IAM simulator, never text-matched.
 */
import {
  allStackNames,
  investigationResultsBucketName,
  investigationsDatabaseName,
  investigationsWorkgroupName,
  logBucketName,
  memberStackName,
} from '../../../config/naming';
import type { BaselineConfig } from '../../../config/schema';
import { configWarnings } from '../../../config/warnings';
import { INVESTIGATIONS } from '../../../modules/investigations/catalog';
import { CLOUDTRAIL_COLUMNS, INVESTIGATION_TABLES } from '../../../modules/investigations/cloudtrail-table';
import { investigationContext, investigationsFor } from '../../../modules/investigations/context';
import { bindParameters } from '../../../modules/investigations/investigation';
import { ATHENA_ENGINE_VERSION, resultsKeyAlias } from '../../../modules/investigations/log-investigations';
import { FLOW_LOGS_TABLE, projectedAccountIds, projectedPartitions, projectedRegions } from '../../../modules/investigations/tables';
import { AWS_REGIONS } from '../../../config/regions';
import { configProblems, configWith, exampleConfig, oneResource, resourcesOf, synthStack, type Synth } from '../../helpers';
import { simulate, type SimPrincipal } from '../../iam-simulator';

const config = exampleConfig();
const org = config.organization;
const HOME = config.regions.home;
const AUDIT = org.auditAccountId;
const LOG_ARCHIVE = org.logArchiveAccountId;
const auditStack = (c: BaselineConfig = config) => synthStack(c, memberStackName(c.organization.auditAccountId));
const json = auditStack();

/** Terraform's `$${` is the literal `${` AWS receives. */
const literal = (v: string) => v.replace(/\$\$\{/g, '${');
const tables = (j: Synth) => Object.fromEntries(resourcesOf(j, 'aws_glue_catalog_table').map(([, t]) => [t.name, t]));
const params = (t: Record<string, any>) => Object.fromEntries(Object.entries(t.parameters as Record<string, string>).map(([k, v]) => [k, literal(v)]));

const INVESTIGATION_TYPES = [
  'aws_athena_workgroup',
  'aws_athena_named_query',
  'aws_glue_catalog_database',
  'aws_glue_catalog_table',
  'aws_cloudwatch_query_definition',
];

describe('the Glue tables over the log archive', () => {
  // "Create the table for CloudTrail logs in Athena using partition projection":
  // https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
  test('the organization trail: its delivery path, the CloudTrail SerDe, and every account, Region and retained day projected', () => {
    const t = tables(json)[INVESTIGATION_TABLES.organizationTrail];
    const bucket = logBucketName(config, 'cloudtrail');
    expect(t.table_type).toBe('EXTERNAL_TABLE');
    expect(t.database_name).toMatch(/aws_glue_catalog_database\./);
    expect(t.storage_descriptor.location).toBe(`s3://${bucket}/AWSLogs/${org.id}`);
    expect(t.storage_descriptor.ser_de_info.serialization_library).toBe('org.apache.hive.hcatalog.data.JsonSerDe');
    expect(t.storage_descriptor.input_format).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
    expect(t.storage_descriptor.output_format).toBe('org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat');
    expect(t.storage_descriptor.columns).toEqual(CLOUDTRAIL_COLUMNS.map((c) => ({ name: c.name, type: c.type })));
    expect(t.partition_keys).toEqual([
      { name: 'account', type: 'string' },
      { name: 'region', type: 'string' },
      { name: 'day', type: 'string' },
    ]);
    // "Supported types for partition projection": enum values comma-separated; date range relative
    // (NOW-<n>DAYS) with format, interval and unit:
    // https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
    expect(params(t)).toEqual({
      EXTERNAL: 'TRUE',
      classification: 'cloudtrail',
      'projection.enabled': 'true',
      'projection.account.type': 'enum',
      'projection.account.values': config.members.map((m) => m.id).join(','),
      'projection.region.type': 'enum',
      'projection.region.values': AWS_REGIONS.join(','),
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': `NOW-${config.retention.logArchiveDays}DAYS,NOW`,
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'storage.location.template': `s3://${bucket}/AWSLogs/${org.id}/\${account}/CloudTrail/\${region}/\${day}`,
    });
  });

  test('the projection follows the config: a new account, a longer retention', () => {
    const grown = configWith((raw) => {
      raw.members.push({ id: '666666666666', name: 'new', email: 'aws-new@example.com', ou: 'Root' });
      raw.retention.logArchiveDays = 730;
    });
    const p = params(tables(auditStack(grown))[INVESTIGATION_TABLES.organizationTrail]);
    expect(p['projection.account.values'].split(',')).toContain('666666666666');
    expect(p['projection.account.values'].split(',')).toHaveLength(6);
    expect(p['projection.day.range']).toBe('NOW-730DAYS,NOW');
  });

  // The organization trail is multi-Region: CloudTrail records the global services (IAM, STS, CloudFront)
  // in us-east-1, and what happens in a Region the baseline does not govern ("Using update-trail":
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail-by-using-the-aws-cli-update-trail.html).
  test('every Region the trail can deliver for, governed or not: us-east-1 when only eu-west-1 is governed, and an additional known Region', () => {
    const euOnly = configWith((raw) => {
      raw.regions.home = 'eu-west-1';
      raw.regions.governed = ['eu-west-1'];
      raw.regions.additionalKnownRegions = [{ region: 'xx-east-1', reason: 'Announced by AWS; not yet in the SDK partition metadata.' }];
      for (const m of raw.members) delete m.regions;
      raw.securityServices.macie.classificationJobs = [];
      raw.sensitiveData.buckets = [];
    });
    const regions = params(tables(auditStack(euOnly))[INVESTIGATION_TABLES.organizationTrail])['projection.region.values'].split(',');
    expect(regions).toContain('us-east-1');
    expect(regions).toContain('ap-southeast-2');
    expect(regions).toContain('xx-east-1');
    expect(regions).toHaveLength(AWS_REGIONS.length + 1);
    // What it was: the governed Regions only, which leaves out us-east-1's IAM and STS events.
    const governedOnly = euOnly.regions.governed;
    expect(governedOnly).not.toContain('us-east-1');
    expect(projectedRegions(euOnly)).toEqual(regions);
  });

  test('every account whose logs the archive holds: members (the management account among them), removed and destroyed accounts', () => {
    expect(config.members.map((m) => m.id)).toContain(org.managementAccountId);
    const removed = configWith((raw) => {
      const gone = raw.members.pop()!;
      raw.removedMembers = [{ ...gone, removedOn: '2026-10-01', reason: 'Workload decommissioned after the migration.' }];
      raw.destroyedMembers = [
        {
          id: '777777777777',
          name: 'old',
          removedOn: '2026-06-01',
          reason: 'Sandbox closed at the end of the pilot.',
          destroyedOn: '2026-06-02',
          stateChecked: true,
        },
      ];
    });
    const accounts = params(tables(auditStack(removed))[INVESTIGATION_TABLES.organizationTrail])['projection.account.values'].split(',');
    const gone = removed.removedMembers[0].id;
    expect(removed.members.map((m) => m.id)).not.toContain(gone);
    expect(accounts).toContain(gone);
    expect(accounts).toContain('777777777777');
    expect(accounts).toContain(org.managementAccountId);
    expect(accounts).toEqual(projectedAccountIds(removed));
    expect(new Set(accounts).size).toBe(accounts.length);
  });

  test('the account trails under account-trails/ only while monitoring.accountTrails is on', () => {
    const t = tables(json)[INVESTIGATION_TABLES.accountTrails];
    const bucket = logBucketName(config, 'cloudtrail');
    expect(t.storage_descriptor.location).toBe(`s3://${bucket}/account-trails/AWSLogs`);
    expect(params(t)['storage.location.template']).toBe(`s3://${bucket}/account-trails/AWSLogs/\${account}/CloudTrail/\${region}/\${day}`);
    const off = configWith((raw) => {
      raw.monitoring.accountTrails = false;
      raw.controlExceptions = [{ control: 'cloudtrail.account-trails', reason: 'CIS monitoring is judged on the organization trail.' }];
    });
    expect(tables(auditStack(off))[INVESTIGATION_TABLES.accountTrails]).toBeUndefined();
  });

  test('VPC flow logs: a table over the hive-compatible prefixes only when they go to S3', () => {
    const t = tables(json)[FLOW_LOGS_TABLE];
    const bucket = logBucketName(config, 'flowlogs');
    // VPC User Guide, "Flow log files": .../AWSLogs/aws-account-id=<id>/aws-service=vpcflowlogs/aws-region=<r>/year=/month=/day=/hour=/
    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
    expect(params(t)['storage.location.template']).toBe(
      `s3://${bucket}/AWSLogs/aws-account-id=\${account}/aws-service=vpcflowlogs/aws-region=\${region}/\${day}`
    );
    expect(params(t)['projection.day.format']).toBe("'year='yyyy'/month='MM'/day='dd");
    // "Query Amazon VPC flow logs": space-delimited text with one header line.
    expect(params(t)['skip.header.line.count']).toBe('1');
    expect(t.storage_descriptor.ser_de_info.parameters['field.delim']).toBe(' ');
    const names = t.storage_descriptor.columns.map((c: { name: string }) => c.name);
    expect(names).not.toContain('region');
    expect(names).toEqual(expect.arrayContaining(['srcaddr', 'dstaddr', 'action', 'record_region', 'traffic_path']));
    const cwl = configWith((raw) => (raw.flowLogs = { destination: 'cloud-watch-logs' }));
    expect(tables(auditStack(cwl))[FLOW_LOGS_TABLE]).toBeUndefined();
  });
});

describe('the workgroup', () => {
  const workgroup = () => oneResource(json, 'aws_athena_workgroup');

  /** What the workgroup must enforce; returns the failures (empty when healthy). */
  function workgroupProblems(w: Record<string, any>, c: BaselineConfig = config): string[] {
    const problems: string[] = [];
    const conf = w.configuration ?? {};
    // Athena User Guide, "Override client-side settings": without enforcement the client's own result
    // location, encryption and (absent) limit win.
    if (conf.enforce_workgroup_configuration !== true) problems.push('enforce_workgroup_configuration is not true');
    // API WorkGroupConfiguration.BytesScannedCutoffPerQuery, bytes:
    // https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html
    if (conf.bytes_scanned_cutoff_per_query !== c.investigations.bytesScannedCutoffPerQueryMb * 1_000_000) problems.push('no scan limit');
    const result = conf.result_configuration ?? {};
    // API EncryptionConfiguration.EncryptionOption SSE_KMS with KmsKey; ResultConfiguration.ExpectedBucketOwner.
    if (result.encryption_configuration?.encryption_option !== 'SSE_KMS' || !result.encryption_configuration?.kms_key_arn) problems.push('results not SSE_KMS');
    if (result.expected_bucket_owner !== c.organization.auditAccountId) problems.push('no expected bucket owner');
    if (result.output_location !== `s3://${investigationResultsBucketName(c)}/${investigationsWorkgroupName(c)}/`) problems.push('results elsewhere');
    if (conf.engine_version?.selected_engine_version !== 'Athena engine version 3') problems.push('not engine version 3');
    return problems;
  }

  test('enforces its encrypted result location, the scan limit and engine version 3, and publishes metrics', () => {
    const w = workgroup();
    expect(w.name).toBe(investigationsWorkgroupName(config));
    expect(w.state).toBe('ENABLED');
    expect(workgroupProblems(w)).toEqual([]);
    expect(w.configuration.bytes_scanned_cutoff_per_query).toBe(2_000_000_000_000);
    expect(w.configuration.publish_cloudwatch_metrics_enabled).toBe(true);
    expect(w.configuration.result_configuration.encryption_configuration.kms_key_arn).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    expect(ATHENA_ENGINE_VERSION).toBe('Athena engine version 3');
  });

  test('breaking it: no enforcement, no limit, SSE_S3 results, another owner: each FAILs', () => {
    const w = workgroup();
    const broken = (edit: (c: Record<string, any>) => void) => {
      const copy = JSON.parse(JSON.stringify(w));
      edit(copy.configuration);
      return workgroupProblems(copy);
    };
    expect(broken((c) => (c.enforce_workgroup_configuration = false))).toEqual(['enforce_workgroup_configuration is not true']);
    expect(broken((c) => delete c.bytes_scanned_cutoff_per_query)).toEqual(['no scan limit']);
    expect(broken((c) => (c.result_configuration.encryption_configuration = { encryption_option: 'SSE_S3' }))).toEqual(['results not SSE_KMS']);
    expect(broken((c) => (c.result_configuration.expected_bucket_owner = '999999999999'))).toEqual(['no expected bucket owner']);
  });

  test("the scan limit comes from investigations.bytesScannedCutoffPerQueryMb, at least Athena's 10 MB", () => {
    const c = configWith((raw) => (raw.investigations = { bytesScannedCutoffPerQueryMb: 500 }));
    expect(oneResource(auditStack(c), 'aws_athena_workgroup').configuration.bytes_scanned_cutoff_per_query).toBe(500_000_000);
    expect(configProblems((raw) => (raw.investigations = { bytesScannedCutoffPerQueryMb: 9 }))).toEqual([
      'investigations.bytesScannedCutoffPerQueryMb: must be at least 10 (Athena refuses a per-query limit under 10 MB)',
    ]);
  });

  test('one named query per investigation, its SQL with positional parameters, in the workgroup and database', () => {
    const queries = resourcesOf(json, 'aws_athena_named_query').map(([, q]) => q);
    expect(queries).toHaveLength(INVESTIGATIONS.length);
    const context = investigationContext(config);
    for (const investigation of INVESTIGATIONS) {
      const q = queries.find((x) => x.name === `${org.namePrefix}-${investigation.name}`);
      expect(q).toBeDefined();
      expect(literal(q!.query)).toBe(bindParameters(investigation.sql(context)).queryString);
      expect(q!.workgroup).toMatch(/aws_athena_workgroup\./);
      expect(q!.database).toMatch(/aws_glue_catalog_database\./);
    }
    expect(oneResource(json, 'aws_glue_catalog_database').name).toBe(investigationsDatabaseName(config));
  });
});

describe('the results bucket', () => {
  test('KMS-encrypted with the results key, versioned, private, owner-enforced, TLS-only, results expiring', () => {
    const bucket = oneResource(json, 'aws_s3_bucket', (b) => b.bucket === investigationResultsBucketName(config));
    expect(bucket.force_destroy).toBe(false);
    const enc = oneResource(json, 'aws_s3_bucket_server_side_encryption_configuration', (r) => r.bucket.includes('results-bucket'));
    expect(enc.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(enc.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\..*results-key/);
    expect(oneResource(json, 'aws_s3_bucket_versioning', (r) => r.bucket.includes('results-bucket')).versioning_configuration.status).toBe('Enabled');
    const pab = oneResource(json, 'aws_s3_bucket_public_access_block', (r) => r.bucket.includes('results-bucket'));
    expect([pab.block_public_acls, pab.block_public_policy, pab.ignore_public_acls, pab.restrict_public_buckets]).toEqual([true, true, true, true]);
    expect(oneResource(json, 'aws_s3_bucket_ownership_controls', (r) => r.bucket.includes('results-bucket')).rule.object_ownership).toBe('BucketOwnerEnforced');
    const rule = oneResource(json, 'aws_s3_bucket_lifecycle_configuration', (r) => r.bucket.includes('results-bucket')).rule[0];
    expect(rule.status).toBe('Enabled');
    expect(rule.expiration[0].days).toBe(config.investigations.resultRetentionDays);
    expect(config.investigations.resultRetentionDays).toBe(30);
    const c = configWith((raw) => (raw.investigations = { resultRetentionDays: 7 }));
    expect(oneResource(auditStack(c), 'aws_s3_bucket_lifecycle_configuration', (r) => r.bucket.includes('results-bucket')).rule[0].expiration[0].days).toBe(7);
  });

  test('its policy refuses requests without TLS (evaluated)', async () => {
    const policy = oneResource(json, 'aws_s3_bucket_policy', (r) => r.bucket.includes('results-bucket')).policy;
    const arn = `arn:aws:s3:::${investigationResultsBucketName(config)}/${investigationsWorkgroupName(config)}/q.csv`;
    const reader: SimPrincipal = { kind: 'role', arn: config.logArchive.readerRoleArns[0] };
    // aws:SecureTransport (IAM User Guide, "AWS global condition context keys").
    const get = (secure: boolean) =>
      simulate(
        { principal: reader, action: 's3:GetObject', resource: arn, context: { 'aws:SecureTransport': secure, 's3:TlsVersion': 1.3 } },
        { resourcePolicy: policy }
      );
    expect(await get(true)).toBe('Allowed');
    expect(await get(false)).toBe('ExplicitlyDenied');
  });
});

describe('who may investigate', () => {
  const policyOf = (j: Synth) => oneResource(j, 'aws_iam_policy', (p) => p.name === `${org.namePrefix}-run-investigations`).policy;
  const attachedRoles = (j: Synth) => resourcesOf(j, 'aws_iam_role_policy_attachment').map(([, a]) => a.role);
  const reader: SimPrincipal = { kind: 'role', arn: config.logArchive.readerRoleArns[0] };
  const RESULTS_KEY = `arn:aws:kms:${HOME}:${AUDIT}:key/0000aaaa-00aa-00aa-00aa-000000aaaaaa`;
  const identity = [policyOf(json)];
  const run = (action: string, resource: string, context: Record<string, string | boolean | readonly string[]> = {}, resourceAccount = AUDIT) =>
    simulate({ principal: reader, action, resource, resourceAccount, context }, { identity });
  const glue = `arn:aws:glue:${HOME}:${AUDIT}`;
  const db = investigationsDatabaseName(config);
  const results = `arn:aws:s3:::${investigationResultsBucketName(config)}`;
  const wg = investigationsWorkgroupName(config);

  test('attached only to the reader roles in the audit account, by role name', () => {
    const c = configWith((raw) =>
      raw.logArchive.readerRoleArns.push(`arn:aws:iam::${AUDIT}:role/siem/SiemReader`, `arn:aws:iam::${LOG_ARCHIVE}:role/ArchiveReader`)
    );
    expect(attachedRoles(auditStack(c)).sort()).toEqual(['SecurityLogReader', 'SiemReader']);
    expect(configWarnings(c)).toContain(
      `logArchive.readerRoleArns: arn:aws:iam::${LOG_ARCHIVE}:role/ArchiveReader is outside the audit account ${AUDIT}: it may read the log archive, but not run investigations (the Athena workgroup and its policy are in the audit account; only readers there get the policy)`
    );
    expect(configWarnings(config).filter((w) => w.includes('not run investigations'))).toEqual([]);
  });

  test('queries in the investigations workgroup only', async () => {
    // Service Authorization Reference, Amazon Athena: workgroup resource arn:aws:athena:<region>:<account>:workgroup/<name>.
    for (const action of [
      'athena:StartQueryExecution',
      'athena:GetQueryResults',
      'athena:GetQueryExecution',
      'athena:StopQueryExecution',
      'athena:GetNamedQuery',
    ]) {
      expect(await run(action, `arn:aws:athena:${HOME}:${AUDIT}:workgroup/${wg}`)).toBe('Allowed');
      expect(await run(action, `arn:aws:athena:${HOME}:${AUDIT}:workgroup/primary`)).toBe('ImplicitlyDenied');
    }
    expect(await run('athena:UpdateWorkGroup', `arn:aws:athena:${HOME}:${AUDIT}:workgroup/${wg}`)).toBe('ImplicitlyDenied');
  });

  test('the investigations tables read-only: no other database, no writes to the catalog', async () => {
    // Athena User Guide, "Access to AWS Glue Data Catalog": catalog, database and table ARNs.
    expect(await run('glue:GetTable', `${glue}:table/${db}/${INVESTIGATION_TABLES.organizationTrail}`)).toBe('Allowed');
    expect(await run('glue:GetDatabase', `${glue}:database/${db}`)).toBe('Allowed');
    expect(await run('glue:GetTable', `${glue}:table/otherdb/${INVESTIGATION_TABLES.organizationTrail}`)).toBe('ImplicitlyDenied');
    expect(await run('glue:UpdateTable', `${glue}:table/${db}/${INVESTIGATION_TABLES.organizationTrail}`)).toBe('ImplicitlyDenied');
    expect(await run('glue:DeleteTable', `${glue}:table/${db}/${INVESTIGATION_TABLES.organizationTrail}`)).toBe('ImplicitlyDenied');
  });

  test("results under the workgroup's prefix, with the results key", async () => {
    // A KMS key's policy always takes part; the results key's delegates to the account's IAM. The
    // policy names the key by its alias (kms:ResourceAliases), which the stack gives it.
    const resultsKeyPolicy = oneResource(json, 'aws_kms_key', (k) => k.description.includes('investigations workgroup')).policy;
    expect(oneResource(json, 'aws_kms_alias', (a) => a.target_key_id.includes('results-key')).name).toBe(resultsKeyAlias(config));
    const useKey = (action: string, resource: string, alias = resultsKeyAlias(config)) =>
      simulate(
        { principal: reader, action, resource, resourceAccount: AUDIT, context: { 'kms:ResourceAliases': [alias] } },
        { identity, resourcePolicy: resultsKeyPolicy }
      );
    expect(await useKey('kms:GenerateDataKey', RESULTS_KEY)).toBe('Allowed');
    expect(await useKey('kms:Decrypt', RESULTS_KEY)).toBe('Allowed');
    expect(await useKey('kms:Decrypt', RESULTS_KEY, `alias/${org.namePrefix}/findings-alerts`)).toBe('ImplicitlyDenied');
    // Explicitly denied by the guardrails' key-tampering statement, and not granted anyway.
    expect(await useKey('kms:ScheduleKeyDeletion', RESULTS_KEY)).toBe('ExplicitlyDenied');
    expect(await run('s3:PutObject', `${results}/${wg}/abc.csv`)).toBe('Allowed');
    expect(await run('s3:GetObject', `${results}/${wg}/abc.csv`)).toBe('Allowed');
    expect(await run('s3:GetObject', `${results}/elsewhere/abc.csv`)).toBe('ImplicitlyDenied');
    expect(await run('s3:DeleteObject', `${results}/${wg}/abc.csv`)).toBe('ImplicitlyDenied');
  });

  test('the log archive: the objects the tables cover, decrypted only through S3 with the log keys (identity, bucket and key policies)', async () => {
    // Cross-account, a request needs the reader's own policy and the bucket's (or key's) policy to
    // allow it (IAM User Guide, "Cross-account policy evaluation logic").
    const mgmt = synthStack(config, 'management');
    const trailBucket = logBucketName(config, 'cloudtrail');
    const trail = `arn:aws:s3:::${trailBucket}`;
    const bucketPolicy = oneResource(mgmt, 'aws_s3_bucket_policy', (p) =>
      JSON.parse(p.policy).Statement.some((s: any) => s.Sid === 'CloudTrailWriteOrganizationTrail')
    ).policy;
    const keyPolicy = oneResource(mgmt, 'aws_kms_key', (k) =>
      JSON.parse(k.policy).Statement.some((s: any) => s.Sid === 'CloudTrailEncryptForOrganizationTrail')
    ).policy;
    const tls = { 'aws:SecureTransport': true, 's3:TlsVersion': 1.3 };
    const s3 = (action: string, resource: string, id = identity, prefix?: string) =>
      simulate(
        { principal: reader, action, resource, resourceAccount: LOG_ARCHIVE, context: { ...tls, ...(prefix !== undefined ? { 's3:prefix': prefix } : {}) } },
        { resourcePolicy: bucketPolicy, identity: id }
      );
    // s3:prefix, ListBucket's "key name prefix" (Service Authorization Reference, Amazon S3:
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html): the
    // partition folders Athena lists; anything else, or no prefix at all, is not listed.
    for (const prefix of [
      `AWSLogs/${org.id}/444444444444/CloudTrail/us-east-1/2026/01/02/`,
      'account-trails/AWSLogs/444444444444/CloudTrail/us-east-1/2026/01/02/',
    ]) {
      expect(await s3('s3:ListBucket', trail, identity, prefix)).toBe('Allowed');
      expect(await s3('s3:ListBucket', trail, [], prefix)).toBe('ImplicitlyDenied');
    }
    for (const prefix of [undefined, '', 'AWSLogs/', 'AWSLogs/o-otherorg99/', 'config/']) {
      expect(await s3('s3:ListBucket', trail, identity, prefix)).toBe('ImplicitlyDenied');
    }
    for (const [action, resource] of [
      ['s3:GetBucketLocation', trail],
      ['s3:GetObject', `${trail}/AWSLogs/${org.id}/444444444444/CloudTrail/us-east-1/2026/01/02/x.json.gz`],
      ['s3:GetObject', `${trail}/account-trails/AWSLogs/444444444444/CloudTrail/us-east-1/2026/01/02/x.json.gz`],
    ]) {
      expect(await s3(action, resource)).toBe('Allowed');
      // Without the investigations policy the reader's own account grants nothing.
      expect(await s3(action, resource, [])).toBe('ImplicitlyDenied');
    }
    expect(await s3('s3:PutObject', `${trail}/AWSLogs/${org.id}/x`)).toBe('ImplicitlyDenied');
    expect(await s3('s3:GetObject', `arn:aws:s3:::${logBucketName(config, 'config')}/AWSLogs/x`)).toBe('ImplicitlyDenied');

    // KMS Developer Guide, "kms:ResourceAliases" and "kms:ViaService".
    const key = `arn:aws:kms:${HOME}:${LOG_ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const decrypt = (context: Record<string, string | readonly string[]>) =>
      simulate({ principal: reader, action: 'kms:Decrypt', resource: key, resourceAccount: LOG_ARCHIVE, context }, { resourcePolicy: keyPolicy, identity });
    const via = { 'kms:ViaService': `s3.${HOME}.amazonaws.com` };
    expect(await decrypt({ ...via, 'kms:ResourceAliases': [`alias/${org.namePrefix}/cloudtrail`] })).toBe('Allowed');
    expect(await decrypt({ ...via, 'kms:ResourceAliases': [`alias/${org.namePrefix}/config`] })).toBe('ImplicitlyDenied');
    expect(await decrypt({ 'kms:ResourceAliases': [`alias/${org.namePrefix}/cloudtrail`] })).toBe('ImplicitlyDenied');
  });

  test('logArchive.readerRoleArns without an audit-account role is a config error while investigations are on', () => {
    const message = `logArchive.readerRoleArns: lists no role in the audit account ${AUDIT}: investigations (investigations.enabled) run there with a log reader's permissions, so nobody could run one. Add a reader role of the audit account, or set investigations.enabled: false with a controlExceptions entry for investigations.athena`;
    expect(configProblems((raw) => (raw.logArchive.readerRoleArns = [`arn:aws:iam::${LOG_ARCHIVE}:role/ArchiveReader`]))).toEqual([message]);
    expect(configProblems((raw) => (raw.logArchive.readerRoleArns = []))).toEqual([message]);
    // Off, with its exception: valid, and nothing is built.
    const off = configWith((raw) => {
      raw.logArchive.readerRoleArns = [];
      raw.investigations = { enabled: false };
      raw.controlExceptions = [{ control: 'investigations.athena', reason: 'Investigations run in the SIEM, which reads the archive.' }];
    });
    for (const type of INVESTIGATION_TYPES) expect(resourcesOf(auditStack(off), type)).toEqual([]);
    expect(resourcesOf(synthStack(off, 'management'), 'aws_cloudwatch_query_definition')).toEqual([]);
  });

  test('switching investigations off needs a control exception', () => {
    expect(configProblems((raw) => (raw.investigations = { enabled: false }))).toEqual([
      'controlExceptions: investigations.enabled: false switches off the control investigations.athena: add { control: investigations.athena, reason: ... } to controlExceptions (the control matrix reports it as an exception, with the reason auditors ask for)',
    ]);
  });

  test("Control Tower's organization trail is refused, naming the way out", () => {
    expect(configProblems((raw) => (raw.controlTower = { enabled: true, organizationTrail: 'control-tower' }))).toEqual([
      "investigations.enabled: needs the baseline's organization trail: with controlTower.organizationTrail: control-tower the organization trail delivers into Control Tower's own bucket, which the investigation tables do not cover. Set investigations.enabled: false with a controlExceptions entry for investigations.athena",
    ]);
  });
});

describe('where it is built', () => {
  test('only in the audit account stack, home Region; the Logs Insights queries only in management', () => {
    for (const name of allStackNames(config)) {
      const j = synthStack(config, name);
      const found = INVESTIGATION_TYPES.flatMap((type) => resourcesOf(j, type).map(([, r]) => ({ type, r })));
      if (name === memberStackName(AUDIT)) {
        expect(found.map((f) => f.type).sort()).toEqual(
          [
            'aws_athena_workgroup',
            'aws_glue_catalog_database',
            ...Array(3).fill('aws_glue_catalog_table'),
            ...Array(INVESTIGATIONS.length).fill('aws_athena_named_query'),
          ].sort()
        );
      } else if (name === 'management') {
        expect(found.map((f) => f.type)).toEqual(Array(INVESTIGATIONS.length).fill('aws_cloudwatch_query_definition'));
      } else {
        expect(found).toEqual([]);
      }
      for (const { r } of found) expect(r.region).toBe(HOME);
    }
  });

  test("the Logs Insights saved queries: one per investigation, over the organization trail's log group", () => {
    const defs = resourcesOf(synthStack(config, 'management'), 'aws_cloudwatch_query_definition').map(([, d]) => d);
    expect(defs).toHaveLength(INVESTIGATIONS.length);
    const context = investigationContext(config);
    for (const investigation of INVESTIGATIONS) {
      const d = defs.find((x) => x.name === `${org.namePrefix}/investigations/${investigation.name}`)!;
      expect(d.log_group_names).toEqual([`/${org.namePrefix}/cloudtrail/organization`]);
      expect(literal(d.query_string.replace(/%%\{/g, '%{'))).toBe(investigation.logsInsights(context));
    }
  });
});

describe('an investigation the config cannot run', () => {
  test('every investigation is built for the example org', () => {
    expect(investigationsFor(config).unavailable).toEqual([]);
    expect(investigationsFor(config).available.map((b) => b.investigation.name)).toEqual(INVESTIGATIONS.map((i) => i.name));
  });

  test('guardrails off (no break-glass role): the investigations whose declaration refuses are left out, with its reason', () => {
    const off = configWith((raw) => {
      raw.guardrails = { enabled: false };
      raw.controlExceptions = [{ control: 'guardrails.service-control-policies', reason: 'Guardrails are enforced by the parent organization.' }];
    });
    const { available, unavailable } = investigationsFor(off);
    expect(available.length + unavailable.length).toBe(INVESTIGATIONS.length);
    for (const u of unavailable) expect(u.reason).not.toBe('');
    expect(resourcesOf(auditStack(off), 'aws_athena_named_query')).toHaveLength(available.length);
    expect(resourcesOf(synthStack(off, 'management'), 'aws_cloudwatch_query_definition')).toHaveLength(available.length);
  });
});

describe('projectedPartitions', () => {
  const now = new Date('2026-12-31T12:00:00Z');
  const accountsTimesRegions = config.members.length * AWS_REGIONS.length;
  test('accounts x Regions x the days read: from the day of from to the day after the window (late deliveries)', () => {
    const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
    // 2026-11-01 to 2026-12-01: the 30 days of November, and 1 December for late deliveries.
    expect(projectedPartitions(config, window, now)).toBe(accountsTimesRegions * 31);
  });
  test('only the days the projection range holds: not before retention, not after now', () => {
    const window = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2027-06-01T00:00:00Z') };
    expect(projectedPartitions(config, window, now)).toBe(accountsTimesRegions * (config.retention.logArchiveDays + 1));
  });
});
