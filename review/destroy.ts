/**
 * `baseline review --destroy`: the review of the destroy plan of a stack the pipeline must destroy.
 * Destroying a stack deletes every control it holds, which the SOC 2 guard refuses. That deletion is
 * intended only for a stack of `removedMembers` (an account `baseline remove` took out of the baseline),
 * and only in a destroy plan of that stack (`terraform plan -destroy`: every managed resource deleted,
 * nothing created or changed). Then each weakening the guard finds is accepted, with that reason; a live
 * stack (in `members`), a stack the config does not name, or a plan that does more than delete is refused.
 *
 * The stack's name (`--stack`, or the plan's folder) is only a label: an Atlantis project whose `dir` is
 * another stack's folder, or a committed `*_override.tf.json` that redirects the backend or the provider,
 * yields a destroy plan of a live account under a removed stack's name. So the plan itself must show it
 * deletes from the removed account: its default `aws` provider pins that account (`allowed_account_ids`,
 * and the account of each constant `assume_role.role_arn`, as modules/providers/account-provider.ts
 * writes them; the AWS provider refuses to run with credentials of another account, "allowed_account_ids",
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs#allowed_account_ids), its only
 * other provider is the audit account's (`aws.audit`, which manages the member's Macie membership,
 * stacks/member-stack.ts), and every deleted resource's own ARN or account id (`arn`, `id` when an ARN,
 * `account_id`, `owner_id`) is in the account of its provider (for the audit provider: its ARN in the
 * audit account, its `account_id` the removed account).
 */
import { CommandError } from '../bin/cli-command';
import { allStackNames, memberStackName } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import type { AllowEntry } from './allow';
import { findWeakenings } from './guard';
import type { JsonObject, JsonValue, StackPlan } from './plan';

export const DESTROY_SOURCE = '--destroy';

/**
 * The reviewed exceptions that a destroy plan of a removed member's stack carries: one per weakening
 * the guard finds, each naming the removal. Throws `CommandError` when the stack is live, unknown, or
 * the plan is not a destroy plan.
 */
export function destroyAllowances(plan: StackPlan, config: BaselineConfig, configFile: string): AllowEntry[] {
  const removed = config.removedMembers.find((m) => memberStackName(m.id) === plan.stack);
  if (!removed) {
    if (allStackNames(config).includes(plan.stack)) {
      throw new CommandError(
        `--destroy: ${plan.stack} is a live stack of ${configFile} (not in removedMembers): a plan that deletes its controls fails the review; take the account out with baseline remove first`,
      );
    }
    throw new CommandError(`--destroy: ${plan.stack} is not a stack of removedMembers in ${configFile}: only the stack of a removed account is destroyed (baseline remove)`);
  }
  // A destroy plan deletes every managed resource it changes (Terraform's JSON plan: `change.actions`
  // ["delete"]); data sources may be read. Anything else is not a destroy of this stack.
  const other = plan.changes.filter((c) => c.mode === 'managed' && c.kind !== 'delete');
  if (other.length > 0) {
    const first = other[0];
    throw new CommandError(
      `--destroy: ${plan.file} is not a destroy plan of ${plan.stack}: ${first.address} is ${first.kind}${other.length > 1 ? ` (and ${other.length - 1} more)` : ''}; plan it with terraform plan -destroy`,
    );
  }
  checkAccounts(plan, removed.id, config.organization.auditAccountId);
  const reason = `destroy of ${plan.stack}: account ${removed.id} removed from the baseline on ${removed.removedOn} (removedMembers of ${configFile})`;
  const addresses = [...new Set(findWeakenings(plan).map((f) => f.address))];
  return addresses.map((address) => ({ address, stack: plan.stack, reason, source: DESTROY_SOURCE }));
}

/** The account of an ARN (`arn:partition:service:region:account:resource`), or undefined when it has none. */
export function arnAccount(value: string): string | undefined {
  const m = /^arn:aws[a-z-]*:[^:]*:[^:]*:(\d{12}):/.exec(value);
  return m ? m[1] : undefined;
}

/** The account a role ARN names (`arn:aws:iam::<account>:role/...`). */
function roleAccount(arn: string): string | undefined {
  return arnAccount(arn);
}

/** The identity fields of a resource's `before` that name an account, and that account. */
function identityAccounts(before: JsonObject): { field: string; account: string; kind: 'arn' | 'account' }[] {
  const out: { field: string; account: string; kind: 'arn' | 'account' }[] = [];
  for (const field of ['arn', 'id']) {
    const value = before[field];
    const account = typeof value === 'string' ? arnAccount(value) : undefined;
    if (account) out.push({ field, account, kind: 'arn' });
  }
  for (const field of ['account_id', 'owner_id']) {
    const value = before[field];
    if (typeof value === 'string' && /^\d{12}$/.test(value)) out.push({ field, account: value, kind: 'account' });
  }
  return out;
}

/** The objects of a nested block in a plan's `before` (blocks are lists of objects in `terraform show -json`). */
function blocks(value: JsonValue | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v));
  return typeof value === 'object' && value !== null ? [value as JsonObject] : [];
}

/**
 * What a member stack creates with the `aws.audit` provider, in the audit account, and the member
 * accounts each concerns: a Macie membership (`account_id`, Terraform registry, aws_macie2_member) and
 * the member's classification jobs (`s3_job_definition.bucket_definitions.account_id`,
 * aws_macie2_classification_job). A destroy plan may delete only these there, and only for the removed
 * account: anything else in the audit account is refused.
 */
