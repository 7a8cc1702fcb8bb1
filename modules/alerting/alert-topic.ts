/**
 * An alert topic: the SNS topic that CIS alarms (or EventBridge rules) publish to. KMS-encrypted with a
 * key of its own; publishable only by its publisher service, from this account's alarms or rules.
 *
 * Two uses: each account's own alert topic, which its CIS alarms act on (CIS 4.x and Security Hub
 * CloudWatch.x want an alarm action on a topic with a subscriber, in the account evaluated), subscribed
 * by an SQS queue of the same account, a subscriber that needs no person; and the organization's one
 * central topic in the audit account, which carries the people's subscriptions.
 *
 * No statement lets other principals list the subscriptions: an HTTPS endpoint can be a secret, and
 * the account's own principals (Security Hub, Config, Prowler run as them) are allowed by their IAM
 * policies, since SNS, like other services, grants same-account access by either the identity or the
 * resource policy (IAM User Guide, "Policy evaluation logic", same-account requests).
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { recordControl } from '../control-model/record';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { policyDocument, type PolicyStatement } from '../iam/policy-document';
import { LogEncryptionKey } from '../kms/log-encryption-key';
import { CENTRAL_ALERT_ROUTING } from './controls';
import { ServiceQueue } from './service-queue';

export interface AlertTopicProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly topicName: string;
  readonly keyAlias: string;
  /**
   * People's subscriptions (email and HTTPS ones each need a person to confirm them).
   * @default - none
   */
  readonly subscriptions?: BaselineConfig['alerts']['subscriptions'];
  /**
   * Subscribe an SQS queue of this name, in this account, to the topic: a subscriber that needs no
   * confirmation, because the endpoint and the topic are in the same account (SNS API reference,
   * Subscribe: confirmation is needed for "HTTP/S or email, or if the endpoint and the topic are not
   * in the same Amazon Web Services account"). It keeps the notifications for 14 days.
   * @default - no queue
   */
  readonly recordQueueName?: string;
  /**
   * The pipeline and break-glass roles of this account (`exemptPrincipalArnsIn`): with them, the record
   * queue's policy denies everyone else `sqs:DeleteMessage` and `sqs:ChangeMessageVisibility`, which
   * would erase or hide the record, in every account, the management account included (which SCPs
   * never restrict; `ProtectAlertRecord` covers member accounts).
   * @default - no denial (guardrails off)
   */
  readonly recordQueueExemptPrincipalArns?: readonly string[];
  /**
   * Who publishes: CloudWatch alarms or EventBridge rules of this account, or both (the central topic:
   * its rules carry every account's alarms, and the alert route's own failure alarms act on it
   * directly, not through the rule they may be reporting on).
   */
  readonly publisher: 'cloudwatch-alarms' | 'eventbridge-rules' | readonly ('cloudwatch-alarms' | 'eventbridge-rules')[];
}

