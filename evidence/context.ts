/**
 * The collection run's shared state, and the unit of work the checks are written in: a `Task` covers
 * some controls in one account and Region, records every API call it makes (the binder's raw
 * evidence), and turns an error that escapes it into ERROR items for its controls, so that one
 * account's refusal never stops the run.
 */
import type { BaselineConfig } from '../config/schema';
import { describeCallError, describeError, withCall, type AwsAccess, type CallScope, type BaseClientConfig, type Limiter } from './aws';
import { canonicalize } from './canonical';
import { controlOf } from './controls';
import type { AuditPeriod } from './period/period';
import type { EvidenceItem, EvidenceStatus, RawRecord, StatusCounts } from './types';
import { SHARED_UNIT_PREFIX, type Unit, type UnitSink } from './units';

export { SHARED_UNIT_PREFIX };

export interface CollectSettings {
  /** Findings window (GuardDuty, Macie), days. */
  readonly sinceDays: number;
  /** Log-file validation window; absent when skipped. */
  readonly logValidation?: { readonly start: Date; readonly end: Date };
  /** The role that may read the log archive's objects (digest and log files). */
  readonly logReaderRoleArn?: string;
  /** Log files hashed per account and Region besides their versions' proof, or 'all' (evidence/digest.ts). */
  readonly logFileSample: number | 'all';
  /** Most findings read per account and Region and API (the counts say when this cap was reached). */
  readonly maxFindings: number;
  /** The Regions and accounts judged. */
  readonly regions: readonly string[];
  readonly accounts: readonly string[];
  /** The audit period the period sections judge (`--from`/`--to`). */
  readonly period: AuditPeriod;
  /** The `baseline investigate --format json` file of the investigation sample, when given. */
  readonly investigationSample?: string;
}

export interface CollectContext {
  readonly config: BaselineConfig;
  readonly settings: CollectSettings;
  readonly now: () => Date;
  readonly access: AwsAccess;
  readonly limiter: Limiter;
  /**
   * Where each finished task's results go (evidence/units.ts): a collection folder on disk for
   * `baseline evidence`, memory for the API.
   */
  readonly sink: UnitSink;
  /**
   * The results so far, in memory, when the sink keeps them there (`MemorySink`; empty otherwise):
   * items in the order their tasks finished, raw records by final name.
   */
  readonly raw: Map<string, RawRecord>;
  readonly items: EvidenceItem[];
  /**
   * Answers several tasks need (the log archive's keys), read once by the first task that asks and
   * awaited by the others: `shared(ctx, key, fn)`.
   */
  readonly memo: Map<string, Promise<unknown>>;
}

/**
 * The value of `fn` for `key`, computed once per run in a task of its own (its calls are recorded
 * as raw evidence, but in no caller's list: items name them explicitly, so the binder does not
 * depend on which task asked first).
 */
export function shared<T>(ctx: CollectContext, key: string, scope: { readonly label: string; readonly accountId: string; readonly region: string }, fn: (task: Task) => Promise<T>): Promise<T> {
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    const task = new Task(ctx, { ...scope, controls: [] }, async () => undefined);
    task.key = `${SHARED_UNIT_PREFIX}${key}`;
    // The shared task's records are a unit of their own, written when its answer is known.
    p = fn(task).finally(() => {
      task.destroyClients();
      ctx.sink.add(task.unit());
    });
    ctx.memo.set(key, p);
  }
  return p;
}

interface Destroyable {
  destroy(): void;
}

export interface ItemInput {
  readonly controlId: string;
  readonly title: string;
  readonly status: EvidenceStatus;
  readonly reason: string;
  /** @default the task's account */
  readonly accountId?: string;
  /** @default the task's Region */
  readonly region?: string;
  /** @default the task's resource, if any */
  readonly resource?: string;
  /** @default the raw records made since the enclosing `guard` started (or by the whole task) */
  readonly raw?: readonly string[];
  readonly sources: readonly string[];
  /** @default - none */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface CallOptions {
  /**
   * Distinguishes calls of the same operation in the same account and Region (a bucket name...).
   * @default - none: the operation is called once there
   */
  readonly key?: string;
  /** @default the task's account */
  readonly accountId?: string;
  /** @default the task's Region */
  readonly region?: string;
  /**
   * Reduce each response page before it is recorded (large finding lists); says so in the record.
   * @default - the pages as returned
   */
  readonly project?: { readonly describe: string; readonly fn: (page: unknown) => unknown };
}


/** A planned task's counts and errors until it runs (shared: a plan of 90,000 tasks holds no copies). */
const NO_COUNTS: Readonly<StatusCounts> = Object.freeze({ PASS: 0, FAIL: 0, ERROR: 0 });
const NO_ERRORS: readonly string[] = Object.freeze([]);

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

export class Task {
  /**
   * The task's unit key: unique and the same in every run and shard planned from the same inputs
   * (`planTasks` sets it; resumption and merging match results by it).
   */
  key = '';
  /**
   * What the task holds while it runs, made when it starts and dropped when it ends: a run plans every
   * task up front (90,000 at 1,000 accounts x 17 Regions), and a planned task must weigh no more than
   * its key and its closure, or the plan alone makes memory grow with the organization.
   */
  private working?: {
    readonly rawNames: string[];
    /** The task's own raw records by name, in the order their names were reserved. */
    readonly records: Map<string, RawRecord>;
    readonly produced: EvidenceItem[];
    readonly clients: Destroyable[];
    /** Where each running `guard` started in `rawNames`: an item's evidence is its guard's calls. */
    readonly guardStarts: number[];
  };

