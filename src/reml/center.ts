/**
 * Centring for the REML/ML fit: the fit runs on a reparametrized model that loses no digits when the
 * response or a covariate sits far from zero, and its results are mapped back — exactly, since each
 * step is a reparametrization under which the REML criterion and the ML deviance are invariant.
 *
 * - X: when X has an intercept column, every other column is centred, X_c = X M with
 *   M = I - e_1 m' (m_j the column's mean). det M = 1, so REML's log|X'V⁻¹X| is unchanged;
 *   beta = M gamma, vcov(beta) = M vcov(gamma) M'.
 * - y: the fit is of y_c = y - offset - X_c beta0: with an intercept beta0 is mean(y - offset) on it
 *   (the other columns being centred, a shift of y moves only that); without one, the least-squares
 *   coefficients (two rounds of the normal equations). beta = M (beta0 + gamma). Residuals are the centred fit's; fitted = y - residuals.
 * - Z: in a random-effects term with an intercept, the other columns are centred too (Oxboys'
 *   `age + 1e4` in `(age | Subject)`): Z_c = Z A, A = I - e_1 mu', b = A b_c, Psi = A Psi_c A', and
 *   theta's T = the lower-triangular factor of A T_c (an LQ decomposition by Givens rotations: no
 *   squaring of a nearly singular Psi). Centring whatever the means makes a shifted and an unshifted
 *   data set the same problem for the optimizer, so they agree to rounding, not to its tolerance. The
 *   conditional variances of such a term are read from the model itself at the mapped theta (they
 *   need the whole level block, of which the fit keeps the diagonal).
 *
 * (Those conditional variances are computed on the uncentred system, so they carry its conditioning:
 * with Oxboys' age + 1e4, about 1e-5 relative.)
 *
 * Scaling (issue 17): a column of X or of a term's Z whose root mean square (after centring) is
 * outside [2^-6, 2^6] is also divided by the power of two nearest to it, s (exact in floating point):
 * X_s = X_c S⁻¹, beta = M S⁻¹ gamma_s; Z_s = Z_c D⁻¹, b = A D⁻¹ b_s, T_c = D⁻¹ T_s (rows scaled: still
 * lower triangular). Days × 1e-8 or × 1e8 then gives the optimizer the problem Days gives it. The ML
 * deviance is invariant; the REML criterion's log|X'V⁻¹X| is not (it changes by -2 sum log s_j), so
 * that term is added back: the criterion, logLik, AIC and BIC are those of the data as given.
 *
 * The criterion, sigma, the slopes' standard errors and VarCorr of the unshifted data come out to
 * rounding (sleepstudy with y + 1e9, Oxboys with age + 1e4: test/reml/center.test.ts); the
 * intercept's standard error is that of the shifted model's intercept, as lme4 reports it.
 */
import { potrf } from "../linalg/potrf";
import { potrs } from "../linalg/potrs";
import { isOnes, statisticsLayout, statisticsTotals, transformStatistics } from "../model/stats";
import type { LmmModel, RandomEffectsTerm } from "../model/types";
import { modelThetaLayout, type ThetaLayout } from "./theta";
import type { RemlFit } from "./types";
import { varCorrRows } from "./varcorr";

/** A model prepared for fitting, and the maps between its parametrization and the model's. */
export interface Centring {
  /** The model the optimizer works on. */
  readonly model: LmmModel;
  /** Whether any random term was reparametrized (theta then differs between the two). */
  readonly reparametrizedTerms: boolean;
  /** The model's theta → the centred model's (for a user's starting value). */
  toCentred(theta: Float64Array): Float64Array;
  /** The model's theta from the centred model's. */
  fromCentred(theta: Float64Array): Float64Array;
  /**
   * The fit of the model from the fit of the centred model.
   *
   * @param fit - the centred model's fit.
   * @param conditionalSds - computes every term's conditional SDs (levels × q) in the model's own
   *   parametrization at the mapped theta; called only when a reparametrized term's `condSd` is first
   *   read (it costs a factorization of the model itself), once.
   */
  restore(fit: RemlFit, conditionalSds: () => readonly (readonly (readonly number[])[])[]): RemlFit;
}

