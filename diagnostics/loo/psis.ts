/**
 * Pareto-smoothed importance sampling (PSIS; Vehtari, Simpson, Gelman, Yao & Gabry 2024), as the R
 * package loo 2.5.1's `psis()` computes it, point by point:
 *   1. shift the log ratios by their largest value;
 *   2. take the M = ⌈min(0.2 S, 3 √(S / r_eff))⌉ largest (ties in draw order, R's stable sort; found
 *      by selection, O(S), not a full sort) and,
 *      if M ≥ 5 and they are not all equal, replace them by the expected order statistics of the
 *      generalized Pareto fitted to their exceedances over the next largest (./pareto.ts); the fitted
 *      shape is the point's Pareto k (Infinity when the tail is too short or constant, as loo);
 *   3. truncate at the largest raw log ratio (log weights above 0 after the shift become 0);
 *   4. shift back. Normalized weights are exp(lw − logSumExp(lw)).
 * The PSIS effective sample size is r_eff / Σ w̃², w̃ the normalized weights.
 *
 * Reference: Vehtari, Simpson, Gelman, Yao & Gabry (2024) Pareto smoothed importance sampling,
 * JMLR 25(72):1–58, https://jmlr.org/papers/v25/19-556.html.
 */

import type { Draws } from "../../src/draws/types";
import { ArgumentError } from "../../src/errors";
import { checkOptionsArgument } from "../../src/validate";
import { MIN_TAIL_LENGTH, paretoTailLength, smoothTail } from "./pareto";
import { checkFinite, type LogLikInput, logSumExp, pointReader } from "./pointwise";
import { relativeEffOfPoint, relativeEffWorkspace } from "./relativeEff";

let order = new Uint32Array(0);
let tail = new Float64Array(0);
let selectScratch = new Float64Array(0);

/** The k-th smallest (0-based) of a[0..n), reordering a (Hoare's quickselect, median of three). */
function kthSmallest(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot.
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * The indices of the M largest of x[0..S), in the order a stable ascending sort of all S puts them
 * (ties by index, as R's `sort.int`), into `into`; returns the value just below them (the cutoff).
 * O(S) by selection instead of a full sort; test/loo/psis.test.ts checks it against a full argsort.
 */
export function largestInStableOrder(S: number, x: Float64Array, M: number, into: Uint32Array): number {
  if (selectScratch.length < S) selectScratch = new Float64Array(S);
  selectScratch.set(x.subarray(0, S));
  const cutoff = kthSmallest(selectScratch, S, S - M - 1);
  let greater = 0;
  for (let s = 0; s < S; s++) if (x[s]! > cutoff) into[greater++] = s;
  // Values equal to the cutoff fill the remaining places from the highest index down.
  let need = M - greater;
  for (let s = S - 1; s >= 0 && need > 0; s--)
    if (x[s] === cutoff) {
      into[greater++] = s;
      need--;
    }
  const part = into.subarray(0, M);
  part.sort((a, b) => x[a]! - x[b]! || a - b);
  return cutoff;
}

/** R's `.Machine$double.eps`. */
const DOUBLE_EPS = 2.220446049250313e-16;

/**
 * Pareto-smooths one point's log importance ratios, writing the (unnormalized) smoothed log weights
 * into `out` (it may be `logRatios` itself). Allocates nothing once the scratch has room for S.
 *
 * @param S - number of draws
 * @param logRatios - the log ratios (finite)
 * @param tailLength - M (loo's `n_pareto`)
 * @param out - the smoothed log weights
 * @returns the Pareto k: the fitted shape, or Infinity when M < 5 or the tail is constant (as loo)
 */
export function psisKernel(
  S: number,
  logRatios: Float64Array,
  tailLength: number,
  out: Float64Array,
): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < S; s++) if (logRatios[s]! > max) max = logRatios[s]!;
  for (let s = 0; s < S; s++) out[s] = logRatios[s]! - max;
  let k = Number.POSITIVE_INFINITY;
  const M = tailLength;
  if (M >= MIN_TAIL_LENGTH && M < S) {
    if (order.length < M) order = new Uint32Array(M);
    if (tail.length < M) tail = new Float64Array(M);
    const cutoff = largestInStableOrder(S, out, M, order);
    for (let i = 0; i < M; i++) tail[i] = out[order[i]!]!;
    if (Math.abs(tail[M - 1]! - tail[0]!) >= DOUBLE_EPS / 100) {
      k = smoothTail(tail, 0, M, cutoff);
      for (let i = 0; i < M; i++) out[order[i]!] = tail[i]!;
    }
  }
  for (let s = 0; s < S; s++) {
    if (out[s]! > 0) out[s] = 0;
    out[s] = out[s]! + max;
  }
  return k;
}

