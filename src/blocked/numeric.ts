/**
 * The numeric blocked Cholesky factor of the Lambda-scaled system (./symbolic for its structure):
 *
 *     Omega = Lambda' A Lambda + D = L L',   Lambda = blockdiag(T_k per level of block k, I on X and y),
 *     D = I on the random-effects columns, plus `extra` on the X and y rows (else 0),
 *
 * with A = [Z X y]'[Z X y] from ./crossproducts. REML passes T_k = T_k(theta) and no extra (lme4's
 * L(theta)); the Gibbs sampler passes T_k = chol(Psi_k) / sigma and extra = sigma2 Sigma_beta^{-1}
 * (and the matching prior-mean terms), so that Omega / sigma2 is the precision of (u, beta) given
 * Psi and sigma2 and the draw is a back-substitution with L (./solve).
 *
 * The factorization is left-looking and supernodal (Ng & Peyton 1993; CHOLMOD's scheme): supernodes
 * are taken in order; each first receives the updates of every earlier supernode whose rows meet its
 * columns (found through linked lists keyed by each descendant's next row), then is factored densely
 * (./kernels). The leaves (levels of block 0) come first and receive nothing.
 *
 * y's row of L holds L^{-1} times the right-hand side, and its last diagonal entry r is the square root
 * of the penalized residual sum of squares: the profiled criteria and the draws read them from there.
 *
 * @see Ng & Peyton (1993) doi:10.1137/0914063; Chen, Davis, Hager & Rajamanickam (2008) CHOLMOD,
 *   ACM TOMS 35(3), doi:10.1145/1391989.1391995; Bates et al. (2015) lme4, JSS 67(1), §3,
 *   doi:10.18637/jss.v067.i01.
 */
import type { CrossProducts, ResponseProducts } from "./crossproducts";
import { factorSupernode, updateFromDescendant } from "./kernels";
import type { BlockedStructure } from "./symbolic";
import { type WasmKernels, wasmBuffer, wasmKernels } from "./wasm/instance";

/** A pivot of X's columns below this fraction of X'X's diagonal entry means X is rank deficient. */
export const RANK_TOLERANCE = 1e-12;

/** Additions to the X and y rows of Omega (the sampler's prior on beta). */
export interface ExtraTerms {
  /** p × p, added to X'X (both triangles given). */
  readonly xx: Float64Array;
  /** p, added to X'y. */
  readonly xy: Float64Array;
  /** Added to y'y. */
  readonly yy: number;
}

/** Scratch of a factorization; allocated once per structure. */
export interface FactorWork {
  readonly map: Int32Array;
  readonly head: Int32Array;
  readonly link: Int32Array;
  readonly next: Int32Array;
  readonly rel: Int32Array;
  readonly col: Int32Array;
  /** Small dense scratch for the scaling (2 q_max² + q_max p). */
  readonly small: Float64Array;
  /** The leaves' X/y rows gathered column by column ((p + 1) × m_0 q_0), when the leaves have a table. */
  readonly xyPanel: Float64Array;
  /** Their cross-product ((p + 1)², lower triangle). */
  readonly xyAcc: Float64Array;
  /** The WebAssembly SIMD kernels for wide descendants, or null (JavaScript only). */
  readonly wasm: WasmKernels | null;
  /** The descendants of the current target. */
  readonly pending: Int32Array;
}

/** Descendants at least this wide, with at least this many multiply-adds, update through WebAssembly (bench/kernels.bench.ts). */
export const WASM_MIN_WIDTH = 16;
export const WASM_MIN_WORK = 20_000;

/**
 * Allocates the scratch of `factorize` for a structure.
 *
 * @param st - the structure
 * @param options - `wasm: false` keeps every kernel in JavaScript (default: WebAssembly SIMD for
 *   wide descendants where the engine has it)
 */
