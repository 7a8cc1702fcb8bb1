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
}

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

/** `Name: message (N attempts)`: what an ERROR item says. */
export function describeError(e: unknown): string {
  if (e instanceof AssumeRoleError) return e.message;
  if (e instanceof Error) {
    const attempts = (e as { $metadata?: { attempts?: number } }).$metadata?.attempts;
    const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
    return `${name}${e.message}${attempts && attempts > 1 ? ` (after ${attempts} attempts)` : ''}`;
  }
  return String(e);
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
