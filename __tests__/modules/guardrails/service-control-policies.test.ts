/**
 * The guardrails' service control policies, judged by what they do (the tests' IAM simulator,
 * __tests__/iam-simulator.ts over @cloud-copilot/iam-simulate) on the example org's own resources: every protected
 * action is denied to the administrators of member accounts and of the log-archive account, root users
 * and OrganizationAccountAccessRole included, and left to the pipeline and break-glass roles; and by
 * the AWS Organizations limits ("Quotas and service limits for AWS Organizations",
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html) at 1,000 accounts.
 */
import { SECURITY_SERVICE_PRINCIPALS } from '../../../modules/guardrails/protected-resources';
import { ARCHIVE_TAMPERING_ACTIONS } from '../../../modules/guardrails/resource-policy-denials';
import { scpStatements, STACKSETS_EXECUTION_ROLE, type GuardrailStatement } from '../../../modules/guardrails/scp-statements';
import { BASELINE_SCP_BUDGET, packScps, SCP_MAX_CHARACTERS, SCPS_PER_TARGET } from '../../../modules/guardrails/service-control-policies';
import { configWith, exampleConfig, oneResource, resourcesOf, synthStack } from '../../helpers';
import { simulate } from '../../iam-simulator';
import {
  administrators,
  AUDIT,
  baselineResources,
  exempt,
  inParallel,
  resourceFor,
  LOG_ARCHIVE,
  MANAGEMENT,
  MEMBER,
  ADMINISTRATOR_ACCESS,
  parsed,
  PIPELINE_ROLE,
  roleIn,
  scpDocuments,
  underScps,
  type BaselineResource,
} from './fixtures';

const config = exampleConfig();
/**
 * The statements nobody is exempt from, the pipeline and break-glass roles included: leaving the
 * organization, and writing events into the alarm history record, which only EventBridge writes.
 */
const NOBODY_EXEMPT: readonly string[] = ['DenyLeavingTheOrganization', 'DenyWritingAlarmHistory'];
const management = synthStack(config, 'management');
const scps = scpDocuments(management);
const statements = scps.flatMap((c) => JSON.parse(c).Statement as GuardrailStatement[]);
const resources = baselineResources(config);
const byType = (type: string) => resources.filter((r) => r.type === type);
/** The attachments of the SCPs (not of the RCPs). */
const scpAttachments = (json: typeof management) => {
  const ids = new Set(resourcesOf(json, 'aws_organizations_policy').filter(([, p]) => p.type === 'SERVICE_CONTROL_POLICY').map(([id]) => `\${aws_organizations_policy.${id}.id}`));
  return resourcesOf(json, 'aws_organizations_policy_attachment').map(([, a]) => a).filter((a) => ids.has(a.policy_id));
};

