/**
 * The tamper suite (issue 19): a healthy organization in moto passes every control; then each
 * tampering of tamperings.ts, one API call an account admin could make, is applied alone, and the
 * binder must FAIL exactly the items it breaks, with a reason naming the resource and the change,
 * and PASS everything else; then it is undone. A check that passes on a broken control fails here.
 */
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceResult } from '../../evidence/types';
import { EVIDENCE_CATALOG, notJudgedTable } from '../../evidence/controls';
import { VALIDATE_LOGS_CALLS } from '../../evidence/digest';
import { startHealthyOrg, type HealthyOrg } from './healthy-org';
import { orgConfig } from './org-fixture';
import { seedOtherKey, TAMPERINGS as FIRST, tamperTable, type Tampering } from './tamperings';
import { MORE_TAMPERINGS } from './tamperings-more';
import { INVESTIGATION_TAMPERINGS } from './tamperings-investigations';
import { NETWORK_ACTIVITY_TAMPERINGS } from './tamperings-network-activity';
import { UNUSED_ACCESS_TAMPERINGS } from './tamperings-unused-access';
import { RDS_TAMPERINGS } from './tamperings-rds';
import { MALWARE_PROTECTION_TAMPERINGS } from './tamperings-malware-protection';

/** Every tampering: the first set, those the red team found (tamperings-more.ts), the investigations'. */
const TAMPERINGS: readonly Tampering[] = [...FIRST, ...MORE_TAMPERINGS, ...INVESTIGATION_TAMPERINGS, ...RDS_TAMPERINGS, ...UNUSED_ACCESS_TAMPERINGS, ...NETWORK_ACTIVITY_TAMPERINGS, ...MALWARE_PROTECTION_TAMPERINGS];

let org: HealthyOrg;
let healthy: EvidenceResult;

const collect = () => org.collect({ validateLogsSince: false });
const collectAll = () => org.collect();
const notPassing = (r: EvidenceResult) => r.items.filter((i) => i.status !== 'PASS').map((i) => `${i.status} ${i.id}: ${i.reason}`);

beforeAll(async () => {
  org = await startHealthyOrg();
  await seedOtherKey(org);
  healthy = await collectAll();
}, 120_000);

afterAll(async () => {
  await org?.stop();
});

test('the healthy organization passes every item', () => {
  expect(notPassing(healthy)).toEqual([]);
  expect(healthy.items.length).toBeGreaterThan(100);
});

test(`at least 30 tamperings, each one API call, covering ${new Set(TAMPERINGS.flatMap((t) => t.controls)).size} controls`, () => {
  expect(TAMPERINGS.length).toBeGreaterThanOrEqual(30);
  expect(new Set(TAMPERINGS.map((t) => t.what)).size).toBe(TAMPERINGS.length);
  for (const t of TAMPERINGS) expect(t.call).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+/);
});

describe.each(TAMPERINGS.map((t) => [t.what, t] as const))('%s', (_what, t: Tampering) => {
  test(`${t.call} fails exactly ${t.controls.join(', ')}`, async () => {
    const undo = await t.apply(org);
    let result: EvidenceResult;
    try {
      result = await collect();
    } finally {
      await undo();
    }
    const notPass = result.items.filter((i) => i.status !== 'PASS');
    expect(notPass.map((i) => `${i.status} ${i.id}`).sort()).toEqual(t.fails(org).map((id) => `FAIL ${id}`).sort());
    for (const item of notPass) {
      expect(t.controls).toContain(item.controlId);
      expect(item.reason).toMatch(t.reason);
    }
  });
});

test('every tampering undone, the organization passes again', async () => {
  expect(notPassing(await collect())).toEqual([]);
});

test('docs/evidence.md shows the tamper table as the suite declares it, and what is not judged as the controls declare it', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'evidence.md'), 'utf8');
  expect(doc).toContain(tamperTable(TAMPERINGS));
  expect(doc).toContain(notJudgedTable());
});

