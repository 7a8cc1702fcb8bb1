/**
 * Prerequisites that would make an apply fail half-way are checked at plan time, by data sources
 * whose postconditions name what is missing.
 * - Trusted access: CloudTrail organization trails made through the API, and Organizations'
 *   RegisterDelegatedAdministrator (config, config-multiaccountsetup, access-analyzer), need it
 *   (CloudTrail User Guide, "Prepare for creating a trail for your organization"; Organizations API
 *   reference, RegisterDelegatedAdministrator).
 * - Reader roles: S3 and KMS refuse a policy naming a principal that does not exist (IAM User Guide,
 *   "AWS JSON policy elements: Principal").
 */
import { configWarnings } from '../../config/warnings';
import { configWith, exampleConfig, synthStack, withoutInvestigations } from '../helpers';

const json = synthStack(exampleConfig(), 'management') as Record<string, any>;
// The prerequisites' read of the organization (the guardrails read it too, for the SCP policy type).
const organization = Object.entries(json.data.aws_organizations_organization).find(([id]) => id.startsWith('prerequisites'))![1] as Record<string, any>;
const conditions = organization.lifecycle.postcondition as { condition: string; error_message: string }[];

test('the organization read with the management provider must have all features, be the configured one, with its root', () => {
  expect(organization.provider).toBe('aws.management');
  // organization_data_source.go fills aws_service_access_principals only when FeatureSet is ALL.
  expect(conditions[0]).toEqual({ condition: '${self.feature_set == "ALL"}', error_message: expect.stringContaining('all features') });
  expect(conditions[1]).toEqual({
    condition: '${self.id == "o-exampleorg01"}',
    error_message: expect.stringContaining('organization.id o-exampleorg01'),
  });
  expect(conditions[2].condition).toBe('${contains(self.roots[*].id, "r-ex01")}');
});

test('trusted access is required for CloudTrail and the Organizations-delegated services, each named in its error', () => {
  const trusted = conditions.filter((c) => c.condition.includes('aws_service_access_principals'));
  expect(trusted).toEqual(conditions.slice(3, 3 + trusted.length));
  const principals = trusted.map((c) => /"([^"]+)"\)\}$/.exec(c.condition)![1]);
  expect(principals).toEqual(['cloudtrail.amazonaws.com', 'config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com', 'access-analyzer.amazonaws.com', 'iam.amazonaws.com']);
  for (const c of trusted) {
    expect(c.condition).toMatch(/^\$\{contains\(self\.aws_service_access_principals, "[a-z.-]+"\)\}$/);
    expect(c.error_message).toContain('aws organizations enable-aws-service-access --service-principal');
  }
  const ctTrail = synthStack(configWith((raw) => { raw.controlTower = { enabled: true, organizationTrail: 'control-tower' }; withoutInvestigations(raw); }), 'management') as Record<string, any>;
  const ctConditions = (Object.values(ctTrail.data.aws_organizations_organization)[0] as Record<string, any>).lifecycle.postcondition;
  expect(JSON.stringify(ctConditions)).not.toContain('cloudtrail.amazonaws.com');
});

test('every reader role in a governed account is looked up in its account before the policies naming it', () => {
  const roles = Object.values(json.data.aws_iam_role) as Record<string, any>[];
  expect(roles).toEqual([
    {
      provider: 'aws.audit',
      name: 'SecurityLogReader',
      lifecycle: {
        postcondition: [
          {
            condition: '${self.arn == "arn:aws:iam::333333333333:role/SecurityLogReader"}',
            error_message: expect.stringContaining('logArchive.readerRoleArns: arn:aws:iam::333333333333:role/SecurityLogReader does not exist'),
          },
        ],
      },
    },
  ]);
});

test('a reader outside the core accounts is not looked up (management never reads the member list), and synth warns', () => {
  const config = configWith((raw) => {
    raw.logArchive.readerRoleArns = ['arn:aws:iam::222222222222:role/siem/Reader', 'arn:aws:iam::444444444444:role/Other'];
    withoutInvestigations(raw);
  });
  const custom = synthStack(config, 'management') as Record<string, any>;
  const roles = Object.values(custom.data.aws_iam_role) as Record<string, any>[];
  expect(roles.map((r) => [r.provider, r.name])).toEqual([['aws.log_archive', 'Reader']]);
  expect(custom.provider.aws.map((p: Record<string, any>) => p.alias).sort()).toEqual(['audit', 'log_archive', 'management']);
  expect(configWarnings(config)).toEqual([expect.stringContaining('arn:aws:iam::444444444444:role/Other is outside the management, log-archive and audit accounts')]);
});