export function factorWork(st: BlockedStructure, options: { readonly wasm?: boolean } = {}): FactorWork {
  const wide = st.maxWidth >= WASM_MIN_WIDTH;
  const qMax = Math.max(1, ...st.q);
  return {
    map: new Int32Array(st.N),
    head: new Int32Array(st.supernodes),
    link: new Int32Array(st.supernodes),
    next: new Int32Array(st.supernodes),
    rel: new Int32Array(st.maxRows),
    col: new Int32Array(st.maxRows),
    small: new Float64Array(2 * qMax * qMax + qMax * Math.max(1, st.p)),
    xyPanel: new Float64Array(st.leafPos === null ? 0 : (st.p + 1) * st.m[0]! * st.q[0]!),
    xyAcc: new Float64Array((st.p + 1) * (st.p + 1)),
    wasm: options.wasm === false || !wide ? null : wasmKernels(),
    pending: new Int32Array(st.supernodes),
  };
}

/** The local width and row count of supernode s. */
function dims(st: BlockedStructure, s: number): { w: number; nr: number } {
  return { w: st.colStart[s + 1]! - st.colStart[s]!, nr: st.rowPtr[s + 1]! - st.rowPtr[s]! };
}

/**
 * Where column c's entry in row `row` is stored, for rows of the column's own supernode that are
 * its own columns or X/y rows (`xyRow` = index among the last p + 1 rows), as value offsets.
 */
function diagonalOffset(
  st: BlockedStructure,
  c: number,
): { base: number; w: number; local: number; nr: number } {
  const s = st.colSuper[c]!;
  const { w, nr } = dims(st, s);
  return { base: st.valPtr[s]!, w, local: c - st.colStart[s]!, nr };
}

/**
 * out (rows qr × cols qc, row-major, at `out`) = Tr' B Tc, B given row-major (qr × qc) or, with
 * `transposed`, as its transpose (B' stored qc × qr). T's are lower triangular row-major.
 */
function scaleBlock(
  B: Float64Array,
  bo: number,
  transposed: boolean,
  qr: number,
  qc: number,
  Tr: Float64Array,
  Tc: Float64Array,
  tmp: Float64Array,
  out: Float64Array,
): void {
  // tmp = B Tc (qr × qc), out = Tr' tmp.
  for (let r = 0; r < qr; r++)
    for (let c = 0; c < qc; c++) {
      let s = 0;
      for (let t = c; t < qc; t++)
        s += (transposed ? B[bo + t * qr + r]! : B[bo + r * qc + t]!) * Tc[t * qc + c]!;
      tmp[r * qc + c] = s;
    }
  for (let r = 0; r < qr; r++)
    for (let c = 0; c < qc; c++) {
      let s = 0;
      for (let t = r; t < qr; t++) s += Tr[t * qr + r]! * tmp[t * qc + c]!;
      out[r * qc + c] = s;
    }
}

/**
 * Computes L in place: assembles Lambda' A Lambda + D into the structure, then factors it.
 *
 * @param st - the structure (./symbolic)
 * @param cp - the cross-products (Z'Z, Z'X, X'X parts)
 * @param response - the y parts (Z'y, X'y, y'y): cp itself, or another response's
 * @param T - per block, its T_k (row-major lower-triangular q_k × q_k)
 * @param extra - additions to the X/y rows, or null
 * @param L - values (length st.size), overwritten
 * @param work - scratch
 * @returns 0, or 1 + the first column whose pivot was not positive (Omega not positive definite)
 * @example
 * const L = new Float64Array(st.size);
 * factorize(st, cp, cp, [new Float64Array([1])], null, L, factorWork(st)); // 0: L(theta = 1)
 */
