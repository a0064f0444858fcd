/**
 * Profile confidence intervals, as lme4's `confint(fit, method = "profile")` (`profile.merMod` then
 * `confint.thpr`) computes them:
 *
 * - The fit is refitted by ML (lme4's `refitML`): profiles are of the ML deviance.
 * - Parameters: each term's standard deviations and correlations (lme4's `.sig01, .sig02, ...`, in
 *   theta's order: diagonal elements of T_k give an sd, off-diagonal ones a correlation), then
 *   `.sigma`, then the fixed effects.
 * - For a parameter fixed at s, the deviance is minimized over all the others (for the variance
 *   parameters, the ML deviance of (theta, sigma) with beta at its conditional optimum,
 *   D = log|L_Z|² + r²(theta)/sigma² + n log(2 pi sigma²); for a fixed effect, the ML fit of the model
 *   with that column moved into the offset), and zeta(s) = sign(s - s^) sqrt(D(s) - D^).
 * - The interval is where zeta = ±z_{(1+level)/2}: lme4 interpolates a spline through profile points;
 *   here each end is found by root-finding on zeta itself (to |zeta - target| < 1e-8), which is the
 *   same quantity without the interpolation.
 * - When the profile does not reach the cutoff before the parameter's boundary, the interval ends
 *   there: 0 for an sd (as lme4 reports), ±1 for a correlation (lme4 gives NA).
 *
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01, §5.1; Bates & Watts (1988) Nonlinear Regression
 *   Analysis and Its Applications, §6.1 (profile t).
 */
import { ArgumentError, LmmError } from "../errors";
import type { LmmModel } from "../model/types";
import { minimizeBounded } from "../optim/bfgsb";
import { normalQuantile } from "../stats/distributions";
import { checkFitArgument } from "../validate";
import { criterionParts, factorize } from "./factor";
import { devianceFunction, fitLmm } from "./fit";
import { fillFactors, modelThetaLayout, type ThetaLayout } from "./theta";
import type { ConfidenceInterval, RemlFit } from "./types";

/** The variance parameters on lme4's sd/correlation scale. */
interface SvLayout {
  readonly theta: ThetaLayout;
  /** Per element of theta: "sd" (a diagonal element) or "cor". */
  readonly kind: readonly ("sd" | "cor")[];
}

/** sd/correlation parameters (theta's order) and sigma last, from theta and sigma. */
function svFromTheta(layout: SvLayout, theta: Float64Array, sigma: number): Float64Array {
  const L = layout.theta;
  const T = L.q.map((q) => new Float64Array(q * q));
  fillFactors(L, theta, T);
  const out = new Float64Array(L.length + 1);
  const rowNorm = (k: number, i: number): number => {
    const q = L.q[k]!;
    let s = 0;
    for (let c = 0; c <= i; c++) s += T[k]![i * q + c]! ** 2;
    return Math.sqrt(s);
  };
  for (let t = 0; t < L.length; t++) {
    const k = L.term[t]!;
    const q = L.q[k]!;
    const i = L.row[t]!;
    const j = L.col[t]!;
    if (i === j) out[t] = sigma * rowNorm(k, i);
    else {
      let dot = 0;
      for (let c = 0; c <= j; c++) dot += T[k]![i * q + c]! * T[k]![j * q + c]!;
      const d = rowNorm(k, i) * rowNorm(k, j);
      out[t] = d === 0 ? 0 : dot / d;
    }
  }
  out[L.length] = sigma;
  return out;
}

/**
 * theta from sd/correlation parameters and sigma: T_k = diag(sd / sigma) chol(R_k). null when a
 * correlation matrix is not positive definite.
 */
function thetaFromSv(layout: SvLayout, sv: Float64Array, out: Float64Array): boolean {
  const L = layout.theta;
  const sigma = sv[L.length]!;
  for (let k = 0; k < L.q.length; k++) {
    const q = L.q[k]!;
    const off = L.offset[k]!;
    // R (row-major), sd per row, from theta's column-by-column lower triangle.
    const R = new Float64Array(q * q);
    const sd = new Float64Array(q);
    let t = off;
    for (let c = 0; c < q; c++)
      for (let r = c; r < q; r++, t++) {
        if (r === c) {
          sd[r] = sv[t]!;
          R[r * q + r] = 1;
        } else {
          R[r * q + c] = sv[t]!;
          R[c * q + r] = sv[t]!;
        }
      }
    // Cholesky of R in place (lower).
    for (let j = 0; j < q; j++) {
      let d = R[j * q + j]!;
      for (let c = 0; c < j; c++) d -= R[j * q + c]! ** 2;
      if (!(d > 1e-14)) return false;
      const root = Math.sqrt(d);
      R[j * q + j] = root;
      for (let i = j + 1; i < q; i++) {
        let v = R[i * q + j]!;
        for (let c = 0; c < j; c++) v -= R[i * q + c]! * R[j * q + c]!;
        R[i * q + j] = v / root;
      }
    }
    t = off;
    for (let c = 0; c < q; c++) for (let r = c; r < q; r++, t++) out[t] = (sd[r]! / sigma) * R[r * q + c]!;
  }
  return true;
}

