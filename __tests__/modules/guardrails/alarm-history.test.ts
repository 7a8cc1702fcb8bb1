/**
 * The alarm history record (modules/alerting/alarm-history.ts) under the guardrails, judged by
 * evaluating the synthesized SCPs with the IAM simulator (`__tests__/iam-simulator.ts`): an audit
 * account administrator may not delete the log group or its streams, shorten or lift its retention,
 * detach or swap its key, nor disable, delete or re-target the rules that write to it, or delete or
 * purge their dead-letter queue; the pipeline and break-glass roles may; dropping the statement that
 * denies it lets the administrator through (breaking). logs:DeleteResourcePolicy has no resource type
 * (Service Authorization Reference, CloudWatch Logs:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html),
 * so it stays allowed, and is classified not-deniable with the record's failure alarm as its detector.
 *
 * Resource types and actions: CloudWatch Logs log-group (DeleteLogGroup, DeleteLogStream,
 * PutRetentionPolicy, DeleteRetentionPolicy, DisassociateKmsKey, AssociateKmsKey); EventBridge rule
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html:
 * DeleteRule, DisableRule, PutRule, PutTargets, RemoveTargets, `rule/<bus>/<name>` on a custom bus);
 * SQS queue (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html).
 *
 * Writing events into the record (PutLogEvents, CreateLogStream: resource type log-stream,
 * `log-group:<name>:log-stream:<stream>`, Service Authorization Reference, CloudWatch Logs, above) is
 * denied to everyone in the audit account, the pipeline and break-glass roles included
 * (DenyWritingAlarmHistory): a forged "CloudWatch Alarm State Change" (a fake OK closing an ALARM)
 * would falsify the audit period's alarm section. Another log group stays writable. EventBridge writes
 * as the service principal `events.amazonaws.com`, under the group's resource policy, and SCPs do not
 * apply to service principals ("SCPs don't affect service-linked roles", and restrict only IAM users
 * and roles of member accounts: Organizations User Guide, "Service control policies (SCPs)":
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html), so the
 * record keeps being written.
 */
import { ACTION_RULES } from '../../../modules/guardrails/action-classification';
import { simulate } from '../../iam-simulator';
import { exampleConfig, resourcesOf, synthStack } from '../../helpers';
import { administrators, AUDIT, exempt, inParallel, MANAGEMENT, parsed, scpDocuments, underScps, withoutSid } from './fixtures';

jest.setTimeout(120_000);

const config = exampleConfig();
const HOME = config.regions.home;
const PREFIX = config.organization.namePrefix;
const management = synthStack(config, 'management');
const scps = scpDocuments(management);
const GROUP_ARN = `arn:aws:logs:${HOME}:${AUDIT}:log-group:/${PREFIX}/alarm-history`;
const RULES = [`arn:aws:events:${HOME}:${AUDIT}:rule/${PREFIX}-security-alarms/${PREFIX}-alarms-to-history`, `arn:aws:events:${HOME}:${AUDIT}:rule/${PREFIX}-audit-alarms-to-history`];
const QUEUE = `arn:aws:sqs:${HOME}:${AUDIT}:${PREFIX}-alarms-to-history-undelivered`;

