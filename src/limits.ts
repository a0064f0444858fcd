/**
 * Resource limits, checked before work starts: an array that could not be allocated, or that would
 * not fit in this machine's memory, is refused up front with its size in words — instead of a
 * `RangeError: Array buffer allocation failed` (or the system killing the process) minutes later.
 */
import { DataError, type LmmError } from "./errors";
import { checkStatistics, statisticsLayout, statisticsMoments } from "./model/stats";
import type { LmmModel } from "./model/types";

/** The most elements one typed array can have in JavaScript engines of today (V8: 2^32). */
export const MAX_ARRAY_LENGTH = 2 ** 32;

/** Share of the machine's memory that one run may plan to use. */
export const MEMORY_SHARE = 0.8;

/** A byte count in words: "1.5 GB", "320 MB", "12 kB" (decimal units). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const text = unit === 0 ? String(Math.round(value)) : value.toPrecision(value < 10 ? 2 : 3);
  return `${text} ${units[unit]}`;
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 0 });
}

/**
 * Refuses an allocation of `length` doubles when no typed array can hold it, or when `totalBytes`
 * (all the run will hold) exceeds MEMORY_SHARE of `memoryBytes` (the machine's memory, when known).
 *
 * @param length - elements of the largest single array
 * @param totalBytes - bytes of everything the run allocates
 * @param what - what is allocated, with how the size comes about ("4 chains × 5,000 draws × 6 parameters")
 * @param advice - what to change
 * @param error - makes the error to throw from its message (ArgumentError, DataError, ...)
 * @param memoryBytes - the machine's memory, if known
 */
export function checkAllocation(
  length: number,
  totalBytes: number,
  what: string,
  advice: string,
  error: (message: string) => LmmError,
  memoryBytes?: number,
): void {
  if (length > MAX_ARRAY_LENGTH)
    throw error(
      `${what} = ${formatCount(length)} numbers (${formatBytes(8 * length)}), more than one array can hold (${formatCount(MAX_ARRAY_LENGTH)}); ${advice}`,
    );
  if (memoryBytes !== undefined && memoryBytes > 0 && totalBytes > MEMORY_SHARE * memoryBytes)
    throw error(
      `${what} needs about ${formatBytes(totalBytes)} of memory, more than this machine has to give (${formatBytes(memoryBytes)} in all); ${advice}`,
    );
}

/*
 * The numbers a fit can compute with. Double precision holds magnitudes from about 2^-1022 to
 * 2^1024 with 53 bits; a fit forms sums of squares and cross-products of the data (X'X, y'y, Z'Z)
 * and variances, so the data's scales must stay where their squares — times the number of rows —
 * are still ordinary doubles, and the coefficients (y's scale over a column's) likewise.
 */

/** The largest scale whose square, summed over rows, stays below 2^1000: 2^500 / √n. */
const SCALE_MAX_LOG2 = 500;
/** The smallest scale (sd) whose square is an ordinary double with room to spare: 2^-500 ≈ 3.1e-151. */
const SCALE_MIN_LOG2 = -500;
/** The largest ratio of y's scale to a column's (either way): its square is a coefficient's variance. */
const RATIO_MAX_LOG2 = 500;
/**
 * A column's variation must span at least this many steps between neighbouring doubles at its
 * magnitude (its "ulp"): below it, the values were rounded to a grid as coarse as a 16th of their
 * sd when they were read (y + 1e17: steps of 16 for an sd of 56), and what is left is rounding.
 */
export const MIN_STEPS_PER_SD = 16;

/** max |v|, mean and sd (n − 1) of n values, computed with scaling so that nothing overflows. */
export function scaledMoments(
  n: number,
  get: (i: number) => number,
): { maxAbs: number; mean: number; sd: number } {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = get(i);
  return scaledMomentsOf(v, n);
}

/** `scaledMoments` of the first n values of an array (no callback per value). */
export function scaledMomentsOf(v: Float64Array, n: number): { maxAbs: number; mean: number; sd: number } {
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(v[i]!));
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs))
    return { maxAbs, mean: maxAbs === 0 ? 0 : Number.NaN, sd: 0 };
  // Scale by a power of two (exact) near maxAbs: every scaled value is in [-2, 2].
  const scale = 2 ** Math.floor(Math.log2(maxAbs));
  const [pre, inverse] = reciprocal(scale);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v[i]! * pre * inverse;
  let m = sum / n;
  let correction = 0;
  for (let i = 0; i < n; i++) correction += v[i]! * pre * inverse - m;
  m += correction / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i]! * pre * inverse - m;
    ss += d * d;
  }
  return { maxAbs, mean: m * scale, sd: n > 1 ? Math.sqrt(ss / (n - 1)) * scale : 0 };
}

