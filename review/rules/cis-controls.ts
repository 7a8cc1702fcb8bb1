/**
 * Which CIS monitoring control a metric filter or alarm of a plan implements. The baseline names them
 * `<prefix>-<filter id>` (modules/cis-monitoring/cis-alarms.ts), so the name's suffix tells.
 */
import type { ControlDeclaration } from '../../modules/control-model/control';
import { CIS_FILTER_CONTROLS, CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS } from '../../modules/cis-monitoring/controls';
import type { PlannedChange } from '../plan';

/** Every CIS monitoring control: what a filter or alarm of an unknown name may implement. */
export const CIS_MONITORING_CONTROLS: readonly ControlDeclaration[] = [...CIS_FILTER_CONTROLS.values(), CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS];

const BY_SUFFIX: readonly (readonly [string, ControlDeclaration])[] = (
  [
    ...CIS_FILTER_CONTROLS.entries(),
    ['console-signin-success', CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS],
    ['console-signin-outside-business-hours', CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS],
  ] as (readonly [string, ControlDeclaration])[]
  // Longest first: `route-table-changes-ec2` is not `route-table-changes`.
).sort((a, b) => b[0].length - a[0].length);

/** The control of a metric filter (`name`) or alarm (`alarm_name`), before or after the change. */
export function cisControlsOf(change: PlannedChange): readonly ControlDeclaration[] {
  const object = change.before ?? change.after ?? {};
  const name = object.name ?? object.alarm_name;
  if (typeof name === 'string') {
    const match = BY_SUFFIX.find(([id]) => name === id || name.endsWith(`-${id}`));
    if (match) return [match[1]];
  }
  return CIS_MONITORING_CONTROLS;
}
