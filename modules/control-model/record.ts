/**
 * Where each control is deployed: constructs record the resources that implement a control as they
 * create them, and each stack's records are written next to its Terraform JSON (`controls.json`),
 * so the control matrix names real resource addresses of the synthesized stacks, whatever subset
 * of stacks a synth rebuilt.
 */
import { TerraformStack, type TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { ControlDeclaration } from './control';

/** One resource that implements a control, in one account and Region. */
export interface DeployedResource {
  readonly resource: TerraformResource;
  readonly region: string;
}

interface PendingRecord {
  readonly control: ControlDeclaration;
  readonly account: string;
  readonly resources: readonly DeployedResource[];
}

/** `controls.json`: a stack's control records (its schema is part of the control matrix's). */
export interface StackControls {
  readonly stack: string;
  readonly records: readonly StackControlRecord[];
}

export interface StackControlRecord {
  readonly control: string;
  readonly account: string;
  readonly region: string;
  /** Terraform resource addresses (`<type>.<name>`) in the stack's `cdk.tf.json`. */
  readonly addresses: readonly string[];
}

export const STACK_CONTROLS_FILE = 'controls.json';

const pending = new WeakMap<TerraformStack, PendingRecord[]>();

/** Records that `resources` implement `control` in `account` (one entry per resource and Region). */
export function recordControl(scope: IConstruct, control: ControlDeclaration, account: string, resources: readonly DeployedResource[]): void {
  if (resources.length === 0) throw new Error(`recordControl(${control.id}): no resources given`);
  const stack = TerraformStack.of(scope);
  const list = pending.get(stack) ?? [];
  list.push({ control, account, resources });
  pending.set(stack, list);
}

/** The stack's records, one per control, account and Region, in a stable order. */
export function stackControls(stack: TerraformStack): StackControls {
  const grouped = new Map<string, { control: string; account: string; region: string; addresses: Set<string> }>();
  for (const record of pending.get(stack) ?? []) {
    for (const { resource, region } of record.resources) {
      const key = `${record.control.id}\u0000${record.account}\u0000${region}`;
      const entry = grouped.get(key) ?? { control: record.control.id, account: record.account, region, addresses: new Set<string>() };
      entry.addresses.add(`${resource.terraformResourceType}.${resource.friendlyUniqueId}`);
      grouped.set(key, entry);
    }
  }
  const records = [...grouped.values()]
    .map((r) => ({ control: r.control, account: r.account, region: r.region, addresses: [...r.addresses].sort() }))
    .sort((a, b) => a.control.localeCompare(b.control) || a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
  return { stack: stack.node.id, records };
}

/** `recordControl` for resources of one account and Region: `record(CONTROL, resourceA, resourceB)`. */
export function controlRecorder(scope: IConstruct, account: string, region: string): (control: ControlDeclaration, ...resources: TerraformResource[]) => void {
  return (control, ...resources) => recordControl(scope, control, account, resources.map((resource) => ({ resource, region })));
}
