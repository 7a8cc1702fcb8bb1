/**
 * The evidence of `guardrails.resource-control-policies` and `guardrails.centralized-root-access`
 * (evidence/checks/guardrails.ts). Each check is run on what Organizations and IAM would answer after
 * an apply of the example org, built from the synthesized management stack (its
 * `aws_organizations_policy`, `aws_organizations_policy_attachment` and
 * `aws_iam_organizations_features`), then on the same answers broken one way at a time: each must
 * FAIL, naming what broke. A control switched off in the config has no item.
 *
 * Response shapes:
 * - Organizations API Reference, ListPoliciesForTarget (Policies[] of PolicySummary: Id, Arn, Name,
 *   Description, Type, AwsManaged; Filter RESOURCE_CONTROL_POLICY):
 *   https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html,
 *   https://docs.aws.amazon.com/organizations/latest/APIReference/API_PolicySummary.html;
 *   DescribePolicy (Policy: PolicySummary, Content):
 *   https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html;
 *   ListAWSServiceAccessForOrganization (EnabledServicePrincipals[] of ServicePrincipal, DateEnabled):
 *   https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAWSServiceAccessForOrganization.html.
 * - IAM API Reference, ListOrganizationsFeatures (OrganizationId, EnabledFeatures:
 *   RootCredentialsManagement | RootSessions; error ServiceAccessNotEnabled without IAM's trusted access):
 *   https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html.
 * - RCPFullAWSAccess, AWS-managed and attached to every root, OU and account (Organizations User
 *   Guide, "RCP syntax": https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
 */
