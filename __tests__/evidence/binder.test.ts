/**
 * The binder's files from a known result: what an auditor reads (summary per criterion, failures,
 * every item with its raw evidence linked, exceptions, the config's history), escaped and printable;
 * the CSV safe to open in a spreadsheet; SHA256SUMS over every file; the config's git history read
 * with `git log --follow`; and every control a check can emit is in the control catalog.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load';
import { csvField, renderCsv, writeBinder } from '../../evidence/binder';
import { investigationSampleTasks } from '../../evidence/checks/period-investigation';
import { createContext, planTasks } from '../../evidence/collect';
import { EVIDENCE_CATALOG, EVIDENCE_CONTROLS } from '../../evidence/controls';
import { LOG_FORMAT, parseLog, readConfigHistory, type GitRunner } from '../../evidence/history';
import { compareCriteria } from '../../evidence/html';
import type { EvidenceItem, EvidenceResult, RawRecord } from '../../evidence/types';
import { mockExecutionOfFile, sampleRun, writeSample } from './investigation-sample';

const AT = '2026-03-02T12:00:00.000Z';

function item(over: Partial<EvidenceItem> & Pick<EvidenceItem, 'id' | 'status'>): EvidenceItem {
  const controlId = over.id.split('/')[0];
  return { controlId, tsc: EVIDENCE_CONTROLS.get(controlId)!.tsc, title: 'title', reason: 'reason', accountId: '111111111111', region: 'us-east-1', collectedAt: AT, raw: [], sources: [], ...over };
}

function result(): EvidenceResult {
  const raw: RawRecord = { name: '111111111111.us-east-1.cloudtrail.DescribeTrails.json', accountId: '111111111111', region: 'us-east-1', operation: 'cloudtrail:DescribeTrails', request: {}, collectedAt: AT, responses: [{ trailList: [] }] };
  return {
    run: {
      startedAt: AT,
      finishedAt: AT,
      collectedBy: 'arn:aws:sts::999999999999:assumed-role/auditor/session',
      organizationId: 'o-exampleorg01',
      accounts: ['111111111111'],
      regions: ['us-east-1'],
      roleName: 'soc2-evidence-reader',
      sinceDays: 90,
      period: { from: '2025-12-02T12:00:00.000Z', to: AT },
      triage: { findingTriageHours: 24, alarmAcknowledgeHours: 24 },
      logValidation: { start: '2026-03-01T12:00:00.000Z', end: AT },
      exceptions: [{ kind: 'Security Hub control disabled', id: 'IAM.6', reason: 'Member accounts have no root credentials.' }],
    },
    items: [
      item({ id: 'cloudtrail.organization-trail/111111111111/us-east-1/arn:aws:cloudtrail:us-east-1:111111111111:trail/t', status: 'FAIL', reason: 'IsLogging is false <script>alert(1)</script>', raw: [raw.name], sources: ['https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html'] }),
      item({ id: 'log-archive.retention/222222222222/us-east-1/b', status: 'PASS', accountId: '222222222222' }),
      item({ id: 'vpc.flow-logs/111111111111/eu-west-1', status: 'ERROR', region: 'eu-west-1', reason: '=HYPERLINK("http://evil")' }),
    ],
    raw: new Map([[raw.name, raw]]),
    history: {
      available: true,
      file: '/repo/org.yaml',
      commits: [{ hash: 'a'.repeat(40), author: 'Ana Auditor', authorEmail: 'ana@example.com', date: '2026-02-01T10:00:00+01:00', subject: 'Keep CloudWatch Logs 400 days', added: 1, removed: 1 }],
      patch: 'commit aaaa\n-  cloudWatchLogsDays: 365\n+  cloudWatchLogsDays: 400\n',
    },
  };
}

describe('the binder', () => {
  test('index.html: summary per criterion, failures linked, items with raw evidence, exceptions, history; text escaped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'binder-'));
    const files = writeBinder(result(), dir, { configText: 'organization: {}\n' });
    expect(files).toEqual(['SHA256SUMS', 'accounts/111111111111.html', 'accounts/222222222222.html', 'config-history.patch', 'config-history.txt', 'index.html', 'items.csv', 'items.json', 'org-config.yaml', 'raw/111111111111.us-east-1.cloudtrail.DescribeTrails.json']);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('IsLogging is false &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    // CC2.1, CC7.2 (org trail), CC6.1... in order: common criteria first, then A1.
    const criteria = [...html.matchAll(/<tr><td><strong>([A-Z]+\d\.\d)<\/strong>/g)].map((m) => m[1]);
    expect(criteria).toEqual([...criteria].sort(compareCriteria));
    expect(criteria.at(-1)).toBe('A1.2');
    expect(html).toContain('<h2 id="failed">Failed controls (1)</h2>');
    // The index links each failure to its row on the account's page, which links the raw evidence.
    expect(html).toContain('<a href="accounts/111111111111.html#item-cloudtrail-organization-trail-111111111111-us-east-1-arn-aws-cloudtrail-us-east-1-111111111111-trail-t">');
    expect(html).toContain('<td><a href="accounts/222222222222.html">222222222222</a></td>');
    const page = readFileSync(join(dir, 'accounts', '111111111111.html'), 'utf8');
    expect(page).toContain('id="item-cloudtrail-organization-trail-111111111111-us-east-1-arn-aws-cloudtrail-us-east-1-111111111111-trail-t"');
    expect(page).toContain('href="../raw/111111111111.us-east-1.cloudtrail.DescribeTrails.json"');
    expect(page).toContain('IsLogging is false &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    expect(html).toContain('<code>IAM.6</code></td><td>Member accounts have no root credentials.</td>');
    expect(html).toContain('Keep CloudWatch Logs 400 days');
    expect(html).toContain('Ana Auditor &lt;ana@example.com&gt;');
    expect(html).toContain('@media print');
    expect(readFileSync(join(dir, 'config-history.txt'), 'utf8')).toContain('2026-02-01T10:00:00+01:00  aaaaaaaaaaaa  Ana Auditor <ana@example.com>  +1 -1  Keep CloudWatch Logs 400 days');
    const json = JSON.parse(readFileSync(join(dir, 'items.json'), 'utf8'));
    expect(json.items).toHaveLength(3);
  });

  test('items.csv: one row per item, quoted, with spreadsheet formulas neutralised', () => {
    const csv = renderCsv(result().items);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('id,status,control,tsc,title,account,region,resource,reason,collected_at,raw,sources');
    expect(lines).toHaveLength(4);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
  });

  test('an earlier binder is replaced; a folder with other files is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'binder-'));
    writeBinder(result(), dir);
    writeFileSync(join(dir, 'raw', 'stale.json'), '{}');
    const first = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    writeBinder(result(), dir);
    expect(existsSync(join(dir, 'raw', 'stale.json'))).toBe(false);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toBe(first);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    expect(() => writeBinder(result(), dir)).toThrow(/holds files that are not part of a binder \(notes\.txt\)/);
  });

  test('without history the binder says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'binder-'));
    writeBinder({ ...result(), history: { available: false, file: '/x/org.yaml', reason: 'not in a git repository (fatal: not a git repository)' } }, dir);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('No change history: not in a git repository (fatal: not a git repository) (/x/org.yaml).');
    expect(existsSync(join(dir, 'config-history.patch'))).toBe(false);
  });
});

describe('the investigation sample in the binder', () => {
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  /** The sample's item as the collector judges it (evidence/checks/period-investigation.ts), and the result around it. */
  async function judged(file: string): Promise<EvidenceResult> {
    const config = parseConfig(parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8')), 'test');
    const { ctx } = createContext({ config, credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, now: () => new Date(AT), from: new Date('2026-01-01T00:00:00Z'), to: new Date(AT), investigationSample: file });
    // Athena answers GetQueryExecution with the sample's own execution (investigation-sample.ts).
    const athena = mockExecutionOfFile(file);
    try {
      for (const task of investigationSampleTasks(ctx)) await task.execute();
    } finally {
      athena.restore();
    }
    return { ...result(), run: { ...result().run, investigationSample: file }, items: [...result().items, ...ctx.items] };
  }

  test('copied as investigation-sample.json, byte for byte, listed in SHA256SUMS, linked from its section', async () => {
    const file = writeSample(sampleRun({ from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-02T00:00:00Z') }));
    const r = await judged(file);
    const judgedItem = r.items.find((i) => i.controlId === 'period.investigation-sample')!;
    expect(`${judgedItem.status} ${judgedItem.reason}`).toMatch(/^PASS /);
    const dir = mkdtempSync(join(tmpdir(), 'binder-'));
    expect(writeBinder(r, dir)).toContain('investigation-sample.json');
    const copy = readFileSync(join(dir, 'investigation-sample.json'));
    expect(copy.equals(readFileSync(file))).toBe(true);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toContain(`${sha256(copy)}  investigation-sample.json\n`);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain(`<tr><td>File</td><td><a href="investigation-sample.json">investigation-sample.json</a> (SHA-256 <code class="small">${sha256(copy)}</code>, listed in SHA256SUMS)</td></tr>`);
    // An earlier binder with its sample is replaced, not refused as a foreign file.
    expect(() => writeBinder(r, dir)).not.toThrow();
  });

  test('a sample that cannot be used is still kept, and linked', async () => {
    const file = writeSample({ version: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'binder-'));
    const r = await judged(file);
    expect(r.items.find((i) => i.controlId === 'period.investigation-sample')!.status).toBe('FAIL');
    writeBinder(r, dir);
    expect(readFileSync(join(dir, 'investigation-sample.json')).equals(readFileSync(file))).toBe(true);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('The sample given could not be used (above). The file: <a href="investigation-sample.json">investigation-sample.json</a>');
  });

  test('a sample changed after it was judged is refused: the binder would hash other bytes than it shows', async () => {
    const file = writeSample(sampleRun({ from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-02T00:00:00Z') }));
    const r = await judged(file);
    writeFileSync(file, JSON.stringify({ ...sampleRun({ from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-02T00:00:00Z') }), rows: [] }));
    expect(() => writeBinder(r, mkdtempSync(join(tmpdir(), 'binder-')))).toThrow(/^the investigation sample \(--investigation-sample\) \S+ changed after it was judged \(SHA-256 [0-9a-f]{64}, judged [0-9a-f]{64}\): collect again$/);
  });

  test('without a sample there is no copy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'binder-'));
    expect(writeBinder(result(), dir)).not.toContain('investigation-sample.json');
  });
});

describe('the config history (git log --follow)', () => {
  const US = '\x1f';
  const RS = '\x1e';
  const log = `${RS}${'b'.repeat(40)}${US}Bo${US}bo@example.com${US}2026-02-02T09:00:00Z${US}Turn on DynamoDB data events; retention 400\n\n3\t1\torg.yaml\n${RS}${'a'.repeat(40)}${US}Ana${US}ana@example.com${US}2026-01-01T09:00:00Z${US}Initial org\n\n120\t0\tbaseline.config.yaml\n`;

  test('commits with who, when, what and the lines changed, following renames', async () => {
    const calls: string[][] = [];
    const git: GitRunner = async (args) => {
      calls.push([...args]);
      if (args[0] === 'rev-parse') return 'true\n';
      return args.includes('-p') ? 'commit bbbb\n+  dynamodb: all\n' : log;
    };
    const history = await readConfigHistory('/repo/config/org.yaml', git);
    expect(history).toEqual({
      available: true,
      file: '/repo/config/org.yaml',
      commits: [
        { hash: 'b'.repeat(40), author: 'Bo', authorEmail: 'bo@example.com', date: '2026-02-02T09:00:00Z', subject: 'Turn on DynamoDB data events; retention 400', added: 3, removed: 1 },
        { hash: 'a'.repeat(40), author: 'Ana', authorEmail: 'ana@example.com', date: '2026-01-01T09:00:00Z', subject: 'Initial org', added: 120, removed: 0 },
      ],
      patch: 'commit bbbb\n+  dynamodb: all\n',
    });
    expect(calls[1]).toEqual(['log', '--follow', '--numstat', LOG_FORMAT, '--', 'org.yaml']);
    expect(parseLog('')).toEqual([]);
  });

  test('outside a repository, or never committed, the history says why', async () => {
    const notRepo: GitRunner = async () => {
      throw new Error('fatal: not a git repository (or any of the parent directories): .git');
    };
    expect(await readConfigHistory('/tmp/org.yaml', notRepo)).toEqual({
      available: false,
      file: '/tmp/org.yaml',
      reason: 'not in a git repository (fatal: not a git repository (or any of the parent directories): .git): no change history of the config file is available',
    });
    const untracked: GitRunner = async (args) => (args[0] === 'rev-parse' ? 'true\n' : '');
    expect(await readConfigHistory('/repo/org.yaml', untracked)).toMatchObject({ available: false, reason: 'the config file has no commits (it is not tracked, or not committed yet)' });
  });
});

describe('control ids', () => {
  test('every control a check can emit is in the control catalog (controls/catalog.ts) or the period controls (evidence/period/controls.ts)', () => {
    const catalog = new Set(EVIDENCE_CATALOG.map((c) => c.id));
    const raw = parse(readFileSync(join(__dirname, '..', '..', 'baseline.config.yaml'), 'utf8'));
    // Every optional check switched on: additional rules, CloudWatch Logs flow logs, account trails, network activity events.
    raw.awsConfig = { ...raw.awsConfig, additionalRules: [{ name: 'extra-rule', identifier: 'S3_BUCKET_VERSIONING_ENABLED' }] };
    raw.flowLogs = { destination: 'cloud-watch-logs' };
    raw.trail = { ...raw.trail, networkActivityEvents: { eventSources: ['kms.amazonaws.com'] } };
    const config = parseConfig(raw, 'test');
    const { ctx } = createContext({ config, credentials: { accessKeyId: 'A', secretAccessKey: 'B' } });
    const planned = new Set(planTasks(ctx).flatMap((t) => t.controls));
    expect([...planned].filter((id) => !catalog.has(id))).toEqual([]);
    // And the catalog's controls all have a check.
    expect([...catalog].filter((id) => !planned.has(id))).toEqual([]);
  });
});
