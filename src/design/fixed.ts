/**
 * The fixed-effects design matrix X: R's `model.matrix` of the formula's fixed part on the model
 * frame (./columns.ts), then lme4's rank check (./rank.ts): aliased columns are dropped, with a
 * warning naming them.
 *
 * The rank check runs on the distinct rows of X, each weighted by the square root of its count: that
 * matrix has the same X'X, hence the same R factor and the same aliased columns, and a design of
 * factors has few distinct rows however many it has in all (InstEval: 73,421 rows, 2 distinct). X has
 * at most `MAX_FIXED_COLUMNS` columns and `MAX_FIXED_ENTRIES` numbers: more is refused before anything
 * is built (a factor with thousands of levels belongs in a random-effects term; X would hold n p
 * numbers, the rank check and every REML evaluation cost p³).
 */
import { DataError } from "../errors";
import type { FormulaSpec } from "../formula/types";
import { checkObjectArgument } from "../validate";
import { type ColumnPart, type DesignColumn, designColumns, fillColumns } from "./columns";
import type { ModelFrame } from "./frame";
import { aliasedColumns, aliasedColumnsFromCrossproducts } from "./rank";

/** lme4's tolerance for `chkRank.drop.cols` (`lmerControl()$checkControl`), relative to a column's norm. */
export const RANK_TOLERANCE = 1e-7;

/** The most fixed-effect columns a model may have (before aliased ones are dropped). */
export const MAX_FIXED_COLUMNS = 1000;

/** The most numbers X may hold (rows × columns): 400 MB. */
export const MAX_FIXED_ENTRIES = 5e7;

/** The largest QR of the distinct rows (rows × columns²) the rank check does; larger goes through X'X. */
export const QR_BUDGET = 5e7;

/** X and what was dropped from it. */
export interface FixedDesign {
  /** Rows. */
  readonly n: number;
  /** Columns kept. */
  readonly p: number;
  /** n × p, row-major. */
  readonly X: Float64Array;
  /** Names of the kept columns, in order. */
  readonly names: readonly string[];
  /** Names of the columns dropped as linear combinations of earlier ones. */
  readonly aliased: readonly string[];
  /** A warning when columns were dropped (lme4's message), else empty. */
  readonly warnings: readonly string[];
}

/**
 * Builds the fixed-effects design matrix.
 *
 * @param spec - the formula's meaning (`intercept`, `fixed` are read).
 * @param frame - the model frame.
 * @returns X (row-major), its column names, the aliased columns dropped and a warning about them.
 * @throws DataError when a factor coded by treatment contrasts has a single level.
 * @example
 * // y ~ x on x = [1, 2, 3]
 * fixedDesign(spec, frame).X // Float64Array [1, 1, 1, 2, 1, 3], names ["(Intercept)", "x"]
 */
