/**
 * The CIS CloudWatch monitoring set on one trail log group, for one account: a metric filter and a
 * `Sum >= 1` alarm for every CIS 4.x pattern (see `cis-metric-filters.ts`), an off-hours console
 * sign-in alarm computed with metric math (see `business-hours.ts`), the account's alert topic they
 * all act on (subscribed by a same-account SQS queue, which needs no person), and the forwarding of
 * their ALARM state changes to the organization's central alert topic, which people subscribe to once.
 */
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { alarmEventBusArn, alarmForwarderRoleName, alertRecordQueueName, alertTopicName, kmsAliasName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { AlarmForwarding } from '../alerting/alarm-forwarding';
import { ROUTE_WATCHDOGS } from '../alerting/controls';
import { silenceAlarm } from '../alerting/route-alarms';
import { AlertTopic } from '../alerting/alert-topic';
import { businessHoursUtc, offHoursExpression } from './business-hours';
import { recordControl } from '../control-model/record';
import {
  alertRouteTamperingFilters,
  breakGlassUsageFilter,
  guardrailRoleChangeFilter,
  CIS_METRIC_FILTERS,
  CONSOLE_SIGNIN_SUCCESS_FILTER,
  ROUTE_TAMPERING_ALARM_ID,
  ROUTE_TAMPERING_METRIC,
} from './cis-metric-filters';
import { BREAK_GLASS_ALARM } from '../guardrails/controls';
import { ROUTE_TAMPERING_ALARM } from '../alerting/controls';
import { alarmDescription, CIS_FILTER_CONTROLS, CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS, GUARDRAIL_ROLE_CHANGE_ALARM } from './controls';
import { exemptPrincipalArnsIn } from '../guardrails/protected-resources';

export interface CisAlarmsProps {
  readonly config: BaselineConfig;
  /** Provider of the account whose trail log group this is; its alert topic is created there. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  /** The trail's log group, in the home Region (checkers match filters to trails by its name). */
  readonly logGroupName: string;
  /** Resources that must exist first (the log group). */
  readonly dependsOn: readonly Construct[];
  /** Prefix of filter and alarm names. */
  readonly namePrefix: string;
  /**
   * The guardrails' break-glass role: a filter and alarm for its every use (set on the organization
   * trail's log group, which sees every account), and a second filter and alarm on any creation or
   * trust or permission change of the pipeline, break-glass and plan roles (`guardrailRoleChangeFilter`),
   * in any account.
   * @default - none: no break-glass alarm and no role-change alarm
   */
  readonly breakGlassRoleName?: string;
  /**
   * Raise an alarm when the log group receives no event for an hour (the trail's delivery to
   * CloudWatch Logs stopped: the CIS alarms would then go quiet, which looks like a calm month). For
   * the organization trail, which always has events (every account's AWS service calls).
   * @default false
   */
  readonly watchLogGroupDelivery?: boolean;
  /**
   * Watch the watchers: the route-tampering filters (one per service, see `alertRouteTamperingFilters`)
   * and their one alarm, on the organization trail's log group, which sees every account. Changes made
   * with a session of `exemptRoleName` (the pipeline role) are left out.
   * @default - none: no route-tampering alarm
   */
  readonly alertRouteTampering?: { readonly exemptRoleName?: string };
}

/** A short period: an alarm fires within five minutes of the event reaching CloudWatch Logs. */
export const ALARM_PERIOD_SECONDS = 300;

export class CisAlarms extends Construct {
  readonly topic: AlertTopic;
  readonly forwarding: AlarmForwarding;
  readonly filters: CloudwatchLogMetricFilter[] = [];
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** The alarm on the log group receiving no events, when `watchLogGroupDelivery`. */
  deliveryAlarm?: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: CisAlarmsProps) {
    super(scope, id);
    const { config } = props;
    const regional = { provider: props.provider, region: config.regions.home };
    const metricNamespace = config.monitoring.metricNamespace;
    const businessHours = config.alerts.businessHours;
    this.topic = new AlertTopic(this, 'alerts', {
      ...regional,
      accountId: props.accountId,
      topicName: alertTopicName(config),
      keyAlias: kmsAliasName(config, 'alerts'),
      // People subscribe once, to the central topic; here a subscriber that confirms itself.
      recordQueueName: alertRecordQueueName(config),
      recordQueueExemptPrincipalArns: exemptPrincipalArnsIn(config, props.accountId),
      publisher: 'cloudwatch-alarms',
    });
    this.forwarding = new AlarmForwarding(this, 'forwarding', {
      ...regional,
      accountId: props.accountId,
      alarmNamePrefix: `${props.namePrefix}-`,
      ruleName: `${props.namePrefix}-alarms-to-central-bus`,
      centralBusArn: alarmEventBusArn(config),
      roleName: alarmForwarderRoleName(config),
      // The dead man's switch and the route's own failure alarms (docs/monitoring.md, "When the alert route fails").
      heartbeat: { ruleName: `${props.namePrefix}-heartbeat`, everyMinutes: config.alerts.heartbeat.everyMinutes },
      failureAlarmTopicArn: this.topic.topicArn,
    });
    if (props.watchLogGroupDelivery) {
      // Its action is this account's topic, and its ALARM travels the alarm route: it does not depend
      // on the trail's delivery to CloudWatch Logs, the link it watches.
      this.deliveryAlarm = silenceAlarm(this, 'log-delivery-alarm', {
        ...regional,
        alarmName: `${props.namePrefix}-trail-delivery-stopped`,
        description: `No event reached ${props.logGroupName} for an hour: the trail's delivery to CloudWatch Logs has stopped and the CIS alarms cannot fire (docs/monitoring.md, "When the alert route fails")`,
        actions: [this.topic.topicArn],
        namespace: 'AWS/Logs',
        metricName: 'IncomingLogEvents',
        dimensions: { LogGroupName: props.logGroupName },
        periodSeconds: 3600,
      });
      recordControl(this, ROUTE_WATCHDOGS, props.accountId, [{ resource: this.deliveryAlarm, region: config.regions.home }]);
    }
    // Every alarm: one event is enough, no data is not an alarm, and it tells the alert topic.
    const fireOnFirstEvent = {
      ...regional,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      actionsEnabled: true,
      alarmActions: [this.topic.topicArn],
    };
    const dependsOn = props.dependsOn.length > 0 ? ([...props.dependsOn] as never) : undefined;

    const filter = (f: { id: string; metricName: string; pattern: string }) => {
      const resource = new CloudwatchLogMetricFilter(this, `${f.id}-filter`, {
        ...regional,
        name: `${props.namePrefix}-${f.id}`,
        logGroupName: props.logGroupName,
        pattern: f.pattern,
        metricTransformation: { name: f.metricName, namespace: metricNamespace, value: '1' },
        dependsOn,
      });
      this.filters.push(resource);
      return resource;
    };

    const home = config.regions.home;
    for (const f of CIS_METRIC_FILTERS) {
      const control = CIS_FILTER_CONTROLS.get(f.id)!;
      const metricFilter = filter(f);
      const alarm = new CloudwatchMetricAlarm(this, `${f.id}-alarm`, {
        ...fireOnFirstEvent,
        alarmName: `${props.namePrefix}-${f.id}`,
        alarmDescription: alarmDescription(control, props.logGroupName),
        namespace: metricNamespace,
        metricName: f.metricName,
        statistic: 'Sum',
        period: ALARM_PERIOD_SECONDS,
      });
      this.alarms.push(alarm);
      recordControl(this, control, props.accountId, [
        { resource: metricFilter, region: home },
        { resource: alarm, region: home },
      ]);
    }

    // The guardrails' way out is audited: same alarm shape, same topic, same route to people.
    if (props.breakGlassRoleName) {
      const f = breakGlassUsageFilter(props.breakGlassRoleName);
      const breakGlassFilter = filter(f);
      const alarm = new CloudwatchMetricAlarm(this, `${f.id}-alarm`, {
        ...fireOnFirstEvent,
        alarmName: `${props.namePrefix}-${f.id}`,
        alarmDescription: alarmDescription(BREAK_GLASS_ALARM, props.logGroupName, `${f.title}, the guardrails' emergency exemption: docs/guardrails.md`),
        namespace: metricNamespace,
        metricName: f.metricName,
        statistic: 'Sum',
        period: ALARM_PERIOD_SECONDS,
      });
      this.alarms.push(alarm);
      recordControl(this, BREAK_GLASS_ALARM, props.accountId, [
        { resource: breakGlassFilter, region: home },
        { resource: alarm, region: home },
      ]);

      // The exemption is by role name: creating or re-trusting a role of those names is watched too.
      const g = config.guardrails;
      const roles = guardrailRoleChangeFilter(
        [g.pipelineRoleName, props.breakGlassRoleName, config.deployment.planRoleName].filter((n): n is string => n !== undefined),
      );
      const roleFilter = filter(roles);
      const roleAlarm = new CloudwatchMetricAlarm(this, `${roles.id}-alarm`, {
        ...fireOnFirstEvent,
        alarmName: `${props.namePrefix}-${roles.id}`,
        alarmDescription: alarmDescription(GUARDRAIL_ROLE_CHANGE_ALARM, props.logGroupName, roles.title),
        namespace: metricNamespace,
        metricName: roles.metricName,
        statistic: 'Sum',
        period: ALARM_PERIOD_SECONDS,
      });
      this.alarms.push(roleAlarm);
      recordControl(this, GUARDRAIL_ROLE_CHANGE_ALARM, props.accountId, [
        { resource: roleFilter, region: home },
        { resource: roleAlarm, region: home },
      ]);
    }

    // The alert route and its watchers are watched: a change to them, in any account, pages the same way.
    if (props.alertRouteTampering) {
      const exempt = props.alertRouteTampering.exemptRoleName;
      const tamperingFilters = alertRouteTamperingFilters(config.organization.namePrefix, exempt).map((f) => filter(f));
      const alarm = new CloudwatchMetricAlarm(this, `${ROUTE_TAMPERING_ALARM_ID}-alarm`, {
        ...fireOnFirstEvent,
        alarmName: `${props.namePrefix}-${ROUTE_TAMPERING_ALARM_ID}`,
        alarmDescription: alarmDescription(ROUTE_TAMPERING_ALARM, props.logGroupName, exempt ? `the pipeline role ${exempt} left out` : undefined),
        namespace: metricNamespace,
        metricName: ROUTE_TAMPERING_METRIC,
        statistic: 'Sum',
        period: ALARM_PERIOD_SECONDS,
      });
      this.alarms.push(alarm);
      recordControl(this, ROUTE_TAMPERING_ALARM, props.accountId, [...tamperingFilters.map((resource) => ({ resource, region: home })), { resource: alarm, region: home }]);
    }

    // Successful sign-ins outside business hours: metric math on a one-minute sum, so the boundary
    // minutes fall on the right side of the window.
    const signInFilter = filter(CONSOLE_SIGNIN_SUCCESS_FILTER);
    const ids = { metric: 'signins', day: 'utcday', minute: 'utcminute' };
    const offHours = new CloudwatchMetricAlarm(this, 'console-signin-outside-business-hours-alarm', {
      ...fireOnFirstEvent,
      alarmName: `${props.namePrefix}-console-signin-outside-business-hours`,
      alarmDescription: alarmDescription(
        CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS,
        props.logGroupName,
        `business hours ${businessHours.days.join(', ')} ${businessHours.start}-${businessHours.end} UTC${businessHours.utcOffset}`,
      ),
      metricQuery: [
        {
          id: ids.metric,
          returnData: false,
          metric: {
            namespace: metricNamespace,
            metricName: CONSOLE_SIGNIN_SUCCESS_FILTER.metricName,
            period: 60,
            stat: 'Sum',
          },
        },
        { id: ids.day, returnData: false, expression: `DAY(${ids.metric})` },
        { id: ids.minute, returnData: false, expression: `HOUR(${ids.metric})*60+MINUTE(${ids.metric})` },
        {
          id: 'outsidehours',
          returnData: true,
          label: 'Console sign-ins outside business hours',
          expression: offHoursExpression(businessHoursUtc(businessHours), ids),
        },
      ],
    });
    this.alarms.push(offHours);
    recordControl(this, CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS, props.accountId, [
      { resource: signInFilter, region: home },
      { resource: offHours, region: home },
    ]);
  }
}
