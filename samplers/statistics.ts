/**
 * The sampler's data-dependent inputs for a model from sufficient statistics (src/model/stats.ts):
 * the least-squares shift beta0, the rough scales of the dispersed starting values and the
 * cross-products of (factors, X, ytilde = y − offset − X beta0) — what `compileModel` computes from
 * rows, computed from the sums per cell by the same formulas, so the same seed gives the same draws.
 */
import type { CrossProducts } from "../src/blocked/crossproducts";
import { potrf } from "../src/linalg/potrf";
import { trsv } from "../src/linalg/trsv";
import { crossProductsFromStatistics, statisticsLayout, statisticsTotals } from "../src/model/stats";
import type { LmmModel } from "../src/model/types";
import type { GroupingFactor } from "../src/priors/factors";

/** What `compileModel` needs from the data, for a model without rows. */
export interface SamplerStatistics {
  readonly beta0: Float64Array;
  readonly sigma2Guess: number;
  /** Per factor, q guesses of Psi's diagonal. */
  readonly psiGuess: readonly Float64Array[];
  readonly crossProducts: CrossProducts;
}

/**
 * The sampler's inputs from a model's statistics (see the file comment).
 *
 * @param model - a model with `statistics`
 * @param factors - its grouping factors (`groupingFactors(model)`)
 * @returns beta0, the starting scales, the cross-products in factor order
 */
export function samplerStatistics(model: LmmModel, factors: readonly GroupingFactor[]): SamplerStatistics {
  const stats = model.statistics!;
  const { n, p } = model;
  const layout = statisticsLayout(model.terms, p);
  const { d, xOffset, yIndex } = layout;
  const T = statisticsTotals(stats);
  const at = (r: number, c: number): number => T[r * d + c]!;
  // Least squares of r = y − offset on X: one Cholesky solve of X'X b = X'r (as from rows).
  const xtx = new Float64Array(p * p);
  const xtr = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    xtr[a] = at(xOffset + a, yIndex);
    for (let b = 0; b <= a; b++) xtx[a * p + b] = at(xOffset + a, xOffset + b);
  }
  let beta0: Float64Array = new Float64Array(p);
  if (potrf(p, xtx, p, 1, 0) === 0) {
    trsv("lower", "no-transpose", "non-unit", p, xtx, p, 1, 0, xtr, 1, 0);
    beta0 = trsv("lower", "transpose", "non-unit", p, xtx, p, 1, 0, xtr, 1, 0);
  }
  // ytilde = r − X beta0 as coefficients on v; its sum of squares from the totals.
  const response = new Float64Array(d);
  response[yIndex] = 1;
  for (let j = 0; j < p; j++) response[xOffset + j] = -beta0[j]!;
  let yy = 0;
  for (let r = 0; r < d; r++)
    if (response[r] !== 0) for (let c = 0; c < d; c++) yy += response[r]! * at(r, c) * response[c]!;
  const sigma2Guess = Math.max(yy / Math.max(n - p, 1), 1e-300);
  const columnsOf = (f: GroupingFactor): number[] =>
    f.blocks.flatMap((b) => Array.from({ length: b.size }, (_, r) => layout.termOffset[b.term]! + r));
  const psiGuess = factors.map((f) =>
    Float64Array.from(columnsOf(f), (j) => {
      const mean = at(0, j) / n;
      const sq = at(j, j) / n;
      const variance = sq - mean * mean;
      const scale2 = variance > 1e-12 * sq ? variance : sq > 0 ? sq : 1;
      return sigma2Guess / scale2;
    }),
  );
  const crossProducts = crossProductsFromStatistics(
    stats,
    n,
    factors.map((f) => ({ m: f.m, levels: stats.levels[f.blocks[0]!.term]!, columns: columnsOf(f) })),
    Array.from({ length: p }, (_, j) => xOffset + j),
    response,
  );
  return { beta0, sigma2Guess, psiGuess, crossProducts };
}
