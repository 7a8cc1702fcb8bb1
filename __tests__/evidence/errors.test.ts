/**
 * What an ERROR item says of a failed call, through real SDK clients whose HTTP handler answers like AWS
 * (an error response in the service's protocol) or like something in between (a proxy's HTML page, an
 * empty 5xx): the call, account and Region, the HTTP status and AWS's error code, and never the SDK's
 * parse message ("Unexpected token ... Deserialization error: ... inspect the hidden field
 * {error}.$response").
 */
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ConfigServiceClient, DescribeConfigurationRecordersCommand } from '@aws-sdk/client-config-service';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import type { HttpRequest } from '@smithy/types';
import { AssumeRoleError, AwsAccess, describeCallError, describeError, isNotFound, withCall, type CallScope } from '../../evidence/aws';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' };

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A request handler answering every request with `answer`, as the SDK's Node.js handler would hand it on. */
function answering(answer: Answer, requests: HttpRequest[] = []) {
  return {
    handle: async (request: HttpRequest) => {
      requests.push(request);
      return { response: { statusCode: answer.status, headers: answer.headers, body: Buffer.from(answer.body) } };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
}

// What sits in front of AWS can answer in its own format: a load balancer's or proxy's HTML page.
const HTML_502: Answer = {
  status: 502,
  headers: { 'content-type': 'text/html' },
  body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
};
const EMPTY_500: Answer = { status: 500, headers: {}, body: '' };
// JSON protocols: the request id in x-amzn-RequestId, the error code in "__type", the text in "message"
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html);
// ThrottlingException is HTTP 400 (https://docs.aws.amazon.com/securityhub/1.0/APIReference/CommonErrors.html).
const JSON_THROTTLED: Answer = {
  status: 400,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-json' },
  body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
};
// Query protocol (STS): <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-responses.html).
const QUERY_ACCESS_DENIED: Answer = {
  status: 403,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-query' },
  body: '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::999999999999:user/runner is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>req-query</RequestId></ErrorResponse>',
};
// REST-XML (S3): <Error><Code/><Message/><RequestId/><HostId/></Error>, request id in x-amz-request-id;
// AccessDenied is HTTP 403 (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
const S3_ACCESS_DENIED: Answer = {
  status: 403,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'req-s3', 'x-amz-id-2': 'host-s3' },
  body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>req-s3</RequestId><HostId>host-s3</HostId></Error>',
};

type Send = (answer: Answer) => Promise<unknown>;

