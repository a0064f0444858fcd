/**
 * REML and ML fits of a linear mixed model, as lme4's `lmer` makes them — a pipeline of stages a
 * user can also call one by one (lme4: `lFormula → mkLmerDevfun → optimizeLmer → mkMerMod`):
 *
 *     devianceFunction(model, method)  the profiled criterion of theta and its gradient (./factor, ./gradient)
 *     minimizeBounded(devfun, theta0)  projected BFGS, diagonal elements of theta ≥ 0 (../optim/bfgsb)
 *     fitFromTheta(devfun, theta)      estimates, variance components, conditional modes (./solution)
 *
 * @see Bates, Mächler, Bolker & Walker (2015) Fitting Linear Mixed-Effects Models Using lme4,
 *   JSS 67(1), doi:10.18637/jss.v067.i01.
 */
import { ArgumentError, DataError, LmmError } from "../errors";
import {
  checkComputable,
  checkNotFittedByFixedEffects,
  checkResidualVariation,
  scaledMoments,
} from "../limits";
import { symmetricEigenvalues } from "../linalg/symmetricEigenvalues";
import { checkModelWeights, checkRandomTerms } from "../model/checks";
import { checkStatistics, statisticsLayout, statisticsMoments } from "../model/stats";
import type { LmmModel } from "../model/types";
import { type MinimizeResult, minimizeBounded } from "../optim/bfgsb";
import { checkFitArgument, checkModelArgument, checkOptionsArgument } from "../validate";
import { fitAr1 } from "./ar1";
import { centre } from "./center";
import {
  criterionParts,
  type FactorWorkspace,
  factorize,
  factorWorkspace,
  profiledCriterion,
} from "./factor";
import { criterionGradient, type InverseWorkspace, inverseWorkspace } from "./gradient";
import { hessianFromGradient, newtonDecrement } from "./hessian";
import { solution } from "./solution";
import { momentStart } from "./start";
import { type BlockedSystem, buildSystem } from "./system";
import { modelThetaLayout, type ThetaLayout } from "./theta";
import type { FitMethod, FitOptions, OptimizerReport, RemlFit, VarCorrRow } from "./types";
import { varCorrRows } from "./varcorr";
import { fitVarIdent } from "./varident";

/** lme4's `isSingular` tolerance on the diagonal elements of theta. */
export const SINGULAR_TOLERANCE = 1e-4;

/** The profiled criterion of one model as a function of theta (lme4's `devfun`). */
export interface DevianceFunction {
  readonly model: LmmModel;
  readonly method: FitMethod;
  readonly system: BlockedSystem;
  readonly layout: ThetaLayout;
  /** Lower bounds of theta (0 on diagonal elements). */
  readonly lower: Float64Array;
  /** The criterion at theta (+Infinity where Omega(theta) is not positive definite). */
  value(theta: Float64Array): number;
  /** The analytic gradient at theta, into out. */
  gradient(theta: Float64Array, out: Float64Array): void;
  /** Number of `value` calls so far. */
  readonly evaluations: number;
  /** The factor at the last evaluated theta. */
  readonly factor: FactorWorkspace;
  readonly inverse: InverseWorkspace;
}

/**
 * Builds the profiled REML criterion or ML deviance of a model: the blocked cross-products are formed
 * once, every evaluation updates the blocked Cholesky factor L(theta) in preallocated storage.
 *
 * @param model - the model
 * @param method - "REML" or "ML"
 * @returns the deviance function
 * @throws ArgumentError / DataError when the model cannot be fitted (see `checkModel`) or has AR(1) residuals
 * @example
 * const f = devianceFunction(model, "REML");
 * f.value(new Float64Array([1])); // the REML criterion at theta = 1
 */
export function devianceFunction(model: LmmModel, method: FitMethod): DevianceFunction {
  checkModelArgument(model);
  // The iid criterion: an AR(1) model's is the whitened model's plus log det R (./ar1.ts).
  if (model.ar1 != null)
    throw new ArgumentError(
      "model",
      "has AR(1) residuals, which this criterion (of independent residuals) does not model: fit it with fitLmm/reml/ml, or whiten it first (whitenedModel in src/reml/ar1.ts)",
      model.formula,
    );
  checkModel(model);
  checkComputable(model);
  checkNotFittedByFixedEffects(model);
  return checkedDevianceFunction(model, method);
}

