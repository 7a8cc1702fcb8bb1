/**
 * CloudTrail network activity events (issue 23, `trail.networkActivityEvents`): off by default, one
 * advanced event selector per event source on the organization trail only, with the VpceAccessDenied
 * filter by default; config problems name the field.
 *
 * Selector fields: CloudTrail User Guide, "Logging network activity events", Advanced event selector
 * fields for network activity events: `eventCategory` NetworkActivity and `eventSource` (Equals only,
 * one selector per event source), optional `errorCode` (only VpceAccessDenied, Equals only)
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html).
 * Provider field names: hashicorp/terraform-provider-aws internal/service/cloudtrail/trail.go
 * (`advanced_event_selector.field_selector.field`, `equals`), consts.go `field_Values` (errorCode).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NETWORK_ACTIVITY_EVENT_SOURCES } from '../../config/network-activity-sources';
import { configProblems, configWith, exampleConfig, REPO_ROOT, resourcesOf, synthStack } from '../helpers';
import { CONTROL_CATALOG } from '../../controls/catalog';

const trails = (json: ReturnType<typeof synthStack>) => resourcesOf(json, 'aws_cloudtrail').map(([, t]) => t);
const orgTrail = (json: ReturnType<typeof synthStack>) => trails(json).find((t) => t.is_organization_trail)!;
const networkSelectors = (trail: Record<string, any>) =>
  (trail.advanced_event_selector as { name: string; field_selector: { field: string; equals?: string[] }[] }[]).filter((s) =>
    s.field_selector.some((f) => f.field === 'eventCategory' && f.equals?.includes('NetworkActivity')),
  );
const withNetwork = (network: Record<string, unknown>) => configWith((raw) => (raw.trail = { ...raw.trail, networkActivityEvents: network }));

describe('trail.networkActivityEvents', () => {
  test('off by default: no event source, denials only when on; the example org writes no network activity selector', () => {
    expect(exampleConfig().trail.networkActivityEvents).toEqual({ eventSources: [], deniedOnly: true });
    expect(networkSelectors(orgTrail(synthStack(exampleConfig(), 'management')))).toEqual([]);
  });

  test('one selector per event source on the organization trail: NetworkActivity, the source, errorCode VpceAccessDenied', () => {
    const trail = orgTrail(synthStack(withNetwork({ eventSources: ['kms.amazonaws.com', 's3.amazonaws.com'] }), 'management'));
    // The management selector stays first, the data-event selectors keep their places.
    expect(trail.advanced_event_selector[0].name).toBe('Management events selector');
    expect(networkSelectors(trail)).toEqual([
      {
        name: 'VPC endpoint policy denials (VpceAccessDenied) of kms.amazonaws.com',
        field_selector: [
          { field: 'eventCategory', equals: ['NetworkActivity'] },
          { field: 'eventSource', equals: ['kms.amazonaws.com'] },
          { field: 'errorCode', equals: ['VpceAccessDenied'] },
        ],
      },
      {
        name: 'VPC endpoint policy denials (VpceAccessDenied) of s3.amazonaws.com',
        field_selector: [
          { field: 'eventCategory', equals: ['NetworkActivity'] },
          { field: 'eventSource', equals: ['s3.amazonaws.com'] },
          { field: 'errorCode', equals: ['VpceAccessDenied'] },
        ],
      },
    ]);
  });

  test('deniedOnly: false records every call through the endpoints: no errorCode condition', () => {
    const trail = orgTrail(synthStack(withNetwork({ eventSources: ['secretsmanager.amazonaws.com'], deniedOnly: false }), 'management'));
    expect(networkSelectors(trail)).toEqual([
      {
        name: 'Network activity events of secretsmanager.amazonaws.com',
        field_selector: [
          { field: 'eventCategory', equals: ['NetworkActivity'] },
          { field: 'eventSource', equals: ['secretsmanager.amazonaws.com'] },
        ],
      },
    ]);
  });

  test("member accounts' own trails stay management-only", () => {
    const config = withNetwork({ eventSources: ['kms.amazonaws.com'] });
    const member = config.members.find((m) => m.id !== config.organization.managementAccountId)!;
    const accountTrail = trails(synthStack(config, `member-${member.id}`)).find((t) => !t.is_organization_trail)!;
    expect(accountTrail.advanced_event_selector).toEqual([{ name: 'Management events selector', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] }]);
  });

  test('an event source CloudTrail does not log network activity events for is an error naming the field; so is one listed twice', () => {
    expect(configProblems((raw) => (raw.trail = { ...raw.trail, networkActivityEvents: { eventSources: ['iam.amazonaws.com'] } })).join('\n')).toMatch(
      /trail\.networkActivityEvents\.eventSources\[0\]: iam\.amazonaws\.com is not an event source CloudTrail logs network activity events for/,
    );
    expect(configProblems((raw) => (raw.trail = { ...raw.trail, networkActivityEvents: { eventSources: ['kms.amazonaws.com', 'kms.amazonaws.com'] } })).join('\n')).toMatch(
      /trail\.networkActivityEvents\.eventSources\[1\]: kms\.amazonaws\.com is listed twice/,
    );
  });

  test("with Control Tower's organization trail there is no baseline selector to write: an error naming the field", () => {
    const problems = configProblems((raw) => {
      raw.trail = { ...raw.trail, networkActivityEvents: { eventSources: ['kms.amazonaws.com'] } };
      raw.controlTower = { ...(raw.controlTower ?? {}), enabled: true, organizationTrail: 'control-tower' };
    }).join('\n');
    expect(problems).toMatch(/trail\.networkActivityEvents\.eventSources: needs the baseline's organization trail/);
  });

  test('the event sources are those the CloudTrail User Guide lists, each once', () => {
    expect(new Set(NETWORK_ACTIVITY_EVENT_SOURCES).size).toBe(NETWORK_ACTIVITY_EVENT_SOURCES.length);
    for (const s of NETWORK_ACTIVITY_EVENT_SOURCES) expect(s).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
    // A few the page lists (and the services a data perimeter usually guards).
    for (const s of ['cloudtrail.amazonaws.com', 'ec2.amazonaws.com', 'kms.amazonaws.com', 's3.amazonaws.com', 'secretsmanager.amazonaws.com']) {
      expect(NETWORK_ACTIVITY_EVENT_SOURCES).toContain(s);
    }
  });

  test('the control is declared with its evidence call, and docs/detection.md states its cost', () => {
    const control = CONTROL_CATALOG.find((c) => c.id === 'cloudtrail.network-activity-events')!;
    expect(control.evidence.api).toEqual(['cloudtrail:GetEventSelectors']);
    expect(control.tsc).toEqual(['CC7.2', 'CC6.6']);
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'detection.md'), 'utf8');
    expect(doc).not.toContain('<!-- cloudtrail.network-activity-events -->');
    expect(doc).toContain('https://aws.amazon.com/cloudtrail/pricing/');
  });
});
