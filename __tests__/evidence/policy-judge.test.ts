/**
 * The evidence's policy judgements, on the bucket policies the baseline synthesizes (the management
 * stack of the example org, as Terraform JSON): each passes as synthesized, and each way an admin
 * could weaken it while keeping a Deny that reads the same fails, naming a request it does not deny.
 * Policy language facts: IAM User Guide, "Policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html) and
 * "Condition operators" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html);
 * aws:SecureTransport, aws:PrincipalTag, aws:SourceIp: "AWS global condition context keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html); s3:TlsVersion:
 * "Actions, resources, and condition keys for Amazon S3" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
import { logBucketName, LOG_BUCKET_KINDS } from '../../config/naming';
import { deletionProblem, lifecycleProblems, overwriteProblem, tlsProblems } from '../../evidence/checks/log-archive';
import { deniedInEveryContext } from '../../evidence/policy-judge';
import { exampleConfig, resourcesOf, synthStack } from '../helpers';

const config = exampleConfig();
const management = synthStack(config, 'management');
/** Each log bucket's policy as synthesized: the `aws_s3_bucket_policy` whose bucket is that bucket's. */
const policies = new Map(
  LOG_BUCKET_KINDS.map((kind) => {
    const name = logBucketName(config, kind);
    const found = resourcesOf(management, 'aws_s3_bucket_policy').find(([, r]) => (JSON.parse(r.policy as string) as { Statement: { Resource: string | string[] }[] }).Statement.some((s) => [s.Resource].flat().includes(`arn:aws:s3:::${name}`)));
    if (!found) throw new Error(`no synthesized policy for ${name}`);
    return [kind, found[1].policy as string] as const;
  }),
);
type Statement = Record<string, any>;
const rewrite = (policy: string, fn: (s: Statement[]) => Statement[]) => JSON.stringify({ ...JSON.parse(policy), Statement: fn(JSON.parse(policy).Statement) });
const withSid = (sid: string, change: (s: Statement) => Statement) => (statements: Statement[]) => statements.map((s) => (s.Sid === sid ? change(s) : s));

describe('the synthesized log bucket policies pass', () => {
  test.each([...LOG_BUCKET_KINDS])('%s: TLS-only and (where there is no Object Lock) deletion denied in every context', (kind) => {
    const policy = policies.get(kind)!;
    const bucket = logBucketName(config, kind);
    expect(tlsProblems(policy, bucket, config)).toEqual([]);
    expect(deletionProblem(policy, bucket, config)).toBeUndefined();
  });
});

