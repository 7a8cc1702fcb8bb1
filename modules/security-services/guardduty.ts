/**
 * GuardDuty for the organization, run by the audit account in every governed Region: a detector
 * publishing findings every 15 minutes, members auto-enabled (ALL by default), each protection plan
 * explicitly on or off for the organization and the audit account itself, and findings exported to
 * the log archive, KMS-encrypted.
 */
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { GuarddutyDetectorFeature } from '@cdktf/provider-aws/lib/guardduty-detector-feature';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';
import { GuarddutyOrganizationConfigurationFeature } from '@cdktf/provider-aws/lib/guardduty-organization-configuration-feature';
import { GuarddutyPublishingDestination } from '@cdktf/provider-aws/lib/guardduty-publishing-destination';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { GUARDDUTY_EXTENDED_THREAT_DETECTION, GUARDDUTY_ORGANIZATION } from './controls';
import { Construct, type IConstruct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { FINDING_PUBLISHING_FREQUENCY, GUARDDUTY_FEATURES, RUNTIME_AGENTS } from './guardduty-features';

type Protection = BaselineConfig['securityServices']['guardDuty']['protection'];

export { GUARDDUTY_FEATURES, RUNTIME_AGENTS } from './guardduty-features';

export interface GuardDutyProps {
  /** Provider of the audit account. */
  readonly provider: AwsProvider;
  readonly regions: readonly string[];
  readonly settings: BaselineConfig['securityServices']['guardDuty'];
  /** The log-archive bucket (ARN) and key (ARN) findings are exported to. */
  readonly exportBucketArn: string;
  readonly exportKeyArn: string;
  /** Region → the delegation the organization configuration waits for (it waits for the detector). */
  readonly delegations: ReadonlyMap<string, IConstruct>;
  /** The audit account (delegated administrator), where the detectors are. */
  readonly accountId: string;
  /** The bucket policy and key the export destination is checked against. */
  readonly exportDependsOn: readonly IConstruct[];
}

export class GuardDuty extends Construct {
  /** Region → the audit account's detector (the administrator's). */
  readonly detectors = new Map<string, GuarddutyDetector>();
  /** Region → the organization configuration, made after the delegation (members wait for it). */
  readonly organizations = new Map<string, GuarddutyOrganizationConfiguration>();

  constructor(scope: Construct, id: string, props: GuardDutyProps) {
    super(scope, id);
    const { settings } = props;
    for (const region of props.regions) {
      const regional = { provider: props.provider, region };
      const detector = new GuarddutyDetector(this, `detector-${region}`, {
        ...regional,
        enable: true,
        findingPublishingFrequency: FINDING_PUBLISHING_FREQUENCY,
      });
      this.detectors.set(region, detector);
      const organization = new GuarddutyOrganizationConfiguration(this, `organization-${region}`, {
        ...regional,
        detectorId: detector.id,
        autoEnableOrganizationMembers: settings.autoEnableMembers,
        dependsOn: [props.delegations.get(region) as never],
      });
      this.organizations.set(region, organization);
      controlRecorder(this, props.accountId, region)(GUARDDUTY_ORGANIZATION, detector, organization);
      // Extended Threat Detection is on wherever the detector is, with no setting of its own (controls.ts).
      controlRecorder(this, props.accountId, region)(GUARDDUTY_EXTENDED_THREAT_DETECTION, detector);
      for (const [plan, feature] of Object.entries(GUARDDUTY_FEATURES) as [keyof Protection, string][]) {
        const on = settings.protection[plan];
        const agents = feature === 'RUNTIME_MONITORING' ? RUNTIME_AGENTS : [];
        new GuarddutyOrganizationConfigurationFeature(this, `org-${feature.toLowerCase()}-${region}`, {
          ...regional,
          detectorId: detector.id,
          name: feature,
          autoEnable: on ? settings.autoEnableMembers : 'NONE',
          additionalConfiguration: agents.map((name) => ({ name, autoEnable: on ? settings.autoEnableMembers : 'NONE' })),
          dependsOn: [organization],
        });
        new GuarddutyDetectorFeature(this, `${feature.toLowerCase()}-${region}`, {
          ...regional,
          detectorId: detector.id,
          name: feature,
          status: on ? 'ENABLED' : 'DISABLED',
          additionalConfiguration: agents.map((name) => ({ name, status: on ? 'ENABLED' : 'DISABLED' })),
        });
      }
      new GuarddutyPublishingDestination(this, `export-${region}`, {
        ...regional,
        detectorId: detector.id,
        destinationType: 'S3',
        destinationArn: props.exportBucketArn,
        kmsKeyArn: props.exportKeyArn,
        dependsOn: [...props.exportDependsOn] as never,
      });
    }
  }
}
