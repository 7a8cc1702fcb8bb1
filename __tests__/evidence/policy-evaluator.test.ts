/**
 * The project's IAM policy evaluator, against the rules of the IAM User Guide it implements:
 * - "Policy evaluation logic": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * - "IAM JSON policy elements: Condition operators": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - "Set operators for multivalued context keys": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * - SCPs: Organizations User Guide, "Service control policies":
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
import { arnMatch, evaluate, evaluatePolicy, globMatch, type Request } from '../../evidence/policy-evaluator';

const ADMIN = 'arn:aws:iam::111122223333:role/Admin';
const role = (arn: string, context: Request['context'] = {}): Pick<Request, 'principal' | 'context'> => ({ principal: { kind: 'role', arn }, context });
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const ALLOW_ALL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const FULL_AWS_ACCESS = ALLOW_ALL;
const BUCKET = 'arn:aws:s3:::example-bucket';

function decide(statement: object, request: Partial<Request> = {}, resourceAccount = '111122223333') {
  return evaluate(
    { ...role(ADMIN), action: 's3:GetObject', resource: `${BUCKET}/key`, ...request } as Request,
    { identity: [doc(statement)], resourceAccount },
  );
}

describe('matching', () => {
  test('* matches any run of characters and ? exactly one', () => {
    expect(globMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(globMatch('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(globMatch('s3:Get?', 's3:GetObject')).toBe(false);
    expect(globMatch('acme-*', 'other-acme-x')).toBe(false);
  });

  test('actions are case-insensitive ("Action" element page); resources are not', () => {
    expect(decide({ Effect: 'Allow', Action: 'S3:getobject', Resource: '*' })).toBe('Allow');
    expect(decide({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::EXAMPLE-BUCKET/*' })).toBe('ImplicitDeny');
  });

  test('ARNs match part by part; the last part holds the rest of the ARN, colons included', () => {
    expect(arnMatch('arn:aws:logs:*:*:log-group:/acme/*', 'arn:aws:logs:us-east-1:111122223333:log-group:/acme/trail:log-stream:x')).toBe(true);
    expect(arnMatch('arn:aws:cloudtrail:*:*:trail/acme-*', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/other')).toBe(false);
    // A wildcard in one part does not spill into another.
    expect(arnMatch('arn:aws:iam::*:role/pipeline', 'arn:aws:iam::111122223333:role/pipeline')).toBe(true);
    expect(arnMatch('arn:aws:iam::*:role/pipeline', 'arn:aws:iam::111122223333:role/x/pipeline')).toBe(false);
    expect(arnMatch('*', 'anything')).toBe(true);
  });

  test('NotAction and NotResource match everything but what they list', () => {
    expect(decide({ Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: '*' })).toBe('Allow');
    expect(decide({ Effect: 'Allow', NotAction: 's3:Get*', Resource: '*' })).toBe('ImplicitDeny');
    expect(decide({ Effect: 'Allow', Action: '*', NotResource: `${BUCKET}/secret` })).toBe('Allow');
    expect(decide({ Effect: 'Allow', Action: '*', NotResource: `${BUCKET}/*` })).toBe('ImplicitDeny');
  });
});

describe('evaluation logic', () => {
  test('an explicit deny in any policy overrides every allow', () => {
    const r = { ...role(ADMIN), action: 'kms:DisableKey', resource: '*' } as Request;
    expect(evaluate(r, { identity: [ALLOW_ALL, doc({ Effect: 'Deny', Action: 'kms:*', Resource: '*' })], resourceAccount: '111122223333' })).toBe(
      'ExplicitDeny',
    );
  });

  test('without an allow, a request is implicitly denied', () => {
    expect(evaluate({ ...role(ADMIN), action: 'kms:DisableKey', resource: '*' } as Request, { resourceAccount: '111122223333' })).toBe('ImplicitDeny');
  });

  test('SCPs grant nothing: they bound identity policies, and a deny in any of them wins', () => {
    const r = { ...role(ADMIN), action: 's3:PutBucketPolicy', resource: BUCKET } as Request;
    const base = { identity: [ALLOW_ALL], resourceAccount: '111122223333' };
    expect(evaluate(r, { ...base, scps: [FULL_AWS_ACCESS] })).toBe('Allow');
    expect(evaluate(r, { ...base, scps: [doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })] })).toBe('ImplicitDeny');
    expect(evaluate(r, { ...base, scps: [FULL_AWS_ACCESS, doc({ Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: '*' })] })).toBe('ExplicitDeny');
    expect(evaluate({ ...r, action: 's3:PutBucketPolicy' }, { resourceAccount: '111122223333', scps: [FULL_AWS_ACCESS] })).toBe('ImplicitDeny');
  });

  test('SCPs do not restrict service-linked roles or AWS service principals', () => {
    const denyAll = doc({ Effect: 'Deny', Action: '*', Resource: '*' });
    const slr = { principal: { kind: 'role', arn: 'arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig', serviceLinked: true }, action: 'config:PutEvaluations', resource: '*' } as Request;
    expect(evaluate(slr, { scps: [denyAll], identity: [ALLOW_ALL], resourceAccount: '111122223333' })).toBe('Allow');
    const service = { principal: { kind: 'service', service: 'cloudtrail.amazonaws.com' }, action: 's3:PutObject', resource: `${BUCKET}/x` } as Request;
    const bucketPolicy = doc({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `${BUCKET}/*` });
    expect(evaluate(service, { scps: [denyAll], resource: bucketPolicy, resourceAccount: '111122223333' })).toBe('Allow');
  });

  test('same account: an identity or a resource policy suffices, but a resource policy naming the account only delegates to IAM', () => {
    const r = { ...role(ADMIN), action: 's3:GetObject', resource: `${BUCKET}/x` } as Request;
    const direct = doc({ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 's3:GetObject', Resource: `${BUCKET}/*` });
    const account = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: `${BUCKET}/*` });
    expect(evaluate(r, { resource: direct, resourceAccount: '111122223333' })).toBe('Allow');
    expect(evaluate(r, { resource: account, resourceAccount: '111122223333' })).toBe('ImplicitDeny');
    expect(evaluate(r, { identity: [ALLOW_ALL], resource: account, resourceAccount: '111122223333' })).toBe('Allow');
  });

  test('across accounts both sides must allow', () => {
    const r = { ...role(ADMIN), action: 's3:GetObject', resource: `${BUCKET}/x` } as Request;
    const direct = doc({ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 's3:GetObject', Resource: `${BUCKET}/*` });
    expect(evaluate(r, { resource: direct, resourceAccount: '444455556666' })).toBe('ImplicitDeny');
    expect(evaluate(r, { identity: [ALLOW_ALL], resourceAccount: '444455556666' })).toBe('ImplicitDeny');
    expect(evaluate(r, { identity: [ALLOW_ALL], resource: direct, resourceAccount: '444455556666' })).toBe('Allow');
  });

  test('KMS: the key policy must allow, directly or by delegating to the account, whose IAM must then allow too', () => {
    const r = { ...role(ADMIN), action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:111122223333:key/abc' } as Request;
    const delegate = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' });
    const noGrant = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/Other' }, Action: 'kms:*', Resource: '*' });
    const kms = { resourceAccount: '111122223333', resourceModel: 'kms' as const };
    expect(evaluate(r, { ...kms, resource: delegate, identity: [ALLOW_ALL] })).toBe('Allow');
    expect(evaluate(r, { ...kms, resource: delegate })).toBe('ImplicitDeny');
    expect(evaluate(r, { ...kms, resource: noGrant, identity: [ALLOW_ALL] })).toBe('ImplicitDeny');
    // The root user is the account principal itself.
    expect(evaluate({ ...r, principal: { kind: 'root', accountId: '111122223333' } }, { ...kms, resource: delegate })).toBe('Allow');
  });

  test('a Deny to Principal "*" applies to roles, the root user and service principals alike', () => {
    const deny = doc({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' });
    for (const principal of [{ kind: 'role', arn: ADMIN }, { kind: 'root', accountId: '111122223333' }, { kind: 'service', service: 'logging.s3.amazonaws.com' }] as const) {
      expect(evaluatePolicy(deny, { principal, action: 's3:PutObject', resource: `${BUCKET}/x` }).deny).toBe(true);
    }
  });
});

describe('condition operators', () => {
  const allowIf = (Condition: object) => ({ Effect: 'Allow', Action: '*', Resource: '*', Condition });
  const withContext = (context: Request['context']) => ({ context });

  test('String and Arn operators, with several values as alternatives', () => {
    expect(decide(allowIf({ StringEquals: { 'aws:SourceAccount': ['1', '2'] } }), withContext({ 'aws:SourceAccount': '2' }))).toBe('Allow');
    expect(decide(allowIf({ StringEquals: { 'aws:SourceAccount': '1' } }), withContext({ 'aws:SourceAccount': '2' }))).toBe('ImplicitDeny');
    expect(decide(allowIf({ StringLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:*:trail/acme-*' } }), withContext({ 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:1:trail/acme-org' }))).toBe('Allow');
    expect(decide(allowIf({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } }))).toBe('Allow');
    expect(decide(allowIf({ ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/Admin', 'arn:aws:iam::*:role/Other'] } }))).toBe('ImplicitDeny');
    expect(decide(allowIf({ StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Other' } }))).toBe('Allow');
  });

  test('condition key names are case-insensitive', () => {
    expect(decide(allowIf({ ArnLike: { 'AWS:PRINCIPALARN': 'arn:aws:iam::*:role/Admin' } }))).toBe('Allow');
  });

  test('an absent key fails a positive operator and satisfies a negated one; ...IfExists passes it', () => {
    expect(decide(allowIf({ StringEquals: { 'aws:SourceAccount': '1' } }))).toBe('ImplicitDeny');
    expect(decide(allowIf({ StringNotEquals: { 'aws:SourceAccount': '1' } }))).toBe('Allow');
    expect(decide(allowIf({ StringEqualsIfExists: { 'aws:SourceAccount': '1' } }))).toBe('Allow');
    // The case that matters for the guardrails: a service principal's call has no aws:PrincipalArn,
    // so ArnNotLike on it alone is true and a Deny would reach the service.
    const denyUnlessPipeline = doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/pipeline' } } });
    expect(evaluatePolicy(denyUnlessPipeline, { principal: { kind: 'service', service: 'cloudtrail.amazonaws.com' }, action: 's3:PutObject', resource: '*' }).deny).toBe(true);
    const andNotService = doc({
      Effect: 'Deny',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/pipeline' }, Bool: { 'aws:PrincipalIsAWSService': 'false' } },
    });
    expect(evaluatePolicy(andNotService, { principal: { kind: 'service', service: 'cloudtrail.amazonaws.com' }, action: 's3:PutObject', resource: '*' }).deny).toBe(false);
  });

  test('Bool, Null and Numeric operators', () => {
    expect(decide(allowIf({ Bool: { 'aws:SecureTransport': 'true' } }), withContext({ 'aws:SecureTransport': true }))).toBe('Allow');
    expect(decide(allowIf({ Bool: { 'aws:SecureTransport': 'true' } }), withContext({ 'aws:SecureTransport': false }))).toBe('ImplicitDeny');
    expect(decide(allowIf({ Null: { 'aws:SourceAccount': 'true' } }))).toBe('Allow');
    expect(decide(allowIf({ Null: { 'aws:SourceAccount': 'false' } }))).toBe('ImplicitDeny');
    expect(decide(allowIf({ NumericLessThan: { 's3:TlsVersion': '1.2' } }), withContext({ 's3:TlsVersion': '1.1' }))).toBe('Allow');
    expect(decide(allowIf({ NumericLessThan: { 's3:TlsVersion': '1.2' } }), withContext({ 's3:TlsVersion': '1.3' }))).toBe('ImplicitDeny');
  });

  test('several operators, and several keys under one, must all hold', () => {
    const both = allowIf({ StringEquals: { 'aws:SourceAccount': '1', 'aws:SourceOrgID': 'o-1' }, Bool: { 'aws:SecureTransport': 'true' } });
    expect(decide(both, withContext({ 'aws:SourceAccount': '1', 'aws:SourceOrgID': 'o-1', 'aws:SecureTransport': true }))).toBe('Allow');
    expect(decide(both, withContext({ 'aws:SourceAccount': '1', 'aws:SecureTransport': true }))).toBe('ImplicitDeny');
  });

  test('ForAnyValue and ForAllValues over multivalued keys', () => {
    const any = allowIf({ 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/acme/*' } });
    expect(decide(any, withContext({ 'kms:ResourceAliases': ['alias/other', 'alias/acme/cloudtrail'] }))).toBe('Allow');
    expect(decide(any, withContext({ 'kms:ResourceAliases': ['alias/other'] }))).toBe('ImplicitDeny');
    expect(decide(any)).toBe('ImplicitDeny'); // absent: ForAnyValue is false
    const all = allowIf({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } });
    expect(decide(all, withContext({ 'aws:TagKeys': ['a'] }))).toBe('Allow');
    expect(decide(all, withContext({ 'aws:TagKeys': ['a', 'c'] }))).toBe('ImplicitDeny');
    expect(decide(all)).toBe('Allow'); // absent: ForAllValues is true
    expect(() => decide(allowIf({ StringEquals: { 'aws:TagKeys': 'a' } }), withContext({ 'aws:TagKeys': ['a', 'b'] }))).toThrow(/multivalued/);
  });

  test('an operator it does not implement is an error, never a guess', () => {
    expect(() => decide(allowIf({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), withContext({ 'aws:SourceIp': '10.1.1.1' }))).toThrow(/unsupported condition operator IpAddress/);
  });
});
