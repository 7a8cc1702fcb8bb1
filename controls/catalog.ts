/**
 * Every control of the baseline, from the declarations next to the constructs that build them, in
 * the order the matrix and docs/controls.md list them (by family).
 */
import { ADDITIONAL_CONFIG_RULES, CONFIG_RULE_CONTROLS } from '../modules/config-rules/controls';
import { ACCOUNT_TRAILS, DATA_EVENTS, LOG_FILE_VALIDATION, ORGANIZATION_TRAIL, TRAIL_CLOUDWATCH_LOGS, TRAIL_KMS_ENCRYPTION } from '../modules/cloudtrail/controls';
import { LOG_GROUP_ENCRYPTION, LOG_GROUP_RETENTION } from '../modules/cloudwatch-logs/controls';
import { CIS_FILTER_CONTROLS, CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS, GUARDRAIL_ROLE_CHANGE_ALARM } from '../modules/cis-monitoring/controls';
import { CONFIG_DELIVERY_CHANNEL, CONFIG_RECORDER } from '../modules/config-recorder/controls';
import { VPC_FLOW_LOGS } from '../modules/flow-logs/controls';
import { KEY_ROTATION } from '../modules/kms/controls';
import {
  BUCKET_ACCESS_LOGGING,
  BUCKET_ENCRYPTION,
  BUCKET_OBJECT_LOCK,
  BUCKET_PUBLIC_ACCESS_BLOCK,
  BUCKET_RETENTION,
  BUCKET_TLS_ONLY,
  BUCKET_VERSIONING,
} from '../modules/log-archive/controls';
import { ACCOUNT_PUBLIC_ACCESS_BLOCK } from '../modules/s3-public-access/controls';
import {
  ACCESS_ANALYZER,
  CONFIG_AGGREGATOR,
  GUARDDUTY_ORGANIZATION,
  MACIE_CLASSIFICATION_JOBS,
  MACIE_ORGANIZATION,
  SECURITY_HUB_CIS,
  SECURITY_HUB_FSBP,
  SECURITY_HUB_ORGANIZATION,
} from '../modules/security-services/controls';
import { CENTRAL_ALERT_ROUTING, FINDINGS_ALERTING, ROUTE_TAMPERING_ALARM, ROUTE_WATCHDOGS } from '../modules/alerting/controls';
import { BREAK_GLASS_ALARM, CENTRALIZED_ROOT_ACCESS, GUARDRAIL_RCPS, GUARDRAIL_SCPS } from '../modules/guardrails/controls';
import { INVESTIGATIONS_ATHENA } from '../modules/investigations/controls';
import type { ControlDeclaration } from '../modules/control-model/control';

export const CONTROL_CATALOG: readonly ControlDeclaration[] = [
  ORGANIZATION_TRAIL,
  LOG_FILE_VALIDATION,
  TRAIL_KMS_ENCRYPTION,
  TRAIL_CLOUDWATCH_LOGS,
  DATA_EVENTS,
  ACCOUNT_TRAILS,
  BUCKET_VERSIONING,
  BUCKET_OBJECT_LOCK,
  BUCKET_PUBLIC_ACCESS_BLOCK,
  BUCKET_TLS_ONLY,
  BUCKET_ENCRYPTION,
  BUCKET_ACCESS_LOGGING,
  BUCKET_RETENTION,
  KEY_ROTATION,
  LOG_GROUP_RETENTION,
  LOG_GROUP_ENCRYPTION,
  ACCOUNT_PUBLIC_ACCESS_BLOCK,
  CONFIG_RECORDER,
  CONFIG_DELIVERY_CHANNEL,
  CONFIG_AGGREGATOR,
  ...CONFIG_RULE_CONTROLS.values(),
  ADDITIONAL_CONFIG_RULES,
  GUARDDUTY_ORGANIZATION,
  FINDINGS_ALERTING,
  SECURITY_HUB_ORGANIZATION,
  SECURITY_HUB_FSBP,
  SECURITY_HUB_CIS,
  MACIE_ORGANIZATION,
  MACIE_CLASSIFICATION_JOBS,
  ACCESS_ANALYZER,
  VPC_FLOW_LOGS,
  ...CIS_FILTER_CONTROLS.values(),
  CONSOLE_SIGNIN_OUTSIDE_BUSINESS_HOURS,
  CENTRAL_ALERT_ROUTING,
  ROUTE_WATCHDOGS,
  ROUTE_TAMPERING_ALARM,
  GUARDRAIL_SCPS,
  GUARDRAIL_RCPS,
  CENTRALIZED_ROOT_ACCESS,
  BREAK_GLASS_ALARM,
  GUARDRAIL_ROLE_CHANGE_ALARM,
  INVESTIGATIONS_ATHENA,
];

const byId = new Map(CONTROL_CATALOG.map((c) => [c.id, c]));
if (byId.size !== CONTROL_CATALOG.length) throw new Error('controls/catalog.ts: two controls share an id');

export function controlById(id: string): ControlDeclaration | undefined {
  return byId.get(id);
}
