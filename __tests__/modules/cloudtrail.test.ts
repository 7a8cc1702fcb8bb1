import { configWith, exampleConfig, oneResource, refTo, resourcesOf, statement, synthStack } from '../helpers';

/** The example org's edit, without its sensitive bucket (whose data events the trail would record too: config/sensitive-data.ts). */
const withoutSensitive = (edit: (raw: Record<string, any>) => unknown) => (raw: Record<string, any>) => {
  raw.sensitiveData = { buckets: [] };
  edit(raw);
};

const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-soc2-org-trail';
const LOG_GROUP = '/acme-soc2/cloudtrail/organization';
const LOG_GROUP_ARN = `arn:aws:logs:us-east-1:111111111111:log-group:${LOG_GROUP}`;

describe('the organization trail', () => {
  const json = synthStack(exampleConfig(), 'management');
  const trail = oneResource(json, 'aws_cloudtrail');

  test('covers the organization, every Region and global events, with log file validation', () => {
    expect(trail).toMatchObject({
      provider: 'aws.management',
      region: 'us-east-1',
      name: 'acme-soc2-org-trail',
      s3_bucket_name: 'acme-soc2-cloudtrail-222222222222-us-east-1',
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
    });
    expect(trail.s3_key_prefix).toBeUndefined();
  });

  /**
   * A port of Prowler's cloudtrail_multi_region_enabled_logging_management_events (prowler-cloud/prowler):
   * a logging multi-Region trail passes when a classic selector has ReadWriteType "All" with management
   * events, or an advanced selector is named exactly "Management events selector" and has no readOnly
   * field selector. The selectors are given as CloudTrail's API returns them (Name, FieldSelectors).
   */
  function prowlerManagementEventsPass(t: Record<string, any>): boolean {
    if (!t.is_multi_region_trail || t.enable_logging === false) return false;
    const advanced = (t.advanced_event_selector ?? []).map((a: Record<string, any>) => ({
      Name: a.name,
      FieldSelectors: a.field_selector.map((f: Record<string, any>) => ({ Field: f.field, Equals: f.equals })),
    }));
    const classic = (t.event_selector ?? []).some((e: Record<string, any>) => e.read_write_type === 'All' && e.include_management_events !== false);
    return (
      classic ||
      advanced.some(
        (e: Record<string, any>) => e.Name === 'Management events selector' && e.FieldSelectors.every((f: Record<string, any>) => f.Field !== 'readOnly'),
      )
    );
  }

  test("passes Prowler's management-events check, which reads the selector by its name", () => {
    expect(prowlerManagementEventsPass(trail)).toBe(true);
    const account = oneResource(synthStack(exampleConfig(), 'member-444444444444'), 'aws_cloudtrail');
    expect(prowlerManagementEventsPass(account)).toBe(true);
    // The port fails the former name: the check reads the name, not the field selectors.
    expect(prowlerManagementEventsPass({ ...trail, advanced_event_selector: [{ ...trail.advanced_event_selector[0], name: 'All management events, read and write' }] })).toBe(false);
  });

  test('is encrypted with the log-archive CloudTrail key', () => {
    expect(trail.kms_key_id).toBe(refTo(json, 'aws_kms_key', (k) => k.description.includes('organization trail log files'), 'arn'));
  });

  test('records all management events, read and write, excluding no event source', () => {
    expect(trail.advanced_event_selector[0]).toEqual({
      name: 'Management events selector',
      field_selector: [{ field: 'eventCategory', equals: ['Management'] }],
    });
    expect(JSON.stringify(trail.advanced_event_selector)).not.toMatch(/readOnly|not_equals|eventSource/);
    expect(trail.event_selector).toBeUndefined();
  });

  test('records S3 object-level events for exactly the listed buckets and prefixes', () => {
    expect(trail.advanced_event_selector[1]).toEqual({
      name: 'S3 object-level events on the listed buckets',
      field_selector: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: ['AWS::S3::Object'] },
        { field: 'resources.ARN', starts_with: ['arn:aws:s3:::acme-customer-data-444444444444/', 'arn:aws:s3:::acme-exports-444444444444/pii/'] },
      ],
    });
  });

  test('records Lambda invocations of the listed functions, or of all functions', () => {
    expect(trail.advanced_event_selector[2]).toEqual({
      name: 'Lambda invocations of the listed functions',
      field_selector: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: ['AWS::Lambda::Function'] },
        { field: 'resources.ARN', equals: ['arn:aws:lambda:us-east-1:444444444444:function:payments-api'] },
      ],
    });
    const all = oneResource(synthStack(configWith(withoutSensitive((raw) => (raw.trail.dataEvents = { lambda: 'all' }))), 'management'), 'aws_cloudtrail');
    expect(all.advanced_event_selector).toHaveLength(2);
    expect(all.advanced_event_selector[1]).toEqual({
      name: 'Lambda invocations, all functions',
      field_selector: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: ['AWS::Lambda::Function'] },
      ],
    });
  });

  // CloudTrail User Guide, "Logging data events": DynamoDB tables are resources.type AWS::DynamoDB::Table.
  test('records DynamoDB item activity on the listed tables, or on all tables', () => {
    const table = 'arn:aws:dynamodb:us-east-1:444444444444:table/customer-orders';
    const listed = oneResource(
      synthStack(configWith(withoutSensitive((raw) => (raw.trail.dataEvents = { dynamodb: [table] }))), 'management'),
      'aws_cloudtrail',
    );
    expect(listed.advanced_event_selector).toHaveLength(2);
    expect(listed.advanced_event_selector[1]).toEqual({
      name: 'DynamoDB item activity on the listed tables',
      field_selector: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] },
        { field: 'resources.ARN', equals: [table] },
      ],
    });
    const all = oneResource(synthStack(configWith(withoutSensitive((raw) => (raw.trail.dataEvents = { dynamodb: 'all' }))), 'management'), 'aws_cloudtrail');
    expect(all.advanced_event_selector[1]).toEqual({
      name: 'DynamoDB item activity, all tables',
      field_selector: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] },
      ],
    });
  });

  test('records management events only when no data events are configured', () => {
    const plain = oneResource(synthStack(configWith(withoutSensitive((raw) => delete raw.trail)), 'management'), 'aws_cloudtrail');
    expect(plain.advanced_event_selector).toHaveLength(1);
    expect(plain.insight_selector).toBeUndefined();
    expect(plain.sns_topic_name).toBeUndefined();
  });

  test('enables the configured Insights types', () => {
    expect(trail.insight_selector).toEqual([{ insight_type: 'ApiCallRateInsight' }, { insight_type: 'ApiErrorRateInsight' }]);
  });

  test('publishes log delivery notifications to an encrypted topic only the trail may publish to, when asked', () => {
    const isDeliveryTopic = (t: Record<string, any>) => t.name === 'acme-soc2-org-trail-log-delivery';
    expect(resourcesOf(json, 'aws_sns_topic').filter(([, t]) => isDeliveryTopic(t))).toEqual([]);
    const on = synthStack(configWith((raw) => (raw.trail.deliveryNotifications = true)), 'management');
    const topic = oneResource(on, 'aws_sns_topic', isDeliveryTopic);
    const onTrail = oneResource(on, 'aws_cloudtrail');
    expect(topic).toMatchObject({ provider: 'aws.management', region: 'us-east-1', name: 'acme-soc2-org-trail-log-delivery' });
    expect(topic.kms_master_key_id).toBe(refTo(on, 'aws_kms_key', (k) => k.description.includes('CloudWatch Logs copy'), 'arn'));
    expect(onTrail.sns_topic_name).toBe(refTo(on, 'aws_sns_topic', isDeliveryTopic, 'name'));
    const topicPolicyId = refTo(on, 'aws_sns_topic_policy', (p) => p.policy.includes('CloudTrailPublishFromOrganizationTrail'), 'id');
    expect(onTrail.depends_on).toContain(topicPolicyId.replace(/^\$\{(.*)\.id\}$/, '$1'));
    const topicPolicy = oneResource(on, 'aws_sns_topic_policy', (p) => p.policy.includes('CloudTrailPublishFromOrganizationTrail')).policy;
    expect(statement(topicPolicy, 'CloudTrailPublishFromOrganizationTrail')).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'SNS:Publish',
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
    });
    const key = oneResource(on, 'aws_kms_key', (k) => k.description.includes('CloudWatch Logs copy'));
    expect(statement(key.policy, 'CloudTrailPublishToDeliveryTopic').Condition).toEqual({ StringEquals: { 'aws:SourceArn': TRAIL_ARN } });
  });

  test('waits for the bucket policy and the key it is checked against', () => {
    const policyRef = refTo(json, 'aws_s3_bucket_policy', (p) => p.policy.includes('CloudTrailWriteOrganizationTrail'), 'id');
    expect(trail.depends_on).toEqual(
      expect.arrayContaining([policyRef.replace(/^\$\{(.*)\.id\}$/, '$1'), expect.stringMatching(/^aws_kms_key\./)]),
    );
  });

  test('delivers to a KMS-encrypted log group with the configured retention', () => {
    const logGroup = oneResource(json, 'aws_cloudwatch_log_group', (g) => g.provider !== 'aws.audit');
    expect(logGroup).toMatchObject({ provider: 'aws.management', region: 'us-east-1', name: LOG_GROUP, retention_in_days: 365 });
    expect(logGroup.kms_key_id).toBe(refTo(json, 'aws_kms_key', (k) => k.description.includes('CloudWatch Logs copy'), 'arn'));
    expect(trail.cloud_watch_logs_group_arn).toBe(`${refTo(json, 'aws_cloudwatch_log_group', (g) => g.provider !== 'aws.audit', 'arn')}:*`);
  });

  test('the log group key lets CloudWatch Logs use it for that log group only', () => {
    const key = oneResource(json, 'aws_kms_key', (k) => k.description.includes('CloudWatch Logs copy'));
    expect(key).toMatchObject({ provider: 'aws.management', enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(statement(key.policy, 'CloudWatchLogsUseForTrailLogGroup')).toMatchObject({
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': LOG_GROUP_ARN } },
    });
  });

  // CloudTrail User Guide, "Role policy document for CloudTrail to use CloudWatch Logs for monitoring":
  // "The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount."
  test("the CloudWatch role has AWS's documented trust (no source condition) and may only create streams and put events", () => {
    const isTrailRole = (r: Record<string, any>) => r.name === 'acme-soc2-org-trail-to-cloudwatch-logs';
    const role = oneResource(json, 'aws_iam_role', isTrailRole);
    expect(trail.cloud_watch_logs_role_arn).toBe(refTo(json, 'aws_iam_role', isTrailRole, 'arn'));
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowServiceToAssume',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    const rolePolicy = oneResource(json, 'aws_iam_role_policy', (p) => p.name === 'write-trail-log-group');
    expect(JSON.parse(rolePolicy.policy).Statement).toEqual([
      {
        Sid: 'CreateStreamsAndPutEventsInTrailLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${LOG_GROUP_ARN}:log-stream:*`,
      },
    ]);
  });
});
