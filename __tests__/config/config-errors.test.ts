/**
 * What the config refuses that AWS would refuse, and how it says so: every Region it names is a real
 * AWS Region (config/regions.ts, or `regions.additionalKnownRegions` with a reason), every OU is in a
 * form AWS Organizations uses, the AWS provider constraint stays within 6.x from 6.25.0; each problem
 * names its field and the line of that field; a missing, empty or non-mapping file is a sentence.
 */
import { readFileSync } from 'node:fs';
import { configJsonSchema } from '../../config/json-schema';
import { ConfigError, loadConfig, parseConfig, parseConfigYaml } from '../../config/load';
import { organizationalUnitRef } from '../../config/organizational-unit';
import { providerConstraintProblem } from '../../config/provider-version';
import { AWS_REGIONS, isOptInRegion, nearestRegions, REGIONS_ENABLED_BY_DEFAULT } from '../../config/regions';
import { REGION_FIELDS } from '../../config/schema';
import { configProblems, EXAMPLE_CONFIG_FILE, exampleRaw } from '../helpers';

const TEXT = readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');

const problems = configProblems;

function yamlError(text: string): ConfigError {
  try {
    parseConfigYaml(text, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected the config to be rejected');
}

/** The 1-based line of the first line of `text` that `match` matches. */
function lineOf(text: string, match: RegExp): number {
  const i = text.split('\n').findIndex((l) => match.test(l));
  if (i < 0) throw new Error(`no line matches ${match}`);
  return i + 1;
}

const UNKNOWN = "a Region launched after this baseline's list (config/regions.ts) goes in regions.additionalKnownRegions, with the reason";

describe('every Region the config names must be a real AWS Region', () => {
  test('a misspelled governed Region is refused with its field and line, and near misses are suggested', () => {
    const text = TEXT.replace('    - eu-west-1\n', '    - us-east-7\n    - eu-west-1\n');
    expect(yamlError(text).problems).toEqual([
      `regions.governed[2]: us-east-7 is not an AWS Region (did you mean us-east-1 or us-east-2?); ${UNKNOWN} (line ${lineOf(text, /^ {4}- us-east-7$/)})`,
    ]);
    expect(problems((r) => (r.regions.governed = ['us-east-1', 'eu-wset-1']))).toEqual([
      `regions.governed[1]: eu-wset-1 is not an AWS Region (did you mean eu-west-1?); ${UNKNOWN}`,
    ]);
    expect(problems((r) => (r.regions.governed = ['us-east-1', 'zz-nowhere-9']))).toEqual([
      `regions.governed[1]: zz-nowhere-9 is not an AWS Region; ${UNKNOWN}`,
    ]);
  });

  test('in every field that holds a Region: home, members, state, Control Tower, Macie jobs, removed members', () => {
    const found = problems((r) => {
      r.regions.home = 'us-esat-1';
      r.members[4].regions = ['us-east-1', 'us-west-9'];
      r.members[4].macieAutoEnabledRegions = ['us-west-9'];
      r.state = { backend: 's3', bucket: 'example-state', region: 'eu-west-7' };
      r.controlTower = { regions: ['ap-southeast-9'] };
      r.securityServices.macie.classificationJobs[0].region = 'us-west-3';
      r.removedMembers = [{ ...r.members[3], id: '999999999999', email: 'gone@example.com', regions: ['sa-east-2'], removedOn: '2026-11-30', reason: 'left the organization' }];
    });
    const unknown = found.filter((p) => p.includes('is not an AWS Region')).map((p) => p.split(':')[0]);
    expect(unknown.sort()).toEqual(
      [
        'regions.home',
        'members[4].regions[1]',
        'members[4].macieAutoEnabledRegions[0]',
        'state.region',
        'controlTower.regions[0]',
        'securityServices.macie.classificationJobs[0].region',
        'removedMembers[0].regions[0]',
      ].sort(),
    );
  });

  test('REGION_FIELDS lists every field of the schema that holds a Region', () => {
    // Every JSON Schema node with regionSchema's pattern, by its path (`*` for list items).
    const pattern = (configJsonSchema() as any).properties.regions.properties.home.pattern as string;
    expect(pattern).toMatch(/^\^\[a-z\]\{2\}/);
    const paths: string[] = [];
    const walk = (node: any, path: string[]): void => {
      if (!node || typeof node !== 'object') return;
      if (node.pattern === pattern) paths.push(path.join('.'));
      for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, [...path, name]);
      if (node.items) walk(node.items, [...path, '*']);
      for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const alt of node[key] ?? []) walk(alt, path);
    };
    walk(configJsonSchema(), []);
    // The way in for a new Region is not a use of one.
    const uses = paths.filter((p) => p !== 'regions.additionalKnownRegions.*.region');
    expect(uses.sort()).toEqual(REGION_FIELDS.map((f) => f.join('.')).sort());
  });

  test('a Region newer than the list is admitted through regions.additionalKnownRegions, with a reason, as opt-in', () => {
    const config = parseConfig(
      (() => {
        const raw = exampleRaw();
        raw.regions.additionalKnownRegions = [{ region: 'xx-north-1', reason: 'Launched 2027-01-15 (AWS What is New announcement)' }];
        raw.regions.governed.push('xx-north-1');
        return raw;
      })(),
    );
    expect(config.regions.governed).toContain('xx-north-1');
    expect(isOptInRegion('xx-north-1')).toBe(true);
    expect(
      problems((r) => {
        r.regions.additionalKnownRegions = [
          { region: 'us-east-1', reason: 'already in the list, surely' },
          { region: 'xx-north-1', reason: 'short' },
        ];
      }),
    ).toEqual([
      'regions.additionalKnownRegions[1].reason: must say why (at least 10 characters), e.g. the AWS announcement of the Region',
    ]);
    expect(problems((r) => (r.regions.additionalKnownRegions = [{ region: 'us-east-1', reason: 'already in the list, surely' }]))).toEqual([
      'regions.additionalKnownRegions[0].region: us-east-1 is already a known Region (config/regions.ts): remove the entry',
    ]);
  });

  test('the list holds the commercial Regions, the 17 enabled by default among them, and isOptInRegion still holds', () => {
    expect(new Set(AWS_REGIONS).size).toBe(AWS_REGIONS.length);
    for (const region of REGIONS_ENABLED_BY_DEFAULT) expect(AWS_REGIONS).toContain(region);
    expect(REGIONS_ENABLED_BY_DEFAULT).toHaveLength(17);
    for (const region of ['ap-southeast-5', 'ap-southeast-7', 'mx-central-1', 'ap-east-2', 'ca-west-1', 'il-central-1', 'ap-southeast-6']) {
      expect(AWS_REGIONS).toContain(region);
      expect(isOptInRegion(region)).toBe(true);
    }
    expect(isOptInRegion('us-east-1')).toBe(false);
    expect(AWS_REGIONS.filter((r) => /^(cn-|us-gov-|us-iso|eusc-)/.test(r))).toEqual([]);
    expect(nearestRegions('eu-wset-1')).toEqual(['eu-west-1']);
  });
});

