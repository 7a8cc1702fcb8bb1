/**
 * Tamperings of the RDS audit-logging rules (issue 23, seed 002), in the shape of tamperings.ts: an
 * admin of a member account deletes or redefines the Config rule that would report the databases whose
 * audit logs are off. Calls go to moto, which knows the three managed rule identifiers.
 */
import { ConfigServiceClient, DeleteConfigRuleCommand, PutConfigRuleCommand } from '@aws-sdk/client-config-service';
import type { HealthyOrg } from './healthy-org';
import { HOME, unmocked } from './org-fixture';
import type { Tampering } from './tamperings';

const workload = (org: HealthyOrg) => org.ids.workload;
const ruleItem = (name: string) => (org: HealthyOrg) => [`config-rule.${name}/${workload(org)}/${HOME}/${name}`];
const cfg = (org: HealthyOrg) => org.accounts.client(ConfigServiceClient, workload(org), HOME);
const put = (ConfigRuleName: string, SourceIdentifier: string) => new PutConfigRuleCommand({ ConfigRule: { ConfigRuleName, Source: { Owner: 'AWS', SourceIdentifier } } });

export const RDS_TAMPERINGS: readonly Tampering[] = [
  {
    what: "Delete a member's rds-logging-enabled Config rule",
    call: 'config:DeleteConfigRule',
    controls: ['config-rule.rds-logging-enabled'],
    fails: ruleItem('rds-logging-enabled'),
    reason: /rule rds-logging-enabled is not deployed/,
    apply: async (org) => {
      const client = await cfg(org);
      await unmocked(client, new DeleteConfigRuleCommand({ ConfigRuleName: 'rds-logging-enabled' }));
      return () => unmocked(client, put('rds-logging-enabled', 'RDS_LOGGING_ENABLED'));
    },
  },
  {
    what: 'Redefine the rds-aurora-mysql-audit-logging-enabled rule (same name) to evaluate RDS_LOGGING_ENABLED',
    call: 'config:PutConfigRule',
    controls: ['config-rule.rds-aurora-mysql-audit-logging-enabled'],
    fails: ruleItem('rds-aurora-mysql-audit-logging-enabled'),
    reason: /rule rds-aurora-mysql-audit-logging-enabled evaluates AWS RDS_LOGGING_ENABLED, not the AWS managed rule RDS_AURORA_MYSQL_AUDIT_LOGGING_ENABLED/,
    apply: async (org) => {
      const client = await cfg(org);
      await unmocked(client, put('rds-aurora-mysql-audit-logging-enabled', 'RDS_LOGGING_ENABLED'));
      return () => unmocked(client, put('rds-aurora-mysql-audit-logging-enabled', 'RDS_AURORA_MYSQL_AUDIT_LOGGING_ENABLED'));
    },
  },
];
