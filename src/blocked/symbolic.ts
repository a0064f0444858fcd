/**
 * The symbolic structure of the blocked Cholesky factor of a mixed model's system
 *
 *     Omega = [Lambda'Z'Z Lambda + I   Lambda'Z'X   Lambda'Z'y]
 *             [X'Z Lambda              X'X + P      X'y + Pm  ]  = L L'
 *             [y'Z Lambda              y'X + m'P    y'y + m'Pm]
 *
 * computed once from the pattern of the cross-products (./crossproducts): which entries of L can be
 * nonzero, in which order the columns are eliminated, and where every entry is stored.
 *
 * Columns: the levels of block 0 (the first random-effects block, the one with most levels) come
 * first, q_0 columns each; block 0's Z_0'Z_0 is block diagonal, so each of its levels is a *leaf*: a
 * supernode of q_0 columns that no other column updates (MixedModels.jl's and lme4's first block).
 * Then the levels of the other blocks (the *rest*), one node of q_k columns per level, in an
 * approximate-minimum-degree order (./amd) of the graph their Schur complement has — coupled where
 * two levels share a row, or where one level of block 0 touches both (InstEval: two lecturers rated
 * by one student) — then postordered along the elimination tree. X's p columns and y come last, dense.
 *
 * Consecutive columns whose patterns coincide (or nearly: relaxed supernodes, at most 64 columns wide)
 * form supernodes; each stores its columns' rows in one dense block (rows × width, row-major), its
 * own columns first, so the kernels (./kernels) work on dense panels. Every supernode's row list ends
 * with X and y; a leaf's lists the rest levels its rows touch.
 *
 * @see George & Liu (1981) Computer Solution of Large Sparse Positive Definite Systems; Liu (1990) The
 *   role of elimination trees in sparse factorization, SIAM J. Matrix Anal. Appl. 11(1),
 *   doi:10.1137/0611010; Ng & Peyton (1993) Block sparse Cholesky algorithms on advanced uniprocessor
 *   computers, SIAM J. Sci. Comput. 14(5), doi:10.1137/0914063.
 */
import { approximateMinimumDegree } from "./amd";
import type { CrossProducts } from "./crossproducts";
import { sortRange } from "./sort";

/** Widest supernode (columns), narrowest a relaxed one is grown to, and how many rows a column may add. */
export const SUPERNODE_MAX_WIDTH = 64;
export const SUPERNODE_MIN_WIDTH = 8;
export const SUPERNODE_SLACK = 8;
/** Largest list of leaf-update positions kept (4 bytes each). */
export const LEAF_TABLE_LIMIT = 2e7;

/** The structure of L. Plain data (structured-cloneable); read-only once built. */
export interface BlockedStructure {
  readonly n: number;
  readonly p: number;
  /** q_k, m_k of each block (block 0 gives the leaves). */
  readonly q: readonly number[];
  readonly m: readonly number[];
  /** Total columns: m_0 q_0 + sum_{k ≥ 1} m_k q_k + p + 1. */
  readonly N: number;
  /** First column of X; the column of y is N - 1. */
  readonly xStart: number;
  /** Number of supernodes; the first m_0 are the leaves (level j of block 0 is supernode j). */
  readonly supernodes: number;
  /** Per supernode: its columns colStart[s]..colStart[s+1]. */
  readonly colStart: Int32Array;
  /** Per supernode: its rows rows[rowPtr[s]..rowPtr[s+1]), ascending, its own columns first. */
  readonly rowPtr: Int32Array;
  readonly rows: Int32Array;
  /** Per supernode: where its dense block (rows × width, row-major) starts in the values. */
  readonly valPtr: Int32Array;
  /** Length of the values array. */
  readonly size: number;
  /** Supernode of each column. */
  readonly colSuper: Int32Array;
  /** Per block: the first column of each level. */
  readonly levelColumn: readonly Int32Array[];
  /** Per block pair (as in CrossProducts.pairs): each entry's place in the values (row comp 0, col comp 0). */
  readonly pairPos: readonly Int32Array[];
  /** Per block pair: 1 where the entry's row in L is block b's level (the values are then transposed). */
  readonly pairFlip: readonly Uint8Array[];
  /**
   * The leaves' updates of the rest, listed once (null when the list would exceed `LEAF_TABLE_LIMIT`
   * entries; the leaves then go through the general left-looking path): for leaf j, the entries
   * leafPos[leafPtr[j]..leafPtr[j+1]) are the value offsets of (row a, column b) for every pair a ≥ b
   * of its random-effects rows, b-major (b = 0, a = 0..r-1; b = 1, a = 1..r-1; ...).
   */
  readonly leafPtr: Int32Array | null;
  readonly leafPos: Int32Array | null;
  /** Per leaf random-effects row (in leaf order, `leafRowPtr` by leaf): offset of its X_0 row entry, and the stride to X_1, ..., y. */
  readonly leafRowPtr: Int32Array;
  readonly leafRowXY: Int32Array;
  readonly leafRowStride: Int32Array;
  /** For X/y rows t ≥ u (0..p): value offset of (xStart + t, xStart + u), at xyPos[t * (p + 1) + u]. */
  readonly xyPos: Int32Array;
  /** Widest supernode, most rows of one, and the multiply-adds of one factorization (an estimate). */
  readonly maxWidth: number;
  readonly maxRows: number;
  readonly flops: number;
}

