/**
 * y := alpha x + y on strided vectors (BLAS `daxpy`).
 *
 * @param N - number of elements
 * @param alpha - scalar multiplying `x`
 * @param x - input vector
 * @param strideX - stride of `x`
 * @param offsetX - index of the first element of `x`
 * @param y - vector updated in place
 * @param strideY - stride of `y`
 * @param offsetY - index of the first element of `y`
 * @returns `y`
 * @example
 * axpy(2, 3, new Float64Array([1, 2]), 1, 0, new Float64Array([1, 1]), 1, 0); // [4, 7]
 */
export function axpy(
  N: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): Float64Array {
  if (alpha === 0) return y;
  let ix = offsetX;
  let iy = offsetY;
  for (let i = 0; i < N; i++) {
    y[iy] = y[iy]! + alpha * x[ix]!;
    ix += strideX;
    iy += strideY;
  }
  return y;
}
