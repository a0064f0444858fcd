/**
 * The location draw of a block with one grouping factor (every one-factor model's joint step, and a
 * by-factor block without small factors riding in it): the draw of ./drawLocation — the same factor
 * of the Lambda-scaled system, the same normals in the same order, the same floating-point
 * operations in the same order, so the same draws to the bit — without the general blocked factor's
 * storage. With one factor the system is an arrow: m diagonal q × q blocks (the levels, the leaves of
 * src/blocked/symbolic) and the dense X/y corner, so
 *
 *   pass 1, level by level: Omega_j = T'Z_j'Z_j T + I = L_j L_j', the level's X and y rows of L
 *     (R_j = (X_j'Z_j T) L_j^{-T}, c_j = L_j^{-1} T'Z_j'e), their products summed into the X/y corner
 *     (the Schur complement), and the level's part of the draw x_j = c_j + sigma z_j (its normals
 *     drawn now: they are the first m q of the draw's normals, in level order);
 *   the corner: its Cholesky factor, then delta from the corner's back-substitution;
 *   pass 2, level by level: L_j and R_j again from the level's sums (cheaper than storing them: the
 *     sums are read either way), u_j = L_j^{-T} (x_j - R_j' delta), b_j = T u_j, and |u|².
 *
 * An iteration costs O(m q² (q + p)) arithmetic in two passes over the level sums, and keeps one
 * m q array (x) besides the state: no array of L (the general path's m q (q + p + 1) values), no
 * panel of the leaves' X/y rows, no pass over the rows of the data.
 *
 * The kernels mirror src/blocked/numeric's `assemble` (T' B T as `scaleBlock` forms it), src/blocked/
 * kernels' `factorSupernode`, `syrkColumns`' sums (each entry summed over the levels in order) and
 * src/blocked/solve's `backSolve`; test/samplers/drawOneFactor.test.ts checks the draws equal the
 * general path's exactly, for q = 1, 2, 3 and weighted and by-factor blocks.
 */
import type { CrossProducts, ResponseProducts } from "../src/blocked/crossproducts";
import { factorSupernode } from "../src/blocked/kernels";
import { type ExtraTerms, RANK_TOLERANCE } from "../src/blocked/numeric";
import { SUPERNODE_MAX_WIDTH } from "../src/blocked/symbolic";
import type { Random } from "../src/random/generator";
import { fillNormal } from "../src/random/normal";
import type { LocationBlock } from "./types";

/** The one-factor draw's scratch (allocated once per block). */
export interface OneFactorScratch {
  /** x_j = c_j + sigma z_j per level (m q), then u_j (the draw in T's scale). */
  readonly x: Float64Array;
  /** One level's block of L: q own rows, p X rows, y's row (row-major, q wide), for q > 2. */
  readonly leaf: Float64Array;
  /** The X/y corner ((p + 1)², row-major), its sums over the levels, its normals (p). */
  readonly corner: Float64Array;
  readonly acc: Float64Array;
  readonly z: Float64Array;
  /** The fixed-effects part of the draw (p). */
  readonly delta: Float64Array;
  /** T'B T's intermediate (q²) and result (q²), for q > 2. */
  readonly tmp: Float64Array;
  readonly res: Float64Array;
  /**
   * For q <= 2, each level's L_j (lower triangle, row by row) and X rows (column by column), kept by
   * pass 1 for pass 2: m (q (q + 1) / 2 + q p) values (pass 2 recomputes them for q > 2).
   */
  readonly levels: Float64Array;
}

/**
 * Whether a location block can take the one-factor draw: one factor, no other factor given, and X/y
 * in one supernode (p + 1 columns at most the widest supernode).
 */
export function isOneFactorBlock(block: LocationBlock): boolean {
  const st = block.structure;
  return (
    block.factors.length === 1 &&
    st.q.length === 1 &&
    st.supernodes === st.m[0]! + 1 &&
    st.p + 1 <= SUPERNODE_MAX_WIDTH
  );
}

