/**
 * The binder's audit-period sections (index.html): the period, shown first, then for each period
 * control its items with what happened over the period: alarm state changes and notifications,
 * findings with their triage, Config evaluations, the investigation sample. Long tables are cut, with
 * a count of what is left out (items.json holds everything).
 */
import { escapeHtml as e } from '../html-escape';
import { PERIOD_CONTROLS } from './controls';
import type { AlarmPeriod, NotificationVerdict, RecordCoverage } from '../checks/period-alarms';
import type { ComplianceChange } from '../checks/period-config';
import type { PeriodFinding } from '../checks/period-findings';
import type { SampleDetails, SampleFile } from '../checks/period-investigation';
import type { EvidenceItem, EvidenceRun } from '../types';

/** Rows of a period table shown before "and N more". */
export const PERIOD_ROWS_SHOWN = 100;

const badge = (status: string) => `<span class="status ${status.toLowerCase()}">${status}</span>`;

function table(headers: readonly string[], rows: readonly (readonly string[])[], what: string): string {
  if (!rows.length) return `<p class="empty">No ${e(what)} in the period.</p>`;
  const shown = rows.slice(0, PERIOD_ROWS_SHOWN);
  const more = rows.length - shown.length;
  return `<table class="period-table"><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>
${shown.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>${more > 0 ? `<p class="more">… and ${more} more ${e(what)} (${rows.length} in all: items.json).</p>` : ''}`;
}

/** How an entry into ALARM's notification reads in the binder. */
const NOTIFICATION_TEXT: Record<NotificationVerdict, string> = {
  notified: 'notified each of its topics',
  'not-notified': 'NOT notified',
  'reached-central-bus': 'older than CloudWatch\'s alarm history: reached the central alarm bus (the record), notification not verifiable',
  unverifiable: 'older than CloudWatch\'s alarm history: notification not verifiable',
};

function alarmDetails(item: EvidenceItem): string {
  const alarms = (item.details?.alarms ?? []) as AlarmPeriod[];
  const minutes = Number(item.details?.notifyWithinMinutes ?? 5);
  const changes = alarms.flatMap((a) => a.changes.map((c) => [`<code>${e(a.name)}</code>`, `<span class="time">${e(c.at)}</span>`, `${e(c.from)} → <strong>${e(c.to)}</strong>`, e(c.seenIn ?? ''), e(c.reason ?? '')]));
  const entries = alarms.flatMap((a) =>
    (a.entries ?? []).map((x) => [
      `<code>${e(a.name)}</code>`,
      `<span class="time">${e(x.at)}</span>`,
      x.notification === 'not-notified' ? `${badge('FAIL')} not notified: ${e(x.missing.join(', '))}` : e(NOTIFICATION_TEXT[x.notification]),
    ]),
  );
  const notes = alarms.flatMap((a) => a.notifications.map((n) => [`<code>${e(a.name)}</code>`, `<span class="time">${e(n.at)}</span>`, a.expectedActions.includes(n.target) ? e(n.target) : `${badge('FAIL')} ${e(n.target)} (not its topic)`, n.result === 'Failed' ? badge('FAIL') : e(n.result)]));
  const configured = alarms.flatMap((a) => (a.configChanges ?? []).map((c) => [`<code>${e(a.name)}</code>`, `<span class="time">${e(c.at)}</span>`, c.newAlarm ? `${badge('PASS')} Create (new alarm)` : `${badge('FAIL')} ${e(c.kind === '?' ? 'changed' : c.kind)}`, e(c.summary)]));
  const episodes = alarms.flatMap((a) => a.episodes.map((x) => [`<code>${e(a.name)}</code>`, `<span class="time">${e(x.start)}</span>`, `<span class="time">${e(x.end ?? 'still in ALARM at the end of the period')}</span>`, `${x.hours}`]));
  const routes = alarms.map((a) => [
    `<code>${e(a.name)}</code>`,
    a.stateNow === 'MISSING' ? `${badge('FAIL')} MISSING` : e(a.stateNow),
    a.actionsEnabledNow === false ? `${badge('FAIL')} disabled` : a.stateNow === 'MISSING' ? '' : 'enabled',
    e(a.expectedActions.join(', ')),
    e(a.alarmActions.join(', ') || 'none'),
    e(a.okActions.join(', ') || 'none'),
  ]);
  const quiet = (item.details?.quiet ?? []) as { name: string }[];
  const rec = item.details?.record as RecordCoverage | undefined;
  const recordLine = !rec
    ? ''
    : !rec.exists
      ? `<p><strong>Alarm history record <code>${e(rec.logGroup)}</code> missing</strong>: the alarm history is incomplete for the period.</p>`
      : `<p>Alarm history record <code>${e(rec.logGroup)}</code> (account ${e(rec.accountId)}, ${e(rec.region)}): covers from <span class="time">${e(rec.coversFrom ?? '?')}</span>${rec.retentionDays !== undefined ? `, kept ${rec.retentionDays} days` : ''}; ${rec.events} state change event(s) of this account in the period.</p>`;
  return `${recordLine}<h4>Entries into ALARM: notified? (a successful action on each of the alarm's topics within ${minutes} minutes)</h4>${table(['Alarm', 'Entered ALARM', 'Notification'], entries, 'entries into ALARM')}
<h4>Changes to the alarms themselves (ConfigurationUpdate)</h4>${table(['Alarm', 'Time', 'Change', 'Summary'], configured, 'changes to the alarms')}
<h4>State changes</h4>${table(['Alarm', 'Time', 'Change', 'Seen in', 'Reason'], changes, 'state changes')}
<h4>Time in ALARM (stuck?)</h4>${table(['Alarm', 'Entered ALARM', 'Left ALARM', 'Hours'], episodes, 'stays in ALARM')}
<h4>Notifications (actions executed)</h4>${table(['Alarm', 'Time', 'Sent to', 'Result'], notes, 'notifications')}
<h4>The alarms that changed, now</h4>${table(['Alarm', 'State now', 'Actions', 'Its topics (baseline)', 'ALARM actions now', 'OK actions now'], routes, 'alarms that changed state')}
<p class="more">${quiet.length} other alarm(s) of the baseline in this account did not change state in the period.</p>`;
}

