/**
 * The exact posterior of the variance parameters of a random-intercept model (every term q = 1), by
 * quadrature: beta and b integrated out analytically, then the midpoint rule on a grid of
 * log-variances (log sigma2, log Psi_1, ..., log Psi_K). An oracle for the sampler that owes nothing
 * to MCMC.
 *
 * With theta = (b, beta) ~ N(m0, Lambda0) a priori and y | theta ~ N(W theta, sigma2 I),
 *     log p(y | sigma2, Psi) = -1/2 [n log sigma2 + log|Lambda0| + log|Q|]
 *                              - 1/2 [y'y/sigma2 - c'Q^-1 c + m0'Lambda0^-1 m0] + const,
 *     Q = Lambda0^-1 + W'W/sigma2,  c = W'y/sigma2 + Lambda0^-1 m0,
 * times the InvGamma / InvWishart(q = 1) priors and the Jacobian of the log scale.
 */
import type { LmmModel } from "../../src/model/types";
import type { Priors } from "../../src/priors/types";

export interface ExactMarginal {
  mean: number;
  sd: number;
  /** Mean and sd of the natural log of the variance. */
  logMean: number;
  logSd: number;
  q025: number;
  q975: number;
  /** Probability mass in the outermost grid cells (should be negligible). */
  edgeMass: number;
}

function cholesky(n: number, a: Float64Array): number {
  let logdet = 0;
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! ** 2;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    logdet += 2 * Math.log(l);
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / l;
    }
  }
  return logdet;
}

/**
 * Exact marginal posteriors of sigma2 and each Psi_k.
 *
 * @param model - a model whose terms all have q = 1 and distinct grouping factors
 * @param priors - resolved priors
 * @param ranges - [lo, hi] of the natural log of sigma2, then of each Psi_k
 * @param points - grid points per axis
 */