export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  /** The topic's ARN, derived (not a reference), so policies and alarms read as plain text in a plan. */
  readonly topicArn: string;
  readonly key: LogEncryptionKey;
  /** The same-account subscriber queue, when `recordQueueName` is given. */
  readonly recordQueue?: SqsQueue;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const regional = { provider: props.provider, region: props.region };
    this.topicArn = `arn:${PARTITION}:sns:${props.region}:${props.accountId}:${props.topicName}`;
    const publishers = typeof props.publisher === 'string' ? [props.publisher] : [...new Set(props.publisher)];
    const publisherOf = (kind: 'cloudwatch-alarms' | 'eventbridge-rules') => {
      const alarms = kind === 'cloudwatch-alarms';
      return {
        alarms,
        sid: alarms ? 'CloudWatchAlarmsOfThisAccountPublish' : 'EventBridgeRulesOfThisAccountPublish',
        service: alarms ? 'cloudwatch.amazonaws.com' : 'events.amazonaws.com',
        fromThisAccount: {
          StringEquals: { 'aws:SourceAccount': props.accountId },
          ArnLike: {
            'aws:SourceArn': alarms
              ? `arn:${PARTITION}:cloudwatch:${props.region}:${props.accountId}:alarm:*`
              : `arn:${PARTITION}:events:${props.region}:${props.accountId}:rule/*`,
          },
        },
      };
    };
    const kinds = publishers.map(publisherOf);

    this.key = new LogEncryptionKey(this, 'key', {
      ...regional,
      accountId: props.accountId,
      aliasName: props.keyAlias,
      description: `Encrypts the alert topic ${props.topicName}`,
      // A topic carries alerts, not evidence: its key may go with its stack.
      preventDestroy: false,
      statements: kinds.map((k) => ({
        Sid: k.alarms ? 'CloudWatchAlarmsOfThisAccountPublish' : 'EventBridgeRulesPublish',
        Effect: 'Allow' as const,
        Principal: { Service: k.service },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        // EventBridge's KMS requests for an encrypted topic carry no aws:Source* keys (AWS documents
        // them as unsupported there): a condition would drop every finding. The topic policy below
        // holds EventBridge to this account's rules, and this key encrypts this topic only.
        ...(k.alarms ? { Condition: k.fromThisAccount } : {}),
      })),
    });

    this.topic = new SnsTopic(this, 'topic', {
      ...regional,
      name: props.topicName,
      displayName: 'SOC 2 baseline security alerts',
      kmsMasterKeyId: this.key.key.arn,
    });
    recordControl(this, CENTRAL_ALERT_ROUTING, props.accountId, [{ resource: this.topic, region: props.region }]);

    new SnsTopicPolicy(this, 'policy', {
      ...regional,
      arn: this.topic.arn,
      policy: policyDocument(
        kinds.map((k) => ({
          Sid: k.sid,
          Effect: 'Allow' as const,
          Principal: { Service: k.service },
          Action: 'SNS:Publish',
          Resource: this.topicArn,
          Condition: k.fromThisAccount,
        })),
      ),
    });

    (props.subscriptions ?? []).forEach((subscription, i) => {
      new SnsTopicSubscription(this, `subscription-${i}`, {
        ...regional,
        topicArn: this.topic.arn,
        protocol: subscription.protocol,
        endpoint: subscription.endpoint,
      });
    });

    if (props.recordQueueName) {
      const record = new ServiceQueue(this, 'record', {
        ...regional,
        accountId: props.accountId,
        queueName: props.recordQueueName,
        service: 'sns.amazonaws.com',
        sourceArn: this.topicArn,
        sid: 'AlertTopicDelivers',
        extraStatements: props.recordQueueExemptPrincipalArns?.length ? [denyRecordErasureStatement(queueArn(props.region, props.accountId, props.recordQueueName), props.recordQueueExemptPrincipalArns)] : [],
      });
      this.recordQueue = record.queue;
      new SnsTopicSubscription(this, 'record-subscription', {
        ...regional,
        topicArn: this.topic.arn,
        protocol: 'sqs',
        endpoint: record.queue.arn,
        dependsOn: [record.policy],
      });
    }
  }
}

const queueArn = (region: string, accountId: string, name: string) => `arn:${PARTITION}:sqs:${region}:${accountId}:${name}`;

/**
 * The alert record queue's own guard (issue #22, round 3): nobody but the account's pipeline and
 * break-glass roles may delete its messages or change their visibility, purge it, shorten its retention
 * or rewrite its policy (SetQueueAttributes), delete it, or change who may use it (SQS actions on
 * resource type queue: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html).
 * The SCPs deny the same in member accounts (`ProtectAlertRecord`, `ProtectAlertQueues`); this statement
 * is what holds in the management account, which SCPs never restrict.
 * `Bool aws:PrincipalIsAWSService false` keeps AWS service principals out (SNS delivers with
 * sqs:SendMessage, which is not denied anyway), as the key and bucket denials do
 * (modules/guardrails/resource-policy-denials.ts explains why ArnNotLike alone would catch them).
 */
/** What erases or hides the alert record (denyRecordErasureStatement). */
export const RECORD_ERASURE_ACTIONS = [
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:PurgeQueue',
  'sqs:SetQueueAttributes',
  'sqs:DeleteQueue',
  'sqs:AddPermission',
  'sqs:RemovePermission',
] as const;

export function denyRecordErasureStatement(queue: string, exempt: readonly string[]): PolicyStatement {
  return {
    Sid: 'DenyRecordErasureExceptPipeline',
    Effect: 'Deny',
    Principal: '*',
    Action: [...RECORD_ERASURE_ACTIONS],
    Resource: queue,
    Condition: { ArnNotLike: { 'aws:PrincipalArn': [...exempt] }, Bool: { 'aws:PrincipalIsAWSService': 'false' } },
  };
}
