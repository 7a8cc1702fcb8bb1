/**
 * Reads the plans `baseline review` judges: the JSON that `terraform show -json PLANFILE` prints, in
 * Terraform's documented JSON output format (https://developer.hashicorp.com/terraform/internals/json-format).
 * Only what the review needs is typed here: `format_version`, and per resource `address`, `mode`,
 * `type` and `change` (`actions`, `before`, `after`, `after_unknown`).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CommandError } from '../bin/cli-command';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What a plan does to one resource, from `change.actions`. The format documents these action lists:
 * `["no-op"]`, `["create"]`, `["read"]`, `["update"]`, `["delete", "create"]` and `["create", "delete"]`
 * (a replacement, destroy-before-create or create-before-destroy), `["delete"]`, and since Terraform 1.7
 * `["forget"]` (a `removed` block that keeps the object but drops it from state).
 */
export type ChangeKind = 'create' | 'update' | 'replace' | 'delete' | 'read' | 'no-op' | 'forget';

export const CHANGE_KINDS: readonly ChangeKind[] = ['create', 'update', 'replace', 'delete', 'forget', 'read', 'no-op'];

export interface PlannedChange {
  /** The resource instance address, e.g. `aws_cloudtrail.trail` or `module.x.aws_flow_log.y["vpc-1"]`. */
  readonly address: string;
  readonly type: string;
  /** `managed` for resources, `data` for data sources (which a plan only reads). */
  readonly mode: 'managed' | 'data';
  readonly kind: ChangeKind;
  readonly actions: readonly string[];
  /** The object before the change; null when it is created. */
  readonly before: JsonObject | null;
  /** The object after the change, without the values known only after apply; null when it is deleted. */
  readonly after: JsonObject | null;
  /** Mirrors `after`, with `true` where a value is known only after apply. */
  readonly afterUnknown: JsonValue;
}

export interface StackPlan {
  /** The stack the plan is of (see `stackNameOf`). */
  readonly stack: string;
  readonly file: string;
  /** `terraform_version` of the plan. @default - not recorded */
  readonly terraformVersion?: string;
  readonly changes: readonly PlannedChange[];
  /**
   * The plan's provider configurations (`configuration.provider_config`, keyed `aws` or `aws.<alias>`),
   * and the key of the provider each configured resource uses (`configuration.root_module.resources[]`
   * `provider_config_key`, by address without instance key): what `baseline review --destroy` checks
   * the accounts of. @default - none in the plan
   */
  readonly configuration?: PlanConfiguration;
}

export interface ProviderConfiguration {
  /** `allowed_account_ids`, when a constant list of strings. */
  readonly allowedAccountIds?: readonly string[];
  /** Each `assume_role[].role_arn`: its constant value, or null when an expression (a variable). */
  readonly roleArns: readonly (string | null)[];
}

export interface PlanConfiguration {
  readonly providers: Readonly<Record<string, ProviderConfiguration>>;
  /** Resource address (no instance key) → `provider_config_key`. */
  readonly resourceProviders: Readonly<Record<string, string>>;
}

