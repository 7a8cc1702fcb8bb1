/**
 * A healthy organization in a moto server of its own, as the baseline deploys it (org-fixture.ts),
 * and a collector run against it: what the evidence tests start from. Every control moto and the
 * mocks serve is PASS here; a test breaks one thing, collects, and puts it back.
 */
import { collectEvidence, type CollectOptions } from '../../evidence/collect';
import type { BaselineConfig } from '../../config/schema';
import type { EvidenceResult } from '../../evidence/types';
import { mockLoggingRuleCompliance, seedSensitiveBuckets } from './sensitive-buckets-fixture';
import { encryptSensitiveBuckets, sensitiveBucketKeyEdit } from './malware-protection-fixture';
import { clientSettings, mockMissingApis, MotoAccounts, orgConfig, ROLE_NAME, seedAccounts, seedDigests, seedLogArchive, seedOrganization, seedSecurityHub, type MissingApiMocks, type OrgIds } from './org-fixture';
import { RUNNER_CREDENTIALS, startMoto, type Moto } from './moto';
import { AthenaClient } from '@aws-sdk/client-athena';
import { runSampleInMoto, writeSample } from './investigation-sample';

export interface HealthyOrg {
  readonly moto: Moto;
  readonly accounts: MotoAccounts;
  readonly ids: OrgIds;
  readonly config: BaselineConfig;
  /** What `orgConfig` was given beyond the ids (the sensitive bucket's key): `orgConfigRaw(ids, configEdit)` is the config's file. */
  readonly configEdit: (raw: Record<string, any>) => void;
  readonly mocks: MissingApiMocks;
  /** The run's clock: the seeded deliveries are recent at this instant. */
  readonly clock: Date;
  /** The investigation sample file the collector is given (a query run in moto, investigation-sample.ts). */
  readonly investigationSample: string;
  /** A collector run against the org, with the tests' settings. */
  collect(extra?: Partial<CollectOptions>): Promise<EvidenceResult>;
  stop(): Promise<void>;
}

export async function startHealthyOrg(): Promise<HealthyOrg> {
  const moto = await startMoto();
  try {
    const accounts = new MotoAccounts(moto.endpoint);
    const ids = await seedOrganization(accounts);
    // The sensitive bucket's own key (malware-protection-fixture.ts), made first: the config names it.
    const configEdit = await sensitiveBucketKeyEdit(accounts, ids);
    const config = orgConfig(ids, configEdit);
    await seedLogArchive(accounts, config);
    await seedAccounts(accounts, config);
    // An investigation of the period's last days, run after them in moto (the workgroup exists now):
    // the binder's investigation sample (its window written into the SQL, no execution parameters, as
    // baseline investigate sends it), checked against moto's record of the execution.
    const sampleRunInMoto = await runSampleInMoto(await accounts.client(AthenaClient, config.organization.auditAccountId), config, {
      from: new Date(Date.now() - 3 * 86_400_000),
      to: new Date(Date.now() - 2 * 86_400_000),
    });
    await seedSecurityHub(accounts, config);
    // The sensitive bucket of org-fixture.ts, its access-log bucket and its logging, as the owner and the baseline leave them.
    await seedSensitiveBuckets(accounts, config);
    await encryptSensitiveBuckets(accounts, config);
    // moto stamps the execution with its own clock: the run's clock must not come before it.
    while (Math.floor(Date.now() / 1000) * 1000 < Date.parse(sampleRunInMoto.completedAt)) await new Promise((r) => setTimeout(r, 100));
    // After the seeding: the trails' deliveries are recent at this instant.
    const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
    await seedDigests(accounts, config, clock, 2);
    const mocks = mockMissingApis(config, { at: clock });
    mockLoggingRuleCompliance(mocks.config, 'COMPLIANT');
    const investigationSample = writeSample(sampleRunInMoto);
    const collect = (extra: Partial<CollectOptions> = {}) =>
      collectEvidence({
        config,
        endpoint: moto.endpoint,
        credentials: RUNNER_CREDENTIALS,
        roleName: ROLE_NAME,
        now: () => clock,
        validateLogsSince: new Date(clock.getTime() - 2 * 3_600_000),
        history: false,
        concurrency: 8,
        clientSettings: clientSettings(moto.endpoint),
        investigationSample,
        ...extra,
      });
    return {
      moto,
      accounts,
      ids,
      config,
      configEdit,
      mocks,
      clock,
      investigationSample,
      collect,
      async stop() {
        mocks.restore();
        await moto.stop();
      },
    };
  } catch (e) {
    await moto.stop();
    throw e;
  }
}
