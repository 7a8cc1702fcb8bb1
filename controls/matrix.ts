/**
 * The SOC 2 control matrix of a synthesized organization (`cdktf.out/evidence/control-matrix.json`):
 * for each Trust Services Criterion its controls; for each control where it is deployed (stack,
 * resource address, account, Region, read from each stack's `controls.json`) and how to evidence it;
 * the controls the config switches off (`controlExceptions`, disabled Config rules and Security Hub
 * controls, and the guardrail settings that carry their own reason), as exceptions with the config's
 * reason; the accounts taken out
 * of the baseline whose stacks await destroy (`removedMembers`), with the reason; those whose stacks were
 * destroyed (`destroyedMembers`), the unverified destroys flagged; and the coverage of
 * Prowler's SOC 2 framework and of the AWS Config rules the SOC 2 guides name.
 *
 * The JSON is stable: keys and lists in a fixed order, no timestamps, so the same config gives the
 * same bytes. `schemaVersion` changes when a field changes meaning or goes away (docs/control-matrix.md).
 */
import { SOC2_LOGGING_PACK } from '../config/managed-config-rules';
import { memberStackName } from '../config/naming';
import type { BaselineConfig } from '../config/schema';
import { switchedOffControls } from '../config/schema';
import { configRuleControlId } from '../modules/config-rules/controls';
import { CONTROL_CATALOG } from './catalog';
import { TSC_CRITERIA, type ControlDeclaration, type TscCriterion } from '../modules/control-model/control';
import { PROWLER_SOC2_FRAMEWORK, prowlerCoverage, type RequirementCoverage } from './prowler-soc2';
import type { StackControls } from '../modules/control-model/record';
import { SEED_CONFIG_RULES } from './seed-config-rules';

export const CONTROL_MATRIX_SCHEMA_VERSION = 1;

/**
 * - `deployed`: resources of the synthesized stacks implement it (listed in `deployments`);
 * - `exception`: the config switches it off, with a reason (see `exceptions`);
 * - `inherited`: AWS Control Tower provides it instead of the baseline (see `statusNote`);
 * - `not-configured`: optional, and the config asks for none of it (see `statusNote`).
 */
export type ControlStatus = 'deployed' | 'exception' | 'inherited' | 'not-configured';

/** One stack's resources of a control in one Region (see `deploymentsOf`). */
export interface Deployment {
  readonly stack: string;
  /** The account the control applies to. */
  readonly account: string;
  /** The Region of the resources, or "global" for account-wide settings. */
  readonly region: string;
  /** Terraform resource addresses in the stack's cdk.tf.json. */
  readonly addresses: readonly string[];
}

/**
 * Stacks that implement a control with the very same resources: member stacks are built alike, so
 * their addresses repeat, and a 1,000-account matrix lists each set of addresses once.
 */
export interface DeploymentGroup {
  /** The stacks, and the account each one's control applies to. */
  readonly stacks: readonly { readonly stack: string; readonly account: string }[];
  /** Region ("global" for account-wide settings) → Terraform addresses, the same in each of the stacks. */
  readonly resources: Readonly<Record<string, readonly string[]>>;
}

export interface MatrixControl extends ControlDeclaration {
  readonly status: ControlStatus;
  readonly statusNote?: string;
  /** How many accounts, and which Regions, the deployments cover. */
  readonly coverage: { readonly accounts: number; readonly regions: readonly string[] };
  readonly deployments: readonly DeploymentGroup[];
}

/** A control's deployments, one per stack and Region. */
export function deploymentsOf(control: Pick<MatrixControl, 'deployments'>): Deployment[] {
  return control.deployments.flatMap((g) =>
    g.stacks.flatMap(({ stack, account }) => Object.entries(g.resources).map(([region, addresses]) => ({ stack, account, region, addresses }))),
  );
}

/** Groups per-stack deployments by identical resources, in first-seen order. */
function groupDeployments(found: readonly Deployment[]): DeploymentGroup[] {
  const perStack = new Map<string, { stack: string; account: string; resources: Record<string, readonly string[]> }>();
  for (const d of found) {
    const key = `${d.stack}\u0000${d.account}`;
    const entry = perStack.get(key) ?? { stack: d.stack, account: d.account, resources: {} };
    entry.resources[d.region] = d.addresses;
    perStack.set(key, entry);
  }
  const groups = new Map<string, { stacks: { stack: string; account: string }[]; resources: Record<string, readonly string[]> }>();
  for (const { stack, account, resources } of perStack.values()) {
    const key = JSON.stringify(resources);
    const group = groups.get(key) ?? { stacks: [], resources };
    group.stacks.push({ stack, account });
    groups.set(key, group);
  }
  return [...groups.values()];
}

