/**
 * The binder's pages. `index.html` stays small whatever the size of the organization: the verdict,
 * the summary per Trust Services Criterion, the audit period, the failed controls and the evidence not
 * collected (a few items each, with counts), the controls, one row per account, the exceptions and the
 * config's history. Each account's items, with their raw evidence linked, are on its own page
 * (`accounts/<id>.html`). Everything printed comes from the items and the run, so the same items give
 * the same bytes.
 */
import { TSC_CRITERIA } from '../modules/control-model/control';
import { EVIDENCE_CONTROLS } from './controls';
import { escapeHtml } from './html-escape';
import { PERIOD_CONTROLS } from './period/controls';
import { periodBanner, periodDetails, renderPeriodSections, type PeriodSummary } from './period/html';
import { STATUSES, type ConfigHistory, type EvidenceItem, type EvidenceRun, type StatusCounts } from './types';

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

/** An item's row; `prefix` leads the links to raw files (`../` on the account pages). */
export function itemRow(item: EvidenceItem, prefix = ''): string {
  const raw = item.raw.map((r) => `<a href="${prefix}raw/${encodeURIComponent(r)}">${e(r)}</a>`).join('<br>');
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

/** Items of a kind (failed, not collected) listed per control in the index before "and N more". */
export const INDEX_ITEMS_PER_CONTROL = 5;
/** Period items shown in the index per period control (those not passing first). */
export const INDEX_PERIOD_ITEMS = 20;
/** Accounts listed by id in the index's scope line (beyond it, the accounts table lists them). */
const SCOPE_ACCOUNTS_LISTED = 20;

const zero = (): StatusCounts => ({ PASS: 0, FAIL: 0, ERROR: 0 });

/** The file of an account's page, relative to the binder. */
export const accountPage = (accountId: string) => `accounts/${accountId.replace(/[^A-Za-z0-9_-]+/g, '_')}.html`;

const itemLink = (item: EvidenceItem) => `${accountPage(item.accountId)}#${anchor(item)}`;

/**
 * What the index shows, accumulated item by item (items fed in id order): counts, and a bounded
 * number of items. Its size does not grow with the number of items, only with accounts and controls.
 */
export class BinderSummary {
  readonly total = zero();
  items = 0;
  readonly criteria = new Map<string, StatusCounts>();
  readonly controls = new Map<string, StatusCounts>();
  readonly accounts = new Map<string, StatusCounts>();
  readonly failed = new Map<string, EvidenceItem[]>();
  readonly errors = new Map<string, EvidenceItem[]>();
  private readonly period = new Map<string, { count: number; notPassing: EvidenceItem[]; passing: EvidenceItem[] }>();
  private readonly periodIds = new Set(PERIOD_CONTROLS.map((c) => c.id));

  add(item: EvidenceItem): void {
    this.items += 1;
    this.total[item.status] += 1;
    const bump = <K>(m: Map<K, StatusCounts>, k: K) => {
      let c = m.get(k);
      if (!c) m.set(k, (c = zero()));
      c[item.status] += 1;
    };
    for (const c of item.tsc) bump(this.criteria, c);
    bump(this.controls, item.controlId);
    bump(this.accounts, item.accountId);
    const keep = (m: Map<string, EvidenceItem[]>) => {
      const list = m.get(item.controlId) ?? [];
      if (list.length < INDEX_ITEMS_PER_CONTROL) list.push(item);
      m.set(item.controlId, list);
    };
    if (item.status === 'FAIL') keep(this.failed);
    if (item.status === 'ERROR') keep(this.errors);
    if (this.periodIds.has(item.controlId)) {
      let p = this.period.get(item.controlId);
      if (!p) this.period.set(item.controlId, (p = { count: 0, notPassing: [], passing: [] }));
      p.count += 1;
      const list = item.status === 'PASS' ? p.passing : p.notPassing;
      if (list.length < INDEX_PERIOD_ITEMS) list.push(item);
    }
  }

  periodSummaries(): Map<string, PeriodSummary> {
    return new Map([...this.period].map(([id, p]) => [id, { count: p.count, shown: [...p.notPassing, ...p.passing].slice(0, INDEX_PERIOD_ITEMS) }]));
  }
}

const STYLE = `<style>
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
</style>`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
${STYLE}
</head>
<body>
${body}
</body>
</html>
`;
}

function verdictOf(c: StatusCounts): 'PASS' | 'FAIL' | 'ERROR' {
  return c.FAIL ? 'FAIL' : c.ERROR ? 'ERROR' : 'PASS';
}

function historySection(history: ConfigHistory | undefined): string {
  return !history
    ? '<p>Not collected (no config file was given).</p>'
    : !history.available
      ? `<p class="unavailable">No change history: ${e(history.reason)} (${e(history.file)}).</p>`
      : `<p>${history.commits.length} commit(s) changed <code>${e(history.file)}</code>; every change line by line is in <a href="config-history.patch">config-history.patch</a>.</p>
<table><thead><tr><th>Date</th><th>Author</th><th>Change</th><th>Lines</th><th>Commit</th></tr></thead><tbody>
${history.commits.map((c) => `<tr><td class="time">${e(c.date)}</td><td>${e(c.author)} &lt;${e(c.authorEmail)}&gt;</td><td>${e(c.subject)}</td><td class="num">+${c.added} −${c.removed}</td><td><code>${e(c.hash.slice(0, 12))}</code></td></tr>`).join('\n')}
</tbody></table>`;
}

/** The failed (or not collected) items per control: a few each, linked to their account pages, with the count. */
function perControlList(kind: Map<string, EvidenceItem[]>, counts: ReadonlyMap<string, StatusCounts>, status: 'FAIL' | 'ERROR'): string {
  const ids = [...kind.keys()].sort();
  if (!ids.length) return '<p>None.</p>';
  return `<table><thead><tr><th>Control</th><th>Items</th><th>First ${INDEX_ITEMS_PER_CONTROL} (every one: the account pages, items.csv)</th></tr></thead><tbody>
${ids
  .map((id) => {
    const n = counts.get(id)?.[status] ?? 0;
    const shown = kind.get(id) ?? [];
    return `<tr><td><code>${e(id)}</code><br>${e(EVIDENCE_CONTROLS.get(id)?.title ?? '')}</td><td class="num">${n}</td><td><ul class="short">${shown
      .map((i) => `<li><a href="${itemLink(i)}">${e(i.accountId)} ${e(i.region)}${i.resource ? ` ${e(i.resource)}` : ''}</a>: ${e(i.reason.length > 400 ? `${i.reason.slice(0, 400)}…` : i.reason)}</li>`)
      .join('')}${n > shown.length ? `<li class="more">… and ${n - shown.length} more</li>` : ''}</ul></td></tr>`;
  })
  .join('\n')}
</tbody></table>`;
}

export function renderIndex(run: EvidenceRun, summary: BinderSummary, history?: ConfigHistory): string {
  const total = summary.total;
  const criteria = [...summary.criteria.keys()].sort(compareCriteria);
  const controlIds = [...summary.controls.keys()].sort();
  const verdict = verdictOf(total);
  const logWindow = 'skipped' in run.logValidation ? e(run.logValidation.skipped) : `${e(run.logValidation.start)} to ${e(run.logValidation.end)}`;
  const accountsListed = run.accounts.length <= SCOPE_ACCOUNTS_LISTED ? `: ${e(run.accounts.join(', '))}` : ' (each in <a href="#accounts">Accounts</a>)';
  const accountRows = [...summary.accounts.keys()].sort();
  const body = `<h1>SOC 2 logging and monitoring: evidence binder</h1>
${periodBanner(run)}
<p class="verdict">Organization <strong>${e(run.organizationId)}</strong>: ${badge(verdict)} ${total.PASS} passed, ${total.FAIL} failed, ${total.ERROR} not collected, of ${summary.items} evidence items.</p>
<table class="meta"><tbody>
<tr><td>Collected</td><td>${e(run.startedAt)} to ${e(run.finishedAt)}</td></tr>
<tr><td>Collected by</td><td>${e(run.collectedBy)}, assuming the role <code>${e(run.roleName)}</code> in each account (read-only)</td></tr>
<tr><td>Scope</td><td>${run.accounts.length} account(s)${accountsListed}<br>${run.regions.length} Region(s): ${e(run.regions.join(', '))}</td></tr>
<tr><td>Judged against</td><td>${run.configFile ? `<code>${e(run.configFile)}</code> (copy: <a href="org-config.yaml">org-config.yaml</a>)` : 'the config given to the API'}</td></tr>
<tr><td>Audit period</td><td><strong>${e(run.period.from)} to ${e(run.period.to)}</strong>: alarm history, findings created, Config evaluations, investigation sample (<a href="#period">the period sections</a>)</td></tr>
<tr><td>Findings window</td><td>the last ${run.sinceDays} days</td></tr>
<tr><td>Log file validation</td><td>${logWindow}</td></tr>
<tr><td>Files</td><td><a href="items.csv">items.csv</a> (every item), <a href="items.json">items.json</a>, <a href="accounts/">accounts/</a> (one page per account: its items and their raw evidence), <a href="raw/">raw/</a> (the API responses), <a href="SHA256SUMS">SHA256SUMS</a> (verify the binder with <code>sha256sum -c SHA256SUMS</code>)</td></tr>
</tbody></table>

<h2 id="summary">Summary by Trust Services Criterion</h2>
<table class="tsc"><thead><tr><th>Criterion</th><th>What it requires</th><th>PASS</th><th>FAIL</th><th>ERROR</th></tr></thead><tbody>
${criteria.map((c) => `<tr><td><strong>${e(c)}</strong></td><td>${e((TSC_CRITERIA as Record<string, string>)[c] ?? '')}</td>${countsCells(summary.criteria.get(c) ?? zero())}</tr>`).join('\n')}
</tbody></table>

<h2 id="period">The audit period: ${e(run.period.from)} to ${e(run.period.to)}</h2>
${renderPeriodSections(run, summary.periodSummaries(), (i) => itemRow(i))}

<h2 id="failed">Failed controls (${total.FAIL})</h2>
${perControlList(summary.failed, summary.controls, 'FAIL')}

<h2 id="errors">Evidence not collected (${total.ERROR})</h2>
${perControlList(summary.errors, summary.controls, 'ERROR')}

<h2 id="controls">Controls</h2>
<table><thead><tr><th>Control</th><th>Title</th><th>Criteria</th><th>PASS</th><th>FAIL</th><th>ERROR</th></tr></thead><tbody>
${controlIds
  .map((id) => `<tr id="control-${e(id)}"><td><code>${e(id)}</code></td><td>${e(EVIDENCE_CONTROLS.get(id)?.title ?? '')}</td><td>${e((EVIDENCE_CONTROLS.get(id)?.tsc ?? []).join(', '))}</td>${countsCells(summary.controls.get(id) ?? zero())}</tr>`)
  .join('\n')}
</tbody></table>

<h2 id="accounts">Accounts (${accountRows.length})</h2>
<table><thead><tr><th>Account</th><th>Verdict</th><th>PASS</th><th>FAIL</th><th>ERROR</th></tr></thead><tbody>
${accountRows.map((a) => { const c = summary.accounts.get(a) ?? zero(); return `<tr><td><a href="${accountPage(a)}">${e(a)}</a></td><td>${badge(verdictOf(c))}</td>${countsCells(c)}</tr>`; }).join('\n')}
</tbody></table>

<h2 id="exceptions">Exceptions recorded in the config</h2>
${
  run.exceptions.length
    ? `<table><thead><tr><th>Kind</th><th>Id</th><th>Reason recorded</th></tr></thead><tbody>
${run.exceptions.map((x) => `<tr><td>${e(x.kind)}</td><td><code>${e(x.id)}</code></td><td>${e(x.reason)}</td></tr>`).join('\n')}
</tbody></table>`
    : '<p>None.</p>'
}

<h2 id="history">Change history of the config file (log policy changelog)</h2>
${historySection(history)}

<h2 id="integrity">Integrity of this binder</h2>
<p><a href="SHA256SUMS">SHA256SUMS</a> holds the SHA-256 of every other file of the binder, this page and the account pages included. <code>sha256sum -c SHA256SUMS</code> in the binder's folder reports any file changed since the binder was written; keep a copy of SHA256SUMS (or its own SHA-256) with the audit records.</p>`;
  return page(`SOC 2 evidence binder: ${e(run.organizationId)}`, body);
}