describe('an account OU is Root, a root id, an OU id or an OU path, in the forms AWS Organizations uses', () => {
  test('a malformed OU id or a path with characters the baseline does not accept is refused, naming the field and line', () => {
    const text = TEXT.replace('ou: Workloads/Prod', 'ou: ou-doesnotexist').replace('ou: Workloads/NonProd', "ou: 'made up ou!'");
    expect(yamlError(text).problems).toEqual([
      `members[3].ou: is not an OU id: AWS Organizations OU ids are "ou-" then 4-32 lowercase letters or digits, "-", then 8-32 more (e.g. "ou-ab12-cd34ef56"); give the id from "aws organizations list-organizational-units-for-parent", or the OU path such as "Workloads/Prod" (line ${lineOf(text, /ou: ou-doesnotexist/)})`,
      `members[4].ou: must be Root, a root id (r-...), an OU id (ou-...) or an OU path such as "Workloads/Prod"; the OU name "made up ou!" is not one the baseline accepts: 1-128 letters, digits, spaces and _ . : = + - @, no space at either end (name an OU with other characters by its id) (line ${lineOf(text, /made up ou!/)})`,
    ]);
  });

  test('empty names, a bad root id, and a root id that is not the organization root', () => {
    const messages = problems((r) => {
      r.members[3].ou = 'Workloads//Prod';
      r.members[4].ou = 'r-UPPER';
    });
    expect(messages[0]).toContain('members[3].ou: must be Root');
    expect(messages[0]).toContain('an empty OU name (a leading, trailing or doubled "/")');
    expect(messages[1]).toMatch(/^members\[4\]\.ou: is not a root id/);
    expect(problems((r) => (r.members[4].ou = 'r-zz99'))).toEqual([
      'members[4].ou: r-zz99 is not the organization root (organization.rootId is r-ex01): write Root, or the root id',
    ]);
  });

  test('valid forms are read as what they are', () => {
    const raw = exampleRaw();
    raw.members[3].ou = 'ou-ab12-cd34ef56';
    raw.members[4].ou = 'r-ex01';
    expect(() => parseConfig(raw)).not.toThrow();
    expect(organizationalUnitRef('ou-ab12-cd34ef56')).toEqual({ kind: 'id', id: 'ou-ab12-cd34ef56' });
    expect(organizationalUnitRef('Root')).toEqual({ kind: 'root' });
    expect(organizationalUnitRef('r-ex01')).toEqual({ kind: 'root', rootId: 'r-ex01' });
    expect(organizationalUnitRef('Workloads/Prod')).toEqual({ kind: 'path', names: ['Workloads', 'Prod'] });
    expect(organizationalUnitRef('Root/Workloads')).toEqual({ kind: 'path', names: ['Workloads'] });
  });
});

