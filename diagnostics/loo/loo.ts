/**
 * PSIS-LOO: approximate leave-one-out cross-validation from the posterior draws of a pointwise
 * log-likelihood (Vehtari, Gelman & Gabry 2017; Pareto smoothing: Vehtari, Simpson, Gelman, Yao &
 * Gabry 2024), as the R package loo 2.5.1's `loo()` computes it. For point i with log-likelihood
 * ll_is at draw s, the importance ratios are r_is = 1 / p(y_i | θ_s) (log ratios −ll_is), smoothed by
 * PSIS (./psis.ts) into normalized weights w̃_is, and
 *     elpd_loo_i = log Σ_s w̃_is exp(ll_is),   lpd_i = log (1/S) Σ_s exp(ll_is),
 *     p_loo_i = lpd_i − elpd_loo_i,            looic_i = −2 elpd_loo_i;
 * each total is the sum over points with standard error √(N var(pointwise)). The Monte Carlo SE of
 * elpd_loo_i is loo's `mcse_elpd`: the variance of log of 1000 normal quantiles of the weighted
 * likelihood's sampling distribution, over r_eff.
 *
 * Pareto k diagnostics as loo 2.5.1 reports them: k ≤ 0.5 good, 0.5 < k ≤ 0.7 ok, 0.7 < k ≤ 1 bad,
 * k > 1 very bad; the MCSE of elpd_loo is NaN (loo's NA) when any k > 0.7. loo 2.5.1 has no
 * sample-size-dependent threshold: the 2024 paper's min(1 − 1/log10 S, 0.7) came with loo 2.6.0; it
 * is reported here as `khatThreshold` beside 2.5.1's classes.
 *
 * References: Vehtari, Gelman & Gabry (2017) Practical Bayesian model evaluation using leave-one-out
 * cross-validation and WAIC, Stat. Comput. 27:1413–1432, doi:10.1007/s11222-016-9696-4. Vehtari,
 * Simpson, Gelman, Yao & Gabry (2024) Pareto smoothed importance sampling, JMLR 25(72):1–58.
 */
import { normalQuantile } from "../../src/stats/distributions";
import { checkChainsArgument, checkNumberArgument, checkOptionsArgument } from "../../src/validate";
import { MIN_TAIL_LENGTH, paretoTailLength } from "./pareto";
import {
  checkFinite,
  estimateAndSe,
  type LogLikInput,
  logSumExp,
  pointReader,
  sampleVariance,
} from "./pointwise";
import {
  type PsisResult,
  psisEffectiveSampleSize,
  psisKernel,
  type RelativeEffOption,
  resolveRelativeEff,
} from "./psis";

/** An estimate and its standard error. */
export interface LooEstimate {
  readonly estimate: number;
  readonly se: number;
}

/** One row of loo's `pareto_k_table`. */
export interface ParetoKTableRow {
  /** The interval of k, as loo prints it: "(-Inf, 0.5]", "(0.5, 0.7]", "(0.7, 1]", "(1, Inf)". */
  readonly range: string;
  readonly label: "good" | "ok" | "bad" | "very bad";
  readonly count: number;
  readonly proportion: number;
  /** Smallest PSIS effective sample size among its points (NaN when empty, loo's NA). */
  readonly minNEff: number;
}

