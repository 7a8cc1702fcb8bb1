/**
 * GuardDuty's protection plans as the config names them and as GuardDuty names its features, in a
 * file without provider bindings: the detector constructs enable them and the evidence judges them
 * (GuardDuty API Reference, DetectorFeatureConfiguration Name:
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html).
 */
import type { BaselineConfig } from '../../config/schema';

type Protection = BaselineConfig['securityServices']['guardDuty']['protection'];

/** Config protection plan → GuardDuty feature name. */
export const GUARDDUTY_FEATURES: Record<keyof Protection, string> = {
  s3DataEvents: 'S3_DATA_EVENTS',
  eksAuditLogs: 'EKS_AUDIT_LOGS',
  ebsMalwareProtection: 'EBS_MALWARE_PROTECTION',
  rdsLoginEvents: 'RDS_LOGIN_EVENTS',
  lambdaNetworkLogs: 'LAMBDA_NETWORK_LOGS',
  runtimeMonitoring: 'RUNTIME_MONITORING',
};

/** Runtime Monitoring's agents, managed by GuardDuty when the plan is on. */
export const RUNTIME_AGENTS = ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'];

/** How often GuardDuty publishes updated findings: the baseline's (and GuardDuty's shortest) setting. */
export const FINDING_PUBLISHING_FREQUENCY = 'FIFTEEN_MINUTES';