/** `devianceFunction` of a model whose checks have passed (fitLmm checks the data once, before centring). */
function checkedDevianceFunction(model: LmmModel, method: FitMethod): DevianceFunction {
  const system = buildSystem(model);
  const layout = modelThetaLayout(model);
  const factor = factorWorkspace(system, layout);
  const inverse = inverseWorkspace(system);
  const reml = method === "REML";
  let evaluations = 0;
  const same = (a: Float64Array, theta: Float64Array): boolean => {
    for (let i = 0; i < theta.length; i++) if (a[i] !== theta[i]) return false;
    return true;
  };
  // The last criterion and its theta: a repeated call at the theta the factor already holds (the
  // start's check, then the optimizer's first call; the optimum, then the fit's criterion) is not
  // factored again.
  const valueTheta = new Float64Array(layout.length).fill(Number.NaN);
  let lastValue = Number.NaN;
  return {
    model,
    method,
    system,
    layout,
    lower: layout.lower,
    factor,
    inverse,
    get evaluations() {
      return evaluations;
    },
    value(theta) {
      evaluations++;
      if (factor.ok && same(factor.theta, theta) && same(valueTheta, theta)) return lastValue;
      valueTheta.fill(Number.NaN);
      if (!factorize(system, layout, theta, factor)) return Number.POSITIVE_INFINITY;
      lastValue =
        profiledCriterion(criterionParts(system, factor), model.n, model.p, reml) - system.logWeights;
      valueTheta.set(theta);
      return lastValue;
    },
    gradient(theta, out) {
      if (!same(factor.theta, theta) || !factor.ok) {
        if (!factorize(system, layout, theta, factor)) {
          out.fill(Number.NaN);
          return;
        }
      }
      criterionGradient(system, layout, factor, inverse, reml, out);
    },
  };
}

/**
 * Checks that a model can be fitted, as lme4 does before fitting: at least one random-effects term,
 * more observations than fixed effects, a finite response, and the design stage's checks on the terms
 * (at least 2 levels, fewer levels and random effects than rows) — repeated here for models built by
 * hand rather than by `lmm`.
 *
 * @throws ArgumentError or DataError (INVALID_DATA) naming the term or column
 * @example
 * checkModel({ ...model, terms: [] }); // throws ArgumentError: at least one random-effects term
 */
export function checkModel(model: LmmModel): void {
  if (model.terms.length === 0)
    throw new ArgumentError(
      "model",
      "must have at least one random-effects term such as `(1 | g)`",
      model.formula,
    );
  if (model.n <= model.p)
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The model has ${model.p} fixed effects but only ${model.n} rows; it needs more rows than fixed effects.`,
    );
  checkRandomTerms(model.terms, model.n, (term) => `(${term.names.join(" + ")} | ${term.group})`);
  checkModelWeights(model.weights, model.n);
  if (model.statistics !== undefined) checkStatistics(model);
  else
    for (let i = 0; i < model.n; i++)
      if (!Number.isFinite(model.y[i]!))
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The response \`${model.response}\` is not finite in row ${i + 1}.`,
          { column: model.response, row: i + 1 },
        );
}

/**
 * Fits a linear mixed model by REML or ML.
 *
 * @param model - the model (from `lmm(formula, data)`)
 * @param options - method, start, Hessian check
 * @returns the fit
 * @throws ArgumentError/DataError for a model that cannot be fitted; LmmError (NUMERICAL) when the
 *   criterion is not finite at the start (e.g. X is rank deficient)
 * @example
 * const fit = fitLmm(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy), { method: "ML" });
 * fit.deviance; // 1751.939 (lme4: 1751.939)
 */
