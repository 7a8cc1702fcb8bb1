/**
 * S3 Block Public Access loosened on a log bucket or an account. `aws_s3_bucket_public_access_block`
 * and `aws_s3_account_public_access_block` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block):
 * `block_public_acls`, `block_public_policy`, `ignore_public_acls`, `restrict_public_buckets`, each
 * false when unset. Deleting the resource turns all four off.
 */
import { BUCKET_PUBLIC_ACCESS_BLOCK } from '../../modules/log-archive/controls';
import { ACCOUNT_PUBLIC_ACCESS_BLOCK } from '../../modules/s3-public-access/controls';
import type { PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter } from '../values';
import { defineRule } from './rule';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

export const PUBLIC_ACCESS_BLOCK_LOOSENED = defineRule({
  id: 'public-access-block-loosened',
  title: 'S3 Block Public Access is loosened',
  controls: [BUCKET_PUBLIC_ACCESS_BLOCK, ACCOUNT_PUBLIC_ACCESS_BLOCK],
  resourceTypes: ['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block'],
  check(change: PlannedChange) {
    const on = FLAGS.filter((flag) => change.before?.[flag] === true);
    if (on.length === 0) return [];
    if (change.kind === 'delete') return [`the public access block is deleted: ${on.join(', ')} turn off`];
    if (!comparesValues(change)) return [];
    return on.flatMap((flag) => {
      if (unknownAfter(change, [flag])) return [`${flag}: true → known only after apply`];
      const after = change.after?.[flag];
      return after === true ? [] : [`${flag}: true → ${show(after)}`];
    });
  },
});