/** One control's items of one account, as its page shows them (items in id order). */
export function accountControlSection(controlId: string, items: readonly EvidenceItem[]): string {
  const c = EVIDENCE_CONTROLS.get(controlId);
  return `<h3 id="control-${e(controlId)}"><code>${e(controlId)}</code> ${e(c?.title ?? '')}</h3>
<p class="judged"><strong>Judged:</strong> ${e(c?.lookFor ?? '')}</p>
${c?.notJudged ? `<p class="not-judged"><strong>Not judged:</strong> ${e(c.notJudged)}</p>\n` : ''}<table><thead><tr><th>Status</th><th>Account</th><th>Region</th><th>Resource</th><th>Judgement</th><th>Collected</th><th>Raw evidence and API reference</th></tr></thead><tbody>
${items.map((i) => itemRow(i, '../')).join('\n')}
</tbody></table>
${items.map((i) => periodDetails(i, '../')).filter(Boolean).map((d) => `<div class="period-details">${d}</div>`).join('\n')}`;
}

/** An account's page: its counts, then its sections (accountControlSection, in control order). */
export function accountPageHead(run: EvidenceRun, accountId: string, counts: StatusCounts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SOC 2 evidence binder: ${e(run.organizationId)}, account ${e(accountId)}</title>
${STYLE}
</head>
<body>
<p><a href="../index.html">← the binder's index</a></p>
<h1>Account ${e(accountId)}</h1>
<p class="verdict">${badge(verdictOf(counts))} ${counts.PASS} passed, ${counts.FAIL} failed, ${counts.ERROR} not collected. Audit period ${e(run.period.from)} to ${e(run.period.to)}; collected ${e(run.startedAt)} to ${e(run.finishedAt)}.</p>
<h2 id="items">Evidence items</h2>
`;
}

export const ACCOUNT_PAGE_TAIL = '</body>\n</html>\n';
