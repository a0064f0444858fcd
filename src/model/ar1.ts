/**
 * AR(1) residuals within groups ordered by time (nlme's `corAR1(form = ~ time | group)`): the math
 * the REML/ML fit (src/reml/ar1.ts) and the Gibbs sampler share.
 *
 *     y = X beta + Z b + offset + e,   e ~ N(0, sigma2 R(phi)),   R_st = phi^|t_s − t_t| within a group, 0 across
 *
 * **nlme's semantics** (read from nlme 3.1's `Initialize.corAR1`, `Initialize.corARMA`,
 * `getCovariate.corStruct` and `corFactor.corARMA`, and checked by fits in test/reml/ar1.test.ts):
 * - `corAR1(form = ~ time | g)` takes each group's time values in the data's row order. When every
 *   difference between consecutive rows of a group is exactly 1 it is the AR(1) of positions; when
 *   not (a gap in time, or rows not sorted by time), nlme turns it into `corARMA(p = 1, q = 0)`,
 *   whose correlation of two rows is phi^|t_s − t_t| with the times truncated to integers
 *   (`as.integer`). Both are the stationary AR(1) of the integer time axis observed at the rows'
 *   times: **gaps count** (a lag of 2 correlates phi²), and **row order does not matter** (the
 *   correlation depends on the times only, so sorting by time changes nothing).
 * - Times must be unique within a group (nlme stops: "covariate must have unique values within
 *   groups"); we refuse that too (DataError naming the group and the time). nlme truncates
 *   non-integer times in the corARMA case, which makes distinct times collide; we refuse
 *   non-integer times instead (DataError naming the row).
 * - `~ 1 | g` (time `"1"` here) uses each group's rows in the data's order, positions 1, 2, ...:
 *   every lag is 1.
 * - lme takes the correlation's groups nested in the random effects' groups; we require every AR
 *   group's rows to share one level of each random-effects term's factor, so a whitened row stays in
 *   the cell (src/model/stats.ts) of its group.
 *
 * **Chains.** `Ar1.order` lists the model's rows group by group (the group column's levels in R's
 * order), time increasing within a group; `Ar1.lags[j]` is the time from the previous row of the
 * chain to row `order[j]` (>= 1), 0 where a chain starts.
 *
 * **Whitening.** With a = phi^lag and s = sqrt(1 − a²), the whitened value at a position with lag > 0
 * is (x_t − a x_prev) / s, and x_t at a chain start. Writing L for this map, L R(phi) L' = I, so
 * x' R⁻¹ x = Σ (whitened x)² and the model whitened by L has iid residuals (the AR(1) innovation
 * form; an AR(1) observed at integer times with gaps is a Markov chain with the one-step
 * coefficient phi^lag and innovation variance 1 − phi^(2 lag)).
 *
 * **Log determinant.** log det R(phi) = Σ over positions with lag > 0 of log(1 − phi^(2 lag)).
 *
 * **Cross-products without rows per phi.** For the per-row vectors v of the statistics layout
 * (1, z of each term, x, y − offset; src/model/stats.ts), per cell of the terms' levels:
 *
 *     S_start    = Σ_{chain starts} v v'
 *     S_cur,k    = Σ_{lag k} v_t v_t'
 *     S_cross,k  = Σ_{lag k} (v_t v_prev' + v_prev v_t')
 *     S_prev,k   = Σ_{lag k} v_prev v_prev'
 *
 * and then, a_k = phi^k, the whitened Σ ṽ ṽ' = S_start + Σ_k (S_cur,k − a_k S_cross,k + a_k² S_prev,k) / (1 − a_k²).
 * Note that the leading 1 of v is whitened too: the first entry of a whitened cell is Σ (whitened 1)²,
 * not the cell's row count.
 *
 * Reference: Pinheiro & Bates (2000) Mixed-Effects Models in S and S-PLUS, §5.3.1 (corAR1, corARMA);
 * Box, Jenkins & Reinsel, Time Series Analysis, ch. 3 (the AR(1) process).
 */
import type { FrameVariable } from "../data/frame";
import { asFactor } from "../data/frame";
import { ArgumentError, DataError } from "../errors";
import { cellsOfRows, statisticsLayout, statisticsRow } from "./stats";
import type { Ar1, LmmModel, ModelStatistics, RandomEffectsTerm } from "./types";

export type { Ar1 } from "./types";

/** The time name that means the rows' order within a group (nlme's `corAR1(form = ~ 1 | g)`). */
export const AR1_POSITION_TIME = "1";

