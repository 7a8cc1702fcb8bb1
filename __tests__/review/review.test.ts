/**
 * `baseline review`: the SOC 2 guard flags each kind of weakening on hand-written plan fixtures in
 * Terraform's JSON plan format (__tests__/fixtures/plans), passes plans that only add or strengthen,
 * and accepts reviewed exceptions with their reason.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Baseline from '../../bin/baseline';
import { CommandError, UsageError, type CliValues } from '../../bin/cli-command';
import { findAllow, parseAllowOption, readAllowFile } from '../../review/allow';
import { reviewCommand } from '../../review/cli';
import { findWeakenings, reviewPlans } from '../../review/guard';
import { parsePlan, readPlan, stackNameOf } from '../../review/plan';
import { REVIEW_RULES } from '../../review/rules';
import { stringify } from 'yaml';
import { exampleRaw, REPO_ROOT } from '../helpers';

// "../../bin/baseline" is, at run time, the shell wrapper beside baseline.ts: name the module's file.
const { main } = require('../../bin/baseline.ts') as typeof Baseline;

const PLANS = join(__dirname, '..', 'fixtures', 'plans');
const plan = (name: string) => join(PLANS, `${name}.json`);

async function run(positionals: string[], values: CliValues = {}) {
  let stdout = '';
  let stderr = '';
  const code = await reviewCommand.run(values, positionals, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stderrIsTTY: false,
  });
  return { code, stdout, stderr };
}

/** The rule ids each fixture must trigger, and nothing else. */
const WEAKENINGS: Record<string, string[]> = {
  'log-bucket-deleted': ['log-bucket-destroyed'],
  'kms-key-replaced': ['kms-key-destroyed'],
  'trail-deleted': ['trail-destroyed'],
  'log-group-deleted': ['log-group-destroyed'],
  'config-recorder-deleted': ['config-recorder-destroyed'],
  'delivery-channel-replaced': ['delivery-channel-destroyed'],
  'guardduty-detector-deleted': ['guardduty-detector-destroyed'],
  'access-analyzer-replaced': ['access-analyzer-destroyed'],
  // access-analyzer-destroyed reads every analyzer, so a replaced unused access analyzer is both.
  'unused-access-analyzer-replaced': ['access-analyzer-destroyed', 'unused-access-analyzer-weakened'],
  'security-hub-deleted': ['security-hub-destroyed'],
  'macie-deleted': ['macie-destroyed'],
  'flow-log-deleted': ['flow-log-destroyed'],
  'cis-alarm-deleted': ['cis-monitoring-removed'],
  'guardrail-scp-detached': ['guardrails-removed'],
  'trail-logging-off': ['trail-logging-off'],
  'trail-multi-region-off': ['trail-multi-region-off'],
  'trail-log-file-validation-off': ['trail-log-file-validation-off'],
  'trail-global-events-off': ['trail-global-events-off'],
  'trail-organization-off': ['trail-organization-off'],
  'config-recording-stopped': ['config-recording-stopped'],
  'config-recording-narrowed': ['config-recording-narrowed'],
  'guardduty-detector-disabled': ['guardduty-detector-disabled'],
  'macie-paused': ['macie-paused'],
  'flow-log-traffic-narrowed': ['flow-log-destroyed', 'flow-log-traffic-narrowed'],
  'data-event-selector-dropped': ['trail-data-events-dropped'],
  'object-lock-retention-shortened': ['object-lock-retention-shortened'],
  'object-lock-disabled': ['log-bucket-destroyed', 'object-lock-disabled'],
  'lifecycle-expiration-shortened': ['lifecycle-expiration-shortened'],
  'log-group-retention-shortened': ['log-group-retention-shortened'],
  'versioning-suspended': ['versioning-suspended'],
  'public-access-block-loosened': ['public-access-block-loosened'],
  'tls-deny-removed': ['bucket-policy-tls-deny-removed'],
  'deny-statement-removed': ['bucket-policy-deny-removed'],
  'cis-metric-filter-pattern-changed': ['cis-metric-filter-changed'],
  'cis-alarm-threshold-changed': ['cis-alarm-changed'],
  'alert-rule-disabled': ['alert-rule-changed'],
  'alert-route-deleted': ['alert-route-removed'],
  'alert-subscription-filtered': ['alert-subscription-filtered'],
  'alert-route-policy-deleted': ['alert-route-policy-removed'],
  'guardduty-auto-enable-narrowed': ['guardduty-auto-enable-narrowed'],
  'guardduty-feature-disabled': ['guardduty-feature-disabled'],
  'guardduty-publishing-slowed': ['guardduty-publishing-slowed'],
  'config-rule-deleted': ['config-rule-destroyed'],
  'config-aggregator-deleted': ['config-aggregator-destroyed'],
  'bucket-encryption-weakened': ['bucket-encryption-weakened'],
  'bucket-access-logging-deleted': ['bucket-access-logging-removed'],
  // A sensitive bucket's logging deleted: the generic rule reads every aws_s3_bucket_logging, the sensitive one names its control.
  'sensitive-bucket-logging-removed': ['bucket-access-logging-removed', 'sensitive-bucket-logging-removed'],
  'security-hub-organization-narrowed': ['security-hub-organization-narrowed'],
  'security-hub-policy-narrowed': ['security-hub-policy-narrowed'],
  'security-delegation-removed': ['security-delegation-removed'],
  'macie-job-deleted': ['macie-job-destroyed'],
  'malware-protection-plan-weakened': ['malware-protection-plan-weakened'],
  'guardrail-policy-weakened': ['guardrail-policy-rewritten'],
  'key-policy-deny-removed': ['key-policy-deny-removed'],
  'key-policy-attached': ['key-policy-deny-removed'],
  'root-access-narrowed': ['root-access-narrowed'],
  'investigation-workgroup-weakened': ['investigation-workgroup-weakened'],
  'investigation-table-changed': ['investigation-table-changed'],
  'investigation-query-changed': ['investigation-query-changed'],
  'investigation-access-removed': ['investigation-access-removed'],
  // The red team's plan (real addresses of the synthesized stacks) that the guard used to pass.
  'red-team-alerting-weakened': [
    'alert-rule-changed',
    'alert-route-removed',
    'guardduty-auto-enable-narrowed',
    'guardduty-feature-disabled',
    'bucket-encryption-weakened',
    'config-rule-destroyed',
    'security-hub-organization-narrowed',
  ],
};

