/**
 * The org config model: one zod schema is the single source of truth for validation, the TypeScript
 * types every stack consumes, and the config reference (docs/config-reference.md). Every optional field documents
 * what happens when it is left out; no default weakens a security control.
 */
import { z } from 'zod';
import { BASELINE_CONFIG_RULE_NAMES } from './managed-config-rules';
import { guardrailsIssues, guardrailsSchema } from './guardrails-schema';
import { planRoleIssues } from './plan-role';
import { LOG_BUCKET_KINDS, logBucketName } from './log-buckets';
import { organizationalUnitRef, ouSchema } from './organizational-unit';
import { BINDINGS_PROVIDER_VERSION, providerConstraintSchema } from './provider-version';
import { AWS_REGIONS, isKnownRegion, unknownRegionMessage } from './regions';
import { NETWORK_ACTIVITY_EVENT_SOURCES } from './network-activity-sources';

/** CloudWatch Logs only accepts these retention values (days). */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** SOC 2 auditors expect at least 90 days of retained logs. */
export const MIN_LOG_RETENTION_DAYS = 90;

const ACCOUNT_ID_MESSAGE = 'must be a 12-digit account id, quoted (e.g. "111111111111")';

export const accountIdSchema = z.string({ error: ACCOUNT_ID_MESSAGE }).regex(/^\d{12}$/, { error: ACCOUNT_ID_MESSAGE });

export const regionSchema = z
  .string({ error: 'must be an AWS Region code such as "us-east-1"' })
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, { error: 'must be an AWS Region code such as "us-east-1"' })
  // Every ARN the baseline builds is in the commercial `aws` partition.
  .refine((r) => !/^(cn-|us-gov-|us-iso)/.test(r), {
    error: 'is in the China, GovCloud or ISO partition, which the baseline does not support (its ARNs are arn:aws:...)',
  });

// What every AWS service accepts in tags: letters, digits, spaces and _ . : / = + - @.
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const tagsSchema = z.record(
  z
    .string()
    .min(1)
    .max(128)
    .regex(TAG_TEXT, { error: 'tag keys may hold only letters, digits, spaces and _ . : / = + - @' })
    .refine((k) => !k.toLowerCase().startsWith('aws:'), { error: 'tag keys must not start with "aws:" (reserved)' }),
  z
    .string({ error: 'tag values must be strings' })
    .max(256)
    .regex(TAG_TEXT, { error: 'tag values may hold only letters, digits, spaces and _ . : / = + - @' }),
);

const roleNameSchema = z
  .string()
  .regex(/^[\w+=,.@/-]{1,64}$/, { error: 'must be an IAM role name (letters, digits and +=,.@_-/)' });

const iamRoleArnSchema = z
  .string()
  .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: 'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)' });

/**
 * The finding types of an unused access analyzer (API_FindingSummaryV2.html, `findingType`:
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_FindingSummaryV2.html).
 */
export const UNUSED_ACCESS_FINDING_TYPES = ['UnusedIAMRole', 'UnusedIAMUserAccessKey', 'UnusedIAMUserPassword', 'UnusedPermission'] as const;

/**
 * An IAM role or user ARN, path allowed, in which `*` may stand for the whole account id or end the
 * name after at least one character: never `role/*` (every role), never a wildcard inside a name or path.
 */
export const UNUSED_ACCESS_RESOURCE_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}|\*):(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]+\*?$/;

/** `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/prefix`; no wildcards (they would reach the log archive). */
const s3DataEventArnSchema = z
  .string()
  .regex(/^arn:aws:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^*?]*)?$/, {
    error: 'must be an S3 bucket ARN (arn:aws:s3:::<bucket>, optionally /<prefix>), without wildcards',
  });

const lambdaArnSchema = z
  .string()
  .regex(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?$/, {
    error: 'must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)',
  });

/** A DynamoDB table ARN (DynamoDB table names: 3-255 of letters, digits, _ . -). */
const dynamoDbTableArnSchema = z
  .string()
  .regex(/^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/[\w.-]{3,255}$/, {
    error: 'must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)',
  });

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const clockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be a time of day as "HH:MM" (00:00 to 24:00)' });

const subscriptionSchema = z.discriminatedUnion(
  'protocol',
  [
    z.strictObject({
      protocol: z.literal('email').describe('An email address (the recipient confirms the subscription).'),
      endpoint: z.email({ error: 'must be an email address' }).describe('Where alerts go.'),
    }),
    z.strictObject({
      protocol: z.literal('https').describe('An HTTPS endpoint, such as an incident-management integration URL.'),
      endpoint: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).describe('Where alerts go.'),
    }),
    z.strictObject({
      protocol: z.literal('sqs').describe('An SQS queue (its policy must let the alert topics send to it).'),
      endpoint: z
        .string()
        .regex(/^arn:aws:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}(\.fifo)?$/, { error: 'must be an SQS queue ARN' })
        .describe('Where alerts go.'),
    }),
    z.strictObject({
      protocol: z.literal('lambda').describe('A Lambda function (its resource policy must let the alert topics invoke it).'),
      endpoint: z
        .string()
        .regex(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?$/, { error: 'must be a Lambda function ARN' })
        .describe('Where alerts go.'),
    }),
  ],
  { error: 'protocol must be one of "email", "https", "sqs", "lambda"' },
);

/** Security Hub standards the baseline knows, by id; their ARNs are built per Region. */
export const SECURITY_HUB_STANDARDS = [
  'aws-foundational-security-best-practices/v/1.0.0',
  'cis-aws-foundations-benchmark/v/1.4.0',
  'cis-aws-foundations-benchmark/v/3.0.0',
  'cis-aws-foundations-benchmark/v/5.0.0',
  'nist-800-53/v/5.0.0',
  'pci-dss/v/3.2.1',
  'pci-dss/v/4.0.1',
  'aws-resource-tagging-standard/v/1.0.0',
] as const;

/**
 * Controls of the matrix (controls/catalog.ts) that a config setting can switch off, and the setting:
 * such a control needs an entry in `controlExceptions` with the reason, which the matrix reports.
 */
export const SWITCHABLE_CONTROLS = [
  'cloudtrail.account-trails',
  'securityhub.fsbp-standard',
  'securityhub.cis-standard',
  'guardrails.service-control-policies',
  'investigations.athena',
  'access-analyzer.unused-access',
  'guardduty.malware-protection-s3',
  's3.sensitive-bucket-access-logs',
] as const;
export type SwitchableControl = (typeof SWITCHABLE_CONTROLS)[number];

/** Which switchable controls this config turns off, each with the setting that does it. */
export function switchedOffControls(config: {
  monitoring: { accountTrails: boolean };
  securityServices: { securityHub: { standards: readonly string[] }; accessAnalyzer: { unusedAccess: { enabled: boolean } } };
  guardrails: { enabled: boolean };
  investigations: { enabled: boolean };
  sensitiveData: { buckets: readonly unknown[]; malwareProtection: { enabled: boolean }; serverAccessLogs: boolean };
}): Map<SwitchableControl, string> {
  const off = new Map<SwitchableControl, string>();
  // With no sensitive bucket listed there is nothing to switch off: the matrix says "not configured".
  if (config.sensitiveData.buckets.length > 0) {
    if (!config.sensitiveData.malwareProtection.enabled) off.set('guardduty.malware-protection-s3', 'sensitiveData.malwareProtection.enabled: false');
    if (!config.sensitiveData.serverAccessLogs) off.set('s3.sensitive-bucket-access-logs', 'sensitiveData.serverAccessLogs: false');
  }
  if (!config.investigations.enabled) off.set('investigations.athena', 'investigations.enabled: false');
  if (!config.securityServices.accessAnalyzer.unusedAccess.enabled) off.set('access-analyzer.unused-access', 'securityServices.accessAnalyzer.unusedAccess.enabled: false');
  if (!config.guardrails.enabled) {
    off.set('guardrails.service-control-policies', 'guardrails.enabled: false');
  }
  if (!config.monitoring.accountTrails) off.set('cloudtrail.account-trails', 'monitoring.accountTrails: false');
  const standards = config.securityServices.securityHub.standards;
  if (!standards.includes('aws-foundational-security-best-practices/v/1.0.0')) {
    off.set('securityhub.fsbp-standard', 'securityServices.securityHub.standards leaves out aws-foundational-security-best-practices/v/1.0.0');
  }
  if (!standards.some((s) => s.startsWith('cis-aws-foundations-benchmark/'))) {
    off.set('securityhub.cis-standard', 'securityServices.securityHub.standards lists no cis-aws-foundations-benchmark version');
  }
  return off;
}

