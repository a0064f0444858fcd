import type { Diag, Side, Transpose, Uplo } from "./types";

/**
 * Solves a triangular system with many right-hand sides in place (BLAS `dtrsm`), B an M × N matrix:
 *     side = "left":   op(A) X = alpha B,  A is M × M
 *     side = "right":  X op(A) = alpha B,  A is N × N   (e.g. L21 := A21 L11^-T in a blocked Cholesky)
 * B is overwritten by X. Only the `uplo` triangle of A is read (and not its diagonal when
 * diag = "unit").
 *
 * "right" is "left" on the transposed view of B (X op(A) = B  <=>  op(A)' X' = B'), and a transposed
 * triangle is the other triangle with the strides swapped: one forward and one backward substitution
 * do all eight cases. The innermost loop runs along a row of B.
 *
 * @param side - whether op(A) is on the left or the right of X
 * @param uplo - which triangle of A holds the matrix
 * @param trans - solve with A or with A'
 * @param diag - whether A has an implicit unit diagonal
 * @param M - rows of B
 * @param N - columns of B
 * @param alpha - scalar multiplying B
 * @param A - triangular matrix
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @param B - right-hand sides on entry, solutions on return
 * @param strideB1 - stride between rows of B
 * @param strideB2 - stride between columns of B
 * @param offsetB - index of B[0, 0]
 * @returns `B`
 * @example
 * // [[2, 0], [1, 1]] X = [[2, 4], [3, 3]]  =>  X = [[1, 2], [2, 1]]
 * trsm("left", "lower", "no-transpose", "non-unit", 2, 2, 1, new Float64Array([2, 0, 1, 1]), 2, 1, 0,
 *   new Float64Array([2, 4, 3, 3]), 2, 1, 0); // [1, 2, 2, 1]
 */
export function trsm(
  side: Side,
  uplo: Uplo,
  trans: Transpose,
  diag: Diag,
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  B: Float64Array,
  strideB1: number,
  strideB2: number,
  offsetB: number,
): Float64Array {
  let transposed = trans === "transpose";
  let rows = M;
  let cols = N;
  let sb1 = strideB1;
  let sb2 = strideB2;
  if (side === "right") {
    transposed = !transposed;
    rows = N;
    cols = M;
    sb1 = strideB2;
    sb2 = strideB1;
  }
  const nonUnit = diag === "non-unit";
  const lower = (uplo === "lower") !== transposed;
  const sr = transposed ? strideA2 : strideA1;
  const sc = transposed ? strideA1 : strideA2;
  for (let step = 0; step < rows; step++) {
    const i = lower ? step : rows - 1 - step;
    const bi = offsetB + i * sb1;
    if (alpha !== 1) {
      let ib = bi;
      for (let j = 0; j < cols; j++) {
        B[ib] = alpha === 0 ? 0 : alpha * B[ib]!;
        ib += sb2;
      }
    }
    const k0 = lower ? 0 : i + 1;
    const k1 = lower ? i : rows;
    for (let k = k0; k < k1; k++) {
      const aik = A[offsetA + i * sr + k * sc]!;
      if (aik === 0) continue;
      let ib = bi;
      let kb = offsetB + k * sb1;
      for (let j = 0; j < cols; j++) {
        B[ib] = B[ib]! - aik * B[kb]!;
        ib += sb2;
        kb += sb2;
      }
    }
    if (nonUnit) {
      const inv = 1 / A[offsetA + i * (sr + sc)]!;
      let ib = bi;
      for (let j = 0; j < cols; j++) {
        B[ib] = B[ib]! * inv;
        ib += sb2;
      }
    }
  }
  return B;
}
