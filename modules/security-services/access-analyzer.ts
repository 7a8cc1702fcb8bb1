/**
 * IAM Access Analyzer for the organization: an ORGANIZATION analyzer in the audit account (the
 * delegated administrator) in every governed Region, since analyzers see the resources of their
 * own Region only.
 */
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { controlRecorder } from '../control-model/record';
import { ACCESS_ANALYZER } from './controls';
import { Construct, type IConstruct } from 'constructs';

export interface AccessAnalyzerProps {
  readonly provider: AwsProvider;
  readonly regions: readonly string[];
  readonly analyzerName: string;
  readonly delegation: IConstruct;
  /** The audit account (delegated administrator), where the analyzers are. */
  readonly accountId: string;
}

export class AccessAnalyzer extends Construct {
  constructor(scope: Construct, id: string, props: AccessAnalyzerProps) {
    super(scope, id);
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
  }
}
