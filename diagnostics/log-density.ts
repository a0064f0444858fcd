/**
 * The log joint density of every kept draw, lp = log p(y, beta, b, Psi, sigma2) — Stan's `lp__` and
 * ArviZ's `sample_stats.lp` for our model, with every normalizing constant:
 *
 *     lp = sum_i log N(y_i | mu_i, v_i)                           (the data, given b; v_i = sigma2,
 *                                                                    sigma2 / w_i with weights, its level's with varIdent)
 *        + sum_k sum_j log N(b_kj | 0, Psi_k)                        (each block of Psi_k separately)
 *        + log N(beta | mean, cov)
 *        + sum_k sum_blocks log InvWishart(Psi_k,block | df_k, scale_k,block)
 *        + log InvGamma(sigma2 | shape, scale)                     (and each varIdent level's variance)
 *        + log p(phi)                                              (AR(1): (phi + 1)/2 ~ Beta(a, b), the data's
 *                                                                    term then log N(y | mu, sigma2 R(phi)))
 *
 *     log InvWishart(Psi | nu, S) = (nu/2) log|S| − (nu q/2) log 2 − log Γ_q(nu/2)
 *                                   − ((nu + q + 1)/2) log|Psi| − tr(S Psi⁻¹)/2
 *     log InvGamma(s | a, b)      = a log b − log Γ(a) − (a + 1) log s − b/s
 *
 * (a block of size 1 is the one-dimensional inverse-Wishart, InvGamma(df/2, scale/2), DESIGN.md).
 * It needs the random effects' draws.
 */
import { AR1_PHI_NAME, betaName, psiName, randomEffectName, residualVarianceName } from "../src/draws/names";
import type { Posterior } from "../src/draws/posterior";
import { ArgumentError } from "../src/errors";
import { logdetFromCholesky, potrf, trsv } from "../src/linalg";
import { logGamma } from "../src/stats/distributions";
import { checkPosteriorArgument } from "../src/validate";
import { posteriorLogLik } from "./linear-predictor";
import { parameterIndexMap } from "./posterior-summary";

const LOG_2PI = Math.log(2 * Math.PI);

/** Lower Cholesky factor of a k × k block copied out of `A` (row-major), or null if not positive definite. */
function factor(k: number, A: Float64Array): Float64Array | null {
  const L = Float64Array.from(A);
  return potrf(k, L, k, 1, 0) === 0 ? L : null;
}

/** x'A⁻¹x from A's Cholesky factor (x is overwritten). */
function quadratic(k: number, L: Float64Array, x: Float64Array): number {
  trsv("lower", "no-transpose", "non-unit", k, L, k, 1, 0, x, 1, 0);
  let s = 0;
  for (let i = 0; i < k; i++) s += x[i]! * x[i]!;
  return s;
}

/** log Γ_q(a), the multivariate gamma function. */
function logMultivariateGamma(q: number, a: number): number {
  let s = ((q * (q - 1)) / 4) * Math.log(Math.PI);
  for (let j = 1; j <= q; j++) s += logGamma(a + (1 - j) / 2);
  return s;
}

/**
 * lp, the log joint density of (y, beta, b, Psi, sigma2) at every kept draw.
 *
 * @param posterior - the sampler's result, with its random effects' draws
 * @returns one value per draw, chain-major (`c * iterations + t`); −Infinity where a Psi is singular
 * @throws ArgumentError when the random effects' draws were not kept
 * @example logJointDensity(post).length // post.chains * post.iterations
 */
