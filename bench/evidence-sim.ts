/**
 * A simulated organization for the evidence collector's benchmark (`make bench`, bench/evidence.ts).
 *
 * `decorateClient` (CollectOptions, evidence/aws.ts) adds one middleware to every SDK client the run
 * creates. It sits at the `deserialize` step, inside the SDK's retry loop (the retry middleware is at
 * `finalizeRequest`: @smithy/core, retry submodule, `retryMiddlewareOptions`), never calls `next` (no
 * request leaves the process), and:
 *
 * - waits a latency drawn deterministically between 50 and 150 ms (uniform; seeded by the call's
 *   account, Region, operation and how many times that operation was called there), then answers;
 * - or, when the token bucket of (account, Region, service, operation) is empty, throws the throttling
 *   error that service sends (a name the SDK's `isThrottlingError` lists), so that the adaptive retry
 *   strategy backs off and rate-limits the client as it would against AWS.
 *
 * Answers are what a healthy organization needs for the collector to make the calls it makes there:
 * an hourly chain of signed CloudTrail digest files per account and Region (log-file validation reads
 * each digest, lists the log files' versions, one each, and hashes a sample of them), detectors, paginated finding lists, the alarms asked for.
 * Judgements need not PASS. Commands it does not know answer `{}`.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { ClientDecorator } from '../evidence/aws';
import type { BaselineConfig } from '../config/schema';
import { memberRegions } from '../config/naming';
import { rulesFor } from '../evidence/checks/config-service';
import { answerFor } from './evidence-sim-answers';

/** A token bucket's refill rate (requests per second) and capacity (burst). */
export interface Rate {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * Request rates per account and Region, by `service:Operation` (service = the SDK client's name
 * without "Client"), then by service (`service:*`). Where AWS publishes a figure its page is cited;
 * where it publishes none, DEFAULT_RATE applies (listed under "Unverified" in docs/evidence.md).
 */
export const RATES: Readonly<Record<string, Rate>> = {
  // "GetFindings - RateLimit of 3 requests per second. BurstLimit of 6 requests per second."
  // https://docs.aws.amazon.com/securityhub/1.0/APIReference/Welcome.html
  'SecurityHub:GetFindings': { perSecond: 3, burst: 6 },
  // DescribeAlarms 9 TPS; DescribeAlarmHistory 3 TPS ("CloudWatch service quotas"):
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
  'CloudWatch:DescribeAlarms': { perSecond: 9, burst: 9 },
  'CloudWatch:DescribeAlarmHistory': { perSecond: 3, burst: 3 },
  // Non-mutating (Describe*) actions: bucket of 100 tokens refilled at 20 per second (DescribeHosts' figures):
  // https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
  'EC2:*': { perSecond: 20, burst: 100 },
  // "at least ... 5,500 GET/HEAD requests per second per partitioned Amazon S3 prefix":
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html
  'S3:GetObject': { perSecond: 5500, burst: 5500 },
  'S3:ListObjectsV2': { perSecond: 5500, burst: 5500 },
  // ListObjectVersions is a GET on the bucket (same page's figure).
  'S3:ListObjectVersions': { perSecond: 5500, burst: 5500 },
  // LookupEvents: "two per second, per account, per Region" (the only CloudTrail API rate AWS states):
  // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
  'CloudTrail:LookupEvents': { perSecond: 2, burst: 2 },
};

/**
 * AWS publishes no request rate for AWS Config's read APIs (including the aggregator's
 * DescribeAggregateComplianceByConfigRules and GetAggregateComplianceDetailsByConfigRule), CloudTrail's DescribeTrails/GetTrailStatus/
 * ListPublicKeys, GuardDuty, Macie, STS AssumeRole, Organizations, KMS reads, SNS, SQS, EventBridge,
 * CloudWatch Logs reads, Access Analyzer, Athena, Glue or S3 bucket-configuration reads in the pages
 * searched (AWS General Reference "endpoints and quotas" pages of each service): a conservative 5 per
 * second, burst 10.
 */
export const DEFAULT_RATE: Rate = { perSecond: 5, burst: 10 };

/** The latency of every answer, ms (uniform in [min, max]). */
export const LATENCY_MS = { min: 50, max: 150 } as const;

/** SimulationProps.nonCompliantShare's default: one account-Region in ten lists rules NON_COMPLIANT. */
export const NON_COMPLIANT_SHARE = 0.1;

export interface SimulationProps {
  /** Organization id, home Region, trail and bucket names: where the collector looks for digests. */
  readonly organizationId: string;
  readonly homeRegion: string;
  readonly trailName: string;
  readonly cloudTrailBucket: string;
  /**
   * Log files each hourly digest lists (each is one GetObject in log-file validation).
   * @default 12 - one every 5 minutes
   */
  readonly logFilesPerDigest?: number;
  /**
   * The config the organization was deployed from: the other commands are answered as it deploys them (bench/evidence-sim-answers.ts).
   * @default - none: those commands answer `{}`
   */
  readonly config?: BaselineConfig;
  /**
   * The share of member account-Regions where the Config aggregator lists baseline rules NON_COMPLIANT
   * (one or two rules, each with two NON_COMPLIANT resources): the collector then reads each listed
   * rule's results through the aggregator, in the audit account's home Region (period-config.ts). A
   * real organization is rarely clean; needs `config`.
   * @default NON_COMPLIANT_SHARE
   */
  readonly nonCompliantShare?: number;
  /** @default 1 */
  readonly seed?: number;
  /** @default RATES */
  readonly rates?: Readonly<Record<string, Rate>>;
  /** @default DEFAULT_RATE */
  readonly defaultRate?: Rate;
  /** Milliseconds, for the token buckets and the digests' times. @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Scope {
  readonly clientName: string;
  readonly accountId: string;
  readonly region: string;
}

/** What the simulation counted. */
export interface SimulationStats {
  readonly calls: number;
  readonly throttles: number;
  /** `service:Operation` -> [calls answered, throttles]. */
  readonly byOperation: Record<string, [number, number]>;
  /** `account/Region` -> calls answered (the client's account and Region). */
  readonly byAccountRegion: Record<string, number>;
}

/** A deterministic draw in [0, 1) from a string (FNV-1a, then one mulberry32 step). */
export function draw(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let t = (h + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** The error each service throttles with (all in the SDK's THROTTLING_ERROR_CODES). */
function throttlingError(service: string, operation: string): Error {
  const [name, status] = service === 'EC2' ? ['RequestLimitExceeded', 503] : service === 'S3' ? ['SlowDown', 503] : service === 'Organizations' ? ['TooManyRequestsException', 400] : ['ThrottlingException', 400];
  const e = new Error(`Rate exceeded (simulated): ${service}:${operation}`) as Error & Record<string, unknown>;
  e.name = name;
  e.$fault = 'client';
  e.$metadata = { httpStatusCode: status, requestId: 'simulated' };
  return e;
}

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.last = now;
  }

  /** Whether the bucket has refilled to its burst by `now`: it is then the same as a new one. */
  fullAt(now: number): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.rate.perSecond >= this.rate.burst;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
const compact = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
const ymd = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A body as the SDK gives it (a stream with transformToByteArray/String). */
function streamBody(bytes: Uint8Array): Readable {
  return Object.assign(Readable.from([Buffer.from(bytes)]), {
    transformToByteArray: async () => bytes,
    transformToString: async (encoding: BufferEncoding = 'utf-8') => Buffer.from(bytes).toString(encoding),
  });
}

/** One log file's content, the same for every log (its SHA-256 is what each digest records). */
const LOG_TEXT = JSON.stringify({ Records: [{ eventVersion: '1.11', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', readOnly: true }] });
const LOG_BODY = gzipSync(LOG_TEXT);
const LOG_HASH = sha256(LOG_TEXT);
const PAGES = 3;
/** Calls between two sweeps of the token buckets. */
const SWEEP_EVERY = 5_000;
/** How long a listed digest is kept for the collector to read (it reads a folder's digests within seconds of listing them). */
const DIGEST_KEPT_MS = 2 * 60_000;

export class SimulatedOrganization {
  /** Buckets refilled to their burst are dropped (every SWEEP_EVERY calls): memory follows the calls in flight, not the org. */
  private readonly buckets = new Map<string, TokenBucket>();
  private calls = 0;
  private readonly byOperation = new Map<string, [number, number]>();
  private readonly byAccountRegion = new Map<string, number>();
  private readonly digests = new Map<string, { body: Uint8Array; signature: string; at: number }>();
  private readonly keys: { privateKey: KeyObject; publicDer: Uint8Array; fingerprint: string };
  /** The aggregator's NON_COMPLIANT summary records (made on first use), and the `<account>/<region>/<rule>` they list. */
  private summary?: { records: Record<string, unknown>[]; listed: Set<string> };
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly props: SimulationProps) {
    this.now = props.now ?? Date.now;
    this.sleep = props.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    // 1024 bits: signing ~24 digests per account and Region must not weigh on the collector's CPU figure.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const publicDer = publicKey.export({ format: 'der', type: 'pkcs1' });
    this.keys = { privateKey, publicDer, fingerprint: createHash('md5').update(publicDer).digest('hex') };
  }

  /** The CollectOptions.decorateClient hook. */
  readonly decorateClient: ClientDecorator = (client, scope) => {
    const stack = client.middlewareStack as unknown as { add: (mw: unknown, options: Record<string, unknown>) => void };
    // Answers in place of the deserializer (and of the HTTP handler behind it): `next` is never called.
    stack.add(
      (_next: unknown, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        const output = await this.answer(scope, (context.commandName ?? 'Unknown').replace(/Command$/, ''), args.input ?? {});
        return { output: { ...output, $metadata: { httpStatusCode: 200, requestId: 'simulated' } }, response: {} };
      },
      { step: 'deserialize', name: 'benchSimulation', priority: 'high' },
    );
  };

  /** One call: throttled, or answered after its latency. */
  async answer(scope: Scope, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const service = scope.clientName.replace(/Client$/, '');
    const op = `${service}:${operation}`;
    const counts = this.byOperation.get(op) ?? [0, 0];
    this.byOperation.set(op, counts);
    const bucketKey = `${scope.accountId}|${scope.region}|${op}`;
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) {
      bucket = new TokenBucket(this.props.rates?.[op] ?? this.props.rates?.[`${service}:*`] ?? RATES[op] ?? RATES[`${service}:*`] ?? this.props.defaultRate ?? DEFAULT_RATE, this.now());
      this.buckets.set(bucketKey, bucket);
    }
    if (!bucket.take(this.now())) {
      counts[1] += 1;
      throw throttlingError(service, operation);
    }
    if (++this.calls % SWEEP_EVERY === 0) {
      const now = this.now();
      for (const [key, b] of this.buckets) if (b.fullAt(now)) this.buckets.delete(key);
      // Digests older than the window the collector reads (listed, never asked for) are dropped too.
      for (const [key, d] of this.digests) if (now - d.at > DIGEST_KEPT_MS) this.digests.delete(key);
    }
    // The same call (account, Region, operation, input) always waits the same time.
    await this.sleep(this.latency(`${this.props.seed ?? 1}|${bucketKey}|${JSON.stringify(input)}`));
    counts[0] += 1;
    const pair = `${scope.accountId}/${scope.region}`;
    this.byAccountRegion.set(pair, (this.byAccountRegion.get(pair) ?? 0) + 1);
    return this.response(scope, op, input);
  }

  /** The latency of the call identified by `key`, ms. */
  latency(key: string): number {
    return Math.round(LATENCY_MS.min + draw(key) * (LATENCY_MS.max - LATENCY_MS.min));
  }

  stats(): SimulationStats {
    let calls = 0;
    let throttles = 0;
    for (const [c, t] of this.byOperation.values()) {
      calls += c;
      throttles += t;
    }
    return {
      calls,
      throttles,
      byOperation: Object.fromEntries([...this.byOperation].sort(([a], [b]) => a.localeCompare(b))),
      byAccountRegion: Object.fromEntries(this.byAccountRegion),
    };
  }

  private response(scope: Scope, op: string, input: Record<string, unknown>): Record<string, unknown> {
    const token = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
    const next = token + 1 < PAGES ? { NextToken: String(token + 1) } : {};
    switch (op) {
      case 'STS:AssumeRole':
        return { Credentials: { AccessKeyId: 'ASIASIMULATED', SecretAccessKey: 'simulated', SessionToken: 'simulated', Expiration: new Date(this.now() + 3_600_000) } };
      case 'STS:GetCallerIdentity':
        return { Account: '000000000000', Arn: 'arn:aws:sts::000000000000:assumed-role/bench/simulated', UserId: 'SIMULATED' };
      case 'CloudTrail:ListPublicKeys':
        return { PublicKeyList: [{ Value: this.keys.publicDer, Fingerprint: this.keys.fingerprint, ValidityStartTime: new Date(this.now() - 30 * 86_400_000), ValidityEndTime: new Date(this.now() + 86_400_000) }] };
      case 'S3:ListObjectsV2':
        return { Contents: this.listDigests(String(input.Prefix ?? '')).map((Key) => ({ Key })), IsTruncated: false };
      case 'S3:GetObject':
        return this.getObject(String(input.Key ?? ''));
      // The log archive as the baseline builds it: versioned, under Object Lock with a default
      // retention (API_GetBucketVersioning.html, API_GetObjectLockConfiguration.html), each log file
      // with its one version (API_ListObjectVersions.html), so log-file validation judges by versions.
      case 'S3:GetBucketVersioning':
        return { Status: 'Enabled' };
      case 'S3:GetObjectLockConfiguration':
        return { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } } };
      case 'S3:ListObjectVersions':
        return { Versions: this.listLogs(String(input.Prefix ?? '')).map((Key) => ({ Key, VersionId: 'simulated-v1', IsLatest: true })), DeleteMarkers: [], IsTruncated: false };
      case 'EC2:DescribeVpcs':
        return { Vpcs: [{ VpcId: `vpc-${sha256(`${scope.accountId}${scope.region}`).slice(0, 17)}`, IsDefault: false }] };
      case 'GuardDuty:ListDetectors':
        return { DetectorIds: ['simulated0detector0000000000000'] };
      case 'GuardDuty:ListFindings':
        return { FindingIds: Array.from({ length: 50 }, (_, i) => `simulated-${token}-${i}`), ...next };
      case 'SecurityHub:GetFindings':
        return { Findings: [], ...next };
      // The aggregator's NON_COMPLIANT summary (read once per collection by period.config-compliance):
      // a healthy organization lists none, in one page (AggregateComplianceByConfigRules, no NextToken:
      // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeAggregateComplianceByConfigRules.html).
      case 'ConfigService:DescribeAggregateComplianceByConfigRules': {
        // Pages of at most Limit records (1000), NextToken while more remain.
        const { records } = this.nonCompliant();
        const limit = Math.min(Number(input.Limit ?? 1000) || 1000, 1000);
        const from = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
        return { AggregateComplianceByConfigRules: records.slice(from, from + limit), ...(from + limit < records.length ? { NextToken: String(from + limit) } : {}) };
      }
      // The NON_COMPLIANT results of one listed rule in one account-Region (AggregateEvaluationResult:
      // https://docs.aws.amazon.com/config/latest/APIReference/API_AggregateEvaluationResult.html).
      case 'ConfigService:GetAggregateComplianceDetailsByConfigRule': {
        const rule = String(input.ConfigRuleName ?? '');
        const account = String(input.AccountId ?? '');
        const region = String(input.AwsRegion ?? '');
        if (!this.nonCompliant().listed.has(`${account}/${region}/${rule}`)) return { AggregateEvaluationResults: [] };
        return {
          AggregateEvaluationResults: [1, 2].map((n) => ({
            EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: 'AWS::S3::Bucket', ResourceId: `simulated-${account}-${region}-${n}` }, OrderingTimestamp: new Date(this.now() - 3_600_000) },
            ComplianceType: 'NON_COMPLIANT',
            ResultRecordedTime: new Date(this.now() - 3_600_000),
            ConfigRuleInvokedTime: new Date(this.now() - 3_600_000),
            AccountId: account,
            AwsRegion: region,
          })),
        };
      }
      case 'CloudWatch:DescribeAlarms':
        return { MetricAlarms: ((input.AlarmNames as string[] | undefined) ?? []).map((AlarmName) => ({ AlarmName, StateValue: 'OK', ActionsEnabled: true, AlarmActions: [] })) };
      default:
        return answerFor(op, { accountId: scope.accountId, region: scope.region, input, config: this.props.config, now: this.now() }) ?? {};
    }
  }

  /**
   * The aggregator's NON_COMPLIANT records (AggregateComplianceByConfigRule: ConfigRuleName, Compliance,
   * AccountId, AwsRegion; https://docs.aws.amazon.com/config/latest/APIReference/API_AggregateComplianceByConfigRule.html):
   * a share of the member account-Regions, drawn from the seed, lists one or two of its baseline rules.
   */
  private nonCompliant(): { records: Record<string, unknown>[]; listed: Set<string> } {
    if (this.summary) return this.summary;
    const records: Record<string, unknown>[] = [];
    const listed = new Set<string>();
    const { config } = this.props;
    const share = this.props.nonCompliantShare ?? NON_COMPLIANT_SHARE;
    for (const member of config?.members ?? []) {
      for (const region of memberRegions(config as BaselineConfig, member)) {
        const at = `${this.props.seed ?? 1}|noncompliant|${member.id}|${region}`;
        if (draw(at) >= share) continue;
        const rules = rulesFor(config as BaselineConfig, region);
        const count = draw(`${at}|count`) < 0.5 ? 1 : 2;
        for (let i = 0; i < count && rules.length; i++) {
          const rule = rules[Math.floor(draw(`${at}|${i}`) * rules.length)].name;
          if (listed.has(`${member.id}/${region}/${rule}`)) continue;
          listed.add(`${member.id}/${region}/${rule}`);
          records.push({ ConfigRuleName: rule, Compliance: { ComplianceType: 'NON_COMPLIANT', ComplianceContributorCount: { CappedCount: 2, CapExceeded: false } }, AccountId: member.id, AwsRegion: region });
        }
      }
    }
    this.summary = { records, listed };
    return this.summary;
  }

  /**
   * The hourly digests of the last 26 hours in the folder `.../AWSLogs/<org>/<account>/CloudTrail-Digest/<region>/`,
   * generated oldest first (each links to and signs over its predecessor) and kept until read.
   */
  private listDigests(folder: string): string[] {
    const m = /AWSLogs\/(?:[^/]+\/)?(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/$/.exec(folder);
    if (!m) return [];
    const [, accountId, region] = m;
    const { trailName, homeRegion, cloudTrailBucket: bucket } = this.props;
    const perDigest = this.props.logFilesPerDigest ?? 12;
    const lastHour = Math.floor(this.now() / 3_600_000) * 3_600_000;
    const keys: string[] = [];
    let previous: { key: string; hash: string; signature: string } | undefined;
    for (let end = lastHour - 25 * 3_600_000; end <= lastHour; end += 3_600_000) {
      const endDate = new Date(end);
      const key = `${folder}${ymd(endDate)}/${accountId}_CloudTrail-Digest_${region}_${trailName}_${homeRegion}_${compact(endDate)}.json.gz`;
      const logFolder = folder.replace('/CloudTrail-Digest/', '/CloudTrail/');
      const digest = {
        awsAccountId: accountId,
        digestStartTime: new Date(end - 3_600_000).toISOString().replace('.000', ''),
        digestEndTime: endDate.toISOString().replace('.000', ''),
        digestS3Bucket: bucket,
        digestS3Object: key,
        digestPublicKeyFingerprint: this.keys.fingerprint,
        digestSignatureAlgorithm: 'SHA256withRSA',
        newestEventTime: endDate.toISOString(),
        oldestEventTime: new Date(end - 3_600_000).toISOString(),
        previousDigestS3Bucket: previous ? bucket : null,
        previousDigestS3Object: previous?.key ?? null,
        previousDigestHashValue: previous?.hash ?? null,
        previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
        previousDigestSignature: previous?.signature ?? null,
        logFiles: Array.from({ length: perDigest }, (_, i) => ({
          s3Bucket: bucket,
          s3Object: `${logFolder}${ymd(endDate)}/${accountId}_CloudTrail_${region}_${compact(new Date(end - 3_600_000 + (i * 3_600_000) / perDigest))}_${i}.json.gz`,
          hashValue: LOG_HASH,
          hashAlgorithm: 'SHA-256',
        })),
      };
      const text = JSON.stringify(digest);
      const signing = `${digest.digestEndTime}\n${bucket}/${key}\n${sha256(text)}\n${digest.previousDigestSignature ?? 'null'}`;
      const signature = createSign('sha256').update(signing).sign(this.keys.privateKey).toString('hex');
      // A copy of its own size: zlib's output is a view of a larger chunk, which would stay alive with it.
      this.digests.set(key, { body: new Uint8Array(gzipSync(text)), signature, at: this.now() });
      previous = { key, hash: sha256(text), signature };
      keys.push(key);
    }
    return keys;
  }

  /** The log files the digests of listDigests list in one day folder `.../AWSLogs/<org>/<account>/CloudTrail/<region>/YYYY/MM/DD/`. */
  private listLogs(prefix: string): string[] {
    const m = /AWSLogs\/(?:[^/]+\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4}\/\d{2}\/\d{2})\/$/.exec(prefix);
    if (!m) return [];
    const [, accountId, region, day] = m;
    const perDigest = this.props.logFilesPerDigest ?? 12;
    const lastHour = Math.floor(this.now() / 3_600_000) * 3_600_000;
    const folder = prefix.slice(0, prefix.length - day.length - 1);
    const keys: string[] = [];
    for (let end = lastHour - 25 * 3_600_000; end <= lastHour; end += 3_600_000) {
      if (ymd(new Date(end)) !== day) continue;
      for (let i = 0; i < perDigest; i++) keys.push(`${folder}${day}/${accountId}_CloudTrail_${region}_${compact(new Date(end - 3_600_000 + (i * 3_600_000) / perDigest))}_${i}.json.gz`);
    }
    return keys.sort();
  }

  private getObject(key: string): Record<string, unknown> {
    if (key.includes('/CloudTrail/')) return { Body: streamBody(LOG_BODY), Metadata: {} };
    const digest = this.digests.get(key);
    if (!digest) {
      const e = new Error('The specified key does not exist. (simulated)') as Error & Record<string, unknown>;
      e.name = 'NoSuchKey';
      e.$fault = 'client';
      e.$metadata = { httpStatusCode: 404 };
      throw e;
    }
    // Read once by the collector: dropped, so that memory stays flat in the number of accounts.
    this.digests.delete(key);
    return { Body: streamBody(digest.body), Metadata: { signature: digest.signature } };
  }
}
