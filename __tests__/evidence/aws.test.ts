/**
 * How the collector reaches AWS, against a small local HTTP server speaking STS (query protocol) and
 * CloudTrail (JSON 1.1): the SDK's adaptive retries ride out throttling, throttling past the retries
 * is an ERROR item and not the end of the run, a role that cannot be assumed is asked for once and
 * reported for every task of its account, and no more requests than the limit are ever in flight.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load';
import { describeError, Limiter } from '../../evidence/aws';
import { createContext, runTasks } from '../../evidence/collect';
import { Task } from '../../evidence/context';

const config = parseConfig(parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8')), 'baseline.config.yaml');

interface FakeAws {
  endpoint: string;
  server: Server;
  assumeRoleCalls: string[];
  describeCalls: number;
  inFlight: number;
  maxInFlight: number;
  /** How many DescribeTrails answers are throttled before one succeeds (Infinity: all). */
  throttle: number;
  /** Role ARNs STS refuses. */
  refuse: Set<string>;
  delayMs: number;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => resolve(text));
  });
}

async function startFakeAws(): Promise<FakeAws> {
  const fake: FakeAws = { endpoint: '', server: undefined as never, assumeRoleCalls: [], describeCalls: 0, inFlight: 0, maxInFlight: 0, throttle: 0, refuse: new Set(), delayMs: 0 };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await body(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.endsWith('.DescribeTrails')) {
      fake.describeCalls += 1;
      fake.inFlight += 1;
      fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
      await new Promise((r) => setTimeout(r, fake.delayMs));
      fake.inFlight -= 1;
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (fake.throttle > 0) {
        fake.throttle -= 1;
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        return;
      }
      res.end(JSON.stringify({ trailList: [{ Name: 'acme-soc2-org-trail', IsOrganizationTrail: true }] }));
      return;
    }
    const params = new URLSearchParams(text);
    if (params.get('Action') === 'AssumeRole') {
      const arn = params.get('RoleArn') ?? '';
      fake.assumeRoleCalls.push(arn);
      res.setHeader('content-type', 'text/xml');
      if (fake.refuse.has(arn)) {
        res.statusCode = 403;
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole on ${arn}</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
        return;
      }
      res.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIATEST</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${arn}/evidence</Arn><AssumedRoleId>AROA:evidence</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
      return;
    }
    res.statusCode = 404;
    res.end();
  };
  fake.server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  fake.endpoint = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

let fake: FakeAws;
beforeEach(async () => {
  fake = await startFakeAws();
});
afterEach(async () => {
  await new Promise((r) => fake.server.close(r));
});

function context(maxAttempts = 10, concurrency = 4) {
  return createContext({
    config,
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'x' },
    maxAttempts,
    concurrency,
    validateLogsSince: false,
    now: () => new Date('2026-03-02T12:00:00Z'),
  }).ctx;
}

const describeTask = (ctx: ReturnType<typeof context>, accountId: string) =>
  new Task(ctx, { label: 'trail', accountId, region: 'us-east-1', controls: ['cloudtrail.organization-trail'] }, async (task) => {
    const ct = task.client(CloudTrailClient);
    const out = await task.call('cloudtrail:DescribeTrails', {}, () => ct.send(new DescribeTrailsCommand({})));
    task.item({ controlId: 'cloudtrail.organization-trail', title: 't', status: 'PASS', reason: `${out.trailList?.length} trail(s) after ${out.$metadata.attempts} attempt(s)`, sources: [] });
  });