export function factorize(
  st: BlockedStructure,
  cp: CrossProducts,
  response: ResponseProducts,
  T: readonly Float64Array[],
  extra: ExtraTerms | null,
  L: Float64Array,
  work: FactorWork,
): number {
  assemble(st, cp, response, T, extra, L, work.small);
  const { colStart, rowPtr, rows, valPtr, colSuper } = st;
  const S = st.supernodes;
  const { map, head, link, next } = work;
  head.fill(-1);
  let first = 0;
  if (st.leafPos !== null) {
    const info = factorLeaves(st, L, work.xyPanel, work.xyAcc);
    if (info !== 0) return info;
    first = st.m[0]!;
  }
  for (let s = first; s < S; s++) {
    const c0 = colStart[s]!;
    const c1 = colStart[s + 1]!;
    const w = c1 - c0;
    const r0 = rowPtr[s]!;
    const nr = rowPtr[s + 1]! - r0;
    const base = valPtr[s]!;
    let d = head[s]!;
    head[s] = -1;
    if (d >= 0) {
      for (let i = 0; i < nr; i++) map[rows[r0 + i]!] = i;
      let count = 0;
      while (d >= 0) {
        work.pending[count++] = d;
        d = link[d]!;
      }
      updateTarget(st, L, work, s, count);
    }
    const info = factorSupernode(L, base, w, nr);
    if (info !== 0) return c0 + info;
    // X's pivots: relative to X'X's diagonal, a pivot at rounding level is a rank-deficient X.
    for (let j = 0; j < w; j++) {
      const c = c0 + j;
      if (c < st.xStart || c >= st.N - 1) continue;
      const t = c - st.xStart;
      const original = cp.xx[t * st.p + t]! + (extra === null ? 0 : extra.xx[t * st.p + t]!);
      const pivot = L[base + j * w + j]!;
      if (!(pivot * pivot > RANK_TOLERANCE * original)) return c + 1;
    }
    if (nr > w) {
      next[s] = w;
      const t = colSuper[rows[r0 + w]!]!;
      link[s] = head[t]!;
      head[t] = s;
    }
  }
  return 0;
}

/**
 * Applies the updates of the `count` descendants in work.pending to supernode s (whose rows are in
 * work.map), then links each descendant to the supernode of its next row. Wide descendants go through
 * the WebAssembly kernel on a copy of the target in its memory, the others through ./kernels.
 */
function updateTarget(
  st: BlockedStructure,
  L: Float64Array,
  work: FactorWork,
  s: number,
  count: number,
): void {
  const { colStart, rowPtr, rows, valPtr, colSuper } = st;
  const { map, head, link, next, rel, col, pending, wasm } = work;
  const c0 = colStart[s]!;
  const c1 = colStart[s + 1]!;
  const w = c1 - c0;
  const nr = rowPtr[s + 1]! - rowPtr[s]!;
  const base = valPtr[s]!;
  let memory: Float64Array | null = null;
  let ints: Int32Array | null = null;
  for (let pass = 0; pass < 2; pass++) {
    for (let t = 0; t < count; t++) {
      const d = pending[t]!;
      const dr0 = rowPtr[d]!;
      const dnr = rowPtr[d + 1]! - dr0;
      const wd = colStart[d + 1]! - colStart[d]!;
      const i1 = next[d]!;
      let i2 = i1;
      while (i2 < dnr && rows[dr0 + i2]! < c1) i2++;
      const useWasm = wasm !== null && wd >= WASM_MIN_WIDTH && (i2 - i1) * (dnr - i1) * wd >= WASM_MIN_WORK;
      if (useWasm !== (pass === 1)) continue;
      for (let a = i1; a < dnr; a++) rel[a - i1] = map[rows[dr0 + a]!]!;
      for (let b = i1; b < i2; b++) col[b - i1] = rows[dr0 + b]! - c0;
      if (!useWasm) {
        updateFromDescendant(L, valPtr[d]!, wd, i1, i2, dnr, base, w, rel, col);
        continue;
      }
      // WebAssembly: [target block][descendant rows i1..dnr][rel][col], in doubles then int32s.
      const kernels = wasm!;
      const targetSize = nr * w;
      const rowsSize = (dnr - i1) * wd;
      const bytes = 8 * (targetSize + rowsSize) + 8 * dnr;
      if (memory === null || memory.buffer.byteLength < bytes) {
        const buffer = wasmBuffer(kernels, bytes);
        const keep = memory;
        memory = new Float64Array(buffer);
        if (keep === null) memory.set(L.subarray(base, base + targetSize));
      }
      memory.set(L.subarray(valPtr[d]! + i1 * wd, valPtr[d]! + dnr * wd), targetSize);
      const intsAt = 8 * (targetSize + rowsSize);
      ints = new Int32Array(memory.buffer, intsAt, 2 * (dnr - i1));
      ints.set(rel.subarray(0, dnr - i1), 0);
      ints.set(col.subarray(0, i2 - i1), dnr - i1);
      kernels.update(8 * targetSize - 8 * i1 * wd, wd, i1, i2, dnr, 0, w, intsAt, intsAt + 4 * (dnr - i1));
    }
  }
  if (memory !== null) L.set(memory.subarray(0, nr * w), base);
  for (let t = 0; t < count; t++) {
    const d = pending[t]!;
    const dr0 = rowPtr[d]!;
    const dnr = rowPtr[d + 1]! - dr0;
    let i2 = next[d]!;
    while (i2 < dnr && rows[dr0 + i2]! < c1) i2++;
    next[d] = i2;
    if (i2 < dnr) {
      const target = colSuper[rows[dr0 + i2]!]!;
      link[d] = head[target]!;
      head[target] = d;
    }
  }
}