export interface MatrixException {
  /** The control of the matrix concerned. */
  readonly control: string;
  /** What is off, e.g. "AWS Config rule iam-user-mfa-enabled" or "Security Hub control IAM.6". */
  readonly item: string;
  readonly reason: string;
  /** Where the config says so. */
  readonly configPath: string;
}

export interface CriterionEntry {
  readonly id: TscCriterion;
  readonly title: string;
  readonly controls: readonly string[];
  readonly counts: Readonly<Record<ControlStatus, number>>;
}

export interface ControlMatrix {
  readonly schemaVersion: number;
  readonly organization: { readonly id: string; readonly namePrefix: string };
  /** The stacks whose records the matrix holds, and the stacks of the config not synthesized yet. */
  readonly stacks: { readonly included: readonly string[]; readonly notSynthesized: readonly string[] };
  readonly criteria: readonly CriterionEntry[];
  readonly controls: readonly MatrixControl[];
  readonly exceptions: readonly MatrixException[];
  /**
   * The accounts `baseline remove` took out of the baseline whose stacks the pipeline has still to
   * destroy (`removedMembers`): no control of the matrix covers them any more.
   */
  readonly removedAccounts: readonly RemovedAccount[];
  /**
   * The accounts whose stacks `baseline remove --destroyed` recorded as destroyed (`destroyedMembers`):
   * no stack, no control; listed so that an offboarding stays on record, the unverified ones flagged.
   */
  readonly destroyedAccounts: readonly DestroyedAccount[];
  readonly frameworks: {
    readonly prowlerSoc2Aws: { readonly source: string; readonly commit: string; readonly requirements: readonly RequirementCoverage[] };
  };
  /** The AWS Config rules the SOC 2 guides name, and the control of the baseline that deploys each. */
  readonly guideConfigRules: readonly { readonly guideName: string; readonly awsRuleName: string; readonly control: string; readonly status: ControlStatus }[];
}

/** One account of `removedMembers`, as the matrix lists it. */
export interface RemovedAccount {
  readonly accountId: string;
  readonly name: string;
  readonly stack: string;
  /** `removedMembers[].removedOn`: when it left the baseline (UTC date). */
  readonly removedOn: string;
  /** `removedMembers[].reason`: why. */
  readonly reason: string;
  /** Until `baseline remove --destroyed` moves the entry to `destroyedMembers`, its stack awaits the pipeline's destroy job. */
  readonly status: 'stack awaiting destroy';
  readonly configPath: string;
}

/** The matrix's `removedAccounts` for `config`. */
export function removedAccounts(config: BaselineConfig): RemovedAccount[] {
  return config.removedMembers.map((m, i) => ({
    accountId: m.id,
    name: m.name,
    stack: memberStackName(m.id),
    removedOn: m.removedOn,
    reason: m.reason,
    status: 'stack awaiting destroy',
    configPath: `removedMembers[${i}]`,
  }));
}

/** One entry of `destroyedMembers`, as the matrix lists it. */
export interface DestroyedAccount {
  readonly accountId: string;
  readonly name: string;
  /** `destroyedMembers[].removedOn`: when it left the baseline (UTC date). */
  readonly removedOn: string;
  /** `destroyedMembers[].reason`: why. */
  readonly reason: string;
  /** `destroyedMembers[].destroyedOn`: when the destroy of its stack was recorded (UTC date). */
  readonly destroyedOn: string;
  /** Whether the stack's state was read and held no resource when the destroy was recorded. */
  readonly stateChecked: boolean;
  /** `destroyedMembers[].uncheckedReason`: why it was recorded unchecked; null when checked. */
  readonly uncheckedReason: string | null;
  /** `destroyed`, or `destroy not verified: <uncheckedReason>` when its state was not checked. */
  readonly status: string;
  readonly configPath: string;
}

