/**
 * A KMS key (or the alias other stacks name it by) deleted or replaced. `aws_kms_key`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key) schedules the key's
 * deletion on destroy; `aws_kms_alias` (…/resources/kms_alias) is how member trails find the
 * log-archive key (`kmsAliasArn`), so removing it stops their delivery.
 */
import { TRAIL_KMS_ENCRYPTION } from '../../modules/cloudtrail/controls';
import { LOG_GROUP_ENCRYPTION } from '../../modules/cloudwatch-logs/controls';
import { BUCKET_ENCRYPTION } from '../../modules/log-archive/controls';
import { destroyRule } from './rule';

export const KMS_KEY_DESTROYED = destroyRule({
  id: 'kms-key-destroyed',
  title: 'A KMS key or its alias is deleted or replaced',
  controls: [TRAIL_KMS_ENCRYPTION, BUCKET_ENCRYPTION, LOG_GROUP_ENCRYPTION],
  resourceTypes: ['aws_kms_key', 'aws_kms_alias'],
  what: 'the KMS key (or its alias)',
  why: 'logs encrypted with the key cannot be decrypted once it is deleted, and services that name it stop delivering',
});
