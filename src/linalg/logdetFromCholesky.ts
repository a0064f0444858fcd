/**
 * log |A| from the Cholesky factor L of A = L L':  log |A| = 2 sum_i log L[i,i]. Summing logarithms
 * neither overflows nor underflows where the determinant itself would.
 *
 * @param N - order
 * @param L - Cholesky factor (only its diagonal is read)
 * @param strideL1 - stride between rows of L
 * @param strideL2 - stride between columns of L
 * @param offsetL - index of L[0, 0]
 * @returns log |A| (0 for N = 0; -Infinity if a diagonal element is 0, NaN if one is negative)
 * @example
 * logdetFromCholesky(2, new Float64Array([2, 0, 1, 2]), 2, 1, 0); // log(16) = 2.772588722239781
 */
export function logdetFromCholesky(
  N: number,
  L: Float64Array,
  strideL1: number,
  strideL2: number,
  offsetL: number,
): number {
  let sum = 0;
  const step = strideL1 + strideL2;
  let i = offsetL;
  for (let k = 0; k < N; k++) {
    sum += Math.log(L[i]!);
    i += step;
  }
  return 2 * sum;
}
