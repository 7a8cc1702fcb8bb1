/**
 * A dead-letter queue for an EventBridge target: an event EventBridge could not deliver (a role, a bus
 * policy or a key that broke, a bus not applied yet) is kept here for 14 days instead of being dropped
 * after the retries, so a broken alert route leaves evidence. EventBridge User Guide, "Using
 * dead-letter queues to process undelivered events": the queue policy lets `events.amazonaws.com`
 * SendMessage, conditioned on `aws:SourceArn` = the rule
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html). SSE-SQS: no key policy
 * to grant.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { PARTITION } from '../../config/naming';
import { policyDocument } from '../iam/policy-document';
import { MAX_SQS_RETENTION_SECONDS } from './alert-topic';

export interface DeadLetterQueueProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  /** At most 80 characters. */
  readonly queueName: string;
  /** The rule whose target sends here (its ARN). */
  readonly ruleArn: string;
}

export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;
  readonly policy: SqsQueuePolicy;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    if (props.queueName.length > 80) throw new Error(`DeadLetterQueue ${id}: queueName must be at most 80 characters (got ${props.queueName.length})`);
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
          Sid: 'UndeliveredEventsOfTheRule',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: `arn:${PARTITION}:sqs:${props.region}:${props.accountId}:${props.queueName}`,
          Condition: { ArnEquals: { 'aws:SourceArn': props.ruleArn } },
        },
      ]),
    });
  }
}
