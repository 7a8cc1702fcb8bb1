/**
 * Who reads the investigations' results (copies of log records) and which parts of the log archive
 * the investigators may list: the synthesized policies of the audit account's member stack, evaluated
 * with the IAM simulator. Each healthy case PASSes beside the broken one (the statement removed, an
 * administrator of the audit account reading, a listing outside the tables' prefixes) that FAILs.
 */
import { investigationResultsBucketName, investigationsWorkgroupName, logBucketName, memberStackName } from '../../../config/naming';
import type { BaselineConfig } from '../../../config/schema';
import { configWith, exampleConfig, oneResource, synthStack, type Synth } from '../../helpers';
import { simulate, type SimPrincipal } from '../../iam-simulator';

const config = exampleConfig();
const org = config.organization;
const AUDIT = org.auditAccountId;
const auditStack = (c: BaselineConfig = config) => synthStack(c, memberStackName(c.organization.auditAccountId));
const json = auditStack();

const resultsPolicy = (j: Synth) => oneResource(j, 'aws_s3_bucket_policy', (r) => r.bucket.includes('results-bucket')).policy as string;
const readerPolicy = (j: Synth) => oneResource(j, 'aws_iam_policy', (p) => p.name === `${org.namePrefix}-run-investigations`).policy as string;
const role = (arn: string): SimPrincipal => ({ kind: 'role', arn });

// A result object under the workgroup's prefix, as the workgroup's OutputLocation puts it.
const RESULT = `arn:aws:s3:::${investigationResultsBucketName(config)}/${investigationsWorkgroupName(config)}/a1b2c3d4.csv`;
// aws:SecureTransport and s3:TlsVersion (IAM User Guide, "AWS global condition context keys"; Amazon
// S3 condition keys): the bucket's TLS-only statements pass.
const TLS = { 'aws:SecureTransport': true, 's3:TlsVersion': 1.3 };
const READER = config.logArchive.readerRoleArns[0];
const ADMIN = `arn:aws:iam::${AUDIT}:role/AuditAccountAdmin`;
const PIPELINE = `arn:aws:iam::${AUDIT}:role/${config.guardrails.pipelineRoleName}`;
const BREAK_GLASS = `arn:aws:iam::${AUDIT}:role/${config.guardrails.breakGlassRoleName}`;

/** A same-account request: allowed by the identity policy unless the bucket policy denies it. */
function read(principal: string, policy: string, identity?: readonly string[], action = 's3:GetObject') {
  return simulate({ principal: role(principal), action, resource: RESULT, resourceAccount: AUDIT, context: TLS }, { resourcePolicy: policy, identity });
}

describe("the results bucket: only the investigators read results (S3 reads are the caller's own: Athena API Reference, GetQueryResults)", () => {
  test('readers of the audit account (with the investigations policy) read results; the pipeline and break-glass roles read', async () => {
    const identity = [readerPolicy(json)];
    expect(await read(READER, resultsPolicy(json), identity)).toBe('Allowed');
    // (Their writes are Athena's, as the caller: the next describe.)
    // The guardrails' exemptions (modules/guardrails/protected-resources.ts), with administrator access.
    expect(await read(PIPELINE, resultsPolicy(json))).toBe('Allowed');
    expect(await read(BREAK_GLASS, resultsPolicy(json))).toBe('Allowed');
  });

  test('another administrator of the audit account is denied; without the statement it would read every result', async () => {
    for (const action of ['s3:GetObject', 's3:GetObjectVersion']) {
      expect(await read(ADMIN, resultsPolicy(json), undefined, action)).toBe('ExplicitlyDenied');
    }
    // The broken policy: the statement taken out, as an admin who wants to read would.
    const document = JSON.parse(resultsPolicy(json));
    const broken = JSON.stringify({ ...document, Statement: document.Statement.filter((s: { Sid: string }) => s.Sid !== 'DenyResultReadsExceptInvestigators') });
    expect(await read(ADMIN, broken)).toBe('Allowed');
  });

  test('a reader role with a path in the audit account reads; a log reader of another account does not', async () => {
    const SIEM = `arn:aws:iam::${AUDIT}:role/siem/SiemReader`;
    const ARCHIVE_READER = `arn:aws:iam::${org.logArchiveAccountId}:role/ArchiveReader`;
    const c = configWith((raw) => raw.logArchive.readerRoleArns.push(SIEM, ARCHIVE_READER));
    const j = auditStack(c);
    expect(await read(SIEM, resultsPolicy(j), [readerPolicy(j)])).toBe('Allowed');
    // Cross-account (IAM User Guide, "Cross-account policy evaluation logic"): even with an identity
    // policy granting it, the bucket policy denies.
    const everything = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    expect(
      await simulate(
        { principal: role(ARCHIVE_READER), action: 's3:GetObject', resource: RESULT, resourceAccount: AUDIT, context: TLS },
        { resourcePolicy: resultsPolicy(j), identity: [everything] },
      ),
    ).toBe('ExplicitlyDenied');
  });

  test('guardrails off: no exemption, the investigators alone read', async () => {
    const off = configWith((raw) => {
      raw.guardrails = { enabled: false };
      raw.controlExceptions = [{ control: 'guardrails.service-control-policies', reason: 'Guardrails are enforced by the parent organization.' }];
    });
    const j = auditStack(off);
    expect(await read(READER, resultsPolicy(j), [readerPolicy(j)])).toBe('Allowed');
    expect(await read(BREAK_GLASS, resultsPolicy(j))).toBe('ExplicitlyDenied');
  });
});

