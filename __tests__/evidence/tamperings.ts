/**
 * The tamper suite's cases: each is one API call an account admin could make to blind the auditors
 * or break a control, the item(s) the binder must then FAIL (and only those), what their reason must
 * say, and how to put it back. tamper.test.ts applies them one at a time to a healthy org in moto;
 * docs/evidence.md shows them as a table (kept in sync by the test).
 *
 * APIs moto serves are called on moto; the others (GuardDuty, Macie, Access Analyzer, Security Hub
 * standards) change the state the SDK mocks answer from (org-fixture.ts, MockState), in the response
 * shapes of AWS's API reference pages cited there.
 */
import { CloudTrailClient, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DeleteMetricFilterCommand, PutMetricFilterCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, DeleteConfigRuleCommand, PutConfigRuleCommand, PutConfigurationRecorderCommand, PutDeliveryChannelCommand } from '@aws-sdk/client-config-service';
import { DisableRuleCommand, EnableRuleCommand, EventBridgeClient, PutPermissionCommand, PutRuleCommand, PutTargetsCommand, RemovePermissionCommand, RemoveTargetsCommand, ListTargetsByRuleCommand, DescribeRuleCommand, DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { CancelKeyDeletionCommand, DisableKeyRotationCommand, EnableKeyCommand, EnableKeyRotationCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { AttachPolicyCommand, DescribePolicyCommand, DetachPolicyCommand, ListPoliciesForTargetCommand, OrganizationsClient, UpdatePolicyCommand } from '@aws-sdk/client-organizations';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, PurgeQueueCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  accountTrailArn,
  accountTrailLogGroupName,
  accountTrailName,
  alarmEventBusName,
  centralAlertTopicArn,
  kmsAliasName,
  logBucketName,
  orgTrailArn,
  orgTrailLogGroupName,
  orgTrailName,
  s3BucketArn,
} from '../../config/naming';
import { centralRuleName, deadLetterQueueName, forwardingRuleName } from '../../evidence/checks/alerting';
import { expectedRcps } from '../../evidence/checks/guardrails';
import { CIS_METRIC_FILTERS, GUARDRAIL_ROLE_CHANGE_ALARM_ID } from '../../modules/cis-monitoring/cis-metric-filters';
import type { HealthyOrg } from './healthy-org';
import { controlFinding, HOME, keyArn, OTHER, unmocked } from './org-fixture';
import { networkActivityApiSelectors } from './network-activity-fixture';

export interface Tampering {
  /** What the admin does, in words (the docs table's first column). */
  readonly what: string;
  /** The one API call, `service:Action`. */
  readonly call: string;
  /** The controls it breaks. */
  readonly controls: readonly string[];
  /** The ids of the items that must FAIL, and no other item. */
  readonly fails: (org: HealthyOrg) => readonly string[];
  /** What each failed item's reason must say (the resource and what changed). */
  readonly reason: RegExp;
  /** Makes the change; returns what undoes it. */
  readonly apply: (org: HealthyOrg) => Promise<() => Promise<unknown>>;
}

const PREFIX = 'acme-soc2';
const bucket = (org: HealthyOrg, kind: Parameters<typeof logBucketName>[1]) => logBucketName(org.config, kind);
const la = (org: HealthyOrg) => org.ids.logArchive;
const bucketItem = (control: string, kind: Parameters<typeof logBucketName>[1]) => (org: HealthyOrg) => [`${control}/${la(org)}/${HOME}/${bucket(org, kind)}`];
const s3 = (org: HealthyOrg) => org.accounts.client(S3Client, la(org));

/** Replaces a bucket setting through `put`, restoring what `get` read before. */
function bucketSetting<T>(kind: Parameters<typeof logBucketName>[1], get: (Bucket: string) => object, put: (Bucket: string, before: T | undefined) => object, restore: (Bucket: string, before: T) => object) {
  return async (org: HealthyOrg) => {
    const client = await s3(org);
    const Bucket = bucket(org, kind);
    const before = (await unmocked(client, get(Bucket))) as T;
    await unmocked(client, put(Bucket, before));
    return () => unmocked(client, restore(Bucket, before));
  };
}

/** A lifecycle tampering: the rules after the change, the original put back after. */
function lifecycle(kind: Parameters<typeof logBucketName>[1], rules: (before: any[]) => any[]) {
  return bucketSetting<{ Rules: any[] }>(
    kind,
    (Bucket) => new GetBucketLifecycleConfigurationCommand({ Bucket }),
    (Bucket, before) => new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: rules(before?.Rules ?? []) } }),
    (Bucket, before) => new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: before.Rules } }),
  );
}

/** A bucket-policy tampering: the statements rewritten, the original put back after. */
function policy(kind: Parameters<typeof logBucketName>[1], rewrite: (statements: any[], arn: string) => any[]) {
  return bucketSetting<{ Policy: string }>(
    kind,
    (Bucket) => new GetBucketPolicyCommand({ Bucket }),
    (Bucket, before) => new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: rewrite(JSON.parse(before!.Policy).Statement, s3BucketArn(Bucket)) }) }),
    (Bucket, before) => new PutBucketPolicyCommand({ Bucket, Policy: before.Policy }),
  );
}

const cisItem = (account: (org: HealthyOrg) => string, namePrefix: string, filter: string) => (org: HealthyOrg) => [`cis.${filter}/${account(org)}/${HOME}/${PREFIX}-${namePrefix}-${filter}`];
const workload = (org: HealthyOrg) => org.ids.workload;
const management = (org: HealthyOrg) => org.ids.management;
const audit = (org: HealthyOrg) => org.ids.audit;
const tomorrow = () => new Date(Date.now() + 86_400_000);

/** An alarm rewritten by PutMetricAlarm (which replaces the whole alarm), the original put back after. */
function alarm(name: string, change: (a: any) => object) {
  return async (org: HealthyOrg) => {
    const cw = await org.accounts.client(CloudWatchClient, org.ids.workload);
    const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0] as any;
    const props = (x: any) => ({
      AlarmName: x.AlarmName,
      EvaluationPeriods: x.EvaluationPeriods,
      Threshold: x.Threshold,
      ComparisonOperator: x.ComparisonOperator,
      ActionsEnabled: x.ActionsEnabled,
      AlarmActions: x.AlarmActions,
      Namespace: x.Namespace,
      MetricName: x.MetricName,
      Statistic: x.Statistic,
      Period: x.Period,
      TreatMissingData: x.TreatMissingData,
    });
    await cw.send(new PutMetricAlarmCommand({ ...props(a), ...change(a) }));
    return () => cw.send(new PutMetricAlarmCommand(props(a)));
  };
}

/** A routing rule's item: the central route's, or an account's forwarding rule's. */
const forwardingItem = (account: (org: HealthyOrg) => string) => (org: HealthyOrg) => [`alerting.central-routing/${account(org)}/${HOME}/${forwardingRuleName(org.config, account(org))}`];
const centralItem = (org: HealthyOrg) => [`alerting.central-routing/${audit(org)}/${HOME}/central`];

