/**
 * Amazon Macie for the organization, run by the audit account in every governed Region: Macie on,
 * findings published every 15 minutes, new member accounts enabled automatically, and weekly
 * classification jobs over the buckets the config lists (automated sensitive data discovery has no
 * Terraform resource in provider 6.25; the README gives the command).
 */
import { Macie2Account } from '@cdktf/provider-aws/lib/macie2-account';
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
  /** Region → the delegation that must exist first. */
  readonly delegations: ReadonlyMap<string, IConstruct>;
}

export class Macie extends Construct {
  constructor(scope: Construct, id: string, props: MacieProps) {
    super(scope, id);
    for (const region of props.regions) {
      const regional = { provider: props.provider, region };
      const account = new Macie2Account(this, `account-${region}`, {
        ...regional,
        status: 'ENABLED',
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
        dependsOn: [props.delegations.get(region) as never],
      });
      new Macie2OrganizationConfiguration(this, `organization-${region}`, { ...regional, autoEnable: true, dependsOn: [account] });
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
