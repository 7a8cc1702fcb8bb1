/**
 * The investigations as CloudWatch Logs Insights saved queries over the organization trail's log group
 * (management account, home Region): the recent period the log group keeps, answered in seconds,
 * without Athena. `aws_cloudwatch_query_definition` (CloudWatch Logs API PutQueryDefinition,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutQueryDefinition.html); a
 * `/` in the name files it in a folder of the console's saved queries.
 */
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { investigationQueryDefinitionName, orgTrailLogGroupName } from '../../config/naming';
import type { BaselineConfig } from '../../config/schema';
import { controlRecorder } from '../control-model/record';
import { investigationsFor } from './context';
import { INVESTIGATIONS_ATHENA } from './controls';
import { terraformLiteral } from './log-investigations';

export interface LogsInsightsQueriesProps {
  /** Provider of the management account, which owns the organization trail's log group. */
  readonly provider: AwsProvider;
  readonly config: BaselineConfig;
}

export class LogsInsightsQueries extends Construct {
  readonly queries: readonly CloudwatchQueryDefinition[];

  constructor(scope: Construct, id: string, props: LogsInsightsQueriesProps) {
    super(scope, id);
    const { config, provider } = props;
    const region = config.regions.home;
    this.queries = investigationsFor(config).available.map(
      ({ investigation, logsInsights }) =>
        new CloudwatchQueryDefinition(this, investigation.name, {
          provider,
          region,
          name: investigationQueryDefinitionName(config, investigation.name),
          logGroupNames: [orgTrailLogGroupName(config)],
          queryString: terraformLiteral(logsInsights),
        })
    );
    controlRecorder(this, config.organization.managementAccountId, region)(INVESTIGATIONS_ATHENA, ...this.queries);
  }
}
