/**
 * Every resource type of the example org is judged by the review: read by some rule
 * (`ReviewRule.resourceTypes`) or listed in NOT_A_CONTROL with why it is not a control. A new type the
 * stacks start to synthesize fails here until someone decides which.
 */
import { synthStackNames } from '../../config/naming';
import { NOT_A_CONTROL } from '../../review/not-a-control';
import { REVIEW_RULES } from '../../review/rules';
import { exampleConfig, synthStack } from '../helpers';

describe('review coverage of the synthesized resource types', () => {
  const config = exampleConfig();
  const byType = new Map<string, Set<string>>();
  beforeAll(() => {
    for (const stack of synthStackNames(config)) {
      for (const type of Object.keys(synthStack(config, stack).resource ?? {})) byType.set(type, (byType.get(type) ?? new Set()).add(stack));
    }
  }, 300_000);
  const judged = new Set(REVIEW_RULES.flatMap((r) => r.resourceTypes));

  test('the example org synthesizes the types the review is about', () => {
    expect(byType.size).toBeGreaterThan(40);
    for (const type of ['aws_cloudwatch_event_rule', 'aws_sns_topic_subscription', 'aws_guardduty_organization_configuration', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_config_config_rule']) {
      expect(byType.has(type)).toBe(true);
    }
  });

  test('every synthesized resource type is read by a rule or listed in NOT_A_CONTROL', () => {
    const unjudged = [...byType.keys()].filter((t) => !judged.has(t) && !(t in NOT_A_CONTROL)).sort();
    expect(unjudged.map((t) => `${t} (in ${[...byType.get(t)!].join(', ')})`)).toEqual([]);
  });

  test('NOT_A_CONTROL lists only types that are synthesized, no rule reads, each with a reason', () => {
    for (const [type, reason] of Object.entries(NOT_A_CONTROL)) {
      expect([type, byType.has(type)]).toEqual([type, true]);
      expect([type, judged.has(type)]).toEqual([type, false]);
      expect(reason.length).toBeGreaterThan(20);
    }
  });
});
