/**
 * The control matrix written by synth (controls/): a control for every requirement of the SOC 2
 * guides, deployed at real resource addresses of the synthesized stacks, exceptions with the config's
 * reasons, and the whole of Prowler's SOC 2 framework accounted for.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../config/load';
import { configWarnings } from '../../config/warnings';
import { ruleRegions, SOC2_LOGGING_PACK } from '../../config/managed-config-rules';
import { allStackNames, logBucketName } from '../../config/naming';
import { SWITCHABLE_CONTROLS, type BaselineConfig } from '../../config/schema';
import { CONTROL_CATALOG, controlById } from '../../controls/catalog';
import { deploymentsOf, DESIGN_EXCEPTIONS, type ControlMatrix, type MatrixControl } from '../../controls/matrix';
import { NOT_COVERED_CHECKS, PROWLER_SOC2_FRAMEWORK } from '../../controls/prowler-soc2';
import { CIS_METRIC_FILTERS } from '../../modules/cis-monitoring/cis-metric-filters';
import { synthesizeInProcess } from '../../synth/parallel-synth';
import { configWith, exampleConfig, REPO_ROOT } from '../helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baseline-matrix-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function synthMatrix(config: BaselineConfig, name: string): { matrix: ControlMatrix; markdown: string; outdir: string } {
  const outdir = join(dir, name);
  synthesizeInProcess(config, { outdir, cache: false });
  return {
    matrix: JSON.parse(readFileSync(join(outdir, 'evidence', 'control-matrix.json'), 'utf8')),
    markdown: readFileSync(join(outdir, 'evidence', 'control-matrix.md'), 'utf8'),
    outdir,
  };
}

const stackJson = new Map<string, any>();
function resourceAt(outdir: string, stack: string, address: string): Record<string, any> | undefined {
  const key = `${outdir}:${stack}`;
  if (!stackJson.has(key)) stackJson.set(key, JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')));
  const [type, name] = address.split('.');
  return stackJson.get(key).resource?.[type]?.[name];
}

describe('the control matrix of the example org', () => {
  const config = exampleConfig();
  const org = config.organization;
  const home = config.regions.home;
  const governed = config.regions.governed;
  let matrix: ControlMatrix;
  let markdown: string;
  let outdir: string;
  beforeAll(() => {
    ({ matrix, markdown, outdir } = synthMatrix(config, 'example'));
  });
  const control = (id: string): MatrixControl => {
    const found = matrix.controls.find((c) => c.id === id);
    if (!found) throw new Error(`no control ${id} in the matrix`);
    return found;
  };
  /** The resources of a control's deployments, with their stack, account and Region. */
  const resources = (id: string) =>
    deploymentsOf(control(id)).flatMap((d) => d.addresses.map((address) => ({ ...d, address, resource: resourceAt(outdir, d.stack, address) })));

  test('is written with every stack of the config, and every catalog control, in catalog order', () => {
    expect(matrix.schemaVersion).toBe(1);
    expect(matrix.stacks).toEqual({ included: allStackNames(config), notSynthesized: [] });
    expect(matrix.controls.map((c) => c.id)).toEqual(CONTROL_CATALOG.map((c) => c.id));
  });

  test('every deployment names a resource that exists in its stack, in the Region recorded', () => {
    for (const c of matrix.controls) {
      for (const d of deploymentsOf(c)) {
        for (const address of d.addresses) {
          const resource = resourceAt(outdir, d.stack, address);
          if (!resource) throw new Error(`${c.id}: ${d.stack} has no ${address}`);
          // Per-resource Region (provider 6); account-wide settings have none.
          if (d.region !== 'global' && resource.region !== undefined) expect(`${c.id} ${address} ${resource.region}`).toBe(`${c.id} ${address} ${d.region}`);
        }
      }
    }
  });

  test('the ten AWS Config rules of the SOC 2 guides: each deployed in every account, in its Regions', () => {
    expect(matrix.guideConfigRules.map((r) => r.guideName)).toEqual([
      'cloud-trail-enabled',
      'multi-region-cloudtrail-enabled',
      'cloudtrail-log-file-validation-enabled',
      'cloudtrail-s3-dataevents-enabled',
      'root-account-mfa-enabled',
      'iam-root-access-key-check',
      'iam-user-mfa-enabled',
      'access-keys-rotated',
      'vpc-flow-logs-enabled',
      'guardduty-enabled-centralized',
    ]);
    for (const rule of matrix.guideConfigRules) {
      expect(rule.status).toBe('deployed');
      const pack = SOC2_LOGGING_PACK.find((r) => r.name === rule.awsRuleName)!;
      const found = resources(rule.control);
      for (const member of config.members) {
        const regions = ruleRegions(pack, home, member.regions ?? governed);
        const here = found.filter((r) => r.account === member.id);
        expect(here.map((r) => r.region).sort()).toEqual([...regions].sort());
        for (const r of here) {
          expect(r.stack).toBe(`member-${member.id}`);
          expect(r.resource).toMatchObject({ name: rule.awsRuleName, source: { owner: 'AWS', source_identifier: pack.identifier } });
        }
      }
    }
  });

  test('every CIS 4.x filter (14+) is a control: a metric filter and its alarm in every account, with the control in the alarm description', () => {
    const cisControls = matrix.controls.filter((c) => c.id.startsWith('cis.') && c.cis);
    expect(cisControls.length).toBeGreaterThanOrEqual(14);
    expect(new Set(cisControls.map((c) => c.cis!['v3.0.0']))).toEqual(new Set(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`)));
    for (const f of CIS_METRIC_FILTERS) {
      const found = resources(`cis.${f.id}`);
      // The management account's alarms watch the organization trail (management stack); the others their own trail.
      expect(new Set(found.map((r) => r.account))).toEqual(new Set(config.members.map((m) => m.id)));
      for (const account of config.members.map((m) => m.id)) {
        const mine = found.filter((r) => r.account === account);
        expect(mine.map((r) => r.address.split('.')[0]).sort()).toEqual(['aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_metric_alarm']);
        expect(mine.every((r) => r.region === home)).toBe(true);
        expect(mine.find((r) => r.address.startsWith('aws_cloudwatch_log_metric_filter'))!.resource!.pattern).toBe(f.pattern);
        expect(mine.find((r) => r.address.startsWith('aws_cloudwatch_metric_alarm'))!.resource!.alarm_description).toContain(`control cis.${f.id}`);
      }
    }
    expect(resources('cis.console-signin-outside-business-hours').filter((r) => r.address.startsWith('aws_cloudwatch_metric_alarm'))).toHaveLength(config.members.length);
  });

  test('the organization trail controls point at the one org trail, with the settings each control claims', () => {
    for (const id of ['cloudtrail.organization-trail', 'cloudtrail.log-file-validation', 'cloudtrail.kms-encryption', 'cloudtrail.cloudwatch-logs-delivery']) {
      const trail = resources(id).filter((r) => r.address.startsWith('aws_cloudtrail.'));
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({ stack: 'management', account: org.managementAccountId, region: home });
      expect(trail[0].resource).toMatchObject({
        is_organization_trail: true,
        is_multi_region_trail: true,
        include_global_service_events: true,
        enable_log_file_validation: true,
        enable_logging: true,
      });
      expect(trail[0].resource!.kms_key_id).toMatch(/aws_kms_key\.log-archive_cloudtrail-key/);
      expect(trail[0].resource!.cloud_watch_logs_group_arn).toMatch(/aws_cloudwatch_log_group/);
    }
    // Member accounts' own trails: every member but the management account.
    expect(new Set(resources('cloudtrail.account-trails').map((r) => r.account))).toEqual(
      new Set(config.members.filter((m) => m.id !== org.managementAccountId).map((m) => m.id)),
    );
  });

  test('bucket protections: every log-archive bucket has versioning, public access block, TLS-only policy, encryption and retention; the delivered-to buckets Object Lock and access logging', () => {
    const buckets = ['cloudtrail', 'config', 'flowlogs', 'guardduty', 's3-server-logs'] as const;
    const bucketOf = (r: { resource?: Record<string, any> }) => r.resource!.bucket as string;
    const bucketsOf = (id: string) => resources(id).filter((r) => r.resource!.bucket !== undefined);
    const names = (id: string) => new Set(bucketsOf(id).map(bucketOf));
    const all = new Set(buckets.map((k) => `\${aws_s3_bucket.log-archive_${k}_bucket`));
    const short = (s: Set<string>) => new Set([...s].map((b) => b.replace(/_[0-9A-F]{8}\.id}$/, '')));
    for (const id of ['log-archive.versioning', 'log-archive.public-access-block', 'log-archive.tls-only', 'log-archive.encryption', 'log-archive.retention']) {
      expect(short(names(id))).toEqual(all);
      expect(resources(id).every((r) => r.stack === 'management' && r.account === org.logArchiveAccountId)).toBe(true);
    }
    const delivered = new Set([...all].filter((b) => !b.includes('s3-server-logs')));
    // The Config bucket has no Object Lock (see its declaration in modules/log-archive/log-archive.ts).
    const locked = new Set([...delivered].filter((b) => !b.includes('_config_')));
    expect(short(new Set(resources('log-archive.object-lock').filter((r) => r.address.startsWith('aws_s3_bucket_object_lock')).map(bucketOf)))).toEqual(locked);
    expect(short(names('log-archive.access-logging'))).toEqual(delivered);
    for (const r of resources('log-archive.versioning')) expect(r.resource!.versioning_configuration.status).toBe('Enabled');
    for (const r of resources('log-archive.public-access-block')) {
      expect(r.resource).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
    for (const r of resources('log-archive.tls-only')) expect(r.resource!.policy).toContain('aws:SecureTransport');
    for (const r of resources('log-archive.object-lock').filter((x) => x.address.startsWith('aws_s3_bucket_object_lock'))) {
      expect(r.resource!.rule.default_retention.days).toBe(config.retention.logArchiveDays);
    }
    for (const r of resources('log-archive.access-logging')) expect(r.resource!.target_bucket).toBe(logBucketName(config, 's3-server-logs'));
  });

  test('GuardDuty, Security Hub standards, Macie and Access Analyzer: run by the audit account, in every governed Region', () => {
    const regionsOf = (id: string, type: string) =>
      resources(id)
        .filter((r) => r.address.startsWith(`${type}.`))
        .map((r) => [r.stack, r.account, r.region].join(' '))
        .sort();
    const everyRegion = governed.map((r) => ['management', org.auditAccountId, r].join(' ')).sort();
    expect(regionsOf('guardduty.organization', 'aws_guardduty_detector')).toEqual(everyRegion);
    expect(regionsOf('access-analyzer.organization', 'aws_accessanalyzer_analyzer')).toEqual(everyRegion);
    for (const r of resources('access-analyzer.organization')) expect(r.resource!.type).toBe('ORGANIZATION');
    expect(regionsOf('macie.organization', 'aws_macie2_account')).toEqual(everyRegion);
    // Each account but the administrator is a Macie member in each of its Regions (declared in its own stack).
    const members = resources('macie.organization').filter((r) => r.address.startsWith('aws_macie2_member.'));
    for (const m of config.members.filter((x) => x.id !== org.auditAccountId)) {
      expect(members.filter((r) => r.account === m.id).map((r) => r.region).sort()).toEqual([...(m.regions ?? governed)].sort());
    }
    for (const [id, standard] of [
      ['securityhub.fsbp-standard', 'aws-foundational-security-best-practices/v/1.0.0'],
      ['securityhub.cis-standard', 'cis-aws-foundations-benchmark/v/3.0.0'],
    ]) {
      const policy = resources(id);
      expect(policy).toHaveLength(1);
      expect(policy[0].resource!.configuration_policy.enabled_standard_arns).toContain(`arn:aws:securityhub:${home}::standards/${standard}`);
    }
  });

  test('flow logs: every member account, in each of its Regions', () => {
    const found = resources('vpc.flow-logs');
    for (const m of config.members) {
      expect(found.filter((r) => r.account === m.id).map((r) => r.region).sort()).toEqual([...(m.regions ?? governed)].sort());
    }
    for (const r of found) expect(r.resource).toMatchObject({ traffic_type: 'ALL' });
  });

  test('data events are "not-configured" in an org that lists none, and nothing else lacks a deployment', () => {
    expect(matrix.controls.filter((c) => c.status !== 'deployed').map((c) => [c.id, c.status])).toEqual(
      [
        ...(config.trail.dataEvents.s3.length === 0 && !config.trail.dataEvents.lambda && !config.trail.dataEvents.dynamodb ? [['cloudtrail.data-events', 'not-configured']] : []),
        ...(config.trail.networkActivityEvents.eventSources.length === 0 ? [['cloudtrail.network-activity-events', 'not-configured']] : []),
        ...(config.securityServices.macie.classificationJobs.length === 0 ? [['macie.classification-jobs', 'not-configured']] : []),
        ...(config.awsConfig.additionalRules.length === 0 ? [['config-rule.additional-rules', 'not-configured']] : []),
      ],
    );
    // The example records one exception, a Security Hub control it disables, with its reason; then
    // the buckets where AWS allows no Object Lock or KMS encryption, whatever the config.
    expect(matrix.exceptions).toEqual([
      ...config.securityServices.securityHub.disabledControls.map((c, i) => ({
        control: 'securityhub.organization',
        item: `Security Hub control ${c.id}`,
        reason: c.reason,
        configPath: `securityServices.securityHub.disabledControls[${i}]`,
      })),
      ...DESIGN_EXCEPTIONS,
    ]);
    expect(config.securityServices.securityHub.disabledControls.length).toBeGreaterThan(0);
  });

  test('each TSC criterion lists its controls with counts by status', () => {
    const cc72 = matrix.criteria.find((c) => c.id === 'CC7.2')!;
    expect(cc72.controls).toEqual(expect.arrayContaining(['cloudtrail.organization-trail', 'vpc.flow-logs', 'cis.root-account-usage', 'guardduty.organization']));
    for (const c of matrix.criteria) {
      expect(c.counts.deployed + c.counts.exception + c.counts.inherited + c.counts['not-configured']).toBe(c.controls.length);
    }
  });

  test('the Markdown names every control, its status and its evidence command', () => {
    for (const c of matrix.controls) {
      expect(markdown).toContain(`\`${c.id}\``);
    }
    expect(markdown).toContain('aws cloudtrail validate-logs');
    expect(markdown).toContain('## Prowler SOC 2 framework coverage');
  });

  test('a second synth with nothing changed leaves the matrix bytes as they are', () => {
    const before = readFileSync(join(outdir, 'evidence', 'control-matrix.json'), 'utf8');
    synthesizeInProcess(config, { outdir });
    expect(readFileSync(join(outdir, 'evidence', 'control-matrix.json'), 'utf8')).toBe(before);
  });
});