describe('deployment.awsProviderVersion: a Terraform constraint within 6.x, from 6.25.0', () => {
  test('accepted: the exact default, later exact versions, ~> and explicit ranges inside [6.25.0, 7.0.0)', () => {
    for (const ok of ['6.25.0', '= 6.30.1', '~> 6.25', '~> 6.25.0', '~> 6.31', '>= 6.25.0, < 7.0.0', '>= 6.26, < 6.40, != 6.30.0', '> 6.25.0, <= 6.99.0']) {
      expect([ok, providerConstraintProblem(ok)]).toEqual([ok, undefined]);
    }
  });

  test('refused: anything admitting a provider below 6.25.0 or from 7.0.0, bad syntax, and empty ranges', () => {
    const refused: [string, RegExp][] = [
      ['6.24.0', /below 6\.25\.0/],
      ['~> 6.0', /below 6\.25\.0/],
      ['~> 6', /below 6\.25\.0/],
      ['>= 6.25.0', /7\.0\.0 or later/],
      ['>= 6.25.0, <= 7.0.0', /7\.0\.0 or later/],
      ['~> 7.0', /7\.0\.0 or later/],
      ['< 7.0.0', /below 6\.25\.0/],
      ['latest', /is not an operator .* and a release version/],
      ['~> 6.26.0-beta1', /no pre-release suffix/],
      ['6.25.0, 6.26.0', /cannot be combined/],
      ['>= 6.30.0, < 6.30.0', /admits no version/],
      ['>= 6.25.0,', /empty condition/],
    ];
    for (const [constraint, message] of refused) expect([constraint, providerConstraintProblem(constraint)]).toEqual([constraint, expect.stringMatching(message)]);
  });

  test('the field is named, with its line', () => {
    const text = TEXT.replace(/^deployment:\n/m, 'deployment:\n  awsProviderVersion: "~> 6.0"\n');
    expect(yamlError(text).problems).toEqual([
      `deployment.awsProviderVersion: admits provider versions below 6.25.0 (from 6.0.0), which lack arguments the stacks write (the bindings are for 6.25.0): start at 6.25.0 or later, e.g. "~> 6.25" (line ${lineOf(text, /awsProviderVersion/)})`,
    ]);
  });
});