/** The result of {@link loo}: loo's `psis_loo` object. */
export interface LooResult {
  readonly kind: "loo";
  /** Totals with standard errors (loo's `estimates` table). */
  readonly estimates: {
    readonly elpd_loo: LooEstimate;
    readonly p_loo: LooEstimate;
    readonly looic: LooEstimate;
  };
  readonly elpd_loo: number;
  readonly se_elpd_loo: number;
  readonly p_loo: number;
  readonly se_p_loo: number;
  readonly looic: number;
  readonly se_looic: number;
  /** Per point (loo's `pointwise` matrix). */
  readonly pointwise: {
    readonly elpd_loo: Float64Array;
    readonly mcse_elpd_loo: Float64Array;
    readonly p_loo: Float64Array;
    readonly looic: Float64Array;
    readonly influence_pareto_k: Float64Array;
  };
  /** Per point: Pareto k, PSIS effective sample size, relative efficiency used, tail length. */
  readonly diagnostics: {
    readonly pareto_k: Float64Array;
    readonly n_eff: Float64Array;
    readonly r_eff: Float64Array;
    readonly tail_length: Int32Array;
  };
  /** Monte Carlo SE of elpd_loo, √Σ mcse_i² (loo's `mcse_loo`); NaN when any k > 0.7. */
  readonly mcse_elpd_loo: number;
  /** loo 2.5.1's `pareto_k_table`. */
  readonly paretoKTable: readonly ParetoKTableRow[];
  /** Points with k > 0.7 (loo 2.5.1's "bad" and "very bad"). */
  readonly n_bad_k: number;
  /** The 2024 paper's threshold min(1 − 1/log10 S, 0.7) (loo ≥ 2.6.0), and the points above it. */
  readonly khatThreshold: number;
  readonly n_above_khat_threshold: number;
  /** loo's warnings, as values. */
  readonly warnings: readonly string[];
  /** Number of points and of draws; the points' names. */
  readonly points: number;
  readonly draws: number;
  readonly names: readonly string[];
  /** The PSIS object (`saveWeights: true`), else null. */
  readonly psis: PsisResult | null;
}

/** Options of {@link loo}. */
export interface LooOptions {
  /**
   * Relative efficiencies: "chains" computes them from the chains of exp(log-likelihood), as brms
   * and rstanarm pass `relative_eff(exp(ll), chain_id)` to loo; a number or one per point; the
   * default is "chains".
   */
  readonly rEff?: RelativeEffOption;
  /** Keep the smoothed log weights (loo's `save_psis`), e.g. for `looPit`. @default false */
  readonly saveWeights?: boolean;
}

/** loo's `mcse_elpd` draws 1000 normal quantiles at (r − 3/8)/(1000 − 2·3/8 + 1). */
const MCSE_SAMPLES = 1000;
let mcseNormals: Float64Array | null = null;

function normals(): Float64Array {
  if (mcseNormals === null) {
    const c = 3 / 8;
    mcseNormals = Float64Array.from({ length: MCSE_SAMPLES }, (_, r) =>
      normalQuantile((r + 1 - c) / (MCSE_SAMPLES - 2 * c + 1)),
    );
  }
  return mcseNormals;
}

/**
 * loo's `mcse_elpd` of one point: with E = Σ w̃ exp(ll) and sd² = Σ w̃² (exp(ll) − E)², the variance
 * of log(E + sd z_r) over the 1000 normal quantiles z_r with a positive argument, over r_eff, square
 * rooted. Computed with exp(ll − max ll) (the variance of a log does not change under scaling).
 */
function mcseElpd(ll: Float64Array, lwNormalized: Float64Array, elpd: number, rEff: number): number {
  const S = ll.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < S; s++) if (ll[s]! > max) max = ll[s]!;
  const E = Math.exp(elpd - max);
  let v = 0;
  for (let s = 0; s < S; s++) {
    const w = Math.exp(lwNormalized[s]!);
    const d = Math.exp(ll[s]! - max) - E;
    v += w * w * d * d;
  }
  const sdEpd = Math.sqrt(v);
  const z = normals();
  const logs = new Float64Array(MCSE_SAMPLES);
  let n = 0;
  for (let r = 0; r < MCSE_SAMPLES; r++) {
    const value = E + sdEpd * z[r]!;
    if (value > 0) logs[n++] = Math.log(value);
  }
  return Math.sqrt(sampleVariance(logs, 0, n) / rEff);
}

