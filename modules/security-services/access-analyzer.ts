/**
 * IAM Access Analyzer for the organization, in the audit account (the delegated administrator): an
 * ORGANIZATION (external access) analyzer in every governed Region, since those analyzers see the
 * resources of their own Region only; and one ORGANIZATION_UNUSED_ACCESS analyzer in the home Region,
 * since "for unused access, findings for the analyzer do not change based on Region. Creating an
 * analyzer in each Region where you have resources is not required", and each analyzer is billed per
 * role and user it analyzes (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-unused.html).
 */
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { ACCESS_ANALYZER, ACCESS_ANALYZER_UNUSED_ACCESS } from './controls';
import { Construct, type IConstruct } from 'constructs';

/** The unused access analysis: an ORGANIZATION_UNUSED_ACCESS analyzer. */
export interface UnusedAccessAnalyzerProps {
  readonly analyzerName: string;
  /**
   * Days without use after which access becomes a finding: the analyzer's `unusedAccessAge`, 1 to 365
   * (https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_UnusedAccessConfiguration.html).
   */
  readonly unusedAccessAgeDays: number;
}

export interface AccessAnalyzerProps {
  readonly provider: AwsProvider;
  readonly regions: readonly string[];
  readonly analyzerName: string;
  readonly delegation: IConstruct;
  /** The audit account (delegated administrator), where the analyzers are. */
  readonly accountId: string;
  /** The home Region, where the unused access analyzer is; one of `regions`. */
  readonly homeRegion: string;
  /**
   * The unused access analyzer.
   * @default - none: unused access is not analyzed (a control exception in the config)
   */
  readonly unusedAccess?: UnusedAccessAnalyzerProps;
}

export class AccessAnalyzer extends Construct {
  /** The unused access analyzer, when `unusedAccess` is given. */
  readonly unusedAccessAnalyzer?: AccessanalyzerAnalyzer;

  constructor(scope: Construct, id: string, props: AccessAnalyzerProps) {
    super(scope, id);
    if (!props.regions.includes(props.homeRegion)) throw new Error(`AccessAnalyzer: homeRegion ${props.homeRegion} is not one of regions (${props.regions.join(', ')})`);
    const age = props.unusedAccess?.unusedAccessAgeDays;
    if (age !== undefined && !(Number.isInteger(age) && age >= 1 && age <= 365)) {
      throw new Error(`AccessAnalyzer: unusedAccess.unusedAccessAgeDays must be a whole number of days from 1 to 365, got ${age}`);
    }
    for (const region of props.regions) {
      const analyzer = new AccessanalyzerAnalyzer(this, `analyzer-${region}`, {
        provider: props.provider,
        region,
        analyzerName: props.analyzerName,
        type: 'ORGANIZATION',
        dependsOn: [props.delegation as never],
      });
      controlRecorder(this, props.accountId, region)(ACCESS_ANALYZER, analyzer);
    }
    if (props.unusedAccess) {
      // No analysis rule: every account and every principal is analyzed (an exclusion would hide them
      // from the review). The configuration is ForceNew in the provider: a change replaces the analyzer.
      this.unusedAccessAnalyzer = new AccessanalyzerAnalyzer(this, 'unused-access', {
        provider: props.provider,
        region: props.homeRegion,
        analyzerName: props.unusedAccess.analyzerName,
        type: 'ORGANIZATION_UNUSED_ACCESS',
        configuration: { unusedAccess: { unusedAccessAge: props.unusedAccess.unusedAccessAgeDays } },
        dependsOn: [props.delegation as never],
      });
      controlRecorder(this, props.accountId, props.homeRegion)(ACCESS_ANALYZER_UNUSED_ACCESS, this.unusedAccessAnalyzer);
    }
  }
}