  private get state(): NonNullable<Task['working']> {
    return (this.working ??= { rawNames: [], records: new Map(), produced: [], clients: [], guardStarts: [] });
  }

  /** The names of the raw records the task has made so far, in order. */
  get rawNames(): string[] {
    return this.state.rawNames;
  }

  /** The items this task recorded. */
  get produced(): EvidenceItem[] {
    return this.state.produced;
  }

  private get records(): Map<string, RawRecord> {
    return this.state.records;
  }

  private get clients(): Destroyable[] {
    return this.state.clients;
  }

  private get guardStarts(): number[] {
    return this.state.guardStarts;
  }

  readonly label: string;
  readonly accountId: string;
  readonly region: string;
  /** The controls this task judges: each gets an ERROR item if the task fails before judging it. */
  readonly controls: readonly string[];
  /** The resource its items are about, unless an item names another. */
  readonly resource?: string;

  constructor(
    readonly ctx: CollectContext,
    scope: {
      /** What the progress display says. */
      readonly label: string;
      readonly accountId: string;
      readonly region: string;
      readonly controls: readonly string[];
      /** @default - none: each item names its own, or none */
      readonly resource?: string;
    },
    readonly run: (task: Task) => Promise<void>,
  ) {
    this.label = scope.label;
    this.accountId = scope.accountId;
    this.region = scope.region;
    this.controls = scope.controls;
    this.resource = scope.resource;
  }

  /** A client of the task's account (through its assumed role), destroyed when the task ends. */
  client<T extends Destroyable>(Ctor: new (config: BaseClientConfig) => T, region = this.region, accountId = this.accountId): T {
    const client = new Ctor(this.ctx.access.clientConfig(accountId, region, Ctor.name));
    this.ctx.access.props.decorateClient?.(client as never, { clientName: Ctor.name, accountId, region });
    this.clients.push(client);
    return client;
  }

  /** A client of another role (the log reader), destroyed when the task ends. */
  clientForRole<T extends Destroyable>(Ctor: new (config: BaseClientConfig) => T, arn: string, region = this.region): T {
    const client = new Ctor(this.ctx.access.clientConfigForRole(arn, region, Ctor.name));
    this.ctx.access.props.decorateClient?.(client as never, { clientName: Ctor.name, accountId: arn.split(':')[4] ?? 'unknown', region });
    this.clients.push(client);
    return client;
  }

  /** One API call through the run's limiter, recorded as raw evidence (response or error). */
  async call<T>(operation: string, request: unknown, send: () => Promise<T>, options: CallOptions = {}): Promise<T> {
    const pages = await this.paginate<T>(operation, request, () => send(), () => undefined, options);
    return pages[0];
  }

  /**
   * Every page of a paginated call, recorded as one raw record. `send` gets the token of the page to
   * fetch; `next` reads the following token from a page.
   * @param maxPages stop after this many pages (the finding lists), so that a huge account cannot stall the run
   */
  async paginate<T>(
    operation: string,
    request: unknown,
    send: (token: string | undefined) => Promise<T>,
    next: (page: T) => string | undefined,
    options: CallOptions = {},
    maxPages = 10_000,
  ): Promise<T[]> {
    const accountId = options.accountId ?? this.accountId;
    const region = options.region ?? this.region;
    const pages: T[] = [];
    const name = this.rawName(accountId, region, operation, options.key);
    const base = { name, accountId, region, operation, request: canonicalize(request) };
    try {
      let token: string | undefined;
      do {
        const page = await this.ctx.limiter.run(() => send(token));
        pages.push(page);
        token = next(page);
      } while (token && pages.length < maxPages);
    } catch (e) {
      this.record({ ...base, collectedAt: this.ctx.now().toISOString(), error: errorShape(e, { operation, accountId, region }), ...(pages.length ? { responses: pages.map((p) => this.project(p, options)) } : {}) });
      // The error itself (checks judge it by its code), remembered with its call for the ERROR item.
      throw withCall(e, { operation, accountId, region });
    }
    this.record({
      ...base,
      collectedAt: this.ctx.now().toISOString(),
      responses: pages.map((p) => this.project(p, options)),
      ...(options.project ? { projection: options.project.describe } : {}),
    });
    return pages;
  }

