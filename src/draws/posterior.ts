/**
 * `Posterior`: the Gibbs sampler's result as plain data — the kept draws (it `extends Draws`), the
 * warmup draws (for trace plots), what was run (seed, iterations, chains, priors), the model it was
 * sampled for and the names needed to label things — and its JSON and CSV forms. diagnostics/ reads
 * it without knowing the sampler: summaries (fixef, ranef, varCorr, ...) are in
 * diagnostics/posterior-summary.ts, reached through the vocabulary (diagnostics/vocabulary.ts).
 *
 * Parameter names (CLI.md; built and parsed by ./names.ts): `beta[COLNAME]`, `sigma2`,
 * `Psi[GROUP][NAME_i,NAME_j]` (i <= j within a diagonal block), then — when random effects are kept
 * as draws — `b[GROUP][LEVEL,NAME]`.
 */
import type { LmmModel } from "../model/types";
import type { Priors } from "../priors/types";
import { checkOptionKinds, checkPosteriorArgument } from "../validate";
import { formatDrawsCsv } from "./csv";
import { chainsOf } from "./draws";
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

/** One parameter's worst value of a convergence measure at a check of a run to a target. */
export interface TargetMeasure {
  readonly parameter: string;
  readonly value: number;
}

/** What a run to a target (`gibbs(model, { until })`) reached (samplers/until.ts). */
export interface SamplingTarget {
  /** Whether every parameter checked met the target at the last check. */
  readonly met: boolean;
  /**
   * Why the run ended: "met"; "max-iter" (the draws allowed were reached); "max-seconds" (the time
   * allowed ran out, mid-batch: the draws are a prefix of what a longer run gives); "stopped" (an
   * AbortSignal).
   */
  readonly reason: "met" | "max-iter" | "max-seconds" | "stopped";
  /** The target asked for. */
  readonly rhat: number;
  readonly essBulk: number;
  readonly essTail: number;
  /** Whether the random effects were checked too. */
  readonly randomEffects: boolean;
  /** Checks made (one per batch), and the last one's worst parameters (null before the first check). */
  readonly checks: number;
  readonly worst: {
    readonly draws: number;
    readonly rhat: TargetMeasure;
    readonly essBulk: TargetMeasure;
    readonly essTail: TargetMeasure;
  } | null;
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
  /** The model that was sampled (as `RemlFit.model`): fitted values, residuals, observed data. */
  readonly model: LmmModel;
  /** With `until`: whether the target was met, and how the run ended. */
  readonly target?: SamplingTarget;
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
      ...(posterior.priors.phi === undefined
        ? {}
        : { phi: { a: posterior.priors.phi.a, b: posterior.priors.phi.b } }),
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
