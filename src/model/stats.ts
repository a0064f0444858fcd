/**
 * A model from sufficient statistics: the data of a linear mixed model reduced to sums per cell of
 * its grouping factors (the rows sharing one level of every random-effects term), in place of the
 * rows. REML, ML and the Gibbs sampler need the data only through these sums, so a model built from
 * them (by `statisticsModel`, from SQL in src/node/sql-model.ts, or read back from a query's result)
 * gives the same fit and, for the same seed, the same draws as the model of the rows.
 *
 * Per cell c, with v = (1, z of each term in order, x, y − offset) for a row (d = 1 + Σ q_k + p + 1
 * values), the packed lower triangle of Σ_{rows of c} v v' (d (d + 1) / 2 numbers): its first entry is
 * the cell's row count, the first column the sums Σ v, the rest the cross-products — Z_j'Z_j, Z_j'X_j,
 * Z_j'y_j, X_j'X_j, X_j'y_j, y_j'y_j and n_j per level of a single factor. Every linear map of v (the
 * fit's centring, the sampler's least-squares shift) maps each cell's sum as M S M', with no pass over
 * rows; an iteration then costs what it costs on the rows' cross-products (nothing per row).
 *
 * What needs the rows and is refused with `LmmError` code NEEDS_ROWS (`requireRows`): fitted values
 * and residuals per row, the pointwise log-likelihood (loo, WAIC), posterior predictive checks per
 * row, the report's plots of the observed data, InferenceData's observed data.
 */
import type { CellSums, CrossProducts } from "../blocked/crossproducts";
import { crossProductsFromCells } from "../blocked/crossproducts";
import { ArgumentError, DataError, LmmError } from "../errors";
import { checkModelArgument, checkObjectArgument, checkStringArgument } from "../validate";
import type { LmmModel, ModelStatistics, RandomEffectsTerm } from "./types";

export type { ModelStatistics } from "./types";

/** Where each part of v sits. */
export interface StatisticsLayout {
  readonly d: number;
  /** First column of each term's columns. */
  readonly termOffset: readonly number[];
  /** First column of X. */
  readonly xOffset: number;
  /** The column of y − offset. */
  readonly yIndex: number;
}

/** The index of (r, c), r ≥ c, in a packed lower triangle. */
export function packedIndex(r: number, c: number): number {
  return r >= c ? (r * (r + 1)) / 2 + c : (c * (c + 1)) / 2 + r;
}

/**
 * The layout of v for a model's (or a design's) terms and p.
 *
 * @example statisticsLayout([{ q: 2 }], 2) // { d: 6, termOffset: [1], xOffset: 3, yIndex: 5 }
 */
export function statisticsLayout(terms: readonly { readonly q: number }[], p: number): StatisticsLayout {
  const termOffset: number[] = [];
  let o = 1;
  for (const t of terms) {
    termOffset.push(o);
    o += t.q;
  }
  return { d: o + p + 1, termOffset, xOffset: o, yIndex: o + p };
}

/** Whether a model carries its rows (false: built from sufficient statistics). */
export function hasRows(model: LmmModel): boolean {
  checkModelArgument(model);
  return model.statistics === undefined;
}

/**
 * Refuses what needs the rows on a model built from sufficient statistics.
 *
 * @param model - the model
 * @param what - what needs the rows, e.g. "residuals per row"
 * @throws LmmError (NEEDS_ROWS) naming `what`, when the model has no rows
 */
export function requireRows(model: LmmModel, what: string): void {
  checkObjectArgument(model, "model", "a linear mixed model from lmm(formula, data)", ["n", "terms"]);
  checkStringArgument(what, "what", 'what needs the rows, e.g. "Residuals per row"');
  if (model.statistics !== undefined)
    throw new LmmError(
      "NEEDS_ROWS",
      `${what} needs the model's rows, and this model was built from sufficient statistics (sums per level, ${model.n} rows behind them): build the model from the rows (lmm(formula, data), or --data without --duckdb/--postgres/--stats) for this.`,
    );
}

/**
 * The cell of each row — the tuple of its levels of every random-effects term — numbered in order of
 * first appearance (a number key while the levels' product fits 2^53, a string key beyond).
 *
 * @param terms - the model's random-effects terms (m and refs of each)
 * @param n - number of rows
 * @returns each row's cell, the number of cells, and per term the level of each cell
 * @example cellsOfRows(model.terms, model.n).count // 18 on sleepstudy's (Days | Subject)
 */