const onOff = (description: string) => z.boolean({ error: 'must be true or false' }).describe(description);

export const memberSchema = z.strictObject({
  id: accountIdSchema.describe('The account id: 12 digits, quoted.'),
  name: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, { error: 'may hold only letters, digits, spaces and _ . : / = + - @ (it becomes a tag value)' })
    .describe('A human name for the account, used in tags and listings.'),
  email: z.email({ error: 'must be an email address' }).describe("The account's root email address, as in AWS Organizations."),
  ou: ouSchema.describe(
    'Its organizational unit: `Root` (or the root id `r-...`), an OU id (`ou-` then 4-32 and 8-32 lowercase letters or digits, as AWS Organizations forms them), or an OU path of OU names from the root such as `Workloads/Prod` (names of letters, digits, spaces and `_ . : = + - @`; an OU named otherwise is given by its id). The management plan fails when an OU id, or a name of a path, does not exist in the organization (docs/architecture.md).',
  ),
  regions: z
    .array(regionSchema)
    .min(1)
    .optional()
    .describe('The Regions its member baseline covers, a subset of `regions.governed` that includes the home Region. Omitted: every governed Region.'),
  tags: tagsSchema.optional().describe("Tags on every resource of this account's stack, on top of the top-level `tags`. Omitted: none."),
  configServiceLinkedRoleExists: z
    .boolean()
    .optional()
    .describe('Whether `AWSServiceRoleForConfig` already exists in this account. Omitted: `awsConfig.serviceLinkedRoleExists`.'),
  macieAutoEnabledRegions: z
    .array(regionSchema)
    .optional()
    .describe("The Regions where Macie's organization auto-enable made this account a member (it joined the organization after the baseline turned auto-enable on there): its member stack declares no membership in them, since what CreateMember does for an existing member is undocumented. Omitted: none; the member stack adds the account (CreateMember) in each of its Regions."),
});

const localStateSchema = z.strictObject({
  backend: z
    .literal('local')
    .describe('Local state: `<output folder>/state/terraform.<stack>.tfstate` (`cdktf.out/state/`), by a path relative to the stack\'s folder, never an absolute one; synth and plan need no AWS.'),
});

const s3StateSchema = z.strictObject({
  backend: z.literal('s3').describe('S3 state with S3-native locking (`use_lockfile`, Terraform >= 1.10), one key per stack.'),
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' })
    .describe('The state bucket. It must exist before the first `terraform init`.'),
  region: regionSchema.describe("The state bucket's Region."),
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]+$/, { error: 'must be an S3 key prefix' })
    .refine((s) => !s.endsWith('/') && !s.startsWith('/'), { error: 'must not start or end with "/"' })
    .default('soc2-baseline')
    .describe('Prefix of every state key: `<keyPrefix>/<stack>.tfstate`.'),
  kmsKeyArn: z
    .string()
    .startsWith('arn:', { error: 'must be a KMS key ARN' })
    .optional()
    .describe("KMS key that encrypts state objects. Omitted: the state bucket's default encryption."),
  roleArn: z
    .string()
    .startsWith('arn:', { error: 'must be an IAM role ARN' })
    .optional()
    .describe("Role to assume for state access. Omitted: the pipeline's own credentials."),
});

/** `removedMembers[].reason`, and `baseline remove --reason`: why an account leaves the baseline. */
export const removalReasonSchema = z
  .string({ error: 'is required: say why the account leaves the baseline (at least 10 characters): auditors will ask' })
  .trim()
  .min(10, { error: 'must say why the account leaves the baseline (at least 10 characters): auditors will ask' })
  .describe('Why the account leaves the baseline (`baseline remove --reason`), at least 10 characters: auditors will ask. The control matrix lists it beside the account until its stack is destroyed.');

