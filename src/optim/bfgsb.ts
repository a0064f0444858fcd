/**
 * Bound-constrained quasi-Newton minimization with analytic gradients: a projected BFGS method with
 * an active set, for the few (up to a few dozen) parameters of a mixed model's covariance.
 *
 * Each iteration:
 * 1. the active set holds the variables on a bound whose gradient pushes outwards;
 * 2. the step solves B_FF d_F = -g_F on the free variables (B: the BFGS Hessian approximation; the
 *    first step is steepest descent scaled to length `initialStep`);
 * 3. a backtracking (Armijo) line search along the projected path x(a) = P(x + a d);
 * 4. the BFGS update of B with s = x+ - x, y = g+ - g (skipped when s'y is not safely positive).
 * It stops when the projected gradient is below `gradientTolerance`, or when the decrease the
 * quadratic model predicts is below `decreaseTolerance` (1 + |f|) — i.e. when further progress would
 * be lost in rounding of f — or when a line search cannot make progress.
 *
 * Nocedal & Wright (2006) Numerical Optimization, 2nd ed., ch. 6 (BFGS) and §16.7 (projection);
 * Bertsekas (1982) Projected Newton methods for optimization problems with simple constraints,
 * SIAM J. Control Optim. 20(2):221-246, doi:10.1137/0320018.
 */
import { potrf } from "../linalg/potrf";
import { potrs } from "../linalg/potrs";

/** A function to minimize and its gradient. */
export interface Objective {
  /** f(x). May return +Infinity (or NaN) where f is not defined; the line search then backs off. */
  value(x: Float64Array): number;
  /**
   * The gradient at x, written to `out`. Always called right after `value(x)` at the same x, so an
   * implementation may reuse work from that call.
   */
  gradient(x: Float64Array, out: Float64Array): void;
}

/** Options of `minimizeBounded`. */
export interface MinimizeOptions {
  /** Lower bounds (-Infinity for none). @default all -Infinity */
  readonly lower?: Float64Array;
  /** Upper bounds (+Infinity for none). @default all +Infinity */
  readonly upper?: Float64Array;
  /** Stop when max_i |projected gradient_i| is below this. @default 1e-8 */
  readonly gradientTolerance?: number;
  /** Stop when the predicted decrease is below this times (1 + |f|). @default 1e-14 */
  readonly decreaseTolerance?: number;
  /** Length (max norm) of the first, steepest-descent step. @default 0.5 */
  readonly initialStep?: number;
  /** Most iterations. @default 500 */
  readonly maxIterations?: number;
  /** Most evaluations of f. @default 2000 */
  readonly maxEvaluations?: number;
  /**
   * "scalar" starts with steepest descent of max-norm `initialStep`, then
   * B = (y'y / s'y) I (Shanno–Phua); "diagonal" starts with B = diag(max(|g_i|, 0.01 max|g|) /
   * initialStep), a first step that moves every variable by up to `initialStep` whatever the scale of
   * its gradient — better when the variables' gradients differ by orders of magnitude. @default "scalar"
   */
  readonly initialScaling?: "scalar" | "diagonal";
  /**
   * The largest step length allowed along direction d from x (the line search starts from
   * min(1, stepLimit(x, d))): a problem-specific trust bound, e.g. "do not cross 0 in one step".
   * @default none
   */
  readonly stepLimit?: (x: Float64Array, d: Float64Array) => number;
}

/** Why `minimizeBounded` stopped. */
export type StopReason = "gradient" | "decrease" | "no-progress" | "max-iterations" | "max-evaluations";

/** The result of `minimizeBounded`. */
export interface MinimizeResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradient: Float64Array;
  /** max_i |projected gradient_i| at x. */
  readonly projectedGradientNorm: number;
  /** Indices of variables on a bound at the solution. */
  readonly atBound: readonly number[];
  readonly iterations: number;
  /** Evaluations of f (including those in line searches). */
  readonly evaluations: number;
  readonly gradientEvaluations: number;
  /** Whether the stop was a convergence test (`gradient` or `decrease`). */
  readonly converged: boolean;
  readonly reason: StopReason;
  /** In words. */
  readonly message: string;
  /**
   * The decrease of f the last quasi-Newton model predicted from the last point, ½ g'B⁻¹g over the
   * free variables (null when no quasi-Newton step was taken): how far from its minimum f still is,
   * in f's own units.
   */
  readonly predictedDecrease: number | null;
}

