/**
 * Forwards one account's CIS alarm state changes to the organization's central alarm bus (audit
 * account, home Region), where one rule publishes them to the one central alert topic that people
 * subscribe to. So a person confirms each email or HTTPS subscription once for the whole organization,
 * and a new account's alarms reach the same people with nothing to confirm.
 *
 * CloudWatch sends every alarm state change to the account's default event bus as a "CloudWatch Alarm
 * State Change" event from `aws.cloudwatch` (CloudWatch User Guide, "Alarm events and EventBridge":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 * The rule here matches every state change of this set's alarms (the central rule publishes those
 * entering ALARM; the alarm history record keeps them all: `alarm-history.ts`), and its target is the central bus, through a
 * role: the central bus grants PutEvents by organization, and "if you grant permissions using an
 * organization, then accounts in that organization must specify a RoleArn with proper permissions when
 * they use PutTarget to add your account's event bus as a target" (EventBridge API reference,
 * PutPermission: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html).
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformResource } from 'cdktf';
import { controlRecorder } from '../control-model/record';
import { CENTRAL_ALERT_ROUTING, ROUTE_WATCHDOGS } from './controls';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { policyDocument, serviceTrustPolicy } from '../iam/policy-document';
import { alarmStateChangesPattern } from './event-patterns';
import { queueDepthAlarm, ruleFailureAlarm } from './route-alarms';
import { ServiceQueue } from './service-queue';

export { alarmStateChangePattern } from './event-patterns';

export interface AlarmForwardingProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  /** The Region of the alarms (the home Region, where the CIS set lives). */
  readonly region: string;
  /** The alarms forwarded: those whose names start with this. */
  readonly alarmNamePrefix: string;
  /** Name of the rule. */
  readonly ruleName: string;
  /** The central alarm bus (ARN), in the audit account. */
  readonly centralBusArn: string;
  /** Name of the forwarding role (the same in every account: the central bus policy names it). */
  readonly roleName: string;
  /**
   * The dead man's switch: a scheduled rule that sends a heartbeat to the central bus every
   * `everyMinutes`, through the same role, target and dead-letter queue as the alarms (the audit
   * account raises an alarm when an account's heartbeat stops: `route-watchdogs.ts`).
   * @default - no heartbeat
   */
  readonly heartbeat?: { readonly ruleName: string; readonly everyMinutes: number };
  /**
   * The topic the route's own failure alarms act on (the account's alert topic): the dead-letter queue
   * holding events (the alarms' and the heartbeat's), and the forwarding rule's failed deliveries (the
   * heartbeat's own are the audit account's heartbeat alarm's to report). Named with `alarmNamePrefix`, so they are
   * forwarded like every alarm when the failure was passing; when the link stays broken, the
   * heartbeat's silence is what reaches people, from the audit account.
   * @default - no failure alarms
   */
  readonly failureAlarmTopicArn?: string;
}

