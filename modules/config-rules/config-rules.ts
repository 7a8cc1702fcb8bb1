/**
 * The baseline's AWS Config managed rules in one account: home-scoped rules in the home Region only,
 * regional rules in every Region of the member, minus the rules the config switches off (with their
 * reasons), plus the rules it adds.
 */
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct, type IConstruct } from 'constructs';
import { ruleRegions, SOC2_LOGGING_PACK, type ManagedRule } from '../../config/managed-config-rules';
import type { BaselineConfig } from '../../config/schema';
import { recordControl } from '../control-model/record';
import { ADDITIONAL_CONFIG_RULES, CONFIG_RULE_CONTROLS } from './controls';

export interface ConfigRulesProps {
  readonly provider: AwsProvider;
  readonly config: BaselineConfig;
  /** The member account the rules are in. */
  readonly accountId: string;
  /** Every Region of the member, home included. */
  readonly regions: readonly string[];
  /**
   * Region → what a rule there must wait for (this stack's recorder status).
   * @default - nothing: another recorder (Control Tower's) records in that Region
   */
  readonly waitFor: ReadonlyMap<string, IConstruct>;
}

/** The rules of a config: the pack minus disabled rules, plus additional ones. */
export function effectiveRules(config: BaselineConfig): ManagedRule[] {
  const disabled = new Set(config.awsConfig.disabledRules.map((r) => r.name));
  const added: ManagedRule[] = config.awsConfig.additionalRules.map((r) => ({
    name: r.name,
    identifier: r.identifier,
    scope: r.scope,
    parameters: () => r.parameters,
    checks: 'Added by the org config',
    tsc: ['CC4.1'],
  }));
  return [...SOC2_LOGGING_PACK.filter((r) => !disabled.has(r.name)), ...added];
}

export class ConfigRules extends Construct {
  readonly rules: ConfigConfigRule[] = [];

  constructor(scope: Construct, id: string, props: ConfigRulesProps) {
    super(scope, id);
    const home = props.config.regions.home;
    for (const rule of effectiveRules(props.config)) {
      const regions = ruleRegions(rule, home, props.regions);
      for (const region of regions) {
        const parameters = rule.parameters?.(props.config) ?? {};
        const waitFor = props.waitFor.get(region);
        const control = CONFIG_RULE_CONTROLS.get(rule.name) ?? ADDITIONAL_CONFIG_RULES;
        const resource = new ConfigConfigRule(this, `${rule.name}-${region}`, {
          provider: props.provider,
          region,
          name: rule.name,
          description: `SOC 2 logging baseline: ${rule.checks} (${[control.id, ...rule.tsc].join(', ')})`,
          source: { owner: 'AWS', sourceIdentifier: rule.identifier },
          inputParameters: Object.keys(parameters).length > 0 ? JSON.stringify(parameters) : undefined,
          dependsOn: waitFor ? [waitFor as never] : undefined,
        });
        this.rules.push(resource);
        recordControl(this, control, props.accountId, [{ resource, region }]);
      }
    }
  }
}
