/**
 * SQL text for names and values, safe for any input: identifiers in double quotes with `"`
 * doubled, strings in single quotes with `'` doubled (ANSI SQL; DuckDB, PostgreSQL, Spark SQL with
 * ANSI quoting, Trino, BigQuery's standard dialect). Text that cannot be quoted safely (a NUL
 * character, an empty name, a non-finite number) is an `ArgumentError`, never SQL.
 */
import { ArgumentError } from "../errors";
import { checkStringArgument } from "../validate";

/**
 * An identifier (column or table name) in ANSI double quotes: case and every character kept.
 *
 * @param name - the name as the database spells it.
 * @param argument - the argument's path, for the error.
 * @returns the quoted identifier.
 * @throws ArgumentError for an empty name or one with a NUL character.
 * @example quoteIdentifier('my "x"') // "\"my \"\"x\"\"\""
 */
export function quoteIdentifier(name: string, argument = "name"): string {
  checkStringArgument(argument, "argument", "the argument's name");
  if (typeof name !== "string" || name.length === 0 || name.includes("\u0000"))
    throw new ArgumentError(argument, "must be a non-empty SQL name without NUL characters", name);
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A string literal in ANSI single quotes.
 *
 * @param value - any text without NUL characters.
 * @param argument - the argument's path, for the error.
 * @returns the literal.
 * @throws ArgumentError for text with a NUL character.
 * @example quoteString("O'Brien") // "'O''Brien'"
 */
export function quoteString(value: string, argument = "value"): string {
  checkStringArgument(argument, "argument", "the argument's name");
  checkStringArgument(value, argument, "text");
  if (value.includes("\u0000"))
    throw new ArgumentError(argument, "must be text without NUL characters", value);
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A double-precision literal that reads back as exactly `value`: JavaScript's shortest round-trip
 * digits, cast to DOUBLE PRECISION (so PostgreSQL does not keep it as an exact NUMERIC).
 *
 * @param value - a finite number.
 * @param argument - the argument's path, for the error.
 * @returns the literal.
 * @throws ArgumentError for NaN or ±Infinity.
 * @example doubleLiteral(0.1) // "CAST(0.1 AS DOUBLE PRECISION)"
 */
export function doubleLiteral(value: number, argument = "value"): string {
  checkStringArgument(argument, "argument", "the argument's name");
  if (!Number.isFinite(value)) throw new ArgumentError(argument, "must be a finite number", value);
  const digits = Object.is(value, -0) ? "0" : String(value);
  return `CAST(${digits.startsWith("-") ? `(${digits})` : digits} AS DOUBLE PRECISION)`;
}
