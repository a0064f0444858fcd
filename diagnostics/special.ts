/**
 * The two special functions the diagnostics need: the standard normal quantile (rank normalization)
 * and the beta quantile (MCSE of quantiles). Both come from single-function @stdlib packages.
 *
 * Why erfcinv and not `@stdlib/stats-base-dists-normal-quantile`: that package computes
 * Φ⁻¹(p) = √2 · erfinv(2p − 1), which loses digits as p → 0 (at p = 1e-5 only 13 digits agree with R's
 * `qnorm`; at p = 1e-17 it returns −Infinity). Through the complementary function on the nearer tail,
 * Φ⁻¹(p) = −√2 · erfcinv(2p) for p < 1/2, every p keeps full precision (R: qnorm(1e-16) = −8.222082216130435).
 */
import erfcinv from "@stdlib/math-base-special-erfcinv";
import betaQuantileStdlib from "@stdlib/stats-base-dists-beta-quantile";

/**
 * The standard normal quantile function Φ⁻¹(p).
 *
 * Formula: Φ⁻¹(p) = −√2 · erfcinv(2p) for p < 1/2, and √2 · erfcinv(2(1 − p)) otherwise (1 − p is
 * exact there), so both tails keep full relative precision.
 *
 * @param p - a probability in [0, 1]
 * @returns the quantile; −Infinity at 0, +Infinity at 1, NaN for p outside [0, 1] or NaN
 * @example normalQuantile(0.975) // 1.9599639845400538
 * @see Wichura (1988) Algorithm AS 241, Applied Statistics 37(3):477–484, doi:10.2307/2347330 (R's qnorm, the reference values)
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  return p < 0.5 ? -Math.SQRT2 * erfcinv(2 * p) : Math.SQRT2 * erfcinv(2 * (1 - p));
}

/**
 * The quantile function of the Beta(alpha, beta) distribution (R's `qbeta(p, alpha, beta)`).
 *
 * Formula: the x in [0, 1] with I_x(alpha, beta) = p, I the regularized incomplete beta function.
 *
 * @param p - a probability in [0, 1]
 * @param alpha - first shape, > 0
 * @param beta - second shape, > 0
 * @returns the quantile; NaN if any argument is NaN or out of range
 * @example betaQuantile(0.5, 2, 2) // 0.5
 * @see Abramowitz & Stegun (1964) Handbook of Mathematical Functions, §26.5 (the incomplete beta function)
 */
export function betaQuantile(p: number, alpha: number, beta: number): number {
  return betaQuantileStdlib(p, alpha, beta);
}
