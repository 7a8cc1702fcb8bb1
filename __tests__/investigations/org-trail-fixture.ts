/**
 * Two accounts, two Regions, one window that crosses a month: the organization trail's records the
 * investigations are run on. Records are shaped as CloudTrail documents them (CloudTrail User Guide,
 * "CloudTrail record contents for management, data, and network activity events":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html;
 * "CloudTrail userIdentity element":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html;
 * "AWS Management Console sign-in events":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).
 * Event ids are readable names instead of UUIDs, so the expected rows say which record they are.
 *
 * The organization as the tables project it (`FIXTURE_ORG`): the management account is a member, the
 * workload account was removed from the baseline (its logs stay), and only eu-west-1 is governed, so
 * the IAM, STS and sign-in records, which CloudTrail files under us-east-1, are in an ungoverned Region.
 *
 * Every record inside the window also has three copies outside it, which no investigation may return:
 * `<id>~before` one second before `from` (in the window's first day folder), `<id>~at-to` at `to`
 * (exclusive) in the last day folder, and `<id>~wrong-day` with its own in-window `eventTime` but in a
 * day folder two days after the window's last day (a partition the query must not read: it reads one
 * day past the window, for late deliveries).
 */
import type { LogFile } from './cloudtrail-files';

export const ORG_ID = 'o-aa111bb222';
export const MANAGEMENT = '111122223333';
export const WORKLOAD = '444455556666';

/** The window: Friday 2026-10-30 20:00 UTC to Sunday 2026-11-01 06:00 UTC. */
export const WINDOW = {
  from: new Date('2026-10-30T20:00:00Z'),
  to: new Date('2026-11-01T06:00:00Z'),
};

/** Night shift at UTC-05:00: Mon-Fri 22:00 to 06:00 the next morning (wraps past midnight). */
export const BUSINESS_HOURS = {
  days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as ('Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri')[],
  start: '22:00',
  end: '06:00',
  utcOffset: '-05:00',
};

export const BREAK_GLASS_ROLE = 'example-break-glass';

/** What `projectedAccountIds` and `projectedRegions` read: the workload account removed, us-east-1 not governed. */
export const FIXTURE_ORG = {
  members: [{ id: MANAGEMENT }],
  removedMembers: [{ id: WORKLOAD }],
  destroyedMembers: [],
  regions: { governed: ['eu-west-1'], additionalKnownRegions: [] },
};

/** An IAM Identity Center user id (a UUID after a 10-hex-digit prefix, as IdentityCenterPrincipal.userId). */
export const IDENTITY_CENTER_USER_ID = '9067642ac7-906ae9bd-5071-70d0-5e6c-2c3f1e0b7a11';

/** The access key of the privileged root session opened with sts:AssumeRoot. */
export const ROOT_SESSION_KEY = 'ASIAEXAMPLEROOTSES01';

