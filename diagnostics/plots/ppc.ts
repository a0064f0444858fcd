/**
 * Posterior predictive checks (Gelman, Meng & Stern 1996; Gabry, Simpson, Vehtari, Betancourt &
 * Gelman 2019), the numbers behind the pictures of ./ppc-*.ts (bayesplot's `ppc_*`): the observed
 * response y against replicated data sets y_rep (one per posterior draw, `posteriorPredict`), test
 * statistics T(y) against T(y_rep) with the posterior predictive p-value Pr(T(y_rep) ≥ T(y)), per
 * group too, and per-row predictive intervals.
 *
 * @see Gabry et al. (2019) Visualization in Bayesian workflow, JRSS A 182(2):389–402,
 *   doi:10.1111/rssa.12378; Gelman, Meng & Stern (1996) Statistica Sinica 6:733–807.
 */

import { ArgumentError } from "../../src/errors";
import type { LmmModel } from "../../src/model/types";
import type { PredictiveDraws } from "../../src/predict/posterior";
import { checkModelArgument, checkStringArgument, isNumberArray } from "../../src/validate";
import { quantileOfSorted } from "../statistics";

/** A test statistic: a name and a function of one data set. */
export interface TestStatistic {
  readonly name: string;
  readonly fn: (y: Float64Array) => number;
}

/** The built-in statistics, by name. */
export const STATISTICS: Readonly<Record<string, (y: Float64Array) => number>> = {
  mean: (y) => {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i]!;
    return s / y.length;
  },
  sd: (y) => {
    let m = 0;
    for (let i = 0; i < y.length; i++) m += y[i]!;
    m /= y.length;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (y[i]! - m) ** 2;
    return Math.sqrt(s / (y.length - 1));
  },
  min: (y) => {
    let v = Number.POSITIVE_INFINITY;
    for (let i = 0; i < y.length; i++) if (y[i]! < v) v = y[i]!;
    return v;
  },
  max: (y) => {
    let v = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < y.length; i++) if (y[i]! > v) v = y[i]!;
    return v;
  },
  median: (y) => quantileOfSorted(Float64Array.from(y).sort(), 0.5),
};

/** A statistic given by name (`"mean"`, `"sd"`, `"min"`, `"max"`, `"median"`) or as { name, fn }. */
export type StatisticInput = string | TestStatistic;

/**
 * The statistic a user named or gave.
 *
 * @param s - a name (`"mean"`, `"sd"`, `"min"`, `"max"`, `"median"`) or { name, fn }
 * @returns the statistic
 * @throws ArgumentError for anything else
 * @example resolveStatistic("sd").fn(Float64Array.of(1, 2, 3)) // 1
 */
export function resolveStatistic(s: StatisticInput): TestStatistic {
  return statisticOf(s, "stat");
}

/** `resolveStatistic`, naming the argument as the caller calls it in messages. */
export function statisticOf(s: StatisticInput, argument: string): TestStatistic {
  if (typeof s === "string") {
    const fn = STATISTICS[s];
    if (fn === undefined)
      throw new ArgumentError(
        argument,
        `must be one of ${Object.keys(STATISTICS)
          .map((k) => `"${k}"`)
          .join(", ")} or { name, fn }`,
        s,
      );
    return { name: s, fn };
  }
  if (typeof s !== "object" || s === null || typeof s.name !== "string" || typeof s.fn !== "function")
    throw new ArgumentError(argument, "must be a statistic's name or { name: string, fn: (y) => number }", s);
  return s;
}

/** Replicated data and the observed response, checked. */
export interface CheckedReplicates {
  readonly y: Float64Array;
  readonly yrep: Float64Array;
  /** Replicated data sets (draws). */
  readonly draws: number;
  readonly n: number;
}

/**
 * The observed y and the replicated sets of `yrep` (posteriorPredict on the model's own rows, or any
 * draws with `y` given).
 *
 * @throws ArgumentError when yrep is not predictive draws or no observed y goes with it
 */
export function replicates(yrep: PredictiveDraws, y?: ArrayLike<number>): CheckedReplicates {
  const d = yrep as Partial<PredictiveDraws> | null;
  if (
    typeof d !== "object" ||
    d === null ||
    !(d.values instanceof Float64Array) ||
    !Number.isInteger(d.n) ||
    !Number.isInteger(d.chains) ||
    !Number.isInteger(d.iterations) ||
    d.values.length !== d.n! * d.chains! * d.iterations!
  )
    throw new ArgumentError("yrep", "must be posterior predictive draws (posteriorPredict(post))", d);
  if (y !== undefined && !isNumberArray(y))
    throw new ArgumentError("y", "must be an array of numbers, one per predicted row", y);
  const observed = y ?? d.y ?? null;
  if (observed === null)
    throw new ArgumentError(
      "y",
      "must be given: the predictive draws are of new data, which has no observed response",
      undefined,
    );
  if (observed.length !== d.n)
    throw new ArgumentError("y", `must have one value per predicted row (${d.n})`, observed.length);
  return { y: Float64Array.from(observed), yrep: d.values, draws: d.chains! * d.iterations!, n: d.n! };
}