/**
 * Prepares a model for a fit that is invariant to shifts of y and of the covariates.
 *
 * @param model - the model as built by `lmm`.
 * @returns the centred model and the maps back.
 * @example
 * const c = centre(model);
 * c.restore(fitOf(c.model), () => conditionalSdsOf(model)); // the model's fit
 */
export function centre(model: LmmModel): Centring {
  if (model.statistics !== undefined) return centring(model, centreStatistics(model));
  const { n, p, X } = model;
  const intercept = interceptColumn(n, p, X);
  const means = new Float64Array(p);
  const Xc = X.slice();
  if (intercept >= 0) {
    // Column means in two passes over the rows (the second corrects the first, as R's mean does).
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) means[j] = means[j]! + X[i * p + j]!;
    for (let j = 0; j < p; j++) means[j] = means[j]! / n;
    const correction = new Float64Array(p);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < p; j++) correction[j] = correction[j]! + X[i * p + j]! - means[j]!;
    for (let j = 0; j < p; j++) means[j] = j === intercept ? 0 : means[j]! + correction[j]! / n;
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xc[i * p + j] = X[i * p + j]! - means[j]!;
  }
  // Columns far from unit scale are divided by a power of two (exact): see the file comment.
  const xScale = new Float64Array(p).fill(1);
  // Each column's sum of squares, over the rows in order, in one pass over X's rows.
  const ss = new Float64Array(p);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++) {
      const x = Xc[i * p + j]!;
      ss[j] = ss[j]! + x * x;
    }
  for (let j = 0; j < p; j++) if (j !== intercept) xScale[j] = powerOfTwoScale(Math.sqrt(ss[j]! / n));
  if (xScale.some((v) => v !== 1))
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xc[i * p + j] = Xc[i * p + j]! / xScale[j]!;
  let logScale = 0;
  for (let j = 0; j < p; j++) logScale += Math.log(xScale[j]!);
  const r = model.y.slice();
  if (model.offset !== null) for (let i = 0; i < n; i++) r[i] = r[i]! - model.offset[i]!;
  // With an intercept and the other columns centred, the mean of y is the least-squares shift that
  // matters (a shift of y changes only it); without one, the least-squares fit.
  const beta0 = intercept >= 0 ? interceptShift(r, p, intercept) : leastSquares(n, p, Xc, r);
  const yc = r;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += Xc[i * p + j]! * beta0[j]!;
    yc[i] = r[i]! - s;
  }

  const shifts = model.terms.map(termShift);
  const zScales: (Float64Array | null)[] = [];
  const terms = model.terms.map((term, k) => {
    const mu = shifts[k];
    const values = term.values.slice();
    if (mu !== null && mu !== undefined)
      for (let i = 0; i < n; i++)
        for (let c = 1; c < term.q; c++) values[i * term.q + c] = values[i * term.q + c]! - mu[c]!;
    const d = termScale(term.q, values, term.refs.length);
    zScales.push(d);
    if (d !== null)
      for (let i = 0; i < term.refs.length; i++)
        for (let c = 0; c < term.q; c++) values[i * term.q + c] = values[i * term.q + c]! / d[c]!;
    return mu === null && d === null ? term : { ...term, values };
  });
  const centred: LmmModel = { ...model, X: Xc, y: yc, offset: null, terms };
  return centring(model, { centred, intercept, means, xScale, logScale, beta0, shifts, zScales });
}

/** What centring computed: the centred model and the parameters of the maps back. */
interface CentredParts {
  readonly centred: LmmModel;
  readonly intercept: number;
  readonly means: Float64Array;
  readonly xScale: Float64Array;
  readonly logScale: number;
  readonly beta0: Float64Array;
  readonly shifts: readonly (Float64Array | null)[];
  readonly zScales: readonly (Float64Array | null)[];
}

/**
 * The centring (and scaling) of a model from sufficient statistics (src/model/stats.ts): the same
 * means, scales and shift from the sums' totals, applied to every cell's sums as one linear map of
 * v = (1, z, x, y − offset).
 */