/** Allocates the one-factor draw's scratch for a block (`isOneFactorBlock`). */
export function oneFactorScratch(block: LocationBlock): OneFactorScratch {
  const st = block.structure;
  const q = st.q[0]!;
  const p = st.p;
  return {
    x: new Float64Array(st.m[0]! * q),
    leaf: new Float64Array((q + p + 1) * q),
    corner: new Float64Array((p + 1) * (p + 1)),
    acc: new Float64Array((p + 1) * (p + 1)),
    z: new Float64Array(p),
    delta: new Float64Array(p),
    tmp: new Float64Array(q * q),
    res: new Float64Array(q * q),
    levels: new Float64Array(q <= 2 ? st.m[0]! * ((q * (q + 1)) / 2 + q * p) : 0),
  };
}

/** What the one-factor draw gives back: 0 and r (y's diagonal entry of L), or the failing column + 1. */
export interface OneFactorResult {
  info: number;
  r: number;
  /** sum of the draw's normals squared, and |u|². */
  zz: number;
  uu: number;
}

/**
 * Level j's block of L (q own rows, then p X rows, then y's row — `withY` — q wide, row-major) into
 * `leaf`, factored: Lambda'A Lambda + I assembled as src/blocked/numeric's `assemble` does, then
 * `factorSupernode`. For q > 2 (q = 1 and 2 are written out in `drawOneFactor`).
 */
function leafBlock(
  cp: CrossProducts,
  response: ResponseProducts,
  T: Float64Array,
  l: number,
  q: number,
  p: number,
  withY: boolean,
  s: OneFactorScratch,
): number {
  const { leaf, tmp, res } = s;
  const zz = cp.zz[0]!;
  const zx = cp.zx[0]!;
  const w = q;
  const bo = l * q * q;
  for (let r = 0; r < q; r++)
    for (let c = 0; c < q; c++) {
      let v = 0;
      for (let t = c; t < q; t++) v += zz[bo + r * q + t]! * T[t * q + c]!;
      tmp[r * q + c] = v;
    }
  for (let r = 0; r < q; r++)
    for (let c = 0; c < q; c++) {
      let v = 0;
      for (let t = r; t < q; t++) v += T[t * q + r]! * tmp[t * q + c]!;
      res[r * q + c] = v;
    }
  for (let r = 0; r < q; r++)
    for (let c = 0; c < q; c++) leaf[r * w + c] = c <= r ? res[r * q + c]! + (r === c ? 1 : 0) : 0;
  for (let c = 0; c < q; c++) {
    for (let t = 0; t < p; t++) {
      let v = 0;
      for (let a = c; a < q; a++) v += zx[(l * q + a) * p + t]! * T[a * q + c]!;
      leaf[(q + t) * w + c] = v;
    }
    if (withY) {
      const zy = response.zy[0]!;
      let v = 0;
      for (let a = c; a < q; a++) v += zy[l * q + a]! * T[a * q + c]!;
      leaf[(q + p) * w + c] = v;
    }
  }
  return factorSupernode(leaf, 0, w, q + p + (withY ? 1 : 0));
}

/** What the passes over the levels read and write. */
interface LevelArgs {
  readonly cp: CrossProducts;
  readonly response: ResponseProducts;
  readonly zz: Float64Array;
  readonly zx: Float64Array;
  readonly zy: Float64Array;
  readonly T: Float64Array;
  readonly m: number;
  readonly q: number;
  readonly p: number;
  readonly x: Float64Array;
  readonly kept: Float64Array;
  readonly acc: Float64Array;
  readonly sigma: number;
  readonly out: OneFactorResult;
  readonly s: OneFactorScratch;
  readonly dx: Float64Array;
  readonly b: Float64Array;
}

