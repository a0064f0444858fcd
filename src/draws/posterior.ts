/**
 * `Posterior`: the Gibbs sampler's result as plain data — the kept draws (it `extends Draws`), the
 * warmup draws (for trace plots), what was run (seed, iterations, chains, priors) and the model's
 * names needed to label things. diagnostics/ reads it without knowing the sampler; the functions here
 * summarize it the way lme4 users read a fit: fixef, ranef, VarCorr (standard deviations and
 * correlations derived per draw), and write it out as JSON.
 *
 * Parameter names (CLI.md): `beta[COLNAME]`, `sigma2`, `Psi[GROUP][NAME_i,NAME_j]` (i <= j within a
 * diagonal block), then — when random effects are kept as draws — `b[GROUP][LEVEL,NAME]`.
 */
import { ArgumentError } from "../errors";
import type { Priors } from "../priors/types";
import { checkOptionKinds, checkPosteriorArgument } from "../validate";
import { formatDrawsCsv } from "./csv";
import { chainsOf, parameterIndex } from "./draws";
import type { Draws } from "./types";

/** A grouping factor as the posterior labels it. */
export interface PosteriorFactor {
  /** Name as in the parameter names (`Subject`, `cask:batch`). */
  readonly group: string;
  /** Psi's row/column names (the factor's random-effect columns). */
  readonly names: readonly string[];
  readonly levels: readonly string[];
  /** Psi's diagonal blocks: one per term (`(x || g)` gives one per column). */
  readonly blocks: readonly { readonly start: number; readonly size: number }[];
}

/** What was run. */
export interface PosteriorSettings {
  /** Kept draws per chain (after warmup). */
  readonly iter: number;
  readonly warmup: number;
  readonly thin: number;
  readonly chains: number;
  readonly seed: number;
  /** How the location parameters were updated: "joint" or "by-factor" (samplers/README.md). */
  readonly strategy: string;
}

/** Running summaries of the random effects, when their draws were not kept. */
export interface RandomEffectsSummary {
  readonly names: readonly string[];
  /** Posterior mean and standard deviation over all chains' kept draws. */
  readonly mean: Float64Array;
  readonly sd: Float64Array;
}

/** The sampler's result. `parameters`, `chains`, `iterations`, `values`: the kept draws (Draws). */
export interface Posterior extends Draws {
  readonly formula: string;
  readonly response: string;
  /** Rows used. */
  readonly nobs: number;
  readonly fixedNames: readonly string[];
  readonly factors: readonly PosteriorFactor[];
  readonly settings: PosteriorSettings;
  /** Warmup draws of beta, sigma2 and Psi (every thin-th iteration), for trace plots. */
  readonly warmupDraws: Draws;
  /** Whether the random effects are among `parameters` ("draws") or only summarized ("summary"). */
  readonly randomEffects: "draws" | "summary";
  /** The random effects' running summaries ("summary" mode), else null. */
  readonly randomEffectsSummary: RandomEffectsSummary | null;
  /** Every hyperparameter used. */
  readonly priors: Priors;
  /** Sampling wall time in seconds (all chains). */
  readonly seconds: number;
}

// ---------------------------------------------------------------------------------------------------
// Summaries

/** One parameter's (or derived quantity's) posterior summary. */
export interface PosteriorRow {
  readonly name: string;
  readonly mean: number;
  readonly sd: number;
  /** Quantiles (1 - prob)/2 and (1 + prob)/2 of the pooled draws (R's type 7); NaN without draws. */
  readonly lower: number;
  readonly median: number;
  readonly upper: number;
}

/**
 * Sample quantile of sorted values, R's type 7: x[h] interpolated at h = (n - 1) p.
 *
 * @param sorted - ascending values
 * @param p - probability in [0, 1]
 * @returns the quantile, NaN for no values
 * @example quantileSorted(new Float64Array([1, 2, 3, 4]), 0.5) // 2.5
 * @see Hyndman & Fan (1996) Sample quantiles in statistical packages, Am. Stat. 50(4):361-365, doi:10.2307/2684934
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Summary of a set of draws: mean, sd (n - 1), and the central `prob` interval and median.
 *
 * @param name - the row's name
 * @param x - pooled draws (not modified)
 * @param prob - interval probability
 * @returns the row; NaN entries for an empty or non-finite sample
 * @example summarizeValues("mu", new Float64Array([1, 2, 3]), 0.5) // { mean: 2, sd: 1, lower: 1.5, median: 2, upper: 2.5 }
 */
