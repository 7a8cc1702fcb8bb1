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
const organization = Object.values(json.data.aws_organizations_organization)[0] as Record<string, any>;
const conditions = organization.lifecycle.postcondition as { condition: string; error_message: string }[];

test('the organization read with the management provider must be the configured one, with its root', () => {
  expect(organization.provider).toBe('aws.management');
  expect(conditions[0]).toEqual({
    condition: '${self.id == "o-exampleorg01"}',
    error_message: expect.stringContaining('organization.id o-exampleorg01'),
  });
  expect(conditions[1].condition).toBe('${contains(self.roots[*].id, "r-ex01")}');
});

test('trusted access is required for CloudTrail and the Organizations-delegated services, each named in its error', () => {
  const principals = conditions.slice(2).map((c) => /"([^"]+)"\)\}$/.exec(c.condition)![1]);
  expect(principals).toEqual(['cloudtrail.amazonaws.com', 'config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com', 'access-analyzer.amazonaws.com']);
  for (const c of conditions.slice(2)) {
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

test("a reader in another governed account gets that account's provider; one outside the org is warned about", () => {
  const config = configWith((raw) => {
    raw.logArchive.readerRoleArns = ['arn:aws:iam::444444444444:role/siem/Reader', 'arn:aws:iam::999999999999:role/External'];
  });
  const custom = synthStack(config, 'management') as Record<string, any>;
  const roles = Object.values(custom.data.aws_iam_role) as Record<string, any>[];
  expect(roles.map((r) => [r.provider, r.name])).toEqual([['aws.reader_444444444444', 'Reader']]);
  expect(custom.provider.aws.find((p: Record<string, any>) => p.alias === 'reader_444444444444').allowed_account_ids).toEqual(['444444444444']);
  expect(configWarnings(config)).toContainEqual(expect.stringContaining('arn:aws:iam::999999999999:role/External is in account 999999999999'));
});