/** Pass 1 for q = 1: returns sum z² of the levels' normals, or -1 (out.info set). */
function forwardQ1(args: LevelArgs): number {
  const { zz, zx, zy, T, m, p, x, kept, acc, sigma, out } = args;
  const p1 = p + 1;
  let zsum = 0;
  const t0 = T[0]!;
  const stride = 1 + p;
  for (let l = 0; l < m; l++) {
    const d = t0 * t0 * zz[l]! + 1;
    if (!(d > 0)) {
      out.info = l + 1;
      return -1;
    }
    const lj = Math.sqrt(d);
    const inv = 1 / lj;
    const o = l * stride;
    kept[o] = lj;
    for (let u = 0; u < p; u++) kept[o + 1 + u] = zx[l * p + u]! * t0 * inv;
    const yl = zy[l]! * t0 * inv;
    for (let u = 0; u < p; u++) {
      const xu = kept[o + 1 + u]!;
      for (let v = u; v < p; v++) acc[v * p1 + u] = acc[v * p1 + u]! + xu * kept[o + 1 + v]!;
      acc[p * p1 + u] = acc[p * p1 + u]! + xu * yl;
    }
    acc[p * p1 + p] = acc[p * p1 + p]! + yl * yl;
    const z = x[l]!;
    zsum += z * z;
    x[l] = yl + sigma * z;
  }
  return zsum;
}

/** Pass 1 for q = 2 (`factorSupernode`'s width-2 arithmetic written out). */
function forwardQ2(args: LevelArgs): number {
  const { zz, zx, zy, T, m, p, x, kept, acc, sigma, out } = args;
  const p1 = p + 1;
  let zsum = 0;
  const T00 = T[0]!;
  const T10 = T[2]!;
  const T11 = T[3]!;
  const stride = 3 + 2 * p;
  for (let l = 0; l < m; l++) {
    const o = 4 * l;
    const z00 = zz[o]!;
    const z01 = zz[o + 1]!;
    const z10 = zz[o + 2]!;
    const z11 = zz[o + 3]!;
    // T'(Z_j'Z_j) T + I, as scaleBlock sums it.
    const t00 = 0 + z00 * T00 + z01 * T10;
    const t10 = 0 + z10 * T00 + z11 * T10;
    const t11 = 0 + z11 * T11;
    const a00 = 0 + T00 * t00 + T10 * t10 + 1;
    const a10 = 0 + T11 * t10 + 0;
    const a11 = 0 + T11 * t11 + 1;
    // factorSupernode, width 2.
    if (!(a00 > 0)) {
      out.info = 2 * l + 1;
      return -1;
    }
    const l00 = Math.sqrt(a00);
    const l10 = a10 / l00;
    const d11 = a11 - l10 * l10;
    if (!(d11 > 0)) {
      out.info = 2 * l + 2;
      return -1;
    }
    const l11 = Math.sqrt(d11);
    const k = l * stride;
    kept[k] = l00;
    kept[k + 1] = l10;
    kept[k + 2] = l11;
    // X rows and y's row: (T'v)' L_j^{-T}; X's column 0 at k + 3, column 1 at k + 3 + p.
    const r0 = 2 * l;
    for (let u = 0; u < p; u++) {
      const v0 = zx[r0 * p + u]!;
      const v1 = zx[(r0 + 1) * p + u]!;
      const e0 = (0 + v0 * T00 + v1 * T10) / l00;
      kept[k + 3 + u] = e0;
      kept[k + 3 + p + u] = (0 + v1 * T11 - e0 * l10) / l11;
    }
    const y0 = zy[r0]!;
    const y1 = zy[r0 + 1]!;
    const c0 = (0 + y0 * T00 + y1 * T10) / l00;
    const c1 = (0 + y1 * T11 - c0 * l10) / l11;
    for (let u = 0; u < p; u++) {
      const e0 = kept[k + 3 + u]!;
      const e1 = kept[k + 3 + p + u]!;
      for (let v = u; v < p; v++)
        acc[v * p1 + u] = acc[v * p1 + u]! + e0 * kept[k + 3 + v]! + e1 * kept[k + 3 + p + v]!;
      acc[p * p1 + u] = acc[p * p1 + u]! + e0 * c0 + e1 * c1;
    }
    acc[p * p1 + p] = acc[p * p1 + p]! + c0 * c0 + c1 * c1;
    const za = x[r0]!;
    const zb = x[r0 + 1]!;
    zsum += za * za;
    zsum += zb * zb;
    x[r0] = c0 + sigma * za;
    x[r0 + 1] = c1 + sigma * zb;
  }
  return zsum;
}

