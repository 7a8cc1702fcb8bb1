/**
 * What the investigations' SQL may depend on in the config, built once: the Athena named queries, the
 * Logs Insights saved queries, `baseline investigate` and the tests all bind the same text.
 */
import type { BaselineConfig } from '../../config/schema';
import { INVESTIGATION_TABLES } from './cloudtrail-table';
import { INVESTIGATIONS } from './catalog';
import type { Investigation, InvestigationContext } from './investigation';

export function investigationContext(config: BaselineConfig): InvestigationContext {
  const guardrails = config.guardrails;
  return {
    organizationTrailTable: INVESTIGATION_TABLES.organizationTrail,
    businessHours: config.alerts.businessHours,
    // The break-glass role exists only where the guardrails name it.
    breakGlassRoleNames: guardrails.enabled && guardrails.breakGlassRoleName ? [guardrails.breakGlassRoleName] : [],
  };
}

/** An investigation with its texts bound to this config's context. */
export interface BoundInvestigation {
  readonly investigation: Investigation;
  /** The Athena SQL, `{placeholders}` still in. */
  readonly sql: string;
  readonly logsInsights: string;
}

/**
 * The investigations this config can run, with their texts, and those it cannot, each with the reason
 * its declaration gave (e.g. the break-glass sessions without a break-glass role: guardrails off). The
 * named queries and saved queries are made for the first list only.
 */
export function investigationsFor(config: BaselineConfig): {
  readonly available: BoundInvestigation[];
  readonly unavailable: { readonly name: string; readonly reason: string }[];
} {
  const context = investigationContext(config);
  const available: BoundInvestigation[] = [];
  const unavailable: { name: string; reason: string }[] = [];
  for (const investigation of INVESTIGATIONS) {
    try {
      available.push({ investigation, sql: investigation.sql(context), logsInsights: investigation.logsInsights(context) });
    } catch (e) {
      unavailable.push({ name: investigation.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { available, unavailable };
}
