/**
 * The delegated-admin security services: threat detection, findings aggregation and compliance
 * standards, sensitive data discovery, external access analysis and the Config aggregator, run by
 * the audit account for the whole organization. Security Hub ids: AWS Security Hub controls reference
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-controls-reference.html).
 */
import { defineControl } from '../control-model/control';

export const GUARDDUTY_ORGANIZATION = defineControl({
  id: 'guardduty.organization',
  title: 'GuardDuty threat detection for every account and Region',
  description: "A GuardDuty detector in the audit account (delegated administrator) in every governed Region, auto-enabling every member account with the configured protection plans; the management account, GuardDuty's exception, gets its service-linked role and its own detector and is added as a member.",
  tsc: ['CC7.1', 'CC7.2'],
  securityHub: ['GuardDuty.1'],
  awsConfigRules: ['guardduty-enabled-centralized'],
  prowler: ['guardduty_is_enabled', 'guardduty_centrally_managed'],
  evidence: {
    api: ['guardduty:ListDetectors', 'guardduty:GetDetector', 'guardduty:DescribeOrganizationConfiguration', 'guardduty:ListMembers', 'guardduty:ListFindings', 'guardduty:GetFindings'],
    command: 'aws guardduty list-members --detector-id <detector> (in the audit account, each Region)',
    lookFor: 'The detector ENABLED, publishing findings every 15 minutes, with each protection plan the config turns on ENABLED and auto-enabled for members as configured; AutoEnableOrganizationMembers as configured; every member account with RelationshipStatus "Enabled"; findings of the window counted by severity.',
    notJudged: "GuardDuty suppression rules (filters with the ARCHIVE action, guardduty:ListFilters) and trusted IP lists are not read yet: a finding they archive or never raise is invisible here (the guardrails deny creating them, issue 22). Nor is its findings export destination (ListPublishingDestinations).",
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
    api: ['securityhub:DescribeHub', 'securityhub:DescribeOrganizationConfiguration', 'securityhub:ListMembers'],
    command: 'aws securityhub describe-organization-configuration',
    lookFor: 'Security Hub on in the audit account; OrganizationConfiguration.ConfigurationType CENTRAL and not failed; every member account enabled.',
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
    lookFor: 'standards/aws-foundational-security-best-practices/v/1.0.0 READY in every account and Region; no control of it with a FAILED result (suppressed ones count) but those the config disables with a reason.',
    notJudged: "Security Hub automation rules that lower a finding's severity or suppress it, and controls disabled outside the configuration policy, are not read; suppressed findings still count as failing.",
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
    lookFor: 'standards/cis-aws-foundations-benchmark/v/<version> READY in every account and Region; no control of it with a FAILED result (suppressed ones count) but those the config disables with a reason.',
    notJudged: "Security Hub automation rules that lower a finding's severity or suppress it, and controls disabled outside the configuration policy, are not read; suppressed findings still count as failing.",
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
    api: ['macie2:GetMacieSession', 'macie2:DescribeOrganizationConfiguration', 'macie2:ListMembers', 'macie2:ListFindings', 'macie2:GetFindings'],
    command: 'aws macie2 list-members (in the audit account, each Region)',
    lookFor: 'Macie ENABLED; autoEnable true; every member account with relationshipStatus "Enabled" where its baseline covers the Region; findings of the window counted by severity.',
    notJudged: 'Macie suppression rules (findings filters with the ARCHIVE action) and allow lists are not read yet.',
  },
});

export const MACIE_CLASSIFICATION_JOBS = defineControl({
  id: 'macie.classification-jobs',
  title: 'Weekly classification jobs on the buckets that hold sensitive data',
  description: 'A weekly Macie classification job for the buckets the config lists (securityServices.macie.classificationJobs), in the account and Region that own them.',
  tsc: ['CC6.7'],
  evidence: {
    api: ['macie2:ListClassificationJobs'],
    command: 'aws macie2 list-classification-jobs',
    lookFor: 'A job per configured account and Region over its listed buckets, not CANCELLED or paused.',
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
    api: ['access-analyzer:ListAnalyzers', 'access-analyzer:ListArchiveRules', 'access-analyzer:ListFindings'],
    command: 'aws accessanalyzer list-analyzers --type ORGANIZATION',
    lookFor: 'The ORGANIZATION analyzer ACTIVE in every governed Region; no ACTIVE finding; no archive rule; every finding archived in the window recorded as reviewed in securityServices.accessAnalyzer.reviewedFindings.',
    notJudged: "Findings archived before the --since window are not judged again (each was judged in the binder of its own period); whether a finding listed as reviewed really was is the review record's to show, not AWS's.",
  },
});

export const CONFIG_AGGREGATOR = defineControl({
  id: 'config.aggregator',
  title: "One organization view of every account's configuration and compliance",
  description: 'An organization Config aggregator in the audit account (delegated administrator) covering every governed Region.',
  tsc: ['CC4.1'],
  evidence: {
    api: ['config:DescribeConfigurationAggregators', 'config:DescribeConfigurationAggregatorSourcesStatus'],
    command: 'aws configservice get-aggregate-config-rule-compliance-summary --configuration-aggregator-name <aggregator>',
    lookFor: 'The aggregator covers the organization in every governed Region (or all Regions); no source whose LastUpdateStatus is FAILED.',
  },
});
