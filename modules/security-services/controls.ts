/**
 * The delegated-admin security services: threat detection, findings aggregation and compliance
 * standards, sensitive data discovery, external access analysis and the Config aggregator, run by
 * the audit account for the whole organization. Security Hub ids: AWS Security Hub controls reference
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-controls-reference.html).
 */
import { defineControl } from '../../controls/control';

export const GUARDDUTY_ORGANIZATION = defineControl({
  id: 'guardduty.organization',
  title: 'GuardDuty threat detection for every account and Region',
  description: 'A GuardDuty detector in the audit account (delegated administrator) in every governed Region, auto-enabling every member account with the configured protection plans.',
  tsc: ['CC7.1', 'CC7.2'],
  securityHub: ['GuardDuty.1'],
  awsConfigRules: ['guardduty-enabled-centralized'],
  prowler: ['guardduty_is_enabled', 'guardduty_centrally_managed'],
  evidence: {
    api: ['guardduty:ListDetectors', 'guardduty:DescribeOrganizationConfiguration', 'guardduty:ListMembers'],
    command: 'aws guardduty list-members --detector-id <detector> (in the audit account, each Region)',
    lookFor: 'Every member account with RelationshipStatus "Enabled"; AutoEnableOrganizationMembers ALL.',
  },
});

export const SECURITY_HUB_ORGANIZATION = defineControl({
  id: 'securityhub.organization',
  title: 'Security Hub central configuration and cross-Region aggregation',
  description: 'Security Hub run by the audit account with central configuration for the organization, a finding aggregator in the home Region linking every governed Region.',
  tsc: ['CC4.1', 'CC7.1'],
  cis: { 'v3.0.0': '4.16' },
  awsConfigRules: ['securityhub-enabled'],
  prowler: ['securityhub_enabled'],
  evidence: {
    api: ['securityhub:DescribeHub', 'securityhub:DescribeOrganizationConfiguration', 'securityhub:ListFindingAggregators'],
    command: 'aws securityhub describe-organization-configuration',
    lookFor: 'OrganizationConfiguration.ConfigurationType CENTRAL; a finding aggregator with RegionLinkingMode covering the governed Regions.',
  },
});

export const SECURITY_HUB_FSBP = defineControl({
  id: 'securityhub.fsbp-standard',
  title: 'AWS Foundational Security Best Practices standard enabled',
  description: 'The central configuration policy enables AWS Foundational Security Best Practices v1.0.0 in every account and Region it is associated with.',
  tsc: ['CC4.1', 'CC7.1'],
  prowler: ['securityhub_enabled'],
  evidence: {
    api: ['securityhub:GetEnabledStandards', 'securityhub:GetFindings'],
    command: 'aws securityhub get-enabled-standards',
    lookFor: 'standards/aws-foundational-security-best-practices/v/1.0.0 with StandardsStatus READY; control pass/fail counts.',
  },
});

export const SECURITY_HUB_CIS = defineControl({
  id: 'securityhub.cis-standard',
  title: 'CIS AWS Foundations Benchmark standard enabled',
  description: 'The central configuration policy enables the CIS AWS Foundations Benchmark (v3.0.0 by default) in every account and Region it is associated with.',
  tsc: ['CC4.1', 'CC7.1'],
  prowler: ['securityhub_enabled'],
  evidence: {
    api: ['securityhub:GetEnabledStandards', 'securityhub:GetFindings'],
    command: 'aws securityhub get-enabled-standards',
    lookFor: 'standards/cis-aws-foundations-benchmark/v/<version> with StandardsStatus READY; control pass/fail counts.',
  },
});

export const MACIE_ORGANIZATION = defineControl({
  id: 'macie.organization',
  title: 'Macie sensitive data discovery for every account',
  description: "Macie on in the audit account (delegated administrator) in every governed Region, auto-enabling new accounts, and each account's membership declared by its member stack.",
  tsc: ['CC6.7', 'CC7.2'],
  securityHub: ['Macie.1'],
  prowler: ['macie_is_enabled'],
  evidence: {
    api: ['macie2:GetMacieSession', 'macie2:ListMembers', 'macie2:DescribeOrganizationConfiguration'],
    command: 'aws macie2 list-members (in the audit account, each Region)',
    lookFor: 'Every member account with relationshipStatus "Enabled"; autoEnable true.',
  },
});

export const MACIE_CLASSIFICATION_JOBS = defineControl({
  id: 'macie.classification-jobs',
  title: 'Weekly classification jobs on the buckets that hold sensitive data',
  description: 'A weekly Macie classification job for the buckets the config lists (securityServices.macie.classificationJobs), in the account and Region that own them.',
  tsc: ['CC6.7'],
  evidence: {
    api: ['macie2:ListClassificationJobs', 'macie2:ListFindings'],
    command: 'aws macie2 list-classification-jobs',
    lookFor: 'A RUNNING or IDLE SCHEDULED job per listed bucket set; its findings reviewed.',
  },
});

export const ACCESS_ANALYZER = defineControl({
  id: 'access-analyzer.organization',
  title: 'IAM Access Analyzer for the organization in every Region',
  // Not Security Hub IAM.28 or Prowler accessanalyzer_enabled: they look for an analyzer in each
  // account, and the organization analyzer lives in the audit account only.
  description: 'An ORGANIZATION external access analyzer in the audit account (delegated administrator) in every governed Region: any resource shared outside the organization becomes a finding. Per-account checks (Security Hub IAM.28, Prowler accessanalyzer_enabled) pass in the audit account only.',
  tsc: ['CC6.1', 'CC6.6'],
  cis: { 'v3.0.0': '1.20', 'v1.4.0': '1.20' },
  evidence: {
    api: ['access-analyzer:ListAnalyzers', 'access-analyzer:ListFindings'],
    command: 'aws accessanalyzer list-analyzers --type ORGANIZATION',
    lookFor: 'An ACTIVE analyzer in every governed Region; ACTIVE findings reviewed.',
  },
});

export const CONFIG_AGGREGATOR = defineControl({
  id: 'config.aggregator',
  title: "One organization view of every account's configuration and compliance",
  description: 'An organization Config aggregator in the audit account (delegated administrator) covering every governed Region.',
  tsc: ['CC4.1'],
  evidence: {
    api: ['config:DescribeConfigurationAggregators', 'config:GetAggregateConfigRuleComplianceSummary'],
    command: 'aws configservice get-aggregate-config-rule-compliance-summary --configuration-aggregator-name <aggregator>',
    lookFor: 'The aggregator covers the organization in all governed Regions; compliance per rule and account.',
  },
});
