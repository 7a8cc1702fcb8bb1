/**
 * The receiving end of every account's alarm forwarding (`alarm-forwarding.ts`): an event bus in the
 * audit account's home Region that accepts events only from the forwarding roles of the
 * organization's accounts, and one rule on it that publishes each alarm to the central alert topic as
 * a line that names the alarm, the account and the Region.
 *
 * The bus policy grants `events:PutEvents` to any principal of the organization (`aws:PrincipalOrgID`)
 * that is a forwarding role (`aws:PrincipalArn`), so it is the same size for 5 accounts or 1,000
 * (EventBridge User Guide, "Sending and receiving events between AWS accounts":
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
 */
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { CENTRAL_ALERT_ROUTING } from './controls';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { policyDocument } from '../iam/policy-document';
import { alarmStateChangePattern } from './alarm-forwarding';
import { ALARM_MESSAGE } from './event-patterns';
import { ServiceQueue } from './service-queue';

export { ALARM_MESSAGE } from './event-patterns';

export interface CentralAlarmRoutingProps {
  /** Provider of the audit account. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly organizationId: string;
  readonly homeRegion: string;
  readonly busName: string;
  /** The forwarding role's name, the same in every account. */
  readonly forwarderRoleName: string;
  /** The central alert topic (ARN), in this account and Region. */
  readonly topicArn: string;
  readonly namePrefix: string;
}

export class CentralAlarmRouting extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly deadLetters: ServiceQueue;
  /** The bus's ARN, derived. */
  readonly busArn: string;

  constructor(scope: Construct, id: string, props: CentralAlarmRoutingProps) {
    super(scope, id);
    const regional = { provider: props.provider, region: props.homeRegion };
    this.busArn = `arn:${PARTITION}:events:${props.homeRegion}:${props.accountId}:event-bus/${props.busName}`;
    this.bus = new CloudwatchEventBus(this, 'bus', { ...regional, name: props.busName });
    new CloudwatchEventBusPolicy(this, 'bus-policy', {
      ...regional,
      eventBusName: this.bus.name,
      policy: policyDocument([
        {
          Sid: 'ForwardingRolesOfTheOrganization',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'events:PutEvents',
          Resource: this.busArn,
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
            ArnLike: { 'aws:PrincipalArn': `arn:${PARTITION}:iam::*:role/${props.forwarderRoleName}` },
          },
        },
      ]),
    });
    const ruleName = `${props.namePrefix}-alarms-to-central-topic`;
    this.rule = new CloudwatchEventRule(this, 'rule', {
      ...regional,
      name: ruleName,
      description: "Every account's SOC 2 baseline alarms entering ALARM, to the central alert topic",
      eventBusName: this.bus.name,
      // Only the baseline's alarms: any role of the organization with the forwarder's name may put
      // events on the bus, and PutEvents refuses aws.* sources, so this stops noise, not forgery.
      eventPattern: JSON.stringify(alarmStateChangePattern(`${props.namePrefix}-`)),
      state: 'ENABLED',
    });
    this.deadLetters = new ServiceQueue(this, 'dead-letters', {
      ...regional,
      accountId: props.accountId,
      queueName: `${ruleName}-undelivered`,
      service: 'events.amazonaws.com',
      sourceArn: `arn:${PARTITION}:events:${props.homeRegion}:${props.accountId}:rule/${props.busName}/${ruleName}`,
      sid: 'UndeliveredEventsOfTheRule',
    });
    this.target = new CloudwatchEventTarget(this, 'target', {
      ...regional,
      eventBusName: this.bus.name,
      rule: this.rule.name,
      targetId: 'central-alert-topic',
      arn: props.topicArn,
      inputTransformer: ALARM_MESSAGE,
      deadLetterConfig: { arn: this.deadLetters.queue.arn },
      dependsOn: [this.deadLetters.policy],
    });
    controlRecorder(this, props.accountId, props.homeRegion)(CENTRAL_ALERT_ROUTING, this.bus, this.rule, this.target, this.deadLetters.queue);
  }
}
