/**
 * Dot product of two strided vectors, sum_i x_i y_i (BLAS `ddot`).
 *
 * @param N - number of elements
 * @param x - first vector
 * @param strideX - stride of `x`
 * @param offsetX - index of the first element of `x`
 * @param y - second vector
 * @param strideY - stride of `y`
 * @param offsetY - index of the first element of `y`
 * @returns the dot product (0 when N <= 0)
 * @example
 * dot(3, new Float64Array([1, 2, 3]), 1, 0, new Float64Array([4, 5, 6]), 1, 0); // 32
 */
export function dot(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): number {
  let sum = 0;
  let ix = offsetX;
  let iy = offsetY;
  for (let i = 0; i < N; i++) {
    sum += x[ix]! * y[iy]!;
    ix += strideX;
    iy += strideY;
  }
  return sum;
}
