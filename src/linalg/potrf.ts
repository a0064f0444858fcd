/**
 * Cholesky factorization A = L L' of a symmetric positive definite N × N matrix, in place (LAPACK
 * `dpotrf`, lower): the lower triangle of A (diagonal included) is read and overwritten by L; the
 * strict upper triangle is neither read nor written.
 *
 * Row-oriented Cholesky–Crout: for j = 0..N-1,
 *     L[j,j] = sqrt(A[j,j] - sum_{k<j} L[j,k]^2),   L[i,j] = (A[i,j] - sum_{k<j} L[i,k] L[j,k]) / L[j,j]  (i > j)
 * so every inner loop runs along rows (contiguous in row-major storage). Columns are taken two at a
 * time and rows two at a time, so each inner step loads four numbers for four multiply-adds instead of
 * two for one (2 × 2 register blocking): about twice as fast at n = 300, measured in
 * bench/linalg.bench.ts. The sums are the same as the one-column-at-a-time algorithm's.
 *
 * Never throws: when a pivot A[j,j] - sum_k L[j,k]^2 is not > 0 (or is NaN), it stops and returns the
 * 1-based column j + 1 (the same column for any evaluation order: the pivot of column j needs only
 * rows 0..j of the factor). A is then partly overwritten. The caller throws with context (see
 * `cholesky` in ./spd).
 *
 * @param N - order of A
 * @param A - symmetric matrix (lower triangle used), overwritten by L
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @returns 0 on success, else the 1-based column where the factorization failed
 * @example
 * const A = new Float64Array([4, 0, 2, 5]); // [[4, 2], [2, 5]], lower triangle
 * potrf(2, A, 2, 1, 0); // 0, A = [2, 0, 1, 2]
 * @see Golub & Van Loan (2013) Matrix Computations, 4th ed., §4.2 (Cholesky), §1.5 (blocking).
 */
export function potrf(
  N: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
): number {
  const s2 = strideA2;
  let j = 0;
  for (; j + 1 < N; j += 2) {
    // Columns j and j + 1. First their 2 × 2 diagonal block.
    const rj = offsetA + j * strideA1;
    const rj1 = rj + strideA1;
    let d0 = A[rj + j * s2]!;
    let c = A[rj1 + j * s2]!;
    let d1 = A[rj1 + (j + 1) * s2]!;
    let p = rj;
    let q = rj1;
    for (let k = 0; k < j; k++) {
      const a = A[p]!;
      const b = A[q]!;
      d0 -= a * a;
      c -= b * a;
      d1 -= b * b;
      p += s2;
      q += s2;
    }
    if (!(d0 > 0)) return j + 1;
    const l00 = Math.sqrt(d0);
    const l10 = c / l00;
    d1 -= l10 * l10;
    if (!(d1 > 0)) return j + 2;
    const l11 = Math.sqrt(d1);
    A[rj + j * s2] = l00;
    A[rj1 + j * s2] = l10;
    A[rj1 + (j + 1) * s2] = l11;
    const inv0 = 1 / l00;
    const inv1 = 1 / l11;
    // Then the rows below, two at a time.
    let i = j + 2;
    for (; i + 1 < N; i += 2) {
      const ri = offsetA + i * strideA1;
      const ri1 = ri + strideA1;
      let a00 = A[ri + j * s2]!;
      let a01 = A[ri + (j + 1) * s2]!;
      let a10 = A[ri1 + j * s2]!;
      let a11 = A[ri1 + (j + 1) * s2]!;
      let pi = ri;
      let pi1 = ri1;
      let pj = rj;
      let pj1 = rj1;
      for (let k = 0; k < j; k++) {
        const x0 = A[pi]!;
        const x1 = A[pi1]!;
        const y0 = A[pj]!;
        const y1 = A[pj1]!;
        a00 -= x0 * y0;
        a01 -= x0 * y1;
        a10 -= x1 * y0;
        a11 -= x1 * y1;
        pi += s2;
        pi1 += s2;
        pj += s2;
        pj1 += s2;
      }
      const li0 = a00 * inv0;
      const li10 = a10 * inv0;
      A[ri + j * s2] = li0;
      A[ri + (j + 1) * s2] = (a01 - li0 * l10) * inv1;
      A[ri1 + j * s2] = li10;
      A[ri1 + (j + 1) * s2] = (a11 - li10 * l10) * inv1;
    }
    if (i < N) {
      const ri = offsetA + i * strideA1;
      let a0 = A[ri + j * s2]!;
      let a1 = A[ri + (j + 1) * s2]!;
      let pi = ri;
      let pj = rj;
      let pj1 = rj1;
      for (let k = 0; k < j; k++) {
        const x = A[pi]!;
        a0 -= x * A[pj]!;
        a1 -= x * A[pj1]!;
        pi += s2;
        pj += s2;
        pj1 += s2;
      }
      const li0 = a0 * inv0;
      A[ri + j * s2] = li0;
      A[ri + (j + 1) * s2] = (a1 - li0 * l10) * inv1;
    }
  }
  if (j < N) {
    // The last column when N is odd: only its diagonal remains.
    const rj = offsetA + j * strideA1;
    let d = A[rj + j * s2]!;
    let p = rj;
    for (let k = 0; k < j; k++) {
      const v = A[p]!;
      d -= v * v;
      p += s2;
    }
    if (!(d > 0)) return j + 1;
    A[rj + j * s2] = Math.sqrt(d);
  }
  return 0;
}