/**
 * Analyzes the pattern of the cross-products.
 *
 * @param cp - the cross-products (only their pattern and sizes are read)
 * @returns the structure of L
 * @example
 * const st = analyze(crossProductsFromRows(model.terms, model.X, model.p, model.y, null));
 * st.supernodes; // m_0 leaves + the rest's supernodes + those of X and y
 */
export function analyze(cp: CrossProducts): BlockedStructure {
  const { p, q, m } = cp;
  const K = q.length;
  const q0 = q[0]!;
  const m0 = m[0]!;
  // Rest nodes: one per level of blocks 1..K-1.
  const nodeOffset: number[] = [0];
  for (let k = 1; k < K; k++) nodeOffset.push(nodeOffset[k - 1]! + m[k]!);
  const nNodes = K > 1 ? nodeOffset[K - 1]! : 0;
  const nodeBlock = new Int32Array(nNodes);
  const weight = new Int32Array(nNodes);
  for (let k = 1; k < K; k++) {
    nodeBlock.fill(k, nodeOffset[k - 1]!, nodeOffset[k - 1]! + m[k]!);
    weight.fill(q[k]!, nodeOffset[k - 1]!, nodeOffset[k - 1]! + m[k]!);
  }
  const nodeOf = (k: number, level: number): number => nodeOffset[k - 1]! + level;

  // Leaves' node lists (one element each) and the rest's adjacency.
  const leafCount = new Int32Array(m0 + 1);
  const degreeCount = new Int32Array(nNodes + 1);
  cp.pairs.forEach((pair) => {
    if (pair.a === 0) for (let j = 0; j < m0; j++) leafCount[j + 1]! += pair.ptr[j + 1]! - pair.ptr[j]!;
    else
      for (let i = 0; i < m[pair.a]!; i++)
        for (let e = pair.ptr[i]!; e < pair.ptr[i + 1]!; e++) {
          degreeCount[nodeOf(pair.a, i) + 1]!++;
          degreeCount[nodeOf(pair.b, pair.idx[e]!) + 1]!++;
        }
  });
  for (let j = 0; j < m0; j++) leafCount[j + 1]! += leafCount[j]!;
  for (let v = 0; v < nNodes; v++) degreeCount[v + 1]! += degreeCount[v]!;
  const leafNodes = new Int32Array(leafCount[m0]!);
  const adj = new Int32Array(degreeCount[nNodes]!);
  {
    const fillLeaf = leafCount.slice(0, m0);
    const fillAdj = degreeCount.slice(0, nNodes);
    cp.pairs.forEach((pair) => {
      if (pair.a === 0) {
        for (let j = 0; j < m0; j++)
          for (let e = pair.ptr[j]!; e < pair.ptr[j + 1]!; e++)
            leafNodes[fillLeaf[j]!++] = nodeOf(pair.b, pair.idx[e]!);
      } else
        for (let i = 0; i < m[pair.a]!; i++)
          for (let e = pair.ptr[i]!; e < pair.ptr[i + 1]!; e++) {
            const u = nodeOf(pair.a, i);
            const v = nodeOf(pair.b, pair.idx[e]!);
            adj[fillAdj[u]!++] = v;
            adj[fillAdj[v]!++] = u;
          }
    });
  }

  // Order: AMD, then a postorder of the elimination tree.
  let position: Int32Array = new Int32Array(nNodes);
  if (nNodes > 0) {
    const amd = approximateMinimumDegree(nNodes, weight, degreeCount, adj, leafCount, leafNodes);
    amd.forEach((v, i) => {
      position[v] = i;
    });
    position = postorderPositions(nNodes, position, degreeCount, adj, leafCount, leafNodes);
  }
  const nodeAt = new Int32Array(nNodes);
  position.forEach((pos, v) => {
    nodeAt[pos] = v;
  });

  // Leaf lists in positions, sorted; each leaf is assigned to its first position.
  const leafPositions = new Int32Array(leafNodes.length);
  for (let j = 0; j < m0; j++) {
    const a = leafCount[j]!;
    const b = leafCount[j + 1]!;
    for (let t = a; t < b; t++) leafPositions[t] = position[leafNodes[t]!]!;
    sortRange(leafPositions, a, b);
  }
  const firstOfLeaf = new Int32Array(nNodes + 1);
  for (let j = 0; j < m0; j++)
    if (leafCount[j + 1]! > leafCount[j]!) firstOfLeaf[leafPositions[leafCount[j]!]! + 1]!++;
  for (let i = 0; i < nNodes; i++) firstOfLeaf[i + 1]! += firstOfLeaf[i]!;
  const leavesAt = new Int32Array(firstOfLeaf[nNodes]!);
  {
    const fill = firstOfLeaf.slice(0, nNodes);
    for (let j = 0; j < m0; j++)
      if (leafCount[j + 1]! > leafCount[j]!) leavesAt[fill[leafPositions[leafCount[j]!]!]!++] = j;
  }

  // Node patterns of L (positions > i), by union over children.
  const pattern: Int32Array[] = new Array<Int32Array>(nNodes);
  const children: number[][] = Array.from({ length: nNodes }, () => []);
  const mark = new Int32Array(nNodes).fill(-1);
  const list = new Int32Array(nNodes);
  for (let i = 0; i < nNodes; i++) {
    let nl = 0;
    mark[i] = i;
    const v = nodeAt[i]!;
    for (let t = degreeCount[v]!; t < degreeCount[v + 1]!; t++) {
      const r = position[adj[t]!]!;
      if (r > i && mark[r] !== i) {
        mark[r] = i;
        list[nl++] = r;
      }
    }
    for (let t = firstOfLeaf[i]!; t < firstOfLeaf[i + 1]!; t++) {
      const j = leavesAt[t]!;
      for (let u = leafCount[j]!; u < leafCount[j + 1]!; u++) {
        const r = leafPositions[u]!;
        if (r > i && mark[r] !== i) {
          mark[r] = i;
          list[nl++] = r;
        }
      }
    }
    for (const c of children[i]!) {
      const pc = pattern[c]!;
      for (let u = 0; u < pc.length; u++) {
        const r = pc[u]!;
        if (r > i && mark[r] !== i) {
          mark[r] = i;
          list[nl++] = r;
        }
      }
    }
    const pat = list.slice(0, nl);
    sortRange(pat, 0, nl);
    pattern[i] = pat;
    if (pat.length > 0) children[pat[0]!]!.push(i);
  }

  // Columns: leaves, rest nodes in position order, X, y.
  const leafColumns = m0 * q0;
  const nodeColumn = new Int32Array(nNodes + 1);
  nodeColumn[0] = leafColumns;
  for (let i = 0; i < nNodes; i++) nodeColumn[i + 1] = nodeColumn[i]! + weight[nodeAt[i]!]!;
  const xStart = nodeColumn[nNodes]!;
  const N = xStart + p + 1;

  // Supernodes of the rest (relaxed, along chains of the elimination tree).
  const superFirst: number[] = [];
  {
    let i = 0;
    while (i < nNodes) {
      superFirst.push(i);
      let width = weight[nodeAt[i]!]!;
      let last = i;
      while (last + 1 < nNodes) {
        const pl = pattern[last]!;
        if (pl.length === 0 || pl[0] !== last + 1) break;
        const w1 = weight[nodeAt[last + 1]!]!;
        if (width + w1 > SUPERNODE_MAX_WIDTH) break;
        const extra = pattern[last + 1]!.length - (pl.length - 1);
        if (width >= SUPERNODE_MIN_WIDTH && extra > SUPERNODE_SLACK) break;
        width += w1;
        last++;
      }
      i = last + 1;
    }
  }
  superFirst.push(nNodes);
  const restSupers = superFirst.length - 1;
  const xChunks = Math.ceil((p + 1) / SUPERNODE_MAX_WIDTH);
  const S = m0 + restSupers + xChunks;
  const colStart = new Int32Array(S + 1);
  const rowPtr = new Int32Array(S + 1);
  // Row lists: counted, then filled.
  const tail = p + 1;
  let rowCount = 0;
  for (let j = 0; j < m0; j++) {
    rowCount += q0 + tail;
    for (let t = leafCount[j]!; t < leafCount[j + 1]!; t++) {
      const pos = leafPositions[t]!;
      rowCount += nodeColumn[pos + 1]! - nodeColumn[pos]!;
    }
  }
  for (let s = 0; s < restSupers; s++) {
    const f = superFirst[s]!;
    const l = superFirst[s + 1]! - 1;
    rowCount += nodeColumn[l + 1]! - nodeColumn[f]! + tail;
    for (const pos of pattern[l]!) rowCount += nodeColumn[pos + 1]! - nodeColumn[pos]!;
  }
  for (let t = 0; t < xChunks; t++) rowCount += N - (xStart + t * SUPERNODE_MAX_WIDTH);
  const rows = new Int32Array(rowCount);
  let nRows = 0;
  // Leaves.
  for (let j = 0; j < m0; j++) {
    colStart[j] = j * q0;
    for (let a = 0; a < q0; a++) rows[nRows++] = j * q0 + a;
    for (let t = leafCount[j]!; t < leafCount[j + 1]!; t++) {
      const pos = leafPositions[t]!;
      for (let c = nodeColumn[pos]!; c < nodeColumn[pos + 1]!; c++) rows[nRows++] = c;
    }
    for (let t = 0; t < tail; t++) rows[nRows++] = xStart + t;
    rowPtr[j + 1] = nRows;
  }
  for (let s = 0; s < restSupers; s++) {
    const f = superFirst[s]!;
    const l = superFirst[s + 1]! - 1;
    colStart[m0 + s] = nodeColumn[f]!;
    for (let c = nodeColumn[f]!; c < nodeColumn[l + 1]!; c++) rows[nRows++] = c;
    for (const pos of pattern[l]!)
      for (let c = nodeColumn[pos]!; c < nodeColumn[pos + 1]!; c++) rows[nRows++] = c;
    for (let t = 0; t < tail; t++) rows[nRows++] = xStart + t;
    rowPtr[m0 + s + 1] = nRows;
  }
  for (let t = 0; t < xChunks; t++) {
    const s = m0 + restSupers + t;
    const c0 = xStart + t * SUPERNODE_MAX_WIDTH;
    colStart[s] = c0;
    for (let c = c0; c < N; c++) rows[nRows++] = c;
    rowPtr[s + 1] = nRows;
  }
  colStart[S] = N;
  const valPtr = new Int32Array(S + 1);
  const colSuper = new Int32Array(N);
  let maxWidth = 0;
  let maxRows = 0;
  let flops = 0;
  for (let s = 0; s < S; s++) {
    const w = colStart[s + 1]! - colStart[s]!;
    const r = rowPtr[s + 1]! - rowPtr[s]!;
    valPtr[s + 1] = valPtr[s]! + w * r;
    colSuper.fill(s, colStart[s]!, colStart[s + 1]!);
    maxWidth = Math.max(maxWidth, w);
    maxRows = Math.max(maxRows, r);
    const u = r - w;
    flops += (w * w * w) / 6 + (w * w * u) / 2 + (w * u * (u + 1)) / 2;
  }

  const leafColumn = new Int32Array(m0);
  for (let j = 0; j < m0; j++) leafColumn[j] = j * q0;
  const levelColumn: Int32Array[] = [leafColumn];
  for (let k = 1; k < K; k++) {
    const cols = new Int32Array(m[k]!);
    for (let l = 0; l < m[k]!; l++) cols[l] = nodeColumn[position[nodeOf(k, l)]!]!;
    levelColumn.push(cols);
  }

  // Where each block-pair entry goes: the later column's row in the earlier column's supernode.
  const localRow = (s: number, row: number): number => {
    let lo = rowPtr[s]!;
    let hi = rowPtr[s + 1]! - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid]! < row) lo = mid + 1;
      else hi = mid;
    }
    return lo - rowPtr[s]!;
  };
  const pairPos: Int32Array[] = [];
  const pairFlip: Uint8Array[] = [];
  for (const pair of cp.pairs) {
    const pos = new Int32Array(pair.idx.length);
    const flip = new Uint8Array(pair.idx.length);
    const ca = levelColumn[pair.a]!;
    const cb = levelColumn[pair.b]!;
    for (let i = 0; i < m[pair.a]!; i++)
      for (let e = pair.ptr[i]!; e < pair.ptr[i + 1]!; e++) {
        const colA = ca[i]!;
        const colB = cb[pair.idx[e]!]!;
        const aFirst = colA < colB;
        const col = aFirst ? colA : colB;
        const row = aFirst ? colB : colA;
        flip[e] = aFirst ? 1 : 0;
        const s = colSuper[col]!;
        const w = colStart[s + 1]! - colStart[s]!;
        pos[e] = valPtr[s]! + localRow(s, row) * w + (col - colStart[s]!);
      }
    pairPos.push(pos);
    pairFlip.push(flip);
  }

  // The leaves' update positions.
  const q0s = q0;
  const leafRowPtr = new Int32Array(m0 + 1);
  let tableSize = 0;
  for (let j = 0; j < m0; j++) {
    const rz = rowPtr[j + 1]! - rowPtr[j]! - q0s - p - 1;
    leafRowPtr[j + 1] = leafRowPtr[j]! + rz;
    tableSize += (rz * (rz + 1)) / 2;
  }
  const leafRowXY = new Int32Array(leafRowPtr[m0]!);
  const leafRowStride = new Int32Array(leafRowPtr[m0]!);
  for (let j = 0; j < m0; j++) {
    const r0 = rowPtr[j]! + q0s;
    for (let b = 0; b < leafRowPtr[j + 1]! - leafRowPtr[j]!; b++) {
      const c = rows[r0 + b]!;
      const s = colSuper[c]!;
      const w = colStart[s + 1]! - colStart[s]!;
      const nr = rowPtr[s + 1]! - rowPtr[s]!;
      leafRowXY[leafRowPtr[j]! + b] = valPtr[s]! + (nr - p - 1) * w + (c - colStart[s]!);
      leafRowStride[leafRowPtr[j]! + b] = w;
    }
  }
  let leafPtr: Int32Array | null = null;
  let leafPos: Int32Array | null = null;
  if (tableSize <= LEAF_TABLE_LIMIT) {
    leafPtr = new Int32Array(m0 + 1);
    leafPos = new Int32Array(tableSize);
    let t = 0;
    for (let j = 0; j < m0; j++) {
      const r0 = rowPtr[j]! + q0s;
      const rz = leafRowPtr[j + 1]! - leafRowPtr[j]!;
      for (let b = 0; b < rz; b++) {
        const c = rows[r0 + b]!;
        const s = colSuper[c]!;
        const w = colStart[s + 1]! - colStart[s]!;
        const c0 = colStart[s]!;
        // The rows a ≥ b of this leaf are rows of column c's supernode (ascending): row c is
        // the supernode's own row c - c0, each later one found by bisection above the last.
        const base = valPtr[s]! - rowPtr[s]! * w + (c - c0);
        const end = rowPtr[s + 1]!;
        let u = rowPtr[s]! + (c - c0);
        leafPos[t++] = base + u * w;
        for (let a = b + 1; a < rz; a++) {
          const row = rows[r0 + a]!;
          let hi = end - 1;
          u++;
          while (u < hi) {
            const mid = (u + hi) >> 1;
            if (rows[mid]! < row) u = mid + 1;
            else hi = mid;
          }
          leafPos[t++] = base + u * w;
        }
      }
      leafPtr[j + 1] = t;
    }
  }
  const xyPos = new Int32Array((p + 1) * (p + 1));
  for (let u = 0; u <= p; u++) {
    const c = xStart + u;
    const s = colSuper[c]!;
    const w = colStart[s + 1]! - colStart[s]!;
    const local = c - colStart[s]!;
    for (let t = u; t <= p; t++) xyPos[t * (p + 1) + u] = valPtr[s]! + (local + t - u) * w + local;
  }

  return {
    n: cp.n,
    p,
    q: [...q],
    m: [...m],
    N,
    xStart,
    supernodes: S,
    colStart,
    rowPtr,
    rows,
    valPtr,
    size: valPtr[S]!,
    colSuper,
    levelColumn,
    pairPos,
    pairFlip,
    leafPtr,
    leafPos,
    leafRowPtr,
    leafRowXY,
    leafRowStride,
    xyPos,
    maxWidth,
    maxRows,
    flops,
  };
}