export function summarizeValues(name: string, x: Float64Array, prob = 0.95): PosteriorRow {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (x[i]! - mean) / (i + 1);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
  const sorted = Float64Array.from(x).sort();
  const finite = Number.isFinite(mean);
  return {
    name,
    mean: n > 0 && finite ? mean : Number.NaN,
    sd: n > 1 && finite ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    lower: finite ? quantileSorted(sorted, (1 - prob) / 2) : Number.NaN,
    median: finite ? quantileSorted(sorted, 0.5) : Number.NaN,
    upper: finite ? quantileSorted(sorted, (1 + prob) / 2) : Number.NaN,
  };
}

function checkProb(prob: number): void {
  if (!(prob > 0 && prob < 1)) throw new ArgumentError("prob", "must be a number between 0 and 1", prob);
}

/** All chains' draws of one parameter, pooled into one new array. */
export function pooledDraws(draws: Draws, name: string | number): Float64Array {
  const parts = chainsOf(draws, name);
  const out = new Float64Array(draws.chains * draws.iterations);
  parts.forEach((part, c) => {
    out.set(part, c * draws.iterations);
  });
  return out;
}

/**
 * Posterior summaries of the fixed effects, one row per X column (named by the column).
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability
 * @default prob 0.95
 * @returns rows in X's column order
 * @example fixef(post)[0] // { name: "(Intercept)", mean: 251.4, sd: 6.4, lower: 238.8, median: 251.4, upper: 264.0 }
 */
export function fixef(posterior: Posterior, prob = 0.95): PosteriorRow[] {
  checkPosteriorArgument(posterior);
  checkProb(prob);
  return posterior.fixedNames.map((name) => {
    const row = summarizeValues(name, pooledDraws(posterior, `beta[${name}]`), prob);
    return row;
  });
}

