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
  /** L_CC transposed (Lt[c w + k] = L_CC[k, c]) and H L_CC^{-1} transposed (w × w each): contiguous inner loops. */
  readonly Lt: Float64Array;
  readonly Ht: Float64Array;
  /** Value offsets of the gathered entries (u × u). */
  readonly at: Int32Array;
  /** The leaves' X/y rows of L ((p + 1) × m_0 q_0), and Zbar_XX times them (same shape); empty without a leaf table. */
  readonly panel: Float64Array;
  readonly panelProduct: Float64Array;
  /** Zbar's X/y rows of each rest column ((p + 1) per column), and Zbar_XX ((p + 1)²). */
  readonly restXY: Float64Array;
  readonly gxy: Float64Array;
  /** Per leaf, l_X' Zbar_XX l_X (`leafDiagonals`); empty without a leaf table. */
  readonly leafXX: Float64Array;
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
  const p1 = st.p + 1;
  const leaves = st.leafPos === null ? 0 : p1 * st.m[0]! * st.q[0]!;
  return {
    map: new Int32Array(st.N),
    G: new Float64Array(maxU * maxU),
    C: new Float64Array(maxW * maxU),
    Y: new Float64Array(Math.max(maxU * maxW, 1)),
    Yt: new Float64Array(Math.max(maxU * maxW, 1)),
    H: new Float64Array(maxW * maxW),
    Lt: new Float64Array(maxW * maxW),
    Ht: new Float64Array(maxW * maxW),
    at: new Int32Array(maxU * maxU),
    panel: new Float64Array(leaves),
    panelProduct: new Float64Array(leaves),
    restXY: new Float64Array(st.leafPos === null ? 0 : (st.xStart - st.m[0]! * st.q[0]!) * p1),
    gxy: new Float64Array(p1 * p1),
    leafXX: new Float64Array(st.leafPos === null ? 0 : st.m[0]!),
  };
}

/**
 * Fills `at` with the value offsets of Zbar_UU's lower triangle (at[a * u + b], a ≥ b) for the first
 * u rows U below supernode s's own: each entry lives in the supernode of its column, at its row's
 * local index there.
 */