export function exactVarianceMarginals(
  model: LmmModel,
  priors: Priors,
  ranges: readonly (readonly [number, number])[],
  points: number,
): ExactMarginal[] {
  const { n, p, X, y } = model;
  const K = model.terms.length;
  const dims = model.terms.map((t) => t.m);
  const d = p + dims.reduce((a, b) => a + b, 0);
  const WtW = new Float64Array(d * d);
  const Wty = new Float64Array(d);
  let yy = 0;
  const cols = new Int32Array(K + p);
  const vals = new Float64Array(K + p);
  for (let i = 0; i < n; i++) {
    let off = 0;
    model.terms.forEach((t, k) => {
      cols[k] = off + t.refs[i]!;
      vals[k] = t.values[i]!;
      off += t.m;
    });
    for (let a = 0; a < p; a++) {
      cols[K + a] = off + a;
      vals[K + a] = X[i * p + a]!;
    }
    for (let e = 0; e < K + p; e++) {
      Wty[cols[e]!]! += vals[e]! * y[i]!;
      for (let f = 0; f < K + p; f++) WtW[cols[e]! * d + cols[f]!]! += vals[e]! * vals[f]!;
    }
    yy += y[i]! ** 2;
  }
  // beta's prior precision and precision × mean.
  const covB = Float64Array.from(priors.beta.cov);
  const logdetB = cholesky(p, covB);
  const precB = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    const e = new Float64Array(p);
    e[c] = 1;
    for (let i = 0; i < p; i++) {
      let s = e[i]!;
      for (let k = 0; k < i; k++) s -= covB[i * p + k]! * e[k]!;
      e[i] = s / covB[i * p + i]!;
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = e[i]!;
      for (let k = i + 1; k < p; k++) s -= covB[k * p + i]! * e[k]!;
      e[i] = s / covB[i * p + i]!;
    }
    for (let i = 0; i < p; i++) precB[i * p + c] = e[i]!;
  }
  const mu = priors.beta.mean;
  const precMu = new Float64Array(p);
  let muPmu = 0;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) precMu[a]! += precB[a * p + b]! * mu[b]!;
    muPmu += mu[a]! * precMu[a]!;
  }
  const { shape, scale } = priors.sigma2;
  const psiPriors = priors.psi.map((pp) => ({ df: pp.df, s: pp.scale[0]! }));
  const Q = new Float64Array(d * d);
  const c = new Float64Array(d);
  const logPost = (logs: Float64Array): number => {
    const s2 = Math.exp(logs[0]!);
    for (let a = 0; a < d * d; a++) Q[a] = WtW[a]! / s2;
    for (let a = 0; a < d; a++) c[a] = Wty[a]! / s2;
    let off = 0;
    let logdetL0 = logdetB;
    for (let k = 0; k < K; k++) {
      const psi = Math.exp(logs[k + 1]!);
      for (let j = 0; j < dims[k]!; j++) Q[(off + j) * d + off + j]! += 1 / psi;
      logdetL0 += dims[k]! * Math.log(psi);
      off += dims[k]!;
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) Q[(off + a) * d + off + b]! += precB[a * p + b]!;
      c[off + a]! += precMu[a]!;
    }
    const logdetQ = cholesky(d, Q);
    let cQc = 0;
    for (let i = 0; i < d; i++) {
      let s = c[i]!;
      for (let k = 0; k < i; k++) s -= Q[i * d + k]! * c[k]!;
      c[i] = s / Q[i * d + i]!;
      cQc += c[i]! ** 2;
    }
    let lp = -0.5 * (n * logs[0]! + logdetL0 + logdetQ) - 0.5 * (yy / s2 - cQc + muPmu);
    lp += -shape * logs[0]! - scale / s2; // InvGamma(shape, scale) × Jacobian s2
    psiPriors.forEach((pp, k) => {
      const lpsi = logs[k + 1]!;
      lp += -(pp.df / 2) * lpsi - pp.s / (2 * Math.exp(lpsi)); // InvGamma(df/2, s/2) × Jacobian
    });
    return lp;
  };
  const axes = ranges.map(([lo, hi]) =>
    Float64Array.from({ length: points }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / points),
  );
  const total = points ** (K + 1);
  const logs = new Float64Array(K + 1);
  const L = new Float64Array(total);
  let max = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < total; t++) {
    let r = t;
    for (let a = K; a >= 0; a--) {
      logs[a] = axes[a]![r % points]!;
      r = Math.floor(r / points);
    }
    const v = logPost(logs);
    L[t] = v;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let t = 0; t < total; t++) {
    L[t] = Math.exp(L[t]! - max);
    sum += L[t]!;
  }
  return axes.map((axis, a) => {
    const marg = new Float64Array(points);
    const stride = points ** (K - a);
    for (let t = 0; t < total; t++) marg[Math.floor(t / stride) % points]! += L[t]! / sum;
    let m = 0;
    let m2 = 0;
    let l1 = 0;
    let l2 = 0;
    for (let i = 0; i < points; i++) {
      const v = Math.exp(axis[i]!);
      m += v * marg[i]!;
      m2 += v * v * marg[i]!;
      l1 += axis[i]! * marg[i]!;
      l2 += axis[i]! * axis[i]! * marg[i]!;
    }
    // Quantiles: CDF linear in log-variance within a cell.
    const h = (ranges[a]![1] - ranges[a]![0]) / points;
    const quantile = (prob: number) => {
      let cdf = 0;
      for (let i = 0; i < points; i++) {
        if (cdf + marg[i]! >= prob) return Math.exp(ranges[a]![0] + h * (i + (prob - cdf) / marg[i]!));
        cdf += marg[i]!;
      }
      return Number.NaN;
    };
    return {
      mean: m,
      sd: Math.sqrt(m2 - m * m),
      logMean: l1,
      logSd: Math.sqrt(l2 - l1 * l1),
      q025: quantile(0.025),
      q975: quantile(0.975),
      edgeMass: marg[0]! + marg[points - 1]!,
    };
  });
}