export function fitLmm(model: LmmModel, options: FitOptions & { readonly method?: FitMethod } = {}): RemlFit {
  const started = performance.now();
  checkOptionsArgument(options);
  const method = options.method ?? "REML";
  if (method !== "REML" && method !== "ML")
    throw new ArgumentError("options.method", 'must be "REML" or "ML"', method);
  if (options.start !== undefined && !Array.isArray(options.start) && !ArrayBuffer.isView(options.start))
    throw new ArgumentError("options.start", "must be an array of numbers (theta)", options.start);
  if (
    options.checkHessian !== undefined &&
    typeof options.checkHessian !== "boolean" &&
    options.checkHessian !== "auto"
  )
    throw new ArgumentError("options.checkHessian", 'must be true, false or "auto"', options.checkHessian);
  if (
    options.maxIterations !== undefined &&
    !(Number.isSafeInteger(options.maxIterations) && options.maxIterations >= 1)
  )
    throw new ArgumentError("options.maxIterations", "must be a positive integer", options.maxIterations);
  if (options.onProgress !== undefined && typeof options.onProgress !== "function")
    throw new ArgumentError("options.onProgress", "must be a function", options.onProgress);
  checkModelArgument(model);
  if (model.varIdent !== null && model.varIdent !== undefined)
    return fitVarIdent(model, method, options, fitLmm);
  if (model.ar1 !== null && model.ar1 !== undefined) return fitAr1(model, method, options, fitLmm);
  // The data's own numbers (y + 1e17 has lost its digits before any centring can help).
  checkComputable(model);
  // The fit runs on a centred copy (./center.ts): invariant to shifts of y and the covariates.
  checkModel(model);
  const centring = centre(model);
  // The centred copy passes checkModel and checkComputable when the model does; the fixed effects'
  // fit of y is judged on it (as devianceFunction would).
  checkNotFittedByFixedEffects(centring.model);
  const devfun = checkedDevianceFunction(centring.model, method);
  // The start: for scalar intercept terms only, moment estimates of the variance ratios from the
  // cross-products (./start.ts): θ_k = τ_k / σ, where V_k = τ_k² + Σ_{l≠k} c_kl τ_l² + σ² mean_j(1/n_kj)
  // (V_k the variance of term k's level means of the fixed-effects residuals, c_kl the share of term
  // l's variance left in them) and RSS/(n − p) = σ² + Σ_k τ_k². Otherwise lme4's θ = 1.
  const theta0 = momentStart(centring.model, devfun.system, devfun.layout);
  if (options.start !== undefined) {
    if (options.start.length !== theta0.length || !options.start.every(Number.isFinite))
      throw new ArgumentError("options.start", `must hold ${theta0.length} finite numbers`, options.start);
    theta0.set(centring.toCentred(Float64Array.from(options.start)));
  }
  // The start is checked where the optimizer first evaluates it, sinh(asinh(theta0)) (which may differ
  // from theta0 in the last bit): its first evaluation then reuses this one's factor.
  const plain = optimizerCoordinates(devfun);
  const phi0 = plain.fromTheta(theta0);
  if (!Number.isFinite(devfun.value(plain.toTheta(phi0)))) {
    const { mean, sd } =
      model.statistics !== undefined
        ? statisticsMoments(model.statistics, model.n, statisticsLayout(model.terms, model.p).yIndex)
        : scaledMoments(model.n, (i) => model.y[i]!);
    if (Math.abs(mean) > 1e6 * sd)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The response \`${model.response}\` is far from zero against its variation (mean ${mean.toPrecision(3)}, sd ${sd.toPrecision(3)}): its sums of squares lose the digits of its variation, and the criterion cannot be evaluated; subtract a constant near its mean from it.`,
        { column: model.response },
      );
    throw new LmmError(
      "NUMERICAL",
      "the criterion cannot be evaluated at the starting values: the fixed-effects design X is probably rank deficient, or the response is fitted exactly.",
    );
  }
  // Unconstrained: the criterion is smooth on all of R^length(theta) and unchanged when a column of
  // some T_k changes sign (Psi_k = sigma² T_k T_k' stays the same), so its minimum over the whole space
  // is lme4's constrained minimum; canonicalTheta maps it back to T_k[c,c] ≥ 0. This avoids the
  // stalls of a bound-constrained method on diagonal elements at 0, where the gradient vanishes too.
  const onProgress = options.onProgress;
  const coords =
    onProgress === undefined
      ? plain
      : {
          ...plain,
          value(phi: Float64Array): number {
            const criterion = plain.value(phi);
            onProgress({ evaluations: devfun.evaluations, criterion });
            return criterion;
          },
        };
  const result = minimizeBounded(coords, phi0, {
    maxIterations: options.maxIterations ?? 500,
    initialScaling: "diagonal",
    stepLimit: coords.stepLimit,
  });
  const optimum = coords.toTheta(result.x);
  const gradient = coords.thetaGradient(result.x, result.gradient);
  const theta = canonicalTheta(devfun, optimum, result.value);
  const fit = fitFromTheta(
    devfun,
    { ...result, x: theta, gradient },
    options.checkHessian ?? "auto",
    started,
  );
  const modelTheta = centring.fromCentred(theta);
  // A centred random term's conditional variances need its whole level block: read from the model
  // itself at the mapped theta, when first asked for.
  const restored = centring.restore(fit, () => {
    const own = devianceFunction(model, method);
    own.value(modelTheta);
    const est = solution(model, own.system, own.factor, own.inverse, method === "REML");
    return model.terms.map((term, k) =>
      Array.from({ length: term.m }, (_, l) =>
        Array.from({ length: term.q }, (_, a) => Math.sqrt(est.condVar[k]![l * term.q + a]!)),
      ),
    );
  });
  checkResidualVariation(model, restored.sigma);
  if (!centring.reparametrizedTerms) return restored;
  const singularReasons = describeSingular(model, modelThetaLayout(model), modelTheta, restored.varcorr);
  return { ...restored, singular: singularReasons.length > 0, singularReasons };
}

