/**
 * `--param name=value` of `baseline investigate`, checked against the investigation's declared
 * parameters, and the query Athena runs: the declaration's SQL with every value written in.
 */
import { CommandError, UsageError } from '../bin/cli-command';
import { bindParameters, inlineParameters, inlineValueProblem, WINDOW_PARAMETERS, type Investigation } from '../modules/investigations/investigation';

const WINDOW_NAMES: readonly string[] = Object.values(WINDOW_PARAMETERS);

/** The `--param` values by name: every declared parameter given once, each matching its pattern. */
export function parseParams(given: readonly string[], investigation: Investigation): Record<string, string> {
  const declared = new Map(investigation.parameters.map((p) => [p.name, p]));
  const names = investigation.parameters.map((p) => p.name);
  const values: Record<string, string> = {};
  for (const item of given) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param: ${JSON.stringify(item)} is not name=value`);
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1);
    if (WINDOW_NAMES.includes(name)) throw new UsageError(`--param ${name}: the window is given with --from and --to, not --param`);
    const parameter = declared.get(name);
    if (!parameter) {
      const known = names.length > 0 ? `its parameters are ${names.join(', ')}` : 'it takes none';
      throw new UsageError(`--param ${name}: ${investigation.name} has no such parameter (${known})`);
    }
    if (name in values) throw new UsageError(`--param ${name}: given more than once`);
    // Every value is written into the SQL: none may be too long or hold a control character, whatever its pattern says.
    const problem = inlineValueProblem(value);
    if (problem !== undefined) throw new UsageError(`--param ${name}: the value ${problem} (${parameter.description}; for example ${parameter.example})`);
    // A pattern with the global or sticky flag would keep lastIndex between tests.
    const pattern = new RegExp(parameter.pattern.source, parameter.pattern.flags.replace(/[gy]/g, ''));
    if (!pattern.test(value)) {
      throw new UsageError(`--param ${name}: ${JSON.stringify(value)} does not match ${parameter.pattern} (${parameter.description}; for example ${parameter.example})`);
    }
    values[name] = value;
  }
  const missing = investigation.parameters.find((p) => !p.optional && !(p.name in values));
  if (missing) throw new UsageError(`--param ${missing.name}: required by ${investigation.name} (${missing.description}; for example --param ${missing.name}=${missing.example})`);
  return values;
}

/**
 * The query Athena runs: the declaration's SQL with each `{placeholder}` replaced by its value as a SQL
 * string literal (`inlineParameters`), and no execution parameters, so that Athena's record of the
 * execution (GetQueryExecution's `Query`) holds the window and parameters it ran with.
 */
export function investigationQuery(sql: string, values: Readonly<Record<string, string>>, investigation: string): string {
  // The declaration's SQL names a placeholder that is neither a window value nor a declared parameter.
  const unknown = bindParameters(sql).parameterOrder.find((name) => !Object.prototype.hasOwnProperty.call(values, name));
  if (unknown !== undefined) throw new CommandError(`${investigation}: its SQL uses {${unknown}}, which is neither a window value nor one of its parameters`);
  try {
    return inlineParameters(sql, values);
  } catch (e) {
    throw new CommandError(`${investigation}: ${(e as Error).message}`);
  }
}
