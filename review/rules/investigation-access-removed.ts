/**
 * The investigators' policy deleted, replaced or rewritten, or detached from an investigator role.
 * `aws_iam_policy` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy):
 * `name`, `policy` (a JSON policy document); `aws_iam_role_policy_attachment`
 * (…/iam_role_policy_attachment): `role`, `policy_arn`, both ForceNew, so a change is a replacement.
 * Without the policy the log readers of the audit account cannot run an investigation (Athena reads
 * the archive with the caller's credentials: modules/investigations/log-investigations.ts); a statement
 * added lets them do more than the control declares. Only the investigators' policy is judged: its name
 * ends in `-run-investigations` (config/naming.ts `investigationsReaderPolicyName`); other attachments
 * (a delivery role's AWS managed policy, as the Config aggregator's) are not controls by themselves,
 * their delivery resources are judged.
 */
import { INVESTIGATIONS_ATHENA } from '../../modules/investigations/controls';
import type { PlannedChange } from '../plan';
import { normalizedStatement, policyStatements, unknownAfter } from '../values';
import { describeStatement } from './bucket-policy-statements';
import { defineRule, destroyedFindings } from './rule';

/** The investigators' policy's name: `<prefix>-run-investigations`. */
export const READER_POLICY_NAME = /-run-investigations$/;
const READER_POLICY_ARN = /:policy\/(.+\/)?[^/]+-run-investigations$/;

const isReaderPolicy = (change: PlannedChange) => {
  const name = change.before?.name;
  return typeof name === 'string' && READER_POLICY_NAME.test(name);
};
const isReaderAttachment = (change: PlannedChange) => {
  const arn = change.before?.policy_arn;
  return typeof arn === 'string' && READER_POLICY_ARN.test(arn);
};

function documentFindings(change: PlannedChange): string[] {
  if (unknownAfter(change, ['policy'])) return ['policy: known only after apply, so the plan cannot show the statements are kept'];
  const before = policyStatements(change.before!.policy);
  const after = policyStatements(change.after?.policy);
  if (before === null || after === null) return ['policy: not a JSON policy document, so the plan cannot show the statements are kept'];
  const key = new Map([...before, ...after].map((s) => [s, normalizedStatement(s)]));
  const was = new Set(before.map((s) => key.get(s)));
  const is = new Set(after.map((s) => key.get(s)));
  return [
    ...before.filter((s) => !is.has(key.get(s))).map((s) => `statement ${describeStatement(s)}: removed or changed`),
    ...after.filter((s) => !was.has(key.get(s))).map((s) => `statement ${describeStatement(s)}: added`),
  ];
}

export const INVESTIGATION_ACCESS_REMOVED = defineRule({
  id: 'investigation-access-removed',
  title: "The investigators' policy is deleted, replaced, rewritten or detached from an investigator role",
  controls: [INVESTIGATIONS_ATHENA],
  resourceTypes: ['aws_iam_policy', 'aws_iam_role_policy_attachment'],
  check(change: PlannedChange) {
    if (change.type === 'aws_iam_role_policy_attachment') {
      return isReaderAttachment(change) ? destroyedFindings(change, "the investigators' policy attachment", `${String(change.before!.role)} can no longer run an investigation`) : [];
    }
    if (!isReaderPolicy(change)) return [];
    const destroyed = destroyedFindings(change, "the investigators' policy", 'the log readers can no longer run an investigation');
    return change.kind === 'update' ? documentFindings(change) : destroyed;
  },
});
