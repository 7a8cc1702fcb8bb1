/**
 * A log bucket's default encryption weakened. `aws_s3_bucket_server_side_encryption_configuration`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration):
 * `rule.apply_server_side_encryption_by_default.sse_algorithm` "aws:kms" | "aws:kms:dsse" | "AES256",
 * `kms_master_key_id` (unset with aws:kms means the AWS managed key aws/s3), `rule.bucket_key_enabled`.
 * The control wants each log bucket encrypted with its own customer managed key: a bucket that was on
 * aws:kms must stay on KMS with the same key. Deleting the resource makes Terraform stop managing it (the
 * bucket keeps its last setting), so it is flagged too: nothing holds the key in place any more.
 */
import { BUCKET_ENCRYPTION } from '../../modules/log-archive/controls';
import type { JsonValue, PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter, valueAt } from '../values';
import { defineRule } from './rule';

const ALGORITHM = ['rule', 'apply_server_side_encryption_by_default', 'sse_algorithm'] as const;
const KEY = ['rule', 'apply_server_side_encryption_by_default', 'kms_master_key_id'] as const;
const BUCKET_KEY = ['rule', 'bucket_key_enabled'] as const;

const isKms = (algorithm: JsonValue | undefined) => algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse';
const keyOf = (value: JsonValue | undefined) => (value === null || value === undefined || value === '' ? null : value);

export const BUCKET_ENCRYPTION_WEAKENED = defineRule({
  id: 'bucket-encryption-weakened',
  title: "A log bucket's KMS encryption is dropped, or its key changed or removed",
  controls: [BUCKET_ENCRYPTION],
  resourceTypes: ['aws_s3_bucket_server_side_encryption_configuration'],
  check(change: PlannedChange) {
    const before = change.before;
    if (!before || !isKms(valueAt(before, ALGORITHM))) return [];
    if (change.kind === 'delete') return [`the encryption configuration (${show(valueAt(before, ALGORITHM))}, key ${show(valueAt(before, KEY))}) is deleted: nothing holds the bucket on its KMS key`];
    if (!comparesValues(change)) return [];
    const after = change.after ?? {};
    const found: string[] = [];
    const algorithmBefore = valueAt(before, ALGORITHM);
    if (unknownAfter(change, [...ALGORITHM])) found.push('sse_algorithm: known only after apply');
    else if (!isKms(valueAt(after, ALGORITHM))) found.push(`sse_algorithm: ${show(algorithmBefore)} → ${show(valueAt(after, ALGORITHM))}`);
    // A key known only after apply (a new key's ARN) is a changed key too.
    const keyBefore = keyOf(valueAt(before, KEY));
    if (unknownAfter(change, [...KEY])) found.push(`kms_master_key_id: ${show(keyBefore)} → known only after apply`);
    else if (keyBefore !== keyOf(valueAt(after, KEY))) found.push(`kms_master_key_id: ${show(keyBefore)} → ${show(keyOf(valueAt(after, KEY)))}`);
    if (valueAt(before, BUCKET_KEY) === true && !unknownAfter(change, [...BUCKET_KEY]) && valueAt(after, BUCKET_KEY) !== true) {
      found.push(`bucket_key_enabled: true → ${show(valueAt(after, BUCKET_KEY))}`);
    }
    return found;
  },
});