describe('the SOC 2 guard', () => {
  test.each(Object.entries(WEAKENINGS))('%s is flagged by %j, and the review fails', async (name, ids) => {
    const findings = findWeakenings(readPlan(plan(name)));
    expect([...new Set(findings.map((f) => f.rule.id))].sort()).toEqual([...ids].sort());
    const { code, stdout, stderr } = await run([plan(name)]);
    expect(code).toBe(1);
    for (const id of ids) expect(stdout).toContain(`\`${id}\``);
    expect(stdout).toContain('weaken');
    expect(stderr).toMatch(/error: \d+ changes? weakens? a SOC 2 control/);
  });

  test('every rule is exercised by a fixture', () => {
    const covered = new Set(Object.values(WEAKENINGS).flat());
    expect(REVIEW_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test('findings say what changes', () => {
    const details = (name: string) => findWeakenings(readPlan(plan(name))).map((f) => f.detail);
    expect(details('trail-logging-off')).toEqual(['enable_logging: true → false']);
    expect(details('object-lock-retention-shortened')).toEqual(['rule.default_retention: 365 days "GOVERNANCE" → 30 days "GOVERNANCE"']);
    expect(details('log-group-retention-shortened')).toEqual(['retention_in_days: 365 days → 7 days']);
    expect(details('lifecycle-expiration-shortened')).toEqual(['expiration: 365 days → 30 days']);
    expect(details('config-recording-narrowed')).toEqual([
      'recording_group.all_supported: true → false',
      'recording_group.include_global_resource_types: true → false',
      'recording_mode.recording_frequency: "CONTINUOUS" → "DAILY"',
    ]);
    // Only the Lambda selector goes; the S3 one only lists its prefixes in another order.
    expect(details('data-event-selector-dropped')).toEqual(['advanced_event_selector "Lambda invocations of the listed functions" is removed or changed']);
    expect(details('public-access-block-loosened')).toEqual([
      'block_public_policy: true → false',
      'restrict_public_buckets: true → false',
      'the public access block is deleted: block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets turn off',
    ]);
    expect(details('tls-deny-removed')).toEqual(['TLS deny statement "DenyInsecureTransport": removed or changed']);
    expect(details('deny-statement-removed')).toEqual(['Deny statement "DenyLogDeletion": removed or changed']);
    expect(details('cis-alarm-threshold-changed')).toEqual([
      'threshold: 1 → 50',
      'alarm_actions: ["arn:aws:sns:us-east-1:444444444444:acme-soc2-security-alerts"] → []',
    ]);
    expect(details('kms-key-replaced')[0]).toMatch(/^the KMS key \(or its alias\) is replaced \(destroyed, then created again\)/);
    expect(details('delivery-channel-replaced')[0]).toMatch(/replaced \(a new one is created first, then the old one destroyed\)/);
  });

  test('a CIS filter or alarm is reported against its own control', () => {
    const findings = findWeakenings(readPlan(plan('cis-alarm-deleted')));
    expect(findings.map((f) => f.controls.map((c) => c.id))).toEqual([['cis.cloudtrail-changes'], ['cis.cloudtrail-changes']]);
    expect(findWeakenings(readPlan(plan('cis-alarm-threshold-changed')))[0].controls.map((c) => c.id)).toEqual(['cis.unauthorized-api-calls']);
  });

  test('a plan that only adds passes: exit 0, with the counts and types of what it creates', async () => {
    const { code, stdout, stderr } = await run([plan('only-adds')]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('## Terraform plan review: 1 stack, no change weakens a control');
    expect(stdout).toContain('### `only-adds`');
    expect(stdout).toContain('**5 to create, 0 to update, 0 to replace, 0 to delete** (1 read, 1 unchanged)');
    expect(stdout).toContain('| `aws_cloudtrail` | 1 | 0 | 0 | 0 |');
    expect(stdout).toContain('| `aws_flow_log` | 1 | 0 | 0 | 0 |');
    // Data sources and unchanged resources are not listed by type.
    expect(stdout).not.toContain('aws_vpcs');
    expect(stdout).not.toContain('aws_iam_service_linked_role');
    expect(stdout).toContain('**SOC 2 guard: passed.**');
  });

  test('updates that strengthen controls pass, and deleting a resource no rule protects passes', async () => {
    // The fixture's one deletion is the CIS alarms' alert topic: a link of the alert route, now refused.
    expect(findWeakenings(readPlan(plan('updates-that-strengthen'))).map((f) => [f.rule.id, f.address])).toEqual([['alert-route-removed', 'aws_sns_topic.cis-alarms_alerts_topic_9F2C4E11']]);
    expect(findWeakenings(readPlan(plan('bucket-policy-rewritten')))).toEqual([]);
    expect(findWeakenings(readPlan(plan('unprotected-resource-deleted')))).toEqual([]);
    const { code, stdout } = await run([plan('updates-that-strengthen'), plan('bucket-policy-rewritten'), plan('unprotected-resource-deleted')], {
      allow: ['aws_sns_topic.cis-alarms_alerts_topic_9F2C4E11=CHG-7 topic moved'],
    });
    expect(code).toBe(0);
    expect(stdout).toContain('## Terraform plan review: 3 stacks, no change weakens a control');
    expect(stdout).toContain('**0 to create, 3 to update, 0 to replace, 1 to delete**');
  });

  test('guardrail policies, key policies and root access features that only grow pass; each weakening says what goes', () => {
    // Healthy: a Sid renamed, a statement added, an action list reordered, a feature added.
    expect(findWeakenings(readPlan(plan('guardrails-strengthened'))).map((f) => `${f.rule.id} ${f.address}: ${f.detail}`)).toEqual([]);
    const details = (name: string) => findWeakenings(readPlan(plan(name))).map((f) => f.detail);
    expect(details('guardrail-policy-weakened')).toEqual(['Deny statement "ProtectBaselineTrails": removed or changed']);
    expect(details('key-policy-deny-removed')).toEqual(['Deny statement "DenyKeyTamperingExceptPipeline": removed or changed']);
    expect(details('root-access-narrowed')).toEqual(['enabled_features: "RootSessions" is removed']);
    // The SCP's finding is the SCP control's, an RCP's the RCP control's.
    const [scp] = findWeakenings(readPlan(plan('guardrail-policy-weakened')));
    expect(scp.controls.map((c) => c.id)).toEqual(['guardrails.service-control-policies']);
  });

  test('alerting, detection and encryption changes that keep their control pass (the healthy case of each new rule)', async () => {
    expect(findWeakenings(readPlan(plan('alerting-detection-kept'))).map((f) => `${f.rule.id} ${f.address}: ${f.detail}`)).toEqual([]);
    const { code, stderr } = await run([plan('alerting-detection-kept')]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  test('the red team\'s plan fails, each weakening named, and passes only with every address allowed', async () => {
    const findings = findWeakenings(readPlan(plan('red-team-alerting-weakened')));
    expect(findings.map((f) => `${f.rule.id}: ${f.detail}`)).toEqual(
      expect.arrayContaining([
        'alert-rule-changed: state: "ENABLED" → "DISABLED"',
        'alert-route-removed: this link of the alert route is deleted: alarms and findings stop reaching the people subscribed to the alert topic (a new subscription waits for confirmation)',
        'guardduty-auto-enable-narrowed: auto_enable_organization_members: "ALL" → "NONE"',
        'guardduty-feature-disabled: status: "ENABLED" → "DISABLED"',
        'bucket-encryption-weakened: sse_algorithm: "aws:kms" → "AES256"',
        'bucket-encryption-weakened: kms_master_key_id: "arn:aws:kms:us-east-1:222222222222:key/x" → unset',
        'config-rule-destroyed: the Config rule is deleted: what it checks is no longer evaluated, and its compliance history is lost',
        'security-hub-organization-narrowed: the organization configuration is deleted: central configuration of the member accounts ends',
      ]),
    );
    expect(findings.find((f) => f.rule.id === 'config-rule-destroyed')!.controls.map((c) => c.id)).toEqual(['config-rule.access-keys-rotated']);
    const addresses = [...new Set(findings.map((f) => f.address))];
    expect((await run([plan('red-team-alerting-weakened')], { allow: addresses.slice(1).map((a) => `${a}=CHG-9`) })).code).toBe(1);
    const allowed = await run([plan('red-team-alerting-weakened')], { allow: addresses.map((a) => `${a}=CHG-9 reviewed`) });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(`(${findings.length} reviewed exceptions)`);
  });

  test('the new rules say what weakens', () => {
    const details = (name: string) => findWeakenings(readPlan(plan(name))).map((f) => f.detail);
    expect(details('alert-rule-disabled')).toEqual([
      'state: "ENABLED" → "DISABLED"',
      expect.stringMatching(/^event_pattern: /),
      'arn: "arn:aws:sns:us-east-1:333333333333:acme-soc2-security-findings" → "arn:aws:sns:us-east-1:333333333333:somewhere-else"',
      'dead_letter_config: [{"arn":"arn:aws:sqs:us-east-1:333333333333:acme-soc2-central-dlq"}] → unset',
    ]);
    expect(details('alert-subscription-filtered')).toEqual([
      'filter_policy: "" → "{\\"severity\\": [\\"LOW\\"]}"',
      'raw_message_delivery: false → true',
      'endpoint: "security-lead@example.com" → "nobody@example.net"',
    ]);
    expect(details('guardduty-auto-enable-narrowed')).toEqual([
      'auto_enable_organization_members: "ALL" → "NEW"',
      'additional_configuration "ECS_FARGATE_AGENT_MANAGEMENT".auto_enable: "ALL" → "NONE"',
      'the organization feature "S3_DATA_EVENTS" is deleted: member accounts are no longer auto-enabled (auto_enable "ALL")',
    ]);
    expect(details('guardduty-feature-disabled')).toEqual(['status: "ENABLED" → "DISABLED"', 'additional_configuration "EKS_ADDON_MANAGEMENT".status: "ENABLED" → "DISABLED"']);
    expect(details('guardduty-publishing-slowed')).toEqual(['finding_publishing_frequency: "FIFTEEN_MINUTES" → "SIX_HOURS"']);
    expect(details('bucket-encryption-weakened')).toEqual([
      'sse_algorithm: "aws:kms" → "AES256"',
      'kms_master_key_id: "arn:aws:kms:us-east-1:222222222222:key/1111aaaa-2222-bbbb-3333-cccc4444dddd" → unset',
      'bucket_key_enabled: true → false',
      'kms_master_key_id: "arn:aws:kms:us-east-1:222222222222:key/1111aaaa-2222-bbbb-3333-cccc4444dddd" → unset',
    ]);
    expect(details('bucket-access-logging-deleted')).toEqual([
      'the access logging configuration is deleted: access to the log bucket is no longer logged',
      'target_bucket: "acme-soc2-access-logs-222222222222" → "someone-elses-bucket"',
    ]);
    expect(details('security-hub-organization-narrowed')).toEqual(['organization_configuration.configuration_type: "CENTRAL" → "LOCAL"', 'specified_regions: "us-west-2" no longer linked']);
    expect(details('security-hub-policy-narrowed')).toEqual([
      'configuration_policy.enabled_standard_arns: "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0" dropped',
      'security_controls_configuration.disabled_control_identifiers: "CloudTrail.1" added',
    ]);
    const config = findWeakenings(readPlan(plan('config-rule-deleted')));
    expect(config.map((f) => f.controls.map((c) => c.id))).toEqual([['config-rule.access-keys-rotated'], ['config-rule.additional-rules']]);
    expect(findWeakenings(readPlan(plan('security-delegation-removed'))).map((f) => f.controls.map((c) => c.id))).toEqual([['guardduty.organization'], ['config.aggregator']]);
  });

  test('a value known only after apply cannot prove a control stays on: flagged', () => {
    const data = JSON.parse(JSON.stringify(require(plan('log-group-retention-shortened'))));
    const change = data.resource_changes[0].change;
    delete change.after.retention_in_days;
    change.after_unknown = { retention_in_days: true };
    expect(findWeakenings(parsePlan(data, 'unknown.json', 'x')).map((f) => f.detail)).toEqual(['retention_in_days: known only after apply']);
  });
});

describe('reviewed exceptions', () => {
  test('--allow ADDRESS=REASON accepts the change: exit 0, listed with its reason', async () => {
    const reason = 'CHG-1042 account leaves the organization';
    const { code, stdout, stderr } = await run([plan('trail-deleted')], { allow: [`aws_cloudtrail.account-trail_EA23C7B9=${reason}`] });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('no change weakens a control (1 reviewed exception)');
    expect(stdout).toContain('**Accepted exceptions** (1 change reviewed, not failing):');
    expect(stdout).toContain(`| \`trail-destroyed\` A CloudTrail trail is deleted or replaced | \`aws_cloudtrail.account-trail_EA23C7B9\` | the trail is deleted: API activity goes unrecorded until a trail logs again | ${reason} |`);
  });

  test('an allow file accepts the change in its stack only; another stack still fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-review-'));
    try {
      for (const stack of ['member-555555555555', 'member-444444444444']) {
        mkdirSync(join(dir, 'stacks', stack), { recursive: true });
        copyFileSync(plan('trail-deleted'), join(dir, 'stacks', stack, 'plan.json'));
      }
      const allowFile = join(PLANS, 'allow.yaml');
      const accepted = await run([join(dir, 'stacks', 'member-555555555555', 'plan.json')], { 'allow-file': allowFile });
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toContain('### `member-555555555555`');
      expect(accepted.stdout).toContain('CHG-1042: account 555555555555 leaves the organization');
      const both = await run([join(dir, 'stacks', 'member-555555555555', 'plan.json'), join(dir, 'stacks', 'member-444444444444', 'plan.json')], {
        'allow-file': allowFile,
        format: 'json',
      });
      expect(both.code).toBe(1);
      const json = JSON.parse(both.stdout);
      expect(json.passed).toBe(false);
      expect(json.stacks.map((s: any) => [s.stack, s.violations.length, s.accepted.length])).toEqual([
        ['member-555555555555', 0, 1],
        ['member-444444444444', 1, 0],
      ]);
      expect(json.stacks[0].accepted[0]).toMatchObject({ rule: 'trail-destroyed', reason: expect.stringContaining('CHG-1042'), allowedBy: allowFile });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an address without instance key accepts every instance; a stale allow is warned about', async () => {
    const { code, stderr } = await run([plan('flow-log-deleted')], {
      allow: ['aws_flow_log.vpc-flow-logs_flow-log-us-east-1_C179F5F4=VPC deleted', 'aws_kms_key.unused=nothing'],
    });
    expect(code).toBe(0);
    expect(stderr).toBe('warning: --allow aws_kms_key.unused matches no weakening change in these plans\n');
  });

  test('--allow parsing: reason, stack prefix, and "=" or ":" inside an instance key', () => {
    expect(parseAllowOption('aws_s3_bucket.b')).toMatchObject({ address: 'aws_s3_bucket.b', reason: '(no reason given)' });
    expect(parseAllowOption('member-1:aws_s3_bucket.b=because')).toMatchObject({ stack: 'member-1', address: 'aws_s3_bucket.b', reason: 'because' });
    expect(parseAllowOption('aws_flow_log.f["a=b:c"]=why=not')).toMatchObject({ address: 'aws_flow_log.f["a=b:c"]', reason: 'why=not' });
    expect(() => parseAllowOption('=reason')).toThrow(UsageError);
    const entries = [parseAllowOption('aws_flow_log.f')];
    expect(findAllow(entries, 's', 'aws_flow_log.f["vpc-1"]')).toBeDefined();
    expect(findAllow(entries, 's', 'aws_flow_log.g["vpc-1"]')).toBeUndefined();
  });

  test('allow file errors name the entry and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-allow-'));
    try {
      const file = join(dir, 'allow.json');
      writeFileSync(file, JSON.stringify([{ address: 'aws_s3_bucket.b' }]));
      expect(() => readAllowFile(file)).toThrow(`--allow-file ${file}: entry 1 (aws_s3_bucket.b): "reason" is required`);
      writeFileSync(file, JSON.stringify({ allow: [{ address: 'a.b', reason: 'r', owner: 'x' }] }));
      expect(() => readAllowFile(file)).toThrow('entry 1: unknown field "owner" (fields: address, reason, stack)');
      writeFileSync(file, 'address: x');
      expect(() => readAllowFile(file)).toThrow('expected a list of {address, reason} entries');
      expect(() => readAllowFile(join(dir, 'missing.yaml'))).toThrow(/cannot read it: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('plans and the command line', () => {
  test('the stack is --stack, else the folder under stacks/, else the file name', () => {
    expect(stackNameOf('cdktf.out/stacks/member-111111111111/plan.json')).toBe('member-111111111111');
    expect(stackNameOf('/tmp/management.plan.json')).toBe('management');
    expect(stackNameOf('out/member-2.tfplan.json')).toBe('member-2');
    expect(stackNameOf('x/plan.json', 'management')).toBe('management');
  });

  test('the JSON output has counts, types, findings and controls', async () => {
    const { code, stdout } = await run([plan('log-bucket-deleted')], { format: 'json', stack: 'management' });
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.stacks[0]).toMatchObject({
      stack: 'management',
      terraformVersion: '1.10.5',
      counts: { create: 0, update: 0, replace: 0, delete: 1, forget: 0, read: 0, 'no-op': 0 },
      byType: [{ type: 'aws_s3_bucket', counts: { delete: 1 } }],
      violations: [{ rule: 'log-bucket-destroyed', address: 'aws_s3_bucket.log-archive_flowlogs_bucket_38F1DD3D', controls: ['log-archive.retention', 'log-archive.object-lock'] }],
    });
  });

  test('through bin/baseline: repeated --allow, exit codes 0, 1 and 2', async () => {
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), stderrIsTTY: false } };
    };
    const a = io();
    expect(await main(['review', plan('trail-deleted'), '--allow', 'aws_cloudtrail.account-trail_EA23C7B9=CHG-1', '--allow', 'aws_s3_bucket.x=CHG-2'], a.io)).toBe(0);
    expect(a.out.stdout).toContain('| CHG-1 |');
    const b = io();
    expect(await main(['review', plan('trail-deleted'), '--format', 'json'], b.io)).toBe(1);
    expect(JSON.parse(b.out.stdout).passed).toBe(false);
    const c = io();
    expect(await main(['review', plan('trail-deleted'), '--format', 'xml'], c.io)).toBe(2);
    expect(c.out.stderr).toMatch(/^error: --format: must be one of markdown, json \(got "xml"\)\nusage:/);
  });

  test('usage errors name the option', async () => {
    await expect(run([])).rejects.toThrow(new UsageError('review needs at least one PLAN.json: the output of `terraform show -json PLANFILE`'));
    await expect(run([plan('only-adds')], { format: 'html' })).rejects.toThrow('--format: must be one of markdown, json (got "html")');
    await expect(run([plan('only-adds'), plan('trail-deleted')], { stack: 'x' })).rejects.toThrow('--stack: names the stack of one plan');
  });

  test('a file that is not a JSON plan is refused, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-plan-'));
    try {
      const file = join(dir, 'plan.json');
      writeFileSync(file, 'Terraform will perform the following actions:');
      expect(() => readPlan(file)).toThrow(CommandError);
      expect(() => readPlan(file)).toThrow(`${file}: not valid JSON`);
      expect(() => parsePlan({ values: {} }, 'state.json', 's')).toThrow('no "format_version"');
      expect(() => parsePlan({ format_version: '1.0', values: { root_module: {} } }, 'state.json', 's')).toThrow('this is a state, not a plan');
      expect(() => parsePlan({ format_version: '2.0', resource_changes: [] }, 'p.json', 's')).toThrow('"format_version" 2.0 is not supported');
      expect(() => parsePlan({ format_version: '1.2', errored: true, resource_changes: [] }, 'p.json', 's')).toThrow('the plan errored');
      const odd = { format_version: '1.2', resource_changes: [{ address: 'a.b', type: 'a', change: { actions: ['update', 'delete'] } }] };
      expect(() => parsePlan(odd, 'p.json', 's')).toThrow('resource_changes[0] (a.b): unknown "change.actions" ["update","delete"]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('reviewPlans of no allow entries reports nothing unused', () => {
    expect(reviewPlans([readPlan(plan('only-adds'))], []).unusedAllows).toEqual([]);
  });

  test('docs/pipeline.md lists every rule', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'pipeline.md'), 'utf8');
    expect(REVIEW_RULES.filter((rule) => !doc.includes(`| \`${rule.id}\` |`)).map((r) => r.id)).toEqual([]);
  });

  test('every rule declares controls, resource types and a unique id', () => {
    for (const rule of REVIEW_RULES) {
      expect(rule.controls.length).toBeGreaterThan(0);
      expect(rule.resourceTypes.every((t) => t.startsWith('aws_'))).toBe(true);
    }
    expect(new Set(REVIEW_RULES.map((r) => r.id)).size).toBe(REVIEW_RULES.length);
  });
});