export const configSchema = z.strictObject({
  organization: z
    .strictObject({
      id: z
        .string()
        .regex(/^o-[a-z0-9]{10,32}$/, { error: 'must be an organization id such as "o-a1b2c3d4e5"' })
        .describe('The AWS Organizations id.'),
      namePrefix: z
        .string()
        .regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, {
          error: 'must be 3-20 characters of lowercase letters, digits and hyphens, starting with a letter',
        })
        .describe('Prefix of every name the baseline derives (buckets, keys, trails, topics); 3-20 lowercase characters so bucket names fit in 63.'),
      rootId: z
        .string()
        .regex(/^r-[0-9a-z]{4,32}$/, { error: 'must be the organization root id such as "r-ab12"' })
        .describe('The organization root id: the default target of the Security Hub configuration policy.'),
      managementAccountId: accountIdSchema.describe('The management account: the org trail and the service delegations.'),
      logArchiveAccountId: accountIdSchema.describe('The dedicated log-archive account: central log buckets and their keys.'),
      auditAccountId: accountIdSchema.describe('The audit (security tooling) account: delegated administrator of the security services.'),
    })
    .describe('The organization and its three core accounts, each of which must also be listed in `members`.'),
  regions: z
    .strictObject({
      home: regionSchema.describe('Where the org trail, its log group and the log archive live. Must be governed.'),
      governed: z.array(regionSchema).min(1, { error: 'must list at least one Region' }).describe('Every Region the baseline covers.'),
      additionalKnownRegions: z
        .array(
          z.strictObject({
            region: regionSchema.describe('The Region code, such as `xx-east-1`.'),
            reason: z
              .string()
              .min(10, { error: 'must say why (at least 10 characters), e.g. the AWS announcement of the Region' })
              .describe('Why it is a real Region: the AWS announcement or documentation page that lists it.'),
          }),
        )
        .default([])
        .describe(
          `Regions AWS launched after this baseline's list of commercial Regions (config/regions.ts, ${AWS_REGIONS.length} Regions) was written, each with the reason: every Region the config names elsewhere must be in that list or here, so that a misspelled Region is refused instead of deployed to. Treated as opt-in Regions (launched after March 2019). Omitted: none.`,
        ),
    })
    .describe('Regions.'),
  deployment: z
    .strictObject({
      roleName: roleNameSchema.default('OrganizationAccountAccessRole').describe('The role the pipeline assumes in each account.'),
      planRoleName: roleNameSchema
        .optional()
        .describe(
          "The read-only role in every account that plans of unmerged code (pull and merge requests, other branches) assume instead of `roleName`: CI runs that only plan set `TF_VAR_deployment_role_name` to it, and every stack's providers accept no name but these two. No guardrail exempts it; it must differ from `roleName`, `guardrails.pipelineRoleName` and `guardrails.breakGlassRoleName`, and may not be a default administrator role. Where `pipelineAccountId` is set, the plan runs' own credentials there must be a role of this name. How to create it: docs/guardrails.md. Omitted: `bin/baseline pipeline` refuses to generate CI that plans unmerged code.",
        ),
      pipelineAccountId: accountIdSchema
        .optional()
        .describe("The account whose credentials the pipeline runs with: its provider assumes no role. Omitted: the role is assumed in every account."),
      sessionName: z
        .string()
        .regex(/^[\w+=,.@-]{2,64}$/, { error: 'must be 2-64 characters of letters, digits and +=,.@_-' })
        .default('soc2-baseline')
        .describe('Session name of the assumed-role sessions, as CloudTrail shows it.'),
      externalId: z.string().min(2).max(1224).optional().describe("External id the role's trust policy requires. Omitted: none."),
      awsProviderVersion: providerConstraintSchema
        .default(BINDINGS_PROVIDER_VERSION)
        .describe(
          `The AWS provider version constraint every stack declares, a Terraform version constraint such as \`~> 6.25\` that admits nothing below ${BINDINGS_PROVIDER_VERSION} and nothing from 7.0.0 on. Widening it lets \`terraform init\` pick a later 6.x release for its fixes; the stacks still use only what provider ${BINDINGS_PROVIDER_VERSION} has (the cdktf bindings are frozen there), and the version chosen is the one \`.terraform.lock.hcl\` records (docs/operations.md, "AWS provider version"). Omitted: exactly ${BINDINGS_PROVIDER_VERSION}.`,
        ),
    })
    .prefault({})
    .describe('How the pipeline reaches each account.'),
  state: z
    .discriminatedUnion('backend', [localStateSchema, s3StateSchema], { error: 'backend must be "local" or "s3"' })
    .prefault({ backend: 'local' })
    .describe('Where Terraform keeps each stack\'s state.'),
  retention: z
    .strictObject({
      logArchiveDays: z
        .number()
        .int()
        .min(MIN_LOG_RETENTION_DAYS, { error: `must be at least ${MIN_LOG_RETENTION_DAYS} days (SOC 2 evidence window)` })
        .max(36500, { error: 'must be at most 36500 days (the S3 Object Lock maximum)' })
        .default(365)
        .describe(`Days every log object is kept: its Object Lock retention, then expiry. At least ${MIN_LOG_RETENTION_DAYS}.`),
      transitionToColdStorageDays: z
        .number()
        .int()
        .min(30, { error: 'must be at least 30 days (S3 minimum)' })
        .default(90)
        .describe('Days after which log objects move to S3 Glacier Instant Retrieval; less than `logArchiveDays`.'),
      cloudWatchLogsDays: z
        .number()
        .int()
        .refine((d) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(d) && d >= MIN_LOG_RETENTION_DAYS, {
          error: `must be one of ${CLOUDWATCH_RETENTION_DAYS.filter((d) => d >= MIN_LOG_RETENTION_DAYS).join(', ')}`,
        })
        .default(365)
        .describe('Days CloudWatch Logs keeps trail events; a value CloudWatch Logs accepts, at least 90.'),
      objectLockMode: z
        .enum(['GOVERNANCE', 'COMPLIANCE'])
        .default('GOVERNANCE')
        .describe('GOVERNANCE lets a specially permitted principal shorten retention; COMPLIANCE lets nobody, not even root.'),
    })
    .prefault({})
    .describe('How long logs are kept, and how.'),
  alerts: z
    .strictObject({
      subscriptions: z
        .array(subscriptionSchema)
        .default([])
        .describe("Who is alerted: the subscriptions of the organization's one central alert topic (audit account, home Region), which every account's CIS alarms and the high-severity findings reach; each person confirms once. Each account's own alert topic is subscribed by a same-account SQS queue instead. None is allowed, with a warning: alerts then reach nobody."),
      watchdogSubscriptions: z
        .array(subscriptionSchema)
        .optional()
        .describe(
          "Who hears that the central alert topic itself fails to deliver (its NumberOfNotificationsFailed alarm cannot use that topic): the subscriptions of the route's watchdog topic (audit account, home Region); each confirms once. Omitted: the same as `subscriptions`.",
        ),
      heartbeat: z
        .strictObject({
          everyMinutes: z.number().int().min(5, { error: 'must be at least 5' }).max(60, { error: 'must be at most 60' }).default(15).describe("How often each account with CIS alarms sends a heartbeat along its alarm route to the central bus."),
          alarmAfterMinutes: z
            .number()
            .int()
            .min(30, { error: 'must be at least 30' })
            .max(120, { error: 'must be at most 120 (CloudWatch evaluates Metrics Insights alarms on the last 3 hours)' })
            .default(60)
            .describe('An account whose heartbeat has not reached the audit account for this long raises the heartbeat alarm; at least twice `everyMinutes`.'),
        })
        .prefault({})
        .describe("The dead man's switch of the alert route: a scheduled heartbeat from every account with CIS alarms, travelling the route a real alarm takes to the central bus, counted in the audit account."),
      businessHours: z
        .strictObject({
          days: z
            .array(z.enum(WEEKDAYS))
            .min(1, { error: 'must list at least one day' })
            .default(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])
            .describe('Working days, in local time.'),
          start: clockTimeSchema.default('08:00').describe('Start of the working day, local time.'),
          end: clockTimeSchema
            .default('18:00')
            .describe('End of the working day, local time; earlier than `start` for a window that wraps past midnight.'),
          utcOffset: z
            .string()
            .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, { error: 'must be a UTC offset such as "+10:00" or "-05:00"' })
            .default('+00:00')
            .describe('The local time zone as a fixed UTC offset (CloudWatch alarms evaluate in UTC; adjust it at daylight-saving changes).'),
        })
        .prefault({})
        .describe('Successful console sign-ins outside these hours raise the off-hours alarm.'),
      triage: z
        .strictObject({
          findingTriageHours: z
            .number()
            .int()
            .min(1, { error: 'must be at least 1' })
            .max(720, { error: 'must be at most 720 (30 days)' })
            .default(24)
            .describe("A HIGH or CRITICAL finding (GuardDuty, Macie, IAM Access Analyzer, through Security Hub) must leave the NEW workflow status within this many hours of its creation; the evidence binder's period section fails one still NEW after it."),
          alarmAcknowledgeHours: z
            .number()
            .int()
            .min(1, { error: 'must be at least 1' })
            .max(720, { error: 'must be at most 720 (30 days)' })
            .default(24)
            .describe("An alarm of the baseline must leave ALARM within this many hours (someone acted and the cause is gone); the evidence binder's period section fails an alarm that stayed in ALARM longer."),
        })
        .prefault({})
        .describe('How fast people must act on what reaches them: judged over the audit period by `baseline evidence` (docs/evidence.md, "The audit period").'),
    })
    .prefault({})
    .describe('Where alarms and findings go.'),
  monitoring: z
    .strictObject({
      accountTrails: z
        .boolean()
        .default(true)
        .describe('Give every member account (the management account aside, which owns the org trail) its own multi-Region trail, log group and CIS alarms, because Prowler and the CIS text (and Security Hub, under the CIS v1.2.0/v1.4.0 standards) evaluate CIS monitoring per account, against trails the account owns. Each is a second, billed copy of management events (see docs/monitoring.md). Off: member accounts report those controls as failed or NO_DATA.'),
      metricNamespace: z
        .string()
        .regex(/^[\w./#:-]{1,255}$/, { error: 'must be a CloudWatch namespace' })
        .refine((s) => !s.startsWith('AWS/'), { error: 'must not start with "AWS/" (reserved)' })
        .default('CISBenchmark')
        .describe('CloudWatch namespace of the CIS metric filters.'),
    })
    .prefault({})
    .describe('The CIS CloudWatch monitoring controls.'),
  awsConfig: z
    .strictObject({
      recordingFrequency: z
        .enum(['CONTINUOUS', 'DAILY'])
        .default('CONTINUOUS')
        .describe('CONTINUOUS records every change as it happens; DAILY records once a day, for cost.'),
      recorderName: z
        .string()
        .regex(/^[\w.-]{1,256}$/, { error: 'must be a Config recorder name' })
        .optional()
        .describe('Name of the recorder and delivery channel in every member Region. An account allows one of each per Region: to take over existing ones (often named `default`), give their name here and import them (see docs/architecture.md). Omitted: `<namePrefix>-recorder`.'),
      serviceLinkedRoleExists: z
        .boolean()
        .default(false)
        .describe('Whether `AWSServiceRoleForConfig` already exists in the accounts (Config was on before); when false each member stack creates it. Per account: `members[].configServiceLinkedRoleExists`.'),
      accessKeyMaxAgeDays: z
        .number()
        .int()
        .min(1)
        .max(365)
        .default(90)
        .describe('`maxAccessKeyAge` of the access-keys-rotated rule.'),
      disabledRules: z
        .array(
          z.strictObject({
            name: z.string().describe('A baseline rule name, such as `cloudtrail-s3-dataevents-enabled`.'),
            reason: z.string().min(10, { error: 'must say why (at least 10 characters): auditors will ask' }).describe('Why it is off; kept in the config as the record auditors ask for.'),
          }),
        )
        .default([])
        .describe('Baseline rules switched off, each with its reason.'),
      additionalRules: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'must be a Config rule name (letters, digits, - and _)' }).describe('The rule name.'),
            identifier: z
              .string()
              .regex(/^[A-Z0-9_]{3,256}$/, { error: 'must be an AWS managed rule identifier such as "S3_BUCKET_VERSIONING_ENABLED"' })
              .describe('The AWS managed rule identifier.'),
            scope: z
              .enum(['regional', 'home'])
              .default('regional')
              .describe('`regional`: every Region of the member; `home`: the home Region only (global or account-level resources).'),
            parameters: z.record(z.string(), z.string({ error: 'rule parameter values must be strings' })).default({}).describe('Input parameters, as strings.'),
          }),
        )
        .default([])
        .describe('AWS managed rules added to the baseline set.'),
    })
    .prefault({})
    .describe('AWS Config in every member account and Region.'),
  flowLogs: z
    .strictObject({
      destination: z
        .enum(['s3', 'cloud-watch-logs'])
        .default('s3')
        .describe('`s3`: the central flow-log bucket, hive-compatible partitions; `cloud-watch-logs`: a KMS-encrypted log group per Region in the account, kept `retention.cloudWatchLogsDays`.'),
      maxAggregationIntervalSeconds: z
        .union([z.literal(60), z.literal(600)], { error: 'must be 60 or 600' })
        .default(600)
        .describe('How long a flow is aggregated into one record.'),
    })
    .prefault({})
    .describe('VPC flow logs for every VPC in every governed Region of every member.'),
  controlTower: z
    .strictObject({
      enabled: z
        .boolean()
        .default(false)
        .describe('The organization is governed by AWS Control Tower: the baseline does not create what Control Tower owns (see docs/operations.md).'),
      regions: z
        .array(regionSchema)
        .optional()
        .describe('The Regions Control Tower governs. Omitted: every governed Region.'),
      organizationTrail: z
        .enum(['baseline', 'control-tower'])
        .default('baseline')
        .describe("`control-tower`: use Control Tower's organization trail instead of creating one; the CIS alarms watch its log group."),
      trailLogGroupName: z
        .string()
        .min(1)
        .default('aws-controltower/CloudTrailLogs')
        .describe("The log group of Control Tower's organization trail (management account, home Region)."),
    })
    .prefault({})
    .describe('AWS Control Tower.'),
  guardrails: guardrailsSchema,
  securityServices: z
    .strictObject({
      guardDuty: z
        .strictObject({
          autoEnableMembers: z
            .enum(['ALL', 'NEW'])
            .default('ALL')
            .describe('Which member accounts GuardDuty turns on: ALL (existing and new) or NEW (new ones only).'),
          managementServiceLinkedRoleExists: z
            .boolean()
            .default(false)
            .describe('Whether `AWSServiceRoleForAmazonGuardDuty` already exists in the management account (GuardDuty was on there before, in any Region); when false `management` creates it, which the delegated administrator needs to enable and manage GuardDuty there. `aws iam get-role --role-name AWSServiceRoleForAmazonGuardDuty` in the management account tells.'),
          protection: z
            .strictObject({
              s3DataEvents: onOff('S3 Protection (S3 data events).'),
              eksAuditLogs: onOff('EKS Protection (EKS audit logs).'),
              ebsMalwareProtection: onOff('Malware Protection for EC2 (EBS volumes of instances with findings).'),
              rdsLoginEvents: onOff('RDS Protection (Aurora and RDS login events).'),
              lambdaNetworkLogs: onOff('Lambda Protection (Lambda network activity).'),
              runtimeMonitoring: onOff('Runtime Monitoring (EKS, ECS Fargate and EC2, with the agents managed by GuardDuty).'),
            })
            .describe('Protection plans, each explicitly on or off (an unknown plan is an error).'),
        })
        .describe('GuardDuty, run by the audit account for the whole organization in every governed Region.'),
      securityHub: z
        .strictObject({
          findingAggregator: z
            .boolean()
            .default(true)
            .describe('A finding aggregator in the home Region linking every governed Region; central configuration requires it.'),
          standards: z
            .array(z.enum(SECURITY_HUB_STANDARDS))
            .min(1, { error: 'must list at least one standard' })
            .default(['aws-foundational-security-best-practices/v/1.0.0', 'cis-aws-foundations-benchmark/v/3.0.0'])
            .describe('Standards the configuration policy enables, by id (the ARN is built per Region).'),
          disabledControls: z
            .array(
              z.strictObject({
                id: z.string().regex(/^[A-Za-z0-9]+\.\d+$/, { error: 'must be a Security Hub control id such as "IAM.6"' }).describe('The control id.'),
                reason: z.string().min(10, { error: 'must say why (at least 10 characters): auditors will ask' }).describe('Why it is off.'),
              }),
            )
            .default([])
            .describe('Controls switched off in the configuration policy, each with its reason.'),
          policyTargets: z
            .array(z.string().regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/, { error: 'must be a root id (r-...), an OU id (ou-...) or an account id' }))
            .min(1)
            .optional()
            .describe('Where the configuration policy is associated. Omitted: the organization root.'),
        })
        .prefault({})
        .describe('Security Hub central configuration by the audit account.'),
      macie: z
        .strictObject({
          classificationJobs: z
            .array(
              z.strictObject({
                accountId: accountIdSchema.describe('The account that owns the buckets.'),
                region: regionSchema.describe('Their Region (governed).'),
                buckets: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' })).min(1).describe('Bucket names.'),
              }),
            )
            .default([])
            .describe('Buckets a weekly Macie classification job scans for PII and credentials (automated sensitive data discovery has no Terraform resource yet: see docs/operations.md).'),
        })
        .prefault({})
        .describe('Amazon Macie, run by the audit account for the whole organization in every governed Region.'),
      accessAnalyzer: z
        .strictObject({
          reviewedFindings: z
            .array(
              z.strictObject({
                id: z.string().min(1).describe('The finding id (ListFindings or, for the unused access analyzer, ListFindingsV2 `id`).'),
                reason: z.string().min(10, { error: 'must say why the access is intended (at least 10 characters): this is the review record' }).describe('Why the access is intended, and who reviewed it.'),
              }),
            )
            .default([])
            .describe(
              'Access Analyzer findings archived after a review, each with its reason: the review record an auditor samples. The evidence binder fails a finding of the external or the unused access analyzers archived in its window that is not listed here, and any archive rule (rules archive without review).',
            ),
          unusedAccess: z
            .strictObject({
              enabled: z
                .boolean()
                .default(true)
                .describe(
                  'An ORGANIZATION_UNUSED_ACCESS analyzer in the audit account, home Region only (unused access findings do not depend on the Region): unused roles, access keys, passwords and permissions in every account become findings, the evidence of periodic access reviews. Billed per IAM role and user analyzed per month, $0.20 each on the IAM Access Analyzer pricing page (docs/detection.md: $10,000 a month at 1,000 accounts of 50 roles and users each). Off: a control exception (`access-analyzer.unused-access` in `controlExceptions`).',
                ),
              // API_UnusedAccessConfiguration.html: "You can choose a value between 1 and 365 days".
              unusedAccessAgeDays: z
                .number()
                .int({ error: 'must be a whole number of days' })
                .min(1, { error: 'must be at least 1 (the analyzer accepts 1 to 365 days)' })
                .max(365, { error: 'must be at most 365 (the analyzer accepts 1 to 365 days)' })
                .default(90)
                .describe('Days without use after which a role, user, key, password or permission becomes an unused-access finding (the analyzer\'s `unusedAccessAge`, 1 to 365). Changing it replaces the analyzer, and its findings start over. Omitted: 90.'),
              reviewWithinDays: z
                .number()
                .int({ error: 'must be a whole number of days' })
                .min(1, { error: 'must be at least 1' })
                .max(366, { error: 'must be at most 366 (a yearly review at the latest)' })
                .default(90)
                .describe('How long an unused-access finding may stay ACTIVE before the evidence binder fails it: the access review period (90: a quarterly review). Resolve the access (remove the role, user, key, password or permission: the finding becomes RESOLVED). Omitted: 90.'),
              acceptedFindings: z
                .array(
                  z.strictObject({
                    // A finding's `resource` is the ARN of the IAM role or user (IAM User Guide, "IAM Access Analyzer
                    // filter keys": https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-filter-keys.html).
                    resourceArn: z
                      .string()
                      .regex(UNUSED_ACCESS_RESOURCE_PATTERN, {
                        error:
                          'must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name> or :user/<name>, path allowed), where * may stand only for the whole account id or end the name after at least one character (role/breakglass-*)',
                      })
                      .describe('The IAM role or user the accepted findings are about, by ARN. `*` may stand for the account id (the same role in every account) or end the name (a name prefix); nothing else is a wildcard.'),
                    findingTypes: z
                      .array(z.enum(UNUSED_ACCESS_FINDING_TYPES))
                      .min(1, { error: 'must list at least one finding type, or be left out for all four' })
                      .optional()
                      .describe('The finding types accepted for it. Omitted: all four (`UnusedIAMRole`, `UnusedIAMUserAccessKey`, `UnusedIAMUserPassword`, `UnusedPermission`).'),
                    reason: z
                      .string()
                      .min(10, { error: 'must say why the unused access stays (at least 10 characters): this is the review record' })
                      .describe('Why the access stays although unused, and who decided it: the review record an auditor samples.'),
                  }),
                )
                .default([])
                .describe(
                  "Unused access that stays by decision (an emergency role, a disaster-recovery user): an ACTIVE finding older than `reviewWithinDays` that matches an entry does not fail; the evidence binder lists it as accepted, with the entry's reason. With guardrails on, the `guardrails.breakGlassRoleName` role's `UnusedIAMRole` finding, in every account, is accepted without an entry (the break-glass role is unused by design; each use raises `BreakGlassRoleUsed`); nothing else is. Omitted: none.",
                ),
            })
            .prefault({})
            .describe('Unused access analysis for the organization (docs/detection.md).'),
        })
        .prefault({})
        .describe('IAM Access Analyzer, run by the audit account for the whole organization in every governed Region.'),
    })
    .describe('The delegated-admin security services: GuardDuty, Security Hub, Macie, IAM Access Analyzer and the AWS Config aggregator, run by the audit account.'),
  sensitiveData: z
    .strictObject({
      buckets: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }).describe('The bucket name.'),
            accountId: accountIdSchema.describe('The member account that owns the bucket: its `member-<id>` stack protects it.'),
            region: regionSchema.describe("The bucket's Region: governed, and one of the owning member's Regions."),
            kmsKeyArn: z
              .string()
              .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, { error: 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias' })
              .optional()
              .describe("The customer managed KMS key of the bucket's default encryption (SSE-KMS): the Malware Protection role may decrypt through S3 with it, and the key's own policy must allow that role (the bucket owner's job, docs/detection.md). Omitted: the bucket uses SSE-S3; an SSE-KMS object would fail its scan (GuardDuty reports it unscanned)."),
          }),
        )
        .default([])
        .describe(
          'Buckets that hold sensitive data (customer data, PII, credentials). The organization trail records their object-level events (they join `trail.dataEvents.s3`, the same list), GuardDuty Malware Protection for S3 scans every new object (`malwareProtection`), and S3 server access logging records every request into an access-log bucket of their account and Region (`serverAccessLogs`). The buckets must exist; the baseline does not create them. Omitted: none.',
        ),
      malwareProtection: z
        .strictObject({
          enabled: z
            .boolean()
            .default(true)
            .describe('A GuardDuty Malware Protection plan on each of `buckets`, with its service role, in the owning account. Off: a control exception (`guardduty.malware-protection-s3` in `controlExceptions`).'),
          tagScannedObjects: z
            .boolean()
            .default(true)
            .describe('GuardDuty tags each scanned object with its result (`GuardDutyMalwareScanStatus`), so that a bucket policy or a reader can refuse infected objects. Off: results are in findings only.'),
        })
        .prefault({})
        .describe('GuardDuty Malware Protection for S3 on the sensitive buckets.'),
      serverAccessLogs: z
        .boolean()
        .default(true)
        .describe('S3 server access logging for each of `buckets` into an access-log bucket the baseline creates in its account and Region (S3 delivers only within one account and Region). Off: a control exception (`s3.sensitive-bucket-access-logs` in `controlExceptions`); the object-level data events of the organization trail still record each request.'),
    })
    .prefault({})
    .describe('The buckets that hold sensitive data, and what watches them (docs/detection.md).'),
  logArchive: z
    .strictObject({
      readerRoleArns: z
        .array(iamRoleArnSchema)
        .default([])
        .describe(
          'Roles that may read the central logs (and decrypt them). Nobody else may read a log object, AWS services aside. The roles must exist before `management` is applied.',
        ),
    })
    .prefault({})
    .describe('Who may read the log archive.'),
  investigations: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe(
          'Athena over the log archive in the audit account (home Region): a Glue database with tables over the organization trail, the account trails and (with `flowLogs.destination: s3`) the VPC flow logs, a workgroup that enforces its encrypted result location and scan limit, a results bucket, one named query per investigation, and a policy for the log readers of `logArchive.readerRoleArns` that are in the audit account (at least one must be). Off: a control exception (`investigations.athena` in `controlExceptions`), and nobody can query the logs with the baseline.',
        ),
      bytesScannedCutoffPerQueryMb: z
        .number()
        .int()
        // Athena's minimum data usage control per query is 10 MB (Athena User Guide, "Manage costs
        // with data usage controls"; WorkGroupConfiguration.BytesScannedCutoffPerQuery, minimum 10000000).
        .min(10, { error: 'must be at least 10 (Athena refuses a per-query limit under 10 MB)' })
        .default(2_000_000)
        .describe('The workgroup cancels any query that scans more than this many megabytes (10^6 bytes). The default, 2 TB, caps a query at about $10 (at $5 per TB scanned) and lets an investigation of the whole organization cover a 90-day audit period at 1,000 accounts x 17 Regions (docs/investigations.md, "Cost"); lower it for a smaller organization. At least 10 (Athena\'s minimum).'),
      resultRetentionDays: z
        .number()
        .int()
        .min(1, { error: 'must be at least 1' })
        .max(3650, { error: 'must be at most 3650' })
        .default(30)
        .describe('Days the results bucket keeps query results before they expire (results can hold copies of log records: keep them no longer than needed). Save what an auditor samples elsewhere.'),
    })
    .prefault({})
    .describe('Investigations: querying the log archive with Athena (docs/investigations.md).'),
  trail: z
    .strictObject({
      dataEvents: z
        .strictObject({
          s3: z
            .array(s3DataEventArnSchema)
            .default([])
            .describe('S3 object-level events for these buckets (or bucket/prefix ARNs). A log-archive bucket here is an error: every delivery would log a new event.'),
          lambda: z
            .union([z.literal('all'), z.array(lambdaArnSchema).min(1)], {
              error: 'must be "all" or a list of Lambda function ARNs',
            })
            .optional()
            .describe('Lambda invocations: `all`, or a list of function ARNs. Omitted: none.'),
          dynamodb: z
            .union([z.literal('all'), z.array(dynamoDbTableArnSchema).min(1)], {
              error: 'must be "all" or a list of DynamoDB table ARNs',
            })
            .optional()
            .describe('DynamoDB item-level API activity (GetItem, PutItem, Query...) on `all` tables, or on the listed table ARNs. Omitted: none. Billed per event: list the tables that hold customer data.'),
        })
        .prefault({})
        .describe('Data events recorded by the organization trail, beside all management events.'),
      networkActivityEvents: z
        .strictObject({
          eventSources: z
            .array(z.enum(NETWORK_ACTIVITY_EVENT_SOURCES, { error: (issue) => `${String(issue.input)} is not an event source CloudTrail logs network activity events for (CloudTrail User Guide, "Logging network activity events")` }))
            .default([])
            .describe('The services (event sources, `kms.amazonaws.com`) whose API calls through VPC endpoints the organization trail records as network activity events: one advanced event selector each (docs/detection.md). Only the sources the CloudTrail User Guide lists ("Logging network activity events"). Omitted or empty: none, the default, because network activity events are billed per event like data events, and every call through an endpoint of every account is one.'),
          deniedOnly: z
            .boolean()
            .default(true)
            .describe('Record only the calls a VPC endpoint policy denied (`errorCode` `VpceAccessDenied`, the one error code a selector may filter on): the data-perimeter denials, at a fraction of the cost of every call. false: every call through the endpoints of `eventSources`.'),
        })
        .prefault({})
        .describe('CloudTrail network activity events of the organization trail: calls to AWS services through the VPC endpoints of every account. Off by default (cost).'),
      insights: z
        .array(z.enum(['ApiCallRateInsight', 'ApiErrorRateInsight']))
        .default([])
        .describe('CloudTrail Insights types to enable on the organization trail.'),
      deliveryNotifications: z
        .boolean()
        .default(false)
        .describe('Publish an SNS notification for every log file delivered (a KMS-encrypted topic in the management account).'),
    })
    .prefault({})
    .describe('The organization trail.'),
  controlExceptions: z
    .array(
      z.strictObject({
        control: z
          .enum(SWITCHABLE_CONTROLS)
          .describe(`A control this config switches off: ${SWITCHABLE_CONTROLS.map((c) => `\`${c}\``).join(', ')}.`),
        reason: z
          .string()
          .min(10, { error: 'must say why (at least 10 characters): auditors will ask' })
          .describe('Why it is off: the control matrix shows it as an exception with this reason.'),
      }),
    )
    .default([])
    .describe('The reason for each control the config switches off by other settings (`monitoring.accountTrails: false`, a Security Hub standard left out of `securityServices.securityHub.standards`). Each such control must have an entry, and an entry must name a control that is off. Config rules and Security Hub controls carry their reasons in `awsConfig.disabledRules` and `securityServices.securityHub.disabledControls`.'),
  tags: tagsSchema.default({}).describe('Tags on every resource the baseline creates, beside its own `soc2-baseline:*` tags.'),
  members: z
    .array(memberSchema)
    .min(1, { error: 'must list at least one account' })
    .describe('Every account of the organization, the management, log-archive and audit accounts included; each gets a `member-<id>` stack.'),
  removedMembers: z
    .array(
      memberSchema.extend({
        removedOn: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
          .describe('When `baseline remove` took the account out of `members` (UTC date).'),
        reason: removalReasonSchema,
      }),
    )
    .default([])
    .describe("Accounts taken out of the baseline (`baseline remove`) whose `member-<id>` stack the pipeline has still to destroy: each entry is the account's `members` entry as it was, plus `removedOn` and `reason`. The stack is still synthesized, so the pipeline finds it and runs its destroy job; no other stack counts the account. `baseline remove --account-id ID --destroyed` moves the entry to `destroyedMembers` once the destroy has run. Omitted: none."),
  destroyedMembers: z
    .array(
      z
        .strictObject({
          id: accountIdSchema.describe('The account id: 12 digits, quoted.'),
          name: memberSchema.shape.name.describe("The account's name when it was removed."),
          removedOn: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
            .describe('When `baseline remove` took the account out of `members` (UTC date), from its `removedMembers` entry.'),
          reason: removalReasonSchema,
          destroyedOn: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
            .describe('When `baseline remove --destroyed` recorded the destroy of its stack (UTC date).'),
          stateChecked: z
            .boolean({ error: 'is required: true when the stack\'s state was read and held no resource, false when the destroy was recorded unchecked' })
            .describe("Whether the stack's state was read and held no managed resource when the destroy was recorded; false: recorded with `--unchecked-reason`, the destroy is not verified."),
          uncheckedReason: removalReasonSchema
            .optional()
            .describe('Why the destroy was recorded though its state could not be checked (`--unchecked-reason`); required when `stateChecked` is false, absent when true.'),
        }),
    )
    .default([])
    .describe("History of the accounts whose stacks were destroyed after `baseline remove` (`baseline remove --destroyed` moves the `removedMembers` entry here): id, name, `removedOn` and `reason` as removed, `destroyedOn`, and whether the stack's state was checked (`stateChecked`, with `uncheckedReason` when not). No stack is synthesized for them; the control matrix lists them (`destroyedAccounts`), flagging the unverified ones. An account vended again keeps its entries here. Omitted: none."),
});

export type BaselineConfigInput = z.input<typeof configSchema>;
export type BaselineConfig = z.output<typeof configSchema>;
export type MemberAccount = BaselineConfig['members'][number];
/** An account `baseline remove` took out, whose stack is still to be destroyed. */
export type RemovedMember = BaselineConfig['removedMembers'][number];
/** An account whose stack `baseline remove --destroyed` recorded as destroyed: history, no stack. */
export type DestroyedMember = BaselineConfig['destroyedMembers'][number];

type Issue = { path: (string | number)[]; message: string };

/**
 * Every field of the config that holds a Region (built from `regionSchema`), as a path where `*` is
 * each element of a list. `regions.additionalKnownRegions[].region` is the way in for a new Region,
 * not a use of one. A test walks the JSON Schema for fields with the Region pattern and compares.
 */
export const REGION_FIELDS: readonly (readonly string[])[] = [
  ['regions', 'home'],
  ['regions', 'governed', '*'],
  ['state', 'region'],
  ['members', '*', 'regions', '*'],
  ['members', '*', 'macieAutoEnabledRegions', '*'],
  ['removedMembers', '*', 'regions', '*'],
  ['removedMembers', '*', 'macieAutoEnabledRegions', '*'],
  ['controlTower', 'regions', '*'],
  ['securityServices', 'macie', 'classificationJobs', '*', 'region'],
  ['sensitiveData', 'buckets', '*', 'region'],
];

/** The values at a `REGION_FIELDS` path in `data`, each with its concrete path. */
function valuesAt(data: unknown, template: readonly string[], at: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  if (template.length === 0) return data === undefined ? [] : [{ path: at, value: data }];
  const [head, ...rest] = template;
  if (head === '*') return Array.isArray(data) ? data.flatMap((item, i) => valuesAt(item, rest, [...at, i])) : [];
  if (!data || typeof data !== 'object') return [];
  return valuesAt((data as Record<string, unknown>)[head], rest, [...at, head]);
}

/**
 * A sensitive bucket belongs to a member, in one of its Regions (its stack protects it there), is
 * listed once, and is not a log-archive bucket (its data events would loop).
 */
function sensitiveDataIssues(config: BaselineConfig, logBuckets: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const governed = new Set(config.regions.governed);
  config.sensitiveData.buckets.forEach((bucket, i) => {
    const at = (field: string) => ['sensitiveData', 'buckets', i, field];
    const owner = config.members.find((m) => m.id === bucket.accountId);
    if (!owner) {
      issues.push({ path: at('accountId'), message: `${bucket.accountId} is not listed in members (the owning member's stack protects the bucket)` });
    } else if (!governed.has(bucket.region)) {
      issues.push({ path: at('region'), message: `${bucket.region} is not in regions.governed` });
    } else if (owner.regions && !owner.regions.includes(bucket.region)) {
      issues.push({ path: at('region'), message: `${bucket.region} is not one of the Regions of account ${bucket.accountId} (members[${config.members.indexOf(owner)}].regions)` });
    }
    if (config.sensitiveData.buckets.findIndex((b) => b.name === bucket.name) !== i) {
      issues.push({ path: at('name'), message: `${bucket.name} is listed twice (a bucket name is global)` });
    }
    if (logBuckets.has(bucket.name)) {
      issues.push({ path: at('name'), message: `${bucket.name} is a log-archive bucket: the baseline already protects it, and its data events would loop` });
    }
    if (bucket.kmsKeyArn) {
      // S3 User Guide, "Specifying server-side encryption with AWS KMS": the key must be in the bucket's
      // Region (https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html).
      // Another account's key is allowed.
      const keyRegion = bucket.kmsKeyArn.split(':')[3];
      if (keyRegion !== bucket.region) issues.push({ path: at('kmsKeyArn'), message: `the key is in ${keyRegion}, not the bucket's Region ${bucket.region} (S3 encrypts only with a key of the bucket's Region)` });
    }
  });
  return issues;
}

