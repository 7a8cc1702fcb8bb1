/**
 * Security Hub central configuration by the audit account: a finding aggregator in the home Region
 * linking the other governed Regions, the organization switched to CENTRAL (which needs a delegated
 * administrator that is not the management account, and the aggregator), and one configuration policy
 * enabling the configured standards and disabling only the controls the config records a reason for,
 * associated with the organization root (or the listed targets).
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubConfigurationPolicy } from '@cdktf/provider-aws/lib/securityhub-configuration-policy';
import { SecurityhubConfigurationPolicyAssociation } from '@cdktf/provider-aws/lib/securityhub-configuration-policy-association';
import { SecurityhubFindingAggregator } from '@cdktf/provider-aws/lib/securityhub-finding-aggregator';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { controlRecorder } from '../control-model/record';
import { SECURITY_HUB_CIS, SECURITY_HUB_FSBP, SECURITY_HUB_ORGANIZATION } from './controls';
import { Construct, type IConstruct } from 'constructs';
import { PARTITION } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';

/** `arn:aws:securityhub:<region>::standards/<id>`, the form the central configuration API takes. */
export function standardArn(region: string, standard: string): string {
  return `arn:${PARTITION}:securityhub:${region}::standards/${standard}`;
}

export interface SecurityHubProps {
  /** Provider of the audit account. */
  readonly provider: AwsProvider;
  readonly homeRegion: string;
  readonly regions: readonly string[];
  readonly settings: BaselineConfig['securityServices']['securityHub'];
  readonly policyTargets: readonly string[];
  readonly namePrefix: string;
  /** The audit account (delegated administrator). */
  readonly accountId: string;
  /** The home-Region delegation the organization configuration waits for. */
  readonly delegation: IConstruct;
}

export class SecurityHub extends Construct {
  /** Security Hub on in the audit account: the delegation waits for it. */
  readonly account: SecurityhubAccount;
  readonly aggregator: SecurityhubFindingAggregator;
  readonly policy: SecurityhubConfigurationPolicy;

  constructor(scope: Construct, id: string, props: SecurityHubProps) {
    super(scope, id);
    const home = { provider: props.provider, region: props.homeRegion };
    this.account = new SecurityhubAccount(this, 'account', {
      ...home,
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    const linked = props.regions.filter((r) => r !== props.homeRegion);
    this.aggregator = new SecurityhubFindingAggregator(this, 'finding-aggregator', {
      ...home,
      linkingMode: linked.length > 0 ? 'SPECIFIED_REGIONS' : 'NO_REGIONS',
      specifiedRegions: linked.length > 0 ? linked : undefined,
      dependsOn: [this.account, props.delegation as never],
    });
    const organization = new SecurityhubOrganizationConfiguration(this, 'organization', {
      ...home,
      autoEnable: false,
      autoEnableStandards: 'NONE',
      organizationConfiguration: { configurationType: 'CENTRAL' },
      dependsOn: [this.aggregator],
    });
    this.policy = new SecurityhubConfigurationPolicy(this, 'policy', {
      ...home,
      name: `${props.namePrefix}-soc2-baseline`,
      description: 'SOC 2 baseline: Security Hub on everywhere with the configured standards',
      configurationPolicy: {
        serviceEnabled: true,
        enabledStandardArns: props.settings.standards.map((s) => standardArn(props.homeRegion, s)),
        securityControlsConfiguration: {
          disabledControlIdentifiers: props.settings.disabledControls.map((c) => c.id),
        },
      },
      dependsOn: [organization],
    });
    const record = controlRecorder(this, props.accountId, props.homeRegion);
    record(SECURITY_HUB_ORGANIZATION, this.account, this.aggregator, organization);
    // A standard the config leaves out is an exception of the matrix (see controls/exceptions.ts).
    if (props.settings.standards.includes('aws-foundational-security-best-practices/v/1.0.0')) record(SECURITY_HUB_FSBP, this.policy);
    if (props.settings.standards.some((s) => s.startsWith('cis-aws-foundations-benchmark/'))) record(SECURITY_HUB_CIS, this.policy);
    for (const target of props.policyTargets) {
      new SecurityhubConfigurationPolicyAssociation(this, `association-${target}`, {
        ...home,
        targetId: target,
        policyId: this.policy.id,
      });
    }
  }
}
