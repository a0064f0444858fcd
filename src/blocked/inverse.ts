/**
 * A selected inverse of the blocked factor: Zbar = L^{-T} diag(w) L^{-1} on the structure of L (every
 * entry L can hold; Takahashi, Fagan & Chen 1973), in the same storage as L. For each supernode, last
 * to first, with C its columns and U its rows below,
 *
 *     Y    = Zbar_UU L_UC,          Zbar_UC = -Y L_CC^{-1},
 *     Zbar_CC = L_CC^{-T} (W_C + L_UC' Y) L_CC^{-1},
 *
 * and Zbar_UU is known from later supernodes because U is a clique of L's structure. REML's gradient
 * reads Zbar on A's pattern (w = 1 on Z, 1 or 0 on X, nu on y; Murray 2016), its conditional
 * variances Zbar's diagonal blocks with w = (1 on Z, 0 elsewhere): (Lambda'Z'Z Lambda + I)^{-1}.
 *
 * @see Takahashi, Fagan & Chen (1973) Formation of a sparse bus impedance matrix and its application
 *   to short circuit study, PICA; Murray (2016) Differentiation of the Cholesky decomposition,
 *   arXiv:1602.07527; Erisman & Tinney (1975) On computing certain elements of the inverse of a sparse
 *   matrix, CACM 18(3), doi:10.1145/360680.360704.
 */
import type { BlockedStructure } from "./symbolic";

/** Scratch of the selected inverse; allocated once per structure. */
export interface InverseWork {
  readonly map: Int32Array;
  /** Zbar_UU (u × u), L_UC' (w × u), Y (u × w), H (w × w), for the largest supernode. */
  readonly G: Float64Array;
  readonly C: Float64Array;
  readonly Y: Float64Array;
  readonly Yt: Float64Array;
  readonly H: Float64Array;
  /** Value offsets of the gathered entries (u × u). */
  readonly at: Int32Array;
}

/** out[i * nb + j] = A[i, :] · B[j, :] for na rows of A and nb rows of B, each `len` long; 2 × 2 blocked. */
function productRows(
  A: Float64Array,
  na: number,
  B: Float64Array,
  nb: number,
  len: number,
  out: Float64Array,
): void {
  let i = 0;
  for (; i + 1 < na; i += 2) {
    const a0 = i * len;
    const a1 = a0 + len;
    let j = 0;
    for (; j + 1 < nb; j += 2) {
      const b0 = j * len;
      const b1 = b0 + len;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < len; k++) {
        const x0 = A[a0 + k]!;
        const x1 = A[a1 + k]!;
        const y0 = B[b0 + k]!;
        const y1 = B[b1 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      out[i * nb + j] = s00;
      out[i * nb + j + 1] = s01;
      out[(i + 1) * nb + j] = s10;
      out[(i + 1) * nb + j + 1] = s11;
    }
    for (; j < nb; j++) {
      const b0 = j * len;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < len; k++) {
        s0 += A[a0 + k]! * B[b0 + k]!;
        s1 += A[a1 + k]! * B[b0 + k]!;
      }
      out[i * nb + j] = s0;
      out[(i + 1) * nb + j] = s1;
    }
  }
  for (; i < na; i++)
    for (let j = 0; j < nb; j++) {
      let v = 0;
      for (let k = 0; k < len; k++) v += A[i * len + k]! * B[j * len + k]!;
      out[i * nb + j] = v;
    }
}

/** Allocates the scratch of `selectedInverse`. */
export function inverseWork(st: BlockedStructure): InverseWork {
  let maxU = 0;
  let maxW = 0;
  for (let s = 0; s < st.supernodes; s++) {
    const w = st.colStart[s + 1]! - st.colStart[s]!;
    maxU = Math.max(maxU, st.rowPtr[s + 1]! - st.rowPtr[s]! - w);
    maxW = Math.max(maxW, w);
  }
  return {
    map: new Int32Array(st.N),
    G: new Float64Array(maxU * maxU),
    C: new Float64Array(maxW * maxU),
    Y: new Float64Array(Math.max(maxU * maxW, 1)),
    Yt: new Float64Array(Math.max(maxU * maxW, 1)),
    H: new Float64Array(maxW * maxW),
    at: new Int32Array(maxU * maxU),
  };
}

/**
 * Fills `at` with the value offsets of Zbar_UU's lower triangle (at[a * u + b], a ≥ b) for the rows
 * U of supernode s: each entry lives in the supernode of its column, at its row's local index there.
 */
