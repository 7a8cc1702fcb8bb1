/**
 * IAM Access Analyzer unused access (`access-analyzer.unused-access`): one ORGANIZATION_UNUSED_ACCESS
 * analyzer in the audit account, home Region, with the configured unused access age and no analysis
 * rule; the switch, its control exception and the age's range. Arguments of `aws_accessanalyzer_analyzer`
 * from the provider (internal/service/accessanalyzer/analyzer.go: `configuration.unused_access`
 * `unused_access_age`, `analysis_rule.exclusion`, all ForceNew; `type` ORGANIZATION_UNUSED_ACCESS).
 */
import { Testing, type TerraformStack } from 'cdktf';
import { buildApp } from '../../stacks/app';
import { stackControls } from '../../modules/control-model/record';
import { configProblems, configWith, exampleConfig, resourcesOf, synthStack, type Synth } from '../helpers';

const config = exampleConfig();
const { home, governed } = config.regions;
const audit = config.organization.auditAccountId;

const analyzers = (json: Synth) => resourcesOf(json, 'aws_accessanalyzer_analyzer').map(([, a]) => a);
const unused = (json: Synth) => analyzers(json).filter((a) => a.type === 'ORGANIZATION_UNUSED_ACCESS');
const withException = (raw: Record<string, any>) => {
  raw.securityServices ??= {};
  raw.securityServices.accessAnalyzer = { ...raw.securityServices.accessAnalyzer, unusedAccess: { enabled: false } };
  raw.controlExceptions = [...(raw.controlExceptions ?? []), { control: 'access-analyzer.unused-access', reason: 'Access reviews run on our IdP export; we pay for no second list' }];
};

describe('by default', () => {
  const json = synthStack(config, 'management');

  test('one unused access analyzer, in the audit account, home Region only, 90 days, no exclusion', () => {
    // "For unused access, findings for the analyzer do not change based on Region. Creating an analyzer
    // in each Region where you have resources is not required" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-unused.html).
    expect(unused(json)).toHaveLength(1);
    const [a] = unused(json);
    expect(a).toMatchObject({ provider: 'aws.audit', region: home, analyzer_name: 'acme-soc2-unused-access', configuration: { unused_access: { unused_access_age: 90 } } });
    expect(a.configuration.unused_access.analysis_rule).toBeUndefined();
    expect(a.depends_on).toEqual([expect.stringMatching(/^aws_organizations_delegated_administrator\.delegation_access-analyzer_/)]);
  });

  test('the external access analyzers are still one per governed Region', () => {
    expect(analyzers(json).filter((a) => a.type === 'ORGANIZATION').map((a) => a.region).sort()).toEqual([...governed].sort());
  });

  test('the analyzer is recorded for the control in the audit account and home Region', () => {
    const { app } = buildApp(config, { stacks: 'management', outdir: Testing.app().outdir });
    const records = stackControls(app.node.findChild('management') as TerraformStack).records.filter((r) => r.control === 'access-analyzer.unused-access');
    expect(records).toEqual([{ control: 'access-analyzer.unused-access', account: audit, region: home, addresses: [expect.stringMatching(/^aws_accessanalyzer_analyzer\./)] }]);
  });
});

test('the configured unused access age is the analyzer\'s', () => {
  const json = synthStack(configWith((raw) => (raw.securityServices = { ...raw.securityServices, accessAnalyzer: { ...raw.securityServices?.accessAnalyzer, unusedAccess: { unusedAccessAgeDays: 180 } } })), 'management');
  expect(unused(json)[0].configuration.unused_access.unused_access_age).toBe(180);
});

test('switched off with its control exception: no unused access analyzer, the external ones stay', () => {
  const json = synthStack(configWith(withException), 'management');
  expect(unused(json)).toEqual([]);
  expect(analyzers(json)).toHaveLength(governed.length);
});

describe('config', () => {
  test('switching it off needs a control exception', () => {
    expect(configProblems((raw) => (raw.securityServices = { ...raw.securityServices, accessAnalyzer: { unusedAccess: { enabled: false } } }))).toEqual([
      expect.stringContaining('securityServices.accessAnalyzer.unusedAccess.enabled: false switches off the control access-analyzer.unused-access'),
    ]);
  });

  // "You can choose a value between 1 and 365 days" (https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_UnusedAccessConfiguration.html).
  test.each([
    [0, 'at least 1'],
    [366, 'at most 365'],
    [1.5, 'whole number'],
  ])('unusedAccessAgeDays %p is refused, naming the field', (value, message) => {
    const problems = configProblems((raw) => (raw.securityServices = { ...raw.securityServices, accessAnalyzer: { unusedAccess: { unusedAccessAgeDays: value } } }));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`securityServices\\.accessAnalyzer\\.unusedAccess\\.unusedAccessAgeDays.*${message}`))]);
  });

  test('1 and 365 days are accepted, reviewWithinDays defaults to 90, no finding accepted', () => {
    for (const days of [1, 365]) {
      const c = configWith((raw) => (raw.securityServices = { ...raw.securityServices, accessAnalyzer: { unusedAccess: { unusedAccessAgeDays: days } } }));
      expect(c.securityServices.accessAnalyzer.unusedAccess).toEqual({ enabled: true, unusedAccessAgeDays: days, reviewWithinDays: 90, acceptedFindings: [] });
    }
  });
});
