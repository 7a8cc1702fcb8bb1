/**
 * The investigations' declarations, without an engine: names, parameters that the SQL uses and declares,
 * cited fields, the window's values, and the config values the SQL is built from. Their SQL runs in
 * Trino in trino.test.ts.
 */
import { INVESTIGATIONS } from '../../modules/investigations/catalog';
import { CONSOLE_SIGNINS_OUTSIDE_BUSINESS_HOURS, insideBusinessHoursSql } from '../../modules/investigations/catalog/console-signins-outside-business-hours';
import { BREAK_GLASS_SESSIONS, roleArnRegex } from '../../modules/investigations/catalog/break-glass-sessions';
import { EVENT_SOURCES, LOGGING_CHANGE_EVENTS, NOT_LOOKED_FOR, S3_EVENT_NAMES } from '../../modules/investigations/catalog/logging-changes';
import { PRINCIPAL_ACTIVITY } from '../../modules/investigations/catalog/principal-activity';
import { ACTION_RULES, type ClassifiedService } from '../../modules/guardrails/action-classification';
import { parseParams } from '../../investigate/parameters';
import {
  MAX_PARAMETER_LENGTH,
  WINDOW_PARAMETERS,
  ACCOUNT_PARAMETER,
  bindParameters,
  inlineParameters,
  optionalClause,
  placeholderNames,
  sqlStringLiteral,
  windowParameterValues,
  type InvestigationContext,
} from '../../modules/investigations/investigation';

const CONTEXT: InvestigationContext = {
  organizationTrailTable: 'cloudtrail_organization',
  businessHours: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '08:00', end: '19:00', utcOffset: '-05:00' },
  breakGlassRoleNames: ['example-break-glass'],
};
const WINDOW_NAMES = Object.values(WINDOW_PARAMETERS) as string[];