describe('the policies', () => {
  test('are service control policies of the management account, attached to the organization root', () => {
    // (the RCPs are organization policies too: resource-control-policies.ts, judged in their own tests)
    const policies = resourcesOf(management, 'aws_organizations_policy').map(([, p]) => p).filter((p) => p.type === 'SERVICE_CONTROL_POLICY');
    expect(policies.map((p) => p.name)).toEqual(['acme-soc2-baseline-guardrails-1', 'acme-soc2-baseline-guardrails-2', 'acme-soc2-baseline-guardrails-3']);
    for (const p of policies) expect(p).toMatchObject({ type: 'SERVICE_CONTROL_POLICY', provider: 'aws.management' });
    const attachments = scpAttachments(management);
    expect(attachments.map((a) => a.target_id)).toEqual(['r-ex01', 'r-ex01', 'r-ex01']);
    for (const a of attachments) expect(a.provider).toBe('aws.management');
  });

  test('attach to the configured targets instead, when given', () => {
    const json = synthStack(configWith((raw) => (raw.guardrails.targets = ['ou-ex01-workload1', 'ou-ex01-security1'])), 'management');
    expect(scpAttachments(json).map((a) => a.target_id).sort()).toEqual([
      'ou-ex01-security1',
      'ou-ex01-security1',
      'ou-ex01-security1',
      'ou-ex01-workload1',
      'ou-ex01-workload1',
      'ou-ex01-workload1',
    ]);
  });

  test('the plan stops, naming the command, when SCPs are not an enabled policy type', () => {
    const data = Object.values(management.data!.aws_organizations_organization).find((d: any) =>
      JSON.stringify(d.lifecycle).includes('SERVICE_CONTROL_POLICY'),
    ) as any;
    // The stack's one read of the organization carries the check (OrganizationPrerequisites); the policies wait for it.
    const check = data.lifecycle.postcondition.find((c: any) => c.condition.includes('SERVICE_CONTROL_POLICY'));
    expect(check.error_message).toContain('aws organizations enable-policy-type --root-id r-ex01 --policy-type SERVICE_CONTROL_POLICY');
  });

  test('are Deny statements only: SCPs never grant, FullAWSAccess stays in place', () => {
    for (const s of statements) expect(s.Effect).toBe('Deny');
  });

  test('exempt the pipeline and break-glass roles by aws:PrincipalArn patterns, never by listing accounts', () => {
    for (const s of statements.filter((st) => !NOBODY_EXEMPT.includes(st.Sid))) {
      const exemptions = (s.Condition as any).ArnNotLike['aws:PrincipalArn'] as string[];
      expect(exemptions).toEqual(expect.arrayContaining(['arn:aws:iam::*:role/soc2-baseline-pipeline', 'arn:aws:iam::*:role/soc2-baseline-break-glass']));
    }
    // No account id anywhere, but the log-archive account's inside the log-archive bucket names, and
    // those inside the names of the sensitive buckets (their owners' names, listed one by one).
    const named = config.sensitiveData.buckets.map((b) => b.name);
    for (const doc of scps) expect(named.reduce((d, n) => d.replaceAll(n, ''), doc.replace(/-222222222222-us-east-1/g, ''))).not.toMatch(/\d{12}/);
  });
});

