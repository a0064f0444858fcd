/**
 * `RemlFit`: the result of a REML or ML fit (plain data), and the options of `reml`/`ml`/`fitLmm`.
 * Names follow lme4 (`fixef`, `VarCorr`, `ranef`, `sigma`, `theta`, `REMLcrit`, `isSingular`).
 */
import type { LmmModel } from "../model/types";

/** Which criterion is optimized. */
export type FitMethod = "REML" | "ML";

/** One row of lme4's `as.data.frame(VarCorr(fit))`. */
export interface VarCorrRow {
  /** The term's label (`Subject`, `Subject.1`, `cask:batch`) or `Residual`. */
  readonly grp: string;
  /** First column name; null on the residual row. */
  readonly var1: string | null;
  /** Second column name on a covariance row, else null. */
  readonly var2: string | null;
  /** Variance or covariance. */
  readonly vcov: number;
  /** Standard deviation (variance rows) or correlation (covariance rows; NaN when a variance is 0). */
  readonly sdcor: number;
}

/** Conditional modes of one term's random effects (lme4's `ranef(fit, condVar = TRUE)`). */
export interface RanefTerm {
  /** The term's label, as in `varcorr`. */
  readonly label: string;
  /** The grouping factor's name. */
  readonly group: string;
  readonly levels: readonly string[];
  /** The term's column names. */
  readonly names: readonly string[];
  /** levels × names: the conditional modes b. */
  readonly values: readonly (readonly number[])[];
  /**
   * levels × names: conditional standard deviations, sqrt of the diagonal of
   * sigma² T (Lambda'Z'Z Lambda + I)^{-1}_{level block} T' (lme4's `condVar`, given beta and theta).
   */
  readonly condSd: readonly (readonly number[])[];
}

/** How the optimizer fared and what the convergence checks found. */
export interface OptimizerReport {
  /** "bfgs-b": projected BFGS with the analytic gradient (src/optim/bfgsb). */
  readonly name: string;
  readonly evaluations: number;
  readonly gradientEvaluations: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** The optimizer's message, in words. */
  readonly message: string;
  /** max |projected gradient| of the criterion at theta (analytic). */
  readonly gradientNorm: number;
  /**
   * The decrease of the criterion the optimizer's last quasi-Newton model still predicted (½ g'B⁻¹g),
   * in criterion units: how far from its minimum the criterion is. null when no such step was taken.
   */
  readonly predictedDecrease: number | null;
  /**
   * The decrease of the criterion a Newton step would still give, ½ g' H^{-1} g over the free
   * parameters, when the Hessian was checked (null otherwise). Below 1e-6 means the criterion is
   * at its minimum for every practical purpose.
   */
  readonly newtonDecrement: number | null;
  /**
   * Why the Hessian was not checked, or null when it was: `"large"` (over 400 random effects outside
   * the first factor; `checkHessian: true` forces the check) or `"boundary"` (every parameter is on
   * its boundary, so there is nothing free to check, as in lme4).
   */
  readonly hessianSkipped: "large" | "boundary" | null;
  /** Smallest eigenvalue of the Hessian over the free parameters (finite differences of the analytic gradient), or null. */
  readonly hessianMinEigenvalue: number | null;
  /** Convergence warnings in words (empty when all is well). */
  readonly warnings: readonly string[];
  /** Wall time of the fit in seconds. */
  readonly seconds: number;
}

/** The result of `reml(model)` / `ml(model)`. */
export interface RemlFit {
  readonly method: FitMethod;
  readonly formula: string;
  readonly response: string;
  /** Number of observations used. */
  readonly nobs: number;
  /** Number of levels of each grouping factor (keyed by group name, as lme4's `ngrps`). */
  readonly ngroups: Readonly<Record<string, number>>;
  /** Fixed-effect column names in order. */
  readonly fixedNames: readonly string[];
  /** Fixed effects beta, in `fixedNames` order. */
  readonly beta: readonly number[];
  /** Standard errors of beta. */
  readonly se: readonly number[];
  /** p × p covariance of beta: sigma² (R_X'R_X)^{-1}. */
  readonly vcov: readonly (readonly number[])[];
  /** Residual standard deviation. */
  readonly sigma: number;
  /** lme4's theta (each term's relative Cholesky factor, lower triangle by columns). */
  readonly theta: readonly number[];
  /** Variance components, rows as lme4's `as.data.frame(VarCorr(fit))`. */
  readonly varcorr: readonly VarCorrRow[];
  /** Conditional modes (and conditional SDs) per term, in the model's term order. */
  readonly ranef: readonly RanefTerm[];
  /** The optimized criterion: REML criterion or ML deviance. */
  readonly criterion: number;
  /** REML criterion (REML fits), else null. */
  readonly REMLcrit: number | null;
  /** ML deviance (ML fits), else null. */
  readonly deviance: number | null;
  /** Log-likelihood (REML fits: the restricted one, as lme4's `logLik`). */
  readonly logLik: number;
  /** Number of parameters: p + length(theta) + 1. */
  readonly npar: number;
  readonly AIC: number;
  readonly BIC: number;
  /** lme4's `isSingular`: some diagonal element of theta below 1e-4. */
  readonly singular: boolean;
  /** In plain words, what is singular (empty when not). */
  readonly singularReasons: readonly string[];
  /** Fitted values X beta + Z b + offset, length nobs. */
  readonly fitted: Float64Array;
  /** Residuals y - fitted. */
  readonly residuals: Float64Array;
  readonly optimizer: OptimizerReport;
  /** The model that was fitted (kept for `anova`, which may refit it by ML). */
  readonly model: LmmModel;
  /**
   * With `model.varIdent` (nlme's varIdent): the stratifying column, its levels and the estimated
   * ratio delta of each level's residual sd to the first level's (1 for the first; sigma is the
   * first level's). Absent otherwise.
   */
  readonly varIdent?: {
    readonly group: string;
    readonly levels: readonly string[];
    readonly delta: readonly number[];
  };
  /**
   * With `model.ar1` (nlme's corAR1): the time and grouping columns and the estimated lag-1
   * correlation phi of the residuals within a group. Absent otherwise.
   */
  readonly ar1?: {
    readonly time: string;
    readonly group: string;
    readonly phi: number;
  };
}

/** One confidence interval (`confint`). */
export interface ConfidenceInterval {
  readonly name: string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/** Options of `fitLmm`, `reml` and `ml`. */
export interface FitOptions {
  /** Starting theta. @default lme4's: identity factors */
  readonly start?: readonly number[];
  /**
   * Whether to check the Hessian at the optimum (finite differences of the analytic gradient,
   * 2 · length(theta) extra gradient evaluations). @default "auto": when one evaluation is cheap
   */
  readonly checkHessian?: boolean | "auto";
  /** Most optimizer iterations. @default 500 */
  readonly maxIterations?: number;
  /** Called after each evaluation of the criterion (for a progress line on large models). */
  readonly onProgress?: (progress: { readonly evaluations: number; readonly criterion: number }) => void;
}