/** The matrix's `destroyedAccounts` for `config`. */
export function destroyedAccounts(config: BaselineConfig): DestroyedAccount[] {
  return config.destroyedMembers.map((m, i) => ({
    accountId: m.id,
    name: m.name,
    removedOn: m.removedOn,
    reason: m.reason,
    destroyedOn: m.destroyedOn,
    stateChecked: m.stateChecked,
    uncheckedReason: m.uncheckedReason ?? null,
    status: m.stateChecked ? 'destroyed' : `destroy not verified: ${m.uncheckedReason ?? 'no reason recorded'}`,
    configPath: `destroyedMembers[${i}]`,
  }));
}

/** Optional controls: why a control has no deployment when the config asks for none of it. */
function notConfiguredNote(control: ControlDeclaration, config: BaselineConfig): string | undefined {
  switch (control.id) {
    case 'cloudtrail.data-events':
      return 'trail.dataEvents lists no S3 bucket, Lambda function or DynamoDB table, and sensitiveData.buckets is empty.';
    case 'cloudtrail.network-activity-events':
      return 'trail.networkActivityEvents.eventSources is empty, the default: network activity events are billed per event delivered, like data events (docs/detection.md), so an organization chooses the services whose VPC endpoint denials it records.';
    case 'macie.classification-jobs':
      return 'securityServices.macie.classificationJobs lists no bucket.';
    case 'config-rule.additional-rules':
      return 'awsConfig.additionalRules is empty.';
    case 'cloudtrail.account-trails':
      return config.members.every((m) => m.id === config.organization.managementAccountId)
        ? 'The only member is the management account, which owns the organization trail.'
        : undefined;
    default: {
      // A rule of the pack AWS Config does not offer where it would run (config/managed-config-rules.ts `unavailableIn`).
      const rule = SOC2_LOGGING_PACK.find((r) => configRuleControlId(r.name) === control.id);
      if (rule?.unavailableIn?.length) {
        const where = rule.scope === 'home' ? [config.regions.home] : config.regions.governed;
        if (where.every((r) => rule.unavailableIn!.includes(r))) return `AWS Config does not offer ${rule.name} in ${where.join(', ')} (its page's Region list).`;
      }
      return undefined;
    }
  }
}

/** Controls Control Tower's organization trail provides when the config uses it. */
const CONTROL_TOWER_TRAIL_CONTROLS = new Set([
  'cloudtrail.organization-trail',
  'cloudtrail.log-file-validation',
  'cloudtrail.kms-encryption',
  'cloudtrail.cloudwatch-logs-delivery',
  'cloudtrail.data-events',
]);

/**
 * Exceptions by design: buckets where AWS does not allow a control, whatever the config. Each is
 * explained at its declaration in modules/log-archive/log-archive.ts.
 */
export const DESIGN_EXCEPTIONS: readonly MatrixException[] = [
  {
    control: 'log-archive.object-lock',
    item: 'the S3 server access log bucket',
    reason:
      'S3 does not deliver server access logs into a bucket with Object Lock (S3 User Guide, "Enabling Amazon S3 server access logging"); its log files are protected by versioning and the deletion deny of its policy.',
    configPath: 'baseline design (modules/log-archive/log-archive.ts)',
  },
  {
    control: 'log-archive.object-lock',
    item: 'the AWS Config bucket',
    reason: 'AWS Config does not deliver to a bucket with Object Lock default retention; its objects are protected by versioning and the deletion deny of its policy.',
    configPath: 'baseline design (modules/log-archive/log-archive.ts)',
  },
  {
    control: 'log-archive.encryption',
    item: 'the S3 server access log bucket (SSE-S3, not KMS)',
    reason: 'S3 server access logging supports only SSE-S3 on the target bucket (S3 User Guide, "Enabling Amazon S3 server access logging").',
    configPath: 'baseline design (modules/log-archive/log-archive.ts)',
  },
];

/**
 * The controls that come with the guardrails (`guardrails.enabled`), besides the service control
 * policies themselves, and what each is: off with the guardrails, each is an exception under the
 * reason `controlExceptions` gives for `guardrails.service-control-policies`.
 */