/**
 * Builds the chains of an AR(1) residual model from the frame's columns, with nlme's checks.
 *
 * @param time - the time column's name, or `"1"` for positions in the data's order
 * @param group - the grouping column's name
 * @param timeVariable - the time column's frame variable (ignored for `"1"`)
 * @param groupVariable - the grouping column's frame variable
 * @param terms - the model's random-effects terms (the groups must be nested in each term's factor)
 * @param rows - each used row's index in the data (for the 1-based row numbers of errors)
 * @returns the chains
 * @throws DataError (INVALID_DATA) naming the column, group, time or row: a time column that is not
 *   numeric or not integer-valued, a time repeated within a group, a group not nested in a term's
 *   factor
 */
export function ar1Chains(
  time: string,
  group: string,
  timeVariable: FrameVariable | undefined,
  groupVariable: FrameVariable | undefined,
  terms: readonly RandomEffectsTerm[],
  rows: Int32Array,
): Ar1 {
  const n = rows.length;
  if (groupVariable === undefined)
    throw new DataError(
      "UNKNOWN_COLUMN",
      `invalid data. The AR(1) group column \`${group}\` is not in the data.`,
      {
        column: group,
      },
    );
  if (groupVariable.type === "matrix")
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The AR(1) group column \`${group}\` must be one column (a factor or numeric codes).`,
      { column: group },
    );
  const factor = asFactor(groupVariable);
  const positions = time === AR1_POSITION_TIME;
  let times: Float64Array;
  if (positions) times = Float64Array.from({ length: n }, (_, i) => i);
  else {
    if (timeVariable === undefined)
      throw new DataError(
        "UNKNOWN_COLUMN",
        `invalid data. The AR(1) time column \`${time}\` is not in the data.`,
        {
          column: time,
        },
      );
    if (timeVariable.type !== "numeric")
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The AR(1) time column \`${time}\` must be numeric (integer times, e.g. days or visit numbers).`,
        { column: time },
      );
    times = timeVariable.values;
    for (let i = 0; i < n; i++)
      if (!Number.isInteger(times[i]!) || Math.abs(times[i]!) > 2 ** 31 - 1)
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The AR(1) time column \`${time}\` must hold integers (nlme's corAR1/corARMA use integer lags); row ${rows[i]! + 1} holds ${times[i]}.`,
          { column: time, row: rows[i]! + 1 },
        );
  }
  // Rows by group (level order), then time; a stable sort keeps the data's order for positions.
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => factor.codes[i]! - factor.codes[j]! || times[i]! - times[j]! || i - j,
  );
  const lags = new Int32Array(n);
  let chains = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    const prev = j > 0 ? order[j - 1]! : -1;
    if (prev < 0 || factor.codes[prev] !== factor.codes[i]) {
      chains++;
      lags[j] = 0;
      continue;
    }
    if (positions) {
      lags[j] = 1;
      continue;
    }
    const lag = times[i]! - times[prev]!;
    if (lag === 0)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The AR(1) time column \`${time}\` must have unique values within each group (as nlme's corAR1 requires): group ${factor.levels[factor.codes[i]!]} has time ${times[i]} in rows ${rows[prev]! + 1} and ${rows[i]! + 1}.`,
        { column: time, row: rows[i]! + 1 },
      );
    if (lag > 2 ** 31 - 1)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The AR(1) time column \`${time}\` has a gap of ${lag} within group ${factor.levels[factor.codes[i]!]} (row ${rows[i]! + 1}); the largest lag is 2^31 − 1.`,
        { column: time, row: rows[i]! + 1 },
      );
    lags[j] = lag;
  }
  // Each chain inside one level of every term's factor (nlme: the correlation's groups nested in the
  // random effects' groups), so whitening keeps a row in its cell.
  for (let j = 1; j < n; j++) {
    if (lags[j] === 0) continue;
    const i = order[j]!;
    const prev = order[j - 1]!;
    for (const term of terms)
      if (term.refs[i] !== term.refs[prev])
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The AR(1) group \`${group}\` must be nested in the random-effects factor \`${term.group}\`: group ${factor.levels[factor.codes[i]!]} has rows in ${term.group} levels ${term.levels[term.refs[prev]!]} (row ${rows[prev]! + 1}) and ${term.levels[term.refs[i]!]} (row ${rows[i]! + 1}).`,
          { column: group, row: rows[i]! + 1 },
        );
  }
  return { time, group, chains, order, lags };
}

/** Checks phi: a finite number in (−1, 1). */
function checkPhi(phi: number): void {
  if (typeof phi !== "number" || !(phi > -1 && phi < 1))
    throw new ArgumentError("phi", "must be a number in (-1, 1) (the AR(1) correlation at lag 1)", phi);
}