/**
 * Division by a power of two s as two multiplications, x * pre * inverse, that round as x / s does:
 * both give the exact quotient rounded once. pre = 1 and inverse = 1/s when 1/s is a double
 * (s ≥ 2^-1023); below, pre = 2^1000 first makes x (then less than 2^-1022) a normal double,
 * exactly, and inverse = 2^-1000/s.
 */
function reciprocal(s: number): [pre: number, inverse: number] {
  const inverse = 1 / s;
  if (Number.isFinite(inverse)) return [1, inverse];
  return [2 ** 1000, 1 / (s * 2 ** 1000)];
}

/** The spacing of doubles at magnitude x (its unit in the last place). */
export function ulp(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return Number.MIN_VALUE;
  const e = Math.floor(Math.log2(a));
  return 2 ** Math.max(e - 52, -1074);
}

function sci(x: number): string {
  return x === 0 ? "0" : x.toPrecision(2).replace(/e\+?/, "e");
}

/** One column a fit computes with, for `checkComputable`. */
export interface ComputedColumn {
  /** How messages name it: "the response `y`", "the fixed-effects column `x`". */
  readonly label: string;
  /** The column's name (DataError.column). */
  readonly column: string;
  readonly n: number;
  /** Writes the column's n values into `out` (one loop, no call per value). */
  readonly fill: (out: Float64Array) => void;
  /** The response (compared with the columns' scales) or a design column. */
  readonly response: boolean;
}

/**
 * Refuses data that double precision cannot fit, with the reason in words:
 * - a column so large that its sum of squares overflows (largest |v| above 2^500 / √n), or so
 *   small that its variance underflows (sd, or |v| for a constant column, below 2^-500 ≈ 3e-151);
 * - a column whose coefficient would be out of range: y's sd over the column's more than 2^500 or
 *   less than 2^-500 (its prior and sampling variances are that ratio squared);
 * - a varying column (the response included) whose variation is below MIN_STEPS_PER_SD steps of
 *   the doubles at its magnitude: its digits were lost when it was read (y + 1e17).
 *
 * @param columns - the response first, then the design's columns
 * @param error - makes the error to throw from its message and column
 */
export function checkComputableColumns(
  columns: readonly ComputedColumn[],
  error: (message: string, column: string) => LmmError,
): void {
  let responseSd = Number.NaN;
  let values = new Float64Array(0);
  for (const c of columns) {
    // The column into a typed array, then its moments.
    if (values.length !== c.n) values = new Float64Array(c.n);
    c.fill(values);
    const { maxAbs, sd } = scaledMomentsOf(values, c.n);
    if (maxAbs === 0) continue; // an all-zero column: the design stage drops or refuses it
    const fail = (reason: string, advice: string): never => {
      throw error(`${c.label} ${reason}; ${advice}`, c.column);
    };
    if (Math.log2(maxAbs) + 0.5 * Math.log2(c.n) > SCALE_MAX_LOG2)
      fail(
        `has values up to ${sci(maxAbs)}, too large to compute with: their squares, summed over ${c.n} rows, overflow double precision`,
        "rescale it (divide it by a power of ten)",
      );
    const scale = sd > 0 ? sd : maxAbs;
    if (Math.log2(scale) < SCALE_MIN_LOG2)
      fail(
        `${sd > 0 ? `varies by too little to compute with (sd ${sci(sd)})` : `is too small to compute with (${sci(maxAbs)})`}: its variance underflows double precision`,
        "rescale it (multiply it by a power of ten)",
      );
    if (sd > 0 && sd < MIN_STEPS_PER_SD * ulp(maxAbs))
      fail(
        `varies by less than its values' precision: its sd (${sci(sd)}) spans ${sd / ulp(maxAbs) < 1 ? "less than one step" : `only ${Math.floor(sd / ulp(maxAbs))} steps`} of ${sci(ulp(maxAbs))} between neighbouring doubles at ${sci(maxAbs)}, so its digits were lost when it was read`,
        "subtract a constant near its mean before the data are read (in the source of the data)",
      );
    if (c.response) {
      responseSd = scale;
      continue;
    }
    if (!Number.isFinite(responseSd)) continue;
    const ratio = Math.log2(responseSd) - Math.log2(scale);
    if (Math.abs(ratio) > RATIO_MAX_LOG2)
      fail(
        `is on a scale ${ratio > 0 ? "too small" : "too large"} for the response's (sd ${sci(scale)} against ${sci(responseSd)}): its coefficient, about ${sci(2 ** ratio)}, squared, is out of double precision's range`,
        `rescale it (${ratio > 0 ? "multiply" : "divide"} it by a power of ten)`,
      );
  }
}

