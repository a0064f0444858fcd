/**
 * R's `deparse` for the pieces of a formula: names (a name that is not syntactic in R — `my x`,
 * `2nd`, `if` — is written in backticks, as R's `model.matrix` writes it in column names:
 * `` `my x` ``, `` `my f`b ``) and whole expressions (`log(x + 1)`, `poly(x, 2, raw = TRUE)`), which
 * are the labels R gives the variables of a model.
 */
import { rNumberLabel } from "../data/numbers";
import type { FormulaNode } from "./types";

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

/** Reserved words that are values (R's `TRUE`, `Inf`, ...): deparsed without backticks. */
const LITERALS: ReadonlySet<string> = new Set(["TRUE", "FALSE", "NULL", "Inf", "NaN", "NA"]);

/**
 * An expression as R's `deparse` writes it — the label R gives a variable of a model (`log(x)`,
 * `I(x^2)`, `poly(x, 2, raw = TRUE)`, `scale(x, center = FALSE)`), so column names are R's:
 * `+ - *` and `%in%` with spaces around them, `/ ^ :` without, `name = value` for named arguments,
 * `, ` between arguments, numbers with at most 15 significant digits (`1e+05`, `0.5`, `2L`), names
 * that are not syntactic in backticks. Parentheses are kept as written.
 *
 * @param node - a node of the syntax tree (not a bar term).
 * @returns R's text.
 * @example deparse(parseFormula("y ~ I(x ^ 2 * 3)").rhs) // "I(x^2 * 3)"
 */
export function deparse(node: FormulaNode): string {
  switch (node.kind) {
    case "name":
      // R's constants are words of the language, written as they are.
      return LITERALS.has(node.name) ? node.name : rName(node.name);
    case "number":
      return `${rNumberLabel(node.value)}${node.integer ? "L" : ""}`;
    case "paren":
      return `(${deparse(node.expr)})`;
    case "negate":
      return `-${deparse(node.expr)}`;
    case "call":
      return `${rName(node.fn)}(${node.args.map((a) => (a.name === null ? deparse(a.value) : `${rName(a.name)} = ${deparse(a.value)}`)).join(", ")})`;
    case "binary": {
      const spaced = node.op === "+" || node.op === "-" || node.op === "*" || node.op === "%in%";
      return `${deparse(node.left)}${spaced ? ` ${node.op} ` : node.op}${deparse(node.right)}`;
    }
    case "bar":
      return `(${deparse(node.lhs)} ${node.double ? "||" : "|"} ${deparse(node.group)})`;
  }
}