describe('limits (Organizations quotas: 5,120 characters per SCP, 5 SCPs per root, OU or account)', () => {
  const sizes = (docs: readonly string[]) => docs.map((d) => ({ characters: d.length, bytes: Buffer.byteLength(d, 'utf8') }));

  test('each document is within 5,120 characters, counted as sent: the API keeps white space, so there is none', () => {
    for (const doc of scps) {
      expect(doc.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
      expect(Buffer.byteLength(doc, 'utf8')).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
      expect(JSON.stringify(JSON.parse(doc))).toBe(doc);
    }
  });

  test('they take at most 4 of the 5 SCP slots of a target, FullAWSAccess keeping one (the example org needs 3)', () => {
    expect(SCPS_PER_TARGET).toBe(5);
    expect(BASELINE_SCP_BUDGET).toBe(4);
    expect(scps.length).toBe(3);
  });

  test('at 1,000 accounts the documents and attachments are byte for byte those of the 5-account example', () => {
    const big = configWith((raw) => {
      for (let i = raw.members.length; i < 1000; i++) {
        raw.members.push({ id: String(600000000000 + i), name: `workload-${i}`, email: `aws-${i}@example.com`, ou: 'Workloads/Prod' });
      }
    });
    expect(big.members).toHaveLength(1000);
    const json = synthStack(big, 'management');
    expect(scpDocuments(json)).toEqual(scps);
    expect(sizes(scpDocuments(json))).toEqual(sizes(scps));
    expect(scpAttachments(json)).toHaveLength(3);
  });

  test.each([false, true])('the longest names the config allows still fit the budget (Control Tower: %s)', (controlTower) => {
    const longRole = (name: string) => `${'p'.repeat(20)}/${'q'.repeat(43 - name.length)}${name}`;
    const pipeline = longRole('pipeline');
    const breakGlass = longRole('breakglass');
    const worst = configWith((raw) => {
      raw.organization.namePrefix = 'abcdefghijklmnopqrst';
      raw.deployment.roleName = pipeline;
      raw.guardrails = { pipelineRoleName: pipeline, breakGlassRoleName: breakGlass };
      raw.controlTower = { enabled: controlTower };
    });
    expect([pipeline.length, breakGlass.length]).toEqual([64, 64]);
    const docs = scpDocuments(synthStack(worst, 'management'));
    expect(docs.length).toBeLessThanOrEqual(BASELINE_SCP_BUDGET);
    for (const d of docs) expect(d.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  });

  test('packing refuses a statement over the limit, and more policies than a target holds', () => {
    const big = (i: number): GuardrailStatement => ({ Sid: `S${i}`, Effect: 'Deny', Action: 's3:*', Resource: `arn:aws:s3:::${'x'.repeat(3000)}${i}` });
    expect(() => packScps([big(1)], 1000)).toThrow(/S1 alone is \d+ characters, over the 1000 limit/);
    expect(() => packScps([big(1), big(2), big(3), big(4), big(5)])).toThrow(/5 SCPs needed, but a target holds 5 including FullAWSAccess/);
    expect(packScps([big(1), big(2), big(3), big(4)])).toHaveLength(4);
  });
});

/** A concrete request for each action of each statement, against the example org's own resources. */
interface Case {
  readonly sid: string;
  readonly action: string;
  readonly resource: BaselineResource | { arn: string; account: string; context: Record<string, any>; type: string };
}

const ACCOUNT_RESOURCE = (account: string) => ({ arn: '*', account, context: {}, type: 'account-wide' });

/** The resources each statement protects, by the service of its actions. */
function targetsFor(sid: string, action: string): Case['resource'][] {
  const pick = (type: string) => byType(type);
  switch (sid) {
    case 'ProtectConfigRecordingGroup':
      return pick('config recorder');
    case 'ProtectBaselineTrails':
      return pick('trail');
    case 'ProtectConfigRecorders':
    case 'ProtectSecurityServices':
    case 'DenyLeavingTheOrganization':
      return [ACCOUNT_RESOURCE(MEMBER), ACCOUNT_RESOURCE(LOG_ARCHIVE), ACCOUNT_RESOURCE(AUDIT)];
    case 'ProtectBaselineTaggedResources':
      // Each action on the resource types it takes (Service Authorization Reference, "AWS Config":
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html): the
      // aggregator actions on ConfigurationAggregator, the rule actions on ConfigRule, tagging on both.
      if (action.startsWith('ec2:')) return pick('flow log');
      // KMS TagResource/UntagResource: resource type key (Service Authorization Reference, "AWS Key
      // Management Service": https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
      if (action.startsWith('kms:')) return pick('key');
      // Macie: UpdateClassificationJob on ClassificationJob, tagging on it and on Member (Service
      // Authorization Reference, "Amazon Macie": https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmacie.html).
      if (action === 'macie2:UpdateClassificationJob') return pick('macie job');
      if (action.startsWith('macie2:')) return [...pick('macie job'), ...pick('macie member')];
      // GuardDuty: the Malware Protection plans (resource type malwareprotectionplan, Service Authorization
      // Reference, "Amazon GuardDuty": https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonguardduty.html).
      if (action.startsWith('guardduty:')) return pick('malware protection plan');
      if (/Aggregator$/.test(action)) return pick('config aggregator');
      if (/ConfigRule$|EvaluationResults$/.test(action)) return pick('config rule');
      return [...pick('config rule'), ...pick('config aggregator')];
    case 'ProtectBaselineAnalyzers':
      // The archive-rule actions take resource type ArchiveRule, `analyzer/<name>/archive-rule/<rule>`
      // (Service Authorization Reference, "IAM Access Analyzer":
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamaccessanalyzer.html).
      return /ArchiveRule$/.test(action) && action !== 'access-analyzer:ApplyArchiveRule'
        ? pick('analyzer').map((a) => ({ ...a, arn: `${a.arn}/archive-rule/suppress-everything` }))
        : pick('analyzer');
    case 'ProtectBaselineLogGroups':
      return pick('log group');
    case 'DenyWritingAlarmHistory':
      // The alarm history record alone (config/naming.ts alarmHistoryLogGroupName); resourceFor names a stream of it.
      return pick('log group').filter((g) => g.arn.endsWith(`:log-group:/${config.organization.namePrefix}/alarm-history`));
    case 'ProtectBaselineAlarms':
      return pick('alarm');
    case 'ProtectAlertTopics':
      return pick('topic');
    case 'ProtectAlertQueues':
      return pick('queue');
    case 'ProtectAlertRecord':
      return pick('queue').filter((q) => q.arn.endsWith('-security-alerts-record'));
    case 'ProtectAlertRoutes':
      return action === 'events:DeleteEventBus' || action === 'events:UpdateEventBus' ? pick('event bus') : pick('event rule');
    case 'ProtectSecurityServiceLinkedRoles':
      // Service-linked roles live at `role/aws-service-role/<service principal>/<name>` (IAM User Guide,
      // "Using service-linked roles": https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html);
      // the names are the services' own (e.g. AWSServiceRoleForConfig: https://docs.aws.amazon.com/config/latest/developerguide/using-service-linked-roles.html).
      return [MEMBER, LOG_ARCHIVE, AUDIT].flatMap((a) =>
        SECURITY_SERVICE_PRINCIPALS.map((service) => ({ arn: `arn:aws:iam::${a}:role/aws-service-role/${service}/AWSServiceRoleForX`, account: a, context: {}, type: 'role' })),
      );
    case 'ProtectLogArchiveBuckets':
      return action === 's3:BypassGovernanceRetention' ? pick('bucket').map((b) => ({ ...b, arn: `${b.arn}/AWSLogs/o-exampleorg01/x.json.gz` })) : pick('bucket');
    case 'ProtectSensitiveBucketLogging':
      // The owners' sensitive buckets (sensitiveData.buckets): only their logging configuration is the baseline's.
      return config.sensitiveData.buckets.map((b) => ({ arn: `arn:aws:s3:::${b.name}`, account: b.accountId, context: {}, type: 'sensitive bucket' }));
    case 'ProtectMalwareProtectionRules':
      // The Malware Protection plan's EventBridge managed rule on the default bus (resource type
      // rule-on-default-event-bus, `rule/${RuleName}`: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html).
      return config.sensitiveData.buckets.map((b) => ({ arn: `arn:aws:events:${b.region}:${b.accountId}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3b4c7f464ab3a4EXAMPLE`, account: b.accountId, context: {}, type: 'event rule' }));
    case 'ProtectBaselineKeys':
    case 'ProtectBaselineKeysByTag':
      return pick('key');
    case 'ProtectBaselineKeyAliases':
      return pick('key alias');
    case 'ProtectBaselineRoles':
      return pick('role');
    case 'ProtectExemptRoles':
      return [MEMBER, LOG_ARCHIVE].flatMap((a) => [PIPELINE_ROLE, 'soc2-baseline-break-glass', 'stacksets-exec-0123456789abcdef'].map((n) => ({ arn: `arn:aws:iam::${a}:role/${n}`, account: a, context: {}, type: 'role' })));
    case 'ProtectInvestigations': {
      // Athena's workgroup actions on the workgroup; Glue's on the table where the action takes resource
      // type table, else on the database (Service Authorization Reference, "AWS Glue":
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html).
      if (action.startsWith('athena:')) return pick('workgroup');
      // The results bucket's notifications (resource type bucket, Service Authorization Reference, "Amazon S3":
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
      if (action.startsWith('s3:')) return pick('bucket').filter((b) => b.arn.includes('-athena-results-'));
      return /Database$|UserDefinedFunction$|Integration/.test(action) ? pick('glue database') : pick('glue table');
    }
    case 'ProtectInvestigationsReaderPolicy':
      return pick('managed policy');
    case 'DenyDetachingInvestigationsReaderPolicy':
      // The reader roles are the organization's (logArchive.readerRoleArns); DetachRolePolicy carries the
      // policy's ARN in iam:PolicyARN (Service Authorization Reference, "AWS Identity and Access Management":
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
      return config.logArchive.readerRoleArns.map((arn) => ({ arn, account: arn.split(':')[4], context: { 'iam:PolicyARN': pick('managed policy')[0].arn }, type: 'role' }));
    case 'DenyPassingExemptRoles':
      return [MEMBER, LOG_ARCHIVE].flatMap((a) => [PIPELINE_ROLE, 'soc2-baseline-break-glass'].map((n) => ({ arn: `arn:aws:iam::${a}:role/${n}`, account: a, context: {}, type: 'role' })));
    default:
      throw new Error(`no test targets for statement ${sid}: add them here`);
  }
}

