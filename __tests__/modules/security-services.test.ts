import { configWith, exampleConfig, oneResource, resourcesOf, synthStack, type Synth, withoutInvestigations } from '../helpers';

const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];
const AUDIT = '333333333333';

const all = (json: Synth, type: string) => resourcesOf(json, type).map(([, r]) => r);
const regionsOf = (json: Synth, type: string) => all(json, type).map((r) => r.region).sort();

describe('delegation from the management account', () => {
  const json = synthStack(exampleConfig(), 'management');

  test.each([
    'aws_guardduty_organization_admin_account',
    'aws_securityhub_organization_admin_account',
    'aws_macie2_organization_admin_account',
  ])('%s names the audit account in every governed Region', (type) => {
    expect(regionsOf(json, type)).toEqual(REGIONS);
    for (const r of all(json, type)) expect(r).toMatchObject({ provider: 'aws.management', admin_account_id: AUDIT });
  });

  test('Macie is on in the management account of each Region before it delegates', () => {
    const accounts = resourcesOf(json, 'aws_macie2_account').filter(([, a]) => a.provider === 'aws.management');
    expect(accounts.map(([, a]) => a.region).sort()).toEqual(REGIONS);
    for (const [, admin] of resourcesOf(json, 'aws_macie2_organization_admin_account')) {
      const [id] = accounts.find(([, a]) => a.region === admin.region)!;
      expect(admin.depends_on).toContain(`aws_macie2_account.${id}`);
    }
  });

  test('each service is on in the audit account before it is delegated, and configured for the org after', () => {
    // Delegating turns a service on in the delegate: created later, its detector or subscription would clash.
    const idIn = (type: string, region: string, provider = 'aws.audit') =>
      `${type}.${resourcesOf(json, type).find(([, r]) => r.region === region && r.provider === provider)![0]}`;
    for (const region of REGIONS) {
      const at = (type: string) => resourcesOf(json, type).find(([, r]) => r.region === region)!;
      expect(at('aws_guardduty_organization_admin_account')[1].depends_on).toEqual([idIn('aws_guardduty_detector', region)]);
      expect(at('aws_securityhub_organization_admin_account')[1].depends_on).toEqual([idIn('aws_securityhub_account', 'us-east-1')]);
      expect(at('aws_macie2_organization_admin_account')[1].depends_on).toContain(idIn('aws_macie2_account', region));
      const delegatedGuardDuty = `aws_guardduty_organization_admin_account.${at('aws_guardduty_organization_admin_account')[0]}`;
      expect(at('aws_guardduty_organization_configuration')[1].depends_on).toEqual([delegatedGuardDuty]);
      // The audit account's detector (the management account has one of its own, which waits: see below).
      expect(resourcesOf(json, 'aws_guardduty_detector').find(([, r]) => r.region === region && r.provider === 'aws.audit')![1].depends_on).toBeUndefined();
      const delegatedMacie = `aws_macie2_organization_admin_account.${at('aws_macie2_organization_admin_account')[0]}`;
      expect(at('aws_macie2_organization_configuration')[1].depends_on).toContain(delegatedMacie);
    }
    expect(oneResource(json, 'aws_securityhub_account').depends_on).toBeUndefined();
    expect(oneResource(json, 'aws_securityhub_finding_aggregator').depends_on).toContain(
      `aws_securityhub_organization_admin_account.${resourcesOf(json, 'aws_securityhub_organization_admin_account').find(([, r]) => r.region === 'us-east-1')![0]}`,
    );
  });

  test('AWS Config and IAM Access Analyzer are delegated once, organization-wide', () => {
    const delegated = all(json, 'aws_organizations_delegated_administrator');
    expect(delegated.map((d) => d.service_principal).sort()).toEqual([
      'access-analyzer.amazonaws.com',
      'config-multiaccountsetup.amazonaws.com',
      'config.amazonaws.com',
    ]);
    for (const d of delegated) {
      expect(d).toMatchObject({ provider: 'aws.management', account_id: AUDIT });
      expect(d.region).toBeUndefined();
    }
  });
});