/** The model with fixed-effect column j moved into the offset at value b. */
function withFixedAt(model: LmmModel, j: number, b: number): LmmModel {
  const { n, p } = model;
  const X = new Float64Array(n * (p - 1));
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let o = model.offset === null ? 0 : model.offset[i]!;
    o += model.X[i * p + j]! * b;
    offset[i] = o;
    for (let c = 0, d = 0; c < p; c++) if (c !== j) X[i * (p - 1) + d++] = model.X[i * p + c]!;
  }
  const { recipe: _, ...rest } = model;
  return { ...rest, p: p - 1, X, fixedNames: model.fixedNames.filter((_, c) => c !== j), offset };
}

/**
 * The variance parameters as lme4's profile and bootstrap name them: each term's sds and correlations
 * in theta's order (`.sig01`, ...), then `.sigma` (lme4's `getME(fit, "theta")` mapped by `Cv_to_Sv`).
 *
 * @param fit - a REML or ML fit
 * @returns names and values
 * @example sdcorParameters(fit) // { names: [".sig01", ".sig02", ".sig03", ".sigma"], values: [24.74, 0.066, 5.92, 25.59] }
 */
export function sdcorParameters(fit: RemlFit): { names: string[]; values: number[] } {
  checkFitArgument(fit);
  const tl = modelThetaLayout(fit.model);
  const layout: SvLayout = {
    theta: tl,
    kind: Array.from({ length: tl.length }, (_, t) => (tl.row[t] === tl.col[t] ? "sd" : "cor")),
  };
  const values = Array.from(svFromTheta(layout, Float64Array.from(fit.theta), fit.sigma));
  const names = values.map((_, j) => (j === tl.length ? ".sigma" : `.sig${String(j + 1).padStart(2, "0")}`));
  return { names, values };
}

/** Options of `profileConfint`. */
export interface ProfileOptions {
  /** @default 0.95 */
  readonly level?: number;
}

/**
 * Profile intervals for every variance parameter (sd/correlation scale), sigma and fixed effect.
 *
 * @param fit - a REML or ML fit (a REML fit is refitted by ML first, as lme4 does)
 * @param level - confidence level in (0, 1)
 * @returns rows `.sig01`, ..., `.sigma`, then the fixed effects (lme4's row names), each with the ML
 *   estimate and the interval
 * @throws LmmError (NUMERICAL) when an inner optimization fails
 * @example
 * profileConfint(reml(lmm("Yield ~ 1 + (1 | Batch)", dyestuff)), 0.95)[0];
 * // { name: ".sig01", estimate: 37.26, lower: 12.20, upper: 84.06 } (lme4: 12.1985, 84.0630)
 */