describe('AWS access', () => {
  test('clients retry throttling in adaptive mode, and the raw record holds the response', async () => {
    fake.throttle = 2;
    const ctx = context();
    await runTasks(ctx, [describeTask(ctx, '111111111111')], 4);
    expect(ctx.items.map((i) => `${i.status} ${i.reason}`)).toEqual(['PASS 1 trail(s) after 3 attempt(s)']);
    expect(fake.describeCalls).toBe(3);
    const raw = ctx.raw.get('111111111111.us-east-1.cloudtrail.DescribeTrails.json')!;
    expect(raw.error).toBeUndefined();
    expect(raw.responses).toEqual([{ trailList: [{ IsOrganizationTrail: true, Name: 'acme-soc2-org-trail' }] }]);
    const client = new CloudTrailClient(ctx.access.clientConfig('111111111111', 'us-east-1'));
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    client.destroy();
  });

  test('throttling past the retries is an ERROR item naming it; the other tasks go on', async () => {
    fake.throttle = Infinity;
    const ctx = context(2);
    const tasks = [describeTask(ctx, '111111111111'), describeTask(ctx, '222222222222')];
    await runTasks(ctx, tasks, 4);
    expect(ctx.items.map((i) => `${i.status} ${i.accountId} ${i.reason}`).sort()).toEqual([
      'ERROR 111111111111 could not collect: cloudtrail:DescribeTrails in 111111111111 us-east-1: HTTP 400, AWS error code ThrottlingException: Rate exceeded (after 2 attempts)',
      'ERROR 222222222222 could not collect: cloudtrail:DescribeTrails in 222222222222 us-east-1: HTTP 400, AWS error code ThrottlingException: Rate exceeded (after 2 attempts)',
    ]);
    expect(ctx.raw.get('111111111111.us-east-1.cloudtrail.DescribeTrails.json')!.error).toEqual({
      name: 'ThrottlingException',
      message: 'cloudtrail:DescribeTrails in 111111111111 us-east-1: HTTP 400, AWS error code ThrottlingException: Rate exceeded (after 2 attempts)',
      attempts: 2,
    });
  });

  test('a role that cannot be assumed: asked once, reported for every task of its account', async () => {
    fake.refuse.add('arn:aws:iam::444444444444:role/soc2-evidence-reader');
    const ctx = context();
    const tasks = [describeTask(ctx, '444444444444'), describeTask(ctx, '444444444444'), describeTask(ctx, '555555555555')];
    await runTasks(ctx, tasks, 4);
    const statuses = ctx.items.map((i) => `${i.status} ${i.accountId}`).sort();
    expect(statuses).toEqual(['ERROR 444444444444', 'ERROR 444444444444', 'PASS 555555555555']);
    expect(ctx.items.find((i) => i.status === 'ERROR')!.reason).toMatch(
      /^could not collect: cloudtrail:DescribeTrails in 444444444444 us-east-1: cannot assume arn:aws:iam::444444444444:role\/soc2-evidence-reader: HTTP 403, AWS error code AccessDenied: not authorized to perform sts:AssumeRole/,
    );
    expect(fake.assumeRoleCalls.filter((a) => a.includes('444444444444'))).toHaveLength(1);
  });

  test('no more requests in flight than the limit, across tasks and accounts', async () => {
    fake.delayMs = 15;
    const ctx = context(10, 3);
    const tasks = Array.from({ length: 24 }, (_, i) => describeTask(ctx, `${100000000000 + (i % 6)}`));
    await runTasks(ctx, tasks, 3);
    expect(ctx.items.filter((i) => i.status === 'PASS')).toHaveLength(24);
    expect(fake.maxInFlight).toBeLessThanOrEqual(3);
    expect(fake.maxInFlight).toBeGreaterThan(1);
  });

  test('Limiter hands a finished slot to the next waiter, never exceeding its bound', async () => {
    const limiter = new Limiter(2);
    let max = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          max = Math.max(max, limiter.inFlight);
          await new Promise((r) => setTimeout(r, i % 3));
        }),
      ),
    );
    expect(max).toBe(2);
    expect(limiter.inFlight).toBe(0);
    expect(() => new Limiter(0)).toThrow('max must be a positive integer');
  });

  test('describeError names the error and the attempts', () => {
    expect(describeError(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException', $metadata: { attempts: 1 } }))).toBe('AccessDeniedException: Access denied');
    expect(describeError('boom')).toBe('boom');
  });
});
