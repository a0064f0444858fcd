/**
 * The generic vocabulary of lme4 and brms over both kinds of result: `fixef`, `ranef`, `varCorr`,
 * `coef`, `fitted`, `residuals`, `summary`, `confint`, `logLik`, `nobs`, `formula` each accept a
 * REML/ML fit (`reml(model)`, `ml(model)`) or a posterior (`gibbs(model)`) and answer in the terms of
 * that kind — point estimates and standard errors for a fit (lme4), posterior means, sds and
 * credible intervals for a posterior (brms) — and throw an `ArgumentError` saying what they take for
 * anything else. The shared field names: `estimate` (REML estimate or posterior mean) and `se`
 * (standard error or posterior sd).
 *
 * This module only dispatches; the work is done where each concept lives: src/reml (fits),
 * posterior-summary.ts (posterior summaries), linear-predictor.ts (fitted values, residuals,
 * log-likelihood), coef.ts.
 */
import type { Posterior } from "../src/draws/posterior";
import type { Draws } from "../src/draws/types";
import { ArgumentError } from "../src/errors";
import { requireRows } from "../src/model/stats";
import { bootstrapConfint } from "../src/predict/bootstrap";
import { type ResidualOptions, remlResiduals } from "../src/predict/residuals";
import { type ConfidenceInterval, type ConfintOptions, confint as remlConfint } from "../src/reml/confint";
import { ranefByGroup } from "../src/reml/fit";
import { fitSummary } from "../src/reml/summary";
import type { RemlFit, VarCorrRow } from "../src/reml/types";
import { type CoefGroup, posteriorCoef, remlCoef } from "./coef";
import { posteriorFitted, posteriorLogLik, posteriorResiduals, type RowSummaries } from "./linear-predictor";
import {
  type CredibleInterval,
  type PosteriorRow,
  type PosteriorSummary,
  type PosteriorVarCorrRow,
  posteriorConfint,
  posteriorFixef,
  posteriorRanef,
  posteriorVarCorr,
  type RanefGroup,
  summarizePosterior,
} from "./posterior-summary";

/** Either kind of result. */
export type LmmResult = RemlFit | Posterior;

/** A fixed effect of a REML/ML fit: the estimate and its standard error. */
export interface FixefRow {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
}

/** lme4's `logLik(fit)`: the (restricted, for REML) log-likelihood and its degrees of freedom. */
export interface LogLik {
  readonly value: number;
  /** Number of parameters: fixed effects, theta and sigma. */
  readonly df: number;
  readonly nobs: number;
  readonly method: "REML" | "ML";
}

const TAKES = "must be a REML or ML fit (reml(model), ml(model)) or a posterior (gibbs(model))";

/** Whether `x` is a REML/ML fit. */
export function isRemlFit(x: unknown): x is RemlFit {
  return (
    typeof x === "object" &&
    x !== null &&
    ((x as RemlFit).method === "REML" || (x as RemlFit).method === "ML") &&
    Array.isArray((x as RemlFit).beta) &&
    Array.isArray((x as RemlFit).ranef)
  );
}

/** Whether `x` is a posterior from the Gibbs sampler. */
export function isPosterior(x: unknown): x is Posterior {
  return (
    typeof x === "object" &&
    x !== null &&
    (x as Posterior).values instanceof Float64Array &&
    Array.isArray((x as Posterior).parameters) &&
    Array.isArray((x as Posterior).factors) &&
    typeof (x as Posterior).settings === "object"
  );
}

/** Which kind of result `x` is, or a typed error naming the argument and what it takes. */
function kind(x: unknown, argument: string): "reml" | "posterior" {
  if (isRemlFit(x)) return "reml";
  if (isPosterior(x)) return "posterior";
  const what =
    x === null || typeof x !== "object" ? x : `an object with keys ${Object.keys(x).slice(0, 6).join(", ")}`;
  throw new ArgumentError(argument, TAKES, what);
}

/**
 * Fixed effects: lme4's `fixef` (estimates and standard errors) or their posterior summaries.
 *
 * @param x - a fit or a posterior
 * @param prob - (posterior) credible interval probability @default 0.95
 * @returns one row per X column, in X's order
 * @throws ArgumentError for anything else
 * @example fixef(reml(model))[1] // { name: "Days", estimate: 10.467, se: 1.546 }
 * @example fixef(post)[1] // { name: "Days", estimate: 10.47, se: 1.62, lower: 7.3, median: 10.47, upper: 13.7 }
 */
