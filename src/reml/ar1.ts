/**
 * REML and ML with AR(1) residuals within groups (nlme's `corAR1(form = ~ time | g)`,
 * src/model/ar1.ts): e ~ N(0, sigma² R(phi)). With L the whitening map (L R(phi) L' = I), the model
 * whitened row by row — y, X, the offset and each term's Z values through L — has iid residuals,
 * the same beta, b, theta and sigma, and, since each AR group lies in one level of every term's
 * factor, the same Z layout (a whitened row keeps its row's levels). The densities differ by the
 * Jacobian of L, |det L| = det R^{-1/2}, so
 *
 *     criterion(theta, phi) = criterion_whitened(theta; phi) + log det R(phi)
 *
 * for ML (−2 log-likelihood) and for REML (log det X'V⁻¹X is the whitened system's), profiled over
 * sigma² as in the iid case — nlme's restricted (or full) likelihood of lme with corAR1. The fit is
 *
 *     min over eta = atanh(phi) of  min over theta of  criterion(theta, tanh(eta)),
 *
 * the inner minimum an ordinary fit of the whitened model (./fit.ts, started from the previous
 * theta), the outer one a coarse grid on eta (the criterion in phi can have more than one local
 * minimum when phi trades off against a random intercept's variance), then the quasi-Newton
 * optimizer on central differences from the grid's best point. Fitted values and residuals are
 * reported on the data's scale (X beta + Z b + offset), not the whitened one. npar, AIC and BIC count
 * phi, as nlme's do.
 *
 * Reference: Pinheiro & Bates (2000) Mixed-Effects Models in S and S-PLUS, §5.1 (the extended
 * linear mixed model, its whitening transformation and likelihood) and §5.3.1 (corAR1).
 */
import { LmmError } from "../errors";
import { ar1LogDeterminant, ar1Whiten } from "../model/ar1";
import type { LmmModel, RandomEffectsTerm } from "../model/types";
import { minimizeBounded } from "../optim/bfgsb";
import type { FitMethod, FitOptions, RemlFit } from "./types";

/** The fit of the model without ar1 (./fit.ts's). */
type InnerFit = (model: LmmModel, options: FitOptions & { readonly method?: FitMethod }) => RemlFit;

/** The eta = atanh(phi) of the starting grid: phi from −0.96 to 0.96. */
const GRID = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2];

/**
 * The model whitened at phi (no ar1): y, X, the offset and each term's values through L.
 *
 * @param model - a model with `ar1` and rows
 * @param phi - the lag-1 correlation, in (−1, 1)
 * @returns the whitened model, whose iid criterion plus log det R(phi) is the AR(1) model's
 */
export function whitenedModel(model: LmmModel, phi: number): LmmModel {
  const ar1 = model.ar1!;
  const { n, p } = model;
  const column = new Float64Array(n);
  const out = new Float64Array(n);
  const whitenStrided = (values: Float64Array, width: number): Float64Array => {
    const result = new Float64Array(values.length);
    for (let c = 0; c < width; c++) {
      for (let i = 0; i < n; i++) column[i] = values[i * width + c]!;
      ar1Whiten(ar1, phi, column, out);
      for (let i = 0; i < n; i++) result[i * width + c] = out[i]!;
    }
    return result;
  };
  const terms: RandomEffectsTerm[] = model.terms.map((t) => ({ ...t, values: whitenStrided(t.values, t.q) }));
  return {
    ...model,
    ar1: null,
    y: whitenStrided(model.y, 1),
    X: whitenStrided(model.X, p),
    offset: model.offset === null ? null : whitenStrided(model.offset, 1),
    terms,
  };
}

/**
 * The REML criterion or ML deviance of a model with AR(1) residuals at (theta, phi), profiled over
 * beta and sigma² only — no optimization (to check an optimum found elsewhere, e.g. nlme's).
 *
 * @param model - a model with `ar1`
 * @param method - "REML" or "ML"
 * @param theta - lme4's theta
 * @param phi - the lag-1 correlation
 * @param deviance - ./fit.ts's devianceFunction (passed in: fit.ts imports this module)
 * @returns the criterion
 * @example ar1Criterion(model, "REML", fit.theta, fit.ar1.phi, devianceFunction) // fit.criterion
 */
