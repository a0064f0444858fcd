/**
 * R-hat, the potential scale reduction factor: the basic (split) R-hat and the rank-normalized,
 * folded R-hat of Vehtari et al. (2021), exactly as the R package posterior 1.4.0 computes them.
 */
import { meanKernel } from "./autocovariance";
import { ChainSet, type DrawsInput } from "./chain-set";

/** R's `.Machine$double.eps`: posterior's tolerance for "constant". */
const DOUBLE_EPS = 2.220446049250313e-16;

/**
 * R-hat of M chains of N draws as given (posterior's internal `.rhat`; no splitting or ranking).
 *
 * Formula: with chain means x̄_c and variances s_c², B = N·var(x̄_c), W = mean(s_c²),
 * R̂ = √(((N − 1)/N · W + B/N) / W) = √((B/W + N − 1)/N).
 *
 * Allocates nothing; validates nothing.
 *
 * @param M - number of chains
 * @param N - draws per chain
 * @param x - chain-major draws x[offsetX + c·N + t]
 * @param offsetX - index of the first draw
 * @returns R-hat; NaN for fewer than 2 chains or 2 draws per chain, a non-finite draw, or constant draws
 */
export function rhatKernel(M: number, N: number, x: Float64Array, offsetX: number): number {
  if (M < 2 || N < 2) return Number.NaN;
  // Range over all draws (a NaN or infinite draw makes a chain's sum non-finite).
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < M; c++) {
    const start = offsetX + c * N;
    let sum = 0;
    for (let t = start; t < start + N; t++) {
      const v = x[t]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!Number.isFinite(sum)) return Number.NaN;
  }
  if (max - min < DOUBLE_EPS) return Number.NaN;
  // Chain means (R's two-pass mean) and within-chain variances; the variance of the means by
  // Welford's update.
  let meanOfMeans = 0;
  let ssMeans = 0;
  let sumOfVariances = 0;
  for (let c = 0; c < M; c++) {
    const start = offsetX + c * N;
    const m = meanKernel(N, x, start);
    let ss = 0;
    for (let t = start; t < start + N; t++) {
      const d = x[t]! - m;
      ss += d * d;
    }
    sumOfVariances += ss / (N - 1);
    const delta = m - meanOfMeans;
    meanOfMeans += delta / (c + 1);
    ssMeans += delta * (m - meanOfMeans);
  }
  const varBetween = (N * ssMeans) / (M - 1);
  const varWithin = sumOfVariances / M;
  return Math.sqrt((varBetween / varWithin + N - 1) / N);
}

/**
 * Basic R-hat: of the split chains (or the chains as given with `split = false`), no ranking.
 *
 * Formula: R̂(splitChains(x)) with {@link rhatKernel}.
 *
 * @param x - one array per chain (or a ChainSet)
 * @param split - whether to split each chain in half first (default true)
 * @returns R-hat; NaN for a non-finite draw, constant draws, or fewer than 2 (split) chains or draws per chain
 * @example rhatBasic([[1, 2, 3, 4], [1, 2, 3, 4]]) // 1.7795130420052185 (a trend: the halves disagree)
 * @see Gelman et al. (2013) Bayesian Data Analysis, 3rd ed., §11.4, doi:10.1201/b16018
 */
export function rhatBasic(x: DrawsInput, split = true): number {
  const set = ChainSet.of(x);
  return set.cached(split ? "rhat_basic" : "rhat_basic_unsplit", () => {
    const m = split ? set.split() : set;
    return rhatKernel(m.chains, m.iterations, m.values, 0);
  });
}

/**
 * R-hat of the bulk: the basic R-hat of the rank-normalized split chains.
 *
 * Formula: R̂(zScale(splitChains(x))).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns R-hat; NaN for constant draws, a NaN draw, or too few draws
 * @example rhatBulk(x) // 1.000502 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4.1, doi:10.1214/20-BA1221
 */
export function rhatBulk(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("rhat_bulk", () => {
    const z = set.zSplit();
    return rhatKernel(z.chains, z.iterations, z.values, 0);
  });
}

/**
 * R-hat of the tails: the basic R-hat of the rank-normalized folded split chains.
 *
 * Formula: R̂(zScale(splitChains(|x − median(x)|))).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns R-hat; NaN for constant draws, a NaN draw, or too few draws
 * @example rhatTail(x) // 0.999502 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4.2, doi:10.1214/20-BA1221
 */
export function rhatTail(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("rhat_tail", () => {
    const z = set.zFoldedSplit();
    return rhatKernel(z.chains, z.iterations, z.values, 0);
  });
}

/**
 * R-hat (Vehtari et al. 2021): the larger of the rank-normalized split R-hat of the draws (bulk) and
 * of the draws folded around their median (tails). Above 1.01 the chains have not mixed.
 *
 * Formula: max(R̂(zScale(splitChains(x))), R̂(zScale(splitChains(fold(x))))).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns R-hat ≥ about 1; NaN for constant draws, a NaN draw, or too few draws (posterior's NA)
 * @example rhat(x) // 1.000502 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4, doi:10.1214/20-BA1221
 */
export function rhat(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("rhat", () => {
    const bulk = rhatBulk(set);
    const tail = rhatTail(set);
    return Number.isNaN(bulk) || Number.isNaN(tail) ? Number.NaN : Math.max(bulk, tail);
  });
}
