/**
 * The marginal likelihood p(y | model) from the Gibbs output (Chib 1995), with the Rao-Blackwellized
 * ordinates the conjugate structure allows, and Bayes factors between models of the same data.
 *
 * At a point (sigma2*, Psi*) of high posterior density (sigma2* = 1 / mean(1/sigma2), Psi* the
 * inverse of the posterior mean of Psi⁻¹ — near the mode, and positive definite),
 *     log p(y) = log p(y | sigma2*, Psi*) + log p(sigma2*) + Σ_k log p(Psi_k*)
 *                − log p(Psi* | y) − log p(sigma2* | Psi*, y),
 * where
 * - p(y | sigma2*, Psi*) is exact: beta and b integrated out analytically (src/loglik/integrated.ts);
 * - p(Psi* | y) = E[Π_k InvWishart(Psi_k*; df_k + m_k, scale_k + Σ_j b_kj b_kj')] over the posterior
 *   draws of b (given b the Psi_k are independent with these full conditionals; each diagonal block
 *   of an uncorrelated term on its own);
 * - p(sigma2* | Psi*, y) = E[InvGamma(sigma2*; shape + n/2, scale + RSS(beta, b)/2)] over a reduced
 *   run: the Gibbs sampler with Psi fixed at Psi*, drawing (beta, b) and sigma2 only.
 * Each ordinate's Monte Carlo SE is the MCSE of the mean of its terms (posterior's ESS over the
 * chains, diagnostics/mcse.ts) over the mean, by the delta method; the two runs are independent
 * (the reduced run draws from streams after the main run's), so the variances add.
 *
 * The reduced run is the sampler's list of steps (steps.ts) without the Psi steps.
 *
 * Reference: Chib (1995) Marginal likelihood from the Gibbs output, JASA 90(432):1313–1321,
 * doi:10.1080/01621459.1995.10476635. Kass & Raftery (1995) Bayes factors, JASA 90(430):773–795,
 * doi:10.1080/01621459.1995.10476572.
 */
import { mcseMean } from "../diagnostics/mcse";
import type { Posterior } from "../src/draws/posterior";
import { ArgumentError } from "../src/errors";
import { inverseSpd } from "../src/linalg/spd";
import { integratedLikelihood, logIntegratedLikelihood } from "../src/loglik/integrated";
import { parameterDraws, psiPrecisions } from "../src/loglik/parameters";
import type { LmmModel } from "../src/model/types";
import { groupingFactors } from "../src/priors/factors";
import { Random } from "../src/random/generator";
import { logInverseGammaDensity, logInverseWishartDensity } from "../src/stats/densities";
import {
  checkModelArgument,
  checkObjectArgument,
  checkOptionsArgument,
  checkPosteriorArgument,
} from "../src/validate";
import { compileModel } from "./compile";
import { residualSumOfSquares } from "./drawSigma2";
import { allocateState, initializeState } from "./state";
import { stepsFor } from "./steps";
import type { Strategy } from "./types";

/** Options of {@link marginalLikelihood}: the reduced run's size. */
export interface MarginalLikelihoodOptions {
  /** Draws kept per chain of the reduced run. @default the posterior's draws per chain */
  readonly iter?: number;
  /** Its warmup iterations. @default the posterior's warmup */
  readonly warmup?: number;
  /** Its seed (chain c uses stream chains + c, after the main run's). @default the posterior's seed */
  readonly seed?: number;
}

/** The result of {@link marginalLikelihood}. */
export interface MarginalLikelihood {
  /** log p(y | model). */
  readonly logMarginalLikelihood: number;
  /** Its Monte Carlo standard error. */
  readonly mcse: number;
  /** The pieces of Chib's identity (log scale) and the ordinates' MCSEs. */
  readonly terms: {
    readonly logLikelihood: number;
    readonly logPrior: number;
    readonly logPosteriorPsi: number;
    readonly mcsePsi: number;
    readonly logPosteriorSigma2: number;
    readonly mcseSigma2: number;
  };
  /** The point (sigma2*, Psi*) the identity is evaluated at. */
  readonly point: { readonly sigma2: number; readonly psi: Readonly<Record<string, number[][]>> };
  readonly reducedRun: {
    readonly chains: number;
    readonly iter: number;
    readonly warmup: number;
    readonly seed: number;
  };
  readonly formula: string;
  /** The data the likelihood is of: response name, rows, and a fingerprint of y's values. */
  readonly data: { readonly response: string; readonly n: number; readonly fingerprint: string };
}