describe('baseline review --destroy: the destroy plan of a removed member, and nothing else', () => {
  const BIN = join(REPO_ROOT, 'bin', 'baseline');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baseline-review-destroy-'));
    const raw = exampleRaw();
    raw.removedMembers = [{ ...raw.members[4], id: '666666666666', email: 'aws-retired@example.com', name: 'retired', removedOn: '2026-11-30', reason: 'CHG-2001: account closed by its owner' }];
    writeFileSync(join(dir, 'org.yaml'), stringify(raw));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function review(args: string[]) {
    const env = { ...process.env };
    delete env.BASELINE_CONFIG;
    const r = spawnSync(BIN, ['review', ...args], { cwd: dir, env, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  const destroyPlan = plan('member-stack-destroyed');

  test('a plan deleting a stack\'s controls fails for a live stack, and without --destroy for a removed one too', () => {
    const live = review([destroyPlan, '--stack', 'member-444444444444']);
    expect(live.status).toBe(1);
    expect(live.stdout).toContain('`trail-destroyed`');
    expect(live.stdout).toContain('`config-recorder-destroyed`');
    expect(live.stderr).toMatch(/error: \d+ changes weaken a SOC 2 control/);
    expect(review([destroyPlan, '--stack', 'member-666666666666']).status).toBe(1);
  }, 60_000);

  test('the destroy plan of a stack of removedMembers passes with --destroy, each deletion accepted with the removal as reason', () => {
    const r = review([destroyPlan, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('**SOC 2 guard: passed.**');
    expect(r.stdout).toContain('destroy of member-666666666666: account 666666666666 removed from the baseline on 2026-11-30 (removedMembers of org.yaml)');
    // BASELINE_CONFIG names the config as well (what the generated jobs set).
    const env = spawnSync(BIN, ['review', destroyPlan, '--stack', 'member-666666666666', '--destroy'], { cwd: dir, env: { ...process.env, BASELINE_CONFIG: 'org.yaml' }, encoding: 'utf8' });
    expect(env.status).toBe(0);
  }, 60_000);

  test('--destroy is refused for a live stack, a stack the config does not name, and a plan that is not a destroy', () => {
    const live = review([destroyPlan, '--stack', 'member-444444444444', '--destroy', '--config', 'org.yaml']);
    expect(live.status).toBe(1);
    expect(live.stderr).toBe(
      'error: --destroy: member-444444444444 is a live stack of org.yaml (not in removedMembers): a plan that deletes its controls fails the review; take the account out with baseline remove first\n',
    );
    expect(review([destroyPlan, '--stack', 'member-123412341234', '--destroy', '--config', 'org.yaml']).stderr).toContain(
      'error: --destroy: member-123412341234 is not a stack of removedMembers in org.yaml',
    );
    const notDestroy = review([plan('only-adds'), '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(notDestroy.status).toBe(1);
    expect(notDestroy.stderr).toMatch(/^error: --destroy: .*only-adds\.json is not a destroy plan of member-666666666666: \S+ is create/);
    expect(review([destroyPlan, '--config', 'org.yaml']).status).toBe(2);
  }, 60_000);
  /** The fixture, rewritten: `edit` gets its JSON text; written to a temporary file. */
  function variant(name: string, edit: (text: string) => string): string {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, edit(readFileSync(destroyPlan, 'utf8')));
    return file;
  }

  test('the review says which account the destroy plan deletes from', () => {
    const r = review([destroyPlan, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('**Destroy plan of `member-666666666666`: it deletes from AWS account 666666666666**')).toBe(true);
  }, 60_000);

  test('a destroy plan of the live account 444444444444 labelled as the removed stack is refused (provider and ARNs rewritten)', () => {
    // The red team's plan: an Atlantis project dir pointed at member-444444444444, or an override file
    // in the removed stack's folder, plans the live account under the removed stack's name.
    const relabelled = variant('relabelled', (t) => t.replaceAll('666666666666', '444444444444'));
    const r = review([relabelled, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('provider aws allows account(s) 444444444444, not only 666666666666');
    expect(r.stdout).toBe('');
  }, 60_000);

  test('a plan whose provider names the removed account but whose deleted resources are in another account is refused, naming the resource', () => {
    // e.g. a backend override reading the live account's state: the provider still says 666666666666.
    const plan = JSON.parse(readFileSync(destroyPlan, 'utf8'));
    const trail = plan.resource_changes.find((rc: any) => rc.type === 'aws_cloudtrail');
    trail.change.before.arn = trail.change.before.arn.replace('666666666666', '444444444444');
    const file = join(dir, 'foreign-arn.json');
    writeFileSync(file, JSON.stringify(plan));
    const r = review([file, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${trail.address} is in account 444444444444 (arn), not 666666666666`);
    // An assume_role into another account, an extra provider, or no provider configuration: refused too.
    const role = variant('role', (t) => t.replace('arn:aws:iam::666666666666:role/soc2-baseline-pipeline', 'arn:aws:iam::444444444444:role/soc2-baseline-pipeline'));
    expect(review([role, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']).stderr).toContain('provider aws assumes arn:aws:iam::444444444444:role/soc2-baseline-pipeline, a role of account 444444444444, not 666666666666');
    const extra = JSON.parse(readFileSync(destroyPlan, 'utf8'));
    extra.configuration.provider_config['aws.live'] = { ...extra.configuration.provider_config.aws, alias: 'live' };
    writeFileSync(join(dir, 'extra.json'), JSON.stringify(extra));
    expect(review([join(dir, 'extra.json'), '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']).stderr).toContain('provider aws.live is not one a member stack has');
    delete extra.configuration;
    writeFileSync(join(dir, 'none.json'), JSON.stringify(extra));
    expect(review([join(dir, 'none.json'), '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']).stderr).toContain('has no "configuration"');
  }, 60_000);

  test('the audit provider\'s Macie membership of the removed account passes; one of another member is refused', () => {
    const other = variant('macie', (t) => t.replace('"account_id": "666666666666"', '"account_id": "444444444444"'));
    const r = review([other, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('aws_macie2_member.macie-membership_member-us-east-1_5D2B0C11 is deleted from the audit account 333333333333 but concerns account(s) 444444444444, not only 666666666666');
  }, 60_000);

  // A second review found these passing: deletions in the audit account under the aws.audit provider
  // other than the removed member's Macie resources, a resource of a non-AWS provider, and a Macie
  // membership only in the state (no provider_config_key) being checked as the default provider's.
  function withChange(name: string, change: Record<string, unknown>, configured?: string): string {
    const doc = JSON.parse(readFileSync(destroyPlan, 'utf8'));
    doc.resource_changes.push(change);
    if (configured) doc.configuration.root_module.resources.push({ address: change.address, mode: 'managed', type: change.type, name: 'x', provider_config_key: configured });
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(doc));
    return file;
  }
  const deleted = (address: string, type: string, before: Record<string, unknown>) => ({
    address, mode: 'managed', type, name: 'x', provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions: ['delete'], before, after: null, after_unknown: {} },
  });

  test('in the audit account only the removed member\'s Macie resources may be deleted', () => {
    const detector = withChange('audit-detector', deleted('aws_guardduty_detector.x', 'aws_guardduty_detector', { arn: 'arn:aws:guardduty:us-east-1:333333333333:detector/abc', id: 'abc' }), 'aws.audit');
    const r1 = review([detector, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain('aws_guardduty_detector.x is deleted from the audit account 333333333333 but is not a resource a member stack has there');
    // A bucket policy has no ARN and no account id: under the audit provider it is refused all the same.
    const policy = withChange('audit-policy', deleted('aws_s3_bucket_policy.x', 'aws_s3_bucket_policy', { bucket: 'audit-bucket', id: 'audit-bucket' }), 'aws.audit');
    expect(review([policy, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']).status).toBe(1);
    // A Macie job in the audit account that scans another member's buckets.
    const job = withChange('audit-job', deleted('aws_macie2_classification_job.x', 'aws_macie2_classification_job', {
      arn: 'arn:aws:macie2:us-east-1:333333333333:classification-job/j', s3_job_definition: [{ bucket_definitions: [{ account_id: '444444444444', buckets: ['b'] }] }],
    }), 'aws.audit');
    const r3 = review([job, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toContain('concerns account(s) 444444444444');
  }, 60_000);

  test('a resource that is not an AWS resource is refused', () => {
    const data = withChange('terraform-data', { ...deleted('terraform_data.x', 'terraform_data', { id: 'x' }), provider_name: 'terraform.io/builtin/terraform' });
    const r = review([data, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('terraform_data.x is a terraform_data, not an AWS resource a member stack has');
  }, 60_000);

  test('the removed member\'s Macie membership only in the state (construct renamed since) passes; another member\'s is refused', () => {
    const before = { account_id: '666666666666', arn: 'arn:aws:macie2:us-east-1:333333333333:member/666666666666', id: '666666666666' };
    const orphan = withChange('orphan-macie', deleted('aws_macie2_member.renamed', 'aws_macie2_member', before));
    const ok = review([orphan, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']);
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
    const foreign = withChange('orphan-macie-other', deleted('aws_macie2_member.renamed', 'aws_macie2_member', { ...before, account_id: '444444444444' }));
    expect(review([foreign, '--stack', 'member-666666666666', '--destroy', '--config', 'org.yaml']).status).toBe(1);
  }, 60_000);
});