async function centralSubscription(org: HealthyOrg, protocol: string) {
  const sns = await org.accounts.client(SNSClient, audit(org));
  const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: centralAlertTopicArn(org.config) }))).Subscriptions ?? [];
  return { sns, sub: subs.find((s) => s.Protocol === protocol)! };
}

export const TAMPERINGS: readonly Tampering[] = [
  // ---- The log archive ----------------------------------------------------------------------
  {
    what: 'Suspend versioning on the Config log bucket',
    call: 's3:PutBucketVersioning',
    controls: ['log-archive.versioning'],
    fails: bucketItem('log-archive.versioning', 'config'),
    reason: /versioning Status is Suspended/,
    apply: async (org) => {
      const client = await s3(org);
      const Bucket = bucket(org, 'config');
      await unmocked(client, new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
      return () => unmocked(client, new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    },
  },
  {
    what: 'Shorten the Config bucket lifecycle expiry to 1 day',
    call: 's3:PutBucketLifecycleConfiguration',
    controls: ['log-archive.retention'],
    fails: bucketItem('log-archive.retention', 'config'),
    reason: /rule log-retention expires every object after 1 days, before 365/,
    apply: lifecycle('config', (rules) => rules.map((r) => ({ ...r, Expiration: { Days: 1 } }))),
  },
  {
    what: 'Expire every flow log on a date (tomorrow), the day count left as it was',
    call: 's3:PutBucketLifecycleConfiguration',
    controls: ['log-archive.retention'],
    fails: bucketItem('log-archive.retention', 'flowlogs'),
    reason: /rule purge expires every object on the date \d{4}-\d{2}-\d{2}, whatever their age/,
    apply: lifecycle('flowlogs', (rules) => [...rules, { ID: 'purge', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Date: new Date(tomorrow().toISOString().slice(0, 10) + 'T00:00:00Z') } }]),
  },
  {
    what: 'Add a filtered rule expiring CloudTrail logs (prefix AWSLogs/) after 1 day',
    call: 's3:PutBucketLifecycleConfiguration',
    controls: ['log-archive.retention'],
    fails: bucketItem('log-archive.retention', 'cloudtrail'),
    reason: /rule tidy expires the objects with prefix AWSLogs\/ after 1 days, before 365/,
    apply: lifecycle('cloudtrail', (rules) => [...rules, { ID: 'tidy', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 1 } }]),
  },
  {
    what: 'Drop overwritten access-log versions after 1 day',
    call: 's3:PutBucketLifecycleConfiguration',
    controls: ['log-archive.retention'],
    fails: bucketItem('log-archive.retention', 's3-server-logs'),
    reason: /rule log-retention deletes overwritten versions of every object after 1 days, before 30/,
    apply: lifecycle('s3-server-logs', (rules) => rules.map((r) => ({ ...r, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }))),
  },
  {
    what: 'Rewrite the Config bucket deletion deny with a condition that never holds (a tag nobody has)',
    call: 's3:PutBucketPolicy',
    controls: ['log-archive.object-lock'],
    fails: bucketItem('log-archive.object-lock', 'config'),
    reason: /log objects can be deleted: s3:DeleteObject on arn:aws:s3:::acme-soc2-config-\S+ by arn:aws:iam::\d+:role\/account-admin/,
    apply: policy('config', (statements) =>
      statements.map((s) => (s.Sid === 'DenyLogDeletion' ? { ...s, Condition: { ...s.Condition, StringEquals: { 'aws:PrincipalTag/never-set': 'x' } } } : s)),
    ),
  },
  {
    what: 'Exempt one role name ("cleanup") from the access-log bucket deletion deny',
    call: 's3:PutBucketPolicy',
    controls: ['log-archive.object-lock'],
    fails: bucketItem('log-archive.object-lock', 's3-server-logs'),
    reason: /log objects can be deleted: .* by arn:aws:iam::\d+:role\/cleanup/,
    apply: policy('s3-server-logs', (statements) =>
      statements.map((s) => (s.Sid === 'DenyLogDeletion' ? { ...s, Condition: { ...s.Condition, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/cleanup' } } } : s)),
    ),
  },
  {
    // Without Object Lock an overwritten access log becomes a noncurrent version the lifecycle expires
    // after 30 days (modules/log-archive/log-archive-bucket.ts denyLogOverwriteStatement).
    what: 'Drop the access-log bucket overwrite deny (s3:PutObject by any admin)',
    call: 's3:PutBucketPolicy',
    controls: ['log-archive.object-lock'],
    fails: bucketItem('log-archive.object-lock', 's3-server-logs'),
    reason: /log objects can be overwritten: s3:PutObject on arn:aws:s3:::acme-soc2-s3-server-logs-\S+ by arn:aws:iam::\d+:/,
    apply: policy('s3-server-logs', (statements) => statements.filter((s) => s.Sid !== 'DenyLogOverwrite')),
  },
  {
    what: 'Narrow the TLS-only deny of the Config bucket to the bucket, leaving its objects',
    call: 's3:PutBucketPolicy',
    controls: ['log-archive.tls-only'],
    fails: bucketItem('log-archive.tls-only', 'config'),
    reason: /requests without TLS are not always denied: s3:GetObject on arn:aws:s3:::acme-soc2-config-\S+ by .* \(aws:securetransport=false\)/,
    apply: policy('config', (statements, arn) => statements.map((s) => (s.Sid === 'DenyInsecureTransport' ? { ...s, Resource: arn } : s))),
  },
  {
    what: 'Switch the flow-log bucket to another KMS key of the log-archive account',
    call: 's3:PutBucketEncryption',
    controls: ['log-archive.encryption'],
    fails: bucketItem('log-archive.encryption', 'flowlogs'),
    reason: /KMSMasterKeyID is arn:aws:kms:us-east-1:\d+:key\/\S+, not the log-archive key alias\/acme-soc2\/flowlogs/,
    apply: bucketSetting<any>(
      'flowlogs',
      (Bucket) => new GetBucketEncryptionCommand({ Bucket }),
      (Bucket, _before) => new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArnOf('other') }, BucketKeyEnabled: true }] } }),
      (Bucket, before) => new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: before.ServerSideEncryptionConfiguration }),
    ),
  },
  {
    what: 'Switch the GuardDuty export bucket to SSE-S3',
    call: 's3:PutBucketEncryption',
    controls: ['log-archive.encryption'],
    fails: bucketItem('log-archive.encryption', 'guardduty'),
    reason: /default encryption is AES256, not aws:kms; KMSMasterKeyID names no KMS key/,
    apply: bucketSetting<any>(
      'guardduty',
      (Bucket) => new GetBucketEncryptionCommand({ Bucket }),
      (Bucket) => new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }),
      (Bucket, before) => new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: before.ServerSideEncryptionConfiguration }),
    ),
  },
  {
    what: 'Turn off BlockPublicPolicy on the CloudTrail bucket',
    call: 's3:PutPublicAccessBlock',
    controls: ['log-archive.public-access-block'],
    fails: bucketItem('log-archive.public-access-block', 'cloudtrail'),
    reason: /not true: BlockPublicPolicy/,
    apply: bucketSetting<any>(
      'cloudtrail',
      (Bucket) => new GetPublicAccessBlockCommand({ Bucket }),
      (Bucket, before) => new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { ...before.PublicAccessBlockConfiguration, BlockPublicPolicy: false } }),
      (Bucket, before) => new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: before.PublicAccessBlockConfiguration }),
    ),
  },
  {
    what: 'Turn off server access logging of the Config bucket',
    call: 's3:PutBucketLogging',
    controls: ['log-archive.access-logging'],
    fails: bucketItem('log-archive.access-logging', 'config'),
    reason: /server access logs go to \(nowhere: logging is off\)/,
    apply: bucketSetting<any>(
      'config',
      (Bucket) => new GetBucketLoggingCommand({ Bucket }),
      (Bucket) => new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: {} }),
      (Bucket, before) => new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: before.LoggingEnabled } }),
    ),
  },
  {
    what: 'Shorten the GuardDuty export bucket Object Lock default retention to 1 day',
    call: 's3:PutObjectLockConfiguration',
    controls: ['log-archive.object-lock'],
    fails: bucketItem('log-archive.object-lock', 'guardduty'),
    reason: /default retention is 1 days, not 365 days/,
    apply: bucketSetting<any>(
      'guardduty',
      (Bucket) => new GetObjectLockConfigurationCommand({ Bucket }),
      (Bucket, before) => new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ...before.ObjectLockConfiguration, Rule: { DefaultRetention: { ...before.ObjectLockConfiguration.Rule.DefaultRetention, Days: 1 } } } }),
      (Bucket, before) => new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: before.ObjectLockConfiguration }),
    ),
  },
  {
    what: 'Turn off automatic rotation of the CloudTrail log key',
    call: 'kms:DisableKeyRotation',
    controls: ['kms.key-rotation'],
    fails: (org) => [`kms.key-rotation/${la(org)}/${HOME}/${kmsAliasName(org.config, 'cloudtrail')}`],
    reason: /KeyRotationEnabled is false/,
    apply: async (org) => {
      const kms = await org.accounts.client(KMSClient, la(org));
      const KeyId = keyArn(org.config, 'cloudtrail');
      await kms.send(new DisableKeyRotationCommand({ KeyId }));
      return () => kms.send(new EnableKeyRotationCommand({ KeyId }));
    },
  },
  {
    what: 'Schedule the flow-log key for deletion',
    call: 'kms:ScheduleKeyDeletion',
    controls: ['kms.key-rotation'],
    fails: (org) => [`kms.key-rotation/${la(org)}/${HOME}/${kmsAliasName(org.config, 'flowlogs')}`],
    reason: /KeyState is PendingDeletion, not Enabled/,
    apply: async (org) => {
      const kms = await org.accounts.client(KMSClient, la(org));
      // moto takes the key id here, not the ARN.
      const KeyId = keyArn(org.config, 'flowlogs').split('/').at(-1)!;
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 30 }));
      return async () => {
        await kms.send(new CancelKeyDeletionCommand({ KeyId }));
        await kms.send(new EnableKeyCommand({ KeyId }));
      };
    },
  },
  // ---- CloudTrail ---------------------------------------------------------------------------
  {
    what: 'Stop logging on the organization trail',
    call: 'cloudtrail:StopLogging',
    controls: ['cloudtrail.organization-trail'],
    fails: (org) => [`cloudtrail.organization-trail/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /IsLogging is false: the trail is stopped/,
    apply: async (org) => {
      const ct = await org.accounts.client(CloudTrailClient, management(org));
      await unmocked(ct, new StopLoggingCommand({ Name: orgTrailName(org.config) }));
      return () => unmocked(ct, new StartLoggingCommand({ Name: orgTrailName(org.config) }));
    },
  },
  {
    what: "Drop the organization trail's data-event selector",
    call: 'cloudtrail:PutEventSelectors',
    controls: ['cloudtrail.data-events'],
    fails: (org) => [`cloudtrail.data-events/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /no data-event selector for S3 objects under arn:aws:s3:::acme-customer-data-\d+\//,
    apply: async (org) => {
      const ct = await org.accounts.client(CloudTrailClient, management(org));
      const TrailName = orgTrailName(org.config);
      const management_ = { Name: 'Management events selector', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };
      // The network activity selectors stay: only the data-event selector goes.
      await unmocked(ct, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: [management_, ...networkActivityApiSelectors(org.config)] as never }));
      return () =>
        unmocked(
          ct,
          new PutEventSelectorsCommand({
            TrailName,
            AdvancedEventSelectors: [
              management_,
              {
                Name: 'S3 object-level events on the listed buckets',
                FieldSelectors: [
                  { Field: 'eventCategory', Equals: ['Data'] },
                  { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                  { Field: 'resources.ARN', StartsWith: org.config.trail.dataEvents.s3.map((a) => `${a}/`) },
                ],
              },
              ...networkActivityApiSelectors(org.config),
            ] as never,
          }),
        );
    },
  },
  {
    what: 'Encrypt the organization trail with another key of the log-archive account',
    call: 'cloudtrail:UpdateTrail',
    controls: ['cloudtrail.kms-encryption'],
    fails: (org) => [`cloudtrail.kms-encryption/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /KmsKeyId is arn:aws:kms:us-east-1:\d+:key\/\S+, not the log-archive key alias\/acme-soc2\/cloudtrail/,
    apply: async (org) => {
      const ct = await org.accounts.client(CloudTrailClient, management(org));
      const Name = orgTrailName(org.config);
      await unmocked(ct, new UpdateTrailCommand({ Name, KmsKeyId: keyArnOf('other') }));
      return () => unmocked(ct, new UpdateTrailCommand({ Name, KmsKeyId: keyArn(org.config, 'cloudtrail') }));
    },
  },
  {
    what: "Stop logging on a member account's own trail",
    call: 'cloudtrail:StopLogging',
    controls: ['cloudtrail.account-trails'],
    fails: (org) => [`cloudtrail.account-trails/${workload(org)}/${HOME}/${accountTrailArn(org.config, workload(org))}`],
    reason: /IsLogging is false: the trail is stopped/,
    apply: async (org) => {
      const ct = await org.accounts.client(CloudTrailClient, workload(org));
      await unmocked(ct, new StopLoggingCommand({ Name: accountTrailName(org.config) }));
      return () => unmocked(ct, new StartLoggingCommand({ Name: accountTrailName(org.config) }));
    },
  },
  // ---- CIS metric filters and alarms --------------------------------------------------------
  {
    what: 'Delete the root-usage metric filter of the organization trail',
    call: 'logs:DeleteMetricFilter',
    controls: ['cis.root-account-usage'],
    fails: cisItem(management, 'org', 'root-account-usage'),
    reason: /no metric filter acme-soc2-org-root-account-usage on \/acme-soc2\/cloudtrail\/organization/,
    apply: async (org) => {
      const logs = await org.accounts.client(CloudWatchLogsClient, management(org));
      const f = CIS_METRIC_FILTERS.find((x) => x.id === 'root-account-usage')!;
      const logGroupName = orgTrailLogGroupName(org.config);
      await logs.send(new DeleteMetricFilterCommand({ logGroupName, filterName: `${PREFIX}-org-${f.id}` }));
      return () =>
        logs.send(new PutMetricFilterCommand({ logGroupName, filterName: `${PREFIX}-org-${f.id}`, filterPattern: f.pattern, metricTransformations: [{ metricName: f.metricName, metricNamespace: org.config.monitoring.metricNamespace, metricValue: '1' }] }));
    },
  },
  {
    what: "Change the pattern of a member's console-authentication-failures filter so it matches nothing",
    call: 'logs:PutMetricFilter',
    controls: ['cis.console-authentication-failures'],
    fails: cisItem(workload, 'account', 'console-authentication-failures'),
    reason: /filter acme-soc2-account-console-authentication-failures pattern differs from the CIS\/Security Hub pattern/,
    apply: async (org) => {
      const logs = await org.accounts.client(CloudWatchLogsClient, workload(org));
      const f = CIS_METRIC_FILTERS.find((x) => x.id === 'console-authentication-failures')!;
      const logGroupName = accountTrailLogGroupName(org.config);
      const put = (filterPattern: string) =>
        logs.send(new PutMetricFilterCommand({ logGroupName, filterName: `${PREFIX}-account-${f.id}`, filterPattern, metricTransformations: [{ metricName: f.metricName, metricNamespace: org.config.monitoring.metricNamespace, metricValue: '1' }] }));
      await put('{ $.eventName = "NeverHappens" }');
      return () => put(f.pattern);
    },
  },
  {
    what: "Disable the actions of a member's IAM-policy-changes alarm (ActionsEnabled false)",
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['cis.iam-policy-changes', 'period.alarm-response'],
    fails: (org) => [...cisItem(workload, 'account', 'iam-policy-changes')(org), `period.alarm-response/${workload(org)}/${HOME}/alarms`],
    reason: /alarm acme-soc2-account-iam-policy-changes has its actions disabled/,
    // moto 5.1 answers DisableAlarmActions with a server error; PutMetricAlarm with ActionsEnabled false is the same change.
    apply: alarm(`${PREFIX}-account-iam-policy-changes`, () => ({ ActionsEnabled: false })),
  },
  {
    what: "Point a member's CloudTrail-changes alarm at another topic",
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['cis.cloudtrail-changes'],
    fails: cisItem(workload, 'account', 'cloudtrail-changes'),
    reason: /alarm acme-soc2-account-cloudtrail-changes does not act on the alert topic arn:aws:sns:us-east-1:\d+:acme-soc2-security-alerts/,
    apply: alarm(`${PREFIX}-account-cloudtrail-changes`, (a) => ({ AlarmActions: [`arn:aws:sns:${HOME}:${a.AlarmArn.split(':')[4]}:somewhere-else`] })),
  },
  {
    what: "Shorten the organization trail log group's retention to 1 day",
    call: 'logs:PutRetentionPolicy',
    controls: ['cloudwatch-logs.retention'],
    fails: (org) => [`cloudwatch-logs.retention/${management(org)}/${HOME}/${orgTrailLogGroupName(org.config)}`],
    reason: /retentionInDays is 1, not 365/,
    apply: async (org) => {
      const logs = await org.accounts.client(CloudWatchLogsClient, management(org));
      const logGroupName = orgTrailLogGroupName(org.config);
      await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: 1 }));
      return () => logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: org.config.retention.cloudWatchLogsDays }));
    },
  },
  // ---- AWS Config ---------------------------------------------------------------------------
  {
    what: 'Narrow a recorder to some resource types (allSupported false)',
    call: 'config:PutConfigurationRecorder',
    controls: ['config.recorder'],
    fails: (org) => [`config.recorder/${audit(org)}/${OTHER}/${PREFIX}-recorder`],
    reason: /recordingGroup\.allSupported is false/,
    apply: async (org) => {
      const cfg = await org.accounts.client(ConfigServiceClient, audit(org), OTHER);
      const recorder = (allSupported: boolean) => ({
        name: `${PREFIX}-recorder`,
        roleARN: `arn:aws:iam::${audit(org)}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        recordingGroup: allSupported ? { allSupported: true, includeGlobalResourceTypes: false } : { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: ['AWS::S3::Bucket' as const] },
      });
      await unmocked(cfg, new PutConfigurationRecorderCommand({ ConfigurationRecorder: recorder(false) }));
      return () => unmocked(cfg, new PutConfigurationRecorderCommand({ ConfigurationRecorder: recorder(true) }));
    },
  },
  {
    what: "Point a member's delivery channel at a bucket of its own",
    call: 'config:PutDeliveryChannel',
    controls: ['config.delivery-channel'],
    fails: (org) => [`config.delivery-channel/${workload(org)}/${HOME}/${PREFIX}-recorder`],
    reason: /delivers to local-config-bucket, not acme-soc2-config-\d+/,
    apply: async (org) => {
      const cfg = await org.accounts.client(ConfigServiceClient, workload(org));
      const channel = (s3BucketName: string) => ({ name: `${PREFIX}-recorder`, s3BucketName, configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' as const } });
      await unmocked(cfg, new PutDeliveryChannelCommand({ DeliveryChannel: channel('local-config-bucket') }));
      return () => unmocked(cfg, new PutDeliveryChannelCommand({ DeliveryChannel: channel(bucket(org, 'config')) }));
    },
  },
  {
    what: "Delete a member's cloudtrail-enabled Config rule",
    call: 'config:DeleteConfigRule',
    controls: ['config-rule.cloudtrail-enabled'],
    fails: (org) => [`config-rule.cloudtrail-enabled/${workload(org)}/${HOME}/cloudtrail-enabled`],
    reason: /rule cloudtrail-enabled is not deployed/,
    apply: async (org) => {
      const cfg = await org.accounts.client(ConfigServiceClient, workload(org));
      await unmocked(cfg, new DeleteConfigRuleCommand({ ConfigRuleName: 'cloudtrail-enabled' }));
      return () => unmocked(cfg, new PutConfigRuleCommand({ ConfigRule: { ConfigRuleName: 'cloudtrail-enabled', Source: { Owner: 'AWS', SourceIdentifier: 'CLOUD_TRAIL_ENABLED' } } }));
    },
  },
  // ---- The alert route ----------------------------------------------------------------------
  {
    what: "Disable a member's alarm-forwarding rule",
    call: 'events:DisableRule',
    controls: ['alerting.central-routing'],
    fails: forwardingItem(workload),
    reason: /rule acme-soc2-account-alarms-to-central-bus in \d+ us-east-1 is DISABLED/,
    apply: async (org) => {
      const events = await org.accounts.client(EventBridgeClient, workload(org));
      const Name = forwardingRuleName(org.config, workload(org));
      await events.send(new DisableRuleCommand({ Name }));
      return () => events.send(new EnableRuleCommand({ Name }));
    },
  },
  {
    what: "Rewrite the organization's forwarding rule pattern to match nothing",
    call: 'events:PutRule',
    controls: ['alerting.central-routing'],
    fails: forwardingItem(management),
    reason: /rule acme-soc2-org-alarms-to-central-bus in \d+ us-east-1 no longer matches 19 of the 19 events it must route: the baseline alarm acme-soc2-org-unauthorized-api-calls entering ALARM/,
    apply: async (org) => {
      const events = await org.accounts.client(EventBridgeClient, management(org));
      const Name = forwardingRuleName(org.config, management(org));
      const before = await events.send(new DescribeRuleCommand({ Name }));
      await events.send(new PutRuleCommand({ Name, EventPattern: JSON.stringify({ source: ['aws.cloudwatch'], detail: { alarmName: [{ prefix: 'nothing-' }] } }), State: 'ENABLED' }));
      return () => events.send(new PutRuleCommand({ Name, EventPattern: before.EventPattern, State: 'ENABLED' }));
    },
  },
  {
    what: "Narrow a member's forwarding rule to the root-usage alarm only",
    call: 'events:PutRule',
    controls: ['alerting.central-routing'],
    fails: forwardingItem(workload),
    reason: /rule acme-soc2-account-alarms-to-central-bus in \d+ us-east-1 no longer matches 16 of the 17 events it must route/,
    apply: async (org) => {
      const events = await org.accounts.client(EventBridgeClient, workload(org));
      const Name = forwardingRuleName(org.config, workload(org));
      const before = await events.send(new DescribeRuleCommand({ Name }));
      const narrowed = { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { alarmName: [`${PREFIX}-account-root-account-usage`], state: { value: ['ALARM'] } } };
      await events.send(new PutRuleCommand({ Name, EventPattern: JSON.stringify(narrowed), State: 'ENABLED' }));
      return () => events.send(new PutRuleCommand({ Name, EventPattern: before.EventPattern, State: 'ENABLED' }));
    },
  },
  {
    what: 'Cap the home GuardDuty rule below severity 9, dropping Critical findings',
    call: 'events:PutRule',
    controls: ['guardduty.findings-alerting'],
    fails: (org) => [`guardduty.findings-alerting/${audit(org)}/${HOME}/${PREFIX}-guardduty-high-severity`],
    reason: /no longer matches 3 of the 6 events it must route: a GuardDuty finding of severity 9, a GuardDuty finding of severity 9\.5, a GuardDuty finding of severity 10/,
    apply: async (org) => {
      const events = await org.accounts.client(EventBridgeClient, audit(org));
      const Name = `${PREFIX}-guardduty-high-severity`;
      const before = await events.send(new DescribeRuleCommand({ Name }));
      const capped = { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 7, '<', 9] }] } };
      await events.send(new PutRuleCommand({ Name, EventPattern: JSON.stringify(capped), State: 'ENABLED' }));
      return () => events.send(new PutRuleCommand({ Name, EventPattern: before.EventPattern, State: 'ENABLED' }));
    },
  },
  {
    what: "Deny EventBridge in a member's dead-letter queue policy (undelivered alarms are then dropped, the queue stays empty)",
    call: 'sqs:SetQueueAttributes',
    controls: ['alerting.central-routing'],
    fails: forwardingItem(workload),
    reason: /the policy of dead-letter queue acme-soc2-account-alarms-to-central-bus-undelivered in \d+ us-east-1 does not let EventBridge send the undelivered events/,
    apply: async (org) => {
      const sqs = await org.accounts.client(SQSClient, workload(org));
      const QueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: deadLetterQueueName(forwardingRuleName(org.config, workload(org))) }))).QueueUrl!;
      const before = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes!.Policy!;
      const deny = JSON.parse(before);
      deny.Statement.push({ Sid: 'NoEventBridge', Effect: 'Deny', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: deny.Statement[0].Resource });
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(deny) } }));
      return () => sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: before } }));
    },
  },
  {
    what: "Remove the central rule's target (the central alert topic)",
    call: 'events:RemoveTargets',
    controls: ['alerting.central-routing'],
    fails: centralItem,
    reason: /rule acme-soc2-alarms-to-central-topic on acme-soc2-security-alarms in \d+ us-east-1 does not target arn:aws:sns:us-east-1:\d+:acme-soc2-security-findings/,
    apply: async (org) => {
      const events = await org.accounts.client(EventBridgeClient, audit(org));
      const Rule = centralRuleName(org.config);
      const EventBusName = alarmEventBusName(org.config);
      const targets = (await events.send(new ListTargetsByRuleCommand({ Rule, EventBusName }))).Targets!;
      await events.send(new RemoveTargetsCommand({ Rule, EventBusName, Ids: targets.map((t) => t.Id!) }));
      return () => events.send(new PutTargetsCommand({ Rule, EventBusName, Targets: targets }));
    },
  },
  {
    what: "Remove the central bus policy's grant to the organization's forwarding roles",
    call: 'events:RemovePermission',
    controls: ['alerting.central-routing'],
    fails: centralItem,
    reason: /the policy of acme-soc2-security-alarms does not let the forwarding role of \d+ account\(s\) put events/,
    apply: async (org) => {
      const events = await org.accounts.client(EventBridgeClient, audit(org));
      const EventBusName = alarmEventBusName(org.config);
      const before = (await events.send(new DescribeEventBusCommand({ Name: EventBusName }))).Policy!;
      await events.send(new RemovePermissionCommand({ EventBusName, StatementId: 'ForwardingRolesOfTheOrganization' }));
      return () => events.send(new PutPermissionCommand({ EventBusName, Policy: before }));
    },
  },
  {
    what: 'Unsubscribe the on-call e-mail from the central alert topic',
    call: 'sns:Unsubscribe',
    controls: ['alerting.central-routing'],
    fails: centralItem,
    reason: /email security-oncall@example\.com is not subscribed to arn:aws:sns:us-east-1:\d+:acme-soc2-security-findings/,
    apply: async (org) => {
      const { sns, sub } = await centralSubscription(org, 'email');
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
      return () => sns.send(new SubscribeCommand({ TopicArn: sub.TopicArn, Protocol: sub.Protocol, Endpoint: sub.Endpoint }));
    },
  },
  {
    what: "Give the pager's subscription a filter policy that drops every alert",
    call: 'sns:SetSubscriptionAttributes',
    controls: ['alerting.central-routing'],
    fails: centralItem,
    reason: /https https:\/\/events\.example-pager\.com\/integration\/soc2-baseline has a filter policy/,
    apply: async (org) => {
      const { sns, sub } = await centralSubscription(org, 'https');
      await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ never: ['matches'] }) }));
      return async () => {
        await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
        await sns.send(new SubscribeCommand({ TopicArn: sub.TopicArn, Protocol: sub.Protocol, Endpoint: sub.Endpoint }));
      };
    },
  },
  {
    what: "Replace the central topic's policy with one that does not let EventBridge publish",
    call: 'sns:SetTopicAttributes',
    controls: ['alerting.central-routing', 'guardduty.findings-alerting'],
    // The findings rules publish to that topic too: they fail with it.
    fails: (org) => [...centralItem(org), ...['guardduty-high-severity', 'securityhub-high-critical'].map((r) => `guardduty.findings-alerting/${audit(org)}/${HOME}/${PREFIX}-${r}`)],
    reason: /the policy of arn:aws:sns:us-east-1:\d+:acme-soc2-security-findings does not let the rule acme-soc2-[a-z-]+ publish/,
    apply: async (org) => {
      const sns = await org.accounts.client(SNSClient, audit(org));
      const TopicArn = centralAlertTopicArn(org.config);
      const before = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.Policy!;
      const owner = { Version: '2012-10-17', Statement: [{ Sid: 'OwnerOnly', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${audit(org)}:root` }, Action: 'sns:Publish', Resource: TopicArn }] };
      await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(owner) }));
      return () => sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: before }));
    },
  },
  {
    what: "Undelivered alarms pile up in a member's dead-letter queue (the bus refused them)",
    call: 'sqs:SendMessage (what EventBridge does on a failed delivery)',
    controls: ['alerting.central-routing'],
    fails: forwardingItem(workload),
    reason: /dead-letter queue acme-soc2-account-alarms-to-central-bus-undelivered in \d+ us-east-1 holds 1 undelivered event\(s\)/,
    apply: async (org) => {
      const sqs = await org.accounts.client(SQSClient, workload(org));
      const QueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: deadLetterQueueName(forwardingRuleName(org.config, workload(org))) }))).QueueUrl!;
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ 'detail-type': 'CloudWatch Alarm State Change' }) }));
      return () => sqs.send(new PurgeQueueCommand({ QueueUrl }));
    },
  },
  {
    what: 'Disable the GuardDuty high-severity rule in a Region other than home',
    call: 'events:DisableRule',
    controls: ['guardduty.findings-alerting'],
    fails: (org) => [`guardduty.findings-alerting/${audit(org)}/${OTHER}/${PREFIX}-guardduty-high-severity`],
    reason: /rule acme-soc2-guardduty-high-severity in \d+ eu-west-1 is DISABLED/,
    apply: async (org) => {
      const events = await org.accounts.client(EventBridgeClient, audit(org), OTHER);
      const Name = `${PREFIX}-guardduty-high-severity`;
      await events.send(new DisableRuleCommand({ Name }));
      return () => events.send(new EnableRuleCommand({ Name }));
    },
  },
  {
    what: "Disable a member's heartbeat rule (its alarms still look routed)",
    call: 'events:DisableRule',
    controls: ['alerting.central-routing'],
    fails: forwardingItem(workload),
    reason: /rule acme-soc2-account-heartbeat in \d+ us-east-1 is DISABLED/,
    apply: async (org) => {
      const events = await org.accounts.client(EventBridgeClient, workload(org));
      const Name = `${PREFIX}-account-heartbeat`;
      await events.send(new DisableRuleCommand({ Name }));
      return () => events.send(new EnableRuleCommand({ Name }));
    },
  },
  {
    what: 'Delete the audit account\'s heartbeat-missing alarm',
    call: 'cloudwatch:DeleteAlarms',
    controls: ['alerting.route-watchdogs', 'period.alarm-response'],
    fails: (org) => [`alerting.route-watchdogs/${audit(org)}/${HOME}/central-route-watchdogs`, `period.alarm-response/${audit(org)}/${HOME}/alarms`],
    reason: /no alarm acme-soc2-route-heartbeat-missing/,
    apply: async (org) => {
      const cw = await org.accounts.client(CloudWatchClient, audit(org));
      const name = `${PREFIX}-route-heartbeat-missing`;
      const before = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0];
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
      return () =>
        cw.send(new PutMetricAlarmCommand({ AlarmName: name, AlarmActions: before.AlarmActions, ActionsEnabled: true, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Namespace: before.Namespace, MetricName: before.MetricName, Statistic: 'Sum', Period: 300 }));
    },
  },
  {
    what: "A member's alarm route fails: its route-failed alarm is in ALARM",
    call: 'cloudwatch:SetAlarmState (what CloudWatch does when the rule fails)',
    controls: ['alerting.route-watchdogs'],
    fails: (org) => [`alerting.route-watchdogs/${workload(org)}/${HOME}/route-watchdogs`],
    reason: /alarm acme-soc2-account-alarm-route-failed is in ALARM since \S+: the central bus refused/,
    apply: async (org) => {
      const cw = await org.accounts.client(CloudWatchClient, workload(org));
      const AlarmName = `${PREFIX}-account-alarm-route-failed`;
      await cw.send(new SetAlarmStateCommand({ AlarmName, StateValue: 'ALARM', StateReason: 'the central bus refused 3 events' }));
      return () => cw.send(new SetAlarmStateCommand({ AlarmName, StateValue: 'OK', StateReason: 'restored' }));
    },
  },
  // ---- The delegated services ---------------------------------------------------------------
  {
    what: "Suspend the audit account's GuardDuty detector in the home Region",
    call: 'guardduty:UpdateDetector',
    // Extended Threat Detection runs on the same detector: it fails with it (issue 23).
    controls: ['guardduty.organization', 'guardduty.extended-threat-detection'],
    fails: (org) => [`guardduty.organization/${audit(org)}/${HOME}/detector`, `guardduty.extended-threat-detection/${audit(org)}/${HOME}/detector`],
    reason: /detector 12abc34d567e8fa901bc2d34e56789f0 Status is DISABLED/,
    apply: async (org) => {
      org.mocks.state.guardDutyDetectorStatus[HOME] = 'DISABLED';
      return async () => delete org.mocks.state.guardDutyDetectorStatus[HOME];
    },
  },
  {
    what: "Turn off S3 Protection on the audit account's GuardDuty detector in eu-west-1",
    call: 'guardduty:UpdateDetector',
    controls: ['guardduty.organization'],
    fails: (org) => [`guardduty.organization/${audit(org)}/${OTHER}/detector`],
    reason: /feature S3_DATA_EVENTS is DISABLED on detector \w+, not ENABLED \(securityServices\.guardDuty\.protection\.s3DataEvents\)/,
    apply: async (org) => {
      org.mocks.state.guardDutyDetector[OTHER] = { disabledFeatures: ['S3_DATA_EVENTS'] };
      return async () => delete org.mocks.state.guardDutyDetector[OTHER];
    },
  },
  {
    what: 'Slow GuardDuty finding updates to every six hours in the home Region',
    call: 'guardduty:UpdateDetector',
    controls: ['guardduty.organization'],
    fails: (org) => [`guardduty.organization/${audit(org)}/${HOME}/detector`],
    reason: /FindingPublishingFrequency is SIX_HOURS, not FIFTEEN_MINUTES/,
    apply: async (org) => {
      org.mocks.state.guardDutyDetector[HOME] = { frequency: 'SIX_HOURS' };
      return async () => delete org.mocks.state.guardDutyDetector[HOME];
    },
  },
  {
    what: 'Disassociate a member from GuardDuty in one Region',
    call: 'guardduty:DisassociateMembers',
    controls: ['guardduty.organization'],
    fails: (org) => [`guardduty.organization/${audit(org)}/${OTHER}/detector`],
    reason: /1 account\(s\) not enabled GuardDuty members: \d+/,
    apply: async (org) => {
      const key = `${OTHER}/${management(org)}`;
      org.mocks.state.guardDutyMemberStatus[key] = 'Removed';
      return async () => delete org.mocks.state.guardDutyMemberStatus[key];
    },
  },
  {
    what: 'Disassociate a member from Macie',
    call: 'macie2:DisassociateMember',
    controls: ['macie.organization'],
    fails: (org) => [`macie.organization/${audit(org)}/${HOME}/session`],
    reason: /1 account\(s\) not enabled Macie members: \d+/,
    apply: async (org) => {
      const key = `${HOME}/${workload(org)}`;
      org.mocks.state.macieMemberStatus[key] = 'Removed';
      return async () => delete org.mocks.state.macieMemberStatus[key];
    },
  },
  {
    what: "Drop the CIS standard from Security Hub's configuration policy in eu-west-1",
    call: 'securityhub:UpdateConfigurationPolicy',
    controls: ['securityhub.cis-standard'],
    fails: (org) => [org.ids.management, org.ids.logArchive, org.ids.audit].map((id) => `securityhub.cis-standard/${id}/${OTHER}/standards`),
    reason: /cis-aws-foundations-benchmark\/v\/3\.0\.0 not enabled/,
    apply: async (org) => {
      org.mocks.state.disabledStandards[OTHER] = ['cis-aws-foundations-benchmark/v/3.0.0'];
      return async () => delete org.mocks.state.disabledStandards[OTHER];
    },
  },
  {
    what: 'A log bucket of a member loses its TLS-only policy: Security Hub S3.5 fails',
    call: 's3:PutBucketPolicy (Security Hub then imports the FAILED result)',
    controls: ['securityhub.fsbp-standard'],
    fails: (org) => [`securityhub.fsbp-standard/${audit(org)}/${HOME}/control-results/aws-foundational-security-best-practices/v/1.0.0`],
    reason: /1 control\(s\) with 1 failed check\(s\) across the organization: S3\.5/,
    apply: async (org) => {
      const sh = await org.accounts.client(SecurityHubClient, audit(org));
      const finding = (status: 'PASSED' | 'FAILED') =>
        controlFinding({ accountId: workload(org), control: 'S3.5', standard: 'aws-foundational-security-best-practices/v/1.0.0', status, resource: `arn:aws:s3:::member-bucket-${workload(org)}`, resourceType: 'AwsS3Bucket', at: org.clock });
      await unmocked(sh, new BatchImportFindingsCommand({ Findings: [finding('FAILED')] as never }));
      return () => unmocked(sh, new BatchImportFindingsCommand({ Findings: [finding('PASSED')] as never }));
    },
  },
  {
    what: 'Create an Access Analyzer archive rule that archives every public finding',
    call: 'access-analyzer:CreateArchiveRule',
    controls: ['access-analyzer.organization'],
    fails: (org) => [`access-analyzer.organization/${audit(org)}/${HOME}/archiving`],
    reason: /archive rule hide-all archives every finding matching \{"isPublic":\{"eq":\["true"\]\}\} without review/,
    apply: async (org) => {
      org.mocks.state.archiveRules.push({ ruleName: 'hide-all', filter: { isPublic: { eq: ['true'] } }, region: HOME });
      return async () => org.mocks.state.archiveRules.splice(0);
    },
  },
  {
    what: 'Archive an active public finding by hand, recording no review',
    call: 'access-analyzer:UpdateFindings',
    controls: ['access-analyzer.organization'],
    fails: (org) => [`access-analyzer.organization/${audit(org)}/${OTHER}/archiving`],
    reason: /1 finding\(s\) archived in the last 90 days with no review recorded in securityServices\.accessAnalyzer\.reviewedFindings: finding-public-bucket \(AWS::S3::Bucket arn:aws:s3:::shared-data, public\)/,
    apply: async (org) => {
      org.mocks.state.accessAnalyzerFindings.push({ id: 'finding-public-bucket', resourceType: 'AWS::S3::Bucket', resource: 'arn:aws:s3:::shared-data', isPublic: true, status: 'ARCHIVED', updatedAt: org.clock, region: OTHER });
      return async () => org.mocks.state.accessAnalyzerFindings.splice(0);
    },
  },
  {
    what: "Turn off a member's account-level S3 Block Public Access",
    call: 's3control:PutPublicAccessBlock',
    controls: ['s3.account-public-access-block'],
    fails: (org) => [`s3.account-public-access-block/${workload(org)}/global/account-public-access-block`],
    reason: /not true: BlockPublicAcls, BlockPublicPolicy/,
    apply: async (org) => {
      const s3control = await org.accounts.client(S3ControlClient, workload(org));
      const put = (on: boolean) =>
        s3control.send(new PutAccountPublicAccessBlockCommand({ AccountId: workload(org), PublicAccessBlockConfiguration: { BlockPublicAcls: on, IgnorePublicAcls: true, BlockPublicPolicy: on, RestrictPublicBuckets: true } }));
      await put(false);
      return () => put(true);
    },
  },
  {
    what: 'Detach a guardrail SCP from the root',
    call: 'organizations:DetachPolicy',
    controls: ['guardrails.service-control-policies'],
    fails: (org) => [`guardrails.service-control-policies/${management(org)}/global/${org.ids.rootId}`],
    reason: /acme-soc2-baseline-guardrails-1 is not attached to r-/,
    apply: async (org) => {
      const orgs = await org.accounts.client(OrganizationsClient, management(org));
      const policies = (await unmocked(orgs, new ListPoliciesForTargetCommand({ TargetId: org.ids.rootId, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies as { Name: string; Id: string }[];
      const PolicyId = policies.find((p) => p.Name === `${PREFIX}-baseline-guardrails-1`)!.Id;
      await unmocked(orgs, new DetachPolicyCommand({ PolicyId, TargetId: org.ids.rootId }));
      return () => unmocked(orgs, new AttachPolicyCommand({ PolicyId, TargetId: org.ids.rootId }));
    },
  },
  // ---- Resource control policies, centralized root access, the exempt-role alarm -------------
  {
    what: 'Detach a resource control policy from the root',
    call: 'organizations:DetachPolicy',
    controls: ['guardrails.resource-control-policies'],
    fails: (org) => [`guardrails.resource-control-policies/${management(org)}/global/${org.ids.rootId}`],
    reason: /acme-soc2-baseline-resource-perimeter-1 is not attached to r-/,
    apply: async (org) => {
      const PolicyId = await rcpId(org, `${PREFIX}-baseline-resource-perimeter-1`);
      const orgs = await org.accounts.client(OrganizationsClient, management(org));
      await unmocked(orgs, new DetachPolicyCommand({ PolicyId, TargetId: org.ids.rootId }));
      return () => unmocked(orgs, new AttachPolicyCommand({ PolicyId, TargetId: org.ids.rootId }));
    },
  },
  {
    what: 'Rewrite an RCP to drop the confused-deputy statement',
    call: 'organizations:UpdatePolicy',
    controls: ['guardrails.resource-control-policies'],
    fails: (org) => [`guardrails.resource-control-policies/${management(org)}/global/${org.ids.rootId}`],
    reason: /^acme-soc2-baseline-resource-perimeter-\d+ content differs from what the config derives \(edited outside the pipeline\?\)$/,
    apply: async (org) => {
      const orgs = await org.accounts.client(OrganizationsClient, management(org));
      // The RCP holding the log archive's confused-deputy statement (rcp-statements.ts, "EnforceConfusedDeputyProtection").
      const sid = 'DenyLogArchiveServiceForOutsideOrg';
      const [name] = [...expectedRcps(org.config)].find(([, content]) => JSON.parse(content).Statement.some((st: { Sid?: string }) => st.Sid === sid))!;
      const PolicyId = await rcpId(org, name);
      const original = (await unmocked(orgs, new DescribePolicyCommand({ PolicyId }))).Policy.Content as string;
      const doc = JSON.parse(original);
      await unmocked(orgs, new UpdatePolicyCommand({ PolicyId, Content: JSON.stringify({ ...doc, Statement: doc.Statement.filter((st: { Sid?: string }) => st.Sid !== sid) }) }));
      return () => unmocked(orgs, new UpdatePolicyCommand({ PolicyId, Content: original }));
    },
  },
  {
    what: 'Disable RootSessions',
    // moto lacks IAM's organizations features: ListOrganizationsFeatures (mocked, org-fixture.ts) then
    // answers EnabledFeatures without RootSessions, as after the call
    // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DisableOrganizationsRootSessions.html).
    call: 'iam:DisableOrganizationsRootSessions',
    controls: ['guardrails.centralized-root-access'],
    fails: (org) => [`guardrails.centralized-root-access/${management(org)}/global/${org.ids.orgId}`],
    reason: /^RootSessions is not enabled \(EnabledFeatures: RootCredentialsManagement\)$/,
    apply: async (org) => {
      const before = org.mocks.state.rootAccessFeatures;
      org.mocks.state.rootAccessFeatures = before.filter((f) => f !== 'RootSessions');
      return async () => (org.mocks.state.rootAccessFeatures = before);
    },
  },
  {
    what: 'Delete the GuardrailRoleChanged alarm',
    call: 'cloudwatch:DeleteAlarms',
    controls: ['guardrails.exempt-role-change-alarm', 'period.alarm-response'],
    fails: (org) => [`guardrails.exempt-role-change-alarm/${management(org)}/${HOME}/${PREFIX}-org-${GUARDRAIL_ROLE_CHANGE_ALARM_ID}`, `period.alarm-response/${management(org)}/${HOME}/alarms`],
    reason: /^no alarm acme-soc2-org-guardrail-role-changed(: MISSING now \(DescribeAlarms does not return it\))?$/,
    apply: async (org) => {
      const cw = await org.accounts.client(CloudWatchClient, management(org));
      const name = `${PREFIX}-org-${GUARDRAIL_ROLE_CHANGE_ALARM_ID}`;
      const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0];
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
      return () =>
        cw.send(
          new PutMetricAlarmCommand({
            AlarmName: name,
            EvaluationPeriods: a.EvaluationPeriods,
            Threshold: a.Threshold,
            ComparisonOperator: a.ComparisonOperator,
            TreatMissingData: a.TreatMissingData,
            ActionsEnabled: a.ActionsEnabled,
            AlarmActions: a.AlarmActions,
            Namespace: a.Namespace,
            MetricName: a.MetricName,
            Statistic: a.Statistic,
            Period: a.Period,
          }),
        );
    },
  },
];

/** The id of a baseline RCP attached to the root, by name. */
async function rcpId(org: HealthyOrg, name: string): Promise<string> {
  const orgs = await org.accounts.client(OrganizationsClient, management(org));
  const policies = (await unmocked(orgs, new ListPoliciesForTargetCommand({ TargetId: org.ids.rootId, Filter: 'RESOURCE_CONTROL_POLICY' }))).Policies as { Name: string; Id: string }[];
  const found = policies.find((p) => p.Name === name);
  if (!found) throw new Error(`no RCP ${name} attached to ${org.ids.rootId}`);
  return found.Id;
}

/** A key of the log-archive account other than the baseline's (created by the fixture, as an admin could). */
function keyArnOf(name: 'other'): string {
  const arn = OTHER_KEYS.get(name);
  if (!arn) throw new Error('seedOtherKey first');
  return arn;
}
const OTHER_KEYS = new Map<string, string>();

export async function seedOtherKey(org: HealthyOrg): Promise<void> {
  const kms = await org.accounts.client(KMSClient, la(org));
  const { CreateKeyCommand } = await import('@aws-sdk/client-kms');
  OTHER_KEYS.set('other', (await kms.send(new CreateKeyCommand({ Description: "An admin's own key" }))).KeyMetadata!.Arn!);
}

/** The table docs/evidence.md shows (tamper.test.ts checks it is there, as declared). */
export function tamperTable(tamperings: readonly Tampering[] = TAMPERINGS): string {
  const rows = tamperings.map((t) => `| ${t.what} | \`${t.call}\` | ${t.controls.map((c) => `\`${c}\``).join(', ')} |`);
  return ['| Tampering (one call by an account admin) | Call | Fails exactly |', '|---|---|---|', ...rows].join('\n');
}
