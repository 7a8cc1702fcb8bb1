/**
 * The evidence collector's own IAM engine (evidence/policy-evaluator.ts, which stays for license and
 * speed: see its file comment) against the tests' maintained simulator (__tests__/iam-simulator.ts over
 * @cloud-copilot/iam-simulate), on one corpus: the example org's SCPs, key policies and log-archive
 * bucket policies, for the principals the guardrails are about (an administrator,
 * OrganizationAccountAccessRole, the root user, the pipeline, break-glass and plan roles, AWS service
 * principals), each protected action; the alert route's queue, topic and bus policies; and the tamper
 * suite's broken bucket, queue, topic and bus policies (__tests__/evidence/tamperings.ts, rewritten here
 * the same way on the synthesized policies). Where
 * the two decide differently, one of them is wrong: the test fails and names the request.
 */
import { ARCHIVE_TAMPERING_ACTIONS, KEY_TAMPERING_ACTIONS } from '../../modules/guardrails/resource-policy-denials';
import { allStackNames } from '../../config/naming';
import { evaluate, type Decision } from '../../evidence/policy-evaluator';
import { resourcesOf, synthStack, configWith, statements as statementsOf } from '../helpers';
import { simulate, type SimDecision } from '../iam-simulator';
import { ADMINISTRATOR_ACCESS, FULL_AWS_ACCESS, inParallel, LOG_ARCHIVE, MEMBER, onBucketArn, parsed, roleIn, scpDocuments, type RequestPrincipal } from '../modules/guardrails/fixtures';

const config = configWith((raw) => (raw.deployment.planRoleName = 'soc2-baseline-plan'));
const stacks = new Map(allStackNames(config).map((name) => [name, synthStack(config, name)]));
const management = stacks.get('management')!;
const SAME: Record<Decision, SimDecision> = { Allow: 'Allowed', ExplicitDeny: 'ExplicitlyDenied', ImplicitDeny: 'ImplicitlyDenied' };

const principalsOf = (account: string): [string, RequestPrincipal][] => [
  ['admin', roleIn(account, 'Admin')],
  ['OrganizationAccountAccessRole', roleIn(account, 'OrganizationAccountAccessRole')],
  ['root', { kind: 'root', accountId: account }],
  ['pipeline', roleIn(account, 'soc2-baseline-pipeline')],
  ['break-glass', roleIn(account, 'soc2-baseline-break-glass')],
  ['plan role', roleIn(account, 'soc2-baseline-plan')],
];

interface Case {
  readonly what: string;
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly context: Record<string, string | boolean | string[]>;
  readonly resourcePolicy?: string;
  readonly scps?: readonly string[];
  readonly kms?: boolean;
}

async function both(c: Case): Promise<{ ours: SimDecision; simulator: SimDecision }> {
  const account = c.principal.kind === 'role' ? c.principal.arn.split(':')[4] : c.principal.kind === 'root' ? c.principal.accountId : undefined;
  const identity = c.principal.kind === 'service' ? undefined : [ADMINISTRATOR_ACCESS];
  const ours = evaluate(
    { principal: c.principal, action: c.action, resource: c.resource, context: c.context },
    { resource: c.resourcePolicy, identity, resourceAccount: c.resourceAccount, resourceModel: c.kms ? 'kms' : 'standard', scps: c.scps && account ? [FULL_AWS_ACCESS, ...c.scps] : undefined },
  );
  const simulator = await simulate(
    { principal: c.principal, action: c.action, resource: c.resource, resourceAccount: c.resourceAccount, context: c.context },
    { resourcePolicy: c.resourcePolicy ? parsed(c.resourcePolicy) : undefined, identity: identity?.map(parsed), scps: c.scps?.map(parsed) },
  );
  return { ours: SAME[ours], simulator };
}

/** Fails naming every request the two decide differently; returns the decisions that occurred. */
async function agree(cases: readonly Case[]): Promise<Set<SimDecision>> {
  const disagreements: string[] = [];
  const decisions = new Set<SimDecision>();
  await inParallel(cases, async (c) => {
    const { ours, simulator } = await both(c);
    decisions.add(simulator);
    if (ours !== simulator) disagreements.push(`${c.what}: ${c.action} on ${c.resource} by ${JSON.stringify(c.principal)}: ours ${ours}, simulator ${simulator}`);
  });
  expect(disagreements).toEqual([]);
  return decisions;
}

