/**
 * Flags of the BLAS/LAPACK-style kernels in this folder, spelled as in stdlib-js.
 *
 * A matrix argument is always four things: the array, the stride between rows (`strideA1`), the stride
 * between columns (`strideA2`) and the index of element (0, 0) (`offsetA`). Row-major storage of an
 * M × N matrix is `strideA1 = N, strideA2 = 1`; column-major is `strideA1 = 1, strideA2 = M`; a
 * transposed view of the same storage swaps the two strides.
 */

/** Which triangle of a matrix is referenced. */
export type Uplo = "lower" | "upper";

/** Whether a matrix is used as stored (`op(A) = A`) or transposed (`op(A) = A'`). */
export type Transpose = "no-transpose" | "transpose";

/** Whether a triangular matrix has an implicit unit diagonal (its stored diagonal is not read). */
export type Diag = "unit" | "non-unit";

/** Whether a triangular matrix multiplies from the left (`op(A) B`) or from the right (`B op(A)`). */
export type Side = "left" | "right";
