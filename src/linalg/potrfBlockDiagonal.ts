import { potrf } from "./potrf";

/**
 * Cholesky factors of a block-diagonal matrix with m diagonal blocks of order q, each in place — the
 * first (largest) factor's block of a blocked Cholesky as in lme4/MixedModels.jl, which stays
 * block-diagonal. Block b's element (i, j) is at `offsetA + b * strideBlock + i * strideA1 + j * strideA2`
 * (e.g. m contiguous row-major q × q blocks: strideBlock = q*q, strideA1 = q, strideA2 = 1).
 *
 * @param m - number of blocks
 * @param q - order of each block
 * @param A - the blocks (lower triangles used), overwritten by their factors
 * @param strideBlock - stride between blocks
 * @param strideA1 - stride between rows within a block
 * @param strideA2 - stride between columns within a block
 * @param offsetA - index of block 0's element (0, 0)
 * @returns 0 on success, else the 1-based column of the whole matrix (b * q + column) where it failed
 * @example
 * // two 1 × 1 blocks [4] and [9]
 * potrfBlockDiagonal(2, 1, new Float64Array([4, 9]), 1, 1, 1, 0); // 0, A = [2, 3]
 */
export function potrfBlockDiagonal(
  m: number,
  q: number,
  A: Float64Array,
  strideBlock: number,
  strideA1: number,
  strideA2: number,
  offsetA: number,
): number {
  for (let b = 0; b < m; b++) {
    const info = potrf(q, A, strideA1, strideA2, offsetA + b * strideBlock);
    if (info !== 0) return b * q + info;
  }
  return 0;
}
