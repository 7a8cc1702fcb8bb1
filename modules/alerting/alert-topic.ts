/**
 * An account's alert topic: the SNS topic that CIS alarms (or EventBridge finding rules) publish to,
 * so that somebody is told. KMS-encrypted with a key of its own; publishable only by its publisher
 * service, from this account's alarms or rules; its subscriptions listable by the accounts of the
 * organization (Security Hub CloudWatch.x calls ListSubscriptionsByTopic).
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { policyDocument } from '../iam/policy-document';
import { LogEncryptionKey } from '../kms/log-encryption-key';

export interface AlertTopicProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly organizationId: string;
  readonly topicName: string;
  readonly keyAlias: string;
  /** Every subscription gets every alert. */
  readonly subscriptions: BaselineConfig['alerts']['subscriptions'];
  /** Who publishes: CloudWatch alarms or EventBridge rules of this account. */
  readonly publisher: 'cloudwatch-alarms' | 'eventbridge-rules';
}

export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  /** The topic's ARN, derived (not a reference), so policies and alarms read as plain text in a plan. */
  readonly topicArn: string;
  readonly key: LogEncryptionKey;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const regional = { provider: props.provider, region: props.region };
    this.topicArn = `arn:${PARTITION}:sns:${props.region}:${props.accountId}:${props.topicName}`;
    const alarms = props.publisher === 'cloudwatch-alarms';
    const service = alarms ? 'cloudwatch.amazonaws.com' : 'events.amazonaws.com';
    const fromThisAccount = {
      StringEquals: { 'aws:SourceAccount': props.accountId },
      ArnLike: {
        'aws:SourceArn': alarms
          ? `arn:${PARTITION}:cloudwatch:${props.region}:${props.accountId}:alarm:*`
          : `arn:${PARTITION}:events:${props.region}:${props.accountId}:rule/*`,
      },
    };

    this.key = new LogEncryptionKey(this, 'key', {
      ...regional,
      accountId: props.accountId,
      aliasName: props.keyAlias,
      description: `Encrypts the alert topic ${props.topicName}`,
      // A topic carries alerts, not evidence: its key may go with its stack.
      preventDestroy: false,
      statements: [
        {
          Sid: alarms ? 'CloudWatchAlarmsOfThisAccountPublish' : 'EventBridgeRulesPublish',
          Effect: 'Allow',
          Principal: { Service: service },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          // EventBridge's KMS requests for an encrypted topic carry no aws:Source* keys (AWS documents
          // them as unsupported there): a condition would drop every finding. The topic policy below
          // holds EventBridge to this account's rules, and this key encrypts this topic only.
          ...(alarms ? { Condition: fromThisAccount } : {}),
        },
      ],
    });

    this.topic = new SnsTopic(this, 'topic', {
      ...regional,
      name: props.topicName,
      displayName: 'SOC 2 baseline security alerts',
      kmsMasterKeyId: this.key.key.arn,
    });

    new SnsTopicPolicy(this, 'policy', {
      ...regional,
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: alarms ? 'CloudWatchAlarmsOfThisAccountPublish' : 'EventBridgeRulesOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: service },
          Action: 'SNS:Publish',
          Resource: this.topicArn,
          Condition: fromThisAccount,
        },
        {
          Sid: 'OrganizationAccountsListSubscriptions',
          Effect: 'Allow',
          Principal: '*',
          Action: ['SNS:ListSubscriptionsByTopic', 'SNS:GetTopicAttributes'],
          Resource: this.topicArn,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        },
      ]),
    });

    props.subscriptions.forEach((subscription, i) => {
      new SnsTopicSubscription(this, `subscription-${i}`, {
        ...regional,
        topicArn: this.topic.arn,
        protocol: subscription.protocol,
        endpoint: subscription.endpoint,
      });
    });
  }
}