/** Random-effect summaries of one grouping factor: levels × names matrices, row-major. */
export interface RanefSummary {
  readonly group: string;
  readonly levels: readonly string[];
  readonly names: readonly string[];
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  /** Credible interval bounds (NaN when only running summaries were kept). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * Posterior summaries of the random effects b, per grouping factor.
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability
 * @default prob 0.95
 * @returns one entry per factor; intervals are NaN when the sampler kept only running summaries
 */
export function ranef(posterior: Posterior, prob = 0.95): RanefSummary[] {
  checkPosteriorArgument(posterior);
  checkProb(prob);
  const summary = posterior.randomEffectsSummary;
  const index = summary === null ? null : new Map(summary.names.map((n, k) => [n, k]));
  return posterior.factors.map((f) => {
    const size = f.levels.length * f.names.length;
    const mean = new Float64Array(size);
    const sd = new Float64Array(size);
    const lower = new Float64Array(size).fill(Number.NaN);
    const upper = new Float64Array(size).fill(Number.NaN);
    let k = 0;
    for (const level of f.levels)
      for (const name of f.names) {
        const pname = `b[${f.group}][${level},${name}]`;
        if (summary !== null && index !== null) {
          const at = index.get(pname)!;
          mean[k] = summary.mean[at]!;
          sd[k] = summary.sd[at]!;
        } else {
          const row = summarizeValues(pname, pooledDraws(posterior, pname), prob);
          mean[k] = row.mean;
          sd[k] = row.sd;
          lower[k] = row.lower;
          upper[k] = row.upper;
        }
        k++;
      }
    return { group: f.group, levels: f.levels, names: f.names, mean, sd, lower, upper };
  });
}

/** A VarCorr row, as R's `as.data.frame(VarCorr(fit))`: a variance (var2 null) or a covariance. */
export interface VarCorrRow {
  readonly grp: string;
  readonly var1: string | null;
  readonly var2: string | null;
  /** Summary of the (co)variance per draw. */
  readonly vcov: PosteriorRow;
  /** Summary of the standard deviation (variance rows) or correlation (covariance rows), per draw. */
  readonly sdcor: PosteriorRow;
}

/**
 * Posterior summaries of the variance components, lme4's VarCorr: for each factor its variances and
 * covariances, with standard deviations sqrt(Psi_ii) and correlations Psi_ij / sqrt(Psi_ii Psi_jj)
 * computed per draw and then summarized; the last row is the residual (grp "Residual").
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability
 * @default prob 0.95
 * @returns rows in lme4's order: per factor, variances then covariances; then Residual
 */
export function varCorr(posterior: Posterior, prob = 0.95): VarCorrRow[] {
  checkPosteriorArgument(posterior);
  checkProb(prob);
  const rows: VarCorrRow[] = [];
  for (const f of posterior.factors) {
    const psi = (i: number, j: number) =>
      pooledDraws(posterior, `Psi[${f.group}][${f.names[i]},${f.names[j]}]`);
    for (const blk of f.blocks)
      for (let i = blk.start; i < blk.start + blk.size; i++) {
        const v = psi(i, i);
        rows.push({
          grp: f.group,
          var1: f.names[i]!,
          var2: null,
          vcov: summarizeValues(`Psi[${f.group}][${f.names[i]},${f.names[i]}]`, v, prob),
          sdcor: summarizeValues(`sd[${f.group}][${f.names[i]}]`, v.map(Math.sqrt), prob),
        });
      }
    for (const blk of f.blocks)
      for (let i = blk.start; i < blk.start + blk.size; i++)
        for (let j = i + 1; j < blk.start + blk.size; j++) {
          const c = psi(i, j);
          const vi = psi(i, i);
          const vj = psi(j, j);
          const r = c.map((x, t) => x / (Math.sqrt(vi[t]!) * Math.sqrt(vj[t]!))); // no overflow of vi vj
          rows.push({
            grp: f.group,
            var1: f.names[i]!,
            var2: f.names[j]!,
            vcov: summarizeValues(`Psi[${f.group}][${f.names[i]},${f.names[j]}]`, c, prob),
            sdcor: summarizeValues(`cor[${f.group}][${f.names[i]},${f.names[j]}]`, r, prob),
          });
        }
  }
  const s2 = pooledDraws(posterior, parameterIndex(posterior, "sigma2"));
  rows.push({
    grp: "Residual",
    var1: null,
    var2: null,
    vcov: summarizeValues("sigma2", s2, prob),
    sdcor: summarizeValues("sigma", s2.map(Math.sqrt), prob),
  });
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// JSON

/** A JSON-ready copy of a posterior: typed arrays as number arrays, draws as [parameter][chain][draw]. */
export function posteriorToJson(posterior: Posterior): Record<string, unknown> {
  checkPosteriorArgument(posterior);
  const draws = (d: Draws) =>
    Object.fromEntries(d.parameters.map((name, k) => [name, chainsOf(d, k).map((c) => Array.from(c))]));
  const rows = (a: Float64Array, q: number) =>
    Array.from({ length: q }, (_, i) => Array.from(a.subarray(i * q, i * q + q)));
  return {
    formula: posterior.formula,
    response: posterior.response,
    nobs: posterior.nobs,
    fixedNames: posterior.fixedNames,
    factors: posterior.factors,
    settings: posterior.settings,
    seconds: posterior.seconds,
    priors: {
      beta: {
        mean: Array.from(posterior.priors.beta.mean),
        cov: rows(posterior.priors.beta.cov, posterior.priors.beta.mean.length),
      },
      sigma2: { shape: posterior.priors.sigma2.shape, scale: posterior.priors.sigma2.scale },
      psi: Object.fromEntries(
        posterior.priors.psi.map((p) => [p.group, { df: p.df, scale: rows(p.scale, p.q) }]),
      ),
    },
    randomEffects: posterior.randomEffects,
    randomEffectsSummary:
      posterior.randomEffectsSummary === null
        ? null
        : {
            names: posterior.randomEffectsSummary.names,
            mean: Array.from(posterior.randomEffectsSummary.mean),
            sd: Array.from(posterior.randomEffectsSummary.sd),
          },
    chains: posterior.chains,
    iterations: posterior.iterations,
    draws: draws(posterior),
    warmupIterations: posterior.warmupDraws.iterations,
    warmupDraws: draws(posterior.warmupDraws),
  };
}

// ---------------------------------------------------------------------------------------------------
// CSV

/**
 * The posterior's draws as CSV in the layout of R posterior's draws_df (CLI.md): `.chain`,
 * `.iteration`, `.draw`, then one column per parameter; numbers round-trip exactly.
 *
 * @param posterior - the sampler's result
 * @param options - `warmup: true` for the warmup draws (beta, sigma2, Psi) instead of the kept ones
 * @returns the CSV text (`posterior::as_draws_df(read.csv(file, check.names = FALSE))` reads it)
 * @example posteriorToCsv(post).split("\n")[0] // ".chain,.iteration,.draw,beta[(Intercept)],..."
 */
export function posteriorToCsv(posterior: Posterior, options: { readonly warmup?: boolean } = {}): string {
  checkPosteriorArgument(posterior);
  checkOptionKinds(options, { warmup: "boolean" });
  return formatDrawsCsv(options.warmup ? posterior.warmupDraws : posterior);
}