/**
 * The leaves' part of the factorization, with their update positions listed (st.leafPos): each leaf's
 * diagonal block and rows, then its update L_j L_j' subtracted from the rest's entries directly.
 * Equivalent to the left-looking path (every leaf precedes every rest supernode), without its lists.
 */
function factorLeaves(st: BlockedStructure, L: Float64Array, panel: Float64Array, acc: Float64Array): number {
  const { p, rowPtr, valPtr, leafRowPtr, leafRowXY, leafRowStride, xyPos } = st;
  const pos = st.leafPos!;
  const ptr = st.leafPtr!;
  const q0 = st.q[0]!;
  const m0 = st.m[0]!;
  const p1 = p + 1;
  const width = m0 * q0;
  for (let j = 0; j < m0; j++) {
    const base = valPtr[j]!;
    const nr = rowPtr[j + 1]! - rowPtr[j]!;
    const info = factorSupernode(L, base, q0, nr);
    if (info !== 0) return j * q0 + info;
    const rz = nr - q0 - p1;
    const z0 = base + q0 * q0; // first random-effects row
    const x0 = base + (nr - p1) * q0; // first X/y row
    const lr = leafRowPtr[j]!;
    let t = ptr[j]!;
    if (q0 === 1) {
      for (let b = 0; b < rz; b++) {
        const lb = L[z0 + b]!;
        for (let a = b; a < rz; a++) L[pos[t++]!]! -= L[z0 + a]! * lb;
        const at = leafRowXY[lr + b]!;
        const stride = leafRowStride[lr + b]!;
        for (let u = 0; u < p1; u++) L[at + u * stride]! -= L[x0 + u]! * lb;
      }
      for (let u = 0; u < p1; u++) panel[u * width + j] = L[x0 + u]!;
      continue;
    }
    for (let b = 0; b < rz; b++) {
      const rb = z0 + b * q0;
      for (let a = b; a < rz; a++) {
        const ra = z0 + a * q0;
        let s = 0;
        for (let c = 0; c < q0; c++) s += L[ra + c]! * L[rb + c]!;
        L[pos[t++]!]! -= s;
      }
      const at = leafRowXY[lr + b]!;
      const stride = leafRowStride[lr + b]!;
      for (let u = 0; u < p1; u++) {
        const ra = x0 + u * q0;
        let s = 0;
        for (let c = 0; c < q0; c++) s += L[ra + c]! * L[rb + c]!;
        L[at + u * stride]! -= s;
      }
    }
    for (let u = 0; u < p1; u++)
      for (let c = 0; c < q0; c++) panel[u * width + j * q0 + c] = L[x0 + u * q0 + c]!;
  }
  // The X/y block's update from all leaves at once: panel' panel, contiguous dot products.
  syrkColumns(panel, width, p1, acc);
  for (let u = 0; u < p1; u++) for (let v = u; v < p1; v++) L[xyPos[v * p1 + u]!]! -= acc[v * p1 + u]!;
  return 0;
}

/**
 * acc[v * k + u] = x_u · x_v (v ≥ u) for the k rows x_u of `panel` (each `len` long), 2 × 4 then
 * 2 × 2 blocked (each entry one sum in row order, whatever the blocking).
 */
