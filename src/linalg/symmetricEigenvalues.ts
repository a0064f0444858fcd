/**
 * Eigenvalues of a small symmetric N × N matrix by cyclic Jacobi rotations (LAPACK has no Jacobi
 * driver; `dsyev`'s tridiagonal QR is the large-matrix method). Each sweep visits every pair p < q and
 * applies the rotation that zeroes A[p, q],
 *
 *     theta = (A[q,q] - A[p,p]) / (2 A[p,q]),  t = sign(theta) / (|theta| + sqrt(theta² + 1)),
 *     c = 1 / sqrt(t² + 1),  s = t c,   A := J' A J,
 *
 * until the sum of squares of the strict upper triangle is below 1e-30 (an absolute threshold: meant
 * for matrices of moderate scale, such as the Hessians of the REML convergence check) or 100 sweeps
 * have run. Convergence is quadratic; for N ≤ 20 a handful of sweeps suffice. Both triangles of A
 * are read (A must be symmetric); A itself is not changed — the rotations work on a row-major copy in
 * `work`. Cost O(N³) per sweep: for the small matrices of convergence checks, not for large ones.
 *
 * @param N - order of A
 * @param A - symmetric matrix (not changed)
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @param w - output: the N eigenvalues, ascending
 * @param strideW - stride of `w`
 * @param offsetW - index of the first eigenvalue
 * @param work - workspace of at least N² elements from `offsetWork` (must not overlap A or w)
 * @param offsetWork - index of the workspace's first element
 * @returns `w`; NaN entries (in unspecified places) when A holds NaN
 * @example
 * symmetricEigenvalues(2, new Float64Array([2, 1, 1, 2]), 2, 1, 0, new Float64Array(2), 1, 0, new Float64Array(4), 0);
 * // [1, 3]
 * @see Golub & Van Loan (2013) Matrix Computations, 4th ed., §8.5 (the cyclic Jacobi method).
 */
export function symmetricEigenvalues(
  N: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  w: Float64Array,
  strideW: number,
  offsetW: number,
  work: Float64Array,
  offsetWork: number,
): Float64Array {
  const a = work;
  const o = offsetWork;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) a[o + i * N + j] = A[offsetA + i * strideA1 + j * strideA2]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < N; p++) for (let q = p + 1; q < N; q++) off += a[o + p * N + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < N; p++)
      for (let q = p + 1; q < N; q++) {
        const apq = a[o + p * N + q]!;
        if (apq === 0) continue;
        const theta = (a[o + q * N + q]! - a[o + p * N + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < N; k++) {
          const akp = a[o + k * N + p]!;
          const akq = a[o + k * N + q]!;
          a[o + k * N + p] = c * akp - s * akq;
          a[o + k * N + q] = s * akp + c * akq;
        }
        for (let k = 0; k < N; k++) {
          const apk = a[o + p * N + k]!;
          const aqk = a[o + q * N + k]!;
          a[o + p * N + k] = c * apk - s * aqk;
          a[o + q * N + k] = s * apk + c * aqk;
        }
      }
  }
  // The diagonal, sorted ascending (insertion sort: N is small).
  for (let i = 0; i < N; i++) {
    const v = a[o + i * N + i]!;
    let j = i - 1;
    while (j >= 0 && w[offsetW + j * strideW]! > v) {
      w[offsetW + (j + 1) * strideW] = w[offsetW + j * strideW]!;
      j--;
    }
    w[offsetW + (j + 1) * strideW] = v;
  }
  return w;
}