function centreStatistics(model: LmmModel): CentredParts {
  const stats = model.statistics!;
  const { n, p } = model;
  const layout = statisticsLayout(model.terms, p);
  const { d, xOffset, yIndex } = layout;
  const T = statisticsTotals(stats);
  const M = new Float64Array(d * d);
  for (let r = 0; r < d; r++) M[r * d + r] = 1;
  const row = (r: number): Float64Array => M.subarray(r * d, (r + 1) * d);
  /** Σ over the rows of (a'v)(b'v), from the totals. */
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let r = 0; r < d; r++) {
      if (a[r] === 0) continue;
      for (let c = 0; c < d; c++) s += a[r]! * T[r * d + c]! * b[c]!;
    }
    return s;
  };
  let intercept = -1;
  for (let j = 0; j < p && intercept < 0; j++) if (isOnes(stats, n, xOffset + j)) intercept = j;
  const means = new Float64Array(p);
  if (intercept >= 0) for (let j = 0; j < p; j++) if (j !== intercept) means[j] = T[xOffset + j]! / n;
  // Xc = X - 1 means', then columns far from unit scale divided by a power of two.
  for (let j = 0; j < p; j++) M[(xOffset + j) * d] = -means[j]!;
  const xScale = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    if (j === intercept) continue;
    const x = row(xOffset + j);
    xScale[j] = powerOfTwoScale(Math.sqrt(dot(x, x) / n));
    if (xScale[j] !== 1) for (let c = 0; c < d; c++) x[c] = x[c]! / xScale[j]!;
  }
  let logScale = 0;
  for (let j = 0; j < p; j++) logScale += Math.log(xScale[j]!);
  let beta0 = new Float64Array(p);
  if (intercept >= 0) beta0[intercept] = T[yIndex]! / n;
  else if (p > 0) {
    // Least squares from Xc'Xc and Xc'r (the sums), refined once.
    const xtx = new Float64Array(p * p);
    const xtr = new Float64Array(p);
    const ey = new Float64Array(d);
    ey[yIndex] = 1;
    for (let a = 0; a < p; a++) {
      xtr[a] = dot(row(xOffset + a), ey);
      for (let b = 0; b <= a; b++) xtx[a * p + b] = dot(row(xOffset + a), row(xOffset + b));
    }
    if (potrf(p, xtx, p, 1, 0) === 0) {
      const beta = new Float64Array(p);
      const residual = xtr.slice();
      for (let round = 0; round < 2; round++) {
        const rhs = residual.slice();
        potrs(p, 1, xtx, p, 1, 0, rhs, 1, 1, 0);
        for (let a = 0; a < p; a++) beta[a] = beta[a]! + rhs[a]!;
        for (let a = 0; a < p; a++) {
          let s = xtr[a]!;
          for (let b = 0; b < p; b++) s -= dot(row(xOffset + a), row(xOffset + b)) * beta[b]!;
          residual[a] = s;
        }
      }
      if (Number.isFinite(beta.reduce((s, v) => s + v, 0))) beta0 = beta;
    }
  }
  // y_c = r - Xc beta0.
  for (let j = 0; j < p; j++) {
    const bj = beta0[j]!;
    if (bj === 0) continue;
    for (let c = 0; c < d; c++) M[yIndex * d + c] = M[yIndex * d + c]! - bj * M[(xOffset + j) * d + c]!;
  }
  // Terms with an intercept column: the other columns centred; then scaled as from rows.
  const shifts: (Float64Array | null)[] = [];
  const zScales: (Float64Array | null)[] = [];
  model.terms.forEach((term, k) => {
    const o = layout.termOffset[k]!;
    let mu: Float64Array | null = null;
    if (term.q >= 2 && isOnes(stats, n, o)) {
      const m = new Float64Array(term.q);
      let any = false;
      for (let c = 1; c < term.q; c++) {
        m[c] = T[o + c]! / n;
        if (m[c] !== 0) {
          any = true;
          M[(o + c) * d + o] = -m[c]!;
        }
      }
      if (any) mu = m;
    }
    shifts.push(mu);
    const scale = new Float64Array(term.q).fill(1);
    for (let c = 0; c < term.q; c++) {
      const z = row(o + c);
      if (isOnes(stats, n, o + c) && (mu === null || c === 0)) continue;
      scale[c] = powerOfTwoScale(Math.sqrt(dot(z, z) / n));
    }
    const any = scale.some((v) => v !== 1);
    zScales.push(any ? scale : null);
    if (any)
      for (let c = 0; c < term.q; c++) {
        const z = row(o + c);
        for (let e = 0; e < d; e++) z[e] = z[e]! / scale[c]!;
      }
  });
  const centred: LmmModel = { ...model, statistics: transformStatistics(stats, M) };
  return { centred, intercept, means, xScale, logScale, beta0, shifts, zScales };
}