/** FNV-1a (32-bit) over y's bytes: equal data give equal fingerprints. */
function fingerprint(y: Float64Array): string {
  const bytes = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${y.length}:${h.toString(16).padStart(8, "0")}`;
}

/** log of the mean of exp(values) and its MCSE (delta method), values chain by chain. */
function logMeanExp(
  values: Float64Array,
  chains: number,
  iterations: number,
): { value: number; mcse: number } {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  const scaled = values.map((v) => Math.exp(v - max));
  let mean = 0;
  for (const v of scaled) mean += v;
  mean /= scaled.length;
  const parts = Array.from({ length: chains }, (_, c) =>
    scaled.subarray(c * iterations, (c + 1) * iterations),
  );
  const se = mcseMean(parts);
  return { value: max + Math.log(mean), mcse: Number.isFinite(se) ? se / mean : 0 };
}

const rowsOf = (a: Float64Array, q: number) =>
  Array.from({ length: q }, (_, i) => Array.from(a.subarray(i * q, (i + 1) * q)));

/**
 * Chib's (1995) marginal likelihood of a model from its posterior (see the file comment).
 *
 * @param model - the model
 * @param posterior - `gibbs(model, ...)`'s result, with the random effects kept as draws
 * @param options - the reduced run's iter, warmup and seed
 * @returns log p(y | model), its MCSE, the terms of the identity and the point used
 * @throws ArgumentError when the posterior is not of this model or kept only summaries of b
 * @example marginalLikelihood(model, await gibbs(model, { priors })).logMarginalLikelihood
 * @see Chib (1995), doi:10.1080/01621459.1995.10476635
 */
export function marginalLikelihood(
  model: LmmModel,
  posterior: Posterior,
  options: MarginalLikelihoodOptions = {},
): MarginalLikelihood {
  checkModelArgument(model);
  checkPosteriorArgument(posterior);
  checkOptionsArgument(options);
  if ((model.ar1 ?? null) !== null)
    throw new ArgumentError(
      "model",
      "has AR(1) residuals: Chib's marginal likelihood (its reduced run and src/loglik/integrated.ts) is not implemented for them",
      model.formula,
    );
  if ((model.weights !== null && model.weights !== undefined) || (model.varIdent ?? null) !== null)
    throw new ArgumentError(
      "model",
      "has precision weights or a varIdent residual variance: Chib's marginal likelihood (src/loglik/integrated.ts) is not implemented for them yet",
      model.formula,
    );
  if (posterior.formula !== model.formula || posterior.nobs !== model.n)
    throw new ArgumentError(
      "posterior",
      `must be a posterior of this model (\`${model.formula}\`, ${model.n} rows)`,
      `${posterior.formula}, ${posterior.nobs} rows`,
    );
  const priors = posterior.priors;
  const factors = groupingFactors(model);
  const K = factors.length;
  const pd = parameterDraws(model, factors, posterior, new Array(K).fill(true), new Array(K).fill(true));
  const S = pd.S;
  const { chains, iterations } = posterior;

  // The point: sigma2* = 1/mean(1/sigma2), Psi* = (mean Psi⁻¹)⁻¹.
  let meanPrecision = 0;
  for (let s = 0; s < S; s++) meanPrecision += 1 / pd.sigma2[s]!;
  const sigma2 = S / meanPrecision;
  const psi = factors.map((f, k) => {
    const { precision } = psiPrecisions(f.q, pd.psi[k]!, S, f.group);
    const qq = f.q * f.q;
    const mean = new Float64Array(qq);
    for (let s = 0; s < S; s++) for (let e = 0; e < qq; e++) mean[e]! += precision[s * qq + e]! / S;
    return inverseSpd({ rows: f.q, cols: f.q, data: mean }, `Psi[${f.group}]`).data;
  });

  const logLikelihood = logIntegratedLikelihood(integratedLikelihood(model, priors), sigma2, psi);
  const qMax = Math.max(...factors.map((f) => f.q));
  const work = new Float64Array(2 * qMax * qMax);
  let logPrior = logInverseGammaDensity(sigma2, priors.sigma2.shape, priors.sigma2.scale);
  factors.forEach((f, k) => {
    for (const block of f.blocks) {
      const o = block.start * f.q + block.start;
      logPrior += logInverseWishartDensity(
        block.size,
        psi[k]!,
        o,
        priors.psi[k]!.df,
        priors.psi[k]!.scale,
        o,
        f.q,
        work,
      );
    }
  });

  // p(Psi* | y): mean over the posterior draws of Π_k InvWishart(Psi_k*; df + m, scale + Σ_j b_j b_j').
  const ordinatePsi = new Float64Array(S);
  const B = new Float64Array(qMax * qMax);
  for (let s = 0; s < S; s++) {
    let value = 0;
    factors.forEach((f, k) => {
      const q = f.q;
      const b = pd.b[k]!;
      const prior = priors.psi[k]!;
      B.set(prior.scale);
      for (let j = 0; j < f.m; j++)
        for (let a = 0; a < q; a++) {
          const ba = b[j * q + a]![s]!;
          for (let c = 0; c <= a; c++) B[a * q + c]! += ba * b[j * q + c]![s]!;
        }
      for (const block of f.blocks) {
        const o = block.start * q + block.start;
        value += logInverseWishartDensity(block.size, psi[k]!, o, prior.df + f.m, B, o, q, work);
      }
    });
    ordinatePsi[s] = value;
  }
  const posteriorPsi = logMeanExp(ordinatePsi, chains, iterations);

  // p(sigma2* | Psi*, y): the reduced run.
  const iter = options.iter ?? iterations;
  const warmup = options.warmup ?? posterior.settings.warmup;
  const seed = options.seed ?? posterior.settings.seed;
  if (!Number.isSafeInteger(iter) || iter < 2)
    throw new ArgumentError("options.iter", "must be an integer >= 2", iter);
  if (!Number.isSafeInteger(warmup) || warmup < 0)
    throw new ArgumentError("options.warmup", "must be an integer >= 0", warmup);
  if (!Number.isSafeInteger(seed)) throw new ArgumentError("options.seed", "must be an integer", seed);
  const ordinateSigma2 = reducedRun(model, posterior, sigma2, psi, { chains, iter, warmup, seed });
  const posteriorSigma2 = logMeanExp(ordinateSigma2, chains, iter);

  return {
    logMarginalLikelihood: logLikelihood + logPrior - posteriorPsi.value - posteriorSigma2.value,
    mcse: Math.hypot(posteriorPsi.mcse, posteriorSigma2.mcse),
    terms: {
      logLikelihood,
      logPrior,
      logPosteriorPsi: posteriorPsi.value,
      mcsePsi: posteriorPsi.mcse,
      logPosteriorSigma2: posteriorSigma2.value,
      mcseSigma2: posteriorSigma2.mcse,
    },
    point: { sigma2, psi: Object.fromEntries(factors.map((f, k) => [f.group, rowsOf(psi[k]!, f.q)])) },
    reducedRun: { chains, iter, warmup, seed },
    formula: model.formula,
    data: { response: model.response, n: model.n, fingerprint: fingerprint(model.y) },
  };
}

