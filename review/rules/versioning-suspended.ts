/**
 * Versioning suspended (or MFA delete turned off) on a log bucket. `aws_s3_bucket_versioning`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_versioning):
 * `versioning_configuration.status` "Enabled" | "Suspended" | "Disabled", `mfa_delete` "Enabled" |
 * "Disabled". The provider documents that deleting the resource suspends versioning.
 */
import { BUCKET_VERSIONING } from '../../modules/log-archive/controls';
import type { PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter, valueAt } from '../values';
import { defineRule } from './rule';

const STATUS = ['versioning_configuration', 'status'] as const;
const MFA_DELETE = ['versioning_configuration', 'mfa_delete'] as const;

export const VERSIONING_SUSPENDED = defineRule({
  id: 'versioning-suspended',
  title: 'Versioning is suspended on a bucket',
  controls: [BUCKET_VERSIONING],
  resourceTypes: ['aws_s3_bucket_versioning'],
  check(change: PlannedChange) {
    const before = change.before ? valueAt(change.before, STATUS) : undefined;
    if (before !== 'Enabled') return [];
    if (change.kind === 'delete') return ['the versioning resource is deleted, which suspends versioning'];
    if (!comparesValues(change)) return [];
    if (unknownAfter(change, [...STATUS])) return ['versioning_configuration.status: known only after apply'];
    const found: string[] = [];
    const after = valueAt(change.after ?? {}, STATUS);
    if (after !== 'Enabled') found.push(`versioning_configuration.status: "Enabled" → ${show(after)}`);
    const mfaBefore = valueAt(change.before!, MFA_DELETE);
    const mfaAfter = valueAt(change.after ?? {}, MFA_DELETE);
    if (mfaBefore === 'Enabled' && mfaAfter !== 'Enabled') found.push(`versioning_configuration.mfa_delete: "Enabled" → ${show(mfaAfter)}`);
    return found;
  },
});
