/**
 * Every named investigation, in the order the docs list them. Each is declared in its own file under
 * `catalog/` (one question per file, cdk-nag style).
 */
import type { Investigation } from './investigation';
import { BREAK_GLASS_SESSIONS } from './catalog/break-glass-sessions';
import { CONSOLE_SIGNINS_OUTSIDE_BUSINESS_HOURS } from './catalog/console-signins-outside-business-hours';
import { DENIED_CALLS } from './catalog/denied-calls';
import { IAM_AND_SECURITY_GROUP_CHANGES } from './catalog/iam-and-security-group-changes';
import { LOGGING_CHANGES } from './catalog/logging-changes';
import { PRINCIPAL_ACTIVITY } from './catalog/principal-activity';
import { RESOURCE_ACTIVITY } from './catalog/resource-activity';
import { ROOT_ACTIVITY } from './catalog/root-activity';
import { VPCE_ACCESS_DENIED_CALLS } from './catalog/vpce-access-denied';

export const INVESTIGATIONS: readonly Investigation[] = [
  RESOURCE_ACTIVITY,
  PRINCIPAL_ACTIVITY,
  ROOT_ACTIVITY,
  CONSOLE_SIGNINS_OUTSIDE_BUSINESS_HOURS,
  DENIED_CALLS,
  VPCE_ACCESS_DENIED_CALLS,
  IAM_AND_SECURITY_GROUP_CHANGES,
  LOGGING_CHANGES,
  BREAK_GLASS_SESSIONS,
];

export function investigationNamed(name: string): Investigation | undefined {
  return INVESTIGATIONS.find((i) => i.name === name);
}
