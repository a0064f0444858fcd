/**
 * Posterior summaries: the one module that turns draws into the numbers users read — the summary
 * table with convergence diagnostics (`summarizePosterior`, the columns of `bayes-lmm sample --json`)
 * and the lme4-style summaries of a posterior (fixed effects, random effects, variance components,
 * credible intervals). Every number comes from `summarizeDraws` (one ChainSet per quantity), so the
 * posterior mean of `beta[Days]` is the same double in `fixef(post)`, in `summarizePosterior(post)`
 * and in the report.
 *
 * Quantities derived per draw (standard deviations, correlations, coefficients beta + b, fitted
 * values) are computed draw by draw into a temporary `Draws` and summarized the same way — the
 * posterior mean of an SD is not the square root of the posterior mean of a variance.
 */
import { betaName, formatParameterName, psiName, randomEffectName } from "../src/draws/names";
import type { Posterior } from "../src/draws/posterior";
import type { Draws } from "../src/draws/types";
import { ArgumentError } from "../src/errors";
import { checkOptionsArgument, checkPosteriorArgument } from "../src/validate";
import { quantile } from "./statistics";
import { MEASURES, type Measures, summarizeDraws } from "./summarize";
import type { DiagnosticWarning } from "./warnings";

/**
 * One quantity's posterior summary, in the vocabulary's shared terms: `estimate` is the posterior
 * mean and `se` the posterior standard deviation (brms's Estimate and Est.Error); `lower`/`upper`
 * the central credible interval (quantiles (1 ∓ prob)/2 of the pooled draws, R's type 7).
 */
export interface PosteriorRow {
  readonly name: string;
  /** Posterior mean. */
  readonly estimate: number;
  /** Posterior standard deviation. */
  readonly se: number;
  readonly lower: number;
  readonly median: number;
  readonly upper: number;
}

/** A row of the summary table (keys as CLI.md names them). */
export interface PosteriorSummaryRow {
  readonly name: string;
  readonly mean: number;
  readonly sd: number;
  readonly "q2.5": number;
  readonly q50: number;
  readonly "q97.5": number;
  readonly rhat: number;
  readonly ess_bulk: number;
  readonly ess_tail: number;
  readonly mcse_mean: number;
}

/** The summary table and its convergence warnings. */
export interface PosteriorSummary {
  readonly rows: PosteriorSummaryRow[];
  readonly warnings: readonly DiagnosticWarning[];
}

/** The table's columns, in order. */
export const SUMMARY_MEASURES = [
  "mean",
  "sd",
  "q2.5",
  "q50",
  "q97.5",
  "rhat",
  "ess_bulk",
  "ess_tail",
  "mcse_mean",
] as const;

/**
 * Summarizes a posterior's parameters with convergence diagnostics (the R package posterior's
 * definitions).
 *
 * @param posterior - the sampler's result
 * @param options - `randomEffects: true` to include the b[...] rows (when their draws were kept)
 * @returns rows for beta, sigma2 and Psi (and b on request), and the convergence warnings
 *   (R-hat > 1.01, bulk or tail ESS below 100 per chain) naming the parameter
 * @example summarizePosterior(post).rows[0] // { name: "beta[(Intercept)]", mean: 251.4, sd: 6.4, ..., rhat: 1.0002, ... }
 */
export function summarizePosterior(
  posterior: Posterior,
  options: { readonly randomEffects?: boolean } = {},
): PosteriorSummary {
  checkPosteriorArgument(posterior);
  checkOptionsArgument(options);
  const parameters = options.randomEffects
    ? posterior.parameters
    : posterior.parameters.filter((name) => !name.startsWith("b["));
  const table = summarizeDraws(posterior, [...SUMMARY_MEASURES], { parameters });
  const rows = table.rows.map((row) => {
    const v = row.values;
    return {
      name: row.parameter,
      mean: v["mean"]!,
      sd: v["sd"]!,
      "q2.5": v["q2.5"]!,
      q50: v["q50"]!,
      "q97.5": v["q97.5"]!,
      rhat: v["rhat"]!,
      ess_bulk: v["ess_bulk"]!,
      ess_tail: v["ess_tail"]!,
      mcse_mean: v["mcse_mean"]!,
    };
  });
  return { rows, warnings: table.warnings };
}

