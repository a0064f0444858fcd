/**
 * REML and ML with a residual variance per level of a factor (nlme's `varIdent(form = ~ 1 | g)`):
 * row i's residual variance is sigma² delta_{g(i)}², delta = 1 for the first level. Given delta, the
 * model is the one with precision weights w_i = 1 / delta_{g(i)}² (times the model's own weights),
 * whose profiled criterion (./fit.ts, with lme4's -sum log w) is the criterion of the varIdent model
 * at (theta, delta) — nlme's restricted (or full) likelihood profiled over sigma. So the fit is
 *
 *     min over eta = log delta_{2..G} of  min over theta of  criterion(theta; w(eta)),
 *
 * the inner minimum an ordinary weighted fit (started from the previous theta), the outer one by the
 * same quasi-Newton optimizer on central differences of the inner minimum (eta is a handful of log
 * ratios). The fit's npar, AIC and BIC count the G - 1 ratios, as nlme's do.
 *
 * Reference: Pinheiro & Bates (2000) Mixed-Effects Models in S and S-PLUS, §5.2.1 (varIdent).
 */
import { LmmError } from "../errors";
import type { LmmModel } from "../model/types";
import { minimizeBounded } from "../optim/bfgsb";
import type { FitMethod, FitOptions, RemlFit } from "./types";

/** The fit of the model with precision weights w (no varIdent). */
type InnerFit = (model: LmmModel, options: FitOptions & { readonly method?: FitMethod }) => RemlFit;

/**
 * Fits a model with `model.varIdent` by profiling the variance ratios.
 *
 * @param model - the model (its `varIdent` set)
 * @param method - "REML" or "ML"
 * @param options - the fit's options (its start is theta's)
 * @param inner - the fit of a weighted model without varIdent (./fit.ts's)
 * @returns the fit, with `varIdent` (group, levels, delta per level)
 */
export function fitVarIdent(
  model: LmmModel,
  method: FitMethod,
  options: FitOptions,
  inner: InnerFit,
): RemlFit {
  const vi = model.varIdent!;
  const G = vi.levels.length;
  const n = model.n;
  const base = model.weights ?? null;
  const weights = new Float64Array(n);
  let start: readonly number[] | undefined = options.start;
  const innerOptions: FitOptions & { readonly method: FitMethod } = {
    method,
    checkHessian: false,
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  };
  const fitAt = (eta: Float64Array, final = false): RemlFit => {
    for (let i = 0; i < n; i++) {
      const l = vi.refs[i]!;
      const w = l === 0 ? 1 : Math.exp(-2 * eta[l - 1]!);
      weights[i] = base === null ? w : base[i]! * w;
    }
    const fit = inner(
      { ...model, varIdent: null, weights: Float64Array.from(weights) },
      {
        ...innerOptions,
        ...(start === undefined ? {} : { start }),
        ...(final ? { checkHessian: options.checkHessian ?? "auto" } : {}),
      },
    );
    return fit;
  };
  const value = (eta: Float64Array): number => {
    try {
      return fitAt(eta).criterion;
    } catch (error) {
      if (error instanceof LmmError && error.code === "NUMERICAL") return Number.POSITIVE_INFINITY;
      throw error;
    }
  };
  // Start from each stratum's residual variance against the first's (a pooled fit's residuals).
  const eta0 = new Float64Array(G - 1);
  const pooled = fitAt(eta0);
  start = pooled.theta;
  const ss = new Float64Array(G);
  const count = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    const w = base === null ? 1 : base[i]!;
    ss[vi.refs[i]!]! += w * pooled.residuals[i]! ** 2;
    count[vi.refs[i]!]!++;
  }
  for (let l = 1; l < G; l++) {
    const ratio = ss[l]! / count[l]! / (ss[0]! / count[0]!);
    eta0[l - 1] = Number.isFinite(ratio) && ratio > 0 ? 0.5 * Math.log(ratio) : 0;
  }
  const h = 1e-4;
  const result = minimizeBounded(
    {
      value,
      gradient(eta, out) {
        const e = Float64Array.from(eta);
        for (let j = 0; j < eta.length; j++) {
          e[j] = eta[j]! + h;
          const up = value(e);
          e[j] = eta[j]! - h;
          const down = value(e);
          e[j] = eta[j]!;
          out[j] = (up - down) / (2 * h);
        }
      },
    },
    eta0,
    { gradientTolerance: 1e-6, decreaseTolerance: 1e-13, initialStep: 0.5 },
  );
  const fit = fitAt(result.x, true);
  const npar = fit.npar + G - 1;
  const delta = [1, ...Array.from(result.x, Math.exp)];
  return {
    ...fit,
    model,
    npar,
    AIC: fit.criterion + 2 * npar,
    BIC: fit.criterion + npar * Math.log(n),
    varIdent: { group: vi.group, levels: vi.levels, delta },
  };
}
