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
 */
import { ACTION_RULES } from '../../../modules/guardrails/action-classification';
import { exampleConfig, synthStack } from '../../helpers';
import { administrators, AUDIT, exempt, inParallel, scpDocuments, underScps, withoutSid } from './fixtures';

jest.setTimeout(120_000);

const config = exampleConfig();
const HOME = config.regions.home;
const PREFIX = config.organization.namePrefix;
const scps = scpDocuments(synthStack(config, 'management'));
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
});