const K_CLASSES = [
  { range: "(-Inf, 0.5]", label: "good", upper: 0.5 },
  { range: "(0.5, 0.7]", label: "ok", upper: 0.7 },
  { range: "(0.7, 1]", label: "bad", upper: 1 },
  { range: "(1, Inf)", label: "very bad", upper: Number.POSITIVE_INFINITY },
] as const;

/**
 * loo 2.5.1's `pareto_k_table`: counts of k in (−∞, 0.5], (0.5, 0.7], (0.7, 1], (1, ∞), their
 * proportions and the smallest PSIS effective sample size in each (NaN when empty).
 *
 * @example paretoKTable(Float64Array.of(0.1, 0.6), Float64Array.of(900, 300))[1].count // 1
 */
export function paretoKTable(paretoK: ArrayLike<number>, nEff: ArrayLike<number>): ParetoKTableRow[] {
  checkChainsArgument(paretoK, "paretoK");
  checkChainsArgument(nEff, "nEff");
  const N = paretoK.length;
  return K_CLASSES.map((c, at) => {
    const lower = at === 0 ? Number.NEGATIVE_INFINITY : K_CLASSES[at - 1]!.upper;
    let count = 0;
    let minNEff = Number.POSITIVE_INFINITY;
    for (let i = 0; i < N; i++) {
      const k = paretoK[i]!;
      if (k > lower && (k <= c.upper || c.upper === Number.POSITIVE_INFINITY)) {
        count++;
        if (nEff[i]! < minNEff) minNEff = nEff[i]!;
      }
    }
    return {
      range: c.range,
      label: c.label,
      count,
      proportion: count / N,
      minNEff: count === 0 ? Number.NaN : minNEff,
    };
  });
}

/**
 * The sample-size-dependent Pareto k threshold of Vehtari et al. (2024, eq. 13): min(1 − 1/log10 S, 0.7)
 * (loo ≥ 2.6.0; loo 2.5.1 uses 0.7 alone).
 *
 * @example khatThreshold(100) // 0.5
 */
export function khatThreshold(S: number): number {
  checkNumberArgument(S, "S", "a number of draws", false);
  return Math.min(1 - 1 / Math.log10(S), 0.7);
}

/**
 * PSIS-LOO of a pointwise log-likelihood (loo's `loo()`; see the file comment for the formulas).
 *
 * @param logLik - S draws × N points (Draws with one parameter per point, each chain by chain) or a
 *   pointwise function (loo's `loo.function`: one point at a time, memory O(S))
 * @param options - `rEff` (default "chains": from the chains of exp(ll)), `saveWeights`
 * @returns estimates (elpd_loo, p_loo, looic with SEs), pointwise values, Pareto k diagnostics, warnings
 * @throws ArgumentError for a non-finite log-likelihood value (naming the point), fewer than 2 draws
 * @example loo(logLikMatrix(model, post)).elpd_loo // sleepstudy (Days | Subject), default priors, leave one Subject out: ≈ −886
 * @see Vehtari, Gelman & Gabry (2017), doi:10.1007/s11222-016-9696-4; Vehtari et al. (2024) JMLR 25(72)
 */
