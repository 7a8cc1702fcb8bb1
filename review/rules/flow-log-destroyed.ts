/** A VPC flow log deleted or replaced. `aws_flow_log` (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/flow_log). */
import { VPC_FLOW_LOGS } from '../../modules/flow-logs/controls';
import { destroyRule } from './rule';

export const FLOW_LOG_DESTROYED = destroyRule({
  id: 'flow-log-destroyed',
  title: 'A VPC flow log is deleted or replaced',
  controls: [VPC_FLOW_LOGS],
  resourceTypes: ['aws_flow_log'],
  what: 'the VPC flow log',
  why: 'the VPC\'s network traffic goes unrecorded until a flow log delivers again',
});