/**
 * `checkComputableColumns` for a model: its response (less the offset), X's columns and each random
 * term's columns.
 *
 * @throws DataError (INVALID_DATA) naming the column, with the reason and what to do
 * @example checkComputable(lmm("y ~ x + (1 | g)", { y: y.map((v) => v * 1e-300), x, g })) // throws: the response ... underflows
 */
export function checkComputable(model: LmmModel): void {
  // A model from sufficient statistics: its sums are checked (finite, consistent); the per-column
  // scale checks need the rows' largest values, which the sums do not keep.
  if (model.statistics !== undefined) {
    checkStatistics(model);
    return;
  }
  const { n, p, X, y, offset } = model;
  const columns: ComputedColumn[] = [
    {
      label: `invalid data. The response \`${model.response}\`${offset === null ? "" : " (less the offset)"}`,
      column: model.response,
      n,
      fill: (out) => {
        for (let i = 0; i < n; i++) out[i] = offset === null ? y[i]! : y[i]! - offset[i]!;
      },
      response: true,
    },
  ];
  for (let j = 0; j < p; j++)
    columns.push({
      label: `invalid data. The fixed-effects column \`${model.fixedNames[j]}\``,
      column: model.fixedNames[j]!,
      n,
      fill: (out) => {
        for (let i = 0; i < n; i++) out[i] = X[i * p + j]!;
      },
      response: false,
    });
  for (const term of model.terms)
    term.names.forEach((name, r) => {
      if (name === "(Intercept)") return;
      columns.push({
        label: `invalid data. The column \`${name}\` of the random term for \`${term.group}\``,
        column: name,
        n,
        fill: (out) => {
          const { values, q } = term;
          for (let i = 0; i < n; i++) out[i] = values[i * q + r]!;
        },
        response: false,
      });
    });
  checkComputableColumns(
    columns,
    (message, column) => new DataError("INVALID_DATA", `${message}.`, { column }),
  );
}

/**
 * Below this ratio of the residual sd to the response's, a fit has found no residual variation: REML
 * and ML drive sigma to the rounding level (about 1e-8 of y's sd, where theta stops growing) when
 * y is an exact function of the predictors, and data measured to 7 or more significant digits
 * beyond their own variation are not what a mixed model is for.
 */
export const MIN_RESIDUAL_SD_RATIO = 1e-6;

/**
 * Refuses a fit that reproduces the response exactly (y = 1 + 2x + 3g): it has no residual variance,
 * so the variance components it would report (sigma 2e-7, a group variance of 8e7) are rounding.
 *
 * @param model - the model fitted
 * @param sigma - the fit's residual standard deviation
 * @throws DataError (INVALID_DATA) naming the response
 */
export function checkResidualVariation(model: LmmModel, sigma: number): void {
  const { y, offset, n } = model;
  const { sd } =
    model.statistics !== undefined
      ? statisticsMoments(model.statistics, n, statisticsLayout(model.terms, model.p).yIndex)
      : scaledMoments(n, offset === null ? (i) => y[i]! : (i) => y[i]! - offset[i]!);
  if (sd > 0 && sigma < MIN_RESIDUAL_SD_RATIO * sd)
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The model fits the response \`${model.response}\` exactly, or to within rounding: the residual sd would be ${sci(sigma)}, ${sci(sigma / sd)} of the response's (${sci(sd)}), so there is no residual variation to estimate the variance components from. Is \`${model.response}\` computed from the predictors?`,
      { column: model.response },
    );
}

/**
 * The residual sd of the response (less the offset) after least squares on X alone, relative to
 * the response's sd: modified Gram–Schmidt, re-orthogonalized when a projection cancels (Daniel,
 * Gragg, Kaufman & Stewart's test: the norm falls below 1/√2 of what it was; one more pass is then
 * accurate to rounding), O(n p²), the basis in one n × p column-major array. 0 when X reproduces the
 * response exactly.
 */