const cases: Case[] = statements.flatMap((s) =>
  ([] as string[]).concat(s.Action as string | string[]).flatMap((action) => targetsFor(s.Sid, action).map((resource) => ({ sid: s.Sid, action, resource }))),
);

describe('every protected action, on every resource of its kind in the example org', () => {
  test('has resources to test on: every statement, every action', () => {
    for (const s of statements) {
      for (const action of ([] as string[]).concat(s.Action as string | string[])) {
        expect({ sid: s.Sid, action, tested: cases.some((c) => c.sid === s.Sid && c.action === action) }).toEqual({ sid: s.Sid, action, tested: true });
      }
    }
  });

  test('is denied to the administrators of member accounts and of the log-archive account, their root users and OrganizationAccountAccessRole', async () => {
    const requests = cases.flatMap((c) => [...administrators(MEMBER), ...administrators(LOG_ARCHIVE), ...administrators(AUDIT)].map(([who, principal]) => ({ c, who, principal })));
    await inParallel(requests, async ({ c, who, principal }) => {
      const decision = await underScps(scps, principal, c.action, await resourceFor(c.action, c.resource.arn), c.resource.context);
      expect({ who, action: c.action, resource: c.resource.arn, decision }).toEqual({ who, action: c.action, resource: c.resource.arn, decision: 'ExplicitlyDenied' });
    });
  });

  test('is left to the pipeline and break-glass roles (leaving the organization and writing the alarm history record aside: nobody may)', async () => {
    const requests = cases.flatMap((c) => [...exempt(c.resource.account), ...exempt(MEMBER)].map(([who, principal]) => ({ c, who, principal })));
    await inParallel(requests, async ({ c, who, principal }) => {
      const decision = await underScps(scps, principal, c.action, await resourceFor(c.action, c.resource.arn), c.resource.context);
      const expected = NOBODY_EXEMPT.includes(c.sid) ? 'ExplicitlyDenied' : 'Allowed';
      expect({ who, action: c.action, resource: c.resource.arn, decision }).toEqual({ who, action: c.action, resource: c.resource.arn, decision: expected });
    });
  });

  test('names the issue\'s list: CloudTrail, Config, GuardDuty, Security Hub, Macie, Access Analyzer, flow logs, Logs, CloudWatch, SNS, EventBridge, S3, KMS, leaving', () => {
    const actions = new Set(cases.map((c) => c.action));
    for (const a of [
      'cloudtrail:StopLogging',
      'cloudtrail:DeleteTrail',
      'cloudtrail:UpdateTrail',
      'cloudtrail:PutEventSelectors',
      'config:StopConfigurationRecorder',
      'config:DeleteConfigurationRecorder',
      'config:DeleteDeliveryChannel',
      'config:DeleteConfigRule',
      'guardduty:DeleteDetector',
      'guardduty:DisassociateFromAdministratorAccount',
      'securityhub:DisableSecurityHub',
      'securityhub:DisassociateFromAdministratorAccount',
      'macie2:DisableMacie',
      'macie2:DisassociateFromAdministratorAccount',
      'access-analyzer:DeleteAnalyzer',
      'ec2:DeleteFlowLogs',
      'logs:DeleteLogGroup',
      'logs:DeleteMetricFilter',
      'logs:PutRetentionPolicy',
      'cloudwatch:DeleteAlarms',
      'cloudwatch:DisableAlarmActions',
      'sns:DeleteTopic',
      'events:DeleteRule',
      'events:DisableRule',
      ...ARCHIVE_TAMPERING_ACTIONS,
      'kms:ScheduleKeyDeletion',
      'kms:DisableKey',
      'kms:PutKeyPolicy',
      'organizations:LeaveOrganization',
    ]) {
      expect(actions).toContain(a);
    }
  });
});

