/**
 * More tamperings, in the shape of tamperings.ts: the red team's finds (redteam/README.md, W, C, F and
 * V cases of redteam/monitoring.test.ts), each one API call an account admin could make that left the
 * binder passing before the checks compared filters, alarms, selectors, trails, Config rules,
 * channels, recorders and flow logs with exactly what the baseline writes.
 *
 * Calls moto serves go to moto. Where moto does not keep what AWS would after the call (basic event
 * selectors beside advanced ones, a metric filter's fieldSelectionCriteria, a recorder's
 * recordingMode), the call still goes to moto and the mocked read answers as AWS would after it, in
 * the response shapes of AWS's API reference pages cited beside each.
 */
import { CloudTrailClient, GetEventSelectorsCommand, GetTrailStatusCommand, PutEventSelectorsCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, DescribeQueryDefinitionsCommand, FilterLogEventsCommand, PutMetricFilterCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, DescribeConfigurationRecordersCommand, PutConfigRuleCommand, PutDeliveryChannelCommand } from '@aws-sdk/client-config-service';
import { CreateFlowLogsCommand, DeleteFlowLogsCommand, DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { accountTrailArn, accountTrailLogGroupName, accountTrailName, logBucketName, orgTrailArn, orgTrailLogGroupName, orgTrailName, s3BucketArn } from '../../config/naming';
import { SOC2_LOGGING_PACK } from '../../config/managed-config-rules';
import { recorderName } from '../../evidence/checks/config-service';
import { alertRouteTamperingFilters, breakGlassUsageFilter, CIS_METRIC_FILTERS, ROUTE_TAMPERING_ALARM_ID, routeTamperingExemptRole } from '../../modules/cis-monitoring/cis-metric-filters';
import { FLOW_LOG_FORMAT } from '../../modules/flow-logs/vpc-flow-logs';
import type { HealthyOrg } from './healthy-org';
import { describeQueryDefinitions } from './investigations-fixture';
import { HOME, unmocked } from './org-fixture';
import type { Tampering } from './tamperings';
import { networkActivityApiSelectors } from './network-activity-fixture';

const PREFIX = 'acme-soc2';
const management = (org: HealthyOrg) => org.ids.management;
const workload = (org: HealthyOrg) => org.ids.workload;
const ns = (org: HealthyOrg) => org.config.monitoring.metricNamespace;
const cisFilter = (id: string) => CIS_METRIC_FILTERS.find((f) => f.id === id)!;
const breakGlass = (org: HealthyOrg) => breakGlassUsageFilter(org.config.guardrails.breakGlassRoleName!);
/** The org trail group's item of a control, named by its filter or alarm. */
const orgItem = (control: string, name: (org: HealthyOrg) => string) => (org: HealthyOrg) => [`${control}/${management(org)}/${HOME}/${PREFIX}-org-${name(org)}`];
const cisItem = (id: string) => orgItem(`cis.${id}`, () => id);

// ---- CloudWatch Logs metric filters ---------------------------------------------------------

type Filter = { id: string; metricName: string; pattern: string };

/** The organization trail group's filter re-put with `change` (PutMetricFilter replaces it), the baseline's put back after. */
function orgFilter(filter: (org: HealthyOrg) => Filter, change: { transformation?: object; filter?: object }) {
  return async (org: HealthyOrg) => {
    const logs = await org.accounts.client(CloudWatchLogsClient, management(org));
    const f = filter(org);
    const put = (c: typeof change) =>
      logs.send(
        new PutMetricFilterCommand({
          logGroupName: orgTrailLogGroupName(org.config),
          filterName: `${PREFIX}-org-${f.id}`,
          filterPattern: f.pattern,
          metricTransformations: [{ metricName: f.metricName, metricNamespace: ns(org), metricValue: '1', ...c.transformation }],
          ...c.filter,
        } as never),
      );
    await put(change);
    return () => put({});
  };
}

/**
 * The filter fields moto 5.1 drops (fieldSelectionCriteria, applyOnTransformedLogs): the call goes to
 * moto, and DescribeMetricFilters answers as AWS would after it (MetricFilter, API_MetricFilter.html).
 */
function orgFilterFieldsMotoDrops(id: string, fields: (org: HealthyOrg) => Partial<MetricFilter>) {
  return async (org: HealthyOrg) => {
    const undo = await orgFilter(() => cisFilter(id), { filter: fields(org) })(org);
    const name = `${PREFIX}-org-${id}`;
    const group = orgTrailLogGroupName(org.config);
    // The fixture's own answer (mockMissingApis: the alarm history record's creation time), kept before mocking.
    const fixtureSend = CloudWatchLogsClient.prototype.send as (this: object, command: unknown) => Promise<any>;
    const logs = mockClient(CloudWatchLogsClient);
    // The collector's CloudWatch Logs reads go to moto; the tampered filter is read as AWS keeps it.
    logs.on(DescribeLogGroupsCommand).callsFake((input: unknown, getClient: () => object) => fixtureSend.call(getClient(), new DescribeLogGroupsCommand(input as never)));
    // The alarm history record (the period's alarm section) is read from moto too.
    logs.on(FilterLogEventsCommand).callsFake((input: unknown, getClient: () => object) => fixtureSend.call(getClient(), new FilterLogEventsCommand(input as never)));
    // The investigations' saved queries (not in moto) as investigations-fixture.ts keeps them.
    logs.on(DescribeQueryDefinitionsCommand).callsFake((input: object, getClient: () => CloudWatchLogsClient) => describeQueryDefinitions(getClient(), input));
    logs.on(DescribeMetricFiltersCommand).callsFake(async (input: { logGroupName?: string }, getClient: () => any) => {
      const out = await unmocked(getClient(), new DescribeMetricFiltersCommand(input as never));
      // The organization trail's group is in the management account only.
      if (input.logGroupName !== group) return out;
      return { ...out, metricFilters: (out.metricFilters ?? []).map((f: MetricFilter) => (f.filterName === name ? { ...f, ...fields(org) } : f)) };
    });
    return async () => {
      logs.restore();
      await undo();
    };
  };
}

// ---- CloudWatch alarms ----------------------------------------------------------------------

/** What PutMetricAlarm takes back of a described alarm (API_MetricAlarm.html → API_PutMetricAlarm.html). */
function alarmProps(a: MetricAlarm): Record<string, unknown> {
  const props: Record<string, unknown> = {
    AlarmName: a.AlarmName,
    AlarmDescription: a.AlarmDescription,
    ActionsEnabled: a.ActionsEnabled,
    AlarmActions: a.AlarmActions,
    OKActions: a.OKActions?.length ? a.OKActions : undefined,
    InsufficientDataActions: a.InsufficientDataActions?.length ? a.InsufficientDataActions : undefined,
    EvaluationPeriods: a.EvaluationPeriods,
    DatapointsToAlarm: a.DatapointsToAlarm,
    Threshold: a.Threshold,
    ComparisonOperator: a.ComparisonOperator,
    TreatMissingData: a.TreatMissingData,
    Namespace: a.Namespace,
    MetricName: a.MetricName,
    Statistic: a.Statistic,
    ExtendedStatistic: a.ExtendedStatistic,
    Period: a.Period,
    Unit: a.Unit,
    Dimensions: a.Dimensions?.length ? a.Dimensions : undefined,
    Metrics: a.Metrics?.length ? a.Metrics : undefined,
  };
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

/** A management-account alarm rewritten by PutMetricAlarm (which replaces the whole alarm), the original put back after. */
function orgAlarm(name: (org: HealthyOrg) => string, change: (a: MetricAlarm, org: HealthyOrg) => object) {
  return async (org: HealthyOrg) => {
    const cw = await org.accounts.client(CloudWatchClient, management(org));
    const AlarmName = `${PREFIX}-org-${name(org)}`;
    const before = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [AlarmName] }))).MetricAlarms![0];
    await cw.send(new PutMetricAlarmCommand({ ...alarmProps(before), ...change(before, org) } as never));
    return () => cw.send(new PutMetricAlarmCommand(alarmProps(before) as never));
  };
}

