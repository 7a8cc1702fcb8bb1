/**
 * What the `baseline investigate` tests share: an investigation with parameters of its own (the
 * catalog changes as investigations are added, so the tests that need parameters do not depend on it),
 * a clock inside the example config's retention, and an in-memory CliIo.
 */
import { join } from 'node:path';
import type { CliIo } from '../../bin/cli-command';
import type { Investigation } from '../../modules/investigations/investigation';

export const REPO = join(__dirname, '..', '..');
/** The example config: namePrefix acme-soc2, audit account 333333333333, home us-east-1, logArchiveDays 365. */
export const EXAMPLE_CONFIG = join(REPO, 'baseline.config.yaml');
export const AUDIT_ACCOUNT = '333333333333';
export const WORKGROUP = 'acme-soc2-investigations';
export const DATABASE = 'acme_soc2_investigations';
export const NOW = new Date('2026-11-20T12:00:00Z');

/** Reads `{from_day}`, `{to_day}`, `{from}`, `{to}` and two parameters, one of them twice. */
export const EVENTS_BY_NAME: Investigation = {
  name: 'events-by-name',
  title: 'Events by name',
  answers: 'Which calls of one name did one principal make?',
  parameters: [
    { name: 'event_name', description: 'The API action', example: 'DeleteTrail', pattern: /^[A-Za-z0-9]+$/ },
    { name: 'principal', description: "The caller's ARN", example: 'arn:aws:iam::111122223333:role/admin', pattern: /^arn:aws:[a-z]+::\d{12}:.+$/ },
  ],
  sql: (c) => `SELECT eventtime, eventname, useridentity.arn AS arn
FROM ${c.organizationTrailTable}
WHERE day BETWEEN {from_day} AND {to_day}
  AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp({from})
  AND from_iso8601_timestamp(eventtime) < from_iso8601_timestamp({to})
  AND eventname = {event_name}
  AND (useridentity.arn = {principal} OR useridentity.sessioncontext.sessionissuer.arn = {principal})
ORDER BY eventtime`,
  logsInsights: () => 'fields eventTime, eventName | filter eventName = "<event_name>"',
  fields: [],
};

/** The same declaration with no parameters besides the window. */
export const ALL_EVENTS: Investigation = {
  ...EVENTS_BY_NAME,
  name: 'all-events',
  title: 'All events',
  answers: 'What happened?',
  parameters: [],
  sql: (c) => `SELECT eventtime FROM ${c.organizationTrailTable} WHERE day BETWEEN {from_day} AND {to_day}`,
};

export interface TestIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

export function testIo(tty = false): TestIo {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), stderrIsTTY: tty };
}
