/**
 * `baseline review`: the SOC 2 guard flags each kind of weakening on hand-written plan fixtures in
 * Terraform's JSON plan format (__tests__/fixtures/plans), passes plans that only add or strengthen,
 * and accepts reviewed exceptions with their reason.
 */
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
    expect(findWeakenings(readPlan(plan('updates-that-strengthen')))).toEqual([]);
    expect(findWeakenings(readPlan(plan('bucket-policy-rewritten')))).toEqual([]);
    const { code, stdout } = await run([plan('updates-that-strengthen'), plan('bucket-policy-rewritten')]);
    expect(code).toBe(0);
    expect(stdout).toContain('## Terraform plan review: 2 stacks, no change weakens a control');
    expect(stdout).toContain('**0 to create, 3 to update, 0 to replace, 1 to delete**');
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