/**
 * The coordinates the optimizer works in: phi = asinh(theta) for diagonal elements of the T_k, theta
 * itself for the others. asinh is linear near 0, so boundary fits (theta = 0) stay an ordinary
 * smooth minimum, and logarithmic for large values, where the criterion behaves like a function of
 * log theta (theta is a ratio of standard deviations); the criterion is then closer to quadratic and
 * BFGS needs fewer iterations (InstEval: 22 → 12–14; bench/reml.bench.ts).
 *
 * The last diagonal element of each T_k (a scalar term's theta) enters the criterion only through its
 * square, so crossing 0 lands on a point equivalent to its mirror image: a step may shrink such an
 * element at most by half (unless it is already below 1e-4), which keeps early quasi-Newton steps from
 * overshooting through 0 (InstEval: 21 → 15 criterion evaluations).
 */
function optimizerCoordinates(devfun: DevianceFunction): {
  value(phi: Float64Array): number;
  gradient(phi: Float64Array, out: Float64Array): void;
  fromTheta(theta: Float64Array): Float64Array;
  toTheta(phi: Float64Array): Float64Array;
  thetaGradient(phi: Float64Array, phiGradient: Float64Array): Float64Array;
  stepLimit(phi: Float64Array, d: Float64Array): number;
} {
  const { layout } = devfun;
  const n = layout.length;
  const diagonal = Array.from({ length: n }, (_, t) => layout.row[t] === layout.col[t]);
  const even = Array.from(
    { length: n },
    (_, t) => diagonal[t]! && layout.col[t] === layout.q[layout.term[t]!]! - 1,
  );
  const theta = new Float64Array(n);
  const map = (phi: Float64Array): Float64Array => {
    for (let t = 0; t < n; t++) theta[t] = diagonal[t] ? Math.sinh(phi[t]!) : phi[t]!;
    return theta;
  };
  return {
    value: (phi) => devfun.value(map(phi)),
    gradient(phi, out) {
      devfun.gradient(map(phi), out);
      for (let t = 0; t < n; t++) if (diagonal[t]) out[t]! *= Math.cosh(phi[t]!);
    },
    fromTheta: (th) => th.map((v, t) => (diagonal[t] ? Math.asinh(v) : v)),
    toTheta: (phi) => map(phi).slice(),
    thetaGradient: (phi, g) => g.map((v, t) => (diagonal[t] ? v / Math.cosh(phi[t]!) : v)),
    stepLimit(phi, d) {
      let limit = 1;
      for (let t = 0; t < n; t++)
        if (even[t] && Math.abs(phi[t]!) > 1e-4 && phi[t]! * d[t]! < 0)
          limit = Math.min(limit, (0.5 * Math.abs(phi[t]!)) / Math.abs(d[t]!));
      return limit;
    },
  };
}

