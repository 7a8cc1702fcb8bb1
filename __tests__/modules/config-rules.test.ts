import { rulesFor } from '../../evidence/checks/config-service';
import { CONFIG_RULE_CONTROLS } from '../../modules/config-rules/controls';
import { configWith, exampleConfig, resourcesOf, synthStack, type Synth } from '../helpers';

// Rule name → identifier, exactly as AWS's managed rules list gives them.
const HOME_RULES: Record<string, string> = {
  'root-account-mfa-enabled': 'ROOT_ACCOUNT_MFA_ENABLED',
  'iam-root-access-key-check': 'IAM_ROOT_ACCESS_KEY_CHECK',
  'iam-user-mfa-enabled': 'IAM_USER_MFA_ENABLED',
  'access-keys-rotated': 'ACCESS_KEYS_ROTATED',
  'multi-region-cloudtrail-enabled': 'MULTI_REGION_CLOUD_TRAIL_ENABLED',
  'cloudtrail-s3-dataevents-enabled': 'CLOUDTRAIL_S3_DATAEVENTS_ENABLED',
};
const REGIONAL_RULES: Record<string, string> = {
  'cloudtrail-enabled': 'CLOUD_TRAIL_ENABLED',
  'cloud-trail-log-file-validation-enabled': 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED',
  'cloud-trail-cloud-watch-logs-enabled': 'CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED',
  'cloud-trail-encryption-enabled': 'CLOUD_TRAIL_ENCRYPTION_ENABLED',
  'cloudwatch-log-group-encrypted': 'CLOUDWATCH_LOG_GROUP_ENCRYPTED',
  'cw-loggroup-retention-period-check': 'CW_LOGGROUP_RETENTION_PERIOD_CHECK',
  's3-bucket-logging-enabled': 'S3_BUCKET_LOGGING_ENABLED',
  'vpc-flow-logs-enabled': 'VPC_FLOW_LOGS_ENABLED',
  'guardduty-enabled-centralized': 'GUARDDUTY_ENABLED_CENTRALIZED',
  'securityhub-enabled': 'SECURITYHUB_ENABLED',
  'cloudwatch-alarm-action-check': 'CLOUDWATCH_ALARM_ACTION_CHECK',
  // RDS audit logging (issue 23, seed 002): https://docs.aws.amazon.com/config/latest/developerguide/rds-logging-enabled.html,
  // .../rds-aurora-mysql-audit-logging-enabled.html, .../aurora-mysql-cluster-audit-logging.html.
  'rds-logging-enabled': 'RDS_LOGGING_ENABLED',
  'rds-aurora-mysql-audit-logging-enabled': 'RDS_AURORA_MYSQL_AUDIT_LOGGING_ENABLED',
  'aurora-mysql-cluster-audit-logging': 'AURORA_MYSQL_CLUSTER_AUDIT_LOGGING',
};

function rules(json: Synth) {
  return resourcesOf(json, 'aws_config_config_rule').map(([, r]) => r);
}

