/**
 * Collection folders written by hand (evidence/collection.ts), for the tests of assembly, resume and
 * merge that need no AWS: the inputs and run header of a small organization.
 */
import type { CollectionInputs } from '../../evidence/collection';
import type { EvidenceItem, EvidenceRun } from '../../evidence/types';

export function collectionInputs(shardCount: number): CollectionInputs {
  return {
    organizationId: 'o-exampleorg01',
    configSha256: 'c'.repeat(64),
    accounts: ['111111111111', '222222222222'],
    regions: ['us-east-1'],
    roleName: 'reader',
    sessionName: 'soc2-evidence',
    logFileSample: 4,
    sinceDays: 30,
    maxFindings: 1000,
    period: { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' },
    logValidation: { skipped: true },
    shardCount,
    collector: 'test',
  };
}

export function collectionRun(inputs: CollectionInputs, startedAt: string, finishedAt: string): EvidenceRun {
  return {
    startedAt,
    finishedAt,
    collectedBy: 'arn:aws:sts::111111111111:assumed-role/ci/runner',
    organizationId: inputs.organizationId,
    accounts: inputs.accounts,
    regions: inputs.regions,
    roleName: inputs.roleName,
    sinceDays: inputs.sinceDays,
    period: inputs.period,
    triage: { findingTriageHours: 24, alarmAcknowledgeHours: 24 },
    logValidation: { skipped: 'test' },
    exceptions: [],
  };
}

/** An item of the organization trail's control in `accountId`'s home Region, collected at the fixtures' run time. */
export function trailItem(accountId: string, status: EvidenceItem['status'], options: { readonly n?: number; readonly raw?: string[] } = {}): EvidenceItem {
  return {
    id: `cloudtrail.organization-trail/${accountId}/us-east-1/${options.n ?? 0}`,
    controlId: 'cloudtrail.organization-trail',
    tsc: ['CC7.2'],
    title: 'trail',
    status,
    reason: status === 'PASS' ? 'logging' : 'IsLogging is false',
    accountId,
    region: 'us-east-1',
    collectedAt: '2026-04-01T00:00:00.000Z',
    raw: options.raw ?? [],
    sources: [],
  };
}
