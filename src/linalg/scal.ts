/**
 * x := alpha x on a strided vector (BLAS `dscal`). With alpha = 0 the elements are set to 0 (a NaN
 * in `x` does not survive), as a caller clearing a buffer expects.
 *
 * @param N - number of elements
 * @param alpha - scalar
 * @param x - vector scaled in place
 * @param strideX - stride of `x`
 * @param offsetX - index of the first element of `x`
 * @returns `x`
 * @example
 * scal(2, 0.5, new Float64Array([2, 4]), 1, 0); // [1, 2]
 */
export function scal(
  N: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
): Float64Array {
  let ix = offsetX;
  if (alpha === 0) {
    for (let i = 0; i < N; i++) {
      x[ix] = 0;
      ix += strideX;
    }
    return x;
  }
  for (let i = 0; i < N; i++) {
    x[ix] = alpha * x[ix]!;
    ix += strideX;
  }
  return x;
}