/** The maps between a model and its centred (and scaled) form. */
function centring(model: LmmModel, parts: CentredParts): Centring {
  const { centred, intercept, means, xScale, logScale, beta0, shifts, zScales } = parts;
  const { p } = model;
  const reparametrizedTerms = shifts.some((s) => s !== null) || zScales.some((d) => d !== null);
  const layout = modelThetaLayout(model);

  // beta = M b for b in the centred coordinates: b_j for j ≠ intercept, b_int - sum_j m_j b_j.
  const toBeta = (b: readonly number[]): number[] => {
    const out = [...b];
    if (intercept >= 0) {
      let s = 0;
      for (let j = 0; j < p; j++) if (j !== intercept) s += means[j]! * b[j]!;
      out[intercept] = b[intercept]! - s;
    }
    return out;
  };
  const mapTheta = (theta: Float64Array, sign: 1 | -1): Float64Array =>
    reparametrizedTerms ? transformTheta(layout, theta, shifts, zScales, sign) : theta.slice();

  return {
    model: centred,
    reparametrizedTerms,
    toCentred: (theta) => mapTheta(theta, -1),
    fromCentred: (theta) => mapTheta(theta, 1),
    restore(fit, conditionalSds) {
      const gamma = fit.beta.map((g, j) => (g + beta0[j]!) / xScale[j]!);
      const beta = toBeta(gamma);
      // vcov = M S⁻¹ V S⁻¹ M': rows and columns transformed the same way.
      const unscaled = fit.vcov.map((row, a) => row.map((v, b) => v / (xScale[a]! * xScale[b]!)));
      const rows = unscaled.map((row) => toBeta(row));
      const vcov: number[][] = [];
      for (let a = 0; a < p; a++) vcov.push(toBeta(rows.map((row) => row[a]!)));
      const theta = Float64Array.from(mapTheta(Float64Array.from(fit.theta), 1));
      const factors = factorsOf(layout, theta);
      let sds: readonly (readonly (readonly number[])[])[] | undefined;
      const ranef = fit.ranef.map((scaledTerm, k) => {
        const mu = shifts[k];
        const d = zScales[k];
        const term =
          d === null || d === undefined
            ? scaledTerm
            : {
                ...scaledTerm,
                values: scaledTerm.values.map((row) => row.map((v, c) => v / d[c]!)),
                condSd: scaledTerm.condSd.map((row) => row.map((v, c) => v / d[c]!)),
              };
        if (mu === null || mu === undefined) return term;
        const values = term.values.map((row) => {
          const out = [...row];
          let s = 0;
          for (let c = 1; c < row.length; c++) s += mu[c]! * row[c]!;
          out[0] = row[0]! - s;
          return out;
        });
        const { condSd: _centred, ...rest } = term;
        // The conditional SDs of a centred term need the model's own factorization: made when first read.
        return {
          ...rest,
          values,
          get condSd() {
            sds ??= conditionalSds();
            return sds[k]!;
          },
        };
      });
      const residuals = fit.residuals;
      // None on a model from sufficient statistics (its residuals are empty: they need the rows).
      const fitted = new Float64Array(residuals.length);
      for (let i = 0; i < residuals.length; i++) fitted[i] = model.y[i]! - residuals[i]!;
      // REML's log|X'V⁻¹X| of the scaled X is 2 sum log s_j below the data's (the file comment).
      const shift = fit.method === "REML" ? 2 * logScale : 0;
      const criterion = {
        criterion: fit.criterion + shift,
        REMLcrit: fit.REMLcrit === null ? null : fit.REMLcrit + shift,
        logLik: fit.logLik - shift / 2,
        AIC: fit.AIC + shift,
        BIC: fit.BIC + shift,
      };
      return {
        ...fit,
        ...(shift === 0 ? {} : criterion),
        beta,
        vcov,
        se: vcov.map((row, a) => Math.sqrt(row[a]!)),
        theta: Array.from(theta),
        varcorr: reparametrizedTerms ? varCorrRows(model, factors, fit.sigma) : fit.varcorr,
        ranef,
        fitted,
        model,
      };
    },
  };
}

