/**
 * The contract every `baseline <command>` implements, so each command lives in the folder of its
 * concern (vending/, review/, pipeline/, evidence/) and bin/baseline.ts only dispatches and prints
 * help. Help text is generated from these declarations: one line per command and per option.
 */

/** Where a command writes: stdout carries the command's result, stderr its messages and progress. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (a progress display may redraw lines there). */
  readonly stderrIsTTY: boolean;
}

export interface CliOption {
  /** The long option name, without the dashes. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** Whether the option may be given more than once (its value is then a string array). */
  readonly multiple?: boolean;
  /** The value's placeholder in help, e.g. "FILE". */
  readonly placeholder?: string;
  /** One line: what the option does, and what happens when it is left out. */
  readonly description: string;
}

export type CliValues = Record<string, string | boolean | string[] | undefined>;

export interface CliCommand {
  readonly name: string;
  /** One line for the command list of `baseline --help`. */
  readonly summary: string;
  /** Usage lines, each starting with `baseline <name>`. */
  readonly usage: readonly string[];
  readonly options: readonly CliOption[];
  /** Whether positional arguments are accepted (e.g. plan files). @default false */
  readonly positionals?: string;
  /**
   * Lines printed after the options in `baseline <name> --help`: what stdout carries (a JSON shape),
   * exit codes particular to the command. @default none
   */
  readonly details?: readonly string[];
  /** Runs the command and returns its exit code. Throws UsageError (exit 2) or CommandError (exit 1). */
  run(values: CliValues, positionals: readonly string[], io: CliIo): Promise<number>;
}

/** Wrong use of the command line: exit 2, with the command's usage. The message names the option. */
export class UsageError extends Error {}

/** The command was understood but refused (bad input file, invalid config, failed check): exit 1. */
export class CommandError extends Error {}

/**
 * Every exit code `baseline` uses, and what it means: `baseline --help` prints this list and a test
 * (__tests__/bin/exit-codes.test.ts) keeps the README's list and the commands' codes equal to it.
 */
export const EXIT_CODES: Readonly<Record<number, string>> = {
  0: 'done',
  1: 'refused (bad input, conflict, invalid config, lock timeout; for evidence, a control failed)',
  2: 'usage error (the message names the option)',
  3: 'evidence incomplete (evidence only: no control failed, but some evidence could not be collected)',
};