/** The off-hours alarm with one of its metric-math queries changed. */
const offHoursQuery = (id: string, change: (q: any, org: HealthyOrg) => object) =>
  orgAlarm(
    () => 'console-signin-outside-business-hours',
    (a, org) => ({ Metrics: a.Metrics!.map((q) => (q.Id === id ? { ...q, ...change(q, org) } : q)) }),
  );

// ---- CloudTrail -----------------------------------------------------------------------------

const ct = (org: HealthyOrg, account: string) => org.accounts.client(CloudTrailClient, account);

/** The organization trail's selectors as the baseline writes them (modules/cloudtrail/event-selectors.ts). */
export const orgSelectors = (org: HealthyOrg) => [
  { Name: 'Management events selector', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
  {
    Name: 'S3 object-level events on the listed buckets',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'resources.ARN', StartsWith: org.config.trail.dataEvents.s3.map((a) => `${a}/`) },
    ] as Record<string, unknown>[],
  },
  ...networkActivityApiSelectors(org.config),
];
/** The organization trail's S3 data-event selector given one more field selector. */
function orgDataSelector(extra: (org: HealthyOrg) => (fs: Record<string, unknown>[]) => Record<string, unknown>[]) {
  return async (org: HealthyOrg) => {
    const client = await ct(org, management(org));
    const TrailName = orgTrailName(org.config);
    const selectors = orgSelectors(org);
    selectors[1].FieldSelectors = extra(org)(selectors[1].FieldSelectors);
    await unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: selectors as never }));
    return () => unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: orgSelectors(org) as never }));
  };
}