/**
 * A request Athena makes with the caller's credentials carries aws:CalledVia, "an ordered list of each
 * service in the chain that made requests on the principal's behalf" (Athena: `athena.amazonaws.com`),
 * absent on a direct call, and aws:ViaAWSService true (IAM User Guide, "AWS global condition context
 * keys": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-calledvia;
 * Athena User Guide, "Use CalledVia context keys for Athena":
 * https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena-calledvia.html).
 */
const VIA_ATHENA = { 'aws:CalledVia': ['athena.amazonaws.com'], 'aws:ViaAWSService': true };
const ADMINISTRATOR_ACCESS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const without = (policy: string, sid: string) => {
  const document = JSON.parse(policy);
  expect(document.Statement.map((s: { Sid: string }) => s.Sid)).toContain(sid);
  return JSON.stringify({ ...document, Statement: document.Statement.filter((s: { Sid: string }) => s.Sid !== sid) });
};

/** A write of a result object, directly or through Athena, judged with the results bucket's policy. */
function write(principal: string, action: string, policy: string, { viaAthena = false, identity }: { viaAthena?: boolean; identity?: readonly string[] } = {}) {
  return simulate(
    { principal: role(principal), action, resource: RESULT, resourceAccount: AUDIT, context: { ...TLS, ...(viaAthena ? VIA_ATHENA : {}) } },
    { resourcePolicy: policy, identity },
  );
}

describe('the results bucket: nobody rewrites or removes a result between Athena writing it and `baseline investigate` reading it', () => {
  const WRITES = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'];

  test("a reader's result write through Athena passes (Athena writes the result file as the caller)", async () => {
    expect(await write(READER, 's3:PutObject', resultsPolicy(json), { viaAthena: true, identity: [readerPolicy(json)] })).toBe('Allowed');
  });

  test('a reader writing or deleting a result directly is denied, even with administrator access', async () => {
    expect(await write(READER, 's3:PutObject', resultsPolicy(json), { identity: [readerPolicy(json)] })).toBe('ExplicitlyDenied');
    for (const action of WRITES) {
      expect({ action, decision: await write(READER, action, resultsPolicy(json), { identity: [readerPolicy(json), ADMINISTRATOR_ACCESS] }) }).toEqual({ action, decision: 'ExplicitlyDenied' });
    }
  });

  test('another administrator of the audit account is denied, directly and through a workgroup of their own', async () => {
    for (const action of WRITES) {
      expect({ action, decision: await write(ADMIN, action, resultsPolicy(json)) }).toEqual({ action, decision: 'ExplicitlyDenied' });
      expect({ action, via: 'athena', decision: await write(ADMIN, action, resultsPolicy(json), { viaAthena: true }) }).toEqual({ action, via: 'athena', decision: 'ExplicitlyDenied' });
    }
  });

  test('the pipeline and break-glass roles write and delete (the guardrails\' exemptions)', async () => {
    for (const who of [PIPELINE, BREAK_GLASS]) {
      for (const action of WRITES) expect({ who, action, decision: await write(who, action, resultsPolicy(json)) }).toEqual({ who, action, decision: 'Allowed' });
    }
  });

  test('breaking: without DenyResultWritesOutsideAthena a reader rewrites and deletes results directly', async () => {
    const broken = without(resultsPolicy(json), 'DenyResultWritesOutsideAthena');
    expect(await write(READER, 's3:PutObject', broken, { identity: [readerPolicy(json)] })).toBe('Allowed');
    expect(await write(READER, 's3:DeleteObject', broken, { identity: [readerPolicy(json), ADMINISTRATOR_ACCESS] })).toBe('Allowed');
    // The other statement still keeps the administrator out.
    expect(await write(ADMIN, 's3:PutObject', broken)).toBe('ExplicitlyDenied');
  });

  test('breaking: without DenyResultWritesExceptInvestigators an administrator writes results through Athena', async () => {
    const broken = without(resultsPolicy(json), 'DenyResultWritesExceptInvestigators');
    expect(await write(ADMIN, 's3:PutObject', broken, { viaAthena: true })).toBe('Allowed');
    expect(await write(ADMIN, 's3:PutObject', broken)).toBe('ExplicitlyDenied');
  });

  test('a call through another service (aws:CalledVia without Athena) is not Athena', async () => {
    const viaOther = { ...TLS, 'aws:CalledVia': ['cloudformation.amazonaws.com'], 'aws:ViaAWSService': true };
    expect(
      await simulate({ principal: role(READER), action: 's3:PutObject', resource: RESULT, resourceAccount: AUDIT, context: viaOther }, { resourcePolicy: resultsPolicy(json), identity: [readerPolicy(json)] }),
    ).toBe('ExplicitlyDenied');
  });

  test('guardrails off: no exemption, only the investigators through Athena write', async () => {
    const off = configWith((raw) => {
      raw.guardrails = { enabled: false };
      raw.controlExceptions = [{ control: 'guardrails.service-control-policies', reason: 'Guardrails are enforced by the parent organization.' }];
    });
    const j = auditStack(off);
    expect(await write(READER, 's3:PutObject', resultsPolicy(j), { viaAthena: true, identity: [readerPolicy(j)] })).toBe('Allowed');
    expect(await write(PIPELINE, 's3:DeleteObject', resultsPolicy(j))).toBe('ExplicitlyDenied');
  });

  // Lifecycle expiry is S3's own: "You can't use a bucket policy to prevent deletions or transitions by
  // an S3 Lifecycle rule" (Amazon S3 User Guide, "Managing the lifecycle of objects":
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html). The rule is there.
  test('the lifecycle rule that expires results is in place beside the denials', () => {
    const lifecycle = oneResource(json, 'aws_s3_bucket_lifecycle_configuration', (r) => r.bucket.includes('results-bucket'));
    expect(lifecycle.rule.map((r: { status: string; expiration: { days: number }[] }) => [r.status, r.expiration[0].days])).toEqual([['Enabled', config.investigations.resultRetentionDays]]);
  });
});

