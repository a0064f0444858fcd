import { lauum } from "./lauum";
import { trtri } from "./trtri";

/**
 * Inverse of a symmetric positive definite matrix from its Cholesky factor, in place (LAPACK
 * `dpotri`, lower): A^-1 = L^-T L^-1, computed as M = L^-1 (`trtri`) then M'M (`lauum`). On return the
 * lower triangle holds the lower triangle of A^-1; the strict upper triangle is untouched (use
 * `symmetrize` for the full matrix).
 *
 * @param N - order
 * @param A - Cholesky factor L (lower), overwritten by the lower triangle of the inverse
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @returns 0 on success, else the 1-based index of a zero diagonal element of L (A is then unchanged)
 * @example
 * // A = [[4, 2], [2, 5]], L = [[2, 0], [1, 2]]; A^-1 = [[5, -2], [-2, 4]] / 16
 * potri(2, new Float64Array([2, 0, 1, 2]), 2, 1, 0); // 0, A = [0.3125, 0, -0.125, 0.25]
 */
export function potri(
  N: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
): number {
  const info = trtri("lower", "non-unit", N, A, strideA1, strideA2, offsetA);
  if (info !== 0) return info;
  lauum(N, A, strideA1, strideA2, offsetA);
  return 0;
}
