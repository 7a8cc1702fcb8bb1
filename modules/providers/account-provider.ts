/**
 * One `AwsProvider` per account a stack touches. Regions are chosen per resource (AWS provider 6's
 * `region` argument), so a stack that covers ten Regions still starts one provider process per account.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { roleArn } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';

export const BASELINE_TAG_PREFIX = 'soc2-baseline';

export interface AccountProviderProps {
  readonly config: BaselineConfig;
  /** The account every resource of this provider must be created in (pinned by `allowed_account_ids`). */
  readonly accountId: string;
  /** The stack's name, recorded in the `soc2-baseline:stack` tag. */
  readonly stackName: string;
  /**
   * Provider alias, for stacks that touch more than one account.
   * @default - the stack's default `aws` provider
   */
  readonly alias?: string;
  /**
   * Tags on every resource of this provider, on top of the config's top-level `tags`.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export function accountProvider(scope: Construct, id: string, props: AccountProviderProps): AwsProvider {
  const { config, accountId } = props;
  const deployment = config.deployment;
  const assumeRole =
    deployment.pipelineAccountId === accountId
      ? undefined
      : [
          {
            roleArn: roleArn(accountId, deployment.roleName),
            sessionName: deployment.sessionName,
            ...(deployment.externalId ? { externalId: deployment.externalId } : {}),
          },
        ];
  return new AwsProvider(scope, id, {
    alias: props.alias,
    region: config.regions.home,
    allowedAccountIds: [accountId],
    assumeRole,
    defaultTags: [
      {
        tags: {
          ...config.tags,
          ...props.tags,
          [`${BASELINE_TAG_PREFIX}:managed-by`]: 'soc2-logging-baseline',
          [`${BASELINE_TAG_PREFIX}:stack`]: props.stackName,
        },
      },
    ],
  });
}
