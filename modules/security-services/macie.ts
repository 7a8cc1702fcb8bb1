/**
 * Amazon Macie for the organization, run by the audit account in every governed Region: Macie on,
 * findings published every 15 minutes, every account of the config enabled as a member (the
 * organization's auto-enable reaches only accounts that join later), new accounts automatically, and weekly
 * classification jobs over the buckets the config lists (automated sensitive data discovery has no
 * Terraform resource in provider 6.25; the README gives the command).
 */
import { Macie2Account } from '@cdktf/provider-aws/lib/macie2-account';
import { Macie2Member } from '@cdktf/provider-aws/lib/macie2-member';
import { Macie2ClassificationJob } from '@cdktf/provider-aws/lib/macie2-classification-job';
import { Macie2OrganizationConfiguration } from '@cdktf/provider-aws/lib/macie2-organization-configuration';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct, type IConstruct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';

export interface MacieProps {
  /** Provider of the audit account. */
  readonly provider: AwsProvider;
  readonly regions: readonly string[];
  readonly settings: BaselineConfig['securityServices']['macie'];
  readonly namePrefix: string;
  /** The accounts to enable, each in its own Regions (the audit account itself excluded). */
  readonly members: readonly { readonly id: string; readonly email: string; readonly regions: readonly string[] }[];
  /** Region → the delegation the organization configuration waits for. */
  readonly delegations: ReadonlyMap<string, IConstruct>;
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
      new Macie2OrganizationConfiguration(this, `organization-${region}`, {
        ...regional,
        autoEnable: true,
        dependsOn: [account, props.delegations.get(region) as never],
      });
      for (const member of props.members.filter((m) => m.regions.includes(region))) {
        new Macie2Member(this, `member-${member.id}-${region}`, {
          ...regional,
          accountId: member.id,
          email: member.email,
          // An account of the organization is associated directly; no invitation is sent.
          invite: false,
          status: 'ENABLED',
          dependsOn: [account, props.delegations.get(region) as never],
        });
      }
      const jobs = props.settings.classificationJobs.filter((j) => j.region === region);
      if (jobs.length > 0) {
        new Macie2ClassificationJob(this, `classification-${region}`, {
          ...regional,
          name: `${props.namePrefix}-sensitive-data-${region}`,
          description: 'Weekly scan of the listed buckets for PII and credentials (SOC 2 CC6.7, C1.1)',
          jobType: 'SCHEDULED',
          scheduleFrequency: { weeklySchedule: 'MONDAY' },
          initialRun: true,
          s3JobDefinition: { bucketDefinitions: jobs.map((j) => ({ accountId: j.accountId, buckets: [...j.buckets] })) },
          dependsOn: [account],
        });
      }
    }
  }
}
