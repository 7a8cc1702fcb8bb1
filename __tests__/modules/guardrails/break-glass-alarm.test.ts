/**
 * The guardrails' way out is audited: a CIS-style metric filter and alarm on the organization trail's
 * log group fire on any use of the break-glass role, and reach people by the same route as the CIS
 * alarms (alert-routing.test.ts follows every alarm of the example org, this one included).
 */
import { breakGlassUsageFilter } from '../../../modules/cis-monitoring/cis-metric-filters';
import { configWith, exampleConfig, oneResource, resourcesOf, synthStack, withoutInvestigations } from '../../helpers';

/**
 * CloudWatch Logs JSON filter patterns, for the shapes this filter uses: `($.a.b = "value")` terms
 * (a `*` in the value is a wildcard), joined by `&&` and `||` under parentheses (CloudWatch Logs User
 * Guide, "Filter pattern syntax for metric filters": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
function matchesJsonPattern(pattern: string, event: Record<string, unknown>): boolean {
  const tokens = pattern.trim().replace(/^\{|\}$/g, '').match(/\(|\)|&&|\|\||\$\.[\w.]+\s*=\s*"[^"]*"/g)!;
  let i = 0;
  const term = (t: string) => {
    const [, path, value] = /^\$\.([\w.]+)\s*=\s*"([^"]*)"$/.exec(t)!;
    const actual = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), event);
    const re = new RegExp(`^${value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return typeof actual === 'string' && re.test(actual);
  };
  const primary = (): boolean => {
    const t = tokens[i++];
    if (t === '(') {
      const v = or();
      i++; // ')'
      return v;
    }
    return term(t);
  };
  const and = (): boolean => {
    let v = primary();
    while (tokens[i] === '&&') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[i] === '||') {
      i++;
      v = and() || v;
    }
    return v;
  };
  return or();
}

const json = synthStack(exampleConfig(), 'management');
const filter = oneResource(json, 'aws_cloudwatch_log_metric_filter', (f) => f.metric_transformation.name === 'BreakGlassRoleUsed');
const alarm = oneResource(json, 'aws_cloudwatch_metric_alarm', (a) => a.metric_name === 'BreakGlassRoleUsed');

// CloudTrail records, abridged (CloudTrail User Guide, "CloudTrail record contents" and "userIdentity element").
const assumeRole = (roleArn: string) => ({
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/oncall' },
  requestParameters: { roleArn, roleSessionName: 'incident-42' },
});
const callAs = (roleName: string) => ({
  eventSource: 'kms.amazonaws.com',
  eventName: 'PutKeyPolicy',
  userIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::222222222222:assumed-role/${roleName}/incident-42`,
    sessionContext: { sessionIssuer: { type: 'Role', userName: roleName, arn: `arn:aws:iam::222222222222:role/${roleName}` } },
  },
});

describe('the break-glass filter', () => {
  test('watches the organization trail log group, in the management account', () => {
    expect(filter).toMatchObject({ log_group_name: '/acme-soc2/cloudtrail/organization', provider: 'aws.management', region: 'us-east-1', name: 'acme-soc2-org-break-glass-role-used' });
    expect(filter.metric_transformation).toEqual({ name: 'BreakGlassRoleUsed', namespace: 'CISBenchmark', value: '1' });
  });

  test.each([
    ['assuming it, in any account', true, assumeRole('arn:aws:iam::444444444444:role/soc2-baseline-break-glass')],
    ['assuming it with SAML', true, { ...assumeRole('arn:aws:iam::222222222222:role/soc2-baseline-break-glass'), eventName: 'AssumeRoleWithSAML' }],
    ['any call made with its session', true, callAs('soc2-baseline-break-glass')],
    ['the pipeline at work', false, callAs('soc2-baseline-pipeline')],
    ['assuming another role', false, assumeRole('arn:aws:iam::444444444444:role/soc2-baseline-pipeline')],
    ['a role whose name merely ends the same way', false, assumeRole('arn:aws:iam::444444444444:role/not-soc2-baseline-break-glass')],
    // The root user's break glass under centralized root access: the management account opens a
    // privileged session with STS AssumeRoot (request parameters TargetPrincipal and TaskPolicyArn:
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html; tracked in CloudTrail:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html).
    ['a root session opened with AssumeRoot', true, {
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoot',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/Admin/alice' },
      requestParameters: { targetPrincipal: '444444444444', taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials' } },
    }],
    ['another STS call without a role ARN', false, { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', userIdentity: { type: 'AssumedRole' } }],
    ['an AssumeRoot-named call of another service', false, { eventSource: 'iam.amazonaws.com', eventName: 'AssumeRoot', userIdentity: { type: 'AssumedRole' } }],
  ])('%s: matched %p', (_what, expected, event) => {
    expect(matchesJsonPattern(filter.pattern, event)).toBe(expected);
  });

  test('a role behind a path is matched by its ARN, and its sessions by its friendly name', () => {
    const pattern = breakGlassUsageFilter('emergency/BreakGlass').pattern;
    expect(matchesJsonPattern(pattern, assumeRole('arn:aws:iam::444444444444:role/emergency/BreakGlass'))).toBe(true);
    expect(matchesJsonPattern(pattern, callAs('BreakGlass'))).toBe(true);
  });
});

describe('the break-glass alarm', () => {
  test('fires on the first use, on the alert topic every CIS alarm of the account acts on', () => {
    const topic = oneResource(json, 'aws_cloudwatch_metric_alarm', (a) => a.metric_name === 'RootAccountUsage').alarm_actions;
    expect(alarm).toMatchObject({
      alarm_name: 'acme-soc2-org-break-glass-role-used',
      namespace: 'CISBenchmark',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      treat_missing_data: 'notBreaching',
      actions_enabled: true,
      alarm_actions: topic,
    });
    expect(alarm.alarm_description).toContain('soc2-baseline-break-glass');
  });

  test('its name has the prefix the forwarding rule sends to the central alert topic', () => {
    const rule = oneResource(json, 'aws_cloudwatch_event_rule', (r) => r.name === 'acme-soc2-org-alarms-to-central-bus');
    const prefix = JSON.parse(rule.event_pattern).detail.alarmName[0].prefix as string;
    expect(alarm.alarm_name.startsWith(prefix)).toBe(true);
  });

  test('watches Control Tower\'s trail log group when that trail is used', () => {
    const ct = synthStack(configWith((raw) => { raw.controlTower = { enabled: true, organizationTrail: 'control-tower' }; withoutInvestigations(raw); }), 'management');
    expect(oneResource(ct, 'aws_cloudwatch_log_metric_filter', (f) => f.metric_transformation.name === 'BreakGlassRoleUsed').log_group_name).toBe(
      'aws-controltower/CloudTrailLogs',
    );
  });

  test('exists once, on the organization trail: member stacks have none', () => {
    for (const stack of ['member-222222222222', 'member-444444444444']) {
      expect(resourcesOf(synthStack(exampleConfig(), stack), 'aws_cloudwatch_metric_alarm').filter(([, a]) => a.metric_name === 'BreakGlassRoleUsed')).toEqual([]);
    }
  });
});