/** Every Region the config names must be a real one: in config/regions.ts or `regions.additionalKnownRegions`. */
function regionIssues(config: BaselineConfig): Issue[] {
  const issues: Issue[] = [];
  const additional = config.regions.additionalKnownRegions.map((r) => r.region);
  config.regions.additionalKnownRegions.forEach(({ region }, i) => {
    if (isKnownRegion(region)) {
      issues.push({ path: ['regions', 'additionalKnownRegions', i, 'region'], message: `${region} is already a known Region (config/regions.ts): remove the entry` });
    } else if (additional.indexOf(region) !== i) {
      issues.push({ path: ['regions', 'additionalKnownRegions', i, 'region'], message: `${region} is listed twice` });
    }
  });
  for (const template of REGION_FIELDS) {
    for (const { path, value } of valuesAt(config, template)) {
      if (typeof value === 'string' && !isKnownRegion(value, additional)) issues.push({ path, message: unknownRegionMessage(value, additional) });
    }
  }
  return issues;
}

/**
 * Investigations run in the audit account with a log reader's own permissions: with none there, nobody
 * could run one. They read the baseline's organization trail, whose delivery path they know; Control
 * Tower's trail delivers to Control Tower's own bucket, under a path and bucket policy the baseline
 * does not manage, so the tables are refused rather than pointed at a guess.
 */
