/**
 * An account's alert topic: the SNS topic that CIS alarms and EventBridge finding rules publish to,
 * so that somebody is told. KMS-encrypted with a key CloudWatch and EventBridge of this account may
 * use; publishable only by those services from this account; its subscriptions listable by the
 * accounts of the organization (Security Hub CloudWatch.x calls ListSubscriptionsByTopic).
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
}

const PUBLISHERS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'];

export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  /** The topic's ARN, derived (not a reference), so policies and alarms read as plain text in a plan. */
  readonly topicArn: string;
  readonly key: LogEncryptionKey;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const regional = { provider: props.provider, region: props.region };
    const sameAccount = { StringEquals: { 'aws:SourceAccount': props.accountId } };
    this.topicArn = `arn:${PARTITION}:sns:${props.region}:${props.accountId}:${props.topicName}`;

    this.key = new LogEncryptionKey(this, 'key', {
      ...regional,
      accountId: props.accountId,
      aliasName: props.keyAlias,
      description: `Encrypts the alert topic ${props.topicName}`,
      statements: [
        {
          Sid: 'AlarmsAndEventBridgeOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: PUBLISHERS },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: sameAccount,
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
          Sid: 'AlarmsAndEventBridgeOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: PUBLISHERS },
          Action: 'SNS:Publish',
          Resource: this.topicArn,
          Condition: sameAccount,
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