test.each(INVESTIGATIONS.map((i) => [i.name, i] as const))(
  '%s: kebab-case name, every placeholder declared, every parameter used, every field cited',
  (_, i) => {
    expect(i.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    const used = new Set(placeholderNames(i.sql(CONTEXT)));
    for (const w of WINDOW_NAMES) expect({ window: w, used: used.has(w) }).toEqual({ window: w, used: true });
    const declared = i.parameters.map((p) => p.name);
    expect([...used].filter((u) => !WINDOW_NAMES.includes(u) && !declared.includes(u))).toEqual([]);
    for (const p of i.parameters) {
      expect({ parameter: p.name, used: used.has(p.name), exampleValid: p.pattern.test(p.example) }).toEqual({
        parameter: p.name,
        used: true,
        exampleValid: true,
      });
    }
    expect(i.fields.length).toBeGreaterThan(0);
    for (const f of i.fields) expect(f.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  }
);

test('investigation names are unique', () => {
  expect(new Set(INVESTIGATIONS.map((i) => i.name)).size).toBe(INVESTIGATIONS.length);
});

test("the window: from and to as ISO 8601 UTC, the first day partition of from, the last the day after the window's last day", () => {
  expect(windowParameterValues(new Date('2026-10-31T20:00:00Z'), new Date('2026-11-01T06:00:00Z'))).toEqual({
    from: '2026-10-31T20:00:00.000Z',
    to: '2026-11-01T06:00:00.000Z',
    from_day: '2026/10/31',
    to_day: '2026/11/02',
  });
  // The day after the window's last day: across a year; `to` at midnight is exclusive, so its day is not the window's.
  expect(windowParameterValues(new Date('2026-12-31T00:00:00Z'), new Date('2026-12-31T23:30:00Z')).to_day).toBe('2027/01/01');
  expect(windowParameterValues(new Date('2026-10-31T00:00:00Z'), new Date('2026-11-01T00:00:00Z')).to_day).toBe('2026/11/01');
  expect(windowParameterValues(new Date('2026-10-31T00:00:00Z'), new Date('2026-11-01T00:00:00.001Z')).to_day).toBe('2026/11/02');
  expect(() => windowParameterValues(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'))).toThrow(/^to .* must be after from/);
  expect(() => windowParameterValues(new Date('not a date'), new Date())).toThrow(/^from: /);
});

test.each(INVESTIGATIONS.flatMap((i) => i.parameters.map((p) => [`${i.name} ${p.name}`, p] as const)))(
  '%s: a value Athena can take as an execution parameter (at most 1,024 characters with its quotes), no longer, no quote',
  (_, p) => {
    expect(MAX_PARAMETER_LENGTH).toBe(1022);
    // The longest value the pattern admits, made from the example by repeating its last character.
    const longest = p.example.padEnd(MAX_PARAMETER_LENGTH, p.example.slice(-1));
    // An account id has 12 digits exactly: far below the limit.
    expect({ longest: p === ACCOUNT_PARAMETER || p.pattern.test(longest), tooLong: p.pattern.test(`${longest}${p.example.slice(-1)}`), quoted: p.pattern.test(`${p.example}'`) }).toEqual({
      longest: true,
      tooLong: false,
      quoted: false,
    });
  }
);

describe('inlineParameters: the SQL baseline investigate sends, every value written in as a string literal', () => {
  const WINDOW = windowParameterValues(new Date('2026-10-31T20:00:00Z'), new Date('2026-11-01T06:00:00Z'));

  test("a quote in a value is doubled and stays inside its literal; a backslash is an ordinary character (Trino's and Athena's string literals have no other escape)", () => {
    expect(inlineParameters('SELECT 1 FROM t WHERE a = {a} AND b = {b} AND c = {a}', { a: "o'brien", b: 'x\\' })).toBe("SELECT 1 FROM t WHERE a = 'o''brien' AND b = 'x\\' AND c = 'o''brien'");
    expect(sqlStringLiteral("'; DROP TABLE t; --")).toBe("'''; DROP TABLE t; --'");
  });

  test('a value is not read again for placeholders, and $ patterns are not expanded', () => {
    expect(inlineParameters('{a} {b}', { a: '{b}', b: "$&$'" })).toBe("'{b}' '$&$'''");
  });

  test.each(INVESTIGATIONS.map((i) => [i.name, i] as const))('%s: no {placeholder} and no ? left; the window as literals', (_, i) => {
    const params = Object.fromEntries(i.parameters.map((p) => [p.name, p.example]));
    const sql = inlineParameters(i.sql(CONTEXT), { ...WINDOW, ...params });
    expect({ placeholders: sql.match(/\{[a-z][a-z0-9_]*\}/g), markers: sql.includes('?') }).toEqual({ placeholders: null, markers: false });
    expect(sql).toContain("day BETWEEN '2026/10/31' AND '2026/11/02'");
    expect(sql).toContain("from_iso8601_timestamp('2026-10-31T20:00:00.000Z')");
    for (const p of i.parameters) expect(sql).toContain(sqlStringLiteral(p.example));
  });

  test('refused, naming the placeholder: a missing value, one too long, one with a control character', () => {
    expect(() => inlineParameters('SELECT {a}, {b}', { a: 'x' })).toThrow('{b}: no value given');
    // A name of Object.prototype is not a value.
    expect(() => inlineParameters('SELECT {constructor}', {})).toThrow('{constructor}: no value given');
    expect(inlineParameters('SELECT {a}', { a: 'x'.repeat(MAX_PARAMETER_LENGTH) })).toHaveLength(MAX_PARAMETER_LENGTH + 9);
    expect(() => inlineParameters('SELECT {a}', { a: 'x'.repeat(MAX_PARAMETER_LENGTH + 1) })).toThrow(`{a}: the value is 1023 characters long, more than ${MAX_PARAMETER_LENGTH}`);
    expect(() => inlineParameters('SELECT {a}', { a: 'line\nbreak' })).toThrow('{a}: the value holds the control character U+000A at 4');
    expect(() => inlineParameters('SELECT {a}', { a: 'nul\u0000' })).toThrow('{a}: the value holds the control character U+0000 at 3');
    expect(() => inlineParameters('SELECT {a}', { a: 'c1\u0085' })).toThrow('{a}: the value holds the control character U+0085 at 2');
  });
});

test('principal-activity takes an IAM Identity Center user id, and not a malformed one', () => {
  const pattern = PRINCIPAL_ACTIVITY.parameters[0].pattern;
  expect(pattern.test('9067642ac7-906ae9bd-5071-70d0-5e6c-2c3f1e0b7a11')).toBe(true);
  expect(pattern.test('906ae9bd-5071-70d0-5e6c-2c3f1e0b7a11')).toBe(true);
  expect(pattern.test('906ae9bd-5071-70d0-5e6c-2c3f1e0b7a1')).toBe(false);
  expect(PRINCIPAL_ACTIVITY.sql(CONTEXT)).toContain('useridentity.onbehalfof.userid = {principal}');
});

describe('logging-changes: every action the guardrails deny, as the CloudTrail events that record it', () => {
  const denied = ACTION_RULES.flatMap((r) =>
    r.class === 'denied' && Array.isArray(r.match) ? (r.match as readonly string[]).map((a) => `${r.service}:${a}`) : []
  );
  const lookedFor = new Set([...LOGGING_CHANGE_EVENTS].flatMap(([source, names]) => names.map((n) => `${source} ${n}`)));
  const event = (qualified: string) => {
    const [service, action] = qualified.split(':') as [ClassifiedService, string];
    return `${EVENT_SOURCES[service]} ${service === 's3' ? S3_EVENT_NAMES[action] ?? action : action}`;
  };

  test('each denied action is looked for, or left out for a stated reason', () => {
    const missing = denied.filter((a) => !lookedFor.has(event(a)) && !NOT_LOOKED_FOR[a] && !a.startsWith('iam:') && !a.startsWith('glue:'));
    expect(missing).toEqual([]);
  });

  test("the events that blind logging and detection are there, in their services' event sources", () => {
    for (const e of [
      'kms.amazonaws.com DisableKey',
      'kms.amazonaws.com ScheduleKeyDeletion',
      'kms.amazonaws.com PutKeyPolicy',
      'organizations.amazonaws.com LeaveOrganization',
      'organizations.amazonaws.com RemoveAccountFromOrganization',
      'organizations.amazonaws.com DisableAWSServiceAccess',
      'organizations.amazonaws.com DeregisterDelegatedAdministrator',
      'monitoring.amazonaws.com DeleteAlarms',
      'monitoring.amazonaws.com DisableAlarmActions',
      'monitoring.amazonaws.com PutMetricAlarm',
      'securityhub.amazonaws.com DisableSecurityHub',
      'macie2.amazonaws.com DisableMacie',
      'access-analyzer.amazonaws.com DeleteAnalyzer',
      'events.amazonaws.com DisableRule',
      'sns.amazonaws.com DeleteTopic',
      'iam.amazonaws.com DeleteServiceLinkedRole',
      's3.amazonaws.com PutBucketEncryption',
      'cloudtrail.amazonaws.com StopLogging',
    ])
      expect({ event: e, lookedFor: lookedFor.has(e) }).toEqual({ event: e, lookedFor: true });
  });

  test('no data event (not in the management events the trail holds), no permission that is not an operation', () => {
    for (const e of ['s3.amazonaws.com DeleteObject', 's3.amazonaws.com DeleteObjectVersion', 'sqs.amazonaws.com DeleteMessage', 'iam.amazonaws.com PassRole'])
      expect({ event: e, lookedFor: lookedFor.has(e) }).toEqual({ event: e, lookedFor: false });
  });

  // The notDeniable rules' only defence is the organization trail's record of them: each is read back here.
  const notDeniable = ACTION_RULES.filter((r) => r.class === 'not-deniable');
  const notDeniableMissing = (looked: ReadonlySet<string>) =>
    notDeniable.flatMap((r) =>
      (Array.isArray(r.match) ? (r.match as readonly string[]) : []).map((a) => `${r.service}:${a}`).filter((a) => !looked.has(event(a)) && !NOT_LOOKED_FOR[a])
    );

  test('each not-deniable action is looked for, or left out for a stated reason; none is a pattern that names no action', () => {
    expect(notDeniable.filter((r) => !Array.isArray(r.match)).map((r) => r.title)).toEqual([]);
    expect(notDeniableMissing(lookedFor)).toEqual([]);
    for (const [action, reason] of Object.entries(NOT_LOOKED_FOR)) expect({ action, reason: reason.length > 20 }).toEqual({ action, reason: true });
    for (const e of [
      'organizations.amazonaws.com DetachPolicy',
      'organizations.amazonaws.com UpdatePolicy',
      'organizations.amazonaws.com DeletePolicy',
      'organizations.amazonaws.com DisablePolicyType',
      'organizations.amazonaws.com MoveAccount',
      'guardduty.amazonaws.com ArchiveFindings',
      'guardduty.amazonaws.com DisableOrganizationAdminAccount',
      'securityhub.amazonaws.com BatchUpdateFindings',
      'securityhub.amazonaws.com DisableOrganizationAdminAccount',
      'macie2.amazonaws.com DisableOrganizationAdminAccount',
      'logs.amazonaws.com DeleteResourcePolicy',
      'logs.amazonaws.com PutQueryDefinition',
      'logs.amazonaws.com DeleteQueryDefinition',
      'glue.amazonaws.com PutResourcePolicy',
      'glue.amazonaws.com PutDataCatalogEncryptionSettings',
    ])
      expect({ event: e, lookedFor: lookedFor.has(e) }).toEqual({ event: e, lookedFor: true });
    // s3:PutObject is a data event, logs:CreateLogDelivery a permission only: not looked for, each with a reason.
    expect(lookedFor.has('s3.amazonaws.com PutObject')).toBe(false);
    expect(lookedFor.has('logs.amazonaws.com CreateLogDelivery')).toBe(false);
  });

  test('a not-deniable action dropped from the list is caught', () => {
    const without = new Set([...lookedFor].filter((e) => e !== 'organizations.amazonaws.com DetachPolicy'));
    expect(notDeniableMissing(without)).toEqual(['organizations:DetachPolicy']);
  });

  test('a denied action dropped from the list is caught', () => {
    const without = new Set([...lookedFor].filter((e) => e !== 'kms.amazonaws.com DisableKey'));
    expect(denied.filter((a) => !without.has(event(a)) && !NOT_LOOKED_FOR[a] && !a.startsWith('iam:') && !a.startsWith('glue:'))).toEqual(['kms:DisableKey']);
  });
});

test('every query fits where it is saved: Athena named queries 262,144 characters, Logs Insights query definitions 10,000', () => {
  // Athena API Reference, CreateNamedQuery, QueryString: "Maximum length of 262144"
  // (https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateNamedQuery.html); CloudWatch Logs
  // API Reference, PutQueryDefinition, queryString: "Maximum length of 10000"
  // (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutQueryDefinition.html).
  for (const i of INVESTIGATIONS) {
    expect({ name: i.name, athena: i.sql(CONTEXT).length <= 262_144, insights: i.logsInsights(CONTEXT).length <= 10_000 }).toEqual({
      name: i.name,
      athena: true,
      insights: true,
    });
  }
});

test('business hours in SQL: a plain day, a window that wraps past midnight, and invalid config named', () => {
  expect(insideBusinessHoursSql({ days: ['Mon', 'Fri'], start: '08:00', end: '19:00', utcOffset: '+00:00' })).toBe(
    '(day_of_week(local_time) IN (1, 5) AND (hour(local_time) * 60 + minute(local_time)) >= 480 AND (hour(local_time) * 60 + minute(local_time)) < 1140)'
  );
  expect(insideBusinessHoursSql({ days: ['Sun'], start: '22:00', end: '06:00', utcOffset: '+00:00' })).toBe(
    "((day_of_week(local_time) IN (7) AND (hour(local_time) * 60 + minute(local_time)) >= 1320) OR (day_of_week(local_time - INTERVAL '1' DAY) IN (7) AND (hour(local_time) * 60 + minute(local_time)) < 360))"
  );
  expect(insideBusinessHoursSql({ days: [], start: '08:00', end: '19:00', utcOffset: '+00:00' })).toBe('FALSE');
  expect(() => CONSOLE_SIGNINS_OUTSIDE_BUSINESS_HOURS.sql({ ...CONTEXT, businessHours: { ...CONTEXT.businessHours, utcOffset: "+00:00' OR 1=1 --" } })).toThrow(
    /not a UTC offset/
  );
  expect(() => insideBusinessHoursSql({ ...CONTEXT.businessHours, start: '09:00', end: '09:00' })).toThrow(/businessHours: start and end are the same/);
});

test('break-glass sessions need a role name, and quote the names they are given', () => {
  expect(() => BREAK_GLASS_SESSIONS.sql({ ...CONTEXT, breakGlassRoleNames: [] })).toThrow(/^breakGlassRoleNames: /);
  expect(BREAK_GLASS_SESSIONS.sql({ ...CONTEXT, breakGlassRoleNames: ["ops/it's"] })).toContain("IN ('it''s')");
});

test("break-glass-sessions' Logs Insights query matches the role's ARN whole, not a longer role name that starts with it", () => {
  // Logs Insights reads `like /regex/` (CloudWatch Logs User Guide, "filter":
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Filter.html); the same
  // expression is run here by JavaScript's engine, the behaviour of `$`, `\/` and `\.` being common to both.
  expect(BREAK_GLASS_SESSIONS.logsInsights({ ...CONTEXT, breakGlassRoleNames: ['BreakGlass'] })).toContain('requestParameters.roleArn like /:role\\/BreakGlass$/');
  const matches = (name: string, arn: string) => new RegExp(roleArnRegex(name).slice(1, -1)).test(arn);
  expect(matches('BreakGlass', 'arn:aws:iam::111122223333:role/BreakGlass')).toBe(true);
  expect(matches('BreakGlass', 'arn:aws:iam::111122223333:role/BreakGlassOld')).toBe(false);
  expect(matches('ops/Break.Glass+1', 'arn:aws:iam::111122223333:role/ops/Break.Glass+1')).toBe(true);
  expect(matches('ops/Break.Glass+1', 'arn:aws:iam::111122223333:role/ops/BreakxGlass+1')).toBe(false);
  // The unanchored substring match it replaced finds the longer name: the check sees the difference.
  expect('arn:aws:iam::111122223333:role/BreakGlassOld'.includes(':role/BreakGlass')).toBe(true);
});

describe('an optional parameter: its clause is in the SQL when it is given, left out when not', () => {
  const WINDOW = windowParameterValues(new Date('2026-10-31T20:00:00Z'), new Date('2026-11-01T06:00:00Z'));
  const ACCOUNT_INVESTIGATIONS = INVESTIGATIONS.filter((i) => i.parameters.includes(ACCOUNT_PARAMETER)).map((i) => i.name);

  test('principal-activity, resource-activity, root-activity and vpce-access-denied take an optional account', () => {
    expect(ACCOUNT_INVESTIGATIONS.sort()).toEqual(['principal-activity', 'resource-activity', 'root-activity', 'vpce-access-denied']);
    // Organizations API Reference, Account, Id: "Pattern: ^\d{12}$" (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html).
    expect([ACCOUNT_PARAMETER.pattern.test('111122223333'), ACCOUNT_PARAMETER.pattern.test('11112222333'), ACCOUNT_PARAMETER.pattern.test("1111222233'3")]).toEqual([true, false, false]);
  });

  test.each(INVESTIGATIONS.filter((i) => i.parameters.includes(ACCOUNT_PARAMETER)).map((i) => [i.name, i] as const))('%s', (_, i) => {
    const required = Object.fromEntries(i.parameters.filter((p) => !p.optional).map((p) => [p.name, p.example]));
    const without = inlineParameters(i.sql(CONTEXT), { ...WINDOW, ...required });
    const withAccount = inlineParameters(i.sql(CONTEXT), { ...WINDOW, ...required, account: '111122223333' });
    expect({ without: without.includes('AND account ='), marker: /\[\[|\]\]/.test(without), blankLine: /\n[ \t]*\n/.test(without) }).toEqual({ without: false, marker: false, blankLine: false });
    expect(withAccount).toContain("\n  AND account = '111122223333'\n");
    // The named query leaves it out: a person adds an account by hand.
    expect(bindParameters(i.sql(CONTEXT)).parameterOrder).not.toContain('account');
    expect(bindParameters(i.sql(CONTEXT)).queryString).not.toContain('account =');
  });

  test('baseline investigate takes the account or not, and still refuses a missing required parameter or a malformed account', () => {
    const root = INVESTIGATIONS.find((i) => i.name === 'root-activity')!;
    const principal = INVESTIGATIONS.find((i) => i.name === 'principal-activity')!;
    expect(parseParams([], root)).toEqual({});
    expect(parseParams(['account=111122223333'], root)).toEqual({ account: '111122223333' });
    expect(() => parseParams(['account=1111'], root)).toThrow(/^--param account: "1111" does not match/);
    expect(() => parseParams(['account=111122223333'], principal)).toThrow(/^--param principal: required by principal-activity/);
  });

  test('an optional clause must use its parameter and hold no bracket', () => {
    expect(() => optionalClause('account', 'AND region = {region}')).toThrow('optionalClause account: the clause does not use {account}');
    expect(() => optionalClause('account', 'AND a[1] = {account}')).toThrow('optionalClause account: the clause may not hold [ or ]');
  });
});
