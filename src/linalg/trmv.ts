import type { Diag, Transpose, Uplo } from "./types";

/**
 * x := op(A) x for a triangular N × N matrix A (BLAS `dtrmv`). Only the `uplo` triangle of A is read
 * (and not its diagonal when diag = "unit").
 *
 * @param uplo - which triangle of A holds the matrix
 * @param trans - multiply by A or by A'
 * @param diag - whether A has an implicit unit diagonal
 * @param N - order of A
 * @param A - triangular matrix
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @param x - vector, overwritten by the product
 * @param strideX - stride of `x`
 * @param offsetX - index of the first element of `x`
 * @returns `x`
 * @example
 * // [[2, 0], [1, 1]] [1, 2]' = [2, 3]
 * trmv("lower", "no-transpose", "non-unit", 2, new Float64Array([2, 0, 1, 1]), 2, 1, 0,
 *   new Float64Array([1, 2]), 1, 0); // [2, 3]
 */
export function trmv(
  uplo: Uplo,
  trans: Transpose,
  diag: Diag,
  N: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
): Float64Array {
  const nonUnit = diag === "non-unit";
  const transposed = trans === "transpose";
  const lower = (uplo === "lower") !== transposed;
  const sr = transposed ? strideA2 : strideA1;
  const sc = transposed ? strideA1 : strideA2;
  if (lower) {
    // Row i needs x_j for j <= i: go upwards from the last row, so those are not yet overwritten.
    for (let i = N - 1; i >= 0; i--) {
      const xi = offsetX + i * strideX;
      let sum = nonUnit ? A[offsetA + i * (sr + sc)]! * x[xi]! : x[xi]!;
      let ia = offsetA + i * sr;
      let ix = offsetX;
      for (let j = 0; j < i; j++) {
        sum += A[ia]! * x[ix]!;
        ia += sc;
        ix += strideX;
      }
      x[xi] = sum;
    }
    return x;
  }
  for (let i = 0; i < N; i++) {
    const xi = offsetX + i * strideX;
    let sum = nonUnit ? A[offsetA + i * (sr + sc)]! * x[xi]! : x[xi]!;
    let ia = offsetA + i * sr + (i + 1) * sc;
    let ix = xi + strideX;
    for (let j = i + 1; j < N; j++) {
      sum += A[ia]! * x[ix]!;
      ia += sc;
      ix += strideX;
    }
    x[xi] = sum;
  }
  return x;
}