describe('exceptions', () => {
  const reasons = {
    rule: 'IAM users do not exist: people sign in through IAM Identity Center',
    trails: 'CIS monitoring is evaluated on the organization trail by our SIEM',
    cis: 'The CIS standard is run by our external scanner instead',
    control: 'Hardware MFA for root is held by the finance team',
  };
  const config = configWith((raw) => {
    raw.awsConfig = { ...(raw.awsConfig ?? {}), disabledRules: [{ name: 'iam-user-mfa-enabled', reason: reasons.rule }] };
    raw.monitoring = { ...(raw.monitoring ?? {}), accountTrails: false };
    raw.securityServices.securityHub = {
      ...(raw.securityServices.securityHub ?? {}),
      standards: ['aws-foundational-security-best-practices/v/1.0.0'],
      disabledControls: [{ id: 'IAM.6', reason: reasons.control }],
    };
    raw.controlExceptions = [
      { control: 'cloudtrail.account-trails', reason: reasons.trails },
      { control: 'securityhub.cis-standard', reason: reasons.cis },
    ];
  });
  let matrix: ControlMatrix;
  let markdown: string;
  beforeAll(() => {
    ({ matrix, markdown } = synthMatrix(config, 'exceptions'));
  });

  test('a control the config switches off is an exception with the config reason, not missing', () => {
    const statusOf = (id: string) => matrix.controls.find((c) => c.id === id)!;
    expect(statusOf('config-rule.iam-user-mfa-enabled')).toMatchObject({ status: 'exception', deployments: [] });
    expect(statusOf('config-rule.iam-user-mfa-enabled').statusNote).toContain(reasons.rule);
    expect(statusOf('cloudtrail.account-trails')).toMatchObject({ status: 'exception', deployments: [] });
    expect(statusOf('securityhub.cis-standard')).toMatchObject({ status: 'exception', deployments: [] });
    expect(statusOf('securityhub.organization').status).toBe('deployed');
    expect(matrix.exceptions).toEqual([
      { control: 'cloudtrail.account-trails', item: 'monitoring.accountTrails: false', reason: reasons.trails, configPath: 'controlExceptions[0]' },
      {
        control: 'securityhub.cis-standard',
        item: 'securityServices.securityHub.standards lists no cis-aws-foundations-benchmark version',
        reason: reasons.cis,
        configPath: 'controlExceptions[1]',
      },
      { control: 'config-rule.iam-user-mfa-enabled', item: 'AWS Config rule iam-user-mfa-enabled', reason: reasons.rule, configPath: 'awsConfig.disabledRules[0]' },
      { control: 'securityhub.organization', item: 'Security Hub control IAM.6', reason: reasons.control, configPath: 'securityServices.securityHub.disabledControls[0]' },
      ...DESIGN_EXCEPTIONS,
    ]);
    expect(matrix.guideConfigRules.find((r) => r.awsRuleName === 'iam-user-mfa-enabled')!.status).toBe('exception');
    for (const reason of Object.values(reasons)) expect(markdown).toContain(reason);
  });

  test('switching a control off without a reason is a config error naming controlExceptions', () => {
    expect(() => configWith((raw) => (raw.monitoring = { accountTrails: false }))).toThrow(ConfigError);
    expect(() => configWith((raw) => (raw.monitoring = { accountTrails: false }))).toThrow(/controlExceptions.*cloudtrail\.account-trails/s);
    expect(() => configWith((raw) => (raw.controlExceptions = [{ control: 'securityhub.cis-standard', reason: 'we run it elsewhere, honestly' }]))).toThrow(
      /controlExceptions\[0\]\.control: securityhub\.cis-standard is not switched off/,
    );
  });
});