export function fixedEffectsResidualRatio(model: LmmModel): number {
  const { n, p, X, y, offset } = model;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = offset === null ? y[i]! : y[i]! - offset[i]!;
  const { sd } = scaledMomentsOf(r, n);
  if (!(sd > 0)) return Number.NaN;
  // X's columns, read in one pass over its rows (X is row-major).
  const columns = new Float64Array(n * p); // column j: columns[j * n .. j * n + n)
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) columns[j * n + i] = X[i * p + j]!;
  const basis = new Float64Array(n * p); // column t: basis[t * n .. t * n + n)
  let k = 0;
  for (let j = 0; j < p; j++) {
    const v = columns.subarray(j * n, j * n + n);
    const before = scaledNorm(v, maxAbs(v));
    const after = orthogonalize(basis, k, v, before);
    if (!(after > 1e-10 * before)) continue; // aliased: adds nothing
    const o = k * n;
    for (let i = 0; i < n; i++) basis[o + i] = v[i]! / after;
    k++;
  }
  const rss = orthogonalize(basis, k, r, scaledNorm(r, maxAbs(r)));
  return rss / Math.sqrt(Math.max(1, n - k)) / sd;
}

/**
 * Projects v off the first k orthonormal columns of basis, again if the first pass cancelled most
 * of it (its norm below 1/√2 of `norm`, v's norm before): returns v's norm after.
 */
function orthogonalize(basis: Float64Array, k: number, v: Float64Array, norm: number): number {
  if (k === 0) return norm;
  const once = scaledNorm(v, project(basis, k, v));
  if (once >= Math.SQRT1_2 * norm) return once;
  return scaledNorm(v, project(basis, k, v));
}

/**
 * v less its projection on the first k ≥ 1 orthonormal columns of basis (modified Gram–Schmidt, one
 * pass): returns max |v| after. Column t's update of v and the dot product with column t + 1 (of
 * the updated v) share one pass over the rows — the same operations in the same order as a pass for
 * each.
 */
function project(basis: Float64Array, k: number, v: Float64Array): number {
  const n = v.length;
  let d = 0;
  for (let i = 0; i < n; i++) d += basis[i]! * v[i]!;
  for (let t = 0; t + 1 < k; t++) {
    const o = t * n;
    const next = o + n;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i]! - d * basis[o + i]!;
      v[i] = x;
      e += basis[next + i]! * x;
    }
    d = e;
  }
  const o = (k - 1) * n;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]! - d * basis[o + i]!;
    v[i] = x;
    m = Math.max(m, Math.abs(x));
  }
  return m;
}

/** max |v| (NaN if v holds one). */
function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

/** The Euclidean norm of v, whose max |v| is m, scaled by a power of two so that nothing overflows. */
function scaledNorm(v: Float64Array, m: number): number {
  const n = v.length;
  const s = m > 0 && Number.isFinite(m) ? 2 ** Math.floor(Math.log2(m)) : 1;
  const [pre, inverse] = reciprocal(s); // v[i] * pre * inverse = v[i] / s, rounded alike
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const t = v[i]! * pre * inverse;
    ss += t * t;
  }
  return Math.sqrt(ss) * s;
}

/**
 * Refuses a response the fixed effects alone reproduce exactly (y − offset a linear combination of
 * X's columns to within rounding): no residual variance, no random-effect variance to estimate.
 *
 * @throws DataError (INVALID_DATA) naming the response
 */
export function checkNotFittedByFixedEffects(model: LmmModel): void {
  // O(n p²): for wide designs the fit's own check (checkResidualVariation) has to do; so it does for
  // a model from sufficient statistics (this check's accuracy needs the rows).
  if (model.n * model.p * model.p > 2e8 || model.statistics !== undefined) return;
  const ratio = fixedEffectsResidualRatio(model);
  if (ratio < MIN_RESIDUAL_SD_RATIO)
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The fixed effects reproduce the response \`${model.response}\`${model.offset === null ? "" : " (less the offset)"} exactly, or to within rounding (residual sd ${sci(ratio)} of its sd): there is no variation left for the random effects and the residual; is \`${model.response}\` computed from the predictors${model.offset === null ? "" : ", or swamped by the offset"}?`,
      { column: model.response },
    );
}