/** The index of X's column of ones (the intercept), or -1. */
function interceptColumn(n: number, p: number, X: Float64Array): number {
  for (let j = 0; j < p; j++) {
    let ones = true;
    for (let i = 0; i < n && ones; i++) if (X[i * p + j] !== 1) ones = false;
    if (ones) return j;
  }
  return -1;
}

/** beta0 = mean(r) on the intercept, 0 elsewhere (two passes). */
function interceptShift(r: Float64Array, p: number, intercept: number): Float64Array {
  const n = r.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += r[i]!;
  let m = s / n;
  let correction = 0;
  for (let i = 0; i < n; i++) correction += r[i]! - m;
  m += correction / n;
  const beta0 = new Float64Array(p);
  beta0[intercept] = m;
  return beta0;
}

/** Least-squares coefficients by the normal equations, refined once (any coefficients would do). */
function leastSquares(n: number, p: number, X: Float64Array, y: Float64Array): Float64Array {
  const beta = new Float64Array(p);
  if (p === 0) return beta;
  const xtx = new Float64Array(p * p);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < p; a++) {
      const xa = X[i * p + a]!;
      for (let b = 0; b <= a; b++) xtx[a * p + b] = xtx[a * p + b]! + xa * X[i * p + b]!;
    }
  if (potrf(p, xtx, p, 1, 0) !== 0) return beta;
  const residual = y.slice();
  for (let round = 0; round < 2; round++) {
    const rhs = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) rhs[a] = rhs[a]! + X[i * p + a]! * residual[i]!;
    potrs(p, 1, xtx, p, 1, 0, rhs, 1, 1, 0);
    for (let a = 0; a < p; a++) beta[a] = beta[a]! + rhs[a]!;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < p; a++) s += X[i * p + a]! * rhs[a]!;
      residual[i] = residual[i]! - s;
    }
  }
  return Number.isFinite(beta.reduce((s, v) => s + v, 0)) ? beta : new Float64Array(p);
}

/**
 * The means a term's columns are centred by (`mu[0] = 0` for the intercept), or null when the term
 * is left as it is: a first column that is not all ones (no intercept), one column, or every other
 * column's mean 0.
 */
function termShift(term: RandomEffectsTerm): Float64Array | null {
  const q = term.q;
  if (q < 2) return null;
  const n = term.refs.length;
  for (let i = 0; i < n; i++) if (term.values[i * q] !== 1) return null; // no intercept column
  const mu = new Float64Array(q);
  let any = false;
  for (let c = 1; c < q; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += term.values[i * q + c]!;
    let m = s / n;
    let correction = 0;
    for (let i = 0; i < n; i++) correction += term.values[i * q + c]! - m;
    m += correction / n;
    if (m !== 0) {
      mu[c] = m;
      any = true;
    }
  }
  return any ? mu : null;
}

/** Each term's T_k (row-major q × q) from theta. */
function factorsOf(layout: ThetaLayout, theta: Float64Array): Float64Array[] {
  const factors = layout.q.map((q) => new Float64Array(q * q));
  for (let t = 0; t < layout.length; t++) {
    const q = layout.q[layout.term[t]!]!;
    factors[layout.term[t]!]![layout.row[t]! * q + layout.col[t]!] = theta[t]!;
  }
  return factors;
}

