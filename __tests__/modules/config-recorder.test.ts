import { configWith, exampleConfig, resourcesOf, synthStack, type Synth } from '../helpers';
import type { BaselineConfig } from '../../config/schema';

const byRegion = (json: Synth, type: string) => new Map(resourcesOf(json, type).map(([, r]) => [r.region, r]));
const regionsOf = (json: Synth, type: string) => resourcesOf(json, type).map(([, r]) => r.region).sort();

function member(id: string, config: BaselineConfig = exampleConfig()): Synth {
  return synthStack(config, `member-${id}`);
}

describe('AWS Config recording in member stacks', () => {
  test.each(['111111111111', '222222222222', '333333333333', '444444444444'])(
    'account %s has a recorder, a delivery channel and an enabled status in each governed Region',
    (id) => {
      const json = member(id);
      for (const type of ['aws_config_configuration_recorder', 'aws_config_delivery_channel', 'aws_config_configuration_recorder_status']) {
        expect(regionsOf(json, type)).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
      }
      for (const r of resourcesOf(json, 'aws_config_configuration_recorder').map(([, r]) => r)) {
        expect(r).toMatchObject({
          name: 'acme-soc2-recorder',
          recording_group: { all_supported: true },
          recording_mode: { recording_frequency: 'CONTINUOUS' },
        });
      }
    },
  );

  test('global resource types are recorded exactly once, in the home Region', () => {
    const recorders = [...byRegion(member('444444444444'), 'aws_config_configuration_recorder').values()];
    expect(recorders.filter((r) => r.recording_group.include_global_resource_types === true).map((r) => r.region)).toEqual(['us-east-1']);
    expect(recorders.filter((r) => r.recording_group.include_global_resource_types === false)).toHaveLength(2);
  });

  test('each delivery channel sends to the central Config bucket with a snapshot every 24 hours, after its recorder', () => {
    const json = member('444444444444');
    const recorders = Object.fromEntries(resourcesOf(json, 'aws_config_configuration_recorder').map(([id, r]) => [r.region, id]));
    for (const [, channel] of resourcesOf(json, 'aws_config_delivery_channel')) {
      expect(channel).toMatchObject({
        name: 'acme-soc2-recorder',
        s3_bucket_name: 'acme-soc2-config-222222222222-us-east-1',
        snapshot_delivery_properties: { delivery_frequency: 'TwentyFour_Hours' },
        depends_on: [`aws_config_configuration_recorder.${recorders[channel.region]}`],
      });
    }
  });

  test('each recorder is turned on only after its delivery channel exists', () => {
    const json = member('444444444444');
    const channels = Object.fromEntries(resourcesOf(json, 'aws_config_delivery_channel').map(([id, c]) => [c.region, id]));
    const recorders = Object.fromEntries(resourcesOf(json, 'aws_config_configuration_recorder').map(([id, r]) => [r.region, id]));
    for (const [, status] of resourcesOf(json, 'aws_config_configuration_recorder_status')) {
      expect(status).toEqual(
        expect.objectContaining({
          is_enabled: true,
          name: `\${aws_config_configuration_recorder.${recorders[status.region]}.name}`,
          depends_on: [`aws_config_delivery_channel.${channels[status.region]}`],
        }),
      );
    }
  });

  test("a member's Region subset is honoured", () => {
    expect(regionsOf(member('555555555555'), 'aws_config_configuration_recorder')).toEqual(['us-east-1']);
    const config = configWith((raw) => (raw.members[3].regions = ['eu-west-1', 'us-east-1']));
    expect(regionsOf(member('444444444444', config), 'aws_config_delivery_channel')).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('record through the service-linked role, created once per account unless it exists', () => {
    const json = member('444444444444');
    const roles = resourcesOf(json, 'aws_iam_service_linked_role');
    expect(roles).toHaveLength(1);
    expect(roles[0][1].aws_service_name).toBe('config.amazonaws.com');
    for (const [, r] of resourcesOf(json, 'aws_config_configuration_recorder')) {
      expect(r.role_arn).toBe(`\${aws_iam_service_linked_role.${roles[0][0]}.arn}`);
    }
    const existing = member('444444444444', configWith((raw) => (raw.members[3].configServiceLinkedRoleExists = true)));
    expect(resourcesOf(existing, 'aws_iam_service_linked_role')).toEqual([]);
    for (const [, r] of resourcesOf(existing, 'aws_config_configuration_recorder')) {
      expect(r.role_arn).toBe('arn:aws:iam::444444444444:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig');
    }
    const orgWide = configWith((raw) => (raw.awsConfig = { serviceLinkedRoleExists: true }));
    expect(resourcesOf(member('222222222222', orgWide), 'aws_iam_service_linked_role')).toEqual([]);
  });

  test('daily recording, for cost, when the config asks', () => {
    const json = member('444444444444', configWith((raw) => (raw.awsConfig = { recordingFrequency: 'DAILY' })));
    for (const [, r] of resourcesOf(json, 'aws_config_configuration_recorder')) {
      expect(r.recording_mode).toEqual({ recording_frequency: 'DAILY' });
    }
  });

  test('with Control Tower, no recorder or channel where Control Tower records; rules still everywhere', () => {
    const config = configWith((raw) => (raw.controlTower = { enabled: true, regions: ['us-east-1', 'us-west-2'] }));
    const json = member('444444444444', config);
    for (const type of ['aws_config_configuration_recorder', 'aws_config_delivery_channel', 'aws_config_configuration_recorder_status']) {
      expect(regionsOf(json, type)).toEqual(['eu-west-1']);
    }
    expect(new Set(regionsOf(json, 'aws_config_config_rule'))).toEqual(new Set(['eu-west-1', 'us-east-1', 'us-west-2']));
    expect(regionsOf(json, 'aws_flow_log')).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    // eu-west-1 is not the home Region: global types are left to Control Tower's home recorder.
    expect(byRegion(json, 'aws_config_configuration_recorder').get('eu-west-1')!.recording_group.include_global_resource_types).toBe(false);

    const everywhere = member('444444444444', configWith((raw) => (raw.controlTower = { enabled: true })));
    for (const type of ['aws_config_configuration_recorder', 'aws_config_delivery_channel', 'aws_iam_service_linked_role']) {
      expect(resourcesOf(everywhere, type)).toEqual([]);
    }
    expect(resourcesOf(everywhere, 'aws_config_config_rule').length).toBeGreaterThan(0);
  });
});
