/**
 * The SOC 2 guard's rules: every way a plan can weaken a control that `baseline review` refuses. Each
 * is declared in its own file of this folder; a new rule is added here.
 */
import { ACCESS_ANALYZER_DESTROYED } from './access-analyzer-destroyed';
import { ALERT_ROUTE_POLICY_REMOVED } from './alert-route-policy-removed';
import { ALERT_ROUTE_REMOVED } from './alert-route-removed';
import { ALERT_RULE_CHANGED } from './alert-rule-changed';
import { ALERT_SUBSCRIPTION_FILTERED } from './alert-subscription-filtered';
import { BUCKET_ACCESS_LOGGING_REMOVED } from './bucket-access-logging-removed';
import { BUCKET_ENCRYPTION_WEAKENED } from './bucket-encryption-weakened';
import { BUCKET_POLICY_DENY_REMOVED } from './bucket-policy-deny-removed';
import { BUCKET_POLICY_TLS_DENY_REMOVED } from './bucket-policy-tls-deny-removed';
import { CIS_ALARM_CHANGED } from './cis-alarm-changed';
import { CIS_METRIC_FILTER_CHANGED } from './cis-metric-filter-changed';
import { CIS_MONITORING_REMOVED } from './cis-monitoring-removed';
import { CONFIG_AGGREGATOR_DESTROYED } from './config-aggregator-destroyed';
import { CONFIG_RECORDER_DESTROYED } from './config-recorder-destroyed';
import { CONFIG_RECORDING_NARROWED } from './config-recording-narrowed';
import { CONFIG_RECORDING_STOPPED } from './config-recording-stopped';
import { CONFIG_RULE_DESTROYED } from './config-rule-destroyed';
import { DELIVERY_CHANNEL_DESTROYED } from './delivery-channel-destroyed';
import { FLOW_LOG_DESTROYED } from './flow-log-destroyed';
import { FLOW_LOG_TRAFFIC_NARROWED } from './flow-log-traffic-narrowed';
import { GUARDDUTY_AUTO_ENABLE_NARROWED } from './guardduty-auto-enable-narrowed';
import { GUARDDUTY_DETECTOR_DESTROYED } from './guardduty-detector-destroyed';
import { GUARDDUTY_DETECTOR_DISABLED } from './guardduty-detector-disabled';
import { GUARDDUTY_FEATURE_DISABLED } from './guardduty-feature-disabled';
import { GUARDDUTY_PUBLISHING_SLOWED } from './guardduty-publishing-slowed';
import { GUARDRAIL_POLICY_REWRITTEN } from './guardrail-policy-rewritten';
import { GUARDRAILS_REMOVED } from './guardrails-removed';
import { INVESTIGATION_ACCESS_REMOVED } from './investigation-access-removed';
import { INVESTIGATION_QUERY_CHANGED } from './investigation-query-changed';
import { INVESTIGATION_TABLE_CHANGED } from './investigation-table-changed';
import { INVESTIGATION_WORKGROUP_WEAKENED } from './investigation-workgroup-weakened';
import { KEY_POLICY_DENY_REMOVED } from './key-policy-deny-removed';
import { KMS_KEY_DESTROYED } from './kms-key-destroyed';
import { LIFECYCLE_EXPIRATION_SHORTENED } from './lifecycle-expiration-shortened';
import { LOG_BUCKET_DESTROYED } from './log-bucket-destroyed';
import { LOG_GROUP_DESTROYED } from './log-group-destroyed';
import { LOG_GROUP_RETENTION_SHORTENED } from './log-group-retention-shortened';
import { MACIE_DESTROYED } from './macie-destroyed';
import { MACIE_JOB_DESTROYED } from './macie-job-destroyed';
import { MALWARE_PROTECTION_PLAN_WEAKENED } from './malware-protection-plan-weakened';
import { MACIE_PAUSED } from './macie-paused';
import { OBJECT_LOCK_DISABLED } from './object-lock-disabled';
import { OBJECT_LOCK_RETENTION_SHORTENED } from './object-lock-retention-shortened';
import { PUBLIC_ACCESS_BLOCK_LOOSENED } from './public-access-block-loosened';
import { ROOT_ACCESS_NARROWED } from './root-access-narrowed';
import type { ReviewRule } from './rule';
import { SECURITY_DELEGATION_REMOVED } from './security-delegation-removed';
import { SECURITY_HUB_DESTROYED } from './security-hub-destroyed';
import { SECURITY_HUB_ORGANIZATION_NARROWED } from './security-hub-organization-narrowed';
import { SECURITY_HUB_POLICY_NARROWED } from './security-hub-policy-narrowed';
import { SENSITIVE_BUCKET_LOGGING_REMOVED } from './sensitive-bucket-logging-removed';
import { TRAIL_DATA_EVENTS_DROPPED } from './trail-data-events-dropped';
import { TRAIL_DESTROYED } from './trail-destroyed';
import { TRAIL_GLOBAL_EVENTS_OFF } from './trail-global-events-off';
import { TRAIL_LOG_FILE_VALIDATION_OFF } from './trail-log-file-validation-off';
import { TRAIL_LOGGING_OFF } from './trail-logging-off';
import { TRAIL_MULTI_REGION_OFF } from './trail-multi-region-off';
import { TRAIL_ORGANIZATION_OFF } from './trail-organization-off';
import { UNUSED_ACCESS_ANALYZER_WEAKENED } from './unused-access-analyzer-weakened';
import { VERSIONING_SUSPENDED } from './versioning-suspended';

