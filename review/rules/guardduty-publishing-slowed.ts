/**
 * A GuardDuty detector publishing its findings less often. `aws_guardduty_detector.finding_publishing_frequency`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/guardduty_detector#finding_publishing_frequency):
 * "FIFTEEN_MINUTES", "ONE_HOUR" or "SIX_HOURS" (the service's default, and what an unset value gives a
 * detector of its own). The control's evidence wants every 15 minutes: a longer period delays updates of
 * findings to EventBridge, so alerts, by hours.
 */
import { GUARDDUTY_ORGANIZATION } from '../../modules/security-services/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter } from '../values';
import { defineRule } from './rule';

const MINUTES: Readonly<Record<string, number>> = { FIFTEEN_MINUTES: 15, ONE_HOUR: 60, SIX_HOURS: 360 };
const minutes = (value: JsonValue | undefined) => (typeof value === 'string' ? (MINUTES[value] ?? 360) : 360);

export const GUARDDUTY_PUBLISHING_SLOWED = defineRule({
  id: 'guardduty-publishing-slowed',
  title: 'A GuardDuty detector publishes findings less often',
  controls: [GUARDDUTY_ORGANIZATION],
  resourceTypes: ['aws_guardduty_detector'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    const before = change.before!.finding_publishing_frequency;
    if (unknownAfter(change, ['finding_publishing_frequency'])) return minutes(before) < 360 ? ['finding_publishing_frequency: known only after apply'] : [];
    const after = change.after?.finding_publishing_frequency;
    return minutes(after) > minutes(before) ? [`finding_publishing_frequency: ${show(before)} → ${show(after)}`] : [];
  },
});
