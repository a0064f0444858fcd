/**
 * The formula language (lme4's): text → `FormulaTree` (parser.ts) → `FormulaSpec` (expand.ts), and
 * back to text (format.ts). See README.md in this folder for what lives where.
 */
import { type ExpandOptions, expandFormula } from "./expand";
import { parseFormula } from "./parser";
import type { FormulaSpec } from "./types";

export { deparse, rName } from "./deparse";
export { CONSTANT_NAMES, type ExpandOptions, expandFormula, MAX_ORDER, MAX_TERMS } from "./expand";
export { formatFormula, formatKey, formatName, formatRandomTerm, termLabel } from "./format";
export { MAX_NESTING, parseFormula } from "./parser";
export type {
  BinaryOperator,
  CallArgument,
  FormulaNode,
  FormulaSpec,
  FormulaTree,
  RandomTermSpec,
  TermSpec,
} from "./types";

import { checkStringArgument } from "../validate";

/**
 * Parses and expands a formula: what the design stage consumes.
 *
 * @param text - the formula, e.g. `"strength ~ 1 + (1 | batch/cask)"`
 * @param options - the data's columns, which `.` stands for
 * @returns its `FormulaSpec`; here random terms `(1 | cask:batch)` and `(1 | batch)`
 * @throws FormulaError with the column of the problem and what was expected
 * @example
 * formulaSpec("Reaction ~ Days + (Days | Subject)").random[0];
 * // { intercept: true, terms: [{ variables: ["Days"] }], group: ["Subject"], pos: 17 }
 */
export function formulaSpec(text: string, options: ExpandOptions = {}): FormulaSpec {
  checkStringArgument(text, "formula", 'formula text such as "y ~ x + (1 | g)"');
  return expandFormula(parseFormula(text), options);
}