/**
 * theta of the other parametrization: for each reparametrized term, T = lowerFactor(A D⁻¹ T_s)
 * (sign 1: fitted → model; A = I - e_1 mu', D the columns' scales) or T_s = D lowerFactor(A⁻¹ T)
 * (sign -1, A⁻¹ = I + e_1 mu').
 */
function transformTheta(
  layout: ThetaLayout,
  theta: Float64Array,
  shifts: readonly (Float64Array | null)[],
  scales: readonly (Float64Array | null)[],
  sign: 1 | -1,
): Float64Array {
  const factors = factorsOf(layout, theta);
  const out = theta.slice();
  factors.forEach((T, k) => {
    const mu = shifts[k] ?? null;
    const d = scales[k] ?? null;
    if (mu === null && d === null) return;
    const q = layout.q[k]!;
    const M = T.slice();
    // Rows scaled by D⁻¹ (before the shift, going to the model).
    if (d !== null && sign === 1)
      for (let r = 0; r < q; r++) for (let c = 0; c < q; c++) M[r * q + c] = M[r * q + c]! / d[r]!;
    let L: Float64Array = M;
    if (mu !== null) {
      // Row 0 of A M: M[0, c] - sign * sum_r mu_r M[r, c]; other rows unchanged.
      const S = M.slice();
      for (let c = 0; c < q; c++) {
        let s = 0;
        for (let r = 1; r < q; r++) s += mu[r]! * M[r * q + c]!;
        S[c] = M[c]! - sign * s;
      }
      L = lowerFactor(q, S);
    }
    // Rows scaled by D (after the shift, going to the fitted model).
    if (d !== null && sign === -1)
      for (let r = 0; r < q; r++) for (let c = 0; c < q; c++) L[r * q + c] = L[r * q + c]! * d[r]!;
    for (let t = layout.offset[k]!; t < layout.length && layout.term[t] === k; t++)
      out[t] = L[layout.row[t]! * q + layout.col[t]!]!;
  });
  return out;
}

/** The power of two by which a column of root mean square `rms` is divided: 1 within [2^-6, 2^6] (and for 0 or non-finite). */
function powerOfTwoScale(rms: number): number {
  if (!(rms > 0) || !Number.isFinite(rms)) return 1;
  const e = Math.round(Math.log2(rms));
  return Math.abs(e) <= 6 ? 1 : 2 ** e;
}

/** A term's column scales (an all-ones intercept column keeps 1), or null when none differs from 1. */
function termScale(q: number, values: Float64Array, n: number): Float64Array | null {
  const d = new Float64Array(q).fill(1);
  for (let c = 0; c < q; c++) {
    let ss = 0;
    let ones = true;
    for (let i = 0; i < n; i++) {
      const v = values[i * q + c]!;
      ss += v * v;
      if (v !== 1) ones = false;
    }
    if (!ones) d[c] = powerOfTwoScale(Math.sqrt(ss / n));
  }
  return d.some((v) => v !== 1) ? d : null;
}

/**
 * The lower-triangular L with non-negative diagonal and L L' = M M' (an LQ decomposition of the
 * q × q row-major M by Givens rotations from the right).
 */
function lowerFactor(q: number, M: Float64Array): Float64Array {
  const L = M.slice();
  for (let i = 0; i < q; i++)
    for (let j = q - 1; j > i; j--) {
      // Rotate columns i and j so that L[i, j] becomes 0.
      const a = L[i * q + i]!;
      const b = L[i * q + j]!;
      if (b === 0) continue;
      const h = Math.hypot(a, b);
      const c = a / h;
      const s = b / h;
      for (let r = 0; r < q; r++) {
        const x = L[r * q + i]!;
        const y = L[r * q + j]!;
        L[r * q + i] = c * x + s * y;
        L[r * q + j] = -s * x + c * y;
      }
    }
  for (let c = 0; c < q; c++)
    if (L[c * q + c]! < 0) for (let r = 0; r < q; r++) L[r * q + c] = -L[r * q + c]!;
  return L;
}
