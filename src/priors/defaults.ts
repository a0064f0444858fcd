/**
 * Default priors: proper, weakly informative, and on the scale of the data — so that a model of
 * reaction times in milliseconds and one of standardized exam scores get priors of the same shape.
 *
 * Let r = y - offset, ybar its mean and s_y its standard deviation (n - 1 denominator).
 *
 * - beta (rstanarm's autoscaled default, written as the one Gaussian it implies on the uncentered X):
 *   with an intercept, each other column j has beta_j ~ N(0, (2.5 s_y / s_j)^2), s_j the column's
 *   standard deviation, and the intercept at the predictors' means, alpha = beta_0 + sum_j xbar_j
 *   beta_j, is N(ybar, (2.5 s_y)^2) independently. Hence beta_0 has mean ybar, variance
 *   (2.5 s_y)^2 + sum_j xbar_j^2 v_j and covariance -xbar_j v_j with beta_j (v_j = (2.5 s_y / s_j)^2).
 *   Without an intercept: beta_j ~ N(0, (2.5 rms(r) / rms(x_j))^2), rms the root mean square.
 * - sigma2 ~ InvGamma(1/2, s_y^2 / 2): one prior observation of variance s_y^2 (nu0 = 1, sigma0^2 =
 *   s_y^2 in Hoff's (2009) InvGamma(nu0/2, nu0 sigma0^2/2) form).
 * - Psi_k ~ InvWishart(b + 1, diag(s_y^2 / (10 c_r^2))), b the factor's largest block size (q for one
 *   correlated term), c_r the standard deviation of column r of the factor (1 for the intercept; for a
 *   constant column c, |c|). df = b + 1 makes each correlation uniform on (-1, 1) and each variance
 *   InvGamma(1, S_rr/2): median 0.72 S_rr, central 90% from 0.17 S_rr to 9.7 S_rr — a random-effect
 *   standard deviation between about 0.13 and 1 times s_y / c_r, heavy-tailed above.
 * - phi (AR(1) residuals only): (phi + 1) / 2 ~ Beta(1, 1), uniform on (-1, 1) — nlme's corAR1 has no
 *   prior; uniform is brms's default for its ar() term's coefficient on a stationary AR(1) too.
 *
 * How this compares: rstanarm (for Gaussian models) autoscales normal priors exactly as above, with
 * sigma ~ Exponential(1 / s_y) and a decov prior on covariances; brms puts student_t(3, median(y),
 * mad(y)) on the intercept and half-student_t(3, 0, mad(y)) on every sd and on sigma. Neither is
 * conjugate, so their variance priors cannot be copied: the inverse-gamma / inverse-Wishart here keep
 * their scale (s_y) and, like brms's, are heavy-tailed above it; unlike a half-t they put little mass
 * near 0 (P(Psi_rr < S_rr / 20) = e^-10), a known property of the inverse-Wishart (Gelman 2006) — set
 * `psi` for a variance expected to be tiny. MCMCpack's MCMChregress has no default for its Wishart
 * scale at all.
 *
 * References: Gabry & Goodrich, "Prior distributions for rstanarm models" (rstanarm vignette, 2020);
 * Hoff (2009) A First Course in Bayesian Statistical Methods, ch. 9 and 11, doi:10.1007/978-0-387-92407-6;
 * Gelman (2006) Prior distributions for variance parameters in hierarchical models, Bayesian Analysis
 * 1(3), doi:10.1214/06-BA117A.
 */
import { DataError } from "../errors";
import { scaledMoments } from "../limits";
import { statisticsLayout, statisticsMoments } from "../model/stats";
import type { LmmModel } from "../model/types";
import { checkArrayArgument, checkModelArgument } from "../validate";
import type { GroupingFactor } from "./factors";
import type { Priors, PsiPrior } from "./types";

/** The coefficient scale of rstanarm's default normal priors (in units of s_y / s_x). */
export const DEFAULT_BETA_SCALE = 2.5;
/** The default Beta shapes of (phi + 1) / 2, phi the AR(1) correlation: uniform on (-1, 1). */
export const DEFAULT_PHI_PRIOR = { a: 1, b: 1 } as const;
/** The ratio var(y) / (Psi scale) of the default inverse-Wishart scale. */
export const DEFAULT_PSI_SCALE_DIVISOR = 10;

