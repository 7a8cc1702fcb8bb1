/**
 * The investigations workgroup deleted or replaced, disabled, or its enforced settings loosened.
 * `aws_athena_workgroup` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/athena_workgroup;
 * provider source internal/service/athena/workgroup.go): `state` ("ENABLED", the default, or
 * "DISABLED"); `configuration.enforce_workgroup_configuration` (default true: the workgroup's settings
 * override the caller's, Athena User Guide, "Override client-side settings",
 * https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html);
 * `configuration.bytes_scanned_cutoff_per_query` (0 or unset removes the limit: the provider sends
 * `RemoveBytesScannedCutoffPerQuery`); `configuration.result_configuration` (`output_location`,
 * `expected_bucket_owner`, `encryption_configuration.encryption_option` and `kms_key_arn`).
 * A replacement deletes the workgroup "and its contents", its "named queries, query executions, or
 * notebooks" (DeleteWorkGroup, RecursiveDeleteOption:
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_DeleteWorkGroup.html).
 * The rule sees the plan, not the config: a raised cutoff is flagged whatever the config says, for a
 * reviewer to accept with `--allow` when `investigations.bytesScannedCutoffPerQueryMb` was raised on purpose.
 */
import { INVESTIGATIONS_ATHENA } from '../../modules/investigations/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { changedValue, comparesValues, show, unknownAfter, valueAt, type Path } from '../values';
import { defineRule, destroyedFindings } from './rule';

const ENFORCE: Path = ['configuration', 'enforce_workgroup_configuration'];
const CUTOFF: Path = ['configuration', 'bytes_scanned_cutoff_per_query'];
const RESULT: Path = ['configuration', 'result_configuration'];
/** Where results go and how they are encrypted: any change moves them out of the results bucket's protection. */
const RESULT_WATCHED: readonly Path[] = [
  [...RESULT, 'output_location'],
  [...RESULT, 'expected_bucket_owner'],
  [...RESULT, 'encryption_configuration', 'encryption_option'],
  [...RESULT, 'encryption_configuration', 'kms_key_arn'],
];

const enforced = (value: JsonValue | undefined) => value !== false;
const enabled = (value: JsonValue | undefined) => value === null || value === undefined || value === 'ENABLED';
const limit = (value: JsonValue | undefined) => (typeof value === 'number' && value > 0 ? value : Infinity);
const describeLimit = (bytes: number) => (bytes === Infinity ? 'no limit' : `${bytes} bytes`);

function settingFindings(change: PlannedChange): string[] {
  const before = change.before!;
  const after = change.after ?? {};
  const found: string[] = [];
  if (enabled(before.state)) {
    if (unknownAfter(change, ['state'])) found.push('state: known only after apply');
    else if (!enabled(after.state)) found.push(`state: ${show(before.state)} → ${show(after.state)}`);
  }
  if (enforced(valueAt(before, ENFORCE))) {
    if (unknownAfter(change, ENFORCE)) found.push(`${ENFORCE.join('.')}: known only after apply`);
    else if (!enforced(valueAt(after, ENFORCE))) found.push(`${ENFORCE.join('.')}: ${show(valueAt(before, ENFORCE))} → false (callers' own settings win)`);
  }
  const cutoffBefore = limit(valueAt(before, CUTOFF));
  if (unknownAfter(change, CUTOFF)) found.push(`${CUTOFF.join('.')}: ${describeLimit(cutoffBefore)} → known only after apply`);
  else if (limit(valueAt(after, CUTOFF)) > cutoffBefore) found.push(`${CUTOFF.join('.')}: ${describeLimit(cutoffBefore)} → ${describeLimit(limit(valueAt(after, CUTOFF)))}`);
  for (const path of RESULT_WATCHED) {
    const changed = changedValue(change, path);
    if (changed) found.push(changed);
  }
  return found;
}

export const INVESTIGATION_WORKGROUP_WEAKENED = defineRule({
  id: 'investigation-workgroup-weakened',
  title: 'The investigations workgroup is deleted, replaced or disabled, stops enforcing its settings, loses or raises its scan limit, or moves or re-encrypts its results',
  controls: [INVESTIGATIONS_ATHENA],
  resourceTypes: ['aws_athena_workgroup'],
  check(change: PlannedChange) {
    const destroyed = destroyedFindings(change, 'the investigations workgroup', 'its named queries and query executions go with it, and no investigation runs until it is back');
    return comparesValues(change) ? [...destroyed, ...settingFindings(change)] : destroyed;
  },
});