describe('the organization is read once (issue 25, item 12)', () => {
  // organization_data_source.go (hashicorp/terraform-provider-aws) pages through ListAccounts on every
  // read: two reads listed every account twice per plan. Provider 6.25 has no argument to skip it.
  test('one aws_organizations_organization in management, carrying every check, the guardrails included', () => {
    const reads = Object.entries(json.data.aws_organizations_organization);
    expect(reads.map(([id]) => id)).toEqual([expect.stringMatching(/^prerequisites_organization_/)]);
    expect(conditions.map((c) => c.condition)).toEqual(
      expect.arrayContaining([expect.stringContaining('"SERVICE_CONTROL_POLICY"'), expect.stringContaining('self.aws_service_access_principals')]),
    );
    // The SCPs wait for that read, so a missing policy type stops the plan before any policy is created.
    for (const policy of Object.values(json.resource.aws_organizations_policy) as Record<string, any>[]) {
      expect(policy.depends_on).toEqual([`data.aws_organizations_organization.${reads[0][0]}`]);
    }
  });

  test('without guardrails, the one read does not check the SCP policy type', () => {
    const off = synthStack(
      configWith((raw) => {
        raw.guardrails = { enabled: false };
        raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 'guardrails.service-control-policies', reason: 'this test turns guardrails off' }];
      }),
      'management',
    ) as Record<string, any>;
    const reads = Object.values(off.data.aws_organizations_organization) as Record<string, any>[];
    expect(reads).toHaveLength(1);
    expect(JSON.stringify(reads[0])).not.toContain('SERVICE_CONTROL_POLICY');
  });

  test('no member stack reads the organization', () => {
    const member = synthStack(exampleConfig(), 'member-444444444444') as Record<string, any>;
    expect(member.data?.aws_organizations_organization).toBeUndefined();
  });
});

describe('every OU the accounts name exists, checked at plan time by one read of the OUs', () => {
  const ouRead = (j: Record<string, any>) =>
    Object.values(j.data.aws_organizations_organizational_unit_descendant_organizational_units ?? {}) as Record<string, any>[];

  test('one read of every OU under the root, one condition per OU the config names (paths by their names)', () => {
    const reads = ouRead(json);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ provider: 'aws.management', parent_id: 'r-ex01' });
    const checks = reads[0].lifecycle.postcondition as { condition: string; error_message: string }[];
    // The example names Root, Security, Workloads/Prod and Workloads/NonProd; the root is checked with the organization.
    expect(checks.map((c) => c.condition)).toEqual([
      '${alltrue([for name in ["Security"] : contains(self.children[*].name, name)])}',
      '${alltrue([for name in ["Workloads", "NonProd"] : contains(self.children[*].name, name)])}',
      '${alltrue([for name in ["Workloads", "Prod"] : contains(self.children[*].name, name)])}',
    ]);
    expect(checks[2].error_message).toBe(
      'The organization has no OU named ${join(", ", [for name in ["Workloads", "Prod"] : name if !contains(self.children[*].name, name)])}, of the OU path Workloads/Prod that members[].ou names (bin/baseline list shows which accounts): correct the path, or create the OU (only the names are checked, not how they nest).',
    );
  });

  test('an OU id is looked up by id; accounts in the root only need no OU read', () => {
    const byId = synthStack(configWith((raw) => (raw.members[3].ou = 'ou-ex01-prod1234')), 'management') as Record<string, any>;
    const checks = ouRead(byId)[0].lifecycle.postcondition as { condition: string; error_message: string }[];
    expect(checks).toContainEqual({
      condition: '${contains(self.children[*].id, "ou-ex01-prod1234")}',
      error_message: expect.stringMatching(/^The organization has no OU ou-ex01-prod1234, which members\[\]\.ou names \(bin\/baseline list shows which accounts\)/),
    });
    const rootOnly = synthStack(configWith((raw) => raw.members.forEach((m: Record<string, any>) => (m.ou = 'Root'))), 'management') as Record<string, any>;
    expect(ouRead(rootOnly)).toEqual([]);
  });

  test('an account joining an OU already named changes nothing; a new OU adds one condition', () => {
    const joined = synthStack(
      configWith((raw) => raw.members.push({ id: '666666666666', name: 'another', email: 'another@example.com', ou: 'Workloads/Prod' })),
      'management',
    );
    expect(JSON.stringify(joined)).toBe(JSON.stringify(json));
    const newOu = synthStack(
      configWith((raw) => raw.members.push({ id: '666666666666', name: 'another', email: 'another@example.com', ou: 'Sandbox' })),
      'management',
    ) as Record<string, any>;
    expect(ouRead(newOu)[0].lifecycle.postcondition).toHaveLength(4);
  });
});
