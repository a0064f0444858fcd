/**
 * The blocked cross-product matrix A = [Z X y]' [Z X y] of a linear mixed model, built once per fit
 * (MixedModels.jl's `A` blocks; Bates et al. 2015 §3 for lme4's sparse version).
 *
 * Columns are split in two parts:
 * - **block 1**: the columns of the first random-effects term (the one with most levels). Its own
 *   cross-product Z_1'Z_1 is block diagonal (one q_1 × q_1 block per level), so its Cholesky factor is
 *   too and costs O(m_1 q_1³).
 * - **the rest** (`nr` scalar columns): the other terms' columns, one level block (q_k columns) after
 *   another in a fill-reducing order (./ordering; `levelStart` says where each level's block is),
 *   then the p columns of X, then y (less the offset). Their cross-products `Arr` are stored dense;
 *   the panel structure says which rows of the Schur complement's factor can be nonzero.
 *
 * The coupling Z_1'[Z_rest X y] is stored by level j of term 1, in compressed columns: the rest-rows
 * touched by level j (sorted), each with q_1 values. Structure only: a row is listed when any data row
 * of level j touches it, whatever the value, so the pattern does not depend on the data's values.
 */
import { ArgumentError } from "../errors";
import type { LmmModel } from "../model/types";
import { restStructure } from "./ordering";

/** Largest `nr` (rest columns) the dense Schur complement accepts: nr² doubles must fit in memory. */
export const MAX_REST_COLUMNS = 6000;

/** The blocked cross-products of one model. Read-only after `buildSystem`. */
export interface BlockedSystem {
  readonly n: number;
  readonly p: number;
  /** q of each term, in model order (term 0 is block 1). */
  readonly q: readonly number[];
  /** Levels of each term. */
  readonly m: readonly number[];
  /** q_1 and m_1 of block 1. */
  readonly q1: number;
  readonly m1: number;
  /** Block 1's diagonal blocks Z_1j'Z_1j: m_1 row-major q_1 × q_1 matrices. */
  readonly A11: Float64Array;
  /** Number of rest columns: sum over terms k ≥ 2 of m_k q_k, then p, then 1 (y). */
  readonly nr: number;
  /** Per term k ≥ 2: the first rest column of each level's block (term 0: empty). */
  readonly levelStart: readonly Int32Array[];
  /** Panels of the rest columns and the rows below each that can be nonzero (./ordering). */
  readonly panelStart: Int32Array;
  readonly panelRowPtr: Int32Array;
  readonly panelRows: Int32Array;
  /** First rest column of X (= number of random-effects rest columns). */
  readonly xOffset: number;
  /** Rest column of y (= nr - 1). */
  readonly yIndex: number;
  /** Per rest column: its term, or -1 for X and y. */
  readonly restTerm: Int32Array;
  /** Coupling Z_1'[rest]: column pointers by level of term 1 (length m_1 + 1). */
  readonly colPtr: Int32Array;
  /** Coupling: rest row of each stored entry (sorted within a level). */
  readonly rowIdx: Int32Array;
  /** Coupling: q_1 values per stored entry. */
  readonly A21: Float64Array;
  /** Rest cross-products, dense symmetric nr × nr, row-major (both triangles). */
  readonly Arr: Float64Array;
}

/**
 * Builds the blocked cross-products of a model in one pass over its rows.
 *
 * Cost O(n (sum_k q_k + p + 1)²) time, O(nr² + nnz) memory.
 *
 * @param model - the model (at least one random-effects term)
 * @returns the blocked system
 * @throws ArgumentError when the model has no random-effects term or too many rest columns
 * @example
 * buildSystem(lmm("y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)", instEval)).nr;
 * // 1159 = 1128 (d) + 28 (dept:service) + 2 (X) + 1 (y); block 1 is s (2972 levels)
 */