describe('AWS Config managed rules', () => {
  const json = synthStack(exampleConfig(), 'member-444444444444');
  const all = rules(json);

  test('global and account-level rules run exactly once, in the home Region', () => {
    for (const [name, identifier] of Object.entries(HOME_RULES)) {
      const found = all.filter((r) => r.name === name);
      expect(found.map((r) => r.region)).toEqual(['us-east-1']);
      expect(found[0].source).toEqual({ owner: 'AWS', source_identifier: identifier });
    }
  });

  test('regional rules run in every Region of the member', () => {
    for (const [name, identifier] of Object.entries(REGIONAL_RULES)) {
      const found = all.filter((r) => r.name === name);
      expect(found.map((r) => r.region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
      for (const r of found) expect(r.source).toEqual({ owner: 'AWS', source_identifier: identifier });
    }
    expect(all).toHaveLength(Object.keys(HOME_RULES).length + 3 * Object.keys(REGIONAL_RULES).length);
    const subset = rules(synthStack(exampleConfig(), 'member-555555555555'));
    expect(subset).toHaveLength(Object.keys(HOME_RULES).length + Object.keys(REGIONAL_RULES).length);
  });

  test('a rule AWS Config does not offer in a Region is not deployed there, and the evidence does not expect it there', () => {
    // rds-aurora-mysql-audit-logging-enabled: "All supported AWS regions except ... Asia Pacific (Thailand),
    // Asia Pacific (Malaysia), ... Mexico (Central), Asia Pacific (Taipei), Canada West (Calgary)"
    // (https://docs.aws.amazon.com/config/latest/developerguide/rds-aurora-mysql-audit-logging-enabled.html).
    const config = configWith((raw) => {
      raw.regions.governed = ['us-east-1', 'ca-west-1'];
      for (const m of raw.members) delete m.regions;
      raw.securityServices.macie.classificationJobs = [];
    });
    const deployed = rules(synthStack(config, 'member-444444444444'));
    const where = (name: string) => deployed.filter((r) => r.name === name).map((r) => r.region).sort();
    expect(where('rds-aurora-mysql-audit-logging-enabled')).toEqual(['us-east-1']);
    expect(where('aurora-mysql-cluster-audit-logging')).toEqual(['ca-west-1', 'us-east-1']);
    expect(where('rds-logging-enabled')).toEqual(['ca-west-1', 'us-east-1']);
    const expected = (region: string) => rulesFor(config, region).map((r) => r.name);
    expect(expected('ca-west-1')).not.toContain('rds-aurora-mysql-audit-logging-enabled');
    expect(expected('ca-west-1')).toContain('rds-logging-enabled');
    expect(expected('us-east-1')).toContain('rds-aurora-mysql-audit-logging-enabled');
  });

  test('the pack skips every Region its rules are not offered in (each rule page\'s "AWS Region" line, config/managed-config-rules.ts)', () => {
    // cw-loggroup-retention-period-check: "All supported AWS regions except Middle East (UAE) Region"
    // (https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html).
    const config = configWith((raw) => {
      raw.regions.governed = ['us-east-1', 'me-central-1'];
      for (const m of raw.members) delete m.regions;
      raw.securityServices.macie.classificationJobs = [];
    });
    const deployed = rules(synthStack(config, 'member-444444444444'));
    const inUae = deployed.filter((r) => r.region === 'me-central-1').map((r) => r.name);
    for (const name of ['cw-loggroup-retention-period-check', 'cloudwatch-log-group-encrypted']) expect(inUae).not.toContain(name);
    expect(inUae).toContain('cloudtrail-enabled');
    expect(rulesFor(config, 'me-central-1').map((r) => r.name)).not.toContain('cw-loggroup-retention-period-check');
    // A home-Region rule not offered in the home Region runs nowhere, and the matrix says why.
    const uaeHome = configWith((raw) => {
      raw.regions.home = 'me-central-1';
      raw.regions.governed = ['me-central-1'];
      for (const m of raw.members) delete m.regions;
      raw.securityServices.macie.classificationJobs = [];
      raw.sensitiveData.buckets = [];
    });
    expect(rules(synthStack(uaeHome, 'member-444444444444')).filter((r) => r.name === 'multi-region-cloudtrail-enabled')).toEqual([]);
  });

  test("the RDS rules' controls say what stays the database owner's job", () => {
    for (const name of ['rds-logging-enabled', 'rds-aurora-mysql-audit-logging-enabled', 'aurora-mysql-cluster-audit-logging']) {
      const control = CONFIG_RULE_CONTROLS.get(name)!;
      expect(control.description).toContain("The baseline evaluates, and does not configure, the resources it checks. The database owner's:");
      expect(control.description).toMatch(/pgaudit/);
    }
    expect(CONFIG_RULE_CONTROLS.get('rds-aurora-mysql-audit-logging-enabled')!.description).toContain('(not in ap-southeast-7, ap-southeast-5, ap-east-2, mx-central-1, ca-west-1)');
  });

  test('parameters match AWS names and the config', () => {
    const params = (name: string) => {
      const r = all.find((x) => x.name === name && x.region === 'us-east-1')!;
      return r.input_parameters === undefined ? undefined : JSON.parse(r.input_parameters);
    };
    expect(params('access-keys-rotated')).toEqual({ maxAccessKeyAge: '90' });
    expect(params('vpc-flow-logs-enabled')).toEqual({ trafficType: 'ALL' });
    expect(params('guardduty-enabled-centralized')).toEqual({ CentralMonitoringAccount: '333333333333' });
    expect(params('cw-loggroup-retention-period-check')).toEqual({ MinRetentionTime: '365' });
    expect(params('cloudwatch-alarm-action-check')).toEqual({
      alarmActionRequired: 'true',
      insufficientDataActionRequired: 'false',
      okActionRequired: 'false',
    });
    expect(params('cloudtrail-s3-dataevents-enabled')).toEqual({
      S3BucketNames: 'acme-customer-data-444444444444,acme-exports-444444444444',
    });
    expect(params('root-account-mfa-enabled')).toBeUndefined();
    const custom = rules(synthStack(configWith((raw) => (raw.awsConfig = { accessKeyMaxAgeDays: 45 })), 'member-444444444444'));
    expect(JSON.parse(custom.find((r) => r.name === 'access-keys-rotated')!.input_parameters)).toEqual({ maxAccessKeyAge: '45' });
  });

  test('each rule waits for the recorder of its Region to be on', () => {
    const statuses = Object.fromEntries(resourcesOf(json, 'aws_config_configuration_recorder_status').map(([id, s]) => [s.region, id]));
    for (const r of all) expect(r.depends_on).toEqual([`aws_config_configuration_recorder_status.${statuses[r.region]}`]);
  });

  test('the config can switch a rule off, with a reason, and add rules', () => {
    const config = configWith((raw) => {
      raw.awsConfig = {
        disabledRules: [{ name: 'cloudtrail-s3-dataevents-enabled', reason: 'No S3 bucket holds customer data in this org.' }],
        additionalRules: [
          { name: 's3-bucket-versioning-enabled', identifier: 'S3_BUCKET_VERSIONING_ENABLED' },
          { name: 'iam-password-policy', identifier: 'IAM_PASSWORD_POLICY', scope: 'home', parameters: { MinimumPasswordLength: '14' } },
        ],
      };
    });
    const custom = rules(synthStack(config, 'member-444444444444'));
    expect(custom.filter((r) => r.name === 'cloudtrail-s3-dataevents-enabled')).toEqual([]);
    expect(custom.filter((r) => r.name === 's3-bucket-versioning-enabled').map((r) => r.region).sort()).toEqual([
      'eu-west-1',
      'us-east-1',
      'us-west-2',
    ]);
    const password = custom.filter((r) => r.name === 'iam-password-policy');
    expect(password).toHaveLength(1);
    expect(password[0]).toMatchObject({
      region: 'us-east-1',
      source: { owner: 'AWS', source_identifier: 'IAM_PASSWORD_POLICY' },
      input_parameters: '{"MinimumPasswordLength":"14"}',
    });
  });
});
