/**
 * The investigations controls: the log archive can be queried, by the log readers only, within a cost
 * limit, with results encrypted and kept briefly. AWS Config rule: "athena-workgroup-encrypted-at-rest"
 * (https://docs.aws.amazon.com/config/latest/developerguide/athena-workgroup-encrypted-at-rest.html).
 * No Security Hub or CIS id: neither has an Athena control the baseline could cite with certainty here
 * (docs/investigations.md, "Unverified").
 */
import { defineControl } from '../control-model/control';

export const INVESTIGATIONS_ATHENA = defineControl({
  id: 'investigations.athena',
  title: 'The log archive can be queried: Athena tables, an enforced workgroup and named investigations',
  description:
    "A Glue database in the audit account with partition-projected tables over the organization trail, the account trails and the VPC flow logs in the log archive; an Athena workgroup (engine version 3) that enforces its KMS-encrypted result location and a per-query scan limit; one named query per investigation; a policy that lets the audit account's log readers, and no one else, run them; the same questions saved as CloudWatch Logs Insights queries over the organization trail's log group.",
  tsc: ['CC7.2', 'CC7.3', 'CC4.1'],
  awsConfigRules: ['athena-workgroup-encrypted-at-rest'],
  evidence: {
    api: ['athena:GetWorkGroup', 'kms:DescribeKey', 'glue:GetTable', 'glue:GetTableVersions', 'athena:ListNamedQueries', 'athena:BatchGetNamedQuery', 'logs:DescribeQueryDefinitions', 's3:ListObjectsV2'],
    command:
      'aws athena get-work-group --work-group <prefix>-investigations && aws glue get-table --database-name <prefix>_investigations --name cloudtrail_organization && aws athena list-named-queries --work-group <prefix>-investigations (then batch-get-named-query; glue get-table-versions per table; in the audit account, home Region) && aws logs describe-query-definitions --query-definition-name-prefix <prefix>/investigations/ (management account, home Region)',
    lookFor:
      "WorkGroup State ENABLED, EnforceWorkGroupConfiguration true, ResultConfiguration.OutputLocation in the results bucket with EncryptionConfiguration SSE_KMS and the results key, ExpectedBucketOwner the audit account, BytesScannedCutoffPerQuery set and at most the configured limit, EngineVersion 3; each table's StorageDescriptor.Location and storage.location.template the log-archive path the baseline builds, projection.enabled true, projection.account.values every account of the config (members, removedMembers and destroyedMembers: removed accounts keep their logs) and projection.region.values every Region the multi-Region organization trail can deliver for (every commercial Region and additionalKnownRegions, not only the governed ones: global-service events are recorded in us-east-1 and activity in an ungoverned Region is recorded too); each table's TableType EXTERNAL_TABLE (no view text), columns, partition keys, SerDe and its parameters, input and output formats and table parameters exactly as built, and no table version made since the audit period began (a change and change back; the pipeline's applies make versions too); each named investigation in the workgroup with the baseline's SQL and database; in the management account, each Logs Insights saved query under <prefix>/investigations/ with the baseline's query string and the organization trail's log group, and no other saved query under that prefix.",
    notJudged:
      'Whether anyone actually ran an investigation is not judged here: the binder samples one (its "Investigation sample" section). Query results can hold copies of log records: the results bucket expires them after investigations.resultRetentionDays.',
  },
});
