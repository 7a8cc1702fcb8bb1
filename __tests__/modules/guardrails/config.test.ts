/**
 * The `guardrails` config section: on by default, and never guessing the pipeline role. Every error
 * names the field, as the rest of the config does.
 */
import { readFileSync } from 'node:fs';
import { type ConfigError, parseConfig, parseConfigYaml } from '../../../config/load';
import { configProblems, EXAMPLE_CONFIG_FILE, exampleRaw } from '../../helpers';

const problems = configProblems;

test('the example turns guardrails on with a dedicated pipeline role and a break-glass role', () => {
  const config = parseConfig(exampleRaw());
  expect(config.guardrails).toEqual({
    enabled: true,
    pipelineRoleName: 'soc2-baseline-pipeline',
    breakGlassRoleName: 'soc2-baseline-break-glass',
    resourceControlPolicies: { enabled: true },
    centralizedRootAccess: { enabled: true },
  });
  expect(config.deployment.roleName).toBe('soc2-baseline-pipeline');
});

test('a config that says nothing about guardrails gets them, and must name the roles: the error names the fields', () => {
  expect(problems((r) => delete r.guardrails)).toEqual([
    'guardrails.pipelineRoleName: is required while guardrails are on (the default): name the dedicated role the pipeline uses in every account (the same as deployment.roleName; docs/guardrails.md says how to create it), or set guardrails.enabled: false',
    'guardrails.breakGlassRoleName: is required while guardrails are on (the default): name the emergency role whose every use raises an alarm, or set guardrails.enabled: false',
  ]);
});

test('the line of the section is reported from YAML', () => {
  const yaml = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');
  const broken = yaml.replace('  pipelineRoleName: soc2-baseline-pipeline', '  pipelineRoleName: OrganizationAccountAccessRole');
  try {
    parseConfigYaml(broken, 'org.yaml');
    throw new Error('expected a ConfigError');
  } catch (e) {
    const lines = (e as ConfigError).problems;
    expect(lines[0]).toMatch(/^guardrails\.pipelineRoleName: OrganizationAccountAccessRole is the default administrator role of every account: exempting it exempts every administrator\..* \(line \d+\)$/);
  }
});

