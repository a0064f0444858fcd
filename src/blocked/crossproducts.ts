/**
 * The cross-products of a mixed model's design, A = [Z_0 ... Z_{K-1} X y]' W [Z_0 ... Z_{K-1} X y],
 * in blocks (MixedModels.jl's `A`; lme4's Z'Z, Z'X, X'X, Z'y, X'y, y'y), summed once and never
 * again over rows. Everything downstream (REML's criterion, the sampler's location draw) reads these
 * sums and nothing else, so the rows can come from anywhere that can give per-level or per-cell sums:
 *
 * - `crossProductsFromRows(blocks, X, p, y, weights)`: one pass over the rows, each row contributing
 *   w_i v_i v_i' with v_i = (z_i of each block at its level, x_i, y_i) (W = diag(weights) or I);
 * - `crossProductsFromCells(...)`: precomputed sums over cells (rows sharing one level of every
 *   block, e.g. `SUM(x * y) GROUP BY user, movie`), each cell contributing its d × d sum.
 *
 * A random-effects block k has m_k levels with q_k columns each; a row touches exactly one level of
 * each block, so Z_k'Z_k is block diagonal over levels (`zz`), and two blocks k < l are coupled only at
 * the level pairs some row shares (`pairs`, compressed by level of k). Blocks are whatever the caller
 * groups the columns into: REML passes lme4's terms, the sampler its grouping factors.
 */
import { ArgumentError } from "../errors";
import { sortRange } from "./sort";

/** One random-effects block: the columns of a term (or grouping factor) and the level of each row. */
export interface RandomBlock {
  /** Columns per level. */
  readonly q: number;
  /** Levels. */
  readonly m: number;
  /** Level (0-based) of each row. */
  readonly refs: Int32Array;
  /** n × q row-major: the block's column values in each row. */
  readonly values: Float64Array;
}

/** Z_a'Z_b for two blocks a < b, at the level pairs some row shares. */
export interface BlockPair {
  readonly a: number;
  readonly b: number;
  /** By level of a (length m_a + 1): the entries of level i are ptr[i]..ptr[i+1]. */
  readonly ptr: Int32Array;
  /** Level of b of each entry, ascending within a level of a. */
  readonly idx: Int32Array;
  /** q_a × q_b values per entry (row-major): Z_a[, level i]' W Z_b[, level idx[e]]. */
  readonly val: Float64Array;
}

/** The blocked cross-products. Plain data (structured-cloneable); read-only once built. */
export interface CrossProducts {
  /** Number of observations (rows) the sums are over. */
  readonly n: number;
  /** Fixed-effect columns. */
  readonly p: number;
  /** q_k and m_k of each block. */
  readonly q: readonly number[];
  readonly m: readonly number[];
  /** Per block: Z_k'WZ_k's level blocks, m_k row-major q_k × q_k. */
  readonly zz: readonly Float64Array[];
  /** Every pair of blocks a < b (in order (0,1), (0,2), ..., (1,2), ...). */
  readonly pairs: readonly BlockPair[];
  /** Per block: Z_k'WX by level, m_k row-major q_k × p. */
  readonly zx: readonly Float64Array[];
  /** Per block: Z_k'Wy by level, m_k × q_k. */
  readonly zy: readonly Float64Array[];
  /** X'WX (p × p, both triangles), X'Wy (p), y'Wy. */
  readonly xx: Float64Array;
  readonly xy: Float64Array;
  readonly yy: number;
}

/** The parts of `CrossProducts` that depend on y: what changes when only the response does. */
export interface ResponseProducts {
  /** Per block: Z_k'Wy by level (m_k q_k). */
  readonly zy: readonly Float64Array[];
  readonly xy: Float64Array;
  readonly yy: number;
}

/**
 * Precomputed sums over cells: the rows of a cell share one level of every block, and the cell
 * carries sum_i w_i v_i v_i' over its rows, v = (z_0 (q_0 values), ..., z_{K-1}, x (p), y): d × d
 * with d = sum_k q_k + p + 1, stored as its lower triangle row by row (d (d + 1) / 2 numbers).
 */