/**
 * log det R(phi) = Σ over positions with lag > 0 of log(1 − phi^(2 lag)).
 *
 * @param ar1 - the chains
 * @param phi - the lag-1 correlation, in (−1, 1)
 * @returns the log determinant (≤ 0)
 * @throws ArgumentError for phi outside (−1, 1)
 * @example ar1LogDeterminant(model.ar1, 0.5) // 9 log(0.75) per chain of 10 consecutive times
 */
export function ar1LogDeterminant(ar1: Ar1, phi: number): number {
  checkPhi(phi);
  let sum = 0;
  for (const lag of ar1.lags) if (lag > 0) sum += Math.log1p(-(phi ** (2 * lag)));
  return sum;
}

/**
 * Whitens one column of the model's rows: out[t] = (x_t − a x_prev) / sqrt(1 − a²), a = phi^lag, at
 * a position with a previous row in its chain; out[t] = x_t at a chain start. Then
 * x' R(phi)⁻¹ x = Σ out².
 *
 * @param ar1 - the chains
 * @param phi - the lag-1 correlation, in (−1, 1)
 * @param column - one value per model row (model row order), length n
 * @param out - the whitened values by model row, length n (may not be `column`)
 * @returns `out`
 * @throws ArgumentError for phi outside (−1, 1), wrong lengths or out === column
 */
export function ar1Whiten(ar1: Ar1, phi: number, column: Float64Array, out: Float64Array): Float64Array {
  checkPhi(phi);
  const n = ar1.order.length;
  if (column.length !== n)
    throw new ArgumentError("column", `must hold one value per model row (${n})`, column.length);
  if (out.length !== n)
    throw new ArgumentError("out", `must hold one value per model row (${n})`, out.length);
  if (out === column) throw new ArgumentError("out", "must not be the column itself", "column");
  for (let j = 0; j < n; j++) {
    const i = ar1.order[j]!;
    const lag = ar1.lags[j]!;
    if (lag === 0) out[i] = column[i]!;
    else {
      const a = phi ** lag;
      out[i] = (column[i]! - a * column[ar1.order[j - 1]!]!) / Math.sqrt(1 - a * a);
    }
  }
  return out;
}

/** The phi-free parts of the whitened cross-products (see the file comment), in the statistics' cell layout. */
export interface Ar1Statistics {
  /** Σ v v' over chain starts. */
  readonly start: ModelStatistics;
  /** The distinct lags k, increasing. */
  readonly lags: Int32Array;
  /** Per lag k: Σ v_t v_t' over positions with lag k. */
  readonly current: readonly ModelStatistics[];
  /** Per lag k: Σ (v_t v_prev' + v_prev v_t') over positions with lag k. */
  readonly cross: readonly ModelStatistics[];
  /** Per lag k: Σ v_prev v_prev' over positions with lag k. */
  readonly previous: readonly ModelStatistics[];
}

/**
 * The phi-free statistics of a model with AR(1) residuals: per cell of the terms' levels (cells in
 * order of first appearance, as `statisticsOfRows` makes them), S_start and per lag S_cur, S_cross,
 * S_prev. Cost O(n d²) once; then `ar1WhitenedStatistics` gives the whitened sums for any phi in
 * O(cells × lags × d²).
 *
 * @param model - a model with rows and `ar1`
 * @returns the statistics
 * @throws ArgumentError for a model without `ar1` or without rows
 */
export function ar1Statistics(model: LmmModel): Ar1Statistics {
  const ar1 = model.ar1;
  if (ar1 === undefined || ar1 === null)
    throw new ArgumentError(
      "model",
      "must have AR(1) residuals (lmm(..., { ar1: { time, group } }))",
      model.formula,
    );
  if (model.statistics !== undefined)
    throw new ArgumentError(
      "model",
      "must carry its rows (AR(1) statistics are built from rows)",
      model.formula,
    );
  const { n, p, terms } = model;
  const layout = statisticsLayout(terms, p);
  const d = layout.d;
  const size = (d * (d + 1)) / 2;
  // Cells as statisticsOfRows numbers them: by the tuple of levels, in order of first appearance.
  const { cells, count, levels } = cellsOfRows(terms, n);
  const distinct = Int32Array.from(new Set(Array.from(ar1.lags).filter((l) => l > 0))).sort();
  const lagIndex = new Map<number, number>();
  distinct.forEach((k, j) => {
    lagIndex.set(k, j);
  });
  const make = (): ModelStatistics => ({ d, count, levels, sums: new Float64Array(count * size) });
  const start = make();
  const current = Array.from(distinct, make);
  const cross = Array.from(distinct, make);
  const previous = Array.from(distinct, make);
  const vt = new Float64Array(d);
  const vp = new Float64Array(d);
  for (let j = 0; j < n; j++) {
    const i = ar1.order[j]!;
    const base = cells[i]! * size;
    statisticsRow(model, layout, i, vt);
    const lag = ar1.lags[j]!;
    if (lag === 0) {
      addOuter(start.sums, base, vt, vt, d);
      continue;
    }
    const k = lagIndex.get(lag)!;
    statisticsRow(model, layout, ar1.order[j - 1]!, vp);
    addOuter(current[k]!.sums, base, vt, vt, d);
    addOuter(previous[k]!.sums, base, vp, vp, d);
    const s = cross[k]!.sums;
    let e = base;
    for (let r = 0; r < d; r++) for (let c = 0; c <= r; c++) s[e++]! += vt[r]! * vp[c]! + vp[r]! * vt[c]!;
  }
  return { start, lags: distinct, current, cross, previous };
}

