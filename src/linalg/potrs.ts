import { trsm } from "./trsm";

/**
 * Solves A X = B in place given the Cholesky factor L of A = L L' (LAPACK `dpotrs`, lower): two
 * triangular solves, L Y = B then L' X = Y. B is N × NRHS (a vector is one column: pass its stride as
 * `strideB1`).
 *
 * @param N - order of A
 * @param NRHS - number of right-hand sides (columns of B)
 * @param L - Cholesky factor (lower triangle read), as left by `potrf`
 * @param strideL1 - stride between rows of L
 * @param strideL2 - stride between columns of L
 * @param offsetL - index of L[0, 0]
 * @param B - right-hand sides on entry, solutions on return
 * @param strideB1 - stride between rows of B
 * @param strideB2 - stride between columns of B
 * @param offsetB - index of B[0, 0]
 * @returns `B`
 * @example
 * // A = [[4, 2], [2, 5]], L = [[2, 0], [1, 2]];  A x = [6, 7]  =>  x = [1, 1]
 * potrs(2, 1, new Float64Array([2, 0, 1, 2]), 2, 1, 0, new Float64Array([6, 7]), 1, 1, 0); // [1, 1]
 */
export function potrs(
  N: number,
  NRHS: number,
  L: Float64Array,
  strideL1: number,
  strideL2: number,
  offsetL: number,
  B: Float64Array,
  strideB1: number,
  strideB2: number,
  offsetB: number,
): Float64Array {
  trsm(
    "left",
    "lower",
    "no-transpose",
    "non-unit",
    N,
    NRHS,
    1,
    L,
    strideL1,
    strideL2,
    offsetL,
    B,
    strideB1,
    strideB2,
    offsetB,
  );
  trsm(
    "left",
    "lower",
    "transpose",
    "non-unit",
    N,
    NRHS,
    1,
    L,
    strideL1,
    strideL2,
    offsetL,
    B,
    strideB1,
    strideB2,
    offsetB,
  );
  return B;
}