const AUDIT_RESOURCES: Readonly<Partial<Record<string, (before: JsonObject) => string[]>>> = {
  aws_macie2_member: (b) => (typeof b.account_id === 'string' ? [b.account_id] : []),
  aws_macie2_classification_job: (b) =>
    blocks(b.s3_job_definition)
      .flatMap((d) => blocks(d.bucket_definitions))
      .map((d) => d.account_id)
      .filter((a): a is string => typeof a === 'string'),
};

/** The account a provider configuration pins, or a refusal naming what is wrong. */
function providerAccount(plan: StackPlan, key: string, expected: string): void {
  const provider = plan.configuration?.providers[key];
  if (!provider) throw new CommandError(`--destroy: ${plan.file} has no provider configuration ${key} (configuration.provider_config): cannot tell which account it deletes from; plan the synthesized stack (cdk.tf.json) alone`);
  const allowed = provider.allowedAccountIds;
  if (!allowed || allowed.length !== 1 || allowed[0] !== expected) {
    throw new CommandError(
      `--destroy: ${plan.file}: provider ${key} allows account(s) ${allowed ? allowed.join(', ') || 'none' : 'not pinned (no constant allowed_account_ids)'}, not only ${expected}: this plan does not delete ${plan.stack} of account ${expected}; refusing (a stack folder with extra Terraform files, or a plan of another stack)`,
    );
  }
  for (const arn of provider.roleArns) {
    // A role ARN built from a variable (deployment_role_name) is not a constant in the plan: then
    // allowed_account_ids above is what pins the account.
    if (arn === null) continue;
    const account = roleAccount(arn);
    if (account !== expected) {
      throw new CommandError(`--destroy: ${plan.file}: provider ${key} assumes ${arn}, a role of account ${account ?? '(none)'}, not ${expected}: refusing`);
    }
  }
}

/**
 * Refuses a destroy plan that does not delete from the removed account `accountId`: see the module
 * comment. Returns nothing; throws `CommandError` naming the provider or the resource and its account.
 */
export function checkAccounts(plan: StackPlan, accountId: string, auditAccountId: string): void {
  if (!plan.configuration) {
    throw new CommandError(`--destroy: ${plan.file} has no "configuration": cannot tell which account it deletes from; pass the output of terraform show -json of the saved destroy plan`);
  }
  providerAccount(plan, 'aws', accountId);
  const keys = Object.keys(plan.configuration.providers);
  for (const key of keys) {
    if (key === 'aws') continue;
    if (key !== 'aws.audit' || accountId === auditAccountId) {
      throw new CommandError(`--destroy: ${plan.file}: provider ${key} is not one a member stack has (aws, aws.audit): refusing`);
    }
    providerAccount(plan, key, auditAccountId);
  }
  for (const change of plan.changes) {
    if (change.mode !== 'managed' || change.kind !== 'delete' || !change.before) continue;
    // A member stack holds AWS resources only (terraform_data, null_resource... would go unchecked).
    if (!change.type.startsWith('aws_')) {
      throw new CommandError(`--destroy: ${plan.file}: ${change.address} is a ${change.type}, not an AWS resource a member stack has: refusing`);
    }
    const configured = plan.configuration.resourceProviders[change.address.replace(/\[[^\]]*\]$/, '')];
    if (configured !== undefined && configured !== 'aws' && configured !== 'aws.audit') {
      throw new CommandError(`--destroy: ${plan.file}: ${change.address} uses provider ${configured}, not one a member stack has (aws, aws.audit): refusing`);
    }
    const identities = identityAccounts(change.before);
    const concerns = AUDIT_RESOURCES[change.type];
    // A resource only in the state (its construct renamed since) has no provider in the configuration:
    // a Macie resource whose ARN is in the audit account is then the audit provider's.
    const audit =
      configured === 'aws.audit' ||
      (configured === undefined && concerns !== undefined && identities.some((i) => i.kind === 'arn' && i.account === auditAccountId && accountId !== auditAccountId));
    if (audit) {
      const members = concerns ? concerns(change.before) : [];
      if (!concerns || members.length === 0 || members.some((m) => m !== accountId)) {
        throw new CommandError(
          `--destroy: ${plan.file}: ${change.address} is deleted from the audit account ${auditAccountId} but ${concerns ? `concerns account(s) ${members.join(', ') || '(none)'}` : `is not a resource a member stack has there (${Object.keys(AUDIT_RESOURCES).join(', ')})`}, not only ${accountId}: refusing`,
        );
      }
    }
    for (const { field, account, kind } of identities) {
      // The audit provider's resources live in the audit account and concern the member (account_id).
      const expected = audit && kind === 'arn' ? auditAccountId : accountId;
      if (account !== expected) {
        throw new CommandError(
          `--destroy: ${plan.file}: ${change.address} is in account ${account} (${field}), not ${expected}: this plan deletes from another account than ${plan.stack}'s; refusing`,
        );
      }
    }
  }
}

/** The account a destroy plan deletes from, for the review's first line (after `checkAccounts`). */
export function destroyedAccountLine(plan: StackPlan, accountId: string): string {
  return `**Destroy plan of \`${plan.stack}\`: it deletes from AWS account ${accountId}** (provider \`aws\` pins allowed_account_ids [${accountId}]; every deleted resource's ARN or account id checked, and in the audit account only the removed account's Macie membership and jobs).\n\n`;
}