/**
 * Positions of the rest nodes after a postorder of the elimination tree of the Schur complement's
 * graph in the order `position` (Liu's algorithm with path compression; each leaf's clique enters as
 * the path through its nodes in that order, which gives the same tree). A postorder keeps each
 * subtree's columns together, so chains — and supernodes — are consecutive.
 */
function postorderPositions(
  nNodes: number,
  position: Int32Array,
  adjPtr: Int32Array,
  adj: Int32Array,
  leafPtr: Int32Array,
  leafNodes: Int32Array,
): Int32Array {
  // Neighbours by position: the rest's adjacency plus the edges of each leaf's path, compressed by
  // position (counted, then filled in the same order as lists would be).
  const path = new Int32Array(nNodes);
  const pathHi = new Int32Array(leafNodes.length);
  const pathLo = new Int32Array(leafNodes.length);
  let edges = 0;
  for (let j = 0; j + 1 < leafPtr.length; j++) {
    let len = 0;
    for (let t = leafPtr[j]!; t < leafPtr[j + 1]!; t++) path[len++] = position[leafNodes[t]!]!;
    sortRange(path, 0, len);
    for (let t = 1; t < len; t++)
      if (path[t] !== path[t - 1]) {
        pathHi[edges] = path[t]!;
        pathLo[edges++] = path[t - 1]!;
      }
  }
  const lowerPtr = new Int32Array(nNodes + 1);
  for (let v = 0; v < nNodes; v++) {
    const pv = position[v]!;
    for (let t = adjPtr[v]!; t < adjPtr[v + 1]!; t++) if (position[adj[t]!]! < pv) lowerPtr[pv + 1]!++;
  }
  for (let t = 0; t < edges; t++) lowerPtr[pathHi[t]! + 1]!++;
  for (let i = 0; i < nNodes; i++) lowerPtr[i + 1]! += lowerPtr[i]!;
  const lower = new Int32Array(lowerPtr[nNodes]!);
  const fill = lowerPtr.slice(0, nNodes);
  for (let v = 0; v < nNodes; v++) {
    const pv = position[v]!;
    for (let t = adjPtr[v]!; t < adjPtr[v + 1]!; t++) {
      const pu = position[adj[t]!]!;
      if (pu < pv) lower[fill[pv]!++] = pu;
    }
  }
  for (let t = 0; t < edges; t++) lower[fill[pathHi[t]!]!++] = pathLo[t]!;
  const parent = new Int32Array(nNodes).fill(-1);
  const ancestor = new Int32Array(nNodes).fill(-1);
  for (let i = 0; i < nNodes; i++)
    for (let t = lowerPtr[i]!; t < lowerPtr[i + 1]!; t++) {
      let r = lower[t]!;
      while (ancestor[r]! !== -1 && ancestor[r] !== i) {
        const up = ancestor[r]!;
        ancestor[r] = i;
        r = up;
      }
      if (ancestor[r] === -1) {
        ancestor[r] = i;
        parent[r] = i;
      }
    }
  // Postorder (children in increasing position).
  const firstChild = new Int32Array(nNodes).fill(-1);
  const nextSibling = new Int32Array(nNodes).fill(-1);
  for (let i = nNodes - 1; i >= 0; i--) {
    const par = parent[i]!;
    if (par >= 0) {
      nextSibling[i] = firstChild[par]!;
      firstChild[par] = i;
    }
  }
  const post = new Int32Array(nNodes); // post[oldPosition] = new position
  let k = 0;
  const stack: number[] = [];
  for (let root = 0; root < nNodes; root++) {
    if (parent[root] !== -1) continue;
    stack.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = firstChild[top]!;
      if (child >= 0) {
        firstChild[top] = nextSibling[child]!;
        stack.push(child);
      } else {
        stack.pop();
        post[top] = k++;
      }
    }
  }
  const out = new Int32Array(nNodes);
  for (let v = 0; v < nNodes; v++) out[v] = post[position[v]!]!;
  return out;
}
