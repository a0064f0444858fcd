/**
 * y := x on strided vectors (BLAS `dcopy`).
 *
 * @param N - number of elements
 * @param x - source vector
 * @param strideX - stride of `x`
 * @param offsetX - index of the first element of `x`
 * @param y - destination vector
 * @param strideY - stride of `y`
 * @param offsetY - index of the first element of `y`
 * @returns `y`
 * @example
 * copy(2, new Float64Array([1, 2]), 1, 0, new Float64Array(4), 2, 0); // [1, 0, 2, 0]
 */
export function copy(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): Float64Array {
  let ix = offsetX;
  let iy = offsetY;
  for (let i = 0; i < N; i++) {
    y[iy] = x[ix]!;
    ix += strideX;
    iy += strideY;
  }
  return y;
}