/**
 * lme4's representative of an optimum: every diagonal element of T_k made ≥ 0 by changing the sign
 * of its column (which leaves Psi_k unchanged), and diagonal elements within 1e-6 of 0 set to 0
 * exactly when that does not raise the criterion beyond rounding (a boundary fit, as lme4 reports it).
 *
 * @param devfun - the deviance function
 * @param x - an optimum of the unconstrained criterion
 * @param fx - the criterion there
 * @returns the canonical theta
 * @example
 * // (1 | g) + (1 + x | h): theta = (T1[0,0]; T2[0,0], T2[1,0], T2[1,1]).
 * canonicalTheta(devfun, new Float64Array([-0.7, 0.3, -0.2, 2e-9]), f);
 * // [0.7, 0.3, -0.2, 0]: T1's column negated, T2[1,1] set to 0 (when the criterion does not rise)
 */
export function canonicalTheta(devfun: DevianceFunction, x: Float64Array, fx: number): Float64Array {
  const { layout } = devfun;
  const theta = x.slice();
  for (let t = 0; t < layout.length; t++) {
    if (layout.row[t] !== layout.col[t] || !(theta[t]! < 0)) continue;
    // Negate column col of term k: elements t' of the same term and column.
    for (let u = 0; u < layout.length; u++)
      if (layout.term[u] === layout.term[t] && layout.col[u] === layout.col[t]) theta[u] = -theta[u]!;
  }
  for (let t = 0; t < layout.length; t++) {
    if (layout.row[t] !== layout.col[t] || theta[t] === 0 || !(theta[t]! < 1e-6)) continue;
    const trial = theta.slice();
    trial[t] = 0;
    if (devfun.value(trial) <= fx + 1e-14 * (1 + Math.abs(fx))) theta[t] = 0;
  }
  return theta;
}

/**
 * REML fit (lme4's `lmer(formula, data)`).
 *
 * @param model - the model
 * @param options - start, Hessian check
 * @returns the fit
 * @example
 * const fit = reml(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy));
 * fit.REMLcrit; // 1743.628
 */
export function reml(model: LmmModel, options: FitOptions = {}): RemlFit {
  return fitLmm(model, { ...options, method: "REML" });
}

/**
 * ML fit (lme4's `lmer(formula, data, REML = FALSE)`).
 *
 * @param model - the model
 * @param options - start, Hessian check
 * @returns the fit
 * @example
 * const fit = ml(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy));
 * fit.deviance; // 1751.939
 */
export function ml(model: LmmModel, options: FitOptions = {}): RemlFit {
  return fitLmm(model, { ...options, method: "ML" });
}

/**
 * The fit at a given theta, without optimizing (lme4's `mkMerMod` at `theta`): the estimates, variance
 * components, conditional modes and criterion there, on the model's own (uncentred) system. For
 * comparisons at another program's optimum, and for refits at a known theta.
 *
 * @param model - the model
 * @param theta - covariance parameters, lme4's layout (diagonal elements ≥ 0)
 * @param method - "REML" or "ML" @default "REML"
 * @returns the fit at theta (its optimizer report says no optimization was run)
 * @throws ArgumentError for a theta of the wrong length or with a negative diagonal element;
 *   LmmError (NUMERICAL) when the criterion is not finite there
 * @example fitAtTheta(model, [0.9667, 0.0152, 0.2309]).beta // lme4's fixef of sleepstudy's slope model
 */
export function fitAtTheta(model: LmmModel, theta: readonly number[], method: FitMethod = "REML"): RemlFit {
  const started = performance.now();
  if (method !== "REML" && method !== "ML")
    throw new ArgumentError("method", 'must be "REML" or "ML"', method);
  const devfun = devianceFunction(model, method);
  const layout = devfun.layout;
  if (
    !Array.isArray(theta) ||
    theta.length !== layout.length ||
    !theta.every((v, t) => Number.isFinite(v) && v >= layout.lower[t]!)
  )
    throw new ArgumentError(
      "theta",
      `must hold ${layout.length} finite numbers, the diagonal elements of each T_k at least 0`,
      theta,
    );
  const x = Float64Array.from(theta);
  const value = devfun.value(x);
  if (!Number.isFinite(value))
    throw new LmmError("NUMERICAL", "the criterion cannot be evaluated at this theta.");
  return fitFromTheta(
    devfun,
    {
      x,
      value,
      gradient: new Float64Array(layout.length),
      projectedGradientNorm: 0,
      atBound: [],
      iterations: 0,
      evaluations: 1,
      gradientEvaluations: 0,
      converged: true,
      reason: "gradient",
      message: "no optimization: the fit at a given theta",
      predictedDecrease: null,
    },
    false,
    started,
  );
}

