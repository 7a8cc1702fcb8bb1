/**
 * CloudTrail log files as CloudTrail delivers them, and the table Athena makes of them, for Trino.
 *
 * Files: `AWSLogs/<org-id>/<account>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`,
 * each a gzip'd `{"Records":[...]}` (CloudTrail User Guide, "Finding your CloudTrail log files":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html, with the
 * organization id after AWSLogs for an organization trail; "CloudTrail log file examples", log file name
 * format: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html:
 * the date and time are the file's delivery, the unique string 16 characters).
 *
 * Table: what Athena's CloudTrail table reads from them. The partition keys come from the path as the
 * table's `storage.location.template` `.../AWSLogs/<org>/${account}/CloudTrail/${region}/${day}` does
 * (`day` is `yyyy/MM/dd`); each record of `Records` is a row (the CloudTrail input format); columns match
 * the record's keys case-insensitively (the JSON SerDe), structs keep their fields, and a column declared
 * `string` over a JSON object holds the object's JSON text (Athena User Guide, "Query AWS CloudTrail logs":
 * `requestParameters`, `responseElements`, `additionalEventData` and `serviceEventDetails` are strings read
 * with `json_extract`: https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sqlStringLiteral } from '../../modules/investigations/investigation';
import type { TableColumn } from '../../modules/investigations/cloudtrail-table';

export interface LogFile {
  readonly orgId: string;
  readonly account: string;
  readonly region: string;
  /** Delivery time, `YYYY-MM-DDTHH:mm`Z: the day folder and the name's time stamp. */
  readonly deliveredAt: string;
  readonly records: readonly Record<string, unknown>[];
}

let unique = 0;

/** Writes `file` under `root` at the path CloudTrail delivers it to; returns that path. */
export function writeLogFile(root: string, file: LogFile): string {
  const at = new Date(`${file.deliveredAt}:00Z`);
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(at.getUTCDate()).padStart(2, '0');
  const stamp = `${yyyy}${mm}${dd}T${String(at.getUTCHours()).padStart(2, '0')}${String(at.getUTCMinutes()).padStart(2, '0')}Z`;
  const dir = join(root, 'AWSLogs', file.orgId, file.account, 'CloudTrail', file.region, yyyy, mm, dd);
  mkdirSync(dir, { recursive: true });
  const name = `${file.account}_CloudTrail_${file.region}_${stamp}_${String(++unique).padStart(16, 'Q')}.json.gz`;
  const path = join(dir, name);
  writeFileSync(path, gzipSync(JSON.stringify({ Records: file.records })));
  return path;
}

const LOCATION = /^AWSLogs\/[^/]+\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4}\/\d{2}\/\d{2})\/[^/]+\.json\.gz$/;

/** Every log file under `root`: its partition values from the path, and its records. */
export function readLogFiles(root: string): {
  account: string;
  region: string;
  day: string;
  records: Record<string, unknown>[];
}[] {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
  return walk(root).map((path) => {
    const key = relative(root, path).split(sep).join('/');
    const match = LOCATION.exec(key);
    if (!match) throw new Error(`${key}: not a CloudTrail log file path`);
    const { Records } = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { Records: Record<string, unknown>[] };
    return {
      account: match[1],
      region: match[2],
      day: match[3],
      records: Records,
    };
  });
}

// ---------------------------------------------------------------- Hive types as Trino types

type HiveType =
  | { kind: 'string' }
  | { kind: 'struct'; fields: { name: string; type: HiveType }[] }
  | { kind: 'array'; element: HiveType }
  | { kind: 'map'; key: HiveType; value: HiveType };