/**
 * Minimizes f subject to lower ≤ x ≤ upper.
 *
 * @param objective - f and its gradient
 * @param x0 - starting point (projected onto the box)
 * @param options - bounds and tolerances
 * @returns the solution and diagnostics
 * @throws Error if f is not finite at the (projected) starting point
 * @example
 * // f(x) = (x - 2)², x ≤ 1: the minimum is on the bound.
 * const r = minimizeBounded({ value: (x) => (x[0] - 2) ** 2, gradient: (x, g) => { g[0] = 2 * (x[0] - 2); } },
 *   new Float64Array([0]), { upper: new Float64Array([1]) });
 * r.x[0]; // 1
 */
export function minimizeBounded(
  objective: Objective,
  x0: Float64Array,
  options: MinimizeOptions = {},
): MinimizeResult {
  const n = x0.length;
  const lower = options.lower ?? new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const upper = options.upper ?? new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const gtol = options.gradientTolerance ?? 1e-8;
  const ftol = options.decreaseTolerance ?? 1e-14;
  const step0 = options.initialStep ?? 0.5;
  const maxIterations = options.maxIterations ?? 500;
  const maxEvaluations = options.maxEvaluations ?? 2000;

  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = clamp(x0[i]!, lower[i]!, upper[i]!);
  let evaluations = 1;
  let gradientEvaluations = 1;
  let f = objective.value(x);
  if (!Number.isFinite(f)) throw new Error(`minimizeBounded: f is not finite at the starting point (${f})`);
  const g = new Float64Array(n);
  objective.gradient(x, g);

  const B = new Float64Array(n * n);
  let haveB = false;
  if (options.initialScaling === "diagonal") {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]!));
    if (gmax > 0 && Number.isFinite(gmax)) {
      for (let i = 0; i < n; i++) B[i * n + i] = Math.max(Math.abs(g[i]!), 0.01 * gmax) / step0;
      haveB = true;
    }
  }
  const d = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const s = new Float64Array(n);
  const yv = new Float64Array(n);
  const Bs = new Float64Array(n);
  const free = new Int32Array(n);
  const R = new Float64Array(n * n);

  let predictedDecrease: number | null = null;
  let iterations = 0;
  let reason: StopReason = "max-iterations";
  for (; iterations < maxIterations; iterations++) {
    // Active set and projected gradient.
    let nf = 0;
    let pgNorm = 0;
    for (let i = 0; i < n; i++) {
      const active = (x[i]! <= lower[i]! && g[i]! > 0) || (x[i]! >= upper[i]! && g[i]! < 0);
      if (!active) {
        free[nf++] = i;
        pgNorm = Math.max(pgNorm, Math.abs(g[i]!));
      }
    }
    if (pgNorm <= gtol) {
      reason = "gradient";
      break;
    }
    // Direction.
    d.fill(0);
    let usedB = false;
    if (haveB && reducedNewtonStep(B, n, free, nf, g, d, R)) usedB = true;
    if (!usedB) {
      const scale = step0 / pgNorm;
      for (let t = 0; t < nf; t++) d[free[t]!] = -g[free[t]!]! * scale;
    }
    let slope = 0;
    for (let t = 0; t < nf; t++) slope += g[free[t]!]! * d[free[t]!]!;
    if (!(slope < 0)) {
      // Not a descent direction (B lost positive definiteness numerically): restart from steepest descent.
      haveB = false;
      const scale = step0 / pgNorm;
      d.fill(0);
      for (let t = 0; t < nf; t++) d[free[t]!] = -g[free[t]!]! * scale;
      slope = -pgNorm * pgNorm * scale;
      usedB = false;
    }
    if (usedB) predictedDecrease = -slope / 2;
    if (usedB && -slope / 2 <= ftol * (1 + Math.abs(f))) {
      reason = "decrease";
      break;
    }

    // Backtracking line search on the projected path.
    let alpha = 1;
    if (options.stepLimit !== undefined) {
      const limit = options.stepLimit(x, d);
      if (limit > 0 && limit < 1) alpha = limit;
    }
    let ft = Number.NaN;
    let accepted = false;
    let belowRounding = false;
    let gs = 0;
    const roundingLevel = ftol * (1 + Math.abs(f));
    for (let backtracks = 0; backtracks < 40; backtracks++) {
      let moved = false;
      gs = 0;
      for (let i = 0; i < n; i++) {
        xt[i] = clamp(x[i]! + alpha * d[i]!, lower[i]!, upper[i]!);
        s[i] = xt[i]! - x[i]!;
        if (s[i] !== 0) moved = true;
        gs += g[i]! * s[i]!;
      }
      if (!moved || !(gs < 0)) break;
      // The decrease this step can give is lost in the rounding of f: nothing more to gain.
      if (-gs <= roundingLevel) {
        belowRounding = true;
        break;
      }
      if (evaluations >= maxEvaluations) break;
      ft = objective.value(xt);
      evaluations++;
      if (Number.isFinite(ft) && ft <= f + 1e-4 * gs) {
        accepted = true;
        break;
      }
      // Safeguarded quadratic interpolation of the step, within [0.1, 0.5] of the last one.
      let next = 0.5;
      if (Number.isFinite(ft)) {
        const curvature = ft - f - gs;
        if (curvature > 0) next = Math.min(0.5, Math.max(0.1, -gs / (2 * curvature)));
      } else next = 0.1;
      alpha *= next;
    }
    if (!accepted) {
      // A failed search where the model predicts a decrease below 1e-10 (1 + |f|): f's rounding noise
      // is larger than what is left to gain, which is convergence, not failure.
      if (belowRounding || (usedB && -slope / 2 <= 1e-10 * (1 + Math.abs(f)))) reason = "decrease";
      else if (evaluations >= maxEvaluations) reason = "max-evaluations";
      else if (usedB) {
        // Retry once from steepest descent before giving up.
        haveB = false;
        continue;
      } else reason = "no-progress";
      break;
    }
    objective.gradient(xt, gt);
    gradientEvaluations++;
    let sy = 0;
    let yy = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      yv[i] = gt[i]! - g[i]!;
      sy += s[i]! * yv[i]!;
      yy += yv[i]! * yv[i]!;
      ss += s[i]! * s[i]!;
    }
    if (sy > 1e-12 * Math.sqrt(ss * yy)) {
      if (!haveB) {
        // Shanno–Phua scaling of the initial approximation.
        B.fill(0);
        const gamma = yy / sy;
        for (let i = 0; i < n; i++) B[i * n + i] = gamma;
        haveB = true;
      }
      let sBs = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += B[i * n + j]! * s[j]!;
        Bs[i] = v;
        sBs += s[i]! * v;
      }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) B[i * n + j]! += (yv[i]! * yv[j]!) / sy - (Bs[i]! * Bs[j]!) / sBs;
    }
    x.set(xt);
    g.set(gt);
    f = ft;
  }

  let pgNorm = 0;
  const atBound: number[] = [];
  for (let i = 0; i < n; i++) {
    if (x[i]! <= lower[i]! || x[i]! >= upper[i]!) atBound.push(i);
    const active = (x[i]! <= lower[i]! && g[i]! > 0) || (x[i]! >= upper[i]! && g[i]! < 0);
    if (!active) pgNorm = Math.max(pgNorm, Math.abs(g[i]!));
  }
  const converged = reason === "gradient" || reason === "decrease";
  return {
    x,
    value: f,
    gradient: g,
    projectedGradientNorm: pgNorm,
    atBound,
    iterations,
    evaluations,
    gradientEvaluations,
    converged,
    reason,
    message: MESSAGES[reason],
    predictedDecrease,
  };
}

const MESSAGES: Record<StopReason, string> = {
  gradient: "converged: the projected gradient is below its tolerance",
  decrease: "converged: the decrease still to be had is below the rounding level of the criterion",
  "no-progress": "stopped: the line search could not decrease the criterion further",
  "max-iterations": "stopped: the iteration limit was reached",
  "max-evaluations": "stopped: the evaluation limit was reached",
};

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Solves B_FF d_F = -g_F by Cholesky; false when B_FF is not positive definite. */
function reducedNewtonStep(
  B: Float64Array,
  n: number,
  free: Int32Array,
  nf: number,
  g: Float64Array,
  d: Float64Array,
  R: Float64Array,
): boolean {
  for (let a = 0; a < nf; a++) for (let b = 0; b <= a; b++) R[a * nf + b] = B[free[a]! * n + free[b]!]!;
  if (potrf(nf, R, nf, 1, 0) !== 0) return false;
  const z = new Float64Array(nf);
  for (let a = 0; a < nf; a++) z[a] = -g[free[a]!]!;
  potrs(nf, 1, R, nf, 1, 0, z, 1, 1, 0);
  for (let a = 0; a < nf; a++) d[free[a]!] = z[a]!;
  return true;
}