describe('YAML problems are reported at the line of the field they name', () => {
  const text = [
    '# An org config with mistakes at known lines.', // 1
    'organization:', // 2
    '  id: o-exampleorg01', // 3
    '  namePrefix: acme', // 4
    '  rootId: r-ex01', // 5
    '  managementAccountId: "111111111111"', // 6
    '  logArchiveAccountId: "222222222222"', // 7
    '  auditAccountId: "333333333333"', // 8
    '', // 9
    '# the Regions', // 10
    'regions:', // 11
    '  home: us-east-1', // 12
    '  governed:', // 13
    '    - us-east-1', // 14
    '    - 42', // 15
    'retention:', // 16
    '  # a nested unknown key, with a mapping below it', // 17
    '  bogus:', // 18
    '    deeper: 1', // 19
    'trail: yes please', // 20
    'securityServices:', // 21
    '  guardDuty:', // 22
    '    protection:', // 23
    '      s3DataEvents: true', // 24
    'members:', // 25
    '  - id: "111111111111"', // 26
    '    name: management', // 27
    '    email: root@example.com', // 28
    '', // 29
  ].join('\n');

  test('a wrong top-level value, a nested unknown key, a wrong list item, a missing field at its parent', () => {
    expect(yamlError(text).problems).toEqual([
      'regions.governed[1]: must be an AWS Region code such as "us-east-1" (line 15)',
      // At the unknown key's own line, not at its first child's (19).
      'retention.bogus: unknown key (line 18)',
      // Defaults that the guardrails need: no line, the fields are not in the file.
      expect.stringMatching(/^guardrails\.pipelineRoleName: is required while guardrails are on/),
      expect.stringMatching(/^guardrails\.breakGlassRoleName: is required while guardrails are on/),
      // A missing field is reported at its parent's key (23), not at the parent's first child (24).
      ...['eksAuditLogs', 'ebsMalwareProtection', 'rdsLoginEvents', 'lambdaNetworkLogs', 'runtimeMonitoring'].map(
        (plan) => `securityServices.guardDuty.protection.${plan}: is required (line 23)`,
      ),
      'trail: must be a mapping of fields, indented below it, not a single value ("yes please") (line 20)',
      // In a list item: the item's first line.
      'members[0].ou: is required (line 26)',
    ]);
  });

  test('a YAML syntax error is reported at the line where the parser finds it', () => {
    const duplicate = TEXT.replace(/^( {2}home: us-east-1.*\n)/m, '$1  home: eu-west-1\n');
    expect(yamlError(duplicate).problems).toEqual([`YAML syntax: Map keys must be unique (line ${lineOf(duplicate, /^ {2}home: eu-west-1$/)})`]);
    const nested = TEXT.replace(/^ {2}home: us-east-1/m, '  home: us-east-1: eu-west-1');
    expect(yamlError(nested).problems).toEqual([`YAML syntax: Nested mappings are not allowed in compact mappings (line ${lineOf(nested, /home: us-east-1: eu-west-1/)})`]);
  });
});

describe('a missing, empty or non-mapping config file is a sentence, not a library error', () => {
  test('missing', () => {
    expect(() => loadConfig('/nonexistent/baseline.config.yaml')).toThrow(
      '/nonexistent/baseline.config.yaml: no such file (BASELINE_CONFIG or --config names the config file; when neither is given it is baseline.config.yaml in the current folder)',
    );
  });

  test('empty, comments only, a list, a single value', () => {
    const hint = 'a baseline config is a YAML mapping of fields (organization:, regions:, securityServices:, members: ...; see baseline.config.yaml and docs/config-reference.md)';
    expect(yamlError('').message).toBe(`bad.yaml is empty: ${hint}`);
    expect(yamlError('# nothing yet\n').message).toBe(`bad.yaml is empty: ${hint}`);
    expect(yamlError('- organization\n').message).toBe(`bad.yaml holds a list at its top level, not a mapping of fields: ${hint}`);
    expect(yamlError('organization\n').message).toBe(`bad.yaml holds a single value ("organization") at its top level, not a mapping of fields: ${hint}`);
    expect(yamlError('').message).not.toMatch(/expected object|received null/);
  });
});
