/**
 * The AWS Config rules the SOC 2 source guides (../shared/seeds) name, as they name them, and the
 * AWS managed rule each one is: the matrix shows the control that deploys each. The guides write
 * `cloudtrail-log-file-validation-enabled`; AWS's managed rule is named
 * `cloud-trail-log-file-validation-enabled`
 * (https://docs.aws.amazon.com/config/latest/developerguide/cloud-trail-log-file-validation-enabled.html).
 */
export const SEED_CONFIG_RULES: readonly { readonly seedName: string; readonly awsRuleName: string }[] = [
  { seedName: 'cloud-trail-enabled', awsRuleName: 'cloudtrail-enabled' },
  { seedName: 'multi-region-cloudtrail-enabled', awsRuleName: 'multi-region-cloudtrail-enabled' },
  { seedName: 'cloudtrail-log-file-validation-enabled', awsRuleName: 'cloud-trail-log-file-validation-enabled' },
  { seedName: 'cloudtrail-s3-dataevents-enabled', awsRuleName: 'cloudtrail-s3-dataevents-enabled' },
  { seedName: 'root-account-mfa-enabled', awsRuleName: 'root-account-mfa-enabled' },
  { seedName: 'iam-root-access-key-check', awsRuleName: 'iam-root-access-key-check' },
  { seedName: 'iam-user-mfa-enabled', awsRuleName: 'iam-user-mfa-enabled' },
  { seedName: 'access-keys-rotated', awsRuleName: 'access-keys-rotated' },
  { seedName: 'vpc-flow-logs-enabled', awsRuleName: 'vpc-flow-logs-enabled' },
  { seedName: 'guardduty-enabled-centralized', awsRuleName: 'guardduty-enabled-centralized' },
];
