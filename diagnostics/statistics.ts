/**
 * Posterior summaries of one parameter's draws, pooled over chains: mean, variance, sd, median,
 * quantiles (R's type 7), MAD, highest-density interval. Each accepts chains (one array per chain),
 * one flat array, or a ChainSet (whose sort they then share).
 */

import { checkNumberArgument } from "../src/validate";
import { ChainSet, type DrawsInput } from "./chain-set";

/**
 * R's type-7 sample quantile of an ascending array (R's default `quantile`, posterior's `quantile2`).
 *
 * Formula: h = 1 + (S − 1)p, q = (1 − (h − ⌊h⌋))·x_(⌊h⌋) + (h − ⌊h⌋)·x_(⌈h⌉), 1-based order statistics.
 *
 * @param sorted - ascending values (NaN last)
 * @param prob - p in [0, 1]
 * @returns the quantile; NaN when empty, when any value is NaN (posterior's NA) or p is outside [0, 1]
 * @example quantileOfSorted(Float64Array.of(1, 2, 3, 4), 0.5) // 2.5
 * @see Hyndman & Fan (1996) Sample quantiles in statistical packages, The American Statistician 50(4):361–365, doi:10.2307/2684934
 */
export function quantileOfSorted(sorted: ArrayLike<number>, prob: number): number {
  const n = sorted.length;
  if (n === 0 || !(prob >= 0 && prob <= 1) || Number.isNaN(sorted[n - 1]!)) return Number.NaN;
  const index = 1 + (n - 1) * prob;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const low = sorted[lo - 1]!;
  const high = sorted[hi - 1]!;
  if (index > lo && high !== low) {
    const h = index - lo;
    return (1 - h) * low + h * high;
  }
  return low;
}

/**
 * Mean of all draws.
 *
 * Formula: x̄ = (1/S) Σ x_i, with R's second-pass correction for rounding.
 *
 * @param x - chains, one flat array, or a ChainSet
 * @returns the mean; NaN for no draws or a NaN draw (±Infinity propagate as in R)
 * @example mean([[1, 2], [3, 4]]) // 2.5
 * @see Gelman et al. (2013) Bayesian Data Analysis, 3rd ed., doi:10.1201/b16018
 */
export function mean(x: DrawsInput): number {
  return ChainSet.of(x).mean();
}

/**
 * Sample variance of all draws.
 *
 * Formula: s² = Σ (x_i − x̄)² / (S − 1).
 *
 * @param x - chains, one flat array, or a ChainSet
 * @returns the variance; NaN for fewer than 2 draws or a non-finite draw
 * @example variance([[1, 2], [3, 4]]) // 1.6666666666666667
 * @see Gelman et al. (2013), doi:10.1201/b16018
 */
export function variance(x: DrawsInput): number {
  return ChainSet.of(x).variance();
}

/**
 * Sample standard deviation of all draws.
 *
 * Formula: s = √(Σ (x_i − x̄)² / (S − 1)).
 *
 * @param x - chains, one flat array, or a ChainSet
 * @returns the sd; NaN for fewer than 2 draws or a non-finite draw
 * @example sd([[1, 2], [3, 4]]) // 1.2909944487358056
 * @see Gelman et al. (2013), doi:10.1201/b16018
 */
export function sd(x: DrawsInput): number {
  return ChainSet.of(x).sd();
}

/**
 * Median of all draws (R's `median`: the middle order statistic, or the mean of the two middle ones).
 *
 * @param x - chains, one flat array, or a ChainSet
 * @returns the median; NaN for no draws or a NaN draw
 * @example median([[1, 2], [3, 10]]) // 2.5
 * @see Hyndman & Fan (1996), doi:10.2307/2684934
 */
export function median(x: DrawsInput): number {
  return ChainSet.of(x).median();
}

/**
 * Sample quantile of all draws, R's type 7 (posterior's `quantile2`).
 *
 * Formula: see {@link quantileOfSorted}.
 *
 * @param x - chains, one flat array, or a ChainSet
 * @param prob - p in [0, 1]
 * @returns the quantile; NaN for no draws, a NaN draw or p outside [0, 1]
 * @example quantile([[1, 2], [3, 4]], 0.05) // 1.15
 * @see Hyndman & Fan (1996), doi:10.2307/2684934
 */
export function quantile(x: DrawsInput, prob: number): number {
  checkNumberArgument(prob, "prob", "a probability", false);
  return quantileOfSorted(ChainSet.of(x).sorted(), prob);
}

/**
 * Median absolute deviation, scaled to estimate the sd under normality (R's `mad`).
 *
 * Formula: MAD = 1.4826 · median(|x_i − median(x)|).
 *
 * @param x - chains, one flat array, or a ChainSet
 * @returns the MAD; NaN for no draws or a NaN draw
 * @example mad([[1, 2], [3, 4]]) // 1.4826
 * @see Hampel (1974) The influence curve and its role in robust estimation, JASA 69(346):383–393, doi:10.1080/01621459.1974.10482962
 */
export function mad(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("mad", () => {
    const folded = set.folded().sorted;
    const n = folded.length;
    if (n === 0 || Number.isNaN(set.median())) return Number.NaN;
    const half = n >> 1;
    const middle = n % 2 === 1 ? folded[half]! : (folded[half - 1]! + folded[half]!) / 2;
    return 1.4826 * middle;
  });
}

/**
 * Highest-density interval: the shortest interval between two draws that contains a fraction
 * `prob` of the draws (for a unimodal posterior, the highest posterior density interval).
 *
 * Formula: with x_(1) ≤ ... ≤ x_(S) and k = ⌊prob·S⌋, the [x_(i), x_(i+k)] of least width over i
 * (the first such i on ties; as ArviZ's `hdi`).
 *
 * @param x - chains, one flat array, or a ChainSet
 * @param prob - the probability mass inside, in (0, 1) (default 0.9)
 * @returns [lower, upper]; [NaN, NaN] for no draws, a NaN draw, or prob outside (0, 1)
 * @example hdi([[1, 2, 3, 4, 100]], 0.6) // [1, 4]
 * @see Chen & Shao (1999) Monte Carlo estimation of Bayesian credible and HPD intervals, JCGS 8(1):69–92, doi:10.1080/10618600.1999.10474802
 */
export function hdi(x: DrawsInput, prob = 0.9): readonly [number, number] {
  checkNumberArgument(prob, "prob", "a probability");
  const sorted = ChainSet.of(x).sorted();
  const S = sorted.length;
  if (S === 0 || !(prob > 0 && prob < 1) || Number.isNaN(sorted[S - 1]!)) return [Number.NaN, Number.NaN];
  const k = Math.floor(prob * S);
  let best = 0;
  let width = Number.POSITIVE_INFINITY;
  for (let i = 0; i + k < S; i++) {
    const w = sorted[i + k]! - sorted[i]!;
    if (w < width) {
      width = w;
      best = i;
    }
  }
  return [sorted[best]!, sorted[best + k]!];
}