describe('scope: only the baseline\'s own resources', () => {
  test('every resource of a protected kind that any stack creates is covered', () => {
    const protectedTypes = ['trail', 'log group', 'alarm', 'topic', 'event rule', 'event bus', 'analyzer', 'role', 'bucket', 'key', 'key alias', 'config rule', 'config aggregator', 'flow log', 'config recorder', 'macie member', 'macie job', 'queue', 'workgroup', 'glue database', 'glue table', 'managed policy', 'malware protection plan'];
    const uncovered = resources
      .filter((r) => protectedTypes.includes(r.type))
      .filter((r) => !cases.some((c) => c.resource.arn === r.arn || c.resource.arn.startsWith(`${r.arn}/`)));
    expect(uncovered).toEqual([]);
    expect(new Set(resources.map((r) => r.type))).toEqual(new Set(protectedTypes));
  });

  test.each([
    ['a workload trail', 'cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/payments-trail`, {}],
    ['a workload log group', 'logs:DeleteLogGroup', `arn:aws:logs:us-east-1:${MEMBER}:log-group:/aws/lambda/payments-api`, {}],
    ['a workload alarm', 'cloudwatch:DeleteAlarms', `arn:aws:cloudwatch:us-east-1:${MEMBER}:alarm:payments-latency`, {}],
    ['a workload bucket', 's3:PutLifecycleConfiguration', 'arn:aws:s3:::acme-customer-data-444444444444', {}],
    ['a workload key', 'kms:ScheduleKeyDeletion', `arn:aws:kms:us-east-1:${MEMBER}:key/1234`, { 'kms:ResourceAliases': ['alias/payments'] }],
    ['a workload role', 'iam:DeleteRole', `arn:aws:iam::${MEMBER}:role/payments-api`, {}],
    ['a workload Config rule (not tagged by the baseline)', 'config:DeleteConfigRule', `arn:aws:config:us-east-1:${MEMBER}:config-rule/config-rule-x`, {}],
    ['a workload flow log', 'ec2:DeleteFlowLogs', `arn:aws:ec2:us-east-1:${MEMBER}:vpc-flow-log/fl-1`, { 'aws:ResourceTag/team': 'payments' }],
  ])('%s stays with its account administrators', async (_what, action, arn, context) => {
    expect(await underScps(scps, roleIn(MEMBER, 'Admin'), action, arn, context)).toBe('Allowed');
  });

  test('the baseline tag is the one the providers put on every resource', () => {
    for (const stack of ['management', `member-${MEMBER}`]) {
      for (const p of synthStack(config, stack).provider!.aws) expect(p.default_tags[0].tags['soc2-baseline:managed-by']).toBe('soc2-logging-baseline');
    }
  });

  test('patterns are by name, so a statement never names an account or lists members', () => {
    for (const s of statements) {
      for (const r of ([] as string[]).concat(s.Resource as string | string[])) {
        expect(r === '*' || /^arn:aws:[a-z0-9-]*:[a-z0-9-*]*:\*?:/.test(r) || r.startsWith('arn:aws:s3:::')).toBe(true);
      }
    }
  });
});

describe('the exempt roles themselves', () => {
  test('nobody else may create, re-trust or re-permission a role named like the pipeline or break-glass role', async () => {
    for (const action of ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRole']) {
      for (const name of [PIPELINE_ROLE, 'soc2-baseline-break-glass']) {
        expect(await underScps(scps, roleIn(MEMBER, 'Admin'), action, `arn:aws:iam::${MEMBER}:role/${name}`)).toBe('ExplicitlyDenied');
      }
    }
    // A role of the same name behind another path is a different ARN, and is not exempt either.
    expect(await underScps(scps, roleIn(MEMBER, `evil/${PIPELINE_ROLE}`), 'cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/acme-soc2-account-trail`)).toBe('ExplicitlyDenied');
  });

  test('a StackSet (stacksets-exec-*) can create them in a new account, and nobody may create a stacksets-exec-* role', async () => {
    const stackSets = roleIn(MEMBER, 'stacksets-exec-0123456789abcdef');
    expect(await underScps(scps, stackSets, 'iam:CreateRole', `arn:aws:iam::${MEMBER}:role/${PIPELINE_ROLE}`)).toBe('Allowed');
    expect(await underScps(scps, stackSets, 'cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/acme-soc2-account-trail`)).toBe('ExplicitlyDenied');
    expect(await underScps(scps, roleIn(MEMBER, 'Admin'), 'iam:CreateRole', `arn:aws:iam::${MEMBER}:role/stacksets-exec-mine`)).toBe('ExplicitlyDenied');
    expect(statements.find((s) => s.Sid === 'ProtectExemptRoles')!.Resource).toContain(STACKSETS_EXECUTION_ROLE);
    expect(statements.find((s) => s.Sid === 'ProtectBaselineRoles')!.Resource).not.toContain(STACKSETS_EXECUTION_ROLE);
  });

  test('the management account is never under SCPs: its principals are judged by its own policies only', async () => {
    // The statements' patterns reach a management-account role as they reach any other...
    const admin = roleIn(MANAGEMENT, 'Admin');
    const request = { principal: admin, action: 'cloudtrail:StopLogging', resource: byType('trail').find((t) => t.account === MANAGEMENT)!.arn };
    const policies = { scps: scps.map(parsed), identity: [parsed(ADMINISTRATOR_ACCESS)] };
    expect(await simulate(request, policies)).toBe('ExplicitlyDenied');
    // ...but SCPs "don't affect users or roles in the management account" (Organizations User Guide,
    // "Service control policies": https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
    expect(await simulate(request, { ...policies, managementAccountId: MANAGEMENT })).toBe('Allowed');
    // (the key policies cover it: resource-policies.test.ts)
  });
});

describe('with controlTower.enabled, what Control Tower already enforces is left to it', () => {
  const ct = configWith((raw) => (raw.controlTower = { enabled: true }));
  const ctScps = scpDocuments(synthStack(ct, 'management'));
  const ctStatements = ctScps.flatMap((c) => JSON.parse(c).Statement);

  /**
   * AWS-GR_CONFIG_CHANGE_PROHIBITED's SCP, verbatim from the Control Tower Controls Reference,
   * "Mandatory controls" (https://docs.aws.amazon.com/controltower/latest/controlreference/mandatory-controls.html).
   */
  const CT_GRCONFIGENABLED = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GRCONFIGENABLED',
        Effect: 'Deny',
        Action: [
          'config:DeleteConfigurationRecorder',
          'config:DeleteDeliveryChannel',
          'config:DeleteRetentionConfiguration',
          'config:PutConfigurationRecorder',
          'config:PutDeliveryChannel',
          'config:PutRetentionConfiguration',
          'config:StopConfigurationRecorder',
        ],
        Resource: ['*'],
        Condition: { ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/AWSControlTowerExecution' } },
      },
    ],
  });

  test('the Config recorder statement goes: Control Tower denies the same seven actions on every recorder', async () => {
    const ours = statements.find((s) => s.Sid === 'ProtectConfigRecorders')!;
    const theirs = JSON.parse(CT_GRCONFIGENABLED).Statement[0];
    expect([...(ours.Action as string[])].sort()).toEqual([...theirs.Action].sort());
    expect(ctStatements.map((s: any) => s.Sid)).not.toContain('ProtectConfigRecorders');
    for (const action of theirs.Action) {
      expect(await underScps([...ctScps, CT_GRCONFIGENABLED], roleIn(MEMBER, 'Admin'), action, '*')).toBe('ExplicitlyDenied');
    }
  });

  test('the role statement stops protecting stacksets-exec-* (AWS-GR_IAM_ROLE_CHANGE_PROHIBITED does), and keeps its exemption', () => {
    const roles = ctStatements.find((s: any) => s.Sid === 'ProtectExemptRoles');
    expect(roles.Resource).not.toContain(STACKSETS_EXECUTION_ROLE);
    expect(roles.Condition.ArnNotLike['aws:PrincipalArn']).toContain(STACKSETS_EXECUTION_ROLE);
  });

  test('everything else stays: Control Tower protects only its own aws-controltower-* resources', () => {
    const sids = (docs: string[]) => docs.flatMap((d) => JSON.parse(d).Statement.map((s: any) => s.Sid));
    expect(sids(ctScps)).toEqual(sids(scps).filter((s) => s !== 'ProtectConfigRecorders'));
    const skipped = scpStatements(config).filter((s) => s.duplicatedByControlTower && s.Sid === 'ProtectConfigRecorders');
    expect(skipped.flatMap((s) => s.duplicatedByControlTower)).toEqual(['AWS-GR_CONFIG_CHANGE_PROHIBITED', 'AWS-GR_CONFIG_ENABLED']);
  });
});

describe('guardrails off', () => {
  test('no SCPs at all', () => {
    const off = configWith((raw) => {
      raw.guardrails = { enabled: false };
      raw.controlExceptions = [{ control: 'guardrails.service-control-policies', reason: 'a test of the stack without guardrails' }];
    });
    const json = synthStack(off, 'management');
    expect(resourcesOf(json, 'aws_organizations_policy')).toEqual([]);
    expect(resourcesOf(json, 'aws_organizations_policy_attachment')).toEqual([]);
    expect(scpStatements(off)).toEqual([]);
    expect(() => oneResource(json, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name.includes('break-glass'))).toThrow(/found 0/);
  });
});
