/**
 * One account's Amazon Macie membership, managed by the audit account (the delegated Macie
 * administrator) from that account's own member stack, in every Region of the member, and the
 * weekly classification jobs over that account's buckets. It lives in the member stack, not in
 * `management`, so that `management` does not grow with the member list and vending applies it.
 *
 * Two paths, one resource:
 * - An account that was in the organization before Macie's organization configuration turned on
 *   `autoEnable` is not a member until the administrator adds it: auto-enable "specifies whether
 *   Amazon Macie is enabled automatically for accounts that are added to the organization" (Macie
 *   API, DescribeOrganizationConfiguration), and "the Macie administrator then enables Macie for
 *   other accounts in the organization, adds those accounts as Macie member accounts" (Macie User
 *   Guide, https://docs.aws.amazon.com/macie/latest/user/accounts-mgmt-ao.html). So the resource is
 *   created (CreateMember).
 * - In a Region where `autoEnable` made an account that joined later a member, no membership resource
 *   is declared, because what CreateMember does for an account that is already a member is not
 *   documented (and an `import` block would make checkov skip the stack: its terraform_json parser
 *   cannot read label-less blocks). Auto-enable is per Region: `members[].macieAutoEnabledRegions`
 *   lists where it applied, so a Region governed later still gets CreateMember.
 *
 * The provider's read (terraform-provider-aws internal/service/macie2/member.go, resourceMemberRead)
 * sets `invite = true` for an Enabled member and sets `email` from GetMember; `invite = false` in the
 * config would make the next apply call DisassociateMember, and `email` is ForceNew, while Macie
 * returns no email for an account associated through AWS Organizations. So `invite` is left unset
 * (Optional + Computed: no diff) and both are in `ignore_changes`: the membership can never be
 * disassociated or replaced by a later plan.
 */
import { Macie2ClassificationJob } from '@cdktf/provider-aws/lib/macie2-classification-job';
import { Macie2Member } from '@cdktf/provider-aws/lib/macie2-member';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { MACIE_CLASSIFICATION_JOBS, MACIE_ORGANIZATION } from './controls';
import { Construct } from 'constructs';

export interface MacieMembershipProps {
  /** Provider of the audit account, the delegated Macie administrator. */
  readonly auditProvider: AwsProvider;
  readonly accountId: string;
  /** The account's root email, as AWS Organizations has it (CreateMember requires one). */
  readonly email: string;
  /** Every Region of the member. */
  readonly regions: readonly string[];
  /**
   * The Regions where the organization's auto-enable made the account a member when it joined: no
   * membership is declared there. Auto-enable is per Region, so a Region governed later is not one.
   * @default - none: the account is added in every Region
   */
  readonly autoEnabledRegions?: readonly string[];
  /**
   * Whether this is the audit account itself: the administrator is never its own member, so only
   * its classification jobs are made.
   * @default false
   */
  readonly isAdministrator?: boolean;
  /**
   * Region → bucket names of this account that a weekly classification job scans.
   * @default - none
   */
  readonly classificationBuckets?: ReadonlyMap<string, readonly string[]>;
  readonly namePrefix: string;
}

export class MacieMembership extends Construct {
  /** Region → the membership (absent for the administrator itself). */
  readonly members = new Map<string, Macie2Member>();
  readonly classificationJobs: Macie2ClassificationJob[] = [];

  constructor(scope: Construct, id: string, props: MacieMembershipProps) {
    super(scope, id);
    for (const region of props.regions) {
      const regional = { provider: props.auditProvider, region };
      let member: Macie2Member | undefined;
      if (!props.isAdministrator && !(props.autoEnabledRegions ?? []).includes(region)) {
        member = new Macie2Member(this, `member-${region}`, {
          ...regional,
          accountId: props.accountId,
          email: props.email,
          status: 'ENABLED',
          lifecycle: { ignoreChanges: ['invite', 'email'] },
        });
        this.members.set(region, member);
        // The control covers the member account, though the membership lives in the audit account.
        controlRecorder(this, props.accountId, region)(MACIE_ORGANIZATION, member);
      }
      const buckets = props.classificationBuckets?.get(region) ?? [];
      if (buckets.length > 0) {
        const job = new Macie2ClassificationJob(this, `classification-${region}`, {
            ...regional,
            name: `${props.namePrefix}-sensitive-data-${props.accountId}-${region}`,
            description: 'Weekly scan of the listed buckets for PII and credentials (SOC 2 CC6.7, C1.1)',
            jobType: 'SCHEDULED',
            scheduleFrequency: { weeklySchedule: 'MONDAY' },
            initialRun: true,
            s3JobDefinition: { bucketDefinitions: [{ accountId: props.accountId, buckets: [...buckets] }] },
            // A job scans only the buckets of accounts that are members when it runs.
            dependsOn: member ? [member] : undefined,
          });
        this.classificationJobs.push(job);
        controlRecorder(this, props.accountId, region)(MACIE_CLASSIFICATION_JOBS, job);
      }
    }
  }
}
