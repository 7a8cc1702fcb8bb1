/**
 * Judges a resource policy by evaluating it, never by reading its text: "does this policy deny the
 * request in every context an account admin could send?" A Deny that holds only under a condition
 * the admin can avoid (a tag they can drop, a key they need not send, a role name they can pick, a
 * never-true value) does not count.
 *
 * How "every context" is made finite: a condition can only tell requests apart through the values the
 * policy itself names (IAM compares context values with the policy's values: IAM User Guide,
 * "Condition operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * So for each condition key the policy uses that the requester controls, trying the key absent, each
 * value the policy names (wildcards instantiated), and one value the policy does not name covers
 * every outcome of every operator the evaluator implements. Keys the requester cannot choose (who
 * they are, their account, their organization: the global condition keys page's "Properties of the
 * principal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
 * are fixed by the principal tried; principals are an admin role in each account given, the account's
 * root user, and every role ARN the policy names (so an exemption of one role name is found).
 *
 * The evaluation is `evidence/policy-evaluator.ts` (its file comment says why the collector keeps its
 * own engine); an element or operator it does not implement throws, and the evidence item is then
 * ERROR, never PASS.
 */
import { arnMatch, evaluatePolicy, globMatch, type ContextValue, type RequestPrincipal } from './policy-evaluator';

/**
 * The keys a requester cannot set: who the principal is (tried through the principals themselves),
 * its account and its organization. Everything else is the requester's to vary: its tags, the session
 * name inside `aws:userid`, `aws:PrincipalType` (a user, a role session, a federated user, the root
 * user), the OU path of its account (`aws:PrincipalOrgPaths`: accounts sit in any OU), where it calls
 * from (IAM User Guide, "AWS global condition context keys").
 */
const PRINCIPAL_KEYS = new Set(['aws:principalarn', 'aws:principalaccount', 'aws:principalisawsservice', 'aws:principalservicename', 'aws:principalorgid']);

/** At most this many contexts per principal, action and resource; past it the judgement throws (ERROR). */
const MAX_CONTEXTS = 4096;

export interface DenialQuestion {
  /** `service:Action` names, each must be denied. */
  readonly actions: readonly string[];
  /** Resource ARNs the actions are tried on (a bucket, sample object keys). */
  readonly resources: readonly string[];
  /**
   * ARN patterns of everything the question is about (`arn:aws:s3:::b/*`): every Resource or
   * NotResource pattern of the policy inside them is tried too, instantiated, so that an exemption of
   * a prefix the samples miss is found.
   * @default - only `resources`
   */
  readonly within?: readonly string[];
  /** Accounts whose admins are tried (an admin role of each, and its root user). */
  readonly accounts: readonly string[];
  /** The organization of those accounts (aws:PrincipalOrgID). */
  readonly organizationId: string;
  /**
   * Keys fixed by the question itself (e.g. `aws:SecureTransport: false` for "requests without TLS").
   * @default - none
   */
  readonly fixed?: Readonly<Record<string, ContextValue>>;
  /**
   * An action pattern (`s3:*`): every Action or NotAction pattern of the policy inside it is tried too,
   * instantiated, so that an action the question's list misses but the policy singles out is found.
   * @default - only `actions`
   */
  readonly actionsWithin?: string;
}

export interface DenialAnswer {
  readonly denied: boolean;
  /** The first request found that the policy does not deny, in words. */
  readonly counterexample?: string;
  /** How many requests were evaluated. */
  readonly evaluated: number;
}

type Statement = {
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function statementsOf(policy: string): Statement[] {
  const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
  return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
}

/** A value a wildcard pattern matches: `*` and `?` replaced by a letter. */
const instantiate = (pattern: string) => pattern.replace(/[*?]/g, 'x');

/** Policy variables (`${aws:username}`...) stand for request values the judge cannot enumerate: refused (ERROR). */
function refuseVariables(policy: string): void {
  const variable = /\$\{[^}]*\}/.exec(policy);
  if (variable) throw new Error(`the policy uses the policy variable ${variable[0]}, which the evidence cannot evaluate: judge it by hand`);
}

/** Every condition key the policy reads, lower-cased, with the values it names. */
function conditionValues(statements: readonly Statement[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of statements) {
    for (const keys of Object.values(s.Condition ?? {})) {
      for (const [key, value] of Object.entries(keys)) {
        const k = key.toLowerCase();
        const set = out.get(k) ?? new Set<string>();
        for (const v of asList(value)) {
          set.add(v);
          set.add(instantiate(v));
        }
        out.set(k, set);
      }
    }
  }
  return out;
}

