import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allStackNames } from '../../config/naming';
import { ConfigError } from '../../config/load';
import { exampleConfig, configWith, synthStack, type Synth } from '../helpers';

function providers(json: Synth): any[] {
  return json.provider?.aws ?? [];
}

/** The stack's `deployment_role_name` variable block. */
function roleVariable(json: Synth): Record<string, any> {
  return (json as Synth & { variable?: Record<string, Record<string, any>> }).variable?.deployment_role_name as Record<string, any>;
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
  'aws_organizations_organizational_unit_descendant_organizational_units',
  'aws_s3_account_public_access_block',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_service_linked_role',
  'aws_organizations_delegated_administrator',
  'aws_organizations_policy',
  'aws_organizations_policy_attachment',
  // Each provider's identity check (modules/providers/account-provider.ts): the data source takes no
  // `region` argument (its binding, @cdktf/provider-aws lib/data-aws-caller-identity/index.d.ts, has `id` only).
  'aws_caller_identity',
  // Organizations and IAM too: the guardrails' quota read (policy-quota.ts) and centralized root access (root-access.ts).
  'aws_organizations_policies_for_target',
  'aws_iam_organizations_features',
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
      { role_arn: 'arn:aws:iam::222222222222:role/${var.deployment_role_name}', session_name: 'soc2-baseline' },
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
        assume_role: [{ role_arn: 'arn:aws:iam::444444444444:role/${var.deployment_role_name}', session_name: 'soc2-baseline' }],
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
        assume_role: [{ role_arn: 'arn:aws:iam::333333333333:role/${var.deployment_role_name}', session_name: 'soc2-baseline' }],
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
      // Each provider's caller-identity check (account-provider.ts) is on its own provider: counted below.
      if (type === 'aws_caller_identity') continue;
      expect([type, r.provider]).toEqual([type, type.startsWith('aws_macie2_') ? 'aws.audit' : 'aws']);
    }
    expect(allResources(json).filter(([type]) => type === 'aws_caller_identity').map(([, r]) => r.provider).sort()).toEqual(['aws', 'aws.audit']);
    // The audit account's own stack manages no membership of its own: one provider.
    expect(providers(synthStack(exampleConfig(), 'member-333333333333'))).toHaveLength(1);
  });

  test('assume the configured role, with the external id, everywhere but the pipeline account', () => {
    const config = configWith((raw) => {
      raw.deployment = { roleName: 'BaselineDeployer', externalId: 'pipeline-42' };
      raw.guardrails.pipelineRoleName = 'BaselineDeployer'; // the guardrails exempt the role the pipeline uses
    });
    const json = synthStack(config, 'member-111111111111');
    expect(roleVariable(json).default).toBe('BaselineDeployer');
    expect(providers(json)[0].assume_role).toEqual([
      { role_arn: 'arn:aws:iam::111111111111:role/${var.deployment_role_name}', session_name: 'soc2-baseline', external_id: 'pipeline-42' },
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

describe('the role the providers assume: the deployment_role_name variable', () => {
  const PLAN_ROLE = 'soc2-baseline-plan';
  const withPlanRole = configWith((raw) => (raw.deployment.planRoleName = PLAN_ROLE));
  const stacks = allStackNames(withPlanRole).map((name) => [name, synthStack(withPlanRole, name)] as const);

  test('every stack declares it: a string, default deployment.roleName, validated against the pipeline and plan roles', () => {
    expect(stacks.map(([name]) => name)).toEqual(['management', 'member-111111111111', 'member-222222222222', 'member-333333333333', 'member-444444444444', 'member-555555555555']);
    for (const [name, json] of stacks) {
      const v = roleVariable(json);
      expect({ name, type: v.type, nullable: v.nullable, default: v.default, validation: v.validation }).toEqual({
        name,
        type: 'string',
        nullable: false,
        default: 'soc2-baseline-pipeline',
        validation: [
          {
            condition: '${contains(["soc2-baseline-pipeline","soc2-baseline-plan"], var.deployment_role_name)}',
            error_message:
              'The variable deployment_role_name must be deployment.roleName (soc2-baseline-pipeline) or deployment.planRoleName (soc2-baseline-plan): the providers assume no other role.',
          },
        ],
      });
    }
  });

  test('without deployment.planRoleName it accepts deployment.roleName only', () => {
    const withoutPlanRole = configWith((raw) => delete raw.deployment.planRoleName);
    expect(roleVariable(synthStack(withoutPlanRole, 'member-444444444444')).validation).toEqual([
      {
        condition: '${contains(["soc2-baseline-pipeline"], var.deployment_role_name)}',
        error_message:
          'The variable deployment_role_name must be deployment.roleName (soc2-baseline-pipeline): the config names no deployment.planRoleName, so the providers assume no other role.',
      },
    ]);
  });

  test("every provider of every stack that assumes a role takes the role's name from it, in its own account", () => {
    let assuming = 0;
    for (const [name, json] of stacks) {
      for (const p of providers(json)) {
        // The example pipeline runs as the management account (deployment.pipelineAccountId): no role there.
        if (p.allowed_account_ids[0] === '111111111111') {
          expect({ name, assume_role: p.assume_role }).toEqual({ name, assume_role: undefined });
          continue;
        }
        assuming++;
        expect({ name, alias: p.alias, role_arn: p.assume_role[0].role_arn }).toEqual({
          name,
          alias: p.alias,
          role_arn: `arn:aws:iam::${p.allowed_account_ids[0]}:role/\${var.deployment_role_name}`,
        });
      }
    }
    // management: log_archive and audit (2); member-111111111111: audit (1); member-333333333333, the
    // audit account's own: its own (1); the other three members: their own and audit (6).
    expect(assuming).toBe(2 + 1 + 1 + 6);
  });

  test('nothing else names the variable: the guardrail exemptions and policies keep the role names themselves', () => {
    for (const [name, json] of stacks) {
      const { provider, variable, ...rest } = json as Synth & { variable?: unknown };
      // The providers' caller-identity checks compare the credentials with the variable (account-provider.ts): they must name it.
      const { aws_caller_identity: callerIdentity, ...otherData } = (rest.data ?? {}) as Record<string, unknown>;
      expect({ name, checks: callerIdentity !== undefined && JSON.stringify(callerIdentity).includes('var.deployment_role_name') }).toEqual({ name, checks: true });
      const checked = { ...rest, data: otherData };
      expect({ name, mentions: JSON.stringify(checked).includes('deployment_role_name') }).toEqual({ name, mentions: false });
      expect(provider && variable).toBeTruthy();
    }
  });

  // Terraform >= 1.10 is a prerequisite (README); where it is installed, let it judge the variable itself.
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
  (terraform ? test : test.skip)('Terraform accepts the two role names, from TF_VAR_deployment_role_name, and refuses any other', () => {
    const dir = mkdtempSync(join(tmpdir(), 'role-variable-'));
    try {
      // The stack's variable block alone, with an output to show the value: no provider, nothing to download.
      const variable = (stacks[0][1] as Synth & { variable: unknown }).variable;
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ variable, output: { role: { value: '${var.deployment_role_name}' } } }));
      const run = (value: string | undefined) => {
        const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
        delete env.TF_VAR_deployment_role_name;
        if (value !== undefined) env.TF_VAR_deployment_role_name = value;
        return spawnSync('terraform', [`-chdir=${dir}`, 'plan', '-input=false', '-no-color', '-lock=false'], { encoding: 'utf8', env });
      };
      expect(spawnSync('terraform', [`-chdir=${dir}`, 'init', '-input=false', '-no-color'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } }).status).toBe(0);
      const unset = run(undefined);
      expect(unset.status).toBe(0);
      expect(unset.stdout).toContain('role = "soc2-baseline-pipeline"');
      const plan = run(PLAN_ROLE);
      expect(plan.status).toBe(0);
      expect(plan.stdout).toContain('role = "soc2-baseline-plan"');
      const other = run('OrganizationAccountAccessRole');
      expect(other.status).toBe(1);
      expect(other.stderr.replace(/\s+/g, ' ')).toContain('The variable deployment_role_name must be deployment.roleName (soc2-baseline-pipeline) or deployment.planRoleName (soc2-baseline-plan)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deployment.planRoleName', () => {
  function problems(edit: (raw: Record<string, any>) => void): string[] {
    try {
      configWith(edit);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return [...(e as ConfigError).problems];
    }
    throw new Error('expected the config to be rejected');
  }

  test('is optional', () => {
    expect(configWith((raw) => delete raw.deployment.planRoleName).deployment.planRoleName).toBeUndefined();
    expect(configWith((raw) => (raw.deployment.planRoleName = 'ops/soc2-baseline-plan')).deployment.planRoleName).toBe('ops/soc2-baseline-plan');
  });

  test.each([
    ['deployment.roleName', 'soc2-baseline-pipeline', 'plans of unmerged code would run with the role that applies'],
    ['deployment.roleName', 'SOC2-Baseline-Pipeline', 'plans of unmerged code would run with the role that applies'],
    ['deployment.roleName', 'ci/soc2-baseline-pipeline', 'plans of unmerged code would run with the role that applies'],
    ['guardrails.breakGlassRoleName', 'soc2-baseline-break-glass', 'the guardrails exempt that role, and every use of it raises the break-glass alarm'],
  ])('is refused when it is %s (%s), naming the field', (field, name, why) => {
    const existing = field === 'deployment.roleName' ? 'soc2-baseline-pipeline' : 'soc2-baseline-break-glass';
    expect(problems((raw) => (raw.deployment.planRoleName = name))).toEqual([
      `deployment.planRoleName: must differ from ${field} (${existing}; IAM role names are unique regardless of case and path): ${why}. Name a separate read-only role (docs/guardrails.md, "Creating the pipeline role and the break-glass role")`,
    ]);
  });

  test('is refused when it is guardrails.pipelineRoleName, even where that is not deployment.roleName', () => {
    const refused = problems((raw) => {
      raw.guardrails.pipelineRoleName = 'deployer';
      raw.deployment.planRoleName = 'deployer';
    });
    expect(refused).toContain(
      'deployment.planRoleName: must differ from guardrails.pipelineRoleName (deployer; IAM role names are unique regardless of case and path): the guardrails exempt that role. Name a separate read-only role (docs/guardrails.md, "Creating the pipeline role and the break-glass role")',
    );
  });

  test.each(['OrganizationAccountAccessRole', 'AWSControlTowerExecution'])('is refused when it is the default administrator role %s', (name) => {
    expect(problems((raw) => (raw.deployment.planRoleName = name))).toEqual([
      `deployment.planRoleName: ${name} is the default administrator role of every account, not a read-only role: name a separate read-only role (docs/guardrails.md, "Creating the pipeline role and the break-glass role")`,
    ]);
  });

  test('is refused when it is no IAM role name', () => {
    expect(problems((raw) => (raw.deployment.planRoleName = 'plan role*'))).toEqual(['deployment.planRoleName: must be an IAM role name (letters, digits and +=,.@_-/)']);
  });
});