const keys = [...stacks.values()].flatMap((json) => {
  const accounts = new Map((json.provider?.aws ?? []).map((p: any) => [p.alias ? `aws.${p.alias}` : 'aws', p.allowed_account_ids[0] as string]));
  return resourcesOf(json, 'aws_kms_key').map(([id, k]) => ({
    id,
    account: accounts.get(k.provider ?? 'aws')!,
    policy: k.policy as string,
    aliases: resourcesOf(json, 'aws_kms_alias').filter(([, a]) => a.target_key_id === `\${aws_kms_key.${id}.key_id}`).map(([, a]) => a.name as string),
  }));
});
const buckets = resourcesOf(management, 'aws_s3_bucket_policy').map(([, p]) => {
  const bucketId = /^\$\{aws_s3_bucket\.([^.]+)\.id\}$/.exec(p.bucket)![1];
  return { bucket: management.resource!.aws_s3_bucket[bucketId].bucket as string, policy: p.policy as string };
});
const TLS = { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' };

describe('our evaluator and the simulator decide alike', () => {
  test('on every key policy: each tampering and ordinary action, for each principal of the key\'s account and of a member account', async () => {
    const cases: Case[] = keys.flatMap((k) =>
      [...principalsOf(k.account), ...principalsOf(MEMBER).filter(([who]) => who === 'admin' || who === 'pipeline')].flatMap(([who, principal]) =>
        [...KEY_TAMPERING_ACTIONS, 'kms:Decrypt', 'kms:DescribeKey', 'kms:EnableKey'].map((action) => ({
          what: `key ${k.id} (${who})`,
          principal,
          action,
          resource: `arn:aws:kms:us-east-1:${k.account}:key/1234abcd`,
          resourceAccount: k.account,
          context: { 'kms:ResourceAliases': k.aliases },
          resourcePolicy: k.policy,
          kms: true,
        })),
      ),
    );
    expect(cases.length).toBeGreaterThan(500);
    await agree(cases);
  });

  test('on every log-archive bucket policy, and on the tamper suite\'s broken ones (a never-true condition, an exempted role, a narrowed TLS denial)', async () => {
    const rewrite = (policy: string, f: (s: any, arn: string) => any, bucket: string) =>
      JSON.stringify({ ...JSON.parse(policy), Statement: statementsOf(policy).map((s) => f(s, `arn:aws:s3:::${bucket}`)) });
    const variants = buckets.flatMap((b) => [
      { what: `bucket ${b.bucket}`, ...b },
      { what: `bucket ${b.bucket}, deletion deny under a never-true condition`, bucket: b.bucket, policy: rewrite(b.policy, (s) => (s.Sid === 'DenyLogDeletion' ? { ...s, Condition: { ...s.Condition, StringEquals: { 'aws:PrincipalTag/never-set': 'x' } } } : s), b.bucket) },
      { what: `bucket ${b.bucket}, deletion deny exempting "cleanup"`, bucket: b.bucket, policy: rewrite(b.policy, (s) => (s.Sid === 'DenyLogDeletion' ? { ...s, Condition: { ...s.Condition, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/cleanup' } } } : s), b.bucket) },
      { what: `bucket ${b.bucket}, TLS deny narrowed to the bucket`, bucket: b.bucket, policy: rewrite(b.policy, (s, arn) => (s.Sid === 'DenyInsecureTransport' ? { ...s, Resource: arn } : s), b.bucket) },
    ]);
    const principals: [string, RequestPrincipal][] = [...principalsOf(LOG_ARCHIVE), ['cleanup', roleIn(LOG_ARCHIVE, 'cleanup')], ['member admin', roleIn(MEMBER, 'Admin')]];
    const contexts = [TLS, { 'aws:SecureTransport': false }, { ...TLS, 'aws:PrincipalTag/never-set': 'x' }];
    const actions = [...ARCHIVE_TAMPERING_ACTIONS, 's3:DeleteObject', 's3:GetObject', 's3:GetBucketPolicy'];
    const arns = new Map(await Promise.all(variants.flatMap((v) => actions.map(async (a) => [`${v.bucket} ${a}`, await onBucketArn(v.bucket, a)] as const))));
    const cases: Case[] = variants.flatMap((v) =>
      principals.flatMap(([who, principal]) =>
        actions.flatMap((action) =>
          contexts.map((context) => ({ what: `${v.what} (${who})`, principal, action, resource: arns.get(`${v.bucket} ${action}`)!, resourceAccount: LOG_ARCHIVE, context, resourcePolicy: v.policy })),
        ),
      ),
    );
    expect(cases.length).toBeGreaterThan(1000);
    await agree(cases);
  });

  test('on the SCPs: every statement\'s actions, on a resource of each pattern, for the principals of a member account', async () => {
    const scps = scpDocuments(management);
    const cases: Case[] = scps.flatMap((doc) =>
      (JSON.parse(doc).Statement as any[]).flatMap((s) =>
        ([] as string[]).concat(s.Action).flatMap((action) =>
          principalsOf(MEMBER).map(([who, principal]) => ({
            what: `SCP ${s.Sid} (${who})`,
            principal,
            action,
            resource: '*',
            resourceAccount: MEMBER,
            context: { 'aws:ResourceTag/soc2-baseline:managed-by': 'soc2-logging-baseline' },
            scps,
          })),
        ),
      ),
    );
    await agree(cases);
  });
});

/** Every policy of a resource type in every stack, with the ARN its (single) statements name and the account owning it. */
const alertPolicies = (type: string) =>
  [...stacks.values()].flatMap((json) =>
    resourcesOf(json, type).map(([id, r]) => {
      const arn = ([] as string[]).concat(statementsOf(r.policy as string)[0].Resource)[0];
      return { id, policy: r.policy as string, arn, account: arn.split(':')[4] };
    }),
  );

describe('our evaluator and the simulator decide alike on the alert route', () => {
  // The requests the alerting evidence asks about (evidence/checks/alerting.ts): EventBridge sending an undelivered
  // event to a dead-letter queue and publishing to a topic, CloudWatch publishing, SNS delivering to a record queue,
  // with aws:SourceArn and aws:SourceAccount (global keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html),
  // and a forwarding role putting events on the central bus; each on the synthesized policy and on the tamper
  // suite's broken one (__tests__/evidence/tamperings.ts).
  const services = ['events.amazonaws.com', 'sns.amazonaws.com', 'cloudwatch.amazonaws.com', 'logs.amazonaws.com'];
  const sources = (account: string) => [
    `arn:aws:events:us-east-1:${account}:rule/acme-soc2-account-alarms-to-central-bus`,
    `arn:aws:events:us-east-1:${account}:rule/acme-soc2-security-alarms/acme-soc2-alarms-to-central-topic`,
    `arn:aws:events:us-east-1:${account}:rule/someone-elses`,
    `arn:aws:sns:us-east-1:${account}:acme-soc2-security-alerts`,
    `arn:aws:cloudwatch:us-east-1:${account}:alarm:x`,
    `arn:aws:events:us-east-1:999999999999:rule/acme-soc2-account-alarms-to-central-bus`,
  ];
  const asServices = (what: string, action: string, p: { arn: string; account: string }, resourcePolicy: string | undefined): Case[] =>
    services.flatMap((service) =>
      sources(p.account).flatMap((source) =>
        [p.account, '999999999999'].map((sourceAccount) => ({
          what: `${what} (${service} for ${source})`,
          principal: { kind: 'service', service } as const,
          action,
          resource: p.arn,
          resourceAccount: p.account,
          context: { 'aws:SourceArn': source, 'aws:SourceAccount': sourceAccount },
          resourcePolicy,
        })),
      ),
    );

  test('on every queue policy, and with EventBridge denied in it ("Deny EventBridge in a member\'s dead-letter queue policy")', async () => {
    const queues = alertPolicies('aws_sqs_queue_policy');
    expect(queues.length).toBeGreaterThanOrEqual(4);
    const denyEvents = (policy: string, arn: string) =>
      JSON.stringify({ ...JSON.parse(policy), Statement: [...statementsOf(policy), { Sid: 'NoEventBridge', Effect: 'Deny', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn }] });
    const cases = queues.flatMap((q) => [
      ...asServices(`queue ${q.arn}`, 'sqs:SendMessage', q, q.policy),
      ...asServices(`queue ${q.arn}, EventBridge denied`, 'sqs:SendMessage', q, denyEvents(q.policy, q.arn)),
      ...principalsOf(q.account).map(([who, principal]) => ({ what: `queue ${q.arn} (${who})`, principal, action: 'sqs:SendMessage', resource: q.arn, resourceAccount: q.account, context: {}, resourcePolicy: q.policy })),
    ]);
    // Every kind of answer occurs: the comparison is not vacuous.
    expect(await agree(cases)).toEqual(new Set(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']));
  });

  test('on every topic policy, and with it replaced by an owner-only one ("Replace the central topic\'s policy")', async () => {
    const topics = alertPolicies('aws_sns_topic_policy');
    expect(topics.length).toBeGreaterThanOrEqual(3);
    const ownerOnly = (t: { arn: string; account: string }) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'OwnerOnly', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${t.account}:root` }, Action: 'sns:Publish', Resource: t.arn }] });
    const cases = topics.flatMap((t) => [
      ...asServices(`topic ${t.arn}`, 'sns:Publish', t, t.policy),
      ...asServices(`topic ${t.arn}, owner only`, 'sns:Publish', t, ownerOnly(t)),
      ...principalsOf(t.account).map(([who, principal]) => ({ what: `topic ${t.arn} (${who})`, principal, action: 'sns:Publish', resource: t.arn, resourceAccount: t.account, context: {}, resourcePolicy: ownerOnly(t) })),
    ]);
    expect(await agree(cases)).toEqual(new Set(['Allowed', 'ImplicitlyDenied']));
  });

  test('on the central bus policy, and without its grant to the forwarding roles ("Remove the central bus policy\'s grant")', async () => {
    const [bus] = alertPolicies('aws_cloudwatch_event_bus_policy');
    // The grant is the policy's one statement: removing it (events:RemovePermission) leaves the bus without a policy.
    expect(statementsOf(bus.policy).map((st) => st.Sid)).toEqual(['ForwardingRolesOfTheOrganization']);
    const callers: [string, RequestPrincipal][] = [MEMBER, LOG_ARCHIVE, bus.account, '999999999999'].flatMap((a) => [
      [`forwarder of ${a}`, roleIn(a, 'acme-soc2-forward-alarms')] as [string, RequestPrincipal],
      [`admin of ${a}`, roleIn(a, 'Admin')] as [string, RequestPrincipal],
    ]);
    const cases: Case[] = [bus.policy, undefined].flatMap((resourcePolicy) =>
      callers.flatMap(([who, principal]) =>
        ['o-exampleorg01', 'o-someoneelse1'].map((org) => ({
          what: `bus ${bus.arn}${resourcePolicy ? '' : ' without its policy'} (${who} in ${org})`,
          principal,
          action: 'events:PutEvents',
          resource: bus.arn,
          resourceAccount: bus.account,
          context: { 'aws:PrincipalOrgID': org },
          resourcePolicy,
        })),
      ),
    );
    expect(await agree(cases)).toEqual(new Set(['Allowed', 'ImplicitlyDenied']));
  });
});

describe('what our evaluator does that the simulator does not', () => {
  test('an operator it does not implement throws (the evidence item is ERROR), where the simulator decides', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] });
    const request = { principal: roleIn(LOG_ARCHIVE, 'Admin'), action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::b', context: { 'aws:SourceIp': '192.0.2.1' } };
    expect(() => evaluate(request, { resource: policy, identity: [ADMINISTRATOR_ACCESS], resourceAccount: LOG_ARCHIVE })).toThrow(/unsupported condition operator NotIpAddress/);
    expect(await simulate({ ...request, resourceAccount: LOG_ARCHIVE }, { resourcePolicy: parsed(policy) })).toBe('ExplicitlyDenied');
  });
});
