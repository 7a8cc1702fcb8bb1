/**
 * Centralized root access turned off, in whole or in part. `aws_iam_organizations_features.enabled_features`
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_organizations_features#enabled_features):
 * `RootCredentialsManagement` and `RootSessions`; the resource's deletion disables the features it
 * managed (the provider calls DisableOrganizationsRootCredentialsManagement and
 * DisableOrganizationsRootSessions for each on delete: internal/service/iam/organizations_features.go).
 */
import { CENTRALIZED_ROOT_ACCESS } from '../../modules/guardrails/controls';
import type { PlannedChange } from '../plan';
import { show, unknownAfter } from '../values';
import { defineRule } from './rule';

const features = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export const ROOT_ACCESS_NARROWED = defineRule({
  id: 'root-access-narrowed',
  title: 'A centralized root access feature is turned off',
  controls: [CENTRALIZED_ROOT_ACCESS],
  resourceTypes: ['aws_iam_organizations_features'],
  check(change: PlannedChange) {
    const before = features(change.before?.enabled_features);
    if (before.length === 0) return [];
    if (change.kind === 'delete' || change.kind === 'replace') {
      return [`the organization features resource is ${change.kind === 'delete' ? 'deleted' : 'replaced'}: ${before.join(', ')} turn off`];
    }
    if (change.kind !== 'update') return [];
    if (unknownAfter(change, ['enabled_features'])) return ['enabled_features is known only after apply, so the plan cannot show the features stay on'];
    const after = new Set(features(change.after?.enabled_features));
    return before.filter((f) => !after.has(f)).map((f) => `enabled_features: ${show(f)} is removed`);
  },
});
