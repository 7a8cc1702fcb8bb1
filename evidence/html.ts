/**
 * The binder's `index.html`: one self-contained page an auditor reads on screen or prints. The
 * summary per Trust Services Criterion comes first, then the failures and errors, the controls, every
 * item with its raw evidence linked, the exceptions the config records, and the config's history.
 * Everything printed comes from the result, so the same result gives the same bytes.
 */
import { TSC_CRITERIA } from '../modules/control-model/control';
import { EVIDENCE_CONTROLS } from './controls';
import { escapeHtml } from './html-escape';
import { PERIOD_CONTROLS } from './period/controls';
import { periodBanner, renderPeriodSections } from './period/html';
import { countStatuses, STATUSES, type EvidenceItem, type EvidenceResult, type StatusCounts } from './types';

export { escapeHtml } from './html-escape';

const e = escapeHtml;

/** `CC2.1` < `CC6.1` < `CC6.6` < `CC7.1` < `A1.2`: common criteria first, then numerically. */
export function compareCriteria(a: string, b: string): number {
  const key = (c: string) => {
    const m = /^([A-Z]+)(\d+)\.(\d+)$/.exec(c);
    return m ? [m[1] === 'CC' ? 0 : 1, m[1], Number(m[2]), Number(m[3])] : [2, c, 0, 0];
  };
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

export const anchor = (item: EvidenceItem) => `item-${item.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;

const badge = (status: string) => `<span class="status ${status.toLowerCase()}">${status}</span>`;

function countsCells(c: StatusCounts): string {
  return STATUSES.map((s) => `<td class="num${c[s] && s !== 'PASS' ? ` ${s.toLowerCase()}-count` : ''}">${c[s]}</td>`).join('');
}

function itemRow(item: EvidenceItem): string {
  const raw = item.raw.map((r) => `<a href="raw/${encodeURIComponent(r)}">${e(r)}</a>`).join('<br>');
  const sources = item.sources.map((s) => `<a href="${e(s)}">${e(s.replace(/^https:\/\/docs\.aws\.amazon\.com\//, ''))}</a>`).join('<br>');
  return `<tr id="${anchor(item)}" class="row-${item.status.toLowerCase()}">
<td>${badge(item.status)}</td>
<td>${e(item.accountId)}</td>
<td>${e(item.region)}</td>
<td class="resource">${e(item.resource ?? '')}</td>
<td><strong>${e(item.title)}</strong><br>${e(item.reason)}</td>
<td class="time">${e(item.collectedAt)}</td>
<td class="links">${raw}${sources ? `<div class="sources">${sources}</div>` : ''}</td>
</tr>`;
}

export function renderIndex(result: EvidenceResult): string {
  const { run, items } = result;
  const total = countStatuses(items);
  const criteria = [...new Set(items.flatMap((i) => i.tsc))].sort(compareCriteria);
  const byControl = new Map<string, EvidenceItem[]>();
  for (const item of items) byControl.set(item.controlId, [...(byControl.get(item.controlId) ?? []), item]);
  const controlIds = [...byControl.keys()].sort();
  const periodIds = new Set(PERIOD_CONTROLS.map((c) => c.id));
  const failed = items.filter((i) => i.status === 'FAIL');
  const errors = items.filter((i) => i.status === 'ERROR');
  const verdict = total.FAIL ? 'FAIL' : total.ERROR ? 'ERROR' : 'PASS';
  const logWindow = 'skipped' in run.logValidation ? e(run.logValidation.skipped) : `${e(run.logValidation.start)} to ${e(run.logValidation.end)}`;
  const list = (xs: readonly EvidenceItem[]) =>
    xs.length
      ? `<ul class="short">${xs.map((i) => `<li><a href="#${anchor(i)}">${e(i.controlId)}</a> ${e(i.accountId)} ${e(i.region)}${i.resource ? ` ${e(i.resource)}` : ''}: ${e(i.reason)}</li>`).join('\n')}</ul>`
      : '<p>None.</p>';
  const history = result.history;
  const historySection = !history
    ? '<p>Not collected (no config file was given).</p>'
    : !history.available
      ? `<p class="unavailable">No change history: ${e(history.reason)} (${e(history.file)}).</p>`
      : `<p>${history.commits.length} commit(s) changed <code>${e(history.file)}</code>; every change line by line is in <a href="config-history.patch">config-history.patch</a>.</p>
<table><thead><tr><th>Date</th><th>Author</th><th>Change</th><th>Lines</th><th>Commit</th></tr></thead><tbody>
${history.commits.map((c) => `<tr><td class="time">${e(c.date)}</td><td>${e(c.author)} &lt;${e(c.authorEmail)}&gt;</td><td>${e(c.subject)}</td><td class="num">+${c.added} −${c.removed}</td><td><code>${e(c.hash.slice(0, 12))}</code></td></tr>`).join('\n')}
</tbody></table>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SOC 2 evidence binder: ${e(run.organizationId)}</title>
<style>
  body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid #d0d7de; padding-bottom: 4px; }
  h3 { font-size: 14px; margin: 18px 0 6px; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; } th, td { border: 1px solid #d0d7de; padding: 4px 6px; vertical-align: top; text-align: left; }
  th { background: #f6f8fa; } td.num { text-align: right; white-space: nowrap; } td.time { white-space: nowrap; font-size: 11px; }
  td.resource, td.links { font-size: 11px; word-break: break-all; } .sources { margin-top: 4px; color: #57606a; } .sources a { color: #57606a; }
  .status { display: inline-block; min-width: 44px; text-align: center; font-weight: 700; border-radius: 3px; padding: 1px 4px; color: #fff; }
  .status.pass { background: #1a7f37; } .status.fail { background: #cf222e; } .status.error { background: #9a6700; }
  .fail-count { color: #cf222e; font-weight: 700; } .error-count { color: #9a6700; font-weight: 700; }
  .row-fail td { background: #fff5f5; } .row-error td { background: #fffbea; }
  .meta td:first-child { width: 220px; font-weight: 600; } .verdict { font-size: 15px; margin: 8px 0; } .unavailable { color: #9a6700; }
  ul.short li { margin: 2px 0; } code { font-size: 12px; } code.small { font-size: 10px; word-break: break-all; }
  .period-banner { font-size: 16px; margin: 10px 0 14px; padding: 10px 12px; border: 2px solid #0969da; border-radius: 6px; background: #ddf4ff; }
  .period-range { font-weight: 700; } .period-line { margin: 2px 0 6px; } .period-details { margin: 0 0 16px 12px; }
  h4 { font-size: 13px; margin: 10px 0 4px; } .empty, .more { color: #57606a; } pre.sql { white-space: pre-wrap; font-size: 11px; margin: 0; }
  @media print { body { margin: 0; font-size: 10px; } a { color: inherit; text-decoration: none; } tr { break-inside: avoid; } h2 { break-after: avoid; }
    .status { color: #000 !important; border: 1px solid #000; background: none !important; } .row-fail td, .row-error td { background: none; } }
  @page { margin: 14mm; }
</style>
</head>
<body>
<h1>SOC 2 logging and monitoring: evidence binder</h1>
${periodBanner(result)}
<p class="verdict">Organization <strong>${e(run.organizationId)}</strong>: ${badge(verdict)} ${total.PASS} passed, ${total.FAIL} failed, ${total.ERROR} not collected, of ${items.length} evidence items.</p>
<table class="meta"><tbody>
<tr><td>Collected</td><td>${e(run.startedAt)} to ${e(run.finishedAt)}</td></tr>
<tr><td>Collected by</td><td>${e(run.collectedBy)}, assuming the role <code>${e(run.roleName)}</code> in each account (read-only)</td></tr>
<tr><td>Scope</td><td>${run.accounts.length} account(s): ${e(run.accounts.join(', '))}<br>${run.regions.length} Region(s): ${e(run.regions.join(', '))}</td></tr>
<tr><td>Judged against</td><td>${run.configFile ? `<code>${e(run.configFile)}</code> (copy: <a href="org-config.yaml">org-config.yaml</a>)` : 'the config given to the API'}</td></tr>
<tr><td>Audit period</td><td><strong>${e(run.period.from)} to ${e(run.period.to)}</strong>: alarm history, findings created, Config evaluations, investigation sample (<a href="#period">the period sections</a>)</td></tr>
<tr><td>Findings window</td><td>the last ${run.sinceDays} days</td></tr>
<tr><td>Log file validation</td><td>${logWindow}</td></tr>
<tr><td>Files</td><td><a href="items.csv">items.csv</a> (every item), <a href="items.json">items.json</a>, <a href="raw/">raw/</a> (the API responses), <a href="SHA256SUMS">SHA256SUMS</a> (verify the binder with <code>sha256sum -c SHA256SUMS</code>)</td></tr>
</tbody></table>

<h2 id="summary">Summary by Trust Services Criterion</h2>
<table class="tsc"><thead><tr><th>Criterion</th><th>What it requires</th><th>PASS</th><th>FAIL</th><th>ERROR</th></tr></thead><tbody>
${criteria
  .map((c) => `<tr><td><strong>${e(c)}</strong></td><td>${e((TSC_CRITERIA as Record<string, string>)[c] ?? '')}</td>${countsCells(countStatuses(items.filter((i) => i.tsc.includes(c))))}</tr>`)
  .join('\n')}
</tbody></table>

<h2 id="period">The audit period: ${e(run.period.from)} to ${e(run.period.to)}</h2>
${renderPeriodSections(result, itemRow)}

<h2 id="failed">Failed controls (${failed.length})</h2>
${list(failed)}

<h2 id="errors">Evidence not collected (${errors.length})</h2>
${list(errors)}

<h2 id="controls">Controls</h2>
<table><thead><tr><th>Control</th><th>Title</th><th>Criteria</th><th>PASS</th><th>FAIL</th><th>ERROR</th></tr></thead><tbody>
${controlIds
  .map((id) => `<tr><td><a href="#${periodIds.has(id) ? 'period' : 'control'}-${e(id)}"><code>${e(id)}</code></a></td><td>${e(EVIDENCE_CONTROLS.get(id)?.title ?? '')}</td><td>${e((EVIDENCE_CONTROLS.get(id)?.tsc ?? []).join(', '))}</td>${countsCells(countStatuses(byControl.get(id) ?? []))}</tr>`)
  .join('\n')}
</tbody></table>

<h2 id="items">Evidence items</h2>
${controlIds
  .filter((id) => !periodIds.has(id))
  .map(
    (id) => `<h3 id="control-${e(id)}"><code>${e(id)}</code> ${e(EVIDENCE_CONTROLS.get(id)?.title ?? '')}</h3>
<p class="judged"><strong>Judged:</strong> ${e(EVIDENCE_CONTROLS.get(id)?.lookFor ?? '')}</p>
${EVIDENCE_CONTROLS.get(id)?.notJudged ? `<p class="not-judged"><strong>Not judged:</strong> ${e(EVIDENCE_CONTROLS.get(id)?.notJudged ?? '')}</p>\n` : ''}<table><thead><tr><th>Status</th><th>Account</th><th>Region</th><th>Resource</th><th>Judgement</th><th>Collected</th><th>Raw evidence and API reference</th></tr></thead><tbody>
${(byControl.get(id) ?? []).map(itemRow).join('\n')}
</tbody></table>`,
  )
  .join('\n')}

<h2 id="exceptions">Exceptions recorded in the config</h2>
${
  run.exceptions.length
    ? `<table><thead><tr><th>Kind</th><th>Id</th><th>Reason recorded</th></tr></thead><tbody>
${run.exceptions.map((x) => `<tr><td>${e(x.kind)}</td><td><code>${e(x.id)}</code></td><td>${e(x.reason)}</td></tr>`).join('\n')}
</tbody></table>`
    : '<p>None.</p>'
}

<h2 id="history">Change history of the config file (log policy changelog)</h2>
${historySection}

<h2 id="integrity">Integrity of this binder</h2>
<p><a href="SHA256SUMS">SHA256SUMS</a> holds the SHA-256 of every other file of the binder, this page included. <code>sha256sum -c SHA256SUMS</code> in the binder's folder reports any file changed since the binder was written; keep a copy of SHA256SUMS (or its own SHA-256) with the audit records.</p>
</body>
</html>
`;
}
