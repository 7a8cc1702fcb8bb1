/**
 * docs/guardrails.md stays in step with the code: the Control Tower comparison table is the one the
 * data in modules/guardrails/control-tower.ts renders, and every statement the guardrails write is
 * documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROL_TOWER_CONTROLS, controlTowerComparisonTable } from '../../../modules/guardrails/control-tower';
import { scpStatements } from '../../../modules/guardrails/scp-statements';
import { configWith, exampleConfig, REPO_ROOT } from '../../helpers';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'guardrails.md'), 'utf8');
const START = '<!-- control-tower-comparison:start (generated from modules/guardrails/control-tower.ts) -->';
const END = '<!-- control-tower-comparison:end -->';

test('the Control Tower comparison table is the one the code renders', () => {
  const table = doc.slice(doc.indexOf(START) + START.length, doc.indexOf(END)).trim();
  expect(table).toBe(controlTowerComparisonTable());
});

test('it covers every mandatory control and the strongly recommended preventive ones', () => {
  const ids = CONTROL_TOWER_CONTROLS.map((c) => c.id);
  for (const id of [
    'AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED',
    'AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED',
    'AWS-GR_AUDIT_BUCKET_PUBLIC_WRITE_PROHIBITED',
    'AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED',
    'AWS-GR_CLOUDTRAIL_CLOUDWATCH_LOGS_ENABLED',
    'AWS-GR_CLOUDTRAIL_ENABLED',
    'AWS-GR_CLOUDTRAIL_VALIDATION_ENABLED',
    'AWS-GR_CLOUDWATCH_EVENTS_CHANGE_PROHIBITED',
    'AWS-GR_CONFIG_AGGREGATION_AUTHORIZATION_POLICY',
    'AWS-GR_CONFIG_AGGREGATION_CHANGE_PROHIBITED',
    'AWS-GR_CONFIG_CHANGE_PROHIBITED',
    'AWS-GR_CONFIG_ENABLED',
    'AWS-GR_CONFIG_RULE_CHANGE_PROHIBITED',
    'AWS-GR_CT_AUDIT_BUCKET_ENCRYPTION_CHANGES_PROHIBITED',
    'AWS-GR_CT_AUDIT_BUCKET_LIFECYCLE_CONFIGURATION_CHANGES_PROHIBITED',
    'AWS-GR_CT_AUDIT_BUCKET_LOGGING_CONFIGURATION_CHANGES_PROHIBITED',
    'AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED',
    'AWS-GR_IAM_ROLE_CHANGE_PROHIBITED',
    'AWS-GR_LAMBDA_CHANGE_PROHIBITED',
    'AWS-GR_LOG_GROUP_POLICY',
    'AWS-GR_SNS_CHANGE_PROHIBITED',
    'AWS-GR_SNS_SUBSCRIPTION_CHANGE_PROHIBITED',
    'AWS-GR_RESTRICT_ROOT_USER',
    'AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS',
  ]) {
    expect(ids).toContain(id);
  }
});

test('what the table says is left to Control Tower is what the code leaves out, and nothing else', () => {
  const plain = new Set(scpStatements(exampleConfig()).map((s) => s.Sid));
  const withCt = new Set(scpStatements(configWith((raw) => (raw.controlTower = { enabled: true }))).map((s) => s.Sid));
  const dropped = [...plain].filter((sid) => !withCt.has(sid));
  const leftToCt = CONTROL_TOWER_CONTROLS.filter((c) => c.skippedWithControlTower).flatMap((c) => c.baseline);
  expect(new Set(leftToCt)).toEqual(new Set(dropped));
  for (const s of scpStatements(exampleConfig()).filter((st) => st.duplicatedByControlTower)) {
    for (const id of s.duplicatedByControlTower!) expect(CONTROL_TOWER_CONTROLS.map((c) => c.id)).toContain(id.split(' ')[0]);
  }
});

test('every statement the guardrails write, and the break-glass alarm, is documented', () => {
  for (const s of scpStatements(exampleConfig())) expect(doc).toContain(`\`${s.Sid}\``);
  for (const sid of ['DenyKeyTamperingExceptPipeline', 'DenyArchiveTamperingExceptPipeline', 'BreakGlassRoleUsed']) expect(doc).toContain(sid);
  for (const c of CONTROL_TOWER_CONTROLS) for (const b of c.baseline.filter((x) => /^(Protect|Deny)\w+$/.test(x))) expect(doc).toContain(b);
});

test('it says how to create the pipeline role and what the break-glass procedure is', () => {
  expect(doc).toContain('## Creating the pipeline role and the break-glass role');
  expect(doc).toContain('## The break-glass procedure');
  expect(doc).toContain('RoleName: soc2-baseline-pipeline');
});