export function fixef(x: RemlFit): FixefRow[];
export function fixef(x: Posterior, prob?: number): PosteriorRow[];
export function fixef(x: LmmResult, prob?: number): FixefRow[] | PosteriorRow[];
export function fixef(x: LmmResult, prob = 0.95): FixefRow[] | PosteriorRow[] {
  if (kind(x, "fit") === "posterior") return posteriorFixef(x as Posterior, prob);
  const fit = x as RemlFit;
  return fit.fixedNames.map((name, j) => ({ name, estimate: fit.beta[j]!, se: fit.se[j]! }));
}

/**
 * Random effects per grouping factor, levels × names: lme4's `ranef(fit, condVar = TRUE)`
 * (conditional modes, conditional sds) or the posterior means, sds and credible intervals of b.
 *
 * @param x - a fit or a posterior
 * @param prob - (posterior) credible interval probability @default 0.95
 * @returns one entry per grouping factor (a factor's terms side by side, as lme4 lists them)
 * @throws ArgumentError for anything else
 * @example ranef(reml(model))[0].estimate[0] // Subject 308: [2.26, 9.20]
 */
export function ranef(x: LmmResult, prob = 0.95): RanefGroup[] {
  if (kind(x, "fit") === "posterior") return posteriorRanef(x as Posterior, prob);
  return Object.entries(ranefByGroup(x as RemlFit)).map(([group, r]) => ({
    group,
    levels: r.levels,
    names: r.names,
    estimate: r.values,
    se: r.condSd,
    lower: null,
    upper: null,
  }));
}

/**
 * Variance components, rows as R's `as.data.frame(VarCorr(fit))`: numbers for a fit (lme4's labels:
 * an uncorrelated term's second part is `Subject.1`), posterior summaries of each variance or
 * covariance and of each SD or correlation (computed per draw) for a posterior.
 *
 * @param x - a fit or a posterior
 * @param prob - (posterior) credible interval probability @default 0.95
 * @returns rows per factor (variances, then covariances), the residual last
 * @throws ArgumentError for anything else
 */
export function varCorr(x: RemlFit): readonly VarCorrRow[];
export function varCorr(x: Posterior, prob?: number): PosteriorVarCorrRow[];
export function varCorr(x: LmmResult, prob?: number): readonly VarCorrRow[] | PosteriorVarCorrRow[];
export function varCorr(x: LmmResult, prob = 0.95): readonly VarCorrRow[] | PosteriorVarCorrRow[] {
  if (kind(x, "fit") === "posterior") return posteriorVarCorr(x as Posterior, prob);
  return (x as RemlFit).varcorr;
}

/**
 * lme4's `coef`: per grouping factor and level, fixed + random effect for each column (the fixed
 * effect alone for a column that does not vary by the factor); for a posterior, beta + b per draw,
 * summarized.
 *
 * @param x - a fit or a posterior
 * @param prob - (posterior) credible interval probability @default 0.95
 * @returns one entry per grouping factor
 * @throws ArgumentError for anything else
 */
export function coef(x: LmmResult, prob = 0.95): CoefGroup[] {
  if (kind(x, "fit") === "posterior") return posteriorCoef(x as Posterior, prob);
  return remlCoef(x as RemlFit);
}

/**
 * Fitted values on the model's rows, offset + X beta + Z b: lme4's `fitted(fit)` (a Float64Array),
 * or per-row posterior summaries of them.
 *
 * @param x - a fit or a posterior
 * @param prob - (posterior) credible interval probability @default 0.95
 * @throws ArgumentError for anything else
 */
export function fitted(x: RemlFit): Float64Array;
export function fitted(x: Posterior, prob?: number): RowSummaries;
export function fitted(x: LmmResult, prob?: number): Float64Array | RowSummaries;
export function fitted(x: LmmResult, prob = 0.95): Float64Array | RowSummaries {
  if (kind(x, "fit") === "posterior") return posteriorFitted(x as Posterior, prob);
  requireRows((x as RemlFit).model, "Fitted values per row");
  return (x as RemlFit).fitted;
}

/**
 * Residuals y − fitted on the model's rows: lme4's `residuals(fit, type, scaled)` (response or
 * Pearson residuals — sqrt(w_i) / delta_level times the response ones with precision weights or
 * varIdent — divided by sigma when `scaled`; src/predict/residuals.ts), or per-row posterior
 * summaries of y − mu.
 *
 * @param x - a fit or a posterior
 * @param options - (fit) `{ type: "response" | "pearson", scaled }`; (posterior) the credible
 *   interval probability @default "response", unscaled; 0.95
 * @throws ArgumentError for anything else
 * @example residuals(fit, { type: "pearson", scaled: true })[0] // -0.1604 (lme4: -0.1603504)
 */