export function profileConfint(fit: RemlFit, level: number): ConfidenceInterval[] {
  const model = fit.model;
  if (model.ar1 != null)
    throw new ArgumentError(
      "options.method",
      'is "profile", which is not implemented for AR(1) residuals (the profile would have to re-optimize phi); use "wald"',
      "profile",
    );
  const mlFit = fit.method === "ML" ? fit : fitLmm(model, { method: "ML", checkHessian: false });
  const z = normalQuantile((1 + level) / 2);
  const tl = modelThetaLayout(model);
  const layout: SvLayout = {
    theta: tl,
    kind: Array.from({ length: tl.length }, (_, t) => (tl.row[t] === tl.col[t] ? "sd" : "cor")),
  };
  const devfun = devianceFunction(model, "ML");
  const n = model.n;
  const thetaWork = new Float64Array(tl.length);
  const deviance = (sv: Float64Array): number => {
    const sigma = Math.abs(sv[tl.length]!);
    if (!thetaFromSv(layout, sv, thetaWork) || !(sigma > 0)) return Number.POSITIVE_INFINITY;
    if (!factorize(devfun.system, tl, thetaWork, devfun.factor)) return Number.POSITIVE_INFINITY;
    const parts = criterionParts(devfun.system, devfun.factor);
    return parts.logdetZ + parts.prss / (sigma * sigma) + n * Math.log(2 * Math.PI * sigma * sigma);
  };
  const svHat = svFromTheta(layout, Float64Array.from(mlFit.theta), mlFit.sigma);
  const nsv = svHat.length;
  // The ML optimum polished in the sd/correlation coordinates (the profile's base).
  const polished = minimizeOver(deviance, svHat, -1, svHat[0]!, layout);
  const base = Math.min(mlFit.criterion, polished.value);
  const centre = polished.value < mlFit.criterion ? polished.x : svHat;

  const rows: ConfidenceInterval[] = [];
  let sig = 0;
  for (let j = 0; j < nsv; j++) {
    const isSigma = j === nsv - 1;
    const kind = isSigma ? "sd" : layout.kind[j]!;
    const name = isSigma ? ".sigma" : `.sig${String(++sig).padStart(2, "0")}`;
    let warm: Float64Array = centre.slice();
    const zeta = (s: number): number => {
      const r = minimizeOver(deviance, warm, j, s, layout);
      warm = r.x;
      const d = Math.max(0, r.value - base);
      return Math.sign(s - (kind === "sd" ? Math.abs(centre[j]!) : centre[j]!)) * Math.sqrt(d);
    };
    const hat = kind === "sd" ? Math.abs(centre[j]!) : centre[j]!;
    const sigmaHat = Math.abs(centre[nsv - 1]!);
    // An sd at 0 (a singular fit): its interval starts at 0 and is searched for on the sd itself.
    const atZero = kind === "sd" && !(hat > 1e-8 * sigmaHat);
    const toT = atZero ? (s: number) => s : kind === "sd" ? Math.log : Math.atanh;
    const fromT = atZero ? (t: number) => t : kind === "sd" ? Math.exp : Math.tanh;
    const ends = [-1, 1].map((dir) => {
      warm = centre.slice();
      if (atZero && dir < 0) return Number.NEGATIVE_INFINITY;
      return endOfInterval((t) => zeta(fromT(t)), toT(hat), dir, dir * z, atZero ? 0.1 * sigmaHat : 0.1, {
        lowerLimit: kind === "sd" ? -30 + Math.log(Math.max(hat, 1e-300)) : Math.atanh(-(1 - 1e-10)),
        upperLimit: kind === "sd" ? Number.POSITIVE_INFINITY : Math.atanh(1 - 1e-10),
      });
    });
    const bound = (t: number, dir: number): number => {
      if (Number.isFinite(t)) return Math.max(kind === "sd" ? 0 : -1, fromT(t));
      if (kind === "sd") return dir < 0 ? 0 : Number.POSITIVE_INFINITY;
      return dir;
    };
    rows.push({ name, estimate: hat, lower: bound(ends[0]!, -1), upper: bound(ends[1]!, 1) });
  }

  // Fixed effects: the ML fit of the model with the column in the offset.
  let start = Float64Array.from(mlFit.theta);
  model.fixedNames.forEach((name, j) => {
    const hat = mlFit.beta[j]!;
    const zeta = (b: number): number => {
      const reduced = withFixedAt(model, j, b);
      const f =
        reduced.p === 0
          ? zeroFixedDeviance(reduced, start)
          : fitLmm(reduced, { method: "ML", start: Array.from(start), checkHessian: false });
      start = Float64Array.from(f.theta);
      const d = Math.max(0, f.criterion - base);
      return Math.sign(b - hat) * Math.sqrt(d);
    };
    const se = mlFit.se[j]!;
    const ends = [-1, 1].map((dir) => {
      start = Float64Array.from(mlFit.theta);
      return endOfInterval(zeta, hat, dir, dir * z, se, {
        lowerLimit: Number.NEGATIVE_INFINITY,
        upperLimit: Number.POSITIVE_INFINITY,
      });
    });
    rows.push({ name, estimate: hat, lower: ends[0]!, upper: ends[1]! });
  });
  return rows;
}

/** The ML fit of a model without fixed effects (theta only: minimize the profiled ML deviance). */
function zeroFixedDeviance(model: LmmModel, start: Float64Array): { criterion: number; theta: number[] } {
  const devfun = devianceFunction(model, "ML");
  const r = minimizeBounded(
    {
      value: (x) => devfun.value(x),
      gradient: (x, g) => devfun.gradient(x, g),
    },
    start.slice(),
    { lower: devfun.lower },
  );
  return { criterion: r.value, theta: Array.from(r.x) };
}

/**
 * Minimizes the deviance over every parameter but `fixed` (held at `value`); -1 frees all. Correlations
 * are optimized through atanh, sigma through log, sds as they are (the deviance is even in each sd).
 */