/** Pass 1 for q > 2, through `leafBlock`. */
function forwardGeneral(args: LevelArgs): number {
  const { cp, response, T, m, q, p, x, acc, sigma, out, s } = args;
  const p1 = p + 1;
  const leaf = s.leaf;
  let zsum = 0;
  for (let l = 0; l < m; l++) {
    const info = leafBlock(cp, response, T, l, q, p, true, s);
    if (info !== 0) {
      out.info = l * q + info;
      return -1;
    }
    for (let u = 0; u <= p; u++)
      for (let v = u; v <= p; v++) {
        let a = acc[v * p1 + u]!;
        for (let c = 0; c < q; c++) a += leaf[(q + u) * q + c]! * leaf[(q + v) * q + c]!;
        acc[v * p1 + u] = a;
      }
    for (let c = 0; c < q; c++) {
      const z = x[l * q + c]!;
      zsum += z * z;
      x[l * q + c] = leaf[(q + p) * q + c]! + sigma * z;
    }
  }
  return zsum;
}

/** Pass 2 for q = 1: returns |u|². */
function backQ1(args: LevelArgs): number {
  const { T, m, p, x, kept, dx, b } = args;
  let uu = 0;
  const t0 = T[0]!;
  const stride = 1 + p;
  for (let l = 0; l < m; l++) {
    const o = l * stride;
    let v = x[l]!;
    for (let t = 0; t < p; t++) v -= kept[o + 1 + t]! * dx[t]!;
    const u = v / kept[o]!;
    uu += u * u;
    b[l] = 0 + t0 * u;
  }
  return uu;
}

/** Pass 2 for q = 2. */
function backQ2(args: LevelArgs): number {
  const { T, m, p, x, kept, dx, b } = args;
  let uu = 0;
  const T00 = T[0]!;
  const T10 = T[2]!;
  const T11 = T[3]!;
  const stride = 3 + 2 * p;
  for (let l = 0; l < m; l++) {
    const k = l * stride;
    const r0 = 2 * l;
    let v1 = x[r0 + 1]!;
    for (let t = 0; t < p; t++) v1 -= kept[k + 3 + p + t]! * dx[t]!;
    const u1 = v1 / kept[k + 2]!;
    let v0 = x[r0]! - kept[k + 1]! * u1;
    for (let t = 0; t < p; t++) v0 -= kept[k + 3 + t]! * dx[t]!;
    const u0 = v0 / kept[k]!;
    uu += u0 * u0;
    uu += u1 * u1;
    b[r0] = 0 + T00 * u0;
    b[r0 + 1] = 0 + T10 * u0 + T11 * u1;
  }
  return uu;
}

/** Pass 2 for q > 2 (L_j again through `leafBlock`). */
function backGeneral(args: LevelArgs): number {
  const { cp, response, T, m, q, p, x, dx, b, s } = args;
  const leaf = s.leaf;
  let uu = 0;
  for (let l = 0; l < m; l++) {
    leafBlock(cp, response, T, l, q, p, false, s);
    const c0 = l * q;
    for (let j = q - 1; j >= 0; j--) {
      let v = x[c0 + j]!;
      for (let i = j + 1; i < q; i++) v -= leaf[i * q + j]! * x[c0 + i]!;
      for (let t = 0; t < p; t++) v -= leaf[(q + t) * q + j]! * dx[t]!;
      x[c0 + j] = v / leaf[j * q + j]!;
    }
    for (let a = 0; a < q; a++) {
      const ua = x[c0 + a]!;
      uu += ua * ua;
      let v = 0;
      for (let t = 0; t <= a; t++) v += T[a * q + t]! * x[c0 + t]!;
      b[c0 + a] = v;
    }
  }
  return uu;
}