/** The account trail's selectors replaced; the baseline's (the management selector alone, stacks/member-stack.ts) put back after. */
function accountSelectors(selectors: object[]) {
  return async (org: HealthyOrg) => {
    const client = await ct(org, workload(org));
    const TrailName = accountTrailName(org.config);
    await unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: selectors as never }));
    return () => unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: [orgSelectors(org)[0]] as never }));
  };
}

/**
 * GetTrailStatus of one trail, as the fixture's mock answers it (asked by name, which the mock's
 * ARN matcher does not catch), then `change`d: what AWS reports after the tampering.
 */
function trailStatus(org: HealthyOrg, arn: string, name: string, change: (out: any) => object = (out) => out) {
  org.mocks.cloudTrail.on(GetTrailStatusCommand, { Name: arn }).callsFake(async (_input: unknown, getClient: () => any) => change(await getClient().send(new GetTrailStatusCommand({ Name: name }))));
}

// ---- AWS Config -----------------------------------------------------------------------------

const cfg = (org: HealthyOrg) => org.accounts.client(ConfigServiceClient, workload(org), HOME);
const configItem = (control: string, resource: (org: HealthyOrg) => string) => (org: HealthyOrg) => [`${control}/${workload(org)}/${HOME}/${resource(org)}`];
const ruleItem = (name: string) => configItem(`config-rule.${name}`, () => name);

/** A baseline rule of the workload account redefined under its name (PutConfigRule replaces it), the baseline's put back after. */
function rule(name: string, edit: (r: Record<string, any>) => Record<string, any>) {
  return async (org: HealthyOrg) => {
    const r = SOC2_LOGGING_PACK.find((x) => x.name === name)!;
    const params = r.parameters?.(org.config);
    const baseline = { ConfigRuleName: r.name, Source: { Owner: 'AWS', SourceIdentifier: r.identifier }, InputParameters: params && Object.keys(params).length ? JSON.stringify(params) : undefined };
    const client = await cfg(org);
    await unmocked(client, new PutConfigRuleCommand({ ConfigRule: edit(baseline) as never }));
    return () => unmocked(client, new PutConfigRuleCommand({ ConfigRule: baseline as never }));
  };
}

/** The workload account's delivery channel re-put with `extra`, as modules/config-recorder writes it after. */
function channel(extra: (org: HealthyOrg) => object) {
  return async (org: HealthyOrg) => {
    const put = (more: object) =>
      cfg(org).then((client) =>
        unmocked(
          client,
          new PutDeliveryChannelCommand({
            DeliveryChannel: { name: recorderName(org.config, HOME), s3BucketName: logBucketName(org.config, 'config'), configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' }, ...more },
          }),
        ),
      );
    await put(extra(org));
    return () => put({});
  };
}

// ---- VPC flow logs --------------------------------------------------------------------------

/** The format DescribeFlowLogs reports for the baseline's flow logs (Terraform reads `$${` as `${`). */
const baselineFormat = () => FLOW_LOG_FORMAT.replaceAll('$${', '${');

/** The workload account's VPC flow logs re-created with `LogFormat` (a flow log's format cannot be changed in place). */
async function recreateFlowLogs(org: HealthyOrg, LogFormat: string): Promise<void> {
  const ec2 = await org.accounts.client(EC2Client, workload(org), HOME);
  const logs = ((await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? []).filter((l) => l.ResourceId?.startsWith('vpc-'));
  await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: logs.map((l) => l.FlowLogId!) }));
  await ec2.send(
    new CreateFlowLogsCommand({
      ResourceIds: logs.map((l) => l.ResourceId!),
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: s3BucketArn(logBucketName(org.config, 'flowlogs')),
      LogFormat,
    }),
  );
}

