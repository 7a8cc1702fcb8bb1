/**
 * The evidence collector's IAM policy engine: enough of AWS's policy language to answer "is this
 * request denied, allowed, or not allowed?" for the resource policies the collector reads from AWS
 * (bucket, key, topic, queue and bus policies), used by `evidence/policy-judge.ts` only. The tests
 * judge the baseline's own policies with a maintained simulator instead (`__tests__/iam-simulator.ts`
 * over the cloud-copilot iam-simulate package), and `__tests__/evidence/policy-evaluator-vs-simulator.test.ts`
 * runs both over the same corpus and requires the same decisions.
 *
 * Why the collector keeps its own engine rather than the simulator:
 * - License: the simulator packages (iam-simulate, iam-policy, iam-utils) are AGPL-3.0-or-later; the collector ships with
 *   this MIT project, and importing them would change the terms it ships under. They stay test-only.
 * - Speed: the judge enumerates every context an admin could send (principals x condition values x
 *   actions x resources), thousands of evaluations per policy; this engine is synchronous and takes
 *   about 100 ms for a bucket, where an async simulation per request is orders of magnitude slower.
 * - It refuses instead of guessing: an element or operator it does not implement (NotPrincipal,
 *   IpAddress, Date*, a single-valued operator on a multivalued key...) throws, and the evidence item
 *   is ERROR, never PASS; the simulator decides those. The differential test shows this difference.
 *
 * The rules, each from the IAM User Guide:
 * - Policy evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 *   an explicit Deny in any applicable policy wins; otherwise the request needs an Allow; SCPs never
 *   grant, they only bound what the account's policies grant, and they do not apply to the management
 *   account, to service-linked roles or to AWS service principals
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
 * - Cross-account and same-account access (evaluation logic, "How AWS enforcement code logic evaluates
 *   requests"): within one account an identity policy or a resource policy suffices; for KMS, the key
 *   policy must allow, directly or by delegating to the account's IAM (the `arn:aws:iam::<id>:root`
 *   principal) (KMS Developer Guide, "Key policies": https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
 * - Action, NotAction, Resource, NotResource, `*` and `?` wildcards; actions are case-insensitive
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 * - ARN matching: each of the six colon-separated parts is matched separately, the last part holding
 *   the rest of the ARN (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
 * - Condition operators (same page): String*, Arn*, Bool, Null, Numeric*, the ...IfExists suffix,
 *   and the ForAnyValue/ForAllValues set operators
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
 *   A key absent from the request makes a positive operator false and a negated one (StringNotLike,
 *   ArnNotLike...) true: "If the policy condition requires that the key is not matched, such as
 *   StringNotLike or ArnNotLike, and the right key is not present, the condition is true." Several
 *   operators, or several keys under one operator, must all hold; several values for one key are
 *   alternatives (for a negated operator: none may match).
 */

export type ContextValue = string | boolean | number | readonly string[];

/** Who makes the request. */
export type RequestPrincipal =
  | {
      readonly kind: 'role';
      /** The role ARN (what `aws:PrincipalArn` holds for a role session). */
      readonly arn: string;
      /** Service-linked roles are outside SCPs. @default false */
      readonly serviceLinked?: boolean;
    }
  | { readonly kind: 'root'; readonly accountId: string }
  | { readonly kind: 'service'; readonly service: string };

export interface Request {
  readonly principal: RequestPrincipal;
  /** `service:Action` */
  readonly action: string;
  /** The resource ARN the action is authorized against, or `*` for actions without resource types. */
  readonly resource: string;
  /**
   * Request context keys beside those derived from the principal (`aws:PrincipalArn`,
   * `aws:PrincipalAccount`, `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName`). Key names are
   * case-insensitive, as IAM reads them.
   * @default - none
   */
  readonly context?: Readonly<Record<string, ContextValue>>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Statement | readonly Statement[];
}

type PolicyInput = string | PolicyDocument;

const asList = <T>(v: T | readonly T[] | undefined): readonly T[] => (v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T]);

function parse(policy: PolicyInput): readonly Statement[] {
  const doc = typeof policy === 'string' ? (JSON.parse(policy) as PolicyDocument) : policy;
  return asList(doc.Statement);
}

const REGEXPS = new Map<string, RegExp>();

/** `*` (any run of characters) and `?` (one character); everything else literal. Compiled once per pattern. */
function globToRegExp(pattern: string, flags = ''): RegExp {
  const key = `${flags}:${pattern}`;
  let re = REGEXPS.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, `s${flags}`);
    if (REGEXPS.size > 10_000) REGEXPS.clear();
    REGEXPS.set(key, re);
  }
  return re;
}

export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  return globToRegExp(pattern, caseInsensitive ? 'i' : '').test(value);
}