test.each(['OrganizationAccountAccessRole', 'AWSControlTowerExecution', 'awscontroltowerexecution', 'ops/OrganizationAccountAccessRole'])(
  'the default admin role %s is refused as the pipeline role',
  (name) => {
    const lines = problems((r) => {
      r.deployment.roleName = name;
      r.guardrails.pipelineRoleName = name;
    });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^guardrails\\.pipelineRoleName: ${name.replace('/', '\\/')} is the default administrator role of every account`))]);
  },
);

test('...and as the break-glass role', () => {
  expect(problems((r) => (r.guardrails.breakGlassRoleName = 'OrganizationAccountAccessRole'))).toEqual([
    expect.stringMatching(/^guardrails\.breakGlassRoleName: OrganizationAccountAccessRole is the default administrator role/),
  ]);
});

test('...unless the choice is recorded with a reason', () => {
  const raw = exampleRaw();
  raw.deployment.roleName = 'OrganizationAccountAccessRole';
  raw.guardrails.pipelineRoleName = 'OrganizationAccountAccessRole';
  raw.guardrails.acceptDefaultAdminRole = { reason: 'Only the pipeline holds OrganizationAccountAccessRole here; people use SSO roles.' };
  expect(parseConfig(raw).guardrails.pipelineRoleName).toBe('OrganizationAccountAccessRole');
  raw.guardrails.acceptDefaultAdminRole = { reason: 'because' };
  expect(() => parseConfig(raw)).toThrow(/guardrails\.acceptDefaultAdminRole\.reason: must say why/);
});

test('an exception that excuses nothing is refused', () => {
  expect(problems((r) => (r.guardrails.acceptDefaultAdminRole = { reason: 'No default admin role is used here, but just in case.' }))).toEqual([
    'guardrails.acceptDefaultAdminRole: neither guardrails role is a default administrator role: remove this exception',
  ]);
});

test('the pipeline role must be the role the pipeline assumes, or the guardrails would deny its next apply', () => {
  expect(problems((r) => (r.guardrails.pipelineRoleName = 'some-other-role'))).toEqual([
    'guardrails.pipelineRoleName: must be the role the pipeline assumes in every account, deployment.roleName (soc2-baseline-pipeline): the guardrails exempt only this role, so any other would deny the pipeline its own next apply',
  ]);
});

test('the break-glass role is not the pipeline role (IAM names are case-insensitive)', () => {
  expect(problems((r) => (r.guardrails.breakGlassRoleName = 'SOC2-baseline-pipeline'))).toEqual([
    'guardrails.breakGlassRoleName: must differ from guardrails.pipelineRoleName: the break-glass alarm would fire on every pipeline run',
  ]);
});

test("a guardrails role is not named in the namespace of the baseline's own roles, which no StackSet may change (any case, any path)", () => {
  expect(problems((r) => (r.guardrails.breakGlassRoleName = 'ACME-SOC2-break-glass'))).toEqual([
    expect.stringMatching(/^guardrails\.breakGlassRoleName: ACME-SOC2-break-glass starts with organization\.namePrefix \(acme-soc2-\).*Name it outside the prefix$/),
  ]);
  expect(problems((r) => (r.guardrails.breakGlassRoleName = 'ops/acme-soc2-glass'))).toEqual([expect.stringMatching(/^guardrails\.breakGlassRoleName: ops\/acme-soc2-glass starts with/)]);
  // The healthy case: the example's names, and a name that merely contains the prefix.
  const raw = exampleRaw();
  raw.guardrails.breakGlassRoleName = 'break-glass-acme-soc2';
  expect(parseConfig(raw).guardrails.breakGlassRoleName).toBe('break-glass-acme-soc2');
});

test('role names: no wildcards, at most 64 characters', () => {
  expect(problems((r) => (r.guardrails.breakGlassRoleName = 'break-glass-*'))).toEqual([expect.stringMatching(/^guardrails\.breakGlassRoleName: must be an IAM role name/)]);
  expect(problems((r) => (r.guardrails.breakGlassRoleName = `ops/${'b'.repeat(61)}`))).toEqual([expect.stringMatching(/^guardrails\.breakGlassRoleName: must be at most 64 characters/)]);
});

test('targets: a root, OUs or accounts, not the management account, not twice, and the right root', () => {
  expect(problems((r) => (r.guardrails.targets = ['ou-ex01-workload1', 'ou-ex01-workload1']))).toEqual(['guardrails.targets[1]: ou-ex01-workload1 is listed twice']);
  expect(problems((r) => (r.guardrails.targets = ['111111111111']))).toEqual([
    'guardrails.targets[0]: is the management account, which SCPs never restrict (its key policies protect it instead)',
  ]);
  expect(problems((r) => (r.guardrails.targets = ['r-zz99']))).toEqual(['guardrails.targets[0]: is not the organization root (organization.rootId: r-ex01)']);
  expect(problems((r) => (r.guardrails.targets = ['Workloads']))).toEqual([expect.stringMatching(/^guardrails\.targets\[0\]: must be a root id/)]);
});

test('turned off explicitly, only the reason is asked (the control matrix reports it as an exception)', () => {
  const raw = exampleRaw();
  raw.guardrails = { enabled: false };
  raw.deployment.roleName = 'OrganizationAccountAccessRole';
  expect(() => parseConfig(raw)).toThrow(/guardrails\.enabled: false switches off the control guardrails\.service-control-policies/);
  raw.controlExceptions = [{ control: 'guardrails.service-control-policies', reason: 'an SCP administrator outside this pipeline owns guardrails' }];
  expect(parseConfig(raw).guardrails).toEqual({ enabled: false, resourceControlPolicies: { enabled: true }, centralizedRootAccess: { enabled: true } });
});

test('unknown keys are refused, as everywhere', () => {
  expect(problems((r) => (r.guardrails.exemptRoles = ['Admin']))).toEqual(['guardrails.exemptRoles: unknown key']);
});
