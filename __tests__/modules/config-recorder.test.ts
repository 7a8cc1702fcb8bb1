import { configWith, exampleConfig, resourcesOf, synthStack } from '../helpers';

function recordersByRegion(accountId: string, config = exampleConfig()): Map<string, Record<string, any>> {
  const json = synthStack(config, `member-${accountId}`);
  return new Map(resourcesOf(json, 'aws_config_configuration_recorder').map(([, r]) => [r.region, r]));
}

describe('AWS Config recorders in member stacks', () => {
  test.each(['111111111111', '222222222222', '333333333333', '444444444444'])(
    'account %s records all supported types in every governed Region',
    (id) => {
      const recorders = recordersByRegion(id);
      expect([...recorders.keys()].sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
      for (const r of recorders.values()) {
        expect(r).toMatchObject({
          name: 'acme-soc2-recorder',
          recording_group: { all_supported: true },
          recording_mode: { recording_frequency: 'CONTINUOUS' },
        });
      }
    },
  );

  test('global resource types are recorded exactly once, in the home Region', () => {
    const recorders = recordersByRegion('444444444444');
    const global = [...recorders.values()].filter((r) => r.recording_group.include_global_resource_types === true);
    expect(global.map((r) => r.region)).toEqual(['us-east-1']);
    expect(recorders.get('us-west-2')!.recording_group.include_global_resource_types).toBe(false);
  });

  test("a member's Region subset is honoured", () => {
    expect([...recordersByRegion('555555555555').keys()]).toEqual(['us-east-1']);
    const config = configWith((raw) => (raw.members[3].regions = ['eu-west-1', 'us-east-1']));
    expect([...recordersByRegion('444444444444', config).keys()].sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('record through the AWS Config service-linked role, created once per account', () => {
    const json = synthStack(exampleConfig(), 'member-444444444444');
    const roles = resourcesOf(json, 'aws_iam_service_linked_role');
    expect(roles).toHaveLength(1);
    expect(roles[0][1].aws_service_name).toBe('config.amazonaws.com');
    for (const [, r] of resourcesOf(json, 'aws_config_configuration_recorder')) {
      expect(r.role_arn).toBe(`\${aws_iam_service_linked_role.${roles[0][0]}.arn}`);
    }
  });
});