/**
 * The principals tried: in each account an admin role, an IAM user, a federated user and the root
 * user; and every role, user or federated user the policy names (so an exemption of one name is found).
 * A user or federated user is evaluated as its ARN, as a role is (what `aws:PrincipalArn` holds for it).
 */
function principals(statements: readonly Statement[], accounts: readonly string[], values: Map<string, Set<string>>): RequestPrincipal[] {
  const arns = new Set<string>();
  for (const account of accounts) {
    arns.add(`arn:aws:iam::${account}:role/account-admin`);
    arns.add(`arn:aws:iam::${account}:user/account-admin`);
    arns.add(`arn:aws:sts::${account}:federated-user/account-admin`);
  }
  const named = [
    ...(values.get('aws:principalarn') ?? []),
    ...statements.flatMap((s) => [s.Principal, s.NotPrincipal].flatMap((p) => (p && typeof p === 'object' ? asList((p as { AWS?: unknown }).AWS) : []))),
  ];
  for (const v of named) {
    const arn = instantiate(v);
    const m = /^arn:aws:(iam|sts)::([^:]*):(role|user|federated-user)\/(.+)$/.exec(arn);
    if (!m) continue;
    // A pattern over any account (`arn:aws:iam::*:role/x`) names that principal in every account tried.
    for (const account of /^\d{12}$/.test(m[2]) ? [m[2]] : accounts) arns.add(`arn:aws:${m[1]}::${account}:${m[3]}/${m[4]}`);
  }
  return [
    ...[...arns].sort().map((arn) => ({ kind: 'role' as const, arn })),
    ...accounts.map((accountId) => ({ kind: 'root' as const, accountId })),
  ];
}

/**
 * The values to try for a key: absent, each value the policy names, one it does not name, and, for a
 * number, each named number's neighbours (so `NumericLessThan 1.2` is tried with 1.1, 1.2 and 1.3).
 */
function candidatesFor(named: ReadonlySet<string>): (string | undefined)[] {
  const numbers = [...named].filter((v) => /^-?\d+(\.\d+)?$/.test(v)).flatMap((v) => [String(Number(v) - 0.1), String(Number(v) + 0.1)].map((x) => String(Math.round(Number(x) * 1000) / 1000)));
  return [undefined, ...[...new Set([...named, ...numbers])].sort(), 'value-the-policy-does-not-name'];
}

function* contexts(free: readonly [string, readonly (string | undefined)[]][], i = 0, acc: Record<string, string> = {}): Generator<Record<string, string>> {
  if (i === free.length) {
    yield { ...acc };
    return;
  }
  const [key, candidates] = free[i];
  for (const value of candidates) {
    const next = { ...acc };
    if (value === undefined) delete next[key];
    else next[key] = value;
    yield* contexts(free, i + 1, next);
  }
}

/**
 * The statements that could deny a request of the question: Deny statements whose actions and
 * resources reach it. Only their conditions matter (an Allow never makes a request denied), which
 * keeps the contexts to try few.
 */
function denialsReaching(statements: readonly Statement[], question: DenialQuestion): Statement[] {
  const some = (patterns: unknown, values: readonly string[], match: (p: string, v: string) => boolean) => asList(patterns).some((p) => values.some((v) => match(p, v)));
  const every = (patterns: unknown, values: readonly string[], match: (p: string, v: string) => boolean) => values.every((v) => asList(patterns).some((p) => match(p, v)));
  const actionMatch = (p: string, v: string) => globMatch(p, v, true);
  return statements.filter(
    (s) =>
      s.Effect === 'Deny' &&
      (s.Action !== undefined ? some(s.Action, question.actions, actionMatch) : !every(s.NotAction, question.actions, actionMatch)) &&
      (s.Resource !== undefined ? some(s.Resource, question.resources, arnMatch) : !every(s.NotResource, question.resources, arnMatch)),
  );
}

/** Account ids the policy names anywhere (principals, conditions, ARNs): the only accounts it can tell apart. */
function namedAccounts(policy: string): string[] {
  return [...new Set(policy.match(/(?<![0-9])[0-9]{12}(?![0-9])/g) ?? [])];
}