export type { ReviewRule } from './rule';

export const REVIEW_RULES: readonly ReviewRule[] = [
  // Deleted or replaced
  LOG_BUCKET_DESTROYED,
  KMS_KEY_DESTROYED,
  TRAIL_DESTROYED,
  LOG_GROUP_DESTROYED,
  CONFIG_RECORDER_DESTROYED,
  DELIVERY_CHANNEL_DESTROYED,
  GUARDDUTY_DETECTOR_DESTROYED,
  ACCESS_ANALYZER_DESTROYED,
  UNUSED_ACCESS_ANALYZER_WEAKENED,
  SECURITY_HUB_DESTROYED,
  MACIE_DESTROYED,
  FLOW_LOG_DESTROYED,
  CIS_MONITORING_REMOVED,
  GUARDRAILS_REMOVED,
  CONFIG_RULE_DESTROYED,
  CONFIG_AGGREGATOR_DESTROYED,
  ALERT_ROUTE_REMOVED,
  ALERT_ROUTE_POLICY_REMOVED,
  BUCKET_ACCESS_LOGGING_REMOVED,
  SENSITIVE_BUCKET_LOGGING_REMOVED,
  SECURITY_DELEGATION_REMOVED,
  MACIE_JOB_DESTROYED,
  MALWARE_PROTECTION_PLAN_WEAKENED,
  // Turned off
  TRAIL_LOGGING_OFF,
  TRAIL_MULTI_REGION_OFF,
  TRAIL_LOG_FILE_VALIDATION_OFF,
  TRAIL_GLOBAL_EVENTS_OFF,
  TRAIL_ORGANIZATION_OFF,
  CONFIG_RECORDING_STOPPED,
  CONFIG_RECORDING_NARROWED,
  GUARDDUTY_DETECTOR_DISABLED,
  MACIE_PAUSED,
  FLOW_LOG_TRAFFIC_NARROWED,
  TRAIL_DATA_EVENTS_DROPPED,
  GUARDDUTY_AUTO_ENABLE_NARROWED,
  GUARDDUTY_FEATURE_DISABLED,
  GUARDDUTY_PUBLISHING_SLOWED,
  SECURITY_HUB_ORGANIZATION_NARROWED,
  SECURITY_HUB_POLICY_NARROWED,
  ROOT_ACCESS_NARROWED,
  // Retention
  OBJECT_LOCK_RETENTION_SHORTENED,
  OBJECT_LOCK_DISABLED,
  LIFECYCLE_EXPIRATION_SHORTENED,
  LOG_GROUP_RETENTION_SHORTENED,
  VERSIONING_SUSPENDED,
  // Monitoring changed
  CIS_METRIC_FILTER_CHANGED,
  CIS_ALARM_CHANGED,
  ALERT_RULE_CHANGED,
  ALERT_SUBSCRIPTION_FILTERED,
  // Encryption weakened
  BUCKET_ENCRYPTION_WEAKENED,
  // Access loosened
  PUBLIC_ACCESS_BLOCK_LOOSENED,
  BUCKET_POLICY_TLS_DENY_REMOVED,
  BUCKET_POLICY_DENY_REMOVED,
  KEY_POLICY_DENY_REMOVED,
  GUARDRAIL_POLICY_REWRITTEN,
  // Investigations
  INVESTIGATION_WORKGROUP_WEAKENED,
  INVESTIGATION_TABLE_CHANGED,
  INVESTIGATION_QUERY_CHANGED,
  INVESTIGATION_ACCESS_REMOVED,
];

const ids = new Set<string>();
for (const rule of REVIEW_RULES) {
  if (ids.has(rule.id)) throw new Error(`review rule id "${rule.id}" is declared twice`);
  ids.add(rule.id);
}
