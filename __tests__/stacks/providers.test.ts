import { exampleConfig, configWith, synthStack, type Synth } from '../helpers';

function providers(json: Synth): any[] {
  return json.provider?.aws ?? [];
}

/** Every resource and data source, with its type. */
function allResources(json: Synth): [string, Record<string, any>][] {
  const out: [string, Record<string, any>][] = [];
  for (const kind of [json.resource ?? {}, json.data ?? {}]) {
    for (const [type, byId] of Object.entries(kind)) {
      for (const attrs of Object.values(byId)) out.push([type, attrs]);
    }
  }
  return out;
}

// IAM and Organizations are global: their resources take no `region` (provider 6, Enhanced Region
// Support guide, "Global services"); so is account-level S3 Block Public Access.
const GLOBAL_TYPES = new Set([
  'aws_organizations_organization',
  'aws_s3_account_public_access_block',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_service_linked_role',
  'aws_organizations_delegated_administrator',
  'aws_organizations_policy',
  'aws_organizations_policy_attachment',
]);

describe('the management stack', () => {
  const json = synthStack(exampleConfig(), 'management');

  test('has one provider per account it touches, pinned and tagged, none per Region', () => {
    const list = providers(json);
    expect(list.map((p) => p.alias).sort()).toEqual(['audit', 'log_archive', 'management']);
    const management = list.find((p) => p.alias === 'management');
    const logArchive = list.find((p) => p.alias === 'log_archive');
    expect(management.allowed_account_ids).toEqual(['111111111111']);
    expect(logArchive.allowed_account_ids).toEqual(['222222222222']);
    expect(list.find((p) => p.alias === 'audit').allowed_account_ids).toEqual(['333333333333']);
    for (const p of list) expect(p.region).toBe('us-east-1');
    // The example pipeline runs as the management account: no role to assume there.
    expect(management.assume_role).toBeUndefined();
    expect(logArchive.assume_role).toEqual([
      { role_arn: 'arn:aws:iam::222222222222:role/soc2-baseline-pipeline', session_name: 'soc2-baseline' },
    ]);
    expect(logArchive.default_tags).toEqual([
      {
        tags: {
          'cost-center': 'security',
          'data-classification': 'confidential',
          'soc2-baseline:managed-by': 'soc2-logging-baseline',
          'soc2-baseline:stack': 'management',
        },
      },
    ]);
  });

  test('every resource names its provider, and every regional resource its Region', () => {
    for (const [type, r] of allResources(json)) {
      expect(['aws.management', 'aws.log_archive', 'aws.audit']).toContain(r.provider);
      if (GLOBAL_TYPES.has(type)) continue;
      expect(['us-east-1', 'us-west-2', 'eu-west-1']).toContain(r.region);
      // The log archive lives in the home Region only.
      if (r.provider === 'aws.log_archive') expect(r.region).toBe('us-east-1');
    }
  });

  test('log-archive resources use the log-archive provider, the trail the management one', () => {
    for (const [, r] of Object.entries(json.resource!.aws_s3_bucket)) expect(r.provider).toBe('aws.log_archive');
    for (const [, r] of Object.entries(json.resource!.aws_cloudtrail)) expect(r.provider).toBe('aws.management');
  });
});

describe('member stacks', () => {
  test("have their account's provider, with the member tags, and the audit account's for the Macie membership only", () => {
    const json = synthStack(exampleConfig(), 'member-444444444444');
    expect(providers(json)).toEqual([
      {
        region: 'us-east-1',
        allowed_account_ids: ['444444444444'],
        assume_role: [{ role_arn: 'arn:aws:iam::444444444444:role/soc2-baseline-pipeline', session_name: 'soc2-baseline' }],
        default_tags: [
          {
            tags: {
              'cost-center': 'security',
              'data-classification': 'confidential',
              environment: 'production',
              'soc2-baseline:account-name': 'workloads-prod',
              'soc2-baseline:managed-by': 'soc2-logging-baseline',
              'soc2-baseline:stack': 'member-444444444444',
            },
          },
        ],
      },
      {
        alias: 'audit',
        region: 'us-east-1',
        allowed_account_ids: ['333333333333'],
        assume_role: [{ role_arn: 'arn:aws:iam::333333333333:role/soc2-baseline-pipeline', session_name: 'soc2-baseline' }],
        default_tags: [
          {
            tags: {
              'cost-center': 'security',
              'data-classification': 'confidential',
              'soc2-baseline:managed-by': 'soc2-logging-baseline',
              'soc2-baseline:stack': 'member-444444444444',
            },
          },
        ],
      },
    ]);
    for (const [type, r] of allResources(json)) {
      expect([type, r.provider]).toEqual([type, type.startsWith('aws_macie2_') ? 'aws.audit' : 'aws']);
    }
    // The audit account's own stack manages no membership of its own: one provider.
    expect(providers(synthStack(exampleConfig(), 'member-333333333333'))).toHaveLength(1);
  });

  test('assume the configured role, with the external id, everywhere but the pipeline account', () => {
    const config = configWith((raw) => {
      raw.deployment = { roleName: 'BaselineDeployer', externalId: 'pipeline-42' };
      raw.guardrails.pipelineRoleName = 'BaselineDeployer'; // the guardrails exempt the role the pipeline uses
    });
    const json = synthStack(config, 'member-111111111111');
    expect(providers(json)[0].assume_role).toEqual([
      { role_arn: 'arn:aws:iam::111111111111:role/BaselineDeployer', session_name: 'soc2-baseline', external_id: 'pipeline-42' },
    ]);
  });
});

describe('state', () => {
  test('declares no S3 backend by default (cdktf then writes local state; see app.test.ts)', () => {
    const json = synthStack(exampleConfig(), 'management');
    expect(json.terraform?.backend?.s3).toBeUndefined();
  });

  test('uses S3 with one key per stack and S3-native locking when the config asks', () => {
    const config = configWith((raw) => {
      raw.state = { backend: 's3', bucket: 'acme-tf-state', region: 'eu-west-1', keyPrefix: 'landing-zone/soc2' };
    });
    const management = synthStack(config, 'management').terraform!.backend;
    const member = synthStack(config, 'member-555555555555').terraform!.backend;
    expect(management).toEqual({
      s3: {
        bucket: 'acme-tf-state',
        key: 'landing-zone/soc2/management.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(member.s3.key).toBe('landing-zone/soc2/member-555555555555.tfstate');
    expect(member.s3.use_lockfile).toBe(true);
    expect(member.s3.dynamodb_table).toBeUndefined();
  });

  test('passes the state key and role when given', () => {
    const config = configWith((raw) => {
      raw.state = {
        backend: 's3',
        bucket: 'acme-tf-state',
        region: 'eu-west-1',
        kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
        roleArn: 'arn:aws:iam::111111111111:role/state',
      };
    });
    const s3 = synthStack(config, 'management').terraform!.backend.s3;
    expect(s3.key).toBe('soc2-baseline/management.tfstate');
    expect(s3.kms_key_id).toBe('arn:aws:kms:eu-west-1:111111111111:key/abc');
    expect(s3.assume_role).toEqual({ role_arn: 'arn:aws:iam::111111111111:role/state' });
  });
});