/**
 * Catalog and check agree: the calls a control's declaration lists (`evidence.api`) are the calls
 * its items were judged on, in the healthy run (every branch that reads something).
 */
test('each control declares exactly the API calls its evidence check makes', () => {
  const calls = new Map<string, Set<string>>();
  for (const item of healthy.items) {
    const set = calls.get(item.controlId) ?? new Set<string>();
    for (const name of item.raw) {
      const operation = healthy.raw.get(name)!.operation;
      for (const op of operation === 'evidence:ValidateLogs' ? VALIDATE_LOGS_CALLS : [operation]) set.add(op);
    }
    calls.set(item.controlId, set);
  }
  const declared = new Map(EVIDENCE_CATALOG.map((c) => [c.id, new Set(c.evidence.api)]));
  // Made only when something is found: the Config evaluation results are read for the rules the
  // aggregator's summary lists NON_COMPLIANT, none in a healthy org (period.test.ts reads them).
  const madeOnlyOnFindings: Record<string, readonly string[]> = { 'period.config-compliance': ['config:GetAggregateComplianceDetailsByConfigRule'] };
  const differences = [...calls]
    .map(([id, made]) => {
      const listed = declared.get(id) ?? new Set<string>();
      const undeclared = [...made].filter((op) => !listed.has(op)).sort();
      const unmade = [...listed].filter((op) => !made.has(op) && !(madeOnlyOnFindings[id] ?? []).includes(op)).sort();
      return undeclared.length || unmade.length ? `${id}: made but not declared [${undeclared.join(', ')}]; declared but not made [${unmade.join(', ')}]` : undefined;
    })
    .filter(Boolean);
  expect(differences).toEqual([]);
});

describe('the central topic reaches people only through confirmed, configured subscriptions', () => {
  const central = () => `alerting.central-routing/${org.ids.audit}/us-east-1/central`;

  test('a subscription still PendingConfirmation fails the route (SNS API_Subscription: SubscriptionArn is "PendingConfirmation" until confirmed)', async () => {
    const realSend = SNSClient.prototype.send as (...args: any[]) => Promise<any>;
    const sns = mockClient(SNSClient);
    for (const Command of [GetTopicAttributesCommand, GetSubscriptionAttributesCommand]) {
      sns.on(Command as any).callsFake((input: unknown, getClient: () => unknown) => realSend.call(getClient(), new (Command as any)(input)));
    }
    // Shape: ListSubscriptionsByTopic response, Subscriptions[] of Subscription (API_ListSubscriptionsByTopic.html).
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: org.config.alerts.subscriptions.map((s) => ({ SubscriptionArn: 'PendingConfirmation', Owner: org.ids.audit, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: `arn:aws:sns:us-east-1:${org.ids.audit}:acme-soc2-security-findings` })),
    });
    try {
      const result = await collect();
      expect(result.items.filter((i) => i.status !== 'PASS').map((i) => i.id)).toEqual([central()]);
      expect(result.items.find((i) => i.id === central())!.reason).toBe(
        org.config.alerts.subscriptions.map((s) => `${s.protocol} ${s.endpoint} is subscribed but not confirmed (PendingConfirmation) to arn:aws:sns:us-east-1:${org.ids.audit}:acme-soc2-security-findings`).join('; '),
      );
    } finally {
      sns.restore();
    }
  });

  test('a config with no subscription fails the route: the central topic reaches nobody', async () => {
    const result = await org.collect({
      validateLogsSince: false,
      config: orgConfig(org.ids, (raw) => {
        org.configEdit(raw);
        raw.alerts.subscriptions = [];
      }),
    });
    expect(result.items.filter((i) => i.status !== 'PASS').map((i) => i.id)).toEqual([central()]);
    expect(result.items.find((i) => i.id === central())!.reason).toBe('alerts.subscriptions is empty: the central alert topic reaches nobody');
  });
});
