/**
 * A GuardDuty protection plan turned off on a detector. `aws_guardduty_detector_feature.status`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/guardduty_detector_feature#status):
 * "ENABLED" or "DISABLED", and each `additional_configuration[].status` (the Runtime Monitoring agents).
 * Deleting the resource leaves the feature as it is but stops the baseline holding it on.
 */
import { GUARDDUTY_ORGANIZATION } from '../../modules/security-services/controls';
import type { PlannedChange } from '../plan';
import { blocks, comparesValues, show, unknownAfter } from '../values';
import { defineRule } from './rule';

export const GUARDDUTY_FEATURE_DISABLED = defineRule({
  id: 'guardduty-feature-disabled',
  title: 'A GuardDuty protection plan is disabled on a detector',
  controls: [GUARDDUTY_ORGANIZATION],
  resourceTypes: ['aws_guardduty_detector_feature'],
  check(change: PlannedChange) {
    const before = change.before;
    if (!before || before.status !== 'ENABLED') return [];
    if (change.kind === 'delete') return [`the feature ${show(before.name)} is no longer managed: nothing holds it ENABLED`];
    if (!comparesValues(change)) return [];
    if (unknownAfter(change, ['status'])) return ['status: "ENABLED" → known only after apply'];
    const after = change.after ?? {};
    const found = after.status === 'ENABLED' ? [] : [`status: "ENABLED" → ${show(after.status)}`];
    const afterStatus = new Map(blocks(after.additional_configuration).map((b) => [String(b.name), b.status]));
    for (const b of blocks(before.additional_configuration)) {
      if (b.status === 'ENABLED' && afterStatus.get(String(b.name)) !== 'ENABLED') {
        found.push(`additional_configuration "${String(b.name)}".status: "ENABLED" → ${show(afterStatus.get(String(b.name)))}`);
      }
    }
    return found;
  },
});
