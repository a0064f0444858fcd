import type { Uplo } from "./types";

/**
 * Copies the `from` triangle of an N × N matrix onto the other one, making it symmetric (after
 * `potri`, `syrk`, or a kernel that wrote one triangle).
 *
 * @param from - the triangle that holds the values
 * @param N - order
 * @param A - matrix, completed in place
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @returns `A`
 * @example
 * symmetrize("lower", 2, new Float64Array([1, 0, 2, 3]), 2, 1, 0); // [1, 2, 2, 3]
 */
export function symmetrize(
  from: Uplo,
  N: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
): Float64Array {
  const s1 = from === "lower" ? strideA1 : strideA2;
  const s2 = from === "lower" ? strideA2 : strideA1;
  for (let i = 1; i < N; i++) {
    for (let j = 0; j < i; j++) {
      A[offsetA + j * s1 + i * s2] = A[offsetA + i * s1 + j * s2]!;
    }
  }
  return A;
}
