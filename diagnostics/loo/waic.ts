/**
 * WAIC, the widely applicable information criterion (Watanabe 2010), as the R package loo 2.5.1's
 * `waic()` computes it: per point
 *     lpd_i = log (1/S) Σ_s exp(ll_is),   p_waic_i = var_s(ll_is) (S − 1 denominator),
 *     elpd_waic_i = lpd_i − p_waic_i,      waic_i = −2 elpd_waic_i,
 * totals with standard errors √(N var(pointwise)). loo warns (and so do we, as a value) when any
 * p_waic_i exceeds 0.4: WAIC is then unreliable and PSIS-LOO is the better estimate.
 *
 * References: Watanabe (2010) Asymptotic equivalence of Bayes cross validation and widely applicable
 * information criterion in singular learning theory, JMLR 11:3571–3594. Vehtari, Gelman & Gabry
 * (2017) Stat. Comput. 27:1413–1432, doi:10.1007/s11222-016-9696-4.
 */

import type { LooEstimate } from "./loo";
import {
  checkFinite,
  estimateAndSe,
  type LogLikInput,
  logSumExp,
  pointReader,
  sampleVariance,
} from "./pointwise";

/** The result of {@link waic}: loo's `waic` object. */
export interface WaicResult {
  readonly kind: "waic";
  readonly estimates: {
    readonly elpd_waic: LooEstimate;
    readonly p_waic: LooEstimate;
    readonly waic: LooEstimate;
  };
  readonly elpd_waic: number;
  readonly se_elpd_waic: number;
  readonly p_waic: number;
  readonly se_p_waic: number;
  readonly waic: number;
  readonly se_waic: number;
  readonly pointwise: {
    readonly elpd_waic: Float64Array;
    readonly p_waic: Float64Array;
    readonly waic: Float64Array;
  };
  /** Points with p_waic > 0.4. */
  readonly n_large_p_waic: number;
  readonly warnings: readonly string[];
  readonly points: number;
  readonly draws: number;
  readonly names: readonly string[];
}

/**
 * WAIC of a pointwise log-likelihood (loo's `waic()`).
 *
 * @param logLik - S draws × N points (Draws, one parameter per point) or a pointwise function
 * @returns estimates, pointwise values and loo's p_waic warning
 * @throws ArgumentError for a non-finite value (naming the point) or fewer than 2 draws
 * @example waic(logLikMatrix(model, post)).waic // −2 elpd_waic
 * @see Watanabe (2010) JMLR 11:3571–3594; Vehtari, Gelman & Gabry (2017), doi:10.1007/s11222-016-9696-4
 */
export function waic(logLik: LogLikInput): WaicResult {
  const reader = pointReader(logLik, "logLik");
  const { points: N, draws: S } = reader;
  const scratch = new Float64Array(S);
  const elpd = new Float64Array(N);
  const pw = new Float64Array(N);
  const ic = new Float64Array(N);
  const logS = Math.log(S);
  let large = 0;
  for (let i = 0; i < N; i++) {
    const ll = reader.read(i, scratch);
    checkFinite(ll, i, reader.names);
    const lpd = logSumExp(ll, 0, S) - logS;
    pw[i] = sampleVariance(ll, 0, S);
    elpd[i] = lpd - pw[i]!;
    ic[i] = -2 * elpd[i]!;
    if (pw[i]! > 0.4) large++;
  }
  const e = estimateAndSe(elpd);
  const p = estimateAndSe(pw);
  const w = estimateAndSe(ic);
  const warnings =
    large > 0
      ? [
          `${large} (${((100 * large) / N).toFixed(1)}%) p_waic estimates greater than 0.4. We recommend trying loo instead.`,
        ]
      : [];
  return {
    kind: "waic",
    estimates: { elpd_waic: e, p_waic: p, waic: w },
    elpd_waic: e.estimate,
    se_elpd_waic: e.se,
    p_waic: p.estimate,
    se_p_waic: p.se,
    waic: w.estimate,
    se_waic: w.se,
    pointwise: { elpd_waic: elpd, p_waic: pw, waic: ic },
    n_large_p_waic: large,
    warnings,
    points: N,
    draws: S,
    names: reader.names ?? Array.from({ length: N }, (_, i) => `log_lik[${i + 1}]`),
  };
}
