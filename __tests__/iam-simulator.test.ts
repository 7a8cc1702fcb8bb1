/**
 * The tests' simulator (iam-simulator.ts): it refuses what it cannot judge, and the AGPL packages it
 * wraps stay out of the code the baseline ships.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from './iam-simulator';

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
});
