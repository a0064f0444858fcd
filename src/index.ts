/**
 * bayes-lmm — the package's one curated entry point (named exports only; test/exports.test.ts
 * snapshots the list, so API changes are deliberate).
 */

export { chainsOf, createDraws, parameterIndex } from "./draws/draws";
export type { Draws } from "./draws/types";
export {
  ArgumentError,
  DataError,
  FormulaError,
  LmmError,
  type LmmErrorCode,
  PriorError,
} from "./errors";
export { expandFormula, formatFormula, formulaSpec, parseFormula } from "./formula";
export type { FormulaNode, FormulaSpec, FormulaTree, RandomTermSpec, TermSpec } from "./formula/types";
export type { LmmModel, RandomEffectsTerm } from "./model/types";