export function buildSystem(model: LmmModel): BlockedSystem {
  const { n, p, terms } = model;
  if (terms.length === 0)
    throw new ArgumentError(
      "model.terms",
      "must hold at least one random-effects term (lme4's lmer needs one)",
      0,
    );
  const t0 = terms[0]!;
  const q1 = t0.q;
  const m1 = t0.m;
  const q = terms.map((t) => t.q);
  const m = terms.map((t) => t.m);
  let nz = 0;
  const nodeOffset: number[] = [0];
  for (let k = 1; k < terms.length; k++) {
    nz += terms[k]!.m * terms[k]!.q;
    nodeOffset.push(nodeOffset[k - 1]! + (k > 1 ? terms[k - 1]!.m : 0));
  }
  const xOffset = nz;
  const nr = nz + p + 1;
  const yIndex = nr - 1;
  if (nr > MAX_REST_COLUMNS)
    throw new ArgumentError(
      "model",
      `has ${nr} random-effect and fixed-effect columns outside its largest grouping factor; the dense elimination used here handles at most ${MAX_REST_COLUMNS}`,
      nr,
    );

  // Rows of the data sorted by level of term 1 (counting sort).
  const start = new Int32Array(m1 + 1);
  for (let i = 0; i < n; i++) start[t0.refs[i]! + 1]!++;
  for (let j = 0; j < m1; j++) start[j + 1]! += start[j]!;
  const order = new Int32Array(n);
  const fill = start.slice(0, m1);
  for (let i = 0; i < n; i++) order[fill[t0.refs[i]!]!++] = i;

  // Level blocks of terms 2.. as nodes; each level of term 1 couples the nodes its rows touch.
  const nodes = terms.length > 1 ? nodeOffset[terms.length - 1]! + terms[terms.length - 1]!.m : 0;
  const size = new Int32Array(nodes);
  for (let k = 1; k < terms.length; k++) size.fill(terms[k]!.q, nodeOffset[k]!, nodeOffset[k]! + terms[k]!.m);
  const cliques: Int32Array[] = [];
  const seen = new Int32Array(nodes).fill(-1);
  const members: number[] = [];
  for (let j = 0; j < m1; j++) {
    members.length = 0;
    for (let s = start[j]!; s < start[j + 1]!; s++)
      for (let k = 1; k < terms.length; k++) {
        const v = nodeOffset[k]! + terms[k]!.refs[order[s]!]!;
        if (seen[v] !== j) {
          seen[v] = j;
          members.push(v);
        }
      }
    if (members.length > 1) cliques.push(Int32Array.from(members));
  }
  const structure = restStructure(size, cliques, p + 1);
  const levelStart: Int32Array[] = [new Int32Array(0)];
  for (let k = 1; k < terms.length; k++) levelStart.push(new Int32Array(terms[k]!.m));
  const restTerm = new Int32Array(nr).fill(-1);
  let column = 0;
  for (const v of structure.order) {
    let k = terms.length - 1;
    while (nodeOffset[k]! > v) k--;
    const l = v - nodeOffset[k]!;
    levelStart[k]![l] = column;
    restTerm.fill(k, column, column + terms[k]!.q);
    column += terms[k]!.q;
  }

  // Response less the offset.
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = model.y[i]! - (model.offset === null ? 0 : model.offset[i]!);

  // The rest columns a data row touches: sum_{k≥2} q_k + p + 1 of them.
  const perRow = nr - nz + terms.slice(1).reduce((s, t) => s + t.q, 0);
  const idx = new Int32Array(perRow);
  const val = new Float64Array(perRow);
  const rowEntries = (i: number): void => {
    let e = 0;
    for (let k = 1; k < terms.length; k++) {
      const tk = terms[k]!;
      const base = levelStart[k]![tk.refs[i]!]!;
      for (let c = 0; c < tk.q; c++) {
        idx[e] = base + c;
        val[e++] = tk.values[i * tk.q + c]!;
      }
    }
    for (let c = 0; c < p; c++) {
      idx[e] = xOffset + c;
      val[e++] = model.X[i * p + c]!;
    }
    idx[e] = yIndex;
    val[e] = y[i]!;
  };

  const A11 = new Float64Array(m1 * q1 * q1);
  const Arr = new Float64Array(nr * nr);
  const colPtr = new Int32Array(m1 + 1);
  let rowIdx = new Int32Array(Math.max(16, Math.min(n * perRow, m1 * nr)));
  let A21 = new Float64Array(rowIdx.length * q1);
  const acc = new Float64Array(nr * q1);
  const mark = new Int32Array(nr).fill(-1);
  const touched = new Int32Array(nr);
  let nnz = 0;

  for (let j = 0; j < m1; j++) {
    let nt = 0;
    for (let s = start[j]!; s < start[j + 1]!; s++) {
      const i = order[s]!;
      const z = t0.values.subarray(i * q1, i * q1 + q1);
      const a11 = j * q1 * q1;
      for (let a = 0; a < q1; a++) for (let b = 0; b < q1; b++) A11[a11 + a * q1 + b]! += z[a]! * z[b]!;
      rowEntries(i);
      for (let e = 0; e < perRow; e++) {
        const r = idx[e]!;
        const v = val[e]!;
        if (mark[r] !== j) {
          mark[r] = j;
          touched[nt++] = r;
        }
        for (let a = 0; a < q1; a++) acc[r * q1 + a]! += v * z[a]!;
        const row = r * nr;
        for (let f = 0; f < perRow; f++) Arr[row + idx[f]!]! += v * val[f]!;
      }
    }
    const list = touched.subarray(0, nt).sort();
    if (nnz + nt > rowIdx.length) {
      const grown = new Int32Array(Math.max(2 * rowIdx.length, nnz + nt));
      grown.set(rowIdx);
      rowIdx = grown;
      const grownValues = new Float64Array(grown.length * q1);
      grownValues.set(A21);
      A21 = grownValues;
    }
    for (const r of list) {
      rowIdx[nnz] = r;
      for (let a = 0; a < q1; a++) {
        A21[nnz * q1 + a] = acc[r * q1 + a]!;
        acc[r * q1 + a] = 0;
      }
      nnz++;
    }
    colPtr[j + 1] = nnz;
  }

  return {
    n,
    p,
    q,
    m,
    q1,
    m1,
    A11,
    nr,
    levelStart,
    panelStart: structure.panelStart,
    panelRowPtr: structure.panelRowPtr,
    panelRows: structure.panelRows,
    xOffset,
    yIndex,
    restTerm,
    colPtr,
    rowIdx: rowIdx.slice(0, nnz),
    A21: A21.slice(0, nnz * q1),
    Arr,
  };
}