function syrkColumns(panel: Float64Array, len: number, k: number, acc: Float64Array): void {
  let u = 0;
  for (; u + 1 < k; u += 2) {
    const a0 = u * len;
    const a1 = a0 + len;
    let v = u;
    for (; v + 3 < k; v += 4) {
      const b0 = v * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let i = 0; i < len; i++) {
        const x0 = panel[a0 + i]!;
        const x1 = panel[a1 + i]!;
        const y0 = panel[b0 + i]!;
        const y1 = panel[b1 + i]!;
        const y2 = panel[b2 + i]!;
        const y3 = panel[b3 + i]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      acc[v * k + u] = s00;
      acc[(v + 1) * k + u] = s01;
      acc[(v + 2) * k + u] = s02;
      acc[(v + 3) * k + u] = s03;
      acc[v * k + u + 1] = s10;
      acc[(v + 1) * k + u + 1] = s11;
      acc[(v + 2) * k + u + 1] = s12;
      acc[(v + 3) * k + u + 1] = s13;
    }
    for (; v + 1 < k; v += 2) {
      const b0 = v * len;
      const b1 = b0 + len;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let i = 0; i < len; i++) {
        const x0 = panel[a0 + i]!;
        const x1 = panel[a1 + i]!;
        const y0 = panel[b0 + i]!;
        const y1 = panel[b1 + i]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      acc[v * k + u] = s00;
      acc[(v + 1) * k + u] = s01;
      acc[v * k + u + 1] = s10;
      acc[(v + 1) * k + u + 1] = s11;
    }
    if (v < k) {
      const b0 = v * len;
      let s0 = 0;
      let s1 = 0;
      for (let i = 0; i < len; i++) {
        const y = panel[b0 + i]!;
        s0 += panel[a0 + i]! * y;
        s1 += panel[a1 + i]! * y;
      }
      acc[v * k + u] = s0;
      acc[v * k + u + 1] = s1;
    }
  }
  if (u < k) {
    const a0 = u * len;
    let s = 0;
    for (let i = 0; i < len; i++) s += panel[a0 + i]! * panel[a0 + i]!;
    acc[u * k + u] = s;
  }
}