/** sums[base + packed(r, c)] += u_r w_c for r ≥ c (u = w: Σ v v'). */
function addOuter(sums: Float64Array, base: number, u: Float64Array, w: Float64Array, d: number): void {
  let e = base;
  for (let r = 0; r < d; r++) {
    const ur = u[r]!;
    for (let c = 0; c <= r; c++) sums[e++]! += ur * w[c]!;
  }
}

/** The coefficients of the whitened cross-products per lag: Σ ṽ ṽ' = S_start + Σ_k (current_k S_cur,k + cross_k S_cross,k + previous_k S_prev,k). */
export interface Ar1Coefficients {
  /** 1 / (1 − a_k²), a_k = phi^k. */
  readonly current: Float64Array;
  /** −a_k / (1 − a_k²). */
  readonly cross: Float64Array;
  /** a_k² / (1 − a_k²). */
  readonly previous: Float64Array;
}

/**
 * The coefficients of each lag's statistics in the whitened cross-products at phi.
 *
 * @param lags - the distinct lags (`Ar1Statistics.lags`)
 * @param phi - the lag-1 correlation, in (−1, 1)
 * @returns the coefficients per lag
 * @throws ArgumentError for phi outside (−1, 1)
 * @example ar1Coefficients(Int32Array.of(1), 0.5) // current [4/3], cross [-2/3], previous [1/3]
 */
export function ar1Coefficients(lags: Int32Array, phi: number): Ar1Coefficients {
  checkPhi(phi);
  const L = lags.length;
  const current = new Float64Array(L);
  const cross = new Float64Array(L);
  const previous = new Float64Array(L);
  for (let j = 0; j < L; j++) {
    const a = phi ** lags[j]!;
    const inv = 1 / (1 - a * a);
    current[j] = inv;
    cross[j] = -a * inv;
    previous[j] = a * a * inv;
  }
  return { current, cross, previous };
}

/**
 * The whitened cross-products at phi: per cell, S_start + Σ_k (S_cur,k − a_k S_cross,k + a_k² S_prev,k) / (1 − a_k²)
 * — the statistics (src/model/stats.ts) of the whitened rows, without a pass over rows. The first
 * entry of a cell is Σ (whitened 1)², not its row count.
 *
 * @param statistics - `ar1Statistics(model)`
 * @param phi - the lag-1 correlation, in (−1, 1)
 * @param out - optional sums to overwrite (length count × d (d + 1) / 2)
 * @returns the whitened statistics (sharing `levels` with `statistics.start`)
 * @throws ArgumentError for phi outside (−1, 1) or an out of the wrong length
 */
export function ar1WhitenedStatistics(
  statistics: Ar1Statistics,
  phi: number,
  out?: Float64Array,
): ModelStatistics {
  const coef = ar1Coefficients(statistics.lags, phi);
  const { d, count, levels } = statistics.start;
  const total = statistics.start.sums.length;
  const sums = out ?? new Float64Array(total);
  if (sums.length !== total) throw new ArgumentError("out", `must hold ${total} values`, sums.length);
  sums.set(statistics.start.sums);
  for (let k = 0; k < statistics.lags.length; k++) {
    const cur = statistics.current[k]!.sums;
    const cr = statistics.cross[k]!.sums;
    const pr = statistics.previous[k]!.sums;
    const a = coef.current[k]!;
    const b = coef.cross[k]!;
    const c = coef.previous[k]!;
    for (let e = 0; e < total; e++) sums[e]! += a * cur[e]! + b * cr[e]! + c * pr[e]!;
  }
  return { d, count, levels, sums };
}
