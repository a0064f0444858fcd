/**
 * What a subcommand of the `bayes-lmm` executable is, and the helpers they share for reading flags.
 * Each subcommand lives in its own file in ./commands and is listed in ./commands/index.ts.
 */
import type { ParseArgsConfig } from "node:util";
import { ArgumentError } from "../errors";

/** The flag values `node:util` parseArgs gives a command. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** Where a command writes. Progress and warnings go to stderr; with `--json`, stdout holds one document. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether standard error is a terminal (progress bars only then). */
  readonly stderrIsTTY: boolean;
}

/** One subcommand. `run` throws an `LmmError` for bad input (exit 2); anything else it throws is exit 1. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage text shown by `bayes-lmm NAME --help`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  run(flags: FlagValues, io: CliIO): Promise<void> | void;
}

/** A required string flag, or a typed error naming it. */
export function requiredString(flags: FlagValues, name: string): string {
  const value = flags[name];
  if (typeof value !== "string" || value.length === 0)
    throw new ArgumentError(`--${name}`, "is required", value ?? "missing");
  return value;
}

/** An optional string flag. */
export function optionalString(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
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
    throw new ArgumentError(`--${name}`, `must be an integer from ${min} to ${max}`, raw);
  return value;
}