export function logJointDensity(posterior: Posterior): Float64Array {
  checkPosteriorArgument(posterior);
  const lp = Float64Array.from(posteriorLogLik(posterior).values);
  const { chains, iterations, values, priors } = posterior;
  const size = chains * iterations;
  const at = parameterIndexMap(posterior);
  const index = (name: string) => {
    const k = at.get(name);
    if (k === undefined) throw new ArgumentError("posterior", "must have every parameter of its model", name);
    return k;
  };
  const value = (k: number, d: number) => values[k * size + d]!;
  // beta ~ N(mean, cov)
  const p = posterior.fixedNames.length;
  const betaIndex = posterior.fixedNames.map((n) => index(betaName(n)));
  const covL = factor(p, priors.beta.cov);
  if (covL === null) throw new ArgumentError("posterior.priors.beta.cov", "must be positive definite", "");
  const betaConst = -0.5 * (p * LOG_2PI + logdetFromCholesky(p, covL, p, 1, 0));
  const x = new Float64Array(Math.max(p, 1));
  // sigma2 ~ InvGamma(a, b)
  const { shape: a, scale: bScale } = priors.sigma2;
  const s2 = index("sigma2");
  const sigmaConst = a * Math.log(bScale) - logGamma(a);
  // With varIdent, each further level's variance sigma2[GROUP][LEVEL] has the same prior as sigma2.
  const varIdent = posterior.model.varIdent ?? null;
  const levelIndex =
    varIdent === null
      ? [s2]
      : [s2, ...varIdent.levels.slice(1).map((l) => index(residualVarianceName(varIdent.group, l)))];
  // AR(1): log p(phi) = (a − 1) log((1 + phi)/2) + (b − 1) log((1 − phi)/2) − log B(a, b) − log 2.
  const phiPrior = (posterior.model.ar1 ?? null) === null ? undefined : priors.phi;
  const phiIndex = phiPrior === undefined ? -1 : index(AR1_PHI_NAME);
  const phiConst =
    phiPrior === undefined
      ? 0
      : logGamma(phiPrior.a + phiPrior.b) - logGamma(phiPrior.a) - logGamma(phiPrior.b) - Math.log(2);
  for (let d = 0; d < size; d++) {
    for (let j = 0; j < p; j++) x[j] = value(betaIndex[j]!, d) - priors.beta.mean[j]!;
    let v = betaConst - 0.5 * quadratic(p, covL, x);
    if (phiPrior !== undefined) {
      const phi = value(phiIndex, d);
      v += phiConst + (phiPrior.a - 1) * Math.log((1 + phi) / 2) + (phiPrior.b - 1) * Math.log((1 - phi) / 2);
    }
    for (const k of levelIndex) {
      const s = value(k, d);
      v += sigmaConst - (a + 1) * Math.log(s) - bScale / s;
    }
    lp[d] = lp[d]! + v;
  }
  // Each factor's blocks: b_j ~ N(0, Psi_block) over levels, Psi_block ~ InvWishart(df, S_block).
  for (const f of posterior.factors) {
    const prior = priors.psi.find((q) => q.group === f.group);
    if (prior === undefined)
      throw new ArgumentError("posterior.priors.psi", `must have a prior for ${f.group}`, f.group);
    for (const blk of f.blocks) {
      const k = blk.size;
      const names = f.names.slice(blk.start, blk.start + k);
      const psiIndex = new Int32Array(k * k);
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++)
          psiIndex[i * k + j] = index(psiName(f.group, names[Math.min(i, j)]!, names[Math.max(i, j)]!));
      const bIndex = f.levels.map((level) =>
        Int32Array.from(names, (n) => index(randomEffectName(f.group, level, n))),
      );
      const S = new Float64Array(k * k);
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) S[i * k + j] = prior.scale[(blk.start + i) * prior.q + blk.start + j]!;
      const SL = factor(k, S)!;
      const nu = prior.df;
      const wishartConst =
        (nu / 2) * logdetFromCholesky(k, SL, k, 1, 0) -
        ((nu * k) / 2) * Math.log(2) -
        logMultivariateGamma(k, nu / 2);
      const psi = new Float64Array(k * k);
      const col = new Float64Array(k);
      const bj = new Float64Array(k);
      const m = f.levels.length;
      for (let d = 0; d < size; d++) {
        for (let e = 0; e < k * k; e++) psi[e] = value(psiIndex[e]!, d);
        const L = factor(k, psi);
        if (L === null) {
          lp[d] = Number.NEGATIVE_INFINITY;
          continue;
        }
        const logdet = logdetFromCholesky(k, L, k, 1, 0);
        let quad = 0;
        for (let j = 0; j < m; j++) {
          const idx = bIndex[j]!;
          for (let c = 0; c < k; c++) bj[c] = value(idx[c]!, d);
          quad += quadratic(k, L, bj);
        }
        // tr(S Psi⁻¹) = sum_c s_c' Psi⁻¹ s_c over the columns of S's Cholesky factor: ||L⁻¹ SL_c||².
        let trace = 0;
        for (let c = 0; c < k; c++) {
          for (let r = 0; r < k; r++) col[r] = r >= c ? SL[r * k + c]! : 0;
          trace += quadratic(k, L, col);
        }
        lp[d] =
          lp[d]! -
          0.5 * (m * k * LOG_2PI + m * logdet + quad) +
          wishartConst -
          ((nu + k + 1) / 2) * logdet -
          0.5 * trace;
      }
    }
  }
  return lp;
}
