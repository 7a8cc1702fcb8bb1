/**
 * An IAM Access Analyzer analyzer deleted or replaced. `aws_accessanalyzer_analyzer`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/accessanalyzer_analyzer).
 */
import { ACCESS_ANALYZER } from '../../modules/security-services/controls';
import { destroyRule } from './rule';

export const ACCESS_ANALYZER_DESTROYED = destroyRule({
  id: 'access-analyzer-destroyed',
  title: 'An Access Analyzer analyzer is deleted or replaced',
  controls: [ACCESS_ANALYZER],
  resourceTypes: ['aws_accessanalyzer_analyzer'],
  what: 'the Access Analyzer analyzer',
  why: 'external access to the organization\'s resources stops being analyzed, and its findings are deleted with it',
});