export interface CellSums {
  /** Number of observations behind the sums (the model's n). */
  readonly n: number;
  readonly p: number;
  /** q_k and m_k of each block. */
  readonly q: readonly number[];
  readonly m: readonly number[];
  /** Number of cells. */
  readonly count: number;
  /** Per block, the level of each cell (length `count`). */
  readonly levels: readonly Int32Array[];
  /** count × d (d + 1) / 2: each cell's packed lower triangle. */
  readonly sums: Float64Array;
}

/** The packed index of (r, c), r ≥ c, in a lower triangle stored row by row. */
function packed(r: number, c: number): number {
  return (r * (r + 1)) / 2 + c;
}

/** The rows behind `crossProductsFromRows`, for `build` to sum directly (yy is its output). */
interface RowProducts {
  readonly n: number;
  readonly p: number;
  readonly blocks: readonly RandomBlock[];
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly weights: Float64Array | null;
  yy: number;
}

/**
 * Adds each row's products into the blocks, without the packed d × d buffer of a cell: row i's
 * [z x y] in v, w·v in wv, and every entry gets wv[a] · v[b] (a the later of the two positions),
 * the same products, summed in the same order, as `build` forms from a cell's packed sum.
 *
 * Only the row's nonzero X columns are visited (treatment contrasts make most of them 0): with
 * finite values a product with 0 is ±0, and adding ±0 to a sum that started at +0 leaves it
 * unchanged, so the sums are bit-identical to visiting every column. A row holding a value that
 * is not finite (or whose w·v overflows) visits every column, so its NaN or infinity reaches the
 * sums as before.
 */
function sumRows(
  rows: RowProducts,
  q: readonly number[],
  offset: readonly number[],
  xo: number,
  yo: number,
  zz: Float64Array[],
  zx: Float64Array[],
  zy: Float64Array[],
  pairs: BlockPair[],
  entryOf: Int32Array[],
  xx: Float64Array,
  xy: Float64Array,
): void {
  const { n, p, blocks, X, y, weights } = rows;
  const K = q.length;
  const d = yo + 1;
  const v = new Float64Array(d);
  // Without weights w = 1 and w·v = v exactly: share the buffer.
  const wv = weights === null ? v : new Float64Array(d);
  const refs = blocks.map((b) => b.refs);
  const values = blocks.map((b) => b.values);
  const pairA: number[] = [];
  const pairB: number[] = [];
  for (let a = 0; a < K; a++)
    for (let b = a + 1; b < K; b++) {
      pairA.push(a);
      pairB.push(b);
    }
  const pairVal = pairs.map((pr) => pr.val);
  const nPairs = pairs.length;
  const nz = new Int32Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    let e = 0;
    let check = 0;
    for (let k = 0; k < K; k++) {
      const vals = values[k]!;
      const qk = q[k]!;
      for (let r = 0; r < qk; r++) {
        const z = vals[i * qk + r]!;
        v[e++] = z;
        check += z;
      }
    }
    let nx = 0;
    const xRow = i * p;
    for (let t = 0; t < p; t++) {
      const x = X[xRow + t]!;
      v[e++] = x;
      check += x;
      if (x !== 0) nz[nx++] = t;
    }
    v[e] = y[i]!;
    check += v[e]!;
    if (weights !== null) {
      const w = weights[i]!;
      for (let r = 0; r < d; r++) {
        wv[r] = w * v[r]!;
        check += wv[r]!;
      }
    }
    if (check - check !== 0) {
      // A NaN or infinity in the row (or in w·v): every column, as the dense sums would.
      nx = p;
      for (let t = 0; t < p; t++) nz[t] = t;
    }
    const wy = wv[yo]!;
    for (let k = 0; k < K; k++) {
      const qk = q[k]!;
      const ok = offset[k]!;
      const lev = refs[k]![i]!;
      const z = zz[k]!;
      const base = lev * qk * qk;
      for (let r = 0; r < qk; r++) {
        const wr = wv[ok + r]!;
        for (let s = 0; s <= r; s++) {
          const val = wr * v[ok + s]!;
          z[base + r * qk + s]! += val;
          if (s !== r) z[base + s * qk + r]! += val;
        }
      }
      const zxk = zx[k]!;
      const bx = lev * qk * p;
      const zyk = zy[k]!;
      for (let r = 0; r < qk; r++) {
        const vr = v[ok + r]!;
        const row = bx + r * p;
        for (let a = 0; a < nx; a++) {
          const t = nz[a]!;
          zxk[row + t]! += wv[xo + t]! * vr;
        }
        zyk[lev * qk + r]! += wy * vr;
      }
    }
    for (let e2 = 0; e2 < nPairs; e2++) {
      const a = pairA[e2]!;
      const b = pairB[e2]!;
      const val = pairVal[e2]!;
      const qa = q[a]!;
      const qb = q[b]!;
      const base = entryOf[e2]![i]! * qa * qb;
      const oa = offset[a]!;
      const ob = offset[b]!;
      for (let r = 0; r < qa; r++) {
        const vr = v[oa + r]!;
        for (let s = 0; s < qb; s++) val[base + r * qb + s]! += wv[ob + s]! * vr;
      }
    }
    for (let a = 0; a < nx; a++) {
      const r = nz[a]!;
      const wr = wv[xo + r]!;
      const row = r * p;
      for (let b = 0; b <= a; b++) {
        const s = nz[b]!;
        xx[row + s]! += wr * v[xo + s]!;
      }
      xy[r]! += wy * v[xo + r]!;
    }
    yy += wy * v[yo]!;
  }
  rows.yy = yy;
}

