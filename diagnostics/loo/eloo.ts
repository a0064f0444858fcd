/**
 * Leave-one-out expectations with PSIS weights: loo 2.5.1's `E_loo` (the mean, variance or quantiles
 * of a function of the draws under each point's leave-one-out posterior) and LOO-PIT, the
 * probability integral transform of each observation under its leave-one-out predictive distribution
 * (rstantools' `loo_pit`, which bayesplot's `ppc_loo_pit_*` draw). Calibrated predictions give
 * LOO-PIT values that look uniform on (0, 1).
 *
 * LOO-PIT comes in two forms:
 * - from predictive draws ỹ_is (rstantools): pit_i = Σ_{s: ỹ_is < y_i} w̃_is, plus a uniform share of
 *   the weight of draws equal to y_i (ties happen only for discrete data);
 * - from the predictive CDF at each draw, F_is = P(ỹ_i ≤ y_i | θ_s): pit_i = Σ_s w̃_is F_is — the
 *   expectation of the first form given θ, with no predictive noise (for a Gaussian model F_is is a
 *   normal CDF, which `predictiveCdf` in src/loglik gives). It equals `E_loo(F, psis)$value`.
 *
 * References: Vehtari, Gelman & Gabry (2017) Stat. Comput. 27:1413–1432,
 * doi:10.1007/s11222-016-9696-4; Gabry, Simpson, Vehtari, Betancourt & Gelman (2019) Visualization
 * in Bayesian workflow, JRSS A 182(2):389–402, doi:10.1111/rssa.12378.
 */
import type { Draws } from "../../src/draws/types";
import { ArgumentError } from "../../src/errors";
import { Random } from "../../src/random/generator";
import { checkDrawsArgument, checkObjectArgument, checkOptionsArgument } from "../../src/validate";
import { quantileOfSorted } from "../statistics";
import { smoothTail } from "./pareto";
import { logSumExp, pointReader } from "./pointwise";
import type { PsisResult } from "./psis";

/** Log weights: a PSIS result, or any S × N matrix of (possibly unnormalized) log weights. */
export type LogWeightsInput = PsisResult | Draws;

function isPsis(x: LogWeightsInput): x is PsisResult {
  return (x as PsisResult).logWeights !== undefined && (x as PsisResult).normConstLog !== undefined;
}

/** Normalized weights of point j: exp(lw − logSumExp(lw)), into `out`. */
function normalizedWeights(w: LogWeightsInput, j: number, out: Float64Array): Float64Array {
  const draws = isPsis(w) ? w.logWeights : w;
  const S = draws.chains * draws.iterations;
  const lw = draws.values.subarray(j * S, (j + 1) * S);
  const norm = isPsis(w) ? w.normConstLog[j]! : logSumExp(lw, 0, S);
  for (let s = 0; s < S; s++) out[s] = Math.exp(lw[s]! - norm);
  return out;
}

function weightShape(w: LogWeightsInput): { draws: number; points: number } {
  const d = isPsis(w) ? w.logWeights : w;
  return { draws: d.chains * d.iterations, points: d.parameters.length };
}

/** Maps each column of x to a weight column: the identity, or `weightIndex` (checked). */
function columnMap(
  columns: number,
  weights: number,
  weightIndex: ArrayLike<number> | undefined,
): (i: number) => number {
  if (weightIndex === undefined) {
    if (columns !== weights)
      throw new ArgumentError(
        "x",
        `must have one column per weight column (${weights}), or give options.weightIndex`,
        columns,
      );
    return (i) => i;
  }
  if (weightIndex.length !== columns)
    throw new ArgumentError(
      "options.weightIndex",
      `must give one weight column per column of x (${columns})`,
      weightIndex.length,
    );
  for (let i = 0; i < columns; i++) {
    const j = weightIndex[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= weights)
      throw new ArgumentError(`options.weightIndex[${i}]`, `must be an integer from 0 to ${weights - 1}`, j);
  }
  return (i) => weightIndex[i]!;
}

/** Options of {@link eLoo}. */
export interface ELooOptions {
  /** "mean" (default), "variance" or "quantile" (loo's `type`). */
  readonly type?: "mean" | "variance" | "quantile";
  /** Probabilities for "quantile" (each in (0, 1)). */
  readonly probs?: readonly number[];
  /** The log ratios the weights came from (−log-likelihood for LOO): gives a Pareto k per column. */
  readonly logRatios?: Draws;
  /** Column j of x uses weight column weightIndex[j] (e.g. rows within a left-out group). */
  readonly weightIndex?: ArrayLike<number>;
}

