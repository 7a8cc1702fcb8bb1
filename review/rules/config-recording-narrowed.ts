/**
 * An AWS Config recorder that records less. `aws_config_configuration_recorder`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/config_configuration_recorder):
 * `recording_group.all_supported` (record every supported resource type), `recording_group.include_global_resource_types`
 * (IAM and other global types, recorded in the home Region), and `recording_mode.recording_frequency`
 * (`CONTINUOUS` records each change, `DAILY` only a daily snapshot).
 */
import { CONFIG_RECORDER } from '../../modules/config-recorder/controls';
import type { PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter, valueAt } from '../values';
import { defineRule } from './rule';

const ON_TO_OFF = [
  ['recording_group', 'all_supported'],
  ['recording_group', 'include_global_resource_types'],
] as const;
const FREQUENCY = ['recording_mode', 'recording_frequency'] as const;

export const CONFIG_RECORDING_NARROWED = defineRule({
  id: 'config-recording-narrowed',
  title: 'An AWS Config recorder records fewer resource types or less often',
  controls: [CONFIG_RECORDER],
  resourceTypes: ['aws_config_configuration_recorder'],
  check(change: PlannedChange) {
    if (!comparesValues(change)) return [];
    const found: string[] = [];
    for (const path of ON_TO_OFF) {
      const before = valueAt(change.before!, path);
      if (before !== true) continue;
      const after = valueAt(change.after ?? {}, path);
      if (unknownAfter(change, path)) found.push(`${path.join('.')}: true → known only after apply`);
      else if (after !== true) found.push(`${path.join('.')}: true → ${show(after)}`);
    }
    // An unset recording_mode records continuously (AWS Config's default); only DAILY records less.
    const before = valueAt(change.before!, FREQUENCY) ?? 'CONTINUOUS';
    const after = valueAt(change.after ?? {}, FREQUENCY) ?? 'CONTINUOUS';
    if (before === 'CONTINUOUS' && after === 'DAILY') found.push(`${FREQUENCY.join('.')}: "CONTINUOUS" → "DAILY"`);
    return found;
  },
});