/**
 * Builds the cross-products from any source of cells: `levels[k][c]` is cell c's level of block k and
 * `local(c, out)` writes cell c's packed d × d sum into out — or, for rows, `local` holds the rows and
 * `sumRows` adds their products straight into the blocks. Two passes: the pattern of each block pair
 * (counting sort by level, then marks), then the sums.
 */
function build(
  n: number,
  p: number,
  q: readonly number[],
  m: readonly number[],
  count: number,
  levels: readonly Int32Array[],
  local: ((c: number, out: Float64Array) => void) | RowProducts,
): CrossProducts {
  const K = q.length;
  const d = q.reduce((s, v) => s + v, 0) + p + 1;
  const offset: number[] = [];
  let o = 0;
  for (let k = 0; k < K; k++) {
    offset.push(o);
    o += q[k]!;
  }
  const xo = o;
  const yo = o + p;
  // Pattern of each pair, and each cell's entry in it.
  const pairs: BlockPair[] = [];
  const entryOf: Int32Array[] = [];
  for (let a = 0; a < K; a++) {
    const ma = m[a]!;
    const la = levels[a]!;
    const start = new Int32Array(ma + 1);
    for (let c = 0; c < count; c++) start[la[c]! + 1]!++;
    for (let i = 0; i < ma; i++) start[i + 1]! += start[i]!;
    const order = new Int32Array(count);
    const fill = start.slice(0, ma);
    for (let c = 0; c < count; c++) order[fill[la[c]!]!++] = c;
    for (let b = a + 1; b < K; b++) {
      const lb = levels[b]!;
      const mark = new Int32Array(m[b]!).fill(-1);
      const ptr = new Int32Array(ma + 1);
      // At most one entry per cell.
      const idxList = new Int32Array(count);
      let filled = 0;
      const entries = new Int32Array(count);
      const slot = new Int32Array(m[b]!);
      for (let i = 0; i < ma; i++) {
        const first = filled;
        for (let s = start[i]!; s < start[i + 1]!; s++) {
          const l = lb[order[s]!]!;
          if (mark[l] !== i) {
            mark[l] = i;
            idxList[filled++] = l;
          }
        }
        // Sort this level's partners, then give each cell its entry.
        sortRange(idxList, first, filled);
        for (let t = first; t < filled; t++) slot[idxList[t]!] = t;
        for (let s = start[i]!; s < start[i + 1]!; s++) entries[order[s]!] = slot[lb[order[s]!]!]!;
        ptr[i + 1] = filled;
      }
      const idx = idxList.slice(0, filled);
      pairs.push({ a, b, ptr, idx, val: new Float64Array(idx.length * q[a]! * q[b]!) });
      entryOf.push(entries);
    }
  }
  const zz = q.map((qk, k) => new Float64Array(m[k]! * qk * qk));
  const zx = q.map((qk, k) => new Float64Array(m[k]! * qk * p));
  const zy = q.map((qk, k) => new Float64Array(m[k]! * qk));
  const xx = new Float64Array(p * p);
  const xy = new Float64Array(p);
  let yy = 0;
  if (typeof local !== "function") {
    sumRows(local, q, offset, xo, yo, zz, zx, zy, pairs, entryOf, xx, xy);
    yy = local.yy;
    for (let r = 0; r < p; r++) for (let s = 0; s < r; s++) xx[s * p + r] = xx[r * p + s]!;
    return { n, p, q: [...q], m: [...m], zz, pairs, zx, zy, xx, xy, yy };
  }
  const buf = new Float64Array((d * (d + 1)) / 2);
  for (let c = 0; c < count; c++) {
    local(c, buf);
    for (let k = 0; k < K; k++) {
      const qk = q[k]!;
      const ok = offset[k]!;
      const lev = levels[k]![c]!;
      const z = zz[k]!;
      const base = lev * qk * qk;
      for (let r = 0; r < qk; r++)
        for (let s = 0; s <= r; s++) {
          const v = buf[packed(ok + r, ok + s)]!;
          z[base + r * qk + s]! += v;
          if (s !== r) z[base + s * qk + r]! += v;
        }
      const zxk = zx[k]!;
      const bx = lev * qk * p;
      for (let r = 0; r < qk; r++) {
        for (let t = 0; t < p; t++) zxk[bx + r * p + t]! += buf[packed(xo + t, ok + r)]!;
        zy[k]![lev * qk + r]! += buf[packed(yo, ok + r)]!;
      }
    }
    let e = 0;
    for (let a = 0; a < K; a++)
      for (let b = a + 1; b < K; b++, e++) {
        const pair = pairs[e]!;
        const qa = q[a]!;
        const qb = q[b]!;
        const base = entryOf[e]![c]! * qa * qb;
        const oa = offset[a]!;
        const ob = offset[b]!;
        for (let r = 0; r < qa; r++)
          for (let s = 0; s < qb; s++) pair.val[base + r * qb + s]! += buf[packed(ob + s, oa + r)]!;
      }
    for (let r = 0; r < p; r++) {
      for (let s = 0; s <= r; s++) xx[r * p + s]! += buf[packed(xo + r, xo + s)]!;
      xy[r]! += buf[packed(yo, xo + r)]!;
    }
    yy += buf[packed(yo, yo)]!;
  }
  for (let r = 0; r < p; r++) for (let s = 0; s < r; s++) xx[s * p + r] = xx[r * p + s]!;
  return { n, p, q: [...q], m: [...m], zz, pairs, zx, zy, xx, xy, yy };
}