describe('the investigators list the log archive only under the prefixes the tables read', () => {
  // s3:prefix, ListBucket's "key name prefix" (Service Authorization Reference, Amazon S3:
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html). The
  // readers' own policy is judged here (the log-archive bucket policy grants the readers more:
  // cross-account, both must allow; log-investigations.test.ts evaluates the two together).
  const list = (bucket: string, prefix: string | undefined, j: Synth = json) =>
    simulate(
      {
        principal: role(READER),
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${bucket}`,
        resourceAccount: org.logArchiveAccountId,
        context: prefix === undefined ? {} : { 's3:prefix': prefix },
      },
      { identity: [readerPolicy(j)], resourcePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: READER }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` }] }) },
    );
  const trail = logBucketName(config, 'cloudtrail');
  const flow = logBucketName(config, 'flowlogs');

  test('the flow-log bucket: its AWSLogs/ folder; the trail bucket: the organization and account trails', async () => {
    expect(config.flowLogs.destination).toBe('s3');
    expect(await list(flow, 'AWSLogs/aws-account-id=444444444444/aws-service=vpcflowlogs/aws-region=us-east-1/2026/01/02/')).toBe('Allowed');
    expect(await list(trail, `AWSLogs/${org.id}/444444444444/CloudTrail/us-east-1/2026/01/02/`)).toBe('Allowed');
    expect(await list(trail, 'account-trails/AWSLogs/444444444444/CloudTrail/us-east-1/2026/01/02/')).toBe('Allowed');
    for (const prefix of [undefined, '', 'other/', 'AWSLogs/o-otherorg99/']) {
      expect(await list(trail, prefix)).toBe('ImplicitlyDenied');
    }
    for (const prefix of [undefined, '', 'other/']) expect(await list(flow, prefix)).toBe('ImplicitlyDenied');
    // The trail bucket's prefixes do not open the flow-log bucket's, nor the other way.
    expect(await list(flow, `account-trails/AWSLogs/`)).toBe('ImplicitlyDenied');
  });

  test('without account trails, their prefix is not listed', async () => {
    const c = configWith((raw) => {
      raw.monitoring = { ...raw.monitoring, accountTrails: false };
      raw.controlExceptions = [{ control: 'cloudtrail.account-trails', reason: 'The organization trail alone is kept.' }];
    });
    expect(c.monitoring.accountTrails).toBe(false);
    const j = auditStack(c);
    expect(await list(trail, `AWSLogs/${org.id}/444444444444/`, j)).toBe('Allowed');
    expect(await list(trail, 'account-trails/AWSLogs/444444444444/', j)).toBe('ImplicitlyDenied');
  });
});
