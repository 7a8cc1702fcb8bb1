/**
 * Macie paused in an account. `aws_macie2_account.status`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/macie2_account#status):
 * "ENABLED" or "PAUSED" (defaults to ENABLED); `aws_macie2_member.status` the same for a member.
 */
import { MACIE_ORGANIZATION } from '../../modules/security-services/controls';
import type { PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter } from '../values';
import { defineRule } from './rule';

export const MACIE_PAUSED = defineRule({
  id: 'macie-paused',
  title: 'Macie is paused in an account',
  controls: [MACIE_ORGANIZATION],
  resourceTypes: ['aws_macie2_account', 'aws_macie2_member'],
  check(change: PlannedChange) {
    if (!comparesValues(change) || change.before!.status !== 'ENABLED') return [];
    if (unknownAfter(change, ['status'])) return ['status: "ENABLED" → known only after apply'];
    const after = change.after?.status;
    return after === 'ENABLED' || after === null || after === undefined ? [] : [`status: "ENABLED" → ${show(after)}`];
  },
});
