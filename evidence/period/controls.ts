/**
 * The audit period's controls: what people did with the alarms, findings and compliance changes the
 * baseline raised over the period, and that the logs were used. No stack deploys them (they are
 * operated, not built), so they are declared here, beside the checks that judge them, and are not in
 * the control matrix of deployed resources (controls/catalog.ts); the binder lists them with the
 * catalog's controls (evidence/controls.ts).
 */
import { defineControl, type ControlDeclaration } from '../../modules/control-model/control';

export const PERIOD_ALARM_RESPONSE = defineControl({
  id: 'period.alarm-response',
  title: "The baseline's alarms over the audit period: each entry into ALARM notified, none changed, none stuck in ALARM",
  description:
    "Every alarm of the baseline (CIS, guardrails, alert-route watchdogs) keeps its state changes, the actions it executed and the changes made to it (CloudWatch alarm history, and the baseline's alarm history record for the state changes CloudWatch no longer keeps); over the period each entry into ALARM must have notified each of the alarm's topics, no alarm may have been changed, deleted or silenced, and none may have stayed in ALARM longer than alerts.triage.alarmAcknowledgeHours.",
  tsc: ['CC7.3', 'CC7.2', 'CC4.2'],
  evidence: {
    api: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory', 'logs:DescribeLogGroups', 'logs:FilterLogEvents'],
    command: 'aws cloudwatch describe-alarm-history --alarm-name <alarm> --start-date <from> --end-date <to>',
    lookFor:
      "Notified: each entry into ALARM that CloudWatch's alarm history still covers has a successful Action on each of the alarm's baseline topics within 5 minutes, and no action of the period went to any other target or failed; an entry older than that history is known from the alarm history record alone and is listed as reaching the central alarm bus, its notification not verifiable. Not changed: every baseline alarm exists now with its actions enabled, and none had a ConfigurationUpdate (changed, deleted, re-created, actions disabled) in the period. Not stuck: no alarm stayed in ALARM longer than alerts.triage.alarmAcknowledgeHours (an episode still open at the period's end counts up to then). The record is complete for the period and holds every state change CloudWatch's history holds.",
    notJudged:
      "Whether anyone acted on an alarm: the CIS alarms treat missing data as not breaching, so they return to OK one period after the last matching event whether or not anyone looked; a return to OK shows the alarm was not stuck, not that a person responded (the incident record is where that shows). Who made a configuration change: the item lists the changes, CloudTrail (baseline investigate logging-changes) tells the pipeline's applies from anyone else's. Notifications the SNS topic failed to deliver onward (the route's own watchdog alarms judge those), and, for entries older than CloudWatch's alarm history, whether the central rule published them.",
  },
});

export const PERIOD_FINDING_TRIAGE = defineControl({
  id: 'period.finding-triage',
  title: 'Findings created in the audit period: triaged within the window, and all of them reached Security Hub',
  description:
    "GuardDuty, Macie and IAM Access Analyzer findings reach Security Hub, whose workflow status records their triage; a HIGH or CRITICAL finding must leave NEW within alerts.triage.findingTriageHours, and GuardDuty's own count of the period's findings must match Security Hub's, or the integration is broken and the triage record incomplete.",
  tsc: ['CC7.3', 'CC7.2', 'CC4.2'],
  evidence: {
    api: ['securityhub:GetFindings', 'securityhub:GetFindingHistory', 'guardduty:ListDetectors', 'guardduty:ListFindings', 'guardduty:GetFindings'],
    command: 'aws securityhub get-findings --filters \'{"CreatedAt":[{"Start":"<from>","End":"<to>"}],"ProductName":[{"Value":"GuardDuty","Comparison":"EQUALS"}]}\'',
    lookFor:
      "No HIGH or CRITICAL finding created in the period whose first workflow change out of NEW came more than alerts.triage.findingTriageHours after its creation, or that is still NEW after that long; one that left NEW with no workflow change in its history (GetFindingHistory, at most 90 days from creation) is ERROR, as is a period starting more than 90 days before the run (Security Hub deletes a finding 90 days after its last update, GuardDuty keeps findings 90 days); every GuardDuty finding created in the period (GuardDuty's own ListFindings, every governed Region) is in Security Hub; each finding listed with its severity, workflow status and the time to its first workflow change.",
    notJudged:
      'Whether a workflow change was a real review (someone may set NOTIFIED without looking); a change a suppression or automation rule made counts as triage when the history shows it. The time to the first workflow change is read for HIGH and CRITICAL findings only (one GetFindingHistory call each). Macie and Access Analyzer counts are not cross-checked against their own APIs. Findings created more than 90 days before the run may be gone from both services: that part of a period is not covered.',
  },
});

