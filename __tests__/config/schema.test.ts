import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig, parseConfigYaml } from '../../config/load';
import { configProblems, EXAMPLE_CONFIG_FILE, exampleRaw } from '../helpers';

const problems = configProblems;

function yamlProblems(text: string): string[] {
  try {
    parseConfigYaml(text, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
}

describe('the example org config', () => {
  test('is valid and fills the documented defaults', () => {
    const raw = exampleRaw();
    delete raw.retention;
    delete raw.deployment;
    delete raw.state;
    raw.guardrails = { enabled: false }; // on, they need deployment.roleName as their pipeline role (guardrails tests)
    raw.controlExceptions = [{ control: 'guardrails.service-control-policies', reason: 'this test checks the other defaults' }];
    const config = parseConfig(raw);
    expect(config.retention).toEqual({
      logArchiveDays: 365,
      transitionToColdStorageDays: 90,
      cloudWatchLogsDays: 365,
      objectLockMode: 'GOVERNANCE',
    });
    // The provider constraint stays exactly what the bindings were generated for, unless widened.
    expect(config.deployment).toEqual({ roleName: 'OrganizationAccountAccessRole', sessionName: 'soc2-baseline', awsProviderVersion: '6.25.0' });
    expect(config.state).toEqual({ backend: 'local' });
  });

  test('parses from the shipped YAML file', () => {
    const config = parseConfigYaml(readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'));
    expect(config.members.map((m) => m.id)).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
  });
});

describe('config errors name the field path, one line per problem', () => {
  test('an account id that is not 12 digits', () => {
    expect(problems((r) => (r.members[3].id = '12345'))).toEqual([
      'members[3].id: must be a 12-digit account id, quoted (e.g. "111111111111")',
    ]);
  });

  test('an unquoted account id (YAML reads a number) is explained', () => {
    expect(problems((r) => (r.members[4].id = 555555555555))).toEqual([
      'members[4].id: must be a 12-digit account id, quoted (e.g. "111111111111")',
    ]);
  });

  test('a duplicate account id', () => {
    expect(problems((r) => (r.members[4].id = '444444444444'))).toEqual([
      'members[4].id: duplicate account id 444444444444 (also members[3])',
    ]);
  });

  test('a home Region outside the governed list', () => {
    expect(problems((r) => (r.regions.home = 'ap-southeast-2'))).toEqual([
      'regions.home: ap-southeast-2 is not in regions.governed',
    ]);
  });

  test('a member Region outside the governed list', () => {
    expect(problems((r) => (r.members[4].regions = ['us-east-1', 'sa-east-1']))).toEqual([
      'members[4].regions[1]: sa-east-1 is not in regions.governed',
    ]);
  });

  test('a member Region subset without the home Region', () => {
    expect(problems((r) => (r.members[4].regions = ['us-west-2']))).toEqual([
      'members[4].regions: must include the home Region us-east-1 (global resources are recorded there)',
    ]);
  });

  test('a malformed Region code', () => {
    expect(problems((r) => (r.regions.governed = ['us-east-1', 'US East']))).toEqual([
      'regions.governed[1]: must be an AWS Region code such as "us-east-1"',
    ]);
  });

  test('a Region listed twice', () => {
    expect(problems((r) => r.regions.governed.push('us-west-2'))).toEqual([
      'regions.governed[3]: us-west-2 is listed twice',
    ]);
  });

  test('an unknown key, at the top level and nested', () => {
    expect(
      problems((r) => {
        r.trial = true;
        r.members[2].owner = 'secops';
      }),
    ).toEqual(['members[2].owner: unknown key', 'trial: unknown key']);
  });

  test('a missing required field', () => {
    expect(problems((r) => delete r.organization.auditAccountId)).toEqual(['organization.auditAccountId: is required']);
    expect(problems((r) => delete r.members)).toEqual(['members: is required']);
  });

  test('retention below the 90-day SOC 2 minimum', () => {
    expect(problems((r) => (r.retention.logArchiveDays = 30))).toEqual([
      'retention.logArchiveDays: must be at least 90 days (SOC 2 evidence window)',
    ]);
  });

  test('a CloudWatch Logs retention CloudWatch does not accept', () => {
    expect(problems((r) => (r.retention.cloudWatchLogsDays = 100))).toEqual([
      'retention.cloudWatchLogsDays: must be one of 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ]);
  });

  test('cold-storage transition at or after expiry', () => {
    expect(problems((r) => (r.retention.transitionToColdStorageDays = 365))).toEqual([
      'retention.transitionToColdStorageDays: must be less than retention.logArchiveDays (365)',
    ]);
  });

  test('an unknown Object Lock mode', () => {
    const lines = problems((r) => (r.retention.objectLockMode = 'LEGAL_HOLD'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^retention\.objectLockMode: .*"GOVERNANCE"\|"COMPLIANCE"/);
  });

  test('a core account that is not listed in members', () => {
    expect(problems((r) => r.members.splice(2, 1))).toEqual([
      'organization.auditAccountId: 333333333333 is not listed in members (every account, the audit account included, gets the member baseline)',
    ]);
  });

  test('core accounts that are not separate', () => {
    expect(problems((r) => (r.organization.auditAccountId = '111111111111'))).toEqual([
      'organization.auditAccountId: must not be the management account (delegated administration needs a separate account)',
    ]);
    expect(problems((r) => (r.organization.logArchiveAccountId = '111111111111'))).toEqual([
      'organization.logArchiveAccountId: must be a dedicated account, not the management account',
    ]);
  });

  test('an S3 state backend without its bucket, and an unknown backend', () => {
    expect(problems((r) => (r.state = { backend: 's3', region: 'us-east-1' }))).toEqual(['state.bucket: is required']);
    const lines = problems((r) => (r.state = { backend: 'consul' }));
    expect(lines).toEqual(['state.backend: backend must be "local" or "s3"']);
  });

  test('a name prefix that would make invalid or too long bucket names', () => {
    expect(problems((r) => (r.organization.namePrefix = 'Acme_SOC2'))).toEqual([
      'organization.namePrefix: must be 3-20 characters of lowercase letters, digits and hyphens, starting with a letter',
    ]);
    expect(problems((r) => (r.organization.namePrefix = 'a-very-long-company-prefix'))).toHaveLength(1);
  });

  test('a data-event selector that would cover a log-archive bucket', () => {
    expect(
      problems((r) => (r.trail.dataEvents.s3 = ['arn:aws:s3:::acme-soc2-cloudtrail-222222222222-us-east-1/AWSLogs/'])),
    ).toEqual([
      'trail.dataEvents.s3[0]: acme-soc2-cloudtrail-222222222222-us-east-1 is a log-archive bucket: its data events would loop (every delivery logs a new event)',
    ]);
  });

  test('an all-buckets or wildcard S3 data-event ARN (it would cover the log archive)', () => {
    const message = 'must be an S3 bucket ARN (arn:aws:s3:::<bucket>, optionally /<prefix>), without wildcards';
    expect(problems((r) => (r.trail.dataEvents.s3 = ['arn:aws:s3:::']))).toEqual([`trail.dataEvents.s3[0]: ${message}`]);
    expect(problems((r) => (r.trail.dataEvents.s3 = ['arn:aws:s3:::acme-*']))).toEqual([`trail.dataEvents.s3[0]: ${message}`]);
  });

  test('a Lambda data-event value that is neither "all" nor function ARNs', () => {
    expect(problems((r) => (r.trail.dataEvents.lambda = 'some'))).toEqual([
      'trail.dataEvents.lambda: must be "all" or a list of Lambda function ARNs',
    ]);
    expect(problems((r) => (r.trail.dataEvents.lambda = ['payments-api']))).toEqual([
      'trail.dataEvents.lambda[0]: must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)',
    ]);
  });

  test('a DynamoDB data-event value that is neither "all" nor table ARNs', () => {
    expect(problems((r) => (r.trail.dataEvents.dynamodb = 'some'))).toEqual([
      'trail.dataEvents.dynamodb: must be "all" or a list of DynamoDB table ARNs',
    ]);
    expect(problems((r) => (r.trail.dataEvents.dynamodb = ['arn:aws:dynamodb:us-east-1:444444444444:table/*']))).toEqual([
      'trail.dataEvents.dynamodb[0]: must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)',
    ]);
    expect(problems((r) => (r.trail.dataEvents.dynamodb = []))).toHaveLength(1);
  });

  test('a log reader that is not a role ARN, and an unknown Insights type', () => {
    expect(problems((r) => (r.logArchive.readerRoleArns = ['arn:aws:iam::333333333333:user/alice']))).toEqual([
      'logArchive.readerRoleArns[0]: must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
    ]);
    expect(problems((r) => (r.trail.insights = ['ApiLatencyInsight']))[0]).toMatch(/^trail\.insights\[0\]: /);
  });

  test('alert subscriptions with an unknown protocol or a malformed endpoint', () => {
    expect(problems((r) => (r.alerts.subscriptions = [{ protocol: 'sms', endpoint: '+15550100' }]))).toEqual([
      'alerts.subscriptions[0].protocol: protocol must be one of "email", "https", "sqs", "lambda"',
    ]);
    expect(problems((r) => (r.alerts.subscriptions = [{ protocol: 'https', endpoint: 'http://insecure.example.com' }]))).toEqual([
      'alerts.subscriptions[0].endpoint: must be an https:// URL',
    ]);
    expect(problems((r) => (r.alerts.subscriptions = [{ protocol: 'sqs', endpoint: 'my-queue' }]))).toEqual([
      'alerts.subscriptions[0].endpoint: must be an SQS queue ARN',
    ]);
  });

  test('business hours that are not times, offsets or weekdays, or that are empty', () => {
    expect(problems((r) => (r.alerts.businessHours.start = '9am'))).toEqual([
      'alerts.businessHours.start: must be a time of day as "HH:MM" (00:00 to 24:00)',
    ]);
    expect(problems((r) => (r.alerts.businessHours.utcOffset = 'UTC+10'))).toEqual([
      'alerts.businessHours.utcOffset: must be a UTC offset such as "+10:00" or "-05:00"',
    ]);
    expect(problems((r) => (r.alerts.businessHours.days = ['Monday']))[0]).toMatch(/^alerts\.businessHours\.days\[0\]: /);
    expect(problems((r) => (r.alerts.businessHours = { start: '09:00', end: '09:00' }))).toEqual([
      'alerts.businessHours.end: must differ from start (an empty working day)',
    ]);
  });

  test('a reserved CloudWatch namespace for the CIS metrics', () => {
    expect(problems((r) => (r.monitoring.metricNamespace = 'AWS/CloudTrail'))).toEqual([
      'monitoring.metricNamespace: must not start with "AWS/" (reserved)',
    ]);
  });

  test('switching off a rule that is not in the baseline, or without a reason', () => {
    const lines = problems((r) => (r.awsConfig = { disabledRules: [{ name: 'cloudtrail-disabled', reason: 'We do not use it anywhere.' }] }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^awsConfig\.disabledRules\[0\]\.name: cloudtrail-disabled is not a baseline rule \(baseline rules: root-account-mfa-enabled, /);
    expect(problems((r) => (r.awsConfig = { disabledRules: [{ name: 'securityhub-enabled', reason: 'no' }] }))).toEqual([
      'awsConfig.disabledRules[0].reason: must say why (at least 10 characters): auditors will ask',
    ]);
    expect(problems((r) => (r.awsConfig = { disabledRules: [{ name: 'securityhub-enabled' }] }))).toEqual([
      'awsConfig.disabledRules[0].reason: is required',
    ]);
  });

  test('an added rule that clashes with a baseline rule, repeats, or has a malformed identifier', () => {
    expect(
      problems((r) => (r.awsConfig = { additionalRules: [{ name: 'securityhub-enabled', identifier: 'SECURITYHUB_ENABLED' }] })),
    ).toEqual(['awsConfig.additionalRules[0].name: securityhub-enabled is already a baseline rule']);
    expect(
      problems(
        (r) =>
          (r.awsConfig = {
            additionalRules: [
              { name: 'x-rule', identifier: 'S3_BUCKET_VERSIONING_ENABLED' },
              { name: 'x-rule', identifier: 'S3_BUCKET_VERSIONING_ENABLED' },
            ],
          }),
      ),
    ).toEqual(['awsConfig.additionalRules[1].name: x-rule is listed twice']);
    expect(problems((r) => (r.awsConfig = { additionalRules: [{ name: 'x', identifier: 's3-bucket-versioning-enabled' }] }))).toEqual([
      'awsConfig.additionalRules[0].identifier: must be an AWS managed rule identifier such as "S3_BUCKET_VERSIONING_ENABLED"',
    ]);
  });

  test('a Control Tower Region outside the governed list, and a flow-log interval AWS does not offer', () => {
    expect(problems((r) => (r.controlTower = { enabled: true, regions: ['ap-south-1'] }))).toEqual([
      'controlTower.regions[0]: ap-south-1 is not in regions.governed',
    ]);
    expect(problems((r) => (r.flowLogs = { maxAggregationIntervalSeconds: 300 }))).toEqual([
      'flowLogs.maxAggregationIntervalSeconds: must be 60 or 600',
    ]);
    expect(problems((r) => (r.flowLogs = { destination: 'firehose' }))[0]).toMatch(/^flowLogs\.destination: /);
  });

  test('delegating the security services to the management account', () => {
    expect(
      problems((r) => {
        r.organization.auditAccountId = '111111111111';
      }),
    ).toEqual(['organization.auditAccountId: must not be the management account (delegated administration needs a separate account)']);
  });

  test('Security Hub central configuration without a finding aggregator', () => {
    expect(problems((r) => (r.securityServices.securityHub.findingAggregator = false))).toEqual([
      'securityServices.securityHub.findingAggregator: central configuration (CENTRAL) needs a finding aggregator in the home Region: set it to true',
    ]);
  });

  test('an unknown Security Hub standard, and a control disabled without a reason', () => {
    const lines = problems((r) => (r.securityServices.securityHub.standards = ['cis-aws-foundations-benchmark/v/9.9.9']));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^securityServices\.securityHub\.standards\[0\]: .*"aws-foundational-security-best-practices\/v\/1\.0\.0"/);
    expect(problems((r) => (r.securityServices.securityHub.disabledControls = [{ id: 'IAM.6' }]))).toEqual([
      'securityServices.securityHub.disabledControls[0].reason: is required',
    ]);
  });

  test('an unknown GuardDuty protection plan, and one left unsaid', () => {
    expect(problems((r) => (r.securityServices.guardDuty.protection.aiProtection = true))).toEqual([
      'securityServices.guardDuty.protection.aiProtection: unknown key',
    ]);
    expect(problems((r) => delete r.securityServices.guardDuty.protection.rdsLoginEvents)).toEqual([
      'securityServices.guardDuty.protection.rdsLoginEvents: is required',
    ]);
  });

  test("Control Tower's trail without Control Tower, and a Macie job outside the governed Regions", () => {
    expect(problems((r) => (r.controlTower = { organizationTrail: 'control-tower' }))).toEqual([
      'controlTower.organizationTrail: "control-tower" needs controlTower.enabled: true',
    ]);
    expect(problems((r) => (r.securityServices.macie.classificationJobs[0].region = 'ap-south-1'))).toEqual([
      'securityServices.macie.classificationJobs[0].region: ap-south-1 is not in regions.governed',
    ]);
  });

  test('Regions of partitions whose ARNs the baseline does not build', () => {
    expect(problems((r) => (r.regions.governed = ['us-east-1', 'us-gov-west-1']))).toEqual([
      'regions.governed[1]: is in the China, GovCloud or ISO partition, which the baseline does not support (its ARNs are arn:aws:...)',
    ]);
  });

  test('tags and account names AWS would refuse', () => {
    expect(problems((r) => (r.tags = { 'aws:owner': 'me' }))).toEqual(['tags.aws:owner: tag keys must not start with "aws:" (reserved)']);
    expect(problems((r) => (r.tags = { team: 'Payments (prod) & co' }))).toEqual([
      'tags.team: tag values may hold only letters, digits, spaces and _ . : / = + - @',
    ]);
    expect(problems((r) => (r.members[3].name = 'prod; drop'))).toEqual([
      'members[3].name: may hold only letters, digits, spaces and _ . : / = + - @ (it becomes a tag value)',
    ]);
  });

  test('a retention past the S3 Object Lock maximum', () => {
    expect(problems((r) => (r.retention.logArchiveDays = 40000))).toEqual([
      'retention.logArchiveDays: must be at most 36500 days (the S3 Object Lock maximum)',
    ]);
  });

  test('duplicate policy targets and subscriptions, and a Macie job on an unknown account', () => {
    expect(problems((r) => (r.securityServices.securityHub.policyTargets = ['r-ex01', 'r-ex01']))).toEqual([
      'securityServices.securityHub.policyTargets[1]: r-ex01 is listed twice',
    ]);
    expect(problems((r) => r.alerts.subscriptions.push({ ...r.alerts.subscriptions[0] }))).toEqual([
      'alerts.subscriptions[2]: email security-oncall@example.com is listed twice',
    ]);
    expect(problems((r) => (r.securityServices.macie.classificationJobs[0].accountId = '999999999999'))).toEqual([
      'securityServices.macie.classificationJobs[0].accountId: 999999999999 is not listed in members (Macie scans only member accounts)',
    ]);
  });

  test('several problems give several lines', () => {
    expect(
      problems((r) => {
        r.members[0].email = 'not-an-email';
        r.organization.id = 'org-1';
      }),
    ).toEqual([
      'organization.id: must be an organization id such as "o-a1b2c3d4e5"',
      'members[0].email: must be an email address',
    ]);
  });
});

describe('YAML problems carry the line number', () => {
  const text = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');

  test('a field error points at its line', () => {
    const bad = text.replace('id: "444444444444"', 'id: "4444"');
    const line = bad.split('\n').findIndex((l) => l.includes('id: "4444"')) + 1;
    expect(yamlProblems(bad)).toEqual([`members[3].id: must be a 12-digit account id, quoted (e.g. "111111111111") (line ${line})`]);
  });

  test('a YAML syntax error is reported, not thrown raw', () => {
    const lines = yamlProblems('organization:\n  id: [unclosed\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^YAML syntax: .*\(line \d+\)$/);
  });

  test('a duplicate key is a syntax error, not a silent override', () => {
    const lines = yamlProblems(text.replace('regions:\n  home: us-east-1', 'regions:\n  home: us-east-1\n  home: eu-west-1'));
    expect(lines[0]).toMatch(/^YAML syntax: .*unique/i);
  });
});