/** The action lists the format documents, and what each one does. */
const KINDS: ReadonlyMap<string, ChangeKind> = new Map([
  ['no-op', 'no-op'],
  ['create', 'create'],
  ['read', 'read'],
  ['update', 'update'],
  ['delete,create', 'replace'],
  ['create,delete', 'replace'],
  ['delete', 'delete'],
  ['forget', 'forget'],
]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The stack a plan file is of: `explicit` when given; else the stack folder the file is in
 * (`cdktf.out/stacks/<stack>/plan.json`, where the pipeline writes it); else the file's name without
 * its extensions (`member-111111111111.plan.json` → `member-111111111111`).
 */
export function stackNameOf(file: string, explicit?: string): string {
  if (explicit !== undefined) return explicit;
  const folder = dirname(file);
  if (basename(dirname(folder)) === 'stacks') return basename(folder);
  return basename(file).replace(/(\.(json|tfplan|plan))+$/i, '');
}

/** Validates a parsed `terraform show -json` document and normalizes its resource changes. */
export function parsePlan(data: unknown, file: string, stack: string): StackPlan {
  if (!isObject(data)) throw new CommandError(`${file}: not a Terraform JSON plan (expected an object)`);
  const version = data.format_version;
  if (typeof version !== 'string') {
    throw new CommandError(`${file}: no "format_version": not the output of \`terraform show -json PLANFILE\``);
  }
  // "The format_version ... changes in the major version number indicate a breaking change" (JSON
  // output format): read the 1.x format, refuse others rather than misread them.
  if (!version.startsWith('1.')) throw new CommandError(`${file}: "format_version" ${version} is not supported (expected 1.x)`);
  if (data.resource_changes === undefined && isObject(data.values)) {
    throw new CommandError(`${file}: this is a state, not a plan: run \`terraform show -json PLANFILE\` on a saved plan (terraform plan -out=PLANFILE)`);
  }
  if (data.errored === true) throw new CommandError(`${file}: the plan errored ("errored": true): Terraform could not complete it`);
  const raw = data.resource_changes ?? [];
  if (!Array.isArray(raw)) throw new CommandError(`${file}: "resource_changes" must be an array`);
  const changes = raw.map((rc, i): PlannedChange => {
    const where = `${file}: resource_changes[${i}]`;
    if (!isObject(rc) || typeof rc.address !== 'string' || typeof rc.type !== 'string' || !isObject(rc.change)) {
      throw new CommandError(`${where}: needs "address", "type" and "change"`);
    }
    const actions = rc.change.actions;
    if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) {
      throw new CommandError(`${where} (${rc.address}): "change.actions" must be an array of strings`);
    }
    const kind = KINDS.get(actions.join(','));
    // An action list the format does not document is refused: the guard must not pass what it cannot read.
    if (!kind) throw new CommandError(`${where} (${rc.address}): unknown "change.actions" ${JSON.stringify(actions)}`);
    return {
      address: rc.address,
      type: rc.type,
      mode: rc.mode === 'data' ? 'data' : 'managed',
      kind,
      actions: actions as string[],
      before: isObject(rc.change.before) ? rc.change.before : null,
      after: isObject(rc.change.after) ? rc.change.after : null,
      afterUnknown: rc.change.after_unknown ?? {},
    };
  });
  return {
    stack,
    file,
    terraformVersion: typeof data.terraform_version === 'string' ? data.terraform_version : undefined,
    changes,
    configuration: planConfiguration(data.configuration),
  };
}

/** `constant_value` of a configuration expression (JSON output format, "Expression Representation"). */
function constantOf(expression: JsonValue | undefined): JsonValue | undefined {
  return isObject(expression) ? expression.constant_value : undefined;
}

/**
 * The provider configurations and resource → provider keys of a plan's `configuration` (JSON output
 * format, "Configuration Representation": `provider_config` entries with `expressions`, and
 * `root_module.resources[]` with `provider_config_key`; an expression that is not a constant has only
 * `references`). Resources of child modules are read too.
 */
function planConfiguration(configuration: JsonValue | undefined): PlanConfiguration | undefined {
  if (!isObject(configuration)) return undefined;
  const providers: Record<string, ProviderConfiguration> = {};
  const providerConfig = isObject(configuration.provider_config) ? configuration.provider_config : {};
  for (const [key, entry] of Object.entries(providerConfig)) {
    const expressions = isObject(entry) && isObject(entry.expressions) ? entry.expressions : {};
    const allowed = constantOf(expressions.allowed_account_ids);
    const assume = Array.isArray(expressions.assume_role) ? expressions.assume_role : [];
    providers[key] = {
      allowedAccountIds: Array.isArray(allowed) && allowed.every((a) => typeof a === 'string') ? (allowed as string[]) : undefined,
      roleArns: assume.map((a) => {
        const arn = isObject(a) ? constantOf(a.role_arn) : undefined;
        return typeof arn === 'string' ? arn : null;
      }),
    };
  }
  const resourceProviders: Record<string, string> = {};
  const visit = (module: JsonValue | undefined, prefix: string): void => {
    if (!isObject(module)) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (isObject(r) && typeof r.address === 'string' && typeof r.provider_config_key === 'string') {
        resourceProviders[`${prefix}${r.address}`] = r.provider_config_key;
      }
    }
    const calls = isObject(module.module_calls) ? module.module_calls : {};
    for (const [name, call] of Object.entries(calls)) if (isObject(call)) visit(call.module, `${prefix}module.${name}.`);
  };
  visit(configuration.root_module, '');
  return { providers, resourceProviders };
}

/** Reads and validates one plan file. */
export function readPlan(file: string, stack?: string): StackPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CommandError(`${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CommandError(`${file}: not valid JSON (${(e as Error).message}); pass the output of \`terraform show -json PLANFILE\`, not the binary plan`);
  }
  return parsePlan(data, file, stackNameOf(file, stack));
}