export function cellsOfRows(
  terms: readonly Pick<RandomEffectsTerm, "m" | "refs">[],
  n: number,
): { cells: Int32Array; count: number; levels: Int32Array[] } {
  const K = terms.length;
  let span = 1;
  for (const t of terms) span *= t.m;
  const numeric = span < 2 ** 53;
  const cellOf = new Map<number | string, number>();
  const cells = new Int32Array(n);
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    let key: number | string;
    if (numeric) {
      key = 0;
      for (let k = 0; k < K; k++) key = key * terms[k]!.m + terms[k]!.refs[i]!;
    } else key = terms.map((t) => t.refs[i]!).join(",");
    let c = cellOf.get(key);
    if (c === undefined) {
      c = first.length;
      cellOf.set(key, c);
      first.push(i);
    }
    cells[i] = c;
  }
  return { cells, count: first.length, levels: terms.map((t) => Int32Array.from(first, (i) => t.refs[i]!)) };
}

/**
 * Row i's vector v = (1, each term's columns, X's, y − offset) in the statistics' layout, into `v`.
 *
 * @param model - a model with rows
 * @param layout - `statisticsLayout(model.terms, model.p)`
 * @param i - the row (0-based, model order)
 * @param v - length layout.d, overwritten
 */
export function statisticsRow(
  model: Pick<LmmModel, "p" | "X" | "y" | "offset" | "terms">,
  layout: StatisticsLayout,
  i: number,
  v: Float64Array,
): void {
  const { p, X, y, offset, terms } = model;
  v[0] = 1;
  for (let k = 0; k < terms.length; k++) {
    const t = terms[k]!;
    const o = layout.termOffset[k]!;
    for (let r = 0; r < t.q; r++) v[o + r] = t.values[i * t.q + r]!;
  }
  for (let j = 0; j < p; j++) v[layout.xOffset + j] = X[i * p + j]!;
  v[layout.yIndex] = offset === null ? y[i]! : y[i]! - offset[i]!;
}

/**
 * The sufficient statistics of a model's rows: one cell per combination of the terms' levels that a
 * row has, in order of first appearance.
 *
 * Cost O(n d²) time, O(cells d²) memory.
 *
 * @param model - a model with rows
 * @returns its statistics
 * @throws LmmError (NEEDS_ROWS) for a model without rows
 * @example statisticsOfRows(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy)).count // 18
 */
export function statisticsOfRows(model: LmmModel): ModelStatistics {
  checkModelArgument(model);
  requireRows(model, "statisticsOfRows");
  const { n, p, terms } = model;
  const layout = statisticsLayout(terms, p);
  const d = layout.d;
  const size = (d * (d + 1)) / 2;
  const { cells, count, levels } = cellsOfRows(terms, n);
  const sums = new Float64Array(count * size);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    statisticsRow(model, layout, i, v);
    const base = cells[i]! * size;
    let e = base;
    for (let r = 0; r < d; r++) {
      const vr = v[r]!;
      for (let s = 0; s <= r; s++) sums[e++]! += vr * v[s]!;
    }
  }
  return { d, count, levels, sums };
}

/**
 * The model without its rows: the same model, carrying its sufficient statistics instead (y, X, the
 * offset, `rows` and each term's `refs` and `values` empty). REML, ML and the sampler give it the
 * same fit and draws; what needs rows throws NEEDS_ROWS.
 *
 * @param model - a model with rows
 * @param statistics - its statistics (default: `statisticsOfRows(model)`)
 * @returns the model from its statistics
 * @example reml(withoutRows(model)).theta // reml(model).theta, to rounding
 */
export function withoutRows(model: LmmModel, statistics?: ModelStatistics): LmmModel {
  checkModelArgument(model);
  if (model.weights != null || model.varIdent != null || model.ar1 != null)
    throw new ArgumentError(
      "model",
      "must have no weights, varIdent strata or AR(1) residuals: a model from sufficient statistics sums unweighted, independent rows",
      model.formula,
    );
  const stats = statistics ?? statisticsOfRows(model);
  if (statistics !== undefined) checkStatistics({ ...model, statistics });
  const { recipe: _recipe, ...rest } = model;
  return {
    ...rest,
    y: new Float64Array(0),
    X: new Float64Array(0),
    offset: null,
    rows: new Int32Array(0),
    terms: model.terms.map(rowlessTerm),
    statistics: stats,
    ...(model.recipe === undefined ? {} : { recipe: model.recipe }),
  };
}

/** A term without its rows (refs and values empty). */
export function rowlessTerm(term: RandomEffectsTerm): RandomEffectsTerm {
  return { ...term, refs: new Int32Array(0), values: new Float64Array(0) };
}

