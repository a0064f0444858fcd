import type { Diag, Side, Transpose, Uplo } from "./types";

/**
 * Triangular matrix product in place (BLAS `dtrmm`), B an M × N matrix:
 *     side = "left":   B := alpha op(A) B,  A is M × M
 *     side = "right":  B := alpha B op(A),  A is N × N   (e.g. Lambda'-scaling of cross-products)
 * Only the `uplo` triangle of A is read (and not its diagonal when diag = "unit"). The same
 * reductions as `trsm`: "right" is "left" on the transposed view of B, a transposed triangle is the
 * other triangle with swapped strides.
 *
 * @param side - whether op(A) multiplies from the left or the right
 * @param uplo - which triangle of A holds the matrix
 * @param trans - multiply by A or by A'
 * @param diag - whether A has an implicit unit diagonal
 * @param M - rows of B
 * @param N - columns of B
 * @param alpha - scalar multiplying the product
 * @param A - triangular matrix
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @param B - matrix, overwritten by the product
 * @param strideB1 - stride between rows of B
 * @param strideB2 - stride between columns of B
 * @param offsetB - index of B[0, 0]
 * @returns `B`
 * @example
 * // [[2, 0], [1, 1]] [[1, 2], [2, 1]] = [[2, 4], [3, 3]]
 * trmm("left", "lower", "no-transpose", "non-unit", 2, 2, 1, new Float64Array([2, 0, 1, 1]), 2, 1, 0,
 *   new Float64Array([1, 2, 2, 1]), 2, 1, 0); // [2, 4, 3, 3]
 */
export function trmm(
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
  // Row i of the product needs rows k <= i (lower) or k >= i (upper) of B: visit rows so that those
  // are still unchanged.
  for (let step = 0; step < rows; step++) {
    const i = lower ? rows - 1 - step : step;
    const bi = offsetB + i * sb1;
    const aii = nonUnit ? A[offsetA + i * (sr + sc)]! : 1;
    let ib = bi;
    for (let j = 0; j < cols; j++) {
      B[ib] = aii * B[ib]!;
      ib += sb2;
    }
    const k0 = lower ? 0 : i + 1;
    const k1 = lower ? i : rows;
    for (let k = k0; k < k1; k++) {
      const aik = A[offsetA + i * sr + k * sc]!;
      if (aik === 0) continue;
      ib = bi;
      let kb = offsetB + k * sb1;
      for (let j = 0; j < cols; j++) {
        B[ib] = B[ib]! + aik * B[kb]!;
        ib += sb2;
        kb += sb2;
      }
    }
    if (alpha !== 1) {
      ib = bi;
      for (let j = 0; j < cols; j++) {
        B[ib] = alpha === 0 ? 0 : alpha * B[ib]!;
        ib += sb2;
      }
    }
  }
  return B;
}
