/**
 * Each AWS Config managed rule of the baseline is a control (`config-rule.<rule name>`): its
 * compliance by rule and account is the monitoring evidence (CC4.1) auditors ask for, and it
 * evaluates the criteria of what it checks. The rules are declared in config/managed-config-rules.ts,
 * where the config's `awsConfig.disabledRules` can name them.
 */
import { SOC2_LOGGING_PACK, type ManagedRule } from '../../config/managed-config-rules';
import { defineControl, type ControlDeclaration } from '../control-model/control';

export function configRuleControlId(ruleName: string): string {
  return `config-rule.${ruleName}`;
}

function ruleControl(rule: ManagedRule): ControlDeclaration {
  return defineControl({
    id: configRuleControlId(rule.name),
    title: `AWS Config rule ${rule.name}`,
    description: [
      `${rule.checks}: the AWS managed rule ${rule.identifier}, evaluated continuously ${rule.scope === 'home' ? 'in the home Region' : 'in every Region'} of every member account${rule.unavailableIn?.length ? ` where AWS Config offers it (not in ${rule.unavailableIn.join(', ')})` : ''}.`,
      ...(rule.ownerResponsibility ? [`The baseline evaluates, and does not configure, the resources it checks. ${rule.ownerResponsibility}`] : []),
    ].join(' '),
    tsc: rule.tsc,
    cis: rule.cis,
    securityHub: rule.securityHub,
    awsConfigRules: [rule.name],
    prowler: rule.prowler,
    evidence: {
      api: ['config:DescribeConfigRules', 'config:DescribeComplianceByConfigRule'],
      command: `aws configservice describe-compliance-by-config-rule --config-rule-names ${rule.name}`,
      lookFor: `The rule is deployed as the baseline writes it (Source Owner AWS and SourceIdentifier ${rule.identifier}, InputParameters as the config derives them, no Scope) and ACTIVE in each account and Region it covers, and not NON_COMPLIANT (the count of noncompliant resources is given; each needs a remediation ticket).`,
    },
  });
}

/** The control of each baseline rule, by rule name. */
export const CONFIG_RULE_CONTROLS: ReadonlyMap<string, ControlDeclaration> = new Map(SOC2_LOGGING_PACK.map((r) => [r.name, ruleControl(r)]));

/** Rules the org config adds (`awsConfig.additionalRules`): recorded so that nothing deployed is left out. */
export const ADDITIONAL_CONFIG_RULES = defineControl({
  id: 'config-rule.additional-rules',
  title: 'AWS Config rules added by the org config',
  description: 'AWS managed rules the organization adds to the baseline set (`awsConfig.additionalRules`), evaluated like the baseline rules.',
  tsc: ['CC4.1'],
  evidence: {
    api: ['config:DescribeConfigRules', 'config:DescribeComplianceByConfigRule'],
    command: 'aws configservice describe-compliance-by-config-rule --config-rule-names <rule>',
    lookFor: 'Each added rule exists in each account and Region as the config lists it (Source Owner AWS and its identifier, its parameters, no Scope) and reports its compliance.',
  },
});