function gatherOffsets(st: BlockedStructure, s: number, u: number, map: Int32Array, at: Int32Array): void {
  const { colStart, rowPtr, rows, valPtr, colSuper } = st;
  const w = colStart[s + 1]! - colStart[s]!;
  const r0 = rowPtr[s]! + w;
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
 * @param part - "structure": every entry of L's structure; "diagonal": the leaves' (block 0's)
 *   rows below their diagonal blocks are left out (no later step reads them; with q_0 = 1 each leaf's
 *   Zbar_CC is then one quadratic form, (wZ + L_UC' Zbar_UU L_UC) / L_CC², without Zbar_UC). Every
 *   diagonal block, and every entry of the other supernodes, is computed either way. @default "structure"
 *
 * With wX = wY = 0, Zbar's X and y rows are 0 (L^{-1}'s rows there meet only zero weights): they are
 * written as 0 and left out of every product (the conditional variances' inverse costs less).
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
  part: "structure" | "diagonal" = "structure",
): void {
  const { colStart, rowPtr, valPtr, xStart, N } = st;
  const { map, G, C, Y, Yt, H, Lt, Ht, at } = work;
  const weight = (c: number): number => (c < xStart ? wZ : c < N - 1 ? wX : wY);
  const last = st.leafPos === null ? 0 : st.m[0]!;
  // Zero X/y weights: a supernode of random-effects columns only skips its last p + 1 rows (X and y).
  const xyZero = wX === 0 && wY === 0;
  const p1 = st.p + 1;
  for (let s = st.supernodes - 1; s >= last; s--) {
    const c0 = colStart[s]!;
    const w = colStart[s + 1]! - c0;
    const nr = rowPtr[s + 1]! - rowPtr[s]!;
    const rowsBelow = nr - w;
    const u = xyZero && colStart[s + 1]! <= xStart ? rowsBelow - p1 : rowsBelow;
    const base = valPtr[s]!;
    const below = base + w * w;
    // Lt = L_CC' (its upper triangle), so that the triangular solves below read rows.
    for (let c = 0; c < w; c++) for (let k = c; k < w; k++) Lt[c * w + k] = L[base + k * w + c]!;
    if (u > 0) {
      gatherOffsets(st, s, u, map, at);
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
    // Zbar_UC = -Y L_CC^{-1}: rows z with z L_CC = -y, two rows at a time (independent sums).
    let a = 0;
    for (; a + 1 < u; a += 2) {
      const za = below + a * w;
      const zb = za + w;
      for (let c = w - 1; c >= 0; c--) {
        const lc = c * w;
        let v0 = -Y[a * w + c]!;
        let v1 = -Y[a * w + w + c]!;
        for (let k = c + 1; k < w; k++) {
          const l = Lt[lc + k]!;
          v0 -= Z[za + k]! * l;
          v1 -= Z[zb + k]! * l;
        }
        const d = Lt[lc + c]!;
        Z[za + c] = v0 / d;
        Z[zb + c] = v1 / d;
      }
    }
    if (a < u) {
      const za = below + a * w;
      for (let c = w - 1; c >= 0; c--) {
        const lc = c * w;
        let v = -Y[a * w + c]!;
        for (let k = c + 1; k < w; k++) v -= Z[za + k]! * Lt[lc + k]!;
        Z[za + c] = v / Lt[lc + c]!;
      }
    }
    if (u < rowsBelow) Z.fill(0, below + u * w, below + rowsBelow * w);
    // Zbar_CC = L_CC^{-T} H L_CC^{-1}: rows of H L^{-1} (into H, and transposed into Ht), then the
    // columns of L^{-T} (that) on and below the diagonal, the only entries kept (each reads only
    // entries below it in its column).
    // Both two rows (columns) at a time, as independent sums.
    let r = 0;
    for (; r + 1 < w; r += 2) {
      const hr = r * w;
      const hs = hr + w;
      for (let c = w - 1; c >= 0; c--) {
        const lc = c * w;
        let v0 = H[hr + c]!;
        let v1 = H[hs + c]!;
        for (let k = c + 1; k < w; k++) {
          const l = Lt[lc + k]!;
          v0 -= H[hr + k]! * l;
          v1 -= H[hs + k]! * l;
        }
        const d = Lt[lc + c]!;
        const x0 = v0 / d;
        const x1 = v1 / d;
        H[hr + c] = x0;
        H[hs + c] = x1;
        Ht[lc + r] = x0;
        Ht[lc + r + 1] = x1;
      }
    }
    if (r < w) {
      const hr = r * w;
      for (let c = w - 1; c >= 0; c--) {
        const lc = c * w;
        let v = H[hr + c]!;
        for (let k = c + 1; k < w; k++) v -= H[hr + k]! * Lt[lc + k]!;
        const x = v / Lt[lc + c]!;
        H[hr + c] = x;
        Ht[lc + r] = x;
      }
    }
    let c = 0;
    for (; c + 1 < w; c += 2) {
      const hc = c * w;
      const hd = hc + w;
      // Rows below c for both columns, then row c of column c alone.
      for (let r = w - 1; r > c; r--) {
        const lr = r * w;
        let v0 = Ht[hc + r]!;
        let v1 = Ht[hd + r]!;
        for (let k = r + 1; k < w; k++) {
          const l = Lt[lr + k]!;
          v0 -= l * Ht[hc + k]!;
          v1 -= l * Ht[hd + k]!;
        }
        const d = Lt[lr + r]!;
        Ht[hc + r] = v0 / d;
        Ht[hd + r] = v1 / d;
      }
      const lr = c * w;
      let v = Ht[hc + c]!;
      for (let k = c + 1; k < w; k++) v -= Lt[lr + k]! * Ht[hc + k]!;
      Ht[hc + c] = v / Lt[lr + c]!;
    }
    if (c < w) {
      const hc = c * w;
      for (let r = w - 1; r >= c; r--) {
        const lr = r * w;
        let v = Ht[hc + r]!;
        for (let k = r + 1; k < w; k++) v -= Lt[lr + k]! * Ht[hc + k]!;
        Ht[hc + r] = v / Lt[lr + r]!;
      }
    }
    for (let r = 0; r < w; r++) for (let c = 0; c <= r; c++) Z[base + r * w + c] = Ht[c * w + r]!;
  }
  if (last > 0) {
    if (part === "diagonal" && st.q[0] === 1) leafDiagonals(st, L, wZ, !xyZero, Z, work);
    else inverseLeaves(st, L, wZ, Z, work);
  }
}

/**
 * What every leaf reads of the rest's Zbar: Zbar_XX (both triangles, into work.gxy) and the X/y rows
 * of every rest column c, contiguous (work.restXY[(c - m_0 q_0) (p + 1) + x]).
 */
function gatherRestXY(st: BlockedStructure, Z: Float64Array, work: InverseWork): void {
  const { p, rowPtr, valPtr, xyPos, xStart, colStart } = st;
  const m0 = st.m[0]!;
  const p1 = p + 1;
  const leafColumns = m0 * st.q[0]!;
  const { restXY, gxy: Gxy } = work;
  for (let x = 0; x < p1; x++)
    for (let y = x; y < p1; y++) {
      const z = Z[xyPos[y * p1 + x]!]!;
      Gxy[y * p1 + x] = z;
      Gxy[x * p1 + y] = z;
    }
  for (let s = m0; s < st.supernodes; s++) {
    const c0 = colStart[s]!;
    if (c0 >= xStart) break;
    const c1 = Math.min(colStart[s + 1]!, xStart);
    const w = colStart[s + 1]! - c0;
    const xRow = valPtr[s]! + (rowPtr[s + 1]! - rowPtr[s]! - p1) * w;
    for (let c = c0; c < c1; c++) {
      const out = (c - leafColumns) * p1;
      for (let x = 0; x < p1; x++) restXY[out + x] = Z[xRow + x * w + (c - c0)]!;
    }
  }
}

/**
 * The leaves' diagonal entries of Zbar alone (q_0 = 1): with leaf j's column l = L_UC (rest rows R,
 * then X/y rows) and pivot d = L_CC,
 *
 *     Zbar_jj = (wZ + l_R' Zbar_RR l_R + 2 l_R' Zbar_RX l_X + l_X' Zbar_XX l_X) / d²,
 *
 * each product over one triangle: about r² / 2 + r (p + 1) + (p + 1)² / 2 multiply-adds a leaf,
 * against r² + 2 r (p + 1) + (p + 1)² for its whole column (`inverseLeaves`). Without `xy` (zero
 * X/y weights, where Zbar_RX = Zbar_XX = 0) the terms in l_X are left out.
 */
function leafDiagonals(
  st: BlockedStructure,
  L: Float64Array,
  wZ: number,
  xy: boolean,
  Z: Float64Array,
  work: InverseWork,
): void {
  const { p, rowPtr, valPtr, rows } = st;
  const pos = st.leafPos!;
  const ptr = st.leafPtr!;
  const m0 = st.m[0]!;
  const p1 = p + 1;
  gatherRestXY(st, Z, work);
  const { restXY, gxy: Gxy, leafXX } = work;
  // l_X' Zbar_XX l_X from the lower triangle, two leaves at a time (independent sums).
  if (xy) {
    const lxOf = (j: number): number => valPtr[j]! + rowPtr[j + 1]! - rowPtr[j]! - p1;
    let j = 0;
    for (; j + 1 < m0; j += 2) {
      const lx = lxOf(j);
      const ly = lxOf(j + 1);
      let xx0 = 0;
      let xx1 = 0;
      for (let x = 0; x < p1; x++) {
        const gx = x * p1;
        let v0 = 0;
        let v1 = 0;
        for (let y = 0; y < x; y++) {
          const g = Gxy[gx + y]!;
          v0 += g * L[lx + y]!;
          v1 += g * L[ly + y]!;
        }
        const gd = Gxy[gx + x]!;
        const a0 = L[lx + x]!;
        const a1 = L[ly + x]!;
        xx0 += a0 * (2 * v0 + gd * a0);
        xx1 += a1 * (2 * v1 + gd * a1);
      }
      leafXX[j] = xx0;
      leafXX[j + 1] = xx1;
    }
    if (j < m0) {
      const lx = lxOf(j);
      let xx = 0;
      for (let x = 0; x < p1; x++) {
        const gx = x * p1;
        let v = 0;
        for (let y = 0; y < x; y++) v += Gxy[gx + y]! * L[lx + y]!;
        const lxv = L[lx + x]!;
        xx += lxv * (2 * v + Gxy[gx + x]! * lxv);
      }
      leafXX[j] = xx;
    }
  }
  for (let j = 0; j < m0; j++) {
    const base = valPtr[j]!;
    const rz = rowPtr[j + 1]! - rowPtr[j]! - 1 - p1;
    const lu = base + 1;
    const lx = lu + rz;
    const r0 = rowPtr[j]! + 1;
    let rr = 0;
    let t = ptr[j]!;
    for (let b = 0; b < rz; b++) {
      const lb = L[lu + b]!;
      let v = Z[pos[t++]!]! * lb;
      for (let a = b + 1; a < rz; a++) v += 2 * Z[pos[t++]!]! * L[lu + a]!;
      rr += lb * v;
    }
    // l_R' Zbar_RX l_X, two rest rows at a time.
    let rx = 0;
    if (xy) {
      let b = 0;
      for (; b + 1 < rz; b += 2) {
        const g0 = (rows[r0 + b]! - m0) * p1;
        const g1 = (rows[r0 + b + 1]! - m0) * p1;
        let d0 = 0;
        let d1 = 0;
        for (let x = 0; x < p1; x++) {
          const l = L[lx + x]!;
          d0 += restXY[g0 + x]! * l;
          d1 += restXY[g1 + x]! * l;
        }
        rx += L[lu + b]! * d0;
        rx += L[lu + b + 1]! * d1;
      }
      if (b < rz) {
        const g = (rows[r0 + b]! - m0) * p1;
        let d = 0;
        for (let x = 0; x < p1; x++) d += restXY[g + x]! * L[lx + x]!;
        rx += L[lu + b]! * d;
      }
    }
    const l = L[base]!;
    Z[base] = (wZ + rr + 2 * rx + (xy ? leafXX[j]! : 0)) / (l * l);
  }
}

/**
 * The leaves' part of the selected inverse: the same recurrence, with Zbar_UU read where the
 * factorization wrote the leaf's updates (st.leafPos) and, for the X/y rows every leaf shares, as
 * one product for all leaves. With leaf j's rows U = (R_j, X/y), R_j its rest rows,
 *
 *     P_j = Zbar_UU L_UC  =  [Zbar_RR L_R + Zbar_RX L_X]     (r_j × q0, through leafPos and restXY)
 *                            [Zbar_XR L_R + Zbar_XX L_X]     ((p + 1) × q0),
 *
 * where Zbar_XX L_X for all leaves at once is one (p + 1)² × m_0 q_0 product on the leaves' X/y rows
 * gathered into a panel, and Zbar_XR is read from X/y's rows of the rest columns gathered once
 * (restXY: (p + 1) per rest column, contiguous). Then Zbar_UC = -P L_CC^{-1} and
 * Zbar_CC = L_CC^{-T} (wZ I + L_UC' P) L_CC^{-1}.
 */
function inverseLeaves(
  st: BlockedStructure,
  L: Float64Array,
  wZ: number,
  Z: Float64Array,
  work: InverseWork,
): void {
  const { p, rowPtr, valPtr, rows } = st;
  const pos = st.leafPos!;
  const ptr = st.leafPtr!;
  const q0 = st.q[0]!;
  const m0 = st.m[0]!;
  const p1 = p + 1;
  const width = m0 * q0;
  const leafColumns = width;
  const { panel, panelProduct: PX, restXY, gxy: Gxy, Y: P, H } = work;
  gatherRestXY(st, Z, work);
  // The leaves' X/y rows of L as a panel (row x: every leaf column), and PX = Zbar_XX panel.
  for (let j = 0; j < m0; j++) {
    const lx = valPtr[j]! + (rowPtr[j + 1]! - rowPtr[j]! - p1) * q0;
    for (let x = 0; x < p1; x++)
      for (let c = 0; c < q0; c++) panel[x * width + j * q0 + c] = L[lx + x * q0 + c]!;
  }
  PX.fill(0);
  for (let x = 0; x < p1; x++) {
    const out = x * width;
    for (let y = 0; y < p1; y++) {
      const g = Gxy[x * p1 + y]!;
      const src = y * width;
      for (let i = 0; i < width; i++) PX[out + i]! += g * panel[src + i]!;
    }
  }
  for (let j = 0; j < m0; j++) {
    const base = valPtr[j]!;
    const nr = rowPtr[j + 1]! - rowPtr[j]!;
    const u = nr - q0;
    const rz = u - p1;
    const lu = base + q0 * q0; // L_UC rows (u × q0)
    const lx = lu + rz * q0;
    const r0 = rowPtr[j]! + q0;
    let t = ptr[j]!;
    if (q0 === 1) {
      for (let x = 0; x < p1; x++) P[rz + x] = PX[x * width + j]!;
      for (let b = 0; b < rz; b++) P[b] = 0;
      for (let b = 0; b < rz; b++) {
        const lb = L[lu + b]!;
        let pb = Z[pos[t++]!]! * lb;
        for (let a = b + 1; a < rz; a++) {
          const z = Z[pos[t++]!]!;
          P[a]! += z * lb;
          pb += z * L[lu + a]!;
        }
        const g = (rows[r0 + b]! - leafColumns) * p1;
        for (let x = 0; x < p1; x++) {
          const z = restXY[g + x]!;
          P[rz + x]! += z * lb;
          pb += z * L[lx + x]!;
        }
        P[b]! += pb;
      }
      const l = L[base]!;
      let h = wZ;
      for (let a = 0; a < u; a++) {
        h += L[lu + a]! * P[a]!;
        Z[lu + a] = -P[a]! / l;
      }
      Z[base] = h / (l * l);
      continue;
    }
    for (let x = 0; x < p1; x++)
      for (let c = 0; c < q0; c++) P[(rz + x) * q0 + c] = PX[x * width + j * q0 + c]!;
    P.fill(0, 0, rz * q0);
    for (let b = 0; b < rz; b++) {
      for (let a = b; a < rz; a++) {
        const z = Z[pos[t++]!]!;
        for (let c = 0; c < q0; c++) {
          P[a * q0 + c]! += z * L[lu + b * q0 + c]!;
          if (a !== b) P[b * q0 + c]! += z * L[lu + a * q0 + c]!;
        }
      }
      const g = (rows[r0 + b]! - leafColumns) * p1;
      for (let x = 0; x < p1; x++) {
        const z = restXY[g + x]!;
        for (let c = 0; c < q0; c++) {
          P[(rz + x) * q0 + c]! += z * L[lu + b * q0 + c]!;
          P[b * q0 + c]! += z * L[lx + x * q0 + c]!;
        }
      }
    }
    // H = wZ I + L_UC' P; Zbar_UC = -P L_CC^{-1}; Zbar_CC = L_CC^{-T} H L_CC^{-1}.
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
