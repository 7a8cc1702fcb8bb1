/**
 * The organization's management account is covered by every delegated service wherever AWS documents
 * a step there (issue 20, "Watch the watchers"). GuardDuty is the one that needs `management` to do
 * something in that account: the service-linked role, GuardDuty on, and the membership (the pages are
 * quoted in modules/security-services/guardduty-management-account.ts). The other services' steps in
 * the management account are already taken elsewhere, and asserted at the end.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { App, TerraformStack, Testing } from 'cdktf';
import { stackControls } from '../../modules/control-model/record';
import { GuardDutyManagementAccount, type GuardDutyManagementAccountProps } from '../../modules/security-services/guardduty-management-account';
import { buildApp } from '../../stacks/app';
import { configWith, exampleConfig, oneResource, resourcesOf, synthStack, type Synth } from '../helpers';

const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];
const MANAGEMENT = '111111111111';
const AUDIT = '333333333333';

const inRegion = (json: Synth, type: string, region: string, provider: string) => {
  const found = resourcesOf(json, type).filter(([, r]) => r.region === region && r.provider === provider);
  if (found.length !== 1) throw new Error(`expected one ${type} of ${provider} in ${region}, found ${found.length}`);
  return { address: `${type}.${found[0][0]}`, id: found[0][0], resource: found[0][1] };
};
const guardDutyRole = (json: Synth) => resourcesOf(json, 'aws_iam_service_linked_role').filter(([, r]) => r.aws_service_name === 'guardduty.amazonaws.com');

describe('GuardDuty in the management account', () => {
  const json = synthStack(exampleConfig(), 'management');

  test('AWSServiceRoleForAmazonGuardDuty is created there, once (IAM is global)', () => {
    // GuardDuty User Guide, designating a delegated administrator (doc_source/guardduty_organizations.md;
    // https://docs.aws.amazon.com/guardduty/latest/ug/delegated-admin-designate.html): "The management
    // account must have the GuardDuty service-linked role in order for the delegated administrator to be
    // able to enable and manage GuardDuty in that account."
    const roles = guardDutyRole(json);
    expect(roles).toHaveLength(1);
    // aws_service_name: the role "trusts the guardduty.amazonaws.com service to assume the role"
    // (GuardDuty User Guide, https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions.html).
    expect(roles[0][1]).toEqual({ provider: 'aws.management', aws_service_name: 'guardduty.amazonaws.com' });
  });

  test.each(REGIONS)('GuardDuty is on in the management account in %s, after the role and the organization configuration', (region) => {
    // GuardDuty User Guide, "Adding members to the organization"
    // (https://docs.aws.amazon.com/guardduty/latest/ug/add-member-accounts-guardduty-organization.html):
    // "There is an exception to the organization management account. Before the management account
    // account gets added as a GuardDuty member, it must have GuardDuty enabled."
    const detector = inRegion(json, 'aws_guardduty_detector', region, 'aws.management');
    expect(detector.resource.enable).toBe(true);
    // finding_publishing_frequency is Computed "since GuardDuty member accounts inherit setting from
    // master account" (terraform-provider-aws, internal/service/guardduty/detector.go): left unset.
    expect(detector.resource.finding_publishing_frequency).toBeUndefined();
    expect(detector.resource.datasources).toBeUndefined();
    const organization = inRegion(json, 'aws_guardduty_organization_configuration', region, 'aws.audit');
    expect(detector.resource.depends_on).toEqual([`aws_iam_service_linked_role.${guardDutyRole(json)[0][0]}`, organization.address]);
  });

  test.each(REGIONS)('the audit account adds the management account as a member in %s, after its detector', (region) => {
    // GuardDuty API Reference, CreateMembers
    // (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateMembers.html): "When you use
    // CreateMembers as an Organizations delegated administrator, GuardDuty applies your organization's
    // auto-enable settings to the member accounts in this request, irrespective of the accounts being
    // new or existing members."
    const member = inRegion(json, 'aws_guardduty_member', region, 'aws.audit').resource;
    const administrator = inRegion(json, 'aws_guardduty_detector', region, 'aws.audit');
    // account_id, detector_id, email: CreateMembers' AccountDetails (AccountId, Email) on the
    // administrator's detector (terraform-provider-aws, internal/service/guardduty/member.go).
    expect(member.account_id).toBe(MANAGEMENT);
    expect(member.detector_id).toBe(`\${${administrator.address}.id}`);
    expect(member.email).toBe('aws-management@example.com'); // its members[] entry in baseline.config.yaml
    expect(member.depends_on).toEqual([inRegion(json, 'aws_guardduty_detector', region, 'aws.management').address]);
  });

  test('no invite, and invite and email ignored after create: never disassociated or replaced', () => {
    // member.go: resourceMemberRead sets invite = true for an Enabled member, resourceMemberUpdate calls
    // DisassociateMembers when invite changes to false, and email is ForceNew.
    for (const [, member] of resourcesOf(json, 'aws_guardduty_member')) {
      expect(member.invite).toBeUndefined();
      expect(member.disable_email_notification).toBeUndefined();
      expect(member.lifecycle).toEqual({ ignore_changes: ['invite', 'email'] });
    }
    expect(resourcesOf(json, 'aws_guardduty_member')).toHaveLength(REGIONS.length);
  });

  test('the control matrix shows the management account covered by guardduty.organization in every Region', () => {
    const { app } = buildApp(exampleConfig(), { stacks: 'management', outdir: Testing.app().outdir });
    const { records } = stackControls(app.node.findChild('management') as TerraformStack);
    const mine = records.filter((r) => r.control === 'guardduty.organization' && r.account === MANAGEMENT);
    expect(mine.map((r) => r.region)).toEqual(REGIONS);
    for (const r of mine) {
      const expected = [`aws_guardduty_member.${inRegion(json, 'aws_guardduty_member', r.region, 'aws.audit').id}`];
      if (r.region === 'us-east-1') expected.push(`aws_iam_service_linked_role.${guardDutyRole(json)[0][0]}`);
      expect(r.addresses).toEqual(expected.sort());
    }
    // The administrator side is unchanged: the audit account's detectors and organization configurations.
    expect(records.filter((r) => r.control === 'guardduty.organization' && r.account === AUDIT).map((r) => r.region)).toEqual(REGIONS);
  });

  test('when the config says the role exists, it is not created again, and nothing else changes', () => {
    // IAM refuses a second AWSServiceRoleForAmazonGuardDuty; existing orgs set this or import the role.
    const existing = synthStack(configWith((raw) => (raw.securityServices.guardDuty.managementServiceLinkedRoleExists = true)), 'management');
    expect(guardDutyRole(existing)).toEqual([]);
    for (const region of REGIONS) {
      const organization = inRegion(existing, 'aws_guardduty_organization_configuration', region, 'aws.audit');
      expect(inRegion(existing, 'aws_guardduty_detector', region, 'aws.management').resource.depends_on).toEqual([organization.address]);
      expect(inRegion(existing, 'aws_guardduty_member', region, 'aws.audit').resource.account_id).toBe(MANAGEMENT);
    }
    // The only difference from the default: the role, and the detectors' wait for it.
    const strip = (j: Synth) => {
      const copy = JSON.parse(JSON.stringify(j.resource));
      for (const d of Object.values<Record<string, any>>(copy.aws_guardduty_detector)) {
        if (d.depends_on) d.depends_on = d.depends_on.filter((x: string) => !x.startsWith('aws_iam_service_linked_role.'));
      }
      for (const id of Object.keys(copy.aws_iam_service_linked_role ?? {})) {
        if (copy.aws_iam_service_linked_role[id].aws_service_name === 'guardduty.amazonaws.com') delete copy.aws_iam_service_linked_role[id];
      }
      if (copy.aws_iam_service_linked_role && Object.keys(copy.aws_iam_service_linked_role).length === 0) delete copy.aws_iam_service_linked_role;
      return copy;
    };
    expect(strip(existing)).toEqual(strip(json));
    expect(JSON.stringify(existing)).not.toBe(JSON.stringify(json));
  });

  test('the field defaults to false and must be a boolean', () => {
    expect(exampleConfig().securityServices.guardDuty.managementServiceLinkedRoleExists).toBe(false);
    expect(() => configWith((raw) => (raw.securityServices.guardDuty.managementServiceLinkedRoleExists = 'yes'))).toThrow(
      /securityServices\.guardDuty\.managementServiceLinkedRoleExists/,
    );
  });
});

describe('GuardDutyManagementAccount rejects what it cannot build, naming the prop', () => {
  function props(edit: (p: { -readonly [K in keyof GuardDutyManagementAccountProps]: GuardDutyManagementAccountProps[K] }) => void) {
    const stack = new TerraformStack(new App(), 'test');
    const managementProvider = new AwsProvider(stack, 'management', { region: 'us-east-1', alias: 'management' });
    const auditProvider = new AwsProvider(stack, 'audit', { region: 'us-east-1', alias: 'audit' });
    const detectors = new Map(REGIONS.map((r) => [r, new GuarddutyDetector(stack, `detector-${r}`, { provider: auditProvider, region: r })]));
    const p = {
      managementProvider,
      auditProvider,
      managementAccountId: MANAGEMENT,
      managementAccountEmail: 'aws-management@example.com',
      regions: REGIONS,
      homeRegion: 'us-east-1',
      administratorDetectors: detectors,
      organizationConfigurations: new Map(detectors),
    };
    edit(p);
    return () => new GuardDutyManagementAccount(stack, 'gd', p);
  }

  test('valid props build', () => expect(props(() => {})).not.toThrow());
  test.each([
    ['managementAccountId', (p: any) => (p.managementAccountId = '1111'), /managementAccountId must be a 12-digit account id/],
    ['managementAccountEmail', (p: any) => (p.managementAccountEmail = undefined), /managementAccountEmail must be an email address/],
    ['regions', (p: any) => (p.regions = []), /regions must list at least one Region/],
    ['homeRegion', (p: any) => (p.homeRegion = 'ap-south-1'), /homeRegion ap-south-1 is not one of regions/],
    ['administratorDetectors', (p: any) => (p.administratorDetectors = new Map()), /administratorDetectors has no detector for eu-west-1/],
    ['organizationConfigurations', (p: any) => (p.organizationConfigurations = new Map()), /organizationConfigurations has nothing for eu-west-1/],
  ])('%s', (_name, edit, message) => {
    expect(props(edit)).toThrow(message);
  });
});

describe('the other delegated services: their steps in the management account are taken', () => {
  const management = synthStack(exampleConfig(), 'management');
  const own = synthStack(exampleConfig(), `member-${MANAGEMENT}`);

  test('Macie: on in the management account before it delegates, and the account a member (its own stack)', () => {
    // Macie is enabled in the management account of each Region by the delegation (asserted in
    // security-services.test.ts); the membership, CreateMember from the audit account ("The Macie
    // administrator then enables Macie for other accounts in the organization, adds those accounts as
    // Macie member accounts", Macie User Guide, https://docs.aws.amazon.com/macie/latest/user/accounts-mgmt-ao.html),
    // is in the management account's own member stack.
    expect(resourcesOf(management, 'aws_macie2_account').filter(([, a]) => a.provider === 'aws.management')).toHaveLength(REGIONS.length);
    const members = resourcesOf(own, 'aws_macie2_member').map(([, m]) => m);
    expect(members.map((m) => m.region).sort()).toEqual(REGIONS);
    for (const m of members) expect(m).toMatchObject({ provider: 'aws.audit', account_id: MANAGEMENT });
  });

  test('Security Hub and AWS Config: the management account records configuration like every account', () => {
    // "All Security Hub accounts must have AWS Config enabled and configured to record all resources"
    // (Security Hub User Guide, https://docs.aws.amazon.com/securityhub/latest/userguide/designate-orgs-admin-account.html);
    // the configuration policy is associated with the root, which every account inherits ("All of your
    // organization accounts and OUs will inherit this configuration policy", Security Hub User Guide,
    // https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-auto-enabled-standards.html).
    const recorders = resourcesOf(own, 'aws_config_configuration_recorder').map(([, r]) => r);
    expect(recorders.map((r) => r.region).sort()).toEqual(REGIONS);
    for (const r of recorders) expect(r.recording_group.all_supported).toBe(true);
    expect(oneResource(management, 'aws_securityhub_configuration_policy_association').target_id).toBe(exampleConfig().organization.rootId);
  });

  test('IAM Access Analyzer: the organization analyzer covers the management account, no step there', () => {
    // "When you create an external access analyzer with the organization as the zone of trust, a
    // service-linked role named AWSServiceRoleForAccessAnalyzer is created in each account in the
    // organization" (IAM User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-external.html).
    // ...and the unused access analyzer (access-analyzer.unused-access) is an organization one too.
    for (const [, a] of resourcesOf(management, 'aws_accessanalyzer_analyzer')) expect(a).toMatchObject({ provider: 'aws.audit', type: expect.stringMatching(/^ORGANIZATION(_UNUSED_ACCESS)?$/) });
    expect(resourcesOf(management, 'aws_iam_service_linked_role').map(([, r]) => r.aws_service_name)).toEqual(['guardduty.amazonaws.com']);
  });
});