/** Throws unless `prob` is a probability strictly between 0 and 1. */
export function checkProb(prob: number, argument = "prob"): void {
  if (!(typeof prob === "number" && prob > 0 && prob < 1))
    throw new ArgumentError(argument, "must be a number between 0 and 1", prob);
}

/** (1 ∓ prob)/2 rounded to 15 digits, so that prob 0.95 gives the table's own 0.025 and 0.975. */
function tails(prob: number): [number, number] {
  return [Number(((1 - prob) / 2).toPrecision(15)), Number(((1 + prob) / 2).toPrecision(15))];
}

function rowMeasures(prob: number): Measures {
  const [lo, hi] = tails(prob);
  // The mean and sd measures of the summary table itself, and q50 as its median: the same doubles.
  return {
    mean: MEASURES["mean"]!,
    sd: MEASURES["sd"]!,
    lower: (_, s) => quantile(s, lo),
    median: MEASURES["q50"]!,
    upper: (_, s) => quantile(s, hi),
  };
}

/**
 * Posterior summaries (mean, sd, central interval, median) of named parameters of some draws.
 *
 * @param draws - the draws (a Posterior, or derived quantities)
 * @param parameters - which parameters, in order
 * @param prob - credible interval probability
 * @returns one row per parameter, named as in the draws
 * @example summarizeQuantities(post, ["sigma2"])[0].estimate // the posterior mean of sigma2
 */
export function summarizeQuantities(
  draws: Draws,
  parameters: readonly string[],
  prob = 0.95,
): PosteriorRow[] {
  checkProb(prob);
  const table = summarizeDraws(draws, rowMeasures(prob), { parameters });
  return table.rows.map((r) => ({
    name: r.parameter,
    estimate: r.values["mean"]!,
    se: r.values["sd"]!,
    lower: r.values["lower"]!,
    median: r.values["median"]!,
    upper: r.values["upper"]!,
  }));
}

/** Numbers held at once by a block of derived draws (16 MB): larger sets are summarized in blocks. */
const DERIVED_BLOCK = 2_000_000;

/**
 * Summaries of quantities derived per draw, computed in blocks so that memory stays bounded:
 * `fill(k, out)` writes quantity k's draws chain-major (`out[c * iterations + t]`).
 *
 * @param names - the quantities' names
 * @param chains - chains of the draws they derive from
 * @param iterations - draws per chain
 * @param fill - writes one quantity's draws
 * @param prob - credible interval probability
 * @returns one row per quantity
 */
export function summarizeDerived(
  names: readonly string[],
  chains: number,
  iterations: number,
  fill: (k: number, out: Float64Array) => void,
  prob = 0.95,
): PosteriorRow[] {
  checkProb(prob);
  const size = chains * iterations;
  const per = Math.max(1, Math.floor(DERIVED_BLOCK / Math.max(1, size)));
  const rows: PosteriorRow[] = [];
  for (let start = 0; start < names.length; start += per) {
    const block = names.slice(start, start + per);
    const values = new Float64Array(block.length * size);
    block.forEach((_, j) => {
      fill(start + j, values.subarray(j * size, (j + 1) * size));
    });
    rows.push(...summarizeQuantities({ parameters: block, chains, iterations, values }, block, prob));
  }
  return rows;
}

/** The kept draws of parameter `k` of a Posterior, chain-major (a view, not a copy). */
export function drawsOf(draws: Draws, k: number): Float64Array {
  const size = draws.chains * draws.iterations;
  return draws.values.subarray(k * size, (k + 1) * size);
}

