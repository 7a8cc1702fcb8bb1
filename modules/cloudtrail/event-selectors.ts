/**
 * The organization trail's advanced event selectors: every management event, read and write, from
 * every event source (CIS and Security Hub CloudWatch.7 need KMS events too), plus the data events the
 * config asks for (S3 objects, Lambda invocations, DynamoDB items) and the network activity events of the
 * listed event sources. Selectors are exact field matches, so a data-event selector can never widen into
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

/** The error code of a call a VPC endpoint policy denied, the only one a network activity selector may filter on. */
export const VPCE_ACCESS_DENIED = 'VpceAccessDenied';

/**
 * One selector per event source, as CloudTrail wants it: network activity events are selected by
 * `eventCategory = NetworkActivity` and `eventSource` (both `Equals` only; "If you want to log network
 * activity events for multiple event sources, you must create a separate field selector for each event
 * source"), and optionally `errorCode = VpceAccessDenied` ("Currently, the only valid errorCode is
 * VpceAccessDenied. You can use only the Equals operator"): CloudTrail User Guide, "Logging network
 * activity events", Advanced event selector fields for network activity events
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html).
 * The provider accepts the `errorCode` field from 6.1 on (hashicorp/terraform-provider-aws
 * internal/service/cloudtrail/consts.go `field_Values`, pull request 43091).
 */
export function networkActivitySelectors(network: BaselineConfig['trail']['networkActivityEvents']): CloudtrailAdvancedEventSelector[] {
  return network.eventSources.map((source) => ({
    name: network.deniedOnly ? `VPC endpoint policy denials (VpceAccessDenied) of ${source}` : `Network activity events of ${source}`,
    fieldSelector: [
      { field: 'eventCategory', equalTo: ['NetworkActivity'] },
      { field: 'eventSource', equalTo: [source] },
      ...(network.deniedOnly ? [{ field: 'errorCode', equalTo: [VPCE_ACCESS_DENIED] }] : []),
    ],
  }));
}

/**
 * The organization trail's selectors: management events, the data events and, when configured, the
 * network activity events (`networkActivitySelectors`). Member accounts' trails record management
 * events only.
 */
export function eventSelectors(
  dataEvents: BaselineConfig['trail']['dataEvents'],
  network: BaselineConfig['trail']['networkActivityEvents'] = { eventSources: [], deniedOnly: true },
): CloudtrailAdvancedEventSelector[] {
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
  selectors.push(...networkActivitySelectors(network));
  return selectors;
}