/**
 * loo's `E_loo`: per column j of x, the weighted mean Σ w̃ x, the variance Σ w̃² (x − mean)² / r_eff
 * (r_eff from the PSIS result, else 1), or weighted quantiles (loo's `.wquant`: linear in the
 * cumulative weights); with `logRatios`, loo 2.5.1's k of the expectation (a generalized Pareto fit
 * to the tail of √(1 + x²) × the ratios).
 *
 * @param x - S draws × N columns (Draws, one parameter per column)
 * @param weights - `psis(...)` (or `loo(..., { saveWeights: true }).psis`), or log weights
 * @param options - type, probs, logRatios, weightIndex
 * @returns `value`: N values (N × probs, column-major by point, for quantiles) and `paretoK` (null without logRatios)
 * @throws ArgumentError when shapes differ or probs are outside (0, 1)
 * @example eLoo(yrepDraws, looResult.psis!).value // LOO predictive means
 */
export function eLoo(
  x: Draws,
  weights: LogWeightsInput,
  options: ELooOptions = {},
): { value: Float64Array; paretoK: Float64Array | null } {
  checkDrawsArgument(x);
  checkObjectArgument(weights, "weights", "PSIS log weights or draws of them");
  if (!("logWeights" in weights)) checkDrawsArgument(weights, "weights");
  checkOptionsArgument(options);
  const type = options.type ?? "mean";
  if (type !== "mean" && type !== "variance" && type !== "quantile")
    throw new ArgumentError("options.type", 'must be "mean", "variance" or "quantile"', type);
  const reader = pointReader(x, "x");
  const shape = weightShape(weights);
  if (shape.draws !== reader.draws)
    throw new ArgumentError("x", `must have as many draws as the weights (${shape.draws})`, reader.draws);
  const column = columnMap(reader.points, shape.points, options.weightIndex);
  const probs = options.probs ?? [];
  if (type === "quantile") {
    if (probs.length === 0)
      throw new ArgumentError("options.probs", "must give at least one probability", probs);
    for (const p of probs)
      if (!(p > 0 && p < 1)) throw new ArgumentError("options.probs", "must be probabilities in (0, 1)", p);
  }
  const S = reader.draws;
  const w = new Float64Array(S);
  const buffer = new Float64Array(S);
  const per = type === "quantile" ? probs.length : 1;
  const value = new Float64Array(reader.points * per);
  for (let i = 0; i < reader.points; i++) {
    const xi = reader.read(i, buffer);
    const j = column(i);
    normalizedWeights(weights, j, w);
    if (type === "mean") {
      let m = 0;
      for (let s = 0; s < S; s++) m += w[s]! * xi[s]!;
      value[i] = m;
    } else if (type === "variance") {
      let m = 0;
      for (let s = 0; s < S; s++) m += w[s]! * xi[s]!;
      let v = 0;
      for (let s = 0; s < S; s++) v += w[s]! * w[s]! * (xi[s]! - m) ** 2;
      const rEff = isPsis(weights) ? weights.rEff[j]! : 1;
      value[i] = v / rEff;
    } else weightedQuantiles(xi, w, probs, value, i * per);
  }
  let paretoK: Float64Array | null = null;
  if (options.logRatios !== undefined) {
    const lrReader = pointReader(options.logRatios, "options.logRatios");
    if (lrReader.draws !== S || lrReader.points !== shape.points)
      throw new ArgumentError("options.logRatios", "must have the weights' shape", lrReader.points);
    paretoK = new Float64Array(reader.points);
    const lrBuffer = new Float64Array(S);
    const a = new Float64Array(S);
    for (let i = 0; i < reader.points; i++) {
      const j = column(i);
      const M = isPsis(weights) ? weights.tailLength[j]! : Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S)));
      paretoK[i] = expectationParetoK(reader.read(i, buffer), lrReader.read(j, lrBuffer), M, a);
    }
  }
  return { value, paretoK };
}

/** loo 2.5.1's `.E_loo_khat_i`: the k of log(√(1 + h²) r) over its M largest values. */
function expectationParetoK(h: Float64Array, logRatios: Float64Array, M: number, a: Float64Array): number {
  const S = h.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < S; s++) if (logRatios[s]! > max) max = logRatios[s]!;
  for (let s = 0; s < S; s++) a[s] = Math.log(Math.sqrt(1 + h[s]! * h[s]!) * Math.exp(logRatios[s]! - max));
  a.sort();
  const tail = a.slice(S - M);
  return smoothTail(tail, 0, M, a[S - M - 1]!);
}

