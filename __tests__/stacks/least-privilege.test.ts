/**
 * Least privilege across every policy the baseline writes (bucket, key, topic and trust policies,
 * in every stack, with the options that add policies turned on): no wildcard principal is allowed
 * anything without a condition, and every grant to an AWS service is held to a source (its
 * aws:SourceArn / SourceAccount / SourceOrgID) or to an encryption context.
 */
import { allStackNames } from '../../config/naming';
import { configWith, synthStack, type Synth } from '../helpers';

const POLICY_ATTRIBUTES: Record<string, string> = {
  aws_s3_bucket_policy: 'policy',
  aws_kms_key: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_iam_role: 'assume_role_policy',
  aws_iam_role_policy: 'policy',
  aws_sqs_queue_policy: 'policy',
  aws_cloudwatch_event_bus_policy: 'policy',
};

/** Service grants that cannot carry a source condition, and the AWS page that says so. */
const EXCEPTIONS: { readonly why: string; readonly applies: (s: Record<string, any>) => boolean }[] = [
  {
    why: "EventBridge's KMS requests for an encrypted topic carry no aws:Source* keys",
    applies: (s) => s.Sid === 'EventBridgeRulesPublish',
  },
  {
    // CloudTrail User Guide, "Role policy document for CloudTrail to use CloudWatch Logs for monitoring":
    // "The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount."
    why: "CloudTrail's CloudWatch Logs role trust does not support source conditions",
    applies: (s) => s.Principal?.Service === 'cloudtrail.amazonaws.com' && s.Action === 'sts:AssumeRole',
  },
  {
    // GuardDuty User Guide, "Create or update IAM role policy" (malware-protection-s3-iam-policy-prerequisite.html):
    // the trust policy AWS gives names the principal only; no source condition is documented for it, and
    // GuardDuty validates the role when the plan is created (docs/detection.md, Unverified).
    why: "GuardDuty Malware Protection for S3's plan role: AWS documents no source condition for its trust",
    applies: (s) => s.Principal?.Service === 'malware-protection-plan.guardduty.amazonaws.com' && s.Action === 'sts:AssumeRole',
  },
];

const config = configWith((raw) => {
  raw.flowLogs = { destination: 'cloud-watch-logs' };
  raw.trail.deliveryNotifications = true;
});

function policies(json: Synth): { where: string; statement: Record<string, any> }[] {
  const out: { where: string; statement: Record<string, any> }[] = [];
  for (const [type, attribute] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const [id, resource] of Object.entries(json.resource?.[type] ?? {})) {
      for (const statement of JSON.parse(resource[attribute]).Statement) out.push({ where: `${type}.${id}`, statement });
    }
  }
  return out;
}

describe.each(allStackNames(config))('policies of %s', (stack) => {
  const all = policies(synthStack(config, stack));

  test('no wildcard principal is allowed anything without a condition', () => {
    for (const { where, statement } of all) {
      const principal = statement.Principal;
      const wildcard = principal === '*' || principal?.AWS === '*';
      if (wildcard && statement.Effect === 'Allow') expect({ where, condition: statement.Condition }).toEqual({ where, condition: expect.any(Object) });
    }
  });

  test('every grant to an AWS service is held to its source or an encryption context', () => {
    for (const { where, statement } of all) {
      if (statement.Effect !== 'Allow' || !statement.Principal?.Service || EXCEPTIONS.some((e) => e.applies(statement))) continue;
      expect({ where, sid: statement.Sid, condition: JSON.stringify(statement.Condition ?? {}) }).toEqual({
        where,
        sid: statement.Sid,
        condition: expect.stringMatching(/aws:Source(Arn|Account|OrgID)|kms:EncryptionContext/),
      });
    }
  });
});
