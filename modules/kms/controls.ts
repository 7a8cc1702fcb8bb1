/** The KMS control of every key the baseline creates for logs and alerts. */
import { defineControl } from '../control-model/control';

export const KEY_ROTATION = defineControl({
  id: 'kms.key-rotation',
  title: 'Log encryption keys rotate yearly and cannot be deleted at once',
  description: 'Every customer managed key the baseline creates has automatic rotation on and the longest deletion window (30 days), with prevent_destroy on the keys of the audit trail.',
  tsc: ['CC6.1'],
  cis: { 'v3.0.0': '3.6', 'v1.4.0': '3.8' },
  // Security Hub KMS controls: https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html
  securityHub: ['KMS.4'],
  prowler: ['kms_cmk_rotation_enabled'],
  evidence: {
    api: ['kms:DescribeKey', 'kms:GetKeyRotationStatus', 'securityhub:GetFindings'],
    command: 'aws kms get-key-rotation-status --key-id <key>',
    lookFor: 'Each log-archive key behind its alias KeyState Enabled and KeyRotationEnabled true; in every account, no FAILED Security Hub KMS.4 result for its other customer managed keys.',
    notJudged: "Who may use or disable a key (its key policy) is not judged here: the guardrails deny key tampering and the CIS kms-key-disable-or-deletion alarm fires on DisableKey and ScheduleKeyDeletion. An alias moved to another key (UpdateAlias) and the buckets re-pointed to it are judged as the baseline's (the binder follows the alias); the old key scheduled for deletion afterwards is not seen, though older objects need it.",
  },
});
