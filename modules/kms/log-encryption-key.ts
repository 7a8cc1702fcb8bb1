/**
 * A customer-managed KMS key for logs: rotation on, the longest deletion window, `prevent_destroy`
 * unless the stack must be destroyable,
 * and a key policy that keeps administration with the owning account and grants services only what
 * they need, under the conditions the caller passes. With guardrails on, the policy also denies
 * destroying, disabling or re-policying the key to everyone but the pipeline and break-glass roles
 * (docs/guardrails.md); the exemptions come from the stack's config unless the caller passes them.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { recordControl } from '../control-model/record';
import { KEY_ROTATION } from './controls';
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { accountRootArn } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { exemptPrincipalArnsIn } from '../guardrails/protected-resources';
import { denyKeyTamperingStatement } from '../guardrails/resource-policy-denials';
import { policyDocument, type PolicyStatement } from '../iam/policy-document';

/** KMS's maximum: a scheduled deletion can be cancelled for 30 days. */
export const MAX_KEY_DELETION_WINDOW_DAYS = 30;

export interface LogEncryptionKeyProps {
  readonly provider: AwsProvider;
  /** The account that owns the key; its IAM administers it. */
  readonly accountId: string;
  readonly region: string;
  /** `alias/...` */
  readonly aliasName: string;
  readonly description: string;
  /** What services and readers may do with the key. The owner's administration statement is added. */
  readonly statements: readonly PolicyStatement[];
  /**
   * Whether a plan may never destroy the key. On for keys of the audit trail (the log archive, the
   * organization trail's log group); off for per-account keys, so a removed account's stack can be
   * destroyed (a destroyed key is still only scheduled for deletion, 30 days out).
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * `aws:PrincipalArn` patterns of the only principals that may schedule the key's deletion, disable
   * it, change its policy or rotation, or move its alias (the guardrails' pipeline and break-glass
   * roles); the key policy denies those actions to everyone else, AWS services aside
   * (`modules/guardrails/resource-policy-denials.ts`). An empty list adds no denial.
   * @default - the guardrails exemptions of the stack's config in the key's account
   * (`config.guardrails`, see `exemptPrincipalArnsIn`) when guardrails are on; no denial when they are off
   */
  readonly tamperExemptPrincipalArns?: readonly string[];
}

/**
 * The guardrails exemptions of the stack this construct is in, if it is a baseline stack: the pipeline
 * and break-glass roles of the key's own account (`exemptPrincipalArnsIn`), the only account whose
 * principals can change a key policy.
 */
function stackExemptions(scope: Construct, accountId: string): readonly string[] {
  const config = (TerraformStack.of(scope) as Partial<{ config: BaselineConfig }>).config;
  return (config?.guardrails && exemptPrincipalArnsIn(config, accountId)) || [];
}

export class LogEncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: LogEncryptionKeyProps) {
    super(scope, id);
    if (!props.aliasName.startsWith('alias/')) {
      throw new Error(`LogEncryptionKey ${id}: aliasName must start with "alias/" (got "${props.aliasName}")`);
    }
    const exempt = props.tamperExemptPrincipalArns ?? stackExemptions(this, props.accountId);
    this.key = new KmsKey(this, 'key', {
      provider: props.provider,
      region: props.region,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: MAX_KEY_DELETION_WINDOW_DAYS,
      policy: policyDocument([
        {
          // Without this the key could become unmanageable; it delegates to the owning account's IAM.
          Sid: 'KeyAdministrationByOwningAccount',
          Effect: 'Allow',
          Principal: { AWS: accountRootArn(props.accountId) },
          Action: 'kms:*',
          Resource: '*',
        },
        ...props.statements,
        ...(exempt.length > 0 ? [denyKeyTamperingStatement(exempt)] : []),
      ]),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.alias = new KmsAlias(this, 'alias', {
      provider: props.provider,
      region: props.region,
      name: props.aliasName,
      targetKeyId: this.key.keyId,
    });
    recordControl(this, KEY_ROTATION, props.accountId, [{ resource: this.key, region: props.region }]);
  }
}
