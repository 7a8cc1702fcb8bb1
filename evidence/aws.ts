/**
 * How the collector reaches AWS: one read-only role assumed in each account (AWS STS AssumeRole, from
 * the runner's own credentials), SDK clients with adaptive retries, and a limiter that bounds the
 * number of requests in flight for the whole run.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { roleArn } from '../config/naming';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_SESSION_NAME } from './options';

/** AWS STS AssumeRole: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
export const STS_ASSUME_ROLE_DOC = 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html';


type RequestHandler = CloudTrailClientConfig['requestHandler'];

/** What every service client of the run is constructed with. */
export interface BaseClientConfig {
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** Retries back off and rate-limit the client when throttled ("adaptive" retry mode). */
  readonly retryMode: 'adaptive';
  readonly maxAttempts: number;
  readonly endpoint?: string;
  readonly requestHandler?: RequestHandler;
  /** S3 only: path-style addressing, which a local emulator's single endpoint needs. */
  readonly forcePathStyle?: boolean;
}

export interface AwsAccessProps {
  /** The read-only role assumed in each account (SecurityAudit suffices; see docs/evidence.md). */
  readonly roleName: string;
  /**
   * Session name of the assumed-role sessions.
   * @default DEFAULT_SESSION_NAME
   */
  readonly sessionName?: string;
  /**
   * External id the role's trust policy requires.
   * @default - none
   */
  readonly externalId?: string;
  /** Region of the STS client (the config's home Region: regional STS endpoints). */
  readonly stsRegion: string;
  /**
   * Send every request to this endpoint (a local emulator such as moto), instead of AWS's.
   * @default - AWS's endpoints
   */
  readonly endpoint?: string;
  /**
   * The runner's own credentials, which assume the roles.
   * @default - the SDK's default provider chain (environment, profile, SSO, instance role...)
   */
  readonly credentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /**
   * @default DEFAULT_MAX_ATTEMPTS
   */
  readonly maxAttempts?: number;
  /**
   * The HTTP handler of every client (tests use it to answer with throttling errors).
   * @default - the SDK's Node.js handler
   */
  readonly requestHandler?: RequestHandler;
  /**
   * More settings for the clients of one class, by class name (`CloudWatchClient`): tests point
   * CloudWatch at the query protocol, which their emulator speaks.
   * @default - none
   */
  readonly clientSettings?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Called with every client the run creates (STS's included), before its first request: the
   * benchmark adds a middleware that answers from a simulated organization (bench/evidence-sim.ts).
   * @default - none: clients are used as constructed
   */
  readonly decorateClient?: ClientDecorator;
}

/** What `decorateClient` is given: the client (its middleware stack), and whose account and Region it reads. */
export type ClientDecorator = (client: { readonly middlewareStack: { add: (...args: never[]) => unknown } }, scope: { readonly clientName: string; readonly accountId: string; readonly region: string }) => void;

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class AwsAccess {
  private readonly assumed = new Map<string, AwsCredentialIdentityProvider>();
  private readonly sts: STSClient;

  constructor(readonly props: AwsAccessProps) {
    this.sts = new STSClient({
      region: props.stsRegion,
      credentials: props.credentials,
      retryMode: 'adaptive',
      maxAttempts: props.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      endpoint: props.endpoint,
      requestHandler: props.requestHandler,
    });
    props.decorateClient?.(this.sts as never, { clientName: 'STSClient', accountId: 'runner', region: props.stsRegion });
  }

  /** The client config for an account (through its assumed role) and Region. */
  clientConfig(accountId: string, region: string, clientName?: string): BaseClientConfig {
    return this.configWith(this.credentialsForRole(roleArn(accountId, this.props.roleName)), region, clientName);
  }

  /** The client config of another role, assumed directly (the log reader role for digest validation). */
  clientConfigForRole(arn: string, region: string, clientName?: string): BaseClientConfig {
    return this.configWith(this.credentialsForRole(arn), region, clientName);
  }

  /** The ARN of the runner's own identity: who collected the evidence. */
  async callerArn(): Promise<string> {
    const identity = await this.sts.send(new GetCallerIdentityCommand({}));
    return identity.Arn ?? 'unknown';
  }

  destroy(): void {
    this.sts.destroy();
  }

  private configWith(credentials: AwsCredentialIdentityProvider, region: string, clientName?: string): BaseClientConfig {
    return {
      ...(clientName ? this.props.clientSettings?.[clientName] : undefined),
      region,
      credentials,
      retryMode: 'adaptive',
      maxAttempts: this.props.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      ...(this.props.endpoint ? { endpoint: this.props.endpoint, forcePathStyle: true } : {}),
      ...(this.props.requestHandler ? { requestHandler: this.props.requestHandler } : {}),
    };
  }

  /**
   * One provider per role for the whole run: it assumes the role once and again shortly before the
   * credentials expire. A refusal (no such role, trust policy) is kept, so every task of that account
   * reports the same error without asking STS again.
   */
  private credentialsForRole(arn: string): AwsCredentialIdentityProvider {
    const existing = this.assumed.get(arn);
    if (existing) return existing;
    let current: Promise<AwsCredentialIdentity> | undefined;
    let failed: Promise<AwsCredentialIdentity> | undefined;
    const assume = async (): Promise<AwsCredentialIdentity> => {
      const response = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: this.props.sessionName ?? DEFAULT_SESSION_NAME,
          ExternalId: this.props.externalId,
          DurationSeconds: 3600,
        }),
      );
      const c = response.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${arn} returned no credentials`);
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    };
    const provider: AwsCredentialIdentityProvider = async () => {
      if (failed) return failed;
      if (current) {
        const c = await current;
        if (!c.expiration || c.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS) return c;
      }
      current = assume().catch((e: unknown) => {
        failed = Promise.reject(new AssumeRoleError(arn, e));
        // Handled by every caller that awaits it; keep Node from reporting it as unhandled meanwhile.
        failed.catch(() => undefined);
        return failed;
      });
      return current;
    };
    this.assumed.set(arn, provider);
    return provider;
  }
}

/** The role of an account could not be assumed: every request in that account fails with this. */
export class AssumeRoleError extends Error {
  constructor(
    readonly roleArn: string,
    readonly cause: unknown,
  ) {
    super(`cannot assume ${roleArn}: ${describeError(cause)}`);
    this.name = 'AssumeRoleError';
  }
}

/** The call an error came from, as an ERROR item names it. */
export interface CallScope {
  /** The operation as IAM spells it: `cloudtrail:DescribeTrails`. */
  readonly operation: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * What an ERROR item says of a failed call: the call, then the HTTP status and AWS's error code and
 * message, or, when the answer is not an AWS error response (a proxy's HTML page, an empty 5xx), the
 * start of its body; and the attempts when retried. E.g.
 * `cloudtrail:DescribeTrails in 111111111111 us-east-1: HTTP 400, AWS error code ThrottlingException: Rate exceeded (after 10 attempts)`.
 */
export function describeCallError(e: unknown, call: CallScope): string {
  return `${call.operation} in ${call.accountId} ${call.region}: ${describeFailure(e)}`;
}

/** Which call each error came from (set by `withCall`): `describeError` names it wherever the error is caught. */
const CALLS = new WeakMap<object, CallScope>();

/**
 * The error of a call, to rethrow, remembered with the call it came from so that `describeError`
 * names the call. The error is the same object (callers still judge it by its name or code), except an
 * `AssumeRoleError`, which every call of the account shares: each call gets its own copy.
 */
export function withCall(e: unknown, call: CallScope): unknown {
  if (typeof e !== 'object' || e === null || CALLS.has(e)) return e;
  const own = e instanceof AssumeRoleError ? new AssumeRoleError(e.roleArn, e.cause) : e;
  CALLS.set(own, call);
  return own;
}

/** `describeCallError` for an error `withCall` remembered; without its call otherwise (`sts:GetCallerIdentity`...). */
export function describeError(e: unknown): string {
  const call = typeof e === 'object' && e !== null ? CALLS.get(e) : undefined;
  return call ? describeCallError(e, call) : describeFailure(e);
}

/**
 * The fields the SDK (v3) puts on an error. `$metadata` comes from the HTTP response and the retry
 * middleware; `$fault` marks a ServiceException, which the protocols build from an AWS error response,
 * named "Unknown" when the response carried no error code (@aws-sdk/core, protocols/*: `?? "Unknown"`).
 * An answer the protocol could not parse at all is thrown as the parser's own error (SyntaxError...)
 * with no `$fault`; the deserializer middleware (@smithy/core, schemaDeserializationMiddleware and
 * middleware-serde/deserializerMiddleware) then adds the hidden `$response`, `$metadata`, and the
 * "Deserialization error: ... {error}.$response" hint to its message, which is not evidence.
 */
interface SdkErrorFields {
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string; readonly attempts?: number };
  readonly $response?: { readonly statusCode?: number; readonly body?: unknown };
  readonly $responseBodyText?: string;
  readonly Code?: string;
}

const UNKNOWN_CODES = new Set(['Unknown', 'UnknownError', 'Error']);
const BODY_START = 80;

function describeFailure(e: unknown): string {
  if (e instanceof AssumeRoleError) return e.message;
  if (!(e instanceof Error)) return String(e);
  const sdk = e as Error & SdkErrorFields;
  const status = sdk.$metadata?.httpStatusCode ?? sdk.$response?.statusCode;
  const notes: string[] = [];
  let text: string;
  if (status === undefined) {
    // No HTTP answer: a network error, a timeout, the collector's own error.
    text = `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${oneLine(withoutSdkHint(e.message))}`;
  } else {
    const code = awsErrorCode(sdk);
    const message = oneLine(withoutSdkHint(e.message));
    if (code) {
      text = `HTTP ${status}, AWS error code ${code}${message && !UNKNOWN_CODES.has(message) ? `: ${message}` : ''}`;
    } else {
      text = `HTTP ${status}, not an AWS ${status >= 300 ? 'error ' : ''}response`;
      notes.push(bodyStart(sdk));
    }
  }
  // No request id: it differs on every call, and the binder must be the same bytes for the same
  // answers (canonical.ts removes `$metadata` from responses for the same reason).
  const attempts = sdk.$metadata?.attempts;
  if (attempts && attempts > 1) notes.push(`after ${attempts} attempts`);
  return notes.length ? `${text} (${notes.join(', ')})` : text;
}

/** AWS's error code, or undefined when the answer carried none (not an AWS error response). */
function awsErrorCode(e: Error & SdkErrorFields): string | undefined {
  if (e.$fault === undefined && '$response' in e) return undefined;
  const code = e.Code ?? e.name;
  return code && !UNKNOWN_CODES.has(code) ? code : undefined;
}

/** `body starts: "<html>..."`, on one line of printable ASCII, or `empty body`. */
function bodyStart(e: SdkErrorFields): string {
  const body = e.$responseBodyText ?? e.$response?.body;
  let text: string;
  // Enough of a large page to fill BODY_START after whitespace is collapsed.
  if (typeof body === 'string') text = body.slice(0, 16 * BODY_START);
  else if (body instanceof Uint8Array) text = new TextDecoder().decode(body.subarray(0, 16 * BODY_START));
  else return 'body not read';
  const printable = oneLine(text).replace(/[^\x20-\x7e]/g, '?');
  if (!printable) return 'empty body';
  return `body starts: ${JSON.stringify(printable.length > BODY_START ? `${printable.slice(0, BODY_START)}...` : printable)}`;
}

function withoutSdkHint(message: string): string {
  const at = message.indexOf('Deserialization error:');
  return at < 0 ? message : message.slice(0, at);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Whether an SDK error is "this resource does not exist" (judged as FAIL, not ERROR). */
export function isNotFound(e: unknown, ...names: string[]): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { Code?: string }).Code;
  return names.includes(e.name) || (code !== undefined && names.includes(code));
}

/** Bounds the number of requests in flight; waiting callers are served in order. */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`Limiter: max must be a positive integer (got ${max})`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A finishing request hands its slot to the next waiter directly, so that a caller arriving in
    // between cannot take it too.
    if (this.active < this.max) this.active += 1;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    }
  }

  /** Requests in flight now (tests assert the bound). */
  get inFlight(): number {
    return this.active;
  }
}