function investigationsIssues(config: BaselineConfig): Issue[] {
  if (!config.investigations.enabled) return [];
  const issues: Issue[] = [];
  const audit = config.organization.auditAccountId;
  const separateAudit = audit !== config.organization.managementAccountId && audit !== config.organization.logArchiveAccountId;
  if (separateAudit && !config.logArchive.readerRoleArns.some((arn) => arn.split(':')[4] === audit)) {
    issues.push({
      path: ['logArchive', 'readerRoleArns'],
      message: `lists no role in the audit account ${audit}: investigations (investigations.enabled) run there with a log reader's permissions, so nobody could run one. Add a reader role of the audit account, or set investigations.enabled: false with a controlExceptions entry for investigations.athena`,
    });
  }
  if (config.controlTower.enabled && config.controlTower.organizationTrail === 'control-tower') {
    issues.push({
      path: ['investigations', 'enabled'],
      message: "needs the baseline's organization trail: with controlTower.organizationTrail: control-tower the organization trail delivers into Control Tower's own bucket, which the investigation tables do not cover. Set investigations.enabled: false with a controlExceptions entry for investigations.athena",
    });
  }
  return issues;
}

/** Cross-field rules that a per-field schema cannot express. */
export function crossFieldIssues(config: BaselineConfig): Issue[] {
  const issues: Issue[] = [];
  const { regions, organization: org, members } = config;
  const governed = new Set(regions.governed);
  issues.push(...regionIssues(config));

  regions.governed.forEach((region, i) => {
    if (regions.governed.indexOf(region) !== i) {
      issues.push({ path: ['regions', 'governed', i], message: `${region} is listed twice` });
    }
  });
  if (!governed.has(regions.home)) {
    issues.push({ path: ['regions', 'home'], message: `${regions.home} is not in regions.governed` });
  }

  const firstIndex = new Map<string, number>();
  members.forEach((member, i) => {
    const seen = firstIndex.get(member.id);
    if (seen !== undefined) {
      issues.push({ path: ['members', i, 'id'], message: `duplicate account id ${member.id} (also members[${seen}])` });
    } else {
      firstIndex.set(member.id, i);
    }
    const ou = organizationalUnitRef(member.ou);
    if (ou.kind === 'root' && ou.rootId !== undefined && ou.rootId !== org.rootId) {
      issues.push({ path: ['members', i, 'ou'], message: `${ou.rootId} is not the organization root (organization.rootId is ${org.rootId}): write Root, or the root id` });
    }
    member.regions?.forEach((region, j) => {
      if (!governed.has(region)) {
        issues.push({ path: ['members', i, 'regions', j], message: `${region} is not in regions.governed` });
      } else if (member.regions!.indexOf(region) !== j) {
        issues.push({ path: ['members', i, 'regions', j], message: `${region} is listed twice` });
      }
    });
    member.macieAutoEnabledRegions?.forEach((region, j) => {
      if (!(member.regions ?? regions.governed).includes(region)) {
        issues.push({ path: ['members', i, 'macieAutoEnabledRegions', j], message: `${region} is not one of this account's Regions` });
      }
    });
    if (member.regions && governed.has(regions.home) && !member.regions.includes(regions.home)) {
      issues.push({
        path: ['members', i, 'regions'],
        message: `must include the home Region ${regions.home} (global resources are recorded there)`,
      });
    }
  });

  // AWS Organizations refuses a second account with the same root email (compared case-insensitively):
  // a config listing one would vend an account that can never exist, or describe the wrong one.
  const emailOwner = new Map<string, number>();
  members.forEach((member, i) => {
    const first = emailOwner.get(member.email.toLowerCase());
    if (first === undefined) {
      emailOwner.set(member.email.toLowerCase(), i);
    } else {
      issues.push({
        path: ['members', i, 'email'],
        message: `${member.email} is the root email of account ${member.id} and of account ${members[first].id} (members[${first}].email); AWS requires a unique root email per account`,
      });
    }
  });

  const core: [keyof typeof org, string][] = [
    ['managementAccountId', 'management'],
    ['logArchiveAccountId', 'log-archive'],
    ['auditAccountId', 'audit'],
  ];
  for (const [field, label] of core) {
    const id = org[field];
    if (!firstIndex.has(id)) {
      issues.push({
        path: ['organization', field],
        message: `${id} is not listed in members (every account, the ${label} account included, gets the member baseline)`,
      });
    }
  }
  // A removed account awaits the destroy of its stack: it is out of the baseline, once, and never a
  // core account (those cannot leave it).
  const removedIndex = new Map<string, number>();
  config.removedMembers.forEach((removed, i) => {
    const path = ['removedMembers', i, 'id'];
    const seen = removedIndex.get(removed.id);
    const coreRole = core.find(([field]) => org[field] === removed.id);
    if (seen !== undefined) {
      issues.push({ path, message: `duplicate account id ${removed.id} (also removedMembers[${seen}])` });
    } else {
      removedIndex.set(removed.id, i);
    }
    if (firstIndex.has(removed.id)) {
      issues.push({
        path,
        message: `account ${removed.id} is also in members (members[${firstIndex.get(removed.id)}]): keep it in one list, members to keep its baseline, removedMembers while its stack awaits destroy`,
      });
    } else if (coreRole) {
      issues.push({ path, message: `${removed.id} is the ${coreRole[1]} account (organization.${coreRole[0]}): it cannot leave the baseline` });
    }
  });
  // A destroyed account is history: its entries (one per removal, an account vended again may be
  // removed again) are in time order, each destroy recorded after its removal, and an unchecked
  // destroy says why. The same account may be in members (vended again) or removedMembers (removed again).
  const lastDestroy = new Map<string, { index: number; destroyedOn: string }>();
  config.destroyedMembers.forEach((d, i) => {
    const at = (field: string) => ['destroyedMembers', i, field];
    if (d.destroyedOn < d.removedOn) {
      issues.push({ path: at('destroyedOn'), message: `${d.destroyedOn} is before removedOn ${d.removedOn}: a stack is destroyed after its account is removed` });
    }
    if (!d.stateChecked && d.uncheckedReason === undefined) {
      issues.push({ path: at('uncheckedReason'), message: 'is required when stateChecked is false: say why the destroy was recorded though its state could not be checked' });
    } else if (d.stateChecked && d.uncheckedReason !== undefined) {
      issues.push({ path: at('uncheckedReason'), message: 'must be absent when stateChecked is true (the state was checked)' });
    }
    const before = lastDestroy.get(d.id);
    if (before && d.removedOn < before.destroyedOn) {
      issues.push({
        path: at('removedOn'),
        message: `account ${d.id} was destroyed on ${before.destroyedOn} (destroyedMembers[${before.index}]): a later entry must be removed on or after that date`,
      });
    }
    lastDestroy.set(d.id, { index: i, destroyedOn: d.destroyedOn });
  });
  config.removedMembers.forEach((removed, i) => {
    const before = lastDestroy.get(removed.id);
    if (before && removed.removedOn < before.destroyedOn) {
      issues.push({
        path: ['removedMembers', i, 'removedOn'],
        message: `account ${removed.id} was destroyed on ${before.destroyedOn} (destroyedMembers[${before.index}]): it can only have been removed again on or after that date`,
      });
    }
  });
  if (org.logArchiveAccountId === org.managementAccountId) {
    issues.push({
      path: ['organization', 'logArchiveAccountId'],
      message: 'must be a dedicated account, not the management account',
    });
  }
  if (org.auditAccountId === org.managementAccountId) {
    issues.push({
      path: ['organization', 'auditAccountId'],
      message: 'must not be the management account (delegated administration needs a separate account)',
    });
  }
  if (org.auditAccountId === org.logArchiveAccountId) {
    issues.push({
      path: ['organization', 'auditAccountId'],
      message: 'must not be the log-archive account (separation of duties: who watches is not who keeps)',
    });
  }

  const logBuckets = new Set(LOG_BUCKET_KINDS.map((kind) => logBucketName(config, kind)));
  config.trail.dataEvents.s3.forEach((arn, i) => {
    const bucket = arn.slice('arn:aws:s3:::'.length).split('/')[0];
    if (logBuckets.has(bucket)) {
      issues.push({
        path: ['trail', 'dataEvents', 's3', i],
        message: `${bucket} is a log-archive bucket: its data events would loop (every delivery logs a new event)`,
      });
    }
  });

  issues.push(...sensitiveDataIssues(config, logBuckets));

  const networkSources = config.trail.networkActivityEvents.eventSources;
  networkSources.forEach((source, i) => {
    if (networkSources.indexOf(source) !== i) issues.push({ path: ['trail', 'networkActivityEvents', 'eventSources', i], message: `${source} is listed twice` });
  });
  if (networkSources.length > 0 && config.controlTower.enabled && config.controlTower.organizationTrail === 'control-tower') {
    issues.push({
      path: ['trail', 'networkActivityEvents', 'eventSources'],
      message: "needs the baseline's organization trail: with controlTower.organizationTrail: control-tower the baseline writes no event selector",
    });
  }

  const hours = config.alerts.businessHours;
  if (hours.start === hours.end) {
    issues.push({ path: ['alerts', 'businessHours', 'end'], message: 'must differ from start (an empty working day)' });
  }
  hours.days.forEach((day, i) => {
    if (hours.days.indexOf(day) !== i) issues.push({ path: ['alerts', 'businessHours', 'days', i], message: `${day} is listed twice` });
  });

  const off = switchedOffControls(config);
  for (const [control, setting] of off) {
    if (!config.controlExceptions.some((e) => e.control === control)) {
      issues.push({
        path: ['controlExceptions'],
        message: `${setting} switches off the control ${control}: add { control: ${control}, reason: ... } to controlExceptions (the control matrix reports it as an exception, with the reason auditors ask for)`,
      });
    }
  }
  config.controlExceptions.forEach((e, i) => {
    if (!off.has(e.control)) {
      issues.push({ path: ['controlExceptions', i, 'control'], message: `${e.control} is not switched off by this config: remove the entry` });
    } else if (config.controlExceptions.findIndex((o) => o.control === e.control) !== i) {
      issues.push({ path: ['controlExceptions', i, 'control'], message: `${e.control} is listed twice` });
    }
  });

  issues.push(...investigationsIssues(config));

  const baselineRuleNames = new Set(BASELINE_CONFIG_RULE_NAMES);
  config.awsConfig.disabledRules.forEach((rule, i) => {
    if (!baselineRuleNames.has(rule.name)) {
      issues.push({
        path: ['awsConfig', 'disabledRules', i, 'name'],
        message: `${rule.name} is not a baseline rule (baseline rules: ${BASELINE_CONFIG_RULE_NAMES.join(', ')})`,
      });
    }
  });
  const ruleNames = new Set<string>();
  config.awsConfig.additionalRules.forEach((rule, i) => {
    if (baselineRuleNames.has(rule.name)) {
      issues.push({ path: ['awsConfig', 'additionalRules', i, 'name'], message: `${rule.name} is already a baseline rule` });
    } else if (ruleNames.has(rule.name)) {
      issues.push({ path: ['awsConfig', 'additionalRules', i, 'name'], message: `${rule.name} is listed twice` });
    }
    ruleNames.add(rule.name);
  });
  if (!config.controlTower.enabled && config.controlTower.organizationTrail === 'control-tower') {
    issues.push({ path: ['controlTower', 'organizationTrail'], message: '"control-tower" needs controlTower.enabled: true' });
  }
  config.controlTower.regions?.forEach((region, i) => {
    if (!governed.has(region)) {
      issues.push({ path: ['controlTower', 'regions', i], message: `${region} is not in regions.governed` });
    }
  });

  const hub = config.securityServices.securityHub;
  if (!hub.findingAggregator) {
    issues.push({
      path: ['securityServices', 'securityHub', 'findingAggregator'],
      message: 'central configuration (CENTRAL) needs a finding aggregator in the home Region: set it to true',
    });
  }
  hub.disabledControls.forEach((control, i) => {
    if (hub.disabledControls.findIndex((c) => c.id === control.id) !== i) {
      issues.push({ path: ['securityServices', 'securityHub', 'disabledControls', i, 'id'], message: `${control.id} is listed twice` });
    }
  });
  hub.policyTargets?.forEach((target, i) => {
    if (hub.policyTargets!.indexOf(target) !== i) {
      issues.push({ path: ['securityServices', 'securityHub', 'policyTargets', i], message: `${target} is listed twice` });
    }
  });
  if (config.alerts.heartbeat.alarmAfterMinutes < 2 * config.alerts.heartbeat.everyMinutes) {
    issues.push({
      path: ['alerts', 'heartbeat', 'alarmAfterMinutes'],
      message: `must be at least twice alerts.heartbeat.everyMinutes (${2 * config.alerts.heartbeat.everyMinutes}): one late heartbeat must not raise the alarm`,
    });
  }
  config.alerts.subscriptions.forEach((sub, i) => {
    if (config.alerts.subscriptions.findIndex((o) => o.protocol === sub.protocol && o.endpoint === sub.endpoint) !== i) {
      issues.push({ path: ['alerts', 'subscriptions', i], message: `${sub.protocol} ${sub.endpoint} is listed twice` });
    }
  });
  config.securityServices.macie.classificationJobs.forEach((job, i) => {
    if (!firstIndex.has(job.accountId)) {
      issues.push({
        path: ['securityServices', 'macie', 'classificationJobs', i, 'accountId'],
        message: `${job.accountId} is not listed in members (Macie scans only member accounts)`,
      });
    }
    if (!governed.has(job.region)) {
      issues.push({ path: ['securityServices', 'macie', 'classificationJobs', i, 'region'], message: `${job.region} is not in regions.governed` });
    } else {
      // The account is a Macie member only in its own Regions, and a job scans members' buckets only.
      const owner = firstIndex.has(job.accountId) ? members[firstIndex.get(job.accountId)!] : undefined;
      if (owner?.regions && !owner.regions.includes(job.region)) {
        issues.push({
          path: ['securityServices', 'macie', 'classificationJobs', i, 'region'],
          message: `${job.region} is not one of the Regions of account ${job.accountId} (members[${firstIndex.get(job.accountId)}].regions)`,
        });
      }
    }
  });

  issues.push(...guardrailsIssues(config));
  issues.push(...planRoleIssues(config));
  const r = config.retention;
  if (r.transitionToColdStorageDays >= r.logArchiveDays) {
    issues.push({
      path: ['retention', 'transitionToColdStorageDays'],
      message: `must be less than retention.logArchiveDays (${r.logArchiveDays})`,
    });
  }
  return issues;
}