export class AlarmForwarding extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly role: IamRole;
  /** Where events the central bus did not accept are kept (apply `management` first: it creates the bus). */
  readonly deadLetters: ServiceQueue;

  constructor(scope: Construct, id: string, props: AlarmForwardingProps) {
    super(scope, id);
    const regional = { provider: props.provider, region: props.region };
    const ruleArn = `arn:${PARTITION}:events:${props.region}:${props.accountId}:rule/${props.ruleName}`;
    const heartbeatArn = props.heartbeat ? `arn:${PARTITION}:events:${props.region}:${props.accountId}:rule/${props.heartbeat.ruleName}` : undefined;
    const ruleArns = heartbeatArn ? [ruleArn, heartbeatArn] : ruleArn;
    this.rule = new CloudwatchEventRule(this, 'rule', {
      ...regional,
      name: props.ruleName,
      description: `Forwards every state change of this account's SOC 2 baseline alarms (${props.alarmNamePrefix}*) to the organization's central alert bus`,
      eventPattern: JSON.stringify(alarmStateChangesPattern({ alarmNamePrefix: props.alarmNamePrefix })),
      state: 'ENABLED',
    });
    this.role = new IamRole(this, 'role', {
      provider: props.provider,
      name: props.roleName,
      description: 'Lets EventBridge forward the SOC 2 baseline alarms of this account to the central alert bus',
      // EventBridge User Guide, "Preventing the confused deputy problem" (aws:SourceAccount, aws:SourceArn).
      assumeRolePolicy: serviceTrustPolicy('events.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': props.accountId, 'aws:SourceArn': ruleArns },
      }),
    });
    const policy = new IamRolePolicy(this, 'role-policy', {
      provider: props.provider,
      role: this.role.name,
      name: 'put-events-on-central-alarm-bus',
      policy: policyDocument([{ Sid: 'PutEventsOnCentralAlarmBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: props.centralBusArn }]),
    });
    this.deadLetters = new ServiceQueue(this, 'dead-letters', {
      ...regional,
      accountId: props.accountId,
      queueName: `${props.ruleName}-undelivered`,
      service: 'events.amazonaws.com',
      sourceArn: ruleArns,
      sid: 'UndeliveredEventsOfTheRule',
    });
    this.target = new CloudwatchEventTarget(this, 'target', {
      ...regional,
      rule: this.rule.name,
      targetId: 'central-alarm-bus',
      arn: props.centralBusArn,
      roleArn: this.role.arn,
      deadLetterConfig: { arn: this.deadLetters.queue.arn },
      dependsOn: [policy, this.deadLetters.policy],
    });
    controlRecorder(this, props.accountId, props.region)(CENTRAL_ALERT_ROUTING, this.rule, this.target, this.deadLetters.queue);

    const watchdogs: TerraformResource[] = [];
    if (props.heartbeat) {
      // A scheduled rule's event ("Scheduled Event", source aws.events, `resources` the rule's ARN) goes
      // to its targets only (EventBridge User Guide, "Creating a rule that runs on a schedule"); this
      // target is the central bus, like the alarms' (EventBridge User Guide, "Sending and receiving
      // events between AWS accounts": the same role and bus policy).
      this.heartbeatRule = new CloudwatchEventRule(this, 'heartbeat', {
        ...regional,
        name: props.heartbeat.ruleName,
        description: "The alert route's heartbeat: proves every few minutes that this account's alarms can still reach the central bus",
        scheduleExpression: `rate(${props.heartbeat.everyMinutes} minutes)`,
        state: 'ENABLED',
      });
      const heartbeatTarget = new CloudwatchEventTarget(this, 'heartbeat-target', {
        ...regional,
        rule: this.heartbeatRule.name,
        targetId: 'central-alarm-bus',
        arn: props.centralBusArn,
        roleArn: this.role.arn,
        deadLetterConfig: { arn: this.deadLetters.queue.arn },
        dependsOn: [policy, this.deadLetters.policy],
      });
      watchdogs.push(this.heartbeatRule, heartbeatTarget);
    }
    if (props.failureAlarmTopicArn) {
      const common = { ...regional, actions: [props.failureAlarmTopicArn] };
      watchdogs.push(
        queueDepthAlarm(this, 'undelivered-alarm', {
          ...common,
          alarmName: `${props.alarmNamePrefix}alarm-route-undelivered`,
          queueName: `${props.ruleName}-undelivered`,
          description: `Alarms or heartbeats of this account that the central bus did not accept wait in ${props.ruleName}-undelivered (docs/monitoring.md, "When the alert route fails")`,
        }),
        ruleFailureAlarm(this, 'failed-alarm', {
          ...common,
          alarmName: `${props.alarmNamePrefix}alarm-route-failed`,
          ruleName: props.ruleName,
          description: `The rule ${props.ruleName} failed to forward an alarm to the central bus (docs/monitoring.md, "When the alert route fails")`,
        }),
      );
    }
    if (watchdogs.length) controlRecorder(this, props.accountId, props.region)(ROUTE_WATCHDOGS, ...watchdogs);
  }

  /** The heartbeat's scheduled rule, when `heartbeat` is set. */
  heartbeatRule?: CloudwatchEventRule;
}