/**
 * Checks a model's statistics against its terms and p: sizes, level ranges, finite sums, the row
 * count (the first entries) summing to n.
 *
 * @throws ArgumentError naming the part; DataError (INVALID_DATA) for non-finite sums
 */
export function checkStatistics(model: LmmModel, argument = "model.statistics"): void {
  const st = model.statistics;
  if (st === undefined) return;
  if (st === null || typeof st !== "object")
    throw new ArgumentError(argument, "must be the model's sufficient statistics", st);
  const layout = statisticsLayout(model.terms, model.p);
  if (st.d !== layout.d) throw new ArgumentError(`${argument}.d`, `must be ${layout.d}`, st.d);
  const size = (st.d * (st.d + 1)) / 2;
  if (!Number.isSafeInteger(st.count) || st.count < 1)
    throw new ArgumentError(`${argument}.count`, "must be a positive number of cells", st.count);
  if (!(st.sums instanceof Float64Array) || st.sums.length !== st.count * size)
    throw new ArgumentError(`${argument}.sums`, `must be a Float64Array of count × ${size} values`, st.sums);
  if (!Array.isArray(st.levels) || st.levels.length !== model.terms.length)
    throw new ArgumentError(`${argument}.levels`, `must hold one Int32Array per term`, st.levels);
  model.terms.forEach((t, k) => {
    const lev = st.levels[k];
    if (!(lev instanceof Int32Array) || lev.length !== st.count)
      throw new ArgumentError(`${argument}.levels[${k}]`, `must be an Int32Array of count levels`, lev);
    for (let c = 0; c < st.count; c++)
      if (!(lev[c]! >= 0 && lev[c]! < t.m))
        throw new ArgumentError(`${argument}.levels[${k}]`, `must hold levels 0..${t.m - 1}`, lev[c]);
  });
  let n = 0;
  for (let c = 0; c < st.count; c++) {
    const base = c * size;
    n += st.sums[base]!;
    for (let e = 0; e < size; e++)
      if (!Number.isFinite(st.sums[base + e]!))
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The sufficient statistics are not finite (cell ${c + 1}): a column the model uses holds NaN or Infinity, or its squares overflow double precision.`,
        );
  }
  if (n !== model.n)
    throw new ArgumentError(`${argument}.sums`, `must count n = ${model.n} rows over the cells`, n);
}

const totalsCache = new WeakMap<ModelStatistics, Float64Array>();

/**
 * Σ v v' over every row (d × d, both triangles): n, the column sums and the whole cross-product
 * matrix. Cached per statistics object.
 */
export function statisticsTotals(stats: ModelStatistics): Float64Array {
  const cached = totalsCache.get(stats);
  if (cached !== undefined) return cached;
  const { d, count, sums } = stats;
  const size = (d * (d + 1)) / 2;
  const packedTotal = new Float64Array(size);
  for (let c = 0; c < count; c++) {
    const base = c * size;
    for (let e = 0; e < size; e++) packedTotal[e]! += sums[base + e]!;
  }
  const total = new Float64Array(d * d);
  for (let r = 0; r < d; r++)
    for (let s = 0; s <= r; s++) {
      const v = packedTotal[packedIndex(r, s)]!;
      total[r * d + s] = v;
      total[s * d + r] = v;
    }
  totalsCache.set(stats, total);
  return total;
}

/** Mean, sd (n − 1 denominator) and root mean square of a linear combination a'v over the rows. */
export interface StatisticsMoments {
  readonly mean: number;
  readonly sd: number;
  readonly rms: number;
  /** Σ (a'v)², Σ a'v. */
  readonly sumSquares: number;
  readonly sum: number;
}

/**
 * The moments of column `index` of v (or of the combination `a'v` when a vector is given).
 *
 * @example statisticsMoments(model.statistics!, model.n, layout.yIndex).mean // mean of y − offset
 */
export function statisticsMoments(
  stats: ModelStatistics,
  n: number,
  index: number | Float64Array,
): StatisticsMoments {
  const { d } = stats;
  const T = statisticsTotals(stats);
  let sum: number;
  let sumSquares: number;
  if (typeof index === "number") {
    sum = T[index]!;
    sumSquares = T[index * d + index]!;
  } else {
    sum = 0;
    sumSquares = 0;
    for (let r = 0; r < d; r++) {
      const ar = index[r]!;
      if (ar === 0) continue;
      sum += ar * T[r]!;
      for (let s = 0; s < d; s++) sumSquares += ar * T[r * d + s]! * index[s]!;
    }
  }
  const mean = sum / n;
  const ss = Math.max(sumSquares - sum * mean, 0);
  return {
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    rms: Math.sqrt(Math.max(sumSquares, 0) / n),
    sumSquares,
    sum,
  };
}

/**
 * The statistics of w = M v (M: d × d row-major, M's row 0 must keep the constant: e_0): every cell's
 * sum becomes M S M'.
 *
 * @param stats - the statistics of v
 * @param M - the map
 * @returns the statistics of w (same cells and levels)
 */
export function transformStatistics(stats: ModelStatistics, M: Float64Array): ModelStatistics {
  const { d } = stats;
  if (M.length !== d * d) throw new ArgumentError("M", `must hold ${d} × ${d} values`, M.length);
  return { ...stats, sums: mapCells(stats, M, d) };
}

/**
 * The statistics of w = M v for any M (rows × d row-major; w must keep the constant first): each
 * cell's sum becomes M S M', packed.
 *
 * @param stats - the statistics of v
 * @param M - the map
 * @param rows - the length of w
 * @returns the statistics of w (same cells and levels)
 */
export function mapStatistics(stats: ModelStatistics, M: Float64Array, rows: number): ModelStatistics {
  if (M.length !== rows * stats.d)
    throw new ArgumentError("M", `must hold ${rows} × ${stats.d} values`, M.length);
  return { ...stats, d: rows, sums: mapCells(stats, M, rows) };
}

/** Each cell's M S M' (M: rows × d row-major), packed. */
function mapCells(stats: ModelStatistics, M: Float64Array, rows: number): Float64Array {
  const { d, count, sums } = stats;
  const size = (d * (d + 1)) / 2;
  const outSize = (rows * (rows + 1)) / 2;
  const out = new Float64Array(count * outSize);
  const S = new Float64Array(d * d);
  const MS = new Float64Array(rows * d);
  // Non-zeros of each row of M (maps are sparse: selections and a few shifts).
  const nz: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const list: number[] = [];
    for (let j = 0; j < d; j++) if (M[r * d + j] !== 0) list.push(j);
    nz.push(list);
  }
  for (let c = 0; c < count; c++) {
    const base = c * size;
    for (let r = 0; r < d; r++)
      for (let s = 0; s <= r; s++) {
        const v = sums[base + packedIndex(r, s)]!;
        S[r * d + s] = v;
        S[s * d + r] = v;
      }
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (const k of nz[r]!) s += M[r * d + k]! * S[k * d + j]!;
        MS[r * d + j] = s;
      }
    let e = c * outSize;
    for (let r = 0; r < rows; r++)
      for (let s = 0; s <= r; s++) {
        let v = 0;
        for (const k of nz[s]!) v += MS[r * d + k]! * M[s * d + k]!;
        out[e++] = v;
      }
  }
  return out;
}

