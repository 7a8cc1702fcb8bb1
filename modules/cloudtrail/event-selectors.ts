/**
 * The organization trail's advanced event selectors: every management event, read and write, from
 * every event source (CIS and Security Hub CloudWatch.7 need KMS events too), plus the data events the
 * config asks for (S3 objects, Lambda invocations, DynamoDB items). Selectors are exact field matches, so a data-event selector can never widen into
 * the log-archive buckets (the config rejects those by name).
 */
import type { CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import type { BaselineConfig } from '../../config/schema';

/**
 * Named as the checkers read it: Prowler's `cloudtrail_multi_region_enabled_logging_management_events`
 * recognises an advanced selector for management events only by the name "Management events selector"
 * and only without a `readOnly` field selector (prowler-cloud/prowler,
 * prowler/providers/aws/services/cloudtrail/cloudtrail_multi_region_enabled_logging_management_events/
 * cloudtrail_multi_region_enabled_logging_management_events.py). It is also the console's name for it.
 */
export const MANAGEMENT_EVENTS_SELECTOR: CloudtrailAdvancedEventSelector = {
  name: 'Management events selector',
  fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }],
};

/** `arn:aws:s3:::bucket` → every object in it; `arn:aws:s3:::bucket/prefix` → objects under the prefix. */
export function s3ObjectArnPrefix(arn: string): string {
  return arn.includes('/', 'arn:aws:s3:::'.length) ? arn : `${arn}/`;
}

/** Data events on every resource of a type, or on the listed ARNs exactly. */
function resourceTypeSelector(type: string, arns: 'all' | readonly string[], allName: string, listedName: string): CloudtrailAdvancedEventSelector {
  return {
    name: arns === 'all' ? allName : listedName,
    fieldSelector: [
      { field: 'eventCategory', equalTo: ['Data'] },
      { field: 'resources.type', equalTo: [type] },
      ...(arns === 'all' ? [] : [{ field: 'resources.ARN', equalTo: [...arns] }]),
    ],
  };
}

export function eventSelectors(dataEvents: BaselineConfig['trail']['dataEvents']): CloudtrailAdvancedEventSelector[] {
  const selectors = [MANAGEMENT_EVENTS_SELECTOR];
  if (dataEvents.s3.length > 0) {
    selectors.push({
      name: 'S3 object-level events on the listed buckets',
      fieldSelector: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: dataEvents.s3.map(s3ObjectArnPrefix) },
      ],
    });
  }
  if (dataEvents.lambda !== undefined) {
    selectors.push(
      resourceTypeSelector('AWS::Lambda::Function', dataEvents.lambda, 'Lambda invocations, all functions', 'Lambda invocations of the listed functions'),
    );
  }
  if (dataEvents.dynamodb !== undefined) {
    // CloudTrail User Guide, "Logging data events": resources.type `AWS::DynamoDB::Table`, scoped by
    // `resources.ARN` (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html).
    selectors.push(
      resourceTypeSelector('AWS::DynamoDB::Table', dataEvents.dynamodb, 'DynamoDB item activity, all tables', 'DynamoDB item activity on the listed tables'),
    );
  }
  return selectors;
}