/**
 * The cross-products of a design from its rows: A = [Z X y]' W [Z X y], W = diag(weights) or I.
 *
 * Cost O(n d²) time (d = sum_k q_k + p + 1), O(n · pairs) scratch.
 *
 * @param blocks - the random-effects blocks (at least one), each with its rows' levels and values
 * @param X - n × p row-major fixed-effects design
 * @param p - its columns
 * @param y - the response (n)
 * @param weights - a nonnegative weight per row, or null for 1
 * @returns the cross-products
 * @throws ArgumentError when the blocks, X or y disagree on n, or a weight is negative or not finite
 * @example
 * const cp = crossProductsFromRows(model.terms, model.X, model.p, model.y, null);
 * cp.zz[0]; // Z_0'Z_0 level blocks: the number of rows per level for an intercept term
 */
export function crossProductsFromRows(
  blocks: readonly RandomBlock[],
  X: Float64Array,
  p: number,
  y: Float64Array,
  weights: Float64Array | null,
): CrossProducts {
  const n = y.length;
  if (X.length !== n * p) throw new ArgumentError("X", `must hold n × p = ${n * p} values`, X.length);
  blocks.forEach((blk, k) => {
    if (blk.refs.length !== n || blk.values.length !== n * blk.q)
      throw new ArgumentError(`blocks[${k}]`, `must have ${n} rows`, blk.refs.length);
  });
  if (weights !== null) {
    if (weights.length !== n) throw new ArgumentError("weights", `must hold ${n} values`, weights.length);
    for (let i = 0; i < n; i++)
      if (!(weights[i]! >= 0) || !Number.isFinite(weights[i]!))
        throw new ArgumentError(`weights[${i}]`, "must be a finite number ≥ 0", weights[i]);
  }
  const rows: RowProducts = { n, p, blocks, X, y, weights, yy: 0 };
  return build(
    n,
    p,
    blocks.map((b) => b.q),
    blocks.map((b) => b.m),
    n,
    blocks.map((b) => b.refs),
    rows,
  );
}

