import type { Transpose } from "./types";

/**
 * C := alpha op(A) op(B) + beta C, with op(A) M × K, op(B) K × N and C M × N (BLAS `dgemm`), for the
 * small matrices of this package (a plain triple loop, ordered so that the innermost loop runs along
 * a row of op(B) and of C). With beta = 0, `C` is not read.
 *
 * @param transA - op(A) = A or A'
 * @param transB - op(B) = B or B'
 * @param M - rows of op(A) and C
 * @param N - columns of op(B) and C
 * @param K - columns of op(A), rows of op(B)
 * @param alpha - scalar multiplying op(A) op(B)
 * @param A - first matrix
 * @param strideA1 - stride between rows of A (as stored)
 * @param strideA2 - stride between columns of A (as stored)
 * @param offsetA - index of A[0, 0]
 * @param B - second matrix
 * @param strideB1 - stride between rows of B (as stored)
 * @param strideB2 - stride between columns of B (as stored)
 * @param offsetB - index of B[0, 0]
 * @param beta - scalar multiplying C
 * @param C - output matrix, updated in place
 * @param strideC1 - stride between rows of C
 * @param strideC2 - stride between columns of C
 * @param offsetC - index of C[0, 0]
 * @returns `C`
 * @example
 * // [[1, 2], [3, 4]] [[1, 0], [0, 1]] = [[1, 2], [3, 4]]
 * gemm("no-transpose", "no-transpose", 2, 2, 2, 1, new Float64Array([1, 2, 3, 4]), 2, 1, 0,
 *   new Float64Array([1, 0, 0, 1]), 2, 1, 0, 0, new Float64Array(4), 2, 1, 0); // [1, 2, 3, 4]
 */
export function gemm(
  transA: Transpose,
  transB: Transpose,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  B: Float64Array,
  strideB1: number,
  strideB2: number,
  offsetB: number,
  beta: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
): Float64Array {
  // Strides of op(A) (M × K) and op(B) (K × N).
  const sai = transA === "no-transpose" ? strideA1 : strideA2;
  const sak = transA === "no-transpose" ? strideA2 : strideA1;
  const sbk = transB === "no-transpose" ? strideB1 : strideB2;
  const sbj = transB === "no-transpose" ? strideB2 : strideB1;
  for (let i = 0; i < M; i++) {
    const ci = offsetC + i * strideC1;
    let ic = ci;
    if (beta === 0) {
      for (let j = 0; j < N; j++) {
        C[ic] = 0;
        ic += strideC2;
      }
    } else if (beta !== 1) {
      for (let j = 0; j < N; j++) {
        C[ic] = beta * C[ic]!;
        ic += strideC2;
      }
    }
    for (let k = 0; k < K; k++) {
      const aik = alpha * A[offsetA + i * sai + k * sak]!;
      if (aik === 0) continue;
      let ib = offsetB + k * sbk;
      ic = ci;
      for (let j = 0; j < N; j++) {
        C[ic] = C[ic]! + aik * B[ib]!;
        ib += sbj;
        ic += strideC2;
      }
    }
  }
  return C;
}
