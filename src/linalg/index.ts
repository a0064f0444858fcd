/**
 * src/linalg: dense linear algebra on Float64Array. Kernels (BLAS/LAPACK names, stdlib-js signatures,
 * allocate nothing, validate nothing) and the validated public wrappers. See README.md.
 */
export { axpy } from "./axpy";
export { copy } from "./copy";
export { dot } from "./dot";
export { gemm } from "./gemm";
export { gemv } from "./gemv";
export { lauum } from "./lauum";
export { logdetFromCholesky } from "./logdetFromCholesky";
export { type DenseMatrix, type MatrixInput, toDenseMatrix, toRows, toSymmetricMatrix } from "./matrix";
export { potrf } from "./potrf";
export { potrfBlockDiagonal } from "./potrfBlockDiagonal";
export { potri } from "./potri";
export { potrs } from "./potrs";
export { scal } from "./scal";
export { cholesky, inverseSpd, logDetSpd, NotPositiveDefiniteError, solveSpd } from "./spd";
export { symmetricEigenvalues } from "./symmetricEigenvalues";
export { symmetrize } from "./symmetrize";
export { syrk } from "./syrk";
export { trmm } from "./trmm";
export { trmv } from "./trmv";
export { trsm } from "./trsm";
export { trsv } from "./trsv";
export type { Diag, Side, Transpose, Uplo } from "./types";