/** Lambda' A Lambda + D into the structure (everything else zero). */
function assemble(
  st: BlockedStructure,
  cp: CrossProducts,
  response: ResponseProducts,
  T: readonly Float64Array[],
  extra: ExtraTerms | null,
  L: Float64Array,
  small: Float64Array,
): void {
  L.fill(0);
  const { p, q, m, levelColumn, N, xStart, colSuper, colStart, rowPtr, valPtr } = st;
  const K = q.length;
  const qMax = Math.max(...q);
  const tmp = small.subarray(0, qMax * qMax);
  const res = small.subarray(qMax * qMax, 2 * qMax * qMax);
  for (let k = 0; k < K; k++) {
    const qk = q[k]!;
    const Tk = T[k]!;
    const zz = cp.zz[k]!;
    const zx = cp.zx[k]!;
    const zy = response.zy[k]!;
    const cols = levelColumn[k]!;
    const t0 = Tk[0]!;
    for (let l = 0; l < m[k]!; l++) {
      const c = cols[l]!;
      const sc = colSuper[c]!;
      const base = valPtr[sc]!;
      const w = colStart[sc + 1]! - colStart[sc]!;
      const local = c - colStart[sc]!;
      const nr = rowPtr[sc + 1]! - rowPtr[sc]!;
      const xRow = nr - p - 1;
      if (qk === 1) {
        L[base + local * w + local] = t0 * t0 * zz[l]! + 1;
        for (let t = 0; t < p; t++) L[base + (xRow + t) * w + local] = zx[l * p + t]! * t0;
        L[base + (nr - 1) * w + local] = zy[l]! * t0;
        continue;
      }
      scaleBlock(zz, l * qk * qk, false, qk, qk, Tk, Tk, tmp, res);
      for (let r = 0; r < qk; r++)
        for (let s = 0; s <= r; s++)
          L[base + (local + r) * w + local + s] = res[r * qk + s]! + (r === s ? 1 : 0);
      for (let s = 0; s < qk; s++) {
        for (let t = 0; t < p; t++) {
          let v = 0;
          for (let a = s; a < qk; a++) v += zx[(l * qk + a) * p + t]! * Tk[a * qk + s]!;
          L[base + (xRow + t) * w + local + s] = v;
        }
        let v = 0;
        for (let a = s; a < qk; a++) v += zy[l * qk + a]! * Tk[a * qk + s]!;
        L[base + (nr - 1) * w + local + s] = v;
      }
    }
  }
  // Couplings between blocks.
  cp.pairs.forEach((pair, e) => {
    const pos = st.pairPos[e]!;
    const flip = st.pairFlip[e]!;
    const qa = q[pair.a]!;
    const qb = q[pair.b]!;
    const Ta = T[pair.a]!;
    const Tb = T[pair.b]!;
    const val = pair.val;
    if (qa === 1 && qb === 1) {
      const s = Ta[0]! * Tb[0]!;
      for (let t = 0; t < pos.length; t++) L[pos[t]!] = val[t]! * s;
      return;
    }
    for (let i = 0; i < m[pair.a]!; i++)
      for (let t = pair.ptr[i]!; t < pair.ptr[i + 1]!; t++) {
        const at = pos[t]!;
        const c = Math.min(levelColumn[pair.a]![i]!, levelColumn[pair.b]![pair.idx[t]!]!);
        const w = colStart[colSuper[c]! + 1]! - colStart[colSuper[c]!]!;
        // flipped: L's rows are b's components, its columns a's: Tb' (Z_a'Z_b)' Ta.
        const qr = flip[t] === 1 ? qb : qa;
        const qc = flip[t] === 1 ? qa : qb;
        if (flip[t] === 1) scaleBlock(val, t * qa * qb, true, qb, qa, Tb, Ta, tmp, res);
        else scaleBlock(val, t * qa * qb, false, qa, qb, Ta, Tb, tmp, res);
        for (let r = 0; r < qr; r++) for (let s = 0; s < qc; s++) L[at + r * w + s] = res[r * qc + s]!;
      }
  });
  // X and y.
  for (let r = 0; r <= p; r++) {
    const c = xStart + r;
    const sc = colSuper[c]!;
    const base = valPtr[sc]!;
    const w = colStart[sc + 1]! - colStart[sc]!;
    const local = c - colStart[sc]!;
    for (let s = r; s <= p; s++) {
      // Row xStart + s of column c: local row s - r + local (X/y supernodes hold every later column).
      let v: number;
      if (r < p && s < p) v = cp.xx[s * p + r]! + (extra === null ? 0 : extra.xx[s * p + r]!);
      else if (r < p) v = response.xy[r]! + (extra === null ? 0 : extra.xy[r]!);
      else v = response.yy + (extra === null ? 0 : extra.yy);
      L[base + (local + s - r) * w + local] = v;
    }
  }
  void N;
}

/** The diagonal entry L[c, c]. */
export function diagonal(st: BlockedStructure, L: Float64Array, c: number): number {
  const { base, w, local } = diagonalOffset(st, c);
  return L[base + local * w + local]!;
}

/** log det of Omega's random-effects part, of X's part (R_X), and r² (y's diagonal squared). */
export interface FactorDeterminants {
  /** log det(Lambda'Z'Z Lambda + I) = 2 sum log L[c,c] over the random-effects columns. */
  readonly logdetZ: number;
  /** 2 sum log L[c,c] over X's columns. */
  readonly logdetX: number;
  /** L[y,y]²: the penalized residual sum of squares. */
  readonly prss: number;
}

/**
 * Reads the log-determinants and the PRSS off the factor's diagonal.
 *
 * @example determinants(st, L).prss // r²
 */
export function determinants(st: BlockedStructure, L: Float64Array): FactorDeterminants {
  let logdetZ = 0;
  let logdetX = 0;
  for (let s = 0; s < st.supernodes; s++) {
    const c0 = st.colStart[s]!;
    const w = st.colStart[s + 1]! - c0;
    const base = st.valPtr[s]!;
    for (let j = 0; j < w; j++) {
      const c = c0 + j;
      if (c === st.N - 1) continue;
      const v = Math.log(L[base + j * w + j]!);
      if (c < st.xStart) logdetZ += v;
      else logdetX += v;
    }
  }
  const r = diagonal(st, L, st.N - 1);
  return { logdetZ: 2 * logdetZ, logdetX: 2 * logdetX, prss: r * r };
}