describe('guardrail controls switched off', () => {
  // guardrails.resourceControlPolicies / centralizedRootAccess { enabled: false, reason } (config/guardrails-schema.ts):
  // each switches off a security control, which the matrix must show as an exception with the config's
  // reason, never as "not-configured" (optional, nothing asked for).
  const reasons = {
    rcp: 'A partner account outside the organization reads the archive directly',
    root: 'Root access is managed by the parent organization team',
    guardrails: 'Guardrails are enforced by the parent organization instead',
  };
  const rcpId = 'guardrails.resource-control-policies';
  const rootId = 'guardrails.centralized-root-access';
  const alarmIds = ['guardrails.break-glass-alarm', 'guardrails.exempt-role-change-alarm'];
  const control = (m: ControlMatrix, id: string) => m.controls.find((c) => c.id === id)!;
  /** Per criterion, the controls of the matrix whose status is `exception`. */
  const exceptionCounts = (m: ControlMatrix) => Object.fromEntries(m.criteria.map((c) => [c.id, c.counts.exception]));
  let on: ControlMatrix;
  let off: ControlMatrix;
  let offMarkdown: string;
  let guardrailsOff: ControlMatrix;
  beforeAll(() => {
    ({ matrix: on } = synthMatrix(exampleConfig(), 'guardrail-controls-on'));
    ({ matrix: off, markdown: offMarkdown } = synthMatrix(
      configWith((raw) => {
        raw.guardrails.resourceControlPolicies = { enabled: false, reason: reasons.rcp };
        raw.guardrails.centralizedRootAccess = { enabled: false, reason: reasons.root };
      }),
      'guardrail-controls-off',
    ));
    ({ matrix: guardrailsOff } = synthMatrix(
      configWith((raw) => {
        raw.guardrails = { enabled: false };
        raw.controlExceptions = [{ control: 'guardrails.service-control-policies', reason: reasons.guardrails }];
      }),
      'guardrails-off',
    ));
  });

  test('on (the default): deployed, and no exception names them', () => {
    for (const id of [rcpId, rootId, ...alarmIds]) expect(control(on, id).status).toBe('deployed');
    expect(on.exceptions.map((e) => e.control)).not.toEqual(expect.arrayContaining([rcpId]));
    expect(on.exceptions.map((e) => e.control)).not.toEqual(expect.arrayContaining([rootId]));
  });

  test('RCPs or centralized root access off, with a reason: an exception carrying that reason, counted under each criterion', () => {
    expect(control(off, rcpId)).toMatchObject({ status: 'exception', deployments: [], statusNote: `guardrails.resourceControlPolicies.enabled: false: ${reasons.rcp}` });
    expect(control(off, rootId)).toMatchObject({ status: 'exception', deployments: [], statusNote: `guardrails.centralizedRootAccess.enabled: false: ${reasons.root}` });
    expect(off.exceptions).toEqual(
      expect.arrayContaining([
        { control: rcpId, item: 'guardrails.resourceControlPolicies.enabled: false', reason: reasons.rcp, configPath: 'guardrails.resourceControlPolicies.reason' },
        { control: rootId, item: 'guardrails.centralizedRootAccess.enabled: false', reason: reasons.root, configPath: 'guardrails.centralizedRootAccess.reason' },
      ]),
    );
    // The SCPs and the alarms stay deployed.
    for (const id of ['guardrails.service-control-policies', ...alarmIds]) expect(control(off, id).status).toBe('deployed');
    // Each criterion of the two controls counts them as exceptions, on top of the example's.
    const before = exceptionCounts(on);
    const after = exceptionCounts(off);
    for (const c of off.criteria) {
      const added = [rcpId, rootId].filter((id) => c.controls.includes(id)).length;
      expect([c.id, after[c.id]]).toEqual([c.id, before[c.id] + added]);
      expect(c.counts.deployed + c.counts.exception + c.counts.inherited + c.counts['not-configured']).toBe(c.controls.length);
    }
    expect(off.criteria.some((c) => c.controls.includes(rcpId))).toBe(true);
    for (const reason of [reasons.rcp, reasons.root]) expect(offMarkdown).toContain(reason);
  });

  test('guardrails.enabled: false: the RCP, root access and exempt-role alarm controls are exceptions too, because the guardrails are off, under its reason', () => {
    expect(control(guardrailsOff, 'guardrails.service-control-policies')).toMatchObject({ status: 'exception', statusNote: `guardrails.enabled: false: ${reasons.guardrails}` });
    for (const id of [rcpId, rootId, ...alarmIds]) {
      const c = control(guardrailsOff, id);
      expect([id, c.status]).toEqual([id, 'exception']);
      expect(c.statusNote).toMatch(/^guardrails\.enabled: false \(.*\): /);
      expect(c.statusNote).toContain(reasons.guardrails);
      expect(guardrailsOff.exceptions).toContainEqual(expect.objectContaining({ control: id, reason: reasons.guardrails, configPath: 'controlExceptions[0]' }));
    }
    expect(control(guardrailsOff, rcpId).statusNote).toContain('the resource control policies come with the guardrails');
  });
});