export function residuals(x: RemlFit, options?: ResidualOptions): Float64Array;
export function residuals(x: Posterior, prob?: number): RowSummaries;
export function residuals(x: LmmResult, options?: number | ResidualOptions): Float64Array | RowSummaries;
export function residuals(x: LmmResult, options?: number | ResidualOptions): Float64Array | RowSummaries {
  if (kind(x, "fit") === "posterior")
    return posteriorResiduals(x as Posterior, typeof options === "number" ? options : 0.95);
  if (typeof options === "number")
    throw new ArgumentError(
      "options",
      'must be { type: "response" | "pearson", scaled } for a REML/ML fit (a probability is for a posterior)',
      options,
    );
  requireRows((x as RemlFit).model, "Residuals per row");
  return remlResiduals(x as RemlFit, options);
}

/**
 * The summary: lme4's `summary(fit)` as text, or the posterior summary table (mean, sd, quantiles,
 * R-hat, bulk/tail ESS, MCSE) with its convergence warnings.
 *
 * @param x - a fit or a posterior
 * @param options - (posterior) `randomEffects: true` adds the b rows
 * @throws ArgumentError for anything else
 */
export function summary(x: RemlFit): string;
export function summary(x: Posterior, options?: { readonly randomEffects?: boolean }): PosteriorSummary;
export function summary(
  x: LmmResult,
  options?: { readonly randomEffects?: boolean },
): string | PosteriorSummary;
export function summary(
  x: LmmResult,
  options: { readonly randomEffects?: boolean } = {},
): string | PosteriorSummary {
  if (kind(x, "fit") === "posterior") return summarizePosterior(x as Posterior, options);
  return fitSummary(x as RemlFit);
}

/**
 * Intervals: for a fit, lme4's `confint(fit, method, level)` — `"wald"` (the default: the fixed
 * effects, estimate ± z se), `"profile"` (sds and correlations `.sig01`, ..., `.sigma` and the fixed
 * effects from the ML deviance's profile) or `"boot"` (percentile intervals of a parametric bootstrap,
 * `nsim` refits from `seed`); for a posterior, the central credible intervals of the fixed effects.
 *
 * @param x - a fit or a posterior
 * @param options - the level (a number), or for a fit { method, level, nsim, seed } @default 0.95, "wald"
 * @returns one row per parameter: name, estimate (REML/ML estimate or posterior mean), lower, upper
 * @throws ArgumentError for anything else, a level outside (0, 1) or an unknown method
 * @example confint(fit, { method: "profile" })[0] // { name: ".sig01", estimate: 23.78, lower: 14.38, upper: 37.72 }
 */
export function confint(
  x: LmmResult,
  options: number | ConfintOptions = 0.95,
): ConfidenceInterval[] | CredibleInterval[] {
  if (kind(x, "fit") === "posterior") {
    if (typeof options !== "number")
      throw new ArgumentError("level", "must be a number between 0 and 1 for a posterior", options);
    return posteriorConfint(x as Posterior, options);
  }
  return remlConfint(x as RemlFit, options, bootstrapConfint);
}

/**
 * The log-likelihood: lme4's `logLik(fit)` (the restricted one for REML) with its degrees of freedom,
 * or, for a posterior, its value at every kept draw (conditional on the draw's random effects) as
 * draws of one parameter `logLik`.
 *
 * @param x - a fit or a posterior (which must keep its random effects' draws)
 * @throws ArgumentError for anything else
 */
export function logLik(x: RemlFit): LogLik;
export function logLik(x: Posterior): Draws;
export function logLik(x: LmmResult): LogLik | Draws;
export function logLik(x: LmmResult): LogLik | Draws {
  if (kind(x, "fit") === "posterior") return posteriorLogLik(x as Posterior);
  const fit = x as RemlFit;
  return { value: fit.logLik, df: fit.npar, nobs: fit.nobs, method: fit.method };
}

/**
 * Number of observations (rows used).
 *
 * @throws ArgumentError for anything but a fit or a posterior
 */
export function nobs(x: LmmResult): number {
  kind(x, "fit");
  return x.nobs;
}

/**
 * The model formula, as written.
 *
 * @throws ArgumentError for anything but a fit or a posterior
 */
export function formula(x: LmmResult): string {
  kind(x, "fit");
  return x.formula;
}
