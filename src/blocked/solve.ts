/**
 * Back-substitution with the blocked factor (./numeric): x solving L_M' x = v, where L_M is L without
 * y's row and column. With v = y's row of L it gives lme4's conditional modes and fixed effects
 * (Bates et al. 2015, eq. 29); with v = y's row + sigma z, z ~ N(0, I), it is a draw from
 * N(Omega^{-1} rhs, sigma2 Omega^{-1}) (Rue 2001): the sampler's joint draw of (u, beta).
 *
 * @see Rue (2001) Fast sampling of Gaussian Markov random fields, JRSS B 63(2):325–338,
 *   doi:10.1111/1467-9868.00288.
 */
import type { BlockedStructure } from "./symbolic";

/**
 * Copies y's row of L (L^{-1} times the right-hand side, one value per column but y's) into out.
 *
 * @param st - structure
 * @param L - factor values
 * @param out - length N - 1, overwritten
 * @returns out
 */
export function responseRow(st: BlockedStructure, L: Float64Array, out: Float64Array): Float64Array {
  const { colStart, rowPtr, valPtr, N } = st;
  for (let s = 0; s < st.supernodes; s++) {
    const c0 = colStart[s]!;
    const w = colStart[s + 1]! - c0;
    const nr = rowPtr[s + 1]! - rowPtr[s]!;
    const yRow = valPtr[s]! + (nr - 1) * w;
    for (let j = 0; j < w; j++) if (c0 + j < N - 1) out[c0 + j] = L[yRow + j]!;
  }
  return out;
}

/**
 * Solves L_M' x = v in place (v in, x out; length N - 1), supernodes last to first.
 *
 * @param st - structure
 * @param L - factor values
 * @param x - the right-hand side v on entry, the solution on return
 * @example
 * backSolve(st, L, responseRow(st, L, new Float64Array(st.N - 1))); // (u, beta) at theta
 */
export function backSolve(st: BlockedStructure, L: Float64Array, x: Float64Array): Float64Array {
  const { colStart, rowPtr, rows, valPtr, N } = st;
  for (let s = st.supernodes - 1; s >= 0; s--) {
    const c0 = colStart[s]!;
    const w = colStart[s + 1]! - c0;
    const r0 = rowPtr[s]!;
    const nr = rowPtr[s + 1]! - r0;
    const base = valPtr[s]!;
    // Rows below the own columns, without y (the last row of every supernode).
    const below = nr - 1;
    for (let j = w - 1; j >= 0; j--) {
      const c = c0 + j;
      if (c === N - 1) continue;
      let v = x[c]!;
      for (let i = j + 1; i < w; i++) if (c0 + i < N - 1) v -= L[base + i * w + j]! * x[c0 + i]!;
      for (let i = w; i < below; i++) v -= L[base + i * w + j]! * x[rows[r0 + i]!]!;
      x[c] = v / L[base + j * w + j]!;
    }
  }
  return x;
}
