/**
 * Athena over the log archive, in the audit account's home Region: a results key and bucket, the
 * investigations workgroup, a Glue database with the tables of `tables.ts`, one named query per
 * investigation, and the policy that lets the audit account's log readers run them.
 *
 * Athena reads the log archive with the caller's own credentials (Athena User Guide, "Access to
 * Amazon S3", https://docs.aws.amazon.com/athena/latest/ug/s3-permissions.html, and "Configure
 * cross-account access to Amazon S3 buckets", https://docs.aws.amazon.com/athena/latest/ug/cross-account-permissions.html):
 * the reader needs the log-archive bucket and key policies' grants (modules/log-archive: `LogReadersRead`
 * and `LogReadersDecryptThroughS3`) and, being in another account, the same grants in its own IAM
 * policy, which this policy carries.
 */
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Construct } from 'constructs';
import {
  ACCOUNT_TRAIL_S3_PREFIX,
  investigationNamedQueryName,
  investigationResultsBucketName,
  investigationsReaderPolicyName,
  investigationsDatabaseName,
  investigationsWorkgroupName,
  kmsAliasName,
  logBucketName,
  PARTITION,
  s3BucketArn,
} from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { controlRecorder } from '../control-model/record';
import { exemptPrincipalArnsIn } from '../guardrails/protected-resources';
import { policyDocument, type PolicyStatement } from '../iam/policy-document';
import { LogEncryptionKey } from '../kms/log-encryption-key';
import { privateBucket } from '../s3/private-bucket';
import { tlsOnlyStatements } from '../log-archive/log-archive-bucket';
import { investigationsFor } from './context';
import { INVESTIGATIONS_ATHENA } from './controls';
import { bindParameters } from './investigation';
import { investigationTables } from './tables';

/** Athena engine version 3, the Trino-based engine the investigations' SQL is written for. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/**
 * Athena's minimum per-query data usage limit, bytes ("Manage costs with data usage controls": the
 * per-query control's minimum is 10 MB; API `WorkGroupConfiguration.BytesScannedCutoffPerQuery`,
 * minimum 10000000: https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html).
 */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