/**
 * The cross-products from precomputed cell sums (see `CellSums`): the same result as
 * `crossProductsFromRows` on the rows behind the cells, without the rows.
 *
 * @param cells - the cells, their levels and their packed sums
 * @returns the cross-products
 * @throws ArgumentError when the arrays disagree in size or a level is out of range
 * @example
 * // Two cells of one intercept block with 2 levels, no fixed effects (d = 2: z, y):
 * crossProductsFromCells({ n: 3, p: 0, q: [1], m: [2], count: 2, levels: [new Int32Array([0, 1])],
 *   sums: new Float64Array([2, 3, 5, 1, 4, 16]) }).zy[0]; // [3, 4]
 */
export function crossProductsFromCells(cells: CellSums): CrossProducts {
  const d = cells.q.reduce((s, v) => s + v, 0) + cells.p + 1;
  const size = (d * (d + 1)) / 2;
  if (cells.sums.length !== cells.count * size)
    throw new ArgumentError("cells.sums", `must hold count × ${size} values`, cells.sums.length);
  cells.q.forEach((_, k) => {
    const lev = cells.levels[k];
    if (lev === undefined || lev.length !== cells.count)
      throw new ArgumentError(`cells.levels[${k}]`, `must hold ${cells.count} levels`, lev?.length);
    for (let c = 0; c < cells.count; c++)
      if (!(lev[c]! >= 0 && lev[c]! < cells.m[k]!))
        throw new ArgumentError(
          `cells.levels[${k}][${c}]`,
          `must be a level in 0..${cells.m[k]! - 1}`,
          lev[c],
        );
  });
  return build(cells.n, cells.p, cells.q, cells.m, cells.count, cells.levels, (c, out) => {
    out.set(cells.sums.subarray(c * size, (c + 1) * size));
  });
}

/**
 * The response part of the cross-products for another response (blocks and X unchanged):
 * Z_k'Wy, X'Wy and y'Wy. One pass over the rows.
 *
 * @param blocks - the blocks the cross-products were built from
 * @param X - n × p design
 * @param p - its columns
 * @param y - the new response
 * @param weights - row weights or null
 * @returns the response products
 * @example responseProducts(model.terms, model.X, model.p, simulatedY, null).yy // y'y
 */