describe('a deletion deny that reads the same but does not hold fails', () => {
  const kind = 'config';
  const bucket = logBucketName(config, kind);
  const policy = policies.get(kind)!;
  const cases: [string, (s: Statement[]) => Statement[], RegExp][] = [
    ['a condition on a tag nobody has (never true)', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, StringEquals: { 'aws:PrincipalTag/team': 'nobody' } } })), /role\/account-admin/],
    ['a condition the admin controls (aws:SourceIp)', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, IpAddress: undefined, StringNotEquals: { 'aws:SourceIp': '203.0.113.7' } } })), /aws:sourceip=203\.0\.113\.7/],
    ['services only: aws:PrincipalIsAWSService true', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } })), /is not denied/],
    ['one role name exempted in any account', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/cleanup' } } })), /role\/cleanup/],
    ['the whole log-archive account exempted', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, StringNotEquals: { 'aws:PrincipalAccount': config.organization.logArchiveAccountId } } })), new RegExp(`${config.organization.logArchiveAccountId}`)],
    ['a principal other than everyone', withSid('DenyLogDeletion', (s) => ({ ...s, Principal: { AWS: 'arn:aws:iam::999999999999:root' } })), /is not denied/],
    ['a resource narrowed to one prefix', withSid('DenyLogDeletion', (s) => ({ ...s, Resource: `arn:aws:s3:::${bucket}/nothing/*` })), /is not denied/],
    ['one of the two actions dropped', withSid('DenyLogDeletion', (s) => ({ ...s, Action: 's3:DeleteObject' })), /s3:DeleteObjectVersion/],
    ['the statement turned into an Allow', withSid('DenyLogDeletion', (s) => ({ ...s, Effect: 'Allow' })), /is not denied/],
    ['the statement removed', (s) => s.filter((x) => x.Sid !== 'DenyLogDeletion'), /is not denied/],
  ];
  test.each(cases)('%s', (_what, change, reason) => {
    const problem = deletionProblem(rewrite(policy, change), bucket, config);
    expect(problem).toMatch(/^log objects can be deleted: s3:DeleteObject/);
    expect(problem).toMatch(reason);
  });

  test('an element the evaluator does not implement is an error (the item is ERROR), never a pass', () => {
    const notPrincipal = rewrite(policy, withSid('DenyLogDeletion', (s) => ({ ...s, Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::999999999999:root' } })));
    expect(() => deletionProblem(notPrincipal, bucket, config)).toThrow(/NotPrincipal is not supported/);
  });

  test('no policy at all is a failure', () => {
    expect(deletionProblem(undefined, bucket, config)).toBe('the bucket has no policy, so nothing denies deleting log objects');
  });
});

describe('a TLS-only deny that reads the same but does not hold fails', () => {
  const kind = 'cloudtrail';
  const bucket = logBucketName(config, kind);
  const policy = policies.get(kind)!;
  test.each<[string, (s: Statement[]) => Statement[], RegExp]>([
    // s3:GetObject stays denied to all but the log readers by DenyReadsExceptLogReaders; s3:PutObject is not.
    ['the bucket only, not its objects', withSid('DenyInsecureTransport', (s) => ({ ...s, Resource: `arn:aws:s3:::${bucket}` })), /requests without TLS are not always denied: s3:(Get|Put)Object on arn:aws:s3:::\S+\/AWSLogs\//],
    ['reads only', withSid('DenyInsecureTransport', (s) => ({ ...s, Action: 's3:GetObject' })), /requests without TLS are not always denied: s3:(PutObject|GetObjectVersion)/],
    ['TLS version 1.0 only', withSid('DenyOutdatedTls', (s) => ({ ...s, Condition: { NumericLessThan: { 's3:TlsVersion': '1.1' } } })), /requests with TLS 1\.1 are not always denied/],
    // The red team's P24: an action singled out by NotAction is tried.
    ['one action left out with NotAction', withSid('DenyInsecureTransport', (s) => ({ ...s, Action: undefined, NotAction: 's3:GetObjectTagging' })), /requests without TLS are not always denied: s3:GetObjectTagging/],
    ['Bool value "true" (never matches a plain request)', withSid('DenyInsecureTransport', (s) => ({ ...s, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })), /requests without TLS are not always denied/],
  ])('%s', (_what, change, reason) => {
    expect(tlsProblems(rewrite(policy, change), bucket, config).join('; ')).toMatch(reason);
  });
});

describe('deniedInEveryContext', () => {
  const base = { actions: ['s3:DeleteObject'], resources: ['arn:aws:s3:::b/k'], accounts: ['111122223333'], organizationId: 'o-example' };
  const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
  test('an unconditional deny to everyone holds; the count of requests evaluated is given', () => {
    const answer = deniedInEveryContext(doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }), base);
    expect(answer).toEqual({ denied: true, evaluated: 4 });
  });
  test('no Deny statement reaching the request: not denied, said so', () => {
    const answer = deniedInEveryContext(doc({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }), base);
    expect(answer).toEqual({ denied: false, evaluated: 0, counterexample: 's3:DeleteObject on arn:aws:s3:::b/k: no Deny statement of the policy reaches it, so it is not denied' });
  });
  test('a deny that holds only for requests inside the organization is avoided by none of its admins (they are all inside)', () => {
    const policy = doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-example' } } });
    expect(deniedInEveryContext(policy, base).denied).toBe(true);
  });
  test('too many requester-controlled keys to judge: throws (ERROR), never passes', () => {
    const keys = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`aws:PrincipalTag/k${i}`, ['a', 'b', 'c']]));
    expect(() => deniedInEveryContext(doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: keys } }), base)).toThrow(/too many combinations/);
  });
});

