/**
 * The linear predictor of a posterior draw, mu = offset + X beta + sum_k Z_k b_k, and what follows
 * from it on the rows the model was fitted to: fitted values, residuals y − mu and the log-likelihood
 * sum_i log N(y_i | mu_i, sigma2), each per draw and summarized over draws (brms's `fitted`,
 * `residuals`, `log_lik` summed over rows).
 *
 * `linearPredictor(posterior)` is the hook for prediction and posterior predictive checks: it gives
 * mu for any draw, so that y_rep = mu + sigma e needs only a generator.
 */
import { AR1_PHI_NAME, betaName, randomEffectName } from "../src/draws/names";
import type { Posterior } from "../src/draws/posterior";
import type { Draws } from "../src/draws/types";
import { ArgumentError } from "../src/errors";
import { ar1LogDeterminant, ar1Whiten } from "../src/model/ar1";
import { requireRows } from "../src/model/stats";
import { residualPlan } from "../src/predict/residual-scale";
import { groupingFactors } from "../src/priors/factors";
import { checkPosteriorArgument } from "../src/validate";
import {
  checkProb,
  type PosteriorRow,
  parameterIndexMap,
  posteriorFixef,
  summarizeDerived,
} from "./posterior-summary";

/** mu for one draw, for a range of rows. */
export interface LinearPredictor {
  /** Number of rows (the model's n). */
  readonly n: number;
  /** Draws per chain and chains: draw (c, t) is chain c's t-th kept draw. */
  readonly chains: number;
  readonly iterations: number;
  /** Number of random effects (gathered once per `evaluate` call). */
  readonly randomEffectCount: number;
  /** Whether the random effects' draws are available (otherwise `evaluate` uses their posterior means). */
  readonly randomEffectDraws: boolean;
  /**
   * Writes mu of rows [from, from + out.length) at draw (c, t) into `out`. With `randomEffectDraws`
   * false, b is held at its posterior mean (so only the mean over draws of mu is exact).
   */
  evaluate(c: number, t: number, from: number, out: Float64Array): void;
}

/**
 * The linear predictor of a posterior on its model's rows.
 *
 * @param posterior - the sampler's result (it carries its model)
 * @returns an evaluator of mu per draw
 * @throws ArgumentError when the posterior lacks a parameter its model needs
 * @example const lp = linearPredictor(post); const mu = new Float64Array(lp.n); lp.evaluate(0, 0, 0, mu);
 */
export function linearPredictor(posterior: Posterior): LinearPredictor {
  checkPosteriorArgument(posterior);
  const model = posterior.model;
  requireRows(model, "The linear predictor per row (fitted values, residuals, predictive checks)");
  const at = parameterIndexMap(posterior);
  const need = (name: string): number => {
    const k = at.get(name);
    if (k === undefined) throw new ArgumentError("posterior", "must have every fixed effect's draws", name);
    return k;
  };
  const betaIndex = Int32Array.from(model.fixedNames, (name) => need(betaName(name)));
  const summary = posterior.randomEffectsSummary;
  const summaryIndex = summary === null ? null : new Map(summary.names.map((name, k) => [name, k]));
  const factors = groupingFactors(model).map((f) => {
    // Parameter (or summary) index of each level's first column; a level's columns follow in order.
    const first = Int32Array.from(f.levels, (level) => {
      const name = randomEffectName(f.group, level, f.names[0]!);
      const k = summaryIndex === null ? at.get(name) : summaryIndex.get(name);
      if (k === undefined)
        throw new ArgumentError("posterior", "must have the random effects of its model", name);
      return k;
    });
    return { q: f.q, refs: f.refs, values: f.values, first, b: new Float64Array(f.levels.length * f.q) };
  });
  const { chains, iterations, values } = posterior;
  const size = chains * iterations;
  const p = model.p;
  const X = model.X;
  const offset = model.offset;
  const beta = new Float64Array(p);
  return {
    n: model.n,
    chains,
    iterations,
    randomEffectCount: factors.reduce((sum, f) => sum + f.b.length, 0),
    randomEffectDraws: summary === null,
    evaluate(c, t, from, out) {
      const draw = c * iterations + t;
      for (let j = 0; j < p; j++) beta[j] = values[betaIndex[j]! * size + draw]!;
      // Gather this draw's random effects into contiguous buffers first: reading them row by row
      // from the parameter-major draws would jump a whole parameter block per row.
      for (const f of factors) {
        const q = f.q;
        for (let level = 0; level < f.first.length; level++) {
          const k0 = f.first[level]!;
          for (let a = 0; a < q; a++)
            f.b[level * q + a] = summary === null ? values[(k0 + a) * size + draw]! : summary.mean[k0 + a]!;
        }
      }
      const rows = out.length;
      for (let r = 0; r < rows; r++) {
        const i = from + r;
        let mu = offset === null ? 0 : offset[i]!;
        for (let j = 0; j < p; j++) mu += X[i * p + j]! * beta[j]!;
        out[r] = mu;
      }
      for (let k = 0; k < factors.length; k++) {
        const f = factors[k]!;
        const { q, refs, b } = f;
        const z = f.values;
        if (q === 1) for (let r = 0; r < rows; r++) out[r] = out[r]! + z[from + r]! * b[refs[from + r]!]!;
        else
          for (let r = 0; r < rows; r++) {
            const i = from + r;
            const at = refs[i]! * q;
            let s = 0;
            for (let a = 0; a < q; a++) s += z[i * q + a]! * b[at + a]!;
            out[r] = out[r]! + s;
          }
      }
    },
  };
}

