import type { Transpose } from "./types";

/**
 * y := alpha op(A) x + beta y, with A an M × N matrix (BLAS `dgemv`). With beta = 0, `y` is not
 * read (a NaN in it does not survive).
 *
 * @param trans - whether op(A) = A (x has N elements, y has M) or A' (x has M, y has N)
 * @param M - number of rows of A
 * @param N - number of columns of A
 * @param alpha - scalar multiplying op(A) x
 * @param A - matrix
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @param x - input vector
 * @param strideX - stride of `x`
 * @param offsetX - index of the first element of `x`
 * @param beta - scalar multiplying y
 * @param y - output vector, updated in place
 * @param strideY - stride of `y`
 * @param offsetY - index of the first element of `y`
 * @returns `y`
 * @example
 * // [[1, 2], [3, 4]] [1, 1]' = [3, 7]
 * gemv("no-transpose", 2, 2, 1, new Float64Array([1, 2, 3, 4]), 2, 1, 0,
 *   new Float64Array([1, 1]), 1, 0, 0, new Float64Array(2), 1, 0); // [3, 7]
 */
export function gemv(
  trans: Transpose,
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): Float64Array {
  // op(A) is rows × cols with row stride sr and column stride sc.
  const rows = trans === "no-transpose" ? M : N;
  const cols = trans === "no-transpose" ? N : M;
  const sr = trans === "no-transpose" ? strideA1 : strideA2;
  const sc = trans === "no-transpose" ? strideA2 : strideA1;
  let iy = offsetY;
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    let ia = offsetA + i * sr;
    let ix = offsetX;
    for (let j = 0; j < cols; j++) {
      sum += A[ia]! * x[ix]!;
      ia += sc;
      ix += strideX;
    }
    y[iy] = beta === 0 ? alpha * sum : alpha * sum + beta * y[iy]!;
    iy += strideY;
  }
  return y;
}