export const PERIOD_CONFIG_COMPLIANCE = defineControl({
  id: 'period.config-compliance',
  title: 'AWS Config rule compliance at the end of the audit period (current state only)',
  description:
    "The organization aggregator's current evaluation results of the baseline's Config rules, per account and Region: the state at collection, which stands for the end of the period when the period ends at the run (within 24 hours); the end of an earlier period cannot be judged from it.",
  tsc: ['CC7.1', 'CC4.2'],
  evidence: {
    api: ['config:DescribeAggregateComplianceByConfigRules', 'config:GetAggregateComplianceDetailsByConfigRule'],
    command:
      'aws configservice describe-aggregate-compliance-by-config-rules --configuration-aggregator-name <prefix>-organization --filters ComplianceType=NON_COMPLIANT, then for each rule it lists: aws configservice get-aggregate-compliance-details-by-config-rule --configuration-aggregator-name <prefix>-organization --config-rule-name <rule> --account-id <id> --aws-region <region> --compliance-type NON_COMPLIANT',
    lookFor:
      'No resource NON_COMPLIANT with a baseline rule at the end of the period, judged on the aggregator\'s current results when the period ends within 24 hours of the run (ERROR otherwise: current data cannot show a past state); the current evaluations are listed with rule, resource, compliance and the time each was last recorded.',
    notJudged:
      "What happened within the period: the aggregator keeps each resource's latest evaluation only, and a periodic rule records its result again at each run, so neither a noncompliance that came and went in the period nor how long a current one has stood is in its data. That history is each account's configuration history of AWS::Config::ResourceCompliance (GetResourceConfigHistory, per resource and account), not read here.",
  },
});

export const PERIOD_INVESTIGATION_SAMPLE = defineControl({
  id: 'period.investigation-sample',
  title: 'An investigation of the audit period run over the log archive',
  description:
    'A sample of one investigation (baseline investigate --format json) run over the log archive within the period, with its query, window, bytes scanned and result rows: evidence that the logs can be used, as the SOC 2 guides ask ("Sample CloudTrail log query results showing investigation of a specific event").',
  tsc: ['CC7.2', 'CC7.3', 'CC2.1'],
  evidence: {
    api: ['athena:GetQueryExecution', 'athena:GetQueryRuntimeStatistics'],
    command: 'baseline investigate <name> --from <from> --to <to> --format json --out sample.json && baseline evidence --investigation-sample sample.json ...',
    lookFor:
      "A sample is given (--investigation-sample), is an investigation run file of version 1, its window lies within the period, its SQL is the catalog's for this config with its window and parameters written in; Athena's record of the execution (GetQueryExecution, audit account, home Region) says it SUCCEEDED in the investigations workgroup and database and ran exactly that SQL (Query), scanning the bytes and completing when the file says. An execution Athena no longer has (it keeps 45 days of query history) is ERROR. Its query, window, bytes scanned and rows are shown.",
    notJudged:
      "Whether the sample's rows are what Athena returned: they are not compared with GetQueryResults (it reads the results from S3 with the caller's permissions, which the read-only reader role does not have), and the binder does not run the query again.",
  },
});

export const PERIOD_CONTROLS: readonly ControlDeclaration[] = [PERIOD_ALARM_RESPONSE, PERIOD_FINDING_TRIAGE, PERIOD_CONFIG_COMPLIANCE, PERIOD_INVESTIGATION_SAMPLE];