/** Per-row posterior summaries of fitted values or residuals, columns as Float64Arrays of length n. */
export interface RowSummaries {
  /** Posterior means. */
  readonly estimate: Float64Array;
  /** Posterior sds (NaN without random-effect draws). */
  readonly se: Float64Array;
  /** Central credible interval ends (NaN without random-effect draws). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Rows evaluated together: at least this many, and as many as there are random effects (each call gathers them all), within a budget of numbers held at once. */
const ROW_BLOCK = 64;
const ROW_BUDGET = 32_000_000;

function rowSummaries(posterior: Posterior, kind: "fitted" | "residuals", prob: number): RowSummaries {
  checkProb(prob);
  const lp = linearPredictor(posterior);
  const { n, chains, iterations } = lp;
  const y = posterior.model.y;
  const estimate = new Float64Array(n);
  const se = new Float64Array(n).fill(Number.NaN);
  const lower = new Float64Array(n).fill(Number.NaN);
  const upper = new Float64Array(n).fill(Number.NaN);
  if (!lp.randomEffectDraws) {
    // mu is linear in (beta, b): its posterior mean is mu at the posterior means.
    const mu = new Float64Array(n);
    const beta = posteriorFixef(posterior).map((r) => r.estimate);
    linearPredictor(meanDraw(posterior, beta)).evaluate(0, 0, 0, mu);
    for (let i = 0; i < n; i++) estimate[i] = kind === "fitted" ? mu[i]! : y[i]! - mu[i]!;
    return { estimate, se, lower, upper };
  }
  const per = Math.min(
    n,
    Math.max(ROW_BLOCK, Math.min(lp.randomEffectCount, Math.floor(ROW_BUDGET / (chains * iterations)))),
  );
  const block = new Float64Array(per * chains * iterations);
  const mu = new Float64Array(per);
  for (let from = 0; from < n; from += per) {
    const rows = Math.min(per, n - from);
    const view = mu.subarray(0, rows);
    const size = chains * iterations;
    for (let c = 0; c < chains; c++)
      for (let t = 0; t < iterations; t++) {
        lp.evaluate(c, t, from, view);
        const d = c * iterations + t;
        for (let r = 0; r < rows; r++)
          block[r * size + d] = kind === "fitted" ? view[r]! : y[from + r]! - view[r]!;
      }
    const names = Array.from({ length: rows }, (_, r) => `${kind}[${from + r + 1}]`);
    const summaries: PosteriorRow[] = summarizeDerived(
      names,
      chains,
      iterations,
      (k, out) => out.set(block.subarray(k * size, (k + 1) * size)),
      prob,
    );
    summaries.forEach((s, r) => {
      estimate[from + r] = s.estimate;
      se[from + r] = s.se;
      lower[from + r] = s.lower;
      upper[from + r] = s.upper;
    });
  }
  return { estimate, se, lower, upper };
}

/** A one-draw posterior whose beta is `beta` (and b its running means): the plug-in mu. */
function meanDraw(posterior: Posterior, beta: readonly number[]): Posterior {
  const parameters = posterior.fixedNames.map(betaName);
  return {
    ...posterior,
    parameters,
    chains: 1,
    iterations: 1,
    values: Float64Array.from(beta),
  };
}

/**
 * Posterior summaries of the fitted values mu_i = offset_i + x_i beta + z_i b, per row of the model
 * (brms's `fitted`). Without random-effect draws (`randomEffects: "summary"`), only the posterior mean
 * is known: `se`, `lower` and `upper` are NaN.
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability @default 0.95
 * @returns per-row summaries, in the model's row order
 */
export function posteriorFitted(posterior: Posterior, prob = 0.95): RowSummaries {
  return rowSummaries(posterior, "fitted", prob);
}

/**
 * Posterior summaries of the residuals y_i − mu_i per row (brms's `residuals`, type "ordinary").
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability @default 0.95
 * @returns per-row summaries, in the model's row order
 */
export function posteriorResiduals(posterior: Posterior, prob = 0.95): RowSummaries {
  return rowSummaries(posterior, "residuals", prob);
}

/**
 * The log-likelihood of every kept draw, conditional on its random effects:
 * sum_i log N(y_i | mu_i, v_i) (the sum over rows of the pointwise log-likelihood), v_i = sigma2, or
 * sigma2 / w_i with precision weights, sigma2 of row i's level with varIdent. With AR(1) residuals
 * (nlme's corAR1) the rows of a chain are not independent: log N(y | mu, sigma2 R(phi)) =
 * −(n log 2π + n log sigma2 + log |R(phi)| + e'R(phi)⁻¹e / sigma2) / 2, e'R⁻¹e by whitening
 * (src/model/ar1.ts), at each draw's phi.
 *
 * @param posterior - the sampler's result, with its random effects' draws
 * @returns draws of one parameter, `logLik` (chains × iterations)
 * @throws ArgumentError when the random effects' draws were not kept
 */
export function posteriorLogLik(posterior: Posterior): Draws {
  const lp = linearPredictor(posterior);
  if (!lp.randomEffectDraws)
    throw new ArgumentError(
      "posterior",
      'must keep its random effects\' draws for the log-likelihood (gibbs(model, { randomEffects: "draws" }))',
      "summary",
    );
  const { n, chains, iterations } = lp;
  const y = posterior.model.y;
  const size = chains * iterations;
  const s2 = posterior.values.subarray(
    posterior.parameters.indexOf("sigma2") * size,
    (posterior.parameters.indexOf("sigma2") + 1) * size,
  );
  const values = new Float64Array(size);
  const mu = new Float64Array(n);
  const LOG_2PI = Math.log(2 * Math.PI);
  const ar1 = posterior.model.ar1 ?? null;
  if (ar1 !== null) {
    const phi = posterior.values.subarray(
      posterior.parameters.indexOf(AR1_PHI_NAME) * size,
      (posterior.parameters.indexOf(AR1_PHI_NAME) + 1) * size,
    );
    const e = new Float64Array(n);
    const white = new Float64Array(n);
    for (let c = 0; c < chains; c++)
      for (let t = 0; t < iterations; t++) {
        const d = c * iterations + t;
        lp.evaluate(c, t, 0, mu);
        for (let i = 0; i < n; i++) e[i] = y[i]! - mu[i]!;
        ar1Whiten(ar1, phi[d]!, e, white);
        let q = 0;
        for (let i = 0; i < n; i++) q += white[i]! * white[i]!;
        const s = s2[d]!;
        values[d] = -0.5 * (n * (LOG_2PI + Math.log(s)) + ar1LogDeterminant(ar1, phi[d]!) + q / s);
      }
    return { parameters: ["logLik"], chains, iterations, values };
  }
  // With precision weights or a variance per level (varIdent), each row has its own variance.
  const plan = residualPlan(posterior);
  const v = plan.iid ? null : new Float64Array(n);
  for (let c = 0; c < chains; c++)
    for (let t = 0; t < iterations; t++) {
      const d = c * iterations + t;
      lp.evaluate(c, t, 0, mu);
      if (v === null) {
        let rss = 0;
        for (let i = 0; i < n; i++) rss += (y[i]! - mu[i]!) ** 2;
        const s = s2[d]!;
        values[d] = -0.5 * (n * (LOG_2PI + Math.log(s)) + rss / s);
        continue;
      }
      plan.variances(d, v);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += LOG_2PI + Math.log(v[i]!) + (y[i]! - mu[i]!) ** 2 / v[i]!;
      values[d] = -0.5 * sum;
    }
  return { parameters: ["logLik"], chains, iterations, values };
}
