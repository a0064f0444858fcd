/**
 * The generalized Pareto pieces of Pareto-smoothed importance sampling, as the R package loo 2.5.1
 * computes them: the tail length, the fit of Zhang & Stephens (2009) with loo's weakly informative
 * adjustment of k, the quantile function, and the smoothing of one tail.
 *
 * Generalized Pareto with shape k and scale sigma (location 0):
 *     F(x) = 1 − (1 + k x / sigma)^(−1/k),   F⁻¹(p) = sigma ((1 − p)^(−k) − 1) / k.
 *
 * References: Zhang & Stephens (2009) A new and efficient estimation method for the generalized
 * Pareto distribution, Technometrics 51(3):316–325, doi:10.1198/tech.2009.08017. Vehtari, Simpson,
 * Gelman, Yao & Gabry (2024) Pareto smoothed importance sampling, JMLR 25(72):1–58.
 */

/** Fewest tail draws that loo fits a generalized Pareto to (`enough_tail_samples`). */
export const MIN_TAIL_LENGTH = 5;

/**
 * Number of draws in the smoothed tail (loo's `n_pareto`).
 *
 * Formula: M = ⌈min(0.2 S, 3 √(S / r_eff))⌉.
 *
 * @param rEff - relative efficiency of the point's draws (ESS / S)
 * @param S - number of draws
 * @returns M
 * @example paretoTailLength(1, 4000) // 190
 */
export function paretoTailLength(rEff: number, S: number): number {
  return Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S / rEff)));
}

/**
 * The quantile function of the generalized Pareto (loo's `qgpd`).
 *
 * @returns sigma ((1 − p)^(−k) − 1) / k; NaN when sigma is NaN or not positive
 * @example gpdQuantile(0.5, 0.5, 1) // 0.8284271247461903
 */
export function gpdQuantile(p: number, k: number, sigma: number): number {
  if (Number.isNaN(sigma) || sigma <= 0) return Number.NaN;
  return (sigma * Math.expm1(-k * Math.log1p(-p))) / k;
}

/** Scratch for {@link gpdFit}: the grid of theta values and their log profile likelihoods. */
let gridTheta = new Float64Array(0);
let gridLogLik = new Float64Array(0);

/**
 * Fits a generalized Pareto distribution to ascending exceedances by the empirical Bayes method of
 * Zhang & Stephens (2009), as loo's `gpdfit`: a grid of M = minGridPoints + ⌊√N⌋ values of
 * theta = −k/sigma, each weighted by its profile likelihood, the posterior mean of theta, then
 * k = mean(log(1 − theta x)) and sigma = −k/theta; with `weaklyInformative`, k is shrunk towards 0.5
 * as by a prior worth 10 observations: k ← (N k + 10 · 0.5)/(N + 10).
 *
 * @param x - exceedances ≥ 0, ascending
 * @param offset - index of the first in x
 * @param N - how many
 * @param weaklyInformative - loo's `wip` adjustment (default true)
 * @param minGridPoints - loo's `min_grid_pts` (default 30)
 * @returns k and sigma; k = Infinity when the fit is NaN (as loo)
 * @example gpdFit(Float64Array.of(0.1, 0.2, 0.4, 0.8, 1.6), 0, 5).k // 0.44612538881327107 (R: loo:::gpdfit)
 * @see Zhang & Stephens (2009), doi:10.1198/tech.2009.08017
 */
export function gpdFit(
  x: Float64Array,
  offset: number,
  N: number,
  weaklyInformative = true,
  minGridPoints = 30,
): { k: number; sigma: number } {
  const prior = 3;
  const M = minGridPoints + Math.floor(Math.sqrt(N));
  if (gridTheta.length < M) {
    gridTheta = new Float64Array(M);
    gridLogLik = new Float64Array(M);
  }
  // R: xstar <- x[floor(N/4 + 0.5)] (1-based).
  const xstar = x[offset + Math.floor(N / 4 + 0.5) - 1]!;
  const xmax = x[offset + N - 1]!;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < M; j++) {
    const theta = 1 / xmax + (1 - Math.sqrt(M / (j + 0.5))) / prior / xstar;
    gridTheta[j] = theta;
    // N × the profile log-likelihood: log(a / k) − k − 1, a = −theta, k = mean(log(1 + a x)).
    const a = -theta;
    let s = 0;
    for (let i = 0; i < N; i++) s += Math.log1p(a * x[offset + i]!);
    const kj = s / N;
    const l = N * (Math.log(a / kj) - kj - 1);
    gridLogLik[j] = l;
    if (l > max) max = l;
  }
  let wsum = 0;
  for (let j = 0; j < M; j++) wsum += Math.exp(gridLogLik[j]! - max);
  const logNorm = max + Math.log(wsum);
  let thetaHat = 0;
  for (let j = 0; j < M; j++) thetaHat += gridTheta[j]! * Math.exp(gridLogLik[j]! - logNorm);
  let s = 0;
  for (let i = 0; i < N; i++) s += Math.log1p(-thetaHat * x[offset + i]!);
  let k = s / N;
  const sigma = -k / thetaHat;
  if (weaklyInformative) k = (k * N) / (N + 10) + (10 * 0.5) / (N + 10);
  if (Number.isNaN(k)) k = Number.POSITIVE_INFINITY;
  return { k, sigma };
}

/** Scratch for {@link smoothTail}: the exceedances. */
let exceedances = new Float64Array(0);

/**
 * Replaces an ascending tail of log weights by the log of the expected order statistics of the
 * generalized Pareto fitted to it (loo's `psis_smooth_tail`): with e_i = exp(x_i) − exp(cutoff),
 * tail_i = log(F⁻¹((i − 0.5)/M) + exp(cutoff)), i = 1..M. When k is not finite the tail is kept.
 *
 * @param tail - the M largest log weights, ascending (replaced in place from `offset`)
 * @param offset - index of the first
 * @param M - tail length
 * @param cutoff - the largest log weight below the tail
 * @returns the fitted shape k (Infinity when the fit failed)
 */
export function smoothTail(tail: Float64Array, offset: number, M: number, cutoff: number): number {
  if (exceedances.length < M) exceedances = new Float64Array(M);
  const expCutoff = Math.exp(cutoff);
  for (let i = 0; i < M; i++) exceedances[i] = Math.exp(tail[offset + i]!) - expCutoff;
  const { k, sigma } = gpdFit(exceedances, 0, M);
  if (Number.isFinite(k))
    for (let i = 0; i < M; i++) tail[offset + i] = Math.log(gpdQuantile((i + 0.5) / M, k, sigma) + expCutoff);
  return k;
}