/** T(y), T(y_rep) per draw, and the posterior predictive p-value. */
export interface StatisticCheck {
  readonly name: string;
  readonly observed: number;
  /** T of each replicated set. */
  readonly replicated: Float64Array;
  /** Pr(T(y_rep) ≥ T(y)) over the draws (ties count one half). */
  readonly p: number;
}

/**
 * A statistic of the observed data and of every replicated data set, and its posterior predictive
 * p-value Pr(T(y_rep) ≥ T(y)) (a tie counts one half, so a discrete statistic is not pushed to one
 * side).
 *
 * @param data - from `replicates`
 * @param stat - the statistic
 * @param rows - the rows it is computed on (a group's), default all
 * @example statisticCheck(replicates(posteriorPredict(post)), resolveStatistic("sd")).p // about 0.5 for a good fit
 */
export function statisticCheck(
  data: CheckedReplicates,
  stat: TestStatistic,
  rows?: Int32Array,
): StatisticCheck {
  const d = data as Partial<CheckedReplicates> | null;
  if (
    typeof d !== "object" ||
    d === null ||
    !(d.y instanceof Float64Array) ||
    !(d.yrep instanceof Float64Array) ||
    !Number.isInteger(d.n) ||
    !Number.isInteger(d.draws) ||
    d.y.length !== d.n ||
    d.yrep.length !== d.n! * d.draws!
  )
    throw new ArgumentError(
      "data",
      "must be observed and replicated data (replicates(posteriorPredict(post)))",
      d,
    );
  stat = statisticOf(stat, "stat");
  const { y, yrep, draws, n } = data;
  if (rows !== undefined && !(rows instanceof Int32Array && rows.every((i) => i >= 0 && i < n)))
    throw new ArgumentError("rows", `must be an Int32Array of row indices from 0 to ${n - 1}`, rows);
  const take = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = take.length;
  const buf = new Float64Array(m);
  for (let j = 0; j < m; j++) buf[j] = y[take[j]!]!;
  const observed = stat.fn(buf);
  const replicated = new Float64Array(draws);
  let above = 0;
  for (let d = 0; d < draws; d++) {
    for (let j = 0; j < m; j++) buf[j] = yrep[d * n + take[j]!]!;
    const t = stat.fn(buf);
    replicated[d] = t;
    if (t > observed) above += 1;
    else if (t === observed) above += 0.5;
  }
  return { name: stat.name, observed, replicated, p: above / draws };
}

/** Rows of each level of a grouping: label → row indices (in order of first appearance). */
export function rowsByGroup(labels: readonly string[]): { levels: string[]; rows: Int32Array[] } {
  const index = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const list = index.get(label);
    if (list === undefined) index.set(label, [i]);
    else list.push(i);
  });
  return { levels: [...index.keys()], rows: [...index.values()].map((r) => Int32Array.from(r)) };
}

/**
 * Each row's level of one of a model's grouping factors (for the grouped pictures).
 *
 * @param model - the model (a posterior's `model`)
 * @param group - a grouping factor's name (`Subject`, `cask:batch`)
 * @returns one label per row of the model
 * @throws ArgumentError for a name that is no grouping factor of the model
 */
export function groupLabels(model: LmmModel, group: string): string[] {
  checkModelArgument(model);
  checkStringArgument(group, "group", "a grouping factor's name");
  const term = model.terms.find((t) => t.group === group || t.label === group);
  if (term === undefined)
    throw new ArgumentError(
      "group",
      `must be a grouping factor of the model (${[...new Set(model.terms.map((t) => `\`${t.group}\``))].join(", ")})`,
      group,
    );
  return Array.from(term.refs, (r) => term.levels[r]!);
}

/** Per-row quantiles of the replicated data (for intervals). */
export function rowQuantiles(data: CheckedReplicates, probs: readonly number[]): Float64Array[] {
  const { yrep, draws, n } = data;
  const out = probs.map(() => new Float64Array(n));
  const col = new Float64Array(draws);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < draws; d++) col[d] = yrep[d * n + i]!;
    col.sort();
    probs.forEach((p, k) => {
      out[k]![i] = quantileOfSorted(col, p);
    });
  }
  return out;
}

/** Equal-width histogram counts of `values` over [lo, hi] in `bins` bins (the last bin closed). */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins: number): Int32Array {
  const counts = new Int32Array(bins);
  const width = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  }
  return counts;
}