/** ARN matching: the six colon-separated parts compared one by one; `*` alone matches anything. */
export function arnMatch(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const split = (s: string) => {
    const parts = s.split(':');
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const a = split(arn);
  if (!p || !a) return globMatch(pattern, arn);
  return p.every((part, i) => globMatch(part, a[i]));
}

/** The context keys IAM derives from the principal (global condition keys page, "Properties of the principal"). */
function principalContext(principal: RequestPrincipal): Record<string, ContextValue> {
  switch (principal.kind) {
    case 'role':
      return {
        'aws:principalarn': principal.arn,
        'aws:principalaccount': principal.arn.split(':')[4],
        'aws:principalisawsservice': false,
      };
    case 'root':
      return {
        'aws:principalarn': `arn:aws:iam::${principal.accountId}:root`,
        'aws:principalaccount': principal.accountId,
        'aws:principalisawsservice': false,
      };
    case 'service':
      // aws:PrincipalArn is documented for roles, users, federated users and root only: a direct
      // call by a service principal carries aws:PrincipalServiceName instead.
      return { 'aws:principalisawsservice': true, 'aws:principalservicename': principal.service };
  }
}

function contextOf(request: Request): Map<string, ContextValue> {
  const out = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(principalContext(request.principal))) out.set(k.toLowerCase(), v);
  for (const [k, v] of Object.entries(request.context ?? {})) out.set(k.toLowerCase(), v);
  return out;
}

type BaseTest = (policyValue: string, contextValue: string) => boolean;

const NUMBER = (s: string) => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : NaN);

/** Positive base operators; the negated ones are `Not` of these. */
const BASE: Record<string, BaseTest> = {
  StringEquals: (p, c) => p === c,
  StringEqualsIgnoreCase: (p, c) => p.toLowerCase() === c.toLowerCase(),
  StringLike: (p, c) => globMatch(p, c),
  ArnEquals: (p, c) => arnMatch(p, c),
  ArnLike: (p, c) => arnMatch(p, c),
  Bool: (p, c) => p.toLowerCase() === c.toLowerCase(),
  NumericEquals: (p, c) => NUMBER(c) === NUMBER(p),
  NumericLessThan: (p, c) => NUMBER(c) < NUMBER(p),
  NumericLessThanEquals: (p, c) => NUMBER(c) <= NUMBER(p),
  NumericGreaterThan: (p, c) => NUMBER(c) > NUMBER(p),
  NumericGreaterThanEquals: (p, c) => NUMBER(c) >= NUMBER(p),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
};

function conditionHolds(operatorName: string, key: string, policyValues: readonly string[], context: Map<string, ContextValue>): boolean {
  let name = operatorName;
  let set: 'ForAnyValue' | 'ForAllValues' | undefined;
  const setMatch = /^(ForAnyValue|ForAllValues):(.+)$/.exec(name);
  if (setMatch) {
    set = setMatch[1] as 'ForAnyValue' | 'ForAllValues';
    name = setMatch[2];
  }
  const ifExists = name.endsWith('IfExists');
  if (ifExists) name = name.slice(0, -'IfExists'.length);

  const raw = context.get(key.toLowerCase());
  // A key present with an empty value counts as absent, as the IAM guide says of null datasets.
  const present = raw !== undefined && !(Array.isArray(raw) && raw.length === 0) && raw !== '';

  if (name === 'Null') {
    if (set || ifExists) throw new Error(`unsupported condition operator ${operatorName}`);
    return policyValues.some((v) => (v.toLowerCase() === 'true' ? !present : present));
  }
  const negatedOf = NEGATED[name];
  const base = BASE[negatedOf ?? name];
  if (!base) throw new Error(`policy evaluator: unsupported condition operator ${operatorName}`);
  const anyPolicyValue = (c: string) => policyValues.some((p) => base(p, c));
  const test = (c: string) => (negatedOf ? !anyPolicyValue(c) : anyPolicyValue(c));

  if (!present) {
    if (set === 'ForAllValues') return true;
    if (set === 'ForAnyValue') return false;
    if (ifExists) return true;
    return Boolean(negatedOf);
  }
  const values = (Array.isArray(raw) ? raw : [raw]).map(String);
  if (set === 'ForAnyValue') return values.some(test);
  if (set === 'ForAllValues') return values.every(test);
  if (values.length > 1) throw new Error(`policy evaluator: ${key} is multivalued; use ForAnyValue or ForAllValues`);
  return test(values[0]);
}

function conditionsHold(statement: Statement, context: Map<string, ContextValue>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, value]) => conditionHolds(operator, key, asList(value as string | string[]).map(String), context)),
  );
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return asList(statement.Action).some((a) => globMatch(a, action, true));
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some((a) => globMatch(a, action, true));
  throw new Error(`statement ${statement.Sid ?? ''} has neither Action nor NotAction`);
}

function resourceMatches(statement: Statement, resource: string): boolean {
  if (statement.Resource !== undefined) return asList(statement.Resource).some((r) => arnMatch(r, resource));
  if (statement.NotResource !== undefined) return !asList(statement.NotResource).some((r) => arnMatch(r, resource));
  throw new Error(`statement ${statement.Sid ?? ''} has neither Resource nor NotResource`);
}