const CONTROLS_OFF_WITH_GUARDRAILS: readonly { readonly control: string; readonly what: string }[] = [
  { control: 'guardrails.resource-control-policies', what: 'the resource control policies come with the guardrails' },
  { control: 'guardrails.centralized-root-access', what: 'centralized root access comes with the guardrails' },
  { control: 'guardrails.break-glass-alarm', what: 'there is no exempt break-glass role, so no alarm on its use' },
  { control: 'guardrails.exempt-role-change-alarm', what: 'there are no exempt pipeline and break-glass roles, so no alarm on changes to them' },
];

/**
 * Guardrail controls switched off by a setting that carries its own reason, so that they need no
 * `controlExceptions` entry: `guardrails.resourceControlPolicies` and `guardrails.centralizedRootAccess`
 * `{ enabled: false, reason }` (config/guardrails-schema.ts refuses `enabled: false` without a reason).
 * With `guardrails.enabled: false` (its reason in `controlExceptions`, for
 * `guardrails.service-control-policies`), every control of `CONTROLS_OFF_WITH_GUARDRAILS` instead, under
 * that reason.
 */
function guardrailExceptions(config: BaselineConfig): MatrixException[] {
  const g = config.guardrails;
  if (!g.enabled) {
    const index = config.controlExceptions.findIndex((e) => e.control === 'guardrails.service-control-policies');
    const reason = index >= 0 ? config.controlExceptions[index].reason : 'no reason recorded';
    return CONTROLS_OFF_WITH_GUARDRAILS.map(({ control, what }) => ({
      control,
      item: `guardrails.enabled: false (${what})`,
      reason,
      configPath: index >= 0 ? `controlExceptions[${index}]` : 'guardrails.enabled',
    }));
  }
  const out: MatrixException[] = [];
  if (!g.resourceControlPolicies.enabled) {
    out.push({
      control: 'guardrails.resource-control-policies',
      item: 'guardrails.resourceControlPolicies.enabled: false',
      reason: g.resourceControlPolicies.reason ?? 'no reason recorded',
      configPath: 'guardrails.resourceControlPolicies.reason',
    });
  }
  if (!g.centralizedRootAccess.enabled) {
    out.push({
      control: 'guardrails.centralized-root-access',
      item: 'guardrails.centralizedRootAccess.enabled: false',
      reason: g.centralizedRootAccess.reason ?? 'no reason recorded',
      configPath: 'guardrails.centralizedRootAccess.reason',
    });
  }
  return out;
}

/** The exceptions the config records, each with its reason. */
export function configExceptions(config: BaselineConfig): MatrixException[] {
  const off = switchedOffControls(config);
  return [
    ...config.controlExceptions.map((e, i) => ({
      control: e.control,
      item: off.get(e.control) ?? e.control,
      reason: e.reason,
      configPath: `controlExceptions[${i}]`,
    })),
    ...guardrailExceptions(config),
    ...config.awsConfig.disabledRules.map((r, i) => ({
      control: configRuleControlId(r.name),
      item: `AWS Config rule ${r.name}`,
      reason: r.reason,
      configPath: `awsConfig.disabledRules[${i}]`,
    })),
    ...config.securityServices.securityHub.disabledControls.map((c, i) => ({
      control: 'securityhub.organization',
      item: `Security Hub control ${c.id}`,
      reason: c.reason,
      configPath: `securityServices.securityHub.disabledControls[${i}]`,
    })),
  ];
}

/**
 * The matrix of `config`, from the control records of its synthesized stacks (`records`, any order).
 * `allStacks` are the config's stack names: those without records are listed as not synthesized.
 */
