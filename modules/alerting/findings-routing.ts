/**
 * High-severity findings to people: EventBridge rules in the audit account (the delegated
 * administrator, which receives every member's findings) publishing to its alert topic.
 *
 * - Security Hub findings labelled HIGH or CRITICAL: one rule in the home Region, where the Security
 *   Hub finding aggregator already gathers the findings of every linked Region. GuardDuty's own
 *   findings are excluded there, so that each GuardDuty finding is announced once, by the path below.
 * - GuardDuty findings of severity 7 or more: GuardDuty has no cross-Region aggregation, so a rule in
 *   every governed Region; outside the home Region it forwards to the home Region's default event bus,
 *   where the home rule publishes to the topic. Findings reach people even if Security Hub is off.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { policyDocument, serviceTrustPolicy } from '../iam/policy-document';
import { FINDINGS_ALERTING } from './controls';
import { GUARDDUTY_HIGH_SEVERITY_PATTERN, SECURITY_HUB_HIGH_CRITICAL_PATTERN } from './event-patterns';

export interface FindingsRoutingProps {
  /** Provider of the audit (delegated administrator) account. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly homeRegion: string;
  /** Every governed Region, home included. */
  readonly regions: readonly string[];
  /** The audit account's alert topic, in the home Region. */
  readonly topicArn: string;
  readonly namePrefix: string;
}

export { GUARDDUTY_HIGH_SEVERITY_PATTERN, SECURITY_HUB_HIGH_CRITICAL_PATTERN };

export class FindingsRouting extends Construct {
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: FindingsRoutingProps) {
    super(scope, id);
    const home = props.homeRegion;
    const homeBusArn = `arn:${PARTITION}:events:${home}:${props.accountId}:event-bus/default`;

    const rule = (ruleId: string, region: string, name: string, description: string, pattern: object) => {
      const r = new CloudwatchEventRule(this, `${ruleId}-${region}`, {
        provider: props.provider,
        region,
        name,
        description,
        eventPattern: JSON.stringify(pattern),
        state: 'ENABLED',
      });
      this.rules.push(r);
      return r;
    };
    const toTopic = (r: CloudwatchEventRule, targetId: string) =>
      controlRecorder(this, props.accountId, home)(
        FINDINGS_ALERTING,
        r,
        new CloudwatchEventTarget(this, `${targetId}-target`, {
          provider: props.provider,
          region: home,
          rule: r.name,
          targetId: 'alert-topic',
          arn: props.topicArn,
        }),
      );

    toTopic(
      rule(
        'securityhub-high-critical',
        home,
        `${props.namePrefix}-securityhub-high-critical`,
        'Security Hub findings labelled HIGH or CRITICAL from every linked Region (GuardDuty findings excluded: they have their own rule)',
        SECURITY_HUB_HIGH_CRITICAL_PATTERN,
      ),
      'securityhub-high-critical',
    );
    toTopic(
      rule(
        'guardduty-high-severity',
        home,
        `${props.namePrefix}-guardduty-high-severity`,
        'GuardDuty findings of severity 7 or more, from this Region and forwarded from the other governed Regions',
        GUARDDUTY_HIGH_SEVERITY_PATTERN,
      ),
      'guardduty-high-severity',
    );

    const others = props.regions.filter((r) => r !== home);
    if (others.length === 0) return;
    const forwarder = new IamRole(this, 'forwarder-role', {
      provider: props.provider,
      name: `${props.namePrefix}-forward-findings-to-${home}`,
      description: `Lets EventBridge rules of this account forward findings to the ${home} default event bus`,
      assumeRolePolicy: serviceTrustPolicy('events.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': props.accountId },
        ArnLike: { 'aws:SourceArn': `arn:${PARTITION}:events:*:${props.accountId}:rule/${props.namePrefix}-guardduty-high-severity` },
      }),
    });
    new IamRolePolicy(this, 'forwarder-policy', {
      provider: props.provider,
      role: forwarder.name,
      name: 'put-events-on-home-bus',
      policy: policyDocument([{ Sid: 'PutEventsOnHomeRegionBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: homeBusArn }]),
    });
    for (const region of others) {
      const r = rule(
        'guardduty-high-severity',
        region,
        `${props.namePrefix}-guardduty-high-severity`,
        `GuardDuty findings of severity 7 or more, forwarded to ${home}`,
        GUARDDUTY_HIGH_SEVERITY_PATTERN,
      );
      const forward = new CloudwatchEventTarget(this, `guardduty-forward-${region}-target`, {
        provider: props.provider,
        region,
        rule: r.name,
        targetId: 'home-region-bus',
        arn: homeBusArn,
        roleArn: forwarder.arn,
      });
      controlRecorder(this, props.accountId, region)(FINDINGS_ALERTING, r, forward);
    }
  }
}