describe('GuardDuty, run by the audit account', () => {
  const json = synthStack(exampleConfig(), 'management');

  test('a detector publishing every 15 minutes in every Region, members auto-enabled', () => {
    const audit = all(json, 'aws_guardduty_detector').filter((d) => d.provider === 'aws.audit');
    expect(audit.map((d) => d.region).sort()).toEqual(REGIONS);
    for (const d of audit) {
      expect(d).toMatchObject({ provider: 'aws.audit', enable: true, finding_publishing_frequency: 'FIFTEEN_MINUTES' });
    }
    expect(regionsOf(json, 'aws_guardduty_organization_configuration')).toEqual(REGIONS);
    for (const c of all(json, 'aws_guardduty_organization_configuration')) {
      expect(c.auto_enable_organization_members).toBe('ALL');
      expect(c.detector_id).toMatch(/^\$\{aws_guardduty_detector\..*\.id\}$/);
      expect(c.auto_enable).toBeUndefined();
    }
  });

  test('each protection plan is explicitly on or off, for members and the audit account', () => {
    const features = all(json, 'aws_guardduty_organization_configuration_feature').filter((f) => f.region === 'us-east-1');
    const byName = Object.fromEntries(features.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual([
      'EBS_MALWARE_PROTECTION',
      'EKS_AUDIT_LOGS',
      'LAMBDA_NETWORK_LOGS',
      'RDS_LOGIN_EVENTS',
      'RUNTIME_MONITORING',
      'S3_DATA_EVENTS',
    ]);
    for (const name of ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS']) {
      expect(byName[name].auto_enable).toBe('ALL');
    }
    expect(byName.RUNTIME_MONITORING.auto_enable).toBe('NONE');
    expect(byName.RUNTIME_MONITORING.additional_configuration).toEqual([
      { name: 'EKS_ADDON_MANAGEMENT', auto_enable: 'NONE' },
      { name: 'ECS_FARGATE_AGENT_MANAGEMENT', auto_enable: 'NONE' },
      { name: 'EC2_AGENT_MANAGEMENT', auto_enable: 'NONE' },
    ]);
    expect(all(json, 'aws_guardduty_organization_configuration_feature')).toHaveLength(6 * 3);
    const own = Object.fromEntries(all(json, 'aws_guardduty_detector_feature').filter((f) => f.region === 'us-east-1').map((f) => [f.name, f.status]));
    expect(own).toEqual({
      S3_DATA_EVENTS: 'ENABLED',
      EKS_AUDIT_LOGS: 'ENABLED',
      EBS_MALWARE_PROTECTION: 'ENABLED',
      RDS_LOGIN_EVENTS: 'ENABLED',
      LAMBDA_NETWORK_LOGS: 'ENABLED',
      RUNTIME_MONITORING: 'DISABLED',
    });
  });

  test('NEW members only, and Runtime Monitoring with its agents, when the config says so', () => {
    const config = configWith((raw) => {
      raw.securityServices.guardDuty.autoEnableMembers = 'NEW';
      raw.securityServices.guardDuty.protection.runtimeMonitoring = true;
    });
    const custom = synthStack(config, 'management');
    for (const c of all(custom, 'aws_guardduty_organization_configuration')) expect(c.auto_enable_organization_members).toBe('NEW');
    const runtime = all(custom, 'aws_guardduty_organization_configuration_feature').find((f) => f.name === 'RUNTIME_MONITORING')!;
    expect(runtime.auto_enable).toBe('NEW');
    expect(runtime.additional_configuration.map((a: { auto_enable: string }) => a.auto_enable)).toEqual(['NEW', 'NEW', 'NEW']);
  });

  test('findings are exported to the log archive, KMS-encrypted, from every Region', () => {
    expect(regionsOf(json, 'aws_guardduty_publishing_destination')).toEqual(REGIONS);
    for (const d of all(json, 'aws_guardduty_publishing_destination')) {
      expect(d).toMatchObject({
        destination_type: 'S3',
        destination_arn: 'arn:aws:s3:::acme-soc2-guardduty-222222222222-us-east-1',
      });
      expect(d.kms_key_arn).toMatch(/^\$\{aws_kms_key\.log-archive_guardduty-key_.*\.arn\}$/);
    }
  });
});

describe('Security Hub central configuration', () => {
  const json = synthStack(exampleConfig(), 'management');

  test('a finding aggregator in the home Region links the other governed Regions', () => {
    expect(oneResource(json, 'aws_securityhub_finding_aggregator')).toMatchObject({
      provider: 'aws.audit',
      region: 'us-east-1',
      linking_mode: 'SPECIFIED_REGIONS',
      specified_regions: ['us-west-2', 'eu-west-1'],
    });
  });

  test('the organization is configured CENTRAL, after the aggregator', () => {
    const org = oneResource(json, 'aws_securityhub_organization_configuration');
    expect(org).toMatchObject({
      region: 'us-east-1',
      auto_enable: false,
      auto_enable_standards: 'NONE',
      organization_configuration: { configuration_type: 'CENTRAL' },
    });
    expect(org.depends_on).toEqual([expect.stringMatching(/^aws_securityhub_finding_aggregator\./)]);
  });

  test('the configuration policy enables FSBP and CIS 3.0.0 by their ARNs and disables only recorded controls', () => {
    const policy = oneResource(json, 'aws_securityhub_configuration_policy');
    expect(policy.configuration_policy).toEqual({
      service_enabled: true,
      enabled_standard_arns: [
        'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0',
        'arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0',
      ],
      security_controls_configuration: { disabled_control_identifiers: ['IAM.6'] },
    });
  });

  test('the policy is associated with the organization root, or the listed targets', () => {
    const associations = all(json, 'aws_securityhub_configuration_policy_association');
    expect(associations.map((a) => a.target_id)).toEqual(['r-ex01']);
    expect(associations[0].policy_id).toMatch(/^\$\{aws_securityhub_configuration_policy\..*\.id\}$/);
    const targeted = synthStack(
      configWith((raw) => (raw.securityServices.securityHub.policyTargets = ['ou-ex01-workload1', 'ou-ex01-security1'])),
      'management',
    );
    expect(all(targeted, 'aws_securityhub_configuration_policy_association').map((a) => a.target_id).sort()).toEqual([
      'ou-ex01-security1',
      'ou-ex01-workload1',
    ]);
  });

  test('the audit account itself runs Security Hub with consolidated control findings, no default standards', () => {
    expect(oneResource(json, 'aws_securityhub_account')).toMatchObject({
      provider: 'aws.audit',
      region: 'us-east-1',
      enable_default_standards: false,
      control_finding_generator: 'SECURITY_CONTROL',
    });
  });
});

describe("Macie membership, from each account's member stack", () => {
  const config = exampleConfig();
  const members = (id: string) => all(synthStack(config, `member-${id}`), 'aws_macie2_member');

  test('every account but the audit account is a member in each of its Regions, managed by the audit provider', () => {
    expect(members('111111111111').map((m) => m.region).sort()).toEqual(REGIONS);
    expect(members('444444444444').map((m) => m.region).sort()).toEqual(REGIONS);
    expect(members('555555555555').map((m) => m.region)).toEqual(['us-east-1']);
    expect(members(AUDIT)).toEqual([]);
    for (const m of members('444444444444')) {
      expect(m).toMatchObject({ provider: 'aws.audit', account_id: '444444444444', email: 'aws-workloads-prod@example.com', status: 'ENABLED' });
    }
  });

  // terraform-provider-aws internal/service/macie2/member.go: resourceMemberRead sets invite = true for
  // an Enabled member, and resourceMemberUpdate calls DisassociateMember when invite changes to false;
  // the read also sets `email` (Required, ForceNew) from GetMember, which has none for an account
  // associated through AWS Organizations. Neither may ever diff.
  test('no invite in the config, and invite and email ignored after create: never disassociated or replaced', () => {
    for (const m of members('444444444444')) {
      expect(m).not.toHaveProperty('invite');
      expect(m.lifecycle).toEqual({ ignore_changes: ['invite', 'email'] });
    }
  });

  test('the audit provider in a member stack assumes the role in the audit account, pinned to it', () => {
    const providers = synthStack(config, 'member-444444444444').provider!.aws;
    const audit = providers.find((p: Record<string, any>) => p.alias === 'audit');
    // The role name is the stacks' variable, default deployment.roleName (modules/providers/account-provider.ts).
    expect(audit).toMatchObject({ allowed_account_ids: [AUDIT], assume_role: [{ role_arn: `arn:aws:iam::${AUDIT}:role/\${var.deployment_role_name}` }] });
    expect(synthStack(config, `member-${AUDIT}`).provider!.aws).toHaveLength(1);
  });

  test('in the Regions where auto-enable made it a member, no membership resource; elsewhere CreateMember', () => {
    const vended = configWith((raw) => (raw.members[3].macieAutoEnabledRegions = ['us-east-1', 'us-west-2']));
    const json = synthStack(vended, 'member-444444444444') as Record<string, any>;
    // Auto-enable is per Region: eu-west-1 (governed after the account joined, say) still needs CreateMember.
    expect(resourcesOf(json, 'aws_macie2_member').map(([, m]) => m.region)).toEqual(['eu-west-1']);
    expect(json.import).toBeUndefined();
    const job = oneResource(json, 'aws_macie2_classification_job');
    expect(job.region).toBe('us-east-1');
    expect(job.depends_on).toBeUndefined();
    expect(() => configWith((raw) => (raw.members[4].macieAutoEnabledRegions = ['us-west-2']))).toThrow(
      "members[4].macieAutoEnabledRegions[0]: us-west-2 is not one of this account's Regions",
    );
  });

  test("a weekly classification job over the account's listed buckets, waiting for its membership in that Region", () => {
    const json = synthStack(config, 'member-444444444444');
    const job = oneResource(json, 'aws_macie2_classification_job');
    expect(job).toMatchObject({
      provider: 'aws.audit',
      region: 'us-east-1',
      job_type: 'SCHEDULED',
      schedule_frequency: { weekly_schedule: 'MONDAY' },
      s3_job_definition: {
        bucket_definitions: [{ account_id: '444444444444', buckets: ['acme-customer-data-444444444444', 'acme-exports-444444444444'] }],
      },
    });
    const memberHere = resourcesOf(json, 'aws_macie2_member').find(([, m]) => m.region === 'us-east-1')![0];
    expect(job.depends_on).toEqual([`aws_macie2_member.${memberHere}`]);
  });

  test('a classification job in a Region the account does not cover is a config error', () => {
    expect(() =>
      configWith((raw) => (raw.securityServices.macie.classificationJobs = [{ accountId: '555555555555', region: 'us-west-2', buckets: ['b-555'] }])),
    ).toThrow('securityServices.macie.classificationJobs[0].region: us-west-2 is not one of the Regions of account 555555555555 (members[4].regions)');
  });
});

describe('Macie, IAM Access Analyzer and the Config aggregator', () => {
  const json = synthStack(exampleConfig(), 'management');

  test('Macie is on in the audit account of every Region, publishing every 15 minutes, auto-enabling members', () => {
    const audit = all(json, 'aws_macie2_account').filter((a) => a.provider === 'aws.audit');
    expect(audit.map((a) => a.region).sort()).toEqual(REGIONS);
    for (const a of audit) expect(a).toMatchObject({ status: 'ENABLED', finding_publishing_frequency: 'FIFTEEN_MINUTES' });
    expect(regionsOf(json, 'aws_macie2_organization_configuration')).toEqual(REGIONS);
    for (const c of all(json, 'aws_macie2_organization_configuration')) expect(c.auto_enable).toBe(true);
  });

  test('management holds no per-account Macie resource: memberships and jobs live in the member stacks', () => {
    expect(all(json, 'aws_macie2_member')).toEqual([]);
    expect(all(json, 'aws_macie2_classification_job')).toEqual([]);
  });

  test('an organization analyzer in the audit account of every Region', () => {
    // The unused access analyzer (home Region only) is access-analyzer-unused.test.ts's.
    const external = all(json, 'aws_accessanalyzer_analyzer').filter((a) => a.type !== 'ORGANIZATION_UNUSED_ACCESS');
    expect(external.map((a) => a.region).sort()).toEqual([...REGIONS].sort());
    for (const a of external) {
      expect(a).toMatchObject({ provider: 'aws.audit', type: 'ORGANIZATION', analyzer_name: 'acme-soc2-organization' });
      expect(a.depends_on).toEqual([expect.stringMatching(/^aws_organizations_delegated_administrator\.delegation_access-analyzer_/)]);
    }
  });

  test('an organization Config aggregator over exactly the governed Regions, with its role', () => {
    const aggregator = oneResource(json, 'aws_config_configuration_aggregator');
    expect(aggregator).toMatchObject({ provider: 'aws.audit', region: 'us-east-1', name: 'acme-soc2-organization' });
    expect(aggregator.organization_aggregation_source.regions).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(aggregator.organization_aggregation_source.all_regions).toBeUndefined();
    const role = oneResource(json, 'aws_iam_role', (r) => r.name === 'acme-soc2-organization-aggregator');
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toEqual({
      Sid: 'AllowServiceToAssume',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': AUDIT },
        ArnLike: { 'aws:SourceArn': 'arn:aws:config:us-east-1:333333333333:config-aggregator/*' },
      },
    });
    expect(oneResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations',
    );
  });
});