export function buildControlMatrix(config: BaselineConfig, records: readonly StackControls[], allStacks: readonly string[]): ControlMatrix {
  const deployments = new Map<string, Deployment[]>();
  const sorted = [...records].sort((a, b) => a.stack.localeCompare(b.stack));
  for (const stack of sorted) {
    for (const r of stack.records) {
      const list = deployments.get(r.control) ?? [];
      list.push({ stack: stack.stack, account: r.account, region: r.region, addresses: r.addresses });
      deployments.set(r.control, list);
    }
  }
  const known = new Set(CONTROL_CATALOG.map((c) => c.id));
  for (const id of deployments.keys()) {
    if (!known.has(id)) throw new Error(`control records name ${id}, which controls/catalog.ts does not declare`);
  }

  const exceptions = [...configExceptions(config), ...DESIGN_EXCEPTIONS];
  const exceptionOf = new Map<string, MatrixException>();
  for (const e of exceptions) if (!exceptionOf.has(e.control)) exceptionOf.set(e.control, e);
  // What switches a whole control off: a controlExceptions entry, a disabled Config rule, or a guardrail
  // setting (guardrailExceptions). A disabled Security Hub control or a design exception narrows a
  // control that is still deployed.
  const switchedOff = new Map<string, MatrixException>();
  for (const e of exceptions) {
    if (/^(controlExceptions\[|awsConfig\.disabledRules\[|guardrails\.)/.test(e.configPath)) switchedOff.set(e.control, e);
  }
  const controlTowerTrail = config.controlTower.enabled && config.controlTower.organizationTrail === 'control-tower';

  const controls: MatrixControl[] = CONTROL_CATALOG.map((c) => {
    const found = deployments.get(c.id) ?? [];
    const coverage = {
      accounts: new Set(found.map((d) => d.account)).size,
      regions: [...new Set(found.map((d) => d.region))].sort(),
    };
    let status: ControlStatus;
    let statusNote: string | undefined;
    const exception = exceptionOf.get(c.id);
    if (found.length > 0) {
      status = 'deployed';
      if (c.id === 'config.recorder' && config.controlTower.enabled) {
        statusNote = `AWS Control Tower records configuration in ${(config.controlTower.regions ?? config.regions.governed).join(', ')}; the baseline's recorders cover the other Regions.`;
      } else if (exception) {
        statusNote = `Deployed, with exceptions: see exceptions (${exception.configPath}).`;
      } else if ((c.id === 'alerting.central-routing' || c.id === 'alerting.route-watchdogs') && config.alerts.subscriptions.length === 0) {
        // Deployed, but nobody is at the end of the route: the synth warns, and the matrix says so.
        statusNote = 'Deployed, but it reaches no person: alerts.subscriptions is empty, so the central alert topic has no subscriber.';
      }
    } else if (switchedOff.has(c.id)) {
      const off = switchedOff.get(c.id)!;
      status = 'exception';
      statusNote = `${off.item}: ${off.reason}`;
    } else if (controlTowerTrail && CONTROL_TOWER_TRAIL_CONTROLS.has(c.id)) {
      status = 'inherited';
      statusNote = `AWS Control Tower's organization trail provides it (controlTower.organizationTrail: control-tower); its log group ${config.controlTower.trailLogGroupName} feeds the CIS alarms.`;
    } else {
      status = 'not-configured';
      statusNote = notConfiguredNote(c, config) ?? 'No synthesized stack deploys it (see stacks.notSynthesized).';
    }
    return { ...c, status, ...(statusNote ? { statusNote } : {}), coverage, deployments: groupDeployments(found) };
  });

  const statusOf = new Map(controls.map((c) => [c.id, c.status]));
  const criteria: CriterionEntry[] = (Object.keys(TSC_CRITERIA) as TscCriterion[]).map((id) => {
    const ids = controls.filter((c) => c.tsc.includes(id)).map((c) => c.id);
    const counts: Record<ControlStatus, number> = { deployed: 0, exception: 0, inherited: 0, 'not-configured': 0 };
    for (const cid of ids) counts[statusOf.get(cid)!]++;
    return { id, title: TSC_CRITERIA[id], controls: ids, counts };
  });

  const included = new Set(records.map((r) => r.stack));
  return {
    schemaVersion: CONTROL_MATRIX_SCHEMA_VERSION,
    organization: { id: config.organization.id, namePrefix: config.organization.namePrefix },
    stacks: { included: allStacks.filter((s) => included.has(s)), notSynthesized: allStacks.filter((s) => !included.has(s)) },
    criteria,
    controls,
    exceptions,
    removedAccounts: removedAccounts(config),
    destroyedAccounts: destroyedAccounts(config),
    frameworks: {
      prowlerSoc2Aws: {
        source: PROWLER_SOC2_FRAMEWORK.source,
        commit: PROWLER_SOC2_FRAMEWORK.commit,
        requirements: prowlerCoverage(CONTROL_CATALOG, (id) => statusOf.get(id) === 'deployed'),
      },
    },
    guideConfigRules: SEED_CONFIG_RULES.map((r) => {
      const control = configRuleControlId(r.awsRuleName);
      return { guideName: r.seedName, awsRuleName: r.awsRuleName, control, status: statusOf.get(control) ?? 'not-configured' };
    }),
  };
}