export function fixedDesign(
  spec: Pick<FormulaSpec, "intercept" | "fixed"> & Partial<Pick<FormulaSpec, "expressions">>,
  frame: ModelFrame,
): FixedDesign {
  checkObjectArgument(spec, "spec", "a FormulaSpec from formulaSpec(text)", ["intercept", "fixed"]);
  checkObjectArgument(frame, "frame", "a ModelFrame from modelFrame(spec, data)", ["n", "variables"]);
  const n = frame.n;
  const columns = designColumns(spec.intercept, spec.fixed, frame, "the fixed effects", spec.expressions);
  const full = columns.length;
  if (full > MAX_FIXED_COLUMNS || n * full > MAX_FIXED_ENTRIES) throw tooManyColumns(n, columns, frame);
  const aliased = aliasedOf(n, columns, frame, spec);
  const kept = columns.filter((_, c) => aliased[c] === 0);
  const dropped = columns.filter((_, c) => aliased[c] === 1).map((c) => c.name);
  const p = kept.length;
  const X = new Float64Array(n * p);
  fillColumns(n, kept, X, p, 0);
  const warnings =
    dropped.length === 0
      ? []
      : [
          `fixed-effect model matrix is rank deficient so dropping ${dropped.length} column${dropped.length === 1 ? "" : "s"} / coefficient${dropped.length === 1 ? "" : "s"}: ${dropped.map((d) => `\`${d}\``).join(", ")}`,
        ];
  return { n, p, X, names: kept.map((c) => c.name), aliased: dropped, warnings };
}

/**
 * The distinct rows of X (the first row of each) and how often each occurs: rows are told apart by the
 * values of the variables the fixed terms use (X's row is a function of them).
 */
function distinctRows(
  n: number,
  frame: ModelFrame,
  spec: Pick<FormulaSpec, "fixed">,
): { rows: Int32Array; counts: number[] } {
  const names = [...new Set(spec.fixed.flatMap((t) => t.variables))];
  const parts = names.map((name) => {
    const v = frame.variables.get(name)!;
    return v.type === "numeric" ? [v.values] : v.type === "matrix" ? v.columns : [Float64Array.from(v.codes)];
  });
  const first = new Int32Array(n);
  const counts: number[] = [];
  const flat = parts.flat();
  const radix = integerRadix(flat, n);
  // Integer values (factor codes): a row's values as one number, digit c of base radix[c] being
  // values[c][i] − min — one-to-one, as the text keys of other values are.
  const keyOf =
    radix === null
      ? (i: number): string => {
          let key = "";
          for (const values of flat) key += `${values[i]!},`;
          return key;
        }
      : (i: number): number => {
          let key = 0;
          for (let c = 0; c < flat.length; c++) key = key * radix.base[c]! + (flat[c]![i]! - radix.min[c]!);
          return key;
        };
  const index = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    let k = index.get(key);
    if (k === undefined) {
      k = counts.length;
      index.set(key, k);
      counts.push(0);
      first[k] = i;
    }
    counts[k]! += 1;
  }
  return { rows: first.slice(0, counts.length), counts };
}

/**
 * When every column holds integers and the product of their ranges is below 2^53: each column's
 * minimum and range (max − min + 1), so that a row's values make one exact integer key. Else null.
 */
function integerRadix(
  columns: readonly Float64Array[],
  n: number,
): { min: Float64Array; base: Float64Array } | null {
  const min = new Float64Array(columns.length);
  const base = new Float64Array(columns.length);
  let product = 1;
  for (let c = 0; c < columns.length; c++) {
    const values = columns[c]!;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v)) return null;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[c] = lo;
    base[c] = n === 0 ? 1 : hi - lo + 1;
    product *= base[c]!;
    if (!(product < 2 ** 53)) return null;
  }
  return { min, base };
}

/**
 * lme4's rank check: the QR of the distinct rows (R's own computation) when that costs at most
 * `QR_BUDGET` multiply-adds, else the same rule on X'X formed from each distinct row's non-zeros.
 */
function aliasedOf(
  n: number,
  columns: readonly DesignColumn[],
  frame: ModelFrame,
  spec: Pick<FormulaSpec, "fixed">,
): Uint8Array {
  const { rows, counts } = distinctRows(n, frame, spec);
  const m = rows.length;
  const p = columns.length;
  const subset = subsetColumns(columns, rows);
  if (m * p * p <= QR_BUDGET) {
    const work = new Float64Array(m * p);
    for (let c = 0; c < p; c++) fillColumns(m, [subset[c]!], work, 1, c * m);
    for (let c = 0; c < p; c++)
      for (let k = 0; k < m; k++) work[c * m + k] = work[c * m + k]! * Math.sqrt(counts[k]!);
    return aliasedColumns(m, p, work, RANK_TOLERANCE);
  }
  // X'X from the non-zeros of each distinct row, in blocks of rows (X is never held whole).
  const G = new Float64Array(p * p);
  const nonzero = new Int32Array(p);
  const BLOCK = 256;
  const block = new Float64Array(BLOCK * p);
  for (let k0 = 0; k0 < m; k0 += BLOCK) {
    const k1 = Math.min(m, k0 + BLOCK);
    fillColumns(
      k1 - k0,
      subsetColumns(
        subset,
        Int32Array.from({ length: k1 - k0 }, (_, i) => k0 + i),
      ),
      block,
      p,
      0,
    );
    for (let k = k0; k < k1; k++) {
      const base = (k - k0) * p;
      let nnz = 0;
      for (let c = 0; c < p; c++) if (block[base + c] !== 0) nonzero[nnz++] = c;
      const w = counts[k]!;
      for (let a = 0; a < nnz; a++) {
        const ca = nonzero[a]!;
        const va = w * block[base + ca]!;
        const row = ca * p;
        for (let b = 0; b <= a; b++) {
          const cb = nonzero[b]!;
          G[row + cb] = G[row + cb]! + va * block[base + cb]!;
        }
      }
    }
  }
  return aliasedColumnsFromCrossproducts(p, G, RANK_TOLERANCE);
}

/** The columns restricted to some rows (each array copied once). */
function subsetColumns(columns: readonly DesignColumn[], rows: Int32Array): DesignColumn[] {
  const numbers = new Map<Float64Array, Float64Array>();
  const codes = new Map<Int32Array, Int32Array>();
  const ofNumbers = (a: Float64Array): Float64Array => {
    let b = numbers.get(a);
    if (b === undefined) {
      b = Float64Array.from(rows, (i) => a[i]!);
      numbers.set(a, b);
    }
    return b;
  };
  const ofCodes = (a: Int32Array): Int32Array => {
    let b = codes.get(a);
    if (b === undefined) {
      b = Int32Array.from(rows, (i) => a[i]!);
      codes.set(a, b);
    }
    return b;
  };
  return columns.map((c) => ({
    ...c,
    parts: c.parts.map(
      (part): ColumnPart =>
        part.type === "numeric"
          ? { type: "numeric", values: ofNumbers(part.values) }
          : part.type === "indicator"
            ? { type: "indicator", codes: ofCodes(part.codes), level: part.level }
            : { type: "contrast", codes: ofCodes(part.codes), weights: part.weights },
    ),
  }));
}

/** The error for a design with more than MAX_FIXED_COLUMNS columns, naming the term that makes most. */
function tooManyColumns(n: number, columns: readonly DesignColumn[], frame: ModelFrame): DataError {
  const byTerm = new Map<string, number>();
  for (const c of columns) byTerm.set(c.term, (byTerm.get(c.term) ?? 0) + 1);
  const [term, count] = [...byTerm].sort((a, b) => b[1] - a[1])[0]!;
  const factors = term
    .split(":")
    .map((v) => frame.variables.get(v))
    .filter((v) => v !== undefined && v.type === "factor")
    .map(
      (v) =>
        `\`${v!.name}\` has ${(v as { levels: readonly string[] }).levels.length.toLocaleString("en-US")} levels`,
    );
  const fmt = (x: number): string => x.toLocaleString("en-US");
  const limit =
    columns.length > MAX_FIXED_COLUMNS
      ? `at most ${fmt(MAX_FIXED_COLUMNS)} are supported`
      : `with ${fmt(n)} rows that is ${fmt(n * columns.length)} numbers, more than the ${fmt(MAX_FIXED_ENTRIES)} supported`;
  return new DataError(
    "INVALID_DATA",
    `invalid data. The fixed effects would have ${fmt(columns.length)} columns (the term \`${term}\` alone ${fmt(count)}${factors.length > 0 ? `: ${factors.join(", ")}` : ""}); ${limit}. A factor with this many levels is usually a grouping factor: model it as a random effect, e.g. (1 | ${term.split(":")[0]}).`,
    { column: term },
  );
}
