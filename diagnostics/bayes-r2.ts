/**
 * Bayesian R² (Gelman, Goodrich, Gabry & Vehtari 2019): at every draw d, the variance of the fitted
 * values over the rows against that plus the residual variance,
 *
 *     R²_d = V(mu_d) / (V(mu_d) + sigma2_d)             residuals: "model" (the paper's choice)
 *     R²_d = V(mu_d) / (V(mu_d) + V(y - mu_d))          residuals: "data" (brms's and rstanarm's bayes_R2)
 *
 * With precision weights or varIdent the rows' residual variances differ (sigma2_{level(i),d} / w_i):
 * "model" then uses their mean over the rows, sigma2-bar_d = sum_i sigma2_{level(i),d} / w_i / n (the
 * expected residual variance of a row drawn at random from the data), so R²_d = V(mu_d) /
 * (V(mu_d) + sigma2-bar_d); "data" is unchanged (the residuals' own variance, unweighted).
 *
 * V the sample variance over the n rows (denominator n − 1), mu_d = X beta_d + Z b_d (the terms `re`
 * includes): so every draw's R² is in [0, 1], and its posterior is summarized as brms does (Estimate,
 * Est.Error, Q2.5, Q97.5).
 *
 * @see Gelman, Goodrich, Gabry & Vehtari (2019) R-squared for Bayesian regression models, The American
 *   Statistician 73(3):307–309, doi:10.1080/00031305.2018.1549100
 */
import type { Posterior } from "../src/draws/posterior";
import type { Draws } from "../src/draws/types";
import { ArgumentError } from "../src/errors";
import type { ReForm } from "../src/predict/newdata";
import { predictiveEvaluator } from "../src/predict/posterior";
import { checkOptionKinds } from "../src/validate";
import { checkProb, type PosteriorRow, summarizeQuantities } from "./posterior-summary";

/** Options of `bayesR2`. */
export interface BayesR2Options {
  /** Which residual variance: the model's sigma2 ("model") or the residuals' own ("data"). @default "model" */
  readonly residuals?: "model" | "data";
  /** Random-effects terms in the fitted values (as in `posteriorLinpred`). @default "all" */
  readonly re?: ReForm;
  /** Credible interval probability. @default 0.95 */
  readonly prob?: number;
}

/** Bayesian R²: its draws and their summary. */
export interface BayesR2 extends PosteriorRow {
  /** R² at every draw (one parameter, `R2`, chains × iterations). */
  readonly draws: Draws;
  readonly residuals: "model" | "data";
}

/**
 * Bayesian R² of a posterior on its own rows (see the file comment).
 *
 * @param posterior - the sampler's result (random effects kept as draws unless `re: "none"`)
 * @param options - residuals ("model" | "data"), re, prob
 * @returns the summary (estimate = posterior mean, se = sd, lower, median, upper) and the draws
 * @throws ArgumentError for a bad option or a posterior without its random effects' draws
 * @example bayesR2(post).estimate // 0.80 for sleepstudy (Days | Subject)
 */
export function bayesR2(posterior: Posterior, options: BayesR2Options = {}): BayesR2 {
  checkOptionKinds(options, { residuals: "string", prob: "number" });
  const residuals = options.residuals ?? "model";
  if (residuals !== "model" && residuals !== "data")
    throw new ArgumentError("options.residuals", 'must be "model" or "data"', residuals);
  const prob = options.prob ?? 0.95;
  checkProb(prob, "options.prob");
  const ev = predictiveEvaluator(posterior, options.re === undefined ? {} : { re: options.re }, "epred");
  const { n, chains, iterations } = ev;
  const y = ev.y!;
  const D = chains * iterations;
  const values = new Float64Array(D);
  const mu = new Float64Array(n);
  for (let d = 0; d < D; d++) {
    ev.evaluate(d, mu);
    const fit = sampleVariance(mu, null);
    const res = residuals === "model" ? ev.meanResidualVariance(d) : sampleVariance(mu, y);
    values[d] = fit / (fit + res);
  }
  const draws: Draws = { parameters: ["R2"], chains, iterations, values };
  const row = summarizeQuantities(draws, ["R2"], prob)[0]!;
  return { ...row, draws, residuals };
}

/** Sample variance (n − 1) of mu, or of y − mu when y is given; two passes. */
function sampleVariance(mu: Float64Array, y: Float64Array | null): number {
  const n = mu.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y === null ? mu[i]! : y[i]! - mu[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = (y === null ? mu[i]! : y[i]! - mu[i]!) - mean;
    ss += v * v;
  }
  return ss / (n - 1);
}
