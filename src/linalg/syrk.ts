import type { Transpose, Uplo } from "./types";

/**
 * Symmetric rank-k update of one triangle of C (BLAS `dsyrk`):
 *     trans = "no-transpose":  C := alpha A A' + beta C,  A is N × K
 *     trans = "transpose":     C := alpha A' A + beta C,  A is K × N   (e.g. the cross-product X'X)
 * Only the `uplo` triangle of C (diagonal included) is read and written. With beta = 0, C is not read.
 *
 * @param uplo - triangle of C to update
 * @param trans - which product (see above)
 * @param N - order of C
 * @param K - inner dimension
 * @param alpha - scalar multiplying the product
 * @param A - matrix
 * @param strideA1 - stride between rows of A
 * @param strideA2 - stride between columns of A
 * @param offsetA - index of A[0, 0]
 * @param beta - scalar multiplying C
 * @param C - N × N output, updated in place
 * @param strideC1 - stride between rows of C
 * @param strideC2 - stride between columns of C
 * @param offsetC - index of C[0, 0]
 * @returns `C`
 * @example
 * // X = [[1, 2], [3, 4]]; X'X = [[10, 14], [14, 20]]; the lower triangle is written
 * syrk("lower", "transpose", 2, 2, 1, new Float64Array([1, 2, 3, 4]), 2, 1, 0,
 *   0, new Float64Array(4), 2, 1, 0); // [10, 0, 14, 20]
 */
export function syrk(
  uplo: Uplo,
  trans: Transpose,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  beta: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
): Float64Array {
  const lower = uplo === "lower";
  // op(A) is N × K: element (i, k) at offsetA + i * si + k * sk.
  const si = trans === "no-transpose" ? strideA1 : strideA2;
  const sk = trans === "no-transpose" ? strideA2 : strideA1;
  for (let i = 0; i < N; i++) {
    const j0 = lower ? 0 : i;
    const j1 = lower ? i : N - 1;
    for (let j = j0; j <= j1; j++) {
      const ic = offsetC + i * strideC1 + j * strideC2;
      C[ic] = beta === 0 ? 0 : beta * C[ic]!;
    }
  }
  if (alpha === 0) return C;
  if (trans === "transpose") {
    // Sum of K rank-1 updates, one per row of A: the innermost loop runs along that row.
    for (let k = 0; k < K; k++) {
      const ak = offsetA + k * sk;
      for (let i = 0; i < N; i++) {
        const aik = alpha * A[ak + i * si]!;
        if (aik === 0) continue;
        const j0 = lower ? 0 : i;
        const j1 = lower ? i : N - 1;
        let ia = ak + j0 * si;
        let ic = offsetC + i * strideC1 + j0 * strideC2;
        for (let j = j0; j <= j1; j++) {
          C[ic] = C[ic]! + aik * A[ia]!;
          ia += si;
          ic += strideC2;
        }
      }
    }
    return C;
  }
  // A A': each element is a dot product of two rows of A.
  for (let i = 0; i < N; i++) {
    const j0 = lower ? 0 : i;
    const j1 = lower ? i : N - 1;
    for (let j = j0; j <= j1; j++) {
      let sum = 0;
      let ia = offsetA + i * si;
      let ja = offsetA + j * si;
      for (let k = 0; k < K; k++) {
        sum += A[ia]! * A[ja]!;
        ia += sk;
        ja += sk;
      }
      const ic = offsetC + i * strideC1 + j * strideC2;
      C[ic] = C[ic]! + alpha * sum;
    }
  }
  return C;
}