/** Whether `policy` (a resource policy document, JSON) denies every request of the question. */
export function deniedInEveryContext(policy: string, question: DenialQuestion): DenialAnswer {
  refuseVariables(policy);
  const all = statementsOf(policy);
  if (question.actionsWithin) {
    const named = all.flatMap((s) => [...asList(s.Action), ...asList(s.NotAction)]).map(instantiate);
    const inside = named.filter((a) => globMatch(question.actionsWithin!, a, true));
    question = { ...question, actions: [...new Set([...question.actions, ...inside])] };
  }
  if (question.within) {
    const named = all.flatMap((s) => [...asList(s.Resource), ...asList(s.NotResource)]).map(instantiate);
    const inside = named.filter((r) => question.within!.some((w) => arnMatch(w, r)));
    question = { ...question, resources: [...new Set([...question.resources, ...inside])] };
  }
  const statements = denialsReaching(all, question);
  if (statements.length === 0) {
    const action = question.actions[0];
    return { denied: false, evaluated: 0, counterexample: `${action} on ${question.resources[0]}: no Deny statement of the policy reaches it, so it is not denied` };
  }
  // An account the policy does not name is indistinguishable, to its conditions, from any other it
  // does not name: the accounts tried are the question's named ones, those the policy names, and one
  // stand-in for the rest.
  const named = new Set(namedAccounts(policy));
  const unnamed = question.accounts.filter((a) => !named.has(a));
  const accounts = [...new Set([...question.accounts.filter((a) => named.has(a)), ...unnamed.slice(0, 1), ...[...named].filter((a) => question.accounts.includes(a))])].sort();
  question = { ...question, accounts };
  const values = conditionValues(statements);
  const fixed = Object.fromEntries(Object.entries(question.fixed ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const free: [string, (string | undefined)[]][] = [...values]
    .filter(([key]) => !PRINCIPAL_KEYS.has(key) && !(key in fixed))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, named]) => [key, candidatesFor(named)]);
  const combinations = free.reduce((n, [, c]) => n * c.length, 1);
  if (combinations > MAX_CONTEXTS) {
    throw new Error(`the policy's conditions read ${free.length} keys the requester controls (${free.map(([k]) => k).join(', ')}): too many combinations to judge (${combinations} > ${MAX_CONTEXTS})`);
  }
  // Whether a Deny applies splits in two, both answered by the evaluator: does the statement reach the
  // action and resource (whoever asks), and do its principal and conditions hold for this requester in
  // this context (whatever the action). Each is computed once; their combinations are then lookups.
  type Doc = Parameters<typeof evaluatePolicy>[0];
  const doc = (statement: Statement) => ({ Version: '2012-10-17', Statement: [statement] }) as unknown as Doc;
  const anyone: RequestPrincipal = { kind: 'root', accountId: '000000000000' };
  const reaches = statements.map((st) => {
    const shape = doc({ Effect: 'Deny', Principal: '*', Action: st.Action, NotAction: st.NotAction, Resource: st.Resource, NotResource: st.NotResource });
    return question.actions.map((action) => question.resources.map((resource) => evaluatePolicy(shape, { principal: anyone, action, resource }).deny));
  });
  const holds = statements.map((st) => doc({ ...st, Action: '*', NotAction: undefined, Resource: '*', NotResource: undefined }));
  let evaluated = 0;
  for (const principal of principals(all, question.accounts, conditionValues(all))) {
    const own = { 'aws:principalorgid': question.organizationId };
    for (const context of contexts(free)) {
      const applies = holds.map((d) => evaluatePolicy(d, { principal, action: question.actions[0], resource: question.resources[0], context: { ...own, ...fixed, ...context } }).deny);
      for (let a = 0; a < question.actions.length; a++) {
        for (let r = 0; r < question.resources.length; r++) {
          evaluated += 1;
          if (statements.some((_, i) => applies[i] && reaches[i][a][r])) continue;
          const action = question.actions[a];
          const resource = question.resources[r];
          const who = principal.kind === 'root' ? `the root user of ${principal.accountId}` : principal.kind === 'role' ? principal.arn : principal.service;
          const ctx = Object.entries(context).map(([k, v]) => `${k}=${v}`);
          return {
            denied: false,
            evaluated,
            counterexample: `${action} on ${resource} by ${who}${ctx.length ? ` with ${ctx.join(', ')}` : ''}${Object.keys(fixed).length ? ` (${Object.entries(fixed).map(([k, v]) => `${k}=${String(v)}`).join(', ')})` : ''} is not denied`,
          };
        }
      }
    }
  }
  return { denied: true, evaluated };
}