/** Parses a Hive DDL type (`string`, `struct<a:string>`, `array<...>`, `map<string,string>`). */
export function parseHiveType(text: string): HiveType {
  let i = 0;
  const word = () => {
    const m = /^[a-z_][a-z0-9_]*/i.exec(text.slice(i));
    if (!m) throw new Error(`Hive type "${text}": a name expected at ${i}`);
    i += m[0].length;
    return m[0];
  };
  const expect = (c: string) => {
    if (text[i] !== c) throw new Error(`Hive type "${text}": "${c}" expected at ${i}`);
    i++;
  };
  const type = (): HiveType => {
    const name = word().toLowerCase();
    if (name === 'string') return { kind: 'string' };
    expect('<');
    if (name === 'array') {
      const element = type();
      expect('>');
      return { kind: 'array', element };
    }
    if (name === 'map') {
      const key = type();
      expect(',');
      const value = type();
      expect('>');
      return { kind: 'map', key, value };
    }
    if (name !== 'struct') throw new Error(`Hive type "${text}": ${name} is not handled`);
    const fields: { name: string; type: HiveType }[] = [];
    for (;;) {
      const field = word();
      expect(':');
      fields.push({ name: field, type: type() });
      if (text[i] === ',') i++;
      else break;
    }
    expect('>');
    return { kind: 'struct', fields };
  };
  const result = type();
  if (i !== text.length) throw new Error(`Hive type "${text}": unexpected text at ${i}`);
  return result;
}

/** The Trino type of a Hive type: string -> varchar, struct -> row, array -> array, map -> map. */
export function trinoType(t: HiveType): string {
  switch (t.kind) {
    case 'string':
      return 'varchar';
    case 'array':
      return `array(${trinoType(t.element)})`;
    case 'map':
      return `map(${trinoType(t.key)}, ${trinoType(t.value)})`;
    case 'struct':
      return `row(${t.fields.map((f) => `${f.name} ${trinoType(f.type)}`).join(', ')})`;
  }
}

/** A record's value (JSON) as a Trino literal of type `t`, as the JSON SerDe would read it. */
function literal(value: unknown, t: HiveType): string {
  if (value === undefined || value === null) return `CAST(NULL AS ${trinoType(t)})`;
  switch (t.kind) {
    case 'string':
      return sqlStringLiteral(typeof value === 'object' ? JSON.stringify(value) : String(value));
    case 'array':
      if (!Array.isArray(value)) throw new Error(`not an array: ${JSON.stringify(value)}`);
      return `CAST(ARRAY[${value.map((v) => literal(v, t.element)).join(', ')}] AS ${trinoType(t)})`;
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      return `CAST(MAP(ARRAY[${entries.map(([k]) => literal(k, t.key)).join(', ')}], ARRAY[${entries
        .map(([, v]) => literal(v, t.value))
        .join(', ')}]) AS ${trinoType(t)})`;
    }
    case 'struct': {
      const byLowerKey = new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
      return `CAST(ROW(${t.fields.map((f) => literal(byLowerKey.get(f.name), f.type)).join(', ')}) AS ${trinoType(t)})`;
    }
  }
}

/** `CREATE TABLE` for the memory connector, columns then partition keys. */
export function createTableSql(table: string, columns: readonly TableColumn[], partitionKeys: readonly TableColumn[]): string {
  return `CREATE TABLE ${table} (\n  ${[...columns, ...partitionKeys].map((c) => `"${c.name}" ${trinoType(parseHiveType(c.type))}`).join(',\n  ')}\n)`;
}

/** `INSERT` statements (a few hundred rows each) that load every record of every file under `root`. */
export function insertSql(table: string, root: string, columns: readonly TableColumn[], partitionKeys: readonly TableColumn[]): string[] {
  const types = columns.map((c) => parseHiveType(c.type));
  const rows = readLogFiles(root).flatMap((file) =>
    file.records.map((record) => {
      const byLowerKey = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
      const values = columns.map((c, i) => literal(byLowerKey.get(c.name), types[i]));
      const partition = partitionKeys.map((k) => sqlStringLiteral((file as Record<string, unknown>)[k.name] as string));
      return `(${[...values, ...partition].join(', ')})`;
    }),
  );
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += 200) statements.push(`INSERT INTO ${table} VALUES\n${rows.slice(i, i + 200).join(',\n')}`);
  return statements;
}