/**
 * The one-factor location draw (see the file comment): writes b (the factor's m q values, level-major)
 * and delta, and returns y's diagonal entry r of L, sum z² and |u|² for the residual sum of squares.
 *
 * @param block - the location block (`isOneFactorBlock`)
 * @param response - the block's response cross-products (Z'e, X'e, e'e)
 * @param T - chol(Psi) / sigma (q × q lower, row-major, zero above)
 * @param extra - sigma2 Sigma_beta^{-1} and the prior-mean terms, added to the X/y corner
 * @param sigma - the residual standard deviation
 * @param rng - the chain's generator (m q + p normals, in column order)
 * @param b - out: the factor's random effects
 * @param delta - out: beta - beta0
 * @param s - scratch (`oneFactorScratch(block)`)
 * @param out - out: info (0, or 1 + the column whose pivot failed), r, zz, uu
 */
export function drawOneFactor(
  block: LocationBlock,
  response: ResponseProducts,
  T: Float64Array,
  extra: ExtraTerms,
  sigma: number,
  rng: Random,
  b: Float64Array,
  delta: Float64Array,
  s: OneFactorScratch,
  out: OneFactorResult,
): void {
  const st = block.structure;
  const cp = block.crossProducts;
  const q = st.q[0]!;
  const m = st.m[0]!;
  const p = st.p;
  const p1 = p + 1;
  const xStart = st.xStart;

  const { x, acc, corner } = s;
  acc.fill(0);
  out.info = 0;
  // The draw's normals of the levels' columns come first (nothing else draws before the corner's).
  fillNormal(rng, m * q, x, 1, 0);
  const args: LevelArgs = {
    cp,
    response,
    zz: cp.zz[0]!,
    zx: cp.zx[0]!,
    zy: response.zy[0]!,
    T,
    m,
    q,
    p,
    x,
    kept: s.levels,
    acc,
    sigma,
    out,
    s,
    dx: s.delta,
    b,
  };
  // Pass 1: each level's block of L (kept for pass 2), its X/y rows' products into acc, and
  // x_j = c_j + sigma z_j.
  let zsum = q === 1 ? forwardQ1(args) : q === 2 ? forwardQ2(args) : forwardGeneral(args);
  if (zsum < 0) return;

  // The X/y corner: X'X + extra less the levels' products, factored; X's pivots checked for rank.
  for (let u = 0; u <= p; u++)
    for (let v = 0; v <= p; v++) {
      let value = 0;
      if (v >= u) {
        if (u < p && v < p) value = cp.xx[v * p + u]! + extra.xx[v * p + u]!;
        else if (u < p) value = response.xy[u]! + extra.xy[u]!;
        else value = response.yy + extra.yy;
        value -= acc[v * p1 + u]!;
      }
      corner[v * p1 + u] = value;
    }
  const info = factorSupernode(corner, 0, p1, p1);
  if (info !== 0) {
    out.info = xStart + info;
    return;
  }
  for (let t = 0; t < p; t++) {
    const original = cp.xx[t * p + t]! + extra.xx[t * p + t]!;
    const pivot = corner[t * p1 + t]!;
    if (!(pivot * pivot > RANK_TOLERANCE * original)) {
      out.info = xStart + t + 1;
      return;
    }
  }
  // delta: the corner's back-substitution of (its y row + sigma z).
  const dx = s.delta;
  fillNormal(rng, p, s.z, 1, 0);
  for (let t = 0; t < p; t++) {
    const z = s.z[t]!;
    zsum += z * z;
    dx[t] = corner[p * p1 + t]! + sigma * z;
  }
  for (let j = p - 1; j >= 0; j--) {
    let v = dx[j]!;
    for (let i = j + 1; i < p; i++) v -= corner[i * p1 + j]! * dx[i]!;
    dx[j] = v / corner[j * p1 + j]!;
  }
  delta.set(dx);

  // Pass 2: u_j = L_j^{-T}(x_j - R_j' delta) (backSolve's order: a column's own rows below it
  // first, then the X rows), b_j = T u_j.
  const uu = q === 1 ? backQ1(args) : q === 2 ? backQ2(args) : backGeneral(args);
  out.r = corner[p * p1 + p]!;
  out.zz = zsum;
  out.uu = uu;
}
