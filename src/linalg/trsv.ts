import type { Diag, Transpose, Uplo } from "./types";

/**
 * Solves op(A) x = b in place for a triangular N × N matrix A (BLAS `dtrsv`): on entry `x` holds b,
 * on return the solution. Only the `uplo` triangle of A is read (and not its diagonal when
 * diag = "unit"). A zero on the diagonal gives Infinity/NaN, as in BLAS: the caller checks.
 *
 * Transposing a triangle is the other triangle with the strides swapped, so the kernel is one
 * forward and one backward substitution.
 *
 * @param uplo - which triangle of A holds the matrix
 * @param trans - solve with A or with A'
 * @param diag - whether A has an implicit unit diagonal
 * @param N - order of A
 * @param A - triangular matrix
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @param x - right-hand side on entry, solution on return
 * @param strideX - stride of `x`
 * @param offsetX - index of the first element of `x`
 * @returns `x`
 * @example
 * // [[2, 0], [1, 1]] x = [2, 3]  =>  x = [1, 2]
 * trsv("lower", "no-transpose", "non-unit", 2, new Float64Array([2, 0, 1, 1]), 2, 1, 0,
 *   new Float64Array([2, 3]), 1, 0); // [1, 2]
 */
export function trsv(
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
    for (let i = 0; i < N; i++) {
      const xi = offsetX + i * strideX;
      let sum = x[xi]!;
      let ia = offsetA + i * sr;
      let ix = offsetX;
      for (let j = 0; j < i; j++) {
        sum -= A[ia]! * x[ix]!;
        ia += sc;
        ix += strideX;
      }
      x[xi] = nonUnit ? sum / A[offsetA + i * (sr + sc)]! : sum;
    }
    return x;
  }
  for (let i = N - 1; i >= 0; i--) {
    const xi = offsetX + i * strideX;
    let sum = x[xi]!;
    let ia = offsetA + i * sr + (i + 1) * sc;
    let ix = xi + strideX;
    for (let j = i + 1; j < N; j++) {
      sum -= A[ia]! * x[ix]!;
      ia += sc;
      ix += strideX;
    }
    x[xi] = nonUnit ? sum / A[offsetA + i * (sr + sc)]! : sum;
  }
  return x;
}