/** name → index of every parameter of some draws. */
export function parameterIndexMap(draws: Draws): Map<string, number> {
  return new Map(draws.parameters.map((name, k) => [name, k]));
}

/**
 * Posterior summaries of the fixed effects, one row per X column (named by the column).
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability @default 0.95
 * @returns rows in X's column order
 * @example posteriorFixef(post)[0] // { name: "(Intercept)", estimate: 251.4, se: 6.4, lower: 238.8, median: 251.4, upper: 264.0 }
 */
export function posteriorFixef(posterior: Posterior, prob = 0.95): PosteriorRow[] {
  const rows = summarizeQuantities(posterior, posterior.fixedNames.map(betaName), prob);
  return rows.map((r, j) => ({ ...r, name: posterior.fixedNames[j]! }));
}

/**
 * Random-effect summaries of one grouping factor, levels × names (`estimate[level][name]`): the
 * posterior means, sds and interval ends — or, for a REML fit, the conditional modes and conditional
 * standard deviations (lme4's `ranef(fit, condVar = TRUE)`), with no interval.
 */
export interface RanefGroup {
  readonly group: string;
  readonly levels: readonly string[];
  readonly names: readonly string[];
  /** Posterior means or conditional modes. */
  readonly estimate: readonly (readonly number[])[];
  /** Posterior sds or conditional standard deviations. */
  readonly se: readonly (readonly number[])[];
  /** Central credible interval ends; null for a REML fit, NaN where only running summaries were kept. */
  readonly lower: readonly (readonly number[])[] | null;
  readonly upper: readonly (readonly number[])[] | null;
}

function matrix(rows: number, columns: number, value = Number.NaN): number[][] {
  return Array.from({ length: rows }, () => new Array<number>(columns).fill(value));
}

/**
 * Posterior summaries of the random effects b, per grouping factor. When the sampler kept only
 * running means and sds (`randomEffects: "summary"`), the intervals are NaN.
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability @default 0.95
 * @returns one entry per grouping factor, in the posterior's order
 */
export function posteriorRanef(posterior: Posterior, prob = 0.95): RanefGroup[] {
  checkProb(prob);
  const summary = posterior.randomEffectsSummary;
  const index = summary === null ? null : new Map(summary.names.map((n, k) => [n, k]));
  return posterior.factors.map((f) => {
    const q = f.names.length;
    const estimate = matrix(f.levels.length, q);
    const se = matrix(f.levels.length, q);
    const lower = matrix(f.levels.length, q);
    const upper = matrix(f.levels.length, q);
    const names = f.levels.flatMap((level) => f.names.map((name) => randomEffectName(f.group, level, name)));
    if (summary !== null && index !== null)
      names.forEach((name, k) => {
        const at = index.get(name)!;
        estimate[Math.floor(k / q)]![k % q] = summary.mean[at]!;
        se[Math.floor(k / q)]![k % q] = summary.sd[at]!;
      });
    else
      summarizeQuantities(posterior, names, prob).forEach((r, k) => {
        const j = Math.floor(k / q);
        estimate[j]![k % q] = r.estimate;
        se[j]![k % q] = r.se;
        lower[j]![k % q] = r.lower;
        upper[j]![k % q] = r.upper;
      });
    return { group: f.group, levels: f.levels, names: f.names, estimate, se, lower, upper };
  });
}

/**
 * A variance-components row as R's `as.data.frame(VarCorr(fit))` lays it out: a variance (var2 null)
 * or a covariance, with the summaries of the (co)variance and of the standard deviation (variance
 * rows) or correlation (covariance rows), each computed per draw.
 */
export interface PosteriorVarCorrRow {
  readonly grp: string;
  readonly var1: string | null;
  readonly var2: string | null;
  readonly vcov: PosteriorRow;
  readonly sdcor: PosteriorRow;
}

