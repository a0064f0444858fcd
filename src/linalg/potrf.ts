/**
 * Cholesky factorization A = L L' of a symmetric positive definite N × N matrix, in place (LAPACK
 * `dpotrf`, lower): the lower triangle of A (diagonal included) is read and overwritten by L; the
 * strict upper triangle is neither read nor written.
 *
 * Row-oriented Cholesky–Crout: for j = 0..N-1,
 *     L[j,j] = sqrt(A[j,j] - sum_{k<j} L[j,k]^2),   L[i,j] = (A[i,j] - sum_{k<j} L[i,k] L[j,k]) / L[j,j]  (i > j)
 * so every inner loop is a dot product along two rows (contiguous in row-major storage).
 *
 * Never throws: when a pivot A[j,j] - sum_k L[j,k]^2 is not > 0 (or is NaN), it stops and returns the
 * 1-based column j + 1, with columns before it factored and the rest partly updated, as LAPACK does.
 * The caller throws with context (see `cholesky` in ./spd).
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
 * @see Golub & Van Loan (2013) Matrix Computations, 4th ed., Algorithm 4.2.1.
 */
export function potrf(
  N: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
): number {
  for (let j = 0; j < N; j++) {
    const rowJ = offsetA + j * strideA1;
    let d = A[rowJ + j * strideA2]!;
    let ia = rowJ;
    for (let k = 0; k < j; k++) {
      const v = A[ia]!;
      d -= v * v;
      ia += strideA2;
    }
    if (!(d > 0)) return j + 1;
    const ljj = Math.sqrt(d);
    A[rowJ + j * strideA2] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < N; i++) {
      const rowI = offsetA + i * strideA1;
      let sum = A[rowI + j * strideA2]!;
      let ii = rowI;
      let jj = rowJ;
      for (let k = 0; k < j; k++) {
        sum -= A[ii]! * A[jj]!;
        ii += strideA2;
        jj += strideA2;
      }
      A[rowI + j * strideA2] = sum * inv;
    }
  }
  return 0;
}