export interface AllowQuestion {
  /** Who makes the request (a service, or a role). */
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  /** What is known of every such request (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID...). */
  readonly fixed: Readonly<Record<string, ContextValue>>;
}

/**
 * Whether a resource policy allows the request in every context it may come with: the keys the
 * question fixes are what is known of the request; every other key the policy reads is tried absent,
 * with each value it names and with one it does not. A Deny that can apply, or an Allow whose
 * condition can fail, makes the answer no, with the context that shows it.
 */
export function allowedInEveryContext(policy: string, question: AllowQuestion): DenialAnswer {
  refuseVariables(policy);
  const all = statementsOf(policy);
  const fixed = Object.fromEntries(Object.entries(question.fixed).map(([k, v]) => [k.toLowerCase(), v]));
  const free: [string, (string | undefined)[]][] = [...conditionValues(all)]
    .filter(([key]) => !PRINCIPAL_KEYS.has(key) && !(key in fixed))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, named]) => [key, candidatesFor(named)]);
  const combinations = free.reduce((n, [, c]) => n * c.length, 1);
  if (combinations > MAX_CONTEXTS) throw new Error(`the policy's conditions read ${free.length} keys of the request that are not known: too many combinations to judge (${combinations} > ${MAX_CONTEXTS})`);
  let evaluated = 0;
  for (const context of contexts(free)) {
    evaluated += 1;
    const r = evaluatePolicy(policy, { principal: question.principal, action: question.action, resource: question.resource, context: { ...fixed, ...context } });
    if (r.deny || r.allow === 'none') {
      const ctx = Object.entries(context).map(([k, v]) => `${k}=${v}`);
      return { denied: true, evaluated, counterexample: `${question.action} on ${question.resource}${ctx.length ? ` with ${ctx.join(', ')}` : ''} is ${r.deny ? 'denied' : 'not allowed'}` };
    }
  }
  return { denied: false, evaluated };
}

export interface StarvationQuestion {
  /** The one principal whose requests must not be denied (a service role). */
  readonly principal: RequestPrincipal;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** What is known of the principal's requests; every other key a Deny reads is tried absent, named and unnamed. */
  readonly fixed: Readonly<Record<string, ContextValue>>;
}

export interface ApplicableDenial {
  /** The statement's Sid, or `Statement[<index>]` when it has none. */
  readonly statement: string;
  /** The request it denies, in words. */
  readonly request: string;
}

/**
 * The Deny statements of `policy` that can deny one known principal one of the requests, in some
 * context of the keys the question does not fix (the reverse of `deniedInEveryContext`: a Deny that may
 * apply to a service role starves it, whatever else the request carries). Each statement is evaluated
 * alone, so every one that can apply is named.
 */
export function denialsThatMayApply(policy: string, question: StarvationQuestion): ApplicableDenial[] {
  refuseVariables(policy);
  const fixed = Object.fromEntries(Object.entries(question.fixed).map(([k, v]) => [k.toLowerCase(), v]));
  const out: ApplicableDenial[] = [];
  statementsOf(policy).forEach((statement, index) => {
    if (statement.Effect !== 'Deny') return;
    const name = (statement as { Sid?: string }).Sid || `Statement[${index}]`;
    const free: [string, (string | undefined)[]][] = [...conditionValues([statement])]
      .filter(([key]) => !PRINCIPAL_KEYS.has(key) && !(key in fixed))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, named]) => [key, candidatesFor(named)]);
    const combinations = free.reduce((n, [, c]) => n * c.length, 1);
    if (combinations > MAX_CONTEXTS) throw new Error(`statement ${name} reads ${free.length} keys of the request that are not known: too many combinations to judge (${combinations} > ${MAX_CONTEXTS})`);
    const doc = { Version: '2012-10-17', Statement: [statement] } as unknown as Parameters<typeof evaluatePolicy>[0];
    for (const action of question.actions) {
      for (const resource of question.resources) {
        for (const context of contexts(free)) {
          if (!evaluatePolicy(doc, { principal: question.principal, action, resource, context: { ...fixed, ...context } }).deny) continue;
          const ctx = Object.entries(context).map(([k, v]) => `${k}=${v}`);
          out.push({ statement: name, request: `${action} on ${resource}${ctx.length ? ` with ${ctx.join(', ')}` : ''}` });
          return;
        }
      }
    }
  });
  return out;
}