/**
 * The reduced run: Gibbs with Psi fixed at `psi`, drawing (beta, b) | sigma2 and sigma2 | (beta, b);
 * after each location draw past warmup, log InvGamma(sigma2*; shape + n/2, scale + RSS/2).
 *
 * @returns chains × iter log ordinates, chain by chain
 */
function reducedRun(
  model: LmmModel,
  posterior: Posterior,
  sigma2: number,
  psi: readonly Float64Array[],
  run: { chains: number; iter: number; warmup: number; seed: number },
): Float64Array {
  const compiled = compileModel(model, posterior.priors, posterior.settings.strategy as Strategy);
  const init = {
    sigma2,
    psi: Object.fromEntries(compiled.factors.map((f, k) => [f.group, rowsOf(psi[k]!, f.q)])),
  };
  const shape = compiled.sigma2Shape + compiled.n / 2;
  const out = new Float64Array(run.chains * run.iter);
  const state = allocateState(compiled);
  const steps = stepsFor(compiled);
  for (let c = 0; c < run.chains; c++) {
    const rng = Random.fromSeed(run.seed, run.chains + c);
    initializeState(compiled, state, rng, init, c);
    for (let t = 0; t < run.warmup + run.iter; t++)
      for (const step of steps) {
        if (step.spec.kind === "psi") continue;
        if (step.spec.kind === "sigma2" && t >= run.warmup)
          out[c * run.iter + t - run.warmup] = logInverseGammaDensity(
            sigma2,
            shape,
            compiled.sigma2Scale + residualSumOfSquares(compiled, state) / 2,
          );
        step.draw(compiled, state, rng);
      }
  }
  return out;
}

/** The result of {@link bayesFactor}. */
export interface BayesFactor {
  /** log p(y | model 1) − log p(y | model 2), and its exponential. */
  readonly logBayesFactor: number;
  readonly bayesFactor: number;
  /** MCSE of the log Bayes factor (the two estimates are independent). */
  readonly mcse: number;
  readonly formulas: readonly [string, string];
}

/**
 * The Bayes factor of model 1 against model 2 from their marginal likelihoods.
 *
 * @param a - marginalLikelihood(model1, posterior1)
 * @param b - marginalLikelihood(model2, posterior2), of the same data
 * @returns log BF, BF and the MCSE of log BF
 * @throws ArgumentError when the two are not of the same response values
 * @example bayesFactor(mlSlope, mlIntercept).logBayesFactor // > 0 favours the first
 * @see Kass & Raftery (1995), doi:10.1080/01621459.1995.10476572
 */
export function bayesFactor(a: MarginalLikelihood, b: MarginalLikelihood): BayesFactor {
  checkObjectArgument(a, "a", "a marginal likelihood (marginalLikelihood(model, posterior))", [
    "data",
    "logMarginalLikelihood",
  ]);
  checkObjectArgument(b, "b", "a marginal likelihood (marginalLikelihood(model, posterior))", [
    "data",
    "logMarginalLikelihood",
  ]);
  if (a.data.fingerprint !== b.data.fingerprint || a.data.response !== b.data.response)
    throw new ArgumentError(
      "b",
      `must be of the same data as \`${a.formula}\` (${a.data.response}, ${a.data.n} rows): Bayes factors compare models of the same y`,
      `${b.formula}: ${b.data.response}, ${b.data.n} rows`,
    );
  const logBayesFactor = a.logMarginalLikelihood - b.logMarginalLikelihood;
  return {
    logBayesFactor,
    bayesFactor: Math.exp(logBayesFactor),
    mcse: Math.hypot(a.mcse, b.mcse),
    formulas: [a.formula, b.formula],
  };
}
