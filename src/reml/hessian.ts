/**
 * The convergence check at the optimum: the Hessian of the criterion over the free parameters by
 * central differences of the analytic gradient, its smallest eigenvalue, and the Newton decrement
 * ½ g' H^{-1} g — the decrease still to be had. lme4 does the same with finite-difference gradients
 * (`checkConv`); with an exact gradient the check does not raise false alarms from differencing noise.
 */

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
 * Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations.
 *
 * @param A - row-major n × n symmetric (not changed)
 * @param n - order
 * @returns the eigenvalues, ascending
 * @example
 * symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2); // [1, 3]
 * @see Golub & Van Loan (2013) Matrix Computations, 4th ed., §8.5.
 */
export function symmetricEigenvalues(A: Float64Array, n: number): number[] {
  const a = A.slice();
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
  }
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(a[i * n + i]!);
  return values.sort((x, y) => x - y);
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
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let v = L[i * n + j]!;
      for (let k = 0; k < j; k++) v -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(v > 0)) return Number.NaN;
        L[i * n + i] = Math.sqrt(v);
      } else L[i * n + j] = v / L[j * n + j]!;
    }
  }
  let sum = 0;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = g[i]!;
    for (let k = 0; k < i; k++) v -= L[i * n + k]! * z[k]!;
    z[i] = v / L[i * n + i]!;
    sum += z[i]! * z[i]!;
  }
  return sum / 2;
}