/** How a resource policy's Principal names the requester: directly, through its account, or not at all. */
type PrincipalMatch = 'direct' | 'account' | 'none';

function principalMatch(statement: Statement, principal: RequestPrincipal): PrincipalMatch {
  if (statement.NotPrincipal !== undefined) throw new Error('policy evaluator: NotPrincipal is not supported');
  const p = statement.Principal;
  if (p === undefined) return 'direct'; // identity policies and SCPs: the policy is attached to the requester
  // "Principal": "*" and "Principal": {"AWS": "*"} both name everyone (IAM User Guide, "AWS JSON
  // policy elements: Principal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
  if (p === '*') return 'direct';
  if (typeof p !== 'object' || p === null) throw new Error(`policy evaluator: unsupported Principal ${JSON.stringify(p)}`);
  const entries = p as { AWS?: string | string[]; Service?: string | string[] };
  if (asList(entries.AWS).includes('*')) return 'direct';
  if (principal.kind === 'service') {
    return asList(entries.Service).includes(principal.service) ? 'direct' : 'none';
  }
  const account = principal.kind === 'root' ? principal.accountId : principal.arn.split(':')[4];
  const ownArn = principal.kind === 'root' ? `arn:aws:iam::${account}:root` : principal.arn;
  let best: PrincipalMatch = 'none';
  for (const aws of asList(entries.AWS)) {
    if (aws === ownArn) return 'direct';
    if (aws === account || aws === `arn:aws:iam::${account}:root`) best = 'account';
  }
  return best;
}

interface Applicable {
  readonly deny: boolean;
  readonly allow: PrincipalMatch;
}

/** What one policy says about a request: does an applicable Deny exist, and how does an Allow name the requester? */
export function evaluatePolicy(policy: PolicyInput, request: Request): Applicable {
  const context = contextOf(request);
  let deny = false;
  let allow: PrincipalMatch = 'none';
  for (const s of parse(policy)) {
    const who = principalMatch(s, request.principal);
    if (who === 'none' && s.Effect === 'Allow') continue;
    // A Deny naming an account applies to every principal of it; naming another principal, to none.
    if (who === 'none') continue;
    if (!actionMatches(s, request.action) || !resourceMatches(s, request.resource) || !conditionsHold(s, context)) continue;
    if (s.Effect === 'Deny') deny = true;
    else if (who === 'direct' || allow === 'none') allow = who;
  }
  return { deny, allow };
}

export interface Policies {
  /**
   * The SCPs in force for the requester's account, every level (root, OUs, account) flattened; the
   * caller includes FullAWSAccess where AWS attaches it.
   * @default - none: the requester is in the management account or no SCPs are enabled
   */
  readonly scps?: readonly PolicyInput[];
  /**
   * Identity policies of the requester (a role's attached and inline policies).
   * @default - none
   */
  readonly identity?: readonly PolicyInput[];
  /**
   * The resource's own policy (bucket policy, key policy).
   * @default - none
   */
  readonly resource?: PolicyInput;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  /**
   * `kms`: the key policy must allow, directly or by naming the account (which then needs an identity
   * Allow too); `standard`: same-account access needs an identity or a resource Allow.
   * @default "standard"
   */
  readonly resourceModel?: 'standard' | 'kms';
}

/** The decision AWS would reach, per the policy evaluation logic page (see the file comment). */
export function evaluate(request: Request, policies: Policies): Decision {
  const p = request.principal;
  const principalAccount = p.kind === 'service' ? undefined : p.kind === 'root' ? p.accountId : p.arn.split(':')[4];
  const underScps = p.kind !== 'service' && !(p.kind === 'role' && p.serviceLinked) && policies.scps !== undefined;

  const scp = underScps ? policies.scps!.map((s) => evaluatePolicy(s, request)) : [];
  const identity = p.kind === 'service' ? [] : (policies.identity ?? []).map((s) => evaluatePolicy(s, request));
  const resource = policies.resource ? evaluatePolicy(policies.resource, request) : { deny: false, allow: 'none' as PrincipalMatch };

  if ([...scp, ...identity, resource].some((r) => r.deny)) return 'ExplicitDeny';
  if (underScps && !scp.some((r) => r.allow !== 'none')) return 'ImplicitDeny';

  const identityAllows = identity.some((r) => r.allow !== 'none');
  const sameAccount = principalAccount === policies.resourceAccount;
  if (p.kind === 'service') return resource.allow === 'direct' ? 'Allow' : 'ImplicitDeny';
  if (policies.resourceModel === 'kms') {
    if (resource.allow === 'direct') return 'Allow';
    if (resource.allow === 'account' && identityAllows) return 'Allow';
    return 'ImplicitDeny';
  }
  // Same account: either policy suffices, but a resource policy naming the account only delegates to
  // IAM. Across accounts: both sides must allow.
  if (sameAccount) return identityAllows || resource.allow === 'direct' ? 'Allow' : 'ImplicitDeny';
  return identityAllows && resource.allow !== 'none' ? 'Allow' : 'ImplicitDeny';
}
