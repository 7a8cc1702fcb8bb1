/**
 * One `member-<accountId>` stack per account (management, log-archive and audit included): the
 * per-account, per-Region baseline, through one provider that assumes the account's role.
 */
import type { Construct } from 'constructs';
import { memberRegions, memberStackName } from '../config/naming';
import type { BaselineConfig, MemberAccount } from '../config/schema';
import { ConfigRecorder } from '../modules/config-recorder/config-recorder';
import { accountProvider } from '../modules/providers/account-provider';
import { BaselineStack } from './baseline-stack';

export class MemberStack extends BaselineStack {
  readonly member: MemberAccount;
  readonly regions: readonly string[];
  readonly configRecorder: ConfigRecorder;

  constructor(scope: Construct, config: BaselineConfig, member: MemberAccount) {
    super(scope, memberStackName(member.id), config);
    this.member = member;
    this.regions = memberRegions(config, member);

    const provider = accountProvider(this, 'aws', {
      config,
      accountId: member.id,
      stackName: this.stackName,
      tags: { ...member.tags, 'soc2-baseline:account-name': member.name },
    });

    this.configRecorder = new ConfigRecorder(this, 'config-recorder', {
      provider,
      accountId: member.id,
      regions: this.regions,
      homeRegion: config.regions.home,
      recorderName: `${config.organization.namePrefix}-recorder`,
    });
  }
}