describe('the Control Tower switch', () => {
  const plain = synthStack(exampleConfig(), 'management');
  const governed = configWith((raw) => { raw.controlTower = { enabled: true, organizationTrail: 'control-tower' }; withoutInvestigations(raw); });
  const json = synthStack(governed, 'management');

  test("uses Control Tower's organization trail: no trail, log group or trail role of the baseline's", () => {
    expect(all(json, 'aws_cloudtrail')).toEqual([]);
    // None in the management account (the audit account keeps its route heartbeats log group: route-watchdogs.test.ts).
    expect(all(json, 'aws_cloudwatch_log_group').filter((g) => g.provider !== 'aws.audit')).toEqual([]);
    expect(all(json, 'aws_iam_role').map((r) => r.name)).not.toContain('acme-soc2-org-trail-to-cloudwatch-logs');
    const policy = all(json, 'aws_s3_bucket_policy').map((p) => p.policy).join();
    expect(policy).not.toContain('CloudTrailWriteOrganizationTrail');
    expect(policy).toContain('CloudTrailWriteAccountTrails');
  });

  test("keeps the CIS alarms, on Control Tower's trail log group", () => {
    // The CIS set (16 filters) and the console sign-in filter, the guardrails' break-glass and
    // exempt-role-change filters, and the ten route-tampering filters, on the organization trail's log
    // group (the audit account's heartbeat filter is on its own log group): 16 + 1 + 2 + 10.
    const filters = all(json, 'aws_cloudwatch_log_metric_filter').filter((f) => f.provider === 'aws.management');
    expect(filters).toHaveLength(29);
    expect(filters.map((f) => f.name)).toEqual(expect.arrayContaining(['acme-soc2-org-break-glass-role-used', 'acme-soc2-org-guardrail-role-changed']));
    for (const f of filters) {
      expect(f.log_group_name).toBe('aws-controltower/CloudTrailLogs');
      expect(f.depends_on).toBeUndefined();
    }
  });

  test('keeps everything else: log archive, delegations, services, findings routing', () => {
    for (const type of [
      'aws_s3_bucket',
      'aws_guardduty_detector',
      'aws_securityhub_configuration_policy',
      'aws_macie2_organization_configuration',
      'aws_accessanalyzer_analyzer',
      'aws_config_configuration_aggregator',
      'aws_cloudwatch_event_rule',
      'aws_organizations_delegated_administrator',
    ]) {
      expect(all(json, type)).toHaveLength(all(plain, type).length);
    }
  });

  test("with the baseline's own trail, Control Tower changes only the member recorders", () => {
    const ownTrail = synthStack(configWith((raw) => (raw.controlTower = { enabled: true })), 'management');
    // ...and the guardrails' SCPs, which leave to Control Tower what its mandatory controls enforce.
    const withoutScps = (json: Synth) => ({ ...json, resource: { ...json.resource, aws_organizations_policy: undefined } });
    expect(withoutScps(ownTrail)).toEqual(withoutScps(plain));
    const sids = (json: Synth) => all(json, 'aws_organizations_policy').flatMap((p) => JSON.parse(p.content).Statement.map((st: any) => st.Sid));
    expect(sids(ownTrail)).toEqual(sids(plain).filter((sid) => sid !== 'ProtectConfigRecorders'));
  });
});