function findingDetails(item: EvidenceItem): string {
  if (item.resource !== 'triage') {
    const d = item.details ?? {};
    return `<p>GuardDuty: <strong>${e(String(d.guardDuty ?? '?'))}</strong> finding(s) created in the period; Security Hub: <strong>${e(String(d.securityHub ?? '?'))}</strong>.</p>`;
  }
  const findings = (item.details?.findings ?? []) as PeriodFinding[];
  const rows = findings.map((f) => [
    `<span class="time">${e(f.createdAt)}</span>`,
    `<strong>${e(f.severity)}</strong>`,
    e(f.product),
    `${e(f.accountId)} ${e(f.region)}`,
    `${e(f.title)}<br><code class="small">${e(f.id)}</code>`,
    e(f.workflowStatus),
    f.firstWorkflowChange ? `${f.firstWorkflowChange.hours} h (→ ${e(f.firstWorkflowChange.to)}, ${e(f.firstWorkflowChange.at)})` : URGENT.has(f.severity) ? 'none' : 'not read (below HIGH)',
  ]);
  return table(['Created', 'Severity', 'Product', 'Account, Region', 'Finding', 'Workflow', 'Time to first workflow change'], rows, 'findings');
}
const URGENT = new Set(['HIGH', 'CRITICAL']);

function configDetails(item: EvidenceItem): string {
  const changes = (item.details?.changes ?? []) as ComplianceChange[];
  const rows = changes.map((c) => [`<span class="time">${e(c.recordedAt)}</span>`, e(c.rule), `${e(c.resourceType)} <code class="small">${e(c.resourceId)}</code>`, c.compliance === 'NON_COMPLIANT' ? `<strong>${e(c.compliance)}</strong>` : e(c.compliance), e(c.annotation ?? '')]);
  return table(['Recorded', 'Rule', 'Resource', 'Compliance', 'Annotation'], rows, 'evaluations');
}

/** The link to the sample's copy in the binder (covered by SHA256SUMS), when the file was read. */
function sampleFileLink(item: EvidenceItem): string {
  const f = item.details?.file as SampleFile | undefined;
  return f ? `<a href="${e(f.name)}">${e(f.name)}</a> (SHA-256 <code class="small">${e(f.sha256)}</code>, listed in SHA256SUMS)` : '';
}

