/**
 * The review's output: Markdown for a pull-request comment or a CI job summary (one section per stack),
 * or JSON for other tools.
 */
import type { ControlDeclaration } from '../modules/control-model/control';
import type { AcceptedFinding, Finding, KindCounts, Review, StackReview } from './guard';

export const REVIEW_FORMATS = ['markdown', 'json'] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

/** A Markdown table cell: pipes escaped and lines joined, so the table stays one row per finding. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function code(text: string): string {
  return text.includes('`') ? cell(text) : `\`${cell(text)}\``;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summaryLine(counts: KindCounts): string {
  const main = `${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete`;
  const more = [
    counts.forget > 0 ? `${counts.forget} to forget` : '',
    counts.read > 0 ? `${counts.read} read` : '',
    counts['no-op'] > 0 ? `${counts['no-op']} unchanged` : '',
  ].filter((s) => s !== '');
  return `**${main}**${more.length > 0 ? ` (${more.join(', ')})` : ''}`;
}

function controlsCell(controls: readonly ControlDeclaration[]): string {
  const shown = controls.slice(0, 3).map((c) => code(c.id));
  const tsc = [...new Set(controls.flatMap((c) => c.tsc))].sort();
  const more = controls.length > 3 ? ` and ${controls.length - 3} more` : '';
  return `${shown.join(', ')}${more} (SOC 2 ${tsc.join(', ')})`;
}

function findingRow(f: Finding, last: string): string {
  return `| ${code(f.rule.id)} ${cell(f.rule.title)} | ${code(f.address)} | ${cell(f.detail)} | ${last} |`;
}

function stackMarkdown(s: StackReview): string {
  const lines = [`### ${code(s.stack)}`, ''];
  lines.push(`${summaryLine(s.counts)}${s.terraformVersion ? ` · Terraform ${s.terraformVersion}` : ''} · ${code(s.file)}`, '');
  if (s.byType.length > 0) {
    lines.push('| Resource type | Create | Update | Replace | Delete |', '| --- | ---: | ---: | ---: | ---: |');
    for (const { type, counts } of s.byType) {
      lines.push(`| ${code(type)} | ${counts.create} | ${counts.update} | ${counts.replace} | ${counts.delete + counts.forget} |`);
    }
    lines.push('');
  }
  if (s.violations.length === 0) {
    lines.push(`**SOC 2 guard: passed.** No change weakens a control${s.accepted.length > 0 ? ' (reviewed exceptions below)' : ''}.`, '');
  } else {
    lines.push(
      `**SOC 2 guard: ${plural(s.violations.length, 'change weakens', 'changes weaken')} a control.** Fix the plan, or record a reviewed exception with \`--allow ADDRESS=REASON\` (or \`--allow-file\`).`,
      '',
      '| Rule | Resource | What changes | Controls |',
      '| --- | --- | --- | --- |',
      ...s.violations.map((f) => findingRow(f, controlsCell(f.controls))),
      '',
    );
  }
  if (s.accepted.length > 0) {
    lines.push(
      `**Accepted exceptions** (${plural(s.accepted.length, 'change')} reviewed, not failing):`,
      '',
      '| Rule | Resource | What changes | Reason |',
      '| --- | --- | --- | --- |',
      ...s.accepted.map((f: AcceptedFinding) => findingRow(f, cell(f.allow.reason))),
      '',
    );
  }
  return lines.join('\n');
}

export function reviewMarkdown(review: Review): string {
  const violations = review.stacks.reduce((n, s) => n + s.violations.length, 0);
  const accepted = review.stacks.reduce((n, s) => n + s.accepted.length, 0);
  const verdict = review.passed
    ? `no change weakens a control${accepted > 0 ? ` (${plural(accepted, 'reviewed exception')})` : ''}`
    : `${plural(violations, 'change weakens', 'changes weaken')} a control`;
  const parts = [`## Terraform plan review: ${plural(review.stacks.length, 'stack')}, ${verdict}`, '', ...review.stacks.map(stackMarkdown)];
  if (review.unusedAllows.length > 0) {
    parts.push(`Allowed but not in these plans (stale exceptions?): ${review.unusedAllows.map((a) => code(`${a.stack ? `${a.stack}:` : ''}${a.address}`)).join(', ')}`, '');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

function findingJson(f: Finding) {
  return {
    rule: f.rule.id,
    title: f.rule.title,
    address: f.address,
    type: f.type,
    detail: f.detail,
    controls: f.controls.map((c) => c.id),
    tsc: [...new Set(f.controls.flatMap((c) => c.tsc))].sort(),
  };
}

export function reviewJson(review: Review): string {
  return `${JSON.stringify(
    {
      passed: review.passed,
      stacks: review.stacks.map((s) => ({
        stack: s.stack,
        file: s.file,
        terraformVersion: s.terraformVersion ?? null,
        counts: s.counts,
        byType: s.byType,
        violations: s.violations.map(findingJson),
        accepted: s.accepted.map((f) => ({ ...findingJson(f), reason: f.allow.reason, allowedBy: f.allow.source })),
      })),
      unusedAllows: review.unusedAllows.map((a) => ({ address: a.address, stack: a.stack ?? null, reason: a.reason, source: a.source })),
    },
    null,
    2,
  )}\n`;
}
