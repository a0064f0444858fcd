/**
 * REML's blocked system: the cross-products of lme4's terms and the structure of their Cholesky
 * factor, built once per fit (the factor itself: src/blocked, shared with the Gibbs sampler).
 *
 * Blocks are the model's random-effects terms in lme4's order (most levels first): the first is the
 * block-diagonal one whose levels are eliminated first (src/blocked/symbolic).
 */
import { type CrossProducts, crossProductsFromRows } from "../blocked/crossproducts";
import { analyze, type BlockedStructure } from "../blocked/symbolic";
import { ArgumentError } from "../errors";
import { crossProductsFromStatistics, statisticsLayout } from "../model/stats";
import type { LmmModel } from "../model/types";

/** The cross-products and the factor's structure of one model. Read-only after `buildSystem`. */
export interface BlockedSystem {
  readonly n: number;
  readonly p: number;
  /** A = [Z X y]'W[Z X y] in blocks (y less the offset; W the precision weights, or I). */
  readonly cp: CrossProducts;
  /**
   * sum_i log w_i of the precision weights (0 without): the criteria are those of the rows scaled by
   * sqrt(w_i), less this (lme4's `ldW`), so that they are -2 log-likelihoods of y itself.
   */
  readonly logWeights: number;
  /** The structure of L (order, supernodes, where each entry lives). */
  readonly structure: BlockedStructure;
  /** Columns outside the first term: the other terms' levels, X and y. */
  readonly nr: number;
}

/**
 * Builds the blocked system of a model in one pass over its rows, then the factor's structure.
 *
 * @param model - the model (at least one random-effects term)
 * @returns the blocked system
 * @throws ArgumentError when the model has no random-effects term
 * @example
 * buildSystem(lmm("y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)", instEval)).nr;
 * // 1159 = 1128 (d) + 28 (dept:service) + 2 (X) + 1 (y); the first term is s (2972 levels)
 */
export function buildSystem(model: LmmModel): BlockedSystem {
  const { n, p, terms } = model;
  if (terms.length === 0)
    throw new ArgumentError(
      "model.terms",
      "must hold at least one random-effects term (lme4's lmer needs one)",
      0,
    );
  const weights = model.weights ?? null;
  let cp: CrossProducts;
  if (model.statistics !== undefined) {
    // From the sums per cell (src/model/stats.ts): the same A without the rows.
    const stats = model.statistics;
    const layout = statisticsLayout(terms, p);
    const response = new Float64Array(layout.d);
    response[layout.yIndex] = 1;
    cp = crossProductsFromStatistics(
      stats,
      n,
      terms.map((t, k) => ({
        m: t.m,
        levels: stats.levels[k]!,
        columns: Array.from({ length: t.q }, (_, r) => layout.termOffset[k]! + r),
      })),
      Array.from({ length: p }, (_, j) => layout.xOffset + j),
      response,
    );
  } else {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = model.y[i]! - (model.offset === null ? 0 : model.offset[i]!);
    cp = crossProductsFromRows(terms, model.X, p, y, weights);
  }
  let logWeights = 0;
  if (weights !== null) for (let i = 0; i < n; i++) logWeights += Math.log(weights[i]!);
  const structure = analyze(cp);
  return { n, p, cp, logWeights, structure, nr: structure.N - terms[0]!.m * terms[0]!.q };
}