export function loo(logLik: LogLikInput, options: LooOptions = {}): LooResult {
  checkOptionsArgument(options);
  const reader = pointReader(logLik, "logLik");
  const { points: N, draws: S, chains, iterations } = reader;
  const rEffOf = resolveRelativeEff(options.rEff ?? "chains", N);
  const save = options.saveWeights === true;
  const weights = save ? new Float64Array(N * S) : new Float64Array(S);
  const scratch = new Float64Array(S);
  const ratios = new Float64Array(S);
  const sum = new Float64Array(S);
  const elpd = new Float64Array(N);
  const mcse = new Float64Array(N);
  const pLoo = new Float64Array(N);
  const looic = new Float64Array(N);
  const paretoK = new Float64Array(N);
  const nEff = new Float64Array(N);
  const rEff = new Float64Array(N);
  const tailLength = new Int32Array(N);
  const normConstLog = new Float64Array(N);
  const logS = Math.log(S);
  for (let i = 0; i < N; i++) {
    const ll = reader.read(i, scratch);
    checkFinite(ll, i, reader.names);
    let r = rEffOf(i, ll, chains, iterations);
    if (Number.isNaN(r)) r = 1;
    for (let s = 0; s < S; s++) ratios[s] = -ll[s]!;
    const lw = save ? weights.subarray(i * S, (i + 1) * S) : weights;
    const M = paretoTailLength(r, S);
    paretoK[i] = psisKernel(S, ratios, M, lw);
    const norm = logSumExp(lw, 0, S);
    normConstLog[i] = norm;
    nEff[i] = psisEffectiveSampleSize(lw, norm, r);
    // Normalized log weights in `ratios` (no longer needed), then elpd_i = logSumExp(ll + lw̃).
    for (let s = 0; s < S; s++) {
      ratios[s] = lw[s]! - norm;
      sum[s] = ll[s]! + ratios[s]!;
    }
    elpd[i] = logSumExp(sum, 0, S);
    pLoo[i] = logSumExp(ll, 0, S) - logS - elpd[i]!;
    looic[i] = -2 * elpd[i]!;
    mcse[i] = mcseElpd(ll, ratios, elpd[i]!, r);
    rEff[i] = r;
    tailLength[i] = M;
  }
  const e = estimateAndSe(elpd);
  const p = estimateAndSe(pLoo);
  const ic = estimateAndSe(looic);
  let nBad = 0;
  let nSlightly = 0;
  let mcseSum = 0;
  const threshold = khatThreshold(S);
  let nAbove = 0;
  let shortTails = 0;
  for (let i = 0; i < N; i++) {
    if (paretoK[i]! > 0.7) nBad++;
    else if (paretoK[i]! > 0.5) nSlightly++;
    if (paretoK[i]! > threshold) nAbove++;
    if (tailLength[i]! < MIN_TAIL_LENGTH) shortTails++;
    mcseSum += mcse[i]! * mcse[i]!;
  }
  const warnings: string[] = [];
  if (shortTails > 0)
    warnings.push(
      `Not enough tail samples to fit the generalized Pareto distribution for ${shortTails} of ${N} points (fewer than ${MIN_TAIL_LENGTH} tail draws of ${S}): their k is Inf. Run more draws.`,
    );
  if (nBad > 0)
    warnings.push(
      `Some Pareto k diagnostic values are too high: ${nBad} of ${N} points have k > 0.7, where PSIS-LOO is unreliable.`,
    );
  else if (nSlightly > 0)
    warnings.push(
      `Some Pareto k diagnostic values are slightly high: ${nSlightly} of ${N} points have k > 0.5.`,
    );
  const names = reader.names ?? Array.from({ length: N }, (_, i) => `log_lik[${i + 1}]`);
  return {
    kind: "loo",
    estimates: { elpd_loo: e, p_loo: p, looic: ic },
    elpd_loo: e.estimate,
    se_elpd_loo: e.se,
    p_loo: p.estimate,
    se_p_loo: p.se,
    looic: ic.estimate,
    se_looic: ic.se,
    pointwise: { elpd_loo: elpd, mcse_elpd_loo: mcse, p_loo: pLoo, looic, influence_pareto_k: paretoK },
    diagnostics: { pareto_k: paretoK, n_eff: nEff, r_eff: rEff, tail_length: tailLength },
    mcse_elpd_loo: nBad > 0 ? Number.NaN : Math.sqrt(mcseSum),
    paretoKTable: paretoKTable(paretoK, nEff),
    n_bad_k: nBad,
    khatThreshold: threshold,
    n_above_khat_threshold: nAbove,
    warnings,
    points: N,
    draws: S,
    names,
    psis: save
      ? {
          logWeights: { parameters: names, chains, iterations, values: weights },
          normConstLog,
          paretoK,
          nEff,
          tailLength,
          rEff,
        }
      : null,
  };
}