describe('coverage of Prowler SOC 2 framework (soc2_aws)', () => {
  const matrix = (() => {
    const outdir = join(tmpdir(), `baseline-matrix-prowler-${process.pid}`);
    synthesizeInProcess(exampleConfig(), { outdir, cache: false });
    const m = JSON.parse(readFileSync(join(outdir, 'evidence', 'control-matrix.json'), 'utf8')) as ControlMatrix;
    rmSync(outdir, { recursive: true, force: true });
    return m;
  })();
  const coverage = matrix.frameworks.prowlerSoc2Aws.requirements.flatMap((r) => r.checks.map((c) => ({ requirement: r.id, ...c })));

  // The logging and monitoring checks of Prowler's soc2_aws framework (prowler-cloud/prowler
  // prowler/compliance/aws/soc2_aws.json at commit 179b09df735a51a4481a1f84fec555065341e237): those
  // of the services the baseline configures (CloudTrail, CloudWatch, Config, GuardDuty, Security Hub,
  // Macie, VPC flow logs, S3 log buckets, CloudWatch Logs, KMS keys of logs, alert topics).
  const LOGGING_AND_MONITORING_CHECKS = [
    'awslambda_function_invoke_api_operations_cloudtrail_logging_enabled',
    'cloudtrail_bedrock_logging_enabled',
    'cloudtrail_cloudwatch_logging_enabled',
    'cloudtrail_log_file_validation_enabled',
    'cloudtrail_logs_s3_bucket_access_logging_enabled',
    'cloudtrail_multi_region_enabled',
    'cloudtrail_s3_dataevents_read_enabled',
    'cloudtrail_s3_dataevents_write_enabled',
    'cloudtrail_threat_detection_enumeration',
    'cloudtrail_threat_detection_llm_jacking',
    'cloudtrail_threat_detection_privilege_escalation',
    'cloudwatch_changes_to_network_acls_alarm_configured',
    'cloudwatch_changes_to_network_gateways_alarm_configured',
    'cloudwatch_changes_to_network_route_tables_alarm_configured',
    'cloudwatch_changes_to_vpcs_alarm_configured',
    'cloudwatch_cross_account_sharing_disabled',
    'cloudwatch_log_group_kms_encryption_enabled',
    'cloudwatch_log_group_not_publicly_accessible',
    'cloudwatch_log_group_retention_policy_specific_days_enabled',
    'cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled',
    'cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled',
    'cloudwatch_log_metric_filter_authentication_failures',
    'cloudwatch_log_metric_filter_aws_organizations_changes',
    'cloudwatch_log_metric_filter_for_s3_bucket_policy_changes',
    'cloudwatch_log_metric_filter_policy_changes',
    'cloudwatch_log_metric_filter_root_usage',
    'cloudwatch_log_metric_filter_security_group_changes',
    'cloudwatch_log_metric_filter_unauthorized_api_calls',
    'config_recorder_all_regions_enabled',
    'guardduty_is_enabled',
    'guardduty_no_high_severity_findings',
    'kms_cmk_rotation_enabled',
    's3_bucket_default_encryption',
    's3_bucket_kms_encryption',
    's3_bucket_object_lock',
    's3_bucket_object_versioning',
    's3_bucket_public_access',
    's3_bucket_server_access_logging_enabled',
    'securityhub_enabled',
    'sns_topics_kms_encryption_at_rest_enabled',
    'vpc_flow_logs_enabled',
  ];

  test('the pinned framework is the published one: 27 requirements, each check listed', () => {
    expect(PROWLER_SOC2_FRAMEWORK.commit).toBe('179b09df735a51a4481a1f84fec555065341e237');
    expect(PROWLER_SOC2_FRAMEWORK.requirements).toHaveLength(27);
    const all = new Set(PROWLER_SOC2_FRAMEWORK.requirements.flatMap((r) => r.checks));
    for (const check of LOGGING_AND_MONITORING_CHECKS) expect(all).toContain(check);
  });

  test('every logging/monitoring check is satisfied by a control of the matrix, or a stated gap', () => {
    for (const check of LOGGING_AND_MONITORING_CHECKS) {
      const entries = coverage.filter((c) => c.check === check);
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) {
        if (e.status === 'satisfied') {
          for (const id of e.controls) expect(controlById(id)?.prowler).toContain(check);
        } else {
          expect(`${check}: ${e.status}`).toBe(`${check}: not-covered`);
          expect(e.note).toBe(NOT_COVERED_CHECKS[check]);
        }
      }
    }
    const satisfied = new Set(coverage.filter((c) => c.status === 'satisfied').map((c) => c.check));
    expect(satisfied.size).toBeGreaterThanOrEqual(LOGGING_AND_MONITORING_CHECKS.length - Object.keys(NOT_COVERED_CHECKS).length);
  });

  test('every other check of the framework is listed as customer responsibility, under its requirement', () => {
    const inScope = new Set(LOGGING_AND_MONITORING_CHECKS);
    const others = coverage.filter((c) => !inScope.has(c.check));
    expect(others.length).toBeGreaterThan(100);
    for (const c of others) expect(`${c.requirement} ${c.check}: ${c.status}`).toBe(`${c.requirement} ${c.check}: customer-responsibility`);
    expect(others.find((c) => c.check === 'rds_instance_backup_enabled')).toBeDefined();
  });
});