/** The result of {@link psis}: loo's `psis` object. */
export interface PsisResult {
  /** Smoothed log weights, unnormalized (loo's `log_weights`), one point per "parameter". */
  readonly logWeights: Draws;
  /** Per point: log Σ exp(log weights) (loo's `norm_const_log`). */
  readonly normConstLog: Float64Array;
  /** Per point: the Pareto k diagnostic. */
  readonly paretoK: Float64Array;
  /** Per point: the PSIS effective sample size r_eff / Σ w̃² (loo's `n_eff`). */
  readonly nEff: Float64Array;
  /** Per point: the tail length M. */
  readonly tailLength: Int32Array;
  /** Per point: the relative efficiency used. */
  readonly rEff: Float64Array;
}

/** How relative efficiencies are given: per point, one for all, or "chains" to compute them. */
export type RelativeEffOption = ArrayLike<number> | number | "chains";

/**
 * The relative efficiencies to use for N points: given ones (checked), 1 when not given, or computed
 * from the chains of exp(values) (`relativeEff`) with "chains", `values` supplied point by point.
 */
export function resolveRelativeEff(
  option: RelativeEffOption | undefined,
  N: number,
): (i: number, values: Float64Array, chains: number, iterations: number) => number {
  if (option === undefined) return () => 1;
  if (option === "chains")
    return (_, values, chains, iterations) =>
      relativeEffOfPoint(values, chains, iterations, true, relativeEffWorkspace);
  if (typeof option === "number") {
    if (!(option > 0) || !Number.isFinite(option))
      throw new ArgumentError(
        "options.rEff",
        'must be a positive number, one per point, or "chains"',
        option,
      );
    return () => option;
  }
  if (option.length !== N)
    throw new ArgumentError("options.rEff", `must give one value per point (${N})`, option.length);
  for (let i = 0; i < N; i++)
    if (!(option[i]! > 0) || !Number.isFinite(option[i]!))
      throw new ArgumentError(`options.rEff[${i}]`, "must be a positive number", option[i]);
  return (i) => option[i]!;
}

/**
 * Pareto-smoothed importance sampling of a matrix of log importance ratios (loo's `psis`): each
 * point's ratios smoothed as the file comment says, with its Pareto k and PSIS effective sample size.
 * For leave-one-out cross-validation the log ratios are minus the log-likelihood (`loo` does that).
 *
 * @param logRatios - S draws × N points (Draws, one parameter per point) or a pointwise function
 * @param options - `rEff`: relative efficiencies per point, one number, or "chains" to compute them
 *   from the chains of exp(−logRatios) — the likelihood when the ratios are −log-likelihood, as
 *   `relative_eff(exp(ll), chain_id)`. Default 1 (loo's default)
 * @returns loo's psis object: log weights, norm constants, pareto_k, n_eff, tail lengths, r_eff
 * @throws ArgumentError for a non-finite ratio (naming the point), fewer than 2 draws, a bad rEff
 * @example psis(negatedLogLik).paretoK // per point, as loo::psis(-log_lik, r_eff = r_eff)$diagnostics$pareto_k
 * @see Vehtari et al. (2024) JMLR 25(72), https://jmlr.org/papers/v25/19-556.html
 */
export function psis(
  logRatios: LogLikInput,
  options: { readonly rEff?: RelativeEffOption } = {},
): PsisResult {
  checkOptionsArgument(options);
  const reader = pointReader(logRatios, "logRatios");
  const { points: N, draws: S, chains, iterations } = reader;
  const rEffOf = resolveRelativeEff(options.rEff, N);
  const values = new Float64Array(N * S);
  const scratch = new Float64Array(S);
  const likelihood = new Float64Array(S);
  const normConstLog = new Float64Array(N);
  const paretoK = new Float64Array(N);
  const nEff = new Float64Array(N);
  const tailLength = new Int32Array(N);
  const rEff = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const lr = reader.read(i, scratch);
    checkFinite(lr, i, reader.names);
    for (let s = 0; s < S; s++) likelihood[s] = -lr[s]!;
    const r = rEffOf(i, likelihood, chains, iterations);
    const lw = values.subarray(i * S, (i + 1) * S);
    const M = paretoTailLength(r, S);
    paretoK[i] = psisKernel(S, lr, M, lw);
    normConstLog[i] = logSumExp(lw, 0, S);
    nEff[i] = psisEffectiveSampleSize(lw, normConstLog[i]!, r);
    tailLength[i] = M;
    rEff[i] = r;
  }
  const names = reader.names ?? Array.from({ length: N }, (_, i) => `log_lik[${i + 1}]`);
  return {
    logWeights: { parameters: names, chains, iterations, values },
    normConstLog,
    paretoK,
    nEff,
    tailLength,
    rEff,
  };
}

/** r_eff / Σ w̃², w̃ = exp(lw − normConstLog) (loo's `psis_n_eff`). */
export function psisEffectiveSampleSize(lw: Float64Array, normConstLog: number, rEff: number): number {
  let ss = 0;
  for (let s = 0; s < lw.length; s++) {
    const w = Math.exp(lw[s]! - normConstLog);
    ss += w * w;
  }
  return rEff / ss;
}
