/**
 * `sensitiveData` (issue 23): one list of the buckets that hold sensitive data. Its buckets join the
 * organization trail's S3 data events, and each problem names the field.
 */
import { s3DataEventArns } from '../../config/sensitive-data';
import { switchedOffControls } from '../../config/schema';
import { eventSelectors } from '../../modules/cloudtrail/event-selectors';
import { configProblems, configWith, exampleConfig, resourcesOf, synthStack } from '../helpers';

const bucket = (extra: Record<string, unknown> = {}) => ({ name: 'acme-payroll-555555555555', accountId: '555555555555', region: 'us-east-1', ...extra });

describe('sensitiveData.buckets', () => {
  test('the example lists one bucket; malware protection, tagging and access logs default on', () => {
    const { sensitiveData } = exampleConfig();
    expect(sensitiveData).toEqual({
      buckets: [{ name: 'acme-customer-data-444444444444', accountId: '444444444444', region: 'us-east-1' }],
      malwareProtection: { enabled: true, tagScannedObjects: true },
      serverAccessLogs: true,
    });
  });

  test("the buckets join the organization trail's S3 data events, once", () => {
    const config = configWith((raw) => raw.sensitiveData.buckets.push(bucket()));
    // The example already lists acme-customer-data-444444444444 as a whole bucket: not repeated.
    expect(s3DataEventArns(config)).toEqual([
      'arn:aws:s3:::acme-customer-data-444444444444',
      'arn:aws:s3:::acme-exports-444444444444/pii/',
      'arn:aws:s3:::acme-payroll-555555555555',
    ]);
    const trail = resourcesOf(synthStack(config, 'management'), 'aws_cloudtrail').map(([, t]) => t).find((t) => t.is_organization_trail)!;
    const s3Selector = trail.advanced_event_selector.find((s: { name: string }) => s.name === 'S3 object-level events on the listed buckets');
    // CloudTrail User Guide, "Logging data events": resources.type AWS::S3::Object, resources.ARN StartsWith
    // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html).
    expect(s3Selector.field_selector).toContainEqual({
      field: 'resources.ARN',
      starts_with: ['arn:aws:s3:::acme-customer-data-444444444444/', 'arn:aws:s3:::acme-exports-444444444444/pii/', 'arn:aws:s3:::acme-payroll-555555555555/'],
    });
  });

  test('a sensitive bucket alone (trail.dataEvents.s3 empty) still gets its data events and the data-events rule names it', () => {
    const config = configWith((raw) => {
      raw.trail.dataEvents.s3 = [];
    });
    const selector = eventSelectors({ ...config.trail.dataEvents, s3: s3DataEventArns(config) }).find((s) => s.name === 'S3 object-level events on the listed buckets')!;
    expect(selector.fieldSelector).toContainEqual({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::acme-customer-data-444444444444/'] });
    const rule = resourcesOf(synthStack(config, 'member-444444444444'), 'aws_config_config_rule').map(([, r]) => r).find((r) => r.name === 'cloudtrail-s3-dataevents-enabled')!;
    // cloudtrail-s3-dataevents-enabled, parameter S3BucketNames
    // (https://docs.aws.amazon.com/config/latest/developerguide/cloudtrail-s3-dataevents-enabled.html).
    expect(JSON.parse(rule.input_parameters)).toEqual({ S3BucketNames: 'acme-customer-data-444444444444' });
  });

  test.each([
    ['an account that is not a member', bucket({ accountId: '999999999999' }), 'sensitiveData.buckets[1].accountId: 999999999999 is not listed in members'],
    ['a Region that is not governed', bucket({ region: 'eu-central-1' }), 'sensitiveData.buckets[1].region: eu-central-1 is not in regions.governed'],
    ['a governed Region the member does not cover', bucket({ region: 'us-west-2' }), 'sensitiveData.buckets[1].region: us-west-2 is not one of the Regions of account 555555555555'],
    ['a bucket listed twice', bucket({ name: 'acme-customer-data-444444444444', accountId: '444444444444' }), 'sensitiveData.buckets[1].name: acme-customer-data-444444444444 is listed twice'],
    ['a log-archive bucket', bucket({ name: 'acme-soc2-cloudtrail-222222222222-us-east-1', accountId: '222222222222' }), 'sensitiveData.buckets[1].name: acme-soc2-cloudtrail-222222222222-us-east-1 is a log-archive bucket'],
    ['a key of another Region', bucket({ kmsKeyArn: 'arn:aws:kms:us-west-2:555555555555:key/1234abcd-12ab-34cd-56ef-1234567890ab' }), "sensitiveData.buckets[1].kmsKeyArn: the key is in us-west-2, not the bucket's Region us-east-1"],
    ['a key alias instead of a key ARN', bucket({ kmsKeyArn: 'arn:aws:kms:us-east-1:555555555555:alias/data' }), 'sensitiveData.buckets[1].kmsKeyArn'],
    ['a bucket name S3 refuses', bucket({ name: 'Not_A_Bucket' }), 'sensitiveData.buckets[1].name: must be an S3 bucket name'],
  ])('%s is refused, naming the field', (_what, entry, message) => {
    const problems = configProblems((raw) => raw.sensitiveData.buckets.push(entry));
    expect(problems.some((p) => p.includes(message))).toBe(true);
  });

  test('switching malware protection or access logs off with buckets listed needs a control exception; with none listed there is nothing to switch off', () => {
    const problems = configProblems((raw) => {
      raw.sensitiveData.malwareProtection = { enabled: false };
      raw.sensitiveData.serverAccessLogs = false;
    });
    expect(problems.some((p) => p.includes('sensitiveData.malwareProtection.enabled: false switches off the control guardduty.malware-protection-s3'))).toBe(true);
    expect(problems.some((p) => p.includes('sensitiveData.serverAccessLogs: false switches off the control s3.sensitive-bucket-access-logs'))).toBe(true);
    const none = configWith((raw) => {
      raw.sensitiveData = { buckets: [], malwareProtection: { enabled: false }, serverAccessLogs: false };
    });
    expect([...switchedOffControls(none).keys()]).not.toContain('guardduty.malware-protection-s3');
    expect([...switchedOffControls(none).keys()]).not.toContain('s3.sensitive-bucket-access-logs');
  });
});
