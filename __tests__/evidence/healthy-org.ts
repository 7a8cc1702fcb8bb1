/**
 * A healthy organization in a moto server of its own, as the baseline deploys it (org-fixture.ts),
 * and a collector run against it: what the evidence tests start from. Every control moto and the
 * mocks serve is PASS here; a test breaks one thing, collects, and puts it back.
 */
import { collectEvidence, type CollectOptions } from '../../evidence/collect';
import type { BaselineConfig } from '../../config/schema';
import type { EvidenceResult } from '../../evidence/types';
import { clientSettings, mockMissingApis, MotoAccounts, orgConfig, ROLE_NAME, seedAccounts, seedDigests, seedLogArchive, seedOrganization, seedSecurityHub, type MissingApiMocks, type OrgIds } from './org-fixture';
import { RUNNER_CREDENTIALS, startMoto, type Moto } from './moto';

export interface HealthyOrg {
  readonly moto: Moto;
  readonly accounts: MotoAccounts;
  readonly ids: OrgIds;
  readonly config: BaselineConfig;
  readonly mocks: MissingApiMocks;
  /** The run's clock: the seeded deliveries are recent at this instant. */
  readonly clock: Date;
  /** A collector run against the org, with the tests' settings. */
  collect(extra?: Partial<CollectOptions>): Promise<EvidenceResult>;
  stop(): Promise<void>;
}

export async function startHealthyOrg(): Promise<HealthyOrg> {
  const moto = await startMoto();
  try {
    const accounts = new MotoAccounts(moto.endpoint);
    const ids = await seedOrganization(accounts);
    const config = orgConfig(ids);
    await seedLogArchive(accounts, config);
    await seedAccounts(accounts, config);
    await seedSecurityHub(accounts, config);
    // After the seeding: the trails' deliveries are recent at this instant.
    const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
    await seedDigests(accounts, config, clock, 2);
    const mocks = mockMissingApis(config, { at: clock });
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
        ...extra,
      });
    return {
      moto,
      accounts,
      ids,
      config,
      mocks,
      clock,
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
