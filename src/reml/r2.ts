/**
 * Nakagawa's marginal and conditional R² of a REML/ML fit (Nakagawa & Schielzeth 2013; Johnson 2014
 * for random slopes; Nakagawa, Johnson & Schielzeth 2017, eqs. 26–27, for the Gaussian case):
 *
 *     var_fixed  = var(X beta^)                          (over the model's rows, denominator n - 1, as R's var)
 *     var_random = sum_k (1/n) sum_i z_ik' Psi_k z_ik   (z_ik: row i of term k's columns)
 *     var_resid  = sigma²
 *     R²_marginal    = var_fixed / (var_fixed + var_random + var_resid)
 *     R²_conditional = (var_fixed + var_random) / (var_fixed + var_random + var_resid)
 *
 * With random intercepts only, var_random is the sum of their variances (Nakagawa & Schielzeth 2013).
 */
import { checkFitArgument } from "../validate";
import { fillFactors, modelThetaLayout } from "./theta";
import type { RemlFit } from "./types";

/** Nakagawa's R² and the variances it is made of. */
export interface NakagawaR2 {
  /** Variance explained by the fixed effects alone. */
  readonly marginal: number;
  /** Variance explained by the fixed and the random effects. */
  readonly conditional: number;
  readonly varFixed: number;
  readonly varRandom: number;
  readonly varResidual: number;
}

/**
 * Nakagawa's marginal and conditional R² (see the file comment).
 *
 * @param fit - a REML or ML fit
 * @returns the two R² and the three variances
 * @throws ArgumentError for anything but a fit
 * @example
 * r2(reml(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy)));
 * // { marginal: 0.2787, conditional: 0.7992, ... } (performance::r2_nakagawa: 0.2787, 0.7992)
 * @see Nakagawa, Johnson & Schielzeth (2017) J. R. Soc. Interface 14:20170213, doi:10.1098/rsif.2017.0213;
 *   Johnson (2014) Methods Ecol. Evol. 5:944–946, doi:10.1111/2041-210X.12225
 */
export function r2(fit: RemlFit): NakagawaR2 {
  checkFitArgument(fit);
  const model = fit.model;
  const { n, p, X } = model;
  let mean = 0;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < p; j++) v += X[i * p + j]! * fit.beta[j]!;
    eta[i] = v;
    mean += v / n;
  }
  let varFixed = 0;
  for (let i = 0; i < n; i++) varFixed += (eta[i]! - mean) ** 2 / (n - 1);
  const layout = modelThetaLayout(model);
  const T = layout.q.map((q) => new Float64Array(q * q));
  fillFactors(layout, Float64Array.from(fit.theta), T);
  const sigma2 = fit.sigma * fit.sigma;
  let varRandom = 0;
  model.terms.forEach((term, k) => {
    // z'Psi z = sigma² |T'z|²
    const q = term.q;
    const Tk = T[k]!;
    let total = 0;
    for (let i = 0; i < n; i++)
      for (let a = 0; a < q; a++) {
        let v = 0;
        for (let r = a; r < q; r++) v += Tk[r * q + a]! * term.values[i * q + r]!;
        total += v * v;
      }
    varRandom += (sigma2 * total) / n;
  });
  const all = varFixed + varRandom + sigma2;
  return {
    marginal: varFixed / all,
    conditional: (varFixed + varRandom) / all,
    varFixed,
    varRandom,
    varResidual: sigma2,
  };
}