const cases: [string, string, string][] = [
  ...['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:DisassociateKmsKey', 'logs:AssociateKmsKey'].map((a): [string, string, string] => [a, GROUP_ARN, 'ProtectBaselineLogGroups']),
  ['logs:DeleteLogStream', `${GROUP_ARN}:log-stream:x`, 'ProtectBaselineLogGroups'],
  ...RULES.flatMap((rule) => ['events:DeleteRule', 'events:DisableRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets'].map((a): [string, string, string] => [a, rule, 'ProtectAlertRoutes'])),
  ...['sqs:DeleteQueue', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes'].map((a): [string, string, string] => [a, QUEUE, 'ProtectAlertQueues']),
];

describe('the alarm history record under the guardrails', () => {
  test.each(cases)('%s on %s: denied to the audit account administrators, allowed to the exempt roles, and allowed without %s', async (action, resource, sid) => {
    await inParallel(administrators(AUDIT), async ([who, principal]) => {
      expect([who, await underScps(scps, principal, action, resource)]).toEqual([who, 'ExplicitlyDenied']);
      expect([who, await underScps(withoutSid(scps, sid), principal, action, resource)]).toEqual([who, 'Allowed']);
    });
    await inParallel(exempt(AUDIT), async ([who, principal]) => {
      expect([who, await underScps(scps, principal, action, resource)]).toEqual([who, 'Allowed']);
    });
  });

  test('logs:DeleteResourcePolicy (no resource type) cannot be denied on the group: allowed, classified not-deniable, watched by the route watchdogs', async () => {
    const [, admin] = administrators(AUDIT)[0];
    expect(await underScps(scps, admin, 'logs:DeleteResourcePolicy', '*')).toBe('Allowed');
    const rule = ACTION_RULES.find((r) => r.service === 'logs' && Array.isArray(r.match) && r.match.includes('DeleteResourcePolicy'))!;
    expect(rule).toMatchObject({ class: 'not-deniable', detectors: expect.arrayContaining(['alerting.route-watchdogs']) });
    expect((rule as { reason: string }).reason).toContain('alarm history');
  });

  describe('writing events into the record (DenyWritingAlarmHistory, nobody exempt)', () => {
    const STREAM = `${GROUP_ARN}:log-stream:forged`;
    const WRITES = ['logs:PutLogEvents', 'logs:CreateLogStream'];
    const everyone = [...administrators(AUDIT), ...exempt(AUDIT)];

    test.each(WRITES)('%s on a stream of the record: denied to the administrators, the pipeline and break-glass; allowed to the administrators without the statement (breaking)', async (action) => {
      await inParallel(everyone, async ([who, principal]) => {
        expect([who, await underScps(scps, principal, action, STREAM)]).toEqual([who, 'ExplicitlyDenied']);
      });
      await inParallel(administrators(AUDIT), async ([who, principal]) => {
        expect([who, await underScps(withoutSid(scps, 'DenyWritingAlarmHistory'), principal, action, STREAM)]).toEqual([who, 'Allowed']);
      });
    });

    test.each(WRITES)('%s on another log group (a baseline group, a team\'s group): allowed', async (action) => {
      const others = [`arn:aws:logs:${HOME}:${AUDIT}:log-group:/${PREFIX}/vpc-flow-logs:log-stream:x`, `arn:aws:logs:${HOME}:${AUDIT}:log-group:/team/app:log-stream:x`, `arn:aws:logs:${HOME}:${AUDIT}:log-group:/${PREFIX}/alarm-history-other:log-stream:x`];
      await inParallel(everyone, async ([who, principal]) => {
        for (const other of others) expect([who, other, await underScps(scps, principal, action, other)]).toEqual([who, other, 'Allowed']);
      });
    });

    // The group's resource policy as synthesized: it allows events.amazonaws.com under aws:SourceArn = the two rules.
    const resourcePolicy = [...resourcesOf(management, 'aws_cloudwatch_log_resource_policy')].map(([, p]) => p).find((p) => p.policy_name === `${PREFIX}-alarm-history`)!.policy_document as string;
    const asEventBridge = (action: string, sourceArn: string) =>
      simulate(
        { principal: { kind: 'service', service: 'events.amazonaws.com' }, action, resource: STREAM, resourceAccount: AUDIT, context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': AUDIT } },
        { scps: scps.map(parsed), resourcePolicy, managementAccountId: MANAGEMENT },
      );

    test.each(WRITES)('%s by EventBridge (service principal) for the record\'s rules: allowed, the SCPs do not apply to it', async (action) => {
      for (const rule of RULES) expect([rule, await asEventBridge(action, rule)]).toEqual([rule, 'Allowed']);
    });

    test('breaking: EventBridge for another rule is not allowed by the group\'s policy (the allowance above is the policy\'s, not a blanket pass)', async () => {
      expect(await asEventBridge('logs:PutLogEvents', `arn:aws:events:${HOME}:${AUDIT}:rule/someone-elses-rule`)).not.toBe('Allowed');
    });

    test('classified denied, the pipeline too', () => {
      const rule = ACTION_RULES.find((r) => r.service === 'logs' && Array.isArray(r.match) && r.match.includes('PutLogEvents'))!;
      expect(rule).toMatchObject({ class: 'denied', by: ['scp'], pipelineKeeps: false, match: expect.arrayContaining(['PutLogEvents', 'CreateLogStream']) });
    });
  });
});
