import { scal } from "./scal";
import { trmv } from "./trmv";
import type { Diag, Uplo } from "./types";

/**
 * Inverse of a triangular N × N matrix, in place (LAPACK `dtrtri`). Only the `uplo` triangle is read
 * and written. The upper case is the lower case on the transposed view (U^-1 = ((U')^-1)').
 *
 * Lower, by columns from the last: with L = [[l, 0], [c, L2]] and L2^-1 already in place,
 *     L^-1 = [[1/l, 0], [-(L2^-1 c)/l, L2^-1]].
 *
 * @param uplo - which triangle holds the matrix
 * @param diag - whether it has an implicit unit diagonal
 * @param N - order
 * @param A - triangular matrix, overwritten by its inverse
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @returns 0 on success, else the 1-based index of a zero diagonal element (A is then unchanged)
 * @example
 * const A = new Float64Array([2, 0, 1, 1]); // [[2, 0], [1, 1]]
 * trtri("lower", "non-unit", 2, A, 2, 1, 0); // 0, A = [0.5, 0, -0.5, 1]
 */
export function trtri(
  uplo: Uplo,
  diag: Diag,
  N: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
): number {
  const s1 = uplo === "lower" ? strideA1 : strideA2;
  const s2 = uplo === "lower" ? strideA2 : strideA1;
  const nonUnit = diag === "non-unit";
  if (nonUnit) {
    for (let j = 0; j < N; j++) if (A[offsetA + j * (s1 + s2)] === 0) return j + 1;
  }
  for (let j = N - 1; j >= 0; j--) {
    const jj = offsetA + j * (s1 + s2);
    let ajj = -1;
    if (nonUnit) {
      A[jj] = 1 / A[jj]!;
      ajj = -A[jj]!;
    }
    const rest = N - 1 - j;
    if (rest > 0) {
      trmv("lower", "no-transpose", diag, rest, A, s1, s2, jj + s1 + s2, A, s1, jj + s1);
      scal(rest, ajj, A, s1, jj + s1);
    }
  }
  return 0;
}