interface Moments {
  mean: number;
  sd: number;
  rms: number;
}

/**
 * Mean, sd (n − 1) and root mean square, computed on values scaled by a power of two so that no
 * square overflows or underflows (a covariate of 1e160 or 1e-160 still has an sd).
 */
function moments(n: number, get: (i: number) => number): Moments {
  const { maxAbs, mean, sd } = scaledMoments(n, get);
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return { mean, sd, rms: maxAbs === 0 ? 0 : Number.NaN };
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = get(i) / maxAbs;
    sq += v * v;
  }
  return { mean, sd, rms: maxAbs * Math.sqrt(sq / Math.max(n, 1)) };
}

/** A positive scale: `v` if it is positive and finite, else `fallback`, else 1. */
function positive(v: number, fallback: number): number {
  if (v > 0 && Number.isFinite(v)) return v;
  if (fallback > 0 && Number.isFinite(fallback)) return fallback;
  return 1;
}

/** Moments of the response after subtracting the offset. */
export function responseMoments(model: LmmModel): Moments {
  if (model.statistics !== undefined)
    return statisticsMoments(model.statistics, model.n, statisticsLayout(model.terms, model.p).yIndex);
  const { y, offset } = model;
  return moments(model.n, offset === null ? (i) => y[i]! : (i) => y[i]! - offset[i]!);
}

/**
 * The default prior of beta (see the file comment).
 *
 * @param model - the model
 * @returns mean (length p) and covariance (p × p row-major)
 * @example
 * // sleepstudy, Reaction ~ Days + ...: ybar = 298.5, s_y = 56.3, Days: mean 4.5, sd 2.87
 * defaultBetaPrior(model).mean; // Float64Array [298.5, 0]
 */
export function defaultBetaPrior(model: LmmModel): { mean: Float64Array; cov: Float64Array } {
  const { n, p, X } = model;
  const ym = responseMoments(model);
  const mean = new Float64Array(p);
  const cov = new Float64Array(p * p);
  const stats = model.statistics;
  const xOffset = stats === undefined ? 0 : statisticsLayout(model.terms, p).xOffset;
  const cols = Array.from({ length: p }, (_, j) =>
    stats === undefined ? moments(n, (i) => X[i * p + j]!) : statisticsMoments(stats, n, xOffset + j),
  );
  const intercept = model.fixedNames.indexOf("(Intercept)");
  const isIntercept =
    intercept >= 0 && cols[intercept]!.sd === 0 && Math.abs(cols[intercept]!.mean - 1) < 1e-12;
  // Written through ratios — r_j = 2.5 s_y / s_j and z_j = xbar_j / s_j — so that nothing but the
  // results themselves can overflow: v_j = r_j², cov(beta_0, beta_j) = −z_j r_j (2.5 s_y),
  // var(beta_0) = (2.5 s_y)² (1 + Σ z_j²).
  if (isIntercept) {
    const scale = DEFAULT_BETA_SCALE * positive(ym.sd, ym.rms);
    let v0 = scale * scale;
    for (let j = 0; j < p; j++) {
      if (j === intercept) continue;
      const c = cols[j]!;
      const sj = positive(c.sd, c.rms);
      const r = scale / sj;
      const z = c.mean / sj;
      cov[j * p + j] = r * r;
      cov[intercept * p + j] = -z * r * scale;
      cov[j * p + intercept] = -z * r * scale;
      v0 += (z * scale) ** 2;
    }
    cov[intercept * p + intercept] = v0;
    mean[intercept] = ym.mean;
  } else {
    const ry = positive(ym.rms, ym.sd);
    for (let j = 0; j < p; j++) {
      const c = cols[j]!;
      const r = (DEFAULT_BETA_SCALE * ry) / positive(c.rms, c.sd);
      cov[j * p + j] = r * r;
    }
  }
  for (let j = 0; j < p; j++)
    for (let k = 0; k < p; k++)
      if (!Number.isFinite(cov[j * p + k]!))
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The default prior of the coefficient of \`${model.fixedNames[j === intercept ? k : j]}\` cannot be computed: its variance, (2.5 × the response's sd / the column's sd)² or the intercept's at the columns' means, is beyond double precision; rescale or center that column (or give priors.beta.cov).`,
          { column: model.fixedNames[j === intercept ? k : j]! },
        );
  return { mean, cov };
}