/** loo's `.wquant`: quantiles linear in the normalized cumulative weights of the sorted values. */
function weightedQuantiles(
  x: Float64Array,
  w: Float64Array,
  probs: readonly number[],
  out: Float64Array,
  offset: number,
): void {
  const S = x.length;
  let equal = true;
  for (let s = 1; s < S && equal; s++) if (w[s] !== w[0]) equal = false;
  if (equal) {
    const sorted = Float64Array.from(x).sort();
    probs.forEach((p, k) => {
      out[offset + k] = quantileOfSorted(sorted, p);
    });
    return;
  }
  const order = Array.from({ length: S }, (_, s) => s).sort((a, b) => x[a]! - x[b]! || a - b);
  const cum = new Float64Array(S);
  let c = 0;
  for (let r = 0; r < S; r++) {
    c += w[order[r]!]!;
    cum[r] = c;
  }
  for (let r = 0; r < S; r++) cum[r] = cum[r]! / c;
  probs.forEach((p, k) => {
    let r = 0;
    while (r < S - 1 && cum[r]! < p) r++;
    if (r === 0) out[offset + k] = x[order[0]!]!;
    else {
      const x1 = x[order[r - 1]!]!;
      const w1 = cum[r - 1]!;
      out[offset + k] = x1 + ((x[order[r]!]! - x1) * (p - w1)) / (cum[r]! - w1);
    }
  });
}

/** What LOO-PIT is computed from: predictive draws and the observations, or the predictive CDF. */
export type LooPitInput = { readonly y: ArrayLike<number>; readonly yrep: Draws } | { readonly cdf: Draws };

/**
 * LOO-PIT values (see the file comment): one per column, from predictive draws and y (rstantools'
 * `loo_pit`; ties with y get a uniform share of their weight, drawn from `seed`) or from the
 * predictive CDF at y at each draw (its PSIS-weighted mean; no randomness).
 *
 * @param input - `{ y, yrep }` (yrep: S draws × N, Draws) or `{ cdf }` (S × N values in [0, 1])
 * @param weights - `psis(-logLik)`, `loo(..., { saveWeights: true }).psis`, or log weights (S × N')
 * @param options - `weightIndex`: column j uses weight column weightIndex[j] (rows of a left-out
 *   group share its weights); `seed` for ties (default 1)
 * @returns the LOO-PIT values in [0, 1]
 * @throws ArgumentError on shape mismatches
 * @example looPit({ cdf: predictiveCdf(model, post) }, looResult.psis!) // ≈ uniform when calibrated
 * @see Gabry et al. (2019), doi:10.1111/rssa.12378
 */
export function looPit(
  input: LooPitInput,
  weights: LogWeightsInput,
  options: { readonly weightIndex?: ArrayLike<number>; readonly seed?: number } = {},
): Float64Array {
  checkObjectArgument(input, "input", "{ y, yrep } or { cdf }");
  checkObjectArgument(weights, "weights", "PSIS log weights or draws of them");
  if ("cdf" in input) {
    const { value } = eLoo(
      input.cdf,
      weights,
      options.weightIndex === undefined ? {} : { weightIndex: options.weightIndex },
    );
    for (let i = 0; i < value.length; i++) value[i] = Math.min(1, Math.max(0, value[i]!));
    return value;
  }
  const { y, yrep } = input;
  const reader = pointReader(yrep, "input.yrep");
  if (y.length !== reader.points)
    throw new ArgumentError("input.y", `must have one value per column of yrep (${reader.points})`, y.length);
  const shape = weightShape(weights);
  if (shape.draws !== reader.draws)
    throw new ArgumentError(
      "input.yrep",
      `must have as many draws as the weights (${shape.draws})`,
      reader.draws,
    );
  const column = columnMap(reader.points, shape.points, options.weightIndex);
  const rng = Random.fromSeed(options.seed ?? 1);
  const S = reader.draws;
  const w = new Float64Array(S);
  const buffer = new Float64Array(S);
  const out = new Float64Array(reader.points);
  for (let i = 0; i < reader.points; i++) {
    const yi = y[i]!;
    const rep = reader.read(i, buffer);
    normalizedWeights(weights, column(i), w);
    let below = 0;
    let tied = 0;
    for (let s = 0; s < S; s++) {
      if (rep[s]! < yi) below += w[s]!;
      else if (rep[s] === yi) tied += w[s]!;
    }
    out[i] = Math.min(1, tied > 0 ? below + rng.uniform() * tied : below);
  }
  return out;
}
