/** A trail deleted or replaced. `aws_cloudtrail` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail). */
import { ACCOUNT_TRAILS, ORGANIZATION_TRAIL } from '../../modules/cloudtrail/controls';
import { destroyRule } from './rule';

export const TRAIL_DESTROYED = destroyRule({
  id: 'trail-destroyed',
  title: 'A CloudTrail trail is deleted or replaced',
  controls: [ORGANIZATION_TRAIL, ACCOUNT_TRAILS],
  resourceTypes: ['aws_cloudtrail'],
  what: 'the trail',
  why: 'API activity goes unrecorded until a trail logs again',
});