/**
 * The fit at the optimizer's solution: estimates, variance components, conditional modes, criteria
 * and the convergence report.
 */
export function fitFromTheta(
  devfun: DevianceFunction,
  result: MinimizeResult,
  checkHessian: boolean | "auto",
  started: number,
): RemlFit {
  const { model, system, layout, factor, inverse, method } = devfun;
  const reml = method === "REML";
  const theta = result.x;
  const doHessian = checkHessian === "auto" ? system.nr <= 400 : checkHessian;
  // The optimizer's gradient serves the report (sign flips of columns of T_k do not change its norm);
  // the Hessian check needs it at the canonical theta itself.
  let gradient = result.gradient;
  if (doHessian) {
    gradient = new Float64Array(layout.length);
    devfun.value(theta);
    devfun.gradient(theta, gradient);
  }
  const criterion = devfun.value(theta);
  const est = solution(model, system, factor, inverse, reml);
  const sigma = Math.sqrt(est.sigma2);
  const p = model.p;

  // Convergence checks.
  const warnings: string[] = [];
  let decrement: number | null = null;
  let minEigen: number | null = null;
  const free: number[] = [];
  // Parameters on the boundary (a zero diagonal element) are left out of the Hessian check, as lme4 does.
  for (let t = 0; t < layout.length; t++)
    if (layout.row[t] !== layout.col[t] || !(theta[t]! < SINGULAR_TOLERANCE)) free.push(t);
  if (!result.converged) warnings.push(`the optimizer did not converge (${result.message}).`);
  if (doHessian && free.length > 0) {
    const H = hessianFromGradient((x, out) => devfun.gradient(x, out), theta, free);
    const nf = free.length;
    minEigen = symmetricEigenvalues(
      nf,
      H,
      nf,
      1,
      0,
      new Float64Array(nf),
      1,
      0,
      new Float64Array(nf * nf),
      0,
    )[0]!;
    const g = Float64Array.from(free, (t) => gradient[t]!);
    decrement = newtonDecrement(H, g);
    if (!(minEigen > 0))
      warnings.push(
        "the criterion's Hessian is not positive definite at the estimate: it may be a saddle point, or the model may have more covariance parameters than the data can identify.",
      );
    else if (decrement > 1e-4)
      warnings.push(
        `the criterion could still decrease by about ${decrement.toPrecision(2)} (Newton step): the estimate may not be fully converged.`,
      );
    devfun.value(theta);
  }

  // Variance components and conditional modes.
  const varcorr: VarCorrRow[] = varCorrRows(model, factor.T, sigma);
  const singularReasons = describeSingular(model, layout, theta, varcorr);
  const ranef = model.terms.map((term, k) => {
    const values: number[][] = [];
    const condSd: number[][] = [];
    for (let l = 0; l < term.m; l++) {
      const row: number[] = [];
      const sd: number[] = [];
      for (let a = 0; a < term.q; a++) {
        row.push(est.b[k]![l * term.q + a]!);
        sd.push(Math.sqrt(est.condVar[k]![l * term.q + a]!));
      }
      values.push(row);
      condSd.push(sd);
    }
    return { label: term.label, group: term.group, levels: term.levels, names: term.names, values, condSd };
  });
  const ngroups: Record<string, number> = {};
  for (const term of model.terms) ngroups[term.group] = term.m;
  const npar = p + layout.length + 1;
  const logLik = -criterion / 2;
  const beta = Array.from(est.beta);
  const vcov: number[][] = [];
  for (let a = 0; a < p; a++) vcov.push(Array.from(est.vcov.subarray(a * p, a * p + p)));
  const optimizer: OptimizerReport = {
    name: "bfgs-b",
    evaluations: result.evaluations,
    gradientEvaluations: result.gradientEvaluations,
    iterations: result.iterations,
    converged: result.converged,
    message: result.message,
    gradientNorm: gradient.reduce((m, v) => Math.max(m, Math.abs(v)), 0),
    predictedDecrease: result.predictedDecrease,
    newtonDecrement: decrement,
    hessianSkipped: !doHessian ? "large" : free.length === 0 ? "boundary" : null,
    hessianMinEigenvalue: minEigen,
    warnings,
    seconds: (performance.now() - started) / 1000,
  };
  return {
    method,
    formula: model.formula,
    response: model.response,
    nobs: model.n,
    ngroups,
    fixedNames: model.fixedNames,
    beta,
    se: vcov.map((row, a) => Math.sqrt(row[a]!)),
    vcov,
    sigma,
    theta: Array.from(theta),
    varcorr,
    ranef,
    criterion,
    REMLcrit: reml ? criterion : null,
    deviance: reml ? null : criterion,
    logLik,
    npar,
    AIC: criterion + 2 * npar,
    BIC: criterion + npar * Math.log(model.n),
    singular: singularReasons.length > 0,
    singularReasons,
    fitted: est.fitted,
    residuals: est.residuals,
    optimizer,
    model,
  };
}

