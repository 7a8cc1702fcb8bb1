/**
 * A Macie classification job deleted or replaced. `aws_macie2_classification_job`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/macie2_classification_job):
 * the weekly scan of the listed buckets; a replaced job starts a new history of runs.
 */
import { MACIE_CLASSIFICATION_JOBS } from '../../modules/security-services/controls';
import { destroyRule } from './rule';

export const MACIE_JOB_DESTROYED = destroyRule({
  id: 'macie-job-destroyed',
  title: 'A Macie classification job is deleted or replaced',
  controls: [MACIE_CLASSIFICATION_JOBS],
  resourceTypes: ['aws_macie2_classification_job'],
  what: 'the classification job',
  why: 'the listed buckets are no longer scanned for sensitive data, and the job\'s run history is lost',
});