/** A client of each protocol the collector reads, calling one read-only operation (maxAttempts 1: no retries). */
const CLIENTS: Record<string, { readonly operation: string; readonly send: Send; readonly native: Answer; readonly code: string }> = {
  'CloudTrail (JSON 1.1)': {
    operation: 'cloudtrail:DescribeTrails',
    send: (a) => new CloudTrailClient({ region: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: answering(a) }).send(new DescribeTrailsCommand({})),
    native: JSON_THROTTLED,
    code: 'ThrottlingException',
  },
  'Config (JSON 1.1)': {
    operation: 'config:DescribeConfigurationRecorders',
    send: (a) => new ConfigServiceClient({ region: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: answering(a) }).send(new DescribeConfigurationRecordersCommand({})),
    native: JSON_THROTTLED,
    code: 'ThrottlingException',
  },
  'CloudWatch (JSON 1.0, its default)': {
    operation: 'cloudwatch:DescribeAlarms',
    send: (a) => new CloudWatchClient({ region: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: answering(a) }).send(new DescribeAlarmsCommand({})),
    native: JSON_THROTTLED,
    code: 'ThrottlingException',
  },
  'CloudWatch (query)': {
    operation: 'cloudwatch:DescribeAlarms',
    send: (a) => new CloudWatchClient({ region: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: answering(a), protocol: AwsQueryProtocol }).send(new DescribeAlarmsCommand({})),
    native: QUERY_ACCESS_DENIED,
    code: 'AccessDenied',
  },
  'STS (query)': {
    operation: 'sts:AssumeRole',
    send: (a) =>
      new STSClient({ region: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: answering(a) }).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/soc2-evidence-reader`, RoleSessionName: 'evidence' }),
      ),
    native: QUERY_ACCESS_DENIED,
    code: 'AccessDenied',
  },
  'S3 (REST-XML)': {
    operation: 's3:GetBucketPolicy',
    send: (a) => new S3Client({ region: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: answering(a) }).send(new GetBucketPolicyCommand({ Bucket: 'example-bucket' })),
    native: S3_ACCESS_DENIED,
    code: 'AccessDenied',
  },
};

async function failure(send: Send, answer: Answer): Promise<unknown> {
  try {
    await send(answer);
  } catch (e) {
    return e;
  }
  throw new Error('the call succeeded');
}

const SDK_WORDING = ['Deserialization error', '$response', 'Unexpected token', 'XML parse error', 'UnknownError'];

function expectReadable(text: string, call: CallScope, status: number): void {
  expect(text.startsWith(`${call.operation} in ${call.accountId} ${call.region}: HTTP ${status}, `)).toBe(true);
  for (const words of SDK_WORDING) expect(text).not.toContain(words);
  expect(text).not.toMatch(/[\r\n]/);
}

describe.each(Object.entries(CLIENTS))('%s', (_, client) => {
  const call: CallScope = { operation: client.operation, accountId: ACCOUNT, region: REGION };

  test("AWS's error response: HTTP status, AWS's error code and message; no request id (it would make the binder differ run to run)", async () => {
    const text = describeCallError(await failure(client.send, client.native), call);
    expectReadable(text, call, client.native.status);
    expect(text).toContain(`, AWS error code ${client.code}: `);
    expect(text).not.toContain('request id');
    expect(text).not.toMatch(/req-\w+/);
  });

  test('an HTML 502 page: "not an AWS error response" and the start of the page, not the parse message', async () => {
    const e = await failure(client.send, HTML_502);
    const text = describeCallError(e, call);
    expectReadable(text, call, 502);
    expect(text).toContain('HTTP 502, not an AWS error response (body starts: "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Ga..."');
  });

  test('an empty 500: "not an AWS error response (empty body)"', async () => {
    const text = describeCallError(await failure(client.send, EMPTY_500), call);
    expectReadable(text, call, 500);
    expect(text).toBe(`${client.operation} in ${ACCOUNT} ${REGION}: HTTP 500, not an AWS error response (empty body)`);
  });
});

test("the JSON clients' parse message is what the description replaces (the SDK's own text, for the record)", async () => {
  const e = (await failure(CLIENTS['CloudTrail (JSON 1.1)'].send, HTML_502)) as Error;
  // What an ERROR item said before: the SDK's message, from @smithy/core deserializer middleware.
  expect(e.message).toContain('Deserialization error: to see the raw response, inspect the hidden field {error}.$response');
  expect(e.message).toContain('Unexpected token');
  expect(describeError(e)).toBe('HTTP 502, not an AWS error response (body starts: "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Ga...")');
});

test('exact wording of an AWS error and of a proxy page', async () => {
  const call: CallScope = { operation: 'cloudtrail:DescribeTrails', accountId: ACCOUNT, region: REGION };
  expect(describeCallError(await failure(CLIENTS['CloudTrail (JSON 1.1)'].send, JSON_THROTTLED), call)).toBe(
    'cloudtrail:DescribeTrails in 111111111111 us-east-1: HTTP 400, AWS error code ThrottlingException: Rate exceeded',
  );
  expect(describeCallError(await failure(CLIENTS['S3 (REST-XML)'].send, S3_ACCESS_DENIED), { ...call, operation: 's3:GetBucketPolicy' })).toBe(
    's3:GetBucketPolicy in 111111111111 us-east-1: HTTP 403, AWS error code AccessDenied: Access Denied',
  );
});

test('retried calls say how many attempts were made', async () => {
  // ServiceUnavailable is HTTP 503 (https://docs.aws.amazon.com/securityhub/1.0/APIReference/CommonErrors.html).
  const unavailable: Answer = { status: 503, headers: { 'x-amzn-requestid': 'req-503' }, body: JSON.stringify({ __type: 'ServiceUnavailable', message: 'Service is unavailable' }) };
  const requests: HttpRequest[] = [];
  const client = new CloudTrailClient({ region: REGION, credentials: CREDENTIALS, maxAttempts: 2, retryMode: 'standard', requestHandler: answering(unavailable, requests) });
  const e = await failure(() => client.send(new DescribeTrailsCommand({})), unavailable);
  expect(requests).toHaveLength(2);
  expect(describeCallError(e, { operation: 'cloudtrail:DescribeTrails', accountId: ACCOUNT, region: REGION })).toBe(
    'cloudtrail:DescribeTrails in 111111111111 us-east-1: HTTP 503, AWS error code ServiceUnavailable: Service is unavailable (after 2 attempts)',
  );
});

test('a role STS refuses: every call names the role and its own call, with the status and code of STS', async () => {
  // STS refuses; no other request is ever answered (the role's credentials never come).
  const access = new AwsAccess({ roleName: 'soc2-evidence-reader', stsRegion: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: answering(QUERY_ACCESS_DENIED) });
  const calls: CallScope[] = [
    { operation: 'cloudtrail:DescribeTrails', accountId: ACCOUNT, region: REGION },
    { operation: 'cloudtrail:GetTrailStatus', accountId: ACCOUNT, region: 'eu-west-1' },
  ];
  const errors = await Promise.all(
    calls.map(async (call) => {
      const client = new CloudTrailClient(access.clientConfig(call.accountId, call.region));
      try {
        await client.send(new DescribeTrailsCommand({}));
        throw new Error('the call succeeded');
      } catch (e) {
        // What Task.paginate does with the error of a call before rethrowing it.
        return withCall(e, call);
      } finally {
        client.destroy();
      }
    }),
  );
  access.destroy();
  expect(errors.every((e) => e instanceof AssumeRoleError)).toBe(true);
  // Both calls share one refusal (asked for once); each error still names its own call.
  expect(errors.map(describeError)).toEqual(
    calls.map(
      (c) =>
        `${c.operation} in ${ACCOUNT} ${c.region}: cannot assume arn:aws:iam::${ACCOUNT}:role/soc2-evidence-reader: ` +
        'HTTP 403, AWS error code AccessDenied: User: arn:aws:iam::999999999999:user/runner is not authorized to perform: sts:AssumeRole',
    ),
  );
});

test('withCall keeps the error itself, so that checks still judge it by its code', async () => {
  // NoSuchBucketPolicy is HTTP 404 (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
  const noPolicy = S3_ACCESS_DENIED.body.replace('AccessDenied', 'NoSuchBucketPolicy').replace('Access Denied', 'The bucket policy does not exist');
  const e = await failure(CLIENTS['S3 (REST-XML)'].send, { ...S3_ACCESS_DENIED, status: 404, body: noPolicy });
  const call: CallScope = { operation: 's3:GetBucketPolicy', accountId: ACCOUNT, region: REGION };
  expect(withCall(e, call)).toBe(e);
  expect(isNotFound(withCall(e, call), 'NoSuchBucketPolicy')).toBe(true);
  expect(describeError(e)).toBe('s3:GetBucketPolicy in 111111111111 us-east-1: HTTP 404, AWS error code NoSuchBucketPolicy: The bucket policy does not exist');
  // The first call that rethrows an error is the one it names.
  withCall(e, { ...call, operation: 's3:Other' });
  expect(describeError(e)).toMatch(/^s3:GetBucketPolicy in /);
});

test('errors without an HTTP answer keep their name and message', () => {
  expect(describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } }))).toBe('connect ECONNREFUSED 127.0.0.1:1 (after 3 attempts)');
  expect(describeError(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))).toBe('TimeoutError: socket hang up');
  expect(describeError('boom')).toBe('boom');
  expect(describeCallError(new TypeError('x is undefined'), { operation: 'kms:ListAliases', accountId: ACCOUNT, region: REGION })).toBe('kms:ListAliases in 111111111111 us-east-1: TypeError: x is undefined');
});