describe('lifecycle rules (S3 API reference, LifecycleRule: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html)', () => {
  const healthy = { ID: 'log-retention', Status: 'Enabled' as const, Filter: { Prefix: '' }, Expiration: { Days: 365 }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } };
  test('the baseline rule passes; a disabled early rule is ignored', () => {
    expect(lifecycleProblems([healthy], 365, 30)).toEqual([]);
    expect(lifecycleProblems([healthy, { ID: 'off', Status: 'Disabled' as const, Filter: { Prefix: '' }, Expiration: { Days: 1 } }], 365, 30)).toEqual([]);
  });
  test('an expiry on a date, an early filtered expiry (tag, size), a short noncurrent expiry, and no expiry rule at all each fail', () => {
    expect(lifecycleProblems([{ ...healthy, Expiration: { Date: new Date('2027-01-01T00:00:00Z') } }], 365, 30)).toEqual([
      'rule log-retention expires every object on the date 2027-01-01, whatever their age',
      'no enabled lifecycle rule expires every object after 365 days (retention.logArchiveDays)',
    ]);
    expect(lifecycleProblems([healthy, { ID: 't', Status: 'Enabled' as const, Filter: { And: { Tags: [{ Key: 'x', Value: 'y' }], ObjectSizeGreaterThan: 10 } }, Expiration: { Days: 2 } }], 365, 30)).toEqual([
      'rule t expires the objects with tag x=y and objects over 10 bytes after 2 days, before 365',
    ]);
    expect(lifecycleProblems([{ ...healthy, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }], 365, 30)).toEqual(['rule log-retention deletes overwritten versions of every object after 1 days, before 30']);
    expect(lifecycleProblems([], 365, 30)).toEqual(['no enabled lifecycle rule expires every object after 365 days (retention.logArchiveDays)']);
  });
});

describe('the access-log bucket denies the overwrite of log objects (s3:PutObject) to every admin', () => {
  // Without Object Lock an overwrite turns the delivered log into a noncurrent version the lifecycle expires.
  const bucket = logBucketName(config, 's3-server-logs');
  const policy = policies.get('s3-server-logs')!;
  test('as synthesized: denied in every context', () => {
    expect(overwriteProblem(policy, bucket, config)).toBeUndefined();
  });
  test.each<[string, (s: Statement[]) => Statement[], RegExp]>([
    ['the statement removed', (s) => s.filter((x) => x.Sid !== 'DenyLogOverwrite'), /log objects can be overwritten: s3:PutObject on .* by arn:aws:iam::\d+:(role\/account-admin|root)/],
    ['one role name exempted', withSid('DenyLogOverwrite', (s) => ({ ...s, Condition: { ...s.Condition, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/cleanup' } } })), /role\/cleanup/],
  ])('%s: FAIL', (_what, change, reason) => {
    expect(overwriteProblem(rewrite(policy, change), bucket, config)).toMatch(reason);
  });
});

describe('what a requester controls is varied, not fixed (review findings)', () => {
  const kind = 's3-server-logs';
  const bucket = logBucketName(config, kind);
  const policy = policies.get(kind)!;
  test.each<[string, (s: Statement[]) => Statement[], RegExp]>([
    // aws:PrincipalType, aws:userid, aws:PrincipalOrgPaths: IAM User Guide, "AWS global condition context keys".
    ['role sessions exempted (aws:PrincipalType)', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, StringNotEquals: { 'aws:PrincipalType': 'AssumedRole' } } })), /is not denied/],
    ['one session name exempted (aws:userid)', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, StringNotLike: { 'aws:userid': '*:breakglass' } } })), /aws:userid=(\*|x):breakglass/],
    ['an IAM user exempted', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/breakglass' } } })), /user\/breakglass/],
    ['federated users exempted', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:sts::*:federated-user/*' } } })), /federated-user/],
    ['an OU exempted (aws:PrincipalOrgPaths)', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, 'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': 'o-x/r-x/ou-x-security/*' } } })), /aws:principalorgpaths/],
    // The red team's P6: deletes over TLS 1.2 left open by a numeric condition the admin satisfies.
    ['deletion denied only over TLS 1.3 (s3:TlsVersion, a number the requester picks)', withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, NumericGreaterThanEquals: { 's3:TlsVersion': '1.3' } } })), /role\/account-admin.* is not denied/],
    ['the prefix where access logs land exempted (NotResource)', withSid('DenyLogDeletion', (s) => ({ ...s, Resource: undefined, NotResource: `arn:aws:s3:::${bucket}/${logBucketName(config, 'config')}/*` })), /is not denied/],
  ])('%s', (_what, change, reason) => {
    const problem = deletionProblem(rewrite(policy, change), bucket, config);
    expect(problem).toMatch(/^log objects can be deleted/);
    expect(problem).toMatch(reason);
  });

  test('a policy variable is refused (ERROR), never evaluated as a literal', () => {
    const variable = rewrite(policy, withSid('DenyLogDeletion', (s) => ({ ...s, Condition: { ...s.Condition, StringNotEquals: { 'aws:username': '${aws:username}' } } })));
    expect(() => deletionProblem(variable, bucket, config)).toThrow(/policy variable \$\{aws:username\}/);
  });
});