/**
 * lme4's `isSingular` (a diagonal element of some T_k below 1e-4), explained: which variance is zero,
 * or which random effects are perfectly correlated.
 */
function describeSingular(
  model: LmmModel,
  layout: ThetaLayout,
  theta: Float64Array,
  varcorr: readonly VarCorrRow[],
): string[] {
  const reasons: string[] = [];
  for (let t = 0; t < layout.length; t++) {
    if (layout.row[t] !== layout.col[t] || !(theta[t]! < SINGULAR_TOLERANCE)) continue;
    const term = model.terms[layout.term[t]!]!;
    const name = term.names[layout.row[t]!]!;
    if (term.q === 1) {
      const what = name === "(Intercept)" ? "random intercepts" : `random \`${name}\` effects`;
      reasons.push(
        `the variance of the ${what} for \`${term.label}\` is estimated as zero: the groups differ no more than the residual noise explains.`,
      );
      continue;
    }
    const variance =
      varcorr.find((r) => r.grp === term.label && r.var1 === name && r.var2 === null)?.vcov ?? 0;
    const residual = varcorr[varcorr.length - 1]!.vcov;
    if (variance <= 1e-8 * residual)
      reasons.push(
        `the variance of the random \`${name}\` effects for \`${term.label}\` is estimated as zero.`,
      );
    else
      reasons.push(
        `the random effects of \`${term.label}\` are perfectly correlated (a correlation of ±1): \`${name}\` is a linear function of the columns before it, so their covariance matrix is singular.`,
      );
  }
  if (reasons.length > 0)
    reasons.push(
      "A singular fit is a valid maximum of the criterion on its boundary, but the model is probably more complex than the data support; consider simplifying the random effects.",
    );
  return reasons;
}

/** Conditional modes of one grouping factor, all its terms' columns side by side. */
export interface GroupRanef {
  readonly levels: readonly string[];
  readonly names: readonly string[];
  /** levels × names: conditional modes. */
  readonly values: readonly (readonly number[])[];
  /** levels × names: conditional standard deviations. */
  readonly condSd: readonly (readonly number[])[];
}

/**
 * The conditional modes by grouping factor, as lme4's `ranef(fit)` lists them: the columns of every
 * term of the same factor (e.g. `(1 | Subject) + (0 + Days | Subject)`) side by side.
 *
 * @param fit - a fit
 * @returns { group name: { levels, names, values, condSd } } in the order the groups first appear
 * @example
 * ranefByGroup(fit)["Subject"].names; // ["(Intercept)", "Days"]
 */
export function ranefByGroup(fit: RemlFit): Record<string, GroupRanef> {
  checkFitArgument(fit);
  const out: Record<
    string,
    { levels: readonly string[]; names: string[]; values: number[][]; condSd: number[][] }
  > = {};
  for (const term of fit.ranef) {
    const g = out[term.group];
    if (g === undefined) {
      out[term.group] = {
        levels: term.levels,
        names: [...term.names],
        values: term.values.map((r) => [...r]),
        condSd: term.condSd.map((r) => [...r]),
      };
      continue;
    }
    g.names.push(...term.names);
    term.values.forEach((r, l) => {
      g.values[l]!.push(...r);
    });
    term.condSd.forEach((r, l) => {
      g.condSd[l]!.push(...r);
    });
  }
  return out;
}
