/**
 * Column names as R writes them: a variable whose name is not a syntactic R name (`my x`, `2nd`,
 * `if`) appears in backticks, as R's `model.matrix` deparses it: `` `my x` ``, `` `my f`b ``.
 */

const SYNTACTIC = /^(?:(?:\p{L}|\.(?![0-9]))[\p{L}\p{N}._]*|\.)$/u;
const RESERVED = new Set([
  "if",
  "else",
  "repeat",
  "while",
  "function",
  "for",
  "next",
  "break",
  "in",
  "TRUE",
  "FALSE",
  "NULL",
  "Inf",
  "NaN",
  "NA",
  "NA_integer_",
  "NA_real_",
  "NA_character_",
  "NA_complex_",
  "...",
]);

/**
 * A variable's name as R deparses it in a column name.
 *
 * @param name - the variable (column) name.
 * @returns the name, in backticks when it is not syntactic in R.
 * @example rName("standLRT") // "standLRT"
 * @example rName("my x") // "`my x`"
 */
export function rName(name: string): string {
  if (SYNTACTIC.test(name) && !RESERVED.has(name) && !/^\.\.\d+$/.test(name)) return name;
  return `\`${name.replace(/\\/g, "\\\\").replace(/`/g, "\\`")}\``;
}