/** One random-effects block of `crossProductsFromStatistics`: the columns of v it takes per level. */
export interface StatisticsBlock {
  readonly m: number;
  /** Level of each cell. */
  readonly levels: Int32Array;
  /** Indices into v of the block's columns. */
  readonly columns: readonly number[];
}

/**
 * The blocked cross-products (src/blocked) of the blocks' columns, X and a response y* = a'v (a: d
 * values, e.g. y − X beta0), from the cells: what `crossProductsFromRows` gives on the rows.
 *
 * @param stats - the statistics
 * @param n - rows behind them
 * @param blocks - the random-effects blocks
 * @param xColumns - indices into v of X's columns
 * @param response - the response's coefficients on v
 * @returns the cross-products
 */
export function crossProductsFromStatistics(
  stats: ModelStatistics,
  n: number,
  blocks: readonly StatisticsBlock[],
  xColumns: readonly number[],
  response: Float64Array,
): CrossProducts {
  const { d } = stats;
  const columns = [...blocks.flatMap((b) => b.columns), ...xColumns];
  const rows = columns.length + 1;
  const M = new Float64Array(rows * d);
  columns.forEach((j, r) => {
    M[r * d + j] = 1;
  });
  M.set(response, columns.length * d);
  const cells: CellSums = {
    n,
    p: xColumns.length,
    q: blocks.map((b) => b.columns.length),
    m: blocks.map((b) => b.m),
    count: stats.count,
    levels: blocks.map((b) => b.levels),
    sums: mapCells(stats, M, rows),
  };
  return crossProductsFromCells(cells);
}

/**
 * Whether column `index` of v is 1 in every row: Σ v = Σ v² = n (then Σ (v − 1)² = 0; sums of
 * ones are exact).
 */
export function isOnes(stats: ModelStatistics, n: number, index: number): boolean {
  const T = statisticsTotals(stats);
  return T[index] === n && T[index * stats.d + index] === n;
}