function minimizeOver(
  deviance: (sv: Float64Array) => number,
  start: Float64Array,
  fixed: number,
  value: number,
  layout: SvLayout,
): { x: Float64Array; value: number } {
  const m = start.length;
  const free: number[] = [];
  for (let j = 0; j < m; j++) if (j !== fixed) free.push(j);
  const sv = start.slice();
  if (fixed >= 0) sv[fixed] = value;
  const kindOf = (j: number): "sd" | "cor" | "sigma" => (j === m - 1 ? "sigma" : layout.kind[j]!);
  const toX = (j: number, v: number): number =>
    kindOf(j) === "cor"
      ? Math.atanh(Math.max(-1 + 1e-12, Math.min(1 - 1e-12, v)))
      : kindOf(j) === "sigma"
        ? Math.log(v)
        : v;
  const fromX = (j: number, x: number): number =>
    kindOf(j) === "cor" ? Math.tanh(x) : kindOf(j) === "sigma" ? Math.exp(x) : x;
  const fill = (x: Float64Array): Float64Array => {
    free.forEach((j, a) => {
      sv[j] = fromX(j, x[a]!);
    });
    return sv;
  };
  const f = (x: Float64Array): number => deviance(fill(x));
  const x0 = Float64Array.from(free, (j) => toX(j, sv[j]!));
  if (free.length === 0) return { x: sv.slice(), value: f(x0) };
  const xt = new Float64Array(free.length);
  const r = minimizeBounded(
    {
      value: f,
      gradient(x, g) {
        for (let a = 0; a < x.length; a++) {
          const h = 1e-6 * Math.max(1, Math.abs(x[a]!));
          xt.set(x);
          xt[a] = x[a]! + h;
          const up = f(xt);
          xt[a] = x[a]! - h;
          const down = f(xt);
          g[a] = (up - down) / (2 * h);
        }
      },
    },
    x0,
    { gradientTolerance: 1e-7, maxIterations: 300 },
  );
  if (!Number.isFinite(r.value)) throw new LmmError("NUMERICAL", "the profile's inner optimization failed.");
  const x = fill(r.x).slice();
  return { x, value: r.value };
}

/**
 * The point where an increasing function zeta reaches `target` on one side (dir) of t0 (zeta(t0) = 0):
 * a bracket grown from t0 by steps starting at `step`, then regula falsi (Illinois) with bisection.
 * Returns ±Infinity when the limit is passed without reaching the target.
 */
function endOfInterval(
  zeta: (t: number) => number,
  t0: number,
  dir: number,
  target: number,
  step: number,
  limits: { readonly lowerLimit: number; readonly upperLimit: number },
): number {
  let tIn = t0;
  let zIn = 0;
  let h = step;
  let tOut = Number.NaN;
  let zOut = Number.NaN;
  for (let grow = 0; grow < 60; grow++) {
    let t = tIn + dir * h;
    if (dir < 0 && t < limits.lowerLimit) t = limits.lowerLimit;
    if (dir > 0 && t > limits.upperLimit) t = limits.upperLimit;
    const zt = zeta(t);
    if ((zt - target) * dir >= 0) {
      tOut = t;
      zOut = zt;
      break;
    }
    if (t === limits.lowerLimit || t === limits.upperLimit) return dir * Number.POSITIVE_INFINITY;
    // Linear extrapolation to the target from the last two points, at least doubling.
    const slope = (zt - zIn) / (t - tIn);
    const guess = slope * dir > 0 ? Math.abs((target - zt) / slope) * 1.1 : 2 * h;
    tIn = t;
    zIn = zt;
    h = Math.min(Math.max(guess, 0.1 * h), 8 * h);
  }
  if (Number.isNaN(tOut)) throw new LmmError("NUMERICAL", "the profile did not reach the cutoff.");
  // Illinois regula falsi on [tIn, tOut].
  let a = tIn;
  let fa = zIn - target;
  let b = tOut;
  let fb = zOut - target;
  for (let it = 0; it < 100; it++) {
    let t = (a * fb - b * fa) / (fb - fa);
    if (!(t > Math.min(a, b) && t < Math.max(a, b))) t = (a + b) / 2;
    const ft = zeta(t) - target;
    if (Math.abs(ft) < 1e-9 || Math.abs(b - a) < 1e-12 * (1 + Math.abs(t))) return t;
    if (ft * fb < 0) {
      a = b;
      fa = fb;
    } else fa /= 2;
    b = t;
    fb = ft;
  }
  return (a + b) / 2;
}
