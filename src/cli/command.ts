/**
 * What a subcommand of the `bayes-lmm` executable is, and the helpers they share for reading flags.
 * Each subcommand lives in its own file in ./commands and is listed in ./commands/index.ts.
 */
import { ArgumentError } from "../errors";
import type { FlagSpec } from "./flags";
import type { Progress } from "./progress";

/** The flag values a command gets (absent flags are absent; a `multiple` flag gives its strings). */
export type FlagValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** Where the command line writes. Progress and warnings go to stderr; with `--json`, stdout holds one document. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether standard error is a terminal (the progress line only then). */
  readonly stderrIsTTY: boolean;
  /** Milliseconds from some origin (default `performance.now`); tests pass a clock. */
  readonly now?: () => number;
}

/** What a running command writes through: the CLI's streams plus warnings and progress. */
export interface CommandIO extends CliIO {
  /**
   * A warning (one line, without the `bayes-lmm: warning:` prefix). Warnings are held until
   * `startWork()` and dropped if the input turns out to be bad (exit 2 has one line of stderr).
   */
  warn(message: string): void;
  /** The input is checked and the long part begins: print the warnings held so far, and later ones at once. */
  startWork(): void;
  /** A progress line on standard error (a terminal only, not with `--quiet`); see ./progress.ts. */
  progress(label: string, unit?: string): Progress;
}

/** One subcommand. `run` throws an `LmmError` for bad input (exit 2); anything else it throws is exit 1. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage text shown by `bayes-lmm NAME --help` (it ends with an example). */
  readonly usage: string;
  readonly options: Readonly<Record<string, FlagSpec>>;
  run(flags: FlagValues, io: CommandIO): Promise<void> | void;
}

/** "1 chain", "4 chains": a count and a noun in the right number. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? noun : nouns}`;
}

/** A required string flag, or a typed error naming it. */
export function requiredString(flags: FlagValues, name: string): string {
  const value = flags[name];
  if (value === undefined) throw new ArgumentError(`--${name}`, "is required", value).withoutValue();
  if (typeof value !== "string") throw new ArgumentError(`--${name}`, "takes one value", value);
  if (value.length === 0) throw new ArgumentError(`--${name}`, "must not be empty", value);
  return value;
}

/** An optional string flag (an empty value is an error: it names no file and no number). */
export function optionalString(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ArgumentError(`--${name}`, "takes one value", value);
  if (value.length === 0) throw new ArgumentError(`--${name}`, "must not be empty", value);
  return value;
}

/** An integer flag within [min, max], `fallback` when absent. */
export function integerFlag(
  flags: FlagValues,
  name: string,
  fallback: number,
  min: number,
  max = 2 ** 31 - 1,
): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new ArgumentError(
      `--${name}`,
      `must be an integer from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}`,
      raw,
    );
  return value;
}
