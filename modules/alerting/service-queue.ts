/**
 * An SQS queue that one AWS service may send to, from one source only: SSE-SQS encrypted (no key
 * policy to grant), messages kept 14 days (SQS's longest retention: SQS Developer Guide, "Amazon SQS
 * quotas"), and a queue policy letting the service `sqs:SendMessage` under `aws:SourceArn` = that source.
 *
 * Two uses on the alert route: an alert topic's same-account subscriber (`sns.amazonaws.com` from the
 * topic; SNS Developer Guide, "Subscribing an Amazon SQS queue to an Amazon SNS topic"), and the
 * dead-letter queue of an EventBridge target (`events.amazonaws.com` from the rule; EventBridge User
 * Guide, "Using dead-letter queues to process undelivered events":
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { policyDocument, type PolicyStatement } from '../iam/policy-document';

import { MAX_SQS_RETENTION_SECONDS } from './event-patterns';

export { MAX_SQS_RETENTION_SECONDS };

export interface ServiceQueueProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  /** At most 80 characters. */
  readonly queueName: string;
  /** The service principal that sends, e.g. `sns.amazonaws.com`. */
  readonly service: string;
  /** The resources it sends from (their ARNs): the topic, or the rules whose dead letters it keeps. */
  readonly sourceArn: string | readonly string[];
  /** Sid of the policy statement: what the grant is for. */
  readonly sid: string;
  /**
   * Statements appended after the grant (denials of this queue's own guard, e.g. the alert record
   * queue's `DenyRecordErasureExceptPipeline`).
   * @default - none
   */
  readonly extraStatements?: readonly PolicyStatement[];
}

export class ServiceQueue extends Construct {
  readonly queue: SqsQueue;
  readonly policy: SqsQueuePolicy;

  constructor(scope: Construct, id: string, props: ServiceQueueProps) {
    super(scope, id);
    if (props.queueName.length > 80) throw new Error(`ServiceQueue ${id}: queueName must be at most 80 characters (got ${props.queueName.length})`);
    const regional = { provider: props.provider, region: props.region };
    this.queue = new SqsQueue(this, 'queue', {
      ...regional,
      name: props.queueName,
      messageRetentionSeconds: MAX_SQS_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });
    this.policy = new SqsQueuePolicy(this, 'policy', {
      ...regional,
      queueUrl: this.queue.url,
      policy: policyDocument([
        {
          Sid: props.sid,
          Effect: 'Allow',
          Principal: { Service: props.service },
          Action: 'sqs:SendMessage',
          Resource: `arn:${PARTITION}:sqs:${props.region}:${props.accountId}:${props.queueName}`,
          Condition: { ArnEquals: { 'aws:SourceArn': typeof props.sourceArn === 'string' ? props.sourceArn : [...props.sourceArn] } },
        },
        ...(props.extraStatements ?? []),
      ]),
    });
  }
}
