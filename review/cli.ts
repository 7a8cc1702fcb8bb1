/**
 * `baseline review PLAN.json...`: summarizes `terraform show -json` plans for a pull-request comment
 * and fails (exit 1) when a change weakens a SOC 2 control, unless it is a reviewed exception.
 */
import { resolve } from 'node:path';
import { CommandError, UsageError, type CliCommand, type CliValues } from '../bin/cli-command';
import { ConfigError, configPath, DEFAULT_CONFIG_FILE, loadConfig } from '../config/load';
import { memberStackName } from '../config/naming';
import { parseAllowOption, readAllowFile, type AllowEntry } from './allow';
import { destroyAllowances, destroyedAccountLine } from './destroy';
import { reviewPlans } from './guard';
import { readPlan } from './plan';
import { REVIEW_FORMATS, reviewJson, reviewMarkdown, type ReviewFormat } from './report';

function stringList(value: CliValues[string]): string[] {
  if (value === undefined || typeof value === 'boolean') return [];
  return Array.isArray(value) ? value : [value];
}

function stringValue(values: CliValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name}: takes one value`);
  return value;
}

export const reviewCommand: CliCommand = {
  name: 'review',
  summary: 'Summarize Terraform plans for a pull request, and fail on changes that weaken a SOC 2 control.',
  usage: [
    'baseline review PLAN.json... [--format markdown|json] [--allow ADDRESS[=REASON] ...] [--allow-file FILE]',
    'baseline review cdktf.out/stacks/member-111111111111/plan.json --stack member-111111111111',
    'baseline review cdktf.out/stacks/member-555555555555/plan.json --destroy',
  ],
  positionals: 'PLAN.json...',
  options: [
    {
      name: 'format',
      type: 'string',
      placeholder: 'markdown|json',
      description: 'Output on stdout: markdown (a pull-request comment or CI job summary) or json. Default: markdown.',
    },
    {
      name: 'stack',
      type: 'string',
      placeholder: 'NAME',
      description: "The stack of the (single) plan. Default: the plan's folder under stacks/, else its file name.",
    },
    {
      name: 'allow',
      type: 'string',
      multiple: true,
      placeholder: '[STACK:]ADDRESS[=REASON]',
      description: 'Accept a reviewed change to this resource (repeatable): listed with the reason, it does not fail. Default: none.',
    },
    {
      name: 'allow-file',
      type: 'string',
      placeholder: 'FILE',
      description: 'YAML or JSON list of reviewed exceptions {address, reason, stack?}, each with its reason. Default: none.',
    },
    {
      name: 'destroy',
      type: 'boolean',
      description: 'The plan is the destroy plan of a stack of removedMembers: the deletion of its controls is accepted. Refused for any other stack or plan.',
    },
    {
      name: 'config',
      type: 'string',
      placeholder: 'FILE',
      description: 'With --destroy: the org config whose removedMembers list the stack. Default: BASELINE_CONFIG, else baseline.config.yaml.',
    },
  ],
  details: [
    'Reads the JSON of `terraform show -json PLANFILE` (Terraform\'s JSON output format), one plan per stack.',
    'Exit codes: 0 no change weakens a control (reviewed exceptions aside), 1 a change does, a plan file is unreadable or --destroy is refused, 2 usage.',
  ],
  async run(values, positionals, io) {
    if (positionals.length === 0) throw new UsageError('review needs at least one PLAN.json: the output of `terraform show -json PLANFILE`');
    const format = (stringValue(values, 'format') ?? 'markdown') as ReviewFormat;
    if (!REVIEW_FORMATS.includes(format)) throw new UsageError(`--format: must be one of ${REVIEW_FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
    const stack = stringValue(values, 'stack');
    if (stack !== undefined && positionals.length > 1) throw new UsageError('--stack: names the stack of one plan; pass a single PLAN.json with it');
    if (stack !== undefined && stack.trim() === '') throw new UsageError('--stack: must not be empty');

    const allows: AllowEntry[] = stringList(values.allow).map(parseAllowOption);
    const allowFile = stringValue(values, 'allow-file');
    if (allowFile !== undefined) allows.push(...readAllowFile(allowFile));

    const destroy = values.destroy === true;
    const configGiven = stringValue(values, 'config');
    if (configGiven !== undefined && !destroy) throw new UsageError('--config: only with --destroy (the review reads no config otherwise)');
    if (destroy && positionals.length > 1) throw new UsageError('--destroy: reviews the destroy plan of one stack; pass a single PLAN.json');

    const plans = positionals.map((file) => readPlan(file, stack));
    let header = '';
    if (destroy) {
      const configFile = configGiven !== undefined ? resolve(configGiven) : configPath();
      let config;
      try {
        config = loadConfig(configFile);
      } catch (e) {
        if (e instanceof ConfigError) throw new CommandError(e.message);
        throw e;
      }
      const named = configGiven ?? (process.env.BASELINE_CONFIG?.trim() || DEFAULT_CONFIG_FILE);
      allows.push(...destroyAllowances(plans[0], config, named));
      // destroyAllowances refused any plan that does not delete from the removed account.
      const removed = config.removedMembers.find((m) => memberStackName(m.id) === plans[0].stack)!;
      header = format === 'json' ? '' : destroyedAccountLine(plans[0], removed.id);
    }
    const review = reviewPlans(plans, allows);
    io.stdout(format === 'json' ? reviewJson(review) : header + reviewMarkdown(review));
    for (const allow of review.unusedAllows) {
      io.stderr(`warning: ${allow.source} ${allow.stack ? `${allow.stack}:` : ''}${allow.address} matches no weakening change in these plans\n`);
    }
    if (!review.passed) {
      const n = review.stacks.reduce((sum, s) => sum + s.violations.length, 0);
      io.stderr(`error: ${n} change${n === 1 ? '' : 's'} weaken${n === 1 ? 's' : ''} a SOC 2 control (see the review above)\n`);
    }
    return review.passed ? 0 : 1;
  },
};
