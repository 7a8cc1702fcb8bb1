/**
 * A VPC flow log that records only accepted or only rejected traffic. `aws_flow_log.traffic_type`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/flow_log#traffic_type):
 * "ACCEPT", "REJECT" or "ALL". The baseline records ALL: narrowing it drops part of the network evidence.
 */
import { VPC_FLOW_LOGS } from '../../modules/flow-logs/controls';
import type { PlannedChange } from '../plan';
import { comparesValues, show, unknownAfter } from '../values';
import { defineRule } from './rule';

export const FLOW_LOG_TRAFFIC_NARROWED = defineRule({
  id: 'flow-log-traffic-narrowed',
  title: 'A VPC flow log records less traffic',
  controls: [VPC_FLOW_LOGS],
  resourceTypes: ['aws_flow_log'],
  check(change: PlannedChange) {
    if (!comparesValues(change) || change.before!.traffic_type !== 'ALL') return [];
    if (unknownAfter(change, ['traffic_type'])) return ['traffic_type: "ALL" → known only after apply'];
    const after = change.after?.traffic_type;
    return after === 'ALL' ? [] : [`traffic_type: "ALL" → ${show(after)}`];
  },
});
