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

export const ACCESS_ANALYZER_UNUSED_ACCESS = defineControl({
  id: 'access-analyzer.unused-access',
  title: 'Unused roles, users, keys, passwords and permissions found for the periodic access review',
  // No Security Hub, CIS or Prowler id evaluates this analyzer. Related but not the same: CIS 1.12 and
  // Security Hub IAM.8 look at IAM user credentials unused for 45 or 90 days, per account; this analyzer
  // also finds unused roles and unused permissions, across the organization, for the access review.
  description:
    "An ORGANIZATION_UNUSED_ACCESS analyzer in the audit account (delegated administrator), home Region only (unused access findings do not depend on the Region: https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-unused.html): every IAM role, user access key, password and permission of every account unused for securityServices.accessAnalyzer.unusedAccess.unusedAccessAgeDays becomes a finding, the list the periodic access review works through; a finding left ACTIVE longer than reviewWithinDays fails unless the review accepted it: an entry of securityServices.accessAnalyzer.unusedAccess.acceptedFindings (role or user ARN, finding types, reason), or, with guardrails on, the guardrails.breakGlassRoleName role's UnusedIAMRole finding in any account, accepted without an entry because the break-glass role is unused by design and each use raises BreakGlassRoleUsed (nothing else is implied). A finding archived without its review in securityServices.accessAnalyzer.reviewedFindings fails.",
  tsc: ['CC6.2', 'CC6.3'],
  evidence: {
    api: ['access-analyzer:GetAnalyzer', 'access-analyzer:ListArchiveRules', 'access-analyzer:ListFindingsV2'],
    command: 'aws accessanalyzer list-findings-v2 --analyzer-arn <analyzer> --filter \'{"status":{"eq":["ACTIVE"]}}\' (in the audit account, home Region)',
    lookFor:
      'The ORGANIZATION_UNUSED_ACCESS analyzer ACTIVE with configuration.unusedAccess.unusedAccessAge as configured and no analysis rule excluding accounts or tagged principals; no archive rule on it, and every finding archived in the --since window (status ARCHIVED, updatedAt) recorded in securityServices.accessAnalyzer.reviewedFindings; its ACTIVE findings listed per account (resourceOwnerAccount) with their age from createdAt, none older than reviewWithinDays but those accepted (listed in the item with the reason and the config path that accepts them).',
    notJudged:
      "Findings archived before the --since window are not judged again (each was judged in the binder of its own period); whether the owner resolved a finding by removing the access or the entity just started being used again is not told apart (both make it RESOLVED); a role or user deleted and re-created under the same name is a new resource whose finding, if any, starts a new age, so the review period restarts for it; whether an accepted finding's reason is true is the review record's to show; an unused-access finding is only as fresh as the analyzer's last scan.",
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

/**
 * GuardDuty Malware Protection for S3 (GuardDuty User Guide, "GuardDuty Malware Protection for S3":
 * https://docs.aws.amazon.com/guardduty/latest/ug/gdu-malware-protection-s3.html). No Security Hub
 * control, CIS recommendation or Prowler check names it.
 */
export const GUARDDUTY_MALWARE_PROTECTION_S3 = defineControl({
  id: 'guardduty.malware-protection-s3',
  title: 'GuardDuty Malware Protection for S3 on the buckets that hold sensitive data',
  description:
    "A GuardDuty Malware Protection plan on each bucket of sensitiveData.buckets, in the owning account and the bucket's Region, with one service role per account holding the permissions AWS documents: every new object or object version is scanned, tagged with its result (sensitiveData.malwareProtection.tagScannedObjects), and a malicious object is a GuardDuty finding of the owning account, which reaches the delegated administrator and the HIGH-finding alert route.",
  tsc: ['CC6.8', 'CC7.1', 'CC7.2'],
  evidence: {
    api: ['guardduty:ListMalwareProtectionPlans', 'guardduty:GetMalwareProtectionPlan', 's3:GetBucketPolicy', 's3:GetBucketEncryption', 'kms:GetKeyPolicy', 'kms:DescribeKey'],
    command:
      'aws guardduty list-malware-protection-plans; aws guardduty get-malware-protection-plan --malware-protection-plan-id <id>; aws s3api get-bucket-policy --bucket <bucket>; aws s3api get-bucket-encryption --bucket <bucket>; aws kms get-key-policy --key-id <kmsKeyArn> (in the owning account and Region)',
    lookFor:
      "A plan for each sensitive bucket with Status ACTIVE, no ObjectPrefixes, Actions.Tagging.Status as configured and the baseline's role; no bucket policy Deny that can reach the role's s3:GetObject (and s3:PutObjectTagging when tagging); default encryption SSE-S3, or SSE-KMS with exactly sensitiveData.buckets[].kmsKeyArn; no key policy Deny that can reach the role's kms:Decrypt through S3 (key of the bucket's account).",
    notJudged:
      "Whether objects were scanned: ACCESS_DENIED or FAILED scan results (EventBridge events and CloudWatch metrics of the owning account) are neither read here nor forwarded to the alert route (left open). The key policy of a key in another account (GetKeyPolicy is not cross-account). Whether the key policy Allows the role (only its Deny statements are judged), per-object encryption headers that differ from the bucket default, and condition keys GuardDuty's requests carry beyond TLS 1.2 and the organization (tried in every value the policy names).",
  },
});

/**
 * GuardDuty Extended Threat Detection (GuardDuty User Guide, "GuardDuty Extended Threat Detection":
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty-extended-threat-detection.html): on by
 * default, at no additional cost, in every account and Region where GuardDuty is enabled; nothing to
 * deploy beyond the detectors of `guardduty.organization`.
 */
export const GUARDDUTY_EXTENDED_THREAT_DETECTION = defineControl({
  id: 'guardduty.extended-threat-detection',
  title: 'GuardDuty Extended Threat Detection correlates multi-stage attacks',
  description:
    'On by default wherever GuardDuty is enabled, at no additional cost: GuardDuty correlates events, signals and findings across its foundational data sources (CloudTrail management events) and the protection plans that are on (S3 data events through S3 Protection, EKS audit logs, Runtime Monitoring, Malware Protection) into attack sequence findings (AttackSequence:*), Critical, across the account and over time.',
  tsc: ['CC7.2', 'CC7.3'],
  evidence: {
    api: ['guardduty:ListDetectors', 'guardduty:GetDetector', 'guardduty:ListFindings'],
    command: 'aws guardduty list-findings --detector-id <detector> --finding-criteria \'{"Criterion":{"type":{"Eq":["AttackSequence:IAM/CompromisedCredentials","AttackSequence:S3/CompromisedData"]}}}\'',
    lookFor: "The administrator's detector ENABLED (Extended Threat Detection has no switch of its own); attack sequence findings of the window counted.",
    notJudged: 'Extended Threat Detection has no API setting to read: its being on is inferred from the detector being enabled, as AWS documents.',
  },
});
