/**
 * Tamperings of the unused access analysis (`access-analyzer.unused-access`): what an admin who wants
 * unused access to go unreviewed would change on the audit account's ORGANIZATION_UNUSED_ACCESS
 * analyzer (home Region), or leave undone. IAM Access Analyzer is not in moto: each changes the state
 * the SDK mocks answer from (org-fixture.ts, MockState.unusedAccess and archiveRules).
 */
import { HOME } from './org-fixture';
import type { HealthyOrg } from './healthy-org';
import type { Tampering } from './tamperings';

const CONTROL = 'access-analyzer.unused-access';
const ANALYZER = 'acme-soc2-unused-access';
const item = (resource: string) => (org: HealthyOrg) => [`${CONTROL}/${org.ids.audit}/${HOME}/${resource}`];

export const UNUSED_ACCESS_TAMPERINGS: readonly Tampering[] = [
  {
    what: 'Delete the unused access analyzer',
    call: 'access-analyzer:DeleteAnalyzer',
    controls: [CONTROL],
    fails: item(ANALYZER),
    reason: /no analyzer named acme-soc2-unused-access/,
    apply: async (org) => {
      org.mocks.state.unusedAccess.deleted = true;
      return async () => (org.mocks.state.unusedAccess.deleted = false);
    },
  },
  {
    what: 'Lengthen the unused access age to 365 days, so that access unused for a year goes unreported',
    call: 'access-analyzer:UpdateAnalyzer',
    controls: [CONTROL],
    fails: item(ANALYZER),
    reason: /unusedAccessAge is 365 days, the config says 90 \(securityServices\.accessAnalyzer\.unusedAccess\.unusedAccessAgeDays\)/,
    apply: async (org) => {
      org.mocks.state.unusedAccess.unusedAccessAge = 365;
      return async () => delete org.mocks.state.unusedAccess.unusedAccessAge;
    },
  },
  {
    what: 'Create an archive rule on the unused access analyzer that archives every unused role',
    call: 'access-analyzer:CreateArchiveRule',
    controls: [CONTROL],
    fails: item('archiving'),
    reason: /archive rule hide-unused-roles on acme-soc2-unused-access archives every unused-access finding matching \{"findingType":\{"eq":\["UnusedIAMRole"\]\}\} without review/,
    apply: async (org) => {
      org.mocks.state.archiveRules.push({ ruleName: 'hide-unused-roles', filter: { findingType: { eq: ['UnusedIAMRole'] } }, region: HOME, analyzer: ANALYZER });
      return async () => org.mocks.state.archiveRules.splice(0);
    },
  },
  {
    what: 'Create an access key and leave it unused and unreviewed past the review period',
    call: 'iam:CreateAccessKey',
    controls: [CONTROL],
    fails: item('findings'),
    reason: /1 unused-access finding\(s\) ACTIVE longer than the 90-day review period \(securityServices\.accessAnalyzer\.unusedAccess\.reviewWithinDays\) and not accepted \(securityServices\.accessAnalyzer\.unusedAccess\.acceptedFindings\): \d{12} UnusedIAMUserAccessKey arn:aws:iam::\d{12}:user\/forgotten \(120 days\)/,
    apply: async (org) => {
      const findings = org.mocks.state.unusedAccess.findings;
      findings.push({ id: 'ua-key-old', findingType: 'UnusedIAMUserAccessKey', resource: `arn:aws:iam::${org.ids.workload}:user/forgotten`, accountId: org.ids.workload, createdAt: new Date(org.clock.getTime() - 120 * 86_400_000) });
      return async () => findings.splice(findings.findIndex((f) => f.id === 'ua-key-old'), 1);
    },
  },
  {
    // Only the break-glass role's UnusedIAMRole finding is accepted without an entry (guardrails.breakGlassRoleName).
    what: 'Attach a policy to the break-glass role and leave the permission unused past the review period',
    call: 'iam:PutRolePolicy',
    controls: [CONTROL],
    fails: item('findings'),
    reason: /not accepted .*: \d{12} UnusedPermission arn:aws:iam::\d{12}:role\/soc2-baseline-break-glass \(120 days\)/,
    apply: async (org) => {
      const findings = org.mocks.state.unusedAccess.findings;
      const role = `arn:aws:iam::${org.ids.workload}:role/${org.config.guardrails.breakGlassRoleName}`;
      findings.push({ id: 'ua-bg-perm', findingType: 'UnusedPermission', resource: role, accountId: org.ids.workload, createdAt: new Date(org.clock.getTime() - 120 * 86_400_000) });
      return async () => findings.splice(findings.findIndex((f) => f.id === 'ua-bg-perm'), 1);
    },
  },
  {
    // UpdateFindings with status ARCHIVED (https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_UpdateFindings.html):
    // the finding leaves the ACTIVE list; its updatedAt is the archiving (API_FindingSummaryV2.html).
    what: 'Archive an unused-access finding by hand, with no review recorded',
    call: 'access-analyzer:UpdateFindings',
    controls: [CONTROL],
    fails: item('archiving'),
    reason: /1 unused-access finding\(s\) archived in the last \d+ days with no review recorded in securityServices\.accessAnalyzer\.reviewedFindings: ua-role-1 \(\d{12} UnusedIAMRole arn:aws:iam::\d{12}:role\/old-deployer\)/,
    apply: async (org) => {
      const f = org.mocks.state.unusedAccess.findings.find((x) => x.id === 'ua-role-1')!;
      Object.assign(f, { status: 'ARCHIVED', updatedAt: org.clock });
      return async () => {
        delete f.status;
        delete f.updatedAt;
      };
    },
  },
];
