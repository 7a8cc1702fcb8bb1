/**
 * Amazon Macie for the organization, run by the audit account in every governed Region: Macie on,
 * findings published every 15 minutes, and accounts that join the organization later enabled
 * automatically. Each account's membership (and the classification jobs over its buckets) is managed
 * by that account's own member stack (`macie-membership.ts`), so this stack does not grow with the
 * member list. Automated sensitive data discovery has no Terraform resource in provider 6.25; the
 * docs/operations.md gives the command.
 */
import { Macie2Account } from '@cdktf/provider-aws/lib/macie2-account';
import { Macie2OrganizationConfiguration } from '@cdktf/provider-aws/lib/macie2-organization-configuration';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { MACIE_ORGANIZATION } from './controls';
import { Construct, type IConstruct } from 'constructs';

export interface MacieProps {
  /** Provider of the audit account. */
  readonly provider: AwsProvider;
  readonly regions: readonly string[];
  /** Region → the delegation the organization configuration waits for. */
  readonly delegations: ReadonlyMap<string, IConstruct>;
  /** The audit account (delegated administrator). */
  readonly accountId: string;
}

export class Macie extends Construct {
  /** Region → Macie on in the audit account: the delegation waits for it. */
  readonly accounts = new Map<string, Macie2Account>();

  constructor(scope: Construct, id: string, props: MacieProps) {
    super(scope, id);
    for (const region of props.regions) {
      const regional = { provider: props.provider, region };
      const account = new Macie2Account(this, `account-${region}`, {
        ...regional,
        status: 'ENABLED',
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
      });
      this.accounts.set(region, account);
      const organization = new Macie2OrganizationConfiguration(this, `organization-${region}`, {
        ...regional,
        autoEnable: true,
        dependsOn: [account, props.delegations.get(region) as never],
      });
      controlRecorder(this, props.accountId, region)(MACIE_ORGANIZATION, account, organization);
    }
  }
}