function gatherOffsets(st: BlockedStructure, s: number, map: Int32Array, at: Int32Array): void {
  const { colStart, rowPtr, rows, valPtr, colSuper } = st;
  const w = colStart[s + 1]! - colStart[s]!;
  const r0 = rowPtr[s]! + w;
  const u = rowPtr[s + 1]! - r0;
  let current = -1;
  let contiguous = false;
  for (let b = 0; b < u; b++) {
    const cb = rows[r0 + b]!;
    const t = colSuper[cb]!;
    if (t !== current) {
      current = t;
      // A supernode whose rows are consecutive columns (a dense remainder) needs no map.
      const first = rows[rowPtr[t]!]!;
      contiguous = rows[rowPtr[t + 1]! - 1]! - first === rowPtr[t + 1]! - rowPtr[t]! - 1;
      if (!contiguous) for (let i = rowPtr[t]!; i < rowPtr[t + 1]!; i++) map[rows[i]!] = i - rowPtr[t]!;
    }
    const wt = colStart[t + 1]! - colStart[t]!;
    const origin = valPtr[t]! + (cb - colStart[t]!);
    if (contiguous) {
      const first = colStart[t]!;
      for (let a = b; a < u; a++) at[a * u + b] = origin + (rows[r0 + a]! - first) * wt;
    } else for (let a = b; a < u; a++) at[a * u + b] = origin + map[rows[r0 + a]!]! * wt;
  }
}

/**
 * Computes the selected inverse Zbar = L^{-T} diag(w) L^{-1} on L's structure.
 *
 * @param st - structure
 * @param L - factor values (a successful factorization)
 * @param wZ - weight of the random-effects columns
 * @param wX - weight of X's columns
 * @param wY - weight of y
 * @param Z - output, same layout as L (own columns: the lower triangle of Zbar_CC; rows below: Zbar_UC)
 * @param work - scratch
 * @example
 * selectedInverse(st, L, 1, 0, 0, Z, inverseWork(st)); // diagonal blocks: (Lambda'Z'Z Lambda + I)^{-1}
 */
export function selectedInverse(
  st: BlockedStructure,
  L: Float64Array,
  wZ: number,
  wX: number,
  wY: number,
  Z: Float64Array,
  work: InverseWork,
): void {
  const { colStart, rowPtr, valPtr, xStart, N } = st;
  const { map, G, C, Y, Yt, H, at } = work;
  const weight = (c: number): number => (c < xStart ? wZ : c < N - 1 ? wX : wY);
  const last = st.leafPos === null ? 0 : st.m[0]!;
  for (let s = st.supernodes - 1; s >= last; s--) {
    const c0 = colStart[s]!;
    const w = colStart[s + 1]! - c0;
    const nr = rowPtr[s + 1]! - rowPtr[s]!;
    const u = nr - w;
    const base = valPtr[s]!;
    const below = base + w * w;
    if (u > 0) {
      gatherOffsets(st, s, map, at);
      for (let a = 0; a < u; a++)
        for (let b = 0; b <= a; b++) {
          const v = Z[at[a * u + b]!]!;
          G[a * u + b] = v;
          G[b * u + a] = v;
        }
      // C = L_UC' (w × u); Y = G L_UC (u × w) as dot products of G's rows with C's rows.
      for (let a = 0; a < u; a++) for (let c = 0; c < w; c++) C[c * u + a] = L[below + a * w + c]!;
      productRows(G, u, C, w, u, Y);
      // Y' (w × u), for H = L_UC' Y as dot products.
      for (let a = 0; a < u; a++) for (let c = 0; c < w; c++) Yt[c * u + a] = Y[a * w + c]!;
      productRows(C, w, Yt, w, u, H);
    }
    // H = W_C + L_UC' Y (w × w).
    if (u === 0) H.fill(0, 0, w * w);
    for (let c = 0; c < w; c++) H[c * w + c]! += weight(c0 + c);
    // Zbar_UC = -Y L_CC^{-1}: rows z with z L_CC = -y.
    for (let a = 0; a < u; a++) {
      const za = below + a * w;
      for (let c = w - 1; c >= 0; c--) {
        let v = -Y[a * w + c]!;
        for (let k = c + 1; k < w; k++) v -= Z[za + k]! * L[base + k * w + c]!;
        Z[za + c] = v / L[base + c * w + c]!;
      }
    }
    // Zbar_CC = L_CC^{-T} H L_CC^{-1}: rows of H L^{-1}, then columns of L^{-T} (that).
    for (let r = 0; r < w; r++)
      for (let c = w - 1; c >= 0; c--) {
        let v = H[r * w + c]!;
        for (let k = c + 1; k < w; k++) v -= H[r * w + k]! * L[base + k * w + c]!;
        H[r * w + c] = v / L[base + c * w + c]!;
      }
    for (let c = 0; c < w; c++)
      for (let r = w - 1; r >= 0; r--) {
        let v = H[r * w + c]!;
        for (let k = r + 1; k < w; k++) v -= L[base + k * w + r]! * H[k * w + c]!;
        H[r * w + c] = v / L[base + r * w + r]!;
      }
    for (let r = 0; r < w; r++) for (let c = 0; c <= r; c++) Z[base + r * w + c] = H[r * w + c]!;
  }
  if (last > 0) inverseLeaves(st, L, wZ, Z, work.Y);
}

