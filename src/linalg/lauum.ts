/**
 * Product L' L of a lower triangular N × N matrix with its transpose, into the lower triangle in
 * place (LAPACK `dlauum`, lower): element (i, j), i >= j, becomes sum_{k >= i} L[k,i] L[k,j]. Rows are
 * visited in increasing order and, within a row, the diagonal last: each element only needs rows
 * >= i of the original L, which are then still in place.
 *
 * @param N - order
 * @param A - lower triangular matrix, overwritten by the lower triangle of A'A
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @returns `A`
 * @example
 * // L = [[1, 0], [2, 3]]: L'L = [[5, 6], [6, 9]]
 * lauum(2, new Float64Array([1, 0, 2, 3]), 2, 1, 0); // [5, 0, 6, 9]
 */
export function lauum(
  N: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
): Float64Array {
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      let ki = offsetA + i * strideA1 + i * strideA2;
      let kj = offsetA + i * strideA1 + j * strideA2;
      for (let k = i; k < N; k++) {
        sum += A[ki]! * A[kj]!;
        ki += strideA1;
        kj += strideA1;
      }
      A[offsetA + i * strideA1 + j * strideA2] = sum;
    }
  }
  return A;
}