import { IAMClient, ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import {
  DescribePolicyCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
  type PolicySummary,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import type { BaselineConfig } from '../../config/schema';
import { baselineAlarmNames } from '../../evidence/checks/alerting';
import { expectedRcps, guardrailTasks, IAM_SERVICE_PRINCIPAL } from '../../evidence/checks/guardrails';
import { createContext, runTasks } from '../../evidence/collect';
import type { EvidenceItem } from '../../evidence/types';
import { configWith, exampleConfig, resourcesOf, synthStack } from '../helpers';

const MANAGEMENT = '111111111111';
const ORG_ID = 'o-exampleorg01';
const RCP_CONTROL = 'guardrails.resource-control-policies';
const ROOT_CONTROL = 'guardrails.centralized-root-access';
const RCP1 = 'acme-soc2-baseline-resource-perimeter-1';

interface Policy {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  content: string;
  readonly awsManaged?: boolean;
}

/** What Organizations and IAM hold after an apply of `config`, from its synthesized management stack. */
interface Deployed {
  policies: Policy[];
  /** `<policy id>/<target>` */
  attachments: Set<string>;
  trustedServices: string[];
  features: { OrganizationId: string; EnabledFeatures: string[] };
}

function deployed(config: BaselineConfig): Deployed {
  const stack = synthStack(config, 'management');
  const policies: Policy[] = resourcesOf(stack, 'aws_organizations_policy').map(([logicalId, p]) => ({ id: `p-${logicalId}`, name: p.name, type: p.type, content: p.content }));
  const attachments = new Set(
    resourcesOf(stack, 'aws_organizations_policy_attachment').map(([, a]) => `p-${/aws_organizations_policy\.([^.]+)\.id/.exec(a.policy_id)![1]}/${a.target_id}`),
  );
  // The AWS-managed defaults, on every target.
  const targets = [...new Set([...attachments].map((a) => a.split('/')[1]))];
  policies.push({ id: 'p-FullAWSAccess', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', awsManaged: true });
  policies.push({ id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', type: 'RESOURCE_CONTROL_POLICY', content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}', awsManaged: true });
  for (const t of targets) for (const id of ['p-FullAWSAccess', 'p-RCPFullAWSAccess']) attachments.add(`${id}/${t}`);
  const features = resourcesOf(stack, 'aws_iam_organizations_features').map(([, f]) => f.enabled_features as string[]);
  return {
    policies,
    attachments,
    // Trusted access is a prerequisite the stack checks at plan time (organization-prerequisites.ts).
    trustedServices: ['cloudtrail.amazonaws.com', 'config.amazonaws.com', IAM_SERVICE_PRINCIPAL],
    features: { OrganizationId: config.organization.id, EnabledFeatures: features[0] ?? [] },
  };
}

const mocks: { restore(): void }[] = [];
afterEach(() => {
  while (mocks.length) mocks.pop()!.restore();
});

async function judge(state: Deployed, config: BaselineConfig): Promise<{ items: EvidenceItem[]; iamCalls: number }> {
  const orgs = mockClient(OrganizationsClient);
  const iam = mockClient(IAMClient);
  mocks.push(orgs, iam);
  const summary = (p: Policy): PolicySummary => ({ Id: p.id, Arn: `arn:aws:organizations::${MANAGEMENT}:policy/${ORG_ID}/${p.id}`, Name: p.name, Type: p.type as PolicySummary['Type'], AwsManaged: !!p.awsManaged });
  orgs.on(ListPoliciesForTargetCommand).callsFake((input: { TargetId: string; Filter: string }) => ({
    Policies: state.policies.filter((p) => p.type === input.Filter && state.attachments.has(`${p.id}/${input.TargetId}`)).map(summary),
  }));
  orgs.on(DescribePolicyCommand).callsFake((input: { PolicyId: string }) => {
    const p = state.policies.find((x) => x.id === input.PolicyId)!;
    return { Policy: { PolicySummary: summary(p), Content: p.content } };
  });
  orgs.on(ListAWSServiceAccessForOrganizationCommand).callsFake(() => ({ EnabledServicePrincipals: state.trustedServices.map((ServicePrincipal) => ({ ServicePrincipal, DateEnabled: new Date('2026-01-01T00:00:00Z') })) }));
  iam.on(ListOrganizationsFeaturesCommand).callsFake(() => ({ ...state.features, EnabledFeatures: [...state.features.EnabledFeatures] }));
  const { ctx } = createContext({ config, accounts: [MANAGEMENT], validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
  await runTasks(ctx, guardrailTasks(ctx), 1);
  return { items: ctx.items.filter((i) => i.controlId === RCP_CONTROL || i.controlId === ROOT_CONTROL), iamCalls: iam.commandCalls(ListOrganizationsFeaturesCommand).length };
}

const config = exampleConfig();
const statusOf = (items: EvidenceItem[]) => items.map((i) => [i.id, i.status, i.reason]);

test('the RCPs the check expects are those the management stack synthesizes (name and content)', () => {
  const synthesized = deployed(config).policies.filter((p) => p.type === 'RESOURCE_CONTROL_POLICY' && !p.awsManaged);
  expect(synthesized.map((p) => [p.name, p.content])).toEqual([...expectedRcps(config)]);
  expect(synthesized.map((p) => p.name)).toEqual([RCP1]);
});

test('the example org as applied: both items PASS', async () => {
  const { items } = await judge(deployed(config), config);
  expect(statusOf(items).sort()).toEqual([
    [`${ROOT_CONTROL}/${MANAGEMENT}/global/${ORG_ID}`, 'PASS', `trusted access for iam.amazonaws.com; RootCredentialsManagement and RootSessions enabled for ${ORG_ID}`],
    [`${RCP_CONTROL}/${MANAGEMENT}/global/r-ex01`, 'PASS', `${RCP1} attached, content as the config derives it`],
  ]);
});

test('the RCP content is compared as a document, not as text: the same document pretty-printed PASSes', async () => {
  const state = deployed(config);
  const p = state.policies.find((x) => x.name === RCP1)!;
  p.content = JSON.stringify(JSON.parse(p.content), null, 2);
  expect((await judge(state, config)).items.find((i) => i.controlId === RCP_CONTROL)!.status).toBe('PASS');
});

describe('breaking the RCPs fails their item, and only it', () => {
  test('the RCP detached from the root (only RCPFullAWSAccess left)', async () => {
    const state = deployed(config);
    state.attachments.delete(`${state.policies.find((x) => x.name === RCP1)!.id}/r-ex01`);
    const { items } = await judge(state, config);
    expect(statusOf(items.filter((i) => i.status !== 'PASS'))).toEqual([[`${RCP_CONTROL}/${MANAGEMENT}/global/r-ex01`, 'FAIL', `${RCP1} is not attached to r-ex01`]]);
  });

  test.each([
    ['the confused-deputy statement dropped', (s: any[]) => s.filter((st) => st.Sid !== 'DenyLogArchiveServiceForOutsideOrg')],
    ['the identity perimeter narrowed to GetObject', (s: any[]) => s.map((st) => (st.Sid === 'DenyLogArchiveOutsideOrg' ? { ...st, Action: ['s3:GetObject'] } : st))],
    ['another organization trusted', (s: any[]) => s.map((st) => JSON.parse(JSON.stringify(st).replaceAll(ORG_ID, 'o-attacker0001')))],
    ['the Deny turned into an Allow', (s: any[]) => s.map((st) => ({ ...st, Effect: 'Allow' }))],
  ])('%s: content differs', async (_what, rewrite) => {
    const state = deployed(config);
    const p = state.policies.find((x) => x.name === RCP1)!;
    const doc = JSON.parse(p.content);
    p.content = JSON.stringify({ ...doc, Statement: rewrite(doc.Statement) });
    expect(p.content).not.toBe(deployed(config).policies.find((x) => x.name === RCP1)!.content);
    const { items } = await judge(state, config);
    expect(statusOf(items.filter((i) => i.status !== 'PASS'))).toEqual([
      [`${RCP_CONTROL}/${MANAGEMENT}/global/r-ex01`, 'FAIL', `${RCP1} content differs from what the config derives (edited outside the pipeline?)`],
    ]);
  });

  test('an RCP of the same name that is an SCP does not count: the RCP list is filtered by type', async () => {
    const state = deployed(config);
    const p = state.policies.find((x) => x.name === RCP1)!;
    state.policies = state.policies.map((x) => (x === p ? { ...p, type: 'SERVICE_CONTROL_POLICY' } : x));
    const { items } = await judge(state, config);
    expect(items.find((i) => i.controlId === RCP_CONTROL)).toMatchObject({ status: 'FAIL', reason: `${RCP1} is not attached to r-ex01` });
  });

  test('with guardrails.targets, every target is judged: detached from one, only that one FAILs', async () => {
    const targeted = configWith((raw) => (raw.guardrails.targets = ['ou-ex01-workload1', 'ou-ex01-security1']));
    const state = deployed(targeted);
    const p = state.policies.find((x) => x.name === RCP1)!;
    expect(state.attachments.has(`${p.id}/ou-ex01-workload1`)).toBe(true);
    state.attachments.delete(`${p.id}/ou-ex01-security1`);
    const { items } = await judge(state, targeted);
    expect(statusOf(items.filter((i) => i.controlId === RCP_CONTROL)).sort()).toEqual([
      [`${RCP_CONTROL}/${MANAGEMENT}/global/ou-ex01-security1`, 'FAIL', `${RCP1} is not attached to ou-ex01-security1`],
      [`${RCP_CONTROL}/${MANAGEMENT}/global/ou-ex01-workload1`, 'PASS', `${RCP1} attached, content as the config derives it`],
    ]);
  });
});

describe('breaking centralized root access fails its item, and only it', () => {
  const rootItem = async (state: Deployed) => {
    const { items, iamCalls } = await judge(state, config);
    expect(items.filter((i) => i.status !== 'PASS').map((i) => i.controlId)).toEqual([ROOT_CONTROL]);
    return { item: items.find((i) => i.controlId === ROOT_CONTROL)!, iamCalls };
  };

  test.each([
    ['RootSessions disabled', ['RootCredentialsManagement'], 'RootSessions is not enabled (EnabledFeatures: RootCredentialsManagement)'],
    ['RootCredentialsManagement disabled', ['RootSessions'], 'RootCredentialsManagement is not enabled (EnabledFeatures: RootSessions)'],
    ['both disabled', [], 'RootCredentialsManagement is not enabled (EnabledFeatures: none); RootSessions is not enabled (EnabledFeatures: none)'],
  ])('%s', async (_what, features, reason) => {
    const state = deployed(config);
    state.features.EnabledFeatures = features;
    expect((await rootItem(state)).item).toMatchObject({ status: 'FAIL', reason });
  });

  test("the features answered for another organization than the config's", async () => {
    const state = deployed(config);
    state.features.OrganizationId = 'o-otherorg0001';
    expect((await rootItem(state)).item).toMatchObject({ status: 'FAIL', reason: `ListOrganizationsFeatures answers for organization o-otherorg0001, not ${ORG_ID}` });
  });

  test("IAM's trusted access disabled: FAIL without asking IAM (which would refuse, ServiceAccessNotEnabled)", async () => {
    const state = deployed(config);
    state.trustedServices = state.trustedServices.filter((s) => s !== IAM_SERVICE_PRINCIPAL);
    const { item, iamCalls } = await rootItem(state);
    expect(item).toMatchObject({ status: 'FAIL', reason: 'trusted access for iam.amazonaws.com is not enabled in the organization, so centralized root access is not available' });
    expect(iamCalls).toBe(0);
  });
});

describe('switched off, no item (the control matrix says why it is not configured)', () => {
  const reason = 'this test switches the control off on purpose';
  test.each([
    ['guardrails.resourceControlPolicies off', (raw: any) => (raw.guardrails.resourceControlPolicies = { enabled: false, reason }), [ROOT_CONTROL]],
    ['guardrails.centralizedRootAccess off', (raw: any) => (raw.guardrails.centralizedRootAccess = { enabled: false, reason }), [RCP_CONTROL]],
  ])('%s', async (_what, edit, left) => {
    const off = configWith(edit);
    const { items } = await judge(deployed(config), off);
    expect(items.map((i) => [i.controlId, i.status])).toEqual(left.map((c) => [c, 'PASS']));
  });

  test('guardrails off: neither', async () => {
    const off = configWith((raw) => {
      raw.guardrails = { enabled: false };
      raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 'guardrails.service-control-policies', reason: 'this test turns guardrails off' }];
    });
    const { ctx } = createContext({ config: off, accounts: [MANAGEMENT], validateLogsSince: false, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
    expect(guardrailTasks(ctx)).toEqual([]);
  });
});

test('the alert route must carry the exempt-role change alarm: it is among the baseline alarms a forwarding rule must match (guardrails on)', () => {
  const synthesized = resourcesOf(synthStack(config, 'management'), 'aws_cloudwatch_metric_alarm').map(([, a]) => a.alarm_name as string);
  expect(synthesized).toContain('acme-soc2-org-guardrail-role-changed');
  expect(baselineAlarmNames('acme-soc2-org', true)).toContain('acme-soc2-org-guardrail-role-changed');
  expect(baselineAlarmNames('acme-soc2-org', false)).not.toContain('acme-soc2-org-guardrail-role-changed');
});