/**
 * The default prior of sigma2: InvGamma(1/2, s_y^2 / 2).
 *
 * @example defaultSigma2Prior(sleepstudyModel); // { shape: 0.5, scale: 1585.5 }  (s_y = 56.3)
 */
export function defaultSigma2Prior(model: LmmModel): { shape: number; scale: number } {
  const ym = responseMoments(model);
  const sy = positive(ym.sd, ym.rms);
  return { shape: 0.5, scale: (sy * sy) / 2 };
}

/**
 * The default inverse-Wishart degrees of freedom of a factor: its largest block's size + 1.
 *
 * @example defaultPsiDf(factor with one (Days | Subject) term) // 3
 */
export function defaultPsiDf(factor: GroupingFactor): number {
  return Math.max(...factor.blocks.map((b) => b.size)) + 1;
}

/**
 * The default inverse-Wishart scale of a factor: diag(s_y^2 / (10 c_r^2)).
 *
 * @example defaultPsiScale(model, factor of (Days | Subject)) // diag(317.1, 38.5) on sleepstudy
 */
export function defaultPsiScale(model: LmmModel, factor: GroupingFactor): Float64Array {
  const ym = responseMoments(model);
  const sy = positive(ym.sd, ym.rms);
  const { q } = factor;
  const scale = new Float64Array(q * q);
  for (let r = 0; r < q; r++) {
    const c =
      model.statistics === undefined
        ? moments(model.n, (i) => factor.values[i * q + r]!)
        : statisticsMoments(model.statistics, model.n, statisticsColumn(model, factor, r));
    const cr = c.sd > 1e-12 * c.rms ? c.sd : positive(c.rms, 1);
    const ratio = sy / cr; // squared after dividing: no overflow of sy² or cr²
    scale[r * q + r] = (ratio * ratio) / DEFAULT_PSI_SCALE_DIVISOR;
    if (!(scale[r * q + r]! > 0 && Number.isFinite(scale[r * q + r]!)))
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The default prior scale of the variance of \`${factor.names[r]}\` by \`${factor.group}\` cannot be computed: (the response's sd / the column's sd)² is beyond double precision; rescale that column (or give priors.psi.${factor.group}.scale).`,
        { column: factor.names[r]! },
      );
  }
  return scale;
}

/**
 * Every default prior of the model.
 *
 * @param model - the model
 * @param factors - its grouping factors (`groupingFactors(model)`)
 * @returns the resolved default priors
 */
export function defaultPriors(model: LmmModel, factors: readonly GroupingFactor[]): Priors {
  checkModelArgument(model);
  checkArrayArgument(factors, "factors", "the grouping factors of the model (groupingFactors(model))");
  const beta = defaultBetaPrior(model);
  const psi: PsiPrior[] = factors.map((f) => ({
    group: f.group,
    names: f.names,
    q: f.q,
    blocks: f.blocks.map((b) => ({ start: b.start, size: b.size })),
    df: defaultPsiDf(f),
    scale: defaultPsiScale(model, f),
    isDefault: true,
  }));
  return {
    beta: { names: model.fixedNames, mean: beta.mean, cov: beta.cov, isDefault: true },
    sigma2: { ...defaultSigma2Prior(model), isDefault: true },
    psi,
    ...((model.ar1 ?? null) === null ? {} : { phi: { ...DEFAULT_PHI_PRIOR, isDefault: true } }),
  };
}

/** The column of v (src/model/stats.ts) holding column r of a grouping factor. */
function statisticsColumn(model: LmmModel, factor: GroupingFactor, r: number): number {
  const block = factor.blocks.find((b) => r >= b.start && r < b.start + b.size)!;
  return statisticsLayout(model.terms, model.p).termOffset[block.term]! + r - block.start;
}