/**
 * Posterior summaries of the variance components, lme4's VarCorr: for each factor its variances and
 * covariances, with standard deviations sqrt(Psi_ii) and correlations Psi_ij / sqrt(Psi_ii Psi_jj)
 * computed per draw and then summarized; the last row is the residual (grp "Residual").
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability @default 0.95
 * @returns rows in lme4's order: per factor, variances then covariances; then Residual
 */
export function posteriorVarCorr(posterior: Posterior, prob = 0.95): PosteriorVarCorrRow[] {
  checkProb(prob);
  const at = parameterIndexMap(posterior);
  const index = (name: string) => {
    const k = at.get(name);
    if (k === undefined) throw new ArgumentError("posterior", `must have the parameter ${name}`, name);
    return k;
  };
  const specs: {
    grp: string;
    var1: string | null;
    var2: string | null;
    vcov: string;
    derivedName: string;
  }[] = [];
  const derivedFill: ((out: Float64Array) => void)[] = [];
  for (const f of posterior.factors) {
    const psi = (i: number, j: number) => index(psiName(f.group, f.names[i]!, f.names[j]!));
    for (const blk of f.blocks)
      for (let i = blk.start; i < blk.start + blk.size; i++) {
        const v = drawsOf(posterior, psi(i, i));
        specs.push({
          grp: f.group,
          var1: f.names[i]!,
          var2: null,
          vcov: psiName(f.group, f.names[i]!, f.names[i]!),
          derivedName: formatParameterName({ kind: "sd", group: f.group, coefficient: f.names[i]! }),
        });
        derivedFill.push((out) => {
          for (let t = 0; t < out.length; t++) out[t] = Math.sqrt(v[t]!);
        });
      }
    for (const blk of f.blocks)
      for (let i = blk.start; i < blk.start + blk.size; i++)
        for (let j = i + 1; j < blk.start + blk.size; j++) {
          const c = drawsOf(posterior, psi(i, j));
          const vi = drawsOf(posterior, psi(i, i));
          const vj = drawsOf(posterior, psi(j, j));
          specs.push({
            grp: f.group,
            var1: f.names[i]!,
            var2: f.names[j]!,
            vcov: psiName(f.group, f.names[i]!, f.names[j]!),
            derivedName: formatParameterName({
              kind: "cor",
              group: f.group,
              row: f.names[i]!,
              column: f.names[j]!,
            }),
          });
          derivedFill.push((out) => {
            for (let t = 0; t < out.length; t++) out[t] = c[t]! / Math.sqrt(vi[t]! * vj[t]!);
          });
        }
  }
  const s2 = drawsOf(posterior, index("sigma2"));
  specs.push({ grp: "Residual", var1: null, var2: null, vcov: "sigma2", derivedName: "sigma" });
  derivedFill.push((out) => {
    for (let t = 0; t < out.length; t++) out[t] = Math.sqrt(s2[t]!);
  });
  const vcov = summarizeQuantities(
    posterior,
    specs.map((s) => s.vcov),
    prob,
  );
  const sdcor = summarizeDerived(
    specs.map((s) => s.derivedName),
    posterior.chains,
    posterior.iterations,
    (k, out) => derivedFill[k]!(out),
    prob,
  );
  return specs.map((s, k) => ({ grp: s.grp, var1: s.var1, var2: s.var2, vcov: vcov[k]!, sdcor: sdcor[k]! }));
}

/** A credible (or confidence) interval of one fixed effect. */
export interface CredibleInterval {
  readonly name: string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Central credible intervals of the fixed effects (the posterior's counterpart of lme4's `confint`).
 *
 * @param posterior - the sampler's result
 * @param level - probability inside the interval @default 0.95
 * @returns per X column: the posterior mean and the (1 ∓ level)/2 quantiles
 */
export function posteriorConfint(posterior: Posterior, level = 0.95): CredibleInterval[] {
  checkProb(level, "level");
  return posteriorFixef(posterior, level).map((r) => ({
    name: r.name,
    estimate: r.estimate,
    lower: r.lower,
    upper: r.upper,
  }));
}