function sampleDetails(item: EvidenceItem): string {
  const s = item.details?.sample as SampleDetails | undefined;
  const link = sampleFileLink(item);
  if (!s) return `<p class="empty">${item.details?.provided ? `The sample given could not be used (above).${link ? ` The file: ${link}.` : ''}` : 'No investigation sample was given.'}</p>`;
  const rows = s.rows.map((r) => r.map((c) => (c === null ? '<em>NULL</em>' : e(c))));
  return `<table class="meta"><tbody>
<tr><td>Investigation</td><td><code>${e(s.investigation)}</code>: ${e(s.title)}<br>${e(s.answers)}</td></tr>
${link ? `<tr><td>File</td><td>${link}</td></tr>` : ''}
<tr><td>Window</td><td>${e(s.window.from)} to ${e(s.window.to)}</td></tr>
<tr><td>Parameters</td><td>${Object.entries(s.parameters).map(([k, v]) => `<code>${e(k)}=${e(v)}</code>`).join(' ') || 'none'}</td></tr>
<tr><td>Where</td><td>${e(s.where)}; query execution <code>${e(s.queryExecutionId)}</code>, submitted ${e(s.submittedAt)}, completed ${e(s.completedAt)}</td></tr>
<tr><td>Scanned</td><td>${s.dataScannedBytes} bytes (USD ${s.costUsd})</td></tr>
<tr><td>Query</td><td><pre class="sql">${e(s.queryString)}</pre>${s.executionParameters.length ? `Execution parameters: ${s.executionParameters.map((p) => `<code>${e(p)}</code>`).join(', ')}` : ''}</td></tr>
</tbody></table>
<h4>Result rows (${s.rowCount})</h4>${table(s.columns, rows, 'rows')}${s.rowCount > s.rowsShown ? `<p class="more">${s.rowCount - s.rowsShown} more row(s) in the sample file, not shown.</p>` : ''}`;
}

const RENDER: Record<string, (item: EvidenceItem) => string> = {
  'period.alarm-response': alarmDetails,
  'period.finding-triage': findingDetails,
  'period.config-compliance': configDetails,
  'period.investigation-sample': sampleDetails,
};

/** The period, prominently, for the top of the page. */
export function periodBanner(run: EvidenceRun): string {
  const { period, triage } = run;
  return `<div class="period-banner" id="audit-period"><strong>Audit period:</strong> <span class="period-range">${e(period.from)} to ${e(period.to)}</span> (UTC; from inclusive, to exclusive). Triage windows: HIGH/CRITICAL findings ${triage.findingTriageHours} h, alarms ${triage.alarmAcknowledgeHours} h (alerts.triage).</div>`;
}

/** What happened over the period for one item (the account pages show it under the item). */
export function periodDetails(item: EvidenceItem, linkPrefix = ''): string {
  const render = RENDER[item.controlId];
  if (!render) return '';
  const html = render(item);
  return linkPrefix ? html.replace(/<a href="(?![a-z]+:|#)/g, `<a href="${linkPrefix}`) : html;
}

/** A period control's items as the index shows them: all of them up to a bound, else those not passing first. */
export interface PeriodSummary {
  readonly count: number;
  readonly shown: readonly EvidenceItem[];
}

/** One section per period control, each with the items shown and what happened over the period. */
export function renderPeriodSections(run: EvidenceRun, summaries: ReadonlyMap<string, PeriodSummary>, itemRow: (item: EvidenceItem) => string): string {
  const { period } = run;
  return PERIOD_CONTROLS.map((c) => {
    const summary = summaries.get(c.id) ?? { count: 0, shown: [] };
    const items = summary.shown;
    const rest = summary.count - items.length;
    return `<section class="period-section" id="period-${e(c.id)}">
<h3><code>${e(c.id)}</code> ${e(c.title)}</h3>
<p class="period-line">Period: <strong>${e(period.from)} to ${e(period.to)}</strong></p>
<p class="judged"><strong>Judged:</strong> ${e(c.evidence.lookFor)}</p>
${c.evidence.notJudged ? `<p class="not-judged"><strong>Not judged:</strong> ${e(c.evidence.notJudged)}</p>` : ''}
${
  items.length
    ? items
        .map(
          (i) => `<table><thead><tr><th>Status</th><th>Account</th><th>Region</th><th>Resource</th><th>Judgement</th><th>Collected</th><th>Raw evidence and API reference</th></tr></thead><tbody>
${itemRow(i)}
</tbody></table>
<div class="period-details">${periodDetails(i)}</div>`,
        )
        .join('\n')
    : '<p class="empty">Not collected in this run (its account or Region was not selected).</p>'
}${rest > 0 ? `\n<p class="more">… and ${rest} more item(s) of this control (${summary.count} in all), those not passing shown first: each on its account's page (<a href="#accounts">Accounts</a>), and in items.csv.</p>` : ''}
</section>`;
  }).join('\n');
}