const alice = {
  type: 'IAMUser',
  principalId: 'AIDAJ45Q7YFFAREXAMPLE',
  arn: `arn:aws:iam::${MANAGEMENT}:user/alice`,
  accountId: MANAGEMENT,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  userName: 'alice',
};
const aliceConsole = {
  type: 'IAMUser',
  principalId: 'AIDAJ45Q7YFFAREXAMPLE',
  arn: `arn:aws:iam::${MANAGEMENT}:user/alice`,
  accountId: MANAGEMENT,
  userName: 'alice',
};
const adminSession = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEADMIN00001:bob',
  arn: `arn:aws:sts::${WORKLOAD}:assumed-role/example-admin/bob`,
  accountId: WORKLOAD,
  accessKeyId: 'ASIAEXAMPLEADMIN0001',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLEADMIN00001',
      arn: `arn:aws:iam::${WORKLOAD}:role/example-admin`,
      accountId: WORKLOAD,
      userName: 'example-admin',
    },
    webIdFederationData: {},
    attributes: {
      creationDate: '2026-10-30T20:30:00Z',
      mfaAuthenticated: 'true',
    },
  },
};
const breakGlassSession = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEBREAKGLASS:carol',
  arn: `arn:aws:sts::${WORKLOAD}:assumed-role/${BREAK_GLASS_ROLE}/carol`,
  accountId: WORKLOAD,
  accessKeyId: 'ASIAEXAMPLEBREAKGL01',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLEBREAKGLASS',
      arn: `arn:aws:iam::${WORKLOAD}:role/${BREAK_GLASS_ROLE}`,
      accountId: WORKLOAD,
      userName: BREAK_GLASS_ROLE,
    },
    attributes: {
      creationDate: '2026-10-31T20:00:00Z',
      mfaAuthenticated: 'true',
    },
  },
};
const carol = {
  type: 'IAMUser',
  principalId: 'AIDACAROLEXAMPLE0001',
  arn: `arn:aws:iam::${MANAGEMENT}:user/carol`,
  accountId: MANAGEMENT,
  accessKeyId: 'AKIACAROLEXAMPLE0001',
  userName: 'carol',
};
const root = {
  type: 'Root',
  principalId: WORKLOAD,
  arn: `arn:aws:iam::${WORKLOAD}:root`,
  accountId: WORKLOAD,
};
// IAM User Guide, "Track privileged tasks in AWS CloudTrail": the AssumeRoot caller is a role session of
// the management account; the session it opens acts as the member account's root user, with its key.
const rootAccessAdmin = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEROOTADMIN1:dave',
  arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/example-root-access/dave`,
  accountId: MANAGEMENT,
  accessKeyId: 'ASIAEXAMPLEROOTADM01',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLEROOTADMIN1',
      arn: `arn:aws:iam::${MANAGEMENT}:role/example-root-access`,
      accountId: MANAGEMENT,
      userName: 'example-root-access',
    },
    attributes: { creationDate: '2026-10-31T21:00:00Z', mfaAuthenticated: 'true' },
  },
};
const rootSession = { ...root, accessKeyId: ROOT_SESSION_KEY };
const analystSession = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEANALYST001:erin',
  arn: `arn:aws:sts::${WORKLOAD}:assumed-role/example-analyst/erin`,
  accountId: WORKLOAD,
  accessKeyId: 'ASIAEXAMPLEANALYST01',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLEANALYST001',
      arn: `arn:aws:iam::${WORKLOAD}:role/example-analyst`,
      accountId: WORKLOAD,
      userName: 'example-analyst',
    },
    attributes: { creationDate: '2026-10-31T22:00:00Z', mfaAuthenticated: 'true' },
  },
};
// CloudTrail userIdentity element, "userIdentity for requests made on behalf of an IAM Identity Center user".
const identityCenterUser = {
  type: 'IdentityCenterUser',
  accountId: WORKLOAD,
  onBehalfOf: {
    userId: IDENTITY_CENTER_USER_ID,
    identityStoreArn: `arn:aws:identitystore::${MANAGEMENT}:identitystore/d-9067642ac7`,
  },
  credentialId: 'EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWREXAMPLE',
};

// CloudTrail record contents, network activity event example: a caller of another account, by account.
const outsiderAccount = { type: 'AWSAccount', principalId: 'AIDAEXAMPLEOUTSIDER01', accountId: '777788889999' };
export const KMS_ENDPOINT = 'vpce-0a1b2c3d4e5f60718';
export const S3_ENDPOINT = 'vpce-0f9e8d7c6b5a40312';

interface Event {
  readonly id: string;
  readonly time: string;
  readonly account: string;
  readonly region: string;
  readonly identity: Record<string, unknown>;
  readonly source: string;
  readonly name: string;
  readonly request?: Record<string, unknown>;
  readonly response?: Record<string, unknown>;
  readonly additional?: Record<string, unknown>;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly resources?: readonly {
    ARN: string;
    accountId: string;
    type: string;
  }[];
  /** The day folder the record is delivered in, when not the day of `time` (a late delivery). */
  readonly deliveredAt?: string;
  /** A network activity event: the call went through this VPC endpoint, from this (private) address. */
  readonly network?: { readonly vpcEndpointId: string; readonly vpcEndpointAccountId: string; readonly sourceIp: string };
}

function record(e: Event, id = e.id, time = e.time): Record<string, unknown> {
  if (e.network) return networkActivityRecord(e, e.network, id, time);
  return {
    eventVersion: '1.11',
    userIdentity: e.identity,
    eventTime: time,
    eventSource: e.source,
    eventName: e.name,
    awsRegion: e.region,
    sourceIPAddress: e.identity.type === 'Root' ? '198.51.100.7' : '203.0.113.10',
    userAgent: 'aws-cli/2.17.0 Python/3.12.6 Linux/6.1 exe/x86_64.amzn.2023',
    ...(e.errorCode
      ? {
          errorCode: e.errorCode,
          errorMessage: e.errorMessage ?? `User is not authorized to perform ${e.name}`,
        }
      : {}),
    ...(e.errorMessage && !e.errorCode ? { errorMessage: e.errorMessage } : {}),
    requestParameters: e.request ?? null,
    responseElements: e.response ?? null,
    ...(e.additional ? { additionalEventData: e.additional } : {}),
    requestID: `req-${id}`,
    eventID: id,
    readOnly: /^(Describe|Get|List)/.test(e.name),
    ...(e.resources ? { resources: e.resources } : {}),
    eventType: e.name === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: e.account,
    eventCategory: 'Management',
    ...(e.name === 'ConsoleLogin'
      ? {}
      : {
          tlsDetails: {
            tlsVersion: 'TLSv1.3',
            cipherSuite: 'TLS_AES_128_GCM_SHA256',
            clientProvidedHostHeader: `${e.source.split('.')[0]}.${e.region}.amazonaws.com`,
          },
        }),
  };
}

/**
 * A network activity event as the record contents page's example shows it: `eventType` `AwsVpceEvent`,
 * `eventCategory` `NetworkActivity`, the endpoint and its owner (the recipient), no request parameters.
 */
function networkActivityRecord(e: Event, network: NonNullable<Event['network']>, id: string, time: string): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: e.identity,
    eventTime: time,
    eventSource: e.source,
    eventName: e.name,
    awsRegion: e.region,
    sourceIPAddress: network.sourceIp,
    ...(e.errorCode ? { errorCode: e.errorCode, errorMessage: e.errorMessage } : {}),
    requestID: `req-${id}`,
    eventID: id,
    eventType: 'AwsVpceEvent',
    recipientAccountId: e.account,
    sharedEventID: `shared-${id}`,
    vpcEndpointId: network.vpcEndpointId,
    vpcEndpointAccountId: network.vpcEndpointAccountId,
    eventCategory: 'NetworkActivity',
  };
}

const signIn = (id: string, time: string, identity: Record<string, unknown>, outcome: 'Success' | 'Failure'): Event => ({
  id,
  time,
  account: identity.accountId as string,
  region: 'us-east-1',
  identity,
  source: 'signin.amazonaws.com',
  name: 'ConsoleLogin',
  response: { ConsoleLogin: outcome },
  additional: {
    LoginTo: 'https://console.aws.amazon.com/console/home',
    MobileVersion: 'No',
    MFAUsed: outcome === 'Success' ? 'Yes' : 'No',
  },
  ...(outcome === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
});

/** The records inside the window. */
export const EVENTS: readonly Event[] = [
  // Sign-ins, local time UTC-05:00. Fri 23:00: inside. Sat 05:30: inside (Friday's shift wraps past midnight).
  signIn('signin-fri-2300-local', '2026-10-31T04:00:00Z', aliceConsole, 'Success'),
  signIn('signin-sat-0530-local', '2026-10-31T10:30:00Z', aliceConsole, 'Success'),
  // Sat 06:30 local: outside, failed. Sat 08:00: the root user. Sat 22:30 local (Sunday in UTC): outside.
  signIn('signin-sat-0630-local-failed', '2026-10-31T11:30:00Z', aliceConsole, 'Failure'),
  signIn('root-signin-sat-0800-local', '2026-10-31T13:00:00Z', root, 'Success'),
  signIn('signin-sat-2230-local', '2026-11-01T03:30:00Z', aliceConsole, 'Success'),
  {
    id: 'sg-ingress-opened',
    time: '2026-10-31T15:00:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: adminSession,
    source: 'ec2.amazonaws.com',
    name: 'AuthorizeSecurityGroupIngress',
    request: {
      groupId: 'sg-0123456789abcdef0',
      ipPermissions: {
        items: [
          {
            ipProtocol: 'tcp',
            fromPort: 22,
            toPort: 22,
            ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] },
          },
        ],
      },
    },
    response: { _return: true },
  },
  {
    id: 'org-create-policy',
    time: '2026-10-31T16:00:00Z',
    account: MANAGEMENT,
    region: 'us-east-1',
    identity: alice,
    source: 'organizations.amazonaws.com',
    name: 'CreatePolicy',
    request: {
      name: 'deny-leave',
      type: 'SERVICE_CONTROL_POLICY',
      content: '{}',
    },
    response: { policy: { policySummary: { id: 'p-examplepolicyid111' } } },
  },
  {
    id: 'ec2-describe-denied-1',
    time: '2026-10-31T17:00:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: alice,
    source: 'ec2.amazonaws.com',
    name: 'DescribeInstances',
    errorCode: 'Client.UnauthorizedOperation',
    errorMessage: 'You are not authorized to perform this operation.',
  },
  {
    id: 'ec2-describe-denied-2',
    time: '2026-10-31T17:05:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: alice,
    source: 'ec2.amazonaws.com',
    name: 'DescribeInstances',
    errorCode: 'Client.UnauthorizedOperation',
    errorMessage: 'You are not authorized to perform this operation.',
  },
  {
    id: 'ec2-throttled',
    time: '2026-10-31T17:10:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: alice,
    source: 'ec2.amazonaws.com',
    name: 'DescribeInstances',
    errorCode: 'Client.RequestLimitExceeded',
    errorMessage: 'Request limit exceeded.',
  },
  {
    id: 'flow-logs-deleted',
    time: '2026-10-31T18:00:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: adminSession,
    source: 'ec2.amazonaws.com',
    name: 'DeleteFlowLogs',
    request: {
      DeleteFlowLogsRequest: {
        FlowLogId: { tag: 1, content: 'fl-0123456789abcdef0' },
      },
    },
    response: { DeleteFlowLogsResponse: { unsuccessful: '' } },
  },
  {
    id: 'log-bucket-lifecycle',
    time: '2026-10-31T19:00:00Z',
    account: MANAGEMENT,
    region: 'us-east-1',
    identity: alice,
    source: 's3.amazonaws.com',
    name: 'PutBucketLifecycle',
    request: {
      bucketName: 'example-log-archive',
      Host: 'example-log-archive.s3.us-east-1.amazonaws.com',
      lifecycle: '',
    },
    resources: [
      {
        ARN: 'arn:aws:s3:::example-log-archive',
        accountId: MANAGEMENT,
        type: 'AWS::S3::Bucket',
      },
    ],
  },
  {
    id: 'other-bucket-created',
    time: '2026-10-31T19:30:00Z',
    account: MANAGEMENT,
    region: 'us-east-1',
    identity: alice,
    source: 's3.amazonaws.com',
    name: 'CreateBucket',
    request: {
      bucketName: 'example-log-archive-2',
      Host: 'example-log-archive-2.s3.us-east-1.amazonaws.com',
    },
    resources: [
      {
        ARN: 'arn:aws:s3:::example-log-archive-2',
        accountId: MANAGEMENT,
        type: 'AWS::S3::Bucket',
      },
    ],
  },
  {
    id: 'trail-started',
    time: '2026-10-31T19:45:00Z',
    account: WORKLOAD,
    region: 'us-east-1',
    identity: adminSession,
    source: 'cloudtrail.amazonaws.com',
    name: 'StartLogging',
    request: {
      name: `arn:aws:cloudtrail:us-east-1:${WORKLOAD}:trail/example-org`,
    },
  },
  {
    id: 'break-glass-assumed',
    time: '2026-10-31T20:00:00Z',
    account: WORKLOAD,
    region: 'us-east-1',
    identity: carol,
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    request: {
      roleArn: `arn:aws:iam::${WORKLOAD}:role/${BREAK_GLASS_ROLE}`,
      roleSessionName: 'carol',
      durationSeconds: 3600,
    },
    response: {
      credentials: {
        accessKeyId: 'ASIAEXAMPLEBREAKGL01',
        sessionToken: 'EXAMPLE',
        expiration: 'Oct 31, 2026, 9:00:00 PM',
      },
      assumedRoleUser: {
        assumedRoleId: 'AROAEXAMPLEBREAKGLASS:carol',
        arn: `arn:aws:sts::${WORKLOAD}:assumed-role/${BREAK_GLASS_ROLE}/carol`,
      },
    },
    resources: [
      {
        ARN: `arn:aws:iam::${WORKLOAD}:role/${BREAK_GLASS_ROLE}`,
        accountId: WORKLOAD,
        type: 'AWS::IAM::Role',
      },
    ],
  },
  {
    id: 'admin-assumed',
    time: '2026-10-30T20:30:00Z',
    account: WORKLOAD,
    region: 'us-east-1',
    identity: carol,
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    request: {
      roleArn: `arn:aws:iam::${WORKLOAD}:role/example-admin`,
      roleSessionName: 'bob',
    },
    response: {
      assumedRoleUser: {
        assumedRoleId: 'AROAEXAMPLEADMIN00001:bob',
        arn: `arn:aws:sts::${WORKLOAD}:assumed-role/example-admin/bob`,
      },
    },
  },
  {
    id: 'break-glass-detach',
    time: '2026-10-31T20:10:00Z',
    account: WORKLOAD,
    region: 'us-east-1',
    identity: breakGlassSession,
    source: 'iam.amazonaws.com',
    name: 'DetachRolePolicy',
    request: {
      roleName: 'app-role',
      policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    },
  },
  {
    // Late on the 31st, delivered in the 1 November folder: the window's last day partition holds it.
    id: 'inline-policy-put-late-delivery',
    time: '2026-10-31T23:58:00Z',
    deliveredAt: '2026-11-01T00:03',
    account: WORKLOAD,
    region: 'us-east-1',
    identity: adminSession,
    source: 'iam.amazonaws.com',
    name: 'PutRolePolicy',
    request: {
      roleName: 'app-role',
      policyName: 'inline',
      policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    },
  },
  {
    id: 'secret-denied',
    time: '2026-11-01T01:00:00Z',
    account: WORKLOAD,
    region: 'us-east-1',
    identity: adminSession,
    source: 'secretsmanager.amazonaws.com',
    name: 'GetSecretValue',
    errorCode: 'AccessDenied',
    request: { secretId: 'prod/db' },
  },
  {
    id: 'trail-stop-denied',
    time: '2026-11-01T02:00:00Z',
    account: WORKLOAD,
    region: 'us-east-1',
    identity: adminSession,
    source: 'cloudtrail.amazonaws.com',
    name: 'StopLogging',
    errorCode: 'AccessDenied',
    errorMessage: `User: arn:aws:sts::${WORKLOAD}:assumed-role/example-admin/bob is not authorized to perform: cloudtrail:StopLogging with an explicit deny in a service control policy`,
    request: {
      name: `arn:aws:cloudtrail:us-east-1:${WORKLOAD}:trail/example-org`,
    },
  },
  {
    // CreateSecurityGroup returns the new group's id: only responseElements names it.
    id: 'sg-created',
    time: '2026-10-31T14:00:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: adminSession,
    source: 'ec2.amazonaws.com',
    name: 'CreateSecurityGroup',
    request: { groupName: 'web', groupDescription: 'web servers', vpcId: 'vpc-0123456789abcdef0' },
    response: { requestId: 'req-sg-created', _return: true, groupId: 'sg-0fedcba9876543210' },
  },
  {
    // KMS API Reference, DisableKey (KeyId); delivered 22 hours late, in the folder of the day after the window.
    id: 'log-key-disabled-late-delivery',
    time: '2026-11-01T05:30:00Z',
    deliveredAt: '2026-11-02T03:30',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: adminSession,
    source: 'kms.amazonaws.com',
    name: 'DisableKey',
    request: { keyId: `arn:aws:kms:eu-west-1:${WORKLOAD}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
  },
  {
    // Organizations API Reference, LeaveOrganization (no parameters); the guardrails' SCP refuses it.
    id: 'leave-organization-denied',
    time: '2026-11-01T03:00:00Z',
    account: WORKLOAD,
    region: 'us-east-1',
    identity: adminSession,
    source: 'organizations.amazonaws.com',
    name: 'LeaveOrganization',
    errorCode: 'AccessDenied',
    errorMessage: `You don't have permissions to access this resource.`,
  },
  {
    // STS API Reference, AssumeRoot; a Regional endpoint only ("The global endpoint is not supported").
    id: 'root-session-opened',
    time: '2026-10-31T21:05:00Z',
    account: MANAGEMENT,
    region: 'eu-west-1',
    identity: rootAccessAdmin,
    source: 'sts.amazonaws.com',
    name: 'AssumeRoot',
    request: { targetPrincipal: WORKLOAD, taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' } },
    response: { credentials: { accessKeyId: ROOT_SESSION_KEY, sessionToken: 'EXAMPLE', expiration: 'Oct 31, 2026, 9:20:00 PM' } },
  },
  {
    id: 'root-session-bucket-policy-deleted',
    time: '2026-10-31T21:08:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: rootSession,
    source: 's3.amazonaws.com',
    name: 'DeleteBucketPolicy',
    request: { bucketName: 'example-locked-bucket', Host: 'example-locked-bucket.s3.eu-west-1.amazonaws.com', policy: '' },
  },
  {
    // Organizations API Reference, DetachPolicy (PolicyId, TargetId): an SCP taken off the workload account,
    // from the management account, where no SCP applies.
    id: 'org-policy-detached',
    time: '2026-10-31T21:30:00Z',
    account: MANAGEMENT,
    region: 'us-east-1',
    identity: rootAccessAdmin,
    source: 'organizations.amazonaws.com',
    name: 'DetachPolicy',
    request: { policyId: 'p-examplepolicyid111', targetId: WORKLOAD },
  },
  {
    // Security Hub API Reference, BatchUpdateFindings (FindingIdentifiers, Workflow.Status, Note): a finding suppressed by hand.
    id: 'securityhub-finding-suppressed',
    time: '2026-10-31T22:30:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: analystSession,
    source: 'securityhub.amazonaws.com',
    name: 'BatchUpdateFindings',
    request: {
      findingIdentifiers: [{ id: 'example-finding-1', productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty' }],
      workflow: { status: 'SUPPRESSED' },
      note: { text: 'accepted risk', updatedBy: 'erin' },
    },
    response: { processedFindings: [{ id: 'example-finding-1', productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty' }], unprocessedFindings: [] },
  },
  {
    // Network activity events (trail.networkActivityEvents): a caller from outside the organization refused
    // twice by the workload account's KMS endpoint policy, as in the record contents page's example.
    id: 'vpce-kms-denied-outsider-1',
    time: '2026-10-31T10:00:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: outsiderAccount,
    source: 'kms.amazonaws.com',
    name: 'ListKeys',
    errorCode: 'VpceAccessDenied',
    errorMessage: 'The request was denied due to a VPC endpoint policy',
    network: { vpcEndpointId: KMS_ENDPOINT, vpcEndpointAccountId: WORKLOAD, sourceIp: '10.0.1.25' },
  },
  {
    id: 'vpce-kms-denied-outsider-2',
    time: '2026-10-31T10:02:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: outsiderAccount,
    source: 'kms.amazonaws.com',
    name: 'ListKeys',
    errorCode: 'VpceAccessDenied',
    errorMessage: 'The request was denied due to a VPC endpoint policy',
    network: { vpcEndpointId: KMS_ENDPOINT, vpcEndpointAccountId: WORKLOAD, sourceIp: '10.0.1.25' },
  },
  {
    // A role of the organization refused by the S3 endpoint's policy (a bucket outside the perimeter).
    id: 'vpce-s3-denied-analyst',
    time: '2026-10-31T23:10:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: analystSession,
    source: 's3.amazonaws.com',
    name: 'PutObject',
    errorCode: 'VpceAccessDenied',
    errorMessage: 'The request was denied due to a VPC endpoint policy',
    network: { vpcEndpointId: S3_ENDPOINT, vpcEndpointAccountId: WORKLOAD, sourceIp: '10.0.2.40' },
  },
  {
    // Allowed through the same endpoint: a network activity event, but no denial.
    id: 'vpce-s3-allowed-analyst',
    time: '2026-10-31T23:12:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: analystSession,
    source: 's3.amazonaws.com',
    name: 'GetObject',
    network: { vpcEndpointId: S3_ENDPOINT, vpcEndpointAccountId: WORKLOAD, sourceIp: '10.0.2.40' },
  },
  {
    id: 'identity-center-user-call',
    time: '2026-10-31T22:00:00Z',
    account: WORKLOAD,
    region: 'eu-west-1',
    identity: identityCenterUser,
    source: 'sso.amazonaws.com',
    name: 'ListInstances',
  },
];

const minute = (iso: string) => iso.slice(0, 16);

/** The log files: each record in its delivery folder, plus its three copies outside the window. */
export function logFiles(): LogFile[] {
  const files: LogFile[] = [];
  const before = new Date(WINDOW.from.getTime() - 1000).toISOString().replace('.000', '');
  const atTo = WINDOW.to.toISOString().replace('.000', '');
  for (const e of EVENTS) {
    const base = { orgId: ORG_ID, account: e.account, region: e.region };
    files.push({
      ...base,
      deliveredAt: e.deliveredAt ?? minute(new Date(new Date(e.time).getTime() + 5 * 60_000).toISOString()),
      records: [record(e)],
    });
    files.push({
      ...base,
      deliveredAt: minute(WINDOW.from.toISOString()),
      records: [record(e, `${e.id}~before`, before)],
    });
    files.push({
      ...base,
      deliveredAt: minute(new Date(WINDOW.to.getTime() + 4 * 60_000).toISOString()),
      records: [record(e, `${e.id}~at-to`, atTo)],
    });
    files.push({
      ...base,
      deliveredAt: '2026-11-03T00:05',
      records: [record(e, `${e.id}~wrong-day`)],
    });
  }
  return files;
}

/** Whether an event id is one of the copies outside the window. */
export const isOutsideCopy = (id: string) => id.includes('~');
