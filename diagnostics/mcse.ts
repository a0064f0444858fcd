/**
 * Monte Carlo standard errors (MCSE) of the mean, the sd and quantiles, as the R package posterior
 * 1.4.0 defines them.
 */

import { betaQuantile } from "../src/stats/distributions";
import { checkNumberArgument } from "../src/validate";
import { ChainSet, type DrawsInput } from "./chain-set";
import { essMean, essOfSplitScratch, essQuantile, splitScratch } from "./ess";

/**
 * MCSE of the mean.
 *
 * Formula: sd(x) / √ESS_mean(x).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns the MCSE; NaN where essMean is NaN (non-finite or constant draws, too few draws)
 * @example mcseMean(x) // 0.0160848 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Gelman et al. (2013) Bayesian Data Analysis, 3rd ed., §11.5, doi:10.1201/b16018
 */
export function mcseMean(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("mcse_mean", () => Math.sqrt(set.variance()) / Math.sqrt(essMean(set)));
}

/**
 * MCSE of the standard deviation, without assuming normality: the variance of the variance estimate
 * from the second and fourth central moments (Kenney & Keeping 1951, p. 141), carried to the sd by a
 * first-order Taylor expansion, with the ESS of the squared deviations.
 *
 * Formula: with y_i = (x_i − x̄)², E = mean(y), ESS = ESS_mean(y):
 * MCSE = √((mean(y²) − E²) / ESS / E / 4).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns the MCSE; NaN for non-finite or constant draws or too few draws
 * @example mcseSd(x) // 0.0110001 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Kenney & Keeping (1951) Mathematics of Statistics, Part Two, 2nd ed., Van Nostrand, p. 141; Vehtari et al. (2021), doi:10.1214/20-BA1221
 */
export function mcseSd(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("mcse_sd", () => {
    const S = set.size;
    if (S === 0) return Number.NaN;
    const m = set.mean();
    const { matrix, positions } = splitScratch(set);
    const squares = matrix.values;
    let sum2 = 0;
    let sum4 = 0;
    for (let i = 0; i < S; i++) {
      const d = set.values[i]! - m;
      const d2 = d * d;
      const at = positions === null ? i : positions[i]!;
      if (at >= 0) squares[at] = d2;
      sum2 += d2;
      sum4 += d2 * d2;
    }
    const ess = essOfSplitScratch(set, matrix, "mcse_sd");
    const expectedVariance = sum2 / S;
    const varianceOfVariance = (sum4 / S - expectedVariance * expectedVariance) / ess;
    return Math.sqrt(varianceOfVariance / expectedVariance / 4);
  });
}

/** The normal probabilities of ±1 sd, as posterior writes them (pnorm(±1) to 7 digits). */
const ONE_SD = [0.1586553, 0.8413447] as const;

/**
 * MCSE of a quantile, from the Beta posterior of the indicator's probability (no density estimate).
 *
 * Formula: with ESS = ESS_q(x, p) and a_{1,2} = qbeta(pnorm(∓1), ESS·p + 1, ESS·(1 − p) + 1), the
 * half-distance between the order statistics x_(max(⌊a_1 S⌋, 1)) and x_(min(⌈a_2 S⌉, S)).
 *
 * @param x - one array per chain (or a ChainSet)
 * @param prob - the probability p in [0, 1]
 * @returns the MCSE; NaN where essQuantile is NaN
 * @example mcseQuantile(x, 0.05) // 0.0350758 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4.3, doi:10.1214/20-BA1221
 */
export function mcseQuantile(x: DrawsInput, prob: number): number {
  checkNumberArgument(prob, "prob", "a probability", false);
  const set = ChainSet.of(x);
  return set.cached(`mcse_quantile:${prob}`, () => {
    const ess = essQuantile(set, prob);
    if (Number.isNaN(ess)) return Number.NaN;
    const a1 = betaQuantile(ONE_SD[0], ess * prob + 1, ess * (1 - prob) + 1);
    const a2 = betaQuantile(ONE_SD[1], ess * prob + 1, ess * (1 - prob) + 1);
    const sorted = set.sorted();
    const S = sorted.length;
    const lower = sorted[Math.max(Math.floor(a1 * S), 1) - 1]!;
    const upper = sorted[Math.min(Math.ceil(a2 * S), S) - 1]!;
    return (upper - lower) / 2;
  });
}

/**
 * MCSE of the median: {@link mcseQuantile} at 1/2.
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns the MCSE; NaN where essMedian is NaN
 * @example mcseMedian(x) // 0.0165315 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4.3, doi:10.1214/20-BA1221
 */
export function mcseMedian(x: DrawsInput): number {
  return mcseQuantile(x, 0.5);
}
