/**
 * The organization's unused access analyzer deleted, replaced or made to report less.
 * `aws_accessanalyzer_analyzer` with `type` ORGANIZATION_UNUSED_ACCESS
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/accessanalyzer_analyzer): its
 * `configuration.unused_access` (`unused_access_age`, `analysis_rule.exclusion`) is ForceNew in the
 * provider (internal/service/accessanalyzer/analyzer.go), so any change to it replaces the analyzer, and
 * the ACTIVE findings the access review works through, with their age, start over. A longer
 * `unused_access_age` reports access only after longer disuse; an exclusion hides accounts or tagged
 * principals from the review (API_UnusedAccessConfiguration.html, API_AnalysisRuleCriteria.html).
 */
import { ACCESS_ANALYZER_UNUSED_ACCESS } from '../../modules/security-services/controls';
import type { PlannedChange } from '../plan';
import { blocks, show, stableJson, valueAt } from '../values';
import { defineRule, destroyedFindings } from './rule';

const AGE = ['configuration', 'unused_access', 'unused_access_age'] as const;
const EXCLUSIONS = ['configuration', 'unused_access', 'analysis_rule', 'exclusion'] as const;

export const UNUSED_ACCESS_ANALYZER_WEAKENED = defineRule({
  id: 'unused-access-analyzer-weakened',
  title: 'The unused access analyzer is deleted, replaced, or reports less',
  controls: [ACCESS_ANALYZER_UNUSED_ACCESS],
  resourceTypes: ['aws_accessanalyzer_analyzer'],
  check(change: PlannedChange) {
    if (change.before?.type !== 'ORGANIZATION_UNUSED_ACCESS') return [];
    const findings = destroyedFindings(change, 'the unused access analyzer', 'its ACTIVE findings, the list the access review works through, are deleted with it and start over');
    if (change.kind !== 'replace' || !change.after) return findings;
    if (change.after.type !== 'ORGANIZATION_UNUSED_ACCESS') findings.push(`type: ${show(change.before.type)} → ${show(change.after.type)}: no longer the organization's unused access analysis`);
    const before = valueAt(change.before, AGE);
    const after = valueAt(change.after, AGE);
    if (typeof before === 'number' && (typeof after !== 'number' || after > before)) findings.push(`unused_access_age: ${show(before)} → ${show(after)}: access is reported only after longer disuse`);
    const added = blocks(valueAt(change.after, EXCLUSIONS)).map(stableJson).filter((e) => !blocks(valueAt(change.before!, EXCLUSIONS)).map(stableJson).includes(e));
    if (added.length) findings.push(`analysis_rule.exclusion added: ${added.join(', ')}: those accounts or principals leave the access review`);
    return findings;
  },
});