export function responseProducts(
  blocks: readonly RandomBlock[],
  X: Float64Array,
  p: number,
  y: Float64Array,
  weights: Float64Array | null,
): ResponseProducts {
  const n = y.length;
  const zy = blocks.map((b) => new Float64Array(b.m * b.q));
  const xy = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const wy = (weights === null ? 1 : weights[i]!) * y[i]!;
    blocks.forEach((b, k) => {
      const base = b.refs[i]! * b.q;
      for (let r = 0; r < b.q; r++) zy[k]![base + r]! += b.values[i * b.q + r]! * wy;
    });
    for (let t = 0; t < p; t++) xy[t]! += X[i * p + t]! * wy;
    yy += wy * y[i]!;
  }
  return { zy, xy, yy };
}

/** Z_b'Z_a from Z_a'Z_b: the same entries compressed by level of b (ascending levels of a). */
function transposePair(pair: BlockPair, qa: number, qb: number, ma: number, mb: number): BlockPair {
  const ptr = new Int32Array(mb + 1);
  for (const l of pair.idx) ptr[l + 1]!++;
  for (let l = 0; l < mb; l++) ptr[l + 1]! += ptr[l]!;
  const fill = ptr.slice(0, mb);
  const idx = new Int32Array(pair.idx.length);
  const val = new Float64Array(pair.val.length);
  for (let i = 0; i < ma; i++)
    for (let e = pair.ptr[i]!; e < pair.ptr[i + 1]!; e++) {
      const t = fill[pair.idx[e]!]!++;
      idx[t] = i;
      for (let r = 0; r < qa; r++)
        for (let s = 0; s < qb; s++) val[t * qb * qa + s * qa + r] = pair.val[e * qa * qb + r * qb + s]!;
    }
  return { a: pair.b, b: pair.a, ptr, idx, val };
}

/**
 * The cross-products of some of the blocks, in a given order (X and y kept): what a sub-model with
 * only those random-effects blocks would have. Shares arrays with `cp` where it can.
 *
 * @param cp - the cross-products of all blocks
 * @param blocks - the blocks to keep, in their new order (distinct indices into cp's blocks)
 * @returns the restricted cross-products (block i is cp's block blocks[i])
 * @example restrictCrossProducts(cp, [2, 0]).q // [cp.q[2], cp.q[0]]
 */
export function restrictCrossProducts(cp: CrossProducts, blocks: readonly number[]): CrossProducts {
  const pairs: BlockPair[] = [];
  const find = (a: number, b: number): BlockPair => cp.pairs.find((pr) => pr.a === a && pr.b === b)!;
  for (let i = 0; i < blocks.length; i++)
    for (let j = i + 1; j < blocks.length; j++) {
      const a = blocks[i]!;
      const b = blocks[j]!;
      const pair =
        a < b
          ? { ...find(a, b), a: i, b: j }
          : { ...transposePair(find(b, a), cp.q[b]!, cp.q[a]!, cp.m[b]!, cp.m[a]!), a: i, b: j };
      pairs.push(pair);
    }
  return {
    n: cp.n,
    p: cp.p,
    q: blocks.map((k) => cp.q[k]!),
    m: blocks.map((k) => cp.m[k]!),
    zz: blocks.map((k) => cp.zz[k]!),
    pairs,
    zx: blocks.map((k) => cp.zx[k]!),
    zy: blocks.map((k) => cp.zy[k]!),
    xx: cp.xx,
    xy: cp.xy,
    yy: cp.yy,
  };
}

/**
 * The pair of blocks a and b (either order) in `cp.pairs`, and whether it is stored as (b, a).
 *
 * @example pairOf(cp, 2, 0) // { pair: cp.pairs[1], swapped: true }
 */
export function pairOf(cp: CrossProducts, a: number, b: number): { pair: BlockPair; swapped: boolean } {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const pair = cp.pairs.find((pr) => pr.a === lo && pr.b === hi);
  if (pair === undefined) throw new ArgumentError("b", `must be a block other than ${a}`, b);
  return { pair, swapped: a > b };
}