/** Terraform reads `${` and `%{` in strings as templates: Athena's `${account}` must reach AWS as written. */
export function terraformLiteral(value: string): string {
  return value.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

export function resultsKeyAlias(config: BaselineConfig): string {
  return kmsAliasName(config, 'investigation-results');
}

export interface LogInvestigationsProps {
  /** Provider of the audit account. */
  readonly provider: AwsProvider;
  readonly config: BaselineConfig;
}

export class LogInvestigations extends Construct {
  readonly resultsKey: LogEncryptionKey;
  readonly resultsBucket: S3Bucket;
  readonly workgroup: AthenaWorkgroup;
  readonly database: GlueCatalogDatabase;
  readonly tables: readonly GlueCatalogTable[];
  readonly namedQueries: readonly AthenaNamedQuery[];
  readonly readerPolicy: IamPolicy;
  /** Names of the audit-account reader roles the policy is attached to. */
  readonly readerRoleNames: readonly string[];

  constructor(scope: Construct, id: string, props: LogInvestigationsProps) {
    super(scope, id);
    const { config, provider } = props;
    const org = config.organization;
    const audit = org.auditAccountId;
    const region = config.regions.home;
    const common = { provider, region };
    const cutoff = config.investigations.bytesScannedCutoffPerQueryMb * 1_000_000;
    if (cutoff < MIN_BYTES_SCANNED_CUTOFF) {
      throw new Error(`LogInvestigations ${id}: investigations.bytesScannedCutoffPerQueryMb must be at least 10 (Athena's minimum)`);
    }
    this.readerRoleNames = investigatorRoleArns(config).map((arn) => arn.split('/').pop()!);
    if (this.readerRoleNames.length === 0) {
      throw new Error(`LogInvestigations ${id}: logArchive.readerRoleArns has no role in the audit account ${audit}: nobody could run an investigation`);
    }
    const workgroupName = investigationsWorkgroupName(config);
    const bucketName = investigationResultsBucketName(config);
    const bucketArn = s3BucketArn(bucketName);

    this.resultsKey = new LogEncryptionKey(this, 'results-key', {
      provider,
      region,
      accountId: audit,
      aliasName: resultsKeyAlias(config),
      description: 'Encrypts the query results of the investigations workgroup',
      // The readers use it through their IAM policy, which the owning account's administration
      // statement lets IAM grant.
      statements: [],
      // Results expire within days; the key may go with the stack.
      preventDestroy: false,
    });

    const results = privateBucket(this, { ...common, idPrefix: 'results-', bucketName, kmsKeyArn: this.resultsKey.key.arn });
    this.resultsBucket = results.bucket;
    const { publicAccessBlock, versioning, encryption } = results;
    const bucket = this.resultsBucket.id;
    const lifecycle = new S3BucketLifecycleConfiguration(this, 'results-lifecycle', {
      ...common,
      bucket,
      rule: [
        {
          id: 'result-retention',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: config.investigations.resultRetentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      dependsOn: [versioning],
    });
    const bucketPolicy = new S3BucketPolicy(this, 'results-policy', {
      ...common,
      bucket,
      policy: policyDocument([resultReadsStatement(config), ...resultWritesStatements(config), ...tlsOnlyStatements(bucketArn)]),
      dependsOn: [publicAccessBlock],
    });

    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      ...common,
      name: workgroupName,
      description: 'Investigations over the log archive (docs/investigations.md)',
      state: 'ENABLED',
      forceDestroy: false,
      configuration: {
        // Without it a caller's own settings win: results anywhere, unencrypted, no scan limit
        // (Athena User Guide, "Override client-side settings": https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html).
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${bucketName}/${workgroupName}/`,
          expectedBucketOwner: audit,
          encryptionConfiguration: {
            encryptionOption: 'SSE_KMS',
            kmsKeyArn: this.resultsKey.key.arn,
          },
        },
      },
      dependsOn: [encryption, bucketPolicy],
    });

    this.database = new GlueCatalogDatabase(this, 'database', {
      ...common,
      name: investigationsDatabaseName(config),
      description: 'Tables over the log archive for the investigations (docs/investigations.md)',
    });
    const specs = investigationTables(config);
    this.tables = specs.map(
      (t) =>
        new GlueCatalogTable(this, `table-${t.name}`, {
          ...common,
          databaseName: this.database.name,
          name: t.name,
          description: t.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: Object.fromEntries(Object.entries(t.parameters).map(([k, v]) => [k, terraformLiteral(v)])),
          partitionKeys: t.partitionKeys.map((k) => ({
            name: k.name,
            type: k.type,
          })),
          storageDescriptor: {
            location: t.location,
            inputFormat: t.inputFormat,
            outputFormat: t.outputFormat,
            serDeInfo: {
              serializationLibrary: t.serializationLibrary,
              parameters: { ...t.serdeParameters },
            },
            columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
          },
        })
    );

    this.namedQueries = investigationsFor(config).available.map(
      ({ investigation, sql }) =>
        new AthenaNamedQuery(this, `query-${investigation.name}`, {
          ...common,
          name: investigationNamedQueryName(config, investigation.name),
          description: investigation.title,
          database: this.database.name,
          workgroup: this.workgroup.name,
          query: terraformLiteral(bindParameters(sql).queryString),
        })
    );

    this.readerPolicy = new IamPolicy(this, 'reader-policy', {
      provider,
      name: investigationsReaderPolicyName(config),
      description: 'Run the investigations: the workgroup, the investigations tables, their results, and reading the log archive they cover',
      policy: policyDocument(
        readerStatements(
          config,
          specs.map((t) => t.name)
        )
      ),
    });
    const attachments = this.readerRoleNames.map(
      (role) =>
        new IamRolePolicyAttachment(this, `reader-${role}`, {
          provider,
          role,
          policyArn: this.readerPolicy.arn,
        })
    );

    const record = controlRecorder(this, audit, region);
    record(
      INVESTIGATIONS_ATHENA,
      this.workgroup,
      this.database,
      ...this.tables,
      ...this.namedQueries,
      this.resultsBucket,
      lifecycle,
      this.readerPolicy,
      ...attachments
    );
  }
}

/**
 * The audit-account reader roles the readers' policy is attached to, as ARNs (with their paths): the
 * investigators.
 */
export function investigatorRoleArns(config: BaselineConfig): string[] {
  return config.logArchive.readerRoleArns.filter((arn) => arn.split(':')[4] === config.organization.auditAccountId);
}

/**
 * Results are copies of log records: only the investigators read them, as the log archive's
 * `DenyReadsExceptLogReaders` keeps the logs (modules/log-archive), with the guardrails' pipeline and
 * break-glass roles exempt as in every protected resource policy (modules/guardrails/protected-resources.ts).
 * Without it any administrator of the audit account reads every result through S3. Athena reads and
 * writes results with the caller's own credentials: "the IAM principal with permission to call
 * GetQueryResults also must have permissions to the Amazon S3 GetObject action for the Athena query
 * results location", and a principal with GetObject there reads them "even if permission to the
 * GetQueryResults action is denied. To restrict user or role access, ensure that Amazon S3 permissions
 * to the Athena query location are denied" (Athena API Reference, GetQueryResults:
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html; Athena User Guide,
 * "Access to Amazon S3": https://docs.aws.amazon.com/athena/latest/ug/s3-permissions.html). So the
 * caller's `aws:PrincipalArn`, a role's ARN for its sessions (IAM User Guide, "AWS global condition
 * context keys": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn),
 * is what this statement judges.
 */
export function resultReadsStatement(config: BaselineConfig): PolicyStatement {
  const bucketArn = s3BucketArn(investigationResultsBucketName(config));
  return {
    Sid: 'DenyResultReadsExceptInvestigators',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:GetObject', 's3:GetObjectVersion'],
    Resource: `${bucketArn}/*`,
    Condition: {
      Bool: { 'aws:PrincipalIsAWSService': 'false' },
      ArnNotLike: {
        'aws:PrincipalArn': [...investigatorRoleArns(config), ...(exemptPrincipalArnsIn(config, config.organization.auditAccountId) ?? [])],
      },
    },
  };
}

/** Athena's service principal, the value of `aws:CalledVia` on the requests Athena makes for a caller. */
export const ATHENA_SERVICE_PRINCIPAL = 'athena.amazonaws.com';

/** The object writes that could replace or remove a result. */
export const RESULT_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'] as const;

/**
 * Nobody rewrites or removes a result between Athena writing it and `baseline investigate` reading it
 * with GetQueryResults. Athena writes the result file with the caller's credentials, as it reads the
 * logs ("Access to Amazon S3": https://docs.aws.amazon.com/athena/latest/ug/s3-permissions.html), and
 * such a request carries `aws:CalledVia`, "an ordered list of each service in the chain that made
 * requests on the principal's behalf", which AWS supports for Amazon Athena (`athena.amazonaws.com`)
 * and which "is not present when the principal makes the call directly" (IAM User Guide, "AWS global
 * condition context keys":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-calledvia;
 * Athena User Guide, "Use CalledVia context keys for Athena":
 * https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena-calledvia.html). Two denials, both
 * sparing the guardrails' pipeline and break-glass roles:
 * - `DenyResultWritesOutsideAthena`: a write not made through Athena. `ForAllValues:StringNotEquals`
 *   "returns true if there are no context keys in the request" (IAM User Guide, "Set operators for
 *   multivalued context keys":
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html),
 *   so a direct call, which has no aws:CalledVia, is denied.
 * - `DenyResultWritesExceptInvestigators`: a write by anyone but the investigators, through Athena
 *   included: another administrator of the audit account could otherwise point a workgroup of their
 *   own at this bucket.
 * Lifecycle expiry still removes results: "You can't use a bucket policy to prevent deletions or
 * transitions by an S3 Lifecycle rule. For example, even if your bucket policy denies all actions for
 * all principals, your S3 Lifecycle configuration still functions as normal" (Amazon S3 User Guide,
 * "Managing the lifecycle of objects": https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html).
 */
export function resultWritesStatements(config: BaselineConfig): PolicyStatement[] {
  const objects = `${s3BucketArn(investigationResultsBucketName(config))}/*`;
  const exempt = exemptPrincipalArnsIn(config, config.organization.auditAccountId) ?? [];
  const notServices = { Bool: { 'aws:PrincipalIsAWSService': 'false' } };
  return [
    {
      Sid: 'DenyResultWritesOutsideAthena',
      Effect: 'Deny',
      Principal: '*',
      Action: [...RESULT_WRITE_ACTIONS],
      Resource: objects,
      Condition: {
        ...notServices,
        'ForAllValues:StringNotEquals': { 'aws:CalledVia': ATHENA_SERVICE_PRINCIPAL },
        ...(exempt.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': [...exempt] } } : {}),
      },
    },
    {
      Sid: 'DenyResultWritesExceptInvestigators',
      Effect: 'Deny',
      Principal: '*',
      Action: [...RESULT_WRITE_ACTIONS],
      Resource: objects,
      Condition: { ...notServices, ArnNotLike: { 'aws:PrincipalArn': [...investigatorRoleArns(config), ...exempt] } },
    },
  ];
}

/**
 * What running an investigation takes, and nothing more (Athena User Guide, "Identity and access
 * management in Athena", "Access to AWS Glue Data Catalog"
 * (https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html), "Access to
 * Amazon S3", "Permissions to encrypted data" (https://docs.aws.amazon.com/athena/latest/ug/encryption.html)):
 * queries in the workgroup only; the catalog, database and its tables read-only; results read and
 * written under the workgroup's prefix with the results key; the log archive's objects the tables
 * cover, decrypted through S3 with the keys behind the log archive's aliases.
 */
export function readerStatements(config: BaselineConfig, tableNames: readonly string[]): PolicyStatement[] {
  const org = config.organization;
  const audit = org.auditAccountId;
  const region = config.regions.home;
  const workgroup = investigationsWorkgroupName(config);
  const database = investigationsDatabaseName(config);
  const results = s3BucketArn(investigationResultsBucketName(config));
  const glue = `arn:${PARTITION}:glue:${region}:${audit}`;
  const trailBucket = s3BucketArn(logBucketName(config, 'cloudtrail'));
  const flowLogs = config.flowLogs.destination === 's3';
  const flowBucket = s3BucketArn(logBucketName(config, 'flowlogs'));
  const logObjects = [
    `${trailBucket}/AWSLogs/${org.id}/*`,
    ...(config.monitoring.accountTrails ? [`${trailBucket}/${ACCOUNT_TRAIL_S3_PREFIX}/AWSLogs/*`] : []),
    ...(flowLogs ? [`${flowBucket}/AWSLogs/*`] : []),
  ];
  return [
    {
      Sid: 'RunQueriesInTheInvestigationsWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
        'athena:GetWorkGroup',
        'athena:ListNamedQueries',
        'athena:GetNamedQuery',
      ],
      Resource: `arn:${PARTITION}:athena:${region}:${audit}:workgroup/${workgroup}`,
    },
    {
      Sid: 'ReadTheInvestigationsTables',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
      Resource: [`${glue}:catalog`, `${glue}:database/${database}`, ...tableNames.map((t) => `${glue}:table/${database}/${t}`)],
    },
    {
      Sid: 'FindTheResultsBucket',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket'],
      Resource: results,
    },
    {
      Sid: 'ReadAndWriteResultsOfTheWorkgroup',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: `${results}/${workgroup}/*`,
    },
    {
      // SSE_KMS results: Athena encrypts with GenerateDataKey and reads back with Decrypt, as the
      // caller. The key is named by its alias, as the log-archive keys below.
      Sid: 'EncryptAndDecryptResults',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: `arn:${PARTITION}:kms:${region}:${audit}:key/*`,
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': resultsKeyAlias(config) } },
    },
    {
      Sid: 'LocateTheLogArchive',
      Effect: 'Allow',
      Action: 's3:GetBucketLocation',
      Resource: [trailBucket, ...(flowLogs ? [flowBucket] : [])],
    },
    {
      // Listing only under the prefixes the tables read (Athena lists each projected partition's
      // folder): s3:prefix, "Filters access by key name prefix", is a condition key of ListBucket
      // (Service Authorization Reference, Amazon S3: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html;
      // Amazon S3 User Guide, "Bucket policy examples using condition keys":
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html). A listing
      // without a prefix has no s3:prefix and is not allowed. One statement per bucket: a prefix is a
      // bucket's own.
      Sid: 'ListTheLogArchive',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: trailBucket,
      Condition: { StringLike: { 's3:prefix': [`AWSLogs/${org.id}/*`, ...(config.monitoring.accountTrails ? [`${ACCOUNT_TRAIL_S3_PREFIX}/AWSLogs/*`] : [])] } },
    },
    ...(flowLogs
      ? [
          {
            Sid: 'ListTheFlowLogArchive',
            Effect: 'Allow' as const,
            Action: 's3:ListBucket',
            Resource: flowBucket,
            Condition: { StringLike: { 's3:prefix': 'AWSLogs/*' } },
          },
        ]
      : []),
    {
      Sid: 'ReadTheLogsTheTablesCover',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: logObjects,
    },
    {
      // The log-archive keys live in another stack: named by their aliases (KMS Developer Guide, "Use
      // aliases to control access to KMS keys", kms:ResourceAliases), used only through S3.
      Sid: 'DecryptTheLogsThroughS3',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: `arn:${PARTITION}:kms:${region}:${org.logArchiveAccountId}:key/*`,
      Condition: {
        'ForAnyValue:StringEquals': {
          'kms:ResourceAliases': [kmsAliasName(config, 'cloudtrail'), ...(flowLogs ? [kmsAliasName(config, 'flowlogs')] : [])],
        },
        StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
      },
    },
  ];
}