export const MORE_TAMPERINGS: readonly Tampering[] = [
  // ---- CIS metric filters (W1, W2, W12) -----------------------------------------------------
  {
    what: "Make the organization trail's root-usage filter emit metricValue 0 (same pattern, same metric): the Sum >= 1 alarm never fires",
    call: 'logs:PutMetricFilter',
    controls: ['cis.root-account-usage'],
    fails: cisItem('root-account-usage'),
    reason: /filter acme-soc2-org-root-account-usage metricValue is 0, not 1/,
    apply: orgFilter(() => cisFilter('root-account-usage'), { transformation: { metricValue: '0' } }),
  },
  {
    what: "Give the organization trail's CloudTrail-changes filter a dimension (eventName): the alarm's dimensionless metric gets no datapoint",
    call: 'logs:PutMetricFilter',
    controls: ['cis.cloudtrail-changes'],
    fails: cisItem('cloudtrail-changes'),
    reason: /filter acme-soc2-org-cloudtrail-changes adds dimension\(s\) EventName=\$\.eventName/,
    apply: orgFilter(() => cisFilter('cloudtrail-changes'), { transformation: { dimensions: { EventName: '$.eventName' } } }),
  },
  {
    what: "Re-put the organization trail's root-usage filter with a fieldSelectionCriteria leaving a member account out",
    call: 'logs:PutMetricFilter',
    controls: ['cis.root-account-usage'],
    fails: cisItem('root-account-usage'),
    reason: /filter acme-soc2-org-root-account-usage has fieldSelectionCriteria @aws\.account != "\d{12}": the events it leaves out are never counted/,
    apply: orgFilterFieldsMotoDrops('root-account-usage', (org) => ({ fieldSelectionCriteria: `@aws.account != "${workload(org)}"` })),
  },
  // ---- CIS, break-glass and route-tampering alarms (W3-W8) ----------------------------------
  {
    what: "Give the organization trail's CloudTrail-changes alarm Unit Seconds (the filter's datapoints have none)",
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['cis.cloudtrail-changes'],
    fails: cisItem('cloudtrail-changes'),
    reason: /alarm acme-soc2-org-cloudtrail-changes has Unit Seconds/,
    apply: orgAlarm(() => 'cloudtrail-changes', () => ({ Unit: 'Seconds' })),
  },
  {
    what: 'Make the KMS key-deletion alarm need 3 of 3 five-minute periods (one event never alarms)',
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['cis.kms-key-disable-or-deletion'],
    fails: cisItem('kms-key-disable-or-deletion'),
    reason: /alarm acme-soc2-org-kms-key-disable-or-deletion EvaluationPeriods is 3, not 1; alarm acme-soc2-org-kms-key-disable-or-deletion DatapointsToAlarm is 3, not 1/,
    apply: orgAlarm(() => 'kms-key-disable-or-deletion', () => ({ EvaluationPeriods: 3, DatapointsToAlarm: 3 })),
  },
  {
    what: 'Make the IAM-policy-changes alarm watch its metric with a dimension the filter never emits',
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['cis.iam-policy-changes'],
    fails: cisItem('iam-policy-changes'),
    reason: /alarm acme-soc2-org-iam-policy-changes watches the metric with Dimensions Account=\d{12}, which the filter never emits/,
    apply: orgAlarm(() => 'iam-policy-changes', (_a, org) => ({ Dimensions: [{ Name: 'Account', Value: management(org) }] })),
  },
  {
    what: 'Make the Config-changes alarm the Minimum over one day',
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['cis.config-changes'],
    fails: cisItem('config-changes'),
    reason: /alarm acme-soc2-org-config-changes Statistic is Minimum, not Sum; alarm acme-soc2-org-config-changes Period is 86400 seconds, not 300/,
    apply: orgAlarm(() => 'config-changes', () => ({ Statistic: 'Minimum', Period: 86400 })),
  },
  {
    what: 'Raise the break-glass alarm threshold to 1000 uses',
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['guardrails.break-glass-alarm'],
    fails: orgItem('guardrails.break-glass-alarm', (org) => breakGlass(org).id),
    reason: /alarm acme-soc2-org-\S+ fires on GreaterThanOrEqualToThreshold 1000, not GreaterThanOrEqualToThreshold 1/,
    apply: orgAlarm((org) => breakGlass(org).id, () => ({ Threshold: 1000 })),
  },
  {
    what: 'Make the break-glass alarm fire on fewer than 0 uses (never)',
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['guardrails.break-glass-alarm'],
    fails: orgItem('guardrails.break-glass-alarm', (org) => breakGlass(org).id),
    reason: /alarm acme-soc2-org-\S+ fires on LessThanThreshold 0, not GreaterThanOrEqualToThreshold 1/,
    apply: orgAlarm((org) => breakGlass(org).id, () => ({ ComparisonOperator: 'LessThanThreshold', Threshold: 0 })),
  },
  {
    what: 'Make the route-tampering alarm sum over one day (it fires up to a day late)',
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['alerting.route-tampering-alarm'],
    fails: orgItem('alerting.route-tampering-alarm', () => ROUTE_TAMPERING_ALARM_ID),
    reason: /alarm acme-soc2-org-alert-route-tampering Period is 86400 seconds, not 300/,
    apply: orgAlarm(() => ROUTE_TAMPERING_ALARM_ID, () => ({ Period: 86400 })),
  },
  {
    // Issue #22: the management account's silent paths are watched by the route-tampering family; a
    // rewrite of one of its filters (here the one on the trails' event selectors) is judged by its exact pattern.
    what: "Rewrite the route-tampering 'trail' filter to watch no trail of the baseline",
    call: 'logs:PutMetricFilter',
    controls: ['alerting.route-tampering-alarm'],
    fails: orgItem('alerting.route-tampering-alarm', () => ROUTE_TAMPERING_ALARM_ID),
    reason: /filter acme-soc2-org-alert-route-tampering-trail pattern differs from the baseline's pattern/,
    apply: async (org) => {
      const logs = await org.accounts.client(CloudWatchLogsClient, management(org));
      const f = alertRouteTamperingFilters(org.config.organization.namePrefix, routeTamperingExemptRole(org.config.guardrails)).find((x) => x.id.endsWith('-trail'))!;
      const put = (filterPattern: string) =>
        logs.send(
          new PutMetricFilterCommand({
            logGroupName: orgTrailLogGroupName(org.config),
            filterName: `${PREFIX}-org-${f.id}`,
            filterPattern,
            metricTransformations: [{ metricName: f.metricName, metricNamespace: ns(org), metricValue: '1' }],
          }),
        );
      await put(f.pattern.replace(`"*${PREFIX}-*"`, '"nothing-*"'));
      return () => put(f.pattern);
    },
  },
  // ---- The off-hours alarm's metric math (W9, W10) ------------------------------------------
  {
    what: 'Rewrite the off-hours alarm expression so that no hour is outside business hours',
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['cis.console-signin-outside-business-hours'],
    fails: cisItem('console-signin-outside-business-hours'),
    reason: /alarm acme-soc2-org-console-signin-outside-business-hours query outsidehours Expression is "IF\(HOUR\(signins\) < 0, signins, 0\)", not "IF\(/,
    apply: offHoursQuery('outsidehours', () => ({ Expression: 'IF(HOUR(signins) < 0, signins, 0)' })),
  },
  {
    what: 'Make the off-hours alarm count ConsoleSignInSuccess of another namespace (AWS/Usage)',
    call: 'cloudwatch:PutMetricAlarm',
    controls: ['cis.console-signin-outside-business-hours'],
    fails: cisItem('console-signin-outside-business-hours'),
    reason: /alarm acme-soc2-org-console-signin-outside-business-hours query signins reads AWS\/Usage\/ConsoleSignInSuccess, not CISBenchmark\/ConsoleSignInSuccess/,
    apply: offHoursQuery('signins', (q) => ({ MetricStat: { ...q.MetricStat, Metric: { ...q.MetricStat.Metric, Namespace: 'AWS/Usage' } } })),
  },
  // ---- The organization trail's selectors (C1-C4) and its settings --------------------------
  {
    // Basic selectors replace the advanced ones, and cannot select network activity events: those go too.
    what: 'Exclude KMS management events from the organization trail (basic selector, ExcludeManagementEventSources)',
    call: 'cloudtrail:PutEventSelectors',
    controls: ['cloudtrail.data-events', 'cloudtrail.network-activity-events'],
    fails: (org) => [`cloudtrail.data-events/${management(org)}/${HOME}/${orgTrailArn(org.config)}`, `cloudtrail.network-activity-events/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /a basic selector excludes the management events of kms\.amazonaws\.com \(ExcludeManagementEventSources\)|no network activity selector for kms\.amazonaws\.com/,
    apply: async (org) => {
      const client = await ct(org, management(org));
      const TrailName = orgTrailName(org.config);
      const EventSelectors = [
        {
          ReadWriteType: 'All' as const,
          IncludeManagementEvents: true,
          ExcludeManagementEventSources: ['kms.amazonaws.com'],
          DataResources: [{ Type: 'AWS::S3::Object', Values: org.config.trail.dataEvents.s3.map((a) => `${a}/`) }],
        },
      ];
      await unmocked(client, new PutEventSelectorsCommand({ TrailName, EventSelectors }));
      // moto keeps the advanced selectors beside the basic ones; AWS replaces them (API_PutEventSelectors.html).
      const arn = orgTrailArn(org.config);
      org.mocks.cloudTrail.on(GetEventSelectorsCommand, { TrailName: arn }).resolves({ TrailARN: arn, EventSelectors });
      return async () => {
        org.mocks.cloudTrail.on(GetEventSelectorsCommand, { TrailName: arn }).callsFake((input: unknown, getClient: () => object) => unmocked(getClient(), new GetEventSelectorsCommand(input as never)));
        // Advanced selectors replace the basic ones in moto too.
        await unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: orgSelectors(org) as never }));
      };
    },
  },
  {
    // Issue #22: in the management account no SCP stops this call; the route-tampering 'trail' filter
    // counts it, and the binder compares the selectors with the baseline's (API_PutEventSelectors.html:
    // AdvancedEventSelectors replace the trail's selectors; API_AdvancedFieldSelector.html: readOnly).
    what: 'Narrow the organization trail to read-only management events (readOnly Equals [true] on its management selector)',
    call: 'cloudtrail:PutEventSelectors',
    controls: ['cloudtrail.data-events'],
    fails: (org) => [`cloudtrail.data-events/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /management selector "Management events selector" also filters on readOnly Equals \[true\]: the events it leaves out are not logged; no selector records every management event \(read and write\)/,
    apply: async (org) => {
      const client = await ct(org, management(org));
      const TrailName = orgTrailName(org.config);
      const selectors = orgSelectors(org);
      selectors[0].FieldSelectors = [...selectors[0].FieldSelectors, { Field: 'readOnly', Equals: ['true'] }];
      await unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: selectors as never }));
      return () => unmocked(client, new PutEventSelectorsCommand({ TrailName, AdvancedEventSelectors: orgSelectors(org) as never }));
    },
  },
  {
    what: "Record only the read-only S3 data events of the customer buckets (readOnly Equals [true] on the trail's data selector)",
    call: 'cloudtrail:PutEventSelectors',
    controls: ['cloudtrail.data-events'],
    fails: (org) => [`cloudtrail.data-events/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /selector "S3 object-level events on the listed buckets" filters on readOnly Equals \[true\]: the events it leaves out are not logged/,
    apply: orgDataSelector(() => (fs) => [...fs, { Field: 'readOnly', Equals: ['true'] }]),
  },
  {
    what: "Leave DeleteObject and PutObject out of the trail's S3 data events (eventName NotEquals)",
    call: 'cloudtrail:PutEventSelectors',
    controls: ['cloudtrail.data-events'],
    fails: (org) => [`cloudtrail.data-events/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /selector "S3 object-level events on the listed buckets" filters on eventName NotEquals \[DeleteObject, PutObject\]/,
    apply: orgDataSelector(() => (fs) => [...fs, { Field: 'eventName', NotEquals: ['DeleteObject', 'PutObject'] }]),
  },
  {
    what: "Leave one prefix of the customer bucket out of the trail's S3 data events (resources.ARN NotStartsWith)",
    call: 'cloudtrail:PutEventSelectors',
    controls: ['cloudtrail.data-events'],
    fails: (org) => [`cloudtrail.data-events/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /selector "S3 object-level events on the listed buckets" filters on resources\.ARN NotStartsWith \[arn:aws:s3:::\S+\/exports\/\]/,
    apply: orgDataSelector((org) => (fs) => fs.map((f) => (f.Field === 'resources.ARN' ? { ...f, NotStartsWith: org.config.trail.dataEvents.s3.map((a) => `${a}/exports/`) } : f))),
  },
  {
    what: 'Move the organization trail under an S3 key prefix (scratch/AWSLogs/...)',
    call: 'cloudtrail:UpdateTrail',
    controls: ['cloudtrail.organization-trail'],
    fails: (org) => [`cloudtrail.organization-trail/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /S3KeyPrefix is scratch, not none/,
    apply: async (org) => {
      const client = await ct(org, management(org));
      const Name = orgTrailName(org.config);
      await unmocked(client, new UpdateTrailCommand({ Name, S3KeyPrefix: 'scratch' }));
      // An empty S3KeyPrefix removes it (API_UpdateTrail.html); moto keeps "" and reports it.
      return () => unmocked(client, new UpdateTrailCommand({ Name, S3KeyPrefix: '' }));
    },
  },
  {
    what: "Swap the organization trail's CloudWatch Logs role for another role of the account",
    call: 'cloudtrail:UpdateTrail',
    controls: ['cloudtrail.cloudwatch-logs-delivery'],
    fails: (org) => [`cloudtrail.cloudwatch-logs-delivery/${management(org)}/${HOME}/${orgTrailArn(org.config)}`],
    reason: /CloudWatchLogsRoleArn is arn:aws:iam::\d{12}:role\/ReadOnly, not the baseline's arn:aws:iam::\d{12}:role\/acme-soc2-org-trail-to-cloudwatch-logs/,
    apply: async (org) => {
      const client = await ct(org, management(org));
      const Name = orgTrailName(org.config);
      const group = `arn:aws:logs:${HOME}:${management(org)}:log-group:${orgTrailLogGroupName(org.config)}:*`;
      const put = (role: string) => unmocked(client, new UpdateTrailCommand({ Name, CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: `arn:aws:iam::${management(org)}:role/${role}` }));
      await put('ReadOnly');
      return () => put(`${Name}-to-cloudwatch-logs`);
    },
  },
  // ---- A member's own trail (C6-C8) ---------------------------------------------------------
  {
    what: "Make a member's own trail record read-only management events only (readOnly Equals [true])",
    call: 'cloudtrail:PutEventSelectors',
    controls: ['cloudtrail.account-trails'],
    fails: (org) => [`cloudtrail.account-trails/${workload(org)}/${HOME}/${accountTrailArn(org.config, workload(org))}`],
    reason: /management selector "m" also filters on readOnly Equals \[true\]: the events it leaves out are not logged; no selector records every management event/,
    apply: accountSelectors([{ Name: 'm', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }]),
  },
  {
    what: "Make a member's own trail record data events only (its management selector removed)",
    call: 'cloudtrail:PutEventSelectors',
    controls: ['cloudtrail.account-trails'],
    fails: (org) => [`cloudtrail.account-trails/${workload(org)}/${HOME}/${accountTrailArn(org.config, workload(org))}`],
    reason: /no selector records every management event \(read and write\)/,
    apply: accountSelectors([
      { Name: 'd', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::nothing-here/'] }] },
    ]),
  },
  {
    what: "Swap a member trail's CloudWatch Logs role for one that cannot write (CloudTrail then reports the delivery error)",
    call: 'cloudtrail:UpdateTrail',
    controls: ['cloudtrail.account-trails'],
    fails: (org) => [`cloudtrail.account-trails/${workload(org)}/${HOME}/${accountTrailArn(org.config, workload(org))}`],
    reason: /CloudWatchLogsRoleArn is arn:aws:iam::\d{12}:role\/ReadOnly, not the baseline's arn:aws:iam::\d{12}:role\/acme-soc2-account-trail-to-cloudwatch-logs; LatestCloudWatchLogsDeliveryError: AccessDeniedException/,
    apply: async (org) => {
      const client = await ct(org, workload(org));
      const Name = accountTrailName(org.config);
      const arn = accountTrailArn(org.config, workload(org));
      const group = `arn:aws:logs:${HOME}:${workload(org)}:log-group:${accountTrailLogGroupName(org.config)}:*`;
      const put = (role: string) => unmocked(client, new UpdateTrailCommand({ Name, CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: `arn:aws:iam::${workload(org)}:role/${role}` }));
      await put('ReadOnly');
      // What GetTrailStatus reports once CloudTrail fails to write with that role (API_GetTrailStatus.html).
      trailStatus(org, arn, Name, (out) => ({
        ...out,
        LatestCloudWatchLogsDeliveryTime: new Date(org.clock.getTime() - 30 * 86_400_000),
        LatestCloudWatchLogsDeliveryError: 'AccessDeniedException: not authorized to perform logs:PutLogEvents',
      }));
      return async () => {
        await put(`${Name}-to-cloudwatch-logs`);
        trailStatus(org, arn, Name);
      };
    },
  },
  // ---- AWS Config rules, channel and recorder (F1-F6) ---------------------------------------
  {
    what: 'Redefine the cloudtrail-enabled rule (same name) to evaluate S3_BUCKET_VERSIONING_ENABLED',
    call: 'config:PutConfigRule',
    controls: ['config-rule.cloudtrail-enabled'],
    fails: ruleItem('cloudtrail-enabled'),
    reason: /rule cloudtrail-enabled evaluates AWS S3_BUCKET_VERSIONING_ENABLED, not the AWS managed rule CLOUD_TRAIL_ENABLED/,
    apply: rule('cloudtrail-enabled', (r) => ({ ...r, Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_VERSIONING_ENABLED' } })),
  },
  {
    what: 'Scope the cloudwatch-log-group-encrypted rule to one log group that does not exist',
    call: 'config:PutConfigRule',
    controls: ['config-rule.cloudwatch-log-group-encrypted'],
    fails: ruleItem('cloudwatch-log-group-encrypted'),
    reason: /rule cloudwatch-log-group-encrypted is scoped to \{.*"ComplianceResourceId":"no-such-group".*\}: the baseline's evaluates every resource of its types/,
    apply: rule('cloudwatch-log-group-encrypted', (r) => ({ ...r, Scope: { ComplianceResourceTypes: ['AWS::Logs::LogGroup'], ComplianceResourceId: 'no-such-group' } })),
  },
  {
    what: 'Give the cw-loggroup-retention-period-check rule MinRetentionTime 1 day',
    call: 'config:PutConfigRule',
    controls: ['config-rule.cw-loggroup-retention-period-check'],
    fails: ruleItem('cw-loggroup-retention-period-check'),
    reason: /rule cw-loggroup-retention-period-check InputParameters are \{"MinRetentionTime":"1"\}, not \{"MinRetentionTime":"\d+"\}/,
    apply: rule('cw-loggroup-retention-period-check', (r) => ({ ...r, InputParameters: JSON.stringify({ MinRetentionTime: '1' }) })),
  },
  {
    what: "Encrypt a member's Config deliveries with the admin's own KMS key (s3KmsKeyArn)",
    call: 'config:PutDeliveryChannel',
    controls: ['config.delivery-channel'],
    fails: configItem('config.delivery-channel', (org) => recorderName(org.config, HOME)),
    reason: /s3KmsKeyArn is arn:aws:kms:us-east-1:\d{12}:key\/99999999-9999-9999-9999-999999999999, not none/,
    apply: channel((org) => ({ s3KmsKeyArn: `arn:aws:kms:${HOME}:${workload(org)}:key/99999999-9999-9999-9999-999999999999` })),
  },
  {
    what: "Deliver a member's Config files under another prefix (s3KeyPrefix scratch)",
    call: 'config:PutDeliveryChannel',
    controls: ['config.delivery-channel'],
    fails: configItem('config.delivery-channel', (org) => recorderName(org.config, HOME)),
    reason: /s3KeyPrefix is scratch, not none/,
    apply: channel(() => ({ s3KeyPrefix: 'scratch' })),
  },
  {
    what: "Record a member's IAM roles, users and policies once a day only (recordingModeOverrides DAILY)",
    call: 'config:PutConfigurationRecorder',
    controls: ['config.recorder'],
    fails: configItem('config.recorder', (org) => recorderName(org.config, HOME)),
    reason: /recordingModeOverrides: AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Policy recorded DAILY \("cost"\), not CONTINUOUS as every other type/,
    apply: async (org) => {
      // moto 5.1 keeps no recordingMode: DescribeConfigurationRecorders answers as AWS would after the
      // call (ConfigurationRecorder.recordingMode, API_RecordingMode.html, API_RecordingModeOverride.html).
      const passthrough = (input: unknown, getClient: () => object) => unmocked(getClient(), new DescribeConfigurationRecordersCommand(input as never));
      org.mocks.config.on(DescribeConfigurationRecordersCommand).callsFake(async (input: unknown, getClient: () => any) => {
        const real = await passthrough(input, getClient);
        const region = await getClient().config.region();
        const recorder = real.ConfigurationRecorders?.[0];
        const account = (recorder?.roleARN ?? '').split(':')[4];
        if (account !== workload(org) || region !== HOME) return real;
        const recordingModeOverrides = [{ description: 'cost', resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Policy'], recordingFrequency: 'DAILY' }];
        return { ConfigurationRecorders: [{ ...recorder, recordingMode: { recordingFrequency: 'CONTINUOUS', recordingModeOverrides } }] };
      });
      return async () => org.mocks.config.on(DescribeConfigurationRecordersCommand).callsFake(passthrough);
    },
  },
  // ---- VPC flow logs (V1) -------------------------------------------------------------------
  {
    what: "Re-create a member's VPC flow log with a custom LogFormat of version, account and interface only",
    call: 'ec2:CreateFlowLogs (after DeleteFlowLogs: a flow log cannot be changed in place)',
    controls: ['vpc.flow-logs'],
    fails: (org) => [`vpc.flow-logs/${workload(org)}/${HOME}`],
    reason: /vpc-[0-9a-f]+: flow log fl-[0-9a-f]+ LogFormat is '\$\{version\} \$\{account-id\} \$\{interface-id\}', not the baseline's version-5 format/,
    apply: async (org) => {
      await recreateFlowLogs(org, '${version} ${account-id} ${interface-id}');
      return () => recreateFlowLogs(org, baselineFormat());
    },
  },
];