export function ar1Criterion(
  model: LmmModel,
  method: FitMethod,
  theta: readonly number[],
  phi: number,
  deviance: (model: LmmModel, method: FitMethod) => { value(theta: Float64Array): number },
): number {
  return (
    deviance(whitenedModel(model, phi), method).value(Float64Array.from(theta)) +
    ar1LogDeterminant(model.ar1!, phi)
  );
}

/**
 * Fits a model with `model.ar1` by profiling phi.
 *
 * @param model - the model (its `ar1` set)
 * @param method - "REML" or "ML"
 * @param options - the fit's options (its start is theta's)
 * @param inner - the fit of a model without ar1 (./fit.ts's)
 * @returns the fit, with `ar1` (time, group, phi), on the data's scale
 */
export function fitAr1(model: LmmModel, method: FitMethod, options: FitOptions, inner: InnerFit): RemlFit {
  const ar1 = model.ar1!;
  let start: readonly number[] | undefined = options.start;
  const innerOptions: FitOptions & { readonly method: FitMethod } = {
    method,
    checkHessian: false,
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  };
  const fitAt = (eta: number, final = false): RemlFit => {
    const phi = Math.tanh(eta);
    const fit = inner(whitenedModel(model, phi), {
      ...innerOptions,
      ...(start === undefined ? {} : { start }),
      ...(final ? { checkHessian: options.checkHessian ?? "auto" } : {}),
    });
    return { ...fit, criterion: fit.criterion + ar1LogDeterminant(ar1, phi) };
  };
  const value = (eta: number): number => {
    if (!(Math.abs(eta) < 15)) return Number.POSITIVE_INFINITY;
    try {
      const fit = fitAt(eta);
      start = fit.theta;
      return fit.criterion;
    } catch (error) {
      if (error instanceof LmmError && error.code === "NUMERICAL") return Number.POSITIVE_INFINITY;
      throw error;
    }
  };
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  let bestTheta = start;
  for (const eta of GRID) {
    const v = value(eta);
    if (v < bestValue) {
      bestValue = v;
      best = eta;
      bestTheta = start;
    }
  }
  if (!Number.isFinite(bestValue))
    throw new LmmError(
      "NUMERICAL",
      "the AR(1) model's criterion cannot be evaluated at any phi in (-0.96, 0.96).",
    );
  start = bestTheta;
  const h = 1e-4;
  const result = minimizeBounded(
    {
      value: (x) => value(x[0]!),
      gradient(x, out) {
        out[0] = (value(x[0]! + h) - value(x[0]! - h)) / (2 * h);
      },
    },
    Float64Array.of(best),
    { gradientTolerance: 1e-6, decreaseTolerance: 1e-13, initialStep: 0.25 },
  );
  const eta = result.value <= bestValue ? result.x[0]! : best;
  const fit = fitAt(eta, true);
  const phi = Math.tanh(eta);
  const { fitted, residuals } = dataScale(model, fit);
  const npar = fit.npar + 1;
  const criterion = fit.criterion;
  return {
    ...fit,
    model,
    criterion,
    REMLcrit: method === "REML" ? criterion : null,
    deviance: method === "ML" ? criterion : null,
    logLik: -criterion / 2,
    npar,
    AIC: criterion + 2 * npar,
    BIC: criterion + npar * Math.log(model.n),
    fitted,
    residuals,
    optimizer: {
      ...fit.optimizer,
      warnings: result.converged
        ? fit.optimizer.warnings
        : [...fit.optimizer.warnings, `the optimization over phi did not converge: ${result.message}`],
    },
    ar1: { time: ar1.time, group: ar1.group, phi },
  };
}

/** Fitted values X beta + Z b + offset and residuals y − fitted on the data's (unwhitened) rows. */
function dataScale(model: LmmModel, fit: RemlFit): { fitted: Float64Array; residuals: Float64Array } {
  const { n, p, X, y, offset } = model;
  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = offset === null ? 0 : offset[i]!;
    for (let j = 0; j < p; j++) v += X[i * p + j]! * fit.beta[j]!;
    model.terms.forEach((term, k) => {
      const b = fit.ranef[k]!.values[term.refs[i]!]!;
      for (let r = 0; r < term.q; r++) v += term.values[i * term.q + r]! * b[r]!;
    });
    fitted[i] = v;
    residuals[i] = y[i]! - v;
  }
  return { fitted, residuals };
}