  /** Records a judgement. */
  item(input: ItemInput): void {
    const control = controlOf(input.controlId);
    const accountId = input.accountId ?? this.accountId;
    const region = input.region ?? this.region;
    const resource = input.resource ?? this.resource;
    // Unique by construction; a repeat (a check's bug) gets `~2`... when the units are assembled.
    const id = [input.controlId, accountId, region, ...(resource ? [resource] : [])].join('/');
    const item: EvidenceItem = {
      id,
      controlId: input.controlId,
      tsc: [...control.tsc],
      title: input.title,
      status: input.status,
      reason: input.reason,
      accountId,
      region,
      ...(resource ? { resource } : {}),
      collectedAt: this.ctx.now().toISOString(),
      raw: [...new Set(input.raw ?? this.rawNames.slice(this.guardStarts.at(-1) ?? 0))].sort(),
      sources: [...new Set(input.sources)].sort(),
      ...(input.details ? { details: canonicalize(input.details) as Record<string, unknown> } : {}),
    };
    this.produced.push(item);
  }

  /** Runs the task; an error becomes an ERROR item for every control it had not judged yet. Hands its unit to the sink. */
  async execute(): Promise<void> {
    try {
      await this.guard(this.controls, () => this.run(this));
    } finally {
      this.destroyClients();
    }
    // Its results, to the run's sink (disk or memory), once, when it has finished; then the task lets
    // go of them, so that a run's memory does not grow with the tasks done.
    this.ctx.sink.add(this.unit());
    const counts = { PASS: 0, FAIL: 0, ERROR: 0 };
    for (const item of this.produced) counts[item.status] += 1;
    this.counts = counts;
    this.errors = this.produced.filter((i) => i.status === 'ERROR').map((i) => `${i.controlId}: ${i.reason}`);
    this.working = undefined;
  }

  /** After `execute`: its items by status, and its ERROR items' reasons (the progress display). */
  counts: Readonly<StatusCounts> = NO_COUNTS;
  errors: readonly string[] = NO_ERRORS;

  /** Destroys the task's clients (execute does it; a helper task used directly calls it). */
  destroyClients(): void {
    if (!this.working) return;
    for (const client of this.clients.splice(0)) client.destroy();
  }

  /**
   * Runs part of a task; if it throws, each of `controls` it had not judged yet gets an ERROR item
   * (about `resource`, when given), and the rest of the task goes on: one refused call spoils only the
   * controls that needed it.
   */
  async guard(controls: readonly string[], fn: () => Promise<void>, resource?: string): Promise<void> {
    this.guardStarts.push(this.rawNames.length);
    const itemsBefore = this.produced.length;
    try {
      await fn();
    } catch (e) {
      const judgedHere = new Set(this.produced.slice(itemsBefore).map((i) => i.controlId));
      for (const controlId of controls) {
        if (judgedHere.has(controlId)) continue;
        this.item({
          controlId,
          title: `${this.label}: evidence not collected`,
          status: 'ERROR',
          reason: `could not collect: ${describeError(e)}`,
          sources: [],
          ...(resource ? { resource } : {}),
        });
      }
    } finally {
      this.guardStarts.pop();
    }
  }

  private project(page: unknown, options: CallOptions): unknown {
    return canonicalize(options.project ? options.project.fn(page) : page);
  }

  private rawName(accountId: string, region: string, operation: string, key?: string, fixed?: string): string {
    const base = fixed !== undefined ? fixed.replace(/\.json$/, '') : `${accountId}.${region}.${operation.replace(':', '.')}${key ? `.${safe(key)}` : ''}`;
    let name = `${base}.json`;
    // Unique in the task; across tasks, the assembly renames deterministically (evidence/units.ts).
    for (let n = 2; this.records.has(name); n++) name = `${base}.${n}.json`;
    // Reserve the name now: concurrent calls of the task must not pick the same one.
    this.records.set(name, { name, accountId, region, operation, request: null, collectedAt: '' });
    this.rawNames.push(name);
    return name;
  }

  private record(record: RawRecord): void {
    this.records.set(record.name, record);
  }

  /**
   * Records a raw record made without an API call (a computed report, such as log file validation),
   * under `name` (made unique in the task); returns the name used.
   */
  recordRaw(record: RawRecord): string {
    const name = this.rawName(record.accountId, record.region, record.operation, undefined, record.name);
    this.record({ ...record, name });
    return name;
  }

  /** The task's results: its items and its raw records (those whose call finished). */
  unit(): Unit {
    return { key: this.key, items: [...this.produced], raw: [...this.records.values()].filter((r) => r.collectedAt !== '') };
  }
}

/** The raw record's error: its name, and the readable description (status, AWS's code; never the SDK's parse hint). */
function errorShape(e: unknown, call: CallScope): { name: string; message: string; attempts?: number } {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const attempts = (e as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  return { name: e.name, message: describeCallError(e, call), ...(attempts ? { attempts } : {}) };
}