/**
 * The leaves' part of the selected inverse through their listed update positions (st.leafPos): the
 * same recurrence, with Zbar_UU read where the factorization wrote the leaf's updates.
 */
function inverseLeaves(
  st: BlockedStructure,
  L: Float64Array,
  wZ: number,
  Z: Float64Array,
  P: Float64Array,
): void {
  const { p, rowPtr, valPtr, leafRowPtr, leafRowXY, leafRowStride, xyPos } = st;
  const pos = st.leafPos!;
  const ptr = st.leafPtr!;
  const q0 = st.q[0]!;
  const p1 = p + 1;
  // Zbar on X and y's rows and columns is the same for every leaf: gather it once, both triangles.
  const Gxy = new Float64Array(p1 * p1);
  for (let x = 0; x < p1; x++)
    for (let y = x; y < p1; y++) {
      const z = Z[xyPos[y * p1 + x]!]!;
      Gxy[y * p1 + x] = z;
      Gxy[x * p1 + y] = z;
    }
  for (let j = 0; j < st.m[0]!; j++) {
    const base = valPtr[j]!;
    const nr = rowPtr[j + 1]! - rowPtr[j]!;
    const u = nr - q0;
    const rz = u - p1;
    const lu = base + q0 * q0; // L_UC rows (u × q0)
    const lr = leafRowPtr[j]!;
    // P = Zbar_UU L_UC (u × q0).
    P.fill(0, 0, u * q0);
    let t = ptr[j]!;
    for (let b = 0; b < rz; b++) {
      for (let a = b; a < rz; a++) {
        const z = Z[pos[t++]!]!;
        for (let c = 0; c < q0; c++) {
          P[a * q0 + c]! += z * L[lu + b * q0 + c]!;
          if (a !== b) P[b * q0 + c]! += z * L[lu + a * q0 + c]!;
        }
      }
      const at = leafRowXY[lr + b]!;
      const stride = leafRowStride[lr + b]!;
      for (let x = 0; x < p1; x++) {
        const z = Z[at + x * stride]!;
        const a = rz + x;
        for (let c = 0; c < q0; c++) {
          P[a * q0 + c]! += z * L[lu + b * q0 + c]!;
          P[b * q0 + c]! += z * L[lu + a * q0 + c]!;
        }
      }
    }
    const lx = lu + rz * q0;
    for (let y = 0; y < p1; y++) {
      const gy = y * p1;
      for (let c = 0; c < q0; c++) {
        let v = 0;
        for (let x = 0; x < p1; x++) v += Gxy[gy + x]! * L[lx + x * q0 + c]!;
        P[(rz + y) * q0 + c]! += v;
      }
    }
    if (q0 === 1) {
      const l = L[base]!;
      let h = wZ;
      for (let a = 0; a < u; a++) {
        h += L[lu + a]! * P[a]!;
        Z[lu + a] = -P[a]! / l;
      }
      Z[base] = h / (l * l);
      continue;
    }
    // H = wZ I + L_UC' P; Zbar_UC = -P L_CC^{-1}; Zbar_CC = L_CC^{-T} H L_CC^{-1}.
    const H = new Float64Array(q0 * q0);
    for (let c = 0; c < q0; c++)
      for (let d = 0; d < q0; d++) {
        let v = c === d ? wZ : 0;
        for (let a = 0; a < u; a++) v += L[lu + a * q0 + c]! * P[a * q0 + d]!;
        H[c * q0 + d] = v;
      }
    for (let a = 0; a < u; a++)
      for (let c = q0 - 1; c >= 0; c--) {
        let v = -P[a * q0 + c]!;
        for (let k = c + 1; k < q0; k++) v -= Z[lu + a * q0 + k]! * L[base + k * q0 + c]!;
        Z[lu + a * q0 + c] = v / L[base + c * q0 + c]!;
      }
    for (let r = 0; r < q0; r++)
      for (let c = q0 - 1; c >= 0; c--) {
        let v = H[r * q0 + c]!;
        for (let k = c + 1; k < q0; k++) v -= H[r * q0 + k]! * L[base + k * q0 + c]!;
        H[r * q0 + c] = v / L[base + c * q0 + c]!;
      }
    for (let c = 0; c < q0; c++)
      for (let r = q0 - 1; r >= 0; r--) {
        let v = H[r * q0 + c]!;
        for (let k = r + 1; k < q0; k++) v -= L[base + k * q0 + r]! * H[k * q0 + c]!;
        H[r * q0 + c] = v / L[base + r * q0 + r]!;
      }
    for (let r = 0; r < q0; r++) for (let c = 0; c <= r; c++) Z[base + r * q0 + c] = H[r * q0 + c]!;
  }
}
