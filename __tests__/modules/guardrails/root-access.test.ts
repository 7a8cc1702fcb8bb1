/**
 * Centralized root access (modules/guardrails/root-access.ts): the synthesized feature resource, its
 * plan-time prerequisite (IAM's trusted access), and the config switch.
 */
import { ROOT_ACCESS_FEATURES } from '../../../modules/guardrails/root-access';
import { configProblems, configWith, exampleConfig, resourcesOf, synthStack, type Synth } from '../../helpers';

const config = exampleConfig();
const management = synthStack(config, 'management');
const postconditions = (json: Synth) =>
  (Object.values(json.data!.aws_organizations_organization)[0] as any).lifecycle.postcondition as { condition: string; error_message: string }[];
const IAM_TRUSTED_ACCESS = '${contains(self.aws_service_access_principals, "iam.amazonaws.com")}';

describe('synthesized values', () => {
  test('on by default: aws_iam_organizations_features with RootCredentialsManagement and RootSessions, in the management account', () => {
    // enabled_features: "RootCredentialsManagement | RootSessions" (IAM API Reference,
    // EnableOrganizationsRootCredentialsManagement, EnabledFeatures:
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOrganizationsRootCredentialsManagement.html;
    // the resource: @cdktf/provider-aws lib/iam-organizations-features, registry page aws_iam_organizations_features).
    expect(ROOT_ACCESS_FEATURES).toEqual(['RootCredentialsManagement', 'RootSessions']);
    const features = resourcesOf(management, 'aws_iam_organizations_features');
    expect(features.map(([, f]) => ({ enabled_features: f.enabled_features, provider: f.provider }))).toEqual([
      { enabled_features: ['RootCredentialsManagement', 'RootSessions'], provider: 'aws.management' },
    ]);
    // It waits for the organization's read, whose postcondition checks IAM's trusted access.
    expect(features[0][1].depends_on).toEqual([expect.stringMatching(/^data\.aws_organizations_organization\./)]);
    const management_ = (management.provider!.aws as any[]).find((p) => p.alias === 'management');
    expect(management_.allowed_account_ids).toEqual(['111111111111']);
  });

  test('the plan checks trusted access for iam.amazonaws.com, naming the command and the field', () => {
    // "Enable trusted access for AWS Identity and Access Management in AWS Organizations" before enabling
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management).
    const check = postconditions(management).find((p) => p.condition === IAM_TRUSTED_ACCESS);
    expect(check?.error_message).toContain('aws organizations enable-aws-service-access --service-principal iam.amazonaws.com');
    expect(check?.error_message).toContain('guardrails.centralizedRootAccess');
  });

  test('recorded as the guardrails.centralized-root-access control', () => {
    // The control is recorded on the features resource (controls.json beside the stack).
    const { app } = jest.requireActual('../../../stacks/app').buildApp(config, { stacks: 'management', outdir: require('cdktf').Testing.app().outdir });
    const stack = app.node.findChild('management');
    const { stackControls } = jest.requireActual('../../../modules/control-model/record');
    const records = stackControls(stack).records.filter((r: any) => r.control === 'guardrails.centralized-root-access');
    expect(records).toEqual([{ control: 'guardrails.centralized-root-access', account: '111111111111', region: 'global', addresses: [expect.stringMatching(/^aws_iam_organizations_features\./)] }]);
  });
});

describe('config', () => {
  test('on by default', () => {
    expect(config.guardrails.centralizedRootAccess).toEqual({ enabled: true });
  });

  test('off without a reason is refused, naming the field', () => {
    const problems = configProblems((raw) => (raw.guardrails.centralizedRootAccess = { enabled: false }));
    expect(problems.join('\n')).toMatch(/guardrails\.centralizedRootAccess\.reason/);
  });

  test('a reason with enabled: true is refused', () => {
    const problems = configProblems((raw) => (raw.guardrails.centralizedRootAccess = { enabled: true, reason: 'nothing to say here at all, really' }));
    expect(problems.join('\n')).toMatch(/guardrails\.centralizedRootAccess\.reason/);
  });

  test('off with a reason: no features resource and no IAM trusted-access check', () => {
    const off = configWith((raw) => (raw.guardrails.centralizedRootAccess = { enabled: false, reason: 'Root access is managed by the parent organization team' }));
    const json = synthStack(off, 'management');
    expect(resourcesOf(json, 'aws_iam_organizations_features')).toEqual([]);
    expect(postconditions(json).some((p) => p.condition === IAM_TRUSTED_ACCESS)).toBe(false);
  });

  test('guardrails off: neither root access nor RCPs', () => {
    const off = configWith((raw) => {
      raw.guardrails = { enabled: false };
      raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 'guardrails.service-control-policies', reason: 'Guardrails are managed by another team here' }];
    });
    const json = synthStack(off, 'management');
    expect(resourcesOf(json, 'aws_iam_organizations_features')).toEqual([]);
    expect(resourcesOf(json, 'aws_organizations_policy')).toEqual([]);
  });
});
