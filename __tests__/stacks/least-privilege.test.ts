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
};

/** Service grants that cannot carry a source condition, and why (see README). */
const EXCEPTIONS: Record<string, string> = {
  EventBridgeRulesPublish: "EventBridge's KMS requests for an encrypted topic carry no aws:Source* keys",
};

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
      if (statement.Effect !== 'Allow' || !statement.Principal?.Service || EXCEPTIONS[statement.Sid]) continue;
      expect({ where, sid: statement.Sid, condition: JSON.stringify(statement.Condition ?? {}) }).toEqual({
        where,
        sid: statement.Sid,
        condition: expect.stringMatching(/aws:Source(Arn|Account|OrgID)|kms:EncryptionContext/),
      });
    }
  });
});
