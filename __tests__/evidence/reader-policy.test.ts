/**
 * The evidence reader role's template (evidence/reader-policy.ts) follows the code: every AWS SDK
 * command the collector imports is granted (or named as a call of the log reader role or the caller),
 * nothing is granted that the collector does not call, and every grant only reads.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { actionsOf, COLLECTOR_CALLS, readerPermissionsPolicy, readerTrustPolicy } from '../../evidence/reader-policy';
import { REPO_ROOT } from '../helpers';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : entry.endsWith('.ts') ? [path] : [];
  });
}

/** `client-<service>:<Name>Command` of every value import from an AWS SDK client package under evidence/. */
function importedCommands(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(join(REPO_ROOT, 'evidence'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      if (m[1]) continue;
      for (const name of m[2].split(',').map((n) => n.trim().split(/\s+as\s+/)[0])) {
        if (/^[A-Z]\w*Command$/.test(name)) found.add(`${m[3]}:${name}`);
      }
    }
  }
  return found;
}

test('every SDK command the collector imports is in the template, and the template lists no other', () => {
  const imported = importedCommands();
  expect(imported.size).toBeGreaterThan(50);
  expect([...imported].filter((c) => !(c in COLLECTOR_CALLS))).toEqual([]);
  expect(Object.keys(COLLECTOR_CALLS).filter((c) => !imported.has(c))).toEqual([]);
});

test('the reader role only reads', () => {
  // BatchGet: athena:BatchGetNamedQuery, access level Read in the Service Authorization Reference
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html).
  // logs:FilterLogEvents (the alarm history record), access level Read (Service Authorization Reference,
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
  for (const action of actionsOf('reader-role')) expect(action).toMatch(/^([a-z0-9-]+:(Describe|Get|List|BatchGet)[A-Za-z0-9]+|logs:FilterLogEvents)$/);
  // s3:ListBucketVersions, access level List (Service Authorization Reference, Amazon S3:
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
  expect(actionsOf('log-reader-role')).toEqual(['s3:GetObject', 's3:ListBucket', 's3:ListBucketVersions']);
});

test('docs/evidence.md: the count of calls, and the actions it lists beyond SecurityAudit, are calls of the collector', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'evidence.md'), 'utf8');
  expect(doc).toContain(`through the role (${actionsOf('reader-role').length} calls;`);
  const inline = /"Sid": "EvidenceReadsNotInSecurityAudit"[\s\S]*?"Action": \[([^\]]*)\]/.exec(doc);
  expect(inline).not.toBeNull();
  const listed = [...inline![1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  expect(listed.filter((a) => !actionsOf('reader-role').includes(a))).toEqual([]);
});

test('bin/baseline evidence --print-reader-policy prints the template, exit 0, without --out or AWS', () => {
  const r = spawnSync(join(REPO_ROOT, 'bin', 'baseline'), ['evidence', '--print-reader-policy'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ roleName: 'soc2-evidence-reader', permissionsPolicy: readerPermissionsPolicy(), trustPolicy: readerTrustPolicy() });
});
