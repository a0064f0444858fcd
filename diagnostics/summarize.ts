/**
 * `summarizeDraws`: a row per parameter from named measures (posterior's `summarise_draws`), and the
 * convergence warnings that follow from them — returned as values, each naming the parameter.
 */
import { parameterIndex } from "../src/draws/draws";
import type { Draws } from "../src/draws/types";
import { ArgumentError } from "../src/errors";
import { checkArrayArgument, checkDrawsArgument, checkOptionKinds } from "../src/validate";
import { ChainSet } from "./chain-set";
import { essBasic, essBulk, essMean, essMedian, essQuantile, essSd, essTail } from "./ess";
import { mcseMean, mcseMedian, mcseQuantile, mcseSd } from "./mcse";
import { powerOfTwoScale } from "./moments";
import { rhat, rhatBasic } from "./rhat";
import { mad, mean, median, quantile, sd, variance } from "./statistics";
import { unpackChains } from "./transforms";
import { type DiagnosticWarning, essWarning, rhatWarning, WARNING_THRESHOLDS } from "./warnings";

/**
 * A named measure: one number from one parameter's draws. `chains` are views of the draws (do not
 * modify them); `set` is the same draws as a ChainSet, whose sorts and transforms the built-in
 * measures share — pass it to any diagnostic (`rhat(set)`) to reuse them.
 */
export type Measure = (chains: readonly Float64Array[], set: ChainSet) => number;

/** Measures by name, in the order they become columns. */
export type Measures = Readonly<Record<string, Measure>>;

/**
 * The draws divided by a power of two (exact) when they are so large or so small that squared
 * deviations — which ESS and MCSE are computed from — leave double precision (draws beyond 2^±100,
 * e.g. near 1e307 or 1e-150), with the scale to multiply results by; the set itself otherwise. ESS is unchanged by the
 * scaling, MCSE scales with it, so these measures give the same numbers either way.
 */
function tamed(set: ChainSet): { readonly set: ChainSet; readonly scale: number } {
  return set.cached("tamed", () => {
    const scale = powerOfTwoScale(set.size, set.values);
    // Autocovariances multiply squared deviations: beyond 2^±100 their products leave the range.
    if (set.hasNonFinite() || (scale <= 2 ** 100 && scale >= 2 ** -100)) return { set, scale: 1 };
    const values = new Float64Array(set.size);
    for (let i = 0; i < values.length; i++) values[i] = set.values[i]! / scale;
    return {
      set: new ChainSet({ chains: set.chains, iterations: set.iterations, values }, set.parameter),
      scale,
    };
  });
}

/** A measure invariant to scale, computed on the tamed draws. */
function invariant(f: (s: ChainSet) => number): Measure {
  return (_, s) => f(tamed(s).set);
}

/** A measure proportional to scale (an MCSE), computed on the tamed draws and scaled back. */
function proportional(f: (s: ChainSet) => number): Measure {
  return (_, s) => {
    const t = tamed(s);
    return f(t.set) * t.scale;
  };
}

/** Every built-in measure, under posterior's names. */
export const MEASURES: Measures = {
  mean: (_, s) => mean(s),
  median: (_, s) => median(s),
  sd: (_, s) => sd(s),
  var: (_, s) => variance(s),
  mad: (_, s) => mad(s),
  q5: (_, s) => quantile(s, 0.05),
  q95: (_, s) => quantile(s, 0.95),
  "q2.5": (_, s) => quantile(s, 0.025),
  q50: (_, s) => quantile(s, 0.5),
  "q97.5": (_, s) => quantile(s, 0.975),
  rhat: invariant(rhat),
  rhat_basic: invariant(rhatBasic),
  ess_bulk: invariant(essBulk),
  ess_tail: invariant(essTail),
  ess_basic: invariant(essBasic),
  ess_mean: invariant(essMean),
  ess_median: invariant(essMedian),
  ess_sd: invariant(essSd),
  ess_q5: invariant((s) => essQuantile(s, 0.05)),
  ess_q95: invariant((s) => essQuantile(s, 0.95)),
  mcse_mean: proportional(mcseMean),
  mcse_median: proportional(mcseMedian),
  mcse_sd: proportional(mcseSd),
  mcse_q5: proportional((s) => mcseQuantile(s, 0.05)),
  mcse_q95: proportional((s) => mcseQuantile(s, 0.95)),
};

/** posterior's default `summarise_draws` columns: mean, median, sd, mad, q5, q95, rhat, ess_bulk, ess_tail. */
export const DEFAULT_MEASURES: readonly string[] = [
  "mean",
  "median",
  "sd",
  "mad",
  "q5",
  "q95",
  "rhat",
  "ess_bulk",
  "ess_tail",
];

/**
 * The columns of `bayes-lmm diagnose` (CLI.md), in order: posterior's summary and convergence measures
 * with the MCSE of the mean and sd. Shared by the CLI, its benchmark and the fixture test.
 */
export const DIAGNOSE_MEASURES = [
  "mean",
  "sd",
  "median",
  "q5",
  "q95",
  "rhat",
  "ess_bulk",
  "ess_tail",
  "mcse_mean",
  "mcse_sd",
] as const;

