import { allStackNames } from '../../config/naming';
import { exampleConfig, oneResource, resourcesOf, synthStack } from '../helpers';

// CIS AWS Foundations v3.0 2.1.4 / Security Hub S3.1 / Prowler s3_account_level_public_access_blocks:
// all four account-level settings on. Account-wide, no Region (S3 User Guide, "Configuring block
// public access settings for your account").
describe('account-level S3 Block Public Access', () => {
  const config = exampleConfig();

  test.each(config.members.map((m) => [m.id]))('member-%s blocks public access for its whole account', (id) => {
    const json = synthStack(config, `member-${id}`);
    expect(oneResource(json, 'aws_s3_account_public_access_block')).toEqual({
      provider: 'aws',
      account_id: id,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test('exactly one per account across the org (the management stack sets none)', () => {
    const names = allStackNames(config);
    const counts = names.map((name) => resourcesOf(synthStack(config, name), 'aws_s3_account_public_access_block').length);
    expect(counts).toEqual(names.map((n) => (n === 'management' ? 0 : 1)));
  });
});
