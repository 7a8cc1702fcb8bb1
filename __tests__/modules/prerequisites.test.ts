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
import { configWith, exampleConfig, synthStack } from '../helpers';

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
  const principals = conditions.slice(3).map((c) => /"([^"]+)"\)\}$/.exec(c.condition)![1]);
  expect(principals).toEqual(['cloudtrail.amazonaws.com', 'config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com', 'access-analyzer.amazonaws.com']);
  for (const c of conditions.slice(3)) {
    expect(c.condition).toMatch(/^\$\{contains\(self\.aws_service_access_principals, "[a-z.-]+"\)\}$/);
    expect(c.error_message).toContain('aws organizations enable-aws-service-access --service-principal');
  }
  const ctTrail = synthStack(configWith((raw) => (raw.controlTower = { enabled: true, organizationTrail: 'control-tower' })), 'management') as Record<string, any>;
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
  });
  const custom = synthStack(config, 'management') as Record<string, any>;
  const roles = Object.values(custom.data.aws_iam_role) as Record<string, any>[];
  expect(roles.map((r) => [r.provider, r.name])).toEqual([['aws.log_archive', 'Reader']]);
  expect(custom.provider.aws.map((p: Record<string, any>) => p.alias).sort()).toEqual(['audit', 'log_archive', 'management']);
  expect(configWarnings(config)).toEqual([expect.stringContaining('arn:aws:iam::444444444444:role/Other is outside the management, log-archive and audit accounts')]);
});
