/**
 * An organization that governs an opt-in Region (af-south-1, Cape Town): it validates, synthesizes,
 * and every service grant uses the principal AWS documents for that Region.
 * - GuardDuty finding export: the Regional principal guardduty.<region>.amazonaws.com in opt-in
 *   Regions (GuardDuty User Guide, "Exporting findings").
 * - CloudWatch Logs key grants: always the Regional logs.<region>.amazonaws.com (CloudWatch Logs User
 *   Guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
 * - CloudTrail ("allows CloudTrail to deliver logs for all regions"), AWS Config and flow-log delivery
 *   document only their global principal.
 */
import { isOptInRegion, REGIONS_ENABLED_BY_DEFAULT, servicePrincipals } from '../../config/regions';
import { allStackNames } from '../../config/naming';
import { configWith, resourcesOf, statement, synthStack, type Synth } from '../helpers';

const config = configWith((raw) => {
  raw.regions.governed = ['us-east-1', 'af-south-1'];
  raw.flowLogs = { destination: 'cloud-watch-logs' };
  for (const m of raw.members) delete m.regions;
});

const services = (json: Synth) => {
  const found: string[] = [];
  for (const type of ['aws_s3_bucket_policy', 'aws_kms_key', 'aws_sns_topic_policy', 'aws_iam_role', 'aws_sqs_queue_policy']) {
    for (const [, r] of resourcesOf(json, type)) {
      for (const s of JSON.parse(r.policy ?? r.assume_role_policy).Statement) {
        const svc = s.Principal?.Service;
        if (svc) found.push(...(Array.isArray(svc) ? svc : [svc]));
      }
    }
  }
  return [...new Set(found)].sort();
};

describe('opt-in Regions', () => {
  test('are every Region but the 17 enabled by default (launched before March 20, 2019)', () => {
    expect(REGIONS_ENABLED_BY_DEFAULT).toHaveLength(17);
    for (const r of ['af-south-1', 'ap-east-1', 'me-south-1', 'eu-south-1', 'il-central-1', 'mx-central-1']) expect(isOptInRegion(r)).toBe(true);
    for (const r of ['us-east-1', 'eu-north-1', 'ap-northeast-3', 'sa-east-1']) expect(isOptInRegion(r)).toBe(false);
    expect(servicePrincipals('guardduty', ['us-east-1'])).toBe('guardduty.amazonaws.com');
    expect(servicePrincipals('guardduty', ['us-east-1', 'af-south-1', 'af-south-1'])).toEqual(['guardduty.amazonaws.com', 'guardduty.af-south-1.amazonaws.com']);
  });

  const management = synthStack(config, 'management');

  test('GuardDuty runs there, and its findings export is granted to its Regional principal too', () => {
    // The audit account's detectors (the management account has its own too: management-account-coverage.test.ts).
    expect(resourcesOf(management, 'aws_guardduty_detector').filter(([, d]) => d.provider === 'aws.audit').map(([, d]) => d.region).sort()).toEqual(['af-south-1', 'us-east-1']);
    const bucket = 'acme-soc2-guardduty-222222222222-us-east-1';
    const policy = resourcesOf(management, 'aws_s3_bucket_policy').find(([, p]) => p.policy.includes(`arn:aws:s3:::${bucket}"`))![1].policy;
    for (const sid of ['GuardDutyBucketLocation', 'GuardDutyExportFromAuditAccount']) {
      expect(statement(policy, sid).Principal).toEqual({ Service: ['guardduty.amazonaws.com', 'guardduty.af-south-1.amazonaws.com'] });
    }
    const key = resourcesOf(management, 'aws_kms_key').find(([, k]) => k.policy.includes('GuardDutyExportFromAuditAccount'))![1];
    expect(statement(key.policy, 'GuardDutyExportFromAuditAccount').Principal).toEqual({
      Service: ['guardduty.amazonaws.com', 'guardduty.af-south-1.amazonaws.com'],
    });
  });

  test('the flow-log groups there are encrypted for the Regional CloudWatch Logs principal', () => {
    const member = synthStack(config, 'member-444444444444');
    const keys = resourcesOf(member, 'aws_kms_key').filter(([, k]) => k.policy.includes('CloudWatchLogsUseForFlowLogGroup'));
    expect(keys.map(([, k]) => [k.region, statement(k.policy, 'CloudWatchLogsUseForFlowLogGroup').Principal.Service]).sort()).toEqual([
      ['af-south-1', 'logs.af-south-1.amazonaws.com'],
      ['us-east-1', 'logs.us-east-1.amazonaws.com'],
    ]);
  });

  test('every stack synthesizes, and names only documented principals', () => {
    const documented = new Set([
      'cloudtrail.amazonaws.com', 'config.amazonaws.com', 'delivery.logs.amazonaws.com', 'logging.s3.amazonaws.com',
      'guardduty.amazonaws.com', 'guardduty.af-south-1.amazonaws.com', 'events.amazonaws.com', 'cloudwatch.amazonaws.com',
      'sns.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'logs.us-east-1.amazonaws.com', 'logs.af-south-1.amazonaws.com',
      // The Malware Protection for S3 role's trust (GuardDuty User Guide, "Create or update IAM role policy":
      // https://docs.aws.amazon.com/guardduty/latest/ug/malware-protection-s3-iam-policy-prerequisite.html); AWS
      // documents no Regional variant of it for opt-in Regions (listed under Unverified in docs/detection.md).
      'malware-protection-plan.guardduty.amazonaws.com',
    ]);
    for (const name of allStackNames(config)) {
      const found = services(synthStack(config, name));
      expect(found.filter((s) => !documented.has(s))).toEqual([]);
    }
  });
});
