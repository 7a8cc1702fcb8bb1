/**
 * The three ways a landing zone announces a new account, read into one `AccountRequest`:
 * plain arguments, an Account Factory for Terraform (AFT) account request, and an AWS Control Tower
 * `CreateManagedAccount` / `UpdateManagedAccount` lifecycle event as EventBridge delivers it.
 * Each reader reports what is missing or wrong by its path in the input.
 */

/** The fields of an account request, each of which the config's member entry holds. */
export type RequestField = 'id' | 'name' | 'email' | 'ou' | 'regions' | 'tags';

/** An account to add to the org config; fields left undefined keep what the config already has. */
export interface AccountRequest {
  readonly id: string;
  readonly name?: string;
  readonly email?: string;
  readonly ou?: string;
  readonly regions?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  /** Where the request came from, for messages. */
  readonly source: 'arguments' | 'aft' | 'control-tower';
  /**
   * Whether the account was just created in the organization (an AFT account request, a Control Tower
   * CreateManagedAccount event): the baseline's Macie auto-enable has already made it a member.
   * @default false
   */
  readonly createdInOrganization?: boolean;
  /**
   * Where each field came from, as messages name it: `--email`, `aft.control_tower_parameters.AccountEmail`.
   * A problem with the vended entry is reported there, not at a line of a config that was never written.
   * @default `account.<field>`
   */
  readonly labels?: Readonly<Partial<Record<RequestField, string>>>;
}

/** The name messages give a field of `request`. */
export function labelOf(request: Pick<AccountRequest, 'labels'>, field: RequestField): string {
  return request.labels?.[field] ?? `account.${field}`;
}

/** The labels of a request given as `bin/baseline vend` options. */
export const OPTION_LABELS: Readonly<Record<RequestField, string>> = {
  id: '--account-id',
  name: '--name',
  email: '--email',
  ou: '--ou',
  regions: '--regions',
  tags: '--tag',
};

export class VendingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VendingError';
  }
}

type Json = Record<string, unknown>;

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[key];
  }
  return current;
}

function requireString(value: unknown, path: string[], label: string): string {
  const found = at(value, path);
  if (typeof found !== 'string' || found.trim() === '') {
    throw new VendingError(`${label}.${path.join('.')}: is required (a non-empty string)`);
  }
  return found.trim();
}

function optionalStringMap(value: unknown, path: string[], label: string): Record<string, string> | undefined {
  const found = at(value, path);
  if (found === undefined || found === null) return undefined;
  if (typeof found !== 'object' || Array.isArray(found)) throw new VendingError(`${label}.${path.join('.')}: must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(found as Json)) {
    if (typeof v !== 'string') throw new VendingError(`${label}.${path.join('.')}.${k}: must be a string`);
    out[k] = v;
  }
  return out;
}

/** "us-east-1, eu-west-1" → ["us-east-1", "eu-west-1"] */
export function parseRegionList(value: string): string[] {
  return value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

/** `key=value` pairs, as `--tag` gives them. */
export function parseTags(pairs: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new VendingError(`--tag ${pair}: must be key=value`);
    tags[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return tags;
}

/**
 * AWS Control Tower's Managed OU strings read "Sandbox" or "Sandbox (ou-abcd-12345678)"; the OU id,
 * when present, is the stable identifier.
 */
export function ouFromControlTowerName(value: string): string {
  const match = /\((ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})\)\s*$/.exec(value);
  return match ? match[1] : value;
}

/**
 * An AFT account request (the `aft-account-request` module's inputs, as JSON): `control_tower_parameters`
 * (AccountEmail, AccountName, ManagedOrganizationalUnit), `account_tags`, `custom_fields`. AFT creates
 * the account, so its id comes from the customization pipeline (`accountId`), or from
 * `custom_fields.account_id`. `custom_fields.soc2_baseline_regions` ("us-east-1,eu-west-1") is the
 * optional Region subset.
 */
export function fromAftRequest(request: unknown, accountId?: string): AccountRequest {
  const label = 'aft';
  if (request === null || typeof request !== 'object') throw new VendingError('aft: the account request must be a JSON object');
  const params = ['control_tower_parameters'];
  const customFields = optionalStringMap(request, ['custom_fields'], label) ?? {};
  const id = accountId ?? customFields.account_id;
  if (!id) {
    throw new VendingError('aft: the account id is unknown: pass --account-id (AFT exports it to customizations) or set custom_fields.account_id');
  }
  return {
    id,
    name: requireString(request, [...params, 'AccountName'], label),
    email: requireString(request, [...params, 'AccountEmail'], label),
    ou: ouFromControlTowerName(requireString(request, [...params, 'ManagedOrganizationalUnit'], label)),
    tags: optionalStringMap(request, ['account_tags'], label),
    regions: customFields.soc2_baseline_regions ? parseRegionList(customFields.soc2_baseline_regions) : undefined,
    source: 'aft',
    createdInOrganization: true,
    labels: {
      id: accountId !== undefined ? '--account-id' : 'aft.custom_fields.account_id',
      name: 'aft.control_tower_parameters.AccountName',
      email: 'aft.control_tower_parameters.AccountEmail',
      ou: 'aft.control_tower_parameters.ManagedOrganizationalUnit',
      regions: 'aft.custom_fields.soc2_baseline_regions',
      tags: 'aft.account_tags',
    },
  };
}

const LIFECYCLE_STATUS: Record<string, string> = {
  CreateManagedAccount: 'createManagedAccountStatus',
  UpdateManagedAccount: 'updateManagedAccountStatus',
};

/**
 * A Control Tower lifecycle event, as EventBridge delivers it (`source: aws.controltower`,
 * `detail.eventName` CreateManagedAccount or UpdateManagedAccount). The event carries the account's id,
 * name and OU but not its email, which the caller passes (`aws organizations describe-account`). An
 * event whose state is not SUCCEEDED is refused with Control Tower's own message.
 */
export function fromControlTowerEvent(event: unknown, email?: string): AccountRequest {
  const label = 'event';
  if (event === null || typeof event !== 'object') throw new VendingError('event: must be a JSON object (the EventBridge event)');
  const source = at(event, ['source']);
  if (source !== 'aws.controltower') {
    throw new VendingError(`event.source: must be "aws.controltower" (got ${JSON.stringify(source ?? null)})`);
  }
  const eventName = requireString(event, ['detail', 'eventName'], label);
  const statusKey = LIFECYCLE_STATUS[eventName];
  if (!statusKey) {
    throw new VendingError(`event.detail.eventName: ${eventName} is not an account lifecycle event (CreateManagedAccount or UpdateManagedAccount)`);
  }
  const status = ['detail', 'serviceEventDetails', statusKey];
  const state = requireString(event, [...status, 'state'], label);
  if (state !== 'SUCCEEDED') {
    const message = at(event, [...status, 'message']);
    throw new VendingError(
      `event: Control Tower reports ${eventName} as ${state}${typeof message === 'string' ? `: ${message}` : ''}; nothing was vended`,
    );
  }
  const path = (...rest: string[]) => [label, ...status, ...rest].join('.');
  return {
    id: requireString(event, [...status, 'account', 'accountId'], label),
    name: requireString(event, [...status, 'account', 'accountName'], label),
    ou: requireString(event, [...status, 'organizationalUnit', 'organizationalUnitId'], label),
    email,
    source: 'control-tower',
    createdInOrganization: eventName === 'CreateManagedAccount',
    labels: {
      id: path('account', 'accountId'),
      name: path('account', 'accountName'),
      ou: path('organizationalUnit', 'organizationalUnitId'),
      email: '--email',
    },
  };
}
