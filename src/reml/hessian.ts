/**
 * The convergence check at the optimum: the Hessian of the criterion over the free parameters by
 * central differences of the analytic gradient, its smallest eigenvalue, and the Newton decrement
 * ½ g' H^{-1} g — the decrease still to be had. lme4 does the same with finite-difference gradients
 * (`checkConv`); with an exact gradient the check does not raise false alarms from differencing noise.
 * The eigenvalues come from src/linalg's `symmetricEigenvalues` (Jacobi), the decrement from `potrf`
 * and `trsv`.
 */
import { potrf } from "../linalg/potrf";
import { trsv } from "../linalg/trsv";

/**
 * Central-difference Hessian of a function from its gradient, over the variables `free`.
 *
 * @param gradient - writes the gradient at x into out
 * @param x - the point (not changed)
 * @param free - indices of the variables to differentiate
 * @returns row-major |free| × |free| symmetric matrix
 * @example
 * hessianFromGradient((x, g) => { g[0] = 2 * x[0]; }, new Float64Array([3]), [0]); // [2]
 */
export function hessianFromGradient(
  gradient: (x: Float64Array, out: Float64Array) => void,
  x: Float64Array,
  free: readonly number[],
): Float64Array {
  const nf = free.length;
  const H = new Float64Array(nf * nf);
  const gp = new Float64Array(x.length);
  const gm = new Float64Array(x.length);
  const xt = x.slice();
  free.forEach((i, a) => {
    const h = 1e-4 * Math.max(1, Math.abs(x[i]!));
    // Stay feasible for a parameter near its lower bound 0: a forward difference.
    const lowerSafe = x[i]! - h > 0 || x[i]! < 0;
    xt.set(x);
    xt[i] = x[i]! + h;
    gradient(xt, gp);
    xt[i] = lowerSafe ? x[i]! - h : x[i]!;
    gradient(xt, gm);
    const width = lowerSafe ? 2 * h : h;
    free.forEach((j, b) => {
      H[a * nf + b] = (gp[j]! - gm[j]!) / width;
    });
  });
  for (let a = 0; a < nf; a++)
    for (let b = 0; b < a; b++) {
      const v = (H[a * nf + b]! + H[b * nf + a]!) / 2;
      H[a * nf + b] = v;
      H[b * nf + a] = v;
    }
  return H;
}

/**
 * The Newton decrement ½ g' H^{-1} g (the decrease of a quadratic model's minimum below f), or
 * NaN when H is not positive definite.
 *
 * @param H - row-major n × n symmetric
 * @param g - gradient (length n)
 * @returns ½ g' H^{-1} g
 * @example
 * newtonDecrement(new Float64Array([2]), new Float64Array([2])); // 1
 */
export function newtonDecrement(H: Float64Array, g: Float64Array): number {
  const n = g.length;
  const L = H.slice();
  if (potrf(n, L, n, 1, 0) !== 0) return Number.NaN;
  // z = L^-1 g; g' H^-1 g = z'z.
  const z = trsv("lower", "no-transpose", "non-unit", n, L, n, 1, 0, g.slice(), 1, 0);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += z[i]! * z[i]!;
  return sum / 2;
}