/** One parameter's row. */
export interface SummaryRow {
  readonly parameter: string;
  /** Measure name → value (NaN where posterior gives NA). */
  readonly values: Readonly<Record<string, number>>;
}

/** The summary table and its warnings. */
export interface DrawsSummary {
  /** Column names, in order. */
  readonly measures: readonly string[];
  readonly rows: readonly SummaryRow[];
  /** Convergence warnings (R-hat, bulk/tail ESS) and capped ESS estimates, by parameter. */
  readonly warnings: readonly DiagnosticWarning[];
  readonly chains: number;
  readonly iterations: number;
}

export interface SummarizeOptions {
  /** Summarize only these parameters, in this order. @default all, in the draws' order */
  readonly parameters?: readonly string[];
  /** R-hat above this warns. @default 1.01 */
  readonly rhatThreshold?: number;
  /** Bulk or tail ESS below this many per chain warns. @default 100 */
  readonly essPerChain?: number;
}

/**
 * Summarizes draws: a row per parameter with one column per named measure, as posterior's
 * `summarise_draws`, plus convergence warnings — R-hat above 1.01, bulk or tail ESS below 100 per
 * chain (each checked when its measure is among the columns) — and any capped ESS estimate.
 *
 * @param draws - the draws (e.g. a Posterior's `draws`, or `readDrawsCsv(file)`)
 * @param measures - names of built-in measures (see {@link MEASURES}), or name → function for custom
 *   ones (mix: `{ ...pickMeasures(DEFAULT_MEASURES), q10: (x) => quantile(x, 0.1) }`)
 * @param options - which parameters; warning thresholds
 * @returns the table and warnings
 * @throws ArgumentError for an unknown measure or parameter name
 * @example summarizeDraws(draws).rows[0] // { parameter: "beta[(Intercept)]", values: { mean: 251.4, median: ..., rhat: 1.0003, ... } }
 * @see Vehtari et al. (2021), doi:10.1214/20-BA1221; posterior's summarise_draws (Bürkner et al., R package, version 1.4.0)
 */
export function summarizeDraws(
  draws: Draws,
  measures: readonly string[] | Measures = DEFAULT_MEASURES,
  options: SummarizeOptions = {},
): DrawsSummary {
  checkDrawsArgument(draws);
  checkOptionKinds(options, { parameters: "names", rhatThreshold: "number", essPerChain: "number" });
  if (!Array.isArray(measures) && (typeof measures !== "object" || measures === null))
    throw new ArgumentError(
      "measures",
      "must be an array of measure names or an object of measures",
      measures,
    );
  const table = Array.isArray(measures) ? pickMeasures(measures) : (measures as Measures);
  const names = Object.keys(table);
  for (const name of names)
    if (typeof table[name] !== "function")
      throw new ArgumentError(`measures.${name}`, "must be a function (chains, set) => number", table[name]);
  const rhatThreshold = options.rhatThreshold ?? WARNING_THRESHOLDS.rhat;
  const essThreshold = (options.essPerChain ?? WARNING_THRESHOLDS.essPerChain) * draws.chains;
  const parameters = options.parameters ?? draws.parameters;
  const rows: SummaryRow[] = [];
  const warnings: DiagnosticWarning[] = [];
  for (const parameter of parameters) {
    // The parameter's block of draws.values is already chain-major: wrap it, no copy.
    const block = draws.chains * draws.iterations;
    const start = parameterIndex(draws, parameter) * block;
    const set = new ChainSet(
      {
        chains: draws.chains,
        iterations: draws.iterations,
        values: draws.values.subarray(start, start + block),
      },
      parameter,
    );
    const views = unpackChains(set);
    const values: Record<string, number> = {};
    for (const name of names) values[name] = Number(table[name]!(views, set));
    rows.push({ parameter, values });
    const r = values["rhat"];
    if (r !== undefined && r > rhatThreshold) warnings.push(rhatWarning(parameter, r, rhatThreshold));
    const bulk = values["ess_bulk"];
    if (bulk !== undefined && bulk < essThreshold)
      warnings.push(essWarning("ess_bulk", parameter, bulk, essThreshold, draws.chains));
    const tail = values["ess_tail"];
    if (tail !== undefined && tail < essThreshold)
      warnings.push(essWarning("ess_tail", parameter, tail, essThreshold, draws.chains));
    warnings.push(...set.warnings);
  }
  return { measures: names, rows, warnings, chains: draws.chains, iterations: draws.iterations };
}

/**
 * The built-in measures of these names, in this order.
 *
 * @param names - measure names from {@link MEASURES}
 * @returns name → measure
 * @throws ArgumentError naming an unknown measure
 * @example Object.keys(pickMeasures(["mean", "rhat"])) // ["mean", "rhat"]
 */
export function pickMeasures(names: readonly string[]): Measures {
  checkArrayArgument(names, "measures", "an array of measure names", false);
  const out: Record<string, Measure> = {};
  for (const name of names) {
    const measure = Object.hasOwn(MEASURES, name) ? MEASURES[name] : undefined;
    if (measure === undefined)
      throw new ArgumentError(
        "measures",
        `must name built-in measures (${Object.keys(MEASURES).join(", ")})`,
        name,
      );
    out[name] = measure;
  }
  return out;
}