describe('the control declarations', () => {
  test('every control has criteria, a title, a description and an evidence item with an API call and what to look for', () => {
    for (const c of CONTROL_CATALOG) {
      expect(c.tsc.length).toBeGreaterThan(0);
      expect(c.title.length).toBeGreaterThan(10);
      expect(c.description.length).toBeGreaterThan(20);
      expect(c.evidence.api.length).toBeGreaterThan(0);
      for (const api of c.evidence.api) expect(api).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
      expect(c.evidence.command).toMatch(/^aws /);
      expect(c.evidence.lookFor.length).toBeGreaterThan(10);
    }
  });

  test('the config can switch off only controls the catalog declares', () => {
    for (const id of SWITCHABLE_CONTROLS) expect(controlById(id)).toBeDefined();
  });

  test('config/ does not import from modules/ or controls/', () => {
    const grep = spawnSync('grep', ['-rlE', "from '\\.\\./(modules|controls)/", join(REPO_ROOT, 'config')], { encoding: 'utf8' });
    expect(grep.stdout.trim()).toBe('');
  });
});

test('with alerts.subscriptions empty, synth warns naming the field and the matrix says the central route reaches no person', () => {
  const config = configWith((raw) => (raw.alerts = { ...raw.alerts, subscriptions: [] }));
  expect(configWarnings(config)).toContain(
    'alerts.subscriptions is empty: every CIS alarm and high-severity finding reaches the central alert topic, which nobody is subscribed to',
  );
  const { matrix, outdir } = synthMatrix(config, 'no-subscribers');
  rmSync(outdir, { recursive: true, force: true });
  for (const id of ['alerting.central-routing', 'alerting.route-watchdogs']) {
    const control = matrix.controls.find((c) => c.id === id)!;
    expect(control).toMatchObject({ status: 'deployed', statusNote: 'Deployed, but it reaches no person: alerts.subscriptions is empty, so the central alert topic has no subscriber.' });
  }
  // With subscribers, no such note.
  expect(synthMatrix(exampleConfig(), 'with-subscribers').matrix.controls.find((c) => c.id === 'alerting.central-routing')!.statusNote).toBeUndefined();
});
