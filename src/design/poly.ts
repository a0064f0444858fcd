/**
 * Orthogonal polynomials as R's `poly()` makes them, and the polynomial contrasts of `contr.poly()`.
 *
 * `poly(x, k)` has columns p_1(x), ..., p_k(x): polynomials of degree 1..k, orthogonal over the
 * training points and of unit length, each with a positive leading coefficient. R computes them on the
 * training data by a QR decomposition and keeps the three-term recurrence that reproduces them
 * (`attr(, "coefs")`: `alpha`, `norm2`; Kennedy & Gentle 1980, §8.7):
 *
 *     p_0 = 1,  p_1 = x - alpha_1,  p_{j+1} = (x - alpha_{j+1}) p_j - (norm2_{j+2} / norm2_{j+1}) p_{j-1}
 *     column j = p_j / sqrt(norm2_{j+2})        (norm2 = [1, n, ||p_1||², ..., ||p_k||²], 1-based)
 *
 * Both are the same polynomials (a QR of the Vandermonde matrix of the centred points is Gram–Schmidt,
 * which is the Stieltjes recurrence); here the recurrence is used for training and new data alike, with
 * alpha computed from the centred points (`alpha_j = xbar + <(x - xbar) p_{j-1}, p_{j-1}> / ||p_{j-1}||²`),
 * which keeps large means from costing digits. Agreement with R's QR values is to rounding (1e-15 for
 * the degrees used in practice).
 *
 * `contr.poly(m)` are the orthonormal polynomials of degrees 1..m-1 on the scores 1..m, named
 * `.L .Q .C ^4 ^5 ...` (R's `make.poly`).
 */

/** R's `attr(poly(x, k), "coefs")`: what reproduces the polynomials on new data. */
export interface PolyCoefs {
  /** alpha_1..alpha_k. */
  readonly alpha: readonly number[];
  /** [1, n, ||p_1||², ..., ||p_k||²] (length k + 2). */
  readonly norm2: readonly number[];
}

/**
 * The mean with a correction pass, as R's `mean` refines its sum (two-pass: accurate for data far from 0).
 *
 * @param x - at least one number.
 * @returns the mean.
 * @example mean(Float64Array.of(1, 2, 4)) // 2.3333333333333335
 */
export function mean(x: Float64Array): number {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const m = sum / n;
  let correction = 0;
  for (let i = 0; i < n; i++) correction += x[i]! - m;
  return m + correction / n;
}

/**
 * The recurrence coefficients of the orthogonal polynomials of degree ≤ `degree` on the points `x`.
 *
 * @param x - the training points (non-missing).
 * @param degree - k ≥ 1; must be less than the number of distinct points (R's check, done by the caller).
 * @returns R's `coefs`.
 * @example polyCoefs(Float64Array.of(1, 2, 3, 4), 2) // { alpha: [2.5, 2.5], norm2: [1, 4, 5, 4] }
 */
export function polyCoefs(x: Float64Array, degree: number): PolyCoefs {
  const n = x.length;
  const xbar = mean(x);
  const alpha: number[] = [];
  const norm2: number[] = [1, n];
  let previous = new Float64Array(n); // p_{j-1}
  let current = new Float64Array(n).fill(1); // p_j
  for (let j = 0; j < degree; j++) {
    // alpha_{j+1} from p_j
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const p = current[i]!;
      num += (x[i]! - xbar) * p * p;
      den += p * p;
    }
    const a = xbar + num / den;
    alpha.push(a);
    const ratio = j === 0 ? 0 : norm2[j + 1]! / norm2[j]!;
    const next = new Float64Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const v = (x[i]! - a) * current[i]! - ratio * previous[i]!;
      next[i] = v;
      norm += v * v;
    }
    norm2.push(norm);
    previous = current;
    current = next;
  }
  return { alpha, norm2 };
}

/**
 * The columns of `poly(x, k, coefs = coefs)` at the points `x` (R's prediction branch of `poly`).
 *
 * @param x - the points.
 * @param coefs - from `polyCoefs`.
 * @returns k columns, each of length `x.length`.
 */
export function polyColumns(x: Float64Array, coefs: PolyCoefs): Float64Array[] {
  const n = x.length;
  const degree = coefs.alpha.length;
  const out: Float64Array[] = [];
  let previous = new Float64Array(n).fill(1);
  let current = new Float64Array(n);
  const a1 = coefs.alpha[0]!;
  for (let i = 0; i < n; i++) current[i] = x[i]! - a1;
  out.push(current);
  for (let j = 1; j < degree; j++) {
    const a = coefs.alpha[j]!;
    const ratio = coefs.norm2[j + 1]! / coefs.norm2[j]!;
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = (x[i]! - a) * current[i]! - ratio * previous[i]!;
    out.push(next);
    previous = current;
    current = next;
  }
  // Normalize after the recurrence (it runs on the unnormalized polynomials).
  return out.map((column, j) => {
    const scale = Math.sqrt(coefs.norm2[j + 2]!);
    return column.map((v) => v / scale);
  });
}

/** The largest number of levels `contr.poly` accepts (R: "orthogonal polynomials cannot be represented accurately enough for 95 degrees of freedom"). */
export const MAX_POLY_LEVELS = 95;

/**
 * R's `contr.poly(m)`: m × (m - 1), row-major, columns `.L .Q .C ^4 ...`.
 *
 * @param m - number of levels, 2 ≤ m ≤ 95.
 * @returns the matrix and its column names.
 * @example polyContrasts(3).names // [".L", ".Q"]
 */
export function polyContrasts(m: number): { values: Float64Array; names: string[] } {
  // The orthonormal polynomials on the centred scores by a Lanczos recurrence with full
  // reorthogonalization: no overflow for many levels (unnormalized polynomials of degree 94 on
  // scores up to 47 would square past the largest double), and each column accurate to rounding.
  const centre = (m + 1) / 2;
  const y = Float64Array.from({ length: m }, (_, i) => i + 1 - centre);
  const q: Float64Array[] = [new Float64Array(m).fill(1 / Math.sqrt(m))];
  for (let j = 0; j < m - 1; j++) {
    const current = q[j]!;
    const v = Float64Array.from(current, (c, i) => c * y[i]!);
    for (let pass = 0; pass < 2; pass++)
      for (const basis of q) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += basis[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i] = v[i]! - dot * basis[i]!;
      }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    q.push(v.map((x) => x / norm));
  }
  const values = new Float64Array(m * (m - 1));
  for (let j = 1; j < m; j++) for (let i = 0; i < m; i++) values[i * (m - 1) + j - 1] = q[j]![i]!;
  const names = Array.from({ length: m - 1 }, (_, j) =>
    j === 0 ? ".L" : j === 1 ? ".Q" : j === 2 ? ".C" : `^${j + 1}`,
  );
  return { values, names };
}
